/* term.c — the terminal: curses on and off, and the signals that end us.
 *
 * SIGINT, SIGTERM, SIGHUP and SIGQUIT only set a flag; the blocked read
 * returns (no SA_RESTART) and the loop ends in order, restoring the
 * terminal with endwin().  A crash signal cannot wait for the loop: its
 * handler writes a reset sequence computed beforehand from terminfo with
 * write(2), puts the tty modes back with tcsetattr(), both
 * async-signal-safe, and raises the signal again with its default action.
 * A quit signal also sets an alarm: should the loop not have ended in
 * order QUIT_GRACE_S seconds later (a step blocked where it does not look
 * at the flag), the alarm ends qpc the crash's way, with the status the
 * orderly way gives.  No curses in any handler.  Resizes arrive as
 * KEY_RESIZE from curses.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "qpc/tui.h"
#include "ui.h"

#define QUIT_GRACE_S 2

static volatile sig_atomic_t caught;
static struct termios saved_tio;
static bool have_tio;
static SCREEN *screen;
static bool mouse_on;
static int in_fd = -1;

/* Two buffers, so that a resize can write one while a crash reads the
 * other. */
static char reset[2][512];
static size_t reset_len[2];
static volatile sig_atomic_t reset_which;

static const int quit_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT };
static const int crash_signals[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP, SIGSYS };
#define NQUIT (sizeof quit_signals / sizeof *quit_signals)
#define NCRASH (sizeof crash_signals / sizeof *crash_signals)
static struct sigaction old_quit[NQUIT], old_crash[NCRASH], old_alarm;

static void on_quit(int sig)
{
	if (!caught)
		alarm(QUIT_GRACE_S);
	caught = sig;
}

/* The terminal as it was, from a handler: async-signal-safe calls only. */
static void restore_now(void)
{
	int w = reset_which;
	if (reset_len[w]) {
		ssize_t r = write(STDOUT_FILENO, reset[w], reset_len[w]);
		(void)r;
	}
	if (have_tio)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tio);
}

static void on_crash(int sig)
{
	restore_now();
	signal(sig, SIG_DFL);
	raise(sig);
}

/* A quit signal's grace ran out: the database is left as a killed qpc
 * leaves it (SQLite rolls back what was not committed), the terminal as
 * it was, and the status is what cmd_tui would have returned. */
static void on_late(int sig)
{
	(void)sig;
	int q = caught;
	restore_now();
	if (q == SIGINT) { /* so that a calling script stops too */
		signal(q, SIG_DFL);
		raise(q);
	}
	_exit(128 + q);
}

static void add_cap(char *buf, size_t *len, size_t cap, const char *s)
{
	if (!s || s == (char *)-1)
		return;
	size_t k = strlen(s);
	if (*len + k < cap) {
		memcpy(buf + *len, s, k); /* NOLINT(bugprone-not-null-terminated-result): counted */
		*len += k;
	}
}

void term_prepare_reset(void)
{
	int w = !reset_which;
	size_t len = 0;
	char *buf = reset[w];
	size_t cap = sizeof reset[w];
	add_cap(buf, &len, cap, "\030"); /* CAN: abandon a half-written sequence */
	add_cap(buf, &len, cap, tigetstr("sgr0"));
	if (mouse_on)
		add_cap(buf, &len, cap, "\033[?1000l\033[?1002l\033[?1003l\033[?1006l\033[?1015l");
	char *csr = tigetstr("csr"), *cup = tigetstr("cup");
	if (csr && csr != (char *)-1)
		add_cap(buf, &len, cap, tiparm(csr, 0, LINES - 1));
	if (cup && cup != (char *)-1)
		add_cap(buf, &len, cap, tiparm(cup, LINES - 1, 0));
	add_cap(buf, &len, cap, tigetstr("cnorm"));
	add_cap(buf, &len, cap, tigetstr("rmkx"));
	add_cap(buf, &len, cap, tigetstr("rmcup"));
	reset_len[w] = len;
	reset_which = w;
}

static void install(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_quit; /* no SA_RESTART: a blocked read returns */
	for (size_t i = 0; i < NQUIT; i++)
		sigaction(quit_signals[i], &sa, &old_quit[i]);
	sa.sa_handler = on_late;
	sigaction(SIGALRM, &sa, &old_alarm);
	sa.sa_handler = on_crash;
	sa.sa_flags = SA_NODEFER | SA_RESETHAND;
	for (size_t i = 0; i < NCRASH; i++)
		sigaction(crash_signals[i], &sa, &old_crash[i]);
}

static void uninstall(void)
{
	alarm(0); /* ended in order, in time */
	sigaction(SIGALRM, &old_alarm, NULL);
	for (size_t i = 0; i < NQUIT; i++)
		sigaction(quit_signals[i], &old_quit[i], NULL);
	for (size_t i = 0; i < NCRASH; i++)
		sigaction(crash_signals[i], &old_crash[i], NULL);
}

bool qpc_tui_terminal_ok(void)
{
	return isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
}

enum qpc_rc term_start(FILE *out, FILE *in, const char *type, struct qpc_error *e)
{
	char why[400];
	if (!qpc_tui_term_usable(type, fileno(out), why, sizeof why))
		return qpc_error_set(e, QPC_ERR_USAGE, "%s", why);
	caught = 0;
	mouse_on = false;
	in_fd = fileno(in);
	have_tio = tcgetattr(in_fd, &saved_tio) == 0;
	/* Ours before curses starts, so that it leaves SIGINT and SIGTERM
	 * alone. */
	install();
	screen = newterm(type, out, in);
	if (!screen) {
		uninstall();
		const char *t = type ? type : getenv("TERM");
		return qpc_error_set(e, QPC_ERR_USAGE,
		                     "the terminal type '%s' is unknown here; set TERM to one "
		                     "your system knows (xterm, screen, linux, vt100)",
		                     t ? t : "");
	}
	set_term(screen);
	if (!getenv("ESCDELAY"))
		set_escdelay(25); /* a lone Esc is seen at once */
	cbreak();
	noecho();
	nonl();
	intrflush(stdscr, FALSE);
	keypad(stdscr, TRUE);
	curs_set(0);
	/* The Linux console's mouse is gpm's: without its daemon curses
	 * would load libgpm only to find nobody there. */
	const char *t = termname();
	bool console = t && strncmp(t, "linux", 5) == 0;
	if (!console || access("/dev/gpmctl", F_OK) == 0)
		mouse_on = mousemask(BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL) != 0;
	mouseinterval(0); /* clicks at once; double clicks are timed by us */
	theme_init();
	draw_init();
	keymap_init();
	term_prepare_reset();
	return QPC_OK;
}

void term_stop(void)
{
	if (!screen)
		return;
	if (mouse_on)
		mousemask(0, NULL);
	endwin();
	delscreen(screen);
	screen = NULL;
	uninstall();
	fflush(stdout);
}

int term_caught(void)
{
	return caught;
}

/* A hangup that sent no SIGHUP (the terminal closed under a process of
 * another session, as su makes): reads fail at once and forever, and the
 * loop would spin.  Taken as the SIGHUP it should have been. */
bool term_gone(void)
{
	struct pollfd p = { .fd = in_fd, .events = POLLIN };
	if (in_fd < 0 || poll(&p, 1, 0) < 0 || !(p.revents & (POLLHUP | POLLERR | POLLNVAL)))
		return false;
	caught = SIGHUP;
	return true;
}
