/* check_files.c — files and people: who may open the database, what a
 * reader leaves behind, and files that are not databases at all. */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "qpc/store.h"
#include "tests.h"

#define NOBODY 65534 /* a reader, when the tests run as root */
#define OWNER 1      /* an owner who is not root (daemon) */

static char dir[64], shared[96], path[128];
static struct qpc_error err;

static void setup(void)
{
	scratch_make(dir, sizeof dir, "files");
	/* a folder anyone may write in, as a team's shared folder or /tmp:
	 * a reader could leave files there */
	snprintf(shared, sizeof shared, "%s/shared", dir);
	ck_assert_int_eq(mkdir(shared, 0777), 0);
	ck_assert_int_eq(chmod(shared, 0777), 0);
	ck_assert_int_eq(chmod(dir, 0755), 0);
	snprintf(path, sizeof path, "%s/team.db", shared);
	memset(&err, 0, sizeof err);
}

static void teardown(void)
{
	scratch_remove(dir);
}

static bool exists(const char *suffix)
{
	char p[160];
	snprintf(p, sizeof p, "%s%s", path, suffix);
	return access(p, F_OK) == 0;
}

/* A database with a goal of `target` partners for 2027, readable by all. */
static struct qpc_store *make_db(int64_t target, bool keep_open)
{
	struct qpc_store *st;
	ck_assert_msg(qpc_store_open(path, QPC_OPEN_CREATE, &st, &err) == QPC_OK, "%s", err.msg);
	qpc_store_close(st);
	ck_assert_int_eq(chmod(path, 0644), 0); /* shared for reading */
	ck_assert_msg(qpc_store_open(path, QPC_OPEN_EXISTING, &st, &err) == QPC_OK, "%s", err.msg);
	qpc_store_set_actor(st, "owner", 1795000000);
	ck_assert_msg(qpc_store_goal_set(st, 2027, target, &err) == QPC_OK, "%s", err.msg);
	if (keep_open)
		return st;
	qpc_store_close(st);
	return NULL;
}

/* Runs fn in a child process as `uid` (when the tests run as root), and
 * returns its exit status: 0 when fn said all was well.  Not as root, the
 * child is the same user, and the caller takes write access away with
 * chmod instead. */
static int as_user(uid_t uid, int (*fn)(void))
{
	fflush(NULL);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		if (geteuid() == 0 && (setgroups(0, NULL) != 0 || setgid(uid) != 0 || setuid(uid) != 0))
			_exit(90);
		_exit(fn());
	}
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 100 + WTERMSIG(status);
}

static int64_t expect_target;

/* The reader's part: it reads, is refused a change with the cause named,
 * and says what went wrong on stderr (the child has no Check). */
static int read_and_be_refused(void)
{
	struct qpc_store *st;
	struct qpc_error e = { 0 };
	struct qpc_goal g;
	qpc_date d;
	qpc_date_parse_iso("2027-06-30", &d);
	if (qpc_store_open(path, QPC_OPEN_EXISTING, &st, &e) != QPC_OK) {
		fprintf(stderr, "reader: open: %s\n", e.msg);
		return 1;
	}
	int bad = 0;
	if (!qpc_store_readonly(st))
		bad = 2, fprintf(stderr, "reader: not read-only\n");
	if (qpc_store_goal_progress(st, 2027, d, &g, &e) != QPC_OK || g.target != expect_target)
		bad = 3, fprintf(stderr, "reader: goal %lld, not %lld (%s)\n", (long long)g.target,
		                 (long long)expect_target, e.msg);
	enum qpc_rc rc = qpc_store_goal_set(st, 2027, 99, &e);
	if (rc != QPC_ERR_READONLY || !strstr(e.msg, "cannot write") || !strstr(e.msg, path) ||
	    !strstr(e.msg, "permission denied"))
		bad = 4, fprintf(stderr, "reader: refused with %d: %s\n", rc, e.msg);
	qpc_store_close(st);
	return bad;
}

START_TEST(a_reader_who_cannot_write_leaves_nothing_behind)
{
	make_db(5, false);
	ck_assert(!exists("-wal") && !exists("-shm"));
	if (geteuid() != 0)
		ck_assert_int_eq(chmod(path, 0444), 0);
	expect_target = 5;
	int status = as_user(NOBODY, read_and_be_refused);
	ck_assert_msg(!exists("-wal") && !exists("-shm"), "the reader left its -wal or -shm behind");
	ck_assert_int_eq(status, 0);
	/* and the owner writes as before */
	ck_assert_int_eq(chmod(path, 0644), 0);
	struct qpc_store *st;
	ck_assert_int_eq(qpc_store_open(path, QPC_OPEN_EXISTING, &st, &err), QPC_OK);
	ck_assert(!qpc_store_readonly(st));
	ck_assert_msg(qpc_store_goal_set(st, 2027, 6, &err) == QPC_OK, "%s", err.msg);
	qpc_store_close(st);
}
END_TEST

/* While the owner works, the changes wait in the -wal: the reader reads
 * them through the owner's files, and leaves them the owner's. */
START_TEST(a_reader_reads_through_a_writers_files)
{
	struct qpc_store *st = make_db(7, true);
	ck_assert(exists("-wal") && exists("-shm"));
	if (geteuid() != 0)
		ck_assert_int_eq(chmod(path, 0444), 0);
	expect_target = 7;
	ck_assert_int_eq(as_user(NOBODY, read_and_be_refused), 0);
	char shm[160];
	snprintf(shm, sizeof shm, "%s-shm", path);
	struct stat sb;
	ck_assert_int_eq(stat(shm, &sb), 0);
	ck_assert_int_eq(sb.st_uid, geteuid());
	if (geteuid() != 0)
		ck_assert_int_eq(chmod(path, 0644), 0);
	ck_assert_msg(qpc_store_goal_set(st, 2027, 8, &err) == QPC_OK, "%s", err.msg);
	qpc_store_close(st);
}
END_TEST

/* Someone else's -wal and -shm beside the owner's file (left by a reader
 * of an older qpc, or by another tool): the owner is told which file
 * stands in the way and why, not that the database is read-only. */
static int write_and_hear_why(void)
{
	struct qpc_store *st;
	struct qpc_error e = { 0 };
	if (qpc_store_open(path, QPC_OPEN_EXISTING, &st, &e) != QPC_OK) {
		fprintf(stderr, "owner: open: %s\n", e.msg);
		return 1;
	}
	enum qpc_rc rc = qpc_store_goal_set(st, 2027, 9, &e);
	qpc_store_close(st);
	if (rc != QPC_ERR_READONLY || !strstr(e.msg, "team.db-wal") ||
	    !strstr(e.msg, "permission denied") || !strstr(e.msg, "owner ")) {
		fprintf(stderr, "owner: refused with %d: %s\n", rc, e.msg);
		return 2;
	}
	return 0;
}

START_TEST(the_owner_hears_whose_files_stand_in_the_way)
{
	make_db(5, false);
	char aux[160];
	static const char *const suffix[] = { "-wal", "-shm" };
	for (int i = 0; i < 2; i++) {
		snprintf(aux, sizeof aux, "%s%s", path, suffix[i]);
		int fd = open(aux, O_WRONLY | O_CREAT | O_EXCL, 0644);
		ck_assert_int_ge(fd, 0);
		if (i == 1)
			ck_assert_int_eq(ftruncate(fd, 32768), 0);
		close(fd);
		if (geteuid() == 0)
			ck_assert_int_eq(chown(aux, NOBODY, NOBODY), 0);
		else
			ck_assert_int_eq(chmod(aux, 0444), 0);
	}
	if (geteuid() == 0) /* root may write anything: the owner is someone else */
		ck_assert_int_eq(chown(path, OWNER, OWNER), 0);
	ck_assert_int_eq(as_user(OWNER, write_and_hear_why), 0);
}
END_TEST

START_TEST(an_empty_file_is_made_a_database_only_by_init)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0644);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(chmod(path, 0644), 0);
	struct qpc_store *st;
	ck_assert_int_eq(qpc_store_open(path, QPC_OPEN_EXISTING, &st, &err), QPC_ERR_DATA);
	ck_assert_msg(strstr(err.msg, "is empty, not a qpc database") && strstr(err.msg, "qpc init"),
	              "%s", err.msg);
	struct stat sb;
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_eq(sb.st_size, 0);
	ck_assert(!exists("-wal") && !exists("-shm"));
	ck_assert_int_eq(qpc_store_open(path, QPC_OPEN_READONLY, &st, &err), QPC_ERR_DATA);
	/* init makes it a database, as private as one it creates */
	ck_assert_msg(qpc_store_open(path, QPC_OPEN_CREATE, &st, &err) == QPC_OK, "%s", err.msg);
	qpc_store_close(st);
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0600);
	ck_assert_int_eq(qpc_store_open(path, QPC_OPEN_EXISTING, &st, &err), QPC_OK);
	qpc_store_close(st);
}
END_TEST

START_TEST(what_is_not_a_regular_file_is_named)
{
	struct qpc_store *st;
	ck_assert_int_eq(qpc_store_open("/dev/null", QPC_OPEN_EXISTING, &st, &err), QPC_ERR_USAGE);
	ck_assert_msg(strstr(err.msg, "/dev/null is a device, not a regular file"), "%s", err.msg);
	ck_assert_int_eq(qpc_store_open("/dev/null", QPC_OPEN_CREATE, &st, &err), QPC_ERR_USAGE);
	char fifo[160];
	snprintf(fifo, sizeof fifo, "%s/pipe", shared);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	ck_assert_int_eq(qpc_store_open(fifo, QPC_OPEN_EXISTING, &st, &err), QPC_ERR_USAGE);
	ck_assert_msg(strstr(err.msg, "is a pipe (FIFO), not a regular file"), "%s", err.msg);
}
END_TEST

static void drop_table(const char *file, const char *table)
{
	sqlite3 *db;
	char sql[96];
	snprintf(sql, sizeof sql, "DROP TABLE %s", table);
	ck_assert_int_eq(sqlite3_open(file, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

START_TEST(a_dropped_table_is_damage)
{
	make_db(5, false);
	drop_table(path, "goal");
	struct qpc_store *st;
	ck_assert_int_eq(qpc_store_open(path, QPC_OPEN_EXISTING, &st, &err), QPC_ERR_DATA);
	ck_assert_msg(strstr(err.msg, "is damaged") && strstr(err.msg, "table goal is missing") &&
	                  strstr(err.msg, "backup"),
	              "%s", err.msg);
	ck_assert_int_eq(qpc_store_open(path, QPC_OPEN_READONLY, &st, &err), QPC_ERR_DATA);

	/* an old file is judged by its own version, before any migration */
	FILE *fp = fopen("tests/fixtures/schema-v1.sql", "r");
	ck_assert_msg(fp != NULL, "run the tests from the top of the tree");
	static char sql[65536];
	size_t n = fread(sql, 1, sizeof sql - 1, fp);
	fclose(fp);
	sql[n] = '\0';
	char old[160];
	snprintf(old, sizeof old, "%s/v1.db", shared);
	sqlite3 *db;
	ck_assert_int_eq(sqlite3_open(old, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
	drop_table(old, "tick");
	ck_assert_int_eq(qpc_store_open(old, QPC_OPEN_EXISTING, &st, &err), QPC_ERR_DATA);
	ck_assert_msg(strstr(err.msg, "table tick is missing"), "%s", err.msg);
	char bak[192];
	snprintf(bak, sizeof bak, "%s.schema1.bak", old);
	ck_assert_msg(access(bak, F_OK) != 0, "a damaged file was copied for a migration");
}
END_TEST

START_TEST(the_expected_tables_are_the_migrations_tables)
{
	ck_assert_msg(qpc_store_schema_selfcheck(&err) == QPC_OK, "%s", err.msg);
}
END_TEST

Suite *files_suite(void)
{
	Suite *s = suite_create("files");
	TCase *tc = tcase_create("people");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, a_reader_who_cannot_write_leaves_nothing_behind);
	tcase_add_test(tc, a_reader_reads_through_a_writers_files);
	tcase_add_test(tc, the_owner_hears_whose_files_stand_in_the_way);
	suite_add_tcase(s, tc);
	tc = tcase_create("not databases");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, an_empty_file_is_made_a_database_only_by_init);
	tcase_add_test(tc, what_is_not_a_regular_file_is_named);
	tcase_add_test(tc, a_dropped_table_is_damage);
	tcase_add_test(tc, the_expected_tables_are_the_migrations_tables);
	suite_add_tcase(s, tc);
	return s;
}
