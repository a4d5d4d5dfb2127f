# part_traits.sh — what a partner is for us (sourced by run.sh): traits
# kept by the team, ratings as dated facts, the export, and partners
# against the other customers on each trait, at any date, checked against
# a recomputation by the sqlite3 shell.

R=$T/traits
mkdir -p "$R"
export QPC_NOW=2026-11-27T09:00:00Z
db=$R/t.db
qpc --db "$db" init --demo --accounts 200 >/dev/null 2>&1
# the demo's own traits and ratings set aside: these checks count theirs
demo_traits=$(dbq "$db" "SELECT count(*) FROM trait WHERE name IN ('Trusts our advice', 'Confides its plans', 'Calls us first')")
dbx "$db" "DELETE FROM trait_rating; DELETE FROM trait"
check "the demo comes with three traits of its own" '[ "$demo_traits" = 3 ]'
run --db "$db" trait add Trust
check "trait add: said, scored 1 to 5 by default" '[ $status = 0 ] && out_has "scored 1 to 5"'
run --db "$db" trait add "Shares its plans" --scale 0-10
check "trait add --scale" '[ $status = 0 ] && out_has "scored 0 to 10"'
run --db "$db" trait add trust
check "a trait named again, case aside: refused, exit 1" '[ $status = 1 ] && err_has "already"'
run --db "$db" trait add Honesty --scale 5-1
check "a scale that goes down: usage, exit 2" '[ $status = 2 ] && err_has "--scale"'
run --db "$db" trait list
check "trait list: name order, scale, ratings" \
	'[ $status = 0 ] && [ "$(head -n 1 "$T/out" | cut -c1-16)" = "Shares its plans" ] && out_has "1-5  0 ratings"'

# (the demo's ids follow its accounts' order; no name holds a comma)
with_status() { qpc --db "$db" export accounts --raw | awk -F, -v s="$1" '$11 == s { print $1 }' | sort | head -n "$2"; }
set -- $(with_status partner 3)
p1=$1 p2=$2 p3=$3
set -- $(with_status customer 2)
c1=$1 c2=$2
QPC_NOW=2026-06-01T09:00:00Z run --db "$db" rate "$p1" Trust 2 --note "new buyer"
run --db "$db" rate "$p1" Trust 5 --note "met the CFO"
check "rate: said with its date" '[ $status = 0 ] && out_has "Rated '"'"'Trust'"'"' 5 on 2026-11-27"'
qpc --db "$db" rate "$p2" Trust 4 >/dev/null 2>&1
qpc --db "$db" rate "$c1" Trust 2 >/dev/null 2>&1
qpc --db "$db" rate "$c2" Trust 3 >/dev/null 2>&1
qpc --db "$db" rate "$p3" "Shares its plans" 9 >/dev/null 2>&1
run --db "$db" rate "$p2" Trust 6
check "rate: a score off the scale is refused, nothing written" \
	'[ $status = 2 ] && err_has "from 1 to 5, not 6" && [ "$(dbq "$db" "SELECT count(*) FROM trait_rating")" = 6 ]'
run --db "$db" rate "$p2" Nope 3
check "rate: an unknown trait is named" '[ $status = 1 ] && err_has "no trait '"'"'Nope'"'"'"'
run --db "$db" export traits
check "export traits: every rating, dated, with who and the note" \
	'[ $status = 0 ] && [ "$(head -n 1 "$T/out" | tr -d "\r")" = "account_id,account,trait,score,rated_on,rated_by,note" ] &&
	 [ "$(sed 1d "$T/out" | wc -l)" = 6 ] && grep -q "^$p1,.*,Trust,2,2026-06-01,.*,new buyer" "$T/out" &&
	 grep -q "^$p1,.*,Trust,5,2026-11-27,.*,met the CFO" "$T/out"'

jx() { sqlite3 :memory: "SELECT json_extract(readfile('$R/r.json'), '\$.$1')"; }
# the recomputation: each account's latest rating up to D, its status at
# D from its status changes, averaged for partners and the others
recompute() {
	dbq "$db" "WITH r AS (SELECT account_id, score FROM trait_rating g WHERE trait_id = (SELECT id FROM trait WHERE name = 'Trust')
		AND rated_on <= '$1' AND NOT EXISTS (SELECT 1 FROM trait_rating h WHERE h.account_id = g.account_id
		AND h.trait_id = g.trait_id AND h.rated_on <= '$1' AND (h.rated_on > g.rated_on OR (h.rated_on = g.rated_on AND h.id > g.id)))),
		s AS (SELECT score, (SELECT status FROM status_span p WHERE p.account_id = r.account_id AND p.since <= '$1'
		ORDER BY since DESC LIMIT 1) AS status FROM r)
		SELECT count(*) FILTER (WHERE status = 3), avg(score) FILTER (WHERE status = 3),
		count(*) FILTER (WHERE status IN (1, 2)), avg(score) FILTER (WHERE status IN (1, 2)) FROM s" |
	awk -F'|' '{ for (i = 2; i <= 4; i += 2) $i = sprintf("%.4f", $i)
		print $1 "/" $2 "/" $3 "/" $4 }'
}
for D in 2026-11-27 2026-07-01; do
	run --db "$db" --as-of "$D" report --format json
	cp "$T/out" "$R/r.json"
	got=$(sqlite3 :memory: "SELECT json_extract(value, '\$.partners.rated') || '/' || printf('%.4f', json_extract(value, '\$.partners.average'))
		|| '/' || json_extract(value, '\$.other_customers.rated') || '/' || printf('%.4f', json_extract(value, '\$.other_customers.average'))
		FROM json_each(readfile('$R/r.json'), '\$.traits') WHERE json_extract(value, '\$.trait') = 'Trust'")
	want=$(recompute "$D")
	check "traits at $D: partners against the others as recomputed ($want)" '[ $status = 0 ] && [ "$got" = "$want" ]'
done
check "traits today: two partners at 4.5, two others at 2.5" '[ "$(recompute 2026-11-27)" = "2/4.5000/2/2.5000" ]'
check "traits in July: the rating in force then (2), the later ones not yet" '[ "$(recompute 2026-07-01 | cut -d/ -f1,2)" = "1/2.0000" ]'
run --db "$db" report
check "report text: each trait, partners and others, averages and how many rated" \
	'[ $status = 0 ] && grep -q "Trust .*(1-5) *4.50 of *2 *2.50 of *2" "$T/out"'

run --db "$db" trait rename Trust "Trusts us"
check "trait rename keeps the ratings" \
	'[ $status = 0 ] && qpc --db "$db" export traits | grep -q ",Trusts us,5,"'
run --db "$db" trait retire "Shares its plans"
check "trait retire: kept, listed as retired, out of the comparison" \
	'[ $status = 0 ] && qpc --db "$db" trait list | grep -q "Shares its plans .*(retired)" &&
	 [ "$(qpc --db "$db" report --format json | grep -c "\"trait\": \"Shares its plans\"")" = 0 ]'
run --db "$db" rate "$p3" "Shares its plans" 8
check "a retired trait takes no new rating" '[ $status = 1 ] && err_has "retired"'
run --db "$db" history "$p1"
check "ratings are in the account's history" '[ $status = 0 ] && out_has "Trust"'
