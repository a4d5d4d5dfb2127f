/* query.c — reading figures back: the report and the account walk. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "qpc/watch.h"

/* The columns an account's row is read from, once: the places read_row()
 * reads and the SELECT list are both made from it. */
#define ACCOUNT_SQL(X)                                                                         \
	X(A_ID, "id") X(A_VERSION, "version") X(A_EXT, "external_id") X(A_NAME, "name")       \
	X(A_OWNER, "owner") X(A_SEGMENT, "segment") X(A_CITY, "city") X(A_COUNTRY, "country")  \
	X(A_QPC, "qpc") X(A_SALES, "sales_12m") X(A_GP, ST_GP_SQL("")) X(A_SHARE, "share_bp")  \
	X(A_OVER, "share_over") X(A_UNTAPPED, "untapped") X(A_STATUS, "status")               \
	X(A_CONTRACT, "contract_partner") X(A_CONTRACT_VALUE, "contract_value")               \
	X(A_REP_SHARE, "rep_share_bp") X(A_MEASURED_ON, "qpc_measured_on")                    \
	X(A_VERIFIED, "qpc_verified") X(A_COST, "cost_to_serve")                              \
	X(A_MEASURED, "(qpc IS NOT NULL)") X(A_QUALITY, "quality")
enum {
#define PLACE(place, sql) place,
	ACCOUNT_SQL(PLACE)
#undef PLACE
};
#define LISTED(place, sql) sql ", "
/* (the NULL ends the list the commas leave open) */
#define ACCOUNT_COLUMNS "SELECT " ACCOUNT_SQL(LISTED) "NULL FROM "
/* "+name": not along the name index, which visits the table in name
 * order, a page read for every row once the table outgrows the cache; a
 * scan reads each page once and the sort costs less (half the time of an
 * export of a million accounts).  The order is the same. */
static const char accounts_sql[] = ACCOUNT_COLUMNS "account ORDER BY +name_key, id";
static const char by_id_sql[] = ACCOUNT_COLUMNS "account WHERE id = ?1";
/* Totals need no order: a plain scan is thirty times faster at 1M. */
static const char totals_sql[] = ACCOUNT_COLUMNS "account";
/* Today's, whatever copy this connection reads for another date. */
static const char totals_main_sql[] = ACCOUNT_COLUMNS "main.account";

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
	st_column_gp(s, A_GP, f);
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
	r->has_cost_to_serve = sqlite3_column_type(s, A_COST) != SQLITE_NULL;
	r->cost_to_serve = sqlite3_column_int64(s, A_COST);
	r->has_quality = sqlite3_column_type(s, A_QUALITY) != SQLITE_NULL;
	int q = sqlite3_column_int(s, A_QUALITY);
	r->quality = q >= 0 && q < QPC_QUALITY_COUNT ? (enum qpc_quality)q : QPC_CONFIRMED;
}

/* A server keeps no figures: an account's own columns, in name order,
 * beside its figures computed at the date (st_figmap). */
#define SERVER_ACCOUNT_COLUMNS                                                                 \
	"SELECT id, version, coalesce(external_id, ''), name, owner, segment, city, country,"    \
	" rep_share_bp, cost_to_serve FROM account "
static const char server_accounts_sql[] = SERVER_ACCOUNT_COLUMNS "ORDER BY name_key, id";
static const char server_by_id_sql[] = SERVER_ACCOUNT_COLUMNS "WHERE id = ?1";
#undef SERVER_ACCOUNT_COLUMNS

/* The parts of a row the figures give, as a file's cache holds them. */
void st_row_of_fig(struct qpc_account_row *r, const struct st_fig *g)
{
	r->fig = g->f;
	r->contract_partner = g->contract;
	r->has_contract_value = g->has_contract_value;
	r->contract_value = g->contract_value;
	r->has_measured_on = g->has_oldest;
	r->qpc_measured_on = g->oldest;
	r->qpc_verified = g->verified;
	r->has_quality = g->quality >= 0;
	r->quality = g->quality >= 0 ? (enum qpc_quality)g->quality : QPC_CONFIRMED;
}

/* A row of server_accounts_sql with its figures. */
static void server_row(struct st_q *s, const struct st_fig *g, struct qpc_account_row *row)
{
	memset(row, 0, sizeof *row);
	st_row_of_fig(row, g);
	row->id = st_q_int_at(s, 0);
	row->version = st_q_int_at(s, 1);
	row->external_id = st_q_text_at(s, 2);
	row->name = st_q_text_at(s, 3);
	row->owner = st_q_text_at(s, 4);
	row->segment = st_q_text_at(s, 5);
	row->city = st_q_text_at(s, 6);
	row->country = st_q_text_at(s, 7);
	row->has_rep_share = !st_q_null_at(s, 8);
	row->rep_share_bp = (int32_t)st_q_int_at(s, 8);
	row->has_cost_to_serve = !st_q_null_at(s, 9);
	row->cost_to_serve = st_q_int_at(s, 9);
}

static enum qpc_rc one_fig(struct qpc_store *st, const struct st_fig *g, struct st_q *row,
                           void *ctx, struct qpc_error *e)
{
	(void)st, (void)row, (void)e;
	*(struct st_fig *)ctx = *g;
	return QPC_OK;
}

/* Each account's figures computed alone, its row read beside them. */
static enum qpc_rc server_accounts_by_id(struct qpc_store *st, qpc_date as_of, const int64_t *ids,
                                         size_t n, qpc_account_fn fn, void *ctx,
                                         struct qpc_error *e)
{
	struct st_q *s;
	bool own = st_q_read_begin(st);
	enum qpc_rc rc = st_q_prepare(st, &s, server_by_id_sql, e);
	for (size_t i = 0; i < n && !rc; i++) {
		struct st_fig g = { .id = 0 };
		if ((rc = st_figures_at(st, as_of, ids[i], ST_WALK_LEAN, one_fig, &g, e)))
			break;
		st_q_reset(s);
		st_q_int(s, 1, ids[i]);
		int r = st_q_step(s);
		if (r == ST_ROW && g.id == ids[i]) {
			struct qpc_account_row row;
			server_row(s, &g, &row);
			if (fn(&row, ctx) != 0)
				rc = qpc_error_set(e, QPC_ERR_IO, "stopped while writing accounts");
		} else if (r != ST_ROW && r != ST_DONE) {
			rc = st_q_fail(s, "reading accounts", e);
		}
	}
	st_q_free(s);
	st_q_read_end(st, own);
	return rc;
}

static enum qpc_rc server_accounts_each(struct qpc_store *st, qpc_date as_of, qpc_account_fn fn,
                                        void *ctx, struct qpc_error *e)
{
	struct st_figmap m;
	bool own = st_q_read_begin(st); /* the figures and the rows: one state */
	enum qpc_rc rc = st_figmap_build(st, as_of, &m, e);
	struct st_q *s = NULL;
	if (rc || (rc = st_q_prepare(st, &s, server_accounts_sql, e)))
		goto done;
	st_q_stream(s);
	int r;
	while ((r = st_q_step(s)) == ST_ROW) {
		struct qpc_account_row row;
		const struct st_fig *g = st_figmap_get(&m, st_q_int_at(s, 0));
		if (!g) /* added since the figures were read: not in this snapshot */
			continue;
		server_row(s, g, &row);
		if (fn(&row, ctx) != 0) {
			rc = qpc_error_set(e, QPC_ERR_IO, "stopped while writing accounts");
			break;
		}
	}
	if (!rc && r != ST_DONE)
		rc = st_q_fail(s, "reading accounts", e);
done:
	st_q_free(s);
	st_figmap_free(&m);
	st_q_read_end(st, own);
	return rc;
}

enum qpc_rc qpc_store_accounts_each(struct qpc_store *st, qpc_date as_of, qpc_account_fn fn,
                                    void *ctx, struct qpc_error *e)
{
	if (st->pg)
		return server_accounts_each(st, as_of, fn, ctx, e);
	enum qpc_rc rc = st_view(st, as_of, false, e);
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

enum qpc_rc qpc_store_accounts_by_id(struct qpc_store *st, qpc_date as_of, const int64_t *ids,
                                     size_t n, qpc_account_fn fn, void *ctx, struct qpc_error *e)
{
	if (st->pg)
		return server_accounts_by_id(st, as_of, ids, n, fn, ctx, e);
	enum qpc_rc rc = st_view(st, as_of, false, e);
	if (rc)
		return rc;
	sqlite3_stmt *s;
	if ((rc = st_prepare(st, &s, by_id_sql, e)))
		return rc;
	struct qpc_account_row row;
	for (size_t i = 0; i < n && !rc; i++) {
		sqlite3_bind_int64(s, 1, ids[i]);
		int r = sqlite3_step(s);
		if (r == SQLITE_ROW) {
			read_row(s, &row);
			if (fn(&row, ctx) != 0)
				rc = qpc_error_set(e, QPC_ERR_IO, "stopped while writing accounts");
		} else if (r != SQLITE_DONE) {
			rc = st_fail(st, e, "reading accounts");
		}
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	return rc;
}

/* Each account's status changes up to a day (?1), in account order: the
 * goal is counted from them by qpc_spans_goal(), the rules' one place.
 * Only accounts that became a partner or stopped being one in the year
 * (from ?2 on) count at all: the others are left unread, two thirds of a
 * report's time at a million accounts. */
static const char spans_sql[] =
	"SELECT account_id, since, status FROM status_span WHERE since <= ?1 AND account_id IN"
	" (SELECT account_id FROM status_span WHERE since BETWEEN ?2 AND ?1"
	" AND (status = 3 OR prev = 3)) ORDER BY account_id, since";
/* Whether an account is a confirmed partner, as this connection reads. */
static const char confirmed_sql[] =
	"SELECT status = 'partner' AND quality = 0 FROM account WHERE id = ?1";

/* Confirmed partners at the date, by account id (report.c's pass). */
struct confirmed {
	int64_t lo, n;
	uint8_t *yes;
};

/* What a goal's "confirmed" counts: a partner at the figures' date whose
 * partnership is confirmed (QPC verified, current, covering its buying). */
static bool confirmed_partner(const struct st_fig *g)
{
	return g->f.status == QPC_PARTNER && g->quality == QPC_CONFIRMED;
}

static enum qpc_rc goal_target(struct qpc_store *st, int year, struct qpc_goal *out,
                               struct qpc_error *e)
{
	struct st_q *s;
	enum qpc_rc rc = st_q_prepare(st, &s, "SELECT target FROM goal WHERE year = ?1", e);
	if (rc)
		return rc;
	st_q_int(s, 1, year);
	int r = st_q_step(s);
	if (r == ST_ROW)
		out->target = st_q_int_at(s, 0);
	else if (r != ST_DONE)
		rc = st_q_fail(s, "reading goals", e);
	st_q_free(s);
	return rc;
}

/* Who else is told of each account's part (st_goal_each). */
struct goal_tell {
	st_goal_fn fn;
	void *ctx;
};

/* Adds one account's part; a new partner is looked up for "confirmed". */
static enum qpc_rc goal_add(struct qpc_store *st, int64_t id, const struct qpc_span *sp, size_t n,
                            int year, qpc_date as_of, const struct confirmed *c,
                            const struct goal_tell *tell, struct qpc_goal *out,
                            struct qpc_error *e)
{
	struct qpc_goal_part g;
	qpc_spans_goal(sp, n, year, as_of, &g);
	enum qpc_rc rc;
	if (tell && (g.became || g.lost) && (rc = tell->fn(tell->ctx, id, &g, e)))
		return rc;
	out->first_time += g.first_time;
	out->regained += g.regained;
	out->lost += g.lost;
	if (!g.became)
		return QPC_OK;
	if (c) {
		int64_t i = id - c->lo;
		out->achieved_confirmed += i >= 0 && i < c->n && c->yes[i];
		return QPC_OK;
	}
	struct st_q *q;
	if ((rc = st_q_cached(st, &q, confirmed_sql, e)))
		return rc;
	st_q_int(q, 1, id);
	int r = st_q_step(q);
	if (r == ST_ROW)
		out->achieved_confirmed += st_q_int_at(q, 0) != 0;
	else if (r != ST_DONE)
		rc = st_q_fail(q, "reading goals", e);
	st_q_free(q);
	return rc;
}

static enum qpc_rc goal_count(struct qpc_store *st, int year, qpc_date as_of,
                              const struct confirmed *c, const struct goal_tell *tell,
                              struct qpc_goal *out, struct qpc_error *e);

/* The confirmed partners at the date from every account's figures. */
static enum qpc_rc goal_count_computed(struct qpc_store *st, int year, qpc_date as_of,
                                       const struct goal_tell *tell, struct qpc_goal *out,
                                       struct qpc_error *e)
{
	struct st_figmap m;
	bool own = st_q_read_begin(st);
	enum qpc_rc rc = st_figmap_build(st, as_of, &m, e);
	struct confirmed c = { .lo = m.lo, .n = m.n };
	if (!rc && m.n > 0 && !(c.yes = calloc((size_t)m.n, 1)))
		rc = qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	for (int64_t i = 0; !rc && i < m.n; i++)
		c.yes[i] = m.have[i] && confirmed_partner(&m.f[i]);
	if (!rc)
		rc = goal_count(st, year, as_of, &c, tell, out, e);
	free(c.yes);
	st_figmap_free(&m);
	st_q_read_end(st, own);
	return rc;
}

static enum qpc_rc goal_count(struct qpc_store *st, int year, qpc_date as_of,
                              const struct confirmed *c, const struct goal_tell *tell,
                              struct qpc_goal *out, struct qpc_error *e)
{
	memset(out, 0, sizeof *out);
	out->year = year;
	qpc_date from, end;
	if (!qpc_date_from_ymd(year, 1, 1, &from) || !qpc_date_from_ymd(year, 12, 31, &end))
		return qpc_error_set(e, QPC_ERR_USAGE, "no such year: %d", year);
	qpc_date cut = as_of < end ? as_of : end;
	enum qpc_rc rc;
	if (!c && st->pg) /* no figures kept there: which partners are confirmed, computed */
		return goal_count_computed(st, year, as_of, tell, out, e);
	if (!c && (rc = st_view(st, as_of, false, e)) && !qpc_store_keep_figures(st, rc))
		return rc;
	if ((rc = goal_target(st, year, out, e)) || cut < from)
		return rc;
	struct st_q *s;
	if ((rc = st_q_prepare(st, &s, spans_sql, e)))
		return rc;
	char day[QPC_DATE_ISO_LEN];
	st_q_text(s, 1, qpc_date_format(cut, day));
	st_q_text(s, 2, qpc_date_format(from, day));
	struct qpc_span *sp = NULL;
	size_t n = 0, cap = 0;
	int64_t id = 0;
	int r;
	while (!rc && (r = st_q_step(s)) == ST_ROW) {
		int64_t a = st_q_int_at(s, 0);
		if (a != id && n > 0) {
			rc = goal_add(st, id, sp, n, year, as_of, c, tell, out, e);
			n = 0;
		}
		id = a;
		if (n == cap) {
			size_t grown_cap = cap ? cap * 2 : 16;
			struct qpc_span *grown = realloc(sp, grown_cap * sizeof *sp);
			if (!grown) {
				rc = qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
				break;
			}
			sp = grown;
			cap = grown_cap;
		}
		st_q_date_at(s, 1, &sp[n].from);
		sp[n++].status = (enum qpc_status)st_q_int_at(s, 2);
	}
	if (!rc && r != ST_DONE)
		rc = st_q_fail(s, "reading goals", e);
	if (!rc && n > 0)
		rc = goal_add(st, id, sp, n, year, as_of, c, tell, out, e);
	st_q_free(s);
	free(sp);
	out->achieved = out->first_time + out->regained;
	return rc;
}

enum qpc_rc qpc_store_goal_progress(struct qpc_store *st, int year, qpc_date as_of,
                                    struct qpc_goal *out, struct qpc_error *e)
{
	return goal_count(st, year, as_of, NULL, NULL, out, e);
}

enum qpc_rc st_goal_each(struct qpc_store *st, int year, qpc_date as_of, st_goal_fn fn, void *ctx,
                         struct qpc_goal *out, struct qpc_error *e)
{
	struct goal_tell tell = { fn, ctx };
	return goal_count(st, year, as_of, NULL, &tell, out, e);
}

static enum qpc_rc goal_of(struct qpc_store *st, int year, qpc_date as_of,
                           const struct confirmed *c, struct qpc_report *out, struct qpc_error *e)
{
	struct st_q *s;
	enum qpc_rc rc = st_q_prepare(st, &s, "SELECT 1 FROM goal WHERE year = ?1", e);
	if (rc)
		return rc;
	st_q_int(s, 1, year);
	int r = st_q_step(s);
	if (r != ST_ROW && r != ST_DONE)
		rc = st_q_fail(s, "reading goals", e);
	st_q_free(s);
	if (rc || r == ST_DONE)
		return rc;
	out->has_goal = true;
	return goal_count(st, year, as_of, c, NULL, &out->goal, e);
}

/* Adds one account to the report. */
static void report_add(struct qpc_report *out, const struct qpc_account_row *row, bool cost_known,
                       qpc_money cost)
{
	qpc_kpi_add(&out->kpi, &row->fig, cost_known, cost);
	if (row->contract_partner)
		out->kpi.contract_partners++;
	if (row->fig.status == QPC_PARTNER && row->has_quality) {
		out->provisional[row->quality]++;
		if (row->quality == QPC_CONFIRMED)
			out->partners_confirmed++;
	}
}

struct pass_sum {
	struct qpc_report *out;
	struct confirmed c;
	struct st_watch *watch; /* NULL when not asked */
};

static enum qpc_rc sum_fig(struct qpc_store *st, const struct st_fig *g, struct st_q *row,
                           void *ctx, struct qpc_error *e)
{
	(void)st;
	(void)row;
	(void)e;
	struct pass_sum *p = ctx;
	struct qpc_account_row r = { .id = g->id };
	st_row_of_fig(&r, g);
	report_add(p->out, &r, g->cost_known, g->cost);
	int64_t i = g->id - p->c.lo;
	if (confirmed_partner(g) && i >= 0 && i < p->c.n)
		p->c.yes[i] = 1;
	return p->watch ? st_watch_add(p->watch, g->id, st_q_text_at(row, SC_OWNER),
	                               !st_q_null_at(row, SC_REP), (int32_t)st_q_int_at(row, SC_REP),
	                               &g->f, e)
	                : QPC_OK;
}

/* Another date than the cache's, and no copy made for it: one pass over
 * the facts, summed as it goes; nothing is kept. */
static enum qpc_rc report_pass(struct qpc_store *st, qpc_date as_of, struct qpc_report *out,
                               struct st_watch *watch, struct qpc_error *e)
{
	struct pass_sum p = { .out = out, .watch = watch };
	struct st_q *s;
	enum qpc_rc rc = st_q_prepare(st, &s, "SELECT coalesce(min(id), 0), coalesce(max(id), -1)"
	                                      " FROM main.account", e);
	if (rc)
		return rc;
	int r = st_q_step(s);
	if (r == ST_ROW) {
		p.c.lo = st_q_int_at(s, 0);
		p.c.n = st_q_int_at(s, 1) - p.c.lo + 1;
	} else if (r != ST_DONE) {
		rc = st_q_fail(s, "reading accounts", e);
	}
	st_q_free(s);
	if (rc)
		return rc;
	if (p.c.n > 0 && !(p.c.yes = calloc((size_t)p.c.n, 1)))
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	qpc_kpi_init(&out->kpi);
	char doing[64], day[QPC_DATE_ISO_LEN];
	snprintf(doing, sizeof doing, "computing the figures as of %s", qpc_date_format(as_of, day));
	const char *outer = st->doing;
	st->doing = doing;
	rc = st_figures_at(st, as_of, 0, ST_WALK_LEAN, sum_fig, &p, e);
	st->doing = outer;
	if (!rc) {
		qpc_kpi_ratios(&out->kpi, &out->ratios);
		rc = goal_of(st, qpc_date_year(as_of), as_of, &p.c, out, e);
	}
	free(p.c.yes);
	return rc;
}

/* The report, and with it the watch when asked: the walk that sums the
 * figures hands each account to both. */
static enum qpc_rc report(struct qpc_store *st, qpc_date as_of, struct qpc_report *out,
                          struct st_watch **watch, struct qpc_error *e)
{
	memset(out, 0, sizeof *out);
	out->as_of = as_of;
	out->figures_as_of = as_of;
	enum qpc_rc rc = qpc_store_settings(st, &out->settings, e);
	if (rc || (rc = qpc_store_threshold_at(st, as_of, &out->settings.threshold_bp, e)))
		return rc;
	int32_t threshold_bp = out->settings.threshold_bp;
	if (watch && (rc = st_watch_begin(st, as_of, threshold_bp, watch, e)))
		return rc;
	st_view_current(st);
	bool cached = st->has_figures && st->figures_as_of == as_of && !st->figures_kept;
	bool copied = st->shadow && st->shadow_date == as_of;
	if (!cached && !copied && !st->figures_kept && st->tx_depth == 0) {
		rc = report_pass(st, as_of, out, watch ? *watch : NULL, e);
		if (!rc || !qpc_store_keep_figures(st, rc))
			return rc;
		memset(out, 0, sizeof *out);
		out->as_of = as_of;
		if ((rc = qpc_store_settings(st, &out->settings, e)))
			return rc;
		if (watch) { /* what the pass gathered is not what follows */
			st_watch_free(*watch);
			*watch = NULL;
			if ((rc = st_watch_begin(st, as_of, threshold_bp, watch, e)))
				return rc;
		}
	}
	if (!cached && !copied) { /* kept: the figures as the file holds them */
		out->figures_stale = true;
		if (!qpc_store_figures_date(st, &out->figures_as_of))
			out->figures_as_of = 0;
	}
	sqlite3_stmt *s;
	if ((rc = st_prepare(st, &s, copied ? totals_sql : totals_main_sql, e)))
		return rc;
	qpc_kpi_init(&out->kpi);
	int r;
	struct qpc_account_row row;
	while (!rc && (r = sqlite3_step(s)) == SQLITE_ROW) {
		read_row(s, &row);
		bool cost_known = sqlite3_column_type(s, A_COST) != SQLITE_NULL;
		report_add(out, &row, cost_known, sqlite3_column_int64(s, A_COST));
		if (watch)
			rc = st_watch_add(*watch, row.id, row.owner, row.has_rep_share, row.rep_share_bp,
			                  &row.fig, e);
	}
	if (!rc && r != SQLITE_DONE)
		rc = st_fail(st, e, "reading accounts");
	sqlite3_finalize(s);
	if (rc)
		return rc;
	qpc_kpi_ratios(&out->kpi, &out->ratios);
	return goal_of(st, qpc_date_year(as_of), as_of, NULL, out, e);
}

enum qpc_rc qpc_store_report(struct qpc_store *st, qpc_date as_of, struct qpc_report *out,
                             struct qpc_error *e)
{
	return report(st, as_of, out, NULL, e);
}

enum qpc_rc qpc_store_report_watch(struct qpc_store *st, qpc_date as_of, struct qpc_report *out,
                                   bool named, struct qpc_watch *watch, struct qpc_error *e)
{
	struct st_watch *w = NULL;
	memset(watch, 0, sizeof *watch);
	/* the watch reads each partner's sales as the walk hands it over, in
	 * the walk's read: no transaction around it, which would keep the
	 * walk on one thread (figures.c) */
	enum qpc_rc rc = report(st, as_of, out, &w, e);
	if (!rc)
		rc = st_watch_end(st, w, named, watch, e);
	else
		st_watch_free(w);
	return rc;
}

enum qpc_rc qpc_store_count_accounts(struct qpc_store *st, int64_t *n, struct qpc_error *e)
{
	return st_int(st, n, 0, "counting accounts", "SELECT count(*) FROM account", NULL, 0, e);
}
