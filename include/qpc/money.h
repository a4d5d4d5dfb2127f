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
	QPC_MONEY_SHORT = 2,   /* 1.2M, 12.5k, 950 — whole units, for narrow columns */
};
/* Writes v into buf (NUL-terminated, truncated to n); returns buf. 32 bytes
 * always suffice. */
char *qpc_money_format(qpc_money v, int minor_units, enum qpc_money_fmt fmt, char *buf, size_t n);

/* v in major units as a double, for JSON and charts only. */
double qpc_money_major(qpc_money v, int minor_units);

#endif
