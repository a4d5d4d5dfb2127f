/* browse_estimate.c — QPC by formula for the accounts list: the
 * underestimate filter and the estimate on an account's page.
 *
 * The factors are calibrated once per session (one pass over the
 * verified QPC lines), and resolved once per segment into the list of
 * categories an account of that segment is estimated in; an account then
 * costs a few multiplications.  Both are dropped when the data changes.
 * The estimate is qpc_estimate_run's: the same factors, the same
 * rounding, summed over categories.
 */
#include <stdlib.h>
#include <string.h>

#include "browse_int.h"

#define MAX_CATS 32

struct br_segment {
	char *segment;
	int n;
	struct st_cat_factor *cats;
};

void br_estimates_forget(struct qpc_browse *b)
{
	for (int i = 0; i < b->nsegs; i++) {
		free(b->segs[i].segment);
		free(b->segs[i].cats);
	}
	free(b->segs);
	b->segs = NULL;
	b->nsegs = b->capsegs = 0;
	st_factors_free(b->factors);
	b->factors = NULL;
}

enum qpc_rc br_estimates_load(struct qpc_browse *b, struct qpc_error *e)
{
	return b->factors ? QPC_OK : st_factors_load(b->st, &b->factors, e);
}

/* The segment's categories, resolved on first use; NULL when out of
 * memory (the account then has no estimate). */
static const struct br_segment *segment_of(struct qpc_browse *b, const char *segment)
{
	for (int i = 0; i < b->nsegs; i++)
		if (strcmp(b->segs[i].segment, segment) == 0)
			return &b->segs[i];
	if (b->nsegs == b->capsegs) {
		int cap = b->capsegs ? 2 * b->capsegs : 16;
		struct br_segment *s = realloc(b->segs, (size_t)cap * sizeof *s);
		if (!s)
			return NULL;
		b->segs = s;
		b->capsegs = cap;
	}
	struct br_segment *g = &b->segs[b->nsegs];
	struct st_cat_factor cats[MAX_CATS];
	g->n = st_factors_for(b->factors, segment, cats, MAX_CATS);
	g->segment = strdup(segment);
	g->cats = malloc((size_t)(g->n ? g->n : 1) * sizeof *g->cats);
	if (!g->segment || !g->cats) {
		free(g->segment);
		free(g->cats);
		return NULL;
	}
	memcpy(g->cats, cats, (size_t)g->n * sizeof *cats);
	b->nsegs++;
	return g;
}

bool br_estimate(struct qpc_browse *b, const char *segment, double employees, double revenue,
                 struct br_estimate *out)
{
	memset(out, 0, sizeof *out);
	const struct br_segment *g;
	if (!b->factors || (employees <= 0 && revenue <= 0) || !(g = segment_of(b, segment ? segment : "")))
		return false;
	for (int i = 0; i < g->n; i++) {
		qpc_money v;
		if (!st_factor_estimate(&g->cats[i], employees, revenue, b->st->minor_units, &v, NULL, 0))
			continue;
		const struct qpc_factor *f = employees > 0 && g->cats[i].has_emp ? &g->cats[i].emp
		                                                                 : &g->cats[i].rev;
		if (!qpc_money_add(out->amount, v, &out->amount))
			out->amount = QPC_MONEY_MAX;
		out->by_employees = employees > 0 && g->cats[i].has_emp;
		out->accounts = out->categories++ ? (f->n < out->accounts ? f->n : out->accounts) : f->n;
	}
	return out->categories > 0;
}

bool br_is_under(struct qpc_browse *b, struct st_q *q, int col0)
{
	if (st_q_null_at(q, col0 + R_QPC))
		return false;
	struct br_estimate est;
	qpc_money qpc = st_q_int_at(q, col0 + R_QPC);
	if (!br_estimate(b, st_q_text_at(q, col0 + R_SEGMENT), st_q_double_at(q, col0 + R_EMPLOYEES),
	                 st_q_double_at(q, col0 + R_REVENUE), &est))
		return false;
	return qpc_is_underestimate(qpc, est.amount);
}

