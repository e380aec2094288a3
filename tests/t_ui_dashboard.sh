#!/bin/sh
# The dashboard on a live run of pool_callback at 120x40: the tree matches
# /proc, the pool timeline advances, pause stops everything, speed changes,
# a SIGKILL from the signal menu kills a worker that gets replaced, resizes
# (down to "too small") survive, q restores the terminal and leaves no
# scenario process behind.
. "$(dirname "$0")/ui_lib.sh"
ui_require

# pool_callback's shape, long enough for every check (60 one-second tasks).
cat > "$TMPD/pool60.ini" <<'INI'
[scenario]
title = UI test: pool of 3, 60 tasks
timeout = 120s
[pool pool]
processes = 3
[function work]
step = sleep 1s
step = return arg + 1000
[function on_result]
step = print "callback got {value} in pid {pid}, thread {tid}"
[function main]
step = repeat 60
step = apply_async pool work {i} callback=on_result
step = end
step = close pool
step = join pool
INI
ui_start 120 40 run --speed 1 --timeout 60s "$TMPD/pool60.ini"
wait_for 'RUNNING' 5 || fail "no RUNNING header"
wait_for '[0-9]+ .*worker-3 +worker' 5 || fail "no worker-3 row in the tree"
sleep 0.3

# --- the tree shows the PIDs and parent links of /proc
S=$(screen)
mainpid=$(echo "$S" | sed -nE 's/^ *([0-9]+) main +main .*/\1/p' | head -1)
workers=$(echo "$S" | sed -nE 's/^ *([0-9]+) .*worker-[0-9]+ +worker .*/\1/p')
[ -n "$mainpid" ] || fail "main pid not in the tree"
[ "$(echo "$workers" | wc -w)" -eq 3 ] || fail "expected 3 worker rows, got: $workers"
alive "$mainpid" || fail "main $mainpid not alive in /proc"
obs=$(pppid "$mainpid")
[ "$(cat /proc/"$obs"/comm 2>/dev/null)" = ipcscope ] ||
	fail "main's parent $obs is not ipcscope"
for w in $workers; do
	alive "$w" || fail "worker $w not in /proc"
	[ "$(pppid "$w")" = "$mainpid" ] || fail "worker $w: ppid $(pppid "$w") != main $mainpid"
done
[ "$FAILS" -eq 0 ] && ok "tree matches /proc (main $mainpid, workers" $workers")"

# --- the pool timeline advances
wait_for 'Pool pool: .* [1-9][0-9]* done' 8 || fail "no task done in the pool title"
d1=$(done_count)
sleep 2.2
d2=$(done_count)
[ -n "$d1" ] && [ -n "$d2" ] && [ "$d2" -gt "$d1" ] && ok "pool advances ($d1 -> $d2 done)" ||
	fail "pool did not advance ($d1 -> $d2)"

# --- pause stops all progress, resume continues
tm send-keys Space
wait_for 'PAUSED' 3 || fail "no PAUSED header"
sleep 0.4
p1=$(screen | sed -nE 's/.*(time [^ ]+).*/\1/p' | head -1); dp1=$(done_count)
[ "$(pstate "$mainpid")" = T ] || fail "main not stopped while paused (state $(pstate "$mainpid"))"
sleep 1.5
p2=$(screen | sed -nE 's/.*(time [^ ]+).*/\1/p' | head -1); dp2=$(done_count)
[ "$p1" = "$p2" ] && [ "$dp1" = "$dp2" ] && ok "paused: $p1, $dp1 done, frozen" ||
	fail "progress while paused ($p1/$dp1 -> $p2/$dp2)"
tm send-keys Space
wait_for 'RUNNING' 3 || fail "no RUNNING after resume"
[ "$(pstate "$mainpid")" != T ] || fail "main still stopped after resume"

# --- speed
tm send-keys +
wait_for 'speed 2x' 3 && ok "speed 2x" || fail "speed did not change to 2x"
tm send-keys -
wait_for 'speed 1x' 3 || fail "speed did not go back to 1x"

# --- signal menu: SIGKILL a worker, see its replacement
tm send-keys Home
victim=""
for i in 1 2 3 4 5 6 7 8 9 10; do
	tm send-keys Down Enter
	sleep 0.2
	if screen | grep -q 'Process worker-'; then
		victim=$(screen | sed -nE 's/^ *pid ([0-9]+) .*/\1/p' | head -1)
		break
	fi
	tm send-keys Escape
done
tm send-keys Escape
[ -n "$victim" ] || fail "could not select a worker"
if [ -n "$victim" ]; then
	tm send-keys k
	wait_for 'Send signal to worker-' 3 || fail "no signal menu"
	tm send-keys Down Enter
	wait_for "Sent SIGKILL to worker-[0-9]+ \\($victim\\)" 3 || fail "no 'Sent SIGKILL' message"
	n=30; while [ $n -gt 0 ] && alive "$victim"; do sleep 0.1; n=$((n - 1)); done
	alive "$victim" && fail "worker $victim still alive after SIGKILL"
	wait_for '[0-9]+ .*worker-4 +worker' 5 && ok "worker $victim killed, worker-4 replaces it" ||
		fail "no replacement worker-4 in the tree"
	new=$(screen | sed -nE 's/^ *([0-9]+) .*worker-4 +worker .*/\1/p' | head -1)
	[ -n "$new" ] && [ "$(pppid "$new")" = "$mainpid" ] || fail "worker-4 ($new) is not main's child"
	wait_for 'LOST' 5 || fail "the lost task is not reported"
fi

# --- resizes
tm resize-window -x 60 -y 15
sleep 0.5
wait_for 'Processes' 3 && ok "60x15 after resize" || fail "no Processes panel at 60x15"
tm resize-window -x 50 -y 12
wait_for 'terminal too small' 3 || fail "no 'too small' at 50x12"
tm resize-window -x 120 -y 40
wait_for 'Events' 3 || fail "no Events panel back at 120x40"

# --- quit: terminal restored, nothing left
allp="$mainpid $workers $new"
tm send-keys q
wait_exit 5 || fail "ipcscope did not exit on q"
[ "$(cat "$TMPD/exit" 2>/dev/null)" = 0 ] || fail "exit status $(cat "$TMPD/exit" 2>/dev/null) after q"
cmp -s "$TMPD/stty1" "$TMPD/stty2" && ok "terminal settings restored" || fail "stty differs after q"
sleep 0.3
for p in $allp; do alive "$p" && fail "process $p left behind"; done
screen | grep -q 'Processes' && fail "dashboard still on screen after q"
ui_finish
