# part_bulk.sh — a load of new accounts into an empty database (sourced by
# run.sh): it takes shortcuts, and ends as the same load does row by row.

if on_file; then # the shortcuts of a load into an empty file
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
qpc --db "$B/bulk.db" init >/dev/null 2>&1
run --db "$B/bulk.db" import accounts "$B/plain.csv"
bulk_status=$status
# the same rows into a database that holds an account: the row-by-row path
qpc --db "$B/rows.db" init >/dev/null 2>&1
printf 'Account ID,Account Name\nSEED,Seed\n' >"$B/seed.csv"
qpc --db "$B/rows.db" import accounts "$B/seed.csv" >/dev/null 2>&1
qpc --db "$B/rows.db" import accounts "$B/plain.csv" >/dev/null 2>&1
check "new accounts without figures, loaded in bulk: the figures and status changes of a row-by-row load" \
	'[ $bulk_status = 0 ] && [ "$(figs "$B/bulk.db")" = "$(figs "$B/rows.db")" ] && [ -n "$(figs "$B/bulk.db")" ]'
idx() { sqlite3 "$1" "SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"; }
check "a bulk load leaves every index as a new database has it" \
	'[ "$(idx "$B/bulk.db")" = "$(idx "$B/rows.db")" ] && [ "$(dbq "$B/bulk.db" "SELECT count(*) FROM pending_ddl")" = 0 ]'
# Rows that carry figures set every index aside, and get them back.
printf 'Account ID,Account Name,Sales 12m\nF1,Figured 1,1000\nF2,Figured 2,0\n' >"$B/figs.csv"
qpc --db "$B/figs.db" init >/dev/null 2>&1
run --db "$B/figs.db" import accounts "$B/figs.csv"
check "accounts with 12-month figures, loaded in bulk: a customer, a prospect, every index back" \
	'[ $status = 0 ] && [ "$(sqlite3 "$B/figs.db" "SELECT group_concat(status, \" \") FROM (SELECT status FROM account ORDER BY external_id)")" = "customer prospect" ] && [ "$(idx "$B/figs.db")" = "$(idx "$B/rows.db")" ]'
# The search index of a bulk load is built beside it (fts_side.c): the
# same hits as the index kept row by row, for every trigram asked.
hits() {
	for q in '"ulk"' '"k 1" AND "Bul"' '"B29"' '"k 3" AND " 30"' '"eed"'; do
		sqlite3 "$1" "SELECT group_concat(external_id, ' ') FROM (SELECT a.external_id FROM
			account_fts f JOIN account a ON a.id = f.rowid WHERE account_fts MATCH '$q'
			AND a.external_id <> 'SEED' ORDER BY 1)"
	done
	sqlite3 "$1" "INSERT INTO account_fts(account_fts) VALUES ('integrity-check')" && echo intact
}
check "a bulk load's search index finds what the row-by-row one finds, and is intact" \
	'[ "$(hits "$B/bulk.db")" = "$(hits "$B/rows.db")" ] && [ "$(hits "$B/bulk.db" | grep -c "B1")" -ge 2 ] && hits "$B/bulk.db" | grep -qx intact'
# A file that renames an account it made (the same id twice) cannot use
# the index built beside it: the index is rebuilt, and the old name gone.
printf 'Account ID,Account Name\nR1,Oldname One\nR2,Second\nR1,Newname One\n' >"$B/rename.csv"
qpc --db "$B/rename.db" init >/dev/null 2>&1
run --db "$B/rename.db" import accounts "$B/rename.csv"
check "an account renamed within a bulk load is found by its new name only" \
	'[ $status = 0 ] && [ "$(dbq "$B/rename.db" "SELECT count(*) FROM account_fts WHERE account_fts MATCH '"'"'\"ldn\"'"'"'")" = 0 ] && [ "$(dbq "$B/rename.db" "SELECT a.external_id FROM account_fts f JOIN account a ON a.id = f.rowid WHERE account_fts MATCH '"'"'\"ewn\"'"'"'")" = R1 ]'
fi
