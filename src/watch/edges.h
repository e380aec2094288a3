#ifndef IPCSCOPE_WATCH_EDGES_H
#define IPCSCOPE_WATCH_EDGES_H
/*
 * IPC edges from the descriptors of the watched processes:
 * - pipes and FIFOs are matched by (device, inode): one edge per
 *   (write-end fd, read-end fd) pair, from the writer to the reader; an
 *   end whose other side no watched process holds gets an edge to or from
 *   {pid 0, fd -1}. fill/capacity are left -1 (measured by fill.c).
 * - unix sockets are paired through sock_diag peers: for each held socket
 *   A whose peer B is held by a watched process, one edge A -> B per
 *   holder of B (so a socketpair gives two edges, one per direction),
 *   with fill = B's receive queue and capacity = A's send buffer. A
 *   connected socket whose peer is outside gets an edge to {0, -1}.
 *   Listening and unconnected sockets give no edge.
 */
#include <stddef.h>

#include "watch/fdscan.h"
#include "watch/snapshot.h"
#include "watch/sockdiag.h"

/* The edges of 'fds' (sd may be NULL or empty: then no socket edges) into
 * a new array *out (free() it). Returns the count. Pure. */
size_t watch_edges_match(const struct watch_fdset *fds,
    const struct watch_sockdiag *sd, struct watch_edge **out);

#endif
