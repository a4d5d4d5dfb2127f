#!/bin/sh
# test_qpc_server.sh — the dashboard on a team server: the same screens as
# on a file of the same data, another user's commit shown within a
# second, and a role's limits said in a sentence.  A throwaway cluster
# (tests/pg/cluster.sh) serves it, stopped however the tests end.
. "$(dirname "$0")/qpc_lib.sh"

PG=$(mktemp -d "${TMPDIR:-/tmp}/qpc-tui-pg.XXXXXX") || tui_fail "no folder for the cluster"
chmod 755 "$PG" # the server, not root, makes its folder inside
trap '_tui_cleanup; sh "$(dirname "$0")/../pg/cluster.sh" stop "$PG/c" 2>/dev/null; rm -rf "$PG"' EXIT
unset PGHOST PGPORT PGUSER PGDATABASE PGPASSWORD PGSERVICE PGSERVICEFILE
export PGPASSFILE="$PG/no-pgpass"
QPC_PG_PORT=54361 sh "$(dirname "$0")/../pg/cluster.sh" start "$PG/c" >/dev/null ||
	tui_fail "the cluster did not start"
url() { # LOGIN: the demo database's address as that login
	echo "postgresql:///demo?host=$PG/c&port=54361&user=$1"
}
# the file's demo, made again on the server by its first admin, tester
# (qpc_lib.sh's QPC_USER): the same accounts, figures and history
psql -X -q "host=$PG/c port=54361 dbname=postgres user=postgres" \
	-c "CREATE ROLE tester LOGIN CREATEROLE" -c "CREATE DATABASE demo OWNER tester" ||
	tui_fail "cannot make the demo's database"
SERVER=$(url tester)
"$QPC" --db "$SERVER" init --demo --accounts 400 >"$TUI_DIR/pg-init.out" 2>&1 || {
	cat "$TUI_DIR/pg-init.out" >&2
	tui_fail "cannot create the demo on the server"
}

# on_both KEYS...: the screen after KEYS on the file, once it holds
# still, and then on the server, once it is the file's (or after
# TUI_TIMEOUT seconds, the server's last), in $TUI_DIR/file.screen and
# server.screen.
on_both() {
	DB=$DEMO
	qpc_start 110 30 xterm
	[ $# -eq 0 ] || tui_keys "$@"
	held_still >"$TUI_DIR/file.screen"
	DB=$SERVER
	qpc_start 110 30 xterm
	[ $# -eq 0 ] || tui_keys "$@"
	_tries=$((TUI_TIMEOUT * 20))
	# (in the same form: the screen's trailing blank rows cut)
	while _now=$(tui_screen) && printf '%s\n' "$_now" >"$TUI_DIR/server.screen" &&
		! cmp -s "$TUI_DIR/file.screen" "$TUI_DIR/server.screen" && [ $_tries -gt 0 ]; do
		_tries=$((_tries - 1))
		sleep 0.05
	done
	tui_stop
	unset DB
}

# held_still: prints the screen once it has stayed the same for half a
# second (or after TUI_TIMEOUT seconds)
held_still() {
	_was= _same=0 _tries=$((TUI_TIMEOUT * 10))
	while _now=$(tui_screen) && [ $_same -lt 5 ] && [ $_tries -gt 0 ]; do
		if [ "$_now" = "$_was" ]; then _same=$((_same + 1)); else _same=0; fi
		_was=$_now _tries=$((_tries - 1))
		sleep 0.1
	done
	printf '%s\n' "$_now"
}

same_screens() { # WHAT
	if ! cmp -s "$TUI_DIR/file.screen" "$TUI_DIR/server.screen"; then
		diff "$TUI_DIR/file.screen" "$TUI_DIR/server.screen" >&2
		tui_fail "$1: the server's screen differs from the file's"
	fi
}

test_the_accounts_the_same_on_a_server_in_every_order() {
	on_both 2
	grep -q "Accounts: 400" "$TUI_DIR/server.screen" || tui_fail "no accounts on the server"
	same_screens "untapped, largest first"
	on_both 2 s g # status, partners first
	same_screens "by status"
	on_both 2 s s s s g # name, A to Z
	same_screens "by name"
	on_both 2 G # the last page
	same_screens "the last page"
	on_both 2 S g PageDown PageDown j
	same_screens "paged down, by age"
}

test_search_and_filters_the_same_on_a_server() {
	on_both 2 / o r Enter
	grep -q "4/400 .*/or" "$TUI_DIR/server.screen" || tui_fail "no search on the server"
	same_screens "a search"
	on_both 2 / o r Enter n n
	same_screens "the third match"
	on_both 2 / "CAFÉ LUMI" Enter
	grep -q "/CAFÉ LUMI: 10 matches" "$TUI_DIR/server.screen" ||
		tui_fail "the search not folded on the server: $(tail -2 "$TUI_DIR/server.screen")"
	same_screens "a search in other case and accents"
	on_both 2 t
	same_screens "partners only"
	on_both 2 a x
	same_screens "QPC stale or missing"
}

test_an_account_page_the_same_on_a_server() {
	on_both 2 j j Enter
	grep -q "QPC by category" "$TUI_DIR/server.screen" || tui_fail "no account page on the server"
	same_screens "an account's page"
}

test_another_users_commit_shows_within_a_second() {
	DB=$SERVER
	qpc_start 110 30 xterm
	tui_keys 2
	tui_wait_for "Accounts: 400"
	name=$(qpc_row 1 | cut -c1-32 | sed 's/ *$//')
	"$QPC" --db "$SERVER" potential set "$name" "Live category" 987654 >/dev/null ||
		tui_fail "the change from the command line failed"
	t0=$(date +%s%N)
	# its QPC now, as the export says it, in the table's words
	qpc=$("$QPC" --db "$SERVER" export accounts --raw |
		awk -F, -v n="$name" '$2 == n { q = int($7); s = "";
			while (q >= 1000) { s = sprintf(",%03d", q % 1000) s; q = int(q / 1000) }
			print q s }')
	[ -n "$qpc" ] || tui_fail "no QPC exported for $name"
	tries=60
	until qpc_row 1 | grep -q -F "$qpc"; do
		[ $tries -gt 0 ] || tui_fail "the new QPC, $qpc, never showed: $(qpc_row 1)"
		tries=$((tries - 1))
		sleep 0.05
	done
	t1=$(date +%s%N)
	[ $(((t1 - t0) / 1000000)) -lt 1500 ] || tui_fail "shown after $(((t1 - t0) / 1000000)) ms"
}

# no_copies: till no dashboard's copy is left on the server (a dashboard
# stopped ends its session a moment later), 5 s at most
no_copies() {
	tries=100
	until [ "$(psql -X -q -A -t "host=$PG/c port=54361 dbname=demo user=postgres" -c "
		SELECT count(*) FROM pg_class t JOIN pg_namespace n ON n.oid = t.relnamespace
		WHERE t.relname = 'account' AND n.nspname LIKE 'pg_temp%'")" = 0 ] || [ $tries -eq 0 ]; do
		tries=$((tries - 1))
		sleep 0.05
	done
}

# the indexes of the dashboard's copy (its session's temp table), one a
# line: what each is on
copy_indexes() {
	psql -X -q -A -t "host=$PG/c port=54361 dbname=demo user=postgres" -c "
		SELECT regexp_replace(pg_get_indexdef(x.indexrelid), '.* USING ', '')
		FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid
		JOIN pg_namespace n ON n.oid = t.relnamespace
		WHERE t.relname = 'account' AND n.nspname LIKE 'pg_temp%' ORDER BY 1"
}

# The first screen needs the copy's key and one index of its order, made
# before it is drawn; every column's order, the trigram index and those
# the filters by status read are made while the screen is read, one at a
# time, so that a sort, a search or a filter turned to later finds its
# own made.  The screen holds still meanwhile: nothing is drawn again.
test_the_copys_indexes_are_made_while_the_screen_is_read() {
	no_copies
	DB=$SERVER
	qpc_start 110 30 xterm
	tui_keys 2
	tui_wait_for "Accounts: 400"
	first=$(tui_screen)
	tries=100
	until [ "$(copy_indexes | wc -l)" -ge 15 ] || [ $tries -eq 0 ]; do
		tries=$((tries - 1))
		sleep 0.05
	done
	copy_indexes >"$TUI_DIR/indexes"
	for on in "btree (id)" "btree (name_key, id)" "btree (owner, id)" "btree (segment, id)" \
		"btree (sort_qpc, id)" "btree (sales_12m, id)" "btree (sort_share, id)" \
		"btree (sort_untapped, id)" "btree (sort_status, id)" "btree (sort_age, id)" \
		"gin (search_key qpc.gin_trgm_ops)" "btree (sort_status, sort_qpc, id)" \
		"btree (sort_status, sales_12m, id)" "btree (sort_status, sort_share, id)" \
		"btree (sort_status, sort_untapped, id)"; do
		grep -q -x -F "$on" "$TUI_DIR/indexes" ||
			tui_fail "the copy has no index $on, idle: $(tr '\n' ';' <"$TUI_DIR/indexes")"
	done
	[ "$(wc -l <"$TUI_DIR/indexes")" -eq 15 ] ||
		tui_fail "not fifteen indexes: $(tr '\n' ';' <"$TUI_DIR/indexes")"
	[ "$(tui_screen)" = "$first" ] || tui_fail "the screen changed while the indexes were made"
}

# A key pressed while the dashboard makes an index in the background is
# answered at once: the index is cancelled, not waited for.  A psql
# session locks the copy against new indexes (ROW EXCLUSIVE: reads go
# on) while keys every tenth of a second keep the dashboard from its idle
# work; once the keys stop, its next index waits on the lock, and G must
# still move to the last page.  If every index was made before the lock
# came (a slow machine), it is tried again with a new dashboard.
as_postgres() { psql -X -q -A -t "host=$PG/c port=54361 dbname=demo user=postgres" "$@"; }
unlock() {
	as_postgres -c "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE application_name = 'qpc_test_lock'" >/dev/null
}
test_a_key_cancels_the_index_being_made() {
	attempt=0
	while [ $attempt -lt 3 ]; do
		attempt=$((attempt + 1))
		rm -f "$TUI_DIR/locked"
		no_copies
		DB=$SERVER
		qpc_start 110 30 xterm
		(while [ ! -e "$TUI_DIR/locked" ]; do tui_keys j; sleep 0.1; done) &
		keeper=$!
		tui_wait_for "Accounts: 400"
		ns=$(as_postgres -c "SELECT n.nspname FROM pg_class t JOIN pg_namespace n
			ON n.oid = t.relnamespace WHERE t.relname = 'account' AND n.nspname LIKE 'pg_temp%'")
		psql -X -q "host=$PG/c port=54361 dbname=demo user=postgres application_name=qpc_test_lock" \
			-c "BEGIN" -c "LOCK TABLE $ns.account IN ROW EXCLUSIVE MODE" \
			-c "\\! touch $TUI_DIR/locked" -c "SELECT pg_sleep(60)" >/dev/null 2>&1 &
		locker=$!
		tries=100
		until [ -e "$TUI_DIR/locked" ] || [ $tries -eq 0 ]; do
			tries=$((tries - 1))
			sleep 0.05
		done
		touch "$TUI_DIR/locked"
		wait $keeper || :
		# the dashboard's next index, waiting for the lock
		tries=60
		until [ "$(as_postgres -c "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a
			ON a.pid = l.pid WHERE NOT l.granted AND a.query LIKE 'CREATE%INDEX%'")" = 1 ] ||
			[ $tries -eq 0 ]; do
			tries=$((tries - 1))
			sleep 0.05
		done
		if [ $tries -eq 0 ]; then # every index made before the lock: again
			unlock
			kill $locker 2>/dev/null || :
			wait $locker || :
			tui_stop
			continue
		fi
		cancelled=$(grep -c "canceling statement due to user request" "$PG/c/server.log" || :)
		last=$(qpc_row 1)
		tui_keys G
		tries=40
		while [ "$(qpc_row 1)" = "$last" ] && [ $tries -gt 0 ]; do
			tries=$((tries - 1))
			sleep 0.05
		done
		went=$tries
		unlock
		kill $locker 2>/dev/null || :
		wait $locker || :
		[ $went -gt 0 ] || tui_fail "G waited for the index being made"
		[ "$(grep -c "canceling statement due to user request" "$PG/c/server.log" || :)" -gt \
			"$cancelled" ] || tui_fail "the index being made was not cancelled"
		# and made once the lock has gone
		tries=100
		until [ "$(copy_indexes | wc -l)" -eq 15 ] || [ $tries -eq 0 ]; do
			tries=$((tries - 1))
			sleep 0.05
		done
		[ $tries -gt 0 ] || tui_fail "the indexes not made after: $(copy_indexes | tr '\n' ';')"
		return 0
	done
	tui_fail "every index was made before the lock, three times"
}

test_a_rep_starts_on_their_accounts_and_is_told_what_the_role_lacks() {
	"$QPC" --db "$SERVER" user add ana --role rep --owner hana >/dev/null ||
		tui_fail "cannot add the rep"
	n=$("$QPC" --db "$SERVER" export accounts --raw | awk -F, '$3 == "hana"' | wc -l)
	DB=$(url ana)
	qpc_start 110 30 xterm
	tui_keys 2
	tui_wait_for "Accounts: $n of 400"
	tui_expect_screen_contains "owner hana"
	tui_keys c
	tui_wait_for "cannot nominate a candidate: that is a manager's to do, and your login is a rep"
	tui_keys '?'
	tui_wait_for "Keys ("
	tui_expect_screen_contains "import a CSV file: accounts, sales or potential (an admin's)"
	tui_keys G
	tui_wait_for "move the step down (a manager's)"
	# Enter in the goals sets a goal (a manager's) or opens a checklist:
	# the rep is told which half is not theirs, before and after trying
	tui_keys q 4
	tui_wait_for "with a goal (a manager sets them)  Tab: the plan"
	tui_expect_not_contains "Enter: set it"
	tui_keys Enter
	tui_wait_for "cannot set a goal: that is a manager's to do, and your login is a rep"
	tui_keys '?'
	tui_wait_for "Keys ("
	tries=200
	until _tui_has "checklist (setting a goal is a manager's)"; do
		_tui_has "Keys (" || tui_fail "the help closed before the goals' Enter"
		[ $((tries -= 1)) -gt 0 ] || tui_fail "the goals' Enter is not said to be partly a manager's"
		tui_keys Down
	done
}

test_a_rep_saves_their_own_qpc_and_the_server_refuses_anothers() {
	"$QPC" --db "$SERVER" user add rita --role rep --owner dana >/dev/null ||
		tui_fail "cannot add the rep"
	DB=$(url rita)
	qpc_start 110 30 xterm
	tui_keys 2
	tui_wait_for "owner dana"
	tui_keys Enter
	tui_wait_for "QPC by category"
	tui_keys e
	tui_wait_for "QPC of "
	tui_type "12.5k" # the cursor starts on the first line's amount
	tui_keys Enter w
	tui_wait_for "Saved: QPC "
	saved=$(tui_screen | sed -n 's/.*Saved: QPC \([0-9,]*\),.*/\1/p' | head -n 1)
	# the page shows it at once, read from the session's copy: this qpc
	# hears of its own commit before it reads again
	tui_expect_screen_contains "QPC $saved ("
	tui_keys q
	tui_wait_for "Accounts:"
	qpc_row 1 | grep -q -F " $saved " || tui_fail "the list shows '$(qpc_row 1)', not $saved"
	# everyone's accounts, largest untapped first: the first not dana's
	tui_keys m
	tui_wait_for "Accounts: 400"
	n=1
	while qpc_row $n | grep -q " dana "; do n=$((n + 1)); done
	[ $n = 1 ] || tui_keys $(i=1; while [ $i -lt $n ]; do printf 'j '; i=$((i + 1)); done)
	tui_keys Enter
	tui_wait_for "QPC by category"
	tui_keys e
	tui_wait_for "QPC of "
	tui_type "1k"
	tui_keys Enter w
	tui_wait_for "not for a rep"
}

test_a_nomination_shows_in_the_list_at_once() {
	DB=$SERVER
	qpc_start 110 30 xterm
	tui_keys 2 t t t # customers only
	tui_wait_for "customers"
	name=$(qpc_row 1 | cut -c1-32 | sed 's/ *$//')
	tui_keys c
	tui_wait_for "Nominate"
	tui_keys y
	tui_wait_for "is a candidate now"
	# this qpc's own commit, in the session's copy as the screen is drawn
	tui_screen | grep -F "$name" | grep -q " candidate " ||
		tui_fail "the list shows: $(tui_screen | grep -F "$name")"
}

# qpc counts the copy's tally of owners, segments and statuses as the
# rows go by, up to 65,536 of them; past that the server counts.  A team
# of 70,000 owners of one account each takes that path.
test_seventy_thousand_owners_counted_by_the_server() {
	psql -X -q "host=$PG/c port=54361 dbname=postgres user=postgres" \
		-c "CREATE DATABASE many OWNER tester" -c "COMMENT ON ROLE qpc_admin IS NULL" >/dev/null ||
		tui_fail "cannot make the database" # (the roles serve the next init: one team a cluster)
	many="postgresql:///many?host=$PG/c&port=54361&user="
	awk 'BEGIN { print "Account ID,Account Name,Account Owner,Industry"
		for (i = 1; i <= 70000; i++)
			printf "M-%05d,Many %05d Ltd,Owner %05d,%s\n", i, i, i, (i % 2 ? "Retail" : "Energy") }' \
		>"$PG/many.csv"
	"$QPC" --db "${many}tester" init >/dev/null 2>&1 &&
		"$QPC" --db "${many}tester" import accounts "$PG/many.csv" >/dev/null 2>&1 &&
		"$QPC" --db "${many}tester" user add ola --role rep --owner "Owner 69999" >/dev/null ||
		tui_fail "cannot load the 70,000 accounts"
	DB=${many}tester
	qpc_start 110 30 xterm
	tui_keys 2
	tui_wait_for "Accounts: 70"
	tui_expect_screen_contains "Accounts: 70,000"
	tui_stop
	DB=${many}ola
	qpc_start 110 30 xterm
	tui_keys 2
	tui_wait_for "Accounts: 1 of 70,000"
	tui_expect_screen_contains "Many 69999 Ltd"
}

tui_main "$@"
