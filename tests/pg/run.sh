#!/bin/sh
# The team server: qpc on a throwaway PostgreSQL cluster (cluster.sh),
# stopped however the tests end.  What runs there today: init (the schema
# and the roles, under an advisory lock), the users, and the roles'
# rights, tried for every kind of write as each role, through qpc and
# through psql; and the commands ported to the query layer (traits,
# ratings, goals, settings, templates, history, candidacies and their
# checklists), whose output must be the same on a file and on the server.
# Usage: QPC=/abs/path/to/qpc sh tests/pg/run.sh
set -u
: "${QPC:?set QPC to the qpc binary}"
here=$(cd "$(dirname "$0")" && pwd)
T=$(mktemp -d /tmp/qpc-pg-XXXXXX)
D=$T/cluster
trap 'for c in "$T/cluster" "$T/cluster2" "$T/standby"; do [ -d "$c" ] && sh "$here/cluster.sh" stop "$c"; done; rm -rf "$T"' EXIT
trap 'exit 130' INT TERM
export QPC_NOW=2026-11-27T09:00:00Z
unset QPC_DB QPC_USER PGHOST PGPORT PGUSER PGDATABASE PGPASSWORD PGSERVICE PGSERVICEFILE
export PGPASSFILE=$T/no-pgpass
chmod 755 "$T" # the server, not root, makes its folder inside
passed=0 failed=0 n=0

sh "$here/cluster.sh" start "$D" >"$T/where" || { echo "not ok 1 - the cluster started"; exit 1; }
PORT=$(sed -n 's/.* port=//p' "$T/where")
# the address of database $2 (default qpc) as login $1
url() { echo "postgresql:///${2:-qpc}?host=$D&port=$PORT&user=$1"; }
# (D and PORT name another cluster for a while, below)

. "$here/../check.sh"
# as LOGIN ARGS...: qpc on the team server as that login
as() {
	who=$1
	shift
	run --db "$(url "$who")" "$@"
}
# sql LOGIN STATEMENT: psql as that login, stopping at the first error
sql() {
	psql -X -q -A -t -v ON_ERROR_STOP=1 "host=$D port=$PORT dbname=${DB:-qpc} user=$1" \
		-c "$2" >"$T/out" 2>"$T/err"
	status=$?
}

# --- init --------------------------------------------------------------
as boss user list
check "a database without qpc's schema: says so, names init" \
	'[ $status = 1 ] && err_has "has no qpc schema yet" && err_has "init"'
# Two at once: one creates the schema, the other waits for its advisory
# lock and finds it ready.
"$QPC" --db "$(url boss)" init >"$T/a.out" 2>"$T/a.err" &
first=$!
"$QPC" --db "$(url boss)" init >"$T/b.out" 2>"$T/b.err"
second=$?
wait $first
first=$?
cat "$T/a.out" "$T/b.out" >"$T/out"
check "init creates the schema and the roles; the login is the first admin" \
	'[ $first = 0 ] && [ $second = 0 ] && [ "$(grep -c "created qpc'"'"'s schema" "$T/out")" = 1 ] && out_has "boss is its first admin"'
check "... and a second init at once finds it ready" \
	'[ "$(grep -c "nothing to do" "$T/out")" = 1 ]'
sql postgres "SELECT string_agg(rolname, ',' ORDER BY rolname) FROM pg_roles WHERE rolname LIKE 'qpc\_%'"
check "the three group roles exist" '[ "$(cat "$T/out")" = "qpc_admin,qpc_manager,qpc_rep" ]'
as boss --user someone user list
check "--user is refused: the login is the user" '[ $status = 2 ] && err_has "database login"'
as boss tui
check "the dashboard runs there: without a terminal, it says it needs one, as on a file" \
	'[ $status = 1 ] && err_has "the dashboard needs a terminal" && ! err_has "team server"'
as boss backup "$T/copy.db"
check "backup on a server: pg_dump's, said in one sentence, nothing written" \
	'[ $status = 2 ] && err_has "pg_dump --format=custom --file=$T/copy.db" && [ ! -e "$T/copy.db" ]'

# A qpc that finds another holding the schema's lock waits, and says so.
psql -X -q "host=$D port=$PORT dbname=qpc user=boss" \
	-c "SELECT pg_advisory_lock(7368803)" -c "SELECT pg_sleep(2)" >/dev/null 2>&1 &
holder=$!
k=0
until [ "$(psql -X -A -t "host=$D port=$PORT dbname=qpc user=postgres" -c "SELECT count(*)
	FROM pg_locks WHERE locktype = 'advisory' AND granted")" = 1 ] || [ $k -gt 100 ]; do
	k=$((k + 1))
	sleep 0.05
done
as boss init
wait $holder
check "init while another holds the schema lock: waits, says so, then finds it ready" \
	'[ $status = 0 ] && err_has "waiting for it" && out_has "nothing to do"'
# The roles are the whole server's: they serve one database.
sql postgres "CREATE DATABASE other OWNER boss"
run --db "$(url boss other)" init
check "a second team on the same server: refused, naming the first's database" \
	'[ $status = 2 ] && err_has "already serve qpc" && err_has "one qpc team per PostgreSQL server"'
DB=other sql postgres "SELECT to_regnamespace('qpc') IS NULL"
check "... and nothing is left of it" '[ "$(cat "$T/out")" = t ]'

# --- users ---------------------------------------------------------------
# the example in 'qpc help user', as written but for the server's address
example=$("$QPC" help user | sed -n 's/^Example: qpc --db [^ ]* //p')
eval "\"\$QPC\" --db \"\$(url boss)\" $example" >"$T/out" 2>"$T/err"
status=$?
check "user add (qpc help user's example): a rep tied to the CRM's owner name" \
	'[ -n "$example" ] && [ $status = 0 ] && out_has "ana is a rep for the accounts of '"'"'Ana Lima'"'"'"'
as boss user add max --role manager
as boss user add zoe --role admin
as boss user list
check "user list: login, role, owner, who added it" \
	'[ $status = 0 ] && grep -q "^ana  *rep  *Ana Lima  *added 2026-11-27 by boss$" "$T/out" && grep -q "^max  *manager " "$T/out" && grep -q "^zoe  *admin " "$T/out" && [ "$(wc -l <"$T/out")" = 4 ]'
sql postgres "SELECT string_agg(r.rolname || ':' || g.rolname, ',' ORDER BY r.rolname) FROM pg_auth_members m JOIN pg_roles r ON r.oid = m.member JOIN pg_roles g ON g.oid = m.roleid WHERE r.rolname IN ('ana', 'max', 'zoe')"
check "the server holds the roles: each login in its group" \
	'[ "$(cat "$T/out")" = "ana:qpc_rep,max:qpc_manager,zoe:qpc_admin" ]'
as boss user add ana --role manager
check "adding a user twice: refused, names the role it has" \
	'[ $status = 1 ] && err_has "already a user here, a rep"'
as boss user add bob --role boss
check "an unknown role: usage" '[ $status = 2 ] && err_has "rep, manager or admin"'
as boss user add pg_x --role rep
check "a name the server keeps: refused" '[ $status = 2 ] && err_has "pg_"'
as boss user add postgres --role rep
check "a superuser cannot be given a role" '[ $status = 2 ] && err_has "superuser"'
as boss user add bob
check "user add without --role: usage" '[ $status = 2 ] && err_has "--role"'
as ana user add eve --role admin
check "a rep cannot add users: one sentence, exit 1" \
	'[ $status = 1 ] && err_has "adding a user is an admin'"'"'s: you (login ana) are a rep"'
as max user set-role ana manager
check "a manager cannot change roles" '[ $status = 1 ] && err_has "an admin'"'"'s"'
as ana user list
check "a rep reads the users" '[ $status = 0 ] && out_has "zoe"'
sql postgres "CREATE ROLE dave LOGIN"
as dave user list
check "a login without a role: told who adds it" \
	'[ $status = 1 ] && err_has "dave has no role" && err_has "qpc user add dave"'
as zoe user add dave --role rep
check "an admin qpc made adds users in turn" '[ $status = 0 ]'
as boss user set-role dave manager
as dave user list
check "set-role: the server's group follows" '[ $status = 0 ] && grep -q "^dave  *manager" "$T/out"'
as boss user set-owner dave "Dave Ng"
as boss user list
check "set-owner: the owner name changes" '[ $status = 0 ] && grep -q "^dave  *manager  *Dave Ng" "$T/out"'
as boss user rm dave
sql postgres "SELECT count(*) FROM pg_roles WHERE rolname = 'dave'"
check "rm of a login qpc did not make: the role goes, the login stays" \
	'[ "$(cat "$T/out")" = 1 ]'
as dave user list
check "... and it may no longer work in qpc" '[ $status = 1 ] && err_has "has no role"'
as boss user add tmp1 --role rep
as boss user rm tmp1
sql postgres "SELECT count(*) FROM pg_roles WHERE rolname = 'tmp1'"
check "rm of a login qpc made: dropped from the server" '[ "$(cat "$T/out")" = 0 ]'
as boss user rm boss
check "nobody removes themselves" '[ $status = 2 ] && err_has "yourself"'
as boss user set-role zoe rep
as zoe user rm boss
check "an admin who is now a rep cannot remove users" '[ $status = 1 ] && err_has "are a rep"'
as boss user set-role boss rep
check "the last admin stays one" '[ $status = 2 ] && err_has "last admin"'
as boss user set-role zoe admin
as boss user rm nobody_here
check "rm of someone who is not a user: said" '[ $status = 1 ] && err_has "not a user here"'
sql boss "SELECT \"user\" || ' ' || entity || ' ' || coalesce(old, '-') || '>' || coalesce(new, '-') FROM qpc.history WHERE field = 'zoe' ORDER BY id"
check "the history names the login that changed a user" \
	'[ "$(tr "\n" "|" <"$T/out")" = "boss user:role ->admin|boss user:role admin>rep|boss user:role rep>admin|" ]'
as ana history
check "qpc history on the server: the users' changes in words" \
	'[ $status = 0 ] && grep -q " boss  *User zoe: admin → rep$" "$T/out" && grep -q " boss  *User dave: removed (was manager)$" "$T/out" && grep -q " boss  *User dave'"'"'s owner name: – → Dave Ng$" "$T/out"'
as ana history --limit 1
check "qpc history --limit on the server" '[ $status = 0 ] && [ "$(wc -l <"$T/out")" = 1 ]'
as ana history ACC-1
check "history of an account the server does not have: said so" \
	'[ $status = 1 ] && err_has "no account with id or name '"'"'ACC-1'"'"'"'

# --- traits: the same store code on both backends ------------------------
as max trait add "Shares its plans" --scale 0-10
as max trait add Trust
check "a manager adds traits on the server" '[ $status = 0 ] && out_has "Trait '"'"'Trust'"'"' added, scored 1 to 5."'
as max trait add trust
check "a trait's name is taken whatever its case" '[ $status = 1 ] && err_has "there is a trait '"'"'trust'"'"' already"'
as ana trait add Plans
check "a rep may not: the role named in one sentence" \
	'[ $status = 1 ] && err_has "changing the traits is not for a rep (login ana)"'
as max trait rename TRUST Confidence
as max trait retire "shares its plans"
as ana trait list
check "trait list on the server: retired last, names as typed" \
	'[ $status = 0 ] && [ "$(sed "s/  */ /g" "$T/out" | tr "\n" "|")" = "Confidence 1-5 0 ratings|Shares its plans 0-10 0 ratings (retired)|" ]'
as max trait retire "Shares its plans"
check "retiring twice: said" '[ $status = 1 ] && err_has "retired already"'
as max trait rename nothing x
check "renaming a trait that is not there: said" '[ $status = 1 ] && err_has "no trait '"'"'nothing'"'"'"'

# --- goals and settings ---------------------------------------------------
as max goal set 2027 12
check "a manager sets a goal on the server" '[ $status = 0 ] && out_has "2027"'
as max goal set 2027 15
as ana goal set 2027 40
check "a rep may not set goals: one sentence" '[ $status = 1 ] && err_has "not for a rep (login ana)"'
as max setting set threshold 80% --from 2027-01-01
check "a manager may not change settings" '[ $status = 1 ] && err_has "not for a manager (login max)"'
as zoe setting set threshold 80% --from 2027-01-01
check "an admin changes the threshold from a date" '[ $status = 0 ] && out_has "80% from 2027-01-01"'
as zoe setting set currency EUR
as zoe setting set currency eur
check "a bad value is refused before the server is asked" '[ $status = 2 ]'
sql boss "SELECT count(*) FROM qpc.history WHERE entity IN ('goal', 'setting')"
check "the refused changes left nothing" '[ "$(cat "$T/out")" = 4 ]'
sql boss "SELECT string_agg(key || '=' || value, ',' ORDER BY key) FROM qpc.setting"
check "the server starts with a file's settings" \
	'[ "$(cat "$T/out")" = "currency=EUR,minor_units=2,threshold=0.75" ]'
as ana setting list
cp "$T/out" "$T/server-settings"


# --- checklist templates ----------------------------------------------------
templates="template add Visits 'met the buyer' 'visited our plant'|template step-add visits 'met the CFO'|template step-move Visits 3 1|template step-rule Visits 2 'categories>=2 quarters=4'|template step-rm Visits 3|template default visits|template rename Visits 'Site visits'|template add Spare one|template rm spare"
as ana template add Mine step
check "a rep may not edit templates: the role in one sentence" \
	'[ $status = 1 ] && err_has "is not for a rep (login ana)"'
IFS='|'
bad=
for c in $templates; do
	eval "\"\$QPC\" --db \"\$(url max)\" $c" >"$T/out" 2>"$T/err" || bad="$bad [$c: $(cat "$T/err")]"
done
unset IFS
check "a manager's template edits on the server all succeed" '[ -z "$bad" ] || { echo "# $bad"; false; }'
as ana template list
check "templates on the server: the manager's changes, listed" \
	'[ $status = 0 ] && out_has "Site visits (default): 2 steps" && out_has "Partner checklist: 4 steps" && ! out_has Spare'
as max template step-add 'site visits' 'MET THE BUYER '
check "a step the template has, case and spaces aside: refused" \
	'[ $status = 2 ] && err_has "step 2 already says that"'
as max template rename 'site visits' 'partner CHECKLIST'
check "a template's name is taken whatever its case" '[ $status = 1 ] && err_has "already a template named"'

F=$T/traits.db
QPC_USER=max "$QPC" --db "$F" init >/dev/null
IFS='|'
bad=
for c in "trait add 'Shares its plans' --scale 0-10" "trait add Trust" "trait rename TRUST Confidence" \
	"trait retire 'shares its plans'" "goal set 2027 12" "goal set 2027 15" \
	"setting set threshold 80% --from 2027-01-01" "setting set currency EUR" $templates; do
	eval "QPC_USER=max \"\$QPC\" --db \"\$F\" $c" >/dev/null 2>&1 || bad="$bad [$c]"
done
unset IFS
check "the same changes on a file all succeed" '[ -z "$bad" ] || { echo "# $bad"; false; }'
for c in list "show 'Site visits'" "show 'Partner checklist'"; do
	eval "\"\$QPC\" --db \"\$F\" template $c" >"$T/file.out"
	fstatus=$?
	eval "\"\$QPC\" --db \"\$(url ana)\" template $c" >"$T/out"
	status=$?
	check "template $c: the same on a file and on the server" \
		'[ $fstatus = 0 ] && [ $status = 0 ] && [ -s "$T/out" ] && cmp -s "$T/out" "$T/file.out"'
done
sed -i 's/by zoe)$/by max)/' "$T/server-settings"
QPC_USER=max "$QPC" --db "$F" setting list >"$T/file.out"
check "the settings list the same on a file and on the server" \
	'[ -s "$T/file.out" ] && cmp -s "$T/server-settings" "$T/file.out" || { diff "$T/server-settings" "$T/file.out"; false; }'
QPC_USER=max "$QPC" --db "$F" trait list >"$T/file.out"
as max trait list
check "the same traits on a file and on the server list the same" \
	'[ $status = 0 ] && [ -s "$T/out" ] && cmp -s "$T/out" "$T/file.out"'
QPC_USER=max "$QPC" --db "$F" history | cut -c 34- | sed 's/^[a-z]* *//' >"$T/file.out"
as max history
grep -v "User " "$T/out" | cut -c 34- | sed 's/^[a-z]* *//' >"$T/server.out"
check "... and their history reads the same" \
	'[ -s "$T/file.out" ] && cmp -s "$T/server.out" "$T/file.out"'

# --- passwords: never on the command line ----------------------------------
as boss user add carol --role rep
as carol user list
check "a login that needs a password, without one: one sentence" \
	'[ $status = 1 ] && err_has "cannot reach the team server" && [ "$(wc -l <"$T/err")" = 1 ]'
printf '*:*:*:carol:carols secret\n' >"$T/pgpass"
chmod 600 "$T/pgpass"
PGPASSFILE=$T/pgpass as carol user list
check "its password from PGPASSFILE: it works" '[ $status = 0 ] && out_has "carol"'
run --db "postgresql://carol:carols%20secret@/qpc?host=$D&port=$PORT" user list
check "a password in the address: refused, not repeated" \
	'[ $status = 2 ] && err_has ".pgpass" && ! err_has "secret"'
printf '[team]\nhost=%s\nport=%s\ndbname=qpc\nuser=max\n' "$D" "$PORT" >"$T/services"
PGSERVICEFILE=$T/services run --db service=team user list
check "--db service=NAME reads the service file" '[ $status = 0 ] && out_has "max"'
QPC_DB=$(url max) run user list
check "QPC_DB takes an address too" '[ $status = 0 ] && out_has "carol"'

# --- what each role may write, enforced by the server -----------------------
# Through psql, as qpc cannot do more: every kind of write, tried by each
# role.  Ana (a rep) owns one account; Bob's is another's.
sql boss "SET search_path = qpc;
INSERT INTO account (external_id, name, owner, created_at, updated_at) VALUES
  ('A1', 'Ana Co', 'Ana Lima', 'x', 'x'), ('B1', 'Bob Co', 'Bob Ray', 'x', 'x');
INSERT INTO category (name) VALUES ('Tools');
INSERT INTO candidate (account_id, template_id, nominated_on, nominated_by)
  VALUES (2, 1, '2026-01-01', 'boss');
INSERT INTO trait (name) VALUES ('Trust');
SELECT string_agg(id::text, ',' ORDER BY id) FROM account"
check "the admin (who ran init) writes anything" '[ $status = 0 ] && [ "$(cat "$T/out")" = "1,2" ]'

# try NAME LOGIN SQL ALLOWED: one write as one login, in a transaction
# rolled back, so that each try starts from the same rows.  ALLOWED is
# yes (it ran, and changed a row if it is a row's change) or no (refused,
# or its command tag says no row changed: row-level security hides rows).
try() {
	name=$1 who=$2 stmt=$3 want=$4
	psql -X -A -t -v ON_ERROR_STOP=1 "host=$D port=$PORT dbname=qpc user=$who" \
		-c "BEGIN" -c "SET search_path = qpc" -c "$stmt" -c "ROLLBACK" >"$T/out" 2>"$T/err"
	status=$?
	got=no
	[ $status = 0 ] && ! grep -Eq '^(INSERT 0|UPDATE|DELETE) 0$' "$T/out" && got=yes
	if [ "$got" = "$want" ]; then ok "$who: $name ($want)"; else not_ok "$who: $name (want $want)"; fi
}
P1="INSERT INTO potential (account_id, category_id, amount, measured_on) VALUES"
try "a QPC line on their own account" ana "$P1 (1, 1, 500, '2026-11-01')" yes
try "a QPC line on another's account" ana "$P1 (2, 1, 500, '2026-11-01')" no
try "a QPC line on any account" max "$P1 (2, 1, 500, '2026-11-01')" yes
try "a new category for a line" ana "INSERT INTO category (name) VALUES ('Gloves')" yes
try "the share estimate of their own account" ana "UPDATE account SET rep_share_bp = 4000 WHERE id = 1" yes
try "the share estimate of another's account" ana "UPDATE account SET rep_share_bp = 4000 WHERE id = 2" no
try "the share estimate of any account" max "UPDATE account SET rep_share_bp = 4000 WHERE id = 2" yes
try "an account's owner (the CRM's)" ana "UPDATE account SET owner = 'Ana Lima' WHERE id = 2" no
try "an account's name" ana "UPDATE account SET name = 'x' WHERE id = 1" no
try "an account's name" max "UPDATE account SET name = 'x' WHERE id = 1" no
try "an account's name" zoe "UPDATE account SET name = 'x' WHERE id = 1" yes
try "the cached figures" ana "UPDATE account SET share_bp = 9000 WHERE id = 1" no
try "the cached figures" max "UPDATE account SET status = 'partner' WHERE id = 1" no
for who in ana max; do
	try "import an account" $who "INSERT INTO account (name, created_at, updated_at) VALUES ('N', 'x', 'x')" no
	try "import a sales line" $who "INSERT INTO sale (account_id, date, amount) VALUES (1, '2026-01-01', 5)" no
	try "delete an account" $who "DELETE FROM account WHERE id = 1" no
	try "a setting" $who "UPDATE setting SET value = '0.8' WHERE key = 'threshold'" no
	try "a threshold change" $who "INSERT INTO setting_change (key, effective_on, value, changed_at, changed_by) VALUES ('threshold', '2026-01-01', '8000', 'x', '$who')" no
	try "a user" $who "INSERT INTO app_user (login, role, added_at, added_by) VALUES ('eve', 'admin', 'x', '$who')" no
	try "their own role" $who "UPDATE app_user SET role = 'admin' WHERE login = '$who'" no
	try "a QPC fact by hand" $who "INSERT INTO qpc_fact (account_id, category_id, measured_on, amount) VALUES (1, 1, '2026-01-01', 5)" no
	H="INSERT INTO history (at, effective, \"user\", account_id, entity, field) VALUES"
	try "the history under another name" $who "$H ('x', 'x', 'boss', 1, 'potential', 'f')" no
	try "the history of their own change" $who "$H ('x', 'x', '$who', 1, 'potential', 'f')" yes
	try "the history of a setting" $who "$H ('x', 'x', '$who', NULL, 'setting', 'threshold')" no
	try "the history of a user" $who "$H ('x', 'x', '$who', NULL, 'user:role', '$who')" no
	try "a history line of an id of their choosing" $who "INSERT INTO history (id, at, effective, \"user\", account_id, entity, field) VALUES (999999, 'x', 'x', '$who', 1, 'potential', 'f')" no
	try "a category of an id of their choosing" $who "INSERT INTO category (id, name) VALUES (999999, 'Z')" no
	try "the schema" $who "ALTER TABLE account ADD COLUMN x integer" no
done
try "import an account" zoe "INSERT INTO account (name, created_at, updated_at) VALUES ('N', 'x', 'x')" yes
try "a setting" zoe "UPDATE setting SET value = '0.8' WHERE key = 'threshold'" yes
try "the schema (a migration)" zoe "ALTER TABLE account ADD COLUMN x integer" yes
try "the history of another's account" ana "$H ('x', 'x', 'ana', 2, 'potential', 'f')" no
try "the history of a goal" ana "$H ('x', 'x', 'ana', NULL, 'goal', '2027')" no
try "the history of a goal" max "$H ('x', 'x', 'max', NULL, 'goal', '2027')" yes
for t in \
	"nominate|INSERT INTO candidate (account_id, template_id, nominated_on, nominated_by) VALUES (1, 1, '2026-01-01', 'x')" \
	"drop a candidacy|UPDATE candidate SET dropped_on = '2026-02-01' WHERE id = 1" \
	"tick a step|INSERT INTO tick (candidate_id, step_id, ticked_by, ticked_at) VALUES (1, 1, 'x', 'x')" \
	"plan a step|INSERT INTO step_plan (candidate_id, step_id, owner) VALUES (1, 1, 'ana')" \
	"set a goal|INSERT INTO goal (year, target) VALUES (2031, 5)" \
	"edit a template|INSERT INTO template_step (template_id, position, text) VALUES (1, 2, 'visit')" \
	"add a trait|INSERT INTO trait (name) VALUES ('Plans')" \
	"rate an account|INSERT INTO trait_rating (account_id, trait_id, score, rated_on, rated_by) VALUES (1, 1, 4, '2026-01-01', 'x')" \
	"record a contract|INSERT INTO contract (account_id, signed_on, recorded_at, recorded_by) VALUES (1, '2026-01-01', 'x', 'x')"; do
	try "${t%%|*}" ana "${t#*|}" no
	try "${t%%|*}" max "${t#*|}" yes
done
DB=qpc sql ana "SET search_path = qpc; $P1 (1, 1, 700, '2026-11-02'); SELECT count(*) || ' ' || max(amount) FROM qpc_fact WHERE account_id = 1"
check "a rep's QPC line is kept as a dated fact, by the server's trigger" \
	'[ $status = 0 ] && [ "$(cat "$T/out")" = "1 700" ]'
DB=qpc sql ana "INSERT INTO qpc.history (at, effective, \"user\", account_id, entity, field, old, new)
	VALUES ('2026-11-02T10:00:00Z', '2026-11-02', 'ana', 1, 'potential', 'Tools', NULL, '700')"
as max history A1
check "qpc history ACCOUNT on the server: that account's changes" \
	'[ $status = 0 ] && [ "$(wc -l <"$T/out")" = 1 ] && out_has "ana" && out_has "A1 Ana Co Tools"'
as max history B1
check "... and another account's: none" '[ $status = 0 ] && ! [ -s "$T/out" ]'
as max rate A1 confidence 4 --note "met their CFO"
check "a manager rates an account on the server" '[ $status = 0 ] && out_has "Rated '"'"'confidence'"'"' 4"'
as ana rate A1 Confidence 5
check "a rep may not rate: one sentence" '[ $status = 1 ] && err_has "not for a rep (login ana)"'
as max rate A1 Confidence 9
check "a score off the scale: refused, nothing written" '[ $status = 2 ] && err_has "scored from 1 to 5"'
as max rate A1 "Shares its plans" 3
check "a retired trait takes no rating" '[ $status = 1 ] && err_has "retired"'
as max trait list
check "the rating counts" '[ $status = 0 ] && grep -q "^Confidence  *1-5  1 rating$" "$T/out"'
as max history A1
check "... and is in the account's history, by its login" \
	'[ $status = 0 ] && [ "$(wc -l <"$T/out")" = 2 ] && grep -q " max  *A1 Ana Co Confidence: rated 4$" "$T/out"'
# --- candidacies and checklists: the same store code on both backends -------
# One nomination's life, as a manager, on the server and on a file with
# the same account and templates: each command says the same.
printf 'External ID,Name,Owner\nA1,Ana Co,Ana Lima\n' >"$T/a1.csv"
QPC_USER=max "$QPC" --db "$F" import accounts "$T/a1.csv" >/dev/null 2>&1
as ana candidate add A1
check "a rep may not nominate: one sentence" '[ $status = 1 ] && err_has "not for a rep (login ana)"'
IFS='|'
i=0
for c in "candidate add A1" "candidate add A1" "tick A1 1 --note 'CFO met'" "tick A1 'met the buyer'" \
	"step assign A1 2 --owner 'Ana Lima' --due 2026-12-15" "untick A1 2" "untick A1 2" \
	"step assign A1 'MET THE BUYER' --owner ''" "tick A1 9" "candidate drop A1 --reason 'no budget'" \
	"candidate drop A1 --reason again"; do
	i=$((i + 1))
	eval "QPC_USER=max \"\$QPC\" --db \"\$F\" $c" >"$T/file.out" 2>"$T/file.err"
	fstatus=$?
	eval "\"\$QPC\" --db \"\$(url max)\" $c" >"$T/out" 2>"$T/err"
	status=$?
	cat "$T/out" "$T/err" >"$T/server.all"
	cat "$T/file.out" "$T/file.err" >"$T/file.all"
	check "$c: the same on a file and on the server ($fstatus)" \
		'[ $fstatus = $status ] && [ -s "$T/file.all" ] && cmp -s "$T/server.all" "$T/file.all" || { diff "$T/server.all" "$T/file.all"; false; }'
	case $i in
	1) check "... a manager nominates" '[ $status = 0 ] && out_has "Site visits"' ;;
	2) check "... once" '[ $status = 1 ] && err_has "already a candidate"' ;;
	3) as ana tick A1 1
	   check "a rep may not tick: one sentence" '[ $status = 1 ] && err_has "not for a rep (login ana)"' ;;
	7) check "... a step not ticked is not unticked" '[ $status != 0 ] && err_has "not ticked"' ;;
	9) check "... a step the checklist lacks" '[ $status != 0 ] && err_has "no step 9"' ;;
	esac
done
unset IFS
QPC_USER=max "$QPC" --db "$F" history A1 | cut -c 34- | sed 's/^[a-z]* *//' >"$T/file.out"
as max history A1
grep -v "Tools\|Confidence" "$T/out" | cut -c 34- | sed 's/^[a-z]* *//' >"$T/server.out"
check "... and the account's history reads the same" \
	'[ "$(wc -l <"$T/file.out")" -ge 8 ] && cmp -s "$T/server.out" "$T/file.out" || { diff "$T/server.out" "$T/file.out"; false; }'
# The tasks: a plan's open steps, earliest due first, on both.
printf 'External ID,Name,Owner\nB1,Bob Co,Bob Ray\n' >"$T/b1.csv"
QPC_USER=max "$QPC" --db "$F" import accounts "$T/b1.csv" >/dev/null 2>&1
# B1 is a candidate on the server since the roles' tries, on the first checklist
QPC_USER=max "$QPC" --db "$F" candidate add B1 --template 'Partner checklist' >/dev/null 2>&1
bad=
for c in "candidate add A1" "step assign A1 1 --owner 'Ana Lima' --due 2026-12-15" \
	"step assign A1 2 --owner Max --due 2026-11-20" "step assign B1 1 --owner 'Ana Lima'" \
	"step assign B1 2 --due 2026-11-20"; do
	eval "QPC_USER=max \"\$QPC\" --db \"\$F\" $c" >/dev/null 2>&1 || bad="$bad [file: $c]"
	eval "\"\$QPC\" --db \"\$(url max)\" $c" >/dev/null 2>&1 || bad="$bad [server: $c]"
done
check "four steps planned on two candidates, on both" '[ -z "$bad" ] || { echo "# $bad"; false; }'
for c in "" "--owner 'Ana Lima'" "--overdue" "--format csv" "--owner nobody"; do
	eval "\"\$QPC\" --db \"\$F\" tasks $c" >"$T/file.out" 2>&1
	fstatus=$?
	eval "\"\$QPC\" --db \"\$(url ana)\" tasks $c" >"$T/server.all" 2>&1
	status=$?
	check "tasks $c: the same on a file and on the server" \
		'[ $fstatus = $status ] && cmp -s "$T/server.all" "$T/file.out" || { diff "$T/server.all" "$T/file.out"; false; }'
done
"$QPC" --db "$(url ana)" tasks >"$T/out"
check "... the earliest due first, undated last" \
	'[ "$(wc -l <"$T/out")" = 4 ] && head -1 "$T/out" | grep -q "^2026-11-20 overdue Max  *Ana Co: 2\." && tail -1 "$T/out" | grep -q "^-  *Ana Lima  *Bob Co: 1\."'
# Contracts: dated, each change a history line, the same on both.
as ana contract set A1 --signed 2026-02-01
check "a rep may not record a contract: one sentence" '[ $status = 1 ] && err_has "not for a rep (login ana)"'
IFS='|'
for c in "contract set A1 --signed 2026-02-01 --value 12000" "contract set B1 --signed 2025-06-01 --ends 2026-06-01" \
	"contract set A1 --signed 2026-02-01 --value 15000" "contract set A1 --signed 2026-01-15" "contract set A1 --signed 2026-01-15 --ends 2026-02-01" \
	"contract end A1 --on 2026-10-01" "contract end A1 --on 2026-10-01" "contract set B1 --signed 2026-03-01 --ends 2026-02-01" \
	"contract list" "contract list A1" "history A1"; do
	eval "QPC_USER=max \"\$QPC\" --db \"\$F\" $c" >"$T/file.out" 2>"$T/file.err"
	fstatus=$?
	eval "\"\$QPC\" --db \"\$(url max)\" $c" >"$T/out" 2>"$T/err"
	status=$?
	if [ "$c" = "history A1" ]; then
		grep -v "Tools\|Confidence" "$T/out" >"$T/out.kept"
		mv "$T/out.kept" "$T/out"
	fi
	cat "$T/out" "$T/err" >"$T/server.all"
	cat "$T/file.out" "$T/file.err" >"$T/file.all"
	check "$c: the same on a file and on the server ($fstatus)" \
		'[ $fstatus = $status ] && [ -s "$T/file.all" ] && cmp -s "$T/server.all" "$T/file.all" || { diff "$T/server.all" "$T/file.all"; false; }'
done
unset IFS
as max history A1
check "... four changes in A1's history: signed, its value, an earlier one, ended once" \
	'[ "$(grep -c "signed 20" "$T/out")" = 4 ] && [ "$(grep -c "ends 2026-10-01" "$T/out")" = 1 ]'
"$QPC" --db "$(url ana)" contract list >"$T/out"
check "... a rep reads them: two of A1's, one of B1's" \
	'[ "$(grep -c "A1" "$T/out")" = 2 ] && [ "$(grep -c "B1" "$T/out")" = 1 ]'
sql max "SELECT count(*) || ' ' || max(drop_reason) FROM qpc.candidate WHERE account_id = 1"
check "... the server keeps the dropped candidacy with its reason" '[ "$(cat "$T/out")" = "2 no budget" ]'

# Figures computed from the facts on the server: the demo made there and
# on a file, the report the same byte for byte, today and at past dates,
# and again after a change whose status spans the server makes at commit.
# One qpc team per cluster: the demo's is a second one.
D1=$D PORT1=$PORT
D=$T/cluster2
if QPC_PG_PORT=$((PORT1 + 1)) sh "$here/cluster.sh" start "$D" >"$T/where2"; then
	PORT=$(sed -n 's/.* port=//p' "$T/where2")
fi
run --db "$(url boss)" init --demo --accounts 300
check "init --demo on the server: schema, roles and demo data" \
	'[ $status = 0 ] && out_has "created qpc'"'"'s schema" && out_has "added demo data to the team server (300 accounts)"'
run --db "$(url boss)" init --demo --accounts 300
check "... not twice: the server already holds accounts" \
	'[ $status != 0 ] && err_has "the team server already holds 300 accounts"'
QPC_USER=boss "$QPC" --db "$T/demo.db" init --demo --accounts 300 >/dev/null 2>&1
run --db "$(url boss)" user add ana --role rep --owner alice
check "... a rep to read it" '[ $status = 0 ]'
same_report() { # LABEL ARGS...: the report on the file and on the server
	label=$1
	shift
	QPC_USER=boss "$QPC" --db "$T/demo.db" "$@" >"$T/file.all" 2>&1
	fstatus=$?
	# the demo's nominations and ratings are morgan's and the reps' on a
	# file; on a server each change is the login's (boss), by design
	case "$*" in *"export candidates"*|*"export traits"*)
		sed -E 's/(,[0-9]{4}-[0-9]{2}-[0-9]{2}),(morgan|alice|bruno|chen|dana|emeka|fatima|gus|hana),/\1,boss,/' \
			"$T/file.all" >"$T/file.as-boss" && mv "$T/file.as-boss" "$T/file.all" ;;
	esac
	"$QPC" --db "$(url ana)" "$@" >"$T/server.all" 2>&1
	status=$?
	check "$label: the same on a file and on the server" \
		'[ $fstatus = 0 ] && [ $status = 0 ] && cmp -s "$T/server.all" "$T/file.all" || { diff "$T/server.all" "$T/file.all" | head -20; false; }'
}
same_report "report" report
same_report "report --format json" report --format json
same_report "report as of 2026-03-31" --as-of 2026-03-31 report
same_report "report --format json as of 2025-12-31" --as-of 2025-12-31 report --format json
same_report "trend" trend
same_report "trend --months 36 --format json" trend --months 36 --format json
same_report "trend --format csv as of 2025-06-30" --as-of 2025-06-30 trend --format csv
for l in accounts partners candidates potential sales goals contracts traits; do
	same_report "export $l" export $l
done
same_report "export partners as of 2025-12-31" --as-of 2025-12-31 export partners
same_report "export candidates --raw as of 2026-03-31" --as-of 2026-03-31 export candidates --raw
same_report "export accounts --raw" export accounts --raw
check "... every account exported, with its figures" \
	'[ "$(wc -l <"$T/server.all")" = 301 ] && grep -q ",partner," "$T/server.all"'
grep -q '"partners": [1-9]' "$T/server.all"
check "... the demo has partners at the end of 2025" '[ $? = 0 ]'
acct=$(QPC_USER=boss "$QPC" --db "$T/demo.db" export accounts --raw 2>/dev/null | sed -n '2p' | cut -d, -f1)
for c in "contract set $acct --signed 2026-01-10" "contract end $acct --on 2026-06-30"; do
	eval "QPC_USER=boss \"\$QPC\" --db \"\$T/demo.db\" $c" >/dev/null 2>&1
	eval "\"\$QPC\" --db \"\$(url boss)\" $c" >/dev/null 2>&1
	check "$c: done on both" '[ $? = 0 ]'
	same_report "... then the report as of 2026-03-31" --as-of 2026-03-31 report --format json
	same_report "... and today" report --format json
	same_report "... and the trend" trend --months 24 --format csv
done
DB=qpc sql boss "SELECT count(*) FROM qpc.status_span"
check "... the server keeps every account's status changes" '[ $status = 0 ] && [ "$(cat "$T/out")" -gt 100 ]'
# QPC lines, estimates and a candidate's checklist: the same on both, and
# the figures after each change.
QPC_USER=boss "$QPC" --db "$T/demo.db" export accounts --raw >"$T/accounts.csv" 2>/dev/null
mine=$(grep ',alice,' "$T/accounts.csv" | head -1 | cut -d, -f1)
theirs=$(grep -v ',alice,' "$T/accounts.csv" | sed -n '2p' | cut -d, -f1)
cand=$(QPC_USER=boss "$QPC" --db "$T/demo.db" export candidates --raw 2>/dev/null | sed -n '2p' | cut -d, -f1)
IFS='|'
for c in "potential set $mine Tools 5000 --verified --measured-on 2026-11-01" \
	"potential set $mine Tools 6000.50 --basis 'site visit'" "potential rm $mine Tools" \
	"potential rm $mine Tools" "potential set $mine Tools -5" "potential estimate $theirs --dry-run" \
	"potential estimate --all" "checklist $cand" "report --format json" "export potential"; do
	eval "QPC_USER=boss \"\$QPC\" --db \"\$T/demo.db\" $c" >"$T/file.all" 2>&1
	fstatus=$?
	eval "\"\$QPC\" --db \"\$(url boss)\" $c" >"$T/server.all" 2>&1
	status=$?
	if [ "${c%% *}" = checklist ]; then # the demo's ticks are morgan's on a file
		sed 's/by morgan/by boss/' "$T/file.all" >"$T/file.as-boss" && mv "$T/file.as-boss" "$T/file.all"
	fi
	check "$c: the same on a file and on the server ($fstatus)" \
		'[ $fstatus = $status ] && [ -s "$T/file.all" ] && cmp -s "$T/server.all" "$T/file.all" || { diff "$T/server.all" "$T/file.all" | head -20; false; }'
done
unset IFS
same_report "... the line's history" history "$mine"
# heard_while CMD...: CMD while a dashboard listens (LISTEN qpc_change),
# here psql, asleep meanwhile; what it was told in $T/heard
heard_while() {
	psql -X -q -A -t "host=$D port=$PORT dbname=qpc user=boss" -c "LISTEN qpc_change" \
		-c "SELECT pg_sleep(3)" >"$T/heard" 2>&1 &
	listener=$!
	sleep 1
	"$@"
	wait $listener
}
# a rep saves a QPC line: the dashboard is told what the commit changed,
# that account, by id
heard_while run --db "$(url ana)" potential set "$mine" Tools 700
check "a rep sets a QPC line of their own account" '[ $status = 0 ] && out_has "Saved: QPC"'
DB=qpc sql boss "SELECT id FROM qpc.account WHERE external_id = '$mine'"
check "... and a listening dashboard is told which account it changed, and nothing more" \
	'grep -q "payload \"$(cat "$T/out")\"" "$T/heard" &&
	 ! grep "payload" "$T/heard" | grep -v -e "payload \"$(cat "$T/out")\"" -e "payload \"\"" ||
	 { cat "$T/heard"; false; }'
run --db "$(url ana)" potential rm "$mine" Tools
check "... and removes it (the server writes the removal's fact)" '[ $status = 0 ]'
run --db "$(url ana)" potential set "$theirs" Tools 700
check "... not one of another's: one sentence" \
	'[ $status = 1 ] && err_has "not for a rep (login ana)" && [ "$(grep -c . "$T/err")" = 1 ]'
DB=qpc sql ana "INSERT INTO qpc.status_span (account_id, since, status, prev) SELECT id, '2026-01-01', 3, 1 FROM qpc.account WHERE external_id = '$theirs'"
check "... nor, through psql, another's status" '[ $status != 0 ] && err_has "row-level security"'
DB=qpc sql ana "DELETE FROM qpc.status_span WHERE account_id = (SELECT id FROM qpc.account WHERE external_id = '$theirs') RETURNING 1"
check "... nor erase it" '[ $status = 0 ] && [ ! -s "$T/out" ]'
DB=qpc sql ana "INSERT INTO qpc.qpc_fact (account_id, category_id, measured_on, amount) SELECT id, 1, '2026-01-01', 1 FROM qpc.account WHERE external_id = '$mine'"
check "... nor write a fact by hand, even of their own account" '[ $status != 0 ] && err_has "permission denied"'
DB=qpc sql boss "SELECT count(*) FROM qpc.potential"
lines=$(cat "$T/out")
run --db "$(url ana)" potential estimate "$theirs"
check "... nor estimate another's QPC: refused in one sentence" \
	'[ $status = 1 ] && err_has "not for a rep (login ana)" && [ "$(grep -c . "$T/err")" = 1 ]'
DB=qpc sql boss "SELECT count(*) FROM qpc.potential"
check "... and nothing of it written" '[ "$(cat "$T/out")" = "$lines" ]'
run --db "$(url ana)" export accounts --raw
check "... but a rep reads and exports every account, with its figures" \
	'[ $status = 0 ] && [ "$(grep -c . "$T/out")" = 301 ]'
# A server made by the qpc before: schema version 1 kept no status spans,
# versions before 6 kept a file's figure columns, never filled, and
# before 7 compared the import's keys in the server's locale.
DB=qpc sql boss "SET ROLE qpc_admin;
	ALTER TABLE qpc.account ALTER COLUMN external_id TYPE text COLLATE \"default\";
	ALTER TABLE qpc.sale ALTER COLUMN source_key TYPE text COLLATE \"default\";
	DROP POLICY everyone_reads ON qpc.status_span;
	DROP POLICY made_with_facts ON qpc.status_span; DROP POLICY unmade_with_facts ON qpc.status_span;
	ALTER TABLE qpc.status_span DISABLE ROW LEVEL SECURITY; REVOKE INSERT, DELETE ON qpc.status_span FROM qpc_rep;
	DROP TRIGGER potential_removed ON qpc.potential; DROP FUNCTION qpc.potential_removed();
	DROP FUNCTION qpc.changed() CASCADE; DROP FUNCTION qpc.changed_id() CASCADE;
	DROP FUNCTION qpc.changed_account() CASCADE;
	CREATE INDEX account_owner ON qpc.account (owner);
	CREATE INDEX account_name_trgm ON qpc.account USING gin (name qpc.gin_trgm_ops);
	ALTER TABLE qpc.account ADD COLUMN qpc bigint, ADD COLUMN qpc_measured_on text,
	  ADD COLUMN qpc_verified integer NOT NULL DEFAULT 0,
	  ADD COLUMN sales_12m bigint NOT NULL DEFAULT 0, ADD COLUMN gp_12m bigint NOT NULL DEFAULT 0,
	  ADD COLUMN share_bp integer, ADD COLUMN share_over integer NOT NULL DEFAULT 0,
	  ADD COLUMN untapped bigint, ADD COLUMN status text NOT NULL DEFAULT 'prospect',
	  ADD COLUMN quality integer, ADD COLUMN gp_known integer NOT NULL DEFAULT 1,
	  ADD COLUMN sort_qpc bigint GENERATED ALWAYS AS (coalesce(qpc, -1)) STORED,
	  ADD COLUMN sort_share integer GENERATED ALWAYS AS (coalesce(share_bp, -1) + share_over) STORED,
	  ADD COLUMN sort_untapped bigint GENERATED ALWAYS AS (coalesce(untapped, -1)) STORED,
	  ADD COLUMN sort_status integer GENERATED ALWAYS AS (CASE status WHEN 'customer' THEN 1
	    WHEN 'candidate' THEN 2 WHEN 'partner' THEN 3 ELSE 0 END) STORED,
	  ADD COLUMN sort_age text GENERATED ALWAYS AS (coalesce(qpc_measured_on, '')) STORED;
	CREATE INDEX account_by_status ON qpc.account (sort_status, sort_qpc, id);
	DELETE FROM qpc.status_span; UPDATE qpc.meta SET value = '1' WHERE key = 'schema_version'"
check "(a version 1 server, made by hand)" '[ $status = 0 ]'
run --db "$(url ana)" report
check "a version 1 server: refused until an admin migrates it, in a sentence" \
	'[ $status = 2 ] && err_has "schema is version 1, this qpc'"'"'s is 7" && err_has "qpc --db ADDRESS init"'
run --db "$(url boss)" init
check "init migrates it from version 1 to 7" \
	'[ $status = 0 ] && out_has "migrated the team server'"'"'s schema from version 1 to 7"'
DB=qpc sql boss "SELECT count(*) FROM pg_indexes WHERE schemaname = 'qpc'
	AND indexname IN ('account_owner', 'account_name_trgm')"
check "... and the account indexes nothing reads are dropped (version 5)" '[ "$(cat "$T/out")" = 0 ]'
DB=qpc sql boss "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'qpc'
	AND table_name = 'account' AND (column_name LIKE 'sort\_%' OR column_name IN ('qpc',
	'qpc_measured_on', 'qpc_verified', 'sales_12m', 'gp_12m', 'share_bp', 'share_over',
	'untapped', 'status', 'quality', 'gp_known'))"
check "... and the figure columns nothing filled, with their index, are dropped (version 6)" \
	'[ "$(cat "$T/out")" = 0 ] && [ -n "$(cat "$T/out")" ]'
byte_keys() { # the import's keys and their uniqueness in byte order, as a file's
	DB=qpc sql boss "SELECT string_agg(c.table_name || '.' || c.column_name || ' ' ||
	  coalesce(c.collation_name, '-'), ', ' ORDER BY c.table_name) FROM information_schema.columns c
	  WHERE c.table_schema = 'qpc' AND (c.table_name, c.column_name) IN
	  (('account', 'external_id'), ('sale', 'source_key'))"
	[ "$(cat "$T/out")" = "account.external_id C, sale.source_key C" ] || return 1
	DB=qpc sql boss "SELECT string_agg(conname, ' ' ORDER BY conname) FROM pg_constraint
	  WHERE conname IN ('account_external_id_key', 'sale_source_key_key') AND contype = 'u'"
	[ "$(cat "$T/out")" = "account_external_id_key sale_source_key_key" ]
}
check "... and the external ids and sales lines' keys compare as bytes (version 7)" 'byte_keys'
same_report "... and the status spans are made again: the report" report --format json
run --db "$(url boss)" potential rm "$mine" Packaging
check "... and a QPC line's removal is a fact again" '[ $status = 0 ]'
DB=qpc sql boss "SELECT count(*) FROM qpc.qpc_fact f JOIN qpc.account a ON a.id = f.account_id WHERE a.external_id = '$mine' AND f.amount IS NULL AND f.measured_on = '2026-11-27'"
check "... dated the day qpc says, not the server's" '[ "$(cat "$T/out")" -ge 1 ]'
run --db "$(url boss)" init
check "... once: then nothing to do" '[ $status = 0 ] && out_has "ready (schema version 7); nothing to do"'
# Version 5's trigger wrote a QPC line's removal as a fact even when the
# account itself was deleted (by hand: qpc deletes none), which the
# facts' reference to the account then refused.
DB=qpc sql boss "UPDATE qpc.meta SET value = '5' WHERE key = 'schema_version'"
run --db "$(url boss)" init
check "a version 5 server: migrated to 7" \
	'[ $status = 0 ] && out_has "migrated the team server'"'"'s schema from version 5 to 7"'
DB=qpc sql boss "INSERT INTO qpc.account (external_id, name, created_at, updated_at, name_key)
	VALUES ('GONE-1', 'Gone Soon', '2026-11-27T09:00:00Z', '2026-11-27T09:00:00Z', 'gone soon')"
as boss potential set GONE-1 Packaging 1000
as boss potential set GONE-1 Packaging 2000
DB=qpc sql boss "SELECT count(*) FROM qpc.qpc_fact f JOIN qpc.account a ON a.id = f.account_id WHERE a.external_id = 'GONE-1'"
check "(an account with a QPC line and two facts of it)" '[ "$(cat "$T/out")" = 2 ]'
DB=qpc sql boss "DELETE FROM qpc.account WHERE external_id = 'GONE-1'"
check "an admin deletes an account through psql: its QPC line and facts go with it" \
	'[ $status = 0 ] || { cat "$T/err"; false; }'
DB=qpc sql boss "SELECT (SELECT count(*) FROM qpc.potential p LEFT JOIN qpc.account a ON a.id = p.account_id WHERE a.id IS NULL) + (SELECT count(*) FROM qpc.qpc_fact f LEFT JOIN qpc.account a ON a.id = f.account_id WHERE a.id IS NULL)"
check "... nothing of it left" '[ "$(cat "$T/out")" = 0 ]'
as boss export potential
check "... and qpc reads on without it" '[ $status = 0 ] && ! out_has "GONE-1" && out_has "Packaging"'
# Version 6 compared the external ids and sales lines' keys in the
# server's locale: its uniqueness took strcoll() a comparison to build.
as boss export accounts --raw
cp "$T/out" "$T/v6-before.csv"
DB=qpc sql boss "SET ROLE qpc_admin;
	ALTER TABLE qpc.account ALTER COLUMN external_id TYPE text COLLATE \"default\";
	ALTER TABLE qpc.sale ALTER COLUMN source_key TYPE text COLLATE \"default\";
	UPDATE qpc.meta SET value = '6' WHERE key = 'schema_version'"
check "(a version 6 server, its keys in the server's locale)" '! byte_keys'
run --db "$(url boss)" init
check "a version 6 server: migrated to 7" \
	'[ $status = 0 ] && out_has "migrated the team server'"'"'s schema from version 6 to 7"'
check "... its external ids and sales lines' keys now compare as bytes, still unique" 'byte_keys'
as boss export accounts --raw
check "... and every account reads as before" '[ $status = 0 ] && cmp -s "$T/out" "$T/v6-before.csv"'
as boss import accounts "$T/v6-before.csv"
check "... and each found again by its external id: none new" \
	'[ $status = 0 ] && out_has "300 rows read: 0 created"'

# --- import: the same rows on a file and on a server -----------------------
# A fresh database on the second cluster and a fresh file: each import
# says the same on both (its timing aside) and leaves the same accounts,
# figures and history.  Into an empty account table the server's rows
# stream in with COPY, its indexes set aside and built at the end; into a
# full one each row is looked up, as on a file.
I=$here/../fixtures/import
fresh_pair() {
	psql -X -q "host=$D port=$PORT dbname=postgres user=postgres" \
		-c 'DROP DATABASE qpc' -c 'CREATE DATABASE qpc OWNER boss' >/dev/null 2>&1
	"$QPC" --db "$(url boss)" init >/dev/null 2>&1 || echo "# the server's init failed"
	rm -f "$T/imp.db" "$T/imp.db-wal" "$T/imp.db-shm"
	QPC_USER=boss "$QPC" --db "$T/imp.db" init >/dev/null 2>&1
}
same_import() { # LABEL ARGS...: qpc ARGS as boss on the file and on the server
	label=$1
	shift
	QPC_USER=boss "$QPC" --db "$T/imp.db" "$@" >"$T/file.raw" 2>&1
	fstatus=$?
	"$QPC" --db "$(url boss)" "$@" >"$T/server.raw" 2>&1
	status=$?
	sed -E 's/ in [0-9.]+ s/ in X s/' "$T/file.raw" >"$T/file.all"
	sed -E 's/ in [0-9.]+ s/ in X s/' "$T/server.raw" >"$T/server.all"
	check "$label: the same on a file and on the server ($fstatus)" \
		'[ $fstatus = $status ] && { [ -s "$T/file.all" ] || [ "${EMPTY_OK:-}" = 1 ]; } && cmp -s "$T/server.all" "$T/file.all" || { diff "$T/server.all" "$T/file.all" | head -20; false; }'
}
same_state() { # LABEL: what the imports left, compared
	same_import "$1: the accounts" export accounts --raw
	same_import "$1: the report" report --format json
	EMPTY_OK=1
	same_import "$1: the history" history
	EMPTY_OK=
}
indexes() { DB=qpc sql boss "SELECT string_agg(indexname, ' ' ORDER BY indexname) FROM pg_indexes WHERE schemaname = 'qpc' AND tablename = 'account'"; }
# notes_on LABEL: every trigger that tells the dashboards of a change is
# on (an import turns those of its tables off for its transaction); how
# many are on, how many off
notes_on() {
	DB=qpc sql boss "SELECT count(*) FILTER (WHERE t.tgenabled = 'O') || ' ' ||
		count(*) FILTER (WHERE t.tgenabled <> 'O') FROM pg_trigger t
		JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace s ON s.oid = c.relnamespace
		WHERE s.nspname = 'qpc' AND t.tgname = 'changed'"
	check "$1: the triggers that tell the dashboards of changes are on" \
		'[ $status = 0 ] && grep -Eq "^[1-9][0-9]* 0$" "$T/out" || { cat "$T/out" "$T/err"; false; }'
}

fresh_pair
check "a new server's external ids and sales lines' keys compare as bytes" 'byte_keys'
indexes
n_indexes=$(cat "$T/out")
for f in accounts_week1 accounts_week2 accounts_week1 hubspot_companies sf_api_accounts zoho_accounts \
	odoo_partners pipedrive_organizations dynamics_accounts sf_report_accounts sf_dataloader_accounts \
	plain_ids quoted accounts_bad num_absurd enc_cp1252 enc_utf16le_bom custom_headers; do
	same_import "import accounts $f.csv" import accounts "$I/$f.csv"
done
for f in sales_won erp_orders odoo_orders hubspot_deals sf_opportunities zoho_deals pipedrive_deals \
	dynamics_opportunities sales_won; do
	same_import "import sales $f.csv" import sales "$I/$f.csv"
done
same_import "import potential potential.csv" import potential "$I/potential.csv"
same_import "import potential potential.csv, again" import potential "$I/potential.csv"
same_state "after eighteen account files, nine sales files and QPC lines"
notes_on "... and after them"

# Into an empty table: the first file streams.  Keys a file repeats (the
# later row wins), tabs, backslashes, line breaks and "\N" in fields,
# rows without an id that a later keyed row adopts by name.
printf 'Account ID,Account Name,Notes,City\nX1,"Tab\there","back\\slash \\N","two\nlines\r\nhere"\nX2,Plain,\\N,\nX1,"Tab\there again",,\nX3,"Ünïcødé 名前",x,y\n' >"$T/esc.csv"
printf 'Account Name,City\nNoId One,Paris\nNoId Two,Lyon\n' >"$T/noid.csv"
printf 'Account ID,Account Name,City\nK1,NoId One,Nice\nK2,Other,Rome\nK2,Other,Roma\n' >"$T/adopt.csv"
# Notes longer than COPY's block (64 KiB), and notes that end a block
# half-way: escapes at every distance from its end.
awk 'BEGIN { print "Account ID,Account Name,Notes"; p = "ab\\cd\tef"
	for (i = 1; i <= 60; i++) { n = (i * 7919) % 70000; s = p
		while (length(s) < n) s = s s
		printf "L%d,Long %d,\"%s\"\n", i, i, substr(s, 1, n) } }' >"$T/long.csv"
for first in num_absurd.csv esc.csv noid.csv adopt.csv long.csv sf_dataloader_accounts.csv; do
	fresh_pair
	case $first in *_*) path=$I/$first ;; *) path=$T/$first ;; esac
	same_import "into an empty table: $first" import accounts "$path"
	same_import "... then accounts_week1.csv" import accounts "$I/accounts_week1.csv"
	[ "$first" = noid.csv ] && same_import "... then adopt.csv" import accounts "$T/adopt.csv"
	if [ "$first" = long.csv ]; then # notes are in no export: read on the server
		DB=qpc sql boss "SELECT count(*) FILTER (WHERE notes IN (w, rtrim(w, E'\\t')))
			FROM (SELECT notes, left(repeat(E'ab\\\\cd\\tef', 9000),
			CAST(substr(external_id, 2) AS int) * 7919 % 70000) AS w FROM qpc.account) a"
		check "... every long note whole on the server" '[ "$(cat "$T/out")" = 60 ]'
	fi
	same_state "... $first"
done
indexes
check "... the accounts' indexes are all back after a load into an empty table" \
	'[ "$(cat "$T/out")" = "$n_indexes" ] &&
	 [ "$n_indexes" = "account_external_id_key account_name_key account_pkey" ]'
# an import into a table that holds accounts, each row a statement of its
# own: a listening dashboard is told once, at its commit, to read them all
heard_while as boss import accounts "$I/accounts_week2.csv"
check "an import: a listening dashboard is told once to read every account" \
	'[ $status = 0 ] && [ "$(grep -c "payload \"\*\"" "$T/heard")" = 1 ] &&
	 ! grep "payload" "$T/heard" | grep -v -e "payload \"\*\"" -e "payload \"\"" ||
	 { cat "$T/heard"; false; }'
notes_on "... after it"
# and a change after the import is told by its account again, as before
heard_while as boss potential set A1 Tools 900
DB=qpc sql boss "SELECT id FROM qpc.account WHERE external_id = 'A1'"
check "... a QPC line set after it: the dashboard is told which account it changed" \
	'[ -s "$T/out" ] && grep -q "payload \"$(cat "$T/out")\"" "$T/heard" &&
	 ! grep "payload" "$T/heard" | grep -v -e "payload \"$(cat "$T/out")\"" -e "payload \"\"" ||
	 { cat "$T/heard"; false; }'
fresh_pair
same_import "a bad file into an empty table" import accounts "$I/accounts_bad.csv"
indexes
check "... nothing imported, and the indexes it set aside are there again" \
	'[ "$(cat "$T/out")" = "$n_indexes" ]'
notes_on "... rolled back"
DB=qpc sql boss "SELECT count(*) FROM qpc.account"
check "... no account" '[ "$(cat "$T/out")" = 0 ]'
# The demo's accounts with their contracts and CRM figures: the facts a
# streamed row brings are written at the end, as a file writes them.
QPC_USER=boss "$QPC" --db "$T/demo.db" export accounts -o "$T/demo-accounts.csv" >/dev/null 2>&1
fresh_pair
same_import "the demo's 300 accounts, with contracts and CRM figures" import accounts "$T/demo-accounts.csv"
same_state "... the demo's accounts"
same_import "... the same file again: every row unchanged" import accounts "$T/demo-accounts.csv"
check "... and said so" 'grep -q "0 created, 0 updated, 300 unchanged" "$T/server.all"'
same_import "... trend" trend --months 6

# An import finding another change to the accounts under way waits for
# it, says so (after a second and a half: the server's own upkeep gives
# way sooner, unsaid), and then sees what it committed: here a first
# account in an empty table, which the import must update, not stream
# again.
until_held() { # WHERE: till pg_locks has a granted lock that matches (5 s at most)
	k=0
	until DB=qpc sql postgres "SELECT count(*) FROM pg_locks WHERE granted AND $1" &&
		[ "$(cat "$T/out")" -gt 0 ] || [ $k -gt 100 ]; do
		k=$((k + 1))
		sleep 0.05
	done
}
hold() { # SECONDS [SQL]: holds the accounts (or $HOLD) as a writer would, that long
	psql -X -q "host=$D port=$PORT dbname=qpc user=boss" -c "BEGIN" \
		-c "LOCK TABLE qpc.${HOLD:-account} IN SHARE ROW EXCLUSIVE MODE" ${2:+-c "$2"} \
		-c "SELECT pg_sleep($1)" -c "COMMIT" >/dev/null 2>&1 &
	holder=$!
	until_held "relation = 'qpc.${HOLD:-account}'::regclass AND mode = 'ShareRowExclusiveLock'"
}
fresh_pair
hold 3 "INSERT INTO qpc.account (external_id, name, created_at, updated_at, name_key) VALUES ('A1', 'Acme', 'x', 'x', 'x')"
as boss import accounts "$I/accounts_week1.csv"
wait $holder
check "an import waits for another change to the accounts, says so, and sees it" \
	'[ $status = 0 ] && err_has "another import or change to the accounts is under way on the team server; waiting for it" && out_has "3 rows read: 2 created, 1 updated"'
hold 0.3
as boss import accounts "$I/accounts_week1.csv"
wait $holder
check "... a hold of a moment: waited for, unsaid" \
	'[ $status = 0 ] && ! err_has "waiting" && out_has "3 rows read: 0 created, 0 updated, 3 unchanged"'

# So does a manager's change beside an import (which holds the QPC lines
# too): after a second it says it waits, and then goes through.
HOLD=potential hold 3
as boss potential set A1 Tools 5000
wait $holder
check "a QPC line saved beside an import says it waits, then is saved" \
	'[ $status = 0 ] && err_has "another import or change is under way on the team server; waiting for it" && out_has "Saved: QPC 5,000"'
as boss export potential
check "... and is there" 'out_has "A1,Acme,Tools,5000.00,"'
HOLD=potential hold 0.3
as boss potential set A1 Tools 6000
wait $holder
check "... a hold of a moment: waited for, unsaid" \
	'[ $status = 0 ] && ! err_has "waiting" && out_has "Saved: QPC 6,000"'

# A new category named at once by a sales import and by a QPC line: the
# line waits for the import, which holds the QPC lines, before it adds
# the name, and then finds the import's.  Had it added the name first,
# each would wait for the other, and the server would roll one back.
# A hold on the categories stops both where they add it, the import
# first; it ends once both wait.
waiting() { # N: till N requests for a lock wait on the server (5 s at most)
	k=0
	until DB=qpc sql postgres "SELECT count(*) FROM pg_locks WHERE NOT granted" &&
		[ "$(cat "$T/out")" = "$1" ] || [ $k -gt 100 ]; do
		k=$((k + 1))
		sleep 0.05
	done
}
printf 'external_id,name,date,category,amount,gross_profit,line_id\nA1,Acme,2026-10-02,Drills,50.00,,D1\n' >"$T/drills.csv"
HOLD=category hold 60
"$QPC" --db "$(url boss)" import sales "$T/drills.csv" >"$T/imp.out" 2>"$T/imp.err" &
importer=$!
waiting 1
"$QPC" --db "$(url boss)" potential set A1 drills 7000 >"$T/pot.out" 2>"$T/pot.err" &
writer=$!
waiting 2
DB=qpc sql postgres "SELECT pg_terminate_backend(l.pid) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'category' AND l.mode = 'ShareRowExclusiveLock' AND l.granted"
wait $importer
imported=$?
wait $writer
written=$?
wait $holder
check "a new category named by an import and a QPC line at once: both go through" \
	'[ $imported = 0 ] && [ $written = 0 ] || { cat "$T/imp.err" "$T/pot.err"; false; }'
as boss export potential
check "... the line is there, under the import's category" 'out_has "A1,Acme,Drills,7000.00,"'
DB=qpc sql boss "SELECT count(*) FROM qpc.category WHERE lower(name) = 'drills'"
check "... one category of that name" '[ "$(cat "$T/out")" = 1 ]'

# What a load keeps of the rows' accounts and categories never makes a
# server say otherwise than a file: a category named in another case is
# the same one; a name an account made later shares is ambiguous.
fresh_pair
printf 'external_id,name,date,category,amount,gross_profit,line_id\nE1,Acme,2026-01-02,Tools,5.00,,L1\nE1,Acme,2026-01-03,tools,6.00,,L2\n' >"$T/case.csv"
same_import "a category in another case is the same one" import sales "$T/case.csv"
same_import "... its lines" export sales --raw
printf 'external_id,name,date,category,amount,gross_profit,line_id\n,Acme,2026-02-02,Tools,5.00,,M1\nE2,Acme,2026-02-03,Tools,6.00,,M2\n,Acme,2026-02-04,Tools,7.00,,M3\n' >"$T/shared.csv"
same_import "a name two accounts come to share is ambiguous, as on a file" import sales "$T/shared.csv"
check "... and said so" '[ $status = 1 ] && grep -q "several accounts are named" "$T/server.all"'
same_import "... nothing imported" export sales --raw

# Into an empty sales table the lines wait in a file and go to the server
# in one COPY at the end, keyed as row by row: the n-th line with the
# same content (or line id) is its n-th occurrence, a line id that reads
# as another's second one is refused, and the same file again finds every
# line.
printf 'Line ID,Date,Customer,Amount\nA,2026-01-02,C1,5\nA,2026-01-03,C1,6\nA#2,2026-01-04,C1,7\n' >"$T/dupkey.csv"
printf 'external_id,name,date,category,amount,gross_profit,line_id\nC1,C1,2026-01-02,,5.00,,A\nC1,C1,2026-01-03,,6.00,,A\nC1,C1,2026-01-04,,7.00,,B\nC2,C2,2026-01-05,Tools,8.00,1.00,A\n' >"$T/verbatim.csv"
printf 'external_id,name,date,category,amount,gross_profit,line_id\nC1,C1,2026-01-02,,5.00,,A\nC1,C1,2026-01-03,,6.00,,A\nC1,C1,2026-01-04,,7.00,,A#2\n' >"$T/collide.csv"
QPC_USER=boss "$QPC" --db "$T/demo.db" export sales -o "$T/demo-sales.csv" >/dev/null 2>&1
for f in dupkey.csv verbatim.csv collide.csv demo-sales.csv; do
	fresh_pair
	same_import "sales into an empty table: $f" import sales "$T/$f"
	same_import "... its lines" export sales --raw
	same_import "... again" import sales "$T/$f"
done
check "... the demo's lines again: every one found unchanged" \
	'grep -q "0 created, 0 updated, [0-9]* unchanged, 0 rejected" "$T/server.all" || cat "$T/server.all"'

# Into a sales table that holds lines, every line waits too, and at the
# end is merged with them in one go: new, unchanged, or an update of what
# came before it (the stored line, or the file's earlier line with the
# same key), as row by row.  On the demo's lines (left by the loop
# above), the first 20,000 of them with amounts, categories, profits and
# customers changed, customers new to the server, lines added, repeated
# and taken away; a dry run of other changes, which says the same and
# writes nothing (it makes no account: a server's rolled-back account
# still uses up an id, and a line without an id of its own is keyed by
# its account's); a line id met four times; the A/A/A#2 case, which row
# by row updates; and a customer's only line moved to another, which
# leaves the first a prospect again.
variant() { # AWK-CONDITION: the demo's lines, changed
	awk -F, -v OFS=, 'NR == 1 { print; next }
		NR % 97 == 0 { next }
		NR % 7 == 0 { $5 = sprintf("%.2f", $5 + 1) }
		NR % 11 == 0 { $4 = "Tools" }
		NR % 13 == 0 { $6 = "" }
		NR % 17 == 0 { $1 = "ACC-00001"; $2 = "x" }
		'"$1"'
		NR % 23 == 0 { $7 = "" }
		{ print }
		NR % 29 == 0 { print }' "$T/demo-head.csv"
}
head -n 20001 "$T/demo-sales.csv" >"$T/demo-head.csv"
variant 'NR % 19 == 0 { $1 = "NEW-" NR; $2 = "New customer " NR }' >"$T/demo-sales-2.csv"
echo "NEW-Z,Zed,2026-11-02,Tools,5.00,,extra-1" >>"$T/demo-sales-2.csv"
variant 'NR % 5 == 0 { $5 = sprintf("%.2f", $5 + 2) }' >"$T/demo-sales-3.csv"
printf 'external_id,name,date,category,amount,gross_profit,line_id\nC1,C1,2026-01-02,,5.00,,K\nC1,C1,2026-01-02,,6.00,,K\nC2,C2,2026-01-02,,5.00,,K\nC1,C1,2026-01-02,,5.00,,K\n' >"$T/four.csv"
printf 'external_id,name,date,category,amount,gross_profit,line_id\nM1,Mover,2026-10-02,,500.00,,MV\n' >"$T/moved1.csv"
printf 'external_id,name,date,category,amount,gross_profit,line_id\nM2,Other,2026-10-02,,500.00,,MV\n' >"$T/moved2.csv"
same_import "merged: the demo's lines changed, added, repeated and taken away" \
	import sales "$T/demo-sales-2.csv"
check "... which found lines of each kind" \
	'grep -Eq "[1-9][0-9]* created, [1-9][0-9]* updated, [1-9][0-9]* unchanged" "$T/server.all"'
same_import "... their lines" export sales --raw
same_state "... merged"
same_import "... merged: trend" trend --months 12
same_import "... other changes, a dry run" import sales "$T/demo-sales-3.csv" --dry-run
check "... which found lines of each kind" \
	'grep -Eq "[1-9][0-9]* created, [1-9][0-9]* updated, [1-9][0-9]* unchanged" "$T/server.all"'
same_import "... and wrote nothing" export sales --raw
notes_on "... a dry run"
same_import "... the same file again: every line unchanged" import sales "$T/demo-sales-2.csv"
check "... and said so" 'grep -q " 0 created, 0 updated, [0-9]* unchanged" "$T/server.all"'
same_import "... the demo's lines again" import sales "$T/demo-head.csv"
same_import "... their lines" export sales --raw
same_state "... back to the demo's"
# 1,500 customers, new and then known: past 1,024 the load reads every
# account's id at once, and names each from memory
payers() { # CENTS: two lines each of 1,500 customers
	awk -v c="$1" 'BEGIN { print "external_id,name,date,category,amount,gross_profit,line_id"
		for (i = 1; i <= 3000; i++)
			printf "P%04d,Payer %04d,2026-%02d-%02d,Tools,%d.%02d,,\n", i % 1500 + 1,
				i % 1500 + 1, i % 9 + 1, i % 27 + 1, i, (i % 5 == 0) * c }'
}
payers 0 >"$T/payers1.csv"
payers 50 >"$T/payers2.csv"
for f in dupkey.csv verbatim.csv four.csv collide.csv four.csv moved1.csv moved2.csv payers1.csv \
	payers2.csv; do
	same_import "merged: $f" import sales "$T/$f"
done
same_import "... their lines" export sales --raw
same_state "... after them"
same_import "... trend" trend --months 3

# A sales file naming customers a server holding accounts does not have:
# past 1,024 of them the load reads every account's external id, and then
# one it does not know is new for sure and streams in by COPY, as into an
# empty table, rather than a row each.  Not while an account without an
# id is there, or is made by an id-less line: a line's name may find it.
# The server logs the statements, to see which way each load went.
log_from=0
logging() { # on|off: every statement of boss's in the server's log
	if [ "$1" = on ]; then
		psql -X -q "host=$D port=$PORT dbname=postgres user=postgres" \
			-c "ALTER ROLE boss IN DATABASE qpc SET log_statement = 'all'" >/dev/null
		log_from=$(wc -l <"$D/server.log")
	else
		psql -X -q "host=$D port=$PORT dbname=postgres user=postgres" \
			-c "ALTER ROLE boss IN DATABASE qpc RESET log_statement" >/dev/null
	fi
}
logged() { # PATTERN: how many of the statements logged since logging on match
	tail -n +"$((log_from + 1))" "$D/server.log" | grep -cE "(statement|execute [^:]*): $1"
}
# The files, each payers1.csv's lines with one more: known.csv names an
# account of the server's (A1) once every id is known, which must be
# found, not streamed again; unkeyed.csv first names a customer by its
# name alone, late.csv does so once every id is known, and a later line
# names that customer by an id and the same name.
{ cat "$T/payers1.csv"; echo "A1,Acme,2026-03-04,Tools,9.00,,K1"; } >"$T/known.csv"
{ head -n 1 "$T/payers1.csv"; echo ",Payer 1499,2026-02-03,Tools,7.00,,U1"
  tail -n +2 "$T/payers1.csv"; } >"$T/unkeyed.csv"
awk 'NR == 1201 { print ",Payer 1499,2026-02-03,Tools,7.00,,U2" } { print }' \
	"$T/payers1.csv" >"$T/late.csv"
printf 'Name,Owner\nPayer 1499,alice\n' >"$T/idless.csv"
# CASE:ACCOUNTS-FILE:SALES-FILE, and how many accounts a row at a time
# (at least, fewer than) and by COPY
for case in known:-:known.csv:1000:1100:1 idless:idless.csv:payers1.csv:1499:3000:0 \
	unkeyed:-:unkeyed.csv:1499:3000:0 late:-:late.csv:1101:3000:1; do
	IFS=: read -r what accounts f least under copies <<EOF_CASE
$case
EOF_CASE
	fresh_pair
	same_import "sales naming new customers ($what): the accounts first" \
		import accounts "$I/accounts_week1.csv"
	[ "$accounts" = - ] || same_import "... and one without an id" import accounts "$T/$accounts"
	logging on
	same_import "... then $f's 1,500 customers" import sales "$T/$f"
	logging off
	copied=$(logged 'COPY account ') inserted=$(logged 'INSERT INTO account\(')
	check "... $least to $under made a row at a time, $copies COPY ($inserted, $copied)" \
		'[ "$copied" = "$copies" ] && [ "$inserted" -ge "$least" ] && [ "$inserted" -lt "$under" ]'
	same_import "... their lines" export sales --raw
	same_state "... after them ($what)"
done

fresh_pair
same_import "sales into an empty table: collide.csv" import sales "$T/collide.csv"
check "... a line id read as another's second occurrence: refused, nothing imported" \
	'[ $status = 1 ] && grep -q "have the same key once numbered" "$T/server.all"'
DB=qpc sql boss "SELECT count(*) FROM qpc.sale"
check "... no line" '[ "$(cat "$T/out")" = 0 ]'
DB=qpc sql boss "SELECT string_agg(conname, ',' ORDER BY conname) FROM pg_constraint WHERE conrelid = 'qpc.sale'::regclass"
check "... and the sales table's keys and checks are all back" \
	'[ "$(cat "$T/out")" = "sale_account_id_fkey,sale_category_id_fkey,sale_pkey,sale_source_key_key" ]'

# Into accounts that are there, the server reads the accounts a batch of
# rows names in one statement (qpc_ingest_expect), not one a row: ids its
# array syntax must quote, an id the file repeats across batches, an
# id-less row and a keyed one that find the same account in one batch
# (the later wins), new ids, and more rows than a batch.
{ echo 'Account ID,Account Name,City'
  printf '%s\n' '"Q""1",Quote One,a' 'B\2,Backslash,b' '"C,3",Comma,c' '{D4},Brace,d' 'NULL,Null Word,e' \
	'" sp 5 ",Space,f' 'Ü6,Unicode,g'
  awk 'BEGIN { for (i = 1; i <= 1500; i++) printf "B%d,Batch %d,Town %d\n", i, i, i }'; } >"$T/batch1.csv"
{ echo 'Account ID,Account Name,City'
  printf '%s\n' '"Q""1",Quote One,a2' 'B\2,Backslash,b' '"C,3",Comma,c2' '{D4},Brace,d' 'NULL,Null Word,e2' \
	'" sp 5 ",Space,f' 'Ü6,Unicode,g2' '"{E7}",New Brace,h' '"F""8\",New Quote,i'
  awk 'BEGIN { for (i = 1; i <= 1600; i++) if (i != 9) printf "B%d,Batch %d,%s %d\n", i, i,
	i % 7 ? "Town" : "Moved", i
	print "B5,Batch 5,Again"; print ",Batch 9,By name"; print "B9,Renamed 9,Keyed after" }'; } >"$T/batch2.csv"
fresh_pair
same_import "ids to quote, more rows than a batch: into an empty table" import accounts "$T/batch1.csv"
logging on
same_import "... then changed, into the accounts there" import accounts "$T/batch2.csv"
logging off
check "... read a batch at a time: $(logged 'SELECT id, external_id.* = ANY') statements, $(logged 'SELECT id, external_id.* external_id = \$1') a row" \
	'[ "$(logged "SELECT id, external_id.* = ANY")" -ge 4 ] && [ "$(logged "SELECT id, external_id.* external_id = \$1")" -le 10 ]'
check "... and said so" 'grep -q "1611 rows read: 102 created, 220 updated, 1287 unchanged, 0 rejected, 0 skipped, 2 replaced" "$T/server.all" || { cat "$T/server.all"; false; }'
same_state "... the batches"
same_import "... the same file again" import accounts "$T/batch2.csv"

# Changes take turns on the server, so that a crowd setting the same
# goal never keeps one of them losing: one that lost to another holds
# the turn for its next try, and the changes that come meanwhile wait
# for it before they begin.  Here a psql session holds the goal's row
# while qpc reads it: qpc loses, and runs again alone.
psql_bg() { # STATEMENT...: in one psql session, in the background
	for s in "$@"; do printf '%s;\n' "$s"; done |
		psql -X -q "host=$D port=$PORT dbname=qpc user=boss" >/dev/null 2>&1 &
	holder=$!
}
# last_goal: the last goal change and the goal, in $T/last (qpc's $T/err, status kept)
last_goal() { psql -X -q -A -t "host=$D port=$PORT dbname=qpc user=boss" >"$T/last" 2>&1 -c "SELECT (SELECT old || '>' || new FROM qpc.history WHERE entity = 'goal' ORDER BY id DESC LIMIT 1) || ' ' || (SELECT target FROM qpc.goal WHERE year = 2028)"; }
blocked() { # KIND: psql's statement that waits (5 s at most) till another waits for a lock of that kind
	echo "DO \$\$BEGIN FOR i IN 1..500 LOOP EXIT WHEN EXISTS (SELECT 1 FROM pg_locks
		WHERE NOT granted AND locktype = '$1'); PERFORM pg_sleep(0.01); END LOOP; END\$\$"
}
as boss goal set 2028 1
logging on
psql_bg "BEGIN" "UPDATE qpc.goal SET target = 2 WHERE year = 2028" "$(blocked transactionid)" "COMMIT"
until_held "locktype = 'transactionid' AND pid <> pg_backend_pid()"
as boss goal set 2028 3
logging off
wait $holder
last_goal
check "a change that loses to another runs again, alone (turns taken: $(logged '.*pg_advisory_lock\(7368804\)')), from the other's value" \
	'[ $status = 0 ] && [ ! -s "$T/err" ] && [ "$(logged ".*pg_advisory_lock\(7368804\)")" = 1 ] && [ "$(logged "SELECT pg_advisory_unlock\(7368804\)")" = 1 ] &&
	 [ "$(cat "$T/last")" = "2>3 3" ]'
# The turn held by another (psql, here): a goal set meanwhile waits for
# it, silent under a second, and starts from what was done in that turn.
psql_bg "SELECT pg_advisory_lock(7368804)" "$(blocked advisory)" \
	"UPDATE qpc.goal SET target = 4 WHERE year = 2028" "SELECT pg_advisory_unlock(7368804)"
until_held "locktype = 'advisory' AND objid = 7368804"
as boss goal set 2028 5
wait $holder
last_goal
check "... a change waits for another's turn, and starts from it" \
	'[ $status = 0 ] && [ ! -s "$T/err" ] && [ "$(cat "$T/last")" = "4>5 5" ]'
# Past a second it says so, and goes on without its turn.
psql_bg "SELECT pg_advisory_lock(7368804)" "SELECT pg_sleep(4)" "SELECT pg_advisory_unlock(7368804)"
until_held "locktype = 'advisory' AND objid = 7368804"
as boss goal set 2028 6
wait $holder
last_goal
check "... a turn held past a second: said, and the change goes through" \
	'[ $status = 0 ] && err_has "another import or change is under way on the team server; waiting for it" &&
	 [ "$(grep -c . "$T/err")" = 1 ] && [ "$(cat "$T/last")" = "5>6 6" ] || { sed "s/^/# /" "$T/err"; false; }'

D=$D1 PORT=$PORT1

# Importing is an admin's: said before a row is read, nothing written.
DB=qpc sql boss "SELECT count(*) FROM qpc.account"
before=$(cat "$T/out")
for who in ana max; do
	as $who import accounts "$I/accounts_week1.csv"
	check "$who may not import: one sentence" \
		'[ $status = 1 ] && err_has "importing is not for a" && err_has "(login $who): an admin imports" && [ "$(grep -c . "$T/err")" = 1 ]'
done
DB=qpc sql boss "SELECT count(*) FROM qpc.account"
check "... and no account was added" '[ "$(cat "$T/out")" = "$before" ]'
sql max "COPY qpc.account (name, created_at, updated_at) FROM PROGRAM 'echo N'"
check "... nor through psql: a manager's COPY is refused" '[ $status != 0 ]'

DB=qpc sql ana "SELECT count(*) FROM qpc.account"
check "a rep reads every account" '[ $status = 0 ] && [ "$(cat "$T/out")" = 2 ]'
DB=qpc sql dave "SELECT count(*) FROM qpc.account"
check "a login without a role reads nothing" '[ $status != 0 ] && err_has "permission denied"'

# --- a read-only standby ---------------------------------------------------
# A streaming replica of the server answers what only reads, as the
# primary does; a change, or the dashboard, says in one sentence that it
# belongs on the primary, and nothing is written.
if QPC_PG_PORT=$((PORT + 2)) sh "$here/cluster.sh" standby "$T/standby" "$D" "$PORT" \
	>"$T/swhere" 2>"$T/err"; then
	replica="postgresql:///qpc?host=$T/standby&port=$((PORT + 2))&user="
	as boss report --format json
	cp "$T/out" "$T/primary.json"
	for who in boss ana; do
		run --db "${replica}$who" report --format json
		check "a standby: $who's report is the primary's" \
			'[ $status = 0 ] && cmp -s "$T/out" "$T/primary.json"'
	done
	as boss export accounts
	cp "$T/out" "$T/primary.csv"
	run --db "${replica}boss" export accounts
	check "... and so is its export" '[ $status = 0 ] && cmp -s "$T/out" "$T/primary.csv"'
	run --db "${replica}boss" history
	check "... and its history reads" '[ $status = 0 ] && [ -s "$T/out" ]'
	as boss potential estimate --all --dry-run
	cp "$T/out" "$T/primary.txt"
	run --db "${replica}boss" potential estimate --all --dry-run
	check "... and so is an estimate's dry run, which changes nothing" \
		'[ $status = 0 ] && [ -s "$T/out" ] && cmp -s "$T/out" "$T/primary.txt"'
	for change in "potential set A1 Tools 700" "user add zed --role rep" "import accounts $I/accounts_week1.csv"; do
		# shellcheck disable=SC2086 # the words of the command
		run --db "${replica}boss" $change
		check "a standby: ${change%% [A-Z/]*} is refused in one sentence, naming the primary" \
			'[ $status = 1 ] && err_has "read-only standby" && err_has "primary" && [ "$(grep -c . "$T/err")" = 1 ]'
	done
	script -q -e -c "QPC_NOW=$QPC_NOW $QPC --db '${replica}boss' tui" /dev/null </dev/null >"$T/tui.out" 2>&1
	status=$?
	check "... and so is the dashboard, naming what reads there" \
		'[ $status = 1 ] && grep -q "the dashboard opens on the team server.s primary" "$T/tui.out" && grep -q "report, trend, history and export read" "$T/tui.out"'
	as boss report --format json
	check "... and the primary is as it was" '[ $status = 0 ] && cmp -s "$T/out" "$T/primary.json"'
	sh "$here/cluster.sh" stop "$T/standby"
else
	check "a standby of the server (pg_basebackup): $(head -n 1 "$T/err")" false
fi

echo "# pg: passed=$passed failed=$failed"
[ "$failed" = 0 ]
