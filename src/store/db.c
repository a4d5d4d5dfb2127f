/* db.c — opening, transactions, settings, history and statement helpers. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "internal.h"
#include "qpc/namekey.h"

#define BUSY_TIMEOUT_MS 10000

static void why_readonly(const char *path, char *why, size_t n);

enum qpc_rc st_fail(struct qpc_store *st, struct qpc_error *e, const char *doing)
{
	int code = sqlite3_extended_errcode(st->db);
	/* SQLite's words on one line: a damaged file's may quote its schema,
	 * line breaks and all */
	char msg[512];
	snprintf(msg, sizeof msg, "%s", sqlite3_errmsg(st->db));
	for (char *p = msg; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	if (st->doing)
		doing = st->doing;
	switch (code & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return qpc_error_set(e, QPC_ERR_BUSY,
		                     "%s: %s stayed locked by another qpc for %d s; try again",
		                     doing, st->path, BUSY_TIMEOUT_MS / 1000);
	case SQLITE_READONLY: {
		/* its files changed hands since it was opened: say which, and how */
		char why[sizeof st->why];
		why_readonly(st->path, why, sizeof why);
		if (why[0])
			return qpc_error_set(e, QPC_ERR_READONLY, "%s: %s", doing, why);
		return qpc_error_set(e, QPC_ERR_READONLY, "%s: %s is read-only", doing, st->path);
	}
	case SQLITE_FULL:
		return qpc_error_set(e, QPC_ERR_IO, "%s: the disk holding %s is full; nothing was changed",
		                     doing, st->path);
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
		/* SQLite reports only ENOSPC as full; a quota or a file size
		 * limit (ulimit -f: EFBIG) comes as a bare "disk I/O error",
		 * and a failed write leaves its errno to us, not to SQLite */
		switch (sqlite3_system_errno(st->db) ? sqlite3_system_errno(st->db)
		        : code == SQLITE_IOERR_WRITE ? errno : 0) {
		case ENOSPC:
		case EDQUOT:
			return qpc_error_set(e, QPC_ERR_IO,
			                     "%s: the disk holding %s is full; nothing was changed", doing,
			                     st->path);
		case EFBIG:
			return qpc_error_set(e, QPC_ERR_IO,
			                     "%s: %s would grow past the file size limit (ulimit -f); "
			                     "nothing was changed",
			                     doing, st->path);
		}
		return qpc_error_set(e, QPC_ERR_IO, "%s: %s: %s", doing, st->path, msg);
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		(void)doing;
		return qpc_error_set(e, QPC_ERR_DATA,
		                     "%s is damaged or is not a qpc database (SQLite says: %s); "
		                     "restore it from a backup",
		                     st->path, msg);
	case SQLITE_CONSTRAINT:
		return qpc_error_set(e, QPC_ERR_DATA, "%s: %s", doing, msg);
	default:
		return qpc_error_set(e, QPC_ERR_DB, "%s: %s", doing, msg);
	}
}

enum qpc_rc st_prepare(struct qpc_store *st, sqlite3_stmt **stmt, const char *sql,
                       struct qpc_error *e)
{
	if (!st->db) { /* a team server runs only what its backend table names */
		*stmt = NULL;
		return st_unsupported(st, "this operation", e);
	}
	if (sqlite3_prepare_v2(st->db, sql, -1, stmt, NULL) != SQLITE_OK) {
		*stmt = NULL;
		return st_fail(st, e, "preparing a query");
	}
	return QPC_OK;
}

enum qpc_rc st_stmts_get(struct qpc_store *st, struct st_stmts *c, sqlite3_stmt **stmt,
                         const char *sql, bool clear, struct qpc_error *e)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->at[i].sql == sql) {
			*stmt = c->at[i].stmt;
			if (clear) {
				sqlite3_reset(*stmt);
				sqlite3_clear_bindings(*stmt);
			}
			return QPC_OK;
		}
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 32;
		struct st_stmt *at = realloc(c->at, cap * sizeof *at);
		if (!at)
			return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
		c->at = at;
		c->cap = cap;
	}
	enum qpc_rc rc = st_prepare(st, stmt, sql, e);
	if (rc == QPC_OK)
		c->at[c->n++] = (struct st_stmt){ sql, *stmt };
	return rc;
}

void st_stmts_free(struct st_stmts *c)
{
	for (size_t i = 0; i < c->n; i++)
		sqlite3_finalize(c->at[i].stmt);
	free(c->at);
	*c = (struct st_stmts){ 0 };
}

enum qpc_rc st_cached(struct qpc_store *st, sqlite3_stmt **stmt, const char *sql,
                      struct qpc_error *e)
{
	return st_stmts_get(st, &st->cache, stmt, sql, true, e);
}

enum qpc_rc st_cached_bound(struct qpc_store *st, sqlite3_stmt **stmt, const char *sql,
                            struct qpc_error *e)
{
	return st_stmts_get(st, &st->cache, stmt, sql, false, e);
}

enum qpc_rc st_run(struct qpc_store *st, sqlite3_stmt *stmt, const char *doing,
                   struct qpc_error *e)
{
	int r = sqlite3_step(stmt);
	enum qpc_rc rc = QPC_OK;
	if (r != SQLITE_DONE && r != SQLITE_ROW)
		rc = st_fail(st, e, doing);
	sqlite3_reset(stmt);
	return rc;
}

enum qpc_rc st_exec(struct qpc_store *st, const char *sql, struct qpc_error *e)
{
	if (!st->db) /* a team server runs only what its backend table names */
		return st_unsupported(st, "this operation", e);
	if (sqlite3_exec(st->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return st_fail(st, e, "updating the database");
	return QPC_OK;
}

enum qpc_rc st_step_done(struct qpc_store *st, sqlite3_stmt *stmt, const char *doing,
                         struct qpc_error *e)
{
	int r = sqlite3_step(stmt);
	enum qpc_rc rc = QPC_OK;
	if (r != SQLITE_DONE && r != SQLITE_ROW)
		rc = st_fail(st, e, doing);
	sqlite3_finalize(stmt);
	return rc;
}

enum qpc_rc st_row(struct qpc_store *st, sqlite3_stmt *stmt, bool *found, const char *doing,
                   struct qpc_error *e)
{
	int r = sqlite3_step(stmt);
	*found = r == SQLITE_ROW;
	return r == SQLITE_ROW || r == SQLITE_DONE ? QPC_OK : st_fail(st, e, doing);
}

enum qpc_rc st_tx(struct qpc_store *st, st_tx_fn fn, void *ctx, struct qpc_error *e)
{
	enum qpc_rc rc = st_q_begin(st, e);
	if (rc)
		return rc;
	if ((rc = fn(st, ctx, e))) {
		st_q_rollback(st);
		return rc;
	}
	return st_q_commit(st, e);
}

enum qpc_rc st_int(struct qpc_store *st, int64_t *out, int64_t def, const char *doing,
                   const char *sql, const int64_t *args, int nargs, struct qpc_error *e)
{
	struct st_q *q;
	*out = def;
	enum qpc_rc rc = st_q_prepare(st, &q, sql, e);
	if (rc)
		return rc;
	for (int i = 0; i < nargs; i++)
		st_q_int(q, i + 1, args[i]);
	int r = st_q_step(q);
	const char *v = r == ST_ROW ? st_q_text_at(q, 0) : NULL;
	if (v) /* a flag is 1 on a file, t on the server */
		*out = strcmp(v, "t") == 0 ? 1 : strcmp(v, "f") == 0 ? 0 : st_q_int_at(q, 0);
	if (r != ST_ROW && r != ST_DONE)
		rc = st_q_fail(q, doing, e);
	st_q_free(q);
	return rc;
}

void st_bind_text_or_empty(sqlite3_stmt *s, int i, const char *v)
{
	sqlite3_bind_text(s, i, v ? v : "", -1, SQLITE_TRANSIENT);
}

void st_bind_opt_int(sqlite3_stmt *s, int i, bool has, int64_t v)
{
	if (has)
		sqlite3_bind_int64(s, i, v);
	else
		sqlite3_bind_null(s, i);
}

void st_bind_date(sqlite3_stmt *s, int i, qpc_date d)
{
	char buf[QPC_DATE_ISO_LEN];
	sqlite3_bind_text(s, i, qpc_date_format(d, buf), -1, SQLITE_TRANSIENT);
}

void st_column_gp(sqlite3_stmt *s, int i, struct qpc_account_figures *f)
{
	f->gp_known = sqlite3_column_type(s, i) != SQLITE_NULL;
	f->gp_12m = sqlite3_column_int64(s, i);
}

bool st_column_date(sqlite3_stmt *s, int i, qpc_date *out)
{
	const char *t = (const char *)sqlite3_column_text(s, i);
	return t && qpc_date_parse_iso(t, out);
}

void st_now_iso(const struct qpc_store *st, char buf[32])
{
	memcpy(buf, st->now_iso, 32);
}

static void set_now(struct qpc_store *st, int64_t now)
{
	time_t t = (time_t)now;
	struct tm tm;
	st->now = now;
	gmtime_r(&t, &tm);
	strftime(st->now_iso, sizeof st->now_iso, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* Waits for another qpc's write to end: polls every 1 to 8 ms (at
 * random, so that waiters do not march in step) up to BUSY_TIMEOUT_MS.
 * SQLite's own handler backs off to 100 ms between tries, and a writer
 * that comes back sooner than that (an importer's next file) wins every
 * time: the waiter starves until it gives up. */
static int busy_wait(void *ctx, int count)
{
	struct qpc_store *st = ctx;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (count == 0)
		st->busy_since = now;
	long waited = (long)(now.tv_sec - st->busy_since.tv_sec) * 1000 +
	              (now.tv_nsec - st->busy_since.tv_nsec) / 1000000;
	if (waited >= BUSY_TIMEOUT_MS)
		return 0;
	st->busy_seed = st->busy_seed * 1103515245u + 12345u;
	struct timespec nap = { 0, (long)(1 + (st->busy_seed >> 16) % 8) * 1000000L };
	nanosleep(&nap, NULL);
	return 1;
}

bool st_journal_mode(struct qpc_store *st, const char *mode, bool wait)
{
	char sql[48];
	sqlite3_stmt *s;
	snprintf(sql, sizeof sql, "PRAGMA journal_mode = %s", mode);
	if (!wait)
		sqlite3_busy_handler(st->db, NULL, NULL);
	bool ok = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL) == SQLITE_OK &&
	          sqlite3_step(s) == SQLITE_ROW &&
	          sqlite3_stricmp((const char *)sqlite3_column_text(s, 0), mode) == 0;
	sqlite3_finalize(s);
	if (!wait)
		sqlite3_busy_handler(st->db, busy_wait, st);
	return ok;
}

/* --- opening ------------------------------------------------------------- */

static enum qpc_rc make_parent(const char *path, struct qpc_error *e)
{
	char *dir = strdup(path);
	if (!dir)
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	char *slash = strrchr(dir, '/');
	if (!slash || slash == dir) {
		free(dir);
		return QPC_OK;
	}
	*slash = '\0';
	for (char *p = dir + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST)
			goto fail;
		*p = '/';
	}
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		goto fail;
	free(dir);
	return QPC_OK;
fail:;
	enum qpc_rc rc = qpc_error_set(e, QPC_ERR_IO, "cannot create folder %s: %s", dir,
	                               strerror(errno));
	free(dir);
	return rc;
}

/* Checks the path before SQLite sees it, so the user gets one sentence. */
/* A libpq connection string, not a file: a URI (postgresql://...,
 * postgres://...) or keyword=value settings (service=team, host=db ...).
 * Taken for a path, it would create folders named after it. */
bool qpc_store_is_server(const char *path)
{
	static const char *const keywords[] = {
		"host", "hostaddr", "port", "dbname", "user", "password", "passfile", "service",
		"sslmode", "connect_timeout", "application_name", "options", "target_session_attrs",
	};
	if (strncasecmp(path, "postgresql://", 13) == 0 || strncasecmp(path, "postgres://", 11) == 0)
		return true;
	size_t k = strspn(path, "abcdefghijklmnopqrstuvwxyz_");
	for (size_t i = 0; k && path[k] == '=' && i < sizeof keywords / sizeof *keywords; i++)
		if (strlen(keywords[i]) == k && strncmp(path, keywords[i], k) == 0)
			return true;
	return false;
}

static enum qpc_rc check_path(const char *path, unsigned flags, struct qpc_error *e)
{
	struct stat sb;
	if (stat(path, &sb) == 0) {
		if (S_ISDIR(sb.st_mode))
			return qpc_error_set(e, QPC_ERR_USAGE, "%s is a folder, not a database file", path);
		if (!S_ISREG(sb.st_mode))
			return qpc_error_set(e, QPC_ERR_USAGE,
			                     "%s is %s, not a regular file: a database is kept in a file",
			                     path,
			                     S_ISCHR(sb.st_mode)    ? "a device"
			                     : S_ISBLK(sb.st_mode)  ? "a block device"
			                     : S_ISFIFO(sb.st_mode) ? "a pipe (FIFO)"
			                     : S_ISSOCK(sb.st_mode) ? "a socket"
			                                            : "a special file");
		/* an empty file becomes a database only through init: as
		 * private as one qpc creates (it holds sales figures) */
		if ((flags & QPC_OPEN_CREATE) && S_ISREG(sb.st_mode) && sb.st_size == 0 &&
		    (sb.st_mode & 077))
			(void)chmod(path, sb.st_mode & 0700);
		return QPC_OK;
	}
	if (errno != ENOENT)
		return qpc_error_set(e, QPC_ERR_IO, "cannot open %s: %s", path, strerror(errno));
	if (!(flags & QPC_OPEN_CREATE))
		return qpc_error_set(e, QPC_ERR_NOTFOUND,
		                     "no database at %s; create one with 'qpc init' "
		                     "(or 'qpc init --demo' for demo data)",
		                     path);
	enum qpc_rc rc = make_parent(path, e);
	if (rc)
		return rc;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0 && errno != EEXIST)
		return qpc_error_set(e, QPC_ERR_IO, "cannot create %s: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	return QPC_OK;
}

/* A file with tables but no schema version is somebody else's.  One with
 * neither is empty (touched, or a mistyped name made by another tool):
 * only init makes a database of it, so that a command meant to read
 * writes nothing there. */
static enum qpc_rc check_kind(struct qpc_store *st, unsigned flags, struct qpc_error *e)
{
	sqlite3_stmt *s;
	enum qpc_rc rc = st_prepare(st, &s,
	                            "SELECT (SELECT user_version FROM pragma_user_version),"
	                            " EXISTS (SELECT 1 FROM sqlite_master)",
	                            e);
	if (rc)
		return rc;
	int r = sqlite3_step(s);
	bool unversioned = r == SQLITE_ROW && sqlite3_column_int(s, 0) == 0;
	bool tables = r == SQLITE_ROW && sqlite3_column_int(s, 1);
	sqlite3_finalize(s);
	if (r != SQLITE_ROW)
		return st_fail(st, e, "reading the database");
	if (unversioned && tables)
		return qpc_error_set(e, QPC_ERR_DATA,
		                     "%s is an SQLite database, but not one of qpc's", st->path);
	if (unversioned && !(flags & QPC_OPEN_CREATE))
		return qpc_error_set(e, QPC_ERR_DATA,
		                     "%s is empty, not a qpc database; create one with 'qpc init'",
		                     st->path);
	return QPC_OK;
}

enum qpc_rc st_load_settings(struct qpc_store *st, struct qpc_error *e)
{
	struct qpc_settings s;
	enum qpc_rc rc = qpc_store_settings(st, &s, e);
	if (rc)
		return rc;
	st->minor_units = s.minor_units;
	st->threshold_bp = s.base_threshold_bp;
	if (st->pg) /* no figures kept there */
		return QPC_OK;
	sqlite3_stmt *q;
	if ((rc = st_prepare(st, &q, "SELECT value FROM setting WHERE key = 'figures_as_of'", e)))
		return rc;
	st->has_figures = sqlite3_step(q) == SQLITE_ROW && st_column_date(q, 0, &st->figures_as_of);
	sqlite3_finalize(q);
	return QPC_OK;
}

/* --- who may write, and readers who may not --------------------------------- */

/* "cannot write FILE: CAUSE", with the owner and mode where permission is
 * what stands in the way, so that the reader knows whom to ask. */
static void cannot_write(const char *in, const char *file, int err, char *why, size_t n)
{
	struct stat sb;
	if ((err == EACCES || err == EPERM) && stat(file, &sb) == 0) {
		char buf[1024], owner[64];
		struct passwd pw, *found = NULL;
		if (getpwuid_r(sb.st_uid, &pw, buf, sizeof buf, &found) == 0 && found)
			snprintf(owner, sizeof owner, "%s", found->pw_name);
		else
			snprintf(owner, sizeof owner, "uid %ld", (long)sb.st_uid);
		snprintf(why, n, "cannot write %s%s: permission denied (owner %s, mode %04o)", in, file,
		         owner, (unsigned)(sb.st_mode & 07777));
	} else if (err == EROFS) {
		snprintf(why, n, "cannot write %s%s: its file system is mounted read-only", in, file);
	} else {
		snprintf(why, n, "cannot write %s%s: %s", in, file, strerror(err));
	}
}

/* Why this user cannot write the database at path; "" when they can.
 * SQLite writes the file, creates its -wal and -shm beside it, and writes
 * those where they exist (a writer's, or left by a reader of an older
 * qpc, owned by someone else): each is named when it stands in the way. */
static void why_readonly(const char *path, char *why, size_t n)
{
	char *real = realpath(path, NULL);
	const char *file = real ? real : path;
	size_t len = strlen(file);
	char *aux = malloc(len + 5);
	why[0] = '\0';
	if (access(file, W_OK) != 0) {
		cannot_write("", file, errno, why, n);
	} else if (aux) {
		memcpy(aux, file, len + 1);
		char *slash = strrchr(aux, '/');
		const char *dir = !slash ? "." : slash == aux ? "/" : aux;
		if (slash && slash != aux)
			*slash = '\0';
		if (access(dir, W_OK) != 0)
			cannot_write("in the folder ", dir, errno, why, n);
		static const char *const suffix[] = { "-wal", "-shm" };
		for (size_t i = 0; !why[0] && i < sizeof suffix / sizeof *suffix; i++) {
			memcpy(aux, file, len);
			memcpy(aux + len, suffix[i], 5);
			if (access(aux, F_OK) == 0 && access(aux, W_OK) != 0)
				cannot_write("", aux, errno, why, n);
		}
	}
	free(aux);
	free(real);
}

/* SQLite gives a reader of a WAL database the -wal and -shm files it
 * needs by creating them beside the database, even on a read-only
 * connection, wherever the folder lets it (sqlite.org/wal.html, "Read-Only
 * Databases"): files owned by the reader, which then stand in the owner's
 * way.  A reader who may not write the database opens it through this VFS,
 * which opens a -wal only if one exists, and with readonly_shm=1, which
 * does the same for the -shm: while someone writes, both exist and the
 * reader reads through them; when nobody does, the open fails and the
 * file is read as it stands (immutable=1).  Nothing is left behind. */
static sqlite3_vfs reader_vfs, *base_vfs;
static pthread_once_t reader_once = PTHREAD_ONCE_INIT;

static int reader_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags, int *out)
{
	(void)vfs;
	if (flags & SQLITE_OPEN_WAL)
		flags &= ~SQLITE_OPEN_CREATE;
	return base_vfs->xOpen(base_vfs, name, f, flags, out);
}

static void reader_register(void)
{
	sqlite3_vfs *base = sqlite3_vfs_find(NULL);
	if (!base)
		return;
	reader_vfs = *base; /* its methods and their private data, */
	reader_vfs.pNext = NULL;
	reader_vfs.zName = "qpc-reader";
	reader_vfs.xOpen = reader_open; /* but for the one that creates files */
	base_vfs = base;
	if (sqlite3_vfs_register(&reader_vfs, 0) != SQLITE_OK)
		base_vfs = NULL;
}

/* path as an SQLite URI with the given parameters: '%', '?' and '#' and
 * bytes outside printable ASCII escaped, so that any file name works. */
static char *file_uri(const char *path, const char *params)
{
	sqlite3_str *u = sqlite3_str_new(NULL);
	sqlite3_str_appendall(u, path[0] == '/' ? "file://" : "file:");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++)
		if (*p <= ' ' || *p >= 0x7f || *p == '%' || *p == '?' || *p == '#')
			sqlite3_str_appendf(u, "%%%02X", *p);
		else
			sqlite3_str_appendchar(u, 1, (char)*p);
	sqlite3_str_appendf(u, "?%s", params);
	return sqlite3_str_finish(u);
}

/* qpc_name_key(NAME): a name's sort key (namekey.h), what account.name_key
 * holds. */
static void name_key_fn(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const char *s = (const char *)sqlite3_value_text(argv[0]);
	if (!s) {
		sqlite3_result_null(cx);
		return;
	}
	size_t len = (size_t)sqlite3_value_bytes(argv[0]);
	char *k = sqlite3_malloc64(2 * len + 1);
	if (!k) {
		sqlite3_result_error_nomem(cx);
		return;
	}
	size_t kl = qpc_name_key(s, len, k, 2 * len + 1);
	sqlite3_result_text(cx, k, (int)kl, sqlite3_free);
}

static int name_cmp(void *ctx, int alen, const void *a, int blen, const void *b)
{
	(void)ctx;
	return qpc_name_cmp(a, (size_t)alen, b, (size_t)blen);
}

int st_name_functions(sqlite3 *db)
{
	int r = sqlite3_create_function(db, "qpc_name_key", 1,
	                                SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
	                                name_key_fn, NULL, NULL);
	return r != SQLITE_OK ? r : sqlite3_create_collation(db, "QPC_NAME", SQLITE_UTF8, NULL, name_cmp);
}

static enum qpc_rc open_as(struct qpc_store *st, const char *params, int flags, const char *vfs,
                           struct qpc_error *e)
{
	char *uri = params ? file_uri(st->path, params) : NULL;
	if (params && !uri)
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	int r = sqlite3_open_v2(uri ? uri : st->path, &st->db,
	                        flags | (uri ? SQLITE_OPEN_URI : 0) | SQLITE_OPEN_NOMUTEX, vfs);
	sqlite3_free(uri);
	st->open_params = params;
	st->open_vfs = vfs;
	if (r != SQLITE_OK)
		return st->db ? st_fail(st, e, "opening the database")
		              : qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	if (st_name_functions(st->db) != SQLITE_OK)
		return st_fail(st, e, "opening the database");
	return QPC_OK;
}

sqlite3 *st_open_reader(struct qpc_store *st)
{
	if (!st->db || !*st->path || strcmp(st->path, ":memory:") == 0)
		return NULL;
	char *uri = file_uri(st->path, st->open_params ? st->open_params : "mode=ro");
	sqlite3 *db = NULL;
	int r = uri ? sqlite3_open_v2(uri, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI |
	                                           SQLITE_OPEN_NOMUTEX, st->open_vfs)
	            : SQLITE_NOMEM;
	sqlite3_free(uri);
	if (r != SQLITE_OK || st_name_functions(db) != SQLITE_OK) {
		sqlite3_close_v2(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, BUSY_TIMEOUT_MS);
	return db;
}

static enum qpc_rc connect(struct qpc_store *st, struct qpc_error *e)
{
	/* one connection, one thread (NOMUTEX): SQLite's own mutexes are pure
	 * cost.  Read-only by request, the files are ours to make. */
	enum qpc_rc rc;
	if (!st->readonly || !st->why[0])
		return open_as(st, NULL, st->readonly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE,
		               NULL, e);
	pthread_once(&reader_once, reader_register);
	if (!base_vfs)
		return qpc_error_set(e, QPC_ERR_DB, "%s; and reading it would leave files behind",
		                     st->why);
	if ((rc = open_as(st, "readonly_shm=1", SQLITE_OPEN_READONLY, reader_vfs.zName, e)))
		return rc;
	if (sqlite3_exec(st->db, "SELECT count(*) FROM sqlite_master", NULL, NULL, NULL) == SQLITE_OK)
		return QPC_OK;
	if ((sqlite3_errcode(st->db) & 0xff) != SQLITE_CANTOPEN)
		return st_fail(st, e, "opening the database");
	/* nobody is writing it (no -wal, no -shm; or the reader may not read
	 * them): read the file as it stands */
	sqlite3_close_v2(st->db);
	st->db = NULL;
	return open_as(st, "immutable=1", SQLITE_OPEN_READONLY, NULL, e);
}

bool qpc_store_readonly(const struct qpc_store *st)
{
	return st->readonly;
}

const char *qpc_store_readonly_why(const struct qpc_store *st)
{
	return st->why;
}

bool qpc_store_figures_date(const struct qpc_store *st, qpc_date *as_of)
{
	if (st->has_figures)
		*as_of = st->figures_as_of;
	return st->has_figures;
}

enum qpc_rc qpc_store_open(const char *path, unsigned flags, struct qpc_store **out,
                           struct qpc_error *e)
{
	*out = NULL;
	bool server = qpc_store_is_server(path);
	enum qpc_rc rc = server ? QPC_OK : check_path(path, flags, e);
	if (rc)
		return rc;
	struct qpc_store *st = calloc(1, sizeof *st);
	if (!st || !(st->path = strdup(path)) || !(st->user = strdup("qpc"))) {
		qpc_store_close(st);
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	}
	st->be = &st_sqlite_backend;
	if (server) {
		set_now(st, (int64_t)time(NULL));
		if ((rc = st_pg_open(st, path, flags, e))) {
			qpc_store_close(st);
			return rc;
		}
		*out = st;
		return QPC_OK;
	}
	/* SQLite counts every allocation under a global mutex, for statistics
	 * qpc never reads: a few percent of a bulk import.  Only possible
	 * before SQLite is first used; later it is refused, harmlessly. */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	/* A statement that fires triggers inside a longer transaction keeps
	 * the pages it changes in a statement journal.  SQLite spills one past
	 * 64 KiB to a temporary file, which then takes every later statement's
	 * journal of that transaction, a system call a page: that doubled the
	 * time of init --demo.  Kept in memory instead, always: a spill
	 * threshold of 256 KiB or more makes SQLite 3.40 fail a large DROP
	 * TABLE inside a transaction with "database or disk is full" on a disk
	 * with room (tests/cli: a schema-9 file of 100,000 accounts).  Only one
	 * statement's pages are held at a time, the most a migration's ALTER
	 * TABLE of the account table. */
	sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, -1);
	set_now(st, (int64_t)time(NULL));
	why_readonly(path, st->why, sizeof st->why);
	st->readonly = (flags & QPC_OPEN_READONLY) || st->why[0];
	if ((rc = connect(st, e))) {
		qpc_store_close(st);
		return rc;
	}
	sqlite3_extended_result_codes(st->db, 1);
	st->busy_seed = (unsigned)getpid();
	sqlite3_busy_handler(st->db, busy_wait, st);
	if ((rc = check_kind(st, flags, e)) || (rc = st_exec(st, "PRAGMA foreign_keys = ON", e)))
		goto fail;
	if (!st->readonly && (rc = st_exec(st, "PRAGMA journal_mode = WAL", e)))
		goto fail;
	if ((rc = st_migrate(st, e)) || (rc = st_load_settings(st, e)) ||
	    (rc = st_exec(st, "CREATE TEMP TABLE touched (account_id INTEGER PRIMARY KEY)", e)))
		goto fail;
	*out = st;
	return QPC_OK;
fail:
	qpc_store_close(st);
	return rc;
}

void qpc_store_close(struct qpc_store *st)
{
	if (!st)
		return;
	if (st->be && st->be->close)
		st->be->close(st);
	if (st->db) {
		st_fts_side_stop(st);
		st_stmts_free(&st->cache);
		if (st->tx_depth > 0)
			sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		sqlite3_close_v2(st->db);
	}
	if (st->set_aside) {
		for (char **p = st->set_aside; *p; p++)
			free(*p);
		free(st->set_aside);
	}
	st_tally_free(st);
	st_ahead_drop(st);
	free(st->path);
	free(st->user);
	free(st);
}

void qpc_store_set_actor(struct qpc_store *st, const char *user, int64_t now)
{
	if (st->pg) /* on the server the actor is the login, as st_pg_open set it */
		user = st->user;
	char *u = strdup(user && *user ? user : "unknown");
	if (u) {
		free(st->user);
		st->user = u;
	}
	st->clock_fixed = now > 0;
	set_now(st, now > 0 ? now : (int64_t)time(NULL));
}

void qpc_store_same_actor(struct qpc_store *to, const struct qpc_store *from)
{
	qpc_store_set_actor(to, from->user, from->clock_fixed ? from->now : 0);
}

/* A live clock is read again as each change begins, so that a tick made
 * an hour after the dashboard opened is stamped an hour later. */
void st_read_clock(struct qpc_store *st)
{
	if (!st->clock_fixed)
		set_now(st, (int64_t)time(NULL));
}

qpc_date st_today(struct qpc_store *st)
{
	return qpc_date_from_unix(st->now);
}

const char *qpc_store_user(const struct qpc_store *st)
{
	return st->user;
}

int64_t qpc_store_now(const struct qpc_store *st)
{
	return st->clock_fixed ? st->now : (int64_t)time(NULL);
}

int qpc_store_opened_version(const struct qpc_store *st)
{
	return st->opened_version;
}

int qpc_store_backend_version(const struct qpc_store *st)
{
	return st->pg ? st_pg_schema_version() : qpc_store_schema_version();
}

/* --- transactions -------------------------------------------------------- */

enum qpc_rc qpc_store_begin(struct qpc_store *st, struct qpc_error *e)
{
	if (st->readonly && st->why[0])
		return qpc_error_set(e, QPC_ERR_READONLY, "%s; reading only, nothing was changed",
		                     st->why);
	if (st->readonly)
		return qpc_error_set(e, QPC_ERR_READONLY, "%s is open read-only; nothing was changed",
		                     st->path);
	if (st->tx_depth == 0) {
		st_read_clock(st);
		st_view_drop(st); /* writes go to main, and read it */
		enum qpc_rc rc = st_exec(st, "BEGIN IMMEDIATE", e);
		if (rc) {
			st_view_restore(st);
			return rc;
		}
		st->tx_failed = false;
	}
	st->tx_depth++;
	return QPC_OK;
}

enum qpc_rc qpc_store_commit(struct qpc_store *st, struct qpc_error *e)
{
	if (st->tx_depth <= 0)
		return qpc_error_set(e, QPC_ERR_DB, "commit without a transaction");
	if (--st->tx_depth > 0)
		return QPC_OK;
	if (st->tx_failed) {
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		st_touched_forget(st);
		st_view_restore(st);
		return qpc_error_set(e, QPC_ERR_DB, "the transaction was rolled back");
	}
	bool had = st->has_figures;
	qpc_date was = st->figures_as_of;
	enum qpc_rc rc = st_flush_touched(st, e);
	if (rc == QPC_OK)
		rc = st_exec(st, "COMMIT", e);
	if (rc) {
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		st_touched_forget(st);
		st->has_figures = had;
		st->figures_as_of = was;
	}
	st_view_restore(st);
	return rc;
}

void qpc_store_rollback(struct qpc_store *st)
{
	if (st->tx_depth <= 0)
		return;
	st->tx_failed = true;
	if (--st->tx_depth == 0) {
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
		st_touched_forget(st);
		st_view_restore(st);
	}
}

/* --- settings ------------------------------------------------------------ */

static enum qpc_rc setting_get(struct qpc_store *st, const char *key, char *buf, size_t n,
                               struct qpc_error *e)
{
	struct st_q *q;
	enum qpc_rc rc = st_q_prepare(st, &q, "SELECT value FROM setting WHERE key = :key", e);
	if (rc)
		return rc;
	st_q_set_text(q, ":key", key);
	int r = st_q_step(q);
	if (r == ST_ROW)
		snprintf(buf, n, "%s", st_q_text_at(q, 0));
	else if (r == ST_DONE)
		buf[0] = '\0';
	else
		rc = st_q_fail(q, "reading settings", e);
	st_q_free(q);
	return rc;
}

bool st_parse_threshold(const char *v, int32_t *bp)
{
	qpc_money m;
	char buf[32];
	size_t n = v ? strlen(v) : 0;
	if (n > 1 && n < sizeof buf && v[n - 1] == '%') { /* "80%", "82.5%" */
		memcpy(buf, v, n - 1);
		buf[n - 1] = '\0';
		if (!qpc_money_parse_plain(buf, 2, &m, NULL) || m <= 0 || m > QPC_BP_ONE)
			return false;
		*bp = (int32_t)m;
		return true;
	}
	if (!v || !qpc_money_parse_plain(v, 4, &m, NULL) || m <= 0 || m > QPC_BP_ONE)
		return false;
	*bp = (int32_t)m;
	return true;
}

enum qpc_rc qpc_store_settings(struct qpc_store *st, struct qpc_settings *out, struct qpc_error *e)
{
	char v[64] = "";
	enum qpc_rc rc;
	if ((rc = setting_get(st, "threshold", v, sizeof v, e)))
		return rc;
	if (!st_parse_threshold(v, &out->threshold_bp))
		out->threshold_bp = QPC_THRESHOLD_DEFAULT;
	out->base_threshold_bp = out->threshold_bp;
	if ((rc = qpc_store_threshold_at(st, st_today(st), &out->threshold_bp, e)))
		return rc;
	if ((rc = setting_get(st, "currency", v, sizeof v, e)))
		return rc;
	memcpy(out->currency, strlen(v) == 3 ? v : "USD", 3);
	out->currency[3] = '\0';
	if ((rc = setting_get(st, "minor_units", v, sizeof v, e)))
		return rc;
	out->minor_units = (v[0] >= '0' && v[0] <= '4' && !v[1]) ? v[0] - '0' : 2;
	return QPC_OK;
}

static enum qpc_rc has_money(struct qpc_store *st, bool *out, struct qpc_error *e)
{
	int64_t any;
	enum qpc_rc rc = st_int(st, &any, 0, "reading the database",
	                        "SELECT EXISTS (SELECT 1 FROM sale) OR EXISTS (SELECT 1 FROM qpc_fact)"
	                        " OR EXISTS (SELECT 1 FROM contract WHERE value IS NOT NULL)"
	                        " OR EXISTS (SELECT 1 FROM account_figure)"
	                        " OR EXISTS (SELECT 1 FROM account WHERE annual_revenue IS NOT NULL"
	                        " OR cost_to_serve IS NOT NULL OR account_sales_12m IS NOT NULL)",
	                        NULL, 0, e);
	*out = any != 0;
	return rc;
}

enum qpc_rc qpc_store_threshold_at(struct qpc_store *st, qpc_date on, int32_t *bp,
                                   struct qpc_error *e)
{
	struct st_thresholds th;
	enum qpc_rc rc = st_threshold_load(st, &th, e);
	if (rc)
		return rc;
	*bp = qpc_threshold_at(&th.t, on);
	st_threshold_free(&th);
	return QPC_OK;
}

/* The threshold is a dated fact: a change takes effect from a day on,
 * and the days before keep the threshold they had. */
static enum qpc_rc threshold_change(struct qpc_store *st, int32_t bp, qpc_date from,
                                    struct qpc_error *e)
{
	int32_t was;
	char old[16], value[16], at[32], day[QPC_DATE_ISO_LEN];
	enum qpc_rc rc = qpc_store_threshold_at(st, from, &was, e);
	if (rc)
		return rc;
	snprintf(old, sizeof old, "%d.%04d", was / QPC_BP_ONE, was % QPC_BP_ONE);
	snprintf(value, sizeof value, "%d.%04d", bp / QPC_BP_ONE, bp % QPC_BP_ONE);
	struct st_q *q;
	if ((rc = st_q_prepare(st, &q,
	                       "INSERT INTO setting_change(key, effective_on, value, changed_at,"
	                       " changed_by) VALUES ('threshold', :from, :value, :at, :by)",
	                       e)))
		return rc;
	st_now_iso(st, at);
	st_q_set_text(q, ":from", qpc_date_format(from, day));
	st_q_set_text(q, ":value", value);
	st_q_set_text(q, ":at", at);
	st_q_set_text(q, ":by", st->user);
	rc = st_q_done(q, "saving a setting", e);
	st_q_free(q);
	if (rc || (rc = st_history(st, 0, "setting", "threshold", old, value, from, e)))
		return rc;
	st_touch_all(st); /* every status may change */
	return QPC_OK;
}

static enum qpc_rc store_setting_change_once(struct qpc_store *st, const char *key, const char *value,
                                     qpc_date from, struct qpc_error *e)
{
	int32_t bp = 0;
	if (strcmp(key, "threshold") == 0) {
		if (!st_parse_threshold(value, &bp))
			return qpc_error_set(e, QPC_ERR_USAGE,
			                     "threshold must be above 0 and at most 100%%, "
			                     "such as 75%% or 0.75 (got '%s')",
			                     value);
	} else if (strcmp(key, "currency") == 0) {
		if (strlen(value) != 3 || strspn(value, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3)
			return qpc_error_set(e, QPC_ERR_USAGE,
			                     "currency must be a 3-letter ISO 4217 code such as EUR "
			                     "(got '%s')",
			                     value);
	} else if (strcmp(key, "minor_units") == 0) {
		if (!(value[0] >= '0' && value[0] <= '4' && !value[1]))
			return qpc_error_set(e, QPC_ERR_USAGE, "minor_units must be 0 to 4 (got '%s')",
			                     value);
	} else {
		return qpc_error_set(e, QPC_ERR_USAGE,
		                     "unknown setting '%s' (known: threshold, currency, minor_units)",
		                     key);
	}
	enum qpc_rc rc = st_q_begin(st, e);
	if (rc)
		return rc;
	if (strcmp(key, "threshold") == 0) {
		if ((rc = threshold_change(st, bp, from, e)))
			goto fail;
		return st_q_commit(st, e);
	}
	bool money = false;
	if ((rc = has_money(st, &money, e)))
		goto fail;
	if (money) {
		rc = qpc_error_set(e, QPC_ERR_USAGE,
		                   "%s cannot change once amounts are stored: they would be read in "
		                   "another currency",
		                   key);
		goto fail;
	}
	char old[64];
	struct st_q *q;
	if ((rc = setting_get(st, key, old, sizeof old, e)) ||
	    (rc = st_q_prepare(st, &q,
	                       "INSERT INTO setting(key, value) VALUES (:key, :value)"
	                       " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
	                       e)))
		goto fail;
	st_q_set_text(q, ":key", key);
	st_q_set_text(q, ":value", value);
	rc = st_q_done(q, "saving a setting", e);
	st_q_free(q);
	if (rc || (rc = st_history(st, 0, "setting", key, old, value, st_today(st), e)))
		goto fail;
	return st_q_commit(st, e);
fail:
	st_q_rollback(st);
	return rc;
}

enum qpc_rc qpc_store_setting_change(struct qpc_store *st, const char *key, const char *value,
                                     qpc_date from, struct qpc_error *e)
{
	enum qpc_rc rc;
	ST_RETRIED(st, rc, store_setting_change_once(st, key, value, from, e));
	/* read again once committed: a retry must not repeat a change made */
	return rc ? rc : st_load_settings(st, e);
}

enum qpc_rc qpc_store_setting_set(struct qpc_store *st, const char *key, const char *value,
                                  struct qpc_error *e)
{
	return qpc_store_setting_change(st, key, value, st_today(st), e);
}

enum qpc_rc qpc_store_setting_each(struct qpc_store *st, qpc_setting_fn fn, void *ctx,
                                   struct qpc_error *e)
{
	struct st_q *q;
	enum qpc_rc rc = st_q_prepare(st, &q,
	                              "SELECT key, '' AS since, value, '' AS at, '' FROM setting"
	                              " WHERE key IN ('threshold', 'currency', 'minor_units')"
	                              " UNION ALL SELECT key, effective_on, value, changed_at,"
	                              " changed_by FROM setting_change ORDER BY 1, 2, 4",
	                              e);
	if (rc)
		return rc;
	int r;
	while ((r = st_q_step(q)) == ST_ROW) {
		struct qpc_setting_row row = { 0 };
		const char *from = st_q_text_at(q, 1);
		row.key = st_q_text_at(q, 0);
		row.has_from = from && qpc_date_parse_iso(from, &row.from);
		row.value = st_q_text_at(q, 2);
		row.changed_at = st_q_text_at(q, 3);
		row.changed_by = st_q_text_at(q, 4);
		if (fn(&row, ctx)) {
			st_q_free(q);
			return qpc_error_set(e, QPC_ERR_IO, "stopped while writing settings");
		}
	}
	if (r != ST_DONE)
		rc = st_q_fail(q, "reading settings", e);
	st_q_free(q);
	return rc;
}

/* --- history ------------------------------------------------------------- */

enum qpc_rc st_history(struct qpc_store *st, int64_t account_id, const char *entity,
                       const char *field, const char *old_value, const char *new_value,
                       qpc_date effective, struct qpc_error *e)
{
	static const char sql[] = "INSERT INTO history(at, effective, \"user\", account_id, entity,"
	                          " field, old, new) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
	char at[32], day[QPC_DATE_ISO_LEN];
	st_now_iso(st, at);
	if (st->pg) { /* a line in a change: not worth a cache there yet */
		struct st_q *q;
		enum qpc_rc rc = st_q_prepare(st, &q, sql, e);
		if (rc)
			return rc;
		st_q_text(q, 1, at);
		st_q_text(q, 2, qpc_date_format(effective, day));
		st_q_text(q, 3, st->user);
		if (account_id > 0)
			st_q_int(q, 4, account_id);
		st_q_text(q, 5, entity);
		st_q_text(q, 6, field);
		st_q_text(q, 7, old_value);
		st_q_text(q, 8, new_value);
		rc = st_q_done(q, "recording history", e);
		st_q_free(q);
		return rc;
	}
	sqlite3_stmt *s;
	enum qpc_rc rc = st_cached(st, &s, sql, e);
	if (rc)
		return rc;
	sqlite3_bind_text(s, 1, at, -1, SQLITE_TRANSIENT);
	st_bind_date(s, 2, effective);
	sqlite3_bind_text(s, 3, st->user, -1, SQLITE_TRANSIENT);
	st_bind_opt_int(s, 4, account_id > 0, account_id);
	sqlite3_bind_text(s, 5, entity, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 6, field, -1, SQLITE_TRANSIENT);
	if (old_value)
		sqlite3_bind_text(s, 7, old_value, -1, SQLITE_TRANSIENT);
	if (new_value)
		sqlite3_bind_text(s, 8, new_value, -1, SQLITE_TRANSIENT);
	return st_run(st, s, "recording history", e);
}
