/* browse.h — what the dashboard reads: a screen of rows at a time.
 *
 * The views ask for rows after or before a known account in some order
 * (keyset pagination: never OFFSET), so the first page and the millionth
 * cost the same.  Every sortable column has an index to walk; a filter
 * that matches few accounts is read through its own index and sorted, one
 * that matches many is checked row by row along the sort index; whichever
 * reads fewer rows.  Counts come from a tally kept by triggers, names and
 * ids are found through a trigram index.
 *
 * Work is bounded.  A fetch or a count that would read more rows than its
 * budget stops with what it has and says where to resume, so a caller can
 * keep the screen answering keys and finish the rest between them.
 *
 * Rows are copied into caller-owned structs of fixed size: long strings
 * are cut at a character boundary and end in "…".  They are raw data:
 * the caller escapes them for the terminal (textcell).  Nothing here keeps
 * a pointer it was given, and memory does not grow with the number of
 * accounts.
 *
 * All figures are the cached ones as of the date the session was opened
 * for; the caller brings them there first with qpc_store_refresh().  A file
 * that refresh could not write (read-only, a full disk) is browsed as it
 * stands: after a bulk import its indexes are still to build, and then
 * pages are sorted and searched without them, slower but the same rows.
 */
#ifndef QPC_BROWSE_H
#define QPC_BROWSE_H

#include <stdbool.h>
#include <stdint.h>

#include "qpc/traits.h"
#include "qpc/date.h"
#include "qpc/error.h"
#include "qpc/figures.h"
#include "qpc/money.h"
#include "qpc/store.h"
#include "qpc/trend.h"

struct qpc_browse;

/* A browsing session over an open store for the figures as of as_of.  The
 * store must outlive it. */
enum qpc_rc qpc_browse_open(struct qpc_store *st, qpc_date as_of, struct qpc_browse **out,
                            struct qpc_error *e);
void qpc_browse_close(struct qpc_browse *b);
qpc_date qpc_browse_as_of(const struct qpc_browse *b);
/* This connection wrote: drops what the session remembered of the data
 * (counts, search hits, estimate factors), as a change by another
 * connection does. */
void qpc_browse_forget(struct qpc_browse *b);
/* Sets *changed when another connection committed to the database since
 * the last call, or for the first call since the session was opened: a
 * commit after anything the session read is never missed. */
enum qpc_rc qpc_browse_changed(struct qpc_browse *b, bool *changed, struct qpc_error *e);
/* One step of the work a session does while nobody reads through it (on a
 * team server, the indexes of its copy that no read has needed yet, made
 * one at a time; on a file, none), without waiting: true while there is
 * more.  A read meanwhile waits for the step under way only if it needs
 * what the step makes; else it cancels it, and a later call takes it up
 * again.  Its failures are its own: a read that needs what it failed to
 * make tries again, and says why if that fails. */
bool qpc_browse_background(struct qpc_browse *b);

/* --- the accounts list --------------------------------------------------- */

enum qpc_col {
	QPC_COL_NAME = 0,
	QPC_COL_OWNER,
	QPC_COL_SEGMENT,
	QPC_COL_QPC,
	QPC_COL_SALES,    /* sales 12m */
	QPC_COL_SHARE,    /* unmeasured lowest, "QPC underestimated" highest */
	QPC_COL_UNTAPPED, /* unknown lowest */
	QPC_COL_STATUS,   /* prospect < customer < candidate < partner */
	QPC_COL_AGE,      /* days since the QPC was measured; missing is oldest */
	QPC_COL_COUNT
};

/* "name", "owner", ... "age"; NULL when out of range. */
const char *qpc_col_name(enum qpc_col c);
/* The direction a column sorts in when first chosen: names A to Z, money
 * and status largest first, age oldest first. */
bool qpc_col_default_desc(enum qpc_col c);

#define QPC_TEXT_SHORT 48 /* bytes for owner, segment, ids */
#define QPC_TEXT_NAME 160 /* bytes for names */
#define QPC_SEARCH_MAX 128

struct qpc_filter {
	char owner[QPC_TEXT_SHORT];   /* "" any, else exactly this owner */
	char segment[QPC_TEXT_SHORT]; /* "" any */
	int status;                   /* -1 any, else an enum qpc_status */
	bool stale;                   /* only QPC stale (over a year old) or missing */
	/* only accounts whose measured QPC is under half its estimate by
	 * formula (qpc_estimate_run's: size x the segment's factors) */
	bool under;
	/* only provisional partners: partners whose QPC is not yet one to
	 * count on (timeline.h: unverified, stale, below sales, missing a
	 * category, unmeasured).  With a status other than partner nothing
	 * matches.  Not counted by qpc_filter_any() nor checked by
	 * qpc_browse_match_count(): the caller asks for it. */
	bool provisional;
	/* only partners at risk of falling under the threshold within three
	 * months at their recent pace (watch.h); like provisional, partners */
	bool at_risk;
	/* "" any, else name or external id contains it, ignoring case (Unicode
	 * case under a UTF-8 locale); quotes, % and _ are plain text. */
	char text[QPC_SEARCH_MAX];
};
/* The filter that lets everything through. */
void qpc_filter_init(struct qpc_filter *f);
bool qpc_filter_any(const struct qpc_filter *f); /* anything but text set */

struct qpc_order {
	enum qpc_col col;
	bool desc;
};

struct qpc_browse_row {
	int64_t id;
	char external_id[QPC_TEXT_SHORT];
	char name[QPC_TEXT_NAME];
	char owner[QPC_TEXT_SHORT];
	char segment[QPC_TEXT_SHORT];
	struct qpc_account_figures fig;
	bool contract_partner;
	bool has_measured_on;
	qpc_date measured_on; /* the oldest QPC line's */
	bool qpc_verified;
	bool stale;           /* QPC missing, or measured over a year before as-of */
};

/* Accounts in the database. */
enum qpc_rc qpc_browse_total(struct qpc_browse *b, int64_t *n, struct qpc_error *e);

/* A count in progress: start it with qpc_count_start(), then call
 * qpc_browse_count() until done. */
struct qpc_count {
	int64_t n;
	bool done;
	int64_t next_id; /* private: where a long count resumes */
};
void qpc_count_start(struct qpc_count *c);
/* Counts the accounts the filter matches.  Owner, segment and status are
 * counted at once from the tally; "stale", "under" and a text take passes
 * of bounded work over the table. */
enum qpc_rc qpc_browse_count(struct qpc_browse *b, const struct qpc_filter *f,
                             struct qpc_count *c, struct qpc_error *e);

/* Search matches (the filter with its text), when cheap to know: *exact
 * false means "many", more than the session's small-set size, or a text
 * too short (under 3 characters) for the trigram index. */
enum qpc_rc qpc_browse_match_count(struct qpc_browse *b, const struct qpc_filter *f,
                                   int64_t *n, bool *exact, struct qpc_error *e);

enum qpc_dir {
	QPC_NEXT = 0, /* down the list, in the order */
	QPC_PREV = 1, /* up the list */
};

struct qpc_fetch {
	enum qpc_dir dir;
	int64_t from;   /* an account id (matching the filter or not): rows after
	                 * it (NEXT) or before it (PREV) in the order; 0: from
	                 * the top (NEXT) or the bottom (PREV) */
	bool inclusive; /* `from` itself too, if it matches */
	int max;        /* rows wanted, >= 1 */
};

struct qpc_fetched {
	int n;          /* rows written, nearest to `from` first */
	bool end;       /* nothing more that way */
	int64_t resume; /* !end && n < max: the work budget ran out; fetch again
	                 * from here (not inclusive) for the rest */
};

/* Reads up to r->max accounts matching f in order o, starting next to
 * r->from.  rows must hold r->max rows. */
enum qpc_rc qpc_browse_fetch(struct qpc_browse *b, const struct qpc_filter *f,
                             const struct qpc_order *o, const struct qpc_fetch *r,
                             struct qpc_browse_row *rows, struct qpc_fetched *out,
                             struct qpc_error *e);

/* Whether account id passes filter f, its text included (false when gone). */
enum qpc_rc qpc_browse_matches(struct qpc_browse *b, int64_t id, const struct qpc_filter *f,
                               bool *yes, struct qpc_error *e);

/* One account as the list shows it; QPC_ERR_NOTFOUND when it is gone. */
enum qpc_rc qpc_browse_row(struct qpc_browse *b, int64_t id, struct qpc_browse_row *row,
                           struct qpc_error *e);

/* A partner's quality as the figures have it at the session's date:
 * *has false when the account is not a partner (or is gone). */
enum qpc_rc qpc_browse_quality(struct qpc_browse *b, int64_t id, bool *has,
                               enum qpc_quality *quality, struct qpc_error *e);

/* Owners or segments in use, in order, with how many accounts each has
 * (at the session's date), up to max; *n says how many were written.  An
 * empty one is left out: a filter cannot ask for it. */
struct qpc_value_count {
	char text[QPC_TEXT_SHORT];
	int64_t n;
};
enum qpc_rc qpc_browse_owners(struct qpc_browse *b, struct qpc_value_count *out, int max, int *n,
                              struct qpc_error *e);
enum qpc_rc qpc_browse_segment_counts(struct qpc_browse *b, struct qpc_value_count *out, int max,
                                      int *n, struct qpc_error *e);


#define QPC_CATEGORY_MAX 96 /* bytes of a category name, with its NUL */
/* Product categories, by name, up to max; *n says how many were written. */
enum qpc_rc qpc_browse_categories(struct qpc_browse *b, char (*out)[QPC_CATEGORY_MAX], int max,
                                  int *n, struct qpc_error *e);

/* Work bounds, for tests and benchmarks: sets of up to small_set rows are
 * read through their own index and sorted; a walk along the sort index
 * stops after budget rows.  0 keeps the current value. */
void qpc_browse_tune(struct qpc_browse *b, int small_set, int budget);

/* --- one account --------------------------------------------------------- */

#define QPC_DETAIL_LINES 32
#define QPC_DETAIL_MONTHS 24
#define QPC_DETAIL_STEPS 16

/* One product category of an account: its QPC line and its sales. */
struct qpc_detail_line {
	char category[QPC_TEXT_SHORT];
	bool has_qpc;
	qpc_money qpc;
	char basis[QPC_TEXT_SHORT];
	bool verified;
	qpc_date measured_on;
	char measured_by[QPC_TEXT_SHORT];
	bool stale;
	qpc_money sales_12m;
	struct qpc_share share;
};

struct qpc_detail_step {
	int position;
	char text[QPC_TEXT_NAME];
	bool ticked;
	char by[QPC_TEXT_SHORT];
	qpc_date on;
	char note[QPC_TEXT_NAME];
};

struct qpc_account_detail {
	struct qpc_browse_row row;
	char city[QPC_TEXT_SHORT], country[QPC_TEXT_SHORT];
	bool has_employees;
	int64_t employees;
	bool has_revenue;
	qpc_money annual_revenue;
	bool has_contract_value;
	qpc_money contract_value;
	bool has_rep_share;
	int32_t rep_share_bp;
	bool has_cost;
	qpc_money cost_to_serve;
	/* QPC by formula, as qpc_estimate_run makes it: size x the segment's
	 * factors, summed over the categories they cover. */
	bool has_estimate;
	qpc_money estimate;
	int estimate_accounts;      /* the fewest verified accounts a factor rests on */
	bool estimate_by_employees; /* else by annual revenue */
	int nlines, more_lines; /* lines shown; categories left out */
	struct qpc_detail_line lines[QPC_DETAIL_LINES];
	/* Sales per calendar month, oldest first; the last is as-of's month. */
	int first_year, first_month;
	qpc_money month_sales[QPC_DETAIL_MONTHS];
	bool candidate;
	qpc_date nominated_on;
	char nominated_by[QPC_TEXT_SHORT];
	char template_name[QPC_TEXT_SHORT];
	int nsteps;
	struct qpc_detail_step steps[QPC_DETAIL_STEPS];
};

enum qpc_rc qpc_browse_detail(struct qpc_browse *b, int64_t id, struct qpc_account_detail *d,
                              struct qpc_error *e);

struct qpc_history_row {
	int64_t id;
	char at[24];       /* when it was recorded, ISO 8601 UTC */
	qpc_date effective;
	char user[QPC_TEXT_SHORT];
	char entity[16];            /* "account", "potential", "tick", "trait" ... */
	char field[QPC_TEXT_SHORT]; /* "status", "qpc:Packaging", a checklist step ... */
	char old[QPC_TEXT_SHORT], new_[QPC_TEXT_SHORT];
};

/* The account's history by the date each change took effect, newest first
 * (ties: last recorded first): up to max entries older (NEXT) or newer
 * (PREV) than entry `from` (0: from the newest / the oldest). */
enum qpc_rc qpc_browse_history(struct qpc_browse *b, int64_t account_id,
                               const struct qpc_fetch *r, struct qpc_history_row *rows,
                               struct qpc_fetched *out, struct qpc_error *e);

/* --- candidates and goals ------------------------------------------------ */

struct qpc_candidate_row {
	int64_t account_id;
	char name[QPC_TEXT_NAME];
	char owner[QPC_TEXT_SHORT];
	enum qpc_status status;
	struct qpc_share share;
	qpc_date nominated_on;
	int ticked, steps;
	bool has_last_tick;
	qpc_date last_tick;
	bool graduated;        /* became a partner since the nomination */
	qpc_date graduated_on; /* the day it did, from the history */
};

/* Active candidates by name, a page at a time (from: an account id). */
enum qpc_rc qpc_browse_candidates(struct qpc_browse *b, const struct qpc_fetch *r,
                                  struct qpc_candidate_row *rows, struct qpc_fetched *out,
                                  struct qpc_error *e);

/* The orders the candidates list sorts by: its columns, left to right. */
enum qpc_cand_sort {
	QPC_CAND_BY_NAME,
	QPC_CAND_BY_OWNER,
	QPC_CAND_BY_STATUS,
	QPC_CAND_BY_SHARE,
	QPC_CAND_BY_PROGRESS, /* steps ticked, as a part of the checklist */
	QPC_CAND_BY_SINCE,    /* nominated on */
	QPC_CAND_BY_LAST_TICK,
	QPC_CAND_SORTS
};

/* The same in any of those orders, ties by account id; a `from` that is
 * no longer a candidate starts from the top. */
enum qpc_rc qpc_browse_candidates_by(struct qpc_browse *b, enum qpc_cand_sort by, bool desc,
                                     const struct qpc_fetch *r, struct qpc_candidate_row *rows,
                                     struct qpc_fetched *out, struct qpc_error *e);
enum qpc_rc qpc_browse_candidate_count(struct qpc_browse *b, int64_t *n, struct qpc_error *e);

/* The board: every active candidate's ticks, one bit per step position,
 * in one of these orders.  Reads at most max candidates (the first in the
 * order), so its cost is bounded by max, not by the team's size. */
enum qpc_board_order {
	QPC_BOARD_PROGRESS_DESC = 0, /* most of its checklist done first */
	QPC_BOARD_PROGRESS_ASC,
	QPC_BOARD_NAME,
	QPC_BOARD_SINCE,             /* nominated longest ago first */
	QPC_BOARD_ORDERS
};
#define QPC_BOARD_STEPS 32 /* positions the ticks bitmap holds */

struct qpc_board_row {
	int64_t account_id;
	char name[QPC_TEXT_NAME];
	enum qpc_status status;
	qpc_date nominated_on;
	int64_t template_id;
	int ticked, steps;
	uint32_t ticks; /* bit i: step i + 1 is ticked */
	uint32_t overdue; /* bit i: step i + 1 is open and was due before as-of */
};
enum qpc_rc qpc_browse_board(struct qpc_browse *b, enum qpc_board_order order,
                             struct qpc_board_row *rows, int max, int *n, struct qpc_error *e);

/* Suggested candidates: the accounts a concerted effort most likely makes
 * partners.  The pool is the customers (neither candidates nor partners)
 * among the QPC_SUGGEST_WALK largest QPCs whose share is at least 40% and
 * below the partner threshold, at most QPC_SUGGEST_POOL of them by QPC.
 * Each scores
 *   100 x share / threshold        (how near it is: 53..99)
 * + its sales trend, capped at +-30 (sales of the last 6 months against
 *                                    the 6 before, in %; 0 when unknown)
 * + 20 x QPC / the pool's largest QPC
 * and they come highest score first (ties: larger QPC). */
#define QPC_SUGGEST_WALK 20000
#define QPC_SUGGEST_POOL 300
#define QPC_SUGGEST_MIN_BP 4000

struct qpc_suggestion {
	struct qpc_browse_row row;
	bool has_trend;    /* false: no sales in the 6 months before */
	int32_t trend_pct; /* sales of the last 6 months against the 6 before, % */
	int score;
};
enum qpc_rc qpc_browse_suggestions(struct qpc_browse *b, struct qpc_suggestion *rows, int max,
                                   int *n, struct qpc_error *e);

/* Goals by year, up to max, with the partners made in each year. */
enum qpc_rc qpc_browse_goals(struct qpc_browse *b, struct qpc_goal *rows, int max, int *n,
                             struct qpc_error *e);
/* The years in which accounts became partners, oldest first, with how
 * many in `achieved` (target 0), whether or not the year has a goal. */
enum qpc_rc qpc_browse_partners_made(struct qpc_browse *b, struct qpc_goal *rows, int max,
                                     int *n, struct qpc_error *e);

/* A year's plan, owner by owner: the partners made in the year (counted
 * as the goal counts them, each under its owner today), those lost, and
 * the active candidates that could add to them, nearest the threshold
 * first.  A candidate is near the threshold when its share is below it by
 * at most QPC_NEAR_POINTS points.  Owners come in the names' order, ""
 * (accounts nobody owns) among them. */
#define QPC_NEAR_POINTS 15

struct qpc_plan_owner {
	char owner[QPC_TEXT_SHORT];
	int64_t made, lost;
	int candidates, near;
	int ticked, steps; /* over its candidates' checklists */
	int first;         /* its first candidate in qpc_plan.cands */
};

struct qpc_plan {
	/* set by the caller: where the owners and candidates go */
	struct qpc_plan_owner *owners;
	int max_owners;
	struct qpc_candidate_row *cands;
	int max_cands;
	/* the rest by qpc_browse_plan() */
	int year;
	bool has_goal;
	struct qpc_goal goal;
	int32_t threshold_bp;
	int nowners, ncands;
	int64_t candidates, near; /* every owner's, even beyond the arrays */
	bool cut;                 /* more owners or candidates than the arrays hold */
};
enum qpc_rc qpc_browse_plan(struct qpc_browse *b, int year, struct qpc_plan *p,
                            struct qpc_error *e);

/* --- the dashboard ------------------------------------------------------- */

enum qpc_share_bucket {
	QPC_BUCKET_0_25 = 0, /* [0, 25%) */
	QPC_BUCKET_25_50,
	QPC_BUCKET_50_75,
	QPC_BUCKET_75_100,   /* [75%, 100%] */
	QPC_BUCKET_OVER,     /* above 100%: QPC underestimated */
	QPC_BUCKET_COUNT
};

#define QPC_CURVE_POINTS 100
#define QPC_TOP_UNTAPPED 10

#define QPC_DASH_TRAITS 12
struct qpc_dashboard {
	struct qpc_report report;
	/* Customers (sales in 12 months, or partners) by share. */
	int64_t share_buckets[QPC_BUCKET_COUNT];
	int64_t share_unknown;   /* customers without a QPC */
	/* The profit curve: customers ranked by gross profit, largest first,
	 * cut into curve_n equal slices; curve_gp[i] is the gross profit of
	 * slices 0..i together, curve_partners[i] the partners in slice i. */
	int64_t curve_customers;
	int64_t curve_unknown; /* customers left out: their gross profit is unknown */
	int curve_n;
	qpc_money curve_gp[QPC_CURVE_POINTS];
	int64_t curve_partners[QPC_CURVE_POINTS];
	int ntop;                /* accounts with the most untapped potential */
	struct qpc_browse_row top[QPC_TOP_UNTAPPED];
	/* watch.h in sum: the partners at risk, the first month one would
	 * cross, and the team's median gap between the reps' estimates and
	 * the measured shares, on `estimates_measured` of `estimates` */
	int64_t at_risk;
	qpc_date first_crossing;
	int64_t estimates, estimates_measured;
	double estimate_gap_points;
	/* traits.h: partners against the other customers on each trait */
	int ntraits;
	struct qpc_trait_compare traits[QPC_DASH_TRAITS];
};

/* Everything the dashboard shows.  Reads every account: seconds at a
 * million accounts, most of it qpc_store_report's walk in name order.
 * The report in it has the partners confirmed and provisional by reason. */
enum qpc_rc qpc_browse_dashboard(struct qpc_browse *b, struct qpc_dashboard *d,
                                 struct qpc_error *e);

/* The dashboard's trend: partners and share of QPC at the last month
 * ends, as qpc_store_trend() computes them (`qpc trend`). */
#define QPC_DASH_MONTHS 24

struct qpc_dash_trend {
	qpc_date as_of;
	int n; /* points, oldest first; the last one at as_of */
	struct qpc_trend_point pts[QPC_DASH_MONTHS];
};

/* The trend reads whole tables (seconds at a million accounts) and cannot
 * be cut into steps, so it runs in a thread on a read-only connection of
 * its own, and the caller keeps answering keys.  It sees what was
 * committed when it started. */
struct qpc_trend_job;
/* Starts computing the last `months` points (1..QPC_DASH_MONTHS) up to
 * the session's date. */
enum qpc_rc qpc_browse_trend_start(struct qpc_browse *b, int months, struct qpc_trend_job **out,
                                   struct qpc_error *e);
/* False while it runs; then true, with its result: QPC_OK and t filled,
 * or the error in e. */
bool qpc_trend_job_done(struct qpc_trend_job *j, struct qpc_dash_trend *t, enum qpc_rc *rc,
                        struct qpc_error *e);
/* Stops the job if it still runs (its queries are interrupted, so this
 * returns at once) and frees it.  NULL is fine. */
void qpc_trend_job_free(struct qpc_trend_job *j);

#endif
