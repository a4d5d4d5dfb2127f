# qpc_lib.sh — what the qpc dashboard tests share: a demo database made
# once per file, and qpc started on it with its pid recorded.  Sourced by
# tests/tui/test_qpc_*.sh after lib.sh's variables are set.
. "$(dirname "$0")/lib.sh"

tui_need_qpc
QPC_NOW=2026-11-27T09:00:00Z
QPC_USER=tester
export QPC_NOW QPC_USER
unset QPC_DB NO_COLOR XDG_DATA_HOME
# no one's own key bindings: an empty folder of config files
XDG_CONFIG_HOME=$TUI_DIR/config
export XDG_CONFIG_HOME

DEMO=$TUI_DIR/demo.db
if ! "$QPC" --db "$DEMO" init --demo --accounts 400 >"$TUI_DIR/init.out" 2>&1; then
	cat "$TUI_DIR/init.out" >&2
	tui_fail "cannot create the demo database"
fi
DEMO_ACCOUNTS=400

# qpc_sql SQL: one value from the demo database, as sqlite3 prints it.
qpc_sql() {
	sqlite3 -cmd ".timeout 10000" "$DEMO" "$1"
}

# qpc_start COLS ROWS TERM [QPC ARGS...]: qpc on the demo (or $DB) in a
# tmux window; its pid goes to $TUI_DIR/pid.  Waits for the first screen.
qpc_start() {
	_c=$1 _r=$2 _t=$3
	shift 3
	tui_start "$_c" "$_r" "$_t" sh -c 'echo $$ >"$0"; exec "$@"' "$TUI_DIR/pid" \
		"$QPC" --db "${DB:-$DEMO}" "$@"
	qpc_wait_ready
}

# qpc_start_checked COLS ROWS TERM [QPC ARGS...]: the same under
# tui_start_checked, for tui_expect_restored.
qpc_start_checked() {
	_c=$1 _r=$2 _t=$3
	shift 3
	tui_start_checked "$_c" "$_r" "$_t" sh -c 'echo $$ >"$0"; exec "$@"' "$TUI_DIR/pid" \
		"$QPC" --db "${DB:-$DEMO}" "$@"
	qpc_wait_ready
}

# qpc_wait_ready: the first screen is up (or the too-small notice).
qpc_wait_ready() {
	_tries=$((TUI_TIMEOUT * 20))
	while ! tui_screen | grep -q -e 'help' -e 'Too small'; do
		[ "$_tries" -gt 0 ] || tui_fail "qpc did not show its first screen"
		_tries=$((_tries - 1))
		sleep 0.05
	done
}

qpc_pid() {
	cat "$TUI_DIR/pid"
}

# qpc_status_bar: the status bar (second row from the bottom).
qpc_status_bar() {
	tui_line $((TUI_ROWS - 1))
}

# qpc_expect_status TEXT: the status bar shows TEXT (waits for it).
qpc_expect_status() {
	_tries=$((TUI_TIMEOUT * 20))
	while ! qpc_status_bar | grep -F -q -e "$1"; do
		[ "$_tries" -gt 0 ] || tui_fail "status bar is '$(qpc_status_bar)', expected: $1"
		_tries=$((_tries - 1))
		sleep 0.05
	done
}

# qpc_row N: the text of data row N (from 1) of the accounts table.
qpc_row() {
	tui_line $((N_HEAD + $1))
}
N_HEAD=3 # tab bar, header, column headings

# A copy of the database and of qpc that another user may read but not
# write, and how to run qpc as that user (root writes anyway).
read_only_db() {
	ro=$TUI_DIR/ro
	mkdir -p "$ro"
	cp "$DEMO" "$ro/ro.db"
	cp "$QPC" "$ro/qpc"
	chmod 0755 "$TUI_DIR" "$ro"
	chmod 0444 "$ro/ro.db"
	chmod 0555 "$ro"
	DB=$ro/ro.db
	if [ "$(id -u)" = 0 ]; then
		RO_QPC="setpriv --reuid=65534 --regid=65534 --clear-groups $ro/qpc"
	else
		RO_QPC=$ro/qpc
	fi
}
