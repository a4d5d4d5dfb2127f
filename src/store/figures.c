/* figures.c — keeping each account's cached figures true as of a date.
 *
 * The account table caches QPC, sales 12m, share and status as of the
 * date in setting 'figures_as_of', so that views sort and page through
 * indexes.  Every write recomputes the accounts it touched; a new as-of
 * date recomputes all.  Status changes are recorded in the history only
 * while time moves forward (as_of at or after 'status_recorded_to'), so
 * looking at the past never rewrites it.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* A sum that cannot fail: SQLite's sum() stops the whole query with
 * "integer overflow" when one account's lines pass 2^63, which would let
 * one absurd account block every report.  total() adds in a double:
 * exact for sums of whole cents below 2^53 (90 trillion in a currency
 * with cents), saturating beyond; NULL when no row counts. */
#define SUM_OF(x) "(CASE WHEN count(" x ") = 0 THEN NULL ELSE CAST(total(" x ") AS INTEGER) END)"

/* Columns shared by the bulk and the one-account query, in this order. */
#define SUM_COLUMNS                                                                            \
	"a.id, a.contract_partner, a.account_sales_12m, a.account_gp_12m,"                      \
	" EXISTS (SELECT 1 FROM candidate c WHERE c.account_id = a.id"                          \
	"   AND c.nominated_on <= ?2 AND (c.dropped_on IS NULL OR c.dropped_on > ?2)),"          \
	" a.status, a.recorded_status, a.qpc, a.sales_12m, a.gp_12m, a.share_bp, a.untapped,"    \
	" a.qpc_measured_on, a.qpc_verified, a.share_over,"
enum {
	C_ID, C_CONTRACT, C_ACC_SALES, C_ACC_GP, C_CANDIDATE, C_STATUS, C_RECORDED, C_OLD_QPC,
	C_OLD_SALES, C_OLD_GP, C_OLD_SHARE, C_OLD_UNTAPPED, C_OLD_MEASURED, C_OLD_VERIFIED,
	C_OLD_OVER, C_P_N, C_P_SUM, C_P_OLDEST, C_P_ALLVER, C_S_N, C_S_SALES, C_S_GP
};

static const char all_sql[] =
	"SELECT " SUM_COLUMNS
	" p.n, p.q, p.oldest, p.allver, s.n, s.sales, s.gp"
	" FROM account a"
	" LEFT JOIN (SELECT account_id, count(*) n, " SUM_OF("amount") " q, min(measured_on) oldest,"
	"   min(verified) allver FROM potential GROUP BY account_id) p ON p.account_id = a.id"
	" LEFT JOIN (SELECT account_id, count(*) n,"
	"   " SUM_OF("CASE WHEN date > ?1 AND date <= ?2 THEN amount END") " sales,"
	"   " SUM_OF("CASE WHEN date > ?1 AND date <= ?2 THEN gross_profit END") " gp"
	"   FROM sale GROUP BY account_id) s ON s.account_id = a.id";

static const char one_sql[] =
	"SELECT " SUM_COLUMNS
	" (SELECT count(*) FROM potential WHERE account_id = a.id),"
	" (SELECT " SUM_OF("amount") " FROM potential WHERE account_id = a.id),"
	" (SELECT min(measured_on) FROM potential WHERE account_id = a.id),"
	" (SELECT min(verified) FROM potential WHERE account_id = a.id),"
	" (SELECT count(*) FROM sale WHERE account_id = a.id),"
	" (SELECT " SUM_OF("amount") " FROM sale WHERE account_id = a.id AND date > ?1 AND date <= ?2),"
	" (SELECT " SUM_OF("gross_profit") " FROM sale WHERE account_id = a.id AND date > ?1 AND date <= ?2)"
	" FROM account a WHERE a.id = ?3";

static const char update_sql[] =
	"UPDATE account SET qpc = ?2, qpc_measured_on = ?3, qpc_verified = ?4, sales_12m = ?5,"
	" gp_12m = ?6, share_bp = ?7, share_over = ?8, untapped = ?9, status = ?10 WHERE id = ?1";
static const char record_sql[] = "UPDATE account SET recorded_status = ?2 WHERE id = ?1";

static bool same_int(sqlite3_stmt *s, int col, bool has, int64_t v)
{
	if (sqlite3_column_type(s, col) == SQLITE_NULL)
		return !has;
	return has && sqlite3_column_int64(s, col) == v;
}

static bool same_text(sqlite3_stmt *s, int col, const char *v)
{
	const char *t = (const char *)sqlite3_column_text(s, col);
	return t ? v && strcmp(t, v) == 0 : !v;
}

/* Recomputes the row under the cursor; writes what changed. */
static enum qpc_rc apply_row(struct qpc_store *st, sqlite3_stmt *q, qpc_date as_of, bool record,
                             struct qpc_error *e)
{
	struct qpc_account_sums in = {
		.qpc_measured = sqlite3_column_int64(q, C_P_N) > 0,
		.qpc = sqlite3_column_int64(q, C_P_SUM),
		.has_sales_lines = sqlite3_column_int64(q, C_S_N) > 0,
		.lines_sales_12m = sqlite3_column_int64(q, C_S_SALES),
		.lines_gp_12m = sqlite3_column_int64(q, C_S_GP),
		.has_account_figure = sqlite3_column_type(q, C_ACC_SALES) != SQLITE_NULL,
		.account_sales_12m = sqlite3_column_int64(q, C_ACC_SALES),
		.account_gp_12m = sqlite3_column_int64(q, C_ACC_GP),
		.contract_partner = sqlite3_column_int(q, C_CONTRACT),
		.candidate = sqlite3_column_int(q, C_CANDIDATE),
	};
	struct qpc_account_figures f;
	qpc_figures_compute(&in, st->threshold_bp, &f);
	int64_t id = sqlite3_column_int64(q, C_ID);
	const char *status = qpc_status_name(f.status);
	const char *oldest = (const char *)sqlite3_column_text(q, C_P_OLDEST);
	bool verified = in.qpc_measured && sqlite3_column_int(q, C_P_ALLVER);
	bool has_share = f.share.kind != QPC_SHARE_UNDEFINED;
	bool over = f.share.kind == QPC_SHARE_OVER;
	enum qpc_rc rc;

	if (!(same_int(q, C_OLD_QPC, f.qpc_measured, f.qpc) &&
	      same_int(q, C_OLD_SALES, true, f.sales_12m) && same_int(q, C_OLD_GP, true, f.gp_12m) &&
	      same_int(q, C_OLD_SHARE, has_share, f.share.bp) &&
	      same_int(q, C_OLD_UNTAPPED, f.untapped_known, f.untapped) &&
	      same_text(q, C_OLD_MEASURED, oldest) && same_int(q, C_OLD_VERIFIED, true, verified) &&
	      same_int(q, C_OLD_OVER, true, over) && same_text(q, C_STATUS, status))) {
		sqlite3_stmt *u;
		if ((rc = st_cached(st, &u, update_sql, e)))
			return rc;
		sqlite3_bind_int64(u, 1, id);
		st_bind_opt_int(u, 2, f.qpc_measured, f.qpc);
		if (oldest)
			sqlite3_bind_text(u, 3, oldest, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(u, 4, verified);
		sqlite3_bind_int64(u, 5, f.sales_12m);
		sqlite3_bind_int64(u, 6, f.gp_12m);
		st_bind_opt_int(u, 7, has_share, f.share.bp);
		sqlite3_bind_int(u, 8, over);
		st_bind_opt_int(u, 9, f.untapped_known, f.untapped);
		sqlite3_bind_text(u, 10, status, -1, SQLITE_STATIC);
		if ((rc = st_run(st, u, "updating figures", e)))
			return rc;
	}
	if (record && !same_text(q, C_RECORDED, status)) {
		/* A first status is a starting point (old NULL), and a first
		 * "prospect" is not worth a history row. */
		const char *was = (const char *)sqlite3_column_text(q, C_RECORDED);
		sqlite3_stmt *u;
		if ((was || f.status != QPC_PROSPECT) &&
		    (rc = st_history(st, id, "account", "status", was, status, as_of, e)))
			return rc;
		if ((rc = st_cached(st, &u, record_sql, e)))
			return rc;
		sqlite3_bind_int64(u, 1, id);
		sqlite3_bind_text(u, 2, status, -1, SQLITE_STATIC);
		if ((rc = st_run(st, u, "recording a status", e)))
			return rc;
	}
	return QPC_OK;
}

static enum qpc_rc read_dates(struct qpc_store *st, bool *has_recorded, qpc_date *recorded_to,
                              struct qpc_error *e)
{
	sqlite3_stmt *s;
	enum qpc_rc rc = st_prepare(st, &s,
	                            "SELECT (SELECT value FROM setting WHERE key = 'figures_as_of'),"
	                            " (SELECT value FROM setting WHERE key = 'status_recorded_to')",
	                            e);
	if (rc)
		return rc;
	if (sqlite3_step(s) != SQLITE_ROW) {
		rc = st_fail(st, e, "reading the figures date");
	} else {
		st->has_figures = st_column_date(s, 0, &st->figures_as_of);
		*has_recorded = st_column_date(s, 1, recorded_to);
	}
	sqlite3_finalize(s);
	return rc;
}

static enum qpc_rc write_date(struct qpc_store *st, const char *key, qpc_date d,
                              struct qpc_error *e)
{
	sqlite3_stmt *s;
	enum qpc_rc rc = st_prepare(st, &s, "UPDATE setting SET value = ?2 WHERE key = ?1", e);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, key, -1, SQLITE_STATIC);
	st_bind_date(s, 2, d);
	return st_step_done(st, s, "saving the figures date", e);
}

static enum qpc_rc run_query(struct qpc_store *st, const char *sql, int64_t one, qpc_date as_of,
                             bool record, struct qpc_error *e)
{
	sqlite3_stmt *q;
	enum qpc_rc rc = st_prepare(st, &q, sql, e);
	if (rc)
		return rc;
	st_bind_date(q, 1, qpc_window_start(as_of));
	st_bind_date(q, 2, as_of);
	if (one)
		sqlite3_bind_int64(q, 3, one);
	int r;
	while ((r = sqlite3_step(q)) == SQLITE_ROW)
		if ((rc = apply_row(st, q, as_of, record, e)))
			break;
	if (!rc && r != SQLITE_DONE)
		rc = st_fail(st, e, "computing figures");
	sqlite3_finalize(q);
	return rc;
}

/* Recomputes every account as of as_of in one transaction, with the
 * indexes a bulk load left for it; on failure the file is as it was. */
static enum qpc_rc refresh_all(struct qpc_store *st, qpc_date as_of, bool record,
                               struct qpc_error *e)
{
	enum qpc_rc rc = qpc_store_begin(st, e);
	if (rc)
		return rc;
	if ((rc = run_query(st, all_sql, 0, as_of, record, e)) ||
	    (rc = st_build_pending(st, e)) ||
	    (rc = st_exec(st, "DELETE FROM temp.touched", e)) ||
	    (rc = write_date(st, "figures_as_of", as_of, e)) ||
	    (record && (rc = write_date(st, "status_recorded_to", as_of, e)))) {
		qpc_store_rollback(st);
		return rc;
	}
	return qpc_store_commit(st, e);
}

enum qpc_rc qpc_store_refresh(struct qpc_store *st, qpc_date as_of, struct qpc_error *e)
{
	bool has_recorded = false;
	qpc_date recorded_to;
	enum qpc_rc rc = read_dates(st, &has_recorded, &recorded_to, e);
	if (rc)
		return rc;
	if (st->has_figures && st->figures_as_of == as_of)
		return QPC_OK;
	if (st->readonly || st->figures_kept) /* browse what is there; callers show its date */
		return QPC_OK;
	/* Whichever of its statements fails (a full disk may stop any write,
	 * or only the commit), the user hears what could not be done. */
	char doing[48], day[QPC_DATE_ISO_LEN];
	snprintf(doing, sizeof doing, "bringing the figures to %s", qpc_date_format(as_of, day));
	const char *outer = st->doing;
	st->doing = doing;
	rc = refresh_all(st, as_of, !has_recorded || as_of >= recorded_to, e);
	st->doing = outer;
	if (rc) {
		st->has_figures = false;
		return rc;
	}
	st->has_figures = true;
	st->figures_as_of = as_of;
	return QPC_OK;
}

bool qpc_store_keep_figures(struct qpc_store *st, enum qpc_rc rc)
{
	bool has_recorded;
	qpc_date recorded_to;
	if (rc != QPC_ERR_IO && rc != QPC_ERR_BUSY && rc != QPC_ERR_READONLY)
		return false;
	/* Inside a caller's transaction the rollback waits for its end: what
	 * the file will hold is not known yet. */
	if (st->tx_depth > 0)
		return false;
	/* The failed refresh forgot the figures' date; the file still has it,
	 * and writes to come recompute the accounts they touch as of it. */
	if (read_dates(st, &has_recorded, &recorded_to, NULL))
		return false;
	st->figures_kept = true;
	return true;
}

enum qpc_rc st_touch(struct qpc_store *st, int64_t account_id, struct qpc_error *e)
{
	if (!st->has_figures) /* the first refresh computes every account */
		return QPC_OK;
	static const char sql[] = "INSERT OR IGNORE INTO temp.touched VALUES (?1)";
	sqlite3_stmt *s;
	enum qpc_rc rc = st_cached(st, &s, sql, e);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, account_id);
	return st_run(st, s, "noting a change", e);
}

/* Above this many touched accounts one pass over everything is cheaper. */
#define TOUCHED_BULK 5000

enum qpc_rc st_flush_touched(struct qpc_store *st, struct qpc_error *e)
{
	bool has_recorded = false;
	qpc_date recorded_to;
	sqlite3_stmt *s;
	enum qpc_rc rc = read_dates(st, &has_recorded, &recorded_to, e);
	if (rc)
		return rc;
	if (!st->has_figures) /* the next refresh computes everything */
		return st_exec(st, "DELETE FROM temp.touched", e);
	bool record = !has_recorded || st->figures_as_of >= recorded_to;
	if ((rc = st_prepare(st, &s, "SELECT count(*) FROM temp.touched", e)))
		return rc;
	int64_t n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_finalize(s);
	if (n > TOUCHED_BULK) {
		rc = run_query(st, all_sql, 0, st->figures_as_of, record, e);
	} else if (n > 0) {
		if ((rc = st_prepare(st, &s, "SELECT account_id FROM temp.touched", e)))
			return rc;
		while (!rc && sqlite3_step(s) == SQLITE_ROW)
			rc = run_query(st, one_sql, sqlite3_column_int64(s, 0), st->figures_as_of, record,
			               e);
		sqlite3_finalize(s);
	}
	return rc ? rc : st_exec(st, "DELETE FROM temp.touched", e);
}
