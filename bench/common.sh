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

fmt_rate() { awk -v n="$1" -v t="$2" 'BEGIN { if (t > 0) printf "%.0f", n / t; else print "-" }'; }
fmt_mb() { awk -v k="$1" 'BEGIN { printf "%.1f MB", k / 1024 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2fx", a / b; else print "-" }'; }
