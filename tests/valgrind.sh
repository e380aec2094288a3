#!/bin/sh
# make valgrind: every bundled scenario headless at --speed 2 (VALGRIND_SPEED) under
# valgrind memcheck. Scenario processes are forks of ipcscope, so valgrind
# follows every one of them (--trace-children only concerns exec, which
# ipcscope never does); each process writes its own log. Passes when every
# run exits 0 and every process that lived to exit reports 0 errors and
# 0 bytes definitely lost (processes killed by a signal, like the worker in
# worker_killed, write no summary). Skipped, with a message, without valgrind.
set -u
: "${IPCSCOPE:?}"
cd "$(dirname "$0")/.." || exit 1
if ! command -v valgrind >/dev/null 2>&1; then
	echo "valgrind: not installed; skipped (apt-get install valgrind)"
	exit 0
fi
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT INT TERM
fail=0
speed=${VALGRIND_SPEED:-2}   # scenario timeouts are scenario time: leave valgrind room
nrun=0; nlog=0; nsum=0; errs=0; lost=0
for f in scenarios/*.ini; do
	name=$(basename "$f" .ini)
	mkdir "$T/$name"
	valgrind --leak-check=full --errors-for-leak-kinds=definite \
		--show-leak-kinds=definite --log-file="$T/$name/vg.%p" \
		"$IPCSCOPE" run --headless --speed "$speed" "$f" >"$T/$name/out" 2>&1
	rc=$?
	nrun=$((nrun + 1))
	[ "$rc" -eq 0 ] || { echo "valgrind: $name: exit status $rc"; tail -5 "$T/$name/out"; fail=1; }
	for l in "$T/$name"/vg.*; do
		nlog=$((nlog + 1))
		e=$(sed -n 's/.*ERROR SUMMARY: \([0-9,]*\) errors.*/\1/p' "$l" | tr -d ,)
		d=$(sed -n 's/.*definitely lost: \([0-9,]*\) bytes.*/\1/p' "$l" | tr -d ,)
		[ -n "$e" ] && nsum=$((nsum + 1))
		errs=$((errs + ${e:-0})); lost=$((lost + ${d:-0}))
		if [ "${e:-0}" -ne 0 ] || [ "${d:-0}" -ne 0 ]; then
			echo "valgrind: $name: $(basename "$l"): ${e:-0} errors, ${d:-0} bytes definitely lost"
			grep -E '^==[0-9]+== (Invalid|Conditional|Syscall|Mismatched|[0-9,]+ bytes in)' "$l" | head -5
			fail=1
		fi
	done
done
echo "valgrind: $nrun scenarios, $nlog processes ($nsum with a summary): $errs errors, $lost bytes definitely lost"
[ "$nrun" -ge 8 ] || { echo "valgrind: only $nrun scenarios"; fail=1; }
exit $fail
