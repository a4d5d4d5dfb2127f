/* cmd_contract.c — qpc contract set|end|list: systems contracts, dated.
 *
 * A signed systems contract makes the account a partner from the day it
 * is signed up to, not including, the day it ends. */
#include <getopt.h>
#include <string.h>

#include "qpc/cli.h"
#include "qpc/saying.h"
#include "qpc/textcell.h"
#include "qpc/typed.h"

/* The store refuses what contradicts the contracts already recorded (one
 * signed later, one signed after the end asked for) as a usage error; the
 * arguments themselves were checked here, so what is left is about the
 * data: exit 1.  Done, it says so as the dashboard does (saying.h). */
static int finish(struct qpc_cli *c, struct qpc_store *st, enum qpc_rc rc, struct qpc_error *e,
                  const char *said)
{
	qpc_store_close(st);
	if (rc == QPC_ERR_USAGE)
		rc = QPC_ERR_DATA;
	if (rc)
		return cli_fail(c, rc, e);
	fprintf(c->out, "%s\n", said);
	return 0;
}

static int contract_set(struct qpc_cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "signed", required_argument, NULL, 's' },
		{ "ends", required_argument, NULL, 'e' },
		{ "value", required_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 },
	};
	struct qpc_contract_rec rec = { 0 };
	bool has_signed = false;
	const char *key = NULL, *value = NULL, *why;
	int o;
	while (optind < argc) {
		if ((o = cli_getopt(argc, argv, opts)) == -1) {
			if (key)
				return cli_usage(c, "contract set: unexpected argument '%s'", argv[optind]);
			key = argv[optind++];
		} else if (o == 's') {
			if (!typed_date(optarg, c->as_of, &rec.signed_on, &why))
				return cli_usage(c, "contract set: --signed '%s': %s", optarg, why);
			has_signed = true;
		} else if (o == 'e') {
			if (!typed_date(optarg, c->as_of, &rec.ends_on, &why))
				return cli_usage(c, "contract set: --ends '%s': %s", optarg, why);
			rec.has_end = true;
		} else if (o == 'v') {
			value = optarg;
		} else {
			return cli_bad_option(c, "contract set", argv, o);
		}
	}
	if (!key)
		return cli_usage(c, "contract set takes ACCOUNT --signed DATE [--ends DATE] "
		                    "[--value AMOUNT]");
	if (!has_signed)
		return cli_usage(c, "contract set: say when it was signed (--signed DATE)");
	if (rec.has_end && rec.ends_on <= rec.signed_on)
		return cli_usage(c, "contract set: a contract must end (--ends) after the day it is "
		                    "signed (--signed)");
	struct qpc_store *st;
	int64_t id = 0;
	int status = cli_open_account(c, key, &st, &id);
	if (status)
		return status;
	struct qpc_error e = { 0 };
	struct qpc_settings set;
	enum qpc_rc rc = qpc_store_settings(st, &set, &e);
	if (rc) {
		qpc_store_close(st);
		return cli_fail(c, rc, &e);
	}
	if (value) {
		if (!typed_amount(value, set.minor_units, &rec.value, &why)) {
			qpc_store_close(st);
			return cli_usage(c, "contract set: --value '%s' is not an amount (%s)", value, why);
		}
		if (rec.value < 0) {
			qpc_store_close(st);
			return cli_usage(c, "contract set: a contract's value cannot be negative");
		}
		rec.has_value = true;
	}
	rc = qpc_store_contract_set(st, id, &rec, &e);
	char said[160];
	return finish(c, st, rc, &e, say_contract_saved(&rec, set.minor_units, false, said, sizeof said));
}

static int contract_end(struct qpc_cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "on", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	const char *key = NULL, *why;
	bool has_on = false;
	qpc_date on = 0;
	int o;
	while (optind < argc) {
		if ((o = cli_getopt(argc, argv, opts)) == -1) {
			if (key)
				return cli_usage(c, "contract end: unexpected argument '%s'", argv[optind]);
			key = argv[optind++];
		} else if (o == 'o') {
			if (!typed_date(optarg, c->as_of, &on, &why))
				return cli_usage(c, "contract end: --on '%s': %s", optarg, why);
			has_on = true;
		} else {
			return cli_bad_option(c, "contract end", argv, o);
		}
	}
	if (!key)
		return cli_usage(c, "contract end takes ACCOUNT --on DATE");
	if (!has_on)
		return cli_usage(c, "contract end: say the day it ends (--on DATE): the first day the "
		                    "account is no longer bound");
	struct qpc_store *st;
	int64_t id = 0;
	int status = cli_open_account(c, key, &st, &id);
	if (status)
		return status;
	struct qpc_error e = { 0 };
	enum qpc_rc rc = qpc_store_contract_end(st, id, on, &e);
	char said[128];
	return finish(c, st, rc, &e, say_contract_ended(on, said, sizeof said));
}

struct list_ctx {
	FILE *fp;
	int mu;
	qpc_date as_of;
	int64_t n;
};

static int print_contract(const struct qpc_contract_row *r, void *p)
{
	struct list_ctx *l = p;
	char ext[TEXTCELL_ESCAPE_SIZE(64)], name[TEXTCELL_ESCAPE_SIZE(160)],
		who[TEXTCELL_ESCAPE_SIZE(64)], at[TEXTCELL_ESCAPE_SIZE(40)], s[QPC_DATE_ISO_LEN],
		x[QPC_DATE_ISO_LEN], v[40];
	textcell_escape(r->external_id && r->external_id[0] ? r->external_id : "-", ext, sizeof ext);
	textcell_escape(r->name ? r->name : "", name, sizeof name);
	textcell_escape(r->recorded_by ? r->recorded_by : "", who, sizeof who);
	textcell_escape(r->recorded_at ? r->recorded_at : "", at, sizeof at);
	bool bound = r->c.signed_on <= l->as_of && (!r->c.has_end || l->as_of < r->c.ends_on);
	fprintf(l->fp, "%s %s: signed %s", ext, name, qpc_date_format(r->c.signed_on, s));
	if (r->c.has_end)
		fprintf(l->fp, ", ends %s", qpc_date_format(r->c.ends_on, x));
	if (r->c.has_value)
		fprintf(l->fp, ", value %s",
		        qpc_money_format(r->c.value, l->mu, QPC_MONEY_GROUPED, v, sizeof v));
	fprintf(l->fp, "%s (recorded %s by %s)\n", bound ? ", in force" : "", at, who);
	l->n++;
	return ferror(l->fp) ? -1 : 0;
}

static int contract_list(struct qpc_cli *c, int argc, char **argv)
{
	static const struct option opts[] = { { NULL, 0, NULL, 0 } };
	const char *key = NULL;
	int o;
	while (optind < argc) {
		if ((o = cli_getopt(argc, argv, opts)) != -1)
			return cli_bad_option(c, "contract list", argv, o);
		if (key)
			return cli_usage(c, "contract list: unexpected argument '%s'", argv[optind]);
		key = argv[optind++];
	}
	struct qpc_store *st;
	int64_t id;
	struct qpc_error e = { 0 };
	enum qpc_rc rc;
	int status = cli_open_account(c, key, &st, &id);
	if (status)
		return status;
	struct qpc_settings set;
	struct list_ctx l = { .fp = c->out, .as_of = c->as_of };
	if (!(rc = qpc_store_settings(st, &set, &e))) {
		l.mu = set.minor_units;
		rc = qpc_store_contract_each(st, id, print_contract, &l, &e);
	}
	qpc_store_close(st);
	if (rc)
		return cli_fail(c, rc, &e);
	if (l.n == 0)
		fputs(key ? "No contract recorded for this account.\n" : "No contracts recorded.\n",
		      c->out);
	return 0;
}

int cmd_contract(struct qpc_cli *c, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage(c, "contract: say set, end or list");
	optind = 2;
	if (strcmp(argv[1], "set") == 0)
		return contract_set(c, argc, argv);
	if (strcmp(argv[1], "end") == 0)
		return contract_end(c, argc, argv);
	if (strcmp(argv[1], "list") == 0)
		return contract_list(c, argc, argv);
	return cli_usage(c, "contract: unknown action '%s' (set, end, list)", argv[1]);
}
