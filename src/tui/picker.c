/* picker.c — a list to pick one value from: the owners or the segments
 * the accounts list filters by, each with how many accounts it has, and
 * "all" first.  Enter hands the value ("" for all) to the caller; Esc
 * changes nothing. */
#include <stdlib.h>
#include <string.h>

#include "ui.h"

#define PICK_MAX 2000 /* values listed; more are a sign of a typo'd CRM field */

struct picker {
	char what[32];        /* "owner", "segment" */
	struct qpc_value_count *rows;
	int n;                /* values, "all" not counted */
	int64_t all;          /* accounts in all */
	struct listbox list;  /* over n + 1 rows: 0 is "all" */
	struct table_col cols[2];
	picker_fn done;
	void *ctx;
};

static void cell(void *ctx, int row, int col, int width, char *buf, size_t n, attr_t *attr)
{
	const struct picker *p = ctx;
	(void)width;
	(void)attr;
	if (col == 0) {
		if (row == 0)
			snprintf(buf, n, "(every %s)", p->what);
		else
			snprintf(buf, n, "%s", p->rows[row - 1].text);
	} else {
		uil_count(row == 0 ? p->all : p->rows[row - 1].n, buf, n);
	}
}

static void draw(struct view *v, struct ui_rect r)
{
	struct picker *p = v->data;
	char title[96];
	if (r.h < 3)
		return;
	snprintf(title, sizeof title, "Only one %s's accounts: which?", p->what);
	draw_text(r.y, r.x, r.w, title, TEXTCELL_LEFT, theme_attr(UC_TITLE));
	listbox_draw(&p->list, p->n + 1, (struct ui_rect){ r.y + 1, r.x, r.h - 1, r.w }, true);
}

static unsigned action(struct view *v, enum qpc_action act)
{
	struct picker *p = v->data;
	unsigned fx = listbox_action(&p->list, act);
	if (fx)
		return fx;
	if (act != QPC_ACT_OPEN)
		return UI_IGNORED;
	struct app *a = v->app;
	char value[QPC_TEXT_SHORT];
	int c = p->list.cursor;
	snprintf(value, sizeof value, "%s", c == 0 ? "" : p->rows[c - 1].text);
	picker_fn done = p->done;
	void *ctx = p->ctx;
	app_pop(a); /* frees p */
	done(a, ctx, value);
	return UI_HANDLED | UI_REDRAW;
}

static unsigned mouse(struct view *v, const struct ui_mouse *m)
{
	struct picker *p = v->data;
	if (listbox_mouse(&p->list, m) == LISTBOX_OPEN)
		return action(v, QPC_ACT_OPEN);
	return UI_HANDLED | UI_REDRAW;
}

static void status(struct view *v, char *buf, size_t n)
{
	const struct picker *p = v->data;
	snprintf(buf, n, "%d %s%s  Enter: only these  Esc: as it was", p->n, p->what,
	         p->n == 1 ? "" : "s");
}

static void close_picker(struct view *v)
{
	struct picker *p = v->data;
	free(p->rows);
	free(p);
}

static const struct view_ops picker_ops = {
	.title = "Pick",
	.scope = QPC_IN_LISTS,
	.close = close_picker,
	.draw = draw,
	.action = action,
	.mouse = mouse,
	.status = status,
};

void picker_open(struct app *a, bool owners, const char *current, picker_fn done, void *ctx)
{
	struct qpc_error e = { 0 };
	struct picker *p = calloc(1, sizeof *p);
	struct qpc_value_count *rows = malloc(PICK_MAX * sizeof *rows);
	if (!p || !rows) {
		free(p);
		free(rows);
		app_message(a, true, "out of memory");
		return;
	}
	p->rows = rows;
	enum qpc_rc rc = owners ? qpc_browse_owners(a->br, rows, PICK_MAX, &p->n, &e)
	                        : qpc_browse_segment_counts(a->br, rows, PICK_MAX, &p->n, &e);
	if (rc || qpc_browse_total(a->br, &p->all, &e)) {
		app_fail(a, &e);
		close_picker(&(struct view){ .data = p });
		return;
	}
	if (p->n == 0) {
		app_message(a, false, "no account has %s", owners ? "an owner" : "a segment");
		close_picker(&(struct view){ .data = p });
		return;
	}
	snprintf(p->what, sizeof p->what, "%s", owners ? "owner" : "segment");
	for (int i = 0; i < p->n; i++) /* on the value in force, if any */
		if (current[0] && strcmp(rows[i].text, current) == 0)
			p->list.cursor = i + 1;
	p->cols[0] = (struct table_col){ owners ? "Owner" : "Segment", { 10, 40, 3, 100 },
		                         TEXTCELL_LEFT };
	p->cols[1] = (struct table_col){ "Accounts", { 8, 10, 0, 50 }, TEXTCELL_RIGHT };
	p->list.t = (struct table){ .cols = p->cols, .ncols = 2, .sort_col = -1, .cell = cell,
		                    .ctx = p };
	p->done = done;
	p->ctx = ctx;
	app_push(a, view_new(a, &picker_ops, p));
}
