/* textenc.c — streaming conversion of a file's bytes to UTF-8.
 *
 * UTF-8 input is validated eight bytes at a time while they are ASCII and
 * above the control range, byte by byte otherwise, and handed on without a
 * copy.  Other encodings are decoded into a fixed buffer flushed at the end
 * of every feed.  A character split between two feeds waits in part[].
 */
#include "qpc/textenc.h"

#include <stdlib.h>
#include <string.h>

#define OUT_MAX 16384

struct textenc {
	enum textenc_kind want; /* as asked */
	enum textenc_kind kind; /* being decoded, once decided */
	bool decided, bom;
	bool multibyte; /* UTF-8 beyond ASCII seen: no falling back */
	bool guessed;   /* not UTF-8: read as windows-1252 from bad_at on */
	uint64_t bad_line, bad_at; /* the first byte that was not UTF-8 */
	unsigned bad_byte;
	bool lead; /* no character yet but U+FEFF: another one is a BOM again */
	unsigned char head[4]; /* first bytes, held while looking for a BOM */
	size_t nhead;
	unsigned char part[4]; /* a character or code unit split by a feed */
	size_t npart;
	uint64_t part_at; /* offset of part[0] */
	unsigned hi;      /* UTF-16 high surrogate awaiting its pair, or 0 */
	uint64_t hi_at;
	uint64_t pos;  /* offset of the first byte of the current run */
	uint64_t line; /* line of the next character */
	bool cr;       /* the last character was CR */
	textenc_sink out;
	void *ctx;
	size_t nbuf;
	char buf[OUT_MAX];
};

typedef unsigned long long ull;

#define ONES 0x0101010101010101ULL
#define HIGH 0x8080808080808080ULL

/* True when the 8 bytes at p are ASCII without NUL, CR or LF (nor any
 * byte below 0x0E): text that needs neither decoding nor line counting. */
static bool plain_word(const unsigned char *p)
{
	uint64_t w;
	memcpy(&w, p, 8);
	return !((w & HIGH) | ((w - ONES * 0x0E) & ~w & HIGH));
}

static const struct {
	const char *name; /* lower case, without '-' and '_' */
	enum textenc_kind kind;
} names[] = {
	{ "auto", TEXTENC_AUTO },        { "utf8", TEXTENC_UTF8 },
	{ "ascii", TEXTENC_UTF8 },       { "usascii", TEXTENC_UTF8 },
	{ "utf16le", TEXTENC_UTF16LE },  { "utf16be", TEXTENC_UTF16BE },
	{ "utf32le", TEXTENC_UTF32LE },  { "utf32be", TEXTENC_UTF32BE },
	{ "windows1252", TEXTENC_CP1252 }, { "cp1252", TEXTENC_CP1252 },
	{ "latin1", TEXTENC_LATIN1 },    { "iso88591", TEXTENC_LATIN1 },
};

bool textenc_lookup(const char *name, enum textenc_kind *out)
{
	char key[16];
	size_t n = 0;
	for (const char *p = name; p && *p; p++) {
		if (*p == '-' || *p == '_')
			continue;
		if (n + 1 == sizeof key)
			return false;
		key[n++] = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
	}
	key[n] = '\0';
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(key, names[i].name) == 0) {
			*out = names[i].kind;
			return true;
		}
	return false;
}

const char *textenc_name(enum textenc_kind kind)
{
	static const char *const display[] = {
		"auto", "UTF-8", "UTF-16LE", "UTF-16BE", "UTF-32LE", "UTF-32BE",
		"windows-1252", "ISO-8859-1",
	};
	return (unsigned)kind < sizeof display / sizeof display[0] ? display[kind] : "?";
}

struct textenc *textenc_new(enum textenc_kind kind, textenc_sink out, void *ctx)
{
	struct textenc *te = calloc(1, sizeof *te);
	if (!te)
		return NULL;
	te->want = kind;
	te->line = 1;
	te->out = out;
	te->ctx = ctx;
	if (kind == TEXTENC_CP1252 || kind == TEXTENC_LATIN1) {
		te->kind = kind; /* no byte-order mark in an 8-bit encoding */
		te->decided = true;
	}
	return te;
}

void textenc_free(struct textenc *te)
{
	free(te);
}

enum textenc_kind textenc_detected(const struct textenc *te)
{
	return te->decided ? te->kind : TEXTENC_AUTO;
}

bool textenc_had_bom(const struct textenc *te)
{
	return te->bom;
}

bool textenc_guessed(const struct textenc *te)
{
	return te->guessed;
}

bool textenc_ascii_only(const struct textenc *te)
{
	return (!te->decided || te->kind == TEXTENC_UTF8) && !te->bom && !te->multibyte &&
	       !te->npart;
}

/* --- output ------------------------------------------------------------- */

static enum qpc_rc flush(struct textenc *te, struct qpc_error *err)
{
	size_t n = te->nbuf;
	te->nbuf = 0;
	return n ? te->out(te->ctx, te->buf, n, err) : QPC_OK;
}

static void count_line(struct textenc *te, uint32_t c)
{
	if (c == '\n') {
		if (!te->cr)
			te->line++;
		te->cr = false;
	} else if (c == '\r') {
		te->line++;
		te->cr = true;
	} else {
		te->cr = false;
	}
}

/* Errors are reported in input order: what was decoded before the bad
 * character goes to the sink first, and an error found there wins. */
static enum qpc_rc nul_error(struct textenc *te, uint64_t at, struct qpc_error *err)
{
	enum qpc_rc rc = flush(te, err);
	if (rc != QPC_OK)
		return rc;
	/* UTF-16 text is mostly ASCII: a NUL high byte, after its low byte
	 * (odd offsets) in little-endian, before it (even ones) in big */
	if (te->kind == TEXTENC_UTF8 || te->kind == TEXTENC_CP1252 || te->kind == TEXTENC_LATIN1)
		return qpc_error_set(err, QPC_ERR_DATA,
				     "line %llu: NUL byte at offset %llu; if the file is UTF-16 "
				     "without a byte-order mark, pass --encoding utf-16%s",
				     (ull)te->line, (ull)at, at % 2 ? "le" : "be");
	return qpc_error_set(err, QPC_ERR_DATA, "line %llu: NUL character at offset %llu",
			     (ull)te->line, (ull)at);
}

/* Appends code point cp (valid, not a surrogate) as UTF-8. */
static enum qpc_rc put_char(struct textenc *te, uint32_t cp, uint64_t at, struct qpc_error *err)
{
	if (te->lead) {
		if (cp == 0xFEFF)
			return QPC_OK; /* a byte-order mark again: not text */
		te->lead = false;
	}
	if (cp == 0)
		return nul_error(te, at, err);
	count_line(te, cp);
	if (te->nbuf > OUT_MAX - 4) {
		enum qpc_rc rc = flush(te, err);
		if (rc != QPC_OK)
			return rc;
	}
	char *o = te->buf + te->nbuf;
	if (cp < 0x80) {
		*o++ = (char)cp;
	} else if (cp < 0x800) {
		*o++ = (char)(0xC0 | cp >> 6);
		*o++ = (char)(0x80 | (cp & 0x3F));
	} else if (cp < 0x10000) {
		*o++ = (char)(0xE0 | cp >> 12);
		*o++ = (char)(0x80 | (cp >> 6 & 0x3F));
		*o++ = (char)(0x80 | (cp & 0x3F));
	} else {
		*o++ = (char)(0xF0 | cp >> 18);
		*o++ = (char)(0x80 | (cp >> 12 & 0x3F));
		*o++ = (char)(0x80 | (cp >> 6 & 0x3F));
		*o++ = (char)(0x80 | (cp & 0x3F));
	}
	te->nbuf = (size_t)(o - te->buf);
	return QPC_OK;
}

/* --- UTF-8 -------------------------------------------------------------- */

static int utf8_seq(const unsigned char *s, size_t n)
{
	unsigned c = s[0], lo = 0x80, hi = 0xBF;
	int need;
	if (c < 0x80)
		return 1;
	if (c < 0xC2)
		return -1;
	if (c < 0xE0) {
		need = 2;
	} else if (c < 0xF0) {
		need = 3;
		lo = c == 0xE0 ? 0xA0 : lo; /* overlong */
		hi = c == 0xED ? 0x9F : hi; /* surrogates */
	} else if (c < 0xF5) {
		need = 4;
		lo = c == 0xF0 ? 0x90 : lo; /* overlong */
		hi = c == 0xF4 ? 0x8F : hi; /* above U+10FFFF */
	} else {
		return -1;
	}
	for (int k = 1; k < need; k++) {
		if ((size_t)k >= n)
			return 0;
		unsigned b = s[k];
		if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF))
			return -1;
	}
	return need;
}

int textenc_utf8_seq(const unsigned char *s, size_t n)
{
	return utf8_seq(s, n);
}

static enum qpc_rc utf8_error(struct textenc *te, uint64_t at, unsigned byte,
			      struct qpc_error *err)
{
	return qpc_error_set(err, QPC_ERR_DATA,
			     "line %llu: invalid UTF-8 (byte 0x%02X at offset %llu); "
			     "pass --encoding windows-1252 if the file is from Excel",
			     (ull)te->line, byte, (ull)at);
}

static enum qpc_rc byte_run(struct textenc *te, const unsigned char *p, size_t len,
			    struct qpc_error *err);

/* Bytes that windows-1252 leaves undefined: a file holding one is in
 * some other encoding. */
static bool cp1252_undefined(unsigned c)
{
	return c == 0x81 || c == 0x8D || c == 0x8F || c == 0x90 || c == 0x9D;
}

/* Whether byte c, not UTF-8, may start windows-1252 text instead: the
 * encoding was not named, no BOM said UTF-8, and nothing but ASCII came
 * before it, so what went out already reads the same either way. */
static bool may_fall_back(const struct textenc *te, unsigned c)
{
	return te->want == TEXTENC_AUTO && te->kind == TEXTENC_UTF8 && !te->bom &&
	       !te->multibyte && !cp1252_undefined(c);
}

/* From here on the bytes are windows-1252; the first one that was not
 * UTF-8 is kept, for the message should the guess fail later. */
static void fall_back(struct textenc *te, uint64_t at, unsigned c)
{
	te->kind = TEXTENC_CP1252;
	te->guessed = true;
	te->bad_line = te->line;
	te->bad_at = at;
	te->bad_byte = c;
}

/* Hands p[start..end) on as it is. */
static enum qpc_rc emit(struct textenc *te, const unsigned char *p, size_t start, size_t end,
			struct qpc_error *err)
{
	return end > start ? te->out(te->ctx, (const char *)p + start, end - start, err) : QPC_OK;
}

/* U+FEFF in UTF-8, whole (is_bom8) or its first n bytes (is_bom8_start). */
static bool is_bom8(const unsigned char *s, size_t n)
{
	return n >= 3 && s[0] == 0xEF && s[1] == 0xBB && s[2] == 0xBF;
}

static bool is_bom8_start(const unsigned char *s, size_t n)
{
	return n > 0 && n < 3 && s[0] == 0xEF && (n < 2 || s[1] == 0xBB);
}

static enum qpc_rc utf8_run(struct textenc *te, const unsigned char *p, size_t len,
			    struct qpc_error *err)
{
	size_t i = 0;
	enum qpc_rc rc;
	while (te->npart) { /* the end of a character split by the last feed */
		if (i == len) {
			te->pos += len;
			return QPC_OK;
		}
		te->part[te->npart++] = p[i++];
		int n = utf8_seq(te->part, te->npart);
		if (n < 0 && may_fall_back(te, te->part[0])) {
			/* the held bytes, then the rest, as windows-1252 */
			unsigned char held[4];
			size_t nheld = te->npart;
			memcpy(held, te->part, nheld);
			te->npart = 0;
			fall_back(te, te->part_at, held[0]);
			te->pos = te->part_at;
			if ((rc = byte_run(te, held, nheld, err)) != QPC_OK)
				return rc;
			return byte_run(te, p + i, len - i, err);
		}
		if (n < 0)
			return utf8_error(te, te->part_at, te->part[0], err);
		if (n > 0) {
			te->npart = 0;
			te->cr = false;
			te->multibyte = true;
			if (te->lead && is_bom8(te->part, (size_t)n))
				continue;
			te->lead = false;
			if ((rc = te->out(te->ctx, (const char *)te->part, (size_t)n, err)) != QPC_OK)
				return rc;
		}
	}
	/* a byte-order mark again before any text: dropped (a part of one
	 * waits in part[], below) */
	while (te->lead && i < len) {
		if (is_bom8(p + i, len - i))
			i += 3;
		else if (len - i < 3 && is_bom8_start(p + i, len - i))
			break;
		else
			te->lead = false;
	}
	size_t start = i, end = len;
	while (i < len) {
		/* Whole words of ASCII without control bytes below 0x0E. */
		size_t i0 = i;
		while (i + 8 <= len && plain_word(p + i))
			i += 8;
		if (i != i0)
			te->cr = false;
		if (i == len)
			break;
		unsigned c = p[i];
		if (c < 0x80) {
			if (c == 0 && (rc = emit(te, p, start, i, err)) == QPC_OK)
				return nul_error(te, te->pos + i, err);
			if (c == 0)
				return rc;
			count_line(te, c);
			i++;
			continue;
		}
		int n = utf8_seq(p + i, len - i);
		if (n < 0 && may_fall_back(te, c)) {
			if ((rc = emit(te, p, start, i, err)) != QPC_OK)
				return rc;
			fall_back(te, te->pos + i, c);
			te->pos += i;
			return byte_run(te, p + i, len - i, err);
		}
		if (n < 0 && (rc = emit(te, p, start, i, err)) == QPC_OK)
			return utf8_error(te, te->pos + i, c, err);
		if (n < 0)
			return rc;
		if (n == 0) {
			te->npart = len - i;
			memcpy(te->part, p + i, te->npart);
			te->part_at = te->pos + i;
			end = i;
			break;
		}
		te->cr = false;
		te->multibyte = true;
		i += (size_t)n;
	}
	te->pos += len;
	return emit(te, p, start, end, err);
}

/* --- 8-bit encodings ---------------------------------------------------- */

static const uint16_t cp1252_high[32] = {
	0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
	0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
};

static enum qpc_rc byte_run(struct textenc *te, const unsigned char *p, size_t len,
			    struct qpc_error *err)
{
	bool cp1252 = te->kind == TEXTENC_CP1252;
	te->lead = false; /* no byte-order mark in an 8-bit encoding */
	for (size_t i = 0; i < len; i++) {
		if (i + 8 <= len && te->nbuf + 8 <= OUT_MAX && plain_word(p + i)) {
			memcpy(te->buf + te->nbuf, p + i, 8);
			te->nbuf += 8;
			te->cr = false;
			i += 7;
			continue;
		}
		uint32_t c = p[i];
		if (te->guessed && cp1252_undefined(c)) {
			/* not windows-1252 either: refused as UTF-8 was */
			enum qpc_rc rc = flush(te, err);
			te->line = te->bad_line;
			return rc ? rc : utf8_error(te, te->bad_at, te->bad_byte, err);
		}
		if (cp1252 && c >= 0x80 && c < 0xA0)
			c = cp1252_high[c - 0x80];
		enum qpc_rc rc = put_char(te, c, te->pos + i, err);
		if (rc != QPC_OK)
			return rc;
	}
	te->pos += len;
	return QPC_OK;
}

/* --- UTF-16 and UTF-32 -------------------------------------------------- */

static enum qpc_rc unpaired(struct textenc *te, uint64_t at, struct qpc_error *err)
{
	enum qpc_rc rc = flush(te, err);
	if (rc != QPC_OK)
		return rc;
	return qpc_error_set(err, QPC_ERR_DATA,
			     "line %llu: invalid UTF-16 (unpaired surrogate at offset %llu)",
			     (ull)te->line, (ull)at);
}

static enum qpc_rc utf16_unit(struct textenc *te, unsigned u, uint64_t at, struct qpc_error *err)
{
	if (te->hi) {
		unsigned hi = te->hi;
		te->hi = 0;
		if (u < 0xDC00 || u > 0xDFFF)
			return unpaired(te, te->hi_at, err);
		return put_char(te, 0x10000 + ((hi - 0xD800) << 10) + (u - 0xDC00), te->hi_at, err);
	}
	if (u >= 0xD800 && u <= 0xDBFF) {
		te->hi = u;
		te->hi_at = at;
		return QPC_OK;
	}
	if (u >= 0xDC00 && u <= 0xDFFF)
		return unpaired(te, at, err);
	return put_char(te, u, at, err);
}

/* The code unit of width w (2 or 4) at s, in the byte order of te. */
static uint32_t unit(const struct textenc *te, const unsigned char *s, size_t w)
{
	bool be = te->kind == TEXTENC_UTF16BE || te->kind == TEXTENC_UTF32BE;
	uint32_t u = 0;
	for (size_t k = 0; k < w; k++)
		u = u << 8 | s[be ? k : w - 1 - k];
	return u;
}

static enum qpc_rc wide_run(struct textenc *te, const unsigned char *p, size_t len,
			    struct qpc_error *err)
{
	size_t w = te->kind == TEXTENC_UTF16LE || te->kind == TEXTENC_UTF16BE ? 2 : 4;
	size_t i = 0;
	while (i < len) {
		uint32_t u;
		uint64_t at;
		if (te->npart || i + w > len) {
			if (!te->npart)
				te->part_at = te->pos + i;
			while (te->npart < w && i < len)
				te->part[te->npart++] = p[i++];
			if (te->npart < w)
				break;
			u = unit(te, te->part, w);
			at = te->part_at;
			te->npart = 0;
		} else {
			u = unit(te, p + i, w);
			at = te->pos + i;
			i += w;
		}
		enum qpc_rc rc;
		if (w == 2)
			rc = utf16_unit(te, u, at, err);
		else if (u <= 0x10FFFF && (u < 0xD800 || u > 0xDFFF))
			rc = put_char(te, u, at, err);
		else if ((rc = flush(te, err)) == QPC_OK)
			rc = qpc_error_set(err, QPC_ERR_DATA,
					   "line %llu: invalid UTF-32 (0x%lX at offset %llu)",
					   (ull)te->line, (unsigned long)u, (ull)at);
		if (rc != QPC_OK)
			return rc;
	}
	te->pos += len;
	return QPC_OK;
}

/* --- driving ------------------------------------------------------------ */

static enum qpc_rc run(struct textenc *te, const unsigned char *p, size_t len,
		       struct qpc_error *err)
{
	switch (te->kind) {
	case TEXTENC_CP1252:
	case TEXTENC_LATIN1:
		return byte_run(te, p, len, err);
	case TEXTENC_UTF16LE:
	case TEXTENC_UTF16BE:
	case TEXTENC_UTF32LE:
	case TEXTENC_UTF32BE:
		return wide_run(te, p, len, err);
	default:
		return utf8_run(te, p, len, err);
	}
}

static const struct {
	enum textenc_kind kind;
	size_t len;
	unsigned char b[4];
} boms[] = { /* UTF-32LE before UTF-16LE: FF FE 00 00 */
	{ TEXTENC_UTF32LE, 4, { 0xFF, 0xFE, 0, 0 } },
	{ TEXTENC_UTF32BE, 4, { 0, 0, 0xFE, 0xFF } },
	{ TEXTENC_UTF8, 3, { 0xEF, 0xBB, 0xBF } },
	{ TEXTENC_UTF16BE, 2, { 0xFE, 0xFF } },
	{ TEXTENC_UTF16LE, 2, { 0xFF, 0xFE } },
};

/* True while the head could still grow into a longer BOM. */
static bool bom_pending(const struct textenc *te)
{
	for (size_t i = 0; i < sizeof boms / sizeof boms[0]; i++)
		if (te->nhead < boms[i].len && memcmp(te->head, boms[i].b, te->nhead) == 0 &&
		    (te->want == TEXTENC_AUTO || te->want == boms[i].kind))
			return true;
	return false;
}

/* Without a BOM, UTF-16 or UTF-32 text that starts with two characters
 * below U+0100 (as a CSV header does) shows its width and byte order in
 * where its first four bytes are NUL; UTF-8 text never holds one. */
static enum textenc_kind wide_without_bom(const unsigned char *h, size_t n)
{
	if (n < 4)
		return TEXTENC_UTF8;
	if (!h[0] && !h[1] && !h[2] && h[3])
		return TEXTENC_UTF32BE;
	if (h[0] && !h[1] && !h[2] && !h[3])
		return TEXTENC_UTF32LE;
	if (!h[0] && h[1] && !h[2] && h[3])
		return TEXTENC_UTF16BE;
	if (h[0] && !h[1] && h[2] && !h[3])
		return TEXTENC_UTF16LE;
	return TEXTENC_UTF8;
}

/* Settles the encoding from the head and decodes what follows the BOM. */
static enum qpc_rc decide(struct textenc *te, struct qpc_error *err)
{
	size_t skip = 0;
	te->kind = te->want == TEXTENC_AUTO ? wide_without_bom(te->head, te->nhead) : te->want;
	for (size_t i = 0; i < sizeof boms / sizeof boms[0]; i++)
		if (te->nhead >= boms[i].len && memcmp(te->head, boms[i].b, boms[i].len) == 0 &&
		    (te->want == TEXTENC_AUTO || te->want == boms[i].kind)) {
			te->kind = boms[i].kind;
			skip = boms[i].len;
			te->bom = true;
			break;
		}
	te->decided = true;
	te->lead = true;
	te->pos = skip;
	return run(te, te->head + skip, te->nhead - skip, err);
}

enum qpc_rc textenc_feed(struct textenc *te, const void *buf, size_t len, struct qpc_error *err)
{
	const unsigned char *p = buf;
	enum qpc_rc rc;
	if (!te->decided) {
		size_t take = len < 4 - te->nhead ? len : 4 - te->nhead;
		memcpy(te->head + te->nhead, p, take);
		te->nhead += take;
		p += take;
		len -= take;
		/* automatic: four bytes tell a BOM-less UTF-16 or UTF-32 */
		if (te->nhead < 4 && (bom_pending(te) || te->want == TEXTENC_AUTO))
			return QPC_OK;
		if ((rc = decide(te, err)) != QPC_OK)
			return rc;
	}
	if (len && (rc = run(te, p, len, err)) != QPC_OK)
		return rc;
	return flush(te, err);
}

enum qpc_rc textenc_finish(struct textenc *te, struct qpc_error *err)
{
	enum qpc_rc rc;
	if (!te->decided && (rc = decide(te, err)) != QPC_OK)
		return rc;
	if (te->npart && te->kind == TEXTENC_UTF8 && may_fall_back(te, te->part[0])) {
		/* cut short by the end of the file: windows-1252 too */
		size_t nheld = te->npart;
		te->npart = 0;
		fall_back(te, te->part_at, te->part[0]);
		te->pos = te->part_at;
		if ((rc = byte_run(te, te->part, nheld, err)) != QPC_OK)
			return rc;
	}
	if (te->npart) {
		const char *what = te->kind == TEXTENC_UTF8 ? "UTF-8" : textenc_name(te->kind);
		return qpc_error_set(err, QPC_ERR_DATA,
				     "line %llu: invalid %s (the file ends inside a character "
				     "at offset %llu)", (ull)te->line, what, (ull)te->part_at);
	}
	if (te->hi)
		return unpaired(te, te->hi_at, err);
	return flush(te, err);
}
