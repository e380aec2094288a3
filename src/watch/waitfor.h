#ifndef IPCSCOPE_WATCH_WAITFOR_H
#define IPCSCOPE_WATCH_WAITFOR_H
/*
 * Blocked-on-what for a snapshot: reads every live process's thread waits
 * (blocked.c), names the edge each one sleeps on and who could wake it
 * (holders of the other pipe end, the socket peer, the child waited for),
 * and runs the wait-for cycle search (deadlock.c).
 */
#include "watch/fdscan.h"
#include "watch/snapshot.h"
#include "watch/sockdiag.h"

/* Fill out->blocked and out->cycles from the processes and edges already
 * in 'out' and the descriptors 'fds' (sd: the unix socket table, may be
 * empty). A process whose waits we may not read gets a message in its
 * 'error' field. */
void watch_waitfor_build(struct watch_snapshot *out,
    const struct watch_fdset *fds, const struct watch_sockdiag *sd);

#endif
