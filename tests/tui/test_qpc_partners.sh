#!/bin/sh
# test_qpc_partners.sh — figures a manager can trust, on the dashboard: the
# goals by year with first-time, regained, lost and confirmed partners; the
# partners confirmed and provisional and the 24-month trend on the
# dashboard; the provisional partners filter; a systems contract set and
# ended from an account's page.  What the screen says is checked against
# the command line (report, trend, contract list), which must agree.
. "$(dirname "$0")/qpc_lib.sh"

# Each case that writes works on its own copy of the demo database.
fresh_db() {
	DB=$TUI_DIR/$1.db
	dbcp "$DEMO" "$DB"
	export DB
}

cli() {
	qpc --db "${DB:-$DEMO}" "$@"
}

# json_num KEY: the first number of "KEY": N in the report's JSON.
json_num() {
	sed -n "s/^ *\"$1\": \\(-*[0-9][0-9.]*\\),*\$/\\1/p" "$TUI_DIR/report.json" | head -n 1
}

# count N: N with thousands separators, as the dashboard writes counts.
count() {
	printf "%'d" "$1" 2>/dev/null || printf '%d' "$1"
}

test_goals_show_first_time_regained_lost_and_confirmed() {
	cli report --format json >"$TUI_DIR/report.json"
	year=$(json_num year)
	qpc_start 80 24 xterm
	tui_keys 4
	tui_wait_for "Partner goals"
	heading=$(tui_screen | grep '^Year ')
	for col in Goal Made First Regained Lost Confirmed Progress; do
		case $heading in *" $col"*) ;; *) tui_fail "no column $col: '$heading'" ;; esac
	done
	# this year's row says what the report says, column by column
	want=$(printf '%s +%s +%s +%s +%s +%s +%s ' "$year" "$(json_num target)" \
		"$(json_num achieved)" "$(json_num first_time)" "$(json_num regained)" \
		"$(json_num lost)" "$(json_num achieved_confirmed)")
	tui_screen | grep -Eq "^$want" ||
		tui_fail "the row of $year is '$(tui_screen | grep "^$year ")', expected /$want/"
	# a past year without a goal has its figures too, a year to come none
	past=$(qpc_sql "SELECT min(substr(since, 1, 4)) FROM status_span WHERE status = 3")
	tui_screen | grep -Eq "^$past +- +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+ +[0-9]+" ||
		tui_fail "the row of $past lacks its figures: '$(tui_screen | grep "^$past ")'"
	tui_screen | grep -Eq "^$((year + 1)) +[0-9]+ +0 +[^0-9 ]" ||
		tui_fail "next year's row: '$(tui_screen | grep "^$((year + 1)) ")'"
	# 40 columns: year, goal, made and progress stay; first and regained go
	tui_resize 40 24
	tui_wait_for "Goal Made Lost" # painted anew: the narrow heading
	heading=$(tui_screen | grep '^Year ')
	case $heading in *Made*Progress*) ;; *) tui_fail "at 40 columns: '$heading'" ;; esac
	case $heading in *Regained*) tui_fail "at 40 columns Regained still shows: '$heading'" ;; esac
	tui_screen | grep -Eq "^$year +$(json_num target) +$(json_num achieved) " ||
		tui_fail "at 40 columns the row of $year is '$(tui_screen | grep "^$year ")'"
}

test_dashboard_partners_confirmed_provisional_and_trend() {
	cli report --format json >"$TUI_DIR/report.json"
	partners=$(json_num partners)
	confirmed=$(json_num partners_confirmed)
	cli trend --months 24 --format csv >"$TUI_DIR/trend.csv"
	last=$(tail -n 1 "$TUI_DIR/trend.csv" | cut -d, -f3)
	made=$(tail -n 12 "$TUI_DIR/trend.csv" | awk -F, '{ n += $4 } END { print n }')
	lost=$(tail -n 12 "$TUI_DIR/trend.csv" | awk -F, '{ n += $5 } END { print n }')
	qpc_start 120 40 xterm
	tui_keys 1
	[ "$made" = 1 ] && s= || s=s
	tui_wait_for "12 months: $made new partner$s, $lost lost"
	tui_expect_screen_contains "Trend, 24 months" \
		"confirmed  $confirmed, $((partners - confirmed)) provisional: "
	# the reasons, most common first, as the report counts them
	unverified=$(json_num unverified)
	[ "$unverified" -eq 0 ] || tui_expect_screen_contains "provisional: $unverified unverified"
	tui_screen | grep -q "Partners .* → $last" || tui_fail "the partners' trend does not end at $last"
	tui_screen | grep -q "Share .*% → " || tui_fail "no share of QPC trend"
	# the latest month ends, newest first
	tui_screen | grep -Eq "Nov 2026 +$last +[0-9]+ +[0-9]+ +[0-9.]+%" ||
		tui_fail "no row for November 2026 with $last partners"
	# 80x24: the three lines of the trend still fit beside the figures
	tui_resize 80 24
	tui_wait_for "12 months: $made new partners"
	tui_expect_screen_contains "confirmed  $confirmed, " "Partners " "Share "
	# narrow: one pane at a time, the trend the third
	tui_resize 40 20
	tui_keys Tab Tab
	tui_wait_for "Trend, 24 months (3/5"
	tui_wait_for "12 months: $made new"
}

test_provisional_partners_filter() {
	n=$(fig_sql "SELECT count(*) FROM account WHERE status = 'partner' AND quality > 0")
	partners=$(fig_sql "SELECT count(*) FROM account WHERE status = 'partner'")
	[ "$n" -gt 1 ] && [ "$n" -lt "$partners" ] || tui_fail "the demo has $n provisional of $partners partners"
	first=$(fig_sql "SELECT substr(name, 1, 16) FROM account WHERE status = 'partner' AND quality > 0
		ORDER BY sort_untapped DESC, id DESC LIMIT 1")
	qpc_start 100 30 xterm
	tui_keys p
	tui_wait_for "Accounts: $n of $DEMO_ACCOUNTS · provisional partners"
	qpc_expect_status "1/$n"
	tui_expect_screen_contains "$first"
	rows=$(tui_screen | sed -n "$((N_HEAD + 1)),$((N_HEAD + n))p")
	if printf '%s\n' "$rows" | grep -v -q ' partner '; then
		tui_fail "a row that is not a partner: $(printf '%s\n' "$rows" | grep -v ' partner ' | head -n 1)"
	fi
	# the same with the status filter on partners; none among customers
	tui_keys t
	tui_wait_for "Accounts: $n of $DEMO_ACCOUNTS · partners · provisional partners"
	tui_keys t
	tui_wait_for "No account matches these filters"
	tui_keys a
	tui_wait_for "Accounts: $DEMO_ACCOUNTS"
	tui_keys p
	tui_wait_for "Accounts: $n of"
	# the account's page says why
	tui_keys g Enter
	tui_wait_for "Partner provisional ("
	reason=$(fig_sql "SELECT quality FROM account WHERE status = 'partner' AND quality > 0
		ORDER BY sort_untapped DESC, id DESC LIMIT 1")
	case $reason in
	1) tui_expect_screen_contains "(unverified)" ;;
	2) tui_expect_screen_contains "(stale)" ;;
	3) tui_expect_screen_contains "(below sales)" ;;
	4) tui_expect_screen_contains "(missing category)" ;;
	5) tui_expect_screen_contains "(unmeasured)" ;;
	esac
	tui_keys q p
	tui_wait_for "Accounts: $DEMO_ACCOUNTS"
	tui_expect_not_contains "provisional partners"
}

# A partner whose buying stopped in August: 80% today, 60% three months
# ahead at its pace (none), under the threshold from January.  The
# dashboard counts it, the accounts filter lists it with its projection,
# both as the report's JSON says.
test_partners_at_risk_on_the_dashboard_and_in_the_filter() {
	fresh_db risk
	printf '%s\n' "External ID,Name,Owner,Rep share estimate" "ZS1,Zz Slowing Foods,zoe,95%" \
		>"$TUI_DIR/risk-acc.csv"
	{
		echo "Account ID,Date,Category,Amount"
		for m in 01 02 03 04 05 06 07 08; do echo "ZS1,2026-$m-15,Paper,100.00"; done
	} >"$TUI_DIR/risk-sales.csv"
	cli import accounts "$TUI_DIR/risk-acc.csv" >/dev/null 2>&1 &&
		cli import sales "$TUI_DIR/risk-sales.csv" >/dev/null 2>&1 &&
		cli potential set ZS1 Paper 1000 --measured-on 2026-01-01 >/dev/null 2>&1 ||
		tui_fail "could not add the partner at risk"
	cli report --format json >"$TUI_DIR/report.json"
	n=$(sqlite3 :memory: "SELECT json_array_length(readfile('$TUI_DIR/report.json'), '\$.partners_at_risk')")
	[ "$n" -ge 1 ] || tui_fail "the report has no partner at risk"
	month=$(sqlite3 :memory: "SELECT json_extract(value, '\$.crosses_month') FROM
		json_each(readfile('$TUI_DIR/report.json'), '\$.partners_at_risk') WHERE json_extract(value, '\$.id') = 'ZS1'")
	[ "$month" = 2027-01 ] || tui_fail "ZS1 crosses in '$month', not 2027-01"
	first=$(sqlite3 :memory: "SELECT min(json_extract(value, '\$.crosses_month')) FROM
		json_each(readfile('$TUI_DIR/report.json'), '\$.partners_at_risk')")
	median=$(json_num median_points)
	qpc_start 100 30 xterm
	tui_keys 1
	if [ "$n" = 1 ]; then
		tui_wait_for "At risk      1 partner  (first under by $first)"
	else
		tui_wait_for "At risk      $n partners  (first under by $first)"
	fi
	tui_expect_screen_contains "Rep estimate "
	tui_keys 2 w
	tui_wait_for "Accounts: $n of $((DEMO_ACCOUNTS + 1)) · partners at risk"
	tui_expect_screen_contains "In 3 mo" "Under by"
	tui_screen | grep -Eq "Zz Slowing Foods +zoe .* 80\.0% +60\.0% partner +2027-01" ||
		tui_fail "the row of ZS1: '$(tui_screen | grep "Zz Slowing")'"
	# the projection is no column to sort by: s passes over it
	tui_keys s
	qpc_expect_status "sorted by status"
	tui_keys s
	qpc_expect_status "sorted by name"
	tui_keys w
	tui_wait_for "Accounts: $((DEMO_ACCOUNTS + 1))"
	tui_expect_screen_contains "Untapped"
	[ -n "$median" ] || tui_fail "no median estimate gap in the report"
}

# Traits: a partner rated on Trust shows it on its page beside the
# objective traits, and the dashboard compares partners with the others,
# as the report's JSON does.
test_traits_on_the_account_page_and_the_dashboard() {
	fresh_db traits
	ext=$(fig_sql "SELECT external_id FROM account WHERE status = 'partner' ORDER BY id LIMIT 1")
	other=$(fig_sql "SELECT external_id FROM account WHERE status = 'customer' ORDER BY id LIMIT 1")
	name=$(fig_sql "SELECT name FROM account WHERE external_id = '$ext'")
	cats=$(db_sql "$DB" "SELECT count(DISTINCT category_id) FROM sale WHERE account_id =
		(SELECT id FROM account WHERE external_id = '$ext') AND date > '2025-11-27' AND date <= '2026-11-27'")
	{ cli trait add Trust && cli rate "$ext" Trust 5 && cli rate "$other" Trust 2; } >/dev/null 2>&1 ||
		tui_fail "could not rate"
	qpc_start 100 30 xterm
	tui_keys 1
	tui_wait_for "Traits       partners | others (rated)"
	tui_expect_screen_contains "  Trust      5.0 (1) | 2.0 (1) of 5"
	tui_keys 2 /
	tui_type "$ext"
	tui_keys Enter Enter
	tui_wait_for "$ext"
	qpc_expect_status "$name"
	tui_expect_screen_contains "Traits" "Trust 5/5" "$cats categor"
}

# R on an account: the traits with the rating in force, a score off the
# scale refused (nothing written), then a score and a note, kept as
# `qpc rate` keeps them and shown on the page.
test_rate_an_account_from_its_page() {
	fresh_db rate
	ext=$(fig_sql "SELECT external_id FROM account WHERE status = 'customer' ORDER BY id LIMIT 1")
	name=$(fig_sql "SELECT name FROM account WHERE external_id = '$ext'")
	{ cli trait add Trust && cli trait add "Shares its plans" --scale 0-10 &&
		QPC_NOW=2026-06-01T09:00:00Z cli rate "$ext" Trust 2; } >/dev/null 2>&1 ||
		tui_fail "could not set up the traits"
	was=$(db_sql "$DB" "SELECT count(*) FROM trait_rating")
	qpc_start 100 30 xterm
	tui_keys 2 /
	tui_type "$ext"
	tui_keys Enter Enter
	qpc_expect_status "$name"
	tui_keys R
	tui_wait_for "on which trait?"
	tui_expect_screen_contains "Shares its plans" "0-10" "Trust" "1-5" "2026-06-01"
	# down to Trust, in name order among the demo's own traits
	at=$(cli trait list | grep -n "^Trust " | cut -d: -f1)
	[ -n "$at" ] || tui_fail "no Trust in: $(cli trait list)"
	i=1
	while [ "$i" -lt "$at" ]; do tui_keys j; i=$((i + 1)); done
	tui_keys Enter
	tui_wait_for "on 'Trust' (1-5), then a note:"
	tui_keys C-u
	tui_type "7 far too trusting"
	tui_keys Enter
	tui_wait_for "a score of 'Trust' is a whole number from 1 to 5"
	[ "$(db_sql "$DB" "SELECT count(*) FROM trait_rating")" = "$was" ] || tui_fail "a refused score was kept"
	tui_keys R
	tui_wait_for "on which trait?"
	i=1
	while [ "$i" -lt "$at" ]; do tui_keys j; i=$((i + 1)); done
	tui_keys Enter
	tui_wait_for "on 'Trust' (1-5), then a note:"
	tui_keys C-u
	tui_type "4 met their CFO"
	tui_keys Enter
	tui_wait_for "Rated 'Trust' 4 on 2026-11-27."
	tui_expect_screen_contains "Trust 4/5" "rated 4"
	cli export traits | grep -q "^$ext,.*,Trust,4,2026-11-27,tester,met their CFO" ||
		tui_fail "not in the export: $(cli export traits)"
	cli export traits | grep -q "^$ext,.*,Trust,2,2026-06-01," || tui_fail "the earlier rating is gone"
}

# E on the dashboard: the reps' estimates against the measured share by
# owner, as the report's JSON gives them, the largest gaps in the status
# bar, the team last.
test_rep_estimates_by_owner_from_the_dashboard() {
	fresh_db gaps
	cli report --format json >"$TUI_DIR/gaps.json"
	j() { sqlite3 :memory: "SELECT $1 FROM json_each(json_extract(readfile('$TUI_DIR/gaps.json'), '\$.rep_estimate_gap')) WHERE key = 0"; }
	owner=$(j "json_extract(value, '\$.owner')")
	count=$(j "json_extract(value, '\$.count')")
	measured=$(j "json_extract(value, '\$.measured')")
	median=$(j "printf('%+.1f', json_extract(value, '\$.median_points'))")
	first=$(j "json_extract(value, '\$.largest[0].name') || printf(' %+.1f', json_extract(value, '\$.largest[0].gap_points'))")
	[ -n "$owner" ] && [ "$measured" -gt 0 ] || tui_fail "the demo has no measured estimate: $owner $measured"
	qpc_start 140 30 xterm
	tui_keys 1
	qpc_expect_status "E: rep estimates"
	tui_keys E
	tui_wait_for "Rep estimates: the reps' share estimates"
	tui_line 4 | grep -q "^$owner  *$count  *$measured  *$median  *$first" ||
		tui_fail "first owner: '$(tui_line 4)', expected $owner $count $measured $median $first"
	qpc_expect_status "$owner: $first"
	tui_keys G
	qpc_expect_status "The team:"
	tui_expect_screen_contains "The team"
	tui_keys q
	tui_wait_for "Rep estimate"
}

test_contract_set_and_ended_from_the_account_page() {
	fresh_db contract
	ext=$(fig_sql "SELECT external_id FROM account WHERE status = 'customer'
		AND id NOT IN (SELECT account_id FROM contract) ORDER BY id LIMIT 1")
	name=$(fig_sql "SELECT name FROM account WHERE external_id = '$ext'")
	qpc_start 100 30 xterm
	tui_keys /
	tui_type "$ext"
	tui_keys Enter Enter
	tui_wait_for "$ext"
	qpc_expect_status "$name"
	tui_expect_not_contains "Contract "
	# signed today (offered), no end: a partner by contract from today
	tui_keys C
	tui_wait_for "signed (or: end DATE): 2026-11-27"
	tui_keys Enter
	tui_wait_for "Ends on (YYYY-MM-DD; empty: no end):"
	tui_keys Enter
	tui_wait_for "Contracted value a year (empty: none):"
	tui_type "120,000"
	tui_keys Enter
	tui_wait_for "Contract saved: signed 2026-11-27, no end, 120,000 a year"
	tui_wait_for "Contract signed 2026-11-27, no end, 120,000 a year"
	tui_wait_for "partner (contract)"
	# an end before the signing is refused, and changes nothing
	tui_keys C Enter
	tui_wait_for "Ends on"
	tui_type 2026-01-01
	tui_keys Enter
	tui_wait_for "a contract must end after the day it is signed"
	# what is not a date is said so
	tui_keys C C-u
	tui_type 2026-13-45
	tui_keys Enter
	tui_wait_for "signed on '2026-13-45'?"
	# the contract in force is offered: Enter keeps it, with an end now
	tui_keys C
	tui_wait_for "signed (or: end DATE): 2026-11-27"
	tui_keys Enter
	tui_type 2028-11-27
	tui_keys Enter
	tui_wait_for "Contracted value a year (empty: none): 120000"
	tui_keys Enter
	tui_wait_for "Contract saved: signed 2026-11-27, ends 2028-11-27, 120,000 a year"
	cli contract list >"$TUI_DIR/contracts" 2>&1 || tui_fail "contract list: $(cat "$TUI_DIR/contracts")"
	grep -q "$ext .*signed 2026-11-27, ends 2028-11-27, value 120,000.00, in force .*by tester" \
		"$TUI_DIR/contracts" || tui_fail "contract list: $(grep "$ext" "$TUI_DIR/contracts")"
	# ended from the page
	tui_keys C C-u
	tui_type "end 2027-06-30"
	tui_keys Enter
	tui_wait_for "Contract ends on 2027-06-30"
	tui_wait_for "Contract signed 2026-11-27, ends 2027-06-30"
	cli contract list | grep -q "$ext .*ends 2027-06-30" || tui_fail "the end is not saved"
	tui_keys q
	tui_keys Q
	tui_wait_exit >/dev/null
	cli history | grep -q " tester .*Contract: signed" || tui_fail "no history of the contract by tester"
}

test_a_contract_is_refused_read_only_and_esc_changes_nothing() {
	fresh_db esc
	before=$(cli contract list)
	qpc_start 80 24 xterm
	tui_keys C
	tui_wait_for "signed (or: end DATE):"
	tui_keys Escape
	tui_wait_for "the contract is as it was"
	tui_keys Q
	tui_wait_exit >/dev/null
	[ "$(cli contract list)" = "$before" ] || tui_fail "Esc changed the contracts"
	read_only_db
	# shellcheck disable=SC2086
	tui_start 80 24 xterm $RO_QPC --db "$DB"
	qpc_wait_ready
	tui_keys C
	tui_wait_for "cannot set a contract: the database is read-only here"
	tui_expect_not_contains "signed (or: end DATE)"
}

tui_main "$@"
