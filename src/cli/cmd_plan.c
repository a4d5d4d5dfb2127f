/* cmd_plan.c — qpc step assign, qpc tasks: a plan with owners and dates.
 *
 * Each step of a candidate's checklist can have an owner and a due date;
 * `qpc tasks` lists the open ones so planned, the earliest due first, as
 * text, CSV, or an iCalendar file a calendar program imports (one VTODO
 * per step, its UID the same at every export, so that importing again
 * updates the task rather than adding a second). */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "qpc/browse.h"
#include "qpc/cli.h"
#include "qpc/csvwrite.h"
#include "qpc/edit.h"
#include "qpc/textcell.h"
#include "qpc/typed.h"

static int step_assign(struct qpc_cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "owner", required_argument, NULL, 'o' },
		{ "due", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	struct qpc_step_plan p = { 0 };
	const char *pos[2] = { NULL, NULL }, *why;
	int npos = 0, o;
	while (optind < argc) {
		if ((o = cli_getopt(argc, argv, opts)) == -1) {
			if (npos < 2)
				pos[npos] = argv[optind];
			npos++;
			optind++;
		} else if (o == 'o') {
			p.set_owner = true;
			p.owner = optarg;
		} else if (o == 'd') {
			p.set_due = true;
			/* "" or none: no date */
			if (*optarg && strcmp(optarg, "none") != 0) {
				if (!typed_date(optarg, c->as_of, &p.due, &why))
					return cli_usage(c, "step assign: --due '%s': %s", optarg, why);
				p.has_due = true;
			}
		} else {
			return cli_bad_option(c, "step assign", argv, o);
		}
	}
	if (npos != 2)
		return cli_usage(c, "step assign takes ACCOUNT STEP (a step number or its text)");
	if (!p.set_owner && !p.set_due)
		return cli_usage(c, "step assign: say who (--owner NAME) or by when (--due DATE)");
	int position = cli_step_number(pos[1]);
	struct qpc_store *st;
	int64_t id = 0;
	int status = cli_open_account(c, pos[0], &st, &id);
	if (status)
		return status;
	struct qpc_error e = { 0 };
	enum qpc_rc rc = qpc_edit_step_assign(st, id, position, pos[1], &p, &e);
	struct qpc_checklist *cl = rc ? NULL : malloc(sizeof *cl);
	if (cl && qpc_edit_checklist(st, id, cl, &e) == QPC_OK)
		for (int i = 0; i < cl->nsteps; i++) {
			const struct qpc_step *s = &cl->steps[i];
			if (position ? s->position != position : strcasecmp(s->text, pos[1]) != 0)
				continue;
			char d[QPC_DATE_ISO_LEN], text[TEXTCELL_ESCAPE_SIZE(sizeof s->text)],
				who[TEXTCELL_ESCAPE_SIZE(sizeof s->owner)];
			textcell_escape(s->text, text, sizeof text);
			textcell_escape(s->owner[0] ? s->owner : "nobody", who, sizeof who);
			fprintf(c->out, "Step %d. %s: %s, %s%s\n", s->position, text, who,
			        s->has_due ? "due " : "no due date",
			        s->has_due ? qpc_date_format(s->due, d) : "");
		}
	free(cl);
	qpc_store_close(st);
	return rc ? cli_fail(c, rc == QPC_ERR_USAGE ? QPC_ERR_DATA : rc, &e) : 0;
}

int cmd_step(struct qpc_cli *c, int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "assign") != 0)
		return cli_usage(c, "step takes: assign ACCOUNT STEP [--owner NAME] [--due DATE]");
	optind = 2;
	return step_assign(c, argc, argv);
}

/* --- qpc tasks ---------------------------------------------------------- */

enum format { F_TEXT, F_CSV, F_ICS };

struct tasks {
	struct qpc_cli *c;
	enum format format;
	struct csvw csv;
	qpc_date today;
	int n;
	char stamp[24]; /* DTSTAMP: the export's time, UTC */
};

static void task_text(struct tasks *t, const struct qpc_task *k)
{
	char d[QPC_DATE_ISO_LEN], name[TEXTCELL_ESCAPE_SIZE(160)], step[TEXTCELL_ESCAPE_SIZE(200)],
		who[TEXTCELL_ESCAPE_SIZE(64)];
	textcell_escape(k->account, name, sizeof name);
	textcell_escape(k->step, step, sizeof step);
	textcell_escape(k->owner[0] ? k->owner : "-", who, sizeof who);
	fprintf(t->c->out, "%-10s %-7s %-12s %s: %d. %s\n",
	        k->has_due ? qpc_date_format(k->due, d) : "-",
	        k->has_due && k->due < t->today ? "overdue" : "", who, name, k->position, step);
}

static void task_csv(struct tasks *t, const struct qpc_task *k)
{
	csvw_field(&t->csv, k->external_id);
	csvw_field(&t->csv, k->account);
	csvw_int(&t->csv, k->position);
	csvw_field(&t->csv, k->step);
	csvw_field(&t->csv, k->owner);
	csvw_date(&t->csv, k->has_due, k->due);
	csvw_bool(&t->csv, k->has_due && k->due < t->today);
	csvw_end(&t->csv);
}

/* One content line of iCalendar (RFC 5545): TEXT escaped, folded at 75
 * octets (never inside a UTF-8 sequence), CRLF. */
static void ics_line(FILE *fp, const char *name, const char *value, bool text)
{
	char buf[1024];
	size_t n = (size_t)snprintf(buf, sizeof buf, "%s:", name);
	for (const char *v = value; *v && n < sizeof buf - 3; v++) {
		if (text && (*v == '\\' || *v == ';' || *v == ',')) {
			buf[n++] = '\\';
			buf[n++] = *v;
		} else if (text && *v == '\n') {
			buf[n++] = '\\';
			buf[n++] = 'n';
		} else if ((unsigned char)*v >= 0x20 && *v != 0x7f) {
			buf[n++] = *v;
		}
	}
	buf[n] = '\0';
	size_t col = 0;
	for (size_t i = 0; i < n; i++) {
		bool cont = ((unsigned char)buf[i] & 0xc0) == 0x80;
		if (col >= 74 && !cont) { /* 75 octets with the leading space */
			fputs("\r\n ", fp);
			col = 1;
		}
		fputc(buf[i], fp);
		col++;
	}
	fputs("\r\n", fp);
}

static void task_ics(struct tasks *t, const struct qpc_task *k)
{
	FILE *fp = t->c->out;
	char uid[96], due[16], summary[512], desc[512];
	snprintf(uid, sizeof uid, "qpc-candidacy-%lld-step-%lld", (long long)k->candidate_id,
	         (long long)k->step_id);
	snprintf(summary, sizeof summary, "%s: %s", k->account, k->step);
	snprintf(desc, sizeof desc, "Step %d of the partner checklist of %s%s%s%s.%s%s", k->position,
	         k->account, k->external_id[0] ? " (" : "", k->external_id,
	         k->external_id[0] ? ")" : "", k->owner[0] ? " Owner: " : "", k->owner);
	ics_line(fp, "BEGIN", "VTODO", false);
	ics_line(fp, "UID", uid, false);
	ics_line(fp, "DTSTAMP", t->stamp, false);
	ics_line(fp, "SUMMARY", summary, true);
	ics_line(fp, "DESCRIPTION", desc, true);
	if (k->has_due) {
		int y, m, d;
		qpc_date_to_ymd(k->due, &y, &m, &d);
		snprintf(due, sizeof due, "%04d%02d%02d", y, m, d);
		ics_line(fp, "DUE;VALUE=DATE", due, false);
	}
	ics_line(fp, "STATUS", "NEEDS-ACTION", false);
	ics_line(fp, "END", "VTODO", false);
}

static int each_task(const struct qpc_task *k, void *ctx)
{
	struct tasks *t = ctx;
	t->n++;
	switch (t->format) {
	case F_TEXT: task_text(t, k); break;
	case F_CSV: task_csv(t, k); break;
	case F_ICS:
		/* a calendar keeps dated tasks: an undated step stays in the text
		 * and CSV lists */
		if (k->has_due)
			task_ics(t, k);
		break;
	}
	return ferror(t->c->out) ? 1 : 0;
}

int cmd_tasks(struct qpc_cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "owner", required_argument, NULL, 'o' },
		{ "overdue", no_argument, NULL, 'v' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 },
	};
	struct tasks t = { .c = c, .format = F_TEXT, .today = c->as_of };
	const char *owner = NULL;
	bool overdue = false;
	int o;
	optind = 1;
	while ((o = cli_getopt(argc, argv, opts)) != -1) {
		if (o == 'o')
			owner = optarg;
		else if (o == 'v')
			overdue = true;
		else if (o == 'f' && strcmp(optarg, "text") == 0)
			t.format = F_TEXT;
		else if (o == 'f' && strcmp(optarg, "csv") == 0)
			t.format = F_CSV;
		else if (o == 'f' && strcmp(optarg, "ics") == 0)
			t.format = F_ICS;
		else if (o == 'f')
			return cli_usage(c, "tasks: --format is text, csv or ics, not '%s'", optarg);
		else
			return cli_bad_option(c, "tasks", argv, o);
	}
	if (optind < argc)
		return cli_usage(c, "tasks: unexpected argument '%s'", argv[optind]);
	struct qpc_store *st;
	struct qpc_error e = { 0 };
	enum qpc_rc rc = cli_open(c, QPC_OPEN_EXISTING, &st, &e);
	if (rc)
		return cli_fail(c, rc, &e);
	time_t now = (time_t)c->now;
	struct tm tm;
	gmtime_r(&now, &tm);
	strftime(t.stamp, sizeof t.stamp, "%Y%m%dT%H%M%SZ", &tm);
	if (t.format == F_CSV) {
		csvw_init(&t.csv, c->out, true, 0);
		const char *head[] = { "account_id", "account", "step", "step_text", "owner", "due",
			               "overdue" };
		for (size_t i = 0; i < sizeof head / sizeof *head; i++)
			csvw_field(&t.csv, head[i]);
		csvw_end(&t.csv);
	} else if (t.format == F_ICS) {
		fputs("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//qpc//partner checklist tasks//EN\r\n"
		      "CALSCALE:GREGORIAN\r\n",
		      c->out);
	}
	rc = qpc_edit_tasks(st, owner, overdue ? c->as_of : 0, each_task, &t, &e);
	qpc_store_close(st);
	if (rc)
		return cli_fail(c, rc, &e);
	if (t.format == F_ICS)
		fputs("END:VCALENDAR\r\n", c->out);
	else if (t.format == F_TEXT && t.n == 0)
		fprintf(c->out, "No open step %s%s%s.\n", overdue ? "is overdue" : "has an owner or a due date",
		        owner ? " for " : "", owner ? owner : "");
	if (fflush(c->out) != 0 || ferror(c->out)) {
		qpc_error_set(&e, QPC_ERR_IO, "writing the tasks failed");
		return cli_fail(c, QPC_ERR_IO, &e);
	}
	return 0;
}

/* --- qpc checklist ------------------------------------------------------ */

/* The checklist as its view shows it, each step with its tick, its plan
 * and, when it has a rule, what the sales show at the as-of date. */
int cmd_checklist(struct qpc_cli *c, int argc, char **argv)
{
	if (argc != 2)
		return cli_usage(c, "checklist takes ACCOUNT");
	struct qpc_store *st;
	int64_t id = 0;
	int status = cli_open_account(c, argv[1], &st, &id);
	if (status)
		return status;
	struct qpc_error e = { 0 };
	struct qpc_checklist *cl = malloc(sizeof *cl);
	enum qpc_rc rc = cl ? qpc_edit_checklist(st, id, cl, &e)
	                    : qpc_error_set(&e, QPC_ERR_NOMEM, "out of memory");
	if (!rc)
		rc = qpc_edit_checklist_rules(st, id, c->as_of, cl, &e);
	if (rc) {
		free(cl);
		qpc_store_close(st);
		return cli_fail(c, rc, &e);
	}
	FILE *fp = c->out;
	int done = 0;
	for (int i = 0; i < cl->nsteps; i++)
		done += cl->steps[i].ticked;
	char d[QPC_DATE_ISO_LEN], name[TEXTCELL_ESCAPE_SIZE(96)], by[TEXTCELL_ESCAPE_SIZE(64)];
	textcell_escape(cl->template_name, name, sizeof name);
	textcell_escape(cl->nominated_by, by, sizeof by);
	struct qpc_browse_row row;
	char acc[TEXTCELL_ESCAPE_SIZE(QPC_TEXT_NAME)];
	textcell_escape(cli_account_row(c, st, id, &row) ? row.name : argv[1], acc, sizeof acc);
	fprintf(fp, "%s: checklist '%s', %d of %d done; nominated on %s by %s\n", acc, name, done,
	        cl->nsteps, qpc_date_format(cl->nominated_on, d), by);
	for (int i = 0; i < cl->nsteps; i++) {
		const struct qpc_step *s = &cl->steps[i];
		char text[TEXTCELL_ESCAPE_SIZE(sizeof s->text)], note[TEXTCELL_ESCAPE_SIZE(200)],
			who[TEXTCELL_ESCAPE_SIZE(64)];
		textcell_escape(s->text, text, sizeof text);
		fprintf(fp, "[%c] %d. %s\n", s->ticked ? 'x' : ' ', s->position, text);
		if (s->ticked) {
			textcell_escape(s->ticked_by, who, sizeof who);
			textcell_escape(s->note, note, sizeof note);
			fprintf(fp, "      ticked by %s on %.10s%s%s\n", who, s->ticked_at,
			        s->note[0] ? ": " : "", note);
		}
		if (s->owner[0] || s->has_due) {
			textcell_escape(s->owner[0] ? s->owner : "nobody", who, sizeof who);
			fprintf(fp, "      for %s, %s%s%s\n", who, s->has_due ? "due " : "no due date",
			        s->has_due ? qpc_date_format(s->due, d) : "",
			        s->has_due && !s->ticked && s->due < c->as_of ? " (overdue)" : "");
		}
		if (s->rule_checked) {
			char rule[TEXTCELL_ESCAPE_SIZE(sizeof s->rule)],
				ev[TEXTCELL_ESCAPE_SIZE(sizeof s->evidence)];
			textcell_escape(s->rule, rule, sizeof rule);
			textcell_escape(s->evidence, ev, sizeof ev);
			fprintf(fp, "      rule %s: %s. %s\n", rule, s->rule_met ? "met" : "not met", ev);
		}
	}
	free(cl);
	qpc_store_close(st);
	return 0;
}
