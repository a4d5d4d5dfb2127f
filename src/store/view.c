/* view.c — the figures one connection reads, at the date it asked for.
 *
 * At the cache's date (today, as the last write left it) readers read
 * main's account table.  At any other date the figures are this reader's
 * alone: a private copy of the account table, temp.account, with the
 * figures of that date and the same indexes, and a tally of it.  SQLite
 * finds a temp table before main's of the same name, so every query of
 * the browse and export code reads the copy unchanged; the database file
 * is never written.  Writes drop the copy first (they must reach main)
 * and make it again after.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const char fig_sql[] =
	"INSERT INTO temp.view_fig(id, qpc, qpc_measured_on, qpc_verified, sales_12m, gp_12m,"
	" share_bp, share_over, untapped, status, contract_partner, contract_value, quality,"
	" gp_known) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";

/* The figure columns: taken from view_fig, the rest from main. */
static const char *const fig_cols[] = { "qpc", "qpc_measured_on", "qpc_verified", "sales_12m",
	                                "gp_12m", "share_bp", "share_over", "untapped", "status",
	                                "contract_partner", "contract_value", "quality", "gp_known",
	                                NULL };

static bool is_fig_col(const char *c)
{
	for (int i = 0; fig_cols[i]; i++)
		if (strcmp(c, fig_cols[i]) == 0)
			return true;
	return false;
}

static enum qpc_rc put_fig(struct qpc_store *st, const struct st_fig *g, struct st_q *row,
                           void *ctx, struct qpc_error *e)
{
	(void)row;
	sqlite3_stmt *u = ctx;
	sqlite3_reset(u);
	st_bind_fig(st, u, g);
	if (sqlite3_step(u) != SQLITE_DONE)
		return st_fail(st, e, "computing figures");
	return QPC_OK;
}

static enum qpc_rc drop(struct qpc_store *st, struct qpc_error *e)
{
	/* Statements still stepping on the copy would keep it: the browse
	 * resets its own, so this only fails on a caller's mistake. */
	sqlite3_stmt *s;
	enum qpc_rc rc = st_prepare(st, &s,
	                            "SELECT type FROM temp.sqlite_schema WHERE name = 'account'", e);
	if (rc)
		return rc;
	bool view = sqlite3_step(s) == SQLITE_ROW &&
	            strcmp((const char *)sqlite3_column_text(s, 0), "view") == 0;
	sqlite3_finalize(s);
	return st_exec(st,
	               view ? "DROP VIEW temp.account; DROP TABLE IF EXISTS temp.account_tally;"
	                      "DROP TABLE IF EXISTS temp.view_fig"
	                    : "DROP TABLE IF EXISTS temp.account; DROP TABLE IF EXISTS"
	                      " temp.account_tally; DROP TABLE IF EXISTS temp.view_fig",
	               e);
}

void st_view_drop(struct qpc_store *st)
{
	if (st->shadow && drop(st, NULL) == QPC_OK)
		st->shadow = false;
}

/* Appends s to a growing string; false when memory ran out. */
static bool append(char **buf, size_t *len, size_t *cap, const char *s)
{
	size_t n = strlen(s);
	if (*len + n + 1 > *cap) {
		size_t c = (*cap ? *cap * 2 : 512) + n;
		char *grown = realloc(*buf, c);
		if (!grown)
			return false;
		*buf = grown;
		*cap = c;
	}
	memcpy(*buf + *len, s, n + 1);
	*len += n;
	return true;
}

/* "INSERT INTO temp.account(cols) SELECT a.col | f.col ... FROM main.account a JOIN
 * temp.view_fig f USING (id)", the stored columns only. */
static enum qpc_rc copy_sql(struct qpc_store *st, bool as_view, char **out, struct qpc_error *e)
{
	sqlite3_stmt *s;
	enum qpc_rc rc = st_prepare(st, &s, "SELECT name FROM pragma_table_xinfo('account', 'main')"
	                                    " WHERE hidden = 0 ORDER BY cid",
	                            e);
	if (rc)
		return rc;
	char *cols = NULL, *sel = NULL;
	size_t cl = 0, cc = 0, sl = 0, sc = 0;
	bool ok = append(&cols, &cl, &cc, "") && append(&sel, &sl, &sc, "");
	int n = 0;
	while (ok && sqlite3_step(s) == SQLITE_ROW) {
		const char *c = (const char *)sqlite3_column_text(s, 0);
		char q[160];
		snprintf(q, sizeof q, "%s\"%s\"", n ? ", " : "", c);
		ok = append(&cols, &cl, &cc, q);
		snprintf(q, sizeof q, "%s%s.\"%s\"", n ? ", " : "", is_fig_col(c) ? "f" : "a", c);
		ok = ok && append(&sel, &sl, &sc, q);
		n++;
	}
	sqlite3_finalize(s);
	char *sql = NULL;
	size_t ql = 0, qc = 0;
	if (as_view)
		ok = ok && append(&sql, &ql, &qc, "CREATE TEMP VIEW account(") &&
		     append(&sql, &ql, &qc, cols) && append(&sql, &ql, &qc, ") AS SELECT ");
	else
		ok = ok && append(&sql, &ql, &qc, "INSERT INTO temp.account(") &&
		     append(&sql, &ql, &qc, cols) && append(&sql, &ql, &qc, ") SELECT ");
	ok = ok && append(&sql, &ql, &qc, sel) &&
	     append(&sql, &ql, &qc, " FROM main.account a JOIN temp.view_fig f ON f.id = a.id");
	free(cols);
	free(sel);
	if (!ok) {
		free(sql);
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	}
	*out = sql;
	return QPC_OK;
}

/* Runs main's CREATE statements for the account table and its indexes
 * on the temp schema. */
static enum qpc_rc copy_schema(struct qpc_store *st, bool indexes, struct qpc_error *e)
{
	sqlite3_stmt *s;
	enum qpc_rc rc = st_prepare(st, &s,
	                            "SELECT type, sql FROM main.sqlite_schema WHERE tbl_name = 'account'"
	                            " AND sql IS NOT NULL AND type IN ('table', 'index')"
	                            " ORDER BY type = 'index'",
	                            e);
	if (rc)
		return rc;
	while (!rc && sqlite3_step(s) == SQLITE_ROW) {
		const char *type = (const char *)sqlite3_column_text(s, 0);
		const char *sql = (const char *)sqlite3_column_text(s, 1);
		bool table = strcmp(type, "table") == 0;
		const char *head = table ? "CREATE TABLE " : "CREATE INDEX ";
		size_t hl = strlen(head);
		if (table == indexes) /* the table, or its indexes */
			continue;
		if (strncmp(sql, head, hl) != 0)
			continue; /* not one of ours */
		char *temp = sqlite3_mprintf("%stemp.%s", head, sql + hl);
		if (!temp)
			rc = qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
		else
			rc = st_exec(st, temp, e);
		sqlite3_free(temp);
	}
	sqlite3_finalize(s);
	return rc;
}

static int64_t data_version(struct qpc_store *st)
{
	sqlite3_stmt *s;
	int64_t v = -1;
	if (sqlite3_prepare_v2(st->db, "PRAGMA data_version", -1, &s, NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			v = sqlite3_column_int64(s, 0);
		sqlite3_finalize(s);
	}
	return v;
}

void st_view_current(struct qpc_store *st)
{
	if (st->pg || st->tx_depth > 0 || st->figures_kept) /* a server keeps no figures */
		return;
	sqlite3_stmt *q;
	if (sqlite3_prepare_v2(st->db, "SELECT value FROM main.setting WHERE key = 'figures_as_of'",
	                       -1, &q, NULL) == SQLITE_OK) {
		st->has_figures = sqlite3_step(q) == SQLITE_ROW &&
		                  st_column_date(q, 0, &st->figures_as_of);
		sqlite3_finalize(q);
	}
	if (st->shadow && data_version(st) != st->shadow_version)
		st_view_drop(st);
}

/* Two kinds of copy.  A reader that walks the accounts once (an export,
 * a report's candidates) gets a view: main's accounts joined to the
 * figures of its date, computed once into view_fig.  A reader that
 * browses them sorted (the dashboard) gets a table with main's indexes,
 * which costs more to make. */
static enum qpc_rc build(struct qpc_store *st, qpc_date as_of, bool indexed, struct qpc_error *e)
{
	sqlite3_stmt *u = NULL;
	char *copy = NULL;
	enum qpc_rc rc;
	/* One read transaction: every scan sees the same facts. */
	if ((rc = drop(st, e)) || (rc = st_exec(st, "BEGIN", e)))
		return rc;
	st->shadow_indexed = false;
	st->shadow = true; /* from here on, a failure drops what was made */
	if ((rc = st_exec(st,
	                  "CREATE TEMP TABLE view_fig (id INTEGER PRIMARY KEY, qpc INTEGER,"
	                  " qpc_measured_on TEXT, qpc_verified INTEGER, sales_12m INTEGER,"
	                  " gp_12m INTEGER, share_bp INTEGER, share_over INTEGER, untapped INTEGER,"
	                  " status TEXT, contract_partner INTEGER, contract_value INTEGER,"
	                  " quality INTEGER, gp_known INTEGER)",
	                  e)) ||
	    (rc = st_prepare(st, &u, fig_sql, e)) ||
	    (rc = st_figures_at(st, as_of, 0, ST_WALK_LEAN, put_fig, u, e)) ||
	    (rc = copy_sql(st, !indexed, &copy, e)))
		goto fail;
	if (!indexed)
		rc = st_exec(st, copy, e);
	else if (!(rc = copy_schema(st, false, e)) && !(rc = st_exec(st, copy, e)) &&
	         !(rc = st_exec(st, "DROP TABLE temp.view_fig", e)) &&
	         /* fourteen indexes of a million rows: 16 s on one core, 9 on two */
	         !(rc = st_sort_threads(st, e)) && !(rc = copy_schema(st, true, e)))
		/* the browse counts filters in the tally */
		rc = st_exec(st,
		             "CREATE TEMP TABLE account_tally (owner TEXT NOT NULL,"
		             " segment TEXT NOT NULL, status TEXT NOT NULL, n INTEGER NOT NULL,"
		             " PRIMARY KEY (owner, segment, status)) WITHOUT ROWID;"
		             "INSERT INTO temp.account_tally SELECT owner, segment, status,"
		             " count(*) FROM temp.account GROUP BY owner, segment, status",
		             e);
	if (rc)
		goto fail;
	sqlite3_finalize(u);
	free(copy);
	if ((rc = st_exec(st, "COMMIT", e)))
		goto fail_done;
	st->shadow_indexed = indexed;
	st->shadow_date = as_of;
	st->shadow_version = data_version(st);
	return QPC_OK;
fail:
	sqlite3_finalize(u);
	free(copy);
	sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
fail_done:
	st_view_drop(st);
	return rc;
}

enum qpc_rc st_view(struct qpc_store *st, qpc_date as_of, bool indexed, struct qpc_error *e)
{
	if (st->pg) /* no figures kept there: readers compute theirs */
		return QPC_OK;
	st_view_current(st);
	st->has_view = true;
	st->view_date = as_of;
	st->view_indexed |= indexed;
	if (st->has_figures && st->figures_as_of == as_of && !st->figures_kept) {
		st_view_drop(st);
		return QPC_OK;
	}
	if (st->shadow && st->shadow_date == as_of && (!indexed || st->shadow_indexed))
		return QPC_OK;
	if (st->figures_kept) /* browse what is there; callers show its date */
		return QPC_OK;
	if (st->tx_depth > 0) /* the copy would hide main from the change */
		return qpc_error_set(e, QPC_ERR_DB,
		                     "figures at another date than the cache's cannot be read "
		                     "inside a change");
	char doing[64], day[QPC_DATE_ISO_LEN];
	snprintf(doing, sizeof doing, "computing the figures as of %s", qpc_date_format(as_of, day));
	const char *outer = st->doing;
	st->doing = doing;
	enum qpc_rc rc = build(st, as_of, indexed, e);
	st->doing = outer;
	return rc;
}

enum qpc_rc qpc_store_refresh(struct qpc_store *st, qpc_date as_of, struct qpc_error *e)
{
	return st_view(st, as_of, true, e);
}

void st_view_restore(struct qpc_store *st)
{
	if (!st->has_view || st->shadow || st->figures_kept)
		return;
	if (st->has_figures && st->figures_as_of == st->view_date)
		return;
	/* A failure leaves main's figures showing; the next refresh tries
	 * again. */
	build(st, st->view_date, st->view_indexed, NULL);
}

bool qpc_store_keep_figures(struct qpc_store *st, enum qpc_rc rc)
{
	if (rc != QPC_ERR_IO && rc != QPC_ERR_BUSY && rc != QPC_ERR_READONLY &&
	    rc != QPC_ERR_NOMEM)
		return false;
	if (st->tx_depth > 0)
		return false;
	st->figures_kept = true;
	return true;
}
