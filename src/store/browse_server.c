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
 *   account_tally  how many accounts of each owner, segment and status,
 *                  counted as the rows go by;
 *   browse_hits    the search text's matches (browse_text.c).
 *
 * The figures are computed on the caller's connection and stream into the
 * copy by COPY as they come, each with the rest of its account's row,
 * which the same walk reads.  The session's connection LISTENs: a commit
 * anywhere on the server (its triggers, schema version 4) makes the copy
 * stale, and the next read makes it again.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "browse_int.h"

static const char filling[] = "copying the figures";

/* How many accounts of each owner, segment and status: counted by qpc as
 * the rows go by, the tally costs the server no pass over the copy (half
 * a second at a million).  Past TALLY_MAX of them (a team has some
 * hundreds), the server counts after all.  Each key is the three names
 * one after the other in keys, each ending in its NUL. */
#define TALLY_MAX 65536
struct tally_slot {
	uint64_t h;
	size_t key; /* where in keys */
	int64_t n;  /* 0: a free slot */
};
struct tally {
	struct tally_slot *slot;
	size_t cap, used;
	char *keys;
	size_t len, room;
	bool off; /* too many, or short of memory: the server counts */
};

/* COPY's rows of the copy, and the first failure writing them; the
 * tally, while the whole copy is made. */
struct fill {
	struct qpc_store *to;
	struct st_copy_buf out;
	enum qpc_rc rc;
	struct qpc_error *e;
	struct tally *tally;
};

static uint64_t tally_hash(const char *const name[3])
{
	uint64_t h = 0xcbf29ce484222325u; /* FNV-1a, each name's NUL too */
	for (int i = 0; i < 3; i++) {
		const char *c = name[i];
		do
			h = (h ^ (unsigned char)*c) * 0x100000001b3u;
		while (*c++);
	}
	return h;
}

static bool tally_is(const char *key, const char *const name[3])
{
	for (int i = 0; i < 3; key += strlen(key) + 1, i++)
		if (strcmp(key, name[i]) != 0)
			return false;
	return true;
}

static struct tally_slot *tally_slot(struct tally *t, uint64_t h, const char *const name[3])
{
	size_t i = (size_t)h & (t->cap - 1);
	while (t->slot[i].n && !(t->slot[i].h == h && tally_is(t->keys + t->slot[i].key, name)))
		i = (i + 1) & (t->cap - 1);
	return &t->slot[i];
}

static void tally_off(struct tally *t)
{
	free(t->slot);
	free(t->keys);
	*t = (struct tally){ .off = true };
}

/* Room for one more kind, or false (and off). */
static bool tally_room(struct tally *t, size_t key_len)
{
	if (t->used == TALLY_MAX) {
		tally_off(t);
		return false;
	}
	if (4 * (t->used + 1) > 3 * t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 64;
		struct tally_slot *grown = calloc(cap, sizeof *grown);
		if (!grown) {
			tally_off(t);
			return false;
		}
		for (size_t i = 0; i < t->cap; i++) {
			if (!t->slot[i].n)
				continue;
			size_t j = (size_t)t->slot[i].h & (cap - 1);
			while (grown[j].n)
				j = (j + 1) & (cap - 1);
			grown[j] = t->slot[i];
		}
		free(t->slot);
		t->slot = grown;
		t->cap = cap;
	}
	if (t->len + key_len > t->room) {
		size_t room = t->room ? 2 * t->room : 4096;
		while (room < t->len + key_len)
			room *= 2;
		char *grown = realloc(t->keys, room);
		if (!grown) {
			tally_off(t);
			return false;
		}
		t->keys = grown;
		t->room = room;
	}
	return true;
}

static void tally_add(struct tally *t, const char *owner, const char *segment, const char *status)
{
	if (t->off)
		return;
	const char *const name[3] = { owner ? owner : "", segment ? segment : "", status };
	uint64_t h = tally_hash(name);
	struct tally_slot *s = t->cap ? tally_slot(t, h, name) : NULL;
	if (s && s->n) {
		s->n++;
		return;
	}
	size_t len[3] = { strlen(name[0]) + 1, strlen(name[1]) + 1, strlen(name[2]) + 1 };
	if (!tally_room(t, len[0] + len[1] + len[2]))
		return;
	s = tally_slot(t, h, name); /* (the slots may have moved) */
	*s = (struct tally_slot){ .h = h, .key = t->len, .n = 1 };
	for (int i = 0; i < 3; i++) {
		memcpy(t->keys + t->len, name[i], len[i]);
		t->len += len[i];
	}
	t->used++;
}

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

/* An account's row in the copy: its own columns as the walk read them
 * (ST_ROW_COLUMNS), then its figures (FIG_ONLY's, then the contract's),
 * their sort keys and the search key: copy_sql's columns. */
static enum qpc_rc put_row(struct qpc_store *st, const struct st_fig *g, struct st_q *row,
                           void *ctx, struct qpc_error *e)
{
	(void)st, (void)e;
	struct fill *f = ctx;
	const struct qpc_account_figures *a = &g->f;
	char day[QPC_DATE_ISO_LEN];
	for (int i = 0; i < SC_ROW_COUNT; i++)
		put_text(f, st_q_null_at(row, i) ? NULL : st_q_text_at(row, i), '\t');
	put_int(f, a->qpc_measured, a->qpc);
	put_text(f, g->has_oldest ? qpc_date_format(g->oldest, day) : NULL, '\t');
	put_int(f, true, g->verified);
	put_int(f, true, a->sales_12m);
	put_int(f, true, a->gp_12m);
	put_int(f, a->share.kind != QPC_SHARE_UNDEFINED, a->share.bp);
	put_int(f, true, a->share.kind == QPC_SHARE_OVER);
	put_int(f, a->untapped_known, a->untapped);
	put_text(f, qpc_status_name(a->status), '\t');
	put_int(f, g->quality >= 0, g->quality);
	put_int(f, true, a->gp_known);
	put_int(f, true, g->contract);
	put_int(f, g->has_contract_value, g->contract_value);
	/* the sort keys: unmeasured lowest, share over its QPC above every
	 * share, statuses in their enum's order (qpc/figures.h) */
	put_int(f, true, a->qpc_measured ? a->qpc : -1);
	put_int(f, true, (a->share.kind != QPC_SHARE_UNDEFINED ? a->share.bp : -1) +
	                         (a->share.kind == QPC_SHARE_OVER));
	put_int(f, true, a->untapped_known ? a->untapped : -1);
	put_int(f, true, (int64_t)a->status);
	put_text(f, g->has_oldest ? day : "", '\t');
	put_search_key(f, st_q_text_at(row, SC_NAME), st_q_text_at(row, SC_EXT));
	if (f->tally)
		tally_add(f->tally, st_q_null_at(row, SC_OWNER) ? NULL : st_q_text_at(row, SC_OWNER),
		          st_q_null_at(row, SC_SEGMENT) ? NULL : st_q_text_at(row, SC_SEGMENT),
		          qpc_status_name(a->status));
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

/* The copy's columns beyond the server's: owner and segment sort and
 * compare as on a file, byte by byte; the search key; the figures the
 * server does not keep (FIG_ONLY; the contract's it keeps), as a file's
 * account table has them, and the keys the pages sort them by, as the
 * file's generated columns make them (schema.c). */
#define FIG_ONLY(X)                                                                            \
	X("qpc", "bigint")                                                                     \
	X("qpc_measured_on", "text")                                                           \
	X("qpc_verified", "integer NOT NULL DEFAULT 0")                                        \
	X("sales_12m", "bigint NOT NULL DEFAULT 0")                                            \
	X("gp_12m", "bigint NOT NULL DEFAULT 0")                                               \
	X("share_bp", "integer")                                                               \
	X("share_over", "integer NOT NULL DEFAULT 0")                                          \
	X("untapped", "bigint")                                                                \
	X("status", "text NOT NULL DEFAULT 'prospect'")                                        \
	X("quality", "integer")                                                                \
	X("gp_known", "integer NOT NULL DEFAULT 1")
/* put_row computes them, as the file's generated columns do (schema.c):
 * the server would form each row twice to compute them itself. */
#define SORT_KEYS(X)                                                                           \
	X("sort_qpc", "bigint")                                                                \
	X("sort_share", "integer")                                                             \
	X("sort_untapped", "bigint")                                                           \
	X("sort_status", "integer")                                                            \
	X("sort_age", "text")
#define ADD_COLUMN(name, type) ", ADD COLUMN " name " " type
#define NAME_ONLY(name, type) ", " name
static const char copy_columns_sql[] =
	"ALTER TABLE pg_temp.account ALTER COLUMN owner TYPE text COLLATE \"C\","
	" ALTER COLUMN segment TYPE text COLLATE \"C\", ADD COLUMN search_key text"
	FIG_ONLY(ADD_COLUMN)
	SORT_KEYS(ADD_COLUMN);
/* The rows come whole, as put_row writes them: no statement joins the
 * account's columns to its figures on the server. */
static const char copy_sql[] = "COPY pg_temp.account (" ST_ROW_COLUMNS FIG_ONLY(NAME_ONLY)
                               ", contract_partner, contract_value" SORT_KEYS(NAME_ONLY)
                               ", search_key) FROM STDIN";
#undef NAME_ONLY
#undef ADD_COLUMN
#undef SORT_KEYS
#undef FIG_ONLY

/* Every name is pg_temp's, said: unqualified, a table the session has
 * not made yet would be the schema's own.  A column the server gains
 * comes with the copy's LIKE, at its default unless ST_ROW_COLUMNS names
 * it. */
static const char *const prepare_sql[] = {
	"DROP TABLE IF EXISTS pg_temp.account, pg_temp.account_tally",
	"CREATE TEMP TABLE account (LIKE qpc.account INCLUDING DEFAULTS)",
	copy_columns_sql,
	/* the copy's key, by which a page's anchor, an account's row, a
	 * candidate and a changed account are found: made as the rows come,
	 * in the table's order, which is mostly their ids', so each goes at
	 * the end of the index (at a million accounts the COPY took 0.3 s
	 * longer in psql, where making the key after took 0.7 s) */
	"CREATE UNIQUE INDEX ON pg_temp.account (id)",
	"CREATE TEMP TABLE IF NOT EXISTS browse_hits (id bigint PRIMARY KEY)",
};

/* The tally as the server would count it, and as qpc does (put_tally). */
static const char tally_sql[] = "CREATE TEMP TABLE account_tally AS SELECT owner, segment,"
                                " status, count(*) AS n FROM pg_temp.account"
                                " GROUP BY owner, segment, status";
static const char tally_table_sql[] = "CREATE TEMP TABLE account_tally (owner text COLLATE \"C\","
                                      " segment text COLLATE \"C\", status text, n bigint)";

/* What follows the copy and its tally: the tally's key, and what the
 * planner knows of them.  The indexes the pages seek by come later
 * (index_sql).  The planner's sample of
 * the copy is 9,000 rows, not the server's default 30,000: at a million
 * accounts 0.13 s, not 0.65.  Each status, and the thirty commonest
 * owners and segments, are still counted apart; of the rest, how many
 * there are. */
static const char *const finish_sql[] = {
	"CREATE UNIQUE INDEX ON pg_temp.account_tally (owner, segment, status)",
	"SET LOCAL default_statistics_target = 30",
	"ANALYZE pg_temp.account",
	"ANALYZE pg_temp.account_tally",
};

/* The copy's indexes sort its million rows: in the server's default 64 MB
 * that sort spills to disk (the first view's index, 1.53 s by trace_sort),
 * in 128 MB it does not (0.84 s).  The memory is taken only while an index is
 * built; a server set to more keeps its own. */
static const char sort_memory_sql[] =
	"SELECT set_config('maintenance_work_mem', '131072kB', false) FROM pg_settings"
	" WHERE name = 'maintenance_work_mem' AND CAST(setting AS bigint) < 131072";

/* The copy's indexes.  At a million accounts each takes half a second to
 * a second and a half to make, the trigram index several; a page answered
 * without one scans the copy, which takes about as long.  So a read makes
 * the one it needs (br_server_index), and the rest are made in the
 * background once the first screen is drawn, one at a time while the keys
 * rest (qpc_browse_background, in eager's order), so that a sort, a
 * search or a filter the user turns to later finds its index made.  A
 * key that needs the one under way waits for it; any other cancels it
 * (pg.c's idle), to be made again once the keys stop.
 *
 * Per column (enum qpc_col) the index its order seeks by, ending in id as
 * the keyset pages do; then those led by status (NULL: none); then the
 * trigram index. */
#define INDEX_TEXT (2 * QPC_COL_COUNT)
static const char *const index_sql[INDEX_TEXT + 1] = {
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
	[INDEX_TEXT] = "CREATE INDEX ON pg_temp.account USING gin (search_key qpc.gin_trgm_ops)",
};
#define BIT(i) (UINT64_C(1) << (i))
/* The order the background makes them in (the first view's is made
 * already): every order, the search, the filters by status. */
static const int eager[] = {
	QPC_COL_NAME, QPC_COL_OWNER, QPC_COL_SEGMENT, QPC_COL_QPC, QPC_COL_SALES,
	QPC_COL_SHARE, QPC_COL_UNTAPPED, QPC_COL_STATUS, QPC_COL_AGE, INDEX_TEXT,
	QPC_COL_COUNT + QPC_COL_QPC, QPC_COL_COUNT + QPC_COL_SALES, QPC_COL_COUNT + QPC_COL_SHARE,
	QPC_COL_COUNT + QPC_COL_UNTAPPED,
};


/* Ends the COPY of f's rows, or abandons it when they failed (rc), and
 * frees f. */
static enum qpc_rc copy_end(struct fill *f, enum qpc_rc rc, const char *doing)
{
	if (!rc && !(rc = f->rc))
		rc = st_copy_flush(f->to, &f->out, doing, f->e);
	if (rc)
		st_pg_copy_abandon(f->to);
	else
		rc = st_pg_copy_end(f->to, doing, f->e);
	free(f);
	return rc;
}

/* The figures at the session's date of every account (ids NULL) or of
 * ids, with the rest of each account's row, into the copy by COPY as
 * they come, counted into tally (if any); in the transaction open on the
 * session's connection. */
static enum qpc_rc fill(struct qpc_browse *b, const int64_t *ids, size_t n, struct tally *tally,
                        const char *doing, struct qpc_error *e)
{
	struct qpc_store *st = b->st;
	struct fill *f = calloc(1, sizeof *f);
	if (!f)
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	*f = (struct fill){ .to = st, .e = e, .tally = tally };
	enum qpc_rc rc = st_pg_copy_begin(st, copy_sql, doing, e);
	if (rc) {
		free(f);
		return rc;
	}
	if (!ids)
		rc = st_figures_at(b->home, b->as_of, 0, ST_WALK_ROW, put_row, f, e);
	for (size_t i = 0; ids && !rc && i < n; i++)
		rc = st_figures_at(b->home, b->as_of, ids[i], ST_WALK_ROW, put_row, f, e);
	return copy_end(f, rc, doing);
}

/* The tally: as counted (t), by COPY, or by the server when t gave up. */
static enum qpc_rc put_tally(struct qpc_store *st, const struct tally *t, const char *doing,
                             struct qpc_error *e)
{
	if (t->off)
		return st_q_run(st, tally_sql, doing, e);
	struct fill *f = calloc(1, sizeof *f);
	if (!f)
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	*f = (struct fill){ .to = st, .e = e };
	enum qpc_rc rc = st_q_run(st, tally_table_sql, doing, e);
	if (rc || (rc = st_pg_copy_begin(st, "COPY pg_temp.account_tally (n, owner, segment,"
	                                     " status) FROM STDIN", doing, e))) {
		free(f);
		return rc;
	}
	for (size_t i = 0; i < t->cap && !f->rc; i++) {
		if (!t->slot[i].n)
			continue;
		put_int(f, true, t->slot[i].n);
		const char *k = t->keys + t->slot[i].key;
		for (int j = 0; j < 3; k += strlen(k) + 1, j++)
			put_text(f, k, j < 2 ? '\t' : '\n');
	}
	return copy_end(f, QPC_OK, doing);
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
	struct tally t = { 0 };
	if (!(rc = run_all(st, prepare_sql, COUNT(prepare_sql), doing, e)) &&
	    !(rc = fill(b, NULL, 0, &t, doing, e)) && !(rc = put_tally(st, &t, doing, e)) &&
	    !(rc = run_all(st, finish_sql, COUNT(finish_sql), doing, e)))
		rc = st_q_commit(st, e);
	free(t.slot);
	free(t.keys);
	if (rc) {
		st_q_rollback(st);
		return rc;
	}
	b->stale = false;
	b->npending = 0;
	/* the copy's indexes went with it */
	b->indexed = b->failed = 0;
	b->building = -1;
	st_pg_background_poll(st); /* how one on the old copy ended: of no use */
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
	if (!rc && !(rc = fill(b, b->pending, b->npending, NULL, doing, e)) &&
	    !(rc = st_q_prepare(b->st, &q, tally_sql_ids, e))) {
		st_q_text(q, 1, list);
		rc = st_q_done(q, doing, e);
	}
	st_q_free(q);
	if (!rc)
		rc = st_q_commit(b->st, e);
	free(list);
	if (rc) {
		st_q_rollback(b->st);
		return rc;
	}
	b->npending = 0;
	return QPC_OK;
}

/* How the index under way in the background ended, if it has (end):
 * made, or not to be tried again there. */
static void ended(struct qpc_browse *b, enum st_bg end)
{
	if (end == ST_BG_RUNNING)
		return;
	if (b->building >= 0 && end == ST_BG_DONE)
		b->indexed |= BIT(b->building);
	else if (b->building >= 0 && end == ST_BG_FAILED) /* the pages read on without it */
		b->failed |= BIT(b->building);
	b->building = -1;
}

/* Makes index i of index_sql once a copy: the one under way in the
 * background is waited for. */
static enum qpc_rc index_once(struct qpc_browse *b, int i, struct qpc_error *e)
{
	if (i < 0 || i > INDEX_TEXT || !index_sql[i] || (b->indexed & BIT(i)))
		return QPC_OK;
	if (b->building == i) {
		ended(b, st_pg_background_wait(b->st));
		if (b->indexed & BIT(i))
			return QPC_OK;
	}
	enum qpc_rc rc = st_q_run(b->st, index_sql[i], "indexing the accounts", e);
	if (!rc)
		b->indexed |= BIT(i);
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
	return b->st->pg ? index_once(b, INDEX_TEXT, e) : QPC_OK;
}

bool br_server_background(struct qpc_browse *b)
{
	/* a copy to make again first: the next read does that */
	if (!b->st->pg || b->stale || b->npending)
		return false;
	enum st_bg end = st_pg_background_poll(b->st);
	ended(b, end);
	if (end == ST_BG_RUNNING)
		return true;
	size_t k = 0;
	while (k < COUNT(eager) && ((b->indexed | b->failed) & BIT(eager[k])))
		k++;
	if (k == COUNT(eager))
		return false;
	int i = eager[k];
	if (!st_pg_background(b->st, index_sql[i]))
		return false; /* a transaction is open: after it */
	b->building = i;
	return true;
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
	if (st_pg_standby(b->home))
		return qpc_error_set(e, QPC_ERR_READONLY,
		                     "the dashboard opens on the team server's primary: a read-only "
		                     "standby (a replica) can neither tell it of changes nor hold its "
		                     "copy of the accounts; report, trend, history and export read "
		                     "from a standby");
	enum qpc_rc rc = qpc_store_open(b->home->path, QPC_OPEN_READONLY, &b->st, e);
	if (rc) {
		b->st = b->home; /* for the close that follows */
		return rc;
	}
	b->stale = true;
	if ((rc = st_pg_listen(b->st, e)) ||
	    (rc = st_q_run(b->st, sort_memory_sql, "opening the dashboard", e)))
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
