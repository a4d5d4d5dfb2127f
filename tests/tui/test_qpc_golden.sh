#!/bin/sh
# test_qpc_golden.sh — every view at 80x24 on the demo, whole screens
# compared with tests/tui/golden/VIEW.txt (tig's way): a change anywhere on
# a screen shows as a diff, beside the other files' checks of fragments.
# After a change meant to be seen, QPC_GOLDEN=update writes the screens
# again; read the diff before committing them.
. "$(dirname "$0")/qpc_lib.sh"

GOLDEN=$(cd "$(dirname "$0")" && pwd)/golden

# golden NAME: the screen is golden/NAME.txt (the test folder's path
# written as TUI_DIR in it), or becomes it under QPC_GOLDEN=update.
golden() {
	if [ "${QPC_GOLDEN:-}" = update ]; then
		sleep 1 # what is still drawing
		tui_screen | sed "s|$TUI_DIR|TUI_DIR|g; s/[[:space:]]*\$//" >"$GOLDEN/$1.txt"
		return
	fi
	[ -f "$GOLDEN/$1.txt" ] || tui_fail "no golden/$1.txt: run with QPC_GOLDEN=update"
	# on a team server the demo's changes are the login's, not morgan's
	# (the history names the login; both names are six letters)
	if on_file; then who=morgan; else who=$QPC_USER; fi
	sed "s|TUI_DIR|$TUI_DIR|g; s/morgan/$who/g" "$GOLDEN/$1.txt" | tui_expect_screen
}

start() {
	qpc_start 80 24 xterm
}

test_golden_accounts() {
	start
	tui_wait_for "1/$DEMO_ACCOUNTS"
	golden accounts
}

test_golden_dashboard() {
	start
	tui_keys 1
	tui_wait_for "Figures [guideline]"
	tui_wait_for "12 months:" # the trend, computed meanwhile
	golden dashboard
}

test_golden_account() {
	start
	tui_keys Enter
	tui_wait_for "QPC by category"
	golden account
}

test_golden_editor() {
	start
	tui_keys e
	tui_wait_for "QPC of "
	golden editor
}

test_golden_candidates() {
	start
	tui_keys 3
	tui_wait_for "Partner candidates:"
	golden candidates
}

test_golden_checklist() {
	start
	tui_keys 3 Enter
	tui_wait_for "Checklist: "
	golden checklist
}

test_golden_board() {
	start
	tui_keys 3 b
	tui_wait_for "Board"
	golden board
}

test_golden_suggestions() {
	start
	tui_keys 3 p
	tui_wait_for "Suggested"
	golden suggestions
}

test_golden_templates() {
	start
	tui_keys 3 T
	tui_wait_for "template"
	golden templates
}

test_golden_goals() {
	start
	tui_keys 4
	tui_wait_for "partners to go"
	golden goals
}

test_golden_help() {
	start
	tui_keys ?
	tui_wait_for "Keys (1-"
	golden help
}

test_golden_import() {
	start
	tui_keys i
	tui_wait_for "Import a CSV file"
	golden import
}

tui_main "$@"
