#!/bin/sh
# Naming scenarios: bundled names resolve against the source tree's
# scenarios/ whatever the current folder; an existing path wins over a
# bundled name; an installed copy finds the installed share folder.
set -u
: "${IPCSCOPE:?}"
cd "$(dirname "$0")/.." || exit 1
src=$(pwd)
fail=0
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
bad() { echo "FAIL: $*"; fail=1; }

# From another folder, by name; -v shows the file that was found.
(cd "$tmp" && "$IPCSCOPE" check -v pool_callback) >"$tmp/out" 2>&1 ||
	bad "check pool_callback from $tmp failed"
grep -q "^$src/scenarios/pool_callback.ini: ok: " "$tmp/out" ||
	{ bad "pool_callback did not resolve to $src/scenarios"; cat "$tmp/out"; }
(cd "$tmp" && "$IPCSCOPE" list) >"$tmp/list" 2>&1 || bad "list from $tmp failed"
[ "$(wc -l <"$tmp/list")" -eq "$(ls scenarios/*.ini | wc -l)" ] || bad "list from $tmp: wrong count"

# A file in the current folder named like a bundled scenario is used as is.
printf '[scenario]\ntitle = local\n[function main]\nstep = bogus\n' >"$tmp/queue"
(cd "$tmp" && "$IPCSCOPE" check queue) 2>"$tmp/err"
[ $? -eq 2 ] || bad "local file 'queue' was not preferred to the bundled scenario"
grep -q "^queue:4: error: unknown step 'bogus'" "$tmp/err" || bad "local file: wrong message"

# Relative and absolute paths.
(cd tests && "$IPCSCOPE" check ../scenarios/pipe.ini) || bad "relative path failed"
"$IPCSCOPE" check "$src/scenarios/pipe.ini" || bad "absolute path failed"

# Names that are not names are not looked up.
"$IPCSCOPE" check ../scenarios/nothere.ini 2>"$tmp/err"
grep -q "^../scenarios/nothere.ini: error: no such file or bundled scenario" "$tmp/err" ||
	bad "missing relative path: wrong message"

# An installed copy (outside any source tree) uses PREFIX/share/ipcscope.
# Built in a private build folder, so the binary under test is untouched;
# only for the plain build (the asan run skips it).
if [ "$IPCSCOPE" = "$src/ipcscope" ]; then
	if make --no-print-directory -s -j2 BUILD="$tmp/build" install \
	    PREFIX="$tmp/inst" >"$tmp/inst.log" 2>&1; then
		ls "$tmp/inst/share/ipcscope/scenarios/pool_callback.ini" >/dev/null 2>&1 ||
			bad "install did not copy the scenarios"
		(cd / && "$tmp/inst/bin/ipcscope" check -v deadlock) >"$tmp/out" 2>&1 ||
			bad "installed binary: check deadlock failed"
		grep -q "^$tmp/inst/share/ipcscope/scenarios/deadlock.ini: ok" "$tmp/out" ||
			{ bad "installed binary did not use its share folder"; cat "$tmp/out"; }
	else
		bad "make install PREFIX=$tmp/inst failed"; cat "$tmp/inst.log"
	fi
fi
exit $fail
