/* namekey.h — the order names sort in.
 *
 * A name sorts by its key: its letters lower-cased and without their
 * accents (Ålesund among the A, Łódź among the L, Ōsaka among the O), as
 * a dictionary and the locales' collation order them, the same on every
 * machine.  Letters of other scripts keep their own, after the Latin ones;
 * digits, spaces and punctuation stay as they are, before the letters.
 * Two names with one key (Muller, Müller) come in the order of their ids
 * in the accounts list, of their bytes elsewhere.
 */
#ifndef QPC_NAMEKEY_H
#define QPC_NAMEKEY_H

#include <stddef.h>

/* Writes the key of the len bytes at s (NUL-terminated, cut to fit n) and
 * returns its length uncut, as snprintf does.  Never longer than twice
 * len.  Bytes that are not UTF-8 are kept as they are. */
size_t qpc_name_key(const char *s, size_t len, char *out, size_t n);

/* strcmp() of two names' keys, then of the names: the order of
 * qpc_name_key, each tie broken by the bytes. */
int qpc_name_cmp(const char *a, size_t alen, const char *b, size_t blen);

#endif
