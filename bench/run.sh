#!/bin/sh
# make bench: runs every bench/bench_*.sh in turn.  Each prints its own
# figures and the ratios against a reference measured in the same run.
# (bench/tui_db.sh is not one: bench_time.sh and bench_tui.sh source it to
# share the generated database that takes minutes to make.)
# Environment: QPC (the binary, absolute path), BUILD (the build folder).
set -u
: "${QPC:?set QPC to the qpc binary}"
BUILD=${BUILD:-build}
export QPC BUILD
status=0
for b in "$(dirname "$0")"/bench_*.sh; do
	[ -f "$b" ] || continue
	echo "== $(basename "$b")"
	sh "$b" || status=1
done
exit $status
