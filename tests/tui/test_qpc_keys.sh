#!/bin/sh
# test_qpc_keys.sh — keys that must do what a user of tig, htop or a GUI
# field expects (issue 14): a pre-filled answer typed over is replaced,
# Space pages while x and Enter tick (taking a tick back asks), Esc does
# not quit from a top view, d on a non-candidate says so at once, a
# filter shows its list from the top, and the empty list names i.
. "$(dirname "$0")/qpc_lib.sh"

# Every case that writes starts from the demo as it was made.
dbcp "$DEMO" "$TUI_DIR/pristine.db"
fresh() {
	rm -f "$DEMO-wal" "$DEMO-shm"
	dbcp "$TUI_DIR/pristine.db" "$DEMO"
}

qpc_cli() {
	qpc --db "$DEMO" "$@"
}

ESC=$(printf '\033')

# The message line with its attributes: reverse video is ESC [ 7 m.
message_attrs() {
	tui_screen_attrs | sed -n "${TUI_ROWS}p"
}

test_a_prefilled_goal_is_replaced_by_what_is_typed() {
	fresh
	qpc_start 80 24 xterm
	tui_keys 4
	tui_wait_for "Partner goals"
	tui_keys j Enter
	tui_wait_for "Partners to create in 2027: 45"
	# shown selected, so that typing is seen to replace it
	message_attrs | sed "s/${ESC}\[[34]9m//g" | grep -q "${ESC}\[\(0;\)*7m45" ||
		tui_fail "the value is not in reverse video: $(message_attrs | od -c | head -5)"
	tui_type 60
	tui_wait_for "Partners to create in 2027: 60"
	tui_expect_not_contains "2027: 4560"
	tui_keys Enter
	tui_wait_for "Goal 2027: 60 new partners"
	[ "$(qpc_sql "SELECT target FROM goal WHERE year = 2027")" = 60 ] ||
		tui_fail "the goal saved is $(qpc_sql "SELECT target FROM goal WHERE year = 2027")"
	# a cursor key keeps the value to edit; Backspace clears a selected one
	tui_keys Enter
	tui_wait_for "Partners to create in 2027: 60"
	tui_keys End
	tui_type 1
	tui_wait_for "Partners to create in 2027: 601"
	tui_keys Enter
	tui_wait_for "Goal 2027: 601 new partners"
	tui_keys Enter BSpace
	tui_wait_gone "Partners to create in 2027: 601"
	tui_type 7
	tui_keys Enter
	tui_wait_for "Goal 2027: 7 new partners"
}

test_an_amount_typed_over_in_the_qpc_editor_replaces_it() {
	fresh
	acc=$(fig_sql "SELECT external_id FROM account WHERE status = 'customer' AND id NOT IN
		(SELECT account_id FROM contract) ORDER BY id LIMIT 1")
	qpc_sql "SELECT c.name FROM potential p JOIN category c ON c.id = p.category_id
		JOIN account a ON a.id = p.account_id WHERE a.external_id = '$acc'" |
		while IFS= read -r cat; do
			qpc_cli potential rm "$acc" "$cat" || tui_fail "cannot remove $cat"
		done
	qpc_cli potential set "$acc" Packaging 1300 --basis "customer stated" --verified \
		--measured-on 2026-01-10 >/dev/null || tui_fail "cannot set the QPC of $acc"
	qpc_start 100 30 xterm
	tui_keys / "$acc" Enter
	qpc_expect_status "/$acc: 1 match"
	tui_keys e
	tui_wait_for "QPC 1,300 → 1,300"
	tui_keys Enter # edit the amount under the cursor, 1,300.00 selected
	tui_type 5.2k
	tui_wait_for "QPC 1,300 → 5,200"
	tui_keys Enter
	tui_expect_not_contains "1,300.005.2k"
	tui_keys w
	tui_wait_for "Saved: QPC 5,200"
	qpc_cli export potential | grep -q "^$acc,.*,Packaging,5200" ||
		tui_fail "the export: $(qpc_cli export potential | grep "^$acc,")"
}

test_space_pages_x_ticks_and_an_untick_asks_first_in_a_checklist() {
	fresh
	name=$(fig_sql "SELECT a.name FROM candidate c JOIN account a ON a.id = c.account_id
		WHERE c.dropped_on IS NULL AND NOT EXISTS (SELECT 1 FROM tick k WHERE k.candidate_id = c.id)
		AND a.name NOT GLOB '*[^A-Za-z ]*' ORDER BY a.id LIMIT 1")
	[ -n "$name" ] || tui_fail "the demo has no candidate without a tick"
	ticks="SELECT count(*) FROM tick k JOIN candidate c ON c.id = k.candidate_id
		JOIN account a ON a.id = c.account_id WHERE a.name = '$name' AND c.dropped_on IS NULL"
	qpc_start 100 30 xterm
	tui_keys / "$name" Enter Enter # its detail, then Tab to its checklist
	tui_wait_for "QPC by category"
	tui_keys Tab
	qpc_expect_status "Tab: checklist"
	tui_keys Enter
	tui_wait_for "Checklist: $name"
	qpc_expect_status "1. not ticked  x: tick"
	tui_keys Space # pages: ticks nothing
	tui_wait_for "0 of 4 done"
	sleep 0.3
	tui_expect_not_contains "Ticked"
	[ "$(qpc_sql "$ticks")" = 0 ] || tui_fail "Space ticked a step"
	tui_keys g x
	tui_wait_for "Ticked 1. Knows several people"
	tui_wait_for "1 of 4 done"
	tui_keys j Enter
	tui_wait_for "Ticked 2. Knows our senior executives"
	[ "$(qpc_sql "$ticks")" = 2 ] || tui_fail "x and Enter did not tick two steps"
	# taking a tick back asks, and only y does it
	tui_keys x
	tui_wait_for "Untick 2. Knows our senior executives for $name? (y/n)"
	tui_keys n
	tui_wait_for "still ticked"
	tui_keys Enter
	tui_wait_for "Untick 2. Knows our senior executives"
	tui_keys Escape
	tui_wait_for "still ticked"
	[ "$(qpc_sql "$ticks")" = 2 ] || tui_fail "n or Esc took a tick back"
	tui_keys x y
	tui_wait_for "Unticked 2. Knows our senior executives"
	tui_wait_for "1 of 4 done"
	[ "$(qpc_sql "$ticks")" = 1 ] || tui_fail "y did not take the tick back"
	# l opens the account, as in every list
	tui_keys l
	tui_wait_for "QPC by category"
}

test_on_the_board_x_ticks_and_an_untick_asks_first() {
	fresh
	n=$(qpc_sql "SELECT count(*) FROM candidate WHERE dropped_on IS NULL")
	qpc_start 100 30 xterm
	tui_keys 3 b
	tui_wait_for "Board: $n candidates by progress, most done first"
	tui_keys s # least done first: the first row has no tick
	tui_wait_for "by progress, least done first"
	tui_keys g
	tui_wait_line 4 "* 0/4 *"
	tui_keys x
	tui_wait_for "Ticked step 1 for "
	who=$(tui_screen | sed -n 's/.*Ticked step 1 for //p' | tail -n 1)
	tui_keys x
	tui_wait_for "Untick 1. Knows several people"
	tui_keys n
	tui_wait_for "still ticked"
	tui_keys Enter y
	tui_wait_for "Unticked step 1 for $who"
	qpc_cli export candidates | grep -F ",$who," | grep -q ",0,4," ||
		tui_fail "the board's untick is not in the export"
	tui_keys Space # pages, ticks nothing
	sleep 0.3
	tui_expect_not_contains "Ticked"
}

test_esc_does_not_quit_from_a_top_view() {
	qpc_start_checked 80 24 xterm
	tui_wait_for "sorted by untapped"
	tui_keys Escape
	tui_wait_for "q quits"
	tui_keys 1 Escape
	tui_wait_for "q quits"
	tui_expect_not_contains "EXITED:"
	# Esc still closes what is over a top view
	tui_keys 2 Enter
	tui_wait_for "QPC by category"
	tui_keys Escape
	tui_wait_for "sorted by untapped"
	tui_keys q
	tui_expect_restored 0
}

test_d_on_a_partner_never_nominated_says_so_without_asking() {
	acc=$(fig_sql "SELECT external_id FROM account WHERE status = 'partner' AND id NOT IN
		(SELECT account_id FROM candidate WHERE dropped_on IS NULL) ORDER BY id LIMIT 1")
	name=$(qpc_sql "SELECT name FROM account WHERE external_id = '$acc'")
	[ -n "$acc" ] || tui_fail "the demo has no partner that is not a candidate"
	qpc_start 100 30 xterm
	tui_keys / "$acc" Enter
	qpc_expect_status "/$acc: 1 match"
	tui_keys d
	tui_wait_for "$name is not a candidate"
	tui_expect_not_contains "Why drop"
}

test_a_filter_shows_its_list_from_the_top() {
	customers=$(fig_sql "SELECT count(*) FROM account WHERE status = 'customer'")
	top=$(fig_sql "SELECT substr(name, 1, 16) FROM account WHERE status = 'customer'
		ORDER BY sort_untapped DESC, id DESC LIMIT 1")
	qpc_start 80 24 xterm
	tui_wait_for "sorted by untapped"
	tui_keys j j j j j j j j j j
	qpc_expect_status "11/"
	tui_keys t t t # partners, candidates, customers
	tui_wait_for "Accounts: $customers of"
	qpc_expect_status " 1/$customers "
	qpc_row 1 | grep -qF "$top" || tui_fail "the first row is not the top customer $top: $(qpc_row 1)"
}

# Keys from $XDG_CONFIG_HOME/qpc/config: C-n and C-p move, j finds the
# next match instead, the help shows them, and a line that cannot be read
# is said on the message line while the others hold.
test_keys_rebound_in_the_config_file() {
	XDG_CONFIG_HOME=$TUI_DIR/mykeys # this case's own (it runs in a subshell)
	mkdir -p "$XDG_CONFIG_HOME/qpc"
	printf '%s\n' "# my keys" "bind move-down C-n" "bind move-up C-p" "bind search-next j" \
		"bind tick Hyper-x" >"$XDG_CONFIG_HOME/qpc/config"
	qpc_start 100 30 xterm
	tui_wait_for "config:5:11: 'Hyper-x' is no key"
	tui_keys 2 g
	qpc_expect_status "1/$DEMO_ACCOUNTS"
	tui_keys C-n C-n
	qpc_expect_status "3/$DEMO_ACCOUNTS"
	tui_keys C-p
	qpc_expect_status "2/$DEMO_ACCOUNTS"
	tui_keys Down k
	qpc_expect_status "2/$DEMO_ACCOUNTS"
	tui_keys ?
	tui_wait_for "Keys (1-"
	tui_screen | grep -Eq "^  C-n +move down a row" || tui_fail "the help does not show C-n: $(tui_screen | grep 'move down a row')"
	tui_screen | grep -Eq "^  j +next match" || tui_fail "the help does not show j for next match"
}

test_the_empty_list_names_the_import_key() {
	DB=$TUI_DIR/empty.db
	qpc --db "$DB" init >/dev/null 2>&1 || tui_fail "cannot make an empty database"
	qpc_start 80 24 xterm
	tui_keys 2
	tui_wait_for "No accounts yet: i imports a CSV file"
	tui_keys i
	tui_wait_for "Import"
}

tui_main "$@"
