/* outpath.h — outputs that must not destroy inputs.
 *
 * Every file qpc writes on a user's say-so (export -o, import --rejects,
 * backup) is checked here first, before anything is opened for writing,
 * so that a slip of the finger (`export accounts -o qpc.db`, `--rejects
 * accounts.csv`) is refused instead of replacing what the command reads.
 */
#ifndef QPC_OUTPATH_H
#define QPC_OUTPATH_H

#include <stdbool.h>
#include <stdio.h>

#include "qpc/error.h"

/* Refuses, as a usage error with one sentence naming OUT and why, to write
 * OUT when it is the database DB, the database's -wal, -shm or -journal
 * file, or one of INPUTS (NULL-terminated, or NULL for none; "-" stands for
 * standard input).  Files that exist are compared by device and inode, so
 * hard and symbolic links are seen through; names are compared as well,
 * through the real path of their folder, for files that do not exist yet
 * (a journal SQLite may create later).  OUT NULL or "-" is standard output;
 * "" is refused as no file name.  DB NULL: no database to protect. */
enum qpc_rc outpath_check(const char *out, const char *db, const char *const *inputs,
                          struct qpc_error *e);

/* Output to a file (export -o, the dashboard's export of a list) is written
 * to a temporary file beside it and renamed into place on success, so a
 * failed export leaves the old file whole.  path "-" or NULL means
 * standard output.  An output that is the database db (or its -wal, -shm,
 * -journal) or one of inputs (NULL-terminated, or NULL) is refused first:
 * see outpath_check(). */
struct outfile {
	FILE *fp;
	char *path, *tmp;
	bool direct;   /* not a regular file: written in place */
	bool terminal; /* a terminal: data is shown with textcell_escape() */
};
enum qpc_rc outfile_open(struct outfile *o, const char *path, const char *db,
                         const char *const *inputs, struct qpc_error *e);
/* Flushes and renames; on failure removes the temporary file. */
enum qpc_rc outfile_close(struct outfile *o, bool ok, struct qpc_error *e);

/* Why a write failed with errno err, as the end of a sentence: a file size
 * limit (EFBIG) and a full disk in words a user acts on, else strerror. */
const char *outpath_why(int err);

#endif
