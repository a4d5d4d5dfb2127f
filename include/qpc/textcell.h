/* textcell.h — text for terminal cells: width, escaping, fitting, columns.
 *
 * Pure functions, no curses: every string that comes from data (a name, a
 * note, a CSV field) goes through here before it reaches the screen or a
 * text report, so that what is printed is exactly what was measured.
 *
 * Input is untrusted UTF-8, NUL-terminated.  Whatever a terminal could act
 * on or render ambiguously is shown visibly escaped instead of raw:
 *
 *   C0 controls and DEL        \x1b  \x7f  (\n \r \t for those three)
 *   C1 controls U+0080–U+009F  \u0085
 *   bidi embeddings, overrides \u202a … \u202e
 *   and isolates               \u2066 … \u2069
 *   bytes that are not UTF-8   \xff  (one escape per bad byte; overlongs,
 *                              surrogates and > U+10FFFF are not UTF-8)
 *   other characters that      \u0378, \U0010ffff
 *   wcwidth() calls unprintable
 *
 * Hex digits are lower case.  Backslash itself is not escaped: the escaped
 * form is for reading, it is not meant to be decoded back.
 *
 * Widths come from wcwidth() of the current LC_CTYPE, which must be a UTF-8
 * locale (the program calls setlocale(LC_ALL, "") at start; tests use
 * "C.UTF-8").  Under a non-UTF-8 locale every non-ASCII character is
 * unprintable, so it is escaped, and the ellipsis is "~": safe, not pretty.
 *
 * Every function treats its input the same way, so
 *   textcell_width(s) == textcell_width(escaped form of s),
 * and textcell_fit() of a raw string is already safe: it prints the escaped
 * form, cut if need be between escapes, never inside one.
 *
 * Ownership: nothing here keeps a pointer it was given.  Output goes into a
 * caller-provided buffer of stated size, except textcell_escape_dup(),
 * whose result the caller frees with free().
 */
#ifndef QPC_TEXTCELL_H
#define QPC_TEXTCELL_H

#include <stddef.h>

/* Columns s takes on screen, escapes included.  Combining marks and other
 * zero-width characters count 0, wide (CJK, most emoji) count 2. */
size_t textcell_width(const char *s);

/* Bytes that always suffice for the escaped form of a string of len bytes
 * (a byte grows to at most 4), NUL included. */
#define TEXTCELL_ESCAPE_SIZE(len) (4 * (size_t)(len) + 1)

/* Writes the escaped form of s into buf (n bytes, NUL-terminated when n > 0)
 * and returns its full length, like snprintf: a result >= n means it was
 * cut, and then only at a character or escape boundary, never inside one. */
size_t textcell_escape(const char *s, char *buf, size_t n);

/* The escaped form of s in a new allocation the caller frees, or NULL when
 * out of memory. */
char *textcell_escape_dup(const char *s);

enum textcell_align {
	TEXTCELL_LEFT = 0,  /* text: pad on the right */
	TEXTCELL_RIGHT = 1, /* numbers: pad on the left */
};

/* Bytes that always suffice for textcell_fit() to `width` columns: at most
 * 4 bytes per column, NUL included. */
#define TEXTCELL_FIT_SIZE(width) (4 * (size_t)(width) + 1)

/* Writes s, escaped, into buf as exactly `width` columns, padded with spaces
 * on the side that `align` says.  Text wider than that is cut to width - 1
 * columns and ends with "…" (U+2026); a cut never splits a character, an
 * escape, or a wide character (which is replaced by a space of padding
 * when it would straddle the edge).  Zero-width characters stay with the
 * character they follow.  width <= 0 gives "".
 *
 * buf must hold TEXTCELL_FIT_SIZE(width) bytes; with fewer (n > 0) the
 * result is fitted to (n - 1) / 4 columns instead.  Zero-width characters
 * are dropped, never the column count, when a run of them would not fit in
 * n.  Returns the length written, NUL excluded. */
size_t textcell_fit(const char *s, int width, enum textcell_align align, char *buf, size_t n);

/* One column of a table, as the layout sees it.  Widths in columns. */
struct textcell_col {
	int min;      /* narrowest useful width: below it, hide the column (>= 1) */
	int pref;     /* width it wants when there is room (>= min) */
	int flex;     /* share of room left over once all have pref; 0: none */
	int priority; /* higher is kept longer when the terminal is narrow */
};

/* Lays out ncols columns, separated by `gap` columns, in `total` columns.
 *
 * Columns are considered from the highest priority down (equal priorities:
 * leftmost first); each is shown if its min still fits beside those
 * already shown, and hidden otherwise (width 0).  The most important column
 * is always shown when total > 0, narrowed below its min if it must be, so
 * a 20-column terminal still shows the name.  Room above the mins goes to
 * the shown columns in proportion to how far each is from its pref; room
 * beyond every pref, in proportion to flex (left unused when all flex are
 * 0).  Rounding leftovers go one column each in priority order.
 *
 * Writes each column's width into widths[0..ncols-1] and returns how many
 * are shown.  Out-of-range specs are read as the nearest sane value
 * (min < 1 as 1, pref < min as min, flex < 0 as 0, gap < 0 as 0). */
size_t textcell_layout(const struct textcell_col *cols, size_t ncols, int total, int gap,
		       int *widths);

#endif
