/* browse_page.c — keyset pages of accounts in any order, under any filter.
 *
 * A page starts next to an anchor account: its sort key K and id.  Two
 * plans read it:
 *
 *   walk   along the index of K: first the rows with the anchor's K and a
 *          larger id (K = ? AND id > ?, one index seek), then those with a
 *          larger K.  Filters the index ranges over are in the SQL; the
 *          rest are checked here, row by row, and a walk stops after
 *          `budget` rows, saying where to resume.  A figure's index holds
 *          only the accounts with the figure (schema.c, 11 -> 12): the
 *          others, all of one key D, are read along the table in id
 *          order, between the index's keys below D and those above.
 *   small  a set of at most `small_set` rows read through its own index
 *          (owner, segment, status, or the trigram index for the text) and
 *          sorted by SQLite.
 *
 * The tally and the trigram index say how many rows each would read, and
 * the cheaper wins.  SQL text is assembled here from the constant
 * fragments below only; every value is a bound parameter.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "browse_int.h"

struct col_sql {
	const char *key;          /* the sort key, as the index has it */
	const char *index;        /* the index to walk */
	const char *status_index; /* the same led by status, or NULL */
	const char *anchor;       /* reads an account's key */
	bool inverted;            /* descending on screen is ascending in SQL */
	/* When the index leaves out the accounts without the figure:
	 * `index_has` in the words of its WHERE (for SQLite to take it), and
	 * the key the others share, in SQL and as a value (an integer, or ''
	 * when absent_text).  NULL: the index holds every account. */
	const char *index_has, *absent_sql;
	int64_t absent;
	bool absent_text;
};

static const struct col_sql cols[QPC_COL_COUNT] = {
	[QPC_COL_NAME] = { "a.name_key", "account_by_name", NULL,
	                   "SELECT name_key FROM account WHERE id = ?1", false, NULL, NULL, 0, false },
	[QPC_COL_OWNER] = { "a.owner", "account_by_owner", NULL,
	                    "SELECT owner FROM account WHERE id = ?1", false, NULL, NULL, 0, false },
	[QPC_COL_SEGMENT] = { "a.segment", "account_by_segment", NULL,
	                      "SELECT segment FROM account WHERE id = ?1", false, NULL, NULL, 0,
	                      false },
	[QPC_COL_QPC] = { "a.sort_qpc", "account_by_qpc", "account_by_status_qpc",
	                  "SELECT sort_qpc FROM account WHERE id = ?1", false,
	                  "a.sort_qpc <> -1", "-1", -1, false },
	[QPC_COL_SALES] = { "a.sales_12m", "account_by_sales", "account_by_status_sales",
	                    "SELECT sales_12m FROM account WHERE id = ?1", false,
	                    "a.sales_12m <> 0", "0", 0, false },
	[QPC_COL_SHARE] = { "a.sort_share", "account_by_share", "account_by_status_share",
	                    "SELECT sort_share FROM account WHERE id = ?1", false,
	                    "a.sort_share <> -1", "-1", -1, false },
	[QPC_COL_UNTAPPED] = { "a.sort_untapped", "account_by_untapped",
	                       "account_by_status_untapped",
	                       "SELECT sort_untapped FROM account WHERE id = ?1", false,
	                       "a.sort_untapped <> -1", "-1", -1, false },
	[QPC_COL_STATUS] = { "a.sort_status", "account_by_status", NULL,
	                     "SELECT sort_status FROM account WHERE id = ?1", false,
	                     "a.sort_status <> 0", "0", 0, false },
	[QPC_COL_AGE] = { "a.sort_age", "account_by_age", NULL,
	                  "SELECT sort_age FROM account WHERE id = ?1", true,
	                  "a.sort_age <> ''", "''", 0, true },
};

/* SRC_SERVER: a team server's, whose planner picks the index; every
 * filter is in the SQL, the text as a superset of its matches. */
enum source { SRC_WALK, SRC_OWNER, SRC_SEGMENT, SRC_STATUS, SRC_TEXT, SRC_SERVER };

struct plan {
	enum source src;
	const char *walk_index;
	/* filters the walk's index ranges over, so they go in its SQL */
	bool by_status, by_owner, by_segment, by_stale;
	bool led; /* walks an index led by status, which holds no prospects */
	bool asc;  /* SQL order */
	bool none; /* the tally says nothing matches */
};

struct sql {
	char s[1536];
	size_t n;
};

static void add(struct sql *q, const char *frag)
{
	size_t k = strlen(frag);
	if (q->n + k < sizeof q->s) { /* the fragments are constants: it fits */
		memcpy(q->s + q->n, frag, k + 1);
		q->n += k;
	}
}

/* The filter as SQL conditions, each followed by " AND ". */
static void add_filters(struct sql *q, const struct qpc_filter *f, const struct plan *p,
                        bool all)
{
	if (f->status >= 0 && (all || p->by_status))
		add(q, "a.sort_status = :status AND ");
	/* said in so many words, for SQLite to take the partial index */
	if (p->led && !all)
		add(q, "a.sort_status > 0 AND ");
	if (f->owner[0] && (all || p->by_owner))
		add(q, "a.owner = :owner AND ");
	if (f->segment[0] && (all || p->by_segment))
		add(q, "a.segment = :segment AND ");
	if (f->stale && (all || p->by_stale))
		add(q, "a.sort_age < :cutoff AND ");
	/* a walk checks it on the whole row (whole_row) */
	if (f->provisional && all)
		add(q, "a.quality > 0 AND ");
}

static void bind_filters(const struct qpc_browse *b, struct st_q *q, const struct qpc_filter *f)
{
	st_q_set_int(q, ":status", f->status);
	st_q_set_text(q, ":owner", f->owner);
	st_q_set_text(q, ":segment", f->segment);
	st_q_set_text(q, ":cutoff", b->cutoff);
}

/* An anchor's sort key: text for the columns of text, else an integer. */
struct key {
	bool text;
	int64_t i;
	char *t;
};

static bool key_is_text(enum qpc_col col)
{
	return col <= QPC_COL_SEGMENT || col == QPC_COL_AGE;
}

static void key_free(struct key *k)
{
	if (k)
		free(k->t);
}

static void bind_key(struct st_q *q, const struct key *k)
{
	if (k && k->text)
		st_q_set_text(q, ":k", k->t);
	else if (k)
		st_q_set_int(q, ":k", k->i);
}

static enum qpc_rc choose(struct qpc_browse *b, const struct qpc_filter *f,
                          const struct qpc_order *o, int max, struct plan *p,
                          struct qpc_error *e)
{
	const struct col_sql *c = &cols[o->col];
	int64_t total, match, fts = -1, n;
	enum qpc_rc rc;
	memset(p, 0, sizeof *p);
	p->asc = o->desc == c->inverted;
	if ((rc = qpc_browse_total(b, &total, e)) ||
	    (rc = br_tally(b, f->owner, f->segment, f->status, &match, e)) ||
	    (f->text[0] && (rc = br_fts_count(b, f->text, &fts, e))))
		return rc;
	if (match == 0 || fts == 0) {
		p->none = true;
		return QPC_OK;
	}
	/* The walk: along the sort index, led by status when one fits. */
	int64_t range = total;
	p->walk_index = c->index;
	/* the indexes led by status leave prospects out (schema.c, 10 -> 11):
	 * prospects are walked along the plain one, their status checked */
	p->led = f->status > QPC_PROSPECT && c->status_index;
	if (f->status >= 0 && (p->led || o->col == QPC_COL_STATUS)) {
		p->walk_index = p->led ? c->status_index : c->index;
		p->by_status = true;
		if ((rc = br_tally(b, "", "", f->status, &range, e)))
			return rc;
	} else if (f->owner[0] && o->col == QPC_COL_OWNER) {
		p->by_owner = true;
		if ((rc = br_tally(b, f->owner, "", -1, &range, e)))
			return rc;
	} else if (f->segment[0] && o->col == QPC_COL_SEGMENT) {
		p->by_segment = true;
		if ((rc = br_tally(b, "", f->segment, -1, &range, e)))
			return rc;
	}
	p->by_stale = f->stale && o->col == QPC_COL_AGE;
	/* Matches along the walk: the tally's, or fewer when the trigram
	 * index says so (exactly up to small_set, at least that beyond). */
	int64_t dense = fts >= 0 && fts < match ? fts : match;
	double walk_cost = (double)max * (double)range / (double)(dense > 0 ? dense : 1);

	/* The smallest set with an index of its own, if small enough. */
	double best = walk_cost;
	p->src = b->st->pg ? SRC_SERVER : SRC_WALK;
	if (fts >= 0 && fts <= b->small_set && fts < best) {
		best = (double)fts;
		p->src = SRC_TEXT;
	}
	if (b->st->pg)
		return QPC_OK;
	if (f->owner[0] && !(rc = br_tally(b, f->owner, "", -1, &n, e)) && n <= b->small_set &&
	    n < best) {
		best = (double)n;
		p->src = SRC_OWNER;
	}
	if (!rc && f->segment[0] && !(rc = br_tally(b, "", f->segment, -1, &n, e)) &&
	    n <= b->small_set && n < best) {
		best = (double)n;
		p->src = SRC_SEGMENT;
	}
	if (!rc && f->status >= 0 && !(rc = br_tally(b, "", "", f->status, &n, e)) &&
	    n <= b->small_set && n < best)
		p->src = SRC_STATUS;
	return rc;
}

/* Reads the anchor's sort key into *key; *found false when the account is
 * gone. */
static enum qpc_rc anchor_key(struct qpc_browse *b, enum qpc_col col, int64_t id,
                              struct key *key, bool *found, struct qpc_error *e)
{
	struct st_q *q;
	*found = false;
	key_free(key);
	*key = (struct key){ .text = key_is_text(col) };
	enum qpc_rc rc = br_q(b, &q, cols[col].anchor, e);
	if (rc)
		return rc;
	st_q_int(q, 1, id);
	int r = st_q_step(q);
	if (r == ST_ROW) {
		*found = true;
		if (!key->text)
			key->i = st_q_int_at(q, 0);
		else if (!(key->t = strdup(st_q_null_at(q, 0) ? "" : st_q_text_at(q, 0))))
			rc = qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	} else if (r != ST_DONE) {
		rc = st_q_fail(q, "reading accounts", e);
	}
	st_q_free(q);
	return rc;
}

/* What one statement of a fetch does with its rows. */
struct run {
	const struct qpc_filter *f;
	const char *folded;
	const char *pattern; /* on a server, folded as a LIKE pattern */
	struct qpc_browse_row *rows;
	int max;
	bool index_only;  /* the statement gives id and owner only (a walk) */
	int read, budget; /* rows read so far, and the limit (0: none) */
	int scanned;      /* index entries passed, for a walk: up to 10 budgets */
	int64_t last;     /* the last row read or passed */
};

static bool spent(const struct run *u)
{
	return u->budget > 0 && (u->read >= u->budget || u->scanned >= 10 * u->budget);
}

/* One account's row by id. */
static const char row_quality_sql[] = "SELECT " BR_ROW_COLUMNS " FROM account a WHERE a.id = ?1";

/* A walk's row, read whole once the index says the owner is right. */
static enum qpc_rc whole_row(struct qpc_browse *b, struct run *u, struct qpc_fetched *out,
                             struct qpc_error *e)
{
	struct st_q *q;
	enum qpc_rc rc = br_q(b, &q, row_quality_sql, e);
	if (rc)
		return rc;
	st_q_int(q, 1, u->last);
	int r = st_q_step(q);
	u->read++;
	if (r == ST_ROW && br_passes(b, u->f, u->folded, q, 0))
		br_read_row(b, q, 0, &u->rows[out->n++]);
	else if (r != ST_ROW && r != ST_DONE)
		rc = st_q_fail(q, "reading an account", e);
	st_q_free(q);
	return rc;
}

/* Steps s to the end or until the page is full or the budget spent; *done
 * says the statement ran out of rows. */
static enum qpc_rc step_rows(struct qpc_browse *b, struct st_q *q, struct run *u,
                             struct qpc_fetched *out, bool *done, struct qpc_error *e)
{
	int r;
	enum qpc_rc rc = QPC_OK;
	*done = false;
	while (!rc && out->n < u->max && !spent(u)) {
		if ((r = st_q_step(q)) != ST_ROW) {
			if (r != ST_DONE)
				return st_q_fail(q, "reading accounts", e);
			*done = true;
			return QPC_OK;
		}
		u->last = st_q_int_at(q, 0);
		if (!u->index_only) {
			u->read++;
			if (br_passes(b, u->f, u->folded, q, 0))
				br_read_row(b, q, 0, &u->rows[out->n++]);
			continue;
		}
		u->scanned++;
		const char *owner = st_q_text_at(q, 1);
		if (u->f->owner[0] && (!owner || strcmp(owner, u->f->owner) != 0))
			continue;
		rc = whole_row(b, u, out, e);
	}
	return rc;
}

static enum qpc_rc run_sql(struct qpc_browse *b, const struct sql *sql, const struct key *key,
                           int64_t id, int limit, struct run *u, struct qpc_fetched *out,
                           bool *done, struct qpc_error *e)
{
	struct st_q *q;
	enum qpc_rc rc = st_q_prepare(b->st, &q, sql->s, e);
	if (rc)
		return rc;
	bind_filters(b, q, u->f);
	bind_key(q, key);
	st_q_set_int(q, ":id", id);
	st_q_set_int(q, ":limit", limit);
	st_q_set_text(q, ":text", u->pattern);
	rc = step_rows(b, q, u, out, done, e);
	st_q_free(q);
	return rc;
}

/* index: the one to read through, "" for SQLite's choice, NULL for none
 * (the rows are few and found otherwise). */
static void add_select(struct qpc_browse *b, struct sql *q, const char *index, bool index_only)
{
	add(q, index_only ? "SELECT a.id, a.owner FROM account a " :
	                    "SELECT " BR_ROW_COLUMNS " FROM account a ");
	if (b->st->pg) /* the server plans its own */
		;
	else if (index && *index) {
		add(q, "INDEXED BY ");
		add(q, index);
	} else if (!index) {
		add(q, "NOT INDEXED");
	}
	add(q, " WHERE ");
}

/* The index to name, or "" while a bulk load's indexes are still to be
 * built: slower (SQLite sorts), but a page to show. */
static const char *named(struct qpc_browse *b, const char *index)
{
	return index && br_unindexed(b) ? "" : index;
}

static void add_order(struct sql *q, const char *key, bool asc)
{
	add(q, " ORDER BY ");
	if (key) {
		add(q, key);
		add(q, asc ? " ASC, " : " DESC, ");
	}
	add(q, asc ? "a.id ASC" : "a.id DESC");
}

/* The parts of a walk along an index that leaves accounts out, in SQL
 * order: its keys below theirs, those accounts along the table, its keys
 * above.  An index of every account is walked whole. */
enum leg { LEG_BELOW, LEG_ABSENT, LEG_ABOVE, LEG_WHOLE };

static bool split(const struct col_sql *c, const struct plan *p)
{
	return c->index_has && !p->led;
}

/* The part that holds key k. */
static enum leg leg_of(const struct col_sql *c, const struct key *k)
{
	int cmp;
	if (c->absent_text)
		cmp = k->t && *k->t; /* '' is the least text */
	else
		cmp = k->i < c->absent ? -1 : k->i > c->absent;
	return cmp < 0 ? LEG_BELOW : cmp > 0 ? LEG_ABOVE : LEG_ABSENT;
}

/* Whether the filter can pass rows of the part: a walk by status under a
 * status filter reads one side of the prospects only. */
static bool leg_open(const struct col_sql *c, const struct plan *p, const struct qpc_filter *f,
                     enum leg leg)
{
	if (c != &cols[QPC_COL_STATUS] || !p->by_status || leg == LEG_WHOLE)
		return true;
	return (leg == LEG_ABSENT) == (f->status == QPC_PROSPECT);
}

/* The first rows of a statement over one part: its index, its range.
 * past_anchor: the statement goes on from the anchor's key, whose bound
 * is the part's own on that side, and the only one SQLite may seek by: a
 * second lower bound (K > D beside K > :k) would start the walk at D. */
static void leg_select(struct qpc_browse *b, struct sql *q, const struct col_sql *c,
                       const struct plan *p, const struct qpc_filter *f, enum leg leg,
                       bool past_anchor)
{
	add_select(b, q, leg == LEG_ABSENT ? NULL : named(b, p->walk_index), true);
	add_filters(q, f, p, false);
	if (leg == LEG_WHOLE)
		return;
	if (leg != LEG_ABSENT) {
		add(q, c->index_has);
		add(q, " AND ");
	}
	if (past_anchor && leg == (p->asc ? LEG_ABOVE : LEG_BELOW))
		return;
	add(q, c->key);
	add(q, leg == LEG_BELOW ? " < " : leg == LEG_ABOVE ? " > " : " = ");
	add(q, c->absent_sql);
	add(q, " AND ");
}

static enum qpc_rc walk(struct qpc_browse *b, const struct plan *p, const struct qpc_order *o,
                        const struct qpc_fetch *r, const struct key *key, struct run *u,
                        struct qpc_fetched *out, struct qpc_error *e)
{
	const struct col_sql *c = &cols[o->col];
	const char *k = c->key;
	static const enum leg up[] = { LEG_BELOW, LEG_ABSENT, LEG_ABOVE },
	                      down[] = { LEG_ABOVE, LEG_ABSENT, LEG_BELOW }, whole[] = { LEG_WHOLE };
	const enum leg *legs = !split(c, p) ? whole : p->asc ? up : down;
	int nlegs = split(c, p) ? 3 : 1, i = 0;
	if (key && split(c, p)) /* start in the anchor's part */
		while (i < 2 && legs[i] != leg_of(c, key))
			i++;
	bool done = true;
	enum qpc_rc rc = QPC_OK;
	struct sql q;
	u->budget = b->budget;
	u->index_only = true;
	for (int start = i; !rc && done && out->n < u->max && i < nlegs; i++) {
		bool from_key = key && i == start;
		if (!leg_open(c, p, u->f, legs[i]))
			continue;
		if (from_key) { /* the anchor's equals, past its id */
			q.n = 0;
			leg_select(b, &q, c, p, u->f, legs[i], false);
			add(&q, k);
			add(&q, " = :k AND a.id ");
			add(&q, p->asc ? (r->inclusive ? ">= :id" : "> :id")
			               : (r->inclusive ? "<= :id" : "< :id"));
			add_order(&q, NULL, p->asc);
			rc = run_sql(b, &q, key, r->from, 0, u, out, &done, e);
			/* the accounts without the figure share the anchor's key */
			if (rc || !done || out->n >= u->max || legs[i] == LEG_ABSENT)
				continue;
		}
		q.n = 0; /* then the larger keys */
		leg_select(b, &q, c, p, u->f, legs[i], from_key);
		if (from_key) {
			add(&q, k);
			add(&q, p->asc ? " > :k" : " < :k");
		} else {
			add(&q, b->st->pg ? "1 = 1" : "1");
		}
		add_order(&q, legs[i] == LEG_ABSENT ? NULL : k, p->asc);
		rc = run_sql(b, &q, key, 0, 0, u, out, &done, e);
	}
	if (!rc && out->n < u->max) {
		out->end = done;
		out->resume = done ? 0 : u->last;
	}
	return rc;
}

static const char *const set_index[] = {
	[SRC_OWNER] = "account_by_owner",
	[SRC_SEGMENT] = "account_by_segment",
	[SRC_STATUS] = "account_by_status",
	[SRC_TEXT] = NULL,
	[SRC_SERVER] = "",
};

/* The query of a small set: all of the filter, then past the anchor. */
static void set_sql(struct qpc_browse *b, struct sql *q, const struct plan *p,
                    const struct qpc_filter *f, const char *k, bool has_key, bool inclusive)
{
	q->n = 0;
	/* the status index holds no prospects: they are found along the table */
	bool prospects = p->src == SRC_STATUS && f->status == QPC_PROSPECT;
	add_select(b, q, prospects ? NULL : named(b, set_index[p->src]), false);
	add_filters(q, f, p, true);
	if (p->src == SRC_STATUS && !prospects)
		add(q, "a.sort_status <> 0 AND ");
	if (p->src == SRC_TEXT)
		add(q, "a.id IN (SELECT id FROM browse_hits) AND ");
	else if (p->src == SRC_SERVER && f->text[0])
		add(q, "a.search_key LIKE :text ESCAPE '\\' AND ");
	if (has_key && b->st->pg) { /* a row value, which the server seeks by */
		add(q, "(");
		add(q, k);
		add(q, p->asc ? ", a.id) >" : ", a.id) <");
		add(q, inclusive ? "= (:k, :id)" : " (:k, :id)");
	} else if (has_key) {
		add(q, "(");
		add(q, k);
		add(q, p->asc ? " > :k OR (" : " < :k OR (");
		add(q, k);
		add(q, " = :k AND a.id ");
		add(q, p->asc ? (inclusive ? ">= :id))" : "> :id))") : (inclusive ? "<= :id))" : "< :id))"));
	} else {
		add(q, b->st->pg ? "1 = 1" : "1");
	}
	add_order(q, k, p->asc);
	add(q, " LIMIT :limit");
}

/* Rows a server's query reads a time when filters it cannot say (the
 * text's folding, an estimate, a risk) may drop some: a round trip each. */
#define SERVER_BATCH 200

static enum qpc_rc small_set(struct qpc_browse *b, const struct plan *p,
                             const struct qpc_order *o, const struct qpc_fetch *r,
                             const struct key *key, struct run *u, struct qpc_fetched *out,
                             struct qpc_error *e)
{
	struct sql q;
	const struct key *at = key;
	struct key mine = { 0 };
	int64_t from = r->from;
	bool inclusive = r->inclusive, done, found;
	enum qpc_rc rc;
	/* The set is small, so this ends; rows the text check drops are made
	 * up by reading on past the last row read. */
	for (;;) {
		int want = u->max - out->n, before = u->read;
		if (p->src == SRC_SERVER && want < SERVER_BATCH)
			want = SERVER_BATCH;
		set_sql(b, &q, p, u->f, cols[o->col].key, at != NULL, inclusive);
		if ((rc = run_sql(b, &q, at, from, want, u, out, &done, e)) || out->n >= u->max)
			break;
		if (u->read - before < want) {
			out->end = true;
			break;
		}
		from = u->last;
		inclusive = false;
		if ((rc = anchor_key(b, o->col, from, &mine, &found, e)))
			break;
		if (!found) { /* gone while we read: stop here */
			out->end = true;
			break;
		}
		at = &mine;
	}
	key_free(&mine);
	return rc;
}

enum qpc_rc qpc_browse_fetch(struct qpc_browse *b, const struct qpc_filter *f,
                             const struct qpc_order *o, const struct qpc_fetch *r,
                             struct qpc_browse_row *rows, struct qpc_fetched *out,
                             struct qpc_error *e)
{
	memset(out, 0, sizeof *out);
	if ((unsigned)o->col >= QPC_COL_COUNT || r->max < 1)
		return qpc_error_set(e, QPC_ERR_USAGE, "a page needs a column and at least one row");
	char folded[2 * QPC_SEARCH_MAX + 1] = "";
	if (f->text[0] && !br_fold(f->text, folded, sizeof folded))
		return qpc_error_set(e, QPC_ERR_USAGE, "search text too long");
	/* Provisional partners are partners: the plans weigh them as such
	 * and read them along the indexes led by status. */
	struct qpc_filter partners;
	if (f->provisional || f->at_risk) {
		if (f->status >= 0 && f->status != QPC_PARTNER) {
			out->end = true;
			return QPC_OK;
		}
		partners = *f;
		partners.status = QPC_PARTNER;
		f = &partners;
	}
	struct plan p;
	enum qpc_rc rc = br_ready(b, e);
	if (!rc)
		rc = br_server_index(b, o->col, f, e);
	if (!rc && f->under)
		rc = br_estimates_load(b, e);
	if (!rc && f->at_risk)
		rc = br_risk_load(b, e);
	if (!rc)
		rc = choose(b, f, o, r->max, &p, e);
	if (rc)
		return rc;
	if (p.none) {
		out->end = true;
		return QPC_OK;
	}
	/* NEXT walks the order forwards; PREV walks it backwards. */
	if (r->dir == QPC_PREV)
		p.asc = !p.asc;
	struct key key = { 0 };
	bool found = false;
	if (r->from && (rc = anchor_key(b, o->col, r->from, &key, &found, e)))
		return rc;
	struct qpc_fetch req = *r;
	if (!found)
		req.from = 0; /* the anchor is gone: from the edge */
	char pattern[8 * QPC_SEARCH_MAX] = "";
	if (f->text[0] && b->st->pg && !br_like_pattern(f->text, pattern, sizeof pattern))
		return qpc_error_set(e, QPC_ERR_USAGE, "search text too long");
	struct run u = { .f = f, .folded = folded, .pattern = pattern, .rows = rows, .max = r->max };
	if (p.src == SRC_WALK)
		rc = walk(b, &p, o, &req, found ? &key : NULL, &u, out, e);
	else
		rc = small_set(b, &p, o, &req, found ? &key : NULL, &u, out, e);
	key_free(&key);
	return rc;
}

enum qpc_rc qpc_browse_quality(struct qpc_browse *b, int64_t id, bool *has,
                               enum qpc_quality *quality, struct qpc_error *e)
{
	static const char sql[] = "SELECT quality FROM account WHERE id = ?1";
	struct st_q *q;
	*has = false;
	*quality = QPC_CONFIRMED;
	enum qpc_rc rc = br_ready(b, e);
	if (rc || (rc = br_q(b, &q, sql, e)))
		return rc;
	st_q_int(q, 1, id);
	int r = st_q_step(q);
	if (r == ST_ROW && !st_q_null_at(q, 0)) {
		int64_t v = st_q_int_at(q, 0);
		*has = true;
		*quality = v >= 0 && v < QPC_QUALITY_COUNT ? (enum qpc_quality)v : QPC_CONFIRMED;
	} else if (r != ST_ROW && r != ST_DONE) {
		rc = st_q_fail(q, "reading an account", e);
	}
	st_q_free(q);
	return rc;
}
