/* amount.h — money, counts and shares as CRM and ERP exports write them.
 *
 * Accepted amounts: "1234.5", "$1,234.50", "1.234,50 €", "1 234,56" (ASCII
 * space, U+00A0, U+202F, U+2009 or U+2007 grouping), "1'234.50", "-9,13 €",
 * "(1,234.50)" and "1.234,50-" (negative), "9.9213206E7", "USD 12", "12 EUR",
 * with spaces around.  At most one currency marker (a symbol such as $ € £ ¥
 * ₹, "US$"-style prefixes, or a three-letter ISO code) before or after the
 * number.  The value is normalised to a plain decimal and handed to
 * qpc_money_parse_plain (so extra decimals round half away from zero).
 *
 * The decimal separator is a point, a comma, or not decided yet (AUTO).  In
 * AUTO a value that reads two ways ("1,234": 1234 or 1.234?) is reported
 * AMOUNT_AMBIGUOUS, never guessed: feed a column's values to an amount_sniff
 * to decide the separator from the unambiguous ones.
 *
 * All strings are NUL-terminated UTF-8 owned by the caller; nothing is kept.
 * Reasons (*why) are static strings.
 */
#ifndef QPC_AMOUNT_H
#define QPC_AMOUNT_H

#include <stdbool.h>
#include <stdint.h>

#include "qpc/money.h"

enum amount_dec {
	AMOUNT_DEC_AUTO = 0, /* decide per value; ambiguous values are refused */
	AMOUNT_DEC_POINT,    /* 1,234.50 */
	AMOUNT_DEC_COMMA,    /* 1.234,50 */
};

enum amount_rc {
	AMOUNT_OK = 0,
	AMOUNT_EMPTY,     /* nothing but spaces: no value, which is not zero */
	AMOUNT_AMBIGUOUS, /* reads two ways with the separator undecided */
	AMOUNT_INVALID,
};

/* Longest currency marker stored, with its NUL ("US$", "EUR", "€"). */
#define AMOUNT_CURRENCY_MAX 8

/* Parses s into minor units (see qpc_money_parse_plain for minor_units).
 * On AMOUNT_OK sets *out and, when currency is not NULL, copies the currency
 * marker as written ("" when none) into currency[AMOUNT_CURRENCY_MAX].  On
 * anything else *out is untouched and *why (when not NULL) says why. */
enum amount_rc amount_parse(const char *s, enum amount_dec dec, int minor_units,
			    qpc_money *out, char *currency, const char **why);

/* A whole non-negative count such as employees: "1200", "1,200", "1 200",
 * "1.200" (comma mode), "1.2E3".  No currency.  In AUTO a lone separator
 * with three digits after it is read as grouping when the other reading is
 * not whole ("1,234" is 1234) and stays ambiguous when both are ("1.000"). */
enum amount_rc amount_parse_count(const char *s, enum amount_dec dec, int64_t *out,
				  const char **why);

/* A share as a fraction in basis points (10000 = 100%): "75%", "75 %",
 * "75,5 %" -> 7550; "0.75" -> 7500; "75" -> 7500.  Without a '%' a value up
 * to 1 is a fraction and a larger one a percentage ("1" is 100%, "1.5" is
 * 1.5%).  Negative shares and shares above 10000% are refused. */
enum amount_rc amount_parse_share(const char *s, enum amount_dec dec, int32_t *bp,
				  const char **why);

/* The largest amount qpc takes anywhere (files, the command line, the
 * editors), in major units either side of zero: no customer buys more
 * than a trillion in a year, and every entry path keeps to the same. */
#define AMOUNT_MAX_MAJOR 1000000000000LL
/* Whether v, in minor_units decimals, is within AMOUNT_MAX_MAJOR. */
bool amount_in_range(qpc_money v, int minor_units);

/* Deciding a column's decimal separator from sample values. */
enum amount_verdict {
	AMOUNT_UNDECIDED = 0, /* no value told point from comma */
	AMOUNT_POINT,
	AMOUNT_COMMA,
	AMOUNT_CONFLICT, /* some values say point, others comma */
};

struct amount_sniff {
	unsigned long point;     /* values only a decimal point explains */
	unsigned long comma;     /* values only a decimal comma explains */
	unsigned long ambiguous; /* "1,234": either */
	unsigned long neutral;   /* no separator at all ("12", "1 200") or empty */
	unsigned long invalid;   /* not an amount in any reading */
};

void amount_sniff_init(struct amount_sniff *sn);
void amount_sniff_add(struct amount_sniff *sn, const char *s);
enum amount_verdict amount_sniff_result(const struct amount_sniff *sn);
/* The verdict as a parsing mode: AMOUNT_DEC_AUTO unless point or comma. */
enum amount_dec amount_sniff_dec(const struct amount_sniff *sn);

#endif
