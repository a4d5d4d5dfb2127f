/* view_goals.c — partner goals by year, and setting them.
 *
 * The list shows every year with a goal, every past year that made
 * partners, and this year and the next few even without a goal, so that
 * next year's goal can be set where it will be shown.  Each year shows the
 * partners made up to the date shown (first time and regained ones), the
 * partners it lost, and how many of those made are confirmed, as
 * qpc_store_goal_progress() counts them for `qpc report`.  A goal is
 * written with qpc_store_goal_set(), the same transaction and history as
 * `qpc goal set`.
 */
#include <stdlib.h>
#include <string.h>

#include "qpc/saying.h"
#include "ui.h"

#define MAX_GOALS 100
#define YEARS_AHEAD 3 /* shown after this year even without a goal */

struct goal_row {
	int year;
	bool has_goal;
	bool counted; /* the figures below achieved are known */
	struct qpc_goal g;
};

struct goals {
	struct app *app;
	struct goal_row rows[MAX_GOALS + YEARS_AHEAD + 1];
	int n, cursor, top;
	int ngoals;      /* rows with a goal */
	int editing;     /* the year whose goal is being typed */
	bool placed;     /* the cursor went to this year once */
	int loaded_year; /* this year when last loaded */
	struct table table;
};

enum { G_YEAR, G_GOAL, G_MADE, G_FIRST, G_REGAINED, G_LOST, G_CONFIRMED, G_PROGRESS, G_COLS };

/* Narrow terminals keep year, goal, made and progress; then confirmed and
 * lost; first time and regained (which add up to made) go first. */
static const struct table_col goal_cols[G_COLS] = {
	[G_YEAR] = { "Year", { 4, 6, 0, 100 }, TEXTCELL_LEFT },
	[G_GOAL] = { "Goal", { 4, 7, 0, 90 }, TEXTCELL_RIGHT },
	[G_MADE] = { "Made", { 4, 6, 0, 90 }, TEXTCELL_RIGHT },
	[G_FIRST] = { "First", { 5, 6, 0, 40 }, TEXTCELL_RIGHT },
	[G_REGAINED] = { "Regained", { 8, 8, 0, 40 }, TEXTCELL_RIGHT },
	[G_LOST] = { "Lost", { 4, 6, 0, 50 }, TEXTCELL_RIGHT },
	[G_CONFIRMED] = { "Confirmed", { 9, 9, 0, 60 }, TEXTCELL_RIGHT },
	[G_PROGRESS] = { "Progress", { 6, 30, 2, 80 }, TEXTCELL_LEFT },
};

static int this_year(const struct goals *s)
{
	return qpc_date_year(qpc_browse_as_of(s->app->br));
}

static void goal_cell(void *ctx, int row, int col, int width, char *buf, size_t n, attr_t *attr)
{
	struct goals *s = ctx;
	const struct goal_row *r = &s->rows[row];
	const struct qpc_goal *g = &r->g;
	int year = this_year(s);
	char bar[160];
	/* the parts of what was made: none yet in years to come */
	if (col >= G_FIRST && col <= G_CONFIRMED && !r->counted)
		return;
	switch (col) {
	case G_YEAR:
		snprintf(buf, n, "%d", r->year);
		*attr = r->year == year ? theme_attr(UC_TITLE) : A_NORMAL;
		break;
	case G_GOAL:
		if (r->has_goal)
			uil_count(g->target, buf, n);
		else
			snprintf(buf, n, "-");
		*attr = r->has_goal ? A_NORMAL : theme_attr(UC_DIM);
		break;
	case G_MADE: uil_count(g->achieved, buf, n); break;
	case G_FIRST: uil_count(g->first_time, buf, n); break;
	case G_REGAINED: uil_count(g->regained, buf, n); break;
	case G_LOST:
		uil_count(g->lost, buf, n);
		*attr = g->lost > 0 ? theme_attr(UC_WARN) : A_NORMAL;
		break;
	case G_CONFIRMED:
		uil_count(g->achieved_confirmed, buf, n);
		*attr = g->achieved_confirmed < g->achieved ? theme_attr(UC_WARN) : A_NORMAL;
		break;
	case G_PROGRESS: {
		if (!r->has_goal) {
			snprintf(buf, n, "%s", r->year >= year ? "no goal yet" : "");
			*attr = theme_attr(UC_DIM);
			break;
		}
		/* rounded as every share (money.h), but 100% only once it is met */
		int pct = (int)qpc_percent(g->achieved, g->target);
		if (pct >= 100 && g->achieved < g->target)
			pct = 99;
		int bw = width - 6 > 20 ? 20 : width - 6;
		if (bw >= 4) {
			draw_bar_text(g->achieved, g->target, bw, bar, sizeof bar);
			snprintf(buf, n, "%s %d%%", bar, pct);
		} else {
			snprintf(buf, n, "%d%%", pct);
		}
		*attr = theme_attr(g->achieved >= g->target ? UC_GOOD : r->year < year ? UC_WARN : UC_NORMAL);
		break;
	}
	}
}

/* The row of `year`, added in order when missing (and there is room). */
static struct goal_row *row_of(struct goals *s, int year)
{
	int i = 0;
	while (i < s->n && s->rows[i].year < year)
		i++;
	if (i < s->n && s->rows[i].year == year)
		return &s->rows[i];
	if (s->n == (int)(sizeof s->rows / sizeof *s->rows))
		return NULL;
	memmove(&s->rows[i + 1], &s->rows[i], (size_t)(s->n - i) * sizeof *s->rows);
	s->n++;
	s->rows[i] = (struct goal_row){ .year = year, .g = { .year = year } };
	return &s->rows[i];
}

static void goals_load(struct goals *s)
{
	struct qpc_error e = { 0 };
	struct qpc_goal g[MAX_GOALS];
	int n = 0, year = this_year(s);
	s->n = 0;
	if (qpc_browse_goals(s->app->br, g, MAX_GOALS, &n, &e))
		app_fail(s->app, &e);
	s->ngoals = n;
	for (int i = 0; i < n; i++) {
		struct goal_row *r = row_of(s, g[i].year);
		if (r)
			*r = (struct goal_row){ g[i].year, true, g[i].year <= year, g[i] };
	}
	/* partners made in years without a goal, up to this one: counted as
	 * a goal's are */
	if (qpc_browse_partners_made(s->app->br, g, MAX_GOALS, &n, &e))
		app_fail(s->app, &e);
	qpc_date as_of = qpc_browse_as_of(s->app->br);
	for (int i = 0; i < n; i++) {
		struct goal_row *r = g[i].year <= year ? row_of(s, g[i].year) : NULL;
		if (!r || r->has_goal)
			continue;
		if (qpc_store_goal_progress(s->app->st, g[i].year, as_of, &r->g, &e)) {
			app_fail(s->app, &e);
			r->g.achieved = g[i].achieved;
			continue;
		}
		r->counted = true;
	}
	s->loaded_year = year;
	for (int y = year; y <= year + YEARS_AHEAD; y++) {
		struct goal_row *r = row_of(s, y);
		if (r && y == year && !r->counted && !r->has_goal)
			r->counted = qpc_store_goal_progress(s->app->st, y, as_of, &r->g, &e) == QPC_OK;
	}
}

/* Puts the cursor on year's row. */
static void goals_select(struct goals *s, int year)
{
	for (int i = 0; i < s->n; i++)
		if (s->rows[i].year == year)
			s->cursor = i;
}

static void goals_open(struct view *v)
{
	struct goals *s = v->data;
	goals_load(s);
	if (!s->placed) {
		goals_select(s, this_year(s));
		s->placed = true;
	}
}

static void goals_reload(struct view *v)
{
	struct goals *s = v->data;
	int year = s->cursor < s->n ? s->rows[s->cursor].year : this_year(s);
	if (year == s->loaded_year) /* on this year, which a new day may move */
		year = this_year(s);
	goals_load(s);
	goals_select(s, year);
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
	draw_text(r.y, r.x, r.w,
	          "Partner goals: partners made each year (first time + regained) against the goal",
	          TEXTCELL_LEFT, theme_attr(UC_TITLE));
	if (s->cursor >= s->n)
		s->cursor = s->n > 0 ? s->n - 1 : 0;
	s->top = uil_scroll(s->cursor, s->top, r.h - 2, s->n, 0);
	s->table.nrows = s->n;
	s->table.cursor = s->cursor;
	s->table.top = s->top;
	s->table.focused = true;
	table_draw(&s->table, (struct ui_rect){ r.y + 1, r.x, r.h - 1, r.w });
}

/* --- setting a goal ------------------------------------------------------ */

static void goal_save(struct goals *s, int year, int64_t target)
{
	struct app *a = s->app;
	struct qpc_error e = { 0 };
	if (qpc_store_goal_set(a->st, year, target, &e)) {
		app_fail(a, &e);
		return;
	}
	app_changed(a);
	goals_select(s, year);
	char said[80];
	app_message(a, false, "%s", say_goal(year, target, said, sizeof said));
}

/* A goal as typed: a whole number, 0 or more, blanks around it allowed. */
static bool goal_parse(const char *text, int64_t *out)
{
	while (*text == ' ')
		text++;
	size_t digits = strspn(text, "0123456789");
	if (digits == 0 || digits > 12 || text[digits + strspn(text + digits, " ")] != '\0')
		return false;
	*out = strtoll(text, NULL, 10);
	return true;
}

static void goal_answered(struct app *a, void *ctx, bool ok, const char *text)
{
	struct goals *s = ctx;
	int64_t target;
	if (!ok)
		return;
	if (!goal_parse(text, &target)) {
		app_message(a, true, "a goal is a whole number of partners, 0 or more (like 12), not '%.40s'",
		            text);
		return;
	}
	goal_save(s, s->editing, target);
}

static unsigned goal_edit(struct goals *s, enum qpc_action act)
{
	struct app *a = s->app;
	if (s->n == 0 || !app_writable(a, "set a goal"))
		return UI_HANDLED | UI_REDRAW;
	const struct goal_row *g = &s->rows[s->cursor];
	if (act == QPC_ACT_GOAL_EDIT) {
		char question[64], now[24] = "";
		if (g->has_goal)
			snprintf(now, sizeof now, "%lld", (long long)g->g.target);
		snprintf(question, sizeof question, "Partners to create in %d: ", g->year);
		s->editing = g->year;
		app_ask_text(a, question, now, goal_answered, s);
	} else if (act == QPC_ACT_GOAL_LESS && (!g->has_goal || g->g.target == 0)) {
		app_message(a, true, "the goal of %d is already %s", g->year, g->has_goal ? "0" : "unset");
	} else {
		int64_t t = g->has_goal ? g->g.target : 0;
		goal_save(s, g->year, act == QPC_ACT_GOAL_MORE ? t + 1 : t - 1);
	}
	return UI_HANDLED | UI_REDRAW;
}

static unsigned goals_action(struct view *v, enum qpc_action a)
{
	struct goals *s = v->data;
	int c = s->cursor;
	switch (a) {
	case QPC_ACT_GOAL_EDIT:
	case QPC_ACT_GOAL_MORE:
	case QPC_ACT_GOAL_LESS:
		return goal_edit(s, a);
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
	if (m->kind == UI_WHEEL_UP || m->kind == UI_WHEEL_DOWN) {
		goals_action(v, m->kind == UI_WHEEL_UP ? QPC_ACT_MOVE_UP : QPC_ACT_MOVE_DOWN);
	} else if (row >= 0) {
		s->cursor = row;
		if (m->kind == UI_DOUBLE)
			goal_edit(s, QPC_ACT_GOAL_EDIT);
	}
	return UI_HANDLED | UI_REDRAW;
}

static void goals_status(struct view *v, char *buf, size_t n)
{
	struct goals *s = v->data;
	snprintf(buf, n, "%d year%s with a goal  Enter: set it  +/-: change by one", s->ngoals,
	         s->ngoals == 1 ? "" : "s");
}

static const struct view_ops goals_ops = {
	.title = "Goals",
	.scope = QPC_IN_LISTS | QPC_IN_GOALS,
	.open = goals_open,
	.close = goals_close,
	.draw = goals_draw,
	.action = goals_action,
	.mouse = goals_mouse,
	.status = goals_status,
	.reload = goals_reload,
};

struct view *goals_view(struct app *a)
{
	struct goals *s = calloc(1, sizeof *s);
	if (!s)
		return NULL;
	s->app = a;
	s->table = (struct table){ .cols = goal_cols, .ncols = G_COLS, .sort_col = -1, .cell = goal_cell, .ctx = s };
	return view_new(a, &goals_ops, s);
}
