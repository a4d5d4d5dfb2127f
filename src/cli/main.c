/* main.c — the qpc program. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "qpc/cli.h"

int main(int argc, char **argv)
{
	/* Past a file size limit (ulimit -f) a write then fails with EFBIG,
	 * which every writer reports in a sentence, the file left as it was;
	 * the signal's default would kill qpc without a word, mid-write. */
	signal(SIGXFSZ, SIG_IGN);
	int status = qpc_cli_main(argc, argv);
	/* What is still buffered (--help, --version, a command's last lines)
	 * is written now: a full disk or a closed output is a failure too. */
	int bad = ferror(stdout);
	if ((fclose(stdout) != 0 || bad) && status == 0) {
		fprintf(stderr, "qpc: writing the output failed: %s\n",
		        errno ? strerror(errno) : "write error");
		status = 1;
	}
	return status;
}
