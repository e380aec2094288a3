#!/bin/sh
# Faults, each repeated FAULT_REPS times (default 20), headless at --speed
# 20: SIGKILL of a pool worker (a replacement starts, its task is reported
# lost, the other tasks finish), of the manager (its users get a clear
# uncaught BrokenPipeError and the run ends cleanly), of the main process
# (the run ends as failed, every scenario process dies with main), of a
# plain process (its join reports exit code -9, the run finishes), and of
# ipcscope itself (every scenario process dies with it). After each: no
# process left in the run's process group (orphans and zombies count: the
# test is a child subreaper, so orphans become its children and it reaps
# only dead ones; init here reaps too slowly to tell), no new /dev/shm
# entry, nothing in the run's private TMPDIR.
set -u
: "${IPCSCOPE:?}"
cd "$(dirname "$0")/.." || exit 1
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
python3 - "$IPCSCOPE" "$T" "${FAULT_REPS:-20}" <<'PY'
import json, os, signal, subprocess, sys, threading, time
ipc, T, reps = sys.argv[1], sys.argv[2], int(sys.argv[3])
bad = []

def scen(name, text):
    p = os.path.join(T, name + ".ini")
    open(p, "w").write(text)
    return p

POOL = scen("pool", """[scenario]
title = a pool worker killed
timeout = 30s
[pool pool]
processes = 2
[function work]
step = sleep 1s
step = return arg
[function main]
step = repeat 4
step = apply_async pool work {i}
step = end
step = sleep 4s
step = terminate pool
step = join pool
""")
MGR = scen("mgr", """[scenario]
title = the manager killed
timeout = 30s
[manager mgr]
[process user]
run = use
count = 2
[function use]
step = repeat 40
step = dict_set mgr k{arg} "{i}"
step = sleep 1s
step = end
[function main]
step = start user
step = join user
""")
LONG = scen("long", """[scenario]
title = long
timeout = 10m
[queue q]
[manager mgr]
POOL_SECTION
[process kid]
run = kid_main
count = 3
[thread helper]
run = nap
[function nap]
step = sleep 1m
[function kid_main]
step = start helper
step = get q
[function main]
step = start kid
step = join kid
""")
# gcc 12's ASan allocator is not fork-safe: a fork while another thread of
# main (a pool's handler threads) holds its lock can leave the child stuck
# in malloc. Under the ASan binary the long scenario has no pool.
asan = b"libasan" in subprocess.run(["ldd", ipc], capture_output=True).stdout
LONG = scen("long", open(LONG).read().replace(
    "POOL_SECTION", "" if asan else "[pool pool]\nprocesses = 2"))
PLAIN = scen("plain", """[scenario]
title = a plain process killed
timeout = 30s
[process kid]
run = nap
[function nap]
step = sleep 1m
[function main]
step = start kid
step = join kid
step = print "joined"
""")

import ctypes
PR_SET_CHILD_SUBREAPER = 36
ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)

def reap():
    try:
        while os.waitpid(-1, os.WNOHANG)[0] > 0:
            pass
    except ChildProcessError:
        pass

def shm():
    try:
        return {e for e in os.listdir("/dev/shm") if not e.startswith("sem.mp-")}
    except OSError:
        return set()

def group(pg):
    n = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            s = open("/proc/%s/stat" % d).read()
        except OSError:
            continue
        f = s[s.rindex(")") + 2:].split()
        if int(f[2]) == pg:
            n.append((int(d), f[0]))
    return n

def run(case, ini, trigger, victim):
    """Run ini; at the first event for which trigger(ev, evs) is true,
    SIGKILL victim(ev, evs, proc). Returns (status, events, killed pid, main pid)."""
    t_start = time.monotonic()
    tmp = os.path.join(T, "tmp")
    os.makedirs(tmp, exist_ok=True)
    env = dict(os.environ, TMPDIR=tmp)
    p = subprocess.Popen([ipc, "run", "--headless", "--json", "--speed", "20", ini],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env)
    evs, killed, main = [], None, None
    watchdog = threading.Timer(20, p.kill)
    watchdog.start()
    for line in p.stdout:
        try:
            e = json.loads(line)
        except ValueError:
            continue
        evs.append(e)
        if e.get("ev") == "spawn" and e.get("role") == "main":
            main = e["pid"]
        if killed is None and trigger(e, evs):
            killed = victim(e, evs, p)
            os.kill(killed, signal.SIGKILL)
    rc = p.wait()
    if not watchdog.is_alive():
        bad.append("%s: no end after 20 s" % case)
    watchdog.cancel()
    if main is None:
        bad.append("%s: no main" % case)
        main = 0
    # nothing left: the group empties (SIGKILL of ipcscope: within 3 s).
    # Orphans come to this test (a child subreaper), which reaps them once
    # dead; a live one, or a zombie nobody reaps, stays in the group.
    end = time.monotonic() + 3
    while group(main) and time.monotonic() < end:
        reap()
        time.sleep(0.02)
    if group(main):
        bad.append("%s: left in group %d: %s" % (case, main, group(main)))
    if os.listdir(tmp):
        bad.append("%s: temp files %s" % (case, os.listdir(tmp)))
    if killed is None:
        bad.append("%s: the trigger never came" % case)
    took[case] = took.get(case, 0) + time.monotonic() - t_start
    return rc, evs, killed

def evs_of(evs, kind, **kw):
    return [e for e in evs if e.get("ev") == kind and all(e.get(k) == v for k, v in kw.items())]

shm0 = shm()
took = {}
t0 = time.monotonic()
for i in range(reps):
    # 1. a pool worker, while it runs a task
    rc, evs, k = run("worker", POOL, lambda e, _: e.get("ev") == "task_start",
                     lambda e, _, p: e["pid"])
    lost = evs_of(evs, "lost")
    workers = evs_of(evs, "spawn", role="worker")
    ends = evs_of(evs, "task_end")
    if rc != 0 or len(lost) != 1 or len(workers) != 3 or len(ends) != 3 or \
       not any(e["pid"] == k and e.get("status") == -9 for e in evs_of(evs, "exit")):
        bad.append("worker #%d: status %d, %d lost, %d worker spawns, %d tasks done"
                   % (i, rc, len(lost), len(workers), len(ends)))
    # 2. the manager, once both users have used it
    rc, evs, k = run("manager", MGR,
                     lambda e, evs: e.get("ev") == "manager" and
                         len({x["pid"] for x in evs_of(evs, "manager")}) == 2,
                     lambda e, evs, p: evs_of(evs, "spawn", role="manager")[0]["pid"])
    errs = [e for e in evs_of(evs, "error") if not e.get("handled")]
    users = {e["pid"] for e in evs_of(evs, "spawn", role="process")}
    if rc != 0 or {e["pid"] for e in errs} != users or \
       not all(e["text"].startswith(("BrokenPipeError", "ConnectionResetError", "EOFError"))
               for e in errs) or \
       not any(e["pid"] == k and e.get("status") == -9 for e in evs_of(evs, "exit")):
        bad.append("manager #%d: status %d, errors %s" % (i, rc, [e.get("text") for e in errs]))
    # 3. the main process, with processes, threads, a pool and a manager
    rc, evs, k = run("main", LONG,
                     lambda e, evs: len(evs_of(evs, "thread_start", name="helper")) == 3,
                     lambda e, evs, p: evs_of(evs, "spawn", role="main")[0]["pid"])
    end = evs_of(evs, "end")
    if rc != 1 or len(end) != 1 or end[0].get("state") != "failed":
        bad.append("main #%d: status %d, end %s" % (i, rc, end))
    # 4. a plain process, joined by main
    rc, evs, k = run("plain", PLAIN, lambda e, _: e.get("ev") == "spawn" and e.get("role") == "process",
                     lambda e, _, p: e["pid"])
    if rc != 0 or not any(e["pid"] == k and e.get("status") == -9 for e in evs_of(evs, "exit")) or \
       len(evs_of(evs, "print")) != 1:
        bad.append("plain #%d: status %d" % (i, rc))
    # 5. ipcscope itself
    rc, evs, k = run("ipcscope", LONG,
                     lambda e, evs: len(evs_of(evs, "thread_start", name="helper")) == 3,
                     lambda e, evs, p: p.pid)
    if rc != -9:
        bad.append("ipcscope #%d: status %d" % (i, rc))
    if shm() != shm0:
        bad.append("#%d: /dev/shm changed: %s" % (i, shm() ^ shm0))
    if len(bad) > 10:
        break
for b in bad[:20]:
    print("t_fault_kill:", b)
print("t_fault_kill: %d x 5 faults in %.1f s (%s), %d problems" % (reps, time.monotonic() - t0,
      ", ".join("%s %.1f s" % kv for kv in took.items()), len(bad)))
sys.exit(1 if bad else 0)
PY
