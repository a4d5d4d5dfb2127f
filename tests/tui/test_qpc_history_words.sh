#!/bin/sh
# test_qpc_history_words.sh — the account page's history pane says each
# change in words and units, as `qpc history` does: no column names, no
# raw amounts.
. "$(dirname "$0")/qpc_lib.sh"

ACC=$(fig_sql "SELECT external_id FROM account WHERE status = 'customer'
	AND id NOT IN (SELECT account_id FROM candidate) ORDER BY id LIMIT 1")

test_history_pane_speaks_in_words() {
	for v in "" --verified; do
		qpc --db "$DEMO" potential set "$ACC" Packaging 12500 --basis "customer stated" $v \
			>/dev/null || tui_fail "cannot set the QPC of $ACC"
	done
	qpc --db "$DEMO" candidate add "$ACC" >/dev/null || tui_fail "cannot nominate $ACC"
	qpc --db "$DEMO" tick "$ACC" 2 >/dev/null || tui_fail "cannot tick $ACC"
	qpc_start 120 50 xterm
	tui_keys /
	tui_type "$ACC"
	tui_keys Enter
	qpc_expect_status "/$ACC: 1 match"
	tui_keys Enter
	tui_wait_for "QPC by category"
	tui_wait_for "QPC in Packaging"
	tui_expect_screen_contains "Change" "QPC in Packaging" "verified" "12,500.00" \
		"Candidate" "nominated" "Knows our senior executives" "ticked"
	tui_expect_not_contains "qpc:Packaging"
	tui_expect_not_contains "verified:Packaging"
	tui_expect_not_contains "12500.00"
}

tui_main "$@"
