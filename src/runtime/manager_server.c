/*
 * The manager's server process: accept connections, one thread each; the
 * dict (insertion order, as Python's) and the list live here only.
 */
#include "runtime/manager.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "event/event.h"
#include "util/xmem.h"

struct mgr_conn {
	struct mgr_server *srv;
	int fd;
	pthread_t th;
	_Atomic bool done;
	struct mgr_conn *next;
};

struct mgr_server {
	const struct mgr_entry *e;
	struct shared_manager *sm;
	struct actor *self;
	pthread_mutex_t mu;           /* the data and the connection list */
	char **keys, **vals;          /* insertion order, as Python's dict */
	size_t nkeys, kcap;
	uint32_t *index;              /* hash of keys: key number + 1, 0 = empty */
	size_t icap_hash;             /* a power of two, > 2 * nkeys */
	char **items;
	size_t nitems, icap;
	struct mgr_conn *conns;
	bool stopping;
};

/* ---- repr and framing (shared with the client side) ---- */

void
manager_append(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
	if (*len + n + 1 > *cap) {
		*cap = (*len + n + 1) * 2;
		*buf = xrealloc(*buf, *cap);
	}
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[*len] = '\0';
}

static bool
is_int_text(const char *s)
{
	if (*s == '-')
		s++;
	if (!*s || (s[0] == '0' && s[1]))
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

void
manager_repr(char **buf, size_t *len, size_t *cap, const char *s)
{
	if (is_int_text(s)) {
		manager_append(buf, len, cap, s, strlen(s));
		return;
	}
	char q = strchr(s, '\'') && !strchr(s, '"') ? '"' : '\'';
	manager_append(buf, len, cap, &q, 1);
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		char esc[8];
		if (*c == '\\' || *c == (unsigned char)q) {
			esc[0] = '\\';
			esc[1] = (char)*c;
			manager_append(buf, len, cap, esc, 2);
		} else if (*c == '\n') {
			manager_append(buf, len, cap, "\\n", 2);
		} else if (*c == '\r') {
			manager_append(buf, len, cap, "\\r", 2);
		} else if (*c == '\t') {
			manager_append(buf, len, cap, "\\t", 2);
		} else if (*c < 0x20 || *c == 0x7f) {
			snprintf(esc, sizeof esc, "\\x%02x", *c);
			manager_append(buf, len, cap, esc, 4);
		} else {
			manager_append(buf, len, cap, (const char *)c, 1);
		}
	}
	manager_append(buf, len, cap, &q, 1);
}

static bool
io_full(int fd, void *buf, size_t n, bool wr)
{
	char *b = buf;

	while (n > 0) {
		ssize_t r = wr ? send(fd, b, n, MSG_NOSIGNAL) : recv(fd, b, n, 0);
		if (r < 0 && (errno == EINTR || errno == EAGAIN))
			continue;   /* EAGAIN: a receive timeout (SO_RCVTIMEO) ran out */
		if (r <= 0)
			return false;
		b += r;
		n -= (size_t)r;
	}
	return true;
}

int
manager_send_msg(int fd, const void *a, size_t na, const void *b, size_t nb)
{
	uint32_t len = (uint32_t)(na + nb);
	struct iovec iov[3] = {
		{ &len, sizeof len }, { (void *)(uintptr_t)a, na }, { (void *)(uintptr_t)b, nb },
	};
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 3 };
	size_t total = sizeof len + na + nb;
	ssize_t w;

	/* One system call in the usual case; the rest byte-exact if cut short. */
	do
		w = sendmsg(fd, &mh, MSG_NOSIGNAL);
	while (w < 0 && (errno == EINTR || errno == EAGAIN));
	if (w < 0)
		return -1;
	if ((size_t)w == total)
		return 0;
	size_t done = (size_t)w;
	for (int i = 0; i < 3; i++) {
		if (done >= iov[i].iov_len) {
			done -= iov[i].iov_len;
			continue;
		}
		if (!io_full(fd, (char *)iov[i].iov_base + done, iov[i].iov_len - done, true))
			return -1;
		done = 0;
	}
	return 0;
}

char *
manager_recv_more(int fd, const char *pre, size_t npre, size_t max, size_t *n)
{
	uint32_t len;
	char hdr[sizeof len];
	size_t have = npre < sizeof len ? npre : sizeof len;

	memcpy(hdr, pre, have);
	if (have < sizeof len && !io_full(fd, hdr + have, sizeof len - have, false))
		return NULL;
	memcpy(&len, hdr, sizeof len);
	pre += have;
	npre -= have;
	if (len > max || npre > len)   /* npre > len: not request / response */
		return NULL;
	char *p = xmalloc((size_t)len + 1);
	memcpy(p, pre, npre);
	if (len > npre && !io_full(fd, p + npre, len - npre, false)) {
		free(p);
		return NULL;
	}
	p[len] = '\0';
	*n = len;
	return p;
}

char *
manager_recv_msg(int fd, size_t max, size_t *n)
{
	char buf[MGR_RECV_FIRST];
	ssize_t r;

	/* One read takes the whole message when it is small: the peer sends
	 * one message and then waits for the answer, so nothing follows it. */
	do
		r = recv(fd, buf, sizeof buf, 0);
	while (r < 0 && (errno == EINTR || errno == EAGAIN));
	if (r <= 0)
		return NULL;
	return manager_recv_more(fd, buf, (size_t)r, max, n);
}

/* ---- the data ---- */

static char *
dict_repr(struct mgr_server *s)
{
	size_t len = 0, cap = 64;
	char *b = xmalloc(cap);

	b[0] = '\0';
	manager_append(&b, &len, &cap, "{", 1);
	for (size_t i = 0; i < s->nkeys; i++) {
		if (i)
			manager_append(&b, &len, &cap, ", ", 2);
		manager_repr(&b, &len, &cap, s->keys[i]);
		manager_append(&b, &len, &cap, ": ", 2);
		manager_repr(&b, &len, &cap, s->vals[i]);
	}
	manager_append(&b, &len, &cap, "}", 1);
	return b;
}

static char *
list_repr(struct mgr_server *s)
{
	size_t len = 0, cap = 64;
	char *b = xmalloc(cap);

	b[0] = '\0';
	manager_append(&b, &len, &cap, "[", 1);
	for (size_t i = 0; i < s->nitems; i++) {
		if (i)
			manager_append(&b, &len, &cap, ", ", 2);
		manager_repr(&b, &len, &cap, s->items[i]);
	}
	manager_append(&b, &len, &cap, "]", 1);
	return b;
}

static uint32_t
key_hash(const char *k)
{
	uint32_t h = 2166136261u;   /* FNV-1a */

	for (; *k; k++)
		h = (h ^ (unsigned char)*k) * 16777619u;
	return h;
}

/* The index slot of 'key': its entry, or the empty slot where it goes. */
static uint32_t *
index_slot(struct mgr_server *s, const char *key)
{
	size_t mask = s->icap_hash - 1, i = key_hash(key) & mask;

	while (s->index[i] && strcmp(s->keys[s->index[i] - 1], key) != 0)
		i = (i + 1) & mask;
	return &s->index[i];
}

static void
index_grow(struct mgr_server *s)
{
	free(s->index);
	s->icap_hash = s->icap_hash ? 2 * s->icap_hash : 64;
	s->index = xcalloc(s->icap_hash, sizeof *s->index);
	for (size_t k = 0; k < s->nkeys; k++)
		*index_slot(s, s->keys[k]) = (uint32_t)k + 1;
}

static ssize_t
dict_find(struct mgr_server *s, const char *key)
{
	if (!s->icap_hash)
		return -1;
	uint32_t v = *index_slot(s, key);
	return v ? (ssize_t)v - 1 : -1;
}

/* Apply one request; returns the status, *size and the text (malloc'd). */
static int
apply_op(struct mgr_server *s, int op, bool has_key, const char *key,
    const char *val, int64_t *size, char **text)
{
	ssize_t i;
	int status = MGR_OK;

	*text = NULL;
	pthread_mutex_lock(&s->mu);
	switch (op) {
	case MGR_DICT_SET:
		i = dict_find(s, key);
		if (i >= 0) {
			free(s->vals[i]);
			s->vals[i] = xstrdup(val);
		} else {
			if (s->nkeys == s->kcap) {
				s->kcap = s->kcap ? 2 * s->kcap : 16;
				s->keys = xreallocarray(s->keys, s->kcap, sizeof *s->keys);
				s->vals = xreallocarray(s->vals, s->kcap, sizeof *s->vals);
			}
			if (2 * (s->nkeys + 1) > s->icap_hash)
				index_grow(s);
			s->keys[s->nkeys] = xstrdup(key);
			s->vals[s->nkeys] = xstrdup(val);
			s->nkeys++;
			*index_slot(s, key) = (uint32_t)s->nkeys;
		}
		*size = (int64_t)s->nkeys;
		break;
	case MGR_DICT_GET:
		if (!has_key) {
			*text = dict_repr(s);
		} else if ((i = dict_find(s, key)) >= 0) {
			*text = xstrdup(s->vals[i]);
		} else {
			size_t len = 0, cap = 32;
			*text = xmalloc(cap);
			(*text)[0] = '\0';
			manager_repr(text, &len, &cap, key);
			status = MGR_KEYERROR;
		}
		*size = (int64_t)s->nkeys;
		break;
	case MGR_LIST_APPEND:
		if (s->nitems == s->icap) {
			s->icap = s->icap ? 2 * s->icap : 16;
			s->items = xreallocarray(s->items, s->icap, sizeof *s->items);
		}
		s->items[s->nitems++] = xstrdup(val);
		*size = (int64_t)s->nitems;
		break;
	case MGR_LIST_GET:
		*text = list_repr(s);
		*size = (int64_t)s->nitems;
		break;
	default:
		status = MGR_BADOP;
		*size = 0;
		break;
	}
	if (status != MGR_BADOP) {
		atomic_fetch_add(&s->sm->ops, 1);
		atomic_store(&s->sm->dict_size, (int64_t)s->nkeys);
		atomic_store(&s->sm->list_size, (int64_t)s->nitems);
	}
	pthread_mutex_unlock(&s->mu);
	return status;
}

/* ---- connections ---- */

static void
stop_accepting(struct mgr_server *s)
{
	pthread_mutex_lock(&s->mu);
	s->stopping = true;
	pthread_mutex_unlock(&s->mu);
	shutdown(s->e->listen_fd, SHUT_RDWR);   /* wakes accept() */
}

static int
conn_body(struct actor *self, void *ud)
{
	struct mgr_conn *c = ud;
	struct mgr_server *s = c->srv;
	size_t n;
	char *req;

	while ((req = manager_recv_msg(c->fd, MGR_MSG_MAX, &n)) != NULL) {
		uint8_t resp[16] = { 0 };
		int64_t size = 0;
		char *text = NULL;
		uint32_t klen;
		int op = (uint8_t)req[0];
		bool stop = false;

		if (n < 8 || (memcpy(&klen, req + 4, 4), klen > n - 8)) {
			resp[0] = MGR_BADOP;
		} else if (op == MGR_WIRE_SHUTDOWN) {
			stop = true;
		} else {
			char *key = xstrndup(req + 8, klen);
			resp[0] = (uint8_t)apply_op(s, op, req[1] != 0, key, req + 8 + klen,
			    &size, &text);
			free(key);
		}
		memcpy(resp + 8, &size, sizeof size);
		int rc = manager_send_msg(c->fd, resp, sizeof resp, text, text ? strlen(text) : 0);
		free(text);
		free(req);
		if (stop)
			stop_accepting(s);
		if (rc < 0 || stop)
			break;
	}
	atomic_store(&c->done, true);
	return 0;
}

/* Join the connection threads that have ended (all, when 'all'). */
static void
reap_conns(struct mgr_server *s, bool all)
{
	pthread_mutex_lock(&s->mu);
	if (all)
		for (struct mgr_conn *c = s->conns; c; c = c->next)
			shutdown(c->fd, SHUT_RDWR);
	struct mgr_conn **pp = &s->conns;
	while (*pp) {
		struct mgr_conn *c = *pp;
		if (!all && !atomic_load(&c->done)) {
			pp = &c->next;
			continue;
		}
		*pp = c->next;
		pthread_mutex_unlock(&s->mu);
		pthread_join(c->th, NULL);
		close(c->fd);
		free(c);
		pthread_mutex_lock(&s->mu);
	}
	pthread_mutex_unlock(&s->mu);
}

/* The socket's name is abstract (no file, no permissions): anyone on the
 * host could connect. Only the run's own processes, which are in main's
 * process group and run as our user, may talk to the manager. */
static bool
peer_is_ours(int fd)
{
	struct ucred cr;
	socklen_t len = sizeof cr;

	return getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cr, &len) == 0 &&
	    cr.uid == getuid() && cr.pid > 0 && getpgid(cr.pid) == getpgrp();
}

int
manager_server_main(struct actor *self, void *ud)
{
	const struct mgr_entry *e = ud;
	struct mgr_server s = {
		.e = e, .sm = &self->sh->objs[e->obj].mgr, .self = self,
	};

	pthread_mutex_init(&s.mu, NULL);
	for (;;) {
		int fd = accept4(e->listen_fd, NULL, NULL, SOCK_CLOEXEC);
		pthread_mutex_lock(&s.mu);
		bool stopping = s.stopping;
		pthread_mutex_unlock(&s.mu);
		if (fd < 0) {
			if (stopping || (errno != EINTR && errno != ECONNABORTED))
				break;
			continue;
		}
		if (stopping) {
			close(fd);
			break;
		}
		if (!peer_is_ours(fd)) {
			close(fd);
			continue;
		}
		reap_conns(&s, false);
		struct mgr_conn *c = xcalloc(1, sizeof *c);
		c->srv = &s;
		c->fd = fd;
		if (thread_spawn(self, "mgr-conn", TROLE_MGR_CONN, e->obj, conn_body, c, &c->th) != 0) {
			close(fd);
			free(c);
			continue;
		}
		pthread_mutex_lock(&s.mu);
		c->next = s.conns;
		s.conns = c;
		pthread_mutex_unlock(&s.mu);
	}
	close(e->listen_fd);
	reap_conns(&s, true);
	/* the dict and the list die with the server (no leak under valgrind) */
	for (size_t i = 0; i < s.nkeys; i++) {
		free(s.keys[i]);
		free(s.vals[i]);
	}
	for (size_t i = 0; i < s.nitems; i++)
		free(s.items[i]);
	free(s.keys);
	free(s.vals);
	free(s.items);
	free(s.index);
	return 0;
}
