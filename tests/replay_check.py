#!/usr/bin/env python3
"""Checks for tests/t_replay.sh and tests/t_export.sh.

  replay_check.py timeline LIVE_OUT REPLAY_OUT
      the live headless output and `replay --headless` print the same
      timeline (event for event, all columns but the time) and the same
      summary tallies.
  replay_check.py state TRACE REPLAY_OUT
      the state `replay --headless` prints at the end agrees with counts
      taken from the recording (messages per queue and pipe, tasks,
      callbacks, processes).
  replay_check.py perfetto TRACE OUT.json
      Chrome Trace Event structure: every slice complete (X, dur >= 0) and
      nested on its track, every flow start matched by one end (later, on a
      slice), every pid and tid named; and the same counts as the recording:
      a task slice per finished task, a callback slice per callback, a flow
      per get / recv that had a put / send before it.
  replay_check.py csv TRACE OUT.csv
      one row per event with a header row, the same kinds in the same order,
      texts intact (RFC 4180).
Prints what is wrong and exits 1, or exits 0.
"""
import collections
import csv
import json
import sys

errors = []


def err(msg):
    errors.append(msg)


def read_trace(path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    header = json.loads(lines[0])
    events = [json.loads(l) for l in lines[1:] if l]
    return header, events


OBJ_KEYS = ("queue", "pipe", "pool", "manager", "process", "thread")


def timeline_part(path):
    rows, summary = [], []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("-- state at"):
                break
            if line.startswith("-- ") or summary:
                summary.append(line)
            else:
                rows.append(line)
    return rows, summary


def check_timeline(live, replay):
    lrows, lsum = timeline_part(live)
    rrows, rsum = timeline_part(replay)
    if len(lrows) != len(rrows):
        err("timeline: %d lines live, %d replayed" % (len(lrows), len(rrows)))
    for i, (a, b) in enumerate(zip(lrows, rrows)):
        # The time column: the live printer truncates to microseconds, the
        # trace rounds; everything after it must be identical.
        if a.split(None, 1)[1:] != b.split(None, 1)[1:]:
            err("timeline line %d differs:\n  live:   %s\n  replay: %s" % (i + 1, a, b))
            break
        ta, tb = float(a.split()[0]), float(b.split()[0])
        if abs(ta - tb) > 2e-6:
            err("timeline line %d: time %f vs %f" % (i + 1, ta, tb))
            break

    def tallies(lines):
        skip = ("wall time", "ring waits", "late events")
        return [l for l in lines[1:] if not l.strip().startswith(skip)]
    if tallies(lsum) != tallies(rsum):
        err("summary differs:\n  live:   %s\n  replay: %s" % (tallies(lsum), tallies(rsum)))
    if lsum and rsum and lsum[0] != rsum[0]:
        err("outcome differs: %r vs %r" % (lsum[0], rsum[0]))


def kv(line):
    out = {}
    for part in line.split()[2:]:
        if "=" in part:
            k, v = part.split("=", 1)
            out[k] = v
    return out


def check_state(trace, replay):
    _, events = read_trace(trace)
    state = {}
    with open(replay, encoding="utf-8") as f:
        lines = f.read().split("\n")
    try:
        start = next(i for i, l in enumerate(lines) if l.startswith("-- state at"))
    except StopIteration:
        err("no state section")
        return
    for l in lines[start + 1:]:
        if l:
            w = l.split()
            state[(w[0], w[1])] = kv(l)
    count = collections.Counter()
    for e in events:
        k = e["ev"]
        if k in ("put", "get"):
            count[("queue", e["queue"], k)] += 1
        elif k in ("send", "recv"):
            count[("pipe", e["pipe"], k + "_" + e["end"])] += 1
        elif k == "spawn":
            count["spawn"] += 1
        elif k in ("callback", "submit", "task_end"):
            count[(k, e["pool"])] += 1
    for (kind, name), f in state.items():
        if kind == "queue":
            for op, key in (("put", "puts"), ("get", "gets")):
                if int(f[key]) != count[("queue", name, op)]:
                    err("queue %s: %s=%s, the recording has %d" % (name, key, f[key], count[("queue", name, op)]))
        elif kind == "pipe":
            for key, c in (("sent_a", "send_a"), ("sent_b", "send_b"), ("recv_a", "recv_a"), ("recv_b", "recv_b")):
                if int(f[key]) != count[("pipe", name, c)]:
                    err("pipe %s: %s=%s, the recording has %d" % (name, key, f[key], count[("pipe", name, c)]))
        elif kind == "pool":
            if int(f["submitted"]) != count[("submit", name)]:
                err("pool %s: submitted=%s, recording %d" % (name, f["submitted"], count[("submit", name)]))
            if int(f["callbacks"]) != count[("callback", name)]:
                err("pool %s: callbacks=%s, recording %d" % (name, f["callbacks"], count[("callback", name)]))
            if int(f["done"]) + int(f["failed"]) != count[("task_end", name)]:
                err("pool %s: done+failed=%s+%s, recording %d task_end" % (name, f["done"], f["failed"], count[("task_end", name)]))
    # Every spawned process, and at most every pid seen (a process killed
    # before its spawn record was written is known by its other events).
    procs = {int(k[1]) for k in state if k[0] == "process"}
    spawned = {e["pid"] for e in events if e["ev"] == "spawn"}
    seen = {e["pid"] for e in events if e["ev"] not in ("signal", "deadlock", "timeout", "end")}
    if not spawned <= procs <= seen:
        err("processes in the state %s; spawned %s; seen %s" % (sorted(procs), sorted(spawned), sorted(seen)))
    tot = state.get(("totals", "events=%d" % len(events)))
    if tot is None:
        err("totals line does not say events=%d" % len(events))


def check_perfetto(trace, out):
    _, events = read_trace(trace)
    with open(out, encoding="utf-8") as f:
        doc = json.load(f)
    tev = doc["traceEvents"]
    named_pid, named_tid = set(), set()
    used = set()
    slices = collections.defaultdict(list)
    flows = collections.defaultdict(dict)
    ncat = collections.Counter()
    for e in tev:
        ph = e["ph"]
        if ph == "M":
            if e["name"] == "process_name":
                named_pid.add(e["pid"])
            elif e["name"] == "thread_name":
                named_tid.add((e["pid"], e["tid"]))
            if not e["args"].get("name"):
                err("metadata without a name: %r" % e)
            continue
        used.add((e["pid"], e["tid"]))
        if ph in ("B", "E"):
            err("B/E event (slices should be X): %r" % e)
        elif ph == "X":
            if e["dur"] < 0:
                err("negative dur: %r" % e)
            slices[(e["pid"], e["tid"])].append((e["ts"], e["ts"] + e["dur"], e["name"]))
            ncat[e.get("cat")] += 1
        elif ph in ("s", "f"):
            if e["id"] in flows and ph in flows[e["id"]]:
                err("flow id %s has two %s events" % (e["id"], ph))
            flows[e["id"]][ph] = e
            if ph == "f" and e.get("bp") != "e":
                err("flow end not bound to its enclosing slice: %r" % e)
        elif ph == "C":
            if not e.get("args") or not all(isinstance(v, (int, float)) for v in e["args"].values()):
                err("counter without numeric args: %r" % e)
            ncat["counter " + e["name"]] += 1
        elif ph == "i":
            if e.get("s") not in ("t", "p", "g"):
                err("instant without scope: %r" % e)
            ncat["instant " + e["name"].split()[0].rstrip(":")] += 1
        else:
            err("unexpected ph %r" % ph)
    for pid, tid in used:
        if pid not in named_pid:
            err("pid %d has no process_name" % pid)
        if (pid, tid) not in named_tid:
            err("tid %d (pid %d) has no thread_name" % (tid, pid))
    # Slices nest on every track (a stack, sorted by start then longest).
    for track, sl in slices.items():
        sl.sort(key=lambda s: (s[0], -s[1]))
        stack = []
        for s in sl:
            # Perfetto's rule: a slice ending where the next starts is done.
            while stack and stack[-1][1] <= s[0]:
                stack.pop()
            if stack and s[1] > stack[-1][1] + 1e-6:
                err("slice %r overlaps %r on %r without nesting" % (s, stack[-1], track))
                break
            stack.append(s)

    def on_slice(e):
        for s in slices.get((e["pid"], e["tid"]), ()):
            if s[0] - 1e-6 <= e["ts"] <= s[1] + 1e-6:
                return True
        return False
    nflow = collections.Counter()
    for fid, pair in flows.items():
        if set(pair) != {"s", "f"}:
            err("flow %s is not matched (has %s)" % (fid, sorted(pair)))
            continue
        s, f = pair["s"], pair["f"]
        if f["ts"] < s["ts"]:
            err("flow %s ends before it starts" % fid)
        if not on_slice(s) or not on_slice(f):
            err("flow %s is not on a slice" % fid)
        nflow[s["name"]] += 1
    # The same counts as the recording.
    want = collections.Counter()
    pending = collections.Counter()
    for e in events:
        k = e["ev"]
        if k == "put":
            pending[("queue", e["queue"])] += 1
        elif k == "send":
            pending[("pipe", e["pipe"], e["end"])] += 1
        elif k == "get":
            key = ("queue", e["queue"])
            if pending[key]:
                pending[key] -= 1
                want["queue " + e["queue"]] += 1
        elif k == "recv":
            key = ("pipe", e["pipe"], "b" if e["end"] == "a" else "a")
            if pending[key]:
                pending[key] -= 1
                want["pipe " + e["pipe"]] += 1
    if dict(nflow) != dict(want):
        err("flows per queue/pipe %r, want %r" % (dict(nflow), dict(want)))
    ntask = sum(1 for e in events if e["ev"] == "task_end")
    nstart = sum(1 for e in events if e["ev"] == "task_start")
    tasks = [e for e in tev if e["ph"] == "X" and e.get("cat") == "task"]
    if len(tasks) != nstart:
        err("%d task slices, %d task_start events" % (len(tasks), nstart))
    if sum(1 for t in tasks if "never ended" not in t["args"]["info"]) != ntask:
        err("finished task slices differ from %d task_end events" % ntask)
    ncb = sum(1 for e in events if e["ev"] == "callback")
    if ncat["callback"] != ncb:
        err("%d callback slices, %d callbacks" % (ncat["callback"], ncb))
    # Callbacks sit on main's result-handler thread.
    rh = {(e["pid"], e["tid"]) for e in events if e["ev"] == "thread_start" and e.get("role") == "result-handler"}
    for e in tev:
        if e["ph"] == "X" and e.get("cat") == "callback" and (e["pid"], e["tid"]) not in rh:
            err("callback slice not on a result-handler thread: %r" % e)
            break
    # Task slices on the worker that ran them.
    starts = {(e["pool"], e["task"]): (e["pid"], e["tid"]) for e in events if e["ev"] == "task_start"}
    for t in tasks:
        info = dict(p.split("=", 1) for p in t["args"]["info"].split() if "=" in p)
        if starts.get((info.get("pool"), int(info.get("task", -1)))) != (t["pid"], t["tid"]):
            err("task slice on the wrong track: %r" % t)
            break
    for kind in ("exit", "error"):
        n = sum(1 for e in events if e["ev"] == kind)
        if ncat["instant " + kind] != n:
            err("%d %s instants, %d %s events" % (ncat["instant " + kind], kind, n, kind))
    nq = sum(1 for e in events if e["ev"] in ("put", "get"))
    nc = sum(v for k, v in ncat.items() if k.startswith("counter queue"))
    if nq != nc:
        err("%d queue depth counter samples, %d puts and gets" % (nc, nq))


def check_csv(trace, out):
    _, events = read_trace(trace)
    with open(out, encoding="utf-8", newline="") as f:
        data = f.read()
    if data and not data.endswith("\r\n"):
        err("csv: lines do not end with CRLF")
    rows = list(csv.reader(data.splitlines(keepends=True)))
    if rows[0] != ["t", "pid", "tid", "ev", "object_kind", "object", "info", "text"]:
        err("csv header %r" % rows[0])
    body = rows[1:]
    if len(body) != len(events):
        err("csv: %d rows, %d events" % (len(body), len(events)))
    for i, (r, e) in enumerate(zip(body, events)):
        if len(r) != 8:
            err("csv row %d has %d fields" % (i + 2, len(r)))
            break
        text = e.get("text", e.get("name", "") if e["ev"] in ("spawn", "thread_start") else "")
        if r[3] != e["ev"] or int(r[1]) != e["pid"] or abs(float(r[0]) - e["t"]) > 2e-6 or r[7] != text:
            err("csv row %d: %r, event %r" % (i + 2, r, e))
            break
        obj = next((e[k] for k in OBJ_KEYS if k in e), e.get("def", ""))
        if r[5] != obj:
            err("csv row %d: object %r, want %r" % (i + 2, r[5], obj))
            break


def main():
    what, a, b = sys.argv[1:4]
    {"timeline": check_timeline, "state": check_state, "perfetto": check_perfetto,
     "csv": check_csv}[what](a, b)
    for e in errors[:10]:
        print("  " + e)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
