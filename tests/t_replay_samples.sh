#!/bin/sh
# /proc samples in recordings (trace format version 2): a run recorded
# headless has "sample" lines every ~250 ms naming only the run's own pids;
# the headless replay --at a time inside a busy step shows the busy process
# R with high %CPU (>= 30: the machine may be shared) and the sleepers S with ~0, the values of the latest
# sample at or before that time; the replay view's tree shows a state
# letter and a CPU number there (not "?"); the Perfetto export has CPU and
# RSS counter tracks per process; the CSV has no row for samples.
set -u
: "${IPCSCOPE:?}"
cd "$(dirname "$0")/.." || exit 1
T=$(mktemp -d) || exit 1
SOCK="ipcscope-samples-$$"
SOCK2="ipcscope-samples-dash-$$"   # its own server: no race with the first's exit
trap 'tmux -L "$SOCK" kill-server 2>/dev/null; tmux -L "$SOCK2" kill-server 2>/dev/null; rm -rf "$T"' EXIT
fail=0
bad() { echo "t_replay_samples: $*"; fail=1; }

cat >"$T/hot.ini" <<'INI'
[scenario]
title = Samples test: one busy process, two sleepers
[process hot]
run = spin
[process cold]
run = nap
count = 2
[function spin]
step = busy 1500ms
[function nap]
step = sleep 1500ms
[function main]
step = start cold
step = start hot
step = join hot
step = join cold
INI
rec="$T/hot.jsonl"
"$IPCSCOPE" run --headless --record "$rec" "$T/hot.ini" >"$T/live" 2>&1 ||
    { bad "the recorded run failed"; cat "$T/live"; exit 1; }

# The samples: time-ordered with the events, every ~250 ms, only the run's
# pids, each process's first sample with cpu null.
python3 - "$rec" <<'PY' || bad "the sample records are wrong"
import json, sys
lines = open(sys.argv[1]).read().split("\n")
assert json.loads(lines[0])["version"] == 2
recs = [json.loads(l) for l in lines[1:] if l]
ts = [r["t"] for r in recs]
assert ts == sorted(ts), "t goes backwards"
assert recs[-1]["ev"] == "end", "end is not last"
spawned = {r["pid"] for r in recs if r["ev"] == "spawn"}
smp = [r for r in recs if r["ev"] == "sample"]
assert 3 <= len(smp) <= 8, "%d samples in a 1.5 s run" % len(smp)
gaps = [b["t"] - a["t"] for a, b in zip(smp, smp[1:])]
assert all(0.2 <= g <= 0.6 for g in gaps), gaps
seen = set()
for s in smp:
    assert s["pid"] == recs[-1]["pid"], "a sample not from the observer"
    for p in s["procs"]:
        assert p["pid"] in spawned, "pid %d is not the run's" % p["pid"]
        assert p["state"] in "RSDZTtI" and len(p["state"]) == 1, p
        assert (p["cpu"] is None) == (p["pid"] not in seen), p
        assert p["rss"] > 0 and p["threads"] >= 1, p
        seen.add(p["pid"])
assert seen == spawned, "not every process was sampled"
PY

# --at 1.0 s: inside hot's busy step (0..1.5 s) and cold's sleep.
"$IPCSCOPE" replay --headless --quiet --at 1.0 "$rec" >"$T/at" 2>"$T/err" ||
    { bad "replay --at failed"; cat "$T/err"; }
python3 - "$rec" "$T/at" <<'PY' || { bad "the state at 1.0 s is wrong"; grep ^process "$T/at"; }
import json, re, sys
recs = [json.loads(l) for l in open(sys.argv[1]).read().split("\n")[1:] if l]
names = {r["pid"]: r["name"] for r in recs if r["ev"] == "spawn"}
last = [r for r in recs if r["ev"] == "sample" and r["t"] <= 1.0][-1]
want = {p["pid"]: p for p in last["procs"]}
got = {}
for l in open(sys.argv[2]):
    m = re.match(r"process (\d+) .* state=(\S) cpu=(\S+) rss_kib=(\S+) nlwp=(\S+)$", l)
    if m:
        got[int(m.group(1))] = m.groups()[1:]
assert len(got) == 4, got
for pid, (st, cpu, rss, nlwp) in got.items():
    w = want[pid]
    assert st == w["state"] and rss == str(w["rss"]) and nlwp == str(w["threads"]), (pid, got[pid], w)
    assert abs(float(cpu) - w["cpu"]) < 0.06, (pid, cpu, w)
    if names[pid] == "hot":
        # a busy loop: one CPU (100) when it has one; the machine may be
        # shared with other jobs, so only "clearly busy"
        assert st == "R" and float(cpu) >= 30, ("hot", got[pid])
    else:
        assert st == "S" and float(cpu) < 5, (names[pid], got[pid])
PY
# Before the first sample: no /proc values.
"$IPCSCOPE" replay --headless --quiet --at 0.1 "$rec" >"$T/at0" 2>&1
grep -q "^process .* state=? cpu=- rss_kib=- nlwp=-$" "$T/at0" ||
    { bad "at 0.1 s (before any sample) the /proc fields are not unknown"; grep ^process "$T/at0"; }

# Exports: CPU and RSS counter tracks per process; CSV rows = events.
"$IPCSCOPE" export --format perfetto "$rec" -o "$T/p.json" || bad "perfetto export failed"
python3 - "$rec" "$T/p.json" <<'PY' || bad "perfetto: no CPU/RSS counters per process"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1]).read().split("\n")[1:] if l]
spawned = {r["pid"] for r in recs if r["ev"] == "spawn"}
tev = json.load(open(sys.argv[2]))["traceEvents"]
cpu = {e["pid"] for e in tev if e["ph"] == "C" and e["name"] == "CPU %"}
rss = {e["pid"] for e in tev if e["ph"] == "C" and e["name"] == "RSS"}
assert cpu == spawned and rss == spawned, (cpu, rss, spawned)
nsp = sum(len([p for p in r["procs"] if p["cpu"] is not None]) for r in recs if r["ev"] == "sample")
assert sum(1 for e in tev if e["ph"] == "C" and e["name"] == "CPU %") == nsp
hot = [r["pid"] for r in recs if r["ev"] == "spawn" and r["name"] == "hot"][0]
assert max(e["args"]["cpu"] for e in tev if e["ph"] == "C" and e["name"] == "CPU %" and e["pid"] == hot) >= 30
PY
"$IPCSCOPE" export --format csv "$rec" -o "$T/c.csv" || bad "csv export failed"
nev=$(grep -vc '"ev":"sample"' "$rec")
ncsv=$(wc -l <"$T/c.csv")
[ "$ncsv" -eq "$nev" ] || bad "csv: $ncsv lines, want $nev (header + one per event, none for samples)"

# The replay view: ] moves the cursor to 1.0 s; the tree shows the state
# letter and %CPU of the sample then.
if command -v tmux >/dev/null 2>&1; then
	tmux -L "$SOCK" -f /dev/null new-session -d -x 120 -y 30 \
	    "env LC_ALL=C.UTF-8 TERM=tmux-256color '$IPCSCOPE' replay '$rec'; sleep 60"
	scr() { tmux -L "$SOCK" capture-pane -p; }
	n=50
	until scr | grep -q "REPLAY PAUSED" || [ $n -eq 0 ]; do sleep 0.1; n=$((n - 1)); done
	# the first four events (the spawns, before any sample): "?"
	tmux -L "$SOCK" send-keys Right Right Right Right
	n=50
	until scr | grep -q "└─hot" || [ $n -eq 0 ]; do sleep 0.1; n=$((n - 1)); done
	scr | grep -Eq '^ +[0-9]+ +└─hot +process +\? ' ||
	    { bad "tree: hot's state is not '?' before any sample"; scr | head -10; }
	tmux -L "$SOCK" send-keys ']'
	n=50
	until scr | grep -q "time 1\.0s" || [ $n -eq 0 ]; do sleep 0.1; n=$((n - 1)); done
	scr | grep -Eq '^ +[0-9]+ +└─hot +process +R +[0-9]+\.[0-9] ' ||
	    { bad "tree: hot is not R with a CPU number at 1.0 s"; scr | head -10; }
	scr | grep -Eq '^ +[0-9]+ +├─cold-1 +process +S +[0-9]\.[0-9] ' ||
	    { bad "tree: cold-1 is not S with a CPU number at 1.0 s"; scr | head -10; }
	tmux -L "$SOCK" send-keys q
	tmux -L "$SOCK" kill-server 2>/dev/null

	# Recorded under the dashboard (sample_ms 100): its own samples, in
	# time order, and the same picture at 1.0 s.
	printf '[dashboard]\nrefresh_ms = 100\nsample_ms = 100\n' >"$T/ui.ini"
	tmux -L "$SOCK2" -f /dev/null new-session -d -x 120 -y 30 \
	    "env LC_ALL=C.UTF-8 TERM=tmux-256color '$IPCSCOPE' run --exit-on-finish \
	    --config '$T/ui.ini' --record '$T/dash.jsonl' '$T/hot.ini'; echo \$? >'$T/dash.rc'; sleep 60"
	n=100
	until [ -s "$T/dash.rc" ] || [ $n -eq 0 ]; do sleep 0.1; n=$((n - 1)); done
	[ "$(cat "$T/dash.rc" 2>/dev/null)" = 0 ] || bad "the dashboard run did not finish"
	python3 - "$T/dash.jsonl" <<'PY' || bad "the dashboard's recording has no proper samples"
import json, sys
recs = [json.loads(l) for l in open(sys.argv[1]).read().split("\n")[1:] if l]
ts = [r["t"] for r in recs]
assert ts == sorted(ts) and recs[-1]["ev"] == "end"
smp = [r for r in recs if r["ev"] == "sample"]
assert len(smp) >= 8, len(smp)
spawned = {r["pid"] for r in recs if r["ev"] == "spawn"}
assert all(p["pid"] in spawned for s in smp for p in s["procs"])
PY
	"$IPCSCOPE" replay --headless --quiet --at 1.0 "$T/dash.jsonl" >"$T/dash.at" 2>&1
	grep -Eq '^process [0-9]+ name=hot .* state=R cpu=([2-9][0-9]|1[0-9][0-9])\.' "$T/dash.at" ||
	    { bad "dashboard recording: hot is not R with high CPU at 1.0 s"; grep ^process "$T/dash.at"; }
fi
exit $fail
