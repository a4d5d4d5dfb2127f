/* backup.c — online copies of the database. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"

#define PAGES_PER_STEP 256

enum qpc_rc qpc_store_backup(struct qpc_store *st, const char *dest, struct qpc_error *e)
{
	/* a database is a file: renaming one over /dev/null or a folder
	 * would replace the device or fail late */
	struct stat sb;
	if (stat(dest, &sb) == 0 && !S_ISREG(sb.st_mode))
		return qpc_error_set(e, QPC_ERR_USAGE, "cannot back up to %s: it is not a file", dest);
	size_t n = strlen(dest) + 16;
	char *tmp = malloc(n);
	if (!tmp)
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	snprintf(tmp, n, "%s.tmp-XXXXXX", dest);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		enum qpc_rc rc = qpc_error_set(e, QPC_ERR_IO, "cannot write %s: %s", dest, strerror(errno));
		free(tmp);
		return rc;
	}
	fchmod(fd, 0600);
	close(fd);
	sqlite3 *out = NULL;
	enum qpc_rc rc = QPC_OK;
	if (sqlite3_open_v2(tmp, &out, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		rc = qpc_error_set(e, QPC_ERR_IO, "cannot write %s: %s", dest,
		                   out ? sqlite3_errmsg(out) : "out of memory");
		goto out;
	}
	sqlite3_backup *b = sqlite3_backup_init(out, "main", st->db, "main");
	if (!b) {
		rc = qpc_error_set(e, QPC_ERR_IO, "cannot copy %s: %s", st->path, sqlite3_errmsg(out));
		goto out;
	}
	int r;
	do {
		r = sqlite3_backup_step(b, PAGES_PER_STEP);
		if (r == SQLITE_BUSY || r == SQLITE_LOCKED)
			sqlite3_sleep(20); /* let the others write, then go on */
	} while (r == SQLITE_OK || r == SQLITE_BUSY || r == SQLITE_LOCKED);
	sqlite3_backup_finish(b);
	if (r != SQLITE_DONE) {
		int code = sqlite3_errcode(out);
		rc = qpc_error_set(e, QPC_ERR_IO, "copying %s to %s failed: %s", st->path, dest,
		                   code == SQLITE_FULL ? "the disk is full" : sqlite3_errmsg(out));
		goto out;
	}
	if (sqlite3_close(out) != SQLITE_OK) {
		rc = qpc_error_set(e, QPC_ERR_IO, "writing %s failed", dest);
		out = NULL;
		goto out;
	}
	out = NULL;
	if (rename(tmp, dest) != 0)
		rc = qpc_error_set(e, QPC_ERR_IO, "cannot create %s: %s", dest, strerror(errno));
out:
	if (out)
		sqlite3_close(out);
	if (rc)
		unlink(tmp);
	free(tmp);
	return rc;
}

const char *qpc_store_migration_backup(const struct qpc_store *st)
{
	return st->migration_backup;
}
