# shellcheck shell=sh
# Sourced by run.sh: figures shown shorter than they are held are rounded
# half away from zero, the same in the report as on the dashboard and in
# the one-line answers (issue 14).

N=$T/numbers.db
qpc --db "$N" init >/dev/null
# partners make 4,755 of 10,000 gross profit: 47.55%, a tie at one decimal
printf 'External ID,Name,Sales 12m,Gross profit 12m\nP1,Pine Partner,10000,4755\nX2,Oak Customer,20170,5245\n' \
	>"$T/numbers.csv"
qpc --db "$N" import accounts "$T/numbers.csv" >/dev/null
qpc --db "$N" potential set P1 Packaging 12000 >/dev/null
run --db "$N" potential set X2 Packaging 100000
check "potential set: a share of 20.17% reads 20.2%, rounded as the report rounds" \
	'[ $status = 0 ] && out_has "share 20.2%,"'
run --db "$N" report
check "report: 47.55% of gross profit is 47.6% (half away from zero), not 47.5%" \
	'[ $status = 0 ] && grep -Eq "^  from partners +4,755.00 +47.6% of gross profit" "$T/out"'
