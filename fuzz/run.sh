#!/bin/sh
# Run every libFuzzer target given for SECONDS each (make fuzz).
#   fuzz/run.sh SECONDS BIN...
# The corpus of target fuzz_X lives in build/fuzz/corpus/X (kept between
# runs, not in git); it is seeded at each run from the files the target's
# seeds() lists below. A crash, leak, timeout or sanitizer report stops
# the target and fails the run; the input is kept in build/fuzz/artifacts/.
# Inputs that once crashed target fuzz_X are kept in fuzz/regress/fuzz_X-*
# and run first: they must not crash again. Prints "fuzz: TARGET: N
# executions in S s" per target.
set -u
secs=${1:?seconds}; shift
cd "$(dirname "$0")/.." || exit 1
out=build/fuzz
mkdir -p "$out/artifacts"
seeds() {     # TARGET -> seed files
	case $1 in
	fuzz_scenario) ls scenarios/*.ini tests/bad/*.ini docs/*.md 2>/dev/null ;;
	fuzz_trace) ls docs/trace-format.md tests/traces/* 2>/dev/null ;;
	esac
}
fail=0
for bin in "$@"; do
	t=$(basename "$bin")
	corpus=$out/corpus/${t#fuzz_}
	mkdir -p "$corpus"
	for f in $(seeds "$t"); do cp "$f" "$corpus/seed-$(basename "$f")"; done
	if [ "$t" = fuzz_trace ] && [ -x ./ipcscope ]; then
		# recordings of a few bundled scenarios, made at fuzz time
		for s in queue pipe manager pool_callback worker_killed; do
			./ipcscope run --headless --speed 20 --record "$corpus/seed-$s.jsonl" \
				"$s" >/dev/null 2>&1
		done
	fi
	# every input that once crashed the target runs first (regressions)
	reg=$(ls fuzz/regress/"$t"-* 2>/dev/null)
	if [ -n "$reg" ] && ! "$bin" $reg >"$out/$t.regress.log" 2>&1; then
		echo "FAIL: $t: a regression input crashes again; see $out/$t.regress.log" >&2
		grep -E 'runtime error|ERROR|Running' "$out/$t.regress.log" | head -5 >&2
		fail=1
		continue
	fi
	dict=""
	[ -f "fuzz/$t.dict" ] && dict="-dict=fuzz/$t.dict"
	log=$out/$t.log
	# -timeout: one input taking 10 s is a hang; -rss_limit_mb: a leak or
	# a blow-up; -max_len: inputs up to 16 KiB (lines are up to 8 KiB).
	"$bin" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-max_len=16384 -print_final_stats=1 $dict \
		-artifact_prefix="$out/artifacts/$t-" "$corpus" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	echo "fuzz: $t: ${runs:-?} executions in ${secs} s, corpus $(ls "$corpus" | wc -l) files"
	if [ "$rc" -ne 0 ]; then
		echo "FAIL: $t exited $rc; see $log" >&2
		grep -E 'ERROR|SUMMARY|Test unit written' "$log" | head -5 >&2
		fail=1
	fi
done
exit $fail
