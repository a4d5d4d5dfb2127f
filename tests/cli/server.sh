#!/bin/sh
# The command line's tests against a team server: a throwaway PostgreSQL
# cluster (tests/pg/cluster.sh) in a temporary folder, where each database
# a test names is one of its own (tests/check.sh, run()), stopped however
# the tests end.  Usage: QPC=/abs/path/to/qpc sh tests/cli/server.sh
set -u
: "${QPC:?set QPC to the qpc binary}"
here=$(cd "$(dirname "$0")" && pwd)
S=$(mktemp -d /tmp/qpc-cli-pg-XXXXXX)
trap '[ -d "$S/cluster" ] && sh "$here/../pg/cluster.sh" stop "$S/cluster"; rm -rf "$S"' EXIT
trap 'exit 130' INT TERM
chmod 755 "$S" # the server, not root, makes its folder inside
unset PGHOST PGPORT PGUSER PGDATABASE PGPASSWORD PGSERVICE PGSERVICEFILE
export PGPASSFILE=$S/no-pgpass
QPC_PG_PORT=${QPC_PG_PORT:-54331} sh "$here/../pg/cluster.sh" start "$S/cluster" >"$S/where" ||
	{ echo "not ok 1 - the cluster started"; exit 1; }
QPC_TEST_SERVER=$(cat "$S/where") sh "$here/run.sh"
