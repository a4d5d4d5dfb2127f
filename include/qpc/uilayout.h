/* uilayout.h — the dashboard's arithmetic: sizes, scales and labels.
 *
 * Pure functions with no curses, so that the widgets' layout is tested
 * without a terminal.  Widths are in terminal columns; bars and gauges
 * are measured in eighths of a column, for the partial block characters.
 */
#ifndef QPC_UILAYOUT_H
#define QPC_UILAYOUT_H

#include <stddef.h>
#include <stdint.h>

#include "qpc/date.h"
#include "qpc/figures.h"
#include "qpc/money.h"

/* Eighths of `width` columns that value/max fills: 0 when value <= 0 or
 * max <= 0, all when value >= max; otherwise at least 1, and never all. */
int uil_eighths(int64_t value, int64_t max, int width);

/* Levels 0..7 of a sparkline for n values, scaled to the largest; -1 where
 * the value is 0 or less (drawn as a gap). */
void uil_spark(const qpc_money *v, int n, int *levels);

/* The profit curve resampled to `width` columns: for column c, the height
 * in eighths (0 .. 8 * height) of the cumulative value at that point of
 * the x axis, scaled to the largest value; marks[c] says a partner falls
 * in the column's slice.  pts and partners have n entries (n >= 1). */
void uil_curve(const qpc_money *pts, const int64_t *partners, int n, int width, int height,
               int *heights, int *marks);

/* Splits `total` rows among n panes: each gets its min if it can (in order,
 * the rest get 0), then what is left goes to the panes in order up to
 * their want, and the remainder to the last pane that wants more than its
 * want (want < 0: as much as there is). */
void uil_split(int total, int n, const int *min, const int *want, int *out);

/* The first row to show so that the cursor stays visible with `margin`
 * rows around it where possible; count rows in all, `visible` shown. */
int uil_scroll(int cursor, int top, int visible, int count, int margin);

/* Labels, into buf (n bytes; 32 always suffice). */
/* Share as "69.1%", "100%+" above 100%, "–" when undefined (ascii: "-"). */
void uil_share(struct qpc_share s, bool ascii, char *buf, size_t n);
/* Money in whole units for a column of `width`: "12,345" when it fits,
 * else "12.3k" / "1.2M"; "–" for unknown. */
void uil_money(bool known, qpc_money v, int minor_units, int width, bool ascii, char *buf,
               size_t n);
/* How long ago a QPC was measured: "12d", "11mo", "2.5y"; "none" when
 * never. */
void uil_age(bool measured, qpc_date on, qpc_date as_of, char *buf, size_t n);
/* A count with thousands separators: "1,234,567". */
void uil_count(int64_t v, char *buf, size_t n);

#endif
