/* check_keymap.c — the keymap table against the manual page: the KEYS
 * section of man/qpc.1 must be exactly what the table says, so the help
 * overlay (drawn from the same table) and the manual cannot drift. */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qpc/keymap.h"
#include "tests.h"

/* Appends s to buf, escaped for troff: a minus is \-, a backslash \e. */
static void troff(char *buf, size_t n, const char *s)
{
	size_t len = strlen(buf);
	for (; *s && len + 3 < n; s++) {
		if (*s == '-' || *s == '\\') {
			buf[len++] = '\\';
			buf[len++] = *s == '-' ? '-' : 'e';
		} else {
			buf[len++] = *s;
		}
	}
	buf[len] = '\0';
}

/* What the manual's KEYS section holds from its first .SS on. */
static void expected(char *buf, size_t n)
{
	size_t nb, ns;
	const struct qpc_binding *b = qpc_keymap(&nb);
	const unsigned *scope = qpc_scopes(&ns);
	buf[0] = '\0';
	for (size_t s = 0; s < ns; s++) {
		snprintf(buf + strlen(buf), n - strlen(buf), ".SS %s\n", qpc_scope_title(scope[s]));
		for (size_t k = 0; k < nb; k++) {
			if (b[k].scope != scope[s])
				continue;
			char keys[64] = "";
			for (const char *c = b[k].keys; *c; c++)
				snprintf(keys + strlen(keys), sizeof keys - strlen(keys), *c == ' ' ? ", " : "%c", *c);
			/* ".BR "j, Down" "  (move-down)"": the name a config file binds */
			char name[64];
			size_t i = 0;
			for (; b[k].name[i] && i + 1 < sizeof name; i++)
				name[i] = b[k].name[i] == '_' ? '-' : (char)(b[k].name[i] - 'A' + 'a');
			name[i] = '\0';
			strncat(buf, ".TP\n.BR \"", n - strlen(buf) - 1);
			troff(buf, n, keys);
			strncat(buf, "\" \"  (", n - strlen(buf) - 1);
			troff(buf, n, name);
			strncat(buf, ")\"\n", n - strlen(buf) - 1);
			troff(buf, n, b[k].help);
			strncat(buf, "\n", n - strlen(buf) - 1);
		}
	}
}

static char *slurp(const char *path)
{
	FILE *fp = fopen(path, "r");
	ck_assert_msg(fp != NULL, "cannot read %s (tests run from the top folder)", path);
	static char buf[1 << 17];
	size_t n = fread(buf, 1, sizeof buf - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	return buf;
}

START_TEST(manual_keys_section_is_the_table)
{
	static char want[1 << 15];
	expected(want, sizeof want);
	char *man = slurp("man/qpc.1");
	char *sec = strstr(man, "\n.SH KEYS\n");
	ck_assert_msg(sec != NULL, "man/qpc.1 has no KEYS section");
	sec += 1;
	char *end = strstr(sec + 4, "\n.SH ");
	if (end)
		end[1] = '\0';
	char *first = strstr(sec, "\n.SS ");
	ck_assert_msg(first != NULL, "the KEYS section has no subsections");
	ck_assert_msg(strcmp(first + 1, want) == 0,
	              "the KEYS section of man/qpc.1 differs from the keymap; from its first .SS "
	              "it should read:\n%s",
	              want);
}
END_TEST

START_TEST(every_key_once)
{
	size_t nb;
	const struct qpc_binding *b = qpc_keymap(&nb);
	ck_assert_int_eq(nb, QPC_ACT_COUNT - 1);
	for (size_t i = 0; i < nb; i++) {
		ck_assert_int_eq(b[i].action, (int)i + 1);
		ck_assert_msg(b[i].keys[0] && b[i].help[0], "%s lacks keys or help", b[i].name);
		char mine[64];
		snprintf(mine, sizeof mine, " %s ", b[i].keys);
		for (size_t j = i + 1; j < nb; j++) {
			/* a view's own keys may reuse a general one (Space ticks a
			 * step in a checklist), never one of the same scope */
			bool general_i = b[i].scope & QPC_IN_GENERAL, general_j = b[j].scope & QPC_IN_GENERAL;
			if (b[i].scope != b[j].scope && !(general_i && general_j))
				continue;
			char other[64], *tok, *save;
			snprintf(other, sizeof other, "%s", b[j].keys);
			for (tok = strtok_r(other, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
				char key[16];
				snprintf(key, sizeof key, " %s ", tok);
				ck_assert_msg(!strstr(mine, key), "'%s' is bound to %s and %s", tok, b[i].name,
				              b[j].name);
			}
		}
	}
}
END_TEST

Suite *keymap_suite(void)
{
	Suite *s = suite_create("keymap");
	TCase *tc = tcase_create("table");
	tcase_add_test(tc, manual_keys_section_is_the_table);
	tcase_add_test(tc, every_key_once);
	suite_add_tcase(s, tc);
	return s;
}
