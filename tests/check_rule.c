/* check_rule.c — a checklist step's rule: parsed, written back in its
 * canonical words, and checked against the facts of each period. */
#include "tests.h"
#include <string.h>

#include "qpc/rule.h"

static struct qpc_rule parse_ok(const char *text, int mu)
{
	struct qpc_rule r;
	char why[200] = "";
	ck_assert_msg(qpc_rule_parse(text, mu, &r, why, sizeof why), "'%s' refused: %s", text, why);
	return r;
}

/* Refused, with the reason holding `says`. */
static void parse_bad(const char *text, const char *says)
{
	struct qpc_rule r;
	char why[200] = "";
	ck_assert_msg(!qpc_rule_parse(text, 2, &r, why, sizeof why), "'%s' accepted", text);
	ck_assert_msg(strstr(why, says), "'%s': '%s' does not say '%s'", text, why, says);
}

static const char *canon(const char *text, int mu)
{
	static char buf[QPC_RULE_TEXT];
	struct qpc_rule r = parse_ok(text, mu);
	return qpc_rule_format(&r, mu, buf, sizeof buf);
}

START_TEST(words)
{
	struct qpc_rule r = parse_ok("categories>=3 quarters=4", 2);
	ck_assert_int_eq(r.categories, 3);
	ck_assert_int_eq(r.periods, 4);
	ck_assert_int_eq(r.months, 3);
	ck_assert(!r.has_sales && !r.has_share);
	r = parse_ok("  SALES>=1250.5\tshare>=62.55 ", 2);
	ck_assert(r.has_sales && r.sales == 125050);
	ck_assert(r.has_share && r.share_bp == 6255);
	ck_assert_int_eq(r.periods, 1);
	ck_assert_int_eq(r.months, 12);
	r = parse_ok("sales>=1250 month=1", 0); /* a yen has no cents */
	ck_assert(r.sales == 1250 && r.months == 1 && r.periods == 1);
	r = parse_ok("share>=100%", 2);
	ck_assert_int_eq(r.share_bp, 10000);
	r = parse_ok("categories>=1 years=3", 2);
	ck_assert(r.periods == 3 && r.months == 12);
}
END_TEST

START_TEST(canonical_words)
{
	ck_assert_str_eq(canon("quarters=4  categories>=3", 2), "categories>=3 quarters=4");
	ck_assert_str_eq(canon("share>=75 sales>=1000.00", 2), "sales>=1000 share>=75");
	ck_assert_str_eq(canon("sales>=1000.5", 2), "sales>=1000.50");
	ck_assert_str_eq(canon("share>=62.50", 2), "share>=62.5");
	ck_assert_str_eq(canon("share>=0.05", 2), "share>=0.05");
	ck_assert_str_eq(canon("Categories>=2 Month=6", 2), "categories>=2 months=6");
	/* the words it writes read back the same */
	const char *again = canon("sales>=99.99 categories>=12 months=12", 2);
	ck_assert_str_eq(canon(again, 2), again);
}
END_TEST

START_TEST(refusals_name_the_word_and_column)
{
	parse_bad("", "needs categories");
	parse_bad("   ", "needs categories");
	parse_bad("categories>3", "'categories>3' (column 1)");
	parse_bad("quarters=4 categories=>3", "(column 12)");
	parse_bad("categories>=0", "1 to 999");
	parse_bad("categories>=1000", "1 to 999");
	parse_bad("categories>=2x", "whole number");
	parse_bad("categories>=3 categories>=4", "repeats");
	parse_bad("sales>=0", "above 0");
	parse_bad("sales>=-5", "above 0");
	parse_bad("sales>=1e3", "above 0");
	parse_bad("sales>=abc", "above 0");
	parse_bad("share>=101", "0 to 100");
	parse_bad("share>=100.01", "0 to 100");
	parse_bad("share>=75.123", "0 to 100");
	parse_bad("share>=.5", "0 to 100");
	parse_bad("share=75", "needs >=");
	parse_bad("quarters>=4 categories>=1", "needs =");
	parse_bad("months=13 categories>=1", "1 to 12");
	parse_bad("years=4 categories>=1", "36 months");
	parse_bad("quarters=4 months=2 categories>=1", "second period");
	parse_bad("quarters=4", "'quarters=4' (column 1) says when, not what");
	parse_bad("share>=75 quarters=4", "(column 11) says when");
	parse_bad("weeks=2 categories>=1", "is not one qpc knows");
	parse_bad("bought", "says nothing to check");
	/* the column counts characters, not bytes */
	parse_bad("categories>=1 \xc3\xa9t\xc3\xa9 share>=1", "(column 15)");
	parse_bad("categories>=1 share>=1 categories\xe2\x89\xa5" "3", "(column 24)");
	/* a long word is named by its start, cut between characters */
	char longword[200] = "categories>=1 ";
	for (int i = 0; i < 30; i++)
		strcat(longword, "\xc3\xa9"); /* 60 bytes of e-acute */
	strcat(longword, ">=3");
	struct qpc_rule r;
	char why[200];
	ck_assert(!qpc_rule_parse(longword, 2, &r, why, sizeof why));
	ck_assert_msg(strstr(why, "'\xc3\xa9\xc3\xa9") && strstr(why, "\xc3\xa9...' (column 15)"), "%s", why);
}
END_TEST

static bool check(const char *text, const struct qpc_rule_facts *f, char *ev, size_t n)
{
	struct qpc_rule r = parse_ok(text, 2);
	return qpc_rule_check(&r, f, 2, ev, n);
}

START_TEST(every_period_must_hold)
{
	char ev[320];
	struct qpc_rule_facts f = { .nperiods = 4, .lines = true,
		                    .period = { { 3, 100 }, { 4, 200 }, { 2, 300 }, { 3, 400 } } };
	ck_assert(!check("categories>=3 quarters=4", &f, ev, sizeof ev));
	ck_assert_str_eq(ev, "Categories by quarter, oldest first: 3 4 2 3 (needs 3 in each).");
	f.period[2].categories = 3;
	ck_assert(check("categories>=3 quarters=4", &f, ev, sizeof ev));
	/* sales in each period, the first under */
	f.period[0].sales = 99999;
	f.period[1].sales = 100000;
	f.period[2].sales = 250000;
	f.period[3].sales = 100000;
	ck_assert(!check("sales>=1000 quarters=4", &f, ev, sizeof ev));
	ck_assert_str_eq(ev, "Bought by quarter, oldest first: 999.99 1,000.00 2,500.00 1,000.00 (needs"
	                     " 1,000.00 in each).");
	f.period[0].sales = 100000;
	ck_assert(check("sales>=1000 quarters=4", &f, ev, sizeof ev));
}
END_TEST

START_TEST(one_period_and_the_share)
{
	char ev[320];
	struct qpc_rule_facts f = { .nperiods = 1, .lines = true, .period = { { 1, 388985 } },
		                    .share_known = true, .share_bp = 4923 };
	ck_assert(!check("categories>=2 sales>=1000 share>=50", &f, ev, sizeof ev));
	ck_assert_str_eq(ev, "1 category in 12 months (needs 2). Bought 3,889.85 in 12 months (needs"
	                     " 1,000.00). Share 49.23% (needs 50%).");
	f.period[0].categories = 2;
	f.share_bp = 5000;
	ck_assert(check("categories>=2 sales>=1000 share>=50", &f, ev, sizeof ev));
	ck_assert(check("categories>=2 quarters=1", &f, ev, sizeof ev));
	ck_assert_str_eq(ev, "2 categories in the last quarter (needs 2).");
	/* the share a hair under: never rounded up to pass */
	f.share_bp = 7499;
	ck_assert(!check("share>=75", &f, ev, sizeof ev));
	ck_assert_str_eq(ev, "Share 74.99% (needs 75%).");
}
END_TEST

START_TEST(unknown_facts_never_meet)
{
	char ev[320];
	struct qpc_rule_facts f = { .nperiods = 0, .lines = false, .share_known = false };
	ck_assert(!check("share>=10", &f, ev, sizeof ev));
	ck_assert_str_eq(ev, "No QPC measured, so no share (needs 10%).");
	ck_assert(!check("categories>=1", &f, ev, sizeof ev));
	ck_assert(strstr(ev, "No sales lines, only a 12-month figure"));
	/* the CRM's 12-month figure answers sales over the 12 months alone */
	struct qpc_rule_facts crm = { .nperiods = 1, .lines = false, .period = { { 0, 500000 } } };
	ck_assert(check("sales>=1000", &crm, ev, sizeof ev));
	ck_assert_str_eq(ev, "Bought 5,000.00 in 12 months (the CRM's figure) (needs 1,000.00).");
	ck_assert(!check("sales>=1000 quarters=2", &crm, ev, sizeof ev));
	ck_assert_str_eq(ev, "No sales lines, only a 12-month figure: no dates to check each quarter.");
	ck_assert(!check("categories>=1 sales>=1000", &crm, ev, sizeof ev));
	ck_assert(strstr(ev, "no categories to check. Bought 5,000.00"));
	/* a long rule's evidence is cut, never overrun */
	struct qpc_rule_facts g = { .nperiods = 12, .lines = true };
	for (int i = 0; i < 12; i++)
		g.period[i] = (struct qpc_rule_period){ 999, INT64_MAX / 16 };
	char small[40];
	ck_assert(check("categories>=1 sales>=1 months=12", &g, small, sizeof small));
	ck_assert_uint_eq(strlen(small), sizeof small - 1);
}
END_TEST

Suite *rule_suite(void)
{
	Suite *s = suite_create("rule");
	TCase *tc = tcase_create("rule");
	tcase_add_test(tc, words);
	tcase_add_test(tc, canonical_words);
	tcase_add_test(tc, refusals_name_the_word_and_column);
	tcase_add_test(tc, every_period_must_hold);
	tcase_add_test(tc, one_period_and_the_share);
	tcase_add_test(tc, unknown_facts_never_meet);
	suite_add_tcase(s, tc);
	return s;
}
