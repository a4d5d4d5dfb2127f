/* cmd_import.c — qpc import accounts|sales|potential FILE|- [options]. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "qpc/cli.h"
#include "qpc/import.h"
#include "qpc/outpath.h"
#include "qpc/textcell.h"

struct bar {
	FILE *fp;
	struct timespec t0;
	double last;
	bool shown;
};

static double since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* A progress bar on a terminal: fraction, rows/s, time left. */
static int progress(void *ctx, uint64_t done, uint64_t total, uint64_t rows)
{
	struct bar *b = ctx;
	double t = since(&b->t0);
	if (t - b->last < 0.1 && done < total)
		return 0;
	b->last = t;
	b->shown = true;
	double rate = t > 0 ? (double)rows / t : 0;
	if (total == 0) {
		fprintf(b->fp, "\r  %llu rows  %.0f rows/s\033[K", (unsigned long long)rows, rate);
	} else {
		double f = (double)done / (double)total;
		int fill = (int)(f * 30);
		char bar[31];
		memset(bar, '#', (size_t)fill);
		memset(bar + fill, '.', (size_t)(30 - fill));
		bar[30] = '\0';
		double left = f > 0.02 ? t / f - t : 0;
		fprintf(b->fp, "\r  [%s] %3.0f%%  %llu rows  %.0f rows/s  %d:%02d left\033[K", bar,
		        f * 100, (unsigned long long)rows, rate, (int)left / 60, (int)left % 60);
	}
	fflush(b->fp);
	return 0; /* Ctrl-C stops the command, and the transaction with it */
}

/* The end of a bulk load, on the bar's line: what it builds, and how far. */
static void finishing(void *ctx, int step, int steps, const char *what)
{
	struct bar *b = ctx;
	b->shown = true;
	/* under 60 columns, so that \r finds the start of the line */
	fprintf(b->fp, "\r  finishing %d/%d: %s, %.0f s\033[K", step, steps, what,
	        since(&b->t0));
	fflush(b->fp);
}

static void print_mapping(FILE *fp, const struct import_result *r, bool all)
{
	char line[4096], esc[TEXTCELL_ESCAPE_SIZE(sizeof line)];
	if (all) {
		import_describe(r, line, sizeof line);
		fprintf(fp, "Read as %s\n", line);
		for (int c = 0; c < r->ncolumns && c < 64; c++) {
			textcell_escape(r->columns[c].header, esc, sizeof esc);
			if (r->columns[c].field <= F_IGNORED)
				continue;
			fprintf(fp, "  %-32s -> %s", esc, import_field_name(r->columns[c].field));
			if (r->columns[c].why[0]) { /* it quotes headers */
				textcell_escape(r->columns[c].why, esc, sizeof esc);
				fprintf(fp, " (%s)", esc);
			}
			fputc('\n', fp);
		}
	}
	if (import_unread(r, line, sizeof line)) {
		textcell_escape(line, esc, sizeof esc);
		fprintf(fp, "Columns not read: %s\n", esc);
	}
}

int cmd_import(struct qpc_cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "profile", required_argument, NULL, 'p' },
		{ "map", required_argument, NULL, 'm' },
		{ "delimiter", required_argument, NULL, 'd' },
		{ "encoding", required_argument, NULL, 'e' },
		{ "date-format", required_argument, NULL, 'f' },
		{ "date-order", required_argument, NULL, 'o' },
		{ "decimal", required_argument, NULL, 'c' },
		{ "dry-run", no_argument, NULL, 'n' },
		{ "skip-bad", no_argument, NULL, 's' },
		{ "rejects", required_argument, NULL, 'r' },
		{ "raw", no_argument, NULL, 'R' },
		{ NULL, 0, NULL, 0 },
	};
	struct import_opts o = { .today = c->as_of };
	const char *positional[2] = { NULL, NULL };
	int npos = 0, opt;
	while (optind < argc) {
		if ((opt = cli_getopt(argc, argv, opts)) == -1) {
			if (npos < 2)
				positional[npos] = argv[optind];
			npos++;
			optind++;
			continue;
		}
		switch (opt) {
		case 'p':
			o.profile = optarg;
			break;
		case 'm':
			if (o.nmaps == IMPORT_MAX_MAPS)
				return cli_usage(c, "import: at most %d --map options", IMPORT_MAX_MAPS);
			o.maps[o.nmaps++] = optarg;
			break;
		case 'd':
			if (strcmp(optarg, "tab") == 0 || strcmp(optarg, "\\t") == 0)
				o.delimiter = '\t';
			else if (strlen(optarg) == 1 && strchr(",;|\t", optarg[0]))
				o.delimiter = optarg[0];
			else
				return cli_usage(c, "import: --delimiter is one of , ; | tab, not '%s'", optarg);
			break;
		case 'e':
			if (!textenc_lookup(optarg, &o.encoding))
				return cli_usage(c, "import: unknown encoding '%s' (known: utf-8, utf-16le, "
				                    "utf-16be, utf-32le, utf-32be, windows-1252, latin1)",
				                 optarg);
			break;
		case 'f':
			o.date_format = optarg;
			break;
		case 'o':
			if (strcmp(optarg, "dmy") == 0 || strcmp(optarg, "day-first") == 0)
				o.date_order = DATEPARSE_DMY;
			else if (strcmp(optarg, "mdy") == 0 || strcmp(optarg, "month-first") == 0)
				o.date_order = DATEPARSE_MDY;
			else
				return cli_usage(c, "import: --date-order is dmy or mdy, not '%s'", optarg);
			break;
		case 'c':
			if (strcmp(optarg, ".") == 0)
				o.decimal = AMOUNT_DEC_POINT;
			else if (strcmp(optarg, ",") == 0)
				o.decimal = AMOUNT_DEC_COMMA;
			else
				return cli_usage(c, "import: --decimal is . or , not '%s'", optarg);
			break;
		case 'n':
			o.dry_run = true;
			break;
		case 'R':
			o.raw = true;
			break;
		case 's':
			o.skip_bad = true;
			break;
		case 'r':
			o.rejects = optarg;
			break;
		default:
			return cli_bad_option(c, "import", argv, opt);
		}
	}
	if (npos != 2)
		return cli_usage(c, "import: say what to import and from where: "
		                    "import accounts|sales|potential FILE|-");
	if (!import_kind_parse(positional[0], &o.kind))
		return cli_usage(c, "import: unknown kind '%s' (known: accounts, sales, potential)",
		                 positional[0]);
	if (o.skip_bad && !o.rejects)
		return cli_usage(c, "import: --skip-bad needs --rejects FILE for the rows it skips");
	if (o.rejects && !o.skip_bad)
		return cli_usage(c, "import: --rejects goes with --skip-bad");
	o.path = positional[1];
	if (o.rejects) { /* never the database, nor the file read */
		struct qpc_error oe = { 0 };
		const char *const in[] = { o.path, NULL };
		enum qpc_rc orc = outpath_check(o.rejects, c->db_path, in, &oe);
		if (orc)
			return cli_fail(c, orc, &oe);
	}

	struct bar bar = { .fp = stderr };
	clock_gettime(CLOCK_MONOTONIC, &bar.t0);
	const char *term = getenv("TERM"); /* the bar rewrites its line with CSI K */
	if (isatty(STDERR_FILENO) && term && *term && strcmp(term, "dumb") != 0) {
		o.progress = progress;
		o.progress_ctx = &bar;
	}
	struct qpc_error e = { 0 };
	struct qpc_store *st;
	enum qpc_rc rc = cli_open(c, QPC_OPEN_EXISTING, &st, &e);
	if (rc)
		return cli_fail(c, rc, &e);
	/* on a team server, said before a row is read (the server would
	 * refuse the first) */
	enum qpc_role role;
	if (qpc_store_role(st, &role) && role != QPC_ROLE_ADMIN) {
		qpc_error_set(&e, QPC_ERR_DENIED, "importing is not for a %s (login %s): an admin imports",
		              qpc_role_name(role), qpc_store_user(st));
		qpc_store_close(st);
		return cli_fail(c, QPC_ERR_DENIED, &e);
	}
	struct import_result *r = calloc(1, sizeof *r);
	if (!r) {
		qpc_store_close(st);
		fputs("qpc: out of memory\n", c->err);
		return 1;
	}
	if (o.progress)
		qpc_ingest_on_finish(st, finishing, &bar);
	rc = import_run(st, &o, r, &e);
	qpc_store_close(st);
	if (bar.shown)
		fputs("\r\033[K", stderr);
	int status;
	if (rc && (rc != QPC_ERR_DATA || r->rejected == 0)) {
		/* a bad file as a whole (no mapping, no header) is DATA without rejects */
		status = cli_fail(c, rc, &e);
	} else {
		print_mapping(c->out, r, o.dry_run);
		for (int i = 0; i < r->nerrors; i++) { /* they quote the file's cells */
			char m[TEXTCELL_ESCAPE_SIZE(sizeof r->errors[i])];
			textcell_escape(r->errors[i], m, sizeof m);
			fprintf(c->err, "qpc: %s\n", m);
		}
		if (r->rejected > (uint64_t)r->nerrors)
			fprintf(c->err, "qpc: ... and %llu more bad rows\n",
			        (unsigned long long)(r->rejected - (uint64_t)r->nerrors));
		for (int i = 0; i < r->nwarnings; i++) {
			char m[TEXTCELL_ESCAPE_SIZE(sizeof r->warnings[i])];
			textcell_escape(r->warnings[i], m, sizeof m);
			fprintf(c->err, "qpc: warning: %s\n", m);
		}
		if (r->replaced > (uint64_t)r->nwarnings)
			fprintf(c->err, "qpc: warning: ... and %llu more rows replaced by a later row\n",
			        (unsigned long long)(r->replaced - (uint64_t)r->nwarnings));
		char summary[512];
		import_summary(r, rc, o.dry_run, summary, sizeof summary);
		fprintf(c->out, "%s\n", summary);
		if (rc == QPC_ERR_DATA) {
			fprintf(c->err,
			        "qpc: %llu bad rows in %s: nothing was imported (fix them, or import the "
			        "rest with --skip-bad --rejects FILE)\n",
			        (unsigned long long)r->rejected, o.path);
			status = 1;
		} else {
			if (o.skip_bad && r->rejected)
				fprintf(c->err, "qpc: %llu bad rows written to %s\n",
				        (unsigned long long)r->rejected, o.rejects);
			status = 0;
		}
	}
	free(r);
	return status;
}
