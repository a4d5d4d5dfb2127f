#!/bin/sh
# test_qpc_hardening.sh — what an attack on the dashboard found: lists
# that overflowed their rows when the terminal shrank under a deep cursor,
# an import dialog that froze on a FIFO or a terminal, and a dashboard
# drawn garbled on a terminal that cannot place its cursor.  These run in
# the ASan build too (make check-asan), where any sanitizer report fails
# the case (lib.sh), and every case ends by quitting and asking for 0.
. "$(dirname "$0")/qpc_lib.sh"

# A demo with lists longer than a tall terminal: 60 more candidates, and
# 60 more history rows for every account, written straight into the file.
DB=$TUI_DIR/long.db
dbcp "$DEMO" "$DB"
db_exec "$DB" "
  INSERT INTO candidate (account_id, template_id, nominated_on, nominated_by)
    SELECT id, 1, '2026-11-01', 'tester' FROM account
    WHERE id NOT IN (SELECT account_id FROM candidate WHERE dropped_on IS NULL)
    ORDER BY id LIMIT 60;
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60)
  INSERT INTO history (at, effective, \"user\", account_id, entity, field, old, new)
    SELECT '2026-11-27T08:00:00Z', '2026-11-27', 'tester', a.id, 'account', 'note', '',
           'change ' || n.i FROM account a, n;" ||
	tui_fail "cannot lengthen the lists"

# qpc_quits: Q ends qpc with status 0 (a sanitizer's report would not).
qpc_quits() {
	tui_keys Q
	status=$(tui_wait_exit 10)
	[ "$status" = 0 ] || tui_fail "qpc ended with status $status"
}

# storm STATUS: the terminal shrinks to 120x10 under the cursor (and qpc
# repaints: the tab bar on top, STATUS at the bottom, which a screen tmux
# only cropped does not have both), then grows and shrinks faster than qpc
# repaints, and settles at 100x24.
storm() {
	tui_resize 120 10
	_tries=$((TUI_TIMEOUT * 20))
	until tui_line 1 | grep -q "1 Dashboard" && qpc_status_bar | grep -F -q -e "$1"; do
		[ "$_tries" -gt 0 ] || tui_fail "not repainted at 120x10"
		_tries=$((_tries - 1))
		sleep 0.05
	done
	for size in "120 50" "120 9" "80 12" "120 40" "60 10" "120 11" "100 24"; do
		# shellcheck disable=SC2086 # two words, columns and rows
		tui_resize $size
	done
}

test_resize_storm_with_the_cursor_deep_in_accounts() {
	qpc_start 120 50 xterm
	tui_keys j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j
	qpc_expect_status "41/400"
	storm "41/400"
	qpc_expect_status "41/400"
	tui_keys j
	qpc_expect_status "42/400"
	qpc_quits
}

test_resize_storm_with_the_cursor_deep_in_candidates() {
	n=$(db_sql "$DB" "SELECT count(*) FROM candidate WHERE dropped_on IS NULL")
	[ "$n" -gt 41 ] || tui_fail "only $n candidates"
	qpc_start 120 50 xterm
	tui_keys 3
	tui_wait_for "Partner candidates: $n"
	tui_keys j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j
	qpc_expect_status "41/$n"
	storm "41/$n"
	qpc_expect_status "41/$n"
	tui_keys k
	qpc_expect_status "40/$n"
	qpc_quits
}

test_resize_storm_with_the_cursor_deep_in_history() {
	qpc_start 120 50 xterm
	tui_keys Enter
	tui_wait_for "History"
	tui_keys BTab
	qpc_expect_status "Tab: history"
	tui_keys j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j j
	tui_wait_for "change 20"
	storm "Tab: history"
	tui_wait_for "History"
	tui_keys G
	tui_wait_for "History"
	qpc_quits
}

# A FIFO with no writer blocked the dialog in open(), /dev/tty in read(),
# where neither Esc nor a signal reached it.  Each is one sentence now, as
# is a FIFO where the bad rows would go, and the dashboard goes on.
test_the_import_dialog_reads_regular_files_only() {
	DB=$TUI_DIR/import.db
	dbcp "$DEMO" "$DB"
	mkfifo "$TUI_DIR/pipe.csv" "$TUI_DIR/bad.csv.rejects.csv"
	printf 'External ID,Name,Employees\nP-1,Piped One,12\nP-2,Piped Two,many\n' >"$TUI_DIR/bad.csv"
	qpc_start 160 24 xterm
	tui_keys i
	tui_wait_for "Import a CSV file"
	tui_type "$TUI_DIR/pipe.csv"
	tui_keys Enter
	tui_wait_for "is a named pipe (FIFO), not a regular file"
	tui_keys C-u
	tui_type /dev/tty
	tui_keys Enter
	tui_wait_for "/dev/tty is a terminal, not a regular file"
	tui_keys C-u - Enter # a file of that name, not standard input (the terminal)
	tui_wait_for "cannot open ./-: No such file or directory"
	tui_keys C-u
	tui_type "$TUI_DIR/bad.csv"
	tui_keys Enter
	tui_wait_for "1 rejected"
	tui_keys Enter
	tui_wait_for "the bad rows cannot go there"
	tui_keys Enter
	tui_wait_gone "Import a CSV file"
	tui_keys j
	qpc_expect_status "2/400"
	qpc_quits
	[ "$(qpc --db "$DB" export accounts | grep -c 'Piped')" = 0 ] || tui_fail "rows were imported"
}

# TERM=dumb (Emacs' shell buffers, some CI runners), a type terminfo does
# not know, no TERM: one sentence naming it, status 1, and the screen and
# the tty as they were: nothing drawn, no alternate screen, no mode left
# changed.  The command line works there all the same.  (One tmux session
# for all: each costs half a second.)
test_a_terminal_that_cannot_place_its_cursor_is_refused() {
	# shellcheck disable=SC2016 # a script of its own
	tui_start 200 60 xterm sh -c 'tty=$(stty -g)
		for t in dumb no-such-term -; do
			echo "TERM $t"
			if [ "$t" = - ]; then env -u TERM "$0" --db "$1"; else env TERM="$t" "$0" --db "$1"; fi
			s=$?
			if [ "$(stty -g)" = "$tty" ]; then m=same; else m=changed; fi
			echo "EXITED:$s TTY:$m"
		done
		TERM=dumb "$0" --db "$1" report
		echo "REPORT:$?"' "$QPC" "$(db_arg "$DEMO")"
	tui_wait_for "REPORT:"
	[ "$(tui_format '#{alternate_on}')" = 0 ] || tui_fail "the alternate screen is on"
	fix="set TERM to your terminal's type (xterm, screen, linux, vt100), or use 'qpc report' for the figures"
	tui_screen | head -n 9 >"$TUI_DIR/refused"
	cat >"$TUI_DIR/expected" <<EOF
TERM dumb
qpc: the dashboard needs a real terminal, and TERM=dumb cannot place its cursor: $fix
EXITED:1 TTY:same
TERM no-such-term
qpc: the dashboard needs a real terminal, and TERM=no-such-term is unknown here: $fix
EXITED:1 TTY:same
TERM -
qpc: the dashboard needs a real terminal, and TERM is not set: $fix
EXITED:1 TTY:same
EOF
	diff -u "$TUI_DIR/expected" "$TUI_DIR/refused" >&2 || tui_fail "not as expected (diff above)"
	tui_expect_screen_contains "Partner report as of 2026-11-27" "REPORT:0"
}

tui_main "$@"
