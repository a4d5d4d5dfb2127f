#!/bin/sh
# bench_time.sh — issue 11's speed targets, end to end as a user waits:
# each command timed whole, as a process, against a reference measured in
# the same run.
#
#   (a) a million CRM accounts: `qpc import accounts` into a fresh database
#       plus the first command after it (`qpc report`), against the sqlite3
#       shell's `.import --csv` of the same file into an empty table (the
#       import does the work a bulk load needs, indexes and search, itself:
#       nothing is left for the first command); and beside it the floor:
#       the shell's table given the four indexes the accounts list needs;
#   (b) on a million accounts and ten million sales lines: `qpc report` at
#       the date the figures are kept for (today), at other dates (a day
#       before, a past month end), which must write nothing (the file's
#       content hash, before and after), and back at today;
#   (c) `qpc trend --months 24` on the same database;
#   (d) `qpc init --demo` (2,000 accounts);
#   (e) the size of (a)'s database file as the user has it, beside the
#       sqlite3 shell's file of the same CSV.
#
# Prints wall time, CPU time and peak RSS of each (the median of
# BENCH_RUNS runs for the short commands, the import once), the ratios
# against the reference and the issue's targets beside them: figures, not
# pass/fail.  Exits 0 unless a command failed, or a read changed the file.
#
# Environment: QPC (the qpc binary, absolute path), BUILD (build folder,
# default build; scratch files go to $BUILD/bench/), BENCH_ROWS (accounts
# imported in (a), default 1000000), TUI_BENCH_ACCOUNTS and
# TUI_BENCH_LINES (the generated database of (b) and (c), shared with
# bench_tui.sh, default 1000000 and 10000000), BENCH_RUNS (default 3),
# BENCH_KEEP=1 to keep (a)'s databases.  Tools: $BUILD/bench/gen_accounts,
# runstat and tui_gen (`make bench-tools`), and the sqlite3 shell.
set -u
: "${QPC:?set QPC to the qpc binary (absolute path)}"
BUILD=${BUILD:-build}
B=$BUILD/bench
ROWS=${BENCH_ROWS:-1000000}
BIG=${TUI_BENCH_ACCOUNTS:-1000000}
BIG_LINES=${TUI_BENCH_LINES:-10000000}
RUNS=${BENCH_RUNS:-3}
GEN=$B/tui_gen
gen_csv=$B/gen_accounts
runstat=$B/runstat
# The generated database's figures are kept as of this day (bench_tui.sh
# uses the same); the other dates are read against it.
QPC_NOW=2026-11-27
QPC_USER=rep042
YESTERDAY=2026-11-26
MONTH_END=2025-06-30
export QPC_NOW QPC_USER
unset QPC_DB NO_COLOR

for t in "$gen_csv" "$runstat" "$GEN"; do
	[ -x "$t" ] || { echo "bench_time: $t is missing (make bench-tools)"; exit 1; }
done
command -v sqlite3 >/dev/null 2>&1 ||
	{ echo "bench_time: the sqlite3 shell is missing (Debian package sqlite3)"; exit 1; }
mkdir -p "$B"
. "$(dirname "$0")/tui_db.sh"
failed=0 name=bench_time logs="$B/time-*.err"
. "$(dirname "$0")/common.sh"

# runs LABEL -- COMMAND...: BENCH_RUNS times; WALL is the median, the
# others are the median run's.
runs() {
	label=$1
	shift
	i=0 all=
	while [ "$i" -lt "$RUNS" ]; do
		run "$label" "$@"
		all="$all$WALL $UTIME $STIME $RSS_KB
"
		i=$((i + 1))
	done
	median_run "$all"
}

sum() { awk -v a="$1" -v b="$2" 'BEGIN { print a + b }'; }
mb() { awk -v b="$1" 'BEGIN { printf "%.1f MB", b / 1048576 }'; }
# line LABEL WALL USER SYS RSS_KB RATIO TARGET (RSS_KB "" for a sum)
line() {
	if [ -n "$5" ]; then
		printf '%-44s %7.2f s %7.2f s %9s %8s   %s\n' "$1" "$2" \
			"$(awk -v u="$3" -v s="$4" 'BEGIN { print u + s }')" \
			"$(awk -v k="$5" 'BEGIN { printf "%.0f MB", k / 1024 }')" "$6" "$7"
	else
		printf '%-44s %7.2f s %9s %9s %8s   %s\n' "$1" "$2" "" "" "$6" "$7"
	fi
}
# size FILE: its bytes with its -wal beside it, as the user has them.
size() {
	n=$(wc -c <"$1")
	[ -f "$1-wal" ] && n=$((n + $(wc -c <"$1-wal")))
	echo "$n"
}
hash() { sqlite3 "$1" ".sha3sum --schema"; }
short() { echo "$1" | cut -c1-16; }

echo "issue 11's speed targets, end to end: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "sqlite3 $(sqlite3 --version | cut -d' ' -f1); $("$QPC" --version | head -n1);" \
	"short commands: the median of $RUNS runs"
printf '%-44s %9s %9s %9s %8s   %s\n' "" "wall" "cpu" "peak RSS" "ratio" "target"

# --- (a) import and the first command after it --------------------------------
csv=$B/accounts-$ROWS.csv # bench_import.sh's file, made again when the generator changed
if [ ! -s "$csv" ] || [ "$gen_csv" -nt "$csv" ]; then
	"$gen_csv" "$ROWS" "$csv.tmp" && mv "$csv.tmp" "$csv" ||
		{ echo "bench_time: generating $csv failed"; exit 1; }
fi
ref=$B/time-ref.db
rm -f "$ref" "$ref-journal" "$ref-wal"
sqlite3 "$ref" 'CREATE TABLE account(id, name, owner, industry, city, country, employees,
	annual_revenue, phone, website, created, description)' || exit 1
run "sqlite3 .import" -o /dev/null -e "$B/time-ref.err" -- \
	sqlite3 "$ref" ".import --csv --skip 1 $csv account"
REF_WALL=$WALL
line "(a) sqlite3 .import --csv, $ROWS rows" "$WALL" "$UTIME" "$STIME" "$RSS_KB" "1.00x" "reference"
# The least any import of accounts a list sorts can take: the shell's
# table given the four indexes the accounts list and the imports read
# (the id, unique; names ignoring case; owners; segments), sorted on two
# cores as qpc sorts them.  No figures, no search index.
# (on a copy: (e) compares qpc's file with the shell's bare one)
floor=$B/time-floor.db
cp "$ref" "$floor" || exit 1
run "sqlite3 indexes" -o /dev/null -e "$B/time-ref.err" -- sqlite3 "$floor" "PRAGMA threads = 1;
	CREATE UNIQUE INDEX a_id ON account(id); CREATE INDEX a_name ON account(name COLLATE NOCASE, owner);
	CREATE INDEX a_owner ON account(owner); CREATE INDEX a_segment ON account(industry, owner)"
rm -f "$floor"
FLOOR_WALL=$(sum "$REF_WALL" "$WALL")
line "    the same, then the list's 4 indexes" "$FLOOR_WALL" 0 0 "" \
	"$(ratio "$FLOOR_WALL" "$REF_WALL")" "the floor: what sorting alone adds"

qdb=$B/time-import.db
rm -f "$qdb" "$qdb-wal" "$qdb-shm" "$qdb-journal"
"$QPC" --db "$qdb" init >"$B/time-init.err" 2>&1 || { echo "bench_time: qpc init failed"; exit 1; }
run "qpc import" -o "$B/time-import.log" -e "$B/time-import.err" -- \
	"$QPC" --db "$qdb" import accounts "$csv"
IMP_WALL=$WALL
line "    qpc import accounts (fresh database)" "$WALL" "$UTIME" "$STIME" "$RSS_KB" \
	"$(ratio "$WALL" "$REF_WALL")" "the import alone"
run "qpc report (first)" -o /dev/null -e "$B/time-first.err" -- "$QPC" --db "$qdb" report
FIRST_WALL=$WALL
line "    the first command after it: qpc report" "$WALL" "$UTIME" "$STIME" "$RSS_KB" "" \
	"under 1 s"
line "    import + first command" "$(sum "$IMP_WALL" "$FIRST_WALL")" 0 0 "" \
	"$(ratio "$(sum "$IMP_WALL" "$FIRST_WALL")" "$REF_WALL")" "at most 2x (before issue 11: about 10x)"
tail -n 1 "$B/time-import.log" | sed 's/^/      qpc: /'

# --- (b) a report at another date, (c) the trend, at 1M accounts / 10M lines --
mkdb big "$BIG" "$BIG_LINES" || { echo "bench_time: could not make $B/tui-big.db"; exit 1; }
db=$B/tui-big.db
# shellcheck disable=SC2154 # gen_big: set by mkdb
echo "    ($db: $BIG accounts, $BIG_LINES sales lines, figures kept as of $(figures_date "$db");" \
	"$(if [ "$gen_big" = kept ]; then echo "kept from an earlier run"; else echo "generated in $gen_big s"; fi))"
t=$(secs)
before=$(hash "$db") || { echo "bench_time: sqlite3 could not hash $db"; exit 1; }
hash_s=$(since "$t")

runs "qpc report (today)" -o /dev/null -e "$B/time-today.err" -- "$QPC" --db "$db" report
TODAY_WALL=$WALL
line "(b) qpc report at today ($QPC_NOW)" "$WALL" "$UTIME" "$STIME" "$RSS_KB" "1.00x" \
	"reference: the figures kept for today"
runs "qpc report (yesterday)" -o /dev/null -e "$B/time-other.err" -- \
	"$QPC" --db "$db" --as-of "$YESTERDAY" report
line "    qpc --as-of $YESTERDAY report" "$WALL" "$UTIME" "$STIME" "$RSS_KB" \
	"$(ratio "$WALL" "$TODAY_WALL")" "under 2 s, writing nothing"
runs "qpc report (month end)" -o /dev/null -e "$B/time-other.err" -- \
	"$QPC" --db "$db" --as-of "$MONTH_END" report
line "    qpc --as-of $MONTH_END report" "$WALL" "$UTIME" "$STIME" "$RSS_KB" \
	"$(ratio "$WALL" "$TODAY_WALL")" "under 2 s, writing nothing"
runs "qpc report (back at today)" -o /dev/null -e "$B/time-today.err" -- "$QPC" --db "$db" report
line "    back at today: qpc report" "$WALL" "$UTIME" "$STIME" "$RSS_KB" \
	"$(ratio "$WALL" "$TODAY_WALL")" "as fast as today before (1.00x)"
after=$(hash "$db")
if [ "$before" = "$after" ]; then
	echo "      content unchanged by the reads: sha3 $(short "$before") before and after" \
		"(sqlite3 .sha3sum --schema, $hash_s s)"
else
	echo "      THE READS CHANGED THE FILE: sha3 $(short "$before") before, $(short "$after") after"
	failed=1
fi

# --- (c) --------------------------------------------------------------------
if "$QPC" --help 2>&1 | grep -q '^  trend'; then
	runs "qpc trend" -o /dev/null -e "$B/time-trend.err" -- "$QPC" --db "$db" trend --months 24
	line "(c) qpc trend --months 24" "$WALL" "$UTIME" "$STIME" "$RSS_KB" \
		"$(ratio "$WALL" "$TODAY_WALL")" "under 5 s (ratio: to today's report)"
	runs "qpc trend (json)" -o /dev/null -e "$B/time-trend.err" -- \
		"$QPC" --db "$db" --as-of "$MONTH_END" trend --months 24 --format json
	line "    --as-of $MONTH_END, --format json" "$WALL" "$UTIME" "$STIME" "$RSS_KB" \
		"$(ratio "$WALL" "$TODAY_WALL")" "under 5 s"
	after2=$(hash "$db")
	if [ "$after2" = "$after" ]; then
		echo "      content unchanged by the trends: sha3 $(short "$after2")"
	else
		echo "      THE TRENDS CHANGED THE FILE: sha3 $(short "$after") before, $(short "$after2") after"
		failed=1
	fi
else
	echo "(c) qpc trend --months 24: skipped, this qpc has no trend command yet"
fi

# --- (d) init --demo ------------------------------------------------------------
demo=$B/time-demo.db
rm -f "$demo" "$demo-wal" "$demo-shm"
run "qpc init" -o /dev/null -e "$B/time-demo.err" -- "$QPC" --db "$demo" init
EMPTY_WALL=$WALL
i=0 all=
while [ "$i" -lt "$RUNS" ]; do # a fresh file each time
	rm -f "$demo" "$demo-wal" "$demo-shm"
	run "qpc init --demo" -o /dev/null -e "$B/time-demo.err" -- "$QPC" --db "$demo" init --demo
	all="$all$WALL $UTIME $STIME $RSS_KB
"
	i=$((i + 1))
done
median_run "$all"
line "(d) qpc init --demo (2,000 accounts)" "$WALL" "$UTIME" "$STIME" "$RSS_KB" \
	"$(ratio "$WALL" "$EMPTY_WALL")" \
	"under 1 s (ratio: to an empty init, $(printf '%.2f' "$EMPTY_WALL") s)"
rm -f "$demo" "$demo-wal" "$demo-shm"

# --- (e) the file -------------------------------------------------------------
QS=$(size "$qdb") RS=$(size "$ref")
printf '%-44s %9s %9s %9s %8s   %s\n' "(e) the database file after (a)" "" "" "$(mb "$QS")" \
	"$(ratio "$QS" "$RS")" "at most 2.5x (before issue 11: 4.1x)"
printf '%-44s %9s %9s %9s %8s   %s\n' "    sqlite3 shell's file of the same CSV" "" "" "$(mb "$RS")" \
	"1.00x" "reference"
echo "      qpc's largest parts: $(sqlite3 "$qdb" "SELECT group_concat(name || ' ' ||
	printf('%.0f', mb) || ' MB', ', ') FROM (SELECT name, sum(pgsize) / 1048576.0 AS mb
	FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 6)" 2>/dev/null || echo "(no dbstat)")"

if [ "${BENCH_KEEP:-0}" != 1 ]; then
	rm -f "$ref" "$qdb" "$qdb-wal" "$qdb-shm"
fi
exit $failed
