/* view_lists.c — the list of partner candidates with their checklist
 * progress (Enter opens the checklist; the board, suggestions and
 * templates are a key away).  The goals by year are in view_goals.c. */
#include <stdlib.h>
#include <string.h>

#include "ui.h"

/* --- candidates ---------------------------------------------------------- */

struct candidates {
	struct app *app;
	struct pager pager;
	struct listbox list; /* over the pager */
	int64_t count;
	enum qpc_cand_sort by; /* s S r, as in the accounts list */
	bool desc;
};

static const char *const sort_names[QPC_CAND_SORTS] = {
	"name", "owner", "status", "share", "checklist", "since", "last tick",
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
	return qpc_browse_candidates_by(s->app->br, s->by, s->desc, r, items, out, e);
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
	snprintf(line, sizeof line, "Partner candidates: %s  sorted by %s %s", n, sort_names[s->by],
	         s->desc ? draw_glyphs()->down : draw_glyphs()->up);
	s->list.t.sort_col = (int)s->by;
	s->list.t.sort_desc = s->desc;
	draw_text(r.y, r.x, r.w, line, TEXTCELL_LEFT, theme_attr(UC_TITLE));
	/* the graduation date's column, when a graduate is on screen */
	s->list.t.ncols = 7;
	for (int i = 0; i < s->pager.n; i++)
		if (((const struct qpc_candidate_row *)pager_item(&s->pager, i))->graduated)
			s->list.t.ncols = 8;
	listbox_draw(&s->list, 0, (struct ui_rect){ r.y + 1, r.x, r.h - 1, r.w }, true);
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
		snprintf(buf, n, "%lld/%s  Enter checklist  s sort  b board  p suggestions  T templates",
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
	case QPC_ACT_CAND_SORT_NEXT:
	case QPC_ACT_CAND_SORT_PREV:
		s->by = (enum qpc_cand_sort)((s->by + (a == QPC_ACT_CAND_SORT_NEXT ? 1 : QPC_CAND_SORTS - 1)) %
		                             QPC_CAND_SORTS);
		s->desc = s->by == QPC_CAND_BY_SHARE || s->by == QPC_CAND_BY_PROGRESS ||
		          s->by == QPC_CAND_BY_LAST_TICK; /* the most first */
		pager_goto(&s->pager, 0, 0);
		break;
	case QPC_ACT_CAND_SORT_REVERSE:
		s->desc = !s->desc;
		pager_goto(&s->pager, c ? c->account_id : 0, s->pager.cursor);
		break;
	case QPC_ACT_BOARD: board_open(s->app); break;
	case QPC_ACT_SUGGEST: suggest_open(s->app); break;
	case QPC_ACT_TEMPLATES: templates_open(s->app); break;
	case QPC_ACT_WHAT_WORKS: works_open(s->app); break;
	default: return listbox_action(&s->list, a);
	}
	return UI_HANDLED | UI_REDRAW;
}

static unsigned cand_mouse(struct view *v, const struct ui_mouse *m)
{
	struct candidates *s = v->data;
	if (listbox_mouse(&s->list, m) == LISTBOX_OPEN)
		cand_action(v, QPC_ACT_OPEN);
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
	s->list.t = (struct table){ .cols = cand_cols, .ncols = 8, .sort_col = -1, .cell = cand_cell, .ctx = s };
	s->list.pg = &s->pager;
	return view_new(a, &cand_ops, s);
}
