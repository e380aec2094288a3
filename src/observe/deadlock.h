#ifndef IPCSCOPE_DEADLOCK_H
#define IPCSCOPE_DEADLOCK_H
/*
 * Deadlock detection from the shared per-actor state. A run is deadlocked
 * when every live user actor (the main process, the scenario's processes,
 * pool workers and user threads; not the runtime's own handler and manager
 * threads nor the manager server) is blocked without a timeout on an object
 * that nothing can feed (an empty queue, a full one, a silent pipe, a join),
 * and has been for at least 'quiet_ns'. The caller also requires that no
 * event arrived for that long.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime/shared.h"
#include "scenario/scenario.h"

/* Returns true when 'sh' shows a deadlock at CLOCK_MONOTONIC 'now', and
 * writes the wait-for chain into 'chain' ("main (pid 100) waits in get on
 * queue q (empty), which only child-1 (pid 101) puts to; ... -> cycle"). */
bool deadlock_check(const struct scenario *sc, struct shared *sh, int64_t now,
    int64_t quiet_ns, char *chain, size_t len);

/* A group stuck for good while others go on: blocked user actors (not idle
 * pool workers) that only each other, or nobody alive, could wake — e.g.
 * two processes waiting on each other while main joins them with a
 * timeout. Returns true and describes the group in 'chain', with 'sig' a
 * signature of its members so a caller reports each group once. */
bool deadlock_check_partial(const struct scenario *sc, struct shared *sh, int64_t now,
    int64_t quiet_ns, char *chain, size_t len, uint64_t *sig);

#endif
