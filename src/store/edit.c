/* edit.c — QPC sheets with version checks, candidacies and ticks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"
#include "qpc/edit.h"
#include "qpc/history_text.h"

/* The history's last line as the sheet is read: what others change
 * after it is told when they conflict.  (On a server a change that took
 * its id before and commits after goes untold; the versions still catch
 * the conflict.) */
static enum qpc_rc history_mark(struct qpc_store *st, int64_t *mark, struct qpc_error *e)
{
	struct st_q *s;
	enum qpc_rc rc = st_q_prepare(st, &s, "SELECT coalesce(max(id), 0) FROM history", e);
	if (rc)
		return rc;
	/* a read that fails (on a server, one the server gives up for a
	 * concurrent change, to be run again) fails the change */
	if (st_q_step(s) == ST_ROW)
		*mark = st_q_int_at(s, 0);
	else
		rc = st_q_fail(s, "reading the history", e);
	st_q_free(s);
	return rc;
}

enum qpc_rc qpc_edit_load(struct qpc_store *st, int64_t account_id, struct qpc_qpc_sheet *out,
                          struct qpc_error *e)
{
	memset(out, 0, sizeof *out);
	out->account_id = account_id;
	struct st_q *s;
	enum qpc_rc rc = st_q_prepare(st, &s, "SELECT version, rep_share_bp FROM account WHERE id = ?1",
	                              e);
	if (rc)
		return rc;
	st_q_int(s, 1, account_id);
	int r = st_q_step(s);
	if (r == ST_ROW) {
		out->account_version = st_q_int_at(s, 0);
		out->has_rep_share = !st_q_null_at(s, 1);
		out->rep_share_bp = (int32_t)st_q_int_at(s, 1);
	} else {
		rc = r == ST_DONE ? qpc_error_set(e, QPC_ERR_NOTFOUND, "that account no longer exists")
		                  : st_q_fail(s, "reading the account", e);
	}
	st_q_free(s);
	if (rc || (rc = history_mark(st, &out->history_mark, e)) ||
	    (rc = st_q_prepare(st, &s,
	                       "SELECT p.category_id, c.name, p.amount, p.basis, p.verified,"
	                       " p.measured_on, p.measured_by, p.inputs, p.version FROM potential p"
	                       " JOIN category c ON c.id = p.category_id WHERE p.account_id = ?1"
	                       " ORDER BY c.name COLLATE QPC_NAME",
	                       e)))
		return rc;
	st_q_int(s, 1, account_id);
	while ((r = st_q_step(s)) == ST_ROW) {
		if (out->nlines == (int)(sizeof out->lines / sizeof *out->lines)) {
			st_q_free(s);
			return qpc_error_set(e, QPC_ERR_DATA, "the account has more than %d QPC lines",
			                     out->nlines);
		}
		struct qpc_line *l = &out->lines[out->nlines++];
		l->category_id = st_q_int_at(s, 0);
		st_q_copy_at(s, 1, l->category, sizeof l->category);
		l->amount = st_q_int_at(s, 2);
		st_q_copy_at(s, 3, l->basis, sizeof l->basis);
		l->verified = st_q_int_at(s, 4) != 0;
		st_q_date_at(s, 5, &l->measured_on);
		st_q_copy_at(s, 6, l->measured_by, sizeof l->measured_by);
		st_q_copy_at(s, 7, l->inputs, sizeof l->inputs);
		l->version = st_q_int_at(s, 8);
	}
	rc = r == ST_DONE ? QPC_OK : st_q_fail(s, "reading QPC lines", e);
	st_q_free(s);
	return rc;
}

static const struct qpc_line *find_line(const struct qpc_qpc_sheet *sh, const char *category);

/* Whether a change the history records (entity, field) touches what the
 * editor changes from before to after: a QPC line it edits, adds or
 * removes, or the rep's estimate when it sets that. */
static bool ours(const struct qpc_qpc_sheet *before, const struct qpc_qpc_sheet *after,
                 const char *entity, const char *field)
{
	if (strcmp(field, "rep_share_estimate_bp") == 0)
		return before->has_rep_share != after->has_rep_share ||
		       (after->has_rep_share && before->rep_share_bp != after->rep_share_bp);
	const char *colon = strchr(field, ':');
	if (strcmp(entity, "potential") != 0 || !colon)
		return false;
	const struct qpc_line *b = find_line(before, colon + 1), *a = find_line(after, colon + 1);
	if (!a || !b)
		return !a != !b;
	return a->amount != b->amount || a->verified != b->verified ||
	       a->measured_on != b->measured_on || strcmp(a->basis, b->basis) != 0;
}

/* "who changed what" since the sheet was read, in words ("bob at 09:00,
 * QPC in Packaging: 5,000.00 -> 9,000.00; ..."), into list: every change to
 * the account but status changes (after NULL), or only those to what the
 * editor does not change (after given).  Returns how many there were. */
static int since(struct qpc_store *st, const struct qpc_qpc_sheet *before,
                 const struct qpc_qpc_sheet *after, bool ascii, char *list, size_t n)
{
	size_t used = 0;
	int count = 0, told = 0;
	char last[400] = ""; /* who, when and what the last one told was */
	struct st_q *s;
	*list = '\0';
	if (st_q_prepare(st, &s,
	                 "SELECT \"user\", substr(at, 12, 5), entity, field, old, new FROM history"
	                 " WHERE account_id = ?1 AND id > ?2 AND field <> 'status' ORDER BY id",
	                 NULL) != QPC_OK)
		return 0;
	st_q_int(s, 1, before->account_id);
	st_q_int(s, 2, before->history_mark);
	while (st_q_step(s) == ST_ROW) {
		const char *entity = st_q_text_at(s, 2), *field = st_q_text_at(s, 3);
		if (after && ours(before, after, entity ? entity : "", field ? field : ""))
			continue;
		struct qpc_history_text t;
		qpc_history_text(entity, field, st_q_text_at(s, 4), st_q_text_at(s, 5), st->minor_units,
		                 ascii, &t);
		count++;
		/* one save's changes to one thing read as one: "bob at 09:00, QPC
		 * in Safety: 5,000.00 -> 9,000.00, no longer verified" */
		char who[400];
		snprintf(who, sizeof who, "%s at %s, %s", st_q_text_at(s, 0), st_q_text_at(s, 1),
		         t.what);
		bool same = strcmp(who, last) == 0;
		if ((!same && ++told > 6) || used >= n - 1)
			continue;
		int w = same ? snprintf(list + used, n - used, ", %s", t.change)
		             : snprintf(list + used, n - used, "%s%s: %s", used ? "; " : "", who,
		                        t.change);
		if (w > 0)
			used += (size_t)w < n - used ? (size_t)w : n - used - 1;
		snprintf(last, sizeof last, "%s", who);
	}
	st_q_free(s);
	if (told > 6 && used < n - 1)
		snprintf(list + used, n - used, "; and %d more", told - 6);
	return count;
}

static enum qpc_rc conflict(struct qpc_store *st, const struct qpc_qpc_sheet *before,
                            const char *what, struct qpc_error *e)
{
	char list[700];
	return qpc_error_set(e, QPC_ERR_CONFLICT,
	                     "someone else saved %s since you opened it (%s); reload to see their "
	                     "changes, or save again to overwrite them",
	                     what,
	                     since(st, before, NULL, true, list, sizeof list) ? list
	                                                                     : "no details recorded");
}

int qpc_edit_others(struct qpc_store *st, const struct qpc_qpc_sheet *before,
                    const struct qpc_qpc_sheet *after, bool ascii, char *out, size_t n)
{
	return n ? since(st, before, after, ascii, out, n) : 0;
}

static const struct qpc_line *find_line(const struct qpc_qpc_sheet *sh, const char *category)
{
	for (int i = 0; i < sh->nlines; i++)
		if (strcasecmp(sh->lines[i].category, category) == 0)
			return &sh->lines[i];
	return NULL;
}

static bool same_line(const struct qpc_line *a, const struct qpc_line *b)
{
	return a->amount == b->amount && strcmp(a->basis, b->basis) == 0 &&
	       a->verified == b->verified && a->measured_on == b->measured_on &&
	       strcmp(a->inputs, b->inputs) == 0;
}

/* Whether a line's current version is not *seen (0: there is none). */
static enum qpc_rc line_moved(struct qpc_store *st, int64_t account_id, const char *category,
                              int64_t seen, bool *moved, struct qpc_error *e)
{
	static const char sql[] = "SELECT p.version FROM potential p JOIN category c"
	                          " ON c.id = p.category_id WHERE p.account_id = ?1 AND c.name = ?2";
	struct st_q *s;
	enum qpc_rc rc = st_q_cached(st, &s, sql, e);
	if (rc)
		return rc;
	st_q_int(s, 1, account_id);
	st_q_text(s, 2, category);
	int r = st_q_step(s);
	*moved = (r == ST_ROW ? st_q_int_at(s, 0) : 0) != seen;
	/* a read that fails (on a server, one given up for a concurrent
	 * change, to be run again) fails the change: it is not a conflict */
	if (r != ST_ROW && r != ST_DONE)
		rc = st_q_fail(s, "reading a QPC line", e);
	st_q_free(s);
	return rc;
}

static enum qpc_rc remove_line(struct qpc_store *st, int64_t account_id, const struct qpc_line *l,
                               struct qpc_error *e)
{
	/* The removal is a fact of its own, dated today: the line stays in
	 * force on the days before (a removal dated before a standing
	 * measurement corrects it, as any earlier-dated fact does).
	 * On a server the removal's fact is the server's to write (a trigger),
	 * dated the day this qpc says. */
	struct st_q *s;
	char day[QPC_DATE_ISO_LEN];
	qpc_date_format(st_today(st), day);
	enum qpc_rc rc = QPC_OK;
	if (st->pg && !(rc = st_q_prepare(st, &s, "SELECT set_config('qpc.today', ?1, true)", e))) {
		st_q_text(s, 1, day);
		rc = st_q_done(s, "removing a QPC line", e);
		st_q_free(s);
	}
	if (rc || (rc = st_q_prepare(st, &s,
	                             "DELETE FROM potential WHERE account_id = ?1 AND category_id ="
	                             " (SELECT id FROM category WHERE name = ?2)"
	                             " RETURNING category_id",
	                             e)))
		return rc;
	st_q_int(s, 1, account_id);
	st_q_text(s, 2, l->category);
	int r = st_q_step(s);
	int64_t cat = r == ST_ROW ? st_q_int_at(s, 0) : 0;
	if (r == ST_ROW)
		r = st_q_step(s);
	if (r != ST_DONE)
		rc = st_q_fail(s, "removing a QPC line", e);
	st_q_free(s);
	if (rc || (cat && !st->pg && (rc = st_fact_removed(st, account_id, cat, st_today(st), e))))
		return rc;
	char field[128], was[32];
	snprintf(field, sizeof field, "qpc:%s", l->category);
	qpc_money_format(l->amount, st->minor_units, QPC_MONEY_PLAIN, was, sizeof was);
	return st_history(st, account_id, "potential", field, was, NULL, qpc_date_from_unix(st->now),
	                  e);
}

static enum qpc_rc write_line(struct qpc_store *st, int64_t account_id, const struct qpc_line *l,
                              const struct qpc_line *old, struct qpc_error *e)
{
	int64_t cat;
	enum qpc_rc rc = qpc_store_category_ensure(st, l->category, &cat, e);
	if (rc)
		return rc;
	struct qpc_potential_rec p = {
		.account_id = account_id, .category_id = cat, .amount = l->amount,
		.basis = l->basis, .verified = l->verified, .measured_on = l->measured_on,
		.measured_by = l->measured_by[0] ? l->measured_by : NULL, .inputs = l->inputs,
	};
	if ((rc = qpc_store_potential_set(st, &p, e)))
		return rc;
	/* the amount's change is recorded by potential_set; the rest here */
	char field[128];
	qpc_date today = qpc_date_from_unix(st->now);
	if (old && old->verified != l->verified) {
		snprintf(field, sizeof field, "verified:%s", l->category);
		if ((rc = st_history(st, account_id, "potential", field, old->verified ? "1" : "0",
		                     l->verified ? "1" : "0", today, e)))
			return rc;
	}
	if (old && strcmp(old->basis, l->basis) != 0) {
		snprintf(field, sizeof field, "basis:%s", l->category);
		if ((rc = st_history(st, account_id, "potential", field, old->basis, l->basis, today, e)))
			return rc;
	}
	return QPC_OK;
}

enum qpc_rc qpc_edit_save(struct qpc_store *st, const struct qpc_qpc_sheet *before,
                          const struct qpc_qpc_sheet *after, bool force, struct qpc_error *e)
{
	enum qpc_rc rc = st_q_begin(st, e);
	if (rc)
		return rc;
	int64_t id = before->account_id;
	/* Check first, write after: a conflict writes nothing. */
	bool moved = false;
	for (int i = 0; i < after->nlines && !force && !moved; i++) {
		const struct qpc_line *l = &after->lines[i], *old = find_line(before, l->category);
		if (old && same_line(old, l))
			continue; /* not ours to write */
		if ((rc = line_moved(st, id, l->category, old ? old->version : 0, &moved, e)))
			goto fail;
	}
	for (int i = 0; i < before->nlines && !force && !moved; i++) {
		const struct qpc_line *old = &before->lines[i];
		if (!find_line(after, old->category) &&
		    (rc = line_moved(st, id, old->category, old->version, &moved, e)))
			goto fail;
	}
	if (moved) {
		rc = conflict(st, before, "this account's QPC", e);
		goto fail;
	}
	bool share_changed = before->has_rep_share != after->has_rep_share ||
	                     (after->has_rep_share && before->rep_share_bp != after->rep_share_bp);
	struct st_q *s;
	if (share_changed) {
		if ((rc = st_q_prepare(st, &s,
		                       "UPDATE account SET rep_share_bp = ?2, version = version + 1"
		                       " WHERE id = ?1 AND (version = ?3 OR ?4 = 1) RETURNING id",
		                       e)))
			goto fail;
		st_q_int(s, 1, id);
		if (after->has_rep_share)
			st_q_int(s, 2, after->rep_share_bp);
		else
			st_q_text(s, 2, NULL);
		st_q_int(s, 3, before->account_version);
		st_q_int(s, 4, force);
		int r = st_q_step(s);
		if (r != ST_ROW && r != ST_DONE)
			rc = st_q_fail(s, "saving the rep's estimate", e);
		st_q_free(s);
		if (!rc && r == ST_DONE)
			rc = conflict(st, before, "this account", e);
		if (rc)
			goto fail;
		char was[16] = "", now[16] = "";
		if (before->has_rep_share)
			snprintf(was, sizeof was, "%d", before->rep_share_bp);
		if (after->has_rep_share)
			snprintf(now, sizeof now, "%d", after->rep_share_bp);
		if ((rc = st_history(st, id, "account", "rep_share_estimate_bp", was[0] ? was : NULL,
		                     now[0] ? now : NULL, qpc_date_from_unix(st->now), e)))
			goto fail;
	}
	for (int i = 0; i < before->nlines; i++)
		if (!find_line(after, before->lines[i].category) &&
		    (rc = remove_line(st, id, &before->lines[i], e)))
			goto fail;
	for (int i = 0; i < after->nlines; i++) {
		const struct qpc_line *l = &after->lines[i], *old = find_line(before, l->category);
		if (l->amount < 0) {
			rc = qpc_error_set(e, QPC_ERR_DATA, "%s: a QPC cannot be negative", l->category);
			goto fail;
		}
		if ((!old || !same_line(old, l)) && (rc = write_line(st, id, l, old, e)))
			goto fail;
	}
	if ((rc = st_touch(st, id, e)))
		goto fail;
	return st_q_commit(st, e);
fail:
	st_q_rollback(st);
	return rc;
}

static enum qpc_rc potential_set_once(struct qpc_store *st, int64_t account_id,
                                      const char *category, qpc_money amount, const char *basis,
                                      bool verified, qpc_date measured_on, struct qpc_error *e)
{
	struct qpc_qpc_sheet *before = malloc(sizeof *before), *after = malloc(sizeof *after);
	enum qpc_rc rc;
	if (!before || !after) {
		rc = qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
		goto out;
	}
	if ((rc = st_q_begin(st, e)))
		goto out;
	if ((rc = qpc_edit_load(st, account_id, before, e))) {
		st_q_rollback(st);
		goto out;
	}
	*after = *before;
	struct qpc_line *l = (struct qpc_line *)find_line(after, category);
	if (!l) {
		if (after->nlines == (int)(sizeof after->lines / sizeof *after->lines)) {
			st_q_rollback(st);
			rc = qpc_error_set(e, QPC_ERR_DATA, "an account holds at most %d QPC lines",
			                   after->nlines);
			goto out;
		}
		l = &after->lines[after->nlines++];
		memset(l, 0, sizeof *l);
		snprintf(l->category, sizeof l->category, "%s", category);
	}
	l->amount = amount;
	snprintf(l->basis, sizeof l->basis, "%s", basis ? basis : "");
	l->verified = verified;
	l->measured_on = measured_on;
	l->measured_by[0] = '\0';
	l->inputs[0] = '\0';
	if ((rc = qpc_edit_save(st, before, after, false, e))) {
		st_q_rollback(st);
		goto out;
	}
	rc = st_q_commit(st, e);
out:
	free(before);
	free(after);
	return rc;
}

enum qpc_rc qpc_edit_potential_set(struct qpc_store *st, int64_t account_id, const char *category,
                                   qpc_money amount, const char *basis, bool verified,
                                   qpc_date measured_on, struct qpc_error *e)
{
	enum qpc_rc rc;
	ST_RETRIED(st, rc, potential_set_once(st, account_id, category, amount, basis, verified,
	                                      measured_on, e));
	return rc;
}

static enum qpc_rc potential_rm_once(struct qpc_store *st, int64_t account_id,
                                     const char *category, struct qpc_error *e)
{
	struct qpc_qpc_sheet *sh = malloc(sizeof *sh);
	if (!sh)
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	enum qpc_rc rc = st_q_begin(st, e);
	if (rc) {
		free(sh);
		return rc;
	}
	const struct qpc_line *l;
	if ((rc = qpc_edit_load(st, account_id, sh, e)))
		goto fail;
	if (!(l = find_line(sh, category))) {
		rc = qpc_error_set(e, QPC_ERR_NOTFOUND, "the account has no QPC line for '%s'", category);
		goto fail;
	}
	if ((rc = remove_line(st, account_id, l, e)) || (rc = st_touch(st, account_id, e)))
		goto fail;
	free(sh);
	return st_q_commit(st, e);
fail:
	free(sh);
	st_q_rollback(st);
	return rc;
}

enum qpc_rc qpc_edit_potential_rm(struct qpc_store *st, int64_t account_id, const char *category,
                                  struct qpc_error *e)
{
	enum qpc_rc rc;
	ST_RETRIED(st, rc, potential_rm_once(st, account_id, category, e));
	return rc;
}

/* --- candidates and ticks ------------------------------------------------ */

static enum qpc_rc candidate_drop_once(struct qpc_store *st, int64_t account_id,
                                       const char *reason, qpc_date on, struct qpc_error *e)
{
	enum qpc_rc rc = st_q_begin(st, e);
	if (rc)
		return rc;
	struct st_q *q;
	if ((rc = st_q_prepare(st, &q,
	                       "UPDATE candidate SET dropped_on = :on, drop_reason = :reason,"
	                       " version = version + 1 WHERE account_id = :account"
	                       " AND dropped_on IS NULL RETURNING id",
	                       e)))
		goto fail;
	st_q_set_int(q, ":account", account_id);
	st_q_set_date(q, ":on", on);
	st_q_set_text(q, ":reason", reason);
	int r = st_q_step(q);
	if (r == ST_DONE)
		rc = qpc_error_set(e, QPC_ERR_NOTFOUND, "that account is not a candidate");
	else if (r != ST_ROW)
		rc = st_q_fail(q, "dropping a candidate", e);
	st_q_free(q);
	if (rc || (rc = st_history(st, account_id, "candidate", "candidate", "nominated", reason, on, e)) ||
	    (rc = st_touch(st, account_id, e)))
		goto fail;
	return st_q_commit(st, e);
fail:
	st_q_rollback(st);
	return rc;
}

enum qpc_rc qpc_edit_candidate_drop(struct qpc_store *st, int64_t account_id, const char *reason,
                                    qpc_date on, struct qpc_error *e)
{
	if (!reason || !*reason)
		return qpc_error_set(e, QPC_ERR_USAGE, "say why the candidate is dropped (--reason)");
	enum qpc_rc rc;
	ST_RETRIED(st, rc, candidate_drop_once(st, account_id, reason, on, e));
	return rc;
}

enum qpc_rc qpc_edit_checklist(struct qpc_store *st, int64_t account_id, struct qpc_checklist *out,
                               struct qpc_error *e)
{
	memset(out, 0, sizeof *out);
	struct st_q *q;
	enum qpc_rc rc = st_q_prepare(st, &q,
	                              "SELECT c.id, t.name, c.nominated_on, c.nominated_by, c.template_id"
	                              " FROM candidate c JOIN template t ON t.id = c.template_id"
	                              " WHERE c.account_id = :account AND c.dropped_on IS NULL",
	                              e);
	if (rc)
		return rc;
	st_q_set_int(q, ":account", account_id);
	int r = st_q_step(q);
	if (r != ST_ROW) {
		rc = r == ST_DONE ? qpc_error_set(e, QPC_ERR_NOTFOUND, "that account is not a candidate")
		                  : st_q_fail(q, "reading the candidacy", e);
		st_q_free(q);
		return rc;
	}
	out->candidate_id = st_q_int_at(q, 0);
	st_q_copy_at(q, 1, out->template_name, sizeof out->template_name);
	st_q_date_at(q, 2, &out->nominated_on);
	st_q_copy_at(q, 3, out->nominated_by, sizeof out->nominated_by);
	int64_t tid = st_q_int_at(q, 4);
	st_q_free(q);
	if ((rc = st_q_prepare(st, &q,
	                       "SELECT ts.position, ts.text, k.ticked_by, k.ticked_at, k.note, p.owner,"
	                       " p.due, ts.rule FROM template_step ts LEFT JOIN tick k"
	                       " ON k.step_id = ts.id AND k.candidate_id = :candidate"
	                       " LEFT JOIN step_plan p ON p.step_id = ts.id"
	                       " AND p.candidate_id = :candidate WHERE ts.template_id = :template"
	                       " AND ts.retired = 0 ORDER BY ts.position",
	                       e)))
		return rc;
	st_q_set_int(q, ":template", tid);
	st_q_set_int(q, ":candidate", out->candidate_id);
	while ((r = st_q_step(q)) == ST_ROW &&
	       out->nsteps < (int)(sizeof out->steps / sizeof *out->steps)) {
		struct qpc_step *p = &out->steps[out->nsteps++];
		p->position = (int)st_q_int_at(q, 0);
		st_q_copy_at(q, 1, p->text, sizeof p->text);
		p->ticked = !st_q_null_at(q, 2);
		st_q_copy_at(q, 2, p->ticked_by, sizeof p->ticked_by);
		st_q_copy_at(q, 3, p->ticked_at, sizeof p->ticked_at);
		st_q_copy_at(q, 4, p->note, sizeof p->note);
		st_q_copy_at(q, 5, p->owner, sizeof p->owner);
		p->has_due = st_q_date_at(q, 6, &p->due);
		st_q_copy_at(q, 7, p->rule, sizeof p->rule);
	}
	if (r != ST_ROW && r != ST_DONE)
		rc = st_q_fail(q, "reading a checklist", e);
	st_q_free(q);
	return rc;
}

/* A step by number or text, among the live steps of the checklist. */
static enum qpc_rc step_of(struct qpc_store *st, int64_t account_id, int position,
                           const char *text, int *out, struct qpc_error *e)
{
	if (position > 0) {
		*out = position;
		return QPC_OK;
	}
	struct qpc_checklist *cl = malloc(sizeof *cl);
	if (!cl)
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	enum qpc_rc rc = qpc_edit_checklist(st, account_id, cl, e);
	int found = 0;
	for (int i = 0; !rc && i < cl->nsteps; i++)
		if (text && strcasecmp(cl->steps[i].text, text) == 0)
			found = cl->steps[i].position;
	free(cl);
	if (!rc && !found)
		rc = qpc_error_set(e, QPC_ERR_NOTFOUND, "the checklist has no step '%s'",
		                   text ? text : "");
	*out = found;
	return rc;
}

enum qpc_rc qpc_edit_step_assign(struct qpc_store *st, int64_t account_id, int position,
                                 const char *text, const struct qpc_step_plan *p,
                                 struct qpc_error *e)
{
	int pos;
	enum qpc_rc rc = step_of(st, account_id, position, text, &pos, e);
	return rc ? rc : qpc_store_step_assign(st, account_id, pos, p, e);
}

enum qpc_rc qpc_edit_tick(struct qpc_store *st, int64_t account_id, int position,
                          const char *text, const char *note, struct qpc_error *e)
{
	int pos;
	enum qpc_rc rc = step_of(st, account_id, position, text, &pos, e);
	return rc ? rc : qpc_store_tick(st, account_id, pos, note, e);
}

static enum qpc_rc untick_once(struct qpc_store *st, int64_t account_id, int pos,
                               struct qpc_error *e)
{
	enum qpc_rc rc = st_q_begin(st, e);
	if (rc)
		return rc;
	struct st_q *q;
	if ((rc = st_q_prepare(st, &q,
	                       "DELETE FROM tick WHERE (candidate_id, step_id) IN (SELECT k.candidate_id,"
	                       " k.step_id FROM tick k JOIN candidate c ON c.id = k.candidate_id"
	                       " JOIN template_step ts ON ts.id = k.step_id"
	                       " WHERE c.account_id = :account AND c.dropped_on IS NULL"
	                       " AND ts.position = :position AND ts.retired = 0)"
	                       " RETURNING step_id, note",
	                       e)))
		goto fail;
	st_q_set_int(q, ":account", account_id);
	st_q_set_int(q, ":position", pos);
	int r = st_q_step(q);
	int64_t step_id = 0;
	char note[200] = "";
	if (r == ST_ROW) {
		step_id = st_q_int_at(q, 0);
		st_q_copy_at(q, 1, note, sizeof note);
	} else {
		rc = r == ST_DONE ? qpc_error_set(e, QPC_ERR_NOTFOUND, "step %d is not ticked", pos)
		                  : st_q_fail(q, "unticking a step", e);
	}
	st_q_free(q);
	char step[200] = "";
	if (rc || (rc = st_q_prepare(st, &q, "SELECT text FROM template_step WHERE id = :id", e)))
		goto fail;
	st_q_set_int(q, ":id", step_id);
	if (st_q_step(q) == ST_ROW)
		st_q_copy_at(q, 0, step, sizeof step);
	else
		rc = st_q_fail(q, "reading a checklist step", e);
	st_q_free(q);
	if (rc || (rc = st_history(st, account_id, "tick", step, note[0] ? note : "ticked", NULL,
	                           qpc_date_from_unix(st->now), e)))
		goto fail;
	return st_q_commit(st, e);
fail:
	st_q_rollback(st);
	return rc;
}

enum qpc_rc qpc_edit_untick(struct qpc_store *st, int64_t account_id, int position,
                            const char *text, struct qpc_error *e)
{
	int pos;
	enum qpc_rc rc = step_of(st, account_id, position, text, &pos, e);
	if (rc)
		return rc;
	ST_RETRIED(st, rc, untick_once(st, account_id, pos, e));
	return rc;
}
