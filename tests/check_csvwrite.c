/* check_csvwrite.c — RFC 4180 output: when a field is quoted, formula
 * cells made inert, and that what is written reads back (csvread) as the
 * same fields. */
#include "tests.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "qpc/csvread.h"
#include "qpc/csvwrite.h"

/* Writes records of fields (NULL ends a record, a second NULL the list)
 * with delimiter d and returns the text (free() it). */
static char *write_records(char d, bool inert, const char *const *f)
{
	char *mem = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&mem, &len);
	ck_assert_ptr_nonnull(fp);
	struct csvw w;
	csvw_init(&w, fp, inert, 2);
	w.delim = d;
	for (; *f; f++) {
		for (; *f; f++)
			csvw_field(&w, *f);
		csvw_end(&w);
	}
	ck_assert_int_eq(fclose(fp), 0);
	return mem;
}

/* Fields read back, as "[a][b]\n" per record. */
struct back {
	char text[1024];
	size_t n;
};

static enum qpc_rc collect(void *ctx, const struct csv_record *r, struct qpc_error *err)
{
	struct back *b = ctx;
	(void)err;
	for (size_t i = 0; i < r->nfields; i++)
		b->n += (size_t)snprintf(b->text + b->n, sizeof b->text - b->n, "[%s]",
					 r->fields[i].s);
	b->n += (size_t)snprintf(b->text + b->n, sizeof b->text - b->n, "\n");
	ck_assert_uint_lt(b->n, sizeof b->text);
	return QPC_OK;
}

static void reads_back(const char *csv, char d, const char *want)
{
	struct back b = { .n = 0 };
	struct csvread_opts o = { .name = "w.csv", .delim = d, .no_header = true };
	struct csv_sink sink = { NULL, collect, &b, NULL, NULL };
	struct qpc_error err;
	ck_assert_int_eq(csvread_mem(csv, strlen(csv), &o, &sink, NULL, &err), QPC_OK);
	ck_assert_str_eq(b.text, want);
}

START_TEST(quotes_only_what_must_be)
{
	static const char *const f[] = { "plain", "a,b", "say \"hi\"", "two\nlines", " lead",
					  "trail ", "in side", "", NULL, NULL };
	char *csv = write_records(',', false, f);
	ck_assert_str_eq(csv, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\" lead\","
			      "\"trail \",in side,\r\n");
	reads_back(csv, ',', "[plain][a,b][say \"hi\"][two\nlines][ lead][trail ][in side][]\n");
	free(csv);
}
END_TEST

START_TEST(tabs_at_the_edges_are_quoted)
{
	/* a reader drops an unquoted field's outer tabs as it does spaces */
	static const char *const f[] = { "\tlead", "trail\t", "in\tside", "\t", NULL, NULL };
	char *csv = write_records(',', false, f);
	ck_assert_str_eq(csv, "\"\tlead\",\"trail\t\",in\tside,\"\t\"\r\n");
	reads_back(csv, ',', "[\tlead][trail\t][in\tside][\t]\n");
	free(csv);
	/* tab-delimited: a tab inside is quoted anyway */
	static const char *const t[] = { "a", "b\tc", " d", NULL, NULL };
	csv = write_records('\t', false, t);
	ck_assert_str_eq(csv, "a\t\"b\tc\"\t\" d\"\r\n");
	reads_back(csv, '\t', "[a][b\tc][ d]\n");
	free(csv);
}
END_TEST

START_TEST(one_empty_field_is_a_record)
{
	/* an empty line reads as no record at all */
	static const char *const f[] = { "a", NULL, "", NULL, "", "", NULL, "b", NULL, NULL };
	char *csv = write_records(',', false, f);
	ck_assert_str_eq(csv, "a\r\n\"\"\r\n,\r\nb\r\n");
	reads_back(csv, ',', "[a]\n[]\n[][]\n[b]\n");
	free(csv);
}
END_TEST

START_TEST(formulas_made_inert)
{
	static const char *const f[] = { "=1+1", "+1", "-1", "@x", "\tx", "a=b", NULL, NULL };
	char *csv = write_records(',', true, f);
	ck_assert_str_eq(csv, "\"'=1+1\",\"'+1\",\"'-1\",\"'@x\",\"'\tx\",a=b\r\n");
	free(csv);
	csv = write_records(',', false, f);
	ck_assert_str_eq(csv, "=1+1,+1,-1,@x,\"\tx\",a=b\r\n");
	reads_back(csv, ',', "[=1+1][+1][-1][@x][\tx][a=b]\n");
	free(csv);
	/* after apostrophes a formula is guarded too (one more apostrophe),
	 * other apostrophes are text */
	static const char *const a[] = { "'=1", "''-2", "'abc", "'", "''", "it's", NULL, NULL };
	csv = write_records(',', true, a);
	ck_assert_str_eq(csv, "\"''=1\",\"'''-2\",'abc,','',it's\r\n");
	free(csv);
}
END_TEST

START_TEST(a_leading_feff_is_quoted)
{
	/* at the start of a file a reader takes U+FEFF for a byte-order mark
	 * and drops it; quoted, it is the field's own */
	static const char *const f[] = { "\xEF\xBB\xBFx", "a\xEF\xBB\xBF", NULL, NULL };
	char *csv = write_records(',', false, f);
	ck_assert_str_eq(csv, "\"\xEF\xBB\xBFx\",a\xEF\xBB\xBF\r\n");
	reads_back(csv, ',', "[\xEF\xBB\xBFx][a\xEF\xBB\xBF]\n");
	free(csv);
}
END_TEST

/* Every value written by an inert writer and read back comes out as it
 * was once csvw_unguard() takes the guard off; a value the writer leaves
 * alone is never touched by it, whatever apostrophes it starts with. */
START_TEST(guard_is_exactly_invertible)
{
	static const char *const v[] = {
		"", "'", "''", "'''", "'abc", "''abc", "a'", "=", "'=", "''=", "=1+1", "'=1+1",
		"''=1", "'''=1", "+1", "'+1", "-5", "'-5", "@SUM(A1)", "'@x", "\tx", "'\tx", "\rx",
		"'\rx", "a=b", "' =1", "'a=1", "it's", "\xE2\x80\x99=1", NULL,
	};
	for (size_t i = 0; v[i]; i++) {
		char *mem = NULL;
		size_t len = 0;
		FILE *fp = open_memstream(&mem, &len);
		ck_assert_ptr_nonnull(fp);
		struct csvw w;
		csvw_init(&w, fp, true, 2);
		csvw_field(&w, v[i]);
		csvw_field(&w, "end");
		csvw_end(&w);
		ck_assert_int_eq(fclose(fp), 0);
		/* read back: the first field, unguarded */
		struct back b = { .n = 0 };
		struct csvread_opts o = { .name = "w.csv", .delim = ',', .no_header = true };
		struct csv_sink sink = { NULL, collect, &b, NULL, NULL };
		struct qpc_error err;
		ck_assert_int_eq(csvread_mem(mem, len, &o, &sink, NULL, &err), QPC_OK);
		char *field = b.text + 1, *end = strstr(field, "][end]");
		ck_assert_ptr_nonnull(end);
		*end = '\0';
		ck_assert_msg(strcmp(csvw_unguard(field), v[i]) == 0, "'%s' written as %s read as '%s'",
			      v[i], mem, csvw_unguard(field));
		ck_assert_int_eq(csvw_guarded(v[i]), mem[0] == '"' && mem[1] == '\'');
		if (!csvw_guarded(v[i]))
			ck_assert_ptr_eq(csvw_unguard(v[i]), v[i]);
		free(mem);
	}
}
END_TEST

Suite *csvwrite_suite(void)
{
	Suite *s = suite_create("csvwrite");
	TCase *tc = tcase_create("quoting");
	tcase_add_test(tc, quotes_only_what_must_be);
	tcase_add_test(tc, tabs_at_the_edges_are_quoted);
	tcase_add_test(tc, one_empty_field_is_a_record);
	tcase_add_test(tc, formulas_made_inert);
	tcase_add_test(tc, guard_is_exactly_invertible);
	tcase_add_test(tc, a_leading_feff_is_quoted);
	suite_add_tcase(s, tc);
	return s;
}
