/* fuzz_textenc.c — the streaming converter to UTF-8.
 *
 * Input: one option byte, then the file's bytes.  (byte - '0') % 8 is the
 * encoding asked for (enum textenc_kind: 0 auto, 1 UTF-8, 2 UTF-16LE,
 * 3 UTF-16BE, 4 UTF-32LE, 5 UTF-32BE, 6 windows-1252, 7 Latin-1); the rest
 * of the byte seeds the chunk sizes.
 *
 * Invariants (beyond "no crash, no sanitizer report"):
 *  - the same output, result and message whether the input is fed whole
 *    or in random chunks (1 byte to a few KiB);
 *  - the output is valid UTF-8 without NUL, and what reached the sink
 *    before an error is valid too;
 *  - UTF-8 in, when accepted, is the output unchanged (less its BOM, and
 *    the U+FEFF that repeat it before any text);
 *  - Latin-1 and windows-1252 map back byte for byte;
 *  - the output re-encoded as UTF-16 LE/BE and UTF-32 LE/BE, with a BOM
 *    read by AUTO or without one read by name, decodes to itself.
 */
#include "fuzz.h"

#include "qpc/textenc.h"

struct run {
	struct fuzz_buf out;
	enum qpc_rc rc;
	struct qpc_error err;
	enum textenc_kind detected;
	bool bom;
};

static enum qpc_rc sink(void *ctx, const char *utf8, size_t len, struct qpc_error *err)
{
	(void)err;
	FUZZ_CHECK(len > 0, "empty piece handed to the sink");
	fuzz_put(ctx, utf8, len);
	return QPC_OK;
}

/* chunk 0: whole; else chunk sizes drawn from seed. */
static void convert(const uint8_t *p, size_t n, enum textenc_kind kind, uint64_t seed,
		    bool chunked, struct run *r)
{
	memset(r, 0, sizeof *r);
	struct textenc *te = textenc_new(kind, sink, &r->out);
	FUZZ_CHECK(te != NULL, "out of memory");
	r->rc = QPC_OK;
	for (size_t i = 0; i < n && r->rc == QPC_OK;) {
		size_t k = n - i;
		if (chunked) {
			uint64_t x = fuzz_rand(&seed);
			size_t want = x % 4 == 0 ? 1 + x / 4 % 4096 : 1 + x / 4 % 7;
			k = want < k ? want : k;
		}
		r->rc = textenc_feed(te, p + i, k, &r->err);
		i += k;
	}
	if (r->rc == QPC_OK)
		r->rc = textenc_finish(te, &r->err);
	r->detected = textenc_detected(te);
	r->bom = textenc_had_bom(te);
	textenc_free(te);
	FUZZ_CHECK(fuzz_utf8_valid(r->out.p ? r->out.p : "", r->out.n), "output not valid UTF-8");
	FUZZ_CHECK(r->out.n == 0 || (r->out.p && !memchr(r->out.p, '\0', r->out.n)), "NUL in the output");
	if (r->rc != QPC_OK)
		FUZZ_CHECK(r->err.code == r->rc && r->err.msg[0], "error %d without a message",
			   (int)r->rc);
}

static void put_unit(struct fuzz_buf *b, uint32_t u, size_t w, bool be)
{
	unsigned char c[4];
	for (size_t k = 0; k < w; k++)
		c[be ? w - 1 - k : k] = (unsigned char)(u >> (8 * k));
	fuzz_put(b, c, w);
}

/* UTF-8 (valid) to UTF-16 or UTF-32 in kind's byte order. */
static void encode(const struct fuzz_buf *in, enum textenc_kind kind, bool bom,
		   struct fuzz_buf *out)
{
	bool be = kind == TEXTENC_UTF16BE || kind == TEXTENC_UTF32BE;
	size_t w = kind == TEXTENC_UTF16LE || kind == TEXTENC_UTF16BE ? 2 : 4;
	if (bom)
		put_unit(out, 0xFEFF, w, be);
	const unsigned char *u = (const unsigned char *)in->p;
	for (size_t i = 0; i < in->n;) {
		uint32_t cp;
		size_t k = fuzz_utf8_char(u + i, in->n - i, &cp);
		FUZZ_CHECK(k > 0, "invalid UTF-8 at %zu", i);
		i += k;
		if (w == 2 && cp >= 0x10000) {
			put_unit(out, 0xD800 + ((cp - 0x10000) >> 10), 2, be);
			put_unit(out, 0xDC00 + ((cp - 0x10000) & 0x3FF), 2, be);
		} else {
			put_unit(out, cp, w, be);
		}
	}
}

static const uint16_t cp1252_high[32] = {
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
	0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

/* UTF-8 back to one byte per character; false when one has no byte. */
static bool to_8bit(const struct fuzz_buf *in, bool cp1252, struct fuzz_buf *out)
{
	const unsigned char *u = (const unsigned char *)in->p;
	for (size_t i = 0; i < in->n;) {
		uint32_t cp;
		size_t k = fuzz_utf8_char(u + i, in->n - i, &cp);
		if (!k)
			return false;
		i += k;
		int b = cp <= 0xFF ? (int)cp : -1;
		if (cp1252) {
			for (int j = 0; j < 32; j++)
				if (cp1252_high[j] == cp)
					b = 0x80 + j;
			if (cp >= 0x80 && cp < 0xA0 && cp1252_high[cp - 0x80] != cp)
				b = -1; /* a C1 control windows-1252 does not give */
		}
		if (b < 0)
			return false;
		unsigned char c = (unsigned char)b;
		fuzz_put(out, &c, 1);
	}
	return true;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t opt = (uint8_t)(data[0] - '0');
	enum textenc_kind kind = (enum textenc_kind)(opt % 8);
	const uint8_t *p = data + 1;
	size_t n = size - 1;
	uint64_t seed = fuzz_hash(data, size);

	struct run whole, parts;
	convert(p, n, kind, seed, false, &whole);
	convert(p, n, kind, seed, true, &parts);
	FUZZ_CHECK(whole.rc == parts.rc && strcmp(whole.err.msg, parts.err.msg) == 0,
		   "whole: rc %d '%s'; in chunks: rc %d '%s'", (int)whole.rc, whole.err.msg,
		   (int)parts.rc, parts.err.msg);
	FUZZ_CHECK(fuzz_buf_eq(&whole.out, &parts.out), "output differs in chunks (%zu vs %zu bytes)",
		   whole.out.n, parts.out.n);
	FUZZ_CHECK(whole.detected == parts.detected && whole.bom == parts.bom,
		   "detection differs in chunks");

	if (whole.rc == QPC_OK) {
		enum textenc_kind k = whole.detected;
		FUZZ_CHECK(k != TEXTENC_AUTO, "nothing decided after finish");
		if (k == TEXTENC_UTF8) {
			size_t skip = 0;
			while (n >= skip + 3 && memcmp(p + skip, "\xEF\xBB\xBF", 3) == 0)
				skip += 3;
			FUZZ_CHECK(n >= skip && whole.out.n == n - skip &&
					   (n == skip || memcmp(whole.out.p, p + skip, n - skip) == 0),
				   "UTF-8 input was not passed through unchanged");
		}
		if (k == TEXTENC_LATIN1 || k == TEXTENC_CP1252) {
			struct fuzz_buf back = { 0 };
			FUZZ_CHECK(to_8bit(&whole.out, k == TEXTENC_CP1252, &back),
				   "a decoded character has no byte in the encoding");
			FUZZ_CHECK(back.n == n && (n == 0 || memcmp(back.p, p, n) == 0),
				   "8-bit round trip differs");
			free(back.p);
		}
		/* Re-encoded, with a BOM for AUTO and without for the named
		 * encoding (unless the text starts with U+FEFF, which would
		 * then be taken for a BOM). */
		static const enum textenc_kind wide[] = { TEXTENC_UTF16LE, TEXTENC_UTF16BE,
							  TEXTENC_UTF32LE, TEXTENC_UTF32BE };
		bool starts_bom = whole.out.n >= 3 && memcmp(whole.out.p, "\xEF\xBB\xBF", 3) == 0;
		for (size_t i = 0; i < 4; i++) {
			for (int named = 0; named < 2; named++) {
				struct fuzz_buf enc = { 0 };
				encode(&whole.out, wide[i], !named || starts_bom, &enc);
				struct run back;
				convert((const uint8_t *)enc.p, enc.n, named ? wide[i] : TEXTENC_AUTO,
					seed, true, &back);
				FUZZ_CHECK(back.rc == QPC_OK && back.detected == wide[i] &&
						   fuzz_buf_eq(&back.out, &whole.out),
					   "re-encoded as %s (%s): rc %d '%s', %zu bytes back for %zu",
					   textenc_name(wide[i]), named ? "named" : "BOM", (int)back.rc,
					   back.err.msg, back.out.n, whole.out.n);
				free(enc.p);
				free(back.out.p);
			}
		}
	}
	free(whole.out.p);
	free(parts.out.p);
	return 0;
}
