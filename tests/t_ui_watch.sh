#!/bin/sh
# The watch dashboard (ipcscope watch / attach without --headless) in tmux:
# - the C pipes fixture at 120x40: the tree shows the fixture's pids under
#   its main (as /proc says), the fill pipe as writer:fd -> reader:fd with
#   a non-zero fill, the blocked reader "R blocked reading pipe:[N],
#   written by W" on the same pipe:[N] as its edge; the exit stays on
#   screen, q exits with the fixture's status, terminal restored;
# - a Python Pool at 80x24: three "pool worker" rows whose pids are the
#   ones that ran the tasks (the fixture prints them), children of main;
# - the join deadlock: the LIKELY DEADLOCK banner, Space pauses the display
#   only (the program is not stopped), q stops the program (143) and
#   leaves no process behind, --record writes the snapshots; SIGTERM and
#   SIGSEGV to ipcscope restore the terminal and stop the program;
# - attach at 80x24: the tree, the detail view (descriptors named after
#   the edges), the signal menu (SIGSTOP then SIGCONT really reach the
#   process), resizes down to "too small"; q leaves the attached program
#   running and not stopped;
# - CMD exiting with 3 and leaving a child: q exits 3 and stops the child.
. "$(dirname "$0")/ui_lib.sh"
ui_require
SOCK="ipcscope-watch-$$"          # tm() reads it at each call
py=$(python3 -c 'import sys; print(sys.executable)') || { echo "skip: no python3"; exit 0; }
cc -O1 -o "$TMPD/pipes" "$ROOT/tests/fixtures/pipes.c" || { echo "cannot build the fixture"; exit 1; }
BG=""
w_cleanup() {
	[ -n "$BG" ] && kill -KILL $BG 2>/dev/null
	ui_cleanup
}
trap w_cleanup EXIT INT TERM

# w_start W H ARGS...: ipcscope ARGS in a fresh W x H tmux server; exit
# status to $TMPD/exit, stty before/after to $TMPD/stty1, stty2.
w_start() {
	w=$1; h=$2; shift 2
	# The previous server must be gone before the next one starts on the
	# same socket.
	tm kill-server 2>/dev/null
	n=30
	while [ $n -gt 0 ] && [ -S "${TMUX_TMPDIR:-/tmp}/tmux-$(id -u)/$SOCK" ]; do
		sleep 0.1; n=$((n - 1))
	done
	rm -f "$TMPD/exit" "$TMPD/stty1" "$TMPD/stty2"
	mkdir -p "$TMPD/cfg/ipcscope"
	printf '[dashboard]\nrefresh_ms = 50\n' > "$TMPD/cfg/ipcscope/ipcscope.ini"
	tm -f /dev/null new-session -d -x "$w" -y "$h" \
	    "cd '$ROOT'; stty -g > '$TMPD/stty1'; env LC_ALL=C.UTF-8 \
	    TERM=tmux-256color XDG_CONFIG_HOME='$TMPD/cfg' '$IPCSCOPE' $*; \
	    echo \$? > '$TMPD/exit'; stty -g > '$TMPD/stty2'; sleep 120"
}

# quit_check WHAT STATUS: q exits with STATUS and restores the terminal.
quit_check() {
	tm send-keys q
	wait_exit 8 || { fail "$1: no exit after q"; return; }
	[ "$(cat "$TMPD/exit")" = "$2" ] || fail "$1: exit status $(cat "$TMPD/exit"), expected $2"
	# The pane writes stty2 just after the exit status.
	n=20; while [ $n -gt 0 ] && [ ! -s "$TMPD/stty2" ]; do sleep 0.1; n=$((n - 1)); done
	cmp -s "$TMPD/stty1" "$TMPD/stty2" && ok "$1: q exits $2, terminal restored" ||
		fail "$1: stty differs after q: $(cat "$TMPD/stty1") / $(cat "$TMPD/stty2")"
}

# ---- 1. the C pipes fixture at 120x40
w_start 120 40 watch --interval 100 --output "$TMPD/pipes.out" -- "$TMPD/pipes"
for i in $(seq 30); do grep -qs '^block' "$TMPD/pipes.out" && break; sleep 0.1; done
set -- $(sed -n 's/^main //p' "$TMPD/pipes.out")
main=${1:-x}
set -- $(sed -n 's/^fill //p' "$TMPD/pipes.out")
fw=${1:-x} fwfd=${2:-x} fr=${3:-x} frfd=${4:-x}
set -- $(sed -n 's/^block //p' "$TMPD/pipes.out")
bw=${1:-x} bwfd=${2:-x} br=${3:-x} brfd=${4:-x}
# The children set their names and close the ends they do not use just
# after fork: wait for a screen where all of that has happened.
if wait_for "$br blocked reading pipe:\[[0-9]+\], written by $bw\$" 6 &&
    wait_for "$fw:$fwfd → $fr:$frfd .*[1-9][0-9.]*[BK]/64\.0K" 3 &&
    wait_for "$bw:$bwfd → $br:$brfd " 3 && wait_for "^ *$br └─fixture-blkr" 3; then
	S=$(screen)
	echo "$S" | grep -Eq "^ *$main pipes +main " || fail "no main row for $main"
	for p in $fw $fr $bw $br; do
		echo "$S" | grep -Eq "^ *$p [├└]─fixture-" || fail "no child row for $p under main"
		pp=$(pppid "$p")
		[ -z "$pp" ] || [ "$pp" = "$main" ] || fail "/proc: $p has parent $pp, the screen says $main"
	done
	line=$(echo "$S" | grep -E "pipe:\[[0-9]+\] +$fw:$fwfd → $fr:$frfd ")
	fill=$(echo "$line" | sed -nE 's/.* ([0-9.]+[BKM])\/64\.0K.*/\1/p')
	[ -n "$line" ] || fail "no edge $fw:$fwfd → $fr:$frfd"
	[ -n "$fill" ] && [ "$fill" != 0B ] && ok "fill edge $fw:$fwfd → $fr:$frfd holds $fill" ||
		fail "fill edge without a non-zero fill: $line"
	ino=$(echo "$S" | sed -nE "s/.*pipe:\[([0-9]+)\] +$bw:$bwfd → $br:$brfd .*/\1/p" | head -1)
	[ -n "$ino" ] || fail "no edge $bw:$bwfd → $br:$brfd"
	echo "$S" | grep -q "$br blocked reading pipe:\[$ino\], written by $bw" &&
		ok "blocked reader: $br blocked reading pipe:[$ino], written by $bw" ||
		fail "no '$br blocked reading pipe:[$ino], written by $bw'"
	[ "$FAILS" -eq 0 ] && ok "tree: main $main, children $fw $fr $bw $br as in /proc"
else
	fail "pipes: the full picture never showed"; screen
fi
wait_for 'EXITED 0' 6 || fail "pipes: no EXITED 0 in the header"
screen | grep -Eq "^ *$main pipes +main +- +exited, status 0" || fail "main row not 'exited, status 0'"
quit_check pipes 0
for p in $main $fw $fr $bw $br; do alive "$p" && fail "pipes: $p still alive"; done

# ---- 2. a Python Pool at 80x24: the roles
w_start 80 24 watch --interval 100 --output "$TMPD/pool.out" -- "$py" tests/fixtures/mp_pool.py
n=0
for i in $(seq 60); do
	n=$(screen | grep -Ec '^ *[0-9]+ [├└]─python3 +pool worker ')
	[ "$n" -ge 3 ] && break
	sleep 0.1
done
S=$(screen)
[ "$n" -eq 3 ] || fail "pool: $n pool worker rows, expected 3"
main=$(sed -n 's/^main //p' "$TMPD/pool.out")
echo "$S" | grep -Eq "^ *$main python3 +main " || fail "pool: no main row for $main"
workers=$(echo "$S" | sed -nE 's/^ *([0-9]+) [├└]─python3 +pool worker .*/\1/p')
for w in $workers; do
	pp=$(pppid "$w")
	[ -z "$pp" ] || [ "$pp" = "$main" ] || fail "pool: worker $w has parent $pp"
done
wait_for 'EXITED 0' 8 || fail "pool: no EXITED 0"
ran=$(sed -n 's/^task [0-9]* //p' "$TMPD/pool.out" | sort -u)
for p in $ran; do
	echo "$workers" | grep -qx "$p" || fail "pool: worker $p ran a task but is not a 'pool worker' row"
done
[ -n "$ran" ] && [ "$FAILS" -eq 0 ] && ok "pool: 3 'pool worker' rows ($(echo $workers)) ran the tasks, main $main"
screen | grep -Eq "^ *[0-9]+ [├└]─python3 +pool worker +- +exited" || fail "pool: exited workers not kept on screen"
quit_check pool 0

# ---- 3. the join deadlock: banner, display pause, q stops the program
w_start 120 40 watch --interval 200 --record "$TMPD/dl.jsonl" --output "$TMPD/dl.out" -- "$py" tests/fixtures/mp_join_deadlock.py
wait_for 'LIKELY DEADLOCK: [0-9]+ waits for [0-9]+ waits for [0-9]+' 8 &&
	ok "deadlock banner" || fail "no LIKELY DEADLOCK banner"
main=$(sed -n 's/^main //p' "$TMPD/dl.out")
child=$(sed -n 's/^child //p' "$TMPD/dl.out")
tm send-keys Space
wait_for 'DISPLAY PAUSED' 3 || fail "no DISPLAY PAUSED"
screen | grep -q 'Display paused: the program keeps running' || fail "no 'display paused' message"
t1=$(screen | sed -nE 's/^ t ([^ ]+) .*/\1/p')
sleep 0.6
t2=$(screen | sed -nE 's/^ t ([^ ]+) .*/\1/p')
[ -n "$t1" ] && [ "$t1" = "$t2" ] || fail "display not frozen ($t1 -> $t2)"
st=$(pstate "$main")
[ "$st" = S ] && [ "$(pstate "$child")" = S ] && ok "paused display: frozen at $t1, the program is not stopped" ||
	fail "program state $st / $(pstate "$child") while the display is paused"
tm send-keys Space
wait_for 'DEADLOCK\?' 3 || fail "no DEADLOCK? badge after resume"
# / filters the events: only the deadlock entry is left.
tm send-keys / L I K E L Y Enter
wait_for ' /LIKELY 1/[0-9]+ ' 3 || fail "no filtered Events title"
screen | grep -Eq '^ +[0-9.]+s deadlock +LIKELY DEADLOCK: ' || fail "the filter hid the deadlock event"
screen | grep -q 'first look' && fail "the filter kept a non-matching event"
tm send-keys Escape
wait_for 'first look' 3 && ok "events filter" || fail "Esc did not clear the filter"
quit_check deadlock 143
# --record under the dashboard: a JSON object per snapshot, the cycle in it.
"$py" -c '
import json, sys
snaps = [json.loads(l) for l in open(sys.argv[1])]
assert len(snaps) >= 3, "only %d snapshots" % len(snaps)
assert any(s["deadlocks"] for s in snaps), "no deadlock recorded"
' "$TMPD/dl.jsonl" && ok "deadlock: --record wrote JSON Lines with the cycle" ||
	fail "deadlock: bad --record file"
sleep 0.2
alive "$main" && fail "deadlock: main $main still alive after q"
alive "$child" && fail "deadlock: child $child still alive after q"

# ---- 3b. SIGTERM and a crash (SIGSEGV) of ipcscope: terminal restored,
# the program stopped
for sig in TERM SEGV; do
	w_start 80 24 watch --interval 200 --output "$TMPD/sig.out" -- "$py" tests/fixtures/mp_join_deadlock.py
	wait_for 'LIKELY DEADLOCK' 8 || fail "$sig: no deadlock banner"
	main=$(sed -n 's/^main //p' "$TMPD/sig.out")
	child=$(sed -n 's/^child //p' "$TMPD/sig.out")
	obs=$(pppid "$main")
	[ "$(cat /proc/"$obs"/comm 2>/dev/null)" = ipcscope ] || fail "$sig: $main's parent $obs is not ipcscope"
	kill -s "$sig" "$obs"
	wait_exit 6 || fail "$sig: ipcscope did not exit"
	n=20; while [ $n -gt 0 ] && [ ! -s "$TMPD/stty2" ]; do sleep 0.1; n=$((n - 1)); done
	want=143; [ "$sig" = SEGV ] && want=139
	[ "$(cat "$TMPD/exit" 2>/dev/null)" = $want ] || fail "$sig: status $(cat "$TMPD/exit" 2>/dev/null), want $want"
	cmp -s "$TMPD/stty1" "$TMPD/stty2" || fail "$sig: terminal not restored"
	sleep 0.3
	for p in $main $child; do alive "$p" && fail "$sig: $p left behind"; done
	[ "$FAILS" -eq 0 ] && ok "SIG$sig to ipcscope: exit $want, terminal restored, program gone"
done

# ---- 4. CMD exits leaving a child in its group: q exits with CMD's
# status and stops the child
w_start 80 24 watch --interval 100 -- sh -c "'sleep 30 & echo \$! > $TMPD/left; sleep 0.5; exit 3'"
wait_for 'EXITED 3' 5 || fail "left: no EXITED 3"
left=$(cat "$TMPD/left" 2>/dev/null)
[ -n "$left" ] && alive "$left" || fail "left: the child ${left:-?} is not running before q"
screen | grep -Eq "^ *$left [├└]─sleep " || fail "left: no row for the child $left"
quit_check left 3
alive "$left" && fail "left: the child $left still alive after q" || ok "left: the child $left is gone"

# ---- 5. attach at 80x24: detail, signal menu, resizes; q leaves it alone
"$py" tests/fixtures/mp_join_deadlock.py > "$TMPD/att.out" 2>&1 &
BG=$!
for i in $(seq 50); do grep -qs '^child' "$TMPD/att.out" && break; sleep 0.1; done
child=$(sed -n 's/^child //p' "$TMPD/att.out")
BG="$BG $child"
main=${BG%% *}
w_start 80 24 attach --interval 200 "$main"
wait_for "^ *$child └─python3 " 5 || fail "attach: no row for the child $child"
screen | grep -Eq "^ *$main python3 +main " || fail "attach: no main row for $main"
screen | grep -q 'attach' || fail "attach: no title"
tm send-keys Down Enter
wait_for "Process $child python3" 3 || fail "attach: no detail view of $child"
wait_for 'pipe write end, read by' 3 && ok "attach: detail names the descriptors" ||
	fail "attach: detail lacks 'pipe write end, read by'"
tm send-keys Escape
tm send-keys k
wait_for "Send signal to python3 \\($child\\)" 3 || fail "attach: no signal menu for $child"
tm send-keys Down Down Down Down Enter
wait_for "Sent SIGSTOP to python3 \\($child\\)" 3 || fail "attach: no 'Sent SIGSTOP'"
sleep 0.2
[ "$(pstate "$child")" = T ] || fail "attach: $child not stopped by SIGSTOP ($(pstate "$child"))"
tm send-keys k Down Down Down Down Down Enter
wait_for "Sent SIGCONT" 3 || fail "attach: no 'Sent SIGCONT'"
sleep 0.2
[ "$(pstate "$child")" = S ] && ok "attach: signal menu SIGSTOP / SIGCONT reached $child" ||
	fail "attach: $child state $(pstate "$child") after SIGCONT"
tm resize-window -x 60 -y 15
wait_for 'Processes' 3 && ok "attach: 60x15" || fail "attach: no Processes panel at 60x15"
tm resize-window -x 50 -y 12
wait_for 'terminal too small' 3 || fail "attach: no 'too small' at 50x12"
tm resize-window -x 80 -y 24
wait_for 'Events' 3 || fail "attach: no Events panel back at 80x24"
quit_check attach 0
for p in $main $child; do
	alive "$p" && [ "$(pstate "$p")" != T ] || fail "attach: $p not running after q ($(pstate "$p"))"
done
[ "$FAILS" -eq 0 ] && ok "attach: $main and $child still running, not stopped"
kill -KILL $BG 2>/dev/null
wait 2>/dev/null
BG=""
ui_finish
