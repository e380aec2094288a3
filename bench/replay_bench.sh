#!/bin/sh
# Replay benchmark: a one-million-event recording (two processes printing
# 500,000 lines each, recorded headless with --record at --speed 20) opened
# by `ipcscope replay --headless`, then 200 seeks to scrambled times.
# Targets (issue 6): open in under 2 s, every seek under 100 ms.
# Also times the Perfetto and CSV exports of the same recording, and the
# same open / seek figures on a pool-heavy recording (150,000 apply_async
# tasks with callbacks: 600,000 events, a model that grows with the run).
#
#   bench/replay_bench.sh [PATH/TO/ipcscope] [RUNS]
set -u
BIN=${1:-./ipcscope}
RUNS=${2:-3}
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT

cat >"$T/million.ini" <<'INI'
[scenario]
title = Replay bench: one million events
description = Two processes each print 500,000 short lines.
timeout = 600s
[process printer]
count = 2
run = spam
[function spam]
step = repeat 500000
step = print "e{i}"
step = end
[function main]
step = start printer
step = join printer
INI

now() { date +%s.%N; }
calc() { awk "BEGIN { print $1 }"; }
"$BIN" run --headless --speed 20 --record "$T/million.jsonl" "$T/million.ini" >"$T/run.out" ||
    { echo "replay_bench: the recording run failed"; exit 1; }
events=$(($(wc -l <"$T/million.jsonl") - 1))
echo "recording: $events events, $(du -m "$T/million.jsonl" | cut -f1) MiB" \
    "($(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg))"

fail=0
i=0
while [ $i -lt "$RUNS" ]; do
	s=$(now)
	"$BIN" replay --headless --quiet --bench-seeks 200 "$T/million.jsonl" \
	    >"$T/state.out" 2>"$T/bench.out" || { echo "replay failed"; cat "$T/bench.out"; exit 1; }
	e=$(now)
	line=$(grep '^replay-bench' "$T/bench.out")
	echo "run $((i + 1)): $line total_s=$(calc "$e - $s")"
	open=$(echo "$line" | sed 's/.*open_s=\([0-9.]*\).*/\1/')
	smax=$(echo "$line" | sed 's/.*seek_max_ms=\([0-9.]*\).*/\1/')
	echo "$open" >>"$T/opens"
	echo "$smax" >>"$T/seeks"
	i=$((i + 1))
done
grep -q "^totals events=$events " "$T/state.out" ||
    { echo "replay_bench: the replayed state does not count $events events"; fail=1; }
open_med=$(sort -n "$T/opens" | sed -n "$(( (RUNS + 1) / 2 ))p")
seek_max=$(sort -n "$T/seeks" | tail -1)
v1=FAIL; [ "$(calc "($open_med < 2) ? 1 : 0")" = 1 ] && v1=PASS
v2=FAIL; [ "$(calc "($seek_max < 100) ? 1 : 0")" = 1 ] && v2=PASS
echo "open (median of $RUNS): ${open_med} s   target < 2 s     $v1"
echo "seek (worst of $((RUNS * 200))): ${seek_max} ms  target < 100 ms  $v2"
[ $v1 = PASS ] && [ $v2 = PASS ] || fail=1

sed -e 's/repeat 20000/repeat 150000/' "$(dirname "$0")/scenarios/pool_throughput.ini" >"$T/pool.ini"
"$BIN" run --headless --record "$T/pool.jsonl" "$T/pool.ini" >/dev/null ||
    { echo "replay_bench: the pool recording failed"; exit 1; }
"$BIN" replay --headless --quiet --bench-seeks 200 "$T/pool.jsonl" 2>&1 >/dev/null |
    sed 's/^replay-bench/pool recording:/'

for fmt in perfetto csv; do
	s=$(now)
	"$BIN" export --format $fmt "$T/million.jsonl" -o "$T/out.$fmt" || { echo "export $fmt failed"; fail=1; }
	e=$(now)
	echo "export $fmt: $(calc "$e - $s") s, $(du -m "$T/out.$fmt" | cut -f1) MiB"
done
exit $fail
