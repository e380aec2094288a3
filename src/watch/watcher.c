/* The watcher: one snapshot of a process tree and its IPC per call. */
#include "watch/watcher.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "proc/sampler.h"
#include "util/xmem.h"
#include "watch/edges.h"
#include "watch/fdscan.h"
#include "watch/fill.h"
#include "watch/procfs.h"
#include "watch/roles.h"
#include "watch/sockdiag.h"
#include "watch/tree.h"
#include "watch/waitfor.h"

#define TCP_LISTEN_STATE 10

struct io_prev {
	pid_t pid;
	unsigned long long rchar, wchar;
	int64_t ns;
};

struct watcher {
	struct watch_tree *tree;
	struct sampler *sampler;
	int64_t start_ns;
	struct watch_snapshot last;  /* the previous snapshot, owned */
	struct io_prev *io;
	size_t nio;
	struct watch_fdset fds;
	struct watch_sockdiag sd;
};

static int64_t
now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

struct watcher *
watcher_new(pid_t root, int linger_ms, char *err, size_t errlen)
{
	struct watch_tree *t = watch_tree_new(root, linger_ms);
	if (!t) {
		snprintf(err, errlen, "no process %d", (int)root);
		return NULL;
	}
	struct sampler *s = sampler_new(err, errlen);
	if (!s) {
		watch_tree_free(t);
		return NULL;
	}
	struct watcher *w = xcalloc(1, sizeof(*w));
	w->tree = t;
	w->sampler = s;
	w->start_ns = now_ns();
	return w;
}

void
watcher_free(struct watcher *w)
{
	if (!w)
		return;
	watch_tree_free(w->tree);
	sampler_free(w->sampler);
	watch_snapshot_clear(&w->last);
	free(w->io);
	watch_fdset_clear(&w->fds);
	watch_sockdiag_clear(&w->sd);
	free(w);
}

void
watcher_set_exit(struct watcher *w, pid_t pid, int wstatus)
{
	watch_tree_set_exit(w->tree, pid, wstatus);
}


/* ---- processes ---- */

static void
io_rates(struct watcher *w, struct watch_proc *p, int64_t ns,
    struct io_prev *next, size_t *nnext)
{
	char buf[512];
	p->read_rate = p->write_rate = NAN;
	if (watch_read_proc(p->pid, "io", buf, sizeof(buf)) <= 0)
		return;
	const char *r = strstr(buf, "rchar:"), *wr = strstr(buf, "wchar:");
	if (!r || !wr)
		return;
	struct io_prev cur = { p->pid, strtoull(r + 6, NULL, 10),
		strtoull(wr + 6, NULL, 10), ns };
	for (size_t i = 0; i < w->nio; i++) {
		const struct io_prev *o = &w->io[i];
		if (o->pid != p->pid || ns <= o->ns || cur.rchar < o->rchar ||
		    cur.wchar < o->wchar)
			continue;
		double dt = (double)(ns - o->ns) / 1e9;
		p->read_rate = (double)(cur.rchar - o->rchar) / dt;
		p->write_rate = (double)(cur.wchar - o->wchar) / dt;
	}
	next[(*nnext)++] = cur;
}

static void
fill_procs(struct watcher *w, struct watch_snapshot *out, int64_t ns)
{
	size_t n;
	const struct watch_tree_node *nodes = watch_tree_nodes(w->tree, &n);
	pid_t *pids = xcalloc(n ? n : 1, sizeof(*pids));
	size_t nlive = 0;
	for (size_t i = 0; i < n; i++)
		if (!nodes[i].gone_ns)
			pids[nlive++] = nodes[i].pid;
	struct proc_snapshot ps = { 0 };
	/* Not with an empty set: the sampler then qsorts a NULL array
	 * (undefined behaviour that UBSan reports). */
	if (nlive)
		sampler_sample(w->sampler, pids, nlive, &ps);
	free(pids);
	out->procs = xcalloc(n ? n : 1, sizeof(*out->procs));
	struct io_prev *io = xcalloc(n ? n : 1, sizeof(*io));
	size_t nio = 0;
	for (size_t i = 0; i < n; i++) {
		const struct watch_tree_node *nd = &nodes[i];
		struct watch_proc *p = &out->procs[out->nprocs++];
		const struct watch_proc *old = watch_snapshot_proc(&w->last,
		    nd->pid);
		p->pid = nd->pid;
		p->ppid = nd->ppid;
		p->start = nd->start;
		p->state = nd->gone_ns ? 'X' : nd->state;
		p->cpu = NAN;
		p->read_rate = p->write_rate = NAN;
		p->exit_status = nd->exit_status;
		if (old) {
			memcpy(p->name, old->name, sizeof(p->name));
			memcpy(p->cmdline, old->cmdline, sizeof(p->cmdline));
			p->role = old->role;
		}
		if (nd->gone_ns)
			continue;
		const struct proc_sample *s = sampler_find(&ps, nd->pid);
		if (s) {
			p->state = s->state;
			p->cpu = s->pcpu;
			p->rss_kib = s->rss_kib;
			p->threads = s->nthreads;
			memcpy(p->name, s->comm, sizeof(p->name));
		}
		if (p->state == 'Z')
			continue;
		char cl[sizeof(p->cmdline)];
		if (sampler_cmdline(nd->pid, cl, sizeof(cl)) > 0)
			memcpy(p->cmdline, cl, sizeof(cl));
		io_rates(w, p, ns, io, &nio);
	}
	free(w->io);
	w->io = io;
	w->nio = nio;
}

/* ---- edges ---- */

static void
measure_fills(struct watcher *w, struct watch_snapshot *out)
{
	for (size_t i = 0; i < out->nedges; i++) {
		struct watch_edge *e = &out->edges[i];
		if (e->kind == WATCH_EDGE_SOCKET)
			continue;
		/* Same inode measured already: copy. */
		size_t k;
		for (k = 0; k < i; k++)
			if (out->edges[k].kind == e->kind &&
			    out->edges[k].inode == e->inode)
				break;
		if (k < i) {
			e->fill = out->edges[k].fill;
			e->capacity = out->edges[k].capacity;
			continue;
		}
		/* Prefer a read end (see fill.h), else a write end. */
		const struct watch_fd *pick = NULL;
		for (size_t f = 0; f < w->fds.n; f++) {
			const struct watch_fd *fd = &w->fds.v[f];
			if (fd->kind == WATCH_FD_SOCKET || fd->inode != e->inode)
				continue;
			if (fd->mode & WATCH_FD_READ) {
				pick = fd;
				break;
			}
			if (!pick)
				pick = fd;
		}
		if (!pick)
			continue;
		long cap = -1;
		long fill = watch_pipe_fill(pick->pid, pick->fd, pick->mode, &cap);
		e->fill = fill >= 0 ? fill : -1;
		e->capacity = cap;
	}
	for (size_t i = 0; i < out->nedges; i++) {
		struct watch_edge *e = &out->edges[i];
		for (size_t k = 0; k < w->last.nedges; k++) {
			const struct watch_edge *o = &w->last.edges[k];
			if (o->kind == e->kind && o->inode == e->inode &&
			    o->from.pid == e->from.pid && o->from.fd == e->from.fd &&
			    o->to.pid == e->to.pid && o->to.fd == e->to.fd) {
				if (o->fill >= 0 && e->fill >= 0)
					e->fill_delta = e->fill - o->fill;
				break;
			}
		}
	}
}

static void
scan_fds(struct watcher *w, struct watch_snapshot *out, int *any_socket)
{
	w->fds.n = 0;
	*any_socket = 0;
	for (size_t i = 0; i < out->nprocs; i++) {
		struct watch_proc *p = &out->procs[i];
		if (p->state == 'X' || p->state == 'Z')
			continue;
		int rc = watch_fdscan_pid(p->pid, &w->fds);
		if (rc == -EACCES || rc == -EPERM)
			watch_proc_add_error(p, "its descriptors", rc);
	}
	for (size_t f = 0; f < w->fds.n; f++)
		if (w->fds.v[f].kind == WATCH_FD_SOCKET)
			*any_socket = 1;
}

/* Roles from command lines, parentage and /tmp/pymp-* listeners. Roles
 * are sticky: a pool worker stays one while its pool shuts down (its
 * parent's handler threads end first). */
static void
assign_roles(struct watcher *w, struct watch_snapshot *out)
{
	int *listener = xcalloc(out->nprocs ? out->nprocs : 1, sizeof(int));
	for (size_t f = 0; f < w->fds.n; f++) {
		const struct watch_fd *fd = &w->fds.v[f];
		const struct watch_usock *u;
		if (fd->kind != WATCH_FD_SOCKET ||
		    !(u = watch_sockdiag_find(&w->sd, fd->inode)) ||
		    u->state != TCP_LISTEN_STATE ||
		    !watch_roles_is_pymp_listener(u->name))
			continue;
		for (size_t i = 0; i < out->nprocs; i++)
			if (out->procs[i].pid == fd->pid)
				listener[i] = 1;
	}
	struct watch_proc *keep = xcalloc(out->nprocs ? out->nprocs : 1,
	    sizeof(*keep));
	memcpy(keep, out->procs, out->nprocs * sizeof(*keep));
	watch_roles_assign(out->procs, out->nprocs, out->root, listener);
	for (size_t i = 0; i < out->nprocs; i++) {
		const struct watch_proc *old = watch_snapshot_proc(&w->last,
		    out->procs[i].pid);
		if (old && keep[i].role != WATCH_ROLE_PROCESS &&
		    out->procs[i].role == WATCH_ROLE_PROCESS)
			out->procs[i].role = keep[i].role;
	}
	free(keep);
	free(listener);
}

static void *
dup_array(const void *p, size_t n, size_t size)
{
	if (n == 0)
		return NULL;
	void *q = xreallocarray(NULL, n, size);
	memcpy(q, p, n * size);
	return q;
}

int
watcher_snapshot(struct watcher *w, struct watch_snapshot *out)
{
	memset(out, 0, sizeof(*out));
	int64_t ns = now_ns();
	watch_tree_refresh(w->tree, ns);
	out->root = watch_tree_root(w->tree);
	out->t = (double)(ns - w->start_ns) / 1e9;
	fill_procs(w, out, ns);

	int any_socket;
	scan_fds(w, out, &any_socket);
	w->sd.n = 0;
	if (any_socket && watch_sockdiag_query(&w->sd) != 0)
		w->sd.n = 0;
	out->nedges = watch_edges_match(&w->fds, &w->sd, &out->edges);
	measure_fills(w, out);

	assign_roles(w, out);

	watch_waitfor_build(out, &w->fds, &w->sd);

	/* Keep our own copy for the next call's deltas. */
	watch_snapshot_clear(&w->last);
	w->last = *out;
	w->last.procs = dup_array(out->procs, out->nprocs, sizeof(*out->procs));
	w->last.edges = dup_array(out->edges, out->nedges, sizeof(*out->edges));
	w->last.blocked = dup_array(out->blocked, out->nblocked,
	    sizeof(*out->blocked));
	w->last.cycles = dup_array(out->cycles, out->ncycles,
	    sizeof(*out->cycles));
	return 0;
}
