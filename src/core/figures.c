/* figures.c — share, status and KPIs. */
#include "qpc/figures.h"

#include <string.h>

static const char *const status_names[QPC_STATUS_COUNT] = {
	[QPC_PROSPECT] = "prospect",
	[QPC_CUSTOMER] = "customer",
	[QPC_CANDIDATE] = "candidate",
	[QPC_PARTNER] = "partner",
};

const char *qpc_status_name(enum qpc_status s)
{
	return (unsigned)s < QPC_STATUS_COUNT ? status_names[s] : "?";
}

bool qpc_status_parse(const char *name, enum qpc_status *out)
{
	for (int i = 0; i < QPC_STATUS_COUNT; i++)
		if (name && strcmp(name, status_names[i]) == 0) {
			*out = (enum qpc_status)i;
			return true;
		}
	return false;
}

qpc_date qpc_window_start(qpc_date as_of)
{
	return qpc_date_add_months(as_of, -12);
}

bool qpc_in_window(qpc_date d, qpc_date as_of)
{
	return d > qpc_window_start(as_of) && d <= as_of;
}

struct qpc_share qpc_share_of(qpc_money sales, bool qpc_measured, qpc_money qpc)
{
	struct qpc_share s = { QPC_SHARE_UNDEFINED, 0, 0.0 };
	if (!qpc_measured || qpc <= 0)
		return s;
	if (sales < 0)
		sales = 0; /* net credits over a year: nothing bought */
	if (sales > qpc) {
		s.kind = QPC_SHARE_OVER;
		s.bp = QPC_BP_ONE;
		s.value = 1.0;
		return s;
	}
	/* sales <= qpc, so sales * 10000 / qpc <= 10000: compute exactly in
	 * 128 bits, since sales * 10000 can pass 2^63. */
	__extension__ typedef unsigned __int128 u128;
	s.kind = QPC_SHARE_OK;
	s.bp = (int32_t)((u128)sales * QPC_BP_ONE / (u128)qpc);
	s.value = (double)sales / (double)qpc;
	return s;
}

enum qpc_status qpc_status_of(qpc_money sales_12m, struct qpc_share share, bool contract_partner,
                              bool candidate, int32_t threshold_bp)
{
	if (contract_partner)
		return QPC_PARTNER;
	if (sales_12m > 0 && share.kind != QPC_SHARE_UNDEFINED && share.bp >= threshold_bp)
		return QPC_PARTNER;
	if (candidate)
		return QPC_CANDIDATE;
	return sales_12m > 0 ? QPC_CUSTOMER : QPC_PROSPECT;
}

void qpc_figures_compute(const struct qpc_account_sums *in, int32_t threshold_bp,
                         struct qpc_account_figures *out)
{
	memset(out, 0, sizeof *out);
	out->qpc_measured = in->qpc_measured;
	out->qpc = in->qpc_measured ? in->qpc : 0;
	if (in->has_sales_lines) {
		out->sales_12m = in->lines_sales_12m;
		out->gp_known = in->lines_gp_known;
		out->gp_12m = in->lines_gp_known ? in->lines_gp_12m : 0;
	} else if (in->has_account_figure) {
		out->sales_12m = in->account_sales_12m;
		out->gp_known = in->account_gp_known;
		out->gp_12m = in->account_gp_known ? in->account_gp_12m : 0;
	} else {
		out->gp_known = true; /* nothing sold, nothing earned */
	}
	out->share = qpc_share_of(out->sales_12m, out->qpc_measured, out->qpc);
	if (out->qpc_measured) {
		qpc_money sales = out->sales_12m > 0 ? out->sales_12m : 0;
		out->untapped_known = true;
		out->untapped = out->qpc > sales ? out->qpc - sales : 0;
	}
	out->status = qpc_status_of(out->sales_12m, out->share, in->contract_partner, in->candidate,
	                            threshold_bp);
}

struct qpc_share qpc_share_ahead(const struct qpc_projection_in *in, int k)
{
	struct qpc_share s = { QPC_SHARE_UNDEFINED, 0, 0.0 };
	if (in->qpc <= 0 || k < 1 || k > QPC_AHEAD_MONTHS)
		return s;
	/* (sales - leaving + k * recent / 3) / qpc, over 3 * qpc in 128 bits:
	 * no rounding before the share's own floor */
	__extension__ typedef __int128 i128;
	i128 num = 3 * ((i128)in->sales_12m - in->leaving[k - 1]) + (i128)k * in->recent;
	i128 den = 3 * (i128)in->qpc;
	if (num < 0)
		num = 0; /* more returned than bought: nothing */
	if (num > den) {
		s.kind = QPC_SHARE_OVER;
		s.bp = QPC_BP_ONE;
		s.value = 1.0;
		return s;
	}
	s.kind = QPC_SHARE_OK;
	s.bp = (int32_t)(num * QPC_BP_ONE / den);
	s.value = (double)num / (double)den;
	return s;
}

int qpc_month_under(const struct qpc_projection_in *in, int32_t threshold_bp)
{
	if (qpc_share_ahead(in, QPC_AHEAD_MONTHS).bp >= threshold_bp)
		return 0;
	for (int k = 1; k <= QPC_AHEAD_MONTHS; k++)
		if (qpc_share_ahead(in, k).bp < threshold_bp)
			return k;
	return QPC_AHEAD_MONTHS;
}

bool qpc_is_stale(qpc_date measured_on, qpc_date as_of)
{
	return as_of - measured_on > QPC_STALE_DAYS;
}

void qpc_kpi_init(struct qpc_kpi *k)
{
	memset(k, 0, sizeof *k);
}

static void sat_add(struct qpc_kpi *k, qpc_money *acc, qpc_money v)
{
	if (!qpc_money_add(*acc, v, acc)) {
		*acc = v > 0 ? QPC_MONEY_MAX : -QPC_MONEY_MAX;
		k->overflow = true;
	}
}

void qpc_kpi_add(struct qpc_kpi *k, const struct qpc_account_figures *f, bool cost_known,
                 qpc_money cost_to_serve)
{
	bool partner = f->status == QPC_PARTNER, customer = f->sales_12m > 0 || partner;
	k->accounts++;
	if (customer)
		k->customers++;
	else
		k->prospects++;
	if (partner)
		k->partners++;
	if (f->status == QPC_CANDIDATE)
		k->candidates++;
	sat_add(k, &k->sales_12m, f->sales_12m);
	if (f->gp_known) {
		k->gp_known += customer;
		k->partners_gp_known += partner;
		sat_add(k, &k->gp_12m, f->gp_12m);
		if (partner)
			sat_add(k, &k->partner_gp_12m, f->gp_12m);
	}
	if (f->qpc_measured) {
		k->measured++;
		sat_add(k, &k->qpc_total, f->qpc);
		sat_add(k, &k->qpc_sales_12m, f->sales_12m > 0 ? f->sales_12m : 0);
		sat_add(k, &k->untapped, f->untapped);
	}
	if (cost_known && f->gp_known) {
		qpc_money net;
		if (!qpc_money_sub(f->gp_12m, cost_to_serve, &net)) {
			net = f->gp_12m > 0 ? QPC_MONEY_MAX : -QPC_MONEY_MAX;
			k->overflow = true;
		}
		k->net_known++;
		sat_add(k, &k->net_12m, net);
		if (partner)
			sat_add(k, &k->partner_net_12m, net);
	}
}

void qpc_kpi_ratios(const struct qpc_kpi *k, struct qpc_kpi_ratios *out)
{
	memset(out, 0, sizeof *out);
	out->gp_known = k->gp_known > 0 || k->customers == 0;
	out->partner_gp_known = k->partners_gp_known > 0 || k->partners == 0;
	if (k->customers > 0) {
		out->partner_share_of_customers_known = true;
		out->partner_share_of_customers = (double)k->partners / (double)k->customers;
	}
	/* over the customers whose profit is known; not when no partner's is */
	if (k->gp_12m > 0 && (k->partners_gp_known > 0 || k->partners == 0)) {
		out->partner_share_of_gp_known = true;
		out->partner_share_of_gp = (double)k->partner_gp_12m / (double)k->gp_12m;
	}
	if (k->net_known > 0 && k->net_12m > 0) {
		out->partner_share_of_net_known = true;
		out->partner_share_of_net = (double)k->partner_net_12m / (double)k->net_12m;
	}
	out->overall = qpc_share_of(k->qpc_sales_12m, k->measured > 0, k->qpc_total);
}

bool qpc_is_underestimate(qpc_money measured, qpc_money estimate)
{
	/* measured < estimate / 2, without overflow or rounding down */
	return estimate > 0 && measured < estimate / 2 + estimate % 2;
}
