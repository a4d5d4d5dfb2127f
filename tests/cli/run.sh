#!/bin/sh
# End-to-end tests of the qpc command line: exit codes, messages, JSON keys,
# CSV output.  Usage: QPC=/abs/path/to/qpc sh tests/cli/run.sh (on a team
# server: tests/cli/server.sh, which sets QPC_TEST_SERVER; see run() in
# tests/check.sh)
set -u
: "${QPC:?set QPC to the qpc binary}"
T=$(mktemp -d /tmp/qpc-cli-XXXXXX)
trap 'rm -rf "$T"' EXIT INT TERM
export QPC_NOW=2026-11-27T09:00:00Z QPC_USER=tester
unset QPC_DB
HOME=$T/home
export HOME
unset XDG_DATA_HOME
passed=0 failed=0 n=0

. "$(dirname "$0")/../check.sh"

# --- usage -------------------------------------------------------------
run --help
check "--help exits 0 and lists every command" \
	'[ $status = 0 ] && out_has "init [--demo]" && out_has "report" && out_has "import accounts|sales|potential" && out_has "export LIST"'
run -h
check "-h is --help" '[ $status = 0 ] && out_has "Usage: qpc"'
run --version
check "--version names the version" '[ $status = 0 ] && grep -Eq "^qpc [0-9]+\.[0-9]+\.[0-9]+" "$T/out"'
run -V
check "-V is --version" '[ $status = 0 ] && out_has "qpc "'
run frobnicate
check "unknown command: exit 2 and says so" \
	'[ $status = 2 ] && err_has "qpc: unknown command '"'"'frobnicate'"'"'" && err_has "qpc --help"'
run --frobnicate
check "unknown option: exit 2, named" '[ $status = 2 ] && err_has "unknown option '"'"'--frobnicate'"'"'"'
run --db
check "--db without a value: exit 2" '[ $status = 2 ] && err_has "--db"'
run --as-of 2026-02-30 report
check "impossible --as-of date: exit 2" '[ $status = 2 ] && err_has "--as-of takes a real date"'
QPC_NOW=yesterday run report
check "malformed QPC_NOW: exit 2" '[ $status = 2 ] && err_has "QPC_NOW"'
run --db "$T/x.db" report --format xml
check "report --format xml: exit 2" '[ $status = 2 ] && err_has "text or json"'
run --db "$T/x.db" export
check "export with no list: exit 2" '[ $status = 2 ] && err_has "say what to export"'
run --db "$T/x.db" export widgets
check "export of an unknown list: exit 2" '[ $status = 2 ] && err_has "unknown list"'

# --- databases ---------------------------------------------------------
run --db "$T/none/qpc.db" report
check_on_file "missing database: exit 1, names it, suggests init" \
	'[ $status = 1 ] && err_has "no database at $T/none/qpc.db" && err_has "qpc init" && [ ! -e "$T/none" ]'
run --db "$T" report
check_on_file "a folder as the database: one clear sentence" '[ $status != 0 ] && err_has "is a folder"'
printf 'id,name\n1,Acme\n' >"$T/accounts.csv"
run --db "$T/accounts.csv" report
check_on_file "a CSV file as the database: refused, file untouched" \
	'[ $status = 1 ] && err_has "not a qpc database" && [ "$(cat "$T/accounts.csv")" = "$(printf "id,name\n1,Acme")" ]'
run init
check_on_file "init uses ~/.local/share/qpc/qpc.db by default" \
	'[ $status = 0 ] && [ -f "$HOME/.local/share/qpc/qpc.db" ] && out_has "created"'
check_on_file "a new database is private (0600)" \
	'[ "$(stat -c %a "$HOME/.local/share/qpc/qpc.db")" = 600 ]'
XDG_DATA_HOME=$T/xdg run init
check_on_file "init honours XDG_DATA_HOME" '[ $status = 0 ] && [ -f "$T/xdg/qpc/qpc.db" ]'
QPC_DB=$T/env.db run init
check_on_file "init honours QPC_DB" '[ $status = 0 ] && [ -f "$T/env.db" ]'
QPC_DB=$T/env.db run --db "$T/flag.db" init
check_on_file "--db wins over QPC_DB" '[ $status = 0 ] && [ -f "$T/flag.db" ]'
run init
check "init twice: nothing to do" '[ $status = 0 ] && out_has "nothing to do"'
run report --format json
check "report on an empty database" \
	'[ $status = 0 ] && out_has "\"accounts\": 0" && out_has "\"partner_share_of_customers\": null" && out_has "\"goal\": null"'
# A PostgreSQL connection string names a team server, not a path: one it
# cannot reach is a sentence (never naming a password), and no file or
# folder is made after it (it once created ./postgresql:/x).  A password
# in it is refused before anything is sent.  (tests/pg/run.sh: a server.)
mkdir -p "$T/pg"
bad_pg=
for conn in "postgresql:///x?host=$T/nowhere" "postgres://ana:secret@db/qpc" service=qpc_nowhere \
	"host=$T/nowhere dbname=qpc"; do
	(cd "$T/pg" && PGSERVICEFILE=$T/none qpc --db "$conn" init) >"$T/out" 2>"$T/err"
	status=$?
	{ [ $status = 1 ] || [ $status = 2 ]; } && [ "$(wc -l <"$T/err")" = 1 ] &&
		err_has "qpc: " && ! err_has secret || bad_pg="$bad_pg $conn"
done
check_on_file "--db naming a server it cannot reach: one sentence, nothing created" \
	'[ -z "$bad_pg" ] && [ -z "$(ls -A "$T/pg")" ]'
run --db "postgres://ana:secret@db/qpc" init
check "--db with a password in it: refused, the password not repeated" \
	'[ $status = 2 ] && err_has "~/.pgpass" && ! err_has secret'
run --db "postgresql:///x?host=$T/nowhere" init
check "an unreachable server: said so, in the terms of its socket" \
	'[ $status = 1 ] && err_has "cannot reach the team server" && err_has "$T/nowhere"'
run --db "service=qpc_nowhere" --user ana user list
check_on_file "--user on a team server: refused, the login is the user" \
	'[ $status = 2 ] && err_has "your database login"'
run user list
check_on_file "user on a SQLite file: a sentence, exit 2" \
	'[ $status = 2 ] && err_has "belongs to a team server"'
if on_file; then # the file's schema version
cp "$T/flag.db" "$T/newer.db"
sqlite3 "$T/newer.db" "PRAGMA user_version = 42"
run --db "$T/newer.db" report
check "a database from a newer qpc: refused with both versions" \
	'[ $status = 1 ] && err_has "schema version 42" && err_has "upgrade qpc"'
fi

# --- demo, report ------------------------------------------------------
D=$T/demo.db
run --db "$D" init --demo
check "init --demo creates the demo data" '[ $status = 0 ] && out_has "2000 accounts"'
run --db "$D" init --demo
check "init --demo refuses a database with accounts" '[ $status = 2 ] && err_has "already holds 2000 accounts"'
run --db "$D" report --format json
cp "$T/out" "$T/report.json"
keys_ok=1
for k in as_of currency threshold accounts customers partners contract_partners candidates \
	partner_share_of_customers sales_12m gross_profit_12m partner_gross_profit_12m \
	partner_share_of_gross_profit qpc_total untapped goal year target achieved \
	partners_at_risk partners_at_risk_basis rep_estimate_gap median_points candidacy \
	median_days_to_partner traits; do
	grep -q "\"$k\":" "$T/report.json" || { keys_ok=0; echo "# missing key $k"; }
done
check "report --format json has every documented key" '[ $status = 0 ] && [ $keys_ok = 1 ]'
check "report JSON is valid JSON" \
	'[ "$(sqlite3 :memory: "SELECT json_valid(readfile('"'"'$T/report.json'"'"'))")" = 1 ]'
check "report JSON: as_of, currency, threshold" \
	'out_has "\"as_of\": \"2026-11-27\"" && out_has "\"currency\": \"USD\"" && out_has "\"threshold\": 0.75"'
partners=$(sqlite3 :memory: "SELECT json_extract(readfile('$T/report.json'), '\$.partners')")
customers=$(sqlite3 :memory: "SELECT json_extract(readfile('$T/report.json'), '\$.customers')")
check "demo partners are 3-5% of customers" \
	'[ $((partners * 100)) -ge $((customers * 3)) ] && [ $((partners * 100)) -le $((customers * 5)) ]'
contract=$(sqlite3 :memory: "SELECT json_extract(readfile('$T/report.json'), '\$.contract_partners')")
check "demo has one or two contract partners" '[ "$contract" -ge 1 ] && [ "$contract" -le 2 ]'
goal=$(sqlite3 :memory: "SELECT json_extract(readfile('$T/report.json'), '\$.goal.year')")
check "demo has this year's goal" '[ "$goal" = 2026 ]'
acc=$(dbq "$D" "SELECT external_id FROM account ORDER BY id LIMIT 1")
run --db "$D" potential set "$acc" Packaging -5
check "a negative amount is an amount, refused as negative, not an unknown option" \
	'[ $status = 2 ] && err_has "cannot be negative" && ! err_has "unknown option"'
run --db "$D" potential set "$acc" Packaging -.5k
check "... also written -.5k" '[ $status = 2 ] && err_has "cannot be negative"'
run --db "$D" potential set "$acc" Packaging 5 -x
check "... while -x is still an unknown option" '[ $status = 2 ] && err_has "unknown option '"'"'-x'"'"'"'
run --db "$D" report
check "text report shows the guidelines" \
	'[ $status = 0 ] && out_has "guideline 3–5%" && out_has "guideline 50–80%" && out_has "Goal 2026"'
run --db "$D" --as-of 2025-06-30 report --format json
check "--as-of moves the figures" \
	'[ $status = 0 ] && out_has "\"as_of\": \"2025-06-30\"" && ! cmp -s "$T/out" "$T/report.json"'

# --- export ------------------------------------------------------------
HEADER='external_id,name,owner,segment,city,country,qpc,sales_12m,gross_profit_12m,share,status,contract_partner,contract_value,rep_share_estimate,qpc_measured_on,qpc_verified,cost_to_serve'
run --db "$D" export accounts
check "export accounts: the documented header" \
	'[ $status = 0 ] && [ "$(head -1 "$T/out" | tr -d "\r")" = "$HEADER" ]'
check "export accounts: one row per account, CRLF" \
	'[ "$(wc -l <"$T/out")" = 2001 ] && [ "$(grep -c "$(printf "\r")\$" "$T/out")" = 2001 ]'
check "export accounts: money as plain decimals, share with 4 decimals" \
	'grep -Eq "^ACC-[0-9]{5},.*,[0-9]+\.[0-9]{2},[0-9]+\.[0-9]{2},[0-9]+\.[0-9]{2},[01]\.[0-9]{4},(customer|partner|candidate),[01]," "$T/out"'
check "export accounts: unmeasured QPC is empty, not 0" \
	'grep -Eq "^ACC-[0-9]{5},[^\"]*,[^,]*,[^,]*,[^,]*,[^,]*,,[0-9.]+,[0-9.]+,," "$T/out"'
cp "$T/out" "$T/export1.csv"
run --db "$D" export accounts -o "$T/export2.csv"
check "export -o FILE writes the same bytes" '[ $status = 0 ] && cmp -s "$T/export1.csv" "$T/export2.csv"'
run --db "$D" export -o "$T/export3.csv" accounts
check "export: -o before the list works too" '[ $status = 0 ] && cmp -s "$T/export1.csv" "$T/export3.csv"'
rm -f "$T/d2.db"
qpc --db "$T/d2.db" init --demo >/dev/null 2>&1
run --db "$T/d2.db" export accounts
check "the demo data set is deterministic" '[ $status = 0 ] && cmp -s "$T/export1.csv" "$T/out"'
echo "old contents" >"$T/keep.csv"
chmod 0555 "$T"
run --db "$D" export accounts -o "$T/keep.csv"
chmod 0755 "$T"
if [ "$(id -u)" = 0 ]; then
	ok "export into a read-only folder (skipped: root writes anyway)"
else
	check "export into a read-only folder: exit 1, old file intact" \
		'[ $status = 1 ] && err_has "keep.csv" && [ "$(cat "$T/keep.csv")" = "old contents" ]'
fi
run --db "$D" export accounts -o "$T/no/such/dir/x.csv"
check "export into a missing folder: exit 1 naming it" '[ $status = 1 ] && err_has "no/such/dir/x.csv"'
# not a regular file: written in place, never replaced by one (a rename
# over /dev/null would turn the device into a file)
mkfifo "$T/pipe"
timeout 20 cat "$T/pipe" >"$T/from-pipe" &
reader=$!
run --db "$D" export accounts -o "$T/pipe"
wait $reader
check "export into a pipe writes through it and leaves the pipe" \
	'[ $status = 0 ] && [ -p "$T/pipe" ] && [ "$(wc -l <"$T/from-pipe")" = 2001 ]'
echo "old" >"$T/target.csv"
ln -s target.csv "$T/link.csv"
run --db "$D" export accounts -o "$T/link.csv"
check "export through a symbolic link replaces the file it names, the link stays" \
	'[ $status = 0 ] && [ -L "$T/link.csv" ] && [ "$(wc -l <"$T/target.csv")" = 2001 ]'
if on_file; then # a file's backup
run --db "$D" backup "$T/pipe"
check "backup onto something not a file: exit 2, the pipe left alone" \
	'[ $status = 2 ] && err_has "not a file" && [ -p "$T/pipe" ]'
fi
if [ -w /dev/full ]; then
	run --db "$D" export accounts -o - >/dev/full
	qpc --db "$D" export accounts >/dev/full 2>"$T/err"; status=$?
	check "export to a full disk: exit 1 with a message" '[ $status = 1 ] && err_has "failed"'
fi
if on_file; then # a name written behind qpc's back
sqlite3 "$D" "UPDATE account SET name = '=HYPERLINK(\"http://x\")', name_key = '=hyperlink(\"http://x\")', owner = '@bob' WHERE external_id = 'ACC-00001'"
run --db "$D" export accounts
check "export makes formula cells inert" \
	'grep -q "^ACC-00001,\"'"'"'=HYPERLINK(\"\"http://x\"\")\",\"'"'"'@bob\"," "$T/out"'
run --db "$D" export accounts --raw
check "export --raw writes them untouched" \
	'grep -q "^ACC-00001,\"=HYPERLINK(\"\"http://x\"\")\",@bob," "$T/out"'
fi

if on_file; then # damaged and old files, backups, read-only files
# --- damaged files, backups, migration -----------------------------------
head -c 5000 "$D" >"$T/truncated.db"
run --db "$T/truncated.db" report
check "a truncated database: one clear sentence" \
	'[ $status = 1 ] && [ "$(wc -l <"$T/err")" = 1 ] && err_has "truncated.db is damaged" && err_has "backup"'
run --db "$D" backup "$T/copy.db"
check "backup copies the database, privately" \
	'[ $status = 0 ] && [ "$(stat -c %a "$T/copy.db")" = 600 ] && [ "$(dbq "$T/copy.db" "SELECT count(*) FROM account")" = 2000 ]'
run --db "$D" backup "$T/no/such/dir/copy.db"
check "backup into a missing folder: exit 1 naming it" '[ $status = 1 ] && err_has "no/such/dir/copy.db"'
sqlite3 "$T/v1.db" <"${QPC_FIXTURES:-tests/fixtures}/schema-v1.sql"
run --db "$T/v1.db" report
check "an old database is migrated, and a copy kept first" \
	'[ $status = 0 ] && err_has "migrated $T/v1.db from schema version 1" && [ -f "$T/v1.db.schema1.bak" ] && [ "$(sqlite3 "$T/v1.db.schema1.bak" "PRAGMA user_version")" = 1 ]'
# Schema 9's trigram index, on 100,000 accounts: dropping it inside the
# migration's transaction once failed, "disk full" with room on the disk.
qpc --db "$T/v9.db" init >/dev/null 2>&1
sqlite3 "$T/v9.db" "DROP TABLE account_fts;
	CREATE VIRTUAL TABLE account_fts USING fts5(name, external_id, content='account',
	  content_rowid='id', tokenize='trigram');
	WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
	INSERT INTO account(external_id, name, created_at, updated_at)
	  SELECT 'A' || i, 'Account ' || i || ' Homestead', '2026-01-01', '2026-01-01' FROM n;
	CREATE INDEX account_name ON account(name);
	ALTER TABLE template_step DROP COLUMN rule;
	DROP INDEX account_by_name; ALTER TABLE account DROP COLUMN name_key;
	CREATE INDEX account_by_name ON account(name COLLATE NOCASE, id, owner);
	DROP INDEX account_by_gp; ALTER TABLE account DROP COLUMN gp_known;
	CREATE INDEX account_by_gp ON account(gp_12m, sort_status, sales_12m)
	  WHERE (sales_12m > 0 OR sort_status = 3); PRAGMA user_version = 9;"
run --db "$T/v9.db" report --format json
check "a schema-9 file of 100,000 accounts migrates, its search index rebuilt smaller" \
	'[ $status = 0 ] && err_has "from schema version 9" && out_has "\"accounts\": 100000" && [ "$(dbq "$T/v9.db" "SELECT count(*) FROM account_fts WHERE account_fts MATCH '"'"'\"ead\" AND \"999\"'"'"'")" = "$(dbq "$T/v9.db" "SELECT count(*) FROM account WHERE name LIKE '"'"'%999%'"'"'")" ] && [ -z "$(dbq "$T/v9.db" "SELECT name FROM sqlite_master WHERE name = '"'"'account_name'"'"'")" ]'
rm -f "$T"/v9.db*
# Names are found through the case-folding index, but exactly.
qpc --db "$T/case.db" init >/dev/null 2>&1
printf 'Account Name,City\nAcme,Oslo\nACME,Rome\n' >"$T/case.csv"
qpc --db "$T/case.db" import accounts "$T/case.csv" >/dev/null 2>&1
run --db "$T/case.db" contract set ACME --signed 2026-01-05
run2=$status
run --db "$T/case.db" contract set acme --signed 2026-01-05
check "an account named in another case is not another's: ACME found, acme not" \
	'[ $run2 = 0 ] && [ $status = 1 ] && [ "$(dbq "$T/case.db" "SELECT a.city FROM contract c JOIN account a ON a.id = c.account_id")" = Rome ]'

# --- read-only ---------------------------------------------------------
mkdir -p "$T/ro"
cp "$D" "$T/ro/ro.db"
cp "$D" "$T/ro-rw.db"
cp "$QPC" "$T/ro/qpc" # the build folder may be closed to others
chmod 0755 "$T" "$T/ro"
chmod 0444 "$T/ro/ro.db"
chmod 0555 "$T/ro"
as_other() { # runs qpc as someone who may not write there
	if [ "$(id -u)" = 0 ]; then
		su nobody -s /bin/sh -c "QPC_NOW=$QPC_NOW \"$T/ro/qpc\" $*" >"$T/out" 2>"$T/err"
	else
		sh -c "\"$QPC\" $*" >"$T/out" 2>"$T/err"
	fi
	status=$?
}
as_other --db "$T/ro/ro.db" report
check "a read-only database opens for reading" '[ $status = 0 ] && out_has "Accounts"'
as_other --db "$T/ro/ro.db" --as-of 2026-11-01 report
qpc --db "$T/ro-rw.db" --as-of 2026-11-01 report >"$T/ro-rw.txt" 2>&1
check "read-only: figures at another date are computed all the same, for the reader" \
	'[ $status = 0 ] && out_has "Partner report as of 2026-11-01" && ! out_has "Figures as of" && cmp -s "$T/out" "$T/ro-rw.txt"'
as_other --db "$T/ro/ro.db" --as-of 2026-06-15 trend --months 3
check "read-only: the trend reads" '[ $status = 0 ] && grep -q "^2026-06-15 " "$T/out"'
as_other --db "$T/ro/ro.db" goal set 2031 3
check "read-only: a change is refused, naming the file and the cause" \
	'[ $status = 1 ] && err_has "cannot write " && err_has "ro/ro.db: permission denied (owner " && err_has "reading only"'
chmod 0755 "$T/ro"
chmod 0700 "$T"
fi

if on_file; then # a file that cannot grow
# --- no room to write -----------------------------------------------------
# An import into an empty database leaves the figures and most indexes to
# the first refresh.  Reads never write, so with no room to write (ulimit -f
# standing in for a full disk, room for SQLite's 32 KiB shared-memory file
# only) the report still reads, and the file stays as it was.
awk 'BEGIN { print "External ID,Name,Owner"
	for (i = 1; i <= 3000; i++) printf "U%04d,Unwritten %d,rep%d\n", i, i, i % 4 }' >"$T/u.csv"
qpc --db "$T/u.db" init >/dev/null 2>&1
qpc --db "$T/u.db" import accounts "$T/u.csv" >/dev/null 2>&1
u_state() {
	sqlite3 "$T/u.db" "SELECT hex(sha3_query('SELECT * FROM account ORDER BY id;
		SELECT * FROM setting ORDER BY key; SELECT * FROM pending_ddl ORDER BY id;
		SELECT * FROM history ORDER BY id; SELECT name FROM sqlite_master ORDER BY name'))"
}
u_before=$(u_state)
(trap '' XFSZ; ulimit -f 80; exec "$QPC" --db "$T/u.db" report) >"$T/out" 2>"$T/err"
status=$?
check "no room to write: a report after an import reads all the same" \
	'[ $status = 0 ] && [ ! -s "$T/err" ] && out_has "Accounts                               3000"'
(trap '' XFSZ; ulimit -f 80; exec "$QPC" --db "$T/u.db" --as-of 2025-06-30 trend --months 6) >"$T/out" 2>"$T/err"
status=$?
check "no room to write: a trend at another date reads too" '[ $status = 0 ] && [ ! -s "$T/err" ]'
check "no room to write: the file is as it was, and whole" \
	'[ "$(u_state)" = "$u_before" ] && [ "$(sqlite3 "$T/u.db" "PRAGMA integrity_check")" = ok ]'
fi

# --- every list, and the round trip --------------------------------------
for list in partners candidates potential sales goals; do
	run --db "$D" export $list
	rows=$(($(wc -l <"$T/out") - 1))
	check "export $list: a header and rows" '[ $status = 0 ] && [ $rows -gt 0 ]'
done
run --db "$D" export partners
check "export partners: partners only, with partner_since" \
	'head -1 "$T/out" | grep -q ",qpc_verified,cost_to_serve,partner_since" && ! grep -q ",customer," "$T/out" && grep -Eq ",partner,[01],.*,20[0-9]{2}-[0-9]{2}-[0-9]{2}" "$T/out"'
run --db "$D" export goals
check "export goals: this year and the next two" \
	'[ "$(tr -d "\r" <"$T/out" | head -4 | cut -d, -f1 | tr "\n" " ")" = "year 2026 2027 2028 " ]'
# Candidates are not imported, so the round trip runs on a copy without them.
dbcp "$D" "$T/rt.db"
dbx "$T/rt.db" "DELETE FROM tick; DELETE FROM candidate; UPDATE setting SET value = '' WHERE key = 'figures_as_of'"
qpc --db "$T/rt2.db" init >/dev/null
rt_ok=1
for list in accounts potential sales; do
	qpc --db "$T/rt.db" export $list --raw -o "$T/rt-$list.1.csv" || rt_ok=0
	qpc --db "$T/rt2.db" import $list "$T/rt-$list.1.csv" >/dev/null || rt_ok=0
done
for list in accounts potential sales; do
	qpc --db "$T/rt2.db" export $list --raw -o "$T/rt-$list.2.csv" || rt_ok=0
	cmp -s "$T/rt-$list.1.csv" "$T/rt-$list.2.csv" || { rt_ok=0; echo "# $list differs"; }
done
check "export, import into a new database, export --raw: the same bytes" '[ $rt_ok = 1 ]'
run --db "$T/rt2.db" import sales "$T/rt-sales.1.csv"
check "importing the same export again changes nothing" \
	'[ $status = 0 ] && grep -Eq "rows read: 0 created, 0 updated, [0-9]+ unchanged, 0 rejected" "$T/out"'

# --- import --------------------------------------------------------------
I=$T/imp.db
qpc --db "$I" init >/dev/null
count() { dbq "$I" "SELECT count(*) FROM $1"; }
printf 'External ID,Name,City,Employees\r\nA1,"Acme, Inc.",Paris,120\r\nA2,Beta,Lyon,15\r\nA3,Gamma,Nice,\r\n' >"$T/acc.csv"
run --db "$I" import accounts "$T/acc.csv"
check "import accounts: exit 0 and the summary line" \
	'[ $status = 0 ] && grep -Eq "^3 rows read: 3 created, 0 updated, 0 unchanged, 0 rejected, 0 skipped in [0-9.]+ s$" "$T/out" && [ "$(count account)" = 3 ]'
check "import: no progress bar when stderr is not a terminal" '[ ! -s "$T/err" ]'
if on_file && script -qec true /dev/null >/dev/null 2>&1; then # the file's bulk load
	qpc --db "$T/bar.db" init >/dev/null
	TERM=xterm SHELL=/bin/sh script -qec "\"$QPC\" --db \"$T/bar.db\" import accounts \"$T/acc.csv\"" \
		/dev/null >"$T/out" 2>&1
	steps=$(tr '\r' '\n' <"$T/out" | sed -n 's/^  finishing \([0-9]*\/[0-9]*\): .*/\1/p' | tr '\n' ' ')
	check "a bulk load on a terminal tells each step of its end, the last last" \
		'out_has "finishing 1/" && out_has "building the search index" && tr "\r" "\n" <"$T/out" | grep -q "^  finishing \([0-9]*\)/\1: recording status changes" && [ "$(echo $steps | wc -w)" -ge 5 ]'
fi
run --db "$I" import accounts "$T/acc.csv"
check "import the same file again: all unchanged" \
	'[ $status = 0 ] && out_has "3 rows read: 0 created, 0 updated, 3 unchanged, 0 rejected, 0 skipped"'
printf 'External ID,Name,City,Employees\nA1,"Acme, Inc.",Paris,120\nA2,Beta,Marseille,15\nA4,Delta,Lille,8\n' >"$T/acc2.csv"
sum=$(dbsum "$I")
run --db "$I" import accounts "$T/acc2.csv" --dry-run
check "--dry-run prints the mapping chosen, remembered from the last import" \
	'[ $status = 0 ] && out_has "Read as profile generic (mapping remembered from a past import), '"'"','"'"'-delimited, UTF-8" && grep -Eq "^  External ID +-> external_id$" "$T/out" && grep -Eq "^  City +-> city$" "$T/out"'
check "--dry-run: the counts, and nothing changed" \
	'out_has "Dry run, nothing changed: 3 rows read: 1 created, 1 updated, 1 unchanged, 0 rejected" && [ "$(dbsum "$I")" = "$sum" ]'
run --db "$I" import accounts "$T/acc2.csv"
check "a changed file updates what changed" \
	'[ $status = 0 ] && out_has "3 rows read: 1 created, 1 updated, 1 unchanged" && [ "$(dbq "$I" "SELECT city FROM account WHERE external_id = '"'"'A2'"'"'")" = Marseille ]'
printf 'External ID,Name,Phone,Fax\nA1,"Acme, Inc.",555,556\n' >"$T/phone.csv"
run --db "$I" import accounts "$T/phone.csv"
check "unknown columns are listed once, not fatal" \
	'[ $status = 0 ] && [ "$(grep -c "Columns not read: Phone, Fax" "$T/out")" = 1 ]'

# bad data: exit 1, messages naming FILE:LINE:COL, the database as it was
printf 'External ID,Name,City,Employees\nB1,Good,Oslo,1\nB2,Bad,Oslo,many\nB3,,Oslo,2\nB4,Also good,Oslo,3\n' >"$T/bad.csv"
sum=$(dbsum "$I")
run --db "$I" import accounts "$T/bad.csv"
check "bad rows: exit 1, nothing imported, the file byte for byte as it was" \
	'[ $status = 1 ] && err_has "nothing was imported" && [ "$(dbsum "$I")" = "$sum" ]'
check "bad rows: qpc: FILE:LINE:COL: column: value and why" \
	'err_has "qpc: $T/bad.csv:3:4: Employees: '"'"'many'"'"' is not a number of employees" && err_has "qpc: $T/bad.csv:4:2: Name: the account has no name"'
check "bad rows: the hint names --skip-bad and --rejects" 'err_has "--skip-bad --rejects FILE"'
run --db "$I" import accounts "$T/bad.csv" --skip-bad --rejects "$T/rejects.csv"
check "--skip-bad imports the good rows, exit 0" \
	'[ $status = 0 ] && out_has "4 rows read: 2 created, 0 updated, 0 unchanged, 2 rejected" && err_has "2 bad rows written to $T/rejects.csv"'
check "--skip-bad: the rejects file holds the bad rows and why" \
	'[ "$(head -1 "$T/rejects.csv" | tr -d "\r")" = "External ID,Name,City,Employees,qpc_error" ] && grep -q "^B2,Bad,Oslo,many,\"line 3, Employees:" "$T/rejects.csv" && grep -q "^B3,,Oslo,2,\"line 4, Name:" "$T/rejects.csv" && [ "$(wc -l <"$T/rejects.csv")" = 3 ]'
i=0; { echo "External ID,Name,Employees"; while [ $i -lt 23 ]; do i=$((i + 1)); echo "X$i,N$i,bad"; done; } >"$T/many.csv"
run --db "$I" import accounts "$T/many.csv"
check "the first 20 errors, then how many more" \
	'[ $status = 1 ] && [ "$(grep -c "^qpc: $T/many.csv:" "$T/err")" = 20 ] && err_has "qpc: ... and 3 more bad rows" && err_has "23 bad rows"'

# the file as a whole
printf 'id,name\n1,Caf\351\n' >"$T/latin1.csv"
run --db "$I" import accounts "$T/latin1.csv" --encoding utf-8
check "invalid UTF-8: exit 1, the line, the --encoding hint" \
	'[ $status = 1 ] && err_has "qpc: $T/latin1.csv: line 2: invalid UTF-8" && err_has "--encoding"'
run --db "$I" import accounts "$T/latin1.csv" --encoding latin1
check "--encoding latin1 reads it" \
	'[ $status = 0 ] && [ "$(dbq "$I" "SELECT name FROM account WHERE external_id = '"'"'1'"'"'")" = "Café" ]'
printf 'Customer,Date,Amount\nAcme,03/04/2024,1\nAcme,05/06/2024,2\n' >"$T/dates.csv"
run --db "$I" import sales "$T/dates.csv"
check "undecidable dates: exit 1 asking for --date-order" \
	'[ $status = 1 ] && err_has "qpc: $T/dates.csv:2:2: cannot tell whether dates in column '"'"'Date'"'"'" && err_has "--date-order dmy or mdy" && [ "$(count sale)" = 0 ]'
run --db "$I" import sales "$T/dates.csv" --date-format %d/%m/%Y
check "--date-format settles it" \
	'[ $status = 0 ] && [ "$(dbq "$I" "SELECT date FROM sale ORDER BY date" | paste -sd, -)" = "2024-04-03,2024-06-05" ]'
printf 'Kundennummer;Firma\nK-1;M\303\274ller GmbH\n' >"$T/de.csv"
run --db "$I" import accounts "$T/de.csv"
check "no column for the name: exit 1 naming --map" \
	'[ $status = 1 ] && err_has "no column holds the account" && err_has "--map"'
run --db "$I" import accounts "$T/de.csv" --map Kundennummer=external_id --map Firma=name --dry-run
check "--map names the columns (shown in the dry run)" \
	'[ $status = 0 ] && grep -Eq "^  Firma +-> name$" "$T/out" && out_has "'"'"';'"'"'-delimited"'
cat "$T/acc2.csv" | qpc --db "$I" import accounts - >"$T/out" 2>"$T/err"; status=$?
check "import from standard input: -" \
	'[ $status = 0 ] && out_has "3 rows read: 0 created, 0 updated, 3 unchanged"'

# usage and the file itself
run --db "$I" import accounts "$T/bad.csv" --skip-bad
check "--skip-bad without --rejects: exit 2" '[ $status = 2 ] && err_has "--rejects FILE"'
run --db "$I" import accounts "$T/bad.csv" --rejects "$T/r.csv"
check "--rejects without --skip-bad: exit 2" '[ $status = 2 ] && err_has "--skip-bad"'
run --db "$I" import accounts
check "import without a file: exit 2" '[ $status = 2 ] && err_has "import accounts|sales|potential FILE|-"'
run --db "$I" import widgets "$T/acc.csv"
check "import of an unknown kind: exit 2" '[ $status = 2 ] && err_has "unknown kind '"'"'widgets'"'"'"'
for bad in "--profile sugarcrm" "--decimal x" "--encoding ebcdic" "--delimiter x" "--map Name" "--map Name=colour" "--date-format %Q"; do
	run --db "$I" import accounts "$T/acc.csv" $bad
	check "import $bad: exit 2 with a message" '[ $status = 2 ] && [ -s "$T/err" ] && [ ! -s "$T/out" ]'
done
run --db "$I" import accounts "$T/no-such.csv"
check "a missing file: exit 1 naming it" '[ $status = 1 ] && err_has "cannot open $T/no-such.csv: No such file"'
mkdir -p "$T/folder.csv"
run --db "$I" import accounts "$T/folder.csv"
check "a folder as the file: one clear sentence" '[ $status != 0 ] && err_has "$T/folder.csv is a folder"'
: >"$T/empty.csv"
run --db "$I" import accounts "$T/empty.csv"
check "an empty file: exit 1, says so" '[ $status = 1 ] && err_has "$T/empty.csv is empty"'

# --- terminal escapes ------------------------------------------------------
# Text output shows what data holds visibly escaped, never raw: an ESC
# sequence, a BEL, C0/C1 controls, bidi overrides, bytes that are not UTF-8.
E=$T/esc.db
qpc --db "$E" init >/dev/null
ESC=$(printf '\033') RLO=$(printf '\342\200\256')
{
	echo "External ID,Name,Segment,Employees"
	for i in 1 2 3 4 5 6; do printf 'V%d,Verified %d,Seg%s]0;pwn%s,%d00\n' $i $i "$ESC" "$(printf '\007')" $i; done
	printf 'E1,"Evil%s[31m Corp%s",Seg%s]0;pwn%s,150\n' "$ESC" "$RLO" "$ESC" "$(printf '\007')"
} >"$T/esc.csv"
qpc --db "$E" import accounts "$T/esc.csv" >/dev/null
for i in 1 2 3 4 5 6; do
	qpc --db "$E" potential set V$i "Cat${ESC}[1m" ${i}000 --verified --basis "$(printf 'met\001')"
done
qpc --db "$E" potential set E1 "Cat${ESC}[1m" 5 --basis "b${ESC}[2J"
qpc --db "$E" potential set E1 "Cat${ESC}[1m" 5 --basis "c${ESC}[2J"
qpc --db "$E" candidate add E1
qpc --db "$E" tick E1 1 --note "$(printf 'see \033]8;;http://x\033\\link\033]8;;\033\\ \302\205 %s' "$RLO")"
on_file && sqlite3 "$E" "INSERT INTO account(external_id, name, created_at, updated_at) VALUES
	('X' || char(27) || '[5m', CAST(X'4261640aff20627974650d' AS TEXT), '', '');
	INSERT INTO history(at, effective, user, account_id, entity, field, old, new)
	SELECT '2026-11-27T09:00:00Z', '2026-11-27', 'mallory' || char(7), id, 'account', 'owner',
	CAST(X'c0af' AS TEXT), char(27) || ']52;c;Y3VybA==' || char(7) FROM account WHERE name LIKE 'Bad%'"
qpc --db "$E" template add "T${ESC}[2J" "step $RLO rtl" "$(printf 'step\001ctl')" >/dev/null
# raw FILE: the file holds a byte a terminal would act on, or invalid UTF-8
raw() {
	LC_ALL=C grep -q "$(printf '[\001-\010\013-\037\177]')" "$1" ||
		LC_ALL=C grep -q "$(printf '\302[\200-\237]')" "$1" ||
		LC_ALL=C grep -q "$(printf '\342\200[\252-\256]')" "$1" ||
		LC_ALL=C grep -q "$(printf '\342\201[\246-\251]')" "$1" ||
		LC_ALL=C grep -q "$(printf '[\300\301\365-\377]')" "$1"
}
run --db "$E" history
check_on_file "history: names, ids, users, values and notes escaped" \
	'[ $status = 0 ] && ! raw "$T/out" && out_has "Evil\x1b[31m Corp\u202e" && out_has "X\x1b[5m Bad\n\xff byte\r" && out_has "mallory\x07" && out_has "\xc0\xaf → \x1b]52;c;Y3VybA==\x07" && out_has "QPC in Cat\x1b[1m" && out_has "\x1b]8;;http://x\x1b\link" && out_has "\u0085 \u202e"'
run --db "$E" history E1
check "history of one account: escaped" \
	'[ $status = 0 ] && ! raw "$T/out" && out_has "QPC in Cat\x1b[1m: basis b\x1b[2J → c\x1b[2J"'
run --db "$E" template show "T${ESC}[2J"
check "template show: name and steps escaped" \
	'[ $status = 0 ] && ! raw "$T/out" && out_has "T\x1b[2J" && out_has "step \u202e rtl" && out_has "step\x01ctl"'
run --db "$E" template list
check "template list: names escaped" '[ $status = 0 ] && ! raw "$T/out" && out_has "T\x1b[2J"'
run --db "$E" potential estimate E1 --dry-run
check "potential estimate: name, segment, category and inputs escaped" \
	'[ $status = 0 ] && ! raw "$T/out" && out_has "E1 Evil\x1b[31m Corp\u202e (Seg\x1b]0;pwn\x07)" && out_has "Cat\x1b[1m" && out_has "(Seg\x1b]0;pwn\x07, 6 verified accounts"'
on_file && sqlite3 "$E" "UPDATE setting SET value = char(27) || '[H' WHERE key = 'currency'"
run --db "$E" report
check_on_file "text report: a currency from a tampered file is escaped" \
	'[ $status = 0 ] && ! raw "$T/out" && out_has "(\x1b[H, partner at"'
run --db "$E" report --format json
check_on_file "JSON report: control characters as \\u escapes, valid JSON" \
	'[ $status = 0 ] && ! raw "$T/out" && out_has "\"currency\": \"\u001b[H\"" && [ "$(sqlite3 :memory: "SELECT json_extract(readfile('"'"'$T/out'"'"'), '"'"'\$.currency'"'"') = char(27) || '"'"'[H'"'"'")" = 1 ]'
run --db "$E" export accounts --raw
check "CSV export keeps the bytes as they are (a data format)" \
	'[ $status = 0 ] && LC_ALL=C grep -q "Evil${ESC}\[31m Corp$RLO" "$T/out"'
printf 'External ID,Name,Employees\nZ1,Zed,"many%s]0;owned%s"\n' "$ESC" "$(printf '\007')" >"$T/esc-bad.csv"
run --db "$E" import accounts "$T/esc-bad.csv"
check "import errors quote a bad cell escaped" \
	'[ $status = 1 ] && ! raw "$T/err" && err_has "'"'"'many\x1b]0;owned\x07'"'"' is not a number"'
printf 'External ID,Na%s[8mme,Owner\nZ1,Zed,Zoe\n' "$ESC" >"$T/esc-head.csv"
run --db "$E" import accounts "$T/esc-head.csv"
check "import messages quote a bad header escaped" \
	'[ $status = 1 ] && ! raw "$T/err" && err_has "Na\x1b[8mme"'
printf 'External ID,Name,Fa%s[8mx\nZ1,Zed,1\n' "$ESC" >"$T/esc-col.csv"
run --db "$E" import accounts "$T/esc-col.csv"
check "import: columns not read are named escaped" \
	'[ $status = 0 ] && ! raw "$T/out" && out_has "Columns not read: Fa\x1b[8mx"'
run --db "$E" "frob${ESC}]0;pwn$(printf '\007')"
check "usage errors quote an argument escaped (found by fuzz_cli)" \
	'[ $status = 2 ] && ! raw "$T/err" && err_has "unknown command '"'"'frob\x1b]0;pwn\x07'"'"'"'
run --db "$E" report --format "$RLO"
check "usage errors: a bidi override in an option's value escaped" \
	'[ $status = 2 ] && ! raw "$T/err" && err_has "not '"'"'\u202e'"'"'"'

# --- figures in time: trend, contracts, settings, reads that never write ---
F=$T/f.db
dbcp "$T/d2.db" "$F"
# jq_ FILE PATH: a value from a JSON file (SQLite's JSON path syntax)
jq_() { sqlite3 :memory: "SELECT json_extract(readfile('$1'), '$2')"; }
# at DATE KEY: a figure of the report at DATE
at() {
	qpc --db "$F" --as-of "$1" report --format json >"$T/at.json" && jq_ "$T/at.json" "\$.$2"
}
run --help
check "--help lists trend, contract and setting" \
	'out_has "trend [--months N] [--format text|json|csv]" && out_has "contract set ACCOUNT --signed DATE" && out_has "contract end ACCOUNT --on DATE" && out_has "contract list [ACCOUNT]" && out_has "setting list" && out_has "setting set KEY VALUE [--from DATE]"'

# the report's new fields
run --db "$F" report --format json
cp "$T/out" "$T/r.json"
keys_ok=1
for k in partners_confirmed partners_provisional.unverified partners_provisional.stale \
	partners_provisional.below_sales partners_provisional.missing_category \
	partners_provisional.unmeasured goal.first_time goal.regained goal.lost \
	goal.achieved_confirmed goal.achieved; do
	[ -n "$(jq_ "$T/r.json" "\$.$k")" ] || { keys_ok=0; echo "# missing key $k"; }
done
check "report JSON: partners_confirmed, provisional reasons, goal first_time/regained/lost/achieved_confirmed" \
	'[ $status = 0 ] && [ $keys_ok = 1 ]'
check "report JSON: achieved = first_time + regained, confirmed within partners" \
	'[ "$(sqlite3 :memory: "SELECT json_extract(j, '"'"'\$.goal.achieved'"'"') = json_extract(j, '"'"'\$.goal.first_time'"'"') + json_extract(j, '"'"'\$.goal.regained'"'"') AND json_extract(j, '"'"'\$.partners_confirmed'"'"') <= json_extract(j, '"'"'\$.partners'"'"') AND json_extract(j, '"'"'\$.goal.achieved_confirmed'"'"') <= json_extract(j, '"'"'\$.goal.achieved'"'"') FROM (SELECT readfile('"'"'$T/r.json'"'"') AS j)")" = 1 ]'
check "report JSON: confirmed plus provisional by reason make the partners" \
	'[ "$(sqlite3 :memory: "SELECT json_extract(j, '"'"'\$.partners'"'"') = json_extract(j, '"'"'\$.partners_confirmed'"'"') + (SELECT sum(value) FROM json_each(j, '"'"'\$.partners_provisional'"'"')) FROM (SELECT readfile('"'"'$T/r.json'"'"') AS j)")" = 1 ]'
run --db "$F" report
check "report text: the goal's first time, regained and lost; confirmed and provisional partners" \
	'[ $status = 0 ] && grep -Eq "^Goal 2026: [0-9]+ new partners, [0-9]+ so far \([0-9]+ first time, [0-9]+ regained; [0-9]+ lost\)$" "$T/out" && grep -Eq "^  confirmed +[0-9]+ " "$T/out" && grep -Eq "^  provisional +[0-9]+ +\([0-9]+ (unverified|stale|below sales|missing category|unmeasured)" "$T/out"'
check "report text: the goal's partners so far, confirmed or provisional" \
	'grep -Eq "^  of those so far, [0-9]+ confirmed and [0-9]+ provisional$" "$T/out"'

# trend: the last point is the report at the as-of date
# trend_is_report DATE: the last point of the trend to DATE against the report at DATE
trend_is_report() {
	qpc --db "$F" --as-of "$1" trend --months 3 --format json >"$T/tr.json" &&
		qpc --db "$F" --as-of "$1" report --format json >"$T/rp.json" &&
		[ "$(sqlite3 :memory: "SELECT json_extract(t, '\$.months[#-1].month_end') = '$1'
		AND json_extract(t, '\$.months[#-1].customers') = json_extract(r, '\$.customers')
		AND json_extract(t, '\$.months[#-1].partners') = json_extract(r, '\$.partners')
		AND json_extract(t, '\$.months[#-1].qpc_total') = json_extract(r, '\$.qpc_total')
		AND json_extract(t, '\$.months[#-1].sales_12m') = json_extract(r, '\$.sales_12m')
		AND json_extract(t, '\$.months[#-1].share_of_qpc') IS json_extract(r, '\$.share')
		FROM (SELECT readfile('$T/tr.json') AS t, readfile('$T/rp.json') AS r)")" = 1 ]
}
tr_ok=1
for d in 2026-11-27 2026-06-15 2025-12-31 2025-03-01 2024-02-29 2023-01-31 2027-07-04; do
	trend_is_report $d || { tr_ok=0; echo "# trend and report differ at $d"; }
done
check "trend: the last point equals the report, at today, mid-month, year ends, leap days, past and future" \
	'[ $tr_ok = 1 ]'
run --db "$F" --as-of 2026-03-15 trend --months 4 --format json
cp "$T/out" "$T/t4.json"
check "trend JSON: as_of, then month ends, the last at the as-of date itself" \
	'[ $status = 0 ] && [ "$(jq_ "$T/t4.json" "\$.as_of")" = 2026-03-15 ] && [ "$(sqlite3 :memory: "SELECT group_concat(json_extract(value, '"'"'\$.month_end'"'"'), '"'"' '"'"') FROM json_each(readfile('"'"'$T/t4.json'"'"'), '"'"'\$.months'"'"')")" = "2025-12-31 2026-01-31 2026-02-28 2026-03-15" ]'
keys_ok=1
for k in month_end customers partners new_partners lost_partners qpc_total sales_12m share_of_qpc; do
	[ "$(sqlite3 :memory: "SELECT count(*) FROM json_each(readfile('$T/t4.json'), '\$.months') WHERE json_type(value, '\$.$k') IS NULL")" = 0 ] || { keys_ok=0; echo "# missing key $k"; }
done
check "trend JSON: every point has every documented key, and nothing else at the top" \
	'[ $keys_ok = 1 ] && [ "$(sqlite3 :memory: "SELECT group_concat(key) FROM json_each(readfile('"'"'$T/t4.json'"'"'))")" = "as_of,months" ]'
run --db "$F" trend
check "trend: 24 months by default, as a text table" \
	'[ $status = 0 ] && [ "$(grep -Ec "^20[0-9]{2}-[0-9]{2}-[0-9]{2} " "$T/out")" = 24 ] && out_has "Month end" && grep -q "^2026-11-27 " "$T/out" && grep -q "^2024-12-31 " "$T/out"'
run --db "$F" trend --months 2 --format csv
check "trend CSV: the header, one row per point" \
	'[ $status = 0 ] && [ "$(head -1 "$T/out" | tr -d "\r")" = "month_end,customers,partners,new_partners,lost_partners,qpc_total,sales_12m,share_of_qpc" ] && [ "$(wc -l <"$T/out")" = 3 ] && grep -Eq "^2026-11-27,[0-9]+,[0-9]+,[0-9]+,[0-9]+,[0-9]+\.[0-9]{2},[0-9]+\.[0-9]{2},0\.[0-9]{4}" "$T/out"'
for bad in "--months 0" "--months 121" "--months x" "--format xml" "--frob" "extra"; do
	run --db "$F" trend $bad
	check "trend $bad: exit 2 with a message" '[ $status = 2 ] && err_has "trend" && [ ! -s "$T/out" ]'
done
run --db "$T/none.db" trend
check_on_file "trend on a missing database: exit 1" '[ $status = 1 ] && err_has "no database"'
run --db "$F" --as-of 0001-06-30 trend --months 12
check "trend before year 1: exit 2, said so" '[ $status = 2 ] && err_has "before year 1"'
run --db "$T/flag.db" trend --months 2 --format json
check "trend on an empty database: zeros and a null share" \
	'[ $status = 0 ] && [ "$(jq_ "$T/out" "\$.months[1].customers")" = 0 ] && [ "$(jq_ "$T/out" "\$.months[1].share_of_qpc")" = "" ] && out_has "\"share_of_qpc\": null"'

# contracts: a partner from the day signed, up to the day it ends
printf 'External ID,Name\nZC-1,Contract Test Co\n' >"$T/zc.csv"
qpc --db "$F" import accounts "$T/zc.csv" >/dev/null
p0309=$(at 2026-03-09 partners) p0310=$(at 2026-03-10 partners) c0310=$(at 2026-03-10 customers)
p0831=$(at 2026-08-31 partners) p0901=$(at 2026-09-01 partners)
pnow=$(at 2026-11-27 partners) cp_now=$(at 2026-11-27 contract_partners)
ach=$(at 2026-11-27 goal.achieved) first=$(at 2026-11-27 goal.first_time) lost=$(at 2026-11-27 goal.lost)
qpc --db "$F" trend --months 12 --format json >"$T/tb.json"
run --db "$F" contract set ZC-1 --signed 2026-03-10 --value 120k
check "contract set: exit 0, saying what was saved" \
	'[ $status = 0 ] && [ "$(cat "$T/out")" = "Contract saved: signed 2026-03-10, no end, 120,000 a year" ] && [ ! -s "$T/err" ]'
check "contract set: a partner from the day signed, not before" \
	'[ "$(at 2026-03-09 partners)" = "$p0309" ] && [ "$(at 2026-03-10 partners)" = $((p0310 + 1)) ] && [ "$(at 2026-03-10 customers)" = $((c0310 + 1)) ]'
check "contract set: counted by contract today, and in this year's goal as a first-time partner" \
	'[ "$(at 2026-11-27 partners)" = $((pnow + 1)) ] && [ "$(at 2026-11-27 contract_partners)" = $((cp_now + 1)) ] && [ "$(at 2026-11-27 goal.achieved)" = $((ach + 1)) ] && [ "$(at 2026-11-27 goal.first_time)" = $((first + 1)) ]'
qpc --db "$F" trend --months 12 --format json >"$T/ta.json"
check "contract set: the trend has one more new partner in March, and from March on one more partner" \
	'[ "$(sqlite3 :memory: "SELECT sum(json_extract(a.value, '"'"'\$.new_partners'"'"') - json_extract(b.value, '"'"'\$.new_partners'"'"')) || '"'"' '"'"' || sum(json_extract(a.value, '"'"'\$.partners'"'"') - json_extract(b.value, '"'"'\$.partners'"'"')) FROM json_each(readfile('"'"'$T/ta.json'"'"'), '"'"'\$.months'"'"') a JOIN json_each(readfile('"'"'$T/tb.json'"'"'), '"'"'\$.months'"'"') b ON a.key = b.key WHERE json_extract(a.value, '"'"'\$.month_end'"'"') = '"'"'2026-03-31'"'"'")" = "1 1" ] && [ "$(sqlite3 :memory: "SELECT count(*) FROM json_each(readfile('"'"'$T/ta.json'"'"'), '"'"'\$.months'"'"') a JOIN json_each(readfile('"'"'$T/tb.json'"'"'), '"'"'\$.months'"'"') b ON a.key = b.key WHERE json_extract(a.value, '"'"'\$.partners'"'"') - json_extract(b.value, '"'"'\$.partners'"'"') = (json_extract(a.value, '"'"'\$.month_end'"'"') >= '"'"'2026-03-31'"'"')")" = 12 ]'
run --db "$F" contract list ZC-1
check "contract list: dates, value, in force, who recorded it" \
	'[ $status = 0 ] && out_has "ZC-1 Contract Test Co: signed 2026-03-10, value 120,000.00, in force (recorded 2026-11-27T09:00:00Z by tester)"'
run --db "$F" export contracts
check "export contracts: the documented header and the contract" \
	'[ $status = 0 ] && [ "$(head -1 "$T/out" | tr -d "\r")" = "external_id,name,signed_on,ends_on,value,recorded_at,recorded_by" ] && grep -q "^ZC-1,Contract Test Co,2026-03-10,,120000.00,2026-11-27T09:00:00Z,tester" "$T/out"'
run --db "$F" contract end ZC-1 --on 2026-09-01
check "contract end: exit 0" '[ $status = 0 ] && [ ! -s "$T/err" ]'
check "contract end: bound up to the day before, not from the day it ends" \
	'[ "$(at 2026-08-31 partners)" = $((p0831 + 1)) ] && [ "$(at 2026-09-01 partners)" = "$p0901" ] && [ "$(at 2026-11-27 partners)" = "$pnow" ]'
check "contract end: still made this year, and now lost this year" \
	'[ "$(at 2026-11-27 goal.achieved)" = $((ach + 1)) ] && [ "$(at 2026-11-27 goal.lost)" = $((lost + 1)) ]'
run --db "$F" contract list
check "contract list: every contract, the ended one with its end" \
	'[ $status = 0 ] && out_has "ZC-1 Contract Test Co: signed 2026-03-10, ends 2026-09-01, value 120,000.00 (recorded" && [ "$(wc -l <"$T/out")" -ge 3 ]'
run --db "$F" history ZC-1
check "history: the contract's changes, dated when they take effect" \
	'[ $status = 0 ] && grep -q "2026-03-10 tester .*Contract: signed 2026-03-10, value 120,000.00$" "$T/out" && grep -q "2026-09-01 tester .*Contract: signed 2026-03-10, value 120,000.00 → signed 2026-03-10, ends 2026-09-01" "$T/out"'
run --db "$F" contract set ZC-1 --signed 2026-01-05 --ends 2026-04-01
check "contract set overlapping a later contract: exit 1 and why" \
	'[ $status = 1 ] && err_has "signed on 2026-03-10"'
run --db "$F" contract end ZC-1 --on 2026-10-01
check "contract end with none in force: exit 1 and why" \
	'[ $status = 1 ] && err_has "no contract of this account is in force on 2026-09-30"'
run --db "$F" contract set NO-SUCH --signed 2026-01-01
check "contract set on an unknown account: exit 1" '[ $status = 1 ] && err_has "NO-SUCH"'
run --db "$F" contract list NO-SUCH
check "contract list of an unknown account: exit 1" '[ $status = 1 ] && err_has "NO-SUCH"'
for bad in "set ZC-1" "set ZC-1 --signed 2026-02-30" "set ZC-1 --signed 2026-05-01 --ends 2026-05-01" \
	"set ZC-1 --signed 2026-05-01 --value -5" "set ZC-1 --signed 2026-05-01 --value lots" \
	"set --signed 2026-05-01" "set ZC-1 ZC-2 --signed 2026-05-01" "set ZC-1 --signed 2026-05-01 --frob" \
	"end ZC-1" "end ZC-1 --on never" "end" "list ZC-1 ZC-2" "renew ZC-1" ""; do
	run --db "$F" contract $bad
	check "contract $bad: exit 2 with a message" '[ $status = 2 ] && err_has "contract" && [ ! -s "$T/out" ]'
done
check "refused contract commands changed nothing" \
	'[ "$(dbq "$F" "SELECT count(*) FROM contract c JOIN account a ON a.id = c.account_id WHERE a.external_id = '"'"'ZC-1'"'"'")" = 1 ]'

# the threshold: a dated change, statuses change from that day only
run --db "$F" setting list
check "setting list: base values" \
	'[ $status = 0 ] && grep -Eq "^threshold +75% +from the start$" "$T/out" && grep -Eq "^currency +USD$" "$T/out" && grep -Eq "^minor_units +2$" "$T/out"'
p0630=$(at 2026-06-30 partners) p0701=$(at 2026-07-01 partners) pnow=$(at 2026-11-27 partners)
run --db "$F" setting set threshold 60% --from 2026-07-01
check "setting set threshold --from: exit 0" '[ $status = 0 ] && [ ! -s "$T/err" ]'
check "setting set threshold: days before keep their threshold and partners" \
	'[ "$(at 2026-06-30 partners)" = "$p0630" ] && [ "$(at 2026-06-30 threshold)" = 0.75 ]'
check "setting set threshold: from that day on, the new one makes more partners" \
	'[ "$(at 2026-07-01 threshold)" = 0.6 ] && [ "$(at 2026-07-01 partners)" -gt "$p0701" ] && [ "$(at 2026-11-27 partners)" -gt "$pnow" ]'
run --db "$F" report
check "the text report names the threshold in force at its date" '[ $status = 0 ] && out_has "partner at 60% share"'
run --db "$F" --as-of 2026-12-01 setting set threshold 0.8
check "setting set: --from defaults to the --as-of date" '[ $status = 0 ]'
run --db "$F" setting list
check "setting list: each dated change, from when, by whom, set when" \
	'[ $status = 0 ] && out_has "threshold    60%      from 2026-07-01 (set 2026-11-27T09:00:00Z by tester)" && out_has "threshold    80%      from 2026-12-01 (set 2026-11-27T09:00:00Z by tester)"'
check "setting set: the history has the change and its date" \
	'qpc --db "$F" history --limit 5 >"$T/out" && grep -q "2026-07-01 tester .*Partner threshold: 75% → 60%" "$T/out"'
run --db "$F" setting set currency EUR
check "setting set currency once amounts are stored: exit 1 and why" \
	'[ $status = 1 ] && err_has "once amounts are stored"'
for bad in "set threshold 0" "set threshold 150%" "set threshold lots" "set colour red" \
	"set currency euro" "set minor_units 7" "set currency EUR --from 2026-01-01" \
	"set threshold 0.8 --from someday" "set threshold" "set" "list extra" "reset" ""; do
	run --db "$F" setting $bad
	check "setting $bad: exit 2 with a message" '[ $status = 2 ] && [ -s "$T/err" ] && [ ! -s "$T/out" ]'
done
# a measured account whose credits outweigh its sales counts as 0 in the share
printf 'external_id,name,date,category,amount,gross_profit,line_id\nZN-1,Credit Co,2026-10-05,Packaging,100.00,,zn-a\nZN-1,Credit Co,2026-10-20,Packaging,-50000.00,,zn-b\n' >"$T/zn.csv"
qpc --db "$F" import sales "$T/zn.csv" >/dev/null
qpc --db "$F" potential set ZN-1 Packaging 1000 --measured-on 2026-01-01
qpc --db "$F" export accounts --raw >"$T/out"
check "an account whose credits outweigh its sales: negative sales 12m" 'grep -q "^ZN-1,Credit Co,.*,1000.00,-49900.00," "$T/out"'
tr_ok=1
for d in 2026-11-27 2026-10-31 2026-07-01 2026-06-30 2026-03-10 2026-09-01 2026-12-01; do
	trend_is_report $d || { tr_ok=0; echo "# trend and report differ at $d"; }
done
check "trend still equals the report after contracts, threshold changes and credits" '[ $tr_ok = 1 ]'

# reads at any date leave the database's content as it was
dump() { dbsum "$F"; }
before=$(dump)
reads_ok=1
for d in 2026-11-27 2030-01-01 2024-02-29 2025-12-31 2026-06-15 2019-01-01; do
	for cmd in "report" "report --format json" "trend" "trend --months 120 --format json" \
		"export accounts" "export partners" "export candidates" "export goals" "export contracts" \
		"history" "contract list" "setting list"; do
		qpc --db "$F" --as-of $d $cmd >/dev/null 2>&1 || { reads_ok=0; echo "# $cmd at $d failed"; }
	done
	[ "$(dump)" = "$before" ] || { reads_ok=0; echo "# the database changed reading at $d"; }
done
check "reads at other dates (past, future, leap day, year end) leave the database as it was" \
	'[ $reads_ok = 1 ] && [ "$(dump)" = "$before" ]'
# a look-ahead read, then a new partner: counted where it belongs
qpc --db "$F" --as-of 2030-01-01 report >/dev/null
ach=$(at 2026-11-27 goal.achieved) pnow=$(at 2026-11-27 partners)
printf 'External ID,Name\nZC-2,Late Contract Co\n' >"$T/zc2.csv"
qpc --db "$F" import accounts "$T/zc2.csv" >/dev/null
run --db "$F" contract set ZC-2 --signed 2026-11-20
check "a look-ahead read, then a new partner: in today's count and this year's goal" \
	'[ $status = 0 ] && [ "$(at 2026-11-27 partners)" = $((pnow + 1)) ] && [ "$(at 2026-11-27 goal.achieved)" = $((ach + 1)) ] && [ "$(at 2030-01-01 partners)" -ge 1 ]'

# --- an output never destroys an input -------------------------------------
# export -o, import --rejects and backup refuse a file that is the database,
# its -wal, -shm or -journal, or the file being read, by any name (hard and
# symbolic links too), before anything is opened for writing.
if on_file; then # the database's own files, and its limits
O=$T/out-db
mkdir -p "$O"
qpc --db "$O/v2.db" init --demo --accounts 40 >/dev/null 2>&1
cp "$O/v2.db" "$O/v2.orig"
ln "$O/v2.db" "$O/hard.db"
ln -s v2.db "$O/sym.db"
ln -s v2.db-journal "$O/to-journal"
same_db() { cmp -s "$O/v2.db" "$O/v2.orig"; }
refused=1
for o in "$O/v2.db" "$O/../out-db/v2.db" "$O/hard.db" "$O/sym.db" "$O/v2.db-wal" "$O/v2.db-shm" \
	"$O/v2.db-journal" "$O/to-journal"; do
	run --db "$O/v2.db" export accounts -o "$o"
	{ [ $status = 2 ] && err_has "will not write to $o: it is the database" && same_db; } ||
		{ refused=0; echo "# export -o $o: status $status"; }
done
check "export -o the database, a link to it, or its -wal/-shm/-journal: exit 2, nothing changed" \
	'[ $refused = 1 ] && [ ! -e "$O/v2.db-journal" ] && [ -L "$O/sym.db" ]'
run --db "$O/sym.db" export accounts -o "$O/v2.db-wal"
check "export -o the -wal of a database named through a link: refused" \
	'[ $status = 2 ] && err_has "write-ahead log" && same_db'
qpc --db "$O/v2.db" export accounts >>"$O/v2.db" 2>"$T/err"; status=$?
check "export to a standard output that is the database: refused" \
	'[ $status = 2 ] && err_has "will not write to standard output: it is the database" && same_db'
printf 'External ID,Name,Employees\nR1,Right,10\nR2,Wrong,many\n' >"$O/src.csv"
cp "$O/src.csv" "$O/src.orig"
ln "$O/src.csv" "$O/src-alias.csv"
refused=1
for o in "$O/v2.db" "$O/sym.db" "$O/v2.db-wal" "$O/src.csv" "$O/src-alias.csv"; do
	run --db "$O/v2.db" import accounts "$O/src.csv" --skip-bad --rejects "$o"
	{ [ $status = 2 ] && err_has "will not write to $o" && same_db && cmp -s "$O/src.csv" "$O/src.orig"; } ||
		{ refused=0; echo "# --rejects $o: status $status"; }
done
check "import --rejects the database or the file read (or a link to either): exit 2, both unchanged" \
	'[ $refused = 1 ]'
qpc --db "$O/v2.db" import accounts - --skip-bad --rejects "$O/src.csv" <"$O/src.csv" >"$T/out" 2>"$T/err"
status=$?
check "import - --rejects the file standard input reads: refused" \
	'[ $status = 2 ] && err_has "standard input" && same_db && cmp -s "$O/src.csv" "$O/src.orig"'
ino=$(stat -c %i "$O/v2.db")
refused=1
for o in "$O/v2.db" "$O/hard.db" "$O/sym.db" "$O/v2.db-shm"; do
	for force in "" --force; do
		run --db "$O/v2.db" backup "$o" $force
		{ [ $status = 2 ] && err_has "will not write to $o: it is the database" && same_db &&
			[ "$(stat -c %i "$O/v2.db")" = "$ino" ]; } ||
			{ refused=0; echo "# backup $o $force: status $status"; }
	done
done
check "backup onto the live database, a link to it or a sidecar: refused even with --force, same inode" \
	'[ $refused = 1 ] && [ -L "$O/sym.db" ] && [ "$(ls "$O" | grep -c tmp-)" = 0 ]'
echo "precious" >"$O/existing.db"
run --db "$O/v2.db" backup "$O/existing.db"
check "backup onto an existing file: exit 2, the file unchanged, --force named" \
	'[ $status = 2 ] && err_has "already exists" && err_has "--force" && [ "$(cat "$O/existing.db")" = precious ]'
run --db "$O/v2.db" backup --force "$O/existing.db"
check "backup --force replaces it" \
	'[ $status = 0 ] && [ "$(dbq "$O/existing.db" "SELECT count(*) FROM account")" = 40 ]'
run --db "$O/v2.db" export accounts -o ''
s1=$status
run --db "$O/v2.db" backup ''
s2=$status
run --db "$O/v2.db" import accounts "$O/src.csv" --skip-bad --rejects ''
check "an empty output file name is a usage error (exit 2): export -o, backup, --rejects" \
	'[ $s1 = 2 ] && [ $s2 = 2 ] && [ $status = 2 ] && same_db'

# A file size limit (ulimit -f, 512-byte blocks in sh) is not a crash: no
# SIGXFSZ (the shell's trap is not set here), one sentence, files unchanged.
mkdir -p "$O/lim"
echo "old" >"$O/lim/e.csv"
(ulimit -f 100; exec "$QPC" --db "$O/v2.db" export sales -o "$O/lim/e.csv") >"$T/out" 2>"$T/err"
status=$?
check "export past ulimit -f: exit 1 naming the limit, the old file whole" \
	'[ $status = 1 ] && err_has "ulimit -f" && [ "$(cat "$O/lim/e.csv")" = old ] && [ "$(ls "$O/lim")" = e.csv ]'
(ulimit -f 100; exec "$QPC" --db "$O/v2.db" backup "$O/lim/b.db") >"$T/out" 2>"$T/err"
status=$?
check "backup past ulimit -f: exit 1 naming the limit, no file left behind (no -journal)" \
	'[ $status = 1 ] && err_has "ulimit -f" && [ "$(ls "$O/lim")" = e.csv ]'
awk 'BEGIN { print "External ID,Name"; for (i = 1; i <= 3000; i++) printf "L%04d,Limited %d\n", i, i }' >"$O/lim.csv"
(ulimit -f 100; exec "$QPC" --db "$O/v2.db" import accounts "$O/lim.csv") >"$T/out" 2>"$T/err"
status=$?
check "import past ulimit -f: exit 1 naming the limit, the database unchanged" \
	'[ $status = 1 ] && err_has "ulimit -f" && [ "$(wc -l <"$T/err")" = 1 ] && same_db'
fi

if [ -w /dev/full ]; then
	bad=""
	for a in --help -h --version -V; do
		qpc $a >/dev/full 2>"$T/err"; status=$?
		[ $status = 1 ] && err_has "writing the output failed" || bad="$bad $a"
	done
	check "--help and --version onto a full disk: exit 1 with a message" \
		'[ -z "$bad" ] || { echo "# passed:$bad"; false; }'
fi

# To a terminal, an export shows control characters escaped, as report
# does; a pipe or a file gets the exact bytes.  script(1) gives the pty.
if on_file && script -qec true /dev/null >/dev/null 2>&1; then # the file's bulk load
	for list in accounts candidates potential; do
		SHELL=/bin/sh script -qec "\"$QPC\" --db \"$E\" export $list" /dev/null >"$T/out" 2>&1
		status=$?
		tr -d '\r' <"$T/out" >"$T/out.lf"
		check "export $list to a terminal: control characters shown escaped" \
			'[ $status = 0 ] && ! raw "$T/out.lf" && out_has "\x1b"'
	done
	run --db "$E" export accounts
	check "export accounts to a pipe: the exact bytes" \
		'[ $status = 0 ] && LC_ALL=C grep -q "Evil${ESC}\[31m Corp$RLO" "$T/out"'
	SHELL=/bin/sh script -qec "\"$QPC\" --db \"$E\" export accounts -o /dev/tty" /dev/null >"$T/out" 2>&1
	tr -d '\r' <"$T/out" >"$T/out.lf"
	check "export -o /dev/tty: escaped too" '! raw "$T/out.lf" && out_has "Evil\x1b[31m Corp\u202e"'
else
	ok "export to a terminal (skipped: no pty for script(1))"
fi

# --- docs --------------------------------------------------------------
MAN=${QPC_MAN:-man/qpc.1}
run --help
missing=""
for cmd in $(sed -n 's/^  \([a-z][a-z]*\) .*/\1/p' "$T/out"); do
	grep -q "^\.B qpc.*$cmd" "$MAN" || missing="$missing $cmd"
done
check "every command in --help is in the manual page" '[ -z "$missing" ] || { echo "# missing:$missing"; false; }'
for opt in --db --user --as-of --help --version; do
	grep -q -- "$(echo "$opt" | sed 's/-/\\\\-/g')" "$MAN" || missing="$missing $opt"
done
check "every global option is in the manual page" '[ -z "$missing" ] || { echo "# missing:$missing"; false; }'
if command -v man >/dev/null 2>&1; then
	MANWIDTH=80 man --warnings -l "$MAN" >/dev/null 2>"$T/err"; status=$?
	check "the manual page renders without warnings" '[ $status = 0 ] && [ ! -s "$T/err" ]'
fi

# --- files and people --------------------------------------------------------
# Someone who may read the database but not write it reads it and leaves
# nothing behind: no -wal or -shm of theirs to stand in the owner's way.
# As root, that someone is the user nobody; otherwise the same user, with
# the file made read-only.  Files that are no database (empty, a device,
# one with a table dropped) are named as such and left as they were.
P=$T/people
mkdir -p "$P/shared"
cp "$QPC" "$P/qpc" # the build folder may be closed to others
chmod 0755 "$T" "$P"
chmod 0777 "$P/shared" # a team's shared folder: a reader could write in it
qpc --db "$P/shared/team.db" init --demo --accounts 30 >/dev/null 2>&1
chmod 0644 "$P/shared/team.db"
if on_file; then # who may open a file, and what is one
as_reader() {
	if [ "$(id -u)" = 0 ]; then
		su nobody -s /bin/sh -c "QPC_NOW=$QPC_NOW QPC_USER=reader \"$P/qpc\" $*" >"$T/out" 2>"$T/err"
	else
		chmod 0444 "$P/shared/team.db"
		sh -c "\"$QPC\" $*" >"$T/out" 2>"$T/err"
	fi
	status=$?
	chmod 0644 "$P/shared/team.db"
}
no_aux() { [ ! -e "$P/shared/team.db-wal" ] && [ ! -e "$P/shared/team.db-shm" ]; }
as_reader --db "$P/shared/team.db" report
check "a reader who may not write: the report reads, and leaves no -wal or -shm" \
	'[ $status = 0 ] && out_has "Accounts" && no_aux'
as_reader --db "$P/shared/team.db" goal set 2031 4
check "a reader who may not write: a change names the file and why, and leaves nothing" \
	'[ $status = 1 ] && err_has "cannot write $P/shared/team.db: permission denied (owner " && err_has "reading only" && no_aux'
run --db "$P/shared/team.db" goal set 2031 4
check "after the reader, the owner writes as before" \
	'[ $status = 0 ] && [ "$(dbq "$P/shared/team.db" "SELECT target FROM goal WHERE year = 2031")" = 4 ]'
chmod 0700 "$T"

: >"$P/empty.db"
chmod 0644 "$P/empty.db"
empty_ok=1
for cmd in "report" "export accounts" "history" "goal set 2031 4" "template list"; do
	run --db "$P/empty.db" $cmd
	{ [ $status = 1 ] && err_has "empty.db is empty, not a qpc database; create one with 'qpc init'" &&
		[ ! -s "$P/empty.db" ] && [ ! -e "$P/empty.db-wal" ]; } || { empty_ok=0; echo "# $cmd: $status"; }
done
check "an empty file: no command but init makes it a database, and each says so" '[ $empty_ok = 1 ]'
run --db "$P/empty.db" init
check "init makes an empty file a database, private (0600) as one it creates" \
	'[ $status = 0 ] && [ "$(stat -c %a "$P/empty.db")" = 600 ] && [ "$(sqlite3 "$P/empty.db" "PRAGMA user_version")" -gt 0 ]'
QPC_DB=/dev/null run report
check "QPC_DB=/dev/null: not a regular file, said so" \
	'[ $status = 2 ] && err_has "/dev/null is a device, not a regular file"'
qpc --db "$P/dropped.db" init >/dev/null 2>&1
sqlite3 "$P/dropped.db" "DROP TABLE goal"
run --db "$P/dropped.db" report
check "a dropped table: the file is called damaged, in one sentence" \
	'[ $status = 1 ] && [ "$(wc -l <"$T/err")" = 1 ] && err_has "dropped.db is damaged or is not a qpc database (its table goal is missing); restore it from a backup"'

mkdir -p "$P/cwd"
(cd "$P/cwd" && env -u HOME -u XDG_DATA_HOME -u QPC_DB "$QPC" init) >"$T/out" 2>"$T/err"
status=$?
check "no HOME and no --db: init asks for a path, and writes nothing where it runs" \
	'[ $status = 2 ] && err_has "HOME is not set" && err_has "--db PATH or QPC_DB" && [ -z "$(ls -A "$P/cwd")" ]'
(cd "$P/cwd" && env -u HOME -u QPC_DB XDG_DATA_HOME="$P/xdg" "$QPC" init) >"$T/out" 2>"$T/err"
status=$?
check "no HOME but XDG_DATA_HOME: the database goes there" \
	'[ $status = 0 ] && [ -f "$P/xdg/qpc/qpc.db" ] && [ -z "$(ls -A "$P/cwd")" ]'
fi

run --db "$P/shared/team.db" goal set -5 1
check "goal set -5 1: the year quoted as typed" \
	'[ $status = 2 ] && err_has "year must be 1900 to 9999 (got -5)"'
run --db "$P/shared/team.db" goal set 2031 99999999999999999999
check "goal set with a count past any number: quoted as typed" \
	'[ $status = 2 ] && err_has "the count '"'"'99999999999999999999'"'"' is out of range"'
tpl_before=$(dbq "$P/shared/team.db" "SELECT count(*) FROM template; SELECT count(*) FROM template_step")
run --db "$P/shared/team.db" template add ''
check "template add '': refused" '[ $status = 2 ] && err_has "a template needs a name"'
run --db "$P/shared/team.db" template add Key "Meets the CFO" "Visits the plant" "meets the CFO"
check "a template whose steps say the same thing twice: refused" \
	'[ $status = 2 ] && err_has "steps 1 and 3 say the same"'
run --db "$P/shared/team.db" template step-add "Partner checklist" "has visited our facility"
check "a step a template already has: refused" \
	'[ $status = 2 ] && err_has "step 4 already says that"'
check "refused templates and steps leave the templates as they were" \
	'[ "$(dbq "$P/shared/team.db" "SELECT count(*) FROM template; SELECT count(*) FROM template_step")" = "$tpl_before" ]'

# --- imports: the guard, repeated keys, one set of limits, pipes, BOMs -----
# (helper 2 of issue 13)  What an export guards against spreadsheets comes
# off again on import, so export, import, export gives the same bytes; a
# key named twice in a file imports once (the last row) and again changes
# nothing; `potential set` keeps the importer's limits; a FIFO is read
# once; UTF-16BE without a BOM and a doubled BOM read as the text they are.
H=$T/h2
mkdir -p "$H"
qpc --db "$H/a.db" init >/dev/null
printf '%s\n' "External ID,Name,City" "G1,=1+1,'abc" "G2,'=2,''" "G3,''-3,it's" "G4,@x,+1" \
	"G5,'abc,-" >"$H/names.csv"
run --db "$H/a.db" import accounts "$H/names.csv" --raw
check "import --raw takes cells as they are" \
	'[ $status = 0 ] && [ "$(dbq "$H/a.db" "SELECT name FROM account ORDER BY external_id" | paste -sd" " -)" = "=1+1 '"'"'=2 '"''"'-3 @x '"'"'abc" ]'
qpc --db "$H/a.db" export accounts -o "$H/e1.csv"
qpc --db "$H/a.db" export accounts --raw -o "$H/r1.csv"
qpc --db "$H/b.db" init >/dev/null
qpc --db "$H/c.db" init >/dev/null
qpc --db "$H/b.db" import accounts "$H/e1.csv" >/dev/null
qpc --db "$H/c.db" import accounts "$H/r1.csv" --raw >/dev/null
qpc --db "$H/b.db" export accounts -o "$H/e2.csv"
qpc --db "$H/c.db" export accounts --raw -o "$H/r2.csv"
check "a guarded export: '=1+1 and ''=2 on file, the values back on import" \
	'grep -q "^G1,\"'"'"'=1+1\"," "$H/e1.csv" && grep -q "^G2,\"'"''"'=2\"," "$H/e1.csv" && grep -q "^G5,'"'"'abc," "$H/e1.csv"'
check "export, import, export: the same bytes, guarded and --raw" \
	'[ "$(wc -l <"$H/e1.csv")" = 6 ] && cmp -s "$H/e1.csv" "$H/e2.csv" && cmp -s "$H/r1.csv" "$H/r2.csv"'
run --db "$H/b.db" import accounts "$H/e1.csv"
check "importing the guarded export again: all unchanged" \
	'[ $status = 0 ] && out_has "5 rows read: 0 created, 0 updated, 5 unchanged"'

printf '%s\n' "External ID,Name,Owner" "K1,Kilo,ann" "K2,Lima,bob" "K1,Kilo,carl" >"$H/twice.csv"
run --db "$H/a.db" import accounts "$H/twice.csv"
check "a key twice: the last row wins, a warning names both lines" \
	'[ $status = 0 ] && out_has "3 rows read: 2 created, 0 updated, 0 unchanged, 0 rejected, 0 skipped, 1 replaced by a later row" && err_has "qpc: warning: $H/twice.csv:2: the same account as $H/twice.csv:4 (K1, Kilo): the later row wins" && [ "$(dbq "$H/a.db" "SELECT owner FROM account WHERE external_id = '"'"'K1'"'"'")" = carl ]'
h_before=$(dbq "$H/a.db" "SELECT count(*) FROM history")
run --db "$H/a.db" import accounts "$H/twice.csv"
check "the same file again: nothing updated, no history" \
	'[ $status = 0 ] && out_has "3 rows read: 0 created, 0 updated, 2 unchanged" && [ "$(dbq "$H/a.db" "SELECT count(*) FROM history")" = "$h_before" ]'

sum=$(sqlite3 "$H/a.db" "SELECT count(*), ifnull(sum(amount), 0) FROM potential")
run --db "$H/a.db" potential set K1 Widgets 9.9e14
check "potential set 9.9e14: exit 2, out of range in words for the command line" \
	'[ $status = 2 ] && err_has "qpc: potential set: amount '"'"'9.9e14'"'"': out of range (at most a trillion, 1,000,000,000,000)" && ! err_has "column"'
run --db "$H/a.db" potential set K1 Widgets 2000000000000
check "potential set over a trillion: exit 2" '[ $status = 2 ] && err_has "out of range"'
run --db "$H/a.db" potential set K1 Widgets 5 --measured-on 1800-01-01
check "potential set --measured-on 1800: exit 2, the importer's years" \
	'[ $status = 2 ] && err_has "--measured-on '"'"'1800-01-01'"'"': out of range (years 1900 to 2200)"'
run --db "$H/a.db" potential set K1 Widgets 5 --measured-on 2099-01-01
check "potential set --measured-on 2099: exit 2, measured in the future" \
	'[ $status = 2 ] && err_has "measured in the future (after 2026-11-27, the as-of date)"'
check "refused potential set: nothing saved" \
	'[ "$(sqlite3 "$H/a.db" "SELECT count(*), ifnull(sum(amount), 0) FROM potential")" = "$sum" ]'
run --db "$H/a.db" potential set K1 Widgets 1000000000000 --measured-on 1900-01-01
qpc --db "$H/a.db" export potential -o "$H/p.csv"
qpc --db "$H/d.db" init >/dev/null
run --db "$H/d.db" import potential "$H/p.csv"
check "what potential set takes, at its limits, exports and imports again" \
	'[ $status = 0 ] && out_has "1 rows read: 1 created"'

rm -f "$H/fifo"
if mkfifo "$H/fifo" 2>/dev/null; then
	cat "$H/twice.csv" >"$H/fifo" &
	run --db "$H/a.db" import accounts "$H/fifo"
	wait
	check "import from a FIFO: read once, no Illegal seek" \
		'[ $status = 0 ] && out_has "3 rows read: 0 created, 0 updated, 2 unchanged" && ! err_has "seek"'
else
	ok "import from a FIFO (skipped: no mkfifo)"
fi
printf '\0E\0x\0t\0e\0r\0n\0a\0l\0 \0I\0D\0,\0N\0a\0m\0e\0\n\0U\0\061\0,\0U\0t\0f\0\n' >"$H/be.csv"
run --db "$H/a.db" import accounts "$H/be.csv"
check "UTF-16BE without a BOM: read as such" \
	'[ $status = 0 ] && [ "$(dbq "$H/a.db" "SELECT name FROM account WHERE external_id = '"'"'U1'"'"'")" = Utf ]'
printf 'E\0x\0\0\0' >"$H/le.csv"
run --db "$H/a.db" import accounts "$H/le.csv" --encoding utf-8
check "a NUL at an odd offset: the hint says utf-16le" '[ $status = 1 ] && err_has "--encoding utf-16le"'
printf '\0E\0\0' >"$H/be2.csv"
run --db "$H/a.db" import accounts "$H/be2.csv" --encoding utf-8
check "a NUL at an even offset: the hint says utf-16be" '[ $status = 1 ] && err_has "--encoding utf-16be"'
printf '\357\273\277\357\273\277External ID,Name\nB1,Bom\n' >"$H/bom2.csv"
run --db "$H/a.db" import accounts "$H/bom2.csv" --dry-run
check "a doubled BOM is not part of the first header" \
	'[ $status = 0 ] && grep -Eq "^  External ID +-> external_id$" "$T/out" && ! out_has "Columns not read"'

# Further parts, one topic each, share this file's helpers and counters.
for part in "$(dirname "$0")"/part_*.sh; do
	[ -f "$part" ] || continue
	. "$part"
done

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
