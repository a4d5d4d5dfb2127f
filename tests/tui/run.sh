#!/bin/sh
# run.sh — runs every tests/tui/test_*.sh and prints one `N passed, N failed`
# (and `, N skipped` when a case did not apply).
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

n=1 passed=0 failed=0 skipped=0
for f in "$here"/test_*.sh; do
	[ -f "$f" ] || continue
	# On a team server (tests/tui/server.sh): the harness's own tests
	# need no qpc, and test_qpc_server.sh brings a cluster of its own.
	if [ -n "${QPC_TEST_SERVER:-}" ]; then
		case ${f##*/} in test_harness.sh | test_qpc_server.sh) continue ;; esac
	fi
	rm -f "$tmp/counts"
	TUI_FIRST=$n TUI_SUMMARY_FILE=$tmp/counts sh "$f"
	rc=$?
	p= fl= sk=
	if [ -s "$tmp/counts" ]; then
		read -r p fl sk <"$tmp/counts"
	fi
	case $p$fl$sk in
	'' | *[!0-9]*)
		echo "not ok $n - ${f##*/} (exit status $rc, no results)"
		p=0 fl=1 sk=0
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
	skipped=$((skipped + sk))
	n=$((n + p + fl + sk))
done

if [ "$skipped" -gt 0 ]; then
	echo "$passed passed, $failed failed, $skipped skipped"
else
	echo "$passed passed, $failed failed"
fi
[ "$failed" -eq 0 ]
