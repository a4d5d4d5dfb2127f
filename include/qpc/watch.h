/* watch.h — what a team watches beside its counts: the partners at risk
 * of falling under the threshold, and how far each rep's estimates of
 * their share are from the measured share.
 *
 * Both are figures at a date, computed from the dated facts (the sales
 * lines, the QPC lines, the estimates and their history); reading them
 * writes nothing.
 */
#ifndef QPC_WATCH_H
#define QPC_WATCH_H

#include <stddef.h>

#include "qpc/browse.h"
#include "qpc/error.h"
#include "qpc/figures.h"

struct qpc_store;

/* A partner by share whose share QPC_AHEAD_MONTHS ahead would fall under
 * the threshold (figures.h: qpc_month_under). */
struct qpc_at_risk {
	int64_t id;
	char external_id[QPC_TEXT_SHORT];
	char name[QPC_TEXT_NAME];
	char owner[QPC_TEXT_SHORT];
	struct qpc_share share;     /* at the date */
	struct qpc_share projected; /* QPC_AHEAD_MONTHS ahead */
	int month;                  /* the first month under: 1.. */
	qpc_date crosses;           /* the date plus that many months */
};

/* An account whose rep estimated our share, and its measured share. */
struct qpc_gap_account {
	int64_t id;
	char external_id[QPC_TEXT_SHORT];
	char name[QPC_TEXT_NAME];
	int32_t estimate_bp;
	struct qpc_share share;
	int32_t gap_bp; /* estimate - measured: above 0, the rep thinks more */
};

#define QPC_GAP_LARGEST 3

/* One owner's estimates.  The median and the largest gaps rest on the
 * accounts both estimated and measured (`measured` of `estimates`). */
struct qpc_gap_owner {
	char owner[QPC_TEXT_SHORT]; /* "" for accounts without an owner */
	int64_t estimates;
	int64_t measured;
	double median_points; /* of the gaps, in percentage points; 0 when none */
	int nlargest;         /* largest gaps first, by size either way */
	struct qpc_gap_account largest[QPC_GAP_LARGEST];
};

struct qpc_watch {
	qpc_date as_of;
	int32_t threshold_bp;
	/* partners by share (at or above the threshold) at the date; those
	 * whose sales are an account's 12-month figure, not dated lines,
	 * cannot be projected and are counted apart */
	int64_t partners;
	int64_t unprojected;
	size_t nrisk; /* nearest the threshold first */
	struct qpc_at_risk *risk;
	size_t nowners; /* in name order */
	struct qpc_gap_owner *owners;
	struct qpc_gap_owner team; /* every owner's together; no largest */
};

/* The watch as of a date; the partners at risk with their ids, names and
 * owners when `named` (else their internal ids only: a few thousand
 * lookups saved where only counts are shown).  Free it with
 * qpc_watch_free (also after an error). */
enum qpc_rc qpc_store_watch(struct qpc_store *st, qpc_date as_of, bool named,
                            struct qpc_watch *out, struct qpc_error *e);
void qpc_watch_free(struct qpc_watch *w);
/* The report (store.h) and the watch at once: one walk over the accounts. */
struct qpc_report;
enum qpc_rc qpc_store_report_watch(struct qpc_store *st, qpc_date as_of, struct qpc_report *out,
                                   bool named, struct qpc_watch *watch, struct qpc_error *e);

/* What works: for the candidacies that ended by a date (the account became
 * a partner while a candidate, or the candidacy was dropped), each live
 * step of their checklists, ticked by the end or not, against how many of
 * those candidacies made a partner; and the median days from nomination
 * to partner.  Each figure says how many candidacies it rests on. */
struct qpc_works_step {
	int64_t step_id;
	char template_name[96];
	int position;
	char text[200];
	int64_t ticked, ticked_partners;     /* ended with the step ticked */
	int64_t unticked, unticked_partners; /* ended without */
};

struct qpc_works {
	qpc_date as_of;
	int64_t ended, partners, dropped; /* candidacies */
	int64_t open;                     /* still running at the date */
	bool has_median;
	double median_days; /* nomination to partner, over `partners` */
	size_t nsteps;      /* by template, then position */
	struct qpc_works_step *steps;
};
enum qpc_rc qpc_store_what_works(struct qpc_store *st, qpc_date as_of, struct qpc_works *out,
                                 struct qpc_error *e);
void qpc_works_free(struct qpc_works *w);

/* Whether an account is a partner at risk at the session's date, and its
 * projection; loaded once until the data changes. */
struct qpc_browse;
enum qpc_rc qpc_browse_risk_of(struct qpc_browse *b, int64_t id, struct qpc_at_risk *out,
                               bool *at_risk, struct qpc_error *e);

#endif
