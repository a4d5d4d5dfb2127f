/* cache.c — today's figures, kept ready in main's account table.
 *
 * Views sort and page a million accounts through indexes on the figures,
 * so today's figures are stored beside each account, with their date in
 * setting 'figures_as_of'.  Only writes keep them: each transaction
 * recomputes, when it commits, the accounts whose facts it changed (and
 * their status changes, spans.c); the first write of a new day brings
 * every account to that day.  A read never writes them: a reader at
 * another date computes its own copy (view.c).
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

static bool same_int(sqlite3_stmt *s, int col, bool has, int64_t v)
{
	if (sqlite3_column_type(s, col) == SQLITE_NULL)
		return !has;
	return has && sqlite3_column_int64(s, col) == v;
}

static bool same_date(sqlite3_stmt *s, int col, bool has, qpc_date d)
{
	qpc_date was;
	bool had = st_column_date(s, col, &was);
	return had == has && (!has || was == d);
}

static bool same_text(sqlite3_stmt *s, int col, const char *v)
{
	const char *t = (const char *)sqlite3_column_text(s, col);
	return t && strcmp(t, v) == 0;
}

static const char update_sql[] =
	"UPDATE main.account SET qpc = ?2, qpc_measured_on = ?3, qpc_verified = ?4, sales_12m = ?5,"
	" gp_12m = ?6, share_bp = ?7, share_over = ?8, untapped = ?9, status = ?10,"
	" contract_partner = ?11, contract_value = ?12, quality = ?13, gp_known = ?14 WHERE id = ?1";

/* Binds a figure row as update_sql (and view.c's copy) takes it. */
void st_bind_fig(struct qpc_store *st, sqlite3_stmt *u, const struct st_fig *g)
{
	(void)st;
	const struct qpc_account_figures *f = &g->f;
	sqlite3_bind_int64(u, 1, g->id);
	st_bind_opt_int(u, 2, f->qpc_measured, f->qpc);
	if (g->has_oldest)
		st_bind_date(u, 3, g->oldest);
	else
		sqlite3_bind_null(u, 3);
	sqlite3_bind_int(u, 4, g->verified);
	sqlite3_bind_int64(u, 5, f->sales_12m);
	sqlite3_bind_int64(u, 6, f->gp_12m);
	st_bind_opt_int(u, 7, f->share.kind != QPC_SHARE_UNDEFINED, f->share.bp);
	sqlite3_bind_int(u, 8, f->share.kind == QPC_SHARE_OVER);
	st_bind_opt_int(u, 9, f->untapped_known, f->untapped);
	sqlite3_bind_text(u, 10, qpc_status_name(f->status), -1, SQLITE_STATIC);
	sqlite3_bind_int(u, 11, g->contract);
	st_bind_opt_int(u, 12, g->has_contract_value, g->contract_value);
	st_bind_opt_int(u, 13, g->quality >= 0, g->quality);
	sqlite3_bind_int(u, 14, f->gp_known);
}

static enum qpc_rc write_row(struct qpc_store *st, const struct st_fig *g, struct st_q *row,
                             void *ctx, struct qpc_error *e)
{
	(void)ctx;
	sqlite3_stmt *q = st_q_lite(row); /* the cache is the file's */
	const struct qpc_account_figures *f = &g->f;
	if (same_int(q, SC_QPC, f->qpc_measured, f->qpc) &&
	    same_date(q, SC_MEASURED_ON, g->has_oldest, g->oldest) &&
	    same_int(q, SC_VERIFIED, true, g->verified) && same_int(q, SC_SALES, true, f->sales_12m) &&
	    same_int(q, SC_GP, true, f->gp_12m) && same_int(q, SC_GP_KNOWN, true, f->gp_known) &&
	    same_int(q, SC_SHARE, f->share.kind != QPC_SHARE_UNDEFINED, f->share.bp) &&
	    same_int(q, SC_OVER, true, f->share.kind == QPC_SHARE_OVER) &&
	    same_int(q, SC_UNTAPPED, f->untapped_known, f->untapped) &&
	    same_text(q, SC_STATUS, qpc_status_name(f->status)) &&
	    same_int(q, SC_CONTRACT, true, g->contract) &&
	    same_int(q, SC_CONTRACT_VALUE, g->has_contract_value, g->contract_value) &&
	    same_int(q, SC_QUALITY, g->quality >= 0, g->quality))
		return QPC_OK;
	sqlite3_stmt *u;
	enum qpc_rc rc = st_cached(st, &u, update_sql, e);
	if (rc)
		return rc;
	st_bind_fig(st, u, g);
	return st_run(st, u, "updating figures", e);
}

static enum qpc_rc write_date(struct qpc_store *st, qpc_date d, struct qpc_error *e)
{
	sqlite3_stmt *s;
	enum qpc_rc rc = st_prepare(st, &s,
	                            "UPDATE setting SET value = ?1 WHERE key = 'figures_as_of'", e);
	if (rc)
		return rc;
	st_bind_date(s, 1, d);
	return st_step_done(st, s, "saving the figures date", e);
}

/* Whether every account is new and has no facts: a bulk load into an
 * empty table of accounts without figures (ingest.c).  Their figures are
 * the table's defaults, and they have no status changes to record. */
static bool all_plain(const struct qpc_store *st)
{
	return st->bulk && st->bulk_plain;
}

enum qpc_rc st_cache_all(struct qpc_store *st, qpc_date today, struct qpc_error *e)
{
	enum qpc_rc rc = QPC_OK;
	st_finishing(st, "computing figures");
	if ((!all_plain(st) && (rc = st_figures_at(st, today, 0, ST_WALK_CACHE, write_row, NULL, e))) ||
	    (rc = st_build_pending(st, e)) || (rc = write_date(st, today, e)))
		return rc;
	st->has_figures = true;
	st->figures_as_of = today;
	return QPC_OK;
}

/* Above this many touched accounts one pass over everything is cheaper. */
#define TOUCHED_BULK 5000

enum qpc_rc st_touch(struct qpc_store *st, int64_t account_id, struct qpc_error *e)
{
	/* a team server keeps no figures, only the status spans */
	if (st->pg)
		return st_pg_touch(st, account_id, e);
	/* A bulk load, or a file whose figures were never computed, is
	 * computed whole at commit: no need to note each account. */
	if (st->bulk || !st->has_figures)
		st->touch_all = true;
	if (st->touch_all)
		return QPC_OK;
	static const char sql[] = "INSERT OR IGNORE INTO temp.touched VALUES (?1)";
	sqlite3_stmt *s;
	enum qpc_rc rc = st_cached(st, &s, sql, e);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, account_id);
	if ((rc = st_run(st, s, "noting a change", e)))
		return rc;
	/* past that many, noting more costs a lookup per change for nothing */
	st->touched += sqlite3_changes(st->db);
	if (st->touched > TOUCHED_BULK)
		st->touch_all = true;
	return QPC_OK;
}

void st_touch_all(struct qpc_store *st)
{
	st->touch_all = true;
}

/* Called by the outermost commit, inside its transaction.  On failure the
 * caller rolls back, and the cache is as it was. */
enum qpc_rc st_flush_touched(struct qpc_store *st, struct qpc_error *e)
{
	qpc_date today = st_today(st);
	sqlite3_stmt *s;
	bool all = st->touch_all;
	int64_t n;
	enum qpc_rc rc = st_int(st, &n, 0, "reading the changed accounts",
	                        "SELECT count(*) FROM temp.touched", NULL, 0, e);
	if (rc)
		return rc;
	if (n > TOUCHED_BULK)
		all = true;
	bool had = st->has_figures;
	qpc_date was = st->figures_as_of;
	if (all || !st->has_figures || st->figures_as_of != today) {
		if ((rc = st_cache_all(st, today, e)))
			goto fail;
	}
	if (all) {
		st_finishing(st, "recording status changes");
		if (!all_plain(st))
			rc = st_spans_rebuild(st, 0, e);
	} else if (n > 0) {
		if ((rc = st_prepare(st, &s, "SELECT account_id FROM temp.touched", e)))
			goto fail;
		bool fresh = !had || was != today; /* just computed above */
		while (!rc && sqlite3_step(s) == SQLITE_ROW) {
			int64_t id = sqlite3_column_int64(s, 0);
			if (!fresh)
				rc = st_figures_at(st, today, id, ST_WALK_CACHE, write_row, NULL, e);
			if (!rc)
				rc = st_spans_rebuild(st, id, e);
		}
		sqlite3_finalize(s);
	}
	if (!rc)
		rc = st_exec(st, "DELETE FROM temp.touched", e);
	if (!rc) {
		st->touch_all = false;
		st->touched = 0;
		return QPC_OK;
	}
fail:
	st->has_figures = had;
	st->figures_as_of = was;
	return rc;
}

/* The transaction rolled back: what it touched is forgotten with it. */
void st_touched_forget(struct qpc_store *st)
{
	st->touch_all = false;
	st->touched = 0;
	sqlite3_exec(st->db, "DELETE FROM temp.touched", NULL, NULL, NULL);
}
