# part_watch.sh — partners at risk and the reps' estimate gap (sourced by
# run.sh), on a small scenario of dated facts, each figure checked against
# a recomputation from the file by the sqlite3 shell.
#
# As of 2026-12-31, threshold 75%:
#   P1  QPC 1200, 100 a month all year: 100%, steady: not at risk
#   P2  QPC 1000, 100 a month January to September, nothing since: 90%
#       today; January, February and March leave the window and nothing
#       comes in: 80% at the end of January, 70% at the end of February
#       (under: it crosses in 2027-02), 60% three months ahead
#   P3  QPC 1000, sales known only as the CRM's 12-month figure (900):
#       a partner by share that cannot be projected
#   C1  QPC 1000, 500 in the year: a customer, not a partner
#   K1  a partner by contract alone: not a partner by share
# ana estimated P1 90%, P2 95%, C1 80% and U1 (unmeasured) 60%: gaps -10,
# +5, +30 on three measured accounts, median +5.  bob estimated nothing.

W=$T/watch
mkdir -p "$W"
export QPC_NOW=2026-12-31
db=$W/w.db
qpc --db "$db" init >/dev/null 2>&1
printf '%s\n' "External ID,Name,Owner,Sales 12m,Rep share estimate" \
	"P1,Pine Works,ana,,90%" "P2,Peak Foods,ana,,95%" "P3,Polar Paper,bob,900," \
	"C1,Cedar Tools,ana,,80%" "U1,Umber Cafe,ana,,60%" "K1,Kestrel Labs,bob,," >"$W/acc.csv"
qpc --db "$db" import accounts "$W/acc.csv" >/dev/null 2>&1
{
	echo "Account ID,Date,Category,Amount"
	for m in 01 02 03 04 05 06 07 08 09 10 11 12; do
		echo "P1,2026-$m-15,Paper,100.00"
		case $m in 10 | 11 | 12) ;; *) echo "P2,2026-$m-15,Paper,100.00" ;; esac
	done
	echo "C1,2026-06-15,Paper,500.00"
	echo "K1,2026-06-15,Paper,10.00"
} >"$W/sales.csv"
qpc --db "$db" import sales "$W/sales.csv" >/dev/null 2>&1
qpc --db "$db" potential set P1 Paper 1200 --measured-on 2026-01-01 >/dev/null 2>&1
for a in P2 P3 C1 K1; do
	qpc --db "$db" potential set "$a" Paper 1000 --measured-on 2026-01-01 >/dev/null 2>&1
done
qpc --db "$db" contract set K1 --signed 2026-01-01 >/dev/null 2>&1
jx() { sqlite3 :memory: "SELECT json_extract(readfile('$W/r.json'), '\$.$1')"; }
jn() { sqlite3 :memory: "SELECT json_array_length(readfile('$W/r.json'), '\$.$1')"; }

run --db "$db" report --format json
cp "$T/out" "$W/r.json"
check "at risk: the basis counts three partners by share, one not projected" \
	'[ $status = 0 ] && [ "$(jx partners_at_risk_basis.partners_by_share)" = 3 ] &&
	 [ "$(jx partners_at_risk_basis.not_projected)" = 1 ] && [ "$(jx partners_at_risk_basis.months_ahead)" = 3 ]'
# share4: the window's sales less the first months plus the last (cents,
# as "all|first|last") over the QPC of 1,000.00, to 4 places
share4() { awk -F'|' '{ printf "%g\n", int(($1 - $2 + $3) / 100000 * 10000 + 0.5) / 10000 }'; }
# the recomputation: the window's sales, less January to March, plus the
# last three months' pace for three months, over the QPC
want=$(dbq "$db" "SELECT coalesce(sum(amount), 0), coalesce(sum(amount) FILTER (WHERE date <= '2026-03-31'), 0),
	coalesce(sum(amount) FILTER (WHERE date > '2026-09-30'), 0)
	FROM sale WHERE account_id = (SELECT id FROM account WHERE external_id = 'P2')
	AND date > '2025-12-31' AND date <= '2026-12-31'" | share4)
check "at risk: P2 alone, its share, the share three months ahead as recomputed, the month" \
	'[ "$(jn partners_at_risk)" = 1 ] && [ "$(jx "partners_at_risk[0].id")" = P2 ] &&
	 [ "$(jx "partners_at_risk[0].share")" = 0.9 ] && [ "$want" = 0.6 ] &&
	 [ "$(jx "partners_at_risk[0].projected_share")" = "$want" ] &&
	 [ "$(jx "partners_at_risk[0].crosses_month")" = 2027-02 ] && [ "$(jx "partners_at_risk[0].owner")" = ana ]'
check "estimate gap: one owner, four estimates, three measured, median +5 points" \
	'[ "$(jn rep_estimate_gap)" = 1 ] && [ "$(jx "rep_estimate_gap[0].owner")" = ana ] &&
	 [ "$(jx "rep_estimate_gap[0].count")" = 4 ] && [ "$(jx "rep_estimate_gap[0].measured")" = 3 ] &&
	 [ "$(jx "rep_estimate_gap[0].median_points")" = 5.0 ]'
check "estimate gap: the largest gaps either way, largest first" \
	'[ "$(jx "rep_estimate_gap[0].largest[0].id")" = C1 ] && [ "$(jx "rep_estimate_gap[0].largest[0].gap_points")" = 30.0 ] &&
	 [ "$(jx "rep_estimate_gap[0].largest[1].id")" = P1 ] && [ "$(jx "rep_estimate_gap[0].largest[1].gap_points")" = -10.0 ] &&
	 [ "$(jx "rep_estimate_gap[0].largest[2].id")" = P2 ]'
run --db "$db" report
check "report text: the partner at risk with its shares and month, the owner's median" \
	'[ $status = 0 ] && out_has "Partners at risk" && grep -q "Peak Foods.*ana.*90.0% ->  60.0%, under by 2027-02" "$T/out" &&
	 grep -q "ana .* 4 estimates, .* 3 measured .*+5.0" "$T/out" && out_has "1 partner not projected"'

# Figures at a date are the facts of that date.  A month earlier P2's
# last three months still held September: a pace of 100/3 a month, and
# only January and February leave by the end of February: 80%, not at
# risk yet.  P3's 12-month figure came with today's import: a month ago
# it had none, so two partners by share.
run --db "$db" --as-of 2026-11-30 report --format json
cp "$T/out" "$W/r.json"
want=$(dbq "$db" "SELECT coalesce(sum(amount), 0), coalesce(sum(amount) FILTER (WHERE date <= '2026-02-28'), 0),
	coalesce(sum(amount) FILTER (WHERE date > '2026-08-30'), 0)
	FROM sale WHERE account_id = (SELECT id FROM account WHERE external_id = 'P2')
	AND date > '2025-11-30' AND date <= '2026-11-30'" | share4)
check "at another date: that date's window; P2 recomputes to 80%, so none at risk" \
	'[ $status = 0 ] && [ "$want" = 0.8 ] && [ "$(jn partners_at_risk)" = 0 ] &&
	 [ "$(jx partners_at_risk_basis.partners_by_share)" = 2 ]'

# An estimate changed today: a report as of yesterday uses the one before.
printf '%s\n' "External ID,Name,Rep share estimate" "C1,Cedar Tools,50%" >"$W/est.csv"
qpc --db "$db" import accounts "$W/est.csv" >/dev/null 2>&1
run --db "$db" report --format json
cp "$T/out" "$W/r.json"
check "estimate changed: today's gap uses the new one (median +0, -10 +0 +5)" \
	'[ "$(jx "rep_estimate_gap[0].median_points")" = 0.0 ]'
run --db "$db" --as-of 2026-12-30 report --format json
cp "$T/out" "$W/r.json"
check "estimate changed: yesterday's gap uses the one in force then" \
	'[ $status = 0 ] && [ "$(jx "rep_estimate_gap[0].largest[0].gap_points")" = 30.0 ]'
sum_before=$(cat "$db"* | md5sum)
run --db "$db" --as-of 2026-06-30 report --format json
run --db "$db" report
check "reading the watch, today or at another date, writes nothing" \
	'[ $status = 0 ] && [ "$(cat "$db"* | md5sum)" = "$sum_before" ]'

# On the demo with three partners of our own that slow down, at four
# dates (one of them today, whose figures are kept; the others walked
# from the dated facts): every partner by share in `export partners` at
# that date is recomputed here from the sales table, the window less its
# first three months plus its last three, over the QPC, floored to a
# basis point; those under 75% must be exactly the report's partners at
# risk, with the same projected share.
export QPC_NOW=2026-11-27T09:00:00Z
dd=$W/demo.db
qpc --db "$dd" init --demo --accounts 400 >/dev/null 2>&1
printf '%s\n' "External ID,Name,Owner" "ZS1,Zz Slowing One,zoe" "ZS2,Zz Slowing Two,zoe" \
	"ZS3,Zz Lumpy Three,yan" >"$W/slow.csv"
{
	echo "Account ID,Date,Category,Amount"
	for m in 01 02 03 04 05 06 07 08; do echo "ZS1,2026-$m-15,Paper,100.00"; done
	for m in 01 02 03 04 05 06 07 08 09 10; do echo "ZS2,2026-$m-10,Paper,100.00"; done
	echo "ZS3,2025-12-20,Paper,600.00"
	echo "ZS3,2026-02-20,Paper,100.00"
	echo "ZS3,2026-07-20,Paper,200.00"
} >"$W/slow-sales.csv"
qpc --db "$dd" import accounts "$W/slow.csv" >/dev/null 2>&1
qpc --db "$dd" import sales "$W/slow-sales.csv" >/dev/null 2>&1
for a in ZS1 ZS2 ZS3; do qpc --db "$dd" potential set "$a" Paper 1000 --measured-on 2025-11-01 >/dev/null 2>&1; done
if on_file; then # recomputed by the sqlite3 shell, the file attached
agree=1 seen_risk=0
for D in 2026-04-30 2026-06-30 2026-09-30 2026-11-27; do
	qpc --db "$dd" --as-of "$D" export partners -o "$W/p.csv" >/dev/null 2>&1 || agree=0
	qpc --db "$dd" --as-of "$D" report --format json >"$W/r.json" 2>/dev/null || agree=0
	want=$(sqlite3 :memory: ".mode csv" ".import $W/p.csv p" "ATTACH '$dd' AS q" "SELECT ifnull(group_concat(ext || ':' || printf('%.4f', bp / 10000.0), ' '), '') FROM (
		SELECT p.external_id AS ext, min(10000, max(0, (s.sales - s.first3 + s.last3) * 10000
			/ CAST(round(p.qpc * 100) AS INTEGER))) AS bp
		FROM p JOIN q.account a ON a.external_id = p.external_id
		JOIN (SELECT account_id, total(amount) AS sales,
			total(amount) FILTER (WHERE date <= date('$D', '-9 months')) AS first3,
			total(amount) FILTER (WHERE date > date('$D', '-3 months')) AS last3, count(*) AS n
			FROM q.sale WHERE date > date('$D', '-12 months') AND date <= '$D' GROUP BY account_id) s
			ON s.account_id = a.id
		WHERE p.status = 'partner' AND CAST(p.share AS REAL) >= 0.75 AND s.n > 0
		ORDER BY ext) WHERE bp < 7500" | tr -d '"')
	got=$(sqlite3 :memory: "SELECT ifnull(group_concat(ext || ':' || printf('%.4f', ps), ' '), '') FROM (
		SELECT json_extract(value, '\$.id') AS ext, json_extract(value, '\$.projected_share') AS ps
		FROM json_each(readfile('$W/r.json'), '\$.partners_at_risk') ORDER BY ext)")
	if [ "$want" != "$got" ]; then
		agree=0
		echo "# $D: recomputed '$want', reported '$got'"
	fi
	[ -n "$got" ] && seen_risk=$((seen_risk + 1))
done
check "at risk at four dates, kept and walked: exactly the partners recomputed from the sales" \
	'[ $agree = 1 ] && [ $seen_risk -ge 2 ]'
fi

# What works: four candidacies nominated on 2026-03-01.  W1 becomes a
# partner on 06-01 (92 days), W2 on 09-01 (184 days), W3 is dropped on
# 10-01, W4 still runs.  Step 1 was ticked for W1, W2 and W3 in April,
# step 2 for W1 alone, step 3 for W2 only after it became a partner
# (which does not count: it was not done by the end).
K=$W/works.db
qpc --db "$K" init >/dev/null 2>&1
printf '%s\n' "External ID,Name" "W1,Willow" "W2,Wren" "W3,Wharf" "W4,Wick" >"$W/wa.csv"
printf '%s\n' "Account ID,Date,Category,Amount" "W1,2026-02-01,Paper,500" "W2,2026-02-01,Paper,500" \
	"W3,2026-02-01,Paper,500" "W4,2026-02-01,Paper,500" "W1,2026-06-01,Paper,400" \
	"W2,2026-09-01,Paper,400" >"$W/ws.csv"
{
	qpc --db "$K" import accounts "$W/wa.csv" && qpc --db "$K" import sales "$W/ws.csv" &&
		for a in W1 W2 W3 W4; do
			qpc --db "$K" potential set $a Paper 1000 --measured-on 2026-01-01 &&
				QPC_NOW=2026-03-01T10:00:00Z qpc --db "$K" candidate add $a || exit 1
		done &&
		for a in W1 W2 W3; do QPC_NOW=2026-04-01T10:00:00Z qpc --db "$K" tick $a 1 || exit 1; done &&
		QPC_NOW=2026-04-01T10:00:00Z qpc --db "$K" tick W1 2 &&
		QPC_NOW=2026-10-15T10:00:00Z qpc --db "$K" tick W2 3 &&
		QPC_NOW=2026-10-01T10:00:00Z qpc --db "$K" candidate drop W3 --reason "no budget"
} >"$W/works.log" 2>&1 || echo "# setting up what works failed: $(tail -n 2 "$W/works.log")"
run --db "$K" report --format json
cp "$T/out" "$W/r.json"
step() { jx "candidacy.steps[$1].$2"; }
check "what works: three ended, two partners, one dropped, one open, median 138 days" \
	'[ $status = 0 ] && [ "$(jx candidacy.ended)" = 3 ] && [ "$(jx candidacy.partners)" = 2 ] &&
	 [ "$(jx candidacy.dropped)" = 1 ] && [ "$(jx candidacy.open)" = 1 ] &&
	 [ "$(jx candidacy.median_days_to_partner)" = 138.0 ]'
check "what works: each step ticked by the end or not, against the partners made" \
	'[ "$(jn candidacy.steps)" = 4 ] &&
	 [ "$(step 0 ticked.candidacies)/$(step 0 ticked.partners)/$(step 0 not_ticked.candidacies)" = 3/2/0 ] &&
	 [ "$(step 1 ticked.candidacies)/$(step 1 ticked.partners)/$(step 1 not_ticked.candidacies)/$(step 1 not_ticked.partners)" = 1/1/2/1 ] &&
	 [ "$(step 2 ticked.candidacies)/$(step 2 not_ticked.candidacies)/$(step 2 not_ticked.partners)" = 0/3/2 ]'
run --db "$K" --as-of 2026-07-01 report --format json
cp "$T/out" "$W/r.json"
check "what works at another date: only what had ended by then" \
	'[ $status = 0 ] && [ "$(jx candidacy.ended)" = 1 ] && [ "$(jx candidacy.partners)" = 1 ] &&
	 [ "$(jx candidacy.open)" = 3 ] && [ "$(jx candidacy.median_days_to_partner)" = 92.0 ]'
run --db "$K" report
check "what works in the text report: the counts it rests on" \
	'[ $status = 0 ] && out_has "What works: 3 ended candidacies (2 partners, 1 dropped), 1 still open; median 138 days" &&
	 grep -q "2\. Knows our senior executives .* 1 of 1 .* 1 of 2" "$T/out"'
