#ifndef IPCSCOPE_MANAGER_H
#define IPCSCOPE_MANAGER_H
/*
 * multiprocessing.Manager(): a server process (child of main) holding one
 * dict and one list; scenario processes and threads reach it over an
 * AF_UNIX SOCK_STREAM socket in the abstract namespace (nothing on disk).
 *
 * Wire format, both ways: a 4-byte length (host order), then the payload.
 *   request:  u8 op (enum ev_mgr_op or MGR_WIRE_SHUTDOWN), u8 has_key,
 *             u16 0, u32 key length, key bytes, value bytes (the rest)
 *   response: u8 status (enum mgr_status), 7 bytes 0, i64 size after,
 *             text bytes (the rest): the value, dict or list as Python repr
 * Each client keeps one connection per (process, thread), opened at its
 * first call; the server runs one thread per connection, as CPython does.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <sys/un.h>

#include "runtime/actor.h"

#define MGR_WIRE_SHUTDOWN 100
#define MGR_MSG_MAX (4u * SC_MAX_MESSAGE + 64)   /* requests; responses are unbounded */

enum mgr_status { MGR_OK, MGR_KEYERROR, MGR_BADOP };

/* One manager as every process sees it (filled by main before any fork). */
struct mgr_entry {
	bool used;
	int obj;
	int listen_fd;                /* only in the server process */
	struct sockaddr_un addr;
	socklen_t addrlen;
};

/* The manager of scenario object 'obj', or NULL. */
const struct mgr_entry *manager_entry(int obj);

/* Body of the server process (proc_spawn); 'ud' is its struct mgr_entry. */
int manager_server_main(struct actor *self, void *ud);

/* Python repr of a text: integers as is, other strings quoted ('a', "it's").
 * Appends to the growing buffer *buf (length *len, capacity *cap). */
void manager_repr(char **buf, size_t *len, size_t *cap, const char *s);
/* Append raw bytes to the same kind of buffer. */
void manager_append(char **buf, size_t *len, size_t *cap, const char *s, size_t n);

/* Send / receive one length-prefixed message. recv returns a malloc'd
 * payload (NUL-terminated, length in *n) or NULL on EOF / error / a message
 * longer than 'max'. */
int manager_send_msg(int fd, const void *a, size_t na, const void *b, size_t nb);
char *manager_recv_msg(int fd, size_t max, size_t *n);
/* The same, when the first 'npre' bytes of the message were read already
 * into 'pre'. Both read ahead (one read for a small message), so they are
 * only for request / response connections: the peer sends one message and
 * waits for the answer; bytes after the message make them fail (NULL). */
#define MGR_RECV_FIRST 4096
char *manager_recv_more(int fd, const char *pre, size_t npre, size_t max, size_t *n);

#endif
