/* demo.h — the demo data set: a believable business, deterministically.
 *
 * The same as_of always gives the same data: about 2,000 accounts, seven
 * product categories and four years of dated facts up to as_of: sales
 * lines with gross profit spread over every month; QPC lines measured on
 * their own days and re-measured for about half the accounts (some
 * verified, some stale, some rep estimates far below the truth); systems
 * contracts signed and ended.  About 3–5% of customers are partners, with
 * over half the gross profit; over the last three years partners are made,
 * lost and won back, so the goals have first-time, regained and lost
 * partners to count.  A few candidates with partly ticked checklists, and
 * partner goals for this year and the next two.  The threshold stays 75%.
 */
#ifndef QPC_DEMO_H
#define QPC_DEMO_H

#include "qpc/date.h"
#include "qpc/error.h"
#include "qpc/store.h"

#define QPC_DEMO_ACCOUNTS 2000

/* Fills an empty database in one transaction; the store's actor is used
 * for the changes (a sales manager, "morgan", nominates the candidates). */
enum qpc_rc qpc_demo_generate(struct qpc_store *st, qpc_date as_of, int accounts,
                              struct qpc_error *e);

#endif
