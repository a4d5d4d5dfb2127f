/* plan.c — a plan with owners and dates: who is to do each step of a
 * candidate's checklist, and by when; and the open steps so planned (the
 * tasks), the earliest due first. */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "qpc/edit.h"

#define OWNER_MAX 63

static enum qpc_rc step_assign_once(struct qpc_store *st, int64_t account_id, int position,
                                    const struct qpc_step_plan *p, struct qpc_error *e)
{
	enum qpc_rc rc = st_q_begin(st, e);
	if (rc)
		return rc;
	int64_t cid = 0, sid = 0;
	char text[200], was_owner[OWNER_MAX + 1] = "", was_due[QPC_DATE_ISO_LEN] = "";
	struct st_q *q;
	if ((rc = st_candidate_step(st, account_id, position, &cid, &sid, text, sizeof text, e)) ||
	    (rc = st_q_prepare(st, &q,
	                       "SELECT owner, due FROM step_plan"
	                       " WHERE candidate_id = :candidate AND step_id = :step",
	                       e)))
		goto fail;
	st_q_set_int(q, ":candidate", cid);
	st_q_set_int(q, ":step", sid);
	int r = st_q_step(q);
	if (r == ST_ROW) {
		st_q_copy_at(q, 0, was_owner, sizeof was_owner);
		st_q_copy_at(q, 1, was_due, sizeof was_due);
	} else if (r != ST_DONE) {
		rc = st_q_fail(q, "reading the plan", e);
	}
	st_q_free(q);
	if (rc)
		goto fail;
	char now_owner[OWNER_MAX + 1], now_due[QPC_DATE_ISO_LEN] = "";
	snprintf(now_owner, sizeof now_owner, "%s",
	         p->set_owner ? (p->owner ? p->owner : "") : was_owner);
	if (p->set_due ? p->has_due : was_due[0] != '\0') {
		if (p->set_due)
			qpc_date_format(p->due, now_due);
		else
			snprintf(now_due, sizeof now_due, "%s", was_due);
	}
	/* nobody and no date: no plan for the step */
	bool planned = now_owner[0] || now_due[0];
	if ((rc = st_q_prepare(st, &q,
	                       planned ? "INSERT INTO step_plan(candidate_id, step_id, owner, due)"
	                                 " VALUES (:candidate, :step, :owner, nullif(:due, ''))"
	                                 " ON CONFLICT (candidate_id, step_id) DO UPDATE"
	                                 " SET owner = excluded.owner, due = excluded.due"
	                               : "DELETE FROM step_plan"
	                                 " WHERE candidate_id = :candidate AND step_id = :step",
	                       e)))
		goto fail;
	st_q_set_int(q, ":candidate", cid);
	st_q_set_int(q, ":step", sid);
	st_q_set_text(q, ":owner", now_owner);
	st_q_set_text(q, ":due", now_due);
	rc = st_q_done(q, "planning a checklist step", e);
	st_q_free(q);
	if (rc)
		goto fail;
	qpc_date today = qpc_date_from_unix(st->now);
	char field[240];
	if (strcmp(was_owner, now_owner) != 0) {
		snprintf(field, sizeof field, "%s: owner", text);
		if ((rc = st_history(st, account_id, "step", field, was_owner[0] ? was_owner : NULL,
		                     now_owner[0] ? now_owner : NULL, today, e)))
			goto fail;
	}
	if (strcmp(was_due, now_due) != 0) {
		snprintf(field, sizeof field, "%s: due", text);
		if ((rc = st_history(st, account_id, "step", field, was_due[0] ? was_due : NULL,
		                     now_due[0] ? now_due : NULL, today, e)))
			goto fail;
	}
	return st_q_commit(st, e);
fail:
	st_q_rollback(st);
	return rc;
}

enum qpc_rc qpc_store_step_assign(struct qpc_store *st, int64_t account_id, int position,
                                  const struct qpc_step_plan *p, struct qpc_error *e)
{
	if (!p->set_owner && !p->set_due)
		return qpc_error_set(e, QPC_ERR_USAGE, "say who is to do the step, or by when");
	if (p->set_owner && p->owner && strlen(p->owner) > OWNER_MAX)
		return qpc_error_set(e, QPC_ERR_USAGE, "an owner's name is at most %d bytes",
		                     OWNER_MAX);
	enum qpc_rc rc;
	ST_RETRIED(st, rc, step_assign_once(st, account_id, position, p, e));
	return rc;
}

enum qpc_rc qpc_edit_tasks(struct qpc_store *st, const char *owner, qpc_date overdue_at,
                           qpc_task_fn fn, void *ctx, struct qpc_error *e)
{
	struct st_q *q;
	enum qpc_rc rc = st_q_prepare(st, &q,
	                              "SELECT c.id, ts.id, a.id, coalesce(a.external_id, ''), a.name,"
	                              " a.owner, ts.position, ts.text, p.owner, p.due"
	                              " FROM step_plan p JOIN candidate c ON c.id = p.candidate_id"
	                              " JOIN template_step ts ON ts.id = p.step_id"
	                              " JOIN main.account a ON a.id = c.account_id"
	                              " WHERE c.dropped_on IS NULL AND ts.retired = 0"
	                              " AND ts.template_id = c.template_id"
	                              " AND NOT EXISTS (SELECT 1 FROM tick k WHERE k.candidate_id = c.id"
	                              " AND k.step_id = ts.id)"
	                              " AND (CAST(:owner AS TEXT) IS NULL OR p.owner = :owner)"
	                              " AND (CAST(:before AS TEXT) IS NULL OR p.due < :before)"
	                              " ORDER BY p.due IS NULL, p.due, a.name_key, a.id, ts.position",
	                              e);
	if (rc)
		return rc;
	st_q_set_text(q, ":owner", owner);
	if (overdue_at > 0)
		st_q_set_date(q, ":before", overdue_at);
	int r;
	while ((r = st_q_step(q)) == ST_ROW) {
		struct qpc_task t = {
			.candidate_id = st_q_int_at(q, 0),
			.step_id = st_q_int_at(q, 1),
			.account_id = st_q_int_at(q, 2),
			.external_id = st_q_text_at(q, 3),
			.account = st_q_text_at(q, 4),
			.account_owner = st_q_text_at(q, 5),
			.position = (int)st_q_int_at(q, 6),
			.step = st_q_text_at(q, 7),
			.owner = st_q_text_at(q, 8),
		};
		t.has_due = st_q_date_at(q, 9, &t.due);
		if (fn(&t, ctx) != 0) {
			r = ST_DONE;
			break;
		}
	}
	if (r != ST_DONE)
		rc = st_q_fail(q, "reading the tasks", e);
	st_q_free(q);
	return rc;
}
