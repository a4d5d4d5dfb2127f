/* run.c — the event loop, and starting and ending the dashboard.
 *
 * Between keys the current view finishes background work a bounded step
 * at a time (timeout 0 while it has some; every few milliseconds while it
 * waits on a thread), and once a second the loop asks whether another qpc
 * changed the database and whether the day changed: a dashboard opened
 * without a date of its own follows today.  Once the keys have stopped
 * for QUIET_MS, the browse does its own work (on a team server, the
 * indexes of its copy no read has needed yet), looked at every few
 * milliseconds; a key cancels the step under way unless it needs what
 * that step makes.  Keys are read with get_wch;
 * an escape sequence curses does not know for this terminal is decoded
 * here rather than taken for a lone Esc.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "qpc/tui.h"
#include "qpc/edit.h"
#include "ui.h"

#define TICK_MS 1000
#define WAIT_MS 20 /* how often a view waiting on a thread is asked */
#define QUIET_MS 300 /* keys this far apart leave the browse to its work */

static bool work(struct qpc_tui *t)
{
	struct view *v = app_current(&t->app);
	t->busy = v->ops->work && v->ops->work(v);
	return t->busy;
}

static bool waiting(struct qpc_tui *t)
{
	struct view *v = app_current(&t->app);
	return v->ops->waiting && v->ops->waiting(v);
}

int qpc_tui_settle(struct qpc_tui *t)
{
	int steps = 0;
	for (;;) {
		if (work(t)) {
			app_paint(&t->app);
			steps++;
		} else if (waiting(t)) {
			napms(WAIT_MS / 4);
		} else {
			break;
		}
	}
	app_paint(&t->app);
	return steps;
}

/* The day changed under a dashboard that follows today: the figures move
 * to the new day, every view reloads, and the message line says so.
 * Once a move failed, that day is not tried again. */
static bool new_day(struct app *a)
{
	if (!a->follow_today)
		return false;
	qpc_date today = qpc_date_from_unix(qpc_store_now(a->st));
	if (today == qpc_browse_as_of(a->br) || today == a->day_failed)
		return false;
	char day[QPC_DATE_ISO_LEN], was[QPC_DATE_ISO_LEN];
	qpc_date_format(today, day);
	qpc_date_format(qpc_browse_as_of(a->br), was);
	struct qpc_error e = { 0 };
	struct qpc_browse *br;
	if (qpc_store_refresh(a->st, today, &e) || qpc_browse_open(a->st, today, &br, &e)) {
		struct qpc_error back = { 0 };
		a->day_failed = today;
		app_message(a, true, "a new day, %s, but the figures stay as of %s: %s", day, was,
		            e.msg[0] ? e.msg : "something failed");
		/* back to the date shown, as far as can be; read it again */
		qpc_store_refresh(a->st, qpc_browse_as_of(a->br), &back);
		app_changed(a);
		return true;
	}
	qpc_browse_close(a->br);
	a->br = br;
	app_changed(a);
	app_message(a, false, "A new day: the figures are now as of %s", day);
	return true;
}

/* Another qpc wrote, or the day changed: every view reloads, and may have
 * work to do again (a count, a fetch) before the next key. */
static bool tick(struct app *a)
{
	struct qpc_error e = { 0 };
	bool changed = false;
	if (qpc_browse_changed(a->br, &changed, &e) != QPC_OK)
		app_fail(a, &e);
	else if (changed)
		app_changed(a);
	return new_day(a) || changed;
}

qpc_date qpc_tui_as_of(const struct qpc_tui *t)
{
	return qpc_browse_as_of(t->app.br);
}

bool qpc_tui_poll(struct qpc_tui *t)
{
	bool changed = tick(&t->app);
	t->busy |= changed;
	t->behind |= changed;
	return changed;
}

bool qpc_tui_idle(struct qpc_tui *t)
{
	t->behind = qpc_browse_background(t->app.br);
	return t->behind;
}

/* After an Esc: a lone Esc, or the rest of a sequence curses did not
 * know (read at once, since it arrives with the Esc); never both. */
static int read_key(wint_t *ch)
{
	int r = get_wch(ch);
	if (r != OK || *ch != 27)
		return r;
	char seq[16];
	size_t n = 0;
	wint_t c;
	timeout(0);
	while (n + 1 < sizeof seq && get_wch(&c) == OK) {
		if (n == 0 && c != '[' && c != 'O') {
			unget_wch((wchar_t)c); /* Esc, then a key typed at once */
			break;
		}
		seq[n++] = (char)(c < 128 ? c : '?');
		if (n >= 2 && c >= 0x40 && c <= 0x7e)
			break; /* the final byte of a CSI or SS3 sequence */
	}
	seq[n] = '\0';
	if (n == 0)
		return OK; /* a lone Esc */
	int key = keymap_escape(seq);
	*ch = key ? (wint_t)key : 0;
	return key ? KEY_CODE_YES : ERR;
}

/* Paints only when something asked: a handler's UI_REDRAW, a step of
 * work (or a thread waited on), another qpc's commit or a new day, or
 * whatever set app.dirty (a message, the view stack, a reload).  An idle
 * second, or a key that does nothing, draws nothing. */
static int loop(struct qpc_tui *t)
{
	struct app *a = &t->app;
	long last_tick = app_now_ms(), last_key = last_tick;
	while (!a->quit && !term_caught()) {
		wint_t ch;
		bool wait = !t->busy && waiting(t), paint = false;
		/* till the next question, and till the browse's turn */
		long now = app_now_ms(), tick_in = TICK_MS - (now - last_tick),
		     quiet = QUIET_MS - (now - last_key);
		long ms = wait ? WAIT_MS : t->behind ? (quiet > WAIT_MS ? quiet : WAIT_MS) : TICK_MS;
		timeout(t->busy ? 0 : (int)(ms < tick_in ? ms : tick_in > 0 ? tick_in : 0));
		int r = read_key(&ch);
		if (term_caught())
			break;
		if (r == ERR) {
			if (term_gone())
				break;
			if (t->busy || wait) { /* a step, or a look at the thread: shown */
				work(t);
				paint = true;
				t->behind = true; /* what it read may have asked for more */
			} else if (t->behind && app_now_ms() - last_key >= QUIET_MS) {
				qpc_tui_idle(t); /* nothing to show */
			}
			if (app_now_ms() - last_tick >= TICK_MS) {
				last_tick = app_now_ms();
				paint |= qpc_tui_poll(t);
			}
		} else {
			last_key = app_now_ms();
			t->behind = true;
			paint = (app_key(t, ch, r == KEY_CODE_YES) & UI_REDRAW) != 0;
		}
		if (!a->quit && (paint || a->dirty))
			app_paint(a);
	}
	return term_caught();
}

/* --- the loop ------------------------------------------------------------ */

/* --- start and end ------------------------------------------------------- */

/* The user's own planned steps, first thing: how many are due within a
 * week, how many overdue, and the earliest (qpc tasks --owner). */
struct due {
	qpc_date as_of;
	int soon, late;
	char first[160];
};

static int count_due(const struct qpc_task *k, void *ctx)
{
	struct due *d = ctx;
	if (!k->has_due || k->due > d->as_of + 7)
		return 1; /* the earliest first: none further is due this week */
	if (!d->soon++)
		snprintf(d->first, sizeof d->first, "%.80s, step %d", k->account, k->position);
	d->late += k->due < d->as_of;
	return 0;
}

static void say_due(struct app *a, qpc_date as_of)
{
	struct due d = { .as_of = as_of };
	struct qpc_error e = { 0 };
	if (!a->user[0] || qpc_edit_tasks(a->st, a->user, 0, count_due, &d, &e) || !d.soon)
		return;
	char late[32] = "";
	if (d.late)
		snprintf(late, sizeof late, ", %d overdue", d.late);
	app_message(a, d.late > 0, "Your steps due this week: %d%s; first %s (3 then b: the board)",
	            d.soon, late, d.first);
}

static int own_owner(const struct qpc_user_row *u, void *ctx)
{
	struct app *a = ctx;
	if (strcmp(u->login, a->user) != 0)
		return 0;
	snprintf(a->owner, sizeof a->owner, "%s", u->owner);
	return 1;
}

/* On a team server the user is the login, and "mine" the owner name an
 * admin gave it (qpc user add --owner). */
static enum qpc_rc server_user(struct app *a, struct qpc_error *e)
{
	snprintf(a->user, sizeof a->user, "%s", qpc_store_user(a->st));
	a->owner[0] = '\0';
	a->on_server = true;
	return qpc_store_users_each(a->st, own_owner, a, e);
}

/* The first screen's wait, told as it goes: the figures of every account
 * are computed before it, some seconds at a million accounts. */
struct opening {
	char day[QPC_DATE_ISO_LEN];
	int shown; /* the percentage on the screen, -1: none yet */
};

static void opening_said(void *ctx, uint64_t done, uint64_t total)
{
	struct opening *op = ctx;
	int pct = total && done < total ? (int)(done * 100 / total) : 100;
	if (pct == op->shown)
		return;
	op->shown = pct;
	/* (what follows them: the indexes they are sorted by) */
	mvprintw(0, 0, "qpc: computing the figures as of %s: %d%%%s", op->day, pct,
	         pct == 100 ? ", sorting them..." : "");
	clrtoeol();
	refresh();
}

static enum qpc_rc start(struct qpc_tui *t, struct qpc_store *st, const struct qpc_tui_options *o,
                         FILE *out, FILE *in, const char *type, struct qpc_error *e)
{
	struct app *a = &t->app;
	struct qpc_settings set;
	enum qpc_rc rc = qpc_store_settings(st, &set, e);
	if (rc)
		return rc;
	a->st = st;
	a->minor_units = set.minor_units;
	memcpy(a->currency, set.currency, sizeof a->currency);
	snprintf(a->user, sizeof a->user, "%s", o->user ? o->user : "");
	snprintf(a->owner, sizeof a->owner, "%s", a->user);
	if (qpc_store_role(st, &a->role) && (rc = server_user(a, e)))
		return rc;
	if ((rc = term_start(out, in, type, e)))
		return rc;
	struct opening op = { .shown = -1 };
	mvprintw(0, 0, "qpc: computing the figures as of %s...", qpc_date_format(o->as_of, op.day));
	refresh();
	qpc_store_on_progress(st, opening_said, &op);
	/* A read-only database keeps its figures as of the day they were
	 * computed: browse them as of that day, and say so.  So does one that
	 * cannot be written now (a full disk, a lock held too long): the
	 * refresh left it as it was, and saves will say why they fail. */
	qpc_date as_of = o->as_of, figures;
	struct qpc_error why = { 0 };
	if ((rc = qpc_store_refresh(st, o->as_of, &why))) {
		if (!qpc_store_keep_figures(st, rc)) {
			qpc_store_on_progress(st, NULL, NULL);
			term_stop();
			return qpc_error_set(e, rc, "%s", why.msg);
		}
		a->figures_kept = true;
	}
	if ((qpc_store_readonly(st) || a->figures_kept) && qpc_store_figures_date(st, &figures)) {
		as_of = figures;
		qpc_date_format(as_of, op.day);
	}
	rc = qpc_browse_open(st, as_of, &a->br, e);
	qpc_store_on_progress(st, NULL, NULL);
	if (rc) {
		term_stop();
		return rc;
	}
	a->readonly = qpc_store_readonly(st); /* the status bar says so */
	a->readonly_why = qpc_store_readonly_why(st);
	a->follow_today = !o->as_of_chosen && !a->figures_kept &&
	                  as_of == qpc_date_from_unix(qpc_store_now(st));
	a->depth = 1;
	app_switch_top(a, UI_ACCOUNTS);
	if (!a->tops[UI_ACCOUNTS]) {
		qpc_browse_close(a->br);
		term_stop();
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	}
	if (a->figures_kept) /* why: "bringing the figures to ...: the disk ... is full" */
		app_fail(a, &why);
	else
		say_due(a, as_of);
	/* the keys the user rebound; a line that cannot be read is said, the
	 * others kept */
	char config[PATH_MAX], said[400];
	if (keymap_config_path(config, sizeof config) && keymap_load(config, said, sizeof said))
		app_message(a, true, "%s", said);
	app_paint(a);
	t->busy = t->behind = true;
	return QPC_OK;
}

enum qpc_rc qpc_tui_open(struct qpc_store *st, const struct qpc_tui_options *o, FILE *out,
                         FILE *in, const char *type, struct qpc_tui **out_t, struct qpc_error *e)
{
	struct qpc_tui *t = calloc(1, sizeof *t);
	*out_t = NULL;
	if (!t)
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	enum qpc_rc rc = start(t, st, o, out, in, type, e);
	if (rc) {
		free(t);
		return rc;
	}
	*out_t = t;
	return QPC_OK;
}

void qpc_tui_row(struct qpc_tui *t, int y, char *buf, size_t n)
{
	(void)t;
	size_t pos = 0;
	for (int x = 0; x < COLS && pos + 8 < n; x++) {
		cchar_t cc;
		wchar_t wc[CCHARW_MAX + 1];
		attr_t at;
		short pair;
		if (mvin_wch(y, x, &cc) == ERR || getcchar(&cc, wc, &at, &pair, NULL) == ERR)
			break;
		mbstate_t ps;
		memset(&ps, 0, sizeof ps);
		for (int i = 0; wc[i] && pos + MB_LEN_MAX < n; i++) {
			size_t k = wcrtomb(buf + pos, wc[i], &ps);
			if (k != (size_t)-1)
				pos += k;
		}
	}
	buf[pos] = '\0';
}

void qpc_tui_close(struct qpc_tui *t)
{
	if (!t)
		return;
	struct app *a = &t->app;
	while (a->depth > 1)
		app_pop(a);
	for (int i = 0; i < UI_TOPS; i++)
		view_free(a->tops[i]);
	qpc_browse_close(a->br);
	term_stop();
	free(t);
}

enum qpc_rc qpc_tui_run(struct qpc_store *st, const struct qpc_tui_options *o, int *signal,
                        struct qpc_error *e)
{
	struct qpc_tui *t;
	*signal = 0;
	enum qpc_rc rc = qpc_tui_open(st, o, stdout, stdin, NULL, &t, e);
	if (rc)
		return rc;
	*signal = loop(t);
	qpc_tui_close(t);
	return QPC_OK;
}
