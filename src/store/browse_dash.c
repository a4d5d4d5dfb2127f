/* browse_dash.c — the dashboard: the report, the share distribution, the
 * profit curve and the largest untapped potentials; and the trend, in a
 * thread of its own. */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "browse_int.h"
#include "qpc/watch.h"

/* Customers as the KPIs count them: sales in the window, or partners;
 * word for word as account_by_gp's WHERE has it (schema.c, 10 -> 11). */
#define CUSTOMER ST_CUSTOMER("")

static enum qpc_rc buckets(struct qpc_browse *b, struct qpc_dashboard *d, struct qpc_error *e)
{
	static const char sql[] =
		"SELECT CASE WHEN share_bp IS NULL THEN -1 WHEN share_over <> 0 THEN 4"
		" WHEN share_bp < 2500 THEN 0 WHEN share_bp < 5000 THEN 1"
		" WHEN share_bp < 7500 THEN 2 ELSE 3 END, count(*)"
		" FROM account WHERE " CUSTOMER " GROUP BY 1";
	struct st_q *q;
	enum qpc_rc rc = st_q_prepare(b->st, &q, sql, e);
	if (rc)
		return rc;
	int r;
	while ((r = st_q_step(q)) == ST_ROW) {
		int64_t k = st_q_int_at(q, 0), n = st_q_int_at(q, 1);
		if (k >= 0 && k < QPC_BUCKET_COUNT)
			d->share_buckets[k] = n;
		else
			d->share_unknown += n;
	}
	if (r != ST_DONE)
		rc = st_q_fail(q, "reading the share distribution", e);
	st_q_free(q);
	return rc;
}

/* Walks the customers from the largest gross profit down, summing.
 * Those whose profit is unknown are left out, and counted apart. */
static enum qpc_rc curve(struct qpc_browse *b, struct qpc_dashboard *d, struct qpc_error *e)
{
	/* through the index, unless a bulk load's indexes wait (browse_int.h) */
	const char *from = br_unindexed(b) ? "account" : "account INDEXED BY account_by_gp";
	char sql[192], count_sql[192];
	snprintf(sql, sizeof sql,
	         "SELECT gp_12m, sort_status FROM %s WHERE " CUSTOMER " AND gp_known <> 0"
	         " ORDER BY gp_12m DESC",
	         from);
	snprintf(count_sql, sizeof count_sql,
	         "SELECT count(*) FILTER (WHERE gp_known <> 0), count(*) FROM %s WHERE " CUSTOMER,
	         from);
	struct st_q *q;
	enum qpc_rc rc = st_q_prepare(b->st, &q, count_sql, e);
	if (rc)
		return rc;
	int64_t n = 0;
	int r = st_q_step(q);
	if (r == ST_ROW) {
		n = st_q_int_at(q, 0);
		d->curve_unknown = st_q_int_at(q, 1) - n;
	} else if (r != ST_DONE) {
		rc = st_q_fail(q, "reading the profit curve", e);
	}
	st_q_free(q);
	if (rc)
		return rc;
	d->curve_customers = n;
	d->curve_n = n < QPC_CURVE_POINTS ? (int)n : QPC_CURVE_POINTS;
	if (n == 0)
		return QPC_OK;
	if ((rc = st_q_prepare(b->st, &q, sql, e)))
		return rc;
	qpc_money sum = 0;
	int64_t seen = 0;
	int slice = 0;
	while ((r = st_q_step(q)) == ST_ROW && seen < n) {
		qpc_money gp = st_q_int_at(q, 0);
		if (!qpc_money_add(sum, gp, &sum))
			sum = gp > 0 ? QPC_MONEY_MAX : -QPC_MONEY_MAX;
		seen++;
		/* slice i holds customers up to ceil((i + 1) * n / curve_n) */
		while (slice < d->curve_n - 1 &&
		       seen > ((int64_t)(slice + 1) * n + d->curve_n - 1) / d->curve_n)
			slice++;
		if (st_q_int_at(q, 1) == QPC_PARTNER)
			d->curve_partners[slice]++;
		d->curve_gp[slice] = sum;
	}
	if (r != ST_DONE && r != ST_ROW)
		rc = st_q_fail(q, "reading the profit curve", e);
	st_q_free(q);
	return rc;
}

enum qpc_rc qpc_browse_dashboard(struct qpc_browse *b, struct qpc_dashboard *d,
                                 struct qpc_error *e)
{
	memset(d, 0, sizeof *d);
	/* the session's date, for the report and the queries below alike
	 * (cheap when the connection is there already) */
	enum qpc_rc rc = b->st->pg ? br_ready(b, e) : qpc_store_refresh(b->st, b->as_of, e);
	if (rc && !qpc_store_keep_figures(b->st, rc))
		return rc;
	struct qpc_watch w;
	if ((rc = qpc_store_report_watch(b->st, b->as_of, &d->report, false, &w, e)))
		return rc;
	d->at_risk = (int64_t)w.nrisk;
	for (size_t i = 0; i < w.nrisk; i++)
		if (!d->first_crossing || w.risk[i].crosses < d->first_crossing)
			d->first_crossing = w.risk[i].crosses;
	d->estimates = w.team.estimates;
	d->estimates_measured = w.team.measured;
	d->estimate_gap_points = w.team.median_points;
	qpc_watch_free(&w);
	if ((rc = buckets(b, d, e)) || (rc = curve(b, d, e)) ||
	    (rc = qpc_store_trait_compare(b->st, b->as_of, d->traits, QPC_DASH_TRAITS, &d->ntraits,
	                                  e)))
		return rc;
	struct qpc_filter f;
	qpc_filter_init(&f);
	struct qpc_order o = { QPC_COL_UNTAPPED, true };
	struct qpc_fetch r = { .dir = QPC_NEXT, .max = QPC_TOP_UNTAPPED };
	struct qpc_fetched got;
	if ((rc = qpc_browse_fetch(b, &f, &o, &r, d->top, &got, e)))
		return rc;
	d->ntop = got.n;
	while (d->ntop > 0 && !d->top[d->ntop - 1].fig.untapped_known)
		d->ntop--; /* an unknown potential is not a top one */
	return QPC_OK;
}

/* --- the trend, off the caller's thread ---------------------------------- */

struct qpc_trend_job {
	pthread_t thread;
	pthread_mutex_t mu;
	struct qpc_store *st; /* the job's own connection: the thread's alone */
	qpc_date as_of;
	int months;
	atomic_bool stop;     /* read by the progress handler (a file's) */
	struct pg_cancel *cancel; /* a server's: stops its statement */
	bool done;            /* under mu, with what follows */
	enum qpc_rc rc;
	struct qpc_error err;
	struct qpc_dash_trend out;
};

static int collect(const struct qpc_trend_point *p, void *ctx)
{
	struct qpc_dash_trend *t = ctx;
	if (t->n < QPC_DASH_MONTHS)
		t->pts[t->n++] = *p;
	return 0;
}

/* SQLite asks every few thousand steps: a job told to stop ends its
 * statement there, and any it would start next. */
static int stopping(void *ctx)
{
	struct qpc_trend_job *j = ctx;
	return atomic_load(&j->stop);
}

static void *run_trend(void *arg)
{
	struct qpc_trend_job *j = arg;
	struct qpc_dash_trend out = { .as_of = j->as_of };
	struct qpc_error err = { 0 };
	enum qpc_rc rc = qpc_store_trend(j->st, j->as_of, j->months, collect, &out, &err);
	if (rc && atomic_load(&j->stop))
		rc = qpc_error_set(&err, QPC_ERR_IO, "the trend was stopped");
	pthread_mutex_lock(&j->mu);
	j->out = out;
	j->err = err;
	j->rc = rc;
	j->done = true;
	pthread_mutex_unlock(&j->mu);
	return NULL;
}

enum qpc_rc qpc_browse_trend_start(struct qpc_browse *b, int months, struct qpc_trend_job **out,
                                   struct qpc_error *e)
{
	*out = NULL;
	if (months < 1 || months > QPC_DASH_MONTHS)
		return qpc_error_set(e, QPC_ERR_USAGE, "the dashboard's trend covers 1 to %d months",
		                     QPC_DASH_MONTHS);
	struct qpc_trend_job *j = calloc(1, sizeof *j);
	if (!j)
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	j->as_of = b->as_of;
	j->months = months;
	atomic_init(&j->stop, false);
	/* Opened here, not in the thread: opening may configure SQLite, which
	 * must not race with this thread's use of it. */
	enum qpc_rc rc = qpc_store_open(b->st->path, QPC_OPEN_READONLY, &j->st, e);
	if (rc) {
		free(j);
		return rc;
	}
	/* A file's statements stop at SQLite's progress handler (the server
	 * has none: its statement is cancelled). */
	if (!j->st->pg)
		sqlite3_progress_handler(j->st->db, 1000, stopping, j);
	else if (!(j->cancel = st_pg_cancel_new(j->st))) {
		qpc_store_close(j->st);
		free(j);
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	}
	if (pthread_mutex_init(&j->mu, NULL) != 0) {
		st_pg_cancel_free(j->cancel);
		qpc_store_close(j->st);
		free(j);
		return qpc_error_set(e, QPC_ERR_NOMEM, "cannot start the trend: no mutex");
	}
	if (pthread_create(&j->thread, NULL, run_trend, j) != 0) {
		pthread_mutex_destroy(&j->mu);
		st_pg_cancel_free(j->cancel);
		qpc_store_close(j->st);
		free(j);
		return qpc_error_set(e, QPC_ERR_NOMEM, "cannot start the trend: no thread");
	}
	*out = j;
	return QPC_OK;
}

bool qpc_trend_job_done(struct qpc_trend_job *j, struct qpc_dash_trend *t, enum qpc_rc *rc,
                        struct qpc_error *e)
{
	pthread_mutex_lock(&j->mu);
	bool done = j->done;
	if (done) {
		*t = j->out;
		*rc = j->rc;
		if (j->rc)
			*e = j->err;
	}
	pthread_mutex_unlock(&j->mu);
	return done;
}

void qpc_trend_job_free(struct qpc_trend_job *j)
{
	if (!j)
		return;
	atomic_store(&j->stop, true);
	/* A cancel that came between two statements is lost: sent again
	 * until the trend has ended. */
	for (;;) {
		pthread_mutex_lock(&j->mu);
		bool done = j->done;
		pthread_mutex_unlock(&j->mu);
		if (done || !j->cancel)
			break;
		st_pg_cancel_send(j->cancel);
		nanosleep(&(struct timespec){ .tv_nsec = 20000000 }, NULL);
	}
	pthread_join(j->thread, NULL);
	pthread_mutex_destroy(&j->mu);
	st_pg_cancel_free(j->cancel);
	qpc_store_close(j->st);
	free(j);
}
