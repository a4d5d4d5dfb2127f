#!/bin/sh
# A throwaway PostgreSQL cluster for the tests: `cluster.sh start DIR`
# makes one in DIR (initdb), listening on a Unix socket there only, and
# prints the settings to reach it; `cluster.sh standby DIR PRIMARY_DIR
# PRIMARY_PORT` makes a read-only streaming replica of one in DIR
# (pg_basebackup) and prints the same; `cluster.sh stop DIR` stops either
# and removes DIR; `cluster.sh with CMD...` runs CMD beside one of its own
# (QPC_TEST_SERVER names it).  As root, the server runs as the user
# postgres (Debian's package makes it) or nobody: initdb refuses root.
#
# Inside: a superuser postgres, a database qpc owned by boss (a login with
# CREATEROLE, the team's first admin, no superuser), and carol, a login
# that needs a password (scram-sha-256); every other login is trusted.
set -eu

bindir() {
	for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
		[ -x "$d/initdb" ] && { echo "$d"; return; }
	done
	command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return; }
	echo "cluster.sh: no PostgreSQL server (initdb) found; install Debian's postgresql" >&2
	exit 1
}

as_server() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u "$RUNAS" -- "$@"
	else
		"$@"
	fi
}

PORT=${QPC_PG_PORT:-54329}
if [ "$(id -u)" = 0 ]; then
	if id postgres >/dev/null 2>&1; then RUNAS=postgres; else RUNAS=nobody; fi
fi

case "${1:-}" in
start)
	dir=$2
	bin=$(bindir)
	mkdir -p "$dir"
	[ "$(id -u)" = 0 ] && chown "$RUNAS" "$dir"
	chmod 755 "$dir"
	as_server "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
		>"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; exit 1; }
	cat >"$dir/hba" <<-EOF
	local all carol scram-sha-256
	local all all trust
	local replication postgres trust
	EOF
	[ "$(id -u)" = 0 ] && chown "$RUNAS" "$dir/hba"
	as_server "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
		-o "-c listen_addresses='' -c unix_socket_directories='$dir' -p $PORT \
		    -c hba_file='$dir/hba' -c fsync=off -c synchronous_commit=off \
		    -c full_page_writes=off -c max_connections=60" start >/dev/null || {
		cat "$dir/server.log" >&2
		exit 1
	}
	psql -X -q -v ON_ERROR_STOP=1 "host=$dir port=$PORT dbname=postgres user=postgres" <<-EOF
	CREATE ROLE boss LOGIN CREATEROLE;
	CREATE DATABASE qpc OWNER boss;
	CREATE ROLE carol LOGIN PASSWORD 'carols secret';
	EOF
	echo "host=$dir port=$PORT"
	;;
standby)
	dir=$2 primary=$3 primary_port=$4
	bin=$(bindir)
	mkdir -p "$dir"
	[ "$(id -u)" = 0 ] && chown "$RUNAS" "$dir"
	chmod 755 "$dir"
	as_server "$bin/pg_basebackup" -D "$dir/data" -R -c fast -h "$primary" -p "$primary_port" \
		-U postgres >"$dir/basebackup.log" 2>&1 || { cat "$dir/basebackup.log" >&2; exit 1; }
	as_server "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
		-o "-c listen_addresses='' -c unix_socket_directories='$dir' -p $PORT \
		    -c hot_standby=on" start >/dev/null || {
		cat "$dir/server.log" >&2
		exit 1
	}
	echo "host=$dir port=$PORT"
	;;
stop)
	dir=$2
	[ -d "$dir" ] || exit 0
	if [ -f "$dir/data/postmaster.pid" ]; then
		as_server "$(bindir)/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
	fi
	rm -rf "$dir"
	;;
with)
	# with CMD...: CMD with QPC_TEST_SERVER naming a cluster of its own,
	# made in a temporary folder and stopped however CMD ends; libpq's
	# environment is cleared so that nothing reaches another server.
	shift
	here=$(cd "$(dirname "$0")" && pwd)
	W=$(mktemp -d /tmp/qpc-pg-XXXXXX)
	trap '[ -d "$W/cluster" ] && sh "$here/cluster.sh" stop "$W/cluster"; rm -rf "$W"' EXIT
	trap 'exit 130' INT TERM
	chmod 755 "$W" # the server, not root, makes its folder inside
	unset PGHOST PGPORT PGUSER PGDATABASE PGPASSWORD PGSERVICE PGSERVICEFILE
	export PGPASSFILE="$W/no-pgpass"
	sh "$here/cluster.sh" start "$W/cluster" >"$W/where" ||
		{ echo "not ok 1 - the cluster started"; exit 1; }
	set +e
	QPC_TEST_SERVER=$(cat "$W/where") "$@"
	exit $?
	;;
*)
	echo "usage: cluster.sh start|stop DIR, cluster.sh standby DIR PRIMARY_DIR PRIMARY_PORT," \
		"or cluster.sh with CMD..." >&2
	exit 2
	;;
esac
