# part_help_examples.sh — each command's help ends with an example to copy
# (sourced by run.sh): every one runs as written, on the demo.

E=$T/examples
mkdir -p "$E"
(cd "$E" && qpc --db ex.db init --demo --accounts 300 >/dev/null 2>&1)
printf 'Customer,Posting Date,Amount\nAcme,2026-01-05,10\n' >"$E/invoices.csv"
bad= none=
# in an order where each finds what the one before made (tick, untick)
order="init report trend import export potential candidate tick untick step checklist tasks trait rate
	contract goal setting template backup history"
# the team server's commands: their examples run in tests/pg/run.sh
server="user"
# every command but the dashboard itself is in that order
for c in $(qpc --help | sed -n 's/^  \([a-z]*\) .*/\1/p' | sort -u); do
	case " $(echo $order) $server tui " in *" $c "*) ;; *) none="$none $c(missing from the order)" ;; esac
done
for c in $server; do
	qpc help "$c" 2>/dev/null | grep -q '^Example: qpc --db postgresql://' || none="$none $c"
done
for c in $order; do
	on_file || [ "$c" != backup ] || continue # a server's is pg_dump
	qpc help "$c" 2>/dev/null | sed -n 's/^Example: //p' >"$E/$c.examples"
	if ! [ -s "$E/$c.examples" ]; then
		none="$none $c"
		continue
	fi
	# each, in turn, on the scratch database unless the example names its own
	while IFS= read -r line; do
		case $line in
		*--db*) cmd=${line#qpc} ;;
		*) cmd=" --db ex.db${line#qpc}" ;;
		esac
		(cd "$E" && HOME=$E eval "qpc$cmd" >/dev/null 2>>"$E/$c.err") || bad="$bad $c"
	done <"$E/$c.examples"
done
status=0
check "every command's help has an example, and each runs as written" \
	'[ -z "$bad$none" ] || { echo "# no example:$none; failed:$bad"; for c in $bad; do sed "s/^/#   $c: /" "$E/$c.err"; done; false; }'
