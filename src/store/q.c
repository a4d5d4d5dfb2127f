/* q.c — one query layer for both backends: a statement prepared on a
 * SQLite file or on a team server, run by the same code.
 *
 * The SQL is written in the words both speak: parameters ?1.. or :name,
 * dates as text, money as integers, "user" quoted.  On SQLite a statement
 * is SQLite's own; on the server pg.c turns the parameters into $n and
 * runs it with libpq.  A store function written with st_q runs on both. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "qpc/namekey.h"

struct st_q {
	struct qpc_store *st;
	sqlite3_stmt *lite;  /* on a file */
	struct st_pg_q *pg;  /* on a server */
	sqlite3 *db;         /* lite's connection: the store's, or a reader's */
	bool cached;         /* lite is the store's cache's: reset, not finalized */
};

/* A statement of its own, or a kept one: on a file the store's cached
 * statement (reset, not finalized, when freed), on a server one the
 * server keeps parsed and planned for the session. */
static enum qpc_rc q_open(struct qpc_store *st, struct st_q **out, const char *sql, bool cache,
                          struct qpc_error *e)
{
	*out = NULL;
	struct st_q *q = calloc(1, sizeof *q);
	if (!q)
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	q->st = st;
	q->db = st->db;
	q->cached = cache && !st->pg;
	enum qpc_rc rc = st->pg     ? st_pg_q_prepare_kept(st, &q->pg, sql, cache, e)
	                 : q->cached ? st_cached(st, &q->lite, sql, e)
	                             : st_prepare(st, &q->lite, sql, e);
	if (rc) {
		free(q);
		return rc;
	}
	*out = q;
	return QPC_OK;
}

enum qpc_rc st_q_prepare(struct qpc_store *st, struct st_q **out, const char *sql,
                         struct qpc_error *e)
{
	return q_open(st, out, sql, false, e);
}

enum qpc_rc st_q_cached(struct qpc_store *st, struct st_q **out, const char *sql,
                        struct qpc_error *e)
{
	return q_open(st, out, sql, true, e);
}

enum qpc_rc st_q_prepare_on(struct qpc_store *st, sqlite3 *db, struct st_q **out,
                            const char *sql, struct qpc_error *e)
{
	if (!db || db == st->db)
		return q_open(st, out, sql, false, e);
	*out = NULL;
	struct st_q *q = calloc(1, sizeof *q);
	if (!q)
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	q->st = st;
	q->db = db;
	if (sqlite3_prepare_v2(db, sql, -1, &q->lite, NULL) != SQLITE_OK) {
		enum qpc_rc rc = qpc_error_set(e, QPC_ERR_DB, "preparing a query: %s",
		                               sqlite3_errmsg(db));
		free(q);
		return rc;
	}
	*out = q;
	return QPC_OK;
}

enum qpc_rc st_q_adopt(struct qpc_store *st, sqlite3_stmt *s, struct st_q **out,
                       struct qpc_error *e)
{
	struct st_q *q = *out = calloc(1, sizeof *q);
	if (!q)
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	q->st = st;
	q->db = st->db;
	q->lite = s;
	q->cached = true;
	return QPC_OK;
}

sqlite3_stmt *st_q_lite(struct st_q *q)
{
	return q->lite;
}

void st_q_free(struct st_q *q)
{
	if (!q)
		return;
	if (q->lite && q->cached)
		sqlite3_reset(q->lite);
	else if (q->lite)
		sqlite3_finalize(q->lite);
	st_pg_q_free(q->pg);
	free(q);
}

struct qpc_store *st_q_store(struct st_q *q)
{
	return q->st;
}

void st_q_stream(struct st_q *q)
{
	if (q->pg)
		st_pg_q_stream(q->pg);
}

void st_q_reset(struct st_q *q)
{
	if (q->lite)
		sqlite3_reset(q->lite);
	else
		st_pg_q_reset(q->pg);
}

int st_q_index(struct st_q *q, const char *name)
{
	return q->lite ? sqlite3_bind_parameter_index(q->lite, name) : st_pg_q_index(q->pg, name);
}

void st_q_text(struct st_q *q, int i, const char *v)
{
	if (i <= 0)
		return;
	if (!q->lite)
		st_pg_q_bind(q->pg, i, v);
	else if (v)
		sqlite3_bind_text(q->lite, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(q->lite, i);
}

void st_q_int(struct st_q *q, int i, int64_t v)
{
	if (i <= 0)
		return;
	if (q->lite) {
		sqlite3_bind_int64(q->lite, i, v);
	} else {
		char buf[24];
		snprintf(buf, sizeof buf, "%lld", (long long)v);
		st_pg_q_bind(q->pg, i, buf);
	}
}

void st_q_set_text(struct st_q *q, const char *name, const char *v)
{
	st_q_text(q, st_q_index(q, name), v);
}

void st_q_set_int(struct st_q *q, const char *name, int64_t v)
{
	st_q_int(q, st_q_index(q, name), v);
}

void st_q_set_date(struct st_q *q, const char *name, qpc_date d)
{
	char day[QPC_DATE_ISO_LEN];
	st_q_set_text(q, name, qpc_date_format(d, day));
}

int st_q_step(struct st_q *q)
{
	if (!q->lite)
		return st_pg_q_step(q->pg);
	int r = sqlite3_step(q->lite);
	if (r == SQLITE_ROW || r == SQLITE_DONE)
		return r;
	return (r & 0xff) == SQLITE_CONSTRAINT ? ST_CONSTRAINT : ST_FAILED;
}

bool st_q_null_at(struct st_q *q, int col)
{
	return q->lite ? sqlite3_column_type(q->lite, col) == SQLITE_NULL
	               : st_pg_q_text_at(q->pg, col) == NULL;
}

const char *st_q_text_at(struct st_q *q, int col)
{
	return q->lite ? (const char *)sqlite3_column_text(q->lite, col)
	               : st_pg_q_text_at(q->pg, col);
}

int64_t st_q_int_at(struct st_q *q, int col)
{
	if (q->lite)
		return sqlite3_column_int64(q->lite, col);
	const char *t = st_pg_q_text_at(q->pg, col);
	if (t && (t[0] == 't' || t[0] == 'f') && !t[1]) /* a boolean, as SQLite's 1 or 0 */
		return t[0] == 't';
	return t ? strtoll(t, NULL, 10) : 0;
}

double st_q_double_at(struct st_q *q, int col)
{
	if (q->lite)
		return sqlite3_column_double(q->lite, col);
	const char *t = st_pg_q_text_at(q->pg, col);
	return t ? strtod(t, NULL) : 0.0;
}

void st_q_copy_at(struct st_q *q, int col, char *buf, size_t n)
{
	const char *t = st_q_text_at(q, col);
	snprintf(buf, n, "%s", t ? t : "");
}

void st_q_gp_at(struct st_q *q, int i, struct qpc_account_figures *f)
{
	f->gp_known = !st_q_null_at(q, i);
	f->gp_12m = st_q_int_at(q, i);
}

bool st_q_date_at(struct st_q *q, int col, qpc_date *out)
{
	const char *t = st_q_text_at(q, col);
	return t && qpc_date_parse_iso(t, out);
}

int64_t st_q_changes(struct st_q *q)
{
	return q->lite ? (int64_t)sqlite3_changes64(q->db) : st_pg_q_changes(q->pg);
}

enum qpc_rc st_q_fail(struct st_q *q, const char *doing, struct qpc_error *e)
{
	if (q->lite && q->db != q->st->db) /* a reader of its own: not the store's error */
		return qpc_error_set(e, QPC_ERR_DB, "%s: %s", doing, sqlite3_errmsg(q->db));
	return q->lite ? st_fail(q->st, e, doing) : st_pg_q_fail(q->pg, doing, e);
}

enum qpc_rc st_q_done(struct st_q *q, const char *doing, struct qpc_error *e)
{
	int r = st_q_step(q);
	return r == ST_DONE || r == ST_ROW ? QPC_OK : st_q_fail(q, doing, e);
}

enum qpc_rc st_q_run(struct qpc_store *st, const char *sql, const char *doing,
                     struct qpc_error *e)
{
	struct st_q *q;
	enum qpc_rc rc = st_q_prepare(st, &q, sql, e);
	if (!rc)
		rc = st_q_done(q, doing, e);
	st_q_free(q);
	return rc;
}

char *st_name_key(const char *name, char *buf, size_t size)
{
	size_t len = strlen(name);
	char *k = 2 * len + 1 <= size ? buf : malloc(2 * len + 1);
	if (k)
		k[qpc_name_key(name, len, k, 2 * len + 1)] = '\0';
	return k;
}

enum qpc_rc st_q_begin(struct qpc_store *st, struct qpc_error *e)
{
	return st->pg ? st_pg_begin(st, e) : qpc_store_begin(st, e);
}

enum qpc_rc st_q_commit(struct qpc_store *st, struct qpc_error *e)
{
	return st->pg ? st_pg_commit(st, e) : qpc_store_commit(st, e);
}

void st_q_rollback(struct qpc_store *st)
{
	if (st->pg)
		st_pg_rollback(st);
	else
		qpc_store_rollback(st);
}

bool st_q_read_begin(struct qpc_store *st)
{
	if (st->pg)
		return st_pg_read_begin(st);
	return sqlite3_get_autocommit(st->db) &&
	       sqlite3_exec(st->db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK;
}

void st_q_read_end(struct qpc_store *st, bool began)
{
	if (!began)
		return;
	if (st->pg)
		st_pg_read_end(st);
	else
		sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
}
