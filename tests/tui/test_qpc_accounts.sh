#!/bin/sh
# test_qpc_accounts.sh — the accounts list: moving, paging, sorting,
# filtering, searching, opening an account, help, and the mouse; each
# answer checked against the database itself.
. "$(dirname "$0")/qpc_lib.sh"

# The name of the account at position N (from 1) in an order, as the list
# shows it: columns that fit, cut with "…".  Only the first 18 bytes count.
nth() {
	fig_sql "SELECT substr(name, 1, 16) FROM account ORDER BY $1 LIMIT 1 OFFSET $(($2 - 1))"
}

test_moves_pages_and_jumps() {
	qpc_start 80 24 xterm
	qpc_expect_status "1/400"
	tui_expect_screen_contains "Accounts: 400" "Untapped▼"
	first=$(nth "sort_untapped DESC, id DESC" 1)
	case $(qpc_row 1) in "$first"*) ;; *) tui_fail "first row is not $first" ;; esac
	tui_keys j j Down k
	qpc_expect_status "3/400"
	tui_keys G
	qpc_expect_status "400/400"
	tui_expect_screen_contains "$(nth "sort_untapped DESC, id DESC" 400)"
	tui_keys k k PageUp
	qpc_expect_status "380/400" # a page is the 19 rows on screen less one
	tui_keys g
	qpc_expect_status "1/400"
	tui_keys PageDown PageDown
	qpc_expect_status "37/400"
	tui_expect_screen_contains "$(nth "sort_untapped DESC, id DESC" 37)"
	tui_keys End Home
	qpc_expect_status "1/400"
}

test_sorts_by_every_column_both_ways() {
	qpc_start 100 30 xterm
	tui_keys s g # untapped -> status, partners first
	qpc_expect_status "1/400  sorted by status ▼"
	case $(qpc_row 1) in *partner*) ;; *) tui_fail "partners do not come first: $(qpc_row 1)" ;; esac
	tui_keys r g
	qpc_expect_status "1/400  sorted by status ▲"
	case $(qpc_row 1) in *prospect*) ;; *) tui_fail "prospects do not come first: $(qpc_row 1)" ;; esac
	tui_keys s g # age, oldest (or missing) first
	qpc_expect_status "1/400  sorted by age ▼"
	case $(qpc_row 1) in *none) ;; *) tui_fail "missing QPC does not come first: $(qpc_row 1)" ;; esac
	tui_keys G
	qpc_expect_status "400/400  sorted by age ▼"
	tui_wait_line $((N_HEAD + 25)) "*[0-9]d" "*[0-9]mo" # the newest QPC last
	tui_keys s g # name, A to Z
	qpc_expect_status "1/400  sorted by name ▲"
	want=$(nth "name_key, id" 1)
	case $(qpc_row 1) in "$want"*) ;; *) tui_fail "first by name is not $want: $(qpc_row 1)" ;; esac
	# as a dictionary orders names: Ålesund among the A, not after Z
	tui_expect_screen_contains "Ålesund"
	tui_keys G
	tui_expect_screen_contains "$(nth "name_key DESC, id DESC" 1)"
	tui_expect_not_contains "Ålesund"
	tui_keys S S S g # back to untapped
	qpc_expect_status "1/400  sorted by untapped ▼"
	tui_keys '<' '<' '<' g
	qpc_expect_status "1/400  sorted by qpc ▼"
	want=$(fig_sql "SELECT printf('%,d', qpc / 100) FROM account ORDER BY sort_qpc DESC LIMIT 1")
	tui_wait_line $((N_HEAD + 1)) "* $want *" # the largest QPC first
	tui_keys r g
	qpc_expect_status "1/400  sorted by qpc ▲"
	tui_wait_line $((N_HEAD + 1)) "* – *" # unmeasured first
}

test_sort_keeps_the_account_under_the_cursor() {
	qpc_start 80 24 xterm
	tui_keys j j j j
	qpc_expect_status "5/400"
	name=$(nth "sort_untapped DESC, id DESC" 5)
	tui_keys s s s
	qpc_expect_status "sorted by name"
	tui_expect_screen_contains "$name"
	tui_keys r
	qpc_expect_status "sorted by name ▼"
	tui_expect_screen_contains "$name"
}

test_filters_count_and_stack() {
	partners=$(fig_sql "SELECT count(*) FROM account WHERE status = 'partner'")
	qpc_start 80 24 xterm
	tui_keys t
	tui_wait_for "Accounts: $partners of 400"
	tui_expect_screen_contains "partners"
	tui_expect_not_contains "customer " "prospect "
	qpc_expect_status "1/$partners"
	tui_keys t
	n=$(fig_sql "SELECT count(*) FROM account WHERE status = 'candidate'")
	tui_wait_for "Accounts: $n of 400"
	tui_keys a x
	n=$(fig_sql "SELECT count(*) FROM account WHERE qpc IS NULL OR qpc_measured_on < '2025-11-27'")
	tui_wait_for "Accounts: $n of 400"
	tui_expect_screen_contains "QPC stale/missing"
	seg=$(fig_sql "SELECT segment FROM account GROUP BY segment ORDER BY segment LIMIT 1")
	n=$(fig_sql "SELECT count(*) FROM account WHERE (qpc IS NULL OR qpc_measured_on < '2025-11-27') AND segment = '$seg'")
	tui_keys v # the segments to pick from, "every segment" first
	tui_wait_for "Only one segment's accounts: which?"
	tui_expect_screen_contains "(every segment)" "$seg"
	tui_keys j Enter
	tui_wait_for "Accounts: $n of 400"
	tui_expect_screen_contains "$seg"
	tui_keys a
	tui_wait_for "Accounts: 400"
	tui_keys m
	if on_file; then
		tui_wait_for "Accounts: 0 of 400" # tester owns nothing
		tui_expect_screen_contains "No account matches"
	else # the login tester has no owner name (qpc user add --owner)
		tui_wait_for "your login tester has no accounts of its own"
		tui_expect_screen_contains "Accounts: 400"
	fi
}

# o picks any owner from a list with their counts (m is only "mine");
# the picker opens on the owner in force, and "every owner" undoes it.
test_pick_an_owner_from_a_list() {
	owner=$(fig_sql "SELECT owner FROM account WHERE owner <> '' GROUP BY owner
		ORDER BY owner COLLATE NOCASE LIMIT 1 OFFSET 1")
	n=$(fig_sql "SELECT count(*) FROM account WHERE owner = '$owner'")
	qpc_start 80 24 xterm
	tui_keys o
	tui_wait_for "Only one owner's accounts: which?"
	tui_expect_screen_contains "(every owner)" "$owner"
	tui_screen | grep -Eq "^$owner +$n *\$" || tui_fail "no '$owner $n' row"
	tui_keys j j Enter
	tui_wait_for "Accounts: $n of 400"
	tui_expect_screen_contains "owner $owner"
	tui_keys o
	tui_wait_for "Only one owner's accounts"
	tui_keys Escape # as it was
	tui_wait_for "Accounts: $n of 400"
	tui_keys o g Enter
	tui_wait_for "Accounts: 400"
}

# | filters the list by a text (/ only jumps), counted however short;
# the other filters stack on it, and a clears it.
test_a_text_filters_the_list_and_is_counted() {
	n=$(fig_sql "SELECT count(*) FROM account WHERE name LIKE '%or%' OR external_id LIKE '%or%'")
	qpc_start 100 30 xterm
	tui_keys '|'
	tui_wait_for "Only names or ids containing (empty: all):"
	tui_type "or"
	tui_keys Enter
	tui_wait_for "Accounts: $n of 400"
	tui_expect_screen_contains "containing 'or'"
	# every row on screen holds the text
	rows=$(tui_screen | sed -n '4,29p' | grep -c '[[:alnum:]]')
	held=$(tui_screen | sed -n '4,29p' | grep -ci 'or')
	[ "$rows" -gt 0 ] && [ "$rows" = "$held" ] || tui_fail "$held of $rows rows hold 'or'"
	p=$(fig_sql "SELECT count(*) FROM account WHERE (name LIKE '%or%' OR external_id LIKE '%or%')
		AND status = 'partner'")
	tui_keys t
	tui_wait_for "Accounts: $p of 400"
	tui_keys a
	tui_wait_for "Accounts: 400"
	tui_expect_not_contains "containing"
}

test_mine_is_where_a_rep_starts() {
	n=$(fig_sql "SELECT count(*) FROM account WHERE owner = 'alice'")
	# on a server, the login alice: a rep whose accounts are alice's
	on_file || qpc --db "$DEMO" user add alice --role rep --owner alice >/dev/null ||
		tui_fail "cannot add the login alice"
	qpc_start 80 24 xterm --user alice
	tui_wait_for "Accounts: $n of 400"
	tui_expect_screen_contains "owner alice"
	tui_expect_not_contains "bruno" "chen"
	tui_keys m
	tui_wait_for "Accounts: 400"
}

test_search_jumps_counts_and_goes_back() {
	# a name from deep in the list, by a piece of it in another case
	target=$(fig_sql "SELECT name FROM account ORDER BY sort_untapped DESC, id DESC LIMIT 1 OFFSET 300")
	piece=$(printf '%s' "$target" | cut -d' ' -f1 | tr 'a-z' 'A-Z')
	n=$(fig_sql "SELECT count(*) FROM account WHERE instr(lower(name), lower('$piece')) OR instr(lower(external_id), lower('$piece'))")
	qpc_start 80 24 xterm
	tui_keys /
	tui_type "$piece"
	tui_wait_for "/$piece: $n match"
	tui_keys Escape
	qpc_expect_status "1/400"
	tui_keys /
	tui_type "%"
	tui_wait_for "/%: no match" # as text: nobody's name has a %
	tui_keys Escape /
	tui_type "o'b"
	n=$(fig_sql "SELECT count(*) FROM account WHERE instr(lower(name), 'o''b')")
	tui_wait_for "/o'b: $n match"
	tui_expect_screen_contains "O'Brien"
	tui_keys Enter
	at=$(qpc_status_bar | sed 's/^ *\([0-9?]*\).*/\1/')
	tui_keys n
	tui_wait_for "/o'b: $n match"
	[ "$(qpc_status_bar)" != "" ]
	tui_keys N
	tui_expect_screen_contains "O'Brien"
	: "$at"
}

test_search_finds_ids_too() {
	qpc_start 80 24 xterm
	tui_keys /
	tui_type "acc-00399"
	tui_wait_for "/acc-00399: 1 match"
	name=$(fig_sql "SELECT substr(name, 1, 16) FROM account WHERE external_id = 'ACC-00399'")
	tui_expect_screen_contains "$name"
	tui_keys Enter Enter
	tui_wait_for "ACC-00399"
	tui_expect_screen_contains "QPC by category" "History"
}

test_open_an_account_and_come_back() {
	qpc_start 100 30 xterm
	tui_keys j j
	name=$(nth "sort_untapped DESC, id DESC" 3)
	tui_keys Enter
	tui_wait_for "QPC by category"
	tui_expect_screen_contains "$name" "Sales 12m" "History" "Owner"
	tui_keys Tab j h
	tui_wait_for "sorted by untapped"
	qpc_expect_status "3/400"
	tui_keys l
	tui_wait_for "QPC by category"
	tui_keys q
	qpc_expect_status "3/400"
}

# E writes the list as shown, filters and order kept, in qpc's own
# accounts format; a file that is there already is not replaced.
test_export_the_list_as_shown() {
	out=$TUI_DIR/partners-shown.csv
	rm -f "$out"
	qpc_start 100 30 xterm
	tui_keys t # partners only, by untapped
	qpc_expect_status "sorted by untapped"
	n=$(fig_sql "SELECT count(*) FROM account WHERE status = 'partner'")
	tui_keys E
	tui_wait_for "Export the $n accounts listed to: ~/qpc-accounts-"
	tui_keys C-u
	tui_type "$out"
	tui_keys Enter
	tui_wait_for "Exported $n accounts to $out"
	[ "$(head -n 1 "$out")" = "$(qpc --db "$DEMO" export accounts | head -n 1)" ] ||
		tui_fail "header: $(head -n 1 "$out")"
	[ "$(tail -n +2 "$out" | cut -d, -f1)" = "$(fig_sql "SELECT external_id FROM account
		WHERE status = 'partner' ORDER BY sort_untapped DESC, id DESC")" ] ||
		tui_fail "not the partners in the list's order: $(tail -n +2 "$out" | cut -d, -f1 | head -3)"
	# the same rows as qpc export accounts writes for them
	[ "$(tail -n +2 "$out" | sort)" = "$(qpc --db "$DEMO" export accounts |
		grep ',partner,[01],' | sort)" ] || tui_fail "rows differ from qpc export accounts"
	before=$(cksum <"$out")
	tui_keys E
	tui_wait_for "Export the"
	tui_keys C-u
	tui_type "$out"
	tui_keys Enter
	tui_wait_for "exists: give another name (nothing was exported)"
	[ "$(cksum <"$out")" = "$before" ] || tui_fail "the file was replaced"
}

test_help_lists_the_keys() {
	qpc_start 80 24 xterm
	tui_keys '?'
	tui_wait_for "Keys (1-"
	tui_expect_screen_contains "show or hide this help" "Everywhere"
	tui_keys G # the end: the mouse, after every key
	tui_wait_for "double-click"
	tui_expect_screen_contains "open the account"
	tui_keys '?'
	tui_wait_gone "Keys (1-"
	tui_expect_screen_contains "sorted by untapped"
}

# An SGR mouse report: button (0 left, 64 wheel up, 65 down), x, y from 1.
click() {
	# shellcheck disable=SC2046
	tui_tmux send-keys -t "$TUI_TARGET" -H $(printf '\033[<%d;%d;%dM\033[<%d;%d;%dm' "$1" "$2" "$3" "$1" "$2" "$3" | od -An -tx1)
}

test_mouse_selects_opens_and_scrolls() {
	qpc_start 80 24 xterm
	click 0 5 6 # the third data row
	qpc_expect_status "3/400"
	click 65 5 6
	qpc_expect_status "6/400"
	click 64 5 6
	qpc_expect_status "3/400"
	click 0 5 7 # a double click: two clicks at once
	click 0 5 7
	tui_wait_for "QPC by category"
	tui_keys q
	x=$(tui_line 3 | sed 's/▼/v/' | awk '{ print index($0, "Status") }')
	click 0 "$x" 3 # the Status heading: sort by it
	qpc_expect_status "sorted by status"
	click 0 33 1 # the Candidates tab
	tui_wait_for "Partner candidates"
}

tui_main "$@"
