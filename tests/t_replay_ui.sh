#!/bin/sh
# The replay view in tmux (120x36, private server): a recorded queue whose
# depth goes 1, 2, 3 then back to 0; the cursor moves with the keys and the
# queue panel, the header's time and the status bar show the state at the
# cursor: -> and <- step one event, ] and [ one second, g and G the ends,
# space plays to the end; q restores the terminal.
. "$(dirname "$0")/ui_lib.sh"
SOCK="ipcscope-replay-$$"
ui_require

cat > "$TMPD/fill.ini" <<'INI'
[scenario]
title = UI test: a queue fills and empties
[queue q]
maxsize = 5
[function main]
step = put q a
step = sleep 14s
step = put q b
step = sleep 14s
step = put q c
step = sleep 14s
step = get q
step = get q
step = get q
INI
"$IPCSCOPE" run --headless --speed 20 --record "$TMPD/fill.jsonl" "$TMPD/fill.ini" \
    >/dev/null 2>&1 || fail "recording the scenario"
# Event index (1-based count) right after each put and the total.
set -- $(python3 - "$TMPD/fill.jsonl" <<'PY'
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1]).read().split("\n")[1:] if l]
puts = [i + 1 for i, e in enumerate(ev) if e["ev"] == "put"]
print(puts[0], puts[1], puts[2], len(ev))
PY
)
p2=$2 p3=$3 nev=$4
[ -n "$nev" ] || { fail "no events"; ui_finish; }

# A run under the dashboard records the same: it replays with the same
# queue counts. (Its own tmux server: a new one on the same socket could
# race with the old one's exit.)
SOCK="ipcscope-replay-rec-$$"
ui_start 120 36 run --speed 20 --exit-on-finish --record "$TMPD/dash.jsonl" "$TMPD/fill.ini"
wait_exit 10 || fail "the dashboard run did not end"
"$IPCSCOPE" replay --headless --quiet "$TMPD/dash.jsonl" >"$TMPD/dash.out" 2>&1 ||
    fail "the dashboard's recording does not replay"
grep -q "^queue q depth=0 max=3 puts=3 gets=3 " "$TMPD/dash.out" ||
    { fail "the dashboard's recording: want 3 puts and 3 gets"; cat "$TMPD/dash.out"; }
tm kill-server 2>/dev/null
SOCK="ipcscope-replay-$$"

ui_start 120 36 replay "$TMPD/fill.jsonl"
wait_for "ev 0/$nev " 5 || fail "the cursor does not start at 0/$nev"
screen | grep -q "REPLAY PAUSED" || fail "no REPLAY PAUSED badge"
screen | grep -Eq '^ q +\[.*\] 0/5' || fail "the queue is not empty at the start"

i=0
while [ $i -lt "$p2" ]; do tm send-keys Right; i=$((i + 1)); done
wait_for "ev $p2/$nev " 3 || { fail "-> x$p2 did not reach event $p2"; screen | tail -3; }
screen | grep -Eq '^ q +\[.*\] 2/5' || fail "depth 2 not shown after the second put"
tm send-keys Left
wait_for "ev $((p2 - 1))/$nev " 3 || fail "<- did not step back"
screen | grep -Eq '^ q +\[.*\] 1/5' || fail "depth 1 not shown one event before the second put"

tm send-keys g
wait_for "ev 0/$nev " 3 || fail "g did not go to the start"
tm send-keys ']'
wait_for "time 1\.0s" 3 || fail "] did not move one second"
screen | grep -Eq '^ q +\[.*\] 2/5' || fail "depth 2 not shown at 1.0s"
tm send-keys ']'
wait_for "time 2\.0s" 3 || fail "] did not move to 2.0s"
screen | grep -Eq '^ q +\[.*\] 3/5' || fail "depth 3 not shown at 2.0s"
screen | grep -q "ev $p3/$nev " || fail "the cursor at 2.0s is not just after the third put"
tm send-keys '['
wait_for "time 1\.0s" 3 || fail "[ did not go back to 1.0s"
screen | grep -Eq '^ q +\[.*\] 2/5' || fail "depth 2 not shown back at 1.0s"

tm send-keys G
wait_for "ev $nev/$nev " 3 || fail "G did not go to the end"
screen | grep -Eq '^ q +\[.*\] 0/5' || fail "the queue is not empty at the end"
screen | grep -q "run ended" || fail "the event log does not show the end"

# Play from the start at 4x: the cursor moves by itself and stops at the end.
tm send-keys g + +
wait_for "4x" 3 || fail "+ + did not make it 4x"
tm send-keys Space
wait_for "REPLAY PLAY" 3 || fail "space did not play"
wait_for "ev $nev/$nev " 5 || fail "playing did not reach the end"
wait_for "REPLAY PAUSED" 3 || fail "playing did not stop at the end"

# F1: the help lists the replay's keys; any key closes it.
tm send-keys F1
wait_for "Keys \(replay of a recording\)" 3 || fail "F1 does not show the replay keys"
tm send-keys x
sleep 0.3
screen | grep -q "Keys (replay" && fail "the help did not close"

tm send-keys q
wait_exit 5 || fail "q did not quit"
[ "$(cat "$TMPD/exit" 2>/dev/null)" = 0 ] || fail "exit status $(cat "$TMPD/exit" 2>/dev/null), want 0"
cmp -s "$TMPD/stty1" "$TMPD/stty2" || fail "the terminal settings were not restored"
ui_finish
