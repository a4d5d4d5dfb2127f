/* export.c — an account's record in qpc's own accounts format. */
#include "qpc/export.h"
#include "qpc/profiles.h"

static void field(struct csvw *w, export_text_fn text, void *ctx, const char *s)
{
	if (text)
		text(ctx, w, s);
	else
		csvw_field(w, s);
}

/* An account's columns, once: each one's header and how its field is
 * written from the row r (f its figures).  Above 1 the QPC was
 * underestimated: the share is capped at 1, and qpc < sales_12m in the
 * same row says so. */
#define ACCOUNT_COLUMNS(X)                                                                    \
	X(external_id, field(w, text, ctx, r->external_id))                                 \
	X(name, field(w, text, ctx, r->name))                                               \
	X(owner, field(w, text, ctx, r->owner))                                             \
	X(segment, field(w, text, ctx, r->segment))                                         \
	X(city, field(w, text, ctx, r->city))                                               \
	X(country, field(w, text, ctx, r->country))                                         \
	X(qpc, csvw_opt_money(w, f->qpc_measured, f->qpc))                                  \
	X(sales_12m, csvw_money(w, f->sales_12m))                                           \
	X(gross_profit_12m, csvw_opt_money(w, f->gp_known, f->gp_12m))                      \
	X(share, csvw_fraction_bp(w, f->share.kind != QPC_SHARE_UNDEFINED, f->share.bp))    \
	X(status, field(w, text, ctx, qpc_status_name(f->status)))                          \
	X(contract_partner, csvw_bool(w, r->contract_partner))                              \
	X(contract_value, csvw_opt_money(w, r->has_contract_value, r->contract_value))      \
	X(rep_share_estimate, csvw_fraction_bp(w, r->has_rep_share, r->rep_share_bp))       \
	X(qpc_measured_on, csvw_date(w, r->has_measured_on, r->qpc_measured_on))            \
	X(qpc_verified, csvw_bool(w, r->qpc_verified))                                      \
	X(cost_to_serve, csvw_opt_money(w, r->has_cost_to_serve, r->cost_to_serve))

const char *const *export_account_names(void)
{
	static const char *const names[] = {
#define NAME(column, write) #column,
		ACCOUNT_COLUMNS(NAME)
#undef NAME
		NULL,
	};
	return names;
}

void export_account_header(struct csvw *w)
{
	for (const char *const *h = export_account_names(); *h; h++)
		csvw_field(w, *h);
	csvw_end(w);
}

void export_account(struct csvw *w, const struct qpc_account_row *r, export_text_fn text,
                    void *ctx)
{
	const struct qpc_account_figures *f = &r->fig;
#define WRITE(column, write) write;
	ACCOUNT_COLUMNS(WRITE)
#undef WRITE
}
