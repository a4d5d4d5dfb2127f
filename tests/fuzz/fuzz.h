/* fuzz.h — shared by the libFuzzer targets in tests/fuzz/.
 *
 * Each target checks invariants, not only that nothing crashes: a broken
 * invariant prints what it saw and aborts, which libFuzzer reports as a
 * crash and saves the input.  Built and run by `make fuzz` / `make
 * fuzz-smoke` (clang -fsanitize=fuzzer,address,undefined).
 */
#ifndef QPC_FUZZ_H
#define QPC_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond, ...)                                                        \
	do {                                                                         \
		if (!(cond)) {                                                       \
			fprintf(stderr, "%s:%d: invariant broken: %s\n  ", __FILE__, \
				__LINE__, #cond);                                    \
			fprintf(stderr, __VA_ARGS__);                                \
			fputc('\n', stderr);                                         \
			abort();                                                     \
		}                                                                    \
	} while (0)

/* A small deterministic generator, seeded from the input, for choices
 * such as chunk sizes that must not depend on anything but the input. */
static inline uint64_t fuzz_rand(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

static inline uint64_t fuzz_hash(const uint8_t *p, size_t n)
{
	uint64_t h = 0xCBF29CE484222325ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001B3ULL;
	return h;
}

/* A NUL-terminated copy of p[0..n), cut at the first NUL. */
static inline char *fuzz_str(const uint8_t *p, size_t n)
{
	char *s = malloc(n + 1);
	if (!s)
		abort();
	memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

/* Strict UTF-8 (no overlong forms, surrogates or code points above
 * U+10FFFF).  Decodes one character at s[0..n): its length, or 0 when
 * invalid; *cp gets the code point. */
static inline size_t fuzz_utf8_char(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	size_t need;
	uint32_t v, min;
	if (c >= 0xC2 && c <= 0xDF)
		need = 2, v = c & 0x1F, min = 0x80;
	else if (c >= 0xE0 && c <= 0xEF)
		need = 3, v = c & 0x0F, min = 0x800;
	else if (c >= 0xF0 && c <= 0xF4)
		need = 4, v = c & 0x07, min = 0x10000;
	else
		return 0;
	if (n < need)
		return 0;
	for (size_t k = 1; k < need; k++) {
		if ((s[k] & 0xC0) != 0x80)
			return 0;
		v = v << 6 | (s[k] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return need;
}

static inline bool fuzz_utf8_valid(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t k = fuzz_utf8_char(u + i, n - i, &cp);
		if (!k)
			return false;
		i += k;
	}
	return true;
}

/* A growing byte buffer. */
struct fuzz_buf {
	char *p;
	size_t n, cap;
};

static inline void fuzz_put(struct fuzz_buf *b, const void *s, size_t n)
{
	if (!b->p || b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->n + n + 1)
			cap *= 2;
		char *q = realloc(b->p, cap);
		if (!q)
			abort();
		b->p = q;
		b->cap = cap;
	}
	if (n)
		memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static inline bool fuzz_buf_eq(const struct fuzz_buf *a, const struct fuzz_buf *b)
{
	return a->n == b->n && (a->n == 0 || memcmp(a->p, b->p, a->n) == 0);
}

/* Prints up to 300 bytes of s as a C string literal, for reproducers. */
static inline void fuzz_dump(const char *label, const void *s, size_t n)
{
	const unsigned char *u = s;
	fprintf(stderr, "%s (%zu bytes): \"", label, n);
	for (size_t i = 0; i < n && i < 300; i++) {
		if (u[i] == '"' || u[i] == '\\')
			fprintf(stderr, "\\%c", u[i]);
		else if (u[i] >= 0x20 && u[i] < 0x7F)
			fputc(u[i], stderr);
		else
			fprintf(stderr, "\\x%02X\"\"", u[i]);
	}
	fprintf(stderr, "\"%s\n", n > 300 ? " ..." : "");
}

#endif
