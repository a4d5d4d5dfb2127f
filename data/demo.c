/* demo.c — a believable business for `qpc init --demo` and `make run`.
 *
 * Deterministic: a fixed-seed generator, dates relative to as_of.  Every
 * account gets a hidden "true" capacity, growing a little each year, and a
 * share of it that moves along a path over four years (the three the
 * history shows and one before, so that its first 12-month windows are
 * full).  The facts are written directly, each with its date: sales lines
 * spread over every month, QPC lines measured and re-measured on their own
 * days with the errors the method warns of (stale, unverified, rep
 * estimates far too low), systems contracts signed and ended.  Everything
 * goes in one transaction; its commit computes today's figures and every
 * account's status changes from the facts once.
 *
 * Beside the facts, what the method asks a team to keep: candidacies of
 * the past (some made partners, some dropped), partner traits rated by the
 * reps (partners rated higher, as a definition that holds would show), and
 * a rule on the checklist step the sales can answer.  They draw on a
 * generator of their own, so that the accounts are the same with or
 * without them.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qpc/demo.h"
#include "qpc/edit.h"
#include "qpc/ingest.h"
#include "qpc/traits.h"

struct rng {
	uint64_t s;
};

static uint64_t next(struct rng *r)
{
	/* xorshift64* */
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 2685821657736338717ULL;
}

static double unif(struct rng *r) /* [0, 1) */
{
	return (double)(next(r) >> 11) / 9007199254740992.0;
}

static int pick(struct rng *r, int n)
{
	return (int)(unif(r) * n);
}

static double between(struct rng *r, double lo, double hi)
{
	return lo + (hi - lo) * unif(r);
}

static const char *const reps[] = { "alice", "bruno", "chen", "dana", "emeka", "fatima", "gus",
	                            "hana" };
static const char *const segments[] = { "Manufacturing", "Healthcare", "Education",
	                                "Retail", "Logistics", "Public sector" };
static const char *const categories[] = { "Office supplies", "Packaging", "Safety equipment",
	                                  "Cleaning & hygiene", "IT hardware", "Furniture",
	                                  "Print services" };
#define NCAT ((int)(sizeof categories / sizeof *categories))
/* Yearly spend per employee on each category, in major units, by segment. */
static const double per_employee[6][7] = {
	{ 60, 420, 300, 90, 250, 40, 30 },   { 90, 60, 180, 260, 300, 70, 50 },
	{ 120, 20, 40, 150, 280, 160, 110 }, { 70, 380, 60, 120, 160, 90, 140 },
	{ 50, 520, 220, 80, 140, 30, 40 },   { 110, 30, 90, 130, 260, 110, 120 },
};
static const char *const first[] = { "Nordvik", "Alder", "Brightwater", "Castell", "Delmar",
	                             "Eastgate", "Fairfield", "Granite", "Harbor", "Ironwood",
	                             "Juniper", "Keystone", "Lakeside", "Meridian", "Northstar",
	                             "Oakridge", "Pinecrest", "Quarry", "Riverside", "Summit",
	                             "Timberline", "Union", "Valley", "Westbrook", "Yarrow",
	                             "Zenith", "Müller", "Dupré", "Søndergaard", "Łukasik",
	                             "Café Lumière", "Ålesund", "Peña", "Kovač", "Ōsaka",
	                             "東京精密", "Ngata", "O'Brien" };
static const char *const second[] = { "Tools", "Foods", "Medical", "Logistics", "Academy",
	                              "Plastics", "Printing", "Metals", "Clinics", "Stores",
	                              "Freight", "Labs", "Systems", "Packaging", "Council",
	                              "Textiles", "Motors", "Hospital", "Schools", "Builders" };
static const char *const suffixes[] = { "Inc.", "Ltd", "GmbH", "AB", "SARL", "LLC", "Group",
	                                "& Sons", "Co.", "" };
static const char *const cities[] = { "Springfield", "Rotterdam", "Lyon", "Göteborg", "Leeds",
	                              "Toronto", "Graz", "Porto", "Kraków", "Osaka", "Austin",
	                              "Dublin" };
static const char *const countries[] = { "US", "NL", "FR", "SE", "GB", "CA", "AT", "PT", "PL",
	                                 "JP", "US", "IE" };

/* Months of sales: month 0 is MONTHS - 1 months before as_of's month, month
 * MONTHS - 1 is as_of's own, up to as_of.  Three years of history and the
 * year before them, so that every 12-month window in the history is full. */
#define MONTHS 48
#define KNOTS 6
#define MAX_MEASURES 6
#define NCAND 8
#define NRATED 120
#define NPAST 6 /* candidacies that made partners; half as many dropped */

/* Systems contracts, by account number: in force for years; in force
 * again after an earlier one ended; ended a few months ago; ended long
 * ago.  Two are in force at as_of.  In months before as_of. */
struct contract_story {
	int account;
	int signed_ago, ends_ago; /* ends_ago 0: no end */
	int again_ago;            /* a second contract, 0: none */
};
static const struct contract_story contracts[] = {
	{ 7, 34, 0, 0 },
	{ 23, 43, 20, 9 },
	{ 41, 40, 5, 0 },
	{ 59, 46, 26, 0 },
};
#define NCONTRACTS ((int)(sizeof contracts / sizeof *contracts))

static const struct contract_story *contract_of(int n)
{
	for (int i = 0; i < NCONTRACTS; i++)
		if (contracts[i].account == n)
			return &contracts[i];
	return NULL;
}

/* How a QPC was found, and how wrong it is: the QPC is the capacity times
 * bias. */
struct method {
	const char *basis;
	double bias;
	bool verified;
};

struct plan {
	double capacity[NCAT]; /* true yearly capacity per category today, major units */
	double growth;         /* the capacity's yearly growth */
	/* The share as measured (sales over the standing QPC) along a path:
	 * v[i] in month at[i], linear between.  The true share is v * bias. */
	int nk;
	int at[KNOTS];
	double v[KNOTS];
	int first_month;       /* the month buying started (0: before the data) */
	int last_month;        /* the last month with purchases (MONTHS - 1: still buying) */
	int lines;             /* sales lines a month */
	int day;               /* the day of the month its orders usually come */
	int missing;           /* a category the QPC leaves out, -1: none */
	double margin;
	bool partner_kind;     /* a partner at the start of the history */
	bool measured;         /* has a QPC at all */
	struct method how;     /* how the standing QPC was found */
};

static qpc_money money(double major, int mu)
{
	double m = major;
	for (int i = 0; i < mu; i++)
		m *= 10.0;
	return (qpc_money)(m + 0.5);
}

/* A path through the given (month, share) knots. */
static void path(struct plan *p, int n, const int *at, const double *v)
{
	p->nk = n;
	for (int i = 0; i < n; i++) {
		p->at[i] = at[i] < MONTHS - 1 ? at[i] : MONTHS - 1;
		p->v[i] = v[i];
	}
}

static void flat_then_move(struct rng *r, struct plan *p, double from, double to, int start,
                           int span)
{
	path(p, 4, (const int[]){ 0, start, start + span, MONTHS - 1 },
	     (const double[]){ from, from * between(r, 0.98, 1.02), to, to * between(r, 0.98, 1.02) });
}

/* A share that stays near the threshold flips the status every time a
 * sales line enters or leaves the 12-month window: an account's path
 * keeps clearly to one side of it, the side it starts on.  Crossing it is
 * for the accounts whose story that is. */
static void off_the_edge(struct rng *r, struct plan *p)
{
	bool above = p->v[0] >= 0.8;
	for (int i = 0; i < p->nk; i++) {
		if (above && p->v[i] < 0.88)
			p->v[i] = between(r, 0.88, 0.92);
		else if (!above && p->v[i] > 0.64)
			p->v[i] = between(r, 0.56, 0.64);
	}
}

static void plan_account(struct rng *r, int seg, double employees, bool contract, struct plan *p)
{
	double total = 0;
	for (int c = 0; c < NCAT; c++) {
		/* Not every customer buys every category. */
		p->capacity[c] = unif(r) < 0.25 ? 0 : employees * per_employee[seg][c] * between(r, 0.5, 1.5);
		total += p->capacity[c];
	}
	if (total == 0)
		p->capacity[pick(r, NCAT)] = employees * 100;
	p->growth = between(r, 0.0, 0.04);
	p->first_month = 0;
	p->last_month = MONTHS - 1;
	p->lines = 1 + pick(r, employees < 30 ? 1 : employees < 150 ? 2 : 4);
	p->day = 1 + pick(r, 28);
	p->margin = between(r, 0.18, 0.34);
	p->partner_kind = false;
	p->missing = -1;
	if (unif(r) < 0.08) { /* the rep forgot a category: the smallest one bought */
		for (int c = 0; c < NCAT; c++)
			if (p->capacity[c] > 0 && (p->missing < 0 || p->capacity[c] < p->capacity[p->missing]))
				p->missing = c;
	}
	/* Partners are few and large: big accounts are far likelier to be one. */
	double big = employees < 40     ? 0
	             : employees < 120  ? 0.12
	             : employees < 500  ? 0.45
	             : employees < 1000 ? 0.6
	                                : 0.75;
	double u = unif(r), k = unif(r);
	enum { PROSPECT, NEW, ORDINARY, LONG, GREW, SLIPPING, REGAINED, CONTRACT } kind =
		contract      ? CONTRACT
		: u < big     ? (k < 0.45 ? LONG : k < 0.7 ? GREW : k < 0.88 ? SLIPPING : REGAINED)
		: k < 0.16    ? PROSPECT
		: k < 0.25    ? NEW
		              : ORDINARY;
	/* The true share where it is not what the path is about. */
	double s = kind == PROSPECT ? (unif(r) < 0.5 ? between(r, 0.02, 0.2) : 0)
	           : kind == NEW    ? between(r, 0.05, 0.4)
	                            : between(r, 0.02, 0.55);
	/* How its QPC was found, and how wrong it is: reps who estimate
	 * low-share accounts tend to guess far too low. */
	p->measured = unif(r) >= (employees < 300 ? 0.12 : 0.03);
	double m = unif(r);
	if (!p->measured)
		p->how = (struct method){ "", 1.0, false };
	else if (m < 0.50)
		p->how = (struct method){ "customer stated", 1.0, unif(r) < 0.8 };
	else if (m < 0.62)
		p->how = (struct method){ "purchasing records", 1.0, true };
	else if (m < 0.80 && kind <= ORDINARY && s < 0.35)
		p->how = (struct method){ "rep estimate", between(r, 0.4, 0.65), false };
	else
		p->how = (struct method){ "rep estimate", between(r, 0.8, 1.05), false };
	double b = p->how.bias;
	p->partner_kind = kind >= LONG && kind != GREW;
	switch (kind) {
	case CONTRACT: /* bound by contract, not by share */
		s = between(r, 0.45, 0.6);
		flat_then_move(r, p, s, s * between(r, 1.0, 1.06), 16, 12);
		break;
	case PROSPECT: /* stopped buying a year or more ago, or never bought */
		flat_then_move(r, p, s / b, s / b, 16, 16);
		p->last_month = s > 0 ? MONTHS - 14 - pick(r, 24) : -1;
		break;
	case NEW:
		p->first_month = MONTHS - 2 - pick(r, 20);
		flat_then_move(r, p, s / b, s / b, p->first_month, 1);
		off_the_edge(r, p);
		break;
	case ORDINARY:
		path(p, 4, (const int[]){ 0, 12 + pick(r, 8), 28 + pick(r, 8), MONTHS - 1 },
		     (const double[]){ s / b, s / b * between(r, 0.85, 1.15),
		                       s / b * between(r, 0.8, 1.2), s / b * between(r, 0.7, 1.3) });
		off_the_edge(r, p);
		break;
	case LONG: /* partners for years */
		path(p, 4, (const int[]){ 0, 16, 32, MONTHS - 1 },
		     (const double[]){ between(r, 0.87, 0.97), between(r, 0.87, 0.98),
		                       between(r, 0.87, 0.98), between(r, 0.87, 0.98) });
		break;
	case GREW: /* into partners, at some point in the last three years */
		flat_then_move(r, p, between(r, 0.35, 0.6), between(r, 0.87, 0.96), 8 + pick(r, 32),
		               2 + pick(r, 4));
		break;
	case SLIPPING: /* partners slipping away */
		flat_then_move(r, p, between(r, 0.87, 0.95), between(r, 0.4, 0.6), 12 + pick(r, 30),
		               2 + pick(r, 4));
		break;
	case REGAINED: { /* partners lost for a while, then won back */
		int t1 = 10 + pick(r, 14), t3 = t1 + 9 + pick(r, 10);
		double hi = between(r, 0.87, 0.95), lo = between(r, 0.4, 0.6), back = between(r, 0.87, 0.96);
		path(p, 6, (const int[]){ 0, t1, t1 + 3, t3, t3 + 3, MONTHS - 1 },
		     (const double[]){ hi, hi, lo, lo, back, back });
		break;
	}
	}
}

/* The share as measured in month m. */
static double share_at(const struct plan *p, int m)
{
	if (m < p->first_month || m > p->last_month)
		return 0;
	for (int i = 1; i < p->nk; i++)
		if (m <= p->at[i]) {
			int span = p->at[i] - p->at[i - 1];
			double t = span > 0 ? (double)(m - p->at[i - 1]) / span : 1;
			return p->v[i - 1] + (p->v[i] - p->v[i - 1]) * t;
		}
	return p->v[p->nk - 1];
}

static double share_then(const struct plan *p)
{
	return p->v[0];
}

static double share_now(const struct plan *p)
{
	return p->last_month == MONTHS - 1 ? p->v[p->nk - 1] : 0;
}

/* The capacity `days` before as_of: it grew to today's. */
static double capacity_then(const struct plan *p, int c, int days)
{
	return p->capacity[c] * pow(1.0 + p->growth, -days / 365.25);
}

struct gen {
	struct qpc_store *st;
	struct rng r;
	qpc_date as_of;
	int mu;
	int64_t cat[NCAT];
	int64_t line_no;
	int64_t cand[NCAND]; /* the accounts to nominate */
	int ncand;
	struct rng traits; /* the ratings' own, apart from the accounts' */
	struct {
		int64_t id;
		const char *owner;
		double share; /* the true share now */
	} rated[NRATED];   /* the accounts the reps rated */
	int nrated, nothers; /* nothers: of them, those not close to us */
	struct {
		int64_t id;
		int months_ago; /* nominated then */
	} made[NPAST], dropped[NPAST / 2];
	int nmade, ndropped;
};

static enum qpc_rc add_sales(struct gen *g, int64_t id, const struct plan *p, struct qpc_error *e)
{
	struct rng *r = &g->r;
	double total = 0;
	for (int c = 0; c < NCAT; c++)
		total += p->capacity[c];
	int ay, am, ad; /* as_of's day: nothing is bought after it */
	qpc_date_to_ymd(g->as_of, &ay, &am, &ad);
	for (int m = 0; m < MONTHS; m++) {
		double s = share_at(p, m) * p->how.bias; /* the true share */
		if (s <= 0)
			continue;
		if (s > 0.98)
			s = 0.98;
		qpc_date month = qpc_date_add_months(g->as_of, m - (MONTHS - 1));
		int y, mo, unused;
		qpc_date_to_ymd(month, &y, &mo, &unused);
		double spend = total * pow(1.0 + p->growth, (m - (MONTHS - 1)) / 12.0) * s / 12.0;
		int lines = p->lines;
		for (int l = 0; l < lines; l++) {
			/* a category in proportion to capacity */
			double x = unif(r) * total, acc = 0;
			int c = 0;
			for (; c < NCAT - 1; c++)
				if ((acc += p->capacity[c]) > x)
					break;
			double amount = p->capacity[c] > 0 ? spend / lines * between(r, 0.88, 1.12) : 0;
			/* Standing orders: on the same days each month, spread over
			 * it, so that a month's lines enter the 12-month window on the
			 * days the same month a year before leaves it.  None yet past
			 * as_of. */
			int dd = (p->day - 1 + l * 28 / lines) % 28 + 1;
			if (amount < 1 || (m == MONTHS - 1 && dd > ad))
				continue;
			qpc_date day;
			qpc_date_from_ymd(y, mo, dd, &day);
			char key[32];
			snprintf(key, sizeof key, "demo-%lld", (long long)++g->line_no);
			struct qpc_sale_rec sale = {
				.account_id = id,
				.category_id = g->cat[c],
				.date = day,
				.amount = money(amount, g->mu),
				.has_gp = true,
				.gross_profit = money(amount * p->margin * between(r, 0.8, 1.2), g->mu),
				.source_key = key,
			};
			enum qpc_rc rc = qpc_ingest_new_sale(g->st, &sale, e);
			if (rc)
				return rc;
		}
	}
	return QPC_OK;
}

/* The days the account's QPC was measured, oldest first: the last one
 * recent (or stale), earlier ones back through the history for a good
 * share of accounts, and for partners from before the history starts. */
static int measure_days(struct rng *r, const struct plan *p, qpc_date as_of, qpc_date *out)
{
	qpc_date start = qpc_date_add_months(as_of, p->first_month - (MONTHS - 1));
	qpc_date earliest = p->first_month > 0 ? start + 20 : qpc_date_add_months(as_of, -(MONTHS - 2));
	qpc_date window = qpc_date_add_months(as_of, -36);
	qpc_date d[MAX_MEASURES];
	int n = 0;
	d[n++] = unif(r) < 0.78 ? as_of - pick(r, 330) : as_of - 366 - pick(r, 700);
	if (earliest > as_of)
		earliest = as_of;
	if (d[0] < earliest)
		d[0] = earliest + pick(r, as_of - earliest + 1);
	double again = 0.6;
	while (n < MAX_MEASURES) {
		qpc_date back = d[n - 1] - 240 - pick(r, 330);
		bool need = p->partner_kind && d[n - 1] > window;
		if (back < earliest || (!need && unif(r) >= again))
			break;
		d[n++] = back;
		again = 0.45;
	}
	for (int i = 0; i < n; i++)
		out[i] = d[n - 1 - i];
	return n;
}

static enum qpc_rc add_potential(struct gen *g, int64_t id, const struct plan *p,
                                 const char *rep, struct qpc_error *e)
{
	struct rng *r = &g->r;
	if (!p->measured)
		return QPC_OK;
	qpc_date days[MAX_MEASURES];
	int n = measure_days(r, p, g->as_of, days);
	for (int i = 0; i < n; i++) {
		struct method how = p->how;
		/* Earlier measurements: now and then a rep's guess, checked later. */
		if (i < n - 1 && how.bias == 1.0 && unif(r) < 0.4)
			how = (struct method){ "rep estimate", between(r, 0.93, 1.0), false };
		for (int c = 0; c < NCAT; c++) {
			if (p->capacity[c] <= 0 || c == p->missing)
				continue;
			double amount = capacity_then(p, c, g->as_of - days[i]) * how.bias *
			                (how.bias == 1.0 ? between(r, 0.95, 1.05) : 1.0);
			/* round as people do: to the hundred */
			amount = (double)(long long)(amount / 100.0 + 0.5) * 100.0;
			struct qpc_potential_rec line = {
				.account_id = id,
				.category_id = g->cat[c],
				.amount = money(amount, g->mu),
				.basis = how.basis,
				.verified = how.verified,
				.measured_on = days[i],
				.measured_by = rep,
			};
			enum qpc_rc rc = qpc_store_potential_set(g->st, &line, e);
			if (rc)
				return rc;
		}
	}
	return QPC_OK;
}

static enum qpc_rc add_contracts(struct gen *g, int64_t id, const struct contract_story *k,
                                 qpc_money value, struct qpc_error *e)
{
	qpc_date as_of = g->as_of;
	struct qpc_contract_rec c = {
		.signed_on = qpc_date_add_months(as_of, -k->signed_ago) + pick(&g->r, 20),
		.has_end = k->ends_ago > 0,
		.ends_on = qpc_date_add_months(as_of, -k->ends_ago),
		.has_value = true,
		.value = value,
	};
	enum qpc_rc rc = qpc_store_contract_set(g->st, id, &c, e);
	if (rc || !k->again_ago)
		return rc;
	c = (struct qpc_contract_rec){
		.signed_on = qpc_date_add_months(as_of, -k->again_ago) + pick(&g->r, 20),
		.has_value = true,
		.value = value,
	};
	return qpc_store_contract_set(g->st, id, &c, e);
}

static enum qpc_rc add_account(struct gen *g, int n, struct qpc_error *e)
{
	struct rng *r = &g->r;
	char ext[32], name[160];
	int seg = pick(r, 6), city = pick(r, (int)(sizeof cities / sizeof *cities));
	/* Sizes are heavy-tailed, as customer bases are. */
	double employees = 8.0 * pow(1.0 / (1.0 - 0.999 * unif(r)), 0.9);
	const struct contract_story *k = contract_of(n);
	if (k) /* the ones still bound are the largest */
		employees = k->ends_ago && !k->again_ago ? 500 + 700 * unif(r) : 2500 + 2000 * unif(r);
	struct plan plan, *p = &plan;
	plan_account(r, seg, employees, k != NULL, p);
	snprintf(ext, sizeof ext, "ACC-%05d", n + 1);
	snprintf(name, sizeof name, "%s %s %s", first[pick(r, (int)(sizeof first / sizeof *first))],
	         second[pick(r, (int)(sizeof second / sizeof *second))],
	         suffixes[pick(r, (int)(sizeof suffixes / sizeof *suffixes))]);
	size_t len = strlen(name);
	if (name[len - 1] == ' ')
		name[len - 1] = '\0';
	double revenue = employees * between(r, 80000, 250000);
	struct qpc_account_rec rec = {
		.external_id = ext,
		.name = name,
		.owner = reps[pick(r, 8)],
		.segment = segments[seg],
		.city = cities[city],
		.country = countries[city],
		.has_employees = true,
		.employees = (int64_t)employees,
		.has_annual_revenue = true,
		.annual_revenue = money((double)(long long)(revenue / 1000.0) * 1000.0, g->mu),
	};
	double total = 0;
	for (int c = 0; c < NCAT; c++)
		total += p->capacity[c];
	double now = share_now(p) * p->how.bias; /* the true share */
	if (unif(r) < 0.4 && now > 0) { /* reps think they have more than they do */
		double est = now * between(r, 1.2, 2.2);
		rec.has_rep_share = true;
		rec.rep_share_bp = (int32_t)((est > 1 ? 1 : est) * 100.0 + 0.5) * 100;
	}
	if (unif(r) < 0.3) {
		rec.has_cost_to_serve = true;
		rec.cost_to_serve = money(total * now * between(r, 0.03, 0.12), g->mu);
	}
	int64_t id;
	enum qpc_rc rc = qpc_store_account_insert(g->st, &rec, &id, e);
	if (!rc)
		rc = add_sales(g, id, p, e);
	if (!rc)
		rc = add_potential(g, id, p, rec.owner, e);
	if (!rc && k)
		rc = add_contracts(g, id, k,
		                   money((double)(long long)(total * 0.7 / 1000.0) * 1000.0, g->mu), e);
	/* Rated: most of those with a large share, some of the others; a
	 * draw of the traits' own generator decides */
	bool close = now >= 0.7;
	if (!rc && now > 0 && g->nrated < NRATED && (close || g->nothers < NRATED / 2) &&
	    unif(&g->traits) < (close ? 0.8 : 0.06)) {
		g->nothers += !close;
		g->rated[g->nrated].id = id;
		g->rated[g->nrated].owner = rec.owner;
		g->rated[g->nrated++].share = now;
	}
	/* Past candidacies: one nominated some months before the account
	 * crossed 75% for good, between one and three years ago; one on a
	 * customer that stayed under half */
	int crossed = -1;
	for (int m = MONTHS - 1; m > 0 && share_at(p, m) >= 0.75; m--)
		crossed = share_at(p, m - 1) < 0.75 ? m : -1;
	if (!rc && !k && p->measured && crossed >= MONTHS - 36 && crossed <= MONTHS - 12 &&
	    g->nmade < NPAST && unif(&g->traits) < 0.5) {
		g->made[g->nmade].id = id;
		g->made[g->nmade++].months_ago = MONTHS - 1 - crossed + 4 + pick(&g->traits, 8);
	} else if (!rc && !k && p->measured && g->ndropped < NPAST / 2 && share_now(p) > 0.2 &&
	           share_now(p) < 0.4 && share_at(p, MONTHS - 13) < 0.5 && unif(&g->traits) < 0.05) {
		g->dropped[g->ndropped].id = id;
		g->dropped[g->ndropped++].months_ago = 14 + pick(&g->traits, 6);
	}
	/* Candidates: customers between 40% and 70% share and rising. */
	if (!k && p->measured && g->ncand < NCAND && share_now(p) >= 0.4 && share_now(p) <= 0.7 &&
	    share_then(p) <= share_now(p))
		g->cand[g->ncand++] = id;
	return rc;
}

/* The candidates, nominated lately by a sales manager, with the first
 * steps of their checklists ticked. */
static enum qpc_rc add_candidates(struct gen *g, struct qpc_error *e)
{
	static const char *const notes[] = { "met their CFO and our sales director",
		                             "lunch with purchasing and logistics leads", "",
		                             "plant tour with their operations team" };
	for (int i = 0; i < g->ncand; i++) {
		enum qpc_rc rc = qpc_store_candidate_add(g->st, g->cand[i], 0,
		                                         g->as_of - 30 - pick(&g->r, 200), e);
		if (rc)
			return rc;
		int ticks = i % 5;
		for (int s = 1; s <= ticks && s <= 4; s++)
			if ((rc = qpc_store_tick(g->st, g->cand[i], s, notes[(s + i) % 4], e)))
				return rc;
	}
	return QPC_OK;
}

/* The candidacies of the past, nominated by the sales manager: those that
 * made partners had their first steps ticked within months; the dropped
 * ones little, and a reason. */
static enum qpc_rc add_past(struct gen *g, struct qpc_error *e)
{
	static const char *const reasons[] = { "no budget this year", "bought by a group that buys centrally",
		                               "their buyer left; starting over later" };
	enum qpc_rc rc = QPC_OK;
	for (int i = 0; i < g->nmade + g->ndropped && !rc; i++) {
		bool made = i < g->nmade;
		int64_t id = made ? g->made[i].id : g->dropped[i - g->nmade].id;
		qpc_date on = qpc_date_add_months(g->as_of, -(made ? g->made[i].months_ago
		                                                   : g->dropped[i - g->nmade].months_ago));
		qpc_store_set_actor(g->st, "morgan", (int64_t)on * 86400 + 32400 /* 09:00 */);
		if ((rc = qpc_store_candidate_add(g->st, id, 0, on, e)))
			break;
		int ticks = made ? 2 + pick(&g->traits, 3) : pick(&g->traits, 2);
		for (int s = 1; s <= ticks && !rc; s++) {
			qpc_date day = on + 20 * s + pick(&g->traits, 20);
			qpc_store_set_actor(g->st, "morgan", (int64_t)day * 86400 + 54000 /* 15:00 */);
			rc = qpc_store_tick(g->st, id, s, "", e);
		}
		if (!rc && !made)
			rc = qpc_edit_candidate_drop(g->st, id, reasons[(i - g->nmade) % 3],
			                             on + 200 + pick(&g->traits, 60), e);
	}
	return rc;
}

/* The traits a team might keep, rated by each account's rep on some day
 * of the last year: the closer the account, the higher, with the noise of
 * people's judgement. */
static enum qpc_rc add_traits(struct gen *g, struct qpc_error *e)
{
	static const char *const traits[] = { "Trusts our advice", "Confides its plans",
		                              "Calls us first" };
	static const char *const notes[] = { "", "", "said so at the review",
		                             "after the plant visit", "" };
	enum qpc_rc rc = QPC_OK;
	for (size_t t = 0; t < sizeof traits / sizeof *traits && !rc; t++)
		rc = qpc_store_trait_add(g->st, traits[t], 1, 5, e);
	for (int i = 0; i < g->nrated && !rc; i++) {
		qpc_store_set_actor(g->st, g->rated[i].owner, qpc_store_now(g->st));
		qpc_date on = g->as_of - 1 - pick(&g->traits, 360);
		for (size_t t = 0; t < sizeof traits / sizeof *traits && !rc; t++) {
			double v = 1.5 + 3.5 * g->rated[i].share + between(&g->traits, -1.2, 1.2);
			int score = v < 1 ? 1 : v > 5 ? 5 : (int)(v + 0.5);
			rc = qpc_store_rate(g->st, g->rated[i].id, traits[t], score,
			                    notes[pick(&g->traits, 5)], on, e);
		}
	}
	/* "Has bought a number of things from us over a period of time" */
	qpc_store_set_actor(g->st, "morgan", qpc_store_now(g->st));
	if (!rc)
		rc = qpc_template_step_rule(g->st, "Partner checklist", 3, "categories>=2 quarters=4", e);
	return rc;
}

static enum qpc_rc generate(struct gen *g, int accounts, struct qpc_error *e)
{
	enum qpc_rc rc = QPC_OK;
	for (int c = 0; c < NCAT && !rc; c++)
		rc = qpc_store_category_ensure(g->st, categories[c], &g->cat[c], e);
	for (int n = 0; n < accounts && !rc; n++)
		rc = add_account(g, n, e);
	if (rc)
		return rc;
	char *user = strdup(qpc_store_user(g->st));
	if (!user)
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	qpc_store_set_actor(g->st, "morgan", qpc_store_now(g->st));
	int64_t now = qpc_store_now(g->st);
	rc = add_candidates(g, e);
	if (!rc)
		rc = add_past(g, e);
	qpc_store_set_actor(g->st, "morgan", now);
	if (!rc)
		rc = add_traits(g, e);
	qpc_store_set_actor(g->st, user, qpc_store_now(g->st));
	free(user);
	int year = qpc_date_year(g->as_of);
	for (int y = 0; y < 3 && !rc; y++)
		rc = qpc_store_goal_set(g->st, year + y, 40 + 5 * y, e);
	return rc;
}

enum qpc_rc qpc_demo_generate(struct qpc_store *st, qpc_date as_of, int accounts,
                              struct qpc_error *e)
{
	struct qpc_settings set;
	enum qpc_rc rc = qpc_store_settings(st, &set, e);
	if (rc)
		return rc;
	struct gen g = { .st = st, .r = { 0x9E3779B97F4A7C15ULL }, .as_of = as_of,
		         .mu = set.minor_units, .traits = { 0xD1B54A32D192ED03ULL } };
	/* One transaction, loaded as a bulk import (the account table's
	 * indexes built at its end): its commit computes today's figures and
	 * every account's status changes once. */
	if ((rc = qpc_ingest_begin(st, 0, e)))
		return rc;
	rc = generate(&g, accounts, e);
	enum qpc_rc end = qpc_ingest_end(st, rc == QPC_OK, rc ? NULL : e);
	return rc ? rc : end;
}
