/* check_hostile.c — hostile text and hostile sizes.
 *
 * SQL: strings full of quotes, %, _, --, statement breaks and would-be
 * parameters go in through every path a user's text takes into the store
 * (the store, edit and import APIs, and the mapping memory) and must come
 * back byte for byte, with the schema untouched: every statement binds.
 * A NUL cannot travel in a C string; in a CSV file it is refused.
 *
 * Sizes: a 1 MB field, a 100,000-column header, files that claim far more
 * than they hold, totals past 64 bits: a clear error or a correct result,
 * never a crash, with memory bounded by the record, not the claim.
 */
#include <fcntl.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "qpc/csvread.h"
#include "qpc/edit.h"
#include "qpc/import.h"
#include "qpc/ingest.h"
#include "qpc/lists.h"
#include "qpc/store.h"
#include "qpc/json.h"
#include "tests.h"

static char dir[64], dbpath[128];
static struct qpc_store *st;
static struct qpc_error err;
static struct import_opts opt;
static struct import_result res;

/* Every one is text to be kept as it is. */
static const char *const hostile[] = {
	"'; DROP TABLE account; --",
	"Robert'); DROP TABLE history; --",
	"O'Brien & \"Sons\"",
	"x' OR '1'='1",
	"100% _real_ deals",
	"%",
	"_",
	"%_%",
	"--",
	"/* comment */ ; SELECT 1; --",
	"?1 ?2 :name @who $x ?",
	"a\\b\\'c",
	"\"\"\"",
	"'",
	"''",
	"NULL",
	"\x1b[31mred\x1b[0m \x1b]0;title\x07",
	"two\nlines\r\nand\ttab",
	/* NOLINTNEXTLINE(bugprone-suspicious-missing-comma): split to end the \x escape */
	"\xe2\x80\xae" "desrever \xe2\x81\xa6isolate\xe2\x81\xa9",
	"Caf\xc3\xa9 \xe2\x98\x95 \xe6\x9d\xb1\xe4\xba\xac",
};
#define NHOSTILE ((int)(sizeof hostile / sizeof *hostile))

static void setup(void)
{
	scratch_make(dir, sizeof dir, "hostile");
	snprintf(dbpath, sizeof dbpath, "%s/qpc.db", dir);
	memset(&err, 0, sizeof err);
	ck_assert_msg(store_new(dbpath, &st, &err) == QPC_OK, "%s", err.msg);
	qpc_store_set_actor(st, "tester", 1795000000); /* 2026-11-17 */
	memset(&opt, 0, sizeof opt);
	ck_assert(qpc_date_parse_iso("2026-11-17", &opt.today));
	memset(&res, 0, sizeof res);
}

static void teardown(void)
{
	qpc_store_close(st);
	st = NULL;
	scratch_remove(dir);
}

/* --- reading behind the store's back, with bound parameters -------------- */

/* The text of the first column of sql's first row, bound to one integer
 * (when sql has a ?1), into buf; "(none)" when there is no row. */
static const char *raw_text(const char *sql, int64_t id, char *buf, size_t n)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	ck_assert_int_eq(sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	ck_assert_msg(sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK, "%s: %s", sql,
	              sqlite3_errmsg(db));
	if (sqlite3_bind_parameter_count(s) > 0)
		sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) == SQLITE_ROW)
		snprintf(buf, n, "%s", (const char *)sqlite3_column_text(s, 0));
	else
		snprintf(buf, n, "(none)");
	sqlite3_finalize(s);
	sqlite3_close(db);
	return buf;
}

static int64_t raw_int(const char *sql)
{
	char buf[64];
	return strtoll(raw_text(sql, 0, buf, sizeof buf), NULL, 10);
}

#define TEXT_IS(sql, id, want)                                                                \
	do {                                                                                       \
		char got_[4096];                                                                       \
		raw_text(sql, id, got_, sizeof got_);                                                  \
		ck_assert_msg(strcmp(got_, want) == 0, "%s (id %lld): got '%s', want '%s'", sql,     \
		              (long long)(id), got_, want);                                            \
	} while (0)

/* The schema as it was made: the same objects, and a sound file. */
static char schema0[16384];

static void schema_snapshot(char *buf, size_t n)
{
	raw_text("SELECT group_concat(type || ' ' || name, ', ') FROM (SELECT type, name FROM "
	         "sqlite_master ORDER BY name)",
	         0, buf, n);
}

static void schema_intact(void)
{
	char now[sizeof schema0], ic[64];
	/* a bulk import leaves indexes for the next refresh to build */
	qpc_date as_of;
	ck_assert(qpc_date_parse_iso("2026-11-17", &as_of));
	ck_assert_msg(qpc_store_refresh(st, as_of, &err) == QPC_OK, "%s", err.msg);
	schema_snapshot(now, sizeof now);
	ck_assert_str_eq(now, schema0);
	ck_assert_str_eq(raw_text("PRAGMA integrity_check", 0, ic, sizeof ic), "ok");
}

/* --- SQL: every path a user's text takes ----------------------------------- */

static int64_t account(const char *ext, const char *name)
{
	struct qpc_account_rec r = { .external_id = ext, .name = name };
	int64_t id;
	ck_assert_msg(qpc_store_account_insert(st, &r, &id, &err) == QPC_OK, "%s", err.msg);
	return id;
}

START_TEST(account_fields_and_find)
{
	schema_snapshot(schema0, sizeof schema0);
	int64_t ids[NHOSTILE];
	for (int i = 0; i < NHOSTILE; i++) {
		char ext[64];
		snprintf(ext, sizeof ext, "%s#%d", hostile[i], i);
		struct qpc_account_rec r = { .external_id = ext, .name = hostile[i], .owner = hostile[i],
			                     .segment = hostile[i], .city = hostile[i],
			                     .country = hostile[i], .notes = hostile[i] };
		ck_assert_msg(qpc_store_account_insert(st, &r, &ids[i], &err) == QPC_OK, "%d: %s", i,
		              err.msg);
	}
	for (int i = 0; i < NHOSTILE; i++) {
		char ext[64], five[1024];
		snprintf(ext, sizeof ext, "%s#%d", hostile[i], i);
		snprintf(five, sizeof five, "%s|%s|%s|%s|%s", hostile[i], hostile[i], hostile[i],
		         hostile[i], hostile[i]);
		TEXT_IS("SELECT name FROM account WHERE id = ?1", ids[i], hostile[i]);
		TEXT_IS("SELECT owner || '|' || segment || '|' || city || '|' || country || '|' || notes"
		        " FROM account WHERE id = ?1",
		        ids[i], five);
		TEXT_IS("SELECT external_id FROM account WHERE id = ?1", ids[i], ext);
		int64_t found = 0;
		ck_assert_msg(qpc_store_account_find(st, ext, &found, &err) == QPC_OK, "%s", err.msg);
		ck_assert_int_eq(found, ids[i]);
		ck_assert_msg(qpc_store_account_find(st, hostile[i], &found, &err) == QPC_OK, "%d: %s", i,
		              err.msg);
		ck_assert_int_eq(found, ids[i]);
	}
	/* a pattern is not a pattern: '%' finds only the account named '%' */
	int64_t found = 0;
	ck_assert_int_eq(qpc_store_account_find(st, "%", &found, &err), QPC_OK);
	ck_assert_int_eq(found, ids[5]);
	ck_assert_int_eq(qpc_store_account_find(st, "O%", &found, &err), QPC_ERR_NOTFOUND);
	ck_assert_int_eq(qpc_store_account_find(st, "_", &found, &err), QPC_OK);
	ck_assert_int_eq(found, ids[6]);
	ck_assert_int_eq(qpc_store_account_find(st, "' OR 1=1 --", &found, &err), QPC_ERR_NOTFOUND);
	/* a NUL ends a C string: what follows never reaches SQL */
	int64_t nul = account("NUL-1", "before\0'); DROP TABLE account; --");
	TEXT_IS("SELECT name FROM account WHERE id = ?1", nul, "before");
	ck_assert_int_eq(raw_int("SELECT count(*) FROM account"), NHOSTILE + 1);
	schema_intact();
}
END_TEST

START_TEST(categories_and_qpc_lines)
{
	schema_snapshot(schema0, sizeof schema0);
	int64_t a = account("A1", "Acme");
	qpc_date on;
	ck_assert(qpc_date_parse_iso("2026-11-01", &on));
	for (int i = 0; i < NHOSTILE; i++) {
		int64_t cat, again;
		char name[128];
		snprintf(name, sizeof name, "cat %s", hostile[i]);
		ck_assert_msg(qpc_store_category_ensure(st, name, &cat, &err) == QPC_OK, "%s", err.msg);
		ck_assert_int_eq(qpc_store_category_ensure(st, name, &again, &err), QPC_OK);
		ck_assert_int_eq(cat, again);
		TEXT_IS("SELECT name FROM category WHERE id = ?1", cat, name);
		/* through the editor: category and basis as typed */
		ck_assert_msg(qpc_edit_potential_set(st, a, hostile[i], 100 + i,
		                                     hostile[(i + 1) % NHOSTILE], false, on, &err) == QPC_OK,
		              "%d: %s", i, err.msg);
	}
	/* through the store: basis, measured_by and inputs */
	int64_t cat;
	ck_assert_int_eq(qpc_store_category_ensure(st, "cat %", &cat, &err), QPC_OK);
	struct qpc_potential_rec p = { .account_id = account("A2", "Beta"), .category_id = cat,
		                       .amount = 5, .basis = hostile[0], .measured_on = on,
		                       .measured_by = hostile[1], .inputs = hostile[16] };
	ck_assert_msg(qpc_store_potential_set(st, &p, &err) == QPC_OK, "%s", err.msg);
	TEXT_IS("SELECT basis || '|' || measured_by || '|' || inputs FROM potential WHERE account_id = ?1",
	        p.account_id,
	        "'; DROP TABLE account; --|Robert'); DROP TABLE history; --|"
	        "\x1b[31mred\x1b[0m \x1b]0;title\x07");

	struct qpc_qpc_sheet *sh = malloc(sizeof *sh);
	ck_assert_ptr_nonnull(sh);
	ck_assert_int_eq(qpc_edit_load(st, a, sh, &err), QPC_OK);
	ck_assert_int_eq(sh->nlines, NHOSTILE);
	for (int i = 0; i < NHOSTILE; i++) {
		int k;
		for (k = 0; k < sh->nlines; k++)
			if (strcmp(sh->lines[k].category, hostile[i]) == 0)
				break;
		ck_assert_msg(k < sh->nlines, "no line for category '%s'", hostile[i]);
		ck_assert_int_eq(sh->lines[k].amount, 100 + i);
		ck_assert_str_eq(sh->lines[k].basis, hostile[(i + 1) % NHOSTILE]);
	}
	free(sh);
	/* and removed by the same name */
	ck_assert_msg(qpc_edit_potential_rm(st, a, "%", &err) == QPC_OK, "%s", err.msg);
	ck_assert_int_eq(qpc_edit_potential_rm(st, a, "_", &err), QPC_OK);
	ck_assert_int_eq(raw_int("SELECT count(*) FROM potential"), NHOSTILE - 2 + 1);
	schema_intact();
}
END_TEST

struct seen {
	int rows;
	int found[NHOSTILE];
};

static int saw_change(const struct qpc_change *c, void *ctx)
{
	struct seen *s = ctx;
	s->rows++;
	for (int i = 0; i < NHOSTILE; i++)
		if ((c->new_value && strcmp(c->new_value, hostile[i]) == 0) ||
		    (c->old_value && strcmp(c->old_value, hostile[i]) == 0))
			s->found[i]++;
	return 0;
}

START_TEST(templates_ticks_drops_goals_history)
{
	schema_snapshot(schema0, sizeof schema0);
	int64_t tid;
	ck_assert_msg(qpc_store_template_create(st, hostile[0], hostile, NHOSTILE, &tid, &err) == QPC_OK,
	              "%s", err.msg);
	struct qpc_template *t = malloc(sizeof *t);
	ck_assert_ptr_nonnull(t);
	ck_assert_msg(qpc_template_get(st, hostile[0], t, &err) == QPC_OK, "%s", err.msg);
	ck_assert_str_eq(t->name, hostile[0]);
	ck_assert_int_eq(t->nsteps, NHOSTILE);
	for (int i = 0; i < NHOSTILE; i++)
		ck_assert_str_eq(t->steps[i].text, hostile[i]);
	/* renamed to another hostile name, found by it, and a step added */
	ck_assert_msg(qpc_template_rename(st, hostile[0], hostile[1], &err) == QPC_OK, "%s", err.msg);
	ck_assert_int_eq(qpc_template_get(st, hostile[0], t, &err), QPC_ERR_NOTFOUND);
	ck_assert_msg(qpc_template_step_add(st, hostile[1], "'); DELETE FROM tick; --", 1, &err) ==
	                      QPC_OK,
	              "%s", err.msg);
	ck_assert_int_eq(qpc_template_get(st, hostile[1], t, &err), QPC_OK);
	ck_assert_str_eq(t->steps[0].text, "'); DELETE FROM tick; --");
	ck_assert_int_eq(t->nsteps, NHOSTILE + 1);
	free(t);

	/* ticks with hostile notes, one by its hostile text */
	qpc_date on;
	ck_assert(qpc_date_parse_iso("2026-11-17", &on));
	int64_t a = account("C1", "Candidate");
	ck_assert_msg(qpc_store_candidate_add(st, a, tid, on, &err) == QPC_OK, "%s", err.msg);
	for (int i = 0; i < NHOSTILE; i++)
		ck_assert_msg(qpc_edit_tick(st, a, i + 2, NULL, hostile[NHOSTILE - 1 - i], &err) == QPC_OK,
		              "%d: %s", i, err.msg);
	ck_assert_msg(qpc_edit_tick(st, a, 0, "'); delete from TICK; --", hostile[4], &err) == QPC_OK,
	              "%s", err.msg);
	struct qpc_checklist *cl = malloc(sizeof *cl);
	ck_assert_ptr_nonnull(cl);
	ck_assert_int_eq(qpc_edit_checklist(st, a, cl, &err), QPC_OK);
	ck_assert_str_eq(cl->template_name, hostile[1]);
	ck_assert_int_eq(cl->nsteps, NHOSTILE + 1);
	ck_assert(cl->steps[0].ticked);
	ck_assert_str_eq(cl->steps[0].note, hostile[4]);
	for (int i = 0; i < NHOSTILE; i++) {
		ck_assert(cl->steps[i + 1].ticked);
		ck_assert_str_eq(cl->steps[i + 1].text, hostile[i]);
		ck_assert_str_eq(cl->steps[i + 1].note, hostile[NHOSTILE - 1 - i]);
	}
	free(cl);
	ck_assert_msg(qpc_edit_untick(st, a, 0, hostile[5], &err) == QPC_OK, "%s", err.msg);
	ck_assert_int_eq(raw_int("SELECT count(*) FROM tick"), NHOSTILE);

	/* a candidacy dropped for a hostile reason; a goal */
	ck_assert_msg(qpc_edit_candidate_drop(st, a, hostile[2], on, &err) == QPC_OK, "%s", err.msg);
	TEXT_IS("SELECT drop_reason FROM candidate WHERE account_id = ?1", a, hostile[2]);
	ck_assert_int_eq(qpc_store_goal_set(st, 2027, 12, &err), QPC_OK);
	TEXT_IS("SELECT target FROM goal WHERE year = ?1", 2027, "12");
	/* settings refuse what they do not know, and change nothing */
	ck_assert_int_eq(qpc_store_setting_set(st, hostile[0], "1", &err), QPC_ERR_USAGE);
	ck_assert_int_eq(qpc_store_setting_set(st, "currency", "'; DROP TABLE setting; --", &err),
	                 QPC_ERR_USAGE);
	ck_assert_int_eq(qpc_store_setting_set(st, "threshold", "0.5'; --", &err), QPC_ERR_USAGE);
	TEXT_IS("SELECT value FROM setting WHERE key = 'currency'", 0, "USD");

	/* the history holds every one of them as it was written */
	struct seen seen = { 0 };
	ck_assert_int_eq(qpc_history_each(st, 0, 0, saw_change, &seen, &err), QPC_OK);
	for (int i = 0; i < NHOSTILE; i++)
		ck_assert_msg(seen.found[i] > 0, "'%s' is not in the history", hostile[i]);
	ck_assert_int_eq(raw_int("SELECT count(*) FROM history WHERE entity = 'tick'"), NHOSTILE + 2);
	schema_intact();
}
END_TEST

/* --- SQL through the importer ------------------------------------------- */

static const char *write_file(const char *name, const char *content, size_t len)
{
	static char paths[4][256];
	static int k;
	char *p = paths[k++ % 4];
	snprintf(p, sizeof paths[0], "%s/%s", dir, name);
	FILE *fp = fopen(p, "wb");
	ck_assert_ptr_nonnull(fp);
	ck_assert_uint_eq(fwrite(content, 1, len, fp), len);
	ck_assert_int_eq(fclose(fp), 0);
	return p;
}

/* s as a quoted CSV field */
static void csv_cell(char *buf, size_t n, const char *s)
{
	size_t used = strlen(buf);
	buf[used++] = '"';
	for (; *s && used + 3 < n; s++) {
		if (*s == '"')
			buf[used++] = '"';
		buf[used++] = *s;
	}
	buf[used++] = '"';
	buf[used] = '\0';
}

static enum qpc_rc import(enum import_kind k, const char *path)
{
	opt.kind = k;
	opt.path = path;
	memset(&err, 0, sizeof err);
	return import_run(st, &opt, &res, &err);
}

struct rows {
	int n;
	char text[NHOSTILE][3][256];
};

static int saw_potential(const struct qpc_potential_row *r, void *ctx)
{
	struct rows *rows = ctx;
	if (rows->n < NHOSTILE) {
		snprintf(rows->text[rows->n][0], 256, "%s", r->name);
		snprintf(rows->text[rows->n][1], 256, "%s", r->category);
		snprintf(rows->text[rows->n][2], 256, "%s", r->basis);
	}
	rows->n++;
	return 0;
}

static int saw_sale(const struct qpc_sale_row *r, void *ctx)
{
	struct rows *rows = ctx;
	if (rows->n < NHOSTILE) {
		snprintf(rows->text[rows->n][0], 256, "%s", r->name);
		snprintf(rows->text[rows->n][1], 256, "%s", r->category);
		snprintf(rows->text[rows->n][2], 256, "%s", r->line_id);
	}
	rows->n++;
	return 0;
}

START_TEST(import_rows_and_mapping_memory)
{
	schema_snapshot(schema0, sizeof schema0);
	/* accounts: a hostile column name mapped by hand, hostile cells */
	static char csv[16384];
	snprintf(csv, sizeof csv, "External ID,\"Name'; DROP TABLE import_mapping; --\",Owner,City,"
	                          "Notes\r\n");
	for (int i = 0; i < NHOSTILE; i++) {
		char row[1024];
		snprintf(row, sizeof row, "H%d,", i);
		csv_cell(row, sizeof row, hostile[i]);
		strcat(row, ",");
		csv_cell(row, sizeof row, hostile[(i + 1) % NHOSTILE]);
		strcat(row, ",");
		csv_cell(row, sizeof row, hostile[(i + 2) % NHOSTILE]);
		strcat(row, ",");
		csv_cell(row, sizeof row, hostile[(i + 3) % NHOSTILE]);
		strcat(row, "\r\n");
		strcat(csv, row);
	}
	const char *path = write_file("accounts.csv", csv, strlen(csv));
	opt.maps[0] = "Name'; DROP TABLE import_mapping; --=name";
	opt.nmaps = 1;
	ck_assert_msg(import(IMPORT_ACCOUNTS, path) == QPC_OK, "%s %s", err.msg,
	              res.nerrors ? res.errors[0] : "");
	ck_assert_uint_eq(res.outcome[QPC_CREATED], NHOSTILE);
	for (int i = 0; i < NHOSTILE; i++) {
		char ext[16], want[1024];
		snprintf(ext, sizeof ext, "H%d", i);
		int64_t id;
		ck_assert_msg(qpc_store_account_find(st, ext, &id, &err) == QPC_OK, "%s", err.msg);
		snprintf(want, sizeof want, "%s|%s|%s|%s", hostile[i], hostile[(i + 1) % NHOSTILE],
		         hostile[(i + 2) % NHOSTILE], hostile[(i + 3) % NHOSTILE]);
		TEXT_IS("SELECT name || '|' || owner || '|' || city || '|' || notes FROM account"
		        " WHERE id = ?1",
		        id, want);
	}
	/* the mapping is remembered under that header, and used again */
	opt.nmaps = 0;
	ck_assert_int_eq(import(IMPORT_ACCOUNTS, path), QPC_OK);
	ck_assert(res.remembered);
	ck_assert_uint_eq(res.outcome[QPC_UNCHANGED], NHOSTILE);

	/* QPC lines: hostile categories and bases */
	snprintf(csv, sizeof csv, "External ID,Name,Category,Amount,Basis\n");
	for (int i = 0; i < NHOSTILE; i++) {
		char row[1024];
		snprintf(row, sizeof row, "H%d,", i);
		csv_cell(row, sizeof row, hostile[i]);
		strcat(row, ",");
		csv_cell(row, sizeof row, hostile[(i + 5) % NHOSTILE]);
		strcat(row, ",1000,");
		csv_cell(row, sizeof row, hostile[(i + 7) % NHOSTILE]);
		strcat(row, "\n");
		strcat(csv, row);
	}
	ck_assert_msg(import(IMPORT_POTENTIAL, write_file("qpc.csv", csv, strlen(csv))) == QPC_OK,
	              "%s %s", err.msg, res.nerrors ? res.errors[0] : "");
	struct rows *rows = calloc(1, sizeof *rows);
	ck_assert_ptr_nonnull(rows);
	ck_assert_int_eq(qpc_store_potential_each(st, saw_potential, rows, &err), QPC_OK);
	ck_assert_int_eq(rows->n, NHOSTILE);
	for (int i = 0; i < NHOSTILE; i++) {
		int k;
		for (k = 0; k < NHOSTILE && strcmp(rows->text[k][0], hostile[i]) != 0; k++)
			;
		ck_assert_msg(k < NHOSTILE, "no QPC line for '%s'", hostile[i]);
		ck_assert_str_eq(rows->text[k][1], hostile[(i + 5) % NHOSTILE]);
		ck_assert_str_eq(rows->text[k][2], hostile[(i + 7) % NHOSTILE]);
	}

	/* sales lines in qpc's own layout, whose line ids are kept as they are:
	 * hostile line ids and categories */
	snprintf(csv, sizeof csv, "external_id,name,date,category,amount,gross_profit,line_id\n");
	for (int i = 0; i < NHOSTILE; i++) {
		char row[1024];
		snprintf(row, sizeof row, "H%d,", i);
		csv_cell(row, sizeof row, hostile[i]);
		strcat(row, ",2026-10-01,");
		csv_cell(row, sizeof row, hostile[(i + 3) % NHOSTILE]);
		strcat(row, ",10.50,,");
		csv_cell(row, sizeof row, hostile[i]);
		strcat(row, "\n");
		strcat(csv, row);
	}
	ck_assert_msg(import(IMPORT_SALES, write_file("sales.csv", csv, strlen(csv))) == QPC_OK,
	              "%s %s", err.msg, res.nerrors ? res.errors[0] : "");
	memset(rows, 0, sizeof *rows);
	ck_assert_int_eq(qpc_store_sales_each(st, saw_sale, rows, &err), QPC_OK);
	ck_assert_int_eq(rows->n, NHOSTILE);
	for (int i = 0; i < NHOSTILE; i++) {
		int k;
		for (k = 0; k < NHOSTILE && strcmp(rows->text[k][2], hostile[i]) != 0; k++)
			;
		ck_assert_msg(k < NHOSTILE, "no sales line '%s'", hostile[i]);
		ck_assert_str_eq(rows->text[k][0], hostile[i]);
		ck_assert_str_eq(rows->text[k][1], hostile[(i + 3) % NHOSTILE]);
	}
	free(rows);
	ck_assert_int_eq(raw_int("SELECT count(*) FROM account"), NHOSTILE);
	schema_intact();
}
END_TEST

START_TEST(mapping_memory_api)
{
	schema_snapshot(schema0, sizeof schema0);
	for (int i = 0; i < NHOSTILE; i++) {
		char *m = NULL;
		ck_assert_int_eq(qpc_ingest_mapping_put(st, hostile[i], hostile[(i + 1) % NHOSTILE],
		                                        hostile[(i + 2) % NHOSTILE], &err),
		                 QPC_OK);
		ck_assert_int_eq(qpc_ingest_mapping_get(st, hostile[i], hostile[(i + 1) % NHOSTILE], &m,
		                                        &err),
		                 QPC_OK);
		ck_assert_ptr_nonnull(m);
		ck_assert_str_eq(m, hostile[(i + 2) % NHOSTILE]);
		free(m);
		/* a pattern finds nothing it does not spell */
		ck_assert_int_eq(qpc_ingest_mapping_get(st, "%", "%", &m, &err), QPC_OK);
		ck_assert_ptr_null(m);
	}
	ck_assert_int_eq(raw_int("SELECT count(*) FROM import_mapping"), NHOSTILE);
	schema_intact();
}
END_TEST

START_TEST(nul_in_a_file_is_refused)
{
	static const char utf8[] = "id,name\n1,a\0'); DROP TABLE account; --\n";
	ck_assert_int_eq(import(IMPORT_ACCOUNTS, write_file("nul.csv", utf8, sizeof utf8 - 1)),
	                 QPC_ERR_DATA);
	ck_assert_msg(strstr(err.msg, "line 2: NUL byte"), "%s", err.msg);
	/* UTF-16LE with a BOM: the character U+0000 */
	static const char utf16[] = "\xff\xfei\0d\0,\0n\0a\0m\0e\0\n\0" "1\0,\0a\0\0\0b\0\n\0";
	ck_assert_int_eq(import(IMPORT_ACCOUNTS, write_file("nul16.csv", utf16, sizeof utf16 - 1)),
	                 QPC_ERR_DATA);
	ck_assert_msg(strstr(err.msg, "line 2: NUL character"), "%s", err.msg);
	ck_assert_int_eq(raw_int("SELECT count(*) FROM account"), 0);
}
END_TEST

/* --- sizes ---------------------------------------------------------------- */

static long max_rss_kb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;
}

/* Peak memory grew by less than kb since rss0.  Not under AddressSanitizer,
 * whose quarantine keeps up to 256 MiB of freed blocks resident. */
#if defined(__SANITIZE_ADDRESS__)
#define RSS_GREW_LESS_THAN(rss0, kb) ((void)(rss0), (void)(kb))
#else
#define RSS_GREW_LESS_THAN(rss0, kb) ck_assert_int_lt(max_rss_kb() - (rss0), (kb))
#endif

START_TEST(megabyte_of_quotes_kept_whole)
{
	/* one field of 1 MiB of '"', written doubled inside quotes (2 MiB) */
	size_t n = (size_t)1 << 20, len = 0;
	char *csv = malloc(2 * n + 64);
	ck_assert_ptr_nonnull(csv);
	len += (size_t)sprintf(csv, "id,name,notes\nQ1,Quotes,\"");
	memset(csv + len, '"', 2 * n);
	len += 2 * n;
	len += (size_t)sprintf(csv + len, "\"\n");
	ck_assert_msg(import(IMPORT_ACCOUNTS, write_file("quotes.csv", csv, len)) == QPC_OK, "%s",
	              err.msg);
	free(csv);
	ck_assert_int_eq(raw_int("SELECT length(notes) FROM account"), (int64_t)n);
	ck_assert_int_eq(raw_int("SELECT length(replace(notes, '\"', '')) FROM account"), 0);
}
END_TEST

START_TEST(field_past_the_limit_is_a_clear_error)
{
	size_t n = CSVREAD_MAX_FIELD + 1, len = 0;
	char *csv = malloc(n + 64);
	ck_assert_ptr_nonnull(csv);
	len += (size_t)sprintf(csv, "id,name,notes\nQ1,Big,\"");
	memset(csv + len, 'x', n);
	len += n;
	len += (size_t)sprintf(csv + len, "\"\n");
	long rss0 = max_rss_kb();
	enum qpc_rc rc = import(IMPORT_ACCOUNTS, write_file("huge.csv", csv, len));
	free(csv);
	ck_assert_int_eq(rc, QPC_ERR_DATA);
	ck_assert_msg(strstr(err.msg, "line 2") && strstr(err.msg, "field 3"), "%s", err.msg);
	ck_assert_int_eq(raw_int("SELECT count(*) FROM account"), 0);
	/* the reader stops at the limit: it never holds much more than one field */
	RSS_GREW_LESS_THAN(rss0, 200 * 1024L);
}
END_TEST

/* A header of ncols columns (id, name, then c3...) and one row. */
static const char *wide_file(size_t ncols)
{
	size_t cap = ncols * 16 + 64, len = 0;
	char *csv = malloc(cap);
	ck_assert_ptr_nonnull(csv);
	len += (size_t)sprintf(csv, "id,name");
	for (size_t c = 3; c <= ncols; c++)
		len += (size_t)sprintf(csv + len, ",c%zu", c);
	len += (size_t)sprintf(csv + len, "\nW1,Wide");
	for (size_t c = 3; c <= ncols; c++)
		len += (size_t)sprintf(csv + len, ",%zu", c);
	csv[len++] = '\n';
	const char *p = write_file("wide.csv", csv, len);
	free(csv);
	return p;
}

START_TEST(hundred_thousand_columns)
{
	long rss0 = max_rss_kb();
	ck_assert_msg(import(IMPORT_ACCOUNTS, wide_file(CSVREAD_MAX_FIELDS)) == QPC_OK, "%s",
	              err.msg);
	ck_assert_int_eq(res.ncolumns, (int)CSVREAD_MAX_FIELDS);
	ck_assert_uint_eq(res.outcome[QPC_CREATED], 1);
	TEXT_IS("SELECT name FROM account WHERE external_id = 'W1'", 0, "Wide");
	/* the same layout again: remembered, unchanged */
	ck_assert_int_eq(import(IMPORT_ACCOUNTS, wide_file(CSVREAD_MAX_FIELDS)), QPC_OK);
	ck_assert(res.remembered);
	ck_assert_uint_eq(res.outcome[QPC_UNCHANGED], 1);
	RSS_GREW_LESS_THAN(rss0, 256 * 1024L);
	/* one column more is refused, saying where */
	ck_assert_int_eq(import(IMPORT_ACCOUNTS, wide_file(CSVREAD_MAX_FIELDS + 1)), QPC_ERR_DATA);
	ck_assert_msg(strstr(err.msg, "line 1") && strstr(err.msg, "100000"), "%s", err.msg);
}
END_TEST

START_TEST(files_that_claim_more_than_they_hold)
{
	long rss0 = max_rss_kb();
	/* a quoted field that never closes: the rest of the file would be in it */
	static const char open_quote[] = "id,name,notes\nA1,Acme,\"and then the file ends\n";
	ck_assert_int_eq(import(IMPORT_ACCOUNTS, write_file("open.csv", open_quote,
	                                                    sizeof open_quote - 1)),
	                 QPC_ERR_DATA);
	ck_assert_msg(strstr(err.msg, "line 2"), "%s", err.msg);
	/* a terabyte file that is a hole after its first two lines, as a
	 * preallocated or damaged download is: refused at the first NUL, read
	 * no further */
	static const char head[] = "id,name\nA1,Acme\n";
	const char *sparse = write_file("sparse.csv", head, sizeof head - 1);
	ck_assert_int_eq(truncate(sparse, (off_t)1 << 40), 0);
	ck_assert_int_eq(import(IMPORT_ACCOUNTS, sparse), QPC_ERR_DATA);
	ck_assert_msg(strstr(err.msg, "line 3: NUL byte at offset"), "%s", err.msg);
	/* no end at all */
	ck_assert_int_eq(import(IMPORT_ACCOUNTS, "/dev/zero"), QPC_ERR_DATA);
	ck_assert_msg(strstr(err.msg, "NUL byte"), "%s", err.msg);
	ck_assert_int_eq(import(IMPORT_ACCOUNTS, "/dev/urandom"), QPC_ERR_DATA);
	ck_assert_int_eq(raw_int("SELECT count(*) FROM account"), 0);
	RSS_GREW_LESS_THAN(rss0, 64 * 1024L);
}
END_TEST

START_TEST(totals_past_64_bits_saturate)
{
	/* each account's own figure is within range; their sum is not */
	for (int i = 0; i < 3; i++) {
		char ext[16];
		snprintf(ext, sizeof ext, "B%d", i);
		struct qpc_account_rec r = { .external_id = ext, .name = ext,
			                     .has_account_figure = true,
			                     .account_sales_12m = QPC_MONEY_MAX / 2,
			                     .has_account_gp = true, .account_gp_12m = QPC_MONEY_MAX / 2 };
		ck_assert_int_eq(qpc_store_account_insert(st, &r, NULL, &err), QPC_OK);
		ck_assert_int_eq(qpc_store_category_ensure(st, "Cat", &(int64_t){ 0 }, &err), QPC_OK);
	}
	struct qpc_report rep;
	qpc_date as_of;
	/* the figures are as of the day they were recorded */
	ck_assert(qpc_date_parse_iso("2026-11-18", &as_of));
	ck_assert_msg(qpc_store_report(st, as_of, &rep, &err) == QPC_OK, "%s", err.msg);
	ck_assert_int_eq(rep.kpi.accounts, 3);
	ck_assert_int_eq(rep.kpi.sales_12m, QPC_MONEY_MAX);
	ck_assert_int_eq(rep.kpi.gp_12m, QPC_MONEY_MAX);
	ck_assert(rep.kpi.overflow);
	ck_assert_int_ge(rep.kpi.sales_12m, 0);
}
END_TEST

START_TEST(import_refuses_amounts_beyond_a_trillion)
{
	static const char ok[] = "id,name,Sales 12m\nT1,Top,\"1,000,000,000,000.00\"\n";
	ck_assert_msg(import(IMPORT_ACCOUNTS, write_file("ok.csv", ok, sizeof ok - 1)) == QPC_OK, "%s",
	              res.nerrors ? res.errors[0] : err.msg);
	TEXT_IS("SELECT account_sales_12m FROM account WHERE external_id = 'T1'", 0,
	        "100000000000000");
	static const char *const beyond[] = { "1000000000000.01", "92233720368547758.08",
		                              "99999999999999999999999999", "-1000000000001" };
	for (size_t i = 0; i < sizeof beyond / sizeof *beyond; i++) {
		char csv[200];
		snprintf(csv, sizeof csv, "id,name,Sales 12m\nT2,Beyond,%s\n", beyond[i]);
		ck_assert_int_eq(import(IMPORT_ACCOUNTS, write_file("beyond.csv", csv, strlen(csv))),
		                 QPC_ERR_DATA);
		ck_assert_int_eq(res.rejected, 1);
		ck_assert_msg(strstr(res.errors[0], "beyond.csv:2:3:"), "%s", res.errors[0]);
	}
	/* a sales line, too */
	static const char sale[] = "Line ID,Customer ID,Customer,Date,Amount\n"
	                           "L1,T1,Top,2026-10-01,1000000000000.01\n";
	ck_assert_int_eq(import(IMPORT_SALES, write_file("sale.csv", sale, sizeof sale - 1)),
	                 QPC_ERR_DATA);
	ck_assert_msg(strstr(res.errors[0], "beyond what qpc accepts"), "%s", res.errors[0]);
	ck_assert_int_eq(raw_int("SELECT count(*) FROM account"), 1);
	ck_assert_int_eq(raw_int("SELECT count(*) FROM sale"), 0);
}
END_TEST

/* JSON output stays valid JSON whatever bytes the database holds. */
START_TEST(json_strings_are_valid_utf8)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);
	ck_assert_ptr_nonnull(fp);
	struct jsonw j;
	jsonw_init(&j, fp, false);
	jsonw_begin_object(&j, NULL);
	jsonw_string(&j, "a", "caf\xc3\xa9 \xe9t\xc3 \xf0\x9f\x98\x80\x1b[2J\xed\xa0\x80\xc3");
	jsonw_end_object(&j);
	jsonw_finish(&j);
	fclose(fp);
	/* é kept, the lone bytes, the surrogate and the cut sequence replaced,
	 * the emoji kept whole, ESC escaped */
	ck_assert_str_eq(buf, "{\"a\":\"caf\xc3\xa9 \\ufffdt\\ufffd \xf0\x9f\x98\x80\\u001b[2J"
	                      "\\ufffd\\ufffd\\ufffd\\ufffd\"}\n");
	free(buf);
}
END_TEST

Suite *hostile_suite(void)
{
	Suite *s = suite_create("hostile");
	TCase *tc = tcase_create("sql");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, account_fields_and_find);
	tcase_add_test(tc, categories_and_qpc_lines);
	tcase_add_test(tc, templates_ticks_drops_goals_history);
	tcase_add_test(tc, import_rows_and_mapping_memory);
	tcase_add_test(tc, mapping_memory_api);
	tcase_add_test(tc, nul_in_a_file_is_refused);
	suite_add_tcase(s, tc);

	tc = tcase_create("sizes");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, megabyte_of_quotes_kept_whole);
	tcase_add_test(tc, field_past_the_limit_is_a_clear_error);
	tcase_add_test(tc, hundred_thousand_columns);
	tcase_add_test(tc, files_that_claim_more_than_they_hold);
	tcase_add_test(tc, totals_past_64_bits_saturate);
	tcase_add_test(tc, import_refuses_amounts_beyond_a_trillion);
	tcase_add_test(tc, json_strings_are_valid_utf8);
	suite_add_tcase(s, tc);
	return s;
}
