#ifndef IPCSCOPE_WATCH_WATCHER_H
#define IPCSCOPE_WATCH_WATCHER_H
/*
 * The watcher: turns a root pid into watch snapshots, one per call.
 * It owns the tree (tree.c), the /proc sampler, the previous snapshot
 * (for rates and fill changes) and puts together fdscan, sockdiag, edges,
 * fill, blocked, roles and deadlock. It never writes to, signals or reads
 * data from the watched processes (see fill.h for the one open it does).
 */
#include <stddef.h>
#include <sys/types.h>

#include "watch/snapshot.h"

struct watcher;

/* A watcher of 'root' and its descendants, or NULL with a message in
 * 'err' (root gone, /proc unavailable). Exited members linger for
 * 'linger_ms'. */
struct watcher *watcher_new(pid_t root, int linger_ms, char *err,
    size_t errlen);
void watcher_free(struct watcher *w);

/* Tell the watcher the raw wait status of a member we reaped ourselves. */
void watcher_set_exit(struct watcher *w, pid_t pid, int wstatus);

/* Take a snapshot into 'out' (cleared first; the caller frees it with
 * watch_snapshot_clear). Processes we may not inspect get a message in
 * their 'error' field; processes vanishing mid-read are simply marked
 * exited. Returns 0. */
int watcher_snapshot(struct watcher *w, struct watch_snapshot *out);

#endif
