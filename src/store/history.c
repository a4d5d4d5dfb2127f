/* history.c — reading the history of changes. */
#include <stdint.h>

#include "internal.h"
#include "qpc/edit.h"

static const char *text(struct st_q *q, int col)
{
	const char *t = st_q_text_at(q, col);
	return t ? t : "";
}

enum qpc_rc qpc_history_each(struct qpc_store *st, int64_t account_id, int64_t limit,
                             qpc_change_fn fn, void *ctx, struct qpc_error *e)
{
	struct st_q *q;
	enum qpc_rc rc = st_q_prepare(st, &q,
	                              "SELECT * FROM (SELECT h.id, h.at, h.effective, h.\"user\","
	                              " h.entity, h.field, h.old, h.new, a.name, a.external_id"
	                              " FROM history h LEFT JOIN account a ON a.id = h.account_id"
	                              " WHERE :account = 0 OR h.account_id = :account"
	                              " ORDER BY h.id DESC LIMIT :limit) AS last ORDER BY id",
	                              e);
	if (rc)
		return rc;
	st_q_set_int(q, ":account", account_id);
	st_q_set_int(q, ":limit", limit > 0 ? limit : INT64_MAX);
	int r;
	while ((r = st_q_step(q)) == ST_ROW) {
		struct qpc_change c = {
			.id = st_q_int_at(q, 0), .at = text(q, 1), .effective = text(q, 2),
			.user = text(q, 3), .entity = text(q, 4), .field = text(q, 5),
			.old_value = st_q_text_at(q, 6), .new_value = st_q_text_at(q, 7),
			.account_name = text(q, 8), .external_id = text(q, 9),
		};
		if (fn(&c, ctx) != 0) {
			st_q_free(q);
			return qpc_error_set(e, QPC_ERR_IO, "stopped while reading the history");
		}
	}
	rc = r == ST_DONE ? QPC_OK : st_q_fail(q, "reading the history", e);
	st_q_free(q);
	return rc;
}
