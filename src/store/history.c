/* history.c — reading the history of changes. */
#include "internal.h"
#include "qpc/edit.h"

static const char *text(sqlite3_stmt *s, int col)
{
	const char *t = (const char *)sqlite3_column_text(s, col);
	return t ? t : "";
}

enum qpc_rc qpc_history_each(struct qpc_store *st, int64_t account_id, int64_t limit,
                             qpc_change_fn fn, void *ctx, struct qpc_error *e)
{
	sqlite3_stmt *s;
	enum qpc_rc rc = st_prepare(st, &s,
	                            "SELECT * FROM (SELECT h.id, h.at, h.effective, h.user, h.entity,"
	                            " h.field, h.old, h.new, a.name, a.external_id FROM history h"
	                            " LEFT JOIN account a ON a.id = h.account_id"
	                            " WHERE ?1 = 0 OR h.account_id = ?1 ORDER BY h.id DESC LIMIT ?2)"
	                            " ORDER BY id",
	                            e);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, account_id);
	sqlite3_bind_int64(s, 2, limit > 0 ? limit : -1);
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		struct qpc_change c = {
			.id = sqlite3_column_int64(s, 0), .at = text(s, 1), .effective = text(s, 2),
			.user = text(s, 3), .entity = text(s, 4), .field = text(s, 5),
			.old_value = (const char *)sqlite3_column_text(s, 6),
			.new_value = (const char *)sqlite3_column_text(s, 7),
			.account_name = text(s, 8), .external_id = text(s, 9),
		};
		if (fn(&c, ctx) != 0) {
			sqlite3_finalize(s);
			return qpc_error_set(e, QPC_ERR_IO, "stopped while reading the history");
		}
	}
	sqlite3_finalize(s);
	return r == SQLITE_DONE ? QPC_OK : st_fail(st, e, "reading the history");
}
