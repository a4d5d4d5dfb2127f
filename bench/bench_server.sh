#!/bin/sh
# bench_server.sh — a million CRM accounts imported into a team server,
# against psql's \copy of the same file into a bare table, on the same
# throwaway PostgreSQL cluster (tests/pg/cluster.sh) in the same run.
#
#   (a) psql \copy into an empty table of twelve text columns, no index:
#       the reference the issue measures qpc against;
#   (b) `qpc import accounts` into a fresh team server: the rows stream in
#       with COPY into the account table, its primary key kept up as they
#       come, the external ids' uniqueness and the names' index built
#       once at the end;
#   (c) the same file again: every row looked up and found unchanged, the
#       accounts of each batch of rows read in one statement (no target:
#       what a weekly re-import costs);
#   (d) a trigram index (pg_trgm) on the million names, alone: what a
#       dashboard's first search builds on its copy (for scale; no
#       longer part of (b): version 5 dropped it from the table);
#   (e) `qpc import sales` of two million invoice lines of 100,000
#       customers into a fresh server (the customers made from the lines),
#       against psql \copy of the same file into a bare table (no target:
#       bench_sales.sh has a file's figures for the same lines);
#   (f) the same lines again: each merged with the stored ones at the
#       end and found unchanged (what importing a year's export weekly
#       costs);
#   (g) 200,000 new lines (the first tenth of the file, a cent more
#       each) into the two million: a month's invoices;
#   (h) the dashboard on (b)'s server: its first screen and each key's
#       latency (bench/tui_drive), against a server of a thousand accounts;
#   (i) (e)'s lines into (b)'s server of a million accounts, which knows
#       none of their 100,000 customers: a team's ERP after its CRM (no
#       target; each line's account is checked by the server as it goes
#       in, which (e) leaves to one pass at the end);
#   (j) `qpc export accounts` of (i)'s server: every account with its
#       figures as of a date, as a rep exports a list, against psql \copy
#       of the account table out (its rows as stored, no figures; no
#       target: what reading a million accounts' facts costs).
#
# Prints wall time, rows/s, CPU time and peak RSS of each, and the ratios,
# with the targets beside them (within 2x of (a), RSS under 64 MB):
# figures, not pass/fail.  (a) and (b) take turns BENCH_RUNS times, (b)
# into a fresh server each time, and each is the median of its runs (the
# others are the median run's); the ratio of each pair is printed too, as
# a machine's neighbours can slow one run of either.  Exits 0 unless a
# command failed.
#
# Environment: QPC (absolute path), BUILD (default build),
# BENCH_SERVER_ROWS (default 1000000; BENCH_ROWS when that is set),
# BENCH_SALES_LINES (default 2000000), BENCH_RUNS (default 3).
# Needs Debian's postgresql and postgresql-contrib (make installs them).
set -u
: "${QPC:?set QPC to the qpc binary (absolute path)}"
BUILD=${BUILD:-build}
ROWS=${BENCH_SERVER_ROWS:-${BENCH_ROWS:-1000000}}
LINES=${BENCH_SALES_LINES:-2000000}
RUNS=${BENCH_RUNS:-3}
dir=$BUILD/bench
gen=$dir/gen_accounts
runstat=$dir/runstat
drive=$dir/tui_drive
here=$(cd "$(dirname "$0")" && pwd)
cluster=$here/../tests/pg/cluster.sh
for t in "$gen" "$runstat" "$drive"; do
	if [ ! -x "$t" ]; then
		echo "bench_server: $t is missing; run make bench-tools (make bench builds it)"
		exit 1
	fi
done
command -v psql >/dev/null 2>&1 ||
	{ echo "bench_server: psql is missing (Debian package postgresql-client)"; exit 1; }
mkdir -p "$dir"
failed=0 name=bench_server logs="$dir/server-*.log"
. "$here/common.sh"

# the throwaway cluster, stopped however this ends
T=$(mktemp -d /tmp/qpc-bench-XXXXXX)
chmod 755 "$T"
trap '[ -d "$T/c" ] && sh "$cluster" stop "$T/c"; rm -rf "$T"' EXIT
trap 'exit 130' INT TERM
unset QPC_DB QPC_USER PGHOST PGPORT PGUSER PGDATABASE PGPASSWORD PGSERVICE PGSERVICEFILE PGOPTIONS
QPC_PG_PORT=${QPC_PG_PORT:-54391} sh "$cluster" start "$T/c" >"$T/where" ||
	{ echo "bench_server: the throwaway cluster did not start"; exit 1; }
port=$(sed -n 's/.* port=//p' "$T/where")
uri="postgresql:///qpc?host=$T/c&port=$port&user=boss"
sql() { psql -X -q -A -t -v ON_ERROR_STOP=1 "host=$T/c port=$port dbname=qpc user=boss" "$@"; }

f=$dir/accounts-$ROWS.csv
if [ ! -s "$f" ] || [ "$gen" -nt "$f" ]; then
	"$gen" "$ROWS" "$f.tmp" && mv "$f.tmp" "$f" ||
		{ echo "bench_server: generating $f failed"; exit 1; }
fi
# the server reads the file as its caller: a copy it can read, as root too
cp "$f" "$T/accounts.csv" && chmod 644 "$T/accounts.csv"

line() { # label wall user sys rss rows ratio target
	printf '%-34s %7.2f s %11s %7.2f s %10s %8s   %s\n' "$1" "$2" "$(fmt_rate "$6" "$2")" \
		"$(awk -v u="$3" -v s="$4" 'BEGIN { print u + s }')" "$(fmt_mb "$5")" "$7" "$8"
}

echo "input: $f: $ROWS rows, 12 columns, $(awk -v b="$(wc -c <"$f")" 'BEGIN { printf "%.0f MB", b / 1048576 }')"
echo "server: $(sql -c 'SHOW server_version' | cut -d' ' -f1), throwaway cluster on a Unix socket (fsync off);" \
	"$(nproc) cores shared by client and server"
printf '%-34s %9s %11s %9s %10s %8s   %s\n' "" "wall" "rows/s" "cpu" "peak RSS" "ratio" "target"

# reference LABEL FILE ROWS COLUMNS...: psql \copy of FILE into a bare table
# of those text columns, timed (run's figures), counted, dropped; printed
# unless QUIET
reference() {
	what=$1 file=$2 rows=$3
	shift 3
	cols=$(printf '%s text, ' "$@")
	sql -c "CREATE TABLE bare (${cols%, })" || exit 1
	run "psql \\copy" -o "$dir/server-ref.log" -e "$dir/server-ref.err" -- \
		psql -X -q -v ON_ERROR_STOP=1 "host=$T/c port=$port dbname=qpc user=boss" \
		-c "\\copy bare FROM '$file' (FORMAT csv, HEADER true)"
	[ -n "${QUIET:-}" ] || line "$what" "$WALL" "$UTIME" "$STIME" "$RSS_KB" "$rows" "1.00x" "reference"
	n=$(sql -c 'SELECT count(*) FROM bare')
	[ "$n" = "$rows" ] || { echo "bench_server: psql copied $n rows, not $rows"; failed=1; }
	sql -c 'DROP TABLE bare'
}

# empty_db: database qpc made again, empty, and the roles free to serve
# its init (one team per cluster); init_qpc: qpc's schema made there
empty_db() {
	psql -X -q "host=$T/c port=$port dbname=postgres user=postgres" \
		-c 'DROP DATABASE qpc' -c 'COMMENT ON ROLE qpc_admin IS NULL' \
		-c 'CREATE DATABASE qpc OWNER boss' >/dev/null || exit 1
}
init_qpc() {
	"$QPC" --db "$uri" init >"$dir/server-init.log" 2>&1 ||
		{ echo "bench_server: qpc init failed"; cat "$dir/server-init.log"; exit 1; }
}

# --- (a) psql \copy into a bare table, (b) qpc import into a fresh server ----
# in turns, RUNS times; each the median of its runs (median_run)
i=0 refs= imports= pairs=
while [ "$i" -lt "$RUNS" ]; do
	QUIET=1 reference "(a)" "$T/accounts.csv" "$ROWS" id name owner industry city \
		country employees annual_revenue phone website created description
	refs="$refs$WALL $UTIME $STIME $RSS_KB
"
	ref=$WALL
	[ "$i" = 0 ] || empty_db
	init_qpc
	run "qpc import" -o "$dir/server-import.log" -e "$dir/server-import.err" -- \
		"$QPC" --db "$uri" import accounts "$T/accounts.csv"
	imports="$imports$WALL $UTIME $STIME $RSS_KB
"
	pairs="$pairs $(ratio "$WALL" "$ref")"
	i=$((i + 1))
done
median_run "$refs"
REF_WALL=$WALL
line "(a) psql \\copy, bare table" "$WALL" "$UTIME" "$STIME" "$RSS_KB" "$ROWS" "1.00x" \
	"reference (median of $RUNS)"
median_run "$imports"
line "(b) qpc import accounts" "$WALL" "$UTIME" "$STIME" "$RSS_KB" "$ROWS" \
	"$(ratio "$WALL" "$REF_WALL")" "<= 2.00x, RSS < 64 MB"
echo "      each run's (b) against the (a) before it:$pairs"
sed 's/^/      qpc: /' "$dir/server-import.log" | tail -n 1
[ -s "$dir/server-import.err" ] && sed 's/^/      qpc stderr: /' "$dir/server-import.err" | head -n 5
n=$(sql -c 'SELECT count(*) FROM qpc.account')
[ "$n" = "$ROWS" ] || { echo "bench_server: the server holds $n accounts, not $ROWS"; failed=1; }

# --- (c) the same file again ---------------------------------------------------
run "qpc import again" -o "$dir/server-again.log" -e "$dir/server-again.err" -- \
	"$QPC" --db "$uri" import accounts "$T/accounts.csv"
line "(c) the same file again" "$WALL" "$UTIME" "$STIME" "$RSS_KB" "$ROWS" \
	"$(ratio "$WALL" "$REF_WALL")" "no target (a lookup per batch of rows)"
sed 's/^/      qpc: /' "$dir/server-again.log" | tail -n 1

# --- (d) what a trigram index costs ------------------------------------------------
t0=$(date +%s.%N)
sql -c "SET maintenance_work_mem = '256MB'" -c 'SET ROLE qpc_admin' \
	-c 'CREATE INDEX bench_trgm ON qpc.account USING gin (name qpc.gin_trgm_ops)' \
	-c 'DROP INDEX qpc.bench_trgm' || failed=1
t1=$(date +%s.%N)
trgm=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
echo "      (d) a trigram index on the million names, alone, in one pass: $trgm s" \
	"($(ratio "$trgm" "$REF_WALL") of (a)): a dashboard's first search, not part of (b)"

# --- (h) the dashboard on the server: a million accounts against a thousand ----------
# bench/tui_drive opens the dashboard on the server headless and replays
# keys through the real views (as bench_tui.sh does on a file): its first
# screen (the session's copy of the accounts with their figures), then
# each key's latency, on (b)'s million accounts and on the first thousand
# of them in a second database of the same cluster.
small="postgresql:///qpc_small?host=$T/c&port=$port&user=boss"
head -n 1001 "$T/accounts.csv" >"$T/small.csv" && chmod 644 "$T/small.csv"
psql -X -q "host=$T/c port=$port dbname=postgres user=postgres" \
	-c 'CREATE DATABASE qpc_small OWNER boss' -c 'COMMENT ON ROLE qpc_admin IS NULL' >/dev/null &&
	"$QPC" --db "$small" init >/dev/null 2>&1 &&
	"$QPC" --db "$small" import accounts "$T/small.csv" >/dev/null 2>&1 ||
	{ echo "bench_server: the thousand accounts' server failed"; failed=1; }
for which in big small; do
	if [ $which = big ]; then at=$uri; else at=$small; fi
	QPC_NOW=2026-12-31 "$drive" keys "$at" boss 80x24 >"$dir/server-tui-$which.keys" 2>&1 ||
		{ echo "bench_server: tui_drive on the server failed:"; cat "$dir/server-tui-$which.keys"; failed=1; }
done
awk '
	FNR == NR { if (NF == 2) v0[$1] = $2; else if (NF > 7) p0[substr($0, 1, 26)] = $(NF - 4); next }
	$1 == "startup" { printf "(h) dashboard, first screen         %7.2f s  (1,000 accounts: %.2f s, %.0fx)\n", $2 / 1000, v0[$1] / 1000, $2 / (v0[$1] > 0 ? v0[$1] : 1) }
	$1 == "first" { printf "      a key as the first index starts %7.2f ms (1,000: %.2f ms; the key cancels it)\n", $2, v0[$1] }
	$1 == "behind" { printf "      its indexes, made after the key %7.2f s  (1,000: %.2f s; while the screen is read)\n", $2 / 1000, v0[$1] / 1000 }
	NF > 7 { k = substr($0, 1, 26); keys = keys sprintf("      key p99 %-26s %8.2f ms  (1,000: %.2f ms)\n", k, $(NF - 4), p0[k]) }
	END { printf "%s", keys }
' "$dir/server-tui-small.keys" "$dir/server-tui-big.keys"
# one team per cluster: the roles go back to serving the next init
psql -X -q "host=$T/c port=$port dbname=postgres user=postgres" \
	-c 'DROP DATABASE qpc_small' -c 'COMMENT ON ROLE qpc_admin IS NULL' >/dev/null || failed=1

# --- (i) sales lines into the million accounts -----------------------------------
sf=$(sales_file "$LINES") || exit 1
cp "$sf" "$T/sales.csv" && chmod 644 "$T/sales.csv"
run "qpc import sales, the accounts there" -o "$dir/server-sales-there.log" \
	-e "$dir/server-sales-there.err" -- \
	env QPC_NOW=2026-12-31 "$QPC" --db "$uri" import sales "$T/sales.csv"
line "(i) (e)'s lines into (b)'s accounts" "$WALL" "$UTIME" "$STIME" "$RSS_KB" "$LINES" \
	"-" "no target; (e): into a fresh server"
sed 's/^/      qpc: /' "$dir/server-sales-there.log" | tail -n 1

# --- (j) the accounts out again ------------------------------------------------------
accounts=$(sql -c 'SELECT count(*) FROM qpc.account')
run "psql \\copy out" -o "$T/out-ref.csv" -e "$dir/server-out-ref.err" -- \
	psql -X -q -v ON_ERROR_STOP=1 "host=$T/c port=$port dbname=qpc user=boss" \
	-c "\\copy qpc.account TO STDOUT (FORMAT csv, HEADER true)"
OREF_WALL=$WALL
line "(j) psql \\copy out, account table" "$WALL" "$UTIME" "$STIME" "$RSS_KB" "$accounts" \
	"1.00x" "reference (no figures)"
run "qpc export accounts" -o "$T/out.csv" -e "$dir/server-out.err" -- \
	env QPC_NOW=2026-12-31 "$QPC" --db "$uri" export accounts
line "    qpc export accounts" "$WALL" "$UTIME" "$STIME" "$RSS_KB" "$accounts" \
	"$(ratio "$WALL" "$OREF_WALL")" "no target (figures as of a date)"
n=$(($(wc -l <"$T/out.csv") - 1))
[ "$n" = "$accounts" ] || { echo "bench_server: qpc exported $n accounts, not $accounts"; failed=1; }
rm -f "$T/out-ref.csv" "$T/out.csv"

# --- (e) sales lines into a fresh server ---------------------------------------------
empty_db
reference "(e) psql \\copy, sales lines" "$T/sales.csv" "$LINES" doc date customer name category \
	quantity amount
SREF_WALL=$WALL
init_qpc
run "qpc import sales" -o "$dir/server-sales.log" -e "$dir/server-sales.err" -- \
	env QPC_NOW=2026-12-31 "$QPC" --db "$uri" import sales "$T/sales.csv"
line "    qpc import sales" "$WALL" "$UTIME" "$STIME" "$RSS_KB" "$LINES" \
	"$(ratio "$WALL" "$SREF_WALL")" "no target; a file's: bench_sales.sh (b)"
sed 's/^/      qpc: /' "$dir/server-sales.log" | tail -n 1
n=$(sql -c 'SELECT count(*) FROM qpc.sale')
[ "$n" = "$LINES" ] || { echo "bench_server: the server holds $n sales lines, not $LINES"; failed=1; }

# --- (f) the same lines again, (g) a month's new lines ----------------------------
run "qpc import sales again" -o "$dir/server-sales-again.log" -e "$dir/server-sales-again.err" -- \
	env QPC_NOW=2026-12-31 "$QPC" --db "$uri" import sales "$T/sales.csv"
line "(f) the same lines again" "$WALL" "$UTIME" "$STIME" "$RSS_KB" "$LINES" \
	"$(ratio "$WALL" "$SREF_WALL")" "no target (each line merged)"
sed 's/^/      qpc: /' "$dir/server-sales-again.log" | tail -n 1
new=$((LINES / 10))
awk -F, -v OFS=, -v n="$new" 'NR == 1 { print; next } NR > n + 1 { exit }
	{ $7 = sprintf("%.2f", $7 + 0.01); print }' "$T/sales.csv" >"$T/month.csv"
chmod 644 "$T/month.csv"
run "qpc import sales, new lines" -o "$dir/server-sales-new.log" -e "$dir/server-sales-new.err" -- \
	env QPC_NOW=2026-12-31 "$QPC" --db "$uri" import sales "$T/month.csv"
line "(g) $new new lines into them" "$WALL" "$UTIME" "$STIME" "$RSS_KB" "$new" \
	"-" "no target"
sed 's/^/      qpc: /' "$dir/server-sales-new.log" | tail -n 1
n=$(sql -c 'SELECT count(*) FROM qpc.sale')
[ "$n" = "$((LINES + new))" ] ||
	{ echo "bench_server: the server holds $n sales lines, not $((LINES + new))"; failed=1; }
exit $failed
