/* check_textenc.c — byte-order marks, encodings, UTF-8 validation with
 * line numbers, all with the input cut into chunks of every small size. */
#include "tests.h"

#include <stdio.h>
#include <string.h>

#include "qpc/textenc.h"

struct sink {
	char out[4096];
	size_t n;
	size_t calls;
	size_t stop_after; /* fail on this call when nonzero */
};

static enum qpc_rc collect(void *ctx, const char *utf8, size_t len, struct qpc_error *err)
{
	struct sink *s = ctx;
	ck_assert_uint_gt(len, 0);
	ck_assert_uint_le(s->n + len, sizeof s->out);
	memcpy(s->out + s->n, utf8, len);
	s->n += len;
	if (++s->calls == s->stop_after)
		return qpc_error_set(err, QPC_ERR_IO, "sink full");
	return QPC_OK;
}

/* Converts in[0..len) fed in chunks of `chunk` bytes (0: all at once). */
static enum qpc_rc convert(enum textenc_kind kind, const char *in, size_t len, size_t chunk,
			   struct sink *s, struct qpc_error *err, enum textenc_kind *detected)
{
	memset(s, 0, sizeof *s);
	qpc_error_clear(err);
	struct textenc *te = textenc_new(kind, collect, s);
	ck_assert_ptr_nonnull(te);
	enum qpc_rc rc = QPC_OK;
	for (size_t i = 0; i < len && rc == QPC_OK;) {
		size_t n = chunk && chunk < len - i ? chunk : len - i;
		rc = textenc_feed(te, in + i, n, err);
		i += n;
	}
	if (rc == QPC_OK)
		rc = textenc_finish(te, err);
	if (detected)
		*detected = textenc_detected(te);
	textenc_free(te);
	return rc;
}

static const size_t chunks[] = { 0, 1, 2, 3, 5, 7 };
#define NCHUNKS (sizeof chunks / sizeof chunks[0])

/* in must convert to want (detecting `as`) whatever the chunk size. */
static void converts(enum textenc_kind kind, const char *in, size_t len, const char *want,
		     enum textenc_kind as)
{
	for (size_t c = 0; c < NCHUNKS; c++) {
		struct sink s;
		struct qpc_error err;
		enum textenc_kind detected;
		enum qpc_rc rc = convert(kind, in, len, chunks[c], &s, &err, &detected);
		ck_assert_msg(rc == QPC_OK, "chunk %zu: %s", chunks[c], err.msg);
		ck_assert_uint_eq(s.n, strlen(want));
		ck_assert_msg(memcmp(s.out, want, s.n) == 0, "chunk %zu: got '%.*s'", chunks[c],
			      (int)s.n, s.out);
		ck_assert_int_eq(detected, as);
	}
}

/* in must fail with exactly msg whatever the chunk size. */
static void fails(enum textenc_kind kind, const char *in, size_t len, const char *msg)
{
	for (size_t c = 0; c < NCHUNKS; c++) {
		struct sink s;
		struct qpc_error err;
		enum qpc_rc rc = convert(kind, in, len, chunks[c], &s, &err, NULL);
		ck_assert_int_eq(rc, QPC_ERR_DATA);
		ck_assert_int_eq(err.code, QPC_ERR_DATA);
		ck_assert_msg(strcmp(err.msg, msg) == 0, "chunk %zu: got '%s'", chunks[c], err.msg);
	}
}

#define CONVERTS(kind, lit, want, as) converts(kind, lit, sizeof(lit) - 1, want, as)
#define FAILS(kind, lit, msg) fails(kind, lit, sizeof(lit) - 1, msg)

START_TEST(utf8_passes_through)
{
	CONVERTS(TEXTENC_AUTO, "a,b\r\nCaf\xC3\xA9,\xE2\x82\xAC\xF0\x9F\x98\x80\n",
		 "a,b\r\nCafé,€😀\n", TEXTENC_UTF8);
	CONVERTS(TEXTENC_AUTO, "", "", TEXTENC_UTF8);
	CONVERTS(TEXTENC_AUTO, "x", "x", TEXTENC_UTF8);
	CONVERTS(TEXTENC_UTF8, "plain ascii only, long enough for words", 
		 "plain ascii only, long enough for words", TEXTENC_UTF8);
}
END_TEST

START_TEST(byte_order_marks)
{
	CONVERTS(TEXTENC_AUTO, "\xEF\xBB\xBFId,Name\n", "Id,Name\n", TEXTENC_UTF8);
	CONVERTS(TEXTENC_AUTO, "\xFF\xFEI\0d\0,\0\xE9\0\n\0", "Id,é\n", TEXTENC_UTF16LE);
	CONVERTS(TEXTENC_AUTO, "\xFE\xFF\0I\0d\0,\0\xE9\0\n", "Id,é\n", TEXTENC_UTF16BE);
	CONVERTS(TEXTENC_AUTO, "\xFF\xFE\0\0I\0\0\0\x00\xF6\x01\0", "I😀", TEXTENC_UTF32LE);
	CONVERTS(TEXTENC_AUTO, "\0\0\xFE\xFF\0\0\0I\0\x01\xF6\x00", "I😀", TEXTENC_UTF32BE);
	/* UTF-16 surrogate pair, LE and BE */
	CONVERTS(TEXTENC_AUTO, "\xFF\xFE\x3D\xD8\x00\xDE", "😀", TEXTENC_UTF16LE);
	CONVERTS(TEXTENC_AUTO, "\xFE\xFF\xD8\x3D\xDE\x00", "😀", TEXTENC_UTF16BE);
	/* a BOM alone, and a file too short to hold one */
	CONVERTS(TEXTENC_AUTO, "\xFF\xFE", "", TEXTENC_UTF16LE);
	FAILS(TEXTENC_UTF8, "\xEF\xBB",
	      "line 1: invalid UTF-8 (the file ends inside a character at offset 0)");
}
END_TEST

START_TEST(explicit_encodings)
{
	CONVERTS(TEXTENC_UTF16LE, "I\0d\0", "Id", TEXTENC_UTF16LE);
	CONVERTS(TEXTENC_UTF16LE, "\xFF\xFEI\0d\0", "Id", TEXTENC_UTF16LE);
	CONVERTS(TEXTENC_UTF16BE, "\0I\0d", "Id", TEXTENC_UTF16BE);
	CONVERTS(TEXTENC_UTF32BE, "\0\0\0I", "I", TEXTENC_UTF32BE);
	CONVERTS(TEXTENC_UTF8, "\xEF\xBB\xBFok", "ok", TEXTENC_UTF8);
	/* windows-1252: curly quotes, euro, NBSP, e acute; 0x81 is a C1 control */
	CONVERTS(TEXTENC_CP1252, "\x93" "Caf\xE9\x94 9\xA0\x80\x81\r\n",
		 "\u201CCaf\u00E9\u201D 9\u00A0\u20AC\xC2\x81\r\n", TEXTENC_CP1252);
	/* ISO-8859-1 maps 0x80-0x9F to C1 controls */
	CONVERTS(TEXTENC_LATIN1, "\x80\xE9\xFF", "\xC2\x80\u00E9\u00FF", TEXTENC_LATIN1);
	/* an 8-bit file has no BOM: its bytes are text */
	CONVERTS(TEXTENC_LATIN1, "\xEF\xBB\xBF", "\u00EF\u00BB\u00BF", TEXTENC_LATIN1);
}
END_TEST

START_TEST(invalid_utf8_names_line_and_offset)
{
	FAILS(TEXTENC_UTF8, "Id,Name\n1,Caf\xE9\n",
	      "line 2: invalid UTF-8 (byte 0xE9 at offset 13); "
	      "pass --encoding windows-1252 if the file is from Excel");
	/* CR LF counts once, a lone CR counts */
	FAILS(TEXTENC_UTF8, "a\r\nb\rc\n\nd\x80",
	      "line 5: invalid UTF-8 (byte 0x80 at offset 9); "
	      "pass --encoding windows-1252 if the file is from Excel");
	/* an explicit encoding takes only its own BOM */
	FAILS(TEXTENC_UTF8, "\xFF\xFE" "a",
	      "line 1: invalid UTF-8 (byte 0xFF at offset 0); "
	      "pass --encoding windows-1252 if the file is from Excel");
	/* after a BOM, offsets still count from the start of the file */
	FAILS(TEXTENC_AUTO, "\xEF\xBB\xBFx\xFF",
	      "line 1: invalid UTF-8 (byte 0xFF at offset 4); "
	      "pass --encoding windows-1252 if the file is from Excel");
	/* long ASCII runs go the fast way; the line count must survive it */
	FAILS(TEXTENC_UTF8, "0123456789abcdef0123456789\n0123456789abcdef\r\nxyz\xC3(",
	      "line 3: invalid UTF-8 (byte 0xC3 at offset 48); "
	      "pass --encoding windows-1252 if the file is from Excel");
}
END_TEST

START_TEST(invalid_utf8_forms)
{
	const char *tail = "; pass --encoding windows-1252 if the file is from Excel";
	char msg[160];
	static const struct {
		const char *in;
		unsigned byte;
	} cases[] = {
		{ "\xC0\xAF", 0xC0 },         /* overlong '/' */
		{ "\xE0\x80\xAF", 0xE0 },     /* overlong */
		{ "\xED\xA0\x80", 0xED },     /* UTF-16 surrogate */
		{ "\xF4\x90\x80\x80", 0xF4 }, /* above U+10FFFF */
		{ "\xF5\x80\x80\x80", 0xF5 },
		{ "\xBF", 0xBF },             /* stray continuation */
		{ "\xE2\x82" "A", 0xE2 },     /* cut short by ASCII */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(msg, sizeof msg, "line 1: invalid UTF-8 (byte 0x%02X at offset 2)%s",
			 cases[i].byte, tail);
		char in[16] = "ok";
		strcat(in, cases[i].in);
		fails(TEXTENC_UTF8, in, strlen(in), msg);
	}
	FAILS(TEXTENC_UTF8, "a\nb\xE2\x82",
	      "line 2: invalid UTF-8 (the file ends inside a character at offset 3)");
	/* the largest valid sequences pass */
	CONVERTS(TEXTENC_AUTO, "\xF4\x8F\xBF\xBF\xEF\xBF\xBD", "\xF4\x8F\xBF\xBF\xEF\xBF\xBD",
		 TEXTENC_UTF8);
}
END_TEST

START_TEST(not_utf8_is_read_as_windows_1252)
{
	/* no BOM, ASCII then a byte that is not UTF-8: windows-1252 from the
	 * start, whatever the chunks (a lead byte waiting for the next one,
	 * one cut short by the end of the file) */
	CONVERTS(TEXTENC_AUTO, "Id,Name\n1,Caf\xE9 \x93Nord\x94\n2,\x80 5\n",
		 "Id,Name\n1,Café “Nord”\n2,€ 5\n", TEXTENC_CP1252);
	CONVERTS(TEXTENC_AUTO, "0123456789abcdef0123456789\nK\xF6ln", "0123456789abcdef0123456789\nKöln",
		 TEXTENC_CP1252);
	CONVERTS(TEXTENC_AUTO, "a\nb\xE2\x82", "a\nbâ‚", TEXTENC_CP1252);
	CONVERTS(TEXTENC_AUTO, "\xE9t\xE9", "été", TEXTENC_CP1252);
	/* a byte windows-1252 leaves undefined: not windows-1252 either, and
	 * the message is the one of the first byte that was not UTF-8 */
	FAILS(TEXTENC_AUTO, "Id\n\x81",
	      "line 2: invalid UTF-8 (byte 0x81 at offset 3); "
	      "pass --encoding windows-1252 if the file is from Excel");
	FAILS(TEXTENC_AUTO, "Id,Name\n1,Caf\xE9\n2,\x9D\n",
	      "line 2: invalid UTF-8 (byte 0xE9 at offset 13); "
	      "pass --encoding windows-1252 if the file is from Excel");
	/* UTF-8 already seen: a bad byte after it is a damaged UTF-8 file */
	FAILS(TEXTENC_AUTO, "Caf\xC3\xA9\nCaf\xE9\n",
	      "line 2: invalid UTF-8 (byte 0xE9 at offset 9); "
	      "pass --encoding windows-1252 if the file is from Excel");
	/* a BOM says UTF-8, and so does --encoding utf-8 */
	FAILS(TEXTENC_AUTO, "\xEF\xBB\xBFx\xFF",
	      "line 1: invalid UTF-8 (byte 0xFF at offset 4); "
	      "pass --encoding windows-1252 if the file is from Excel");
	FAILS(TEXTENC_UTF8, "x\xE9\n",
	      "line 1: invalid UTF-8 (byte 0xE9 at offset 1); "
	      "pass --encoding windows-1252 if the file is from Excel");
}
END_TEST

START_TEST(wide_text_without_a_bom)
{
	/* the NULs of the first four bytes tell UTF-16 and UTF-32, and their
	 * byte order, from UTF-8 (which never holds a NUL) */
	CONVERTS(TEXTENC_AUTO, "I\0d\0,\0\xE9\0\n\0", "Id,é\n", TEXTENC_UTF16LE);
	CONVERTS(TEXTENC_AUTO, "\0I\0d\0,\0\xE9\0\n", "Id,é\n", TEXTENC_UTF16BE);
	CONVERTS(TEXTENC_AUTO, "I\0\0\0d\0\0\0", "Id", TEXTENC_UTF32LE);
	CONVERTS(TEXTENC_AUTO, "\0\0\0I\0\0\0d", "Id", TEXTENC_UTF32BE);
	/* not that shape: UTF-8, and the NUL an error whose hint names the
	 * byte order its offset shows (a NUL high byte follows its low byte
	 * in UTF-16LE, precedes it in UTF-16BE) */
	FAILS(TEXTENC_AUTO, "I\0\xE9",
	      "line 1: NUL byte at offset 1; if the file is UTF-16 without a byte-order mark, "
	      "pass --encoding utf-16le");
	FAILS(TEXTENC_UTF8, "\0I\0d",
	      "line 1: NUL byte at offset 0; if the file is UTF-16 without a byte-order mark, "
	      "pass --encoding utf-16be");
	FAILS(TEXTENC_UTF8, "Id\n\0x\0y",
	      "line 2: NUL byte at offset 3; if the file is UTF-16 without a byte-order mark, "
	      "pass --encoding utf-16le");
}
END_TEST

START_TEST(a_repeated_bom_is_dropped)
{
	/* a byte-order mark written twice (a tool adding one to a file that
	 * had one) is not part of the first header */
	CONVERTS(TEXTENC_AUTO, "\xEF\xBB\xBF\xEF\xBB\xBFId,Name\n", "Id,Name\n", TEXTENC_UTF8);
	CONVERTS(TEXTENC_AUTO, "\xEF\xBB\xBF\xEF\xBB\xBF\xEF\xBB\xBFId", "Id", TEXTENC_UTF8);
	CONVERTS(TEXTENC_UTF8, "\xEF\xBB\xBF\xEF\xBB\xBFok", "ok", TEXTENC_UTF8);
	CONVERTS(TEXTENC_AUTO, "\xFF\xFE\xFF\xFEI\0d\0", "Id", TEXTENC_UTF16LE);
	CONVERTS(TEXTENC_AUTO, "\xFE\xFF\xFE\xFF\0I", "I", TEXTENC_UTF16BE);
	CONVERTS(TEXTENC_AUTO, "\xEF\xBB\xBF\xEF\xBB\xBF", "", TEXTENC_UTF8);
	/* once text has begun, U+FEFF is text */
	CONVERTS(TEXTENC_AUTO, "\xEF\xBB\xBFI\xEF\xBB\xBF", "I\xEF\xBB\xBF", TEXTENC_UTF8);
	CONVERTS(TEXTENC_AUTO, "\xFF\xFEI\0\xFF\xFE", "I\xEF\xBB\xBF", TEXTENC_UTF16LE);
	/* half a second BOM is still an error at its offset */
	FAILS(TEXTENC_AUTO, "\xEF\xBB\xBF\xEF\xBB",
	      "line 1: invalid UTF-8 (the file ends inside a character at offset 3)");
	/* an 8-bit file has no BOM: its bytes are text, however many */
	CONVERTS(TEXTENC_LATIN1, "\xEF\xBB\xBF\xEF", "\u00EF\u00BB\u00BF\u00EF", TEXTENC_LATIN1);
}
END_TEST

START_TEST(nul_and_bad_wide_input)
{
	FAILS(TEXTENC_CP1252, "0123456789abcdef\r\n0123456789\n\xE9\0",
	      "line 3: NUL byte at offset 30; if the file is UTF-16 without a byte-order mark, "
	      "pass --encoding utf-16be");
	FAILS(TEXTENC_AUTO, "\xFF\xFE" "a\0\n\0\0\0",
	      "line 2: NUL character at offset 6");
	FAILS(TEXTENC_UTF16LE, "a\0\n\0\x00\xDC",
	      "line 2: invalid UTF-16 (unpaired surrogate at offset 4)");
	FAILS(TEXTENC_UTF16LE, "a\0\x3D\xD8" "b\0",
	      "line 1: invalid UTF-16 (unpaired surrogate at offset 2)");
	FAILS(TEXTENC_UTF16BE, "\0a\xD8\x3D",
	      "line 1: invalid UTF-16 (unpaired surrogate at offset 2)");
	FAILS(TEXTENC_UTF16LE, "a\0b",
	      "line 1: invalid UTF-16LE (the file ends inside a character at offset 2)");
	FAILS(TEXTENC_UTF32LE, "a\0\0\0\0\0\x11\0",
	      "line 1: invalid UTF-32 (0x110000 at offset 4)");
	FAILS(TEXTENC_UTF32BE, "\0\0\0a\0\0",
	      "line 1: invalid UTF-32BE (the file ends inside a character at offset 4)");
}
END_TEST

START_TEST(sink_error_stops)
{
	struct sink s;
	struct qpc_error err;
	enum qpc_rc rc;
	memset(&s, 0, sizeof s);
	s.stop_after = 1;
	struct textenc *te = textenc_new(TEXTENC_CP1252, collect, &s);
	rc = textenc_feed(te, "abc", 3, &err);
	ck_assert_int_eq(rc, QPC_ERR_IO);
	ck_assert_str_eq(err.msg, "sink full");
	textenc_free(te);
}
END_TEST

struct counter {
	size_t bytes, calls, largest;
};

static enum qpc_rc count_out(void *ctx, const char *utf8, size_t len, struct qpc_error *err)
{
	struct counter *c = ctx;
	(void)err;
	ck_assert_uint_eq(len % 2, 0); /* never a character cut in two */
	for (size_t i = 0; i < len; i += 2)
		ck_assert(utf8[i] == '\xC3' && utf8[i + 1] == '\xA9');
	c->bytes += len;
	c->calls++;
	if (len > c->largest)
		c->largest = len;
	return QPC_OK;
}

START_TEST(big_input_is_chunked)
{
	/* 8-bit input is decoded into a fixed buffer, flushed when full */
	static char in[40000];
	memset(in, 0xE9, sizeof in);
	struct counter c = { 0 };
	struct qpc_error err;
	struct textenc *te = textenc_new(TEXTENC_LATIN1, count_out, &c);
	ck_assert_int_eq(textenc_feed(te, in, sizeof in, &err), QPC_OK);
	ck_assert_int_eq(textenc_finish(te, &err), QPC_OK);
	ck_assert_uint_eq(c.bytes, 80000);
	ck_assert_uint_eq(c.calls, 5);
	ck_assert_uint_le(c.largest, 16384);
	textenc_free(te);
}
END_TEST

START_TEST(names)
{
	enum textenc_kind k = TEXTENC_AUTO;
	ck_assert(textenc_lookup("utf-8", &k) && k == TEXTENC_UTF8);
	ck_assert(textenc_lookup("UTF8", &k) && k == TEXTENC_UTF8);
	ck_assert(textenc_lookup("utf-16le", &k) && k == TEXTENC_UTF16LE);
	ck_assert(textenc_lookup("UTF_16BE", &k) && k == TEXTENC_UTF16BE);
	ck_assert(textenc_lookup("utf-32le", &k) && k == TEXTENC_UTF32LE);
	ck_assert(textenc_lookup("utf32be", &k) && k == TEXTENC_UTF32BE);
	ck_assert(textenc_lookup("Windows-1252", &k) && k == TEXTENC_CP1252);
	ck_assert(textenc_lookup("cp1252", &k) && k == TEXTENC_CP1252);
	ck_assert(textenc_lookup("latin1", &k) && k == TEXTENC_LATIN1);
	ck_assert(textenc_lookup("ISO-8859-1", &k) && k == TEXTENC_LATIN1);
	ck_assert(textenc_lookup("auto", &k) && k == TEXTENC_AUTO);
	k = TEXTENC_UTF8;
	ck_assert(!textenc_lookup("ebcdic", &k));
	ck_assert(!textenc_lookup("utf-8-but-much-longer-than-any", &k));
	ck_assert(!textenc_lookup("", &k));
	ck_assert_int_eq(k, TEXTENC_UTF8);
	ck_assert_str_eq(textenc_name(TEXTENC_CP1252), "windows-1252");
	ck_assert_str_eq(textenc_name(TEXTENC_UTF16LE), "UTF-16LE");
}
END_TEST

Suite *textenc_suite(void)
{
	Suite *s = suite_create("textenc");
	TCase *tc = tcase_create("decode");
	tcase_add_test(tc, utf8_passes_through);
	tcase_add_test(tc, byte_order_marks);
	tcase_add_test(tc, explicit_encodings);
	tcase_add_test(tc, big_input_is_chunked);
	tcase_add_test(tc, not_utf8_is_read_as_windows_1252);
	tcase_add_test(tc, wide_text_without_a_bom);
	tcase_add_test(tc, a_repeated_bom_is_dropped);
	suite_add_tcase(s, tc);
	tc = tcase_create("errors");
	tcase_add_test(tc, invalid_utf8_names_line_and_offset);
	tcase_add_test(tc, invalid_utf8_forms);
	tcase_add_test(tc, nul_and_bad_wide_input);
	tcase_add_test(tc, sink_error_stops);
	suite_add_tcase(s, tc);
	tc = tcase_create("names");
	tcase_add_test(tc, names);
	suite_add_tcase(s, tc);
	return s;
}
