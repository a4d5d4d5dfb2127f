# tui_db.sh — sourced by bench_tui.sh and bench_time.sh (not a benchmark
# of its own: run.sh runs bench_*.sh only).  The databases bench/tui_gen
# generates, shared by both scripts: $B/tui-NAME.db, kept beside a stamp
# (qpc's version and schema, the generator's source, the sizes) and made
# again only when the stamp changes, since the big one (a million accounts,
# ten million sales lines) takes minutes.  tui_gen computes what qpc's
# writes would have kept (today's figures, the indexes, the status
# changes), so a kept database reads at once.
#
# Needs QPC, B (the scratch folder, $BUILD/bench), GEN ($B/tui_gen) and
# QPC_NOW (the day the figures are for) set by the caller.

secs() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(secs)" 'BEGIN { printf "%.1f", b - a }'; }

# mkdb NAME ACCOUNTS LINES: $B/tui-NAME.db with figures as of $QPC_NOW;
# sets gen_NAME to the seconds it took, or "kept".
mkdb() {
	db=$B/tui-$1.db
	stamp="$("$QPC" --version) $(cksum <bench/tui_gen.c) $2 $3"
	if [ -f "$db" ] && [ "$(cat "$db.stamp" 2>/dev/null)" = "$stamp" ]; then
		eval "gen_$1=kept"
		at_today "$db" || return 1
		return 0
	fi
	rm -f "$db" "$db-wal" "$db-shm" "$db".*.bak "$db.stamp"
	echo "(generating $db: $2 accounts, $3 sales lines; a few minutes at a million)"
	t=$(secs)
	if ! "$QPC" --db "$db" init >/dev/null || ! "$GEN" "$db" "$2" "$3" "$QPC_NOW" 2>"$db.log"; then
		sed 's/^/    /' "$db.log" 2>/dev/null | tail -n 5
		return 1
	fi
	eval "gen_$1=$(since "$t")"
	at_today "$db" || return 1
	echo "$stamp" >"$db.stamp"
}

# figures_date DB: the date today's figures are kept for (the cache's).
figures_date() {
	sqlite3 "$1" "SELECT value FROM setting WHERE key = 'figures_as_of'" 2>/dev/null
}

# at_today DB: leaves the database's kept figures as of $QPC_NOW, as a
# benchmark that moved them to another day (bench_tui.sh's first write of
# a new day) may have left them: a write on $QPC_NOW brings every account
# back to it (the 2027 goal set to the generator's own value).
at_today() {
	[ "$(figures_date "$1")" = "$QPC_NOW" ] && return 0
	"$QPC" --db "$1" goal set 2027 1500 >/dev/null || return 1
	[ "$(figures_date "$1")" = "$QPC_NOW" ] || {
		echo "bench: $1 keeps its figures as of $(figures_date "$1"), not $QPC_NOW" >&2
		return 1
	}
}
