/* recompute.c — every account's figures and status changes from the
 * facts (recompute.h). */
#include "internal.h"
#include "qpc/recompute.h"

enum qpc_rc qpc_store_recompute(struct qpc_store *st, struct qpc_error *e)
{
	enum qpc_rc rc = qpc_store_begin(st, e);
	if (rc)
		return rc;
	/* The outermost commit computes what its transaction touched: all. */
	st_touch_all(st);
	return qpc_store_commit(st, e);
}
