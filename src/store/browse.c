/* browse.c — the browsing session, its statements, and account rows.
 *
 * Search text is in browse_text.c, counts in browse_count.c, paging in
 * browse_page.c, one account's page in browse_detail.c, the dashboard in
 * browse_dash.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "browse_int.h"

/* Both keep a step within a few milliseconds at a million accounts: a
 * row read at random costs some microseconds. */
#define SMALL_SET_DEFAULT 1000
#define BUDGET_DEFAULT 2000

static const char *const col_names[QPC_COL_COUNT] = {
	"name", "owner", "segment", "qpc", "sales", "share", "untapped", "status", "age",
};

const char *qpc_col_name(enum qpc_col c)
{
	return (unsigned)c < QPC_COL_COUNT ? col_names[c] : NULL;
}

bool qpc_col_default_desc(enum qpc_col c)
{
	return c >= QPC_COL_QPC;
}

void qpc_filter_init(struct qpc_filter *f)
{
	memset(f, 0, sizeof *f);
	f->status = -1;
}

bool qpc_filter_any(const struct qpc_filter *f)
{
	return f->owner[0] || f->segment[0] || f->status >= 0 || f->stale || f->under ||
	       f->provisional || f->at_risk;
}

static enum qpc_rc recount_tally(struct qpc_browse *b, struct qpc_error *e)
{
	enum qpc_rc rc = qpc_store_begin(b->st, e);
	if (rc)
		return rc;
	if ((rc = st_exec(b->st,
	                  "DELETE FROM account_tally;"
	                  "INSERT INTO account_tally SELECT owner, segment, status, count(*)"
	                  " FROM account GROUP BY owner, segment, status",
	                  e))) {
		qpc_store_rollback(b->st);
		return rc;
	}
	return qpc_store_commit(b->st, e);
}

/* The tally is kept by triggers; a bulk load that sets triggers aside
 * (ingest.c) leaves it behind.  Checked once a session, and recounted when
 * it disagrees with the table. */
static enum qpc_rc check_tally(struct qpc_browse *b, struct qpc_error *e)
{
	sqlite3_stmt *s;
	enum qpc_rc rc = st_prepare(b->st, &s,
	                            "SELECT (SELECT ifnull(sum(n), 0) FROM account_tally)"
	                            " = (SELECT count(*) FROM account)",
	                            e);
	if (rc)
		return rc;
	bool ok = sqlite3_step(s) == SQLITE_ROW && sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	if (ok || (!qpc_store_readonly(b->st) && !(rc = recount_tally(b, e))))
		return QPC_OK;
	/* Read-only, or the file cannot be written now (a full disk, a lock
	 * held too long): count from the table instead. */
	if (rc != QPC_OK && rc != QPC_ERR_IO && rc != QPC_ERR_BUSY && rc != QPC_ERR_READONLY)
		return rc;
	b->tally_broken = true;
	return QPC_OK;
}

/* Like st_cached(), over the session's own statements, so that browsing
 * never fills the store's cache. */
static enum qpc_rc br_cached(struct qpc_browse *b, sqlite3_stmt **stmt, const char *sql,
                             struct qpc_error *e)
{
	return st_stmts_get(b->st, &b->cache, stmt, sql, true, e);
}

/* What PRAGMA data_version says now: it moves when another connection
 * commits, never for this one's own commits. */
static enum qpc_rc data_version(struct qpc_browse *b, int64_t *v, struct qpc_error *e)
{
	static const char sql[] = "PRAGMA data_version";
	sqlite3_stmt *s;
	enum qpc_rc rc = br_cached(b, &s, sql, e);
	if (rc)
		return rc;
	if (sqlite3_step(s) != SQLITE_ROW)
		rc = st_fail(b->st, e, "checking for changes");
	else
		*v = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return rc;
}

enum qpc_rc qpc_browse_open(struct qpc_store *st, qpc_date as_of, struct qpc_browse **out,
                            struct qpc_error *e)
{
	*out = NULL;
	struct qpc_browse *b = calloc(1, sizeof *b);
	if (!b)
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	b->st = st;
	b->as_of = as_of;
	qpc_date_format(as_of - QPC_STALE_DAYS, b->cutoff);
	b->small_set = SMALL_SET_DEFAULT;
	b->budget = BUDGET_DEFAULT;
	/* The version the first qpc_browse_changed() compares with is taken
	 * before the session reads anything.  Taken at that first call
	 * instead (a second after the dashboard opened, or later while keys
	 * keep coming), it would swallow a commit that landed after the
	 * screen had read its rows: no later call would ever see it move. */
	b->home = st;
	enum qpc_rc rc;
	if (st->pg) /* a connection of its own, listening, and its copy */
		rc = br_server_open(b, e);
	else if (!(rc = data_version(b, &b->data_version, e)) && !(rc = check_tally(b, e)))
		rc = st_exec(st, "CREATE TEMP TABLE IF NOT EXISTS browse_hits (id INTEGER PRIMARY KEY)", e);
	if (rc) {
		qpc_browse_close(b); /* and the statements it prepared */
		return rc;
	}
	*out = b;
	return QPC_OK;
}

void qpc_browse_close(struct qpc_browse *b)
{
	if (!b)
		return;
	st_stmts_free(&b->cache);
	br_estimates_forget(b);
	br_risk_forget(b);
	if (b->st != b->home)
		qpc_store_close(b->st);
	free(b->pending);
	free(b);
}

bool qpc_browse_background(struct qpc_browse *b)
{
	return br_server_background(b);
}

enum qpc_rc br_q(struct qpc_browse *b, struct st_q **q, const char *sql, struct qpc_error *e)
{
	*q = NULL;
	if (b->st->pg) { /* the copy made again first, if a change made it stale */
		enum qpc_rc rc = br_ready(b, e);
		return rc ? rc : st_q_cached(b->st, q, sql, e);
	}
	sqlite3_stmt *s;
	enum qpc_rc rc = br_cached(b, &s, sql, e);
	return rc ? rc : st_q_adopt(b->st, s, q, e);
}

qpc_date qpc_browse_as_of(const struct qpc_browse *b)
{
	return b->as_of;
}

bool br_unindexed(struct qpc_browse *b)
{
	if (b->unindexed_known || b->st->pg) /* a server's copy has its indexes */
		return b->unindexed;
	/* should the question fail, the plan that works either way */
	sqlite3_stmt *s;
	b->unindexed = true;
	if (sqlite3_prepare_v2(b->st->db, "SELECT EXISTS (SELECT 1 FROM pending_ddl)", -1, &s,
	                       NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		b->unindexed = sqlite3_column_int(s, 0) != 0;
	sqlite3_finalize(s);
	b->unindexed_known = true;
	return b->unindexed;
}

/* Drops what was remembered of the data. */
static void forget(struct qpc_browse *b)
{
	b->unindexed_known = false;
	b->fts_valid = false;
	memset(b->tally, 0, sizeof b->tally);
	br_estimates_forget(b);
	br_risk_forget(b);
}

/* --- partners at risk ---------------------------------------------------- */

void br_risk_forget(struct qpc_browse *b)
{
	free(b->risk);
	b->risk = NULL;
	b->nrisk = 0;
	b->risk_loaded = false;
}

static int risk_by_id(const void *a, const void *b)
{
	const struct qpc_at_risk *x = a, *y = b;
	return x->id < y->id ? -1 : x->id > y->id;
}

enum qpc_rc br_risk_load(struct qpc_browse *b, struct qpc_error *e)
{
	if (b->risk_loaded)
		return QPC_OK;
	struct qpc_watch w;
	enum qpc_rc rc = qpc_store_watch(b->st, b->as_of, false, &w, e);
	if (rc)
		return rc;
	b->risk = w.risk; /* taken: the watch keeps the rest */
	b->nrisk = w.nrisk;
	w.risk = NULL;
	w.nrisk = 0;
	qpc_watch_free(&w);
	if (b->nrisk)
		qsort(b->risk, b->nrisk, sizeof *b->risk, risk_by_id);
	b->risk_loaded = true;
	return QPC_OK;
}

const struct qpc_at_risk *br_risk_find(const struct qpc_browse *b, int64_t id)
{
	struct qpc_at_risk key = { .id = id };
	return b->nrisk ? bsearch(&key, b->risk, b->nrisk, sizeof *b->risk, risk_by_id) : NULL;
}

enum qpc_rc qpc_browse_risk_of(struct qpc_browse *b, int64_t id, struct qpc_at_risk *out,
                               bool *at_risk, struct qpc_error *e)
{
	*at_risk = false;
	enum qpc_rc rc = br_risk_load(b, e);
	if (rc)
		return rc;
	const struct qpc_at_risk *r = br_risk_find(b, id);
	if (r) {
		*out = *r;
		*at_risk = true;
	}
	return QPC_OK;
}

void qpc_browse_forget(struct qpc_browse *b)
{
	forget(b);
	/* on a server, its copy too: what this qpc committed is heard of
	 * before the next read, and those accounts read again */
	b->sync = b->st->pg != NULL;
}

void qpc_browse_tune(struct qpc_browse *b, int small_set, int budget)
{
	if (small_set > 0)
		b->small_set = small_set;
	if (budget > 0)
		b->budget = budget;
	forget(b);
}

enum qpc_rc qpc_browse_changed(struct qpc_browse *b, bool *changed, struct qpc_error *e)
{
	if (b->st->pg) {
		enum qpc_rc rc = br_server_changed(b, changed, e);
		if (!rc && *changed)
			forget(b);
		return rc;
	}
	int64_t v = b->data_version;
	enum qpc_rc rc = data_version(b, &v, e);
	if (rc)
		return rc;
	*changed = v != b->data_version;
	b->data_version = v;
	if (*changed)
		forget(b);
	return QPC_OK;
}

/* --- rows ---------------------------------------------------------------- */

void br_copy(char *dst, size_t n, const char *src)
{
	static const char ell[] = "\xe2\x80\xa6";
	size_t len = src ? strlen(src) : 0;
	if (n == 0)
		return;
	if (len < n) {
		memcpy(dst, src ? src : "", len + 1);
		return;
	}
	/* Cut before the character that would not fit with "…" after it. */
	size_t cut = n - sizeof ell;
	while (cut > 0 && ((unsigned char)src[cut] & 0xc0) == 0x80)
		cut--;
	memcpy(dst, src, cut);
	memcpy(dst + cut, ell, sizeof ell);
}

void br_copy_at(char *dst, size_t n, struct st_q *q, int col)
{
	br_copy(dst, n, st_q_text_at(q, col));
}

bool br_is_stale(const struct qpc_browse *b, struct st_q *q, int col0)
{
	const char *on = st_q_text_at(q, col0 + R_MEASURED_ON);
	return st_q_null_at(q, col0 + R_QPC) || !on || strcmp(on, b->cutoff) < 0;
}

void br_read_row(const struct qpc_browse *b, struct st_q *q, int col0, struct qpc_browse_row *r)
{
	memset(r, 0, sizeof *r);
	r->id = st_q_int_at(q, col0 + R_ID);
	br_copy_at(r->external_id, sizeof r->external_id, q, col0 + R_EXT);
	br_copy_at(r->name, sizeof r->name, q, col0 + R_NAME);
	br_copy_at(r->owner, sizeof r->owner, q, col0 + R_OWNER);
	br_copy_at(r->segment, sizeof r->segment, q, col0 + R_SEGMENT);
	struct qpc_account_figures *f = &r->fig;
	f->qpc_measured = !st_q_null_at(q, col0 + R_QPC);
	f->qpc = st_q_int_at(q, col0 + R_QPC);
	f->sales_12m = st_q_int_at(q, col0 + R_SALES);
	st_q_gp_at(q, col0 + R_GP, f);
	f->share = qpc_share_of(f->sales_12m, f->qpc_measured, f->qpc);
	f->untapped_known = !st_q_null_at(q, col0 + R_UNTAPPED);
	f->untapped = st_q_int_at(q, col0 + R_UNTAPPED);
	if (!qpc_status_parse(st_q_text_at(q, col0 + R_STATUS), &f->status))
		f->status = QPC_PROSPECT;
	r->contract_partner = (int)st_q_int_at(q, col0 + R_CONTRACT);
	r->has_measured_on = st_q_date_at(q, col0 + R_MEASURED_ON, &r->measured_on);
	r->qpc_verified = (int)st_q_int_at(q, col0 + R_VERIFIED);
	r->stale = br_is_stale(b, q, col0);
}

/* --- single rows and lists ----------------------------------------------- */

const char br_row_sql[] = "SELECT " BR_ROW_COLUMNS " FROM account a WHERE a.id = ?1";

enum qpc_rc qpc_browse_row(struct qpc_browse *b, int64_t id, struct qpc_browse_row *row,
                           struct qpc_error *e)
{
	struct st_q *q;
	enum qpc_rc rc = br_ready(b, e);
	if (rc || (rc = br_q(b, &q, br_row_sql, e)))
		return rc;
	st_q_int(q, 1, id);
	int r = st_q_step(q);
	if (r == ST_ROW)
		br_read_row(b, q, 0, row);
	else if (r == ST_DONE)
		rc = qpc_error_set(e, QPC_ERR_NOTFOUND, "that account is gone");
	else
		rc = st_q_fail(q, "reading an account", e);
	st_q_free(q);
	return rc;
}

enum qpc_rc qpc_browse_matches(struct qpc_browse *b, int64_t id, const struct qpc_filter *f,
                               bool *yes, struct qpc_error *e)
{
	char folded[QPC_SEARCH_MAX * 4] = "";
	struct st_q *q;
	enum qpc_rc rc;
	*yes = false;
	if (f->text[0] && !br_fold(f->text, folded, sizeof folded))
		return qpc_error_set(e, QPC_ERR_USAGE, "search text too long");
	if ((rc = br_ready(b, e)) || (f->under && (rc = br_estimates_load(b, e))) ||
	    (f->at_risk && (rc = br_risk_load(b, e))) || (rc = br_q(b, &q, br_row_sql, e)))
		return rc;
	st_q_int(q, 1, id);
	int r = st_q_step(q);
	if (r == ST_ROW)
		*yes = br_passes(b, f, folded, q, 0);
	else if (r != ST_DONE)
		rc = st_q_fail(q, "reading an account", e);
	st_q_free(q);
	return rc;
}

static enum qpc_rc value_counts(struct qpc_browse *b, const char *sql, struct qpc_value_count *out,
                                int max, int *n, struct qpc_error *e)
{
	struct st_q *q;
	enum qpc_rc rc = br_ready(b, e);
	if (rc || (rc = br_q(b, &q, sql, e)))
		return rc;
	st_q_int(q, 1, max);
	int r;
	*n = 0;
	while ((r = st_q_step(q)) == ST_ROW && *n < max) {
		const char *t = st_q_text_at(q, 0);
		if (!t || strlen(t) >= QPC_TEXT_SHORT) /* longer ones could not be matched */
			continue;
		br_copy(out[*n].text, QPC_TEXT_SHORT, t);
		out[(*n)++].n = st_q_int_at(q, 1);
	}
	if (r != ST_DONE && r != ST_ROW)
		rc = st_q_fail(q, "listing owners and segments", e);
	st_q_free(q);
	return rc;
}

enum qpc_rc qpc_browse_owners(struct qpc_browse *b, struct qpc_value_count *out, int max, int *n,
                              struct qpc_error *e)
{
	return value_counts(b,
	                    "SELECT owner, sum(n) FROM account_tally WHERE owner <> ''"
	                    " GROUP BY owner HAVING sum(n) > 0 ORDER BY owner COLLATE QPC_NAME LIMIT ?1",
	                    out, max, n, e);
}

enum qpc_rc qpc_browse_segment_counts(struct qpc_browse *b, struct qpc_value_count *out, int max,
                                      int *n, struct qpc_error *e)
{
	return value_counts(b,
	                    "SELECT segment, sum(n) FROM account_tally WHERE segment <> ''"
	                    " GROUP BY segment HAVING sum(n) > 0 ORDER BY segment COLLATE QPC_NAME LIMIT ?1",
	                    out, max, n, e);
}

enum qpc_rc qpc_browse_categories(struct qpc_browse *b, char (*out)[QPC_CATEGORY_MAX], int max,
                                  int *n, struct qpc_error *e)
{
	static const char sql[] = "SELECT name FROM category ORDER BY name COLLATE QPC_NAME LIMIT ?1";
	struct st_q *q;
	enum qpc_rc rc = br_q(b, &q, sql, e);
	if (rc)
		return rc;
	st_q_int(q, 1, max);
	int r;
	*n = 0;
	while ((r = st_q_step(q)) == ST_ROW && *n < max) {
		const char *t = st_q_text_at(q, 0);
		if (t && strlen(t) < QPC_CATEGORY_MAX) /* a longer one could not be matched */
			memcpy(out[(*n)++], t, strlen(t) + 1);
	}
	if (r != ST_DONE && r != ST_ROW)
		rc = st_q_fail(q, "listing categories", e);
	st_q_free(q);
	return rc;
}
