/* textenc.h — streaming conversion of a file's bytes to UTF-8.
 *
 * Feed a file's bytes in chunks of any size (a character may be split
 * between chunks); the converter hands UTF-8 to a sink callback, in pieces,
 * never holding more than a small fixed buffer.
 *
 * TEXTENC_AUTO reads a byte-order mark (UTF-8, UTF-16 LE/BE, UTF-32 LE/BE)
 * and drops it; without one, UTF-16 or UTF-32 whose first two characters
 * are below U+0100 is told by the NULs of its first four bytes, and any
 * other input is UTF-8 -- or windows-1252 (Excel's CSV in Western Europe)
 * from its first byte that is not UTF-8 on, when nothing but ASCII came
 * before it (what went out reads the same in both).  A byte windows-1252
 * leaves undefined (0x81 0x8D 0x8F 0x90 0x9D) then refuses the file with
 * the message of that first byte.  An explicit Unicode encoding drops its own BOM
 * when present.  U+FEFF before any other character (a BOM written twice)
 * is dropped too; after it, it is text.  UTF-8 input is validated
 * (overlong forms, surrogates and code points above U+10FFFF are invalid)
 * and passed through without copying.  A NUL character is refused in every
 * encoding: CSV text never holds one, UTF-16 read as UTF-8 always does.
 *
 * Errors are QPC_ERR_DATA with a message naming the line (LF, CR LF or a
 * lone CR end a line) and the 0-based byte offset in the input, e.g.
 * "line 12: invalid UTF-8 (byte 0xE9 at offset 345); pass --encoding
 * windows-1252 if the file is from Excel".
 */
#ifndef QPC_TEXTENC_H
#define QPC_TEXTENC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "qpc/error.h"

enum textenc_kind {
	TEXTENC_AUTO = 0, /* BOM, else UTF-8, else windows-1252 */
	TEXTENC_UTF8,
	TEXTENC_UTF16LE,
	TEXTENC_UTF16BE,
	TEXTENC_UTF32LE,
	TEXTENC_UTF32BE,
	TEXTENC_CP1252, /* windows-1252; 0x81 0x8D 0x8F 0x90 0x9D map to C1 controls */
	TEXTENC_LATIN1, /* ISO-8859-1 */
};

/* Finds an encoding by name, ignoring case, '-' and '_': "utf-8", "UTF8",
 * "utf-16le", "utf-16be", "utf-32le", "utf-32be", "windows-1252", "cp1252",
 * "latin1", "iso-8859-1", "ascii" (read as UTF-8), "auto".  False if unknown. */
bool textenc_lookup(const char *name, enum textenc_kind *out);
/* A display name: "UTF-8", "UTF-16LE", "windows-1252", "ISO-8859-1", "auto". */
const char *textenc_name(enum textenc_kind kind);

/* Receives converted text.  utf8 is valid only during the call and is never
 * NUL-terminated.  A result other than QPC_OK (with err filled) stops the
 * conversion and is returned by textenc_feed/textenc_finish. */
typedef enum qpc_rc (*textenc_sink)(void *ctx, const char *utf8, size_t len,
				    struct qpc_error *err);

struct textenc;

/* NULL when out of memory.  The converter keeps out and ctx, owns nothing
 * of the caller's. */
struct textenc *textenc_new(enum textenc_kind kind, textenc_sink out, void *ctx);
void textenc_free(struct textenc *te);

/* Converts the next len bytes of input; buf is not kept. */
enum qpc_rc textenc_feed(struct textenc *te, const void *buf, size_t len, struct qpc_error *err);
/* Ends the input: a character left incomplete is an error. */
enum qpc_rc textenc_finish(struct textenc *te, struct qpc_error *err);

/* The encoding being decoded: TEXTENC_AUTO until the first bytes decide. */
enum textenc_kind textenc_detected(const struct textenc *te);
/* True when a byte-order mark was found and dropped. */
bool textenc_had_bom(const struct textenc *te);
/* True when TEXTENC_AUTO found bytes that are not UTF-8 and reads the
 * file as windows-1252 (textenc_detected() says TEXTENC_CP1252). */
bool textenc_guessed(const struct textenc *te);
/* True while the input decoded so far, without a BOM, was nothing but
 * ASCII: it would read the same in any of the 8-bit encodings. */
bool textenc_ascii_only(const struct textenc *te);

/* The UTF-8 sequence at s with n bytes available: its length when complete
 * and valid, 0 when valid so far but cut short, -1 when invalid. */
int textenc_utf8_seq(const unsigned char *s, size_t n);

#endif
