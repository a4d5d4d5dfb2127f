/* browse_count.c — how many accounts a filter matches: from the tally the
 * triggers keep, for stale QPC from the age index or in passes, and for
 * provisional partners along the partners of the status index. */
#include <stdio.h>
#include <string.h>

#include "browse_int.h"

#define COUNT_CHUNK 60000 /* ids per pass of a long count */
#define UNDER_CHUNK 20000 /* the same when each row is checked here */

/* The tally is read often (every page weighs its plans) and changes only
 * when another connection writes: its sums are kept until then. */
static bool tally_cached(struct qpc_browse *b, const char *owner, const char *segment,
                         int status, int64_t *n)
{
	for (int i = 0; i < TALLY_CACHE; i++) {
		const struct tally_memo *m = &b->tally[i];
		if (m->used && m->status == status && strcmp(m->owner, owner) == 0 &&
		    strcmp(m->segment, segment) == 0) {
			*n = m->n;
			return true;
		}
	}
	return false;
}

static void tally_keep(struct qpc_browse *b, const char *owner, const char *segment, int status,
                       int64_t n)
{
	if (strlen(owner) >= sizeof b->tally[0].owner || strlen(segment) >= sizeof b->tally[0].segment)
		return;
	struct tally_memo *m = &b->tally[b->tally_next];
	b->tally_next = (b->tally_next + 1) % TALLY_CACHE;
	m->used = true;
	m->status = status;
	m->n = n;
	snprintf(m->owner, sizeof m->owner, "%s", owner);
	snprintf(m->segment, sizeof m->segment, "%s", segment);
}

enum qpc_rc br_tally(struct qpc_browse *b, const char *owner, const char *segment, int status,
                     int64_t *n, struct qpc_error *e)
{
	owner = owner ? owner : "";
	segment = segment ? segment : "";
	if (tally_cached(b, owner, segment, status, n))
		return QPC_OK;
	static const char sql[] = "SELECT coalesce(sum(n), 0) FROM account_tally"
	                          " WHERE (?1 = '' OR owner = ?1) AND (?2 = '' OR segment = ?2)"
	                          " AND (?3 = '' OR status = ?3)";
	static const char slow_sql[] = "SELECT count(*) FROM account"
	                               " WHERE (?1 = '' OR owner = ?1) AND (?2 = '' OR segment = ?2)"
	                               " AND (?3 = '' OR status = ?3)";
	struct st_q *q;
	enum qpc_rc rc = br_q(b, &q, b->tally_broken ? slow_sql : sql, e);
	if (rc)
		return rc;
	st_q_text(q, 1, owner);
	st_q_text(q, 2, segment);
	st_q_text(q, 3, status >= 0 ? qpc_status_name((enum qpc_status)status) : "");
	if (st_q_step(q) != ST_ROW) {
		rc = st_q_fail(q, "counting accounts", e);
	} else {
		*n = st_q_int_at(q, 0);
		tally_keep(b, owner, segment, status, *n);
	}
	st_q_free(q);
	return rc;
}

enum qpc_rc qpc_browse_total(struct qpc_browse *b, int64_t *n, struct qpc_error *e)
{
	return br_tally(b, "", "", -1, n, e);
}

void qpc_count_start(struct qpc_count *c)
{
	memset(c, 0, sizeof *c);
}

static enum qpc_rc last_id(struct qpc_browse *b, int64_t *last, struct qpc_error *e)
{
	static const char sql[] = "SELECT coalesce(max(id), 0) FROM account";
	struct st_q *q;
	enum qpc_rc rc = br_q(b, &q, sql, e);
	if (rc)
		return rc;
	*last = st_q_step(q) == ST_ROW ? st_q_int_at(q, 0) : 0;
	st_q_free(q);
	return QPC_OK;
}

/* A pass of a count that judges each row with the list's own test
 * (br_passes): a range of ids the query sql (?1 < id <= ?2, ?3 the
 * provisional filter) reads, each row checked here. */
static enum qpc_rc pass_count(struct qpc_browse *b, const struct qpc_filter *f, const char *sql,
                              const char *folded, struct qpc_count *c, struct qpc_error *e)
{
	int64_t last;
	struct st_q *q;
	enum qpc_rc rc;
	if ((f->under && (rc = br_estimates_load(b, e))) || (rc = last_id(b, &last, e)) ||
	    (rc = br_q(b, &q, sql, e)))
		return rc;
	st_q_int(q, 1, c->next_id);
	st_q_int(q, 2, c->next_id + UNDER_CHUNK);
	st_q_int(q, 3, f->provisional);
	int r;
	while ((r = st_q_step(q)) == ST_ROW)
		c->n += br_passes(b, f, folded, q, 0);
	if (r != ST_DONE)
		rc = st_q_fail(q, "counting accounts", e);
	st_q_free(q);
	c->next_id += UNDER_CHUNK;
	c->done = rc || c->next_id >= last;
	return rc;
}

/* Underestimates are a judgement on each row (browse_estimate.c): a pass
 * reads a range of ids with a QPC. */
static enum qpc_rc count_under(struct qpc_browse *b, const struct qpc_filter *f,
                               struct qpc_count *c, struct qpc_error *e)
{
	static const char sql[] = "SELECT " BR_ROW_COLUMNS " FROM account a"
	                          " WHERE a.id > ?1 AND a.id <= ?2 AND a.qpc IS NOT NULL"
	                          " AND (?3 = 0 OR a.quality > 0)";
	return pass_count(b, f, sql, NULL, c, e);
}

/* A text filter (a part of the name or the external id, as the list
 * matches it, Unicode case folded): any length, so no index can count it;
 * a pass reads a range of every id, every other filter checked with it. */
static enum qpc_rc count_text(struct qpc_browse *b, const struct qpc_filter *f,
                              struct qpc_count *c, struct qpc_error *e)
{
	static const char sql[] = "SELECT " BR_ROW_COLUMNS " FROM account a"
	                          " WHERE a.id > ?1 AND a.id <= ?2 AND ?3 = ?3";
	char folded[QPC_SEARCH_MAX * 4];
	if (!br_fold(f->text, folded, sizeof folded))
		return qpc_error_set(e, QPC_ERR_USAGE, "search text too long");
	return pass_count(b, f, sql, folded, c, e);
}

/* Provisional partners: the partners along the status index, in passes
 * of a budget of rows each (every one is read for its quality), the other
 * filters checked on each. */
static enum qpc_rc count_provisional(struct qpc_browse *b, const struct qpc_filter *f,
                                     struct qpc_count *c, struct qpc_error *e)
{
#define PROV_SQL(from)                                                                        \
	"SELECT a.id, a.quality > 0 AND (?2 = '' OR a.owner = ?2) AND (?3 = '' OR a.segment = ?3)" \
	" AND (?4 = '' OR a.sort_age < ?4) FROM " from                                         \
	" WHERE a.sort_status <> 0 AND a.sort_status = " ST_SORT_PARTNER " AND a.id > ?1"       \
	" ORDER BY a.id LIMIT ?5"
	static const char sql[] = PROV_SQL("account a INDEXED BY account_by_status");
	static const char unindexed_sql[] = PROV_SQL("account a"); /* see browse_int.h */
#undef PROV_SQL
	if (f->status >= 0 && f->status != QPC_PARTNER) {
		c->done = true;
		return QPC_OK;
	}
	struct st_q *q;
	enum qpc_rc rc = br_q(b, &q, br_unindexed(b) ? unindexed_sql : sql, e);
	if (rc)
		return rc;
	st_q_int(q, 1, c->next_id);
	st_q_text(q, 2, f->owner);
	st_q_text(q, 3, f->segment);
	st_q_text(q, 4, f->stale ? b->cutoff : "");
	st_q_int(q, 5, b->budget);
	int r, rows = 0;
	while ((r = st_q_step(q)) == ST_ROW) {
		c->next_id = st_q_int_at(q, 0);
		c->n += st_q_int_at(q, 1);
		rows++;
	}
	if (r != ST_DONE)
		rc = st_q_fail(q, "counting accounts", e);
	st_q_free(q);
	c->done = rc || rows < b->budget;
	return rc;
}

/* Partners at risk: a few, each checked against the other filters. */
static enum qpc_rc count_at_risk(struct qpc_browse *b, const struct qpc_filter *f,
                                 struct qpc_count *c, struct qpc_error *e)
{
	enum qpc_rc rc = br_risk_load(b, e);
	c->n = 0;
	for (size_t i = 0; !rc && i < b->nrisk; i++) {
		bool yes;
		if (!(rc = qpc_browse_matches(b, b->risk[i].id, f, &yes, e)))
			c->n += yes;
	}
	c->done = true;
	return rc;
}

enum qpc_rc qpc_browse_count(struct qpc_browse *b, const struct qpc_filter *f,
                             struct qpc_count *c, struct qpc_error *e)
{
	static const char chunk_sql[] =
		"SELECT count(*) FROM account WHERE id > ?1 AND id <= ?2 AND sort_age < ?3"
		" AND (?4 = '' OR owner = ?4) AND (?5 = '' OR segment = ?5)"
		" AND (?6 < 0 OR sort_status = ?6)";
	if (c->done)
		return QPC_OK;
	/* The age index holds the measured accounts: the stale are the rest,
	 * and those measured before the cutoff. */
#define AGE_SQL(from)                                                                   \
	"SELECT count(*) FROM " from " WHERE sort_age <> '' AND sort_age >= ?1 AND (?2 = ''" \
	" OR owner = ?2)"
	static const char age_sql[] = AGE_SQL("account INDEXED BY account_by_age");
	/* while a bulk load's indexes wait (browse_int.h) */
	static const char age_unindexed_sql[] = AGE_SQL("account");
#undef AGE_SQL
	if (f->at_risk)
		return count_at_risk(b, f, c, e);
	if (f->text[0])
		return count_text(b, f, c, e);
	if (!f->stale && !f->under && !f->provisional) {
		c->done = true;
		return br_tally(b, f->owner, f->segment, f->status, &c->n, e);
	}
	struct st_q *q;
	enum qpc_rc rc;
	if (f->under)
		return count_under(b, f, c, e);
	if (f->provisional)
		return count_provisional(b, f, c, e);
	if (!f->segment[0] && f->status < 0) { /* a range of the age index, owner in it */
		if ((rc = br_q(b, &q, br_unindexed(b) ? age_unindexed_sql : age_sql, e)))
			return rc;
		st_q_text(q, 1, b->cutoff);
		st_q_text(q, 2, f->owner);
		int64_t fresh = 0;
		if (st_q_step(q) == ST_ROW)
			fresh = st_q_int_at(q, 0);
		else
			rc = st_q_fail(q, "counting accounts", e);
		st_q_free(q);
		if (!rc && !(rc = br_tally(b, f->owner, "", -1, &c->n, e)))
			c->n -= fresh;
		c->done = true;
		return rc;
	}
	int64_t last;
	if ((rc = last_id(b, &last, e)))
		return rc;
	if ((rc = br_q(b, &q, chunk_sql, e)))
		return rc;
	st_q_int(q, 1, c->next_id);
	st_q_int(q, 2, c->next_id + COUNT_CHUNK);
	st_q_text(q, 3, b->cutoff);
	st_q_text(q, 4, f->owner);
	st_q_text(q, 5, f->segment);
	st_q_int(q, 6, f->status);
	if (st_q_step(q) != ST_ROW) {
		rc = st_q_fail(q, "counting accounts", e);
		st_q_free(q);
		return rc;
	}
	c->n += st_q_int_at(q, 0);
	st_q_free(q);
	c->next_id += COUNT_CHUNK;
	c->done = c->next_id >= last;
	return QPC_OK;
}

