/* check_store.c — the database: opening, migrating, figures, history. */
#include <signal.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qpc/demo.h"
#include "qpc/edit.h"
#include "qpc/ingest.h"
#include "qpc/store.h"
#include "tests.h"

static char dir[64];
static char path[128];
static struct qpc_store *st;
static struct qpc_error err;

static qpc_date D(const char *iso)
{
	qpc_date d;
	ck_assert_msg(qpc_date_parse_iso(iso, &d), "bad date %s", iso);
	return d;
}

static void setup(void)
{
	scratch_make(dir, sizeof dir, "test");
	snprintf(path, sizeof path, "%s/sub/dir/qpc.db", dir);
	st = NULL;
	memset(&err, 0, sizeof err);
}

static void teardown(void)
{
	qpc_store_close(st);
	scratch_remove(dir);
}

static void open_new(void)
{
	ck_assert_msg(qpc_store_open(path, QPC_OPEN_CREATE, &st, &err) == QPC_OK, "%s", err.msg);
	qpc_store_set_actor(st, "tester", 1795000000); /* 2026-11-17 */
}

/* Runs SQL on the file behind qpc's back, as another tool would. */
static void raw_sql(const char *file, const char *sql)
{
	sqlite3 *db;
	ck_assert_int_eq(sqlite3_open(file, &db), SQLITE_OK);
	char *msg = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
	ck_assert_msg(rc == SQLITE_OK, "%s", msg ? msg : "?");
	sqlite3_close(db);
}

static int64_t raw_int(const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(s), SQLITE_ROW);
	int64_t v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return v;
}

static void raw_text(const char *sql, char *out, size_t n)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(s), SQLITE_ROW);
	snprintf(out, n, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_finalize(s);
	sqlite3_close(db);
}

static int64_t account(const char *ext, const char *name)
{
	struct qpc_account_rec r = { .external_id = ext, .name = name, .owner = "alice" };
	int64_t id;
	ck_assert_msg(qpc_store_account_insert(st, &r, &id, &err) == QPC_OK, "%s", err.msg);
	return id;
}

static int64_t category(const char *name)
{
	int64_t id;
	ck_assert_msg(qpc_store_category_ensure(st, name, &id, &err) == QPC_OK, "%s", err.msg);
	return id;
}

static void potential(int64_t acc, const char *cat, qpc_money amount)
{
	struct qpc_potential_rec p = { .account_id = acc, .category_id = category(cat),
		                       .amount = amount, .basis = "customer stated",
		                       .verified = true, .measured_on = D("2023-01-10") };
	ck_assert_msg(qpc_store_potential_set(st, &p, &err) == QPC_OK, "%s", err.msg);
}

static void sale(int64_t acc, const char *date, qpc_money amount, qpc_money gp)
{
	static int n;
	char key[16];
	snprintf(key, sizeof key, "k%d", ++n);
	struct qpc_sale_rec s = { .account_id = acc, .date = D(date), .amount = amount,
		                  .has_gp = true, .gross_profit = gp, .source_key = key };
	ck_assert_msg(qpc_store_sale_add(st, &s, &err) == QPC_OK, "%s", err.msg);
}

struct found {
	int n;
	struct qpc_account_figures fig[8];
	char names[8][32];
};

static int collect(const struct qpc_account_row *r, void *ctx)
{
	struct found *f = ctx;
	if (f->n < 8) {
		f->fig[f->n] = r->fig;
		snprintf(f->names[f->n], sizeof f->names[0], "%s", r->name);
	}
	f->n++;
	return 0;
}

START_TEST(create_makes_folder_and_private_file)
{
	open_new();
	struct stat sb;
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0600);
	ck_assert_int_eq(qpc_store_opened_version(st), 0);
	qpc_store_close(st);
	st = NULL;
	ck_assert_int_eq(raw_int("PRAGMA user_version"), qpc_store_schema_version());
	ck_assert_int_eq(raw_int("SELECT count(*) FROM template_step WHERE template_id = 1"), 4);
	ck_assert_int_eq(qpc_store_open(path, QPC_OPEN_EXISTING, &st, &err), QPC_OK);
	ck_assert_int_eq(qpc_store_opened_version(st), qpc_store_schema_version());
}
END_TEST

START_TEST(missing_folder_and_not_a_database)
{
	ck_assert_int_eq(qpc_store_open(path, QPC_OPEN_EXISTING, &st, &err), QPC_ERR_NOTFOUND);
	ck_assert_ptr_null(st);
	ck_assert_msg(strstr(err.msg, "no database at") && strstr(err.msg, "qpc init"), "%s", err.msg);

	ck_assert_int_eq(qpc_store_open(dir, QPC_OPEN_CREATE, &st, &err), QPC_ERR_USAGE);
	ck_assert_msg(strstr(err.msg, "is a folder"), "%s", err.msg);

	char junk[128];
	snprintf(junk, sizeof junk, "%s/junk.db", dir);
	FILE *fp = fopen(junk, "w");
	fputs("name,amount\nAcme,12\n this is a CSV file, not a database, padded to a page....", fp);
	fclose(fp);
	ck_assert_int_eq(qpc_store_open(junk, QPC_OPEN_EXISTING, &st, &err), QPC_ERR_DATA);
	ck_assert_msg(strstr(err.msg, "not a qpc database"), "%s", err.msg);
	ck_assert_ptr_null(st);
}
END_TEST

START_TEST(foreign_sqlite_file_refused)
{
	char other[128];
	snprintf(other, sizeof other, "%s/other.db", dir);
	raw_sql(other, "CREATE TABLE t(x); INSERT INTO t VALUES (1);");
	ck_assert_int_eq(qpc_store_open(other, QPC_OPEN_EXISTING, &st, &err), QPC_ERR_DATA);
	ck_assert_msg(strstr(err.msg, "not one of qpc's"), "%s", err.msg);
}
END_TEST

START_TEST(newer_schema_refused_and_untouched)
{
	open_new();
	qpc_store_close(st);
	st = NULL;
	raw_sql(path, "PRAGMA user_version = 99");
	ck_assert_int_eq(qpc_store_open(path, QPC_OPEN_EXISTING, &st, &err), QPC_ERR_DATA);
	char want[64];
	snprintf(want, sizeof want, "knows up to %d", qpc_store_schema_version());
	ck_assert_msg(strstr(err.msg, "version 99") && strstr(err.msg, want), "%s", err.msg);
	ck_assert_int_eq(raw_int("PRAGMA user_version"), 99);
}
END_TEST

/* A schema version qpc never writes: a damaged header (fuzz_migrate found
 * that it ran the migrations from index -1). */
START_TEST(negative_schema_refused_as_damaged)
{
	open_new();
	qpc_store_close(st);
	st = NULL;
	raw_sql(path, "PRAGMA user_version = -1");
	ck_assert_int_eq(qpc_store_open(path, QPC_OPEN_EXISTING, &st, &err), QPC_ERR_DATA);
	ck_assert_msg(strstr(err.msg, "damaged") && strstr(err.msg, "version -1"), "%s", err.msg);
	ck_assert_int_eq(raw_int("PRAGMA user_version"), -1);
}
END_TEST

static void load_v1_fixture(void)
{
	FILE *fp = fopen("tests/fixtures/schema-v1.sql", "r");
	ck_assert_msg(fp != NULL, "run the tests from the top of the tree");
	static char sql[65536];
	size_t n = fread(sql, 1, sizeof sql - 1, fp);
	fclose(fp);
	sql[n] = '\0';
	char sub[200];
	snprintf(sub, sizeof sub, "%s/sub", dir);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	snprintf(sub, sizeof sub, "%s/sub/dir", dir);
	ck_assert_int_eq(mkdir(sub, 0700), 0);
	raw_sql(path, sql);
}

START_TEST(migrates_version_1_in_place)
{
	load_v1_fixture();
	ck_assert_int_eq(raw_int("PRAGMA user_version"), 1);
	ck_assert_msg(qpc_store_open(path, QPC_OPEN_EXISTING, &st, &err) == QPC_OK, "%s", err.msg);
	ck_assert_int_eq(qpc_store_opened_version(st), 1);
	qpc_store_set_actor(st, "tester", 1780000000);
	struct qpc_report r;
	ck_assert_msg(qpc_store_report(st, D("2025-12-31"), &r, &err) == QPC_OK, "%s", err.msg);
	ck_assert_int_eq(r.kpi.accounts, 3);
	/* Acme: QPC 10000.00, both lines in the window, 8000.00 -> 80%.
	 * Bolt: contract partner.  Café: account figure 8000.00 of 10000.00. */
	ck_assert_int_eq(r.kpi.partners, 3);
	ck_assert_int_eq(r.kpi.contract_partners, 1);
	ck_assert_int_eq(r.kpi.sales_12m, 800000 + 100000 + 800000);
	ck_assert_int_eq(r.kpi.qpc_total, 2000000);
	ck_assert(r.has_goal);
	ck_assert_int_eq(r.goal.target, 3);
	/* a fortnight later the January line has left the window: 50%; and
	 * Café's figure, as of the day it was recorded (2025-01-01), no
	 * longer covers the twelve months */
	ck_assert_int_eq(qpc_store_report(st, D("2026-01-20"), &r, &err), QPC_OK);
	ck_assert_int_eq(r.kpi.partners, 1);
	ck_assert_int_eq(r.kpi.sales_12m, 500000 + 100000);
	qpc_store_close(st);
	st = NULL;
	ck_assert_int_eq(raw_int("PRAGMA user_version"), qpc_store_schema_version());
	ck_assert_int_eq(raw_int("SELECT count(*) FROM history WHERE field = 'qpc:Packaging'"), 1);
}
END_TEST

START_TEST(read_only_needs_no_migration_to_refuse)
{
	load_v1_fixture();
	ck_assert_int_eq(qpc_store_open(path, QPC_OPEN_READONLY, &st, &err), QPC_ERR_READONLY);
	ck_assert_msg(strstr(err.msg, "read-only"), "%s", err.msg);
	ck_assert_int_eq(raw_int("PRAGMA user_version"), 1);
}
END_TEST

START_TEST(settings_validate)
{
	open_new();
	struct qpc_settings s;
	ck_assert_int_eq(qpc_store_settings(st, &s, &err), QPC_OK);
	ck_assert_int_eq(s.threshold_bp, 7500);
	ck_assert_str_eq(s.currency, "USD");
	ck_assert_int_eq(s.minor_units, 2);
	ck_assert_int_eq(qpc_store_setting_set(st, "threshold", "0.8", &err), QPC_OK);
	ck_assert_int_eq(qpc_store_setting_set(st, "threshold", "0", &err), QPC_ERR_USAGE);
	ck_assert_int_eq(qpc_store_setting_set(st, "threshold", "1.5", &err), QPC_ERR_USAGE);
	ck_assert_int_eq(qpc_store_setting_set(st, "threshold", "75%", &err), QPC_OK);
	ck_assert_int_eq(qpc_store_setting_set(st, "threshold", "101%", &err), QPC_ERR_USAGE);
	ck_assert_int_eq(qpc_store_setting_set(st, "threshold", "0.8", &err), QPC_OK);
	ck_assert_int_eq(qpc_store_setting_set(st, "currency", "eur", &err), QPC_ERR_USAGE);
	ck_assert_int_eq(qpc_store_setting_set(st, "currency", "EUR", &err), QPC_OK);
	ck_assert_int_eq(qpc_store_setting_set(st, "colour", "blue", &err), QPC_ERR_USAGE);
	ck_assert_int_eq(qpc_store_setting_set(st, "minor_units", "0", &err), QPC_OK);
	int64_t a = account("A", "Acme");
	potential(a, "Packaging", 100);
	ck_assert_int_eq(qpc_store_setting_set(st, "minor_units", "2", &err), QPC_ERR_USAGE);
	ck_assert_int_eq(qpc_store_settings(st, &s, &err), QPC_OK);
	ck_assert_int_eq(s.threshold_bp, 8000);
	ck_assert_str_eq(s.currency, "EUR");
	ck_assert_int_eq(s.minor_units, 0);
}
END_TEST

START_TEST(sales_window_and_fallback)
{
	open_new();
	int64_t a = account("A", "Acme");
	int64_t b = account("B", "Bravo");
	potential(a, "Packaging", 100000);
	sale(a, "2023-02-28", 70000, 7000); /* outside: window starts after it */
	sale(a, "2023-03-01", 30000, 3000);
	sale(a, "2024-02-29", 20000, 2000); /* the as-of day itself: inside */
	sale(a, "2024-03-01", 99999, 9999); /* after as-of */
	struct qpc_account_rec rb = { .name = "Bravo" };
	(void)rb;
	struct found f = { 0 };
	ck_assert_int_eq(qpc_store_accounts_each(st, D("2024-02-29"), collect, &f, &err), QPC_OK);
	ck_assert_int_eq(f.n, 2);
	ck_assert_str_eq(f.names[0], "Acme");
	ck_assert_int_eq(f.fig[0].sales_12m, 50000);
	ck_assert_int_eq(f.fig[0].gp_12m, 5000);
	ck_assert_int_eq(f.fig[0].share.bp, 5000);
	ck_assert_int_eq(f.fig[0].status, QPC_CUSTOMER);
	ck_assert_int_eq(f.fig[0].untapped, 50000);
	ck_assert_int_eq(f.fig[1].status, QPC_PROSPECT);
	ck_assert(!f.fig[1].qpc_measured);
	(void)b;
}
END_TEST

START_TEST(account_figure_when_no_lines)
{
	open_new();
	struct qpc_account_rec r = { .external_id = "C", .name = "Charlie", .has_account_figure = true,
		                     .account_sales_12m = 80000, .has_account_gp = true,
		                     .account_gp_12m = 10000, .facts_on = D("2026-03-01") };
	int64_t c;
	ck_assert_int_eq(qpc_store_account_insert(st, &r, &c, &err), QPC_OK);
	potential(c, "Packaging", 100000);
	struct found f = { 0 };
	ck_assert_int_eq(qpc_store_accounts_each(st, D("2026-06-01"), collect, &f, &err), QPC_OK);
	ck_assert_int_eq(f.fig[0].sales_12m, 80000);
	ck_assert_int_eq(f.fig[0].status, QPC_PARTNER);
	/* before the day the figure is as of, it says nothing */
	f.n = 0;
	ck_assert_int_eq(qpc_store_accounts_each(st, D("2026-02-28"), collect, &f, &err), QPC_OK);
	ck_assert_int_eq(f.fig[0].sales_12m, 0);
	ck_assert_int_eq(f.fig[0].status, QPC_PROSPECT);
	/* a sales line in the window decides over the figure */
	sale(c, "2026-05-01", 100, 10);
	f.n = 0;
	ck_assert_int_eq(qpc_store_accounts_each(st, D("2026-06-01"), collect, &f, &err), QPC_OK);
	ck_assert_int_eq(f.fig[0].sales_12m, 100);
	ck_assert_int_eq(f.fig[0].status, QPC_CUSTOMER);
	/* and once both have left the window, nothing is known to be bought */
	f.n = 0;
	ck_assert_int_eq(qpc_store_accounts_each(st, D("2027-06-01"), collect, &f, &err), QPC_OK);
	ck_assert_int_eq(f.fig[0].sales_12m, 0);
	ck_assert_int_eq(f.fig[0].status, QPC_PROSPECT);
}
END_TEST

START_TEST(status_history_moves_forward_only)
{
	/* Status changes come from the facts: a sale makes a partner on its
	 * day and stops doing so twelve months later, whatever dates anyone
	 * looks at, in whatever order. */
	open_new();
	int64_t a = account("A", "Acme");
	potential(a, "Packaging", 100000);
	sale(a, "2025-03-10", 80000, 8000);
	ck_assert_int_eq(qpc_store_refresh(st, D("2030-01-01"), &err), QPC_OK);
	ck_assert_int_eq(qpc_store_refresh(st, D("2025-01-31"), &err), QPC_OK);
	ck_assert_int_eq(qpc_store_refresh(st, D("2025-03-31"), &err), QPC_OK);
	ck_assert_int_eq(qpc_store_refresh(st, D("2025-04-30"), &err), QPC_OK);
	qpc_store_close(st);
	st = NULL;
	ck_assert_int_eq(raw_int("SELECT count(*) FROM history WHERE field = 'status'"), 0);
	ck_assert_int_eq(raw_int("SELECT count(*) FROM status_span"), 2);
	ck_assert_int_eq(raw_int("SELECT count(*) FROM status_span WHERE since = '2025-03-10'"
	                         " AND status = 3 AND prev = 0"), 1);
	ck_assert_int_eq(raw_int("SELECT count(*) FROM status_span WHERE since = '2026-03-10'"
	                         " AND status = 0 AND prev = 3"), 1);
	/* the cache holds today's figures, whatever was looked at */
	ck_assert_int_eq(raw_int("SELECT status = 'prospect' FROM account"), 1);
	ck_assert_int_eq(raw_int("SELECT value = '2026-11-18' FROM setting"
	                         " WHERE key = 'figures_as_of'"), 1);
}
END_TEST

START_TEST(history_sees_end_of_transaction_only)
{
	open_new();
	ck_assert_int_eq(qpc_store_refresh(st, D("2026-01-31"), &err), QPC_OK);
	int64_t a = account("A", "Acme");
	sale(a, "2026-01-10", 50000, 5000);
	ck_assert_int_eq(qpc_store_begin(st, &err), QPC_OK);
	potential(a, "Packaging", 10000);  /* 500%: a partner for a moment */
	potential(a, "Safety", 90000);     /* 50% in the end */
	ck_assert_int_eq(qpc_store_commit(st, &err), QPC_OK);
	qpc_store_close(st);
	st = NULL;
	ck_assert_int_eq(raw_int("SELECT count(*) FROM history WHERE new = 'partner'"), 0);
	ck_assert_int_eq(raw_int("SELECT count(*) FROM status_span WHERE status = 3"), 0);
	ck_assert_int_eq(raw_int("SELECT status = 'customer' FROM account"), 1);
}
END_TEST

START_TEST(rollback_leaves_nothing)
{
	open_new();
	ck_assert_int_eq(qpc_store_begin(st, &err), QPC_OK);
	int64_t a = account("A", "Acme");
	potential(a, "Packaging", 10000);
	qpc_store_rollback(st);
	int64_t n = -1;
	ck_assert_int_eq(qpc_store_count_accounts(st, &n, &err), QPC_OK);
	ck_assert_int_eq(n, 0);
	qpc_store_close(st);
	st = NULL;
	ck_assert_int_eq(raw_int("SELECT count(*) FROM history"), 0);
	ck_assert_int_eq(raw_int("SELECT count(*) FROM category"), 0);
}
END_TEST

START_TEST(goal_counts_partners_made_that_year)
{
	open_new();
	int64_t a = account("A", "Acme"), b = account("B", "Bravo"), c = account("C", "Charlie");
	potential(a, "P", 1000);
	potential(b, "P", 1000);
	potential(c, "P", 1000);
	sale(a, "2024-12-20", 900, 90); /* partner from December 2024 */
	sale(b, "2025-01-05", 900, 90); /* partner from January 2025 */
	sale(c, "2024-06-01", 100, 10);
	int64_t late = account("L", "Latecomer"); /* a partner in 2024 already */
	potential(late, "P", 1000);
	sale(late, "2024-11-15", 900, 90);
	ck_assert_int_eq(qpc_store_goal_set(st, 2025, 5, &err), QPC_OK);
	ck_assert_int_eq(qpc_store_goal_set(st, 2025, 4, &err), QPC_OK);
	ck_assert_int_eq(qpc_store_goal_set(st, 1800, 4, &err), QPC_ERR_USAGE);
	ck_assert_int_eq(qpc_store_goal_set(st, 2025, -1, &err), QPC_ERR_USAGE);
	ck_assert_int_eq(qpc_store_refresh(st, D("2024-11-30"), &err), QPC_OK);
	ck_assert_int_eq(qpc_store_refresh(st, D("2024-12-31"), &err), QPC_OK);
	ck_assert_int_eq(qpc_store_refresh(st, D("2025-01-31"), &err), QPC_OK);
	struct qpc_report r;
	ck_assert_int_eq(qpc_store_report(st, D("2025-02-28"), &r, &err), QPC_OK);
	ck_assert(r.has_goal);
	ck_assert_int_eq(r.goal.year, 2025);
	ck_assert_int_eq(r.goal.target, 4);
	ck_assert_int_eq(r.goal.achieved, 1);
	ck_assert_int_eq(qpc_store_report(st, D("2024-12-31"), &r, &err), QPC_OK);
	ck_assert(!r.has_goal);
	/* an account added later becomes a partner on the day its facts say */
	int64_t fresh = account("F", "Fresh");
	potential(fresh, "P", 1000);
	sale(fresh, "2025-02-10", 900, 90);
	ck_assert_int_eq(qpc_store_report(st, D("2025-02-28"), &r, &err), QPC_OK);
	ck_assert_int_eq(r.goal.achieved, 2);
	ck_assert_int_eq(r.goal.first_time, 2);
	/* as of a day before Fresh's sale, it is not counted yet */
	ck_assert_int_eq(qpc_store_report(st, D("2025-02-09"), &r, &err), QPC_OK);
	ck_assert_int_eq(r.goal.achieved, 1);
}
END_TEST

START_TEST(find_by_id_or_unique_name)
{
	open_new();
	int64_t a = account("A-1", "Acme"), id = 0;
	account("A-2", "Twin");
	account("A-3", "Twin");
	ck_assert_int_eq(qpc_store_account_find(st, "A-1", &id, &err), QPC_OK);
	ck_assert_int_eq(id, a);
	ck_assert_int_eq(qpc_store_account_find(st, "Acme", &id, &err), QPC_OK);
	ck_assert_int_eq(id, a);
	ck_assert_int_eq(qpc_store_account_find(st, "Twin", &id, &err), QPC_ERR_DATA);
	ck_assert_msg(strstr(err.msg, "A-2, A-3"), "%s", err.msg);
	ck_assert_int_eq(qpc_store_account_find(st, "Nobody' OR 1=1 --", &id, &err), QPC_ERR_NOTFOUND);
	ck_assert_int_eq(qpc_store_account_find(st, "acme", &id, &err), QPC_ERR_NOTFOUND);
}
END_TEST

START_TEST(candidates_and_ticks)
{
	open_new();
	int64_t a = account("A", "Acme");
	ck_assert_int_eq(qpc_store_candidate_add(st, a, 0, D("2026-01-01"), &err), QPC_OK);
	ck_assert_int_eq(qpc_store_candidate_add(st, a, 0, D("2026-01-02"), &err), QPC_ERR_DATA);
	ck_assert_int_eq(qpc_store_tick(st, a, 2, "met the CEO", &err), QPC_OK);
	ck_assert_int_eq(qpc_store_tick(st, a, 5, NULL, &err), QPC_ERR_NOTFOUND);
	struct qpc_report r;
	ck_assert_int_eq(qpc_store_report(st, D("2026-02-01"), &r, &err), QPC_OK);
	ck_assert_int_eq(r.kpi.candidates, 1);
	/* before the nomination it was not a candidate */
	ck_assert_int_eq(qpc_store_report(st, D("2025-12-31"), &r, &err), QPC_OK);
	ck_assert_int_eq(r.kpi.candidates, 0);
	qpc_store_close(st);
	st = NULL;
	ck_assert_int_eq(raw_int("SELECT count(*) FROM tick WHERE ticked_by = 'tester' AND "
	                         "note = 'met the CEO'"), 1);
}
END_TEST

START_TEST(one_absurd_account_does_not_block_the_report)
{
	open_new();
	int64_t a = account("A", "Acme"), b = account("B", "Bravo");
	sale(a, "2026-01-10", INT64_MAX / 2 + 1, 0);
	sale(a, "2026-01-11", INT64_MAX / 2 + 1, 0);
	sale(b, "2026-01-12", 12345, 100);
	struct qpc_report r;
	ck_assert_msg(qpc_store_report(st, D("2026-06-01"), &r, &err) == QPC_OK, "%s", err.msg);
	ck_assert_int_eq(r.kpi.accounts, 2);
	ck_assert_int_eq(r.kpi.sales_12m, INT64_MAX); /* saturated, not wrapped */
	ck_assert(r.kpi.overflow);
}
END_TEST

/* --- a disk with no room ---------------------------------------------------- */

/* What a refresh or a save would change in the file. */
#define STATE_Q                                                                                \
	"SELECT (SELECT group_concat(x, ';') FROM (SELECT id || ',' || quote(qpc) || ','"          \
	" || quote(sales_12m) || ',' || quote(share_bp) || ',' || status || ','"                   \
	" || quote(quality) AS x FROM account ORDER BY id))"                                       \
	" || '/' || (SELECT group_concat(key || '=' || value, ';') FROM"                           \
	" (SELECT key, value FROM setting ORDER BY key))"                                          \
	" || '/' || (SELECT count(*) FROM history) || '/' || (SELECT count(*) FROM goal)"         \
	" || '/' || (SELECT count(*) FROM pending_ddl) || '/' || (SELECT count(*) FROM sqlite_master)"

/* Stands in for a full disk: no file may grow (a write past the limit
 * fails with EFBIG, SIGXFSZ ignored; qpc reports it as it does ENOSPC).
 * Check writes what it records to a file: assert nothing, nor call D(),
 * until the disk has room again. */
static struct rlimit saved_fsize;
static void (*saved_xfsz)(int);

static void disk_full(void)
{
	getrlimit(RLIMIT_FSIZE, &saved_fsize);
	saved_xfsz = signal(SIGXFSZ, SIG_IGN);
	struct rlimit none = { 0, saved_fsize.rlim_max };
	setrlimit(RLIMIT_FSIZE, &none);
}

static void disk_has_room(void)
{
	setrlimit(RLIMIT_FSIZE, &saved_fsize);
	signal(SIGXFSZ, saved_xfsz);
}

/* The dashboard's start on a full disk after a bulk import: reading never
 * writes, so it reads; a change says why it cannot be made and leaves the
 * file as it was. */
START_TEST(a_refresh_that_cannot_write_changes_nothing)
{
	open_new();
	ck_assert_int_eq(qpc_ingest_begin(st, 0, &err), QPC_OK);
	for (int i = 0; i < 50; i++) {
		char ext[16], name[32];
		snprintf(ext, sizeof ext, "B%03d", i);
		snprintf(name, sizeof name, "Bulk %d", i);
		struct qpc_account_rec r = { .external_id = ext, .name = name, .owner = "alice" };
		int64_t id;
		enum qpc_outcome out;
		ck_assert_msg(qpc_ingest_account(st, &r, QPC_AF_OWNER, &id, &out, &err) == QPC_OK, "%s",
		              err.msg);
	}
	ck_assert_msg(qpc_ingest_end(st, true, &err) == QPC_OK, "%s", err.msg);
	/* the import built what a bulk load sets aside */
	ck_assert_int_eq(raw_int("SELECT count(*) FROM pending_ddl"), 0);
	char before[8192], after[8192];
	raw_text(STATE_Q, before, sizeof before);
	qpc_date today = D("2026-11-27");
	struct qpc_error again = { 0 }, save = { 0 };
	struct qpc_report r;

	disk_full();
	enum qpc_rc rc = qpc_store_refresh(st, today, &err);
	if (rc)
		ck_assert(qpc_store_keep_figures(st, rc));
	enum qpc_rc rc_again = qpc_store_report(st, today, &r, &again);
	enum qpc_rc rc_save = qpc_store_goal_set(st, 2027, 3, &save);
	disk_has_room();

	ck_assert_msg(rc_again == QPC_OK, "%s", again.msg);
	ck_assert_int_eq(r.kpi.accounts, 50);
	ck_assert_int_eq(rc_save, QPC_ERR_IO);
	ck_assert_msg(strstr(save.msg, "file size limit") && strstr(save.msg, "nothing was changed"),
	              "%s", save.msg);
	raw_text(STATE_Q, after, sizeof after);
	ck_assert_str_eq(after, before);
	raw_text("PRAGMA integrity_check", after, sizeof after);
	ck_assert_str_eq(after, "ok");
	/* with room again a save goes through */
	ck_assert_msg(qpc_store_goal_set(st, 2027, 3, &err) == QPC_OK, "%s", err.msg);
	ck_assert_int_eq(raw_int("SELECT target FROM goal WHERE year = 2027"), 3);
	/* a failure that is no want of room or of a lock is not kept */
	ck_assert(!qpc_store_keep_figures(st, QPC_ERR_DATA));
}
END_TEST

START_TEST(kept_figures_keep_their_date)
{
	/* Today's figures are kept by the writes; reading June computes
	 * June's for the reader and leaves today's as they are. */
	open_new();
	int64_t a = account("A", "Acme");
	potential(a, "Packaging", 100000);
	sale(a, "2026-03-10", 80000, 8000);
	qpc_date june = D("2026-06-30"), on = 0;
	ck_assert_int_eq(qpc_store_refresh(st, june, &err), QPC_OK);
	ck_assert(qpc_store_figures_date(st, &on));
	ck_assert_int_eq(on, D("2026-11-18"));
	/* a change recomputes its account as of today, while the reader
	 * still reads June */
	potential(a, "Safety", 60000);
	ck_assert_int_eq(raw_int("SELECT qpc FROM account"), 160000);
	ck_assert_int_eq(raw_int("SELECT share_bp FROM account"), 5000);
	char v[32];
	raw_text("SELECT value FROM setting WHERE key = 'figures_as_of'", v, sizeof v);
	ck_assert_str_eq(v, "2026-11-18");
	struct found f = { 0 };
	ck_assert_int_eq(qpc_store_accounts_each(st, june, collect, &f, &err), QPC_OK);
	ck_assert_int_eq(f.fig[0].qpc, 160000);
	ck_assert_int_eq(f.fig[0].sales_12m, 80000);
	f.n = 0;
	ck_assert_int_eq(qpc_store_accounts_each(st, D("2026-03-09"), collect, &f, &err), QPC_OK);
	ck_assert_int_eq(f.fig[0].sales_12m, 0);
}
END_TEST

/* A template without a name, or a checklist that asks the same thing
 * twice, cannot be picked or ticked sensibly: refused, nothing written. */
/* Every count and sum a report adds up, in one array to compare. */
enum { REPORT_FIGURES = 24 };
static void report_figures(const struct qpc_report *r, int64_t out[REPORT_FIGURES])
{
	const struct qpc_kpi *k = &r->kpi;
	const int64_t v[REPORT_FIGURES] = { k->accounts, k->customers, k->partners,
		                            k->contract_partners, k->candidates, k->prospects,
		                            k->measured, k->sales_12m, k->gp_12m, k->partner_gp_12m,
		                            k->qpc_total, k->qpc_sales_12m, k->untapped, k->net_known,
		                            k->net_12m, k->partner_net_12m, r->partners_confirmed,
		                            r->goal.achieved, r->goal.lost, r->goal.first_time,
		                            r->goal.regained, r->goal.achieved_confirmed, k->gp_known,
		                            k->partners_gp_known };
	memcpy(out, v, sizeof v);
}

/* Figures at another date take a second connection on another thread
 * when there are many accounts; they are the figures one thread makes. */
START_TEST(figures_on_two_threads_are_those_of_one)
{
	open_new();
	ck_assert_msg(qpc_demo_generate(st, D("2026-11-17"), 1500, &err) == QPC_OK, "%s", err.msg);
	static const char *const days[] = { "2026-11-16", "2025-12-31", "2024-02-29",
		                            "2023-06-30", "2027-03-01" };
	for (size_t i = 0; i < sizeof days / sizeof *days; i++) {
		struct qpc_report two, one;
		qpc_store_one_thread(st, false);
		ck_assert_msg(qpc_store_report(st, D(days[i]), &two, &err) == QPC_OK, "%s", err.msg);
		ck_assert_int_eq(qpc_store_threads_used(st), 2);
		qpc_store_one_thread(st, true);
		ck_assert_msg(qpc_store_report(st, D(days[i]), &one, &err) == QPC_OK, "%s", err.msg);
		ck_assert_int_eq(qpc_store_threads_used(st), 1);
		int64_t x[REPORT_FIGURES], y[REPORT_FIGURES];
		report_figures(&one, x);
		report_figures(&two, y);
		for (size_t k = 0; k < sizeof x / sizeof *x; k++)
			ck_assert_msg(x[k] == y[k], "as of %s: figure %zu is %lld on one thread, %lld on two",
			              days[i], k, (long long)x[k], (long long)y[k]);
		ck_assert_int_gt(one.kpi.customers, 0);
		ck_assert_int_gt(one.kpi.measured, 0);
	}
}
END_TEST

/* The figures of every account (a dashboard's first screen, a report at
 * another date) say how far they have come as they are computed: rising,
 * and once at the end, the whole; told nothing once no one listens. */
struct told {
	uint64_t done[64], total;
	int n;
	bool other_total;
};

static void told(void *ctx, uint64_t done, uint64_t total)
{
	struct told *t = ctx;
	if (t->n && total != t->total)
		t->other_total = true;
	t->total = total;
	if (t->n < 64)
		t->done[t->n] = done;
	t->n++;
}

START_TEST(the_figures_of_every_account_say_how_far_they_have_come)
{
	open_new();
	ck_assert_int_eq(qpc_store_begin(st, &err), QPC_OK);
	for (int i = 1; i <= 9000; i++) {
		char ext[16], name[32];
		snprintf(ext, sizeof ext, "P%d", i);
		snprintf(name, sizeof name, "Progress %d", i);
		account(ext, name);
	}
	ck_assert_msg(qpc_store_commit(st, &err) == QPC_OK, "%s", err.msg);
	struct told t = { .n = 0 };
	qpc_store_on_progress(st, told, &t);
	struct qpc_report r;
	ck_assert_msg(qpc_store_report(st, D("2026-06-30"), &r, &err) == QPC_OK, "%s", err.msg);
	/* 9,000 accounts: twice on the way (every 4,096), once at the end */
	ck_assert_int_eq(t.n, 3);
	ck_assert(!t.other_total);
	ck_assert_uint_ge(t.total, 9000);
	ck_assert_uint_lt(t.done[0], t.done[1]);
	ck_assert_uint_lt(t.done[1], t.total);
	ck_assert_uint_eq(t.done[2], t.total);
	qpc_store_on_progress(st, NULL, NULL);
	ck_assert_msg(qpc_store_report(st, D("2026-05-31"), &r, &err) == QPC_OK, "%s", err.msg);
	ck_assert_int_eq(t.n, 3);
}
END_TEST

START_TEST(templates_need_a_name_and_distinct_steps)
{
	open_new();
	const char *const dup[] = { "Meets the CFO", "Visits the plant", " meets the cfo " };
	const char *const blank[] = { "Meets the CFO", "  " };
	const char *const fine[] = { "Meets the CFO", "Visits the plant" };
	ck_assert_int_eq(qpc_store_template_create(st, "", fine, 2, NULL, &err), QPC_ERR_USAGE);
	ck_assert_msg(strstr(err.msg, "needs a name"), "%s", err.msg);
	ck_assert_int_eq(qpc_store_template_create(st, " ", fine, 2, NULL, &err), QPC_ERR_USAGE);
	ck_assert_int_eq(qpc_store_template_create(st, "Key", dup, 3, NULL, &err), QPC_ERR_USAGE);
	ck_assert_msg(strstr(err.msg, "steps 1 and 3 say the same"), "%s", err.msg);
	ck_assert_int_eq(qpc_store_template_create(st, "Key", blank, 2, NULL, &err), QPC_ERR_USAGE);
	ck_assert_msg(strstr(err.msg, "step 2 needs its text"), "%s", err.msg);
	ck_assert_int_eq(qpc_store_template_create(st, "partner CHECKLIST", fine, 2, NULL, &err),
	                 QPC_ERR_USAGE);
	ck_assert_msg(strstr(err.msg, "already a template named"), "%s", err.msg);
	ck_assert_msg(qpc_store_template_create(st, "Key", fine, 2, NULL, &err) == QPC_OK, "%s",
	              err.msg);
	ck_assert_int_eq(qpc_template_step_add(st, "Key", "VISITS the plant", 0, &err), QPC_ERR_USAGE);
	ck_assert_msg(strstr(err.msg, "step 2 already says that"), "%s", err.msg);
	ck_assert_int_eq(qpc_template_step_add(st, "Key", "", 0, &err), QPC_ERR_USAGE);
	ck_assert_int_eq(qpc_template_rename(st, "Key", " ", &err), QPC_ERR_USAGE);
	/* a retired step may come back */
	ck_assert_int_eq(qpc_template_step_retire(st, "Key", 2, &err), QPC_OK);
	ck_assert_msg(qpc_template_step_add(st, "Key", "Visits the plant", 0, &err) == QPC_OK, "%s",
	              err.msg);
	qpc_store_close(st);
	st = NULL;
	ck_assert_int_eq(raw_int("SELECT count(*) FROM template"), 2);
	ck_assert_int_eq(raw_int("SELECT count(*) FROM template_step t JOIN template p"
	                         " ON p.id = t.template_id WHERE p.name = 'Key'"),
	                 3);
}
END_TEST

Suite *store_suite(void)
{
	Suite *s = suite_create("store");
	TCase *tc = tcase_create("open");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, create_makes_folder_and_private_file);
	tcase_add_test(tc, missing_folder_and_not_a_database);
	tcase_add_test(tc, foreign_sqlite_file_refused);
	tcase_add_test(tc, newer_schema_refused_and_untouched);
	tcase_add_test(tc, negative_schema_refused_as_damaged);
	tcase_add_test(tc, migrates_version_1_in_place);
	tcase_add_test(tc, read_only_needs_no_migration_to_refuse);
	tcase_add_test(tc, settings_validate);
	suite_add_tcase(s, tc);
	tc = tcase_create("figures");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, sales_window_and_fallback);
	tcase_add_test(tc, account_figure_when_no_lines);
	tcase_add_test(tc, status_history_moves_forward_only);
	tcase_add_test(tc, history_sees_end_of_transaction_only);
	tcase_add_test(tc, rollback_leaves_nothing);
	tcase_add_test(tc, goal_counts_partners_made_that_year);
	tcase_add_test(tc, find_by_id_or_unique_name);
	tcase_add_test(tc, candidates_and_ticks);
	tcase_add_test(tc, one_absurd_account_does_not_block_the_report);
	tcase_add_test(tc, a_refresh_that_cannot_write_changes_nothing);
	tcase_add_test(tc, kept_figures_keep_their_date);
	tcase_add_test(tc, figures_on_two_threads_are_those_of_one);
	tcase_add_test(tc, the_figures_of_every_account_say_how_far_they_have_come);
	suite_add_tcase(s, tc);

	tc = tcase_create("templates");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, templates_need_a_name_and_distinct_steps);
	suite_add_tcase(s, tc);
	return s;
}
