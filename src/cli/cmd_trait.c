/* cmd_trait.c — qpc trait list|add|rename|retire, qpc rate: what a partner
 * is for us, rated per account. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "qpc/cli.h"
#include "qpc/textcell.h"
#include "qpc/traits.h"

static int print_trait(const struct qpc_trait *t, void *ctx)
{
	FILE *fp = ctx;
	char name[TEXTCELL_ESCAPE_SIZE(QPC_TRAIT_NAME)];
	textcell_escape(t->name, name, sizeof name);
	fprintf(fp, "%-32s %d-%d  %lld rating%s%s\n", name, t->scale_min, t->scale_max,
	        (long long)t->ratings, t->ratings == 1 ? "" : "s", t->retired ? "  (retired)" : "");
	return 0;
}

/* "1-5" or "0-10": a trait's scale. */
static bool parse_scale(const char *s, int *lo, int *hi)
{
	char *end;
	errno = 0;
	long a = strtol(s, &end, 10);
	if (end == s || *end != '-' || errno)
		return false;
	const char *b = end + 1;
	long z = strtol(b, &end, 10);
	if (end == b || *end || errno || a < 0 || z > 100 || a >= z)
		return false;
	*lo = (int)a;
	*hi = (int)z;
	return true;
}

int cmd_trait(struct qpc_cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "scale", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	const char *pos[3] = { NULL, NULL, NULL };
	int npos = 0, o, lo = 1, hi = 5;
	optind = 1;
	while (optind < argc) {
		if ((o = cli_getopt(argc, argv, opts)) == -1) {
			if (npos < 3)
				pos[npos] = argv[optind];
			npos++;
			optind++;
		} else if (o == 's') {
			if (!parse_scale(optarg, &lo, &hi))
				return cli_usage(c, "trait: --scale is LOW-HIGH, from 0 up to 100 (not '%s')",
				                 optarg);
		} else {
			return cli_bad_option(c, "trait", argv, o);
		}
	}
	const char *what = pos[0] ? pos[0] : "";
	int want = strcmp(what, "list") == 0     ? 1
	           : strcmp(what, "add") == 0    ? 2
	           : strcmp(what, "rename") == 0 ? 3
	           : strcmp(what, "retire") == 0 ? 2
	                                         : 0;
	if (!want || npos != want)
		return cli_usage(c, "trait takes: list, add NAME [--scale LOW-HIGH], rename NAME NEW, "
		                    "retire NAME");
	struct qpc_error e = { 0 };
	struct qpc_store *st;
	enum qpc_rc rc = cli_open(c, QPC_OPEN_EXISTING, &st, &e);
	if (rc)
		return cli_fail(c, rc, &e);
	char said[200];
	if (want == 1) {
		rc = qpc_store_trait_each(st, print_trait, c->out, &e);
		return cli_done(c, st, rc, &e, NULL);
	}
	if (strcmp(what, "add") == 0) {
		rc = qpc_store_trait_add(st, pos[1], lo, hi, &e);
		snprintf(said, sizeof said, "Trait '%.64s' added, scored %d to %d.", pos[1], lo, hi);
	} else if (strcmp(what, "rename") == 0) {
		rc = qpc_store_trait_rename(st, pos[1], pos[2], &e);
		snprintf(said, sizeof said, "Trait '%.64s' is now '%.64s'.", pos[1], pos[2]);
	} else {
		rc = qpc_store_trait_retire(st, pos[1], &e);
		snprintf(said, sizeof said, "Trait '%.64s' retired: its ratings are kept.", pos[1]);
	}
	return cli_done(c, st, rc, &e, said);
}

int cmd_rate(struct qpc_cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "note", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	const char *pos[3] = { NULL, NULL, NULL }, *note = NULL;
	int npos = 0, o;
	optind = 1;
	while (optind < argc) {
		if ((o = cli_getopt(argc, argv, opts)) == -1) {
			if (npos < 3)
				pos[npos] = argv[optind];
			npos++;
			optind++;
		} else if (o == 'n') {
			note = optarg;
		} else {
			return cli_bad_option(c, "rate", argv, o);
		}
	}
	if (npos != 3)
		return cli_usage(c, "rate takes ACCOUNT TRAIT SCORE [--note TEXT]");
	char *end;
	errno = 0;
	long score = strtol(pos[2], &end, 10);
	if (end == pos[2] || *end || errno || score < -1000 || score > 1000)
		return cli_usage(c, "rate: the score is a whole number on the trait's scale (not '%s')",
		                 pos[2]);
	struct qpc_store *st;
	int64_t id = 0;
	int status = cli_open_account(c, pos[0], &st, &id);
	if (status)
		return status;
	struct qpc_error e = { 0 };
	enum qpc_rc rc = qpc_store_rate(st, id, pos[1], (int)score, note, c->as_of, &e);
	char said[200], d[QPC_DATE_ISO_LEN];
	snprintf(said, sizeof said, "Rated '%.64s' %ld on %s.", pos[1], score,
	         qpc_date_format(c->as_of, d));
	return cli_done(c, st, rc, &e, said);
}
