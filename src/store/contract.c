/* contract.c — systems contracts, dated: signed, ended, their value. */
#include <stdio.h>
#include <string.h>

#include "internal.h"

static void money_text(const struct qpc_store *st, bool has, qpc_money v, char *buf, size_t n)
{
	if (has)
		qpc_money_format(v, st->minor_units, QPC_MONEY_PLAIN, buf, n);
	else
		snprintf(buf, n, "%s", "");
}

static void contract_text(const struct qpc_store *st, const struct qpc_contract_rec *c, char *buf,
                          size_t n)
{
	char s[QPC_DATE_ISO_LEN], x[QPC_DATE_ISO_LEN], v[40];
	money_text(st, c->has_value, c->value, v, sizeof v);
	snprintf(buf, n, "signed %s%s%s%s%s", qpc_date_format(c->signed_on, s),
	         c->has_end ? ", ends " : "", c->has_end ? qpc_date_format(c->ends_on, x) : "",
	         c->has_value ? ", value " : "", v);
}

/* The contract in force on `on`, if any. */
static enum qpc_rc in_force(struct qpc_store *st, int64_t account_id, qpc_date on, int64_t *id,
                            struct qpc_contract_rec *out, struct qpc_error *e)
{
	struct st_q *q;
	enum qpc_rc rc = st_q_cached(st, &q,
	                             "SELECT id, signed_on, ends_on, value FROM contract"
	                             " WHERE account_id = :account AND signed_on <= :on"
	                             " AND (ends_on IS NULL OR ends_on > :on)"
	                             " ORDER BY signed_on DESC, id DESC LIMIT 1",
	                             e);
	if (rc)
		return rc;
	st_q_set_int(q, ":account", account_id);
	st_q_set_date(q, ":on", on);
	*id = 0;
	memset(out, 0, sizeof *out);
	int r = st_q_step(q);
	if (r == ST_ROW) {
		*id = st_q_int_at(q, 0);
		st_q_date_at(q, 1, &out->signed_on);
		out->has_end = st_q_date_at(q, 2, &out->ends_on);
		out->has_value = !st_q_null_at(q, 3);
		out->value = st_q_int_at(q, 3);
	} else if (r != ST_DONE) {
		rc = st_q_fail(q, "reading contracts", e);
	}
	st_q_free(q);
	return rc;
}

/* The first contract signed after `on`: a new one must end by then. */
static enum qpc_rc next_signed(struct qpc_store *st, int64_t account_id, qpc_date on,
                               int64_t not_id, bool *has, qpc_date *next, struct qpc_error *e)
{
	struct st_q *q;
	enum qpc_rc rc = st_q_cached(st, &q,
	                             "SELECT min(signed_on) FROM contract WHERE account_id = :account"
	                             " AND signed_on > :on AND id <> :other",
	                             e);
	if (rc)
		return rc;
	st_q_set_int(q, ":account", account_id);
	st_q_set_date(q, ":on", on);
	st_q_set_int(q, ":other", not_id);
	*has = false;
	if (st_q_step(q) == ST_ROW)
		*has = st_q_date_at(q, 0, next);
	else
		rc = st_q_fail(q, "reading contracts", e);
	st_q_free(q);
	return rc;
}

static enum qpc_rc save(struct qpc_store *st, int64_t account_id, int64_t id,
                        const struct qpc_contract_rec *c, struct qpc_error *e)
{
	struct st_q *q;
	enum qpc_rc rc = st_q_cached(
		st, &q,
		id ? "UPDATE contract SET signed_on = :signed, ends_on = :ends, value = :value,"
		     " recorded_at = :at, recorded_by = :user, version = version + 1 WHERE id = :id"
		   : "INSERT INTO contract(account_id, signed_on, ends_on, value, recorded_at,"
		     " recorded_by) VALUES (:account, :signed, :ends, :value, :at, :user)",
		e);
	if (rc)
		return rc;
	char at[32];
	st_now_iso(st, at);
	st_q_set_int(q, ":account", account_id);
	st_q_set_date(q, ":signed", c->signed_on);
	if (c->has_end)
		st_q_set_date(q, ":ends", c->ends_on);
	else
		st_q_set_text(q, ":ends", NULL);
	if (c->has_value)
		st_q_set_int(q, ":value", c->value);
	else
		st_q_set_text(q, ":value", NULL);
	st_q_set_text(q, ":at", at);
	st_q_set_text(q, ":user", st->user);
	st_q_set_int(q, ":id", id);
	rc = st_q_done(q, "saving a contract", e);
	st_q_free(q);
	return rc ? rc : st_touch(st, account_id, e);
}

static enum qpc_rc contract_set(struct qpc_store *st, int64_t account_id,
                                const struct qpc_contract_rec *c, struct qpc_error *e);

enum qpc_rc st_contract_put(struct qpc_store *st, int64_t account_id,
                            const struct qpc_contract_rec *c, struct qpc_error *e)
{
	return contract_set(st, account_id, c, e);
}

static enum qpc_rc contract_set(struct qpc_store *st, int64_t account_id,
                                const struct qpc_contract_rec *c, struct qpc_error *e)
{
	if (c->has_end && c->ends_on <= c->signed_on)
		return qpc_error_set(e, QPC_ERR_USAGE,
		                     "a contract must end after the day it is signed");
	if (c->has_value && c->value < 0)
		return qpc_error_set(e, QPC_ERR_USAGE, "a contract's value cannot be negative");
	int64_t id;
	struct qpc_contract_rec old;
	enum qpc_rc rc = in_force(st, account_id, c->signed_on, &id, &old, e);
	if (rc)
		return rc;
	bool has_next;
	qpc_date next;
	if ((rc = next_signed(st, account_id, c->signed_on, id, &has_next, &next, e)))
		return rc;
	if (has_next && (!c->has_end || c->ends_on > next)) {
		char d[QPC_DATE_ISO_LEN];
		return qpc_error_set(e, QPC_ERR_USAGE,
		                     "another contract of this account is signed on %s: end this one "
		                     "by then (--ends)",
		                     qpc_date_format(next, d));
	}
	char was[96] = "", now[96];
	if (id)
		contract_text(st, &old, was, sizeof was);
	contract_text(st, c, now, sizeof now);
	if (id && strcmp(was, now) == 0)
		return QPC_OK;
	if ((rc = save(st, account_id, id, c, e)))
		return rc;
	return st_history(st, account_id, "contract", "contract", id ? was : NULL, now, c->signed_on,
	                  e);
}

static enum qpc_rc contract_set_once(struct qpc_store *st, int64_t account_id,
                                     const struct qpc_contract_rec *c, struct qpc_error *e)
{
	enum qpc_rc rc = st_q_begin(st, e);
	if (rc)
		return rc;
	if ((rc = contract_set(st, account_id, c, e))) {
		st_q_rollback(st);
		return rc;
	}
	return st_q_commit(st, e);
}

enum qpc_rc qpc_store_contract_set(struct qpc_store *st, int64_t account_id,
                                   const struct qpc_contract_rec *c, struct qpc_error *e)
{
	enum qpc_rc rc;
	ST_RETRIED(st, rc, contract_set_once(st, account_id, c, e));
	return rc;
}

static enum qpc_rc contract_end(struct qpc_store *st, int64_t account_id, qpc_date on,
                                bool quiet, struct qpc_error *e)
{
	int64_t id;
	struct qpc_contract_rec c;
	char d[QPC_DATE_ISO_LEN];
	enum qpc_rc rc = in_force(st, account_id, on - 1, &id, &c, e);
	if (rc)
		return rc;
	if (!id) {
		if (quiet)
			return QPC_OK;
		return qpc_error_set(e, QPC_ERR_NOTFOUND,
		                     "no contract of this account is in force on %s",
		                     qpc_date_format(on - 1, d));
	}
	if (c.signed_on >= on)
		return qpc_error_set(e, QPC_ERR_USAGE,
		                     "that contract is signed on %s: it cannot end before then",
		                     qpc_date_format(c.signed_on, d));
	char was[96], now[96];
	contract_text(st, &c, was, sizeof was);
	c.has_end = true;
	c.ends_on = on;
	contract_text(st, &c, now, sizeof now);
	if (strcmp(was, now) == 0) /* it ends that day already: nothing to record */
		return QPC_OK;
	if ((rc = save(st, account_id, id, &c, e)))
		return rc;
	return st_history(st, account_id, "contract", "contract", was, now, on, e);
}

static enum qpc_rc contract_end_once(struct qpc_store *st, int64_t account_id, qpc_date on,
                                     struct qpc_error *e)
{
	enum qpc_rc rc = st_q_begin(st, e);
	if (rc)
		return rc;
	if ((rc = contract_end(st, account_id, on, false, e))) {
		st_q_rollback(st);
		return rc;
	}
	return st_q_commit(st, e);
}

enum qpc_rc qpc_store_contract_end(struct qpc_store *st, int64_t account_id, qpc_date on,
                                   struct qpc_error *e)
{
	enum qpc_rc rc;
	ST_RETRIED(st, rc, contract_end_once(st, account_id, on, e));
	return rc;
}

enum qpc_rc st_contract_flag(struct qpc_store *st, int64_t account_id, bool bound,
                             bool has_value, qpc_money value, qpc_date on, struct qpc_error *e)
{
	int64_t id;
	struct qpc_contract_rec c;
	enum qpc_rc rc = in_force(st, account_id, on, &id, &c, e);
	if (rc)
		return rc;
	if (!bound)
		return id ? contract_end(st, account_id, on > c.signed_on ? on : c.signed_on + 1, true,
		                         e)
		          : QPC_OK;
	if (id) { /* in force: only its value may have changed */
		if (!has_value || (c.has_value && c.value == value))
			return QPC_OK;
		c.has_value = true;
		c.value = value;
		return contract_set(st, account_id, &c, e);
	}
	struct qpc_contract_rec n = { .signed_on = on, .has_value = has_value, .value = value };
	bool has_next;
	qpc_date next;
	if ((rc = next_signed(st, account_id, on, 0, &has_next, &next, e)))
		return rc;
	if (has_next) {
		n.has_end = true;
		n.ends_on = next;
	}
	return contract_set(st, account_id, &n, e);
}

enum qpc_rc qpc_store_contract_each(struct qpc_store *st, int64_t account_id,
                                    qpc_contract_fn fn, void *ctx, struct qpc_error *e)
{
	/* One account's along its index; everyone's sorted by name (a plan
	 * for both would walk a million accounts by name for one). */
#define CONTRACT_COLUMNS                                                                       \
	"SELECT c.id, c.account_id, coalesce(a.external_id, ''), a.name, c.signed_on, c.ends_on," \
	" c.value, c.recorded_at, c.recorded_by FROM contract c"                                  \
	" JOIN main.account a ON a.id = c.account_id"
	static const char one_sql[] =
		CONTRACT_COLUMNS " WHERE c.account_id = :account ORDER BY c.signed_on";
	static const char all_sql[] = CONTRACT_COLUMNS " ORDER BY a.name_key, c.account_id, c.signed_on";
#undef CONTRACT_COLUMNS
	struct st_q *q;
	enum qpc_rc rc = st_q_prepare(st, &q, account_id ? one_sql : all_sql, e);
	if (rc)
		return rc;
	st_q_set_int(q, ":account", account_id);
	int r;
	while ((r = st_q_step(q)) == ST_ROW) {
		struct qpc_contract_row row = { 0 };
		row.id = st_q_int_at(q, 0);
		row.account_id = st_q_int_at(q, 1);
		row.external_id = st_q_text_at(q, 2);
		row.name = st_q_text_at(q, 3);
		st_q_date_at(q, 4, &row.c.signed_on);
		row.c.has_end = st_q_date_at(q, 5, &row.c.ends_on);
		row.c.has_value = !st_q_null_at(q, 6);
		row.c.value = st_q_int_at(q, 6);
		row.recorded_at = st_q_text_at(q, 7);
		row.recorded_by = st_q_text_at(q, 8);
		if (fn(&row, ctx)) {
			st_q_free(q);
			return qpc_error_set(e, QPC_ERR_IO, "stopped while writing contracts");
		}
	}
	if (r != ST_DONE)
		rc = st_q_fail(q, "reading contracts", e);
	st_q_free(q);
	return rc;
}
