/* namekey.c — a name's sort key: case and accents left out (namekey.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "qpc/namekey.h"

struct fold_entry {
	uint32_t cp;
	char to[5];
};

#include "fold_table.h"

#define NFOLD (sizeof fold_table / sizeof *fold_table)

/* The code point at s (at most `left` bytes) and its length in *len;
 * -1 with *len 1 for a byte that does not start valid UTF-8. */
static int32_t decode(const unsigned char *s, size_t left, size_t *len)
{
	*len = 1;
	if (s[0] < 0x80)
		return s[0];
	int n = s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : s[0] >= 0xE0 ? 3 : s[0] >= 0xC2 && s[0] < 0xE0 ? 2 : 0;
	if (n == 0 || (size_t)n > left)
		return -1;
	int32_t cp = s[0] & (0x7F >> n);
	for (int i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return -1;
		cp = cp << 6 | (s[i] & 0x3F);
	}
	/* overlong, surrogate or beyond Unicode: not UTF-8 */
	if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return -1;
	*len = (size_t)n;
	return cp;
}

/* The combining marks an accent may come as (decomposed text). */
static int combining(int32_t cp)
{
	return (cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x1AB0 && cp <= 0x1AFF) ||
	       (cp >= 0x1DC0 && cp <= 0x1DFF) || (cp >= 0x20D0 && cp <= 0x20FF) ||
	       (cp >= 0xFE20 && cp <= 0xFE2F);
}

static const char *folded(int32_t cp)
{
	size_t lo = 0, hi = NFOLD;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (fold_table[mid].cp < (uint32_t)cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < NFOLD && fold_table[lo].cp == (uint32_t)cp ? fold_table[lo].to : NULL;
}

size_t qpc_name_key(const char *s, size_t len, char *out, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t w = 0;
	for (size_t i = 0, cl; i < len; i += cl) {
		int32_t cp = decode(p + i, len - i, &cl);
		const char *to = NULL;
		char one[2] = { 0 };
		if (cp >= 'A' && cp <= 'Z')
			one[0] = (char)(cp + 'a' - 'A'), to = one;
		else if (cp >= 0x80 && combining(cp))
			to = "";
		else if (cp >= 0x80)
			to = folded(cp);
		size_t tl = to ? strlen(to) : cl;
		for (size_t k = 0; k < tl; k++, w++)
			if (w + 1 < n)
				out[w] = to ? to[k] : s[i + k];
	}
	if (n > 0)
		out[w < n ? w : n - 1] = '\0';
	return w;
}

/* Keys of names up to this long are made on the stack. */
#define KEY_STACK 256

int qpc_name_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	char ka[2 * KEY_STACK + 1], kb[2 * KEY_STACK + 1];
	char *pa = ka, *pb = kb;
	if ((alen > KEY_STACK && !(pa = malloc(2 * alen + 1))) ||
	    (blen > KEY_STACK && !(pb = malloc(2 * blen + 1)))) {
		if (pa != ka)
			free(pa);
		/* no memory for keys: the bytes still give an order */
		int c = memcmp(a, b, alen < blen ? alen : blen);
		return c ? c : (alen > blen) - (alen < blen);
	}
	size_t la = qpc_name_key(a, alen, pa, 2 * alen + 1);
	size_t lb = qpc_name_key(b, blen, pb, 2 * blen + 1);
	int c = memcmp(pa, pb, la < lb ? la : lb);
	if (!c)
		c = (la > lb) - (la < lb);
	if (pa != ka)
		free(pa);
	if (pb != kb)
		free(pb);
	if (!c) {
		c = memcmp(a, b, alen < blen ? alen : blen);
		c = c ? c : (alen > blen) - (alen < blen);
	}
	return c;
}
