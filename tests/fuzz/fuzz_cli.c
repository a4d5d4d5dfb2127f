/* fuzz_cli.c — the qpc command line end to end: the global options, each
 * command's options and arguments, and what the command then does with
 * them, against a small real database.
 *
 * Input: the arguments after "qpc", each ended by a NUL byte (the last
 * one may lack it); at most 24.  So "report\0--format\0json" is
 * `qpc report --format json`.
 *
 * Each input runs qpc_cli_run in a scratch folder ($FUZZ_TMPDIR, else
 * /dev/shm, else /tmp) that holds, afresh for each input, q.db ($QPC_DB: a
 * dozen demo accounts with sales, QPC lines, a candidate and a goal, made
 * once at start) and accounts.csv, sales.csv and potential.csv (the first
 * rows of its exports), so that commands that read or write files have
 * some to work on.
 * Skipped inputs: one with an argument holding '/', so that every file a
 * command names is in the scratch folder; and `init` with an option
 * starting "--d" (--demo: hundreds of rows written, too slow to fuzz; the
 * CLI tests cover it).  Standard input and output are /dev/null.  With
 * FUZZ_VERBOSE set, each run prints its exit status and messages (to
 * see what a replayed input did).
 *
 * Invariants (beyond "no crash, no sanitizer report, no leak"):
 *  - the exit status is 0, 1 or 2;
 *  - a failure (1 or 2) says why on stderr, and every line there starts
 *    with "qpc: " and ends in a line feed;
 *  - what qpc writes on stderr has no control characters but line feeds,
 *    whatever the arguments held: they are shown escaped;
 *  - a command that fails leaves the database byte for byte as it was.
 */
#include "fuzz.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qpc/cli.h"

#define MAX_ARGS 24

static char scratch[4096];
static int home = -1; /* the folder libFuzzer works in, to go back to */
static FILE *devnull;
static struct fuzz_buf base_db, csv_accounts, csv_sales, csv_potential;

static void die(const char *what)
{
	fprintf(stderr, "fuzz_cli: %s: %s\n", what, strerror(errno));
	abort();
}

static void write_file(const char *name, const struct fuzz_buf *b)
{
	int fd = open(name, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		die(name);
	for (size_t done = 0; done < b->n;) {
		ssize_t k = write(fd, b->p + done, b->n - done);
		if (k <= 0)
			die(name);
		done += (size_t)k;
	}
	close(fd);
}

/* Keeps the first lines of the file only: imports of many rows are slow
 * under the sanitizers, and a few rows reach every path. */
static void first_lines(struct fuzz_buf *b, int lines)
{
	for (size_t i = 0; i < b->n; i++)
		if (b->p[i] == '\n' && --lines == 0) {
			b->n = i + 1;
			b->p[b->n] = '\0';
			return;
		}
}

static void read_file(const char *name, struct fuzz_buf *b)
{
	FILE *fp = fopen(name, "rb");
	if (!fp)
		die(name);
	b->n = 0;
	char chunk[65536];
	size_t k;
	while ((k = fread(chunk, 1, sizeof chunk, fp)) > 0)
		fuzz_put(b, chunk, k);
	fclose(fp);
}

/* qpc runs in the scratch folder; libFuzzer reads and writes its files
 * in the folder it was started in. */
static void to_scratch(void)
{
	if (chdir(scratch) != 0)
		die(scratch);
}

static void to_home(void)
{
	if (fchdir(home) != 0)
		die("the starting folder");
}

/* Empties the scratch folder (the current directory). */
static void clear_scratch(void)
{
	DIR *d = opendir(".");
	if (!d)
		die(scratch);
	struct dirent *ent;
	while ((ent = readdir(d)) != NULL) {
		if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0)
			continue;
		if (unlink(ent->d_name) != 0 && (errno != EISDIR || rmdir(ent->d_name) != 0))
			die(ent->d_name);
	}
	closedir(d);
}

static int run(int argc, char **argv, FILE *err)
{
	return qpc_cli_run(argc, argv, devnull, err);
}

/* Runs one command of the setup, which must succeed. */
static void setup(const char *a0, const char *a1, const char *a2, const char *a3, const char *a4)
{
	char *argv[] = { (char *)"qpc", (char *)a0, (char *)a1, (char *)a2, (char *)a3,
		         (char *)a4, NULL };
	int argc = 1;
	while (argv[argc])
		argc++;
	if (run(argc, argv, stderr) != 0) {
		fprintf(stderr, "fuzz_cli: setup failed: qpc %s %s\n", a0, a1 ? a1 : "");
		abort();
	}
}

static void remove_scratch(void)
{
	to_scratch();
	clear_scratch();
	to_home();
	rmdir(scratch);
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	const char *dir = getenv("FUZZ_TMPDIR");
	if (!dir || !*dir)
		dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp";
	snprintf(scratch, sizeof scratch, "%s/qpc-fuzz-cli-XXXXXX", dir);
	home = open(".", O_RDONLY | O_DIRECTORY);
	if (home < 0)
		die("the starting folder");
	if (!mkdtemp(scratch))
		die(scratch);
	to_scratch();
	/* qpc reads standard input for "-", and would write there */
	int fd = open("/dev/null", O_RDWR);
	if (fd < 0 || dup2(fd, STDIN_FILENO) < 0 || dup2(fd, STDOUT_FILENO) < 0)
		die("/dev/null");
	close(fd);
	devnull = fopen("/dev/null", "w");
	if (!devnull)
		die("/dev/null");
	setenv("QPC_DB", "q.db", 1);
	setenv("QPC_USER", "fuzz", 1);
	setenv("QPC_NOW", "2026-03-15T10:00:00Z", 1);

	setup("init", "--demo", "--accounts", "12", NULL);
	setup("candidate", "add", "ACC-00003", NULL, NULL);
	setup("tick", "ACC-00003", "1", "--note", "called");
	setup("goal", "set", "2026", "4", NULL);
	setup("export", "accounts", "-o", "accounts.csv", NULL);
	setup("export", "sales", "-o", "sales.csv", NULL);
	setup("export", "potential", "-o", "potential.csv", NULL);
	read_file("q.db", &base_db);
	read_file("accounts.csv", &csv_accounts);
	read_file("sales.csv", &csv_sales);
	read_file("potential.csv", &csv_potential);
	first_lines(&csv_accounts, 6);
	first_lines(&csv_sales, 21);
	first_lines(&csv_potential, 11);
	clear_scratch();
	to_home();
	atexit(remove_scratch);
	return 0;
}

/* Whether qpc should be run on these arguments at all (see the top). */
static bool wanted(int argc, char **argv)
{
	int init_at = argc;
	for (int i = 1; i < argc; i++) {
		if (strchr(argv[i], '/'))
			return false;
		if (init_at == argc && strcmp(argv[i], "init") == 0)
			init_at = i;
		else if (i > init_at && strncmp(argv[i], "--d", 3) == 0)
			return false;
	}
	return true;
}

static void check_messages(const char *msg, size_t n, int status, char **argv, int argc)
{
	if (status != 0)
		FUZZ_CHECK(n > 0, "exit %d without a message (qpc %s ...)", status,
			   argc > 1 ? argv[1] : "");
	for (size_t i = 0; i < n;) {
		const char *nl = memchr(msg + i, '\n', n - i);
		if (!nl || strncmp(msg + i, "qpc: ", 5) != 0)
			fuzz_dump("stderr", msg, n);
		FUZZ_CHECK(nl != NULL, "a message without its line feed");
		FUZZ_CHECK(strncmp(msg + i, "qpc: ", 5) == 0, "a message line not starting 'qpc: '");
		for (const char *p = msg + i; p < nl; p++) {
			unsigned char c = (unsigned char)*p;
			if (c < 0x20 || c == 0x7F)
				fuzz_dump("stderr", msg, n);
			FUZZ_CHECK(c >= 0x20 && c != 0x7F, "control character 0x%02X on stderr", c);
		}
		i = (size_t)(nl - msg) + 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[MAX_ARGS + 2];
	int argc = 0;
	argv[argc++] = (char *)"qpc";
	/* the arguments, in one copy with a NUL after the last */
	char *copy = malloc(size + 1);
	if (!copy)
		abort();
	memcpy(copy, data, size);
	copy[size] = '\0';
	for (size_t i = 0; i < size;) {
		if (argc == MAX_ARGS + 1) {
			free(copy);
			return 0;
		}
		argv[argc++] = copy + i;
		i += strlen(copy + i) + 1;
	}
	argv[argc] = NULL;
	if (!wanted(argc, argv)) {
		free(copy);
		return 0;
	}

	to_scratch();
	clear_scratch();
	write_file("q.db", &base_db);
	write_file("accounts.csv", &csv_accounts);
	write_file("sales.csv", &csv_sales);
	write_file("potential.csv", &csv_potential);

	char *msg = NULL;
	size_t n = 0;
	FILE *err = open_memstream(&msg, &n);
	if (!err)
		abort();
	int status = run(argc, argv, err);
	fclose(err);
	if (getenv("FUZZ_VERBOSE"))
		fprintf(stderr, "exit %d\n%.*s", status, (int)n, msg);
	FUZZ_CHECK(status >= 0 && status <= 2, "exit status %d", status);
	check_messages(msg, n, status, argv, argc);

	if (status != 0) {
		struct fuzz_buf now = { 0 };
		read_file("q.db", &now);
		if (!fuzz_buf_eq(&now, &base_db))
			fuzz_dump("stderr", msg, n);
		FUZZ_CHECK(fuzz_buf_eq(&now, &base_db), "exit %d, yet the database changed", status);
		free(now.p);
	}
	to_home();
	free(msg);
	free(copy);
	return 0;
}
