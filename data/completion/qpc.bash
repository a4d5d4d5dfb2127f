# bash completion for qpc(1)                              -*- shell-script -*-
#
# Completes the global options, the commands, their sub-commands and
# options, export's list names, file names where a FILE goes, and account
# ids, template names and categories read from the database the line names
# (--db PATH, else $QPC_DB, else qpc's default).  The database is only read,
# through `qpc export` and `qpc template list`; a line without a usable
# database simply offers no ids.  Installed as
# share/bash-completion/completions/qpc; zsh's _qpc follows the same rules.

# Options that take a value: the next word is that value, not an argument.
_qpc_valued='--db|--user|--role|--as-of|--accounts|--format|--months|--profile|--map|--delimiter|--encoding|--date-format|--date-order|--decimal|--rejects|-o|--output|--basis|--measured-on|--template|--reason|--note|--signed|--ends|--value|--on|--from|--limit|--owner|--due|--scale'

# _qpc_words: the line's words up to the cursor into _qpc_w, with the
# pieces bash splits at "=" joined again, so that --db=team.db is one word.
_qpc_words()
{
	_qpc_w=()
	local i w
	for ((i = 0; i <= COMP_CWORD; i++)); do
		w=${COMP_WORDS[i]}
		if ((i > 1)) && { [[ $w == = && ${_qpc_w[-1]} == --* ]] ||
			[[ ${_qpc_w[-1]} == --*= ]]; }; then
			_qpc_w[-1]+=$w
		else
			_qpc_w+=("$w")
		fi
	done
}

# _qpc_query WHAT: the database's account ids, template names or
# categories, one a line.  Read with qpc itself, on the --db the line
# gives; errors (no database yet) are silent.
_qpc_query()
{
	local -a db=()
	local i w
	for ((i = 1; i < ${#_qpc_w[@]} - 1; i++)); do
		w=${_qpc_w[i]}
		case $w in
		--db=*) db=(--db "${w#--db=}") ;;
		--db) db=(--db "${_qpc_w[i + 1]}") ;;
		-*) ;;
		*) break ;; # the command: global options come before it
		esac
	done
	# what the shell would expand on the command line
	[[ ${db[1]-} == \~/* ]] && db[1]=$HOME/${db[1]#\~/}
	case $1 in
	accounts)
		"${_qpc_cmd:-qpc}" "${db[@]}" export accounts --raw 2>/dev/null |
			awk -F, -v p="$_qpc_cur" 'NR > 1 { gsub(/"/, "", $1) }
				NR > 1 && index($1, p) == 1 { print $1 }' ;;
	templates)
		"${_qpc_cmd:-qpc}" "${db[@]}" template list 2>/dev/null |
			sed -E 's/( \(default\))?: [0-9]+ steps?, [0-9]+ active candidates?$//' ;;
	categories)
		"${_qpc_cmd:-qpc}" "${db[@]}" export potential --raw 2>/dev/null |
			awk -F, 'NR > 1 { gsub(/"/, "", $3); if (!seen[$3]++) print $3 }' ;;
	esac
}

# _qpc_add WORDS...: the words that start with what is typed, quoted as
# the shell needs them (a name may hold spaces, a delimiter may be ";").
_qpc_add()
{
	local w q
	for w; do
		[[ -n $w && $w == "$_qpc_cur"* ]] || continue
		printf -v q '%q' "$w"
		COMPREPLY+=("$q")
	done
}

# _qpc_add_lines WHAT: names from the database, one a line.
_qpc_add_lines()
{
	local -a names
	mapfile -t names < <(_qpc_query "$1")
	_qpc_add "${names[@]}"
}

_qpc_files()
{
	local -a files
	compopt -o filenames 2>/dev/null
	mapfile -t files < <(compgen -f -- "$_qpc_cur")
	COMPREPLY+=("${files[@]}")
}

# _qpc_value OPTION: completes the value of an option; false when it
# takes none.
_qpc_value()
{
	case $1 in
	--db | --rejects | -o | --output) _qpc_files ;;
	--format)
		if [[ $_qpc_command == trend ]]; then _qpc_add text json csv
		elif [[ $_qpc_command == tasks ]]; then _qpc_add text csv ics
		else _qpc_add text json; fi ;;
	--profile) _qpc_add qpc salesforce hubspot dynamics zoho pipedrive odoo generic ;;
	--encoding)
		_qpc_add utf-8 utf-16le utf-16be utf-32le utf-32be windows-1252 latin1 ;;
	--delimiter) _qpc_add , ';' '|' tab ;;
	--decimal) _qpc_add . , ;;
	--template) _qpc_add_lines templates ;;
	--role) _qpc_add rep manager admin ;;
	--*) [[ $1 =~ ^($_qpc_valued)$ ]] || return 1 ;; # a value nobody can guess
	*) return 1 ;;
	esac
	return 0
}

# The options each command (and sub-command) takes.
_qpc_options()
{
	case $_qpc_command in
	init) echo --demo --accounts ;;
	report) echo --format ;;
	trend) echo --months --format ;;
	import) echo --profile --map --delimiter --encoding --date-format --date-order --decimal \
		--dry-run --skip-bad --rejects --raw ;;
	export) echo -o --output --raw ;;
	potential)
		case ${_qpc_args[0]-} in
		set) echo --basis --verified --measured-on ;;
		estimate) echo --all --dry-run ;;
		esac ;;
	candidate)
		case ${_qpc_args[0]-} in
		add) echo --template ;;
		drop) echo --reason ;;
		esac ;;
	tick) echo --note ;;
	step) [[ ${_qpc_args[0]-} == assign ]] && echo --owner --due ;;
	tasks) echo --owner --overdue --format ;;
	trait) [[ ${_qpc_args[0]-} == add ]] && echo --scale ;;
	rate) echo --note ;;
	contract)
		case ${_qpc_args[0]-} in
		set) echo --signed --ends --value ;;
		end) echo --on ;;
		esac ;;
	setting) [[ ${_qpc_args[0]-} == set ]] && echo --from ;;
	backup) echo --force ;;
	history) echo --limit ;;
	user) [[ ${_qpc_args[0]-} == add ]] && echo --role --owner ;;
	esac
	echo --help
}

# _qpc_argument N: completes the command's Nth argument (0 is the first
# after the command's name).
_qpc_argument()
{
	local n=$1 sub=${_qpc_args[0]-}
	case $_qpc_command in
	help) ((n == 0)) && _qpc_add "${_qpc_commands[@]}" ;;
	import)
		case $n in
		0) _qpc_add accounts sales potential ;;
		1) _qpc_files ;;
		esac ;;
	export) ((n == 0)) && _qpc_add accounts partners candidates potential sales goals contracts traits ;;
	trait) ((n == 0)) && _qpc_add list add rename retire ;;
	rate) ((n == 0)) && _qpc_add_lines accounts ;;
	potential)
		case $n/$sub in
		0/*) _qpc_add set rm estimate ;;
		1/*) _qpc_add_lines accounts ;;
		2/set | 2/rm) _qpc_add_lines categories ;;
		esac ;;
	candidate)
		case $n in
		0) _qpc_add add drop ;;
		1) _qpc_add_lines accounts ;;
		esac ;;
	tick | untick | checklist) ((n == 0)) && _qpc_add_lines accounts ;;
	step)
		case $n in
		0) _qpc_add assign ;;
		1) _qpc_add_lines accounts ;;
		esac ;;
	history) ((n == 0)) && _qpc_add_lines accounts ;;
	contract)
		case $n in
		0) _qpc_add set end list ;;
		1) _qpc_add_lines accounts ;;
		esac ;;
	goal) ((n == 0)) && _qpc_add set ;;
	setting)
		case $n/$sub in
		0/*) _qpc_add list set ;;
		1/set) _qpc_add threshold currency minor_units ;;
		esac ;;
	template)
		case $n/$sub in
		0/*) _qpc_add list show add rename step-add step-rm step-move step-rule default rm ;;
		1/add) ;; # a new name
		1/*) [[ $sub != list ]] && _qpc_add_lines templates ;;
		esac ;;
	backup) ((n == 0)) && _qpc_files ;;
	user)
		case $n/$sub in
		0/*) _qpc_add list add set-role set-owner rm ;;
		2/set-role) _qpc_add rep manager admin ;;
		esac ;;
	esac
}

_qpc()
{
	local _qpc_cur _qpc_command='' _qpc_prev_taken='' _qpc_cmd=${COMP_WORDS[0]}
	local -a _qpc_w _qpc_args=() _qpc_opts
	local -a _qpc_commands=(tui init report trend import export potential candidate tick
		untick step checklist tasks trait rate contract goal setting template backup history user help)
	COMPREPLY=()
	_qpc_words
	_qpc_cur=${_qpc_w[-1]}
	# qpc as typed (./qpc, a path) answers for the database; ~ as the shell
	# would expand it
	[[ $_qpc_cmd == \~/* ]] && _qpc_cmd=$HOME/${_qpc_cmd#\~/}
	type -P "$_qpc_cmd" >/dev/null 2>&1 || [[ -x $_qpc_cmd ]] || _qpc_cmd=qpc

	# --opt=value: complete the value after the "="
	if [[ $_qpc_cur == --*=* ]]; then
		local opt=${_qpc_cur%%=*}
		_qpc_cur=${_qpc_cur#*=}
		_qpc_scan
		_qpc_value "$opt"
		return 0
	fi
	_qpc_scan
	local prev=
	((${#_qpc_w[@]} > 1)) && prev=${_qpc_w[-2]}
	if [[ $prev == -* && ! $_qpc_prev_taken ]] && _qpc_value "$prev"; then
		return 0
	fi
	if [[ -z $_qpc_command ]]; then
		if [[ $_qpc_cur == -* ]]; then
			_qpc_add --db --user --as-of --help --version
		else
			_qpc_add "${_qpc_commands[@]}"
		fi
	elif [[ $_qpc_cur == -* ]]; then
		read -ra _qpc_opts < <(_qpc_options | tr '\n' ' ')
		_qpc_add "${_qpc_opts[@]}"
	else
		_qpc_argument "${#_qpc_args[@]}"
	fi
	return 0
}

# _qpc_scan: finds, in the words before the cursor, the command and its
# arguments (options and their values left out).  _qpc_prev_taken is set
# when the word before the cursor is itself an option's value.
_qpc_scan()
{
	local i w skip=
	_qpc_prev_taken=
	for ((i = 1; i < ${#_qpc_w[@]} - 1; i++)); do
		w=${_qpc_w[i]}
		if [[ $skip ]]; then
			skip=
			((i == ${#_qpc_w[@]} - 2)) && _qpc_prev_taken=1
			continue
		fi
		case $w in
		--*=*) ;;
		-*) [[ $w =~ ^($_qpc_valued)$ ]] && skip=1 ;;
		*)
			if [[ -z $_qpc_command ]]; then _qpc_command=$w
			else _qpc_args+=("$w"); fi ;;
		esac
	done
}

complete -F _qpc qpc
