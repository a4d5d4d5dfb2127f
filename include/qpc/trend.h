/* trend.h — the team's figures month by month, from the dated facts.
 *
 * One point per month end, the last one at the as-of date itself (even
 * mid-month).  Each point holds what `qpc report` shows at its date for
 * the same figures: customers and partners (as the report counts them),
 * the QPC in force over measured accounts, the team's sales over the 12
 * months to the date, and the share of QPC (measured accounts' sales over
 * their QPC).  Partners made and lost within each month come from the
 * status changes the facts make (status_span).
 *
 * Computed in a few passes over whole tables, not one report per month:
 * cheap enough for a million accounts.  A read: it writes nothing.
 */
#ifndef QPC_TREND_H
#define QPC_TREND_H

#include <stdbool.h>
#include <stdint.h>

#include "qpc/date.h"
#include "qpc/error.h"
#include "qpc/figures.h"
#include "qpc/money.h"

struct qpc_store;

#define QPC_TREND_MAX_MONTHS 120

struct qpc_trend_point {
	qpc_date month_end;        /* the last point: the as-of date */
	int64_t customers;         /* sales 12m > 0, or a partner */
	int64_t partners;
	/* Distinct accounts whose status became partner (new) or went from
	 * partner to something else (lost) within the month: after the
	 * previous point (the month end before, for the first), up to this. */
	int64_t new_partners, lost_partners;
	int64_t measured;          /* accounts with a QPC in force */
	qpc_money qpc_total;       /* the QPC in force, over measured accounts */
	qpc_money sales_12m;       /* the team's sales 12m */
	qpc_money measured_sales_12m; /* sales 12m of measured accounts (negatives as 0) */
	struct qpc_share share;    /* measured_sales_12m / qpc_total: "Share of QPC" */
	bool capped;               /* a total passed the largest amount and was capped */
};

/* Called once per point, oldest first; a non-zero return stops the walk
 * and is returned as QPC_ERR_IO. */
typedef int (*qpc_trend_fn)(const struct qpc_trend_point *p, void *ctx);

/* The last `months` points up to as_of (1..QPC_TREND_MAX_MONTHS, else
 * QPC_ERR_USAGE). */
enum qpc_rc qpc_store_trend(struct qpc_store *st, qpc_date as_of, int months, qpc_trend_fn fn,
                            void *ctx, struct qpc_error *e);

#endif
