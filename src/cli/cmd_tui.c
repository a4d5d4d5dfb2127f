/* cmd_tui.c — qpc [tui]: the dashboard. */
#include <signal.h>
#include <unistd.h>

#include "qpc/cli.h"
#include "qpc/tui.h"

int cmd_tui(struct qpc_cli *c, int argc, char **argv)
{
	(void)argv;
	if (argc > 1)
		return cli_usage(c, "tui takes no arguments");
	if (!qpc_tui_terminal_ok()) {
		fputs("qpc: the dashboard needs a terminal (standard input and output are not one);\n"
		      "qpc: for the figures in a script or a pipe, use 'qpc report' "
		      "(or 'qpc report --format json')\n",
		      c->err);
		return 1;
	}
	char why[400];
	if (!qpc_tui_term_usable(NULL, STDOUT_FILENO, why, sizeof why)) {
		fprintf(c->err, "qpc: %s\n", why); /* before the database is opened, or the screen */
		return 1;
	}
	struct qpc_error e = { 0 };
	struct qpc_store *st;
	enum qpc_rc rc = cli_open(c, QPC_OPEN_EXISTING, &st, &e);
	if (rc)
		return cli_fail(c, rc, &e);
	struct qpc_tui_options o = { .user = c->user, .as_of = c->as_of,
		                     .as_of_chosen = c->as_of_given };
	int sig = 0;
	rc = qpc_tui_run(st, &o, &sig, &e);
	qpc_store_close(st);
	if (sig == SIGINT) { /* so that a calling script stops too */
		signal(sig, SIG_DFL);
		raise(sig);
	}
	if (sig) /* 128 + N, as a shell reports a death by signal N */
		return 128 + sig;
	return rc ? cli_fail(c, rc, &e) : 0;
}
