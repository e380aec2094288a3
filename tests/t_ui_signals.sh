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
ui_finish
