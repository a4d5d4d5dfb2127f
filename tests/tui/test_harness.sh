#!/bin/sh
# test_harness.sh — the TUI test library itself, driven against plain shell
# commands in every supported terminal type.  No qpc needed.
. "$(dirname "$0")/lib.sh"

HELLO='printf "hello\n"; read x; echo "got $x"'

test_hello_every_term() {
	for t in $TUI_TERMS; do
		tui_start 80 24 "$t" sh -c "$HELLO"
		tui_wait_for "hello"
		tui_expect_not_contains "got"
		tui_type "world"
		tui_keys Enter
		tui_wait_for "got world"
		tui_expect_line 1 "hello"
		tui_expect_line 3 "got world"
	done
}

test_term_and_size_reach_the_program() {
	for t in $TUI_TERMS; do
		tui_start 72 20 "$t" sh -c 'echo "TERM=$TERM"; echo "size=$(stty size)"; echo "tput=$(tput cols)x$(tput lines)"; read x'
		tui_wait_for "tput="
		tui_expect_screen_contains "TERM=$t" "size=20 72" "tput=72x20"
		[ "$(tui_size)" = 72x20 ] || tui_fail "size is $(tui_size)"
	done
}

test_environment_and_arguments_pass_through() {
	QPC_DB="$TUI_DIR/with space.db"
	export QPC_DB
	tui_start 80 24 xterm sh -c 'printf "[%s]\n" "$@"; echo "db=$QPC_DB"; echo "esc=$ESCDELAY"; echo "lc=$LC_ALL"; read x' \
		sh "a b" "it's" '#{pane_id}' '$HOME' 'x;' ''
	tui_wait_for "lc="
	tui_expect_screen <<EOF
[a b]
[it's]
[#{pane_id}]
[\$HOME]
[x;]
[]
db=$TUI_DIR/with space.db
esc=25
lc=C.UTF-8
EOF
}

test_named_and_literal_keys() {
	tui_start 80 24 xterm sh -c 'stty raw -echo; echo ready; k=$(dd bs=1 count=9 2>/dev/null | od -An -tx1); stty sane; echo "keys:" $k; read x; echo "typed [$x]"; read x'
	tui_wait_for ready
	tui_keys Escape Up C-c Enter BSpace Tab a
	tui_wait_for "keys:"
	tui_expect_screen_contains "keys: 1b 1b 5b 41 03 0d 7f 09 61"
	tui_type "Enter C-c Up"
	tui_keys Enter
	tui_wait_for "typed [Enter C-c Up]"
}

test_utf8_and_wide_characters() {
	tui_start 20 5 xterm sh -c 'printf "caf\303\251|\344\270\255\346\226\207|\360\237\230\200|\n"; read x'
	tui_wait_for "caf"
	tui_expect_line 1 "$(printf 'caf\303\251|\344\270\255\346\226\207|\360\237\230\200|')"
}

test_resize_reaches_the_program() {
	tui_start 80 24 xterm sh -c 'trap "echo \"winch \$(stty size)\"" WINCH; echo "start $(stty size)"; while :; do sleep 0.05; done'
	tui_wait_for "start 24 80"
	tui_resize 100 30
	tui_wait_for "winch 30 100"
	tui_resize 20 5
	tui_wait_for "winch 5 20"
	[ "$(tui_size)" = 20x5 ] || tui_fail "size is $(tui_size)"
}

test_wait_for_fails_with_a_screen_dump() {
	tui_start 80 24 xterm sh -c "$HELLO"
	tui_wait_for "hello"
	if (TUI_TIMEOUT=1 tui_wait_for "never shown") 2>"$TUI_DIR/err"; then
		tui_fail "tui_wait_for did not fail"
	fi
	grep -q "timed out after 1s waiting for: never shown" "$TUI_DIR/err" || tui_fail "no message: $(cat "$TUI_DIR/err")"
	grep -q "^|hello|$" "$TUI_DIR/err" || tui_fail "no screen dump: $(cat "$TUI_DIR/err")"
	tui_wait_for "hello" 0
}

# A row is read once it is drawn: the wait sees a row change after a
# delay, and a row that never matches fails with what it is.
test_wait_line_waits_for_the_row() {
	tui_start 80 24 xterm sh -c "echo one; echo two
		until [ -e '$TUI_DIR/go' ]; do sleep 0.05; done
		printf '\\033[2;1Hthree\\033[K\\n'; sleep 30"
	tui_wait_line 2 two
	(sleep 0.5 && : >"$TUI_DIR/go") &
	tui_wait_line 2 "th*"
	wait
	tui_wait_line 1 nothing "o*" # any of the patterns
	if (TUI_TIMEOUT=1 tui_wait_line 2 "two") 2>"$TUI_DIR/err"; then
		tui_fail "tui_wait_line did not fail"
	fi
	grep -q "waiting for line 2 to match 'two'; it is 'three'" "$TUI_DIR/err" || tui_fail "no message: $(cat "$TUI_DIR/err")"
	grep -q "^|three|$" "$TUI_DIR/err" || tui_fail "no screen dump: $(cat "$TUI_DIR/err")"
}

test_wait_for_stops_when_the_program_exits() {
	tui_start 80 24 xterm sh -c 'echo bye; exit 7'
	[ "$(tui_wait_exit)" = 7 ] || tui_fail "wrong exit status"
	if (TUI_TIMEOUT=30 tui_wait_for "never shown") 2>"$TUI_DIR/err"; then
		tui_fail "tui_wait_for did not fail"
	fi
	grep -q "exited (status 7) without showing: never shown" "$TUI_DIR/err" || tui_fail "$(cat "$TUI_DIR/err")"
	tui_wait_for bye
}

test_ctrl_c_reaches_the_program_alone() {
	tui_start 80 24 xterm sh -c 'echo ready; sleep 30'
	tui_wait_for ready
	tui_keys C-c
	[ "$(tui_wait_exit)" = 130 ] || tui_fail "status $(tui_wait_exit), not 130"
	tui_start 80 24 xterm sh -c 'trap "echo caught; exit 5" INT; echo ready; while :; do sleep 0.05; done'
	tui_wait_for ready
	tui_keys C-c
	tui_wait_for caught
	[ "$(tui_wait_exit)" = 5 ] || tui_fail "status $(tui_wait_exit), not 5"
}

test_expectations_fail_when_wrong() {
	tui_start 80 24 xterm sh -c "$HELLO"
	tui_wait_for "hello"
	tui_expect_screen_contains "hello" "hell"
	tui_expect_not_contains "goodbye"
	if (tui_expect_screen_contains "goodbye") 2>/dev/null; then tui_fail "contains"; fi
	if (tui_expect_not_contains "hello") 2>/dev/null; then tui_fail "not contains"; fi
	if (tui_expect_line 1 "hell") 2>/dev/null; then tui_fail "line"; fi
	if (tui_expect_screen 0 <<EOF
hello!
EOF
	) 2>/dev/null; then tui_fail "screen"; fi
	tui_keys x Enter
	if (tui_wait_gone "hello" 1) 2>/dev/null; then tui_fail "wait_gone"; fi
	tui_wait_for "got x"
}

# A program that behaves as ncurses does: alternate screen, keypad, hidden
# cursor, colour, then everything undone and the cursor on the last line.
GOOD='tput smcup; tput smkx; tput civis; tput cup 3 3; tput bold; printf junk; tput sgr0
tput cup $(($(tput lines) - 1)) 0; tput rmkx; tput cnorm; tput rmcup; exit "${1:-0}"'

test_restored_after_a_clean_exit() {
	for t in $TUI_TERMS; do
		tui_start_checked 60 12 "$t" sh -c "$GOOD" good
		tui_expect_restored 0
		tui_start_checked 60 12 "$t" sh -c "$GOOD" good 3
		tui_expect_restored 3
	done
	tui_start_checked 60 12 xterm sh -c "$GOOD" good 3
	if (tui_expect_restored 0) 2>/dev/null; then tui_fail "wrong status accepted"; fi
}

# Each of these leaves the terminal damaged in one way the check must see.
expect_damage() {
	term=$1
	shift
	tui_start_checked 60 12 "$term" sh -c "$*"
	tui_wait_for "EXITED:"
	if (tui_expect_restored 0) 2>"$TUI_DIR/err"; then
		tui_fail "not caught on $term: $*"
	fi
	grep -q "^FAIL: " "$TUI_DIR/err" || tui_fail "no reason given for: $*"
}

test_restore_check_catches_damage() {
	expect_damage xterm 'tput smcup; printf "in alt screen\n"'
	expect_damage xterm 'tput civis'
	expect_damage vt100 'printf "\033[?25l"'
	expect_damage xterm 'tput smkx'
	expect_damage xterm 'printf "\033[?1000h\033[?1006h"'
	expect_damage xterm 'printf "\033[4h"'
	expect_damage xterm 'printf "\033[?7l"'
	expect_damage xterm 'printf "\033[2;5r"'
	expect_damage linux 'stty raw -echo'
	expect_damage vt100 'stty -icanon'
	expect_damage xterm 'tput bold'
	expect_damage linux 'tput setaf 1'
	expect_damage vt100 'printf "junk at the prompt"'
	expect_damage screen 'printf "curses garbage\n"'
	expect_damage tmux-256color 'printf "curses garbage\n"'
}

test_stop_kills_the_server() {
	tui_start 80 24 xterm sh -c "$HELLO"
	tui_wait_for "hello"
	pid=$(tui_format '#{pid}')
	kill -0 "$pid" || tui_fail "no server process $pid"
	tui_stop
	n=0
	# (a zombie counts as gone: PID 1 of a container may be slow to reap)
	while kill -0 "$pid" 2>/dev/null && [ "$(ps -o stat= -p "$pid" 2>/dev/null | cut -c1)" != Z ]; do
		[ "$n" -lt 100 ] || tui_fail "server $pid still alive"
		n=$((n + 1))
		sleep 0.05
	done
	if tui_tmux has-session 2>/dev/null; then tui_fail "session still there"; fi
	tui_stop
}

test_runner_reports_and_counts() {
	lib=$(cd "$(dirname "$0")" && pwd)/lib.sh
	# (indented with tabs, so that this file's own runner does not see them)
	cat >"$TUI_DIR/test_meta.sh" <<-EOF
	. "$lib"
	test_passes() { tui_start 40 5 xterm sh -c 'echo alpha; read x'; tui_wait_for alpha; }
	test_fails() { tui_start 40 5 xterm sh -c 'echo beta; read x'; tui_wait_for beta; (tui_expect_not_contains beta) 2>/dev/null || :; false; }
	test_fails_too() { tui_start 40 5 xterm sh -c 'echo gamma; read x'; TUI_TIMEOUT=0 tui_wait_for delta; }
	tui_main "\$@"
	EOF
	status=0
	(unset TUI_FIRST TUI_SUMMARY_FILE; sh "$TUI_DIR/test_meta.sh") >"$TUI_DIR/meta.out" 2>&1 || status=$?
	[ "$status" -ne 0 ] || tui_fail "runner exited 0 after failures"
	grep -qx "ok 1 - test_passes" "$TUI_DIR/meta.out" || tui_fail "$(cat "$TUI_DIR/meta.out")"
	grep -qx "not ok 2 - test_fails" "$TUI_DIR/meta.out" || tui_fail "$(cat "$TUI_DIR/meta.out")"
	grep -qx "# |beta|" "$TUI_DIR/meta.out" || tui_fail "no screen for a plain failure: $(cat "$TUI_DIR/meta.out")"
	grep -qx "not ok 3 - test_fails_too" "$TUI_DIR/meta.out" || tui_fail "$(cat "$TUI_DIR/meta.out")"
	[ "$(grep -c '^# |gamma|$' "$TUI_DIR/meta.out")" = 1 ] || tui_fail "screen dumped twice: $(cat "$TUI_DIR/meta.out")"
	[ "$(tail -n 1 "$TUI_DIR/meta.out")" = "1 passed, 2 failed" ] || tui_fail "$(cat "$TUI_DIR/meta.out")"
	(unset TUI_FIRST TUI_SUMMARY_FILE; sh "$TUI_DIR/test_meta.sh" test_passes) >"$TUI_DIR/meta.out" 2>&1 ||
		tui_fail "one passing case failed: $(cat "$TUI_DIR/meta.out")"
	[ "$(cat "$TUI_DIR/meta.out")" = "$(printf 'ok 1 - test_passes\n1 passed, 0 failed')" ] ||
		tui_fail "$(cat "$TUI_DIR/meta.out")"
}

# A report an ASan or UBSan build writes (ASAN_OPTIONS' log_path, set by
# lib.sh) fails the case whose own checks all passed, and is shown.
test_a_sanitizer_report_fails_the_case() {
	lib=$(cd "$(dirname "$0")" && pwd)/lib.sh
	cat >"$TUI_DIR/reporter.sh" <<-'EOF'
	case $ASAN_OPTIONS in
	*log_path=*)
		p=${ASAN_OPTIONS##*log_path=}
		echo "ERROR: AddressSanitizer: heap-buffer-overflow" >"${p%%:*}.$$"
		;;
	esac
	echo alpha
	read x
	EOF
	cat >"$TUI_DIR/test_meta.sh" <<-EOF
	. "$lib"
	test_reported() { tui_start 40 5 xterm sh "$TUI_DIR/reporter.sh"; tui_wait_for alpha; }
	test_clean() { tui_start 40 5 xterm sh -c 'echo beta; read x'; tui_wait_for beta; }
	tui_main "\$@"
	EOF
	status=0
	(unset TUI_FIRST TUI_SUMMARY_FILE; sh "$TUI_DIR/test_meta.sh") >"$TUI_DIR/meta.out" 2>&1 || status=$?
	[ "$status" -ne 0 ] || tui_fail "runner exited 0 after a report: $(cat "$TUI_DIR/meta.out")"
	grep -qx "not ok 1 - test_reported" "$TUI_DIR/meta.out" || tui_fail "$(cat "$TUI_DIR/meta.out")"
	grep -q "^# ERROR: AddressSanitizer: heap-buffer-overflow" "$TUI_DIR/meta.out" ||
		tui_fail "the report is not shown: $(cat "$TUI_DIR/meta.out")"
	grep -qx "ok 2 - test_clean" "$TUI_DIR/meta.out" || tui_fail "$(cat "$TUI_DIR/meta.out")"
}

tui_main "$@"
