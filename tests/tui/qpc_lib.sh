# qpc_lib.sh — what the qpc dashboard tests share: a demo database made
# once per file, and qpc started on it with its pid recorded.  Sourced by
# tests/tui/test_qpc_*.sh after lib.sh's variables are set.
#
# Under tests/tui/server.sh (QPC_TEST_SERVER set) the same tests run on a
# team server: each database path a test names ($DEMO, $DB) is a database
# of its own on a throwaway cluster (tests/check.sh's helpers), made by
# the same commands, and qpc opens its address as the login $QPC_USER
# (--user NAME: the login NAME).  The figures the tests expect are read
# from $REF, a file made by the same commands, since a server keeps the
# facts alone and computes the figures as it shows them (fig_sql).
. "$(dirname "$0")/lib.sh"

tui_need_qpc
QPC_NOW=2026-11-27T09:00:00Z
QPC_USER=tester
export QPC_NOW QPC_USER
unset QPC_DB NO_COLOR XDG_DATA_HOME
# no one's own key bindings: an empty folder of config files
XDG_CONFIG_HOME=$TUI_DIR/config
export XDG_CONFIG_HOME
if [ -n "${QPC_TEST_SERVER:-}" ]; then
	T=$TUI_DIR
	. "$(dirname "$0")/../check.sh"
else
	on_file() { :; }
	qpc() { "$QPC" "$@"; }
	db_arg() { printf '%s' "$1"; }
	dbcp() { cp "$1" "$2"; }
fi

# file_only REASON: the case is about a SQLite file; skipped on a server.
file_only() {
	on_file || tui_skip "on a file only: $*"
}

DEMO=$TUI_DIR/demo.db
DEMO_ACCOUNTS=400
REF=$DEMO
if [ -n "${QPC_TUI_TEMPLATE:-}" ] && ! on_file; then
	# tests/tui/server.sh made the demo once: a copy of it, owned by
	# tester, its first admin, as check.sh's server_db would make it
	_name=$(server_name "$DEMO")
	mkdir -p "$T/.server"
	server_psql postgres -c "CREATE DATABASE $_name TEMPLATE $QPC_TUI_TEMPLATE OWNER tester" \
		>/dev/null || tui_fail "cannot copy the demo database"
	echo tester >"$T/.server/$_name"
	: >"$T/.server/$_name.inited"
	: >"$T/.server/login.tester"
	: >"$DEMO"
elif ! qpc --db "$DEMO" init --demo --accounts "$DEMO_ACCOUNTS" >"$TUI_DIR/init.out" 2>&1; then
	cat "$TUI_DIR/init.out" >&2
	tui_fail "cannot create the demo database"
fi
if ! on_file; then
	REF=$TUI_DIR/ref.db
	if [ -n "${QPC_TUI_REF:-}" ]; then
		cp "$QPC_TUI_REF" "$REF"
	else
		"$QPC" --db "$REF" init --demo --accounts "$DEMO_ACCOUNTS" >/dev/null 2>&1 ||
			tui_fail "cannot create the demo's file for the figures expected"
	fi
fi

# db_sql PATH SQL: one value from the database PATH names (a file as
# sqlite3 prints it; on a server, as psql -A -t does: the SQL must read
# the same on both).
db_sql() {
	if on_file; then
		sqlite3 -cmd ".timeout 10000" "$1" "$2"
	else
		dbq "$1" "$2"
	fi
}

# db_exec PATH SQL: a change to the database PATH names, made behind
# qpc's back (SQL that reads the same on both).
db_exec() {
	if on_file; then
		sqlite3 -cmd ".timeout 10000" "$1" "$2"
	else
		dbx "$1" "$2"
	fi
}

# account_figure EXT FIELD: the account's FIELD as `qpc export accounts
# --raw` writes it (sales_12m, qpc, share, status ...), from the database
# under test as it stands now, on a file or a server alike.
account_figure() {
	qpc --db "${DB:-$DEMO}" export accounts --raw -o "$TUI_DIR/figures.csv" >/dev/null 2>&1 ||
		tui_fail "cannot export the accounts"
	sqlite3 :memory: ".import --csv $TUI_DIR/figures.csv a" \
		"SELECT \"$2\" FROM a WHERE external_id = '$1'"
}

# qpc_sql SQL: one value from the demo database.
qpc_sql() {
	db_sql "$DEMO" "$1"
}

# fig_sql SQL: an account's figures as qpc computes them (account's status,
# qpc, share_bp, sort_* ...), from the demo (on a server: from $REF, the
# same demo on a file; SQLite's SQL).
fig_sql() {
	sqlite3 -cmd ".timeout 10000" "$REF" "$1"
}

# qpc_start COLS ROWS TERM [QPC ARGS...]: qpc on the demo (or $DB) in a
# tmux window; its pid goes to $TUI_DIR/pid.  Waits for the first screen.
qpc_start() {
	_c=$1 _r=$2 _t=$3
	shift 3
	qpc_args "$@"
	tui_start "$_c" "$_r" "$_t" sh -c 'echo $$ >"$0"; exec "$@"' "$TUI_DIR/pid" \
		"$QPC" --db "$_db" $_args
	qpc_wait_ready
}

# qpc_args [QPC ARGS...]: $_db, the database to open (on a server, its
# address as the login $QPC_USER, or NAME of --user NAME), and $_args, the
# arguments left (words without spaces)
qpc_args() {
	_login=$QPC_USER _args= _prev=
	for _a in "$@"; do
		if on_file || { [ "$_a" != --user ] && [ "$_prev" != --user ]; }; then
			_args="$_args $_a"
		fi
		[ "$_prev" != --user ] || _login=$_a
		_prev=$_a
	done
	_db=$(QPC_USER=$_login db_arg "${DB:-$DEMO}")
}

# qpc_start_checked COLS ROWS TERM [QPC ARGS...]: the same under
# tui_start_checked, for tui_expect_restored.
qpc_start_checked() {
	_c=$1 _r=$2 _t=$3
	shift 3
	qpc_args "$@"
	tui_start_checked "$_c" "$_r" "$_t" sh -c 'echo $$ >"$0"; exec "$@"' "$TUI_DIR/pid" \
		"$QPC" --db "$_db" $_args
	qpc_wait_ready
}

# qpc_wait_ready: the first screen is up (or the too-small notice).
qpc_wait_ready() {
	_tries=$((TUI_TIMEOUT * 20))
	while :; do
		_s=$(tui_screen) || _s=
		case $_s in *help* | *'Too small'*) return 0 ;; esac
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
	file_only "a file others may not write"
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
