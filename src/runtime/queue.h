#ifndef IPCSCOPE_QUEUE_H
#define IPCSCOPE_QUEUE_H
/*
 * Queues as CPython's multiprocessing.Queue: one kernel pipe per queue
 * carrying length-prefixed messages (4-byte big-endian length, payload),
 * process-shared robust mutexes for readers and writers, a semaphore for
 * maxsize, and depth / puts / gets counters the observer reads any time
 * (struct shared_queue). Kernel objects are made by queue_startup()
 * (runtime_int.h) in main before its first step, so every scenario process
 * inherits them.
 *
 * A reader holding the read lock takes what the pipe holds (up to 64 KiB)
 * into a read-ahead buffer shared by all the queue's readers (a mapping
 * made with the pipe) and hands out one message; the rest is still in the
 * queue, in order, for the next holder of the lock (so most gets make no
 * system call). A get waits only when buffer and pipe are both empty.
 *
 * Unlike CPython there is no feeder thread: put writes the message itself.
 * The pipe is enlarged (F_SETPIPE_SZ) so this only blocks, visibly, when
 * far more is queued than CPython's pipe could hold.
 */
#include <stddef.h>
#include <stdint.h>

#include "runtime/actor.h"

/* Put 'msg' ('len' bytes) on queue object 'obj', waiting while the queue
 * is full, at most 'timeout_ns' of scenario time (-1: no limit); emits
 * EV_PUT (and EV_BLOCK / EV_UNBLOCK when it waits). On timeout the error
 * is "queue.Full" with an empty message. */
enum step_rc queue_put(struct actor *a, int obj, const char *msg, size_t len,
    int64_t timeout_ns);

/* Take the next message from queue 'obj' into a->value, waiting while it
 * is empty, at most 'timeout_ns' (-1: no limit); emits EV_GET. On timeout
 * the error is "queue.Empty" with an empty message. */
enum step_rc queue_get(struct actor *a, int obj, int64_t timeout_ns);

#endif
