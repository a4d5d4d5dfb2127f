/* cmd_export.c — qpc export accounts [-o FILE] [--raw]. */
#include <errno.h>
#include <getopt.h>
#include <string.h>

#include "qpc/cli.h"
#include "qpc/csvwrite.h"

static const char *const account_header[] = {
	"external_id", "name", "owner", "segment", "city", "country", "qpc", "sales_12m",
	"gross_profit_12m", "share", "status", "contract_partner", "contract_value",
	"rep_share_estimate", "qpc_measured_on", "qpc_verified",
};

static int write_account(const struct qpc_account_row *r, void *ctx)
{
	struct csvw *w = ctx;
	const struct qpc_account_figures *f = &r->fig;
	csvw_field(w, r->external_id);
	csvw_field(w, r->name);
	csvw_field(w, r->owner);
	csvw_field(w, r->segment);
	csvw_field(w, r->city);
	csvw_field(w, r->country);
	csvw_opt_money(w, f->qpc_measured, f->qpc);
	csvw_money(w, f->sales_12m);
	csvw_money(w, f->gp_12m);
	/* Above 1 the QPC was underestimated: the share is capped at 1, and
	 * qpc < sales_12m in the same row says so. */
	csvw_fraction_bp(w, f->share.kind != QPC_SHARE_UNDEFINED, f->share.bp);
	csvw_field(w, qpc_status_name(f->status));
	csvw_bool(w, r->contract_partner);
	csvw_opt_money(w, r->has_contract_value, r->contract_value);
	csvw_fraction_bp(w, r->has_rep_share, r->rep_share_bp);
	csvw_date(w, r->has_measured_on, r->qpc_measured_on);
	csvw_bool(w, r->qpc_verified);
	csvw_end(w);
	return ferror(w->fp) ? -1 : 0;
}

int cmd_export(struct qpc_cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "raw", no_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = NULL;
	bool raw = false;
	int o;
	while ((o = getopt_long(argc, argv, "+:o:", opts, NULL)) != -1) {
		if (o == 'o')
			path = optarg;
		else if (o == 'r')
			raw = true;
		else
			return cli_bad_option(c, "export", argv, o);
	}
	if (optind >= argc)
		return cli_usage(c, "export: say what to export (accounts)");
	const char *what = argv[optind++];
	if (strcmp(what, "accounts") != 0)
		return cli_usage(c, "export: unknown list '%s' (known: accounts)", what);
	while (optind < argc && (o = getopt_long(argc, argv, "+:o:", opts, NULL)) != -1) {
		if (o == 'o')
			path = optarg;
		else if (o == 'r')
			raw = true;
		else
			return cli_bad_option(c, "export", argv, o);
	}
	if (optind < argc)
		return cli_usage(c, "export: unexpected argument '%s'", argv[optind]);

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
	struct cli_output out;
	if ((rc = cli_output_open(&out, path, &e))) {
		qpc_store_close(st);
		return cli_fail(c, rc, &e);
	}
	struct csvw w;
	csvw_init(&w, out.fp, !raw, set.minor_units);
	for (size_t i = 0; i < sizeof account_header / sizeof *account_header; i++)
		csvw_field(&w, account_header[i]);
	csvw_end(&w);
	rc = qpc_store_accounts_each(st, c->as_of, write_account, &w, &e);
	qpc_store_close(st);
	if (rc == QPC_ERR_IO)
		qpc_error_set(&e, rc, "writing %s failed: %s%s", path ? path : "standard output",
		              strerror(errno), path ? "; the file was left as it was" : "");
	struct qpc_error e2 = { 0 };
	enum qpc_rc rc2 = cli_output_close(&out, rc == QPC_OK, &e2);
	if (rc)
		return cli_fail(c, rc, &e);
	if (rc2)
		return cli_fail(c, rc2, &e2);
	return 0;
}
