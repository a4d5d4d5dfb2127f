/* tui.h — the dashboard: the full-screen face of qpc (ncursesw).
 *
 * qpc_tui_run() takes over the terminal until the user quits, and gives it
 * back as it found it, also after SIGINT, SIGTERM, SIGHUP and crash
 * signals.  The other functions drive the same views without a user, for
 * benchmarks and tests: curses writes to any FILE and reads keys from
 * here.
 */
#ifndef QPC_TUI_H
#define QPC_TUI_H

#include <stdbool.h>
#include <stdio.h>

#include "qpc/date.h"
#include "qpc/error.h"
#include "qpc/store.h"

struct qpc_tui_options {
	const char *user; /* whose accounts "mine" means */
	qpc_date as_of;
	/* as_of was chosen (--as-of): the dashboard stays on it.  Otherwise,
	 * when as_of is today by the store's clock (qpc_store_now), the
	 * dashboard follows today: past midnight it moves to the new day and
	 * says so. */
	bool as_of_chosen;
};

/* Whether standard input and output are a terminal the dashboard can use. */
bool qpc_tui_terminal_ok(void);

/* Whether terminal type `type` ($TERM when NULL) can show the dashboard:
 * known to terminfo and able to place its cursor.  When not, why[n] says
 * so in one sentence naming the TERM value.  Writes nothing to fd, the
 * terminal's, and leaves no terminal set up. */
bool qpc_tui_term_usable(const char *type, int fd, char *why, size_t n);

/* Runs the dashboard on st.  *signal is 0 after a quit, else the signal
 * that ended it: the caller closes what it holds and raises it again. */
enum qpc_rc qpc_tui_run(struct qpc_store *st, const struct qpc_tui_options *o, int *signal,
                        struct qpc_error *e);

/* --- headless, for benchmarks and tests ---------------------------------- */

struct qpc_tui;

/* Opens the dashboard with curses on out and in as terminal `type`, of the
 * size in $LINES and $COLUMNS, and paints the first screen. */
enum qpc_rc qpc_tui_open(struct qpc_store *st, const struct qpc_tui_options *o, FILE *out,
                         FILE *in, const char *type, struct qpc_tui **t, struct qpc_error *e);
/* Handles one key as if typed (a character, or a curses KEY_ code when
 * is_key_code) and paints the screen. */
void qpc_tui_key(struct qpc_tui *t, int key, bool is_key_code);
/* Finishes background work (counts, long scans), painting as it goes;
 * returns the steps taken. */
int qpc_tui_settle(struct qpc_tui *t);
/* Asks, as the loop does once a second, whether another qpc committed
 * since the dashboard last asked (or opened), and whether the day changed
 * for a dashboard that follows today (then it moves to the new day); when
 * either did, every view reloads and true is returned (qpc_tui_settle()
 * then finishes the work).  The day is the store's clock's: a test moves
 * it with qpc_store_set_actor(). */
bool qpc_tui_poll(struct qpc_tui *t);
/* One step of the work the loop does once the keys have stopped for a
 * moment (on a team server, the indexes of the dashboard's copy that no
 * read has needed yet), without waiting: true while there is more. */
bool qpc_tui_idle(struct qpc_tui *t);
/* The date the dashboard shows. */
qpc_date qpc_tui_as_of(const struct qpc_tui *t);
/* The text of the screen's row y, for checks. */
void qpc_tui_row(struct qpc_tui *t, int y, char *buf, size_t n);
void qpc_tui_close(struct qpc_tui *t);

#endif
