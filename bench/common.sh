# common.sh — helpers that bench_import.sh, bench_sales.sh and
# bench_time.sh source (not a benchmark itself: run.sh runs bench_*.sh
# only).  The sourcing script sets runstat (the runstat tool), name (its
# own name, for messages) and logs (where its logs go, for messages).

# run LABEL [-o OUT] [-e ERR] -- COMMAND...: runs it once; sets WALL UTIME
# STIME RSS_KB STATUS, and failed=1 if it failed.
run() {
	label=$1
	shift
	set -- $("$runstat" "$@") 0 0 0 0 127
	WALL=$1 UTIME=$2 STIME=$3 RSS_KB=$4 STATUS=$5
	if [ "${STATUS:-127}" != 0 ]; then
		echo "$name: $label failed (status ${STATUS:-?}); see $logs"
		failed=1
	fi
}

# median_run LINES: of lines "WALL UTIME STIME RSS_KB", the one whose wall
# time is the median (the lower one of an even count); sets WALL UTIME
# STIME RSS_KB from it.
median_run() {
	set -- $(printf '%s' "$1" | sort -n | awk '{ l[NR] = $0 } END { print l[int((NR + 1) / 2)] }')
	WALL=$1 UTIME=$2 STIME=$3 RSS_KB=$4
}

fmt_rate() { awk -v n="$1" -v t="$2" 'BEGIN { if (t > 0) printf "%.0f", n / t; else print "-" }'; }
fmt_mb() { awk -v k="$1" 'BEGIN { printf "%.1f MB", k / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "-" }'; }

# sales_file LINES: the path of an ERP's invoice lines ($dir/sales-LINES.csv:
# 100,000 customers over a year, 7 columns), made by awk once and again
# only when common.sh changed; the same lines for the same count.
sales_file() {
	f=$dir/sales-$1.csv
	if [ ! -s "$f" ] || [ "$(dirname "$0")/common.sh" -nt "$f" ]; then
		awk -v n="$1" 'BEGIN {
			srand(7)
			split("Cleaning & hygiene,Paper,Packaging,Safety,Catering,Tools,Office", cat, ",")
			print "Document No,Posting Date,Customer No,Customer Name,Category,Quantity,Amount"
			for (i = 1; i <= n; i++) {
				c = int(rand() * 100000) + 1
				printf "INV-%08d,2026-%02d-%02d,C%06d,Customer %06d GmbH,%s,%d,%.2f\n", i,
					int(rand() * 12) + 1, int(rand() * 28) + 1, c, c, cat[int(rand() * 7) + 1],
					int(rand() * 20) + 1, rand() * 2000
			}
		}' >"$f.tmp" && mv "$f.tmp" "$f" ||
			{ echo "$name: generating $f failed" >&2; exit 1; }
	fi
	echo "$f"
}
