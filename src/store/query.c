/* query.c — reading figures back: the report and the account walk. */
#include <string.h>

#include "internal.h"

#define ACCOUNT_COLUMNS                                                                        \
	"SELECT id, version, external_id, name, owner, segment, city, country, qpc, sales_12m,"  \
	" gp_12m, share_bp, share_over, untapped, status, contract_partner, contract_value,"   \
	" rep_share_bp, qpc_measured_on, qpc_verified, cost_to_serve, (qpc IS NOT NULL),"      \
	" quality FROM account"
/* "+name": not along the name index, which visits the table in name
 * order, a page read for every row once the table outgrows the cache; a
 * scan reads each page once and the sort costs less (half the time of an
 * export of a million accounts).  The order is the same. */
static const char accounts_sql[] = ACCOUNT_COLUMNS " ORDER BY +name, id";
/* Totals need no order: a plain scan is thirty times faster at 1M. */
static const char totals_sql[] = ACCOUNT_COLUMNS;
enum {
	A_ID, A_VERSION, A_EXT, A_NAME, A_OWNER, A_SEGMENT, A_CITY, A_COUNTRY, A_QPC, A_SALES,
	A_GP, A_SHARE, A_OVER, A_UNTAPPED, A_STATUS, A_CONTRACT, A_CONTRACT_VALUE, A_REP_SHARE,
	A_MEASURED_ON, A_VERIFIED, A_COST, A_MEASURED, A_QUALITY
};

static const char *text(sqlite3_stmt *s, int col)
{
	const char *t = (const char *)sqlite3_column_text(s, col);
	return t ? t : "";
}

static void read_row(sqlite3_stmt *s, struct qpc_account_row *r)
{
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(s, A_ID);
	r->version = sqlite3_column_int64(s, A_VERSION);
	r->external_id = text(s, A_EXT);
	r->name = text(s, A_NAME);
	r->owner = text(s, A_OWNER);
	r->segment = text(s, A_SEGMENT);
	r->city = text(s, A_CITY);
	r->country = text(s, A_COUNTRY);
	struct qpc_account_figures *f = &r->fig;
	f->qpc_measured = sqlite3_column_int(s, A_MEASURED);
	f->qpc = sqlite3_column_int64(s, A_QPC);
	f->sales_12m = sqlite3_column_int64(s, A_SALES);
	f->gp_12m = sqlite3_column_int64(s, A_GP);
	f->share = qpc_share_of(f->sales_12m, f->qpc_measured, f->qpc);
	f->untapped_known = sqlite3_column_type(s, A_UNTAPPED) != SQLITE_NULL;
	f->untapped = sqlite3_column_int64(s, A_UNTAPPED);
	if (!qpc_status_parse(text(s, A_STATUS), &f->status))
		f->status = QPC_PROSPECT;
	r->contract_partner = sqlite3_column_int(s, A_CONTRACT);
	r->has_contract_value = sqlite3_column_type(s, A_CONTRACT_VALUE) != SQLITE_NULL;
	r->contract_value = sqlite3_column_int64(s, A_CONTRACT_VALUE);
	r->has_rep_share = sqlite3_column_type(s, A_REP_SHARE) != SQLITE_NULL;
	r->rep_share_bp = sqlite3_column_int(s, A_REP_SHARE);
	r->has_measured_on = st_column_date(s, A_MEASURED_ON, &r->qpc_measured_on);
	r->qpc_verified = sqlite3_column_int(s, A_VERIFIED);
	r->has_quality = sqlite3_column_type(s, A_QUALITY) != SQLITE_NULL;
	int q = sqlite3_column_int(s, A_QUALITY);
	r->quality = q >= 0 && q < QPC_QUALITY_COUNT ? (enum qpc_quality)q : QPC_CONFIRMED;
}

enum qpc_rc qpc_store_accounts_each(struct qpc_store *st, qpc_date as_of, qpc_account_fn fn,
                                    void *ctx, struct qpc_error *e)
{
	enum qpc_rc rc = qpc_store_refresh(st, as_of, e);
	if (rc)
		return rc;
	sqlite3_stmt *s;
	if ((rc = st_prepare(st, &s, accounts_sql, e)))
		return rc;
	int r;
	struct qpc_account_row row;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		read_row(s, &row);
		if (fn(&row, ctx) != 0) {
			sqlite3_finalize(s);
			return qpc_error_set(e, QPC_ERR_IO, "stopped while writing accounts");
		}
	}
	if (r != SQLITE_DONE)
		rc = st_fail(st, e, "reading accounts");
	sqlite3_finalize(s);
	return rc;
}

/* Status values as status_span stores them. */
#define SPAN_PARTNER "3" /* QPC_PARTNER */

static const char goal_sql[] =
	"WITH became AS (SELECT DISTINCT s.account_id,"
	"   EXISTS (SELECT 1 FROM status_span p WHERE p.account_id = s.account_id"
	"     AND p.status = " SPAN_PARTNER " AND p.since < ?1) AS before"
	"   FROM status_span s WHERE s.status = " SPAN_PARTNER " AND s.since >= ?1 AND s.since <= ?2),"
	" left_ AS (SELECT DISTINCT s.account_id FROM status_span s"
	"   WHERE s.prev = " SPAN_PARTNER " AND s.status <> " SPAN_PARTNER
	"   AND s.since >= ?1 AND s.since <= ?2"
	"   AND (SELECT t.status FROM status_span t WHERE t.account_id = s.account_id"
	"     AND t.since <= ?2 ORDER BY t.since DESC LIMIT 1) <> " SPAN_PARTNER ")"
	" SELECT (SELECT count(*) FROM became WHERE NOT before),"
	"  (SELECT count(*) FROM became WHERE before),"
	"  (SELECT count(*) FROM left_),"
	"  (SELECT count(*) FROM became b JOIN account a ON a.id = b.account_id"
	"    WHERE a.status = 'partner' AND a.quality = 0),"
	"  (SELECT target FROM goal WHERE year = ?3)";

enum qpc_rc qpc_store_goal_progress(struct qpc_store *st, int year, qpc_date as_of,
                                    struct qpc_goal *out, struct qpc_error *e)
{
	memset(out, 0, sizeof *out);
	out->year = year;
	qpc_date from, end;
	if (!qpc_date_from_ymd(year, 1, 1, &from) || !qpc_date_from_ymd(year, 12, 31, &end))
		return qpc_error_set(e, QPC_ERR_USAGE, "no such year: %d", year);
	qpc_date cut = as_of < end ? as_of : end;
	enum qpc_rc rc = qpc_store_refresh(st, as_of, e);
	if (rc && !qpc_store_keep_figures(st, rc))
		return rc;
	sqlite3_stmt *s;
	if ((rc = st_prepare(st, &s, goal_sql, e)))
		return rc;
	st_bind_date(s, 1, from);
	st_bind_date(s, 2, cut);
	sqlite3_bind_int(s, 3, year);
	if (sqlite3_step(s) == SQLITE_ROW) {
		if (cut >= from) {
			out->first_time = sqlite3_column_int64(s, 0);
			out->regained = sqlite3_column_int64(s, 1);
			out->lost = sqlite3_column_int64(s, 2);
			out->achieved_confirmed = sqlite3_column_int64(s, 3);
		}
		out->achieved = out->first_time + out->regained;
		out->target = sqlite3_column_int64(s, 4);
	} else {
		rc = st_fail(st, e, "reading goals");
	}
	sqlite3_finalize(s);
	return rc;
}

static enum qpc_rc goal_of(struct qpc_store *st, int year, qpc_date as_of, struct qpc_report *out,
                           struct qpc_error *e)
{
	sqlite3_stmt *s;
	enum qpc_rc rc = st_prepare(st, &s, "SELECT 1 FROM goal WHERE year = ?1", e);
	if (rc)
		return rc;
	sqlite3_bind_int(s, 1, year);
	int r = sqlite3_step(s);
	sqlite3_finalize(s);
	if (r == SQLITE_DONE)
		return QPC_OK;
	if (r != SQLITE_ROW)
		return st_fail(st, e, "reading goals");
	out->has_goal = true;
	return qpc_store_goal_progress(st, year, as_of, &out->goal, e);
}

enum qpc_rc qpc_store_report(struct qpc_store *st, qpc_date as_of, struct qpc_report *out,
                             struct qpc_error *e)
{
	memset(out, 0, sizeof *out);
	out->as_of = as_of;
	enum qpc_rc rc = qpc_store_settings(st, &out->settings, e);
	if (rc || (rc = qpc_store_threshold_at(st, as_of, &out->settings.threshold_bp, e)))
		return rc;
	if ((rc = qpc_store_refresh(st, as_of, e)) && !qpc_store_keep_figures(st, rc))
		return rc;
	out->figures_as_of = as_of;
	if (!st->shadow || st->shadow_date != as_of) {
		if (!qpc_store_figures_date(st, &out->figures_as_of) || out->figures_as_of != as_of)
			out->figures_stale = true;
	}
	sqlite3_stmt *s;
	if ((rc = st_prepare(st, &s, totals_sql, e)))
		return rc;
	qpc_kpi_init(&out->kpi);
	int r;
	struct qpc_account_row row;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		read_row(s, &row);
		bool cost_known = sqlite3_column_type(s, A_COST) != SQLITE_NULL;
		qpc_kpi_add(&out->kpi, &row.fig, cost_known, sqlite3_column_int64(s, A_COST));
		if (row.contract_partner)
			out->kpi.contract_partners++;
		if (row.fig.status == QPC_PARTNER && row.has_quality) {
			out->provisional[row.quality]++;
			if (row.quality == QPC_CONFIRMED)
				out->partners_confirmed++;
		}
	}
	if (r != SQLITE_DONE)
		rc = st_fail(st, e, "reading accounts");
	sqlite3_finalize(s);
	if (rc)
		return rc;
	qpc_kpi_ratios(&out->kpi, &out->ratios);
	return goal_of(st, qpc_date_year(as_of), as_of, out, e);
}

enum qpc_rc qpc_store_count_accounts(struct qpc_store *st, int64_t *n, struct qpc_error *e)
{
	sqlite3_stmt *s;
	enum qpc_rc rc = st_prepare(st, &s, "SELECT count(*) FROM account", e);
	if (rc)
		return rc;
	if (sqlite3_step(s) == SQLITE_ROW)
		*n = sqlite3_column_int64(s, 0);
	else
		rc = st_fail(st, e, "counting accounts");
	sqlite3_finalize(s);
	return rc;
}
