/* write.c — adding and changing accounts, lines, candidates and goals. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "qpc/ingest.h"
#include "qpc/namekey.h"

static void money_text(const struct qpc_store *st, qpc_money v, char *buf, size_t n)
{
	qpc_money_format(v, st->minor_units, QPC_MONEY_PLAIN, buf, n);
}


#define ACCOUNT_INSERT_SQL                                                                     \
	"INSERT INTO account(external_id, name, owner, segment, city, country, notes,"           \
	" employees, annual_revenue, contract_partner, contract_value, rep_share_bp,"             \
	" cost_to_serve, account_sales_12m, account_gp_12m, created_at, updated_at, name_key)"    \
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?16,"   \
	" ?17)"

static void q_opt_int(struct st_q *q, int i, bool has, int64_t v)
{
	if (has)
		st_q_int(q, i, v);
	else
		st_q_text(q, i, NULL);
}

/* Binds an account's row to ACCOUNT_INSERT_SQL's ?1..?16 (?17, the key,
 * is the caller's) with a backend's own binders: text (NULL: SQL NULL),
 * and an integer that may be absent. */
struct account_binder {
	void (*text)(void *s, int i, const char *v);
	void (*num)(void *s, int i, bool has, int64_t v);
};

static void bind_account(const struct account_binder *b, void *s,
                         const struct qpc_account_rec *r, const char *at)
{
	b->text(s, 1, r->external_id && *r->external_id ? r->external_id : NULL);
	b->text(s, 2, r->name);
	b->text(s, 3, r->owner ? r->owner : "");
	b->text(s, 4, r->segment ? r->segment : "");
	b->text(s, 5, r->city ? r->city : "");
	b->text(s, 6, r->country ? r->country : "");
	b->text(s, 7, r->notes ? r->notes : "");
	b->num(s, 8, r->has_employees, r->employees);
	b->num(s, 9, r->has_annual_revenue, r->annual_revenue);
	b->num(s, 10, true, r->contract_partner);
	b->num(s, 11, r->has_contract_value, r->contract_value);
	b->num(s, 12, r->has_rep_share, r->rep_share_bp);
	b->num(s, 13, r->has_cost_to_serve, r->cost_to_serve);
	b->num(s, 14, r->has_account_figure, r->account_sales_12m);
	b->num(s, 15, r->has_account_gp, r->account_gp_12m);
	b->text(s, 16, at);
}

static void q_text_any(void *s, int i, const char *v)
{
	st_q_text(s, i, v);
}

static void q_num_any(void *s, int i, bool has, int64_t v)
{
	q_opt_int(s, i, has, v);
}

/* In place, not copied: every string outlives the statement's step. */
static void lite_text(void *s, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(s, i);
}

static void lite_num(void *s, int i, bool has, int64_t v)
{
	st_bind_opt_int(s, i, has, v);
}

static const struct account_binder q_binder = { q_text_any, q_num_any };
static const struct account_binder lite_binder = { lite_text, lite_num };

/* The row itself on a team server: the same columns, its id returned. */
static enum qpc_rc account_row_pg(struct qpc_store *st, const struct qpc_account_rec *r,
                                  int64_t *new_id, struct qpc_error *e)
{
	struct st_q *q;
	enum qpc_rc rc = st_q_prepare(st, &q, ACCOUNT_INSERT_SQL " RETURNING id", e);
	if (rc)
		return rc;
	char at[32];
	st_now_iso(st, at);
	char buf[512], *key = st_name_key(r->name, buf, sizeof buf);
	if (!key) {
		st_q_free(q);
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	}
	bind_account(&q_binder, q, r, at);
	st_q_text(q, 17, key);
	if (key != buf)
		free(key);
	if (st_q_step(q) == ST_ROW)
		*new_id = st_q_int_at(q, 0);
	else
		rc = st_q_fail(q, "adding an account", e);
	st_q_free(q);
	return rc;
}

enum qpc_rc st_account_insert(struct qpc_store *st, const struct qpc_account_rec *r, int64_t *id,
                              struct qpc_error *e)
{
	static const char sql[] = ACCOUNT_INSERT_SQL;
	if (!r->name || !*r->name)
		return qpc_error_set(e, QPC_ERR_DATA, "an account needs a name");
	if (!r->external_id || !*r->external_id)
		st->bulk_unkeyed = st->bulk;
	if (st->pg) {
		int64_t new_id = 0;
		enum qpc_rc rc = account_row_pg(st, r, &new_id, e);
		if (!rc)
			st_load_made(st, r->external_id, new_id);
		if (!rc && id)
			*id = new_id;
		return rc ? rc : st_account_added(st, new_id, r, e);
	}
	sqlite3_stmt *s;
	enum qpc_rc rc = st_cached_bound(st, &s, sql, e);
	if (rc)
		return rc;
	/* Bound in place, not copied, every parameter each time: every string
	 * outlives st_run() below, and a bulk import runs this a million
	 * times. */
	char at[32];
	st_now_iso(st, at);
	bind_account(&lite_binder, s, r, at);
	/* the order it sorts in, made here rather than by SQL: no copy */
	size_t len = strlen(r->name);
	char key[512], *k = len < sizeof key / 2 ? key : sqlite3_malloc64(2 * len + 1);
	if (!k)
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	size_t kl = qpc_name_key(r->name, len, k, 2 * len + 1);
	sqlite3_bind_text(s, 17, k, (int)kl, k == key ? SQLITE_STATIC : sqlite3_free);
	if ((rc = st_run(st, s, "adding an account", e)))
		return rc;
	int64_t new_id = sqlite3_last_insert_rowid(st->db);
	if (id)
		*id = new_id;
	if (st->fts_side)
		st_fts_side_add(st, new_id, r->name, r->external_id);
	st_tally_insert(st, r->owner, r->segment);
	return st_account_added(st, new_id, r, e);
}

/* The facts an account's row brings (its contract, its CRM figure). */
enum qpc_rc st_account_added(struct qpc_store *st, int64_t new_id,
                             const struct qpc_account_rec *r, struct qpc_error *e)
{
	enum qpc_rc rc;
	unsigned fields = (r->contract_partner ? QPC_AF_CONTRACT : 0) | QPC_AF_CONTRACT_VALUE |
	                  QPC_AF_SALES_12M | QPC_AF_CONTRACT_DATES;
	if ((rc = st_account_facts(st, new_id, r, fields, e)))
		return rc;
	return st_touch(st, new_id, e);
}

enum qpc_rc st_account_facts(struct qpc_store *st, int64_t account_id,
                             const struct qpc_account_rec *r, unsigned fields,
                             struct qpc_error *e)
{
	qpc_date on = r->facts_on ? r->facts_on : st_today(st);
	bool has_value = (fields & QPC_AF_CONTRACT_VALUE) && r->has_contract_value;
	enum qpc_rc rc = QPC_OK;
	if ((fields & QPC_AF_CONTRACT_DATES) && r->has_contract_signed) {
		struct qpc_contract_rec c = { .signed_on = r->contract_signed,
			                      .has_end = r->has_contract_ends,
			                      .ends_on = r->contract_ends, .has_value = has_value,
			                      .value = r->contract_value };
		rc = st_contract_put(st, account_id, &c, e);
	} else if (fields & QPC_AF_CONTRACT) {
		rc = st_contract_flag(st, account_id, r->contract_partner, has_value, r->contract_value,
		                      on, e);
	}
	if (!rc && (fields & QPC_AF_SALES_12M) && r->has_account_figure)
		rc = st_account_figure(st, account_id, r->account_sales_12m, r->has_account_gp,
		                       r->account_gp_12m, on, e);
	return rc;
}

enum qpc_rc st_account_figure(struct qpc_store *st, int64_t account_id, qpc_money sales,
                              bool has_gp, qpc_money gp, qpc_date on, struct qpc_error *e)
{
	/* The same file again, as of the same day, is no news; the same
	 * figure as of a later day is: it speaks for another twelve months. */
	static const char last[] = "SELECT sales_12m, gp_12m FROM account_figure"
	                           " WHERE account_id = ?1 AND as_of = ?2";
	static const char put[] = "INSERT INTO account_figure(account_id, as_of, sales_12m, gp_12m)"
	                          " VALUES (?1, ?2, ?3, ?4) ON CONFLICT (account_id, as_of)"
	                          " DO UPDATE SET sales_12m = excluded.sales_12m,"
	                          " gp_12m = excluded.gp_12m";
	struct st_q *s;
	enum qpc_rc rc = st_q_cached(st, &s, last, e);
	if (rc)
		return rc;
	char day[QPC_DATE_ISO_LEN];
	qpc_date_format(on, day);
	st_q_int(s, 1, account_id);
	st_q_text(s, 2, day);
	int r = st_q_step(s);
	bool same = r == ST_ROW && st_q_int_at(s, 0) == sales &&
	            (st_q_null_at(s, 1) ? !has_gp : has_gp && st_q_int_at(s, 1) == gp);
	if (r != ST_ROW && r != ST_DONE)
		rc = st_q_fail(s, "reading account figures", e);
	st_q_free(s);
	if (rc || same)
		return rc;
	if ((rc = st_q_cached(st, &s, put, e)))
		return rc;
	st_q_int(s, 1, account_id);
	st_q_text(s, 2, day);
	st_q_int(s, 3, sales);
	q_opt_int(s, 4, has_gp, gp);
	rc = st_q_done(s, "saving an account figure", e);
	st_q_free(s);
	return rc ? rc : st_touch(st, account_id, e);
}

enum qpc_rc qpc_store_account_insert(struct qpc_store *st, const struct qpc_account_rec *r,
                                     int64_t *id, struct qpc_error *e)
{
	enum qpc_rc rc = st_q_begin(st, e);
	if (rc)
		return rc;
	if ((rc = st_account_insert(st, r, id, e))) {
		st_q_rollback(st);
		return rc;
	}
	return st_q_commit(st, e);
}

enum qpc_rc qpc_store_account_name(struct qpc_store *st, int64_t id, char *buf, size_t n,
                                   struct qpc_error *e)
{
	struct st_q *q;
	enum qpc_rc rc = st_q_prepare(st, &q, "SELECT name FROM account WHERE id = :id", e);
	if (rc)
		return rc;
	st_q_set_int(q, ":id", id);
	int r = st_q_step(q);
	if (r == ST_ROW)
		st_q_copy_at(q, 0, buf, n);
	else
		rc = r == ST_DONE ? qpc_error_set(e, QPC_ERR_NOTFOUND, "no account %lld", (long long)id)
		                  : st_q_fail(q, "reading an account", e);
	st_q_free(q);
	return rc;
}

enum qpc_rc qpc_store_account_find(struct qpc_store *st, const char *key, int64_t *id,
                                   struct qpc_error *e)
{
	/* the name's key made here, not by the file's SQL function: the same
	 * query then runs on a team server */
	size_t len = strlen(key);
	char *name_key = malloc(2 * len + 1);
	if (!name_key)
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	name_key[qpc_name_key(key, len, name_key, 2 * len + 1)] = '\0';
	struct st_q *q;
	enum qpc_rc rc = st_q_prepare(st, &q,
	                              "SELECT id, external_id FROM account WHERE external_id = :key "
	                              "UNION ALL SELECT id, external_id FROM account"
	                              " WHERE name_key = :name_key AND name = :key "
	                              "AND NOT EXISTS (SELECT 1 FROM account WHERE external_id = :key) "
	                              "LIMIT 6",
	                              e);
	if (rc) {
		free(name_key);
		return rc;
	}
	st_q_set_text(q, ":key", key);
	st_q_set_text(q, ":name_key", name_key);
	free(name_key);
	int n = 0, r;
	char list[512] = "";
	size_t used = 0;
	while ((r = st_q_step(q)) == ST_ROW) {
		if (n++ == 0)
			*id = st_q_int_at(q, 0);
		const char *ext = st_q_text_at(q, 1);
		int w = snprintf(list + used, sizeof list - used, "%s%s", used ? ", " : "",
		                 ext ? ext : "(no id)");
		if (w > 0 && (size_t)w < sizeof list - used)
			used += (size_t)w;
	}
	if (r != ST_DONE)
		rc = st_q_fail(q, "finding an account", e);
	st_q_free(q);
	if (rc)
		return rc;
	if (n == 0)
		return qpc_error_set(e, QPC_ERR_NOTFOUND, "no account with id or name '%s'", key);
	if (n > 1)
		return qpc_error_set(e, QPC_ERR_DATA,
		                     "%s'%s' names several accounts (ids: %s); use the id",
		                     n > 5 ? "more than five: " : "", key, list);
	return QPC_OK;
}

static enum qpc_rc category_find_add(struct qpc_store *st, const char *name, int64_t *id,
                                     bool again, struct qpc_error *e);

enum qpc_rc qpc_store_category_ensure(struct qpc_store *st, const char *name, int64_t *id,
                                      struct qpc_error *e)
{
	if (!name || !*name)
		return qpc_error_set(e, QPC_ERR_DATA, "a category needs a name");
	if (!st->pg)
		return category_find_add(st, name, id, false, e);
	/* an import on a server knows the categories it has met, and ends
	 * the rows it streams before it asks */
	if (st_load_category(st, name, id))
		return QPC_OK;
	enum qpc_rc rc = st_load_settle(st, e);
	if (!rc && !(rc = category_find_add(st, name, id, false, e)))
		st_load_category_found(st, name, *id);
	return rc;
}

/* The category's id, found or added; again: found only, after an insert
 * that met a name committed since the first look. */
static enum qpc_rc category_find_add(struct qpc_store *st, const char *name, int64_t *id,
                                     bool again, struct qpc_error *e)
{
	/* a name in any case is the category: a file's column compares
	 * without case, a server's index is of the lowered name */
	static const char *const find[2] = { "SELECT id FROM category WHERE name = ?1",
		                             "SELECT id FROM category WHERE lower(name) = lower(?1)"
		                             " ORDER BY id LIMIT 1" };
	static const char *const add[2] = {
		"INSERT INTO category(name) VALUES (?1) RETURNING id",
		"INSERT INTO category(name) VALUES (?1) ON CONFLICT DO NOTHING RETURNING id"
	};
	struct st_q *s;
	enum qpc_rc rc = st_q_cached(st, &s, find[st->pg != NULL], e);
	if (rc)
		return rc;
	st_q_text(s, 1, name);
	int r = st_q_step(s);
	if (r == ST_ROW)
		*id = st_q_int_at(s, 0);
	else if (r != ST_DONE)
		rc = st_q_fail(s, "finding a category", e);
	st_q_free(s);
	if (rc || r == ST_ROW)
		return rc;
	if (again)
		return qpc_error_set(e, QPC_ERR_DB, "adding a category: '%s' was neither added nor "
		                                    "found", name);
	/* On a server, a new category is for a QPC line: the lines are
	 * taken first, as writing the line would, and only then the name.
	 * An import holds the lines till it commits.  A writer that took
	 * the name first and then waited for the lines would hold a name
	 * the import may want, and the server would roll one of the two
	 * back: the import, perhaps, which is not run again.  In this
	 * order the writer waits for the import; if the import added the
	 * same name, the insert meets it, unseen by the writer's snapshot,
	 * and the server calls that a conflict: the change is run again
	 * (st_retry) and finds it. */
	if (st->pg && (rc = st_q_run(st, "LOCK TABLE potential IN ROW EXCLUSIVE MODE",
	                             "adding a category", e)))
		return rc;
	if ((rc = st_q_cached(st, &s, add[st->pg != NULL], e)))
		return rc;
	st_q_text(s, 1, name);
	if ((r = st_q_step(s)) == ST_ROW)
		*id = st_q_int_at(s, 0);
	else if (r != ST_DONE)
		rc = st_q_fail(s, "adding a category", e);
	st_q_free(s);
	/* nothing added: another change's, committed since the look */
	return rc || r == ST_ROW ? rc : category_find_add(st, name, id, true, e);
}

enum qpc_rc qpc_store_potential_set(struct qpc_store *st, const struct qpc_potential_rec *p,
                                    struct qpc_error *e)
{
	static const char old_sql[] = "SELECT amount FROM potential WHERE account_id = ?1 "
	                              "AND category_id = ?2";
	static const char sql[] =
		"INSERT INTO potential(account_id, category_id, amount, basis, verified,"
		" measured_on, measured_by, inputs) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
		" ON CONFLICT (account_id, category_id) DO UPDATE SET amount = excluded.amount,"
		" basis = excluded.basis, verified = excluded.verified,"
		" measured_on = excluded.measured_on, measured_by = excluded.measured_by,"
		" inputs = excluded.inputs, version = potential.version + 1";
	if (p->amount < 0)
		return qpc_error_set(e, QPC_ERR_DATA, "a QPC amount cannot be negative");
	struct st_q *s;
	enum qpc_rc rc = st_q_begin(st, e);
	if (rc)
		return rc;
	if ((rc = st_q_cached(st, &s, old_sql, e)))
		goto fail;
	st_q_int(s, 1, p->account_id);
	st_q_int(s, 2, p->category_id);
	char oldv[32] = "", newv[32], day[QPC_DATE_ISO_LEN];
	int r = st_q_step(s);
	bool had = r == ST_ROW;
	if (had)
		money_text(st, st_q_int_at(s, 0), oldv, sizeof oldv);
	else if (r != ST_DONE)
		rc = st_q_fail(s, "reading a QPC line", e);
	st_q_free(s);
	if (rc || (rc = st_q_cached(st, &s, sql, e)))
		goto fail;
	st_q_int(s, 1, p->account_id);
	st_q_int(s, 2, p->category_id);
	st_q_int(s, 3, p->amount);
	st_q_text(s, 4, p->basis ? p->basis : "");
	st_q_int(s, 5, p->verified);
	st_q_text(s, 6, qpc_date_format(p->measured_on, day));
	st_q_text(s, 7, p->measured_by ? p->measured_by : st->user);
	st_q_text(s, 8, p->inputs ? p->inputs : "");
	rc = st_q_done(s, "saving a QPC line", e);
	st_q_free(s);
	if (rc)
		goto fail;
	money_text(st, p->amount, newv, sizeof newv);
	if (!had || strcmp(oldv, newv) != 0) {
		static const char cat_sql[] = "SELECT 'qpc:' || name FROM category WHERE id = ?1";
		char field[160] = "qpc";
		if ((rc = st_q_cached(st, &s, cat_sql, e)))
			goto fail;
		st_q_int(s, 1, p->category_id);
		if ((r = st_q_step(s)) == ST_ROW)
			st_q_copy_at(s, 0, field, sizeof field);
		else if (r != ST_DONE)
			rc = st_q_fail(s, "reading the category", e);
		st_q_free(s);
		if (rc)
			goto fail;
		if ((rc = st_history(st, p->account_id, "potential", field, had ? oldv : NULL, newv,
		                     p->measured_on, e)))
			goto fail;
	}
	if ((rc = st_touch(st, p->account_id, e)))
		goto fail;
	return st_q_commit(st, e);
fail:
	st_q_rollback(st);
	return rc;
}

enum qpc_rc qpc_store_sale_add(struct qpc_store *st, const struct qpc_sale_rec *r,
                               struct qpc_error *e)
{
	return st_sale_insert(st, r, NULL, e);
}

enum qpc_rc st_sale_insert(struct qpc_store *st, const struct qpc_sale_rec *r, int64_t *id,
                           struct qpc_error *e)
{
	/* a million times in a load of sales: on a file the new id is
	 * SQLite's last, without the cost of RETURNING's buffered row */
#define SALE_INSERT_SQL                                                                        \
	"INSERT INTO sale(account_id, date, category_id, amount, gross_profit, source_key)"      \
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
	static const char *const sql[2] = { SALE_INSERT_SQL, SALE_INSERT_SQL " RETURNING id" };
#undef SALE_INSERT_SQL
	enum qpc_rc rc = st_q_begin(st, e);
	if (rc)
		return rc;
	struct st_q *s;
	if ((rc = st_q_cached(st, &s, sql[st->pg != NULL], e))) {
		st_q_rollback(st);
		return rc;
	}
	char day[QPC_DATE_ISO_LEN];
	st_q_int(s, 1, r->account_id);
	st_q_text(s, 2, qpc_date_format(r->date, day));
	q_opt_int(s, 3, r->category_id > 0, r->category_id);
	st_q_int(s, 4, r->amount);
	q_opt_int(s, 5, r->has_gp, r->gross_profit);
	st_q_text(s, 6, r->source_key);
	int step = st_q_step(s);
	if (step == ST_ROW || step == ST_DONE) {
		if (id)
			*id = st->pg ? st_q_int_at(s, 0) : sqlite3_last_insert_rowid(st->db);
	} else {
		rc = st_q_fail(s, "adding a sales line", e);
	}
	st_q_free(s);
	if (rc || (rc = st_touch(st, r->account_id, e))) {
		st_q_rollback(st);
		return rc;
	}
	return st_q_commit(st, e);
}

static enum qpc_rc store_template_create_once(struct qpc_store *st, const char *name,
                                      const char *const *steps, int nsteps, int64_t *id,
                                      struct qpc_error *e)
{
	struct st_q *q;
	enum qpc_rc rc = st_template_check_new(st, name, steps, nsteps, e);
	if (rc || (rc = st_q_begin(st, e)))
		return rc;
	if ((rc = st_q_prepare(st, &q,
	                       "INSERT INTO template(name, is_default) VALUES (:name,"
	                       " CASE WHEN EXISTS (SELECT 1 FROM template) THEN 0 ELSE 1 END)"
	                       " RETURNING id",
	                       e)))
		goto fail;
	st_q_set_text(q, ":name", name);
	int64_t tid = 0;
	int r = st_q_step(q);
	if (r == ST_ROW) {
		tid = st_q_int_at(q, 0);
		r = st_q_step(q);
	}
	if (r != ST_DONE)
		rc = st_q_fail(q, "creating a template", e);
	st_q_free(q);
	if (rc)
		goto fail;
	for (int i = 0; i < nsteps && !rc; i++) {
		if ((rc = st_q_prepare(st, &q,
		                       "INSERT INTO template_step(template_id, position, text)"
		                       " VALUES (:id, :position, :text)",
		                       e)))
			goto fail;
		st_q_set_int(q, ":id", tid);
		st_q_set_int(q, ":position", i + 1);
		st_q_set_text(q, ":text", steps[i]);
		rc = st_q_done(q, "adding a template step", e);
		st_q_free(q);
	}
	if (rc || (rc = st_history(st, 0, "template", "name", NULL, name,
	                           qpc_date_from_unix(st->now), e)))
		goto fail;
	if (id)
		*id = tid;
	return st_q_commit(st, e);
fail:
	st_q_rollback(st);
	return rc;
}

enum qpc_rc qpc_store_template_create(struct qpc_store *st, const char *name,
                                      const char *const *steps, int nsteps, int64_t *id,
                                      struct qpc_error *e)
{
	enum qpc_rc rc;
	ST_RETRIED(st, rc, store_template_create_once(st, name, steps, nsteps, id, e));
	return rc;
}

enum qpc_rc qpc_store_template_find(struct qpc_store *st, const char *name, int64_t *id,
                                    struct qpc_error *e)
{
	struct st_q *q;
	/* the name, case aside, as the table's NOCASE and the server's
	 * lower(name) index have it */
	enum qpc_rc rc = st_q_prepare(st, &q,
	                              name ? "SELECT id FROM template WHERE lower(name) = lower(:name)"
	                                   : "SELECT id FROM template ORDER BY is_default DESC, id"
	                                     " LIMIT 1",
	                              e);
	if (rc)
		return rc;
	st_q_set_text(q, ":name", name);
	int r = st_q_step(q);
	if (r == ST_ROW)
		*id = st_q_int_at(q, 0);
	else if (r != ST_DONE)
		rc = st_q_fail(q, "finding a template", e);
	st_q_free(q);
	if (rc || r == ST_ROW)
		return rc;
	return qpc_error_set(e, QPC_ERR_NOTFOUND, name ? "no checklist template named '%s'"
	                                               : "no checklist template%s", name ? name : "");
}

static enum qpc_rc store_candidate_add_once(struct qpc_store *st, int64_t account_id,
                                            int64_t template_id, qpc_date on,
                                            struct qpc_error *e)
{
	enum qpc_rc rc = st_q_begin(st, e);
	if (rc)
		return rc;
	struct st_q *q = NULL;
	if (template_id == 0 && (rc = qpc_store_template_find(st, NULL, &template_id, e)))
		goto fail;
	if ((rc = st_q_prepare(st, &q,
	                       "INSERT INTO candidate(account_id, template_id, nominated_on, nominated_by)"
	                       " VALUES (:account, :template, :on, :user)",
	                       e)))
		goto fail;
	st_q_set_int(q, ":account", account_id);
	st_q_set_int(q, ":template", template_id);
	st_q_set_date(q, ":on", on);
	st_q_set_text(q, ":user", st->user);
	int r = st_q_step(q);
	if (r == ST_CONSTRAINT)
		rc = qpc_error_set(e, QPC_ERR_DATA, "that account is already a candidate");
	else if (r != ST_DONE)
		rc = st_q_fail(q, "nominating a candidate", e);
	st_q_free(q);
	if (rc || (rc = st_history(st, account_id, "candidate", "candidate", NULL, "nominated", on, e)) ||
	    (rc = st_touch(st, account_id, e)))
		goto fail;
	return st_q_commit(st, e);
fail:
	st_q_rollback(st);
	return rc;
}

enum qpc_rc qpc_store_candidate_add(struct qpc_store *st, int64_t account_id, int64_t template_id,
                                    qpc_date on, struct qpc_error *e)
{
	enum qpc_rc rc;
	ST_RETRIED(st, rc, store_candidate_add_once(st, account_id, template_id, on, e));
	return rc;
}

enum qpc_rc st_candidate_step(struct qpc_store *st, int64_t account_id, int position,
                              int64_t *cid, int64_t *sid, char *text, size_t n,
                              struct qpc_error *e)
{
	struct st_q *q;
	enum qpc_rc rc = st_q_prepare(st, &q,
	                              "SELECT c.id, ts.id, ts.text FROM candidate c"
	                              " JOIN template_step ts ON ts.template_id = c.template_id"
	                              " WHERE c.account_id = :account AND c.dropped_on IS NULL"
	                              " AND ts.position = :position AND ts.retired = 0",
	                              e);
	if (rc)
		return rc;
	st_q_set_int(q, ":account", account_id);
	st_q_set_int(q, ":position", position);
	int r = st_q_step(q);
	if (r == ST_ROW) {
		*cid = st_q_int_at(q, 0);
		*sid = st_q_int_at(q, 1);
		const char *t = st_q_text_at(q, 2);
		snprintf(text, n, "%s", t ? t : "step");
	} else if (r == ST_DONE) {
		rc = qpc_error_set(e, QPC_ERR_NOTFOUND,
		                   "that account is not a candidate, or its checklist has no step %d",
		                   position);
	} else {
		rc = st_q_fail(q, "reading a checklist", e);
	}
	st_q_free(q);
	return rc;
}

static enum qpc_rc store_tick_once(struct qpc_store *st, int64_t account_id, int position,
                                   const char *note, struct qpc_error *e)
{
	enum qpc_rc rc = st_q_begin(st, e);
	if (rc)
		return rc;
	int64_t cid = 0, sid = 0;
	char text[200], at[32];
	struct st_q *q;
	if ((rc = st_candidate_step(st, account_id, position, &cid, &sid, text, sizeof text, e)) ||
	    (rc = st_q_prepare(st, &q,
	                       "INSERT INTO tick(candidate_id, step_id, ticked_by, ticked_at, note)"
	                       " VALUES (:candidate, :step, :user, :at, :note)"
	                       " ON CONFLICT (candidate_id, step_id) DO UPDATE SET note = excluded.note",
	                       e)))
		goto fail;
	st_now_iso(st, at);
	st_q_set_int(q, ":candidate", cid);
	st_q_set_int(q, ":step", sid);
	st_q_set_text(q, ":user", st->user);
	st_q_set_text(q, ":at", at);
	st_q_set_text(q, ":note", note ? note : "");
	rc = st_q_done(q, "ticking a checklist step", e);
	st_q_free(q);
	if (rc || (rc = st_history(st, account_id, "tick", text, NULL, note && *note ? note : "ticked",
	                           qpc_date_from_unix(st->now), e)))
		goto fail;
	return st_q_commit(st, e);
fail:
	st_q_rollback(st);
	return rc;
}

enum qpc_rc qpc_store_tick(struct qpc_store *st, int64_t account_id, int position,
                           const char *note, struct qpc_error *e)
{
	enum qpc_rc rc;
	ST_RETRIED(st, rc, store_tick_once(st, account_id, position, note, e));
	return rc;
}

static enum qpc_rc store_goal_set_once(struct qpc_store *st, int year, int64_t target,
                               struct qpc_error *e)
{
	if (year < 1900 || year > 9999)
		return qpc_error_set(e, QPC_ERR_USAGE, "a goal's year must be 1900 to 9999 (got %d)", year);
	if (target < 0 || target > 100000000)
		return qpc_error_set(e, QPC_ERR_USAGE,
		                     "a goal must be 0 to 100000000 partners (got %lld)", (long long)target);
	enum qpc_rc rc = st_q_begin(st, e);
	if (rc)
		return rc;
	char oldv[24] = "", newv[24], field[16];
	struct st_q *q;
	if ((rc = st_q_prepare(st, &q, "SELECT target FROM goal WHERE year = :year", e)))
		goto fail;
	st_q_set_int(q, ":year", year);
	int r = st_q_step(q);
	bool had = r == ST_ROW;
	if (had)
		snprintf(oldv, sizeof oldv, "%lld", (long long)st_q_int_at(q, 0));
	else if (r != ST_DONE)
		rc = st_q_fail(q, "reading a goal", e);
	st_q_free(q);
	if (rc || (rc = st_q_prepare(st, &q,
	                             "INSERT INTO goal(year, target) VALUES (:year, :target)"
	                             " ON CONFLICT (year) DO UPDATE SET target = excluded.target,"
	                             " version = goal.version + 1",
	                             e)))
		goto fail;
	st_q_set_int(q, ":year", year);
	st_q_set_int(q, ":target", target);
	snprintf(newv, sizeof newv, "%lld", (long long)target);
	snprintf(field, sizeof field, "%d", year);
	rc = st_q_done(q, "saving a goal", e);
	st_q_free(q);
	if (rc || (rc = st_history(st, 0, "goal", field, had ? oldv : NULL, newv,
	                           qpc_date_from_unix(st->now), e)))
		goto fail;
	return st_q_commit(st, e);
fail:
	st_q_rollback(st);
	return rc;
}

enum qpc_rc qpc_store_goal_set(struct qpc_store *st, int year, int64_t target,
                               struct qpc_error *e)
{
	enum qpc_rc rc;
	ST_RETRIED(st, rc, store_goal_set_once(st, year, target, e));
	return rc;
}

enum qpc_rc st_fact_removed(struct qpc_store *st, int64_t account_id, int64_t category_id,
                            qpc_date on, struct qpc_error *e)
{
	static const char mark[] = "UPDATE qpc_fact SET replaced = 1 WHERE account_id = ?1"
	                           " AND category_id = ?2 AND measured_on >= ?3 AND replaced = 0";
	static const char add[] = "INSERT INTO qpc_fact(account_id, category_id, measured_on,"
	                          " amount, measured_by) VALUES (?1, ?2, ?3, NULL, ?4)";
	sqlite3_stmt *s;
	enum qpc_rc rc = st_cached(st, &s, mark, e);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, account_id);
	sqlite3_bind_int64(s, 2, category_id);
	st_bind_date(s, 3, on);
	if ((rc = st_run(st, s, "removing a QPC line", e)) || (rc = st_cached(st, &s, add, e)))
		return rc;
	sqlite3_bind_int64(s, 1, account_id);
	sqlite3_bind_int64(s, 2, category_id);
	st_bind_date(s, 3, on);
	sqlite3_bind_text(s, 4, st->user, -1, SQLITE_TRANSIENT);
	return st_run(st, s, "removing a QPC line", e);
}
