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
	int n;
	bool failed;
	struct qpc_error err;
	struct listbox list;
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
	if (s->list.cursor >= s->n)
		s->list.cursor = s->n > 0 ? s->n - 1 : 0;
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
	listbox_draw(&s->list, s->n, (struct ui_rect){ r.y + 1, r.x, r.h - 1, r.w }, true);
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
	reason(s, &s->rows[s->list.cursor], why, sizeof why);
	snprintf(buf, n, "%d/%d %s  c: nominate", s->list.cursor + 1, s->n, why);
}

static unsigned action(struct view *v, enum qpc_action a)
{
	struct suggest *s = v->data;
	int64_t id = s->n > 0 ? s->rows[s->list.cursor].row.id : 0;
	unsigned fx = candidacy_action(s->app, a, id);
	if (fx || (fx = listbox_action(&s->list, a)))
		return fx;
	if (a != QPC_ACT_OPEN)
		return UI_IGNORED;
	if (id)
		detail_open(s->app, id);
	return UI_HANDLED | UI_REDRAW;
}

static unsigned mouse(struct view *v, const struct ui_mouse *m)
{
	struct suggest *s = v->data;
	if (listbox_mouse(&s->list, m) == LISTBOX_OPEN)
		action(v, QPC_ACT_OPEN);
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
	s->list.t = (struct table){ .cols = cols, .ncols = 4, .sort_col = -1, .cell = cell, .ctx = s };
	app_push(a, view_new(a, &ops, s));
}
