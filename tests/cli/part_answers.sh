# shellcheck shell=sh
# Sourced by run.sh: the write commands answer with the dashboard's
# one-line result, the history speaks in words and units, and `make run`
# needs only what building and running need and keeps the demo database.

# --- each write says what it did ------------------------------------------
W=$T/answers.db
qpc --db "$W" init >/dev/null
printf 'External ID,Name,Sales 12m,Rep share estimate\nW1,Acme Tools,8000,90%%\n' >"$T/w.csv"
qpc --db "$W" import accounts "$T/w.csv" >/dev/null
run --db "$W" potential set W1 Packaging 12500 --basis "customer stated"
check "potential set: says the QPC, share and status, as the editor's save" \
	'[ $status = 0 ] && [ "$(cat "$T/out")" = "Saved: QPC 12,500, share 64.0%, status customer" ] && [ ! -s "$T/err" ]'
run --db "$W" potential set W1 Packaging 12500 --basis "customer stated" --verified
check "potential set --verified: says the figures too" \
	'[ $status = 0 ] && [ "$(cat "$T/out")" = "Saved: QPC 12,500, share 64.0%, status customer" ]'
run --db "$W" potential set W1 Safety 2500
check "potential set of a second category: the account's whole QPC" \
	'[ $status = 0 ] && out_has "Saved: QPC 15,000, share 53.3%, status customer"'
run --db "$W" potential rm W1 Safety
check "potential rm: says the figures after the removal" \
	'[ $status = 0 ] && out_has "Saved: QPC 12,500, share 64.0%, status customer"'
run --db "$W" candidate add W1
check "candidate add: names the account and its checklist" \
	'[ $status = 0 ] && [ "$(cat "$T/out")" = "Acme Tools is a candidate now, with the checklist '"'"'Partner checklist'"'"'" ]'
run --db "$W" tick W1 2
check "tick by number: the step's number and text" \
	'[ $status = 0 ] && [ "$(cat "$T/out")" = "Ticked 2. Knows our senior executives" ]'
run --db "$W" tick W1 "HAS VISITED OUR FACILITY" --note "met the CFO"
check "tick by text: the step as the checklist has it" \
	'[ $status = 0 ] && [ "$(cat "$T/out")" = "Ticked 4. Has visited our facility" ]'
run --db "$W" untick W1 2
check "untick: says which step" \
	'[ $status = 0 ] && [ "$(cat "$T/out")" = "Unticked 2. Knows our senior executives" ]'
run --db "$W" untick W1 2
check "untick of an unticked step: exit 1, nothing said on stdout" \
	'[ $status = 1 ] && [ ! -s "$T/out" ] && err_has "not ticked"'
run --db "$W" candidate drop W1 --reason "lost to a competitor"
check "candidate drop: says the account is no longer a candidate" \
	'[ $status = 0 ] && [ "$(cat "$T/out")" = "Acme Tools is no longer a candidate" ]'
run --db "$W" goal set 2027 60
check "goal set: the goal in words" '[ $status = 0 ] && [ "$(cat "$T/out")" = "Goal 2027: 60 new partners" ]'
run --db "$W" goal set 2028 1
check "goal set 1: one partner, singular" '[ $status = 0 ] && [ "$(cat "$T/out")" = "Goal 2028: 1 new partner" ]'
run --db "$W" contract set W1 --signed 2026-03-10 --value 120000
check "contract set: the contract's dates and value" \
	'[ $status = 0 ] && [ "$(cat "$T/out")" = "Contract saved: signed 2026-03-10, no end, 120,000 a year" ]'
run --db "$W" contract end W1 --on 2026-09-01
check "contract end: the day it ends and what it means" \
	'[ $status = 0 ] && [ "$(cat "$T/out")" = "Contract ends on 2026-09-01: a partner by contract up to the day before" ]'
run --db "$W" setting set threshold 60% --from 2026-07-01
check "setting set threshold: the threshold and the day it applies from" \
	'[ $status = 0 ] && [ "$(cat "$T/out")" = "Saved: the partner threshold is 60% from 2026-07-01 on" ]'
run --db "$W" setting set threshold 0.825
check "setting set threshold as a fraction: said as a percent, from the as-of date" \
	'[ $status = 0 ] && [ "$(cat "$T/out")" = "Saved: the partner threshold is 82.5% from 2026-11-27 on" ]'
run --db "$W" template add Field "Met the buyer" "Toured the plant"
check "template add: says it was created, with its steps" \
	'[ $status = 0 ] && [ "$(cat "$T/out")" = "Template created with 2 steps" ]'
run --db "$W" template rename Field Onsite
check "template rename: says so" '[ $status = 0 ] && [ "$(cat "$T/out")" = "Template renamed" ]'
run --db "$W" template step-add Onsite "Signed a framework agreement"
check "template step-add: says so" '[ $status = 0 ] && [ "$(cat "$T/out")" = "Step added" ]'
run --db "$W" template step-move Onsite 3 1
check "template step-move: says so" '[ $status = 0 ] && [ "$(cat "$T/out")" = "Step moved" ]'
run --db "$W" template step-rm Onsite 2
check "template step-rm: says the ticks stay" \
	'[ $status = 0 ] && [ "$(cat "$T/out")" = "Step retired: its ticks stay in the history" ]'
run --db "$W" template default Onsite
check "template default: says new candidates get it, and they do" \
	'[ $status = 0 ] && [ "$(cat "$T/out")" = "New candidates get this template" ] && qpc --db "$W" template list | grep -q "^Onsite (default): 2 steps" && ! qpc --db "$W" template list | grep -q "^Partner checklist (default)"'
run --db "$W" template rm "Partner checklist"
check "template rm: one a candidacy used stays, and says why" \
	'[ $status = 1 ] && err_has "'"'"'Partner checklist'"'"' stays: 1 candidacy, past or present, follows its steps" && qpc --db "$W" template show "Partner checklist" >/dev/null'
qpc --db "$W" template add Spare "Called the buyer" >/dev/null
qpc --db "$W" template default Spare >/dev/null
run --db "$W" template rm Spare
check "template rm: the default deleted, the oldest other becomes it, said by name" \
	'[ $status = 0 ] && [ "$(cat "$T/out")" = "Template deleted; new candidates now get '"'"'Partner checklist'"'"'" ] && qpc --db "$W" template list | grep -q "^Partner checklist (default)" && ! qpc --db "$W" template show Spare 2>/dev/null'
run --db "$W" template rm Nowhere
check "template rm: an unknown name, exit 1 naming it" \
	'[ $status = 1 ] && err_has "no checklist template named '"'"'Nowhere'"'"'"'
qpc --db "$W" import accounts "$T/w.csv" >/dev/null
printf 'External ID,Name,Sales 12m,Rep share estimate\nW1,Acme Tools,8000,85%%\n' >"$T/w2.csv"
qpc --db "$W" import accounts "$T/w2.csv" >/dev/null
printf 'External ID,Name\nW9,Evil\033[31m Corp\n' >"$T/w9.csv"
qpc --db "$W" import accounts "$T/w9.csv" >/dev/null
run --db "$W" candidate add W9
check "candidate add: a name with control characters is shown escaped" \
	'[ $status = 0 ] && out_has "Evil\x1b[31m Corp is a candidate now" && ! grep -q "$(printf "\033")" "$T/out"'

# --- the history in words and units ----------------------------------------
run --db "$W" history W1
check "history: a QPC line's amount as money, none as a dash" \
	'[ $status = 0 ] && out_has "W1 Acme Tools QPC in Packaging: – → 12,500.00" && out_has "QPC in Safety: 2,500.00 → –"'
check "history: verified and basis in words" \
	'out_has "QPC in Packaging: verified" && ! out_has "QPC in Packaging: 12,500.00 → 12,500.00"'
check "history: the rep's estimate of our share as a percent" \
	'out_has "Rep'"'"'s estimate of our share: 90% → 85%"'
check "history: ticks, with the note, and unticks" \
	'out_has "Knows our senior executives: ticked" && out_has "Has visited our facility: ticked, note: met the CFO" && out_has "Knows our senior executives: unticked"'
check "history: the candidacy, nominated and dropped with its reason" \
	'out_has "Candidate: nominated" && out_has "Candidate: dropped (lost to a competitor)"'
check "history: the contract with its value as money" \
	'out_has "Contract: signed 2026-03-10, value 120,000.00" && out_has "value 120,000.00 → signed 2026-03-10, ends 2026-09-01, value 120,000.00"'
check "history: no column names, no raw values" \
	'! out_has "rep_share_estimate_bp" && ! out_has "qpc:" && ! out_has "verified:" && ! out_has "9000" && ! out_has "12500.00"'
run --db "$W" history
check "history: goals, the threshold and templates in words" \
	'[ $status = 0 ] && grep -q " tester  *Goal 2027: – → 60 new partners$" "$T/out" && grep -q "Goal 2028: – → 1 new partner$" "$T/out" && out_has "Partner threshold: 75% → 60%" && out_has "Partner threshold: 60% → 82.5%" && out_has "Template Field: renamed to Onsite" && out_has "Template Onsite: step 3 moved to 1: Signed a framework agreement" && out_has "Template Onsite: step retired: Met the buyer" && out_has "Template Onsite: made the default for new candidates" && out_has "Template Spare: deleted"'
check "history: nothing left in the store's own words" \
	'! out_has "0.7500" && ! out_has "setting threshold" && ! out_has "goal 2027" && ! out_has " -> "'
check "history: the store keeps the raw values (only the text changed)" \
	'[ "$(dbq "$W" "SELECT old || '"'"' '"'"' || new FROM history WHERE field = '"'"'rep_share_estimate_bp'"'"'")" = "9000 8500" ]'

# --- make run: only what running needs, and the demo database kept ---------
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
[ -f "$ROOT/Makefile" ] || ROOT=$PWD # run.sh is run from the top folder
if on_file && command -v make >/dev/null 2>&1 && [ -f "$ROOT/Makefile" ]; then # the demo is a file
	# a make started by make check must not inherit its flags or variables,
	# and leaves the package stamps under build/ alone
	mk() {
		(cd "$ROOT" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL \
			make DEPS_RUN_OK="$T/mk/.run-ok" DEPS_OK="$T/mk/.ok" "$@")
	}
	# the package list the dependency step would install, from its recipe
	pkgs() { mk -n -B BUILD="$T/mk" "$1" 2>/dev/null |
		sed -n 's/^for p in \(.*\); do.*/ \1 /p'; }
	# lists LIST WORD...: whether the list names every word; lists_none: no word
	lists() { l=$1; shift; for p in "$@"; do case "$l" in *" $p "*) ;; *) return 1;; esac; done; }
	lists_none() { l=$1; shift; for p in "$@"; do case "$l" in *" $p "*) return 1;; esac; done; }
	run_pkgs=$(pkgs run) check_pkgs=$(pkgs check-unit)
	check "make run installs what building and running need" \
		'lists "$run_pkgs" build-essential pkg-config libncurses-dev libsqlite3-dev libcsv-dev'
	check "make run installs none of the test and lint tools" \
		'[ -n "$run_pkgs" ] && lists_none "$run_pkgs" valgrind check tmux sqlite3 clang libclang-rt-dev cppcheck clang-tidy'
	check "make check-unit still installs the test tools" \
		'lists "$check_pkgs" valgrind check tmux sqlite3 clang cppcheck clang-tidy libcsv-dev'
	# the demo step, with this qpc taken as built (-o: not remade)
	D=$T/mk/demo.db
	mkdir -p "$T/mk"
	cp "$W" "$D"
	mk -s BUILD="$T/mk" BIN="$QPC" -o "$QPC" DEMO_DB="$D" demo-db >"$T/out" 2>"$T/err"
	status=$?
	check "make run's demo step keeps an existing demo database and its edits" \
		'[ $status = 0 ] && out_has "as it was left" && [ "$(qpc --db "$D" export goals | grep -c "^2027,60,")" = 1 ]'
	check "make run opens the demo database after that step, and nothing removes it" \
		'mk -n BUILD="$T/mk" BIN="$QPC" -o "$QPC" DEMO_DB="$D" run >"$T/out" 2>&1 && out_has "$QPC --db $D" && ! out_has "rm -f $D"'
	mk -s BUILD="$T/mk" BIN="$QPC" -o "$QPC" DEMO_DB="$D" demo >"$T/out" 2>"$T/err"
	status=$?
	check "make demo makes a fresh demo database" \
		'[ $status = 0 ] && [ "$(qpc --db "$D" export goals | grep -c "^2027,60,")" = 0 ] && [ "$(qpc --db "$D" export accounts | wc -l)" -gt 1000 ]'
	rm -f "$D"
	mk -s BUILD="$T/mk" BIN="$QPC" -o "$QPC" DEMO_DB="$D" demo-db >"$T/out" 2>"$T/err"
	status=$?
	check "make run's demo step makes the demo database when there is none" \
		'[ $status = 0 ] && [ -s "$D" ] && out_has "with demo data"'
else
	ok "# SKIP make run's packages and demo database: no make here"
fi
