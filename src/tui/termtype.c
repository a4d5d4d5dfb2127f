/* termtype.c — whether the terminal type can show the dashboard: known
 * here, and able to place its cursor (cup).  Without cup curses falls back
 * to writing line after line, and a dashboard drawn that way is garbage
 * (TERM=dumb, as Emacs' shell buffers and some CI runners set it).
 *
 * Asked of terminfo alone (setupterm, then del_curterm), before curses
 * starts: a refusal has written nothing to the screen and left the tty's
 * modes alone.  In a file of its own because <term.h> defines a macro for
 * every capability name.
 */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>

#include "qpc/tui.h"

#include <term.h> /* last: its macros (lines, columns...) would rename fields above */

/* The TERM value as it can be shown: printable ASCII, cut short. */
static void shown(const char *t, char *out, size_t n)
{
	size_t i = 0;
	for (; t[i] && i + 4 < n && i < 40; i++)
		out[i] = t[i] > ' ' && t[i] < 127 ? t[i] : '?';
	if (t[i] && i + 4 < n) {
		out[i++] = '.';
		out[i++] = '.';
		out[i++] = '.';
	}
	out[i] = '\0';
}

bool qpc_tui_term_usable(const char *type, int fd, char *why, size_t n)
{
	static const char fix[] = "set TERM to your terminal's type (xterm, screen, linux, vt100), "
	                          "or use 'qpc report' for the figures";
	const char *t = type ? type : getenv("TERM");
	char name[48];
	int err = 0;
	if (!t || !*t) {
		snprintf(why, n, "the dashboard needs a real terminal, and TERM is not set: %s", fix);
		return false;
	}
	shown(t, name, sizeof name);
	if (setupterm(t, fd, &err) != OK) {
		snprintf(why, n, "the dashboard needs a real terminal, and TERM=%s is %s: %s", name,
		         err == 1    ? "a printing terminal"
		         : err == -1 ? "unknown (no terminfo database was found)"
		                     : "unknown here",
		         fix);
		return false;
	}
	const char *cup = tigetstr("cup");
	bool ok = cup && cup != (char *)-1;
	del_curterm(cur_term);
	if (!ok)
		snprintf(why, n, "the dashboard needs a real terminal, and TERM=%s cannot place its cursor: %s",
		         name, fix);
	return ok;
}
