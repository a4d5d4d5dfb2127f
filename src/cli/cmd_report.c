/* cmd_report.c — qpc report [--format text|json]. */
#include <getopt.h>
#include <string.h>

#include "qpc/cli.h"
#include "qpc/json.h"
#include "qpc/textcell.h"
#include "qpc/traits.h"
#include "qpc/watch.h"

#define TRAITS_MAX 64

/* A share to a tenth of a percent, rounded half away from zero from the
 * integers it is made of: the dashboard shows the same figure. */
static void pct(FILE *fp, bool known, int64_t permille)
{
	char b[32];
	if (known)
		fprintf(fp, "%6s", qpc_permille_format(permille, b, sizeof b));
	else
		fputs("     –", fp);
}

/* A figure right-aligned in the report's 20 columns, in columns, not
 * bytes ("–" is three). */
static void cell(FILE *fp, const char *v)
{
	fprintf(fp, "%*s", 20 + (int)(strlen(v) - textcell_width(v)), v);
}

static void money_line(FILE *fp, const char *label, qpc_money v, int mu)
{
	char b[40];
	fprintf(fp, "%-22s %20s\n", label, qpc_money_format(v, mu, QPC_MONEY_GROUPED, b, sizeof b));
}

/* Reps underestimate QPC, which makes partners of accounts that are not:
 * a partner counts as confirmed only on a QPC that can be trusted. */
static void provisional_lines(FILE *fp, const struct qpc_report *r)
{
	int64_t prov = r->kpi.partners - r->partners_confirmed;
	fprintf(fp, "%-22s %20lld   (QPC verified, current, covering what they buy)\n",
	        "  confirmed", (long long)r->partners_confirmed);
	fprintf(fp, "%-22s %20lld", "  provisional", (long long)prov);
	const char *sep = "   (";
	for (int q = 1; q < QPC_QUALITY_COUNT; q++) {
		if (!r->provisional[q])
			continue;
		fprintf(fp, "%s%lld %s", sep, (long long)r->provisional[q],
		        qpc_quality_name((enum qpc_quality)q));
		sep = ", ";
	}
	fputs(sep[0] == ',' ? ")\n" : "\n", fp);
}

/* How many partners at risk the text report names; JSON names them all. */
#define RISK_SHOWN 10

static void share_text(const struct qpc_share *s, char *b, size_t n)
{
	char p[32];
	if (s->kind == QPC_SHARE_UNDEFINED)
		snprintf(b, n, "–");
	else
		snprintf(b, n, "%s", qpc_permille_format(qpc_round_div(s->bp, 10), p, sizeof p));
}

static void watch_text(FILE *fp, const struct qpc_watch *w)
{
	char a[32], b[32], d[QPC_DATE_ISO_LEN];
	fprintf(fp, "\n%-22s %20zu   (of %lld partners by share: under %d%% within %d months"
	            " at their last %d months' pace)\n",
	        "Partners at risk", w->nrisk, (long long)w->partners, w->threshold_bp / 100,
	        QPC_AHEAD_MONTHS, QPC_AHEAD_MONTHS);
	if (w->unprojected)
		fprintf(fp, "  %lld partner%s not projected: sales known only as a 12-month figure\n",
		        (long long)w->unprojected, w->unprojected == 1 ? "" : "s");
	for (size_t i = 0; i < w->nrisk && i < RISK_SHOWN; i++) {
		const struct qpc_at_risk *r = &w->risk[i];
		/* in columns, cut between characters: names are any script */
		char name[TEXTCELL_FIT_SIZE(40)], owner[TEXTCELL_FIT_SIZE(10)];
		textcell_fit(r->name, 40, TEXTCELL_LEFT, name, sizeof name);
		textcell_fit(r->owner[0] ? r->owner : "-", 10, TEXTCELL_LEFT, owner, sizeof owner);
		share_text(&r->share, a, sizeof a);
		share_text(&r->projected, b, sizeof b);
		qpc_date_format(r->crosses, d);
		fprintf(fp, "  %s %s %6s -> %6s, under by %.7s\n", name, owner, a, b, d);
	}
	if (w->nrisk > RISK_SHOWN)
		fprintf(fp, "  and %zu more (report --format json lists them all)\n",
		        w->nrisk - RISK_SHOWN);
	fprintf(fp, "\nReps' share estimates: median gap to the measured share, in points\n");
	if (!w->nowners)
		fputs("  no account carries a rep's estimate\n", fp);
	for (size_t i = 0; i < w->nowners; i++) {
		const struct qpc_gap_owner *o = &w->owners[i];
		char owner[TEXTCELL_FIT_SIZE(20)];
		textcell_fit(o->owner[0] ? o->owner : "(no owner)", 20, TEXTCELL_LEFT, owner,
		             sizeof owner);
		fprintf(fp, "  %s %6lld estimate%s, %6lld measured   ", owner,
		        (long long)o->estimates, o->estimates == 1 ? " " : "s", (long long)o->measured);
		if (o->measured)
			fprintf(fp, "%+7.1f\n", o->median_points);
		else
			fputs("      –\n", fp);
	}
}

/* "3 of 4" partners of the candidacies a figure rests on, or "-". */
static void of(char *b, size_t n, int64_t part, int64_t whole)
{
	if (whole)
		snprintf(b, n, "%lld of %lld", (long long)part, (long long)whole);
	else
		snprintf(b, n, "-");
}

static void works_text(FILE *fp, const struct qpc_works *w)
{
	fprintf(fp, "\nWhat works: %lld ended candidac%s (%lld partner%s, %lld dropped), %lld still "
	            "open",
	        (long long)w->ended, w->ended == 1 ? "y" : "ies", (long long)w->partners,
	        w->partners == 1 ? "" : "s", (long long)w->dropped, (long long)w->open);
	if (w->has_median)
		fprintf(fp, "; median %.0f days from nomination to partner", w->median_days);
	fputc('\n', fp);
	if (w->nsteps)
		fprintf(fp, "  %-52s %16s %16s\n", "became partners, of the ended with the step:",
		        "ticked", "not ticked");
	for (size_t i = 0; i < w->nsteps; i++) {
		const struct qpc_works_step *s = &w->steps[i];
		char step[TEXTCELL_FIT_SIZE(52)], label[400], a[48], b[48];
		snprintf(label, sizeof label, "%s %d. %s", s->template_name, s->position, s->text);
		textcell_fit(label, 52, TEXTCELL_LEFT, step, sizeof step);
		of(a, sizeof a, s->ticked_partners, s->ticked);
		of(b, sizeof b, s->unticked_partners, s->unticked);
		fprintf(fp, "  %s %16s %16s\n", step, a, b);
	}
}

static void side_text(FILE *fp, const struct qpc_trait_side *s)
{
	if (s->rated)
		fprintf(fp, " %5.2f of %6lld", s->average, (long long)s->rated);
	else
		fprintf(fp, "     – of %6d", 0); /* "–" is one column of three bytes */
}

static void traits_text(FILE *fp, const struct qpc_trait_compare *t, int n)
{
	if (!n)
		return;
	fprintf(fp, "\nTraits: the average score and how many rated   %18s %18s\n", "partners",
	        "other customers");
	for (int i = 0; i < n; i++) {
		char name[TEXTCELL_FIT_SIZE(36)], scale[24];
		textcell_fit(t[i].name, 36, TEXTCELL_LEFT, name, sizeof name);
		snprintf(scale, sizeof scale, "(%d-%d)", t[i].scale_min, t[i].scale_max);
		fprintf(fp, "  %s %9s", name, scale);
		side_text(fp, &t[i].partners);
		side_text(fp, &t[i].customers);
		fputc('\n', fp);
	}
}

static void report_text(FILE *fp, const struct qpc_report *r)
{
	const struct qpc_kpi *k = &r->kpi;
	const struct qpc_kpi_ratios *q = &r->ratios;
	int mu = r->settings.minor_units;
	char b[40], d[QPC_DATE_ISO_LEN], cur[TEXTCELL_ESCAPE_SIZE(sizeof r->settings.currency)];

	/* the currency is whatever the file holds: shown escaped */
	textcell_escape(r->settings.currency, cur, sizeof cur);
	fprintf(fp, "Partner report as of %s (%s, partner at %d%% share)\n",
	        qpc_date_format(r->as_of, d), cur, r->settings.threshold_bp / 100);
	if (r->figures_stale)
		fprintf(fp, "Figures as of %s: the database is read-only, so they were not brought "
		            "to this date\n",
		        qpc_date_format(r->figures_as_of, d));
	fputc('\n', fp);
	fprintf(fp, "%-22s %20lld\n", "Accounts", (long long)k->accounts);
	fprintf(fp, "%-22s %20lld\n", "Customers", (long long)k->customers);
	fprintf(fp, "%-22s %20lld   ", "Partners", (long long)k->partners);
	pct(fp, q->partner_share_of_customers_known, qpc_permille(k->partners, k->customers));
	fputs(" of customers (guideline 3–5%)\n", fp);
	fprintf(fp, "%-22s %20lld\n", "  by contract", (long long)k->contract_partners);
	provisional_lines(fp, r);
	fprintf(fp, "%-22s %20lld\n", "Candidates", (long long)k->candidates);
	fputc('\n', fp);
	money_line(fp, "Sales 12m", k->sales_12m, mu);
	/* a customer whose profit is unknown is left out, and said so */
	fprintf(fp, "%-22s ", "Gross profit 12m");
	cell(fp, q->gp_known ? qpc_money_format(k->gp_12m, mu, QPC_MONEY_GROUPED, b, sizeof b)
	                           : "–");
	if (k->gp_known < k->customers)
		fprintf(fp, "   (known for %lld of %lld customers)", (long long)k->gp_known,
		        (long long)k->customers);
	fprintf(fp, "\n%-22s ", "  from partners");
	cell(fp, q->partner_gp_known
	                 ? qpc_money_format(k->partner_gp_12m, mu, QPC_MONEY_GROUPED, b, sizeof b)
	                 : "–");
	fputs("   ", fp);
	pct(fp, q->partner_share_of_gp_known, qpc_permille(k->partner_gp_12m, k->gp_12m));
	fputs(" of gross profit (guideline 50–80%)\n", fp);
	if (k->net_known > 0) {
		fprintf(fp, "%-22s %20s   (%lld account%s with cost-to-serve)\n", "Net profit 12m",
		        qpc_money_format(k->net_12m, mu, QPC_MONEY_GROUPED, b, sizeof b),
		        (long long)k->net_known, k->net_known == 1 ? "" : "s");
		fprintf(fp, "%-22s %20s   ", "  from partners",
		        qpc_money_format(k->partner_net_12m, mu, QPC_MONEY_GROUPED, b, sizeof b));
		pct(fp, q->partner_share_of_net_known, qpc_permille(k->partner_net_12m, k->net_12m));
		fputs(" of net profit\n", fp);
	}
	fputc('\n', fp);
	fprintf(fp, "%-22s %20s   (%lld of %lld accounts measured)\n", "QPC total",
	        qpc_money_format(k->qpc_total, mu, QPC_MONEY_GROUPED, b, sizeof b),
	        (long long)k->measured, (long long)k->accounts);
	fprintf(fp, "%-22s ", "Share of QPC");
	cell(fp, q->overall.kind == QPC_SHARE_UNDEFINED ? "–" : "");
	fputs("   ", fp);
	pct(fp, q->overall.kind != QPC_SHARE_UNDEFINED, qpc_round_div(q->overall.bp, 10));
	fputs(q->overall.kind == QPC_SHARE_OVER ? " (QPC underestimated)\n" : "\n", fp);
	money_line(fp, "Untapped potential", k->untapped, mu);
	fputc('\n', fp);
	if (r->has_goal) {
		const struct qpc_goal *g = &r->goal;
		fprintf(fp, "Goal %d: %lld new partners, %lld so far (%lld first time, %lld regained; "
		            "%lld lost)\n",
		        g->year, (long long)g->target, (long long)g->achieved, (long long)g->first_time,
		        (long long)g->regained, (long long)g->lost);
		fprintf(fp, "  of those so far, %lld confirmed and %lld provisional\n",
		        (long long)g->achieved_confirmed, (long long)(g->achieved - g->achieved_confirmed));
	}
	else
		fprintf(fp, "Goal %d: none set\n", qpc_date_year(r->as_of));
	if (k->overflow)
		fputs("\nWarning: some totals exceeded the largest amount qpc can hold and are capped.\n",
		      fp);
}

/* JSON keys of the reasons a partner is provisional. */
static const char *const quality_keys[QPC_QUALITY_COUNT] = {
	[QPC_CONFIRMED] = "confirmed",
	[QPC_PROV_UNVERIFIED] = "unverified",
	[QPC_PROV_STALE] = "stale",
	[QPC_PROV_BELOW_SALES] = "below_sales",
	[QPC_PROV_MISSING] = "missing_category",
	[QPC_PROV_UNMEASURED] = "unmeasured",
};

static void share_json(struct jsonw *j, const char *key, const struct qpc_share *s)
{
	jsonw_fraction(j, key, s->kind != QPC_SHARE_UNDEFINED, s->bp / (double)QPC_BP_ONE);
}

static void watch_json(struct jsonw *j, const struct qpc_watch *w)
{
	char d[QPC_DATE_ISO_LEN];
	jsonw_begin_object(j, "partners_at_risk_basis");
	jsonw_int(j, "partners_by_share", w->partners);
	jsonw_int(j, "not_projected", w->unprojected);
	jsonw_int(j, "months_ahead", QPC_AHEAD_MONTHS);
	jsonw_end_object(j);
	jsonw_begin_array(j, "partners_at_risk");
	for (size_t i = 0; i < w->nrisk; i++) {
		const struct qpc_at_risk *r = &w->risk[i];
		jsonw_begin_object(j, NULL);
		jsonw_string(j, "id", r->external_id[0] ? r->external_id : NULL);
		jsonw_string(j, "name", r->name);
		jsonw_string(j, "owner", r->owner);
		share_json(j, "share", &r->share);
		share_json(j, "projected_share", &r->projected);
		qpc_date_format(r->crosses, d);
		d[7] = '\0';
		jsonw_string(j, "crosses_month", d);
		jsonw_end_object(j);
	}
	jsonw_end_array(j);
	jsonw_begin_array(j, "rep_estimate_gap");
	for (size_t i = 0; i < w->nowners; i++) {
		const struct qpc_gap_owner *o = &w->owners[i];
		jsonw_begin_object(j, NULL);
		jsonw_string(j, "owner", o->owner);
		jsonw_int(j, "count", o->estimates);
		jsonw_int(j, "measured", o->measured);
		jsonw_fraction(j, "median_points", o->measured > 0, o->median_points);
		jsonw_begin_array(j, "largest");
		for (int k = 0; k < o->nlargest; k++) {
			const struct qpc_gap_account *a = &o->largest[k];
			jsonw_begin_object(j, NULL);
			jsonw_string(j, "id", a->external_id[0] ? a->external_id : NULL);
			jsonw_string(j, "name", a->name);
			jsonw_fraction(j, "estimate", true, a->estimate_bp / (double)QPC_BP_ONE);
			share_json(j, "share", &a->share);
			jsonw_fraction(j, "gap_points", true, a->gap_bp / 100.0);
			jsonw_end_object(j);
		}
		jsonw_end_array(j);
		jsonw_end_object(j);
	}
	jsonw_end_array(j);
}

static void works_json(struct jsonw *j, const struct qpc_works *w)
{
	jsonw_begin_object(j, "candidacy");
	jsonw_int(j, "ended", w->ended);
	jsonw_int(j, "partners", w->partners);
	jsonw_int(j, "dropped", w->dropped);
	jsonw_int(j, "open", w->open);
	jsonw_fraction(j, "median_days_to_partner", w->has_median, w->median_days);
	jsonw_begin_array(j, "steps");
	for (size_t i = 0; i < w->nsteps; i++) {
		const struct qpc_works_step *s = &w->steps[i];
		jsonw_begin_object(j, NULL);
		jsonw_string(j, "template", s->template_name);
		jsonw_int(j, "position", s->position);
		jsonw_string(j, "step", s->text);
		jsonw_begin_object(j, "ticked");
		jsonw_int(j, "candidacies", s->ticked);
		jsonw_int(j, "partners", s->ticked_partners);
		jsonw_end_object(j);
		jsonw_begin_object(j, "not_ticked");
		jsonw_int(j, "candidacies", s->unticked);
		jsonw_int(j, "partners", s->unticked_partners);
		jsonw_end_object(j);
		jsonw_end_object(j);
	}
	jsonw_end_array(j);
	jsonw_end_object(j);
}

static void side_json(struct jsonw *j, const char *key, const struct qpc_trait_side *s)
{
	jsonw_begin_object(j, key);
	jsonw_int(j, "rated", s->rated);
	jsonw_fraction(j, "average", s->rated > 0, s->average);
	jsonw_end_object(j);
}

static void traits_json(struct jsonw *j, const struct qpc_trait_compare *t, int n)
{
	jsonw_begin_array(j, "traits");
	for (int i = 0; i < n; i++) {
		jsonw_begin_object(j, NULL);
		jsonw_string(j, "trait", t[i].name);
		jsonw_int(j, "scale_min", t[i].scale_min);
		jsonw_int(j, "scale_max", t[i].scale_max);
		side_json(j, "partners", &t[i].partners);
		side_json(j, "other_customers", &t[i].customers);
		jsonw_end_object(j);
	}
	jsonw_end_array(j);
}

static void report_json(FILE *fp, const struct qpc_report *r, const struct qpc_watch *w,
                        const struct qpc_works *works, const struct qpc_trait_compare *t,
                        int ntraits)
{
	const struct qpc_kpi *k = &r->kpi;
	const struct qpc_kpi_ratios *q = &r->ratios;
	int mu = r->settings.minor_units;
	char d[QPC_DATE_ISO_LEN];
	struct jsonw j;

	jsonw_init(&j, fp, true);
	jsonw_begin_object(&j, NULL);
	jsonw_string(&j, "as_of", qpc_date_format(r->as_of, d));
	jsonw_string(&j, "figures_as_of", qpc_date_format(r->figures_as_of, d));
	jsonw_string(&j, "currency", r->settings.currency);
	jsonw_fraction(&j, "threshold", true, r->settings.threshold_bp / 10000.0);
	jsonw_int(&j, "accounts", k->accounts);
	jsonw_int(&j, "customers", k->customers);
	jsonw_int(&j, "prospects", k->prospects);
	jsonw_int(&j, "partners", k->partners);
	jsonw_int(&j, "contract_partners", k->contract_partners);
	jsonw_int(&j, "partners_confirmed", r->partners_confirmed);
	jsonw_begin_object(&j, "partners_provisional");
	for (int i = 1; i < QPC_QUALITY_COUNT; i++)
		jsonw_int(&j, quality_keys[i], r->provisional[i]);
	jsonw_end_object(&j);
	jsonw_int(&j, "candidates", k->candidates);
	jsonw_fraction(&j, "partner_share_of_customers", q->partner_share_of_customers_known,
	               q->partner_share_of_customers);
	jsonw_money(&j, "sales_12m", k->sales_12m, mu);
	jsonw_int(&j, "gross_profit_accounts", k->gp_known);
	if (q->gp_known)
		jsonw_money(&j, "gross_profit_12m", k->gp_12m, mu);
	else
		jsonw_null(&j, "gross_profit_12m");
	if (q->partner_gp_known)
		jsonw_money(&j, "partner_gross_profit_12m", k->partner_gp_12m, mu);
	else
		jsonw_null(&j, "partner_gross_profit_12m");
	jsonw_fraction(&j, "partner_share_of_gross_profit", q->partner_share_of_gp_known,
	               q->partner_share_of_gp);
	jsonw_int(&j, "net_profit_accounts", k->net_known);
	if (k->net_known > 0) {
		jsonw_money(&j, "net_profit_12m", k->net_12m, mu);
		jsonw_money(&j, "partner_net_profit_12m", k->partner_net_12m, mu);
	} else {
		jsonw_null(&j, "net_profit_12m");
		jsonw_null(&j, "partner_net_profit_12m");
	}
	jsonw_fraction(&j, "partner_share_of_net_profit", q->partner_share_of_net_known,
	               q->partner_share_of_net);
	jsonw_int(&j, "measured_accounts", k->measured);
	jsonw_money(&j, "qpc_total", k->qpc_total, mu);
	jsonw_fraction(&j, "share", q->overall.kind != QPC_SHARE_UNDEFINED, q->overall.value);
	jsonw_bool(&j, "qpc_underestimated", q->overall.kind == QPC_SHARE_OVER);
	jsonw_money(&j, "untapped", k->untapped, mu);
	if (r->has_goal) {
		jsonw_begin_object(&j, "goal");
		jsonw_int(&j, "year", r->goal.year);
		jsonw_int(&j, "target", r->goal.target);
		jsonw_int(&j, "achieved", r->goal.achieved);
		jsonw_int(&j, "first_time", r->goal.first_time);
		jsonw_int(&j, "regained", r->goal.regained);
		jsonw_int(&j, "lost", r->goal.lost);
		jsonw_int(&j, "achieved_confirmed", r->goal.achieved_confirmed);
		jsonw_end_object(&j);
	} else {
		jsonw_null(&j, "goal");
	}
	jsonw_begin_object(&j, "guidelines");
	jsonw_fraction(&j, "partner_share_of_customers_low", true, QPC_GUIDE_PARTNERS_LO);
	jsonw_fraction(&j, "partner_share_of_customers_high", true, QPC_GUIDE_PARTNERS_HI);
	jsonw_fraction(&j, "partner_share_of_gross_profit_low", true, QPC_GUIDE_GP_LO);
	jsonw_fraction(&j, "partner_share_of_gross_profit_high", true, QPC_GUIDE_GP_HI);
	jsonw_end_object(&j);
	watch_json(&j, w);
	works_json(&j, works);
	traits_json(&j, t, ntraits);
	jsonw_bool(&j, "totals_capped", k->overflow);
	jsonw_end_object(&j);
	jsonw_finish(&j);
}

int cli_print_report(struct qpc_cli *c, bool json)
{
	struct qpc_error e = { 0 };
	struct qpc_store *st;
	struct qpc_report r;
	struct qpc_watch w;
	enum qpc_rc rc = cli_open(c, QPC_OPEN_EXISTING, &st, &e);
	if (rc)
		return cli_fail(c, rc, &e);
	struct qpc_works k;
	struct qpc_trait_compare t[TRAITS_MAX];
	int nt = 0;
	rc = qpc_store_report_watch(st, c->as_of, &r, true, &w, &e);
	if (!rc && (rc = qpc_store_what_works(st, c->as_of, &k, &e)))
		qpc_watch_free(&w);
	if (!rc && (rc = qpc_store_trait_compare(st, c->as_of, t, TRAITS_MAX, &nt, &e))) {
		qpc_watch_free(&w);
		qpc_works_free(&k);
	}
	qpc_store_close(st);
	if (rc)
		return cli_fail(c, rc, &e);
	if (json) {
		report_json(c->out, &r, &w, &k, t, nt);
	} else {
		report_text(c->out, &r);
		watch_text(c->out, &w);
		works_text(c->out, &k);
		traits_text(c->out, t, nt);
	}
	qpc_watch_free(&w);
	qpc_works_free(&k);
	return 0;
}

int cmd_report(struct qpc_cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false;
	int o;
	while ((o = getopt_long(argc, argv, "+:f:", opts, NULL)) != -1) {
		if (o == 'f' && strcmp(optarg, "json") == 0)
			json = true;
		else if (o == 'f' && strcmp(optarg, "text") == 0)
			json = false;
		else if (o == 'f')
			return cli_usage(c, "report: --format is text or json, not '%s'", optarg);
		else
			return cli_bad_option(c, "report", argv, o);
	}
	if (optind < argc)
		return cli_usage(c, "report: unexpected argument '%s'", argv[optind]);
	return cli_print_report(c, json);
}
