/* error.h — how fallible functions report what went wrong.
 *
 * Every fallible function in qpc returns an enum qpc_rc and, when given a
 * struct qpc_error, fills it with one human sentence that already names the
 * place (file, line, column) where there is one.  Only main() exits.
 */
#ifndef QPC_ERROR_H
#define QPC_ERROR_H

enum qpc_rc {
	QPC_OK = 0,
	QPC_ERR_USAGE,    /* the caller asked for something meaningless */
	QPC_ERR_DATA,     /* bad input data: a value, a row, a file */
	QPC_ERR_IO,       /* the operating system said no */
	QPC_ERR_DB,       /* SQLite said no */
	QPC_ERR_NOTFOUND, /* no such account, category, template ... */
	QPC_ERR_CONFLICT, /* someone else changed the row first */
	QPC_ERR_BUSY,     /* the database stayed locked past the timeout */
	QPC_ERR_READONLY, /* the database cannot be written */
	QPC_ERR_NOMEM,
	QPC_ERR_CANCELLED, /* the user stopped it: nothing was changed */
	QPC_ERR_DENIED,    /* the team server refused: the login's role lacks it */
};

struct qpc_error {
	enum qpc_rc code;
	char msg[1024];
};

/* Sets e (when not NULL) and returns code, so callers can write
 * `return qpc_error_set(e, QPC_ERR_DATA, "...", ...);`. */
enum qpc_rc qpc_error_set(struct qpc_error *e, enum qpc_rc code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#if defined(__clang_analyzer__) && !defined(QPC_ERROR_IMPL)
/* For the static analyzer (make tidy), which reads one file at a time and
 * so cannot see that qpc_error_set returns its code: without this it
 * follows "failed, yet returned QPC_OK" paths that cannot happen. */
#define qpc_error_set(e, code, ...) (qpc_error_set((e), (code), __VA_ARGS__), (code))
#endif
void qpc_error_clear(struct qpc_error *e);

/* Process exit status for a code: 0 ok, 2 usage, 1 anything else. */
int qpc_rc_exit_status(enum qpc_rc rc);

#endif
