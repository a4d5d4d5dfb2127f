/* cmd_setting.c — qpc setting list | set KEY VALUE [--from DATE].
 *
 * The threshold is a dated fact: a change takes effect from a day on and
 * the days before keep the threshold they had.  The currency and its
 * decimals hold for the whole file, and cannot change once amounts are
 * stored. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "qpc/cli.h"
#include "qpc/history_text.h"
#include "qpc/textcell.h"
#include "qpc/typed.h"

/* "0.75", "0.8000", "80%" -> "75%", "80%", "82.5%"; anything else as it is. */
static const char *threshold_text(const char *v, char *buf, size_t n)
{
	qpc_money bp;
	char num[32];
	size_t len = strlen(v);
	bool ok;
	if (len > 1 && len < sizeof num && v[len - 1] == '%') {
		memcpy(num, v, len - 1);
		num[len - 1] = '\0';
		ok = qpc_money_parse_plain(num, 2, &bp, NULL);
	} else {
		ok = qpc_money_parse_plain(v, 4, &bp, NULL);
	}
	if (!ok || bp <= 0 || bp > QPC_BP_ONE) {
		textcell_escape(v, buf, n);
		return buf;
	}
	return qpc_bp_text(bp, buf, n); /* as the history says it */
}

static int print_setting(const struct qpc_setting_row *r, void *ctx)
{
	FILE *fp = ctx;
	char key[TEXTCELL_ESCAPE_SIZE(32)], value[TEXTCELL_ESCAPE_SIZE(64)],
		at[TEXTCELL_ESCAPE_SIZE(40)], who[TEXTCELL_ESCAPE_SIZE(64)], d[QPC_DATE_ISO_LEN];
	textcell_escape(r->key, key, sizeof key);
	if (strcmp(r->key, "threshold") == 0)
		threshold_text(r->value, value, sizeof value);
	else
		textcell_escape(r->value, value, sizeof value);
	if (!r->has_from) {
		if (strcmp(r->key, "threshold") == 0)
			fprintf(fp, "%-12s %-8s from the start\n", key, value);
		else
			fprintf(fp, "%-12s %s\n", key, value);
		return ferror(fp) ? -1 : 0;
	}
	textcell_escape(r->changed_at ? r->changed_at : "", at, sizeof at);
	textcell_escape(r->changed_by ? r->changed_by : "", who, sizeof who);
	fprintf(fp, "%-12s %-8s from %s (set %s by %s)\n", key, value,
	        qpc_date_format(r->from, d), at, who);
	return ferror(fp) ? -1 : 0;
}

static int setting_list(struct qpc_cli *c, int argc, char **argv)
{
	if (argc > 2)
		return cli_usage(c, "setting list: unexpected argument '%s'", argv[2]);
	struct qpc_error e = { 0 };
	struct qpc_store *st;
	enum qpc_rc rc = cli_open(c, QPC_OPEN_EXISTING, &st, &e);
	if (rc)
		return cli_fail(c, rc, &e);
	rc = qpc_store_setting_each(st, print_setting, c->out, &e);
	qpc_store_close(st);
	return rc ? cli_fail(c, rc, &e) : 0;
}

static int setting_set(struct qpc_cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	const char *pos[2] = { NULL, NULL }, *why;
	int npos = 0, o;
	bool has_from = false;
	qpc_date from = c->as_of;
	while (optind < argc) {
		if ((o = cli_getopt(argc, argv, opts)) == -1) {
			if (npos < 2)
				pos[npos] = argv[optind];
			npos++;
			optind++;
		} else if (o == 'f') {
			if (!typed_date(optarg, c->as_of, &from, &why))
				return cli_usage(c, "setting set: --from '%s': %s", optarg, why);
			has_from = true;
		} else {
			return cli_bad_option(c, "setting set", argv, o);
		}
	}
	if (npos != 2)
		return cli_usage(c, "setting set takes KEY VALUE (threshold, currency or minor_units)");
	const char *key = pos[0], *value = pos[1];
	bool threshold = strcmp(key, "threshold") == 0;
	if (!threshold && strcmp(key, "currency") != 0 && strcmp(key, "minor_units") != 0)
		return cli_usage(c, "setting set: unknown setting '%s' (known: threshold, currency, "
		                    "minor_units)",
		                 key);
	if (has_from && !threshold)
		return cli_usage(c, "setting set: --from dates a threshold change; %s holds for the "
		                    "whole file",
		                 key);
	if (strcmp(key, "currency") == 0 &&
	    (strlen(value) != 3 || strspn(value, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3))
		return cli_usage(c, "setting set: currency is a 3-letter ISO 4217 code such as EUR, "
		                    "not '%s'",
		                 value);
	if (strcmp(key, "minor_units") == 0 && !(value[0] >= '0' && value[0] <= '4' && !value[1]))
		return cli_usage(c, "setting set: minor_units is 0 to 4, not '%s'", value);
	struct qpc_error e = { 0 };
	struct qpc_store *st;
	enum qpc_rc rc = cli_open(c, QPC_OPEN_EXISTING, &st, &e);
	if (rc)
		return cli_fail(c, rc, &e);
	rc = qpc_store_setting_change(st, key, value, from, &e);
	qpc_store_close(st);
	/* A threshold that is not one is a usage error (2); the currency's
	 * value was checked above, so a refusal is about the data (amounts
	 * are stored): 1. */
	if (rc == QPC_ERR_USAGE && !threshold)
		rc = QPC_ERR_DATA;
	if (rc)
		return cli_fail(c, rc, &e);
	/* the dashboard changes no setting: these are the command line's own */
	char text[TEXTCELL_ESCAPE_SIZE(64)], day[QPC_DATE_ISO_LEN];
	if (threshold)
		fprintf(c->out, "Saved: the partner threshold is %s from %s on\n",
		        threshold_text(value, text, sizeof text), qpc_date_format(from, day));
	else
		fprintf(c->out, "Saved: %s %s\n", key, value);
	return 0;
}

int cmd_setting(struct qpc_cli *c, int argc, char **argv)
{
	if (argc < 2)
		return cli_usage(c, "setting: say list or set");
	optind = 2;
	if (strcmp(argv[1], "list") == 0)
		return setting_list(c, argc, argv);
	if (strcmp(argv[1], "set") == 0)
		return setting_set(c, argc, argv);
	return cli_usage(c, "setting: unknown action '%s' (list, set)", argv[1]);
}
