#ifndef IPCSCOPE_WATCH_ROLES_H
#define IPCSCOPE_WATCH_ROLES_H
/*
 * Python multiprocessing roles, guessed from the outside only:
 * - main: the root of the watched tree;
 * - resource_tracker / forkserver: spawned with a command line containing
 *   "multiprocessing.resource_tracker" / "multiprocessing.forkserver"
 *   (not the children the forkserver forks, which share its command line);
 * - manager: holds a listening unix socket bound under /tmp/pymp-* (the
 *   Manager server's "listener-*" address);
 * - pool_worker: a child started by fork (the parent's exact command line)
 *   or by spawn/forkserver ("multiprocessing.spawn" in its command line)
 *   whose parent runs at least 4 threads (a Pool's parent runs the main
 *   thread plus the _handle_workers, _handle_tasks and _handle_results
 *   threads; a plain Process parent runs 1, plus one feeder per Queue);
 * - process: any other descendant.
 * A heuristic: a parent with 3 queue feeder threads looks like a pool.
 */
#include <stddef.h>
#include <sys/types.h>

#include "watch/snapshot.h"

/* Set procs[i].role for the n processes (sorted by pid). 'listener[i]'
 * is non-zero when procs[i] holds a /tmp/pymp-* listening socket. Pure. */
void watch_roles_assign(struct watch_proc *procs, size_t n, pid_t root,
    const int *listener);

/* Non-zero when a unix socket name is a multiprocessing listener. */
int watch_roles_is_pymp_listener(const char *name);

#endif
