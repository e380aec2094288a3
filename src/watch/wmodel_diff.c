/* The watch model's update: diff the new snapshot against the last one. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "util/xmem.h"
#include "watch/wmodel_int.h"

const char *
wmodel_role_label(enum watch_role r)
{
	switch (r) {
	case WATCH_ROLE_MAIN: return "main";
	case WATCH_ROLE_POOL_WORKER: return "pool worker";
	case WATCH_ROLE_MANAGER: return "manager";
	case WATCH_ROLE_RESOURCE_TRACKER: return "resource tracker";
	case WATCH_ROLE_FORKSERVER: return "forkserver";
	default: return "process";
	}
}

void
wmodel_exit_text(const struct watch_proc *p, char *buf, size_t len)
{
	const char *how = p->state == 'Z' ? "exited (zombie)" : "exited";
	int st = p->exit_status;
	if (st < 0)
		snprintf(buf, len, "%s, status unknown", how);
	else if (st > 128 && st < 128 + 65 && sigabbrev_np(st - 128))
		snprintf(buf, len, "%s, status %d (SIG%s)", how, st,
		    sigabbrev_np(st - 128));
	else
		snprintf(buf, len, "%s, status %d", how, st);
}

static int
live(const struct watch_proc *p)
{
	return p->state != 'X' && p->state != 'Z';
}

/* The process (pid, start) of 's', or NULL. */
static const struct watch_proc *
same_proc(const struct watch_snapshot *s, const struct watch_proc *p)
{
	const struct watch_proc *q = watch_snapshot_proc(s, p->pid);
	return q && q->start == p->start ? q : NULL;
}

static void
diff_procs(struct wmodel *m, const struct watch_snapshot *old,
    const struct watch_snapshot *s, int first)
{
	char ex[64];
	for (size_t i = 0; i < s->nprocs; i++) {
		const struct watch_proc *p = &s->procs[i];
		const struct watch_proc *o = first ? NULL : same_proc(old, p);
		if (!o) {
			const char *name = p->name[0] ? p->name : "?";
			if (p->pid == s->root)
				wmodel_log(m, s->t, WEV_PROC_NEW, p->pid,
				    "%d %s (main): watching it and its descendants",
				    (int)p->pid, name);
			else
				wmodel_log(m, s->t, WEV_PROC_NEW, p->pid,
				    "%d %s (%s) appeared, child of %d", (int)p->pid,
				    name, wmodel_role_label(p->role), (int)p->ppid);
			if (!live(p)) {
				wmodel_exit_text(p, ex, sizeof(ex));
				wmodel_log(m, s->t, WEV_PROC_EXIT, p->pid, "%d %s %s",
				    (int)p->pid, name, ex);
			}
			continue;
		}
		if (o->role != p->role && p->role != WATCH_ROLE_PROCESS)
			wmodel_log(m, s->t, WEV_ROLE, p->pid, "%d %s recognised as %s",
			    (int)p->pid, p->name, wmodel_role_label(p->role));
		if (live(o) && !live(p)) {
			wmodel_exit_text(p, ex, sizeof(ex));
			wmodel_log(m, s->t, WEV_PROC_EXIT, p->pid, "%d %s %s",
			    (int)p->pid, p->name[0] ? p->name : o->name, ex);
		}
	}
	if (first)
		return;
	for (size_t i = 0; i < old->nprocs; i++) {
		const struct watch_proc *o = &old->procs[i];
		if (live(o) && !same_proc(s, o))
			wmodel_log(m, s->t, WEV_PROC_EXIT, o->pid,
			    "%d %s exited, status unknown", (int)o->pid, o->name);
	}
}

/* ---- edges, grouped by kernel object ---- */

static int
edge_same(const struct watch_edge *a, const struct watch_edge *b)
{
	return a->kind == b->kind && a->inode == b->inode &&
	    a->from.pid == b->from.pid && a->from.fd == b->from.fd &&
	    a->to.pid == b->to.pid && a->to.fd == b->to.fd;
}

static int
edge_in(const struct watch_snapshot *s, const struct watch_edge *e)
{
	for (size_t i = 0; i < s->nedges; i++)
		if (edge_same(&s->edges[i], e))
			return 1;
	return 0;
}

static int
object_in(const struct watch_snapshot *s, const struct watch_edge *e)
{
	for (size_t i = 0; i < s->nedges; i++)
		if (s->edges[i].kind == e->kind && s->edges[i].inode == e->inode)
			return 1;
	return 0;
}

static void
end_text(const struct watch_end *e, char *buf, size_t len)
{
	if (e->pid <= 0)
		snprintf(buf, len, "outside");
	else
		snprintf(buf, len, "%d:%d", (int)e->pid, e->fd);
}

/* Append 'item' to the comma list 'list' unless it is there. */
static void
list_add(char *list, size_t len, const char *item)
{
	size_t il = strlen(item);
	for (const char *p = list; (p = strstr(p, item)) != NULL; p += il)
		if ((p == list || p[-1] == ',') && (p[il] == ',' || p[il] == '\0'))
			return;
	size_t used = strlen(list);
	snprintf(list + used, len - used, "%s%s", used ? "," : "", item);
}

/* The ends of object (kind, inode) in 's', only of edges i with
 * only[i] set when 'only' is not NULL. */
static void
ends_of(const struct watch_snapshot *s, enum watch_edge_kind kind,
    unsigned long inode, const char *only, char *from, char *to, size_t len)
{
	from[0] = to[0] = '\0';
	char b[32];
	for (size_t i = 0; i < s->nedges; i++) {
		const struct watch_edge *e = &s->edges[i];
		if (e->kind != kind || e->inode != inode || (only && !only[i]))
			continue;
		end_text(&e->from, b, sizeof(b));
		list_add(from, len, b);
		end_text(&e->to, b, sizeof(b));
		list_add(to, len, b);
	}
}

void
wmodel_edge_ends(const struct watch_snapshot *s, enum watch_edge_kind kind,
    unsigned long inode, const struct watch_snapshot *unless,
    char *from, char *to, size_t len)
{
	char *only = NULL;
	if (unless) {
		only = xcalloc(s->nedges ? s->nedges : 1, 1);
		for (size_t i = 0; i < s->nedges; i++)
			only[i] = !edge_in(unless, &s->edges[i]);
	}
	ends_of(s, kind, inode, only, from, to, len);
	free(only);
}

/* One log entry per kernel object of 'a' with edges not in 'b'. Each
 * membership test is made once: O(n^2) for n edges (a pool of 32 workers
 * has about a thousand). */
static void
diff_edges_one_way(struct wmodel *m, const struct watch_snapshot *a,
    const struct watch_snapshot *b, double t, int opened)
{
	if (a->nedges == 0)
		return;
	char *missing = xcalloc(a->nedges, 1);
	for (size_t i = 0; i < a->nedges; i++)
		missing[i] = !edge_in(b, &a->edges[i]);
	for (size_t i = 0; i < a->nedges; i++) {
		const struct watch_edge *e = &a->edges[i];
		if (!missing[i])
			continue;
		/* Only at the object's first such edge. */
		size_t k;
		for (k = 0; k < i; k++)
			if (missing[k] && a->edges[k].kind == e->kind &&
			    a->edges[k].inode == e->inode)
				break;
		if (k < i)
			continue;
		char from[96], to[96];
		ends_of(a, e->kind, e->inode, missing, from, to, sizeof(from));
		const char *kn = watch_edge_kind_name(e->kind);
		int whole = !object_in(b, e);
		if (opened)
			wmodel_log(m, t, WEV_EDGE_NEW, e->from.pid,
			    "%s %s:[%lu]: %s -> %s%s%s", whole ? "new" : "more ends of",
			    kn, e->inode, from, to, e->path[0] ? " " : "", e->path);
		else
			wmodel_log(m, t, WEV_EDGE_CLOSED, e->from.pid,
			    "%s %s:[%lu]: %s -> %s", whole ? "closed" : "ends closed on",
			    kn, e->inode, from, to);
	}
	free(missing);
}

/* ---- waits ---- */

static int
wait_same(const struct watch_blocked *a, const struct watch_blocked *b)
{
	return a->tid == b->tid && a->pid == b->pid && a->fd == b->fd &&
	    a->inode == b->inode && strcmp(a->op, b->op) == 0;
}

static const struct watch_blocked *
wait_in(const struct watch_snapshot *s, const struct watch_blocked *b)
{
	for (size_t i = 0; i < s->nblocked; i++)
		if (wait_same(&s->blocked[i], b))
			return &s->blocked[i];
	return NULL;
}

static void
diff_waits(struct wmodel *m, const struct watch_snapshot *old,
    const struct wmodel_frame *of, struct wmodel_frame *nf)
{
	const struct watch_snapshot *s = &nf->s;
	for (size_t i = 0; i < s->nblocked; i++) {
		const struct watch_blocked *b = &s->blocked[i];
		const struct watch_blocked *o = wait_in(old, b);
		nf->blocked_since[i] = o ? of->blocked_since[o - old->blocked] : s->t;
		if (!o && !b->timed)
			wmodel_log(m, s->t, WEV_BLOCKED, b->pid, "%s", b->text);
	}
	for (size_t i = 0; i < old->nblocked; i++) {
		const struct watch_blocked *o = &old->blocked[i];
		const struct watch_proc *p = watch_snapshot_proc(s, o->pid);
		if (o->timed || wait_in(s, o) || !p || !live(p))
			continue;
		char buf[120], tid[32] = "";
		wmodel_blocked_short(o, buf, sizeof(buf));
		if (o->tid != o->pid)
			snprintf(tid, sizeof(tid), " (thread %d)", (int)o->tid);
		wmodel_log(m, s->t, WEV_UNBLOCKED, o->pid, "%d%s no longer %s",
		    (int)o->pid, tid, buf);
	}
}

static int
cycle_same(const struct watch_cycle *a, const struct watch_cycle *b)
{
	if (a->n != b->n)
		return 0;
	for (int i = 0; i < a->n; i++) {
		int found = 0;
		for (int k = 0; k < b->n; k++)
			found |= a->pids[i] == b->pids[k];
		if (!found)
			return 0;
	}
	return 1;
}

static int
cycle_in(const struct watch_snapshot *s, const struct watch_cycle *c)
{
	for (size_t i = 0; i < s->ncycles; i++)
		if (cycle_same(&s->cycles[i], c))
			return 1;
	return 0;
}

static void
diff_cycles(struct wmodel *m, const struct watch_snapshot *old,
    const struct watch_snapshot *s)
{
	for (size_t i = 0; i < s->ncycles; i++) {
		if (cycle_in(old, &s->cycles[i]))
			continue;
		const char *ct = s->cycles[i].text;
		if (strncasecmp(ct, "likely deadlock: ", 17) == 0)
			ct += 17;
		wmodel_log(m, s->t, WEV_DEADLOCK, s->cycles[i].pids[0],
		    "LIKELY DEADLOCK: %s", ct);
	}
	for (size_t i = 0; i < old->ncycles; i++)
		if (!cycle_in(s, &old->cycles[i]))
			wmodel_log(m, s->t, WEV_DEADLOCK_GONE, old->cycles[i].pids[0],
			    "wait-for cycle gone: %s", old->cycles[i].text);
}

void
wmodel_update(struct wmodel *m, struct watch_snapshot *snap)
{
	struct wmodel_frame nf = { .s = *snap };
	memset(snap, 0, sizeof(*snap));
	const struct wmodel_frame *of = &m->cur;
	const struct watch_snapshot *old = &of->s;
	const struct watch_snapshot *s = &nf.s;
	int first = of->seq == 0;
	nf.seq = of->seq + 1;
	nf.blocked_since = xcalloc(s->nblocked ? s->nblocked : 1, sizeof(double));
	nf.edge_rate = xcalloc(s->nedges ? s->nedges : 1, sizeof(double));
	double dt = first ? 0 : s->t - old->t;
	for (size_t i = 0; i < s->nedges; i++)
		if (dt > 0 && s->edges[i].fill >= 0)
			nf.edge_rate[i] = (double)s->edges[i].fill_delta / dt;

	diff_procs(m, old, s, first);
	if (first) {
		size_t objs = 0;
		for (size_t i = 0; i < s->nedges; i++) {
			size_t k;
			for (k = 0; k < i; k++)
				if (s->edges[k].kind == s->edges[i].kind &&
				    s->edges[k].inode == s->edges[i].inode)
					break;
			objs += k == i;
		}
		wmodel_log(m, s->t, WEV_NOTE, s->root, "first look: %zu processes, "
		    "%zu edges over %zu pipes/sockets/FIFOs, %zu waits",
		    s->nprocs, s->nedges, objs, s->nblocked);
	} else {
		diff_edges_one_way(m, old, s, s->t, 0);
		diff_edges_one_way(m, s, old, s->t, 1);
	}
	diff_waits(m, old, of, &nf);
	diff_cycles(m, old, s);
	wmodel_frame_clear(&m->cur);
	nf.log_upto = m->log_seq;
	m->cur = nf;
}
