/* outfile.c — files written whole or not at all.
 *
 * A regular file is written beside itself and renamed over the old one
 * when complete.  Through a symbolic link, that is done to the file the
 * link names, so the link stays a link.  Anything else (/dev/null, a pipe,
 * a terminal) is written to directly: renaming over it would replace the
 * device with a file.  Nothing is opened before outpath_check() has made
 * sure the output is neither the database nor one of the command's inputs. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qpc/outpath.h"

enum qpc_rc outfile_open(struct outfile *o, const char *path, const char *db,
                         const char *const *inputs, struct qpc_error *e)
{
	memset(o, 0, sizeof *o);
	enum qpc_rc rc = outpath_check(path, db, inputs, e);
	if (rc)
		return rc;
	if (!path || strcmp(path, "-") == 0) {
		o->fp = stdout;
		o->terminal = isatty(STDOUT_FILENO);
		return QPC_OK;
	}
	struct stat sb;
	if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
		if (S_ISDIR(sb.st_mode))
			return qpc_error_set(e, QPC_ERR_IO, "cannot write %s: it is a folder", path);
		o->fp = fopen(path, "w");
		if (!o->fp)
			return qpc_error_set(e, QPC_ERR_IO, "cannot write %s: %s", path, strerror(errno));
		o->direct = true;
		o->terminal = isatty(fileno(o->fp));
		if (!(o->path = strdup(path))) {
			fclose(o->fp);
			return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
		}
		return QPC_OK;
	}
	char *real = realpath(path, NULL); /* NULL: a new file, or a dangling link */
	if (real)
		path = real;
	size_t n = strlen(path) + 16;
	o->path = strdup(path);
	o->tmp = malloc(n);
	free(real); /* path is not read again: o->path holds it */
	if (!o->path || !o->tmp) {
		free(o->path);
		free(o->tmp);
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	}
	snprintf(o->tmp, n, "%s.tmp-XXXXXX", o->path);
	int fd = mkstemp(o->tmp);
	if (fd < 0) {
		rc = qpc_error_set(e, QPC_ERR_IO, "cannot write %s: %s", o->path, strerror(errno));
		free(o->path);
		free(o->tmp);
		o->path = o->tmp = NULL;
		return rc;
	}
	mode_t mask = umask(0);
	umask(mask);
	fchmod(fd, 0666 & ~mask);
	o->fp = fdopen(fd, "w");
	if (!o->fp) {
		close(fd);
		unlink(o->tmp);
		free(o->path);
		free(o->tmp);
		o->path = o->tmp = NULL;
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	}
	return QPC_OK;
}

enum qpc_rc outfile_close(struct outfile *o, bool ok, struct qpc_error *e)
{
	enum qpc_rc rc = QPC_OK;
	if (!o->path || o->direct) { /* standard output, or a device or pipe by name */
		const char *name = o->path ? o->path : "standard output";
		if (fflush(o->fp) != 0 || ferror(o->fp))
			rc = qpc_error_set(e, QPC_ERR_IO, "writing to %s failed: %s", name,
			                   outpath_why(errno));
		if (o->direct && fclose(o->fp) != 0 && !rc)
			rc = qpc_error_set(e, QPC_ERR_IO, "writing to %s failed: %s", name,
			                   outpath_why(errno));
		free(o->path);
		return ok ? rc : QPC_OK;
	}
	int err = 0;
	if (fflush(o->fp) != 0 || ferror(o->fp) || fsync(fileno(o->fp)) != 0)
		err = errno ? errno : EIO;
	if (fclose(o->fp) != 0 && !err)
		err = errno;
	if (ok && err)
		rc = qpc_error_set(e, QPC_ERR_IO, "writing %s failed: %s; the file was left as it was",
		                   o->path, outpath_why(err));
	if (ok && !err && rename(o->tmp, o->path) != 0)
		rc = qpc_error_set(e, QPC_ERR_IO, "cannot replace %s: %s", o->path, strerror(errno));
	if (!ok || rc)
		unlink(o->tmp);
	free(o->path);
	free(o->tmp);
	return rc;
}
