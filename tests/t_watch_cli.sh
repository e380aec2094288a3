#!/bin/sh
# ipcscope watch / attach as commands: exit statuses, usage errors, attach
# leaving the tree undisturbed, SIGTERM/SIGINT handling, and a clear
# message (not a crash) for a process we may not read.
set -u
: "${IPCSCOPE:?}"
cd "$(dirname "$0")/.." || exit 1
tmp=$(mktemp -d) || exit 1
bg=""
cleanup() { for p in $bg; do kill -9 "$p" 2>/dev/null; done; rm -rf "$tmp"; }
trap cleanup EXIT INT TERM
fail=0
no() { echo "FAIL: $*"; fail=1; }

W="timeout 20 $IPCSCOPE watch --headless --interval 50"

# CMD's exit status, 128+signal when killed; exec failure is 127.
$W -- sh -c 'exit 3' >/dev/null; rc=$?
[ $rc -eq 3 ] || no "exit 3 gave $rc"
$W -- sh -c 'kill -9 $$' >/dev/null; rc=$?
[ $rc -eq 137 ] || no "SIGKILLed CMD gave $rc, expected 137"
$W -- /nonexistent/cmd >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 127 ] || no "missing CMD gave $rc, expected 127"
grep -q "cannot run '/nonexistent/cmd'" "$tmp/err" || no "no 'cannot run' message: $(cat "$tmp/err")"
# Usage errors.
$IPCSCOPE watch --headless >/dev/null 2>&1; [ $? -eq 2 ] || no "watch without CMD is not a usage error"
$IPCSCOPE watch --interval x -- true >/dev/null 2>&1; [ $? -eq 2 ] || no "bad --interval accepted"
$IPCSCOPE attach >/dev/null 2>&1; [ $? -eq 2 ] || no "attach without PID is not a usage error"
sh -c 'exit 0' & gone=$!; wait $gone
$IPCSCOPE attach --headless "$gone" >/dev/null 2>"$tmp/err"; rc=$?
[ $rc -eq 1 ] && grep -q "no process $gone" "$tmp/err" || no "attach to a gone pid: rc $rc, $(cat "$tmp/err")"

# CMD's output goes to --output, never to ours.
$W --json -- sh -c 'printf "%s-%s\n" abc out; printf "%s-%s\n" abc err >&2' >"$tmp/json" 2>&1
grep -q abc- "$tmp/json" && no "CMD output mixed into ours"
$W --output "$tmp/cmd.out" -- sh -c 'echo hello-out; echo hello-err >&2' >/dev/null
[ "$(cat "$tmp/cmd.out")" = "hello-out
hello-err" ] || no "--output holds: $(cat "$tmp/cmd.out")"

# attach: sees the tree, and leaving does not disturb it.
sh -c 'sleep 30 & sleep 30 & wait' & tree=$!; bg="$bg $tree"
sleep 0.3
timeout 10 "$IPCSCOPE" attach --headless --json --interval 100 --count 3 --record "$tmp/rec" "$tree" >"$tmp/att"
rc=$?
[ $rc -eq 0 ] || no "attach --count 3 exited $rc"
[ "$(wc -l <"$tmp/att")" -eq 3 ] || no "attach --count 3 printed $(wc -l <"$tmp/att") lines"
cmp -s "$tmp/att" "$tmp/rec" || no "--record differs from the printed JSON"
kids=$(ps -o pid= --ppid "$tree" | tr -d ' ' | sort | tr '\n' ' ')
python3 - "$tmp/att" "$tree" "$kids" <<'PY' || fail=1
import json, sys
path, root, kids = sys.argv[1], int(sys.argv[2]), sorted(map(int, sys.argv[3].split()))
for line in open(path):
    s = json.loads(line)
    got = sorted(p["pid"] for p in s["processes"] if p["ppid"] == root)
    if s["root"] != root or got != kids:
        print("FAIL: attach saw root %r children %r, ps says %r %r" % (s["root"], got, root, kids))
        sys.exit(1)
    if [p["role"] for p in s["processes"] if p["pid"] == root] != ["main"]:
        print("FAIL: root role"); sys.exit(1)
PY
for k in $tree $kids; do
	st=$(ps -o stat= -p "$k" | cut -c1)
	[ "$st" = S ] || no "$k is '$st' after attach left, expected S"
done
# SIGINT ends attach cleanly, still without touching the tree.
"$IPCSCOPE" attach --headless --interval 100 "$tree" >/dev/null & att=$!
sleep 0.3; kill -INT $att; wait $att; rc=$?
[ $rc -eq 0 ] || no "attach after SIGINT exited $rc"
kill -0 "$tree" 2>/dev/null || no "the attached tree died"
kill "$tree" $kids 2>/dev/null

# Attaching to our own parent shell: ipcscope never watches itself.
sh -c '"$1" attach --headless --json --count 2 --interval 50 $$ >"$2"; true' sh "$IPCSCOPE" "$tmp/self"
python3 - "$tmp/self" <<'PY' || fail=1
import json, sys
for line in open(sys.argv[1]):
    s = json.loads(line)
    me = [p for p in s["processes"] if " attach " in p["cmdline"] and p["pid"] != s["root"]]
    if me or len(s["processes"]) != 1:
        print("FAIL: ipcscope watched itself: %r" % s["processes"]); sys.exit(1)
PY

# SIGTERM to watch: the CMD process group is ended and reaped.
"$IPCSCOPE" watch --headless --json --interval 100 -- sh -c 'sleep 30 & sleep 30; wait' >"$tmp/w" & wp=$!; bg="$bg $wp"
sleep 0.5
root=$(head -1 "$tmp/w" | python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["root"])')
kids=$(ps -o pid= --ppid "$root" | tr -d ' ')
[ -n "$kids" ] || no "no children of $root before SIGTERM"
kill -TERM $wp; wait $wp; rc=$?
[ $rc -eq 143 ] || no "watch after SIGTERM exited $rc, expected 143"
alive() {   # alive PID: running or sleeping (a zombie awaiting its reaper is not)
	st=$(ps -o stat= -p "$1" 2>/dev/null | cut -c1)
	[ -n "$st" ] && [ "$st" != Z ]
}
for k in $root $kids; do
	n=0
	while alive "$k" && [ $n -lt 20 ]; do sleep 0.1; n=$((n + 1)); done
	alive "$k" && no "$k still alive after watch was terminated"
done

# Our stdout closed (| head): watch stops and ends CMD instead of dying
# by SIGPIPE and leaving it running.
mark="sleep 37.$$"
timeout 10 "$IPCSCOPE" watch --headless --interval 50 -- sh -c "$mark; true" 2>"$tmp/err" | head -1 >/dev/null
n=0
while pgrep -f "^$mark" >/dev/null && [ $n -lt 30 ]; do sleep 0.1; n=$((n + 1)); done
left=$(pgrep -f "^$mark")
[ -n "$left" ] && { no "CMD left running after our output closed"; kill $left; }
grep -q "output closed" "$tmp/err" || no "no 'output closed' message: $(cat "$tmp/err")"

# A process we may not read: a clear message, no crash.
if command -v setpriv >/dev/null && [ "$(id -u)" -eq 0 ]; then
	sleep 5 & s=$!; bg="$bg $s"
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		"$IPCSCOPE" attach --headless --json --count 2 --interval 50 "$s" >"$tmp/perm" 2>&1
	rc=$?
	[ $rc -eq 0 ] || no "unprivileged attach exited $rc: $(cat "$tmp/perm")"
	grep -q '"error":"cannot read its descriptors: Permission denied (EACCES)' "$tmp/perm" ||
		no "no EACCES message: $(head -c 400 "$tmp/perm")"
	kill $s
fi
exit $fail
