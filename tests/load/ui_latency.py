#!/usr/bin/env python3
"""The dashboard under load: run SCENARIO in ipcscope's dashboard in a
private tmux server (--record TRACE, --exit-on-finish) and, while it runs,
press '+' and '-' in turn N times, timing each key from send-keys to the
header's "speed Nx" changing in capture-pane (the load is not paused).

    ui_latency.py IPCSCOPE SCENARIO TRACE TMPDIR N LIMIT_MS

Prints every latency and the worst; exits 1 when a key took more than
LIMIT_MS, the dashboard did not come up, or ipcscope did not exit 0 with
the terminal restored."""
import os, re, subprocess, sys, time

ipc, scen, trace, tmp, n, limit = sys.argv[1:7]
n, limit = int(n), float(limit)
sock = "ipcscope-load-%d" % os.getpid()

def tm(*a, **kw):
    return subprocess.run(["tmux", "-L", sock] + list(a), capture_output=True, text=True, **kw)

def screen():
    return tm("capture-pane", "-p").stdout

def speed_of(text):
    m = re.search(r"speed ([0-9.]+)x", text)
    return m and m.group(1)

cfg = os.path.join(tmp, "ui.ini")
open(cfg, "w").write("[dashboard]\nrefresh_ms = 50\nsample_ms = 500\n")
for f in ("exit", "stty1", "stty2"):
    try:
        os.unlink(os.path.join(tmp, f))
    except OSError:
        pass
cmd = ("cd '%s'; stty -g > '%s/stty1'; env LC_ALL=C.UTF-8 TERM=tmux-256color '%s' run "
       "--speed 20 --config '%s' --exit-on-finish --record '%s' '%s'; echo $? > '%s/exit'; "
       "stty -g > '%s/stty2'; sleep 60") % (os.getcwd(), tmp, ipc, cfg, trace, scen, tmp, tmp)
tm("-f", "/dev/null", "new-session", "-d", "-x", "160", "-y", "50", cmd)
bad, lat = [], []
try:
    end = time.monotonic() + 30
    while "RUNNING" not in screen().split("\n", 1)[0]:
        if time.monotonic() > end:
            bad.append("the dashboard did not show RUNNING")
            break
        time.sleep(0.01)
    # '+' and '-' in turn: the header's "speed Nx" changes, the load goes on
    for k in range(n if not bad else 0):
        before = speed_of(screen())
        t0 = time.monotonic()
        tm("send-keys", "+" if k % 2 == 0 else "-")
        now = before
        while now == before:
            if os.path.exists(os.path.join(tmp, "exit")):
                break
            if time.monotonic() - t0 > 5:
                bad.append("key %d: the speed stayed %s for 5 s" % (k, before))
                break
            now = speed_of(screen())
        if now == before:
            break
        lat.append((time.monotonic() - t0) * 1000)
        time.sleep(0.05)
    end = time.monotonic() + 300
    while not os.path.exists(os.path.join(tmp, "exit")) and time.monotonic() < end:
        time.sleep(0.1)
    time.sleep(0.2)
    rc = open(os.path.join(tmp, "exit")).read().strip() if os.path.exists(os.path.join(tmp, "exit")) else "none"
    if rc != "0":
        bad.append("ipcscope exit status %s" % rc)
    s1 = open(os.path.join(tmp, "stty1")).read()
    s2 = open(os.path.join(tmp, "stty2")).read() if os.path.exists(os.path.join(tmp, "stty2")) else ""
    if s1 != s2:
        bad.append("terminal not restored")
finally:
    tm("kill-server")
if len(lat) < n:
    bad.append("only %d of %d keys timed before the run ended" % (len(lat), n))
lat_s = ", ".join("%.0f" % x for x in lat)
print("dashboard key latency under load (ms): %s; worst %.0f ms (limit %.0f)" %
      (lat_s, max(lat) if lat else -1, limit))
if lat and max(lat) > limit:
    bad.append("a key took %.0f ms" % max(lat))
for b in bad:
    print("FAIL:", b)
sys.exit(1 if bad else 0)
