#!/bin/sh
# ipcscope replay --headless: every bundled scenario recorded at --speed 20
# and replayed prints the live run's timeline and summary (same events, same
# order) and a final state that agrees with the recording's counts; --at
# shows the state then; corrupt, truncated and newer-version recordings.
set -u
: "${IPCSCOPE:?}"
cd "$(dirname "$0")/.." || exit 1
. tests/replay_lib.sh
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
fail=0
bad() { echo "t_replay: $*"; fail=1; }

record_all "$T"
n=0
for f in "$T"/*.jsonl; do
	name=$(basename "$f" .jsonl)
	"$IPCSCOPE" replay --headless "$f" >"$T/$name.rep" 2>"$T/$name.reperr" ||
	    { bad "$name: replay failed"; cat "$T/$name.reperr"; continue; }
	[ -s "$T/$name.reperr" ] && { bad "$name: replay warned:"; cat "$T/$name.reperr"; }
	python3 tests/replay_check.py timeline "$T/$name.live" "$T/$name.rep" ||
	    bad "$name: timeline differs from the live run"
	python3 tests/replay_check.py state "$f" "$T/$name.rep" ||
	    bad "$name: state differs from the recording"
	n=$((n + 1))
done
[ "$n" -ge 15 ] || bad "only $n scenarios recorded"

# --at: the state at a time inside the run. The queue's depth then is the
# depth of the last put/get at or before it (from the recording).
pc="$T/producer_consumer.jsonl"
python3 - "$pc" >"$T/at.txt" <<'PY' || bad "no time found where the queue holds messages"
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1]).read().split("\n")[1:] if l]
qs = [e for e in ev if e["ev"] in ("put", "get")]
# a put that left 2 or more messages, and the time just before the next event
for i, e in enumerate(qs[:-1]):
    if e["depth"] >= 2 and qs[i + 1]["t"] > e["t"] + 0.000002:
        print("%.6f %s %d %d" % (e["t"] + 0.000001, e["queue"], e["depth"],
              sum(1 for x in ev if x["t"] <= e["t"] + 0.000001)))
        break
else:
    sys.exit(1)
PY
if [ -s "$T/at.txt" ]; then
	read -r at q depth nev <"$T/at.txt"
	"$IPCSCOPE" replay --headless --quiet --at "$at" "$pc" >"$T/at.out" || bad "--at failed"
	grep -q "^queue $q depth=$depth " "$T/at.out" ||
	    { bad "--at $at: want queue $q depth=$depth"; cat "$T/at.out"; }
	grep -q "^-- state at $at s: event $nev of " "$T/at.out" ||
	    { bad "--at $at: want event $nev"; head -3 "$T/at.out"; }
	# the end state differs: the queue is empty again
	grep -q "^queue $q depth=0 " "$T/producer_consumer.rep" || bad "queue $q not empty at the end"
fi

# A corrupt line: an error naming the file and line, exit 2, no crash.
cp "$pc" "$T/corrupt.jsonl"
sed -i '5s/.*/{"t":0.1,"pid":1,"ev":/' "$T/corrupt.jsonl"
"$IPCSCOPE" replay --headless "$T/corrupt.jsonl" >/dev/null 2>"$T/err"
rc=$?
[ "$rc" -eq 2 ] || bad "corrupt: exit $rc, want 2"
grep -q "^$T/corrupt.jsonl:5: error: not JSON" "$T/err" || { bad "corrupt: message"; cat "$T/err"; }

# Binary garbage in the middle.
head -c 3000 /dev/urandom >"$T/garbage"
{ head -3 "$pc"; cat "$T/garbage"; echo; tail -2 "$pc"; } >"$T/garbage.jsonl"
"$IPCSCOPE" replay --headless "$T/garbage.jsonl" >/dev/null 2>"$T/err"
rc=$?
[ "$rc" -eq 2 ] || bad "garbage: exit $rc, want 2"
grep -q "^$T/garbage.jsonl:4: error: " "$T/err" || { bad "garbage: message"; cat "$T/err"; }

# Cut short mid-line (the recorder was killed): replays up to the last whole
# line, with a warning naming the line.
total=$(wc -l <"$pc")
head -c $(( $(head -n 20 "$pc" | wc -c) + 25 )) "$pc" >"$T/cut.jsonl"
"$IPCSCOPE" replay --headless "$T/cut.jsonl" >"$T/cut.out" 2>"$T/err"
rc=$?
[ "$rc" -eq 0 ] || bad "cut: exit $rc, want 0"
grep -q "^$T/cut.jsonl:21: warning: the last line is incomplete" "$T/err" ||
    { bad "cut: warning"; cat "$T/err"; }
grep -q "^-- state at .* s: event 19 of 19$" "$T/cut.out" || { bad "cut: want 19 events"; grep "^-- state" "$T/cut.out"; }
[ "$total" -gt 21 ] || bad "the recording is too short for the cut test"

# A newer major version is refused.
sed '1s/"version":1/"version":2/' "$pc" >"$T/v2.jsonl"
"$IPCSCOPE" replay --headless "$T/v2.jsonl" >/dev/null 2>"$T/err"
rc=$?
[ "$rc" -eq 2 ] || bad "v2: exit $rc, want 2"
grep -q "^$T/v2.jsonl:1: error: trace format version 2 is newer" "$T/err" || { bad "v2: message"; cat "$T/err"; }

# A watch recording (/proc snapshots, not events) is named as such.
"$IPCSCOPE" watch --headless --count 1 --interval 10 --record "$T/w.jsonl" -- true >/dev/null 2>&1
if [ -s "$T/w.jsonl" ]; then
	"$IPCSCOPE" replay --headless "$T/w.jsonl" >/dev/null 2>"$T/err"
	[ $? -eq 2 ] || bad "watch recording: want exit 2"
	grep -q "w.jsonl:1: error: a recording of ipcscope watch" "$T/err" || { bad "watch recording: message"; cat "$T/err"; }
fi

# Not a file / usage.
"$IPCSCOPE" replay --headless "$T/nope.jsonl" >/dev/null 2>"$T/err"
[ $? -eq 2 ] || bad "missing file: want exit 2"
"$IPCSCOPE" replay --at 1 "$pc" >/dev/null 2>&1
[ $? -eq 2 ] || bad "--at without --headless: want exit 2"

exit $fail
