# part_sales_bulk.sh — a load of sales lines into an empty sales table
# (sourced by run.sh): it sets the table's indexes aside, keys every line
# as the first of its kind and numbers the repeats at its end, and ends as
# the same load does row by row.

S=$T/salesbulk
mkdir -p "$S"
# Lines without an id of their own, some of them exactly alike (keyed by
# what they hold and their occurrence), for 40 accounts and 3 categories;
# and a file whose line ids repeat (an order's lines share its number).
{
	echo 'Customer No,Customer Name,Posting Date,Category,Amount'
	i=1
	while [ $i -le 400 ]; do
		echo "K$((i % 40)),Customer $((i % 40)),2026-0$((i % 9 + 1))-1$((i % 10)),Cat$((i % 3)),$((i % 23 * 10)).50"
		[ $((i % 50)) = 0 ] && echo "K$((i % 40)),Customer $((i % 40)),2026-0$((i % 9 + 1))-1$((i % 10)),Cat$((i % 3)),$((i % 23 * 10)).50"
		i=$((i + 1))
	done
} >"$S/lines.csv"
{
	echo 'Account ID,Date,Category,Amount,Line ID'
	i=1
	while [ $i -le 60 ]; do
		echo "K$((i % 7)),2026-03-0$((i % 9 + 1)),Cat$((i % 2)),$i,ORD$((i / 4))"
		i=$((i + 1))
	done
} >"$S/orders.csv"
sales_of() {
	dbq "$1" "SELECT a.external_id, s.date, c.name, s.amount, s.gross_profit, s.source_key
		FROM sale s JOIN account a ON a.id = s.account_id LEFT JOIN category c ON c.id = s.category_id
		WHERE s.date > '2020-01-02' ORDER BY s.source_key, s.date, s.amount"
	qpc --db "$1" export accounts --raw | cut -d, -f1,8,11 | sort
}
idx_of() { sqlite3 "$1" "SELECT name, sql FROM sqlite_master WHERE tbl_name = 'sale' ORDER BY name"; }
for f in lines orders; do
	QPC_NOW=2026-10-01 qpc --db "$S/$f-bulk.db" init >/dev/null 2>&1
	QPC_NOW=2026-10-01 run --db "$S/$f-bulk.db" import sales "$S/$f.csv"
	eval "${f}_status=$status"
	# the row-by-row path: the sales table holds a line already, of the
	# file's first account (ids, which content keys hold, stay the same)
	# and out of the 12 months
	QPC_NOW=2026-10-01 qpc --db "$S/$f-rows.db" init >/dev/null 2>&1
	printf 'Account ID,Date,Amount\nK1,2020-01-02,1\n' >"$S/seed.csv"
	QPC_NOW=2026-10-01 qpc --db "$S/$f-rows.db" import sales "$S/seed.csv" >/dev/null 2>&1
	QPC_NOW=2026-10-01 qpc --db "$S/$f-rows.db" import sales "$S/$f.csv" >/dev/null 2>&1
done
check "sales lines loaded into an empty table: the lines, keys and figures of a row-by-row load" \
	'[ $lines_status = 0 ] && [ "$(sales_of "$S/lines-bulk.db")" = "$(sales_of "$S/lines-rows.db")" ] && [ "$(dbq "$S/lines-bulk.db" "SELECT count(*) FROM sale")" = 408 ]'
check "identical lines stay apart: 8 repeats numbered #2, every key unique" \
	'[ "$(dbq "$S/lines-bulk.db" "SELECT count(*), count(DISTINCT source_key), sum(CASE WHEN source_key LIKE '"'"'%#2'"'"' THEN 1 ELSE 0 END) FROM sale")" = "408|408|8" ]'
check "line ids an order's lines share: numbered as row by row" \
	'[ $orders_status = 0 ] && [ "$(sales_of "$S/orders-bulk.db")" = "$(sales_of "$S/orders-rows.db")" ] && [ "$(dbq "$S/orders-bulk.db" "SELECT count(DISTINCT source_key) FROM sale")" = 60 ]'
check_on_file "a bulk load of sales leaves the sales table's indexes as a new database has them" \
	'[ "$(idx_of "$S/lines-bulk.db")" = "$(idx_of "$S/lines-rows.db")" ] && [ "$(idx_of "$S/lines-bulk.db" | grep -c "sale_by_key\|sale_by_date\|sale_account_date")" = 3 ]'
check_on_file "no line names an account or category that is not there" \
	'[ -z "$(sqlite3 "$S/lines-bulk.db" "PRAGMA foreign_key_check")" ]'
QPC_NOW=2026-10-01 run --db "$S/lines-bulk.db" import sales "$S/lines.csv"
check "the same file again finds every line, repeats included" \
	'[ $status = 0 ] && out_has "408 rows read: 0 created, 0 updated, 408 unchanged"'
QPC_NOW=2026-10-01 run --db "$S/orders-bulk.db" import sales "$S/orders.csv"
check "the order file again finds every line" \
	'[ $status = 0 ] && out_has "60 rows read: 0 created, 0 updated, 60 unchanged"'
# Line ids qpc's own export keeps as they are: the first A is "A", the
# second "A#2".  A file that also holds a line "A#2" cannot be keyed:
# refused whole, nothing stored.
H='external_id,name,date,category,amount,gross_profit,line_id'
printf '%s\nK1,Kay,2026-02-01,Cat0,5,,A\nK1,Kay,2026-02-01,Cat0,6,,A\n' "$H" >"$S/verb.csv"
QPC_NOW=2026-10-01 qpc --db "$S/verb.db" init >/dev/null 2>&1
QPC_NOW=2026-10-01 run --db "$S/verb.db" import sales "$S/verb.csv"
check "a line id given twice in qpc's own export: lines A and A#2" \
	'[ $status = 0 ] && [ "$(dbq "$S/verb.db" "SELECT source_key FROM sale ORDER BY id" | paste -sd" " -)" = "A A#2" ]'
printf '%s\nK1,Kay,2026-02-01,Cat0,5,,A\nK1,Kay,2026-02-01,Cat0,6,,A\nK1,Kay,2026-02-02,Cat0,7,,A#2\n' "$H" >"$S/clash.csv"
QPC_NOW=2026-10-01 qpc --db "$S/clash.db" init >/dev/null 2>&1
QPC_NOW=2026-10-01 run --db "$S/clash.db" import sales "$S/clash.csv"
check "line ids A, A and A#2: refused with the reason, nothing stored" \
	'[ $status != 0 ] && err_has "same key once numbered" && [ "$(dbq "$S/clash.db" "SELECT count(*) FROM sale")" = 0 ]'
# Keys made by an earlier release (schema 12, the base in full) become
# hashes on migrating, and an import of the same file finds them.
if on_file; then # a file of an older schema
V=$S/v8.db
F=${QPC_FIXTURES:-tests/fixtures}
sqlite3 "$V" <"$F/schema-v8.sql"
QPC_NOW=2026-06-01 run --db "$V" import sales "$F/schema-v8-sales.csv"
check "sales keys of an older file, migrated: the same file finds every line unchanged" \
	'[ $status = 0 ] && out_has "5 rows read: 0 created, 0 updated, 5 unchanged" && [ "$(dbq "$V" "SELECT count(*) FROM sale WHERE source_key LIKE '"'"'~%'"'"'")" = 5 ]'
fi
