#ifndef IPCSCOPE_FUTEX_H
#define IPCSCOPE_FUTEX_H
/*
 * Shared (non-private) futexes on 32-bit words in the shared mapping, so a
 * waiter in one process is woken from another.
 */
#include <stdatomic.h>
#include <stdint.h>

/* Sleep while *word == expected, at most 'timeout_ns' (< 0: no limit).
 * Returns 0 when woken or the value differed, -1 on timeout or signal. */
int futex_wait(_Atomic uint32_t *word, uint32_t expected, int64_t timeout_ns);
/* Wake every waiter on 'word'. */
void futex_wake_all(_Atomic uint32_t *word);

/* CLOCK_MONOTONIC now, in ns. */
int64_t mono_ns(void);

#endif
