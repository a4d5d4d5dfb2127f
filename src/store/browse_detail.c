/* browse_detail.c — one account's page, its history, candidates, goals. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "browse_int.h"
#include "qpc/namekey.h"

static const char detail_sql[] =
	"SELECT " BR_ROW_COLUMNS ", a.city, a.country, a.employees, a.annual_revenue,"
	" a.contract_value, a.rep_share_bp, a.cost_to_serve FROM account a WHERE a.id = ?1";
enum { D_CITY = BR_ROW_NCOLUMNS, D_COUNTRY, D_EMPLOYEES, D_REVENUE, D_CONTRACT_VALUE,
       D_REP_SHARE, D_COST };

/* Every category the account has a QPC line or sales in (the window's). */
static const char lines_sql[] =
	"SELECT c.name, p.amount, p.basis, p.verified, p.measured_on, p.measured_by, s.sales"
	" FROM (SELECT category_id FROM potential WHERE account_id = ?1"
	"   UNION SELECT category_id FROM sale WHERE account_id = ?1 AND date > ?2"
	"   AND date <= ?3 AND category_id IS NOT NULL) ids"
	" JOIN category c ON c.id = ids.category_id"
	" LEFT JOIN potential p ON p.account_id = ?1 AND p.category_id = ids.category_id"
	" LEFT JOIN (SELECT category_id, sum(amount) sales FROM sale WHERE account_id = ?1"
	"   AND date > ?2 AND date <= ?3 GROUP BY category_id) s"
	"   ON s.category_id = ids.category_id"
	" ORDER BY c.name COLLATE QPC_NAME";

static const char months_sql[] =
	"SELECT substr(date, 1, 7), sum(amount) FROM sale WHERE account_id = ?1"
	" AND date >= ?2 AND date <= ?3 GROUP BY 1";

static const char candidate_sql[] =
	"SELECT c.id, c.template_id, c.nominated_on, c.nominated_by, t.name FROM candidate c"
	" JOIN template t ON t.id = c.template_id"
	" WHERE c.account_id = ?1 AND c.dropped_on IS NULL";

static const char steps_sql[] =
	"SELECT ts.position, ts.text, k.ticked_by, k.ticked_at, k.note FROM template_step ts"
	" LEFT JOIN tick k ON k.step_id = ts.id AND k.candidate_id = ?1"
	" WHERE ts.template_id = ?2 AND ts.retired = 0 ORDER BY ts.position";

static void opt_int(struct st_q *q, int col, bool *has, int64_t *v)
{
	*has = !st_q_null_at(q, col);
	*v = st_q_int_at(q, col);
}

static enum qpc_rc read_account(struct qpc_browse *b, int64_t id, struct qpc_account_detail *d,
                                struct qpc_error *e)
{
	struct st_q *q;
	enum qpc_rc rc = br_q(b, &q, detail_sql, e);
	if (rc)
		return rc;
	st_q_int(q, 1, id);
	int r = st_q_step(q);
	if (r == ST_ROW) {
		int64_t rep;
		br_read_row(b, q, 0, &d->row);
		br_copy_at(d->city, sizeof d->city, q, D_CITY);
		br_copy_at(d->country, sizeof d->country, q, D_COUNTRY);
		opt_int(q, D_EMPLOYEES, &d->has_employees, &d->employees);
		opt_int(q, D_REVENUE, &d->has_revenue, &d->annual_revenue);
		opt_int(q, D_CONTRACT_VALUE, &d->has_contract_value, &d->contract_value);
		opt_int(q, D_REP_SHARE, &d->has_rep_share, &rep);
		d->rep_share_bp = (int32_t)rep;
		opt_int(q, D_COST, &d->has_cost, &d->cost_to_serve);
		struct br_estimate est;
		if ((d->has_estimate = br_estimate(b, st_q_text_at(q, R_SEGMENT),
		                                   st_q_double_at(q, R_EMPLOYEES),
		                                   st_q_double_at(q, R_REVENUE), &est))) {
			d->estimate = est.amount;
			d->estimate_accounts = est.accounts;
			d->estimate_by_employees = est.by_employees;
		}
	} else if (r == ST_DONE) {
		rc = qpc_error_set(e, QPC_ERR_NOTFOUND, "that account is gone");
	} else {
		rc = st_q_fail(q, "reading an account", e);
	}
	st_q_free(q);
	return rc;
}

static enum qpc_rc read_lines(struct qpc_browse *b, int64_t id, struct qpc_account_detail *d,
                              struct qpc_error *e)
{
	struct st_q *q;
	char day[QPC_DATE_ISO_LEN];
	enum qpc_rc rc = br_q(b, &q, lines_sql, e);
	if (rc)
		return rc;
	st_q_int(q, 1, id);
	st_q_text(q, 2, qpc_date_format(qpc_window_start(b->as_of), day));
	st_q_text(q, 3, qpc_date_format(b->as_of, day));
	int r;
	while ((r = st_q_step(q)) == ST_ROW) {
		if (d->nlines == QPC_DETAIL_LINES) {
			d->more_lines++;
			continue;
		}
		struct qpc_detail_line *l = &d->lines[d->nlines++];
		br_copy_at(l->category, sizeof l->category, q, 0);
		l->has_qpc = !st_q_null_at(q, 1);
		l->qpc = st_q_int_at(q, 1);
		br_copy_at(l->basis, sizeof l->basis, q, 2);
		l->verified = (int)st_q_int_at(q, 3);
		if (st_q_date_at(q, 4, &l->measured_on))
			l->stale = qpc_is_stale(l->measured_on, b->as_of);
		br_copy_at(l->measured_by, sizeof l->measured_by, q, 5);
		l->sales_12m = st_q_int_at(q, 6);
		l->share = qpc_share_of(l->sales_12m, l->has_qpc, l->qpc);
	}
	if (r != ST_DONE)
		rc = st_q_fail(q, "reading QPC lines", e);
	st_q_free(q);
	return rc;
}

static enum qpc_rc read_months(struct qpc_browse *b, int64_t id, struct qpc_account_detail *d,
                               struct qpc_error *e)
{
	int y, m, day;
	qpc_date_to_ymd(b->as_of, &y, &m, &day);
	int first = y * 12 + (m - 1) - (QPC_DETAIL_MONTHS - 1);
	d->first_year = first / 12;
	d->first_month = first % 12 + 1;
	qpc_date from;
	if (!qpc_date_from_ymd(d->first_year, d->first_month, 1, &from))
		return QPC_OK; /* before year 1: nothing to show */
	struct st_q *q;
	char iso[QPC_DATE_ISO_LEN];
	enum qpc_rc rc = br_q(b, &q, months_sql, e);
	if (rc)
		return rc;
	st_q_int(q, 1, id);
	st_q_text(q, 2, qpc_date_format(from, iso));
	st_q_text(q, 3, qpc_date_format(b->as_of, iso));
	int r, yy, mm;
	while ((r = st_q_step(q)) == ST_ROW) {
		const char *ym = st_q_text_at(q, 0);
		if (!ym || sscanf(ym, "%4d-%2d", &yy, &mm) != 2)
			continue;
		int i = yy * 12 + (mm - 1) - first;
		if (i >= 0 && i < QPC_DETAIL_MONTHS)
			d->month_sales[i] = st_q_int_at(q, 1);
	}
	if (r != ST_DONE)
		rc = st_q_fail(q, "reading monthly sales", e);
	st_q_free(q);
	return rc;
}

static enum qpc_rc read_checklist(struct qpc_browse *b, int64_t id,
                                  struct qpc_account_detail *d, struct qpc_error *e)
{
	struct st_q *q;
	enum qpc_rc rc = br_q(b, &q, candidate_sql, e);
	if (rc)
		return rc;
	st_q_int(q, 1, id);
	int r = st_q_step(q);
	int64_t cid = 0, tid = 0;
	if (r == ST_ROW) {
		d->candidate = true;
		cid = st_q_int_at(q, 0);
		tid = st_q_int_at(q, 1);
		st_q_date_at(q, 2, &d->nominated_on);
		br_copy_at(d->nominated_by, sizeof d->nominated_by, q, 3);
		br_copy_at(d->template_name, sizeof d->template_name, q, 4);
	} else if (r != ST_DONE) {
		rc = st_q_fail(q, "reading the checklist", e);
	}
	st_q_free(q);
	if (rc || !d->candidate || (rc = br_q(b, &q, steps_sql, e)))
		return rc;
	st_q_int(q, 1, cid);
	st_q_int(q, 2, tid);
	while ((r = st_q_step(q)) == ST_ROW && d->nsteps < QPC_DETAIL_STEPS) {
		struct qpc_detail_step *t = &d->steps[d->nsteps++];
		t->position = (int)st_q_int_at(q, 0);
		br_copy_at(t->text, sizeof t->text, q, 1);
		t->ticked = !st_q_null_at(q, 2);
		br_copy_at(t->by, sizeof t->by, q, 2);
		const char *at = st_q_text_at(q, 3);
		char day[QPC_DATE_ISO_LEN];
		if (at && strlen(at) >= 10) {
			memcpy(day, at, 10);
			day[10] = '\0';
			qpc_date_parse_iso(day, &t->on);
		}
		br_copy_at(t->note, sizeof t->note, q, 4);
	}
	if (r != ST_DONE && r != ST_ROW)
		rc = st_q_fail(q, "reading the checklist", e);
	st_q_free(q);
	return rc;
}

enum qpc_rc qpc_browse_detail(struct qpc_browse *b, int64_t id, struct qpc_account_detail *d,
                              struct qpc_error *e)
{
	memset(d, 0, sizeof *d);
	enum qpc_rc rc;
	if ((rc = br_estimates_load(b, e)) || (rc = read_account(b, id, d, e)) || (rc = read_lines(b, id, d, e)) ||
	    (rc = read_months(b, id, d, e)))
		return rc;
	return read_checklist(b, id, d, e);
}

/* --- history ------------------------------------------------------------- */

/* By the date a change took effect, newest first (an account has few).
 * "user" quoted: bare, PostgreSQL reads the login.  The id cast, or the
 * server would take ?2 for a 32-bit integer from "?2 = 0". */
static const char history_older_sql[] =
	"SELECT id, at, effective, \"user\", field, old, new, entity FROM history"
	" WHERE account_id = ?1 AND (CAST(?2 AS bigint) = 0"
	"   OR effective < (SELECT effective FROM history WHERE id = ?2)"
	"   OR (effective = (SELECT effective FROM history WHERE id = ?2)"
	"       AND (id < ?2 OR (?3 <> 0 AND id = ?2))))"
	" ORDER BY effective DESC, id DESC LIMIT ?4";
static const char history_newer_sql[] =
	"SELECT id, at, effective, \"user\", field, old, new, entity FROM history"
	" WHERE account_id = ?1 AND (CAST(?2 AS bigint) = 0"
	"   OR effective > (SELECT effective FROM history WHERE id = ?2)"
	"   OR (effective = (SELECT effective FROM history WHERE id = ?2)"
	"       AND (id > ?2 OR (?3 <> 0 AND id = ?2))))"
	" ORDER BY effective ASC, id ASC LIMIT ?4";

enum qpc_rc qpc_browse_history(struct qpc_browse *b, int64_t account_id,
                               const struct qpc_fetch *r, struct qpc_history_row *rows,
                               struct qpc_fetched *out, struct qpc_error *e)
{
	struct st_q *q;
	memset(out, 0, sizeof *out);
	enum qpc_rc rc = br_q(b, &q, r->dir == QPC_NEXT ? history_older_sql : history_newer_sql, e);
	if (rc)
		return rc;
	st_q_int(q, 1, account_id);
	st_q_int(q, 2, r->from);
	st_q_int(q, 3, r->inclusive);
	st_q_int(q, 4, r->max);
	int st;
	while ((st = st_q_step(q)) == ST_ROW) {
		struct qpc_history_row *h = &rows[out->n++];
		memset(h, 0, sizeof *h);
		h->id = st_q_int_at(q, 0);
		br_copy_at(h->at, sizeof h->at, q, 1);
		st_q_date_at(q, 2, &h->effective);
		br_copy_at(h->user, sizeof h->user, q, 3);
		br_copy_at(h->field, sizeof h->field, q, 4);
		br_copy_at(h->old, sizeof h->old, q, 5);
		br_copy_at(h->new_, sizeof h->new_, q, 6);
		br_copy_at(h->entity, sizeof h->entity, q, 7);
	}
	if (st != ST_DONE)
		rc = st_q_fail(q, "reading the history", e);
	st_q_free(q);
	out->end = out->n < r->max;
	return rc;
}

/* --- candidates ---------------------------------------------------------- */

/* ?1 cast as in the history's statements. */
#define CANDIDATE_COLUMNS                                                                     \
	"SELECT a.id, a.name, a.owner, a.status, a.qpc, a.sales_12m, c.nominated_on,"        \
	" " ST_STEPS_TICKED("c") ", " ST_STEPS_LIVE("c") ","                                 \
	" (SELECT max(ticked_at) FROM tick k WHERE k.candidate_id = c.id),"                   \
	" " ST_PARTNER_ON("c", "a", "")                                                        \
	" FROM candidate c JOIN account a ON a.id = c.account_id"                             \
	" WHERE c.dropped_on IS NULL AND (CAST(?1 AS bigint) = 0 OR "
static const char candidates_next_sql[] =
	CANDIDATE_COLUMNS
	"a.name_key > (SELECT name_key FROM account WHERE id = ?1)"
	" OR (a.name_key = (SELECT name_key FROM account WHERE id = ?1)"
	"     AND (a.id > ?1 OR (?2 <> 0 AND a.id = ?1))))"
	" ORDER BY a.name_key ASC, a.id ASC LIMIT ?3";
static const char candidates_prev_sql[] =
	CANDIDATE_COLUMNS
	"a.name_key < (SELECT name_key FROM account WHERE id = ?1)"
	" OR (a.name_key = (SELECT name_key FROM account WHERE id = ?1)"
	"     AND (a.id < ?1 OR (?2 <> 0 AND a.id = ?1))))"
	" ORDER BY a.name_key DESC, a.id DESC LIMIT ?3";

/* The candidates in another order: every active candidate with its sort
 * key k, walked by (k, id) from the key of `from`.  A few hundred rows at
 * most, read whole for each page, and prepared each time (the browse's
 * statement cache is for the orders read a million rows deep). */
static const char *const cand_keys[QPC_CAND_SORTS] = {
	[QPC_CAND_BY_NAME] = "name_key",
	[QPC_CAND_BY_OWNER] = "owner",
	[QPC_CAND_BY_STATUS] = "sort_status",
	[QPC_CAND_BY_SHARE] = "sort_share",
	[QPC_CAND_BY_PROGRESS] =
		"CAST(ticked AS DOUBLE PRECISION) / CASE WHEN steps > 1 THEN steps ELSE 1 END",
	[QPC_CAND_BY_SINCE] = "since",
	[QPC_CAND_BY_LAST_TICK] = "coalesce(last_tick, '')",
};

static enum qpc_rc candidates_by_sql(enum qpc_cand_sort by, bool desc, enum qpc_dir dir,
                                     char *sql, size_t n, struct qpc_error *e)
{
	bool down = desc != (dir == QPC_PREV); /* the walk's own direction */
	const char *k = cand_keys[by], *cmp = down ? "<" : ">", *order = down ? "DESC" : "ASC";
	/* owners in the names' order */
	const char *coll = by == QPC_CAND_BY_OWNER ? " COLLATE QPC_NAME" : "";
	int w = snprintf(
		sql, n,
		"WITH c0 AS (SELECT a.id AS id, a.name AS name, a.owner AS owner, a.status AS status,"
		"  a.qpc AS qpc, a.sales_12m AS sales, c.nominated_on AS since,"
		"  " ST_STEPS_TICKED("c") " AS ticked, " ST_STEPS_LIVE("c") " AS steps,"
		"  (SELECT max(ticked_at) FROM tick t WHERE t.candidate_id = c.id) AS last_tick,"
		"  " ST_PARTNER_ON("c", "a", "") " AS partner_on,"
		"  a.sort_status AS sort_status, a.sort_share AS sort_share, a.name_key AS name_key"
		"  FROM candidate c JOIN account a ON a.id = c.account_id WHERE c.dropped_on IS NULL),"
		" c AS MATERIALIZED (SELECT *, %s AS k FROM c0),"
		" f AS (SELECT k AS fk FROM c WHERE id = ?1)"
		" SELECT id, name, owner, status, qpc, sales, since, ticked, steps, last_tick, partner_on"
		" FROM c WHERE NOT EXISTS (SELECT 1 FROM f)"
		"  OR k%s %s (SELECT fk FROM f) OR (k%s = (SELECT fk FROM f)"
		"  AND (id %s ?1 OR (?2 <> 0 AND id = ?1)))"
		" ORDER BY k%s %s, id %s LIMIT ?3",
		k, coll, cmp, coll, cmp, coll, order, order);
	if (w < 0 || (size_t)w >= n)
		return qpc_error_set(e, QPC_ERR_DB, "sorting candidates: the query is too long");
	return QPC_OK;
}

static enum qpc_rc candidates_read(struct st_q *q, const struct qpc_fetch *r,
                                   struct qpc_candidate_row *rows, struct qpc_fetched *out,
                                   struct qpc_error *e);

enum qpc_rc qpc_browse_candidates_by(struct qpc_browse *b, enum qpc_cand_sort by, bool desc,
                                     const struct qpc_fetch *r, struct qpc_candidate_row *rows,
                                     struct qpc_fetched *out, struct qpc_error *e)
{
	if (by == QPC_CAND_BY_NAME && !desc)
		return qpc_browse_candidates(b, r, rows, out, e);
	if ((unsigned)by >= QPC_CAND_SORTS)
		return qpc_error_set(e, QPC_ERR_USAGE, "no such order of candidates");
	enum qpc_rc ready = br_ready(b, e);
	if (ready)
		return ready;
	char sql[2400];
	struct st_q *q;
	memset(out, 0, sizeof *out);
	enum qpc_rc rc = candidates_by_sql(by, desc, r->dir, sql, sizeof sql, e);
	if (rc || (rc = st_q_prepare(b->st, &q, sql, e)))
		return rc;
	rc = candidates_read(q, r, rows, out, e);
	st_q_free(q);
	return rc;
}

enum qpc_rc qpc_browse_candidates(struct qpc_browse *b, const struct qpc_fetch *r,
                                  struct qpc_candidate_row *rows, struct qpc_fetched *out,
                                  struct qpc_error *e)
{
	struct st_q *q;
	memset(out, 0, sizeof *out);
	enum qpc_rc rc = br_q(b, &q, r->dir == QPC_NEXT ? candidates_next_sql : candidates_prev_sql,
	                      e);
	if (rc)
		return rc;
	rc = candidates_read(q, r, rows, out, e);
	st_q_free(q);
	return rc;
}

/* Binds a page's bounds to q and reads its rows. */
static enum qpc_rc candidates_read(struct st_q *q, const struct qpc_fetch *r,
                                   struct qpc_candidate_row *rows, struct qpc_fetched *out,
                                   struct qpc_error *e)
{
	enum qpc_rc rc = QPC_OK;
	st_q_int(q, 1, r->from);
	st_q_int(q, 2, r->inclusive);
	st_q_int(q, 3, r->max);
	int st;
	while ((st = st_q_step(q)) == ST_ROW) {
		struct qpc_candidate_row *c = &rows[out->n++];
		memset(c, 0, sizeof *c);
		c->account_id = st_q_int_at(q, 0);
		br_copy_at(c->name, sizeof c->name, q, 1);
		br_copy_at(c->owner, sizeof c->owner, q, 2);
		if (!qpc_status_parse(st_q_text_at(q, 3), &c->status))
			c->status = QPC_PROSPECT;
		c->share = qpc_share_of(st_q_int_at(q, 5), !st_q_null_at(q, 4), st_q_int_at(q, 4));
		st_q_date_at(q, 6, &c->nominated_on);
		c->ticked = (int)st_q_int_at(q, 7);
		c->steps = (int)st_q_int_at(q, 8);
		const char *at = st_q_text_at(q, 9);
		char day[QPC_DATE_ISO_LEN];
		if (at && strlen(at) >= 10) {
			memcpy(day, at, 10);
			day[10] = '\0';
			c->has_last_tick = qpc_date_parse_iso(day, &c->last_tick);
		}
		c->graduated = st_q_date_at(q, 10, &c->graduated_on);
	}
	if (st != ST_DONE)
		rc = st_q_fail(q, "reading candidates", e);
	out->end = out->n < r->max;
	return rc;
}

enum qpc_rc qpc_browse_candidate_count(struct qpc_browse *b, int64_t *n, struct qpc_error *e)
{
	static const char sql[] = "SELECT count(*) FROM candidate WHERE dropped_on IS NULL";
	struct st_q *q;
	enum qpc_rc rc = br_q(b, &q, sql, e);
	if (rc)
		return rc;
	if (st_q_step(q) == ST_ROW)
		*n = st_q_int_at(q, 0);
	else
		rc = st_q_fail(q, "counting candidates", e);
	st_q_free(q);
	return rc;
}

/* --- goals --------------------------------------------------------------- */

enum qpc_rc qpc_browse_goals(struct qpc_browse *b, struct qpc_goal *rows, int max, int *n,
                             struct qpc_error *e)
{
	/* Counted as the report counts them, as of the browse's date. */
	int years[64];
	int ny = 0;
	struct st_q *q;
	enum qpc_rc rc = br_q(b, &q, "SELECT year FROM goal ORDER BY year LIMIT ?1", e);
	if (rc)
		return rc;
	st_q_int(q, 1, max < 64 ? max : 64);
	int r;
	while ((r = st_q_step(q)) == ST_ROW)
		years[ny++] = (int)st_q_int_at(q, 0);
	if (r != ST_DONE)
		rc = st_q_fail(q, "reading goals", e);
	st_q_free(q);
	if (rc)
		return rc;
	*n = 0;
	for (int i = 0; i < ny && !rc; i++)
		if (!(rc = qpc_store_goal_progress(b->st, years[i], b->as_of, &rows[*n], e)))
			++*n;
	return rc;
}

enum qpc_rc qpc_browse_partners_made(struct qpc_browse *b, struct qpc_goal *rows, int max,
                                     int *n, struct qpc_error *e)
{
	/* Accounts that became partners, per year up to the browse's date
	 * (first time or regained), as qpc_store_goal_progress() counts. */
	static const char sql[] =
		"SELECT CAST(substr(since, 1, 4) AS INTEGER) AS y, count(DISTINCT account_id)"
		" FROM status_span WHERE status = 3 AND since <= ?2 GROUP BY y ORDER BY y LIMIT ?1";
	struct st_q *q;
	char day[QPC_DATE_ISO_LEN];
	enum qpc_rc rc = br_q(b, &q, sql, e);
	if (rc)
		return rc;
	st_q_int(q, 1, max);
	st_q_text(q, 2, qpc_date_format(b->as_of, day));
	int r;
	*n = 0;
	while ((r = st_q_step(q)) == ST_ROW && *n < max) {
		memset(&rows[*n], 0, sizeof rows[*n]);
		rows[*n].year = (int)st_q_int_at(q, 0);
		rows[*n].achieved = st_q_int_at(q, 1);
		++*n;
	}
	if (r != ST_DONE && r != ST_ROW)
		rc = st_q_fail(q, "reading goals", e);
	st_q_free(q);
	return rc;
}

/* --- a year's plan, owner by owner ------------------------------------- */

struct plan_fill {
	struct qpc_browse *b;
	struct qpc_plan *p;
};

/* The owner's row, made when new; NULL when the array is full. */
static struct qpc_plan_owner *plan_owner(struct qpc_plan *p, const char *owner)
{
	for (int i = 0; i < p->nowners; i++)
		if (strcmp(p->owners[i].owner, owner) == 0)
			return &p->owners[i];
	if (p->nowners == p->max_owners) {
		p->cut = true;
		return NULL;
	}
	struct qpc_plan_owner *o = &p->owners[p->nowners++];
	memset(o, 0, sizeof *o);
	snprintf(o->owner, sizeof o->owner, "%s", owner);
	return o;
}

static enum qpc_rc plan_made(void *ctx, int64_t id, const struct qpc_goal_part *g,
                             struct qpc_error *e)
{
	struct plan_fill *f = ctx;
	struct st_q *q;
	enum qpc_rc rc = br_q(f->b, &q, "SELECT owner FROM account WHERE id = ?1", e);
	if (rc)
		return rc;
	st_q_int(q, 1, id);
	int r = st_q_step(q);
	const char *owner = r == ST_ROW ? st_q_text_at(q, 0) : NULL;
	struct qpc_plan_owner *o = r == ST_ROW ? plan_owner(f->p, owner ? owner : "") : NULL;
	if (o) {
		o->made += g->first_time + g->regained;
		o->lost += g->lost;
	}
	if (r != ST_ROW && r != ST_DONE)
		rc = st_q_fail(q, "reading goals", e);
	st_q_free(q);
	return rc;
}

/* Shares from the highest: above 100% first, none last. */
static int64_t share_rank(struct qpc_share s)
{
	return s.kind == QPC_SHARE_OVER ? INT64_MAX : s.kind == QPC_SHARE_OK ? s.bp : -1;
}

static int owner_cmp(const char *a, const char *b)
{
	return qpc_name_cmp(a, strlen(a), b, strlen(b));
}

static int owner_sort(const void *x, const void *y)
{
	const struct qpc_plan_owner *a = x, *b = y;
	return owner_cmp(a->owner, b->owner);
}

static int cand_sort(const void *x, const void *y)
{
	const struct qpc_candidate_row *a = x, *b = y;
	int c = owner_cmp(a->owner, b->owner);
	if (c)
		return c;
	int64_t ra = share_rank(a->share), rb = share_rank(b->share);
	if (ra != rb)
		return ra > rb ? -1 : 1;
	return (a->account_id > b->account_id) - (a->account_id < b->account_id);
}

/* Adds the active candidates not yet partners, a page at a time. */
static enum qpc_rc plan_candidates(struct qpc_browse *b, struct qpc_plan *p, struct qpc_error *e)
{
	struct qpc_candidate_row page[64];
	struct qpc_fetch r = { QPC_NEXT, 0, false, 64 };
	struct qpc_fetched got;
	int32_t near_bp = p->threshold_bp - QPC_NEAR_POINTS * 100;
	do {
		enum qpc_rc rc = qpc_browse_candidates_by(b, QPC_CAND_BY_OWNER, false, &r, page, &got, e);
		if (rc)
			return rc;
		for (int i = 0; i < got.n; i++) {
			const struct qpc_candidate_row *c = &page[i];
			if (c->status == QPC_PARTNER) /* made already: counted above */
				continue;
			struct qpc_plan_owner *o = plan_owner(p, c->owner);
			bool near = c->share.kind == QPC_SHARE_OK && c->share.bp >= near_bp;
			p->candidates++;
			p->near += near;
			if (!o)
				continue;
			o->candidates++;
			o->near += near;
			o->ticked += c->ticked;
			o->steps += c->steps;
			if (p->ncands < p->max_cands)
				p->cands[p->ncands++] = *c;
			else
				p->cut = true;
		}
		if (got.n > 0)
			r.from = page[got.n - 1].account_id;
		else if (got.resume)
			r.from = got.resume;
		else
			break;
	} while (!got.end);
	return QPC_OK;
}

enum qpc_rc qpc_browse_plan(struct qpc_browse *b, int year, struct qpc_plan *p, struct qpc_error *e)
{
	struct qpc_settings set;
	p->year = year;
	p->nowners = p->ncands = 0;
	p->candidates = p->near = 0;
	p->cut = false;
	enum qpc_rc rc = qpc_store_settings(b->st, &set, e);
	if (rc)
		return rc;
	p->threshold_bp = set.threshold_bp;
	struct st_q *q;
	if ((rc = br_q(b, &q, "SELECT 1 FROM goal WHERE year = ?1", e)))
		return rc;
	st_q_int(q, 1, year);
	int r = st_q_step(q);
	p->has_goal = r == ST_ROW;
	if (r != ST_ROW && r != ST_DONE)
		rc = st_q_fail(q, "reading goals", e);
	st_q_free(q);
	if (rc)
		return rc;
	struct plan_fill f = { b, p };
	if ((rc = st_goal_each(b->st, year, b->as_of, plan_made, &f, &p->goal, e)) ||
	    (rc = plan_candidates(b, p, e)))
		return rc;
	qsort(p->owners, (size_t)p->nowners, sizeof *p->owners, owner_sort);
	qsort(p->cands, (size_t)p->ncands, sizeof *p->cands, cand_sort);
	for (int i = 0, c = 0; i < p->nowners; i++) {
		while (c < p->ncands && owner_cmp(p->cands[c].owner, p->owners[i].owner) < 0)
			c++;
		p->owners[i].first = c;
	}
	return QPC_OK;
}
