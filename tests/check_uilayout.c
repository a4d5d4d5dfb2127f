/* check_uilayout.c — the widgets' arithmetic, without a terminal: gauge
 * and bar fills, sparkline levels, the profit curve's resampling and
 * marks, pane heights, scrolling, and the labels in narrow columns. */
#include <string.h>

#include "qpc/uilayout.h"
#include "tests.h"

START_TEST(eighths_fill_bars_and_gauges)
{
	ck_assert_int_eq(uil_eighths(0, 10, 5), 0);
	ck_assert_int_eq(uil_eighths(-3, 10, 5), 0);
	ck_assert_int_eq(uil_eighths(5, 0, 5), 0);
	ck_assert_int_eq(uil_eighths(10, 10, 5), 40);
	ck_assert_int_eq(uil_eighths(12, 10, 5), 40);   /* past the goal: full, no more */
	ck_assert_int_eq(uil_eighths(5, 10, 5), 20);
	ck_assert_int_eq(uil_eighths(1, 1000000, 5), 1);  /* something shows as something */
	ck_assert_int_eq(uil_eighths(999999, 1000000, 5), 39); /* and short of it is not full */
	ck_assert_int_eq(uil_eighths(INT64_MAX / 2, INT64_MAX, 10), 40); /* no overflow */
	ck_assert_int_eq(uil_eighths(7, 12, 0), 0);
}
END_TEST

START_TEST(sparkline_levels)
{
	qpc_money v[6] = { 0, 100, 800, 400, -50, 799 };
	int lv[6];
	uil_spark(v, 6, lv);
	ck_assert_int_eq(lv[0], -1); /* nothing sold: a gap */
	ck_assert_int_eq(lv[1], 0);
	ck_assert_int_eq(lv[2], 7);
	ck_assert_int_eq(lv[3], 3);
	ck_assert_int_eq(lv[4], -1); /* credits: a gap, not below the axis */
	ck_assert_int_eq(lv[5], 7);
}
END_TEST

START_TEST(curve_resamples_and_marks_partners)
{
	qpc_money pts[4] = { 50, 80, 95, 100 };
	int64_t partners[4] = { 2, 0, 0, 1 };
	int h[8], m[8];
	uil_curve(pts, partners, 4, 8, 2, h, m); /* wider than the points */
	ck_assert_int_eq(h[0], uil_eighths(50, 100, 2));
	ck_assert_int_eq(h[1], h[0]);
	ck_assert_int_eq(h[7], 16);
	ck_assert(m[0] && !m[1] && !m[2] && m[6] && !m[7]);
	uil_curve(pts, partners, 4, 2, 1, h, m); /* narrower */
	ck_assert_int_eq(h[0], uil_eighths(80, 100, 1));
	ck_assert_int_eq(h[1], 8);
	ck_assert(m[0] && m[1]);
}
END_TEST

START_TEST(panes_share_the_height)
{
	int min[3] = { 3, 3, 3 }, want[3] = { 9, 0, -1 }, out[3];
	uil_split(20, 3, min, want, out);
	ck_assert(out[0] == 9 && out[1] == 3 && out[2] == 8);
	uil_split(7, 3, min, want, out); /* too short: later panes go */
	ck_assert(out[0] == 4 && out[1] == 3 && out[2] == 0);
	int min2[2] = { 2, 2 }, want2[2] = { 3, 3 };
	uil_split(10, 2, min2, want2, out); /* room left over: the last pane */
	ck_assert(out[0] == 3 && out[1] == 7);
	uil_split(1, 2, min2, want2, out);
	ck_assert(out[0] == 0 && out[1] == 0);
}
END_TEST

START_TEST(scrolling_keeps_the_cursor_in_sight)
{
	ck_assert_int_eq(uil_scroll(0, 0, 10, 100, 0), 0);
	ck_assert_int_eq(uil_scroll(10, 0, 10, 100, 0), 1);
	ck_assert_int_eq(uil_scroll(5, 8, 10, 100, 0), 5);
	ck_assert_int_eq(uil_scroll(99, 0, 10, 100, 0), 90);
	ck_assert_int_eq(uil_scroll(3, 50, 10, 5, 0), 0); /* list shorter than the view */
	ck_assert_int_eq(uil_scroll(9, 0, 10, 100, 2), 2);  /* a margin below */
	ck_assert_int_eq(uil_scroll(0, 0, 0, 100, 0), 0);
}
END_TEST

START_TEST(labels_fit_narrow_columns)
{
	char b[32];
	uil_count(1234567, b, sizeof b);
	ck_assert_str_eq(b, "1,234,567");
	uil_count(-1000, b, sizeof b);
	ck_assert_str_eq(b, "-1,000");
	uil_count(999, b, sizeof b);
	ck_assert_str_eq(b, "999");
	uil_money(true, 123456789, 2, 12, false, b, sizeof b); /* 1,234,567.89 */
	ck_assert_str_eq(b, "1,234,568");
	uil_money(true, 123456789, 2, 6, false, b, sizeof b);
	ck_assert_int_le((int)strlen(b), 6);
	ck_assert_str_eq(b, "1.2M");
	uil_money(false, 0, 2, 6, false, b, sizeof b);
	ck_assert_str_eq(b, "\xe2\x80\x93");
	uil_money(false, 0, 2, 6, true, b, sizeof b);
	ck_assert_str_eq(b, "-");
	uil_share((struct qpc_share){ QPC_SHARE_OK, 6919, 0.6919 }, false, b, sizeof b);
	ck_assert_str_eq(b, "69.2%"); /* rounded, as the report: 69.19% */
	uil_share((struct qpc_share){ QPC_SHARE_OVER, 10000, 1 }, false, b, sizeof b);
	ck_assert_str_eq(b, "100%+");
	uil_share((struct qpc_share){ QPC_SHARE_UNDEFINED, 0, 0 }, true, b, sizeof b);
	ck_assert_str_eq(b, "-");
	qpc_date d;
	qpc_date_parse_iso("2026-11-27", &d);
	uil_age(true, d - 12, d, b, sizeof b);
	ck_assert_str_eq(b, "12d");
	uil_age(true, d - 400, d, b, sizeof b);
	ck_assert_str_eq(b, "13mo");
	uil_age(true, d - 900, d, b, sizeof b);
	ck_assert_str_eq(b, "2.4y");
	uil_age(false, 0, d, b, sizeof b);
	ck_assert_str_eq(b, "none");
}
END_TEST

Suite *uilayout_suite(void)
{
	Suite *s = suite_create("uilayout");
	TCase *tc = tcase_create("layout");
	tcase_add_test(tc, eighths_fill_bars_and_gauges);
	tcase_add_test(tc, sparkline_levels);
	tcase_add_test(tc, curve_resamples_and_marks_partners);
	tcase_add_test(tc, panes_share_the_height);
	tcase_add_test(tc, scrolling_keeps_the_cursor_in_sight);
	tcase_add_test(tc, labels_fit_narrow_columns);
	suite_add_tcase(s, tc);
	return s;
}
