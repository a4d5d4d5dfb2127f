#!/bin/sh
# test_qpc_terminal.sh — the dashboard and the terminal: it needs one, it
# gives it back on every way out (quit, Ctrl-C, SIGTERM, SIGHUP, a crash),
# it follows resizes, it says when it is too small, and colour is optional.
. "$(dirname "$0")/qpc_lib.sh"

test_not_a_terminal_points_to_report() {
	status=0
	qpc --db "$DEMO" </dev/null >"$TUI_DIR/out" 2>"$TUI_DIR/err" || status=$?
	[ "$status" = 1 ] || tui_fail "exit status $status, expected 1"
	grep -q "needs a terminal" "$TUI_DIR/err" || tui_fail "no reason: $(cat "$TUI_DIR/err")"
	grep -q "qpc report" "$TUI_DIR/err" || tui_fail "no pointer to qpc report: $(cat "$TUI_DIR/err")"
	[ ! -s "$TUI_DIR/out" ] || tui_fail "wrote to standard output: $(cat "$TUI_DIR/out")"
	status=0
	qpc --db "$DEMO" tui >"$TUI_DIR/out" 2>"$TUI_DIR/err" || status=$?
	[ "$status" = 1 ] && grep -q "needs a terminal" "$TUI_DIR/err" || tui_fail "qpc tui in a pipe: $status"
}

test_quit_restores_every_terminal_type() {
	for t in $TUI_TERMS; do
		qpc_start_checked 80 24 "$t"
		tui_expect_screen_contains "Accounts: 400" "sorted by untapped"
		tui_keys q
		tui_expect_restored 0
	done
}

test_quit_from_a_pushed_view_takes_two_q() {
	qpc_start_checked 80 24 xterm
	tui_keys Enter
	tui_wait_for "QPC by category"
	tui_keys q
	tui_wait_for "sorted by untapped"
	tui_keys q
	tui_expect_restored 0
}

test_ctrl_c_restores() {
	for t in xterm linux vt100; do
		qpc_start_checked 80 24 "$t"
		tui_keys C-c
		tui_expect_restored 130
	done
}

test_sigterm_and_sighup_restore() {
	qpc_start_checked 80 24 screen
	kill -TERM "$(qpc_pid)"
	tui_expect_restored 143
	qpc_start_checked 80 24 tmux-256color
	tui_keys 1
	kill -HUP "$(qpc_pid)"
	tui_expect_restored 129
}

# A terminal that closes under a qpc of another session (as su or setsid
# make) sends it no SIGHUP: its reads fail at once, and it must end rather
# than spin on them.
test_terminal_gone_without_a_signal() {
	tui_start 80 24 xterm setsid -w sh -c 'echo $$ >"$0"; exec "$@"' "$TUI_DIR/pid" \
		"$QPC" --db "$(db_arg "$DEMO")"
	qpc_wait_ready
	pid=$(qpc_pid)
	tui_stop
	tries=100
	while kill -0 "$pid" 2>/dev/null; do
		if [ $tries = 0 ]; then
			kill -KILL "$pid" 2>/dev/null
			tui_fail "qpc went on for 5 s after its terminal closed"
		fi
		tries=$((tries - 1))
		sleep 0.05
	done
}

# tui_expect_restored, less its check for leftovers: after a crash the
# shell itself prints "Segmentation fault" on the screen, which is not ours.
expect_restored_after_crash() {
	tui_wait_for "EXITED:"
	got=$(tui_screen | grep -F 'EXITED:' | tail -n 1)
	[ "$got" = "EXITED:$1 TTY:same" ] || tui_fail "after the crash: '$got'"
	modes=$(tui_format 'alternate_on=#{alternate_on} cursor=#{cursor_flag} keypad=#{keypad_flag} keypad_cursor=#{keypad_cursor_flag} mouse=#{mouse_any_flag}#{mouse_standard_flag}#{mouse_button_flag}#{mouse_all_flag}#{mouse_sgr_flag}#{mouse_utf8_flag} insert=#{insert_flag} origin=#{origin_flag} wrap=#{wrap_flag} region=#{scroll_region_upper}-#{scroll_region_lower}')
	want="alternate_on=0 cursor=1 keypad=0 keypad_cursor=0 mouse=000000 insert=0 origin=0 wrap=1 region=0-$(($(tui_format '#{pane_height}') - 1))"
	[ "$modes" = "$want" ] || tui_fail "terminal modes after the crash: $modes (expected $want)"
	esc=$(printf '\033')
	attr=$(tui_screen_attrs | grep -F 'EXITED:' | tail -n 1 |
		sed "s/EXITED:.*//; s/$esc\\[0*m//g; s/$esc\\[[345]9m//g")
	[ -z "$attr" ] || tui_fail "attributes not reset after the crash"
	if infocmp -1 "$TUI_TERM" | grep -q 'smcup='; then
		rest=$(tui_screen | grep -v -e '^$' -e '^TUI-BEFORE$' -e '^EXITED:' -e 'fault' -e 'Aborted' || :)
		[ -z "$rest" ] || tui_fail "the dashboard left itself on the screen: $rest"
	fi
}

test_crash_signal_restores() {
	for t in xterm vt100 tmux-256color; do
		qpc_start_checked 80 24 "$t"
		tui_keys 1 Tab /
		tui_wait_for "/"
		kill -SEGV "$(qpc_pid)"
		expect_restored_after_crash 139
	done
	qpc_start_checked 80 24 xterm
	kill -ABRT "$(qpc_pid)"
	expect_restored_after_crash 134
}

test_resize_keeps_the_cursor() {
	qpc_start 80 24 xterm
	tui_keys j j j j j
	qpc_expect_status "6/400"
	name=$(qpc_row 6 | cut -c1-18)
	tui_resize 200 60
	tui_wait_for "Segment" # painted anew: the column only fits when wide
	qpc_expect_status "6/400"
	tui_expect_screen_contains "$name"
	tui_resize 40 12
	tui_wait_for " 1   2 Accounts" # the tab bar of a narrow terminal
	qpc_expect_status "6/"
	tui_expect_screen_contains "$name"
	tui_keys j
	qpc_expect_status "7/"
}

# The first screen waits for the figures of every account (some seconds
# at a million): meanwhile the top line says how far they have come.  The
# count goes by faster than a look at the screen catches at 20,000
# accounts, so what the terminal was sent is read (tmux's pipe-pane, set
# before qpc starts), its escape sequences and cursor moves taken out.  A new day (its
# figures computed afresh) on a file, any day on a server.
test_first_screen_says_how_far_the_figures_have_come() {
	DB=$TUI_DIR/many.db
	qpc --db "$DB" init >"$TUI_DIR/many.out" 2>&1 || tui_fail "init: $(cat "$TUI_DIR/many.out")"
	awk 'BEGIN { print "external_id,name,owner"
		for (i = 1; i <= 20000; i++) printf "M%d,Many %d,alice\n", i, i }' >"$TUI_DIR/many.csv"
	qpc --db "$DB" import accounts "$TUI_DIR/many.csv" >"$TUI_DIR/many.out" 2>&1 ||
		tui_fail "import: $(cat "$TUI_DIR/many.out")"
	qpc_args
	rm -f "$TUI_DIR/go" "$TUI_DIR/sent"
	tui_start 80 24 xterm sh -c 'while [ ! -e "$0" ]; do sleep 0.05; done; exec "$@"' \
		"$TUI_DIR/go" env QPC_NOW=2026-12-15T09:00:00Z "$QPC" --db "$_db"
	tui_tmux pipe-pane -o -t "$TUI_TARGET" "cat >>'$TUI_DIR/sent'" ||
		tui_fail "tmux cannot pipe the pane"
	: >"$TUI_DIR/go"
	qpc_wait_ready
	tui_wait_for "Accounts: 20,000"
	tui_expect_screen_contains "as of 2026-12-15"
	sed 's/\x1b\[[0-9;?>]*[A-Za-z@]//g; s/\x1b[()][0-9A-Za-z]//g; s/\x1b[=>78]//g' \
		"$TUI_DIR/sent" | tr -d '\000-\011\013-\037' >"$TUI_DIR/sent.txt"
	grep -q "computing the figures as of 2026-12-15" "$TUI_DIR/sent.txt" &&
		grep -Eq '2026-12-15[.]*: [0-9]{1,2}%' "$TUI_DIR/sent.txt" && grep -q '100%' "$TUI_DIR/sent.txt" ||
		tui_fail "no count of the figures before the first screen: $(head -c 600 "$TUI_DIR/sent.txt")"
	tui_keys q
	status=$(tui_wait_exit 10)
	[ "$status" = 0 ] || tui_fail "qpc ended with status $status"
	unset DB
}

test_too_small_says_so_and_recovers() {
	qpc_start 20 6 xterm
	tui_wait_for "Too small"
	tui_expect_screen_contains "20x6"
	tui_keys j j
	tui_resize 80 24
	tui_wait_for "sorted by untapped"
	tui_expect_not_contains "Too small"
	tui_resize 31 24
	tui_wait_for "Too small"
	tui_resize 32 8
	tui_wait_for "Accounts"
	tui_keys q
	[ "$(tui_wait_exit)" = 0 ] || tui_fail "q did not quit"
}

test_too_small_still_quits() {
	qpc_start_checked 20 6 linux
	tui_wait_for "Too small"
	tui_keys q
	tui_expect_restored 0
}

test_colour_only_where_wanted() {
	esc=$(printf '\033')
	qpc_start 80 24 xterm
	tui_screen_attrs | grep -q "$esc\\[[34][0-7]m\|$esc\\[[0-9;]*;[34][0-7]m" ||
		tui_fail "no colour on a colour terminal (the check below would prove nothing)"
	NO_COLOR=1
	export NO_COLOR
	qpc_start 80 24 xterm
	unset NO_COLOR
	if tui_screen_attrs | grep -q "$esc\\[[34][0-7]m\|$esc\\[[0-9;]*;[34][0-7]m\|$esc\\[[34]8;"; then
		tui_fail "colour despite NO_COLOR"
	fi
	tui_screen_attrs | grep -q "$esc\\[[0-9;]*7m" || tui_fail "no reverse video for the cursor"
	qpc_start 80 24 vt100
	if tui_screen_attrs | grep -q "$esc\\[[34][0-7]m"; then
		tui_fail "colour on a vt100"
	fi
	tui_expect_screen_contains "partner" "sorted by untapped"
}

tui_main "$@"
