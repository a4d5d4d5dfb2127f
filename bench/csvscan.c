/* csvscan.c — how fast qpc's CSV reader alone goes over a file.
 *
 *   csvscan FILE
 *
 * Reads FILE with csvread_fd (textenc + libcsv + record assembly) into a
 * sink that only counts, and prints "SECONDS RECORDS BYTES": the floor
 * under each of the import's passes over the file.
 */
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "qpc/csvread.h"

static enum qpc_rc count(void *ctx, const struct csv_record *rec, struct qpc_error *err)
{
	(void)err;
	*(unsigned long long *)ctx += rec->nfields;
	return QPC_OK;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fputs("usage: csvscan FILE\n", stderr);
		return 2;
	}
	int fd = open(argv[1], O_RDONLY);
	struct stat sb;
	if (fd < 0 || fstat(fd, &sb) != 0) {
		perror(argv[1]);
		return 1;
	}
	unsigned long long fields = 0;
	struct csvread_opts o = { .name = argv[1] };
	struct csv_sink sink = { NULL, count, &fields, NULL, NULL };
	struct csvread_info info;
	struct qpc_error err = { 0 };
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	enum qpc_rc rc = csvread_fd(fd, &o, &sink, &info, &err);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	close(fd);
	if (rc != QPC_OK) {
		fprintf(stderr, "csvscan: %s\n", err.msg);
		return 1;
	}
	double s = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("%.3f %llu %lld\n", s, (unsigned long long)info.records, (long long)sb.st_size);
	return 0;
}
