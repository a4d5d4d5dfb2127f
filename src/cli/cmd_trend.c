/* cmd_trend.c — qpc trend [--months N] [--format text|json|csv]. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "qpc/cli.h"
#include "qpc/csvwrite.h"
#include "qpc/json.h"
#include "qpc/textcell.h"
#include "qpc/trend.h"

#define TREND_DEFAULT_MONTHS 24

enum format { TEXT, JSON, CSV };

struct out {
	enum format fmt;
	struct qpc_trend_point pts[QPC_TREND_MAX_MONTHS];
	int n;
	FILE *fp;
	int mu; /* minor units */
	struct jsonw j;
	struct csvw w;
	bool capped, over;
};

static int keep(const struct qpc_trend_point *p, void *ctx)
{
	struct out *o = ctx;
	if (o->n >= QPC_TREND_MAX_MONTHS)
		return -1;
	o->pts[o->n++] = *p;
	return 0;
}

static int text_point(const struct qpc_trend_point *p, void *ctx)
{
	struct out *o = ctx;
	char d[QPC_DATE_ISO_LEN], qpc[40], sales[40], share[16], pct[16];
	if (p->share.kind == QPC_SHARE_UNDEFINED)
		snprintf(share, sizeof share, "–");
	else /* rounded from basis points, as the dashboard's trend */
		snprintf(share, sizeof share, "%s%s",
		         qpc_permille_format(qpc_round_div(p->share.bp, 10), pct, sizeof pct),
		         p->share.kind == QPC_SHARE_OVER ? "!" : "");
	/* "–" is three bytes wide in printf's count, one on screen */
	int share_width = p->share.kind == QPC_SHARE_UNDEFINED ? 9 : 7;
	fprintf(o->fp, "%-10s %9lld %8lld %5lld %5lld %20s %20s %*s\n",
	        qpc_date_format(p->month_end, d), (long long)p->customers, (long long)p->partners,
	        (long long)p->new_partners, (long long)p->lost_partners,
	        qpc_money_format(p->qpc_total, o->mu, QPC_MONEY_GROUPED, qpc, sizeof qpc),
	        qpc_money_format(p->sales_12m, o->mu, QPC_MONEY_GROUPED, sales, sizeof sales),
	        share_width, share);
	o->capped |= p->capped;
	o->over |= p->share.kind == QPC_SHARE_OVER;
	return ferror(o->fp) ? -1 : 0;
}

static int json_point(const struct qpc_trend_point *p, void *ctx)
{
	struct out *o = ctx;
	char d[QPC_DATE_ISO_LEN];
	jsonw_begin_object(&o->j, NULL);
	jsonw_string(&o->j, "month_end", qpc_date_format(p->month_end, d));
	jsonw_int(&o->j, "customers", p->customers);
	jsonw_int(&o->j, "partners", p->partners);
	jsonw_int(&o->j, "new_partners", p->new_partners);
	jsonw_int(&o->j, "lost_partners", p->lost_partners);
	jsonw_money(&o->j, "qpc_total", p->qpc_total, o->mu);
	jsonw_money(&o->j, "sales_12m", p->sales_12m, o->mu);
	jsonw_fraction(&o->j, "share_of_qpc", p->share.kind != QPC_SHARE_UNDEFINED, p->share.value);
	jsonw_end_object(&o->j);
	o->capped |= p->capped;
	return ferror(o->fp) ? -1 : 0;
}

static int csv_point(const struct qpc_trend_point *p, void *ctx)
{
	struct out *o = ctx;
	csvw_date(&o->w, true, p->month_end);
	csvw_int(&o->w, p->customers);
	csvw_int(&o->w, p->partners);
	csvw_int(&o->w, p->new_partners);
	csvw_int(&o->w, p->lost_partners);
	csvw_money(&o->w, p->qpc_total);
	csvw_money(&o->w, p->sales_12m);
	csvw_fraction_bp(&o->w, p->share.kind != QPC_SHARE_UNDEFINED, p->share.bp);
	csvw_end(&o->w);
	o->capped |= p->capped;
	return ferror(o->fp) ? -1 : 0;
}

static void begin(struct out *o, qpc_date as_of, const struct qpc_settings *set)
{
	char d[QPC_DATE_ISO_LEN], cur[TEXTCELL_ESCAPE_SIZE(sizeof set->currency)];
	switch (o->fmt) {
	case TEXT:
		/* the currency is whatever the file holds: shown escaped */
		textcell_escape(set->currency, cur, sizeof cur);
		fprintf(o->fp, "Trend to %s (%s; the last point is that day, the others month ends)\n\n",
		        qpc_date_format(as_of, d), cur);
		fprintf(o->fp, "%-10s %9s %8s %5s %5s %20s %20s %7s\n", "Month end", "Customers",
		        "Partners", "New", "Lost", "QPC total", "Sales 12m", "Share");
		break;
	case JSON:
		jsonw_init(&o->j, o->fp, true);
		jsonw_begin_object(&o->j, NULL);
		jsonw_string(&o->j, "as_of", qpc_date_format(as_of, d));
		jsonw_begin_array(&o->j, "months");
		break;
	case CSV:
		csvw_init(&o->w, o->fp, true, o->mu);
		static const char *const header[] = { "month_end", "customers", "partners",
			                              "new_partners", "lost_partners", "qpc_total",
			                              "sales_12m", "share_of_qpc", NULL };
		for (const char *const *h = header; *h; h++)
			csvw_field(&o->w, *h);
		csvw_end(&o->w);
		break;
	}
}

static void end(struct out *o)
{
	if (o->fmt == JSON) {
		jsonw_end_array(&o->j);
		jsonw_end_object(&o->j);
		jsonw_finish(&o->j);
	} else if (o->fmt == TEXT) {
		fputs("\nNew and Lost: accounts that became partners, or stopped being partners, "
		      "within the month.\n",
		      o->fp);
		if (o->over)
			fputs("A share marked ! is capped at 100%: sales above the QPC mean it was "
			      "underestimated.\n",
			      o->fp);
		if (o->capped)
			fputs("Warning: some totals exceeded the largest amount qpc can hold and are "
			      "capped.\n",
			      o->fp);
	}
}

int cmd_trend(struct qpc_cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "months", required_argument, NULL, 'm' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct out o = { .fmt = TEXT, .fp = c->out };
	long months = TREND_DEFAULT_MONTHS;
	int opt;
	optind = 1;
	while ((opt = cli_getopt(argc, argv, opts)) != -1) {
		if (opt == 'm') {
			char *endp;
			months = strtol(optarg, &endp, 10);
			if (!*optarg || *endp || months < 1 || months > QPC_TREND_MAX_MONTHS)
				return cli_usage(c, "trend: --months takes a whole number from 1 to %d, not '%s'",
				                 QPC_TREND_MAX_MONTHS, optarg);
		} else if (opt == 'f' && strcmp(optarg, "text") == 0) {
			o.fmt = TEXT;
		} else if (opt == 'f' && strcmp(optarg, "json") == 0) {
			o.fmt = JSON;
		} else if (opt == 'f' && strcmp(optarg, "csv") == 0) {
			o.fmt = CSV;
		} else if (opt == 'f') {
			return cli_usage(c, "trend: --format is text, json or csv, not '%s'", optarg);
		} else {
			return cli_bad_option(c, "trend", argv, opt);
		}
	}
	if (optind < argc)
		return cli_usage(c, "trend: unexpected argument '%s'", argv[optind]);
	struct qpc_error e = { 0 };
	struct qpc_store *st;
	struct qpc_settings set;
	enum qpc_rc rc = cli_open(c, QPC_OPEN_EXISTING, &st, &e);
	if (rc)
		return cli_fail(c, rc, &e);
	if ((rc = qpc_store_settings(st, &set, &e))) {
		qpc_store_close(st);
		return cli_fail(c, rc, &e);
	}
	o.mu = set.minor_units;
	/* Every point first, then the output: a failure prints no half document. */
	rc = qpc_store_trend(st, c->as_of, (int)months, keep, &o, &e);
	qpc_store_close(st);
	if (rc)
		return cli_fail(c, rc, &e);
	qpc_trend_fn fn = o.fmt == JSON ? json_point : o.fmt == CSV ? csv_point : text_point;
	begin(&o, c->as_of, &set);
	for (int i = 0; i < o.n; i++)
		if (fn(&o.pts[i], &o))
			break;
	end(&o);
	return 0;
}
