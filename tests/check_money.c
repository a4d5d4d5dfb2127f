/* check_money.c — parsing, rounding and formatting of integer money. */
#include "tests.h"
#include <stdint.h>

#include "qpc/money.h"

static qpc_money parse_ok(const char *s, int mu)
{
	qpc_money v = 12345;
	const char *why = NULL;
	ck_assert_msg(qpc_money_parse_plain(s, mu, &v, &why), "'%s' rejected: %s", s, why);
	return v;
}

static const char *parse_bad(const char *s, int mu)
{
	qpc_money v = 777;
	const char *why = NULL;
	ck_assert_msg(!qpc_money_parse_plain(s, mu, &v, &why), "'%s' accepted", s);
	ck_assert_int_eq(v, 777);
	ck_assert_ptr_nonnull(why);
	return why;
}

START_TEST(plain_values)
{
	ck_assert_int_eq(parse_ok("1234.5", 2), 123450);
	ck_assert_int_eq(parse_ok("1234.50", 2), 123450);
	ck_assert_int_eq(parse_ok("-1234.5", 2), -123450);
	ck_assert_int_eq(parse_ok("+7", 2), 700);
	ck_assert_int_eq(parse_ok("0", 2), 0);
	ck_assert_int_eq(parse_ok("-0", 2), 0);
	ck_assert_int_eq(parse_ok(".5", 2), 50);
	ck_assert_int_eq(parse_ok("5.", 2), 500);
	ck_assert_int_eq(parse_ok("000123.00", 2), 12300);
	ck_assert_int_eq(parse_ok("1234", 0), 1234);
	ck_assert_int_eq(parse_ok("1.234", 3), 1234);
}
END_TEST

START_TEST(rounding_half_away_from_zero)
{
	ck_assert_int_eq(parse_ok("0.005", 2), 1);
	ck_assert_int_eq(parse_ok("-0.005", 2), -1);
	ck_assert_int_eq(parse_ok("0.0049999", 2), 0);
	ck_assert_int_eq(parse_ok("1.125", 2), 113);
	ck_assert_int_eq(parse_ok("-1.125", 2), -113);
	ck_assert_int_eq(parse_ok("2.5", 0), 3);
	ck_assert_int_eq(parse_ok("-2.5", 0), -3);
	ck_assert_int_eq(parse_ok("0.0000000001", 2), 0);
	ck_assert_int_eq(parse_ok("16.448", 2), 1645);
	ck_assert_int_eq(parse_ok("9.995", 2), 1000);
}
END_TEST

START_TEST(exponents)
{
	ck_assert_int_eq(parse_ok("9.9213206E7", 2), 9921320600LL);
	ck_assert_int_eq(parse_ok("1e3", 2), 100000);
	ck_assert_int_eq(parse_ok("1.5e-2", 2), 2);
	ck_assert_int_eq(parse_ok("1E+2", 0), 100);
	ck_assert_int_eq(parse_ok("1e-99999999", 2), 0);
	parse_bad("1e", 2);
	parse_bad("1e+", 2);
	parse_bad("1e99999", 2);
}
END_TEST

START_TEST(limits)
{
	ck_assert_int_eq(parse_ok("92233720368547758.07", 2), INT64_MAX);
	ck_assert_int_eq(parse_ok("-92233720368547758.07", 2), -INT64_MAX);
	parse_bad("92233720368547758.08", 2);
	parse_bad("100000000000000000000", 0);
	parse_bad("99999999999999999999999999999999999999999999999", 2);
	ck_assert_int_eq(parse_ok("0.000000000000000000000000000000000000000000000001", 2), 0);
}
END_TEST

START_TEST(malformed)
{
	parse_bad("", 2);
	parse_bad("-", 2);
	parse_bad(".", 2);
	parse_bad("abc", 2);
	parse_bad("1,234.50", 2);
	parse_bad("12 34", 2);
	parse_bad("1.2.3", 2);
	parse_bad("$5", 2);
	parse_bad("5$", 2);
	parse_bad("--5", 2);
	parse_bad(NULL, 2);
	parse_bad("1", 9);
}
END_TEST

START_TEST(formatting)
{
	char b[32];
	ck_assert_str_eq(qpc_money_format(123450, 2, QPC_MONEY_PLAIN, b, sizeof b), "1234.50");
	ck_assert_str_eq(qpc_money_format(-5, 2, QPC_MONEY_PLAIN, b, sizeof b), "-0.05");
	ck_assert_str_eq(qpc_money_format(0, 2, QPC_MONEY_PLAIN, b, sizeof b), "0.00");
	ck_assert_str_eq(qpc_money_format(0, 0, QPC_MONEY_PLAIN, b, sizeof b), "0");
	ck_assert_str_eq(qpc_money_format(123456789, 2, QPC_MONEY_GROUPED, b, sizeof b), "1,234,567.89");
	ck_assert_str_eq(qpc_money_format(-100000, 0, QPC_MONEY_GROUPED, b, sizeof b), "-100,000");
	ck_assert_str_eq(qpc_money_format(INT64_MIN, 2, QPC_MONEY_PLAIN, b, sizeof b),
	                 "-92233720368547758.08");
	ck_assert_str_eq(qpc_money_format(INT64_MAX, 2, QPC_MONEY_GROUPED, b, sizeof b),
	                 "92,233,720,368,547,758.07");
	ck_assert_str_eq(qpc_money_format(95000, 2, QPC_MONEY_SHORT, b, sizeof b), "950");
	ck_assert_str_eq(qpc_money_format(1250000, 2, QPC_MONEY_SHORT, b, sizeof b), "12.5k");
	ck_assert_str_eq(qpc_money_format(123456789, 2, QPC_MONEY_SHORT, b, sizeof b), "1.2M");
	ck_assert_str_eq(qpc_money_format(-250000000, 2, QPC_MONEY_SHORT, b, sizeof b), "-2.5M");
	ck_assert_str_eq(qpc_money_format(99900000000, 2, QPC_MONEY_SHORT, b, sizeof b), "999M");
}
END_TEST

/* Issue 14: 1,587,700 read 1.5M.  Short amounts are rounded half away
 * from zero, at every step of the suffixes. */
START_TEST(short_amounts_are_rounded)
{
	char b[32];
	ck_assert_str_eq(qpc_money_format(158770000, 2, QPC_MONEY_SHORT, b, sizeof b), "1.6M");
	ck_assert_str_eq(qpc_money_format(-158770000, 2, QPC_MONEY_SHORT, b, sizeof b), "-1.6M");
	ck_assert_str_eq(qpc_money_format(1587700, 0, QPC_MONEY_SHORT, b, sizeof b), "1.6M");
	ck_assert_str_eq(qpc_money_format(1250, 0, QPC_MONEY_SHORT, b, sizeof b), "1.3k");
	ck_assert_str_eq(qpc_money_format(-1250, 0, QPC_MONEY_SHORT, b, sizeof b), "-1.3k");
	ck_assert_str_eq(qpc_money_format(1249, 0, QPC_MONEY_SHORT, b, sizeof b), "1.2k");
	ck_assert_str_eq(qpc_money_format(99960, 0, QPC_MONEY_SHORT, b, sizeof b), "100k");
	ck_assert_str_eq(qpc_money_format(123500, 0, QPC_MONEY_SHORT, b, sizeof b), "124k");
	ck_assert_str_eq(qpc_money_format(999600, 0, QPC_MONEY_SHORT, b, sizeof b), "1.0M");
	/* cents count: 999.50 is a thousand, 949.49 is not */
	ck_assert_str_eq(qpc_money_format(99950, 2, QPC_MONEY_SHORT, b, sizeof b), "1.0k");
	ck_assert_str_eq(qpc_money_format(94949, 2, QPC_MONEY_SHORT, b, sizeof b), "949");
	ck_assert_str_eq(qpc_money_format(-40, 2, QPC_MONEY_SHORT, b, sizeof b), "0");
	ck_assert_str_eq(qpc_money_format(INT64_MAX, 0, QPC_MONEY_SHORT, b, sizeof b), "9.2E");
	ck_assert_str_eq(qpc_money_format(INT64_MIN, 4, QPC_MONEY_SHORT, b, sizeof b), "-922T");
}
END_TEST

START_TEST(whole_units_are_rounded)
{
	char b[32];
	ck_assert_str_eq(qpc_money_format(123456789, 2, QPC_MONEY_WHOLE, b, sizeof b), "1,234,568");
	ck_assert_str_eq(qpc_money_format(123456749, 2, QPC_MONEY_WHOLE, b, sizeof b), "1,234,567");
	ck_assert_str_eq(qpc_money_format(-150, 2, QPC_MONEY_WHOLE, b, sizeof b), "-2");
	ck_assert_str_eq(qpc_money_format(-49, 2, QPC_MONEY_WHOLE, b, sizeof b), "0");
	ck_assert_str_eq(qpc_money_format(99950, 2, QPC_MONEY_WHOLE, b, sizeof b), "1,000");
	ck_assert_str_eq(qpc_money_format(1234, 0, QPC_MONEY_WHOLE, b, sizeof b), "1,234");
	ck_assert_str_eq(qpc_money_format(INT64_MAX, 2, QPC_MONEY_WHOLE, b, sizeof b),
	                 "92,233,720,368,547,758");
}
END_TEST

START_TEST(shares_and_points_are_rounded)
{
	char b[32];
	ck_assert_int_eq(qpc_round_div(5, 2), 3);
	ck_assert_int_eq(qpc_round_div(-5, 2), -3);
	ck_assert_int_eq(qpc_round_div(5, -2), -3);
	ck_assert_int_eq(qpc_round_div(7, 3), 2);
	ck_assert_int_eq(qpc_round_div(1, 0), 0);
	ck_assert_int_eq(qpc_round_div(INT64_MIN, -1), INT64_MAX);
	/* a share of 47.57% held as 4757 basis points reads 47.6% */
	ck_assert_int_eq(qpc_round_div(4757, 10), 476);
	ck_assert_str_eq(qpc_permille_format(qpc_round_div(4757, 10), b, sizeof b), "47.6%");
	ck_assert_str_eq(qpc_permille_format(qpc_permille(2, 3), b, sizeof b), "66.7%");
	ck_assert_str_eq(qpc_permille_format(qpc_permille(1, 8), b, sizeof b), "12.5%");
	ck_assert_str_eq(qpc_permille_format(qpc_permille(1, 1600), b, sizeof b), "0.1%");
	ck_assert_str_eq(qpc_permille_format(qpc_permille(-1, 40), b, sizeof b), "-2.5%");
	ck_assert_str_eq(qpc_permille_format(qpc_permille(INT64_MAX, INT64_MAX), b, sizeof b),
	                 "100.0%");
	ck_assert_int_eq(qpc_percent(2, 3), 67);
	ck_assert_int_eq(qpc_percent(-21, 20), -105);
	ck_assert_int_eq(qpc_percent(INT64_MAX, INT64_MAX / 2), 200);
	ck_assert_str_eq(qpc_points_format(698, b, sizeof b), "69.8 points");
	ck_assert_str_eq(qpc_points_format(10, b, sizeof b), "1 point");
	ck_assert_str_eq(qpc_points_format(-10, b, sizeof b), "-1 point");
	ck_assert_str_eq(qpc_points_format(5, b, sizeof b), "0.5 points");
	ck_assert_str_eq(qpc_points_format(200, b, sizeof b), "20 points");
}
END_TEST

START_TEST(round_trip)
{
	static const qpc_money vals[] = { 0, 1, -1, 99, 100, 123456, -987654321, INT64_MAX, -INT64_MAX };
	char b[32];
	for (size_t i = 0; i < sizeof vals / sizeof *vals; i++)
		for (int mu = 0; mu <= 4; mu++)
			ck_assert_int_eq(parse_ok(qpc_money_format(vals[i], mu, QPC_MONEY_PLAIN, b, sizeof b), mu),
			                 vals[i]);
}
END_TEST

START_TEST(checked_arithmetic)
{
	qpc_money r = 5;
	ck_assert(qpc_money_add(1, 2, &r) && r == 3);
	ck_assert(!qpc_money_add(INT64_MAX, 1, &r) && r == 3);
	ck_assert(!qpc_money_sub(INT64_MIN, 1, &r) && r == 3);
	ck_assert(qpc_money_sub(0, INT64_MAX, &r) && r == -INT64_MAX);
}
END_TEST

Suite *money_suite(void)
{
	Suite *s = suite_create("money");
	TCase *tc = tcase_create("parse");
	tcase_add_test(tc, plain_values);
	tcase_add_test(tc, rounding_half_away_from_zero);
	tcase_add_test(tc, exponents);
	tcase_add_test(tc, limits);
	tcase_add_test(tc, malformed);
	suite_add_tcase(s, tc);
	tc = tcase_create("format");
	tcase_add_test(tc, formatting);
	tcase_add_test(tc, short_amounts_are_rounded);
	tcase_add_test(tc, whole_units_are_rounded);
	tcase_add_test(tc, shares_and_points_are_rounded);
	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, checked_arithmetic);
	suite_add_tcase(s, tc);
	return s;
}
