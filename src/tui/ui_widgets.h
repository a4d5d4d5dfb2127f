/* ui_widgets.h — what views are made of: tables and lists held in
 * memory (w_table.c), labelled values, scrolled blocks and gauges
 * (w_form.c), charts (w_chart.c), a line of text being typed (w_input.c),
 * file name completion (pathcomp.c) and a screenful of rows from a keyset
 * source (pager.c).  No view, no app: only the screen and the browse
 * API's rows.
 */
#ifndef QPC_TUI_UI_WIDGETS_H
#define QPC_TUI_UI_WIDGETS_H

#include "qpc/browse.h"
#include "ui_draw.h"

/* --- widgets ------------------------------------------------------------- */

struct table_col {
	const char *title;
	struct textcell_col size;
	enum textcell_align align;
};

/* A table knows nothing of its rows: cell() writes the raw text of one
 * (row, col) for a column `width` wide and may set its attribute. */
struct table {
	const struct table_col *cols;
	int ncols;
	int widths[16];
	int sort_col;      /* -1: no sort mark */
	bool sort_desc;
	bool focused;
	int nrows, cursor, top;
	void (*cell)(void *ctx, int row, int col, int width, char *buf, size_t n, attr_t *attr);
	void *ctx;
};
/* Heading on the first row of r, rows below; remembers the widths. */
void table_draw(struct table *t, struct ui_rect r);
/* The row at screen line y of r: -1 the heading, -2 outside; *col the
 * column at x (or -1). */
int table_hit(const struct table *t, struct ui_rect r, int y, int x, int *col);
/* The moves of a list held in memory (a row, a page, to either end) on
 * *cursor among n rows; false for other actions. */
bool table_move(int *cursor, int n, int page, enum qpc_action a);

/* A list shown as a table (calcurse's listbox): it owns the cursor, the
 * scrolling, paging, the mouse and the painter; the view gives the
 * columns and the cells (t.cols, t.ncols, t.cell, t.ctx).  Its rows are
 * held in memory (n of them), or are a pager's window over a keyset
 * source (pg set: the accounts, the candidates, a history), where the
 * pager keeps the cursor. */
struct pager;
struct listbox {
	struct table t;
	int n, cursor, top;
	struct pager *pg;
	struct ui_rect area; /* where it was last drawn: the heading, the rows */
	int hit_col;         /* the column of the last click, -1 for none */
};
/* Draws n rows in r (the heading on its first row; n is the pager's with
 * one), scrolled so the cursor shows; the cursor is highlighted when
 * focused. */
void listbox_draw(struct listbox *lb, int n, struct ui_rect r, bool focused);
/* The same without painting, for a view that paints its rows itself (the
 * board's grid) from lb->top: n rows in memory under a heading row. */
void listbox_place(struct listbox *lb, int n, struct ui_rect r);
/* A row, a page (a screenful of it), either end: UI_HANDLED | UI_REDRAW;
 * UI_IGNORED for other actions. */
unsigned listbox_action(struct listbox *lb, enum qpc_action a);
/* The wheel scrolls it, a click puts the cursor on a row, a double click
 * asks to open it; a click below the last row is a miss. */
enum listbox_hit { LISTBOX_MISS, LISTBOX_HEADING, LISTBOX_MOVED, LISTBOX_OPEN };
enum listbox_hit listbox_mouse(struct listbox *lb, const struct ui_mouse *m);

struct form_field {
	const char *label;
	char value[160];
	enum ui_color color;
};
/* Label/value pairs down the rect in `ncolumns` columns; returns rows used. */
int form_draw(const struct form_field *f, int n, struct ui_rect r, int ncolumns);
/* The same as a flowing line, "Label value · Label value", wrapped at the
 * rect's width; a field with an empty label is its value alone.  Returns
 * rows used. */
int form_flow(const struct form_field *f, int n, struct ui_rect r);

/* A block of rows that may be taller than its rect (figures at a small
 * size): drawn from row `off`, the last row then saying which rows show
 * ("▼ rows 1-6 of 9, j/k: scroll").  fn draws the whole block at r (its
 * height unbounded) and returns the rows it used. */
struct scrolled {
	int off, total, view;
};
typedef int (*scrolled_fn)(void *ctx, struct ui_rect r);
void scrolled_draw(struct scrolled *sc, struct ui_rect r, scrolled_fn fn, void *ctx);
/* Whether the block did not fit when last drawn. */
bool scrolled_over(const struct scrolled *sc);
/* A row, a page or to either end, for a block that does not fit; false
 * (nothing done) for other actions, or when it fits. */
bool scrolled_move(struct scrolled *sc, enum qpc_action a);

/* [█████░░░] value/max with a label on its right; returns columns used. */
void gauge_draw(int y, int x, int w, int64_t value, int64_t max, const char *label);

struct chart_bar {
	const char *label;
	int64_t value;
	enum ui_color color;
	const char *note;
};
void chart_bars(const struct chart_bar *bars, int n, struct ui_rect r);
void chart_spark(int y, int x, int w, const qpc_money *v, int n);
/* A sparkline of the latest w of n values from their lowest to their
 * highest (a trend: the caller shows the range beside it). */
void chart_range(int y, int x, int w, const int64_t *v, int n);
void chart_curve(const qpc_money *pts, const int64_t *partners, int n, struct ui_rect r);

/* One line of text being typed (w_input.c). */
struct input {
	char text[256];
	size_t cur; /* byte offset of the cursor, on a character's start */
	/* The whole text is selected, as a pre-filled value is: the first
	 * character typed replaces it, Backspace or Delete clears it, a
	 * cursor key keeps it for editing (readline's and GUI fields' habit). */
	bool selected;
};
enum input_result {
	INPUT_IGNORED = 0, /* not an editing key: Enter, Esc, Tab... are the caller's */
	INPUT_MOVED,       /* the cursor moved */
	INPUT_EDITED,      /* the text changed */
	INPUT_FULL,        /* no room for the character typed */
};
/* The text, the cursor at its end, nothing selected. */
void input_set(struct input *in, const char *s);
/* A pre-filled value: the text, selected (when there is any). */
void input_prefill(struct input *in, const char *s);
enum input_result input_key(struct input *in, wint_t ch, bool is_code);
/* Draws the text in w columns from x, scrolled so the cursor shows, and
 * places the terminal's cursor there when `cursor`; returns its column.
 * A selected text is drawn in reverse of attr, so it shows as selected. */
int input_draw(const struct input *in, int y, int x, int w, attr_t attr, bool cursor);
/* Before drawing (reset): hides the cursor; after: shows it on the field
 * drawn with `cursor`, if one was. */
void input_cursor_place(bool reset);

/* --- pathcomp.c: completing a file name ---------------------------------- */

#define PATH_COMPLETE_MAX 512
#define PATH_CHOICES 64

struct path_choices {
	int total;                  /* names that match */
	int n;                      /* kept below, sorted; folders end in '/' */
	char names[PATH_CHOICES][260]; /* a name (255 bytes at most) and a '/' */
};
/* A leading "~/" (or a lone "~") as home; false when it does not fit. */
bool path_expand(const char *typed, const char *home, char *out, size_t n);
/* Completes `typed` (the last part of a path, "~" expanded) to the longest
 * prefix the names in its folder that start with it share, the whole name
 * when one does (a folder's with a '/').  Writes the path to out (the
 * expanded text when nothing matches) and the matching names to c;
 * returns how many match.  Hidden names only when the part starts
 * with '.'. */
int path_complete(const char *typed, const char *home, char *out, size_t n,
                  struct path_choices *c);


/* --- pager.c: a screenful of rows from a keyset source ------------------- */

struct pager_src {
	size_t item_size;
	int64_t (*id)(const void *item);
	enum qpc_rc (*fetch)(void *ctx, const struct qpc_fetch *r, void *items,
	                     struct qpc_fetched *out, struct qpc_error *e);
	void *ctx;
};

/* The rows on screen, nearest neighbours fetched on demand, memory for a
 * screenful only.  head and tail count the rows before items[0] and after
 * items[n - 1], when known (from having walked there from an end). */
struct pager {
	struct pager_src src;
	char *items, *scratch;
	int n, cap, cursor;
	bool head_known, tail_known;
	int64_t head, tail;
	/* A fetch the work budget cut short, finished between keys. */
	bool pending;
	struct qpc_fetch more;
	struct qpc_error err;
	bool failed;
};

void pager_init(struct pager *p, const struct pager_src *src);
void pager_free(struct pager *p);
void *pager_item(const struct pager *p, int i);
void *pager_current(const struct pager *p); /* NULL when empty */
/* Sets how many rows fit, fetching or dropping rows around the cursor. */
void pager_resize(struct pager *p, int rows);
/* Reloads around account `id` (0: from the top), the cursor on it or on
 * the row that takes its place, `offset` rows from the top if it can. */
void pager_goto(struct pager *p, int64_t id, int offset);
void pager_move(struct pager *p, int delta); /* rows; +-cap: a page */
void pager_first(struct pager *p);
void pager_last(struct pager *p);
/* Continues a cut-short fetch; false when nothing is left to do. */
bool pager_work(struct pager *p);
/* The position of the cursor from 1, or 0 when not known. */
int64_t pager_position(const struct pager *p, int64_t total);
/* The moves every list has (a row, a page, to either end); UI_IGNORED for
 * other actions. */
unsigned pager_action(struct pager *p, enum qpc_action a);

#endif
