/* steprule.c — a checklist's rules checked against the dated facts.
 *
 * A step's rule (rule.h) asks what the sales show: categories and amounts
 * bought in each of the periods up to the date, and the share at it.  The
 * periods are read from the sales lines by date, the share is the one the
 * figures give at the date (st_figures_at): a past date shows what was
 * true then.  Nothing is written: qpc proposes, a manager ticks.
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"
#include "qpc/edit.h"
#include "qpc/figures.h"

struct share_at {
	bool known;
	int32_t bp;
	qpc_money sales_12m; /* the figures' 12-month sales */
};

static enum qpc_rc got_share(struct qpc_store *st, const struct st_fig *fig, struct st_q *row,
                             void *ctx, struct qpc_error *e)
{
	(void)st, (void)row, (void)e;
	struct share_at *s = ctx;
	s->known = fig->f.share.kind != QPC_SHARE_UNDEFINED;
	s->bp = fig->f.share.bp;
	s->sales_12m = fig->f.sales_12m;
	return QPC_OK;
}

/* Whether the account's sales at the date are its lines, as the figures
 * decide it: lines in the 12-month window, or else no CRM figure in force
 * (then it bought nothing).  With a figure and no lines in the window, the
 * sales are that figure, without categories or dates. */
static enum qpc_rc by_lines(struct qpc_store *st, int64_t account_id, qpc_date as_of, bool *out,
                            struct qpc_error *e)
{
	struct st_q *s;
	enum qpc_rc rc = st_q_prepare(st, &s,
	                              "SELECT EXISTS (SELECT 1 FROM sale WHERE account_id = ?1"
	                              "   AND date > ?2 AND date <= ?3),"
	                              " EXISTS (SELECT 1 FROM account_figure WHERE account_id = ?1"
	                              "   AND as_of > ?2 AND as_of <= ?3)",
	                              e);
	if (rc)
		return rc;
	char day[QPC_DATE_ISO_LEN];
	st_q_int(s, 1, account_id);
	st_q_text(s, 2, qpc_date_format(qpc_window_start(as_of), day));
	st_q_text(s, 3, qpc_date_format(as_of, day));
	int r = st_q_step(s);
	if (r == ST_ROW || r == ST_DONE)
		*out = r == ST_DONE || st_q_int_at(s, 0) || !st_q_int_at(s, 1);
	else
		rc = st_q_fail(s, "reading the sales", e);
	st_q_free(s);
	return rc;
}

/* Categories and sales in each period, oldest first; the sums saturate,
 * as the figures' do (one absurd line must not stop a checklist). */
static enum qpc_rc periods(struct qpc_store *st, int64_t account_id, qpc_date as_of,
                           const struct qpc_rule *r, struct qpc_rule_facts *f,
                           struct qpc_error *e)
{
	struct st_q *s;
	enum qpc_rc rc = st_q_prepare(st, &s,
	                              "SELECT category_id, amount FROM sale WHERE account_id = ?1"
	                              " AND date > ?2 AND date <= ?3 ORDER BY category_id",
	                              e);
	if (rc)
		return rc;
	f->nperiods = r->periods;
	for (int k = 0; k < r->periods && !rc; k++) {
		/* k = 0 is the oldest: (D - (n-k) m, D - (n-k-1) m] */
		int back = r->periods - k;
		char day[QPC_DATE_ISO_LEN];
		st_q_reset(s);
		st_q_int(s, 1, account_id);
		st_q_text(s, 2, qpc_date_format(qpc_date_add_months(as_of, -back * r->months), day));
		st_q_text(s, 3, qpc_date_format(qpc_date_add_months(as_of, -(back - 1) * r->months), day));
		struct qpc_rule_period *p = &f->period[k];
		*p = (struct qpc_rule_period){ 0 };
		bool any = false;
		int64_t last = 0;
		int step;
		while ((step = st_q_step(s)) == ST_ROW) {
			/* a line without a category is no category */
			if (!st_q_null_at(s, 0)) {
				int64_t c = st_q_int_at(s, 0);
				p->categories += !any || c != last;
				any = true;
				last = c;
			}
			if (!qpc_money_add(p->sales, st_q_int_at(s, 1), &p->sales))
				p->sales = st_q_int_at(s, 1) > 0 ? QPC_MONEY_MAX : -QPC_MONEY_MAX;
		}
		if (step != ST_DONE)
			rc = st_q_fail(s, "reading the sales", e);
	}
	st_q_free(s);
	return rc;
}

enum qpc_rc qpc_edit_checklist_rules(struct qpc_store *st, int64_t account_id, qpc_date as_of,
                                     struct qpc_checklist *cl, struct qpc_error *e)
{
	struct share_at share = { 0 };
	bool lines = true, facts_read = false;
	enum qpc_rc rc = QPC_OK;
	for (int i = 0; i < cl->nsteps && !rc; i++) {
		struct qpc_step *p = &cl->steps[i];
		struct qpc_rule r;
		char why[200];
		p->rule_checked = p->rule_met = false;
		p->evidence[0] = '\0';
		if (!p->rule[0])
			continue;
		if (!qpc_rule_parse(p->rule, st->minor_units, &r, why, sizeof why)) {
			/* written by another qpc, or by hand: said, never met */
			snprintf(p->evidence, sizeof p->evidence, "The rule cannot be read: %s.", why);
			p->rule_checked = true;
			continue;
		}
		if (!facts_read) {
			facts_read = true;
			if ((rc = by_lines(st, account_id, as_of, &lines, e)) ||
			    (rc = st_figures_at(st, as_of, account_id, ST_WALK_LEAN, got_share, &share, e)))
				break;
		}
		struct qpc_rule_facts f = { .lines = lines, .share_known = share.known,
			                    .share_bp = share.bp };
		if ((r.categories || r.has_sales) && lines &&
		    (rc = periods(st, account_id, as_of, &r, &f, e)))
			break;
		if (!r.period_word[0]) { /* the 12 months: the figures' own sales */
			f.nperiods = 1;
			f.period[0].sales = share.sales_12m;
		}
		p->rule_met = qpc_rule_check(&r, &f, st->minor_units, p->evidence, sizeof p->evidence);
		p->rule_checked = true;
	}
	return rc;
}
