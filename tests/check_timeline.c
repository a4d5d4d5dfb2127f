/* check_timeline.c — figures and status at any date from dated facts: the
 * window's edges, hand-made histories, and the sweep (qpc_facts_timeline)
 * against the one-day reference (qpc_facts_at) on every day of random
 * accounts. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "qpc/timeline.h"
#include "tests.h"

#define N(a) (sizeof(a) / sizeof *(a))

/* For loops over thousands of days: a passing ck_assert costs a write to
 * Check's pipe, which would take most of the suite's time (and far more
 * under valgrind); this costs nothing until it fails. */
#define EXPECT(cond, ...)                          \
	do {                                       \
		if (!(cond))                       \
			ck_abort_msg(__VA_ARGS__); \
	} while (0)

static qpc_date D(const char *iso)
{
	qpc_date d;
	EXPECT(qpc_date_parse_iso(iso, &d), "bad date %s", iso);
	return d;
}

static const char *iso(qpc_date d, char *buf)
{
	return qpc_date_format(d, buf);
}

static qpc_date ymd(int y, int m, int d)
{
	qpc_date out;
	EXPECT(qpc_date_from_ymd(y, m, d, &out), "bad date %d-%d-%d", y, m, d);
	return out;
}

/* Every day the property and hand tests look at. */
#define FIRST_DAY "2021-06-01"
#define LAST_DAY "2029-06-30"

static const struct qpc_thresholds base_75 = { QPC_THRESHOLD_DEFAULT, NULL, 0 };

static enum qpc_status status_at(const struct qpc_account_facts *f, const struct qpc_thresholds *t,
                                 qpc_date d)
{
	struct qpc_account_figures fig;
	qpc_facts_at(f, t, d, &fig);
	return fig.status;
}

static size_t timeline(const struct qpc_account_facts *f, const struct qpc_thresholds *t,
                       struct qpc_span **spans)
{
	size_t cap = 0;
	*spans = NULL;
	size_t n = qpc_facts_timeline(f, t, spans, &cap);
	ck_assert_uint_ne(n, (size_t)-1);
	ck_assert(n == 0 || cap >= n);
	return n;
}

/* The spans are well formed and say, on every day from FIRST_DAY to
 * LAST_DAY, what the reference says. */
static void check_against_reference(const struct qpc_account_facts *f,
                                    const struct qpc_thresholds *t, const struct qpc_span *s,
                                    size_t n)
{
	char b[QPC_DATE_ISO_LEN];
	for (size_t i = 0; i < n; i++) {
		EXPECT(s[i].status == QPC_PROSPECT || s[i].status == QPC_CUSTOMER ||
		           s[i].status == QPC_PARTNER,
		       "span %zu: status %d", i, (int)s[i].status);
		EXPECT(i > 0 || s[i].status != QPC_PROSPECT, "the first span is a prospect");
		EXPECT(i == 0 || (s[i].from > s[i - 1].from && s[i].status != s[i - 1].status),
		       "span %zu (%s) does not follow the one before", i, iso(s[i].from, b));
	}
	size_t k = 0;
	for (qpc_date d = D(FIRST_DAY), last = D(LAST_DAY); d <= last; d++) {
		while (k < n && s[k].from <= d)
			k++;
		enum qpc_status by_spans = k > 0 ? s[k - 1].status : QPC_PROSPECT;
		enum qpc_status ref = status_at(f, t, d);
		EXPECT(by_spans == ref, "on %s: spans say %s, facts say %s", iso(d, b),
		       qpc_status_name(by_spans), qpc_status_name(ref));
	}
}

struct want {
	const char *from;
	enum qpc_status status;
};

static void check_spans(const struct qpc_account_facts *f, const struct qpc_thresholds *t,
                        const struct want *w, size_t nw)
{
	struct qpc_span *s;
	size_t n = timeline(f, t, &s);
	char b[QPC_DATE_ISO_LEN];
	for (size_t i = 0; i < n && i < nw; i++) {
		ck_assert_msg(s[i].from == D(w[i].from) && s[i].status == w[i].status,
		              "span %zu: %s %s, want %s %s", i, iso(s[i].from, b),
		              qpc_status_name(s[i].status), w[i].from, qpc_status_name(w[i].status));
	}
	ck_assert_uint_eq(n, nw);
	check_against_reference(f, t, s, n);
	free(s);
}

static struct qpc_account_figures at(const struct qpc_account_facts *f,
                                     const struct qpc_thresholds *t, const char *day)
{
	struct qpc_account_figures fig;
	qpc_facts_at(f, t, D(day), &fig);
	return fig;
}

/* --- the window ------------------------------------------------------------ */

START_TEST(window_leaves_by_hand)
{
	ck_assert_int_eq(qpc_window_leaves(D("2024-02-29")), D("2025-03-01"));
	ck_assert_int_eq(qpc_window_leaves(D("2023-02-28")), D("2024-02-28"));
	ck_assert_int_eq(qpc_window_leaves(D("2024-02-28")), D("2025-02-28"));
	ck_assert_int_eq(qpc_window_leaves(D("2023-03-01")), D("2024-03-01"));
	ck_assert_int_eq(qpc_window_leaves(D("2023-03-31")), D("2024-03-31"));
	ck_assert_int_eq(qpc_window_leaves(D("2024-01-31")), D("2025-01-31"));
	ck_assert_int_eq(qpc_window_leaves(D("2024-12-31")), D("2025-12-31"));
	ck_assert_int_eq(qpc_window_leaves(D("2028-02-29")), D("2029-03-01"));
	/* the leap day is still inside on 2025-02-28, out on 2025-03-01 */
	ck_assert(qpc_in_window(D("2024-02-29"), D("2025-02-28")));
	ck_assert(!qpc_in_window(D("2024-02-29"), D("2025-03-01")));
}
END_TEST

START_TEST(window_leaves_brute_force)
{
	char b[QPC_DATE_ISO_LEN];
	for (qpc_date s = D("2023-01-01"); s <= D("2029-12-31"); s++) {
		qpc_date want = s + 1;
		while (qpc_window_start(want) < s)
			want++;
		EXPECT(qpc_window_leaves(s) == want, "sale %s", iso(s, b));
		/* and a sale is in the window exactly on the days before */
		EXPECT(qpc_in_window(s, want - 1) && !qpc_in_window(s, want), "sale %s", iso(s, b));
	}
}
END_TEST

/* --- hand-made histories ----------------------------------------------------- */

START_TEST(qpc_remeasured)
{
	struct qpc_line_fact lines[] = {
		{ 1, D("2023-01-10"), false, true, 1000 },
		{ 1, D("2023-06-01"), false, true, 2000 },
	};
	struct qpc_sale_fact sales[] = { { D("2023-03-01"), 800, 200, true } };
	struct qpc_account_facts f = { lines, N(lines), sales, N(sales), NULL, 0, NULL, 0 };

	struct qpc_account_figures fig = at(&f, &base_75, "2023-01-09");
	ck_assert(!fig.qpc_measured);
	ck_assert(!fig.untapped_known);
	ck_assert_int_eq(fig.status, QPC_PROSPECT);
	fig = at(&f, &base_75, "2023-01-10");
	ck_assert(fig.qpc_measured);
	ck_assert_int_eq(fig.qpc, 1000);
	ck_assert_int_eq(fig.untapped, 1000);
	fig = at(&f, &base_75, "2023-05-31");
	ck_assert_int_eq(fig.qpc, 1000);
	ck_assert_int_eq(fig.sales_12m, 800);
	ck_assert_int_eq(fig.gp_12m, 200);
	ck_assert_int_eq(fig.share.bp, 8000);
	ck_assert_int_eq(fig.untapped, 200);
	ck_assert_int_eq(fig.status, QPC_PARTNER);
	fig = at(&f, &base_75, "2023-06-01");
	ck_assert_int_eq(fig.qpc, 2000);
	ck_assert_int_eq(fig.share.bp, 4000);
	ck_assert_int_eq(fig.untapped, 1200);
	ck_assert_int_eq(fig.status, QPC_CUSTOMER);
	fig = at(&f, &base_75, "2024-02-29");
	ck_assert_int_eq(fig.sales_12m, 800);
	fig = at(&f, &base_75, "2024-03-01");
	ck_assert_int_eq(fig.sales_12m, 0);
	ck_assert_int_eq(fig.untapped, 2000);
	ck_assert_int_eq(fig.status, QPC_PROSPECT);

	const struct want w[] = {
		{ "2023-03-01", QPC_PARTNER },
		{ "2023-06-01", QPC_CUSTOMER },
		{ "2024-03-01", QPC_PROSPECT },
	};
	check_spans(&f, &base_75, w, N(w));
}
END_TEST

START_TEST(qpc_removed)
{
	struct qpc_line_fact lines[] = {
		{ 1, D("2023-01-01"), false, true, 1000 },
		{ 1, D("2023-09-01"), true, false, 0 },
		{ 2, D("2023-01-01"), false, true, 500 },
		{ 2, D("2023-04-01"), true, false, 0 },
	};
	struct qpc_sale_fact sales[] = { { D("2023-02-01"), 900, 0, true } };
	struct qpc_account_facts f = { lines, N(lines), sales, N(sales), NULL, 0, NULL, 0 };

	ck_assert(!at(&f, &base_75, "2022-12-31").qpc_measured);
	ck_assert_int_eq(at(&f, &base_75, "2023-01-01").qpc, 1500);
	ck_assert_int_eq(at(&f, &base_75, "2023-03-31").qpc, 1500);
	ck_assert_int_eq(at(&f, &base_75, "2023-04-01").qpc, 1000);
	struct qpc_account_figures fig = at(&f, &base_75, "2023-09-01");
	ck_assert(!fig.qpc_measured);
	ck_assert_int_eq(fig.qpc, 0);
	ck_assert_int_eq(fig.share.kind, QPC_SHARE_UNDEFINED);
	ck_assert(!fig.untapped_known);

	const struct want w[] = {
		{ "2023-02-01", QPC_CUSTOMER },
		{ "2023-04-01", QPC_PARTNER },
		{ "2023-09-01", QPC_CUSTOMER },
		{ "2024-02-01", QPC_PROSPECT },
	};
	check_spans(&f, &base_75, w, N(w));
}
END_TEST

START_TEST(qpc_same_day_supersedes)
{
	struct qpc_line_fact lines[] = {
		{ 1, D("2023-01-01"), false, true, 1000 },
		{ 1, D("2023-01-01"), false, true, 4000 }, /* the later one wins */
		{ 1, D("2023-05-01"), true, false, 0 },
		{ 1, D("2023-05-01"), false, true, 2000 }, /* measured again */
		{ 1, D("2023-08-01"), false, true, 500 },
		{ 1, D("2023-08-01"), true, false, 0 },    /* removed after all */
	};
	struct qpc_sale_fact sales[] = { { D("2022-12-01"), 1600, 0, true } };
	struct qpc_account_facts f = { lines, N(lines), sales, N(sales), NULL, 0, NULL, 0 };

	ck_assert_int_eq(at(&f, &base_75, "2023-01-01").qpc, 4000);
	ck_assert_int_eq(at(&f, &base_75, "2023-05-01").qpc, 2000);
	ck_assert(at(&f, &base_75, "2023-05-01").qpc_measured);
	ck_assert(!at(&f, &base_75, "2023-08-01").qpc_measured);

	const struct want w[] = {
		{ "2022-12-01", QPC_CUSTOMER },
		{ "2023-05-01", QPC_PARTNER }, /* 1600 of 2000 */
		{ "2023-08-01", QPC_CUSTOMER },
		{ "2023-12-01", QPC_PROSPECT },
	};
	check_spans(&f, &base_75, w, N(w));
}
END_TEST

START_TEST(sales_enter_and_leave_the_window)
{
	struct qpc_sale_fact sales[] = {
		{ D("2023-03-31"), 300, 30, true },
		{ D("2024-02-29"), 100, 10, true },
		{ D("2024-03-31"), 50, 5, true }, /* enters as the first leaves */
	};
	struct qpc_account_facts f = { NULL, 0, sales, N(sales), NULL, 0, NULL, 0 };

	ck_assert_int_eq(at(&f, &base_75, "2023-03-30").sales_12m, 0);
	ck_assert_int_eq(at(&f, &base_75, "2023-03-31").sales_12m, 300);
	ck_assert_int_eq(at(&f, &base_75, "2024-02-29").sales_12m, 400);
	ck_assert_int_eq(at(&f, &base_75, "2024-03-30").sales_12m, 400);
	ck_assert_int_eq(at(&f, &base_75, "2024-03-31").sales_12m, 150);
	ck_assert_int_eq(at(&f, &base_75, "2024-03-31").gp_12m, 15);
	ck_assert_int_eq(at(&f, &base_75, "2025-02-28").sales_12m, 150);
	ck_assert_int_eq(at(&f, &base_75, "2025-03-01").sales_12m, 50);
	ck_assert_int_eq(at(&f, &base_75, "2025-03-30").sales_12m, 50);
	ck_assert_int_eq(at(&f, &base_75, "2025-03-31").sales_12m, 0);

	const struct want w[] = {
		{ "2023-03-31", QPC_CUSTOMER },
		{ "2025-03-31", QPC_PROSPECT },
	};
	check_spans(&f, &base_75, w, N(w));

	/* the leap day alone: in on 2025-02-28, out on 2025-03-01 */
	struct qpc_account_facts leap = { NULL, 0, &sales[1], 1, NULL, 0, NULL, 0 };
	const struct want wl[] = {
		{ "2024-02-29", QPC_CUSTOMER },
		{ "2025-03-01", QPC_PROSPECT },
	};
	check_spans(&leap, &base_75, wl, N(wl));
}
END_TEST

START_TEST(profit_unknown_while_a_line_without_it_is_in_the_window)
{
	/* A line without a profit makes the window's gross profit unknown,
	 * not 0 and not the others' sum; it is known again once that line
	 * has left the window.  A CRM figure without a profit is unknown. */
	struct qpc_sale_fact sales[] = {
		{ D("2023-01-10"), 500, 0, false },
		{ D("2023-06-10"), 300, 60, true },
	};
	struct qpc_account_facts f = { NULL, 0, sales, N(sales), NULL, 0, NULL, 0 };
	ck_assert(at(&f, &base_75, "2023-01-09").gp_known); /* nothing sold */
	ck_assert(!at(&f, &base_75, "2023-01-10").gp_known);
	ck_assert_int_eq(at(&f, &base_75, "2023-01-10").gp_12m, 0);
	ck_assert(!at(&f, &base_75, "2023-06-10").gp_known);
	ck_assert_int_eq(at(&f, &base_75, "2023-06-10").sales_12m, 800);
	struct qpc_account_figures later = at(&f, &base_75, "2024-01-10");
	ck_assert(later.gp_known);
	ck_assert_int_eq(later.gp_12m, 60);
	ck_assert_int_eq(later.sales_12m, 300);

	struct qpc_figure_fact figs[] = { { D("2023-01-01"), 5000, 0, false } };
	struct qpc_account_facts g = { NULL, 0, NULL, 0, figs, N(figs), NULL, 0 };
	ck_assert(!at(&g, &base_75, "2023-02-01").gp_known);
	ck_assert_int_eq(at(&g, &base_75, "2023-02-01").sales_12m, 5000);
}
END_TEST

START_TEST(credits_in_the_window_decide)
{
	/* Lines in the window decide even when they net to nothing: the
	 * account figure is not used then. */
	struct qpc_sale_fact sales[] = {
		{ D("2023-01-10"), 100, 0, true },
		{ D("2023-02-10"), -100, 0, true },
	};
	struct qpc_figure_fact figs[] = { { D("2023-01-01"), 5000, 700, true } };
	struct qpc_account_facts f = { NULL, 0, sales, N(sales), figs, N(figs), NULL, 0 };
	ck_assert_int_eq(at(&f, &base_75, "2023-01-09").sales_12m, 5000);
	ck_assert_int_eq(at(&f, &base_75, "2023-01-10").sales_12m, 100);
	ck_assert_int_eq(at(&f, &base_75, "2023-02-10").sales_12m, 0);
	ck_assert_int_eq(at(&f, &base_75, "2023-02-10").gp_12m, 0);
	ck_assert_int_eq(at(&f, &base_75, "2024-01-10").sales_12m, -100);
	/* both lines gone: the figure has expired too (on 2024-01-01) */
	ck_assert_int_eq(at(&f, &base_75, "2024-02-10").sales_12m, 0);
	const struct want w[] = {
		{ "2023-01-01", QPC_CUSTOMER },
		{ "2023-02-10", QPC_PROSPECT },
	};
	check_spans(&f, &base_75, w, N(w));
}
END_TEST

START_TEST(account_figure_without_lines)
{
	struct qpc_line_fact lines[] = { { 9, D("2022-01-01"), false, true, 6000 } };
	struct qpc_sale_fact sales[] = {
		{ D("2021-01-01"), 999, 0, true }, /* long out of the window */
		{ D("2023-06-01"), 200, 20, true },
	};
	struct qpc_figure_fact figs[] = {
		{ D("2022-03-10"), 1000, 100, true },
		{ D("2023-01-15"), 5000, 1000, true },
	};
	struct qpc_account_facts f = { lines, N(lines), sales, N(sales), figs, N(figs), NULL, 0 };

	ck_assert_int_eq(at(&f, &base_75, "2022-03-09").sales_12m, 0);
	ck_assert_int_eq(at(&f, &base_75, "2022-03-10").sales_12m, 1000);
	ck_assert_int_eq(at(&f, &base_75, "2022-03-10").gp_12m, 100);
	ck_assert_int_eq(at(&f, &base_75, "2023-01-14").sales_12m, 1000);
	struct qpc_account_figures fig = at(&f, &base_75, "2023-01-15");
	ck_assert_int_eq(fig.sales_12m, 5000);
	ck_assert_int_eq(fig.gp_12m, 1000);
	ck_assert_int_eq(fig.share.bp, 8333);
	ck_assert_int_eq(fig.status, QPC_PARTNER);
	ck_assert_int_eq(at(&f, &base_75, "2023-05-31").sales_12m, 5000);
	ck_assert_int_eq(at(&f, &base_75, "2023-06-01").sales_12m, 200); /* lines decide */
	ck_assert_int_eq(at(&f, &base_75, "2024-05-31").sales_12m, 200);
	/* the figure expired on 2024-01-15: nothing once the line has gone */
	ck_assert_int_eq(at(&f, &base_75, "2024-06-01").sales_12m, 0);

	const struct want w[] = {
		{ "2021-01-01", QPC_CUSTOMER },
		{ "2022-01-01", QPC_PROSPECT },
		{ "2022-03-10", QPC_CUSTOMER },
		{ "2023-01-15", QPC_PARTNER },
		{ "2023-06-01", QPC_CUSTOMER },
		{ "2024-06-01", QPC_PROSPECT },
	};
	check_spans(&f, &base_75, w, N(w));

	/* a figure alone expires on the day its date leaves the window */
	struct qpc_account_facts alone = { NULL, 0, NULL, 0, figs, 1, NULL, 0 };
	ck_assert_int_eq(at(&alone, &base_75, "2023-03-09").sales_12m, 1000);
	ck_assert_int_eq(at(&alone, &base_75, "2023-03-10").sales_12m, 0);
	const struct want wa[] = {
		{ "2022-03-10", QPC_CUSTOMER },
		{ "2023-03-10", QPC_PROSPECT },
	};
	check_spans(&alone, &base_75, wa, N(wa));

	/* a figure dated on the leap day lasts to 2025-02-28 */
	struct qpc_figure_fact leap[] = { { D("2024-02-29"), 10, 1, true } };
	struct qpc_account_facts fl = { NULL, 0, NULL, 0, leap, 1, NULL, 0 };
	const struct want wl[] = {
		{ "2024-02-29", QPC_CUSTOMER },
		{ "2025-03-01", QPC_PROSPECT },
	};
	check_spans(&fl, &base_75, wl, N(wl));

	/* two figures of one day: the later one */
	struct qpc_figure_fact twice[] = { { D("2024-05-01"), 10, 1, true }, { D("2024-05-01"), 0, 0, true } };
	struct qpc_account_facts ft = { NULL, 0, NULL, 0, twice, 2, NULL, 0 };
	ck_assert_int_eq(at(&ft, &base_75, "2024-05-01").sales_12m, 0);
	check_spans(&ft, &base_75, NULL, 0);
}
END_TEST

START_TEST(contract_days)
{
	struct qpc_contract_fact cs[] = {
		{ D("2023-03-01"), true, D("2023-09-01"), true, 100000 },
		{ D("2023-08-01"), true, D("2023-12-01"), false, 0 }, /* overlaps */
		{ D("2024-05-01"), true, D("2024-05-01"), false, 0 }, /* ends as it starts */
		{ D("2025-01-01"), false, 0, false, 0 },              /* open-ended */
	};
	struct qpc_account_facts f = { NULL, 0, NULL, 0, NULL, 0, cs, N(cs) };
	ck_assert_int_eq(at(&f, &base_75, "2023-02-28").status, QPC_PROSPECT);
	ck_assert_int_eq(at(&f, &base_75, "2023-03-01").status, QPC_PARTNER);
	ck_assert_int_eq(at(&f, &base_75, "2023-11-30").status, QPC_PARTNER);
	ck_assert_int_eq(at(&f, &base_75, "2023-12-01").status, QPC_PROSPECT);
	ck_assert_int_eq(at(&f, &base_75, "2024-05-01").status, QPC_PROSPECT);
	ck_assert_int_eq(at(&f, &base_75, "2029-01-01").status, QPC_PARTNER);
	const struct want w[] = {
		{ "2023-03-01", QPC_PARTNER },
		{ "2023-12-01", QPC_PROSPECT },
		{ "2025-01-01", QPC_PARTNER },
	};
	check_spans(&f, &base_75, w, N(w));

	/* one contract: partner up to the day before its end, then what the
	 * sales make it */
	struct qpc_sale_fact sales[] = { { D("2023-05-01"), 10, 0, true } };
	struct qpc_account_facts g = { NULL, 0, sales, N(sales), NULL, 0, cs, 1 };
	ck_assert_int_eq(at(&g, &base_75, "2023-08-31").status, QPC_PARTNER);
	ck_assert_int_eq(at(&g, &base_75, "2023-09-01").status, QPC_CUSTOMER);
	const struct want wg[] = {
		{ "2023-03-01", QPC_PARTNER },
		{ "2023-09-01", QPC_CUSTOMER },
		{ "2024-05-01", QPC_PROSPECT },
	};
	check_spans(&g, &base_75, wg, N(wg));
}
END_TEST

START_TEST(threshold_change_day)
{
	struct qpc_threshold_step steps[] = {
		{ D("2023-06-01"), 8500 },
		{ D("2023-09-01"), 9000 },
		{ D("2023-09-01"), 8000 }, /* the later of one day */
	};
	struct qpc_thresholds t = { 7500, steps, N(steps) };
	ck_assert_int_eq(qpc_threshold_at(&t, D("2023-05-31")), 7500);
	ck_assert_int_eq(qpc_threshold_at(&t, D("2023-06-01")), 8500);
	ck_assert_int_eq(qpc_threshold_at(&t, D("2023-08-31")), 8500);
	ck_assert_int_eq(qpc_threshold_at(&t, D("2023-09-01")), 8000);
	ck_assert_int_eq(qpc_threshold_at(&t, D("2030-01-01")), 8000);
	ck_assert_int_eq(qpc_threshold_at(&base_75, D("2030-01-01")), 7500);

	struct qpc_line_fact lines[] = { { 1, D("2023-01-01"), false, true, 1000 } };
	struct qpc_sale_fact sales[] = { { D("2023-02-01"), 800, 0, true } }; /* 80% */
	struct qpc_account_facts f = { lines, N(lines), sales, N(sales), NULL, 0, NULL, 0 };
	const struct want w[] = {
		{ "2023-02-01", QPC_PARTNER },
		{ "2023-06-01", QPC_CUSTOMER },
		{ "2023-09-01", QPC_PARTNER }, /* 80% >= 80% */
		{ "2024-02-01", QPC_PROSPECT },
	};
	check_spans(&f, &t, w, N(w));
}
END_TEST

START_TEST(prospect_customer_partner_customer)
{
	struct qpc_line_fact lines[] = { { 5, D("2023-01-01"), false, true, 1000 } };
	struct qpc_sale_fact sales[] = {
		{ D("2023-01-10"), 200, 50, true },
		{ D("2023-04-01"), 600, 150, true },
		{ D("2023-07-01"), -300, -75, true },
	};
	struct qpc_account_facts f = { lines, N(lines), sales, N(sales), NULL, 0, NULL, 0 };
	ck_assert_int_eq(at(&f, &base_75, "2023-07-01").sales_12m, 500);
	ck_assert_int_eq(at(&f, &base_75, "2023-07-01").gp_12m, 125);
	ck_assert_int_eq(at(&f, &base_75, "2024-01-10").sales_12m, 300);
	struct qpc_account_figures fig = at(&f, &base_75, "2024-04-01");
	ck_assert_int_eq(fig.sales_12m, -300);
	ck_assert_int_eq(fig.share.bp, 0);
	ck_assert_int_eq(fig.untapped, 1000);
	ck_assert_int_eq(fig.status, QPC_PROSPECT);
	const struct want w[] = {
		{ "2023-01-10", QPC_CUSTOMER },
		{ "2023-04-01", QPC_PARTNER },
		{ "2023-07-01", QPC_CUSTOMER },
		{ "2024-04-01", QPC_PROSPECT },
	};
	check_spans(&f, &base_75, w, N(w));
}
END_TEST

START_TEST(sums_saturate_without_overflow)
{
	struct qpc_line_fact lines[] = {
		{ 1, D("2023-01-01"), false, true, QPC_MONEY_MAX },
		{ 2, D("2023-01-01"), false, true, QPC_MONEY_MAX },
		{ 2, D("2023-06-01"), true, false, 0 },
	};
	struct qpc_sale_fact sales[] = {
		{ D("2023-01-01"), QPC_MONEY_MAX, QPC_MONEY_MAX, true },
		{ D("2023-02-01"), QPC_MONEY_MAX, -QPC_MONEY_MAX, true },
		{ D("2023-03-01"), -QPC_MONEY_MAX, -QPC_MONEY_MAX, true },
	};
	struct qpc_account_facts f = { lines, N(lines), sales, N(sales), NULL, 0, NULL, 0 };
	struct qpc_account_figures fig = at(&f, &base_75, "2023-02-01");
	ck_assert_int_eq(fig.qpc, QPC_MONEY_MAX);
	ck_assert_int_eq(fig.sales_12m, QPC_MONEY_MAX);
	ck_assert_int_eq(fig.gp_12m, 0);
	ck_assert_int_eq(fig.status, QPC_PARTNER);
	/* exact sums: MAX + MAX - MAX is MAX, not what saturating on the way
	 * would give */
	fig = at(&f, &base_75, "2023-03-01");
	ck_assert_int_eq(fig.sales_12m, QPC_MONEY_MAX);
	ck_assert_int_eq(fig.gp_12m, -QPC_MONEY_MAX);
	fig = at(&f, &base_75, "2024-02-01");
	ck_assert_int_eq(fig.sales_12m, -QPC_MONEY_MAX);
	ck_assert_int_eq(fig.qpc, QPC_MONEY_MAX);
	ck_assert_int_eq(fig.untapped, QPC_MONEY_MAX);
	ck_assert_int_eq(at(&f, &base_75, "2024-03-01").sales_12m, 0);
	const struct want w[] = {
		{ "2023-01-01", QPC_PARTNER },
		{ "2024-01-01", QPC_PROSPECT },
	};
	check_spans(&f, &base_75, w, N(w));
}
END_TEST

START_TEST(spans_buffer_grows_and_is_kept)
{
	struct qpc_account_facts none = { NULL, 0, NULL, 0, NULL, 0, NULL, 0 };
	struct qpc_span *s = NULL;
	size_t cap = 0;
	ck_assert_uint_eq(qpc_facts_timeline(&none, &base_75, &s, &cap), 0);
	ck_assert_ptr_null(s);

	/* a sale every 400 days: a customer for a year each time */
	struct qpc_sale_fact sales[40];
	for (int i = 0; i < 40; i++)
		sales[i] = (struct qpc_sale_fact){ D("2000-01-01") + 400 * i, 10, 0, true };
	struct qpc_account_facts f = { NULL, 0, sales, 40, NULL, 0, NULL, 0 };
	s = malloc(sizeof *s);
	ck_assert_ptr_nonnull(s);
	cap = 1;
	size_t n = qpc_facts_timeline(&f, &base_75, &s, &cap);
	ck_assert_uint_eq(n, 80);
	ck_assert_uint_ge(cap, n);
	for (size_t i = 0; i < n; i++)
		ck_assert_int_eq(s[i].status, i % 2 ? QPC_PROSPECT : QPC_CUSTOMER);
	/* again into the same buffer */
	ck_assert_uint_eq(qpc_facts_timeline(&f, &base_75, &s, &cap), 80);
	free(s);
}
END_TEST

START_TEST(many_sales)
{
	/* 100,000 sales lines over thirty years, unsorted in parts, against
	 * the reference on the days around every change and a sample of
	 * others. */
	enum { NS = 100000 };
	struct qpc_sale_fact *sales = malloc(NS * sizeof *sales);
	ck_assert_ptr_nonnull(sales);
	qpc_date first = D("1995-01-01"), span = D("2024-12-31") - first;
	uint64_t x = 0x9e3779b97f4a7c15u;
	for (size_t i = 0; i < NS; i++) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		/* evenly spread, but for a gap of some 20 months that ends
		 * with thousands of lines on one day */
		size_t at_i = i >= 40000 && i < 46000 ? 46000 : i;
		qpc_date d = first + (qpc_date)((uint64_t)span * at_i / NS);
		sales[i] = (struct qpc_sale_fact){ d, (qpc_money)(x % 2000) - 900, 0, true };
	}
	struct qpc_line_fact lines[] = { { 1, D("1995-06-01"), false, true, 420000 } };
	struct qpc_account_facts f = { lines, 1, sales, NS, NULL, 0, NULL, 0 };
	struct qpc_span *s;
	size_t n = timeline(&f, &base_75, &s);
	ck_assert_uint_gt(n, 20);
	char b[QPC_DATE_ISO_LEN];
	size_t k = 0;
	for (qpc_date d = first - 1; d <= D("2026-01-01"); d += 37) {
		while (k < n && s[k].from <= d)
			k++;
		EXPECT((k > 0 ? s[k - 1].status : QPC_PROSPECT) == status_at(&f, &base_75, d),
		       "on %s", iso(d, b));
	}
	for (size_t i = 0; i < n; i++) {
		EXPECT(s[i].status == status_at(&f, &base_75, s[i].from), "on %s",
		       iso(s[i].from, b));
		EXPECT((i > 0 ? s[i - 1].status : QPC_PROSPECT) ==
		           status_at(&f, &base_75, s[i].from - 1),
		       "the day before %s", iso(s[i].from, b));
	}
	/* the same lines in another order make the same spans */
	for (size_t i = 0; i + 1 < NS; i += 2) {
		struct qpc_sale_fact tmp = sales[i];
		sales[i] = sales[NS - 1 - i];
		sales[NS - 1 - i] = tmp;
	}
	struct qpc_span *s2;
	size_t n2 = timeline(&f, &base_75, &s2);
	ck_assert_uint_eq(n2, n);
	ck_assert_mem_eq(s2, s, n * sizeof *s);
	free(s2);
	free(s);
	free(sales);
}
END_TEST

/* --- the year's goal ----------------------------------------------------------- */

START_TEST(goal_by_hand)
{
	struct qpc_span s[] = {
		{ D("2022-05-01"), QPC_PARTNER },
		{ D("2023-03-01"), QPC_CUSTOMER },
		{ D("2023-08-01"), QPC_PARTNER },
		{ D("2024-12-31"), QPC_CUSTOMER },
	};
	struct qpc_goal_part g;
	qpc_spans_goal(s, N(s), 2022, D("2022-12-31"), &g);
	ck_assert(g.became && g.first_time && !g.regained && !g.lost);
	qpc_spans_goal(s, N(s), 2022, D("2022-04-30"), &g); /* before it happened */
	ck_assert(!g.became && !g.first_time && !g.regained && !g.lost);
	qpc_spans_goal(s, N(s), 2022, D("2021-12-31"), &g); /* before the year */
	ck_assert(!g.became && !g.first_time && !g.regained && !g.lost);
	qpc_spans_goal(s, N(s), 2023, D("2023-12-31"), &g);
	ck_assert(g.became && !g.first_time && g.regained && !g.lost);
	qpc_spans_goal(s, N(s), 2023, D("2023-07-31"), &g);
	ck_assert(!g.became && !g.first_time && !g.regained && g.lost);
	qpc_spans_goal(s, N(s), 2023, D("2025-06-30"), &g); /* cut at the year's end */
	ck_assert(g.became && g.regained && !g.lost);
	qpc_spans_goal(s, N(s), 2024, D("2024-12-30"), &g);
	ck_assert(!g.became && !g.lost);
	qpc_spans_goal(s, N(s), 2024, D("2024-12-31"), &g); /* lost on the last day */
	ck_assert(!g.became && g.lost);
	qpc_spans_goal(NULL, 0, 2024, D("2024-12-31"), &g);
	ck_assert(!g.became && !g.lost);
	/* became and lost in one year */
	struct qpc_span t[] = {
		{ D("2024-02-29"), QPC_PARTNER },
		{ D("2024-06-01"), QPC_PROSPECT },
	};
	qpc_spans_goal(t, N(t), 2024, D("2024-12-31"), &g);
	ck_assert(g.became && g.first_time && !g.regained && g.lost);
	qpc_spans_goal(t, N(t), 2024, D("2024-02-28"), &g);
	ck_assert(!g.became && !g.lost);
	qpc_spans_goal(t, N(t), 2024, D("2024-02-29"), &g);
	ck_assert(g.became && g.first_time && !g.lost);
}
END_TEST

/* --- random accounts against the reference ---------------------------------------- */

static uint64_t rnd(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

static int64_t below(uint64_t *x, int64_t n)
{
	return (int64_t)(rnd(x) % (uint64_t)n);
}

/* A day in 2022-2027, often one of the awkward ones. */
static qpc_date random_day(uint64_t *x)
{
	static const char *const awkward[] = { "2024-02-29", "2024-02-28", "2023-02-28",
		                               "2025-02-28", "2025-03-01", "2023-03-31",
		                               "2024-03-31", "2022-12-31", "2023-01-01",
		                               "2027-12-31", "2026-02-28", "2024-08-31" };
	if (below(x, 6) == 0)
		return D(awkward[below(x, (int64_t)N(awkward))]);
	qpc_date lo = D("2022-01-01"), hi = D("2027-12-31");
	return lo + (qpc_date)below(x, hi - lo + 1);
}

struct random_account {
	struct qpc_line_fact lines[8];
	struct qpc_sale_fact sales[40];
	struct qpc_figure_fact figures[2];
	struct qpc_contract_fact contracts[2];
	struct qpc_threshold_step steps[3];
	struct qpc_account_facts f;
	struct qpc_thresholds t;
};

static void random_account(uint64_t *x, struct random_account *a)
{
	memset(a, 0, sizeof *a);
	size_t ns = (size_t)below(x, 41);
	for (size_t i = 0; i < ns; i++) {
		a->sales[i].date = random_day(x);
		a->sales[i].amount = below(x, 5) == 0 ? -below(x, 800) : below(x, 2500);
		a->sales[i].gross_profit = below(x, 600) - 100;
		a->sales[i].has_gp = below(x, 10) != 0;
	}
	/* sorted by date, as the store gives them; now and then not */
	if (below(x, 8) != 0)
		for (size_t i = 1; i < ns; i++)
			for (size_t j = i; j > 0 && a->sales[j - 1].date > a->sales[j].date; j--) {
				struct qpc_sale_fact tmp = a->sales[j];
				a->sales[j] = a->sales[j - 1];
				a->sales[j - 1] = tmp;
			}

	static const int64_t cats[] = { 7, 42, -3 };
	int64_t ncats = 1 + below(x, 3);
	size_t nl = (size_t)below(x, 9);
	for (size_t i = 0; i < nl; i++) {
		struct qpc_line_fact *l = &a->lines[i];
		l->category = cats[below(x, ncats)];
		/* the same day as an earlier fact of the category, at times */
		l->on = random_day(x);
		for (size_t j = 0; j < i; j++)
			if (a->lines[j].category == l->category && below(x, 3) == 0)
				l->on = a->lines[j].on;
		l->removed = below(x, 5) == 0;
		l->verified = below(x, 2) == 0;
		l->amount = l->removed ? 0 : 300 + below(x, 6000);
	}
	/* sorted by (category, on), stable: the later of one day wins */
	for (size_t i = 1; i < nl; i++)
		for (size_t j = i; j > 0; j--) {
			struct qpc_line_fact *p = &a->lines[j - 1], *q = &a->lines[j];
			if (p->category < q->category || (p->category == q->category && p->on <= q->on))
				break;
			struct qpc_line_fact tmp = *p;
			*p = *q;
			*q = tmp;
		}

	size_t nf = (size_t)below(x, 3);
	for (size_t i = 0; i < nf; i++)
		a->figures[i] = (struct qpc_figure_fact){ random_day(x), below(x, 6000) - 200,
			                                  below(x, 900), below(x, 4) != 0 };
	if (nf == 2 && a->figures[0].as_of > a->figures[1].as_of) {
		struct qpc_figure_fact tmp = a->figures[0];
		a->figures[0] = a->figures[1];
		a->figures[1] = tmp;
	}

	size_t nc = (size_t)below(x, 3);
	if (below(x, 2) == 0)
		nc = 0; /* most accounts have none */
	for (size_t i = 0; i < nc; i++) {
		struct qpc_contract_fact *c = &a->contracts[i];
		c->signed_on = random_day(x);
		c->has_end = below(x, 4) != 0;
		c->ends_on = c->signed_on + (qpc_date)below(x, 500);
		if (c->has_end && below(x, 5) == 0)
			c->ends_on = qpc_date_add_months(c->signed_on, 12);
		c->has_value = below(x, 2) == 0;
		c->value = c->has_value ? below(x, 100000) : 0;
	}

	size_t nt = (size_t)below(x, 4);
	for (size_t i = 0; i < nt; i++)
		a->steps[i] = (struct qpc_threshold_step){ random_day(x),
			                                   (int32_t)(5000 + below(x, 4501)) };
	if (nt > 1 && below(x, 3) == 0)
		a->steps[1].from = a->steps[0].from; /* two changes in one day */
	for (size_t i = 1; i < nt; i++)
		for (size_t j = i; j > 0 && a->steps[j - 1].from > a->steps[j].from; j--) {
			struct qpc_threshold_step tmp = a->steps[j];
			a->steps[j] = a->steps[j - 1];
			a->steps[j - 1] = tmp;
		}

	a->f = (struct qpc_account_facts){ a->lines, nl, a->sales, ns, a->figures, nf,
		                           a->contracts, nc };
	a->t = (struct qpc_thresholds){ QPC_THRESHOLD_DEFAULT, a->steps, nt };
}

/* How often each outcome came up, so that the test cannot pass by never
 * meeting the cases it is about. */
struct tally {
	long spans[QPC_STATUS_COUNT];
	long became, first_time, regained, lost;
};

/* The goal's definitions day by day, on st[] (st[i]: the status on
 * FIRST_DAY + i; every day before it a prospect). */
static void brute_goal(const enum qpc_status *st, qpc_date first, int year, qpc_date as_of,
                       struct qpc_goal_part *g)
{
	memset(g, 0, sizeof *g);
	qpc_date start = ymd(year, 1, 1), end = ymd(year, 12, 31);
	if (as_of < start)
		return;
	qpc_date cut = as_of < end ? as_of : end;
#define ST(d) ((d) < first ? QPC_PROSPECT : st[(d) - first])
	bool before = false;
	for (qpc_date d = first; d < start; d++)
		before = before || ST(d) == QPC_PARTNER;
	bool left = false;
	for (qpc_date d = start; d <= cut; d++) {
		if (ST(d) == QPC_PARTNER && ST(d - 1) != QPC_PARTNER)
			g->became = true;
		if (ST(d) != QPC_PARTNER && ST(d - 1) == QPC_PARTNER)
			left = true;
	}
	g->first_time = g->became && !before;
	g->regained = g->became && before;
	g->lost = left && ST(cut) != QPC_PARTNER;
#undef ST
}

static void check_random_account(const struct random_account *a, enum qpc_status *st,
                                 struct tally *tl)
{
	qpc_date first = D(FIRST_DAY), last = D(LAST_DAY), leap_day = D("2024-02-29");
	for (qpc_date d = first; d <= last; d++)
		st[d - first] = status_at(&a->f, &a->t, d);
	struct qpc_span *s;
	size_t n = timeline(&a->f, &a->t, &s);
	char b[QPC_DATE_ISO_LEN];
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		EXPECT(i == 0 ? s[i].status != QPC_PROSPECT : s[i].status != s[i - 1].status,
		       "span %zu repeats", i);
		EXPECT(i == 0 || s[i].from > s[i - 1].from, "span %zu out of order", i);
		EXPECT((unsigned)s[i].status < QPC_STATUS_COUNT, "span %zu: bad status", i);
		tl->spans[s[i].status]++;
	}
	for (qpc_date d = first; d <= last; d++) {
		while (k < n && s[k].from <= d)
			k++;
		enum qpc_status by_spans = k > 0 ? s[k - 1].status : QPC_PROSPECT;
		EXPECT(by_spans == st[d - first], "on %s: spans say %s, facts say %s", iso(d, b),
		       qpc_status_name(by_spans), qpc_status_name(st[d - first]));
	}
	EXPECT(k == n, "a change after " LAST_DAY);

	for (int year = 2022; year <= 2028; year++) {
		const qpc_date as_of[] = {
			ymd(year, 1, 1),
			ymd(year, 2, qpc_date_days_in_month(year, 2)), /* the leap day in 2024 */
			ymd(year, 3, 1),
			ymd(year, 6, 30),
			ymd(year, 12, 31),
			ymd(year + 1, 1, 1),
			ymd(year - 1, 12, 31),
			leap_day,
			ymd(year, 1, 1) + (qpc_date)(n > 0 ? s[0].from % 365 : 100),
		};
		for (size_t i = 0; i < N(as_of); i++) {
			struct qpc_goal_part got, want;
			qpc_spans_goal(s, n, year, as_of[i], &got);
			brute_goal(st, first, year, as_of[i], &want);
			EXPECT(got.became == want.became && got.first_time == want.first_time &&
			           got.regained == want.regained && got.lost == want.lost,
			       "%d as of %s: became %d/%d first %d/%d regained %d/%d lost %d/%d", year,
			       iso(as_of[i], b), got.became, want.became, got.first_time,
			       want.first_time, got.regained, want.regained, got.lost, want.lost);
			tl->became += got.became;
			tl->first_time += got.first_time;
			tl->regained += got.regained;
			tl->lost += got.lost;
		}
	}
	free(s);
}

START_TEST(random_accounts_match_the_reference)
{
	enum { ACCOUNTS = 600 };
	qpc_date ndays = D(LAST_DAY) - D(FIRST_DAY) + 1;
	enum qpc_status *st = calloc((size_t)ndays, sizeof *st);
	ck_assert_ptr_nonnull(st);
	struct random_account *a = malloc(sizeof *a);
	ck_assert_ptr_nonnull(a);
	struct tally tl;
	memset(&tl, 0, sizeof tl);
	uint64_t x = 0x2545f4914f6cdd1du;
	for (int i = 0; i < ACCOUNTS; i++) {
		random_account(&x, a);
		check_random_account(a, st, &tl);
	}
	ck_assert_int_gt(tl.spans[QPC_CUSTOMER], 100);
	ck_assert_int_gt(tl.spans[QPC_PARTNER], 100);
	ck_assert_int_gt(tl.spans[QPC_PROSPECT], 100);
	ck_assert_int_gt(tl.first_time, 50);
	ck_assert_int_gt(tl.regained, 50);
	ck_assert_int_gt(tl.lost, 50);
	free(a);
	free(st);
}
END_TEST

/* --- quality ------------------------------------------------------------------ */

START_TEST(quality_reasons)
{
	qpc_date today = D("2025-06-30"), recent = D("2025-01-01");
	qpc_date year_ago = today - QPC_STALE_DAYS, older = year_ago - 1;
	ck_assert_int_eq(qpc_quality_of(true, true, true, recent, 1000, 800, false, today),
	                 QPC_CONFIRMED);
	ck_assert_int_eq(qpc_quality_of(true, true, true, recent, 1000, 1000, false, today),
	                 QPC_CONFIRMED);
	ck_assert_int_eq(qpc_quality_of(true, true, true, year_ago, 1000, 800, false, today),
	                 QPC_CONFIRMED);
	ck_assert_int_eq(qpc_quality_of(true, true, false, older, 1000, 800, false, today),
	                 QPC_CONFIRMED);
	ck_assert_int_eq(qpc_quality_of(true, false, true, recent, 1000, 800, false, today),
	                 QPC_PROV_UNVERIFIED);
	ck_assert_int_eq(qpc_quality_of(true, true, true, older, 1000, 800, false, today),
	                 QPC_PROV_STALE);
	ck_assert_int_eq(qpc_quality_of(true, true, true, recent, 1000, 1001, false, today),
	                 QPC_PROV_BELOW_SALES);
	ck_assert_int_eq(qpc_quality_of(true, true, true, recent, 1000, 800, true, today),
	                 QPC_PROV_MISSING);
	ck_assert_int_eq(qpc_quality_of(false, true, false, 0, 0, 0, false, today),
	                 QPC_PROV_UNMEASURED);
	/* the first that applies */
	ck_assert_int_eq(qpc_quality_of(false, false, true, older, 0, 5, true, today),
	                 QPC_PROV_UNMEASURED);
	ck_assert_int_eq(qpc_quality_of(true, false, true, older, 1000, 5000, true, today),
	                 QPC_PROV_UNVERIFIED);
	ck_assert_int_eq(qpc_quality_of(true, true, true, older, 1000, 5000, true, today),
	                 QPC_PROV_STALE);
	ck_assert_int_eq(qpc_quality_of(true, true, true, recent, 1000, 5000, true, today),
	                 QPC_PROV_BELOW_SALES);

	static const char *const names[] = { "confirmed",    "unverified",       "stale",
		                             "below sales", "missing category", "unmeasured" };
	ck_assert_uint_eq(N(names), QPC_QUALITY_COUNT);
	for (int q = 0; q < QPC_QUALITY_COUNT; q++) {
		ck_assert_str_eq(qpc_quality_name((enum qpc_quality)q), names[q]);
		const char *r = qpc_quality_reason((enum qpc_quality)q);
		ck_assert_ptr_nonnull(r);
		ck_assert_uint_gt(strlen(r), 10);
		for (int p = 0; p < q; p++)
			ck_assert_str_ne(r, qpc_quality_reason((enum qpc_quality)p));
	}
	ck_assert_str_eq(qpc_quality_name(QPC_QUALITY_COUNT), "?");
}
END_TEST

Suite *timeline_suite(void)
{
	Suite *s = suite_create("timeline");
	TCase *tc = tcase_create("window");
	tcase_add_test(tc, window_leaves_by_hand);
	tcase_add_test(tc, window_leaves_brute_force);
	suite_add_tcase(s, tc);
	tc = tcase_create("facts");
	tcase_add_test(tc, qpc_remeasured);
	tcase_add_test(tc, qpc_removed);
	tcase_add_test(tc, qpc_same_day_supersedes);
	tcase_add_test(tc, sales_enter_and_leave_the_window);
	tcase_add_test(tc, profit_unknown_while_a_line_without_it_is_in_the_window);
	tcase_add_test(tc, credits_in_the_window_decide);
	tcase_add_test(tc, account_figure_without_lines);
	tcase_add_test(tc, contract_days);
	tcase_add_test(tc, threshold_change_day);
	tcase_add_test(tc, prospect_customer_partner_customer);
	tcase_add_test(tc, sums_saturate_without_overflow);
	tcase_add_test(tc, spans_buffer_grows_and_is_kept);
	suite_add_tcase(s, tc);
	tc = tcase_create("goal");
	tcase_add_test(tc, goal_by_hand);
	suite_add_tcase(s, tc);
	tc = tcase_create("random");
	tcase_set_timeout(tc, 240);
	tcase_add_test(tc, many_sales);
	tcase_add_test(tc, random_accounts_match_the_reference);
	suite_add_tcase(s, tc);
	tc = tcase_create("quality");
	tcase_add_test(tc, quality_reasons);
	suite_add_tcase(s, tc);
	return s;
}
