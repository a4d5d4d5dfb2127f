/* ui.h — what the dashboard's files share: the app, views, drawing.
 *
 * One event loop (app.c) owns a stack of views.  A view is a table of
 * operations over its own data (tig's view_ops); handlers return a mask
 * of effects (htop's HANDLED | REDRAW | ...) and only the loop draws.
 * Views compose widgets (w_*.c) and read through the browse API: no SQL
 * here.  Every string from the data reaches the screen through draw_text,
 * which escapes and fits it (textcell).
 */
#ifndef QPC_TUI_UI_H
#define QPC_TUI_UI_H

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <wchar.h>

#include "qpc/browse.h"
#include "qpc/keymap.h"
#include "qpc/store.h"
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

/* A list held in memory, shown as a table (calcurse's listbox): it owns
 * the cursor, the scrolling, paging, the mouse and the painter; the view
 * gives the columns and the cells (t.cols, t.ncols, t.cell, t.ctx). */
struct listbox {
	struct table t;
	int n, cursor, top;
	struct ui_rect area; /* where it was last drawn: the heading, the rows */
};
/* Draws n rows in r (the heading on its first row), scrolled so the
 * cursor shows; the cursor is highlighted when focused. */
void listbox_draw(struct listbox *lb, int n, struct ui_rect r, bool focused);
/* A row, a page (a screenful of it), either end: UI_HANDLED | UI_REDRAW;
 * UI_IGNORED for other actions. */
unsigned listbox_action(struct listbox *lb, enum qpc_action a);
/* The wheel scrolls it, a click puts the cursor on a row, a double click
 * asks to open it. */
enum listbox_hit { LISTBOX_MISS, LISTBOX_HEADING, LISTBOX_MOVED, LISTBOX_OPEN };
struct ui_mouse;
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

/* A titled frame line for a pane: "── Title ───" highlighted when focused. */
void pane_title(struct ui_rect r, const char *title, bool focused);

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

/* --- views --------------------------------------------------------------- */

struct app;
struct view;

enum ui_search { UI_SEARCH_TYPE, UI_SEARCH_NEXT, UI_SEARCH_PREV, UI_SEARCH_CANCEL,
                 UI_SEARCH_ACCEPT };

struct ui_mouse {
	int y, x;
	enum { UI_CLICK, UI_DOUBLE, UI_WHEEL_UP, UI_WHEEL_DOWN } kind;
};

struct view_ops {
	const char *title;
	unsigned scope; /* enum qpc_scope bits its keys come from */
	void (*open)(struct view *v);
	void (*close)(struct view *v);
	/* Places the view in r (on every resize) and draws it. */
	void (*draw)(struct view *v, struct ui_rect r);
	unsigned (*action)(struct view *v, enum qpc_action a);
	unsigned (*mouse)(struct view *v, const struct ui_mouse *m);
	/* One bounded step of background work; false when there is none. */
	bool (*work)(struct view *v);
	/* Whether work runs outside the loop (a thread) that work() will
	 * collect: the loop then calls work() every few milliseconds instead
	 * of once a second.  NULL: never. */
	bool (*waiting)(struct view *v);
	/* The view's part of the status bar. */
	void (*status)(struct view *v, char *buf, size_t n);
	/* NULL when the view has nothing to search. */
	unsigned (*search)(struct view *v, const char *text, enum ui_search how);
	/* The data changed under it (another qpc wrote, or this one saved). */
	void (*reload)(struct view *v);
	/* Sees every key before the keymap does, for views where typing is
	 * text (a form field being edited); UI_IGNORED hands it on. */
	unsigned (*key)(struct view *v, wint_t ch, bool is_code);
};

struct view {
	const struct view_ops *ops;
	struct app *app;
	void *data;
	struct ui_rect rect;
};

/* A question on the message line (app_ask, app_ask_text): every key goes
 * to it until it is answered.  done() gets ok = false on Esc or "n", and
 * for a text question the text typed. */
typedef void (*ui_answer_fn)(struct app *a, void *ctx, bool ok, const char *text);
#define UI_ASK_ABOUT 1024
struct ui_ask {
	bool text;          /* a line of text, else y or n */
	char question[160];
	struct input in;
	ui_answer_fn done;
	void *ctx;
	/* What the question is about, copied (app_ask_about): the view that
	 * asked may be gone by the answer.  done() gets its copy as ctx. */
	bool has_about;
	_Alignas(max_align_t) unsigned char about[UI_ASK_ABOUT];
};

enum ui_top { UI_DASHBOARD, UI_ACCOUNTS, UI_CANDIDATES, UI_GOALS, UI_TOPS };

struct app {
	struct qpc_store *st;
	struct qpc_browse *br;
	char user[QPC_TEXT_SHORT];
	int minor_units;
	char currency[4];
	struct view *tops[UI_TOPS];
	struct view *stack[8];
	int depth;
	bool help;     /* the help overlay is up */
	int help_top;
	char message[256];
	bool message_error;
	bool prompting; /* the search prompt is on the message line */
	struct input prompt;
	char last_search[QPC_SEARCH_MAX];
	struct ui_ask *ask; /* a question on the message line, when one is up */
	struct ui_ask asking; /* where it is kept */
	bool quit;
	bool readonly; /* the database cannot be written: browsing only */
	const char *readonly_why; /* the store's sentence why, or "" */
	/* The figures could not be brought to the as-of date (a full disk):
	 * shown as the file holds them, and the status bar says so. */
	bool figures_kept;
	/* Opened without a date of its own (no --as-of): the as-of date is
	 * today's, and moves with the store's clock (run.c). */
	bool follow_today;
	qpc_date day_failed; /* the day the move to failed: not tried again */
	int tab_end[UI_TOPS]; /* where each tab ends in the tab bar */
	/* Something the screen shows changed outside a handler's effects (a
	 * message, the view stack, a reload): the loop paints once more. */
	bool dirty;
};

struct view *view_new(struct app *a, const struct view_ops *ops, void *data);
void view_free(struct view *v);

/* The views, each in its own file. */
struct view *dashboard_view(struct app *a);
struct view *accounts_view(struct app *a);
struct view *candidates_view(struct app *a);
struct view *goals_view(struct app *a);
/* Pushes the detail of one account. */
void detail_open(struct app *a, int64_t account_id);
/* Pushes the QPC editor of one account (view_editor.c), unless the
 * database is read-only or the account cannot be read (said on the
 * message line). */
void editor_open(struct app *a, int64_t account_id);
/* Candidates (candidacy.c and a view each): one candidate's checklist,
 * the board of every candidate's ticks, suggested candidates, templates. */
void checklist_open(struct app *a, int64_t account_id);
void board_open(struct app *a);
void suggest_open(struct app *a);
void templates_open(struct app *a);
/* Nominate (asking which checklist when there are several templates),
 * drop (asking why), edit the QPC and set the contract (contract.c) of the
 * account, for every view where one is selected; UI_IGNORED for other
 * actions. */
unsigned candidacy_action(struct app *a, enum qpc_action act, int64_t account_id);

/* picker.c: the owners (or segments) with their counts, "all" first, the
 * cursor on current; Enter calls done with the value ("" for all). */
typedef void (*picker_fn)(struct app *a, void *ctx, const char *value);
void picker_open(struct app *a, bool owners, const char *current, picker_fn done, void *ctx);
/* Ticks step `position` of the account's checklist, then says `said`.
 * The other asks `question` (y/n), and unticks on a yes only. */
void candidacy_tick(struct app *a, int64_t account_id, int position, const char *said);
void candidacy_untick_ask(struct app *a, int64_t account_id, int position, const char *question,
                          const char *said);
/* "2026-11-27 09:00" from a stored time "2026-11-27T09:00:00Z". */
void candidacy_when(const char *at, char *buf, size_t n);
/* Pushes the import dialog (view_import.c). */
void import_open(struct app *a);

/* contract.c: an account's systems contract on a date: the one in force,
 * else the latest that ended, else the next to start. */
struct ui_contract {
	bool any;      /* the account has a contract at all */
	bool in_force; /* c binds on the date */
	int count;     /* contracts it has had */
	struct qpc_contract_rec c;
};
enum qpc_rc contract_of(struct app *a, int64_t account_id, qpc_date on, struct ui_contract *out,
                        struct qpc_error *e);
/* "signed 2025-03-01, ends 2028-02-29, 120,000.00 a year", "ended ...",
 * "signed to start ...", "none". */
void contract_describe(const struct app *a, const struct ui_contract *c, qpc_date on, char *buf,
                       size_t n);
/* Sets or ends the account's contract, asking on the message line;
 * UI_IGNORED for other actions. */
unsigned contract_action(struct app *a, enum qpc_action act, int64_t account_id);

/* The dashboard as the loop and the benchmark drive it. */
struct qpc_tui {
	struct app app;
	bool busy; /* the current view may have work left */
	long last_click_ms;
	int last_click_y, last_click_x;
};

/* app.c */
struct view *app_current(const struct app *a);
void app_push(struct app *a, struct view *v);
void app_pop(struct app *a);
void app_switch_top(struct app *a, enum ui_top i);
/* Handles one key (a character, or a curses key code). */
/* Handles one key; returns its effects (UI_REDRAW: the loop paints). */
unsigned app_key(struct qpc_tui *t, wint_t ch, bool is_code);
void app_paint(struct app *a);
long app_now_ms(void);
void app_message(struct app *a, bool error, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void app_fail(struct app *a, const struct qpc_error *e);
/* Asks a yes-or-no question; done() is called with the answer. */
void app_ask(struct app *a, const char *question, ui_answer_fn done, void *ctx);
/* Asks for a line of text, starting from `initial` selected (typing
 * replaces it); Enter answers, Esc cancels. */
void app_ask_text(struct app *a, const char *question, const char *initial, ui_answer_fn done,
                  void *ctx);
/* The same about a subject: `about` (n bytes) is copied with the question,
 * and done() gets the copy as ctx, which it may change and ask about
 * again.  initial NULL: a yes-or-no question. */
void app_ask_with(struct app *a, bool text, const char *question, const char *initial,
                  ui_answer_fn done, const void *about, size_t n);
/* ... for a subject that fits (checked when compiled). */
#define app_ask_about(a, question, done, about)                                         \
	((void)sizeof(char[sizeof(about) <= UI_ASK_ABOUT ? 1 : -1]),                      \
	 app_ask_with((a), false, (question), NULL, (done), &(about), sizeof(about)))
#define app_ask_text_about(a, question, initial, done, about)                           \
	((void)sizeof(char[sizeof(about) <= UI_ASK_ABOUT ? 1 : -1]),                      \
	 app_ask_with((a), true, (question), (initial), (done), &(about), sizeof(about)))
/* This qpc wrote to the database: every open view reads it again. */
void app_changed(struct app *a);
/* Whether the database may be written; if not, says so on the message
 * line, with `what` the user tried ("edit the QPC"). */
bool app_writable(struct app *a, const char *what);

/* chrome.c: the tab bar, status bar, message line, help and notices */
void chrome_tabs(struct app *a, int cols);
void chrome_status(struct app *a, struct view *v, int y, int cols);
void chrome_message(const struct app *a, int y, int cols);
void chrome_help(struct app *a, struct view *v, struct ui_rect r);
unsigned chrome_help_action(struct app *a, enum qpc_action act);
void chrome_too_small(int lines, int cols);

/* term.c */
enum qpc_rc term_start(FILE *out, FILE *in, const char *type, struct qpc_error *e);
void term_stop(void);
/* The SIGINT, SIGTERM, SIGHUP or SIGQUIT that arrived, or 0. */
int term_caught(void);
/* Whether the terminal went away without a signal; then term_caught()
 * says SIGHUP. */
bool term_gone(void);
/* Recomputes the crash reset sequence (it moves the cursor to the last
 * line, so it depends on the size). */
void term_prepare_reset(void);

/* keymap.c */
/* The default keys, in force until keymap_load(). */
void keymap_init(void);
/* The config file's path: $XDG_CONFIG_HOME/qpc/config, else
 * ~/.config/qpc/config; false when neither is known. */
bool keymap_config_path(char *buf, size_t n);
/* Rebinds keys from a config file of lines "bind ACTION KEY..." (# starts
 * a comment): the action's keys become those, taken from any other action
 * of the views it acts in.  A missing file is no error.  Returns the lines
 * left out, msg saying why the first was ("FILE:3: no action 'x'"). */
int keymap_load(const char *path, char *msg, size_t n);
/* The action of key in a view of this scope, QPC_ACT_NONE for none. */
enum qpc_action keymap_lookup(int key, bool is_key_code, unsigned scope);
/* The key code of what followed an Esc ("[4~" for End), 0 for none. */
int keymap_escape(const char *seq);

#endif
