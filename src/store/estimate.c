/* estimate.c — calibrating factors on verified QPC lines, and applying
 * them to accounts nobody has measured. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "qpc/edit.h"
#include "qpc/estimate.h"

/* One (segment, category) group: ratios per employee and per unit of
 * revenue, then the factors made of them.  segment "" is every segment. */
struct group {
	char segment[64], category[96];
	double *emp, *rev;
	size_t nemp, nrev, capemp, caprev;
	bool has_emp, has_rev;
	struct qpc_factor femp, frev;
};

struct table {
	struct group *g;
	size_t n, cap;
};

static struct group *group_of(struct table *t, const char *segment, const char *category)
{
	for (size_t i = t->n; i-- > 0;)
		if (strcmp(t->g[i].segment, segment) == 0 && strcmp(t->g[i].category, category) == 0)
			return &t->g[i];
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 32;
		struct group *g = realloc(t->g, cap * sizeof *g);
		if (!g)
			return NULL;
		t->g = g;
		t->cap = cap;
	}
	struct group *g = &t->g[t->n++];
	memset(g, 0, sizeof *g);
	snprintf(g->segment, sizeof g->segment, "%s", segment);
	snprintf(g->category, sizeof g->category, "%s", category);
	return g;
}

static bool push(double **v, size_t *n, size_t *cap, double x)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 16;
		double *nv = realloc(*v, c * sizeof *nv);
		if (!nv)
			return false;
		*v = nv;
		*cap = c;
	}
	(*v)[(*n)++] = x;
	return true;
}

static void free_table(struct table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->g[i].emp);
		free(t->g[i].rev);
	}
	free(t->g);
}

static enum qpc_rc calibrate(struct qpc_store *st, struct table *t, struct qpc_error *e)
{
	/* in a stated order: the categories are listed in the order first seen */
	struct st_q *s;
	enum qpc_rc rc = st_q_prepare(st, &s,
	                              "SELECT a.segment, c.name, p.amount, a.employees,"
	                              " a.annual_revenue FROM potential p"
	                              " JOIN account a ON a.id = p.account_id"
	                              " JOIN category c ON c.id = p.category_id"
	                              " WHERE p.verified = 1 AND p.basis <> 'formula'"
	                              " ORDER BY p.account_id, p.category_id",
	                              e);
	if (rc)
		return rc;
	int r;
	while (!rc && (r = st_q_step(s)) == ST_ROW) {
		const char *seg = st_q_text_at(s, 0);
		const char *cat = st_q_text_at(s, 1);
		double amount = (double)st_q_int_at(s, 2);
		double emp = st_q_double_at(s, 3), rev = st_q_double_at(s, 4);
		for (int pass = 0; pass < 2 && !rc; pass++) {
			struct group *g = group_of(t, pass ? "" : seg ? seg : "", cat ? cat : "");
			if (!g ||
			    (emp > 0 && !push(&g->emp, &g->nemp, &g->capemp, amount / emp)) ||
			    (rev > 0 && !push(&g->rev, &g->nrev, &g->caprev, amount / rev)))
				rc = qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
		}
	}
	if (!rc && r != ST_DONE)
		rc = st_q_fail(s, "reading the verified QPC lines", e);
	st_q_free(s);
	for (size_t i = 0; !rc && i < t->n; i++) {
		struct group *g = &t->g[i];
		g->has_emp = qpc_factor_of(g->emp, g->nemp, &g->femp);
		g->has_rev = qpc_factor_of(g->rev, g->nrev, &g->frev);
	}
	return rc;
}

/* The best group for a segment and category: the segment's own, else all. */
static const struct group *best(const struct table *t, const char *segment, const char *category,
                                bool employees)
{
	const struct group *all = NULL;
	for (size_t i = 0; i < t->n; i++) {
		const struct group *g = &t->g[i];
		if (strcmp(g->category, category) != 0 || !(employees ? g->has_emp : g->has_rev))
			continue;
		if (segment[0] && strcmp(g->segment, segment) == 0)
			return g;
		if (!g->segment[0])
			all = g;
	}
	return all;
}

struct st_factors {
	struct table t;
};

enum qpc_rc st_factors_load(struct qpc_store *st, struct st_factors **out, struct qpc_error *e)
{
	*out = calloc(1, sizeof **out);
	if (!*out)
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	enum qpc_rc rc = calibrate(st, &(*out)->t, e);
	if (rc) {
		st_factors_free(*out);
		*out = NULL;
	}
	return rc;
}

void st_factors_free(struct st_factors *f)
{
	if (!f)
		return;
	free_table(&f->t);
	free(f);
}

int st_factors_for(const struct st_factors *f, const char *segment, struct st_cat_factor *out,
                   int max)
{
	const struct table *t = &f->t;
	int n = 0;
	/* every category some group knows, once, in the order first seen */
	for (size_t i = 0; i < t->n && n < max; i++) {
		const char *cat = t->g[i].category;
		bool seen = false;
		for (int k = 0; k < n && !seen; k++)
			/* cppcheck-suppress uninitvar ; out[0..n) are written below before n grows */
			seen = strcmp(out[k].category, cat) == 0;
		const struct group *ge = best(t, segment, cat, true), *gr = best(t, segment, cat, false);
		if (seen || (!ge && !gr))
			continue;
		struct st_cat_factor *c = &out[n++];
		memset(c, 0, sizeof *c);
		snprintf(c->category, sizeof c->category, "%s", cat);
		if ((c->has_emp = ge != NULL)) {
			c->emp = ge->femp;
			snprintf(c->emp_segment, sizeof c->emp_segment, "%s", ge->segment);
		}
		if ((c->has_rev = gr != NULL)) {
			c->rev = gr->frev;
			snprintf(c->rev_segment, sizeof c->rev_segment, "%s", gr->segment);
		}
	}
	return n;
}

bool st_factor_estimate(const struct st_cat_factor *c, double emp, double rev, int minor_units,
                        qpc_money *amount, char *inputs, size_t n)
{
	bool by_emp = emp > 0 && c->has_emp;
	if (!by_emp && !(rev > 0 && c->has_rev))
		return false;
	const struct qpc_factor *f = by_emp ? &c->emp : &c->rev;
	double size = by_emp ? emp : rev, scale = pow(10, minor_units);
	double major = f->median * size / scale; /* ratios are in minor units */
	*amount = (qpc_money)(llround(major / 100.0) * 100) * (qpc_money)scale;
	if (!inputs)
		return true;
	char sz[32], fac[32], lo[32], hi[32];
	if (by_emp)
		snprintf(sz, sizeof sz, "%.0f employees", size);
	else
		snprintf(sz, sizeof sz, "revenue %.0f", size / scale);
	snprintf(fac, sizeof fac, by_emp ? "%.2f" : "%.4f", f->median / (by_emp ? scale : 1));
	snprintf(lo, sizeof lo, by_emp ? "%.2f" : "%.4f", f->p25 / (by_emp ? scale : 1));
	snprintf(hi, sizeof hi, by_emp ? "%.2f" : "%.4f", f->p75 / (by_emp ? scale : 1));
	const char *seg = by_emp ? c->emp_segment : c->rev_segment;
	snprintf(inputs, n, "%.31s x %.31s (%.60s, %d verified accounts, middle half %.31s-%.31s)",
	         sz, fac, seg[0] ? seg : "all segments", f->n, lo, hi);
	return true;
}

static bool has_line(struct qpc_store *st, int64_t account_id, const char *category)
{
	static const char sql[] = "SELECT 1 FROM potential p JOIN category c ON c.id = p.category_id"
	                          " WHERE p.account_id = ?1 AND c.name = ?2";
	struct st_q *s;
	if (st_q_cached(st, &s, sql, NULL))
		return true;
	st_q_int(s, 1, account_id);
	st_q_text(s, 2, category);
	bool has = st_q_step(s) == ST_ROW;
	st_q_free(s);
	return has;
}

static void estimate_one(struct qpc_store *st, const struct st_factors *f, struct st_q *a,
                         struct qpc_estimate *est)
{
	memset(est, 0, sizeof *est);
	est->account_id = st_q_int_at(a, 0);
	st_q_copy_at(a, 1, est->name, sizeof est->name);
	st_q_copy_at(a, 2, est->external_id, sizeof est->external_id);
	st_q_copy_at(a, 3, est->segment, sizeof est->segment);
	double emp = st_q_double_at(a, 4), rev = st_q_double_at(a, 5);
	struct st_cat_factor cats[32];
	int ncats = st_factors_for(f, est->segment, cats, 32);
	for (int i = 0; i < ncats; i++) {
		struct qpc_estimate_line *l = &est->lines[est->nlines];
		if (!st_factor_estimate(&cats[i], emp, rev, st->minor_units, &l->amount, l->inputs,
		                        sizeof l->inputs))
			continue;
		_Static_assert(sizeof l->category == sizeof cats[i].category, "same size");
		memcpy(l->category, cats[i].category, sizeof l->category);
		l->kept = has_line(st, est->account_id, l->category);
		est->nlines++;
	}
}

enum qpc_rc qpc_estimate_run(struct qpc_store *st, int64_t account_id, qpc_date on, bool dry_run,
                             qpc_estimate_fn fn, void *ctx, struct qpc_error *e)
{
	struct st_factors *f = NULL;
	struct qpc_estimate *est = malloc(sizeof *est);
	struct st_q *a = NULL;
	/* a dry run only reads, in one snapshot: it runs on a read-only
	 * standby too */
	bool read = false;
	enum qpc_rc rc = !est      ? qpc_error_set(e, QPC_ERR_NOMEM, "out of memory")
	                 : dry_run ? ((read = st_q_read_begin(st)), QPC_OK)
	                           : st_q_begin(st, e);
	if (rc) {
		free(est);
		return rc;
	}
	if ((rc = st_factors_load(st, &f, e)) ||
	    (rc = st_q_prepare(st, &a,
	                       "SELECT id, name, external_id, segment, employees, annual_revenue"
	                       " FROM account WHERE (employees > 0 OR annual_revenue > 0) AND"
	                       " (id = ?1 OR (?1 = 0 AND NOT EXISTS (SELECT 1 FROM potential p"
	                       " WHERE p.account_id = account.id))) ORDER BY name_key, id",
	                       e)))
		goto out;
	st_q_int(a, 1, account_id);
	int r = ST_DONE;
	bool any = false;
	while (!rc && (r = st_q_step(a)) == ST_ROW) {
		any = true;
		estimate_one(st, f, a, est);
		for (int i = 0; i < est->nlines && !dry_run && !rc; i++) {
			struct qpc_estimate_line *l = &est->lines[i];
			int64_t cat;
			if (l->kept || (rc = qpc_store_category_ensure(st, l->category, &cat, e)))
				continue;
			struct qpc_potential_rec p = {
				.account_id = est->account_id, .category_id = cat, .amount = l->amount,
				.basis = "formula", .verified = false, .measured_on = on,
				.inputs = l->inputs,
			};
			rc = qpc_store_potential_set(st, &p, e);
		}
		if (!rc && fn && fn(est, ctx) != 0)
			rc = qpc_error_set(e, QPC_ERR_IO, "stopped while estimating");
	}
	if (!rc && r != ST_DONE) /* a read that failed is not "no more accounts" */
		rc = st_q_fail(a, "reading the accounts to estimate", e);
	if (!rc && account_id && !any)
		rc = qpc_error_set(e, QPC_ERR_DATA,
		                   "the account's size is unknown (no employees, no annual revenue): "
		                   "nothing to estimate from");
out:
	st_q_free(a);
	if (dry_run)
		st_q_read_end(st, read);
	else if (rc)
		st_q_rollback(st);
	else
		rc = st_q_commit(st, e);
	st_factors_free(f);
	free(est);
	return rc;
}
