#!/bin/sh
# Nothing is left behind after any ending: count the processes of the run's
# process group (zombies included) and the /dev/shm entries, before and
# after a normal end, an uncaught error, a timeout, a deadlock, SIGTERM,
# SIGINT and SIGHUP to ipcscope mid-run, and SIGKILL of ipcscope itself.
set -u
: "${IPCSCOPE:?}"
cd "$(dirname "$0")/.." || exit 1
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
fail=0
bad() { echo "t_cleanup: $*"; fail=1; }

# Processes whose process group is $1, in any state (zombies count).
in_group() {
	python3 - "$1" <<'PY'
import os, sys
pg, n = sys.argv[1], 0
for d in os.listdir("/proc"):
    if not d.isdigit():
        continue
    try:
        s = open(f"/proc/{d}/stat").read()
    except OSError:
        continue
    f = s[s.rindex(")") + 2:].split()
    if f[2] == pg:
        n += 1
print(n)
PY
}
# The main pid (= the run's process group) from a trace.
main_pid() {
	python3 -c '
import json, sys
for l in open(sys.argv[1]):
    try: e = json.loads(l)
    except ValueError: continue
    if e.get("ev") == "spawn" and e.get("role") == "main":
        print(e["pid"]); break
' "$1"
}
# Count of events of kind $2 in trace $1.
count_ev() {
	python3 -c '
import json, sys
n = 0
for l in open(sys.argv[1]):
    try: n += json.loads(l).get("ev") == sys.argv[2]
    except ValueError: pass
print(n)' "$1" "$2"
}
# Wait (at most 3 s) until the group $1 is empty; print what is left.
group_gone() {
	i=0
	while [ "$(in_group "$1")" -ne 0 ] && [ $i -lt 150 ]; do sleep 0.02; i=$((i + 1)); done
	in_group "$1"
}
shm_list() { ls -A /dev/shm 2>/dev/null | sort; }

cat >"$T/long.ini" <<'INI'
[scenario]
title = long
timeout = 10m
[queue q]
[process kid]
run = kid_main
count = 3
[thread helper]
run = nap
[function nap]
step = sleep 1m
[function kid_main]
step = start helper
step = get q
[function main]
step = start kid
step = join kid
INI
printf '[scenario]\ntitle = slow\ntimeout = 1s\n[process kid]\nrun = nap\n[function nap]\nstep = sleep 1m\n[function main]\nstep = start kid\nstep = join kid\n' >"$T/timeout.ini"
printf '[scenario]\ntitle = err\n[process kid]\nrun = nap\ndaemon = true\n[function nap]\nstep = sleep 1m\n[function main]\nstep = start kid\nstep = sleep 50ms\nstep = raise RuntimeError boom\n' >"$T/error.ini"
printf '[scenario]\ntitle = dl\n[queue q]\n[process kid]\nrun = k\ncount = 2\n[function k]\nstep = get q\n[function main]\nstep = start kid\nstep = join kid\n' >"$T/deadlock.ini"

shm_before=$(shm_list)

# ---- endings reached by the run itself ----
for c in "queue 0" "$T/error.ini 1" "$T/timeout.ini 1" "$T/deadlock.ini 1" "pid_tree 0"; do
	set -- $c
	"$IPCSCOPE" run --headless --speed 20 --record "$T/trace" "$1" >"$T/out" 2>&1
	rc=$?
	[ "$rc" -eq "$2" ] || bad "$1: exit $rc, want $2"
	pg=$(main_pid "$T/trace")
	[ -n "$pg" ] || { bad "$1: no main in the trace"; continue; }
	left=$(in_group "$pg")
	[ "$left" -eq 0 ] || bad "$1: $left processes left in group $pg"
done

# ---- signals to ipcscope mid-run ----
start_long() {
	rm -f "$T/trace"
	"$IPCSCOPE" run --headless --record "$T/trace" "$T/long.ini" >"$T/out" 2>&1 &
	ipid=$!
	i=0
	while [ $i -lt 250 ]; do
		[ -s "$T/trace" ] && [ "$(count_ev "$T/trace" thread_start)" -ge 3 ] && break
		sleep 0.02; i=$((i + 1))
	done
	pg=$(main_pid "$T/trace")
	[ -n "$pg" ] && [ "$(in_group "$pg")" -eq 4 ] ||
	    bad "long run did not start: group ${pg:-?} has $(in_group "${pg:-0}") processes"
}
for sig in TERM INT HUP; do
	start_long
	kill -$sig $ipid
	wait $ipid; rc=$?
	case $sig in TERM) want=143;; INT) want=130;; HUP) want=129;; esac
	[ "$rc" -eq "$want" ] || bad "SIG$sig: ipcscope exited $rc, want $want"
	grep -q "interrupted by SIG$sig" "$T/out" || bad "SIG$sig: summary does not say so"
	left=$(in_group "$pg")
	[ "$left" -eq 0 ] || bad "SIG$sig: $left processes left in group $pg"
	[ "$(count_ev "$T/trace" end)" -eq 1 ] || bad "SIG$sig: the trace has no end event"
done

# SIGKILL of ipcscope: PR_SET_PDEATHSIG takes main down, and main's children
# go with it.
start_long
kill -KILL $ipid
wait $ipid 2>/dev/null
left=$(group_gone "$pg")
[ "$left" -eq 0 ] || bad "SIGKILL: $left processes left in group $pg"

[ "$(shm_list)" = "$shm_before" ] || bad "/dev/shm changed: $(shm_list | tr '\n' ' ')"
exit $fail
