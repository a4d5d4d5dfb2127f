/* lists.h — the store's lists for export: QPC lines, sales lines,
 * candidates, goals.  Each walks its rows in a stable order and calls fn;
 * strings live until fn returns; a non-zero return stops the walk and is
 * returned as QPC_ERR_IO.
 */
#ifndef QPC_LISTS_H
#define QPC_LISTS_H

#include "qpc/store.h"

struct qpc_potential_row {
	const char *external_id, *name, *category, *basis, *measured_by;
	qpc_money amount;
	bool verified;
	qpc_date measured_on;
};
typedef int (*qpc_potential_fn)(const struct qpc_potential_row *r, void *ctx);
enum qpc_rc qpc_store_potential_each(struct qpc_store *st, qpc_potential_fn fn, void *ctx,
                                     struct qpc_error *e);

struct qpc_sale_row {
	const char *external_id, *name, *category, *line_id;
	qpc_date date;
	qpc_money amount;
	bool has_gp;
	qpc_money gross_profit;
};
typedef int (*qpc_sale_fn)(const struct qpc_sale_row *r, void *ctx);
enum qpc_rc qpc_store_sales_each(struct qpc_store *st, qpc_sale_fn fn, void *ctx,
                                 struct qpc_error *e);

struct qpc_candidate_row {
	const char *external_id, *name, *owner, *template_name, *nominated_by;
	qpc_date nominated_on;
	int steps_done, steps_total;
	struct qpc_account_figures fig;
	bool graduated;      /* became a partner since the nomination */
	qpc_date graduated_on;
};
typedef int (*qpc_candidate_fn)(const struct qpc_candidate_row *r, void *ctx);
/* Active candidates (not dropped) as of as_of, after refreshing to it. */
enum qpc_rc qpc_store_candidates_each(struct qpc_store *st, qpc_date as_of, qpc_candidate_fn fn,
                                      void *ctx, struct qpc_error *e);

typedef int (*qpc_goal_fn)(const struct qpc_goal *g, void *ctx);
/* Every goal with its progress as of as_of (qpc_store_goal_progress). */
enum qpc_rc qpc_store_goals_each(struct qpc_store *st, qpc_date as_of, qpc_goal_fn fn, void *ctx,
                                 struct qpc_error *e);

/* When the account last became a partner, on or before as_of. */
enum qpc_rc qpc_store_partner_since(struct qpc_store *st, int64_t account_id, qpc_date as_of,
                                    bool *known, qpc_date *since, struct qpc_error *e);

#endif
