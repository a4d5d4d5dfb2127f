/* view_lists.c — the two top lists: partner candidates with their
 * checklist progress (Enter opens the checklist; the board, suggestions
 * and templates are a key away), and partner goals by year. */
#include <stdlib.h>
#include <string.h>

#include "ui.h"

/* --- candidates ---------------------------------------------------------- */

struct candidates {
	struct app *app;
	struct pager pager;
	struct table table;
	int64_t count;
};

static const struct table_col cand_cols[] = {
	{ "Name", { 10, 28, 3, 100 }, TEXTCELL_LEFT },
	{ "Owner", { 5, 8, 1, 40 }, TEXTCELL_LEFT },
	{ "Status", { 7, 9, 0, 80 }, TEXTCELL_LEFT },
	{ "Share", { 6, 6, 0, 70 }, TEXTCELL_RIGHT },
	{ "Checklist", { 5, 14, 0, 90 }, TEXTCELL_LEFT },
	{ "Since", { 10, 10, 0, 50 }, TEXTCELL_LEFT },
	{ "Last tick", { 10, 10, 0, 30 }, TEXTCELL_LEFT },
	{ "Partner on", { 10, 10, 0, 45 }, TEXTCELL_LEFT },
};

static int64_t cand_id(const void *item)
{
	return ((const struct qpc_candidate_row *)item)->account_id;
}

static enum qpc_rc cand_fetch(void *ctx, const struct qpc_fetch *r, void *items,
                              struct qpc_fetched *out, struct qpc_error *e)
{
	struct candidates *s = ctx;
	return qpc_browse_candidates(s->app->br, r, items, out, e);
}

static void cand_cell(void *ctx, int row, int col, int width, char *buf, size_t n, attr_t *attr)
{
	struct candidates *s = ctx;
	const struct qpc_candidate_row *c = pager_item(&s->pager, row);
	char day[QPC_DATE_ISO_LEN], bar[64];
	switch (col) {
	case 0: snprintf(buf, n, "%s", c->name); break;
	case 1: snprintf(buf, n, "%s", c->owner); break;
	case 2:
		/* a candidate that made it is shown as graduated */
		snprintf(buf, n, "%s", c->status == QPC_PARTNER ? "partner!" : qpc_status_name(c->status));
		*attr = theme_attr(theme_status(c->status));
		break;
	case 3: uil_share(c->share, draw_glyphs()->ascii, buf, n); break;
	case 4:
		if (width >= 9) {
			draw_bar_text(c->ticked, c->steps, width - 5 < 8 ? width - 5 : 8, bar, sizeof bar);
			snprintf(buf, n, "%s %d/%d", bar, c->ticked, c->steps);
		} else {
			snprintf(buf, n, "%d/%d", c->ticked, c->steps);
		}
		*attr = theme_attr(c->ticked == c->steps && c->steps > 0 ? UC_GOOD : UC_NORMAL);
		break;
	case 5: snprintf(buf, n, "%s", qpc_date_format(c->nominated_on, day)); break;
	case 6: snprintf(buf, n, "%s", c->has_last_tick ? qpc_date_format(c->last_tick, day) : ""); break;
	case 7: /* the day it graduated */
		snprintf(buf, n, "%s", c->graduated ? qpc_date_format(c->graduated_on, day) : "");
		*attr = theme_attr(UC_PARTNER);
		break;
	}
}

static void cand_open(struct view *v)
{
	struct candidates *s = v->data;
	struct qpc_error e = { 0 };
	if (qpc_browse_candidate_count(s->app->br, &s->count, &e))
		app_fail(s->app, &e);
	pager_first(&s->pager);
}

static void cand_close(struct view *v)
{
	struct candidates *s = v->data;
	pager_free(&s->pager);
	free(s);
}

static void cand_draw(struct view *v, struct ui_rect r)
{
	struct candidates *s = v->data;
	char line[96], n[32];
	if (r.h < 3)
		return;
	pager_resize(&s->pager, r.h - 2);
	uil_count(s->count, n, sizeof n);
	snprintf(line, sizeof line, "Partner candidates: %s", n);
	draw_text(r.y, r.x, r.w, line, TEXTCELL_LEFT, theme_attr(UC_TITLE));
	s->table.nrows = s->pager.n;
	s->table.cursor = s->pager.cursor;
	s->table.focused = true;
	/* the graduation date's column, when a graduate is on screen */
	s->table.ncols = 7;
	for (int i = 0; i < s->pager.n; i++)
		if (((const struct qpc_candidate_row *)pager_item(&s->pager, i))->graduated)
			s->table.ncols = 8;
	table_draw(&s->table, (struct ui_rect){ r.y + 1, r.x, r.h - 1, r.w });
	if (s->pager.n == 0)
		draw_text(r.y + 3, r.x + 2, r.w - 2,
		          s->pager.failed ? s->pager.err.msg : "No candidates: c nominates an account.",
		          TEXTCELL_LEFT, theme_attr(s->pager.failed ? UC_ERROR : UC_DIM));
}

static void cand_status(struct view *v, char *buf, size_t n)
{
	struct candidates *s = v->data;
	const struct qpc_candidate_row *c = pager_current(&s->pager);
	int64_t at = pager_position(&s->pager, s->count);
	char of[32], day[QPC_DATE_ISO_LEN];
	uil_count(s->count, of, sizeof of);
	if (c && c->graduated)
		snprintf(buf, n, "%lld/%s  graduated: a partner since %s", (long long)at, of,
		         qpc_date_format(c->graduated_on, day));
	else
		snprintf(buf, n, "%lld/%s  Enter checklist  b board  p suggestions  T templates",
		         (long long)at, of);
}

static unsigned cand_action(struct view *v, enum qpc_action a)
{
	struct candidates *s = v->data;
	const struct qpc_candidate_row *c = pager_current(&s->pager);
	unsigned fx = candidacy_action(s->app, a, c ? c->account_id : 0);
	if (fx)
		return fx;
	switch (a) {
	case QPC_ACT_OPEN:
		if (c)
			checklist_open(s->app, c->account_id);
		break;
	case QPC_ACT_BOARD: board_open(s->app); break;
	case QPC_ACT_SUGGEST: suggest_open(s->app); break;
	case QPC_ACT_TEMPLATES: templates_open(s->app); break;
	default: return pager_action(&s->pager, a);
	}
	return UI_HANDLED | UI_REDRAW;
}

static unsigned cand_mouse(struct view *v, const struct ui_mouse *m)
{
	struct candidates *s = v->data;
	int col, row = table_hit(&s->table, (struct ui_rect){ v->rect.y + 1, v->rect.x, v->rect.h - 1, v->rect.w },
	                         m->y, m->x, &col);
	if (m->kind == UI_WHEEL_UP || m->kind == UI_WHEEL_DOWN)
		pager_move(&s->pager, m->kind == UI_WHEEL_UP ? -3 : 3);
	else if (row >= 0) {
		s->pager.cursor = row;
		if (m->kind == UI_DOUBLE)
			cand_action(v, QPC_ACT_OPEN);
	}
	return UI_HANDLED | UI_REDRAW;
}

static bool cand_work(struct view *v)
{
	struct candidates *s = v->data;
	return pager_work(&s->pager);
}

static void cand_reload(struct view *v)
{
	struct candidates *s = v->data;
	const struct qpc_candidate_row *c = pager_current(&s->pager);
	struct qpc_error e = { 0 };
	if (qpc_browse_candidate_count(s->app->br, &s->count, &e))
		app_fail(s->app, &e);
	pager_goto(&s->pager, c ? c->account_id : 0, s->pager.cursor);
}

static const struct view_ops cand_ops = {
	.title = "Candidates",
	.scope = QPC_IN_LISTS | QPC_IN_CANDIDATES | QPC_IN_ACCOUNT,
	.open = cand_open,
	.close = cand_close,
	.draw = cand_draw,
	.action = cand_action,
	.mouse = cand_mouse,
	.work = cand_work,
	.status = cand_status,
	.reload = cand_reload,
};

struct view *candidates_view(struct app *a)
{
	struct candidates *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->app = a;
	struct pager_src src = { sizeof(struct qpc_candidate_row), cand_id, cand_fetch, s };
	pager_init(&s->pager, &src);
	s->table = (struct table){ .cols = cand_cols, .ncols = 8, .sort_col = -1, .cell = cand_cell, .ctx = s };
	return view_new(a, &cand_ops, s);
}

/* --- goals --------------------------------------------------------------- */

#define MAX_GOALS 100

struct goals {
	struct app *app;
	struct qpc_goal rows[MAX_GOALS];
	int n, cursor, top;
	struct table table;
};

static const struct table_col goal_cols[] = {
	{ "Year", { 4, 6, 0, 100 }, TEXTCELL_LEFT },
	{ "Goal", { 4, 8, 0, 90 }, TEXTCELL_RIGHT },
	{ "Made", { 4, 8, 0, 90 }, TEXTCELL_RIGHT },
	{ "Progress", { 6, 30, 2, 80 }, TEXTCELL_LEFT },
};

static void goal_cell(void *ctx, int row, int col, int width, char *buf, size_t n, attr_t *attr)
{
	struct goals *s = ctx;
	const struct qpc_goal *g = &s->rows[row];
	int year = qpc_date_year(qpc_browse_as_of(s->app->br));
	char bar[160];
	switch (col) {
	case 0:
		snprintf(buf, n, "%d", g->year);
		*attr = g->year == year ? theme_attr(UC_TITLE) : A_NORMAL;
		break;
	case 1: uil_count(g->target, buf, n); break;
	case 2: uil_count(g->achieved, buf, n); break;
	case 3: {
		int pct = g->target > 0 ? (int)(g->achieved * 100 / g->target) : 0;
		int bw = width - 6 > 20 ? 20 : width - 6;
		if (bw >= 4) {
			draw_bar_text(g->achieved, g->target, bw, bar, sizeof bar);
			snprintf(buf, n, "%s %d%%", bar, pct);
		} else {
			snprintf(buf, n, "%d%%", pct);
		}
		*attr = theme_attr(g->achieved >= g->target ? UC_GOOD : g->year < year ? UC_WARN : UC_NORMAL);
		break;
	}
	}
}

static void goals_load(struct goals *s)
{
	struct qpc_error e = { 0 };
	if (qpc_browse_goals(s->app->br, s->rows, MAX_GOALS, &s->n, &e))
		app_fail(s->app, &e);
}

static void goals_open(struct view *v)
{
	goals_load(v->data);
}

static void goals_close(struct view *v)
{
	free(v->data);
}

static void goals_draw(struct view *v, struct ui_rect r)
{
	struct goals *s = v->data;
	if (r.h < 3)
		return;
	draw_text(r.y, r.x, r.w, "Partner goals: new partners made each year against the goal",
	          TEXTCELL_LEFT, theme_attr(UC_TITLE));
	if (s->cursor >= s->n)
		s->cursor = s->n > 0 ? s->n - 1 : 0;
	s->top = uil_scroll(s->cursor, s->top, r.h - 2, s->n, 0);
	s->table.nrows = s->n;
	s->table.cursor = s->cursor;
	s->table.top = s->top;
	s->table.focused = true;
	table_draw(&s->table, (struct ui_rect){ r.y + 1, r.x, r.h - 1, r.w });
	if (s->n == 0)
		draw_text(r.y + 3, r.x + 2, r.w - 2, "No goals set yet.", TEXTCELL_LEFT, theme_attr(UC_DIM));
}

static unsigned goals_action(struct view *v, enum qpc_action a)
{
	struct goals *s = v->data;
	int c = s->cursor;
	switch (a) {
	case QPC_ACT_MOVE_DOWN: c++; break;
	case QPC_ACT_MOVE_UP: c--; break;
	case QPC_ACT_PAGE_DOWN: c += 10; break;
	case QPC_ACT_PAGE_UP: c -= 10; break;
	case QPC_ACT_FIRST: c = 0; break;
	case QPC_ACT_LAST: c = s->n - 1; break;
	default: return UI_IGNORED;
	}
	s->cursor = c < 0 ? 0 : c >= s->n ? (s->n > 0 ? s->n - 1 : 0) : c;
	return UI_HANDLED | UI_REDRAW;
}

static unsigned goals_mouse(struct view *v, const struct ui_mouse *m)
{
	struct goals *s = v->data;
	int col, row = table_hit(&s->table, (struct ui_rect){ v->rect.y + 1, v->rect.x, v->rect.h - 1, v->rect.w },
	                         m->y, m->x, &col);
	if (m->kind == UI_WHEEL_UP || m->kind == UI_WHEEL_DOWN)
		goals_action(v, m->kind == UI_WHEEL_UP ? QPC_ACT_MOVE_UP : QPC_ACT_MOVE_DOWN);
	else if (row >= 0)
		s->cursor = row;
	return UI_HANDLED | UI_REDRAW;
}

static void goals_status(struct view *v, char *buf, size_t n)
{
	struct goals *s = v->data;
	snprintf(buf, n, "%d year%s with a goal", s->n, s->n == 1 ? "" : "s");
}

static const struct view_ops goals_ops = {
	.title = "Goals",
	.scope = QPC_IN_LISTS,
	.open = goals_open,
	.close = goals_close,
	.draw = goals_draw,
	.action = goals_action,
	.mouse = goals_mouse,
	.status = goals_status,
	.reload = goals_open,
};

struct view *goals_view(struct app *a)
{
	struct goals *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->app = a;
	s->table = (struct table){ .cols = goal_cols, .ncols = 4, .sort_col = -1, .cell = goal_cell, .ctx = s };
	return view_new(a, &goals_ops, s);
}
