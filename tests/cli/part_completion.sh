# Shell completion (data/completion/): bash's completion driven without a
# terminal, `make install` placing both scripts, zsh's parsed when zsh is
# here.  Sourced by tests/cli/run.sh, whose helpers it uses.

C=$T/completion
mkdir -p "$C"
COMP_SCRIPT=$PWD/data/completion/qpc.bash

# complete WORDS...: what bash offers for the last word (the one under the
# cursor; "" for a fresh one) of `qpc WORDS...`, one a line, in $T/out.
complete_qpc() {
	bash -c '. "$1"; shift
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
		_qpc
		[ ${#COMPREPLY[@]} = 0 ] || printf "%s\n" "${COMPREPLY[@]}"' sh "$COMP_SCRIPT" "$QPC" "$@" >"$T/out" 2>"$T/err"
	status=$?
}
# only_has WORD: the offer is exactly one line, WORD.
only_has() { [ "$(cat "$T/out")" = "$1" ]; }

qpc --db "$C/c.db" init --demo --accounts 30 >/dev/null 2>&1

complete_qpc ""
check "completion: a bare qpc offers the commands" \
	'[ $status = 0 ] && out_has import && out_has export && out_has potential && out_has template && ! [ -s "$T/err" ]'
complete_qpc user add ana --r
check "completion: user add's options" 'only_has --role'
complete_qpc user add ana --role m
check "completion: the roles" 'only_has manager'
complete_qpc user set-role ana ""
check "completion: set-role offers the roles" \
	'[ "$(sort "$T/out" | tr "\n" " ")" = "admin manager rep " ]'
complete_qpc ex
check "completion: a command from its first letters" 'only_has export'
complete_qpc --a
check "completion: a global option" 'only_has --as-of'
complete_qpc export p
check "completion: export's list names" \
	'[ "$(sort "$T/out" | tr "\n" " ")" = "partners potential " ]'
complete_qpc import sales x.csv --enc
check "completion: a command's own option" 'only_has --encoding'
complete_qpc import --encoding utf-16
check "completion: an option's values" '[ "$(sort "$T/out" | tr "\n" " ")" = "utf-16be utf-16le " ]'
complete_qpc setting set ""
check "completion: setting set offers the keys" \
	'out_has threshold && out_has currency && out_has minor_units'

CDB=$(db_arg "$C/c.db")
complete_qpc --db "$CDB" tick ACC-0001
check "completion: account ids from the --db on the line" \
	'[ $status = 0 ] && [ "$(wc -l <"$T/out")" = 10 ] && out_has ACC-00012 && ! out_has ACC-00002'
complete_qpc "--db=$CDB" contract set ACC-0003
check "completion: --db=PATH is read too" '[ "$(sort "$T/out" | tr "\n" " ")" = "ACC-00030 " ]'
# (exported and unset again: an assignment before a function call may
# outlive it, and the parts after this one expect no QPC_DB)
export QPC_DB="$CDB"
complete_qpc potential set ACC-00001 Of
check "completion: QPC_DB names the database; categories keep their spaces quoted" \
	'only_has "Office\ supplies"'
complete_qpc candidate add ACC-00001 --template ""
check "completion: template names from the database" 'only_has "Partner\ checklist"'
unset QPC_DB
complete_qpc --db "$C/none.db" tick ""
check "completion: no database, no ids, no error, nothing created" \
	'[ $status = 0 ] && ! [ -s "$T/out" ] && ! [ -s "$T/err" ] && ! [ -e "$C/none.db" ]'
before=$(dbsum "$C/c.db")
complete_qpc --db "$CDB" history ""
check "completion: reading ids leaves the database as it was" \
	'[ "$(wc -l <"$T/out")" = 30 ] && [ "$(dbsum "$C/c.db")" = "$before" ]'
: >"$C/team data.csv"
(cd "$C" && complete_qpc import accounts te)
check "completion: a file where a FILE goes" 'only_has "team data.csv"'

# `make install` from the source tree, with qpc as it is (not rebuilt)
if [ -f Makefile ]; then
	make -s -o "$QPC" BUILD="$(dirname "$QPC")" DESTDIR="$C/inst" PREFIX=/usr install \
		>"$T/out" 2>"$T/err"
	status=$?
	check "make install puts the bash and zsh completion in place" \
		'[ $status = 0 ] && cmp -s data/completion/qpc.bash "$C/inst/usr/share/bash-completion/completions/qpc" && cmp -s data/completion/_qpc "$C/inst/usr/share/zsh/vendor-completions/_qpc"'
	make -s -o "$QPC" BUILD="$(dirname "$QPC")" DESTDIR="$C/inst" PREFIX=/usr uninstall \
		>"$T/out" 2>"$T/err"
	status=$?
	check "make uninstall removes them" \
		'[ $status = 0 ] && ! [ -e "$C/inst/usr/share/bash-completion/completions/qpc" ] && ! [ -e "$C/inst/usr/share/zsh/vendor-completions/_qpc" ]'
else
	ok "make install of the completion: skipped, not run from the source tree"
fi

if command -v zsh >/dev/null 2>&1; then
	zsh -n data/completion/_qpc >"$T/out" 2>"$T/err"
	status=$?
	check "zsh parses _qpc" '[ $status = 0 ]'
else
	ok "zsh parses _qpc: skipped, zsh is not installed"
fi

complete_qpc st
check "completion: step and its neighbours" 'out_has step && ! out_has tasks'
complete_qpc step ""
check "completion: step's action" 'only_has assign'
complete_qpc step assign ACC-00001 2 --d
check "completion: step assign's options" 'only_has --due'
complete_qpc tasks --format ""
check "completion: tasks --format offers ics" '[ "$(sort "$T/out" | tr "\n" " ")" = "csv ics text " ]'
complete_qpc export tr
check "completion: export traits" 'only_has traits'
complete_qpc trait ""
check "completion: trait's actions" '[ "$(sort "$T/out" | tr "\n" " ")" = "add list rename retire " ]'
complete_qpc che
check "completion: checklist" 'only_has checklist'
complete_qpc template step-ru
check "completion: template step-rule" 'only_has step-rule'
