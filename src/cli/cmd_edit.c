/* cmd_edit.c — the command-line twins of the editors: QPC lines,
 * candidates, ticks and goals.  Same rules, same history as the screens. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "qpc/browse.h"
#include "qpc/cli.h"
#include "qpc/edit.h"
#include "qpc/history_text.h"
#include "qpc/saying.h"
#include "qpc/textcell.h"
#include "qpc/typed.h"

/* Prints a write's result the way the dashboard says it (saying.h),
 * escaped: it may quote a name. */
static void say(struct qpc_cli *c, const char *said)
{
	char text[TEXTCELL_ESCAPE_SIZE(512)];
	textcell_escape(said, text, sizeof text);
	fprintf(c->out, "%s\n", text);
}

/* The account as the dashboard's list shows it, after a write; false when
 * it cannot be read (the write stands: only the answer is shorter). */
/* The row as of the as-of date, as the dashboard shows it. */
static int copy_row(const struct qpc_account_row *r, void *ctx)
{
	struct qpc_browse_row *row = ctx;
	row->id = r->id;
	snprintf(row->external_id, sizeof row->external_id, "%s", r->external_id);
	snprintf(row->name, sizeof row->name, "%s", r->name);
	snprintf(row->owner, sizeof row->owner, "%s", r->owner);
	snprintf(row->segment, sizeof row->segment, "%s", r->segment);
	row->fig = r->fig;
	row->contract_partner = r->contract_partner;
	row->has_measured_on = r->has_measured_on;
	row->measured_on = r->qpc_measured_on;
	row->qpc_verified = r->qpc_verified;
	return 0;
}

bool cli_account_row(struct qpc_cli *c, struct qpc_store *st, int64_t id,
                     struct qpc_browse_row *row)
{
	struct qpc_error e = { 0 };
	memset(row, 0, sizeof *row);
	row->id = -1;
	if (qpc_store_accounts_by_id(st, c->as_of, &id, 1, copy_row, row, &e))
		return false;
	row->stale = !row->fig.qpc_measured || !row->has_measured_on ||
	             qpc_is_stale(row->measured_on, c->as_of);
	return row->id == id;
}

/* --- qpc potential set|rm|estimate -------------------------------------- */

static int print_estimate(const struct qpc_estimate *est, void *ctx)
{
	FILE *fp = ctx;
	char name[TEXTCELL_ESCAPE_SIZE(160)], ext[TEXTCELL_ESCAPE_SIZE(64)],
		segment[TEXTCELL_ESCAPE_SIZE(64)];
	textcell_escape(est->name, name, sizeof name);
	textcell_escape(est->external_id[0] ? est->external_id : "-", ext, sizeof ext);
	textcell_escape(est->segment[0] ? est->segment : "no segment", segment, sizeof segment);
	fprintf(fp, "%s %s (%s)\n", ext, name, segment);
	if (est->nlines == 0)
		fputs("  no verified accounts to calibrate on\n", fp);
	for (int i = 0; i < est->nlines; i++) {
		char amount[32], cat[TEXTCELL_ESCAPE_SIZE(96)], inputs[TEXTCELL_ESCAPE_SIZE(256)];
		qpc_money_format(est->lines[i].amount, 2, QPC_MONEY_GROUPED, amount, sizeof amount);
		textcell_escape(est->lines[i].category, cat, sizeof cat);
		textcell_escape(est->lines[i].inputs, inputs, sizeof inputs);
		fprintf(fp, "  %-22s %14s  %s%s\n", cat, amount, inputs,
		        est->lines[i].kept ? "  (kept: already measured)" : "");
	}
	return 0;
}

static int potential_estimate(struct qpc_cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "all", no_argument, NULL, 'a' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	bool all = false, dry = false;
	const char *key = NULL;
	int o;
	while (optind < argc) {
		if ((o = cli_getopt(argc, argv, opts)) == -1) {
			if (key)
				return cli_usage(c, "potential estimate: unexpected argument '%s'", argv[optind]);
			key = argv[optind++];
		} else if (o == 'a') {
			all = true;
		} else if (o == 'n') {
			dry = true;
		} else {
			return cli_bad_option(c, "potential estimate", argv, o);
		}
	}
	if (all == (key != NULL))
		return cli_usage(c, "potential estimate: name an ACCOUNT or say --all");
	struct qpc_store *st = NULL;
	int64_t id = 0;
	struct qpc_error e = { 0 };
	enum qpc_rc rc;
	if (key) {
		int status = cli_open_account(c, key, &st, &id);
		if (status)
			return status;
	} else if ((rc = cli_open(c, QPC_OPEN_EXISTING, &st, &e))) {
		return cli_fail(c, rc, &e);
	}
	rc = qpc_estimate_run(st, id, c->as_of, dry, print_estimate, c->out, &e);
	return cli_done(c, st, rc, &e, dry ? "Dry run: nothing was saved." : NULL);
}

int cmd_potential(struct qpc_cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "basis", required_argument, NULL, 'b' },
		{ "verified", no_argument, NULL, 'v' },
		{ "measured-on", required_argument, NULL, 'm' },
		{ NULL, 0, NULL, 0 },
	};
	if (argc < 2)
		return cli_usage(c, "potential: say set, rm or estimate");
	const char *verb = argv[1];
	optind = 2;
	if (strcmp(verb, "estimate") == 0)
		return potential_estimate(c, argc, argv);
	if (strcmp(verb, "set") != 0 && strcmp(verb, "rm") != 0)
		return cli_usage(c, "potential: unknown action '%s' (set, rm, estimate)", verb);
	const char *basis = "rep estimate", *pos[3] = { NULL, NULL, NULL };
	bool verified = false;
	qpc_date on = c->as_of;
	int npos = 0, o;
	while (optind < argc) {
		if ((o = cli_getopt(argc, argv, opts)) == -1) {
			if (npos < 3)
				pos[npos] = argv[optind];
			npos++;
			optind++;
			continue;
		}
		const char *why;
		if (o == 'b')
			basis = optarg;
		else if (o == 'v')
			verified = true;
		else if (o == 'm' && !typed_date(optarg, c->as_of, &on, &why))
			return cli_usage(c, "potential: --measured-on '%s': %s", optarg, why);
		else if (o != 'm')
			return cli_bad_option(c, "potential", argv, o);
	}
	bool set = strcmp(verb, "set") == 0;
	if (npos != (set ? 3 : 2))
		return cli_usage(c, set ? "potential set takes ACCOUNT CATEGORY AMOUNT"
		                        : "potential rm takes ACCOUNT CATEGORY");
	/* the limits of the editor and the importer, so that an export of
	 * what is set here imports again */
	const char *why = typed_measured_on_why(on, c->as_of);
	char day[QPC_DATE_ISO_LEN], today[QPC_DATE_ISO_LEN];
	if (set && why)
		return cli_usage(c, "potential: --measured-on '%s': %s (after %s, the as-of date)",
		                 qpc_date_format(on, day), why, qpc_date_format(c->as_of, today));
	struct qpc_store *st;
	int64_t id = 0;
	int status = cli_open_account(c, pos[0], &st, &id);
	if (status)
		return status;
	struct qpc_error e = { 0 };
	struct qpc_settings set_;
	enum qpc_rc rc = qpc_store_settings(st, &set_, &e);
	if (!rc && set) {
		qpc_money amount;
		if (!typed_amount(pos[2], set_.minor_units, &amount, &why)) {
			qpc_store_close(st);
			return cli_usage(c, "potential set: amount '%s': %s", pos[2], why);
		}
		if (amount < 0) {
			qpc_store_close(st);
			return cli_usage(c, "potential set: a QPC cannot be negative");
		}
		rc = qpc_edit_potential_set(st, id, pos[1], amount, basis, verified, on, &e);
	} else if (!rc) {
		rc = qpc_edit_potential_rm(st, id, pos[1], &e);
	}
	/* the account's QPC, share and status now, as the editor's save says */
	struct qpc_browse_row row;
	char said[256];
	if (!rc)
		say(c, cli_account_row(c, st, id, &row)
		               ? say_saved_qpc(&row, set_.minor_units, false, said, sizeof said)
		               : "Saved.");
	return cli_done(c, st, rc, &e, NULL);
}

/* --- qpc candidate add|drop, tick, untick -------------------------------- */

/* "Acme is a candidate now, with the checklist 'Default'", or no longer
 * one: the account's name, else as typed. */
static void say_candidacy(struct qpc_cli *c, struct qpc_store *st, int64_t id, const char *key,
                          bool add)
{
	struct qpc_checklist *cl = malloc(sizeof *cl);
	struct qpc_error e = { 0 };
	char said[512], found[QPC_TEXT_NAME];
	const char *name = qpc_store_account_name(st, id, found, sizeof found, &e) ? key : found;
	if (!add)
		say(c, say_dropped(name, said, sizeof said));
	else if (cl && qpc_edit_checklist(st, id, cl, &e) == QPC_OK)
		say(c, say_nominated(name, cl->template_name, said, sizeof said));
	else
		say(c, "Nominated.");
	free(cl);
}

int cmd_candidate(struct qpc_cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "template", required_argument, NULL, 't' },
		{ "reason", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	if (argc < 2 || (strcmp(argv[1], "add") != 0 && strcmp(argv[1], "drop") != 0))
		return cli_usage(c, "candidate: say add or drop");
	bool add = strcmp(argv[1], "add") == 0;
	const char *tmpl = NULL, *reason = NULL, *key = NULL;
	int o;
	optind = 2;
	while (optind < argc) {
		if ((o = cli_getopt(argc, argv, opts)) == -1) {
			if (key)
				return cli_usage(c, "candidate: unexpected argument '%s'", argv[optind]);
			key = argv[optind++];
		} else if (o == 't') {
			tmpl = optarg;
		} else if (o == 'r') {
			reason = optarg;
		} else {
			return cli_bad_option(c, "candidate", argv, o);
		}
	}
	if (!key)
		return cli_usage(c, "candidate %s takes an ACCOUNT", argv[1]);
	if (!add && (!reason || !*reason))
		return cli_usage(c, "candidate drop needs --reason TEXT");
	struct qpc_store *st;
	int64_t id = 0, tid = 0;
	int status = cli_open_account(c, key, &st, &id);
	if (status)
		return status;
	struct qpc_error e = { 0 };
	enum qpc_rc rc = QPC_OK;
	if (add && tmpl)
		rc = qpc_store_template_find(st, tmpl, &tid, &e);
	if (!rc)
		rc = add ? qpc_store_candidate_add(st, id, tid, c->as_of, &e)
		         : qpc_edit_candidate_drop(st, id, reason, c->as_of, &e);
	if (!rc)
		say_candidacy(c, st, id, key, add);
	return cli_done(c, st, rc, &e, NULL);
}

/* "Ticked 2. Knows our senior executives": the step found as the store
 * found it, by number or else by its text. */
static void say_tick(struct qpc_cli *c, struct qpc_store *st, int64_t id, int position,
                     const char *text, bool tick)
{
	struct qpc_checklist *cl = malloc(sizeof *cl);
	struct qpc_error e = { 0 };
	char said[256];
	const struct qpc_step *step = NULL;
	if (cl && qpc_edit_checklist(st, id, cl, &e) == QPC_OK)
		for (int i = 0; i < cl->nsteps && !step; i++)
			if (!cl->steps[i].retired &&
			    (position ? cl->steps[i].position == position
			              : strcasecmp(cl->steps[i].text, text) == 0))
				step = &cl->steps[i];
	say(c, step ? say_ticked(tick, step->position, step->text, said, sizeof said)
	            : tick ? "Ticked." : "Unticked.");
	free(cl);
}

static int tick_common(struct qpc_cli *c, int argc, char **argv, bool tick)
{
	static const struct option opts[] = {
		{ "note", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	const char *note = NULL, *pos[2] = { NULL, NULL };
	int npos = 0, o;
	optind = 1;
	while (optind < argc) {
		if ((o = cli_getopt(argc, argv, opts)) == -1) {
			if (npos < 2)
				pos[npos] = argv[optind];
			npos++;
			optind++;
		} else if (o == 'n' && tick) {
			note = optarg;
		} else {
			return cli_bad_option(c, argv[0], argv, o);
		}
	}
	if (npos != 2)
		return cli_usage(c, "%s takes ACCOUNT STEP (a step number or its text)", argv[0]);
	int position = cli_step_number(pos[1]);
	struct qpc_store *st;
	int64_t id = 0;
	int status = cli_open_account(c, pos[0], &st, &id);
	if (status)
		return status;
	struct qpc_error e = { 0 };
	enum qpc_rc rc = tick ? qpc_edit_tick(st, id, position, pos[1], note, &e)
	                      : qpc_edit_untick(st, id, position, pos[1], &e);
	if (!rc)
		say_tick(c, st, id, position, pos[1], tick);
	return cli_done(c, st, rc, &e, NULL);
}

int cmd_tick(struct qpc_cli *c, int argc, char **argv)
{
	return tick_common(c, argc, argv, true);
}

int cmd_untick(struct qpc_cli *c, int argc, char **argv)
{
	return tick_common(c, argc, argv, false);
}

/* --- qpc goal set YEAR COUNT --------------------------------------------- */

int cmd_goal(struct qpc_cli *c, int argc, char **argv)
{
	if (argc != 4 || strcmp(argv[1], "set") != 0)
		return cli_usage(c, "goal takes: set YEAR COUNT");
	char *end1, *end2;
	errno = 0;
	long year = strtol(argv[2], &end1, 10);
	bool year_fits = errno == 0 && year >= INT_MIN && year <= INT_MAX;
	errno = 0;
	long count = strtol(argv[3], &end2, 10);
	bool count_fits = errno == 0;
	if (*end1 || *end2 || !*argv[2] || !*argv[3])
		return cli_usage(c, "goal set: YEAR and COUNT are whole numbers (got '%s' and '%s')",
		                 argv[2], argv[3]);
	/* The store judges the numbers, and its message quotes them: they are
	 * passed only as typed, never cut down to fit. */
	if (!year_fits)
		return cli_usage(c, "goal set: the year '%s' is out of range", argv[2]);
	if (!count_fits)
		return cli_usage(c, "goal set: the count '%s' is out of range", argv[3]);
	struct qpc_error e = { 0 };
	struct qpc_store *st;
	enum qpc_rc rc = cli_open(c, QPC_OPEN_EXISTING, &st, &e);
	if (rc)
		return cli_fail(c, rc, &e);
	rc = qpc_store_goal_set(st, (int)year, count, &e);
	char said[80];
	return cli_done(c, st, rc, &e, say_goal((int)year, count, said, sizeof said));
}

/* --- qpc history [ACCOUNT] ----------------------------------------------- */

struct history_ctx {
	FILE *fp;
	int minor_units;
};

static int print_change(const struct qpc_change *ch, void *ctx)
{
	const struct history_ctx *h = ctx;
	struct qpc_history_text said;
	char who[TEXTCELL_ESCAPE_SIZE(64)], what[TEXTCELL_ESCAPE_SIZE(sizeof said.what)],
		change[TEXTCELL_ESCAPE_SIZE(sizeof said.change)], acc[TEXTCELL_ESCAPE_SIZE(160)],
		ext[TEXTCELL_ESCAPE_SIZE(64)];
	/* in words, as the account page's history pane says it */
	qpc_history_text(ch->entity, ch->field, ch->old_value, ch->new_value, h->minor_units, false,
	                 &said);
	textcell_escape(ch->user, who, sizeof who);
	textcell_escape(ch->external_id, ext, sizeof ext);
	textcell_escape(said.what, what, sizeof what);
	textcell_escape(said.change, change, sizeof change);
	textcell_escape(ch->account_name, acc, sizeof acc);
	/* a change to no account says what it changed: "Goal 2027: 45 → 60" */
	fprintf(h->fp, "%s  %-10s %-10s %s%s%s%s%s: %s\n", ch->at, ch->effective, who, ext,
	        acc[0] ? " " : "", acc, acc[0] ? " " : "", what, change);
	return ferror(h->fp) ? -1 : 0;
}

int cmd_history(struct qpc_cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "limit", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 },
	};
	const char *key = NULL;
	long limit = 0;
	int o;
	optind = 1;
	while (optind < argc) {
		if ((o = cli_getopt(argc, argv, opts)) == -1) {
			if (key)
				return cli_usage(c, "history: unexpected argument '%s'", argv[optind]);
			key = argv[optind++];
		} else if (o == 'l') {
			char *end;
			limit = strtol(optarg, &end, 10);
			if (*end || limit < 1)
				return cli_usage(c, "history: --limit takes a count");
		} else {
			return cli_bad_option(c, "history", argv, o);
		}
	}
	struct qpc_store *st;
	int64_t id;
	struct qpc_error e = { 0 };
	enum qpc_rc rc;
	int status = cli_open_account(c, key, &st, &id);
	if (status)
		return status;
	struct qpc_settings set;
	struct history_ctx h = { .fp = c->out };
	if (!(rc = qpc_store_settings(st, &set, &e))) {
		h.minor_units = set.minor_units;
		rc = qpc_history_each(st, id, limit, print_change, &h, &e);
	}
	return cli_done(c, st, rc, &e, NULL);
}
