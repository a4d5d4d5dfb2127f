/* lists.c — walking QPC lines, sales lines, candidates and goals. */
#include <string.h>

#include "internal.h"
#include "qpc/lists.h"

static const char *text(struct st_q *s, int col)
{
	const char *t = st_q_text_at(s, col);
	return t ? t : "";
}

/* Steps q to the end, calling row(q) for each; frees q.  In one read
 * snapshot, through a cursor on a server (a list may be millions long). */
static enum qpc_rc walk(struct st_q *q, int (*row)(struct st_q *, void *), void *ctx,
                        const char *doing, struct qpc_error *e)
{
	int r;
	enum qpc_rc rc = QPC_OK;
	struct qpc_store *st = st_q_store(q);
	bool own = st_q_read_begin(st);
	st_q_stream(q);
	while ((r = st_q_step(q)) == ST_ROW)
		if (row(q, ctx) != 0) {
			rc = qpc_error_set(e, QPC_ERR_IO, "stopped while %s", doing);
			break;
		}
	if (!rc && r != ST_DONE)
		rc = st_q_fail(q, doing, e);
	st_q_free(q);
	st_q_read_end(st, own);
	return rc;
}

struct cb {
	void *fn, *ctx;
	const struct st_figmap *figs; /* on a server: the figures at the date */
};

static int potential_row(struct st_q *q, void *ctx)
{
	struct cb *cb = ctx;
	struct qpc_potential_row r = {
		.external_id = text(q, 0), .name = text(q, 1), .category = text(q, 2),
		.amount = st_q_int_at(q, 3), .basis = text(q, 4),
		.verified = st_q_int_at(q, 5) != 0, .measured_by = text(q, 7),
	};
	st_q_date_at(q, 6, &r.measured_on);
	return ((qpc_potential_fn)cb->fn)(&r, cb->ctx);
}

enum qpc_rc qpc_store_potential_each(struct qpc_store *st, qpc_potential_fn fn, void *ctx,
                                     struct qpc_error *e)
{
	struct st_q *q;
	enum qpc_rc rc = st_q_prepare(st, &q,
	                              "SELECT a.external_id, a.name, c.name, p.amount, p.basis,"
	                              " p.verified, p.measured_on, p.measured_by FROM potential p"
	                              " JOIN account a ON a.id = p.account_id"
	                              " JOIN category c ON c.id = p.category_id"
	                              " ORDER BY a.name_key, a.id, c.name COLLATE QPC_NAME",
	                              e);
	struct cb cb = { (void *)fn, ctx, NULL };
	return rc ? rc : walk(q, potential_row, &cb, "reading QPC lines", e);
}

static int sale_row(struct st_q *q, void *ctx)
{
	struct cb *cb = ctx;
	struct qpc_sale_row r = {
		.external_id = text(q, 0), .name = text(q, 1), .category = text(q, 3),
		.amount = st_q_int_at(q, 4), .has_gp = !st_q_null_at(q, 5),
		.gross_profit = st_q_int_at(q, 5), .line_id = text(q, 6),
	};
	st_q_date_at(q, 2, &r.date);
	return ((qpc_sale_fn)cb->fn)(&r, cb->ctx);
}

enum qpc_rc qpc_store_sales_each(struct qpc_store *st, qpc_sale_fn fn, void *ctx,
                                 struct qpc_error *e)
{
	struct st_q *q;
	enum qpc_rc rc = st_q_prepare(st, &q,
	                              "SELECT a.external_id, a.name, s.date, c.name, s.amount,"
	                              " s.gross_profit, s.source_key FROM sale s"
	                              " JOIN account a ON a.id = s.account_id"
	                              " LEFT JOIN category c ON c.id = s.category_id"
	                              " ORDER BY s.date, s.id",
	                              e);
	struct cb cb = { (void *)fn, ctx, NULL };
	return rc ? rc : walk(q, sale_row, &cb, "reading sales lines", e);
}

/* The account's figures: a file's as its cache holds them at the date
 * (columns 8 to 11), a server's computed. */
static int candidate_row(struct st_q *q, void *ctx)
{
	struct cb *cb = ctx;
	struct qpc_candidate_row r = {
		.external_id = text(q, 0), .name = text(q, 1), .owner = text(q, 2),
		.template_name = text(q, 3), .nominated_by = text(q, 5),
		.steps_done = (int)st_q_int_at(q, 6), .steps_total = (int)st_q_int_at(q, 7),
	};
	st_q_date_at(q, 4, &r.nominated_on);
	struct qpc_account_figures *f = &r.fig;
	if (cb->figs) {
		const struct st_fig *g = st_figmap_get(cb->figs, st_q_int_at(q, 13));
		if (!g) /* added since the figures were read */
			return 0;
		*f = g->f;
	} else {
		f->qpc_measured = !st_q_null_at(q, 8);
		f->qpc = st_q_int_at(q, 8);
		f->sales_12m = st_q_int_at(q, 9);
		f->gp_known = !st_q_null_at(q, 10);
		f->gp_12m = f->gp_known ? st_q_int_at(q, 10) : 0;
		f->share = qpc_share_of(f->sales_12m, f->qpc_measured, f->qpc);
		if (!qpc_status_parse(text(q, 11), &f->status))
			f->status = QPC_PROSPECT;
	}
	/* made a partner since the nomination, if a partner still */
	r.graduated = f->status == QPC_PARTNER && st_q_date_at(q, 12, &r.graduated_on);
	return ((qpc_candidate_fn)cb->fn)(&r, cb->ctx);
}

enum qpc_rc qpc_store_candidates_each(struct qpc_store *st, qpc_date as_of, qpc_candidate_fn fn,
                                      void *ctx, struct qpc_error *e)
{
	/* a file's figures from its cache; a server's computed (st_figmap) */
#define CANDIDATES_SQL(figures)                                                                \
	"SELECT a.external_id, a.name, a.owner, t.name, c.nominated_on,"                         \
	" c.nominated_by, " ST_STEPS_TICKED("c") ", " ST_STEPS_LIVE("c") ", " figures ","        \
	" (SELECT max(p.since) FROM status_span p WHERE p.account_id = a.id"                     \
	"  AND p.status = " ST_SORT_PARTNER " AND p.since >= c.nominated_on AND p.since <= ?1)," \
	" a.id FROM candidate c JOIN account a ON a.id = c.account_id"                           \
	" JOIN template t ON t.id = c.template_id"                                                \
	" WHERE c.dropped_on IS NULL AND c.nominated_on <= ?1 ORDER BY a.name_key, a.id"
	static const char *const sql[2] = {
		CANDIDATES_SQL("a.qpc, a.sales_12m, " ST_GP_SQL("a.") ", a.status"),
		CANDIDATES_SQL("NULL, NULL, NULL, NULL"),
	};
#undef CANDIDATES_SQL
	struct st_figmap figs = { 0 };
	bool own = st->pg && st_q_read_begin(st);
	enum qpc_rc rc = st->pg ? st_figmap_build(st, as_of, &figs, e) : st_view(st, as_of, false, e);
	struct st_q *q;
	if (!rc && !(rc = st_q_prepare(st, &q, sql[st->pg != NULL], e))) {
		char day[QPC_DATE_ISO_LEN];
		st_q_text(q, 1, qpc_date_format(as_of, day));
		struct cb cb = { (void *)fn, ctx, st->pg ? &figs : NULL };
		rc = walk(q, candidate_row, &cb, "reading candidates", e);
	}
	st_figmap_free(&figs);
	st_q_read_end(st, own);
	return rc;
}

enum qpc_rc qpc_store_goals_each(struct qpc_store *st, qpc_date as_of, qpc_goal_fn fn, void *ctx,
                                 struct qpc_error *e)
{
	int years[256];
	int ny = 0, r;
	struct st_q *q;
	enum qpc_rc rc = st_q_prepare(st, &q, "SELECT year FROM goal ORDER BY year LIMIT 256", e);
	if (rc)
		return rc;
	while ((r = st_q_step(q)) == ST_ROW)
		years[ny++] = (int)st_q_int_at(q, 0);
	if (r != ST_DONE)
		rc = st_q_fail(q, "reading goals", e);
	st_q_free(q);
	for (int i = 0; i < ny && !rc; i++) {
		struct qpc_goal g;
		if ((rc = qpc_store_goal_progress(st, years[i], as_of, &g, e)))
			return rc;
		if (fn(&g, ctx))
			return qpc_error_set(e, QPC_ERR_IO, "stopped while writing goals");
	}
	return rc;
}

enum qpc_rc qpc_store_partner_since(struct qpc_store *st, int64_t account_id, qpc_date as_of,
                                    bool *known, qpc_date *since, struct qpc_error *e)
{
	static const char sql[] = "SELECT max(since) FROM status_span WHERE account_id = ?1"
	                          " AND status = 3 AND since <= ?2";
	struct st_q *q;
	enum qpc_rc rc = st_q_cached(st, &q, sql, e);
	if (rc)
		return rc;
	char day[QPC_DATE_ISO_LEN];
	st_q_int(q, 1, account_id);
	st_q_text(q, 2, qpc_date_format(as_of, day));
	int r = st_q_step(q);
	*known = r == ST_ROW && st_q_date_at(q, 0, since);
	if (r != ST_ROW)
		rc = st_q_fail(q, "reading when an account became a partner", e);
	st_q_free(q);
	return rc;
}
