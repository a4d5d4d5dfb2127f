# check.sh — the shell tests' helpers (sourced by tests/cli/run.sh and
# tests/pg/run.sh): TAP lines, one per check; the caller sets T, a scratch
# folder, and counts in passed, failed and n.

# run ARGS...: runs qpc, keeping stdout, stderr and the exit status.
run() {
	"$QPC" "$@" >"$T/out" 2>"$T/err"
	status=$?
}

ok() { n=$((n + 1)); passed=$((passed + 1)); echo "ok $n - $1"; }
not_ok() {
	n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"
	echo "#   status: $status"; sed 's/^/#   out: /' "$T/out" | head -20
	sed 's/^/#   err: /' "$T/err" | head -20
}
# check NAME CONDITION...: one test, passes when the shell condition holds.
check() {
	name=$1; shift
	if eval "$@"; then ok "$name"; else not_ok "$name"; fi
}
out_has() { grep -qF -- "$1" "$T/out"; }
err_has() { grep -qF -- "$1" "$T/err"; }
