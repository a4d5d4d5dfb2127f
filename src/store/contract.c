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
	static const char sql[] =
		"SELECT id, signed_on, ends_on, value FROM contract WHERE account_id = ?1"
		" AND signed_on <= ?2 AND (ends_on IS NULL OR ends_on > ?2)"
		" ORDER BY signed_on DESC, id DESC LIMIT 1";
	sqlite3_stmt *s;
	enum qpc_rc rc = st_cached(st, &s, sql, e);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, account_id);
	st_bind_date(s, 2, on);
	*id = 0;
	memset(out, 0, sizeof *out);
	int r = sqlite3_step(s);
	if (r == SQLITE_ROW) {
		*id = sqlite3_column_int64(s, 0);
		st_column_date(s, 1, &out->signed_on);
		out->has_end = st_column_date(s, 2, &out->ends_on);
		out->has_value = sqlite3_column_type(s, 3) != SQLITE_NULL;
		out->value = sqlite3_column_int64(s, 3);
	} else if (r != SQLITE_DONE) {
		rc = st_fail(st, e, "reading contracts");
	}
	sqlite3_reset(s);
	return rc;
}

/* The first contract signed after `on`: a new one must end by then. */
static enum qpc_rc next_signed(struct qpc_store *st, int64_t account_id, qpc_date on,
                               int64_t not_id, bool *has, qpc_date *next, struct qpc_error *e)
{
	static const char sql[] = "SELECT min(signed_on) FROM contract WHERE account_id = ?1"
	                          " AND signed_on > ?2 AND id <> ?3";
	sqlite3_stmt *s;
	enum qpc_rc rc = st_cached(st, &s, sql, e);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, account_id);
	st_bind_date(s, 2, on);
	sqlite3_bind_int64(s, 3, not_id);
	*has = false;
	if (sqlite3_step(s) == SQLITE_ROW)
		*has = st_column_date(s, 0, next);
	else
		rc = st_fail(st, e, "reading contracts");
	sqlite3_reset(s);
	return rc;
}

static enum qpc_rc save(struct qpc_store *st, int64_t account_id, int64_t id,
                        const struct qpc_contract_rec *c, struct qpc_error *e)
{
	static const char add[] =
		"INSERT INTO contract(account_id, signed_on, ends_on, value, recorded_at, recorded_by)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
	static const char change[] =
		"UPDATE contract SET signed_on = ?2, ends_on = ?3, value = ?4, recorded_at = ?5,"
		" recorded_by = ?6, version = version + 1 WHERE id = ?7";
	sqlite3_stmt *s;
	enum qpc_rc rc = st_cached(st, &s, id ? change : add, e);
	if (rc)
		return rc;
	char at[32];
	st_now_iso(st, at);
	sqlite3_bind_int64(s, 1, account_id);
	st_bind_date(s, 2, c->signed_on);
	if (c->has_end)
		st_bind_date(s, 3, c->ends_on);
	else
		sqlite3_bind_null(s, 3);
	st_bind_opt_int(s, 4, c->has_value, c->value);
	sqlite3_bind_text(s, 5, at, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(s, 6, st->user, -1, SQLITE_TRANSIENT);
	if (id)
		sqlite3_bind_int64(s, 7, id);
	if ((rc = st_run(st, s, "saving a contract", e)))
		return rc;
	return st_touch(st, account_id, e);
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

enum qpc_rc qpc_store_contract_set(struct qpc_store *st, int64_t account_id,
                                   const struct qpc_contract_rec *c, struct qpc_error *e)
{
	enum qpc_rc rc = qpc_store_begin(st, e);
	if (rc)
		return rc;
	if ((rc = contract_set(st, account_id, c, e))) {
		qpc_store_rollback(st);
		return rc;
	}
	return qpc_store_commit(st, e);
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
	if ((rc = save(st, account_id, id, &c, e)))
		return rc;
	return st_history(st, account_id, "contract", "contract", was, now, on, e);
}

enum qpc_rc qpc_store_contract_end(struct qpc_store *st, int64_t account_id, qpc_date on,
                                   struct qpc_error *e)
{
	enum qpc_rc rc = qpc_store_begin(st, e);
	if (rc)
		return rc;
	if ((rc = contract_end(st, account_id, on, false, e))) {
		qpc_store_rollback(st);
		return rc;
	}
	return qpc_store_commit(st, e);
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
	"SELECT c.id, c.account_id, ifnull(a.external_id, ''), a.name, c.signed_on, c.ends_on,"   \
	" c.value, c.recorded_at, c.recorded_by FROM contract c"                                  \
	" JOIN main.account a ON a.id = c.account_id"
	static const char one_sql[] = CONTRACT_COLUMNS " WHERE c.account_id = ?1 ORDER BY c.signed_on";
	static const char all_sql[] = CONTRACT_COLUMNS " ORDER BY a.name_key, c.account_id, c.signed_on";
#undef CONTRACT_COLUMNS
	sqlite3_stmt *s;
	enum qpc_rc rc = st_prepare(st, &s, account_id ? one_sql : all_sql, e);
	if (rc)
		return rc;
	if (account_id)
		sqlite3_bind_int64(s, 1, account_id);
	int r;
	while ((r = sqlite3_step(s)) == SQLITE_ROW) {
		struct qpc_contract_row row = { 0 };
		row.id = sqlite3_column_int64(s, 0);
		row.account_id = sqlite3_column_int64(s, 1);
		row.external_id = (const char *)sqlite3_column_text(s, 2);
		row.name = (const char *)sqlite3_column_text(s, 3);
		st_column_date(s, 4, &row.c.signed_on);
		row.c.has_end = st_column_date(s, 5, &row.c.ends_on);
		row.c.has_value = sqlite3_column_type(s, 6) != SQLITE_NULL;
		row.c.value = sqlite3_column_int64(s, 6);
		row.recorded_at = (const char *)sqlite3_column_text(s, 7);
		row.recorded_by = (const char *)sqlite3_column_text(s, 8);
		if (fn(&row, ctx)) {
			sqlite3_finalize(s);
			return qpc_error_set(e, QPC_ERR_IO, "stopped while writing contracts");
		}
	}
	if (r != SQLITE_DONE)
		rc = st_fail(st, e, "reading contracts");
	sqlite3_finalize(s);
	return rc;
}
