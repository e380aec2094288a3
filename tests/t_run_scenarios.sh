#!/bin/sh
# The bundled scenarios, run headless at --speed 20, checked against what
# CPython does (issue 3): each run's JSON trace is analysed in Python.
set -u
: "${IPCSCOPE:?}"
cd "$(dirname "$0")/.." || exit 1
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
fail=0

run() {   # run NAME WANT_STATUS [SCENARIO]
	"$IPCSCOPE" run --headless --json --speed 20 "${3:-$1}" >"$T/$1.jsonl" 2>"$T/$1.err"
	rc=$?
	[ "$rc" -eq "$2" ] || { echo "t_run_scenarios: $1: exit $rc, want $2"; cat "$T/$1.err"; fail=1; }
}

cat >"$T/lost.ini" <<'INI'
[scenario]
title = a lost task hangs close + join
timeout = 5s
[pool pool]
processes = 2
[function doomed]
step = sleep 100ms
step = crash KILL
[function work]
step = sleep 200ms
step = return arg
[function main]
step = apply_async pool doomed 99
step = apply_async pool work 1
step = close pool
step = join pool
INI

run pool_callback 0
run pool_apply 0
run manager 0
run queue 0
run pipe 0
run join_before_close 0
run process_threads 0
run queue_timeouts 0
run pipe_eof 0
run broken_pipe 0
run worker_killed 0
run maxtasksperchild 0
run lost 1 "$T/lost.ini"

python3 - "$T" <<'PY' || fail=1
import json, os, sys
T = sys.argv[1]
bad = []
def check(cond, what):
    if not cond:
        bad.append(what)

def load(name):
    lines = open(os.path.join(T, name + ".jsonl"), encoding="utf-8").read().splitlines()
    objs = [json.loads(l) for l in lines]
    return objs[0], objs[1:]

def main_pid(evs):
    return [e["pid"] for e in evs if e["ev"] == "spawn" and e["role"] == "main"][0]

def most_at_once(evs):
    run = most = 0
    for e in evs:
        if e["ev"] == "task_start":
            run += 1; most = max(most, run)
        elif e["ev"] in ("task_end", "lost"):
            run -= 1
    return most

# pool_callback: 3 distinct workers, <= 3 at once, 4 waves, callbacks in
# main's pid on one thread, all 10.
_, ev = load("pool_callback")
starts = [e for e in ev if e["ev"] == "task_start"]
check(len(starts) == 10, "pool_callback: %d task starts" % len(starts))
check(len({e["pid"] for e in starts}) == 3, "pool_callback: worker pids %s" % {e["pid"] for e in starts})
check(most_at_once(ev) == 3, "pool_callback: %d tasks at once" % most_at_once(ev))
ts = sorted(e["t"] for e in starts)
waves = 1 + sum(1 for a, b in zip(ts, ts[1:]) if b - a > 0.05)   # a task takes 0.1 s
check(waves == 4, "pool_callback: %d waves (%s)" % (waves, ts))
cbs = [e for e in ev if e["ev"] == "callback"]
mp = main_pid(ev)
check(len(cbs) == 10, "pool_callback: %d callbacks" % len(cbs))
check(all(e["pid"] == mp for e in cbs), "pool_callback: a callback outside main")
check(len({e["tid"] for e in cbs}) == 1 and cbs[0]["tid"] != mp,
      "pool_callback: callbacks on threads %s" % {e["tid"] for e in cbs})
check(sorted(e["result"] for e in cbs) == list(range(1000, 1010)), "pool_callback: results")

# pool_apply: never two tasks at once.
_, ev = load("pool_apply")
check(most_at_once(ev) == 1, "pool_apply: %d at once" % most_at_once(ev))
check(sum(e["ev"] == "task_end" for e in ev) == 10, "pool_apply: not 10 tasks")

# manager: the dict and the list hold the 10 children's pids.
_, ev = load("manager")
kids = sorted(e["pid"] for e in ev if e["ev"] == "spawn" and e["role"] == "process")
check(len(kids) == 10, "manager: %d children" % len(kids))
prints = [e["text"] for e in ev if e["ev"] == "print"]
d = [p for p in prints if p.startswith("dict: ")]
l = [p for p in prints if p.startswith("list: ")]
check(len(d) == 1 and len(l) == 1, "manager: prints %s" % prints)
if d and l:
    import re
    pairs = re.findall(r"'?(\d+)'?: '?(\d+)'?", d[0])
    dk = sorted(int(k) for k, v in pairs)
    dv = sorted(int(v) for k, v in pairs)
    lv = sorted(int(x) for x in re.findall(r"\d+", l[0][6:]))
    check(dk == kids and dv == kids, "manager: dict %s vs %s" % (d[0], kids))
    check(lv == kids, "manager: list %s vs %s" % (l[0], kids))

# queue and pipe: the exact messages.
_, ev = load("queue")
check([e["text"] for e in ev if e["ev"] == "put"] == ["[1, '23', 'sdad']"], "queue: put")
check([e["text"] for e in ev if e["ev"] == "get"] == ["[1, '23', 'sdad']"], "queue: get")
check("parent got [1, '23', 'sdad']" in [e["text"] for e in ev if e["ev"] == "print"], "queue: print")
_, ev = load("pipe")
check([(e["end"], e["text"]) for e in ev if e["ev"] == "send"] == [("a", "hello"), ("b", "it's me")],
      "pipe: sends %s" % [(e["end"], e["text"]) for e in ev if e["ev"] == "send"])
check([(e["end"], e["text"], e["bytes"]) for e in ev if e["ev"] == "recv"] ==
      [("b", "hello", 5), ("a", "it's me", 7)], "pipe: recvs")

# join_before_close: the error text, and the run finished as written.
_, ev = load("join_before_close")
errs = [e["text"] for e in ev if e["ev"] == "error"]
check("ValueError: Pool is still running" in errs, "join_before_close: errors %s" % errs)
check(ev[-1]["ev"] == "end" and ev[-1]["status"] == 0, "join_before_close: end %s" % ev[-1])

# process_threads: every child has 2 threads (its main one and helper)
# just before the first helper ends.
_, ev = load("process_threads")
kids = {e["pid"] for e in ev if e["ev"] == "spawn" and e["role"] == "process"}
first_end = min(e["t"] for e in ev if e["ev"] == "thread_end" and e.get("def") == "helper")
threads = {p: 1 for p in kids}
for e in ev:
    if e["t"] >= first_end:
        break
    if e["ev"] == "thread_start" and e["pid"] in threads:
        threads[e["pid"]] += 1
    if e["ev"] == "thread_end" and e["pid"] in threads:
        threads[e["pid"]] -= 1
check(len(kids) == 10 and set(threads.values()) == {2}, "process_threads: %s" % threads)

# Full / Empty timeouts, EOF, broken pipe: the CPython errors.
_, ev = load("queue_timeouts")
errs = [e["text"] for e in ev if e["ev"] == "error"]
check(any(x.startswith("queue.Full") for x in errs) and any(x.startswith("queue.Empty") for x in errs),
      "queue_timeouts: %s" % errs)
_, ev = load("pipe_eof")
check(any(e["ev"] == "error" and e["text"].startswith("EOFError") for e in ev), "pipe_eof")
_, ev = load("broken_pipe")
check(any(e["ev"] == "error" and e["text"].startswith("BrokenPipeError") for e in ev),
      "broken_pipe: %s" % [e["text"] for e in ev if e["ev"] == "error"])

# worker_killed: the task is lost, its worker was the one that ran it, a
# new worker replaces it, the other tasks finish.
_, ev = load("worker_killed")
lost = [e for e in ev if e["ev"] == "lost"]
check(len(lost) == 1, "worker_killed: lost %s" % lost)
if lost:
    ran = [e["pid"] for e in ev if e["ev"] == "task_start" and e["task"] == lost[0]["task"]]
    check(ran == [lost[0]["worker"]], "worker_killed: lost worker %s ran %s" % (lost[0]["worker"], ran))
    check(lost[0]["signal"] == 9, "worker_killed: signal")
workers = [e for e in ev if e["ev"] == "spawn" and e["role"] == "worker"]
check(len(workers) == 3, "worker_killed: %d workers spawned" % len(workers))
check(sum(e["ev"] == "callback" for e in ev) == 3, "worker_killed: callbacks")

# maxtasksperchild = 2: no worker runs more than 2 tasks; new pids appear.
_, ev = load("maxtasksperchild")
per = {}
for e in ev:
    if e["ev"] == "task_start":
        per[e["pid"]] = per.get(e["pid"], 0) + 1
check(per and max(per.values()) <= 2 and len(per) >= 6, "maxtasksperchild: %s" % per)

# A lost task makes close + join hang: the run ends at the timeout, and
# the reason names the task and the dead worker.
_, ev = load("lost")
lost = [e for e in ev if e["ev"] == "lost"]
to = [e for e in ev if e["ev"] == "timeout"]
check(len(lost) == 1 and len(to) == 1, "lost: events %s %s" % (lost, to))
if lost and to:
    want = "task %d of pool pool was lost: its worker (pid %d) was killed by SIGKILL" % (
        lost[0]["task"], lost[0]["worker"])
    check(want in to[0]["text"], "lost: timeout text %r" % to[0]["text"])
    check(to[0]["t"] > 0.2 and to[0]["t"] < 2.0, "lost: timeout at %.3f s (5 s / 20)" % to[0]["t"])
check(ev[-1]["ev"] == "end" and ev[-1]["state"] == "timeout", "lost: end %s" % ev[-1])

for b in bad:
    print("t_run_scenarios:", b)
sys.exit(1 if bad else 0)
PY
exit $fail
