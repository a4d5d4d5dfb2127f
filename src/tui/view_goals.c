/* view_goals.c — partner goals by year, and setting them; below, this
 * year's plan owner by owner: the partners each owner made, and the
 * candidates that could close the gap, nearest the threshold first, each
 * with how far it is through its checklist (qpc_browse_plan).  Tab moves
 * between the two; Enter on a candidate opens its checklist.
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
#define PLAN_OWNERS 64
#define PLAN_CANDS 256

struct goal_row {
	int year;
	bool has_goal;
	bool counted; /* the figures below achieved are known */
	struct qpc_goal g;
};

struct goals {
	struct app *app;
	struct goal_row rows[MAX_GOALS + YEARS_AHEAD + 1];
	int n;
	int ngoals;      /* rows with a goal */
	int editing;     /* the year whose goal is being typed */
	bool placed;     /* the cursor went to this year once */
	int loaded_year; /* this year when last loaded */
	struct listbox years;
	/* this year's plan: an owner's row, then its candidates' */
	bool in_plan; /* Tab: the plan has the keys */
	struct qpc_plan plan;
	bool plan_loaded;
	struct qpc_error plan_err;
	struct qpc_plan_owner owners[PLAN_OWNERS];
	struct qpc_candidate_row cands[PLAN_CANDS];
	struct plan_row {
		int owner, cand; /* cand -1: the owner's own row */
	} prows[PLAN_OWNERS + PLAN_CANDS];
	int nprows;
	struct listbox plist;
};

enum { P_WHO, P_MADE, P_LOST, P_CANDS, P_NEAR, P_SHARE, P_CHECKLIST, P_COLS };

static const struct table_col plan_cols[P_COLS] = {
	[P_WHO] = { "Owner, candidate", { 10, 28, 3, 100 }, TEXTCELL_LEFT },
	[P_MADE] = { "Made", { 4, 5, 0, 90 }, TEXTCELL_RIGHT },
	[P_LOST] = { "Lost", { 4, 5, 0, 40 }, TEXTCELL_RIGHT },
	[P_CANDS] = { "Candidates", { 5, 10, 0, 85 }, TEXTCELL_RIGHT },
	[P_NEAR] = { "Near", { 4, 5, 0, 80 }, TEXTCELL_RIGHT },
	[P_SHARE] = { "Share", { 6, 6, 0, 88 }, TEXTCELL_RIGHT },
	[P_CHECKLIST] = { "Checklist", { 5, 20, 2, 70 }, TEXTCELL_LEFT },
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

static bool plan_near(const struct goals *s, const struct qpc_candidate_row *c)
{
	return c->share.kind == QPC_SHARE_OK &&
	       c->share.bp >= s->plan.threshold_bp - QPC_NEAR_POINTS * 100;
}

/* "███▌ 3/4": ticked of steps, as a bar when there is room. */
static void progress(int ticked, int steps, int width, char *buf, size_t n)
{
	char bar[160];
	int bw = width - 6 > 10 ? 10 : width - 6;
	if (bw >= 3) {
		draw_bar_text(ticked, steps > 0 ? steps : 1, bw, bar, sizeof bar);
		snprintf(buf, n, "%s %d/%d", bar, ticked, steps);
	} else {
		snprintf(buf, n, "%d/%d", ticked, steps);
	}
}

static void plan_cell(void *ctx, int row, int col, int width, char *buf, size_t n, attr_t *attr)
{
	struct goals *s = ctx;
	const struct plan_row *pr = &s->prows[row];
	const struct qpc_plan_owner *o = &s->owners[pr->owner];
	if (pr->cand < 0) { /* the owner */
		switch (col) {
		case P_WHO:
			snprintf(buf, n, "%s", o->owner[0] ? o->owner : "(no owner)");
			*attr = theme_attr(UC_LABEL);
			break;
		case P_MADE: uil_count(o->made, buf, n); break;
		case P_LOST:
			uil_count(o->lost, buf, n);
			*attr = o->lost > 0 ? theme_attr(UC_WARN) : A_NORMAL;
			break;
		case P_CANDS: uil_count(o->candidates, buf, n); break;
		case P_NEAR: uil_count(o->near, buf, n); break;
		case P_CHECKLIST:
			if (o->steps > 0)
				snprintf(buf, n, "%d/%d steps", o->ticked, o->steps);
			*attr = theme_attr(UC_DIM);
			break;
		}
		return;
	}
	const struct qpc_candidate_row *c = &s->cands[pr->cand];
	switch (col) {
	case P_WHO: snprintf(buf, n, "  %s", c->name); break;
	case P_SHARE:
		uil_share(c->share, draw_glyphs()->ascii, buf, n);
		*attr = plan_near(s, c) ? theme_attr(UC_GOOD) : A_NORMAL;
		break;
	case P_NEAR:
		if (plan_near(s, c))
			snprintf(buf, n, "near");
		*attr = theme_attr(UC_GOOD);
		break;
	case P_CHECKLIST: progress(c->ticked, c->steps, width, buf, n); break;
	}
}

static void plan_load(struct goals *s)
{
	memset(&s->plan_err, 0, sizeof s->plan_err);
	s->plan = (struct qpc_plan){ .owners = s->owners, .max_owners = PLAN_OWNERS,
		                     .cands = s->cands, .max_cands = PLAN_CANDS };
	s->nprows = 0;
	s->plan_loaded = qpc_browse_plan(s->app->br, this_year(s), &s->plan, &s->plan_err) == QPC_OK;
	if (!s->plan_loaded)
		return;
	for (int i = 0; i < s->plan.nowners; i++) {
		const struct qpc_plan_owner *o = &s->owners[i];
		s->prows[s->nprows++] = (struct plan_row){ i, -1 };
		for (int c = o->first; c < o->first + o->candidates && c < s->plan.ncands; c++)
			s->prows[s->nprows++] = (struct plan_row){ i, c };
	}
}

/* The plan's headline: the gap, and what could close it. */
static void plan_title(const struct goals *s, char *buf, size_t n)
{
	const struct qpc_plan *p = &s->plan;
	char gap[96], c[32], nr[32];
	int64_t left = p->goal.target - p->goal.achieved;
	if (!p->has_goal)
		snprintf(gap, sizeof gap, "%d: no goal set", p->year);
	else if (left <= 0)
		snprintf(gap, sizeof gap, "%d: the goal of %lld is met", p->year, (long long)p->goal.target);
	else
		snprintf(gap, sizeof gap, "%d: %lld partner%s to go", p->year, (long long)left,
		         left == 1 ? "" : "s");
	uil_count(p->candidates, c, sizeof c);
	uil_count(p->near, nr, sizeof nr);
	/* whether the candidates can close the gap: the near ones alone, all
	 * of them, or not even all */
	char verdict[64] = "";
	if (p->has_goal && left > 0) {
		if (p->near >= left)
			snprintf(verdict, sizeof verdict, ": enough near it");
		else if (p->candidates >= left)
			snprintf(verdict, sizeof verdict, ": enough only if far ones make it");
		else
			snprintf(verdict, sizeof verdict, ": %lld short, nominate more",
			         (long long)(left - p->candidates));
	}
	snprintf(buf, n, "%s; %s candidate%s, %s within %d points of %d%%%s%s", gap, c,
	         p->candidates == 1 ? "" : "s", nr, QPC_NEAR_POINTS, p->threshold_bp / 100, verdict,
	         p->cut ? " (not all shown)" : "");
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
	plan_load(s);
}

/* Puts the cursor on year's row. */
static void goals_select(struct goals *s, int year)
{
	for (int i = 0; i < s->n; i++)
		if (s->rows[i].year == year)
			s->years.cursor = i;
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
	int year = s->years.cursor < s->n ? s->rows[s->years.cursor].year : this_year(s);
	if (year == s->loaded_year) /* on this year, which a new day may move */
		year = this_year(s);
	goals_load(s);
	goals_select(s, year);
}

static void goals_close(struct view *v)
{
	free(v->data);
}

static void plan_draw(struct goals *s, struct ui_rect r)
{
	char title[320];
	s->plist.area = (struct ui_rect){ 0 };
	if (r.h < 2)
		return;
	if (!s->plan_loaded) {
		pane_title(r, "This year's plan", s->in_plan);
		draw_text(r.y + 1, r.x, r.w, s->plan_err.msg, TEXTCELL_LEFT, theme_attr(UC_ERROR));
		return;
	}
	plan_title(s, title, sizeof title);
	pane_title(r, title, s->in_plan);
	if (s->nprows == 0) {
		draw_text(r.y + 1, r.x, r.w, "No partners made and no candidates yet this year.",
		          TEXTCELL_LEFT, theme_attr(UC_DIM));
		return;
	}
	listbox_draw(&s->plist, s->nprows, (struct ui_rect){ r.y + 1, r.x, r.h - 1, r.w }, s->in_plan);
}

static void goals_draw(struct view *v, struct ui_rect r)
{
	struct goals *s = v->data;
	s->plist.area = s->years.area = (struct ui_rect){ 0 };
	if (r.h < 3)
		return;
	/* the years, and the plan below when both have room; else the one
	 * Tab chose */
	int years = s->n + 2 < r.h - 5 ? s->n + 2 : r.h - 5;
	if (years < 5)
		years = s->in_plan ? 0 : r.h;
	if (years == 0) {
		plan_draw(s, r);
		return;
	}
	draw_text(r.y, r.x, r.w,
	          "Partner goals: partners made each year (first time + regained) against the goal",
	          TEXTCELL_LEFT, theme_attr(UC_TITLE));
	listbox_draw(&s->years, s->n, (struct ui_rect){ r.y + 1, r.x, years - 1, r.w }, !s->in_plan);
	if (years < r.h)
		plan_draw(s, (struct ui_rect){ r.y + years, r.x, r.h - years, r.w });
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
	if (s->n == 0 || !app_writable(a, QPC_ROLE_MANAGER, "set a goal"))
		return UI_HANDLED | UI_REDRAW;
	const struct goal_row *g = &s->rows[s->years.cursor];
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

static unsigned plan_action(struct goals *s, enum qpc_action a)
{
	if (a == QPC_ACT_GOAL_EDIT || a == QPC_ACT_OPEN) { /* Enter: a candidate's checklist */
		int c = s->plist.cursor;
		if (c < s->nprows && s->prows[c].cand >= 0)
			checklist_open(s->app, s->cands[s->prows[c].cand].account_id);
		return UI_HANDLED | UI_REDRAW;
	}
	return listbox_action(&s->plist, a);
}

static unsigned goals_action(struct view *v, enum qpc_action a)
{
	struct goals *s = v->data;
	if (a == QPC_ACT_NEXT_PANE || a == QPC_ACT_PREV_PANE) {
		s->in_plan = !s->in_plan;
		return UI_HANDLED | UI_REDRAW;
	}
	if (s->in_plan && a != QPC_ACT_GOAL_MORE && a != QPC_ACT_GOAL_LESS)
		return plan_action(s, a);
	switch (a) {
	case QPC_ACT_GOAL_EDIT:
	case QPC_ACT_GOAL_MORE:
	case QPC_ACT_GOAL_LESS:
		return goal_edit(s, a);
	default: return listbox_action(&s->years, a);
	}
}

static unsigned goals_mouse(struct view *v, const struct ui_mouse *m)
{
	struct goals *s = v->data;
	enum listbox_hit hit = listbox_mouse(&s->plist, m);
	if (hit != LISTBOX_MISS) { /* the plan */
		s->in_plan = true;
		if (hit == LISTBOX_OPEN)
			plan_action(s, QPC_ACT_OPEN);
	} else if ((hit = listbox_mouse(&s->years, m)) != LISTBOX_MISS) {
		s->in_plan = false;
		if (hit == LISTBOX_OPEN)
			goal_edit(s, QPC_ACT_GOAL_EDIT);
	}
	return UI_HANDLED | UI_REDRAW;
}

static void goals_status(struct view *v, char *buf, size_t n)
{
	struct goals *s = v->data;
	int c = s->plist.cursor;
	if (s->in_plan && c < s->nprows && s->prows[c].cand >= 0)
		snprintf(buf, n, "Plan %d/%d  %s  Enter: its checklist  Tab: the years", c + 1, s->nprows,
		         s->cands[s->prows[c].cand].name);
	else if (s->in_plan && c < s->nprows)
		snprintf(buf, n, "Plan %d/%d  %s  Tab: the years", c + 1, s->nprows,
		         s->owners[s->prows[c].owner].owner);
	else if (s->in_plan)
		snprintf(buf, n, "Plan  Tab: the years");
	else if (!app_may(s->app, QPC_ROLE_MANAGER)) /* a rep reads them */
		snprintf(buf, n, "%d year%s with a goal (a manager sets them)  Tab: the plan",
		         s->ngoals, s->ngoals == 1 ? "" : "s");
	else
		snprintf(buf, n, "%d year%s with a goal  Enter: set it  +/-: change by one  Tab: the plan",
		         s->ngoals, s->ngoals == 1 ? "" : "s");
}

static const struct view_ops goals_ops = {
	.title = "Goals",
	.scope = QPC_IN_LISTS | QPC_IN_PANES | QPC_IN_GOALS,
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
	s->years.t = (struct table){ .cols = goal_cols, .ncols = G_COLS, .sort_col = -1, .cell = goal_cell, .ctx = s };
	s->plist.t = (struct table){ .cols = plan_cols, .ncols = P_COLS, .sort_col = -1, .cell = plan_cell, .ctx = s };
	return view_new(a, &goals_ops, s);
}
