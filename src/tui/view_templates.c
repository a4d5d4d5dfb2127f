/* view_templates.c — the checklist templates, each with its steps below
 * it: N makes a new one (starting from the default template's steps and
 * their rules, the method's four experiences, since most teams adapt
 * rather than start over), r renames, a adds a step after the cursor, x
 * retires a step, K and J move it, R sets what the sales must show for it
 * (rule.h).  The store keeps every tick on steps that still exist;
 * a retired step leaves the checklists and its ticks stay in the history.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "qpc/edit.h"
#include "ui.h"

#define MAX_TEMPLATES 32
#define MAX_ROWS (MAX_TEMPLATES * 33)

struct tmpl {
	char name[96];
	bool is_default;
	int64_t candidates;
	int nsteps;
	struct {
		int position; /* 0: retired */
		char text[200];
		char rule[QPC_RULE_TEXT];
	} steps[32];
};

struct row {
	int t;    /* the template */
	int step; /* -1: the template's own row */
};

struct templates {
	struct app *app;
	struct tmpl *ts;
	int nt;
	struct row rows[MAX_ROWS];
	int n;
	struct listbox list;
	bool failed;
	struct qpc_error err;
	/* What a question is about (the view stays while it is up: questions
	 * are modal), and where the cursor goes once the list is read again. */
	struct {
		char tmpl[96];
		int position;
	} asked;
};

static const struct table_col cols[] = {
	{ "Template and steps", { 12, 60, 3, 100 }, TEXTCELL_LEFT },
	{ "In use", { 6, 14, 0, 50 }, TEXTCELL_RIGHT },
	{ "Rule", { 4, 30, 1, 40 }, TEXTCELL_LEFT },
};

static void cell(void *ctx, int row, int col, int width, char *buf, size_t n, attr_t *attr)
{
	struct templates *s = ctx;
	const struct row *r = &s->rows[row];
	const struct tmpl *t = &s->ts[r->t];
	(void)width;
	if (r->step < 0) {
		*attr = theme_attr(UC_TITLE);
		if (col == 0)
			snprintf(buf, n, "%s%s", t->name, t->is_default ? " (default)" : "");
		else if (col == 1)
			snprintf(buf, n, "%lld cand.", (long long)t->candidates);
		return;
	}
	int pos = t->steps[r->step].position;
	if (col == 0 && pos)
		snprintf(buf, n, "  %d. %s", pos, t->steps[r->step].text);
	else if (col == 0)
		snprintf(buf, n, "  -  %s", t->steps[r->step].text);
	else if (col == 1 && !pos)
		snprintf(buf, n, "retired");
	else if (col == 2)
		snprintf(buf, n, "%s", t->steps[r->step].rule);
	if (!pos)
		*attr = theme_attr(UC_DIM);
}

static int collect(const struct qpc_template *q, void *ctx)
{
	struct templates *s = ctx;
	if (s->nt == MAX_TEMPLATES)
		return 0;
	struct tmpl *t = &s->ts[s->nt++];
	memset(t, 0, sizeof *t);
	snprintf(t->name, sizeof t->name, "%s", q->name);
	t->is_default = q->is_default;
	t->candidates = q->candidates;
	for (int i = 0; i < q->nsteps && i < 32; i++) {
		t->steps[t->nsteps].position = q->steps[i].retired ? 0 : q->steps[i].position;
		snprintf(t->steps[t->nsteps].rule, sizeof t->steps[0].rule, "%s", q->steps[i].rule);
		snprintf(t->steps[t->nsteps++].text, sizeof t->steps[0].text, "%s", q->steps[i].text);
	}
	return 0;
}

/* Reads the templates again, the cursor on the template and step asked
 * about when there is one. */
static void load(struct templates *s)
{
	memset(&s->err, 0, sizeof s->err);
	s->nt = s->n = 0;
	s->failed = qpc_template_each(s->app->st, collect, s, &s->err) != QPC_OK;
	for (int t = 0; t < s->nt; t++)
		for (int k = -1; k < s->ts[t].nsteps; k++) {
			if (s->asked.tmpl[0] && strcmp(s->asked.tmpl, s->ts[t].name) == 0 &&
			    (k < 0 ? s->asked.position == 0
			           : s->asked.position > 0 && s->asked.position == s->ts[t].steps[k].position))
				s->list.cursor = s->n;
			s->rows[s->n++] = (struct row){ t, k };
		}
	s->asked.tmpl[0] = '\0';
	/* the rules' column once a step has one */
	s->list.t.ncols = 2;
	for (int t = 0; t < s->nt; t++)
		for (int k = 0; k < s->ts[t].nsteps; k++)
			if (s->ts[t].steps[k].rule[0])
				s->list.t.ncols = 3;
	if (s->list.cursor >= s->n)
		s->list.cursor = s->n > 0 ? s->n - 1 : 0;
}

static void open_view(struct view *v)
{
	load(v->data);
}

static void close_view(struct view *v)
{
	struct templates *s = v->data;
	free(s->ts);
	free(s);
}

static void draw(struct view *v, struct ui_rect r)
{
	struct templates *s = v->data;
	if (r.h < 3)
		return;
	draw_text(r.y, r.x, r.w, "Checklist templates", TEXTCELL_LEFT, theme_attr(UC_TITLE));
	listbox_draw(&s->list, s->n, (struct ui_rect){ r.y + 1, r.x, r.h - 1, r.w }, true);
	if (s->failed)
		draw_text(r.y + 3, r.x + 2, r.w - 2, s->err.msg, TEXTCELL_LEFT, theme_attr(UC_ERROR));
}

/* The keys for the row under the cursor: a template's, or a step's. */
static void status(struct view *v, char *buf, size_t n)
{
	struct templates *s = v->data;
	if (s->n > 0 && s->rows[s->list.cursor].step >= 0 &&
	    s->ts[s->rows[s->list.cursor].t].steps[s->rows[s->list.cursor].step].position)
		snprintf(buf, n, "a add  x retire  K/J move  R rule: what the sales must show");
	else
		snprintf(buf, n, "N new  r rename  * default  D delete  a add  x retire  K/J move");
}

/* After a change: everything that shows checklists reads again. */
static void changed(struct templates *s, enum qpc_rc rc, const struct qpc_error *e,
                    const char *done)
{
	struct app *a = s->app;
	if (rc) {
		app_fail(a, e);
		s->asked.tmpl[0] = '\0';
		return;
	}
	app_changed(a);
	app_message(a, false, "%s", done);
}

static void created(struct app *a, void *ctx, bool ok, const char *text)
{
	struct templates *s = ctx;
	struct qpc_error e = { 0 };
	if (!ok || !text[0])
		return;
	enum qpc_rc rc = qpc_template_copy(a->st, NULL, text, &e);
	snprintf(s->asked.tmpl, sizeof s->asked.tmpl, "%s", text);
	s->asked.position = 0;
	changed(s, rc, &e, "Template created with the default's steps");
}

static void renamed(struct app *a, void *ctx, bool ok, const char *text)
{
	struct templates *s = ctx;
	struct qpc_error e = { 0 };
	if (!ok || !text[0])
		return;
	enum qpc_rc rc = qpc_template_rename(a->st, s->asked.tmpl, text, &e);
	snprintf(s->asked.tmpl, sizeof s->asked.tmpl, "%s", text);
	changed(s, rc, &e, "Template renamed");
}

static void deleted(struct app *a, void *ctx, bool ok, const char *text)
{
	struct templates *s = ctx;
	struct qpc_error e = { 0 };
	char heir[96], done[160];
	(void)text;
	if (!ok)
		return;
	enum qpc_rc rc = qpc_template_delete(a->st, s->asked.tmpl, heir, sizeof heir, &e);
	if (heir[0])
		snprintf(done, sizeof done, "Template deleted; new candidates now get '%.100s'", heir);
	else
		snprintf(done, sizeof done, "Template deleted");
	snprintf(s->asked.tmpl, sizeof s->asked.tmpl, "%s", heir);
	s->asked.position = 0;
	changed(s, rc, &e, done);
}

static void step_added(struct app *a, void *ctx, bool ok, const char *text)
{
	struct templates *s = ctx;
	struct qpc_error e = { 0 };
	if (!ok || !text[0])
		return;
	changed(s, qpc_template_step_add(a->st, s->asked.tmpl, text, s->asked.position, &e), &e,
	        "Step added");
}

static void retired(struct app *a, void *ctx, bool ok, const char *text)
{
	struct templates *s = ctx;
	struct qpc_error e = { 0 };
	(void)text;
	if (!ok)
		return;
	int pos = s->asked.position;
	s->asked.position = 0;
	changed(s, qpc_template_step_retire(a->st, s->asked.tmpl, pos, &e), &e,
	        "Step retired: its ticks stay in the history");
}

static void ruled(struct app *a, void *ctx, bool ok, const char *text)
{
	struct templates *s = ctx;
	struct qpc_error e = { 0 };
	if (!ok)
		return;
	char word[8] = "";
	sscanf(text, " %7s", word); /* "", or "none", removes it */
	bool removed = !word[0] || (strcasecmp(word, "none") == 0 && !strchr(text, '='));
	changed(s, qpc_template_step_rule(a->st, s->asked.tmpl, s->asked.position, text, &e), &e,
	        removed ? "Rule removed" : "Rule set: the checklist shows whether the sales meet it");
}

static void move_step(struct templates *s, const struct tmpl *t, int pos, int to)
{
	struct qpc_error e = { 0 };
	int live = 0;
	for (int i = 0; i < t->nsteps; i++)
		live += t->steps[i].position > 0;
	if (to < 1 || to > live)
		return;
	snprintf(s->asked.tmpl, sizeof s->asked.tmpl, "%s", t->name);
	s->asked.position = to;
	changed(s, qpc_template_step_move(s->app->st, t->name, pos, to, &e), &e, "Step moved");
}

static unsigned edit(struct templates *s, enum qpc_action a)
{
	if (s->n == 0)
		return UI_HANDLED;
	const struct row *r = &s->rows[s->list.cursor];
	const struct tmpl *t = &s->ts[r->t];
	int pos = r->step < 0 ? 0 : t->steps[r->step].position;
	char q[160];
	struct qpc_error e = { 0 };
	snprintf(s->asked.tmpl, sizeof s->asked.tmpl, "%s", t->name);
	switch (a) {
	case QPC_ACT_TEMPLATE_RENAME:
		s->asked.position = 0;
		snprintf(q, sizeof q, "Rename '%.100s' to: ", t->name);
		app_ask_text(s->app, q, t->name, renamed, s);
		break;
	case QPC_ACT_TEMPLATE_DEFAULT:
		s->asked.position = 0;
		if (t->is_default)
			app_message(s->app, false, "'%.100s' is the default already", t->name);
		else
			changed(s, qpc_template_set_default(s->app->st, t->name, &e), &e,
			        "New candidates get this template");
		break;
	case QPC_ACT_TEMPLATE_DELETE:
		s->asked.position = 0;
		snprintf(q, sizeof q, "Delete the template '%.100s'?", t->name);
		app_ask(s->app, q, deleted, s);
		break;
	case QPC_ACT_STEP_ADD:
		/* after the step under the cursor; on the name or a retired
		 * step, at the end */
		s->asked.position = pos ? pos + 1 : 0;
		snprintf(q, sizeof q, "New step of '%.100s': ", t->name);
		app_ask_text(s->app, q, "", step_added, s);
		break;
	case QPC_ACT_STEP_RETIRE:
		if (!pos) {
			app_message(s->app, true, "put the cursor on a step to retire");
			break;
		}
		s->asked.position = pos;
		snprintf(q, sizeof q, "Retire step %d of '%.100s'? Its ticks stay in the history", pos,
		         t->name);
		app_ask(s->app, q, retired, s);
		break;
	case QPC_ACT_STEP_RULE:
		if (!pos) {
			app_message(s->app, true, "put the cursor on a step to give it a rule");
			break;
		}
		s->asked.position = pos;
		snprintf(q, sizeof q, "Rule of step %d (say categories>=3 quarters=4; empty: none): ",
		         pos);
		app_ask_text(s->app, q, t->steps[r->step].rule, ruled, s);
		break;
	case QPC_ACT_STEP_UP:
	case QPC_ACT_STEP_DOWN:
		if (pos)
			move_step(s, t, pos, a == QPC_ACT_STEP_UP ? pos - 1 : pos + 1);
		else
			app_message(s->app, true, "put the cursor on a step to move");
		break;
	default: return UI_IGNORED;
	}
	return UI_HANDLED | UI_REDRAW;
}

static unsigned action(struct view *v, enum qpc_action a)
{
	struct templates *s = v->data;
	unsigned fx = listbox_action(&s->list, a);
	if (fx)
		return fx;
	if (a == QPC_ACT_TEMPLATE_NEW) {
		if (app_writable(s->app, QPC_ROLE_MANAGER, "make a template"))
			app_ask_text(s->app, "Name of the new template: ", "", created, s);
		return UI_HANDLED | UI_REDRAW;
	}
	if (a < QPC_ACT_TEMPLATE_RENAME || a > QPC_ACT_STEP_RULE)
		return UI_IGNORED;
	if (!app_writable(s->app, QPC_ROLE_MANAGER, "change a template"))
		return UI_HANDLED | UI_REDRAW;
	return edit(s, a);
}

static unsigned mouse(struct view *v, const struct ui_mouse *m)
{
	struct templates *s = v->data;
	listbox_mouse(&s->list, m);
	return UI_HANDLED | UI_REDRAW;
}

static void reload(struct view *v)
{
	load(v->data);
}

static const struct view_ops ops = {
	.title = "Templates",
	.scope = QPC_IN_LISTS | QPC_IN_TEMPLATES,
	.open = open_view,
	.close = close_view,
	.draw = draw,
	.action = action,
	.mouse = mouse,
	.status = status,
	.reload = reload,
};

void templates_open(struct app *a)
{
	struct templates *s = calloc(1, sizeof *s);
	if (s && !(s->ts = calloc(MAX_TEMPLATES, sizeof *s->ts))) {
		free(s);
		s = NULL;
	}
	if (!s) {
		app_message(a, true, "out of memory");
		return;
	}
	s->app = a;
	s->list.t = (struct table){ .cols = cols, .ncols = 3, .sort_col = -1, .cell = cell, .ctx = s };
	app_push(a, view_new(a, &ops, s));
}
