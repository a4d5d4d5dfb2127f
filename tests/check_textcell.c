/* check_textcell.c — display width, escaping, fitting and column layout. */
#include "tests.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "qpc/textcell.h"

/* Characters by name, so that a hex escape never swallows the next letter. */
#define E_ACUTE "\xc3\xa9"          /* é, precomposed U+00E9 */
#define COMB_ACUTE "\xcc\x81"       /* U+0301 combining acute */
#define E_COMB "e" COMB_ACUTE       /* é, decomposed */
#define ZHONG "\xe4\xb8\xad"        /* 中 U+4E2D, wide */
#define WEN "\xe6\x96\x87"          /* 文 U+6587, wide */
#define ZI "\xe5\xad\x97"           /* 字 U+5B57, wide */
#define GRIN "\xf0\x9f\x98\x80"     /* 😀 U+1F600, wide */
#define FW_A "\xef\xbc\xa1"         /* Ａ U+FF21, fullwidth */
#define ZWSP "\xe2\x80\x8b"         /* U+200B zero width space */
#define ELL "\xe2\x80\xa6"          /* … */
#define RLO "\xe2\x80\xae"          /* U+202E right-to-left override */

static void set_utf8(void)
{
	ck_assert_ptr_nonnull(setlocale(LC_ALL, "C.UTF-8"));
}

static char out[512];

static const char *fit(const char *s, int w, enum textcell_align a)
{
	size_t len = textcell_fit(s, w, a, out, sizeof out);
	ck_assert_uint_eq(len, strlen(out));
	if (w >= 0)
		ck_assert_uint_eq(textcell_width(out), (size_t)w);
	return out;
}

static const char *esc(const char *s)
{
	size_t len = textcell_escape(s, out, sizeof out);
	ck_assert_uint_eq(len, strlen(out));
	return out;
}

/* --- width -------------------------------------------------------------- */

START_TEST(width_basic)
{
	ck_assert_uint_eq(textcell_width(""), 0);
	ck_assert_uint_eq(textcell_width("abc"), 3);
	ck_assert_uint_eq(textcell_width(E_ACUTE), 1);
	ck_assert_uint_eq(textcell_width(E_COMB), 1);
	ck_assert_uint_eq(textcell_width("caf" E_ACUTE), 4);
	ck_assert_uint_eq(textcell_width("cafe" COMB_ACUTE), 4);
	ck_assert_uint_eq(textcell_width(ZHONG WEN), 4);
	ck_assert_uint_eq(textcell_width(GRIN), 2);
	ck_assert_uint_eq(textcell_width("a" GRIN "b"), 4);
}
END_TEST

START_TEST(width_zero_one_two)
{
	ck_assert_uint_eq(textcell_width(ZWSP), 0);
	ck_assert_uint_eq(textcell_width(COMB_ACUTE), 0);
	ck_assert_uint_eq(textcell_width("a"), 1);
	ck_assert_uint_eq(textcell_width(FW_A), 2);
	ck_assert_uint_eq(textcell_width(ZWSP "a" FW_A), 3);
}
END_TEST

START_TEST(width_counts_escapes)
{
	ck_assert_uint_eq(textcell_width("\x1b[31m"), 8);  /* \x1b + [31m */
	ck_assert_uint_eq(textcell_width("\xff"), 4);      /* \xff */
	ck_assert_uint_eq(textcell_width(RLO), 6);         /* \u202e */
	ck_assert_uint_eq(textcell_width("a\tb"), 4);      /* a\tb */
	ck_assert_uint_eq(textcell_width("\xc2\x85"), 6);  /* \u0085 */
	/* width of a string is the width of its escaped form */
	const char *s = "x\x1b" "a" RLO "\xff" ZHONG E_COMB;
	char *e = textcell_escape_dup(s);
	ck_assert_ptr_nonnull(e);
	ck_assert_uint_eq(textcell_width(s), textcell_width(e));
	ck_assert_uint_eq(textcell_width(e), strlen("x\\x1ba\\u202e\\xff") + 3);
	free(e);
}
END_TEST

/* --- escape ------------------------------------------------------------- */

START_TEST(escape_passes_text)
{
	ck_assert_str_eq(esc(""), "");
	ck_assert_str_eq(esc("Acme, Inc. \\ 100%"), "Acme, Inc. \\ 100%");
	ck_assert_str_eq(esc("caf" E_ACUTE), "caf" E_ACUTE);
	ck_assert_str_eq(esc("cafe" COMB_ACUTE), "cafe" COMB_ACUTE);
	ck_assert_str_eq(esc(ZHONG WEN ZI), ZHONG WEN ZI);
	ck_assert_str_eq(esc(GRIN), GRIN);
	ck_assert_str_eq(esc("a" ZWSP "b"), "a" ZWSP "b");
}
END_TEST

START_TEST(escape_controls)
{
	ck_assert_str_eq(esc("\x1b[31mred\x1b[0m"), "\\x1b[31mred\\x1b[0m");
	ck_assert_str_eq(esc("\x1b]0;pwned\x07"), "\\x1b]0;pwned\\x07");
	ck_assert_str_eq(esc("\x1bP+q\x1b\\"), "\\x1bP+q\\x1b\\");
	ck_assert_str_eq(esc("a\nb\r\tc"), "a\\nb\\r\\tc");
	ck_assert_str_eq(esc("\x01\x08\x1f\x7f"), "\\x01\\x08\\x1f\\x7f");
	/* C1 controls, UTF-8 encoded: CSI, NEL, OSC, ST */
	ck_assert_str_eq(esc("\xc2\x9b" "2J"), "\\u009b2J");
	ck_assert_str_eq(esc("\xc2\x85\xc2\x9d\xc2\x9c"), "\\u0085\\u009d\\u009c");
	ck_assert_str_eq(esc("\xc2\x80\xc2\x9f\xc2\xa0"), "\\u0080\\u009f\xc2\xa0");
}
END_TEST

START_TEST(escape_bidi)
{
	ck_assert_str_eq(esc("abc" RLO "fed"), "abc\\u202efed");
	ck_assert_str_eq(esc("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad\xe2\x80\xae"),
			 "\\u202a\\u202b\\u202c\\u202d\\u202e");
	ck_assert_str_eq(esc("\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9"),
			 "\\u2066\\u2067\\u2068\\u2069");
	/* neighbours of the ranges are ordinary */
	ck_assert_str_eq(esc("\xe2\x80\xa9"), "\\u2029"); /* unprintable to wcwidth */
	ck_assert_str_eq(esc("\xe2\x80\xaf"), "\xe2\x80\xaf"); /* narrow nbsp */
}
END_TEST

START_TEST(escape_invalid_utf8)
{
	ck_assert_str_eq(esc("\xff"), "\\xff");
	ck_assert_str_eq(esc("a\xfe\xff" "b"), "a\\xfe\\xffb");
	ck_assert_str_eq(esc("\x80"), "\\x80");                 /* stray continuation */
	ck_assert_str_eq(esc("\xc0\xaf"), "\\xc0\\xaf");        /* overlong '/' */
	ck_assert_str_eq(esc("\xe0\x80\xaf"), "\\xe0\\x80\\xaf");
	ck_assert_str_eq(esc("\xed\xa0\x80"), "\\xed\\xa0\\x80"); /* surrogate */
	ck_assert_str_eq(esc("\xf4\x90\x80\x80"), "\\xf4\\x90\\x80\\x80"); /* > U+10FFFF */
	ck_assert_str_eq(esc("\xe4\xb8" "a"), "\\xe4\\xb8a");   /* truncated */
	ck_assert_str_eq(esc("\xe4\xb8"), "\\xe4\\xb8");         /* truncated at end */
	ck_assert_str_eq(esc("\xc3" E_ACUTE), "\\xc3" E_ACUTE);  /* resynchronises */
	/* unassigned and non-characters, which wcwidth calls unprintable */
	ck_assert_str_eq(esc("\xcd\xb8"), "\\u0378");
	ck_assert_str_eq(esc("\xef\xbf\xbe"), "\\ufffe");
	ck_assert_str_eq(esc("\xf4\x8f\xbf\xbf"), "\\U0010ffff");
}
END_TEST

START_TEST(escape_small_buffer)
{
	char b[16];

	ck_assert_uint_eq(textcell_escape("a\x1b", NULL, 0), 5);
	ck_assert_uint_eq(textcell_escape("a\x1b", b, 5), 5);
	ck_assert_str_eq(b, "a"); /* never half an escape */
	ck_assert_uint_eq(textcell_escape("a\x1b", b, 6), 5);
	ck_assert_str_eq(b, "a\\x1b");
	ck_assert_uint_eq(textcell_escape(ZHONG "x", b, 3), 4);
	ck_assert_str_eq(b, ""); /* never half a character */
	ck_assert_uint_eq(textcell_escape(ZHONG "\x1b" "x", b, 6), 8);
	ck_assert_str_eq(b, ZHONG); /* and nothing after a cut */
	ck_assert_uint_eq(textcell_escape("\xff\xff", b, TEXTCELL_ESCAPE_SIZE(2)), 8);
	ck_assert_str_eq(b, "\\xff\\xff");
	b[0] = 'z';
	ck_assert_uint_eq(textcell_escape("abc", b, 1), 3);
	ck_assert_str_eq(b, "");
}
END_TEST

START_TEST(escape_dup)
{
	char *e = textcell_escape_dup("\x1b[2J" RLO "ok");
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e, "\\x1b[2J\\u202eok");
	free(e);
	e = textcell_escape_dup("");
	ck_assert_ptr_nonnull(e);
	ck_assert_str_eq(e, "");
	free(e);
}
END_TEST

/* --- fit ---------------------------------------------------------------- */

START_TEST(fit_ascii_every_width)
{
	static const char *want[] = {
		"", ELL, "a" ELL, "ab" ELL, "abc" ELL, "abcd" ELL, "abcdef", "abcdef ", "abcdef  ",
	};
	for (int w = 0; w < (int)(sizeof want / sizeof *want); w++)
		ck_assert_str_eq(fit("abcdef", w, TEXTCELL_LEFT), want[w]);
	ck_assert_str_eq(fit("abc", 5, TEXTCELL_RIGHT), "  abc");
	ck_assert_str_eq(fit("12345", 3, TEXTCELL_RIGHT), "12" ELL);
	ck_assert_str_eq(fit("", 3, TEXTCELL_LEFT), "   ");
	ck_assert_str_eq(fit("", 3, TEXTCELL_RIGHT), "   ");
	ck_assert_str_eq(fit("abc", -4, TEXTCELL_LEFT), "");
}
END_TEST

START_TEST(fit_accents)
{
	static const char *pre[] = {
		"", ELL, "c" ELL, "ca" ELL, "caf" E_ACUTE, "caf" E_ACUTE " ",
	};
	static const char *dec[] = {
		"", ELL, "c" ELL, "ca" ELL, "caf" E_COMB, "caf" E_COMB " ",
	};
	for (int w = 0; w < 6; w++) {
		ck_assert_str_eq(fit("caf" E_ACUTE, w, TEXTCELL_LEFT), pre[w]);
		ck_assert_str_eq(fit("caf" E_COMB, w, TEXTCELL_LEFT), dec[w]);
	}
	/* the combining mark stays with its base when the cut follows it */
	ck_assert_str_eq(fit(E_COMB E_COMB E_COMB, 2, TEXTCELL_LEFT), E_COMB ELL);
	ck_assert_str_eq(fit(E_COMB E_COMB E_COMB, 3, TEXTCELL_LEFT), E_COMB E_COMB E_COMB);
	ck_assert_str_eq(fit(E_COMB "x", 3, TEXTCELL_RIGHT), " " E_COMB "x");
}
END_TEST

START_TEST(fit_cjk)
{
	static const char *left[] = {
		"", ELL, ELL " ", ZHONG ELL, ZHONG ELL " ", ZHONG WEN ELL, ZHONG WEN ZI,
		ZHONG WEN ZI " ",
	};
	static const char *right[] = {
		"", ELL, " " ELL, ZHONG ELL, " " ZHONG ELL, ZHONG WEN ELL, ZHONG WEN ZI,
		" " ZHONG WEN ZI,
	};
	for (int w = 0; w < 8; w++) {
		ck_assert_str_eq(fit(ZHONG WEN ZI, w, TEXTCELL_LEFT), left[w]);
		ck_assert_str_eq(fit(ZHONG WEN ZI, w, TEXTCELL_RIGHT), right[w]);
	}
	ck_assert_str_eq(fit("a" ZHONG "b", 2, TEXTCELL_LEFT), "a" ELL);
	ck_assert_str_eq(fit("a" ZHONG "b", 3, TEXTCELL_LEFT), "a" ELL " ");
	ck_assert_str_eq(fit("a" ZHONG "b", 4, TEXTCELL_LEFT), "a" ZHONG "b");
}
END_TEST

START_TEST(fit_emoji)
{
	ck_assert_str_eq(fit(GRIN GRIN, 1, TEXTCELL_LEFT), ELL);
	ck_assert_str_eq(fit(GRIN GRIN, 2, TEXTCELL_LEFT), ELL " ");
	ck_assert_str_eq(fit(GRIN GRIN, 3, TEXTCELL_LEFT), GRIN ELL);
	ck_assert_str_eq(fit(GRIN GRIN, 4, TEXTCELL_LEFT), GRIN GRIN);
	ck_assert_str_eq(fit(GRIN, 3, TEXTCELL_RIGHT), " " GRIN);
}
END_TEST

START_TEST(fit_mixed_every_width)
{
	/* a é 中 😀 é(e+U+0301) ESC z: 1+1+2+2+1+4+1 = 12 columns */
	const char *s = "a" E_ACUTE ZHONG GRIN E_COMB "\x1b" "z";
	static const char *want[] = {
		"",
		ELL,
		"a" ELL,
		"a" E_ACUTE ELL,
		"a" E_ACUTE ELL " ",
		"a" E_ACUTE ZHONG ELL,
		"a" E_ACUTE ZHONG ELL " ",
		"a" E_ACUTE ZHONG GRIN ELL,
		"a" E_ACUTE ZHONG GRIN E_COMB ELL,
		"a" E_ACUTE ZHONG GRIN E_COMB ELL " ",
		"a" E_ACUTE ZHONG GRIN E_COMB ELL "  ",
		"a" E_ACUTE ZHONG GRIN E_COMB ELL "   ",
		"a" E_ACUTE ZHONG GRIN E_COMB "\\x1bz",
		"a" E_ACUTE ZHONG GRIN E_COMB "\\x1bz ",
	};
	ck_assert_uint_eq(textcell_width(s), 12);
	for (int w = 0; w < (int)(sizeof want / sizeof *want); w++)
		ck_assert_msg(strcmp(fit(s, w, TEXTCELL_LEFT), want[w]) == 0,
			      "width %d: got '%s', want '%s'", w, out, want[w]);
}
END_TEST

START_TEST(fit_escapes_are_atomic)
{
	ck_assert_str_eq(fit("\x1b[2J", 10, TEXTCELL_LEFT), "\\x1b[2J   ");
	ck_assert_str_eq(fit("\x1b[2J", 7, TEXTCELL_LEFT), "\\x1b[2J");
	ck_assert_str_eq(fit("\x1b[2J", 6, TEXTCELL_LEFT), "\\x1b[" ELL);
	ck_assert_str_eq(fit("\x1b[2J", 5, TEXTCELL_LEFT), "\\x1b" ELL);
	ck_assert_str_eq(fit("\x1b[2J", 4, TEXTCELL_LEFT), ELL "   ");
	ck_assert_str_eq(fit("\x1b[2J", 4, TEXTCELL_RIGHT), "   " ELL);
	ck_assert_str_eq(fit(RLO "abc", 10, TEXTCELL_LEFT), "\\u202eabc ");
	ck_assert_str_eq(fit("ab\xff", 6, TEXTCELL_LEFT), "ab\\xff");
	ck_assert_str_eq(fit("ab\xff", 5, TEXTCELL_LEFT), "ab" ELL "  ");
	ck_assert_str_eq(fit("1\n2", 4, TEXTCELL_RIGHT), "1\\n2");
}
END_TEST

START_TEST(fit_small_buffer)
{
	char b[TEXTCELL_FIT_SIZE(3)];
	char tiny[9];

	/* fewer bytes than TEXTCELL_FIT_SIZE(6): fitted to (9 - 1) / 4 = 2 */
	ck_assert_uint_eq(textcell_fit("abcdef", 6, TEXTCELL_LEFT, tiny, sizeof tiny), 4);
	ck_assert_str_eq(tiny, "a" ELL);
	ck_assert_uint_eq(textcell_fit("abcdef", 6, TEXTCELL_LEFT, tiny, 1), 0);
	ck_assert_str_eq(tiny, "");
	ck_assert_uint_eq(textcell_fit("abcdef", 6, TEXTCELL_LEFT, tiny, 0), 0);

	/* a flood of combining marks is dropped, the columns are kept */
	char flood[1 + 2 * 100 + 1] = "e";
	for (int i = 0; i < 100; i++)
		memcpy(flood + 1 + 2 * (size_t)i, COMB_ACUTE, 2);
	flood[sizeof flood - 1] = '\0';
	ck_assert_uint_eq(textcell_width(flood), 1);
	textcell_fit(flood, 3, TEXTCELL_LEFT, b, sizeof b);
	ck_assert_str_eq(b, E_COMB "  ");
	ck_assert_uint_eq(textcell_width(b), 3);

	/* worst case: 4 bytes a column */
	const char *s4 = "\xf0\x9d\x90\x80\xf0\x9d\x90\x81\xf0\x9d\x90\x82\xf0\x9d\x90\x83";
	ck_assert_uint_eq(textcell_width(s4), 4); /* mathematical bold A..D */
	ck_assert_uint_eq(textcell_fit(s4, 3, TEXTCELL_LEFT, b, sizeof b), 11);
	ck_assert_str_eq(b, "\xf0\x9d\x90\x80\xf0\x9d\x90\x81" ELL);
}
END_TEST

/* --- layout ------------------------------------------------------------- */

/* name, qpc, share, status, rep: a list of accounts */
static const struct textcell_col accounts[] = {
	{ .min = 8, .pref = 30, .flex = 3, .priority = 100 },
	{ .min = 8, .pref = 12, .flex = 0, .priority = 50 },
	{ .min = 5, .pref = 6, .flex = 0, .priority = 60 },
	{ .min = 7, .pref = 10, .flex = 0, .priority = 40 },
	{ .min = 6, .pref = 14, .flex = 1, .priority = 10 },
};
#define NACC (sizeof accounts / sizeof *accounts)

static void check_layout(int total, size_t shown, const int *want)
{
	int w[NACC];
	int sum = 0;

	for (size_t i = 0; i < NACC; i++)
		w[i] = -99;
	ck_assert_uint_eq(textcell_layout(accounts, NACC, total, 1, w), shown);
	for (size_t i = 0; i < NACC; i++) {
		ck_assert_msg(w[i] == want[i], "total %d, column %zu: width %d, want %d", total, i,
			      w[i], want[i]);
		sum += w[i];
	}
	ck_assert_int_le(sum + (int)(shown > 0 ? shown - 1 : 0), total < 0 ? 0 : total);
}

START_TEST(layout_widths)
{
	check_layout(20, 2, (const int[]){ 14, 0, 5, 0, 0 });
	check_layout(40, 5, (const int[]){ 10, 8, 5, 7, 6 });
	check_layout(80, 5, (const int[]){ 33, 12, 6, 10, 15 });
	check_layout(200, 5, (const int[]){ 123, 12, 6, 10, 45 });
}
END_TEST

START_TEST(layout_narrow)
{
	check_layout(14, 2, (const int[]){ 8, 0, 5, 0, 0 });
	check_layout(13, 1, (const int[]){ 13, 0, 0, 0, 0 });
	check_layout(5, 1, (const int[]){ 5, 0, 0, 0, 0 }); /* below its min, still shown */
	check_layout(1, 1, (const int[]){ 1, 0, 0, 0, 0 });
	check_layout(0, 0, (const int[]){ 0, 0, 0, 0, 0 });
	check_layout(-3, 0, (const int[]){ 0, 0, 0, 0, 0 });
}
END_TEST

START_TEST(layout_fills_widths_exactly)
{
	/* with a flex column, every width from the mins up is used in full */
	for (int total = 38; total <= 300; total++) {
		int w[NACC];
		int sum = 4;
		ck_assert_uint_eq(textcell_layout(accounts, NACC, total, 1, w), NACC);
		for (size_t i = 0; i < NACC; i++) {
			ck_assert_int_ge(w[i], accounts[i].min);
			sum += w[i];
		}
		ck_assert_int_eq(sum, total);
	}
}
END_TEST

START_TEST(layout_rules)
{
	int w[3];

	/* no flex: room beyond the prefs is left unused */
	const struct textcell_col fixed[] = { { 3, 5, 0, 1 }, { 3, 5, 0, 1 } };
	ck_assert_uint_eq(textcell_layout(fixed, 2, 30, 2, w), 2);
	ck_assert_int_eq(w[0], 5);
	ck_assert_int_eq(w[1], 5);

	/* equal priorities: the leftmost is kept */
	ck_assert_uint_eq(textcell_layout(fixed, 2, 6, 1, w), 1);
	ck_assert_int_eq(w[0], 5);
	ck_assert_int_eq(w[1], 0);

	/* a narrow column fills room a wider, more important one could not */
	const struct textcell_col greedy[] = { { 10, 10, 0, 9 }, { 20, 20, 0, 5 }, { 3, 3, 0, 1 } };
	ck_assert_uint_eq(textcell_layout(greedy, 3, 15, 1, w), 2);
	ck_assert_int_eq(w[0], 10);
	ck_assert_int_eq(w[1], 0);
	ck_assert_int_eq(w[2], 3);

	/* nonsense specs read as the nearest sane ones */
	const struct textcell_col odd[] = { { 0, -1, -5, 0 }, { 2, 1, 0, 0 } };
	ck_assert_uint_eq(textcell_layout(odd, 2, 10, -1, w), 2);
	ck_assert_int_eq(w[0], 1);
	ck_assert_int_eq(w[1], 2);

	/* no columns at all */
	ck_assert_uint_eq(textcell_layout(NULL, 0, 80, 1, w), 0);
}
END_TEST

Suite *textcell_suite(void)
{
	Suite *s = suite_create("textcell");
	TCase *tc;

	tc = tcase_create("width");
	tcase_add_checked_fixture(tc, set_utf8, NULL);
	tcase_add_test(tc, width_basic);
	tcase_add_test(tc, width_zero_one_two);
	tcase_add_test(tc, width_counts_escapes);
	suite_add_tcase(s, tc);

	tc = tcase_create("escape");
	tcase_add_checked_fixture(tc, set_utf8, NULL);
	tcase_add_test(tc, escape_passes_text);
	tcase_add_test(tc, escape_controls);
	tcase_add_test(tc, escape_bidi);
	tcase_add_test(tc, escape_invalid_utf8);
	tcase_add_test(tc, escape_small_buffer);
	tcase_add_test(tc, escape_dup);
	suite_add_tcase(s, tc);

	tc = tcase_create("fit");
	tcase_add_checked_fixture(tc, set_utf8, NULL);
	tcase_add_test(tc, fit_ascii_every_width);
	tcase_add_test(tc, fit_accents);
	tcase_add_test(tc, fit_cjk);
	tcase_add_test(tc, fit_emoji);
	tcase_add_test(tc, fit_mixed_every_width);
	tcase_add_test(tc, fit_escapes_are_atomic);
	tcase_add_test(tc, fit_small_buffer);
	suite_add_tcase(s, tc);

	tc = tcase_create("layout");
	tcase_add_test(tc, layout_widths);
	tcase_add_test(tc, layout_narrow);
	tcase_add_test(tc, layout_fills_widths_exactly);
	tcase_add_test(tc, layout_rules);
	suite_add_tcase(s, tc);

	return s;
}
