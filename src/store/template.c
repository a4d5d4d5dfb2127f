/* template.c — checklist templates: rename, add, retire and move steps.
 *
 * Live steps are numbered 1..n by `position`; a retired step gets position
 * 0 and leaves every checklist, while its ticks stay in the tick table and
 * the history.  Steps are never deleted, so ticks are never lost.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"
#include "qpc/edit.h"

static void copy(char *dst, size_t n, const unsigned char *src)
{
	snprintf(dst, n, "%s", src ? (const char *)src : "");
}

static enum qpc_rc load(struct qpc_store *st, int64_t id, struct qpc_template *t,
                        struct qpc_error *e)
{
	sqlite3_stmt *s;
	enum qpc_rc rc = st_prepare(st, &s,
	                            "SELECT name, is_default, (SELECT count(*) FROM candidate c"
	                            " WHERE c.template_id = t.id AND c.dropped_on IS NULL)"
	                            " FROM template t WHERE id = ?1",
	                            e);
	if (rc)
		return rc;
	memset(t, 0, sizeof *t);
	t->id = id;
	sqlite3_bind_int64(s, 1, id);
	bool found;
	if (!(rc = st_row(st, s, &found, "reading the templates", e)) && found) {
		copy(t->name, sizeof t->name, sqlite3_column_text(s, 0));
		t->is_default = sqlite3_column_int(s, 1);
		t->candidates = sqlite3_column_int64(s, 2);
	}
	sqlite3_finalize(s);
	if (rc)
		return rc;
	if ((rc = st_prepare(st, &s,
	                     "SELECT position, text, retired, rule FROM template_step WHERE template_id = ?1"
	                     " ORDER BY retired, position, id",
	                     e)))
		return rc;
	sqlite3_bind_int64(s, 1, id);
	while (sqlite3_step(s) == SQLITE_ROW && t->nsteps < (int)(sizeof t->steps / sizeof *t->steps)) {
		struct qpc_step *p = &t->steps[t->nsteps++];
		p->position = sqlite3_column_int(s, 0);
		copy(p->text, sizeof p->text, sqlite3_column_text(s, 1));
		p->retired = sqlite3_column_int(s, 2);
		copy(p->rule, sizeof p->rule, sqlite3_column_text(s, 3));
	}
	sqlite3_finalize(s);
	return QPC_OK;
}

enum qpc_rc qpc_template_each(struct qpc_store *st, qpc_template_fn fn, void *ctx,
                              struct qpc_error *e)
{
	sqlite3_stmt *s;
	enum qpc_rc rc = st_prepare(st, &s, "SELECT id FROM template ORDER BY name COLLATE QPC_NAME", e);
	if (rc)
		return rc;
	struct qpc_template t;
	while (sqlite3_step(s) == SQLITE_ROW) {
		if ((rc = load(st, sqlite3_column_int64(s, 0), &t, e)))
			break;
		if (fn(&t, ctx) != 0) {
			rc = qpc_error_set(e, QPC_ERR_IO, "stopped while listing templates");
			break;
		}
	}
	sqlite3_finalize(s);
	return rc;
}

enum qpc_rc qpc_template_get(struct qpc_store *st, const char *name, struct qpc_template *out,
                             struct qpc_error *e)
{
	int64_t id;
	enum qpc_rc rc = qpc_store_template_find(st, name, &id, e);
	return rc ? rc : load(st, id, out, e);
}

static enum qpc_rc live_steps(struct qpc_store *st, int64_t id, int *n, struct qpc_error *e)
{
	int64_t v;
	enum qpc_rc rc = ST_INT(st, &v, 0, "reading the templates", e,
	                        "SELECT count(*) FROM template_step WHERE template_id = ?1"
	                        " AND retired = 0",
	                        id);
	*n = (int)v;
	return rc;
}

/* Runs one UPDATE/INSERT with up to three integer binds and a text. */
static enum qpc_rc run(struct qpc_store *st, const char *sql, int64_t a, int64_t b, int64_t c,
                       const char *text, struct qpc_error *e)
{
	sqlite3_stmt *s;
	enum qpc_rc rc = st_prepare(st, &s, sql, e);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, a);
	sqlite3_bind_int64(s, 2, b);
	sqlite3_bind_int64(s, 3, c);
	if (text)
		sqlite3_bind_text(s, 4, text, -1, SQLITE_TRANSIENT);
	return st_step_done(st, s, "changing a template", e);
}

static enum qpc_rc begin_on(struct qpc_store *st, const char *name, int64_t *id, int *n,
                            struct qpc_error *e)
{
	enum qpc_rc rc = qpc_store_template_find(st, name, id, e);
	if (rc || (rc = qpc_store_begin(st, e)))
		return rc;
	if ((rc = live_steps(st, *id, n, e)))
		qpc_store_rollback(st);
	return rc;
}

static enum qpc_rc finish(struct qpc_store *st, enum qpc_rc rc, const char *name,
                          const char *field, const char *old_value, const char *new_value,
                          struct qpc_error *e)
{
	char f[160];
	snprintf(f, sizeof f, "%s:%s", name, field);
	if (!rc)
		rc = st_history(st, 0, "template", f, old_value, new_value, qpc_date_from_unix(st->now), e);
	if (rc) {
		qpc_store_rollback(st);
		return rc;
	}
	return qpc_store_commit(st, e);
}

/* Nothing, or only spaces: no name a user could pick, no step to tick. */
static bool blank(const char *s)
{
	if (!s)
		return true;
	while (*s == ' ' || *s == '\t')
		s++;
	return !*s;
}

/* The same step to a reader: equal but for letter case and the spaces
 * around it. */
static bool same_step(const char *a, const char *b)
{
	while (*a == ' ')
		a++;
	while (*b == ' ')
		b++;
	size_t na = strlen(a), nb = strlen(b);
	while (na && a[na - 1] == ' ')
		na--;
	while (nb && b[nb - 1] == ' ')
		nb--;
	return na == nb && sqlite3_strnicmp(a, b, (int)na) == 0;
}

enum qpc_rc st_template_check_new(struct qpc_store *st, const char *name,
                                  const char *const *steps, int n, struct qpc_error *e)
{
	if (blank(name))
		return qpc_error_set(e, QPC_ERR_USAGE, "a template needs a name");
	for (int i = 0; i < n; i++) {
		if (blank(steps[i]))
			return qpc_error_set(e, QPC_ERR_USAGE, "step %d needs its text", i + 1);
		for (int j = 0; j < i; j++)
			if (same_step(steps[j], steps[i]))
				return qpc_error_set(e, QPC_ERR_USAGE,
				                     "steps %d and %d say the same ('%s'): a checklist "
				                     "asks for each thing once",
				                     j + 1, i + 1, steps[i]);
	}
	int64_t id;
	struct qpc_error ignored = { 0 };
	if (qpc_store_template_find(st, name, &id, &ignored) == QPC_OK)
		return qpc_error_set(e, QPC_ERR_USAGE, "there is already a template named '%s'", name);
	return QPC_OK;
}

/* A step the template already asks for, live: its number, else 0. */
static enum qpc_rc live_duplicate(struct qpc_store *st, int64_t id, const char *text, int *pos,
                                  struct qpc_error *e)
{
	sqlite3_stmt *s;
	enum qpc_rc rc = st_prepare(st, &s,
	                            "SELECT position, text FROM template_step WHERE template_id = ?1"
	                            " AND retired = 0",
	                            e);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, id);
	*pos = 0;
	int r;
	while (!*pos && (r = sqlite3_step(s)) == SQLITE_ROW)
		if (same_step((const char *)sqlite3_column_text(s, 1), text))
			*pos = sqlite3_column_int(s, 0);
	if (!*pos && r != SQLITE_DONE)
		rc = st_fail(st, e, "reading a template");
	sqlite3_finalize(s);
	return rc;
}

enum qpc_rc qpc_template_rename(struct qpc_store *st, const char *name, const char *new_name,
                                struct qpc_error *e)
{
	int64_t id;
	int n;
	if (blank(new_name))
		return qpc_error_set(e, QPC_ERR_USAGE, "a template needs a name");
	enum qpc_rc rc = begin_on(st, name, &id, &n, e);
	if (rc)
		return rc;
	sqlite3_stmt *s;
	if (!(rc = st_prepare(st, &s, "UPDATE template SET name = ?2 WHERE id = ?1", e))) {
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_text(s, 2, new_name, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(s) != SQLITE_DONE)
			rc = qpc_error_set(e, QPC_ERR_DATA, "there is already a template named '%s'",
			                   new_name);
		sqlite3_finalize(s);
	}
	return finish(st, rc, name, "name", name, new_name, e);
}

enum qpc_rc qpc_template_set_default(struct qpc_store *st, const char *name, struct qpc_error *e)
{
	int64_t id;
	int n;
	enum qpc_rc rc = begin_on(st, name, &id, &n, e);
	if (!rc)
		rc = run(st, "UPDATE template SET is_default = (id = ?1)", id, 0, 0, NULL, e);
	return finish(st, rc, name, "default", NULL, "yes", e);
}

/* One number a query gives, of template id. */
static enum qpc_rc count_of(struct qpc_store *st, const char *sql, int64_t id, int64_t *n,
                            struct qpc_error *e)
{
	return ST_INT(st, n, 0, "reading the templates", e, sql, id);
}

enum qpc_rc qpc_template_delete(struct qpc_store *st, const char *name, char *new_default,
                                size_t size, struct qpc_error *e)
{
	int64_t id, used = 0, others = 0, dflt = 0;
	int n;
	if (size)
		new_default[0] = '\0';
	enum qpc_rc rc = begin_on(st, name, &id, &n, e);
	if (rc)
		return rc;
	if (!(rc = count_of(st, "SELECT count(*) FROM candidate WHERE template_id = ?1", id, &used,
	                    e)) &&
	    !(rc = count_of(st, "SELECT count(*) FROM template WHERE id <> ?1", id, &others, e)) &&
	    !(rc = count_of(st, "SELECT is_default FROM template WHERE id = ?1", id, &dflt, e))) {
		if (used > 0)
			rc = qpc_error_set(e, QPC_ERR_DATA,
			                   "'%s' stays: %lld candidac%s, past or present, follow%s its"
			                   " steps",
			                   name, (long long)used, used == 1 ? "y" : "ies", used == 1 ? "s" : "");
		else if (others == 0)
			rc = qpc_error_set(e, QPC_ERR_DATA,
			                   "'%s' is the only template: a candidate needs one", name);
	}
	if (!rc)
		rc = run(st, "DELETE FROM template WHERE id = ?1", id, 0, 0, NULL, e);
	if (!rc && dflt) {
		sqlite3_stmt *s;
		if (!(rc = st_prepare(st, &s,
		                      "UPDATE template SET is_default = 1 WHERE id ="
		                      " (SELECT min(id) FROM template) RETURNING name",
		                      e))) {
			if (sqlite3_step(s) == SQLITE_ROW && size)
				snprintf(new_default, size, "%s", (const char *)sqlite3_column_text(s, 0));
			if (sqlite3_step(s) != SQLITE_DONE)
				rc = st_fail(st, e, "choosing the default template");
			sqlite3_finalize(s);
		}
	}
	return finish(st, rc, name, "name", name, NULL, e);
}

enum qpc_rc qpc_template_step_add(struct qpc_store *st, const char *name, const char *text,
                                  int position, struct qpc_error *e)
{
	int64_t id;
	int n;
	if (blank(text))
		return qpc_error_set(e, QPC_ERR_USAGE, "a step needs its text");
	enum qpc_rc rc = begin_on(st, name, &id, &n, e);
	if (rc)
		return rc;
	int dup = 0;
	if (!(rc = live_duplicate(st, id, text, &dup, e)) && dup)
		rc = qpc_error_set(e, QPC_ERR_USAGE,
		                   "step %d already says that ('%s'): a checklist asks for each "
		                   "thing once",
		                   dup, text);
	if (rc) {
		qpc_store_rollback(st);
		return rc;
	}
	if (position <= 0 || position > n + 1)
		position = n + 1;
	rc = run(st, "UPDATE template_step SET position = position + 1 WHERE template_id = ?1"
	             " AND retired = 0 AND position >= ?2",
	         id, position, 0, NULL, e);
	if (!rc)
		rc = run(st, "INSERT INTO template_step(template_id, position, text) VALUES (?1, ?2, ?4)",
		         id, position, 0, text, e);
	return finish(st, rc, name, "step added", NULL, text, e);
}

static enum qpc_rc step_text(struct qpc_store *st, int64_t id, int position, char *buf,
                             size_t n, struct qpc_error *e)
{
	sqlite3_stmt *s;
	enum qpc_rc rc = st_prepare(st, &s,
	                            "SELECT text FROM template_step WHERE template_id = ?1"
	                            " AND position = ?2 AND retired = 0",
	                            e);
	if (rc)
		return rc;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, position);
	bool found;
	if (!(rc = st_row(st, s, &found, "reading the templates", e)) && found)
		copy(buf, n, sqlite3_column_text(s, 0));
	else if (!rc)
		rc = qpc_error_set(e, QPC_ERR_NOTFOUND, "the template has no step %d", position);
	sqlite3_finalize(s);
	return rc;
}

enum qpc_rc qpc_template_step_retire(struct qpc_store *st, const char *name, int position,
                                     struct qpc_error *e)
{
	int64_t id;
	int n;
	char text[200];
	enum qpc_rc rc = begin_on(st, name, &id, &n, e);
	if (rc)
		return rc;
	rc = step_text(st, id, position, text, sizeof text, e);
	if (!rc)
		rc = run(st, "UPDATE template_step SET retired = 1, position = 0 WHERE template_id = ?1"
		             " AND retired = 0 AND position = ?2",
		         id, position, 0, NULL, e);
	if (!rc)
		rc = run(st, "UPDATE template_step SET position = position - 1 WHERE template_id = ?1"
		             " AND retired = 0 AND position > ?2",
		         id, position, 0, NULL, e);
	return finish(st, rc, name, "step retired", text, NULL, e);
}

enum qpc_rc qpc_template_step_move(struct qpc_store *st, const char *name, int from, int to,
                                   struct qpc_error *e)
{
	int64_t id;
	int n;
	char text[200], where[16];
	enum qpc_rc rc = begin_on(st, name, &id, &n, e);
	if (rc)
		return rc;
	if (!(rc = step_text(st, id, from, text, sizeof text, e)) && (to < 1 || to > n))
		rc = qpc_error_set(e, QPC_ERR_USAGE, "a step can move to 1 to %d, not %d", n, to);
	/* park the step at 0, close the gap, open one at `to`, land */
	if (!rc)
		rc = run(st, "UPDATE template_step SET position = -1 WHERE template_id = ?1"
		             " AND retired = 0 AND position = ?2",
		         id, from, 0, NULL, e);
	if (!rc)
		rc = run(st, "UPDATE template_step SET position = position - 1 WHERE template_id = ?1"
		             " AND retired = 0 AND position > ?2",
		         id, from, 0, NULL, e);
	if (!rc)
		rc = run(st, "UPDATE template_step SET position = position + 1 WHERE template_id = ?1"
		             " AND retired = 0 AND position >= ?2",
		         id, to, 0, NULL, e);
	if (!rc)
		rc = run(st, "UPDATE template_step SET position = ?2 WHERE template_id = ?1"
		             " AND retired = 0 AND position = -1",
		         id, to, 0, NULL, e);
	snprintf(where, sizeof where, "%d -> %d", from, to);
	return finish(st, rc, name, "step moved", text, where, e);
}

struct copy {
	const struct qpc_template *from;
	const char *name;
};

static enum qpc_rc copy_in(struct qpc_store *st, void *ctx, struct qpc_error *e)
{
	const struct copy *c = ctx;
	const char *steps[sizeof c->from->steps / sizeof *c->from->steps];
	int n = 0;
	int64_t id;
	for (int i = 0; i < c->from->nsteps; i++)
		if (!c->from->steps[i].retired)
			steps[n++] = c->from->steps[i].text;
	enum qpc_rc rc = qpc_store_template_create(st, c->name, steps, n, &id, e);
	/* the rules as they are, read or not: they are the template's */
	return rc ? rc
	          : run(st, "UPDATE template_step SET rule = (SELECT f.rule FROM template_step f"
	                    " WHERE f.template_id = ?2 AND f.retired = 0"
	                    " AND f.position = template_step.position) WHERE template_id = ?1",
	                id, c->from->id, 0, NULL, e);
}

enum qpc_rc qpc_template_copy(struct qpc_store *st, const char *from, const char *name,
                              struct qpc_error *e)
{
	struct qpc_template *t = malloc(sizeof *t);
	if (!t)
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	enum qpc_rc rc = qpc_template_get(st, from, t, e);
	if (!rc)
		rc = st_tx(st, copy_in, &(struct copy){ t, name }, e);
	free(t);
	return rc;
}

enum qpc_rc qpc_template_step_rule(struct qpc_store *st, const char *name, int position,
                                   const char *rule, struct qpc_error *e)
{
	struct qpc_rule r;
	char why[200], canon[QPC_RULE_TEXT] = "", old[QPC_RULE_TEXT] = "", text[200];
	if (!blank(rule) && strcasecmp(rule, "none") != 0) {
		if (!qpc_rule_parse(rule, st->minor_units, &r, why, sizeof why))
			return qpc_error_set(e, QPC_ERR_USAGE, "%s", why);
		qpc_rule_format(&r, st->minor_units, canon, sizeof canon);
	}
	int64_t id;
	int n;
	enum qpc_rc rc = begin_on(st, name, &id, &n, e);
	if (rc)
		return rc;
	rc = step_text(st, id, position, text, sizeof text, e);
	sqlite3_stmt *s;
	if (!rc && !(rc = st_prepare(st, &s,
	                             "SELECT rule FROM template_step WHERE template_id = ?1"
	                             " AND retired = 0 AND position = ?2",
	                             e))) {
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_int(s, 2, position);
		bool found;
		if (!(rc = st_row(st, s, &found, "reading the templates", e)) && found)
			copy(old, sizeof old, sqlite3_column_text(s, 0));
		sqlite3_finalize(s);
	}
	if (!rc && strcmp(old, canon) == 0) { /* no change, nothing to record */
		qpc_store_rollback(st);
		return QPC_OK;
	}
	if (!rc)
		rc = run(st, "UPDATE template_step SET rule = ?4 WHERE template_id = ?1"
		             " AND retired = 0 AND position = ?2",
		         id, position, 0, canon, e);
	/* the step's text, a tab, the rule: history_text.c shows both */
	char was[sizeof text + QPC_RULE_TEXT + 2], now[sizeof was];
	snprintf(was, sizeof was, "%s\t%s", text, old);
	snprintf(now, sizeof now, "%s\t%s", text, canon);
	return finish(st, rc, name, "step rule", was, now, e);
}
