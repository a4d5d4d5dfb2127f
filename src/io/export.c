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

void export_account_header(struct csvw *w)
{
	for (const char *const *h = profile_qpc_header(IMPORT_ACCOUNTS); *h; h++)
		csvw_field(w, *h);
	csvw_end(w);
}

void export_account(struct csvw *w, const struct qpc_account_row *r, export_text_fn text,
                    void *ctx)
{
	const struct qpc_account_figures *f = &r->fig;
	field(w, text, ctx, r->external_id);
	field(w, text, ctx, r->name);
	field(w, text, ctx, r->owner);
	field(w, text, ctx, r->segment);
	field(w, text, ctx, r->city);
	field(w, text, ctx, r->country);
	csvw_opt_money(w, f->qpc_measured, f->qpc);
	csvw_money(w, f->sales_12m);
	csvw_opt_money(w, f->gp_known, f->gp_12m);
	/* Above 1 the QPC was underestimated: the share is capped at 1, and
	 * qpc < sales_12m in the same row says so. */
	csvw_fraction_bp(w, f->share.kind != QPC_SHARE_UNDEFINED, f->share.bp);
	field(w, text, ctx, qpc_status_name(f->status));
	csvw_bool(w, r->contract_partner);
	csvw_opt_money(w, r->has_contract_value, r->contract_value);
	csvw_fraction_bp(w, r->has_rep_share, r->rep_share_bp);
	csvw_date(w, r->has_measured_on, r->qpc_measured_on);
	csvw_bool(w, r->qpc_verified);
	csvw_opt_money(w, r->has_cost_to_serve, r->cost_to_serve);
}
