/* ui.h — what the dashboard's views share: the app, the views, the loop.
 *
 * One event loop (app.c) owns a stack of views.  A view is a table of
 * operations over its own data (tig's view_ops); handlers return a mask
 * of effects (htop's HANDLED | REDRAW | ...) and only the loop draws.
 * Views compose widgets (ui_widgets.h) and read through the browse API:
 * no SQL here.
 */
#ifndef QPC_TUI_UI_H
#define QPC_TUI_UI_H

#include <stdio.h>

#include "qpc/store.h"
#include "ui_widgets.h"

/* --- views --------------------------------------------------------------- */

struct app;
struct view;

enum ui_search { UI_SEARCH_TYPE, UI_SEARCH_NEXT, UI_SEARCH_PREV, UI_SEARCH_CANCEL,
                 UI_SEARCH_ACCEPT };


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
	char user[QPC_TEXT_SHORT]; /* who works: --user, or a team server's login */
	char owner[QPC_TEXT_SHORT]; /* the owner name of their accounts ("m"), or "" */
	bool on_server;             /* a team server's: role says what it may change */
	enum qpc_role role;
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
void works_open(struct app *a);
/* view_gaps.c: the reps' share estimates against the measured, by owner. */
void gaps_open(struct app *a);
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
/* Asks who is to do a step and by when, then saves both (qpc step assign). */
struct qpc_step;
void candidacy_assign(struct app *a, int64_t account_id, const struct qpc_step *t);
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
/* rate.c: R, rating the account on one of the team's traits. */
unsigned rate_action(struct app *a, int64_t account_id);

/* The dashboard as the loop and the benchmark drive it. */
struct qpc_tui {
	struct app app;
	bool busy; /* the current view may have work left */
	bool behind; /* the browse may have work of its own (qpc_browse_background) */
	long last_click_ms;
	int last_click_y, last_click_x;
};

/* app.c */
struct view *app_current(const struct app *a);
void app_push(struct app *a, struct view *v);
void app_pop(struct app *a);
void app_switch_top(struct app *a, enum ui_top i);
/* Handles one key (a character, or a curses key code); returns its
 * effects (UI_REDRAW: the loop paints). */
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
/* Whether the database may be written, and on a team server whether the
 * login's role is at least `need` (on a file everyone's is); if not, says
 * so on the message line, with `what` the user tried ("edit the QPC"). */
bool app_writable(struct app *a, enum qpc_role need, const char *what);
/* The least role that may take the action (a team server's roles). */
enum qpc_role app_action_role(enum qpc_action act);
/* Whether the login's role is at least need (on a file, everyone's is). */
bool app_may(const struct app *a, enum qpc_role need);

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
 * left out, msg saying why the first was ("FILE:3:6: no action 'x'"). */
int keymap_load(const char *path, char *msg, size_t n);
/* The action of key in a view of this scope, QPC_ACT_NONE for none. */
enum qpc_action keymap_lookup(int key, bool is_key_code, unsigned scope);
/* The key code of what followed an Esc ("[4~" for End), 0 for none. */
int keymap_escape(const char *seq);

#endif
