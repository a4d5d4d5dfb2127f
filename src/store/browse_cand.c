/* browse_cand.c — the candidates board and the suggested candidates. */
#include <stdlib.h>
#include <string.h>

#include "browse_int.h"

/* --- the board ----------------------------------------------------------- */

/* The step bits are summed as 64-bit integers (position 32's is negative
 * in PostgreSQL's 32-bit ones); the subquery is named, as PostgreSQL wants. */
#define BOARD_SQL(order)                                                                      \
	"SELECT id, name, status, nominated_on, template_id, ticked, steps, ticks, overdue"  \
	" FROM ("                                                                             \
	" SELECT a.id, a.name, a.status, c.nominated_on, c.template_id,"                      \
	"  " ST_STEPS_TICKED("c") " ticked, " ST_STEPS_LIVE("c") " steps,"                     \
	"  (SELECT coalesce(sum(CAST(1 AS bigint) << (ts.position - 1)), 0) FROM tick k"      \
	"    JOIN template_step ts ON ts.id = k.step_id WHERE k.candidate_id = c.id"          \
	"    AND ts.retired = 0 AND ts.position BETWEEN 1 AND 32) ticks,"                     \
	"  (SELECT coalesce(sum(CAST(1 AS bigint) << (ts.position - 1)), 0) FROM step_plan p" \
	"    JOIN template_step ts ON ts.id = p.step_id WHERE p.candidate_id = c.id"          \
	"    AND ts.retired = 0 AND ts.position BETWEEN 1 AND 32 AND p.due < ?2"              \
	"    AND NOT EXISTS (SELECT 1 FROM tick k WHERE k.candidate_id = c.id"               \
	"    AND k.step_id = ts.id)) overdue"                                                  \
	" FROM candidate c JOIN account a ON a.id = c.account_id WHERE c.dropped_on IS NULL)" \
	" b ORDER BY " order " LIMIT ?1"

#define BY_PROGRESS "ticked * 1000 / CASE WHEN steps > 1 THEN steps ELSE 1 END"
#define BY_NAME "name COLLATE QPC_NAME, id"
static const char *const board_sql[QPC_BOARD_ORDERS] = {
	[QPC_BOARD_PROGRESS_DESC] = BOARD_SQL(BY_PROGRESS " DESC, " BY_NAME),
	[QPC_BOARD_PROGRESS_ASC] = BOARD_SQL(BY_PROGRESS " ASC, " BY_NAME),
	[QPC_BOARD_NAME] = BOARD_SQL(BY_NAME),
	[QPC_BOARD_SINCE] = BOARD_SQL("nominated_on, " BY_NAME),
};

enum qpc_rc qpc_browse_board(struct qpc_browse *b, enum qpc_board_order order,
                             struct qpc_board_row *rows, int max, int *n, struct qpc_error *e)
{
	struct st_q *q;
	*n = 0;
	if ((unsigned)order >= QPC_BOARD_ORDERS)
		order = QPC_BOARD_PROGRESS_DESC;
	enum qpc_rc rc = br_q(b, &q, board_sql[order], e);
	if (rc)
		return rc;
	char day[QPC_DATE_ISO_LEN];
	st_q_int(q, 1, max);
	st_q_text(q, 2, qpc_date_format(b->as_of, day));
	int r;
	while ((r = st_q_step(q)) == ST_ROW && *n < max) {
		struct qpc_board_row *w = &rows[(*n)++];
		memset(w, 0, sizeof *w);
		w->account_id = st_q_int_at(q, 0);
		br_copy_at(w->name, sizeof w->name, q, 1);
		if (!qpc_status_parse(st_q_text_at(q, 2), &w->status))
			w->status = QPC_PROSPECT;
		st_q_date_at(q, 3, &w->nominated_on);
		w->template_id = st_q_int_at(q, 4);
		w->ticked = (int)st_q_int_at(q, 5);
		w->steps = (int)st_q_int_at(q, 6);
		w->ticks = (uint32_t)st_q_int_at(q, 7);
		w->overdue = (uint32_t)st_q_int_at(q, 8);
	}
	if (r != ST_DONE && r != ST_ROW)
		rc = st_q_fail(q, "reading the board", e);
	st_q_free(q);
	return rc;
}

/* --- suggested candidates ------------------------------------------------ */

/* The pool: a bounded walk down the customers' QPC index (covering, so
 * no table reads), then the share band and "not a candidate" on at most
 * QPC_SUGGEST_WALK rows. */
static const char pool_sql[] =
	"SELECT " BR_ROW_COLUMNS " FROM (SELECT id FROM account WHERE sort_status = 1"
	"  ORDER BY sort_qpc DESC LIMIT ?3) p JOIN account a ON a.id = p.id"
	" WHERE a.share_bp >= ?1 AND a.share_bp < ?2 AND a.share_over = 0"
	" AND NOT EXISTS (SELECT 1 FROM candidate c WHERE c.account_id = a.id"
	"   AND c.dropped_on IS NULL)"
	" ORDER BY a.sort_qpc DESC, a.id LIMIT ?4";

/* Sales of the last 6 months and of the 6 before (sale_account_date). */
static const char trend_sql[] =
	"SELECT coalesce(sum(CASE WHEN date > ?2 THEN amount END), 0),"
	" coalesce(sum(CASE WHEN date <= ?2 THEN amount END), 0) FROM sale"
	" WHERE account_id = ?1 AND date > ?3 AND date <= ?4";

static enum qpc_rc trend(struct qpc_browse *b, struct qpc_suggestion *g, struct qpc_error *e)
{
	struct st_q *q;
	enum qpc_rc rc = br_q(b, &q, trend_sql, e);
	if (rc)
		return rc;
	char day[QPC_DATE_ISO_LEN];
	st_q_int(q, 1, g->row.id);
	st_q_text(q, 2, qpc_date_format(qpc_date_add_months(b->as_of, -6), day));
	st_q_text(q, 3, qpc_date_format(qpc_date_add_months(b->as_of, -12), day));
	st_q_text(q, 4, qpc_date_format(b->as_of, day));
	if (st_q_step(q) == ST_ROW) {
		double recent = st_q_double_at(q, 0), before = st_q_double_at(q, 1);
		g->has_trend = before > 0;
		if (g->has_trend) {
			double pct = (recent - before) * 100.0 / before;
			g->trend_pct = pct > 999 ? 999 : pct < -100 ? -100 : (int32_t)(pct < 0 ? pct - 0.5 : pct + 0.5);
		}
	} else {
		rc = st_q_fail(q, "reading sales trends", e);
	}
	st_q_free(q);
	return rc;
}

static int by_score(const void *x, const void *y)
{
	const struct qpc_suggestion *a = x, *b = y;
	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	if (a->row.fig.qpc != b->row.fig.qpc)
		return a->row.fig.qpc > b->row.fig.qpc ? -1 : 1;
	return a->row.id < b->row.id ? -1 : a->row.id > b->row.id;
}

static void score(struct qpc_suggestion *g, int32_t threshold_bp, qpc_money top_qpc)
{
	int t = g->has_trend ? g->trend_pct : 0;
	t = t > 30 ? 30 : t < -30 ? -30 : t;
	int near = threshold_bp > 0 ? (int)((int64_t)g->row.fig.share.bp * 100 / threshold_bp) : 0;
	int size = top_qpc > 0 ? (int)(g->row.fig.qpc * 20 / top_qpc) : 0;
	g->score = near + t + size;
}

enum qpc_rc qpc_browse_suggestions(struct qpc_browse *b, struct qpc_suggestion *rows, int max,
                                   int *n, struct qpc_error *e)
{
	struct qpc_settings set;
	*n = 0;
	enum qpc_rc rc = qpc_store_settings(b->st, &set, e);
	if (rc)
		return rc;
	struct qpc_suggestion *pool = calloc(QPC_SUGGEST_POOL, sizeof *pool);
	if (!pool)
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	struct st_q *q;
	int np = 0, r = ST_DONE;
	if ((rc = br_q(b, &q, pool_sql, e)))
		goto out;
	st_q_int(q, 1, QPC_SUGGEST_MIN_BP);
	st_q_int(q, 2, set.threshold_bp);
	st_q_int(q, 3, QPC_SUGGEST_WALK);
	st_q_int(q, 4, QPC_SUGGEST_POOL);
	while (np < QPC_SUGGEST_POOL && (r = st_q_step(q)) == ST_ROW)
		br_read_row(b, q, 0, &pool[np++].row);
	if (r != ST_DONE && r != ST_ROW)
		rc = st_q_fail(q, "finding suggested candidates", e);
	st_q_free(q);
	for (int i = 0; !rc && i < np; i++)
		rc = trend(b, &pool[i], e);
	if (rc)
		goto out;
	for (int i = 0; i < np; i++) /* the pool is by QPC: the first is the largest */
		score(&pool[i], set.threshold_bp, pool[0].row.fig.qpc);
	qsort(pool, (size_t)np, sizeof *pool, by_score);
	*n = np < max ? np : max;
	memcpy(rows, pool, (size_t)*n * sizeof *rows);
out:
	free(pool);
	return rc;
}
