# shellcheck shell=sh
# Sourced by run.sh: columns no profile lists are read by the words of
# their labels, or, for a required date or amount, by their cells; the
# dry run says why, and two equal candidates are refused, not guessed.

C=$T/columns.db
qpc --db "$C" init >/dev/null
printf 'Customer ID;Buchungsdatum;Rechnungsbetrag\nK-1;13.01.2026;100,50\n' >"$T/erp.csv"
run --db "$C" import sales "$T/erp.csv" --dry-run
check "import: an ERP's bookkeeping date is the sales date, and the dry run says why" \
	'[ $status = 0 ] && grep -Eq "^  Buchungsdatum +-> date \(its label says date\)$" "$T/out" && out_has "1 rows read: 1 created"'

printf 'Customer,Posting Date,Document Date,Amount\nAcme,2026-01-05,2026-01-04,10\n' >"$T/doc.csv"
run --db "$C" import sales "$T/doc.csv" --dry-run
check "import: the dry run names the other columns that could be the date" \
	'[ $status = 0 ] && out_has "Document Date                    -> date (its label is one the generic profile knows; also possible: Posting Date)"'

printf 'Customer,Posting Date,Invoice Posting Date,Total\nAcme,2026-01-05,2026-01-04,10\n' >"$T/two.csv"
run --db "$C" import sales "$T/two.csv"
check "import: two equally plain date labels are refused, naming both and --map" \
	'[ $status = 1 ] && err_has "both '"'"'Posting Date'"'"' and '"'"'Invoice Posting Date'"'"' are labelled as the date for sales; choose one with --map '"'"'Posting Date=date'"'"'" && [ "$(dbq "$C" "SELECT count(*) FROM sale")" = 0 ]'
run --db "$C" import sales "$T/two.csv" --map 'Invoice Posting Date=date'
check "import: --map settles which one" \
	'[ $status = 0 ] && [ "$(dbq "$C" "SELECT date FROM sale")" = 2026-01-04 ]'

printf 'Account Name,Billing Address City,Shipping Address Country\nAcme,Lyon,France\n' >"$T/crm.csv"
run --db "$C" import accounts "$T/crm.csv"
check "import: long address labels fill the city and the country" \
	'[ $status = 0 ] && [ "$(dbq "$C" "SELECT city, country FROM account WHERE name = '"'"'Acme'"'"'")" = "Lyon|France" ]'

printf 'Customer,Wann,Wert\nBeta,13/01/2026,12.50\nBeta,05/02/2026,1.00\n' >"$T/cells.csv"
run --db "$C" import sales "$T/cells.csv" --dry-run
check "import: unlabelled columns of dates and amounts are the date and amount, said so" \
	'[ $status = 0 ] && out_has "-> date (no label names the date; every cell read is a date)" && out_has "-> amount (no label names the amount; every cell read is an amount)" && out_has "dates day-first"'

printf 'Customer,Von,Bis,Amount\nBeta,2026-01-05,2026-02-05,10\n' >"$T/cells2.csv"
run --db "$C" import sales "$T/cells2.csv"
check "import: two unlabelled date columns are refused, naming both" \
	'[ $status = 1 ] && err_has "both '"'"'Von'"'"' and '"'"'Bis'"'"' hold only dates and could be the date for sales" && err_has "--map '"'"'Von=date'"'"'"'
