# part_plan.sh — a plan with owners and dates (sourced by run.sh): qpc step
# assign, and qpc tasks as text, CSV and an iCalendar file a calendar
# program imports (CRLF lines of at most 75 octets, one VTODO per dated
# open step, UIDs the same at every export).

P=$T/plan
mkdir -p "$P"
export QPC_NOW=2026-11-27T09:00:00Z
db=$P/p.db
qpc --db "$db" init --demo --accounts 200 >/dev/null 2>&1
set -- $(dbq "$db" "SELECT a.external_id FROM candidate c JOIN account a ON a.id = c.account_id
	WHERE c.dropped_on IS NULL ORDER BY a.id LIMIT 3")
c1=$1 c2=$2 c3=$3
n1=$(dbq "$db" "SELECT name FROM account WHERE external_id = '$c1'")
step4=$(dbq "$db" "SELECT ts.text FROM candidate c JOIN account a ON a.id = c.account_id
	JOIN template_step ts ON ts.template_id = c.template_id AND ts.position = 4 AND ts.retired = 0
	WHERE a.external_id = '$c2' AND c.dropped_on IS NULL")
# untick what the demo ticked, for the steps planned here
for a in "$c1 2" "$c1 3" "$c2 4" "$c3 1"; do qpc --db "$db" untick $a >/dev/null 2>&1; done

run --db "$db" step assign "$c1" 2 --owner ana --due 2026-11-20
check "step assign: owner and due date, said back" \
	'[ $status = 0 ] && out_has "Step 2. " && out_has ": ana, due 2026-11-20"'
run --db "$db" step assign "$c2" "$step4" --due 2026-12-15
check "step assign by the step's text: a date without an owner" \
	'[ $status = 0 ] && out_has "Step 4. " && out_has "nobody, due 2026-12-15"'
run --db "$db" step assign "$c1" 3 --owner bob
check "step assign: an owner without a date" '[ $status = 0 ] && out_has "bob, no due date"'
run --db "$db" step assign "$c3" 1 --owner ana --due 2026-10-01
run --db "$db" step assign "$c1" 2
check "step assign with neither: usage, exit 2" '[ $status = 2 ] && err_has "--owner NAME"'
run --db "$db" step assign "$c1" 2 --due 2026-02-30
check "step assign: an impossible date is refused, named" '[ $status = 2 ] && err_has "2026-02-30"'
run --db "$db" step assign "$c1" 99 --owner ana
check "step assign: no such step, exit 1, nothing written" \
	'[ $status = 1 ] && err_has "no step 99" && [ "$(dbq "$db" "SELECT count(*) FROM step_plan")" = 4 ]'
prospect=$(dbq "$db" "SELECT external_id FROM account WHERE id NOT IN (SELECT account_id FROM candidate) LIMIT 1")
run --db "$db" step assign "$prospect" 1 --owner ana
check "step assign: not a candidate, said" '[ $status = 1 ] && err_has "not a candidate"'

run --db "$db" tasks
check "tasks: the earliest due first, overdue said, the undated last" \
	'[ $status = 0 ] && [ "$(cut -c1-18 "$T/out" | tr -s " " | tr "\n" "|")" = "2026-10-01 overdue|2026-11-20 overdue|2026-12-15 |- |" ]'
run --db "$db" tasks --overdue
check "tasks --overdue: only those due before the as-of date" \
	'[ $status = 0 ] && [ "$(wc -l <"$T/out")" = 2 ] && ! out_has "2026-12-15"'
run --db "$db" tasks --owner bob
check "tasks --owner: only that person's" '[ $status = 0 ] && [ "$(wc -l <"$T/out")" = 1 ] && out_has "bob"'
run --db "$db" --as-of 2026-10-15 tasks --overdue
check "tasks --overdue at another date: due before it" \
	'[ $status = 0 ] && [ "$(wc -l <"$T/out")" = 1 ] && out_has "2026-10-01"'
run --db "$db" tasks --format csv
check "tasks --format csv: a header and a row per open planned step" \
	'[ $status = 0 ] && [ "$(head -n 1 "$T/out" | tr -d "\r")" = "account_id,account,step,step_text,owner,due,overdue" ] &&
	 [ "$(wc -l <"$T/out")" = 5 ] && grep -q "^$c1,.*,2,.*,ana,2026-11-20,1" "$T/out"'
run --db "$db" tasks --format ics
cp "$T/out" "$P/a.ics"
check "tasks --format ics: a calendar, one VTODO per dated step, DUE as a date" \
	'[ $status = 0 ] && [ "$(head -n 1 "$P/a.ics")" = "$(printf "BEGIN:VCALENDAR\r")" ] &&
	 [ "$(grep -c "^BEGIN:VTODO" "$P/a.ics")" = 3 ] && grep -q "^DUE;VALUE=DATE:20261120" "$P/a.ics" &&
	 [ "$(tail -n 1 "$P/a.ics")" = "$(printf "END:VCALENDAR\r")" ]'
check "tasks --format ics: every line ends in CRLF and holds at most 75 octets" \
	'! grep -v "$(printf "\r")\$" "$P/a.ics" | grep -q . && ! LC_ALL=C grep -q "^.\{76,\}" "$P/a.ics"'
check "tasks --format ics: UIDs unique, DTSTAMP on each" \
	'[ "$(grep "^UID:" "$P/a.ics" | sort -u | wc -l)" = 3 ] && [ "$(grep -c "^DTSTAMP:20261127T090000Z" "$P/a.ics")" = 3 ]'
QPC_NOW=2026-11-28T10:00:00Z run --db "$db" tasks --format ics
check "tasks --format ics: the same UIDs at the next export" \
	'[ "$(grep "^UID:" "$T/out")" = "$(grep "^UID:" "$P/a.ics")" ]'
# unfolded, the summary is the account and the step, commas escaped
check "tasks --format ics: the summary names the account, escaped" \
	'awk "/^ /{ sub(/^ /, \"\"); printf \"%s\", \$0; next } { printf \"\\n%s\", \$0 }" "$P/a.ics" | tr -d "\r" |
	 grep -qF "SUMMARY:$(printf "%s" "$n1" | sed "s/,/\\\\,/g"): "'
run --db "$db" tasks --format xml
check "tasks --format xml: exit 2" '[ $status = 2 ] && err_has "text, csv or ics"'

# a tick closes the task; clearing both drops the plan; a dropped
# candidacy's steps leave the list
qpc --db "$db" tick "$c1" 2 >/dev/null 2>&1
run --db "$db" tasks
check "a ticked step is no longer a task" '[ $status = 0 ] && ! out_has "2026-11-20"'
run --db "$db" step assign "$c1" 3 --owner "" --due none
check "clearing owner and date drops the plan" \
	'[ $status = 0 ] && out_has "nobody, no due date" && [ "$(dbq "$db" "SELECT count(*) FROM step_plan")" = 3 ]'
qpc --db "$db" candidate drop "$c3" --reason "test" >/dev/null 2>&1
run --db "$db" tasks --owner ana
check "a dropped candidacy's steps are no tasks" '[ $status = 0 ] && out_has "No open step"'
run --db "$db" history "$c1"
check "the plan's changes are in the history" \
	'[ $status = 0 ] && out_has ": owner" && out_has "ana" && out_has ": due"'
