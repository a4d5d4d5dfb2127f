# part_bulk.sh — a load of new accounts into an empty database (sourced by
# run.sh): it takes shortcuts, and ends as the same load does row by row.

B=$T/bulk
mkdir -p "$B"
{
	echo 'Account ID,Account Name,Account Owner,Industry,City'
	i=1
	while [ $i -le 300 ]; do
		echo "B$i,Bulk $i,rep$((i % 7)),Seg$((i % 5)),City$((i % 3))"
		i=$((i + 1))
	done
} >"$B/plain.csv"
figs() {
	sqlite3 "$1" "SELECT external_id, name, owner, segment, qpc, qpc_measured_on, qpc_verified,
		sales_12m, gp_12m, share_bp, share_over, untapped, status, contract_partner,
		contract_value, quality FROM account WHERE external_id <> 'SEED' ORDER BY external_id;
		SELECT count(*) FROM status_span; SELECT count(*) FROM history WHERE field = 'status';"
}
"$QPC" --db "$B/bulk.db" init >/dev/null 2>&1
run --db "$B/bulk.db" import accounts "$B/plain.csv"
bulk_status=$status
# the same rows into a database that holds an account: the row-by-row path
"$QPC" --db "$B/rows.db" init >/dev/null 2>&1
printf 'Account ID,Account Name\nSEED,Seed\n' >"$B/seed.csv"
"$QPC" --db "$B/rows.db" import accounts "$B/seed.csv" >/dev/null 2>&1
"$QPC" --db "$B/rows.db" import accounts "$B/plain.csv" >/dev/null 2>&1
check "new accounts without figures, loaded in bulk: the figures and status changes of a row-by-row load" \
	'[ $bulk_status = 0 ] && [ "$(figs "$B/bulk.db")" = "$(figs "$B/rows.db")" ] && [ -n "$(figs "$B/bulk.db")" ]'
idx() { sqlite3 "$1" "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"; }
check "a bulk load leaves every index as a new database has it" \
	'[ "$(idx "$B/bulk.db")" = "$(idx "$B/rows.db")" ] && [ "$(sqlite3 "$B/bulk.db" "SELECT count(*) FROM pending_ddl")" = 0 ]'
# Rows that carry figures set every index aside, and get them back.
printf 'Account ID,Account Name,Sales 12m\nF1,Figured 1,1000\nF2,Figured 2,0\n' >"$B/figs.csv"
"$QPC" --db "$B/figs.db" init >/dev/null 2>&1
run --db "$B/figs.db" import accounts "$B/figs.csv"
check "accounts with 12-month figures, loaded in bulk: a customer, a prospect, every index back" \
	'[ $status = 0 ] && [ "$(sqlite3 "$B/figs.db" "SELECT group_concat(status, \" \") FROM (SELECT status FROM account ORDER BY external_id)")" = "customer prospect" ] && [ "$(idx "$B/figs.db")" = "$(idx "$B/rows.db")" ]'
