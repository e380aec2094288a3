/* Name the edge each sleeping thread waits on; find wait-for cycles. */
#include "watch/waitfor.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xmem.h"
#include "watch/blocked.h"
#include "watch/deadlock.h"
#include "watch/procfs.h"

struct wf_state {
	struct watch_snapshot *out;
	const struct watch_fdset *fds;
	const struct watch_sockdiag *sd;
	size_t capb;
	struct watch_waitfor *wf;
	size_t nwf, capwf;
};

static struct watch_blocked *
push_blocked(struct wf_state *st)
{
	struct watch_snapshot *out = st->out;
	if (out->nblocked == st->capb) {
		st->capb = st->capb ? st->capb * 2 : 16;
		out->blocked = xreallocarray(out->blocked, st->capb,
		    sizeof(*out->blocked));
	}
	struct watch_blocked *b = &out->blocked[out->nblocked++];
	memset(b, 0, sizeof(*b));
	b->fd = -1;
	return b;
}

static void
push_wf(struct wf_state *st, pid_t from, pid_t to)
{
	for (size_t i = 0; i < st->nwf; i++)
		if (st->wf[i].from == from && st->wf[i].to == to)
			return;
	if (st->nwf == st->capwf) {
		st->capwf = st->capwf ? st->capwf * 2 : 16;
		st->wf = xreallocarray(st->wf, st->capwf, sizeof(*st->wf));
	}
	st->wf[st->nwf++] = (struct watch_waitfor){ from, to };
}

static void
add_other(struct watch_blocked *b, pid_t p)
{
	for (int i = 0; i < b->nothers; i++)
		if (b->others[i] == p)
			return;
	if (b->nothers < (int)(sizeof(b->others) / sizeof(b->others[0])))
		b->others[b->nothers++] = p;
}

static size_t
list_others(const struct watch_blocked *b, char *buf, size_t len)
{
	size_t off = 0;
	buf[0] = '\0';
	for (int i = 0; i < b->nothers && off < len; i++)
		off += (size_t)snprintf(buf + off, len - off, "%s%d",
		    i ? ", " : "", (int)b->others[i]);
	return off;
}

static long
edge_fill(const struct watch_snapshot *out, unsigned long inode, long *cap)
{
	for (size_t i = 0; i < out->nedges; i++)
		if (out->edges[i].inode == inode &&
		    out->edges[i].kind != WATCH_EDGE_SOCKET) {
			*cap = out->edges[i].capacity;
			return out->edges[i].fill;
		}
	*cap = -1;
	return -1;
}

/* Who could wake a thread sleeping on 'fd' with 'op': holders of the
 * other pipe end, or of the socket peer. */
static void
find_others(struct wf_state *st, const struct watch_fd *fd, const char *op,
    struct watch_blocked *b)
{
	if (fd->kind == WATCH_FD_SOCKET) {
		const struct watch_usock *u = watch_sockdiag_find(st->sd, fd->inode);
		if (!u || !u->peer || strcmp(op, "accept") == 0 ||
		    strcmp(op, "connect") == 0)
			return;
		for (size_t i = 0; i < st->fds->n; i++) {
			const struct watch_fd *o = &st->fds->v[i];
			if (o->kind == WATCH_FD_SOCKET && o->inode == u->peer)
				add_other(b, o->pid);
		}
		return;
	}
	int want = strcmp(op, "read") == 0 ? WATCH_FD_WRITE : WATCH_FD_READ;
	for (size_t i = 0; i < st->fds->n; i++) {
		const struct watch_fd *o = &st->fds->v[i];
		if (o->kind == fd->kind && o->inode == fd->inode &&
		    o->dev == fd->dev && (o->mode & want) &&
		    !(o->pid == fd->pid && o->fd == fd->fd))
			add_other(b, o->pid);
	}
}

static void
describe(const struct wf_state *st, struct watch_blocked *b,
    const struct watch_fd *fd)
{
	char who[48], obj[160], others[96];
	if (b->tid != b->pid)
		snprintf(who, sizeof(who), "%d (thread %d)", (int)b->pid,
		    (int)b->tid);
	else
		snprintf(who, sizeof(who), "%d", (int)b->pid);
	list_others(b, others, sizeof(others));
	if (!fd) {
		snprintf(b->text, sizeof(b->text), "%s blocked in %s for %s %s",
		    who, b->syscall, b->nothers == 1 ? "child" : "children",
		    b->nothers ? others : "(none)");
		return;
	}
	if (fd->kind == WATCH_FD_FIFO)
		snprintf(obj, sizeof(obj), "fifo %s [%lu]", fd->path, fd->inode);
	else
		snprintf(obj, sizeof(obj), "%s:[%lu]",
		    fd->kind == WATCH_FD_PIPE ? "pipe" : "socket", fd->inode);
	int polling = strstr(b->syscall, "poll") != NULL;
	const char *verb = strcmp(b->op, "read") == 0 ?
	    (polling ? "to read" : "reading") :
	    strcmp(b->op, "write") == 0 ? (polling ? "to write" : "writing") :
	    strcmp(b->op, "accept") == 0 ? "accepting on" : "connecting on";
	size_t off = (size_t)snprintf(b->text, sizeof(b->text), "%s %s %s", who,
	    b->timed ? "polling with a timeout" :
	    polling ? "blocked in poll" : "blocked", verb);
	off += (size_t)snprintf(b->text + off, sizeof(b->text) - off, " %s", obj);
	if (fd->kind != WATCH_FD_SOCKET && strcmp(b->op, "write") == 0) {
		long cap, fill = edge_fill(st->out, fd->inode, &cap);
		if (fill >= 0 && cap > 0 && off < sizeof(b->text))
			off += (size_t)snprintf(b->text + off,
			    sizeof(b->text) - off, " (%ld/%ld bytes waiting)",
			    fill, cap);
	}
	if (off >= sizeof(b->text))
		return;
	if (strcmp(b->op, "accept") == 0) {
		const struct watch_usock *u = watch_sockdiag_find(st->sd, fd->inode);
		if (u && u->name[0])
			snprintf(b->text + off, sizeof(b->text) - off, " %s",
			    u->name);
	} else if (b->nothers == 0) {
		snprintf(b->text + off, sizeof(b->text) - off,
		    ", other end outside the watched tree");
	} else {
		snprintf(b->text + off, sizeof(b->text) - off, ", %s %s",
		    fd->kind == WATCH_FD_SOCKET ? "peer held by" :
		    strcmp(b->op, "read") == 0 ? "written by" : "read by", others);
	}
}

/* One process: returns 1 when it is a deadlock candidate (every thread
 * asleep with no timeout, at least one wait on someone in the tree, and
 * none on something outside it). */
static int
scan_proc(struct wf_state *st, struct watch_proc *p)
{
	struct watch_task_wait *tw;
	int n = watch_blocked_scan(p->pid, &tw);
	if (n < 0) {
		if (n == -EACCES || n == -EPERM)
			watch_proc_add_error(p, "what it waits on", n);
		return 0;
	}
	int cand = n > 0, has_wait = 0;
	for (int t = 0; t < n; t++) {
		const struct watch_task_wait *w = &tw[t];
		if (w->cls == WATCH_WAIT_NONE || w->cls == WATCH_WAIT_SELF)
			cand = 0;
		if (w->cls == WATCH_WAIT_CHILD) {
			struct watch_blocked *b = push_blocked(st);
			b->pid = p->pid;
			b->tid = w->tid;
			snprintf(b->op, sizeof(b->op), "wait");
			snprintf(b->syscall, sizeof(b->syscall), "%s", w->syscall);
			snprintf(b->wchan, sizeof(b->wchan), "%s", w->wchan);
			for (size_t i = 0; i < st->out->nprocs; i++) {
				const struct watch_proc *c = &st->out->procs[i];
				if (c->ppid == p->pid && c->state != 'X' &&
				    (w->child <= 0 || c->pid == w->child))
					add_other(b, c->pid);
			}
			if (w->child > 0)
				add_other(b, w->child);
			for (int k = 0; k < b->nothers; k++)
				push_wf(st, p->pid, b->others[k]);
			has_wait |= b->nothers > 0;
			describe(st, b, NULL);
			continue;
		}
		if (w->cls != WATCH_WAIT_FD)
			continue;
		if (w->timed || w->nfds == 0)
			cand = 0;
		for (int k = 0; k < w->nfds; k++) {
			const struct watch_fd *fd = watch_fdset_find(st->fds,
			    p->pid, w->fds[k]);
			if (!fd) {
				cand = 0;    /* a tty, a file: woken from outside */
				continue;
			}
			struct watch_blocked *b = push_blocked(st);
			b->pid = p->pid;
			b->tid = w->tid;
			b->fd = fd->fd;
			b->timed = w->timed;
			b->inode = fd->inode;
			b->kind = fd->kind == WATCH_FD_PIPE ? WATCH_EDGE_PIPE :
			    fd->kind == WATCH_FD_FIFO ? WATCH_EDGE_FIFO :
			    WATCH_EDGE_SOCKET;
			snprintf(b->op, sizeof(b->op), "%s", w->ops[k]);
			snprintf(b->syscall, sizeof(b->syscall), "%s", w->syscall);
			snprintf(b->wchan, sizeof(b->wchan), "%s", w->wchan);
			find_others(st, fd, b->op, b);
			if (b->nothers == 0)
				cand = 0;
			else if (!w->timed) {
				has_wait = 1;
				for (int o = 0; o < b->nothers; o++)
					push_wf(st, p->pid, b->others[o]);
			}
			describe(st, b, fd);
		}
	}
	free(tw);
	return cand && has_wait;
}

void
watch_waitfor_build(struct watch_snapshot *out,
    const struct watch_fdset *fds, const struct watch_sockdiag *sd)
{
	struct wf_state st = { .out = out, .fds = fds, .sd = sd };
	pid_t *cand = xcalloc(out->nprocs ? out->nprocs : 1, sizeof(*cand));
	size_t ncand = 0;
	for (size_t i = 0; i < out->nprocs; i++) {
		struct watch_proc *p = &out->procs[i];
		if (p->state == 'X' || p->state == 'Z')
			continue;
		if (scan_proc(&st, p))
			cand[ncand++] = p->pid;
	}
	struct watch_cycle cyc[8];
	out->ncycles = watch_deadlock_find(cand, ncand, st.wf, st.nwf, cyc, 8);
	if (out->ncycles) {
		out->cycles = xcalloc(out->ncycles, sizeof(*cyc));
		memcpy(out->cycles, cyc, out->ncycles * sizeof(*cyc));
	}
	free(cand);
	free(st.wf);
}
