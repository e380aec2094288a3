#ifndef IPCSCOPE_PIPE_H
#define IPCSCOPE_PIPE_H
/*
 * Pipes as CPython's multiprocessing.Pipe: duplex = socketpair(AF_UNIX,
 * SOCK_STREAM), one-way = pipe(2) where end a (fds[0]) only receives and end
 * b (fds[1]) only sends. Messages are a 4-byte big-endian length and the
 * payload. Every scenario process holds a copy of both ends (made by
 * pipe_startup() in main before its first step, inherited by fork) until
 * it closes its copy; as in CPython, recv sees end of file only once every
 * copy of the other end is closed. Counters per direction live in
 * struct shared_pipe.
 */
#include <stddef.h>
#include <stdint.h>

#include "runtime/actor.h"

/* Send 'msg' from end 'end' (0 = a, 1 = b) of pipe 'obj'; emits EV_SEND.
 * Errors: "BrokenPipeError: [Errno 32] Broken pipe" when no reader is
 * left, "OSError: connection is read-only" on end a of a one-way pipe,
 * "OSError: handle is closed" after close. */
enum step_rc pipe_send(struct actor *a, int obj, int end, const char *msg, size_t len);

/* Receive the next message at end 'end' into a->value, waiting at most
 * 'timeout_ns' of scenario time (-1: no limit); emits EV_RECV. Errors:
 * "EOFError" (empty message) once the peer is closed everywhere and
 * nothing is buffered, "TimeoutError" on timeout, "OSError: connection is
 * write-only" on end b of a one-way pipe, "OSError: handle is closed". */
enum step_rc pipe_recv(struct actor *a, int obj, int end, int64_t timeout_ns);

/* Close this process's copy of end 'end'; emits EV_PIPE_CLOSE. Closing a
 * closed end does nothing (CPython). */
enum step_rc pipe_close(struct actor *a, int obj, int end);

#endif
