#!/bin/sh
# test_qpc_numbers.sh — figures that add up (issue 14): every short
# amount, share and gap in points rounded half away from zero, the same
# on the dashboard as in qpc report; totals with their cents where the
# report has them; a profit curve honest about customers who lose money;
# net profit saying how many accounts it rests on.
. "$(dirname "$0")/qpc_lib.sh"

# Four accounts whose figures sit just past a rounding step:
#   Acme   QPC 1,000,000  sales 201,700.45  share 20.17% (shows 20.2%), rep 90%
#   Birch  QPC   100,000  sales  49,000.30  share 49.00%, rep 50%
#   Cedar  QPC    59,056  sales  10,000     gross profit -50,000
#   Dune   QPC   100,000  sales  80,000     a partner (80%)
# Sales 340,700.75 of QPC 1,259,056: 27.06%, which reads 27.1%.
# Gross profit 50,000, of which Acme alone (the top 20%) makes 60,000.
DB=$TUI_DIR/numbers.db
export DB
qpc --db "$DB" init >"$TUI_DIR/n.out" 2>&1 || tui_fail "init: $(cat "$TUI_DIR/n.out")"
cat >"$TUI_DIR/n.csv" <<'EOF'
external_id,name,owner,annual_revenue,rep_share_estimate,cost_to_serve,sales_12m,gross_profit_12m
A1,Acme Numbers,alice,1587700,90%,10000,201700.45,60000
B2,Birch Numbers,alice,,50%,5000,49000.30,10000
C3,Cedar Numbers,bob,,,1000,10000,-50000
D4,Dune Numbers,bob,,,2000,80000,30000
EOF
qpc --db "$DB" import accounts "$TUI_DIR/n.csv" >"$TUI_DIR/n.out" 2>&1 ||
	tui_fail "import: $(cat "$TUI_DIR/n.out")"
for q in A1:1000000 B2:100000 C3:59056 D4:100000; do
	qpc --db "$DB" potential set "${q%%:*}" Packaging "${q#*:}" >"$TUI_DIR/n.out" 2>&1 ||
		tui_fail "potential set $q: $(cat "$TUI_DIR/n.out")"
done

# open_account NAME: the account's page, from the accounts list.
open_account() {
	tui_keys 2
	tui_keys /
	tui_type "$1"
	tui_keys Enter Enter
	tui_wait_for "QPC by category"
}

test_the_dashboard_rounds_as_the_report_does() {
	qpc --db "$DB" report >"$TUI_DIR/report.txt"
	grep -q "^Share of QPC  *27.1%$" "$TUI_DIR/report.txt" ||
		tui_fail "report: $(grep '^Share of QPC' "$TUI_DIR/report.txt")"
	qpc_start 100 30 xterm
	tui_keys 1
	tui_wait_for "Share of QPC 27.1%" 60
	# to the cent, as the report
	tui_expect_screen_contains "Sales 12m    340,700.75" "Gross profit 50,000.00" \
		"  partners   30,000.00  60.0% [50-80%]" "Partners     1  25.0% [3-5%]" \
		"Untapped     918,355.25"
	grep -q "^Sales 12m  *340,700.75$" "$TUI_DIR/report.txt" || tui_fail "report: sales"
}

test_whole_units_are_rounded_not_cut() {
	qpc_start 72 24 xterm
	tui_keys 1
	tui_wait_for "Share of QPC 27.1%" 60
	# cents do not fit beside the shares: all totals in whole units,
	# 340,700.75 as 340,701 (not 340,700) and 918,355.25 as 918,355
	tui_expect_screen_contains "Sales 12m    340,701" "Untapped     918,355" \
		"  partners   30,000  60.0%"
	tui_expect_not_contains "340,700"
	# and in the list's columns: 798,299.55 untapped is 798,300; at 24
	# rows the list shows one, and j brings the next into view
	tui_expect_screen_contains " 798,300 "
	tui_keys j
	tui_wait_for " 51,000 "
}

test_net_profit_says_what_it_rests_on() {
	qpc_start 200 40 xterm
	tui_keys 1
	tui_wait_for "Net profit   32,000.00  (4 accounts with cost-to-serve)" 60
	# the partners' part of it on the line below, as gross profit's
	tui_expect_screen_contains "  partners   28,000.00  87.5%"
}

test_the_profit_curve_adds_up_when_customers_lose_money() {
	qpc_start 200 40 xterm
	tui_keys 1
	tui_wait_for "Top 20% of customers make 120% of GP, the rest -20%  " 60
	tui_stop
	qpc_start 100 30 xterm
	tui_keys 1
	tui_wait_for "Top 20% of customers: 120% of GP, the rest -20%" 60
}

test_the_account_page_rounds_share_and_points() {
	qpc_start 100 30 xterm
	open_account "Acme Numbers"
	# 20.17% reads 20.2%, the rep's 90% is 69.8 points above it, and a
	# revenue of 1,587,700 in six columns reads 1.6M
	tui_wait_for "90%, 69.8 points above"
	tui_expect_screen_contains "20.2%" "1.6M"
	tui_expect_not_contains "69 points" "1.5M" "20.1%"
	tui_keys q
	open_account "Birch Numbers"
	tui_wait_for "50%, 1 point above"
}

test_a_short_pane_scrolls_and_says_so() {
	qpc_start 40 10 xterm
	tui_keys 1
	tui_wait_for "Figures [guideline] (1/5"
	tui_wait_for "j/k: scroll"
	tui_expect_not_contains "Share of QPC" "Untapped"
	# j scrolls the figures; it does not move to another pane
	tui_keys j
	tui_wait_for "rows 2-"
	tui_keys G
	tui_wait_for "Share of QPC 27.1%"
	tui_expect_screen_contains "Untapped" "Figures [guideline] (1/5"
	tui_keys g
	tui_wait_for "rows 1-"
	tui_expect_not_contains "Untapped"
}

test_the_account_page_shows_every_figure_or_scrolls() {
	qpc_start 80 24 xterm
	open_account "Acme Numbers"
	tui_expect_screen_contains "Rep's estimate 90%, 69.8 points above" "Untapped" "Share 20.2%"
	# too short for the figures above the panes: one pane at a time, the
	# one in focus first, the figures in one of their own
	tui_resize 40 10
	tui_wait_for "QPC by category (2/3, Tab: next)"
	tui_expect_screen_contains "Packaging"
	tui_keys BTab
	tui_wait_for "Figures (1/3, Tab: next)"
	tui_expect_screen_contains "Acme Numbers" "j/k: scroll"
	tui_expect_not_contains "Rep's estimate"
	tui_keys G
	tui_wait_for "Rep's estimate 90%"
	tui_expect_screen_contains "rows "
	tui_keys Tab Tab
	tui_wait_for "History (3/3"
	tui_resize 80 24
	tui_wait_for "QPC by category"
	tui_expect_screen_contains "Rep's estimate 90%"
	tui_expect_not_contains "Figures ("
}

test_the_rep_estimate_reads_as_a_percentage_once_typed() {
	qpc_start 100 30 xterm
	open_account "Birch Numbers"
	tui_keys e
	tui_wait_for "QPC of Birch Numbers"
	tui_keys j Enter C-u # the rep's share estimate
	tui_type "0.9"
	tui_keys Enter
	tui_wait_for "Rep's estimate of our share 90%"
	tui_keys Enter C-u
	tui_type "85"
	tui_keys Enter
	tui_wait_for "Rep's estimate of our share 85%"
}

test_a_goal_progress_is_rounded() {
	# Dune became a partner this year: 1 of 6 is 16.7%, which reads 17%
	qpc --db "$DB" goal set 2026 6 >"$TUI_DIR/n.out" 2>&1 ||
		tui_fail "goal set: $(cat "$TUI_DIR/n.out")"
	qpc_start 100 30 xterm
	tui_keys 4
	tui_wait_for "Partner goals"
	tui_screen | grep -q "^2026  *6  *1 .* 17%" ||
		tui_fail "the 2026 row is '$(tui_screen | grep '^2026')', expected 1 of 6 as 17%"
}

# A sales file without a profit column: the gross profit of its customers
# is unknown, shown as such and left out of the totals and the curve,
# never read as 0.
profit_db() { # NAME ACCOUNTS-WITH-PROFIT ACCOUNTS-WITHOUT
	P=$TUI_DIR/$1.db
	qpc --db "$P" init >"$TUI_DIR/n.out" 2>&1 || tui_fail "init: $(cat "$TUI_DIR/n.out")"
	{
		echo "Account ID,Date,Category,Amount,Gross Profit"
		for a in $2; do echo "$a,2026-10-01,Widgets,1000.00,250.00"; done
	} >"$TUI_DIR/$1-with.csv"
	{
		echo "Account ID,Date,Category,Amount"
		for a in $3; do echo "$a,2026-10-01,Widgets,500.00"; done
	} >"$TUI_DIR/$1-without.csv"
	for f in with without; do
		qpc --db "$P" import sales "$TUI_DIR/$1-$f.csv" >"$TUI_DIR/n.out" 2>&1 ||
			tui_fail "import $f: $(cat "$TUI_DIR/n.out")"
	done
}

test_unknown_gross_profit_is_not_zero() {
	profit_db some "U1 U2 U3 U4 U5" "U6 U7"
	numbers=$DB
	DB=$TUI_DIR/some.db
	qpc_start 200 40 xterm
	tui_keys 1
	tui_wait_for "Gross profit 1,250.00  (5 customers with profit)" 60
	tui_expect_screen_contains "Sales 12m    6,000.00" \
		"Top 20% of customers with profit make 20% of GP"
	tui_stop
	profit_db none "" "N1 N2"
	DB=$TUI_DIR/none.db
	qpc_start 200 40 xterm
	tui_keys 1
	tui_wait_for "No customer's gross profit is known" 60
	tui_expect_screen_contains "Gross profit –  (0 customers with profit)"
	tui_expect_not_contains "Gross profit 0.00"
	DB=$numbers
}

tui_main "$@"
