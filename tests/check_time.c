/* check_time.c — figures true in time (issue 11).
 *
 * A property test: random accounts with random dated facts, written
 * through the store's API in a random order under a moving clock, then
 * every account's figures, the report, the goals and the days accounts
 * became partners, at many dates, against a brute force written here from
 * the facts the test made.  The brute force does not use core/timeline.c:
 * it follows the rules of include/qpc/timeline.h plainly, one day at a
 * time.  Then: reads at any date leave the file's content as it was; the
 * cases the issue found; and a file written by schema 8 migrated.
 */
#include <sqlite3.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "qpc/edit.h"
#include "qpc/ingest.h"
#include "qpc/lists.h"
/* lists.h and browse.h both define a struct qpc_candidate_row; browse.h's
 * is renamed here so that one file can read both. */
#define qpc_candidate_row qpc_browse_candidate_row
#include "qpc/browse.h"
#undef qpc_candidate_row
#include "qpc/store.h"
#include "tests.h"

static char dir[96], path[128];
static struct qpc_store *st;
static struct qpc_error err;

#define OK(call) ck_assert_msg((call) == QPC_OK, "%s: %s", #call, err.msg)

/* Check's assertions each tell the parent process where they are: the hot
 * paths below test first and only then fail. */
static qpc_date D(const char *text)
{
	qpc_date d;
	if (!qpc_date_parse_iso(text, &d))
		ck_abort_msg("bad date %s", text);
	return d;
}

/* A date as text, for messages: four buffers in turn. */
static const char *iso(qpc_date d)
{
	static char buf[4][QPC_DATE_ISO_LEN];
	static int i;
	i = (i + 1) % 4;
	return qpc_date_format(d, buf[i]);
}

/* Fixes the store's clock at 10:00 UTC on `day`: what it writes next is
 * dated that day. */
static void clock_on(struct qpc_store *s, qpc_date day)
{
	qpc_store_set_actor(s, "tester", (int64_t)day * 86400 + 36000);
}

/* --- a fixed-seed generator ------------------------------------------------ */

static uint64_t seed;

static uint64_t rng(void) /* splitmix64 */
{
	uint64_t z = (seed += 0x9E3779B97F4A7C15u);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
	return z ^ (z >> 31);
}

static int rnd(int n)
{
	return (int)(rng() % (uint64_t)n);
}

static bool chance(int pct)
{
	return rnd(100) < pct;
}

/* --- the model: the facts as the test wrote them --------------------------- */

#define NCAT 4
#define MAX_ACC 30
#define MAX_LINES 64
#define MAX_SALES 48
#define MAX_CONTRACTS 6
#define MAX_CANDS 4
#define MAX_STEPS 16
#define GOAL_FIRST 2020
#define GOAL_LAST 2030

static const char *const cat_name[NCAT] = { "Packaging", "Labels", "Safety", "Services" };

struct m_line {
	int cat;
	qpc_date on;
	bool removed, verified;
	qpc_money amount;
};
struct m_sale {
	qpc_date date;
	int cat; /* -1: none */
	qpc_money amount, gp;
	bool has_gp;
};
struct m_contract {
	qpc_date signed_on;
	bool has_end;
	qpc_date ends_on;
};
struct m_cand {
	qpc_date on;
	bool dropped;
	qpc_date dropped_on;
};

struct m_acc {
	int64_t id;
	char ext[16];
	/* A well-kept account: its facts fall within three years from `base`,
	 * its QPC mostly verified, so that confirmed partners occur too. */
	bool kept;
	qpc_date base;
	/* The QPC facts that stand, in the order recorded: a fact measured on
	 * or before a standing one of its category replaces it. */
	int nlines;
	struct m_line lines[MAX_LINES];
	bool standing[NCAT]; /* a line stands now: it can be removed */
	int nsales;
	struct m_sale sales[MAX_SALES];
	bool has_fig, fig_has_gp;
	qpc_date fig_on;
	qpc_money fig_sales, fig_gp;
	int ncontracts;
	struct m_contract contracts[MAX_CONTRACTS];
	int ncands;
	struct m_cand cands[MAX_CANDS];
	unsigned char *partner; /* by day from m->start: partner then (no candidacy) */
};

struct m_step {
	qpc_date from;
	int32_t bp;
};

struct model {
	int nacc;
	struct m_acc acc[MAX_ACC];
	int nsteps;
	struct m_step steps[MAX_STEPS];
	int64_t cat_id[NCAT];
	int64_t target[GOAL_LAST - GOAL_FIRST + 1];
	int nkeys;
	qpc_date lo, hi;         /* facts are dated in [lo, hi] */
	qpc_date start, end;     /* the days the partner bits cover */
};
static struct model *m;

/* What the facts amount to on a day, by the rules of timeline.h. */
struct m_fig {
	bool measured;
	qpc_money qpc, sales, gp;
	bool gp_known; /* every line of the window carries a profit */
	bool has_oldest, verified;
	qpc_date oldest;
	enum qpc_share_kind kind;
	int32_t bp;
	bool untapped_known;
	qpc_money untapped;
	bool contract, cand;
	enum qpc_status base;   /* without candidacy */
	enum qpc_status status; /* as the accounts list shows it */
	int quality;            /* -1 unless a partner */
};

static int32_t m_threshold(qpc_date d)
{
	int32_t bp = QPC_THRESHOLD_DEFAULT;
	bool found = false;
	qpc_date best = 0;
	for (int i = 0; i < m->nsteps; i++) /* the latest from on or before d; a tie: the later */
		if (m->steps[i].from <= d && (!found || m->steps[i].from >= best)) {
			found = true;
			best = m->steps[i].from;
			bp = m->steps[i].bp;
		}
	return bp;
}

static bool m_contract_at(const struct m_acc *a, qpc_date d)
{
	for (int i = 0; i < a->ncontracts; i++) {
		const struct m_contract *c = &a->contracts[i];
		if (c->signed_on <= d && (!c->has_end || d < c->ends_on))
			return true;
	}
	return false;
}

static void m_eval(const struct m_acc *a, qpc_date d, struct m_fig *f)
{
	memset(f, 0, sizeof *f);
	qpc_date ws = qpc_date_add_months(d, -12); /* the window: (ws, d] */
	bool in_force[NCAT] = { false }, bought[NCAT] = { false };
	bool all_verified = true;
	for (int c = 0; c < NCAT; c++) {
		const struct m_line *best = NULL;
		for (int i = 0; i < a->nlines; i++) {
			const struct m_line *l = &a->lines[i];
			if (l->cat == c && l->on <= d && (!best || l->on >= best->on))
				best = l;
		}
		if (!best || best->removed)
			continue;
		in_force[c] = true;
		f->measured = true;
		f->qpc += best->amount;
		all_verified = all_verified && best->verified;
		if (!f->has_oldest || best->on < f->oldest)
			f->oldest = best->on;
		f->has_oldest = true;
	}
	f->verified = f->measured && all_verified;
	int n = 0;
	f->gp_known = true;
	for (int i = 0; i < a->nsales; i++) {
		const struct m_sale *s = &a->sales[i];
		if (s->date > ws && s->date <= d) {
			n++;
			f->sales += s->amount;
			f->gp += s->gp;
			f->gp_known = f->gp_known && s->has_gp;
			if (s->cat >= 0)
				bought[s->cat] = true;
		}
	}
	if (n == 0 && a->has_fig && a->fig_on <= d && a->fig_on > ws) {
		f->sales = a->fig_sales;
		f->gp = a->fig_has_gp ? a->fig_gp : 0;
		f->gp_known = a->fig_has_gp;
	}
	if (!f->gp_known)
		f->gp = 0;
	f->kind = QPC_SHARE_UNDEFINED;
	if (f->measured && f->qpc > 0) {
		qpc_money s = f->sales > 0 ? f->sales : 0;
		if (s > f->qpc) {
			f->kind = QPC_SHARE_OVER;
			f->bp = QPC_BP_ONE;
		} else {
			f->kind = QPC_SHARE_OK;
			f->bp = (int32_t)(s * QPC_BP_ONE / f->qpc);
		}
	}
	if (f->measured) {
		qpc_money s = f->sales > 0 ? f->sales : 0;
		f->untapped_known = true;
		f->untapped = f->qpc > s ? f->qpc - s : 0;
	}
	f->contract = m_contract_at(a, d);
	for (int i = 0; i < a->ncands; i++)
		if (a->cands[i].on <= d && (!a->cands[i].dropped || d < a->cands[i].dropped_on))
			f->cand = true;
	if (f->contract ||
	    (f->sales > 0 && f->kind != QPC_SHARE_UNDEFINED && f->bp >= m_threshold(d)))
		f->base = QPC_PARTNER;
	else
		f->base = f->sales > 0 ? QPC_CUSTOMER : QPC_PROSPECT;
	f->status = f->base != QPC_PARTNER && f->cand ? QPC_CANDIDATE : f->base;
	f->quality = -1;
	if (f->base == QPC_PARTNER) {
		bool missing = false;
		for (int c = 0; c < NCAT; c++)
			missing = missing || (bought[c] && !in_force[c]);
		if (!f->measured)
			f->quality = QPC_PROV_UNMEASURED;
		else if (!f->verified)
			f->quality = QPC_PROV_UNVERIFIED;
		else if (d - f->oldest > QPC_STALE_DAYS)
			f->quality = QPC_PROV_STALE;
		else if (f->sales > f->qpc)
			f->quality = QPC_PROV_BELOW_SALES;
		else if (missing)
			f->quality = QPC_PROV_MISSING;
		else
			f->quality = QPC_CONFIRMED;
	}
}

/* A fact measured on `on` replaces the standing ones of its category
 * measured on or after it (the potential triggers of schema 9). */
static void m_add_line(struct m_acc *a, struct m_line l)
{
	int k = 0;
	for (int i = 0; i < a->nlines; i++)
		if (!(a->lines[i].cat == l.cat && a->lines[i].on >= l.on))
			a->lines[k++] = a->lines[i];
	a->nlines = k;
	if (a->nlines == MAX_LINES)
		ck_abort_msg("more QPC facts than the model holds");
	a->lines[a->nlines++] = l;
}

/* The contract in force on d, as the store picks it: the latest signed,
 * then the latest recorded; -1 for none. */
static int m_contract_in_force(const struct m_acc *a, qpc_date d)
{
	int best = -1;
	for (int i = 0; i < a->ncontracts; i++) {
		const struct m_contract *c = &a->contracts[i];
		if (c->signed_on <= d && (!c->has_end || c->ends_on > d) &&
		    (best < 0 || c->signed_on >= a->contracts[best].signed_on))
			best = i;
	}
	return best;
}

static bool m_partner(const struct m_acc *a, qpc_date d)
{
	if (d < m->start)
		return false;
	if (d > m->end)
		ck_abort_msg("%s is past the days the model covers", iso(d));
	return a->partner[d - m->start];
}

/* Every account's status, day by day, from well before the first fact. */
static void m_days(void)
{
	int n = m->end - m->start + 1;
	for (int i = 0; i < m->nacc; i++) {
		struct m_acc *a = &m->acc[i];
		free(a->partner);
		a->partner = malloc((size_t)n);
		ck_assert_ptr_nonnull(a->partner);
		for (int k = 0; k < n; k++) {
			struct m_fig f;
			m_eval(a, m->start + k, &f);
			a->partner[k] = f.base == QPC_PARTNER;
		}
	}
}

/* A year's goal as of a date, from the days: an account became a partner
 * on a day of [Y-01-01, cut] when it was not one the day before; first
 * time when it was never one before the year; lost when it stopped being
 * one on a day of that range and is not one at the cut. */
static void m_goal(int year, qpc_date as_of, struct qpc_goal *g)
{
	memset(g, 0, sizeof *g);
	g->year = year;
	if (year >= GOAL_FIRST && year <= GOAL_LAST)
		g->target = m->target[year - GOAL_FIRST];
	qpc_date from, end;
	if (!qpc_date_from_ymd(year, 1, 1, &from) || !qpc_date_from_ymd(year, 12, 31, &end))
		ck_abort_msg("no year %d", year);
	qpc_date cut = as_of < end ? as_of : end;
	for (int i = 0; i < m->nacc && cut >= from; i++) {
		const struct m_acc *a = &m->acc[i];
		bool became = false, left = false, before = false;
		for (qpc_date d = from; d <= cut; d++) {
			bool p = m_partner(a, d), q = m_partner(a, d - 1);
			became = became || (p && !q);
			left = left || (!p && q);
		}
		for (qpc_date d = m->start; d < from && !before; d++)
			before = m_partner(a, d);
		if (became) {
			g->achieved++;
			if (before)
				g->regained++;
			else
				g->first_time++;
			struct m_fig f;
			m_eval(a, as_of, &f);
			if (f.base == QPC_PARTNER && f.quality == QPC_CONFIRMED)
				g->achieved_confirmed++;
		}
		if (left && !m_partner(a, cut))
			g->lost++;
	}
}

static void m_free(void)
{
	if (!m)
		return;
	for (int i = 0; i < m->nacc; i++)
		free(m->acc[i].partner);
	free(m);
	m = NULL;
}

/* --- mismatches: counted, the first few told ------------------------------- */

static int nbad;
static char first_bad[512];

__attribute__((format(printf, 1, 2))) static void bad(const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (nbad++ == 0)
		snprintf(first_bad, sizeof first_bad, "%s", msg);
	if (nbad <= 12)
		fprintf(stderr, "check_time: %s\n", msg);
}

static void dump_account(const struct m_acc *a)
{
	fprintf(stderr, "  account %s (id %lld) facts:\n", a->ext, (long long)a->id);
	for (int i = 0; i < a->nlines; i++)
		fprintf(stderr, "    qpc %s %s %s%lld%s\n", cat_name[a->lines[i].cat],
		        iso(a->lines[i].on), a->lines[i].removed ? "removed" : "",
		        a->lines[i].removed ? 0LL : (long long)a->lines[i].amount,
		        a->lines[i].verified ? " verified" : "");
	for (int i = 0; i < a->nsales; i++)
		fprintf(stderr, "    sale %s %s %lld\n", iso(a->sales[i].date),
		        a->sales[i].cat >= 0 ? cat_name[a->sales[i].cat] : "-",
		        (long long)a->sales[i].amount);
	if (a->has_fig)
		fprintf(stderr, "    figure %s %lld\n", iso(a->fig_on), (long long)a->fig_sales);
	for (int i = 0; i < a->ncontracts; i++)
		fprintf(stderr, "    contract %s..%s\n", iso(a->contracts[i].signed_on),
		        a->contracts[i].has_end ? iso(a->contracts[i].ends_on) : "");
	for (int i = 0; i < a->ncands; i++)
		fprintf(stderr, "    candidate %s..%s\n", iso(a->cands[i].on),
		        a->cands[i].dropped ? iso(a->cands[i].dropped_on) : "");
	for (int i = 0; i < m->nsteps; i++)
		fprintf(stderr, "    threshold %s %d\n", iso(m->steps[i].from), m->steps[i].bp);
}

static void no_mismatch(void)
{
	ck_assert_msg(nbad == 0, "%d mismatches with the brute force; the first: %s", nbad,
	              first_bad);
}

/* --- building a random database -------------------------------------------- */

static const char *const special_iso[] = {
	"2020-02-29", "2024-02-29", "2028-02-29", "2023-02-28", "2024-02-28", "2024-03-01",
	"2025-02-28", "2025-03-01", "2024-12-31", "2025-01-01", "2025-12-31", "2026-01-01",
	"2022-12-31", "2023-01-01", "2028-12-31", "2029-01-01", "2027-02-28", "2028-03-01",
};
#define NSPECIAL ((int)(sizeof special_iso / sizeof *special_iso))

static qpc_date rnd_date(void)
{
	if (chance(15))
		return D(special_iso[rnd(NSPECIAL)]);
	return m->lo + rnd(m->hi - m->lo + 1);
}

/* A date for one of the account's facts. */
static qpc_date acc_date(const struct m_acc *a)
{
	if (!a->kept || chance(10))
		return rnd_date();
	return a->base + rnd(3 * 365);
}

static void op_sale(struct m_acc *a)
{
	if (a->nsales == MAX_SALES)
		return;
	struct m_sale *s = &a->sales[a->nsales];
	s->date = acc_date(a);
	s->cat = rnd(NCAT + 1) - 1;
	if (chance(12)) /* a credit */
		s->amount = -(qpc_money)(rnd(10) + 1) * 100000;
	else
		s->amount = (qpc_money)(rnd(60) + 1) * 100000;
	bool has_gp = chance(80);
	s->gp = has_gp ? s->amount / 4 : 0;
	s->has_gp = has_gp;
	char key[24];
	snprintf(key, sizeof key, "s%d", ++m->nkeys);
	struct qpc_sale_rec r = { .account_id = a->id,
		                  .category_id = s->cat >= 0 ? m->cat_id[s->cat] : 0,
		                  .date = s->date, .amount = s->amount, .has_gp = has_gp,
		                  .gross_profit = s->gp, .source_key = key };
	OK(qpc_store_sale_add(st, &r, &err));
	a->nsales++;
}

static void op_line(struct m_acc *a)
{
	int c = rnd(NCAT);
	qpc_date on = acc_date(a);
	if (chance(20)) /* a correction on the day of a standing fact */
		for (int i = 0; i < a->nlines; i++)
			if (a->lines[i].cat == c)
				on = a->lines[i].on;
	qpc_money amount = chance(5) ? 0 : (qpc_money)(rnd(100) + 1) * 100000;
	bool verified = chance(a->kept ? 95 : 50);
	if (chance(50)) {
		struct qpc_potential_rec p = { .account_id = a->id, .category_id = m->cat_id[c],
			                       .amount = amount, .basis = "rep estimate",
			                       .verified = verified, .measured_on = on };
		OK(qpc_store_potential_set(st, &p, &err));
	} else {
		OK(qpc_edit_potential_set(st, a->id, cat_name[c], amount, "customer stated", verified,
		                          on, &err));
	}
	m_add_line(a,
	           (struct m_line){ .cat = c, .on = on, .verified = verified, .amount = amount });
	a->standing[c] = true;
}

/* Removing a line is dated by the store's clock: move it first. */
static void op_remove(struct m_acc *a)
{
	int c = rnd(NCAT);
	qpc_date today = rnd_date();
	clock_on(st, today);
	enum qpc_rc rc = qpc_edit_potential_rm(st, a->id, cat_name[c], &err);
	if (!a->standing[c]) {
		ck_assert_msg(rc == QPC_ERR_NOTFOUND, "removing a line that is not there: %d %s", rc,
		              err.msg);
		return;
	}
	ck_assert_msg(rc == QPC_OK, "removing %s of %s: %s", cat_name[c], a->ext, err.msg);
	m_add_line(a, (struct m_line){ .cat = c, .on = today, .removed = true });
	a->standing[c] = false;
}

/* A contract set where one is in force on its signing day changes that
 * one; one that would run into the next signed is refused. */
static void op_contract(struct m_acc *a)
{
	if (a->ncontracts == MAX_CONTRACTS)
		return;
	struct m_contract c = { .signed_on = rnd_date() };
	if (chance(60)) {
		c.has_end = true;
		c.ends_on = c.signed_on + 1 + rnd(900);
	}
	int in = m_contract_in_force(a, c.signed_on);
	bool has_next = false;
	qpc_date next = 0;
	for (int i = 0; i < a->ncontracts; i++)
		if (i != in && a->contracts[i].signed_on > c.signed_on &&
		    (!has_next || a->contracts[i].signed_on < next)) {
			has_next = true;
			next = a->contracts[i].signed_on;
		}
	struct qpc_contract_rec r = { .signed_on = c.signed_on, .has_end = c.has_end,
		                      .ends_on = c.ends_on, .has_value = chance(50),
		                      .value = (qpc_money)rnd(1000) * 10000 };
	enum qpc_rc rc = qpc_store_contract_set(st, a->id, &r, &err);
	if (has_next && (!c.has_end || c.ends_on > next)) {
		ck_assert_msg(rc == QPC_ERR_USAGE, "a contract running into the next: %d %s", rc,
		              err.msg);
		return;
	}
	ck_assert_msg(rc == QPC_OK, "contract for %s from %s: %s", a->ext, iso(c.signed_on),
	              err.msg);
	if (in >= 0)
		a->contracts[in] = c;
	else
		a->contracts[a->ncontracts++] = c;
}

static void op_contract_end(struct m_acc *a)
{
	qpc_date on = rnd_date();
	if (a->ncontracts > 0 && chance(70))
		on = a->contracts[rnd(a->ncontracts)].signed_on + 1 + rnd(700);
	int in = m_contract_in_force(a, on - 1);
	enum qpc_rc rc = qpc_store_contract_end(st, a->id, on, &err);
	if (in < 0) {
		ck_assert_msg(rc == QPC_ERR_NOTFOUND, "ending no contract: %d %s", rc, err.msg);
		return;
	}
	ck_assert_msg(rc == QPC_OK, "ending %s's contract on %s: %s", a->ext, iso(on), err.msg);
	a->contracts[in].has_end = true;
	a->contracts[in].ends_on = on;
}

static void op_threshold(void)
{
	static const struct {
		const char *text;
		int32_t bp;
	} th[] = { { "60%", 6000 }, { "0.7", 7000 }, { "75%", 7500 },
		   { "80%", 8000 }, { "0.9", 9000 }, { "50%", 5000 } };
	if (m->nsteps == MAX_STEPS)
		return;
	int k = rnd((int)(sizeof th / sizeof *th));
	qpc_date from = rnd_date();
	OK(qpc_store_setting_change(st, "threshold", th[k].text, from, &err));
	m->steps[m->nsteps++] = (struct m_step){ from, th[k].bp };
}

static void op_candidacy(struct m_acc *a)
{
	struct m_cand *active = NULL;
	for (int i = 0; i < a->ncands; i++)
		if (!a->cands[i].dropped)
			active = &a->cands[i];
	if (active && chance(60)) {
		qpc_date on = active->on + 1 + rnd(500);
		OK(qpc_edit_candidate_drop(st, a->id, "not now", on, &err));
		active->dropped = true;
		active->dropped_on = on;
	} else if (active) {
		ck_assert_int_eq(qpc_store_candidate_add(st, a->id, 0, rnd_date(), &err),
		                 QPC_ERR_DATA);
	} else if (a->ncands < MAX_CANDS) {
		qpc_date on = rnd_date();
		OK(qpc_store_candidate_add(st, a->id, 0, on, &err));
		a->cands[a->ncands++] = (struct m_cand){ .on = on };
	}
}

static void random_op(struct m_acc *a)
{
	int op = rnd(100);
	if (op < 38)
		op_sale(a);
	else if (op < 64)
		op_line(a);
	else if (op < 72)
		op_remove(a);
	else if (op < 80)
		op_contract(a);
	else if (op < 85)
		op_contract_end(a);
	else if (op < 88)
		op_threshold();
	else
		op_candidacy(a);
}

/* Accounts, then nops random writes in a random order, each dated by a
 * clock that moves at random; the last fifth all on `today`, so that the
 * figures kept for today are kept by the writes of one day too. */
static void build(int nacc, int nops, qpc_date today)
{
	m = calloc(1, sizeof *m);
	ck_assert_ptr_nonnull(m);
	m->lo = D("2020-01-01");
	m->hi = D("2029-12-31");
	m->start = D("2019-01-01");
	m->end = D("2031-12-31");
	ck_assert_msg(store_new(path, &st, &err) == QPC_OK, "%s", err.msg);
	clock_on(st, today);
	for (int c = 0; c < NCAT; c++)
		OK(qpc_store_category_ensure(st, cat_name[c], &m->cat_id[c], &err));
	static const char *const owners[] = { "ann", "bob", "cy" };
	m->nacc = nacc;
	for (int i = 0; i < nacc; i++) {
		struct m_acc *a = &m->acc[i];
		char name[32];
		snprintf(a->ext, sizeof a->ext, "T%02d", i);
		a->kept = i % 3 == 0;
		a->base = m->lo + rnd(m->hi - m->lo - 3 * 365);
		snprintf(name, sizeof name, "Account %02d", i);
		struct qpc_account_rec r = { .external_id = a->ext, .name = name,
			                     .owner = owners[i % 3],
			                     .segment = i % 2 ? "Retail" : "Industry" };
		r.facts_on = rnd_date();
		if (chance(35)) {
			r.has_account_figure = true;
			r.account_sales_12m = (qpc_money)(rnd(150) + 1) * 100000;
			r.has_account_gp = chance(50);
			r.account_gp_12m = r.account_sales_12m / 3;
		}
		if (chance(12)) {
			r.contract_partner = true;
			r.has_contract_value = chance(50);
			r.contract_value = 5000000;
		}
		clock_on(st, rnd_date());
		OK(qpc_store_account_insert(st, &r, &a->id, &err));
		if (r.has_account_figure) {
			a->has_fig = true;
			a->fig_on = r.facts_on;
			a->fig_sales = r.account_sales_12m;
			a->fig_has_gp = r.has_account_gp;
			a->fig_gp = r.account_gp_12m;
		}
		if (r.contract_partner)
			a->contracts[a->ncontracts++] =
				(struct m_contract){ .signed_on = r.facts_on };
	}
	for (int k = 0; k < nops; k++) {
		struct m_acc *a = &m->acc[rnd(nacc)];
		clock_on(st, k >= nops - nops / 5 ? today : rnd_date());
		random_op(a);
		if (k >= nops - nops / 5)
			clock_on(st, today); /* a removal moved it */
	}
	for (int y = GOAL_FIRST; y <= GOAL_LAST; y++) {
		m->target[y - GOAL_FIRST] = 1 + rnd(10);
		OK(qpc_store_goal_set(st, y, m->target[y - GOAL_FIRST], &err));
	}
	m_days();
}

/* --- what the store says, against the model -------------------------------- */

struct got {
	int n;
	struct qpc_account_row rows[MAX_ACC];
	char ext[MAX_ACC][16];
};

static int got_row(const struct qpc_account_row *r, void *ctx)
{
	struct got *g = ctx;
	if (g->n < MAX_ACC) {
		g->rows[g->n] = *r;
		snprintf(g->ext[g->n], sizeof g->ext[0], "%s", r->external_id);
		/* the strings live until the callback returns */
		g->rows[g->n].external_id = g->rows[g->n].name = g->rows[g->n].owner = NULL;
		g->rows[g->n].segment = g->rows[g->n].city = g->rows[g->n].country = NULL;
	}
	g->n++;
	return 0;
}

static void get_accounts(struct qpc_store *s, qpc_date d, struct got *g)
{
	memset(g, 0, sizeof *g);
	ck_assert_msg(qpc_store_accounts_each(s, d, got_row, g, &err) == QPC_OK, "%s", err.msg);
}

static const struct qpc_account_row *got_find(const struct got *g, const char *ext)
{
	for (int i = 0; i < g->n && i < MAX_ACC; i++)
		if (strcmp(g->ext[i], ext) == 0)
			return &g->rows[i];
	ck_abort_msg("no account %s", ext);
	return NULL;
}

static bool dumped[MAX_ACC];

/* One account's row against the model's figures at d. */
static void same_row(const struct m_acc *a, int ai, const struct qpc_account_row *r, qpc_date d,
                     const char *who)
{
	struct m_fig f;
	m_eval(a, d, &f);
	const struct qpc_account_figures *g = &r->fig;
	int was = nbad;
	if (g->qpc_measured != f.measured || (f.measured && g->qpc != f.qpc))
		bad("%s %s at %s: QPC %s%lld, expected %s%lld", who, a->ext, iso(d),
		    g->qpc_measured ? "" : "unmeasured ", (long long)g->qpc,
		    f.measured ? "" : "unmeasured ", (long long)f.qpc);
	if (g->sales_12m != f.sales || g->gp_12m != f.gp || g->gp_known != f.gp_known)
		bad("%s %s at %s: sales 12m %lld (gp %lld%s), expected %lld (gp %lld%s)", who, a->ext,
		    iso(d), (long long)g->sales_12m, (long long)g->gp_12m,
		    g->gp_known ? "" : ", unknown", (long long)f.sales, (long long)f.gp,
		    f.gp_known ? "" : ", unknown");
	if (g->share.kind != f.kind || (f.kind != QPC_SHARE_UNDEFINED && g->share.bp != f.bp))
		bad("%s %s at %s: share kind %d %d bp, expected kind %d %d bp", who, a->ext, iso(d),
		    g->share.kind, g->share.bp, f.kind, f.bp);
	if (g->untapped_known != f.untapped_known || (f.untapped_known && g->untapped != f.untapped))
		bad("%s %s at %s: untapped %lld, expected %lld", who, a->ext, iso(d),
		    (long long)g->untapped, (long long)f.untapped);
	if (g->status != f.status)
		bad("%s %s at %s: status %s, expected %s (threshold %d)", who, a->ext, iso(d),
		    qpc_status_name(g->status), qpc_status_name(f.status), m_threshold(d));
	if (r->contract_partner != f.contract)
		bad("%s %s at %s: contract %d, expected %d", who, a->ext, iso(d), r->contract_partner,
		    f.contract);
	if (r->has_measured_on != f.has_oldest || (f.has_oldest && r->qpc_measured_on != f.oldest) ||
	    r->qpc_verified != f.verified)
		bad("%s %s at %s: measured on %s verified %d, expected %s verified %d", who, a->ext,
		    iso(d), r->has_measured_on ? iso(r->qpc_measured_on) : "-", r->qpc_verified,
		    f.has_oldest ? iso(f.oldest) : "-", f.verified);
	if (r->has_quality != (f.quality >= 0) || (f.quality >= 0 && (int)r->quality != f.quality))
		bad("%s %s at %s: quality %s, expected %s", who, a->ext, iso(d),
		    r->has_quality ? qpc_quality_name(r->quality) : "none",
		    f.quality >= 0 ? qpc_quality_name((enum qpc_quality)f.quality) : "none");
	if (nbad > was && ai >= 0 && ai < MAX_ACC && !dumped[ai] && nbad <= 12) {
		dumped[ai] = true;
		dump_account(a);
	}
}

static void check_accounts(struct qpc_store *s, qpc_date d, const char *who)
{
	struct got g;
	get_accounts(s, d, &g);
	if (g.n != m->nacc)
		bad("%s at %s: %d accounts, expected %d", who, iso(d), g.n, m->nacc);
	for (int i = 0; i < m->nacc; i++) {
		const struct m_acc *a = &m->acc[i];
		const struct qpc_account_row *r = NULL;
		for (int k = 0; k < g.n && k < MAX_ACC; k++)
			if (g.rows[k].id == a->id)
				r = &g.rows[k];
		if (!r) {
			bad("%s at %s: account %s missing", who, iso(d), a->ext);
			continue;
		}
		same_row(a, i, r, d, who);
	}
}

static void same_goal(const struct qpc_goal *g, const struct qpc_goal *x, qpc_date d,
                      const char *what)
{
	if (g->achieved != x->achieved || g->first_time != x->first_time ||
	    g->regained != x->regained || g->lost != x->lost ||
	    g->achieved_confirmed != x->achieved_confirmed || g->target != x->target)
		bad("%s %d as of %s: achieved %lld (first %lld, regained %lld, confirmed %lld) lost "
		    "%lld target %lld; expected %lld (%lld, %lld, %lld) lost %lld target %lld",
		    what, x->year, iso(d), (long long)g->achieved, (long long)g->first_time,
		    (long long)g->regained, (long long)g->achieved_confirmed, (long long)g->lost,
		    (long long)g->target, (long long)x->achieved, (long long)x->first_time,
		    (long long)x->regained, (long long)x->achieved_confirmed, (long long)x->lost,
		    (long long)x->target);
}

/* What the model's goals added up to over the whole run: a test that saw
 * no regained or lost partner would prove little. */
static struct qpc_goal seen;
static int64_t seen_status[QPC_STATUS_COUNT], seen_quality[QPC_QUALITY_COUNT];

static void check_report(struct qpc_store *s, qpc_date d)
{
	struct qpc_report r;
	ck_assert_msg(qpc_store_report(s, d, &r, &err) == QPC_OK, "%s", err.msg);
	struct qpc_kpi k;
	memset(&k, 0, sizeof k);
	int64_t confirmed = 0, prov[QPC_QUALITY_COUNT] = { 0 };
	qpc_money qpc_sales = 0, untapped = 0;
	for (int i = 0; i < m->nacc; i++) {
		struct m_fig f;
		m_eval(&m->acc[i], d, &f);
		bool partner = f.status == QPC_PARTNER;
		k.accounts++;
		if (f.sales > 0 || partner)
			k.customers++;
		else
			k.prospects++;
		k.partners += partner;
		k.candidates += f.status == QPC_CANDIDATE;
		k.contract_partners += f.contract;
		k.sales_12m += f.sales;
		if (f.gp_known) {
			k.gp_12m += f.gp;
			k.gp_known += f.sales > 0 || partner;
			k.partners_gp_known += partner;
		}
		if (f.measured) {
			k.measured++;
			k.qpc_total += f.qpc;
			qpc_sales += f.sales > 0 ? f.sales : 0;
			untapped += f.untapped;
		}
		if (partner) {
			prov[f.quality]++;
			confirmed += f.quality == QPC_CONFIRMED;
			seen_quality[f.quality]++;
		}
		seen_status[f.status]++;
	}
	if (r.figures_stale)
		bad("report at %s: figures stale (as of %s)", iso(d), iso(r.figures_as_of));
	if (r.kpi.accounts != k.accounts || r.kpi.customers != k.customers ||
	    r.kpi.prospects != k.prospects || r.kpi.partners != k.partners ||
	    r.kpi.candidates != k.candidates || r.kpi.contract_partners != k.contract_partners ||
	    r.kpi.measured != k.measured)
		bad("report at %s: accounts %lld customers %lld prospects %lld partners %lld "
		    "candidates %lld contract %lld measured %lld; expected %lld %lld %lld %lld %lld "
		    "%lld %lld",
		    iso(d), (long long)r.kpi.accounts, (long long)r.kpi.customers,
		    (long long)r.kpi.prospects, (long long)r.kpi.partners, (long long)r.kpi.candidates,
		    (long long)r.kpi.contract_partners, (long long)r.kpi.measured,
		    (long long)k.accounts, (long long)k.customers, (long long)k.prospects,
		    (long long)k.partners, (long long)k.candidates, (long long)k.contract_partners,
		    (long long)k.measured);
	if (r.kpi.gp_known != k.gp_known || r.kpi.partners_gp_known != k.partners_gp_known)
		bad("report at %s: profit known for %lld customers, %lld partners; expected %lld, %lld",
		    iso(d), (long long)r.kpi.gp_known, (long long)r.kpi.partners_gp_known,
		    (long long)k.gp_known, (long long)k.partners_gp_known);
	if (r.kpi.sales_12m != k.sales_12m || r.kpi.gp_12m != k.gp_12m ||
	    r.kpi.qpc_total != k.qpc_total || r.kpi.qpc_sales_12m != qpc_sales ||
	    r.kpi.untapped != untapped)
		bad("report at %s: sales %lld gp %lld qpc %lld measured sales %lld untapped %lld; "
		    "expected %lld %lld %lld %lld %lld",
		    iso(d), (long long)r.kpi.sales_12m, (long long)r.kpi.gp_12m,
		    (long long)r.kpi.qpc_total, (long long)r.kpi.qpc_sales_12m,
		    (long long)r.kpi.untapped, (long long)k.sales_12m, (long long)k.gp_12m,
		    (long long)k.qpc_total, (long long)qpc_sales, (long long)untapped);
	if (r.partners_confirmed != confirmed)
		bad("report at %s: %lld partners confirmed, expected %lld", iso(d),
		    (long long)r.partners_confirmed, (long long)confirmed);
	for (int q = 0; q < QPC_QUALITY_COUNT; q++)
		if (r.provisional[q] != prov[q])
			bad("report at %s: %lld partners %s, expected %lld", iso(d),
			    (long long)r.provisional[q], qpc_quality_name((enum qpc_quality)q),
			    (long long)prov[q]);
	if (r.settings.threshold_bp != m_threshold(d))
		bad("report at %s: threshold %d, expected %d", iso(d), r.settings.threshold_bp,
		    m_threshold(d));
	int y = qpc_date_year(d);
	bool has_goal = y >= GOAL_FIRST && y <= GOAL_LAST;
	if (r.has_goal != has_goal) {
		bad("report at %s: has_goal %d", iso(d), r.has_goal);
	} else if (has_goal) {
		struct qpc_goal x;
		m_goal(y, d, &x);
		same_goal(&r.goal, &x, d, "report's goal");
	}
}

static void check_goals(struct qpc_store *s, qpc_date d)
{
	int y = qpc_date_year(d);
	for (int year = y - 1; year <= y + 1; year++) {
		struct qpc_goal g, x;
		ck_assert_msg(qpc_store_goal_progress(s, year, d, &g, &err) == QPC_OK, "%s",
		              err.msg);
		m_goal(year, d, &x);
		same_goal(&g, &x, d, "goal");
		seen.achieved += x.achieved;
		seen.first_time += x.first_time;
		seen.regained += x.regained;
		seen.lost += x.lost;
		seen.achieved_confirmed += x.achieved_confirmed;
	}
}

static int goal_row(const struct qpc_goal *g, void *ctx)
{
	const qpc_date *d = ctx;
	struct qpc_goal x;
	if (g->year < GOAL_FIRST || g->year > GOAL_LAST) {
		bad("goals list at %s: a goal for %d", iso(*d), g->year);
		return 0;
	}
	m_goal(g->year, *d, &x);
	same_goal(g, &x, *d, "goals list");
	return 0;
}

/* Every goal, through the list the export reads. */
static void check_goals_list(struct qpc_store *s, qpc_date d)
{
	ck_assert_msg(qpc_store_goals_each(s, d, goal_row, &d, &err) == QPC_OK, "%s", err.msg);
}

/* When each account last became a partner, on or before d. */
static void check_since(struct qpc_store *s, qpc_date d)
{
	for (int i = 0; i < m->nacc; i++) {
		const struct m_acc *a = &m->acc[i];
		bool known = false, x_known = false;
		qpc_date since = 0, x = 0;
		ck_assert_msg(qpc_store_partner_since(s, a->id, d, &known, &since, &err) == QPC_OK,
		              "%s", err.msg);
		for (qpc_date k = d; k >= m->start && !x_known; k--)
			if (m_partner(a, k) && !m_partner(a, k - 1)) {
				x_known = true;
				x = k;
			}
		if (known != x_known || (known && since != x))
			bad("partner since of %s at %s: %s, expected %s", a->ext, iso(d),
			    known ? iso(since) : "never", x_known ? iso(x) : "never");
	}
}

/* The dates read: the special ones, then random ones in and around the
 * facts' years. */
static int read_dates(qpc_date today, qpc_date *out, int n)
{
	static const char *const fixed[] = { "2024-02-29", "2028-02-29", "2024-12-31", "2025-01-01",
		                             "2028-12-31", "2029-01-01", "2019-06-01", "2031-06-30",
		                             "2020-01-01", "2025-02-28", "2030-01-01" };
	int k = 0;
	out[k++] = today;
	for (size_t i = 0; i < sizeof fixed / sizeof *fixed && k < n; i++)
		out[k++] = D(fixed[i]);
	qpc_date lo = D("2019-06-01"), hi = D("2031-06-30");
	for (; k < n; k++) /* half anywhere, half where a well-kept account has its facts */
		out[k] = k % 2 ? lo + rnd(hi - lo + 1)
		               : m->acc[(size_t)rnd((m->nacc + 2) / 3) * 3].base + rnd(3 * 365);
	return k;
}

/* --- 1. the property test --------------------------------------------------- */

START_TEST(figures_and_goals_match_a_brute_force)
{
	seed = 0x7113e5eedu;
	qpc_date today = D("2026-11-17");
	build(30, 520, today);
	qpc_date dates[40];
	int n = read_dates(today, dates, 40);
	for (int i = 0; i < n; i++) {
		check_accounts(st, dates[i], "accounts");
		check_report(st, dates[i]);
		check_goals(st, dates[i]);
		if (i % 4 == 0)
			check_since(st, dates[i]);
	}
	for (int i = 0; i < 4; i++)
		check_goals_list(st, dates[i]);
	no_mismatch();
	/* the run saw what it is meant to test */
	ck_assert_int_gt(seen.first_time, 0);
	ck_assert_int_gt(seen.regained, 0);
	ck_assert_int_gt(seen.lost, 0);
	ck_assert_int_gt(seen_status[QPC_PARTNER], 0);
	ck_assert_int_gt(seen_status[QPC_CANDIDATE], 0);
	ck_assert_int_gt(seen_status[QPC_CUSTOMER], 0);
	ck_assert_int_gt(seen_status[QPC_PROSPECT], 0);
	ck_assert_int_gt(seen.achieved_confirmed, 0);
	for (int q = 0; q < QPC_QUALITY_COUNT; q++)
		ck_assert_msg(seen_quality[q] > 0, "no partner was %s",
		              qpc_quality_name((enum qpc_quality)q));
}
END_TEST

/* A connection reading at another date writes: its own copy of that
 * date's figures must follow its writes. */
START_TEST(reads_between_writes)
{
	seed = 0xb37eeu;
	qpc_date today = D("2026-11-17");
	build(10, 100, today);
	for (int k = 0; k < 30; k++) {
		qpc_date d = k % 5 == 0 ? today : m->lo + rnd(m->hi - m->lo + 1);
		check_accounts(st, d, "before a write");
		clock_on(st, k % 2 ? today : rnd_date());
		random_op(&m->acc[rnd(m->nacc)]);
		check_accounts(st, d, "after a write");
	}
	m_days();
	qpc_date dates[8];
	int n = read_dates(today, dates, 8);
	for (int i = 0; i < n; i++) {
		check_report(st, dates[i]);
		check_goals(st, dates[i]);
	}
	no_mismatch();
}
END_TEST

/* --- 2. reads never write --------------------------------------------------- */

/* A growing string. */
struct buf {
	char *p;
	size_t n, cap;
};

static void put(struct buf *b, const void *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t cap = (b->cap ? b->cap * 2 : 4096) + n;
		char *grown = realloc(b->p, cap);
		ck_assert_ptr_nonnull(grown);
		b->p = grown;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void puts_(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* One value, typed, so that 1 and '1' differ. */
static void put_value(struct buf *b, sqlite3_stmt *s, int col)
{
	char tmp[48];
	switch (sqlite3_column_type(s, col)) {
	case SQLITE_NULL:
		puts_(b, "N");
		break;
	case SQLITE_INTEGER:
		snprintf(tmp, sizeof tmp, "i%lld", (long long)sqlite3_column_int64(s, col));
		puts_(b, tmp);
		break;
	case SQLITE_FLOAT:
		snprintf(tmp, sizeof tmp, "f%.17g", sqlite3_column_double(s, col));
		puts_(b, tmp);
		break;
	case SQLITE_TEXT:
		puts_(b, "t");
		put(b, sqlite3_column_text(s, col), (size_t)sqlite3_column_bytes(s, col));
		break;
	default: {
		const unsigned char *p = sqlite3_column_blob(s, col);
		int n = sqlite3_column_bytes(s, col);
		puts_(b, "x");
		for (int i = 0; i < n; i++) {
			snprintf(tmp, sizeof tmp, "%02x", p[i]);
			puts_(b, tmp);
		}
	}
	}
}

/* The file's whole content as text: its schema and user version, then
 * every table's rows (FTS5's own tables included), each table's rows
 * sorted, read through a connection of its own.  Not the file's bytes: a
 * checkpoint moves pages without changing what they hold. */
static char *fingerprint(const char *file)
{
	sqlite3 *db;
	ck_assert_int_eq(sqlite3_open_v2(file, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	struct buf b = { 0 };
	sqlite3_stmt *s;
	ck_assert_int_eq(sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &s, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(s), SQLITE_ROW);
	puts_(&b, "user_version ");
	put_value(&b, s, 0);
	puts_(&b, "\n");
	sqlite3_finalize(s);
	ck_assert_int_eq(sqlite3_prepare_v2(db,
	                                    "SELECT type, name, tbl_name, sql FROM sqlite_schema"
	                                    " ORDER BY type, name",
	                                    -1, &s, NULL),
	                 SQLITE_OK);
	char *tables[256];
	int ntables = 0;
	while (sqlite3_step(s) == SQLITE_ROW) {
		for (int c = 0; c < 4; c++) {
			put_value(&b, s, c);
			puts_(&b, c < 3 ? " " : "\n");
		}
		const char *type = (const char *)sqlite3_column_text(s, 0);
		const char *sql = (const char *)sqlite3_column_text(s, 3);
		if (strcmp(type, "table") == 0 && !(sql && strncmp(sql, "CREATE VIRTUAL", 14) == 0)) {
			ck_assert_int_lt(ntables, 256);
			tables[ntables] = strdup((const char *)sqlite3_column_text(s, 1));
			ck_assert_ptr_nonnull(tables[ntables]);
			ntables++;
		}
	}
	sqlite3_finalize(s);
	for (int t = 0; t < ntables; t++) {
		char *q = sqlite3_mprintf("SELECT * FROM \"%w\"", tables[t]);
		ck_assert_int_eq(sqlite3_prepare_v2(db, q, -1, &s, NULL), SQLITE_OK);
		sqlite3_free(q);
		char **rows = NULL;
		size_t nrows = 0, cap = 0;
		while (sqlite3_step(s) == SQLITE_ROW) {
			struct buf row = { 0 };
			for (int c = 0; c < sqlite3_column_count(s); c++) {
				put_value(&row, s, c);
				puts_(&row, "|");
			}
			if (nrows == cap) {
				cap = cap ? cap * 2 : 64;
				char **grown = realloc(rows, cap * sizeof *rows);
				ck_assert_ptr_nonnull(grown);
				rows = grown;
			}
			rows[nrows++] = row.p;
		}
		sqlite3_finalize(s);
		if (nrows > 0)
			qsort(rows, nrows, sizeof *rows, cmp_str);
		puts_(&b, "table ");
		puts_(&b, tables[t]);
		puts_(&b, "\n");
		for (size_t i = 0; i < nrows; i++) {
			puts_(&b, rows[i] ? rows[i] : "");
			puts_(&b, "\n");
			free(rows[i]);
		}
		free(rows);
		free(tables[t]);
	}
	sqlite3_close(db);
	return b.p;
}

/* The two fingerprints are equal; else says where they part. */
static void same_content(const char *was, const char *now, const char *when)
{
	if (strcmp(was, now) == 0)
		return;
	size_t i = 0;
	while (was[i] && was[i] == now[i])
		i++;
	size_t from = i > 160 ? i - 160 : 0;
	ck_abort_msg("%s: the file's content changed at byte %zu:\n--- was ...%.320s\n--- now "
	             "...%.320s",
	             when, i, was + from, now + from);
}

static int count_account(const struct qpc_account_row *r, void *ctx)
{
	(void)r;
	++*(int *)ctx;
	return 0;
}
static int count_candidate(const struct qpc_candidate_row *r, void *ctx)
{
	(void)r;
	++*(int *)ctx;
	return 0;
}
static int count_goal(const struct qpc_goal *g, void *ctx)
{
	(void)g;
	++*(int *)ctx;
	return 0;
}
static int count_potential(const struct qpc_potential_row *r, void *ctx)
{
	(void)r;
	++*(int *)ctx;
	return 0;
}
static int count_sale(const struct qpc_sale_row *r, void *ctx)
{
	(void)r;
	++*(int *)ctx;
	return 0;
}
static int count_change(const struct qpc_change *c, void *ctx)
{
	(void)c;
	++*(int *)ctx;
	return 0;
}
static int count_contract(const struct qpc_contract_row *r, void *ctx)
{
	(void)r;
	++*(int *)ctx;
	return 0;
}
static int count_setting(const struct qpc_setting_row *r, void *ctx)
{
	(void)r;
	++*(int *)ctx;
	return 0;
}
static int count_template(const struct qpc_template *t, void *ctx)
{
	(void)t;
	++*(int *)ctx;
	return 0;
}

/* The dashboard's reads at d: a page in every order both ways, counts,
 * search, one account, its history, candidates, board, suggestions,
 * goals, the dashboard itself. */
static void browse_everything(struct qpc_store *s, qpc_date d)
{
	OK(qpc_store_refresh(s, d, &err));
	struct qpc_browse *b;
	OK(qpc_browse_open(s, d, &b, &err));
	int64_t total, n64;
	OK(qpc_browse_total(b, &total, &err));
	struct qpc_filter all, f;
	qpc_filter_init(&all);
	for (int k = 0; k < 3; k++) {
		qpc_filter_init(&f);
		if (k == 1)
			f.status = QPC_PARTNER;
		if (k == 2)
			f.stale = true;
		struct qpc_count c;
		qpc_count_start(&c);
		for (int guard = 0; !c.done && guard < 1000; guard++)
			OK(qpc_browse_count(b, &f, &c, &err));
	}
	struct qpc_browse_row rows[8];
	struct qpc_fetched out;
	for (int col = 0; col < QPC_COL_COUNT; col++)
		for (int dir_ = 0; dir_ < 2; dir_++) {
			struct qpc_order o = { (enum qpc_col)col, dir_ == 1 };
			struct qpc_fetch r = { .dir = dir_ ? QPC_PREV : QPC_NEXT, .max = 8 };
			OK(qpc_browse_fetch(b, &all, &o, &r, rows, &out, &err));
		}
	struct qpc_order by_name = { QPC_COL_NAME, false };
	struct qpc_fetch page = { .dir = QPC_NEXT, .max = 8 };
	OK(qpc_browse_fetch(b, &all, &by_name, &page, rows, &out, &err));
	ck_assert_int_gt(out.n, 0);
	struct qpc_browse_row one;
	OK(qpc_browse_row(b, rows[0].id, &one, &err));
	struct qpc_account_detail *det = malloc(sizeof *det);
	ck_assert_ptr_nonnull(det);
	OK(qpc_browse_detail(b, rows[0].id, det, &err));
	free(det);
	struct qpc_history_row h[8];
	OK(qpc_browse_history(b, rows[0].id, &page, h, &out, &err));
	qpc_filter_init(&f);
	snprintf(f.text, sizeof f.text, "%s", "ccount 0");
	bool exact;
	OK(qpc_browse_match_count(b, &f, &n64, &exact, &err));
	OK(qpc_browse_fetch(b, &f, &by_name, &page, rows, &out, &err));
	struct qpc_browse_candidate_row cand[8];
	OK(qpc_browse_candidates(b, &page, cand, &out, &err));
	OK(qpc_browse_candidate_count(b, &n64, &err));
	struct qpc_board_row board[8];
	int n;
	OK(qpc_browse_board(b, QPC_BOARD_PROGRESS_DESC, board, 8, &n, &err));
	struct qpc_suggestion sug[4];
	OK(qpc_browse_suggestions(b, sug, 4, &n, &err));
	struct qpc_goal goals[16];
	OK(qpc_browse_goals(b, goals, 16, &n, &err));
	OK(qpc_browse_partners_made(b, goals, 16, &n, &err));
	struct qpc_value_count seg[8];
	OK(qpc_browse_segment_counts(b, seg, 8, &n, &err));
	OK(qpc_browse_owners(b, seg, 8, &n, &err));
	char cats[8][QPC_CATEGORY_MAX];
	OK(qpc_browse_categories(b, cats, 8, &n, &err));
	struct qpc_dashboard *dash = malloc(sizeof *dash);
	ck_assert_ptr_nonnull(dash);
	OK(qpc_browse_dashboard(b, dash, &err));
	free(dash);
	bool changed;
	OK(qpc_browse_changed(b, &changed, &err));
	qpc_browse_close(b);
}

/* Every read the commands and the dashboard make, at d. */
static void read_everything(struct qpc_store *s, qpc_date d)
{
	int n = 0;
	struct qpc_report r;
	OK(qpc_store_report(s, d, &r, &err));
	OK(qpc_store_accounts_each(s, d, count_account, &n, &err));
	OK(qpc_store_candidates_each(s, d, count_candidate, &n, &err));
	OK(qpc_store_goals_each(s, d, count_goal, &n, &err));
	struct qpc_goal g;
	OK(qpc_store_goal_progress(s, qpc_date_year(d), d, &g, &err));
	OK(qpc_store_goal_progress(s, qpc_date_year(d) - 1, d, &g, &err));
	OK(qpc_store_refresh(s, d, &err));
	OK(qpc_store_potential_each(s, count_potential, &n, &err));
	OK(qpc_store_sales_each(s, count_sale, &n, &err));
	OK(qpc_store_contract_each(s, 0, count_contract, &n, &err));
	OK(qpc_store_setting_each(s, count_setting, &n, &err));
	OK(qpc_history_each(s, 0, 0, count_change, &n, &err));
	OK(qpc_template_each(s, count_template, &n, &err));
	struct qpc_settings set;
	OK(qpc_store_settings(s, &set, &err));
	int32_t bp;
	OK(qpc_store_threshold_at(s, d, &bp, &err));
	int64_t count;
	OK(qpc_store_count_accounts(s, &count, &err));
	for (int i = 0; i < m->nacc; i++) {
		bool known;
		qpc_date since;
		OK(qpc_store_partner_since(s, m->acc[i].id, d, &known, &since, &err));
	}
	struct qpc_qpc_sheet *sheet = malloc(sizeof *sheet);
	ck_assert_ptr_nonnull(sheet);
	OK(qpc_edit_load(s, m->acc[0].id, sheet, &err));
	free(sheet);
	browse_everything(s, d);
}

START_TEST(reads_never_write)
{
	seed = 0x4ead5u;
	qpc_date today = D("2026-11-17");
	build(12, 200, today);
	/* a checklist with ticks, for the board and the candidates' pages */
	for (int i = 0; i < m->nacc; i++) {
		struct m_acc *a = &m->acc[i];
		bool active = false;
		for (int k = 0; k < a->ncands; k++)
			active = active || !a->cands[k].dropped;
		if (active)
			OK(qpc_store_tick(st, a->id, 1, "met them", &err));
	}
	char *was = fingerprint(path);
	qpc_date dates[10];
	int n = 0;
	dates[n++] = today;
	static const char *const fixed[] = { "2024-02-29", "2028-02-29", "2025-12-31", "2026-01-01",
		                             "2018-05-05", "2033-03-03", "2024-12-31" };
	for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
		dates[n++] = D(fixed[i]);
	while (n < 10)
		dates[n++] = m->lo + rnd(m->hi - m->lo + 1);
	for (int i = 0; i < n; i++)
		read_everything(st, dates[i]);
	/* back to today, and then a day on which nothing was written yet */
	read_everything(st, today);
	clock_on(st, today + 40);
	read_everything(st, today + 40);
	char *now = fingerprint(path);
	same_content(was, now, "after reads on a read-write store");
	free(now);
	qpc_store_close(st);
	st = NULL;
	now = fingerprint(path);
	same_content(was, now, "after closing");
	free(now);

	/* read-only: reads at any date work, and write nothing */
	OK(qpc_store_open(path, QPC_OPEN_READONLY, &st, &err));
	ck_assert(qpc_store_readonly(st));
	clock_on(st, today + 3);
	for (int i = 0; i < n; i += 2)
		read_everything(st, dates[i]);
	ck_assert_int_eq(qpc_store_goal_set(st, 2026, 9, &err), QPC_ERR_READONLY);
	/* and they are right */
	check_accounts(st, D("2024-02-29"), "read-only");
	check_report(st, D("2028-02-29"));
	check_accounts(st, today, "read-only");
	no_mismatch();
	qpc_store_close(st);
	st = NULL;
	now = fingerprint(path);
	same_content(was, now, "after reads on a read-only store");
	free(now);

	/* opening again, read-write, and reading on another day */
	OK(qpc_store_open(path, QPC_OPEN_EXISTING, &st, &err));
	clock_on(st, today + 400);
	read_everything(st, today + 400);
	read_everything(st, D("2028-02-29"));
	now = fingerprint(path);
	same_content(was, now, "after reopening and reading");
	free(now);
	free(was);
}
END_TEST

/* --- 3. the cases the issue found -------------------------------------------- */

/* A small store of hand-made facts, its clock on `today`. */
static void open_small(const char *today)
{
	m = calloc(1, sizeof *m); /* unused by these tests, freed by teardown */
	ck_assert_ptr_nonnull(m);
	ck_assert_msg(store_new(path, &st, &err) == QPC_OK, "%s", err.msg);
	clock_on(st, D(today));
}

static int64_t small_account(const char *ext)
{
	struct qpc_account_rec r = { .external_id = ext, .name = ext, .owner = "ann" };
	int64_t id;
	OK(qpc_store_account_insert(st, &r, &id, &err));
	return id;
}

static void small_sale(int64_t id, const char *date, qpc_money amount)
{
	static int n;
	char key[24];
	snprintf(key, sizeof key, "r%d", ++n);
	struct qpc_sale_rec r = { .account_id = id, .date = D(date), .amount = amount,
		                  .source_key = key };
	OK(qpc_store_sale_add(st, &r, &err));
}

static const struct qpc_account_row *row_of(struct qpc_store *s, const char *ext, const char *date,
                                            struct got *g)
{
	get_accounts(s, D(date), g);
	return got_find(g, ext);
}

static int64_t history_rows(void)
{
	int n = 0;
	OK(qpc_history_each(st, 0, 0, count_change, &n, &err));
	return n;
}

#define GOAL(year, date, achieved_, first_, regained_, lost_)                                  \
	do {                                                                                    \
		struct qpc_goal g_;                                                             \
		OK(qpc_store_goal_progress(st, year, D(date), &g_, &err));                      \
		ck_assert_msg(g_.achieved == (achieved_) && g_.first_time == (first_) &&        \
		                  g_.regained == (regained_) && g_.lost == (lost_),             \
		              "goal %d as of %s: achieved %lld first %lld regained %lld lost %lld", \
		              year, date, (long long)g_.achieved, (long long)g_.first_time,     \
		              (long long)g_.regained, (long long)g_.lost);                      \
	} while (0)

/* A look-ahead report froze the record: partners made after it were never
 * counted, and a QPC edit that made one recorded nothing. */
START_TEST(look_ahead_report_then_a_new_partner)
{
	open_small("2026-11-17");
	int64_t x = small_account("X");
	small_sale(x, "2027-03-01", 8000000);
	OK(qpc_store_goal_set(st, 2027, 2, &err));
	char *was = fingerprint(path);
	struct qpc_report r;
	OK(qpc_store_report(st, D("2030-01-01"), &r, &err));
	ck_assert_int_eq(r.kpi.partners, 0);
	char *now = fingerprint(path);
	same_content(was, now, "a look-ahead report");
	free(was);
	free(now);
	int64_t before = history_rows();
	/* measured 2027-06-01: 80,000 of 100,000 makes a partner from then */
	OK(qpc_edit_potential_set(st, x, "Packaging", 10000000, "customer stated", true,
	                          D("2027-06-01"), &err));
	ck_assert_int_eq(history_rows(), before + 1); /* the edit, and no status rows */
	GOAL(2027, "2027-12-31", 1, 1, 0, 0);
	GOAL(2027, "2030-01-01", 1, 1, 0, 0);
	GOAL(2027, "2027-05-31", 0, 0, 0, 0);
	/* the sale leaves the window on 2028-03-01: lost then */
	GOAL(2028, "2028-12-31", 0, 0, 0, 1);
	bool known;
	qpc_date since;
	OK(qpc_store_partner_since(st, x, D("2030-01-01"), &known, &since, &err));
	ck_assert(known);
	ck_assert_str_eq(iso(since), "2027-06-01");
	OK(qpc_store_report(st, D("2027-12-31"), &r, &err));
	ck_assert_int_eq(r.kpi.partners, 1);
	ck_assert(r.has_goal);
	ck_assert_int_eq(r.goal.achieved, 1);
	ck_assert_int_eq(r.goal.target, 2);
}
END_TEST

/* An edit on 2023-01-05 was recorded "customer -> partner" effective
 * 2022-12-31, moving the partner into the wrong year's goal. */
START_TEST(edit_after_a_year_end)
{
	open_small("2022-06-01");
	int64_t y = small_account("Y");
	small_sale(y, "2022-06-01", 8000000);
	clock_on(st, D("2023-01-05"));
	OK(qpc_edit_potential_set(st, y, "Packaging", 10000000, "customer stated", true,
	                          D("2023-01-05"), &err));
	GOAL(2022, "2022-12-31", 0, 0, 0, 0);
	GOAL(2022, "2023-01-05", 0, 0, 0, 0);
	GOAL(2023, "2023-01-05", 1, 1, 0, 0);
	GOAL(2023, "2023-01-04", 0, 0, 0, 0);
	bool known;
	qpc_date since;
	OK(qpc_store_partner_since(st, y, D("2023-01-05"), &known, &since, &err));
	ck_assert(known);
	ck_assert_str_eq(iso(since), "2023-01-05");
	struct got g;
	ck_assert_int_eq(row_of(st, "Y", "2022-12-31", &g)->fig.status, QPC_CUSTOMER);
	ck_assert_int_eq(row_of(st, "Y", "2023-01-04", &g)->fig.status, QPC_CUSTOMER);
	ck_assert_int_eq(row_of(st, "Y", "2023-01-05", &g)->fig.status, QPC_PARTNER);
}
END_TEST

static bool same_figures(const struct qpc_account_row *a, const struct qpc_account_row *b)
{
	const struct qpc_account_figures *f = &a->fig, *g = &b->fig;
	return a->id == b->id && f->qpc_measured == g->qpc_measured && f->qpc == g->qpc &&
	       f->sales_12m == g->sales_12m && f->gp_12m == g->gp_12m && f->gp_known == g->gp_known &&
	       f->share.kind == g->share.kind && f->share.bp == g->share.bp &&
	       f->untapped_known == g->untapped_known && f->untapped == g->untapped &&
	       f->status == g->status && a->contract_partner == b->contract_partner &&
	       a->has_quality == b->has_quality && (!a->has_quality || a->quality == b->quality);
}

static void same_list(const struct got *a, const struct got *b, const char *when)
{
	ck_assert_int_eq(a->n, b->n);
	for (int i = 0; i < a->n && i < MAX_ACC; i++)
		ck_assert_msg(same_figures(&a->rows[i], &b->rows[i]), "%s: %s's figures changed", when,
		              a->ext[i]);
}

/* Another process reads at another date: it reads its own figures, and
 * leaves this one's alone. */
static void child_reads(const char *date_report, const char *date_list)
{
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		struct qpc_store *c;
		struct qpc_report r;
		int n = 0;
		bool ok = qpc_store_open(path, QPC_OPEN_EXISTING, &c, &err) == QPC_OK;
		if (ok) {
			clock_on(c, D("2026-11-17"));
			ok = qpc_store_report(c, D(date_report), &r, &err) == QPC_OK &&
			     qpc_store_accounts_each(c, D(date_list), count_account, &n, &err) ==
			             QPC_OK;
			qpc_store_close(c);
		}
		_exit(ok ? 0 : 1);
	}
	int status;
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* A page of the dashboard's accounts list, by name. */
static int browse_page(struct qpc_store *s, qpc_date d, struct qpc_browse_row *rows, int max)
{
	OK(qpc_store_refresh(s, d, &err));
	struct qpc_browse *b;
	OK(qpc_browse_open(s, d, &b, &err));
	struct qpc_filter f;
	qpc_filter_init(&f);
	struct qpc_order o = { QPC_COL_NAME, false };
	struct qpc_fetch r = { .dir = QPC_NEXT, .max = max };
	struct qpc_fetched out;
	OK(qpc_browse_fetch(b, &f, &o, &r, rows, &out, &err));
	qpc_browse_close(b);
	return out.n;
}

static void same_page(const struct qpc_browse_row *a, int na, const struct qpc_browse_row *b,
                      int nb)
{
	ck_assert_int_eq(na, nb);
	for (int i = 0; i < na; i++) {
		const struct qpc_account_figures *f = &a[i].fig, *g = &b[i].fig;
		ck_assert_msg(a[i].id == b[i].id && f->qpc == g->qpc && f->sales_12m == g->sales_12m &&
		                  f->status == g->status && f->share.bp == g->share.bp,
		              "the dashboard's row %d changed under it", i);
	}
}

START_TEST(two_connections_two_dates)
{
	seed = 0x2c0aa;
	qpc_date today = D("2026-11-17");
	build(10, 120, today);
	struct got a1, a2, b1;
	get_accounts(st, today, &a1);
	struct qpc_browse_row p1[10], p2[10];
	int n1 = browse_page(st, today, p1, 10);
	/* B, another connection in this process */
	struct qpc_store *b;
	OK(qpc_store_open(path, QPC_OPEN_EXISTING, &b, &err));
	clock_on(b, today);
	struct qpc_report r;
	OK(qpc_store_report(b, D("2024-02-29"), &r, &err));
	get_accounts(b, D("2021-12-31"), &b1);
	check_accounts(b, D("2021-12-31"), "B");
	check_report(b, D("2024-02-29"));
	/* and C, another process */
	child_reads("2028-02-29", "2030-01-01");
	get_accounts(st, today, &a2);
	same_list(&a1, &a2, "after other connections read other dates");
	int n2 = browse_page(st, today, p2, 10);
	same_page(p1, n1, p2, n2);
	check_accounts(st, today, "A");
	/* A at another date, B at today: the same again the other way */
	check_accounts(st, D("2025-01-01"), "A");
	get_accounts(st, D("2025-01-01"), &a1);
	OK(qpc_store_report(b, today, &r, &err));
	check_report(b, today);
	child_reads("2019-06-01", "2029-02-28");
	get_accounts(st, D("2025-01-01"), &a2);
	same_list(&a1, &a2, "at another date, after others read");
	qpc_store_close(b);
	no_mismatch();
}
END_TEST

/* Another connection writes on the next day: the cache in the file moves
 * to that day; this connection, still reading its own today, must keep
 * reading the figures of its day, not the other's.
 *
 * FAILS (store bug, left for the store's owner): a connection learns the
 * cache's date (setting figures_as_of) once, at open (load_settings), and
 * qpc_store_refresh() / qpc_store_report() then read main.account whenever
 * as_of equals that remembered date, though another connection's commit
 * on a later day has rewritten main.account as of its own day
 * (st_flush_touched -> st_cache_all).  A dashboard left open on its day
 * shows another user's day's figures under its own date.  The fix: read
 * figures_as_of again when PRAGMA data_version has moved (or read it in
 * each refresh; it is one row) before trusting main.account. */
START_TEST(other_writer_on_the_next_day)
{
	open_small("2026-11-17");
	int64_t p = small_account("P");
	OK(qpc_edit_potential_set(st, p, "Packaging", 6000000, "customer stated", true,
	                          D("2026-01-01"), &err));
	small_sale(p, "2026-11-18", 5000000); /* tomorrow's delivery, booked today */
	struct got g;
	ck_assert_int_eq(row_of(st, "P", "2026-11-17", &g)->fig.status, QPC_PROSPECT);
	struct qpc_store *b;
	OK(qpc_store_open(path, QPC_OPEN_EXISTING, &b, &err));
	clock_on(b, D("2026-11-18"));
	OK(qpc_store_goal_set(b, 2026, 4, &err)); /* any write, on B's today */
	qpc_store_close(b);
	const struct qpc_account_row *r = row_of(st, "P", "2026-11-17", &g);
	ck_assert_msg(r->fig.sales_12m == 0 && r->fig.status == QPC_PROSPECT,
	              "as of 2026-11-17 P has sales %lld and is a %s: the other connection's day",
	              (long long)r->fig.sales_12m, qpc_status_name(r->fig.status));
	struct qpc_report rep;
	OK(qpc_store_report(st, D("2026-11-17"), &rep, &err));
	ck_assert_int_eq(rep.kpi.partners, 0);
	ck_assert_int_eq(rep.kpi.customers, 0);
	r = row_of(st, "P", "2026-11-18", &g);
	ck_assert_int_eq(r->fig.status, QPC_PARTNER);
}
END_TEST

/* This connection reads at another date; another writes a fact that
 * changes that date's figures: the next read here sees it, as a read at
 * today does.
 *
 * FAILS (store bug, left for the store's owner): qpc_store_refresh()
 * returns at once when the connection's private copy (view.c) is already
 * at as_of, and nothing drops that copy when another connection commits;
 * so accounts_each, report and the dashboard at a chosen date keep
 * showing the facts as they were when the copy was made, while the same
 * reads at today (main.account, kept by writes) show the new fact.  The
 * fix: remember PRAGMA data_version when the copy is built, and rebuild
 * in refresh when it has moved. */
START_TEST(other_writer_while_reading_another_date)
{
	open_small("2025-09-01");
	int64_t p = small_account("P");
	OK(qpc_edit_potential_set(st, p, "Packaging", 10000000, "customer stated", true,
	                          D("2024-01-01"), &err));
	struct got g;
	ck_assert_int_eq(row_of(st, "P", "2025-06-30", &g)->fig.sales_12m, 0);
	ck_assert_int_eq(row_of(st, "P", "2025-09-01", &g)->fig.sales_12m, 0);
	ck_assert_int_eq(row_of(st, "P", "2025-06-30", &g)->fig.sales_12m, 0);
	struct qpc_store *b;
	OK(qpc_store_open(path, QPC_OPEN_EXISTING, &b, &err));
	clock_on(b, D("2025-09-01"));
	struct qpc_sale_rec s = { .account_id = p, .date = D("2025-06-01"), .amount = 9000000,
		                  .source_key = "late" };
	OK(qpc_store_sale_add(b, &s, &err));
	qpc_store_close(b);
	const struct qpc_account_row *r = row_of(st, "P", "2025-06-30", &g);
	ck_assert_msg(r->fig.sales_12m == 9000000 && r->fig.status == QPC_PARTNER,
	              "as of 2025-06-30, after another connection added a sale of 2025-06-01: "
	              "sales %lld, %s",
	              (long long)r->fig.sales_12m, qpc_status_name(r->fig.status));
	/* at today, the figures the other's write kept */
	ck_assert_int_eq(row_of(st, "P", "2025-09-01", &g)->fig.sales_12m, 9000000);
}
END_TEST

struct last_change {
	char at[32], field[64];
};

static int last_change(const struct qpc_change *c, void *ctx)
{
	struct last_change *l = ctx;
	snprintf(l->at, sizeof l->at, "%s", c->at);
	snprintf(l->field, sizeof l->field, "%s", c->field);
	return 0;
}

/* "YYYY-MM-DDTHH:MM:SSZ" as a Unix time. */
static int64_t unix_of(const char *at)
{
	char day[QPC_DATE_ISO_LEN];
	int h, mi, s;
	snprintf(day, sizeof day, "%.10s", at);
	ck_assert_msg(sscanf(at + 10, "T%d:%d:%dZ", &h, &mi, &s) == 3, "at %s", at);
	return ((int64_t)D(day) * 24 + h) * 3600 + (int64_t)mi * 60 + s;
}

/* The store's clock was read once at open: a tick made an hour after the
 * dashboard opened was stamped with the opening time.  (Here a second
 * after: the stamp has a second's resolution.) */
START_TEST(live_clock_stamps_each_change)
{
	m = calloc(1, sizeof *m);
	ck_assert_ptr_nonnull(m);
	OK(store_new(path, &st, &err));
	qpc_store_set_actor(st, "u", 0); /* live */
	int64_t opened = (int64_t)time(NULL);
	OK(qpc_store_goal_set(st, 2030, 5, &err));
	struct last_change l;
	OK(qpc_history_each(st, 0, 0, last_change, &l, &err));
	ck_assert_int_le(unix_of(l.at), (int64_t)time(NULL));
	while ((int64_t)time(NULL) <= opened) {
		struct timespec ts = { 0, 50000000 };
		nanosleep(&ts, NULL);
	}
	int64_t before = (int64_t)time(NULL);
	OK(qpc_store_goal_set(st, 2031, 6, &err));
	int64_t after = (int64_t)time(NULL);
	OK(qpc_history_each(st, 0, 0, last_change, &l, &err));
	ck_assert_str_eq(l.field, "2031");
	ck_assert_msg(unix_of(l.at) >= before && unix_of(l.at) <= after,
	              "stamped %s, made between %lld and %lld (opened %lld)", l.at, (long long)before,
	              (long long)after, (long long)opened);
	ck_assert_int_ge(qpc_store_now(st), before);
}
END_TEST

/* "Goal ... so far" counted the whole year whatever the as-of date. */
START_TEST(goal_so_far_counts_only_what_happened)
{
	open_small("2026-11-17");
	const char *signed_on[] = { "2025-12-31", "2026-01-01", "2026-03-01" };
	for (int i = 0; i < 3; i++) {
		char ext[16];
		snprintf(ext, sizeof ext, "C%d", i);
		struct qpc_contract_rec c = { .signed_on = D(signed_on[i]) };
		OK(qpc_store_contract_set(st, small_account(ext), &c, &err));
	}
	int64_t q = small_account("Q");
	OK(qpc_edit_potential_set(st, q, "Packaging", 10000000, "customer stated", true,
	                          D("2026-01-01"), &err));
	small_sale(q, "2026-12-31", 8000000);
	OK(qpc_store_goal_set(st, 2026, 40, &err));
	GOAL(2026, "2025-12-31", 0, 0, 0, 0);
	GOAL(2026, "2026-01-01", 1, 1, 0, 0);
	GOAL(2026, "2026-06-30", 2, 2, 0, 0);
	GOAL(2026, "2026-12-30", 2, 2, 0, 0);
	GOAL(2026, "2026-12-31", 3, 3, 0, 0);
	GOAL(2026, "2027-06-01", 3, 3, 0, 0);
	GOAL(2025, "2026-01-01", 1, 1, 0, 0);
	struct qpc_report r;
	OK(qpc_store_report(st, D("2026-01-01"), &r, &err));
	ck_assert(r.has_goal);
	ck_assert_int_eq(r.goal.target, 40);
	ck_assert_int_eq(r.goal.achieved, 1);
	ck_assert_int_eq(r.kpi.partners, 2);
}
END_TEST

/* At a date before any sale, contract or figure, the report showed 2
 * customers and 2 partners. */
START_TEST(nothing_before_the_first_fact)
{
	open_small("2026-11-17");
	int64_t x = small_account("X");
	small_sale(x, "2025-01-10", 5000000);
	OK(qpc_edit_potential_set(st, x, "Packaging", 6000000, "customer stated", true,
	                          D("2025-01-01"), &err));
	struct qpc_account_rec y = { .external_id = "Y", .name = "Y", .has_account_figure = true,
		                     .account_sales_12m = 7000000, .facts_on = D("2025-02-01") };
	struct qpc_account_rec z = { .external_id = "Z", .name = "Z", .contract_partner = true,
		                     .facts_on = D("2025-03-01") };
	int64_t id;
	OK(qpc_store_account_insert(st, &y, &id, &err));
	OK(qpc_store_account_insert(st, &z, &id, &err));
	static const char *const before[] = { "2024-12-31", "2020-01-01", "2024-02-29" };
	for (int i = 0; i < 3; i++) {
		struct qpc_report r;
		OK(qpc_store_report(st, D(before[i]), &r, &err));
		ck_assert_msg(r.kpi.customers == 0 && r.kpi.partners == 0 &&
		                  r.kpi.contract_partners == 0 && r.kpi.measured == 0 &&
		                  r.kpi.sales_12m == 0 && r.kpi.prospects == 3,
		              "as of %s: %lld customers, %lld partners (%lld by contract), %lld "
		              "measured, sales %lld",
		              before[i], (long long)r.kpi.customers, (long long)r.kpi.partners,
		              (long long)r.kpi.contract_partners, (long long)r.kpi.measured,
		              (long long)r.kpi.sales_12m);
	}
	struct qpc_report r;
	OK(qpc_store_report(st, D("2025-03-01"), &r, &err));
	ck_assert_int_eq(r.kpi.customers, 3);
	ck_assert_int_eq(r.kpi.partners, 2); /* X (83%) and Z */
	ck_assert_int_eq(r.kpi.contract_partners, 1);
	ck_assert_int_eq(r.kpi.sales_12m, 5000000 + 7000000);
}
END_TEST

/* The weekly account file says the same 12-month figure again a year
 * later: that is a new dated fact, and the figure holds for the twelve
 * months to the new date.
 *
 * FAILS (store bug, left for the store's owner): st_account_figure()
 * (src/store/write.c) skips a figure equal to the latest one dated on or
 * before it ("the weekly file, unchanged, is no news"), so the restated
 * figure is never stored, and once the first one is twelve months old the
 * account reads sales 0 and a prospect, though the latest file said
 * 80,000.00.  The fix: skip only a figure equal to one with the same
 * as_of (or store the restatement whenever its date differs). */
START_TEST(restated_account_figure_stays_in_force)
{
	open_small("2026-11-17");
	static const char *const on[] = { "2025-01-15", "2026-03-01" };
	for (int i = 0; i < 2; i++) {
		struct qpc_account_rec r = { .external_id = "A3", .name = "Gamma Labs",
			                     .has_account_figure = true, .account_sales_12m = 8000000,
			                     .facts_on = D(on[i]) };
		int64_t id;
		enum qpc_outcome out;
		OK(qpc_ingest_begin(st, 0, &err));
		OK(qpc_ingest_account(st, &r, QPC_AF_SALES_12M, &id, &out, &err));
		OK(qpc_ingest_end(st, true, &err));
	}
	struct got g;
	ck_assert_int_eq(row_of(st, "A3", "2025-06-01", &g)->fig.sales_12m, 8000000);
	/* 2026-06-01: the first figure is out of the window, the second in it */
	const struct qpc_account_row *r = row_of(st, "A3", "2026-06-01", &g);
	ck_assert_msg(r->fig.sales_12m == 8000000 && r->fig.status == QPC_CUSTOMER,
	              "as of 2026-06-01, after a file as of 2026-03-01 said 80,000.00: sales %lld, %s",
	              (long long)r->fig.sales_12m, qpc_status_name(r->fig.status));
	ck_assert_int_eq(row_of(st, "A3", "2027-03-01", &g)->fig.sales_12m, 0);
}
END_TEST

/* --- 4. a file written by schema 8 ------------------------------------------ */

static void load_v8_fixture(void)
{
	FILE *fp = fopen("tests/fixtures/schema-v8.sql", "r");
	ck_assert_msg(fp != NULL, "run the tests from the top of the tree");
	static char sql[65536];
	size_t n = fread(sql, 1, sizeof sql - 1, fp);
	fclose(fp);
	ck_assert_int_lt(n, sizeof sql - 1);
	sql[n] = '\0';
	sqlite3 *db;
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	char *msg = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
	ck_assert_msg(rc == SQLITE_OK, "%s", msg ? msg : "?");
	sqlite3_close(db);
}

struct status_rows {
	int n, status;
};

static int status_row(const struct qpc_change *c, void *ctx)
{
	struct status_rows *s = ctx;
	s->n++;
	s->status += strcmp(c->field, "status") == 0;
	return 0;
}

struct contracts {
	int n;
	struct qpc_contract_rec c;
};

static int contract_row(const struct qpc_contract_row *r, void *ctx)
{
	struct contracts *c = ctx;
	c->n++;
	c->c = r->c;
	return 0;
}

START_TEST(migrates_schema_8)
{
	m = calloc(1, sizeof *m);
	ck_assert_ptr_nonnull(m);
	load_v8_fixture();
	OK(qpc_store_open(path, QPC_OPEN_EXISTING, &st, &err));
	ck_assert_int_eq(qpc_store_opened_version(st), 8);
	qpc_store_set_actor(st, "tester", 1780308000); /* 2026-06-01 10:00 */
	struct got g;
	/* A1 Packaging: 60,000.00 measured 2025-03-02 (from the history),
	 * 90,000.00 from 2025-10-01; Labels 8,000.00 from 2025-10-01 */
	const struct qpc_account_row *a1 = row_of(st, "A1", "2025-06-01", &g);
	ck_assert(a1->fig.qpc_measured);
	ck_assert_int_eq(a1->fig.qpc, 6000000);
	ck_assert(!row_of(st, "A1", "2025-03-01", &g)->fig.qpc_measured);
	ck_assert_int_eq(row_of(st, "A1", "2025-12-01", &g)->fig.qpc, 9800000);
	/* A3 Services: set 2025-11-02, removed 2025-11-03 */
	ck_assert(!row_of(st, "A3", "2025-11-01", &g)->fig.qpc_measured);
	const struct qpc_account_row *a3 = row_of(st, "A3", "2025-11-02", &g);
	ck_assert(a3->fig.qpc_measured);
	ck_assert_int_eq(a3->fig.qpc, 10000000);
	ck_assert_int_eq(a3->fig.status, QPC_PARTNER); /* 80,000 of 100,000, for one day */
	ck_assert(!row_of(st, "A3", "2025-11-03", &g)->fig.qpc_measured);
	ck_assert_int_eq(row_of(st, "A3", "2025-11-03", &g)->fig.status, QPC_CUSTOMER);
	/* A2: a contract partner from the day the flag was recorded */
	const struct qpc_account_row *a2 = row_of(st, "A2", "2025-01-14", &g);
	ck_assert(!a2->contract_partner);
	ck_assert_int_eq(a2->fig.status, QPC_PROSPECT);
	a2 = row_of(st, "A2", "2025-01-15", &g);
	ck_assert(a2->contract_partner);
	ck_assert_int_eq(a2->fig.status, QPC_PARTNER);
	struct contracts c = { 0 };
	OK(qpc_store_contract_each(st, a2->id, contract_row, &c, &err));
	ck_assert_int_eq(c.n, 1);
	ck_assert_str_eq(iso(c.c.signed_on), "2025-01-15");
	ck_assert(!c.c.has_end);
	ck_assert(c.c.has_value && c.c.value == 2500000);
	/* the status rows reads used to write are gone */
	struct status_rows h = { 0, 0 };
	OK(qpc_history_each(st, 0, 0, status_row, &h, &err));
	ck_assert_int_eq(h.status, 0);
	ck_assert_int_eq(h.n, 13);
	/* Goal 2026 as of 2026-06-01, by hand from the fixture (threshold 75%):
	 * - A1: sales 30,000 (2025-02-10) + 42,000 (2025-09-15) against QPC
	 *   60,000 made it a partner on 2025-09-15 (over 100%); QPC 98,000 from
	 *   2025-10-01 put it back to customer (73%); the 5,000 of 2026-01-20
	 *   made 77,000 of 98,000 (78%): a partner again, regained; the sale
	 *   of 2025-02-10 left the window on 2026-02-10 (47,000: 47%): lost,
	 *   and not a partner on 2026-06-01.
	 * - A2: a partner since 2025-01-15: nothing in 2026.
	 * - A3: a partner on 2025-11-02 only: nothing in 2026.
	 * - A4: 7,000 (2025-06-01) of QPC 9,000 (measured 2025-06-01): 78%, a
	 *   partner since 2025-06-01; that sale leaves the window on
	 *   2026-06-01, leaving 1,000 (11%): lost on 2026-06-01 itself.
	 * So: achieved 1 (regained, A1), first time 0, lost 2 (A1, A4); none
	 * confirmed (A1 is not a partner at the date); target 3. */
	struct qpc_goal goal;
	OK(qpc_store_goal_progress(st, 2026, D("2026-06-01"), &goal, &err));
	ck_assert_int_eq(goal.target, 3);
	ck_assert_int_eq(goal.achieved, 1);
	ck_assert_int_eq(goal.first_time, 0);
	ck_assert_int_eq(goal.regained, 1);
	ck_assert_int_eq(goal.lost, 2);
	ck_assert_int_eq(goal.achieved_confirmed, 0);
	/* and 2025's, at its end: all four became partners for the first
	 * time (A2 2025-01-15, A4 2025-06-01, A1 2025-09-15, A3 2025-11-02);
	 * A1 and A3 were lost again; none confirmed: A2 has no QPC, A4's is
	 * not verified */
	OK(qpc_store_goal_progress(st, 2025, D("2025-12-31"), &goal, &err));
	ck_assert_int_eq(goal.target, 2);
	ck_assert_int_eq(goal.achieved, 4);
	ck_assert_int_eq(goal.first_time, 4);
	ck_assert_int_eq(goal.regained, 0);
	ck_assert_int_eq(goal.lost, 2);
	ck_assert_int_eq(goal.achieved_confirmed, 0);
	/* A4, a candidate since 2025-11-04, shows as one once no partner */
	ck_assert_int_eq(row_of(st, "A4", "2026-06-01", &g)->fig.status, QPC_CANDIDATE);
	ck_assert_int_eq(row_of(st, "A4", "2026-05-31", &g)->fig.status, QPC_PARTNER);
	bool known;
	qpc_date since;
	OK(qpc_store_partner_since(st, a2->id, D("2026-06-01"), &known, &since, &err));
	ck_assert(known);
	ck_assert_str_eq(iso(since), "2025-01-15");
	qpc_store_close(st);
	st = NULL;
	sqlite3 *db;
	sqlite3_stmt *s;
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	static const char sql[] = "SELECT (SELECT count(*) FROM history WHERE field = 'status'),"
	                          " (SELECT user_version FROM pragma_user_version)";
	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &s, NULL), SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(s), SQLITE_ROW);
	ck_assert_int_eq(sqlite3_column_int(s, 0), 0);
	ck_assert_int_eq(sqlite3_column_int(s, 1), qpc_store_schema_version());
	sqlite3_finalize(s);
	sqlite3_close(db);
}
END_TEST

/* --- setup ------------------------------------------------------------------ */

/* Each test case's files go in a folder made before its tests fork, and
 * removed after them: a failed test's process exits without its teardown. */
static char base[48];

static void make_base(void)
{
	/* In memory where there is a /dev/shm: hundreds of commits, each
	 * synced, would cost seconds on a disk. */
	snprintf(base, sizeof base, "/dev/shm/qpc-time-XXXXXX");
	if (!mkdtemp(base)) {
		scratch_make(base, sizeof base, "time");
	}
}

static void remove_base(void)
{
	scratch_remove(base);
}

static void setup(void)
{
	snprintf(dir, sizeof dir, "%s/tXXXXXX", base);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/t.db", dir);
	st = NULL;
	m = NULL;
	nbad = 0;
	first_bad[0] = '\0';
	memset(dumped, 0, sizeof dumped);
	memset(&seen, 0, sizeof seen);
	memset(seen_status, 0, sizeof seen_status);
	memset(seen_quality, 0, sizeof seen_quality);
	memset(&err, 0, sizeof err);
}

static void teardown(void)
{
	qpc_store_close(st);
	st = NULL;
	m_free();
	scratch_remove(dir);
}

static TCase *tcase(const char *name, int timeout)
{
	TCase *tc = tcase_create(name);
	tcase_add_unchecked_fixture(tc, make_base, remove_base);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, timeout);
	return tc;
}

Suite *time_suite(void)
{
	Suite *s = suite_create("time");
	TCase *tc = tcase("property", 120);
	tcase_add_test(tc, figures_and_goals_match_a_brute_force);
	tcase_add_test(tc, reads_between_writes);
	suite_add_tcase(s, tc);
	tc = tcase("reads", 120);
	tcase_add_test(tc, reads_never_write);
	suite_add_tcase(s, tc);
	tc = tcase("regressions", 60);
	tcase_add_test(tc, look_ahead_report_then_a_new_partner);
	tcase_add_test(tc, edit_after_a_year_end);
	tcase_add_test(tc, two_connections_two_dates);
	tcase_add_test(tc, other_writer_on_the_next_day);
	tcase_add_test(tc, other_writer_while_reading_another_date);
	tcase_add_test(tc, live_clock_stamps_each_change);
	tcase_add_test(tc, goal_so_far_counts_only_what_happened);
	tcase_add_test(tc, nothing_before_the_first_fact);
	tcase_add_test(tc, restated_account_figure_stays_in_force);
	suite_add_tcase(s, tc);
	tc = tcase("migration", 60);
	tcase_add_test(tc, migrates_schema_8);
	suite_add_tcase(s, tc);
	return s;
}
