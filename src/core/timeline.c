/* timeline.c — an account's figures and status at any date, from its
 * dated facts (the rules are in timeline.h).
 *
 * qpc_facts_at is the reference: it looks at every fact for one day.
 * qpc_facts_timeline sweeps the days on which something can change (a sale
 * enters or leaves the window, a line is measured, a figure is dated or
 * expires, a contract starts or ends, the threshold steps) with running
 * sums, so that an account with many sales lines costs O(n log n) in all.
 *
 * Sums of money are exact (128 bits: n int64 values cannot overflow them)
 * and saturate at +-QPC_MONEY_MAX only when read, as the KPIs do.  A
 * running window sum both adds and subtracts, which a sum that saturated on
 * the way could not undo; summing exactly also makes the result the same
 * in whatever order the lines come, so the sweep and the reference agree.
 *
 * Ties: of two facts for the same thing on the same day (a category's
 * line, an account figure, a threshold step), the later in the array wins.
 * The reference picks, among those on or before the day, the one with the
 * greatest (date, index); the sweep applies them in (date, index) order.
 * QPC lines are grouped by runs of equal category, as the header's order
 * (category, on) makes them.
 */
#include "qpc/timeline.h"

#include <stdlib.h>
#include <string.h>

__extension__ typedef __int128 wide;

static qpc_money clamp_money(wide v)
{
	if (v > (wide)QPC_MONEY_MAX)
		return QPC_MONEY_MAX;
	if (v < -(wide)QPC_MONEY_MAX)
		return -QPC_MONEY_MAX;
	return (qpc_money)v;
}

/* --- thresholds and the window ------------------------------------------ */

int32_t qpc_threshold_at(const struct qpc_thresholds *t, qpc_date d)
{
	int32_t bp = t->base_bp;
	bool found = false;
	qpc_date best = 0;
	for (size_t i = 0; i < t->nsteps; i++)
		if (t->steps[i].from <= d && (!found || t->steps[i].from >= best)) {
			found = true;
			best = t->steps[i].from;
			bp = t->steps[i].bp;
		}
	return bp;
}

qpc_date qpc_window_leaves(qpc_date sale)
{
	/* The window start never decreases as D grows, so the days whose
	 * window has passed `sale` are all those from some day on: find that
	 * first day near sale + 12 months (2024-02-29 leaves on 2025-03-01,
	 * since 2025-02-28's window still starts on 2024-02-28). */
	qpc_date d = qpc_date_add_months(sale, 12);
	while (qpc_window_start(d) < sale)
		d++;
	while (qpc_window_start(d - 1) >= sale)
		d--;
	return d;
}

/* --- evaluation at one day ---------------------------------------------- */

/* What the facts amount to on a day, before it is judged. */
struct day_state {
	size_t lines_in_force;
	wide qpc;
	size_t sales_in_window, gp_missing; /* lines, and those without a profit */
	wide sales, gp;
	bool has_figure; /* an account figure in force */
	bool figure_gp_known;
	qpc_money figure_sales, figure_gp;
	bool contract;
	int32_t threshold_bp;
};

static void evaluate(const struct day_state *s, struct qpc_account_figures *out)
{
	memset(out, 0, sizeof *out);
	out->qpc_measured = s->lines_in_force > 0;
	out->qpc = out->qpc_measured ? clamp_money(s->qpc) : 0;
	if (s->sales_in_window > 0) {
		out->sales_12m = clamp_money(s->sales);
		out->gp_known = s->gp_missing == 0;
		out->gp_12m = out->gp_known ? clamp_money(s->gp) : 0;
	} else if (s->has_figure) {
		out->sales_12m = s->figure_sales;
		out->gp_known = s->figure_gp_known;
		out->gp_12m = out->gp_known ? s->figure_gp : 0;
	} else {
		out->gp_known = true;
	}
	out->share = qpc_share_of(out->sales_12m, out->qpc_measured, out->qpc);
	if (out->qpc_measured) {
		qpc_money sales = out->sales_12m > 0 ? out->sales_12m : 0;
		out->untapped_known = true;
		out->untapped = out->qpc > sales ? out->qpc - sales : 0;
	}
	out->status = qpc_status_of(out->sales_12m, out->share, s->contract, false, s->threshold_bp);
}

static bool contract_valid(const struct qpc_contract_fact *c)
{
	return !c->has_end || c->ends_on > c->signed_on;
}

void qpc_facts_at(const struct qpc_account_facts *f, const struct qpc_thresholds *t, qpc_date d,
                  struct qpc_account_figures *out)
{
	struct day_state s;
	memset(&s, 0, sizeof s);
	qpc_date ws = qpc_window_start(d);

	/* Per run of one category: its latest fact on or before d. */
	for (size_t a = 0; a < f->nlines;) {
		size_t b = a, best = SIZE_MAX;
		for (; b < f->nlines && f->lines[b].category == f->lines[a].category; b++)
			if (f->lines[b].on <= d && (best == SIZE_MAX || f->lines[b].on >= f->lines[best].on))
				best = b;
		if (best != SIZE_MAX && !f->lines[best].removed) {
			s.lines_in_force++;
			s.qpc += f->lines[best].amount;
		}
		a = b;
	}

	for (size_t i = 0; i < f->nsales; i++)
		if (f->sales[i].date <= d && f->sales[i].date > ws) {
			s.sales_in_window++;
			s.sales += f->sales[i].amount;
			s.gp += f->sales[i].gross_profit;
			s.gp_missing += !f->sales[i].has_gp;
		}

	size_t fig = SIZE_MAX;
	for (size_t i = 0; i < f->nfigures; i++)
		if (f->figures[i].as_of <= d &&
		    (fig == SIZE_MAX || f->figures[i].as_of >= f->figures[fig].as_of))
			fig = i;
	if (fig != SIZE_MAX && f->figures[fig].as_of > ws) {
		s.has_figure = true;
		s.figure_sales = f->figures[fig].sales_12m;
		s.figure_gp = f->figures[fig].gp_12m;
		s.figure_gp_known = f->figures[fig].has_gp;
	}

	for (size_t i = 0; i < f->ncontracts && !s.contract; i++) {
		const struct qpc_contract_fact *c = &f->contracts[i];
		s.contract = c->signed_on <= d && (!c->has_end || d < c->ends_on);
	}
	s.threshold_bp = qpc_threshold_at(t, d);
	evaluate(&s, out);
}

/* --- the sweep ------------------------------------------------------------ */

/* An element of some array, in (key, index) order. */
struct keyed {
	qpc_date key;
	size_t idx;
};

static int cmp_keyed(const void *pa, const void *pb)
{
	const struct keyed *a = pa, *b = pb;
	if (a->key != b->key)
		return a->key < b->key ? -1 : 1;
	return (a->idx > b->idx) - (a->idx < b->idx);
}

static int cmp_date(const void *pa, const void *pb)
{
	qpc_date a = *(const qpc_date *)pa, b = *(const qpc_date *)pb;
	return (a > b) - (a < b);
}

/* n elements of `size`, or NULL for none; *fail when memory ran out. */
static void *alloc_array(size_t n, size_t size, bool *fail)
{
	if (n == 0 || *fail)
		return NULL;
	if (n > SIZE_MAX / size) {
		*fail = true;
		return NULL;
	}
	void *p = malloc(n * size);
	if (!p)
		*fail = true;
	return p;
}

static bool add_size(size_t *acc, size_t n)
{
	if (n > SIZE_MAX - *acc)
		return false;
	*acc += n;
	return true;
}

/* Appends a span to *out (of *cap elements), growing it as needed. */
static bool push_span(struct qpc_span **out, size_t *cap, size_t n, qpc_date from,
                      enum qpc_status status)
{
	if (!*out)
		*cap = 0;
	if (n >= *cap) {
		size_t want = *cap >= 4 ? *cap : 4;
		if (want > SIZE_MAX / 2 / sizeof **out)
			return false;
		want *= 2;
		struct qpc_span *p = realloc(*out, want * sizeof *p);
		if (!p)
			return false;
		*out = p;
		*cap = want;
	}
	(*out)[n].from = from;
	(*out)[n].status = status;
	return true;
}

static qpc_date min_date(qpc_date a, qpc_date b)
{
	return a < b ? a : b;
}

/* The work arrays of one sweep. */
struct sweep {
	struct keyed *sales;   /* the sales in date order, when not given so; else NULL */
	struct keyed *lines;   /* the QPC facts in (on, index) order */
	size_t *group;         /* by line index: its run of one category */
	bool *group_in;        /* by group: a line in force */
	qpc_money *group_amount;
	struct keyed *figures; /* in (as_of, index) order */
	struct keyed *steps;   /* the threshold's, in (from, index) order */
	qpc_date *starts, *ends; /* of the contracts that bind on some day, sorted */
	size_t nstarts, nends;
	qpc_date *events;      /* every day but the sales' on which something changes, sorted */
	size_t nevents;
};

static bool sweep_alloc(struct sweep *w, const struct qpc_account_facts *f,
                        const struct qpc_thresholds *t)
{
	const size_t ns = f->nsales, nl = f->nlines, nf = f->nfigures, nc = f->ncontracts,
	             nt = t->nsteps;
	size_t nevents = 0;
	if (!add_size(&nevents, nl) || !add_size(&nevents, nf) || !add_size(&nevents, nf) ||
	    !add_size(&nevents, nc) || !add_size(&nevents, nc) || !add_size(&nevents, nt))
		return false;
	bool sorted = true;
	for (size_t i = 1; i < ns && sorted; i++)
		sorted = f->sales[i - 1].date <= f->sales[i].date;
	bool fail = false;
	w->sales = sorted ? NULL : alloc_array(ns, sizeof *w->sales, &fail);
	w->lines = alloc_array(nl, sizeof *w->lines, &fail);
	w->group = alloc_array(nl, sizeof *w->group, &fail);
	w->group_in = alloc_array(nl, sizeof *w->group_in, &fail);
	w->group_amount = alloc_array(nl, sizeof *w->group_amount, &fail);
	w->figures = alloc_array(nf, sizeof *w->figures, &fail);
	w->steps = alloc_array(nt, sizeof *w->steps, &fail);
	w->starts = alloc_array(nc, sizeof *w->starts, &fail);
	w->ends = alloc_array(nc, sizeof *w->ends, &fail);
	w->events = alloc_array(nevents, sizeof *w->events, &fail);
	return !fail;
}

static void sweep_free(struct sweep *w)
{
	free(w->sales);
	free(w->lines);
	free(w->group);
	free(w->group_in);
	free(w->group_amount);
	free(w->figures);
	free(w->steps);
	free(w->starts);
	free(w->ends);
	free(w->events);
}

/* Sorts what the sweep walks through.  The sales come sorted by date (or
 * are sorted here); so then are the days they leave the window, since
 * that day never comes earlier for a later sale. */
static void sweep_prepare(struct sweep *w, const struct qpc_account_facts *f,
                          const struct qpc_thresholds *t)
{
	if (w->sales) {
		for (size_t i = 0; i < f->nsales; i++)
			w->sales[i] = (struct keyed){ f->sales[i].date, i };
		qsort(w->sales, f->nsales, sizeof *w->sales, cmp_keyed);
	}
	size_t ne = 0, g = 0;
	for (size_t i = 0; i < f->nlines; i++) {
		if (i > 0 && f->lines[i].category != f->lines[i - 1].category)
			g++;
		w->group[i] = g;
		w->group_in[i] = false;
		w->lines[i] = (struct keyed){ f->lines[i].on, i };
		w->events[ne++] = f->lines[i].on;
	}
	if (f->nlines > 0)
		qsort(w->lines, f->nlines, sizeof *w->lines, cmp_keyed);
	for (size_t i = 0; i < f->nfigures; i++) {
		w->figures[i] = (struct keyed){ f->figures[i].as_of, i };
		w->events[ne++] = f->figures[i].as_of;
		w->events[ne++] = qpc_window_leaves(f->figures[i].as_of);
	}
	if (f->nfigures > 0)
		qsort(w->figures, f->nfigures, sizeof *w->figures, cmp_keyed);
	w->nstarts = w->nends = 0;
	for (size_t i = 0; i < f->ncontracts; i++) {
		const struct qpc_contract_fact *c = &f->contracts[i];
		if (!contract_valid(c))
			continue;
		w->starts[w->nstarts++] = c->signed_on;
		w->events[ne++] = c->signed_on;
		if (c->has_end) {
			w->ends[w->nends++] = c->ends_on;
			w->events[ne++] = c->ends_on;
		}
	}
	if (w->nstarts > 0)
		qsort(w->starts, w->nstarts, sizeof *w->starts, cmp_date);
	if (w->nends > 0)
		qsort(w->ends, w->nends, sizeof *w->ends, cmp_date);
	for (size_t i = 0; i < t->nsteps; i++) {
		w->steps[i] = (struct keyed){ t->steps[i].from, i };
		w->events[ne++] = t->steps[i].from;
	}
	if (t->nsteps > 0)
		qsort(w->steps, t->nsteps, sizeof *w->steps, cmp_keyed);
	if (ne > 0)
		qsort(w->events, ne, sizeof *w->events, cmp_date);
	w->nevents = ne;
}

static size_t sweep_run(struct sweep *w, const struct qpc_account_facts *f,
                        const struct qpc_thresholds *t, struct qpc_span **out, size_t *cap)
{
#define SALE(k) (&f->sales[w->sales ? w->sales[(k)].idx : (k)])
	const size_t ns = f->nsales;
	struct day_state s;
	memset(&s, 0, sizeof s);
	size_t s_in = 0, s_out = 0, ei = 0, li = 0, fi = 0, ti = 0, ci = 0, cj = 0;
	qpc_date out_leaves = 0; /* the day SALE(s_out) leaves the window, when s_out < s_in */
	enum qpc_status prev = QPC_PROSPECT;
	size_t n = 0;
	for (;;) {
		/* The next day on which something may change: the next sale,
		 * the next to leave the window, or the next other event. */
		bool any = false;
		qpc_date d = 0;
		if (s_in < ns) {
			d = SALE(s_in)->date;
			any = true;
		}
		if (s_out < s_in) {
			d = any ? min_date(d, out_leaves) : out_leaves;
			any = true;
		}
		if (ei < w->nevents) {
			d = any ? min_date(d, w->events[ei]) : w->events[ei];
			any = true;
		}
		if (!any)
			break;
		while (ei < w->nevents && w->events[ei] <= d)
			ei++;

		/* The facts in force on d. */
		for (; s_in < ns && SALE(s_in)->date <= d; s_in++) {
			if (s_in == s_out)
				out_leaves = qpc_window_leaves(SALE(s_in)->date);
			s.sales += SALE(s_in)->amount;
			s.gp += SALE(s_in)->gross_profit;
			s.gp_missing += !SALE(s_in)->has_gp;
		}
		while (s_out < s_in && out_leaves <= d) {
			s.sales -= SALE(s_out)->amount;
			s.gp -= SALE(s_out)->gross_profit;
			s.gp_missing -= !SALE(s_out)->has_gp;
			s_out++;
			if (s_out < s_in)
				out_leaves = qpc_window_leaves(SALE(s_out)->date);
		}
		s.sales_in_window = s_in - s_out;
		for (; li < f->nlines && w->lines[li].key <= d; li++) {
			const struct qpc_line_fact *l = &f->lines[w->lines[li].idx];
			size_t g = w->group[w->lines[li].idx];
			if (w->group_in[g]) {
				s.qpc -= w->group_amount[g];
				s.lines_in_force--;
			}
			w->group_in[g] = !l->removed;
			if (!l->removed) {
				w->group_amount[g] = l->amount;
				s.qpc += l->amount;
				s.lines_in_force++;
			}
		}
		while (fi < f->nfigures && w->figures[fi].key <= d)
			fi++;
		s.has_figure = false;
		if (fi > 0) {
			const struct qpc_figure_fact *latest = &f->figures[w->figures[fi - 1].idx];
			if (d < qpc_window_leaves(latest->as_of)) {
				s.has_figure = true;
				s.figure_sales = latest->sales_12m;
				s.figure_gp = latest->gp_12m;
				s.figure_gp_known = latest->has_gp;
			}
		}
		while (ci < w->nstarts && w->starts[ci] <= d)
			ci++;
		while (cj < w->nends && w->ends[cj] <= d)
			cj++;
		s.contract = ci > cj;
		while (ti < t->nsteps && w->steps[ti].key <= d)
			ti++;
		s.threshold_bp = ti > 0 ? t->steps[w->steps[ti - 1].idx].bp : t->base_bp;

		struct qpc_account_figures now;
		evaluate(&s, &now);
		if (now.status != prev) {
			if (!push_span(out, cap, n, d, now.status))
				return (size_t)-1;
			n++;
			prev = now.status;
		}
	}
	return n;
#undef SALE
}

size_t qpc_facts_timeline(const struct qpc_account_facts *f, const struct qpc_thresholds *t,
                          struct qpc_span **out, size_t *cap)
{
	struct sweep w;
	memset(&w, 0, sizeof w);
	size_t n = (size_t)-1;
	if (sweep_alloc(&w, f, t)) {
		sweep_prepare(&w, f, t);
		n = sweep_run(&w, f, t, out, cap);
	}
	sweep_free(&w);
	return n;
}

/* --- a year's goal ------------------------------------------------------- */

void qpc_spans_goal(const struct qpc_span *s, size_t n, int year, qpc_date as_of,
                    struct qpc_goal_part *out)
{
	memset(out, 0, sizeof *out);
	qpc_date start, end;
	if (!qpc_date_from_ymd(year, 1, 1, &start) || !qpc_date_from_ymd(year, 12, 31, &end) ||
	    as_of < start)
		return;
	qpc_date cut = as_of < end ? as_of : end;
	bool partner_before = false, left = false;
	enum qpc_status prev = QPC_PROSPECT;
	for (size_t i = 0; i < n && s[i].from <= cut; i++) {
		bool partner = s[i].status == QPC_PARTNER;
		if (s[i].from < start)
			partner_before = partner_before || partner;
		else if (partner)
			out->became = true;
		else if (prev == QPC_PARTNER)
			left = true;
		prev = s[i].status;
	}
	out->first_time = out->became && !partner_before;
	out->regained = out->became && partner_before;
	out->lost = left && prev != QPC_PARTNER;
}

/* --- quality ---------------------------------------------------------------- */

static const char *const quality_names[QPC_QUALITY_COUNT] = {
	[QPC_CONFIRMED] = "confirmed",
	[QPC_PROV_UNVERIFIED] = "unverified",
	[QPC_PROV_STALE] = "stale",
	[QPC_PROV_BELOW_SALES] = "below sales",
	[QPC_PROV_MISSING] = "missing category",
	[QPC_PROV_UNMEASURED] = "unmeasured",
};

static const char *const quality_reasons[QPC_QUALITY_COUNT] = {
	[QPC_CONFIRMED] = "Its QPC is verified, current and covers what it buys.",
	[QPC_PROV_UNVERIFIED] = "A QPC line has not been verified.",
	[QPC_PROV_STALE] = "A QPC line was measured more than a year ago.",
	[QPC_PROV_BELOW_SALES] = "Its QPC is below its 12-month sales: it was underestimated.",
	[QPC_PROV_MISSING] = "It buys in a category that has no QPC line.",
	[QPC_PROV_UNMEASURED] = "A partner by contract, with no QPC measured.",
};

const char *qpc_quality_name(enum qpc_quality q)
{
	return (unsigned)q < QPC_QUALITY_COUNT ? quality_names[q] : "?";
}

const char *qpc_quality_reason(enum qpc_quality q)
{
	return (unsigned)q < QPC_QUALITY_COUNT ? quality_reasons[q] : "?";
}

enum qpc_quality qpc_quality_of(bool measured, bool all_verified, bool has_oldest,
                                qpc_date oldest_measured, qpc_money qpc, qpc_money sales_12m,
                                bool missing_category, qpc_date as_of)
{
	if (!measured)
		return QPC_PROV_UNMEASURED;
	if (!all_verified)
		return QPC_PROV_UNVERIFIED;
	if (has_oldest && qpc_is_stale(oldest_measured, as_of))
		return QPC_PROV_STALE;
	if (sales_12m > qpc)
		return QPC_PROV_BELOW_SALES;
	if (missing_category)
		return QPC_PROV_MISSING;
	return QPC_CONFIRMED;
}
