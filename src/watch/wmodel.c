/* The watch dashboard's model: frames, the log, the tree order. */
#include "watch/wmodel.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xmem.h"
#include "watch/wmodel_int.h"

void
wmodel_init(struct wmodel *m)
{
	memset(m, 0, sizeof(*m));
	m->log = xcalloc(WMODEL_LOG_MAX, sizeof(*m->log));
}

void
wmodel_frame_clear(struct wmodel_frame *f)
{
	watch_snapshot_clear(&f->s);
	free(f->blocked_since);
	free(f->edge_rate);
	memset(f, 0, sizeof(*f));
}

void
wmodel_free(struct wmodel *m)
{
	wmodel_frame_clear(&m->cur);
	free(m->log);
	memset(m, 0, sizeof(*m));
}

static void *
dup_array(const void *p, size_t n, size_t size)
{
	if (n == 0 || !p)
		return NULL;
	void *q = xreallocarray(NULL, n, size);
	memcpy(q, p, n * size);
	return q;
}

void
wmodel_frame_copy(struct wmodel_frame *dst, const struct wmodel_frame *src)
{
	*dst = *src;
	const struct watch_snapshot *s = &src->s;
	dst->s.procs = dup_array(s->procs, s->nprocs, sizeof(*s->procs));
	dst->s.edges = dup_array(s->edges, s->nedges, sizeof(*s->edges));
	dst->s.blocked = dup_array(s->blocked, s->nblocked, sizeof(*s->blocked));
	dst->s.cycles = dup_array(s->cycles, s->ncycles, sizeof(*s->cycles));
	dst->blocked_since = dup_array(src->blocked_since, s->nblocked,
	    sizeof(double));
	dst->edge_rate = dup_array(src->edge_rate, s->nedges, sizeof(double));
}

void
wmodel_log(struct wmodel *m, double t, enum wmodel_ev_kind kind, pid_t pid,
    const char *fmt, ...)
{
	struct wmodel_event *e = &m->log[m->log_seq % WMODEL_LOG_MAX];
	e->seq = m->log_seq++;
	e->t = t;
	e->kind = kind;
	e->pid = pid;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->text, sizeof(e->text), fmt, ap);
	va_end(ap);
}

void
wmodel_note(struct wmodel *m, double t, pid_t pid, const char *fmt, ...)
{
	char buf[200];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	wmodel_log(m, t, WEV_NOTE, pid, "%s", buf);
}

size_t
wmodel_log_count(const struct wmodel *m)
{
	return m->log_seq < WMODEL_LOG_MAX ? (size_t)m->log_seq : WMODEL_LOG_MAX;
}

const struct wmodel_event *
wmodel_log_at(const struct wmodel *m, size_t i)
{
	uint64_t seq = m->log_seq - wmodel_log_count(m) + i;
	return &m->log[seq % WMODEL_LOG_MAX];
}

const char *
wmodel_ev_kind_name(enum wmodel_ev_kind k)
{
	static const char *const names[WEV_KIND_COUNT] = {
		[WEV_PROC_NEW] = "process", [WEV_PROC_EXIT] = "exit",
		[WEV_ROLE] = "role", [WEV_EDGE_NEW] = "edge",
		[WEV_EDGE_CLOSED] = "closed", [WEV_BLOCKED] = "blocked",
		[WEV_UNBLOCKED] = "unblocked", [WEV_DEADLOCK] = "deadlock",
		[WEV_DEADLOCK_GONE] = "ok", [WEV_NOTE] = "note",
	};
	return (unsigned)k < WEV_KIND_COUNT ? names[k] : "?";
}

const struct watch_proc *
wmodel_proc(const struct wmodel_frame *f, pid_t pid, uint64_t start)
{
	const struct watch_proc *p = watch_snapshot_proc(&f->s, pid);
	if (p && start && p->start && p->start != start)
		return NULL;
	return p;
}

/* ---- tree order ---- */

struct tree_walk {
	const struct watch_snapshot *s;
	struct wmodel_row *rows;
	size_t cap, n;
	char *done;
};

static void
walk(struct tree_walk *tw, size_t i, int depth, unsigned mask)
{
	const struct watch_snapshot *s = tw->s;
	tw->done[i] = 1;
	if (tw->n < tw->cap)
		tw->rows[tw->n] = (struct wmodel_row){ (int)i, depth, mask };
	tw->n++;
	if (depth >= 30)
		return;
	/* Children in pid order (procs are sorted by pid). */
	size_t last = (size_t)-1;
	for (size_t k = 0; k < s->nprocs; k++)
		if (!tw->done[k] && k != i && s->procs[k].ppid == s->procs[i].pid)
			last = k;
	for (size_t k = 0; k < s->nprocs; k++) {
		if (tw->done[k] || k == i || s->procs[k].ppid != s->procs[i].pid)
			continue;
		unsigned m = mask;
		if (k == last)
			m |= 1u << (depth + 1);
		walk(tw, k, depth + 1, m);
	}
}

size_t
wmodel_tree(const struct wmodel_frame *f, struct wmodel_row *rows, size_t cap)
{
	const struct watch_snapshot *s = &f->s;
	if (s->nprocs == 0)
		return 0;
	struct tree_walk tw = { s, rows, cap, 0, xcalloc(s->nprocs, 1) };
	for (size_t i = 0; i < s->nprocs; i++)
		if (s->procs[i].pid == s->root)
			walk(&tw, i, 0, 1u);
	/* Orphans: members whose parent is not in the frame. */
	for (size_t i = 0; i < s->nprocs; i++) {
		if (tw.done[i] || watch_snapshot_proc(s, s->procs[i].ppid))
			continue;
		size_t more = 0;
		for (size_t k = i + 1; k < s->nprocs; k++)
			more += !tw.done[k] && !watch_snapshot_proc(s, s->procs[k].ppid);
		walk(&tw, i, 1, more ? 0 : 1u << 1);
	}
	/* Anything left (a parent cycle, which /proc cannot produce): flat. */
	for (size_t i = 0; i < s->nprocs; i++)
		if (!tw.done[i])
			walk(&tw, i, 1, 0);
	free(tw.done);
	return tw.n;
}

/* ---- blocked texts ---- */

static const char *
op_verb(const char *op)
{
	if (strcmp(op, "read") == 0)
		return "reading";
	if (strcmp(op, "write") == 0)
		return "writing";
	if (strcmp(op, "accept") == 0)
		return "accepting on";
	if (strcmp(op, "connect") == 0)
		return "connecting to";
	if (strcmp(op, "poll") == 0)
		return "polling";
	return op;
}

void
wmodel_blocked_short(const struct watch_blocked *b, char *buf, size_t len)
{
	if (strcmp(b->op, "wait") == 0) {
		if (b->nothers > 0)
			snprintf(buf, len, "waiting for child %d", (int)b->others[0]);
		else
			snprintf(buf, len, "waiting for a child");
		return;
	}
	char who[48] = "";
	if (b->nothers > 0)
		snprintf(who, sizeof(who), " %s %d%s",
		    strcmp(b->op, "write") == 0 ? "to" : "from", (int)b->others[0],
		    b->nothers > 1 ? "+" : "");
	snprintf(buf, len, "%s %s:[%lu]%s%s", op_verb(b->op),
	    watch_edge_kind_name(b->kind), b->inode, who,
	    b->timed ? " (timed)" : "");
}

int
wmodel_blocked_text(const struct wmodel_frame *f, pid_t pid, char *buf,
    size_t len)
{
	const struct watch_blocked *pick = NULL;
	for (size_t i = 0; i < f->s.nblocked; i++) {
		const struct watch_blocked *b = &f->s.blocked[i];
		if (b->pid != pid)
			continue;
		/* Untimed first, then the main thread. */
		if (!pick || (pick->timed && !b->timed) ||
		    (pick->timed == b->timed && pick->tid != pid && b->tid == pid))
			pick = b;
	}
	buf[0] = '\0';
	if (!pick)
		return 0;
	wmodel_blocked_short(pick, buf, len);
	return 1;
}
