/* textcell.c — text for terminal cells: width, escaping, fitting, columns.
 *
 * The one loop here is tc_next(): it reads the next character of untrusted
 * UTF-8 (or the next bad byte) and says what to print for it and how wide
 * that is.  Width, escaping and fitting are all that loop, so they agree.
 */
#ifndef _XOPEN_SOURCE /* ncursesw's pkg-config may have set it already */
#define _XOPEN_SOURCE 700 /* wcwidth() */
#endif

#include "qpc/textcell.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

/* What to print for one character of the input. */
struct tc_cell {
	const char *text; /* into the input, or into esc */
	size_t len;       /* bytes of text */
	int width;        /* columns of text */
	char esc[12];     /* longest: "\U0010ffff" */
};

/* Decodes one strict UTF-8 sequence at s (NUL-terminated, s[0] != 0):
 * its length 1..4, or 0 when s[0] does not start a valid one (overlong,
 * surrogate, above U+10FFFF, truncated, stray continuation byte). */
static size_t tc_decode(const unsigned char *s, uint32_t *cp)
{
	unsigned char b = s[0];
	size_t len;
	unsigned char lo = 0x80, hi = 0xbf; /* allowed range of the second byte */

	if (b < 0x80) {
		*cp = b;
		return 1;
	} else if (b >= 0xc2 && b <= 0xdf) {
		len = 2;
		*cp = b & 0x1f;
	} else if (b >= 0xe0 && b <= 0xef) {
		len = 3;
		*cp = b & 0x0f;
		if (b == 0xe0)
			lo = 0xa0; /* overlong */
		else if (b == 0xed)
			hi = 0x9f; /* surrogates */
	} else if (b >= 0xf0 && b <= 0xf4) {
		len = 4;
		*cp = b & 0x07;
		if (b == 0xf0)
			lo = 0x90; /* overlong */
		else if (b == 0xf4)
			hi = 0x8f; /* above U+10FFFF */
	} else {
		return 0;
	}
	for (size_t i = 1; i < len; i++) {
		unsigned char c = s[i]; /* a NUL fails the test, so no overread */
		if (c < (i == 1 ? lo : 0x80) || c > (i == 1 ? hi : 0xbf))
			return 0;
		*cp = (*cp << 6) | (c & 0x3f);
	}
	return len;
}

static bool tc_is_bidi_control(uint32_t cp)
{
	return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

enum tc_esc { TC_ESC_BYTE, TC_ESC_CODEPOINT, TC_ESC_NAMED };

/* Makes c print v escaped: \xNN for a byte, \uNNNN or \UNNNNNNNN for a
 * code point, \n \r \t for those. */
static void tc_escape_as(struct tc_cell *c, enum tc_esc kind, uint32_t v)
{
	int k;

	if (kind == TC_ESC_BYTE)
		k = snprintf(c->esc, sizeof c->esc, "\\x%02x", (unsigned)v);
	else if (kind == TC_ESC_CODEPOINT && v > 0xffff)
		k = snprintf(c->esc, sizeof c->esc, "\\U%08x", (unsigned)v);
	else if (kind == TC_ESC_CODEPOINT)
		k = snprintf(c->esc, sizeof c->esc, "\\u%04x", (unsigned)v);
	else
		k = snprintf(c->esc, sizeof c->esc, "\\%c", v == '\n' ? 'n' : v == '\r' ? 'r' : 't');
	c->text = c->esc;
	c->len = (size_t)k;
	c->width = k;
}

/* Reads the character at s (NUL-terminated, s[0] != 0) into c; returns the
 * bytes it took (>= 1). */
static size_t tc_next(const char *s, struct tc_cell *c)
{
	uint32_t cp = 0;
	size_t len = tc_decode((const unsigned char *)s, &cp);

	if (len == 0) {
		tc_escape_as(c, TC_ESC_BYTE, (unsigned char)s[0]);
		return 1;
	}
	if (cp < 0x20 || cp == 0x7f) {
		bool named = cp == '\n' || cp == '\r' || cp == '\t';
		tc_escape_as(c, named ? TC_ESC_NAMED : TC_ESC_BYTE, cp);
		return len;
	}
	if (cp < 0x7f) {
		c->text = s;
		c->len = 1;
		c->width = 1;
		return 1;
	}
	int w = (cp >= 0x80 && cp <= 0x9f) || tc_is_bidi_control(cp) ? -1 : wcwidth((wchar_t)cp);
	if (w < 0) {
		tc_escape_as(c, TC_ESC_CODEPOINT, cp);
		return len;
	}
	c->text = s;
	c->len = len;
	c->width = w;
	return len;
}

size_t textcell_width(const char *s)
{
	struct tc_cell c;
	size_t w = 0;

	while (*s) {
		s += tc_next(s, &c);
		w += (size_t)c.width;
	}
	return w;
}

/* Whether s takes more than width columns; reads no further than needed. */
static bool tc_wider_than(const char *s, size_t width)
{
	struct tc_cell c;
	size_t w = 0;

	while (*s) {
		s += tc_next(s, &c);
		w += (size_t)c.width;
		if (w > width)
			return true;
	}
	return false;
}

size_t textcell_escape(const char *s, char *buf, size_t n)
{
	struct tc_cell c;
	size_t need = 0, pos = 0;
	bool full = n == 0;

	while (*s) {
		s += tc_next(s, &c);
		if (!full && pos + c.len < n) {
			memcpy(buf + pos, c.text, c.len);
			pos += c.len;
		} else {
			full = true; /* nothing after a cut, even if smaller */
		}
		need += c.len;
	}
	if (n > 0)
		buf[pos] = '\0';
	return need;
}

char *textcell_escape_dup(const char *s)
{
	size_t n = textcell_escape(s, NULL, 0) + 1;
	char *buf = malloc(n);

	if (buf)
		textcell_escape(s, buf, n);
	return buf;
}

/* "…" when the locale can show it, else "~". */
static const char *tc_ellipsis(void)
{
	return wcwidth((wchar_t)0x2026) == 1 ? "\xe2\x80\xa6" : "~";
}

size_t textcell_fit(const char *s, int width, enum textcell_align align, char *buf, size_t n)
{
	struct tc_cell c;

	if (n == 0)
		return 0;
	if (width < 0)
		width = 0;
	if ((size_t)width > (n - 1) / 4)
		width = (int)((n - 1) / 4);

	/* Invariant: pos + 4 * (width - used) + 1 <= n, since no character
	 * takes more than 4 bytes per column, nor does "…" or a space. */
	bool cut = tc_wider_than(s, (size_t)width);
	int limit = cut && width > 0 ? width - 1 : width;
	size_t pos = 0;
	int used = 0;

	while (*s) {
		s += tc_next(s, &c);
		if (used + c.width > limit)
			break;
		if (pos + c.len + 4 * (size_t)(width - used - c.width) + 1 > n)
			continue; /* only a zero-width one can fail here: drop it */
		memcpy(buf + pos, c.text, c.len);
		pos += c.len;
		used += c.width;
	}
	if (cut && width > 0) {
		const char *e = tc_ellipsis();
		size_t elen = strlen(e);
		memcpy(buf + pos, e, elen);
		pos += elen;
		used++;
	}

	size_t pad = (size_t)(width - used);
	if (align == TEXTCELL_RIGHT) {
		memmove(buf + pad, buf, pos);
		memset(buf, ' ', pad);
	} else {
		memset(buf + pos, ' ', pad);
	}
	pos += pad;
	buf[pos] = '\0';
	return pos;
}

/* --- column layout ------------------------------------------------------ */

static int tc_min(const struct textcell_col *c)
{
	return c->min < 1 ? 1 : c->min;
}

static int tc_pref(const struct textcell_col *c)
{
	return c->pref < tc_min(c) ? tc_min(c) : c->pref;
}

static int tc_flex(const struct textcell_col *c)
{
	return c->flex < 0 ? 0 : c->flex;
}

/* Whether column a comes before column b in priority order. */
static bool tc_before(const struct textcell_col *cols, size_t a, size_t b)
{
	/* cppcheck-suppress arrayIndexThenCheck ; a < b breaks ties, it is no bounds check */
	return cols[a].priority > cols[b].priority || (cols[a].priority == cols[b].priority && a < b);
}

/* The column after `prev` in priority order; prev == ncols asks for the
 * first.  Returns ncols after the last.  Quadratic, for a handful of
 * columns. */
static size_t tc_next_col(const struct textcell_col *cols, size_t ncols, size_t prev)
{
	size_t best = ncols;

	for (size_t i = 0; i < ncols; i++) {
		if (prev < ncols && !tc_before(cols, prev, i))
			continue;
		if (best == ncols || tc_before(cols, i, best))
			best = i;
	}
	return best;
}

/* NOLINTBEGIN(bugprone-macro-parentheses): i is the name the loop declares */
#define TC_EACH_COL(i, cols, ncols) \
	for (size_t i = tc_next_col((cols), (ncols), (ncols)); i < (ncols); \
	     i = tc_next_col((cols), (ncols), i))
/* NOLINTEND(bugprone-macro-parentheses) */

/* Shares `room` among the shown columns in proportion to weight(col),
 * rounding down, then gives what rounding left (fewer columns than have a
 * weight) one each in priority order. */
static void tc_share(const struct textcell_col *cols, size_t ncols, int *widths, long long room,
		     long long (*weight)(const struct textcell_col *))
{
	long long sum = 0, given = 0;

	for (size_t i = 0; i < ncols; i++)
		if (widths[i] > 0)
			sum += weight(&cols[i]);
	if (sum == 0 || room <= 0)
		return;
	for (size_t i = 0; i < ncols; i++) {
		if (widths[i] == 0)
			continue;
		long long add = room * weight(&cols[i]) / sum;
		widths[i] += (int)add;
		given += add;
	}
	TC_EACH_COL(i, cols, ncols) {
		if (given >= room)
			break;
		if (widths[i] > 0 && weight(&cols[i]) > 0) {
			widths[i]++;
			given++;
		}
	}
}

/* How far a column at its min is from its pref. */
static long long tc_deficit(const struct textcell_col *c)
{
	return (long long)tc_pref(c) - tc_min(c);
}

static long long tc_flex_weight(const struct textcell_col *c)
{
	return tc_flex(c);
}

size_t textcell_layout(const struct textcell_col *cols, size_t ncols, int total, int gap,
		       int *widths)
{
	long long used = 0, want = 0;
	size_t shown = 0;

	if (gap < 0)
		gap = 0;
	for (size_t i = 0; i < ncols; i++)
		widths[i] = 0;
	if (total <= 0)
		return 0;

	TC_EACH_COL(i, cols, ncols) {
		int m = tc_min(&cols[i]);
		if (shown == 0) {
			widths[i] = m < total ? m : total;
			used = widths[i];
			shown = 1;
		} else if (used + gap + m <= total) {
			widths[i] = m;
			used += gap + m;
			shown++;
		}
	}
	if (used >= total)
		return shown;

	long long room = total - used;
	for (size_t i = 0; i < ncols; i++)
		if (widths[i] > 0)
			want += tc_deficit(&cols[i]);
	if (room < want) {
		tc_share(cols, ncols, widths, room, tc_deficit);
		return shown;
	}
	for (size_t i = 0; i < ncols; i++)
		if (widths[i] > 0)
			widths[i] = tc_pref(&cols[i]);
	tc_share(cols, ncols, widths, room - want, tc_flex_weight);
	return shown;
}
