/* candidacy.c — nominating and dropping candidates, from any view where
 * an account is selected: the accounts list, account detail, the
 * candidates list, suggestions, a checklist and the board.
 *
 * Nominating asks which checklist template when there are several (a
 * small list, the default first), then asks to confirm; dropping asks
 * why, and a reason is required, as on the command line.  Ticking a step
 * of a checklist (the checklist's view and the board) is done at once,
 * taking a tick back only after a yes.
 */
#include <stdlib.h>
#include <string.h>

#include "qpc/edit.h"
#include "qpc/saying.h"
#include "qpc/typed.h"
#include "ui.h"

#define MAX_TEMPLATES 64

struct choice {
	char name[96];
	bool is_default;
	int steps;
};

/* The account a nomination or a drop is about, and the checklist. */
struct subject {
	int64_t id;
	char name[QPC_TEXT_NAME];
	char tmpl[96];
};

void candidacy_when(const char *at, char *buf, size_t n)
{
	/* the stored time is UTC ISO 8601: show day and minute */
	snprintf(buf, n, "%.16s", at);
	if (strlen(buf) > 10 && buf[10] == 'T')
		buf[10] = ' ';
}

/* --- nominate ------------------------------------------------------------ */

static void nominated(struct app *a, void *ctx, bool ok, const char *text)
{
	const struct subject *pending = ctx;
	(void)text;
	if (!ok) {
		app_message(a, false, "not nominated");
		return;
	}
	struct qpc_error e = { 0 };
	int64_t tid;
	if (qpc_store_template_find(a->st, pending->tmpl, &tid, &e) ||
	    qpc_store_candidate_add(a->st, pending->id, tid, qpc_browse_as_of(a->br), &e)) {
		app_fail(a, &e);
		return;
	}
	app_changed(a);
	char said[512];
	app_message(a, false, "%s", say_nominated(pending->name, pending->tmpl, said, sizeof said));
}

static void confirm(struct app *a, struct subject s, const char *tmpl)
{
	char q[160];
	snprintf(s.tmpl, sizeof s.tmpl, "%s", tmpl);
	snprintf(q, sizeof q, "Nominate %.70s (checklist '%.60s')?", s.name, tmpl);
	app_ask_about(a, q, nominated, s);
}

struct templates {
	struct choice rows[MAX_TEMPLATES];
	int n;
};

static int collect(const struct qpc_template *t, void *ctx)
{
	struct templates *ts = ctx;
	if (ts->n == MAX_TEMPLATES)
		return 0;
	struct choice *c = &ts->rows[ts->n++];
	snprintf(c->name, sizeof c->name, "%s", t->name);
	c->is_default = t->is_default;
	for (int i = 0; i < t->nsteps; i++)
		c->steps += !t->steps[i].retired;
	if (c->is_default && ts->n > 1) { /* the default first */
		struct choice d = *c;
		memmove(&ts->rows[1], &ts->rows[0], (size_t)(ts->n - 1) * sizeof d);
		ts->rows[0] = d;
	}
	return 0;
}

/* The chooser: a list of templates, Enter picks one. */
struct chooser {
	struct subject who;
	struct templates ts;
	struct listbox list;
};

static const struct table_col choice_cols[] = {
	{ "Checklist", { 10, 40, 3, 100 }, TEXTCELL_LEFT },
	{ "Steps", { 5, 5, 0, 50 }, TEXTCELL_RIGHT },
};

static void choice_cell(void *ctx, int row, int col, int width, char *buf, size_t n, attr_t *attr)
{
	const struct chooser *c = ctx;
	const struct choice *t = &c->ts.rows[row];
	(void)width;
	(void)attr;
	if (col == 0)
		snprintf(buf, n, "%s%s", t->name, t->is_default ? " (default)" : "");
	else
		snprintf(buf, n, "%d", t->steps);
}

static void chooser_draw(struct view *v, struct ui_rect r)
{
	struct chooser *c = v->data;
	char title[256];
	if (r.h < 3)
		return;
	snprintf(title, sizeof title, "Nominate %s: which checklist?", c->who.name);
	draw_text(r.y, r.x, r.w, title, TEXTCELL_LEFT, theme_attr(UC_TITLE));
	listbox_draw(&c->list, c->ts.n, (struct ui_rect){ r.y + 1, r.x, r.h - 1, r.w }, true);
}

static unsigned chooser_action(struct view *v, enum qpc_action act)
{
	struct chooser *c = v->data;
	unsigned fx = listbox_action(&c->list, act);
	if (fx)
		return fx;
	if (act != QPC_ACT_OPEN)
		return UI_IGNORED;
	struct app *a = v->app;
	char tmpl[96];
	struct subject who = c->who;
	snprintf(tmpl, sizeof tmpl, "%s", c->ts.rows[c->list.cursor].name);
	app_pop(a); /* frees c */
	confirm(a, who, tmpl);
	return UI_HANDLED | UI_REDRAW;
}

static unsigned chooser_mouse(struct view *v, const struct ui_mouse *m)
{
	struct chooser *c = v->data;
	if (listbox_mouse(&c->list, m) == LISTBOX_OPEN)
		return chooser_action(v, QPC_ACT_OPEN);
	return UI_HANDLED | UI_REDRAW;
}

static void chooser_status(struct view *v, char *buf, size_t n)
{
	(void)v;
	snprintf(buf, n, "Enter: nominate with this checklist  Esc: cancel");
}

static void chooser_close(struct view *v)
{
	free(v->data);
}

static const struct view_ops chooser_ops = {
	.title = "Checklist",
	.scope = QPC_IN_LISTS,
	.close = chooser_close,
	.draw = chooser_draw,
	.action = chooser_action,
	.mouse = chooser_mouse,
	.status = chooser_status,
};

static void nominate(struct app *a, int64_t id)
{
	struct qpc_browse_row row;
	struct qpc_error e = { 0 };
	if (!app_writable(a, QPC_ROLE_MANAGER, "nominate a candidate"))
		return;
	if (qpc_browse_row(a->br, id, &row, &e)) {
		app_fail(a, &e);
		return;
	}
	if (row.fig.status == QPC_CANDIDATE || row.fig.status == QPC_PARTNER) {
		app_message(a, true, "%s is already a %s", row.name,
		            row.fig.status == QPC_PARTNER ? "partner" : "candidate");
		return;
	}
	struct chooser *c = calloc(1, sizeof *c);
	if (!c) {
		app_message(a, true, "out of memory");
		return;
	}
	if (qpc_template_each(a->st, collect, &c->ts, &e) || c->ts.n == 0) {
		free(c);
		if (e.msg[0])
			app_fail(a, &e);
		else
			app_message(a, true, "no checklist template: T in the candidates list makes one");
		return;
	}
	c->who.id = id;
	snprintf(c->who.name, sizeof c->who.name, "%s", row.name);
	if (c->ts.n == 1) { /* nothing to choose */
		confirm(a, c->who, c->ts.rows[0].name);
		free(c);
		return;
	}
	c->list.t = (struct table){ .cols = choice_cols, .ncols = 2, .sort_col = -1,
		                    .cell = choice_cell, .ctx = c };
	app_push(a, view_new(a, &chooser_ops, c));
}

/* --- ticks --------------------------------------------------------------- */

/* The tick a question is about (the view that asked may be gone by the
 * answer: the question keeps its copy). */
struct untick {
	int64_t id;
	int position;
	char said[200];
};

void candidacy_tick(struct app *a, int64_t account_id, int position, const char *said)
{
	struct qpc_error e = { 0 };
	char msg[200]; /* app_changed reloads what `said` may point into */
	snprintf(msg, sizeof msg, "%s", said);
	if (qpc_edit_tick(a->st, account_id, position, NULL, NULL, &e)) {
		app_fail(a, &e);
		return;
	}
	app_changed(a);
	app_message(a, false, "%s", msg);
}

static void unticked(struct app *a, void *ctx, bool ok, const char *answer)
{
	struct qpc_error e = { 0 };
	const struct untick *untick = ctx;
	(void)answer;
	if (!ok) {
		app_message(a, false, "still ticked");
		return;
	}
	if (qpc_edit_untick(a->st, untick->id, untick->position, NULL, &e)) {
		app_fail(a, &e);
		return;
	}
	char said[sizeof untick->said]; /* app_changed may ask no more, but be sure */
	snprintf(said, sizeof said, "%s", untick->said);
	app_changed(a);
	app_message(a, false, "%s", said);
}

void candidacy_untick_ask(struct app *a, int64_t account_id, int position, const char *question,
                          const char *said)
{
	struct untick u = { account_id, position, "" };
	snprintf(u.said, sizeof u.said, "%s", said);
	app_ask_about(a, question, unticked, u);
}

/* --- a step's owner and due date ----------------------------------------- */

/* What the two questions are about, and the first answer. */
struct assign {
	int64_t id;
	int position;
	char owner[64];
	char due[QPC_DATE_ISO_LEN];
};

static void due_answered(struct app *a, void *ctx, bool ok, const char *text)
{
	const struct assign *w = ctx;
	if (!ok) {
		app_message(a, false, "step %d left as it was", w->position);
		return;
	}
	while (*text == ' ')
		text++;
	struct qpc_step_plan p = { .set_owner = true, .owner = w->owner, .set_due = true };
	const char *why = NULL;
	if (*text && !(p.has_due = typed_date(text, qpc_browse_as_of(a->br), &p.due, &why))) {
		app_message(a, true, "due '%.20s'? %s (a date is YYYY-MM-DD; empty for none)", text,
		            why ? why : "not a date");
		return;
	}
	struct qpc_error e = { 0 };
	int position = w->position;
	char who[64];
	snprintf(who, sizeof who, "%s", w->owner);
	if (qpc_edit_step_assign(a->st, w->id, position, NULL, &p, &e)) {
		app_fail(a, &e);
		return;
	}
	app_changed(a);
	char d[QPC_DATE_ISO_LEN];
	app_message(a, false, "Step %d: %s, %s%s", position, who[0] ? who : "nobody",
	            p.has_due ? "due " : "no due date", p.has_due ? qpc_date_format(p.due, d) : "");
}

static void owner_answered(struct app *a, void *ctx, bool ok, const char *text)
{
	struct assign w = *(const struct assign *)ctx;
	if (!ok) {
		app_message(a, false, "step %d left as it was", w.position);
		return;
	}
	while (*text == ' ')
		text++;
	snprintf(w.owner, sizeof w.owner, "%s", text);
	size_t len = strlen(w.owner);
	while (len > 0 && w.owner[len - 1] == ' ')
		w.owner[--len] = '\0';
	char q[80];
	snprintf(q, sizeof q, "Step %d due on (YYYY-MM-DD, empty: none): ", w.position);
	app_ask_text_about(a, q, w.due, due_answered, w);
}

void candidacy_assign(struct app *a, int64_t account_id, const struct qpc_step *t)
{
	if (!app_writable(a, QPC_ROLE_MANAGER, "plan a step"))
		return;
	struct assign w = { account_id, t->position, "", "" };
	snprintf(w.owner, sizeof w.owner, "%s", t->owner);
	if (t->has_due)
		qpc_date_format(t->due, w.due);
	char q[80];
	snprintf(q, sizeof q, "Who is to do step %d (empty: nobody)? ", t->position);
	app_ask_text_about(a, q, w.owner, owner_answered, w);
}

/* --- drop ---------------------------------------------------------------- */

static void dropped(struct app *a, void *ctx, bool ok, const char *text)
{
	const struct subject *pending = ctx;
	struct qpc_error e = { 0 };
	if (!ok) {
		app_message(a, false, "not dropped");
		return;
	}
	size_t skip = strspn(text, " ");
	if (!text[skip]) {
		app_message(a, true, "a reason is required: %s is still a candidate", pending->name);
		return;
	}
	if (qpc_edit_candidate_drop(a->st, pending->id, text + skip, qpc_browse_as_of(a->br), &e)) {
		if (e.code == QPC_ERR_NOTFOUND) /* a partner that never was one */
			app_message(a, true, "%s is not a candidate", pending->name);
		else
			app_fail(a, &e);
		return;
	}
	app_changed(a);
	char said[256];
	app_message(a, false, "%s", say_dropped(pending->name, said, sizeof said));
}

/* Whether the account has an active candidacy: its status alone does not
 * say, since a partner may or may not have been one. */
static bool is_candidate(struct app *a, int64_t id, struct qpc_error *e)
{
	struct qpc_checklist *cl = malloc(sizeof *cl);
	if (!cl) {
		qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
		return false;
	}
	bool yes = qpc_edit_checklist(a->st, id, cl, e) == QPC_OK;
	free(cl);
	if (!yes && e->code == QPC_ERR_NOTFOUND)
		memset(e, 0, sizeof *e);
	return yes;
}

static void drop(struct app *a, int64_t id)
{
	struct qpc_browse_row row;
	struct qpc_error e = { 0 };
	if (!app_writable(a, QPC_ROLE_MANAGER, "drop a candidate"))
		return;
	if (qpc_browse_row(a->br, id, &row, &e)) {
		app_fail(a, &e);
		return;
	}
	/* said before asking why: a reason for nothing is a wasted answer */
	if (!is_candidate(a, id, &e)) {
		if (e.msg[0])
			app_fail(a, &e);
		else
			app_message(a, true, "%s is not a candidate", row.name);
		return;
	}
	struct subject who = { .id = id };
	snprintf(who.name, sizeof who.name, "%s", row.name);
	char q[200];
	snprintf(q, sizeof q, "Why drop %.120s? ", row.name);
	app_ask_text_about(a, q, "", dropped, who);
}

unsigned candidacy_action(struct app *a, enum qpc_action act, int64_t account_id)
{
	if (act == QPC_ACT_CONTRACT) /* C, as e, works wherever an account is selected */
		return contract_action(a, act, account_id);
	if (act == QPC_ACT_RATE) /* and R */
		return rate_action(a, account_id);
	if (act != QPC_ACT_NOMINATE && act != QPC_ACT_DROP && act != QPC_ACT_EDIT_QPC)
		return UI_IGNORED;
	if (!account_id)
		return UI_HANDLED | UI_REDRAW;
	if (act == QPC_ACT_NOMINATE)
		nominate(a, account_id);
	else if (act == QPC_ACT_DROP)
		drop(a, account_id);
	else /* e works wherever an account is selected, here too */
		editor_open(a, account_id);
	return UI_HANDLED | UI_REDRAW;
}
