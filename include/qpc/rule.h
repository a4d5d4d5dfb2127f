/* rule.h — what a checklist step asks of the sales, checked against the
 * dated facts: "has bought in at least 3 categories in each of the last 4
 * quarters" is `categories>=3 quarters=4`.
 *
 * A rule is words separated by spaces, all of which must hold:
 *
 *   categories>=N   bought in at least N categories (1..999)
 *   sales>=AMOUNT   bought at least AMOUNT, in the currency (5000, 1250.50)
 *   share>=PERCENT  the share at the date is at least PERCENT (0..100)
 *   quarters=N      categories and sales hold in each of the last N
 *   months=N        quarters, months or years up to the date (1..12;
 *   years=N         at most 36 months in all); without one, in the
 *                   12 months up to the date, as the share counts them
 *
 * The periods end at the date and go back whole months, like the 12-month
 * window: the last quarter is (D - 3 months, D].  The share is the one at
 * the date.  qpc proposes; a manager still ticks the step.
 */
#ifndef QPC_RULE_H
#define QPC_RULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "qpc/money.h"

#define QPC_RULE_TEXT 96   /* a rule's text, NUL included */
#define QPC_RULE_PERIODS_MAX 12
#define QPC_RULE_SPAN_MAX 36 /* months the periods may cover in all */

struct qpc_rule {
	int categories;       /* 0: no such term */
	bool has_sales;
	qpc_money sales;
	bool has_share;
	int32_t share_bp;
	int periods;          /* 1 when no period term */
	int months;           /* each period's length: 1, 3, 12 */
	char period_word[8];  /* "quarter", "month", "year"; "" when none */
};

/* Parses a rule (minor_units: the currency's, for sales>=).  On failure
 * false, with a sentence in why that names the word and its column
 * (1-based, in characters). */
bool qpc_rule_parse(const char *text, int minor_units, struct qpc_rule *out, char *why,
                    size_t n);
/* The rule in its canonical words, in the order above. */
char *qpc_rule_format(const struct qpc_rule *r, int minor_units, char *buf, size_t n);

/* What the facts show for one period, oldest first. */
struct qpc_rule_period {
	int categories;
	qpc_money sales;
};
/* The facts a rule is checked against.  share_known false: no QPC in
 * force (the share is undefined).  lines false: the account's sales are
 * only the CRM's 12-month figure, without lines: categories and periods
 * are unknown, and period[0].sales (nperiods 1) is that figure. */
struct qpc_rule_facts {
	int nperiods;
	struct qpc_rule_period period[QPC_RULE_PERIODS_MAX];
	bool lines;
	bool share_known;
	int32_t share_bp;
};
/* Whether the facts meet the rule, and the evidence in a sentence or
 * three: "Categories by quarter, oldest first: 3 4 2 3 (needs 3 in each).
 * Share 80.1% (needs 75%)." */
bool qpc_rule_check(const struct qpc_rule *r, const struct qpc_rule_facts *f, int minor_units,
                    char *evidence, size_t n);

#endif
