#!/bin/sh
# test_qpc_goals_import.sh — a manager sets next year's partner goal with
# the keys, an admin imports a CRM export through the import dialog; both
# checked on screen and then through the command line (export, report,
# history), which must agree.
. "$(dirname "$0")/qpc_lib.sh"

# Each case works on its own copy of the demo database.
fresh_db() {
	DB=$TUI_DIR/$1.db
	dbcp "$DEMO" "$DB"
	export DB
}

cli() {
	qpc --db "$DB" "$@"
}

# goal_line YEAR: the goals list's row of YEAR.
goal_line() {
	tui_screen | grep "^$1 " || :
}

# expect_goal_row YEAR GOAL: YEAR's row shows GOAL (waits for it).
expect_goal_row() {
	_tries=$((TUI_TIMEOUT * 20))
	while ! goal_line "$1" | grep -Eq "^$1 +$2 "; do
		[ "$_tries" -gt 0 ] || tui_fail "the row of $1 is '$(goal_line "$1")', expected the goal $2"
		_tries=$((_tries - 1))
		sleep 0.05
	done
}

# Below the years, this year's plan by owner: Bob's Pinecrest became a
# partner in June (90%); Alice has Cobalt at 65% (near 75%, a step
# ticked) and Dune at 20%; Bob has Ember at 50%.
test_the_plan_shows_the_gap_owner_by_owner() {
	DB=$TUI_DIR/plan.db
	export DB
	cli init >/dev/null || tui_fail "init"
	printf '%s\n' "External ID,Name,Owner" "P1,Pinecrest,bob" "C1,Cobalt,alice" "D1,Dune,alice" \
		"E1,Ember,bob" >"$TUI_DIR/plan.csv"
	printf '%s\n' "Account ID,Date,Category,Amount" "P1,2026-06-01,Tools,900" "C1,2026-06-01,Tools,650" \
		"D1,2026-06-01,Tools,200" "E1,2026-06-01,Tools,500" >"$TUI_DIR/plan-sales.csv"
	{ cli import accounts "$TUI_DIR/plan.csv" && cli import sales "$TUI_DIR/plan-sales.csv" &&
		for a in P1 C1 D1 E1; do cli potential set $a Tools 1000 || exit 1; done &&
		for a in C1 D1 E1; do cli candidate add $a || exit 1; done &&
		cli tick C1 1 && cli goal set 2026 5; } >"$TUI_DIR/plan.out" 2>&1 ||
		tui_fail "setting up: $(cat "$TUI_DIR/plan.out")"
	qpc_start 100 30 xterm
	tui_keys 4
	tui_wait_for "2026: 4 partners to go; 3 candidates, 1 within 15 points of 75%: 1 short, nominate more"
	tui_screen | grep -Eq "^alice +0 +0 +2 +1 +1/8 steps" || tui_fail "alice's row: $(tui_screen | grep '^alice')"
	tui_screen | grep -Eq "^  Cobalt +near +65.0% .*1/4" || tui_fail "Cobalt's row: $(tui_screen | grep Cobalt)"
	tui_screen | grep -Eq "^bob +1 +0 +1 +0 " || tui_fail "bob's row: $(tui_screen | grep '^bob')"
	# the nearest first: Cobalt above Dune
	[ "$(tui_screen | grep -n 'Cobalt' | cut -d: -f1)" -lt "$(tui_screen | grep -n 'Dune' | cut -d: -f1)" ] ||
		tui_fail "Dune comes before Cobalt"
	tui_expect_not_contains "Pinecrest" # made already: not a candidate to work on
	# Tab to the plan, down to Cobalt, Enter: its checklist
	tui_keys Tab
	qpc_expect_status "Plan 1/5  alice"
	tui_keys j
	qpc_expect_status "Plan 2/5  Cobalt  Enter: its checklist"
	tui_keys Enter
	tui_wait_for "Checklist: Cobalt"
	tui_keys q
	tui_wait_for "2026: 4 partners to go"
	# Tab again: the years have the keys back
	tui_keys Tab
	qpc_expect_status "1 year with a goal"
}

test_set_next_years_goal_with_the_keys() {
	fresh_db goals
	qpc_start 80 24 xterm
	tui_keys 4
	tui_wait_for "Partner goals"
	# this year and the next three, even the one without a goal
	expect_goal_row 2026 40
	expect_goal_row 2027 45
	expect_goal_row 2028 50
	expect_goal_row 2029 -
	goal_line 2029 | grep -q "no goal yet" || tui_fail "2029 does not say it has no goal"
	qpc_expect_status "3 years with a goal"
	# the cursor starts on this year: down to next year, and type a goal
	tui_keys j Enter
	tui_wait_for "Partners to create in 2027: 45"
	tui_keys BSpace BSpace
	tui_type 60
	tui_keys Enter
	tui_wait_for "Goal 2027: 60 new partners"
	expect_goal_row 2027 60
	# one more, two more, one fewer
	tui_keys + =
	expect_goal_row 2027 62
	tui_keys -
	expect_goal_row 2027 61
	# what is not a goal is refused, and changes nothing
	tui_keys e
	tui_wait_for "Partners to create in 2027: 61"
	tui_keys BSpace BSpace
	tui_type -- -5
	tui_keys Enter
	tui_wait_for "a goal is a whole number of partners"
	expect_goal_row 2027 61
	tui_keys Enter BSpace BSpace
	tui_type 999999999
	tui_keys Enter
	tui_wait_for "a goal must be 0 to 100000000 partners"
	expect_goal_row 2027 61
	# a year without a goal gets one
	tui_keys j j Enter
	tui_wait_for "Partners to create in 2029:"
	tui_type 7
	tui_keys Enter
	expect_goal_row 2029 7
	qpc_expect_status "4 years with a goal"
	# this year's goal moves the dashboard's gauge
	tui_keys k k k
	tui_keys +
	expect_goal_row 2026 41
	made=$(cli export goals | tr -d '\r' | grep '^2026,' | cut -d, -f3)
	tui_keys 1
	tui_wait_for "Goal 2026"
	tui_wait_for "$made/41 partners"
	tui_keys 4 q
	tui_wait_exit >/dev/null
	# the command line sees the same goals, and who set them
	cli export goals | tr -d '\r' >"$TUI_DIR/goals.csv"
	for want in "2026,41,$made" "2027,61,0" "2028,50,0" "2029,7,0"; do
		grep -qx "$want" "$TUI_DIR/goals.csv" || tui_fail "export goals lacks $want: $(cat "$TUI_DIR/goals.csv")"
	done
	cli report | grep -q "Goal 2026: 41 new partners, $made so far" || tui_fail "the report: $(cli report)"
	cli history >"$TUI_DIR/history"
	for want in "Goal 2027: 45 → 60" "Goal 2027: 60 → 61" "Goal 2027: 61 → 62" \
		"Goal 2029: – → 7" "Goal 2026: 40 → 41"; do
		grep " tester .*$want new partners\$" "$TUI_DIR/history" >/dev/null ||
			tui_fail "history lacks '$want' by tester: $(grep Goal "$TUI_DIR/history")"
	done
	# the refused answers wrote nothing
	! grep -q -e "→ -5" -e "999999999" "$TUI_DIR/history" || tui_fail "a refused goal was saved"
}

test_read_only_refuses_goals_and_imports() {
	read_only_db
	before=$(qpc --db "$DB" export goals)
	# shellcheck disable=SC2086
	tui_start 80 24 xterm $RO_QPC --db "$DB"
	qpc_wait_ready
	qpc_expect_status "read-only"
	tui_keys 4
	tui_wait_for "Partner goals"
	tui_keys j Enter
	tui_wait_for "cannot set a goal: the database is read-only here"
	tui_wait_for "cannot write" # and why: the file's owner and mode
	tui_keys +
	tui_wait_for "cannot set a goal: the database is read-only here"
	tui_keys i
	tui_wait_for "cannot import: the database is read-only here"
	tui_expect_not_contains "Import a CSV file"
	tui_keys Q
	tui_wait_exit >/dev/null
	[ "$(qpc --db "$DB" export goals)" = "$before" ] || tui_fail "the goals changed"
}

# newcomers.csv: a CRM export with a column qpc does not know and one bad
# row (line 3: employees "many").
write_newcomers() {
	imp=$TUI_DIR/imp
	rm -rf "$imp"
	mkdir -p "$imp"
	cat >"$imp/newcomers.csv" <<EOF
External ID,Name,City,Employees,Favourite Colour
N-1,Zeta Newcomer One,Oslo,12,blue
N-2,Zeta Newcomer Two,Bergen,many,red
N-3,Zeta Newcomer Three,Trondheim,40,green
EOF
	echo "not a CSV the test uses" >"$imp/newcomers.txt"
}

# imported TEXT: the import ran (not only its dry run, whose summary says
# the same counts) and its summary says TEXT.
imported() {
	tui_wait_for "Enter or Esc: close"
	tui_expect_screen_contains "$1"
	tui_expect_not_contains "Dry run"
}

# import_newcomers: through the dialog, to its summary.
import_newcomers() {
	tui_keys i
	tui_wait_for "Import a CSV file"
	tui_type "$imp/newcomers.csv"
	tui_keys Enter
	tui_wait_for "Dry run, nothing changed"
	tui_keys Enter
	imported "3 rows read: 2 created, 0 updated, 0 unchanged, 1 rejected"
}

test_import_accounts_through_the_dialog() {
	fresh_db import
	write_newcomers
	qpc_start 80 24 xterm
	tui_keys i
	tui_wait_for "Import a CSV file"
	qpc_expect_status "Import: type a file's path"
	# a partial path, completed: to what both names share, then a list
	tui_type "$imp/ne"
	tui_keys Tab
	tui_wait_for "$imp/newcomers."
	tui_keys Tab
	tui_wait_for "newcomers.txt"
	tui_expect_screen_contains "newcomers.csv"
	tui_type c
	tui_keys Tab
	tui_wait_for "$imp/newcomers.csv"
	# the kind cycles, and comes back to accounts
	tui_expect_screen_contains "Kind accounts"
	tui_keys C-t
	tui_wait_for "Kind sales"
	tui_keys C-t
	tui_wait_for "Kind potential"
	tui_keys C-t
	tui_wait_for "Kind accounts"
	# the help lists the dialog's keys
	tui_keys F1 End
	tui_wait_for "cancel, changing nothing; during a run, asks first"
	tui_keys Up Up Up Up
	tui_wait_for "complete the file name; twice: list the choices"
	tui_expect_screen_contains "how to read it: encoding, delimiter"
	tui_keys F1
	tui_wait_gone "complete the file name; twice"
	# the preview: counts, the bad line, the mapping, the first rows
	tui_keys Enter
	tui_wait_for "Dry run, nothing changed: 3 rows read: 2 created, 0 updated,"
	tui_expect_screen_contains "rejected, 0 skipped" "the 1 bad one goes to" "line 3:4: Employees: 'many'" \
		"External ID -> external_id" "Name -> name" "Not read: Favourite Colour" \
		"Zeta Newcomer One" "newcomers.csv.rejects.csv"
	[ "$(cli export accounts | grep -c '^N-')" = 0 ] || tui_fail "the preview imported"
	qpc_expect_status "preview: nothing changed yet"
	tui_keys i # no second dialog over the first
	tui_keys Escape
	tui_wait_gone "Import a CSV file"
	# confirmed: the summary, then the new accounts in the list
	import_newcomers
	tui_expect_screen_contains "Bad rows written to $imp/newcomers.csv.rejects.csv"
	tui_keys Enter
	tui_wait_gone "Import a CSV file"
	tui_keys 2 /
	tui_type "Zeta Newcomer"
	tui_keys Enter
	tui_wait_for "Zeta Newcomer One"
	tui_expect_screen_contains "Zeta Newcomer Three"
	tui_keys Q
	tui_wait_exit >/dev/null
	cli export accounts >"$TUI_DIR/accounts.csv"
	grep -q "^N-1,Zeta Newcomer One," "$TUI_DIR/accounts.csv" || tui_fail "N-1 was not imported"
	grep -q "^N-3,Zeta Newcomer Three," "$TUI_DIR/accounts.csv" || tui_fail "N-3 was not imported"
	! grep -q "^N-2," "$TUI_DIR/accounts.csv" || tui_fail "the bad row was imported"
	grep -q "^N-2,Zeta Newcomer Two,Bergen,many,red,\"line 3, Employees: 'many'" \
		"$imp/newcomers.csv.rejects.csv" || tui_fail "rejects: $(cat "$imp/newcomers.csv.rejects.csv")"
	[ "$(wc -l <"$TUI_DIR/accounts.csv")" = $((DEMO_ACCOUNTS + 3)) ] || tui_fail "not 402 accounts"
}

test_import_into_an_empty_database_computes_the_figures() {
	# a load into an empty database leaves the figures and the indexes
	# that sort them to a refresh, which the dialog runs at once
	DB=$TUI_DIR/empty.db
	export DB
	rm -f "$DB"
	cli init >/dev/null
	write_newcomers
	qpc_start 80 24 xterm
	import_newcomers
	if on_file; then # a server keeps no figures: it computes them as it shows them
		[ "$(db_sql "$DB" "SELECT count(*) FROM pending_ddl")" = 0 ] ||
			tui_fail "indexes still to build after the import"
		[ -n "$(db_sql "$DB" "SELECT value FROM setting WHERE key = 'figures_as_of'")" ] ||
			tui_fail "the figures were not computed"
	fi
	tui_keys Enter
	tui_wait_gone "Import a CSV file"
	tui_wait_for "Zeta Newcomer One"
	tui_keys Q
	tui_wait_exit >/dev/null
}

test_the_dialog_tells_the_kind_from_the_header() {
	fresh_db kind
	imp=$TUI_DIR/imp
	mkdir -p "$imp"
	printf '%s\r\n' "Order ID,Order Date,Customer ID,Customer Name,Sales" \
		"O-1,2026-03-01,C-1,Kind Customer,120.50" >"$imp/export.csv"
	printf '%s\n' "Id,Name,BillingCity,Industry" "001A,Kind Account,Oslo,Retail" \
		>"$imp/salesforce_accounts.csv"
	qpc_start 80 24 xterm
	tui_keys i
	tui_wait_for "Import a CSV file"
	tui_type "$imp/export.csv"
	tui_wait_for "Kind sales"
	tui_keys C-u
	tui_type "$imp/salesforce_accounts.csv"
	tui_wait_for "Kind accounts"
	tui_keys Escape
	tui_wait_gone "Import a CSV file"
	tui_keys Q
	tui_wait_exit >/dev/null
}

# A file the dialog cannot read as it guesses: German labels it does not
# know for the customer, dates whose order the file leaves open.  C-o
# gives what the command line's --map, --encoding, --delimiter, --decimal
# and --date-format give, the preview redrawn; the mapping is remembered.
test_the_dialog_offers_every_import_option() {
	fresh_db options
	imp=$TUI_DIR/imp
	mkdir -p "$imp"
	printf '%s\n' "Kundennr|Buchungsdatum|Warengruppe|Betrag" \
		"K-101|03/04/2026|Schrauben|1.234,50" "K-102|05/06/2026|Muttern|99,00" >"$imp/erp.csv"
	qpc_start 100 30 xterm
	tui_keys i
	tui_wait_for "Import a CSV file"
	tui_type "$imp/erp.csv"
	tui_keys Enter
	tui_wait_for "no column holds the account"
	tui_expect_screen_contains "C-o: how to read it"
	tui_keys C-o
	tui_wait_for "Up/Down: choose"
	tui_expect_screen_contains "Kundennr" "(not read)" "Betrag" "amount"
	# the customer column: read as the account's id; dates day first
	tui_keys j j j j l
	tui_wait_for "Kundennr                  external_id"
	tui_keys k l
	tui_wait_for "day first (31/12/2026)"
	tui_keys k l l
	tui_wait_for "Decimal mark                , (1.234,50)"
	tui_keys k l l l l
	tui_wait_for "Delimiter                   |"
	tui_keys Enter
	tui_wait_for "Dry run, nothing changed: 2 rows read"
	tui_expect_screen_contains "'|'-delimited" "dates day-first" "decimal comma" \
		"Kundennr -> external_id"
	# Esc in the options gives them back as they were
	tui_keys C-o
	tui_wait_for "Up/Down: choose"
	tui_keys j j j j l
	tui_wait_for "Kundennr                  name"
	tui_keys Escape
	tui_wait_for "Kundennr -> external_id"
	tui_keys Enter
	imported "2 rows read: 2 created"
	stored=$(db_sql "$DB" "SELECT a.external_id || ' ' || s.date || ' ' || s.amount
		FROM sale s JOIN account a ON a.id = s.account_id
		WHERE a.external_id LIKE 'K-1%' ORDER BY a.external_id" | paste -sd, | sed 's/,/, /g')
	[ "$stored" = "K-101 2026-04-03 123450, K-102 2026-06-05 9900" ] || tui_fail "stored: $stored"
	# the same header again: the mapping remembered, no option needed
	cli import sales "$imp/erp.csv" --dry-run --delimiter '|' --decimal , \
		--date-format %d/%m/%Y \
		>"$TUI_DIR/opt.out" 2>&1 || tui_fail "again: $(cat "$TUI_DIR/opt.out")"
	grep -q "mapping remembered" "$TUI_DIR/opt.out" || tui_fail "not remembered: $(cat "$TUI_DIR/opt.out")"
}

test_escape_at_the_preview_changes_nothing() {
	fresh_db escape
	write_newcomers
	before=$(cli export accounts | md5sum)
	HOME=$imp qpc_start 80 24 xterm
	tui_keys 2 i
	tui_wait_for "Import a CSV file"
	# ~ is home, expanded as it is completed
	tui_type "~/newcomers.c"
	tui_keys Tab
	tui_wait_for "$imp/newcomers.csv"
	tui_keys Enter
	tui_wait_for "Dry run, nothing changed"
	tui_keys Escape
	tui_wait_gone "Import a CSV file"
	tui_wait_for "Accounts: $DEMO_ACCOUNTS"
	tui_keys Q
	tui_wait_exit >/dev/null
	[ "$(cli export accounts | md5sum)" = "$before" ] || tui_fail "Esc at the preview changed the accounts"
	[ ! -e "$imp/newcomers.csv.rejects.csv" ] || tui_fail "a rejects file was written"
}

test_a_missing_file_or_a_folder_is_one_clear_sentence() {
	fresh_db missing
	write_newcomers
	qpc_start 80 24 xterm
	tui_keys i
	tui_wait_for "Import a CSV file"
	tui_keys Enter
	tui_wait_for "Type the path of a CSV file first."
	tui_type "$imp/nope.csv"
	tui_keys Enter
	tui_wait_for "cannot open $imp/nope.csv: No such file or directory"
	tui_keys C-u
	tui_type "$imp"
	tui_keys Enter
	tui_wait_for "is a folder, not a CSV file"
	tui_keys C-u
	tui_type "$imp/newcomers.txt"
	tui_keys Enter
	tui_wait_for "no column holds the account (an id or a"
	# still in the dialog, on the path: Esc leaves it
	tui_keys Escape
	tui_wait_gone "Import a CSV file"
}

# bulk.csv: enough rows that the import still reads them when the test
# presses a key (a second or more), few enough to stay quick.
write_bulk() {
	imp=$TUI_DIR/imp
	rm -rf "$imp"
	mkdir -p "$imp"
	awk 'BEGIN { print "External ID,Name,City"
		for (i = 1; i <= 30000; i++) printf "B-%d,Bulk %d,Town %d\n", i, i, i % 50 }' >"$imp/bulk.csv"
}

# start_bulk_import: the dialog on bulk.csv, past the preview, importing.
start_bulk_import() {
	tui_keys i
	tui_wait_for "Import a CSV file"
	tui_type "$imp/bulk.csv"
	tui_keys Enter
	tui_wait_for "Dry run, nothing changed: 30000 rows read: 30000 created" 120
	tui_keys Enter
	tui_wait_for "Importing..." 30
}

test_cancel_during_the_run_rolls_back() {
	fresh_db cancel
	write_bulk
	before=$(cli export accounts | md5sum)
	qpc_start 80 24 xterm
	start_bulk_import
	tui_keys Escape
	tui_wait_for "Cancel the import?" 30
	# "n" goes on; a second Esc asks again, and "y" rolls back
	tui_keys n
	tui_wait_gone "Cancel the import?" 30
	tui_keys Escape
	tui_wait_for "Cancel the import?" 30
	tui_keys y
	tui_wait_for "The import was cancelled: nothing was changed." 30
	tui_keys Enter
	tui_wait_gone "Import a CSV file"
	tui_keys Q
	tui_wait_exit >/dev/null
	[ "$(cli export accounts | md5sum)" = "$before" ] || tui_fail "the cancelled import changed the accounts"
}

test_ctrl_c_during_the_run_rolls_back_and_quits() {
	fresh_db interrupt
	write_bulk
	before=$(cli export accounts | md5sum)
	qpc_start 80 24 xterm
	start_bulk_import
	tui_keys C-c
	[ "$(tui_wait_exit 30)" = 130 ] || tui_fail "Ctrl-C did not end qpc with status 130"
	[ "$(cli export accounts | md5sum)" = "$before" ] || tui_fail "the interrupted import changed the accounts"
}

test_the_dialog_at_small_sizes() {
	fresh_db small
	write_newcomers
	for size in "80 24" "40 12" "32 8"; do
		# shellcheck disable=SC2086
		qpc_start $size xterm
		tui_keys 4 i
		tui_wait_for "Import a CSV file"
		tui_type "$imp/newcomers.csv"
		tui_keys Enter
		tui_wait_for "Dry run"
		[ "$(tui_size)" = "$(echo "$size" | tr ' ' x)" ] || tui_fail "resized"
		qpc_expect_status "help" # the dialog kept to its box
		tui_keys F1
		tui_wait_for "Everywhere"
		tui_keys F1 Escape
		tui_wait_gone "Import a CSV file"
		tui_keys j +
		tui_keys Q
		[ "$(tui_wait_exit)" = 0 ] || tui_fail "did not quit at $size"
	done
	[ "$(cli export accounts | grep -c '^N-')" = 0 ] || tui_fail "the previews imported"
}

# With no room to write (a full disk), the dashboard opens on a freshly
# bulk-loaded file, browses and searches it, and leaves the file as it was:
# reads never write, whatever the file still lacks.  ulimit -f stands in
# for a full disk (room for SQLite's 32 KiB shared-memory file only);
# tests/stress/run.sh fills a real one, and saves there.
test_no_room_to_bring_the_figures_up_to_date() {
	file_only "a full disk under a SQLite file"
	DB=$TUI_DIR/noroom.db
	export DB
	rm -f "$DB"
	cli init >/dev/null
	awk 'BEGIN { print "External ID,Name,Owner"
		for (i = 1; i <= 3000; i++) printf "R%04d,Roomless %d,rep%d\n", i, i, i % 4 }' \
		>"$TUI_DIR/noroom.csv"
	cli import accounts "$TUI_DIR/noroom.csv" >/dev/null
	state() {
		sqlite3 -cmd ".timeout 10000" "$DB" "SELECT hex(sha3_query('SELECT * FROM account ORDER BY id;
			SELECT * FROM setting ORDER BY key; SELECT * FROM pending_ddl ORDER BY id;
			SELECT * FROM history ORDER BY id; SELECT name FROM sqlite_master ORDER BY name'))"
	}
	before=$(state)
	tui_start 160 24 xterm sh -c 'trap "" XFSZ; ulimit -f 80; exec "$@"' sh "$QPC" --db "$DB"
	qpc_wait_ready
	# reads never write: nothing needs room to browse, at any date
	tui_wait_for "Accounts: 3,000"
	tui_expect_screen_contains "Roomless"
	tui_expect_not_contains "would grow past"
	# the dashboard and a search, without the indexes the refresh would build
	tui_keys 1
	tui_wait_for "Accounts     3,000"
	tui_keys 2 /
	tui_type "less 1234"
	tui_keys Enter
	tui_wait_for "Roomless 1234"
	tui_keys q
	[ "$(tui_wait_exit)" = 0 ] || tui_fail "qpc did not quit cleanly"
	[ "$(state)" = "$before" ] || tui_fail "the file changed"
	[ "$(sqlite3 -cmd ".timeout 10000" "$DB" "PRAGMA integrity_check")" = ok ] || tui_fail "the file is damaged"
}

tui_main "$@"
