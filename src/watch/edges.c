/* Matching pipe ends and socket peers into edges. */
#include "watch/edges.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xmem.h"

struct edge_vec {
	struct watch_edge *v;
	size_t n, cap;
};

static struct watch_edge *
push(struct edge_vec *ev)
{
	if (ev->n == ev->cap) {
		ev->cap = ev->cap ? ev->cap * 2 : 32;
		ev->v = xreallocarray(ev->v, ev->cap, sizeof(*ev->v));
	}
	struct watch_edge *e = &ev->v[ev->n++];
	memset(e, 0, sizeof(*e));
	e->fill = -1;
	e->capacity = -1;
	e->from.fd = e->to.fd = -1;
	return e;
}

static int
cmp_fdp(const void *a, const void *b)
{
	const struct watch_fd *x = *(const struct watch_fd *const *)a;
	const struct watch_fd *y = *(const struct watch_fd *const *)b;
	if (x->kind != y->kind)
		return (x->kind > y->kind) - (x->kind < y->kind);
	if (x->dev != y->dev)
		return (x->dev > y->dev) - (x->dev < y->dev);
	if (x->inode != y->inode)
		return (x->inode > y->inode) - (x->inode < y->inode);
	if (x->pid != y->pid)
		return (x->pid > y->pid) - (x->pid < y->pid);
	return (x->fd > y->fd) - (x->fd < y->fd);
}

/* Edges of one pipe/FIFO: g[0..n) share kind, dev and inode. */
static void
match_pipe(struct edge_vec *ev, const struct watch_fd *const *g, size_t n)
{
	enum watch_edge_kind kind = g[0]->kind == WATCH_FD_FIFO ?
	    WATCH_EDGE_FIFO : WATCH_EDGE_PIPE;
	int nr = 0, nw = 0;
	for (size_t i = 0; i < n; i++) {
		nr += (g[i]->mode & WATCH_FD_READ) != 0;
		nw += (g[i]->mode & WATCH_FD_WRITE) != 0;
	}
	for (size_t w = 0; w < n; w++) {
		if (!(g[w]->mode & WATCH_FD_WRITE))
			continue;
		for (size_t r = 0; r < n; r++) {
			if (!(g[r]->mode & WATCH_FD_READ) || r == w)
				continue;
			struct watch_edge *e = push(ev);
			e->kind = kind;
			e->from = (struct watch_end){ g[w]->pid, g[w]->fd };
			e->to = (struct watch_end){ g[r]->pid, g[r]->fd };
			e->inode = g[0]->inode;
			snprintf(e->path, sizeof(e->path), "%s", g[0]->path);
		}
	}
	/* Ends whose other side is outside the watched tree. */
	for (size_t i = 0; i < n && (nr == 0 || nw == 0); i++) {
		struct watch_edge *e = push(ev);
		e->kind = kind;
		e->inode = g[0]->inode;
		snprintf(e->path, sizeof(e->path), "%s", g[0]->path);
		if (nr == 0)
			e->from = (struct watch_end){ g[i]->pid, g[i]->fd };
		else
			e->to = (struct watch_end){ g[i]->pid, g[i]->fd };
	}
}

static void
match_socket(struct edge_vec *ev, const struct watch_fd *a,
    const struct watch_fd *const *sorted, size_t nsorted,
    const struct watch_sockdiag *sd)
{
	const struct watch_usock *ua = watch_sockdiag_find(sd, a->inode);
	if (!ua || !ua->peer)
		return;
	const struct watch_usock *ub = watch_sockdiag_find(sd, ua->peer);
	int found = 0;
	for (size_t i = 0; i < nsorted; i++) {
		const struct watch_fd *b = sorted[i];
		if (b->kind != WATCH_FD_SOCKET || b->inode != ua->peer)
			continue;
		found = 1;
		struct watch_edge *e = push(ev);
		e->kind = WATCH_EDGE_SOCKET;
		e->from = (struct watch_end){ a->pid, a->fd };
		e->to = (struct watch_end){ b->pid, b->fd };
		e->inode = ua->peer;
		e->peer_inode = a->inode;
	}
	if (!found) {
		struct watch_edge *e = push(ev);
		e->kind = WATCH_EDGE_SOCKET;
		e->from = (struct watch_end){ a->pid, a->fd };
		e->inode = ua->peer;
		e->peer_inode = a->inode;
	}
	/* Fill in queue and names for the edges just added. */
	for (size_t k = ev->n; k-- > 0;) {
		struct watch_edge *e = &ev->v[k];
		if (e->kind != WATCH_EDGE_SOCKET || e->peer_inode != a->inode ||
		    e->from.pid != a->pid || e->from.fd != a->fd)
			break;
		e->fill = ub ? (long)ub->rqueue : -1;
		e->capacity = ua->sndbuf ? (long)ua->sndbuf :
		    (ub && ub->rcvbuf ? (long)ub->rcvbuf : -1);
		const char *nm = ua->name[0] ? ua->name : (ub ? ub->name : "");
		snprintf(e->path, sizeof(e->path), "%s", nm);
	}
}

size_t
watch_edges_match(const struct watch_fdset *fds,
    const struct watch_sockdiag *sd, struct watch_edge **out)
{
	struct edge_vec ev = { 0 };
	*out = NULL;
	if (fds->n == 0)
		return 0;
	const struct watch_fd **s = xcalloc(fds->n, sizeof(*s));
	for (size_t i = 0; i < fds->n; i++)
		s[i] = &fds->v[i];
	qsort(s, fds->n, sizeof(*s), cmp_fdp);
	for (size_t i = 0; i < fds->n;) {
		size_t j = i + 1;
		while (j < fds->n && s[j]->kind == s[i]->kind &&
		    s[j]->dev == s[i]->dev && s[j]->inode == s[i]->inode)
			j++;
		if (s[i]->kind == WATCH_FD_SOCKET) {
			if (sd)
				for (size_t k = i; k < j; k++)
					match_socket(&ev, s[k], s, fds->n, sd);
		} else {
			match_pipe(&ev, s + i, j - i);
		}
		i = j;
	}
	free(s);
	*out = ev.v;
	return ev.n;
}
