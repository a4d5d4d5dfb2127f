/* dateparse.h — dates as CRM and ERP exports write them.
 *
 * Recognised without a format string:
 *   2006-04-15, 2006/04/15, 2006.04.15, 20060415 (year first: always Y-M-D)
 *   2006-04-15T03:23:15.000Z, 1996-07-04 00:00:00.000, ... +02:00
 *   3/1/2019, 03/01/19, 3-1-2019   (day and month in a column-wide order)
 *   15.04.2006, 15.4.06           (dots: always day.month.year)
 *   15-Apr-2006, 15 April 2006, Apr 15, 2006   (English month names)
 * each optionally followed by a time: "14:05", "08:55 PM", "3:23:15.5",
 * "T03:23:15Z", "10:00 +0200".  The time is checked (hour 0-23, or 1-12
 * with AM/PM; minute 0-59; second 0-60) and dropped: the date is taken as
 * written, never shifted by a time zone.
 *
 * Two-digit years pivot like POSIX strptime %y: 00-69 are 2000-2069,
 * 70-99 are 1970-1999.
 *
 * Day-first or month-first is a property of the column, decided by feeding
 * its values to a dateparse_sniff.  Parsing with the order undecided
 * accepts a value only when one reading is possible (13/01/2020, 05/05/2020)
 * and reports 03/04/2020 as DATEPARSE_AMBIGUOUS.
 *
 * Strings are NUL-terminated, owned by the caller, never kept.  Reasons
 * (*why) are static strings.
 */
#ifndef QPC_DATEPARSE_H
#define QPC_DATEPARSE_H

#include <stdbool.h>

#include "qpc/date.h"

enum dateparse_order {
	DATEPARSE_UNDECIDED = 0,
	DATEPARSE_DMY,      /* 13/01/2020 */
	DATEPARSE_MDY,      /* 01/13/2020 */
	DATEPARSE_CONFLICT, /* sniff result only: the column says both */
};

enum dateparse_rc {
	DATEPARSE_OK = 0,
	DATEPARSE_EMPTY,     /* nothing but spaces */
	DATEPARSE_AMBIGUOUS, /* day and month could be either way round */
	DATEPARSE_INVALID,
};

/* Parses s in one of the forms above; order applies to the numeric
 * d/m/y-or-m/d/y forms only (CONFLICT counts as UNDECIDED).  On
 * DATEPARSE_OK sets *out; otherwise *out is untouched and *why (when not
 * NULL) says why, e.g. "no such day in that month" for 2023-02-30. */
enum dateparse_rc dateparse_value(const char *s, enum dateparse_order order, qpc_date *out,
				  const char **why);

/* A strftime-like format (--date-format).  Directives: %Y (4-digit year),
 * %y (2-digit year, pivot above), %m, %d, %e (1 or 2 digits), %b %B %h
 * (English month name or abbreviation), %H %I (hour), %M, %S, %p (AM/PM),
 * %F (%Y-%m-%d), %T (%H:%M:%S), %%.  A space matches any run of spaces,
 * other characters themselves.  When the format has no hour, a time after
 * the date is accepted as in dateparse_value. */
bool dateparse_format_check(const char *fmt, const char **why);
enum dateparse_rc dateparse_with_format(const char *s, const char *fmt, qpc_date *out,
					const char **why);

/* The years qpc takes in any date it is given (files, the command line,
 * the editors): every entry path keeps to the same. */
#define DATEPARSE_YEAR_MIN 1900
#define DATEPARSE_YEAR_MAX 2200
#define DATEPARSE_STR_(x) #x
#define DATEPARSE_STR(x) DATEPARSE_STR_(x)
/* What messages say of them. */
#define DATEPARSE_YEARS                                                                      \
	"years " DATEPARSE_STR(DATEPARSE_YEAR_MIN) " to " DATEPARSE_STR(DATEPARSE_YEAR_MAX)
bool dateparse_in_range(qpc_date d);

/* Deciding a column's day/month order from its values. */
struct dateparse_sniff {
	unsigned long dmy;     /* only day-first reads: 13/01/2020 */
	unsigned long mdy;     /* only month-first reads: 01/13/2020 */
	unsigned long either;  /* both read (03/04/2020, 05/05/2020) */
	unsigned long fixed;   /* order-free forms: ISO, dotted, month names */
	unsigned long invalid; /* not a date in any reading; empty values are not counted */
};

void dateparse_sniff_init(struct dateparse_sniff *sn);
void dateparse_sniff_add(struct dateparse_sniff *sn, const char *s);
/* DMY or MDY when only that order was seen, CONFLICT when both were,
 * UNDECIDED when neither. */
enum dateparse_order dateparse_sniff_result(const struct dateparse_sniff *sn);

#endif
