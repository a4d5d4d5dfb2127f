/* error.c — filling struct qpc_error. */
#define QPC_ERROR_IMPL /* the function itself, not error.h's model of it */
#include "qpc/error.h"

#include <stdarg.h>
#include <stdio.h>

enum qpc_rc qpc_error_set(struct qpc_error *e, enum qpc_rc code, const char *fmt, ...)
{
	if (e) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(e->msg, sizeof e->msg, fmt, ap);
		va_end(ap);
		e->code = code;
	}
	return code;
}

void qpc_error_clear(struct qpc_error *e)
{
	if (e) {
		e->code = QPC_OK;
		e->msg[0] = '\0';
	}
}

int qpc_rc_exit_status(enum qpc_rc rc)
{
	switch (rc) {
	case QPC_OK:
		return 0;
	case QPC_ERR_USAGE:
		return 2;
	default:
		return 1;
	}
}
