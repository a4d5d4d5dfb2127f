/* ui_draw.h — the dashboard's lowest layer: rectangles, effects, the
 * mouse, colours by meaning (theme.c) and text and glyphs on the screen
 * (draw.c).  Every string from the data reaches the screen through
 * draw_text, which escapes and fits it (textcell).  Widgets build on it
 * (ui_widgets.h), views on both (ui.h).
 */
#ifndef QPC_TUI_UI_DRAW_H
#define QPC_TUI_UI_DRAW_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <wchar.h>

#include "qpc/keymap.h"
#include "qpc/textcell.h"
#include "qpc/uilayout.h"

#define UI_MIN_COLS 32
#define UI_MIN_LINES 8

/* What a handler did, for the loop to act on. */
enum ui_effect {
	UI_IGNORED = 0,
	UI_HANDLED = 1 << 0,
	UI_REDRAW = 1 << 1,
	UI_QUIT = 1 << 2,
};

struct ui_rect {
	int y, x, h, w;
};

struct ui_mouse {
	int y, x;
	enum { UI_CLICK, UI_DOUBLE, UI_WHEEL_UP, UI_WHEEL_DOWN } kind;
};

/* --- theme.c: colours by meaning ----------------------------------------- */

enum ui_color {
	UC_NORMAL = 0,
	UC_TITLE,      /* view titles */
	UC_TAB,        /* the other top views in the tab bar */
	UC_TAB_ON,     /* the current one */
	UC_HEADER,     /* column headings */
	UC_CURSOR,     /* the selected row */
	UC_CURSOR_OFF, /* the selected row of a pane without focus */
	UC_BAR,        /* the status bar */
	UC_ERROR,
	UC_DIM,        /* secondary text, empty gauge cells */
	UC_KEY,        /* key names in the help */
	UC_LABEL,
	UC_PARTNER,
	UC_CANDIDATE,
	UC_CUSTOMER,
	UC_PROSPECT,
	UC_OVER,       /* share above 100%: QPC underestimated */
	UC_STALE,      /* QPC measured over a year ago, or never */
	UC_GOOD,       /* within the method's guideline */
	UC_WARN,       /* outside it */
	UC_CHART,      /* bars, curves and gauges */
	UC_MARK,       /* partners on the profit curve */
	UC_COUNT
};

/* Picks colours when the terminal has them and NO_COLOR is unset, else
 * attributes alone.  Call after newterm(). */
void theme_init(void);
bool theme_has_color(void);
attr_t theme_attr(enum ui_color c);
enum ui_color theme_status(enum qpc_status s);

/* --- draw.c: text and glyphs --------------------------------------------- */

struct ui_glyphs {
	const char *blocks[9];  /* 0..8 eighths of a cell, left to right */
	const char *spark[8];   /* levels, low to high */
	const char *up, *down;  /* sort direction */
	const char *mark;       /* a partner on the curve */
	const char *dot;        /* separator */
	const char *hline;
	const char *tick, *untick;
	bool ascii;
};

/* UTF-8 glyphs under a UTF-8 locale, ASCII ones otherwise. */
void draw_init(void);
const struct ui_glyphs *draw_glyphs(void);
/* Drawing reaches only the rows [top, end) until draw_unclip(); what
 * falls outside is left out (a scrolled block, w_form.c). */
void draw_clip(int top, int end);
void draw_unclip(void);
bool draw_row_shown(int y);
/* Writes s at (y, x), escaped and fitted to exactly w columns. */
void draw_text(int y, int x, int w, const char *s, enum textcell_align a, attr_t attr);
/* Like draw_text, but only as wide as s; returns the columns used. */
int draw_span(int y, int x, int maxw, const char *s, attr_t attr);
void draw_fill(int y, int x, int w, attr_t attr);
/* A bar of `eighths` eighths of a cell from x, in at most w columns. */
void draw_bar(int y, int x, int w, int eighths, attr_t attr);
/* The same bar as text for a table cell: `w` cells, the empty part dotted. */
void draw_bar_text(int64_t value, int64_t max, int w, char *buf, size_t n);
/* A titled frame line for a pane: "── Title ───" highlighted when focused. */
void pane_title(struct ui_rect r, const char *title, bool focused);

#endif
