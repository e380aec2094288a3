#!/bin/sh
# Deadlock detection from the command line: the wait-for chain names the
# real pids, the run stops with status 1 about 0.3 s after the last event;
# a scenario whose waits have timeouts (the bundled 'deadlock') is not one.
set -u
: "${IPCSCOPE:?}"
cd "$(dirname "$0")/.." || exit 1
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
fail=0

cat >"$T/cycle.ini" <<'INI'
[scenario]
title = cycle
[queue to_alice]
[queue to_bob]
[process alice]
run = fa
[process bob]
run = fb
[function fa]
step = sleep 100ms
step = get to_alice
step = put to_bob "from alice"
[function fb]
step = get to_bob
step = put to_alice "from bob"
[function main]
step = start alice
step = start bob
step = join alice
step = join bob
INI
cat >"$T/thread.ini" <<'INI'
[scenario]
title = a thread and a process stuck
[queue q]
[pipe p]
[thread helper]
run = h
[process kid]
run = k
[function h]
step = get q
[function k]
step = recv p.b
[function main]
step = start kid
step = start helper
step = join helper
INI

for s in cycle thread; do
	"$IPCSCOPE" run --json --speed 20 "$T/$s.ini" >"$T/$s.jsonl" 2>"$T/$s.err"
	rc=$?
	[ "$rc" -eq 1 ] || { echo "t_run_deadlock: $s: exit $rc, want 1"; fail=1; }
done
"$IPCSCOPE" run --json --speed 5 deadlock >"$T/bundled.jsonl" 2>"$T/bundled.err"
rc=$?
[ "$rc" -eq 0 ] || { echo "t_run_deadlock: bundled deadlock (timed joins): exit $rc, want 0"; fail=1; }

python3 - "$T" <<'PY' || fail=1
import json, os, sys
T = sys.argv[1]
def load(n):
    return [json.loads(l) for l in open(os.path.join(T, n + ".jsonl"))][1:]
bad = []
def pid_of(evs, name):
    return [e["pid"] for e in evs if e["ev"] == "spawn" and e["name"] == name][0]

ev = load("cycle")
dl = [e for e in ev if e["ev"] == "deadlock"]
if len(dl) != 1:
    bad.append("cycle: %d deadlock events" % len(dl))
else:
    m, a, b = pid_of(ev, "main"), pid_of(ev, "alice"), pid_of(ev, "bob")
    want = ("main (pid %d) waits in join on process alice (pid %d); "
            "alice (pid %d) waits in get on queue to_alice (empty), which only bob (pid %d) puts to; "
            "bob (pid %d) waits in get on queue to_bob (empty), which only alice (pid %d) puts to -> cycle"
            % (m, a, a, b, b, a))
    if dl[0]["text"] != want:
        bad.append("cycle: chain\n  %s\nwant\n  %s" % (dl[0]["text"], want))
    last = max(e["t"] for e in ev if e["ev"] not in ("deadlock", "end"))
    quiet = dl[0]["t"] - last
    if not (0.29 <= quiet < 1.5):
        bad.append("cycle: detected %.3f s after the last event" % quiet)
    if ev[-1]["ev"] != "end" or ev[-1]["state"] != "deadlock" or ev[-1]["status"] != 1:
        bad.append("cycle: end %s" % ev[-1])

ev = load("thread")
dl = [e for e in ev if e["ev"] == "deadlock"]
if len(dl) != 1:
    bad.append("thread: %d deadlock events" % len(dl))
else:
    m, k = pid_of(ev, "main"), pid_of(ev, "kid")
    tid = [e["tid"] for e in ev if e["ev"] == "thread_start" and e["name"] == "helper"][0]
    for frag in ("main (pid %d) waits in join on thread helper (tid %d)" % (m, tid),
                 "thread helper (tid %d in pid %d) waits in get on queue q (empty), which no live process puts to" % (tid, m),
                 "kid (pid %d) waits in recv on pipe p (nothing in transit), which no live process sends on" % k):
        if frag not in dl[0]["text"]:
            bad.append("thread: %r not in %r" % (frag, dl[0]["text"]))

# The bundled scenario's main joins with a timeout: not a deadlock of the
# run, but alice and bob are stuck for good: reported once, and it goes on.
ev = load("bundled")
dl = [e for e in ev if e["ev"] == "deadlock"]
if len(dl) != 1:
    bad.append("bundled deadlock.ini: %d deadlock events, want 1 (alice and bob stuck)" % len(dl))
else:
    a, b = pid_of(ev, "alice"), pid_of(ev, "bob")
    want = ("alice (pid %d) waits in get on queue to_alice (empty), which only bob (pid %d) puts to; "
            "bob (pid %d) waits in get on queue to_bob (empty), which only alice (pid %d) puts to; "
            "the others go on" % (a, b, b, a))
    if sorted(dl[0]["text"].split("; ")) != sorted(want.split("; ")) or dl[0].get("partial") is not True:
        bad.append("bundled: %r, want partial with %r" % (dl[0], want))
if ev[-1]["ev"] != "end" or ev[-1]["status"] != 0:
    bad.append("bundled: end %s" % ev[-1])
for b in bad:
    print("t_run_deadlock:", b)
sys.exit(1 if bad else 0)
PY
exit $fail
