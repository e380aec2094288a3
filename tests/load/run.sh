#!/bin/sh
# make load: tests/load/load.ini (1,000 processes, 1,000,000 queue messages
# with checksums, 100,000 pool tasks) run headless, its trace and summary
# checked message by message and task by task (check_trace.py), then run
# again under the dashboard in tmux, timing keys while the load runs
# (ui_latency.py, limit LOAD_KEY_MS, default 200) and checking its
# recording the same way. Nothing may be left: no process of either run,
# no /dev/shm entry. Needs python3 and tmux (the dashboard part is skipped,
# with a message, without tmux).
set -u
: "${IPCSCOPE:?}"
cd "$(dirname "$0")/../.." || exit 1
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
fail=0
shm_list() { ls -A /dev/shm 2>/dev/null | grep -v '^sem\.mp-' | sort; }
left() {       # processes left of the run whose trace is $1
	pg=$(grep -m1 '"ev":"spawn"' "$1" | sed -n 's/.*"pid":\([0-9]*\),"ev":"spawn".*"role":"main".*/\1/p')
	[ -n "$pg" ] || { echo "?"; return; }
	# A killed group takes a moment to go (init reaps orphans late):
	# wait up to 10 s for its live (non-zombie) processes to be gone.
	for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do
		n=$(ps -e -o pgid=,stat= | awk -v g="$pg" '$1 == g && $2 !~ /^Z/' | wc -l)
		[ "$n" -eq 0 ] && break
		sleep 0.5
	done
	echo "$n"
}
shm_before=$(shm_list)

start=$(date +%s)
"$IPCSCOPE" run --headless --json --speed 20 tests/load/load.ini >"$T/trace.jsonl" 2>"$T/summary"
rc=$?
echo "load: headless run: exit $rc in $(( $(date +%s) - start )) s; $(grep -o '[0-9][0-9]* events' "$T/summary" | head -1)"
[ "$rc" -eq 0 ] || { echo "FAIL: headless load run exit $rc"; tail -5 "$T/summary"; fail=1; }
python3 tests/load/check_trace.py "$T/trace.jsonl" "$T/summary" || fail=1
[ "$(left "$T/trace.jsonl")" = 0 ] || { echo "FAIL: processes left after the headless run"; fail=1; }
rm -f "$T/trace.jsonl"

if command -v tmux >/dev/null 2>&1; then
	python3 tests/load/ui_latency.py "$IPCSCOPE" tests/load/load.ini "$T/ui.jsonl" "$T" \
		20 "${LOAD_KEY_MS:-200}" || fail=1
	python3 tests/load/check_trace.py "$T/ui.jsonl" || fail=1
	[ "$(left "$T/ui.jsonl")" = 0 ] || { echo "FAIL: processes left after the dashboard run"; fail=1; }
else
	echo "load: no tmux: the dashboard part is skipped"
fi
[ "$(shm_list)" = "$shm_before" ] || { echo "FAIL: /dev/shm changed"; fail=1; }
echo "load: $( [ $fail -eq 0 ] && echo ok || echo FAILED ) in $(( $(date +%s) - start )) s"
exit $fail
