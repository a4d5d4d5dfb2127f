/* figures.c — every account's figures at a date, computed from its facts.
 *
 * One pass per kind of fact, each a range scan of an index, gathered in
 * arrays indexed by account id and then combined account by account with
 * the rules of timeline.h.  Nothing here writes: the callers decide where
 * the figures go (the cache of today's figures kept by writes, a reader's
 * private copy for another date, or a report's totals).  A reader of
 * every account shares the scans with a second connection on another
 * thread when both read the same state of the file (helper_start()).
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* What the scans gather for one account. */
struct gather {
	qpc_money qpc, fig_sales, fig_gp, contract_value;
	qpc_date oldest;
	uint32_t nlines;
	uint8_t flags;
	/* every line in force verified: apart from flags, since the QPC lines
	 * and the other scans may fill one account's slot on two threads */
	bool allver;
};
/* Sales in the window, apart: the sales index comes in date order, so
 * each line lands on a random account, and a small array keeps more of
 * them in the cache (a third of a report at a million accounts). */
struct sold {
	qpc_money sales, gp;
};
/* A line in the window, even if they add up to 0; one without a profit,
 * which makes the sum of profits unknown (not 0). */
enum { SOLD_ANY = 1, SOLD_GP_MISSING = 2 };
enum { G_FIG = 2, G_CONTRACT = 4, G_CVALUE = 8, G_CAND = 16, G_FIG_GP = 32 };

/* Sums saturate: one absurd account must not stop every report. */
static void add_sat(qpc_money *acc, qpc_money v)
{
	if (!qpc_money_add(*acc, v, acc))
		*acc = v > 0 ? QPC_MONEY_MAX : -QPC_MONEY_MAX;
}

/* Each scan comes twice: over every account, along the date; and for one
 * account (:id), along that account's own index entries.  The window is
 * (:from, :as_of]; a scan without one of them ignores its value.  The
 * index hints are the file's; a team server's planner goes without. */
static const char *const sales_sql[2] = {
	"SELECT account_id, amount, gross_profit FROM sale INDEXED BY sale_by_date"
	" WHERE date > :from AND date <= :as_of",
	"SELECT account_id, amount, gross_profit FROM sale INDEXED BY sale_account_date"
	" WHERE account_id = :id AND date > :from AND date <= :as_of",
};
/* On a server the sums are the server's: one row per account crosses
 * the network, not every line (a file's C loop is faster than its
 * GROUP BY; a server's rows cost more than its sums). */
static const char *const sales_sum_sql[2] = {
	"SELECT account_id, sum(amount), sum(gross_profit), count(*) - count(gross_profit)"
	" FROM sale WHERE date > :from AND date <= :as_of GROUP BY account_id",
	"SELECT account_id, sum(amount), sum(gross_profit), count(*) - count(gross_profit)"
	" FROM sale WHERE account_id = :id AND date > :from AND date <= :as_of GROUP BY account_id",
};

/* Standing facts in key order, along a covering index: the last of each
 * (account, category) is the line in force (standing facts of one key have
 * distinct dates).  Kept in C: a GROUP BY over them costs four times the
 * walk. */
static const char *const lines_sql[2] = {
	"SELECT account_id, amount, verified, measured_on, category_id FROM qpc_fact"
	" INDEXED BY qpc_fact_key WHERE replaced = 0 AND account_id BETWEEN :lo AND :hi"
	" AND measured_on <= :as_of ORDER BY account_id, category_id, measured_on",
	"SELECT account_id, amount, verified, measured_on, category_id FROM qpc_fact"
	" INDEXED BY qpc_fact_key WHERE replaced = 0 AND account_id = :id"
	" AND measured_on <= :as_of ORDER BY category_id, measured_on",
};
/* An account's figures in date order: the last in the window wins. */
static const char *const figure_sql[2] = {
	"SELECT account_id, sales_12m, gp_12m FROM account_figure"
	" WHERE as_of > :from AND as_of <= :as_of ORDER BY account_id, as_of",
	"SELECT account_id, sales_12m, gp_12m FROM account_figure"
	" WHERE account_id = :id AND as_of > :from AND as_of <= :as_of ORDER BY as_of",
};
static const char *const contract_sql[2] = {
	"SELECT account_id, value FROM contract"
	" WHERE signed_on <= :as_of AND (ends_on IS NULL OR ends_on > :as_of)",
	"SELECT account_id, value FROM contract WHERE account_id = :id"
	" AND signed_on <= :as_of AND (ends_on IS NULL OR ends_on > :as_of)",
};
static const char *const candidate_sql[2] = {
	"SELECT account_id FROM candidate"
	" WHERE nominated_on <= :as_of AND (dropped_on IS NULL OR dropped_on > :as_of)",
	"SELECT account_id FROM candidate WHERE account_id = :id"
	" AND nominated_on <= :as_of AND (dropped_on IS NULL OR dropped_on > :as_of)",
};
/* A category bought in the window with no QPC line in force. */
static const char missing_sql[] =
	"SELECT CASE WHEN EXISTS (SELECT 1 FROM sale s INDEXED BY sale_account_date"
	" WHERE s.account_id = :id AND s.date > :from AND s.date <= :as_of"
	" AND s.category_id IS NOT NULL"
	" AND NOT EXISTS (SELECT 1 FROM qpc_fact f WHERE f.account_id = :id"
	"   AND f.category_id = s.category_id AND f.replaced = 0 AND f.measured_on <= :as_of"
	"   AND f.amount IS NOT NULL AND f.measured_on = (SELECT max(g.measured_on) FROM qpc_fact g"
	"     WHERE g.account_id = :id AND g.category_id = s.category_id AND g.replaced = 0"
	"     AND g.measured_on <= :as_of))) THEN 1 ELSE 0 END";

/* [walk][one]: the columns enum st_walk says (SC_ID and SC_COST lead
 * every one). */
static const char accounts_sql[3][2][400] = {
	{ "SELECT id, cost_to_serve, rep_share_bp, owner FROM main.account",
	  "SELECT id, cost_to_serve, rep_share_bp, owner FROM main.account WHERE id = :id" },
	{ "SELECT " ST_CACHE_COLUMNS " FROM main.account",
	  "SELECT " ST_CACHE_COLUMNS " FROM main.account WHERE id = :id" },
	{ "SELECT " ST_ROW_COLUMNS " FROM main.account",
	  "SELECT " ST_ROW_COLUMNS " FROM main.account WHERE id = :id" },
};

struct pass {
	struct qpc_store *st;
	qpc_date as_of, from; /* the window: (from, as_of] */
	int64_t lo, hi;       /* account ids gathered */
	/* The QPC lines are read in LINE_CHUNKS ranges of ids, each taken by
	 * whichever thread is free: the store's connection once its small
	 * scans are done, the helper once it has added up the sales.  Which
	 * of the two takes longer depends on the data (sales in the window
	 * against QPC facts): shared this way they end together. */
	atomic_int next_chunk;
	int one;              /* 1: one account (lo), 0: all */
	struct gather *g;
	struct sold *sold;
	uint8_t *has_sales;   /* SOLD_ flags */
};

static struct gather *slot(struct pass *p, struct st_q *s)
{
	int64_t id = st_q_int_at(s, 0);
	return id >= p->lo && id <= p->hi ? &p->g[id - p->lo] : NULL;
}

/* Prepares one of the scans above on db (the store's connection or the
 * helper's; on a server, the store's) with the window and the account. */
static enum qpc_rc pass_prepare(struct pass *p, sqlite3 *db, const char *sql, struct st_q **s,
                                struct qpc_error *e)
{
	enum qpc_rc rc = st_q_prepare_on(p->st, db, s, sql, e);
	if (rc)
		return rc;
	st_q_set_date(*s, ":from", p->from);
	st_q_set_date(*s, ":as_of", p->as_of);
	if (p->one)
		st_q_set_int(*s, ":id", p->lo);
	else
		st_q_stream(*s);
	return QPC_OK;
}

static enum qpc_rc scan(struct pass *p, const char *sql, const char *doing,
                        void (*row)(struct pass *, struct st_q *, struct gather *),
                        struct qpc_error *e)
{
	struct st_q *s;
	enum qpc_rc rc = pass_prepare(p, p->st->db, sql, &s, e);
	if (rc)
		return rc;
	int r;
	while ((r = st_q_step(s)) == ST_ROW) {
		struct gather *g = slot(p, s);
		if (g)
			row(p, s, g);
	}
	if (r != ST_DONE)
		rc = st_q_fail(s, doing, e);
	st_q_free(s);
	return rc;
}

/* Lines read ahead of adding them up: each lands on a random account, so
 * its slots are fetched into the cache while the next lines are read. */
enum { SALES_BATCH = 64 };
struct sales_line {
	int64_t i;
	qpc_money sales, gp;
	bool gp_missing;
};

static void add_lines(struct pass *p, const struct sales_line *b, int n)
{
	for (int k = 0; k < n; k++) {
		p->has_sales[b[k].i] |= SOLD_ANY | (b[k].gp_missing ? SOLD_GP_MISSING : 0);
		add_sat(&p->sold[b[k].i].sales, b[k].sales);
		add_sat(&p->sold[b[k].i].gp, b[k].gp);
	}
}

/* A server's sum, which may pass what money holds: held at the bound,
 * as add_sat() holds a file's. */
static qpc_money sum_at(struct st_q *s, int col)
{
	const char *t = st_q_text_at(s, col);
	if (!t)
		return 0;
	errno = 0;
	long long v = strtoll(t, NULL, 10);
	if (errno == ERANGE || v > QPC_MONEY_MAX)
		return *t == '-' ? -QPC_MONEY_MAX : QPC_MONEY_MAX;
	return v < -QPC_MONEY_MAX ? -QPC_MONEY_MAX : v;
}

static enum qpc_rc scan_sales_summed(struct pass *p, struct qpc_error *e)
{
	struct st_q *s;
	enum qpc_rc rc = pass_prepare(p, NULL, sales_sum_sql[p->one], &s, e);
	if (rc)
		return rc;
	int r;
	while ((r = st_q_step(s)) == ST_ROW) {
		int64_t i = st_q_int_at(s, 0) - p->lo;
		if (i < 0 || i > p->hi - p->lo)
			continue;
		p->has_sales[i] = SOLD_ANY | (st_q_int_at(s, 3) > 0 ? SOLD_GP_MISSING : 0);
		p->sold[i].sales = sum_at(s, 1);
		p->sold[i].gp = sum_at(s, 2);
	}
	if (r != ST_DONE)
		rc = st_q_fail(s, "adding up sales", e);
	st_q_free(s);
	return rc;
}

static enum qpc_rc scan_sales(struct pass *p, sqlite3 *db, struct qpc_error *e)
{
	if (p->st->pg)
		return scan_sales_summed(p, e);
	struct st_q *s;
	enum qpc_rc rc = pass_prepare(p, db, sales_sql[p->one], &s, e);
	if (rc)
		return rc;
	struct sales_line b[SALES_BATCH];
	int r, n = 0;
	while ((r = st_q_step(s)) == ST_ROW) {
		int64_t i = st_q_int_at(s, 0) - p->lo;
		if (i < 0 || i > p->hi - p->lo)
			continue;
		__builtin_prefetch(&p->sold[i], 1);
		__builtin_prefetch(&p->has_sales[i], 1);
		b[n] = (struct sales_line){ i, st_q_int_at(s, 1), st_q_int_at(s, 2),
			                    st_q_null_at(s, 2) };
		if (++n == SALES_BATCH) {
			add_lines(p, b, n);
			n = 0;
		}
	}
	add_lines(p, b, n);
	if (r != ST_DONE)
		rc = st_q_fail(s, "adding up sales", e);
	st_q_free(s);
	return rc;
}

/* One line in force (the last fact of its key). */
struct line_in_force {
	bool removed, verified;
	qpc_money amount;
	qpc_date on;
};

static void line_add(struct gather *g, const struct line_in_force *l)
{
	if (l->removed)
		return;
	if (g->nlines == 0)
		g->allver = true;
	g->nlines++;
	add_sat(&g->qpc, l->amount);
	if (!l->verified)
		g->allver = false;
	if (g->nlines == 1 || l->on < g->oldest)
		g->oldest = l->on;
}

/* The lines in force of accounts lo..hi. */
static enum qpc_rc scan_lines(struct pass *p, sqlite3 *db, int64_t lo, int64_t hi,
                              struct qpc_error *e)
{
	struct st_q *s;
	enum qpc_rc rc = pass_prepare(p, db, lines_sql[p->one], &s, e);
	if (rc)
		return rc;
	st_q_set_int(s, ":lo", lo);
	st_q_set_int(s, ":hi", hi);
	struct gather *held = NULL; /* the key whose last fact is in `last` */
	int64_t key_acc = 0, key_cat = 0;
	struct line_in_force last = { 0 };
	int r;
	while ((r = st_q_step(s)) == ST_ROW) {
		int64_t acc = st_q_int_at(s, 0), cat = st_q_int_at(s, 4);
		if (held && (acc != key_acc || cat != key_cat))
			line_add(held, &last);
		held = slot(p, s);
		key_acc = acc;
		key_cat = cat;
		last.removed = st_q_null_at(s, 1);
		last.amount = st_q_int_at(s, 1);
		last.verified = st_q_int_at(s, 2) != 0;
		last.on = 0;
		st_q_date_at(s, 3, &last.on);
	}
	if (held)
		line_add(held, &last);
	if (r != ST_DONE)
		rc = st_q_fail(s, "adding up QPC lines", e);
	st_q_free(s);
	return rc;
}

/* Each of an account's figures in date order: the last one stays. */
static void figure_row(struct pass *p, struct st_q *s, struct gather *g)
{
	(void)p;
	g->flags |= G_FIG;
	g->flags &= (uint8_t)~G_FIG_GP;
	g->fig_sales = st_q_int_at(s, 1);
	if (!st_q_null_at(s, 2)) {
		g->flags |= G_FIG_GP;
		g->fig_gp = st_q_int_at(s, 2);
	}
}

static void contract_row(struct pass *p, struct st_q *s, struct gather *g)
{
	(void)p;
	g->flags |= G_CONTRACT;
	if (!st_q_null_at(s, 1)) {
		g->flags |= G_CVALUE;
		add_sat(&g->contract_value, st_q_int_at(s, 1));
	}
}

static void candidate_row(struct pass *p, struct st_q *s, struct gather *g)
{
	(void)p;
	(void)s;
	g->flags |= G_CAND;
}

enum qpc_rc st_threshold_load(struct qpc_store *st, struct st_thresholds *out,
                              struct qpc_error *e)
{
	memset(out, 0, sizeof *out);
	out->t.base_bp = st->threshold_bp;
	struct st_q *s;
	enum qpc_rc rc = st_q_prepare(st, &s,
	                              "SELECT effective_on, value FROM setting_change"
	                              " WHERE key = 'threshold' ORDER BY effective_on, id",
	                              e);
	if (rc)
		return rc;
	int r;
	while ((r = st_q_step(s)) == ST_ROW) {
		struct qpc_threshold_step step;
		const char *from = st_q_text_at(s, 0);
		if (!from || !qpc_date_parse_iso(from, &step.from) ||
		    !st_parse_threshold(st_q_text_at(s, 1), &step.bp))
			continue;
		if (out->n > 0 && out->steps[out->n - 1].from == step.from) {
			out->steps[out->n - 1] = step; /* the later change of a day wins */
			continue;
		}
		if (out->n == out->cap) {
			size_t cap = out->cap ? out->cap * 2 : 8;
			void *grown = realloc(out->steps, cap * sizeof *out->steps);
			if (!grown) {
				rc = qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
				break;
			}
			out->steps = grown;
			out->cap = cap;
		}
		out->steps[out->n++] = step;
	}
	if (!rc && r != ST_DONE)
		rc = st_q_fail(s, "reading the threshold's changes", e);
	st_q_free(s);
	out->t.steps = out->steps;
	out->t.nsteps = out->n;
	if (rc)
		st_threshold_free(out);
	return rc;
}

void st_threshold_free(struct st_thresholds *t)
{
	free(t->steps);
	memset(t, 0, sizeof *t);
}

static enum qpc_rc id_range(struct qpc_store *st, int64_t *lo, int64_t *hi, struct qpc_error *e)
{
	*lo = 1;
	*hi = 0; /* none */
	struct st_q *s;
	enum qpc_rc rc = st_q_prepare(st, &s, "SELECT min(id), max(id) FROM main.account", e);
	if (rc)
		return rc;
	if (st_q_step(s) == ST_ROW) {
		*lo = st_q_int_at(s, 0);
		*hi = st_q_int_at(s, 1);
	} else {
		rc = st_q_fail(s, "reading accounts", e);
	}
	st_q_free(s);
	return rc;
}

static enum qpc_rc missing_category(struct qpc_store *st, int64_t id, qpc_date from,
                                    qpc_date as_of, bool *missing, struct qpc_error *e)
{
	struct st_q *s;
	enum qpc_rc rc = st_q_cached(st, &s, missing_sql, e);
	if (rc)
		return rc;
	st_q_set_int(s, ":id", id);
	st_q_set_date(s, ":from", from);
	st_q_set_date(s, ":as_of", as_of);
	if (st_q_step(s) == ST_ROW)
		*missing = st_q_int_at(s, 0) != 0;
	else
		rc = st_q_fail(s, "checking a partner's categories", e);
	st_q_free(s);
	return rc;
}

static enum qpc_rc combine(const struct pass *p, const struct gather *g, int32_t threshold_bp,
                           struct st_fig *out, struct qpc_error *e)
{
	struct qpc_account_figures *f = &out->f;
	memset(f, 0, sizeof *f);
	f->qpc_measured = g->nlines > 0;
	f->qpc = g->qpc;
	size_t i = (size_t)(g - p->g);
	if (p->has_sales[i]) { /* lines in the window decide */
		f->sales_12m = p->sold[i].sales;
		f->gp_known = !(p->has_sales[i] & SOLD_GP_MISSING);
		f->gp_12m = f->gp_known ? p->sold[i].gp : 0;
	} else if (g->flags & G_FIG) {
		f->sales_12m = g->fig_sales;
		f->gp_known = g->flags & G_FIG_GP;
		f->gp_12m = f->gp_known ? g->fig_gp : 0;
	} else {
		f->gp_known = true; /* nothing sold */
	}
	f->share = qpc_share_of(f->sales_12m, f->qpc_measured, f->qpc);
	if (f->qpc_measured) {
		qpc_money sales = f->sales_12m > 0 ? f->sales_12m : 0;
		f->untapped_known = true;
		f->untapped = f->qpc > sales ? f->qpc - sales : 0;
	}
	out->contract = g->flags & G_CONTRACT;
	out->has_contract_value = g->flags & G_CVALUE;
	out->contract_value = g->contract_value;
	out->has_oldest = f->qpc_measured;
	out->oldest = g->oldest;
	out->verified = f->qpc_measured && g->allver;
	f->status = qpc_status_of(f->sales_12m, f->share, out->contract, g->flags & G_CAND,
	                          threshold_bp);
	out->quality = -1;
	if (f->status == QPC_PARTNER) {
		bool missing = false;
		enum qpc_rc rc;
		if (f->qpc_measured && out->verified && !qpc_is_stale(g->oldest, p->as_of) &&
		    f->sales_12m <= f->qpc &&
		    (rc = missing_category(p->st, out->id, p->from, p->as_of, &missing, e)))
			return rc;
		out->quality = (int)qpc_quality_of(f->qpc_measured, out->verified, out->has_oldest,
		                                   g->oldest, f->qpc, f->sales_12m, missing, p->as_of);
	}
	return QPC_OK;
}

/* --- a second reader -------------------------------------------------- */

/* Below this many accounts one thread is quicker than starting another. */
#define HELPER_MIN_ACCOUNTS 1000

/* The QPC lines in ranges of ids, taken in turn by both threads. */
#define LINE_CHUNKS 32

/* Takes the next range of ids whose QPC lines nobody has read yet. */
static bool chunk_take(struct pass *p, int64_t *lo, int64_t *hi)
{
	int i = atomic_fetch_add(&p->next_chunk, 1);
	int64_t n = p->hi - p->lo + 1, step = (n + LINE_CHUNKS - 1) / LINE_CHUNKS;
	if (i >= LINE_CHUNKS || p->lo + (int64_t)i * step > p->hi)
		return false;
	*lo = p->lo + (int64_t)i * step;
	*hi = *lo + step - 1 < p->hi ? *lo + step - 1 : p->hi;
	return true;
}

/* Reads ranges of QPC lines on db until none is left. */
static enum qpc_rc scan_chunks(struct pass *p, sqlite3 *db, struct qpc_error *e)
{
	enum qpc_rc rc = QPC_OK;
	int64_t lo, hi;
	while (!rc && chunk_take(p, &lo, &hi))
		rc = scan_lines(p, db, lo, hi, e);
	return rc;
}

struct helper {
	struct pass *p;
	sqlite3 *db;
	int64_t version;  /* the file's data version before the store's read */
	enum qpc_rc rc;
	struct qpc_error e;
	pthread_t thread;
};

/* PRAGMA data_version on db: it changes when another connection commits
 * between two of its reads. */
static bool data_version(sqlite3 *db, int64_t *v)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(db, "PRAGMA data_version", -1, &s, NULL) != SQLITE_OK)
		return false;
	bool ok = sqlite3_step(s) == SQLITE_ROW;
	if (ok)
		*v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return ok;
}

static void *helper_run(void *arg)
{
	struct helper *h = arg;
	h->rc = scan_sales(h->p, h->db, &h->e);
	if (!h->rc)
		h->rc = scan_chunks(h->p, h->db, &h->e);
	return NULL;
}

/* The helper must read the state of the file the store's connection
 * reads, which SQLite has no way to hand over (its snapshot functions are
 * not built in Debian's).  So: the helper reads the file's data version,
 * then the store's connection starts reading (helper_open() comes before
 * its first read), then the helper starts its own read transaction and
 * reads the version again.  The same version: nobody committed from
 * before the one began to after the other did, so both read one state.
 * Not inside a write, whose changes only the store's connection sees. */
static bool helper_open(struct qpc_store *st, struct pass *p, struct helper *h)
{
	h->p = p;
	h->db = NULL;
	if (st->pg || p->one || st->one_thread || sqlite3_txn_state(st->db, "main") != SQLITE_TXN_NONE)
		return false;
	if (!(h->db = st_open_reader(st)))
		return false;
	if (!data_version(h->db, &h->version)) {
		sqlite3_close_v2(h->db);
		h->db = NULL;
	}
	return h->db != NULL;
}

/* Once the store's connection has read: the helper's transaction, the
 * check, the thread; or the helper closed, and one thread does it all. */
static bool helper_start(struct helper *h)
{
	struct pass *p = h->p;
	int64_t v = -1;
	if (!h->db)
		return false;
	if (p->hi - p->lo + 1 < HELPER_MIN_ACCOUNTS ||
	    sqlite3_exec(h->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK ||
	    !data_version(h->db, &v) || v != h->version ||
	    pthread_create(&h->thread, NULL, helper_run, h) != 0) {
		sqlite3_close_v2(h->db); /* and its transaction with it */
		h->db = NULL;
		return false;
	}
	return true;
}

/* Waits for the helper; should it have failed, reads the sales and every
 * QPC line again here (which ranges it had read is not known). */
static enum qpc_rc helper_join(struct helper *h, struct qpc_error *e)
{
	struct pass *p = h->p;
	pthread_join(h->thread, NULL);
	sqlite3_exec(h->db, "COMMIT", NULL, NULL, NULL);
	sqlite3_close_v2(h->db);
	h->db = NULL;
	if (!h->rc)
		return QPC_OK;
	size_t n = (size_t)(p->hi - p->lo + 1);
	memset(p->sold, 0, n * sizeof *p->sold);
	memset(p->has_sales, 0, n);
	for (size_t i = 0; i < n; i++) {
		struct gather *g = &p->g[i];
		g->qpc = 0;
		g->oldest = 0;
		g->nlines = 0;
		g->allver = false;
	}
	enum qpc_rc rc = scan_sales(p, NULL, e);
	return rc ? rc : scan_lines(p, NULL, p->lo, p->hi, e);
}

int qpc_store_threads_used(const struct qpc_store *st)
{
	return st->threads_used;
}

void qpc_store_one_thread(struct qpc_store *st, bool one)
{
	st->one_thread = one;
}

void qpc_store_on_progress(struct qpc_store *st, qpc_progress_fn fn, void *ctx)
{
	st->progress.fn = fn;
	st->progress.ctx = ctx;
}

/* How often the walk of every account says how far it has come: at a
 * million accounts, a few hundred times in some seconds. */
#define PROGRESS_EVERY 4096

enum qpc_rc st_figures_at(struct qpc_store *st, qpc_date as_of, int64_t only, enum st_walk walk,
                          st_fig_fn fn, void *ctx, struct qpc_error *e)
{
	struct pass p = { .st = st, .as_of = as_of, .from = qpc_window_start(as_of) };
	enum qpc_rc rc;
	atomic_init(&p.next_chunk, 0);
	struct helper h;
	p.one = only > 0;
	/* One read transaction: every scan sees the same facts (and the
	 * helper, if any, sees them too). */
	bool helped = helper_open(st, &p, &h);
	bool own = !p.one && st_q_read_begin(st);
	if (p.one) {
		p.lo = p.hi = only;
	} else if ((rc = id_range(st, &p.lo, &p.hi, e))) {
		goto early;
	}
	if (p.hi < p.lo) { /* no accounts */
		rc = QPC_OK;
		goto early;
	}
	size_t n = (size_t)(p.hi - p.lo + 1);
	if (!(p.g = calloc(n, sizeof *p.g)) || !(p.sold = calloc(n, sizeof *p.sold)) ||
	    !(p.has_sales = calloc(n, 1))) {
		rc = qpc_error_set(e, QPC_ERR_NOMEM, "out of memory for the figures of %zu accounts",
		                   n);
		goto early;
	}
	struct st_thresholds th;
	struct st_q *s = NULL;
	if ((rc = st_threshold_load(st, &th, e)))
		goto early;
	int32_t threshold_bp = qpc_threshold_at(&th.t, as_of);
	helped = helper_start(&h);
	if (!helped)
		rc = scan_sales(&p, NULL, e);
	if (!rc && !(rc = scan(&p, figure_sql[p.one], "reading account figures", figure_row, e)) &&
	    !(rc = scan(&p, contract_sql[p.one], "reading contracts", contract_row, e)) &&
	    !(rc = scan(&p, candidate_sql[p.one], "reading candidacies", candidate_row, e)))
		rc = scan_chunks(&p, NULL, e);
	if (helped) {
		enum qpc_rc hrc = helper_join(&h, e);
		if (!rc)
			rc = hrc;
	}
	if (!p.one)
		st->threads_used = helped ? 2 : 1;
	if (rc || (rc = st_q_prepare(st, &s, accounts_sql[walk][p.one], e)))
		goto done;
	if (p.one)
		st_q_set_int(s, ":id", only);
	else
		st_q_stream(s);
	int r = ST_DONE;
	uint64_t total = (uint64_t)(p.hi - p.lo) + 1, rows = 0;
	qpc_progress_fn told = p.one ? NULL : st->progress.fn;
	while (!rc && (r = st_q_step(s)) == ST_ROW) {
		struct st_fig fig = { .id = st_q_int_at(s, 0), .as_of = as_of,
		                      .threshold_bp = threshold_bp };
		/* (the rows come in the table's order, not always the ids') */
		if (told && ++rows % PROGRESS_EVERY == 0 && rows < total)
			told(st->progress.ctx, rows, total);
		const struct gather *g = slot(&p, s);
		if (!g)
			continue;
		fig.cost_known = !st_q_null_at(s, SC_COST);
		fig.cost = st_q_int_at(s, SC_COST);
		rc = combine(&p, g, threshold_bp, &fig, e);
		if (!rc)
			rc = fn(st, &fig, s, ctx, e);
	}
	if (!rc && r != ST_DONE)
		rc = st_q_fail(s, "computing figures", e);
	if (!rc && told)
		told(st->progress.ctx, total, total);
done:
	st_q_free(s);
	st_threshold_free(&th);
early:
	if (h.db) /* opened, never started */
		sqlite3_close_v2(h.db);
	st_q_read_end(st, own);
	free(p.g);
	free(p.sold);
	free(p.has_sales);
	return rc;
}

/* --- every account's figures at hand, for a server ----------------------- */

static enum qpc_rc keep_fig(struct qpc_store *st, const struct st_fig *g, struct st_q *row,
                            void *ctx, struct qpc_error *e)
{
	(void)st, (void)row, (void)e;
	struct st_figmap *m = ctx;
	int64_t i = g->id - m->lo;
	if (i >= 0 && i < m->n) {
		m->f[i] = *g;
		m->have[i] = 1;
	}
	return QPC_OK;
}

enum qpc_rc st_figmap_build(struct qpc_store *st, qpc_date as_of, struct st_figmap *m,
                            struct qpc_error *e)
{
	memset(m, 0, sizeof *m);
	int64_t lo, hi;
	enum qpc_rc rc = id_range(st, &lo, &hi, e);
	if (rc || hi < lo || lo <= 0)
		return rc;
	m->lo = lo;
	m->n = hi - lo + 1;
	if (!(m->f = malloc((size_t)m->n * sizeof *m->f)) || !(m->have = calloc((size_t)m->n, 1))) {
		st_figmap_free(m);
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory for the figures of %lld accounts",
		                     (long long)(hi - lo + 1));
	}
	if ((rc = st_figures_at(st, as_of, 0, ST_WALK_LEAN, keep_fig, m, e)))
		st_figmap_free(m);
	return rc;
}

const struct st_fig *st_figmap_get(const struct st_figmap *m, int64_t id)
{
	int64_t i = id - m->lo;
	return i >= 0 && i < m->n && m->have[i] ? &m->f[i] : NULL;
}

void st_figmap_free(struct st_figmap *m)
{
	free(m->f);
	free(m->have);
	memset(m, 0, sizeof *m);
}
