/* backup.c — online copies of the database. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "qpc/outpath.h"

#define PAGES_PER_STEP 256

/* Removes the temporary copy and any file SQLite made beside it. */
static void discard(const char *tmp)
{
	static const char *const sidecars[] = { "-journal", "-wal", "-shm" };
	unlink(tmp);
	for (size_t i = 0; i < sizeof sidecars / sizeof *sidecars; i++) {
		char name[PATH_MAX];
		if ((size_t)snprintf(name, sizeof name, "%s%s", tmp, sidecars[i]) < sizeof name)
			unlink(name);
	}
}

static enum qpc_rc exists(const char *shown, struct qpc_error *e)
{
	return qpc_error_set(e, QPC_ERR_USAGE,
	                     "cannot back up to %s: it already exists; nothing was changed "
	                     "(--force replaces it)",
	                     shown);
}

/* Puts the finished copy tmp at dest.  Without replace, never over a file
 * that appeared meanwhile: link() fails rather than replace, where the file
 * system has hard links. */
static enum qpc_rc put_in_place(const char *tmp, const char *dest, const char *shown,
                                bool replace, struct qpc_error *e)
{
	struct stat sb;
	if (replace || link(tmp, dest) != 0) {
		if (!replace && (errno == EEXIST || lstat(dest, &sb) == 0))
			return exists(shown, e);
		if (rename(tmp, dest) != 0)
			return qpc_error_set(e, QPC_ERR_IO, "cannot create %s: %s", shown,
			                     strerror(errno));
		return QPC_OK;
	}
	unlink(tmp);
	return QPC_OK;
}

static enum qpc_rc copy(struct qpc_store *st, const char *tmp, const char *shown,
                        struct qpc_error *e)
{
	sqlite3 *out = NULL;
	enum qpc_rc rc = QPC_OK;
	/* no journal: a copy that fails is thrown away whole, and one that
	 * succeeds is renamed into place, so a journal would only be a file
	 * left behind when the disk fills */
	if (sqlite3_open_v2(tmp, &out, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK ||
	    sqlite3_exec(out, "PRAGMA journal_mode = OFF", NULL, NULL, NULL) != SQLITE_OK) {
		rc = qpc_error_set(e, QPC_ERR_IO, "cannot write %s: %s", shown,
		                   out ? sqlite3_errmsg(out) : "out of memory");
		sqlite3_close(out);
		return rc;
	}
	sqlite3_backup *b = sqlite3_backup_init(out, "main", st->db, "main");
	if (!b) {
		rc = qpc_error_set(e, QPC_ERR_IO, "cannot copy %s: %s", st->path, sqlite3_errmsg(out));
		sqlite3_close(out);
		return rc;
	}
	int r;
	do {
		r = sqlite3_backup_step(b, PAGES_PER_STEP);
		if (r == SQLITE_BUSY || r == SQLITE_LOCKED)
			sqlite3_sleep(20); /* let the others write, then go on */
	} while (r == SQLITE_OK || r == SQLITE_BUSY || r == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (r != SQLITE_DONE) {
		/* a file size limit (ulimit -f) or a full disk in words; the
		 * errno SQLite saw, which its own message leaves out */
		int sys = sqlite3_system_errno(out);
		rc = qpc_error_set(e, QPC_ERR_IO, "copying %s to %s failed: %s", st->path, shown,
		                   sys ? outpath_why(sys)
		                   : sqlite3_errcode(out) == SQLITE_FULL ? outpath_why(ENOSPC)
		                                                         : sqlite3_errmsg(out));
	}
	if (sqlite3_close(out) != SQLITE_OK && !rc)
		rc = qpc_error_set(e, QPC_ERR_IO, "writing %s failed", shown);
	return rc;
}

enum qpc_rc qpc_store_backup(struct qpc_store *st, const char *dest, bool replace,
                             struct qpc_error *e)
{
	/* never the database or its -wal, -shm or -journal: renaming over
	 * them would replace the file under every open connection */
	enum qpc_rc rc = outpath_check(dest, st->path, NULL, e);
	if (rc)
		return rc;
	/* a database is a file: renaming one over /dev/null or a folder
	 * would replace the device or fail late */
	struct stat sb;
	if (stat(dest, &sb) == 0 && !S_ISREG(sb.st_mode))
		return qpc_error_set(e, QPC_ERR_USAGE, "cannot back up to %s: it is not a file", dest);
	if (!replace && lstat(dest, &sb) == 0)
		return exists(dest, e);
	/* through a symbolic link, the file it names is replaced: the link
	 * stays a link, as for an export */
	char *real = realpath(dest, NULL);
	const char *to = real ? real : dest;
	size_t n = strlen(to) + 16;
	char *tmp = malloc(n);
	if (!tmp) {
		free(real);
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	}
	snprintf(tmp, n, "%s.tmp-XXXXXX", to);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		rc = qpc_error_set(e, QPC_ERR_IO, "cannot write %s: %s", dest, strerror(errno));
	} else {
		fchmod(fd, 0600);
		close(fd);
		if (!(rc = copy(st, tmp, dest, e)))
			rc = put_in_place(tmp, to, dest, replace, e);
		if (rc)
			discard(tmp);
	}
	free(tmp);
	free(real);
	return rc;
}

const char *qpc_store_path(const struct qpc_store *st)
{
	return st->path;
}

const char *qpc_store_migration_backup(const struct qpc_store *st)
{
	return st->migration_backup;
}
