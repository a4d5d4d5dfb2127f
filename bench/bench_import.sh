#!/bin/sh
# bench_import.sh — qpc import and export of a million CRM accounts, against
# the sqlite3 command-line shell doing the bare minimum on the same data.
#
#   (a) sqlite3 shell `.import --csv` into an empty untyped table, no index
#       (the reference the issue measures qpc against);
#   (b) `qpc import accounts` into a fresh database (only the import timed),
#       and again on a 100,000-row file to show that memory does not grow;
#   (c) `qpc export accounts -o FILE` of the million accounts;
#   (d) `sqlite3 -csv DB 'SELECT * FROM account'` of qpc's account table.
#
# The import does all the work a bulk load needs (the figures, the sort
# and search indexes) before it returns, so its time here is most of what
# a user waits for; the whole wait, the import plus the first command
# after it, against the same reference, and the file's size, are
# bench_time.sh's (a) and (e) (issue 11's targets), not measured here.
#
# Prints wall time, rows/s, CPU time and peak RSS of each, and the ratios
# against the sqlite3 shell with the targets beside them: figures, not
# pass/fail.  Exits 0 unless a command failed or crashed.
#
# Environment: QPC (the qpc binary, absolute path), BUILD (build folder,
# default build; scratch files go to $BUILD/bench/), BENCH_ROWS (default
# 1000000), BENCH_SMALL_ROWS (default 100000), BENCH_KEEP=1 to keep the
# databases and exports for a look afterwards.  The tools it needs,
# $BUILD/bench/gen_accounts, runstat and csvscan, are built by
# `make bench` (or `make bench-tools`).
set -u
: "${QPC:?set QPC to the qpc binary (absolute path)}"
BUILD=${BUILD:-build}
ROWS=${BENCH_ROWS:-1000000}
SMALL=${BENCH_SMALL_ROWS:-100000}
dir=$BUILD/bench
gen=$dir/gen_accounts
runstat=$dir/runstat
csvscan=$dir/csvscan

for t in "$gen" "$runstat" "$csvscan"; do
	if [ ! -x "$t" ]; then
		echo "bench_import: $t is missing; run make bench-tools (make bench builds it)"
		exit 1
	fi
done
if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "bench_import: the sqlite3 shell is missing (Debian package sqlite3)"
	exit 1
fi
mkdir -p "$dir"
failed=0 name=bench_import logs="$dir/*.log"
. "$(dirname "$0")/common.sh"

# qpc maps nine of the twelve columns itself (generic profile) and lists
# the other three (Phone, Website, Created Date) as not read: no --map.

# A data file per size, made again only when the generator changed.
data_file() {
	f=$dir/accounts-$1.csv
	if [ ! -s "$f" ] || [ "$gen" -nt "$f" ]; then
		"$gen" "$1" "$f.tmp" && mv "$f.tmp" "$f" ||
			{ echo "bench_import: generating $f failed" >&2; exit 1; }
	fi
	echo "$f"
}

line() { # label wall user sys rss rows ratio target
	printf '%-34s %7.2f s %11s %7.2f s %10s %8s   %s\n' "$1" "$2" "$(fmt_rate "$6" "$2")" \
		"$(awk -v u="$3" -v s="$4" 'BEGIN { print u + s }')" "$(fmt_mb "$5")" "$7" "$8"
}

big=$(data_file "$ROWS") || exit 1
small=$(data_file "$SMALL") || exit 1
size=$(wc -c <"$big")
echo "input: $big: $ROWS rows, 12 columns, $(awk -v b="$size" 'BEGIN { printf "%.0f MB", b / 1048576 }')"
echo "machine: $(nproc) cores; sqlite3 $(sqlite3 --version | cut -d' ' -f1); $("$QPC" --version 2>/dev/null | head -n1)"
printf '%-34s %9s %11s %9s %10s %8s   %s\n' "" "wall" "rows/s" "cpu" "peak RSS" "ratio" "target"

# --- (a) the reference: the sqlite3 shell's .import -------------------------
ref=$dir/ref.db
rm -f "$ref" "$ref-journal" "$ref-wal"
sqlite3 "$ref" 'CREATE TABLE account(id, name, owner, industry, city, country, employees,
	annual_revenue, phone, website, created, description)' || exit 1
run "sqlite3 .import" -o "$dir/ref.log" -e "$dir/ref.err" -- \
	sqlite3 "$ref" ".import --csv --skip 1 $big account"
REF_WALL=$WALL
line "(a) sqlite3 .import --csv" "$WALL" "$UTIME" "$STIME" "$RSS_KB" "$ROWS" "1.00x" "reference"
n=$(sqlite3 "$ref" 'SELECT count(*) FROM account')
[ "$n" = "$ROWS" ] || { echo "bench_import: the sqlite3 shell imported $n rows, not $ROWS"; failed=1; }

# --- (b) qpc import -----------------------------------------------------------
qdb=$dir/qpc.db
rm -f "$qdb" "$qdb-wal" "$qdb-shm" "$qdb-journal"
"$QPC" --db "$qdb" init >"$dir/init.log" 2>&1 || { echo "bench_import: qpc init failed"; cat "$dir/init.log"; exit 1; }
run "qpc import" -o "$dir/import.log" -e "$dir/import.err" -- \
	"$QPC" --db "$qdb" import accounts "$big"
IMP_RSS=$RSS_KB
line "(b) qpc import accounts" "$WALL" "$UTIME" "$STIME" "$RSS_KB" "$ROWS" \
	"$(ratio "$WALL" "$REF_WALL")" "RSS < 64 MB; with the first command: bench_time.sh (a)"
sed 's/^/      qpc: /' "$dir/import.log" | tail -n 2
[ -s "$dir/import.err" ] && sed 's/^/      qpc stderr: /' "$dir/import.err" | head -n 5

sdb=$dir/qpc-small.db
rm -f "$sdb" "$sdb-wal" "$sdb-shm" "$sdb-journal"
"$QPC" --db "$sdb" init >/dev/null 2>&1 || { echo "bench_import: qpc init failed"; exit 1; }
run "qpc import (small)" -o "$dir/import-small.log" -e "$dir/import-small.err" -- \
	"$QPC" --db "$sdb" import accounts "$small"
line "    qpc import, $SMALL rows" "$WALL" "$UTIME" "$STIME" "$RSS_KB" "$SMALL" "" \
	"RSS $(fmt_mb "$RSS_KB") at $SMALL rows vs $(fmt_mb "$IMP_RSS") at $ROWS"
SMALL_WALL=$WALL

# The same rows without their ids, as a CRM export without an id column:
# each account is looked up by name, which must not grow with the table.
ndb=$dir/qpc-noid.db
rm -f "$ndb" "$ndb-wal" "$ndb-shm" "$ndb-journal"
"$QPC" --db "$ndb" init >/dev/null 2>&1 || { echo "bench_import: qpc init failed"; exit 1; }
run "qpc import (no ids)" -o "$dir/import-noid.log" -e "$dir/import-noid.err" -- \
	"$QPC" --db "$ndb" import accounts "$small" --map 'Account ID=ignore'
line "    the same without ids (by name)" "$WALL" "$UTIME" "$STIME" "$RSS_KB" "$SMALL" \
	"$(ratio "$WALL" "$SMALL_WALL")" "vs the line above"

# What qpc's CSV reader alone costs: the work of the import's reading
# thread, which reads the file once (after its first 2 MiB, which decide
# how dates and decimals are written) while the other thread stores.
set -- $("$csvscan" "$big")
echo "      csvread alone (textenc + libcsv, no-op sink): $1 s," \
	"$(awk -v b="$size" -v t="$1" 'BEGIN { printf "%.0f MB/s", b / 1048576 / t }');" \
	"the import reads the file once, in a thread of its own"

# --- (c) qpc export, (d) sqlite3 -csv of the same table ----------------------
run "sqlite3 -csv" -o "$dir/raw.csv" -e "$dir/raw.err" -- \
	sqlite3 -csv "$qdb" 'SELECT * FROM account'
RAW_WALL=$WALL RAW_UTIME=$UTIME RAW_STIME=$STIME RAW_RSS=$RSS_KB
run "qpc export" -o "$dir/export.log" -e "$dir/export.err" -- \
	"$QPC" --db "$qdb" export accounts -o "$dir/export.csv"
line "(c) qpc export accounts" "$WALL" "$UTIME" "$STIME" "$RSS_KB" "$ROWS" \
	"$(ratio "$WALL" "$RAW_WALL")" "vs (d); no target"
line "(d) sqlite3 -csv SELECT * account" "$RAW_WALL" "$RAW_UTIME" "$RAW_STIME" "$RAW_RSS" "$ROWS" \
	"1.00x" "reference for (c)"
n=$(($(wc -l <"$dir/export.csv") - 1))
echo "      export: $n lines after the header, $(wc -c <"$dir/export.csv") bytes;" \
	"sqlite3 -csv: $(wc -c <"$dir/raw.csv") bytes"

if [ "${BENCH_KEEP:-0}" != 1 ]; then
	rm -f "$ref" "$qdb" "$qdb-wal" "$qdb-shm" "$sdb" "$sdb-wal" "$sdb-shm" "$ndb" "$ndb-wal" "$ndb-shm" \
		"$dir/export.csv" "$dir/raw.csv"
fi
exit $failed
