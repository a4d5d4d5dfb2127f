/* trend.c — the team's figures at month ends, from the dated facts.
 *
 * Not a report per month: each kind of fact is read once, over every
 * account, and turned into changes dated by the point they first reach.
 * - Customers and partners: status_span holds every change of status with
 *   the status it left, so a count at a date is the sum of the changes
 *   made by then (one pass along its date index).
 * - QPC: each fact is in force from its date up to the next fact of its
 *   line, which makes a range of points; an account is measured at the
 *   points one of its lines covers (a bitmap of the points per account).
 * - Sales 12m: a sales line dated x counts at the points whose window
 *   (D - 12 months, D] holds x, again a range; the accounts with a line
 *   in each point's window are marked, for an account-level figure counts
 *   only where there is none.  Measured accounts' sales are added at their
 *   measured points; an account whose lines net below zero at a point
 *   counts as zero there, so the accounts with a credit at a measured
 *   point are read again (see unclamp()).
 * Arrays are indexed by account id, as figures.c gathers.  Only reads:
 * the passes run in one read transaction so that they see one state.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "qpc/trend.h"

__extension__ typedef unsigned __int128 mask_t;
__extension__ typedef __int128 wide;

#define NMAX QPC_TREND_MAX_MONTHS

/* Per account: the points it has a QPC at, and those with a sales line
 * in their window.  Together, so that the sales pass (in date order,
 * accounts at random) misses the cache once per line, not twice. */
struct acct {
	mask_t measured, lines;
};

/* What the passes gather. */
struct trend {
	struct qpc_store *st;
	int n;                   /* points */
	qpc_date before;         /* the month end before the first point */
	qpc_date d[NMAX];        /* the points */
	qpc_date w[NMAX];        /* each point's window start (exclusive) */
	int64_t lo, hi;          /* account ids */
	struct acct *a;          /* per account, by id - lo */
	uint8_t *neg;            /* per account: a negative line at a measured point */
	uint8_t *new_at, *lost_at; /* per account: the last point counted (+1) */
	wide qpc[NMAX + 1];      /* changes, by the first point they reach */
	wide sales[NMAX + 1];
	int64_t nmeasured[NMAX + 1], customers[NMAX + 1], partners[NMAX + 1];
	wide msales[NMAX + 1];   /* measured accounts' sales, as changes */
	int64_t made[NMAX], lost[NMAX];
};

static mask_t range_mask(int a, int b)
{
	if (a > b)
		return 0;
	mask_t upto = b + 1 >= 128 ? ~(mask_t)0 : (((mask_t)1 << (b + 1)) - 1);
	return upto & ~(((mask_t)1 << a) - 1);
}

static bool has_bit(mask_t m, int j)
{
	return (m >> j) & 1;
}

/* The lowest set bit of a non-zero mask. */
static int low_bit(mask_t m)
{
	uint64_t lo = (uint64_t)m;
	return lo ? __builtin_ctzll(lo) : 64 + __builtin_ctzll((uint64_t)(m >> 64));
}

/* The first point on or after x; n when none. */
static int first_ge(const struct trend *t, qpc_date x)
{
	int a = 0, b = t->n;
	while (a < b) {
		int m = (a + b) / 2;
		if (t->d[m] >= x)
			b = m;
		else
			a = m + 1;
	}
	return a;
}

/* The points whose window holds a day x: [*a, *b] (empty when a > b). */
static void window_points(const struct trend *t, qpc_date x, int *a, int *b)
{
	*a = first_ge(t, x);
	int j = *a;
	while (j < t->n && t->w[j] < x)
		j++;
	*b = j - 1;
}

static int64_t slot(const struct trend *t, int64_t id)
{
	return id >= t->lo && id <= t->hi ? id - t->lo : -1;
}

/* Month ends before as_of, then as_of. */
static enum qpc_rc points(struct trend *t, qpc_date as_of, int months, struct qpc_error *e)
{
	int y, m, d;
	qpc_date_to_ymd(as_of, &y, &m, &d);
	t->n = months;
	t->d[months - 1] = as_of;
	for (int k = 1; k <= months; k++) {
		int mm = m - k, yy = y;
		while (mm < 1) {
			mm += 12;
			yy--;
		}
		qpc_date end;
		if (yy < QPC_DATE_MIN_YEAR ||
		    !qpc_date_from_ymd(yy, mm, qpc_date_days_in_month(yy, mm), &end))
			return qpc_error_set(e, QPC_ERR_USAGE,
			                     "a trend of %d months before %04d-%02d-%02d reaches before "
			                     "year 1",
			                     months, y, m, d);
		if (k == months)
			t->before = end;
		else
			t->d[months - 1 - k] = end;
	}
	for (int j = 0; j < t->n; j++)
		t->w[j] = qpc_window_start(t->d[j]);
	return QPC_OK;
}

static enum qpc_rc prepare2(struct trend *t, struct st_q **s, const char *sql, qpc_date a,
                            qpc_date b, struct qpc_error *e)
{
	enum qpc_rc rc = st_q_prepare(t->st, s, sql, e);
	if (rc)
		return rc;
	st_q_stream(*s);
	char day[QPC_DATE_ISO_LEN];
	st_q_text(*s, 1, qpc_date_format(a, day));
	if (b)
		st_q_text(*s, 2, qpc_date_format(b, day));
	return QPC_OK;
}

static enum qpc_rc finish(struct st_q *s, int r, const char *doing, struct qpc_error *e)
{
	enum qpc_rc rc = r == ST_DONE ? QPC_OK : st_q_fail(s, doing, e);
	st_q_free(s);
	return rc;
}

/* --- customers, partners, made and lost ---------------------------------- */

enum { SPAN_CUSTOMER = 1, SPAN_PARTNER = 3 };

static enum qpc_rc pass_spans(struct trend *t, struct qpc_error *e)
{
	struct st_q *s;
	enum qpc_rc rc = prepare2(t,
	                          &s,
	                          "SELECT since, status, prev, account_id FROM status_span"
	                          " WHERE since <= ?1 ORDER BY since",
	                          t->d[t->n - 1], 0, e);
	if (rc)
		return rc;
	char last[16] = "";
	int j = 0;
	qpc_date since = 0;
	int r;
	while ((r = st_q_step(s)) == ST_ROW) {
		const char *txt = st_q_text_at(s, 0);
		if (!txt || strncmp(txt, last, sizeof last - 1) != 0) {
			if (!st_q_date_at(s, 0, &since))
				continue;
			snprintf(last, sizeof last, "%s", txt);
			j = first_ge(t, since);
		}
		int status = (int)st_q_int_at(s, 1), prev = (int)st_q_int_at(s, 2);
		t->partners[j] += (status == SPAN_PARTNER) - (prev == SPAN_PARTNER);
		t->customers[j] += (status != 0) - (prev != 0);
		if (since <= t->before)
			continue;
		int64_t i = slot(t, st_q_int_at(s, 3));
		if (i < 0)
			continue;
		if (status == SPAN_PARTNER && t->new_at[i] != j + 1) {
			t->new_at[i] = (uint8_t)(j + 1);
			t->made[j]++;
		}
		if (prev == SPAN_PARTNER && status != SPAN_PARTNER && t->lost_at[i] != j + 1) {
			t->lost_at[i] = (uint8_t)(j + 1);
			t->lost[j]++;
		}
	}
	return finish(s, r, "reading status changes", e);
}

/* --- QPC ------------------------------------------------------------------ */

/* A fact in force on days [on, end) (end 0: to this day). */
static void line_fact(struct trend *t, int64_t i, qpc_date on, qpc_date end, bool removed,
                     qpc_money amount)
{
	int a = first_ge(t, on), b = (end ? first_ge(t, end) : t->n) - 1;
	if (removed || a > b)
		return;
	t->qpc[a] += amount;
	t->qpc[b + 1] -= amount;
	t->a[i].measured |= range_mask(a, b);
}

static enum qpc_rc pass_qpc(struct trend *t, struct qpc_error *e)
{
	struct st_q *s;
	enum qpc_rc rc = prepare2(t, &s,
	                          "SELECT account_id, category_id, measured_on, amount FROM qpc_fact"
	                          " WHERE replaced = 0 AND measured_on <= ?1"
	                          " ORDER BY account_id, category_id, measured_on",
	                          t->d[t->n - 1], 0, e);
	if (rc)
		return rc;
	int64_t pid = 0, pcat = 0, pslot = -1;
	qpc_date pon = 0;
	bool have = false, premoved = false;
	qpc_money pamount = 0;
	int r;
	while ((r = st_q_step(s)) == ST_ROW) {
		int64_t id = st_q_int_at(s, 0), cat = st_q_int_at(s, 1);
		qpc_date on;
		if (!st_q_date_at(s, 2, &on))
			continue;
		bool same = have && id == pid && cat == pcat;
		if (have && pslot >= 0)
			line_fact(t, pslot, pon, same ? on : 0, premoved, pamount);
		have = true;
		pid = id;
		pcat = cat;
		pslot = slot(t, id);
		pon = on;
		premoved = st_q_null_at(s, 3);
		pamount = st_q_int_at(s, 3);
	}
	if (have && pslot >= 0)
		line_fact(t, pslot, pon, 0, premoved, pamount);
	if (r == ST_DONE) /* how many accounts are measured, per point */
		for (int64_t i = 0; i <= t->hi - t->lo; i++)
			for (mask_t m = t->a[i].measured; m; m &= m - 1)
				t->nmeasured[low_bit(m)]++;
	return finish(s, r, "reading QPC lines", e);
}

/* --- sales ------------------------------------------------------------- */

/* Adds v at points [a, b] (as changes: arrays of n + 1). */
static void add_range(wide *changes, int a, int b, wide v)
{
	changes[a] += v;
	changes[b + 1] -= v;
}

/* One sales line counting at the points of span [a, b]. */
static void sale_line(struct trend *t, int64_t i, int a, int b, mask_t span, qpc_money amount)
{
	struct acct *ac = &t->a[i];
	add_range(t->sales, a, b, amount);
	ac->lines |= span;
	mask_t m = span & ac->measured;
	if (!m)
		return;
	if (amount < 0)
		t->neg[i] = 1;
	if (m == span) { /* measured all along: the usual case */
		add_range(t->msales, a, b, amount);
		return;
	}
	for (; m; m &= m - 1) {
		int j = low_bit(m);
		add_range(t->msales, j, j, amount);
	}
}

/* Lines are read a batch at a time, and their accounts' slots fetched
 * ahead: in date order the accounts come at random. */
#define BATCH 256

static enum qpc_rc pass_sales(struct trend *t, struct qpc_error *e)
{
	struct st_q *s;
	enum qpc_rc rc = prepare2(t, &s,
	                          "SELECT date, account_id, amount FROM sale INDEXED BY sale_by_date"
	                          " WHERE date > ?1 AND date <= ?2",
	                          t->w[0], t->d[t->n - 1], e);
	if (rc)
		return rc;
	struct {
		int64_t i;
		qpc_money amount;
		int a, b;
		mask_t span;
	} batch[BATCH];
	char last[16] = "";
	int a = 0, b = -1, nb = 0;
	mask_t span = 0;
	int r;
	do {
		r = st_q_step(s);
		if (r == ST_ROW) {
			const char *txt = st_q_text_at(s, 0);
			if (!txt || strncmp(txt, last, sizeof last - 1) != 0) {
				qpc_date x;
				last[0] = '\0';
				a = 0;
				b = -1;
				if (st_q_date_at(s, 0, &x)) {
					snprintf(last, sizeof last, "%s", txt);
					window_points(t, x, &a, &b);
				}
				span = range_mask(a, b);
			}
			int64_t i = slot(t, st_q_int_at(s, 1));
			if (i < 0 || a > b)
				continue;
			__builtin_prefetch(&t->a[i], 1);
			batch[nb].i = i;
			batch[nb].amount = st_q_int_at(s, 2);
			batch[nb].a = a;
			batch[nb].b = b;
			batch[nb].span = span;
			if (++nb < BATCH)
				continue;
		}
		for (int k = 0; k < nb; k++)
			sale_line(t, batch[k].i, batch[k].a, batch[k].b, batch[k].span, batch[k].amount);
		nb = 0;
	} while (r == ST_ROW);
	return finish(s, r, "adding up sales", e);
}

/* An account whose lines net below zero at a measured point counts there
 * as zero, as the report counts it: the accounts with a negative line are
 * read again.  A few, one by one along their own index; many, in another
 * pass along the dates, a chunk of accounts at a time. */
#ifndef UNCLAMP_ONE_BY_ONE
#define UNCLAMP_ONE_BY_ONE 1000
#endif
#define UNCLAMP_CHUNK_BYTES ((size_t)64 << 20)

/* sum: the account's sales 12m from lines at each point. */
static void unclamp_one(struct trend *t, int64_t i, const wide *sum)
{
	for (mask_t m = t->a[i].measured & t->a[i].lines; m; m &= m - 1) {
		int j = low_bit(m);
		if (sum[j] < 0)
			add_range(t->msales, j, j, -sum[j]);
	}
}

static enum qpc_rc unclamp_each(struct trend *t, struct qpc_error *e)
{
	struct st_q *s;
	enum qpc_rc rc = prepare2(t, &s,
	                          "SELECT date, amount FROM sale INDEXED BY sale_account_date"
	                          " WHERE account_id = ?3 AND date > ?1 AND date <= ?2",
	                          t->w[0], t->d[t->n - 1], e);
	if (rc)
		return rc;
	for (int64_t i = 0; i <= t->hi - t->lo; i++) {
		if (!t->neg[i])
			continue;
		st_q_reset(s);
		st_q_int(s, 3, t->lo + i);
		wide sum[NMAX];
		memset(sum, 0, sizeof sum);
		int r;
		while ((r = st_q_step(s)) == ST_ROW) {
			qpc_date x;
			int a, b;
			if (!st_q_date_at(s, 0, &x))
				continue;
			window_points(t, x, &a, &b);
			for (int j = a; j <= b; j++)
				sum[j] += st_q_int_at(s, 1);
		}
		if (r != ST_DONE) {
			rc = st_q_fail(s, "adding up sales", e);
			break;
		}
		unclamp_one(t, i, sum);
	}
	st_q_free(s);
	return rc;
}

/* One pass along the dates for the accounts in slots[0..n). */
static enum qpc_rc unclamp_chunk(struct trend *t, const int64_t *slots, size_t n,
                                 uint32_t *pos, wide *sums, struct qpc_error *e)
{
	for (size_t k = 0; k < n; k++)
		pos[slots[k]] = (uint32_t)(k + 1);
	memset(sums, 0, n * (size_t)t->n * sizeof *sums);
	struct st_q *s;
	enum qpc_rc rc = prepare2(t, &s,
	                          "SELECT date, account_id, amount FROM sale INDEXED BY sale_by_date"
	                          " WHERE date > ?1 AND date <= ?2",
	                          t->w[0], t->d[t->n - 1], e);
	char last[16] = "";
	int a = 0, b = -1, r = ST_DONE;
	while (!rc && (r = st_q_step(s)) == ST_ROW) {
		int64_t i = slot(t, st_q_int_at(s, 1));
		if (i < 0 || !t->neg[i] || !pos[i])
			continue;
		const char *txt = st_q_text_at(s, 0);
		if (!txt || strncmp(txt, last, sizeof last - 1) != 0) {
			qpc_date x;
			last[0] = '\0';
			a = 0;
			b = -1;
			if (st_q_date_at(s, 0, &x)) {
				snprintf(last, sizeof last, "%s", txt);
				window_points(t, x, &a, &b);
			}
		}
		wide *sum = sums + (size_t)(pos[i] - 1) * (size_t)t->n;
		for (int j = a; j <= b; j++)
			sum[j] += st_q_int_at(s, 2);
	}
	if (!rc)
		rc = finish(s, r, "adding up sales", e);
	for (size_t k = 0; k < n; k++) {
		if (!rc)
			unclamp_one(t, slots[k], sums + k * (size_t)t->n);
		pos[slots[k]] = 0;
	}
	return rc;
}

static enum qpc_rc unclamp(struct trend *t, struct qpc_error *e)
{
	size_t nslots = (size_t)(t->hi - t->lo + 1), nneg = 0;
	for (size_t i = 0; t->hi >= t->lo && i < nslots; i++)
		nneg += t->neg[i];
	if (nneg == 0)
		return QPC_OK;
	if (nneg <= UNCLAMP_ONE_BY_ONE)
		return unclamp_each(t, e);
	size_t chunk = UNCLAMP_CHUNK_BYTES / ((size_t)t->n * sizeof(wide));
	if (chunk > nneg)
		chunk = nneg;
	int64_t *slots = malloc(chunk * sizeof *slots);
	uint32_t *pos = calloc(nslots, sizeof *pos);
	wide *sums = malloc(chunk * (size_t)t->n * sizeof *sums);
	enum qpc_rc rc = QPC_OK;
	if (!slots || !pos || !sums)
		rc = qpc_error_set(e, QPC_ERR_NOMEM, "out of memory for the trend");
	size_t n = 0;
	for (size_t i = 0; !rc && i < nslots; i++) {
		if (t->neg[i])
			slots[n++] = (int64_t)i;
		if (n == chunk || (n > 0 && i + 1 == nslots)) {
			rc = unclamp_chunk(t, slots, n, pos, sums, e);
			n = 0;
		}
	}
	free(slots);
	free(pos);
	free(sums);
	return rc;
}

/* --- account-level figures ------------------------------------------------ */

/* A figure as of `on`, the account's latest until `end` (0: none after):
 * it counts at the points it is in force at, while `on` is inside their
 * window, and only where the account has no sales line in that window. */
static void figure_fact(struct trend *t, int64_t i, qpc_date on, qpc_date end, qpc_money v)
{
	int a = first_ge(t, on);
	int b = (end ? first_ge(t, end) : t->n) - 1;
	int c = first_ge(t, qpc_window_leaves(on)) - 1;
	if (c < b)
		b = c;
	for (int j = a; j <= b; j++) {
		if (has_bit(t->a[i].lines, j))
			continue;
		t->sales[j] += v;
		t->sales[j + 1] -= v;
		if (has_bit(t->a[i].measured, j) && v > 0) {
			t->msales[j] += v;
			t->msales[j + 1] -= v;
		}
	}
}

static enum qpc_rc pass_figures(struct trend *t, struct qpc_error *e)
{
	struct st_q *s;
	enum qpc_rc rc = prepare2(t, &s,
	                          "SELECT account_id, as_of, sales_12m FROM account_figure"
	                          " WHERE as_of <= ?1 ORDER BY account_id, as_of",
	                          t->d[t->n - 1], 0, e);
	if (rc)
		return rc;
	int64_t pid = 0, pslot = -1;
	qpc_date pon = 0;
	qpc_money pv = 0;
	bool have = false;
	int r;
	while ((r = st_q_step(s)) == ST_ROW) {
		int64_t id = st_q_int_at(s, 0);
		qpc_date on;
		if (!st_q_date_at(s, 1, &on))
			continue;
		if (have && pslot >= 0)
			figure_fact(t, pslot, pon, id == pid ? on : 0, pv);
		have = true;
		pid = id;
		pslot = slot(t, id);
		pon = on;
		pv = st_q_int_at(s, 2);
	}
	if (have && pslot >= 0)
		figure_fact(t, pslot, pon, 0, pv);
	return finish(s, r, "reading account figures", e);
}

/* --- putting it together ------------------------------------------------ */

static qpc_money capped(wide v, bool *cap)
{
	if (v > (wide)QPC_MONEY_MAX) {
		*cap = true;
		return QPC_MONEY_MAX;
	}
	if (v < -(wide)QPC_MONEY_MAX) {
		*cap = true;
		return -QPC_MONEY_MAX;
	}
	return (qpc_money)v;
}

static enum qpc_rc id_range(struct trend *t, struct qpc_error *e)
{
	struct st_q *s;
	enum qpc_rc rc = st_q_prepare(t->st, &s, "SELECT min(id), max(id) FROM main.account", e);
	if (rc)
		return rc;
	t->lo = 1;
	t->hi = 0; /* no accounts */
	if (st_q_step(s) != ST_ROW) {
		rc = st_q_fail(s, "reading accounts", e);
	} else if (!st_q_null_at(s, 0)) {
		t->lo = st_q_int_at(s, 0);
		t->hi = st_q_int_at(s, 1);
	}
	st_q_free(s);
	return rc;
}

static enum qpc_rc gather(struct trend *t, struct qpc_error *e)
{
	enum qpc_rc rc = id_range(t, e);
	if (rc)
		return rc;
	size_t n = t->hi >= t->lo ? (size_t)(t->hi - t->lo + 1) : 1;
	t->a = calloc(n, sizeof *t->a);
	t->neg = calloc(n, 1);
	t->new_at = calloc(n, 1);
	t->lost_at = calloc(n, 1);
	if (!t->a || !t->neg || !t->new_at || !t->lost_at)
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory for the trend of %zu accounts", n);
	if ((rc = pass_spans(t, e)) || (rc = pass_qpc(t, e)) || (rc = pass_sales(t, e)) ||
	    (rc = unclamp(t, e)) || (rc = pass_figures(t, e)))
		return rc;
	return QPC_OK;
}

static enum qpc_rc emit(struct trend *t, qpc_trend_fn fn, void *ctx, struct qpc_error *e)
{
	wide qpc = 0, sales = 0, msales = 0;
	int64_t nmeasured = 0, customers = 0, partners = 0;
	for (int j = 0; j < t->n; j++) {
		struct qpc_trend_point p = { .month_end = t->d[j] };
		qpc += t->qpc[j];
		sales += t->sales[j];
		nmeasured += t->nmeasured[j];
		customers += t->customers[j];
		partners += t->partners[j];
		p.customers = customers;
		p.partners = partners;
		p.new_partners = t->made[j];
		p.lost_partners = t->lost[j];
		p.measured = nmeasured;
		p.qpc_total = capped(qpc, &p.capped);
		p.sales_12m = capped(sales, &p.capped);
		msales += t->msales[j];
		p.measured_sales_12m = capped(msales, &p.capped);
		p.share = qpc_share_of(p.measured_sales_12m, nmeasured > 0, p.qpc_total);
		if (fn(&p, ctx) != 0)
			return qpc_error_set(e, QPC_ERR_IO, "stopped while writing the trend");
	}
	return QPC_OK;
}

enum qpc_rc qpc_store_trend(struct qpc_store *st, qpc_date as_of, int months, qpc_trend_fn fn,
                            void *ctx, struct qpc_error *e)
{
	if (months < 1 || months > NMAX)
		return qpc_error_set(e, QPC_ERR_USAGE, "a trend covers 1 to %d months, not %d", NMAX,
		                     months);
	struct trend *t = calloc(1, sizeof *t);
	if (!t)
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	t->st = st;
	enum qpc_rc rc = points(t, as_of, months, e);
	/* One read transaction, so that every pass sees the same facts. */
	bool own = !rc && st_q_read_begin(st);
	if (!rc)
		rc = gather(t, e);
	st_q_read_end(st, own);
	if (!rc)
		rc = emit(t, fn, ctx, e);
	free(t->a);
	free(t->neg);
	free(t->new_at);
	free(t->lost_at);
	free(t);
	return rc;
}
