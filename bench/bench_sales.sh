#!/bin/sh
# bench_sales.sh — qpc import of an ERP's sales lines (issue 16), against
# the sqlite3 command-line shell doing the bare minimum on the same file.
#
#   (a) sqlite3 shell `.import --csv` into an empty untyped table, no index
#       (the reference), and the size of its file;
#   (b) `qpc import sales` into an empty database (the customers are made
#       from the lines), then the first command after it: the whole wait
#       until the figures can be read, and the file's size;
#   (c) the same into a database that already holds the customers;
#   (d) a tenth of the file into an empty database: per line, the import
#       should cost what the whole file costs (linear in the file);
#   (e) the whole file again into (b)'s database: every line found
#       unchanged, nothing written.
#
# The file: 2,000,000 invoice lines of 100,000 customers over a year, 7
# columns (document no, posting date, customer no and name, category,
# quantity, amount), made once by awk and kept while this script is
# unchanged.  Prints wall time, lines/s, CPU, peak RSS and the ratios
# against (a), with the issue's targets beside them: figures, not
# pass/fail.  Exits 0 unless a command failed.
#
# Environment: QPC (the binary, absolute path), BUILD (scratch files go to
# $BUILD/bench/), BENCH_SALES_LINES (default 2000000), BENCH_KEEP=1 keeps
# the databases.  Needs $BUILD/bench/runstat (make bench builds it).
set -u
: "${QPC:?set QPC to the qpc binary (absolute path)}"
BUILD=${BUILD:-build}
LINES=${BENCH_SALES_LINES:-2000000}
SMALL=$((LINES / 10))
dir=$BUILD/bench
runstat=$dir/runstat
[ -x "$runstat" ] || { echo "bench_sales: $runstat is missing; run make bench-tools"; exit 1; }
command -v sqlite3 >/dev/null 2>&1 || { echo "bench_sales: the sqlite3 shell is missing"; exit 1; }
mkdir -p "$dir"
failed=0 name=bench_sales logs="$dir/sales-*.err"
. "$(dirname "$0")/common.sh"
export QPC_NOW=2026-12-31

add() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a + b }'; }
size_of() { wc -c <"$1"; }
line() { # label wall user sys rss lines ratio target
	printf '%-36s %7.2f s %10s %7.2f s %10s %8s   %s\n' "$1" "$2" "$(fmt_rate "$6" "$2")" \
		"$(awk -v u="$3" -v s="$4" 'BEGIN { print u + s }')" "$(fmt_mb "$5")" "$7" "$8"
}
fresh() { rm -f "$1" "$1-wal" "$1-shm" "$1-journal"; "$QPC" --db "$1" init >/dev/null 2>&1; }

big=$(sales_file "$LINES") || exit 1
small=$(sales_file "$SMALL") || exit 1
echo "input: $big: $LINES lines, 7 columns, $(awk -v b="$(size_of "$big")" 'BEGIN { printf "%.0f MB", b / 1048576 }'), 100000 customers"
printf '%-36s %9s %10s %9s %10s %8s   %s\n' "" "wall" "lines/s" "cpu" "peak RSS" "ratio" "target"

# --- (a) the reference ---------------------------------------------------------
ref=$dir/sales-ref.db
rm -f "$ref"
sqlite3 "$ref" 'CREATE TABLE sale(doc, date, customer, name, category, quantity, amount)' || exit 1
run ".import" -o "$dir/sales-ref.log" -e "$dir/sales-ref.err" -- \
	sqlite3 "$ref" ".import --csv --skip 1 $big sale"
REF=$WALL
line "(a) sqlite3 .import --csv" "$WALL" "$UTIME" "$STIME" "$RSS_KB" "$LINES" "1.00x" "reference"
REF_SIZE=$(size_of "$ref")

# --- (b) into an empty database, then the first command ------------------------
db=$dir/sales-qpc.db
fresh "$db"
run "qpc import sales" -o "$dir/sales-import.log" -e "$dir/sales-import.err" -- \
	"$QPC" --db "$db" import sales "$big"
IMP=$WALL PER_BIG=$(awk -v t="$WALL" -v n="$LINES" 'BEGIN { print t / n }')
line "(b) qpc import sales, empty db" "$WALL" "$UTIME" "$STIME" "$RSS_KB" "$LINES" \
	"$(ratio "$WALL" "$REF")" "RSS < 64 MB"
tail -n 1 "$dir/sales-import.log" | sed 's/^/      qpc: /'
run "the first command" -o "$dir/sales-report.log" -e "$dir/sales-report.err" -- \
	"$QPC" --db "$db" report
line "    then qpc report" "$WALL" "$UTIME" "$STIME" "$RSS_KB" "$LINES" "" ""
USABLE=$(add "$IMP" "$WALL")
printf '%-36s %7.2f s %43s   %s\n' "    import + first command" "$USABLE" "$(ratio "$USABLE" "$REF")" \
	"1.5x (issue 16)"
SIZE=$(size_of "$db")
printf '%-36s %9s %43s   %s\n' "    file size" "$(fmt_mb $((SIZE / 1024)))" \
	"$(ratio "$SIZE" "$REF_SIZE")" "vs .import's $(fmt_mb $((REF_SIZE / 1024)))"

# --- (c) into a database that holds the customers -------------------------------
accounts=$dir/sales-accounts.csv
"$QPC" --db "$db" export accounts -o "$accounts" >/dev/null 2>&1 || failed=1
db2=$dir/sales-qpc2.db
fresh "$db2"
"$QPC" --db "$db2" import accounts "$accounts" >/dev/null 2>&1 || failed=1
run "qpc import sales (accounts there)" -o "$dir/sales-import2.log" -e "$dir/sales-import2.err" -- \
	"$QPC" --db "$db2" import sales "$big"
line "(c) the same, customers there" "$WALL" "$UTIME" "$STIME" "$RSS_KB" "$LINES" \
	"$(ratio "$WALL" "$REF")" "1.5x"

# --- (d) a tenth of the file ------------------------------------------------------
db3=$dir/sales-qpc3.db
fresh "$db3"
run "qpc import sales (small)" -o "$dir/sales-import3.log" -e "$dir/sales-import3.err" -- \
	"$QPC" --db "$db3" import sales "$small"
PER_SMALL=$(awk -v t="$WALL" -v n="$SMALL" 'BEGIN { print t / n }')
line "(d) $SMALL lines, empty db" "$WALL" "$UTIME" "$STIME" "$RSS_KB" "$SMALL" \
	"$(ratio "$PER_BIG" "$PER_SMALL")" "per line, (b) over (d): at most 1.00x is linear"

# --- (e) the whole file again -----------------------------------------------------
run "qpc import sales again" -o "$dir/sales-import4.log" -e "$dir/sales-import4.err" -- \
	"$QPC" --db "$db" import sales "$big"
line "(e) the same file again, unchanged" "$WALL" "$UTIME" "$STIME" "$RSS_KB" "$LINES" \
	"$(ratio "$WALL" "$REF")" "no target"
tail -n 1 "$dir/sales-import4.log" | sed 's/^/      qpc: /'

if [ "${BENCH_KEEP:-0}" != 1 ]; then
	for f in "$ref" "$db" "$db2" "$db3"; do rm -f "$f" "$f-wal" "$f-shm" "$f-journal"; done
	rm -f "$accounts"
fi
exit $failed
