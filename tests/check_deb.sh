#!/bin/sh
# check_deb.sh DEB — the Debian package as a team installs it: unpacked
# into a folder (dpkg -x, as dpkg would lay it out), its qpc runs there and
# answers, with its manual page and shell completion where Debian looks.
set -eu
deb=$1
root=$(mktemp -d /tmp/qpc-deb-XXXXXX)
trap 'rm -rf "$root"' EXIT
fail() { echo "not ok - $*"; exit 1; }
n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }

dpkg-deb --info "$deb" >"$root/info"
grep -q '^ Package: qpc$' "$root/info" || fail "the package is not named qpc"
grep -Eq '^ Depends: .*libncursesw6.*libsqlite3-0' "$root/info" ||
	grep -Eq '^ Depends: .*libsqlite3-0.*libncursesw6' "$root/info" ||
	fail "Depends does not name the libraries: $(grep Depends "$root/info")"
grep -q '^ Depends: .*libcsv3' "$root/info" || fail "Depends does not name libcsv"
ok "the control file names the package and the libraries it needs"

dpkg-deb -x "$deb" "$root/fs"
for f in usr/bin/qpc usr/share/man/man1/qpc.1.gz usr/share/bash-completion/completions/qpc \
	usr/share/zsh/vendor-completions/_qpc usr/share/doc/qpc/copyright \
	usr/share/doc/qpc/changelog.gz; do
	[ -f "$root/fs/$f" ] || fail "$f is missing"
done
ok "the program, its manual page, completion, copyright and changelog are in place"

[ "$(dpkg-deb -c "$deb" | awk '{ print $2 }' | sort -u)" = "root/root" ] ||
	fail "files not owned by root"
ok "every file is root's"

"$root/fs/usr/bin/qpc" --help >"$root/help" 2>&1 || fail "qpc --help failed: $(cat "$root/help")"
grep -q "^Usage: qpc" "$root/help" || fail "qpc --help: $(head -2 "$root/help")"
QPC_NOW=2026-11-27 "$root/fs/usr/bin/qpc" --db "$root/d.db" init --demo --accounts 50 >"$root/out" 2>&1 ||
	fail "init --demo: $(cat "$root/out")"
QPC_NOW=2026-11-27 "$root/fs/usr/bin/qpc" --db "$root/d.db" report --format json >"$root/out" 2>&1 ||
	fail "report: $(cat "$root/out")"
grep -q '"accounts": 50' "$root/out" || fail "report: $(head -5 "$root/out")"
ok "the installed qpc makes a demo and reports on it"

zcat "$root/fs/usr/share/man/man1/qpc.1.gz" | grep -q '^\.TH QPC 1' || fail "the manual page is not qpc(1)"
ok "man qpc finds the manual page"
echo "1..$n"
