/* app.c — the view stack, the actions every view has, the search prompt,
 * the mouse, and painting.
 *
 * The current view gets the first chance at an action (tig's
 * view_driver); what it leaves is handled here.  The loop is in run.c.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "qpc/tui.h"
#include "ui.h"

#define DOUBLE_CLICK_MS 400

struct view *app_current(const struct app *a)
{
	return a->stack[a->depth - 1];
}

struct view *view_new(struct app *a, const struct view_ops *ops, void *data)
{
	struct view *v = calloc(1, sizeof *v);
	if (!v) { /* let the view free its data as it knows how */
		struct view tmp = { ops, a, data, { 0, 0, 0, 0 } };
		if (ops->close)
			ops->close(&tmp);
		return NULL;
	}
	v->ops = ops;
	v->app = a;
	v->data = data;
	return v;
}

void view_free(struct view *v)
{
	if (!v)
		return;
	if (v->ops->close)
		v->ops->close(v);
	free(v);
}

void app_message(struct app *a, bool error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(a->message, sizeof a->message, fmt, ap);
	va_end(ap);
	a->message_error = error;
	a->dirty = true;
}

void app_fail(struct app *a, const struct qpc_error *e)
{
	app_message(a, true, "%s", e && e->msg[0] ? e->msg : "something failed");
}

void app_push(struct app *a, struct view *v)
{
	if (!v) {
		app_message(a, true, "out of memory");
		return;
	}
	if (a->depth == (int)(sizeof a->stack / sizeof a->stack[0])) {
		view_free(v);
		app_message(a, true, "too many views open: close one first");
		return;
	}
	a->stack[a->depth++] = v;
	if (v->ops->open)
		v->ops->open(v);
	a->dirty = true;
}

void app_pop(struct app *a)
{
	if (a->depth > 1)
		view_free(a->stack[--a->depth]);
	a->dirty = true;
}

static struct view *(*const makers[UI_TOPS])(struct app *) = {
	dashboard_view, accounts_view, candidates_view, goals_view,
};

void app_switch_top(struct app *a, enum ui_top i)
{
	while (a->depth > 1)
		app_pop(a);
	if (!a->tops[i]) {
		a->tops[i] = makers[i](a);
		if (!a->tops[i]) {
			app_message(a, true, "out of memory");
			return;
		}
		a->stack[0] = a->tops[i];
		if (a->tops[i]->ops->open)
			a->tops[i]->ops->open(a->tops[i]);
	}
	a->stack[0] = a->tops[i];
	a->depth = a->depth ? a->depth : 1;
	a->dirty = true;
}

/* --- the search prompt --------------------------------------------------- */

static unsigned search(struct app *a, enum ui_search how)
{
	struct view *v = app_current(a);
	char typed[QPC_SEARCH_MAX]; /* prompt_key keeps the text shorter */
	size_t n = strnlen(a->prompt.text, sizeof typed - 1);
	memcpy(typed, a->prompt.text, n);
	typed[n] = '\0';
	const char *text = how == UI_SEARCH_TYPE || how == UI_SEARCH_ACCEPT ? typed : a->last_search;
	return v->ops->search ? v->ops->search(v, text, how) : UI_IGNORED;
}

static void prompt_key(struct app *a, wint_t ch, bool is_code)
{
	if ((!is_code && (ch == '\n' || ch == '\r')) || (is_code && ch == KEY_ENTER)) {
		a->prompting = false;
		size_t n = strnlen(a->prompt.text, sizeof a->last_search - 1);
		memcpy(a->last_search, a->prompt.text, n);
		a->last_search[n] = '\0';
		search(a, UI_SEARCH_ACCEPT);
		return;
	}
	bool backspace = (is_code && ch == KEY_BACKSPACE) || (!is_code && (ch == 127 || ch == 8));
	if ((!is_code && ch == 27) || (backspace && !a->prompt.text[0])) {
		a->prompting = false;
		search(a, UI_SEARCH_CANCEL);
		return;
	}
	/* a search is at most QPC_SEARCH_MAX - 1 bytes */
	struct input was = a->prompt;
	enum input_result r = input_key(&a->prompt, ch, is_code);
	if (r == INPUT_EDITED && strlen(a->prompt.text) >= QPC_SEARCH_MAX)
		a->prompt = was;
	else if (r == INPUT_EDITED)
		search(a, UI_SEARCH_TYPE);
}

/* --- questions on the message line --------------------------------------- */

static void ask(struct app *a, bool text, const char *question, const char *initial,
                ui_answer_fn done, void *ctx)
{
	struct ui_ask *q = &a->asking; /* one question at a time: it is modal */
	memset(q, 0, sizeof *q);
	q->text = text;
	snprintf(q->question, sizeof q->question, "%s", question);
	input_prefill(&q->in, initial); /* typing replaces it, a cursor key keeps it */
	q->done = done;
	q->ctx = ctx;
	a->ask = q;
	a->message[0] = '\0';
	a->dirty = true;
}

void app_ask(struct app *a, const char *question, ui_answer_fn done, void *ctx)
{
	ask(a, false, question, NULL, done, ctx);
}

void app_ask_text(struct app *a, const char *question, const char *initial, ui_answer_fn done,
                  void *ctx)
{
	ask(a, true, question, initial, done, ctx);
}

void app_ask_with(struct app *a, bool text, const char *question, const char *initial,
                  ui_answer_fn done, const void *about, size_t n)
{
	/* about may be the subject of the question being answered: copied
	 * first, since ask() clears where the question is kept */
	unsigned char copy[UI_ASK_ABOUT];
	n = n < sizeof copy ? n : sizeof copy;
	memcpy(copy, about, n);
	ask(a, text, question, initial, done, NULL);
	memcpy(a->asking.about, copy, n);
	a->asking.has_about = true;
}

static void answer(struct app *a, bool ok)
{
	/* done() may ask again, about the copy it is given */
	struct ui_ask q = *a->ask;
	a->ask = NULL;
	q.done(a, q.has_about ? (void *)q.about : q.ctx, ok, q.in.text);
}

static void ask_key(struct app *a, wint_t ch, bool is_code)
{
	struct ui_ask *q = a->ask;
	bool enter = (!is_code && (ch == '\n' || ch == '\r')) || (is_code && ch == KEY_ENTER);
	/* NOLINTNEXTLINE(bugprone-branch-clone): Esc says no to any question, n to yes/no */
	if (!is_code && ch == 27) {
		answer(a, false);
	} else if (q->text) {
		if (enter)
			answer(a, true);
		else
			input_key(&q->in, ch, is_code);
	} else if (!is_code && (ch == 'y' || ch == 'Y')) {
		answer(a, true);
	} else if (!is_code && (ch == 'n' || ch == 'N')) {
		answer(a, false);
	}
}

void app_changed(struct app *a)
{
	qpc_browse_forget(a->br); /* counts and estimates it kept are stale */
	for (int i = 0; i < UI_TOPS; i++)
		if (a->tops[i] && a->tops[i]->ops->reload)
			a->tops[i]->ops->reload(a->tops[i]);
	for (int i = 1; i < a->depth; i++)
		if (a->stack[i]->ops->reload)
			a->stack[i]->ops->reload(a->stack[i]);
	a->dirty = true;
}

enum qpc_role app_action_role(enum qpc_action act)
{
	switch (act) {
	case QPC_ACT_IMPORT:
		return QPC_ROLE_ADMIN;
	case QPC_ACT_NOMINATE: case QPC_ACT_DROP: case QPC_ACT_CONTRACT: case QPC_ACT_RATE:
	case QPC_ACT_TICK: case QPC_ACT_NOTE: case QPC_ACT_STEP_ASSIGN: case QPC_ACT_TEMPLATE_NEW:
	case QPC_ACT_TEMPLATE_RENAME: case QPC_ACT_TEMPLATE_DEFAULT: case QPC_ACT_TEMPLATE_DELETE:
	case QPC_ACT_STEP_ADD: case QPC_ACT_STEP_RETIRE: case QPC_ACT_STEP_UP: case QPC_ACT_STEP_DOWN:
	case QPC_ACT_STEP_RULE: case QPC_ACT_GOAL_MORE: case QPC_ACT_GOAL_LESS:
		return QPC_ROLE_MANAGER;
	default: /* reading, a rep's QPC lines of their own accounts, and Enter in
	          * the goals, which opens a checklist too */
		return QPC_ROLE_REP;
	}
}

bool app_may(const struct app *a, enum qpc_role need)
{
	return !a->on_server || a->role >= need;
}

bool app_writable(struct app *a, enum qpc_role need, const char *what)
{
	if (!a->readonly && !app_may(a, need)) {
		app_message(a, true, "cannot %s: that is %s %s's to do, and your login is %s %s", what,
		            need == QPC_ROLE_ADMIN ? "an" : "a", qpc_role_name(need),
		            a->role == QPC_ROLE_ADMIN ? "an" : "a", qpc_role_name(a->role));
		return false;
	}
	if (!a->readonly)
		return true;
	if (a->readonly_why && *a->readonly_why) /* the cause first: the line may be cut */
		app_message(a, true, "cannot %s: the database is read-only here: %s", what,
		            a->readonly_why);
	else
		app_message(a, true, "cannot %s: the database is read-only here (browsing only)", what);
	return false;
}

/* --- actions ------------------------------------------------------------- */

static unsigned dispatch(struct app *a, enum qpc_action act)
{
	struct view *v = app_current(a);
	if (a->help)
		return chrome_help_action(a, act);
	unsigned fx = v->ops->action ? v->ops->action(v, act) : UI_IGNORED;
	if (fx & UI_HANDLED)
		return fx;
	switch (act) {
	case QPC_ACT_HELP:
		a->help = true;
		a->help_top = 0;
		return UI_REDRAW;
	case QPC_ACT_BACK:
		if (a->depth > 1)
			app_pop(a);
		else
			a->quit = true;
		return UI_REDRAW;
	case QPC_ACT_CLOSE:
		if (a->depth > 1)
			app_pop(a);
		return UI_REDRAW;
	case QPC_ACT_QUIT:
		a->quit = true;
		return UI_QUIT;
	case QPC_ACT_VIEW_DASHBOARD:
	case QPC_ACT_VIEW_ACCOUNTS:
	case QPC_ACT_VIEW_CANDIDATES:
	case QPC_ACT_VIEW_GOALS:
		app_switch_top(a, (enum ui_top)(act - QPC_ACT_VIEW_DASHBOARD));
		return UI_REDRAW;
	case QPC_ACT_REDRAW:
		clearok(curscr, TRUE);
		return UI_REDRAW;
	case QPC_ACT_IMPORT:
		import_open(a);
		return UI_REDRAW;
	case QPC_ACT_SEARCH:
		if (!v->ops->search) {
			app_message(a, false, "nothing to search here: / searches the accounts (2)");
			return UI_REDRAW;
		}
		a->prompting = true;
		input_set(&a->prompt, "");
		search(a, UI_SEARCH_TYPE);
		return UI_REDRAW;
	case QPC_ACT_SEARCH_NEXT:
	case QPC_ACT_SEARCH_PREV:
		if (!v->ops->search)
			return UI_IGNORED;
		if (!a->last_search[0]) {
			app_message(a, false, "no search yet: / starts one");
			return UI_REDRAW;
		}
		search(a, act == QPC_ACT_SEARCH_NEXT ? UI_SEARCH_NEXT : UI_SEARCH_PREV);
		return UI_REDRAW;
	default:
		return UI_IGNORED;
	}
}

long app_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static unsigned mouse(struct qpc_tui *t)
{
	struct app *a = &t->app;
	MEVENT ev;
	if (getmouse(&ev) != OK)
		return UI_IGNORED;
	struct ui_mouse m = { ev.y, ev.x, UI_CLICK };
	if (ev.bstate & BUTTON4_PRESSED) {
		m.kind = UI_WHEEL_UP;
	} else if (ev.bstate & BUTTON5_PRESSED) {
		m.kind = UI_WHEEL_DOWN;
	} else if (ev.bstate & BUTTON1_PRESSED) {
		long ms = app_now_ms();
		if (ms - t->last_click_ms < DOUBLE_CLICK_MS && ev.y == t->last_click_y)
			m.kind = UI_DOUBLE;
		t->last_click_ms = m.kind == UI_DOUBLE ? 0 : ms;
		t->last_click_y = ev.y;
		t->last_click_x = ev.x;
		if (ev.y == 0 && !a->help) { /* the tab bar */
			for (int i = 0; i < UI_TOPS; i++)
				if (ev.x < a->tab_end[i]) {
					app_switch_top(a, (enum ui_top)i);
					break;
				}
			return UI_REDRAW;
		}
	} else {
		return UI_IGNORED;
	}
	if (a->help)
		return chrome_help_action(a, m.kind == UI_WHEEL_UP     ? QPC_ACT_MOVE_UP
		                             : m.kind == UI_WHEEL_DOWN ? QPC_ACT_MOVE_DOWN
		                                                       : QPC_ACT_HELP);
	struct view *v = app_current(a);
	return v->ops->mouse ? v->ops->mouse(v, &m) : UI_IGNORED;
}

/* --- drawing ------------------------------------------------------------- */

void app_paint(struct app *a)
{
	a->dirty = false;
	erase();
	input_cursor_place(true);
	if (LINES < UI_MIN_LINES || COLS < UI_MIN_COLS) {
		chrome_too_small(LINES, COLS);
		refresh();
		return;
	}
	struct view *v = app_current(a);
	struct ui_rect r = { 1, 0, LINES - 3, COLS };
	chrome_tabs(a, COLS);
	v->rect = r;
	v->ops->draw(v, r);
	if (a->help)
		chrome_help(a, v, r);
	chrome_status(a, v, LINES - 2, COLS);
	chrome_message(a, LINES - 1, COLS);
	input_cursor_place(false);
	refresh();
}

static bool is_esc(wint_t ch, bool is_code)
{
	return !is_code && ch == 27;
}

/* Whether a BACK would quit: a top view with nothing over it. */
static bool top_view(const struct app *a)
{
	return a->depth == 1 && !a->help;
}

unsigned app_key(struct qpc_tui *t, wint_t ch, bool is_code)
{
	struct app *a = &t->app;
	unsigned fx = UI_IGNORED;
	if (!a->prompting && !a->ask && a->message[0]) { /* a key clears the message */
		a->message[0] = '\0';
		fx = UI_REDRAW;
	}
	t->busy = true; /* a key may give the view work to do */
	if (is_code && ch == KEY_RESIZE) {
		term_prepare_reset();
		return UI_REDRAW;
	}
	if (is_code && ch == KEY_MOUSE) /* a question is modal: a click must not close what it is about */
		return fx | (a->ask ? UI_IGNORED : mouse(t));
	if (LINES < UI_MIN_LINES || COLS < UI_MIN_COLS) {
		enum qpc_action act = keymap_lookup((int)ch, is_code, QPC_IN_ALL);
		if ((act == QPC_ACT_BACK && !is_esc(ch, is_code)) || act == QPC_ACT_QUIT)
			a->quit = true;
		return fx;
	}
	if (a->ask) { /* the answer being typed, or the answer's effects */
		ask_key(a, ch, is_code);
		return UI_REDRAW;
	}
	if (a->prompting) {
		prompt_key(a, ch, is_code);
		return UI_REDRAW;
	}
	struct view *v = app_current(a);
	unsigned own = !a->help && v->ops->key ? v->ops->key(v, ch, is_code) : UI_IGNORED;
	if (own & UI_HANDLED)
		return fx | own;
	/* the help scrolls as a list whatever the view under it */
	enum qpc_action act = keymap_lookup((int)ch, is_code, v->ops->scope | (a->help ? QPC_IN_LISTS : 0));
	if (act == QPC_ACT_BACK && is_esc(ch, is_code) && top_view(a))
		app_message(a, false, "q quits"); /* an Esc too many must not end the session */
	else if (act != QPC_ACT_NONE)
		fx |= dispatch(a, act);
	return fx;
}

void qpc_tui_key(struct qpc_tui *t, int k, bool is_key_code)
{
	app_key(t, (wint_t)k, is_key_code);
	app_paint(&t->app);
}

