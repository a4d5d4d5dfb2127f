/* view_suggest.c — suggested candidates: the accounts a concerted effort
 * most likely makes partners, best first, each with the reason it is
 * suggested (the ranking rule is qpc_browse_suggestions', in browse.h
 * and the manual).  c nominates the one under the cursor, which then
 * leaves the list; Enter opens the account. */
#include <stdlib.h>
#include <string.h>

#include "ui.h"

#define SUGGEST_MAX 100

struct suggest {
	struct app *app;
	struct qpc_suggestion rows[SUGGEST_MAX];
	int n, cursor, top;
	bool failed;
	struct qpc_error err;
	struct table table;
	struct ui_rect area;
};

static const struct table_col cols[] = {
	{ "Name", { 10, 28, 3, 100 }, TEXTCELL_LEFT },
	{ "Owner", { 5, 8, 1, 40 }, TEXTCELL_LEFT },
	{ "Why", { 16, 34, 2, 90 }, TEXTCELL_LEFT },
	{ "Score", { 5, 5, 0, 30 }, TEXTCELL_RIGHT },
};

static void reason(const struct suggest *s, const struct qpc_suggestion *g, char *buf, size_t n)
{
	bool ascii = draw_glyphs()->ascii;
	char share[32], qpc[32], trend[32] = "";
	uil_share(g->row.fig.share, ascii, share, sizeof share);
	uil_money(true, g->row.fig.qpc, s->app->minor_units, 6, ascii, qpc, sizeof qpc);
	if (g->has_trend)
		snprintf(trend, sizeof trend, ", sales %+d%%", g->trend_pct);
	snprintf(buf, n, "share %s, QPC %s%s", share, qpc, trend);
}

static void cell(void *ctx, int row, int col, int width, char *buf, size_t n, attr_t *attr)
{
	struct suggest *s = ctx;
	const struct qpc_suggestion *g = &s->rows[row];
	(void)width;
	(void)attr;
	switch (col) {
	case 0: snprintf(buf, n, "%s", g->row.name); break;
	case 1: snprintf(buf, n, "%s", g->row.owner); break;
	case 2: reason(s, g, buf, n); break;
	case 3: snprintf(buf, n, "%d", g->score); break;
	}
}

static void load(struct suggest *s)
{
	memset(&s->err, 0, sizeof s->err);
	s->failed = qpc_browse_suggestions(s->app->br, s->rows, SUGGEST_MAX, &s->n, &s->err) != QPC_OK;
	if (s->cursor >= s->n)
		s->cursor = s->n > 0 ? s->n - 1 : 0;
}

static void open_view(struct view *v)
{
	load(v->data);
}

static void close_view(struct view *v)
{
	free(v->data);
}

static void draw(struct view *v, struct ui_rect r)
{
	struct suggest *s = v->data;
	if (r.h < 3)
		return;
	draw_text(r.y, r.x, r.w, "Suggested candidates: likeliest partners first", TEXTCELL_LEFT,
	          theme_attr(UC_TITLE));
	s->area = (struct ui_rect){ r.y + 1, r.x, r.h - 1, r.w };
	s->top = uil_scroll(s->cursor, s->top, r.h - 2, s->n, 0);
	s->table.nrows = s->n;
	s->table.cursor = s->cursor;
	s->table.top = s->top;
	s->table.focused = true;
	table_draw(&s->table, s->area);
	if (s->n == 0)
		draw_text(r.y + 3, r.x + 2, r.w - 2,
		          s->failed ? s->err.msg
		                    : "None: no customer with a share from 40% to the threshold.",
		          TEXTCELL_LEFT, theme_attr(s->failed ? UC_ERROR : UC_DIM));
}

static void status(struct view *v, char *buf, size_t n)
{
	struct suggest *s = v->data;
	if (s->n == 0) {
		snprintf(buf, n, "0 suggestions");
		return;
	}
	char why[128];
	reason(s, &s->rows[s->cursor], why, sizeof why);
	snprintf(buf, n, "%d/%d %s  c: nominate", s->cursor + 1, s->n, why);
}

static unsigned action(struct view *v, enum qpc_action a)
{
	struct suggest *s = v->data;
	int64_t id = s->n > 0 ? s->rows[s->cursor].row.id : 0;
	unsigned fx = candidacy_action(s->app, a, id);
	if (fx)
		return fx;
	if (table_move(&s->cursor, s->n, s->area.h - 2, a))
		return UI_HANDLED | UI_REDRAW;
	if (a != QPC_ACT_OPEN)
		return UI_IGNORED;
	if (id)
		detail_open(s->app, id);
	return UI_HANDLED | UI_REDRAW;
}

static unsigned mouse(struct view *v, const struct ui_mouse *m)
{
	struct suggest *s = v->data;
	int col, row = table_hit(&s->table, s->area, m->y, m->x, &col);
	if (m->kind == UI_WHEEL_UP || m->kind == UI_WHEEL_DOWN)
		return action(v, m->kind == UI_WHEEL_UP ? QPC_ACT_MOVE_UP : QPC_ACT_MOVE_DOWN);
	if (row >= 0) {
		s->cursor = row;
		if (m->kind == UI_DOUBLE)
			action(v, QPC_ACT_OPEN);
	}
	return UI_HANDLED | UI_REDRAW;
}

static void reload(struct view *v)
{
	load(v->data);
}

static const struct view_ops ops = {
	.title = "Suggestions",
	.scope = QPC_IN_LISTS | QPC_IN_ACCOUNT,
	.open = open_view,
	.close = close_view,
	.draw = draw,
	.action = action,
	.mouse = mouse,
	.status = status,
	.reload = reload,
};

void suggest_open(struct app *a)
{
	struct suggest *s = calloc(1, sizeof *s);
	if (!s) {
		app_message(a, true, "out of memory");
		return;
	}
	s->app = a;
	s->table = (struct table){ .cols = cols, .ncols = 4, .sort_col = -1, .cell = cell, .ctx = s };
	app_push(a, view_new(a, &ops, s));
}
