#!/bin/sh
# SIGTERM, SIGINT and SIGHUP to ipcscope while the dashboard is open in
# tmux, each FAULT_REPS times (default 20), on a small scenario (two
# processes, each with a thread) at --speed 20: ipcscope exits with
# 128 + N, the terminal is restored (stty -g in the pane is the same before
# and after), and nothing is left: no process in the run's process group
# (orphans and zombies count), no new /dev/shm entry, nothing in the run's
# private TMPDIR.
. "$(dirname "$0")/ui_lib.sh"
ui_require
REPS=${FAULT_REPS:-20}
cat > "$TMPD/nap.ini" <<'INI'
[scenario]
title = two sleepers with a thread each
timeout = 10m
[process kid]
run = nap
count = 2
[thread helper]
run = nap2
[function nap2]
step = sleep 1m
[function nap]
step = start helper
step = sleep 1m
[function main]
step = start kid
step = join kid
INI
mkdir "$TMPD/tmp"
TMPDIR=$TMPD/tmp
export TMPDIR
shm_list() { ls -A /dev/shm 2>/dev/null | grep -v '^sem\.mp-' | sort; }
# in_group PG: processes of group PG, zombies included
in_group() { ps -e -o pgid= | awk -v g="$1" '$1 == g' | wc -l; }
shm_before=$(shm_list)
start=$(date +%s)
runs=0
for sig in TERM INT HUP; do
	case $sig in TERM) want=143 ;; INT) want=130 ;; HUP) want=129 ;; esac
	i=0
	while [ $i -lt "$REPS" ]; do
		i=$((i + 1))
		ui_start 100 30 run --speed 20 "$TMPD/nap.ini"
		if ! wait_for '└─helper .*sleep' 5 || ! wait_for 'kid-2 +process' 1; then
			fail "$sig #$i: the scenario did not start"; screen | head -12
			tm kill-server; sleep 0.2; continue
		fi
		mainpid=$(screen | sed -nE 's/^ *([0-9]+) main +main .*/\1/p' | head -1)
		obs=$(pppid "$mainpid")
		[ -n "$obs" ] && [ "$(cat /proc/"$obs"/comm 2>/dev/null)" = ipcscope ] ||
			{ fail "$sig #$i: no observer for main ${mainpid:-?}"; tm kill-server; sleep 0.2; continue; }
		kill -s "$sig" "$obs"
		wait_exit 5 || fail "$sig #$i: ipcscope did not exit"
		w=0   # the pane writes the status, then stty2: wait for both
		while [ ! -s "$TMPD/stty2" ] && [ $w -lt 50 ]; do sleep 0.05; w=$((w + 1)); done
		[ "$(cat "$TMPD/exit" 2>/dev/null)" = "$want" ] ||
			fail "$sig #$i: status $(cat "$TMPD/exit" 2>/dev/null), want $want"
		[ -s "$TMPD/stty1" ] && cmp -s "$TMPD/stty1" "$TMPD/stty2" ||
			fail "$sig #$i: terminal not restored: $(cat "$TMPD/stty1") / $(cat "$TMPD/stty2" 2>/dev/null)"
		k=0
		while [ "$(in_group "$mainpid")" -ne 0 ] && [ $k -lt 30 ]; do sleep 0.1; k=$((k + 1)); done
		[ "$(in_group "$mainpid")" -eq 0 ] ||
			fail "$sig #$i: $(in_group "$mainpid") processes left in group $mainpid"
		[ -z "$(ls -A "$TMPD/tmp")" ] || fail "$sig #$i: temp files: $(ls -A "$TMPD/tmp")"
		[ "$(shm_list)" = "$shm_before" ] || fail "$sig #$i: /dev/shm changed"
		tm kill-server
		sleep 0.2              # a new server must not meet the old one
		runs=$((runs + 1))
		[ "$FAILS" -gt 5 ] && break 2
	done
done
[ "$runs" -eq $((3 * REPS)) ] || fail "only $runs of $((3 * REPS)) runs done"
[ "$FAILS" -eq 0 ] && ok "$runs signals (TERM, INT, HUP x $REPS) in $(( $(date +%s) - start )) s: status, terminal, nothing left"
ui_finish
