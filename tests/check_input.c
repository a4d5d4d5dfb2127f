/* check_input.c — the line editor behind every typed field (w_input.c),
 * with the pre-filled values typing replaces, and the keymap's rule that
 * a view's own keys come before the general ones, without a terminal. */
#include <curses.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

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

/* A pre-filled value is selected: what is typed replaces it (a goal of 1
 * and "60" typed is 60, not 160; "1,300.00" and "5.2k" is 5.2k). */
START_TEST(typing_replaces_a_prefilled_value)
{
	ck_assert_ptr_nonnull(setlocale(LC_ALL, "C.UTF-8"));
	struct input in;
	input_prefill(&in, "1");
	ck_assert(in.selected);
	type(&in, L"60");
	ck_assert_str_eq(in.text, "60");
	ck_assert(!in.selected);
	ck_assert_uint_eq(in.cur, 2);
	input_prefill(&in, "1,300.00");
	type(&in, L"5.2k");
	ck_assert_str_eq(in.text, "5.2k");
	input_prefill(&in, "Müller");
	ck_assert_int_eq(input_key(&in, L'€', false), INPUT_EDITED); /* a wide one too */
	ck_assert_str_eq(in.text, "€");
	/* input_set (a completed path, a search) selects nothing */
	input_set(&in, "/tmp/");
	ck_assert(!in.selected);
	type(&in, L"a");
	ck_assert_str_eq(in.text, "/tmp/a");
	/* nothing to select in an empty value */
	input_prefill(&in, "");
	ck_assert(!in.selected);
}
END_TEST

START_TEST(erasing_a_selected_value_clears_it)
{
	ck_assert_ptr_nonnull(setlocale(LC_ALL, "C.UTF-8"));
	struct input in;
	input_prefill(&in, "45");
	ck_assert_int_eq(input_key(&in, KEY_BACKSPACE, true), INPUT_EDITED);
	ck_assert_str_eq(in.text, "");
	ck_assert(!in.selected);
	input_prefill(&in, "met the owner");
	ck_assert_int_eq(input_key(&in, KEY_DC, true), INPUT_EDITED);
	ck_assert_str_eq(in.text, "");
	input_prefill(&in, "met the owner");
	input_key(&in, 127, false);
	ck_assert_str_eq(in.text, "");
	input_prefill(&in, "met the owner");
	input_key(&in, 4, false); /* C-d */
	ck_assert_str_eq(in.text, "");
	input_prefill(&in, "45");
	input_key(&in, 8, false); /* C-h */
	ck_assert_str_eq(in.text, "");
}
END_TEST

START_TEST(a_cursor_key_keeps_a_selected_value)
{
	ck_assert_ptr_nonnull(setlocale(LC_ALL, "C.UTF-8"));
	struct input in;
	input_prefill(&in, "1,300.00");
	ck_assert_int_eq(input_key(&in, KEY_END, true), INPUT_MOVED);
	ck_assert(!in.selected);
	input_key(&in, KEY_BACKSPACE, true);
	ck_assert_str_eq(in.text, "1,300.0");
	input_prefill(&in, "12500");
	input_key(&in, KEY_HOME, true);
	type(&in, L"€ ");
	ck_assert_str_eq(in.text, "€ 12500");
	input_prefill(&in, "12500");
	input_key(&in, KEY_LEFT, true);
	type(&in, L"7");
	ck_assert_str_eq(in.text, "125070");
	input_prefill(&in, "12500");
	input_key(&in, KEY_RIGHT, true); /* at the end already: only deselects */
	type(&in, L"1");
	ck_assert_str_eq(in.text, "125001");
	input_prefill(&in, "plant");
	input_key(&in, 1, false); /* C-a */
	type(&in, L"a ");
	ck_assert_str_eq(in.text, "a plant");
	input_prefill(&in, "plant");
	input_key(&in, 5, false); /* C-e */
	type(&in, L"s");
	ck_assert_str_eq(in.text, "plants");
	/* Enter, Esc and Tab are the caller's, and leave the selection */
	input_prefill(&in, "45");
	ck_assert_int_eq(input_key(&in, '\n', false), INPUT_IGNORED);
	ck_assert_int_eq(input_key(&in, 27, false), INPUT_IGNORED);
	ck_assert_int_eq(input_key(&in, '\t', false), INPUT_IGNORED);
	ck_assert(in.selected);
	ck_assert_str_eq(in.text, "45");
}
END_TEST

START_TEST(own_keys_before_general_ones)
{
	keymap_init();
	/* Space pages in every list, a checklist too; x and Enter tick there,
	 * and Enter opens elsewhere */
	ck_assert_int_eq(keymap_lookup(' ', false, QPC_IN_LISTS), QPC_ACT_PAGE_DOWN);
	ck_assert_int_eq(keymap_lookup(' ', false, QPC_IN_CHECKLIST | QPC_IN_LISTS),
	                 QPC_ACT_PAGE_DOWN);
	ck_assert_int_eq(keymap_lookup(' ', false, QPC_IN_CANDIDATES | QPC_IN_LISTS),
	                 QPC_ACT_PAGE_DOWN);
	ck_assert_int_eq(keymap_lookup('x', false, QPC_IN_CHECKLIST | QPC_IN_LISTS), QPC_ACT_TICK);
	ck_assert_int_eq(keymap_lookup('\n', false, QPC_IN_CHECKLIST | QPC_IN_LISTS), QPC_ACT_TICK);
	ck_assert_int_eq(keymap_lookup('\n', false, QPC_IN_CANDIDATES | QPC_IN_LISTS), QPC_ACT_OPEN);
	/* n writes a note there, and finds the next match elsewhere */
	ck_assert_int_eq(keymap_lookup('n', false, QPC_IN_CHECKLIST | QPC_IN_LISTS | QPC_IN_ACCOUNT),
	                 QPC_ACT_NOTE);
	ck_assert_int_eq(keymap_lookup('n', false, QPC_IN_LISTS), QPC_ACT_SEARCH_NEXT);
	ck_assert_int_eq(keymap_lookup('q', false, QPC_IN_LISTS | QPC_IN_ACCOUNTS), QPC_ACT_BACK);
	ck_assert_int_eq(keymap_lookup('s', false, QPC_IN_LISTS), QPC_ACT_NONE);
	ck_assert_int_eq(keymap_lookup('s', false, QPC_IN_LISTS | QPC_IN_ACCOUNTS), QPC_ACT_SORT_NEXT);
}
END_TEST

static const char *keys_of(enum qpc_action a)
{
	size_t n;
	const struct qpc_binding *b = qpc_keymap(&n);
	for (size_t i = 0; i < n; i++)
		if (b[i].action == a)
			return b[i].keys;
	return NULL;
}

static const char *config(const char *text)
{
	static char path[64];
	snprintf(path, sizeof path, "/tmp/qpc-keys-%d.conf", (int)getpid());
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	return path;
}

START_TEST(a_config_file_rebinds_keys)
{
	char msg[400];
	keymap_init();
	const char *path = config("# mine\n"
	                          "bind move-down C-n\n"
	                          "bind MOVE_UP C-p k   # k stays\n"
	                          "\n"
	                          "bind Search_Next j\n"
	                          "bind quit F10 Q\n");
	ck_assert_int_eq(keymap_load(path, msg, sizeof msg), 0);
	ck_assert_str_eq(msg, "");
	ck_assert_int_eq(keymap_lookup(14, false, QPC_IN_LISTS), QPC_ACT_MOVE_DOWN);
	ck_assert_int_eq(keymap_lookup(KEY_DOWN, true, QPC_IN_LISTS), QPC_ACT_NONE);
	ck_assert_int_eq(keymap_lookup(16, false, QPC_IN_LISTS), QPC_ACT_MOVE_UP);
	ck_assert_int_eq(keymap_lookup('k', false, QPC_IN_LISTS), QPC_ACT_MOVE_UP);
	/* j was move-down's: now it finds the next match, and n nothing */
	ck_assert_int_eq(keymap_lookup('j', false, QPC_IN_LISTS), QPC_ACT_SEARCH_NEXT);
	ck_assert_int_eq(keymap_lookup('n', false, QPC_IN_LISTS), QPC_ACT_NONE);
	ck_assert_int_eq(keymap_lookup(KEY_F(10), true, QPC_IN_LISTS), QPC_ACT_QUIT);
	/* the help shows the keys in force */
	ck_assert_str_eq(keys_of(QPC_ACT_MOVE_DOWN), "C-n");
	ck_assert_str_eq(keys_of(QPC_ACT_MOVE_UP), "C-p k");
	ck_assert_str_eq(keys_of(QPC_ACT_SEARCH_NEXT), "j");
	/* a view's own keys stay its own: n still writes a checklist's note */
	ck_assert_int_eq(keymap_lookup('n', false, QPC_IN_CHECKLIST | QPC_IN_LISTS), QPC_ACT_NOTE);
	/* the defaults again */
	keymap_init();
	ck_assert_str_eq(keys_of(QPC_ACT_MOVE_DOWN), "j Down");
	ck_assert_int_eq(keymap_lookup('j', false, QPC_IN_LISTS), QPC_ACT_MOVE_DOWN);
	unlink(path);
}
END_TEST

START_TEST(a_config_line_that_cannot_be_read_is_said_and_left_out)
{
	char msg[400], want[200];
	keymap_init();
	const char *path = config("bind move-down C-n\n"
	                          "bind frobnicate x\n"
	                          "bind move-up Hyper-k\n"
	                          "unbind j\n"
	                          "bind\n"
	                          "bind tick\n");
	ck_assert_int_eq(keymap_load(path, msg, sizeof msg), 5);
	snprintf(want, sizeof want, "%s:2:6: no action 'frobnicate'", path);
	ck_assert_msg(strncmp(msg, want, strlen(want)) == 0, "%s", msg);
	ck_assert_msg(strstr(msg, "that line is left out (and 4 more)") != NULL, "%s", msg);
	/* the good line holds, the bad ones changed nothing */
	ck_assert_str_eq(keys_of(QPC_ACT_MOVE_DOWN), "C-n");
	ck_assert_str_eq(keys_of(QPC_ACT_MOVE_UP), "k Up");
	ck_assert_str_eq(keys_of(QPC_ACT_TICK), "x Enter");
	/* one line at a time: a bad key */
	keymap_init();
	ck_assert_int_eq(keymap_load(config("bind move-up Hyper-k\n"), msg, sizeof msg), 1);
	ck_assert_msg(strstr(msg, ":1:14: 'Hyper-k' is no key") != NULL, "%s", msg);
	/* no file: the defaults, nothing said */
	unlink(path);
	keymap_init();
	ck_assert_int_eq(keymap_load(path, msg, sizeof msg), 0);
	ck_assert_str_eq(msg, "");
	ck_assert_str_eq(keys_of(QPC_ACT_MOVE_DOWN), "j Down");
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
	tcase_add_test(tc, typing_replaces_a_prefilled_value);
	tcase_add_test(tc, erasing_a_selected_value_clears_it);
	tcase_add_test(tc, a_cursor_key_keeps_a_selected_value);
	tcase_add_test(tc, own_keys_before_general_ones);
	tcase_add_test(tc, a_config_file_rebinds_keys);
	tcase_add_test(tc, a_config_line_that_cannot_be_read_is_said_and_left_out);
	suite_add_tcase(s, tc);
	return s;
}
