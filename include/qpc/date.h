/* date.h — civil dates as a day count, pure and locale-free.
 *
 * A qpc_date is the number of days since 1970-01-01 in the proleptic
 * Gregorian calendar.  Storage and output use ISO 8601 (YYYY-MM-DD).
 */
#ifndef QPC_DATE_H
#define QPC_DATE_H

#include <stdbool.h>
#include <stdint.h>

typedef int32_t qpc_date;

#define QPC_DATE_ISO_LEN 11 /* "YYYY-MM-DD" and its NUL */
#define QPC_DATE_MIN_YEAR 1
#define QPC_DATE_MAX_YEAR 9999

bool qpc_date_valid_ymd(int y, int m, int d);
int qpc_date_days_in_month(int y, int m);
/* False when y-m-d is not a real calendar day in years 1..9999. */
bool qpc_date_from_ymd(int y, int m, int d, qpc_date *out);
void qpc_date_to_ymd(qpc_date date, int *y, int *m, int *d);
int qpc_date_year(qpc_date date);

/* Strict "YYYY-MM-DD"; nothing may follow. */
bool qpc_date_parse_iso(const char *s, qpc_date *out);
/* Writes "YYYY-MM-DD" into buf (at least QPC_DATE_ISO_LEN bytes), returns buf. */
char *qpc_date_format(qpc_date date, char *buf);

/* Adds months, keeping the day but clamping it to the end of the target
 * month: 2024-02-29 - 12 months = 2023-02-28; 2023-01-31 + 1 = 2023-02-28. */
qpc_date qpc_date_add_months(qpc_date date, int months);

/* Today in UTC for a Unix time. */
qpc_date qpc_date_from_unix(int64_t t);

#endif
