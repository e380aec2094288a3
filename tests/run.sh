#!/bin/sh
# Runs every tests/t_*.sh with IPCSCOPE pointing at the binary under test.
# Each script exits non-zero on failure and prints what failed.
set -u
: "${IPCSCOPE:?set IPCSCOPE to the binary}"
export IPCSCOPE
cd "$(dirname "$0")/.." || exit 1
pass=0; fail=0; failed=""
for t in tests/t_*.sh; do
	[ -e "$t" ] || continue
	if sh "$t"; then
		pass=$((pass + 1)); echo "ok   $t"
	else
		fail=$((fail + 1)); failed="$failed $t"; echo "FAIL $t"
	fi
done
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ] || { echo "failed:$failed"; exit 1; }
