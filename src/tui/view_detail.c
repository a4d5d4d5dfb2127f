/* view_detail.c — one account: its figures (a partner's quality, its
 * systems contract), 24 months of sales, QPC lines per category, the
 * candidate checklist and the history of changes, in panes that Tab moves
 * between.  C sets or ends the contract (contract.c). */
#include <stdlib.h>
#include <string.h>

#include "qpc/history_text.h"
#include "qpc/traits.h"
#include "ui.h"

/* The figures are a pane of their own only when the screen is too short
 * for them above the others: then one pane shows at a time, Tab moving
 * on in this order. */
enum pane { P_LINES, P_CHECKLIST, P_HISTORY, P_FIGURES, P_COUNT };
static const enum pane pane_order[P_COUNT] = { P_FIGURES, P_LINES, P_CHECKLIST, P_HISTORY };

struct detail {
	struct app *app;
	int64_t id;
	struct qpc_account_detail *d;
	bool loaded;
	struct qpc_error err;
	bool has_quality; /* a partner: confirmed, or why provisional */
	enum qpc_quality quality;
	struct ui_contract contract;
	enum pane focus;
	bool alone; /* one pane at a time */
	struct scrolled fig;
	struct listbox box[3]; /* P_LINES, P_CHECKLIST, P_HISTORY (over the pager) */
	struct pager history;

	struct ui_rect area[P_COUNT];
	/* what a partner is for us: the ratings in force, and the objective
	 * traits (traits.h) */
	char traits[240], objective[160];
	bool kept_traits; /* the team keeps any: the page says which are rated */
};

static const struct table_col line_cols[] = {
	{ "Category", { 8, 20, 2, 100 }, TEXTCELL_LEFT },
	{ "QPC", { 6, 10, 0, 90 }, TEXTCELL_RIGHT },
	{ "Basis", { 6, 14, 1, 50 }, TEXTCELL_LEFT },
	{ "Verified", { 8, 8, 0, 40 }, TEXTCELL_LEFT },
	{ "Measured", { 11, 11, 0, 60 }, TEXTCELL_LEFT },
	{ "Sales 12m", { 6, 10, 0, 70 }, TEXTCELL_RIGHT },
	{ "Share", { 6, 6, 0, 80 }, TEXTCELL_RIGHT },
};
static const struct table_col step_cols[] = {
	{ "", { 3, 3, 0, 100 }, TEXTCELL_LEFT },
	{ "Experience", { 12, 40, 3, 90 }, TEXTCELL_LEFT },
	{ "By", { 4, 8, 0, 50 }, TEXTCELL_LEFT },
	{ "On", { 10, 10, 0, 60 }, TEXTCELL_LEFT },
	{ "Note", { 6, 20, 2, 40 }, TEXTCELL_LEFT },
};
static const struct table_col hist_cols[] = {
	{ "Date", { 10, 10, 0, 100 }, TEXTCELL_LEFT },
	{ "Who", { 4, 8, 0, 50 }, TEXTCELL_LEFT },
	{ "What", { 8, 24, 1, 90 }, TEXTCELL_LEFT },
	{ "Change", { 8, 30, 2, 80 }, TEXTCELL_LEFT },
};

static int64_t hist_id(const void *item)
{
	return ((const struct qpc_history_row *)item)->id;
}

static enum qpc_rc hist_fetch(void *ctx, const struct qpc_fetch *r, void *items,
                              struct qpc_fetched *out, struct qpc_error *e)
{
	struct detail *s = ctx;
	return qpc_browse_history(s->app->br, s->id, r, items, out, e);
}

static void line_cell(void *ctx, int row, int col, int width, char *buf, size_t n, attr_t *attr)
{
	struct detail *s = ctx;
	const struct qpc_detail_line *l = &s->d->lines[row];
	bool ascii = draw_glyphs()->ascii;
	char day[QPC_DATE_ISO_LEN];
	switch (col) {
	case 0: snprintf(buf, n, "%s", l->category); break;
	case 1: uil_money(l->has_qpc, l->qpc, s->app->minor_units, width, ascii, buf, n); break;
	case 2: snprintf(buf, n, "%s", l->has_qpc ? l->basis : "not measured"); break;
	case 3: snprintf(buf, n, "%s", !l->has_qpc ? "" : l->verified ? "yes" : "no"); break;
	case 4:
		/* "!": stale even without colour */
		snprintf(buf, n, "%s%s", l->has_qpc ? qpc_date_format(l->measured_on, day) : "",
		         l->stale ? "!" : "");
		*attr = l->stale ? theme_attr(UC_STALE) : A_NORMAL;
		break;
	case 5: uil_money(true, l->sales_12m, s->app->minor_units, width, ascii, buf, n); break;
	case 6:
		uil_share(l->share, ascii, buf, n);
		*attr = theme_attr(l->share.kind == QPC_SHARE_OVER ? UC_OVER : UC_NORMAL);
		break;
	}
}

static void step_cell(void *ctx, int row, int col, int width, char *buf, size_t n, attr_t *attr)
{
	struct detail *s = ctx;
	const struct qpc_detail_step *t = &s->d->steps[row];
	char day[QPC_DATE_ISO_LEN];
	(void)width;
	switch (col) {
	case 0:
		snprintf(buf, n, "%s", t->ticked ? draw_glyphs()->tick : draw_glyphs()->untick);
		*attr = t->ticked ? theme_attr(UC_GOOD) : A_NORMAL;
		break;
	case 1: snprintf(buf, n, "%d. %s", t->position, t->text); break;
	case 2: snprintf(buf, n, "%s", t->ticked ? t->by : ""); break;
	case 3: snprintf(buf, n, "%s", t->ticked ? qpc_date_format(t->on, day) : ""); break;
	case 4: snprintf(buf, n, "%s", t->note); break;
	}
}

static void hist_cell(void *ctx, int row, int col, int width, char *buf, size_t n, attr_t *attr)
{
	struct detail *s = ctx;
	const struct qpc_history_row *h = pager_item(&s->history, row);
	char day[QPC_DATE_ISO_LEN];
	struct qpc_history_text said;
	(void)width;
	(void)attr;
	if (col >= 2) /* in words, as `qpc history` says it; "" is none */
		qpc_history_text(h->entity[0] ? h->entity : NULL, h->field, h->old[0] ? h->old : NULL, h->new_[0] ? h->new_ : NULL,
		                 s->app->minor_units, draw_glyphs()->ascii, &said);
	switch (col) {
	case 0: snprintf(buf, n, "%s", qpc_date_format(h->effective, day)); break;
	case 1: snprintf(buf, n, "%s", h->user); break;
	case 2: snprintf(buf, n, "%s", said.what); break;
	case 3: snprintf(buf, n, "%s", said.change); break;
	}
}

static int any_trait(const struct qpc_trait *t, void *ctx)
{
	*(bool *)ctx |= !t->retired;
	return 0;
}

/* "Trust 4/5 · Communication 3/5", as a list of the ratings in force. */
static int add_rating(const struct qpc_rating *g, void *ctx)
{
	struct detail *s = ctx;
	size_t len = strlen(s->traits);
	snprintf(s->traits + len, sizeof s->traits - len, "%s%s %d/%d", len ? ", " : "", g->trait,
	         g->score, g->scale_max);
	return 0;
}

static void load_traits(struct detail *s)
{
	struct qpc_error e = { 0 };
	qpc_date as_of = qpc_browse_as_of(s->app->br), first;
	int64_t cats = 0;
	bool has_first = false;
	s->traits[0] = s->objective[0] = '\0';
	s->kept_traits = false;
	if (qpc_store_trait_each(s->app->st, any_trait, &s->kept_traits, &e) ||
	    qpc_store_account_ratings(s->app->st, s->id, as_of, add_rating, s, &e) ||
	    qpc_store_account_objective(s->app->st, s->id, as_of, &cats, &has_first, &first, &e)) {
		snprintf(s->traits, sizeof s->traits, "%.200s", e.msg);
		return;
	}
	char since[48] = "";
	if (has_first) {
		char d[QPC_DATE_ISO_LEN];
		snprintf(since, sizeof since, ", buying since %.7s (%.1f years)",
		         qpc_date_format(first, d), (double)(as_of - first) / 365.25);
	}
	snprintf(s->objective, sizeof s->objective, "%lld categor%s bought in 12 months%s",
	         (long long)cats, cats == 1 ? "y" : "ies", since);
}

static void load(struct detail *s)
{
	memset(&s->err, 0, sizeof s->err);
	load_traits(s);
	s->loaded = qpc_browse_detail(s->app->br, s->id, s->d, &s->err) == QPC_OK &&
	            qpc_browse_quality(s->app->br, s->id, &s->has_quality, &s->quality, &s->err) ==
	                    QPC_OK &&
	            contract_of(s->app, s->id, qpc_browse_as_of(s->app->br), &s->contract, &s->err) ==
	                    QPC_OK;
	if (!s->d->candidate && s->focus == P_CHECKLIST)
		s->focus = P_LINES;
	pager_goto(&s->history, 0, 0);
}

static void open_view(struct view *v)
{
	load(v->data);
}

static void close_view(struct view *v)
{
	struct detail *s = v->data;
	pager_free(&s->history);
	free(s->d);
	free(s);
}

/* The figures above the panes; returns the rows used. */
/* The rep's estimate of our share beside the measured one: "90%, 69.8
 * points above".  The gap is that of the two figures as shown (each
 * rounded to a tenth), so that they add up on screen; returned in tenths
 * of a point. */
static int64_t rep_estimate(int32_t rep_bp, struct qpc_share share, char *buf, size_t n)
{
	int64_t rep = qpc_round_div(rep_bp, 10);
	char pct[32], pts[48];
	qpc_permille_format(rep, pct, sizeof pct);
	if (rep % 10 == 0) /* as it was typed: "90%", not "90.0%" */
		snprintf(pct, sizeof pct, "%lld%%", (long long)(rep / 10));
	int64_t gap = share.kind == QPC_SHARE_OK ? rep - qpc_round_div(share.bp, 10) : 0;
	if (gap == 0) {
		snprintf(buf, n, "%s", pct);
		return 0;
	}
	qpc_points_format(gap < 0 ? -gap : gap, pts, sizeof pts);
	snprintf(buf, n, "%s, %s %s", pct, pts, gap > 0 ? "above" : "below");
	return gap;
}

/* The figures above the panes, all of them (scrolled_fn); returns the
 * rows used. */
static int draw_figures(void *ctx, struct ui_rect r)
{
	struct detail *s = ctx;
	const struct qpc_account_detail *d = s->d;
	const struct qpc_account_figures *f = &d->row.fig;
	bool ascii = draw_glyphs()->ascii;
	int mu = s->app->minor_units, y = r.y;
	const char *st = qpc_status_name(f->status);
	int sw = (int)strlen(st) + (d->row.contract_partner ? 11 : 0);
	char right[48];
	snprintf(right, sizeof right, "%s%s", st, d->row.contract_partner ? " (contract)" : "");
	int x = r.x + draw_span(y, r.x, r.w - sw - 2, d->row.name, theme_attr(UC_TITLE));
	if (d->row.external_id[0] && r.w - (x - r.x) - sw > 4) {
		char id[64];
		snprintf(id, sizeof id, "  %s", d->row.external_id);
		draw_span(y, x, r.w - (x - r.x) - sw - 1, id, theme_attr(UC_DIM));
	}
	draw_text(y, r.x + r.w - sw, sw, right, TEXTCELL_RIGHT, theme_attr(theme_status(f->status)));
	y++;
	struct form_field ff[8];
	int n = 0;
	ff[n] = (struct form_field){ "Owner", "", UC_NORMAL };
	snprintf(ff[n++].value, sizeof ff[0].value, "%s", d->row.owner[0] ? d->row.owner : "nobody");
	if (d->row.segment[0]) {
		ff[n] = (struct form_field){ "Segment", "", UC_NORMAL };
		snprintf(ff[n++].value, sizeof ff[0].value, "%s", d->row.segment);
	}
	if (d->city[0] || d->country[0]) {
		ff[n] = (struct form_field){ "", "", UC_NORMAL };
		snprintf(ff[n++].value, sizeof ff[0].value, "%s%s%s", d->city,
		         d->city[0] && d->country[0] ? ", " : "", d->country);
	}
	if (d->has_employees) {
		ff[n] = (struct form_field){ "Employees", "", UC_NORMAL };
		uil_count(d->employees, ff[n++].value, sizeof ff[0].value);
	}
	if (d->has_revenue) {
		ff[n] = (struct form_field){ "Revenue", "", UC_NORMAL };
		uil_money(true, d->annual_revenue, mu, 6, ascii, ff[n++].value, sizeof ff[0].value);
	}
	y += form_flow(ff, n, (struct ui_rect){ y, r.x, r.h - (y - r.y), r.w });
	n = 0;
	char age[16];
	uil_age(d->row.has_measured_on, d->row.measured_on, qpc_browse_as_of(s->app->br), age, sizeof age);
	ff[n] = (struct form_field){ "QPC", "", d->row.stale ? UC_STALE : UC_NORMAL };
	if (f->qpc_measured) {
		char m[32];
		uil_money(true, f->qpc, mu, 14, ascii, m, sizeof m);
		snprintf(ff[n++].value, sizeof ff[0].value, "%s (%s%s old)", m,
		         d->row.qpc_verified ? "verified, " : "", age);
	} else {
		snprintf(ff[n++].value, sizeof ff[0].value, "not measured");
	}
	if (d->has_estimate) {
		char m[32];
		ff[n] = (struct form_field){ "Estimate", "", UC_DIM };
		uil_money(true, d->estimate, mu, 14, ascii, m, sizeof m);
		snprintf(ff[n++].value, sizeof ff[0].value, "%s (%s x factor, %d accounts)", m,
		         d->estimate_by_employees ? "employees" : "revenue", d->estimate_accounts);
		if (f->qpc_measured && qpc_is_underestimate(f->qpc, d->estimate))
			ff[n - 1].color = UC_WARN; /* the underestimate the method warns of */
	}
	ff[n] = (struct form_field){ "Sales 12m", "", UC_NORMAL };
	uil_money(true, f->sales_12m, mu, 14, ascii, ff[n++].value, sizeof ff[0].value);
	ff[n] = (struct form_field){ "Share", "", f->share.kind == QPC_SHARE_OVER ? UC_OVER : UC_NORMAL };
	uil_share(f->share, ascii, ff[n].value, sizeof ff[0].value);
	if (f->share.kind == QPC_SHARE_OVER)
		strcat(ff[n].value, " QPC underestimated");
	n++;
	ff[n] = (struct form_field){ "Untapped", "", UC_NORMAL };
	uil_money(f->untapped_known, f->untapped, mu, 14, ascii, ff[n++].value, sizeof ff[0].value);
	if (d->has_rep_share) {
		ff[n] = (struct form_field){ "Rep's estimate", "", UC_NORMAL };
		if (rep_estimate(d->rep_share_bp, f->share, ff[n].value, sizeof ff[0].value) > 0)
			ff[n].color = UC_WARN; /* reps overestimate their share */
		n++;
	}
	y += form_flow(ff, n, (struct ui_rect){ y, r.x, r.h - (y - r.y), r.w });
	/* a partner's quality, and the contract */
	n = 0;
	if (s->has_quality && s->quality == QPC_CONFIRMED) {
		ff[n] = (struct form_field){ "Partner", "confirmed", UC_GOOD };
		snprintf(ff[n++].value, sizeof ff[0].value, "confirmed: %s", qpc_quality_reason(s->quality));
	} else if (s->has_quality) {
		ff[n] = (struct form_field){ "Partner", "", UC_WARN };
		snprintf(ff[n++].value, sizeof ff[0].value, "provisional (%s): %s",
		         qpc_quality_name(s->quality), qpc_quality_reason(s->quality));
	}
	if (s->contract.any) {
		ff[n] = (struct form_field){ "Contract", "", s->contract.in_force ? UC_PARTNER : UC_DIM };
		contract_describe(s->app, &s->contract, qpc_browse_as_of(s->app->br), ff[n].value,
		                  sizeof ff[0].value);
		n++;
	}
	if (s->kept_traits || s->traits[0]) {
		ff[n] = (struct form_field){ "Traits", "", s->traits[0] ? UC_NORMAL : UC_DIM };
		snprintf(ff[n++].value, sizeof ff[0].value, "%.150s",
		         s->traits[0] ? s->traits : "none rated");
	}
	ff[n] = (struct form_field){ "Objective", "", UC_NORMAL };
	snprintf(ff[n++].value, sizeof ff[0].value, "%s", s->objective);
	if (n > 0 && y < r.y + r.h)
		y += form_flow(ff, n, (struct ui_rect){ y, r.x, r.h - (y - r.y), r.w });
	if (y < r.y + r.h) {
		char label[64];
		snprintf(label, sizeof label, "Sales %04d-%02d to now ", d->first_year, d->first_month);
		int lw = draw_span(y, r.x, r.w, label, theme_attr(UC_DIM));
		chart_spark(y, r.x + lw, r.w - lw, d->month_sales, QPC_DETAIL_MONTHS);
		y++;
	}
	return y - r.y;
}

/* A pane: its title, then its list (the history a pager's window). */
static void draw_pane(struct detail *s, enum pane p, int nrows, struct ui_rect r, const char *title)
{
	if (r.h <= 0)
		return;
	s->area[p] = r;
	pane_title(r, title, s->focus == p);
	if (r.h < 2)
		return;
	listbox_draw(&s->box[p], nrows, (struct ui_rect){ r.y + 1, r.x, r.h - 1, r.w }, s->focus == p);
}

static void draw(struct view *v, struct ui_rect r)
{
	struct detail *s = v->data;
	memset(s->area, 0, sizeof s->area);
	if (!s->loaded) {
		draw_text(r.y + 1, r.x + 1, r.w - 2, s->err.msg, TEXTCELL_LEFT, theme_attr(UC_ERROR));
		return;
	}
	/* every figure above panes of at least three rows, or one pane at a
	 * time, the figures scrolled in theirs */
	int min[3] = { 3, s->d->candidate ? 3 : 0, 3 };
	draw_clip(0, 0);
	int used = draw_figures(s, (struct ui_rect){ r.y, r.x, r.h, r.w });
	draw_unclip();
	s->alone = used + min[0] + min[1] + min[2] > r.h;
	if (!s->alone && s->focus == P_FIGURES)
		s->focus = P_LINES;
	int want[3] = { s->d->nlines + 2, s->d->candidate ? s->d->nsteps + 2 : 0, -1 }, h[3];
	if (s->alone) {
		for (int p = 0; p < 3; p++)
			h[p] = s->focus == (enum pane)p ? r.h : 0;
		used = 0;
	} else {
		draw_figures(s, r);
		uil_split(r.h - used, 3, min, want, h);
	}
	int y = r.y + used, shown = 1, npanes = s->d->candidate ? 4 : 3;
	for (int i = 0; i < P_COUNT && pane_order[i] != s->focus; i++)
		shown += pane_order[i] != P_CHECKLIST || s->d->candidate;
	char title[96], where[32] = "";
	if (s->alone)
		snprintf(where, sizeof where, " (%d/%d, Tab: next)", shown, npanes);
	if (s->alone && s->focus == P_FIGURES && r.h >= 2) {
		s->area[P_FIGURES] = r;
		snprintf(title, sizeof title, "Figures%s", where);
		pane_title(r, title, true);
		scrolled_draw(&s->fig, (struct ui_rect){ r.y + 1, r.x, r.h - 1, r.w }, draw_figures, s);
	}
	snprintf(title, sizeof title, "QPC by category%s%s", s->d->more_lines ? " (more not shown)" : "", where);
	draw_pane(s, P_LINES, s->d->nlines, (struct ui_rect){ y, r.x, h[0], r.w }, title);
	y += h[0];
	if (s->d->candidate) {
		int done = 0;
		for (int i = 0; i < s->d->nsteps; i++)
			done += s->d->steps[i].ticked;
		char day[QPC_DATE_ISO_LEN];
		snprintf(title, sizeof title, "Candidate since %s: %d of %d done%s",
		         qpc_date_format(s->d->nominated_on, day), done, s->d->nsteps, where);
		draw_pane(s, P_CHECKLIST, s->d->nsteps, (struct ui_rect){ y, r.x, h[1], r.w }, title);
		y += h[1];
	}
	snprintf(title, sizeof title, "History%s", where);
	draw_pane(s, P_HISTORY, 0, (struct ui_rect){ y, r.x, h[2], r.w }, title);
}

static void status(struct view *v, char *buf, size_t n)
{
	struct detail *s = v->data;
	static const char *const names[P_COUNT] = { "QPC lines", "checklist", "history", "figures" };
	snprintf(buf, n, "%s  Tab: %s", s->loaded ? s->d->row.name : "", names[s->focus]);
}


static void next_pane(struct detail *s, int step)
{
	int i = 0;
	while (pane_order[i] != s->focus)
		i++;
	do
		s->focus = pane_order[i = (i + P_COUNT + step) % P_COUNT];
	while ((s->focus == P_CHECKLIST && !s->d->candidate) || (s->focus == P_FIGURES && !s->alone));
}

static unsigned action(struct view *v, enum qpc_action a)
{
	struct detail *s = v->data;
	if (!s->loaded)
		return UI_IGNORED;
	unsigned fx = candidacy_action(s->app, a, s->id);
	if (fx)
		return fx;
	if (s->focus == P_FIGURES) {
		if (scrolled_move(&s->fig, a))
			return UI_HANDLED | UI_REDRAW;
		if (a == QPC_ACT_MOVE_DOWN || a == QPC_ACT_MOVE_UP || a == QPC_ACT_PAGE_DOWN ||
		    a == QPC_ACT_PAGE_UP || a == QPC_ACT_FIRST || a == QPC_ACT_LAST)
			return UI_HANDLED;
	} else if ((fx = listbox_action(&s->box[s->focus], a))) {
		return fx;
	}
	switch (a) {
	case QPC_ACT_NEXT_PANE: next_pane(s, 1); break;
	case QPC_ACT_PREV_PANE: next_pane(s, -1); break;
	case QPC_ACT_OPEN: /* the checklist pane opens the checklist */
		if (s->focus == P_CHECKLIST)
			checklist_open(s->app, s->id);
		break;
	case QPC_ACT_EDIT_QPC: editor_open(s->app, s->id); break;
	default: return UI_IGNORED;
	}
	return UI_HANDLED | UI_REDRAW;
}

static unsigned mouse(struct view *v, const struct ui_mouse *m)
{
	struct detail *s = v->data;
	for (int p = 0; p < P_COUNT; p++) {
		struct ui_rect r = s->area[p];
		if (r.h < 2 || m->y < r.y || m->y >= r.y + r.h)
			continue;
		s->focus = (enum pane)p;
		if (p == P_FIGURES) {
			if (m->kind == UI_WHEEL_UP || m->kind == UI_WHEEL_DOWN)
				scrolled_move(&s->fig, m->kind == UI_WHEEL_UP ? QPC_ACT_MOVE_UP
				                                             : QPC_ACT_MOVE_DOWN);
			continue;
		}
		listbox_mouse(&s->box[p], m);
	}
	return UI_HANDLED | UI_REDRAW;
}

static bool work(struct view *v)
{
	struct detail *s = v->data;
	return pager_work(&s->history);
}

static void reload(struct view *v)
{
	load(v->data);
}

static const struct view_ops ops = {
	.title = "Account",
	.scope = QPC_IN_LISTS | QPC_IN_PANES | QPC_IN_ACCOUNT,
	.open = open_view,
	.close = close_view,
	.draw = draw,
	.action = action,
	.mouse = mouse,
	.work = work,
	.status = status,
	.reload = reload,
};

void detail_open(struct app *a, int64_t account_id)
{
	struct detail *s = calloc(1, sizeof *s);
	if (s && !(s->d = malloc(sizeof *s->d))) {
		free(s);
		s = NULL;
	}
	if (!s) {
		app_message(a, true, "out of memory");
		return;
	}
	s->app = a;
	s->id = account_id;
	s->focus = P_FIGURES; /* where a small screen starts: who it is */
	struct pager_src src = { sizeof(struct qpc_history_row), hist_id, hist_fetch, s };
	pager_init(&s->history, &src);
	s->box[P_LINES].t = (struct table){ .cols = line_cols, .ncols = 7, .sort_col = -1, .cell = line_cell, .ctx = s };
	s->box[P_CHECKLIST].t = (struct table){ .cols = step_cols, .ncols = 5, .sort_col = -1, .cell = step_cell, .ctx = s };
	s->box[P_HISTORY].t = (struct table){ .cols = hist_cols, .ncols = 4, .sort_col = -1, .cell = hist_cell, .ctx = s };
	s->box[P_HISTORY].pg = &s->history;
	app_push(a, view_new(a, &ops, s));
}
