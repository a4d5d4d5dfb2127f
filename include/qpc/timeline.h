/* timeline.h — an account's figures and status at any date, from its
 * dated facts.
 *
 * Pure functions over plain arrays: no I/O, no SQLite.  The store reads an
 * account's facts (its QPC lines as measured over time, its sales lines,
 * its account-level 12-month figures, its contracts) and the team's
 * threshold changes; these say what they amount to on a day, and on which
 * days the account's status changed.
 *
 * The rules, one place:
 * - A QPC line in force at D is, for its category, the latest fact
 *   measured on or before D; a removal is a fact too (no line from then).
 *   The account's QPC at D is the sum of its lines in force; with none it
 *   is unmeasured (not zero).
 * - Sales 12m at D: the sales lines dated in (D - 12 months, D]; where
 *   there is none, the account-level figure in force at D (the latest
 *   dated on or before D whose date is itself inside that window).
 * - A systems contract binds from its signing day up to, not including,
 *   its end day.
 * - The threshold at D is the latest change taking effect on or before D,
 *   else the base value.
 * - Status at D, without candidacy: partner when bound by a contract or
 *   when sales 12m > 0 and share >= threshold; else customer when sales
 *   12m > 0; else prospect.  Candidacy is laid over by the caller.
 */
#ifndef QPC_TIMELINE_H
#define QPC_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "qpc/date.h"
#include "qpc/figures.h"
#include "qpc/money.h"

/* One QPC fact: category's line measured on `on` (amount), or removed on
 * `on`.  Given sorted by (category, on); a later element with the same
 * (category, on) supersedes an earlier one. */
struct qpc_line_fact {
	int64_t category;
	qpc_date on;
	bool removed;
	bool verified;
	qpc_money amount;
};

/* One sales line: sorted by date.  Amounts may be negative (credits). */
struct qpc_sale_fact {
	qpc_date date;
	qpc_money amount;
	qpc_money gross_profit; /* 0 when unknown */
	bool has_gp;            /* the line carries a profit */
};

/* An account-level 12-month figure, as of its date: sorted by as_of. */
struct qpc_figure_fact {
	qpc_date as_of;
	qpc_money sales_12m;
	qpc_money gp_12m;
	bool has_gp;
};

/* A systems contract: binding on days signed_on <= d < ends_on. */
struct qpc_contract_fact {
	qpc_date signed_on;
	bool has_end;
	qpc_date ends_on;
	bool has_value;
	qpc_money value;
};

struct qpc_account_facts {
	const struct qpc_line_fact *lines;
	size_t nlines;
	const struct qpc_sale_fact *sales;
	size_t nsales;
	const struct qpc_figure_fact *figures;
	size_t nfigures;
	const struct qpc_contract_fact *contracts;
	size_t ncontracts;
};

/* The threshold's changes, sorted by `from`; before the first, base_bp. */
struct qpc_threshold_step {
	qpc_date from;
	int32_t bp;
};
struct qpc_thresholds {
	int32_t base_bp;
	const struct qpc_threshold_step *steps;
	size_t nsteps;
};

int32_t qpc_threshold_at(const struct qpc_thresholds *t, qpc_date d);

/* The first day on which a sale dated `sale` is no longer inside the
 * 12-month window: the least D > sale with qpc_window_start(D) >= sale. */
qpc_date qpc_window_leaves(qpc_date sale);

/* Figures at d (status without candidacy: prospect, customer or
 * partner).  The reference every faster path is tested against. */
void qpc_facts_at(const struct qpc_account_facts *f, const struct qpc_thresholds *t, qpc_date d,
                  struct qpc_account_figures *out);

/* A status that holds from `from` until the next span's `from`.  Before
 * the first span the account was a prospect. */
struct qpc_span {
	qpc_date from;
	enum qpc_status status; /* QPC_PROSPECT, QPC_CUSTOMER or QPC_PARTNER */
};

/* Every change of status the facts make, in date order; consecutive spans
 * differ and the first is not a prospect.  *out grows as needed (realloc;
 * the caller frees it); returns the number of spans, or (size_t)-1 when
 * memory ran out. */
size_t qpc_facts_timeline(const struct qpc_account_facts *f, const struct qpc_thresholds *t,
                          struct qpc_span **out, size_t *cap);

/* One account's part in a year's goal as of `as_of` (cut at the year's
 * end): became a partner in the year on or before the cut (first time,
 * or regained after an earlier spell), and lost (stopped being a partner
 * in the year and is not one at the cut). */
struct qpc_goal_part {
	bool became, first_time, regained, lost;
};
void qpc_spans_goal(const struct qpc_span *s, size_t n, int year, qpc_date as_of,
                    struct qpc_goal_part *out);

/* Why a partner is provisional rather than confirmed: reps underestimate
 * QPC, so a partner on an unverified, stale, too-small or incomplete QPC
 * is not yet one to count on. */
enum qpc_quality {
	QPC_CONFIRMED = 0,
	QPC_PROV_UNVERIFIED,   /* a line in force is not verified */
	QPC_PROV_STALE,        /* a line in force was measured over 365 days ago */
	QPC_PROV_BELOW_SALES,  /* QPC below its 12-month sales */
	QPC_PROV_MISSING,      /* bought in a category that has no QPC line */
	QPC_PROV_UNMEASURED,   /* a contract partner with no QPC */
	QPC_QUALITY_COUNT
};
const char *qpc_quality_name(enum qpc_quality q); /* "confirmed", "unverified", ... */
const char *qpc_quality_reason(enum qpc_quality q); /* a short sentence for people */
/* The first reason that applies: unmeasured before any (without a QPC the
 * others mean nothing: sales would always be "below" it), then the others
 * in the order of the enum. */
enum qpc_quality qpc_quality_of(bool measured, bool all_verified, bool has_oldest,
                                qpc_date oldest_measured, qpc_money qpc, qpc_money sales_12m,
                                bool missing_category, qpc_date as_of);

#endif
