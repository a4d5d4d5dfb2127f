/* outpath.c — outputs that must not destroy inputs (see qpc/outpath.h).
 *
 * Here, below every layer that writes a file, so that the command line,
 * the importer and the store's own backup share one check. */
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qpc/outpath.h"

#define MAX_LINKS 16

/* The real path of path, also for a file that does not exist yet (the
 * real path of its folder, then its name) and through a symbolic link
 * that names no file yet (the path it names); NULL when even that cannot
 * be found.  The caller frees the result. */
static char *canon(const char *path, int depth)
{
	char *real = realpath(path, NULL);
	if (real || depth > MAX_LINKS || !*path)
		return real;
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	char dir[PATH_MAX];
	if (!slash)
		snprintf(dir, sizeof dir, ".");
	else if (slash == path)
		snprintf(dir, sizeof dir, "/");
	else if ((size_t)(slash - path) < sizeof dir)
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
	else
		return NULL;
	struct stat sb;
	if (lstat(path, &sb) == 0 && S_ISLNK(sb.st_mode)) {
		char target[PATH_MAX], joined[2 * PATH_MAX + 2];
		ssize_t n = readlink(path, target, sizeof target - 1);
		if (n <= 0)
			return NULL;
		target[n] = '\0';
		snprintf(joined, sizeof joined, "%s%s%s", target[0] == '/' ? "" : dir,
		         target[0] == '/' ? "" : "/", target);
		return canon(joined, depth + 1);
	}
	if (!*base || strcmp(base, ".") == 0 || strcmp(base, "..") == 0)
		return NULL;
	char *rdir = realpath(dir, NULL);
	if (!rdir)
		return NULL;
	size_t len = strlen(rdir) + strlen(base) + 2;
	char *out = malloc(len);
	if (out)
		snprintf(out, len, "%s%s%s", rdir, strcmp(rdir, "/") == 0 ? "" : "/", base);
	free(rdir);
	return out;
}

/* The output, as found before anything is written to it. */
struct target {
	const char *name; /* for messages */
	bool is_file;     /* it exists and is a regular file: sb holds it */
	struct stat sb;
	char *real; /* canon() of its name; NULL for standard output */
};

static bool same_file(const struct target *t, const struct stat *sb)
{
	return t->is_file && S_ISREG(sb->st_mode) && sb->st_dev == t->sb.st_dev &&
	       sb->st_ino == t->sb.st_ino;
}

/* Whether writing t would write path: the same file, or the same name. */
static bool clash(const struct target *t, const char *path)
{
	struct stat sb;
	if (stat(path, &sb) == 0 && same_file(t, &sb))
		return true;
	if (!t->real)
		return false;
	char *real = canon(path, 0);
	bool same = real && strcmp(real, t->real) == 0;
	free(real);
	return same;
}

static enum qpc_rc refuse(const struct target *t, const char *what, const char *path,
                          struct qpc_error *e)
{
	return qpc_error_set(e, QPC_ERR_USAGE,
	                     "will not write to %s: it is %s (%s), which would be destroyed; "
	                     "nothing was changed",
	                     t->name, what, path);
}

/* The database under the name given and, should that be a link, under its
 * real name (SQLite names its -wal, -shm and -journal after that one). */
static enum qpc_rc check_db(const struct target *t, const char *db, struct qpc_error *e)
{
	static const struct {
		const char *suffix, *what;
	} files[] = {
		{ "", "the database" },
		{ "-wal", "the database's write-ahead log" },
		{ "-shm", "the database's shared-memory index" },
		{ "-journal", "the database's rollback journal" },
	};
	char *real = canon(db, 0);
	enum qpc_rc rc = QPC_OK;
	for (size_t i = 0; i < sizeof files / sizeof *files && !rc; i++) {
		for (int k = 0; k < 2 && !rc; k++) {
			const char *base = k == 0 ? db : real;
			if (!base)
				continue;
			size_t len = strlen(base) + strlen(files[i].suffix) + 1;
			char *path = malloc(len);
			if (!path) {
				rc = qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
				break;
			}
			snprintf(path, len, "%s%s", base, files[i].suffix);
			if (clash(t, path))
				rc = refuse(t, files[i].what, path, e);
			free(path);
		}
	}
	free(real);
	return rc;
}

enum qpc_rc outpath_check(const char *out, const char *db, const char *const *inputs,
                          struct qpc_error *e)
{
	if (out && !*out)
		return qpc_error_set(e, QPC_ERR_USAGE, "an output file needs a name, not ''");
	bool std = !out || strcmp(out, "-") == 0;
	struct target t = { .name = std ? "standard output" : out };
	t.is_file = (std ? fstat(STDOUT_FILENO, &t.sb) : stat(out, &t.sb)) == 0 &&
	            S_ISREG(t.sb.st_mode);
	errno = 0;
	if (!std && !(t.real = canon(out, 0)) && errno == ENOMEM)
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	enum qpc_rc rc = db ? check_db(&t, db, e) : QPC_OK;
	for (const char *const *in = inputs; in && *in && !rc; in++) {
		struct stat sb;
		if (strcmp(*in, "-") != 0)
			rc = clash(&t, *in) ? refuse(&t, "the input", *in, e) : QPC_OK;
		else if (fstat(STDIN_FILENO, &sb) == 0 && same_file(&t, &sb))
			rc = refuse(&t, "the input", "standard input", e);
	}
	free(t.real);
	return rc;
}

const char *outpath_why(int err)
{
	switch (err) {
	case EFBIG:
		return "it would grow past the file size limit (ulimit -f)";
	case ENOSPC:
	case EDQUOT:
		return "the disk is full";
	default:
		return strerror(err);
	}
}
