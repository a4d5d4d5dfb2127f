# part_names.sh — names sort as a dictionary orders them (sourced by
# run.sh): case and accents left out first, so Ålesund, Łódź and Ōsaka
# come among the A, L and O, not after Z; in every list, and in a file
# migrated from the schema that sorted by ASCII alone.  Names with one key
# (apple, Apple) come in the order they were made.

N=$T/names
mkdir -p "$N"
export QPC_NOW=2026-11-30
printf '%s\n' "External ID,Name,Owner,Segment" "Z1,Zeta Foods,Øyvind,Retail" \
	"A1,Ålesund Fisk,ana,Åkerbruk" "L1,Łódź Metal,Øyvind,Retail" "L2,Lyon Textiles,ana,Retail" \
	"O1,Ōsaka Trading,bob,Åkerbruk" "O2,Oslo Tre,bob,Retail" "A2,apple Works,ana,Retail" \
	"A3,Apple Works,ana,Retail" >"$N/acc.csv"
qpc --db "$N/n.db" init >/dev/null 2>&1
qpc --db "$N/n.db" import accounts "$N/acc.csv" >/dev/null 2>&1
WANT="Ålesund Fisk|apple Works|Apple Works|Łódź Metal|Lyon Textiles|Ōsaka Trading|Oslo Tre|Zeta Foods|"
names_of() { tr -d '\r' <"$T/out" | sed 1d | cut -d, -f"$1" | tr '\n' '|'; }
run --db "$N/n.db" export accounts
check "export accounts: accented names among their letters, not after Z" \
	'[ $status = 0 ] && [ "$(names_of 2)" = "$WANT" ]'
for a in A1 L1 O1 Z1; do qpc --db "$N/n.db" potential set "$a" Fish 1000 >/dev/null 2>&1; done
run --db "$N/n.db" export potential
check "export potential: by the accounts' names, in the same order" \
	'[ $status = 0 ] && [ "$(names_of 2)" = "Ålesund Fisk|Łódź Metal|Ōsaka Trading|Zeta Foods|" ]'
run --db "$N/n.db" potential set "Łódź Metal" Wood 500
check "an accented name finds its account" '[ $status = 0 ]'
run --db "$N/n.db" potential set "łódź metal" Wood 500
check "a name in other case is not the account's name: refused, nothing created" \
	'[ $status != 0 ] && err_has "no account" && [ "$(dbq "$N/n.db" "SELECT count(*) FROM account")" = 8 ]'

# The schema before kept no key: migrated, the order is the dictionary's,
# and the sqlite3 shell still writes the file (the key is plain data).
if on_file; then # a file of an older schema
cp "$N/n.db" "$N/v14.db"
sqlite3 "$N/v14.db" "ALTER TABLE template_step DROP COLUMN rule;
	DROP INDEX account_by_name; ALTER TABLE account DROP COLUMN name_key;
	CREATE INDEX account_by_name ON account(name COLLATE NOCASE, id, owner);
	PRAGMA user_version = 14;"
run --db "$N/v14.db" export accounts
check "schema 14 migrated: names in the dictionary's order" \
	'[ $status = 0 ] && err_has "from schema version 14" && [ "$(names_of 2)" = "$WANT" ]'
check "schema 14 migrated: the sqlite3 shell still writes and checks the file" \
	'sqlite3 "$N/v14.db" "INSERT INTO account(external_id, name, created_at, updated_at) VALUES ('"'"'S1'"'"', '"'"'Shell'"'"', '"'"'x'"'"', '"'"'x'"'"'); PRAGMA integrity_check" | grep -qx ok'
fi
