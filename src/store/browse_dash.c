/* browse_dash.c — the dashboard: the report, the share distribution, the
 * profit curve and the largest untapped potentials. */
#include <stdio.h>
#include <string.h>

#include "browse_int.h"

/* Customers as the KPIs count them: sales in the window, or partners. */
#define CUSTOMER "(sales_12m > 0 OR sort_status = 3)"

static enum qpc_rc buckets(struct qpc_browse *b, struct qpc_dashboard *d, struct qpc_error *e)
{
	static const char sql[] =
		"SELECT CASE WHEN share_bp IS NULL THEN -1 WHEN share_over THEN 4"
		" WHEN share_bp < 2500 THEN 0 WHEN share_bp < 5000 THEN 1"
		" WHEN share_bp < 7500 THEN 2 ELSE 3 END, count(*)"
		" FROM account WHERE " CUSTOMER " GROUP BY 1";
	sqlite3_stmt *s;
	enum qpc_rc rc = st_prepare(b->st, &s, sql, e);
	if (rc)
		return rc;
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		int k = sqlite3_column_int(s, 0);
		int64_t n = sqlite3_column_int64(s, 1);
		if (k >= 0 && k < QPC_BUCKET_COUNT)
			d->share_buckets[k] = n;
		else
			d->share_unknown += n;
	}
	if (r != SQLITE_DONE)
		rc = st_fail(b->st, e, "reading the share distribution");
	sqlite3_finalize(s);
	return rc;
}

/* Walks the customers from the largest gross profit down, summing. */
static enum qpc_rc curve(struct qpc_browse *b, struct qpc_dashboard *d, struct qpc_error *e)
{
	/* through the index, unless a bulk load's indexes wait (browse_int.h) */
	const char *from = br_unindexed(b) ? "account" : "account INDEXED BY account_by_gp";
	char sql[160], count_sql[128];
	snprintf(sql, sizeof sql,
	         "SELECT gp_12m, sort_status FROM %s WHERE " CUSTOMER " ORDER BY gp_12m DESC", from);
	snprintf(count_sql, sizeof count_sql, "SELECT count(*) FROM %s WHERE " CUSTOMER, from);
	sqlite3_stmt *s;
	enum qpc_rc rc = st_prepare(b->st, &s, count_sql, e);
	if (rc)
		return rc;
	int64_t n = sqlite3_step(s) == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_finalize(s);
	d->curve_customers = n;
	d->curve_n = n < QPC_CURVE_POINTS ? (int)n : QPC_CURVE_POINTS;
	if (n == 0)
		return QPC_OK;
	if ((rc = st_prepare(b->st, &s, sql, e)))
		return rc;
	qpc_money sum = 0;
	int64_t seen = 0;
	int r, slice = 0;
	while ((r = sqlite3_step(s)) == SQLITE_ROW && seen < n) {
		qpc_money gp = sqlite3_column_int64(s, 0);
		if (!qpc_money_add(sum, gp, &sum))
			sum = gp > 0 ? QPC_MONEY_MAX : -QPC_MONEY_MAX;
		seen++;
		/* slice i holds customers up to ceil((i + 1) * n / curve_n) */
		while (slice < d->curve_n - 1 &&
		       seen > ((int64_t)(slice + 1) * n + d->curve_n - 1) / d->curve_n)
			slice++;
		if (sqlite3_column_int(s, 1) == QPC_PARTNER)
			d->curve_partners[slice]++;
		d->curve_gp[slice] = sum;
	}
	if (r != SQLITE_DONE && r != SQLITE_ROW)
		rc = st_fail(b->st, e, "reading the profit curve");
	sqlite3_finalize(s);
	return rc;
}

enum qpc_rc qpc_browse_dashboard(struct qpc_browse *b, struct qpc_dashboard *d,
                                 struct qpc_error *e)
{
	memset(d, 0, sizeof *d);
	enum qpc_rc rc;
	if ((rc = qpc_store_report(b->st, b->as_of, &d->report, e)) || (rc = buckets(b, d, e)) ||
	    (rc = curve(b, d, e)))
		return rc;
	struct qpc_filter f;
	qpc_filter_init(&f);
	struct qpc_order o = { QPC_COL_UNTAPPED, true };
	struct qpc_fetch r = { .dir = QPC_NEXT, .max = QPC_TOP_UNTAPPED };
	struct qpc_fetched got;
	if ((rc = qpc_browse_fetch(b, &f, &o, &r, d->top, &got, e)))
		return rc;
	d->ntop = got.n;
	while (d->ntop > 0 && !d->top[d->ntop - 1].fig.untapped_known)
		d->ntop--; /* an unknown potential is not a top one */
	return QPC_OK;
}
