#!/bin/sh
# ipcscope check and list: every malformed scenario in tests/bad/ gives
# exactly its .expect lines on stderr and exit status 2; every bundled
# scenario is accepted in silence; generated hostile inputs (binary, NUL,
# invalid UTF-8, a 100,000-character line, 100,000 lines) are rejected
# quickly without a crash; list shows one line per bundled scenario.
set -u
: "${IPCSCOPE:?}"
cd "$(dirname "$0")/.." || exit 1
fail=0
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM

bad() { echo "FAIL: $*"; fail=1; }

# ---- the corpus ----
n=0
for f in tests/bad/*.ini; do
	exp=${f%.ini}.expect
	[ -f "$exp" ] || { bad "$f has no $exp"; continue; }
	timeout 10 "$IPCSCOPE" check "$f" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	[ "$rc" -eq 2 ] || bad "$f: exit status $rc, expected 2"
	[ -s "$tmp/out" ] && bad "$f: unexpected stdout"
	if ! cmp -s "$tmp/err" "$exp"; then
		bad "$f: stderr differs from $exp"
		diff "$exp" "$tmp/err" | head -10
	fi
	n=$((n + 1))
done
[ "$n" -ge 50 ] || bad "only $n malformed scenarios in tests/bad (want >= 50)"

# ---- every bundled scenario: silent success, by path and by name ----
nb=0
for f in scenarios/*.ini; do
	timeout 10 "$IPCSCOPE" check "$f" >"$tmp/out" 2>&1
	rc=$?
	[ "$rc" -eq 0 ] || bad "$f: exit status $rc"
	[ -s "$tmp/out" ] && { bad "$f: not silent"; head -5 "$tmp/out"; }
	name=$(basename "$f" .ini)
	"$IPCSCOPE" check "$name" >/dev/null 2>&1 || bad "check $name (bundled name) failed"
	nb=$((nb + 1))
done
[ "$nb" -ge 8 ] || bad "only $nb bundled scenarios"
# all files at once, and -v prints a summary on stdout
"$IPCSCOPE" check scenarios/*.ini >"$tmp/out" 2>&1 || bad "check of all bundled scenarios failed"
[ -s "$tmp/out" ] && bad "check of all bundled scenarios not silent"
"$IPCSCOPE" check -v pool_callback >"$tmp/out" 2>/dev/null || bad "check -v failed"
grep -q '^.*pool_callback.ini: ok: Pool of 3' "$tmp/out" || bad "check -v: no summary line"
grep -q 'function work: 3 steps' "$tmp/out" || bad "check -v: no step count"

# several files: errors of all of them, exit 2
"$IPCSCOPE" check scenarios/queue.ini tests/bad/unknown_key.ini tests/bad/bad_number.ini \
	>/dev/null 2>"$tmp/err"
[ $? -eq 2 ] || bad "mixed files: exit status not 2"
[ "$(wc -l <"$tmp/err")" -eq 2 ] || bad "mixed files: expected 2 error lines"

# missing files and usage
"$IPCSCOPE" check /nonexistent/x.ini 2>"$tmp/err"; rc=$?
[ "$rc" -eq 2 ] || bad "missing file: exit $rc"
grep -q '^/nonexistent/x.ini: error: ' "$tmp/err" || bad "missing file: no FILE: error: line"
"$IPCSCOPE" check no_such_bundled_name 2>"$tmp/err"; rc=$?
[ "$rc" -eq 2 ] || bad "unknown bundled name: exit $rc"
"$IPCSCOPE" check 2>/dev/null; [ $? -eq 2 ] || bad "check without arguments: exit not 2"
"$IPCSCOPE" check "$tmp" 2>"$tmp/err"; [ $? -eq 2 ] || bad "directory: exit not 2"

# ---- generated hostile inputs ----
hostile() {   # NAME EXPECTED-GREP
	timeout 10 "$IPCSCOPE" check "$tmp/$1" >/dev/null 2>"$tmp/err"
	rc=$?
	[ "$rc" -eq 2 ] || { bad "$1: exit status $rc, expected 2"; return; }
	grep -q "$2" "$tmp/err" || { bad "$1: no '$2' in stderr"; head -3 "$tmp/err"; }
}
: >"$tmp/empty.ini"
hostile empty.ini "^$tmp/empty.ini:1: error: missing \[scenario\] section"
head -c 200000 /dev/urandom >"$tmp/random.ini"
hostile random.ini ": error: "
printf '[scenario]\ntitle = a\000b\n[function main]\nstep = print hi\n' >"$tmp/nul.ini"
hostile nul.ini "nul.ini:2: error: NUL byte in column 10"
printf '[scenario]\ntitle = caf\351\n[function main]\nstep = print hi\n' >"$tmp/latin1.ini"
hostile latin1.ini "latin1.ini:2: error: invalid UTF-8 (byte 0xe9 in column 12)"
printf '[scenario]\ntitle = t\n[function main]\nstep = print "\300\257"\n' >"$tmp/overlong.ini"
hostile overlong.ini "overlong.ini:4: error: invalid UTF-8"
printf '[scenario]\ntitle = t\001\n[function main]\nstep = print hi\n' >"$tmp/ctrl.ini"
hostile ctrl.ini "ctrl.ini:2: error: control character 0x01 in column 10"
{ printf '[scenario]\ntitle = t\n[function main]\nstep = print "'
  head -c 100000 /dev/zero | tr '\0' x; printf '"\nstep = bogus\n'; } >"$tmp/longline.ini"
hostile longline.ini "longline.ini:4: error: line is too long (100015 bytes; at most 8192)"
grep -q "longline.ini:5: error: unknown step 'bogus'" "$tmp/err" || bad "long line shifted later line numbers"
{ printf '[scenario]\ntitle = t\n[function main]\n'; yes 'step = sleep 1ms' | head -n 100000; } >"$tmp/lines.ini"
hostile lines.ini "lines.ini:4100: error: too many steps in function 'main' (at most 4096)"
yes 'garbage without equals' | head -n 100000 >"$tmp/garbage.ini"
hostile garbage.ini "garbage.ini: error: 99002 more errors not shown"
{ printf '[scenario]\ntitle = t\n[function main]\nstep = print "'
  head -c 5000 /dev/zero | tr '\0' y; printf '"\n'; } >"$tmp/longtext.ini"
hostile longtext.ini "longtext.ini:4: error: text of print is too long (5000 bytes; at most 4096)"
# CRLF line endings and a UTF-8 byte order mark are fine
printf '\357\273\277[scenario]\r\ntitle = caf\303\251 \342\234\223\r\n[function main]\r\nstep = print "h\303\251"\r\n' >"$tmp/crlf.ini"
"$IPCSCOPE" check "$tmp/crlf.ini" || bad "CRLF + BOM + UTF-8 file rejected"

# ---- every ini example in the docs is a valid scenario ----
awk -v dir="$tmp" '/^```ini$/ { f = 1; n++; next } /^```$/ { f = 0 }
	f { print > (dir "/doc" n ".ini") }' docs/scenario-format.md
ndoc=$(ls "$tmp"/doc*.ini 2>/dev/null | wc -l)
[ "$ndoc" -ge 2 ] || bad "docs/scenario-format.md: only $ndoc ini examples"
for f in "$tmp"/doc*.ini; do
	"$IPCSCOPE" check "$f" || bad "docs example $(basename "$f") is not valid"
done

# ---- list ----
"$IPCSCOPE" list >"$tmp/list" || bad "list failed"
[ "$(wc -l <"$tmp/list")" -eq "$nb" ] || bad "list: $(wc -l <"$tmp/list") lines for $nb scenarios"
grep -Eq '^pool_callback +Pool of 3 with apply_async and a callback$' "$tmp/list" ||
	bad "list: no aligned pool_callback line"
grep -q 'invalid' "$tmp/list" && bad "list shows an invalid scenario"
exit $fail
