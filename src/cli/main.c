/* main.c — the qpc program. */
#include "qpc/cli.h"

int main(int argc, char **argv)
{
	return qpc_cli_main(argc, argv);
}
