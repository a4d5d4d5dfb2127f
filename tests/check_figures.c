/* check_figures.c — QPC, share, status and KPIs at their edges. */
#include <stdint.h>

#include "qpc/figures.h"
#include "tests.h"

static qpc_date D(const char *iso)
{
	qpc_date d;
	ck_assert_msg(qpc_date_parse_iso(iso, &d), "bad date %s", iso);
	return d;
}

START_TEST(share_undefined_when_unmeasured_or_zero)
{
	struct qpc_share s = qpc_share_of(500, false, 0);
	ck_assert_int_eq(s.kind, QPC_SHARE_UNDEFINED);
	s = qpc_share_of(500, true, 0);
	ck_assert_int_eq(s.kind, QPC_SHARE_UNDEFINED);
	s = qpc_share_of(0, true, 1000);
	ck_assert_int_eq(s.kind, QPC_SHARE_OK);
	ck_assert_int_eq(s.bp, 0);
}
END_TEST

START_TEST(share_exact_and_over)
{
	struct qpc_share s = qpc_share_of(750, true, 1000);
	ck_assert_int_eq(s.kind, QPC_SHARE_OK);
	ck_assert_int_eq(s.bp, 7500);
	ck_assert_double_eq_tol(s.value, 0.75, 1e-12);
	s = qpc_share_of(1000, true, 1000);
	ck_assert_int_eq(s.kind, QPC_SHARE_OK);
	ck_assert_int_eq(s.bp, 10000);
	s = qpc_share_of(1001, true, 1000);
	ck_assert_int_eq(s.kind, QPC_SHARE_OVER);
	ck_assert_int_eq(s.bp, 10000);
	ck_assert_double_eq(s.value, 1.0);
	/* floored, never rounded up across the threshold */
	s = qpc_share_of(7499999, true, 10000000);
	ck_assert_int_eq(s.bp, 7499);
	/* negative net sales (credits) count as nothing bought */
	s = qpc_share_of(-50, true, 1000);
	ck_assert_int_eq(s.kind, QPC_SHARE_OK);
	ck_assert_int_eq(s.bp, 0);
}
END_TEST

START_TEST(share_huge_values_do_not_overflow)
{
	struct qpc_share s = qpc_share_of(INT64_MAX / 2, true, INT64_MAX);
	ck_assert_int_eq(s.kind, QPC_SHARE_OK);
	ck_assert_int_eq(s.bp, 4999);
	s = qpc_share_of(INT64_MAX, true, INT64_MAX);
	ck_assert_int_eq(s.bp, 10000);
	s = qpc_share_of(INT64_MAX, true, 1);
	ck_assert_int_eq(s.kind, QPC_SHARE_OVER);
}
END_TEST

START_TEST(status_rules)
{
	struct qpc_share at = qpc_share_of(750, true, 1000);
	struct qpc_share below = qpc_share_of(749, true, 1000);
	struct qpc_share none = qpc_share_of(0, false, 0);
	ck_assert_int_eq(qpc_status_of(750, at, false, false, 7500), QPC_PARTNER);
	ck_assert_int_eq(qpc_status_of(749, below, false, false, 7500), QPC_CUSTOMER);
	ck_assert_int_eq(qpc_status_of(749, below, false, true, 7500), QPC_CANDIDATE);
	/* partner wins over candidate */
	ck_assert_int_eq(qpc_status_of(750, at, false, true, 7500), QPC_PARTNER);
	/* a contract makes a partner, whatever the share */
	ck_assert_int_eq(qpc_status_of(0, none, true, false, 7500), QPC_PARTNER);
	ck_assert_int_eq(qpc_status_of(0, none, false, false, 7500), QPC_PROSPECT);
	ck_assert_int_eq(qpc_status_of(0, none, false, true, 7500), QPC_CANDIDATE);
	ck_assert_int_eq(qpc_status_of(10, none, false, false, 7500), QPC_CUSTOMER);
	/* a threshold of 100% needs the whole QPC */
	ck_assert_int_eq(qpc_status_of(999, qpc_share_of(999, true, 1000), false, false, 10000),
	                 QPC_CUSTOMER);
	ck_assert_int_eq(qpc_status_of(1000, qpc_share_of(1000, true, 1000), false, false, 10000),
	                 QPC_PARTNER);
}
END_TEST

START_TEST(status_names_round_trip)
{
	for (int i = 0; i < QPC_STATUS_COUNT; i++) {
		enum qpc_status s;
		ck_assert(qpc_status_parse(qpc_status_name((enum qpc_status)i), &s));
		ck_assert_int_eq(s, i);
	}
	enum qpc_status s = QPC_CUSTOMER;
	ck_assert(!qpc_status_parse("Partner", &s));
	ck_assert(!qpc_status_parse(NULL, &s));
	ck_assert_int_eq(s, QPC_CUSTOMER);
	ck_assert_str_eq(qpc_status_name(QPC_STATUS_COUNT), "?");
}
END_TEST

START_TEST(window_is_half_open)
{
	qpc_date as_of = D("2026-11-27");
	ck_assert(qpc_in_window(as_of, as_of));
	ck_assert(!qpc_in_window(as_of + 1, as_of));
	ck_assert(!qpc_in_window(D("2025-11-27"), as_of));
	ck_assert(qpc_in_window(D("2025-11-28"), as_of));
	/* leap day: 12 months before 2024-02-29 is 2023-02-28 */
	as_of = D("2024-02-29");
	ck_assert_int_eq(qpc_window_start(as_of), D("2023-02-28"));
	ck_assert(!qpc_in_window(D("2023-02-28"), as_of));
	ck_assert(qpc_in_window(D("2023-03-01"), as_of));
	/* and a window ending on 2025-02-28 starts after 2024-02-28: the
	 * leap day itself is inside */
	as_of = D("2025-02-28");
	ck_assert(qpc_in_window(D("2024-02-29"), as_of));
	ck_assert(!qpc_in_window(D("2024-02-28"), as_of));
}
END_TEST

START_TEST(figures_use_lines_else_account_figure)
{
	struct qpc_account_sums in = {
		.qpc_measured = true, .qpc = 100000,
		.has_sales_lines = true, .lines_sales_12m = 0, .lines_gp_12m = 0, .lines_gp_known = true,
		.has_account_figure = true, .account_sales_12m = 90000, .account_gp_12m = 20000,
		.account_gp_known = true,
	};
	struct qpc_account_figures f;
	qpc_figures_compute(&in, 7500, &f);
	/* lines exist (outside the window): their 0 wins over the account figure */
	ck_assert_int_eq(f.sales_12m, 0);
	ck_assert_int_eq(f.status, QPC_PROSPECT);
	ck_assert_int_eq(f.untapped, 100000);
	in.has_sales_lines = false;
	qpc_figures_compute(&in, 7500, &f);
	ck_assert_int_eq(f.sales_12m, 90000);
	ck_assert_int_eq(f.gp_12m, 20000);
	ck_assert_int_eq(f.share.bp, 9000);
	ck_assert_int_eq(f.status, QPC_PARTNER);
	ck_assert(f.untapped_known);
	ck_assert_int_eq(f.untapped, 10000);
	/* a figure without a profit: unknown, not 0 */
	in.account_gp_known = false;
	qpc_figures_compute(&in, 7500, &f);
	ck_assert(!f.gp_known);
	ck_assert_int_eq(f.gp_12m, 0);
	ck_assert_int_eq(f.status, QPC_PARTNER);
}
END_TEST

START_TEST(figures_unmeasured_is_not_zero)
{
	struct qpc_account_sums in = { .has_sales_lines = true, .lines_sales_12m = 5000 };
	struct qpc_account_figures f;
	qpc_figures_compute(&in, 7500, &f);
	ck_assert(!f.qpc_measured);
	ck_assert(!f.untapped_known);
	ck_assert_int_eq(f.share.kind, QPC_SHARE_UNDEFINED);
	ck_assert_int_eq(f.status, QPC_CUSTOMER);
	/* over 100%: no negative untapped */
	in.qpc_measured = true;
	in.qpc = 4000;
	qpc_figures_compute(&in, 7500, &f);
	ck_assert_int_eq(f.share.kind, QPC_SHARE_OVER);
	ck_assert_int_eq(f.untapped, 0);
	ck_assert_int_eq(f.status, QPC_PARTNER);
}
END_TEST

START_TEST(stale_after_a_year)
{
	qpc_date as_of = D("2026-11-27");
	ck_assert(!qpc_is_stale(as_of - 365, as_of));
	ck_assert(qpc_is_stale(as_of - 366, as_of));
	ck_assert(!qpc_is_stale(as_of, as_of));
}
END_TEST

static struct qpc_account_figures fig(qpc_money qpc, qpc_money sales, qpc_money gp, bool contract)
{
	struct qpc_account_sums in = {
		.qpc_measured = qpc > 0, .qpc = qpc, .has_sales_lines = true, .lines_sales_12m = sales,
		.lines_gp_12m = gp, .lines_gp_known = true, .contract_partner = contract,
	};
	struct qpc_account_figures f;
	qpc_figures_compute(&in, 7500, &f);
	return f;
}

START_TEST(kpis)
{
	struct qpc_kpi k;
	struct qpc_kpi_ratios r;
	qpc_kpi_init(&k);
	qpc_kpi_ratios(&k, &r);
	ck_assert(!r.partner_share_of_customers_known);
	ck_assert(!r.partner_share_of_gp_known);
	ck_assert_int_eq(r.overall.kind, QPC_SHARE_UNDEFINED);

	struct qpc_account_figures a = fig(1000, 800, 300, false); /* partner */
	struct qpc_account_figures b = fig(2000, 500, 100, false); /* customer */
	struct qpc_account_figures c = fig(0, 0, 0, false);        /* prospect */
	struct qpc_account_figures d = fig(0, 100, 100, true);     /* contract partner */
	qpc_kpi_add(&k, &a, true, 100);
	qpc_kpi_add(&k, &b, true, 150);
	qpc_kpi_add(&k, &c, false, 0);
	qpc_kpi_add(&k, &d, false, 0);
	ck_assert_int_eq(k.accounts, 4);
	ck_assert_int_eq(k.customers, 3);
	ck_assert_int_eq(k.prospects, 1);
	ck_assert_int_eq(k.partners, 2);
	ck_assert_int_eq(k.measured, 2);
	ck_assert_int_eq(k.sales_12m, 1400);
	ck_assert_int_eq(k.gp_12m, 500);
	ck_assert_int_eq(k.partner_gp_12m, 400);
	ck_assert_int_eq(k.qpc_total, 3000);
	ck_assert_int_eq(k.untapped, 200 + 1500);
	ck_assert_int_eq(k.net_known, 2);
	ck_assert_int_eq(k.net_12m, 200 - 50);
	ck_assert_int_eq(k.partner_net_12m, 200);
	qpc_kpi_ratios(&k, &r);
	ck_assert_double_eq_tol(r.partner_share_of_customers, 2.0 / 3.0, 1e-12);
	ck_assert_double_eq_tol(r.partner_share_of_gp, 0.8, 1e-12);
	ck_assert_double_eq_tol(r.partner_share_of_net, 200.0 / 150.0, 1e-12);
	ck_assert_int_eq(r.overall.bp, 1300 * 10000 / 3000);
	ck_assert(!k.overflow);
	ck_assert_int_eq(k.gp_known, 3);
	ck_assert_int_eq(k.partners_gp_known, 2);
}
END_TEST

/* A customer whose profit is unknown is left out of the profit totals
 * and their ratios, and counted apart; it has no net profit either. */
START_TEST(kpis_leave_unknown_profit_out)
{
	struct qpc_kpi k;
	struct qpc_kpi_ratios r;
	qpc_kpi_init(&k);
	struct qpc_account_figures a = fig(1000, 800, 300, false); /* partner */
	struct qpc_account_figures b = fig(2000, 500, 100, false); /* customer */
	struct qpc_account_figures u = fig(1000, 900, 0, false);   /* partner, profit unknown */
	u.gp_known = false;
	qpc_kpi_add(&k, &a, true, 100);
	qpc_kpi_add(&k, &b, false, 0);
	qpc_kpi_add(&k, &u, true, 50);
	ck_assert_int_eq(k.customers, 3);
	ck_assert_int_eq(k.partners, 2);
	ck_assert_int_eq(k.sales_12m, 2200);
	ck_assert_int_eq(k.gp_known, 2);
	ck_assert_int_eq(k.partners_gp_known, 1);
	ck_assert_int_eq(k.gp_12m, 400);
	ck_assert_int_eq(k.partner_gp_12m, 300);
	ck_assert_int_eq(k.net_known, 1);
	ck_assert_int_eq(k.net_12m, 200);
	qpc_kpi_ratios(&k, &r);
	ck_assert(r.gp_known && r.partner_gp_known);
	ck_assert(r.partner_share_of_gp_known);
	ck_assert_double_eq_tol(r.partner_share_of_gp, 0.75, 1e-12);
	/* no customer's profit known: the totals say nothing */
	qpc_kpi_init(&k);
	qpc_kpi_add(&k, &u, false, 0);
	qpc_kpi_ratios(&k, &r);
	ck_assert(!r.gp_known && !r.partner_gp_known && !r.partner_share_of_gp_known);
	/* nobody to know it of: 0 is true */
	qpc_kpi_init(&k);
	qpc_kpi_ratios(&k, &r);
	ck_assert(r.gp_known && r.partner_gp_known);
}
END_TEST

START_TEST(kpi_totals_saturate)
{
	struct qpc_kpi k;
	qpc_kpi_init(&k);
	struct qpc_account_figures a = fig(INT64_MAX, INT64_MAX - 5, INT64_MAX - 5, false);
	qpc_kpi_add(&k, &a, false, 0);
	ck_assert(!k.overflow);
	qpc_kpi_add(&k, &a, false, 0);
	ck_assert(k.overflow);
	ck_assert_int_eq(k.sales_12m, INT64_MAX);
	ck_assert_int_eq(k.qpc_total, INT64_MAX);
}
END_TEST

/* A share ahead: the window less what leaves it, plus the last three
 * months' pace, over the QPC; exact, floored, never below 0. */
START_TEST(share_ahead_by_the_recent_pace)
{
	/* 900 in the window, nothing lately; 100 leaves each month */
	struct qpc_projection_in in = { .sales_12m = 90000, .recent = 0,
		                        .leaving = { 10000, 20000, 30000 }, .qpc = 100000 };
	ck_assert_int_eq(qpc_share_ahead(&in, 1).bp, 8000);
	ck_assert_int_eq(qpc_share_ahead(&in, 2).bp, 7000);
	ck_assert_int_eq(qpc_share_ahead(&in, 3).bp, 6000);
	ck_assert_int_eq(qpc_month_under(&in, 7500), 2);
	ck_assert_int_eq(qpc_month_under(&in, 5000), 0);
	/* 100 over three months is 33.33 a month: the thirds kept exactly */
	in.recent = 10000;
	ck_assert_int_eq(qpc_share_ahead(&in, 1).bp, 8333);
	ck_assert_int_eq(qpc_share_ahead(&in, 3).bp, 7000);
	/* a steady buyer stays where it is */
	struct qpc_projection_in steady = { .sales_12m = 120000, .recent = 30000,
		                            .leaving = { 10000, 20000, 30000 }, .qpc = 120000 };
	ck_assert_int_eq(qpc_share_ahead(&steady, 3).bp, 10000);
	ck_assert_int_eq(qpc_month_under(&steady, 7500), 0);
	/* above the QPC is over; returns below nothing are nothing */
	steady.recent = 90000;
	ck_assert_int_eq(qpc_share_ahead(&steady, 1).kind, QPC_SHARE_OVER);
	struct qpc_projection_in credits = { .sales_12m = 1000, .recent = -50000, .qpc = 1000 };
	ck_assert_int_eq(qpc_share_ahead(&credits, 3).bp, 0);
	ck_assert_int_eq(qpc_month_under(&credits, 7500), 1);
	/* no QPC, no month out of range: no share */
	ck_assert_int_eq(qpc_share_ahead(&credits, 4).kind, QPC_SHARE_UNDEFINED);
	credits.qpc = 0;
	ck_assert_int_eq(qpc_share_ahead(&credits, 1).kind, QPC_SHARE_UNDEFINED);
	/* the largest amounts do not overflow */
	struct qpc_projection_in huge = { .sales_12m = INT64_MAX, .recent = INT64_MAX,
		                          .leaving = { INT64_MAX, INT64_MAX, INT64_MAX },
		                          .qpc = INT64_MAX };
	ck_assert_int_eq(qpc_share_ahead(&huge, 3).kind, QPC_SHARE_OK);
	ck_assert_int_eq(qpc_share_ahead(&huge, 3).bp, 10000);
}
END_TEST

Suite *figures_suite(void)
{
	Suite *s = suite_create("figures");
	TCase *tc = tcase_create("share");
	tcase_add_test(tc, share_undefined_when_unmeasured_or_zero);
	tcase_add_test(tc, share_exact_and_over);
	tcase_add_test(tc, share_huge_values_do_not_overflow);
	tcase_add_test(tc, share_ahead_by_the_recent_pace);
	suite_add_tcase(s, tc);
	tc = tcase_create("status");
	tcase_add_test(tc, status_rules);
	tcase_add_test(tc, status_names_round_trip);
	tcase_add_test(tc, window_is_half_open);
	tcase_add_test(tc, figures_use_lines_else_account_figure);
	tcase_add_test(tc, figures_unmeasured_is_not_zero);
	tcase_add_test(tc, stale_after_a_year);
	suite_add_tcase(s, tc);
	tc = tcase_create("kpi");
	tcase_add_test(tc, kpis);
	tcase_add_test(tc, kpis_leave_unknown_profit_out);
	tcase_add_test(tc, kpi_totals_saturate);
	suite_add_tcase(s, tc);
	return s;
}
