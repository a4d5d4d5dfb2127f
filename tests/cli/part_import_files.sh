# Sourced by run.sh: the files people actually have (issue 16) -- help
# for each command, an accounts file given as sales, Excel's
# windows-1252 CSV.
F=$T/files
mkdir -p "$F"

# --- help after a command --------------------------------------------------
for cmd in tui init report trend import export potential candidate tick untick contract \
	goal setting template backup history; do
	run --db "$F/nowhere/qpc.db" "$cmd" --help
	check "$cmd --help: its usage and an example, exit 0" \
		'[ $status = 0 ] && out_has "Usage: qpc $cmd " && out_has "Example: qpc" && [ ! -s "$T/err" ]'
done
check_on_file "--help after a command touches no database" '[ ! -e "$F/nowhere" ]'
run --db "$F/nowhere/qpc.db" import --help
cp "$T/out" "$F/import-help"
check "import --help names every import option" \
	'for o in --profile --map --delimiter --encoding --date-format --date-order --decimal --dry-run --skip-bad --rejects --raw; do out_has "$o" || exit 1; done'
# --date-order: day or month first without a whole format, as the dialog's C-o
printf 'Customer ID,Date,Amount\nD1,03/04/2026,10\nD2,05/06/2026,20\n' >"$T/ambiguous.csv"
qpc --db "$T/dorder.db" init >/dev/null 2>&1
qpc --db "$T/dorder2.db" init >/dev/null 2>&1
run --db "$T/dorder.db" import sales "$T/ambiguous.csv" --dry-run
check "dates that read either way round: refused, naming the option" \
	'[ $status = 1 ] && err_has "cannot tell whether dates in column" && err_has "pass --date-order dmy or mdy"'
run --db "$T/dorder.db" import sales "$T/ambiguous.csv" --date-order dmy
check "--date-order dmy: 03/04/2026 is 3 April" \
	'[ $status = 0 ] && [ "$(dbq "$T/dorder.db" "SELECT date FROM sale ORDER BY date" | paste -sd" " -)" = "2026-04-03 2026-06-05" ]'
run --db "$T/dorder2.db" import sales "$T/ambiguous.csv" --date-order month-first --dry-run
check "--date-order month-first: the dry run says dates month-first" \
	'[ $status = 0 ] && out_has "dates month-first"'
run --db "$T/dorder.db" import sales "$T/ambiguous.csv" --date-order ymd
check "--date-order ymd: a usage error naming the two" \
	'[ $status = 2 ] && err_has "--date-order is dmy or mdy, not '"'"'ymd'"'"'"'
rm -f "$T"/dorder*.db*
run help import
check "qpc help import is qpc import --help" '[ $status = 0 ] && cmp -s "$T/out" "$F/import-help"'
run contract end ACC-1 --help
check "-h/--help anywhere in a command's arguments" '[ $status = 0 ] && out_has "Usage: qpc contract set" && out_has "qpc contract end"'
run help frobnicate
check "help for an unknown command: exit 2" '[ $status = 2 ] && err_has "unknown command '"'"'frobnicate'"'"'"'
run --help
check "qpc --help is still the overview" '[ $status = 0 ] && out_has "Commands:" && ! out_has "Example:"'

# --- an accounts file given as sales ---------------------------------------
D=$F/files.db
run --db "$D" init
printf 'Account ID,Account Name,Account Owner,Industry,Billing City,Billing Country\n001A,Acme,Ann,Retail,Oslo,NO\n' >"$F/sf-accounts.csv"
run --db "$D" import sales "$F/sf-accounts.csv"
check "accounts imported as sales: says they are accounts, and how to import them" \
	'[ $status = 1 ] && err_has "holds accounts, not sales" && err_has "qpc import accounts $F/sf-accounts.csv" && ! err_has "no column holds the account"'
run --db "$D" import potential "$F/sf-accounts.csv"
check "accounts imported as potential: says they are accounts" \
	'[ $status = 1 ] && err_has "holds accounts, not QPC lines" && err_has "qpc import accounts"'
printf 'Customer,Invoice Date,Amount\nAcme,2026-01-05,100\n' >"$F/sales.csv"
run --db "$D" import potential "$F/sales.csv"
check "sales imported as potential: says they are sales" \
	'[ $status = 1 ] && err_has "holds sales, not QPC lines" && err_has "qpc import sales"'
printf 'Name,City\nAcme,Oslo\n' >"$F/plain.csv"
run --db "$D" import accounts "$F/plain.csv" --dry-run
check "an accounts file as accounts: read" '[ $status = 0 ] && out_has "1 rows read"'

# --- Excel's windows-1252 ----------------------------------------------------
printf 'External ID,Name,City\r\nW1,Caf\351 \223Nord\224,K\366ln\r\nW2,Stra\337e \200,M\374nchen\r\n' >"$F/cp1252.csv"
run --db "$D" import accounts "$F/cp1252.csv" --dry-run
check "not UTF-8: the dry run reads it as windows-1252, and says so" \
	'[ $status = 0 ] && out_has ", windows-1252 (not UTF-8), " && out_has "read as windows-1252 (not UTF-8)" && [ "$(dbq "$D" "SELECT count(*) FROM account")" = 0 ]'
run --db "$D" import accounts "$F/cp1252.csv"
check "not UTF-8: imported as windows-1252, said in the summary" \
	'[ $status = 0 ] && out_has "2 created" && out_has "read as windows-1252 (not UTF-8)" && [ "$(dbq "$D" "SELECT name || '"'"'/'"'"'|| city FROM account ORDER BY external_id" | paste -sd";" -)" = "Café “Nord”/Köln;Straße €/München" ]'
check "the encoding is remembered with the header's mapping" \
	'dbq "$D" "SELECT mapping FROM import_mapping WHERE kind = '"'"'accounts'"'"'" | grep -qx "encoding=windows-1252"'
printf 'External ID,Name,City\r\nW3,Plain,Oslo\r\n' >"$F/ascii.csv"
run --db "$D" import accounts "$F/ascii.csv" --dry-run
check "the same header again: the remembered encoding" '[ $status = 0 ] && out_has "windows-1252 (remembered from a past import)"'
run --db "$D" import accounts "$F/cp1252.csv" --encoding utf-8
check "--encoding utf-8 still refuses it" \
	'[ $status = 1 ] && err_has "line 2: invalid UTF-8 (byte 0xE9" && err_has "--encoding windows-1252"'
printf 'External ID,Name\nU1,Caf\351\nU2,x\201y\n' >"$F/c1.csv"
run --db "$D" import accounts "$F/c1.csv"
check "a byte undefined in windows-1252: refused as before" \
	'[ $status = 1 ] && err_has "line 2: invalid UTF-8 (byte 0xE9" && [ "$(dbq "$D" "SELECT count(*) FROM account WHERE external_id LIKE '"'"'U%'"'"'")" = 0 ]'
printf 'External ID,Name\nV1,Caf\303\251\nV2,Caf\351\n' >"$F/mixed.csv"
run --db "$D" import accounts "$F/mixed.csv"
check "UTF-8 then a byte that is not: refused" '[ $status = 1 ] && err_has "line 3: invalid UTF-8 (byte 0xE9"'
