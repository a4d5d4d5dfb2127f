# lib.sh — drive a real program in tmux and read its screen.  POSIX sh.
#
# A test file sources this, defines one shell function per case, named
# test_*, and ends with `tui_main "$@"`:
#
#	. "$(dirname "$0")/lib.sh"
#
#	test_quit_restores_terminal() {
#		tui_start_checked 80 24 xterm "$QPC" --db "$TUI_DIR/t.db"
#		tui_wait_for "Accounts"
#		tui_keys q
#		tui_expect_restored 0
#	}
#
#	tui_main "$@"
#
# Each case runs in a subshell under `set -e`, against its own tmux server
# on a private socket in a temporary directory, which is killed after the
# case whatever happens (and on exit, through a trap).  The runner prints
# `ok N - name` or `not ok N - name` followed by the case's output and the
# screen as `# ` lines (a skipped case: `ok N - name # SKIP reason`), then
# the single line `N passed, N failed[, N skipped]`, and exits non-zero
# when anything failed.  `sh test_x.sh test_a test_b` runs only
# those cases.
#
# Waiting is polling: tui_wait_for re-reads the screen every 50 ms until the
# text appears or TUI_TIMEOUT seconds (default 5) pass.  No fixed sleeps.
#
# The program sees the environment of the test (export QPC_DB etc. before
# tui_start), TERM set to the terminal asked for, LC_ALL=$TUI_LOCALE
# (default C.UTF-8) and ESCDELAY=$ESCDELAY (default 25 ms, so that a lone
# Escape is seen quickly).  To give one command extra variables, start it
# through env(1): tui_start 80 24 xterm env QPC_DB=x "$QPC".
#
# Variables for tests: TUI_DIR (a private scratch directory, removed at
# exit), QPC (the binary under test, from the environment), TUI_TERMS (the
# terminal types the harness supports), TUI_COLS, TUI_ROWS, TUI_TERM (of
# the running session).  Names starting with tui_ or _tui are the library's.

TUI_TIMEOUT=${TUI_TIMEOUT:-5}
TUI_LOCALE=${TUI_LOCALE:-C.UTF-8}
TUI_TERMS=${TUI_TERMS:-"xterm screen tmux-256color linux vt100"}
ESCDELAY=${ESCDELAY:-25}
TUI_TARGET=qpc-test

TUI_DIR=$(mktemp -d "${TMPDIR:-/tmp}/qpc-tui.XXXXXX") || {
	echo "lib.sh: cannot make a temporary directory" >&2
	exit 1
}
TUI_SOCK=$TUI_DIR/tmux.sock
TUI_COLS= TUI_ROWS= TUI_TERM=

# A sanitizer's report (an ASan or UBSan build) goes to a file of its own,
# which fails the case that was running whatever its checks saw: on the
# pane it could scroll away, or come from a process the case never asked.
ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$TUI_DIR/sanitizer
UBSAN_OPTIONS=${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}log_path=$TUI_DIR/sanitizer
export ASAN_OPTIONS UBSAN_OPTIONS

# Polling interval: 50 ms where sleep(1) takes fractions, else 1 s.
if sleep 0.01 2>/dev/null; then
	_tui_nap=0.05 _tui_per_sec=20
else
	_tui_nap=1 _tui_per_sec=1
fi

_tui_cleanup() {
	tui_stop
	# a pane's process may still be writing its status file as the server
	# goes: try again briefly rather than print "Directory not empty"
	for _tui_try in 1 2 3 4 5; do
		rm -rf "$TUI_DIR" 2>/dev/null && break
		sleep 0.1
	done
	rm -rf "$TUI_DIR"
}
trap _tui_cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

# --- the tmux session ------------------------------------------------------

# tui_tmux ARGS...: runs a tmux command against the test server.
tui_tmux() {
	tmux -u -S "$TUI_SOCK" "$@"
}

# _tui_quote ARGS...: prints the arguments as one sh command line.
_tui_quote() {
	_tui_q=
	for _tui_a in "$@"; do
		_tui_a=$(printf '%s_' "$_tui_a" | sed "s/'/'\\\\''/g")
		_tui_q="$_tui_q '${_tui_a%_}'"
	done
	printf '%s' "${_tui_q# }"
}

# tui_start COLS ROWS TERM CMD [ARGS...]: starts CMD in a detached tmux
# session of that size whose terminal type is TERM.  Replaces any session
# this test had.
#
# CMD runs under a small sh that, when CMD exits, records its status (for
# tui_wait_exit) and keeps the pane open, so the screen stays exactly as
# CMD left it, modes included.  (Left to itself tmux 3.3 sometimes never
# reaps a pane's process, and then never reports its status.)  That sh
# catches SIGINT and SIGQUIT, so C-c reaches CMD alone, with the default
# action; CMD's own signal dispositions are untouched.
tui_start() {
	if [ $# -lt 4 ]; then
		tui_fail "usage: tui_start COLS ROWS TERM CMD [ARGS...]"
	fi
	case $1$2 in
	*[!0-9]* | '') tui_fail "tui_start: bad size '$1' x '$2'" ;;
	esac
	case $3 in
	'' | *[!A-Za-z0-9._+-]*) tui_fail "tui_start: bad terminal type '$3'" ;;
	esac
	if ! command -v tmux >/dev/null 2>&1; then
		tui_fail "tmux is not installed (Debian package: tmux)"
	fi
	if ! infocmp "$3" >/dev/null 2>&1; then
		tui_fail "no terminfo entry for '$3' (most live in Debian's ncurses-base, the rest in ncurses-term)"
	fi
	tui_stop
	TUI_COLS=$1 TUI_ROWS=$2 TUI_TERM=$3
	shift 3
	cat >"$TUI_DIR/tmux.conf" <<EOF
set -g default-terminal "$TUI_TERM"
set -g default-shell /bin/sh
set -g default-size ${TUI_COLS}x${TUI_ROWS}
set -g status off
set -g remain-on-exit on
set -gq remain-on-exit-format ""
set -g exit-empty on
set -g escape-time 0
set -g assume-paste-time 0
set -g focus-events off
EOF
	echo "$TUI_TERM" >"$TUI_DIR/term"
	rm -f "$TUI_DIR/exit"
	_tui_wrap="trap : INT QUIT; \"\$@\"; echo \"\$?\" >$(_tui_quote "$TUI_DIR/exit")
while :; do sleep 3600; done"
	# The server copies this environment into every pane.
	if ! (
		unset TMUX TMUX_PANE
		LC_ALL=$TUI_LOCALE ESCDELAY=$ESCDELAY exec tmux -u -S "$TUI_SOCK" \
			-f "$TUI_DIR/tmux.conf" new-session -d -s "$TUI_TARGET" \
			-x "$TUI_COLS" -y "$TUI_ROWS" \
			"$(_tui_quote sh -c "$_tui_wrap" tui "$@")" </dev/null
	); then
		tui_fail "tmux could not start: $*"
	fi
}

# tui_start_checked COLS ROWS TERM CMD [ARGS...]: like tui_start, but runs
# CMD as in `sh -c 'CMD; echo EXITED:$?'`, for tui_expect_restored: marks
# the screen with TUI-BEFORE first, and when CMD returns, prints
# `EXITED:<status> TTY:same` (TTY:changed when CMD left the tty modes
# changed) and exits with CMD's status.
tui_start_checked() {
	if [ $# -lt 4 ]; then
		tui_fail "usage: tui_start_checked COLS ROWS TERM CMD [ARGS...]"
	fi
	_tui_c=$1 _tui_r=$2 _tui_t=$3
	shift 3
	tui_start "$_tui_c" "$_tui_r" "$_tui_t" sh -c '
		trap : INT QUIT
		printf "%s\n" TUI-BEFORE
		tui_tty=$(stty -g)
		"$@"
		tui_status=$?
		if [ "$(stty -g)" = "$tui_tty" ]; then tui_tty=same; else tui_tty=changed; fi
		printf "EXITED:%s TTY:%s\n" "$tui_status" "$tui_tty"
		exit "$tui_status"' tui-checked "$@"
}

# tui_stop: kills the test's tmux server, if any.  Always safe to call.
tui_stop() {
	if [ -S "$TUI_SOCK" ]; then
		tmux -S "$TUI_SOCK" kill-server >/dev/null 2>&1 || :
		rm -f "$TUI_SOCK"
	fi
}

# tui_resize COLS ROWS: resizes the window; the program gets SIGWINCH.
tui_resize() {
	tui_tmux resize-window -t "$TUI_TARGET" -x "$1" -y "$2" ||
		tui_fail "tui_resize $1 $2 failed"
	TUI_COLS=$1 TUI_ROWS=$2
	_tui_size=$(tui_size)
	if [ "$_tui_size" != "${1}x$2" ]; then
		tui_fail "tui_resize: window is $_tui_size, not ${1}x$2"
	fi
}

# --- input -----------------------------------------------------------------

# tui_keys KEYS...: sends keys.  Each argument is a tmux key name (Enter,
# Escape, Tab, BSpace, Up, Down, Left, Right, Home, End, PageUp, PageDown,
# F1..F12, C-x, M-x, Space) or else literal text: tui_keys j j Enter "/acme".
tui_keys() {
	tui_tmux send-keys -t "$TUI_TARGET" "$@" || tui_fail "tui_keys failed: $*"
}

# tui_type TEXT...: sends TEXT literally, even a word like "Enter".
tui_type() {
	tui_tmux send-keys -t "$TUI_TARGET" -l "$@" || tui_fail "tui_type failed: $*"
}

# --- reading the screen ----------------------------------------------------

# tui_screen: prints the visible screen, one line per row, trailing spaces
# trimmed (wide characters appear once).
tui_screen() {
	tui_tmux capture-pane -p -t "$TUI_TARGET"
}

# tui_screen_attrs: the same with attributes as escape sequences.
tui_screen_attrs() {
	tui_tmux capture-pane -p -e -t "$TUI_TARGET"
}

# tui_line N: prints row N of the screen, counted from 1.
tui_line() {
	tui_screen | sed -n "${1}p"
}

# tui_size: prints the window size as COLSxROWS.
tui_size() {
	tui_tmux display-message -p -t "$TUI_TARGET" '#{window_width}x#{window_height}'
}

# tui_cursor: prints the cursor position as "X Y", from 0.
tui_cursor() {
	tui_tmux display-message -p -t "$TUI_TARGET" '#{cursor_x} #{cursor_y}'
}

# tui_format FORMAT: prints a tmux format of the pane (#{alternate_on} ...).
tui_format() {
	tui_tmux display-message -p -t "$TUI_TARGET" "$1"
}

# tui_dump_screen [TITLE]: writes the screen, framed, to stderr.
tui_dump_screen() {
	{
		if tui_tmux has-session -t "$TUI_TARGET" 2>/dev/null; then
			printf '%s (%s, TERM=%s):\n' "${1:-screen}" "$(tui_size)" \
				"$(cat "$TUI_DIR/term" 2>/dev/null)"
			tui_screen | sed 's/^/|/; s/$/|/'
		else
			echo "(no tmux session)"
		fi
	} >&2
}

# --- waiting and asserting -------------------------------------------------

# tui_fail MESSAGE: fails the current test case, with the screen.  Exits
# with status 97, which tells the runner the screen is already shown.
tui_fail() {
	printf 'FAIL: %s\n' "$*" >&2
	if [ -S "$TUI_SOCK" ]; then
		tui_dump_screen
	fi
	exit 97
}

# tui_skip REASON: ends the current test case as skipped, saying why (a
# case that cannot apply where the suite runs, as a file's permissions on
# a team server).  Exits with status 96.
tui_skip() {
	printf '%s\n' "$*" >"$TUI_DIR/skip"
	exit 96
}

_tui_has() {
	_tui_s=$(tui_screen) || return 1
	case $_tui_s in *"$1"*) return 0 ;; esac
	return 1
}

# The program's exit status (128 + N when killed by signal N), or nothing
# while it runs; "unknown" if the wrapper of tui_start was itself killed.
_tui_status() {
	if [ -s "$TUI_DIR/exit" ]; then
		cat "$TUI_DIR/exit"
	elif [ "$(tui_format '#{pane_dead}' 2>/dev/null)" = 1 ]; then
		echo unknown
	fi
}

_tui_dead() {
	[ -n "$(_tui_status)" ]
}

# tui_wait_for TEXT [TIMEOUT]: waits until TEXT is on the screen; fails
# after TIMEOUT seconds (default TUI_TIMEOUT), or as soon as the program
# has exited without showing it.
tui_wait_for() {
	_tui_tries=$((${2:-$TUI_TIMEOUT} * _tui_per_sec))
	# (whether it has exited is asked every tenth look: each question is
	# a process, and the polls of four suites at once were a core's work)
	while ! _tui_has "$1"; do
		if [ $((_tui_tries % 10)) = 0 ] && _tui_dead; then
			# the last output may reach the pane a moment after the
			# exit, and a loaded tmux may miss one capture: look again
			for _tui_again in 1 2 3 4 5 6 7 8 9 10; do
				_tui_has "$1" && return 0
				sleep 0.1
			done
			tui_fail "the program exited (status $(_tui_status)) without showing: $1"
		fi
		if [ "$_tui_tries" -le 0 ]; then
			tui_fail "timed out after ${2:-$TUI_TIMEOUT}s waiting for: $1"
		fi
		_tui_tries=$((_tui_tries - 1))
		sleep "$_tui_nap"
	done
}

# tui_wait_line N PATTERN...: waits until row N (from 1) matches one of
# the shell patterns (as in case, a pattern each: "*partner*", "Acme*");
# fails after TUI_TIMEOUT seconds with the row and the screen.  A key's
# effect on a row is seen only once the program has drawn it: read a
# row this way after keys, never straight away.
tui_wait_line() {
	_tui_n=$1
	shift
	_tui_tries=$((TUI_TIMEOUT * _tui_per_sec))
	while :; do
		_tui_l=$(tui_line "$_tui_n")
		for _tui_p in "$@"; do
			case $_tui_l in $_tui_p) return 0 ;; esac
		done
		if [ "$_tui_tries" -le 0 ]; then
			tui_fail "timed out after ${TUI_TIMEOUT}s waiting for line $_tui_n to match '$*'; it is '$_tui_l'"
		fi
		_tui_tries=$((_tui_tries - 1))
		sleep "$_tui_nap"
	done
}

# tui_wait_gone TEXT [TIMEOUT]: waits until TEXT is no longer on the screen.
tui_wait_gone() {
	_tui_tries=$((${2:-$TUI_TIMEOUT} * _tui_per_sec))
	while _tui_has "$1"; do
		if [ "$_tui_tries" -le 0 ]; then
			tui_fail "timed out after ${2:-$TUI_TIMEOUT}s waiting for this to go: $1"
		fi
		_tui_tries=$((_tui_tries - 1))
		sleep "$_tui_nap"
	done
}

# tui_wait_exit [TIMEOUT]: waits for the program to exit; prints its exit
# status (128 + N when killed by signal N).
tui_wait_exit() {
	_tui_tries=$((${1:-$TUI_TIMEOUT} * _tui_per_sec))
	while ! _tui_dead; do
		if [ "$_tui_tries" -le 0 ]; then
			tui_fail "timed out after ${1:-$TUI_TIMEOUT}s waiting for the program to exit"
		fi
		_tui_tries=$((_tui_tries - 1))
		sleep "$_tui_nap"
	done
	_tui_status
}

# tui_expect_screen_contains TEXT...: each TEXT is on the screen now.
tui_expect_screen_contains() {
	for _tui_x in "$@"; do
		_tui_has "$_tui_x" || tui_fail "screen does not contain: $_tui_x"
	done
}

# tui_expect_not_contains TEXT...: no TEXT is on the screen now.
tui_expect_not_contains() {
	for _tui_x in "$@"; do
		if _tui_has "$_tui_x"; then
			tui_fail "screen contains: $_tui_x"
		fi
	done
}

# tui_expect_line N TEXT: row N (from 1) is exactly TEXT, trailing spaces
# aside.
tui_expect_line() {
	_tui_l=$(tui_line "$1")
	if [ "$_tui_l" != "$2" ]; then
		tui_fail "line $1 is '$_tui_l', expected '$2'"
	fi
}

# tui_expect_screen [TIMEOUT] <<EOF: the whole screen becomes exactly the
# text on standard input (trailing spaces and trailing empty rows aside)
# within TIMEOUT seconds; fails with a diff.
tui_expect_screen() {
	_tui_strip='s/[[:space:]]*$//'
	sed "$_tui_strip" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' >"$TUI_DIR/expected"
	_tui_tries=$((${1:-$TUI_TIMEOUT} * _tui_per_sec))
	while :; do
		tui_screen | sed "$_tui_strip" | sed -e :a -e '/^\n*$/{$d;N;ba' -e '}' >"$TUI_DIR/actual"
		cmp -s "$TUI_DIR/expected" "$TUI_DIR/actual" && return 0
		[ "$_tui_tries" -le 0 ] && break
		_tui_tries=$((_tui_tries - 1))
		sleep "$_tui_nap"
	done
	diff -u "$TUI_DIR/expected" "$TUI_DIR/actual" >&2 || :
	tui_fail "screen differs from the expected one (diff above: - expected, + actual)"
}

# tui_expect_restored [STATUS]: for a program started by tui_start_checked,
# waits for it to exit and checks that it exited with STATUS (default 0)
# and left the terminal as it found it: tty modes unchanged; alternate
# screen left; cursor visible; keypad, mouse, insert and origin modes off;
# autowrap on; no scroll region; attributes reset; the cursor at the start
# of a line; and, where TERM has an alternate screen, nothing but the
# wrapper's own two lines on the screen.
tui_expect_restored() {
	_tui_want="EXITED:${1:-0} TTY:same"
	tui_wait_for "EXITED:"
	_tui_got=$(tui_screen | grep -F 'EXITED:' | tail -n 1)
	if [ "$_tui_got" != "$_tui_want" ]; then
		tui_fail "after exit: '$_tui_got', expected '$_tui_want' at the start of a line"
	fi
	_tui_modes=$(tui_format 'alternate_on=#{alternate_on} cursor=#{cursor_flag} keypad=#{keypad_flag} keypad_cursor=#{keypad_cursor_flag} mouse=#{mouse_any_flag}#{mouse_standard_flag}#{mouse_button_flag}#{mouse_all_flag}#{mouse_sgr_flag}#{mouse_utf8_flag} insert=#{insert_flag} origin=#{origin_flag} wrap=#{wrap_flag} region=#{scroll_region_upper}-#{scroll_region_lower}')
	_tui_want_modes="alternate_on=0 cursor=1 keypad=0 keypad_cursor=0 mouse=000000 insert=0 origin=0 wrap=1 region=0-$(($(tui_format '#{pane_height}') - 1))"
	if [ "$_tui_modes" != "$_tui_want_modes" ]; then
		tui_fail "terminal modes not restored: $_tui_modes (expected $_tui_want_modes)"
	fi
	# Attributes in force when the wrapper printed: only resets may come
	# before the text (tmux writes them after a line that ended in colour).
	_tui_esc=$(printf '\033')
	_tui_attr=$(tui_screen_attrs | grep -F 'EXITED:' | tail -n 1 |
		sed "s/EXITED:.*//; s/$_tui_esc\\[0*m//g; s/$_tui_esc\\[[345]9m//g")
	if [ -n "$_tui_attr" ]; then
		tui_fail "attributes not reset after exit: $(printf '%s' "$_tui_attr" | od -An -c | tr -s ' ')"
	fi
	if infocmp -1 "$(cat "$TUI_DIR/term")" 2>/dev/null | grep -q 'smcup='; then
		_tui_rest=$(tui_screen | grep -v '^$')
		if [ "$_tui_rest" != "$(printf 'TUI-BEFORE\n%s' "$_tui_want")" ]; then
			tui_fail "leftovers on the screen after exit"
		fi
	fi
}

# tui_need_qpc: fails unless $QPC names an executable.
tui_need_qpc() {
	if [ -z "${QPC:-}" ] || [ ! -x "$QPC" ]; then
		tui_fail "QPC must name the qpc binary (QPC=/abs/path/to/qpc sh tests/tui/run.sh)"
	fi
}

# --- the runner ------------------------------------------------------------

# tui_main [CASE...]: runs the named cases, or every test_* function defined
# at the start of a line in this file, and reports.  Under run.sh
# (TUI_FIRST, TUI_SUMMARY_FILE set) numbering continues from TUI_FIRST and
# the counts go to that file instead of the summary line.
tui_main() {
	if [ $# -eq 0 ]; then
		# shellcheck disable=SC2046
		set -- $(sed -n 's/^\(test_[A-Za-z0-9_]*\)[[:space:]]*().*/\1/p' "$0")
	fi
	_tui_n=${TUI_FIRST:-1}
	_tui_pass=0 _tui_fail=0 _tui_skipped=0
	for _tui_case in "$@"; do
		rm -f "$TUI_DIR/skip"
		(
			set -e
			"$_tui_case"
		) >"$TUI_DIR/case.out" 2>&1
		_tui_rc=$?
		if [ "$_tui_rc" -eq 96 ] && [ -f "$TUI_DIR/skip" ]; then
			echo "ok $_tui_n - $_tui_case # SKIP $(cat "$TUI_DIR/skip")"
			_tui_skipped=$((_tui_skipped + 1))
			tui_stop
			_tui_n=$((_tui_n + 1))
			continue
		fi
		# (one written as the previous case's program was killed, after
		# that case was over, is counted here)
		for _tui_log in "$TUI_DIR"/sanitizer.*; do
			[ -f "$_tui_log" ] || continue
			{
				echo "FAIL: a sanitizer's report ($_tui_log):"
				head -n 40 "$_tui_log"
			} >>"$TUI_DIR/case.out"
			rm -f "$_tui_log"
			[ "$_tui_rc" -ne 0 ] || _tui_rc=98
		done
		if [ "$_tui_rc" -eq 0 ]; then
			echo "ok $_tui_n - $_tui_case"
			_tui_pass=$((_tui_pass + 1))
		else
			echo "not ok $_tui_n - $_tui_case"
			if [ "$_tui_rc" -ne 97 ] && [ -S "$TUI_SOCK" ]; then
				echo "FAIL: exit status $_tui_rc" >>"$TUI_DIR/case.out"
				tui_dump_screen 2>>"$TUI_DIR/case.out"
			fi
			sed 's/^/# /' "$TUI_DIR/case.out"
			_tui_fail=$((_tui_fail + 1))
		fi
		tui_stop
		_tui_n=$((_tui_n + 1))
	done
	if [ -n "${TUI_SUMMARY_FILE:-}" ]; then
		echo "$_tui_pass $_tui_fail $_tui_skipped" >"$TUI_SUMMARY_FILE"
	elif [ "$_tui_skipped" -gt 0 ]; then
		echo "$_tui_pass passed, $_tui_fail failed, $_tui_skipped skipped"
	else
		echo "$_tui_pass passed, $_tui_fail failed"
	fi
	[ "$_tui_fail" -eq 0 ]
}
