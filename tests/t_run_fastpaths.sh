#!/bin/sh
# The runtime's fast paths keep their semantics: a queue's shared read-ahead
# with several producers and consumers (no message lost, duplicated or
# altered, bounded queues still bound, timeouts still time out), the pool's
# batched task writes and result reads (every task, result and callback),
# short and long messages through queues and pipes (stack and heap
# buffers), the manager's dict with many keys (hash index).
set -u
: "${IPCSCOPE:?}"
cd "$(dirname "$0")/.." || exit 1
T=$(mktemp -d) || exit 1
trap 'rm -rf "$T"' EXIT
fail=0
bad() { echo "t_run_fastpaths: $*"; fail=1; }

run() {   # run NAME: runs $T/NAME.ini into $T/NAME.out, exit status must be 0
	"$IPCSCOPE" run --headless --speed 50 "$T/$1.ini" >"$T/$1.out" 2>&1
	rc=$?
	[ "$rc" -eq 0 ] || { bad "$1: exit $rc"; tail -5 "$T/$1.out" | sed 's/^/    /'; }
}

# ---- queues: 3 producers, 3 consumers, an unbounded and a bounded queue ----
cat >"$T/multi.ini" <<'EOF'
[scenario]
title = read-ahead with several producers and consumers
timeout = 120s
[queue q]
[queue b]
maxsize = 3
[process prod]
count = 3
run = produce
[process cons]
count = 3
run = consume
[function produce]
step = repeat 3000
step = put q "m {arg}-{i} and some text so that frames straddle the read-ahead {i}{i}"
step = put b "b{arg}-{i}"
step = end
[function consume]
step = repeat 3000
step = get q
step = get b timeout=30s
step = end
[function main]
step = start cons
step = start prod
step = join prod
step = join cons
EOF
run multi
grep -q "queue q: 9000 put, 9000 got" "$T/multi.out" || bad "multi: queue q counts: $(grep 'queue q:' "$T/multi.out")"
grep -q "queue b: 9000 put, 9000 got" "$T/multi.out" || bad "multi: queue b counts: $(grep 'queue b:' "$T/multi.out")"
grep -q "errors 0" "$T/multi.out" || bad "multi: errors"
# every message got exactly once, with its text intact
grep -E "^ *[0-9.]+ +[0-9]+ +cons-[0-9] +get +queue q '" "$T/multi.out" |
    sed -E "s/.*queue q '(m [0-9]-[0-9]+) and some text.* ([0-9]+)' depth=.*/\1 \2/" |
    sort -u >"$T/got"
n=$(wc -l <"$T/got")
[ "$n" -eq 9000 ] || bad "multi: $n distinct messages got, want 9000"
awk '{ split($2, p, "-"); i = p[2]; if ($3 != i i) exit 1 }' "$T/got" || bad "multi: a text was altered"
# the bounded queue never held more than 3
awk '/ put +queue b / { for (k = 1; k <= NF; k++) if ($k ~ /^depth=/) { split($k, d, "="); if (d[2] > 3) exit 1 } }' \
    "$T/multi.out" || bad "multi: bounded queue went above maxsize"

# ---- get timeouts around a buffered read-ahead, FIFO order ----
cat >"$T/order.ini" <<'EOF'
[scenario]
title = order and timeouts
timeout = 60s
[queue q]
[process prod]
run = produce
[function produce]
step = repeat 200
step = put q "x{i}"
step = end
step = sleep 2s
step = repeat 200
step = put q "y{i}"
step = end
[function main]
step = start prod
step = repeat 200
step = get q
step = end
step = get q timeout=50ms on_error=continue
step = repeat 200
step = get q
step = end
step = get q timeout=50ms on_error=continue
step = join prod
EOF
run order
grep -q "errors 2" "$T/order.out" || bad "order: want the 2 timeouts: $(grep errors "$T/order.out")"
grep -E " get +queue q '" "$T/order.out" | sed -E "s/.*queue q '([xy][0-9]+)'.*/\1/" >"$T/got"
{ i=0; while [ $i -lt 200 ]; do echo "x$i"; i=$((i + 1)); done
  i=0; while [ $i -lt 200 ]; do echo "y$i"; i=$((i + 1)); done; } >"$T/want"
cmp -s "$T/got" "$T/want" || bad "order: messages not in FIFO order"

# ---- short and long messages through a queue and a pipe ----
long=$(awk 'BEGIN { while (n++ < 700) printf "A" }')
cat >"$T/long.ini" <<EOF
[scenario]
title = long messages
[queue q]
[pipe p]
[process c]
run = child
[function child]
step = get q
step = send p.b "{value}{value}"
step = put q "s{i}"
[function main]
step = start c
step = put q "$long"
step = recv p.a
step = get q
step = join c
EOF
run long
grep -q "queue q: 2 put, 2 got, 702 bytes" "$T/long.out" || bad "long: queue bytes: $(grep 'queue q:' "$T/long.out")"
grep -q "b->a 1 messages 1400 bytes" "$T/long.out" || bad "long: pipe bytes: $(grep 'pipe p:' "$T/long.out")"

# ---- pool: every task, result and callback, with batching ----
cat >"$T/pool.ini" <<'EOF'
[scenario]
title = pool batching
timeout = 120s
[pool pool]
processes = 2
[function sq]
step = return arg * 2
[function cb]
step = return arg
[function main]
step = repeat 3000
step = apply_async pool sq {i} callback=cb
step = end
step = map pool sq 0..499 chunksize=7
step = print "{value}"
step = close pool
step = join pool
EOF
run pool
grep -q "tasks 3500 submitted, 3500 done, 0 raised, 0 lost" "$T/pool.out" || bad "pool: $(grep 'tasks ' "$T/pool.out")"
grep -q "callbacks 3000" "$T/pool.out" || bad "pool: callbacks: $(grep 'tasks ' "$T/pool.out")"
n=$(grep -cE " callback +pool pool task [0-9]+ callback " "$T/pool.out")
[ "$n" -eq 3000 ] || bad "pool: $n callback lines, want 3000"
grep -q "print .*\[0, 2, 4, .* 998\]" "$T/pool.out" || bad "pool: map result list"

# ---- manager: many keys, updates of existing keys ----
cat >"$T/mgr.ini" <<'EOF'
[scenario]
title = manager hash index
timeout = 120s
[manager m]
[process w]
count = 2
run = upd
[function upd]
step = repeat 1500
step = dict_set m "k{i}" "{arg}"
step = end
[function main]
step = start w
step = join w
step = dict_get m "k1499"
step = dict_get m "k0"
step = dict_get m "nope" on_error=continue
EOF
run mgr
grep -q "manager m: 3002 operations" "$T/mgr.out" || bad "mgr: $(grep 'manager m:' "$T/mgr.out")"
grep -q "dict_get k1499=[01] size=1500" "$T/mgr.out" || bad "mgr: size after updates of the same keys"
grep -q "KeyError" "$T/mgr.out" || bad "mgr: missing key not a KeyError"

exit $fail
