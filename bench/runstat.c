/* runstat.c — runs a command and reports its wall time and peak memory.
 *
 *   runstat [-o OUT] [-e ERR] [-i IN] -- COMMAND [ARG]...
 *
 * Fork/execs COMMAND (its stdin, stdout, stderr optionally redirected to
 * files), waits for it with wait4() and prints one line on stdout:
 *
 *   WALL_S USER_S SYS_S MAXRSS_KB STATUS
 *
 * STATUS is the exit status, or 128+N when killed by signal N.  Exits 0
 * whenever the command could be run (the caller reads STATUS), 127 when
 * it could not.  A stand-in for GNU time's %e %U %S %M %x, which is not
 * always installed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void usage(void)
{
	fputs("usage: runstat [-o OUT] [-e ERR] [-i IN] -- COMMAND [ARG]...\n", stderr);
	exit(127);
}

static void redirect(const char *path, int fd, int flags)
{
	int f = open(path, flags, 0644);
	if (f < 0 || dup2(f, fd) < 0) {
		fprintf(stderr, "runstat: %s: %s\n", path, strerror(errno));
		_exit(127);
	}
	close(f);
}

static double tv_s(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

int main(int argc, char **argv)
{
	const char *out = NULL, *err = NULL, *in = NULL;
	int opt;
	while ((opt = getopt(argc, argv, "+o:e:i:")) != -1) {
		if (opt == 'o')
			out = optarg;
		else if (opt == 'e')
			err = optarg;
		else if (opt == 'i')
			in = optarg;
		else
			usage();
	}
	if (optind >= argc)
		usage();
	fflush(stdout);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid_t pid = fork();
	if (pid < 0) {
		perror("runstat: fork");
		return 127;
	}
	if (pid == 0) {
		if (in)
			redirect(in, 0, O_RDONLY);
		if (out)
			redirect(out, 1, O_WRONLY | O_CREAT | O_TRUNC);
		if (err)
			redirect(err, 2, O_WRONLY | O_CREAT | O_TRUNC);
		execvp(argv[optind], argv + optind);
		fprintf(stderr, "runstat: %s: %s\n", argv[optind], strerror(errno));
		_exit(127);
	}
	int status;
	struct rusage ru;
	while (wait4(pid, &status, 0, &ru) < 0) {
		if (errno != EINTR) {
			perror("runstat: wait4");
			return 127;
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double wall = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	printf("%.3f %.3f %.3f %ld %d\n", wall, tv_s(ru.ru_utime), tv_s(ru.ru_stime), ru.ru_maxrss,
	       code);
	return 0;
}
