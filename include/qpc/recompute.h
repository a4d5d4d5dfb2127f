/* recompute.h — every account's figures and status changes, computed
 * again from the facts.
 *
 * Writes keep today's figures and the status changes (status_span) in
 * step with the facts they change; this is for the files whose facts were
 * written around the store (a benchmark's generator loading them with
 * SQL), or to set a doubt about them to rest.
 */
#ifndef QPC_RECOMPUTE_H
#define QPC_RECOMPUTE_H

#include "qpc/error.h"
#include "qpc/store.h"

/* In one transaction: every account's figures as of today (by the store's
 * clock), the indexes a bulk load left to build, and every account's
 * status changes.  Inside a caller's transaction it is done at the
 * caller's commit. */
enum qpc_rc qpc_store_recompute(struct qpc_store *st, struct qpc_error *e);

#endif
