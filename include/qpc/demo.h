/* demo.h — the demo data set: a believable business, deterministically.
 *
 * The same as_of always gives the same data: about 2,000 accounts, seven
 * product categories, three years of monthly sales with gross profit, QPC
 * lines (some verified, some stale, some rep estimates far below the
 * truth), 3–5% partners with two by contract, a few candidates with partly
 * ticked checklists and partner goals for this year and the next two.
 * Status history is made by walking the figures forward month by month.
 */
#ifndef QPC_DEMO_H
#define QPC_DEMO_H

#include "qpc/date.h"
#include "qpc/error.h"
#include "qpc/store.h"

#define QPC_DEMO_ACCOUNTS 2000

/* Fills an empty database; the store's actor is used for the changes. */
enum qpc_rc qpc_demo_generate(struct qpc_store *st, qpc_date as_of, int accounts,
                              struct qpc_error *e);

#endif
