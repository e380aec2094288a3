#!/bin/sh
# The detail view names a process's descriptors after the scenario's queues;
# the queue panel shows the bounded queue; '/' filters the events; 'v'
# cycles the event classes; '<' '>' zoom the pool timeline.
. "$(dirname "$0")/ui_lib.sh"
ui_require

ui_start 120 40 run --speed 0.5 scenarios/producer_consumer.ini
wait_for '[0-9]+ .*producer-1 +process' 5 || fail "no producer-1 row"
wait_for 'jobs +\[.*\] [0-9]+/3' 3 && ok "queue jobs with maxsize 3" || fail "no jobs queue row"

# Select producer-1 and open its details.
tm send-keys Home
found=""
for i in 1 2 3 4 5 6; do
	tm send-keys Down Enter
	sleep 0.2
	if screen | grep -q 'Process producer-1'; then found=1; break; fi
	tm send-keys Escape
done
[ -n "$found" ] || fail "could not open producer-1's details"
wait_for 'pipe:\[[0-9]+\] +queue jobs' 3 && ok "detail names the queue's pipe" ||
	fail "no 'queue jobs' descriptor in the detail view"
screen | grep -Eq 'in produce, step [0-9]+ of [0-9]+' || fail "detail: no current step"
# No pipe it does not know about (e.g. the dashboard's own, inherited).
stray=$(screen | grep -E '^ +[0-9]+  pipe:\[' | grep -v 'queue jobs')
[ -z "$stray" ] || fail "unnamed pipes in producer-1: $stray"
ppid=$(screen | sed -nE 's/^ *pid ([0-9]+) +ppid ([0-9]+).*/\2/p' | head -1)
pid=$(screen | sed -nE 's/^ *pid ([0-9]+) +ppid ([0-9]+).*/\1/p' | head -1)
[ -n "$pid" ] && [ "$(pppid "$pid")" = "$ppid" ] || fail "detail pid/ppid ($pid/$ppid) differ from /proc"
tm send-keys Escape

# The queue advances: puts grow, the depth reaches maxsize (producers are
# faster than consumers) and producers show as blocked in put.
wait_for 'jobs +\[' 3 || fail "the queue panel did not come back"
p1=$(screen | sed -nE 's/.*jobs .* put ([0-9]+) .*/\1/p' | head -1)
wait_for 'jobs +\[.*\] 3/3' 10 || fail "the queue never filled up to 3/3"
wait_for 'jobs .*blocked: [12] put' 10 || fail "no producer shown blocked in put"
p2=$(screen | sed -nE 's/.*jobs .* put ([0-9]+) .*/\1/p' | head -1)
[ -n "$p1" ] && [ -n "$p2" ] && [ "$p2" -gt "$p1" ] && ok "queue advances (put $p1 -> $p2, full 3/3, producers blocked)" ||
	fail "queue puts did not grow ($p1 -> $p2)"

# Filter the events.
tm send-keys /
wait_for 'Filter events:' 3 || fail "no filter prompt"
tm send-keys -l 'got item'
tm send-keys Enter
wait_for 'Events .*/got item' 3 || fail "filter not shown in the events title"
sleep 1.5
ev=$(screen | sed -n '/Events/,$p' | sed '1d;$d' | grep -E '^ +[0-9]+\.[0-9]+ ')
[ -n "$ev" ] || fail "no event left after filtering"
echo "$ev" | grep -v 'got item' | grep -q . && fail "filtered events without 'got item': $ev"
tm send-keys Escape
sleep 0.3
screen | grep -q 'Events .*/got item' && fail "Esc did not clear the filter"
tm send-keys v
wait_for 'Events .* all ' 3 && ok "events: filter and classes" || fail "'v' did not switch to all events"
tm send-keys F10
wait_exit 5 || fail "F10 did not quit"
cmp -s "$TMPD/stty1" "$TMPD/stty2" || fail "terminal not restored"
tm kill-server
sleep 0.2

# Zoom: the pool title shows ns per column; '>' halves it, '<' doubles it.
ui_start 120 40 run --speed 1 scenarios/pool_callback.ini
wait_for 'Pool pool' 5 || fail "no pool panel"
wait_for '[0-9]+ .*worker-3 +worker' 5 || fail "no worker-3 row"

# A mouse click (xterm X10 report, as the terminfo's kmous) selects a row.
line=$(screen | grep -nE '^ *[0-9]+ .*worker-3 +worker' | head -1 | cut -d: -f1)
if [ -n "$line" ]; then
	yb=$(printf "\\$(printf '%03o' $((32 + line)))")
	tm send-keys -l "$(printf '\033[M *')$yb"
	sleep 0.05
	tm send-keys -l "$(printf '\033[M#*')$yb"
	sleep 0.3
	tm send-keys Enter
	wait_for 'Process worker-3' 3 && ok "mouse click selects worker-3" ||
		fail "the click did not select worker-3 (line $line)"
	tm send-keys Escape
fi
sleep 1
tm send-keys '>'
wait_for '[0-9]+ms/col ─' 3 || fail "no fixed zoom after '>'"
z1=$(screen | sed -nE 's/.* ([0-9]+)ms\/col ─.*/\1/p' | head -1)
tm send-keys '<' '<'
sleep 0.4
z2=$(screen | sed -nE 's/.* ([0-9]+)ms\/col ─.*/\1/p' | head -1)
[ -n "$z1" ] && [ -n "$z2" ] && [ "$z2" -eq $((z1 * 4)) ] && ok "zoom $z1 -> $z2 ms/col" ||
	fail "zoom did not scale ($z1 -> $z2)"
tm send-keys q
wait_exit 5 || fail "q did not quit"
ui_finish
