#ifndef IPCSCOPE_WATCH_FILL_H
#define IPCSCOPE_WATCH_FILL_H
/*
 * Bytes waiting in a pipe or FIFO and its capacity, measured through a
 * descriptor that a watched process holds, without reading any data.
 *
 * How (and why it leaves the program's EOF and SIGPIPE behaviour alone):
 * - For a READ end: open("/proc/PID/fd/N", O_RDONLY | O_NONBLOCK) makes a
 *   new open file description on the same pipe, i.e. one more reader
 *   while we hold it. FIONREAD and F_GETPIPE_SZ are asked and it is closed
 *   at once; it is never read from. A reader already exists (the process
 *   holding that end), so adding one for a few microseconds changes
 *   neither a writer's SIGPIPE/EPIPE (which needs zero readers) nor a
 *   reader's EOF (which depends on writers only). O_NONBLOCK means the
 *   open never waits for a writer, even for a named FIFO.
 * - For a WRITE end we never open through /proc: that would add a reader
 *   to a pipe that may have none, and a writer that should get EPIPE
 *   would not. Instead pidfd_getfd(2) duplicates the process's own
 *   descriptor (same open file description, no new reader or writer);
 *   the duplicate is closed at once. This needs ptrace permission over
 *   the process; without it the fill is unknown.
 */
#include <sys/types.h>

/* Fill of the pipe behind (pid, fd) held with 'mode' (WATCH_FD_READ /
 * WATCH_FD_WRITE bits). Returns bytes waiting (>= 0) and sets *capacity
 * (-1 when unknown), or returns -errno. */
long watch_pipe_fill(pid_t pid, int fd, int mode, long *capacity);

#endif
