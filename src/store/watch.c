/* watch.c — partners at risk and the reps' estimate gap, at any date.
 *
 * One walk over every account's figures at the date (main's cached
 * figures when the date is theirs, else the dated facts: st_figures_at)
 * picks the partners by share and the shares of the accounts a rep
 * estimated; the report's own walk hands them over (qpc_store_report_watch)
 * so that nothing is read twice.  Each partner's sales are summed by month
 * along the sales index as it comes, inside the walk's read: a few range
 * sums each, and partners are a few percent of the customers.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "qpc/namekey.h"
#include "qpc/watch.h"

/* An account a rep estimated, with its share at the date. */
struct est {
	int64_t id;
	int32_t bp;    /* the estimate in force at the date */
	uint32_t owner; /* in st_watch.owners */
	struct qpc_share share;
};

/* An estimate changed after the date: what it was before (-1: none). */
struct later {
	int64_t id;
	int32_t bp;
};

struct st_watch {
	struct qpc_store *st;
	qpc_date as_of;
	int32_t threshold_bp;
	struct later *later;
	size_t nlater;
	struct est *est;
	size_t nest, capest;
	/* the owners named, each once: a team has a few, its accounts many */
	char **owners;
	size_t nowners, capowners, last_owner;
	/* the partners by share, those not projected, those at risk */
	int64_t partners, unprojected;
	struct qpc_at_risk *risk;
	size_t nrisk, caprisk;
};

static enum qpc_rc month_sums(struct qpc_store *st, int64_t id, qpc_date as_of,
                              struct qpc_projection_in *in, int64_t *lines,
                              struct qpc_error *e);

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

static int later_by_id(const void *a, const void *b)
{
	const struct later *x = a, *y = b;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* The first change after the date of each account's estimate: its old
 * value held at the date.  None when the date is today or later. */
static enum qpc_rc load_later(struct qpc_store *st, struct st_watch *w, struct qpc_error *e)
{
	if (w->as_of >= st_today(st))
		return QPC_OK;
	struct st_q *s;
	/* along history_estimate; the first change after the date of each
	 * account is the one kept */
	enum qpc_rc rc = st_q_prepare(st, &s,
	                              "SELECT account_id, old FROM history"
	                              " WHERE field = 'rep_share_estimate_bp' AND effective > ?1"
	                              " ORDER BY account_id, effective, id",
	                              e);
	if (rc)
		return rc;
	char day[QPC_DATE_ISO_LEN];
	st_q_text(s, 1, qpc_date_format(w->as_of, day));
	size_t cap = 0;
	int r;
	while (!rc && (r = st_q_step(s)) == ST_ROW) {
		int64_t id = st_q_int_at(s, 0);
		if (w->nlater && w->later[w->nlater - 1].id == id)
			continue;
		if (!grow((void **)&w->later, &cap, w->nlater, sizeof *w->later)) {
			rc = qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
			break;
		}
		const char *old = st_q_text_at(s, 1);
		w->later[w->nlater++] = (struct later){ id, old ? (int)strtol(old, NULL, 10) : -1 };
	}
	if (!rc && r != ST_DONE)
		rc = st_q_fail(s, "reading the reps' estimates", e);
	st_q_free(s);
	return rc;
}

enum qpc_rc st_watch_begin(struct qpc_store *st, qpc_date as_of, int32_t threshold_bp,
                           struct st_watch **out, struct qpc_error *e)
{
	struct st_watch *w = calloc(1, sizeof *w);
	*out = NULL;
	if (!w)
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	w->st = st;
	w->as_of = as_of;
	w->threshold_bp = threshold_bp;
	enum qpc_rc rc = load_later(st, w, e);
	if (rc) {
		st_watch_free(w);
		return rc;
	}
	*out = w;
	return QPC_OK;
}

void st_watch_free(struct st_watch *w)
{
	if (!w)
		return;
	for (size_t i = 0; i < w->nowners; i++)
		free(w->owners[i]);
	free(w->owners);
	free(w->est);
	free(w->risk);
	free(w->later);
	free(w);
}

/* The owner's number, the one before first (accounts come in runs). */
static enum qpc_rc owner_of(struct st_watch *w, const char *owner, uint32_t *out,
                            struct qpc_error *e)
{
	if (!owner)
		owner = "";
	if (w->last_owner < w->nowners && strcmp(w->owners[w->last_owner], owner) == 0) {
		*out = (uint32_t)w->last_owner;
		return QPC_OK;
	}
	for (size_t i = 0; i < w->nowners; i++)
		if (strcmp(w->owners[i], owner) == 0) {
			*out = (uint32_t)(w->last_owner = i);
			return QPC_OK;
		}
	if (!grow((void **)&w->owners, &w->capowners, w->nowners, sizeof *w->owners) ||
	    !(w->owners[w->nowners] = strdup(owner)))
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	*out = (uint32_t)(w->last_owner = w->nowners++);
	return QPC_OK;
}

enum qpc_rc st_watch_add(struct st_watch *w, int64_t id, const char *owner, bool has_estimate,
                         int32_t estimate_bp, const struct qpc_account_figures *f,
                         struct qpc_error *e)
{
	struct later key = { .id = id }, *l =
		w->nlater ? bsearch(&key, w->later, w->nlater, sizeof *w->later, later_by_id) : NULL;
	int32_t bp = l ? l->bp : has_estimate ? estimate_bp : -1;
	if (bp >= 0) {
		if (!grow((void **)&w->est, &w->capest, w->nest, sizeof *w->est))
			return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
		struct est *x = &w->est[w->nest];
		*x = (struct est){ .id = id, .bp = bp, .share = f->share };
		enum qpc_rc rc = owner_of(w, owner, &x->owner, e);
		if (rc)
			return rc;
		w->nest++;
	}
	/* a partner by share: one by contract alone has no share to lose.
	 * Its sales by month are read now, in the walk's read transaction:
	 * the projection sees the state the figures do. */
	if (f->status != QPC_PARTNER || f->sales_12m <= 0 || f->share.kind == QPC_SHARE_UNDEFINED ||
	    f->share.bp < w->threshold_bp)
		return QPC_OK;
	w->partners++;
	struct qpc_projection_in in = { .qpc = f->qpc };
	int64_t lines = 0;
	enum qpc_rc rc = month_sums(w->st, id, w->as_of, &in, &lines, e);
	if (rc)
		return rc;
	if (lines == 0) { /* its sales are the account's 12-month figure */
		w->unprojected++;
		return QPC_OK;
	}
	int month = qpc_month_under(&in, w->threshold_bp);
	if (!month)
		return QPC_OK;
	if (!grow((void **)&w->risk, &w->caprisk, w->nrisk, sizeof *w->risk))
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	w->risk[w->nrisk++] = (struct qpc_at_risk){
		.id = id, .share = f->share, .projected = qpc_share_ahead(&in, QPC_AHEAD_MONTHS),
		.month = month, .crosses = qpc_date_add_months(w->as_of, month)
	};
	return QPC_OK;
}

static enum qpc_rc add_fig(struct qpc_store *st, const struct st_fig *g, struct st_q *row,
                           void *ctx, struct qpc_error *e)
{
	(void)st;
	return st_watch_add(ctx, g->id, st_q_text_at(row, SC_OWNER), !st_q_null_at(row, SC_REP),
	                    (int32_t)st_q_int_at(row, SC_REP), &g->f, e);
}

/* Every account's figures at the date, as the report reads them. */
static enum qpc_rc walk_figures(struct qpc_store *st, struct st_watch *w, qpc_date as_of,
                                struct qpc_error *e)
{
	st_view_current(st);
	bool cached = st->has_figures && st->figures_as_of == as_of && !st->figures_kept;
	bool copied = st->shadow && st->shadow_date == as_of;
	if (!cached && !copied)
		return st_figures_at(st, as_of, 0, ST_WALK_LEAN, add_fig, w, e);
	sqlite3_stmt *s;
	enum qpc_rc rc = st_prepare(st, &s,
	                            copied ? "SELECT id, qpc IS NOT NULL, qpc, sales_12m, status,"
	                                     " owner, rep_share_bp FROM account"
	                                   : "SELECT id, qpc IS NOT NULL, qpc, sales_12m, status,"
	                                     " owner, rep_share_bp FROM main.account",
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
		rc = st_watch_add(w, sqlite3_column_int64(s, 0), (const char *)sqlite3_column_text(s, 5),
		                  sqlite3_column_type(s, 6) != SQLITE_NULL, sqlite3_column_int(s, 6), &f,
		                  e);
	}
	if (!rc && r != SQLITE_DONE)
		rc = st_fail(st, e, "reading account figures");
	sqlite3_finalize(s);
	return rc;
}

/* An account's id, name and owner, as today's row holds them. */
static enum qpc_rc names_of(struct qpc_store *st, int64_t id, char *ext, char *name,
                            char *owner, struct qpc_error *e)
{
	struct st_q *s;
	enum qpc_rc rc = st_q_cached(st, &s,
	                             "SELECT coalesce(external_id, ''), name, owner FROM main.account"
	                             " WHERE id = ?1",
	                             e);
	if (rc)
		return rc;
	st_q_int(s, 1, id);
	int r = st_q_step(s);
	if (r == ST_ROW) {
		st_q_copy_at(s, 0, ext, QPC_TEXT_SHORT);
		st_q_copy_at(s, 1, name, QPC_TEXT_NAME);
		if (owner)
			st_q_copy_at(s, 2, owner, QPC_TEXT_SHORT);
	} else if (r != ST_DONE) {
		rc = st_q_fail(s, "reading an account", e);
	}
	st_q_free(s);
	return rc;
}

/* One partner's sales by the months the projection needs: the window,
 * its last three months, and what leaves it in each of the next three. */
static enum qpc_rc month_sums(struct qpc_store *st, int64_t id, qpc_date as_of,
                              struct qpc_projection_in *in, int64_t *lines, struct qpc_error *e)
{
	static const char sql[] =
		"SELECT coalesce(sum(amount), 0), coalesce(sum(amount) FILTER (WHERE date > ?3), 0),"
		" coalesce(sum(amount) FILTER (WHERE date <= ?4), 0),"
		" coalesce(sum(amount) FILTER (WHERE date <= ?5), 0),"
		" coalesce(sum(amount) FILTER (WHERE date <= ?6), 0), count(*)"
		" FROM sale WHERE account_id = ?1 AND date > ?2 AND date <= ?7";
	struct st_q *s;
	enum qpc_rc rc = st_q_cached(st, &s, sql, e);
	if (rc)
		return rc;
	qpc_date from = qpc_window_start(as_of);
	char day[QPC_DATE_ISO_LEN];
	st_q_int(s, 1, id);
	st_q_text(s, 2, qpc_date_format(from, day));
	st_q_text(s, 3, qpc_date_format(qpc_date_add_months(as_of, -QPC_AHEAD_MONTHS), day));
	for (int k = 1; k <= QPC_AHEAD_MONTHS; k++)
		st_q_text(s, 3 + k, qpc_date_format(qpc_date_add_months(from, k), day));
	st_q_text(s, 7, qpc_date_format(as_of, day));
	if (st_q_step(s) == ST_ROW) {
		in->sales_12m = st_q_int_at(s, 0);
		in->recent = st_q_int_at(s, 1);
		for (int k = 0; k < QPC_AHEAD_MONTHS; k++)
			in->leaving[k] = st_q_int_at(s, 2 + k);
		*lines = st_q_int_at(s, 5);
	} else {
		rc = st_q_fail(s, "summing a partner's sales by month", e);
	}
	st_q_free(s);
	return rc;
}

static int nearest_first(const void *a, const void *b)
{
	const struct qpc_at_risk *x = a, *y = b;
	if (x->projected.bp != y->projected.bp)
		return x->projected.bp < y->projected.bp ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

/* The partners at risk, named when asked, nearest the threshold first. */
static enum qpc_rc at_risk(struct qpc_store *st, struct st_watch *w, struct qpc_watch *out,
                           bool named, struct qpc_error *e)
{
	out->partners = w->partners;
	out->unprojected = w->unprojected;
	out->risk = w->risk; /* taken */
	out->nrisk = w->nrisk;
	w->risk = NULL;
	w->nrisk = 0;
	for (size_t i = 0; named && i < out->nrisk; i++) {
		struct qpc_at_risk *r = &out->risk[i];
		enum qpc_rc rc = names_of(st, r->id, r->external_id, r->name, r->owner, e);
		if (rc)
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

/* By owner (grouped; gaps() puts the groups in the names' order), then
 * measured before not, then by gap. */
static int by_owner_gap(const void *a, const void *b)
{
	const struct est *x = a, *y = b;
	if (x->owner != y->owner)
		return x->owner < y->owner ? -1 : 1;
	bool mx = x->share.kind != QPC_SHARE_UNDEFINED;
	bool my = y->share.kind != QPC_SHARE_UNDEFINED;
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
static enum qpc_rc team_gap(struct st_watch *w, struct qpc_watch *out, struct qpc_error *e)
{
	int32_t *g = malloc((w->nest ? w->nest : 1) * sizeof *g);
	if (!g)
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	size_t m = 0;
	for (size_t i = 0; i < w->nest; i++)
		if (w->est[i].share.kind != QPC_SHARE_UNDEFINED)
			g[m++] = gap_of(&w->est[i]);
	qsort(g, m, sizeof *g, by_value);
	out->team.estimates = (int64_t)w->nest;
	out->team.measured = (int64_t)m;
	if (m)
		out->team.median_points = median_points(g, m);
	free(g);
	return QPC_OK;
}

static int by_owner_name(const void *a, const void *b)
{
	const struct qpc_gap_owner *x = a, *y = b;
	int c = qpc_name_cmp(x->owner, strlen(x->owner), y->owner, strlen(y->owner));
	return c ? c : strcmp(x->owner, y->owner);
}

static enum qpc_rc gaps(struct qpc_store *st, struct st_watch *w, struct qpc_watch *out,
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
		while (j < w->nest && w->est[j].owner == w->est[i].owner) {
			if (w->est[j].share.kind != QPC_SHARE_UNDEFINED)
				m++;
			j++;
		}
		if (!grow((void **)&out->owners, &cap, out->nowners, sizeof *out->owners))
			return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
		struct qpc_gap_owner *o = &out->owners[out->nowners++];
		memset(o, 0, sizeof *o);
		snprintf(o->owner, sizeof o->owner, "%s", w->owners[w->est[i].owner]);
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
	qsort(out->owners, out->nowners, sizeof *out->owners, by_owner_name);
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

enum qpc_rc st_watch_end(struct qpc_store *st, struct st_watch *w, bool named,
                         struct qpc_watch *out, struct qpc_error *e)
{
	memset(out, 0, sizeof *out);
	out->as_of = w->as_of;
	out->threshold_bp = w->threshold_bp;
	enum qpc_rc rc = at_risk(st, w, out, named, e);
	if (!rc)
		rc = gaps(st, w, out, e);
	st_watch_free(w);
	if (rc)
		qpc_watch_free(out);
	return rc;
}

enum qpc_rc qpc_store_watch(struct qpc_store *st, qpc_date as_of, bool named,
                            struct qpc_watch *out, struct qpc_error *e)
{
	memset(out, 0, sizeof *out);
	struct st_watch *w = NULL;
	int32_t threshold_bp;
	enum qpc_rc rc = qpc_store_threshold_at(st, as_of, &threshold_bp, e);
	if (!rc && !(rc = st_watch_begin(st, as_of, threshold_bp, &w, e)) &&
	    !(rc = walk_figures(st, w, as_of, e)))
		rc = st_watch_end(st, w, named, out, e);
	else
		st_watch_free(w);
	return rc;
}
