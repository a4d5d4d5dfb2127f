/* check_amount.c — money, counts and shares as exports write them. */
#include "tests.h"

#include <stdio.h>
#include <string.h>

#include "qpc/amount.h"
#include "qpc/typed.h"

static qpc_money ok_cur(const char *s, enum amount_dec dec, const char *want_cur)
{
	qpc_money v = 777;
	char cur[AMOUNT_CURRENCY_MAX] = "x";
	const char *why = NULL;
	enum amount_rc rc = amount_parse(s, dec, 2, &v, cur, &why);
	ck_assert_msg(rc == AMOUNT_OK, "'%s' (mode %d): rc %d, %s", s, dec, rc, why);
	ck_assert_str_eq(cur, want_cur);
	return v;
}

static qpc_money ok(const char *s, enum amount_dec dec)
{
	qpc_money v = 777;
	const char *why = NULL;
	enum amount_rc rc = amount_parse(s, dec, 2, &v, NULL, &why);
	ck_assert_msg(rc == AMOUNT_OK, "'%s' (mode %d): rc %d, %s", s, dec, rc, why);
	return v;
}

static const char *bad(const char *s, enum amount_dec dec, enum amount_rc want)
{
	qpc_money v = 777;
	const char *why = NULL;
	enum amount_rc rc = amount_parse(s, dec, 2, &v, NULL, &why);
	ck_assert_msg(rc == want, "'%s' (mode %d): rc %d, want %d", s, dec, rc, want);
	ck_assert_int_eq(v, 777);
	ck_assert_ptr_nonnull(why);
	return why;
}

START_TEST(crm_formats)
{
	ck_assert_int_eq(ok_cur("1234.5", AMOUNT_DEC_AUTO, ""), 123450);
	ck_assert_int_eq(ok_cur("$1,234.50", AMOUNT_DEC_AUTO, "$"), 123450);
	ck_assert_int_eq(ok_cur("1.234,50 €", AMOUNT_DEC_AUTO, "€"), 123450);
	ck_assert_int_eq(ok_cur("1 234,56", AMOUNT_DEC_AUTO, ""), 123456);
	ck_assert_int_eq(ok_cur("1\u00a0234,56", AMOUNT_DEC_AUTO, ""), 123456);
	ck_assert_int_eq(ok_cur("1\u202f234,56\u00a0€", AMOUNT_DEC_AUTO, "€"), 123456);
	ck_assert_int_eq(ok_cur("-9,13 €", AMOUNT_DEC_AUTO, "€"), -913);
	ck_assert_int_eq(ok_cur("(1,234.50)", AMOUNT_DEC_AUTO, ""), -123450);
	ck_assert_int_eq(ok_cur("($1,234.50)", AMOUNT_DEC_AUTO, "$"), -123450);
	ck_assert_int_eq(ok_cur("9.9213206E7", AMOUNT_DEC_AUTO, ""), 9921320600LL);
	ck_assert_int_eq(ok_cur("  42  ", AMOUNT_DEC_AUTO, ""), 4200);
	ck_assert_int_eq(ok_cur("USD 1,234.50", AMOUNT_DEC_AUTO, "USD"), 123450);
	ck_assert_int_eq(ok_cur("1,234.50 EUR", AMOUNT_DEC_AUTO, "EUR"), 123450);
	ck_assert_int_eq(ok_cur("12EUR", AMOUNT_DEC_AUTO, "EUR"), 1200);
	ck_assert_int_eq(ok_cur("£5", AMOUNT_DEC_AUTO, "£"), 500);
	ck_assert_int_eq(ok_cur("¥1,000,000", AMOUNT_DEC_AUTO, "¥"), 100000000);
	ck_assert_int_eq(ok_cur("US$12.00", AMOUNT_DEC_AUTO, "US$"), 1200);
	ck_assert_int_eq(ok_cur("-$5.25", AMOUNT_DEC_AUTO, "$"), -525);
	ck_assert_int_eq(ok_cur("$-5.25", AMOUNT_DEC_AUTO, "$"), -525);
	ck_assert_int_eq(ok_cur("€ -5,25", AMOUNT_DEC_AUTO, "€"), -525);
	ck_assert_int_eq(ok_cur("1.234,50-", AMOUNT_DEC_AUTO, ""), -123450);
	ck_assert_int_eq(ok_cur("\u22127.5", AMOUNT_DEC_AUTO, ""), -750);
	ck_assert_int_eq(ok_cur("+7", AMOUNT_DEC_AUTO, ""), 700);
	ck_assert_int_eq(ok_cur("1'234.50", AMOUNT_DEC_AUTO, ""), 123450);
	ck_assert_int_eq(ok_cur("CHF 1\u2019234.50", AMOUNT_DEC_AUTO, "CHF"), 123450);
	ck_assert_int_eq(ok_cur("₹12,34,567.89", AMOUNT_DEC_AUTO, "₹"), 123456789);
	ck_assert_int_eq(ok_cur("1,234,567.891", AMOUNT_DEC_AUTO, ""), 123456789);
	ck_assert_int_eq(ok_cur("1.234.567", AMOUNT_DEC_AUTO, ""), 123456700);
	ck_assert_int_eq(ok_cur("16.448", AMOUNT_DEC_POINT, ""), 1645);
	ck_assert_int_eq(ok_cur(".5", AMOUNT_DEC_AUTO, ""), 50);
	ck_assert_int_eq(ok_cur(",5", AMOUNT_DEC_AUTO, ""), 50);
	ck_assert_int_eq(ok_cur("1,5E3", AMOUNT_DEC_AUTO, ""), 150000);
}
END_TEST

START_TEST(rounds_through_money)
{
	qpc_money v = 0;
	ck_assert_int_eq(amount_parse("1.234,565 €", AMOUNT_DEC_COMMA, 2, &v, NULL, NULL), AMOUNT_OK);
	ck_assert_int_eq(v, 123457);
	ck_assert_int_eq(amount_parse("(0.005)", AMOUNT_DEC_AUTO, 2, &v, NULL, NULL), AMOUNT_OK);
	ck_assert_int_eq(v, -1);
	ck_assert_int_eq(amount_parse("¥1,234", AMOUNT_DEC_POINT, 0, &v, NULL, NULL), AMOUNT_OK);
	ck_assert_int_eq(v, 1234);
}
END_TEST

START_TEST(unambiguous_single_separator)
{
	ck_assert_int_eq(ok("261,96", AMOUNT_DEC_AUTO), 26196);
	ck_assert_int_eq(ok("1234,567", AMOUNT_DEC_AUTO), 123457);  /* no group of 4 */
	ck_assert_int_eq(ok("0,123", AMOUNT_DEC_AUTO), 12);         /* no group "0" */
	ck_assert_int_eq(ok("1.5", AMOUNT_DEC_AUTO), 150);
	ck_assert_int_eq(ok("12.3456", AMOUNT_DEC_AUTO), 1235);
	ck_assert_int_eq(ok("1 234.567", AMOUNT_DEC_AUTO), 123457); /* space groups */
}
END_TEST

START_TEST(ambiguous_needs_a_mode)
{
	ck_assert_str_eq(bad("1,234", AMOUNT_DEC_AUTO, AMOUNT_AMBIGUOUS),
			 "could have a decimal point or a decimal comma");
	bad("1.234", AMOUNT_DEC_AUTO, AMOUNT_AMBIGUOUS);
	bad("$999.000", AMOUNT_DEC_AUTO, AMOUNT_AMBIGUOUS);
	bad("-12,500 €", AMOUNT_DEC_AUTO, AMOUNT_AMBIGUOUS);
	ck_assert_int_eq(ok("1,234", AMOUNT_DEC_POINT), 123400);
	ck_assert_int_eq(ok("1,234", AMOUNT_DEC_COMMA), 123);
	ck_assert_int_eq(ok("1.234", AMOUNT_DEC_POINT), 123);
	ck_assert_int_eq(ok("1.234", AMOUNT_DEC_COMMA), 123400);
}
END_TEST

START_TEST(mode_contradicted)
{
	ck_assert_str_eq(bad("1.234,50", AMOUNT_DEC_POINT, AMOUNT_INVALID),
			 "decimal separator differs from the column's");
	ck_assert_str_eq(bad("1,234.50", AMOUNT_DEC_COMMA, AMOUNT_INVALID),
			 "decimal separator differs from the column's");
	ck_assert_str_eq(bad("261,96", AMOUNT_DEC_POINT, AMOUNT_INVALID),
			 "misplaced thousands separator");
	ck_assert_str_eq(bad("1.5", AMOUNT_DEC_COMMA, AMOUNT_INVALID),
			 "misplaced thousands separator");
	ck_assert_str_eq(bad("1,234,567", AMOUNT_DEC_COMMA, AMOUNT_INVALID),
			 "more than one decimal separator");
	ck_assert_str_eq(bad("9.5E3", AMOUNT_DEC_COMMA, AMOUNT_INVALID),
			 "decimal separator differs from the column's");
	/* Found by fuzz_amount: a forced mode read "0.005" as grouping (5),
	 * where AUTO reads 0.005; no grouped number starts with 0. */
	ck_assert_str_eq(bad("0.005", AMOUNT_DEC_COMMA, AMOUNT_INVALID),
			 "misplaced thousands separator");
	ck_assert_str_eq(bad("0,123", AMOUNT_DEC_POINT, AMOUNT_INVALID),
			 "misplaced thousands separator");
	ck_assert_str_eq(bad("0 123,5", AMOUNT_DEC_COMMA, AMOUNT_INVALID),
			 "misplaced thousands separator");
	ck_assert_int_eq(ok("0.005", AMOUNT_DEC_POINT), 1);
	ck_assert_int_eq(ok("0,123", AMOUNT_DEC_COMMA), 12);
}
END_TEST

START_TEST(rejects)
{
	ck_assert_str_eq(bad("abc", AMOUNT_DEC_AUTO, AMOUNT_INVALID), "not a number");
	ck_assert_str_eq(bad("$", AMOUNT_DEC_AUTO, AMOUNT_INVALID), "not a number");
	ck_assert_str_eq(bad("12 apples", AMOUNT_DEC_AUTO, AMOUNT_INVALID),
			 "unexpected text after the number");
	ck_assert_str_eq(bad("(5", AMOUNT_DEC_AUTO, AMOUNT_INVALID), "unbalanced parentheses");
	ck_assert_str_eq(bad("5)", AMOUNT_DEC_AUTO, AMOUNT_INVALID), "unbalanced parentheses");
	ck_assert_str_eq(bad("(-5)", AMOUNT_DEC_AUTO, AMOUNT_INVALID),
			 "both parentheses and a sign");
	ck_assert_str_eq(bad("$5 USD", AMOUNT_DEC_AUTO, AMOUNT_INVALID), "more than one currency");
	ck_assert_str_eq(bad("-5-", AMOUNT_DEC_AUTO, AMOUNT_INVALID), "more than one sign");
	ck_assert_str_eq(bad("1,23,4", AMOUNT_DEC_AUTO, AMOUNT_INVALID),
			 "misplaced thousands separator");
	ck_assert_str_eq(bad("12,3456.7", AMOUNT_DEC_AUTO, AMOUNT_INVALID),
			 "misplaced thousands separator");
	ck_assert_str_eq(bad("123,45,678.00", AMOUNT_DEC_AUTO, AMOUNT_INVALID),
			 "misplaced thousands separator");
	ck_assert_str_eq(bad("1 2,345", AMOUNT_DEC_AUTO, AMOUNT_INVALID),
			 "misplaced thousands separator");
	ck_assert_str_eq(bad("1,234 567", AMOUNT_DEC_AUTO, AMOUNT_INVALID),
			 "separator among the decimals");
	ck_assert_str_eq(bad("1.234,567.8", AMOUNT_DEC_AUTO, AMOUNT_INVALID),
			 "mixed-up separators");
	ck_assert_str_eq(bad("1 234.567,8", AMOUNT_DEC_AUTO, AMOUNT_INVALID),
			 "mixed-up separators");
	ck_assert_str_eq(bad("1,234.5,6", AMOUNT_DEC_AUTO, AMOUNT_INVALID),
			 "mixed-up separators");
	ck_assert_str_eq(bad("1,5e3,1", AMOUNT_DEC_AUTO, AMOUNT_INVALID),
			 "unexpected text after the number");
	ck_assert_str_eq(bad("1 000e3", AMOUNT_DEC_AUTO, AMOUNT_INVALID),
			 "grouping in a number with an exponent");
	ck_assert_str_eq(bad("99999999999999999999", AMOUNT_DEC_AUTO, AMOUNT_INVALID),
			 "amount too large");
}
END_TEST

START_TEST(empty_is_not_zero)
{
	qpc_money v = 777;
	ck_assert_int_eq(amount_parse("", AMOUNT_DEC_AUTO, 2, &v, NULL, NULL), AMOUNT_EMPTY);
	ck_assert_int_eq(amount_parse("   ", AMOUNT_DEC_AUTO, 2, &v, NULL, NULL), AMOUNT_EMPTY);
	ck_assert_int_eq(amount_parse("\u00a0\t", AMOUNT_DEC_AUTO, 2, &v, NULL, NULL), AMOUNT_EMPTY);
	ck_assert_int_eq(amount_parse(NULL, AMOUNT_DEC_AUTO, 2, &v, NULL, NULL), AMOUNT_EMPTY);
	ck_assert_int_eq(v, 777);
}
END_TEST

static enum amount_verdict sniff(const char *const *values)
{
	struct amount_sniff sn;
	amount_sniff_init(&sn);
	for (; *values; values++)
		amount_sniff_add(&sn, *values);
	return amount_sniff_result(&sn);
}

START_TEST(sniffing)
{
	const char *comma[] = { "1,234", "261,96", "12", "", NULL };
	const char *point[] = { "1.234", "1,234.50", "7", NULL };
	const char *grouped_point[] = { "1,234,567", "100", NULL };
	const char *grouped_comma[] = { "1.234.567", NULL };
	const char *undecided[] = { "1,234", "999.000", "12", "1 200", "", NULL };
	const char *conflict[] = { "261,96", "16.5", NULL };
	const char *expo[] = { "9.9213206E7", NULL };
	ck_assert_int_eq(sniff(comma), AMOUNT_COMMA);
	ck_assert_int_eq(sniff(point), AMOUNT_POINT);
	ck_assert_int_eq(sniff(grouped_point), AMOUNT_POINT);
	ck_assert_int_eq(sniff(grouped_comma), AMOUNT_COMMA);
	ck_assert_int_eq(sniff(undecided), AMOUNT_UNDECIDED);
	ck_assert_int_eq(sniff(conflict), AMOUNT_CONFLICT);
	ck_assert_int_eq(sniff(expo), AMOUNT_POINT);

	struct amount_sniff sn;
	amount_sniff_init(&sn);
	const char *mixed[] = { "1,234", "261,96", "€ 3,50", "12", "", "n/a", "1,2,3", NULL };
	for (const char *const *p = mixed; *p; p++)
		amount_sniff_add(&sn, *p);
	ck_assert_uint_eq(sn.ambiguous, 1);
	ck_assert_uint_eq(sn.comma, 2);
	ck_assert_uint_eq(sn.point, 0);
	ck_assert_uint_eq(sn.neutral, 2);
	ck_assert_uint_eq(sn.invalid, 2);
	ck_assert_int_eq(amount_sniff_dec(&sn), AMOUNT_DEC_COMMA);
	/* what the sniffer decided reads the ambiguous value */
	ck_assert_int_eq(ok("1,234", amount_sniff_dec(&sn)), 123);
	amount_sniff_add(&sn, "1,234.50");
	ck_assert_int_eq(amount_sniff_dec(&sn), AMOUNT_DEC_AUTO);
}
END_TEST

static int64_t count_ok(const char *s, enum amount_dec dec)
{
	int64_t v = -1;
	const char *why = NULL;
	enum amount_rc rc = amount_parse_count(s, dec, &v, &why);
	ck_assert_msg(rc == AMOUNT_OK, "'%s': rc %d, %s", s, rc, why);
	return v;
}

START_TEST(counts)
{
	int64_t v = -1;
	const char *why = NULL;
	ck_assert_int_eq(count_ok("1200", AMOUNT_DEC_AUTO), 1200);
	ck_assert_int_eq(count_ok(" 1 200 ", AMOUNT_DEC_AUTO), 1200);
	ck_assert_int_eq(count_ok("1,234", AMOUNT_DEC_AUTO), 1234); /* 1.234 is not whole */
	ck_assert_int_eq(count_ok("1.234", AMOUNT_DEC_AUTO), 1234);
	ck_assert_int_eq(count_ok("1.200", AMOUNT_DEC_COMMA), 1200);
	ck_assert_int_eq(count_ok("1.000", AMOUNT_DEC_POINT), 1);
	ck_assert_int_eq(count_ok("1.2E3", AMOUNT_DEC_AUTO), 1200);
	ck_assert_int_eq(count_ok("40.0", AMOUNT_DEC_AUTO), 40);
	ck_assert_int_eq(amount_parse_count("1.000", AMOUNT_DEC_AUTO, &v, &why), AMOUNT_AMBIGUOUS);
	ck_assert_int_eq(amount_parse_count("12.5", AMOUNT_DEC_AUTO, &v, &why), AMOUNT_INVALID);
	ck_assert_str_eq(why, "not a whole number");
	ck_assert_int_eq(amount_parse_count("-3", AMOUNT_DEC_AUTO, &v, &why), AMOUNT_INVALID);
	ck_assert_str_eq(why, "negative count");
	ck_assert_int_eq(amount_parse_count("$3", AMOUNT_DEC_AUTO, &v, &why), AMOUNT_INVALID);
	ck_assert_str_eq(why, "a count has no currency");
	ck_assert_int_eq(amount_parse_count("", AMOUNT_DEC_AUTO, &v, &why), AMOUNT_EMPTY);
	ck_assert_int_eq(v, -1);
}
END_TEST

static int32_t share_ok(const char *s, enum amount_dec dec)
{
	int32_t v = -1;
	const char *why = NULL;
	enum amount_rc rc = amount_parse_share(s, dec, &v, &why);
	ck_assert_msg(rc == AMOUNT_OK, "'%s': rc %d, %s", s, rc, why);
	return v;
}

START_TEST(shares)
{
	int32_t v = -1;
	const char *why = NULL;
	ck_assert_int_eq(share_ok("75%", AMOUNT_DEC_AUTO), 7500);
	ck_assert_int_eq(share_ok(" 75 % ", AMOUNT_DEC_AUTO), 7500);
	ck_assert_int_eq(share_ok("75,5 %", AMOUNT_DEC_AUTO), 7550);
	ck_assert_int_eq(share_ok("0.75", AMOUNT_DEC_AUTO), 7500);
	ck_assert_int_eq(share_ok("0,755", AMOUNT_DEC_AUTO), 7550);
	ck_assert_int_eq(share_ok("75", AMOUNT_DEC_AUTO), 7500);
	ck_assert_int_eq(share_ok("1", AMOUNT_DEC_AUTO), 10000);
	ck_assert_int_eq(share_ok("1.5", AMOUNT_DEC_AUTO), 150);
	ck_assert_int_eq(share_ok("130%", AMOUNT_DEC_AUTO), 13000);
	ck_assert_int_eq(share_ok("0%", AMOUNT_DEC_AUTO), 0);
	ck_assert_int_eq(share_ok("33.3333%", AMOUNT_DEC_AUTO), 3333);
	ck_assert_int_eq(share_ok("66.665%", AMOUNT_DEC_POINT), 6667);
	/* one reading out of range settles an ambiguous value: not 33333% */
	ck_assert_int_eq(share_ok("33.333%", AMOUNT_DEC_AUTO), 3333);
	ck_assert_int_eq(share_ok("0,125", AMOUNT_DEC_AUTO), 1250);
	ck_assert_int_eq(amount_parse_share("1.000%", AMOUNT_DEC_AUTO, &v, &why),
			 AMOUNT_AMBIGUOUS);
	ck_assert_int_eq(share_ok("1.000%", AMOUNT_DEC_COMMA), 100000);
	ck_assert_int_eq(amount_parse_share("-5%", AMOUNT_DEC_AUTO, &v, &why), AMOUNT_INVALID);
	ck_assert_str_eq(why, "negative share");
	ck_assert_int_eq(amount_parse_share("20000%", AMOUNT_DEC_AUTO, &v, &why), AMOUNT_INVALID);
	ck_assert_str_eq(why, "share above 10000%");
	ck_assert_int_eq(amount_parse_share("%", AMOUNT_DEC_AUTO, &v, &why), AMOUNT_INVALID);
	ck_assert_str_eq(why, "not a number");
	ck_assert_int_eq(amount_parse_share("high", AMOUNT_DEC_AUTO, &v, &why), AMOUNT_INVALID);
	ck_assert_int_eq(amount_parse_share(" ", AMOUNT_DEC_AUTO, &v, &why), AMOUNT_EMPTY);
	ck_assert_int_eq(v, -1);
}
END_TEST

/* Plain values ("-1234.5", "14598") take a one-pass path; a leading space
 * sends the same text the long way.  Both must agree on every value,
 * separator mode and number of decimals, including the edges of the
 * short path (three decimals in AUTO, more decimals than the currency
 * has, 14 and 15 digits, a lone point, leading zeros). */
START_TEST(plain_values_read_as_the_long_way_does)
{
	static const char *const values[] = {
		"0", "7", "-7", "007", "-0", "14598", "2078974170.51", "1.5", "-1.25", "0.05",
		"1.234", "1.2345", "1.23456", "12.", ".5", "-", "", "1.2.3", "1,5", "12a",
		"99999999999999", "999999999999999", "99999999999999.9999", "00000000000000001",
		"+5", "1e3", "--1", "5-", "99999999999999999999", "99999999999999.99999",
		"-99999999999999.9999", "12345678901234567890.5",
	};
	static const enum amount_dec modes[] = { AMOUNT_DEC_AUTO, AMOUNT_DEC_POINT, AMOUNT_DEC_COMMA };
	for (size_t i = 0; i < sizeof values / sizeof *values; i++)
		for (size_t m = 0; m < 3; m++)
			for (int units = 0; units <= QPC_MINOR_UNITS_MAX; units++) {
				char spaced[64];
				snprintf(spaced, sizeof spaced, " %s", values[i]);
				qpc_money a = -4242, b = -4242;
				char ca[AMOUNT_CURRENCY_MAX] = "x", cb[AMOUNT_CURRENCY_MAX] = "y";
				enum amount_rc ra = amount_parse(values[i], modes[m], units, &a, ca, NULL);
				enum amount_rc rb = amount_parse(spaced, modes[m], units, &b, cb, NULL);
				ck_assert_msg(ra == rb && a == b && (ra != AMOUNT_OK || strcmp(ca, cb) == 0),
				              "'%s' mode %zu units %d: %d %lld '%s' vs the long way %d %lld '%s'",
				              values[i], m, units, ra, (long long)a, ca, rb, (long long)b, cb);
			}
	for (size_t i = 0; i < sizeof values / sizeof *values; i++)
		for (size_t m = 0; m < 3; m++) {
			char spaced[64];
			snprintf(spaced, sizeof spaced, " %s", values[i]);
			int64_t a = -4242, b = -4242;
			enum amount_rc ra = amount_parse_count(values[i], modes[m], &a, NULL);
			enum amount_rc rb = amount_parse_count(spaced, modes[m], &b, NULL);
			ck_assert_msg(ra == rb && a == b, "count '%s' mode %zu: %d %lld vs %d %lld",
			              values[i], m, ra, (long long)a, rb, (long long)b);
		}
}
END_TEST

/* One limit for every entry path: what the command line or an editor
 * takes (typed_amount) a file may hold, and the reverse; and the reasons
 * read on a command line (no "column" where there is none). */
START_TEST(one_limit_for_files_and_typing)
{
	qpc_money v;
	const char *why;
	ck_assert(amount_in_range(100000000000000LL, 2));  /* a trillion, in cents */
	ck_assert(!amount_in_range(100000000000001LL, 2));
	ck_assert(amount_in_range(-100000000000000LL, 2));
	ck_assert(!amount_in_range(-100000000000001LL, 2));
	ck_assert(amount_in_range(1000000000000LL, 0));
	ck_assert(!amount_in_range(1000000000001LL, 0));
	ck_assert(typed_amount("1000000000000", 2, &v, &why) && v == 100000000000000LL);
	ck_assert(typed_amount("999,999,999,999.99", 2, &v, &why) && v == 99999999999999LL);
	ck_assert(typed_amount("1000000000k", 2, &v, &why) && v == 100000000000000LL);
	static const char *const beyond[] = { "1000000000000.01", "2000000000000", "9.9e14", "9.9E20",
		                              "1000001M", "-2000000000000", "99999999999999999999", NULL };
	for (int i = 0; beyond[i]; i++) {
		why = NULL;
		ck_assert_msg(!typed_amount(beyond[i], 2, &v, &why), "%s was taken", beyond[i]);
		ck_assert_msg(why && strcmp(why, "out of range (at most a trillion, 1,000,000,000,000)") == 0,
		              "%s: %s", beyond[i], why);
	}
	/* a reading that fails both ways says why as a point would */
	ck_assert(!typed_amount("12..5", 2, &v, &why));
	ck_assert_str_eq(why, "more than one decimal separator");
	ck_assert(!typed_amount("1,234.5,6", 2, &v, &why));
	ck_assert_ptr_null(strstr(why, "column"));
	ck_assert(!typed_amount("abc", 2, &v, &why));
	ck_assert_str_eq(why, "not a number");
}
END_TEST

Suite *amount_suite(void)
{
	Suite *s = suite_create("amount");
	TCase *tc = tcase_create("parse");
	tcase_add_test(tc, crm_formats);
	tcase_add_test(tc, rounds_through_money);
	tcase_add_test(tc, unambiguous_single_separator);
	tcase_add_test(tc, ambiguous_needs_a_mode);
	tcase_add_test(tc, mode_contradicted);
	tcase_add_test(tc, rejects);
	tcase_add_test(tc, empty_is_not_zero);
	tcase_add_test(tc, plain_values_read_as_the_long_way_does);
	tcase_add_test(tc, one_limit_for_files_and_typing);
	suite_add_tcase(s, tc);
	tc = tcase_create("sniff");
	tcase_add_test(tc, sniffing);
	suite_add_tcase(s, tc);
	tc = tcase_create("count_share");
	tcase_add_test(tc, counts);
	tcase_add_test(tc, shares);
	suite_add_tcase(s, tc);
	return s;
}
