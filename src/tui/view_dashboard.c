/* view_dashboard.c — the team's figures beside the method's guidelines
 * (partners confirmed and provisional among them), this year's goal, the
 * share distribution, the trend of partners and share over 24 months,
 * the profit curve with the partners marked, and the largest untapped
 * potentials.
 *
 * Wide terminals show the five panes at once; narrow ones one at a time,
 * Tab moving on.  The figures read every account once, so they are
 * computed after the first paint, and again when the data changes.  The
 * trend reads whole tables, seconds at a million accounts: it runs in a
 * thread (qpc_browse_trend_start), and the pane fills in when it is done.
 */
#include <stdlib.h>
#include <string.h>

#include "ui.h"

enum dpane { D_FIGURES, D_SHARE, D_TREND, D_CURVE, D_TOP, D_COUNT };

static const char *const pane_names[D_COUNT] = { "Figures [guideline]", "Customers by share of QPC",
	                                         "Trend, 24 months", "Profit curve",
	                                         "Most untapped potential" };

struct dash {
	struct app *app;
	struct qpc_dashboard *d;
	bool loaded, stale;
	struct qpc_error err;
	/* The trend: computed in a thread while job is set. */
	struct qpc_trend_job *job;
	struct qpc_dash_trend *trend;
	bool trend_loaded;
	struct qpc_error trend_err;
	enum dpane focus;
	struct scrolled fig; /* the figures, when the pane is too short for them */
	bool wide;
	struct listbox top;
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

/* "  3.8% [3-5%]": num/den beside the method's guideline, coloured by
 * whether it is within.  The share is rounded as everywhere (money.h), and
 * the colour follows what is shown: 5.04% reads 5.0%, within 3-5%. */
static void versus(struct form_field *f, bool known, int64_t num, int64_t den, double lo, double hi)
{
	size_t len = strlen(f->value);
	if (!known)
		return;
	int64_t pm = qpc_permille(num, den);
	char pct[32];
	snprintf(f->value + len, sizeof f->value - len, "  %s [%.0f-%.0f%%]",
	         qpc_permille_format(pm, pct, sizeof pct), lo * 100, hi * 100);
	f->color = pm >= (int64_t)(lo * 1000 + 0.5) && pm <= (int64_t)(hi * 1000 + 0.5) ? UC_GOOD
	                                                                              : UC_WARN;
}

/* The label column form_draw gives these fields: the widest label. */
#define FIGURES_LABEL_W 12

/* "30, 12 provisional", and why (most common reason first) while it fits
 * in w columns: "30, 12 provisional: 7 unverified, 5 stale". */
static void confirmed(const struct qpc_report *rep, int w, char *buf, size_t n)
{
	int64_t prov = rep->kpi.partners - rep->partners_confirmed;
	char c[32], p[32];
	uil_count(rep->partners_confirmed, c, sizeof c);
	uil_count(prov, p, sizeof p);
	if (prov <= 0) {
		snprintf(buf, n, "%s, none provisional", c);
		return;
	}
	snprintf(buf, n, "%s, %s provisional", c, p);
	bool done[QPC_QUALITY_COUNT] = { true }; /* confirmed is no reason */
	for (const char *sep = ": ";; sep = ", ") {
		int best = -1;
		for (int q = 1; q < QPC_QUALITY_COUNT; q++)
			if (!done[q] && rep->provisional[q] > 0 &&
			    (best < 0 || rep->provisional[q] > rep->provisional[best]))
				best = q;
		if (best < 0)
			return;
		done[best] = true;
		char more[64];
		uil_count(rep->provisional[best], p, sizeof p);
		snprintf(more, sizeof more, "%s%s %s", sep, p, qpc_quality_name((enum qpc_quality)best));
		if ((int)(textcell_width(buf) + textcell_width(more)) > w || strlen(buf) + strlen(more) >= n) {
			/* say that more reasons were left out, where a colon said some */
			if (sep[0] == ',' && (int)textcell_width(buf) + 3 <= w && strlen(buf) + 4 < n)
				strcat(buf, ", \xe2\x80\xa6");
			return;
		}
		strcat(buf, more);
	}
}

/* A total as the report shows it, to the cent, or in whole units
 * (rounded) when `cents` is off; *wide is set when it leaves less than
 * `room` columns of the vw the value has. */
static void total(struct form_field *f, qpc_money v, int mu, bool cents, bool *wide, int vw, int room)
{
	qpc_money_format(v, mu, cents ? QPC_MONEY_GROUPED : QPC_MONEY_WHOLE, f->value, sizeof f->value);
	if ((int)textcell_width(f->value) + room > vw)
		*wide = true;
}

/* Appends "  (text)" to f when it still fits in vw columns. */
static bool note(struct form_field *f, const char *text, int vw)
{
	size_t len = strlen(f->value);
	if ((int)(textcell_width(f->value) + 4 + textcell_width(text)) > vw ||
	    len + strlen(text) + 4 > sizeof f->value)
		return false;
	strcat(f->value, "  (");
	strcat(f->value, text);
	strcat(f->value, ")");
	return true;
}

/* The figures' fields, totals with cents or not; *wide when a total and
 * its share do not fit in `width`. */
static int figures_in(struct dash *s, struct form_field *f, int width, bool cents, bool *wide)
{
	const struct qpc_report *rep = &s->d->report;
	const struct qpc_kpi *k = &rep->kpi;
	const struct qpc_kpi_ratios *q = &rep->ratios;
	bool ascii = draw_glyphs()->ascii;
	int mu = s->app->minor_units, n = 0, vw = width - FIGURES_LABEL_W - 2;
#define FIELD(label) (f[n] = (struct form_field){ label, "", UC_NORMAL }, &f[n++])
	uil_count(k->accounts, FIELD("Accounts")->value, sizeof f->value);
	uil_count(k->customers, FIELD("Customers")->value, sizeof f->value);
	struct form_field *p = FIELD("Partners");
	uil_count(k->partners, p->value, sizeof p->value);
	versus(p, q->partner_share_of_customers_known, k->partners, k->customers,
	       QPC_GUIDE_PARTNERS_LO, QPC_GUIDE_PARTNERS_HI);
	if (k->partners > 0) {
		p = FIELD("  confirmed");
		confirmed(rep, vw, p->value, sizeof p->value);
		p->color = rep->partners_confirmed < k->partners ? UC_WARN : UC_GOOD;
	}
	uil_count(k->contract_partners, FIELD("  contract")->value, sizeof f->value);
	uil_count(k->candidates, FIELD("Candidates")->value, sizeof f->value);
	total(FIELD("Sales 12m"), k->sales_12m, mu, cents, wide, vw, 0);
	/* a customer whose profit is unknown is left out, and said so */
	p = FIELD("Gross profit");
	if (q->gp_known)
		total(p, k->gp_12m, mu, cents, wide, vw, 0);
	else
		uil_money(false, 0, mu, 0, ascii, p->value, sizeof p->value);
	if (k->gp_known < k->customers) {
		char c[32], t[96];
		uil_count(k->gp_known, c, sizeof c);
		snprintf(t, sizeof t, "%s customer%s with profit", c, k->gp_known == 1 ? "" : "s");
		if (!note(p, t, vw)) {
			snprintf(t, sizeof t, "%s with profit", c);
			if (!note(p, t, vw))
				note(p, c, vw);
		}
	}
	p = FIELD("  partners");
	if (q->partner_gp_known)
		total(p, k->partner_gp_12m, mu, cents, wide, vw, 16); /* "  65.7% [50-80%]" */
	else
		uil_money(false, 0, mu, 0, ascii, p->value, sizeof p->value);
	versus(p, q->partner_share_of_gp_known, k->partner_gp_12m, k->gp_12m, QPC_GUIDE_GP_LO,
	       QPC_GUIDE_GP_HI);
	if (k->net_known > 0) {
		/* what it rests on: the accounts with a cost-to-serve, as the report */
		char c[32], t[64];
		p = FIELD("Net profit");
		total(p, k->net_12m, mu, cents, wide, vw, 0);
		uil_count(k->net_known, c, sizeof c);
		const char *s_ = k->net_known == 1 ? "" : "s";
		snprintf(t, sizeof t, "%s account%s with cost-to-serve", c, s_);
		if (!note(p, t, vw)) {
			snprintf(t, sizeof t, "%s with cost-to-serve", c);
			if (!note(p, t, vw)) {
				snprintf(t, sizeof t, "%s account%s", c, s_);
				note(p, t, vw);
			}
		}
		if (q->partner_share_of_net_known) {
			p = FIELD("  partners");
			total(p, k->partner_net_12m, mu, cents, wide, vw, 7); /* "  52.3%" */
			size_t len = strlen(p->value);
			snprintf(p->value + len, sizeof p->value - len, "  %s",
			         qpc_permille_format(qpc_permille(k->partner_net_12m, k->net_12m), t, sizeof t));
		}
	}
	p = FIELD("QPC");
	char a[32];
	total(p, k->qpc_total, mu, cents, wide, vw, 0);
	uil_count(k->measured, a, sizeof a);
	size_t len = strlen(p->value);
	snprintf(p->value + len, sizeof p->value - len, "  %s measured", a);
	p = FIELD("Share of QPC");
	uil_share(q->overall, ascii, p->value, sizeof p->value);
	if (q->overall.kind == QPC_SHARE_OVER) {
		strcat(p->value, " QPC underestimated");
		p->color = UC_OVER;
	}
	total(FIELD("Untapped"), k->untapped, mu, cents, wide, vw, 0);
	/* partners whose pace would take them under within three months */
	const struct qpc_dashboard *d = s->d;
	p = FIELD("At risk");
	if (d->at_risk) {
		char m[QPC_DATE_ISO_LEN];
		uil_count(d->at_risk, a, sizeof a);
		qpc_date_format(d->first_crossing, m);
		snprintf(p->value, sizeof p->value, "%s partner%s", a, d->at_risk == 1 ? "" : "s");
		char t[48];
		snprintf(t, sizeof t, "first under by %.7s", m);
		if (!note(p, t, vw)) {
			snprintf(t, sizeof t, "by %.7s", m);
			note(p, t, vw);
		}
		p->color = UC_WARN;
	} else {
		snprintf(p->value, sizeof p->value, "none");
	}
	/* the reps' own estimates of our share, against the measured one */
	p = FIELD("Rep estimate");
	if (d->estimates_measured) {
		char t[64];
		uil_count(d->estimates_measured, a, sizeof a);
		snprintf(p->value, sizeof p->value, "%+.1f pts", d->estimate_gap_points);
		snprintf(t, sizeof t, "median, %s measured", a);
		if (!note(p, t, vw)) {
			snprintf(t, sizeof t, "%s measured", a);
			note(p, t, vw);
		}
	} else {
		snprintf(p->value, sizeof p->value, d->estimates ? "none measured" : "none");
	}
#undef FIELD
	return n;
}

/* Totals to the cent, as the report, when they fit beside their labels;
 * else all in whole units, rounded (one precision down the column). */
static int figures(struct dash *s, struct form_field *f, int width)
{
	bool wide = false;
	int n = figures_in(s, f, width, s->app->minor_units > 0, &wide);
	if (wide)
		n = figures_in(s, f, width, false, &wide);
	return n;
}

/* Partners against the other customers on each trait: the average score
 * and how many are rated (none: nothing drawn). */
static int traits_block(struct dash *s, struct ui_rect r)
{
	const struct qpc_dashboard *d = s->d;
	if (!d->ntraits)
		return 0;
	draw_text(r.y, r.x, r.w, "Traits       partners | others (rated)", TEXTCELL_LEFT,
	          theme_attr(UC_LABEL));
	for (int i = 0; i < d->ntraits; i++) {
		const struct qpc_trait_compare *t = &d->traits[i];
		char p[32] = "-", o[32] = "-", line[160];
		if (t->partners.rated)
			snprintf(p, sizeof p, "%.1f (%lld)", t->partners.average, (long long)t->partners.rated);
		if (t->customers.rated)
			snprintf(o, sizeof o, "%.1f (%lld)", t->customers.average,
			         (long long)t->customers.rated);
		char name[TEXTCELL_FIT_SIZE(10)]; /* cut between characters */
		textcell_fit(t->name, 10, TEXTCELL_LEFT, name, sizeof name);
		snprintf(line, sizeof line, "  %s %s | %s of %d", name, p, o, t->scale_max);
		draw_text(r.y + 1 + i, r.x, r.w, line, TEXTCELL_LEFT, A_NORMAL);
	}
	return 1 + d->ntraits;
}

/* The goal, the method's yardstick, on one line: first, so that it shows
 * however short the pane. */
static void goal_line(struct dash *s, int y, struct ui_rect r)
{
	const struct qpc_report *rep = &s->d->report;
	char label[96];
	if (!rep->has_goal) {
		snprintf(label, sizeof label, "Goal %d: none set", qpc_date_year(rep->as_of));
		draw_text(y, r.x, r.w, label, TEXTCELL_LEFT, theme_attr(UC_DIM));
		return;
	}
	snprintf(label, sizeof label, "Goal %d", rep->goal.year);
	int lw = draw_span(y, r.x, r.w, label, theme_attr(UC_LABEL)) + 1;
	/* how many of those made are confirmed, when a bar still fits */
	snprintf(label, sizeof label, "%lld/%lld partners, %lld confirmed",
	         (long long)rep->goal.achieved, (long long)rep->goal.target,
	         (long long)rep->goal.achieved_confirmed);
	if (r.w - lw - (int)strlen(label) - 3 < 6)
		snprintf(label, sizeof label, "%lld/%lld partners", (long long)rep->goal.achieved,
		         (long long)rep->goal.target);
	gauge_draw(y, r.x + lw, r.w - lw, rep->goal.achieved, rep->goal.target, label);
}

/* The goal, the figures and the traits, all of them (scrolled_fn). */
static int figures_block(void *ctx, struct ui_rect r)
{
	struct dash *s = ctx;
	struct form_field f[20];
	int n = figures(s, f, r.w);
	goal_line(s, r.y, r);
	int y = r.y + 1 + form_draw(f, n, (struct ui_rect){ r.y + 1, r.x, r.h - 1, r.w }, 1);
	return y - r.y + traits_block(s, (struct ui_rect){ y, r.x, r.h, r.w });
}

/* A pane too short for the figures scrolls, and says so. */
static void draw_figures(struct dash *s, struct ui_rect r)
{
	scrolled_draw(&s->fig, r, figures_block, s);
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
		snprintf(line, sizeof line, "No QPC yet: %s customer%s", n,
		         s->d->share_unknown == 1 ? "" : "s");
		draw_text(r.y + QPC_BUCKET_COUNT, r.x, r.w, line, TEXTCELL_LEFT, theme_attr(UC_STALE));
	}
}

/* "Nov 2026" of a month end. */
static void month_name(qpc_date d, char *buf, size_t n)
{
	static const char *const names[12] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
		                               "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	int y, m, day;
	qpc_date_to_ymd(d, &y, &m, &day);
	snprintf(buf, n, "%s %d", names[(m - 1) % 12], y);
}

/* A series of the trend: its label, its values, and how each reads. */
struct series {
	const char *label;
	int64_t v[QPC_DASH_MONTHS];
	char text[QPC_DASH_MONTHS][24];
};

/* Each series on a line: its label, a sparkline of the latest months that
 * fit (the same months on every line) and its values at the first and
 * the last of them: "Partners ▁▂▃▅▇ 23 → 30". */
static void trend_lines(struct ui_rect r, const struct series *s, int nseries, int n)
{
	const char *arrow = draw_glyphs()->ascii ? "->" : "\xe2\x86\x92";
	const int lw = 9;
	int shown = n;
	char range[64];
	/* as many months as leave room for the widest "first -> last" */
	for (; shown >= 4; shown--) {
		int rw = 0;
		for (int i = 0; i < nseries; i++) {
			snprintf(range, sizeof range, "%s %s %s", s[i].text[n - shown], arrow,
			         s[i].text[n - 1]);
			int w = (int)textcell_width(range);
			rw = w > rw ? w : rw;
		}
		if (lw + shown + 1 + rw <= r.w)
			break;
	}
	for (int i = 0; i < nseries && i < r.h; i++) {
		int y = r.y + i, x = r.x + lw;
		draw_text(y, r.x, lw - 1, s[i].label, TEXTCELL_LEFT, theme_attr(UC_LABEL));
		int from = shown >= 4 ? n - shown : n - 1;
		if (shown >= 4) {
			chart_range(y, x, shown, s[i].v + from, shown);
			x += shown + 1;
		}
		snprintf(range, sizeof range, "%s %s %s", s[i].text[from], arrow, s[i].text[n - 1]);
		draw_text(y, x, r.x + r.w - x, range, TEXTCELL_LEFT, A_NORMAL);
	}
}

static void draw_trend(struct dash *s, struct ui_rect r)
{
	const struct qpc_dash_trend *t = s->trend;
	if (!s->trend_loaded || t->n == 0) {
		const char *msg = s->trend_err.msg[0] ? s->trend_err.msg
		                  : s->trend_loaded     ? "No months to show."
		                                        : "Computing the trend...";
		draw_text(r.y, r.x, r.w, msg, TEXTCELL_LEFT,
		          theme_attr(s->trend_err.msg[0] ? UC_ERROR : UC_DIM));
		return;
	}
	struct series lines[2];
	int64_t made = 0, lost = 0;
	bool ascii = draw_glyphs()->ascii;
	lines[0].label = "Partners";
	lines[1].label = "Share";
	for (int i = 0; i < t->n; i++) {
		const struct qpc_trend_point *p = &t->pts[i];
		lines[0].v[i] = p->partners;
		uil_count(p->partners, lines[0].text[i], sizeof lines[0].text[i]);
		lines[1].v[i] = p->share.kind == QPC_SHARE_UNDEFINED ? 0 : p->share.bp;
		uil_share(p->share, ascii, lines[1].text[i], sizeof lines[1].text[i]);
		if (i >= t->n - 12) { /* the last 12 months */
			made += p->new_partners;
			lost += p->lost_partners;
		}
	}
	trend_lines(r, lines, 2, t->n);
	int y = r.y + 2;
	if (y >= r.y + r.h)
		return;
	char a[32], b[32], line[160];
	uil_count(made, a, sizeof a);
	uil_count(lost, b, sizeof b);
	snprintf(line, sizeof line, "12 months: %s new partner%s, %s lost", a, made == 1 ? "" : "s", b);
	draw_text(y++, r.x, r.w, line, TEXTCELL_LEFT, theme_attr(UC_DIM));
	/* the latest month ends below, when there is room */
	if (y + 1 >= r.y + r.h)
		return;
	snprintf(line, sizeof line, "%-9s %9s %5s %5s %7s", "Month", "Partners", "New", "Lost", "Share");
	draw_text(y++, r.x, r.w, line, TEXTCELL_LEFT, theme_attr(UC_HEADER));
	int rows = r.y + r.h - y;
	for (int i = t->n - 1; i >= 0 && i >= t->n - rows; i--) {
		char m[16];
		const struct qpc_trend_point *p = &t->pts[i];
		month_name(p->month_end, m, sizeof m);
		snprintf(line, sizeof line, "%-9s %9s %5lld %5lld %7s", m, lines[0].text[i],
		         (long long)p->new_partners, (long long)p->lost_partners, lines[1].text[i]);
		draw_text(y++, r.x, r.w, line, TEXTCELL_LEFT, A_NORMAL);
	}
}

static void draw_curve(struct dash *s, struct ui_rect r)
{
	const struct qpc_dashboard *d = s->d;
	if (d->curve_n == 0 || r.h < 3) {
		draw_text(r.y, r.x, r.w,
		          d->curve_unknown > 0 ? "No customer's gross profit is known: the sales carry no profit."
		                               : "No customers yet.",
		          TEXTCELL_LEFT, theme_attr(UC_DIM));
		return;
	}
	/* The headline: what the best fifth of customers make, of all
	 * customers' gross profit.  When the others lose money in sum, the
	 * fifth makes more than the whole: the line says what the others
	 * make, so that the two add up to 100%. */
	int fifth = (d->curve_n + 4) / 5 - 1;
	qpc_money all = d->curve_gp[d->curve_n - 1];
	int64_t top = qpc_percent(d->curve_gp[fifth], all);
	char line[160], rest[48] = "", who[64] = "customers";
	if (top > 100)
		snprintf(rest, sizeof rest, ", the rest %lld%%", (long long)(100 - top));
	if (d->curve_unknown > 0) /* those whose profit is unknown are not on the curve */
		snprintf(who, sizeof who, "customers with profit");
	snprintf(line, sizeof line, "Top 20%% of %s make %lld%% of GP%s  %s partners", who,
	         (long long)top, rest, draw_glyphs()->mark);
	if ((int)textcell_width(line) > r.w) /* the figures first, the legend after */
		snprintf(line, sizeof line, "Top 20%% of %s: %lld%% of GP%s", who, (long long)top, rest);
	if ((int)textcell_width(line) > r.w)
		snprintf(line, sizeof line, "Top 20%% of customers: %lld%% of GP%s", (long long)top, rest);
	if (all <= 0)
		snprintf(line, sizeof line, "No gross profit in 12 months");
	draw_text(r.y, r.x, r.w, line, TEXTCELL_LEFT, theme_attr(UC_DIM));
	chart_curve(d->curve_gp, d->curve_partners, d->curve_n,
	            (struct ui_rect){ r.y + 1, r.x, r.h - 1, r.w });
}

static void draw_top(struct dash *s, struct ui_rect r)
{
	listbox_draw(&s->top, s->d->ntop, r, s->focus == D_TOP);
}

static void draw_pane(struct dash *s, enum dpane p, struct ui_rect r)
{
	static void (*const fns[D_COUNT])(struct dash *, struct ui_rect) = {
		draw_figures, draw_share, draw_trend, draw_curve, draw_top,
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
	/* the figures whole above, the rest below */
	struct form_field f[20];
	int need = figures(s, f, r.w / 2 - 1) + 2; /* and the title, the goal */
	need += s->d->ntraits ? s->d->ntraits + 1 : 0;
	need = need < 14 ? 14 : need;
	int bottom = s->d->ntop + 2;
	if (bottom > r.h - need)
		bottom = r.h - need > 3 ? r.h - need : 3; /* a heading and a row */
	int top = r.h - bottom, half = r.w / 2;
	/* the right column: share, trend, curve; the curve takes the rest */
	int min[3] = { 6, 4, 4 }, want[3] = { 7, 4, -1 }, h[3];
	if (top >= 22) /* room for the latest months under the trend's lines */
		want[1] = 4 + (top - 18 < 9 ? top - 18 : 9);
	uil_split(top, 3, min, want, h);
	draw_pane(s, D_FIGURES, (struct ui_rect){ r.y, r.x, top, half - 1 });
	draw_pane(s, D_SHARE, (struct ui_rect){ r.y, r.x + half, h[0], r.w - half });
	draw_pane(s, D_TREND, (struct ui_rect){ r.y + h[0], r.x + half, h[1], r.w - half });
	draw_pane(s, D_CURVE, (struct ui_rect){ r.y + h[0] + h[1], r.x + half, h[2], r.w - half });
	draw_pane(s, D_TOP, (struct ui_rect){ r.y + top, r.x, bottom, r.w });
}

/* (Re)starts the trend's thread; the one running, if any, is stopped.
 * The last trend stays on screen until the new one is done. */
static void trend_start(struct dash *s)
{
	qpc_trend_job_free(s->job);
	s->job = NULL;
	struct qpc_error e = { 0 };
	if (qpc_browse_trend_start(s->app->br, QPC_DASH_MONTHS, &s->job, &e)) {
		s->trend_err = e; /* said in the pane */
		s->trend_loaded = true;
		s->trend->n = 0;
	}
}

static void trend_collect(struct dash *s)
{
	enum qpc_rc rc;
	struct qpc_error e = { 0 };
	if (!s->job || !qpc_trend_job_done(s->job, s->trend, &rc, &e))
		return;
	qpc_trend_job_free(s->job);
	s->job = NULL;
	s->trend_loaded = true;
	s->trend_err = e;
	if (rc)
		s->trend->n = 0;
}

static bool work(struct view *v)
{
	struct dash *s = v->data;
	trend_collect(s);
	if (!s->stale)
		return false;
	s->stale = false;
	/* the trend's thread runs while this one reads every account */
	trend_start(s);
	memset(&s->err, 0, sizeof s->err);
	s->loaded = qpc_browse_dashboard(s->app->br, s->d, &s->err) == QPC_OK;
	trend_collect(s);
	return false;
}

static bool waiting(struct view *v)
{
	struct dash *s = v->data;
	return s->job != NULL;
}

static void status(struct view *v, char *buf, size_t n)
{
	struct dash *s = v->data;
	snprintf(buf, n, "Dashboard  %s  Tab: pane  E: rep estimates",
	         pane_names[s->focus]);
}

static unsigned action(struct view *v, enum qpc_action a)
{
	struct dash *s = v->data;
	/* the figures scroll when they do not fit; a pane shown alone stays */
	if (s->focus == D_FIGURES && scrolled_move(&s->fig, a))
		return UI_HANDLED | UI_REDRAW;
	if (!s->wide && s->focus != D_TOP &&
	    (a == QPC_ACT_MOVE_DOWN || a == QPC_ACT_MOVE_UP || a == QPC_ACT_FIRST || a == QPC_ACT_LAST))
		return UI_HANDLED;
	switch (a) {
	case QPC_ACT_NEXT_PANE: s->focus = (enum dpane)((s->focus + 1) % D_COUNT); break;
	case QPC_ACT_PREV_PANE: s->focus = (enum dpane)((s->focus + D_COUNT - 1) % D_COUNT); break;
	case QPC_ACT_MOVE_DOWN:
	case QPC_ACT_MOVE_UP:
	case QPC_ACT_FIRST:
	case QPC_ACT_LAST: /* the list of the most untapped, from any pane */
		s->focus = D_TOP;
		return listbox_action(&s->top, a);
	case QPC_ACT_OPEN:
		if (!s->loaded || s->focus != D_TOP || s->d->ntop == 0)
			return UI_IGNORED;
		detail_open(s->app, s->d->top[s->top.cursor < s->d->ntop ? s->top.cursor : 0].id);
		break;
	case QPC_ACT_REP_ESTIMATES: gaps_open(s->app); break;
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
		if (p == D_FIGURES && (m->kind == UI_WHEEL_UP || m->kind == UI_WHEEL_DOWN))
			scrolled_move(&s->fig, m->kind == UI_WHEEL_UP ? QPC_ACT_MOVE_UP : QPC_ACT_MOVE_DOWN);
		if (p == D_TOP && s->loaded && listbox_mouse(&s->top, m) == LISTBOX_OPEN)
			detail_open(s->app, s->d->top[s->top.cursor].id);
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
	qpc_trend_job_free(s->job);
	free(s->trend);
	free(s->d);
	free(s);
}

static const struct view_ops ops = {
	.title = "Dashboard",
	.scope = QPC_IN_LISTS | QPC_IN_PANES | QPC_IN_DASHBOARD,
	.open = open_view,
	.close = close_view,
	.draw = draw,
	.action = action,
	.mouse = mouse,
	.work = work,
	.waiting = waiting,
	.status = status,
	.reload = reload,
};

struct view *dashboard_view(struct app *a)
{
	struct dash *s = calloc(1, sizeof *s);
	if (s && (!(s->d = calloc(1, sizeof *s->d)) || !(s->trend = calloc(1, sizeof *s->trend)))) {
		free(s->d);
		free(s);
		s = NULL;
	}
	if (!s)
		return NULL;
	s->app = a;
	s->focus = D_FIGURES;
	s->top.t = (struct table){ .cols = top_cols, .ncols = 5, .sort_col = -1, .cell = top_cell, .ctx = s };
	return view_new(a, &ops, s);
}
