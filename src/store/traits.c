/* traits.c — what a partner is for us: traits, their ratings (dated
 * facts: a new rating is a new row, the one in force at a date the latest
 * up to it), and partners against the other customers on each. */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "qpc/traits.h"

/* A trait's name: not empty, not too long, one line. */
static enum qpc_rc name_ok(const char *name, struct qpc_error *e)
{
	size_t n = name ? strlen(name) : 0;
	if (n == 0)
		return qpc_error_set(e, QPC_ERR_USAGE, "a trait needs a name");
	if (n >= QPC_TRAIT_NAME)
		return qpc_error_set(e, QPC_ERR_USAGE, "a trait's name is at most %d bytes",
		                     QPC_TRAIT_NAME - 1);
	for (const char *p = name; *p; p++)
		if ((unsigned char)*p < 0x20)
			return qpc_error_set(e, QPC_ERR_USAGE, "a trait's name is one line of text");
	return QPC_OK;
}

/* The trait called name (case aside, as the table's NOCASE and the
 * server's lower(name) index have it): its id and scale;
 * QPC_ERR_NOTFOUND.  On both backends. */
static enum qpc_rc find(struct qpc_store *st, const char *name, struct qpc_trait *t,
                        struct qpc_error *e)
{
	struct st_q *q;
	enum qpc_rc rc = st_q_prepare(st, &q,
	                              "SELECT id, name, scale_min, scale_max, retired FROM trait"
	                              " WHERE lower(name) = lower(:name)",
	                              e);
	if (rc)
		return rc;
	st_q_set_text(q, ":name", name);
	int r = st_q_step(q);
	if (r == ST_ROW) {
		memset(t, 0, sizeof *t);
		t->id = st_q_int_at(q, 0);
		snprintf(t->name, sizeof t->name, "%s", st_q_text_at(q, 1));
		t->scale_min = (int)st_q_int_at(q, 2);
		t->scale_max = (int)st_q_int_at(q, 3);
		t->retired = st_q_int_at(q, 4) != 0;
	} else if (r == ST_DONE) {
		rc = qpc_error_set(e, QPC_ERR_NOTFOUND, "no trait '%s' (qpc trait list shows them)",
		                   name);
	} else {
		rc = st_q_fail(q, "finding a trait", e);
	}
	st_q_free(q);
	return rc;
}

enum qpc_rc qpc_store_trait_each(struct qpc_store *st, qpc_trait_fn fn, void *ctx,
                                 struct qpc_error *e)
{
	struct st_q *q;
	enum qpc_rc rc = st_q_prepare(st, &q,
	                              "SELECT t.id, t.name, t.scale_min, t.scale_max, t.retired,"
	                              " (SELECT count(*) FROM trait_rating r WHERE r.trait_id = t.id)"
	                              " FROM trait t ORDER BY t.retired, t.name COLLATE QPC_NAME",
	                              e);
	if (rc)
		return rc;
	int r;
	while ((r = st_q_step(q)) == ST_ROW) {
		struct qpc_trait t = { .id = st_q_int_at(q, 0),
			               .scale_min = (int)st_q_int_at(q, 2),
			               .scale_max = (int)st_q_int_at(q, 3),
			               .retired = st_q_int_at(q, 4) != 0,
			               .ratings = st_q_int_at(q, 5) };
		snprintf(t.name, sizeof t.name, "%s", st_q_text_at(q, 1));
		if (fn(&t, ctx) != 0) {
			r = ST_DONE;
			break;
		}
	}
	if (r != ST_DONE)
		rc = st_q_fail(q, "reading the traits", e);
	st_q_free(q);
	return rc;
}

/* Runs q, prepared and bound, in the transaction the caller began, with
 * its history line, and ends the transaction; a name taken already
 * (`taken`) is said so.  Frees q. */
static enum qpc_rc apply(struct qpc_store *st, struct st_q *q, const char *taken,
                         const char *field, const char *was, const char *now,
                         struct qpc_error *e)
{
	enum qpc_rc rc = QPC_OK;
	int r = st_q_step(q);
	if (r == ST_CONSTRAINT)
		rc = qpc_error_set(e, QPC_ERR_DATA, "there is a trait '%s' already", taken);
	else if (r != ST_DONE)
		rc = st_q_fail(q, "changing the traits", e);
	else
		rc = st_history(st, 0, "trait", field, was, now, qpc_date_from_unix(st->now), e);
	st_q_free(q);
	if (rc) {
		st_q_rollback(st);
		return rc;
	}
	return st_q_commit(st, e);
}

static enum qpc_rc store_trait_add_once(struct qpc_store *st, const char *name, int scale_min,
                                int scale_max, struct qpc_error *e)
{
	enum qpc_rc rc = name_ok(name, e);
	if (rc)
		return rc;
	if (scale_min < 0 || scale_max > 100 || scale_min >= scale_max)
		return qpc_error_set(e, QPC_ERR_USAGE,
		                     "a trait's scale goes up from 0 or more to 100 or less (got %d-%d)",
		                     scale_min, scale_max);
	struct st_q *q;
	if ((rc = st_q_begin(st, e)))
		return rc;
	if ((rc = st_q_prepare(st, &q,
	                       "INSERT INTO trait(name, scale_min, scale_max)"
	                       " VALUES (:name, :min, :max)",
	                       e))) {
		st_q_rollback(st);
		return rc;
	}
	st_q_set_text(q, ":name", name);
	st_q_set_int(q, ":min", scale_min);
	st_q_set_int(q, ":max", scale_max);
	char scale[32];
	snprintf(scale, sizeof scale, "%d-%d", scale_min, scale_max);
	return apply(st, q, name, name, NULL, scale, e);
}

enum qpc_rc qpc_store_trait_add(struct qpc_store *st, const char *name, int scale_min,
                                int scale_max, struct qpc_error *e)
{
	enum qpc_rc rc;
	ST_RETRIED(st, rc, store_trait_add_once(st, name, scale_min, scale_max, e));
	return rc;
}

static enum qpc_rc store_trait_rename_once(struct qpc_store *st, const char *name, const char *to,
                                   struct qpc_error *e)
{
	struct qpc_trait t = { 0 };
	struct st_q *q;
	enum qpc_rc rc = name_ok(to, e);
	if (rc || (rc = st_q_begin(st, e)))
		return rc;
	/* read in the change's own transaction: the name it replaces is the
	 * one it saw */
	if ((rc = find(st, name, &t, e)) ||
	    (rc = st_q_prepare(st, &q, "UPDATE trait SET name = :name WHERE id = :id", e))) {
		st_q_rollback(st);
		return rc;
	}
	st_q_set_int(q, ":id", t.id);
	st_q_set_text(q, ":name", to);
	return apply(st, q, to, "name", t.name, to, e);
}

enum qpc_rc qpc_store_trait_rename(struct qpc_store *st, const char *name, const char *to,
                                   struct qpc_error *e)
{
	enum qpc_rc rc;
	ST_RETRIED(st, rc, store_trait_rename_once(st, name, to, e));
	return rc;
}

static enum qpc_rc store_trait_retire_once(struct qpc_store *st, const char *name, struct qpc_error *e)
{
	struct qpc_trait t = { 0 };
	struct st_q *q;
	enum qpc_rc rc = st_q_begin(st, e);
	if (rc)
		return rc;
	if (!(rc = find(st, name, &t, e)) && t.retired)
		rc = qpc_error_set(e, QPC_ERR_DATA, "the trait '%s' is retired already", t.name);
	if (rc || (rc = st_q_prepare(st, &q, "UPDATE trait SET retired = 1 WHERE id = :id", e))) {
		st_q_rollback(st);
		return rc;
	}
	st_q_set_int(q, ":id", t.id);
	return apply(st, q, t.name, t.name, "active", "retired", e);
}

enum qpc_rc qpc_store_trait_retire(struct qpc_store *st, const char *name, struct qpc_error *e)
{
	enum qpc_rc rc;
	ST_RETRIED(st, rc, store_trait_retire_once(st, name, e));
	return rc;
}

static enum qpc_rc store_rate_once(struct qpc_store *st, int64_t account_id, const char *trait,
                                   int score, const char *note, qpc_date on,
                                   struct qpc_error *e)
{
	struct qpc_trait t = { 0 };
	enum qpc_rc rc = st_q_begin(st, e);
	if (rc)
		return rc;
	if ((rc = find(st, trait, &t, e)))
		goto fail;
	if (t.retired) {
		rc = qpc_error_set(e, QPC_ERR_DATA, "the trait '%s' is retired: rate on another", t.name);
		goto fail;
	}
	if (score < t.scale_min || score > t.scale_max) {
		rc = qpc_error_set(e, QPC_ERR_USAGE, "'%s' is scored from %d to %d, not %d", t.name,
		                   t.scale_min, t.scale_max, score);
		goto fail;
	}
	struct st_q *q;
	if ((rc = st_q_prepare(st, &q,
	                       "INSERT INTO trait_rating(account_id, trait_id, score, note, rated_on,"
	                       " rated_by) VALUES (:account, :trait, :score, :note, :on, :by)",
	                       e)))
		goto fail;
	char v[16], day[QPC_DATE_ISO_LEN];
	st_q_set_int(q, ":account", account_id);
	st_q_set_int(q, ":trait", t.id);
	st_q_set_int(q, ":score", score);
	st_q_set_text(q, ":note", note ? note : "");
	st_q_set_text(q, ":on", qpc_date_format(on, day));
	st_q_set_text(q, ":by", st->user);
	snprintf(v, sizeof v, "%d", score);
	rc = st_q_done(q, "rating an account", e);
	st_q_free(q);
	if (rc || (rc = st_history(st, account_id, "trait", t.name, NULL, v, on, e)))
		goto fail;
	return st_q_commit(st, e);
fail:
	st_q_rollback(st);
	return rc;
}

enum qpc_rc qpc_store_rate(struct qpc_store *st, int64_t account_id, const char *trait,
                           int score, const char *note, qpc_date on, struct qpc_error *e)
{
	if (note && strlen(note) > 1000)
		return qpc_error_set(e, QPC_ERR_USAGE, "a rating's note is at most 1000 bytes");
	enum qpc_rc rc;
	ST_RETRIED(st, rc, store_rate_once(st, account_id, trait, score, note, on, e));
	return rc;
}

static enum qpc_rc ratings(struct qpc_store *st, const char *sql, int64_t account_id,
                           qpc_date as_of, qpc_rating_fn fn, void *ctx, struct qpc_error *e)
{
	struct st_q *s;
	enum qpc_rc rc = st_q_prepare(st, &s, sql, e);
	if (rc)
		return rc;
	if (account_id > 0) {
		char day[QPC_DATE_ISO_LEN];
		st_q_int(s, 1, account_id);
		st_q_text(s, 2, qpc_date_format(as_of, day));
	}
	int r;
	while ((r = st_q_step(s)) == ST_ROW) {
		struct qpc_rating g = {
			.external_id = st_q_text_at(s, 0),
			.account = st_q_text_at(s, 1),
			.trait = st_q_text_at(s, 2),
			.score = (int)st_q_int_at(s, 3),
			.scale_min = (int)st_q_int_at(s, 4),
			.scale_max = (int)st_q_int_at(s, 5),
			.rated_by = st_q_text_at(s, 7),
			.note = st_q_text_at(s, 8),
		};
		st_q_date_at(s, 6, &g.rated_on);
		if (fn(&g, ctx) != 0) {
			r = ST_DONE;
			break;
		}
	}
	if (r != ST_DONE)
		rc = st_q_fail(s, "reading ratings", e);
	st_q_free(s);
	return rc;
}

#define RATING_COLUMNS                                                                         \
	"SELECT coalesce(a.external_id, ''), a.name, t.name, r.score, t.scale_min, t.scale_max,"   \
	" r.rated_on, r.rated_by, r.note FROM trait_rating r JOIN trait t ON t.id = r.trait_id"  \
	" JOIN main.account a ON a.id = r.account_id"

enum qpc_rc qpc_store_rating_each(struct qpc_store *st, qpc_rating_fn fn, void *ctx,
                                  struct qpc_error *e)
{
	return ratings(st,
	               RATING_COLUMNS " ORDER BY a.name_key, a.id, t.name COLLATE QPC_NAME,"
	                              " r.rated_on, r.id",
	               0, 0, fn, ctx, e);
}

enum qpc_rc qpc_store_account_ratings(struct qpc_store *st, int64_t account_id, qpc_date as_of,
                                      qpc_rating_fn fn, void *ctx, struct qpc_error *e)
{
	return ratings(st,
	               RATING_COLUMNS " WHERE r.account_id = ?1 AND t.retired = 0 AND r.id ="
	                              " (SELECT g.id FROM trait_rating g WHERE g.account_id = ?1"
	                              " AND g.trait_id = r.trait_id AND g.rated_on <= ?2"
	                              " ORDER BY g.rated_on DESC, g.id DESC LIMIT 1)"
	                              " ORDER BY t.name COLLATE QPC_NAME",
	               account_id, as_of, fn, ctx, e);
}

enum qpc_rc qpc_store_trait_compare(struct qpc_store *st, qpc_date as_of,
                                    struct qpc_trait_compare *out, int max, int *n,
                                    struct qpc_error *e)
{
	/* each account's rating in force, and its status then (status_span:
	 * 1 customer, 2 candidate, 3 partner); the averages divided here,
	 * the same double on a file and on a server */
	struct st_q *s;
	*n = 0;
	enum qpc_rc rc = st_q_prepare(
		st, &s,
		"WITH r AS (SELECT account_id, trait_id, score FROM (SELECT account_id, trait_id, score,"
		"  row_number() OVER (PARTITION BY account_id, trait_id"
		"   ORDER BY rated_on DESC, id DESC) AS k FROM trait_rating WHERE rated_on <= ?1) AS x"
		"  WHERE k = 1),"
		" s AS (SELECT r.trait_id, r.score, (SELECT p.status FROM status_span p"
		"  WHERE p.account_id = r.account_id AND p.since <= ?1 ORDER BY p.since DESC LIMIT 1)"
		"  AS status FROM r)"
		" SELECT t.name, t.scale_min, t.scale_max,"
		" count(s.score) FILTER (WHERE s.status = 3), sum(s.score) FILTER (WHERE s.status = 3),"
		" count(s.score) FILTER (WHERE s.status IN (1, 2)),"
		" sum(s.score) FILTER (WHERE s.status IN (1, 2))"
		" FROM trait t LEFT JOIN s ON s.trait_id = t.id WHERE t.retired = 0"
		" GROUP BY t.id ORDER BY t.name COLLATE QPC_NAME",
		e);
	if (rc)
		return rc;
	char day[QPC_DATE_ISO_LEN];
	st_q_text(s, 1, qpc_date_format(as_of, day));
	int r;
	while ((r = st_q_step(s)) == ST_ROW && *n < max) {
		struct qpc_trait_compare *c = &out[(*n)++];
		memset(c, 0, sizeof *c);
		st_q_copy_at(s, 0, c->name, sizeof c->name);
		c->scale_min = (int)st_q_int_at(s, 1);
		c->scale_max = (int)st_q_int_at(s, 2);
		c->partners.rated = st_q_int_at(s, 3);
		if (c->partners.rated)
			c->partners.average = (double)st_q_int_at(s, 4) / (double)c->partners.rated;
		c->customers.rated = st_q_int_at(s, 5);
		if (c->customers.rated)
			c->customers.average = (double)st_q_int_at(s, 6) / (double)c->customers.rated;
	}
	if (r != ST_DONE && r != ST_ROW)
		rc = st_q_fail(s, "comparing traits", e);
	st_q_free(s);
	return rc;
}

enum qpc_rc qpc_store_account_objective(struct qpc_store *st, int64_t account_id, qpc_date as_of,
                                        int64_t *categories, bool *has_first, qpc_date *first,
                                        struct qpc_error *e)
{
	struct st_q *s;
	char from[QPC_DATE_ISO_LEN], to[QPC_DATE_ISO_LEN];
	*categories = 0;
	*has_first = false;
	enum qpc_rc rc = st_q_prepare(st, &s,
	                              "SELECT (SELECT count(DISTINCT category_id) FROM sale"
	                              "  WHERE account_id = ?1 AND date > ?2 AND date <= ?3),"
	                              " (SELECT min(date) FROM sale WHERE account_id = ?1 AND date <= ?3)",
	                              e);
	if (rc)
		return rc;
	st_q_int(s, 1, account_id);
	st_q_text(s, 2, qpc_date_format(qpc_window_start(as_of), from));
	st_q_text(s, 3, qpc_date_format(as_of, to));
	if (st_q_step(s) == ST_ROW) {
		*categories = st_q_int_at(s, 0);
		*has_first = st_q_date_at(s, 1, first);
	} else {
		rc = st_q_fail(s, "reading an account's sales", e);
	}
	st_q_free(s);
	return rc;
}
