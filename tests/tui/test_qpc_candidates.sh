#!/bin/sh
# test_qpc_candidates.sh — the managers' jobs with candidates, end to end:
# nominate choosing a checklist, tick with a note and see who and when,
# the board and its orders, drop with a reason, suggestions, templates,
# a graduate's date, a read-only database, small terminals.  After each,
# the same facts through `qpc export candidates` and `qpc history`.
. "$(dirname "$0")/qpc_lib.sh"

# Every case starts from the demo as it was made: they change it.
dbcp "$DEMO" "$TUI_DIR/pristine.db"
fresh() {
	# a new file, not the old one rewritten: a qpc of the case before that
	# is still closing (slow under ASan) writes into the file it opened
	rm -f "$DEMO" "$DEMO-wal" "$DEMO-shm"
	dbcp "$TUI_DIR/pristine.db" "$DEMO"
}

# qpc_cli ARGS...: the command line on the demo, as the same user.
qpc_cli() {
	qpc --db "$DEMO" "$@"
}

# export_row NAME: the candidates export's line for NAME (empty if none).
export_row() {
	qpc_cli export candidates | grep -F ",$1," || :
}

# A customer that is no candidate, with a name unique and plain enough to
# search for.
pick_customer() {
	fig_sql "SELECT name FROM account a WHERE status = 'customer' AND name NOT GLOB '*[^A-Za-z ]*'
	  AND (SELECT count(*) FROM account b WHERE b.name = a.name) = 1 ORDER BY id LIMIT 1"
}

test_nominate_choosing_a_checklist_tick_with_a_note_and_untick() {
	fresh
	qpc_cli template add "Key accounts" "Met the buyer" "Visited our plant" >/dev/null
	name=$(pick_customer)
	qpc_start 100 30 xterm
	tui_keys / "$name" Enter
	tui_keys c
	tui_wait_for "Nominate $name: which checklist?"
	tui_expect_screen_contains "Partner checklist (default)" "Key accounts"
	tui_keys j Enter
	tui_wait_for "Nominate $name (checklist 'Key accounts')? (y/n)"
	tui_keys y
	tui_wait_for "$name is a candidate now, with the checklist 'Key accounts'"
	export_row "$name" | grep -q ",Key accounts,2026-11-27,tester,0,2," ||
		tui_fail "export: $(export_row "$name")"
	qpc_cli history "$name" | grep -q "Candidate: nominated" || tui_fail "no nomination in the history"
	# c again: already one
	tui_keys c
	tui_wait_for "$name is already a candidate"

	# its checklist through the account: Tab to the checklist pane, Enter
	tui_keys Enter
	tui_wait_for "Candidate since 2026-11-27: 0 of 2 done"
	tui_keys Tab
	qpc_expect_status "Tab: checklist"
	tui_keys Enter
	tui_wait_for "Checklist: $name"
	tui_expect_screen_contains "Key accounts, 0 of 2 done" "Nominated 2026-11-27 by tester"
	tui_keys x
	tui_wait_for "Ticked 1. Met the buyer"
	tui_keys n
	tui_wait_for "Note on step 1:"
	tui_type "lunch at the fair"
	tui_keys Enter
	tui_wait_for "Noted on step 1"
	tui_expect_screen_contains "tester" "2026-11-27" "lunch at the fair" "1 of 2 done"
	qpc_expect_status "1. ticked by tester 2026-11-27 09:00: lunch at the fair"
	export_row "$name" | grep -q ",tester,1,2," || tui_fail "export after the tick: $(export_row "$name")"
	qpc_cli history "$name" | grep -q "Met the buyer: ticked, note: lunch at the fair" ||
		tui_fail "no note in the history: $(qpc_cli history "$name")"
	# untick (after a yes), then tick the second step
	tui_keys x
	tui_wait_for "Untick 1. Met the buyer for $name? (y/n)"
	tui_keys y
	tui_wait_for "Unticked 1. Met the buyer"
	tui_wait_for "0 of 2 done"
	export_row "$name" | grep -q ",tester,0,2," || tui_fail "export after the untick"
	qpc_cli history "$name" | grep -q "Met the buyer: unticked" ||
		tui_fail "no untick in the history"
	tui_keys j x
	tui_wait_for "Ticked 2. Visited our plant"
	export_row "$name" | grep -q ",tester,1,2," || tui_fail "export after the second tick"
}

test_the_board_shows_ticks_sorts_and_ticks() {
	fresh
	top=$(fig_sql "SELECT a.name FROM candidate c JOIN account a ON a.id = c.account_id
	  WHERE c.dropped_on IS NULL ORDER BY (SELECT count(*) FROM tick k WHERE k.candidate_id = c.id) DESC,
	  a.name_key LIMIT 1")
	n=$(qpc_sql "SELECT count(*) FROM candidate WHERE dropped_on IS NULL")
	qpc_start 100 30 xterm
	tui_keys 3 b
	tui_wait_for "Board: $n candidates by progress, most done first"
	tui_expect_screen_contains "1 Knows sever" "4 Has visit"
	[ "$(tui_line 4 | cut -c1-20)" = "$(printf '%-20.20s' "$top")" ] ||
		tui_fail "the most advanced is not first: $(tui_line 4)"
	tui_line 4 | grep -q " 4/4 " || tui_fail "the first row is not 4/4: $(tui_line 4)"
	tui_keys s
	tui_wait_for "by progress, least done first"
	tui_keys g # the cursor stayed on its candidate
	tui_wait_line 4 "* 0/4 *" # the least advanced first
	# tick the third step of the first row
	tui_keys Right Right
	qpc_expect_status "3. Has bought a number of things"
	tui_keys x
	tui_wait_for "Ticked step 3 for "
	who=$(tui_screen | sed -n 's/.*Ticked step 3 for //p' | tail -n 1)
	export_row "$who" | grep -q ",1,4," || tui_fail "the board's tick is not in the export: $(export_row "$who")"
	qpc_cli history "$who" | grep -q "Has bought a number of things from us over a period of time: ticked" ||
		tui_fail "the board's tick is not in the history"
	qpc_expect_status "by tester 2026-11-27 09:00"
	# l: that candidate's checklist, with the tick
	tui_keys l
	tui_wait_for "Checklist: $who"
	tui_expect_screen_contains "1 of 4 done"
	tui_keys q
	tui_wait_for "Board:"
	tui_keys x
	tui_wait_for "Untick 3. Has bought"
	tui_keys y
	tui_wait_for "Unticked step 3 for $who"
	export_row "$who" | grep -q ",0,4," || tui_fail "the board's untick is not in the export"
	tui_keys s s
	tui_wait_for "by nominated longest ago"
}

# A plan: A asks who is to do a step and by when; the checklist shows
# both, the board marks a step past its date, qpc tasks lists it, and the
# step's owner sees it first thing when qpc opens.
test_a_step_gets_an_owner_and_a_date_and_shows_when_late() {
	fresh
	who=$(fig_sql "SELECT a.name FROM candidate c JOIN account a ON a.id = c.account_id
	  WHERE c.dropped_on IS NULL AND (SELECT count(*) FROM tick k WHERE k.candidate_id = c.id) = 0
	  ORDER BY a.name_key DESC, a.id DESC LIMIT 1")
	ext=$(qpc_sql "SELECT external_id FROM account WHERE name = '$(printf '%s' "$who" | sed "s/'/''/g")'")
	[ -n "$ext" ] || tui_fail "the demo has no candidate without ticks"
	qpc_start 110 30 xterm
	tui_keys 3 b
	tui_wait_for "Board:"
	tui_keys G # the last: nothing done, last by name
	tui_wait_for "$(printf '%.20s' "$who")"
	tui_keys l
	tui_wait_for "Checklist: $who"
	tui_expect_not_contains "Owner" # no step planned yet: no plan's columns
	tui_keys j A
	tui_wait_for "Who is to do step 2 (empty: nobody)?"
	tui_type "dana"
	tui_keys Enter
	tui_wait_for "Step 2 due on (YYYY-MM-DD, empty: none):"
	tui_type "2026-11-20"
	tui_keys Enter
	tui_wait_for "Step 2: dana, due 2026-11-20"
	tui_expect_screen_contains "Owner" "Due"
	tui_screen | grep -q "2\. Knows our senior.* dana .*2026-11-20" ||
		tui_fail "the checklist row: $(tui_screen | grep '2\. Knows our')"
	qpc_expect_status "2. OVERDUE, for dana"
	qpc_cli tasks --owner dana | grep -q "^2026-11-20 overdue dana .*$who: 2\. Knows our senior" ||
		tui_fail "qpc tasks: $(qpc_cli tasks --owner dana)"
	# a date that is none is refused, and the step stays as it was
	tui_keys A
	tui_wait_for "Who is to do step 2"
	tui_keys Enter
	tui_wait_for "Step 2 due on"
	tui_keys C-u
	tui_type "2026-13-01"
	tui_keys Enter
	tui_wait_for "due '2026-13-01'?"
	qpc_cli tasks --owner dana | grep -q "2026-11-20" || tui_fail "a refused date changed the plan"
	# the board marks the overdue step, and says why under the cursor
	tui_keys q
	tui_wait_for "Board:"
	tui_screen | grep "^$(printf '%.20s' "$who")" | grep -q '\[!\]' ||
		tui_fail "the board does not mark the overdue step: $(tui_screen | grep "^$(printf '%.20s' "$who")")"
	tui_keys Right
	qpc_expect_status "2. OVERDUE, was due 2026-11-20, dana"
	tui_keys Q
	tui_wait_exit
	# dana opening qpc is told first
	qpc_start 110 30 xterm --user dana
	tui_wait_for "Your steps due this week: 1, 1 overdue; first $who, step 2"
}

# What works: a candidacy that made a partner with its first step ticked,
# one dropped without; W shows each step against the partners made, as
# the report's JSON counts them.
test_what_works_shows_each_step_against_the_partners_made() {
	fresh
	set -- $(fig_sql "SELECT a.external_id FROM candidate c JOIN account a ON a.id = c.account_id
	  WHERE c.dropped_on IS NULL AND a.status = 'candidate' ORDER BY a.id LIMIT 2")
	[ $# = 2 ] || tui_fail "the demo has fewer than two running candidacies"
	qpc_cli candidate drop "$1" --reason "no budget" >/dev/null 2>&1 || tui_fail "drop $1"
	qpc_cli report --format json >"$TUI_DIR/works.json"
	ended=$(sqlite3 :memory: "SELECT json_extract(readfile('$TUI_DIR/works.json'), '\$.candidacy.ended')")
	partners=$(sqlite3 :memory: "SELECT json_extract(readfile('$TUI_DIR/works.json'), '\$.candidacy.partners')")
	[ "$ended" -ge 1 ] || tui_fail "no candidacy ended: $ended"
	qpc_start 110 30 xterm
	tui_keys 3 W
	tui_wait_for "What works: $ended ended candidac"
	tui_expect_screen_contains ", $partners partner"
	tui_expect_screen_contains "Ticked: partners" "Not ticked" "1. Knows several people"
	qpc_expect_status "1. Knows several people"
	tui_keys q
	tui_wait_for "Candidates"
}

test_the_list_sorts_by_any_column() {
	fresh
	# the candidate with the highest share, and the one nominated first
	best=$(fig_sql "SELECT a.name FROM candidate c JOIN account a ON a.id = c.account_id
	  WHERE c.dropped_on IS NULL ORDER BY a.sort_share DESC, a.id DESC LIMIT 1")
	first=$(qpc_sql "SELECT a.name FROM candidate c JOIN account a ON a.id = c.account_id
	  WHERE c.dropped_on IS NULL ORDER BY c.nominated_on, a.id LIMIT 1")
	last=$(qpc_sql "SELECT a.name FROM candidate c JOIN account a ON a.id = c.account_id
	  WHERE c.dropped_on IS NULL ORDER BY c.nominated_on DESC, a.id DESC LIMIT 1")
	qpc_start 100 30 xterm
	tui_keys 3
	tui_wait_for "sorted by name"
	qpc_expect_status "s sort"
	tui_keys s s s
	tui_wait_for "sorted by share ▼"
	tui_line 4 | grep -q "^$best " || tui_fail "the highest share is not first: $(tui_line 4)"
	tui_keys s s
	tui_wait_for "sorted by since ▲"
	tui_line 4 | grep -q "^$first " || tui_fail "the first nominated is not first: $(tui_line 4)"
	tui_keys r
	tui_wait_for "sorted by since ▼"
	tui_keys g
	tui_wait_line 4 "$last *" # reversed: the last nominated first
	tui_keys S S S S S
	tui_wait_for "sorted by name ▲"
}

test_drop_needs_a_reason() {
	fresh
	first=$(fig_sql "SELECT a.name FROM candidate c JOIN account a ON a.id = c.account_id
	  WHERE c.dropped_on IS NULL ORDER BY a.name_key, a.id LIMIT 1")
	n=$(qpc_sql "SELECT count(*) FROM candidate WHERE dropped_on IS NULL")
	qpc_start 100 30 xterm
	tui_keys 3
	tui_wait_for "Partner candidates: $n"
	tui_keys d
	tui_wait_for "Why drop $first?"
	tui_keys Enter
	tui_wait_for "a reason is required: $first is still a candidate"
	[ -n "$(export_row "$first")" ] || tui_fail "dropped without a reason"
	tui_keys d
	tui_type "lost to a competitor"
	tui_keys Enter
	tui_wait_for "$first is no longer a candidate"
	tui_wait_for "Partner candidates: $((n - 1))"
	[ -z "$(export_row "$first")" ] || tui_fail "still exported: $(export_row "$first")"
	qpc_cli history "$first" | grep -q "Candidate: dropped (lost to a competitor)" ||
		tui_fail "no drop in the history"
	# Esc cancels: nothing changes
	tui_keys d Escape
	tui_wait_for "not dropped"
	[ "$(qpc_sql "SELECT count(*) FROM candidate WHERE dropped_on IS NULL")" = $((n - 1)) ] ||
		tui_fail "Esc dropped a candidate"
}

test_suggestions_show_reasons_and_c_nominates() {
	fresh
	qpc_start 100 30 xterm
	tui_keys 3 p
	tui_wait_for "Suggested candidates: likeliest partners first"
	tui_expect_screen_contains "share " "QPC " "sales "
	qpc_expect_status "1/"
	name=$(tui_line 4 | cut -c1-30 | sed 's/ *$//')
	[ -n "$name" ] || tui_fail "no first suggestion"
	# not a candidate nor a partner, and its share in the band
	fig_sql "SELECT status || ' ' || (share_bp >= 4000 AND share_bp < 7500) FROM account
	  WHERE name = '$(printf '%s' "$name" | sed "s/'/''/g")'" | grep -q "^customer 1$" ||
		tui_fail "$name should not be suggested"
	# one template: no list to choose from, only the question
	tui_keys c
	tui_wait_for "Nominate $name (checklist 'Partner checklist')? (y/n)"
	tui_keys y
	tui_wait_for "$name is a candidate now"
	tui_line 4 | grep -q -F "$name" && tui_fail "$name is still suggested"
	export_row "$name" | grep -q ",Partner checklist,2026-11-27,tester,0,4," ||
		tui_fail "export: $(export_row "$name")"
	qpc_cli history "$name" | grep -q "Candidate: nominated" || tui_fail "no nomination in the history"
}

test_templates_rename_add_and_move_a_step_keeping_ticks() {
	fresh
	before=$(qpc_cli export candidates | cut -d, -f2,7 | sort)
	qpc_start 100 30 xterm
	tui_keys 3 T
	tui_wait_for "Checklist templates"
	tui_expect_screen_contains "Partner checklist (default)" "4. Has visited our facility"
	tui_keys r C-u
	tui_type "Partner plan"
	tui_keys Enter
	tui_wait_for "Template renamed"
	tui_expect_screen_contains "Partner plan (default)"
	# on step 2, a: a new step 3
	tui_keys j j a
	tui_wait_for "New step of 'Partner plan':"
	tui_type "Signed a framework agreement"
	tui_keys Enter
	tui_wait_for "3. Signed a framework agreement"
	tui_keys K
	tui_wait_for "2. Signed a framework agreement"
	qpc_cli template show "Partner plan" | grep -q " 2. Signed a framework agreement" ||
		tui_fail "template: $(qpc_cli template show "Partner plan")"
	# every tick kept: the same steps done, out of 5 now
	after=$(qpc_cli export candidates | cut -d, -f2,7 | sort)
	[ "$before" = "$after" ] || tui_fail "ticks changed: $before / $after"
	qpc_cli export candidates | grep -q ",Partner plan," || tui_fail "not renamed in the export"
	qpc_cli export candidates | tail -n +2 | cut -d, -f8 | grep -v -q "^5$" &&
		tui_fail "a candidate has not 5 steps"
	# retire it again
	tui_keys x
	tui_wait_for "Retire step 2 of 'Partner plan'?"
	tui_keys y
	tui_wait_for "Step retired"
	tui_expect_screen_contains "-  Signed a framework agreement"
	qpc_cli history | grep -q "Signed a framework agreement" || tui_fail "template change not in the history"
}

# A step's rule, set with R in the templates, checked against the sales in
# the checklist: met or not in a column, the evidence in the status bar,
# the same as `qpc checklist` says.  The demo's checklist has one already.
test_a_rule_on_a_step_shows_what_the_sales_show() {
	fresh
	qpc_start 110 30 xterm
	tui_keys 3 T
	tui_wait_for "Checklist templates"
	tui_expect_screen_contains "Rule" "categories>=2 quarters=4"
	tui_keys j j j
	qpc_expect_status "R rule"
	tui_keys R
	tui_wait_for "Rule of step 3"
	tui_keys C-u
	tui_type "categories>3"
	tui_keys Enter
	tui_wait_for "compares with something qpc does not know"
	[ "$(qpc_sql "SELECT rule FROM template_step WHERE rule <> '' ORDER BY id" | paste -sd'|')" = "categories>=2 quarters=4" ] ||
		tui_fail "a refused rule was written"
	tui_keys R
	tui_wait_for "Rule of step 3"
	tui_keys C-u
	tui_type "quarters=4 categories>=1"
	tui_keys Enter
	tui_wait_for "Rule set"
	tui_expect_screen_contains "categories>=1 quarters=4"
	qpc_cli template show "Partner checklist" | grep -q "3\. .*\[rule: categories>=1 quarters=4\]" ||
		tui_fail "not kept: $(qpc_cli template show "Partner checklist")"
	qpc_cli history | grep -q "rule of step 'Has bought.*categories>=2 quarters=4 → categories>=1 quarters=4" ||
		tui_fail "not in the history"
	# a template made here starts from the default's steps and rules
	tui_keys N
	tui_wait_for "Name of the new template:"
	tui_type "Quarterly"
	tui_keys Enter
	tui_wait_for "Template created"
	qpc_cli template show Quarterly | grep -q "3\. .*\[rule: categories>=1 quarters=4\]" ||
		tui_fail "the rule did not come along: $(qpc_cli template show Quarterly)"
	# the first candidate's checklist
	tui_keys q
	tui_wait_for "Candidates"
	tui_keys Enter
	tui_wait_for "Sales show"
	name=$(tui_screen | sed -n 's/^Checklist: \(.*[^ ]\)  *candidate$/\1/p')
	[ -n "$name" ] || tui_fail "no checklist title"
	acc=$(qpc_sql "SELECT external_id FROM account WHERE name = '$(echo "$name" | sed "s/'/''/g")'")
	[ -n "$acc" ] || tui_fail "no account named '$name'"
	said=$(qpc_cli checklist "$acc" | sed -n 's/^      rule categories>=1 quarters=4: \([a-z ]*\)\. \(.*\)$/\1|\2/p')
	verdict=${said%%|*} evidence=${said#*|}
	case $verdict in met | "not met") ;; *) tui_fail "qpc checklist says '$said'" ;; esac
	tui_line 7 | grep -q "3\. Has bought.*  $verdict *\$" || tui_fail "step 3 says: $(tui_line 7)"
	tui_keys j j
	qpc_expect_status "rule categories>=1 quarters=4: $verdict. $(echo "$evidence" | cut -c1-30)"
	# the other steps have no rule: nothing said
	tui_line 5 | grep -q " met" && tui_fail "step 1 has no rule: $(tui_line 5)"
	true
}

test_templates_another_default_and_delete_one_never_used() {
	fresh
	qpc_cli template add Visits "Met the buyer" "Toured the plant" >/dev/null ||
		tui_fail "template add failed"
	qpc_start 100 30 xterm
	tui_keys 3 T
	tui_wait_for "Visits"
	tui_expect_screen_contains "Partner checklist (default)" "* default  D delete"
	# the cursor to Visits (after the default's four steps), made the default
	tui_keys G
	tui_keys k k
	tui_keys '*'
	tui_wait_for "New candidates get this template"
	tui_expect_screen_contains "Visits (default)"
	qpc_cli template list | grep -q "^Visits (default)" || tui_fail "$(qpc_cli template list)"
	# the old default has candidates: it stays, and says why
	tui_keys g D
	tui_wait_for "Delete the template 'Partner checklist'?"
	tui_keys y
	n=$(qpc_sql "SELECT count(*) FROM candidate WHERE template_id = (SELECT id FROM template WHERE name = 'Partner checklist')")
	tui_wait_for "'Partner checklist' stays: $n candidacies, past or present, follow its steps"
	tui_expect_screen_contains "Partner checklist"
	# Visits was never used: deleted, and the default goes back
	tui_keys G k k D
	tui_wait_for "Delete the template 'Visits'?"
	tui_keys y
	tui_wait_for "Template deleted; new candidates now get 'Partner checklist'"
	tui_expect_screen_contains "Partner checklist (default)"
	tui_expect_not_contains "Visits"
	qpc_cli history | grep -q "Template Visits: deleted" || tui_fail "not in the history"
}

test_a_graduate_shows_the_day_it_became_a_partner() {
	fresh
	name=$(fig_sql "SELECT a.name FROM candidate c JOIN account a ON a.id = c.account_id
	  WHERE c.dropped_on IS NULL AND a.qpc IS NOT NULL AND a.sales_12m > 0 ORDER BY a.id LIMIT 1")
	sales=$(fig_sql "SELECT sales_12m / 100 FROM account WHERE name = '$name'")
	qpc_sql "SELECT c.name FROM potential p JOIN category c ON c.id = p.category_id
	  JOIN account a ON a.id = p.account_id WHERE a.name = '$name'" | while read -r cat; do
		qpc_cli potential rm "$name" "$cat"
	done
	# QPC = sales: a share of 100%, a partner
	qpc_cli potential set "$name" Packaging "$sales" >/dev/null
	qpc_cli export candidates | grep -F ",$name," | grep -q ",partner,2026-11-27" ||
		tui_fail "not graduated: $(export_row "$name")"
	qpc_start 120 30 xterm
	tui_keys 3
	tui_wait_for "Partner on"
	tui_screen | grep -F "$(printf '%.16s' "$name")" | grep -q "partner!.*2026-11-27 *$" ||
		tui_fail "no graduation date on $name's row"
	row=$(fig_sql "SELECT count(*) FROM candidate c JOIN account a ON a.id = c.account_id
	  WHERE c.dropped_on IS NULL AND a.name_key < (SELECT name_key FROM account WHERE name = '$name')")
	i=0
	while [ "$i" -lt "$row" ]; do
		tui_keys j
		i=$((i + 1))
	done
	qpc_expect_status "graduated: a partner since 2026-11-27"
}

test_read_only_refuses_to_change() {
	file_only "a file others may not write"
	fresh
	ro=$(mktemp -d /tmp/qpc-ro.XXXXXX)
	cp "$DEMO" "$ro/ro.db"
	cp "$QPC" "$ro/qpc"
	chmod 0755 "$ro"
	chmod 0444 "$ro/ro.db"
	chmod 0555 "$ro"
	if [ "$(id -u)" = 0 ]; then
		tui_start 100 30 xterm su nobody -s /bin/sh -c \
			"QPC_NOW=$QPC_NOW QPC_USER=tester LC_ALL=C.UTF-8 $ro/qpc --db $ro/ro.db"
	else
		tui_start 100 30 xterm "$ro/qpc" --db "$ro/ro.db"
	fi
	tui_wait_for "read-only"
	tui_keys c
	tui_wait_for "cannot nominate a candidate: the database is read-only here"
	tui_keys 3 d
	tui_wait_for "cannot drop a candidate: the database is read-only here"
	tui_keys Enter
	tui_wait_for "Checklist: "
	tui_keys x
	tui_wait_for "cannot tick a step: the database is read-only here"
	tui_keys q b x
	tui_wait_for "cannot tick a step: the database is read-only here"
	tui_keys q T N
	tui_wait_for "cannot make a template: the database is read-only here"
	chmod 0755 "$ro"
	same=$(sqlite3 "$ro/ro.db" "SELECT (SELECT count(*) FROM tick) || ' ' || (SELECT count(*) FROM candidate) || ' ' || (SELECT count(*) FROM template)")
	rm -rf "$ro"
	[ "$same" = "$(qpc_sql "SELECT (SELECT count(*) FROM tick) || ' ' || (SELECT count(*) FROM candidate) || ' ' || (SELECT count(*) FROM template)")" ] ||
		tui_fail "the read-only database changed: $same"
}

test_small_terminals_and_a_long_checklist() {
	fresh
	steps="One Two Three Four Five Six Seven Eight Nine Ten"
	# shellcheck disable=SC2086
	qpc_cli template add "Long" $steps >/dev/null
	name=$(pick_customer)
	qpc_cli candidate add "$name" --template Long
	for size in "40 12" "32 8" "80 24"; do
		# shellcheck disable=SC2086
		qpc_start $size xterm
		tui_keys 3 b
		tui_wait_for "Board"
		tui_keys s s
		for i in 1 2 3 4 5 6 7 8 9; do
			tui_keys Right
		done
		tui_keys l
		tui_wait_for "Checklist"
		tui_keys q q p
		tui_wait_for "Suggested"
		tui_keys q T
		tui_wait_for "Checklist templates"
		tui_keys q q q
		[ "$(tui_wait_exit)" = 0 ] || tui_fail "did not quit at $size"
	done
	# the columns scroll sideways to the tenth step
	qpc_start 40 12 xterm
	tui_keys 3 b s s
	tui_wait_for "by name"
	tui_keys g # the cursor stayed on its candidate through the sorts
	row=$(fig_sql "SELECT count(*) FROM candidate c JOIN account a ON a.id = c.account_id
	  WHERE c.dropped_on IS NULL AND a.name_key < (SELECT name_key FROM account WHERE name = '$name')")
	i=0
	while [ "$i" -lt "$row" ]; do
		tui_keys j
		i=$((i + 1))
	done
	for i in 1 2 3 4 5 6 7 8 9; do
		tui_keys Right
	done
	qpc_expect_status "10. Ten"
	tui_line 3 | grep -q "Done 6 .* 10$" || tui_fail "the columns did not scroll: $(tui_line 3)"
	tui_keys x
	tui_wait_for "Ticked step 10 for"
	export_row "$name" | grep -q ",Long,.*,1,10," || tui_fail "export: $(export_row "$name")"
}

tui_main "$@"
