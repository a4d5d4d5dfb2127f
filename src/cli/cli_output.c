/* cli_output.c — files written whole or not at all. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qpc/cli.h"

enum qpc_rc cli_output_open(struct cli_output *o, const char *path, struct qpc_error *e)
{
	memset(o, 0, sizeof *o);
	if (!path || strcmp(path, "-") == 0) {
		o->fp = stdout;
		return QPC_OK;
	}
	size_t n = strlen(path) + 16;
	o->path = strdup(path);
	o->tmp = malloc(n);
	if (!o->path || !o->tmp) {
		free(o->path);
		free(o->tmp);
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	}
	snprintf(o->tmp, n, "%s.tmp-XXXXXX", path);
	int fd = mkstemp(o->tmp);
	if (fd < 0) {
		enum qpc_rc rc = qpc_error_set(e, QPC_ERR_IO, "cannot write %s: %s", path, strerror(errno));
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

enum qpc_rc cli_output_close(struct cli_output *o, bool ok, struct qpc_error *e)
{
	enum qpc_rc rc = QPC_OK;
	if (!o->path) { /* standard output */
		if (fflush(o->fp) != 0 || ferror(o->fp))
			rc = qpc_error_set(e, QPC_ERR_IO, "writing to standard output failed: %s",
			                   strerror(errno));
		return ok ? rc : QPC_OK;
	}
	int err = 0;
	if (fflush(o->fp) != 0 || ferror(o->fp) || fsync(fileno(o->fp)) != 0)
		err = errno ? errno : EIO;
	if (fclose(o->fp) != 0 && !err)
		err = errno;
	if (ok && err)
		rc = qpc_error_set(e, QPC_ERR_IO, "writing %s failed: %s; the file was left as it was",
		                   o->path, strerror(err));
	if (ok && !err && rename(o->tmp, o->path) != 0)
		rc = qpc_error_set(e, QPC_ERR_IO, "cannot replace %s: %s", o->path, strerror(errno));
	if (!ok || rc)
		unlink(o->tmp);
	free(o->path);
	free(o->tmp);
	return rc;
}
