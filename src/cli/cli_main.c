/* cli_main.c — global options and the command table. */
#include <errno.h>
#include <getopt.h>
#include <locale.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "qpc/cli.h"
#include "qpc/textcell.h"

struct command {
	const char *name;
	int (*fn)(struct qpc_cli *c, int argc, char **argv);
	const char *usage;
	const char *summary;
};

static const struct command commands[] = {
	{ "tui", cmd_tui, "", "the dashboard in the terminal (the default; ? lists its keys)" },
	{ "init", cmd_init, "[--demo] [--accounts N]", "create the database, optionally with demo data" },
	{ "report", cmd_report, "[--format text|json]", "the team's partner figures" },
	{ "trend", cmd_trend, "[--months N] [--format text|json|csv]",
	  "the team's figures at each month end up to the as-of date" },
	{ "import", cmd_import, "accounts|sales|potential FILE|- [OPTIONS]",
	  "read a CRM or ERP export (CSV)" },
	{ "export", cmd_export, "LIST [-o FILE] [--raw]",
	  "write a list as CSV: accounts, partners, candidates, potential, sales, goals, contracts,"
	  " traits" },
	{ "potential", cmd_potential, "set ACCOUNT CATEGORY AMOUNT [--basis TEXT] [--verified] "
	  "[--measured-on DATE]", "record an account's QPC in a category" },
	{ "potential", cmd_potential, "rm ACCOUNT CATEGORY", "remove a QPC line" },
	{ "potential", cmd_potential, "estimate ACCOUNT|--all [--dry-run]",
	  "estimate QPC by formula where nobody has measured it" },
	{ "candidate", cmd_candidate, "add ACCOUNT [--template NAME]",
	  "nominate an account for a concerted effort" },
	{ "candidate", cmd_candidate, "drop ACCOUNT --reason TEXT", "end a candidacy" },
	{ "tick", cmd_tick, "ACCOUNT STEP [--note TEXT]", "tick a step of a candidate's checklist" },
	{ "untick", cmd_untick, "ACCOUNT STEP", "take a tick back" },
	{ "step", cmd_step, "assign ACCOUNT STEP [--owner NAME] [--due DATE]",
	  "who is to do a step of a candidate's checklist, and by when" },
	{ "checklist", cmd_checklist, "ACCOUNT",
	  "a candidate's checklist: ticks, owners, due dates, and what the sales show" },
	{ "tasks", cmd_tasks, "[--owner NAME] [--overdue] [--format text|csv|ics]",
	  "the open steps with an owner or a due date, the earliest due first" },
	{ "trait", cmd_trait, "list|add NAME [--scale LOW-HIGH]|rename NAME NEW|retire NAME",
	  "what a partner is for us: the characteristics accounts are rated on" },
	{ "rate", cmd_rate, "ACCOUNT TRAIT SCORE [--note TEXT]",
	  "rate an account on a trait, as of the as-of date" },
	{ "contract", cmd_contract, "set ACCOUNT --signed DATE [--ends DATE] [--value AMOUNT]",
	  "record a signed systems contract: a partner while it binds" },
	{ "contract", cmd_contract, "end ACCOUNT --on DATE",
	  "end a contract: not bound from that day on" },
	{ "contract", cmd_contract, "list [ACCOUNT]", "contracts with their dates and value" },
	{ "goal", cmd_goal, "set YEAR COUNT", "the number of partners to create in a year" },
	{ "setting", cmd_setting, "list", "the settings, and the threshold's dated changes" },
	{ "setting", cmd_setting, "set KEY VALUE [--from DATE]",
	  "threshold (from a date on), currency or minor_units" },
	{ "template", cmd_template,
	  "list|show|add|rename|step-add|step-rm|step-move|step-rule|default|rm ...",
	  "checklist templates" },
	{ "backup", cmd_backup, "FILE [--force]",
	  "copy the database while others keep working; --force replaces FILE" },
	{ "history", cmd_history, "[ACCOUNT] [--limit N]", "who changed what, and when" },
	{ "user", cmd_user, "list", "a team server's users, their roles and owner names" },
	{ "user", cmd_user, "add NAME --role rep|manager|admin [--owner OWNER]",
	  "let a database login work in qpc (an admin's)" },
	{ "user", cmd_user, "set-role NAME ROLE|set-owner NAME OWNER|rm NAME",
	  "change a user's role or owner name, or take it away" },
};

/* "tui": the commands a team server does not run yet, each once (a
 * command may have several lines above), in the order above; *n how many. */
/* What `qpc COMMAND --help` adds to the command's usage lines: its
 * options, and an example to copy. */
static const struct {
	const char *name;
	const char *text;
} details[] = {
	{ "tui", "Browse accounts, partners, candidates and goals; ? lists the keys.\n"
	         "Keys are rebound by lines \"bind ACTION KEY...\" in\n"
	         "$XDG_CONFIG_HOME/qpc/config (~/.config/qpc/config); see KEYS in qpc(1).\n"
	         "Example: qpc --db team.db\n" },
	{ "init", "  --demo         fill the new database with demo accounts and sales\n"
	          "  --accounts N   how many demo accounts (default 2000)\n"
	          "Example: qpc --db try.db init --demo --accounts 50\n" },
	{ "report", "  --format text|json  the figures as a table (default) or as JSON\n"
	            "Example: qpc --as-of 2026-06-30 report --format json\n" },
	{ "trend", "  --months N                 month ends to show (default 24)\n"
	           "  --format text|json|csv     how to write them (default text)\n"
	           "Example: qpc trend --months 24 --format csv > trend.csv\n" },
	{ "import",
	  "  accounts, sales or potential: what the file holds (one row per account;\n"
	  "  per order, invoice or won deal; per account and category, with its QPC)\n"
	  "  --profile NAME       the CRM the export comes from (default: told from the\n"
	  "                       header): qpc salesforce hubspot dynamics zoho pipedrive\n"
	  "                       odoo generic\n"
	  "  --map 'Header=field' read that column as that field (repeatable); the\n"
	  "                       mapping is remembered for files with the same header\n"
	  "  --delimiter C        , ; | or tab (default: told from the header)\n"
	  "  --encoding NAME      utf-8, utf-16le, utf-16be, utf-32le, utf-32be,\n"
	  "                       windows-1252, latin1 (default: a byte-order mark, else\n"
	  "                       UTF-8, else windows-1252)\n"
	  "  --date-format FMT    e.g. %d/%m/%Y (default: told from the whole column)\n"
	  "  --date-order dmy|mdy day or month first in dates such as 03/04/2026 (as the\n"
	  "                       dialog's C-o sets it; default: told from the column)\n"
	  "  --decimal . or ,     the decimal mark (default: told from the amounts)\n"
	  "  --dry-run            read and check everything, show the mapping, change nothing\n"
	  "  --skip-bad --rejects FILE  import the good rows, write the bad ones to FILE\n"
	  "  --raw                keep a leading apostrophe that guards a formula-like cell\n"
	  "Example: qpc import sales invoices.csv --dry-run --map 'Posting Date=date'\n" },
	{ "export", "  LIST           accounts, partners, candidates, potential, sales, goals,\n"
	            "                 contracts\n"
	            "  -o, --output FILE  write there (default: standard output)\n"
	            "  --raw          cells as they are, without the apostrophe that keeps a\n"
	            "                 spreadsheet from running a formula-like cell\n"
	            "Example: qpc export partners -o partners.csv\n" },
	{ "potential", "  --basis TEXT        how the figure was found (rep estimate, interview...)\n"
	               "  --verified          the customer confirmed it\n"
	               "  --measured-on DATE  when it was measured (default: the as-of date)\n"
	               "  --all               estimate every account nobody has measured\n"
	               "  --dry-run           show the estimates, record nothing\n"
	               "Example: qpc potential set ACC-00014 Tools 120000 --basis interview "
	               "--verified\n" },
	{ "candidate", "  --template NAME  the checklist to follow (default: the default checklist)\n"
	               "  --reason TEXT    why the candidacy ends\n"
	               "Example: qpc candidate add ACC-00014 --template 'Partner checklist'\n" },
	{ "tick", "  STEP         the step's number or its text\n"
	          "  --note TEXT  what happened\n"
	          "Example: qpc tick ACC-00014 2 --note 'met their CFO'\n" },
	{ "untick", "Example: qpc untick ACC-00014 2\n" },
	{ "step", "  STEP          the step's number or its text\n"
	          "  --owner NAME  who is to do it (\"\" for nobody)\n"
	          "  --due DATE    by when (none for no date)\n"
	          "Example: qpc step assign ACC-00014 2 --owner ana --due 2027-01-15\n" },
	{ "tasks", "  --owner NAME           only the steps this person is to do\n"
	           "  --overdue              only the steps due before the as-of date\n"
	           "  --format text|csv|ics  a list (default), CSV, or an iCalendar file of\n"
	           "                         the dated steps, for a calendar program\n"
	           "Example: qpc tasks --owner ana --format ics\n" },
	{ "trait", "  --scale LOW-HIGH  the scores a rating may take (default 1-5)\n"
	           "  retire NAME       no new ratings; those made are kept\n"
	           "Example: qpc trait add 'Shares its plans' --scale 1-5\n" },
	{ "rate", "  SCORE        a whole number on the trait's scale\n"
	          "  --note TEXT  why\n"
	          "Example: qpc rate ACC-00014 'Shares its plans' 4 --note 'told us of the new plant'\n" },
	{ "contract", "  --signed DATE   the day it was signed: bound from then on\n"
	              "  --ends DATE     the day it ends, if known\n"
	              "  --value AMOUNT  its contracted annual value\n"
	              "  --on DATE       the day it ends, for end\n"
	              "Example: qpc contract set ACC-00014 --signed 2026-03-01 --value 250000\n" },
	{ "goal", "Example: qpc goal set 2027 12\n" },
	{ "setting", "  --from DATE  the day a new threshold takes effect (default: the as-of date)\n"
	             "Example: qpc setting set threshold 80% --from 2027-01-01\n" },
	{ "template", "  default NAME     new candidates get this template\n"
	              "  rm NAME          delete a template no candidate ever used\n"
	              "  step-rule NAME STEP RULE\n"
	              "                   what the sales must show for the step, checked at the\n"
	              "                   as-of date (\"\" for none); words, all of which must hold:\n"
	              "                   categories>=N, sales>=AMOUNT, share>=PERCENT, and one of\n"
	              "                   quarters=N, months=N, years=N for categories and sales\n"
	              "                   in each of those periods (else the 12 months)\n"
	              "Example: qpc template add visits 'met the buyer' 'visited our plant'\n"
	              "Example: qpc template step-rule visits 2 'categories>=3 quarters=4'\n" },
	{ "checklist", "Example: qpc checklist ACC-00014\n" },
	{ "backup", "  --force  replace FILE if it exists\n"
	            "Example: qpc backup ~/qpc-friday.db\n" },
	{ "history", "  --limit N  only the last N changes (default: all)\n"
	             "Example: qpc history ACC-00014 --limit 20\n" },
	{ "user", "A team server's logins, and what each may change (the server enforces it):\n"
	          "  rep      the QPC lines and share estimate of the accounts of its owner\n"
	          "  manager  those of every account; candidacies, ticks, plans, ratings,\n"
	          "           goals, contracts, traits, templates\n"
	          "  admin    also imports, settings, users and migrations\n"
	          "  --owner OWNER  the owner name the CRM export gives the rep's accounts\n"
	          "A login qpc makes has no password: set one with psql's \\password.\n"
	          "Example: qpc --db postgresql://db.example.com/sales user add ana --role rep"
	          " --owner 'Ana Lima'\n" },
};

/* `qpc COMMAND --help`: the command's usage lines, options and example. */
static void command_help(FILE *fp, const char *name)
{
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		if (strcmp(commands[i].name, name) == 0)
			fprintf(fp, "%s qpc %s %s\n       %s\n", i && strcmp(commands[i - 1].name, name) == 0
			                                          ? "      " : "Usage:",
			        name, commands[i].usage, commands[i].summary);
	for (size_t i = 0; i < sizeof details / sizeof *details; i++)
		if (strcmp(details[i].name, name) == 0)
			fprintf(fp, "\n%s", details[i].text);
	fputs("See qpc --help for the global options, and qpc(1) for more.\n", fp);
}

/* Whether a command's arguments ask for its help: -h or --help before
 * any "--". */
static bool wants_help(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return true;
	return false;
}

static const struct command *find_command(const char *name);

static void help(FILE *fp)
{
	fputs("Usage: qpc [--db PATH|URI] [--user NAME] [--as-of YYYY-MM-DD] [COMMAND [ARGS]]\n"
	      "\n"
	      "qpc helps a sales team create partners: customers who buy at least 75% of\n"
	      "what they could buy from you (their QPC, Quantified Purchasing Capacity).\n"
	      "\n"
	      "Commands:\n",
	      fp);
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++) {
		char left[128];
		snprintf(left, sizeof left, "%s %s", commands[i].name, commands[i].usage);
		if (strlen(left) > 34)
			fprintf(fp, "  %s\n  %-34s %s\n", left, "", commands[i].summary);
		else
			fprintf(fp, "  %-34s %s\n", left, commands[i].summary);
	}
	fputs("\n"
	      "Options:\n"
	      "  --db PATH           the database (default $QPC_DB, else\n"
	      "                      $XDG_DATA_HOME/qpc/qpc.db or ~/.local/share/qpc/qpc.db)\n"
	      "  --db URI            a team server: postgresql://HOST/DB or service=NAME\n"
	      "                      (passwords in ~/.pgpass); every command and the\n"
	      "                      dashboard run there, as the login's role allows\n"
	      "  --user NAME         who is working (default $QPC_USER, else the login name;\n"
	      "                      on a team server, the database login)\n"
	      "  --as-of YYYY-MM-DD  the date figures are computed for, and changes take\n"
	      "                      effect on (default today); reading never writes\n"
	      "  -h, --help          this help; after a command (or as qpc help COMMAND),\n"
	      "                      that command's options, with an example\n"
	      "  -V, --version       the version\n"
	      "\n"
	      "Exit status: 0 success, 1 failure (bad data, I/O, a team server's refusal),\n"
	      "2 usage error.\n"
	      "See qpc(1) for more.\n",
	      fp);
}

int cli_fail(const struct qpc_cli *c, enum qpc_rc rc, const struct qpc_error *e)
{
	/* a message may quote data (a CSV cell, a name): shown escaped */
	char msg[TEXTCELL_ESCAPE_SIZE(sizeof e->msg)];
	textcell_escape(e && e->msg[0] ? e->msg : "failed", msg, sizeof msg);
	fprintf(c->err, "qpc: %s\n", msg);
	return qpc_rc_exit_status(rc);
}

int cli_usage(const struct qpc_cli *c, const char *fmt, ...)
{
	/* a message may quote an argument, which may hold anything: shown
	 * escaped, as cli_fail shows data */
	char raw[1024], msg[TEXTCELL_ESCAPE_SIZE(sizeof raw)];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(raw, sizeof raw, fmt, ap);
	va_end(ap);
	textcell_escape(raw, msg, sizeof msg);
	fprintf(c->err, "qpc: %s; see 'qpc --help'\n", msg);
	return 2;
}

int cli_bad_option(const struct qpc_cli *c, const char *cmd, char **argv, int o)
{
	const char *arg = argv[optind - 1];
	char shortopt[3] = { '-', (char)optopt, '\0' };
	/* an unknown short option inside a cluster: argv names the cluster */
	if (optopt && strncmp(arg, "--", 2) != 0)
		arg = shortopt;
	if (o == ':')
		return cli_usage(c, "%s%soption '%s' needs a value", cmd ? cmd : "", cmd ? ": " : "",
		                 arg);
	return cli_usage(c, "%s%sunknown option '%s'", cmd ? cmd : "", cmd ? ": " : "", arg);
}

int cli_getopt(int argc, char **argv, const struct option *opts)
{
	const char *a = optind < argc ? argv[optind] : NULL;
	if (a && a[0] == '-' && ((a[1] >= '0' && a[1] <= '9') || (a[1] == '.' && a[2] >= '0' &&
	                                                        a[2] <= '9')))
		return -1;
	return getopt_long(argc, argv, "+:", opts, NULL);
}

enum qpc_rc cli_open(const struct qpc_cli *c, unsigned flags, struct qpc_store **st,
                     struct qpc_error *e)
{
	enum qpc_rc rc = qpc_store_open(c->db_path, flags, st, e);
	if (rc == QPC_OK) {
		/* A live clock stamps each change when it is made. */
		qpc_store_set_actor(*st, c->user, c->now_fixed ? c->now : 0);
		const char *threads = getenv("QPC_THREADS");
		qpc_store_one_thread(*st, threads && strcmp(threads, "1") == 0);
		if (qpc_store_migration_backup(*st)[0])
			fprintf(c->err, "qpc: migrated %s from schema version %d to %d; the old file is "
			                "kept as %s\n",
			        c->db_path, qpc_store_opened_version(*st), qpc_store_schema_version(),
			        qpc_store_migration_backup(*st));
	}
	return rc;
}

int cli_done(struct qpc_cli *c, struct qpc_store *st, enum qpc_rc rc, const struct qpc_error *e,
             const char *said)
{
	qpc_store_close(st);
	if (rc)
		return cli_fail(c, rc, e);
	if (said)
		fprintf(c->out, "%s\n", said);
	return 0;
}

int cli_step_number(const char *arg)
{
	char *end;
	long n = strtol(arg, &end, 10);
	return *end || n < 1 || n > 1000 ? 0 : (int)n;
}

int cli_open_account(struct qpc_cli *c, const char *key, struct qpc_store **st, int64_t *id)
{
	struct qpc_error e = { 0 };
	enum qpc_rc rc = cli_open(c, QPC_OPEN_EXISTING, st, &e);
	if (rc)
		return cli_fail(c, rc, &e);
	*id = 0;
	if (key && (rc = qpc_store_account_find(*st, key, id, &e))) {
		qpc_store_close(*st);
		*st = NULL;
		return cli_fail(c, rc, &e);
	}
	return 0;
}

static char *default_db_path(void)
{
	const char *env = getenv("QPC_DB");
	if (env && *env)
		return strdup(env);
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	char buf[4096];
	/* relative ones are ignored (the XDG rule): they would put the
	 * database wherever the command happens to run */
	if (xdg && *xdg == '/')
		snprintf(buf, sizeof buf, "%s/qpc/qpc.db", xdg);
	else if (home && *home == '/')
		snprintf(buf, sizeof buf, "%s/.local/share/qpc/qpc.db", home);
	else
		buf[0] = '\0'; /* no default: the caller asks for one */
	return strdup(buf);
}

static char *default_user(void)
{
	const char *env = getenv("QPC_USER");
	if (env && *env)
		return strdup(env);
	struct passwd *pw = getpwuid(getuid());
	if (pw && pw->pw_name && *pw->pw_name)
		return strdup(pw->pw_name);
	env = getenv("USER");
	return strdup(env && *env ? env : "unknown");
}

/* $QPC_NOW: "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ", for reproducible runs. */
static bool parse_now(const char *s, int64_t *out)
{
	char date[QPC_DATE_ISO_LEN];
	qpc_date d;
	int hh = 0, mm = 0, ss = 0;
	size_t n = strlen(s);
	if (n < 10)
		return false;
	memcpy(date, s, 10);
	date[10] = '\0';
	if (!qpc_date_parse_iso(date, &d))
		return false;
	if (n > 10) {
		char z = 0, extra = 0;
		if (sscanf(s + 10, "T%2d:%2d:%2d%c%c", &hh, &mm, &ss, &z, &extra) != 4 || z != 'Z' ||
		    hh > 23 || mm > 59 || ss > 60)
			return false;
	}
	*out = (int64_t)d * 86400 + (int64_t)hh * 3600 + (int64_t)mm * 60 + ss;
	return true;
}

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < sizeof commands / sizeof *commands; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

/* Opening has to wait for another qpc: said, so that nobody thinks it hung. */
static void say_waiting(const char *what, void *ctx)
{
	fprintf(ctx, "qpc: %s\n", what);
	fflush(ctx);
}

int qpc_cli_main(int argc, char **argv)
{
	return qpc_cli_run(argc, argv, stdout, stderr);
}

int qpc_cli_run(int argc, char **argv, FILE *out, FILE *err)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'd' },
		{ "user", required_argument, NULL, 'u' },
		{ "as-of", required_argument, NULL, 'a' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	struct qpc_cli c = { .out = out, .err = err };
	const char *as_of = NULL;
	bool db_given = false, user_given = false;
	int status = 2, o;

	setlocale(LC_ALL, "");
	opterr = 0;
	optind = 0; /* glibc: a scan from the start, should we be called again */
	while ((o = getopt_long(argc, argv, "+:hV", opts, NULL)) != -1) {
		switch (o) {
		case 'd':
			free(c.db_path);
			c.db_path = strdup(optarg);
			db_given = true;
			break;
		case 'u':
			free(c.user);
			c.user = strdup(optarg);
			user_given = true;
			break;
		case 'a':
			as_of = optarg;
			break;
		case 'h':
			help(c.out);
			status = 0;
			goto out;
		case 'V':
			fprintf(c.out, "qpc %s (schema %d)\n", QPC_VERSION, qpc_store_schema_version());
			status = 0;
			goto out;
		default:
			status = cli_bad_option(&c, NULL, argv, o);
			goto out;
		}
	}
	/* A command's help, before anything about the database: it is read
	 * where there is none yet, or where --db names nothing. */
	if (optind < argc) {
		const char *asked = argv[optind];
		bool helping = strcmp(asked, "help") == 0;
		if (helping)
			asked = optind + 1 < argc ? argv[optind + 1] : NULL;
		if (helping || wants_help(argc - optind, argv + optind)) {
			if (!asked) {
				help(c.out);
				status = 0;
			} else if (!find_command(asked)) {
				status = cli_usage(&c, "unknown command '%s'", asked);
			} else {
				command_help(c.out, asked);
				status = 0;
			}
			goto out;
		}
	}
	if (!c.db_path)
		c.db_path = default_db_path();
	if (!c.user)
		c.user = default_user();
	if (!c.db_path || !c.user) {
		fputs("qpc: out of memory\n", c.err);
		status = 1;
		goto out;
	}
	if (!*c.db_path && !db_given) {
		const char *home = getenv("HOME");
		status = cli_usage(&c, "no database named, and no home folder to keep one in (HOME %s): "
		                       "name one with --db PATH or QPC_DB",
		                   home && *home ? "is not an absolute path" : "is not set");
		goto out;
	}
	if (!*c.db_path) {
		status = cli_usage(&c, "--db needs a file name");
		goto out;
	}
	const char *now = getenv("QPC_NOW");
	c.now = (int64_t)time(NULL);
	c.now_fixed = now && *now;
	if (now && *now && !parse_now(now, &c.now)) {
		status = cli_usage(&c, "QPC_NOW must look like 2026-11-27 or 2026-11-27T09:30:00Z, not '%s'",
		                   now);
		goto out;
	}
	c.as_of = qpc_date_from_unix(c.now);
	c.as_of_given = as_of != NULL;
	if (as_of && !qpc_date_parse_iso(as_of, &c.as_of)) {
		status = cli_usage(&c, "--as-of takes a real date as YYYY-MM-DD, not '%s'", as_of);
		goto out;
	}
	const char *name = optind < argc ? argv[optind] : "tui";
	const struct command *cmd = find_command(name);
	if (!cmd) {
		status = cli_usage(&c, "unknown command '%s'", name);
		goto out;
	}
	if (qpc_store_is_server(c.db_path) && user_given) {
		status = cli_usage(&c, "on a team server you are your database login: --user names "
		                       "who works on a SQLite file");
		goto out;
	}
	qpc_store_on_wait(say_waiting, c.err);
	int sub_argc = optind < argc ? argc - optind : 1;
	char *tui_argv[] = { (char *)"tui", NULL };
	char **sub_argv = optind < argc ? argv + optind : tui_argv;
	optind = 0; /* glibc: restart getopt for the command's own options */
	status = cmd->fn(&c, sub_argc, sub_argv);
	if (fflush(c.out) != 0 && status == 0) {
		fprintf(c.err, "qpc: writing the output failed: %s\n", strerror(errno));
		status = 1;
	}
out:
	free(c.db_path);
	free(c.user);
	return status;
}
