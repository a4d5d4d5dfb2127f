/* internal.h — what the store's files share and nobody else sees. */
#ifndef QPC_STORE_INTERNAL_H
#define QPC_STORE_INTERNAL_H

#include <sqlite3.h>
#include <stdio.h>
#include <time.h>

#include "qpc/estimate.h"
#include "qpc/ingest.h"
#include "qpc/store.h"
#include "qpc/timeline.h"

/* --- the method's rules, as the SQL states them: once ------------------- */

/* The status order of account.sort_status and status_span.status: enum
 * qpc_status's (prospect 0, customer 1, candidate 2, partner 3). */
#define ST_SORT_PARTNER "3"
_Static_assert(QPC_PROSPECT == 0 && QPC_CUSTOMER == 1 && QPC_CANDIDATE == 2 && QPC_PARTNER == 3,
               "the SQL's status order is enum qpc_status's");
/* A customer, of account alias t ("a." or ""): it bought in the 12 months,
 * or is a partner (a contract makes one without sales).  The profit
 * curve's index has this WHERE, word for word (schema.c). */
#define ST_CUSTOMER(t) "(" t "sales_12m > 0 OR " t "sort_status = " ST_SORT_PARTNER ")"
/* Of candidacy c: its live steps ticked, and its live steps. */
#define ST_STEPS_TICKED(c)                                                                    	"(SELECT count(*) FROM tick k JOIN template_step ts ON ts.id = k.step_id"           	" WHERE k.candidate_id = " c ".id AND ts.retired = 0)"
#define ST_STEPS_LIVE(c)                                                                      	"(SELECT count(*) FROM template_step ts WHERE ts.template_id = " c ".template_id"    	" AND ts.retired = 0)"
/* The day candidacy c made account a a partner: the last day it became
 * one since the nomination (and up to `upto`, an SQL date or "" for
 * none), if a partner still; NULL when it did not. */
#define ST_PARTNER_ON(c, a, upto)                                                             	"(SELECT max(p.since) FROM status_span p WHERE p.account_id = " a ".id"              	" AND p.status = " ST_SORT_PARTNER " AND p.since >= " c ".nominated_on" upto         	" AND " a ".status = 'partner')"

/* What a new database starts with, a file's (schema.c) or a server's
 * (pg.c): the settings, and the method's default checklist of
 * relationship-building experiences. */
#define ST_SEED_SETTINGS                                                                      \
	"INSERT INTO setting VALUES ('threshold', '0.75'), ('currency', 'USD'), ('minor_units', '2');"
#define ST_SEED_TEMPLATE                                                                      \
	"INSERT INTO template(id, name, is_default) VALUES (1, 'Partner checklist', 1);"          \
	"INSERT INTO template_step(template_id, position, text) VALUES"                           \
	" (1, 1, 'Knows several people in our organisation besides the rep'),"                    \
	" (1, 2, 'Knows our senior executives'),"                                                 \
	" (1, 3, 'Has bought a number of things from us over a period of time'),"                 \
	" (1, 4, 'Has visited our facility');"

/* Prepared statements kept for reuse, keyed by the address of their SQL
 * (a string literal).  It grows as it needs: it cannot fill up. */
struct st_stmts {
	size_t n, cap;
	struct st_stmt {
		const char *sql;
		sqlite3_stmt *stmt;
	} *at;
};
/* The statement for sql, prepared on first use; reset, and its bindings
 * cleared when clear is true. */
enum qpc_rc st_stmts_get(struct qpc_store *st, struct st_stmts *c, sqlite3_stmt **stmt,
                         const char *sql, bool clear, struct qpc_error *e);
/* Finalizes every statement and frees the cache. */
void st_stmts_free(struct st_stmts *c);

/* A backend: what a SQLite file and a team server do differently, behind
 * the public store API.  An operation a backend does not run is NULL, and
 * the public function says so in a sentence (st_unsupported). */
struct st_backend {
	const char *what; /* "a SQLite file", "a team server": in messages */
	enum qpc_rc (*users_each)(struct qpc_store *st, qpc_user_fn fn, void *ctx,
	                          struct qpc_error *e);
	enum qpc_rc (*user_add)(struct qpc_store *st, const char *login, enum qpc_role role,
	                        const char *owner, struct qpc_error *e);
	enum qpc_rc (*user_set_role)(struct qpc_store *st, const char *login, enum qpc_role role,
	                             struct qpc_error *e);
	enum qpc_rc (*user_set_owner)(struct qpc_store *st, const char *login, const char *owner,
	                              struct qpc_error *e);
	enum qpc_rc (*user_rm)(struct qpc_store *st, const char *login, struct qpc_error *e);
	void (*close)(struct qpc_store *st);
};
extern const struct st_backend st_sqlite_backend;
/* pg.c: opens the team server at `where` (its connection settings). */
enum qpc_rc st_pg_open(struct qpc_store *st, const char *where, unsigned flags,
                       struct qpc_error *e);
/* QPC_ERR_USAGE: "<what> is not done on <the backend>" and why. */
enum qpc_rc st_unsupported(const struct qpc_store *st, const char *what, struct qpc_error *e);
/* Reads the settings the store keeps at hand (db.c). */
enum qpc_rc st_load_settings(struct qpc_store *st, struct qpc_error *e);
/* A live clock is read again as each change begins (db.c). */
void st_read_clock(struct qpc_store *st);
/* The process's qpc_store_on_wait hook, told `what` (may be NULL). */
void st_waiting(const char *what);

/* --- one query layer for both backends (q.c) -----------------------------
 * A statement prepared on a SQLite file or on a team server, its SQL in
 * the words both speak: parameters ?1.. or :name (not both in one),
 * dates as text, money as integers, "user" quoted.  Text bound is
 * copied.  st_q_step returns ST_ROW, ST_DONE, ST_CONSTRAINT (a
 * constraint refused the change) or ST_FAILED; st_q_fail then says why,
 * a refusal of the server's in the terms of the login's role. */
enum { ST_ROW = SQLITE_ROW, ST_DONE = SQLITE_DONE, ST_CONSTRAINT = SQLITE_CONSTRAINT,
       ST_FAILED = SQLITE_ERROR };
struct st_q;
enum qpc_rc st_q_prepare(struct qpc_store *st, struct st_q **q, const char *sql,
                         struct qpc_error *e);
/* The same, kept for the next call with the same SQL (its address: a
 * string literal): on a file in the store's statement cache (not for a
 * statement in use twice at once), on a server prepared there once. */
enum qpc_rc st_q_cached(struct qpc_store *st, struct st_q **q, const char *sql,
                        struct qpc_error *e);
/* On a file, prepared on db: another connection of the store's file (a
 * second reader); NULL or the store's own is st_q_prepare. */
enum qpc_rc st_q_prepare_on(struct qpc_store *st, sqlite3 *db, struct st_q **q,
                            const char *sql, struct qpc_error *e);
/* The SQLite statement under q (NULL on a server): for the file's own
 * columns, such as the cache's. */
sqlite3_stmt *st_q_lite(struct st_q *q);
/* A file's statement kept elsewhere (a cache of the caller's) as a query:
 * st_q_free() resets it and leaves it to its keeper. */
enum qpc_rc st_q_adopt(struct qpc_store *st, sqlite3_stmt *s, struct st_q **q,
                       struct qpc_error *e);
void st_q_free(struct st_q *q);
void st_q_reset(struct st_q *q); /* to step again; the bindings stay */
/* A scan of many rows: on a server read through a cursor a batch at a
 * time when a transaction is open (memory stays bounded, and other
 * queries may run between rows); on a file, as always. */
void st_q_stream(struct st_q *q);
struct qpc_store *st_q_store(struct st_q *q);
/* The index of parameter name (":id"), 0 when the SQL has none. */
int st_q_index(struct st_q *q, const char *name);
void st_q_text(struct st_q *q, int i, const char *v); /* NULL: SQL NULL */
void st_q_int(struct st_q *q, int i, int64_t v);
void st_q_set_text(struct st_q *q, const char *name, const char *v);
void st_q_set_int(struct st_q *q, const char *name, int64_t v);
void st_q_set_date(struct st_q *q, const char *name, qpc_date d); /* as YYYY-MM-DD */
int st_q_step(struct st_q *q);
bool st_q_null_at(struct st_q *q, int col);
const char *st_q_text_at(struct st_q *q, int col); /* NULL for NULL */
int64_t st_q_int_at(struct st_q *q, int col);
double st_q_double_at(struct st_q *q, int col); /* 0 for NULL */
/* Column col into buf ("" for NULL). */
void st_q_copy_at(struct st_q *q, int col, char *buf, size_t n);
/* Column col as a date: false when NULL or not one. */
bool st_q_date_at(struct st_q *q, int col, qpc_date *out);
/* The rows the change just stepped wrote. */
int64_t st_q_changes(struct st_q *q);
enum qpc_rc st_q_fail(struct st_q *q, const char *doing, struct qpc_error *e);
/* Steps a change once: QPC_OK, else why it failed. */
enum qpc_rc st_q_done(struct st_q *q, const char *doing, struct qpc_error *e);
/* Runs a statement without parameters or rows; doing names it in an error. */
enum qpc_rc st_q_run(struct qpc_store *st, const char *sql, const char *doing,
                     struct qpc_error *e);
/* A name's sort key (namekey.h) as text: in buf when it fits in size, else
 * in memory of its own (free it when it is not buf); NULL when short of
 * memory. */
char *st_name_key(const char *name, char *buf, size_t size);
/* A transaction on either backend (nested: the outermost commits). */
enum qpc_rc st_q_begin(struct qpc_store *st, struct qpc_error *e);
enum qpc_rc st_q_commit(struct qpc_store *st, struct qpc_error *e);
void st_q_rollback(struct qpc_store *st);
/* A read of several queries sees one state of the data: a read
 * transaction when none is open (true: st_q_read_end ends it). */
bool st_q_read_begin(struct qpc_store *st);
void st_q_read_end(struct qpc_store *st, bool began);

/* Runs `call` (a change in a transaction of its own), setting rc, again
 * while the team server rolled it back for a concurrent change (a
 * serialization failure or a deadlock): retried, not shown to the user.
 * Never inside a caller's transaction, nor on a file, whose writers take
 * turns.  On the server such a change waits a second for its locks; one
 * held longer (an import's) is said, then waited for as long as it takes. */
#define ST_RETRIED(st, rc, call)                                                              \
	do {                                                                                      \
		int tries_ = 0;                                                                       \
		st_retried_enter(st);                                                                 \
		do                                                                                    \
			(rc) = (call);                                                                    \
		while (st_retry((st), (rc), &tries_));                                                \
		st_retried_leave(st);                                                                 \
	} while (0)
bool st_retry(struct qpc_store *st, enum qpc_rc rc, int *tries);
void st_retried_enter(struct qpc_store *st);
void st_retried_leave(struct qpc_store *st);

/* pg.c: the team server's side of st_q. */
struct st_pg_q;
enum qpc_rc st_pg_q_prepare(struct qpc_store *st, struct st_pg_q **q, const char *sql,
                            struct qpc_error *e);
void st_pg_q_free(struct st_pg_q *q);
void st_pg_q_reset(struct st_pg_q *q);
void st_pg_q_stream(struct st_pg_q *q);
/* keep: prepared once on the server for the session, by the SQL's
 * address (st_q_cached's counterpart). */
enum qpc_rc st_pg_q_prepare_kept(struct qpc_store *st, struct st_pg_q **q, const char *sql,
                                 bool keep, struct qpc_error *e);
/* The statement as the server is sent it (for the tests). */
const char *st_pg_q_sql(const struct st_pg_q *q);
int st_pg_q_index(struct st_pg_q *q, const char *name);
void st_pg_q_bind(struct st_pg_q *q, int i, const char *v);
int st_pg_q_step(struct st_pg_q *q);
const char *st_pg_q_text_at(struct st_pg_q *q, int col);
enum qpc_rc st_pg_q_fail(struct st_pg_q *q, const char *doing, struct qpc_error *e);
int64_t st_pg_q_changes(struct st_pg_q *q);
enum qpc_rc st_pg_begin(struct qpc_store *st, struct qpc_error *e);
/* A transaction that writes nothing of the database's own, only the
 * session's temporary tables (browse_server.c): one snapshot of it, and no
 * part in the serializable changes' checks, which it would fail or make
 * fail for nothing. */
enum qpc_rc st_pg_begin_snapshot(struct qpc_store *st, struct qpc_error *e);
enum qpc_rc st_pg_commit(struct qpc_store *st, struct qpc_error *e);
void st_pg_rollback(struct qpc_store *st);
/* One snapshot for a read of several queries, when no transaction is
 * open (true: one began; end it with st_pg_read_end). */
bool st_pg_read_begin(struct qpc_store *st);
int st_pg_schema_version(void);
/* An account's facts changed in the open change: its status spans are
 * made again as it commits (the file does it in st_flush_touched). */
enum qpc_rc st_pg_touch(struct qpc_store *st, int64_t account_id, struct qpc_error *e);
void st_pg_read_end(struct qpc_store *st);
/* COPY ... FROM STDIN: _begin runs the statement, _data sends rows in
 * COPY's text format (any cut), _end ends it and reads the server's
 * verdict; doing names the work in an error.  Nothing else may run on the
 * connection between _begin and _end.  A failure fails the change. */
enum qpc_rc st_pg_copy_begin(struct qpc_store *st, const char *sql, const char *doing,
                             struct qpc_error *e);
enum qpc_rc st_pg_copy_data(struct qpc_store *st, const char *buf, size_t n, const char *doing,
                            struct qpc_error *e);
/* LISTENs for commits that change qpc's tables (schema version 4); and
 * passes fn what each commit heard since the last call said (an account's
 * id, "*" or "", pg.c's CHANGE_NOTICE), without waiting; how many. */
enum qpc_rc st_pg_listen(struct qpc_store *st, struct qpc_error *e);
int st_pg_notices(struct qpc_store *st, void (*fn)(const char *what, void *ctx), void *ctx);
/* A COPY's rows in its text format, sent to the server a block at a
 * time (st_pg_copy_data): a field and what ends it (a tab, or the row's
 * newline), NULL as \N, backslashes and the characters that end fields or
 * rows escaped. */
struct st_copy_buf {
	size_t n; /* bytes in block */
	char block[64 * 1024];
};
enum qpc_rc st_copy_put(struct qpc_store *st, struct st_copy_buf *b, const char *v, char end,
                        const char *doing, struct qpc_error *e);
enum qpc_rc st_copy_put_int(struct qpc_store *st, struct st_copy_buf *b, bool has, int64_t v,
                            const char *doing, struct qpc_error *e);
enum qpc_rc st_copy_flush(struct qpc_store *st, struct st_copy_buf *b, const char *doing,
                          struct qpc_error *e);
/* The letter COPY's text format escapes c with after a backslash; 0 when
 * c stands as it is. */
char st_copy_escape(char c);
enum qpc_rc st_pg_copy_end(struct qpc_store *st, const char *doing, struct qpc_error *e);
/* COPY's rows from a file (from its start), the whole COPY. */
enum qpc_rc st_pg_copy_file(struct qpc_store *st, FILE *f, const char *sql, const char *doing,
                            struct qpc_error *e);
/* Ends a COPY whose rows are not wanted: the server drops them. */
void st_pg_copy_abandon(struct qpc_store *st);
/* Whether the server is a read-only standby, a streaming replica (told
 * at connection by PostgreSQL 14 and later). */
bool st_pg_standby(const struct qpc_store *st);
/* A statement the connection runs while nothing else needs it: sent
 * without waiting, when no transaction is open and nothing else is in
 * flight (false: not sent).  The next statement anyone runs on the
 * connection cancels it first.  _poll says, without waiting, whether it
 * still runs or how it (the last one) ended, and forgets that end; _wait
 * waits for its end first. */
enum st_bg { ST_BG_NONE, ST_BG_RUNNING, ST_BG_DONE, ST_BG_CANCELLED, ST_BG_FAILED };
bool st_pg_background(struct qpc_store *st, const char *sql);
enum st_bg st_pg_background_poll(struct qpc_store *st);
enum st_bg st_pg_background_wait(struct qpc_store *st);
/* Stops, from another thread, the statement st's connection to a team
 * server is running (libpq's cancel request, a PGcancel): taken before
 * that thread starts; NULL on a file.  A send when none runs does nothing;
 * true when the server took the request. */
struct pg_cancel *st_pg_cancel_new(struct qpc_store *st);
bool st_pg_cancel_send(struct pg_cancel *c);
void st_pg_cancel_free(struct pg_cancel *c);

/* ingest_pg.c: an import on a team server.  _begin locks the accounts
 * against other writers and, into an empty table, readies the stream;
 * _account streams a new account into a table that was empty (*streamed;
 * else the caller looks it up row by row, after _settle), as _ref does a
 * sales row's into one that was not, once the load knows every external
 * id there; _settle ends the stream before any other statement; _end
 * writes what the stream put off, or forgets it. */
enum qpc_rc st_load_begin(struct qpc_store *st, struct qpc_error *e);
enum qpc_rc st_load_account(struct qpc_store *st, const struct qpc_account_rec *r, int64_t *id,
                            bool *streamed, struct qpc_error *e);
enum qpc_rc st_load_settle(struct qpc_store *st, struct qpc_error *e);
/* ... and builds the names' index the load set aside, to find accounts
 * by name (an id-less row). */
enum qpc_rc st_load_names(struct qpc_store *st, struct qpc_error *e);
/* The account a sales or QPC row names: *done when the load knows it by
 * its external id (or has streamed it as new: *created); else the caller
 * finds or makes it, and tells the load with st_load_ref_found when the
 * external id alone says which it is. */
enum qpc_rc st_load_ref(struct qpc_store *st, const char *ext, const char *name, int64_t *id,
                        bool *created, bool *done, struct qpc_error *e);
void st_load_ref_found(struct qpc_store *st, const char *ext, int64_t id);
/* An account made row by row: the load keeps knowing every external id,
 * or learns that an account has none. */
void st_load_made(struct qpc_store *st, const char *ext, int64_t id);
/* Ends the stream and writes the facts it put off so far: before a row
 * that may update a streamed account writes its own. */
enum qpc_rc st_load_facts(struct qpc_store *st, struct qpc_error *e);
/* The same of a category, by its name as the file has it. */
bool st_load_category(struct qpc_store *st, const char *name, int64_t *id);
void st_load_category_found(struct qpc_store *st, const char *name, int64_t id);
/* A sales line into an empty sales table, or merged with the lines of
 * one that holds some (*done; else the caller stores it), keyed at the
 * end by its stem's occurrence. */
enum qpc_rc st_load_sale(struct qpc_store *st, const struct qpc_sale_rec *r, const char *stem,
                         bool verbatim, bool *done, struct qpc_error *e);
/* Merges the lines put off with the table's, and moves those that were
 * there already from outcome[QPC_CREATED] (see qpc_ingest_settle). */
enum qpc_rc st_load_lines(struct qpc_store *st, uint64_t outcome[QPC_OUTCOMES],
                          struct qpc_error *e);
enum qpc_rc st_load_end(struct qpc_store *st, bool commit, struct qpc_error *e);
/* write.c: what a new account's row brings besides itself (its facts,
 * its status to make). */
enum qpc_rc st_account_added(struct qpc_store *st, int64_t new_id,
                             const struct qpc_account_rec *r, struct qpc_error *e);

struct qpc_store {
	const struct st_backend *be;
	struct st_pg *pg; /* the team server's connection (pg.c); NULL on a file */
	sqlite3 *db;
	char *path;
	const char *open_params, *open_vfs; /* how db was opened: see st_open_reader() */
	int threads_used; /* by the last figures computed for every account */
	bool one_thread;  /* ... which may not take a second (qpc_store_one_thread) */
	char *user;
	int64_t now;
	char now_iso[32];  /* now as ISO 8601, made once per actor */
	int tx_depth;
	struct timespec busy_since; /* see busy_wait() in db.c */
	unsigned busy_seed;
	bool bulk;         /* an import into an empty account table is running */
	bool bulk_journal; /* ... with a rollback journal: back to WAL at its end */
	bool bulk_unkeyed; /* ... and has added an account without an external id */
	bool aside_due;    /* ... and sets its indexes aside at its first row */
	bool bulk_plain;   /* ... and has added accounts without figures only */
	bool sale_bulk;       /* an import into an empty sales table is running */
	bool sale_aside_due;  /* ... and sets its indexes aside at its first line */
	bool bulk_unchecked;  /* foreign keys are off for a load into empty sales */
	bool tx_failed;
	int opened_version;
	bool readonly;
	/* Why this user cannot write the database, a sentence naming the file
	 * and the cause ("cannot write x.db: permission denied (owner alice,
	 * mode 0644)"); "" when read-only was asked for, or not read-only. */
	char why[640];
	/* A refresh could not write (qpc_store_keep_figures): the figures stay
	 * as the file holds them, as for a read-only store. */
	bool figures_kept;
	/* While set, st_fail names this as what was being done instead of the
	 * step that failed: a refresh fails as one thing, not as its statement. */
	const char *doing;
	int minor_units; /* cached from settings */
	int32_t threshold_bp;   /* the base threshold; see st_threshold_load */
	bool clock_fixed;       /* now was injected: it does not move */
	qpc_date figures_as_of; /* the cache's date; 0 with has_figures false */
	bool has_figures;
	bool touch_all;         /* recompute every account at commit */
	int64_t touched;        /* accounts in temp.touched */
	/* The date this connection reads figures at (qpc_store_refresh), and
	 * whether a private copy (temp.account) holds them for it. */
	bool has_view;
	qpc_date view_date;
	bool shadow, shadow_indexed, view_indexed;
	qpc_date shadow_date;
	int64_t shadow_version; /* PRAGMA data_version when the copy was made */
	struct st_stmts cache; /* prepared once, reused: see st_cached() */
	char migration_backup[4200]; /* the copy taken before migrating */
	char **set_aside;    /* CREATE statements of indexes and triggers dropped
	                      * for a bulk load, NULL-terminated; see ingest.c */
	struct fts_side *fts_side; /* the bulk load's search index: fts_side.c */
	struct st_load *load; /* a team server's import: ingest_pg.c */
	struct tally *tally; /* the bulk load's accounts counted as inserted;
	                      * NULL: counted from the table at its end */
	struct {             /* what the end of an import does, told as it goes */
		qpc_ingest_finish_fn fn;
		void *ctx;
		int step, steps;
	} finish;
	struct ahead *ahead; /* the accounts an import's next rows name: ingest.c */
	struct { /* how far the figures of every account have come */
		qpc_progress_fn fn;
		void *ctx;
	} progress;
};

/* fts_side.c: the search index of a bulk load of accounts, built on a
 * thread of its own while the load stores the rows.  _start begins it
 * (or not, silently), _add gives it each new account, _adopt makes it
 * the file's index if it is the table's (*adopted; else the caller
 * rebuilds it), _stop ends it either way. */
void st_fts_side_start(struct qpc_store *st);
void st_fts_side_add(struct qpc_store *st, int64_t id, const char *name, const char *ext);
enum qpc_rc st_fts_side_adopt(struct qpc_store *st, bool *adopted, struct qpc_error *e);
void st_fts_side_stop(struct qpc_store *st);

/* write.c: adds a sales line, its id in *id (if not NULL). */
enum qpc_rc st_sale_insert(struct qpc_store *st, const struct qpc_sale_rec *r, int64_t *id,
                           struct qpc_error *e);

/* ingest.c: a sales line's key base made of what the line holds, as it
 * is stored: "~" and 22 characters of a hash of it. */
#define SALE_KEY_HASHED 24
void st_sale_key_hashed(const char *base, size_t len, char out[SALE_KEY_HASHED]);

/* ingest_pg.c: an external id's hash, never 0 (FNV-1a, its bits mixed). */
uint64_t st_id_hash(const char *s);

/* ingest.c: forgets the accounts an import read ahead (qpc_ingest_expect). */
void st_ahead_drop(struct qpc_store *st);

/* Tells the import's caller the next step of its end, if one listens. */
void st_finishing(struct qpc_store *st, const char *what);

/* ingest.c: lets index builds sort on every core (PRAGMA threads). */
enum qpc_rc st_sort_threads(struct qpc_store *st, struct qpc_error *e);
/* db.c: a second connection to the file, read-only and opened as the
 * first was, for work on another thread; NULL when there can be none. */
sqlite3 *st_open_reader(struct qpc_store *st);
/* The name order's SQL function qpc_name_key(NAME) and collation QPC_NAME
 * (namekey.h), on every connection qpc opens; an SQLite result code. */
int st_name_functions(sqlite3 *db);

/* qpc_store_goal_progress(), telling fn of each account that became a
 * partner in the year or was lost (an error it returns ends the count). */
typedef enum qpc_rc (*st_goal_fn)(void *ctx, int64_t account_id, const struct qpc_goal_part *g,
                                  struct qpc_error *e);
enum qpc_rc st_goal_each(struct qpc_store *st, int year, qpc_date as_of, st_goal_fn fn, void *ctx,
                         struct qpc_goal *out, struct qpc_error *e);

/* Prepares sql; on failure fills e with SQLite's message. */
enum qpc_rc st_prepare(struct qpc_store *st, sqlite3_stmt **stmt, const char *sql,
                       struct qpc_error *e);
/* Maps a failed SQLite call to a qpc_rc with a sentence naming what was
 * being done. */
enum qpc_rc st_fail(struct qpc_store *st, struct qpc_error *e, const char *doing);
/* write.c: the active candidacy of an account and its live step at a
 * position, with the step's text; QPC_ERR_NOTFOUND when there is none. */
enum qpc_rc st_candidate_step(struct qpc_store *st, int64_t account_id, int position,
                              int64_t *cid, int64_t *sid, char *text, size_t n,
                              struct qpc_error *e);
/* Like st_prepare, but keeps the statement for reuse, keyed by the sql
 * pointer (a string literal): the caller resets nothing and finalizes
 * nothing.  For statements run once per row of a bulk load. */
enum qpc_rc st_cached(struct qpc_store *st, sqlite3_stmt **stmt, const char *sql,
                      struct qpc_error *e);
/* st_cached() for a statement run with st_run() (which resets it) and
 * whose every parameter the caller binds: the bindings are not cleared,
 * which a bulk load would pay for a million times. */
enum qpc_rc st_cached_bound(struct qpc_store *st, sqlite3_stmt **stmt, const char *sql,
                            struct qpc_error *e);
/* Steps a cached statement expecting SQLITE_DONE, then resets it. */
enum qpc_rc st_run(struct qpc_store *st, sqlite3_stmt *stmt, const char *doing,
                   struct qpc_error *e);
/* Runs SQL without results (schema, pragmas). */
enum qpc_rc st_exec(struct qpc_store *st, const char *sql, struct qpc_error *e);
/* Steps a statement expecting SQLITE_DONE, then finalizes it. */
enum qpc_rc st_step_done(struct qpc_store *st, sqlite3_stmt *stmt, const char *doing,
                         struct qpc_error *e);

/* Steps a statement for one row: *found true when there is one to read.
 * A failed step is an error naming what was being done, never "no row"
 * (a disk error is not "that account is not a candidate").  The caller
 * resets or finalizes. */
enum qpc_rc st_row(struct qpc_store *st, sqlite3_stmt *stmt, bool *found, const char *doing,
                   struct qpc_error *e);

/* Runs fn in a transaction (nested in the caller's, if any): committed
 * when it returns QPC_OK, else rolled back with its error kept. */
typedef enum qpc_rc (*st_tx_fn)(struct qpc_store *st, void *ctx, struct qpc_error *e);
enum qpc_rc st_tx(struct qpc_store *st, st_tx_fn fn, void *ctx, struct qpc_error *e);

/* The integer in the first column of the first row sql gives (def when
 * there is no row, it holds NULL, or the query fails), its parameters ?1.. bound from
 * args[0..nargs): a count or a flag in a line.  A failure is an error
 * naming what was being done.  ST_INT lists the parameters in its call. */
enum qpc_rc st_int(struct qpc_store *st, int64_t *out, int64_t def, const char *doing,
                   const char *sql, const int64_t *args, int nargs, struct qpc_error *e);
#define ST_INT(st, out, def, doing, e, sql, ...)                                              \
	st_int((st), (out), (def), (doing), (sql), (const int64_t[]){ __VA_ARGS__ },          \
	       (int)(sizeof((const int64_t[]){ __VA_ARGS__ }) / sizeof(int64_t)), (e))

void st_bind_text_or_empty(sqlite3_stmt *s, int i, const char *v);
void st_bind_opt_int(sqlite3_stmt *s, int i, bool has, int64_t v);
void st_bind_date(sqlite3_stmt *s, int i, qpc_date d);
/* Reads an ISO date column; false when NULL or malformed. */
bool st_column_date(sqlite3_stmt *s, int i, qpc_date *out);
/* An account's gross profit as the account table keeps it (gp_12m and
 * gp_known), selected as one column of table alias t ("a." or ""), NULL
 * when unknown; st_column_gp() reads it back into the figures. */
#define ST_GP_SQL(t) "CASE WHEN " t "gp_known <> 0 THEN " t "gp_12m END"
void st_column_gp(sqlite3_stmt *s, int i, struct qpc_account_figures *f);
void st_q_gp_at(struct st_q *q, int i, struct qpc_account_figures *f);
/* The actor's timestamp as ISO 8601 UTC ("2026-11-27T10:15:00Z"). */
void st_now_iso(const struct qpc_store *st, char buf[32]);

/* Sets the journal mode ("wal", "delete"); true when the file is now in
 * it.  Without wait, another connection reading the file makes it false
 * at once instead of after the busy wait. */
bool st_journal_mode(struct qpc_store *st, const char *mode, bool wait);

/* Appends one change to the history. */
enum qpc_rc st_history(struct qpc_store *st, int64_t account_id, const char *entity,
                       const char *field, const char *old_value, const char *new_value,
                       qpc_date effective, struct qpc_error *e);

/* schema.c */
enum qpc_rc st_migrate(struct qpc_store *st, struct qpc_error *e);

/* figures.c: marks an account whose facts changed; its figures are
 * recomputed, and a status change recorded, when the outermost
 * transaction commits, so that history sees the end state, not each step. */
enum qpc_rc st_touch(struct qpc_store *st, int64_t account_id, struct qpc_error *e);
/* Recomputes the touched accounts; called by qpc_store_commit. */
enum qpc_rc st_flush_touched(struct qpc_store *st, struct qpc_error *e);
/* The transaction rolled back: forgets what it touched. */
void st_touched_forget(struct qpc_store *st);

/* figures.c: every account's figures at a date (or one account's, when
 * `only` is an id), computed from the facts in force then and handed to
 * fn one account at a time with the row of ST_CACHE_COLUMNS that main's
 * account table holds for it (the cache, for callers that compare).
 * Writes nothing. */
#define ST_CACHE_COLUMNS                                                                       \
	"id, cost_to_serve, qpc, qpc_measured_on, qpc_verified, sales_12m, gp_12m, share_bp,"   \
	" share_over, untapped, status, contract_partner, contract_value, quality, gp_known"
enum {
	SC_ID, SC_COST, SC_QPC, SC_MEASURED_ON, SC_VERIFIED, SC_SALES, SC_GP, SC_SHARE, SC_OVER,
	SC_UNTAPPED, SC_STATUS, SC_CONTRACT, SC_CONTRACT_VALUE, SC_QUALITY, SC_GP_KNOWN
};
struct st_fig {
	int64_t id;
	qpc_date as_of;
	int32_t threshold_bp;
	struct qpc_account_figures f; /* status with candidacy laid over */
	bool contract, has_contract_value;
	qpc_money contract_value;
	bool has_oldest, verified; /* the oldest line in force; all verified */
	qpc_date oldest;
	int quality;               /* enum qpc_quality for a partner, else -1 */
	bool cost_known;
	qpc_money cost;
};
typedef enum qpc_rc (*st_fig_fn)(struct qpc_store *st, const struct st_fig *fig,
                                 struct st_q *row, void *ctx, struct qpc_error *e);
/* What fn reads in the row: the cache's (ST_WALK_CACHE: ST_CACHE_COLUMNS);
 * else id, cost_to_serve, rep_share_bp and owner only (SC_ID, SC_COST,
 * SC_REP, SC_OWNER), a third of the walk's time at a million; and with
 * ST_WALK_ROW every column of the account's own but the figures, as
 * ST_ROW_COLUMNS names them (SC_NAME, SC_EXT, SC_SEGMENT, then
 * SC_ROW_COUNT in all). */
#define ST_ROW_COLUMNS                                                                         \
	"id, cost_to_serve, rep_share_bp, owner, name, external_id, segment, city, country,"    \
	" employees, annual_revenue, account_sales_12m, account_gp_12m, notes, version,"        \
	" created_at, updated_at, name_key"
enum st_walk { ST_WALK_LEAN, ST_WALK_CACHE, ST_WALK_ROW };
enum { SC_REP = 2, SC_OWNER = 3, SC_NAME = 4, SC_EXT = 5, SC_SEGMENT = 6, SC_ROW_COUNT = 18 };
enum qpc_rc st_figures_at(struct qpc_store *st, qpc_date as_of, int64_t only, enum st_walk walk,
                          st_fig_fn fn, void *ctx, struct qpc_error *e);
/* Every account's figures at as_of, by id: what a team server, which
 * keeps none, reads beside an account's own columns. */
struct st_figmap {
	int64_t lo, n;
	struct st_fig *f;
	uint8_t *have;
};
enum qpc_rc st_figmap_build(struct qpc_store *st, qpc_date as_of, struct st_figmap *m,
                            struct qpc_error *e);
const struct st_fig *st_figmap_get(const struct st_figmap *m, int64_t id); /* NULL: none */
void st_figmap_free(struct st_figmap *m);
/* query.c: the parts of an account's row its figures give. */
struct qpc_account_row;
void st_row_of_fig(struct qpc_account_row *r, const struct st_fig *g);

/* watch.c: the partners at risk and the reps' estimate gap (watch.h),
 * gathered from every account's figures as a walk hands them over: begin,
 * add each account (its owner and the estimate today's row holds), end
 * (which frees the gatherer, as free does when a walk fails). */
struct st_watch;
struct qpc_watch;
enum qpc_rc st_watch_begin(struct qpc_store *st, qpc_date as_of, int32_t threshold_bp,
                           struct st_watch **out, struct qpc_error *e);
enum qpc_rc st_watch_add(struct st_watch *w, int64_t id, const char *owner, bool has_estimate,
                         int32_t estimate_bp, const struct qpc_account_figures *f,
                         struct qpc_error *e);
enum qpc_rc st_watch_end(struct qpc_store *st, struct st_watch *w, bool named,
                         struct qpc_watch *out, struct qpc_error *e);
void st_watch_free(struct st_watch *w);

/* The threshold's dated changes (setting_change), over the base setting. */
struct st_thresholds {
	struct qpc_thresholds t;
	struct qpc_threshold_step *steps;
	size_t n, cap;
};
enum qpc_rc st_threshold_load(struct qpc_store *st, struct st_thresholds *out,
                              struct qpc_error *e);
void st_threshold_free(struct st_thresholds *t);
/* db.c: "0.75", "75%" -> 7500; false unless 0 < t <= 1. */
bool st_parse_threshold(const char *v, int32_t *bp);
/* Today by the store's clock. */
qpc_date st_today(struct qpc_store *st);

/* cache.c: today's figures, kept in main's account table by the writes
 * that change them.  Brings every account to `today` (and builds what a
 * bulk load left), inside the caller's transaction. */
enum qpc_rc st_cache_all(struct qpc_store *st, qpc_date today, struct qpc_error *e);
/* Binds one account's figures as ?1 (id) .. ?13 (quality), in the order
 * of the cache's columns. */
void st_bind_fig(struct qpc_store *st, sqlite3_stmt *u, const struct st_fig *g);
/* The threshold changed: at commit every account is recomputed. */
void st_touch_all(struct qpc_store *st);

/* spans.c: each account's status changes (status_span), from its facts.
 * One account, or every account (only = 0), inside the caller's
 * transaction. */
enum qpc_rc st_spans_rebuild(struct qpc_store *st, int64_t only, struct qpc_error *e);

/* view.c: the figures this connection reads.  Drops a reader's private
 * copy before a write (the write must reach main) and makes it again
 * after, for a reader looking at another date than the cache's. */
void st_view_drop(struct qpc_store *st);
/* Another connection may have written since this one last looked: a new
 * day's cache, or facts a private copy no longer shows.  Re-reads the
 * cache's date and drops a copy that is out of date. */
void st_view_current(struct qpc_store *st);
/* Reads figures as of as_of from here on (qpc_store_refresh); indexed:
 * the copy, if one is needed, gets the sort indexes too. */
enum qpc_rc st_view(struct qpc_store *st, qpc_date as_of, bool indexed, struct qpc_error *e);
void st_view_restore(struct qpc_store *st);

/* estimate.c: factors calibrated on verified QPC lines, per segment and
 * category (see estimate.h), and what they make of one account's size. */
struct st_factors;
enum qpc_rc st_factors_load(struct qpc_store *st, struct st_factors **out, struct qpc_error *e);
void st_factors_free(struct st_factors *f);
/* One category's factors for accounts of a segment: the segment's own
 * where it has enough verified accounts, else all segments'. */
struct st_cat_factor {
	char category[96];
	bool has_emp, has_rev;
	struct qpc_factor emp, rev;
	char emp_segment[64], rev_segment[64]; /* "" when all segments */
};
/* The categories a segment's accounts can be estimated in, up to max. */
int st_factors_for(const struct st_factors *f, const char *segment, struct st_cat_factor *out,
                   int max);
/* The estimate of one category for an account of that size (employees
 * first, else revenue in minor units), rounded to hundreds; inputs (may
 * be NULL) says how it was made.  False when neither size fits. */
bool st_factor_estimate(const struct st_cat_factor *c, double employees, double revenue,
                        int minor_units, qpc_money *amount, char *inputs, size_t n);

/* ingest.c: builds the indexes a bulk import left for later (inside the
 * caller's transaction). */
enum qpc_rc st_build_pending(struct qpc_store *st, struct qpc_error *e);
/* write.c: inserts an account inside the caller's transaction; a failed
 * insert (a repeated external id) leaves the transaction as it was. */
enum qpc_rc st_account_insert(struct qpc_store *st, const struct qpc_account_rec *r, int64_t *id,
                              struct qpc_error *e);
/* write.c: a QPC line removed on `on`, as a fact (the potential row is
 * the caller's to delete). */
enum qpc_rc st_fact_removed(struct qpc_store *st, int64_t account_id, int64_t category_id,
                            qpc_date on, struct qpc_error *e);
/* contract.c: what an import says of an account's contract, as facts
 * dated `on`: bound (a contract from `on` unless one is in force then),
 * or not (the one in force then ends on `on`). */
enum qpc_rc st_contract_flag(struct qpc_store *st, int64_t account_id, bool bound,
                             bool has_value, qpc_money value, qpc_date on, struct qpc_error *e);
/* contract.c: a contract with its own dates (qpc_store_contract_set
 * inside the caller's transaction). */
enum qpc_rc st_contract_put(struct qpc_store *st, int64_t account_id,
                            const struct qpc_contract_rec *c, struct qpc_error *e);
/* write.c: what an account record says of its contract and its 12-month
 * figure, as dated facts. */
enum qpc_rc st_account_facts(struct qpc_store *st, int64_t account_id,
                             const struct qpc_account_rec *r, unsigned fields,
                             struct qpc_error *e);
/* write.c: an account-level 12-month figure as of `on`. */
enum qpc_rc st_account_figure(struct qpc_store *st, int64_t account_id, qpc_money sales,
                              bool has_gp, qpc_money gp, qpc_date on, struct qpc_error *e);
/* schema.c: the facts of a schema-8 file, from its lines and history. */
enum qpc_rc st_migrate_facts(struct qpc_store *st, struct qpc_error *e);
/* template.c: refuses a new template without a name, with a name taken,
 * or with a step blank or said twice. */
enum qpc_rc st_template_check_new(struct qpc_store *st, const char *name,
                                  const char *const *steps, int n, struct qpc_error *e);

/* ingest.c: counts an account a bulk load inserted, as its tally trigger
 * would have. */
void st_tally_insert(struct qpc_store *st, const char *owner, const char *segment);
/* ingest.c: frees the bulk load's count, if any. */
void st_tally_free(struct qpc_store *st);

#endif
