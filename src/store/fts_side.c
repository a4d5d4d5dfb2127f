/* fts_side.c — the search index of a bulk load, built beside it.
 *
 * A bulk load of accounts sets the trigram index's triggers aside and
 * rebuilt the index from the table at its end: 2.3 s of a million
 * accounts' 10, on one core while the other waited.  Instead, each new
 * account's name and id go, in batches, to a thread of its own that adds
 * them to a contentless index of the same options in a private scratch
 * database, while the load stores the rows.  At the end the scratch
 * index's pages (27 MB at a million, a few thousand rows of blobs) are
 * copied into the file's index, which is the same structure whatever
 * holds the text.
 *
 * The copy is the index of the table only if every account of the table
 * came through st_account_insert in this load and none was renamed or
 * deleted since: the load began on an empty table, two temporary
 * triggers note any rename or delete, and the rows fed are counted
 * against the table.  Otherwise, or should the thread fail, the index is
 * rebuilt from the table as before.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define BATCH_ROWS 4096
#define BATCH_TEXT ((size_t)256 << 10)

/* The trigram index's definition, as schema.c's last migration made it:
 * the scratch index takes the same options, without the content table. */
#define FTS_COLUMNS "fts5(name, external_id, content='account',"
#define FTS_OPTIONS "tokenize='trigram', detail='none', columnsize=0)"

struct batch {
	size_t n, used, cap;
	int64_t id[BATCH_ROWS];
	size_t name[BATCH_ROWS], ext[BATCH_ROWS]; /* offsets in text; ext SIZE_MAX: none */
	char *text;
};

struct fts_side {
	sqlite3 *db; /* the scratch database: the thread's until joined */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	struct batch a, b, *fill, *work; /* the load fills one, the thread reads the other */
	bool work_ready, done, failed, stale, joined;
	int64_t fed;
	char *create; /* the file's CREATE VIRTUAL TABLE statement */
};

static bool add_text(struct batch *b, const char *s, size_t *off)
{
	size_t len = strlen(s) + 1;
	if (b->used + len > b->cap) {
		size_t cap = b->cap ? b->cap : BATCH_TEXT;
		while (cap < b->used + len)
			cap *= 2;
		char *t = realloc(b->text, cap);
		if (!t)
			return false;
		b->text = t;
		b->cap = cap;
	}
	memcpy(b->text + b->used, s, len);
	*off = b->used;
	b->used += len;
	return true;
}

/* The thread: adds each batch it is handed to the scratch index. */
static void *side_run(void *arg)
{
	struct fts_side *f = arg;
	sqlite3_stmt *s = NULL;
	bool ok = sqlite3_exec(f->db, "BEGIN", NULL, NULL, NULL) == SQLITE_OK &&
	          sqlite3_prepare_v2(f->db, "INSERT INTO f(rowid, name, external_id) VALUES (?1, ?2, ?3)",
	                             -1, &s, NULL) == SQLITE_OK;
	pthread_mutex_lock(&f->lock);
	for (;;) {
		while (!f->work_ready && !f->done)
			pthread_cond_wait(&f->cond, &f->lock);
		if (!f->work_ready)
			break;
		struct batch *b = f->work;
		pthread_mutex_unlock(&f->lock);
		for (size_t i = 0; ok && i < b->n; i++) {
			sqlite3_bind_int64(s, 1, b->id[i]);
			sqlite3_bind_text(s, 2, b->text + b->name[i], -1, SQLITE_STATIC);
			if (b->ext[i] == SIZE_MAX)
				sqlite3_bind_null(s, 3);
			else
				sqlite3_bind_text(s, 3, b->text + b->ext[i], -1, SQLITE_STATIC);
			ok = sqlite3_step(s) == SQLITE_DONE;
			sqlite3_reset(s);
		}
		b->n = b->used = 0;
		pthread_mutex_lock(&f->lock);
		f->work_ready = false;
		pthread_cond_broadcast(&f->cond);
	}
	pthread_mutex_unlock(&f->lock);
	sqlite3_finalize(s);
	ok = ok && sqlite3_exec(f->db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK;
	sqlite3_db_release_memory(f->db); /* the load's budget: the index builds come next */
	if (!ok) {
		pthread_mutex_lock(&f->lock);
		f->failed = true;
		pthread_mutex_unlock(&f->lock);
	}
	return NULL;
}

static void stale_fn(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	(void)argc;
	(void)argv;
	struct qpc_store *st = sqlite3_user_data(cx);
	if (st->fts_side)
		st->fts_side->stale = true;
}

static const char triggers[] =
	"CREATE TEMP TRIGGER IF NOT EXISTS qpc_fts_side_rename AFTER UPDATE OF name, external_id"
	" ON main.account BEGIN SELECT qpc_fts_side_stale(); END;"
	"CREATE TEMP TRIGGER IF NOT EXISTS qpc_fts_side_delete AFTER DELETE ON main.account"
	" BEGIN SELECT qpc_fts_side_stale(); END;";
static const char untriggers[] = "DROP TRIGGER IF EXISTS temp.qpc_fts_side_rename;"
                                 "DROP TRIGGER IF EXISTS temp.qpc_fts_side_delete;";

void st_fts_side_start(struct qpc_store *st)
{
	sqlite3_stmt *s;
	char *create = NULL;
	if (st->fts_side || sqlite3_prepare_v2(st->db,
	                                       "SELECT sql FROM sqlite_master WHERE name = 'account_fts'",
	                                       -1, &s, NULL) != SQLITE_OK)
		return;
	if (sqlite3_step(s) == SQLITE_ROW) {
		const char *sql = (const char *)sqlite3_column_text(s, 0);
		if (sql && strstr(sql, FTS_COLUMNS) && strstr(sql, FTS_OPTIONS))
			create = strdup(sql);
	}
	sqlite3_finalize(s);
	struct fts_side *f = create ? calloc(1, sizeof *f) : NULL;
	if (!f) {
		free(create);
		return;
	}
	f->create = create;
	f->fill = &f->a;
	f->work = &f->b;
	/* "": a private database in a temporary file, gone when closed */
	bool ok = sqlite3_open_v2("", &f->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	                                          SQLITE_OPEN_NOMUTEX, NULL) == SQLITE_OK &&
	          sqlite3_exec(f->db, "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
	                              " CREATE VIRTUAL TABLE f USING fts5(name, external_id, content='',"
	                              " " FTS_OPTIONS,
	                       NULL, NULL, NULL) == SQLITE_OK &&
	          sqlite3_create_function(st->db, "qpc_fts_side_stale", 0, SQLITE_UTF8, st, stale_fn,
	                                  NULL, NULL) == SQLITE_OK &&
	          sqlite3_exec(st->db, triggers, NULL, NULL, NULL) == SQLITE_OK &&
	          pthread_mutex_init(&f->lock, NULL) == 0;
	if (ok && pthread_cond_init(&f->cond, NULL) != 0) {
		pthread_mutex_destroy(&f->lock);
		ok = false;
	}
	if (ok && pthread_create(&f->thread, NULL, side_run, f) != 0) {
		pthread_cond_destroy(&f->cond);
		pthread_mutex_destroy(&f->lock);
		ok = false;
	}
	if (!ok) {
		sqlite3_exec(st->db, untriggers, NULL, NULL, NULL);
		sqlite3_close(f->db);
		free(f->create);
		free(f);
		return;
	}
	st->fts_side = f;
}

/* Hands the filled batch to the thread (waiting for it to take the
 * last), or with done, tells it to finish; then waits for it to end. */
static void hand_over(struct fts_side *f, bool done)
{
	pthread_mutex_lock(&f->lock);
	while (f->work_ready)
		pthread_cond_wait(&f->cond, &f->lock);
	struct batch *t = f->work;
	f->work = f->fill;
	f->fill = t;
	f->work_ready = f->work->n > 0;
	f->done = done;
	pthread_cond_broadcast(&f->cond);
	pthread_mutex_unlock(&f->lock);
	if (done && !f->joined) {
		pthread_join(f->thread, NULL);
		f->joined = true;
	}
}

void st_fts_side_add(struct qpc_store *st, int64_t id, const char *name, const char *ext)
{
	struct fts_side *f = st->fts_side;
	struct batch *b = f->fill;
	size_t n = b->n;
	if (f->stale)
		return;
	b->ext[n] = SIZE_MAX;
	if (!add_text(b, name ? name : "", &b->name[n]) ||
	    (ext && *ext && !add_text(b, ext, &b->ext[n]))) {
		f->stale = true; /* out of memory: rebuilt from the table */
		return;
	}
	b->id[n] = id;
	b->n++;
	f->fed++;
	if (b->n == BATCH_ROWS || b->used >= BATCH_TEXT)
		hand_over(f, false);
}

static void side_free(struct qpc_store *st)
{
	struct fts_side *f = st->fts_side;
	if (!f)
		return;
	if (!f->joined)
		hand_over(f, true);
	sqlite3_exec(st->db, untriggers, NULL, NULL, NULL);
	pthread_cond_destroy(&f->cond);
	pthread_mutex_destroy(&f->lock);
	sqlite3_close(f->db);
	free(f->a.text);
	free(f->b.text);
	free(f->create);
	free(f);
	st->fts_side = NULL;
}

void st_fts_side_stop(struct qpc_store *st)
{
	side_free(st);
}

/* Copies the rows of one shadow table of the scratch index into the
 * file's. */
static bool copy_rows(struct qpc_store *st, sqlite3 *from, const char *select, const char *insert,
                      int ncols)
{
	sqlite3_stmt *s = NULL, *i = NULL;
	bool ok = sqlite3_prepare_v2(from, select, -1, &s, NULL) == SQLITE_OK &&
	          sqlite3_prepare_v2(st->db, insert, -1, &i, NULL) == SQLITE_OK;
	int r = SQLITE_DONE;
	while (ok && (r = sqlite3_step(s)) == SQLITE_ROW) {
		for (int c = 0; c < ncols; c++)
			sqlite3_bind_value(i, c + 1, sqlite3_column_value(s, c));
		ok = sqlite3_step(i) == SQLITE_DONE;
		sqlite3_reset(i);
	}
	ok = ok && r == SQLITE_DONE;
	sqlite3_finalize(s);
	sqlite3_finalize(i);
	return ok;
}

enum qpc_rc st_fts_side_adopt(struct qpc_store *st, bool *adopted, struct qpc_error *e)
{
	struct fts_side *f = st->fts_side;
	*adopted = false;
	if (!f)
		return QPC_OK;
	hand_over(f, true);
	int64_t rows = -1;
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(st->db, "SELECT count(*) FROM account", -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		rows = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	if (f->failed || f->stale || rows != f->fed) {
		side_free(st);
		return QPC_OK;
	}
	/* A new virtual table, whose index reads its structure afresh, over
	 * the scratch index's pages. */
	char *sql = sqlite3_mprintf("DROP TABLE account_fts; %s;"
	                            " DELETE FROM account_fts_data; DELETE FROM account_fts_idx",
	                            f->create);
	enum qpc_rc rc = sql ? st_exec(st, sql, e) : qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	sqlite3_free(sql);
	if (!rc && (!copy_rows(st, f->db, "SELECT id, block FROM f_data",
	                       "INSERT INTO account_fts_data(id, block) VALUES (?1, ?2)", 2) ||
	            !copy_rows(st, f->db, "SELECT segid, term, pgno FROM f_idx",
	                       "INSERT INTO account_fts_idx(segid, term, pgno) VALUES (?1, ?2, ?3)", 3)))
		rc = st_fail(st, e, "building the search index");
	side_free(st);
	*adopted = rc == QPC_OK;
	return rc;
}
