/* check_import.c — import_run() on real-looking CRM and ERP exports.
 *
 * Every fixture under tests/fixtures/import/ is a small file written for
 * these tests that copies one quirk of real exports (see the comments in
 * each test).  The tests assert what a user sees: the rows in the
 * database, the counts of the summary, the messages naming file, line and
 * column, the rejects file, and that a failed import leaves the database
 * file as it was, byte for byte.
 */
#include <fcntl.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qpc/import.h"
#include "qpc/store.h"
#include "tests.h"

#define FX "tests/fixtures/import/"

static char dir[64];
static char dbpath[128];
static struct qpc_store *st;
static struct qpc_error err;
static struct import_opts opt;
static struct import_result res;

static qpc_date D(const char *iso)
{
	qpc_date d;
	ck_assert_msg(qpc_date_parse_iso(iso, &d), "bad date %s", iso);
	return d;
}

static void reset_opts(void)
{
	memset(&opt, 0, sizeof opt);
	opt.today = D("2026-11-17");
}

static void setup(void)
{
	scratch_make(dir, sizeof dir, "import");
	snprintf(dbpath, sizeof dbpath, "%s/qpc.db", dir);
	memset(&err, 0, sizeof err);
	ck_assert_msg(store_new(dbpath, &st, &err) == QPC_OK, "%s", err.msg);
	qpc_store_set_actor(st, "tester", 1795000000); /* 2026-11-17 */
	reset_opts();
	memset(&res, 0, sizeof res);
}

static void teardown(void)
{
	qpc_store_close(st);
	st = NULL;
	scratch_remove(dir);
}

/* A file in the test's own folder. */
static const char *tmp_path(const char *name)
{
	static char p[4][256];
	static int i;
	char *s = p[i++ % 4];
	snprintf(s, sizeof p[0], "%s/%s", dir, name);
	return s;
}

static const char *write_tmp(const char *name, const char *content)
{
	const char *p = tmp_path(name);
	FILE *fp = fopen(p, "wb");
	ck_assert_ptr_nonnull(fp);
	fputs(content, fp);
	ck_assert_int_eq(fclose(fp), 0);
	return p;
}

/* Runs an import of kind k from file (a fixture name, or a path). */
static enum qpc_rc run(enum import_kind k, const char *file)
{
	static char path[256];
	if (file[0] == '/' || strcmp(file, "-") == 0)
		snprintf(path, sizeof path, "%s", file);
	else
		snprintf(path, sizeof path, FX "%s", file);
	opt.kind = k;
	opt.path = path;
	memset(&err, 0, sizeof err);
	return import_run(st, &opt, &res, &err);
}

static const char *first_error(void)
{
	return res.nerrors ? res.errors[0] : err.msg;
}

#define IMPORT_OK(k, file)                                                                    \
	do {                                                                                       \
		enum qpc_rc rc_ = run(k, file);                                                       \
		ck_assert_msg(rc_ == QPC_OK, "%s: rc %d: %s", file, rc_, first_error());              \
		ck_assert(res.committed || opt.dry_run);                                              \
	} while (0)

/* The counts of the summary line, as one string to compare. */
static const char *summary(void)
{
	static char s[200];
	snprintf(s, sizeof s, "read %llu: %llu created, %llu updated, %llu unchanged, %llu rejected, "
	                      "%llu skipped, %llu new accounts",
	         (unsigned long long)res.read, (unsigned long long)res.outcome[QPC_CREATED],
	         (unsigned long long)res.outcome[QPC_UPDATED],
	         (unsigned long long)res.outcome[QPC_UNCHANGED], (unsigned long long)res.rejected,
	         (unsigned long long)res.skipped, (unsigned long long)res.accounts_created);
	return s;
}

/* --- reading the database behind qpc's back ----------------------------- */

/* Rows of a query as the sqlite3 shell prints them: columns joined by
 * '|', rows by '\n', NULL as "NULL". */
static const char *q(const char *fmt, ...)
{
	static char bufs[4][1 << 16];
	static int which;
	char *out = bufs[which++ % 4];
	char sql[2048];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(sql, sizeof sql, fmt, ap);
	va_end(ap);
	sqlite3 *db;
	sqlite3_stmt *s;
	ck_assert_int_eq(sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	ck_assert_msg(sqlite3_prepare_v2(db, sql, -1, &s, NULL) == SQLITE_OK, "%s: %s", sql,
	              sqlite3_errmsg(db));
	size_t n = 0;
	out[0] = '\0';
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		for (int c = 0; c < sqlite3_column_count(s); c++) {
			const char *v = sqlite3_column_type(s, c) == SQLITE_NULL
			                        ? "NULL"
			                        : (const char *)sqlite3_column_text(s, c);
			n += (size_t)snprintf(out + n, sizeof bufs[0] - n, "%s%s", c ? "|" : (n ? "\n" : ""),
			                      v);
			ck_assert_uint_lt(n, sizeof bufs[0]);
		}
	}
	ck_assert_msg(r == SQLITE_DONE, "%s: %s", sql, sqlite3_errmsg(db));
	sqlite3_finalize(s);
	sqlite3_close(db);
	return out;
}

static int64_t q_int(const char *sql)
{
	return strtoll(q("%s", sql), NULL, 10);
}

/* Everything the database holds: its schema and every row of every table,
 * in a string to compare (free() it). */
static char *dump(void)
{
	sqlite3 *db;
	ck_assert_int_eq(sqlite3_open_v2(dbpath, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_str *out = sqlite3_str_new(db);
	sqlite3_stmt *t;
	ck_assert_int_eq(sqlite3_prepare_v2(db,
	                                    "SELECT type, name, ifnull(sql, '') FROM sqlite_master"
	                                    " ORDER BY type, name",
	                                    -1, &t, NULL),
	                 SQLITE_OK);
	while (sqlite3_step(t) == SQLITE_ROW) {
		const char *type = (const char *)sqlite3_column_text(t, 0);
		const char *name = (const char *)sqlite3_column_text(t, 1);
		sqlite3_str_appendf(out, "%s %s: %s\n", type, name, sqlite3_column_text(t, 2));
		if (strcmp(type, "table") != 0 || strncmp(name, "sqlite_", 7) == 0)
			continue;
		char *sql = sqlite3_mprintf("SELECT * FROM \"%w\"", name);
		sqlite3_stmt *s;
		ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
		sqlite3_free(sql);
		while (sqlite3_step(s) == SQLITE_ROW) {
			for (int c = 0; c < sqlite3_column_count(s); c++)
				if (sqlite3_column_type(s, c) == SQLITE_NULL)
					sqlite3_str_appendall(out, " NULL");
				else
					sqlite3_str_appendf(out, " %Q", sqlite3_column_text(s, c));
			sqlite3_str_appendchar(out, 1, '\n');
		}
		sqlite3_finalize(s);
	}
	sqlite3_finalize(t);
	char *text = sqlite3_str_finish(out);
	sqlite3_close(db);
	char *copy = strdup(text);
	sqlite3_free(text);
	return copy;
}

/* The database file's bytes once the write-ahead log is folded into it. */
static char *file_bytes(size_t *len)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	ck_assert_int_eq(sqlite3_open(dbpath, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_prepare_v2(db, "PRAGMA wal_checkpoint(TRUNCATE)", -1, &s, NULL),
	                 SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(s), SQLITE_ROW);
	ck_assert_msg(sqlite3_column_int(s, 0) == 0, "checkpoint blocked: a transaction is open");
	sqlite3_finalize(s);
	sqlite3_close(db);
	FILE *fp = fopen(dbpath, "rb");
	ck_assert_ptr_nonnull(fp);
	fseek(fp, 0, SEEK_END);
	*len = (size_t)ftell(fp);
	rewind(fp);
	char *b = malloc(*len ? *len : 1);
	ck_assert_ptr_nonnull(b);
	ck_assert_uint_eq(fread(b, 1, *len, fp), *len);
	fclose(fp);
	return b;
}

static char *read_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	ck_assert_msg(fp != NULL, "cannot read %s", path);
	static char buf[1 << 16];
	size_t n = fread(buf, 1, sizeof buf - 1, fp);
	fclose(fp);
	buf[n] = '\0';
	return buf;
}

/* Snapshot of the database, then the same after an import that must fail. */
struct snapshot {
	char *dump, *bytes;
	size_t len;
};

static void snap(struct snapshot *s)
{
	s->dump = dump();
	s->bytes = file_bytes(&s->len);
}

static void assert_unchanged(struct snapshot *before)
{
	struct snapshot after;
	snap(&after);
	/* the first line that differs, not two whole dumps */
	const char *a = after.dump, *b = before->dump;
	while (*a && *a == *b)
		a++, b++;
	while (a > after.dump && a[-1] != '\n')
		a--, b--;
	ck_assert_msg(!*a && !*b, "the database changed:\nbefore: %.200s\nafter:  %.200s", b, a);
	ck_assert_uint_eq(after.len, before->len);
	ck_assert_msg(memcmp(after.bytes, before->bytes, before->len) == 0,
	              "the database file changed");
	free(after.dump);
	free(after.bytes);
	free(before->dump);
	free(before->bytes);
}

static const char *sales_by_line(void)
{
	/* in the file's order (the source key is a hash of the line's id) */
	return q("SELECT a.name, s.date, s.amount FROM sale s JOIN account a ON a.id = s.account_id"
	         " ORDER BY s.id");
}

/* --- encodings ----------------------------------------------------------- */

/* The same two accounts saved as UTF-8 with and without a BOM, UTF-16 and
 * UTF-32 (both byte orders) with a BOM: each reads to the same rows, and
 * the BOM is not glued to the first header ("id" maps to external_id). */
static const struct {
	const char *file;
	enum textenc_kind enc;
} unicode_files[] = {
	{ "enc_utf8.csv", TEXTENC_UTF8 },          { "enc_utf8_bom.csv", TEXTENC_UTF8 },
	{ "enc_utf16le_bom.csv", TEXTENC_UTF16LE }, { "enc_utf16be_bom.csv", TEXTENC_UTF16BE },
	{ "enc_utf32le_bom.csv", TEXTENC_UTF32LE }, { "enc_utf32be_bom.csv", TEXTENC_UTF32BE },
};

START_TEST(unicode_encodings_read_alike)
{
	const char *file = unicode_files[_i].file;
	IMPORT_OK(IMPORT_ACCOUNTS, file);
	ck_assert_msg(res.encoding == unicode_files[_i].enc, "%s read as %s", file,
	              textenc_name(res.encoding));
	ck_assert_str_eq(summary(), "read 2: 2 created, 0 updated, 0 unchanged, 0 rejected, 0 "
	                            "skipped, 0 new accounts");
	ck_assert_str_eq(q("SELECT external_id, name, city FROM account ORDER BY id"),
	                 "E1|Café Müller|Zürich\nE2|Øresund Trading|København");
	/* the same rows again from the plain UTF-8 file: nothing to change */
	IMPORT_OK(IMPORT_ACCOUNTS, "enc_utf8.csv");
	ck_assert_uint_eq(res.outcome[QPC_UNCHANGED], 2);
}
END_TEST

START_TEST(windows_1252_with_the_option)
{
	/* Excel's "CSV" on Windows: 0x80 is €, 0x93 0x94 curly quotes; not
	 * read when the file is said to be UTF-8 */
	opt.encoding = TEXTENC_UTF8;
	ck_assert_int_eq(run(IMPORT_ACCOUNTS, "enc_cp1252.csv"), QPC_ERR_DATA);
	ck_assert_msg(strstr(err.msg, "line 2") && strstr(err.msg, "--encoding windows-1252"), "%s",
	              err.msg);
	opt.encoding = TEXTENC_CP1252;
	IMPORT_OK(IMPORT_ACCOUNTS, "enc_cp1252.csv");
	ck_assert_str_eq(q("SELECT external_id, name, notes FROM account"),
	                 "W1|Café “Bistro”|€ 5 off");
}
END_TEST

START_TEST(windows_1252_without_the_option)
{
	/* no BOM, not UTF-8: read as windows-1252, and said so */
	IMPORT_OK(IMPORT_ACCOUNTS, "enc_cp1252.csv");
	ck_assert_int_eq(res.encoding, TEXTENC_CP1252);
	ck_assert(res.encoding_guessed);
	ck_assert_str_eq(q("SELECT external_id, name, notes FROM account"),
	                 "W1|Café “Bistro”|€ 5 off");
	char line[512];
	import_summary(&res, QPC_OK, false, line, sizeof line);
	ck_assert_msg(strstr(line, "; read as windows-1252 (not UTF-8)"), "%s", line);
	import_describe(&res, line, sizeof line);
	ck_assert_msg(strstr(line, ", windows-1252 (not UTF-8), "), "%s", line);
	/* remembered with the header's mapping */
	ck_assert_str_eq(q("SELECT replace(mapping, char(10), ' ') FROM import_mapping"),
	                 "external_id name notes encoding=windows-1252");
	/* the same layout again, all ASCII this time: as remembered */
	IMPORT_OK(IMPORT_ACCOUNTS, write_tmp("ascii.csv", "id,name,notes\nW2,Plain,none\n"));
	ck_assert_int_eq(res.encoding, TEXTENC_CP1252);
	ck_assert(res.encoding_remembered && !res.encoding_guessed);
	/* in UTF-8 this time: the bytes tell, not the memory */
	IMPORT_OK(IMPORT_ACCOUNTS, write_tmp("utf8.csv", "id,name,notes\nW3,Caf\xC3\xA9,\n"));
	ck_assert_int_eq(res.encoding, TEXTENC_UTF8);
	ck_assert(!res.encoding_remembered && !res.encoding_guessed);
	ck_assert_str_eq(q("SELECT name FROM account WHERE external_id = 'W3'"), "Café");
	ck_assert_str_eq(q("SELECT replace(mapping, char(10), ' ') FROM import_mapping"),
	                 "external_id name notes");
}
END_TEST

START_TEST(not_windows_1252_either)
{
	/* 0x81 is undefined in windows-1252: the file is refused as before */
	const char *f = write_tmp("c1.csv", "id,name\nX1,Caf\xE9\nX2,\x81\n");
	ck_assert_int_eq(run(IMPORT_ACCOUNTS, f), QPC_ERR_DATA);
	ck_assert_msg(strstr(err.msg, "line 2: invalid UTF-8 (byte 0xE9 at offset 14)"), "%s",
	              err.msg);
	ck_assert_int_eq(q_int("SELECT count(*) FROM account"), 0);
}
END_TEST

START_TEST(latin1_with_the_option)
{
	opt.encoding = TEXTENC_LATIN1;
	IMPORT_OK(IMPORT_ACCOUNTS, "enc_latin1.csv");
	ck_assert_int_eq(res.encoding, TEXTENC_LATIN1);
	ck_assert_str_eq(q("SELECT external_id, name, city FROM account"), "L1|Café Müller|Zürich");
}
END_TEST

START_TEST(invalid_utf8_names_the_line_and_the_option)
{
	/* two good rows, then a Latin-1 byte on line 4 of a file said to be
	 * UTF-8: nothing is imported */
	opt.encoding = TEXTENC_UTF8;
	ck_assert_int_eq(run(IMPORT_ACCOUNTS, "enc_invalid_utf8.csv"), QPC_ERR_DATA);
	ck_assert_msg(strstr(err.msg, "enc_invalid_utf8.csv"), "no file name: %s", err.msg);
	ck_assert_msg(strstr(err.msg, "line 4"), "no line: %s", err.msg);
	ck_assert_msg(strstr(err.msg, "0xE9"), "no byte: %s", err.msg);
	ck_assert_msg(strstr(err.msg, "--encoding"), "no hint: %s", err.msg);
	ck_assert(!res.committed);
	ck_assert_int_eq(q_int("SELECT count(*) FROM account"), 0);
}
END_TEST

/* --- CSV shapes ---------------------------------------------------------- */

static const struct {
	const char *file;
	char delim;
} delim_files[] = {
	{ "delim_comma.csv", ',' },
	{ "delim_semicolon.csv", ';' },
	{ "delim_tab.tsv", '\t' },
	{ "delim_pipe.csv", '|' },
};

START_TEST(delimiter_detected_from_the_header)
{
	IMPORT_OK(IMPORT_ACCOUNTS, delim_files[_i].file);
	ck_assert_int_eq(res.delimiter, delim_files[_i].delim);
	/* the comma in "Acme, Inc." is data, not a delimiter */
	ck_assert_str_eq(q("SELECT external_id, name, city FROM account ORDER BY id"),
	                 "D1|Acme, Inc.|Paris\nD2|Beta|Lyon");
}
END_TEST

START_TEST(quoted_fields_and_physical_line_numbers)
{
	/* quoted delimiters, doubled quotes, LF and CRLF inside quotes; the
	 * bad row is record 5 but physical line 7, and the message says 7 */
	ck_assert_int_eq(run(IMPORT_ACCOUNTS, "quoted.csv"), QPC_ERR_DATA);
	ck_assert_int_eq(res.nerrors, 1);
	ck_assert_str_eq(res.errors[0], FX "quoted.csv:7:4: employees: 'lots' is not a number of "
	                                   "employees: not a number");
	ck_assert_int_eq(q_int("SELECT count(*) FROM account"), 0);

	opt.skip_bad = true;
	opt.rejects = tmp_path("rejects.csv");
	IMPORT_OK(IMPORT_ACCOUNTS, "quoted.csv");
	ck_assert_str_eq(summary(), "read 4: 3 created, 0 updated, 0 unchanged, 1 rejected, "
	                            "0 skipped, 0 new accounts");
	ck_assert_str_eq(q("SELECT external_id, name, replace(replace(notes, char(13), '\\r'),"
	                   " char(10), '\\n'), employees FROM account ORDER BY id"),
	                 "Q1|Acme, \"the\" Inc.|first line\\nsecond line|10\n"
	                 "Q2|Beta||20\n"
	                 "Q3|Gamma|a\\r\\nb|30");
}
END_TEST

static const char *const ending_files[] = {
	"end_crlf.csv", "end_cr.csv", "end_nofinal.csv", "end_blank_trailing.csv",
};

START_TEST(line_endings_and_trailing_blank_lines)
{
	IMPORT_OK(IMPORT_ACCOUNTS, ending_files[_i]);
	ck_assert_str_eq(summary(), "read 2: 2 created, 0 updated, 0 unchanged, 0 rejected, 0 "
	                            "skipped, 0 new accounts");
	/* no stray CR at the end of the last name, no empty rows */
	ck_assert_str_eq(q("SELECT external_id, name, length(name) FROM account ORDER BY id"),
	                 "N1|Alpha|5\nN2|Bravo|5");
}
END_TEST

START_TEST(empty_file_and_header_only)
{
	ck_assert_int_eq(run(IMPORT_ACCOUNTS, write_tmp("empty.csv", "")), QPC_ERR_DATA);
	ck_assert_msg(strstr(err.msg, "empty.csv is empty"), "%s", err.msg);
	ck_assert_int_eq(run(IMPORT_ACCOUNTS, write_tmp("blank.csv", "\r\n\r\n")), QPC_ERR_DATA);
	ck_assert_msg(strstr(err.msg, "no header row"), "%s", err.msg);
	IMPORT_OK(IMPORT_ACCOUNTS, write_tmp("header.csv", "id,name\r\n"));
	ck_assert_str_eq(summary(), "read 0: 0 created, 0 updated, 0 unchanged, 0 rejected, 0 "
	                            "skipped, 0 new accounts");
}
END_TEST

START_TEST(standard_input_is_read_whole)
{
	/* "-" is read twice like a file: through a copy */
	int saved = dup(0), fd = open(FX "accounts_week1.csv", O_RDONLY);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(dup2(fd, 0), 0);
	close(fd);
	enum qpc_rc rc = run(IMPORT_ACCOUNTS, "-");
	dup2(saved, 0);
	close(saved);
	ck_assert_msg(rc == QPC_OK, "%s", first_error());
	ck_assert_str_eq(summary(), "read 3: 3 created, 0 updated, 0 unchanged, 0 rejected, 0 "
	                            "skipped, 0 new accounts");
	ck_assert_int_eq(q_int("SELECT count(*) FROM account"), 3);
}
END_TEST

START_TEST(missing_file_and_folder)
{
	ck_assert_int_eq(run(IMPORT_ACCOUNTS, tmp_path("nope.csv")), QPC_ERR_NOTFOUND);
	ck_assert_msg(strstr(err.msg, "nope.csv") && strstr(err.msg, "No such file"), "%s", err.msg);
	ck_assert_int_eq(run(IMPORT_ACCOUNTS, dir), QPC_ERR_IO);
	ck_assert_msg(strstr(err.msg, "is a folder"), "%s", err.msg);
	opt.skip_bad = true;
	ck_assert_int_eq(run(IMPORT_ACCOUNTS, "delim_comma.csv"), QPC_ERR_USAGE);
	ck_assert_msg(strstr(err.msg, "--rejects"), "%s", err.msg);
	ck_assert_int_eq(q_int("SELECT count(*) FROM account"), 0);
}
END_TEST

/* --- numbers and money --------------------------------------------------- */

START_TEST(amounts_with_a_decimal_point)
{
	IMPORT_OK(IMPORT_SALES, "num_point.csv");
	ck_assert_int_eq(res.decimal, AMOUNT_DEC_POINT);
	ck_assert_str_eq(sales_by_line(), "Acme|2024-03-01|123450\n"
	                                  "Acme|2024-03-01|123450\n"
	                                  "Acme|2024-03-01|-123450\n"
	                                  "Acme|2024-03-01|9921320600\n"
	                                  "Acme|2024-03-01|1200\n"
	                                  "Acme|2024-03-01|1645");
}
END_TEST

START_TEST(amounts_with_a_decimal_comma)
{
	/* ';'-separated European file: "1.234,50 €" with a space or U+00A0
	 * before the euro, grouping by space or U+00A0 */
	IMPORT_OK(IMPORT_SALES, "num_comma.csv");
	ck_assert_int_eq(res.decimal, AMOUNT_DEC_COMMA);
	ck_assert_int_eq(res.delimiter, ';');
	ck_assert_str_eq(sales_by_line(), "Acme|2024-03-01|123450\n"
	                                  "Acme|2024-03-01|123450\n"
	                                  "Acme|2024-03-01|-913\n"
	                                  "Acme|2024-03-01|123456\n"
	                                  "Acme|2024-03-01|123456\n"
	                                  "Acme|2024-03-01|26196");
}
END_TEST

START_TEST(ambiguous_amount_is_an_error_not_a_guess)
{
	struct snapshot before;
	snap(&before);
	ck_assert_int_eq(run(IMPORT_SALES, "num_ambiguous.csv"), QPC_ERR_DATA);
	ck_assert_int_eq(res.rejected, 1);
	ck_assert_msg(strstr(res.errors[0], FX "num_ambiguous.csv:2:6: Sales: '1,234' reads two ways"),
	              "%s", res.errors[0]);
	ck_assert_msg(strstr(res.errors[0], "--decimal"), "%s", res.errors[0]);
	assert_unchanged(&before);

	opt.decimal = AMOUNT_DEC_POINT;
	IMPORT_OK(IMPORT_SALES, "num_ambiguous.csv");
	ck_assert_str_eq(sales_by_line(), "Acme|2024-03-01|123400\nAcme|2024-03-01|1200");
	opt.decimal = AMOUNT_DEC_COMMA;
	IMPORT_OK(IMPORT_SALES, "num_ambiguous.csv");
	ck_assert_str_eq(summary(), "read 2: 0 created, 1 updated, 1 unchanged, 0 rejected, 0 "
	                            "skipped, 0 new accounts");
	ck_assert_str_eq(sales_by_line(), "Acme|2024-03-01|123\nAcme|2024-03-01|1200");
}
END_TEST

START_TEST(decimal_comma_decided_for_the_whole_file)
{
	/* "1,234" alone reads two ways; the profit column's "12,50" settles
	 * that this file writes decimal commas */
	IMPORT_OK(IMPORT_SALES, write_tmp("eu.csv", "Customer;Date;Sales;Profit\n"
	                                            "Acme;2024-01-01;1,234;12,50\n"));
	ck_assert_int_eq(res.decimal, AMOUNT_DEC_COMMA);
	ck_assert_str_eq(q("SELECT amount, gross_profit FROM sale"), "123|1250");
}
END_TEST

START_TEST(point_and_comma_in_one_file_stop_the_import)
{
	ck_assert_int_eq(run(IMPORT_SALES, "num_conflict.csv"), QPC_ERR_DATA);
	ck_assert_msg(strstr(err.msg, "num_conflict.csv") && strstr(err.msg, "decimal point") &&
	                      strstr(err.msg, "decimal comma") && strstr(err.msg, "--decimal"),
	              "%s", err.msg);
	ck_assert_int_eq(q_int("SELECT count(*) FROM sale"), 0);
	opt.decimal = AMOUNT_DEC_POINT; /* told: the second value is then bad */
	ck_assert_int_eq(run(IMPORT_SALES, "num_conflict.csv"), QPC_ERR_DATA);
	ck_assert_int_eq(res.rejected, 1);
	ck_assert_msg(strstr(res.errors[0], "num_conflict.csv:3:6: Sales: '1.234,50'"), "%s",
	              res.errors[0]);
}
END_TEST

START_TEST(absurd_amounts_are_clear_errors)
{
	ck_assert_int_eq(run(IMPORT_SALES, "num_absurd.csv"), QPC_ERR_DATA);
	ck_assert_int_eq(res.rejected, 4);
	ck_assert_int_eq(res.nerrors, 4);
	static const char *const values[] = { "1000000000000.01", "99999999999999999999999999",
		                              "1E400", "12abc" };
	for (int i = 0; i < 4; i++) {
		char want[160];
		snprintf(want, sizeof want, FX "num_absurd.csv:%d:6: Sales: '%s' ", i + 2, values[i]);
		ck_assert_msg(strncmp(res.errors[i], want, strlen(want)) == 0, "want %s\ngot  %s", want,
		              res.errors[i]);
	}
	ck_assert_msg(strstr(res.errors[0], "beyond what qpc accepts"), "%s", res.errors[0]);
	ck_assert_int_eq(q_int("SELECT count(*) FROM sale"), 0);
}
END_TEST

START_TEST(absurd_counts_are_clear_errors)
{
	ck_assert_int_eq(run(IMPORT_ACCOUNTS,
	                     write_tmp("emp.csv", "id,name,employees\nX1,Big,1E12\nX2,Neg,-5\n")),
	                 QPC_ERR_DATA);
	ck_assert_int_eq(res.rejected, 2);
	ck_assert_msg(strstr(res.errors[0], "emp.csv:2:3: employees: '1E12' is not a number of "
	                                    "employees"),
	              "%s", res.errors[0]);
	ck_assert_msg(strstr(res.errors[1], "emp.csv:3:3: employees: '-5'"), "%s", res.errors[1]);
}
END_TEST

/* --- dates --------------------------------------------------------------- */

START_TEST(iso_dates_and_datetimes)
{
	IMPORT_OK(IMPORT_SALES, "date_iso.csv");
	/* the date as written, never shifted by the time zone */
	ck_assert_str_eq(q("SELECT date FROM sale ORDER BY id"),
	                 "2024-03-04\n2024-03-05\n2024-03-06\n2024-03-07");
}
END_TEST

/* A CRM's contract columns become dated facts: the file's own dates where
 * it has them, else the flag as of the import's date; the same file again
 * changes nothing. */
START_TEST(contract_dates_are_facts)
{
	const char *f = write_tmp("contracts.csv",
	                          "Account ID,Account Name,Contract Signed,Contract Ends,Contract Value\n"
	                          "A1,Alpha,2024-03-01,,5000\n"
	                          "A2,Beta,2024-01-10,2025-01-10,\n"
	                          "A3,Gamma,,,\n");
	IMPORT_OK(IMPORT_ACCOUNTS, f);
	ck_assert_str_eq(q("SELECT a.external_id || ' ' || c.signed_on || ' ' || ifnull(c.ends_on, '-')"
	                   " || ' ' || ifnull(c.value, '-') FROM contract c JOIN account a"
	                   " ON a.id = c.account_id ORDER BY a.external_id"),
	                 "A1 2024-03-01 - 500000\nA2 2024-01-10 2025-01-10 -");
	IMPORT_OK(IMPORT_ACCOUNTS, f);
	ck_assert_str_eq(q("SELECT count(*) FROM contract"), "2");
	const char *bad = write_tmp("contracts_bad.csv",
	                            "Account ID,Account Name,Contract Signed,Contract Ends\n"
	                            "A4,Delta,2024-05-01,2024-04-01\n"
	                            "A5,Echo,,2024-04-01\n");
	ck_assert_int_eq(run(IMPORT_ACCOUNTS, bad), QPC_ERR_DATA);
	ck_assert_msg(strstr(first_error(), ":2:4:") && strstr(first_error(), "on or before"), "%s",
	              first_error());
	ck_assert_str_eq(q("SELECT count(*) FROM contract"), "2");
}
END_TEST

START_TEST(qpc_measured_in_the_future_is_refused)
{
	/* as the editor and `potential set` refuse it: one set of limits */
	ck_assert_int_eq(run(IMPORT_POTENTIAL, write_tmp("future.csv",
	                                                 "External ID,Name,Category,Amount,Measured On\n"
	                                                 "F1,Fut,Widgets,10,2026-11-17\n"
	                                                 "F1,Fut,Gadgets,10,2026-11-18\n"
	                                                 "F1,Fut,Gizmos,10,1899-12-31\n")),
	                 QPC_ERR_DATA);
	ck_assert_int_eq(res.rejected, 2);
	ck_assert_msg(strstr(res.errors[0], "future.csv:3:5: Measured On: '2026-11-18': measured in "
	                                    "the future (after 2026-11-17, the as-of date)"),
	              "%s", res.errors[0]);
	ck_assert_msg(strstr(res.errors[1], "future.csv:4:5: Measured On: '1899-12-31' is out of "
	                                    "range (years 1900 to 2200)"),
	              "%s", res.errors[1]);
}
END_TEST

START_TEST(month_first_column)
{
	/* 1/13/2024 tells the column is month-first, so 03/04 is March 4th;
	 * 12-hour times, two-digit years pivot at 70 */
	IMPORT_OK(IMPORT_SALES, "date_mdy.csv");
	ck_assert_int_eq(res.date_order, DATEPARSE_MDY);
	ck_assert_str_eq(q("SELECT date FROM sale ORDER BY id"),
	                 "2024-03-04\n2024-01-13\n2069-12-31\n1970-01-02");
}
END_TEST

START_TEST(day_first_column)
{
	IMPORT_OK(IMPORT_SALES, "date_dmy.csv");
	ck_assert_int_eq(res.date_order, DATEPARSE_DMY);
	ck_assert_str_eq(q("SELECT date FROM sale ORDER BY id"),
	                 "2024-04-03\n2024-01-13\n2019-02-01\n2023-12-31");
}
END_TEST

START_TEST(dotted_dates_are_day_first)
{
	IMPORT_OK(IMPORT_SALES, "date_dotted.csv");
	ck_assert_str_eq(q("SELECT date FROM sale ORDER BY id"), "2006-04-15\n2006-02-01\n2024-04-03");
}
END_TEST

START_TEST(undecidable_column_asks_for_a_format)
{
	ck_assert_int_eq(run(IMPORT_SALES, "date_undecidable.csv"), QPC_ERR_DATA);
	ck_assert_msg(strstr(err.msg, FX "date_undecidable.csv:2:4: ") &&
	                      strstr(err.msg, "'Order Date'") && strstr(err.msg, "'03/04/2024'") &&
	                      strstr(err.msg, "--date-order dmy or mdy"),
	              "%s", err.msg);
	ck_assert_int_eq(q_int("SELECT count(*) FROM sale"), 0);

	/* told the order: every numeric date read so, none refused */
	opt.date_order = DATEPARSE_MDY;
	IMPORT_OK(IMPORT_SALES, "date_undecidable.csv");
	ck_assert_str_eq(q("SELECT date FROM sale ORDER BY id"), "2024-03-04\n2024-05-06");
	opt.date_order = DATEPARSE_UNDECIDED;

	opt.date_format = "%d/%m/%Y";
	IMPORT_OK(IMPORT_SALES, "date_undecidable.csv");
	ck_assert_str_eq(q("SELECT date FROM sale ORDER BY id"), "2024-04-03\n2024-06-05");
	opt.date_format = "%m/%d/%Y";
	IMPORT_OK(IMPORT_SALES, "date_undecidable.csv");
	ck_assert_uint_eq(res.outcome[QPC_UPDATED], 2);
	ck_assert_str_eq(q("SELECT date FROM sale ORDER BY id"), "2024-03-04\n2024-05-06");

	opt.date_format = "%Q";
	ck_assert_int_eq(run(IMPORT_SALES, "date_undecidable.csv"), QPC_ERR_USAGE);
	ck_assert_msg(strstr(err.msg, "--date-format '%Q'"), "%s", err.msg);
}
END_TEST

START_TEST(column_with_both_orders_stops_the_import)
{
	ck_assert_int_eq(run(IMPORT_SALES, "date_conflict.csv"), QPC_ERR_DATA);
	ck_assert_msg(strstr(err.msg, "day-first") && strstr(err.msg, "month-first") &&
	                      strstr(err.msg, "--date-format") && strstr(err.msg, "Order Date"),
	              "%s", err.msg);
	ck_assert_int_eq(q_int("SELECT count(*) FROM sale"), 0);
}
END_TEST

START_TEST(bad_dates_and_times_name_their_place)
{
	ck_assert_int_eq(run(IMPORT_SALES, "date_bad_time.csv"), QPC_ERR_DATA);
	ck_assert_int_eq(res.rejected, 2);
	ck_assert_msg(strstr(res.errors[0], "date_bad_time.csv:2:4: Order Date: '1/13/2024 13:30 PM' "
	                                    "is not a date"),
	              "%s", res.errors[0]);
	ck_assert_msg(strstr(res.errors[1], "date_bad_time.csv:3:4: Order Date: '2023-02-30' is not a "
	                                    "date: no such day"),
	              "%s", res.errors[1]);
	ck_assert_int_eq(q_int("SELECT count(*) FROM sale"), 0);
}
END_TEST

/* --- profiles ------------------------------------------------------------ */

static enum import_field field_of(const char *header)
{
	for (int c = 0; c < res.ncolumns && c < 64; c++)
		if (strcmp(res.columns[c].header, header) == 0)
			return res.columns[c].field;
	ck_abort_msg("no column %s", header);
	return F_NONE;
}

START_TEST(salesforce_api_names)
{
	IMPORT_OK(IMPORT_ACCOUNTS, "sf_api_accounts.csv");
	ck_assert_str_eq(res.profile, "salesforce");
	ck_assert_str_eq(summary(), "read 3: 2 created, 0 updated, 0 unchanged, 0 rejected, "
	                            "1 skipped, 0 new accounts");
	ck_assert_str_eq(q("SELECT external_id, name, city, segment, annual_revenue, employees"
	                   " FROM account ORDER BY id"),
	                 "001bm00001ZL8U9AAL|Edge Communications|Austin|Electronics|13900000000|1000\n"
	                 "001bm00001ZL8UAAA1|Burlington Textiles Corp, of America|Burlington|Apparel|"
	                 "35000000000|9000");
	/* unknown columns are listed, not fatal */
	ck_assert_int_eq(field_of("Active__c"), F_NONE);
	ck_assert_int_eq(field_of("BillingState"), F_NONE);
	ck_assert_int_eq(field_of("Type"), F_IGNORED);
	ck_assert_int_eq(field_of("IsDeleted"), F_DELETED);
}
END_TEST

START_TEST(salesforce_15_and_18_char_ids_are_one_account)
{
	IMPORT_OK(IMPORT_ACCOUNTS, "sf_api_accounts.csv");
	/* Data Loader: upper-case names, every field quoted, 15-char ids */
	IMPORT_OK(IMPORT_ACCOUNTS, "sf_dataloader_accounts.csv");
	ck_assert_str_eq(res.profile, "salesforce");
	ck_assert_str_eq(summary(), "read 3: 1 created, 2 updated, 0 unchanged, 0 rejected, "
	                            "0 skipped, 0 new accounts");
	/* 001bm00001ZL8Ua differs from 001bm00001ZL8UA only by case: another account */
	ck_assert_str_eq(q("SELECT external_id, name, city, annual_revenue, owner FROM account"
	                   " ORDER BY id"),
	                 "001bm00001ZL8U9AAL|Edge Communications|Round Rock|14000000000|"
	                 "005x0000000fNSiAAM\n"
	                 "001bm00001ZL8UAAA1|Burlington Textiles Corp, of America|Burlington|"
	                 "35000000000|005x0000000fNSiAAM\n"
	                 "001bm00001ZL8UaAAL|Lower Case Twin|Boston|NULL|005x0000000fNSiAAM");
	/* report labels, 15-char id of the first account */
	IMPORT_OK(IMPORT_ACCOUNTS, "sf_report_accounts.csv");
	ck_assert_str_eq(res.profile, "salesforce");
	ck_assert_str_eq(summary(), "read 1: 0 created, 1 updated, 0 unchanged, 0 rejected, "
	                            "0 skipped, 0 new accounts");
	ck_assert_str_eq(q("SELECT owner, city, country, employees FROM account"
	                   " WHERE external_id = '001bm00001ZL8U9AAL'"),
	                 "Jane Rep|Austin|USA|1000");
	ck_assert_int_eq(q_int("SELECT count(*) FROM account"), 3);
}
END_TEST

START_TEST(salesforce_opportunities_only_won)
{
	IMPORT_OK(IMPORT_ACCOUNTS, "sf_api_accounts.csv");
	IMPORT_OK(IMPORT_SALES, "sf_opportunities.csv");
	ck_assert_str_eq(res.profile, "salesforce");
	/* two won deals for Edge (by its 18- and 15-char ids), two not won,
	 * one won for an account the file is the first to name */
	ck_assert_str_eq(summary(), "read 5: 3 created, 0 updated, 0 unchanged, 0 rejected, "
	                            "2 skipped, 1 new accounts");
	ck_assert_str_eq(q("SELECT a.external_id, s.date, s.amount FROM sale s"
	                   " JOIN account a ON a.id = s.account_id ORDER BY s.id"),
	                 "001bm00001ZL8U9AAL|2005-11-09|50000000\n"
	                 "001bm00001ZL8U9AAL|2005-11-10|5000000\n"
	                 "001x0000002xLCVAA2|2005-12-12|150000");
	ck_assert_int_eq(q_int("SELECT count(*) FROM account"), 3);
}
END_TEST

START_TEST(hubspot_companies_and_deals)
{
	IMPORT_OK(IMPORT_ACCOUNTS, "hubspot_companies.csv");
	ck_assert_str_eq(res.profile, "hubspot");
	ck_assert_str_eq(q("SELECT external_id, name, owner, city, country, segment, employees,"
	                   " annual_revenue FROM account ORDER BY id"),
	                 "5550001|Northwind Traders|Jane Rep|Seattle|United States|Food|120|1200000000\n"
	                 "5550002|Tailspin Toys|Joe Rep|Dallas|United States|Toys|45|NULL");
	ck_assert_int_eq(field_of("Phone Number"), F_NONE);
	ck_assert_int_eq(field_of("Create Date"), F_NONE);

	IMPORT_OK(IMPORT_SALES, "hubspot_deals.csv");
	ck_assert_str_eq(res.profile, "hubspot");
	ck_assert_str_eq(summary(), "read 4: 2 created, 0 updated, 0 unchanged, 0 rejected, "
	                            "2 skipped, 0 new accounts");
	ck_assert_str_eq(q("SELECT a.name, s.date, s.amount FROM sale s"
	                   " JOIN account a ON a.id = s.account_id ORDER BY s.id"),
	                 "Northwind Traders|2024-05-02|2500000\nTailspin Toys|2024-05-05|120000");
}
END_TEST

START_TEST(dynamics_do_not_modify_columns)
{
	/* Excel export for re-import: BOM, CRLF, hidden "(Do Not Modify)" columns */
	IMPORT_OK(IMPORT_ACCOUNTS, "dynamics_accounts.csv");
	ck_assert_str_eq(res.profile, "dynamics");
	ck_assert_int_eq(field_of("(Do Not Modify) Account"), F_EXTERNAL_ID);
	ck_assert_int_eq(field_of("(Do Not Modify) Row Checksum"), F_IGNORED);
	ck_assert_int_eq(field_of("(Do Not Modify) Modified On"), F_IGNORED);
	ck_assert_int_eq(field_of("Main Phone"), F_NONE);
	ck_assert_str_eq(q("SELECT external_id, name, city, country, owner, annual_revenue"
	                   " FROM account ORDER BY id"),
	                 "4b1f0a33-61c4-ee11-9079-000d3a5c1a2b|Adatum Corporation|Redmond|United "
	                 "States|Jeff Comstock|13500000000\n"
	                 "5c2e1b44-61c4-ee11-9079-000d3a5c1a2b|Adventure Works Cycles|Santa Cruz|"
	                 "United States|Eric Boocock|24500000000");

	/* opportunities join by the customer's name; only Won ones are sales */
	IMPORT_OK(IMPORT_SALES, "dynamics_opportunities.csv");
	ck_assert_str_eq(res.profile, "dynamics");
	ck_assert_int_eq(res.date_order, DATEPARSE_MDY);
	ck_assert_str_eq(summary(), "read 4: 2 created, 0 updated, 0 unchanged, 0 rejected, "
	                            "2 skipped, 0 new accounts");
	ck_assert_str_eq(q("SELECT a.name, s.date, s.amount FROM sale s"
	                   " JOIN account a ON a.id = s.account_id ORDER BY s.id"),
	                 "Adatum Corporation|2021-06-26|2045000\nAdventure Works Cycles|2023-01-31|125050");
}
END_TEST

START_TEST(zoho_accounts_and_deals)
{
	IMPORT_OK(IMPORT_ACCOUNTS, "zoho_accounts.csv");
	ck_assert_str_eq(res.profile, "zoho");
	ck_assert_str_eq(q("SELECT external_id, name, owner, city, country, employees,"
	                   " annual_revenue FROM account ORDER BY id"),
	                 "zcrm_4150868000000224005|King (Sample)|Patricia Boyle|Tallahassee|United "
	                 "States|120|85000000\n"
	                 "zcrm_4150868000000224006|Truhlar And Truhlar|Patricia Boyle|Chicago|United "
	                 "States|NULL|NULL");
	IMPORT_OK(IMPORT_SALES, "zoho_deals.csv");
	ck_assert_str_eq(res.profile, "zoho");
	ck_assert_str_eq(summary(), "read 3: 1 created, 0 updated, 0 unchanged, 0 rejected, "
	                            "2 skipped, 0 new accounts");
	ck_assert_str_eq(q("SELECT a.name, s.date, s.amount FROM sale s"
	                   " JOIN account a ON a.id = s.account_id"),
	                 "King (Sample)|2024-06-15|850000");
}
END_TEST

START_TEST(pipedrive_organizations_and_deals)
{
	IMPORT_OK(IMPORT_ACCOUNTS, "pipedrive_organizations.csv");
	ck_assert_str_eq(res.profile, "pipedrive");
	ck_assert_str_eq(q("SELECT external_id, name, owner, city, country, employees"
	                   " FROM account ORDER BY id"),
	                 "101|Fabrikam Ltd|Ann Seller|Leeds|United Kingdom|250\n"
	                 "102|Litware Inc|Bob Seller|Toronto|Canada|NULL");
	ck_assert_int_eq(field_of("Organization - Label"), F_NONE);
	IMPORT_OK(IMPORT_SALES, "pipedrive_deals.csv");
	ck_assert_str_eq(res.profile, "pipedrive");
	ck_assert_str_eq(summary(), "read 3: 1 created, 0 updated, 0 unchanged, 0 rejected, "
	                            "2 skipped, 0 new accounts");
	ck_assert_str_eq(q("SELECT a.external_id, s.date, s.amount FROM sale s"
	                   " JOIN account a ON a.id = s.account_id"),
	                 "101|2024-02-01|420000");
}
END_TEST

START_TEST(odoo_partners_skip_individuals)
{
	IMPORT_OK(IMPORT_ACCOUNTS, "odoo_partners.csv");
	ck_assert_str_eq(res.profile, "odoo");
	ck_assert_str_eq(summary(), "read 4: 2 created, 0 updated, 0 unchanged, 0 rejected, "
	                            "2 skipped, 0 new accounts");
	ck_assert_str_eq(q("SELECT external_id, name, owner, city FROM account ORDER BY id"),
	                 "res_partner_1|Grocery Outlet|Mitchell Admin|San Francisco\n"
	                 "res_partner_4|Deco Addict|Marc Demo|Pleasant Hill");
}
END_TEST

START_TEST(odoo_order_lines_fill_down)
{
	IMPORT_OK(IMPORT_ACCOUNTS, "odoo_partners.csv");
	/* continuation rows leave the order's columns blank; the lines have
	 * quantity and unit price, no amount */
	IMPORT_OK(IMPORT_SALES, "odoo_orders.csv");
	ck_assert_str_eq(res.profile, "odoo");
	ck_assert_str_eq(summary(), "read 5: 5 created, 0 updated, 0 unchanged, 0 rejected, "
	                            "0 skipped, 0 new accounts");
	ck_assert_str_eq(q("SELECT a.name, s.date, c.name, s.amount FROM sale s"
	                   " JOIN account a ON a.id = s.account_id"
	                   " JOIN category c ON c.id = s.category_id ORDER BY s.id"),
	                 "Grocery Outlet|2024-12-15|Hardware|21000\n"
	                 "Grocery Outlet|2024-12-15|Hardware|6750\n"
	                 "Grocery Outlet|2024-12-15|Cases|4000\n"
	                 "Deco Addict|2024-12-16|Hardware|9995\n"
	                 "Deco Addict|2024-12-16|Hardware|150000");
	IMPORT_OK(IMPORT_SALES, "odoo_orders.csv");
	ck_assert_str_eq(summary(), "read 5: 0 created, 0 updated, 5 unchanged, 0 rejected, "
	                            "0 skipped, 0 new accounts");
}
END_TEST

START_TEST(generic_erp_order_export)
{
	/* Superstore-like: BOM, CRLF, dd/mm/yy, unit price x quantity less
	 * discount, profit, two date columns (the first is read) */
	IMPORT_OK(IMPORT_SALES, "erp_orders.csv");
	ck_assert_str_eq(res.profile, "generic");
	ck_assert_int_eq(res.date_order, DATEPARSE_DMY);
	ck_assert_int_eq(field_of("Order Date"), F_DATE);
	ck_assert_int_eq(field_of("Ship Date"), F_IGNORED);
	ck_assert_int_eq(field_of("Row ID"), F_LINE_ID);
	ck_assert_int_eq(field_of("Discount"), F_DISCOUNT);
	ck_assert_int_eq(field_of("Product Name"), F_NONE);
	ck_assert_str_eq(summary(), "read 4: 4 created, 0 updated, 0 unchanged, 0 rejected, "
	                            "0 skipped, 3 new accounts");
	ck_assert_str_eq(q("SELECT a.external_id, a.name, s.date, c.name, s.amount, s.gross_profit"
	                   " FROM sale s JOIN account a ON a.id = s.account_id"
	                   " JOIN category c ON c.id = s.category_id ORDER BY s.id"),
	                 "CG-12520|Claire Gute|2019-11-08|Furniture|26196|4191\n"
	                 "CG-12520|Claire Gute|2019-11-08|Furniture|58555|2195\n"
	                 "DV-13045|Darrin Van Huff|2019-06-12|Office Supplies|1462|687\n"
	                 "SO-20335|Sean O'Donnell|2018-10-30|Furniture|52667|-38303");
}
END_TEST

START_TEST(unit_price_keeps_its_decimals)
{
	/* a price of a fraction of a cent, times a large quantity */
	IMPORT_OK(IMPORT_SALES, write_tmp("bulk.csv", "Customer,Date,Unit Price,Quantity\n"
	                                              "Acme,2026-01-02,0.0125,10000\n"
	                                              "Acme,2026-01-03,191.5155,5\n"));
	ck_assert_str_eq(q("SELECT amount FROM sale ORDER BY id"), "12500\n95758");
}
END_TEST

START_TEST(unit_price_times_quantity_out_of_range)
{
	ck_assert_int_eq(run(IMPORT_SALES, write_tmp("huge.csv", "Customer,Date,Unit Price,Quantity\n"
	                                                         "Acme,2026-01-02,999999999999,"
	                                                         "9000000000000\n"
	                                                         "Acme,2026-01-03,2,3\n")),
	                 QPC_ERR_DATA);
	ck_assert_int_eq(res.rejected, 1);
	ck_assert_msg(strstr(res.errors[0], "huge.csv:2: unit price x quantity is beyond"), "%s",
	              res.errors[0]);
}
END_TEST

START_TEST(profile_forced)
{
	IMPORT_OK(IMPORT_ACCOUNTS, "plain_ids.csv");
	ck_assert_str_eq(res.profile, "generic");
	ck_assert_str_eq(q("SELECT external_id FROM account"), "001bm00001ZL8U9");

	opt.profile = "salesforce"; /* now the 15-char id is the Salesforce record */
	IMPORT_OK(IMPORT_ACCOUNTS, "plain_ids.csv");
	ck_assert_str_eq(res.profile, "salesforce");
	ck_assert_str_eq(q("SELECT external_id FROM account ORDER BY id"),
	                 "001bm00001ZL8U9\n001bm00001ZL8U9AAL");

	opt.profile = "sugarcrm";
	ck_assert_int_eq(run(IMPORT_ACCOUNTS, "plain_ids.csv"), QPC_ERR_USAGE);
	ck_assert_msg(strstr(err.msg, "unknown profile 'sugarcrm'") &&
	                      strstr(err.msg, "salesforce hubspot dynamics zoho pipedrive odoo generic"),
	              "%s", err.msg);
}
END_TEST

/* --- --map and the remembered mapping ------------------------------------ */

static const char *const german_maps[] = { "Kundennummer=external_id", "Firma=name", "Ort=city",
	                                   "Mitarbeiter=employees" };

static void use_german_maps(void)
{
	opt.nmaps = 4;
	for (int i = 0; i < 4; i++)
		opt.maps[i] = german_maps[i];
}

START_TEST(map_names_columns_no_profile_knows)
{
	ck_assert_int_eq(run(IMPORT_ACCOUNTS, "custom_headers.csv"), QPC_ERR_DATA);
	ck_assert_msg(strstr(err.msg, "custom_headers.csv: no column holds the account") &&
	                      strstr(err.msg, "Kundennummer, Firma, Ort, Mitarbeiter") &&
	                      strstr(err.msg, "--map 'Header=name'"),
	              "%s", err.msg);
	use_german_maps();
	IMPORT_OK(IMPORT_ACCOUNTS, "custom_headers.csv");
	ck_assert(!res.remembered);
	ck_assert_str_eq(q("SELECT external_id, name, city, employees FROM account ORDER BY id"),
	                 "K-1|Müller GmbH|Köln|12\nK-2|Schmidt AG|Bonn|340");
}
END_TEST

START_TEST(mapping_remembered_for_the_same_header)
{
	use_german_maps();
	opt.dry_run = true; /* a dry run remembers nothing */
	IMPORT_OK(IMPORT_ACCOUNTS, "custom_headers.csv");
	ck_assert_int_eq(q_int("SELECT count(*) FROM import_mapping"), 0);
	opt.dry_run = false;
	IMPORT_OK(IMPORT_ACCOUNTS, "custom_headers.csv");
	reset_opts();
	IMPORT_OK(IMPORT_ACCOUNTS, "custom_headers.csv");
	ck_assert(res.remembered);
	ck_assert_int_eq(field_of("Firma"), F_NAME);
	ck_assert_str_eq(summary(), "read 2: 0 created, 0 updated, 2 unchanged, 0 rejected, "
	                            "0 skipped, 0 new accounts");
	/* next week's file, same header, new rows */
	IMPORT_OK(IMPORT_ACCOUNTS, write_tmp("week2.csv", "Kundennummer,Firma,Ort,Mitarbeiter\n"
	                                                  "K-3,Weber KG,Essen,7\n"));
	ck_assert(res.remembered);
	ck_assert_str_eq(q("SELECT name, city FROM account WHERE external_id = 'K-3'"),
	                 "Weber KG|Essen");
	/* another header is not that layout */
	ck_assert_int_eq(run(IMPORT_ACCOUNTS, write_tmp("other.csv", "Kundennummer,Firma,Stadt\n"
	                                                            "K-4,Vogel,Ulm\n")),
	                 QPC_ERR_DATA);
	ck_assert(!res.remembered);
}
END_TEST

START_TEST(map_overrides_the_profile)
{
	/* the City column is not to be read; Notes fills segment instead */
	static const char *const maps[] = { "city=ignore", "Notes=segment" };
	opt.maps[0] = maps[0];
	opt.maps[1] = maps[1];
	opt.nmaps = 2;
	IMPORT_OK(IMPORT_ACCOUNTS, "accounts_week1.csv");
	ck_assert_int_eq(field_of("City"), F_IGNORED);
	ck_assert_int_eq(field_of("Notes"), F_SEGMENT);
	ck_assert_int_eq(field_of("Segment"), F_IGNORED);
	ck_assert_str_eq(q("SELECT name, city, segment, notes FROM account ORDER BY id"),
	                 "Acme||first|\nBeta|||\nGamma|||");
}
END_TEST

START_TEST(map_mistakes_are_usage_errors)
{
	static const char *bad[][2] = {
		{ "Firma", "--map takes 'Header=field'" },
		{ "Firma=nom", "'nom' is not a field of accounts; known: ignore external_id name owner" },
		{ "Firma=date", "'date' is not a field of accounts" },
		{ "Nope=name", "has no column 'Nope'" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		opt.maps[0] = bad[i][0];
		opt.nmaps = 1;
		ck_assert_int_eq(run(IMPORT_ACCOUNTS, "custom_headers.csv"), QPC_ERR_USAGE);
		ck_assert_msg(strstr(err.msg, bad[i][1]), "--map %s: %s", bad[i][0], err.msg);
	}
	ck_assert_int_eq(q_int("SELECT count(*) FROM account"), 0);
}
END_TEST

/* --- sales and potential ------------------------------------------------- */

START_TEST(sales_create_unknown_accounts_and_keep_won_only)
{
	IMPORT_OK(IMPORT_SALES, "sales_won.csv");
	/* two identical lines stay two; lost and "no" are not sales; Gamma,
	 * named only by a lost deal, is not created */
	ck_assert_str_eq(summary(), "read 5: 3 created, 0 updated, 0 unchanged, 0 rejected, "
	                            "2 skipped, 2 new accounts");
	ck_assert_str_eq(q("SELECT external_id, name FROM account ORDER BY id"), "C1|Acme\nC2|Beta");
	ck_assert_str_eq(q("SELECT a.name, s.date, s.amount FROM sale s"
	                   " JOIN account a ON a.id = s.account_id ORDER BY s.id"),
	                 "Acme|2026-01-05|10000\nAcme|2026-01-05|10000\nBeta|2026-01-07|5000");
	IMPORT_OK(IMPORT_SALES, "sales_won.csv");
	ck_assert_str_eq(summary(), "read 5: 0 created, 0 updated, 3 unchanged, 0 rejected, "
	                            "2 skipped, 0 new accounts");
	ck_assert_int_eq(q_int("SELECT count(*) FROM sale"), 3);
}
END_TEST

START_TEST(sales_find_known_accounts_by_id_or_name)
{
	IMPORT_OK(IMPORT_ACCOUNTS, "accounts_week1.csv");
	IMPORT_OK(IMPORT_SALES, write_tmp("by_id.csv", "Customer ID,Customer Name,Date,Amount\n"
	                                               "A1,ACME Europe (renamed),2026-02-01,10\n"));
	IMPORT_OK(IMPORT_SALES, write_tmp("by_name.csv", "Customer,Date,Amount\nBeta,2026-02-02,20\n"
	                                                 "Omega,2026-02-03,30\n"));
	ck_assert_uint_eq(res.accounts_created, 1);
	ck_assert_str_eq(q("SELECT a.external_id, a.name, s.amount FROM sale s"
	                   " JOIN account a ON a.id = s.account_id ORDER BY s.id"),
	                 "A1|Acme|1000\nA2|Beta|2000\nNULL|Omega|3000");
}
END_TEST

START_TEST(export_guard_is_taken_off_exactly)
{
	/* what `qpc export` writes for values a spreadsheet would run: one
	 * apostrophe comes off a cell that starts, after it, as a formula
	 * does (also after further apostrophes); any other apostrophe is
	 * the value's own */
	char id[300] = "\"'=";
	memset(id + 3, 'x', 254); /* 255 bytes once unguarded: the most kept */
	strcpy(id + 257, "\"");
	char text[800];
	snprintf(text, sizeof text,
	         "External ID,Name,City\n"
	         "G1,\"'=1+1\",'abc\n"
	         "G2,\"''=2\",''\n"
	         "G3,\"'-5\",it's\n"
	         "G4,'@x,'\n"
	         "%s,Long,\"'+x\"\n",
	         id);
	const char *file = write_tmp("guarded.csv", text);
	IMPORT_OK(IMPORT_ACCOUNTS, file);
	ck_assert_str_eq(q("SELECT group_concat(name || '|' || city, ' ') FROM"
	                   " (SELECT * FROM account ORDER BY id)"),
	                 "=1+1|'abc '=2|'' -5|it's @x|' Long|+x");
	ck_assert_int_eq(q_int("SELECT length(external_id) FROM account WHERE name = 'Long'"), 255);
	ck_assert_int_eq(q_int("SELECT count(*) FROM account WHERE external_id LIKE '=x%'"), 1);
	/* --raw takes every cell as it is (what `export --raw` wrote) */
	opt.raw = true;
	IMPORT_OK(IMPORT_ACCOUNTS, write_tmp("raw.csv", "External ID,Name,City\n"
	                                                "G1,\"'=1+1\",'abc\n"
	                                                "G2,\"''=2\",''\n"));
	ck_assert_str_eq(summary(), "read 2: 0 created, 2 updated, 0 unchanged, 0 rejected, "
	                            "0 skipped, 0 new accounts");
	ck_assert_str_eq(q("SELECT group_concat(name, ' ') FROM (SELECT * FROM account"
	                   " WHERE external_id IN ('G1', 'G2') ORDER BY id)"),
	                 "'=1+1 ''=2");
	/* and the guarded file again, unguarded: back as it was */
	opt.raw = false;
	IMPORT_OK(IMPORT_ACCOUNTS, file);
	ck_assert_str_eq(summary(), "read 5: 0 created, 2 updated, 3 unchanged, 0 rejected, "
	                            "0 skipped, 0 new accounts");
}
END_TEST

START_TEST(potential_lines)
{
	IMPORT_OK(IMPORT_POTENTIAL, "potential.csv");
	ck_assert_str_eq(summary(), "read 3: 3 created, 0 updated, 0 unchanged, 0 rejected, "
	                            "0 skipped, 2 new accounts");
	/* blanks: basis "imported", not verified, measured today by the actor */
	ck_assert_str_eq(q("SELECT a.external_id, c.name, p.amount, p.basis, p.verified,"
	                   " p.measured_on, p.measured_by FROM potential p"
	                   " JOIN account a ON a.id = p.account_id"
	                   " JOIN category c ON c.id = p.category_id ORDER BY a.id, c.name"),
	                 "C1|Gadgets|3000000|rep estimate|0|2026-02-11|bob\n"
	                 "C1|Widgets|12000000|customer stated|1|2026-01-10|alice\n"
	                 "C2|Widgets|500000|imported|0|2026-11-17|tester");
	IMPORT_OK(IMPORT_POTENTIAL, "potential.csv");
	ck_assert_str_eq(summary(), "read 3: 0 created, 0 updated, 3 unchanged, 0 rejected, "
	                            "0 skipped, 0 new accounts");
}
END_TEST

/* The tally of accounts, and what it should say. */
#define TALLY_Q "SELECT owner, segment, status, n FROM account_tally WHERE n > 0 ORDER BY 1, 2, 3"
#define COUNTED_Q                                                                              \
	"SELECT owner, segment, status, count(*) FROM account GROUP BY 1, 2, 3 ORDER BY 1, 2, 3"

/* --- atomic, idempotent -------------------------------------------------- */

START_TEST(failed_import_leaves_an_empty_database_byte_identical)
{
	/* into an empty account table the importer sets indexes and triggers
	 * aside for a bulk load: a failure must bring them all back */
	struct snapshot before;
	snap(&before);
	ck_assert_int_eq(run(IMPORT_ACCOUNTS, "accounts_bad.csv"), QPC_ERR_DATA);
	ck_assert(!res.committed);
	ck_assert_str_eq(summary(), "read 7: 3 created, 0 updated, 0 unchanged, 4 rejected, "
	                            "0 skipped, 0 new accounts");
	assert_unchanged(&before);
}
END_TEST

/* An account file of at least QPC_INGEST_JOURNAL_BYTES (a long ignored
 * Comment), then tail. */
static const char *large_accounts(const char *name, const char *tail)
{
	const char *p = tmp_path(name);
	FILE *fp = fopen(p, "wb");
	ck_assert_ptr_nonnull(fp);
	fputs("External ID,Name,Owner,Comment\n", fp);
	long size = 0;
	for (int i = 1; size <= (long)QPC_INGEST_JOURNAL_BYTES; i++) {
		fprintf(fp, "L%d,Large %d,rep %d,", i, i, i % 7);
		for (int k = 0; k < 500; k++)
			fputs("padding ", fp);
		fputc('\n', fp);
		size = ftell(fp);
	}
	fputs(tail, fp);
	ck_assert_int_eq(fclose(fp), 0);
	return p;
}

START_TEST(failed_large_load_leaves_every_page_as_it_was)
{
	/* a large load into an empty table runs with a rollback journal: a
	 * failure leaves every page as it was, and the header but for the
	 * change counter SQLite keeps of the two journal switches (bytes 24
	 * and 92, four each) */
	struct snapshot before;
	snap(&before);
	ck_assert_int_eq(run(IMPORT_ACCOUNTS, large_accounts("large.csv", "L0,,rep 1,\n")),
	                 QPC_ERR_DATA);
	ck_assert(!res.committed);
	ck_assert_uint_eq(res.rejected, 1);
	struct snapshot after;
	snap(&after);
	ck_assert_str_eq(after.dump, before.dump);
	ck_assert_uint_eq(after.len, before.len);
	ck_assert_uint_ge(before.len, 100);
	memcpy(after.bytes + 24, before.bytes + 24, 4);
	memcpy(after.bytes + 92, before.bytes + 92, 4);
	ck_assert_msg(memcmp(after.bytes, before.bytes, before.len) == 0,
	              "the database file changed beyond its change counter");
	ck_assert_str_eq(q("PRAGMA journal_mode"), "wal");
	free(after.dump);
	free(after.bytes);
	free(before.dump);
	free(before.bytes);
	/* and a dry run changes not even that */
	snap(&before);
	opt.dry_run = true;
	IMPORT_OK(IMPORT_ACCOUNTS, large_accounts("large.csv", ""));
	assert_unchanged(&before);
	/* the load itself, back in write-ahead log mode */
	opt.dry_run = false;
	IMPORT_OK(IMPORT_ACCOUNTS, large_accounts("large.csv", ""));
	ck_assert_int_eq(q_int("SELECT count(*) FROM account"), (int64_t)res.read);
	ck_assert_str_eq(q(TALLY_Q), q(COUNTED_Q));
	ck_assert_str_eq(q("PRAGMA journal_mode"), "wal");
}
END_TEST

START_TEST(failed_import_leaves_a_full_database_byte_identical)
{
	IMPORT_OK(IMPORT_ACCOUNTS, "accounts_week1.csv");
	IMPORT_OK(IMPORT_SALES, "erp_orders.csv");
	struct snapshot before;
	snap(&before);
	/* good rows would update and create, a bad row stops it all */
	ck_assert_int_eq(run(IMPORT_ACCOUNTS, write_tmp("mixed.csv",
	                                                "External ID,Name,City,Employees\n"
	                                                "A1,Acme,Berlin,1\nA9,New,Rome,2\n"
	                                                "A2,Beta,Lyon,two\n")),
	                 QPC_ERR_DATA);
	assert_unchanged(&before);
	snap(&before);
	ck_assert_int_eq(run(IMPORT_SALES, "num_absurd.csv"), QPC_ERR_DATA);
	assert_unchanged(&before);
	snap(&before);
	ck_assert_int_eq(run(IMPORT_SALES, "date_conflict.csv"), QPC_ERR_DATA);
	assert_unchanged(&before);
}
END_TEST

START_TEST(errors_name_file_line_column_and_value)
{
	ck_assert_int_eq(run(IMPORT_ACCOUNTS, "accounts_bad.csv"), QPC_ERR_DATA);
	ck_assert_int_eq(res.nerrors, 4);
	ck_assert_str_eq(res.errors[0], FX "accounts_bad.csv:3:4: Employees: 'many' is not a number "
	                                   "of employees: not a number");
	ck_assert_str_eq(res.errors[1], FX "accounts_bad.csv:5:5: Annual Revenue: '-3' is negative");
	ck_assert_str_eq(res.errors[2], FX "accounts_bad.csv:6:2: Name: the account has no name");
	ck_assert_str_eq(res.errors[3], FX "accounts_bad.csv:7: 6 fields where the header has 5 (a "
	                                   "delimiter inside an unquoted value?)");
}
END_TEST

START_TEST(first_20_errors_kept_all_counted)
{
	char big[4096] = "id,name,employees\n";
	for (int i = 1; i <= 25; i++)
		snprintf(big + strlen(big), sizeof big - strlen(big), "X%d,Name %d,bad%d\n", i, i, i);
	strcat(big, "OK,Good,1\n");
	ck_assert_int_eq(run(IMPORT_ACCOUNTS, write_tmp("many.csv", big)), QPC_ERR_DATA);
	ck_assert_int_eq(res.rejected, 25);
	ck_assert_int_eq(res.nerrors, IMPORT_MAX_ERRORS);
	ck_assert_msg(strstr(res.errors[0], "many.csv:2:3: employees: 'bad1'"), "%s", res.errors[0]);
	ck_assert_msg(strstr(res.errors[19], "many.csv:21:3: employees: 'bad20'"), "%s",
	              res.errors[19]);
	ck_assert_int_eq(q_int("SELECT count(*) FROM account"), 0);
}
END_TEST

START_TEST(skip_bad_writes_rejects_and_imports_the_rest)
{
	opt.skip_bad = true;
	opt.rejects = tmp_path("rejects.csv");
	IMPORT_OK(IMPORT_ACCOUNTS, "accounts_bad.csv");
	ck_assert_str_eq(summary(), "read 7: 3 created, 0 updated, 0 unchanged, 4 rejected, "
	                            "0 skipped, 0 new accounts");
	ck_assert_str_eq(q("SELECT external_id, name, city FROM account ORDER BY id"),
	                 "G1|Good, One|Oslo\nG2|Good Two|Bergen \"Centre\"\nG3|Good Three|Oslo");
	/* the bad rows as they were, the reason in an added column */
	ck_assert_str_eq(read_file(opt.rejects),
	                 "External ID,Name,City,Employees,Annual Revenue,qpc_error\r\n"
	                 "B1,Bad Employees,Oslo,many,100,\"line 3, Employees: 'many' is not a "
	                 "number of employees: not a number\"\r\n"
	                 "B2,Bad Revenue,Oslo,5,-3,\"line 5, Annual Revenue: '-3' is negative\"\r\n"
	                 "B3,,Oslo,5,5,\"line 6, Name: the account has no name\"\r\n"
	                 "B4,Too,Many,Fields,1,2,line 7: 6 fields where the header has 5 (a "
	                 "delimiter inside an unquoted value?)\r\n");
}
END_TEST

START_TEST(rejects_keep_the_file_delimiter)
{
	opt.skip_bad = true;
	opt.rejects = tmp_path("rejects.csv");
	IMPORT_OK(IMPORT_ACCOUNTS, "accounts_bad_semicolon.csv");
	ck_assert_uint_eq(res.rejected, 2);
	ck_assert_str_eq(q("SELECT external_id, name, employees FROM account"), "G1|Good One|10");
	ck_assert_str_eq(read_file(opt.rejects),
	                 "External ID;Name;Employees;qpc_error\r\n"
	                 "B1;Bad;Employees;x;line 3: 4 fields where the header has 3 (a delimiter "
	                 "inside an unquoted value?)\r\n"
	                 "B2;Bad, Two;1,5;line 4, Employees: '1,5' is not a number of employees: "
	                 "not a whole number\r\n");
}
END_TEST

START_TEST(same_file_twice_changes_nothing)
{
	IMPORT_OK(IMPORT_ACCOUNTS, "accounts_week1.csv");
	IMPORT_OK(IMPORT_SALES, "erp_orders.csv");
	IMPORT_OK(IMPORT_POTENTIAL, "potential.csv");
	char *before = dump();
	IMPORT_OK(IMPORT_ACCOUNTS, "accounts_week1.csv");
	ck_assert_str_eq(summary(), "read 3: 0 created, 0 updated, 3 unchanged, 0 rejected, "
	                            "0 skipped, 0 new accounts");
	IMPORT_OK(IMPORT_SALES, "erp_orders.csv");
	ck_assert_str_eq(summary(), "read 4: 0 created, 0 updated, 4 unchanged, 0 rejected, "
	                            "0 skipped, 0 new accounts");
	IMPORT_OK(IMPORT_POTENTIAL, "potential.csv");
	ck_assert_str_eq(summary(), "read 3: 0 created, 0 updated, 3 unchanged, 0 rejected, "
	                            "0 skipped, 0 new accounts");
	char *after = dump();
	ck_assert_msg(strcmp(after, before) == 0, "importing the same files again changed the database");
	free(before);
	free(after);
}
END_TEST

START_TEST(repeated_key_the_last_row_wins_once)
{
	/* A file naming an account, or a QPC line, twice with other values:
	 * the last row wins, a warning names both lines, and importing the
	 * file again changes nothing (no update, no history); into an empty
	 * database (a bulk load), then into one where the account was. */
	static const char acc_text[] = "External ID,Name,Owner,Segment\n"
	                               "Z1,Zeta,ann,Retail\n"
	                               "Z2,Yak,bob,Retail\n"
	                               "Z1,Zeta,carl,Food\n"
	                               "Z1,Zeta Corp,dora,Food\n";
	static const char pot_text[] = "External ID,Name,Category,Amount,Measured On\n"
	                               "Z1,Zeta,Widgets,100,2026-01-01\n"
	                               "Z2,Yak,Widgets,50,2026-01-01\n"
	                               "Z1,Zeta Corp,Widgets,120,2026-02-01\n";
	char want[400];
	for (int bulk = 1; bulk >= 0; bulk--) {
		if (!bulk) { /* again, into a database that has Z1 */
			teardown();
			setup();
			IMPORT_OK(IMPORT_ACCOUNTS, write_tmp("old.csv", "External ID,Name,Owner\n"
			                                                "Z1,Zeta,old\n"));
		}
		const char *acc = write_tmp("acc.csv", acc_text), *pot = write_tmp("pot.csv", pot_text);
		int64_t history = q_int("SELECT count(*) FROM history");
		IMPORT_OK(IMPORT_ACCOUNTS, acc);
		ck_assert_str_eq(summary(), bulk ? "read 4: 2 created, 0 updated, 0 unchanged, 0 rejected, "
		                                   "0 skipped, 0 new accounts"
		                                 : "read 4: 1 created, 1 updated, 0 unchanged, 0 rejected, "
		                                   "0 skipped, 0 new accounts");
		ck_assert_int_eq(res.replaced, 2);
		ck_assert_int_eq(res.nwarnings, 2);
		snprintf(want, sizeof want, "%s:2: the same account as %s:5 (Z1, Zeta): the later row wins",
		         acc, acc);
		ck_assert_str_eq(res.warnings[0], want);
		snprintf(want, sizeof want, "%s:4: the same account as %s:5 (Z1, Zeta): the later row wins",
		         acc, acc);
		ck_assert_str_eq(res.warnings[1], want);
		ck_assert_str_eq(q("SELECT name || ' ' || owner || ' ' || segment FROM account"
		                   " WHERE external_id = 'Z1'"),
		                 "Zeta Corp dora Food");
		/* the owner changed once, from what the database had */
		ck_assert_str_eq(q("SELECT group_concat(ifnull(old, '-') || '>' || new)"
		                   " FROM history WHERE field = 'owner'"),
		                 bulk ? "NULL" : "old>dora");
		IMPORT_OK(IMPORT_POTENTIAL, pot);
		ck_assert_int_eq(res.outcome[QPC_CREATED], 2);
		ck_assert_int_eq(res.replaced, 1);
		snprintf(want, sizeof want,
		         "%s:2: the same QPC line as %s:4 (Z1, Zeta, Widgets): the later row wins", pot, pot);
		ck_assert_str_eq(res.warnings[0], want);
		ck_assert_str_eq(q("SELECT amount || ' ' || measured_on FROM potential p JOIN account a"
		                   " ON a.id = p.account_id WHERE external_id = 'Z1'"),
		                 "12000 2026-02-01");
		ck_assert_int_eq(q_int("SELECT count(*) FROM history") - history, bulk ? 2 : 3);

		/* the same files again: nothing changes */
		char *before = dump();
		IMPORT_OK(IMPORT_ACCOUNTS, acc);
		ck_assert_str_eq(summary(), "read 4: 0 created, 0 updated, 2 unchanged, 0 rejected, "
		                            "0 skipped, 0 new accounts");
		ck_assert_int_eq(res.replaced, 2);
		IMPORT_OK(IMPORT_POTENTIAL, pot);
		ck_assert_str_eq(summary(), "read 3: 0 created, 0 updated, 2 unchanged, 0 rejected, "
		                            "0 skipped, 0 new accounts");
		char *after = dump();
		ck_assert_msg(strcmp(after, before) == 0, "importing the same files again changed the database");
		free(before);
		free(after);
	}
}
END_TEST

START_TEST(repeated_key_of_a_bad_row_keeps_the_good_one)
{
	/* a later row that is refused replaces nothing: with --skip-bad the
	 * earlier one is imported, the bad one goes to the rejects */
	opt.skip_bad = true;
	opt.rejects = tmp_path("rejects.csv");
	IMPORT_OK(IMPORT_ACCOUNTS, write_tmp("bad.csv", "External ID,Name,Employees\n"
	                                                "Z1,Zeta,10\n"
	                                                "Z1,Zeta,many\n"));
	ck_assert_str_eq(summary(), "read 2: 1 created, 0 updated, 0 unchanged, 1 rejected, "
	                            "0 skipped, 0 new accounts");
	ck_assert_int_eq(res.replaced, 0);
	ck_assert_int_eq(q_int("SELECT employees FROM account WHERE external_id = 'Z1'"), 10);
	/* a dry run counts as the import would */
	opt.skip_bad = false;
	opt.dry_run = true;
	ck_assert_int_eq(run(IMPORT_ACCOUNTS, write_tmp("twice.csv", "External ID,Name,Employees\n"
	                                                             "Z1,Zeta,11\n"
	                                                             "Z1,Zeta,10\n")),
	                 QPC_OK);
	ck_assert_str_eq(summary(), "read 2: 0 created, 0 updated, 1 unchanged, 0 rejected, "
	                            "0 skipped, 0 new accounts");
	ck_assert_int_eq(res.replaced, 1);
}
END_TEST

START_TEST(changed_file_updates_only_what_changed)
{
	IMPORT_OK(IMPORT_ACCOUNTS, "accounts_week1.csv");
	/* week 2: Beta moved to Marseille, Delta is new */
	IMPORT_OK(IMPORT_ACCOUNTS, "accounts_week2.csv");
	ck_assert_str_eq(summary(), "read 4: 1 created, 1 updated, 2 unchanged, 0 rejected, "
	                            "0 skipped, 0 new accounts");
	ck_assert_str_eq(q("SELECT external_id, city, version FROM account ORDER BY id"),
	                 "A1|Paris|1\nA2|Marseille|2\nA3|Nice|1\nA4|Lille|1");

	IMPORT_OK(IMPORT_SALES, "erp_orders.csv");
	char text[2048];
	snprintf(text, sizeof text, "%s", read_file(FX "erp_orders.csv"));
	char *p = strstr(text, ",7.31,2,");
	ck_assert_ptr_nonnull(p);
	memcpy(p, ",7.31,3,", 8); /* row 3: one more label */
	IMPORT_OK(IMPORT_SALES, write_tmp("erp_orders.csv", text));
	ck_assert_str_eq(summary(), "read 4: 0 created, 1 updated, 3 unchanged, 0 rejected, "
	                            "0 skipped, 0 new accounts");
	ck_assert_str_eq(q("SELECT amount FROM sale ORDER BY id"), "26196\n58555\n2193\n52667");
}
END_TEST

START_TEST(dry_run_reports_the_same_and_changes_nothing)
{
	IMPORT_OK(IMPORT_ACCOUNTS, "accounts_week1.csv");
	struct snapshot before;
	snap(&before);
	opt.dry_run = true;
	IMPORT_OK(IMPORT_ACCOUNTS, "accounts_week2.csv");
	ck_assert(!res.committed);
	char dry[200];
	snprintf(dry, sizeof dry, "%s", summary());
	IMPORT_OK(IMPORT_SALES, "erp_orders.csv");
	ck_assert_str_eq(summary(), "read 4: 4 created, 0 updated, 0 unchanged, 0 rejected, "
	                            "0 skipped, 3 new accounts");
	assert_unchanged(&before);
	opt.dry_run = false;
	IMPORT_OK(IMPORT_ACCOUNTS, "accounts_week2.csv");
	ck_assert_str_eq(summary(), dry);
	ck_assert(res.committed);
}
END_TEST

/* --- one pass: a decision taken from the start of the file ---------------- */

/* A sales file whose first megabytes say nothing about dates or decimals
 * (ISO dates, whole amounts, a long ignored Comment), then tail. */
static const char *late_file(const char *name, const char *tail)
{
	const char *p = tmp_path(name);
	FILE *fp = fopen(p, "wb");
	ck_assert_ptr_nonnull(fp);
	fputs("Line ID,Customer ID,Customer Name,Order Date,Sales,Comment\n", fp);
	for (int i = 1; i <= 5000; i++) { /* 3 MB, past what is read to decide */
		fprintf(fp, "P%d,C1,Acme,2024-03-01,1,", i);
		for (int k = 0; k < 60; k++)
			fputs("padding ", fp);
		fputc('\n', fp);
	}
	fputs(tail, fp);
	ck_assert_int_eq(fclose(fp), 0);
	return p;
}

START_TEST(late_rows_decide_for_the_whole_file)
{
	/* 03/04/2024 reads two ways until 13/01/2024 says day-first, and
	 * 12,50 is twelve and a half only once 1.234,50 says decimal comma:
	 * the rows before those say so are read as the whole file says */
	const char *tail = "Z1,C1,Acme,03/04/2024,\"12,50\",\n"
	                   "Z2,C1,Acme,13/01/2024,\"1.234,50\",\n";
	const char *rejects = tmp_path("rejects.csv");
	opt.skip_bad = true;
	opt.rejects = rejects;
	IMPORT_OK(IMPORT_SALES, late_file("late.csv", tail));
	ck_assert_str_eq(summary(), "read 5002: 5002 created, 0 updated, 0 unchanged, 0 rejected, "
	                            "0 skipped, 1 new accounts");
	ck_assert_int_eq(res.date_order, DATEPARSE_DMY);
	ck_assert_int_eq(res.decimal, AMOUNT_DEC_COMMA);
	/* Z1 and Z2, the file's last two lines */
	ck_assert_str_eq(q("SELECT date, amount FROM (SELECT id, date, amount FROM sale"
	                   " ORDER BY id DESC LIMIT 2) ORDER BY id"),
	                 "2024-04-03|1250\n2024-01-13|123450");
	ck_assert_int_eq(q_int("SELECT count(*) FROM sale"), 5002);
	ck_assert_int_eq(q_int("SELECT count(*) FROM account"), 1);
	/* what the first reading rejected is not in the rejects file */
	ck_assert_str_eq(read_file(rejects),
	                 "Line ID,Customer ID,Customer Name,Order Date,Sales,Comment,qpc_error\r\n");
}
END_TEST

START_TEST(late_conflict_fails_the_whole_file)
{
	struct snapshot before;
	snap(&before);
	const char *tail = "X1,C1,Acme,13/01/2024,1,\nX2,C1,Acme,01/13/2024,1,\n";
	ck_assert_int_eq(run(IMPORT_SALES, late_file("conflict.csv", tail)), QPC_ERR_DATA);
	ck_assert_msg(strstr(err.msg, "day-first") && strstr(err.msg, "month-first") &&
	                      strstr(err.msg, "Order Date"),
	              "%s", err.msg);
	/* as when the file was read whole before any row */
	ck_assert_str_eq(summary(), "read 0: 0 created, 0 updated, 0 unchanged, 0 rejected, "
	                            "0 skipped, 0 new accounts");
	assert_unchanged(&before);
}
END_TEST

START_TEST(late_syntax_error_is_the_file_error)
{
	/* bad rows before it, then a quote left open: the file's error, not
	 * the rows' (a whole first pass would have stopped there) */
	const char *tail = "B1,C1,Acme,someday,1,\nB2,C1,Acme,2024-03-01,1,\"open\n";
	ck_assert_int_eq(run(IMPORT_SALES, late_file("syntax.csv", tail)), QPC_ERR_DATA);
	ck_assert_msg(strstr(err.msg, "syntax.csv: line 5003, field 6: quoted field not closed"),
	              "%s", err.msg);
	ck_assert_uint_eq(res.rejected, 0);
	ck_assert_int_eq(res.nerrors, 0);
	ck_assert_int_eq(q_int("SELECT count(*) FROM sale"), 0);
}
END_TEST

/* --- the tally of accounts ------------------------------------------------ */

START_TEST(bulk_import_counts_the_tally)
{
	/* a load into an empty table counts once at the end; the triggers
	 * are back for what follows */
	IMPORT_OK(IMPORT_ACCOUNTS, "accounts_week1.csv");
	ck_assert_str_eq(q(TALLY_Q), q(COUNTED_Q));
	ck_assert_int_eq(q_int("SELECT count(*) FROM sqlite_master WHERE type = 'trigger'"
	                       " AND name LIKE 'account\\_tally\\_%' ESCAPE '\\'"),
	                 3);
	IMPORT_OK(IMPORT_ACCOUNTS, "accounts_week2.csv");
	ck_assert_str_eq(q(TALLY_Q), q(COUNTED_Q));
	IMPORT_OK(IMPORT_ACCOUNTS, write_tmp("moved.csv", "External ID,Name,Owner,Segment\n"
	                                                  "A1,Acme,zoe,Retail\n"));
	ck_assert_str_eq(q(TALLY_Q), q(COUNTED_Q));
}
END_TEST

START_TEST(bulk_import_of_a_file_naming_an_account_twice)
{
	/* into an empty table a row is inserted first and looked up only when
	 * its id is taken: the second A1 updates it, moving its tally, and
	 * the failed insert must not undo the rest (the first run, which
	 * finds the repeated key); the last row wins (the second run) */
	IMPORT_OK(IMPORT_ACCOUNTS, write_tmp("twice.csv", "External ID,Name,Owner,Segment\n"
	                                                  "A1,Acme,ann,Retail\n"
	                                                  "A2,Bolt,bob,Retail\n"
	                                                  "A1,Acme,carl,Food\n"));
	ck_assert_str_eq(summary(), "read 3: 2 created, 0 updated, 0 unchanged, 0 rejected, 0 skipped, 0 new accounts");
	ck_assert_int_eq(res.replaced, 1);
	ck_assert_str_eq(q("SELECT group_concat(external_id || ' ' || owner || ' ' || segment, ', ')"
	                   " FROM (SELECT * FROM account ORDER BY external_id)"),
	                 "A1 carl Food, A2 bob Retail");
	ck_assert_str_eq(q(TALLY_Q), q(COUNTED_Q));
	ck_assert_int_eq(q_int("SELECT sum(n) FROM account_tally"), 2);
}
END_TEST

START_TEST(bulk_import_finds_id_less_accounts_by_name)
{
	/* into an empty table rows are found by name only once a row without
	 * an id has made an account (the name index is built then): the keyed
	 * Acme below is the id-less one, and gets its id */
	IMPORT_OK(IMPORT_ACCOUNTS, write_tmp("mixed.csv", "External ID,Name,City\n"
	                                                  "A1,Bolt,Oslo\n"
	                                                  ",Acme,Rome\n"
	                                                  ",Crane,Kyiv\n"
	                                                  "A2,Acme,Lima\n"
	                                                  ",Crane,Bern\n"));
	/* (found so by the first run, the id-less Acme and Crane rows are
	 * replaced by the later ones naming the same accounts: the second run
	 * leaves them out) */
	ck_assert_str_eq(summary(), "read 5: 3 created, 0 updated, 0 unchanged, 0 rejected, "
	                            "0 skipped, 0 new accounts");
	ck_assert_int_eq(res.replaced, 2);
	ck_assert_str_eq(q("SELECT group_concat(ifnull(external_id, '-') || ' ' || name || ' ' || city,"
	                   " ', ') FROM (SELECT * FROM account ORDER BY name)"),
	                 "A2 Acme Lima, A1 Bolt Oslo, - Crane Bern");
	ck_assert_int_eq(q_int("SELECT count(*) FROM sqlite_master WHERE name = 'account_by_name'"), 1);
	ck_assert_str_eq(q(TALLY_Q), q(COUNTED_Q));
	/* sales naming customers by name alone: one account each */
	ck_assert_int_eq(run(IMPORT_SALES, write_tmp("by_name.csv",
	                                             "Customer Name,Order Date,Sales\n"
	                                             "Acme,2026-01-05,10\nDelta,2026-01-06,20\n"
	                                             "Delta,2026-02-05,30\n")),
	                 QPC_OK);
	ck_assert_int_eq(q_int("SELECT count(*) FROM account"), 4);
}
END_TEST

START_TEST(bulk_sales_import_counts_the_accounts_it_creates)
{
	IMPORT_OK(IMPORT_SALES, write_tmp("new_customers.csv",
	                                  "Customer ID,Customer Name,Order Date,Sales\n"
	                                  "C1,One,2026-01-05,10\nC2,Two,2026-01-06,20\n"
	                                  "C1,One,2026-02-05,30\n"));
	ck_assert_int_eq(q_int("SELECT count(*) FROM account"), 2);
	ck_assert_str_eq(q(TALLY_Q), q(COUNTED_Q));
}
END_TEST

/* What the dialog offers to import a file as, from its header row. */
START_TEST(kind_guessed_from_the_header)
{
	static const struct {
		const char *header;
		int want; /* an import_kind, or -1: no guess */
	} cases[] = {
		{ "Row ID,Order ID,Order Date,Ship Date,Customer ID,Customer Name,Segment,Category,"
		  "Sales,Quantity,Discount,Profit", IMPORT_SALES },
		{ "Id,AccountId,Name,StageName,Amount,CloseDate,IsClosed,IsWon", IMPORT_SALES },
		{ "Id,IsDeleted,Name,Type,BillingCity,Industry,AnnualRevenue,NumberOfEmployees",
		  IMPORT_ACCOUNTS },
		{ "external_id,name,category,amount,basis,verified,measured_on,measured_by",
		  IMPORT_POTENTIAL },
		{ "Customer,Invoice Date,Unit Price,Quantity", IMPORT_SALES },
		{ "Account Name,Account Owner,City", IMPORT_ACCOUNTS },
		/* an ERP's date by its words, as the import reads it */
		{ "Document No,Posting Date,Customer No,Customer Name,Category,Amount", IMPORT_SALES },
		{ "Kundennummer,Buchungsdatum,Warengruppe,Betrag", IMPORT_SALES },
		{ "column1,column2,column3", -1 },
	};
	for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
		char buf[400], *save = NULL;
		const char *cells[40];
		size_t n = 0;
		snprintf(buf, sizeof buf, "%s", cases[i].header);
		for (char *t = strtok_r(buf, ",", &save); t && n < 40; t = strtok_r(NULL, ",", &save))
			cells[n++] = t;
		enum import_kind k = IMPORT_KINDS;
		bool ok = import_kind_guess(cells, n, &k);
		ck_assert_msg(ok == (cases[i].want >= 0) && (!ok || (int)k == cases[i].want),
		              "'%s': %s, want %s", cases[i].header, ok ? import_kind_name(k) : "no guess",
		              cases[i].want >= 0 ? import_kind_name((enum import_kind)cases[i].want)
		                                 : "no guess");
	}
	/* from a file: its header row, in whatever encoding it is written */
	enum import_kind k = IMPORT_KINDS;
	ck_assert(import_kind_of_file(write_tmp("orders.csv", "\xEF\xBB\xBFOrder Date;Customer;Sales\r\n"
	                                                      "2026-01-05;Acme;10\r\n"),
	                              &k));
	ck_assert_int_eq(k, IMPORT_SALES);
	ck_assert(!import_kind_of_file(write_tmp("blank.csv", "column1,column2\n"), &k));
	ck_assert(!import_kind_of_file(tmp_path("missing.csv"), &k));
	ck_assert(!import_kind_of_file(dir, &k));
}
END_TEST

START_TEST(bulk_tally_of_many_owners)
{
	/* more owners than are counted in memory: counted by SQL instead */
	const char *p = tmp_path("owners.csv");
	FILE *fp = fopen(p, "wb");
	ck_assert_ptr_nonnull(fp);
	fputs("External ID,Name,Owner,Segment\n", fp);
	for (int i = 0; i < 10000; i++) /* 9000 owners, each in one segment */
		fprintf(fp, "O%d,Org %d,rep %d,%s\n", i, i, i % 9000, i % 2 ? "Retail" : "");
	ck_assert_int_eq(fclose(fp), 0);
	IMPORT_OK(IMPORT_ACCOUNTS, p);
	ck_assert_int_eq(q_int("SELECT sum(n) FROM account_tally"), 10000);
	ck_assert_int_eq(q_int("SELECT count(*) FROM account_tally"), 9000);
	ck_assert_int_eq(q_int("SELECT count(*) FROM (" TALLY_Q ") t JOIN (" COUNTED_Q ") c"
	                       " USING (owner, segment, status) WHERE t.n = c.\"count(*)\""),
	                 9000);
}
END_TEST

/* --- limits -------------------------------------------------------------- */

static const char *with_big_field(const char *name, const char *before, const char *after)
{
	const char *p = tmp_path(name);
	FILE *fp = fopen(p, "wb");
	ck_assert_ptr_nonnull(fp);
	fputs(before, fp);
	for (int i = 0; i < (1 << 20); i++)
		fputc('a' + i % 26, fp);
	fputs(after, fp);
	ck_assert_int_eq(fclose(fp), 0);
	return p;
}

START_TEST(megabyte_notes_are_kept_whole)
{
	IMPORT_OK(IMPORT_ACCOUNTS, with_big_field("notes.csv", "id,name,notes\nM1,Big,\"", "\"\n"));
	ck_assert_int_eq(q_int("SELECT length(notes) FROM account"), 1 << 20);
}
END_TEST

START_TEST(megabyte_name_or_id_is_a_clear_error)
{
	/* cutting such a value short would make two accounts one */
	ck_assert_int_eq(run(IMPORT_ACCOUNTS, with_big_field("name.csv", "id,name\nM1,", "\nM2,Ok\n")),
	                 QPC_ERR_DATA);
	ck_assert_int_eq(res.rejected, 1);
	ck_assert_msg(strstr(res.errors[0], "name.csv:2:2: name: ") && strstr(res.errors[0], "long"),
	              "%s", res.errors[0]);
	ck_assert_int_eq(run(IMPORT_ACCOUNTS, with_big_field("id.csv", "id,name\n", ",Big\n")),
	                 QPC_ERR_DATA);
	ck_assert_int_eq(res.rejected, 1);
	ck_assert_msg(strstr(res.errors[0], "id.csv:2:1: id: ") && strstr(res.errors[0], "long"),
	              "%s", res.errors[0]);
	ck_assert_int_eq(q_int("SELECT count(*) FROM account"), 0);
}
END_TEST

static uint64_t last_done, last_total, last_rows, calls, cancel_at;

/* Cancels at call number cancel_at (0: never). */
static int progress(void *ctx, uint64_t done, uint64_t total, uint64_t rows)
{
	(void)ctx;
	last_done = done;
	last_total = total;
	last_rows = rows;
	return ++calls == cancel_at;
}

/* n accounts, to make the progress callback speak a few times. */
static const char *many_accounts(int n)
{
	const char *p = tmp_path("many.csv");
	FILE *fp = fopen(p, "w");
	ck_assert_ptr_nonnull(fp);
	fputs("External ID,Name,City\n", fp);
	for (int i = 1; i <= n; i++)
		fprintf(fp, "M%d,Many %d,Town %d\n", i, i, i % 7);
	ck_assert_int_eq(fclose(fp), 0);
	return p;
}

/* Cuts the file (ctx) at a line break near its middle, or adds a row to
 * it, on the first call: a file changed while it is imported. */
static bool grow;
static int change_file(void *ctx, uint64_t done, uint64_t total, uint64_t rows)
{
	(void)done, (void)total, (void)rows;
	if (calls++)
		return 0;
	FILE *fp = fopen(ctx, grow ? "a" : "r+");
	ck_assert_ptr_nonnull(fp);
	if (grow) {
		fputs("M0,Late,Town 0\n", fp);
	} else {
		ck_assert_int_eq(fseek(fp, 0, SEEK_END), 0);
		long half = ftell(fp) / 2;
		ck_assert_int_eq(fseek(fp, half, SEEK_SET), 0);
		int c;
		while ((c = fgetc(fp)) != EOF && c != '\n')
			half++;
		ck_assert_int_eq(ftruncate(fileno(fp), half + 1), 0);
	}
	ck_assert_int_eq(fclose(fp), 0);
	return 0;
}

START_TEST(file_changed_while_read_is_not_imported)
{
	/* into an empty database, then into a full one */
	for (int i = 0; i < 4; i++) {
		if (i == 2)
			IMPORT_OK(IMPORT_ACCOUNTS, "accounts_week1.csv");
		grow = i % 2;
		char *file = strdup(many_accounts(5 * IMPORT_PROGRESS_ROWS));
		struct snapshot before;
		snap(&before);
		opt.progress = change_file;
		opt.progress_ctx = file;
		calls = 0;
		ck_assert_int_eq(run(IMPORT_ACCOUNTS, file), QPC_ERR_IO);
		ck_assert_msg(strstr(err.msg, "changed while it was being imported") &&
		                      strstr(err.msg, "nothing was imported"),
		              "%s", err.msg);
		ck_assert(!res.committed);
		assert_unchanged(&before);
		free(file);
	}
	opt.progress = NULL;
}
END_TEST

START_TEST(progress_ends_at_the_total)
{
	opt.progress = progress;
	calls = cancel_at = 0;
	IMPORT_OK(IMPORT_ACCOUNTS, "accounts_week1.csv");
	ck_assert_uint_ge(calls, 1);
	ck_assert_uint_gt(last_total, 0);
	ck_assert_uint_eq(last_done, last_total);
}
END_TEST

START_TEST(progress_cancels_and_leaves_the_database_unchanged)
{
	const char *file = many_accounts(5 * IMPORT_PROGRESS_ROWS);
	opt.progress = progress;
	/* into an empty database (a bulk load), then into a full one; in the
	 * first pass, then in the second, where rows were written */
	static const int cancels[] = { 6, 0, 1, 6 };
	for (size_t i = 0; i < sizeof cancels / sizeof *cancels; i++) {
		int at = cancels[i];
		if (!at) {
			opt.progress = NULL;
			IMPORT_OK(IMPORT_ACCOUNTS, "accounts_week1.csv");
			opt.progress = progress;
			continue;
		}
		struct snapshot before;
		snap(&before);
		calls = 0;
		cancel_at = (uint64_t)at;
		ck_assert_int_eq(run(IMPORT_ACCOUNTS, file), QPC_ERR_CANCELLED);
		ck_assert_msg(strstr(err.msg, "cancelled") && strstr(err.msg, "nothing was changed"),
		              "%s", err.msg);
		ck_assert_uint_eq(calls, (uint64_t)at);
		ck_assert(!res.committed);
		if (at > 5)
			ck_assert_uint_gt(res.read, 0); /* it had begun writing */
		assert_unchanged(&before);
	}
	/* left alone, the same file imports whole */
	calls = cancel_at = 0;
	IMPORT_OK(IMPORT_ACCOUNTS, file);
	ck_assert_uint_ge(calls, 10);
	ck_assert_uint_eq(last_rows, (uintmax_t)5 * IMPORT_PROGRESS_ROWS);
	ck_assert_int_eq(q_int("SELECT count(*) FROM account WHERE name LIKE 'Many %'"),
	                 (intmax_t)5 * IMPORT_PROGRESS_ROWS);
}
END_TEST

START_TEST(dry_run_previews_the_first_rows_and_may_skip_bad_ones)
{
	struct snapshot before;
	snap(&before);
	opt.dry_run = true;
	opt.skip_bad = true; /* no rejects file: a dry run writes nothing */
	ck_assert_int_eq(run(IMPORT_ACCOUNTS, "accounts_bad.csv"), QPC_OK);
	ck_assert_int_eq(res.rejected, 4);
	ck_assert_int_eq(res.outcome[QPC_CREATED], 3);
	ck_assert_msg(strstr(res.errors[0], "accounts_bad.csv:3:4: "), "%s", res.errors[0]);
	ck_assert_int_eq(res.npreview, IMPORT_PREVIEW_ROWS);
	ck_assert_int_ge(res.npreview_cols, 2);
	ck_assert_uint_eq(res.preview_line[0], 2);
	ck_assert_int_eq(res.columns[res.preview_col[1]].field, F_NAME);
	ck_assert_str_eq(res.preview[0][0], "G1");
	ck_assert_str_eq(res.preview[0][1], "Good, One");
	ck_assert_str_eq(res.preview[1][1], "Bad Employees");
	ck_assert_str_eq(res.preview[2][2], "Bergen \"Centre\"");
	assert_unchanged(&before);
	/* not for real */
	snap(&before);
	opt.dry_run = false;
	ck_assert_int_eq(run(IMPORT_ACCOUNTS, "accounts_bad.csv"), QPC_ERR_USAGE);
	assert_unchanged(&before);
}
END_TEST

START_TEST(preview_cells_are_cut_on_a_character)
{
	char text[200] = "Id,Name\n1,";
	for (int i = 0; i < 40; i++)
		strcat(text, "é");
	strcat(text, "\n");
	opt.dry_run = true;
	ck_assert_int_eq(run(IMPORT_ACCOUNTS, write_tmp("long.csv", text)), QPC_OK);
	ck_assert_int_eq(res.npreview, 1);
	const char *cell = res.preview[0][1];
	ck_assert_uint_eq(strlen(cell), IMPORT_PREVIEW_CELL - 1 - (IMPORT_PREVIEW_CELL - 1) % 2);
	for (size_t i = 0; cell[i]; i += 2)
		ck_assert(strncmp(cell + i, "é", 2) == 0);
}
END_TEST

/* --- columns told by their words and their cells ----------------------- */

static const char *why_of(const char *header)
{
	for (int c = 0; c < res.ncolumns && c < 64; c++)
		if (strcmp(res.columns[c].header, header) == 0)
			return res.columns[c].why;
	ck_abort_msg("no column %s", header);
	return "";
}

static int words_score_of(enum import_kind k, const char *header, enum import_field *f)
{
	int score;
	*f = profile_words(k, header, &score);
	return score;
}

START_TEST(words_name_dates_amounts_and_places)
{
	static const char *const dates[] = {
		"Posting Date", "Document Date", "Invoice Date", "Booking Date", "Buchungsdatum",
		"Belegdatum", "Rechnungsdatum", "Date de facturation", "Date comptable",
		"Fecha de factura", "Data fattura", "Factuurdatum", "PostingDate", "POSTINGDATE",
		"date d'écriture",
	};
	enum import_field f;
	for (size_t i = 0; i < sizeof dates / sizeof *dates; i++) {
		ck_assert_msg(words_score_of(IMPORT_SALES, dates[i], &f) == 3 && f == F_DATE, "%s",
		              dates[i]);
		ck_assert_msg(words_score_of(IMPORT_ACCOUNTS, dates[i], &f) == 0, "%s", dates[i]);
	}
	/* another date, or another sum, is not the sale's */
	static const char *const other[] = { "Due Date", "Created Date", "Fälligkeitsdatum",
		                             "Date de création", "Tax Amount", "VATAmount",
		                             "Update", "Est. Amount" };
	for (size_t i = 0; i < sizeof other / sizeof *other; i++)
		ck_assert_msg(words_score_of(IMPORT_SALES, other[i], &f) == 0, "%s", other[i]);
	ck_assert_int_eq(profile_words_for(IMPORT_SALES, "Due Date", F_DATE), -1);
	ck_assert_int_eq(profile_words_for(IMPORT_SALES, "Erstellt", F_DATE), 0);
	ck_assert_int_eq(words_score_of(IMPORT_SALES, "Rechnungsbetrag", &f), 3);
	ck_assert_int_eq(f, F_AMOUNT);
	ck_assert_int_eq(words_score_of(IMPORT_POTENTIAL, "Importe", &f), 3);
	ck_assert_int_eq(f, F_AMOUNT);
	/* addresses: the billing one first, then any, then the shipping one */
	ck_assert_int_eq(words_score_of(IMPORT_ACCOUNTS, "Billing Address City", &f), 3);
	ck_assert_int_eq(f, F_CITY);
	ck_assert_int_eq(words_score_of(IMPORT_ACCOUNTS, "Rechnungsanschrift Ort", &f), 3);
	ck_assert_int_eq(f, F_CITY);
	ck_assert_int_eq(words_score_of(IMPORT_ACCOUNTS, "Città", &f), 3);
	ck_assert_int_eq(f, F_CITY);
	ck_assert_int_eq(words_score_of(IMPORT_ACCOUNTS, "Mailing City", &f), 2);
	ck_assert_int_eq(words_score_of(IMPORT_ACCOUNTS, "Shipping Address Country", &f), 1);
	ck_assert_int_eq(f, F_COUNTRY);
	ck_assert_int_eq(words_score_of(IMPORT_ACCOUNTS, "País", &f), 3);
	ck_assert_int_eq(f, F_COUNTRY);
	ck_assert_int_eq(words_score_of(IMPORT_ACCOUNTS, "Other City", &f), 0);
	ck_assert_int_eq(words_score_of(IMPORT_ACCOUNTS, "Export", &f), 0);
	/* what was sold, not whose group */
	static const char *const cats[] = { "Item Category", "Product Category", "Warengruppe",
		                            "Artikelgruppe", "Catégorie de produit",
		                            "Famille d'articles", "Productgroep" };
	for (size_t i = 0; i < sizeof cats / sizeof *cats; i++) {
		ck_assert_msg(words_score_of(IMPORT_SALES, cats[i], &f) == 3 && f == F_CATEGORY, "%s",
		              cats[i]);
		ck_assert_msg(words_score_of(IMPORT_ACCOUNTS, cats[i], &f) == 0, "%s", cats[i]);
	}
	ck_assert_int_eq(words_score_of(IMPORT_POTENTIAL, "Item Category", &f), 3);
	ck_assert_int_eq(f, F_CATEGORY);
	static const char *const groups[] = { "Customer Category", "Kundengruppe", "Price Group",
		                              "Supplier Category" };
	for (size_t i = 0; i < sizeof groups / sizeof *groups; i++)
		ck_assert_msg(words_score_of(IMPORT_SALES, groups[i], &f) <= 0 || f != F_CATEGORY, "%s",
		              groups[i]);
}
END_TEST

START_TEST(erp_bookkeeping_dates_are_the_sales_date)
{
	const char *p = write_tmp("erp.csv", "Customer ID;Buchungsdatum;Rechnungsbetrag\n"
	                                     "K-1;13.01.2026;100,50\nK-2;14.02.2026;20\n");
	IMPORT_OK(IMPORT_SALES, p);
	ck_assert_int_eq(field_of("Buchungsdatum"), F_DATE);
	ck_assert_int_eq(field_of("Rechnungsbetrag"), F_AMOUNT);
	ck_assert_str_eq(why_of("Buchungsdatum"), "its label says date");
	ck_assert_str_eq(q("SELECT a.external_id, s.date, s.amount FROM sale s JOIN account a"
	                   " ON a.id = s.account_id ORDER BY s.date"),
	                 "K-1|2026-01-13|10050\nK-2|2026-02-14|2000");
}
END_TEST

START_TEST(compound_address_labels_fill_the_city)
{
	const char *p = write_tmp("crm.csv", "Account Name,Mailing City,Billing Address City,"
	                                     "Shipping Address Country\nAcme,Paris,Lyon,France\n");
	IMPORT_OK(IMPORT_ACCOUNTS, p);
	ck_assert_int_eq(field_of("Billing Address City"), F_CITY);
	ck_assert_int_eq(field_of("Mailing City"), F_NONE);
	ck_assert_str_eq(why_of("Billing Address City"),
	                 "its label says city; also possible: Mailing City");
	ck_assert_str_eq(why_of("Shipping Address Country"), "its label says country");
	ck_assert_str_eq(q("SELECT name, city, country FROM account"), "Acme|Lyon|France");
}
END_TEST

START_TEST(two_equally_plain_labels_are_refused)
{
	const char *p = write_tmp("two.csv", "Customer,Posting Date,Buchungsdatum,Total\n"
	                                     "Acme,2026-01-05,2026-01-04,10\n");
	ck_assert_int_eq(run(IMPORT_SALES, p), QPC_ERR_DATA);
	ck_assert_msg(strstr(err.msg, "both 'Posting Date' and 'Buchungsdatum'") &&
	                      strstr(err.msg, "the date for sales") &&
	                      strstr(err.msg, "--map 'Posting Date=date'"),
	              "%s", err.msg);
	ck_assert_int_eq(q_int("SELECT count(*) FROM sale"), 0);
	opt.maps[opt.nmaps++] = "Buchungsdatum=date";
	IMPORT_OK(IMPORT_SALES, p);
	ck_assert_str_eq(q("SELECT date FROM sale"), "2026-01-04");
	ck_assert_str_eq(why_of("Buchungsdatum"), "--map names it; also possible: Posting Date");
}
END_TEST

START_TEST(a_profile_column_stays_and_names_the_others)
{
	const char *p = write_tmp("doc.csv", "Customer,Posting Date,Document Date,Amount\n"
	                                     "Acme,2026-01-05,2026-01-04,10\n");
	IMPORT_OK(IMPORT_SALES, p);
	ck_assert_int_eq(field_of("Document Date"), F_DATE);
	ck_assert_int_eq(field_of("Posting Date"), F_NONE);
	ck_assert_str_eq(why_of("Document Date"),
	                 "its label is one the generic profile knows; also possible: Posting Date");
	ck_assert_str_eq(why_of("Amount"), "");
	ck_assert_str_eq(q("SELECT date FROM sale"), "2026-01-04");
}
END_TEST

START_TEST(cells_tell_an_unlabelled_date_and_amount)
{
	/* the first date reads both ways; a later one settles it day-first */
	opt.skip_bad = true;
	opt.rejects = tmp_path("rejects.csv");
	const char *p = write_tmp("cells.csv", "Customer,Wann,Nr,Wert\nAcme,05/01/2026,7,10.50\n"
	                                       "Beta,,8,\nBeta,13/01/2026,9,1200\n");
	IMPORT_OK(IMPORT_SALES, p);
	ck_assert_int_eq(field_of("Wann"), F_DATE);
	ck_assert_int_eq(field_of("Wert"), F_AMOUNT);
	ck_assert_int_eq(field_of("Nr"), F_NONE);
	ck_assert_int_eq(res.date_order, DATEPARSE_DMY);
	ck_assert_str_eq(why_of("Wann"), "no label names the date; every cell read is a date");
	ck_assert_str_eq(why_of("Wert"), "no label names the amount; every cell read is an amount; "
	                                 "also possible: Nr");
	ck_assert_str_eq(q("SELECT date, amount FROM sale ORDER BY date"),
	                 "2026-01-05|1050\n2026-01-13|120000");
	ck_assert_uint_eq(res.rejected, 1); /* the row without a date */
}
END_TEST

START_TEST(cells_never_choose_between_equals)
{
	const char *p = write_tmp("twodates.csv", "Customer,Wann,Bis,Amount\n"
	                                          "Acme,2026-01-05,2026-02-05,10\n");
	ck_assert_int_eq(run(IMPORT_SALES, p), QPC_ERR_DATA);
	ck_assert_msg(strstr(err.msg, "both 'Wann' and 'Bis' hold only dates") &&
	                      strstr(err.msg, "--map 'Wann=date'"),
	              "%s", err.msg);
	/* a column whose label names another date is no candidate */
	p = write_tmp("due.csv", "Customer,Due Date,Wann,Amount\nAcme,2026-02-05,2026-01-05,10\n");
	IMPORT_OK(IMPORT_SALES, p);
	ck_assert_int_eq(field_of("Wann"), F_DATE);
	ck_assert_int_eq(field_of("Due Date"), F_NONE);
	ck_assert_str_eq(q("SELECT date FROM sale"), "2026-01-05");
	/* a column of words is no date: the old refusal stands */
	p = write_tmp("nodate.csv", "Customer,Note,Amount\nAcme,soon,10\n");
	ck_assert_int_eq(run(IMPORT_SALES, p), QPC_ERR_DATA);
	ck_assert_msg(strstr(err.msg, "no column holds the date"), "%s", err.msg);
}
END_TEST

Suite *import_suite(void)
{
	Suite *s = suite_create("import");
	TCase *tc = tcase_create("encodings");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, unicode_encodings_read_alike, 0,
	                    (int)(sizeof unicode_files / sizeof *unicode_files));
	tcase_add_test(tc, windows_1252_with_the_option);
	tcase_add_test(tc, windows_1252_without_the_option);
	tcase_add_test(tc, not_windows_1252_either);
	tcase_add_test(tc, latin1_with_the_option);
	tcase_add_test(tc, invalid_utf8_names_the_line_and_the_option);
	suite_add_tcase(s, tc);

	tc = tcase_create("csv");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, delimiter_detected_from_the_header, 0,
	                    (int)(sizeof delim_files / sizeof *delim_files));
	tcase_add_test(tc, quoted_fields_and_physical_line_numbers);
	tcase_add_loop_test(tc, line_endings_and_trailing_blank_lines, 0,
	                    (int)(sizeof ending_files / sizeof *ending_files));
	tcase_add_test(tc, empty_file_and_header_only);
	tcase_add_test(tc, standard_input_is_read_whole);
	tcase_add_test(tc, missing_file_and_folder);
	suite_add_tcase(s, tc);

	tc = tcase_create("numbers");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, amounts_with_a_decimal_point);
	tcase_add_test(tc, amounts_with_a_decimal_comma);
	tcase_add_test(tc, ambiguous_amount_is_an_error_not_a_guess);
	tcase_add_test(tc, decimal_comma_decided_for_the_whole_file);
	tcase_add_test(tc, point_and_comma_in_one_file_stop_the_import);
	tcase_add_test(tc, absurd_amounts_are_clear_errors);
	tcase_add_test(tc, absurd_counts_are_clear_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("dates");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, iso_dates_and_datetimes);
	tcase_add_test(tc, contract_dates_are_facts);
	tcase_add_test(tc, month_first_column);
	tcase_add_test(tc, qpc_measured_in_the_future_is_refused);
	tcase_add_test(tc, day_first_column);
	tcase_add_test(tc, dotted_dates_are_day_first);
	tcase_add_test(tc, undecidable_column_asks_for_a_format);
	tcase_add_test(tc, column_with_both_orders_stops_the_import);
	tcase_add_test(tc, bad_dates_and_times_name_their_place);
	suite_add_tcase(s, tc);

	tc = tcase_create("profiles");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, salesforce_api_names);
	tcase_add_test(tc, salesforce_15_and_18_char_ids_are_one_account);
	tcase_add_test(tc, salesforce_opportunities_only_won);
	tcase_add_test(tc, hubspot_companies_and_deals);
	tcase_add_test(tc, dynamics_do_not_modify_columns);
	tcase_add_test(tc, zoho_accounts_and_deals);
	tcase_add_test(tc, pipedrive_organizations_and_deals);
	tcase_add_test(tc, odoo_partners_skip_individuals);
	tcase_add_test(tc, odoo_order_lines_fill_down);
	tcase_add_test(tc, generic_erp_order_export);
	tcase_add_test(tc, unit_price_keeps_its_decimals);
	tcase_add_test(tc, unit_price_times_quantity_out_of_range);
	tcase_add_test(tc, profile_forced);
	suite_add_tcase(s, tc);

	tc = tcase_create("mapping");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, map_names_columns_no_profile_knows);
	tcase_add_test(tc, mapping_remembered_for_the_same_header);
	tcase_add_test(tc, map_overrides_the_profile);
	tcase_add_test(tc, map_mistakes_are_usage_errors);
	suite_add_tcase(s, tc);

	tc = tcase_create("rows");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, sales_create_unknown_accounts_and_keep_won_only);
	tcase_add_test(tc, sales_find_known_accounts_by_id_or_name);
	tcase_add_test(tc, potential_lines);
	tcase_add_test(tc, export_guard_is_taken_off_exactly);
	suite_add_tcase(s, tc);

	tc = tcase_create("atomic");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, failed_import_leaves_an_empty_database_byte_identical);
	tcase_add_test(tc, failed_import_leaves_a_full_database_byte_identical);
	tcase_add_test(tc, failed_large_load_leaves_every_page_as_it_was);
	tcase_add_test(tc, errors_name_file_line_column_and_value);
	tcase_add_test(tc, first_20_errors_kept_all_counted);
	tcase_add_test(tc, skip_bad_writes_rejects_and_imports_the_rest);
	tcase_add_test(tc, rejects_keep_the_file_delimiter);
	tcase_add_test(tc, same_file_twice_changes_nothing);
	tcase_add_test(tc, changed_file_updates_only_what_changed);
	tcase_add_test(tc, repeated_key_the_last_row_wins_once);
	tcase_add_test(tc, repeated_key_of_a_bad_row_keeps_the_good_one);
	tcase_add_test(tc, dry_run_reports_the_same_and_changes_nothing);
	suite_add_tcase(s, tc);

	tc = tcase_create("one pass");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, late_rows_decide_for_the_whole_file);
	tcase_add_test(tc, late_conflict_fails_the_whole_file);
	tcase_add_test(tc, late_syntax_error_is_the_file_error);
	tcase_add_test(tc, bulk_import_counts_the_tally);
	tcase_add_test(tc, bulk_tally_of_many_owners);
	tcase_add_test(tc, kind_guessed_from_the_header);
	tcase_add_test(tc, bulk_import_of_a_file_naming_an_account_twice);
	tcase_add_test(tc, bulk_sales_import_counts_the_accounts_it_creates);
	tcase_add_test(tc, bulk_import_finds_id_less_accounts_by_name);
	suite_add_tcase(s, tc);

	tc = tcase_create("words and cells");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, words_name_dates_amounts_and_places);
	tcase_add_test(tc, erp_bookkeeping_dates_are_the_sales_date);
	tcase_add_test(tc, compound_address_labels_fill_the_city);
	tcase_add_test(tc, two_equally_plain_labels_are_refused);
	tcase_add_test(tc, a_profile_column_stays_and_names_the_others);
	tcase_add_test(tc, cells_tell_an_unlabelled_date_and_amount);
	tcase_add_test(tc, cells_never_choose_between_equals);
	suite_add_tcase(s, tc);

	tc = tcase_create("limits");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, megabyte_notes_are_kept_whole);
	tcase_add_test(tc, megabyte_name_or_id_is_a_clear_error);
	tcase_add_test(tc, progress_ends_at_the_total);
	tcase_add_test(tc, progress_cancels_and_leaves_the_database_unchanged);
	tcase_add_test(tc, file_changed_while_read_is_not_imported);
	tcase_add_test(tc, dry_run_previews_the_first_rows_and_may_skip_bad_ones);
	tcase_add_test(tc, preview_cells_are_cut_on_a_character);
	suite_add_tcase(s, tc);
	return s;
}
