#ifndef IPCSCOPE_WATCH_DEADLOCK_H
#define IPCSCOPE_WATCH_DEADLOCK_H
/*
 * Wait-for cycles. A process "waits for" another when it sleeps reading a
 * pipe or socket the other can write (or writing one the other can read),
 * or in wait4 for that child. A process is a candidate when every thread
 * sleeps with no timeout. Candidates that wait for anyone who is not a
 * candidate are dropped until none is (someone outside could wake them);
 * whatever remains cannot be woken from inside: each of its cycles is
 * reported as a likely deadlock. ("Likely": a signal, a futex shared with
 * an outside process, or a process outside the tree could still help.)
 */
#include <stddef.h>
#include <sys/types.h>

#include "watch/snapshot.h"

struct watch_waitfor {
	pid_t from, to;              /* 'from' waits for 'to' (may be equal) */
};

/* Cycles among 'cand' (n candidates) following 'wf' (nwf edges), into
 * out[0..max). Each cycle is listed once, starting at its smallest pid,
 * with its text filled in. Returns the number of cycles written. Pure. */
size_t watch_deadlock_find(const pid_t *cand, size_t n,
    const struct watch_waitfor *wf, size_t nwf,
    struct watch_cycle *out, size_t max);

#endif
