#!/bin/sh
# The command line's tests against a team server: a throwaway PostgreSQL
# cluster (tests/pg/cluster.sh with), where each database a test names is
# one of its own (tests/check.sh, run()), stopped however the tests end.
# Usage: QPC=/abs/path/to/qpc sh tests/cli/server.sh
: "${QPC:?set QPC to the qpc binary}"
here=$(cd "$(dirname "$0")" && pwd)
QPC_PG_PORT=${QPC_PG_PORT:-54331} exec sh "$here/../pg/cluster.sh" with sh "$here/run.sh"
