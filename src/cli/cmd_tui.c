/* cmd_tui.c — qpc [tui]: the dashboard.  Until it exists, the report. */
#include "qpc/cli.h"

int cmd_tui(struct qpc_cli *c, int argc, char **argv)
{
	(void)argv;
	if (argc > 1)
		return cli_usage(c, "tui takes no arguments");
	return cli_print_report(c, false);
}
