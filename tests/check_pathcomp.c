/* check_pathcomp.c — completing a file name in the import dialog's path
 * field (pathcomp.c): longest common prefix, folders with a '/', "~" as
 * home, hidden names only when asked, never half a character. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../src/tui/ui_widgets.h"
#include "tests.h"

static char dir[64];
static char out[PATH_COMPLETE_MAX];
static struct path_choices ch;

static void touch(const char *name)
{
	char p[256];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	FILE *fp = fopen(p, "w");
	ck_assert_ptr_nonnull(fp);
	fclose(fp);
}

static void folder(const char *name)
{
	char p[256];
	snprintf(p, sizeof p, "%s/%s", dir, name);
	ck_assert_int_eq(mkdir(p, 0700), 0);
}

static void setup(void)
{
	scratch_make(dir, sizeof dir, "pathcomp");
	touch("accounts.csv");
	touch("accounts_old.csv");
	touch("sales.csv");
	touch(".hidden.csv");
	folder("data");
	folder("u");
	touch("u/\xc3\xa9t\xc3\xa9.csv"); /* été, è: the same first byte */
	touch("u/\xc3\xa8re.csv");
}

static void teardown(void)
{
	scratch_remove(dir);
}

/* Completes dir + typed; returns the result without dir. */
static const char *complete(const char *typed, int matches)
{
	char t[256];
	snprintf(t, sizeof t, "%s/%s", dir, typed);
	ck_assert_int_eq(path_complete(t, "/nowhere", out, sizeof out, &ch), matches);
	ck_assert_int_eq(strncmp(out, dir, strlen(dir)), 0);
	return out + strlen(dir) + 1;
}

START_TEST(longest_common_prefix_then_the_choices)
{
	ck_assert_str_eq(complete("acc", 2), "accounts");
	ck_assert_int_eq(ch.n, 2);
	ck_assert_str_eq(ch.names[0], "accounts.csv");
	ck_assert_str_eq(ch.names[1], "accounts_old.csv");
	/* nothing more to add: the same text, the choices to list */
	ck_assert_str_eq(complete("accounts", 2), "accounts");
	ck_assert_str_eq(complete("accounts.", 1), "accounts.csv");
}
END_TEST

START_TEST(one_match_is_completed_whole_a_folder_with_a_slash)
{
	ck_assert_str_eq(complete("s", 1), "sales.csv");
	ck_assert_str_eq(complete("d", 1), "data/");
	ck_assert_str_eq(complete("", 5), "");
	ck_assert_str_eq(ch.names[0], "accounts.csv");
	ck_assert_str_eq(ch.names[2], "data/");
	ck_assert_str_eq(ch.names[4], "u/");
}
END_TEST

START_TEST(no_match_leaves_the_text)
{
	ck_assert_str_eq(complete("zzz", 0), "zzz");
	ck_assert_int_eq(ch.n, 0);
	ck_assert_int_eq(path_complete("/no/such/folder/x", NULL, out, sizeof out, &ch), 0);
	ck_assert_str_eq(out, "/no/such/folder/x");
}
END_TEST

START_TEST(hidden_names_only_when_typed)
{
	ck_assert_str_eq(complete(".", 1), ".hidden.csv");
	ck_assert_str_eq(complete(".h", 1), ".hidden.csv");
}
END_TEST

START_TEST(never_half_a_character)
{
	ck_assert_str_eq(complete("u/", 2), "u/");
	ck_assert_str_eq(complete("u/\xc3\xa9", 1), "u/\xc3\xa9t\xc3\xa9.csv");
}
END_TEST

START_TEST(tilde_is_home)
{
	ck_assert_int_eq(path_complete("~/acc", dir, out, sizeof out, &ch), 2);
	char want[256];
	snprintf(want, sizeof want, "%s/accounts", dir);
	ck_assert_str_eq(out, want);
	ck_assert(path_expand("~", "/home/ann/", out, sizeof out));
	ck_assert_str_eq(out, "/home/ann/");
	ck_assert(path_expand("~/a.csv", "/home/ann", out, sizeof out));
	ck_assert_str_eq(out, "/home/ann/a.csv");
	/* another user's home is not ours to guess; no HOME: as typed */
	ck_assert(path_expand("~bob/a.csv", "/home/ann", out, sizeof out));
	ck_assert_str_eq(out, "~bob/a.csv");
	ck_assert(path_expand("~/a.csv", NULL, out, sizeof out));
	ck_assert_str_eq(out, "~/a.csv");
	ck_assert(!path_expand("~/a.csv", "/home/ann", out, 8));
}
END_TEST

Suite *pathcomp_suite(void)
{
	Suite *s = suite_create("pathcomp");
	TCase *tc = tcase_create("complete");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, longest_common_prefix_then_the_choices);
	tcase_add_test(tc, one_match_is_completed_whole_a_folder_with_a_slash);
	tcase_add_test(tc, no_match_leaves_the_text);
	tcase_add_test(tc, hidden_names_only_when_typed);
	tcase_add_test(tc, never_half_a_character);
	tcase_add_test(tc, tilde_is_home);
	suite_add_tcase(s, tc);
	return s;
}
