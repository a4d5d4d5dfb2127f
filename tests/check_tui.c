/* check_tui.c — the dashboard driven headless (curses on /dev/null), for
 * what a timed tmux test can only catch sometimes: a commit by another
 * qpc that lands after the dashboard read its screen is always shown, and
 * a dashboard left open past midnight moves to the new day (the store's
 * clock, moved by the test).
 *
 * qpc_tui_poll() is the loop's once-a-second question, asked here at the
 * moments that matter, so that each case is one fixed interleaving. */
#include <fcntl.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "qpc/store.h"
#include "qpc/tui.h"
#include "../src/tui/ui.h"
#include "tests.h"

static char tmpdir[64], path[128];
static struct qpc_store *st, *other;
static struct qpc_tui *tui;
static FILE *out, *in;
static struct qpc_error err;
static qpc_date as_of;

#undef OK /* curses' OK, unused here */
#define OK(call) ck_assert_msg((call) == QPC_OK, "%s", err.msg)

static void account(const char *ext, const char *name, int64_t employees)
{
	struct qpc_account_rec r = { .external_id = ext, .name = name, .segment = "Industry",
		                     .has_employees = employees > 0, .employees = employees };
	int64_t id;
	OK(qpc_store_account_insert(st, &r, &id, &err));
}

/* A QPC line (whole currency units) written through connection s. */
static void qpc(struct qpc_store *s, const char *ext, int64_t amount, bool verified)
{
	int64_t acc, cat;
	OK(qpc_store_account_find(s, ext, &acc, &err));
	OK(qpc_store_category_ensure(s, "Packaging", &cat, &err));
	struct qpc_potential_rec p = { .account_id = acc, .category_id = cat, .amount = amount * 100,
		                       .basis = verified ? "customer stated" : "rep estimate",
		                       .verified = verified, .measured_on = as_of };
	OK(qpc_store_potential_set(s, &p, &err));
}

/* tests/tui/test_qpc_editor.sh's underestimates: a factor of 1,000 per
 * employee, so that U1 (49,999 of 100,000) and U2 (10,000 of 200,000)
 * are under half their estimate and nobody else is. */
static void setup(void)
{
	ck_assert_ptr_nonnull(setlocale(LC_ALL, "C.UTF-8"));
	scratch_make(tmpdir, sizeof tmpdir, "tui");
	snprintf(path, sizeof path, "%s/t.db", tmpdir);
	ck_assert(qpc_date_parse_iso("2026-11-27", &as_of));
	OK(store_new(path, &st, &err));
	qpc_store_set_actor(st, "tester", (int64_t)as_of * 86400);
	account("C1", "Calib One", 100);
	account("C2", "Calib Two", 100);
	account("C3", "Calib Three", 100);
	account("U1", "Under One", 100);
	account("U2", "Under Two", 200);
	account("N1", "Near One", 100);
	account("N2", "Unmeasured", 100);
	account("N3", "No Size", 0);
	qpc(st, "C1", 100000, true);
	qpc(st, "C2", 100000, true);
	qpc(st, "C3", 100000, true);
	qpc(st, "U1", 49999, false);
	qpc(st, "U2", 10000, false);
	qpc(st, "N1", 50000, false); /* half: not under */
	qpc(st, "N3", 1, false);     /* no size, no estimate */
	OK(qpc_store_open(path, QPC_OPEN_EXISTING, &other, &err)); /* another qpc */
	qpc_store_set_actor(other, "admin", (int64_t)as_of * 86400);
	setenv("COLUMNS", "100", 1);
	setenv("LINES", "20", 1);
	out = fopen("/dev/null", "w");
	/* cppcheck-suppress incompatibleFileOpen ; /dev/null: nothing to read back */
	in = fopen("/dev/null", "r");
	ck_assert(out && in);
	struct qpc_tui_options o = { .user = "tester", .as_of = as_of };
	OK(qpc_tui_open(st, &o, out, in, "xterm", &tui, &err));
	qpc_tui_settle(tui);
}

static void teardown(void)
{
	qpc_tui_close(tui);
	fclose(out);
	fclose(in);
	qpc_store_close(other);
	qpc_store_close(st);
	scratch_remove(tmpdir);
}

/* Row 1, the accounts list's header: "Accounts: 2 of 8 · ...". */
static void expect_header(const char *start)
{
	char row[512];
	qpc_tui_row(tui, 1, row, sizeof row);
	ck_assert_msg(strncmp(row, start, strlen(start)) == 0, "header \"%s\", not \"%s...\"", row,
	              start);
}

static bool on_screen(const char *text)
{
	char row[512];
	for (int y = 0; y < 20; y++) {
		qpc_tui_row(tui, y, row, sizeof row);
		if (strstr(row, text))
			return true;
	}
	return false;
}

/* The other qpc's import: a new verified account and a lower one move the
 * factor to 950 per employee; U1's 49,999 is no longer under half of
 * 95,000, U2's 10,000 still is of 190,000. */
static void import_from_outside(void)
{
	qpc(other, "N2", 60000, true);
	qpc(other, "C3", 90000, true);
}

/* The commit lands after the filter was counted and before the loop's
 * first question since the dashboard opened: that question must say yes,
 * or the screen keeps "2 of 8" for good. */
START_TEST(a_commit_after_the_count_is_shown)
{
	expect_header("Accounts: 8");
	qpc_tui_key(tui, 'u', false);
	qpc_tui_settle(tui);
	expect_header("Accounts: 2 of 8");
	ck_assert(on_screen("Under One") && on_screen("Under Two"));
	import_from_outside();
	ck_assert(qpc_tui_poll(tui));
	qpc_tui_settle(tui);
	expect_header("Accounts: 1 of 8");
	ck_assert(!on_screen("Under One") && on_screen("Under Two"));
	ck_assert(!qpc_tui_poll(tui)); /* told once */
}
END_TEST

/* The same with the loop having asked already, and the commit landing
 * while the filter is still being counted (its key pressed, no work done
 * yet): whichever the count reads, the next question redoes it. */
START_TEST(a_commit_while_counting_is_shown)
{
	ck_assert(!qpc_tui_poll(tui)); /* nobody else wrote yet */
	qpc_tui_key(tui, 'u', false);
	expect_header("Accounts: counting");
	import_from_outside();
	qpc_tui_settle(tui);
	ck_assert(qpc_tui_poll(tui));
	qpc_tui_settle(tui);
	expect_header("Accounts: 1 of 8");
	ck_assert(!on_screen("Under One") && on_screen("Under Two"));
	ck_assert(!qpc_tui_poll(tui));
}
END_TEST

/* The dashboard's own writes are no news: only another connection's
 * commits make it reload. */
START_TEST(its_own_writes_are_not_news)
{
	ck_assert(!qpc_tui_poll(tui));
	qpc(st, "N2", 60000, true);
	ck_assert(!qpc_tui_poll(tui));
	qpc(other, "N1", 50001, false);
	ck_assert(qpc_tui_poll(tui));
}
END_TEST

/* --- the clock ------------------------------------------------------------ */

/* The dashboard again, on `day` by the store's clock (09:00), opened on
 * `on` (chosen or not). */
static void reopen(const char *day, const char *on, bool chosen)
{
	qpc_date d, o;
	ck_assert(qpc_date_parse_iso(day, &d) && qpc_date_parse_iso(on, &o));
	qpc_tui_close(tui);
	qpc_store_set_actor(st, "tester", (int64_t)d * 86400 + (int64_t)9 * 3600);
	struct qpc_tui_options opt = { .user = "tester", .as_of = o, .as_of_chosen = chosen };
	OK(qpc_tui_open(st, &opt, out, in, "xterm", &tui, &err));
	qpc_tui_settle(tui);
}

/* The store's clock moves on to `day`, at `hh`:00. */
static void clock_to(const char *day, int hh)
{
	qpc_date d;
	ck_assert(qpc_date_parse_iso(day, &d));
	qpc_store_set_actor(st, "tester", (int64_t)d * 86400 + (int64_t)hh * 3600);
}

static void expect_as_of(const char *day)
{
	char row[512], want[64];
	qpc_date d;
	ck_assert(qpc_date_parse_iso(day, &d));
	ck_assert_int_eq(qpc_tui_as_of(tui), d);
	qpc_tui_row(tui, 0, row, sizeof row);
	snprintf(want, sizeof want, "as of %s", day);
	ck_assert_msg(strstr(row, want) != NULL, "the tab bar \"%s\" lacks \"%s\"", row, want);
}

/* Left open past midnight, a dashboard opened on today moves to the new
 * day, says so, and its views read the new day's figures: across a year
 * end, the goals are the new year's. */
START_TEST(past_midnight_it_moves_to_the_new_day)
{
	OK(qpc_store_goal_set(st, 2027, 5, &err));
	reopen("2026-12-31", "2026-12-31", false);
	qpc_tui_key(tui, '4', false);
	qpc_tui_settle(tui);
	expect_as_of("2026-12-31");
	clock_to("2026-12-31", 23);
	ck_assert(!qpc_tui_poll(tui)); /* the same day: nothing to do */
	clock_to("2027-01-01", 0);
	ck_assert(qpc_tui_poll(tui));
	qpc_tui_settle(tui);
	expect_as_of("2027-01-01");
	ck_assert(on_screen("A new day: the figures are now as of 2027-01-01"));
	/* the cursor of the goals follows this year: 2027's row, with its goal */
	char row[512];
	bool found = false;
	for (int y = 2; y < 18 && !found; y++) {
		qpc_tui_row(tui, y, row, sizeof row);
		found = strncmp(row, "2027", 4) == 0 && strstr(row, " 5 ");
	}
	ck_assert_msg(found, "no row of 2027 with its goal of 5");
	qpc_tui_key(tui, '+', false); /* on this year's row, now 2027's */
	qpc_tui_settle(tui);
	ck_assert(on_screen("Goal 2027: 6 new partners"));
	ck_assert(!qpc_tui_poll(tui)); /* told once */
	/* the dashboard shows the new year's goal */
	qpc_tui_key(tui, '1', false);
	qpc_tui_settle(tui);
	ck_assert(on_screen("Goal 2027"));
}
END_TEST

/* Opened on a chosen date (--as-of), it stays there; so does one opened
 * on a day other than today. */
START_TEST(a_chosen_date_stays)
{
	reopen("2026-11-27", "2026-11-27", true);
	clock_to("2026-11-28", 1);
	ck_assert(!qpc_tui_poll(tui));
	qpc_tui_settle(tui);
	expect_as_of("2026-11-27");
	ck_assert(!on_screen("A new day"));
	reopen("2026-11-27", "2026-06-30", false);
	clock_to("2026-11-28", 1);
	ck_assert(!qpc_tui_poll(tui));
	expect_as_of("2026-06-30");
}
END_TEST

/* A change made after midnight by another qpc and the day's move come
 * together: both are seen, at the new date. */
START_TEST(a_change_and_a_new_day_together)
{
	reopen("2026-11-27", "2026-11-27", false);
	qpc_tui_key(tui, 'u', false);
	qpc_tui_settle(tui);
	expect_header("Accounts: 2 of 8");
	clock_to("2026-11-28", 0);
	qpc_store_set_actor(other, "admin", qpc_store_now(st));
	import_from_outside();
	ck_assert(qpc_tui_poll(tui));
	qpc_tui_settle(tui);
	expect_as_of("2026-11-28");
	expect_header("Accounts: 1 of 8");
	ck_assert(!qpc_tui_poll(tui));
}
END_TEST

/* The trend is computed in a thread: the dashboard answers keys while it
 * runs, and settling waits for it. */
START_TEST(the_trend_pane_fills_in)
{
	qpc_tui_key(tui, '1', false);
	qpc_tui_key(tui, '\t', false); /* 20 rows: a pane at a time */
	qpc_tui_key(tui, '\t', false);
	qpc_tui_settle(tui);
	ck_assert(on_screen("Trend, 24 months"));
	ck_assert(on_screen("12 months: 0 new partners, 0 lost"));
	ck_assert(!on_screen("Computing the trend"));
	/* leaving while it runs stops it */
	import_from_outside();
	ck_assert(qpc_tui_poll(tui));
	qpc_tui_key(tui, '2', false);
	qpc_tui_settle(tui);
	expect_header("Accounts: 8");
}
END_TEST

/* --- a quit signal during a step that does not look for it ------------- */

/* A SIGTERM while the dashboard is stuck in a step that never returns to
 * the loop (as a read of /dev/tty in the import dialog once was): it ends,
 * the terminal restored, with the status the loop would give, 143.  In a
 * child of its own, which the watchdog ends, or which gives up at 10 s. */
START_TEST(a_sigterm_ends_a_stuck_step)
{
	fflush(NULL);
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		dup2(null, STDOUT_FILENO); /* the reset sequence goes there */
		raise(SIGTERM);
		for (int i = 0; i < 10; i++)
			sleep(1); /* stuck: the flag is never looked at */
		_exit(0);
	}
	int status = 0;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 143,
	              "the stuck dashboard ended with status %d", status);
}
END_TEST

/* --- the pager, on a list of ids 1..LIST_N ------------------------------ */

#define LIST_N 1000
static int budget; /* rows a fetch may give before it is cut short; 0: all */

static int64_t int_id(const void *item)
{
	return *(const int64_t *)item;
}

/* Ids in order, as qpc_browse_fetch gives rows: nearest to `from` first,
 * writing no more than r->max of them. */
static enum qpc_rc int_fetch(void *ctx, const struct qpc_fetch *r, void *items,
                             struct qpc_fetched *got, struct qpc_error *e)
{
	(void)ctx;
	(void)e;
	int64_t *ids = items, step = r->dir == QPC_NEXT ? 1 : -1;
	int64_t id = r->from ? r->from + (r->inclusive ? 0 : step) : r->dir == QPC_NEXT ? 1 : LIST_N;
	memset(got, 0, sizeof *got);
	while (got->n < r->max && id >= 1 && id <= LIST_N) {
		if (budget && got->n == budget) {
			got->resume = id - step;
			return QPC_OK;
		}
		ids[got->n++] = id;
		id += step;
	}
	got->end = id < 1 || id > LIST_N;
	return QPC_OK;
}

static struct pager pg;

static void pager_setup(void)
{
	budget = 0;
	struct pager_src src = { sizeof(int64_t), int_id, int_fetch, NULL };
	pager_init(&pg, &src);
}

static void pager_teardown(void)
{
	pager_free(&pg);
}

/* The window holds consecutive ids, the cursor on `id`. */
static void expect_window(int64_t id)
{
	ck_assert_int_gt(pg.n, 0);
	ck_assert_int_le(pg.n, pg.cap);
	ck_assert_int_eq(*(int64_t *)pager_current(&pg), id);
	for (int i = 1; i < pg.n; i++)
		ck_assert_int_eq(*(int64_t *)pager_item(&pg, i), *(int64_t *)pager_item(&pg, i - 1) + 1);
}

/* 120x50, 40 rows down, then 120x10: the shrink dropped the rows above the
 * cursor from a buffer it had already made smaller (ASan saw the read). */
START_TEST(a_shrink_under_a_deep_cursor_keeps_it)
{
	pager_resize(&pg, 45);
	pager_move(&pg, 40);
	expect_window(41);
	pager_resize(&pg, 5);
	ck_assert_int_eq(pg.n, 5);
	expect_window(41);
	ck_assert_int_eq(pager_position(&pg, LIST_N), 41);
	pager_resize(&pg, 45);
	ck_assert_int_eq(pg.n, 45);
	expect_window(41);
	pager_resize(&pg, 1);
	expect_window(41);
	pager_move(&pg, 1);
	expect_window(42);
}
END_TEST

/* The list every in-memory view shows (templates, goals, checklists...):
 * moves stay within the rows, a page is what the rect shows, the wheel
 * and a click move the cursor, a double click asks to open. */
static void row_cell(void *ctx, int row, int col, int width, char *buf, size_t n, attr_t *attr)
{
	(void)ctx;
	(void)col;
	(void)width;
	(void)attr;
	snprintf(buf, n, "row %d", row);
}

START_TEST(a_listbox_keeps_its_cursor_in_its_rows)
{
	static const struct table_col cols[] = { { "Row", { 4, 20, 1, 100 }, TEXTCELL_LEFT } };
	struct listbox lb = { .t = { .cols = cols, .ncols = 1, .sort_col = -1, .cell = row_cell } };
	struct ui_rect r = { 2, 0, 6, 40 }; /* the heading and 5 rows */
	listbox_draw(&lb, 30, r, true);
	ck_assert_int_eq(listbox_action(&lb, QPC_ACT_MOVE_UP), UI_HANDLED | UI_REDRAW);
	ck_assert_int_eq(lb.cursor, 0);
	listbox_action(&lb, QPC_ACT_PAGE_DOWN);
	ck_assert_int_eq(lb.cursor, 4); /* the rows shown less one */
	listbox_action(&lb, QPC_ACT_LAST);
	ck_assert_int_eq(lb.cursor, 29);
	listbox_action(&lb, QPC_ACT_MOVE_DOWN);
	ck_assert_int_eq(lb.cursor, 29);
	listbox_draw(&lb, 30, r, true);
	ck_assert_int_eq(lb.top, 25); /* scrolled so that the cursor shows */
	ck_assert_int_eq(listbox_action(&lb, QPC_ACT_OPEN), UI_IGNORED);
	/* fewer rows than the cursor: on the last */
	listbox_draw(&lb, 3, r, true);
	ck_assert_int_eq(lb.cursor, 2);
	listbox_draw(&lb, 30, r, true);
	/* the mouse: on the heading, on the second row shown, twice on it */
	struct ui_mouse m = { 2, 5, UI_CLICK };
	ck_assert_int_eq(listbox_mouse(&lb, &m), LISTBOX_HEADING);
	m.y = 4;
	ck_assert_int_eq(listbox_mouse(&lb, &m), LISTBOX_MOVED);
	ck_assert_int_eq(lb.cursor, lb.top + 1);
	m.kind = UI_DOUBLE;
	ck_assert_int_eq(listbox_mouse(&lb, &m), LISTBOX_OPEN);
	m.kind = UI_WHEEL_DOWN;
	int was = lb.cursor;
	ck_assert_int_eq(listbox_mouse(&lb, &m), LISTBOX_MOVED);
	ck_assert_int_eq(lb.cursor, was + 1);
	m.y = 9; /* below it */
	ck_assert_int_eq(listbox_mouse(&lb, &m), LISTBOX_MISS);
	ck_assert_int_eq(lb.cursor, was + 1);
	/* below the last row: nothing (the accounts would sort on a heading) */
	listbox_draw(&lb, 2, r, true);
	m = (struct ui_mouse){ 6, 5, UI_CLICK };
	ck_assert_int_eq(listbox_mouse(&lb, &m), LISTBOX_MISS);
	ck_assert_int_eq(lb.cursor, 1);
	/* empty: nothing to move to, nothing to open */
	listbox_draw(&lb, 0, r, true);
	listbox_action(&lb, QPC_ACT_LAST);
	ck_assert_int_eq(lb.cursor, 0);
	m = (struct ui_mouse){ 3, 5, UI_DOUBLE };
	ck_assert_int_eq(listbox_mouse(&lb, &m), LISTBOX_MISS);
}
END_TEST

/* A fetch cut short was to go on for the rows a tall window lacked; the
 * window shrank in between: the rest must fit what is left, and a window
 * trimmed full forgets it. */
START_TEST(a_shrink_during_a_fetch_cut_short)
{
	budget = 3;
	pager_resize(&pg, 45);
	ck_assert(pg.pending);
	budget = 0; /* the rest would come at once: 42 rows */
	pager_resize(&pg, 4);
	while (pager_work(&pg))
		;
	ck_assert_int_eq(pg.n, 4);
	expect_window(1);
	budget = 3;
	pager_last(&pg);
	pager_resize(&pg, 40);
	ck_assert(pg.pending);
	pager_resize(&pg, 2);
	ck_assert(!pg.pending);
	ck_assert_int_eq(pg.n, 2);
	expect_window(LIST_N);
}
END_TEST

Suite *tui_suite(void)
{
	Suite *s = suite_create("tui");
	TCase *tc = tcase_create("outside changes");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, a_commit_after_the_count_is_shown);
	tcase_add_test(tc, a_commit_while_counting_is_shown);
	tcase_add_test(tc, its_own_writes_are_not_news);
	suite_add_tcase(s, tc);
	tc = tcase_create("clock");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, past_midnight_it_moves_to_the_new_day);
	tcase_add_test(tc, a_chosen_date_stays);
	tcase_add_test(tc, a_change_and_a_new_day_together);
	tcase_add_test(tc, the_trend_pane_fills_in);
	suite_add_tcase(s, tc);
	tc = tcase_create("signals");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, a_sigterm_ends_a_stuck_step);
	suite_add_tcase(s, tc);
	tc = tcase_create("list");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, a_listbox_keeps_its_cursor_in_its_rows);
	suite_add_tcase(s, tc);
	tc = tcase_create("pager");
	tcase_add_checked_fixture(tc, pager_setup, pager_teardown);
	tcase_add_test(tc, a_shrink_under_a_deep_cursor_keeps_it);
	tcase_add_test(tc, a_shrink_during_a_fetch_cut_short);
	suite_add_tcase(s, tc);
	return s;
}
