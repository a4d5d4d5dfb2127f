#!/bin/sh
# run.sh — runs every tests/tui/test_*.sh and prints one `N passed, N failed`.
#
#	QPC=/abs/path/to/qpc sh tests/tui/run.sh
#
# Numbering runs on across files; each file's output streams through.  A
# file that dies before reporting counts as one failure.  Exits non-zero
# when anything failed.

here=$(cd "$(dirname "$0")" && pwd)
if [ -n "${QPC:-}" ] && [ ! -x "$QPC" ]; then
	echo "run.sh: QPC=$QPC is not an executable" >&2
fi
export QPC

tmp=$(mktemp -d "${TMPDIR:-/tmp}/qpc-tui-run.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

n=1 passed=0 failed=0
for f in "$here"/test_*.sh; do
	[ -f "$f" ] || continue
	rm -f "$tmp/counts"
	TUI_FIRST=$n TUI_SUMMARY_FILE=$tmp/counts sh "$f"
	rc=$?
	p= fl=
	if [ -s "$tmp/counts" ]; then
		read -r p fl <"$tmp/counts"
	fi
	case $p$fl in
	'' | *[!0-9]*)
		echo "not ok $n - ${f##*/} (exit status $rc, no results)"
		p=0 fl=1
		;;
	*)
		if [ "$rc" -ne 0 ] && [ "$fl" -eq 0 ]; then
			echo "not ok $((n + p)) - ${f##*/} (exit status $rc after all passed)"
			fl=1
		fi
		;;
	esac
	passed=$((passed + p))
	failed=$((failed + fl))
	n=$((n + p + fl))
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
