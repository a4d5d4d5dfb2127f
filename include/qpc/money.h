/* money.h — money as an integer count of minor units (cents).
 *
 * Never a float.  One currency per database; minor_units is how many
 * decimals it has (2 for USD/EUR, 0 for JPY, 3 for KWD).  Arithmetic that
 * could overflow 64 bits is checked.
 */
#ifndef QPC_MONEY_H
#define QPC_MONEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef int64_t qpc_money;

#define QPC_MONEY_MAX INT64_MAX
#define QPC_MINOR_UNITS_MAX 4

/* Checked arithmetic: false on overflow, *out untouched. */
bool qpc_money_add(qpc_money a, qpc_money b, qpc_money *out);
bool qpc_money_sub(qpc_money a, qpc_money b, qpc_money *out);

/* Parses a plain decimal: optional sign, digits, optional '.' and digits,
 * optional exponent (e/E, sign, digits).  No grouping, no currency: the io
 * layer normalises CRM formats down to this.  Extra decimals are rounded
 * per value, half away from zero.  False (with a reason in *why, a static
 * string) when empty, malformed or out of range. */
bool qpc_money_parse_plain(const char *s, int minor_units, qpc_money *out, const char **why);

enum qpc_money_fmt {
	QPC_MONEY_PLAIN = 0,   /* 1234.50, -1234.50: CSV and JSON */
	QPC_MONEY_GROUPED = 1, /* 1,234.50 */
	QPC_MONEY_SHORT = 2,   /* 1.6M, 12.5k, 950 — rounded, for narrow columns */
	QPC_MONEY_WHOLE = 3,   /* 1,235 for 1,234.50 — grouped whole units, rounded */
};
/* Writes v into buf (NUL-terminated, truncated to n); returns buf. 32 bytes
 * always suffice. */
char *qpc_money_format(qpc_money v, int minor_units, enum qpc_money_fmt fmt, char *buf, size_t n);

/* v in major units as a double, for JSON and charts only. */
double qpc_money_major(qpc_money v, int minor_units);

/* Rounding.  Every figure shown shorter than it is held (an amount in
 * whole units or as 1.6M, a share or a percentage to a tenth, a gap in
 * points) is rounded half away from zero: 1.25 -> 1.3, -1.25 -> -1.3.
 * man/qpc.1 says so under "How figures are rounded". */

/* num / den rounded half away from zero; 0 when den is 0.  Exact for any
 * 64-bit operands (the quotient of INT64_MIN / -1 saturates). */
int64_t qpc_round_div(int64_t num, int64_t den);
/* num / den in tenths of a percent (476 is 47.6%), or in whole percent,
 * rounded; 0 when den is 0. */
int64_t qpc_permille(int64_t num, int64_t den);
int64_t qpc_percent(int64_t num, int64_t den);
/* Tenths of a percent as "47.6%", "-3.0%", "100.0%". */
char *qpc_permille_format(int64_t permille, char *buf, size_t n);
/* A gap between two percentages, in tenths of a point, as "69.8 points",
 * "1 point", "0.5 points" (a whole number without its ".0"). */
char *qpc_points_format(int64_t tenths, char *buf, size_t n);

#endif
