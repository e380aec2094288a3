#ifndef IPCSCOPE_WATCH_SOCKDIAG_H
#define IPCSCOPE_WATCH_SOCKDIAG_H
/*
 * Unix domain sockets of the whole network namespace, from one
 * NETLINK_SOCK_DIAG dump: each socket's inode, its peer's inode
 * (UNIX_DIAG_PEER), bytes in its receive queue (UNIX_DIAG_RQLEN; for a
 * listening socket: pending connections), buffer sizes (UNIX_DIAG_MEMINFO)
 * and bound name (UNIX_DIAG_NAME; abstract names get a leading '@').
 */
#include <stddef.h>
#include <stdint.h>

struct watch_usock {
	unsigned long inode, peer;   /* peer 0 when not connected */
	uint32_t rqueue, wqueue;
	uint32_t rcvbuf, sndbuf;     /* 0 when unknown */
	uint8_t type, state;         /* SOCK_STREAM..., TCP_ESTABLISHED=1,
	                                TCP_LISTEN=10 */
	char name[108];
};

struct watch_sockdiag {
	struct watch_usock *v;       /* sorted by inode */
	size_t n, cap;
};

/* Replace the contents of 'sd' with a fresh dump. Returns 0 or -errno
 * (sd is then empty). */
int watch_sockdiag_query(struct watch_sockdiag *sd);

/* The socket with 'inode', or NULL. */
const struct watch_usock *watch_sockdiag_find(const struct watch_sockdiag *sd,
    unsigned long inode);

void watch_sockdiag_clear(struct watch_sockdiag *sd);

#endif
