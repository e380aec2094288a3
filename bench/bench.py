#!/usr/bin/env python3
"""ipcscope benchmarks, side by side with their references.

Every figure runs RUNS times (default 5) for ipcscope and for its reference,
on this machine, in one go; prints min / median / max, the ratio of the
medians, and PASS or FAIL against the target. Every run's work is checked
(task, message and event counts); a run whose counts are wrong is an error,
not a number. See docs/performance.md.
"""
import os, re, statistics, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
PY = os.environ.get("PYTHON", "python3")
# Tasks in the pool figure (scenarios/pool_throughput.ini repeats as many):
# enough that starting the run (observer, main, the pool's workers and
# threads: a few ms, which CPython's figure leaves out) weighs little.
POOL_TASKS = 100000


def sh(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def build_refs(tmp):
    out = {}
    for name in ("pipe_stream", "pipe_pingpong", "fork_join"):
        exe = os.path.join(tmp, name)
        r = sh(["cc", "-O2", "-o", exe, os.path.join(HERE, "ref", name + ".c")])
        if r.returncode:
            sys.exit("bench: cannot build %s:\n%s" % (name, r.stderr))
        out[name] = exe
    return out


def count_secs(cmd, pin=None):
    """Run a reference printing '<count> <seconds>'."""
    if pin is not None:
        cmd = ["taskset", "-c", pin] + cmd
    r = sh(cmd)
    if r.returncode:
        sys.exit("bench: %s failed: %s" % (" ".join(cmd), r.stderr))
    n, s = r.stdout.split()
    return int(n), float(s)


SUMMARY = {
    "wall": re.compile(r"wall time ([0-9.]+) s"),
    "events": re.compile(r"; (\d+) events"),
    "tasks": re.compile(r"tasks (\d+) submitted, (\d+) done, (\d+) raised, (\d+) lost.*callbacks (\d+)"),
    "queue": re.compile(r"queue \S+: (\d+) put, (\d+) got"),
    "pipe": re.compile(r"pipe \S+: a->b (\d+) messages .*b->a (\d+) messages"),
    "mgr": re.compile(r"manager \S+: (\d+) operations"),
    "procs": re.compile(r"processes (\d+),"),
    "prints": re.compile(r"prints (\d+),"),
    "waits": re.compile(r"ring waits (\d+)"),
}


def ipcscope(binary, scenario, extra=(), pin=None, sample_rss=False):
    """Run a bench scenario headless; return (summary fields, max observer RSS KiB)."""
    cmd = [binary, "run", "--headless"] + list(extra) + [os.path.join(HERE, "scenarios", scenario + ".ini")]
    if pin is not None:
        cmd = ["taskset", "-c", pin] + cmd
    # Output goes to a file, never to an unread pipe: a stalled stdout
    # would stall the observer and so the run.
    with tempfile.TemporaryFile("w+") as outf:
        p = subprocess.Popen(cmd, stdout=outf, stderr=subprocess.STDOUT, text=True)
        rss = 0
        while p.poll() is None:
            if sample_rss:
                # the observer is ipcscope itself (taskset execs it)
                try:
                    with open("/proc/%d/status" % p.pid) as f:
                        for line in f:
                            if line.startswith("VmRSS:"):
                                rss = max(rss, int(line.split()[1]))
                except OSError:
                    pass
            time.sleep(0.02)
        outf.seek(0)
        out, err = outf.read(), ""
    if p.returncode:
        sys.exit("bench: %s exited %d:\n%s" % (" ".join(cmd), p.returncode, out[-2000:]))
    text = out + err
    fields = {}
    for k, rx in SUMMARY.items():
        m = rx.search(text)
        if m:
            fields[k] = tuple(float(g) if "." in g else int(g) for g in m.groups())
    if "wall" not in fields:
        sys.exit("bench: no summary from %s" % " ".join(cmd))
    return fields, rss


def expect(cond, what):
    if not cond:
        sys.exit("bench: wrong result: " + what)


def stats(xs):
    return min(xs), statistics.median(xs), max(xs)


def fmt(x):
    if x >= 1e6:
        return "%.2fM" % (x / 1e6)
    if x >= 1e3:
        return "%.1fk" % (x / 1e3)
    if x >= 10:
        return "%.0f" % x
    return "%.3g" % x


results = []


def report(name, unit, ours, ref_name, ref, target_desc, passed, ratio):
    lo, med, hi = stats(ours)
    line = "%-34s ipcscope %8s %-9s [%s..%s]" % (name, fmt(med), unit, fmt(lo), fmt(hi))
    if ref is not None:
        rlo, rmed, rhi = stats(ref)
        line += "  %-14s %8s [%s..%s]  ratio %6.2fx" % (ref_name, fmt(rmed), fmt(rlo), fmt(rhi), ratio)
    line += "  target %-12s %s" % (target_desc, "PASS" if passed else "FAIL")
    print(line, flush=True)
    results.append((name, passed))


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: bench.py PATH/TO/ipcscope")
    binary = os.path.abspath(sys.argv[1])
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    print("ipcscope bench: %d runs each; nproc %d; CPU %s; %s" % (RUNS, os.cpu_count(), cpu, time.strftime("%Y-%m-%d %H:%M")))
    print("load average %.2f %.2f %.2f at the start (other work on the machine slows both sides unevenly)" % os.getloadavg())
    print("rates are per second; min/median/max in brackets; ratio = ipcscope median / reference median (time ratios: ipcscope / reference)")
    tmp = tempfile.mkdtemp(prefix="ipcscope-bench-")
    try:
        refs = build_refs(tmp)
        only = os.environ.get("BENCH_ONLY", "")

        def want(n):
            return not only or n in only.split(",")

        if want("pool"):
            ours, ref = [], []
            for _ in range(RUNS):
                f, _r = ipcscope(binary, "pool_throughput")
                expect(f["tasks"] == (POOL_TASKS, POOL_TASKS, 0, 0, POOL_TASKS), "pool counts %r" % (f["tasks"],))
                ours.append(POOL_TASKS / f["wall"][0])
                n, s = count_secs([PY, os.path.join(HERE, "py", "pool_throughput.py"), str(POOL_TASKS)])
                expect(n == POOL_TASKS, "CPython pool tasks %d" % n)
                ref.append(n / s)
            r = statistics.median(ours) / statistics.median(ref)
            report("pool apply_async+callback, 2 w", "tasks/s", ours, "CPython Pool", ref, ">= 20x", r >= 20, r)

        if want("queue"):
            ours, cpy, raw = [], [], []
            for _ in range(RUNS):
                f, _r = ipcscope(binary, "queue_throughput")
                expect(f["queue"] == (100000, 100000), "queue counts %r" % (f["queue"],))
                ours.append(100000 / f["wall"][0])
                n, s = count_secs([PY, os.path.join(HERE, "py", "queue_throughput.py"), "100000"])
                cpy.append(n / s)
                n, s = count_secs([refs["pipe_stream"], "100000"])
                raw.append(n / s)
            r1 = statistics.median(ours) / statistics.median(cpy)
            r2 = statistics.median(ours) / statistics.median(raw)
            report("queue 1 producer -> 1 consumer", "msgs/s", ours, "CPython Queue", cpy, ">= 10x", r1 >= 10, r1)
            report("queue 1 producer -> 1 consumer", "msgs/s", ours, "raw pipe", raw, ">= 0.5x", r2 >= 0.5, r2)

        if want("pipe"):
            ours, raw = [], []
            for _ in range(RUNS):
                f, _r = ipcscope(binary, "pipe_roundtrip", pin="0")
                expect(f["pipe"] == (50000, 50000), "pipe counts %r" % (f["pipe"],))
                ours.append(f["wall"][0] / 50000 * 1e6)
                n, s = count_secs([refs["pipe_pingpong"], "50000"], pin="0")
                raw.append(s / n * 1e6)
            r = statistics.median(ours) / statistics.median(raw)
            report("pipe round trip (both on CPU 0)", "us/rt", ours, "raw pipe", raw, "<= 1.15x", r <= 1.15, r)

        if want("spawn"):
            ours, raw = [], []
            for _ in range(RUNS):
                f, _r = ipcscope(binary, "process_start")
                expect(f["procs"][0] == 2001, "process count %r" % (f["procs"],))
                ours.append(f["wall"][0] / 2000 * 1e6)
                n, s = count_secs([refs["fork_join"], "2000"])
                raw.append(s / n * 1e6)
            r = statistics.median(ours) / statistics.median(raw)
            report("process start + join", "us/proc", ours, "fork+waitpid", raw, "<= 1.5x", r <= 1.5, r)

        if want("manager"):
            ours, ref = [], []
            for _ in range(RUNS):
                f, _r = ipcscope(binary, "manager_updates")
                expect(f["mgr"][0] >= 20000, "manager ops %r" % (f["mgr"],))
                ours.append(20000 / f["wall"][0])
                n, s = count_secs([PY, os.path.join(HERE, "py", "manager_updates.py"), "5000"])
                ref.append(n / s)
            r = statistics.median(ours) / statistics.median(ref)
            report("Manager dict updates, 4 procs", "updates/s", ours, "CPython Manager", ref, ">= 5x", r >= 5, r)

        if want("record"):
            plain, rec = [], []
            path = os.path.join(tmp, "trace.jsonl")
            for _ in range(RUNS):
                f, _r = ipcscope(binary, "queue_throughput")
                plain.append(f["wall"][0])
                f, _r = ipcscope(binary, "queue_throughput", extra=["--record", path])
                expect(f["queue"] == (100000, 100000), "queue counts with --record")
                rec.append(f["wall"][0])
            r = statistics.median(rec) / statistics.median(plain)
            report("overhead of --record (queue bench)", "s", rec, "no recording", plain, "<= 1.05x", r <= 1.05, r)

        if want("events"):
            ours = []
            for _ in range(RUNS):
                f, _r = ipcscope(binary, "events")
                expect(f["prints"][0] == 2000000, "print events %r" % (f["prints"],))
                ours.append(f["events"][0] / f["wall"][0])
            med = statistics.median(ours)
            report("events delivered, none lost", "events/s", ours, "", None, ">= 2M/s", med >= 2e6, 0)

        if want("rss"):
            ours = []
            for _ in range(max(1, RUNS // 2)):
                f, rss = ipcscope(binary, "many_processes", sample_rss=True)
                expect(f["procs"][0] == 1001, "process count %r" % (f["procs"],))
                ours.append(rss / 1024.0)
            med = statistics.median(ours)
            report("observer RSS, 1,000 live procs", "MiB", ours, "", None, "<= 16 MiB", med <= 16, 0)
    finally:
        subprocess.run(["rm", "-rf", tmp])
    failed = [n for n, ok in results if not ok]
    print("load average %.2f %.2f %.2f at the end" % os.getloadavg())
    print("%d figures, %d PASS, %d FAIL" % (len(results), len(results) - len(failed), len(failed)))


if __name__ == "__main__":
    main()
