#!/bin/sh
# The dashboard's tests against a team server: a throwaway PostgreSQL
# cluster (tests/pg/cluster.sh with), where each database a test names is
# one of its own (tests/tui/qpc_lib.sh), stopped however the tests end.
# The demo each file starts from is made once, as a database the files
# copy (QPC_TUI_TEMPLATE) and a file of the figures they expect
# (QPC_TUI_REF).  Usage: QPC=/abs/path/to/qpc sh tests/tui/server.sh
: "${QPC:?set QPC to the qpc binary}"
here=$(cd "$(dirname "$0")" && pwd)
if [ "${1:-}" != --inside ]; then
	QPC_PG_PORT=${QPC_PG_PORT:-54371} exec sh "$here/../pg/cluster.sh" with sh "$0" --inside
fi
S=$(mktemp -d /tmp/qpc-tui-pg-XXXXXX) || exit 1
trap 'rm -rf "$S"' EXIT
trap 'exit 130' INT TERM
# as qpc_lib.sh makes it: the same day, its first admin the login tester
export QPC_NOW=2026-11-27T09:00:00Z QPC_USER=tester
psql -X -q -v ON_ERROR_STOP=1 "$QPC_TEST_SERVER dbname=postgres user=postgres" \
	-c "CREATE ROLE tester LOGIN CREATEROLE" -c "CREATE DATABASE tui_demo OWNER tester" \
	>"$S/out" 2>&1 &&
	"$QPC" --db "postgresql:///tui_demo?$(printf '%s' "$QPC_TEST_SERVER" |
		sed 's/^host=\([^ ]*\) port=\([0-9]*\)$/host=\1\&port=\2/')&user=tester" \
		init --demo --accounts 400 >>"$S/out" 2>&1 &&
	"$QPC" --db "$S/ref.db" init --demo --accounts 400 >>"$S/out" 2>&1 ||
	{ echo "not ok 1 - the demo made on the server"; sed 's/^/# /' "$S/out"; exit 1; }
QPC_TUI_TEMPLATE=tui_demo QPC_TUI_REF=$S/ref.db sh "$here/run.sh"
