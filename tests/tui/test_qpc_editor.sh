#!/bin/sh
# test_qpc_editor.sh — the QPC editor (e) and the underestimate filter (u)
# doing a rep's job end to end, checked on the screen and again through
# qpc export and qpc history.
. "$(dirname "$0")/qpc_lib.sh"

# A customer of the demo (neither candidate nor bound by a contract) with
# less than 5,603.16 of sales in 12 months: two_lines tops them up to that,
# so that the figures below do not depend on how the demo spreads sales.
ACC=$(fig_sql "SELECT external_id FROM account WHERE status = 'customer'
	AND sales_12m BETWEEN 100000 AND 550000 AND rep_share_bp IS NULL AND employees > 0
	AND id NOT IN (SELECT account_id FROM contract) ORDER BY id LIMIT 1")
NAME=$(qpc_sql "SELECT name FROM account WHERE external_id = '$ACC'")

# The account with two verified lines of 5,000: QPC 10,000 against its
# sales of 5,603.16, a share of 56.0%.
two_lines() {
	sales=$(account_figure "$ACC" sales_12m | tr -d .)
	sales=${sales#"${sales%%[!0]*}"} # in cents, without leading zeros
	if [ "${sales:-0}" != 560316 ]; then
		topup=$((560316 - ${sales:-0}))
		printf 'Customer ID,Date,Amount\n%s,2026-11-02,%d.%02d\n' "$ACC" $((topup / 100)) \
			$((topup % 100)) >"$TUI_DIR/topup.csv"
		qpc --db "$DEMO" import sales "$TUI_DIR/topup.csv" >"$TUI_DIR/topup.out" 2>&1 ||
			tui_fail "cannot top up the sales of $ACC: $(cat "$TUI_DIR/topup.out")"
	fi
	qpc_sql "SELECT c.name FROM potential p JOIN category c ON c.id = p.category_id
		JOIN account a ON a.id = p.account_id WHERE a.external_id = '$ACC'" |
		while IFS= read -r cat; do
			qpc --db "$DEMO" potential rm "$ACC" "$cat" || tui_fail "cannot remove $cat"
		done
	for cat in Packaging Safety; do
		qpc --db "$DEMO" potential set "$ACC" "$cat" 5000 --basis "customer stated" \
			--verified --measured-on 2026-01-10 || tui_fail "cannot set $cat"
	done
	[ "$(account_figure "$ACC" sales_12m)" = 5603.16 ] ||
		tui_fail "the sales of $ACC are not 5,603.16: this test's figures need them"
}

# The account's line of `qpc export potential` for a category (CSV lines
# end in CR LF: the CR goes).
exported() {
	qpc --db "$DEMO" export potential | tr -d '\r' | grep "^$ACC,.*,$1,"
}

# Starts qpc (COLS ROWS) with the cursor on the account in the list.
start_on_account() {
	qpc_start "$1" "$2" xterm
	tui_keys /
	tui_type "$ACC"
	tui_keys Enter
	[ "$1" -lt 80 ] || qpc_expect_status "/$ACC: 1 match" # else cut: the title shows it
}

test_edit_an_amount_see_the_share_change_and_save() {
	two_lines
	start_on_account 100 30
	tui_keys Enter
	tui_wait_for "QPC by category"
	tui_keys e
	tui_wait_for "QPC of $NAME"
	tui_expect_screen_contains "QPC 10,000 → 10,000" "Share 56.0% → 56.0%" "Packaging" "Safety"
	tui_type "12.5k" # the cursor starts on the first line's amount
	tui_wait_for "QPC 10,000 → 17,500"
	tui_expect_screen_contains "Share 56.0% → 32.0%" "Status customer → customer"
	tui_keys Enter
	tui_wait_for "changed"
	tui_keys w
	tui_wait_for "Saved: QPC 17,500, share 32.0%, status customer"
	tui_expect_screen_contains "QPC 17,500 (verified" "Share 32.0%" "QPC by category"
	tui_keys q
	tui_wait_for "Accounts:"
	row=$(tui_screen | grep -F "$(printf '%.16s' "$NAME")")
	case $row in
	*17,500*32.0%*) ;;
	*) tui_fail "the list shows '$row', not the new QPC and share" ;;
	esac
	exported Packaging | grep -q ",12500.00,customer stated,1,2026-11-27,tester$" ||
		tui_fail "export: $(exported Packaging)"
	exported Safety | grep -q ",5000.00,customer stated,1,2026-01-10,tester$" ||
		tui_fail "export: $(exported Safety)"
	qpc --db "$DEMO" history "$ACC" | grep -q "2026-11-27 tester  *$ACC .*QPC in Packaging: 5,000.00 → 12,500.00" ||
		tui_fail "history: $(qpc --db "$DEMO" history "$ACC" | tail -3)"
}

test_becoming_a_partner_is_previewed_and_esc_asks_first() {
	two_lines
	start_on_account 80 24
	tui_keys e
	tui_wait_for "QPC of $NAME"
	tui_type "2k"
	tui_wait_for "becomes a partner"
	tui_expect_screen_contains "Share 56.0% → 80.0%" "Status customer → partner"
	tui_keys Enter Escape
	tui_wait_for "Discard your changes to the QPC? (y/n)"
	tui_keys n
	tui_wait_gone "Discard"
	tui_expect_screen_contains "QPC of $NAME" "becomes a partner"
	tui_keys q
	tui_wait_for "Discard your changes to the QPC? (y/n)"
	tui_keys y
	tui_wait_for "Accounts:"
	exported Packaging | grep -q ",5000.00," || tui_fail "discarded, yet saved: $(exported Packaging)"
}

test_an_invalid_amount_is_highlighted_and_not_saved() {
	two_lines
	start_on_account 80 24
	tui_keys e
	tui_wait_for "QPC of $NAME"
	tui_type "12.5x"
	tui_keys Enter
	tui_wait_for "amount: "
	esc=$(printf '\033')
	tui_screen_attrs | grep -q "${esc}\[31m\(${esc}\[[0-9;]*m\)* *12\.5x" ||
		tui_fail "the invalid amount is not in the error colour"
	tui_keys w
	tui_wait_for "Not saved: amount: "
	tui_keys Enter C-u
	tui_type -- "-5"
	tui_keys Enter
	tui_wait_for "amount: a QPC cannot be negative"
	tui_keys F2
	tui_wait_for "Not saved: amount: a QPC cannot be negative"
	tui_keys Enter C-u
	tui_type "5000000000000"
	tui_keys Enter
	tui_wait_for "trillion"
	exported Packaging | grep -q ",5000.00," || tui_fail "an invalid amount was saved: $(exported Packaging)"
	tui_keys Enter C-u
	tui_type "2026-12-01" # typed into the amount: not an amount either
	tui_keys Tab Tab Tab # the first one leaves the amount for the basis
	qpc_expect_status "line 1/2: measured on"
	tui_keys Enter C-u
	tui_type "2027-01-01"
	tui_keys Enter
	tui_wait_for "measured on: measured in the future"
}

test_a_conflict_names_the_change_and_overwrite_works() {
	two_lines
	start_on_account 100 30
	tui_keys e
	tui_wait_for "QPC of $NAME"
	tui_type "12.5k"
	tui_keys Enter
	QPC_USER=bob qpc --db "$DEMO" potential set "$ACC" Packaging 9000 --basis "rep estimate" ||
		tui_fail "the other writer failed"
	tui_keys w
	tui_wait_for "Not saved: w overwrites their changes, R reloads them"
	tui_expect_screen_contains "someone else saved this account's QPC" \
		"(bob at 09:00, QPC in Packaging: 5,000.00" "-> 9,000.00"
	exported Packaging | grep -q ",9000.00,rep estimate,0," || tui_fail "theirs lost: $(exported Packaging)"
	tui_keys w
	tui_wait_for "Overwrite what they saved with your changes? (y/n)"
	tui_keys y
	tui_wait_for "Saved: QPC 17,500"
	exported Packaging | grep -q ",12500.00,customer stated,1,2026-11-27,tester$" ||
		tui_fail "not overwritten: $(exported Packaging)"
	qpc --db "$DEMO" history "$ACC" | grep -q "bob .*QPC in Packaging: 5,000.00 → 9,000.00" ||
		tui_fail "bob's change is not in the history"
	qpc --db "$DEMO" history "$ACC" | grep -q "tester .*QPC in Packaging: 9,000.00 → 12,500.00" ||
		tui_fail "the overwrite is not in the history"
}

test_others_changes_to_other_lines_are_told_before_saving() {
	two_lines
	start_on_account 100 30
	tui_keys e
	tui_wait_for "QPC of $NAME"
	tui_type "12.5k"
	tui_keys Enter
	QPC_USER=bob qpc --db "$DEMO" potential set "$ACC" Safety 9000 --basis "rep estimate" ||
		tui_fail "the other writer failed"
	tui_keys w
	tui_wait_for "Save yours beside theirs? (y/n)"
	tui_expect_screen_contains \
		"Changed since you opened it: bob at 09:00, QPC in Safety: 5,000.00 → 9,000.00, no" \
		"changes stay."
	tui_keys y
	tui_wait_for "Saved: QPC 21,500"
	exported Safety | grep -q ",9000.00,rep estimate,0," || tui_fail "theirs lost: $(exported Safety)"
	exported Packaging | grep -q ",12500.00," || tui_fail "ours not saved: $(exported Packaging)"
}

test_a_conflict_can_take_theirs_instead() {
	two_lines
	start_on_account 80 24
	tui_keys e
	tui_wait_for "QPC of $NAME"
	tui_type "12.5k"
	tui_keys Enter
	QPC_USER=bob qpc --db "$DEMO" potential set "$ACC" Packaging 9000 || tui_fail "bob failed"
	tui_keys w
	tui_wait_for "R reloads them"
	tui_keys R
	tui_wait_for "Take their changes and lose yours? (y/n)"
	tui_keys y
	tui_wait_for "Reloaded"
	tui_expect_screen_contains "QPC 14,000 → 14,000" "9,000"
	tui_keys q
	tui_wait_for "Accounts:"
	exported Packaging | grep -q ",9000.00,rep estimate,0," || tui_fail "theirs lost: $(exported Packaging)"
}

test_a_formula_estimate_fills_a_line_unverified() {
	two_lines
	want=$(qpc --db "$DEMO" potential estimate "$ACC" --dry-run |
		sed -n 's/^  Packaging  *\([0-9,.]*\) .*/\1/p' | tr -d ,)
	[ -n "$want" ] || tui_fail "no estimate for Packaging to compare with"
	start_on_account 100 30
	tui_keys e
	tui_wait_for "QPC of $NAME"
	tui_keys f
	tui_wait_for "By formula: $(qpc_sql "SELECT employees FROM account WHERE external_id = '$ACC'") employees x"
	tui_expect_screen_contains "formula"
	tui_keys w
	tui_wait_for "Saved:"
	exported Packaging | grep -q ",$want,formula,0,2026-11-27,tester$" ||
		tui_fail "export: $(exported Packaging), expected $want by formula, unverified"
	qpc --db "$DEMO" history "$ACC" | grep -q "QPC in Packaging: basis customer stated → formula" ||
		tui_fail "the basis change is not in the history"
}

test_lines_added_and_deleted_at_40x12() {
	two_lines
	start_on_account 40 12
	tui_keys e
	tui_wait_for "QPC of $(printf '%.20s' "$NAME")"
	qpc_expect_status "line 1/2: amount"
	tui_keys a
	qpc_expect_status "line 3/3: editing"
	tui_type "Robots"
	tui_keys Tab
	tui_type "7,5k"
	tui_keys Tab
	tui_keys b b # rep estimate -> purchasing records -> customer stated
	tui_keys v
	tui_keys Up d # Safety goes; Robots takes its place under the cursor
	qpc_expect_status "line 2/2: basis"
	tui_keys Right Right Enter C-u
	tui_type "yesterday"
	tui_keys Enter
	tui_keys j Enter # the rep's share estimate
	tui_type "40%"
	tui_keys Enter
	tui_keys w
	tui_wait_for "Saved:"
	exported Robots | grep -q ",7500.00,customer stated,1,2026-11-26,tester$" ||
		tui_fail "export: $(exported Robots)"
	[ -z "$(exported Safety)" ] || tui_fail "Safety was not deleted"
	[ "$(qpc_sql "SELECT rep_share_bp FROM account WHERE external_id = '$ACC'")" = 4000 ] ||
		tui_fail "the rep's share estimate was not saved"
	qpc --db "$DEMO" history "$ACC" | grep -q "QPC in Safety: 5,000.00 → –" ||
		tui_fail "the deletion is not in the history"
}

test_every_size_draws_the_editor() {
	two_lines
	for size in "80 24" "40 12" "32 8" "200 60"; do
		# shellcheck disable=SC2086
		start_on_account $size
		tui_keys e
		qpc_expect_status "help"
		tui_keys a
		tui_type "A category with a long name that does not fit"
		tui_keys Tab
		tui_type "1"
		tui_keys Enter Escape
		tui_wait_for "Discard"
		tui_keys y Q
		[ "$(tui_wait_exit)" = 0 ] || tui_fail "did not quit at $size"
	done
}

test_a_read_only_database_cannot_be_edited() {
	file_only "a file others may not write"
	ro=$TUI_DIR/ro
	mkdir -p "$ro"
	cp "$DEMO" "$ro/ro.db"
	cp "$QPC" "$ro/qpc" # the build folder may be closed to others
	chmod 0755 "$TUI_DIR" "$ro"
	chmod 0444 "$ro/ro.db"
	chmod 0555 "$ro"
	if [ "$(id -u)" = 0 ]; then # root writes anyway: be somebody else
		tui_start 80 24 xterm su nobody -s /bin/sh -c \
			"QPC_NOW=$QPC_NOW exec '$ro/qpc' --db '$ro/ro.db'"
	else
		tui_start 80 24 xterm "$ro/qpc" --db "$ro/ro.db"
	fi
	qpc_wait_ready
	qpc_expect_status "read-only"
	tui_keys e
	tui_wait_for "cannot edit the QPC: the database is read-only here"
	tui_keys Enter
	tui_wait_for "QPC by category"
	tui_keys e
	tui_wait_for "cannot edit the QPC: the database is read-only here"
	tui_expect_not_contains "QPC of"
	chmod 0755 "$ro"
}

test_underestimates_are_filtered() {
	DB=$TUI_DIR/under.db
	export DB
	qpc --db "$DB" init >/dev/null
	printf '%s\n' "External ID,Name,Segment,Employees" "C1,Calib One,Industry,100" \
		"C2,Calib Two,Industry,100" "C3,Calib Three,Industry,100" "U1,Under One,Industry,100" \
		"U2,Under Two,Industry,200" "N1,Near One,Industry,100" "N2,Unmeasured,Industry,100" \
		"N3,No Size,Industry," >"$TUI_DIR/a.csv"
	qpc --db "$DB" import accounts "$TUI_DIR/a.csv" >/dev/null
	for c in C1 C2 C3; do # a factor of 1,000 per employee
		qpc --db "$DB" potential set "$c" Packaging 100000 --basis "customer stated" --verified
	done
	qpc --db "$DB" potential set U1 Packaging 49999 # estimate 100,000
	qpc --db "$DB" potential set U2 Packaging 10000 # estimate 200,000
	qpc --db "$DB" potential set N1 Packaging 50000 # half: not under
	qpc --db "$DB" potential set N3 Packaging 1     # no size, no estimate
	qpc --db "$DB" potential estimate U2 --dry-run | grep -q "200,000.00" ||
		tui_fail "the CLI's estimate for U2 is not 200,000"
	qpc_start 100 20 xterm
	tui_wait_for "Accounts: 8"
	tui_keys u
	tui_wait_for "Accounts: 2 of 8"
	tui_expect_screen_contains "QPC under half the estimate" "Under One" "Under Two"
	tui_expect_not_contains "Near One" "Calib" "Unmeasured" "No Size"
	tui_keys Enter
	tui_wait_for "Estimate 100,000 (employees x factor, 3 accounts)"
	tui_keys q u
	tui_wait_for "Accounts: 8"
	tui_keys u
	tui_wait_for "Accounts: 2 of 8"
	# a new verified account moves the factor: U1 (49,999) is no longer
	# under.  It lands at once, often before the dashboard's loop has
	# first asked whether another qpc wrote (a second after it opened,
	# later while keys keep coming): it must show all the same.
	printf '%s\n' "external_id,category,amount,basis,verified,measured_on" \
		"N2,Packaging,60000,customer stated,1,2026-11-27" \
		"C3,Packaging,90000,customer stated,1,2026-11-27" >"$TUI_DIR/p.csv"
	qpc --db "$DB" import potential "$TUI_DIR/p.csv" >/dev/null
	tui_wait_for "Accounts: 1 of 8"
	tui_expect_screen_contains "Under Two"
	tui_expect_not_contains "Under One"
}

tui_main "$@"
