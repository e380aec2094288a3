#!/usr/bin/env python3
"""Check a JSON trace of tests/load/load.ini: every process, message and
task accounted for, checksums and order included.

    check_trace.py TRACE [SUMMARY]

TRACE is the JSON-lines trace; SUMMARY (optional) the headless summary
(stderr of --json), whose counts must equal the trace's. Prints the
figures; exits 1 with the problems found."""
import collections, json, re, sys

PRODUCERS, PER_PRODUCER, TASKS, PROCESSES = 20, 50000, 100000, 1000
bad = []
count = collections.Counter()
spawned, exited = set(), set()
producer_arg = {}          # pid -> copy index (its arg)
put_seen = set()           # "P-I" texts put
got = collections.Counter()
last_from = {}             # (consumer pid, producer) -> last I got
results = {}
roles = collections.Counter()
t_prev = None
for line in open(sys.argv[1], encoding="utf-8"):
    e = json.loads(line)
    ev = e.get("ev")
    if ev is None:
        continue           # the header
    count[ev] += 1
    if ev == "spawn":
        spawned.add(e["pid"])
        roles[e["role"]] += 1
        if e.get("def") == "producer":
            producer_arg[e["pid"]] = e["copy"]
    elif ev == "exit":
        exited.add(e["pid"])
    elif ev == "put":
        p, i = e["text"].split("-")
        if int(p) != producer_arg.get(e["pid"]):
            bad.append("put %r by pid %d (producer %s)" % (e["text"], e["pid"], producer_arg.get(e["pid"])))
        if e["text"] in put_seen:
            bad.append("put twice: %r" % e["text"])
        put_seen.add(e["text"])
    elif ev == "get":
        got[e["text"]] += 1
        p, i = map(int, e["text"].split("-"))
        k = (e["pid"], p)
        if last_from.get(k, -1) >= i:
            bad.append("consumer %d got %d-%d after %d-%d" % (e["pid"], p, i, p, last_from[k]))
        last_from[k] = i
    elif ev == "task_end":
        results[e["task"]] = e
    if len(bad) > 20:
        break

want = {"%d-%d" % (p, i) for p in range(PRODUCERS) for i in range(PER_PRODUCER)}
if put_seen != want:
    bad.append("puts: %d, %d missing, %d unexpected" % (len(put_seen), len(want - put_seen), len(put_seen - want)))
if set(got) != want or any(n != 1 for n in got.values()):
    bad.append("gets: %d distinct, %d duplicated, %d missing" %
               (len(got), sum(1 for n in got.values() if n > 1), len(want - set(got))))
if count["put"] != PRODUCERS * PER_PRODUCER or count["get"] != PRODUCERS * PER_PRODUCER:
    bad.append("%d put and %d get events" % (count["put"], count["get"]))
if len(spawned) != PROCESSES or roles["process"] != 997 or roles["worker"] != 2:
    bad.append("%d processes spawned (%s)" % (len(spawned), dict(roles)))
if spawned != exited:
    bad.append("%d spawned processes without an exit event" % len(spawned - exited))
if count["submit"] != TASKS or count["task_start"] != TASKS or len(results) != TASKS:
    bad.append("tasks: %d submitted, %d started, %d ended" % (count["submit"], count["task_start"], len(results)))
sums = sum(r.get("result", 0) for r in results.values())
if sums != sum(a + 7 for a in range(TASKS)):
    bad.append("task results sum %d, want %d" % (sums, sum(a + 7 for a in range(TASKS))))
if count["end"] != 1:
    bad.append("%d end events" % count["end"])

if len(sys.argv) > 2:
    s = open(sys.argv[2], encoding="utf-8").read()
    m = re.search(r"; (\d+) events", s)
    total = sum(count.values())
    if not m or int(m.group(1)) != total:
        bad.append("summary says %s events, the trace has %d" % (m and m.group(1), total))
    m = re.search(r"queue q: (\d+) put, (\d+) got", s)
    if not m or (int(m.group(1)), int(m.group(2))) != (count["put"], count["get"]):
        bad.append("summary queue counts %s" % (m and m.groups(),))
    m = re.search(r"tasks (\d+) submitted, (\d+) done, (\d+) raised, (\d+) lost", s)
    if not m or m.groups() != (str(TASKS), str(TASKS), "0", "0"):
        bad.append("summary tasks %s" % (m and m.groups(),))
    m = re.search(r"processes (\d+),", s)
    if not m or int(m.group(1)) != PROCESSES:
        bad.append("summary processes %s" % (m and m.group(1)))

print("load trace: %d events: %d processes, %d put / %d got (all %d checksums, per-producer order per consumer), %d tasks (result sum ok)"
      % (sum(count.values()), len(spawned), count["put"], count["get"], len(want), len(results)))
for b in bad[:20]:
    print("FAIL:", b)
sys.exit(1 if bad else 0)
