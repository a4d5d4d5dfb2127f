/* check_input.c — the line editor behind every typed field (w_input.c)
 * and the keymap's rule that a view's own keys come before the general
 * ones, without a terminal. */
#include <curses.h>
#include <locale.h>
#include <string.h>

#include "../src/tui/ui.h"
#include "tests.h"

static void type(struct input *in, const wchar_t *s)
{
	for (; *s; s++)
		input_key(in, (wint_t)*s, false);
}

START_TEST(typing_inserts_at_the_cursor)
{
	ck_assert_ptr_nonnull(setlocale(LC_ALL, "C.UTF-8"));
	struct input in;
	input_set(&in, "12500");
	ck_assert_uint_eq(in.cur, 5);
	input_key(&in, KEY_HOME, true);
	type(&in, L"€ ");
	ck_assert_str_eq(in.text, "€ 12500");
	input_key(&in, KEY_RIGHT, true);
	input_key(&in, KEY_RIGHT, true);
	type(&in, L",");
	ck_assert_str_eq(in.text, "€ 12,500");
	ck_assert_int_eq(input_key(&in, '\n', false), INPUT_IGNORED);
	ck_assert_int_eq(input_key(&in, 27, false), INPUT_IGNORED);
	ck_assert_int_eq(input_key(&in, '\t', false), INPUT_IGNORED);
	ck_assert_str_eq(in.text, "€ 12,500");
}
END_TEST

START_TEST(deleting_takes_whole_characters)
{
	ck_assert_ptr_nonnull(setlocale(LC_ALL, "C.UTF-8"));
	struct input in;
	input_set(&in, "Müller€");
	input_key(&in, KEY_BACKSPACE, true); /* the 3-byte euro sign at once */
	ck_assert_str_eq(in.text, "Müller");
	input_key(&in, KEY_LEFT, true);
	input_key(&in, KEY_LEFT, true);
	input_key(&in, KEY_LEFT, true);
	input_key(&in, KEY_LEFT, true);
	ck_assert_uint_eq(in.cur, 3); /* after the two-byte ü */
	input_key(&in, 127, false);
	ck_assert_str_eq(in.text, "Mller");
	input_key(&in, KEY_DC, true);
	ck_assert_str_eq(in.text, "Mler");
	input_key(&in, 11, false); /* C-k */
	ck_assert_str_eq(in.text, "M");
	input_key(&in, KEY_BACKSPACE, true);
	ck_assert_int_eq(input_key(&in, KEY_BACKSPACE, true), INPUT_MOVED);
	ck_assert_str_eq(in.text, "");
}
END_TEST

START_TEST(words_and_lines_go_at_once)
{
	ck_assert_ptr_nonnull(setlocale(LC_ALL, "C.UTF-8"));
	struct input in;
	input_set(&in, "met the owner  ");
	input_key(&in, 23, false); /* C-w */
	ck_assert_str_eq(in.text, "met the ");
	input_key(&in, KEY_LEFT, true);
	input_key(&in, 21, false); /* C-u */
	ck_assert_str_eq(in.text, " ");
	ck_assert_uint_eq(in.cur, 0);
}
END_TEST

START_TEST(a_full_field_refuses_more)
{
	ck_assert_ptr_nonnull(setlocale(LC_ALL, "C.UTF-8"));
	struct input in;
	char big[400];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	input_set(&in, big);
	ck_assert_uint_eq(strlen(in.text), sizeof in.text - 1);
	ck_assert_int_eq(input_key(&in, 'y', false), INPUT_FULL);
	ck_assert_uint_eq(strlen(in.text), sizeof in.text - 1);
	/* a cut never leaves half a character behind */
	char euros[400] = "";
	while (strlen(euros) + 3 < sizeof euros)
		strcat(euros, "€");
	input_set(&in, euros);
	ck_assert_uint_eq(strlen(in.text) % 3, 0);
}
END_TEST

START_TEST(own_keys_before_general_ones)
{
	keymap_init();
	/* Space ticks in a checklist and pages in every other list */
	ck_assert_int_eq(keymap_lookup(' ', false, QPC_IN_LISTS), QPC_ACT_PAGE_DOWN);
	ck_assert_int_eq(keymap_lookup(' ', false, QPC_IN_CHECKLIST | QPC_IN_LISTS), QPC_ACT_TICK);
	ck_assert_int_eq(keymap_lookup(' ', false, QPC_IN_CANDIDATES | QPC_IN_LISTS),
	                 QPC_ACT_PAGE_DOWN);
	/* n writes a note there, and finds the next match elsewhere */
	ck_assert_int_eq(keymap_lookup('n', false, QPC_IN_CHECKLIST | QPC_IN_LISTS | QPC_IN_ACCOUNT),
	                 QPC_ACT_NOTE);
	ck_assert_int_eq(keymap_lookup('n', false, QPC_IN_LISTS), QPC_ACT_SEARCH_NEXT);
	ck_assert_int_eq(keymap_lookup('q', false, QPC_IN_LISTS | QPC_IN_ACCOUNTS), QPC_ACT_BACK);
	ck_assert_int_eq(keymap_lookup('s', false, QPC_IN_LISTS), QPC_ACT_NONE);
	ck_assert_int_eq(keymap_lookup('s', false, QPC_IN_LISTS | QPC_IN_ACCOUNTS), QPC_ACT_SORT_NEXT);
}
END_TEST

Suite *input_suite(void)
{
	Suite *s = suite_create("input");
	TCase *tc = tcase_create("input");
	tcase_add_test(tc, typing_inserts_at_the_cursor);
	tcase_add_test(tc, deleting_takes_whole_characters);
	tcase_add_test(tc, words_and_lines_go_at_once);
	tcase_add_test(tc, a_full_field_refuses_more);
	tcase_add_test(tc, own_keys_before_general_ones);
	suite_add_tcase(s, tc);
	return s;
}
