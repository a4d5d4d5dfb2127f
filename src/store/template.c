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

static void copy(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

static enum qpc_rc load(struct qpc_store *st, int64_t id, struct qpc_template *t,
                        struct qpc_error *e)
{
	struct st_q *q;
	enum qpc_rc rc = st_q_prepare(st, &q,
	                              "SELECT name, is_default, (SELECT count(*) FROM candidate c"
	                              " WHERE c.template_id = t.id AND c.dropped_on IS NULL)"
	                              " FROM template t WHERE id = :id",
	                              e);
	if (rc)
		return rc;
	memset(t, 0, sizeof *t);
	t->id = id;
	st_q_set_int(q, ":id", id);
	int r = st_q_step(q);
	if (r == ST_ROW) {
		copy(t->name, sizeof t->name, st_q_text_at(q, 0));
		t->is_default = st_q_int_at(q, 1) != 0;
		t->candidates = st_q_int_at(q, 2);
	} else if (r != ST_DONE) {
		rc = st_q_fail(q, "reading the templates", e);
	}
	st_q_free(q);
	if (rc)
		return rc;
	if ((rc = st_q_prepare(st, &q,
	                       "SELECT position, text, retired, rule FROM template_step"
	                       " WHERE template_id = :id ORDER BY retired, position, id",
	                       e)))
		return rc;
	st_q_set_int(q, ":id", id);
	while ((r = st_q_step(q)) == ST_ROW && t->nsteps < (int)(sizeof t->steps / sizeof *t->steps)) {
		struct qpc_step *p = &t->steps[t->nsteps++];
		p->position = (int)st_q_int_at(q, 0);
		copy(p->text, sizeof p->text, st_q_text_at(q, 1));
		p->retired = st_q_int_at(q, 2) != 0;
		copy(p->rule, sizeof p->rule, st_q_text_at(q, 3));
	}
	if (r != ST_ROW && r != ST_DONE)
		rc = st_q_fail(q, "reading the templates", e);
	st_q_free(q);
	return rc;
}

enum qpc_rc qpc_template_each(struct qpc_store *st, qpc_template_fn fn, void *ctx,
                              struct qpc_error *e)
{
	struct st_q *q;
	enum qpc_rc rc = st_q_prepare(st, &q, "SELECT id FROM template ORDER BY name COLLATE QPC_NAME",
	                              e);
	if (rc)
		return rc;
	struct qpc_template *t = malloc(sizeof *t);
	if (!t) {
		st_q_free(q);
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	}
	int r;
	while ((r = st_q_step(q)) == ST_ROW) {
		if ((rc = load(st, st_q_int_at(q, 0), t, e)))
			break;
		if (fn(t, ctx) != 0) {
			rc = qpc_error_set(e, QPC_ERR_IO, "stopped while listing templates");
			break;
		}
	}
	if (!rc && r != ST_DONE)
		rc = st_q_fail(q, "reading the templates", e);
	free(t);
	st_q_free(q);
	return rc;
}

enum qpc_rc qpc_template_get(struct qpc_store *st, const char *name, struct qpc_template *out,
                             struct qpc_error *e)
{
	int64_t id;
	enum qpc_rc rc = qpc_store_template_find(st, name, &id, e);
	return rc ? rc : load(st, id, out, e);
}

/* One number a query gives of template :id (0 when there is no row). */
static enum qpc_rc count_of(struct qpc_store *st, const char *sql, int64_t id, int64_t *n,
                            struct qpc_error *e)
{
	return ST_INT(st, n, 0, "reading the templates", e, sql, id);
}

static enum qpc_rc live_steps(struct qpc_store *st, int64_t id, int *n, struct qpc_error *e)
{
	int64_t v;
	enum qpc_rc rc = count_of(st,
	                          "SELECT count(*) FROM template_step WHERE template_id = ?1"
	                          " AND retired = 0",
	                          id, &v, e);
	*n = (int)v;
	return rc;
}

/* Runs one change of template :id, with :n and :text where it has them. */
static enum qpc_rc run(struct qpc_store *st, const char *sql, int64_t id, int64_t n,
                       const char *text, struct qpc_error *e)
{
	struct st_q *q;
	enum qpc_rc rc = st_q_prepare(st, &q, sql, e);
	if (rc)
		return rc;
	st_q_set_int(q, ":id", id);
	st_q_set_int(q, ":n", n);
	st_q_set_text(q, ":text", text);
	rc = st_q_done(q, "changing a template", e);
	st_q_free(q);
	return rc;
}

/* Begins a change of template name: found, and its steps counted, in the
 * change's own transaction. */
static enum qpc_rc begin_on(struct qpc_store *st, const char *name, int64_t *id, int *n,
                            struct qpc_error *e)
{
	enum qpc_rc rc = st_q_begin(st, e);
	if (rc)
		return rc;
	if ((rc = qpc_store_template_find(st, name, id, e)) || (rc = live_steps(st, *id, n, e)))
		st_q_rollback(st);
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
		st_q_rollback(st);
		return rc;
	}
	return st_q_commit(st, e);
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
	struct st_q *q;
	enum qpc_rc rc = st_q_prepare(st, &q,
	                              "SELECT position, text FROM template_step"
	                              " WHERE template_id = :id AND retired = 0",
	                              e);
	if (rc)
		return rc;
	st_q_set_int(q, ":id", id);
	*pos = 0;
	int r = ST_DONE;
	while (!*pos && (r = st_q_step(q)) == ST_ROW)
		if (same_step(st_q_text_at(q, 1), text))
			*pos = (int)st_q_int_at(q, 0);
	if (!*pos && r != ST_DONE)
		rc = st_q_fail(q, "reading a template", e);
	st_q_free(q);
	return rc;
}

static enum qpc_rc template_rename_once(struct qpc_store *st, const char *name, const char *new_name,
                                struct qpc_error *e)
{
	int64_t id;
	int n;
	if (blank(new_name))
		return qpc_error_set(e, QPC_ERR_USAGE, "a template needs a name");
	enum qpc_rc rc = begin_on(st, name, &id, &n, e);
	if (rc)
		return rc;
	struct st_q *q;
	if (!(rc = st_q_prepare(st, &q, "UPDATE template SET name = :text WHERE id = :id", e))) {
		st_q_set_int(q, ":id", id);
		st_q_set_text(q, ":text", new_name);
		int r = st_q_step(q);
		if (r == ST_CONSTRAINT)
			rc = qpc_error_set(e, QPC_ERR_DATA, "there is already a template named '%s'",
			                   new_name);
		else if (r != ST_DONE)
			rc = st_q_fail(q, "renaming a template", e);
		st_q_free(q);
	}
	return finish(st, rc, name, "name", name, new_name, e);
}

enum qpc_rc qpc_template_rename(struct qpc_store *st, const char *name, const char *new_name,
                                struct qpc_error *e)
{
	enum qpc_rc rc;
	ST_RETRIED(st, rc, template_rename_once(st, name, new_name, e));
	return rc;
}

static enum qpc_rc template_set_default_once(struct qpc_store *st, const char *name, struct qpc_error *e)
{
	int64_t id;
	int n;
	enum qpc_rc rc = begin_on(st, name, &id, &n, e);
	if (!rc)
		rc = run(st, "UPDATE template SET is_default = CASE WHEN id = :id THEN 1 ELSE 0 END", id,
		         0, NULL, e);
	return finish(st, rc, name, "default", NULL, "yes", e);
}

enum qpc_rc qpc_template_set_default(struct qpc_store *st, const char *name, struct qpc_error *e)
{
	enum qpc_rc rc;
	ST_RETRIED(st, rc, template_set_default_once(st, name, e));
	return rc;
}

static enum qpc_rc template_delete_once(struct qpc_store *st, const char *name, char *new_default,
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
		rc = run(st, "DELETE FROM template WHERE id = :id", id, 0, NULL, e);
	if (!rc && dflt) {
		struct st_q *q;
		if (!(rc = st_q_prepare(st, &q,
		                        "UPDATE template SET is_default = 1 WHERE id ="
		                        " (SELECT min(id) FROM template) RETURNING name",
		                        e))) {
			int r = st_q_step(q);
			if (r == ST_ROW && size)
				snprintf(new_default, size, "%s", st_q_text_at(q, 0));
			if (r == ST_ROW)
				r = st_q_step(q);
			if (r != ST_DONE)
				rc = st_q_fail(q, "choosing the default template", e);
			st_q_free(q);
		}
	}
	return finish(st, rc, name, "name", name, NULL, e);
}

enum qpc_rc qpc_template_delete(struct qpc_store *st, const char *name, char *new_default,
                                size_t size, struct qpc_error *e)
{
	enum qpc_rc rc;
	ST_RETRIED(st, rc, template_delete_once(st, name, new_default, size, e));
	return rc;
}

static enum qpc_rc template_step_add_once(struct qpc_store *st, const char *name, const char *text,
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
		st_q_rollback(st);
		return rc;
	}
	if (position <= 0 || position > n + 1)
		position = n + 1;
	rc = run(st, "UPDATE template_step SET position = position + 1 WHERE template_id = :id"
	             " AND retired = 0 AND position >= :n",
	         id, position, NULL, e);
	if (!rc)
		rc = run(st, "INSERT INTO template_step(template_id, position, text)"
		             " VALUES (:id, :n, :text)",
		         id, position, text, e);
	return finish(st, rc, name, "step added", NULL, text, e);
}

enum qpc_rc qpc_template_step_add(struct qpc_store *st, const char *name, const char *text,
                                  int position, struct qpc_error *e)
{
	enum qpc_rc rc;
	ST_RETRIED(st, rc, template_step_add_once(st, name, text, position, e));
	return rc;
}

static enum qpc_rc step_text(struct qpc_store *st, int64_t id, int position, char *buf,
                             size_t n, struct qpc_error *e)
{
	struct st_q *q;
	enum qpc_rc rc = st_q_prepare(st, &q,
	                              "SELECT text FROM template_step WHERE template_id = :id"
	                              " AND position = :n AND retired = 0",
	                              e);
	if (rc)
		return rc;
	st_q_set_int(q, ":id", id);
	st_q_set_int(q, ":n", position);
	int r = st_q_step(q);
	if (r == ST_ROW)
		copy(buf, n, st_q_text_at(q, 0));
	else if (r == ST_DONE)
		rc = qpc_error_set(e, QPC_ERR_NOTFOUND, "the template has no step %d", position);
	else
		rc = st_q_fail(q, "reading the templates", e);
	st_q_free(q);
	return rc;
}

static enum qpc_rc template_step_retire_once(struct qpc_store *st, const char *name, int position,
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
		rc = run(st, "UPDATE template_step SET retired = 1, position = 0 WHERE template_id = :id"
		             " AND retired = 0 AND position = :n",
		         id, position, NULL, e);
	if (!rc)
		rc = run(st, "UPDATE template_step SET position = position - 1 WHERE template_id = :id"
		             " AND retired = 0 AND position > :n",
		         id, position, NULL, e);
	return finish(st, rc, name, "step retired", text, NULL, e);
}

enum qpc_rc qpc_template_step_retire(struct qpc_store *st, const char *name, int position,
                                     struct qpc_error *e)
{
	enum qpc_rc rc;
	ST_RETRIED(st, rc, template_step_retire_once(st, name, position, e));
	return rc;
}

static enum qpc_rc template_step_move_once(struct qpc_store *st, const char *name, int from, int to,
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
		rc = run(st, "UPDATE template_step SET position = -1 WHERE template_id = :id"
		             " AND retired = 0 AND position = :n",
		         id, from, NULL, e);
	if (!rc)
		rc = run(st, "UPDATE template_step SET position = position - 1 WHERE template_id = :id"
		             " AND retired = 0 AND position > :n",
		         id, from, NULL, e);
	if (!rc)
		rc = run(st, "UPDATE template_step SET position = position + 1 WHERE template_id = :id"
		             " AND retired = 0 AND position >= :n",
		         id, to, NULL, e);
	if (!rc)
		rc = run(st, "UPDATE template_step SET position = :n WHERE template_id = :id"
		             " AND retired = 0 AND position = -1",
		         id, to, NULL, e);
	snprintf(where, sizeof where, "%d -> %d", from, to);
	return finish(st, rc, name, "step moved", text, where, e);
}

enum qpc_rc qpc_template_step_move(struct qpc_store *st, const char *name, int from, int to,
                                   struct qpc_error *e)
{
	enum qpc_rc rc;
	ST_RETRIED(st, rc, template_step_move_once(st, name, from, to, e));
	return rc;
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
	                    " WHERE f.template_id = :n AND f.retired = 0"
	                    " AND f.position = template_step.position) WHERE template_id = :id",
	                id, c->from->id, NULL, e);
}

static enum qpc_rc template_copy_once(struct qpc_store *st, const char *from, const char *name,
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

enum qpc_rc qpc_template_copy(struct qpc_store *st, const char *from, const char *name,
                              struct qpc_error *e)
{
	enum qpc_rc rc;
	ST_RETRIED(st, rc, template_copy_once(st, from, name, e));
	return rc;
}

static enum qpc_rc template_step_rule_once(struct qpc_store *st, const char *name, int position,
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
	struct st_q *q;
	if (!rc && !(rc = st_q_prepare(st, &q,
	                               "SELECT rule FROM template_step WHERE template_id = :id"
	                               " AND retired = 0 AND position = :n",
	                               e))) {
		st_q_set_int(q, ":id", id);
		st_q_set_int(q, ":n", position);
		int stepped = st_q_step(q);
		if (stepped == ST_ROW)
			copy(old, sizeof old, st_q_text_at(q, 0));
		else if (stepped != ST_DONE)
			rc = st_q_fail(q, "reading the templates", e);
		st_q_free(q);
	}
	if (!rc && strcmp(old, canon) == 0) { /* no change, nothing to record */
		st_q_rollback(st);
		return QPC_OK;
	}
	if (!rc)
		rc = run(st, "UPDATE template_step SET rule = :text WHERE template_id = :id"
		             " AND retired = 0 AND position = :n",
		         id, position, canon, e);
	/* the step's text, a tab, the rule: history_text.c shows both */
	char was[sizeof text + QPC_RULE_TEXT + 2], now[sizeof was];
	snprintf(was, sizeof was, "%s\t%s", text, old);
	snprintf(now, sizeof now, "%s\t%s", text, canon);
	return finish(st, rc, name, "step rule", was, now, e);
}

enum qpc_rc qpc_template_step_rule(struct qpc_store *st, const char *name, int position,
                                   const char *rule, struct qpc_error *e)
{
	enum qpc_rc rc;
	ST_RETRIED(st, rc, template_step_rule_once(st, name, position, rule, e));
	return rc;
}
