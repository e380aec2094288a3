#!/usr/bin/env python3
"""ipcscope benchmarks that need a terminal: the dashboard in tmux.

  dashboard CPU at a 100 ms refresh (and /proc sampling every 100 ms) over
  500 live processes, against `top -b -d 0.1` over the same machine;
  overhead: scenario wall time with the dashboard and --record against
  headless without recording.
Run by bench/run.sh after bench.py; prints the same kind of lines.
"""
import os, statistics, subprocess, sys, tempfile, time, json

HERE = os.path.dirname(os.path.abspath(__file__))
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
HZ = os.sysconf("SC_CLK_TCK")


def cpu_ticks(pid):
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])     # utime + stime


def tmux(sock, *args):
    return subprocess.run(["tmux", "-L", sock] + list(args), capture_output=True, text=True)


def children_named(ppid, comm):
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                s = f.read()
        except OSError:
            continue
        name = s[s.index("(") + 1:s.rindex(")")]
        ppid_ = int(s.rsplit(")", 1)[1].split()[1])
        if ppid_ == ppid and name == comm:
            out.append(int(d))
    return out


def find_ipcscope(sock):
    r = tmux(sock, "list-panes", "-F", "#{pane_pid}")
    pane = int(r.stdout.split()[0])
    # the pane runs ipcscope directly (exec)
    return pane


def measure_cpu(pid, seconds):
    t0, c0 = time.monotonic(), cpu_ticks(pid)
    time.sleep(seconds)
    t1, c1 = time.monotonic(), cpu_ticks(pid)
    return (c1 - c0) / HZ / (t1 - t0) * 100.0


def dashboard_cpu(binary, cfg):
    """%CPU of the dashboard and of top over the same 500 sleepers."""
    sock = "ipcscope-bench-%d" % os.getpid()
    scen = os.path.join(HERE, "scenarios", "sleepers_500.ini")
    tmux(sock, "kill-server")
    tmux(sock, "new-session", "-d", "-x", "120", "-y", "40",
         "exec %s run --config %s %s" % (binary, cfg, scen))
    try:
        pid = find_ipcscope(sock)
        # wait until the 500 sleepers are up
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            mains = children_named(pid, "main")
            if mains and sum(1 for _ in children_of(mains[0])) >= 500:
                break
            time.sleep(0.1)
        else:
            sys.exit("ui_bench: the 500 sleepers did not start")
        time.sleep(0.5)
        ours = measure_cpu(pid, 4.0)
        # top over the same machine, same period, meanwhile the sleepers live
        top = subprocess.Popen(["top", "-b", "-d", "0.1", "-n", "1000"], stdout=subprocess.DEVNULL)
        time.sleep(0.5)
        theirs = measure_cpu(top.pid, 4.0)
        top.kill()
        top.wait()
        return ours, theirs
    finally:
        tmux(sock, "send-keys", "q")
        time.sleep(0.5)
        tmux(sock, "kill-server")


def children_of(ppid):
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                if int(f.read().rsplit(")", 1)[1].split()[1]) == ppid:
                    yield int(d)
        except OSError:
            pass


def wall_headless(binary, scen):
    with tempfile.TemporaryFile("w+") as out:
        r = subprocess.run([binary, "run", "--headless", scen], stdout=out, stderr=subprocess.STDOUT)
        out.seek(0)
        text = out.read()
    if r.returncode:
        sys.exit("ui_bench: headless run failed")
    for line in text.splitlines():
        if "wall time" in line:
            return float(line.split("wall time")[1].split()[0])
    sys.exit("ui_bench: no wall time")


def wall_dashboard(binary, scen, cfg, tmp):
    sock = "ipcscope-bench-w-%d" % os.getpid()
    trace = os.path.join(tmp, "dash.jsonl")
    tmux(sock, "kill-server")
    tmux(sock, "new-session", "-d", "-x", "120", "-y", "40",
         "exec %s run --exit-on-finish --config %s --record %s %s" % (binary, cfg, trace, scen))
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and tmux(sock, "has-session").returncode == 0:
        time.sleep(0.1)
    tmux(sock, "kill-server")
    with open(trace) as f:
        lines = f.readlines()
    end = json.loads(lines[-1])
    if end.get("ev") != "end" or end.get("status") != 0:
        sys.exit("ui_bench: dashboard run did not finish: %s" % lines[-1])
    return end["t"]


def line(name, unit, ours, ref_name, ref, target, ok, ratio):
    fmt = lambda xs: "%.3g [%.3g..%.3g]" % (statistics.median(xs), min(xs), max(xs))
    print("%-34s ipcscope %s %s  %s %s  ratio %.2fx  target %s %s" % (
        name, fmt(ours), unit, ref_name, fmt(ref), ratio, target, "PASS" if ok else "FAIL"), flush=True)
    return ok


def main():
    binary = os.path.abspath(sys.argv[1])
    if subprocess.run(["sh", "-c", "command -v tmux top"], capture_output=True).returncode:
        print("ui bench: tmux or top missing: skipped")
        return
    tmp = tempfile.mkdtemp(prefix="ipcscope-uibench-")
    try:
        cfg = os.path.join(tmp, "ipcscope.ini")
        with open(cfg, "w") as f:
            f.write("[dashboard]\nrefresh_ms = 100\nsample_ms = 100\n")
        only = os.environ.get("BENCH_ONLY", "")
        results = []
        if not only or "dashcpu" in only.split(","):
            ours, theirs = [], []
            for _ in range(max(1, RUNS // 2)):
                a, b = dashboard_cpu(binary, cfg)
                ours.append(a)
                theirs.append(b)
            r = statistics.median(ours) / max(statistics.median(theirs), 1e-9)
            results.append(line("dashboard CPU, 500 procs, 100 ms", "%CPU", ours, "top -d 0.1", theirs, "<= 0.5x", r <= 0.5, r))
            # The shipped defaults: redraw every 100 ms, /proc every 250 ms.
            cfg2 = os.path.join(tmp, "defaults.ini")
            with open(cfg2, "w") as f:
                f.write("[dashboard]\nrefresh_ms = 100\n")
            ours, theirs = [], []
            for _ in range(max(1, RUNS // 2)):
                a, b = dashboard_cpu(binary, cfg2)
                ours.append(a)
                theirs.append(b)
            r = statistics.median(ours) / max(statistics.median(theirs), 1e-9)
            results.append(line("  same, default sample_ms = 250", "%CPU", ours, "top -d 0.1", theirs, "<= 0.5x", r <= 0.5, r))
        if not only or "overhead" in only.split(","):
            scen = os.path.join(HERE, "scenarios", "queue_throughput.ini")
            plain, dash = [], []
            for _ in range(RUNS):
                plain.append(wall_headless(binary, scen))
                dash.append(wall_dashboard(binary, scen, cfg, tmp))
            r = statistics.median(dash) / statistics.median(plain)
            results.append(line("overhead: dashboard + --record", "s", dash, "headless, no record", plain, "<= 1.05x", r <= 1.05, r))
        print("%d figures, %d PASS, %d FAIL" % (len(results), sum(results), len(results) - sum(results)))
    finally:
        subprocess.run(["rm", "-rf", tmp])


if __name__ == "__main__":
    main()
