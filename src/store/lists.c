/* lists.c — walking QPC lines, sales lines, candidates and goals. */
#include <string.h>

#include "internal.h"
#include "qpc/lists.h"

static const char *text(sqlite3_stmt *s, int col)
{
	const char *t = (const char *)sqlite3_column_text(s, col);
	return t ? t : "";
}

/* Steps q to the end, calling row(q) for each; finalizes q. */
static enum qpc_rc walk(struct qpc_store *st, sqlite3_stmt *q, int (*row)(sqlite3_stmt *, void *),
                        void *ctx, const char *doing, struct qpc_error *e)
{
	int r;
	enum qpc_rc rc = QPC_OK;
	while ((r = sqlite3_step(q)) == SQLITE_ROW)
		if (row(q, ctx) != 0) {
			rc = qpc_error_set(e, QPC_ERR_IO, "stopped while %s", doing);
			break;
		}
	if (!rc && r != SQLITE_DONE)
		rc = st_fail(st, e, doing);
	sqlite3_finalize(q);
	return rc;
}

struct cb {
	void *fn, *ctx;
};

static int potential_row(sqlite3_stmt *q, void *ctx)
{
	struct cb *cb = ctx;
	struct qpc_potential_row r = {
		.external_id = text(q, 0), .name = text(q, 1), .category = text(q, 2),
		.amount = sqlite3_column_int64(q, 3), .basis = text(q, 4),
		.verified = sqlite3_column_int(q, 5), .measured_by = text(q, 7),
	};
	st_column_date(q, 6, &r.measured_on);
	return ((qpc_potential_fn)cb->fn)(&r, cb->ctx);
}

enum qpc_rc qpc_store_potential_each(struct qpc_store *st, qpc_potential_fn fn, void *ctx,
                                     struct qpc_error *e)
{
	sqlite3_stmt *q;
	enum qpc_rc rc = st_prepare(st, &q,
	                            "SELECT a.external_id, a.name, c.name, p.amount, p.basis, p.verified,"
	                            " p.measured_on, p.measured_by FROM potential p"
	                            " JOIN account a ON a.id = p.account_id"
	                            " JOIN category c ON c.id = p.category_id"
	                            " ORDER BY a.name_key, a.id, c.name COLLATE QPC_NAME",
	                            e);
	struct cb cb = { (void *)fn, ctx };
	return rc ? rc : walk(st, q, potential_row, &cb, "reading QPC lines", e);
}

static int sale_row(sqlite3_stmt *q, void *ctx)
{
	struct cb *cb = ctx;
	struct qpc_sale_row r = {
		.external_id = text(q, 0), .name = text(q, 1), .category = text(q, 3),
		.amount = sqlite3_column_int64(q, 4),
		.has_gp = sqlite3_column_type(q, 5) != SQLITE_NULL,
		.gross_profit = sqlite3_column_int64(q, 5), .line_id = text(q, 6),
	};
	st_column_date(q, 2, &r.date);
	return ((qpc_sale_fn)cb->fn)(&r, cb->ctx);
}

enum qpc_rc qpc_store_sales_each(struct qpc_store *st, qpc_sale_fn fn, void *ctx,
                                 struct qpc_error *e)
{
	sqlite3_stmt *q;
	enum qpc_rc rc = st_prepare(st, &q,
	                            "SELECT a.external_id, a.name, s.date, c.name, s.amount,"
	                            " s.gross_profit, s.source_key FROM sale s"
	                            " JOIN account a ON a.id = s.account_id"
	                            " LEFT JOIN category c ON c.id = s.category_id"
	                            " ORDER BY s.date, s.id",
	                            e);
	struct cb cb = { (void *)fn, ctx };
	return rc ? rc : walk(st, q, sale_row, &cb, "reading sales lines", e);
}

static int candidate_row(sqlite3_stmt *q, void *ctx)
{
	struct cb *cb = ctx;
	struct qpc_candidate_row r = {
		.external_id = text(q, 0), .name = text(q, 1), .owner = text(q, 2),
		.template_name = text(q, 3), .nominated_by = text(q, 5),
		.steps_done = sqlite3_column_int(q, 6), .steps_total = sqlite3_column_int(q, 7),
	};
	st_column_date(q, 4, &r.nominated_on);
	struct qpc_account_figures *f = &r.fig;
	f->qpc_measured = sqlite3_column_type(q, 8) != SQLITE_NULL;
	f->qpc = sqlite3_column_int64(q, 8);
	f->sales_12m = sqlite3_column_int64(q, 9);
	st_column_gp(q, 10, f);
	f->share = qpc_share_of(f->sales_12m, f->qpc_measured, f->qpc);
	if (!qpc_status_parse(text(q, 11), &f->status))
		f->status = QPC_PROSPECT;
	r.graduated = st_column_date(q, 12, &r.graduated_on);
	return ((qpc_candidate_fn)cb->fn)(&r, cb->ctx);
}

enum qpc_rc qpc_store_candidates_each(struct qpc_store *st, qpc_date as_of, qpc_candidate_fn fn,
                                      void *ctx, struct qpc_error *e)
{
	enum qpc_rc rc = st_view(st, as_of, false, e);
	if (rc)
		return rc;
	sqlite3_stmt *q;
	if ((rc = st_prepare(st, &q,
	                     "SELECT a.external_id, a.name, a.owner, t.name, c.nominated_on,"
	                     " c.nominated_by,"
	                     " " ST_STEPS_TICKED("c") ", " ST_STEPS_LIVE("c") ","
	                     " a.qpc, a.sales_12m, " ST_GP_SQL("a.") ", a.status,"
	                     " " ST_PARTNER_ON("c", "a", " AND p.since <= ?1")
	                     " FROM candidate c JOIN account a ON a.id = c.account_id"
	                     " JOIN template t ON t.id = c.template_id"
	                     " WHERE c.dropped_on IS NULL AND c.nominated_on <= ?1"
	                     " ORDER BY a.name_key, a.id",
	                     e)))
		return rc;
	st_bind_date(q, 1, as_of);
	struct cb cb = { (void *)fn, ctx };
	return walk(st, q, candidate_row, &cb, "reading candidates", e);
}

enum qpc_rc qpc_store_goals_each(struct qpc_store *st, qpc_date as_of, qpc_goal_fn fn, void *ctx,
                                 struct qpc_error *e)
{
	int years[256];
	int ny = 0, r;
	sqlite3_stmt *q;
	enum qpc_rc rc = st_prepare(st, &q, "SELECT year FROM goal ORDER BY year LIMIT 256", e);
	if (rc)
		return rc;
	while ((r = sqlite3_step(q)) == SQLITE_ROW)
		years[ny++] = sqlite3_column_int(q, 0);
	sqlite3_finalize(q);
	if (r != SQLITE_DONE)
		return st_fail(st, e, "reading goals");
	for (int i = 0; i < ny; i++) {
		struct qpc_goal g;
		if ((rc = qpc_store_goal_progress(st, years[i], as_of, &g, e)))
			return rc;
		if (fn(&g, ctx))
			return qpc_error_set(e, QPC_ERR_IO, "stopped while writing goals");
	}
	return QPC_OK;
}

enum qpc_rc qpc_store_partner_since(struct qpc_store *st, int64_t account_id, qpc_date as_of,
                                    bool *known, qpc_date *since, struct qpc_error *e)
{
	static const char sql[] = "SELECT max(since) FROM status_span WHERE account_id = ?1"
	                          " AND status = 3 AND since <= ?2";
	sqlite3_stmt *q;
	enum qpc_rc rc = st_cached(st, &q, sql, e);
	if (rc)
		return rc;
	sqlite3_bind_int64(q, 1, account_id);
	st_bind_date(q, 2, as_of);
	int r = sqlite3_step(q);
	*known = r == SQLITE_ROW && st_column_date(q, 0, since);
	sqlite3_reset(q);
	return r == SQLITE_ROW ? QPC_OK : st_fail(st, e, "reading when an account became a partner");
}
