#!/bin/sh
# Every bundled scenario runs headless at --speed 20 to exit status 0 with
# nothing left behind (no process of its group, no /dev/shm entry). Under
# make asan ($IPCSCOPE is the ASan + UBSan binary) no process of the run
# may report: scenario processes have /dev/null as stderr, so ASan writes
# its reports to files in a private directory (log_path; a file there
# fails the test), and UBSan, whose gcc runtime ignores log_path, aborts
# (abort_on_error): the trace then shows an exit by SIGABRT. ipcscope's
# own reports land in its stderr, which is checked too.
set -u
: "${IPCSCOPE:?}"
cd "$(dirname "$0")/.." || exit 1
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
fail=0
bad() { echo "t_scenarios_all: $*"; fail=1; }
mkdir "$T/san"
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}log_path=$T/san/asan"
UBSAN_OPTIONS="${UBSAN_OPTIONS:+$UBSAN_OPTIONS:}abort_on_error=1:print_stacktrace=1"
ulimit -c 0
export ASAN_OPTIONS UBSAN_OPTIONS
shm_list() { ls -A /dev/shm 2>/dev/null | grep -v '^sem\.mp-' | sort; }
shm_before=$(shm_list)
n=0
for f in scenarios/*.ini; do
	name=$(basename "$f" .ini)
	timeout 60 "$IPCSCOPE" run --headless --json --speed 20 "$f" >"$T/$name.jsonl" 2>"$T/$name.err"
	rc=$?
	n=$((n + 1))
	[ "$rc" -eq 0 ] || { bad "$name: exit status $rc"; tail -3 "$T/$name.err"; }
	# the run's process group (main's pid) is empty afterwards
	pg=$(python3 -c '
import json, sys
for l in open(sys.argv[1]):
    e = json.loads(l)
    if e.get("ev") == "spawn" and e.get("role") == "main":
        print(e["pid"]); break' "$T/$name.jsonl")
	[ -n "$pg" ] || { bad "$name: no main in the trace"; continue; }
	grep -q '"ev":"exit",.*"status":-6,' "$T/$name.jsonl" && bad "$name: a process died of SIGABRT"
	grep -Eq 'runtime error:|Sanitizer' "$T/$name.err" && { bad "$name: sanitizer report"; head -5 "$T/$name.err"; }
	left=$(ps -e -o pgid= | awk -v g="$pg" '$1 == g' | wc -l)
	[ "$left" -eq 0 ] || bad "$name: $left processes left in group $pg"
done
[ "$n" -ge 19 ] || bad "only $n bundled scenarios"
for r in "$T"/san/*; do
	[ -e "$r" ] || continue
	bad "sanitizer report $(basename "$r"):"; head -20 "$r"
done
[ "$(shm_list)" = "$shm_before" ] || bad "/dev/shm changed: $(shm_list | tr '\n' ' ')"
exit $fail
