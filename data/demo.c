/* demo.c — a believable business for `qpc init --demo` and `make run`.
 *
 * Deterministic: a fixed-seed generator, dates relative to as_of.  Every
 * account gets a hidden "true" capacity and a share trajectory; sales lines
 * follow the trajectory, QPC lines measure the capacity with the errors
 * the method warns of (stale, unverified, rep estimates far too low).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qpc/demo.h"

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

struct plan {
	double capacity[NCAT]; /* true yearly capacity per category, major units */
	double share_then, share_now; /* share 36 months ago and today */
	int first_month;       /* months before as_of when buying started (36: always) */
	double margin;
};

#define MONTHS 36

static qpc_money money(double major, int mu)
{
	double m = major;
	for (int i = 0; i < mu; i++)
		m *= 10.0;
	return (qpc_money)(m + 0.5);
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
	double u = unif(r);
	p->first_month = MONTHS;
	p->margin = between(r, 0.18, 0.34);
	/* Partners are few and large: big accounts are far likelier to be one. */
	if (employees < 40 && u >= 0.16 && u < 0.23)
		u = 0.3 + 0.7 * unif(r);
	else if (employees >= 120 && u >= 0.23 && unif(r) < 0.45)
		u = 0.16 + 0.055 * unif(r);
	if (contract) {
		p->share_then = between(r, 0.5, 0.6);
		p->share_now = between(r, 0.6, 0.7);
		return;
	}
	if (u < 0.16) { /* prospects: nothing in the last year */
		p->share_then = unif(r) < 0.5 ? between(r, 0.02, 0.2) : 0;
		p->share_now = 0;
	} else if (u < 0.195) { /* partners for years */
		p->share_then = between(r, 0.78, 0.95);
		p->share_now = between(r, 0.78, 0.97);
	} else if (u < 0.215) { /* grew into partners lately */
		p->share_then = between(r, 0.35, 0.55);
		p->share_now = between(r, 0.80, 0.95);
	} else if (u < 0.23) { /* partners slipping away */
		p->share_then = between(r, 0.80, 0.95);
		p->share_now = between(r, 0.45, 0.65);
	} else if (u < 0.30) { /* new customers */
		p->first_month = 2 + pick(r, 20);
		p->share_then = p->share_now = between(r, 0.05, 0.4);
	} else { /* ordinary customers */
		p->share_then = between(r, 0.02, 0.55);
		p->share_now = p->share_then * between(r, 0.7, 1.3);
	}
}

/* Share in month m (0 = 36 months ago, MONTHS - 1 = this month). */
static double share_at(const struct plan *p, int m)
{
	if (MONTHS - m > p->first_month)
		return 0;
	double t = (double)m / (MONTHS - 1);
	/* prospects stop buying a year ago */
	if (p->share_now == 0 && m >= MONTHS - 13)
		return 0;
	return p->share_then + (p->share_now - p->share_then) * t;
}

static enum qpc_rc add_sales(struct qpc_store *st, struct rng *r, int64_t id, const struct plan *p,
                             qpc_date as_of, int64_t *line_no, int mu, struct qpc_error *e)
{
	double total = 0;
	for (int c = 0; c < NCAT; c++)
		total += p->capacity[c];
	for (int m = 0; m < MONTHS; m++) {
		double s = share_at(p, m);
		if (s <= 0)
			continue;
		qpc_date month = qpc_date_add_months(as_of, m - (MONTHS - 1));
		int y, mo, d;
		qpc_date_to_ymd(month, &y, &mo, &d);
		int lines = 1 + pick(r, 3);
		for (int l = 0; l < lines; l++) {
			/* a category in proportion to capacity */
			double x = unif(r) * total, acc = 0;
			int c = 0;
			for (; c < NCAT - 1; c++)
				if ((acc += p->capacity[c]) > x)
					break;
			double amount = p->capacity[c] > 0 ? total * s / 12.0 / lines * between(r, 0.7, 1.3) : 0;
			if (amount < 1)
				continue;
			int64_t cat;
			enum qpc_rc rc = qpc_store_category_ensure(st, categories[c], &cat, e);
			if (rc)
				return rc;
			qpc_date day;
			int dd = 1 + pick(r, qpc_date_days_in_month(y, mo));
			qpc_date_from_ymd(y, mo, dd, &day);
			if (day > as_of)
				day = as_of;
			char key[32];
			snprintf(key, sizeof key, "demo-%lld", (long long)++*line_no);
			struct qpc_sale_rec sale = {
				.account_id = id,
				.category_id = cat,
				.date = day,
				.amount = money(amount, mu),
				.has_gp = true,
				.gross_profit = money(amount * p->margin * between(r, 0.8, 1.2), mu),
				.source_key = key,
			};
			if ((rc = qpc_store_sale_add(st, &sale, e)))
				return rc;
		}
	}
	return QPC_OK;
}

static enum qpc_rc add_potential(struct qpc_store *st, struct rng *r, int64_t id,
                                 const struct plan *p, qpc_date as_of, int mu, const char *rep,
                                 struct qpc_error *e)
{
	double u = unif(r);
	if (u < 0.12)
		return QPC_OK; /* never measured */
	/* How this account's QPC was found, and how wrong it is. */
	const char *basis;
	double bias;
	bool verified;
	if (u < 0.50) {
		basis = "customer stated", bias = 1.0, verified = unif(r) < 0.8;
	} else if (u < 0.62) {
		basis = "purchasing records", bias = 1.0, verified = true;
	} else if (u < 0.80 && p->share_now < 0.35) {
		basis = "rep estimate", bias = between(r, 0.35, 0.6), verified = false;
	} else {
		basis = "rep estimate", bias = between(r, 0.8, 1.05), verified = false;
	}
	qpc_date measured = as_of - pick(r, unif(r) < 0.2 ? 900 : 330);
	for (int c = 0; c < NCAT; c++) {
		if (p->capacity[c] <= 0)
			continue;
		int64_t cat;
		enum qpc_rc rc = qpc_store_category_ensure(st, categories[c], &cat, e);
		if (rc)
			return rc;
		double amount = p->capacity[c] * bias * (bias == 1.0 ? between(r, 0.95, 1.05) : 1.0);
		/* round as people do: to the hundred */
		amount = (double)(long long)(amount / 100.0 + 0.5) * 100.0;
		struct qpc_potential_rec line = {
			.account_id = id,
			.category_id = cat,
			.amount = money(amount, mu),
			.basis = basis,
			.verified = verified,
			.measured_on = measured,
			.measured_by = rep,
		};
		if ((rc = qpc_store_potential_set(st, &line, e)))
			return rc;
	}
	return QPC_OK;
}

static enum qpc_rc add_account(struct qpc_store *st, struct rng *r, int n, qpc_date as_of,
                               int64_t *line_no, int mu, int64_t *ids, struct plan *plans,
                               struct qpc_error *e)
{
	char ext[32], name[160];
	int seg = pick(r, 6), city = pick(r, (int)(sizeof cities / sizeof *cities));
	/* Sizes are heavy-tailed, as customer bases are. */
	double employees = 8.0 * pow(1.0 / (1.0 - 0.999 * unif(r)), 0.9);
	bool contract = n == 7 || n == 23; /* two systems contracts */
	if (contract)
		employees = 2500 + 2000 * unif(r);
	struct plan *p = &plans[n];
	plan_account(r, seg, employees, contract, p);
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
		.annual_revenue = money((double)(long long)(revenue / 1000.0) * 1000.0, mu),
		.contract_partner = contract,
	};
	double total = 0;
	for (int c = 0; c < NCAT; c++)
		total += p->capacity[c];
	if (contract) {
		rec.has_contract_value = true;
		rec.contract_value = money((double)(long long)(total * 0.7 / 1000.0) * 1000.0, mu);
	}
	if (unif(r) < 0.4 && p->share_now > 0) { /* reps think they have more than they do */
		double est = p->share_now * between(r, 1.2, 2.2);
		rec.has_rep_share = true;
		rec.rep_share_bp = (int32_t)((est > 1 ? 1 : est) * 100.0 + 0.5) * 100;
	}
	if (unif(r) < 0.3) {
		rec.has_cost_to_serve = true;
		rec.cost_to_serve = money(total * p->share_now * between(r, 0.03, 0.12), mu);
	}
	enum qpc_rc rc = qpc_store_account_insert(st, &rec, &ids[n], e);
	if (!rc)
		rc = add_sales(st, r, ids[n], p, as_of, line_no, mu, e);
	if (!rc)
		rc = add_potential(st, r, ids[n], p, as_of, mu, rec.owner, e);
	return rc;
}

/* Candidates: customers between 40% and 70% share, nominated lately, with
 * the first steps of their checklists ticked. */
static enum qpc_rc add_candidates(struct qpc_store *st, struct rng *r, const int64_t *ids,
                                  const struct plan *plans, int n, qpc_date as_of,
                                  struct qpc_error *e)
{
	static const char *const notes[] = { "met their CFO and our sales director",
		                             "lunch with purchasing and logistics leads", "",
		                             "plant tour with their operations team" };
	int made = 0;
	for (int i = 0; i < n && made < 8; i++) {
		const struct plan *p = &plans[i];
		if (p->share_now < 0.4 || p->share_now > 0.7 || p->share_then > p->share_now ||
		    i == 7 || i == 23)
			continue;
		enum qpc_rc rc = qpc_store_candidate_add(st, ids[i], 0, as_of - 30 - pick(r, 200), e);
		if (rc)
			return rc;
		int ticks = made % 5;
		for (int s = 1; s <= ticks && s <= 4; s++)
			if ((rc = qpc_store_tick(st, ids[i], s, notes[(s + made) % 4], e)))
				return rc;
		made++;
	}
	return QPC_OK;
}

enum qpc_rc qpc_demo_generate(struct qpc_store *st, qpc_date as_of, int accounts,
                              struct qpc_error *e)
{
	struct qpc_settings set;
	enum qpc_rc rc = qpc_store_settings(st, &set, e);
	if (rc)
		return rc;
	int64_t *ids = calloc((size_t)accounts, sizeof *ids);
	struct plan *plans = calloc((size_t)accounts, sizeof *plans);
	if (!ids || !plans) {
		free(ids);
		free(plans);
		return qpc_error_set(e, QPC_ERR_NOMEM, "out of memory");
	}
	struct rng r = { 0x9E3779B97F4A7C15ULL };
	int64_t line_no = 0;
	int year = qpc_date_year(as_of);
	if ((rc = qpc_store_begin(st, e)))
		goto out;
	for (int n = 0; n < accounts && !rc; n++)
		rc = add_account(st, &r, n, as_of, &line_no, set.minor_units, ids, plans, e);
	/* A sales manager picks the candidates and ticks their checklists. */
	char *user = strdup(qpc_store_user(st));
	qpc_store_set_actor(st, "morgan", qpc_store_now(st));
	if (!rc)
		rc = add_candidates(st, &r, ids, plans, accounts, as_of, e);
	qpc_store_set_actor(st, user, qpc_store_now(st));
	free(user);
	/* Walk the figures forward month by month so that the history holds
	 * when each account became (or stopped being) a partner. */
	for (int m = MONTHS - 1; m >= 1 && !rc; m--)
		rc = qpc_store_refresh(st, qpc_date_add_months(as_of, -m), e);
	if (!rc)
		rc = qpc_store_refresh(st, as_of, e);
	for (int y = 0; y < 3 && !rc; y++)
		rc = qpc_store_goal_set(st, year + y, 40 + 5 * y, e);
	if (rc) {
		qpc_store_rollback(st);
		goto out;
	}
	rc = qpc_store_commit(st, e);
out:
	free(ids);
	free(plans);
	return rc;
}
