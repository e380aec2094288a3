#!/bin/sh
# make bench: side-by-side benchmarks. Usage: bench/run.sh PATH/TO/ipcscope
# bench.py: runtime figures (no terminal needed); ui_bench.py: the
# dashboard in tmux. BENCH_RUNS=N and BENCH_ONLY=a,b,c select.
here=$(dirname "$0")
python3 "$here/bench.py" "$@" || exit 1
python3 "$here/ui_bench.py" "$@"
