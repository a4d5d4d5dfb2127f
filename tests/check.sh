# check.sh — the shell tests' helpers (sourced by tests/cli/run.sh and
# tests/pg/run.sh): TAP lines, one per check; the caller sets T, a scratch
# folder, and counts in passed, failed and n.

# run ARGS...: runs qpc, keeping stdout, stderr and the exit status.
# With QPC_TEST_SERVER ("host=DIR port=PORT" of a throwaway cluster), on
# a team server: each database path the test names (--db, QPC_DB, or the
# default one) is a database of its own there, made on first use and
# made again once the test has removed the path; the person (--user,
# QPC_USER) is the login of that name, an admin of it.
run() {
	qpc "$@" >"$T/out" 2>"$T/err"
	status=$?
}

# qpc ARGS...: qpc itself, as run() runs it
qpc() {
	if [ -z "${QPC_TEST_SERVER:-}" ]; then
		"$QPC" "$@"
	else
		server_run "$@"
	fi
}

# dbq PATH SQL: a read of the database PATH names, as sqlite3 prints it
dbq() {
	if on_file; then
		sqlite3 "$1" "$2"
	else
		server_db "$(server_abs "$1")" "${QPC_USER:-tester}" >/dev/null
		psql -X -q -A -t -v ON_ERROR_STOP=1 "$QPC_TEST_SERVER dbname=$(server_name "$1")
			user=${QPC_USER:-tester} options=-csearch_path=qpc" -c "$2"
	fi
}

# dbx PATH SQL: a change to the database PATH names, made behind qpc's back
dbx() {
	if on_file; then
		sqlite3 "$1" "$2"
	else
		server_db "$(server_abs "$1")" "${QPC_USER:-tester}" >/dev/null
		server_psql "$(server_name "$1")" -c "SET search_path = qpc" -c "$2" >/dev/null
	fi
}

# db_arg PATH: what --db names for the database PATH stands for (on a
# server, its address), for what runs qpc without run() or qpc()
db_arg() {
	if on_file; then
		printf '%s' "$1"
	else
		server_db "$(server_abs "$1")" "${QPC_USER:-tester}"
	fi
}

# dbsum PATH: a checksum of what the database holds (a file: its bytes,
# once its write-ahead log is folded in; a server: its rows, not the
# places its sequences reached)
dbsum() {
	if on_file; then
		sqlite3 "$1" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null && cksum <"$1"
	else
		server_db "$(server_abs "$1")" "${QPC_USER:-tester}" >/dev/null
		pg_dump --data-only "$QPC_TEST_SERVER user=postgres dbname=$(server_name "$1")" | grep -v "pg_catalog.setval\|^\\\\restrict\|^\\\\unrestrict" | cksum
	fi
}

# dbcp FROM TO: copies a database, as cp copies a file
dbcp() {
	if on_file; then
		cp "$1" "$2"
		return
	fi
	dc_from=$(server_name "$1")
	dc_to=$(server_name "$2")
	rm -f "$T/.server/$dc_to" "$T/.server/$dc_to".*
	server_psql postgres -c "SET client_min_messages TO warning" \
		-c "DROP DATABASE IF EXISTS $dc_to WITH (FORCE)" >/dev/null
	# a template must have no one connected: a qpc just stopped may
	# still be saying goodbye
	dc_try=50
	until server_psql postgres -c "CREATE DATABASE $dc_to TEMPLATE $dc_from" >/dev/null 2>"$T/.server/dbcp.err"; do
		dc_try=$((dc_try - 1))
		if [ $dc_try = 0 ] || ! grep -q "being accessed by other users" "$T/.server/dbcp.err"; then
			cat "$T/.server/dbcp.err" >&2
			return 1
		fi
		sleep 0.1
	done
	for dc_f in "$T/.server/$dc_from" "$T/.server/$dc_from".*; do
		cp "$dc_f" "$T/.server/$dc_to${dc_f#"$T/.server/$dc_from"}"
	done
	: >>"$2"
}

# server_name PATH: the name of the database standing for PATH
server_name() {
	printf 't%s' "$(server_abs "$1" | cksum | cut -d' ' -f1)"
}

server_abs() {
	case $1 in
	/*) printf '%s' "$1" ;;
	*) printf '%s' "$PWD/$1" ;;
	esac
}

# check_on_file NAME CONDITION: a check of the file itself, or of what
# only a SQLite file does: made on a file only
check_on_file() {
	on_file || return 0
	check "$@"
}

# on_file: whether the tests run on a SQLite file (their checks of the
# file itself, of SQLite and of --user run only there).
on_file() { [ -z "${QPC_TEST_SERVER:-}" ]; }

server_psql() { # DB SQL...: as the cluster's superuser
	sp_db=$1
	shift
	psql -X -q -A -t -v ON_ERROR_STOP=1 "$QPC_TEST_SERVER dbname=$sp_db user=postgres" "$@"
}

# server_login LOGIN: the cluster knows the login (as one who may make roles)
server_login() {
	[ -e "$T/.server/login.$1" ] && return
	server_psql postgres -c "DO \$\$ BEGIN CREATE ROLE \"$1\" LOGIN CREATEROLE;
		EXCEPTION WHEN duplicate_object THEN NULL; END \$\$" >/dev/null
	: >"$T/.server/login.$1"
}

# server_db PATH LOGIN: the URI of the database standing for PATH, whose
# owner (its first admin, once inited) is the first login to use it
server_db() {
	sd_name=$(server_name "$1")
	sd_mark=$T/.server/$sd_name
	mkdir -p "$T/.server"
	server_login "$2"
	if [ -e "$sd_mark" ] && [ ! -e "$1" ] && [ -e "$sd_mark.inited" ]; then
		server_psql postgres -c "DROP DATABASE $sd_name WITH (FORCE)" >/dev/null
		rm -f "$sd_mark" "$sd_mark".*
	fi
	if [ ! -e "$sd_mark" ]; then
		server_psql postgres -c "CREATE DATABASE $sd_name OWNER \"$2\"" >/dev/null
		echo "$2" >"$sd_mark"
	fi
	sd_owner=$(cat "$sd_mark")
	if [ ! -e "$sd_mark.$2" ] && [ -e "$sd_mark.inited" ] && [ "$2" != "$sd_owner" ]; then
		"$QPC" --db "postgresql:///$sd_name?$(server_uri_tail)&user=$sd_owner" \
			user add "$2" --role admin >/dev/null 2>&1 || : # a user already keeps its role
		: >"$sd_mark.$2"
	fi
	echo "postgresql:///$sd_name?$(server_uri_tail)&user=$2"
}

server_uri_tail() {
	printf '%s' "$QPC_TEST_SERVER" | sed 's/^host=\([^ ]*\) port=\([0-9]*\)$/host=\1\&port=\2/'
}

server_run() {
	sr_login=${QPC_USER:-tester}
	sr_path=${QPC_DB:-${XDG_DATA_HOME:-$HOME/.local/share}/qpc/qpc.db}
	sr_n=$#
	sr_i=0
	sr_prev=
	sr_init=
	# the person and the path first: the arguments are remade below
	for sr_a in "$@"; do
		case $sr_prev in
		--db) sr_path=$sr_a ;;
		--user) sr_login=$sr_a ;;
		esac
		[ "$sr_a" = init ] && sr_init=1
		sr_prev=$sr_a
	done
	case $sr_path in
	postgres://* | postgresql://* | service=*) ;;
	*) sr_path=$(server_abs "$sr_path") ;;
	esac
	case $sr_path in
	postgres://* | postgresql://* | service=*) sr_uri=$sr_path ;;
	*) sr_uri=$(server_db "$sr_path" "$sr_login") ;;
	esac
	sr_prev=
	while [ $sr_i -lt $sr_n ]; do
		sr_a=$1
		shift
		sr_i=$((sr_i + 1))
		case $sr_prev in
		--db) set -- "$@" "$sr_uri" ;;
		--user) ;;
		*) [ "$sr_a" != --user ] && set -- "$@" "$sr_a" ;;
		esac
		sr_prev=$sr_a
	done
	case $sr_uri in
	postgresql:///t*) ;;
	*) sr_init= ;;
	esac
	# qpc's group roles are the cluster's, and serve one database: a
	# server in production holds one team; these tests' cluster, one a path
	[ -n "$sr_init" ] && server_psql postgres -c "DO \$\$ BEGIN
		IF EXISTS (SELECT FROM pg_roles WHERE rolname = 'qpc_admin') THEN
		COMMENT ON ROLE qpc_admin IS NULL; END IF; END \$\$" >/dev/null
	QPC_DB=$sr_uri "$QPC" "$@"
	sr_status=$?
	if [ -n "$sr_init" ] && [ $sr_status = 0 ]; then
		mkdir -p "$(dirname "$sr_path")" 2>/dev/null && : >>"$sr_path" 2>/dev/null
		: >"$T/.server/$(server_name "$sr_path").inited"
	fi
	return $sr_status
}

ok() { n=$((n + 1)); passed=$((passed + 1)); echo "ok $n - $1"; }
not_ok() {
	n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"
	echo "#   status: $status"; sed 's/^/#   out: /' "$T/out" | head -20
	sed 's/^/#   err: /' "$T/err" | head -20
}
# check NAME CONDITION...: one test, passes when the shell condition holds.
check() {
	name=$1; shift
	if eval "$@"; then ok "$name"; else not_ok "$name"; fi
}
out_has() { grep -qF -- "$1" "$T/out"; }
err_has() { grep -qF -- "$1" "$T/err"; }
