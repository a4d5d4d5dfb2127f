/* watch.c — partners at risk and the reps' estimate gap, at any date.
 *
 * One walk over every account's figures at the date (main's cached
 * figures when the date is theirs, else the dated facts: st_figures_at)
 * picks the partners by share and the shares of the accounts a rep
 * estimated.  Each partner's sales are then summed by month along the
 * sales index, a few range sums each: partners are a few percent of the
 * customers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "qpc/namekey.h"
#include "qpc/watch.h"

/* An account a rep estimated, with its share once the walk has seen it. */
struct est {
	int64_t id;
	int32_t bp;   /* the estimate in force at the date; -1: none */
	int later;    /* 1: taken from a change after the date */
	char *owner;
	bool seen;
	struct qpc_share share;
};

struct partner {
	int64_t id;
	qpc_money qpc;
	struct qpc_share share;
};

struct walk {
	struct est *est;
	size_t nest, capest;
	struct partner *p;
	size_t np, capp;
	int32_t threshold_bp;
};

static bool grow(void **v, size_t *cap, size_t n, size_t size)
{
	if (n < *cap)
		return true;
	size_t c = *cap ? 2 * *cap : 64;
	void *g = realloc(*v, c * size);
	if (!g)
		return false;
	*v = g;
	*cap = c;
	return true;
}

static int by_id_then_later(const void *a, const void *b)
{
	const struct est *x = a, *y = b;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return y->later - x->later;
}

static struct est *est_find(struct walk *w, int64_t id)
{
	size_t lo = 0, hi = w->nest;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (w->est[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < w->nest && w->est[lo].id == id ? &w->est[lo] : NULL;
}

static enum qpc_rc est_push(struct walk *w, sqlite3_stmt *s, int later, struct qpc_error *e)
{
	if (!grow((void **)&w->est, &w->capest, w->nest, sizeof *w->est))
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	const char *owner = (const char *)sqlite3_column_text(s, 1);
	struct est *x = &w->est[w->nest];
	*x = (struct est){ .id = sqlite3_column_int64(s, 0),
		           .bp = sqlite3_column_type(s, 2) == SQLITE_NULL ? -1
		                                                          : sqlite3_column_int(s, 2),
		           .later = later, .owner = strdup(owner ? owner : "") };
	if (!x->owner)
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	w->nest++;
	return QPC_OK;
}

static enum qpc_rc est_read(struct qpc_store *st, struct walk *w, const char *sql, qpc_date as_of,
                            int later, struct qpc_error *e)
{
	sqlite3_stmt *s;
	enum qpc_rc rc = st_prepare(st, &s, sql, e);
	if (rc)
		return rc;
	if (later)
		st_bind_date(s, 1, as_of);
	int r;
	while (!rc && (r = sqlite3_step(s)) == SQLITE_ROW)
		rc = est_push(w, s, later, e);
	if (!rc && r != SQLITE_DONE)
		rc = st_fail(st, e, "reading the reps' estimates");
	sqlite3_finalize(s);
	return rc;
}

/* The estimates in force at the date: today's, except where a change
 * dated after it says what it was before (its old value: none, or one). */
static enum qpc_rc estimates(struct qpc_store *st, struct walk *w, qpc_date as_of,
                             struct qpc_error *e)
{
	enum qpc_rc rc = est_read(st, w,
	                          "SELECT id, owner, rep_share_bp FROM main.account"
	                          " WHERE rep_share_bp IS NOT NULL",
	                          as_of, 0, e);
	/* the first change after the date, per account: what held at it */
	if (!rc && as_of < st_today(st))
		rc = est_read(st, w,
		              "SELECT h.account_id, a.owner, CAST(h.old AS INTEGER) FROM history h"
		              " JOIN main.account a ON a.id = h.account_id"
		              " WHERE h.field = 'rep_share_estimate_bp' AND h.effective > ?1"
		              " AND h.id = (SELECT g.id FROM history g WHERE g.account_id = h.account_id"
		              " AND g.field = h.field AND g.effective > ?1"
		              " ORDER BY g.effective, g.id LIMIT 1)",
		              as_of, 1, e);
	if (rc)
		return rc;
	if (w->nest)
		qsort(w->est, w->nest, sizeof *w->est, by_id_then_later);
	size_t k = 0;
	for (size_t i = 0; i < w->nest; i++) {
		if ((i > 0 && w->est[i].id == w->est[i - 1].id) || w->est[i].bp < 0) {
			free(w->est[i].owner);
			continue;
		}
		w->est[k++] = w->est[i];
	}
	w->nest = k;
	return QPC_OK;
}

static enum qpc_rc seen(struct walk *w, int64_t id, const struct qpc_account_figures *f,
                        struct qpc_error *e)
{
	struct est *x = est_find(w, id);
	if (x) {
		x->seen = true;
		x->share = f->share;
	}
	/* a partner by share: one by contract alone has no share to lose */
	if (f->status != QPC_PARTNER || f->sales_12m <= 0 || f->share.kind == QPC_SHARE_UNDEFINED ||
	    f->share.bp < w->threshold_bp)
		return QPC_OK;
	if (!grow((void **)&w->p, &w->capp, w->np, sizeof *w->p))
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	w->p[w->np++] = (struct partner){ .id = id, .qpc = f->qpc, .share = f->share };
	return QPC_OK;
}

static enum qpc_rc seen_fig(struct qpc_store *st, const struct st_fig *g, sqlite3_stmt *row,
                            void *ctx, struct qpc_error *e)
{
	(void)st;
	(void)row;
	return seen(ctx, g->id, &g->f, e);
}

/* Every account's figures at the date, as the report reads them. */
static enum qpc_rc walk_figures(struct qpc_store *st, struct walk *w, qpc_date as_of,
                                struct qpc_error *e)
{
	st_view_current(st);
	bool cached = st->has_figures && st->figures_as_of == as_of && !st->figures_kept;
	bool copied = st->shadow && st->shadow_date == as_of;
	if (!cached && !copied)
		return st_figures_at(st, as_of, 0, false, seen_fig, w, e);
	sqlite3_stmt *s;
	enum qpc_rc rc = st_prepare(st, &s,
	                            copied ? "SELECT id, qpc IS NOT NULL, qpc, sales_12m, status"
	                                     " FROM account"
	                                   : "SELECT id, qpc IS NOT NULL, qpc, sales_12m, status"
	                                     " FROM main.account",
	                            e);
	if (rc)
		return rc;
	int r;
	while (!rc && (r = sqlite3_step(s)) == SQLITE_ROW) {
		struct qpc_account_figures f = { .qpc_measured = sqlite3_column_int(s, 1),
			                         .qpc = sqlite3_column_int64(s, 2),
			                         .sales_12m = sqlite3_column_int64(s, 3) };
		f.share = qpc_share_of(f.sales_12m, f.qpc_measured, f.qpc);
		if (!qpc_status_parse((const char *)sqlite3_column_text(s, 4), &f.status))
			f.status = QPC_PROSPECT;
		rc = seen(w, sqlite3_column_int64(s, 0), &f, e);
	}
	if (!rc && r != SQLITE_DONE)
		rc = st_fail(st, e, "reading account figures");
	sqlite3_finalize(s);
	return rc;
}

static void copy_text(char *dst, size_t size, sqlite3_stmt *s, int col)
{
	const char *t = (const char *)sqlite3_column_text(s, col);
	snprintf(dst, size, "%s", t ? t : "");
}

/* An account's id, name and owner, as today's row holds them. */
static enum qpc_rc names_of(struct qpc_store *st, int64_t id, char *ext, char *name,
                            char *owner, struct qpc_error *e)
{
	sqlite3_stmt *s;
	enum qpc_rc rc = st_cached(st, &s,
	                           "SELECT ifnull(external_id, ''), name, owner FROM main.account"
	                           " WHERE id = ?1",
	                           e);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, id);
	int r = sqlite3_step(s);
	if (r == SQLITE_ROW) {
		copy_text(ext, QPC_TEXT_SHORT, s, 0);
		copy_text(name, QPC_TEXT_NAME, s, 1);
		if (owner)
			copy_text(owner, QPC_TEXT_SHORT, s, 2);
	} else if (r != SQLITE_DONE) {
		rc = st_fail(st, e, "reading an account");
	}
	sqlite3_reset(s);
	return rc;
}

/* One partner's sales by the months the projection needs: the window,
 * its last three months, and what leaves it in each of the next three. */
static enum qpc_rc month_sums(struct qpc_store *st, int64_t id, qpc_date as_of,
                              struct qpc_projection_in *in, int64_t *lines, struct qpc_error *e)
{
	static const char sql[] =
		"SELECT ifnull(sum(amount), 0), ifnull(sum(amount) FILTER (WHERE date > ?3), 0),"
		" ifnull(sum(amount) FILTER (WHERE date <= ?4), 0),"
		" ifnull(sum(amount) FILTER (WHERE date <= ?5), 0),"
		" ifnull(sum(amount) FILTER (WHERE date <= ?6), 0), count(*)"
		" FROM sale WHERE account_id = ?1 AND date > ?2 AND date <= ?7";
	sqlite3_stmt *s;
	enum qpc_rc rc = st_cached(st, &s, sql, e);
	if (rc)
		return rc;
	qpc_date from = qpc_window_start(as_of);
	sqlite3_bind_int64(s, 1, id);
	st_bind_date(s, 2, from);
	st_bind_date(s, 3, qpc_date_add_months(as_of, -QPC_AHEAD_MONTHS));
	for (int k = 1; k <= QPC_AHEAD_MONTHS; k++)
		st_bind_date(s, 3 + k, qpc_date_add_months(from, k));
	st_bind_date(s, 7, as_of);
	if (sqlite3_step(s) == SQLITE_ROW) {
		in->sales_12m = sqlite3_column_int64(s, 0);
		in->recent = sqlite3_column_int64(s, 1);
		for (int k = 0; k < QPC_AHEAD_MONTHS; k++)
			in->leaving[k] = sqlite3_column_int64(s, 2 + k);
		*lines = sqlite3_column_int64(s, 5);
	} else {
		rc = st_fail(st, e, "summing a partner's sales by month");
	}
	sqlite3_reset(s);
	return rc;
}

static int nearest_first(const void *a, const void *b)
{
	const struct qpc_at_risk *x = a, *y = b;
	if (x->projected.bp != y->projected.bp)
		return x->projected.bp < y->projected.bp ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

static enum qpc_rc at_risk(struct qpc_store *st, struct walk *w, struct qpc_watch *out,
                           struct qpc_error *e)
{
	out->partners = (int64_t)w->np;
	size_t cap = 0;
	for (size_t i = 0; i < w->np; i++) {
		struct qpc_projection_in in = { .qpc = w->p[i].qpc };
		int64_t lines = 0;
		enum qpc_rc rc = month_sums(st, w->p[i].id, out->as_of, &in, &lines, e);
		if (rc)
			return rc;
		if (lines == 0) { /* its sales are the account's 12-month figure */
			out->unprojected++;
			continue;
		}
		int month = qpc_month_under(&in, out->threshold_bp);
		if (!month)
			continue;
		if (!grow((void **)&out->risk, &cap, out->nrisk, sizeof *out->risk))
			return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
		struct qpc_at_risk *r = &out->risk[out->nrisk++];
		memset(r, 0, sizeof *r);
		r->id = w->p[i].id;
		r->share = w->p[i].share;
		r->projected = qpc_share_ahead(&in, QPC_AHEAD_MONTHS);
		r->month = month;
		r->crosses = qpc_date_add_months(out->as_of, month);
		if ((rc = names_of(st, r->id, r->external_id, r->name, r->owner, e)))
			return rc;
	}
	if (out->nrisk)
		qsort(out->risk, out->nrisk, sizeof *out->risk, nearest_first);
	return QPC_OK;
}

static int32_t gap_of(const struct est *x)
{
	return x->bp - x->share.bp;
}

/* By owner in the names' order, then measured before not, then by gap. */
static int by_owner_gap(const void *a, const void *b)
{
	const struct est *x = a, *y = b;
	int c = qpc_name_cmp(x->owner, strlen(x->owner), y->owner, strlen(y->owner));
	if (c)
		return c;
	if (c = strcmp(x->owner, y->owner), c)
		return c;
	bool mx = x->seen && x->share.kind != QPC_SHARE_UNDEFINED;
	bool my = y->seen && y->share.kind != QPC_SHARE_UNDEFINED;
	if (mx != my)
		return mx ? -1 : 1;
	if (!mx)
		return 0;
	int32_t gx = gap_of(x), gy = gap_of(y);
	return gx < gy ? -1 : gx > gy;
}

static int32_t abs32(int32_t v)
{
	return v < 0 ? -v : v;
}

static int by_value(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
	return x < y ? -1 : x > y;
}

/* The median of n sorted gaps, in points. */
static double median_points(const int32_t *g, size_t n)
{
	size_t hi = n / 2, lo = n % 2 ? hi : hi - 1;
	return ((double)g[lo] + g[hi]) / 200.0;
}

/* The team's: every measured gap, whoever's. */
static enum qpc_rc team_gap(struct walk *w, struct qpc_watch *out, struct qpc_error *e)
{
	int32_t *g = malloc((w->nest ? w->nest : 1) * sizeof *g);
	if (!g)
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	size_t m = 0;
	for (size_t i = 0; i < w->nest; i++)
		if (w->est[i].seen && w->est[i].share.kind != QPC_SHARE_UNDEFINED)
			g[m++] = gap_of(&w->est[i]);
	qsort(g, m, sizeof *g, by_value);
	out->team.estimates = (int64_t)w->nest;
	out->team.measured = (int64_t)m;
	if (m)
		out->team.median_points = median_points(g, m);
	free(g);
	return QPC_OK;
}

static enum qpc_rc gaps(struct qpc_store *st, struct walk *w, struct qpc_watch *out,
                        struct qpc_error *e)
{
	if (!w->nest)
		return QPC_OK;
	enum qpc_rc rc0 = team_gap(w, out, e);
	if (rc0)
		return rc0;
	qsort(w->est, w->nest, sizeof *w->est, by_owner_gap);
	size_t cap = 0;
	for (size_t i = 0; i < w->nest;) {
		size_t j = i, m = 0;
		while (j < w->nest && strcmp(w->est[j].owner, w->est[i].owner) == 0) {
			if (w->est[j].seen && w->est[j].share.kind != QPC_SHARE_UNDEFINED)
				m++;
			j++;
		}
		if (!grow((void **)&out->owners, &cap, out->nowners, sizeof *out->owners))
			return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
		struct qpc_gap_owner *o = &out->owners[out->nowners++];
		memset(o, 0, sizeof *o);
		snprintf(o->owner, sizeof o->owner, "%s", w->est[i].owner);
		o->estimates = (int64_t)(j - i);
		o->measured = (int64_t)m;
		/* the measured ones come first, sorted by gap */
		const struct est *g = &w->est[i];
		if (m) {
			size_t hi = m / 2, lo = m % 2 ? hi : hi - 1;
			o->median_points = ((double)gap_of(&g[lo]) + gap_of(&g[hi])) / 200.0;
		}
		/* the largest either way: from both ends of the sorted gaps */
		size_t lo = 0, hi = m;
		while (o->nlargest < QPC_GAP_LARGEST && lo < hi) {
			const struct est *x = abs32(gap_of(&g[hi - 1])) >= abs32(gap_of(&g[lo]))
			                              ? &g[--hi]
			                              : &g[lo++];
			struct qpc_gap_account *a = &o->largest[o->nlargest++];
			a->id = x->id;
			a->estimate_bp = x->bp;
			a->share = x->share;
			a->gap_bp = gap_of(x);
			enum qpc_rc rc = names_of(st, x->id, a->external_id, a->name, NULL, e);
			if (rc)
				return rc;
		}
		i = j;
	}
	return QPC_OK;
}

void qpc_watch_free(struct qpc_watch *w)
{
	free(w->risk);
	free(w->owners);
	w->risk = NULL;
	w->owners = NULL;
	w->nrisk = w->nowners = 0;
}

enum qpc_rc qpc_store_watch(struct qpc_store *st, qpc_date as_of, struct qpc_watch *out,
                            struct qpc_error *e)
{
	memset(out, 0, sizeof *out);
	out->as_of = as_of;
	struct walk w = { 0 };
	enum qpc_rc rc = qpc_store_threshold_at(st, as_of, &out->threshold_bp, e);
	w.threshold_bp = out->threshold_bp;
	/* one read: the estimates, the figures and the sums see one state */
	bool own = sqlite3_get_autocommit(st->db);
	if (!rc && own && (rc = st_exec(st, "BEGIN", e)))
		own = false;
	if (!rc)
		rc = estimates(st, &w, as_of, e);
	if (!rc)
		rc = walk_figures(st, &w, as_of, e);
	if (!rc)
		rc = at_risk(st, &w, out, e);
	if (!rc)
		rc = gaps(st, &w, out, e);
	if (own)
		sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
	for (size_t i = 0; i < w.nest; i++)
		free(w.est[i].owner);
	free(w.est);
	free(w.p);
	if (rc)
		qpc_watch_free(out);
	return rc;
}
