/* view_dashboard.c — the team's figures beside the method's guidelines,
 * this year's goal, the share distribution, the profit curve with the
 * partners marked, and the largest untapped potentials.
 *
 * Wide terminals show the four panes at once; narrow ones one at a time,
 * Tab moving on.  The figures read every account once, so they are
 * computed after the first paint, and again when the data changes.
 */
#include <stdlib.h>
#include <string.h>

#include "ui.h"

enum dpane { D_FIGURES, D_SHARE, D_CURVE, D_TOP, D_COUNT };

static const char *const pane_names[D_COUNT] = { "Figures [guideline]", "Customers by share of QPC",
	                                         "Profit curve", "Most untapped potential" };

struct dash {
	struct app *app;
	struct qpc_dashboard *d;
	bool loaded, stale;
	struct qpc_error err;
	enum dpane focus;
	int cursor;
	bool wide;
	struct table top;
	struct ui_rect area[D_COUNT];
};

static const struct table_col top_cols[] = {
	{ "Name", { 10, 28, 3, 100 }, TEXTCELL_LEFT },
	{ "Owner", { 5, 8, 1, 40 }, TEXTCELL_LEFT },
	{ "Untapped", { 6, 10, 0, 90 }, TEXTCELL_RIGHT },
	{ "Share", { 6, 6, 0, 80 }, TEXTCELL_RIGHT },
	{ "Status", { 7, 9, 0, 70 }, TEXTCELL_LEFT },
};

static void top_cell(void *ctx, int row, int col, int width, char *buf, size_t n, attr_t *attr)
{
	struct dash *s = ctx;
	const struct qpc_browse_row *r = &s->d->top[row];
	bool ascii = draw_glyphs()->ascii;
	switch (col) {
	case 0: snprintf(buf, n, "%s", r->name); break;
	case 1: snprintf(buf, n, "%s", r->owner); break;
	case 2:
		uil_money(r->fig.untapped_known, r->fig.untapped, s->app->minor_units, width, ascii, buf, n);
		break;
	case 3: uil_share(r->fig.share, ascii, buf, n); break;
	case 4:
		snprintf(buf, n, "%s", qpc_status_name(r->fig.status));
		*attr = theme_attr(theme_status(r->fig.status));
		break;
	}
}

/* "  3.8% [3-5%]": the figure beside the method's guideline, coloured by
 * whether it is within. */
static void versus(struct form_field *f, bool known, double v, double lo, double hi)
{
	size_t len = strlen(f->value);
	if (!known)
		return;
	snprintf(f->value + len, sizeof f->value - len, "  %.1f%% [%.0f-%.0f%%]", v * 100,
	         lo * 100, hi * 100);
	f->color = v >= lo && v <= hi ? UC_GOOD : UC_WARN;
}

static int figures(struct dash *s, struct form_field *f)
{
	const struct qpc_kpi *k = &s->d->report.kpi;
	const struct qpc_kpi_ratios *q = &s->d->report.ratios;
	bool ascii = draw_glyphs()->ascii;
	int mu = s->app->minor_units, n = 0;
#define FIELD(label) (f[n] = (struct form_field){ label, "", UC_NORMAL }, &f[n++])
	uil_count(k->accounts, FIELD("Accounts")->value, sizeof f->value);
	uil_count(k->customers, FIELD("Customers")->value, sizeof f->value);
	struct form_field *p = FIELD("Partners");
	uil_count(k->partners, p->value, sizeof p->value);
	versus(p, q->partner_share_of_customers_known, q->partner_share_of_customers,
	       QPC_GUIDE_PARTNERS_LO, QPC_GUIDE_PARTNERS_HI);
	uil_count(k->contract_partners, FIELD("  contract")->value, sizeof f->value);
	uil_count(k->candidates, FIELD("Candidates")->value, sizeof f->value);
	uil_money(true, k->sales_12m, mu, 10, ascii, FIELD("Sales 12m")->value, sizeof f->value);
	uil_money(true, k->gp_12m, mu, 10, ascii, FIELD("Gross profit")->value, sizeof f->value);
	p = FIELD("  partners");
	uil_money(true, k->partner_gp_12m, mu, 10, ascii, p->value, sizeof p->value);
	versus(p, q->partner_share_of_gp_known, q->partner_share_of_gp, QPC_GUIDE_GP_LO,
	       QPC_GUIDE_GP_HI);
	if (k->net_known > 0) {
		p = FIELD("Net profit");
		uil_money(true, k->net_12m, mu, 10, ascii, p->value, sizeof p->value);
		if (q->partner_share_of_net_known) {
			size_t len = strlen(p->value);
			snprintf(p->value + len, sizeof p->value - len, "  %.1f%% partners'",
			         q->partner_share_of_net * 100);
		}
	}
	p = FIELD("QPC");
	char m[32], a[32];
	uil_money(true, k->qpc_total, mu, 10, ascii, m, sizeof m);
	uil_count(k->measured, a, sizeof a);
	snprintf(p->value, sizeof p->value, "%s  %s measured", m, a);
	p = FIELD("Share of QPC");
	uil_share(q->overall, ascii, p->value, sizeof p->value);
	if (q->overall.kind == QPC_SHARE_OVER) {
		strcat(p->value, " QPC underestimated");
		p->color = UC_OVER;
	}
	uil_money(true, k->untapped, mu, 10, ascii, FIELD("Untapped")->value, sizeof f->value);
#undef FIELD
	return n;
}

static void draw_figures(struct dash *s, struct ui_rect r)
{
	struct form_field f[16];
	int n = figures(s, f);
	int used = form_draw(f, n, (struct ui_rect){ r.y, r.x, r.h - 1, r.w }, 1);
	int y = r.y + used;
	if (y >= r.y + r.h)
		return;
	const struct qpc_report *rep = &s->d->report;
	char label[96];
	if (!rep->has_goal) {
		snprintf(label, sizeof label, "Goal %d: none set", qpc_date_year(rep->as_of));
		draw_text(y, r.x, r.w, label, TEXTCELL_LEFT, theme_attr(UC_DIM));
		return;
	}
	snprintf(label, sizeof label, "Goal %d", rep->goal.year);
	int lw = draw_span(y, r.x, r.w, label, theme_attr(UC_LABEL)) + 1;
	snprintf(label, sizeof label, "%lld/%lld partners", (long long)rep->goal.achieved,
	         (long long)rep->goal.target);
	gauge_draw(y, r.x + lw, r.w - lw, rep->goal.achieved, rep->goal.target, label);
}

static void draw_share(struct dash *s, struct ui_rect r)
{
	const int64_t *b = s->d->share_buckets;
	struct chart_bar bars[QPC_BUCKET_COUNT] = {
		{ "0-25%", b[QPC_BUCKET_0_25], UC_CHART, NULL },
		{ "25-50%", b[QPC_BUCKET_25_50], UC_CHART, NULL },
		{ "50-75%", b[QPC_BUCKET_50_75], UC_CHART, NULL },
		{ "75-100%", b[QPC_BUCKET_75_100], UC_PARTNER, NULL },
		{ "100%+", b[QPC_BUCKET_OVER], UC_OVER, "QPC underestimated" },
	};
	chart_bars(bars, QPC_BUCKET_COUNT, r);
	if (r.h > QPC_BUCKET_COUNT && s->d->share_unknown > 0) {
		char line[64], n[32];
		uil_count(s->d->share_unknown, n, sizeof n);
		snprintf(line, sizeof line, "No QPC yet: %s customers", n);
		draw_text(r.y + QPC_BUCKET_COUNT, r.x, r.w, line, TEXTCELL_LEFT, theme_attr(UC_STALE));
	}
}

static void draw_curve(struct dash *s, struct ui_rect r)
{
	const struct qpc_dashboard *d = s->d;
	if (d->curve_n == 0 || r.h < 3) {
		draw_text(r.y, r.x, r.w, "No customers yet.", TEXTCELL_LEFT, theme_attr(UC_DIM));
		return;
	}
	/* The headline: what the best fifth of customers make. */
	int fifth = (d->curve_n + 4) / 5 - 1;
	qpc_money total = d->curve_gp[d->curve_n - 1];
	char line[128];
	if (total > 0)
		snprintf(line, sizeof line, "Top 20%% of customers make %.0f%% of GP  %s partners",
		         100.0 * (double)d->curve_gp[fifth] / (double)total, draw_glyphs()->mark);
	else
		snprintf(line, sizeof line, "No gross profit in 12 months");
	draw_text(r.y, r.x, r.w, line, TEXTCELL_LEFT, theme_attr(UC_DIM));
	chart_curve(d->curve_gp, d->curve_partners, d->curve_n,
	            (struct ui_rect){ r.y + 1, r.x, r.h - 1, r.w });
}

static void draw_top(struct dash *s, struct ui_rect r)
{
	s->top.nrows = s->d->ntop;
	s->top.focused = s->focus == D_TOP;
	if (s->cursor >= s->d->ntop)
		s->cursor = s->d->ntop > 0 ? s->d->ntop - 1 : 0;
	s->top.cursor = s->top.focused ? s->cursor : -1;
	s->top.top = uil_scroll(s->cursor, s->top.top, r.h - 1, s->d->ntop, 0);
	table_draw(&s->top, r);
}

static void draw_pane(struct dash *s, enum dpane p, struct ui_rect r)
{
	static void (*const fns[D_COUNT])(struct dash *, struct ui_rect) = {
		draw_figures, draw_share, draw_curve, draw_top,
	};
	s->area[p] = r;
	if (r.h < 2 || r.w < 4)
		return;
	char title[96];
	if (s->wide)
		snprintf(title, sizeof title, "%s", pane_names[p]);
	else
		snprintf(title, sizeof title, "%s (%d/%d, Tab: next)", pane_names[p], p + 1, D_COUNT);
	pane_title(r, title, s->focus == p);
	fns[p](s, (struct ui_rect){ r.y + 1, r.x, r.h - 1, r.w });
}

static void draw(struct view *v, struct ui_rect r)
{
	struct dash *s = v->data;
	memset(s->area, 0, sizeof s->area);
	if (!s->loaded) {
		draw_text(r.y + 1, r.x + 1, r.w - 2,
		          s->err.msg[0] ? s->err.msg : "Computing the dashboard: it reads every account once...",
		          TEXTCELL_LEFT, theme_attr(s->err.msg[0] ? UC_ERROR : UC_DIM));
		return;
	}
	s->wide = r.w >= 72 && r.h >= 18;
	if (!s->wide) {
		draw_pane(s, s->focus, r);
		return;
	}
	int bottom = s->d->ntop + 2;
	if (bottom > r.h - 14)
		bottom = r.h - 14 > 4 ? r.h - 14 : 4;
	int top = r.h - bottom, half = r.w / 2, share = top / 2 < 7 ? top / 2 : 7;
	draw_pane(s, D_FIGURES, (struct ui_rect){ r.y, r.x, top, half - 1 });
	draw_pane(s, D_SHARE, (struct ui_rect){ r.y, r.x + half, share, r.w - half });
	draw_pane(s, D_CURVE, (struct ui_rect){ r.y + share, r.x + half, top - share, r.w - half });
	draw_pane(s, D_TOP, (struct ui_rect){ r.y + top, r.x, bottom, r.w });
}

static bool work(struct view *v)
{
	struct dash *s = v->data;
	if (!s->stale)
		return false;
	s->stale = false;
	memset(&s->err, 0, sizeof s->err);
	s->loaded = qpc_browse_dashboard(s->app->br, s->d, &s->err) == QPC_OK;
	return false;
}

static void status(struct view *v, char *buf, size_t n)
{
	struct dash *s = v->data;
	snprintf(buf, n, "Dashboard  %s  Tab: next pane", pane_names[s->focus]);
}

static unsigned action(struct view *v, enum qpc_action a)
{
	struct dash *s = v->data;
	switch (a) {
	case QPC_ACT_NEXT_PANE: s->focus = (enum dpane)((s->focus + 1) % D_COUNT); break;
	case QPC_ACT_PREV_PANE: s->focus = (enum dpane)((s->focus + D_COUNT - 1) % D_COUNT); break;
	case QPC_ACT_MOVE_DOWN:
		s->focus = D_TOP;
		s->cursor = s->cursor + 1 < s->d->ntop ? s->cursor + 1 : s->cursor;
		break;
	case QPC_ACT_MOVE_UP: s->focus = D_TOP, s->cursor = s->cursor > 0 ? s->cursor - 1 : 0; break;
	case QPC_ACT_FIRST: s->focus = D_TOP, s->cursor = 0; break;
	case QPC_ACT_LAST: s->focus = D_TOP, s->cursor = s->d->ntop > 0 ? s->d->ntop - 1 : 0; break;
	case QPC_ACT_OPEN:
		if (!s->loaded || s->focus != D_TOP || s->d->ntop == 0)
			return UI_IGNORED;
		detail_open(s->app, s->d->top[s->cursor < s->d->ntop ? s->cursor : 0].id);
		break;
	default: return UI_IGNORED;
	}
	return UI_HANDLED | UI_REDRAW;
}

static unsigned mouse(struct view *v, const struct ui_mouse *m)
{
	struct dash *s = v->data;
	for (int p = 0; p < D_COUNT; p++) {
		struct ui_rect r = s->area[p];
		if (r.h == 0 || m->y < r.y || m->y >= r.y + r.h || m->x < r.x || m->x >= r.x + r.w)
			continue;
		s->focus = (enum dpane)p;
		if (p != D_TOP || !s->loaded)
			break;
		if (m->kind == UI_WHEEL_UP || m->kind == UI_WHEEL_DOWN) {
			s->cursor += m->kind == UI_WHEEL_UP ? -1 : 1;
			s->cursor = s->cursor < 0 ? 0 : s->cursor;
			break;
		}
		int col, row = table_hit(&s->top, (struct ui_rect){ r.y + 1, r.x, r.h - 1, r.w }, m->y,
		                         m->x, &col);
		if (row >= 0) {
			s->cursor = row;
			if (m->kind == UI_DOUBLE)
				detail_open(s->app, s->d->top[row].id);
		}
	}
	return UI_HANDLED | UI_REDRAW;
}

static void open_view(struct view *v)
{
	struct dash *s = v->data;
	s->stale = true;
}

static void reload(struct view *v)
{
	struct dash *s = v->data;
	s->stale = true;
}

static void close_view(struct view *v)
{
	struct dash *s = v->data;
	free(s->d);
	free(s);
}

static const struct view_ops ops = {
	.title = "Dashboard",
	.scope = QPC_IN_LISTS | QPC_IN_PANES,
	.open = open_view,
	.close = close_view,
	.draw = draw,
	.action = action,
	.mouse = mouse,
	.work = work,
	.status = status,
	.reload = reload,
};

struct view *dashboard_view(struct app *a)
{
	struct dash *s = calloc(1, sizeof *s);
	if (s && !(s->d = calloc(1, sizeof *s->d))) {
		free(s);
		s = NULL;
	}
	if (!s)
		return NULL;
	s->app = a;
	s->focus = D_FIGURES;
	s->top = (struct table){ .cols = top_cols, .ncols = 5, .sort_col = -1, .cell = top_cell, .ctx = s };
	return view_new(a, &ops, s);
}
