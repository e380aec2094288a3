#!/bin/sh
# make bench: side-by-side benchmarks. Usage: bench/run.sh PATH/TO/ipcscope
exec python3 "$(dirname "$0")/bench.py" "$@"
