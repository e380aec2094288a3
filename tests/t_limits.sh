#!/bin/sh
# Safety: shared memory is anonymous (no /dev/shm entry during a run,
# nothing under /dev/shm in any scenario process's maps or descriptors,
# the shared region a MAP_SHARED mapping of no file); the manager's
# abstract socket refuses a process that is not the run's (same user, other
# process group); recordings (run --record, watch --record, watch --output,
# attach --record) never follow a symlink planted at the destination; a
# scenario has no step that runs a command or opens a file.
set -u
: "${IPCSCOPE:?}"
cd "$(dirname "$0")/.." || exit 1
T=$(mktemp -d) || exit 1
ipid=
trap '[ -n "$ipid" ] && kill "$ipid" 2>/dev/null; rm -rf "$T"' EXIT INT TERM
fail=0
bad() { echo "t_limits: $*"; fail=1; }
shm_list() { ls -A /dev/shm 2>/dev/null | grep -v '^sem\.mp-' | sort; }

cat >"$T/long.ini" <<'INI'
[scenario]
title = every kind of object, waiting (timed waits: not a deadlock)
timeout = 10m
[queue q]
[pipe p]
[manager mgr]
[pool pool]
processes = 2
[process kid]
run = kid_main
[function kid_main]
step = dict_set mgr k "{pid}"
step = recv p.b timeout=10m
[function main]
step = start kid
step = get q timeout=10m
INI
shm_before=$(shm_list)
"$IPCSCOPE" run --headless --record "$T/trace" "$T/long.ini" >"$T/out" 2>&1 &
ipid=$!
i=0
until grep -q '"op":"dict_set"' "$T/trace" 2>/dev/null || [ $i -ge 100 ]; do
	sleep 0.05; i=$((i + 1))
done
python3 - "$T/trace" "$ipid" <<'PY' || fail=1
import json, os, socket, sys
trace, obs = sys.argv[1], int(sys.argv[2])
evs = [json.loads(l) for l in open(trace) if l.startswith("{")]
main = [e["pid"] for e in evs if e.get("ev") == "spawn" and e.get("role") == "main"][0]
pids = [e["pid"] for e in evs if e.get("ev") == "spawn"]
bad = []
if len(pids) != 5:     # main, manager, 2 workers, kid
    bad.append("%d processes, want 5" % len(pids))
shared = 0
for pid in pids:
    maps = open("/proc/%d/maps" % pid).read().splitlines()
    bad += ["%d maps %s" % (pid, l) for l in maps if "/dev/shm" in l]
    # the shared region and the pool's locks: MAP_SHARED, no file of ours
    shared += sum(1 for l in maps if l.split()[1][3] == "s")
    for fd in os.listdir("/proc/%d/fd" % pid):
        try:
            target = os.readlink("/proc/%d/fd/%s" % (pid, fd))
        except OSError:
            continue
        if target.startswith("/dev/shm") or target.startswith("/memfd:"):
            bad.append("%d has fd %s -> %s" % (pid, fd, target))
if shared < len(pids):
    bad.append("only %d shared mappings in %d processes" % (shared, len(pids)))
# An outsider (this test: same user, another process group) connecting to
# the manager's abstract socket is hung up on at once, without an answer.
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.settimeout(3)
try:
    s.connect("\0ipcscope-%d-%d-manager-0" % (obs, main))
    s.sendall(b"\x03\x00\x00\x00\x00\x00\x00\x00")     # a list_get request
    if s.recv(64) != b"":
        bad.append("the manager answered an outsider")
except socket.timeout:
    bad.append("the manager kept an outsider's connection open")
except (BrokenPipeError, ConnectionResetError):
    pass                # hung up before or while we sent: refused
except OSError as e:
    bad.append("cannot reach the manager's socket: %s" % e)
for b in bad:
    print("t_limits:", b)
sys.exit(1 if bad else 0)
PY
[ "$(shm_list)" = "$shm_before" ] || bad "/dev/shm changed during a run: $(shm_list | tr '\n' ' ')"
kill -TERM "$ipid"; wait "$ipid"; ipid=
grep -q '"op":"list_get"' "$T/trace" && bad "the outsider's request reached the manager"
[ "$(shm_list)" = "$shm_before" ] || bad "/dev/shm changed after the run"

# ---- recordings never follow a symlink ----
for how in run-record watch-record watch-output attach-record; do
	rm -f "$T/victim" "$T/link"
	echo keep >"$T/victim"
	ln -s "$T/victim" "$T/link"
	case $how in
	run-record) "$IPCSCOPE" run --headless --speed 20 --record "$T/link" queue ;;
	watch-record) "$IPCSCOPE" watch --count 1 --record "$T/link" -- true ;;
	watch-output) "$IPCSCOPE" watch --count 1 --output "$T/link" -- echo owned ;;
	attach-record) "$IPCSCOPE" attach --count 1 --record "$T/link" $$ ;;
	esac >"$T/out" 2>&1
	rc=$?
	[ "$rc" -eq 2 ] || bad "$how through a symlink: exit $rc, want 2"
	[ "$(cat "$T/victim")" = keep ] || bad "$how wrote through a symlink"
	grep -q "symbolic link" "$T/out" || bad "$how: no message: $(head -2 "$T/out")"
done
# a plain destination still works
"$IPCSCOPE" run --headless --speed 20 --record "$T/rec" queue >/dev/null 2>&1 || bad "run --record to a plain file failed"
[ -s "$T/rec" ] || bad "run --record wrote nothing"

# ---- no step runs a command or opens a file ----
for verb in system exec shell spawn popen open read write unlink; do
	printf '[scenario]\ntitle = t\n[function main]\nstep = %s "/etc/passwd"\n' "$verb" >"$T/v.ini"
	"$IPCSCOPE" check "$T/v.ini" 2>"$T/err"
	[ $? -eq 2 ] && grep -q "v.ini:4: error: unknown step '$verb'" "$T/err" ||
		bad "step '$verb' is not refused: $(cat "$T/err")"
done
exit $fail
