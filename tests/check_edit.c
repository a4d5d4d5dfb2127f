/* check_edit.c — editing: versions and conflicts between two processes,
 * templates that keep ticks, goals across year boundaries, typed values. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "qpc/edit.h"
#include "qpc/lists.h"
#include "qpc/typed.h"
#include "tests.h"

static char dir[64], path[128];
static struct qpc_store *st;
static struct qpc_error err;

static qpc_date D(const char *iso)
{
	qpc_date d;
	ck_assert_msg(qpc_date_parse_iso(iso, &d), "bad date %s", iso);
	return d;
}

static struct qpc_store *open_as(const char *user)
{
	struct qpc_store *s;
	ck_assert_msg(store_new(path, &s, &err) == QPC_OK, "%s", err.msg);
	qpc_store_set_actor(s, user, 1795000000);
	return s;
}

static void setup(void)
{
	scratch_make(dir, sizeof dir, "edit");
	snprintf(path, sizeof path, "%s/qpc.db", dir);
	memset(&err, 0, sizeof err);
	st = open_as("alice");
}

static void teardown(void)
{
	qpc_store_close(st);
	scratch_remove(dir);
}

static int64_t account(const char *ext, const char *name)
{
	struct qpc_account_rec r = { .external_id = ext, .name = name };
	int64_t id;
	ck_assert_msg(qpc_store_account_insert(st, &r, &id, &err) == QPC_OK, "%s", err.msg);
	return id;
}

static void set(struct qpc_store *s, int64_t id, const char *cat, qpc_money amount)
{
	ck_assert_msg(qpc_edit_potential_set(s, id, cat, amount, "customer stated", true,
	                                     D("2026-11-01"), &err) == QPC_OK,
	              "%s", err.msg);
}

static struct qpc_line *line(struct qpc_qpc_sheet *sh, const char *cat)
{
	for (int i = 0; i < sh->nlines; i++)
		if (strcmp(sh->lines[i].category, cat) == 0)
			return &sh->lines[i];
	ck_abort_msg("no line %s", cat);
	return NULL;
}

START_TEST(save_writes_only_what_changed)
{
	int64_t a = account("A", "Acme");
	set(st, a, "Packaging", 100000);
	set(st, a, "Safety", 50000);
	struct qpc_qpc_sheet before, after;
	ck_assert_int_eq(qpc_edit_load(st, a, &before, &err), QPC_OK);
	ck_assert_int_eq(before.nlines, 2);
	after = before;
	line(&after, "Safety")->amount = 70000;
	/* a new category, and Packaging removed */
	after.lines[0] = after.lines[1];
	snprintf(after.lines[1].category, sizeof after.lines[1].category, "Print");
	after.lines[1].amount = 1000;
	after.lines[1].version = 0;
	ck_assert_msg(qpc_edit_save(st, &before, &after, false, &err) == QPC_OK, "%s", err.msg);
	struct qpc_qpc_sheet now;
	ck_assert_int_eq(qpc_edit_load(st, a, &now, &err), QPC_OK);
	ck_assert_int_eq(now.nlines, 2);
	ck_assert_int_eq(line(&now, "Safety")->amount, 70000);
	ck_assert_int_eq(line(&now, "Print")->amount, 1000);
	ck_assert_int_gt(line(&now, "Safety")->version, line(&before, "Safety")->version);
}
END_TEST

START_TEST(negative_amount_refused_whole)
{
	int64_t a = account("A", "Acme");
	set(st, a, "Packaging", 100000);
	struct qpc_qpc_sheet before, after, now;
	ck_assert_int_eq(qpc_edit_load(st, a, &before, &err), QPC_OK);
	after = before;
	after.has_rep_share = true;
	after.rep_share_bp = 9000;
	after.lines[0].amount = -5;
	ck_assert_int_eq(qpc_edit_save(st, &before, &after, false, &err), QPC_ERR_DATA);
	ck_assert_int_eq(qpc_edit_load(st, a, &now, &err), QPC_OK);
	ck_assert(!now.has_rep_share);
	ck_assert_int_eq(now.lines[0].amount, 100000);
}
END_TEST

/* Two processes: the parent loads, the child saves, the parent saves. */
static void child_saves(const char *cat, qpc_money amount, int ready_fd)
{
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct qpc_store *bruno = open_as("bruno");
		int64_t id;
		int ok = qpc_store_account_find(bruno, "A", &id, &err) == QPC_OK &&
		         qpc_edit_potential_set(bruno, id, cat, amount, "purchasing records", true,
		                                D("2026-11-20"), &err) == QPC_OK;
		qpc_store_close(bruno);
		if (write(ready_fd, ok ? "1" : "0", 1) != 1)
			_exit(2);
		_exit(ok ? 0 : 1);
	}
	char c = 0;
	int fds_status;
	waitpid(pid, &fds_status, 0);
	ck_assert_int_eq(WEXITSTATUS(fds_status), 0);
	(void)c;
}

START_TEST(stale_save_refused_with_who_and_what)
{
	int64_t a = account("A", "Acme");
	set(st, a, "Packaging", 100000);
	struct qpc_qpc_sheet before, after, now;
	ck_assert_int_eq(qpc_edit_load(st, a, &before, &err), QPC_OK);
	int p[2];
	ck_assert_int_eq(pipe(p), 0);
	child_saves("Packaging", 150000, p[1]);
	close(p[0]);
	close(p[1]);
	after = before;
	after.lines[0].amount = 120000;
	ck_assert_int_eq(qpc_edit_save(st, &before, &after, false, &err), QPC_ERR_CONFLICT);
	ck_assert_msg(strstr(err.msg, "bruno at ") &&
	                  strstr(err.msg, ", QPC in Packaging: 1,000.00 -> 1,500.00"),
	              "%s", err.msg);
	ck_assert_int_eq(qpc_edit_load(st, a, &now, &err), QPC_OK);
	ck_assert_int_eq(now.lines[0].amount, 150000); /* bruno's stands */
	/* overwriting is explicit */
	ck_assert_int_eq(qpc_edit_save(st, &before, &after, true, &err), QPC_OK);
	ck_assert_int_eq(qpc_edit_load(st, a, &now, &err), QPC_OK);
	ck_assert_int_eq(now.lines[0].amount, 120000);
}
END_TEST

START_TEST(different_lines_do_not_conflict)
{
	int64_t a = account("A", "Acme");
	set(st, a, "Packaging", 100000);
	set(st, a, "Safety", 50000);
	struct qpc_qpc_sheet before, after, now;
	ck_assert_int_eq(qpc_edit_load(st, a, &before, &err), QPC_OK);
	int p[2];
	ck_assert_int_eq(pipe(p), 0);
	child_saves("Packaging", 150000, p[1]);
	close(p[0]);
	close(p[1]);
	after = before;
	line(&after, "Safety")->amount = 60000;
	/* what they changed, which this edit leaves alone, is told first */
	char said[700];
	ck_assert_int_ge(qpc_edit_others(st, &before, &after, true, said, sizeof said), 1);
	ck_assert_msg(strstr(said, "QPC in Packaging: 1,000.00 -> 1,500.00"), "%s", said);
	ck_assert_msg(qpc_edit_save(st, &before, &after, false, &err) == QPC_OK, "%s", err.msg);
	ck_assert_int_eq(qpc_edit_load(st, a, &now, &err), QPC_OK);
	ck_assert_int_eq(line(&now, "Packaging")->amount, 150000);
	ck_assert_int_eq(line(&now, "Safety")->amount, 60000);
	/* removing a line someone changed is a conflict too */
	ck_assert_int_eq(qpc_edit_load(st, a, &before, &err), QPC_OK);
	ck_assert_int_eq(pipe(p), 0);
	child_saves("Safety", 65000, p[1]);
	close(p[0]);
	close(p[1]);
	after = before;
	after.nlines = 1;
	after.lines[0] = *line(&before, "Packaging");
	/* a change to a line this edit removes is a conflict, not news */
	ck_assert_int_eq(qpc_edit_others(st, &before, &after, true, said, sizeof said), 0);
	ck_assert_int_eq(qpc_edit_save(st, &before, &after, false, &err), QPC_ERR_CONFLICT);
}
END_TEST

START_TEST(ticks_by_two_people_both_stay)
{
	int64_t a = account("A", "Acme");
	ck_assert_int_eq(qpc_store_candidate_add(st, a, 0, D("2026-01-01"), &err), QPC_OK);
	struct qpc_store *bruno = open_as("bruno");
	ck_assert_int_eq(qpc_edit_tick(st, a, 1, NULL, "lunch", &err), QPC_OK);
	ck_assert_int_eq(qpc_edit_tick(bruno, a, 0, "Knows our senior executives", "CEO visit", &err),
	                 QPC_OK);
	qpc_store_close(bruno);
	struct qpc_checklist cl;
	ck_assert_int_eq(qpc_edit_checklist(st, a, &cl, &err), QPC_OK);
	ck_assert_int_eq(cl.nsteps, 4);
	ck_assert(cl.steps[0].ticked && cl.steps[1].ticked && !cl.steps[2].ticked);
	ck_assert_str_eq(cl.steps[0].ticked_by, "alice");
	ck_assert_str_eq(cl.steps[1].ticked_by, "bruno");
	ck_assert_str_eq(cl.steps[1].note, "CEO visit");
	ck_assert_int_eq(qpc_edit_untick(st, a, 1, NULL, &err), QPC_OK);
	ck_assert_int_eq(qpc_edit_untick(st, a, 1, NULL, &err), QPC_ERR_NOTFOUND);
	ck_assert_int_eq(qpc_edit_tick(st, a, 0, "No such step", NULL, &err), QPC_ERR_NOTFOUND);
}
END_TEST

START_TEST(template_changes_keep_ticks)
{
	int64_t a = account("A", "Acme");
	ck_assert_int_eq(qpc_store_candidate_add(st, a, 0, D("2026-01-01"), &err), QPC_OK);
	ck_assert_int_eq(qpc_edit_tick(st, a, 4, NULL, "plant tour", &err), QPC_OK);
	ck_assert_int_eq(qpc_edit_tick(st, a, 2, NULL, NULL, &err), QPC_OK);
	const char *t = "Partner checklist";
	ck_assert_int_eq(qpc_template_step_add(st, t, "Joint business plan", 1, &err), QPC_OK);
	ck_assert_int_eq(qpc_template_step_move(st, t, 5, 2, &err), QPC_OK); /* the facility */
	ck_assert_int_eq(qpc_template_step_retire(st, t, 4, &err), QPC_OK);  /* senior execs */
	ck_assert_int_eq(qpc_template_rename(st, t, "Partnership", &err), QPC_OK);
	ck_assert_int_eq(qpc_template_step_move(st, "Partnership", 1, 9, &err), QPC_ERR_USAGE);
	struct qpc_checklist cl;
	ck_assert_int_eq(qpc_edit_checklist(st, a, &cl, &err), QPC_OK);
	ck_assert_str_eq(cl.template_name, "Partnership");
	ck_assert_int_eq(cl.nsteps, 4);
	ck_assert_str_eq(cl.steps[0].text, "Joint business plan");
	ck_assert_str_eq(cl.steps[1].text, "Has visited our facility");
	ck_assert(cl.steps[1].ticked);
	ck_assert_str_eq(cl.steps[1].note, "plant tour");
	for (int i = 0; i < cl.nsteps; i++)
		ck_assert_str_ne(cl.steps[i].text, "Knows our senior executives");
	struct qpc_template tpl;
	ck_assert_int_eq(qpc_template_get(st, "Partnership", &tpl, &err), QPC_OK);
	ck_assert_int_eq(tpl.nsteps, 5);
	ck_assert(tpl.steps[4].retired);
	ck_assert_int_eq(qpc_template_rename(st, "Nope", "X", &err), QPC_ERR_NOTFOUND);
}
END_TEST

START_TEST(goals_count_by_calendar_year)
{
	int64_t a = account("A", "Acme"), b = account("B", "Bravo");
	ck_assert_int_eq(qpc_store_refresh(st, D("2024-11-30"), &err), QPC_OK);
	/* measured before the sales: the sales make the partners */
	ck_assert_int_eq(qpc_edit_potential_set(st, a, "P", 1000, "customer stated", true,
	                                        D("2024-06-01"), &err), QPC_OK);
	ck_assert_int_eq(qpc_edit_potential_set(st, b, "P", 1000, "customer stated", true,
	                                        D("2024-06-01"), &err), QPC_OK);
	struct qpc_sale_rec s1 = { .account_id = a, .date = D("2024-12-31"), .amount = 900,
		                   .source_key = "1" };
	struct qpc_sale_rec s2 = { .account_id = b, .date = D("2025-01-01"), .amount = 900,
		                   .source_key = "2" };
	ck_assert_int_eq(qpc_store_sale_add(st, &s1, &err), QPC_OK);
	ck_assert_int_eq(qpc_store_sale_add(st, &s2, &err), QPC_OK);
	ck_assert_int_eq(qpc_store_goal_set(st, 2024, 1, &err), QPC_OK);
	ck_assert_int_eq(qpc_store_goal_set(st, 2025, 1, &err), QPC_OK);
	ck_assert_int_eq(qpc_store_refresh(st, D("2024-12-31"), &err), QPC_OK);
	ck_assert_int_eq(qpc_store_refresh(st, D("2025-01-01"), &err), QPC_OK);
	struct qpc_report r;
	ck_assert_int_eq(qpc_store_report(st, D("2025-01-01"), &r, &err), QPC_OK);
	ck_assert_int_eq(r.goal.year, 2025);
	ck_assert_int_eq(r.goal.achieved, 1);
	ck_assert_int_eq(qpc_store_report(st, D("2024-12-31"), &r, &err), QPC_OK);
	ck_assert_int_eq(r.goal.year, 2024);
	ck_assert_int_eq(r.goal.achieved, 1);
}
END_TEST

START_TEST(typed_values)
{
	qpc_money v;
	const char *why;
	ck_assert(typed_amount("12,500", 2, &v, &why) && v == 1250000);
	ck_assert(typed_amount("12.5k", 2, &v, &why) && v == 1250000);
	ck_assert(typed_amount("1.2M", 2, &v, &why) && v == 120000000);
	ck_assert(typed_amount("12,5", 2, &v, &why) && v == 1250);
	ck_assert(typed_amount("12 500", 0, &v, &why) && v == 12500);
	ck_assert(typed_amount("0.005", 2, &v, &why) && v == 1);
	ck_assert(typed_amount("2.5", 0, &v, &why) && v == 3);
	ck_assert(typed_amount("1k", 0, &v, &why) && v == 1000);
	ck_assert(!typed_amount("12..5", 2, &v, &why));
	ck_assert(!typed_amount("abc", 2, &v, &why));
	ck_assert(!typed_amount("", 2, &v, &why));
	ck_assert(!typed_amount("99999999999999999999k", 2, &v, &why));
	int32_t bp;
	ck_assert(typed_share("60%", &bp, &why) && bp == 6000);
	ck_assert(typed_share("0.6", &bp, &why) && bp == 6000);
	qpc_date d;
	ck_assert(typed_date("today", D("2026-11-27"), &d, &why) && d == D("2026-11-27"));
	ck_assert(typed_date("2026-02-28", 0, &d, &why) && d == D("2026-02-28"));
	ck_assert(!typed_date("2026-02-30", 0, &d, &why));
}
END_TEST

static int count_estimates(const struct qpc_estimate *e, void *ctx)
{
	(*(int *)ctx) += e->nlines;
	return 0;
}

START_TEST(estimates_never_verified_never_over_a_measure)
{
	/* three verified accounts of 10, 20, 30 employees at 100 per employee */
	for (int i = 1; i <= 3; i++) {
		char ext[16];
		snprintf(ext, sizeof ext, "V%d", i);
		struct qpc_account_rec r = { .external_id = ext, .name = ext, .segment = "Retail",
			                     .has_employees = true, .employees = 10 * (int64_t)i };
		int64_t id;
		ck_assert_int_eq(qpc_store_account_insert(st, &r, &id, &err), QPC_OK);
		set(st, id, "Packaging", 100000 * (qpc_money)i); /* 1000.00 per 10 employees */
	}
	struct qpc_account_rec r = { .external_id = "N", .name = "New", .segment = "Retail",
		                     .has_employees = true, .employees = 55 };
	int64_t n;
	ck_assert_int_eq(qpc_store_account_insert(st, &r, &n, &err), QPC_OK);
	int lines = 0;
	ck_assert_int_eq(qpc_estimate_run(st, 0, D("2026-11-27"), true, count_estimates, &lines, &err),
	                 QPC_OK);
	ck_assert_int_eq(lines, 1);
	struct qpc_qpc_sheet sh;
	ck_assert_int_eq(qpc_edit_load(st, n, &sh, &err), QPC_OK);
	ck_assert_int_eq(sh.nlines, 0); /* dry run */
	ck_assert_int_eq(qpc_estimate_run(st, 0, D("2026-11-27"), false, NULL, NULL, &err), QPC_OK);
	ck_assert_int_eq(qpc_edit_load(st, n, &sh, &err), QPC_OK);
	ck_assert_int_eq(sh.nlines, 1);
	ck_assert_int_eq(sh.lines[0].amount, 550000); /* 55 x 100.00 */
	ck_assert_str_eq(sh.lines[0].basis, "formula");
	ck_assert(!sh.lines[0].verified);
	ck_assert_msg(strstr(sh.lines[0].inputs, "55 employees x 100.00 (Retail, 3 verified"),
	              "%s", sh.lines[0].inputs);
	/* a measured line is kept */
	set(st, n, "Packaging", 777700);
	ck_assert_int_eq(qpc_estimate_run(st, n, D("2026-11-27"), false, NULL, NULL, &err), QPC_OK);
	ck_assert_int_eq(qpc_edit_load(st, n, &sh, &err), QPC_OK);
	ck_assert_int_eq(sh.lines[0].amount, 777700);
}
END_TEST

Suite *edit_suite(void)
{
	Suite *s = suite_create("edit");
	TCase *tc = tcase_create("edit");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, save_writes_only_what_changed);
	tcase_add_test(tc, negative_amount_refused_whole);
	tcase_add_test(tc, stale_save_refused_with_who_and_what);
	tcase_add_test(tc, different_lines_do_not_conflict);
	tcase_add_test(tc, ticks_by_two_people_both_stay);
	tcase_add_test(tc, template_changes_keep_ticks);
	tcase_add_test(tc, goals_count_by_calendar_year);
	tcase_add_test(tc, typed_values);
	tcase_add_test(tc, estimates_never_verified_never_over_a_measure);
	suite_add_tcase(s, tc);
	return s;
}
