/* view_checklist.c — one candidate's checklist: the relationship-building
 * experiences of its template, x or Enter to tick one (taking a tick back
 * asks first: it erases who ticked it and when), n for the note of a
 * tick, and beside each tick who made it, when, and the note.  A step with
 * a rule says whether the sales at the as-of date meet it ("Sales show"),
 * and the status line gives the evidence; the manager still ticks.  Space
 * pages, as in every list; l opens the account's detail.
 *
 * Ticks are rows of their own in the store, so ticking here never undoes
 * a tick someone else saved meanwhile: the view reads the list again
 * after every change (app_changed) and when another qpc writes.
 */
#include <stdlib.h>
#include <string.h>

#include "qpc/edit.h"
#include "qpc/saying.h"
#include "ui.h"

struct checklist {
	struct app *app;
	int64_t id;
	struct qpc_browse_row row;
	struct qpc_checklist cl;
	bool loaded;
	struct qpc_error err;
	struct listbox list;
	/* the columns shown: the plan's once a step has an owner or a date,
	 * the rules' once a step has one */
	struct table_col shown[8];
	int shown_id[8];
};

static const struct table_col cols[] = {
	{ "", { 3, 3, 0, 100 }, TEXTCELL_LEFT },
	{ "Experience", { 12, 44, 3, 95 }, TEXTCELL_LEFT },
	{ "By", { 4, 8, 0, 60 }, TEXTCELL_LEFT },
	{ "On", { 10, 10, 0, 50 }, TEXTCELL_LEFT },
	{ "Note", { 6, 24, 2, 40 }, TEXTCELL_LEFT },
	{ "Owner", { 5, 8, 0, 45 }, TEXTCELL_LEFT },
	{ "Due", { 10, 10, 0, 55 }, TEXTCELL_LEFT },
	{ "Sales show", { 10, 10, 0, 65 }, TEXTCELL_LEFT },
};
enum { COL_OWNER = 5, COL_DUE, COL_RULE };

static void cell(void *ctx, int row, int col, int width, char *buf, size_t n, attr_t *attr)
{
	struct checklist *s = ctx;
	const struct qpc_step *t = &s->cl.steps[row];
	(void)width;
	switch (s->shown_id[col]) {
	case 0:
		snprintf(buf, n, "%s", t->ticked ? draw_glyphs()->tick : draw_glyphs()->untick);
		*attr = t->ticked ? theme_attr(UC_GOOD) : A_NORMAL;
		break;
	case 1: snprintf(buf, n, "%d. %s", t->position, t->text); break;
	case 2: snprintf(buf, n, "%s", t->ticked ? t->ticked_by : ""); break;
	case 3: /* the day; the status bar has the time */
		snprintf(buf, n, "%.10s", t->ticked ? t->ticked_at : "");
		break;
	case 4: snprintf(buf, n, "%s", t->note); break;
	case 5: snprintf(buf, n, "%s", t->owner); break;
	case 6: /* an open step past its date stands out */
		if (t->has_due) {
			char d[QPC_DATE_ISO_LEN];
			snprintf(buf, n, "%s", qpc_date_format(t->due, d));
		}
		if (t->has_due && !t->ticked && t->due < qpc_browse_as_of(s->app->br))
			*attr = theme_attr(UC_ERROR);
		break;
	case COL_RULE:
		if (t->rule_checked) {
			snprintf(buf, n, "%s", t->rule_met ? "met" : "not met");
			*attr = t->rule_met ? theme_attr(UC_GOOD) : theme_attr(UC_DIM);
		}
		break;
	}
}

static void load(struct checklist *s)
{
	memset(&s->err, 0, sizeof s->err);
	s->loaded = qpc_browse_row(s->app->br, s->id, &s->row, &s->err) == QPC_OK &&
	            qpc_edit_checklist(s->app->st, s->id, &s->cl, &s->err) == QPC_OK;
	/* rules that cannot be checked leave the checklist to tick */
	struct qpc_error re = { 0 };
	if (s->loaded &&
	    qpc_edit_checklist_rules(s->app->st, s->id, qpc_browse_as_of(s->app->br), &s->cl, &re))
		app_message(s->app, true, "%s", re.msg);
	bool planned = false, ruled = false;
	for (int i = 0; s->loaded && i < s->cl.nsteps; i++) {
		planned |= s->cl.steps[i].owner[0] || s->cl.steps[i].has_due;
		ruled |= s->cl.steps[i].rule_checked;
	}
	int n = 0;
	for (int c = 0; c < (int)(sizeof cols / sizeof *cols); c++)
		if ((c != COL_OWNER && c != COL_DUE && c != COL_RULE) ||
		    (c == COL_RULE ? ruled : planned)) {
			s->shown_id[n] = c;
			s->shown[n++] = cols[c];
		}
	s->list.t.ncols = n;
	if (!s->loaded && s->err.code == QPC_ERR_NOTFOUND && s->row.name[0])
		snprintf(s->err.msg, sizeof s->err.msg, "%s is not a candidate (any more).", s->row.name);
}

static void open_view(struct view *v)
{
	load(v->data);
}

static void close_view(struct view *v)
{
	free(v->data);
}

static int draw_head(struct checklist *s, struct ui_rect r)
{
	const char *st = qpc_status_name(s->row.fig.status);
	int sw = (int)strlen(st);
	char title[QPC_TEXT_NAME + 32];
	snprintf(title, sizeof title, "Checklist: %s", s->row.name);
	draw_span(r.y, r.x, r.w - sw - 1, title, theme_attr(UC_TITLE));
	if (r.w > sw + 8)
		draw_text(r.y, r.x + r.w - sw, sw, st, TEXTCELL_RIGHT,
		          theme_attr(theme_status(s->row.fig.status)));
	struct form_field f[4];
	int n = 0, done = 0;
	char day[QPC_DATE_ISO_LEN];
	for (int i = 0; i < s->cl.nsteps; i++)
		done += s->cl.steps[i].ticked;
	f[n] = (struct form_field){ "Checklist", "", UC_NORMAL };
	snprintf(f[n++].value, sizeof f[0].value, "%s, %d of %d done", s->cl.template_name, done,
	         s->cl.nsteps);
	f[n] = (struct form_field){ "Nominated", "", UC_NORMAL };
	snprintf(f[n++].value, sizeof f[0].value, "%s by %s",
	         qpc_date_format(s->cl.nominated_on, day), s->cl.nominated_by);
	f[n] = (struct form_field){ "Share", "", UC_NORMAL };
	uil_share(s->row.fig.share, draw_glyphs()->ascii, f[n++].value, sizeof f[0].value);
	return 1 + form_flow(f, n, (struct ui_rect){ r.y + 1, r.x, r.h > 4 ? 2 : 1, r.w });
}

static void draw(struct view *v, struct ui_rect r)
{
	struct checklist *s = v->data;
	if (!s->loaded) {
		draw_text(r.y + 1, r.x + 1, r.w - 2, s->err.msg, TEXTCELL_LEFT, theme_attr(UC_ERROR));
		return;
	}
	int used = draw_head(s, r);
	struct ui_rect t = { r.y + used, r.x, r.h - used, r.w };
	if (t.h < 2)
		return;
	listbox_draw(&s->list, s->cl.nsteps, t, true);
	if (s->cl.nsteps == 0)
		draw_text(t.y + 2, t.x + 2, t.w - 2, "This checklist has no steps: T edits templates.",
		          TEXTCELL_LEFT, theme_attr(UC_DIM));
}

/* The step under the cursor in full, for terminals too narrow for the
 * table's columns. */
static void status(struct view *v, char *buf, size_t n)
{
	struct checklist *s = v->data;
	if (!s->loaded || s->cl.nsteps == 0) {
		snprintf(buf, n, "l: the account");
		return;
	}
	const struct qpc_step *t = &s->cl.steps[s->list.cursor];
	char when[32];
	candidacy_when(t->ticked_at, when, sizeof when);
	char rule[sizeof t->rule + sizeof t->evidence + 32] = "";
	if (t->rule_checked) /* the evidence, after what the step says */
		snprintf(rule, sizeof rule, "  rule %s: %s %s", t->rule,
		         t->rule_met ? "met." : "not met.", t->evidence);
	if (t->ticked)
		snprintf(buf, n, "%d. ticked by %s %s%s%s%s", t->position, t->ticked_by, when,
		         t->note[0] ? ": " : "", t->note, rule);
	else if (t->has_due && t->due < qpc_browse_as_of(s->app->br))
		snprintf(buf, n, "%d. OVERDUE%s%s%s", t->position, t->owner[0] ? ", for " : "", t->owner,
		         rule[0] ? rule : "  x: tick  A: owner and date");
	else
		snprintf(buf, n, "%d. not ticked%s", t->position,
		         rule[0] ? rule : "  x: tick  n: with a note  A: owner and date");
}

static void tick(struct checklist *s)
{
	struct app *a = s->app;
	if (!app_writable(a, QPC_ROLE_MANAGER, "tick a step") || s->cl.nsteps == 0)
		return;
	const struct qpc_step *t = &s->cl.steps[s->list.cursor];
	char q[160], said[200];
	say_ticked(!t->ticked, t->position, t->text, said, sizeof said); /* as `qpc tick` says */
	if (!t->ticked) {
		candidacy_tick(a, s->id, t->position, said);
		return;
	}
	snprintf(q, sizeof q, "Untick %d. %.70s for %.60s?", t->position, t->text, s->row.name);
	candidacy_untick_ask(a, s->id, t->position, q, said);
}

/* The step a note question is about. */
struct note_on {
	int64_t id;
	int position;
};

static void noted(struct app *a, void *ctx, bool ok, const char *text)
{
	const struct note_on *on = ctx;
	struct qpc_error e = { 0 };
	if (!ok)
		return;
	int position = on->position;
	if (qpc_edit_tick(a->st, on->id, position, NULL, text, &e)) {
		app_fail(a, &e);
		return;
	}
	app_changed(a);
	app_message(a, false, "Noted on step %d", position);
}

static void note(struct checklist *s)
{
	if (!app_writable(s->app, QPC_ROLE_MANAGER, "write a note") || s->cl.nsteps == 0)
		return;
	const struct qpc_step *t = &s->cl.steps[s->list.cursor];
	char q[64];
	struct note_on on = { s->id, t->position };
	snprintf(q, sizeof q, "Note on step %d: ", t->position);
	app_ask_text_about(s->app, q, t->note, noted, on);
}

static unsigned action(struct view *v, enum qpc_action a)
{
	struct checklist *s = v->data;
	unsigned fx = candidacy_action(s->app, a, s->id);
	if (fx)
		return fx;
	if ((fx = listbox_action(&s->list, a)))
		return fx;
	switch (a) {
	case QPC_ACT_OPEN: detail_open(s->app, s->id); break;
	case QPC_ACT_TICK:
		if (s->loaded)
			tick(s);
		break;
	case QPC_ACT_NOTE:
		if (s->loaded)
			note(s);
		break;
	case QPC_ACT_STEP_ASSIGN:
		if (s->loaded && s->cl.nsteps > 0)
			candidacy_assign(s->app, s->id, &s->cl.steps[s->list.cursor]);
		break;
	default: return UI_IGNORED;
	}
	return UI_HANDLED | UI_REDRAW;
}

static unsigned mouse(struct view *v, const struct ui_mouse *m)
{
	struct checklist *s = v->data;
	listbox_mouse(&s->list, m);
	return UI_HANDLED | UI_REDRAW;
}

static void reload(struct view *v)
{
	load(v->data);
}

static const struct view_ops ops = {
	.title = "Checklist",
	.scope = QPC_IN_LISTS | QPC_IN_CHECKLIST | QPC_IN_ACCOUNT,
	.open = open_view,
	.close = close_view,
	.draw = draw,
	.action = action,
	.mouse = mouse,
	.status = status,
	.reload = reload,
};

void checklist_open(struct app *a, int64_t account_id)
{
	struct checklist *s = calloc(1, sizeof *s);
	if (!s) {
		app_message(a, true, "out of memory");
		return;
	}
	s->app = a;
	s->id = account_id;
	s->list.t = (struct table){ .cols = s->shown, .ncols = 0, .sort_col = -1, .cell = cell, .ctx = s };
	app_push(a, view_new(a, &ops, s));
}
