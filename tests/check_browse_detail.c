/* check_browse_detail.c — one account's page, history, candidates, goals
 * and the dashboard's figures, on data whose answers are known. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "qpc/browse.h"
#include "qpc/demo.h"
#include "qpc/namekey.h"
#include "tests.h"

static char tmpdir[64], path[128];
static struct qpc_store *st;
static struct qpc_browse *br;
static struct qpc_error err;
static int64_t acme, beta, gamma_;

static qpc_date D(const char *iso)
{
	qpc_date d;
	ck_assert_msg(qpc_date_parse_iso(iso, &d), "bad date %s", iso);
	return d;
}

#define OK(call) ck_assert_msg((call) == QPC_OK, "%s", err.msg)

static int64_t account(const char *ext, const char *name, const char *owner)
{
	struct qpc_account_rec r = { .external_id = ext, .name = name, .owner = owner,
		                     .segment = "Retail", .city = "Lyon", .country = "FR",
		                     .has_employees = true, .employees = 120 };
	int64_t id;
	OK(qpc_store_account_insert(st, &r, &id, &err));
	return id;
}

static void line(int64_t acc, const char *cat, qpc_money amount, const char *on, bool verified)
{
	int64_t c;
	OK(qpc_store_category_ensure(st, cat, &c, &err));
	struct qpc_potential_rec p = { .account_id = acc, .category_id = c, .amount = amount,
		                       .basis = "customer stated", .verified = verified,
		                       .measured_on = D(on) };
	OK(qpc_store_potential_set(st, &p, &err));
}

static void sale(int64_t acc, const char *cat, const char *date, qpc_money amount)
{
	int64_t c = 0;
	if (cat)
		OK(qpc_store_category_ensure(st, cat, &c, &err));
	struct qpc_sale_rec s = { .account_id = acc, .category_id = c, .date = D(date),
		                  .amount = amount, .has_gp = true, .gross_profit = amount / 4 };
	OK(qpc_store_sale_add(st, &s, &err));
}

static void setup(void)
{
	ck_assert_ptr_nonnull(setlocale(LC_ALL, "C.UTF-8"));
	scratch_make(tmpdir, sizeof tmpdir, "detail");
	snprintf(path, sizeof path, "%s/d.db", tmpdir);
	OK(store_new(path, &st, &err));
	qpc_store_set_actor(st, "tester", 1795780800); /* 2026-11-27 */
	acme = account("A-1", "Acme", "alice");
	beta = account("B-2", "Beta", "bob");
	gamma_ = account("G-3", "Gamma", "alice");
	line(acme, "Packaging", 90000, "2026-03-01", true);
	line(acme, "Safety", 20000, "2025-01-15", false); /* stale by 2026-11-27 */
	sale(acme, "Packaging", "2026-11-20", 60000);
	sale(acme, "Packaging", "2025-12-05", 10000);
	sale(acme, "Furniture", "2026-02-10", 5000);     /* no QPC line there */
	sale(acme, NULL, "2026-05-01", 1000);            /* no category */
	sale(acme, "Packaging", "2024-12-31", 7777);     /* 24 months back: the first month */
	sale(acme, "Packaging", "2024-11-30", 9999);     /* 25 months back: left out */
	line(beta, "Packaging", 10000, "2026-10-01", true);
	sale(beta, "Packaging", "2026-10-02", 9000); /* 90%: a partner */
	line(gamma_, "Packaging", 50000, "2026-10-01", true);
	sale(gamma_, "Packaging", "2026-10-03", 30000);
	OK(qpc_store_refresh(st, D("2026-11-27"), &err));
	OK(qpc_store_candidate_add(st, gamma_, 0, D("2026-09-01"), &err));
	OK(qpc_store_tick(st, gamma_, 2, "met the CFO", &err));
	OK(qpc_store_goal_set(st, 2026, 3, &err));
	OK(qpc_store_goal_set(st, 2027, 5, &err));
	OK(qpc_browse_open(st, D("2026-11-27"), &br, &err));
}

static void teardown(void)
{
	qpc_browse_close(br);
	qpc_store_close(st);
	scratch_remove(tmpdir);
}

START_TEST(detail_has_lines_months_and_figures)
{
	struct qpc_account_detail *d = malloc(sizeof *d);
	OK(qpc_browse_detail(br, acme, d, &err));
	ck_assert_str_eq(d->row.name, "Acme");
	ck_assert_str_eq(d->city, "Lyon");
	ck_assert(d->has_employees && d->employees == 120);
	ck_assert_int_eq(d->row.fig.qpc, 110000);
	ck_assert_int_eq(d->row.fig.sales_12m, 76000);
	ck_assert(d->row.stale); /* its oldest line is */
	ck_assert_int_eq(d->nlines, 3);
	ck_assert_str_eq(d->lines[0].category, "Furniture");
	ck_assert(!d->lines[0].has_qpc && d->lines[0].sales_12m == 5000);
	ck_assert_int_eq(d->lines[0].share.kind, QPC_SHARE_UNDEFINED);
	ck_assert_str_eq(d->lines[1].category, "Packaging");
	ck_assert(d->lines[1].has_qpc && d->lines[1].qpc == 90000 && d->lines[1].verified);
	ck_assert_int_eq(d->lines[1].sales_12m, 70000);
	ck_assert_int_eq(d->lines[1].share.bp, 7777);
	ck_assert(!d->lines[1].stale);
	ck_assert_str_eq(d->lines[2].category, "Safety");
	ck_assert(d->lines[2].stale && !d->lines[2].verified && d->lines[2].sales_12m == 0);
	ck_assert_str_eq(d->lines[2].measured_by, "tester");
	/* 24 months ending with November 2026 */
	ck_assert_int_eq(d->first_year, 2024);
	ck_assert_int_eq(d->first_month, 12);
	ck_assert_int_eq(d->month_sales[0], 7777);
	ck_assert_int_eq(d->month_sales[12], 10000); /* 2025-12 */
	ck_assert_int_eq(d->month_sales[17], 1000);  /* 2026-05 */
	ck_assert_int_eq(d->month_sales[23], 60000); /* 2026-11 */
	ck_assert(!d->candidate && d->nsteps == 0);
	ck_assert_int_eq(qpc_browse_detail(br, 9999, d, &err), QPC_ERR_NOTFOUND);
	free(d);
}
END_TEST

/* Packaging per employee, verified: 750, 83.33 and 416.67 cents; the
 * median times 120 employees is 500.00 for each account.  Beta's 100.00
 * is under half of that; Acme's 1,100.00 and Gamma's 500.00 are not. */
START_TEST(underestimates_against_the_formula)
{
	struct qpc_account_detail *d = malloc(sizeof *d);
	ck_assert_ptr_nonnull(d);
	OK(qpc_browse_detail(br, acme, d, &err));
	ck_assert(d->has_estimate);
	ck_assert_int_eq(d->estimate, 50000);
	ck_assert_int_eq(d->estimate_accounts, 3);
	ck_assert(d->estimate_by_employees);
	free(d);
	struct qpc_filter f;
	qpc_filter_init(&f);
	f.under = true;
	ck_assert(qpc_filter_any(&f));
	struct qpc_order o = { QPC_COL_NAME, false };
	struct qpc_fetch r = { QPC_NEXT, 0, false, 10 };
	struct qpc_browse_row rows[10];
	struct qpc_fetched got;
	OK(qpc_browse_fetch(br, &f, &o, &r, rows, &got, &err));
	ck_assert_int_eq(got.n, 1);
	ck_assert_int_eq(rows[0].id, beta);
	ck_assert(got.end);
	struct qpc_count c;
	qpc_count_start(&c);
	while (!c.done)
		OK(qpc_browse_count(br, &f, &c, &err));
	ck_assert_int_eq(c.n, 1);
	/* this connection writes: once told, the factors are made again */
	/* ratios 750, 166.67 and 83.33: the median 166.67 makes 200.00 */
	line(beta, "Packaging", 20000, "2026-10-01", true);
	line(gamma_, "Packaging", 10000, "2026-10-01", true);
	qpc_browse_forget(br);
	r.max = 10;
	OK(qpc_browse_fetch(br, &f, &o, &r, rows, &got, &err));
	ck_assert_int_eq(got.n, 0); /* 200.00 and 100.00 are not under half of 200.00 */
	ck_assert(!qpc_is_underestimate(5000, 10000));
	ck_assert(qpc_is_underestimate(4999, 10000));
	ck_assert(qpc_is_underestimate(5000, 10001));
	ck_assert(!qpc_is_underestimate(0, 0));
}
END_TEST

START_TEST(candidate_checklist_and_list)
{
	struct qpc_account_detail *d = malloc(sizeof *d);
	OK(qpc_browse_detail(br, gamma_, d, &err));
	ck_assert(d->candidate);
	ck_assert_str_eq(d->template_name, "Partner checklist");
	ck_assert_int_eq(d->nsteps, 4);
	ck_assert(!d->steps[0].ticked && d->steps[1].ticked);
	ck_assert_str_eq(d->steps[1].note, "met the CFO");
	ck_assert_str_eq(d->steps[1].by, "tester");
	ck_assert_int_eq(d->steps[1].on, qpc_date_from_unix(1795780800));
	free(d);
	int64_t n;
	OK(qpc_browse_candidate_count(br, &n, &err));
	ck_assert_int_eq(n, 1);
	struct qpc_candidate_row rows[4];
	struct qpc_fetched got;
	struct qpc_fetch r = { .dir = QPC_NEXT, .max = 4 };
	OK(qpc_browse_candidates(br, &r, rows, &got, &err));
	ck_assert_int_eq(got.n, 1);
	ck_assert(got.end);
	ck_assert_str_eq(rows[0].name, "Gamma");
	ck_assert_int_eq(rows[0].ticked, 1);
	ck_assert_int_eq(rows[0].steps, 4);
	ck_assert_int_eq(rows[0].status, QPC_CANDIDATE);
	ck_assert_int_eq(rows[0].share.bp, 6000);
	r.from = gamma_; /* after the last one: nothing */
	OK(qpc_browse_candidates(br, &r, rows, &got, &err));
	ck_assert_int_eq(got.n, 0);
	r.inclusive = true;
	OK(qpc_browse_candidates(br, &r, rows, &got, &err));
	ck_assert_int_eq(got.n, 1);
}
END_TEST

START_TEST(history_pages_newest_first)
{
	struct qpc_history_row rows[3], all[64];
	struct qpc_fetched got;
	struct qpc_fetch r = { .dir = QPC_NEXT, .max = 3 };
	int n = 0;
	do {
		OK(qpc_browse_history(br, gamma_, &r, rows, &got, &err));
		for (int i = 0; i < got.n; i++)
			all[n++] = rows[i];
		if (got.n)
			r.from = rows[got.n - 1].id;
	} while (!got.end);
	ck_assert_int_ge(n, 3); /* the QPC line, the nomination, the tick: no status rows,
	                         * which are computed, not recorded */
	for (int i = 1; i < n; i++) /* by effective date, then by id, newest first */
		ck_assert(all[i].effective < all[i - 1].effective ||
		          (all[i].effective == all[i - 1].effective && all[i].id < all[i - 1].id));
	for (int i = 0; i < n; i++)
		ck_assert_str_ne(all[i].field, "status");
	/* newest: the tick, made today */
	ck_assert_str_eq(all[0].new_, "met the CFO");
	ck_assert_int_eq(all[0].effective, D("2026-11-27"));
	bool tick = false;
	for (int i = 0; i < n; i++)
		tick |= strcmp(all[i].new_, "met the CFO") == 0 && strcmp(all[i].user, "tester") == 0;
	ck_assert(tick);
	r.dir = QPC_PREV; /* back up from the oldest */
	r.from = all[n - 1].id;
	OK(qpc_browse_history(br, gamma_, &r, rows, &got, &err));
	ck_assert_int_eq(rows[0].id, all[n - 2].id);
}
END_TEST

START_TEST(goals_count_partners_made)
{
	struct qpc_goal g[4];
	int n;
	OK(qpc_browse_goals(br, g, 4, &n, &err));
	ck_assert_int_eq(n, 2);
	ck_assert(g[0].year == 2026 && g[0].target == 3);
	ck_assert(g[1].year == 2027 && g[1].target == 5 && g[1].achieved == 0);
	/* The same count as the report's for this year. */
	struct qpc_report rep;
	OK(qpc_store_report(st, D("2026-11-27"), &rep, &err));
	ck_assert_int_eq(g[0].achieved, rep.goal.achieved);
}
END_TEST

START_TEST(partners_made_in_years_without_goals_too)
{
	/* Beta was a partner for a month in 2024 (no goal that year) and
	 * became one again on 2026-10-02, from its facts; Gamma for a month
	 * in 2026.  The earlier spells are written by hand, as the facts of
	 * those years would have made them. */
	sqlite3 *db;
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	char *sql = sqlite3_mprintf(
		"INSERT INTO status_span(account_id, since, status, prev) VALUES"
		" (%lld, '2024-05-01', 3, 1), (%lld, '2024-06-01', 1, 3),"
		" (%lld, '2026-03-01', 3, 1), (%lld, '2026-04-01', 1, 3)",
		(long long)beta, (long long)beta, (long long)gamma_, (long long)gamma_);
	ck_assert_int_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_free(sql);
	sqlite3_close(db);
	struct qpc_goal g[4], made[4];
	int n, nm;
	OK(qpc_browse_goals(br, g, 4, &n, &err));
	OK(qpc_browse_partners_made(br, made, 4, &nm, &err));
	/* and Acme, from its own facts: from 2025-01-15 its Safety line of
	 * 20,000 stood against 17,776 of sales, and it went in and out as
	 * sales came and left the window, last becoming one on 2026-02-10
	 * and stopping on 2026-03-01 (its Packaging line measured) */
	ck_assert_int_eq(nm, 3);
	ck_assert(made[0].year == 2024 && made[0].achieved == 1 && made[0].target == 0);
	ck_assert(made[1].year == 2025 && made[1].achieved == 1);
	ck_assert(made[2].year == 2026 && made[2].achieved == 3);
	/* counted as the goals count them: Gamma new, Beta and Acme regained;
	 * Gamma and Acme lost again */
	ck_assert(g[0].year == 2026 && g[0].achieved == 3);
	ck_assert_int_eq(g[0].first_time, 1);
	ck_assert_int_eq(g[0].regained, 2);
	ck_assert_int_eq(g[0].lost, 2);
}
END_TEST

START_TEST(dashboard_of_known_data)
{
	struct qpc_dashboard *d = malloc(sizeof *d);
	OK(qpc_browse_dashboard(br, d, &err));
	ck_assert_int_eq(d->report.kpi.accounts, 3);
	ck_assert_int_eq(d->report.kpi.partners, 1);
	/* Acme 69%, Beta 90%, Gamma 60% */
	ck_assert_int_eq(d->share_buckets[QPC_BUCKET_50_75], 2);
	ck_assert_int_eq(d->share_buckets[QPC_BUCKET_75_100], 1);
	ck_assert_int_eq(d->share_unknown, 0);
	ck_assert_int_eq(d->curve_customers, 3);
	ck_assert_int_eq(d->curve_n, 3);
	/* by gross profit: Acme 19000, Gamma 7500, Beta 2250 */
	ck_assert_int_eq(d->curve_gp[0], 19000);
	ck_assert_int_eq(d->curve_gp[1], 26500);
	ck_assert_int_eq(d->curve_gp[2], 28750);
	ck_assert(d->curve_partners[0] == 0 && d->curve_partners[2] == 1);
	ck_assert_int_eq(d->ntop, 3);
	ck_assert_str_eq(d->top[0].name, "Acme");  /* 34,000 untapped */
	ck_assert_str_eq(d->top[1].name, "Gamma"); /* 20,000 */
	free(d);
}
END_TEST

/* The fixture's store and browse replaced by the demo's, of n accounts,
 * as of 2026-11-27. */
static void demo(const char *name, int n)
{
	qpc_browse_close(br);
	qpc_store_close(st);
	br = NULL;
	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	OK(store_new(path, &st, &err));
	qpc_store_set_actor(st, "tester", 1795780800);
	OK(qpc_demo_generate(st, D("2026-11-27"), n, &err));
	OK(qpc_browse_open(st, D("2026-11-27"), &br, &err));
}

START_TEST(dashboard_of_the_demo_adds_up)
{
	demo("demo.db", 300);
	struct qpc_dashboard *d = malloc(sizeof *d);
	OK(qpc_browse_dashboard(br, d, &err));
	const struct qpc_kpi *k = &d->report.kpi;
	int64_t sum = d->share_unknown, partners = 0;
	for (int i = 0; i < QPC_BUCKET_COUNT; i++)
		sum += d->share_buckets[i];
	ck_assert_int_eq(sum, k->customers);
	ck_assert_int_eq(d->curve_customers, k->customers);
	ck_assert_int_eq(d->curve_n, QPC_CURVE_POINTS);
	ck_assert_int_eq(d->curve_gp[d->curve_n - 1], k->gp_12m);
	for (int i = 0; i < d->curve_n; i++)
		partners += d->curve_partners[i];
	ck_assert_int_eq(partners, k->partners);
	for (int i = 1; i < d->ntop; i++)
		ck_assert_int_le(d->top[i].fig.untapped, d->top[i - 1].fig.untapped);
	ck_assert_int_eq(d->ntop, QPC_TOP_UNTAPPED);
	free(d);
}
END_TEST

static int64_t sql_count(const char *sql, const char *owner)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	sqlite3_bind_text(s, 1, owner, -1, SQLITE_STATIC);
	ck_assert_int_eq(sqlite3_step(s), SQLITE_ROW);
	int64_t n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return n;
}

START_TEST(the_plan_adds_up_to_the_goal_owner_by_owner)
{
	demo("plan.db", 2000);
	static struct qpc_plan_owner owners[64];
	static struct qpc_candidate_row cands[256];
	struct qpc_plan p = { .owners = owners, .max_owners = 64, .cands = cands, .max_cands = 256 };
	OK(qpc_browse_plan(br, 2026, &p, &err));
	struct qpc_goal g;
	OK(qpc_store_goal_progress(st, 2026, D("2026-11-27"), &g, &err));
	ck_assert(p.has_goal && !p.cut);
	ck_assert_int_eq(p.goal.achieved, g.achieved);
	ck_assert_int_eq(p.threshold_bp, 7500);
	/* the candidates that could still be made: active, not partners yet */
	static const char cand_sql[] = "SELECT count(*) FROM candidate c JOIN account a ON a.id ="
	                               " c.account_id WHERE c.dropped_on IS NULL AND a.status <>"
	                               " 'partner' AND (?1 IS NULL OR a.owner = ?1)";
	static const char near_sql[] = "SELECT count(*) FROM candidate c JOIN account a ON a.id ="
	                               " c.account_id WHERE c.dropped_on IS NULL AND a.status <>"
	                               " 'partner' AND a.share_over = 0 AND a.share_bp >= 6000"
	                               " AND (?1 IS NULL OR a.owner = ?1)";
	/* an upper bound on what an owner made: its accounts that became
	 * partners in the year at all */
	static const char made_sql[] = "SELECT count(DISTINCT s.account_id) FROM status_span s JOIN"
	                               " account a ON a.id = s.account_id WHERE s.status = 3 AND"
	                               " s.since BETWEEN '2026-01-01' AND '2026-11-27' AND a.owner = ?1";
	ck_assert_int_gt(p.candidates, 0);
	ck_assert_int_eq(p.candidates, sql_count(cand_sql, NULL));
	ck_assert_int_eq(p.near, sql_count(near_sql, NULL));
	ck_assert_int_eq(p.ncands, p.candidates);
	int64_t made = 0, lost = 0, ncand = 0;
	for (int i = 0; i < p.nowners; i++) {
		const struct qpc_plan_owner *o = &owners[i];
		made += o->made;
		lost += o->lost;
		ncand += o->candidates;
		ck_assert_int_eq(o->candidates, sql_count(cand_sql, o->owner));
		ck_assert_int_eq(o->near, sql_count(near_sql, o->owner));
		ck_assert_int_le(o->made, sql_count(made_sql, o->owner));
		if (i > 0)
			ck_assert_int_lt(qpc_name_cmp(owners[i - 1].owner, strlen(owners[i - 1].owner),
			                              o->owner, strlen(o->owner)), 0);
		/* its candidates follow one another, the highest share first */
		for (int c = o->first; c < o->first + o->candidates; c++) {
			ck_assert_str_eq(cands[c].owner, o->owner);
			if (c > o->first && cands[c].share.kind == QPC_SHARE_OK &&
			    cands[c - 1].share.kind == QPC_SHARE_OK)
				ck_assert_int_le(cands[c].share.bp, cands[c - 1].share.bp);
		}
	}
	ck_assert_int_eq(made, g.achieved);
	ck_assert_int_eq(lost, g.lost);
	ck_assert_int_eq(ncand, p.candidates);
	/* arrays too small: said, and what fits still counted right */
	p = (struct qpc_plan){ .owners = owners, .max_owners = 1, .cands = cands, .max_cands = 1 };
	OK(qpc_browse_plan(br, 2026, &p, &err));
	ck_assert(p.cut);
	ck_assert_int_eq(p.nowners, 1);
	ck_assert_int_le(p.ncands, 1);
	ck_assert_int_eq(p.candidates, sql_count(cand_sql, NULL));
}
END_TEST

Suite *browse_detail_suite(void)
{
	Suite *s = suite_create("browse_detail");
	TCase *tc = tcase_create("detail");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, detail_has_lines_months_and_figures);
	tcase_add_test(tc, candidate_checklist_and_list);
	tcase_add_test(tc, underestimates_against_the_formula);
	tcase_add_test(tc, history_pages_newest_first);
	tcase_add_test(tc, goals_count_partners_made);
	tcase_add_test(tc, partners_made_in_years_without_goals_too);
	tcase_add_test(tc, dashboard_of_known_data);
	tcase_add_test(tc, dashboard_of_the_demo_adds_up);
	tcase_add_test(tc, the_plan_adds_up_to_the_goal_owner_by_owner);
	suite_add_tcase(s, tc);
	return s;
}
