#!/bin/sh
# test_qpc_views.sh — the dashboard, candidates, goals and account views
# at several sizes and terminal types, and names that are wide, accented
# or hostile shown safely and in line.
. "$(dirname "$0")/qpc_lib.sh"

report() { # KEY: a value of qpc report --format json
	qpc --db "$DEMO" report --format json >"$TUI_DIR/report.json"
	sqlite3 :memory: "SELECT json_extract(readfile('$TUI_DIR/report.json'), '\$.$1')"
}

test_dashboard_shows_the_report_beside_the_guidelines() {
	partners=$(report partners)
	year=$(report goal.year) target=$(report goal.target) made=$(report goal.achieved)
	qpc_start 100 30 xterm
	tui_keys 1
	tui_wait_for "Figures [guideline]"
	# the figures come after the first paint, and the trend after them
	tui_wait_for "Accounts     400" 60
	tui_wait_for "12 months:" 60
	tui_expect_screen_contains "Accounts     400" "Partners     $partners " "[3-5%]" "[50-80%]" \
		"Goal $year" "$made/$target partners" "Customers by share of QPC" "75-100%" \
		"QPC underestimated" "Profit curve" "Top 20% of customers make" "Most untapped potential"
	top=$(fig_sql "SELECT substr(name, 1, 16) FROM account ORDER BY sort_untapped DESC, id DESC LIMIT 1")
	tui_expect_screen_contains "$top"
	tui_keys j Enter # the top list has the keys
	tui_wait_for "QPC by category"
	tui_expect_screen_contains "$(fig_sql "SELECT substr(name, 1, 16) FROM account ORDER BY sort_untapped DESC, id DESC LIMIT 1 OFFSET 1")"
	tui_keys q
	tui_wait_for "Most untapped potential"
}

test_dashboard_one_pane_at_a_time_when_narrow() {
	qpc_start 40 12 xterm
	tui_keys 1
	tui_wait_for "Figures [guideline] (1/5"
	tui_keys Tab
	tui_wait_for "(2/5"
	tui_expect_screen_contains "0-25%"
	tui_keys Tab
	tui_wait_for "Trend, 24 months (3/5"
	tui_wait_for "12 months:"
	tui_keys Tab Tab
	tui_wait_for "(5/5"
	tui_keys BTab
	tui_wait_for "Profit curve (4/5"
}

test_candidates_and_their_checklists() {
	n=$(qpc_sql "SELECT count(*) FROM candidate WHERE dropped_on IS NULL")
	first=$(fig_sql "SELECT substr(a.name, 1, 16) FROM candidate c JOIN account a ON a.id = c.account_id WHERE c.dropped_on IS NULL ORDER BY a.name_key, a.id LIMIT 1")
	qpc_start 100 30 xterm
	tui_keys 3
	tui_wait_for "Partner candidates: $n"
	tui_expect_screen_contains "$first" "Checklist" "/4"
	qpc_expect_status "1/$n"
	tui_keys Enter
	tui_wait_for "Checklist: $first"
	tui_keys l
	tui_wait_for "Candidate since"
	tui_expect_screen_contains "Knows our senior executives" "History"
	tui_keys Tab
	qpc_expect_status "Tab: checklist"
	tui_keys Escape Escape
	tui_wait_for "Partner candidates: $n"
}

test_goals_by_year() {
	qpc_start 80 24 xterm
	tui_keys 4
	tui_wait_for "Partner goals"
	qpc_sql "SELECT year || ' ' || target FROM goal ORDER BY year" | while read -r y t; do
		tui_expect_screen_contains "$y"
		tui_line $(($(tui_screen | grep -n "^$y " | cut -d: -f1))) | grep -q " $t " ||
			tui_fail "goal $y is not $t"
	done
	qpc_expect_status "3 years with a goal"
}

test_every_view_at_every_size() {
	for size in "80 24" "200 60" "40 12" "32 8"; do
		# shellcheck disable=SC2086
		qpc_start $size xterm
		for k in 1 2 3 4; do
			tui_keys "$k"
			qpc_expect_status "help"
		done
		tui_keys 2 Enter
		qpc_expect_status "back"
		tui_keys q q
		[ "$(tui_wait_exit)" = 0 ] || tui_fail "did not quit at $size"
	done
}

test_every_view_in_every_terminal_type() {
	for t in $TUI_TERMS; do
		qpc_start_checked 80 24 "$t"
		tui_keys 1
		tui_wait_for "Figures"
		tui_keys 3 Enter
		tui_wait_for "Checklist: "
		tui_keys l
		tui_wait_for "Candidate since"
		tui_keys 4 '?'
		tui_wait_for "Keys (1-"
		tui_keys q Q
		tui_expect_restored 0
	done
}

test_names_wide_accented_and_hostile() {
	DB=$TUI_DIR/names.db
	qpc --db "$DB" init >/dev/null
	esc=$(printf '\033')
	bidi=$(printf '\342\200\256') # U+202E, right-to-left override
	db_exec "$DB" "INSERT INTO account(name, owner, external_id, created_at, updated_at) VALUES
		('Plain Tools', 'ann', 'P-1', '', ''),
		('東京精密 Group', 'bo', 'P-2', '', ''),
		('Émile 😀 Café', 'cy', 'P-3', '', ''),
		('Red${esc}[31mAlert', 'di', 'P-4', '', ''),
		('Bidi ${bidi}txt', 'ed', 'P-5', '', '')"
	qpc_start 80 12 xterm
	tui_wait_for "Accounts: 5"
	# untapped unknown everywhere: newest first; the owner column lines up
	tui_expect_line 4 'Bidi \u202etxt         ed           –          0      –         – prospect  none'
	tui_expect_line 5 'Red\x1b[31mAlert       di           –          0      –         – prospect  none'
	tui_expect_line 6 'Émile 😀 Café          cy           –          0      –         – prospect  none'
	tui_expect_line 7 '東京精密 Group         bo           –          0      –         – prospect  none'
	tui_expect_line 8 'Plain Tools            ann          –          0      –         – prospect  none'
	if tui_screen_attrs | grep -q "$esc\\[31m"; then
		tui_fail "the name's escape sequence reached the terminal"
	fi
	tui_keys /
	tui_type "精密"
	qpc_expect_status "4/5"
	tui_keys Escape 2 Down Down Enter
	# 12 rows: the figures in a pane of their own, the account's name first
	tui_wait_for "Figures (1/3, Tab: next)"
	tui_expect_screen_contains 'Émile 😀 Café  P-3'
	tui_keys Tab
	tui_wait_for "QPC by category (2/3"
}

tui_main "$@"
