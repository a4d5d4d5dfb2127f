/* check_namekey.c — the order names sort in: case and accents left out
 * first, as a dictionary orders them. */
#include "tests.h"
#include <stdlib.h>
#include <string.h>

#include "qpc/namekey.h"

static const char *key(const char *s)
{
	static char out[256];
	size_t n = qpc_name_key(s, strlen(s), out, sizeof out);
	ck_assert_uint_eq(n, strlen(out));
	return out;
}

START_TEST(letters_lose_case_and_accents)
{
	ck_assert_str_eq(key("Ålesund Foods"), "alesund foods");
	ck_assert_str_eq(key("ŁÓDŹ"), "lodz");
	ck_assert_str_eq(key("Ōsaka Schools"), "osaka schools");
	ck_assert_str_eq(key("Straße"), "strasse");
	ck_assert_str_eq(key("Ærø Ørsted"), "aero orsted");
	ck_assert_str_eq(key("Peña Çelik Dvořák"), "pena celik dvorak");
	ck_assert_str_eq(key("Þór Đorđe"), "thor dorde");
	ck_assert_str_eq(key("Nguyễn"), "nguyen");
	/* an accent typed as a combining mark after its letter */
	ck_assert_str_eq(key("A\xcc\x8alesund"), "alesund");
	/* other scripts: their own letters, lower case, no accents */
	ck_assert_str_eq(key("Ἀθῆναι"), "αθηναι");
	ck_assert_str_eq(key("ЖУК"), "жук");
	ck_assert_str_eq(key("東京精密"), "東京精密");
	ck_assert_str_eq(key("ＡＢＣ"), "abc");
	/* digits, spaces and punctuation stay */
	ck_assert_str_eq(key("O'Brien & Sons, 100%"), "o'brien & sons, 100%");
}
END_TEST

START_TEST(bytes_that_are_not_utf8_stay)
{
	ck_assert_str_eq(key("A\xff" "B\xc3"), "a\xff" "b\xc3");
	ck_assert_str_eq(key("\xc0\xafX"), "\xc0\xafx"); /* overlong '/' */
	ck_assert_str_eq(key("\xed\xa0\x80Z"), "\xed\xa0\x80z"); /* a surrogate */
}
END_TEST

START_TEST(cut_to_fit_and_never_twice_as_long)
{
	char out[4];
	ck_assert_uint_eq(qpc_name_key("Straße", strlen("Straße"), out, sizeof out), 7);
	ck_assert_str_eq(out, "str");
	ck_assert_uint_eq(qpc_name_key("Åx", 3, NULL, 0), 2);
	/* every character of Unicode, alone: its key at most twice as long */
	char in[8], k[32];
	for (long cp = 0x80; cp <= 0x10FFFF; cp++) {
		if (cp >= 0xD800 && cp <= 0xDFFF)
			continue;
		size_t n = cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
		static const unsigned char lead[] = { 0, 0, 0xC0, 0xE0, 0xF0 };
		for (size_t i = n - 1; i > 0; i--)
			in[i] = (char)(0x80 | ((cp >> (6 * (n - 1 - i))) & 0x3F));
		in[0] = (char)(lead[n] | (cp >> (6 * (n - 1))));
		size_t kl = qpc_name_key(in, n, k, sizeof k);
		ck_assert_msg(kl <= 2 * n, "U+%04lX: key of %zu bytes", cp, kl);
	}
}
END_TEST

static int cmp(const void *a, const void *b)
{
	const char *x = *(const char *const *)a, *y = *(const char *const *)b;
	return qpc_name_cmp(x, strlen(x), y, strlen(y));
}

START_TEST(names_sort_as_in_a_dictionary)
{
	const char *names[] = { "Zeta", "Ålesund", "apple", "Apple", "Łódź", "Lyon",
		                "Ōsaka",  "Oslo",   "Ørsted", "Müller", "Muller", "100 Tools" };
	const char *want[] = { "100 Tools", "Ålesund", "Apple", "apple",  "Łódź", "Lyon",
		               "Muller",    "Müller",  "Ørsted", "Ōsaka", "Oslo", "Zeta" };
	size_t n = sizeof names / sizeof *names;
	qsort(names, n, sizeof *names, cmp);
	for (size_t i = 0; i < n; i++)
		ck_assert_str_eq(names[i], want[i]);
	/* a long name, its key made on the heap */
	char a[600], b[600];
	memset(a, 'x', sizeof a - 1);
	a[sizeof a - 1] = '\0';
	memcpy(b, a, sizeof b);
	b[500] = 'Y';
	ck_assert_int_lt(qpc_name_cmp(a, strlen(a), b, strlen(b)), 0);
	ck_assert_int_eq(qpc_name_cmp(a, strlen(a), a, strlen(a)), 0);
}
END_TEST

Suite *namekey_suite(void)
{
	Suite *s = suite_create("namekey");
	TCase *t = tcase_create("namekey");
	tcase_add_test(t, letters_lose_case_and_accents);
	tcase_add_test(t, bytes_that_are_not_utf8_stay);
	tcase_add_test(t, cut_to_fit_and_never_twice_as_long);
	tcase_add_test(t, names_sort_as_in_a_dictionary);
	suite_add_tcase(s, t);
	return s;
}
