/* check_query.c — the store's query layer (src/store/internal.h): one row
 * or none, a failure never read as "no row"; one number in a line; a
 * transaction around a function; a statement cache that cannot fill up. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../src/store/internal.h"
#include "tests.h"

static char dir[64], path[128];
static struct qpc_store *st;
static struct qpc_error err;

static void setup(void)
{
	scratch_make(dir, sizeof dir, "query");
	snprintf(path, sizeof path, "%s/q.db", dir);
	memset(&err, 0, sizeof err);
	ck_assert_msg(store_new(path, &st, &err) == QPC_OK, "%s", err.msg);
	ck_assert_int_eq(st_exec(st, "CREATE TEMP TABLE t(v INTEGER)", &err), QPC_OK);
}

static void teardown(void)
{
	qpc_store_close(st);
	scratch_remove(dir);
}

/* abs() of the smallest integer overflows when the row is stepped to:
 * a statement that prepares and then fails. */
#define FAILS_WHEN_STEPPED "SELECT abs(-9223372036854775807 - 1)"

START_TEST(a_failed_step_is_an_error_not_no_row)
{
	sqlite3_stmt *s;
	bool found = true;
	ck_assert_int_eq(st_prepare(st, &s, "SELECT 1 WHERE 0", &err), QPC_OK);
	ck_assert_int_eq(st_row(st, s, &found, "looking", &err), QPC_OK);
	ck_assert(!found);
	sqlite3_finalize(s);
	ck_assert_int_eq(st_prepare(st, &s, "SELECT 7", &err), QPC_OK);
	ck_assert_int_eq(st_row(st, s, &found, "looking", &err), QPC_OK);
	ck_assert(found && sqlite3_column_int(s, 0) == 7);
	sqlite3_finalize(s);
	ck_assert_int_eq(st_prepare(st, &s, FAILS_WHEN_STEPPED, &err), QPC_OK);
	ck_assert_int_ne(st_row(st, s, &found, "summing the sales", &err), QPC_OK);
	ck_assert(!found);
	ck_assert_msg(strstr(err.msg, "summing the sales") && strstr(err.msg, "overflow"), "%s",
	              err.msg);
	sqlite3_finalize(s);
}
END_TEST

START_TEST(one_number_in_a_line)
{
	int64_t v = 5;
	ck_assert_int_eq(st_exec(st, "INSERT INTO t VALUES (1), (2), (3), (NULL)", &err), QPC_OK);
	ck_assert_int_eq(ST_INT(st, &v, -1, "counting", &err, "SELECT count(*) FROM t WHERE v >= ?1", 2),
	                 QPC_OK);
	ck_assert_int_eq(v, 2);
	ck_assert_int_eq(ST_INT(st, &v, -1, "counting", &err,
	                        "SELECT sum(v) FROM t WHERE v BETWEEN ?1 AND ?2", 1, 2),
	                 QPC_OK);
	ck_assert_int_eq(v, 3);
	/* no row, and NULL, give the default */
	ck_assert_int_eq(ST_INT(st, &v, -1, "reading", &err, "SELECT v FROM t WHERE v = ?1", 9), QPC_OK);
	ck_assert_int_eq(v, -1);
	ck_assert_int_eq(st_int(st, &v, -2, "reading", "SELECT v FROM t WHERE v IS NULL", NULL, 0, &err),
	                 QPC_OK);
	ck_assert_int_eq(v, -2);
	/* a failure is the error, the default stays in *out */
	ck_assert_int_ne(st_int(st, &v, 0, "adding up", FAILS_WHEN_STEPPED, NULL, 0, &err), QPC_OK);
	ck_assert_msg(strstr(err.msg, "adding up"), "%s", err.msg);
	ck_assert_int_ne(st_int(st, &v, 0, "reading", "SELECT nope FROM t", NULL, 0, &err), QPC_OK);
}
END_TEST

static enum qpc_rc insert_then(struct qpc_store *s, void *ctx, struct qpc_error *e)
{
	enum qpc_rc rc = st_exec(s, "INSERT INTO t VALUES (42)", e);
	return rc ? rc : *(bool *)ctx ? qpc_error_set(e, QPC_ERR_DATA, "changed my mind") : QPC_OK;
}

START_TEST(a_transaction_around_a_function)
{
	int64_t n;
	bool fail = true;
	ck_assert_int_eq(st_tx(st, insert_then, &fail, &err), QPC_ERR_DATA);
	ck_assert_str_eq(err.msg, "changed my mind");
	ck_assert_int_eq(st_int(st, &n, -1, "counting", "SELECT count(*) FROM t", NULL, 0, &err), QPC_OK);
	ck_assert_int_eq(n, 0);
	fail = false;
	ck_assert_int_eq(st_tx(st, insert_then, &fail, &err), QPC_OK);
	ck_assert_int_eq(st_int(st, &n, -1, "counting", "SELECT count(*) FROM t", NULL, 0, &err), QPC_OK);
	ck_assert_int_eq(n, 1);
}
END_TEST

START_TEST(the_statement_cache_cannot_fill_up)
{
	/* 300 statements, each its own SQL at its own address */
	static char sql[300][32];
	static sqlite3_stmt *first[300];
	for (int i = 0; i < 300; i++) {
		snprintf(sql[i], sizeof sql[i], "SELECT %d + ?1", i);
		ck_assert_msg(st_cached(st, &first[i], sql[i], &err) == QPC_OK, "%d: %s", i, err.msg);
		sqlite3_bind_int(first[i], 1, 1);
		ck_assert_int_eq(sqlite3_step(first[i]), SQLITE_ROW);
		ck_assert_int_eq(sqlite3_column_int(first[i], 0), i + 1);
	}
	/* each comes back prepared once, reset, its bindings cleared */
	for (int i = 0; i < 300; i += 37) {
		sqlite3_stmt *again;
		ck_assert_int_eq(st_cached(st, &again, sql[i], &err), QPC_OK);
		ck_assert_ptr_eq(again, first[i]);
		ck_assert_int_eq(sqlite3_step(again), SQLITE_ROW);
		ck_assert_int_eq(sqlite3_column_type(again, 0), SQLITE_NULL); /* i + NULL */
	}
}
END_TEST

/* What --db names: a server's address (libpq's URI or settings), else a
 * file's path, however odd. */
START_TEST(a_server_address_or_a_path)
{
	static const char *const servers[] = {
		"postgresql://db.example.com/sales", "POSTGRES://x", "postgresql:///qpc?host=/tmp",
		"service=team", "host=db dbname=sales", "dbname=qpc",
	};
	static const char *const paths[] = {
		"team.db", "./postgresql:/x", "postgresql:/x", "service", "Service=team",
		"my service=team", "/tmp/host=x", "=host", "sslmodes=x", "",
	};
	for (size_t i = 0; i < sizeof servers / sizeof *servers; i++)
		ck_assert_msg(qpc_store_is_server(servers[i]), "%s", servers[i]);
	for (size_t i = 0; i < sizeof paths / sizeof *paths; i++)
		ck_assert_msg(!qpc_store_is_server(paths[i]), "%s", paths[i]);
}
END_TEST

/* A file has no logins: the user operations say so, in the store's table
 * of backend operations, and change nothing. */
START_TEST(a_file_has_no_logins)
{
	enum qpc_role r;
	ck_assert(!qpc_store_role(st, &r));
	ck_assert_int_eq(qpc_store_user_add(st, "ana", QPC_ROLE_REP, "", &err), QPC_ERR_USAGE);
	ck_assert_ptr_nonnull(strstr(err.msg, "belongs to a team server"));
	ck_assert_int_eq(qpc_store_user_rm(st, "ana", &err), QPC_ERR_USAGE);
	ck_assert_int_eq(qpc_store_user_set_role(st, "ana", QPC_ROLE_ADMIN, &err), QPC_ERR_USAGE);
	ck_assert_int_eq(qpc_store_user_set_owner(st, "ana", "Ana", &err), QPC_ERR_USAGE);
	ck_assert_int_eq(qpc_store_users_each(st, NULL, NULL, &err), QPC_ERR_USAGE);
	int64_t n = -1;
	ck_assert_int_eq(ST_INT(st, &n, -1, "counting", &err, "SELECT count(*) FROM history WHERE ?1", 1),
	                 QPC_OK);
	ck_assert_int_eq(n, 0);
	ck_assert(qpc_role_parse("manager", &r) && r == QPC_ROLE_MANAGER);
	ck_assert(!qpc_role_parse("Manager", &r) && !qpc_role_parse("", &r));
	ck_assert_str_eq(qpc_role_name(QPC_ROLE_ADMIN), "admin");
}
END_TEST

/* The server is sent $n for ?N and :name, and no main.; quoted text,
 * identifiers, comments and casts stay as written. */
START_TEST(the_servers_words)
{
	static const struct {
		const char *in, *out;
		int n;
		const char *name; /* a parameter, and its index */
		int at;
	} cases[] = {
		{ "SELECT ?1 + ?2, ?1", "SELECT $1 + $2, $1", 2, ":x", 0 },
		{ "SELECT ?, ?", "SELECT $1, $2", 2, NULL, 0 },
		{ "UPDATE t SET a = :a WHERE id = :id AND b = :a", "UPDATE t SET a = $1 WHERE id = $2 AND b = $1",
		  2, ":id", 2 },
		{ "SELECT ':no', \":no\", 'it''s ?1', x::text -- :no ?3\n, :yes",
		  "SELECT ':no', \":no\", 'it''s ?1', x::text -- :no ?3\n, $1", 1, "yes", 1 },
		{ "SELECT name FROM t ORDER BY name COLLATE QPC_NAME, name COLLATE QPC_NAMES",
		  "SELECT name FROM t ORDER BY name COLLATE \"und-x-icu\", name COLLATE QPC_NAMES", 0, NULL, 0 },
		{ "SELECT ?7", "SELECT $7", 7, NULL, 0 },
		/* the file's own table is the server's table; a word ending
		 * in main, or main in quotes, stays */
		{ "SELECT a.id FROM main.account a JOIN domain.x, \"main.y\" WHERE main.a = 1",
		  "SELECT a.id FROM account a JOIN domain.x, \"main.y\" WHERE a = 1", 0, NULL, 0 },
		/* the file's index hint goes: the server plans its own */
		{ "SELECT id FROM sale INDEXED BY sale_by_date WHERE d > :from",
		  "SELECT id FROM sale  WHERE d > $1", 1, ":from", 1 },
		{ "SELECT 'INDEXED BY x', NOT_INDEXED BY", "SELECT 'INDEXED BY x', NOT_INDEXED BY", 0,
		  NULL, 0 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct st_pg_q *q;
		ck_assert_int_eq(st_pg_q_prepare(st, &q, cases[i].in, &err), QPC_OK);
		ck_assert_str_eq(st_pg_q_sql(q), cases[i].out);
		if (cases[i].name)
			ck_assert_int_eq(st_pg_q_index(q, cases[i].name), cases[i].at);
		st_pg_q_bind(q, cases[i].n + 1, "past the last: ignored");
		st_pg_q_free(q);
	}
	/* a block comment is left alone too */
	struct st_pg_q *q;
	ck_assert_int_eq(st_pg_q_prepare(st, &q, "SELECT /* :no ? */ :yes", &err), QPC_OK);
	ck_assert_str_eq(st_pg_q_sql(q), "SELECT /* :no ? */ $1");
	st_pg_q_free(q);
	ck_assert_int_eq(st_pg_q_prepare(st, &q, "SELECT ?65", &err), QPC_ERR_DB);
	ck_assert_ptr_null(q);
	/* both kinds in one: refused, as SQLite would number them apart */
	ck_assert_int_eq(st_pg_q_prepare(st, &q, "SELECT :a, ?", &err), QPC_ERR_DB);
	ck_assert_ptr_null(q);
}
END_TEST

/* The same code on a file: ?N and :name, a NULL bound and read, a
 * constraint told apart from other failures. */
START_TEST(one_query_layer_on_a_file)
{
	ck_assert_int_eq(st_exec(st, "CREATE TEMP TABLE u(k TEXT UNIQUE, v INTEGER)", &err), QPC_OK);
	struct st_q *q;
	ck_assert_int_eq(st_q_prepare(st, &q, "INSERT INTO u VALUES (:k, :v)", &err), QPC_OK);
	st_q_set_text(q, ":k", "a");
	st_q_set_int(q, ":v", INT64_MAX);
	ck_assert_int_eq(st_q_step(q), ST_DONE);
	st_q_reset(q);
	ck_assert_int_eq(st_q_step(q), ST_CONSTRAINT);
	st_q_reset(q);
	st_q_set_text(q, ":k", NULL);
	st_q_set_int(q, ":nothing", 1); /* not in the SQL: nothing bound */
	ck_assert_int_eq(st_q_step(q), ST_DONE);
	st_q_free(q);
	ck_assert_int_eq(st_q_prepare(st, &q, "SELECT k, v FROM u ORDER BY k IS NULL", &err), QPC_OK);
	ck_assert_int_eq(st_q_step(q), ST_ROW);
	ck_assert_str_eq(st_q_text_at(q, 0), "a");
	ck_assert(st_q_int_at(q, 1) == INT64_MAX);
	ck_assert_int_eq(st_q_step(q), ST_ROW);
	ck_assert(st_q_null_at(q, 0) && st_q_text_at(q, 0) == NULL);
	ck_assert_int_eq(st_q_step(q), ST_DONE);
	st_q_free(q);
	ck_assert_int_eq(st_q_prepare(st, &q, FAILS_WHEN_STEPPED, &err), QPC_OK);
	ck_assert_int_eq(st_q_step(q), ST_FAILED);
	ck_assert_int_eq(st_q_fail(q, "adding up", &err), QPC_ERR_DB);
	ck_assert_ptr_nonnull(strstr(err.msg, "adding up"));
	st_q_free(q);
}
END_TEST

Suite *query_suite(void)
{
	Suite *s = suite_create("query");
	TCase *tc = tcase_create("query");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, a_failed_step_is_an_error_not_no_row);
	tcase_add_test(tc, one_number_in_a_line);
	tcase_add_test(tc, a_transaction_around_a_function);
	tcase_add_test(tc, the_statement_cache_cannot_fill_up);
	tcase_add_test(tc, a_server_address_or_a_path);
	tcase_add_test(tc, a_file_has_no_logins);
	tcase_add_test(tc, the_servers_words);
	tcase_add_test(tc, one_query_layer_on_a_file);
	suite_add_tcase(s, tc);
	return s;
}
