#!/bin/sh
# ipcscope watch on a C fixture with known pipes: the tree, the edge
# direction (writer pid:fd -> reader pid:fd), a non-zero fill while a fast
# writer outpaces a slow reader, the blocked-reader diagnosis, and a named
# FIFO with bytes its reader leaves unread.
set -u
: "${IPCSCOPE:?}"
cd "$(dirname "$0")/.." || exit 1
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT INT TERM
cc -O1 -o "$tmp/pipes" tests/fixtures/pipes.c || { echo "cannot build the fixture"; exit 1; }
timeout 20 "$IPCSCOPE" watch --headless --json --interval 100 \
	--output "$tmp/fixture.out" -- "$tmp/pipes" "$tmp/fifo" >"$tmp/watch.jsonl"
rc=$?
[ "$rc" -eq 0 ] || { echo "watch exited $rc, expected the fixture's 0"; exit 1; }
echo "fifo $tmp/fifo" >>"$tmp/fixture.out"
python3 tests/fixtures/watch_check.py pipes "$tmp/watch.jsonl" "$tmp/fixture.out" || exit 1

# The text printer shows the same diagnosis.
timeout 20 "$IPCSCOPE" watch --headless --interval 200 -- "$tmp/pipes" >"$tmp/watch.txt"
grep -Eq '^  [0-9]+ blocked reading pipe:\[[0-9]+\], written by [0-9]+$' "$tmp/watch.txt" ||
	{ echo "text output lacks the blocked reader"; head -40 "$tmp/watch.txt"; exit 1; }
grep -Eq 'fill [0-9]{4,}/65536' "$tmp/watch.txt" ||
	{ echo "text output lacks a non-zero fill"; exit 1; }
exit 0
