#!/bin/sh
# ipcscope run --headless: exit statuses, the JSON trace (well formed, time
# ordered, header first), --record, usage and scenario errors.
set -u
: "${IPCSCOPE:?}"
cd "$(dirname "$0")/.." || exit 1
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
fail=0
bad() { echo "t_run_basic: $*"; fail=1; }

expect_rc() {   # expect_rc WANT DESCRIPTION CMD...
	want=$1; what=$2; shift 2
	"$@" >"$T/out" 2>"$T/err"; rc=$?
	[ "$rc" -eq "$want" ] || { bad "$what: exit $rc, want $want"; sed 's/^/    /' "$T/err" | head -5; }
}

# ---- usage and scenario errors: 2 ----
expect_rc 2 "no scenario" "$IPCSCOPE" run --headless
expect_rc 2 "two scenarios" "$IPCSCOPE" run --headless queue pipe
expect_rc 2 "unknown option" "$IPCSCOPE" run --headless --frobnicate queue
expect_rc 2 "bad speed" "$IPCSCOPE" run --headless --speed 0 queue
expect_rc 2 "speed not a number" "$IPCSCOPE" run --headless --speed fast queue
expect_rc 2 "bad timeout" "$IPCSCOPE" run --headless --timeout 5 queue
expect_rc 2 "missing value" "$IPCSCOPE" run --headless queue --speed
expect_rc 2 "no such scenario" "$IPCSCOPE" run --headless no_such_scenario_xyz
grep -q "no_such_scenario_xyz" "$T/err" || bad "unknown scenario not named in the message"
printf '[scenario]\ntitle = x\n[function main]\nstep = jump high\n' >"$T/broken.ini"
expect_rc 2 "broken scenario" "$IPCSCOPE" run --headless "$T/broken.ini"
grep -q "broken.ini:4: error" "$T/err" || bad "loader message missing: $(cat "$T/err")"
# --record never follows a symlink
ln -s "$T/target" "$T/link"
expect_rc 2 "record to a symlink" "$IPCSCOPE" run --headless --record "$T/link" queue
[ -e "$T/target" ] && bad "--record followed a symlink"

# ---- a run that finishes: 0, the timeline and the summary ----
expect_rc 0 "queue" "$IPCSCOPE" run --headless --speed 20 queue
grep -q " put  *queue q " "$T/out" || bad "timeline lacks the put"
grep -q "finished as written (exit status 0)" "$T/out" || bad "summary missing"
grep -q "queue q: 1 put, 1 got" "$T/out" || bad "summary lacks queue counts"
# "ipcscope SCENARIO" is "ipcscope run SCENARIO"
expect_rc 0 "ipcscope SCENARIO --headless" "$IPCSCOPE" queue --headless --speed 20

# ---- failures: 1 ----
printf '[scenario]\ntitle = boom\n[function main]\nstep = print before\nstep = raise ValueError "bad 2"\nstep = print after\n' >"$T/raise.ini"
expect_rc 1 "uncaught error" "$IPCSCOPE" run --headless "$T/raise.ini"
grep -q "reason: main: ValueError: bad 2" "$T/out" || bad "reason missing: $(tail -5 "$T/out")"
grep -q "after" "$T/out" && bad "a step ran after the uncaught error"
printf '[scenario]\ntitle = as written\nexpect_error = ValueError: bad 2\n[function main]\nstep = raise ValueError "bad 2"\n' >"$T/expect.ini"
expect_rc 0 "expected error" "$IPCSCOPE" run --headless "$T/expect.ini"
printf '[scenario]\ntitle = other\nexpect_error = ValueError: bad 3\n[function main]\nstep = raise ValueError "bad 2"\n' >"$T/other.ini"
expect_rc 1 "another error than expected" "$IPCSCOPE" run --headless "$T/other.ini"
printf '[scenario]\ntitle = segv\n[function main]\nstep = crash SEGV\n' >"$T/crash.ini"
expect_rc 1 "main crashes" "$IPCSCOPE" run --headless "$T/crash.ini"
grep -q "killed by SIGSEGV" "$T/out" || bad "crash not reported"
printf '[scenario]\ntitle = ex\n[function main]\nstep = exit 3\n' >"$T/exit3.ini"
expect_rc 1 "main exits 3" "$IPCSCOPE" run --headless "$T/exit3.ini"
grep -q "main exited with code 3" "$T/out" || bad "exit code not reported"

# ---- timeout: scenario time, so 1 m at speed 20 with timeout 2s is ~0.1 s ----
printf '[scenario]\ntitle = slow\ntimeout = 2s\n[function main]\nstep = sleep 1m\n' >"$T/slow.ini"
start=$(date +%s%N)
expect_rc 1 "timeout" "$IPCSCOPE" run --headless --speed 20 "$T/slow.ini"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$ms" -lt 3000 ] || bad "timeout took $ms ms"
grep -q "timeout after 2 s" "$T/out" || bad "timeout reason missing"
expect_rc 1 "--timeout overrides" "$IPCSCOPE" run --headless --speed 20 --timeout 500ms "$T/slow.ini"
grep -q "timeout after 0.5 s" "$T/out" || bad "--timeout not used"

# ---- JSON: stdout is JSON objects only; --record writes the same ----
expect_rc 0 "json" "$IPCSCOPE" run --headless --json --speed 20 --record "$T/rec.jsonl" producer_consumer
# (--record adds /proc "sample" lines: the rest is the same)
grep -v '"ev":"sample"' "$T/rec.jsonl" | cmp -s "$T/out" - || bad "--record differs from --json stdout"
grep -q "exit status 0" "$T/err" || bad "json: summary not on stderr"
python3 - "$T/out" <<'PY' || fail=1
import json, sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
objs = [json.loads(l) for l in lines]          # every line must parse
assert all(isinstance(o, dict) for o in objs), "not all objects"
h = objs[0]
assert h["format"] == "ipcscope-trace" and h["version"] == 2, h
evs = objs[1:]
assert len(evs) > 10, len(evs)
last = -1.0
for e in evs:
    for k in ("t", "pid", "ev", "tid"):
        assert k in e, (k, e)
    assert e["t"] >= last, ("time goes back", last, e)
    last = e["t"]
assert evs[0]["ev"] == "spawn" and evs[0]["role"] == "main", evs[0]
assert evs[-1]["ev"] == "end" and evs[-1]["status"] == 0, evs[-1]
puts = [e for e in evs if e["ev"] == "put"]
gets = [e for e in evs if e["ev"] == "get"]
assert puts and all("queue" in e and "depth" in e and "bytes" in e for e in puts + gets)
assert sorted(e["text"] for e in puts) == sorted(e["text"] for e in gets)
# Merged across processes, causes come before effects: each message is got
# after it was put (the texts are unique but for the two STOPs), and a
# process's spawn comes before its events.
put_t = {}
for e in puts:
    put_t.setdefault(e["text"], []).append(e["t"])
for e in gets:
    assert put_t[e["text"]] and min(put_t[e["text"]]) <= e["t"], ("get before put", e)
    put_t[e["text"]].remove(min(put_t[e["text"]]))
seen = set()
for e in evs:
    if e["ev"] == "spawn":
        seen.add(e["pid"])
    elif e["ev"] not in ("end",):
        assert e["pid"] in seen, ("event before its spawn", e)
PY
# quotes, backslashes, newlines and UTF-8 in a print survive as JSON
# (the loader refuses invalid UTF-8: the unit test covers that in the writer)
printf '[scenario]\ntitle = bytes\n[function main]\nstep = print "one\\ntwo \\"q\\" \\\\ \303\251 end"\n' >"$T/bytes.ini"
expect_rc 0 "odd bytes" "$IPCSCOPE" run --json "$T/bytes.ini"
python3 -c '
import json, sys
evs = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8")]
p = [e for e in evs if e.get("ev") == "print"][0]
assert p["text"] == "one\ntwo \"q\" \\ \u00e9 end", repr(p["text"])
' "$T/out" || bad "odd bytes not escaped right: $(grep print "$T/out")"

exit $fail
