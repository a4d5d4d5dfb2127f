/* figures.h — the method's computations: QPC, share, status, KPIs.
 *
 * Pure functions over plain structs: no I/O, no SQLite, no curses.  The
 * store gathers the sums; these decide what they mean.
 */
#ifndef QPC_FIGURES_H
#define QPC_FIGURES_H

#include <stdbool.h>
#include <stdint.h>

#include "qpc/date.h"
#include "qpc/money.h"

#define QPC_BP_ONE 10000            /* basis points in 1 (100%) */
#define QPC_THRESHOLD_DEFAULT 7500  /* partner threshold: 75% */
#define QPC_STALE_DAYS 365          /* a QPC line older than this is stale */

enum qpc_status {
	QPC_PROSPECT = 0, /* no sales in the last 12 months */
	QPC_CUSTOMER,
	QPC_CANDIDATE,    /* nominated for a concerted effort */
	QPC_PARTNER,      /* share >= threshold, or a signed systems contract */
	QPC_STATUS_COUNT
};

const char *qpc_status_name(enum qpc_status s);
/* False for an unknown name. */
bool qpc_status_parse(const char *name, enum qpc_status *out);

enum qpc_share_kind {
	QPC_SHARE_UNDEFINED = 0, /* QPC unmeasured or zero */
	QPC_SHARE_OK,            /* 0 .. 1 */
	QPC_SHARE_OVER,          /* above 1: the QPC was underestimated */
};

struct qpc_share {
	enum qpc_share_kind kind;
	int32_t bp;   /* share in basis points, floored; 10000 when OVER */
	double value; /* sales / QPC as a fraction, capped at 1 when OVER */
};

/* What the store knows about one account, as sums over its rows. */
struct qpc_account_sums {
	bool qpc_measured;        /* at least one potential line */
	qpc_money qpc;            /* sum of potential lines */
	bool has_sales_lines;     /* any sales line at all, in or out of the window */
	qpc_money lines_sales_12m;
	qpc_money lines_gp_12m;
	bool lines_gp_known;      /* every line in the window carries a profit */
	bool has_account_figure;  /* an account-level 12-month figure */
	qpc_money account_sales_12m;
	bool account_gp_known;    /* the figure gives a gross profit */
	qpc_money account_gp_12m;
	bool contract_partner;
	bool candidate;           /* nominated and not dropped */
};

struct qpc_account_figures {
	bool qpc_measured;
	qpc_money qpc;
	qpc_money sales_12m;
	/* Unknown when a sales line of the window has no profit (a file
	 * without the column) or the account-level figure gives none: never
	 * read as 0.  gp_12m is then 0. */
	bool gp_known;
	qpc_money gp_12m;
	struct qpc_share share;
	bool untapped_known;
	qpc_money untapped;       /* max(QPC - sales, 0) */
	enum qpc_status status;
};

/* A partner's share some months ahead, if each month it bought what it
 * bought on average in the last three (sales in (D - 3 months, D] / 3)
 * while the QPC in force at D stays: the sales leaving the window by then
 * leave it.  `leaving[k-1]` is the sales in (D - 12 months, D - 12 months
 * + k months], what has left the window k months ahead. */
#define QPC_AHEAD_MONTHS 3
struct qpc_projection_in {
	qpc_money sales_12m;                  /* in (D - 12 months, D] */
	qpc_money recent;                     /* in (D - 3 months, D] */
	qpc_money leaving[QPC_AHEAD_MONTHS];
	qpc_money qpc;                        /* in force at D, > 0 */
};
/* The share k months ahead (1 <= k <= QPC_AHEAD_MONTHS), computed exactly
 * from the integers: floored like qpc_share_of, OVER above 1. */
struct qpc_share qpc_share_ahead(const struct qpc_projection_in *in, int k);
/* The first month (1..QPC_AHEAD_MONTHS) whose share falls under the
 * threshold, when the share QPC_AHEAD_MONTHS ahead does; else 0: the
 * partner is not at risk. */
int qpc_month_under(const struct qpc_projection_in *in, int32_t threshold_bp);

/* The window "sales 12m as of D" covers dates in (D - 12 months, D]. */
qpc_date qpc_window_start(qpc_date as_of); /* exclusive */
bool qpc_in_window(qpc_date d, qpc_date as_of);

struct qpc_share qpc_share_of(qpc_money sales, bool qpc_measured, qpc_money qpc);
/* threshold_bp in 1..10000. */
enum qpc_status qpc_status_of(qpc_money sales_12m, struct qpc_share share, bool contract_partner,
                              bool candidate, int32_t threshold_bp);
void qpc_figures_compute(const struct qpc_account_sums *in, int32_t threshold_bp,
                         struct qpc_account_figures *out);

/* A QPC measured more than QPC_STALE_DAYS before as_of. */
bool qpc_is_stale(qpc_date measured_on, qpc_date as_of);
/* A measured QPC far below its estimate by formula: under half of it.
 * Reps underestimate QPC (and so overestimate their share); the method
 * says to look again at such accounts. */
bool qpc_is_underestimate(qpc_money measured, qpc_money estimate);

/* Team KPIs, accumulated one account at a time.  Money totals saturate
 * at QPC_MONEY_MAX and set `overflow` instead of wrapping. */
struct qpc_kpi {
	int64_t accounts, customers, partners, contract_partners, candidates, prospects;
	int64_t measured;           /* accounts with a QPC */
	qpc_money sales_12m;
	/* Gross profit over the customers whose profit is known (gp_known of
	 * them; partners_gp_known of the partners): the others are left out,
	 * not counted as 0. */
	int64_t gp_known, partners_gp_known;
	qpc_money gp_12m, partner_gp_12m;
	qpc_money qpc_total, qpc_sales_12m; /* QPC and sales over measured accounts */
	qpc_money untapped;
	int64_t net_known;          /* accounts with a cost-to-serve and a known profit */
	qpc_money net_12m, partner_net_12m;
	bool overflow;
};

struct qpc_kpi_ratios {
	/* The totals gp_12m and partner_gp_12m say something: some customer's
	 * (partner's) profit is known, or there is none to know. */
	bool gp_known, partner_gp_known;
	bool partner_share_of_customers_known;
	double partner_share_of_customers; /* guideline 0.03 .. 0.05 */
	bool partner_share_of_gp_known;
	double partner_share_of_gp;        /* guideline 0.50 .. 0.80 */
	bool partner_share_of_net_known;
	double partner_share_of_net;
	struct qpc_share overall;          /* sales over measured accounts / their QPC */
};

void qpc_kpi_init(struct qpc_kpi *k);
/* cost_to_serve_known / cost_to_serve: optional per-account cost. */
void qpc_kpi_add(struct qpc_kpi *k, const struct qpc_account_figures *f, bool cost_known,
                 qpc_money cost_to_serve);
void qpc_kpi_ratios(const struct qpc_kpi *k, struct qpc_kpi_ratios *out);

/* Guidelines of the method, for display beside the team's figures. */
#define QPC_GUIDE_PARTNERS_LO 0.03
#define QPC_GUIDE_PARTNERS_HI 0.05
#define QPC_GUIDE_GP_LO 0.50
#define QPC_GUIDE_GP_HI 0.80

#endif
