# part_profit.sh — gross profit that is unknown is not zero (sourced by
# run.sh): a sales file without a profit column leaves the accounts' gross
# profit unknown, which the report, the JSON report and the export say
# instead of 0.00, and leave out of the profit ratios; an export imported
# again keeps the cost to serve.

P=$T/profit
mkdir -p "$P"
export QPC_NOW=2026-11-30
printf 'Account ID,Account Name,Cost to serve\nA1,Acme,100.00\nA2,Beta,50.00\nA3,Corvid,\n' >"$P/accounts.csv"
# A1 buys with a profit, A2 without any, A3 once with and once without.
printf 'Account ID,Date,Category,Amount,Gross Profit\nA1,2026-10-01,Widgets,1000.00,400.00\nA3,2026-09-01,Widgets,200.00,50.00\nA3,2026-09-02,Widgets,300.00,\n' >"$P/with.csv"
printf 'Account ID,Date,Category,Amount\nA2,2026-10-01,Widgets,500.00\n' >"$P/without.csv"
qpc --db "$P/p.db" init >/dev/null 2>&1
qpc --db "$P/p.db" import accounts "$P/accounts.csv" >/dev/null 2>&1
qpc --db "$P/p.db" import sales "$P/without.csv" >/dev/null 2>&1
run --db "$P/p.db" report
check "no profit column: the report's gross profit is unknown (–), not 0.00" \
	'[ $status = 0 ] && out_has "Gross profit 12m                          –   (known for 0 of 1 customers)" && ! out_has "Gross profit 12m                       0.00"'
run --db "$P/p.db" report --format json
check "no profit column: gross_profit_12m is null in JSON, resting on 0 accounts" \
	'[ $status = 0 ] && out_has "\"gross_profit_accounts\": 0," && out_has "\"gross_profit_12m\": null," && out_has "\"net_profit_accounts\": 1," && out_has "\"partner_share_of_gross_profit\": null,"'
run --db "$P/p.db" export accounts
check "no profit column: the export's gross_profit_12m is empty, not 0.00" \
	'[ $status = 0 ] && out_has "A2,Beta,,,,,,500.00,,,customer,0,,,,0,50.00"'

qpc --db "$P/p.db" import sales "$P/with.csv" >/dev/null 2>&1
run --db "$P/p.db" report
check "some customers' profit known: the total is theirs, and says how many it rests on" \
	'[ $status = 0 ] && out_has "Gross profit 12m                     400.00   (known for 1 of 3 customers)" && out_has "Net profit 12m                       300.00   (1 account with cost-to-serve)"'
run --db "$P/p.db" export accounts
check "a line without a profit makes its account's profit unknown, the others' sum is not it" \
	'[ $status = 0 ] && out_has "A1,Acme,,,,,,1000.00,400.00," && out_has "A3,Corvid,,,,,,500.00,,"'

# A partner whose profit is unknown: left out of the partners' share of
# gross profit (resting on the customers whose profit is known).
qpc --db "$P/p.db" potential set A2 Widgets 500 >/dev/null 2>&1
qpc --db "$P/p.db" potential set A1 Widgets 5000 >/dev/null 2>&1
run --db "$P/p.db" report --format json
check "a partner whose profit is unknown is left out of the partners' share of gross profit" \
	'[ $status = 0 ] && out_has "\"partners\": 1," && out_has "\"gross_profit_accounts\": 1," && out_has "\"partner_gross_profit_12m\": null," && out_has "\"partner_share_of_gross_profit\": null,"'

# Export, then import into a new database: the cost to serve comes back.
qpc --db "$P/p.db" export accounts -o "$P/out.csv" >/dev/null 2>&1
qpc --db "$P/q.db" init >/dev/null 2>&1
run --db "$P/q.db" import accounts "$P/out.csv"
check "an export imported again keeps the cost to serve" \
	'[ $status = 0 ] && [ "$(dbq "$P/q.db" "SELECT external_id || '"'"'='"'"' || coalesce(CAST(cost_to_serve AS TEXT), '"'"'-'"'"') FROM account ORDER BY external_id" | paste -sd" " -)" = "A1=10000 A2=5000 A3=-" ]'
# An export made before cost_to_serve was a column is still qpc's own.
cut -d, -f1-16 "$P/out.csv" >"$P/old.csv"
qpc --db "$P/r.db" init >/dev/null 2>&1
run --db "$P/r.db" import accounts --dry-run "$P/old.csv"
check "an accounts export of an earlier qpc (no cost_to_serve) is read as qpc's own" \
	'[ $status = 0 ] && out_has "Read as profile qpc,"'

# A database of the previous schema kept 0 for an unknown profit: once
# migrated, its figures are computed again and the profit is unknown.
if on_file; then # a file of an older schema
cp "$P/p.db" "$P/v13.db"
sqlite3 "$P/v13.db" "ALTER TABLE template_step DROP COLUMN rule;
	DROP INDEX account_by_name; ALTER TABLE account DROP COLUMN name_key;
	CREATE INDEX account_by_name ON account(name COLLATE NOCASE, id, owner);
	DROP INDEX account_by_gp; ALTER TABLE account DROP COLUMN gp_known;
	CREATE INDEX account_by_gp ON account(gp_12m, sort_status, sales_12m)
	  WHERE (sales_12m > 0 OR sort_status = 3);
	UPDATE account SET gp_12m = 0; PRAGMA user_version = 13;"
run --db "$P/v13.db" report --format json
check "schema 13 migrated: an unknown profit that was kept as 0 is unknown again" \
	'[ $status = 0 ] && err_has "from schema version 13" && out_has "\"gross_profit_accounts\": 1," && out_has "\"gross_profit_12m\": 400,"'
check "schema 13 migrated: the figures are computed once, by the migration, not by every read" \
	'[ -n "$(dbq "$P/v13.db" "SELECT value FROM setting WHERE key = '"'"'figures_as_of'"'"'")" ] && [ "$(dbq "$P/v13.db" "SELECT gp_known FROM account WHERE external_id = '"'"'A2'"'"'")" = 0 ]'
fi
unset QPC_NOW
