/* spans.c — each account's status changes, derived from its facts.
 *
 * status_span holds, per account, the days its status (prospect,
 * customer, partner) changed and what it changed from, as
 * qpc_facts_timeline() finds them.  It is a function of the facts alone,
 * not of any date someone looked at, so it holds for every date at once;
 * the writes that change an account's facts rewrite its spans in the same
 * transaction.  Goals and trends count them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* A growable array of one kind of fact. */
struct vec {
	void *v;
	size_t n, cap, size;
};

static void *vec_push(struct vec *a)
{
	if (a->n == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 16;
		void *grown = realloc(a->v, cap * a->size);
		if (!grown)
			return NULL;
		a->v = grown;
		a->cap = cap;
	}
	return (char *)a->v + a->size * a->n++;
}

/* One kind of fact read in account order: for every account, or one. */
struct cursor {
	struct st_q *s;
	bool row; /* s is on a row */
	int r;
	void (*read)(struct st_q *s, void *out);
	struct vec out;
};

static const char *const sales_sql[2] = {
	"SELECT account_id, date, amount, gross_profit FROM sale INDEXED BY sale_account_date"
	" ORDER BY account_id, date",
	"SELECT account_id, date, amount, gross_profit FROM sale INDEXED BY sale_account_date"
	" WHERE account_id = ?1 ORDER BY date",
};
static const char *const lines_sql[2] = {
	"SELECT account_id, category_id, measured_on, amount, verified FROM qpc_fact"
	" WHERE replaced = 0 ORDER BY account_id, category_id, measured_on",
	"SELECT account_id, category_id, measured_on, amount, verified FROM qpc_fact"
	" WHERE replaced = 0 AND account_id = ?1 ORDER BY category_id, measured_on",
};
static const char *const figures_sql[2] = {
	"SELECT account_id, as_of, sales_12m, gp_12m FROM account_figure ORDER BY account_id, as_of",
	"SELECT account_id, as_of, sales_12m, gp_12m FROM account_figure WHERE account_id = ?1"
	" ORDER BY as_of",
};
static const char *const contracts_sql[2] = {
	"SELECT account_id, signed_on, ends_on, value FROM contract ORDER BY account_id, signed_on",
	"SELECT account_id, signed_on, ends_on, value FROM contract WHERE account_id = ?1"
	" ORDER BY signed_on",
};
/* (all accounts: the facts name them, next_with_facts) */
static const char account_sql[] = "SELECT id FROM main.account WHERE id = ?1";

static qpc_date date_col(struct st_q *s, int i)
{
	qpc_date d = 0;
	st_q_date_at(s, i, &d);
	return d;
}

static void read_sale(struct st_q *s, void *out)
{
	struct qpc_sale_fact *f = out;
	f->date = date_col(s, 1);
	f->amount = st_q_int_at(s, 2);
	f->has_gp = !st_q_null_at(s, 3);
	f->gross_profit = st_q_int_at(s, 3);
}

static void read_line(struct st_q *s, void *out)
{
	struct qpc_line_fact *f = out;
	f->category = st_q_int_at(s, 1);
	f->on = date_col(s, 2);
	f->removed = st_q_null_at(s, 3);
	f->amount = st_q_int_at(s, 3);
	f->verified = st_q_int_at(s, 4) != 0;
}

static void read_figure(struct st_q *s, void *out)
{
	struct qpc_figure_fact *f = out;
	f->as_of = date_col(s, 1);
	f->sales_12m = st_q_int_at(s, 2);
	f->has_gp = !st_q_null_at(s, 3);
	f->gp_12m = st_q_int_at(s, 3);
}

static void read_contract(struct st_q *s, void *out)
{
	struct qpc_contract_fact *f = out;
	f->signed_on = date_col(s, 1);
	f->has_end = st_q_date_at(s, 2, &f->ends_on);
	f->has_value = !st_q_null_at(s, 3);
	f->value = st_q_int_at(s, 3);
}

static void cursor_close(struct cursor *c)
{
	st_q_free(c->s);
	free(c->out.v);
}

static enum qpc_rc cursor_open(struct qpc_store *st, struct cursor *c, const char *sql,
                               int64_t only, void (*read)(struct st_q *, void *), size_t size,
                               struct qpc_error *e)
{
	memset(c, 0, sizeof *c);
	c->read = read;
	c->out.size = size;
	enum qpc_rc rc = st_q_prepare(st, &c->s, sql, e);
	if (rc)
		return rc;
	/* Every row of a table in account order: on a server, one pass over
	 * the table and a sort, not the index's order, which visits the
	 * table's pages at random (three million sales lines: 4 s, not 14).
	 * The cursor's plan is made at its first step. */
	bool whole = !only && st->pg;
	if (only)
		st_q_int(c->s, 1, only);
	else
		st_q_stream(c->s);
	if (whole)
		rc = st_q_run(st, "SET LOCAL enable_indexscan = off", "reading facts", e);
	if (!rc) {
		c->r = st_q_step(c->s);
		c->row = c->r == ST_ROW;
		if (whole && (c->row || c->r == ST_DONE))
			rc = st_q_run(st, "RESET enable_indexscan", "reading facts", e);
	}
	/* said at once: on a server the next statement would only find the
	 * change aborted, and a failure the server asks to run again would
	 * read as another */
	if (rc || (!c->row && c->r != ST_DONE)) {
		if (!rc)
			rc = st_q_fail(c->s, "reading facts", e);
		cursor_close(c);
		c->s = NULL;
		c->out.v = NULL;
	}
	return rc;
}

/* Reads the cursor's facts of account id; skips those of accounts before
 * it (there are none: facts reference accounts). */
static enum qpc_rc cursor_take(struct cursor *c, int64_t id, struct qpc_error *e)
{
	c->out.n = 0;
	while (c->row && st_q_int_at(c->s, 0) <= id) {
		if (st_q_int_at(c->s, 0) == id) {
			void *slot = vec_push(&c->out);
			if (!slot)
				return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
			c->read(c->s, slot);
		}
		c->r = st_q_step(c->s);
		c->row = c->r == ST_ROW;
	}
	if (!c->row && c->r != ST_DONE)
		return st_q_fail(c->s, "reading facts", e);
	return QPC_OK;
}

/* The next account a fact names (from the cursors' rows at hand), if
 * any: the rest are prospects throughout, without a span
 * (qpc_facts_timeline of no facts is none).  Every fact's account is
 * there: the references hold it. */
static bool next_with_facts(const struct cursor *c, int n, int64_t *id)
{
	bool any = false;
	for (int i = 0; i < n; i++) {
		int64_t a = c[i].row ? st_q_int_at(c[i].s, 0) : 0;
		if (c[i].row && (!any || a < *id))
			*id = a;
		any = any || c[i].row;
	}
	return any;
}

/* Every account's spans on a server go to the server in one COPY at the
 * end, from rows kept here (a file: a statement per span between two
 * batches of the cursors would cost a round trip each). */
static enum qpc_rc spool_spans(FILE *f, int64_t id, const struct qpc_span *sp, size_t n,
                               struct qpc_error *e)
{
	for (size_t i = 0; i < n; i++) {
		char day[QPC_DATE_ISO_LEN];
		fprintf(f, "%lld\t%s\t%d\t%d\n", (long long)id, qpc_date_format(sp[i].from, day),
		        (int)sp[i].status, (int)(i ? sp[i - 1].status : QPC_PROSPECT));
	}
	return ferror(f) ? qpc_error_set(e, QPC_ERR_IO, "recording status changes: %s",
	                                 strerror(errno))
	                 : QPC_OK;
}

static enum qpc_rc write_spans(struct qpc_store *st, int64_t id, const struct qpc_span *sp,
                               size_t n, struct qpc_error *e)
{
	static const char sql[] = "INSERT INTO status_span(account_id, since, status, prev)"
	                          " VALUES (?1, ?2, ?3, ?4)";
	if (n == 0)
		return QPC_OK;
	struct st_q *s;
	enum qpc_rc rc = st_q_cached(st, &s, sql, e);
	for (size_t i = 0; !rc && i < n; i++) {
		char day[QPC_DATE_ISO_LEN];
		st_q_int(s, 1, id);
		st_q_text(s, 2, qpc_date_format(sp[i].from, day));
		st_q_int(s, 3, (int)sp[i].status);
		st_q_int(s, 4, (int)(i ? sp[i - 1].status : QPC_PROSPECT));
		rc = st_q_done(s, "recording status changes", e);
		st_q_reset(s);
	}
	st_q_free(s); /* NULL when it could not be had */
	return rc;
}

enum qpc_rc st_spans_rebuild(struct qpc_store *st, int64_t only, struct qpc_error *e)
{
	int one = only > 0;
	struct cursor c[4];
	struct st_q *acc = NULL;
	struct st_thresholds th;
	struct qpc_span *spans = NULL;
	size_t cap = 0;
	int opened = 0;
	FILE *spool = NULL;
	enum qpc_rc rc = st_threshold_load(st, &th, e);
	if (rc)
		return rc;
	/* (COPY is an admin's: row-level security, which limits a rep's
	 * spans to the rep's accounts, refuses it to others) */
	enum qpc_role role;
	bool admin = qpc_store_role(st, &role) && role == QPC_ROLE_ADMIN;
	if (st->pg && !one && admin && !(spool = tmpfile())) {
		st_threshold_free(&th);
		return qpc_error_set(e, QPC_ERR_IO, "recording status changes: a temporary file: %s",
		                     strerror(errno));
	}
	if ((rc = cursor_open(st, &c[0], sales_sql[one], only, read_sale,
	                      sizeof(struct qpc_sale_fact), e)))
		goto done;
	opened++;
	if ((rc = cursor_open(st, &c[1], lines_sql[one], only, read_line,
	                      sizeof(struct qpc_line_fact), e)))
		goto done;
	opened++;
	if ((rc = cursor_open(st, &c[2], figures_sql[one], only, read_figure,
	                      sizeof(struct qpc_figure_fact), e)))
		goto done;
	opened++;
	if ((rc = cursor_open(st, &c[3], contracts_sql[one], only, read_contract,
	                      sizeof(struct qpc_contract_fact), e)))
		goto done;
	opened++;
	struct st_q *d;
	if ((rc = st_q_cached(st, &d, one ? "DELETE FROM status_span WHERE account_id = ?1"
	                                  : "DELETE FROM status_span", e)))
		goto done;
	if (one)
		st_q_int(d, 1, only);
	rc = st_q_done(d, "recording status changes", e);
	st_q_free(d);
	/* One account: if it is there.  All: from one account with facts
	 * to the next, not over every account (after a first load of a
	 * million without facts, a million ids read for nothing). */
	if (rc || (one && (rc = st_q_prepare(st, &acc, account_sql, e))))
		goto done;
	if (one)
		st_q_int(acc, 1, only);
	int r = ST_DONE;
	int64_t id = only;
	while (!rc && (one ? (r = st_q_step(acc)) == ST_ROW : next_with_facts(c, 4, &id))) {
		for (int i = 0; i < 4 && !rc; i++)
			rc = cursor_take(&c[i], id, e);
		if (rc)
			break;
		struct qpc_account_facts f = {
			.sales = c[0].out.v, .nsales = c[0].out.n,
			.lines = c[1].out.v, .nlines = c[1].out.n,
			.figures = c[2].out.v, .nfigures = c[2].out.n,
			.contracts = c[3].out.v, .ncontracts = c[3].out.n,
		};
		size_t n = qpc_facts_timeline(&f, &th.t, &spans, &cap);
		if (n == (size_t)-1)
			rc = qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
		else if (spool)
			rc = spool_spans(spool, id, spans, n, e);
		else
			rc = write_spans(st, id, spans, n, e);
	}
	if (!rc && one && r != ST_DONE)
		rc = st_q_fail(acc, "reading accounts", e);
done:
	for (int i = 0; i < opened; i++)
		cursor_close(&c[i]);
	st_q_free(acc);
	if (spool) {
		if (!rc)
			rc = st_pg_copy_file(st, spool, "COPY status_span (account_id, since, status, prev)"
			                     " FROM STDIN", "recording status changes", e);
		fclose(spool);
	}
	free(spans);
	st_threshold_free(&th);
	return rc;
}
