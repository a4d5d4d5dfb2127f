/* works.c — what works: the steps of the candidacies that ended, against
 * how many became partners (refine the process forever).
 *
 * A candidacy ends when its account becomes a partner while it runs (the
 * first partner span from its nomination on, before any drop), or when
 * it is dropped.  Everything is as of a date: candidacies nominated by
 * then, ended by then, and ticks made by the end.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "qpc/watch.h"

/* The candidacies that ended by ?1, with the day they did and whether it
 * was as a partner: the first day the account became one while the
 * candidacy ran (ST_PARTNER_ON is the last day, for a partner still). */
#define ENDED_SQL                                                                              \
	"WITH c AS (SELECT c.id, c.template_id, c.nominated_on,"                                  \
	"  (SELECT min(p.since) FROM status_span p WHERE p.account_id = c.account_id"             \
	"   AND p.status = " ST_SORT_PARTNER " AND p.since >= c.nominated_on AND p.since <= ?1"   \
	"   AND (c.dropped_on IS NULL OR p.since < c.dropped_on)) AS partner_on,"                 \
	"  CASE WHEN c.dropped_on <= ?1 THEN c.dropped_on END AS dropped_on"                      \
	"  FROM candidate c WHERE c.nominated_on <= ?1),"                                         \
	" e AS (SELECT *, coalesce(partner_on, dropped_on) AS ended_on FROM c"                    \
	"  WHERE partner_on IS NOT NULL OR dropped_on IS NOT NULL) "

static int by_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static enum qpc_rc counts(struct qpc_store *st, struct qpc_works *out, struct qpc_error *e)
{
	struct st_q *s;
	enum qpc_rc rc = st_q_prepare(st, &s, ENDED_SQL "SELECT partner_on, dropped_on, nominated_on FROM c",
	                              e);
	if (rc)
		return rc;
	char day[QPC_DATE_ISO_LEN];
	st_q_text(s, 1, qpc_date_format(out->as_of, day));
	double *days = NULL;
	size_t n = 0, cap = 0;
	int r;
	while ((r = st_q_step(s)) == ST_ROW) {
		qpc_date partner_on = 0, nominated_on = 0;
		bool partner = st_q_date_at(s, 0, &partner_on), dropped = !st_q_null_at(s, 1);
		if (!partner && !dropped) {
			out->open++;
			continue;
		}
		out->ended++;
		if (!partner) {
			out->dropped++;
			continue;
		}
		out->partners++;
		if (n == cap) {
			size_t c = cap ? 2 * cap : 64;
			double *g = realloc(days, c * sizeof *g);
			if (!g) {
				rc = qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
				break;
			}
			days = g;
			cap = c;
		}
		st_q_date_at(s, 2, &nominated_on);
		days[n++] = (double)(partner_on - nominated_on);
	}
	if (!rc && r != ST_DONE)
		rc = st_q_fail(s, "reading the candidacies", e);
	st_q_free(s);
	if (!rc && n) {
		qsort(days, n, sizeof *days, by_double);
		size_t hi = n / 2, lo = n % 2 ? hi : hi - 1;
		out->has_median = true;
		out->median_days = (days[lo] + days[hi]) / 2.0;
	}
	free(days);
	return rc;
}

static enum qpc_rc steps(struct qpc_store *st, struct qpc_works *out, struct qpc_error *e)
{
	struct st_q *s;
	enum qpc_rc rc = st_q_prepare(
		st, &s,
		ENDED_SQL
		"SELECT ts.id, t.name, ts.position, ts.text,"
		" count(k.step_id), count(k.step_id) FILTER (WHERE e.partner_on IS NOT NULL),"
		" count(*) - count(k.step_id),"
		" count(*) FILTER (WHERE k.step_id IS NULL AND e.partner_on IS NOT NULL)"
		" FROM e JOIN template_step ts ON ts.template_id = e.template_id AND ts.retired = 0"
		" JOIN template t ON t.id = ts.template_id"
		" LEFT JOIN tick k ON k.candidate_id = e.id AND k.step_id = ts.id"
		"  AND substr(k.ticked_at, 1, 10) <= e.ended_on"
		" GROUP BY ts.id, t.id ORDER BY t.name COLLATE QPC_NAME, t.id, ts.position",
		e);
	if (rc)
		return rc;
	char day[QPC_DATE_ISO_LEN];
	st_q_text(s, 1, qpc_date_format(out->as_of, day));
	size_t cap = 0;
	int r;
	while ((r = st_q_step(s)) == ST_ROW) {
		if (out->nsteps == cap) {
			size_t c = cap ? 2 * cap : 16;
			struct qpc_works_step *g = realloc(out->steps, c * sizeof *g);
			if (!g) {
				rc = qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
				break;
			}
			out->steps = g;
			cap = c;
		}
		struct qpc_works_step *w = &out->steps[out->nsteps++];
		memset(w, 0, sizeof *w);
		w->step_id = st_q_int_at(s, 0);
		st_q_copy_at(s, 1, w->template_name, sizeof w->template_name);
		w->position = (int)st_q_int_at(s, 2);
		st_q_copy_at(s, 3, w->text, sizeof w->text);
		w->ticked = st_q_int_at(s, 4);
		w->ticked_partners = st_q_int_at(s, 5);
		w->unticked = st_q_int_at(s, 6);
		w->unticked_partners = st_q_int_at(s, 7);
	}
	if (!rc && r != ST_DONE)
		rc = st_q_fail(s, "reading what works", e);
	st_q_free(s);
	return rc;
}

void qpc_works_free(struct qpc_works *w)
{
	free(w->steps);
	w->steps = NULL;
	w->nsteps = 0;
}

enum qpc_rc qpc_store_what_works(struct qpc_store *st, qpc_date as_of, struct qpc_works *out,
                                 struct qpc_error *e)
{
	memset(out, 0, sizeof *out);
	out->as_of = as_of;
	enum qpc_rc rc = counts(st, out, e);
	if (!rc)
		rc = steps(st, out, e);
	if (rc)
		qpc_works_free(out);
	return rc;
}
