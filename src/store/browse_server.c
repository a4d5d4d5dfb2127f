/* browse_server.c — the browsing session on a team server.
 *
 * A server keeps no figures (each reader computes its own, figures.c), and
 * the browse sorts, counts and pages accounts by them.  So the session
 * opens a connection of its own and fills temp tables there, which
 * PostgreSQL finds before the schema's tables of the same name, as SQLite
 * finds a file's temp copy (view.c):
 *
 *   account        every account with its figures at the session's date,
 *                  owner and segment in byte order (a file's), the indexes
 *                  the pages seek by, and search_key: name and external id
 *                  folded as br_fold() folds them, under a trigram index;
 *   account_tally  how many accounts of each owner, segment and status;
 *   browse_hits    the search text's matches (browse_text.c).
 *
 * The figures are computed on the caller's connection and stream into the
 * copy by COPY as they come.  The session's connection LISTENs: a commit
 * anywhere on the server (its triggers, schema version 4) makes the copy
 * stale, and the next read makes it again.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "browse_int.h"

static const char filling[] = "copying the figures";

/* COPY's rows of view_fig, and the first failure writing them. */
struct fill {
	struct qpc_store *to;
	struct st_copy_buf out;
	enum qpc_rc rc;
	struct qpc_error *e;
};

static void put_text(struct fill *f, const char *t, char end)
{
	if (!f->rc)
		f->rc = st_copy_put(f->to, &f->out, t, end, filling, f->e);
}

static void put_int(struct fill *f, bool known, int64_t v)
{
	if (!f->rc)
		f->rc = st_copy_put_int(f->to, &f->out, known, v, filling, f->e);
}

/* The name and external id as br_fold() has them, a line apart: the
 * trigram index finds a superset of a search's matches by it, which the
 * rows' own check narrows (br_passes).  Folded into as much room as
 * br_passes' folding allows them. */
static void put_search_key(struct fill *f, const char *name, const char *ext)
{
	char buf[2048];
	name = name ? name : "";
	ext = ext ? ext : "";
	size_t nn = 2 * strlen(name) + 1, ne = 2 * strlen(ext) + 1, n = nn + ne;
	char *k = n <= sizeof buf ? buf : malloc(n);
	if (!k || !br_fold(name, k, nn) || !br_fold(ext, k + strlen(k) + 1, ne)) {
		if (!f->rc)
			f->rc = qpc_error_set(f->e, QPC_ERR_NOMEM, "out of memory");
	} else {
		k[strlen(k)] = '\n'; /* the line between them */
		put_text(f, k, '\n');
	}
	if (k != buf)
		free(k);
}

static enum qpc_rc put_row(struct qpc_store *st, const struct st_fig *g, struct st_q *row,
                           void *ctx, struct qpc_error *e)
{
	(void)st, (void)e;
	struct fill *f = ctx;
	const struct qpc_account_figures *a = &g->f;
	char day[QPC_DATE_ISO_LEN];
	put_int(f, true, g->id);
	put_int(f, a->qpc_measured, a->qpc);
	put_text(f, g->has_oldest ? qpc_date_format(g->oldest, day) : NULL, '\t');
	put_int(f, true, g->verified);
	put_int(f, true, a->sales_12m);
	put_int(f, true, a->gp_12m);
	put_int(f, a->share.kind != QPC_SHARE_UNDEFINED, a->share.bp);
	put_int(f, true, a->share.kind == QPC_SHARE_OVER);
	put_int(f, a->untapped_known, a->untapped);
	put_text(f, qpc_status_name(a->status), '\t');
	put_int(f, true, g->contract);
	put_int(f, g->has_contract_value, g->contract_value);
	put_int(f, g->quality >= 0, g->quality);
	put_int(f, true, a->gp_known);
	put_search_key(f, st_q_text_at(row, SC_NAME), st_q_text_at(row, SC_EXT));
	return f->rc;
}

/* Runs each statement in turn; the first failure ends it. */
static enum qpc_rc run_all(struct qpc_store *st, const char *const *sql, size_t n,
                           const char *doing, struct qpc_error *e)
{
	enum qpc_rc rc = QPC_OK;
	for (size_t i = 0; !rc && i < n; i++)
		rc = st_q_run(st, sql[i], doing, e);
	return rc;
}

#define COUNT(a) (sizeof (a) / sizeof *(a))

/* The figures as computed, for the copy's rows to take (copy_sql). */
static const char view_fig_sql[] =
	"CREATE TEMP TABLE view_fig (id bigint, qpc bigint, qpc_measured_on text,"
	" qpc_verified integer, sales_12m bigint, gp_12m bigint, share_bp integer,"
	" share_over integer, untapped bigint, status text, contract_partner integer,"
	" contract_value bigint, quality integer, gp_known integer, search_key text)";

/* The copy's columns beyond the server's: the search key; the figures
 * the server does not keep (those of st_fig_cols it lacks), as a file's
 * account table has them; and the keys the pages sort them by, as a
 * file's generated columns make them (schema.c).  Owner and segment sort
 * and compare as on a file, byte by byte. */
static const char sort_keys_sql[] =
	", coalesce(f.qpc, -1) AS sort_qpc, coalesce(f.share_bp, -1) + f.share_over AS sort_share,"
	" coalesce(f.untapped, -1) AS sort_untapped, CASE f.status WHEN 'customer' THEN 1"
	" WHEN 'candidate' THEN 2 WHEN 'partner' THEN 3 ELSE 0 END AS sort_status,"
	" coalesce(f.qpc_measured_on, '') AS sort_age";
static const char byte_order[] = " COLLATE \"C\"";

/* Every name is pg_temp's, said: unqualified, a table the session has
 * not made yet would be the schema's own. */
static const char *const prepare_sql[] = {
	"DROP TABLE IF EXISTS pg_temp.account, pg_temp.account_tally, pg_temp.view_fig",
	view_fig_sql,
	"CREATE TEMP TABLE IF NOT EXISTS browse_hits (id bigint PRIMARY KEY)",
};

static const char tally_sql[] = "CREATE TEMP TABLE account_tally AS SELECT owner, segment,"
                                " status, count(*) AS n FROM pg_temp.account"
                                " GROUP BY owner, segment, status";

/* What follows the copy: its key, and the tally.  The indexes the pages
 * seek by come as a view first needs each (br_server_index): at a million
 * accounts each takes a second or more, the trigram index several. */
static const char *const finish_sql[] = {
	"DROP TABLE pg_temp.view_fig",
	"CREATE UNIQUE INDEX ON pg_temp.account (id)",
	tally_sql,
	"CREATE UNIQUE INDEX ON pg_temp.account_tally (owner, segment, status)",
	"ANALYZE pg_temp.account",
	"ANALYZE pg_temp.account_tally",
};

/* Per column (enum qpc_col) the index its order seeks by, ending in id as
 * the keyset pages do; then those led by status (NULL: none), then the
 * trigram index. */
static const char *const index_sql[2 * QPC_COL_COUNT + 1] = {
	[QPC_COL_NAME] = "CREATE INDEX ON pg_temp.account (name_key, id)",
	[QPC_COL_OWNER] = "CREATE INDEX ON pg_temp.account (owner, id)",
	[QPC_COL_SEGMENT] = "CREATE INDEX ON pg_temp.account (segment, id)",
	[QPC_COL_QPC] = "CREATE INDEX ON pg_temp.account (sort_qpc, id)",
	[QPC_COL_SALES] = "CREATE INDEX ON pg_temp.account (sales_12m, id)",
	[QPC_COL_SHARE] = "CREATE INDEX ON pg_temp.account (sort_share, id)",
	[QPC_COL_UNTAPPED] = "CREATE INDEX ON pg_temp.account (sort_untapped, id)",
	[QPC_COL_STATUS] = "CREATE INDEX ON pg_temp.account (sort_status, id)",
	[QPC_COL_AGE] = "CREATE INDEX ON pg_temp.account (sort_age, id)",
	[QPC_COL_COUNT + QPC_COL_QPC] = "CREATE INDEX ON pg_temp.account (sort_status, sort_qpc, id)",
	[QPC_COL_COUNT + QPC_COL_SALES] =
		"CREATE INDEX ON pg_temp.account (sort_status, sales_12m, id)",
	[QPC_COL_COUNT + QPC_COL_SHARE] =
		"CREATE INDEX ON pg_temp.account (sort_status, sort_share, id)",
	[QPC_COL_COUNT + QPC_COL_UNTAPPED] =
		"CREATE INDEX ON pg_temp.account (sort_status, sort_untapped, id)",
	[2 * QPC_COL_COUNT] = "CREATE INDEX ON pg_temp.account USING gin (search_key qpc.gin_trgm_ops)",
};


/* "into SELECT each of the schema's columns from its row or, a figure,
 * from view_fig, then the figures it does not keep, then the sort keys":
 * the copy's rows, whose columns the copy takes from them when it is made
 * (fill) and follows after.  The columns are the server's, as it has them. */
static enum qpc_rc copy_sql(struct qpc_store *st, const char *into, char **out,
                            struct qpc_error *e)
{
	static const char cols_sql[] =
		"SELECT attname FROM pg_attribute WHERE attrelid = CAST('qpc.account' AS regclass)"
		" AND attnum > 0 AND NOT attisdropped AND attgenerated = '' ORDER BY attnum";
	struct st_q *q;
	size_t cap = 4096, len;
	char *sql = malloc(cap);
	enum qpc_rc rc = sql ? st_q_prepare(st, &q, cols_sql, e)
	                     : qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	if (rc) {
		free(sql);
		return rc;
	}
	uint32_t kept = 0; /* the figures the server keeps, by st_fig_cols */
	len = (size_t)snprintf(sql, cap, "%s SELECT f.search_key", into);
	int r;
	while ((r = st_q_step(q)) == ST_ROW) {
		const char *c = st_q_text_at(q, 0);
		int fig = st_fig_col(c);
		bool bytes = strcmp(c, "owner") == 0 || strcmp(c, "segment") == 0;
		if (fig >= 0)
			kept |= UINT32_C(1) << fig;
		len += (size_t)snprintf(sql + len, len < cap ? cap - len : 0, ", %s.\"%s\"%s AS \"%s\"",
		                        fig >= 0 ? "f" : "a", c, bytes ? byte_order : "", c);
	}
	for (int i = 0; r == ST_DONE && st_fig_cols[i]; i++)
		if (!(kept & (UINT32_C(1) << i)))
			len += (size_t)snprintf(sql + len, len < cap ? cap - len : 0, ", f.%s",
			                        st_fig_cols[i]);
	if (r != ST_DONE)
		rc = st_q_fail(q, "reading the accounts' columns", e);
	else if (len + sizeof sort_keys_sql + 80 >= cap)
		rc = qpc_error_set(e, QPC_ERR_DB, "the team server's account table has too many columns");
	else
		snprintf(sql + len, cap - len,
		         "%s FROM qpc.account a JOIN pg_temp.view_fig f ON f.id = a.id", sort_keys_sql);
	st_q_free(q);
	if (rc)
		free(sql);
	else
		*out = sql;
	return rc;
}

/* The figures at the session's date of every account (ids NULL) or of
 * ids, into view_fig by COPY, then into the copy: made of them (ids
 * NULL; in one pass, with none of an INSERT's work per row), or added
 * to; in the transaction open on the session's connection. */
static enum qpc_rc fill(struct qpc_browse *b, const int64_t *ids, size_t n, const char *doing,
                        struct qpc_error *e)
{
	struct qpc_store *st = b->st;
	struct fill *f = calloc(1, sizeof *f);
	char *sql = NULL;
	if (!f)
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	*f = (struct fill){ .to = st, .e = e };
	const char *into = ids ? "INSERT INTO pg_temp.account" : "CREATE TEMP TABLE account AS";
	enum qpc_rc rc = copy_sql(st, into, &sql, e);
	if (!rc && !(rc = st_pg_copy_begin(st, "COPY pg_temp.view_fig FROM STDIN", doing, e))) {
		if (!ids)
			rc = st_figures_at(b->home, b->as_of, 0, ST_WALK_NAMES, put_row, f, e);
		for (size_t i = 0; ids && !rc && i < n; i++)
			rc = st_figures_at(b->home, b->as_of, ids[i], ST_WALK_NAMES, put_row, f, e);
		if (!rc && !(rc = f->rc))
			rc = st_copy_flush(st, &f->out, doing, e);
		if (rc)
			st_pg_copy_abandon(st);
		else
			rc = st_pg_copy_end(st, doing, e);
	}
	if (!rc)
		rc = st_q_run(st, sql, doing, e);
	free(sql);
	free(f);
	return rc;
}

/* What the connection has heard of commits (st_pg_notices): an account
 * to read again, or every account. */
#define PENDING_MAX 1000 /* beyond: the whole copy made again */

static void heard(const char *what, void *ctx)
{
	struct qpc_browse *b = ctx;
	char *end;
	long long id = strtoll(what, &end, 10);
	if (!*what || b->stale) /* nothing of the figures, or all of them */
		return;
	if (*end || id <= 0 || b->npending >= PENDING_MAX) {
		b->stale = true;
		return;
	}
	for (size_t i = 0; i < b->npending; i++)
		if (b->pending[i] == id)
			return;
	if (b->npending == b->cappending) {
		size_t cap = b->cappending ? 2 * b->cappending : 16;
		int64_t *grown = realloc(b->pending, cap * sizeof *grown);
		if (!grown) {
			b->stale = true;
			return;
		}
		b->pending = grown;
		b->cappending = cap;
	}
	b->pending[b->npending++] = id;
}

static enum qpc_rc build(struct qpc_browse *b, struct qpc_error *e)
{
	struct qpc_store *st = b->st;
	char day[QPC_DATE_ISO_LEN], doing[80];
	snprintf(doing, sizeof doing, "computing the figures as of %s",
	         qpc_date_format(b->as_of, day));
	st_pg_notices(st, heard, b); /* commits heard till now are in the copy */
	enum qpc_rc rc = st_pg_begin_snapshot(st, e);
	if (rc)
		return rc;
	if (!(rc = run_all(st, prepare_sql, COUNT(prepare_sql), doing, e)) &&
	    !(rc = fill(b, NULL, 0, doing, e)) &&
	    !(rc = run_all(st, finish_sql, COUNT(finish_sql), doing, e)))
		rc = st_q_commit(st, e);
	if (rc) {
		st_q_rollback(st);
		return rc;
	}
	b->stale = false;
	b->npending = 0;
	b->indexed = 0; /* the copy's indexes went with it */
	return QPC_OK;
}

/* The accounts commits named, read again: their rows out of the tally and
 * the copy, their figures now in. */
static enum qpc_rc refresh(struct qpc_browse *b, struct qpc_error *e)
{
	static const char untally_sql[] =
		"UPDATE pg_temp.account_tally t SET n = t.n - d.n FROM (SELECT owner, segment, status,"
		" count(*) AS n FROM pg_temp.account WHERE id = ANY(CAST(?1 AS bigint[]))"
		" GROUP BY owner, segment, status) d"
		" WHERE t.owner = d.owner AND t.segment = d.segment AND t.status = d.status";
	static const char drop_sql[] = "DELETE FROM pg_temp.account WHERE id = ANY(CAST(?1 AS bigint[]))";
	static const char tally_sql_ids[] =
		"INSERT INTO pg_temp.account_tally SELECT owner, segment, status, count(*)"
		" FROM pg_temp.account WHERE id = ANY(CAST(?1 AS bigint[]))"
		" GROUP BY owner, segment, status ON CONFLICT (owner, segment, status)"
		" DO UPDATE SET n = account_tally.n + excluded.n";
	const char *doing = "reading the changed accounts again";
	size_t cap = 24 * b->npending + 3, len = 0;
	char *list = malloc(cap);
	if (!list)
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	for (size_t i = 0; i < b->npending; i++)
		len += (size_t)snprintf(list + len, cap - len, "%s%lld", i ? "," : "{",
		                        (long long)b->pending[i]);
	snprintf(list + len, cap - len, "}");
	const char *by_ids[] = { untally_sql, drop_sql };
	struct st_q *q = NULL;
	enum qpc_rc rc = st_pg_begin_snapshot(b->st, e);
	for (size_t i = 0; !rc && i < COUNT(by_ids); i++) {
		if (!(rc = st_q_prepare(b->st, &q, by_ids[i], e))) {
			st_q_text(q, 1, list);
			rc = st_q_done(q, doing, e);
		}
		st_q_free(q);
		q = NULL;
	}
	if (!rc && !(rc = st_q_run(b->st, view_fig_sql, doing, e)) &&
	    !(rc = fill(b, b->pending, b->npending, doing, e)) &&
	    !(rc = st_q_prepare(b->st, &q, tally_sql_ids, e))) {
		st_q_text(q, 1, list);
		rc = st_q_done(q, doing, e);
	}
	st_q_free(q);
	if (!rc && !(rc = st_q_run(b->st, "DROP TABLE pg_temp.view_fig", doing, e)))
		rc = st_q_commit(b->st, e);
	free(list);
	if (rc) {
		st_q_rollback(b->st);
		return rc;
	}
	b->npending = 0;
	return QPC_OK;
}

/* Makes index i of index_sql once a copy. */
static enum qpc_rc index_once(struct qpc_browse *b, int i, struct qpc_error *e)
{
	uint64_t bit = UINT64_C(1) << i;
	if (!index_sql[i] || (b->indexed & bit))
		return QPC_OK;
	enum qpc_rc rc = st_q_run(b->st, index_sql[i], "indexing the accounts", e);
	if (!rc)
		b->indexed |= bit;
	return rc;
}

enum qpc_rc br_server_index(struct qpc_browse *b, enum qpc_col col, const struct qpc_filter *f,
                            struct qpc_error *e)
{
	if (!b->st->pg)
		return QPC_OK;
	enum qpc_rc rc = index_once(b, (int)col, e);
	if (!rc && f && f->status >= 0)
		rc = index_once(b, index_sql[QPC_COL_COUNT + col] ? QPC_COL_COUNT + (int)col
		                                                  : QPC_COL_STATUS, e);
	if (!rc && f && f->owner[0])
		rc = index_once(b, QPC_COL_OWNER, e);
	if (!rc && f && f->segment[0])
		rc = index_once(b, QPC_COL_SEGMENT, e);
	if (!rc && f && f->text[0])
		rc = br_server_search_index(b, e);
	return rc;
}

enum qpc_rc br_server_search_index(struct qpc_browse *b, struct qpc_error *e)
{
	return b->st->pg ? index_once(b, 2 * QPC_COL_COUNT, e) : QPC_OK;
}

enum qpc_rc br_ready(struct qpc_browse *b, struct qpc_error *e)
{
	if (!b->st->pg)
		return QPC_OK;
	if (b->sync) { /* this qpc committed: what it heard of that, first */
		b->sync = false;
		enum qpc_rc rc = st_q_run(b->st, "SELECT 1", "checking for changes", e);
		if (rc)
			return rc;
		st_pg_notices(b->st, heard, b);
	}
	if (b->stale)
		return build(b, e);
	return b->npending ? refresh(b, e) : QPC_OK;
}

enum qpc_rc br_server_open(struct qpc_browse *b, struct qpc_error *e)
{
	enum qpc_rc rc = qpc_store_open(b->home->path, QPC_OPEN_READONLY, &b->st, e);
	if (rc) {
		b->st = b->home; /* for the close that follows */
		return rc;
	}
	b->stale = true;
	if ((rc = st_pg_listen(b->st, e)))
		return rc;
	return build(b, e);
}

enum qpc_rc br_server_changed(struct qpc_browse *b, bool *changed, struct qpc_error *e)
{
	*changed = st_pg_notices(b->st, heard, b) > 0;
	if (!*changed)
		return QPC_OK;
	/* what has arrived may be part of a commit's notices: the server sends
	 * them all before it answers, so ask, and take the rest */
	enum qpc_rc rc = st_q_run(b->st, "SELECT 1", "checking for changes", e);
	st_pg_notices(b->st, heard, b);
	return rc;
}
