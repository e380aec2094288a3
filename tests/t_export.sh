#!/bin/sh
# ipcscope export: every bundled scenario recorded at --speed 20 and
# exported to Perfetto JSON (structure checked in Python: slices closed and
# nested, flows matched, every pid and tid named; tasks, callbacks, flows
# per queue and pipe counted against the recording) and to CSV (a row per
# event, RFC 4180). Bad formats, bad files, output left whole or not at all.
set -u
: "${IPCSCOPE:?}"
cd "$(dirname "$0")/.." || exit 1
. tests/replay_lib.sh
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
fail=0
bad() { echo "t_export: $*"; fail=1; }

record_all "$T"
n=0
for f in "$T"/*.jsonl; do
	name=$(basename "$f" .jsonl)
	"$IPCSCOPE" export --format perfetto "$f" -o "$T/$name.json" 2>"$T/err" ||
	    { bad "$name: perfetto export failed"; cat "$T/err"; continue; }
	python3 tests/replay_check.py perfetto "$f" "$T/$name.json" ||
	    bad "$name: perfetto JSON"
	"$IPCSCOPE" export --format csv "$f" >"$T/$name.csv" 2>"$T/err" ||
	    { bad "$name: csv export failed"; cat "$T/err"; continue; }
	python3 tests/replay_check.py csv "$f" "$T/$name.csv" || bad "$name: csv"
	n=$((n + 1))
done
[ "$n" -ge 15 ] || bad "only $n scenarios exported"

# The scenarios cover what the exporter draws.
grep -q '"cat":"task"' "$T/pool_callback.json" || bad "no task slice in pool_callback"
grep -q '"cat":"callback"' "$T/pool_callback.json" || bad "no callback slice in pool_callback"
grep -q '"ph":"s".*"name":"queue ' "$T/producer_consumer.json" || bad "no queue flow"
grep -q '"ph":"s".*"name":"pipe ' "$T/pipe.json" || bad "no pipe flow"
grep -q '"ph":"C","name":"queue ' "$T/producer_consumer.json" || bad "no queue counter"
grep -q '"ph":"C","name":"pipe ' "$T/pipe.json" || bad "no pipe counter"
grep -q '"ph":"i","name":"lost task' "$T/worker_killed.json" || bad "no lost task instant"

# A text with commas, quotes and a newline is quoted as RFC 4180 says.
cat >"$T/q.ini" <<'INI'
[scenario]
title = csv quoting
[queue q]
[function main]
step = put q "a, \"b\"\nc"
step = get q
INI
"$IPCSCOPE" run --headless --speed 20 --record "$T/q.jsonl" "$T/q.ini" >/dev/null || bad "q.ini run"
"$IPCSCOPE" export --format csv "$T/q.jsonl" -o "$T/q.csv" || bad "q csv"
grep -q ',"a, ""b""' "$T/q.csv" || { bad "csv quoting"; cat "$T/q.csv"; }
python3 tests/replay_check.py csv "$T/q.jsonl" "$T/q.csv" || bad "q.csv"

# Usage errors and unreadable input: exit 2, nothing written.
"$IPCSCOPE" export --format svg "$T/q.jsonl" -o "$T/x" 2>"$T/err"
[ $? -eq 2 ] || bad "unknown format: want exit 2"
grep -q "unknown format 'svg'" "$T/err" || bad "unknown format: message"
"$IPCSCOPE" export "$T/q.jsonl" 2>/dev/null
[ $? -eq 2 ] || bad "no --format: want exit 2"
printf '{"format":"ipcscope-trace","version":1}\n{"t":1,"pid":2,"ev":"put","depth":\n' >"$T/bad.jsonl"
"$IPCSCOPE" export --format perfetto "$T/bad.jsonl" -o "$T/bad.json" 2>"$T/err"
[ $? -eq 2 ] || bad "corrupt: want exit 2"
grep -q "bad.jsonl:2: error:" "$T/err" || { bad "corrupt: message"; cat "$T/err"; }
[ -e "$T/bad.json" ] && bad "corrupt: output written"
ls "$T" | grep -q '\.tmp\.' && bad "temporary file left behind"

# A full disk: exit 1, no partial output.
if [ -w /dev/full ]; then
	"$IPCSCOPE" export --format csv "$T/q.jsonl" >/dev/full 2>"$T/err"
	[ $? -eq 1 ] || bad "/dev/full: want exit 1"
fi
exit $fail
