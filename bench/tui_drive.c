/* tui_drive.c — times the dashboard's real views, headless.
 *
 *   tui_drive keys DB USER COLSxROWS   per-key latency of the accounts view
 *   tui_drive paint QPC DB RUNS [DATE]  the real binary's first paint on a pty
 *
 * keys: opens the dashboard in this process with curses writing to
 * /dev/null (newterm, TERM xterm-256color), then replays keystrokes
 * through the same handler the terminal loop uses.  For each it times
 * "key" (handled and painted) and "done" (background work finished too:
 * counts, long scans), and prints one line per action:
 *
 *   ACTION N KEY_P50 KEY_P99 KEY_MAX DONE_P50 DONE_P99 DONE_MAX   (ms)
 *
 * then "dashboard MS", "startup MS" (start to first paint, in process),
 * "first MS" (the first key, pressed as the idle work starts), "behind
 * MS" (the idle work after it, to its end: on a team server every index
 * of the copy the first screen did not need) and "rss KB" (peak).
 *
 * paint: starts QPC --db DB (with --as-of DATE when given: a date other
 * than the one the figures are kept for makes the dashboard compute its
 * own indexed copy first) on a pseudo-terminal RUNS times and times from
 * fork to the first screen (the status bar's "help" in the output), then
 * drives a few keys and reads the process's peak memory (VmHWM) before it
 * quits: prints "paint P50 MAX" (ms) and "vmhwm KB".
 */
#define _GNU_SOURCE
#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "qpc/tui.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double pct(double *v, int n, double p)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	int i = (int)(p * (n - 1) + 0.5);
	return v[i < n ? i : n - 1];
}

/* --- keys ---------------------------------------------------------------- */

#define MAX_SAMPLES 4096
static double key_ms[MAX_SAMPLES], done_ms[MAX_SAMPLES];
static int samples;
static struct qpc_tui *tui;

static void press(int key, bool code, bool timed)
{
	double t0 = now_ms();
	qpc_tui_key(tui, key, code);
	double t1 = now_ms();
	qpc_tui_settle(tui);
	double t2 = now_ms();
	if (timed && samples < MAX_SAMPLES) {
		key_ms[samples] = t1 - t0;
		done_ms[samples++] = t2 - t0;
	}
}

static void report(const char *action)
{
	if (samples == 0)
		return;
	int n = samples;
	double k50 = pct(key_ms, n, 0.5), k99 = pct(key_ms, n, 0.99), kmax = key_ms[n - 1];
	double d50 = pct(done_ms, n, 0.5), d99 = pct(done_ms, n, 0.99), dmax = done_ms[n - 1];
	printf("%-24s %5d %8.2f %8.2f %8.2f %8.2f %8.2f %8.2f\n", action, n, k50, k99, kmax, d50, d99,
	       dmax);
	fflush(stdout);
	samples = 0;
}

/* Names to search for: the first 11 characters of a few accounts' names. */
static int search_texts(const char *path, char texts[][16], int max)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	int n = 0;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_prepare_v2(db, "SELECT substr(name, 1, 11) FROM account WHERE id IN"
	                           " ((SELECT max(id) FROM account) * 1 / 7,"
	                           "  (SELECT max(id) FROM account) * 3 / 7,"
	                           "  (SELECT max(id) FROM account) * 5 / 7,"
	                           "  (SELECT max(id) FROM account))",
	                       -1, &s, NULL) == SQLITE_OK) {
		while (n < max - 1 && sqlite3_step(s) == SQLITE_ROW)
			snprintf(texts[n++], 16, "%s", (const char *)sqlite3_column_text(s, 0));
		sqlite3_finalize(s);
	}
	if (sqlite3_prepare_v2(db, "SELECT lower(external_id) FROM account"
	                           " WHERE id = (SELECT max(id) FROM account) / 2", -1, &s,
	                       NULL) == SQLITE_OK) {
		if (sqlite3_step(s) == SQLITE_ROW)
			snprintf(texts[n++], 16, "%s", (const char *)sqlite3_column_text(s, 0));
		sqlite3_finalize(s);
	}
	sqlite3_close(db);
	return n;
}

static int keys(const char *path, const char *user, const char *size)
{
	int cols = 80, rows = 24;
	if (sscanf(size, "%dx%d", &cols, &rows) != 2)
		return 2;
	char v[16];
	snprintf(v, sizeof v, "%d", cols);
	setenv("COLUMNS", v, 1);
	snprintf(v, sizeof v, "%d", rows);
	setenv("LINES", v, 1);
	setenv("ESCDELAY", "25", 1);
	double t0 = now_ms();
	struct qpc_store *st;
	struct qpc_error e = { 0 };
	const char *now = getenv("QPC_NOW");
	qpc_date as_of;
	if (!now || !qpc_date_parse_iso(now, &as_of)) {
		fputs("tui_drive: set QPC_NOW=YYYY-MM-DD\n", stderr);
		return 2;
	}
	if (qpc_store_open(path, QPC_OPEN_EXISTING, &st, &e)) {
		fprintf(stderr, "tui_drive: %s\n", e.msg);
		return 1;
	}
	qpc_store_set_actor(st, user, (int64_t)as_of * 86400);
	/* cppcheck-suppress incompatibleFileOpen ; /dev/null: nothing to read back */
	FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
	struct qpc_tui_options o = { .user = user, .as_of = as_of };
	if (!out || !in || qpc_tui_open(st, &o, out, in, "xterm-256color", &tui, &e)) {
		fprintf(stderr, "tui_drive: %s\n", e.msg);
		return 1;
	}
	qpc_tui_settle(tui);
	double opened = now_ms() - t0;

	/* A key at once, while the loop's idle work has started (on a team
	 * server, the first of the copy's indexes the first screen did not
	 * need): the key cancels it.  Then the
	 * idle work left to its end, as while a user reads the screen; the
	 * keys after come back to back, so an index a key asks for is not
	 * made before the next. */
	qpc_tui_idle(tui);
	double first = now_ms();
	press('a', false, false); /* all accounts (a rep starts on their own) */
	first = now_ms() - first;
	double behind = now_ms();
	while (qpc_tui_idle(tui))
		napms(5);
	behind = now_ms() - behind;
	for (int i = 0; i < 300; i++)
		press('j', false, true);
	report("scroll down (j)");
	for (int i = 0; i < 300; i++)
		press('k', false, true);
	report("scroll up (k)");
	for (int i = 0; i < 60; i++)
		press(KEY_NPAGE, true, true);
	report("page down (PgDn)");
	for (int i = 0; i < 60; i++)
		press(KEY_PPAGE, true, true);
	report("page up (PgUp)");
	for (int i = 0; i < 20; i++) {
		press('G', false, true);
		press('g', false, true);
	}
	report("jump end/top (G, g)");
	for (int i = 0; i < 18; i++)
		press('s', false, true);
	for (int i = 0; i < 10; i++)
		press('r', false, true);
	report("change sort (s, r)");
	for (int i = 0; i < 20; i++)
		press('m', false, true);
	report("filter mine (m)");
	for (int i = 0; i < 20; i++)
		press('t', false, true);
	report("filter status (t)");
	for (int i = 0; i < 26; i++)
		press('v', false, true);
	report("filter segment (v)");
	for (int i = 0; i < 20; i++)
		press('x', false, true);
	report("filter stale QPC (x)");
	press('a', false, false);
	char texts[8][16];
	int nt = search_texts(path, texts, 8);
	for (int i = 0; i < nt; i++) {
		press('/', false, false);
		for (const char *c = texts[i]; *c; c++)
			press((unsigned char)*c, false, true);
		press(27, false, false);
	}
	report("search, each character");
	for (int i = 0; i < 20; i++) {
		press('j', false, false);
		press('\n', false, true);
		press('q', false, true);
	}
	report("open account, back");
	double dash = now_ms();
	press('1', false, false);
	dash = now_ms() - dash;
	printf("dashboard %.1f\n", dash);
	press('2', false, false);
	qpc_tui_close(tui);
	qpc_store_close(st);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("startup %.1f\nfirst %.1f\nbehind %.1f\nrss %ld\n", opened, first, behind,
	       ru.ru_maxrss);
	return 0;
}

/* --- paint --------------------------------------------------------------- */

/* Reads from fd until `want` shows in the output or `ms` pass. */
static bool read_until(int fd, const char *want, double ms)
{
	static char buf[1 << 16];
	size_t len = 0;
	double end = now_ms() + ms;
	while (now_ms() < end) {
		struct pollfd p = { fd, POLLIN, 0 };
		if (poll(&p, 1, 20) <= 0)
			continue;
		ssize_t k = read(fd, buf + len, sizeof buf - 1 - len);
		if (k <= 0)
			return false;
		len += (size_t)k;
		buf[len] = '\0';
		if (memmem(buf, len, want, strlen(want)))
			return true;
		if (len > sizeof buf / 2) { /* keep the tail */
			memmove(buf, buf + len - 256, 256);
			len = 256;
		}
	}
	return false;
}

static long vmhwm(pid_t pid)
{
	char path[64], line[256];
	long kb = -1;
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	FILE *fp = fopen(path, "r");
	while (fp && fgets(line, sizeof line, fp))
		if (sscanf(line, "VmHWM: %ld", &kb) == 1)
			break;
	if (fp)
		fclose(fp);
	return kb;
}

static int paint(const char *qpc, const char *path, int runs, const char *as_of)
{
	double ms[64] = { 0 };
	long hwm = 0;
	struct winsize ws = { .ws_row = 24, .ws_col = 80 };
	if (runs > 64)
		runs = 64;
	if (runs < 1) /* pct() reads the middle run */
		runs = 1;
	setenv("TERM", "xterm-256color", 1);
	for (int i = 0; i < runs; i++) {
		int fd;
		double t0 = now_ms();
		pid_t pid = forkpty(&fd, NULL, NULL, &ws);
		if (pid < 0)
			return 1;
		if (pid == 0) {
			if (as_of)
				execl(qpc, qpc, "--db", path, "--as-of", as_of, (char *)NULL);
			else
				execl(qpc, qpc, "--db", path, (char *)NULL);
			_exit(127);
		}
		if (!read_until(fd, "help", 120000)) {
			fprintf(stderr, "tui_drive: no first screen from %s\n", qpc);
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			return 1;
		}
		ms[i] = now_ms() - t0;
		if (i == runs - 1) { /* then work it a little, and weigh it */
			const char *keys[] = { "a", "G", "g", "s", "s", "s", "t", "t", "x", "/nor", "\033",
				               "1" };
			for (size_t k = 0; k < sizeof keys / sizeof *keys; k++) {
				if (write(fd, keys[k], strlen(keys[k])) < 0)
					break;
				read_until(fd, "help", 200);
			}
			read_until(fd, "Most untapped", 20000);
			hwm = vmhwm(pid);
		}
		if (write(fd, "Q", 1) < 0)
			kill(pid, SIGTERM);
		read_until(fd, "\x01never", 300);
		waitpid(pid, NULL, 0);
		close(fd);
	}
	double max = 0;
	for (int i = 0; i < runs; i++)
		max = ms[i] > max ? ms[i] : max;
	printf("paint %.1f %.1f\nvmhwm %ld\n", pct(ms, runs, 0.5), max, hwm);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "keys") == 0)
		return keys(argv[2], argv[3], argv[4]);
	if ((argc == 5 || argc == 6) && strcmp(argv[1], "paint") == 0)
		return paint(argv[2], argv[3], atoi(argv[4]), argc == 6 ? argv[5] : NULL);
	fputs("usage: tui_drive keys DB USER COLSxROWS | tui_drive paint QPC DB RUNS [DATE]\n",
	      stderr);
	return 2;
}
