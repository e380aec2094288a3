#!/bin/sh
# ipcscope watch on unmodified Python multiprocessing programs
# (tests/fixtures/mp_*.py): pool worker, manager, forkserver and resource
# tracker roles, queue and duplex-pipe edges with their direction, and the
# join deadlock.
set -u
: "${IPCSCOPE:?}"
cd "$(dirname "$0")/.." || exit 1
# The interpreter itself, not a version-manager shim (which would add
# its own short-lived helper processes to the tree).
py=$(python3 -c 'import sys; print(sys.executable)') || { echo "python3 missing"; exit 1; }
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
fail=0

run() {   # run CHECK FIXTURE [extra watch options]
	check=$1 fx=$2; shift 2
	timeout 30 "$IPCSCOPE" watch --headless --json --interval 100 "$@" \
		--output "$tmp/$check.out" -- "$py" "tests/fixtures/$fx" \
		>"$tmp/$check.jsonl"
	echo $? >"$tmp/$check.rc"
	"$py" tests/fixtures/watch_check.py "$check" "$tmp/$check.jsonl" \
		"$tmp/$check.out" || { touch "$tmp/failed"; echo "  ($fx)"; }
}

run pool mp_pool.py &
run queue mp_queue.py &
wait
run pipe mp_pipe.py &
run manager mp_manager.py &
run forkserver mp_forkserver.py &
wait
# Hangs in CPython: --count bounds it; watch then ends the process group.
run deadlock mp_join_deadlock.py --count 20

for c in pool queue pipe manager forkserver; do
	[ "$(cat "$tmp/$c.rc")" = 0 ] || { echo "watch $c exited $(cat "$tmp/$c.rc")"; fail=1; }
done
# SIGTERM from watch ends the hung program: exit status 128+15.
[ "$(cat "$tmp/deadlock.rc")" = 143 ] || { echo "deadlock run exited $(cat "$tmp/deadlock.rc"), expected 143"; fail=1; }
[ -e "$tmp/failed" ] && fail=1
exit $fail
