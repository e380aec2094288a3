#!/bin/sh
# SIGTERM, SIGHUP and SIGINT to ipcscope under the dashboard: the terminal
# is restored, the status is 128 + N (as headless) and no scenario process
# is left.
. "$(dirname "$0")/ui_lib.sh"
ui_require

for sig in TERM HUP INT; do
	case $sig in TERM) want=143 ;; HUP) want=129 ;; INT) want=130 ;; esac
	ui_start 100 30 run --speed 1 scenarios/pool_callback.ini
	wait_for '[0-9]+ .*worker-3 +worker' 5 || fail "$sig: no workers"
	S=$(screen)
	pids=$(echo "$S" | sed -nE 's/^ *([0-9]+) .*(main|worker-[0-9]+) +(main|worker) .*/\1/p')
	mainpid=$(echo "$S" | sed -nE 's/^ *([0-9]+) main +main .*/\1/p' | head -1)
	obs=$(pppid "$mainpid")
	[ "$(cat /proc/"$obs"/comm 2>/dev/null)" = ipcscope ] || fail "$sig: no observer pid"
	kill -s "$sig" "$obs"
	wait_exit 5 || fail "$sig: ipcscope did not exit"
	[ "$(cat "$TMPD/exit" 2>/dev/null)" = "$want" ] ||
		fail "$sig: status $(cat "$TMPD/exit" 2>/dev/null), want $want"
	cmp -s "$TMPD/stty1" "$TMPD/stty2" || fail "$sig: terminal not restored"
	sleep 0.3
	for p in $pids; do alive "$p" && fail "$sig: process $p left behind"; done
	[ "$FAILS" -eq 0 ] && ok "SIG$sig"
	tm kill-server
	sleep 0.2
done
# The last-resort handler: a crash of ipcscope itself (SIGSEGV) restores
# the terminal, kills the scenario and dies of the same signal.
rm -f "$TMPD/exit" "$TMPD/stty1" "$TMPD/stty2"
tm -f /dev/null new-session -d -x 100 -y 30 \
    "cd '$ROOT'; ulimit -c 0; stty -g > '$TMPD/stty1'; env LC_ALL=C.UTF-8 \
    TERM=tmux-256color '$IPCSCOPE' run --config '$TMPD/ipcscope.ini' \
    scenarios/pool_callback.ini; echo \$? > '$TMPD/exit'; stty -g > '$TMPD/stty2'; sleep 60"
wait_for '[0-9]+ .*worker-3 +worker' 5 || fail "SEGV: no workers"
S=$(screen)
pids=$(echo "$S" | sed -nE 's/^ *([0-9]+) .*(main|worker-[0-9]+) +(main|worker) .*/\1/p')
mainpid=$(echo "$S" | sed -nE 's/^ *([0-9]+) main +main .*/\1/p' | head -1)
obs=$(pppid "$mainpid")
kill -s SEGV "$obs"
wait_exit 5 || fail "SEGV: ipcscope did not die"
[ "$(cat "$TMPD/exit" 2>/dev/null)" = 139 ] || fail "SEGV: status $(cat "$TMPD/exit" 2>/dev/null), want 139"
cmp -s "$TMPD/stty1" "$TMPD/stty2" || fail "SEGV: terminal not restored"
sleep 0.3
for p in $pids; do alive "$p" && fail "SEGV: process $p left behind"; done
[ "$FAILS" -eq 0 ] && ok "SIGSEGV: terminal restored, scenario gone"
ui_finish
