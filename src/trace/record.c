/* --record: events and /proc samples into one time-ordered JSON-lines file. */
#include "trace/record.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "trace/jsonl.h"
#include "util/xmem.h"

struct pending {
	int64_t t_ns;
	struct proc_sample *v;     /* owned */
	size_t n;
};

struct recorder {
	FILE *f;
	const struct scenario *sc;
	int32_t observer;
	struct pending *q;         /* FIFO of samples not yet written */
	size_t head, n, cap;       /* q[head .. head+n) (circular) */
	pid_t *pids;               /* pids that may be in /proc */
	size_t npids, cappids;
	bool ended;                /* `end` written: samples are dropped */
	uint64_t written;
};

struct recorder *
recorder_new(FILE *f, const struct scenario *sc, int32_t observer_pid)
{
	struct recorder *rc = xcalloc(1, sizeof(*rc));
	rc->f = f;
	rc->sc = sc;
	rc->observer = observer_pid;
	return rc;
}

static struct pending *
front(struct recorder *rc)
{
	return &rc->q[rc->head];
}

static void
pop(struct recorder *rc, bool write)
{
	struct pending *p = front(rc);
	if (write) {
		jsonl_write_sample(rc->f, p->t_ns, rc->observer, p->v, p->n);
		rc->written++;
	}
	free(p->v);
	rc->head = (rc->head + 1) % rc->cap;
	rc->n--;
}

static void
pid_add(struct recorder *rc, pid_t pid)
{
	for (size_t i = 0; i < rc->npids; i++)
		if (rc->pids[i] == pid)
			return;
	if (rc->npids == rc->cappids) {
		rc->cappids = rc->cappids ? rc->cappids * 2 : 64;
		rc->pids = xreallocarray(rc->pids, rc->cappids, sizeof(*rc->pids));
	}
	rc->pids[rc->npids++] = pid;
}

void
recorder_event(struct recorder *rc, const struct event *ev)
{
	while (rc->n && front(rc)->t_ns <= ev->t_ns)
		pop(rc, true);
	if (ev->kind == EV_END) {
		while (rc->n)
			pop(rc, false);
		rc->ended = true;
	} else {
		rc->ended = false;           /* a restarted run (dashboard) */
		if (ev->kind == EV_SPAWN && ev->pid > 0)
			pid_add(rc, ev->pid);
	}
	jsonl_write_event(rc->f, rc->sc, ev);
}

void
recorder_sample(struct recorder *rc, const struct proc_snapshot *snap,
    int64_t t_ns)
{
	/* Forget the pids that left /proc. */
	size_t k = 0;
	for (size_t i = 0; i < rc->npids; i++)
		if (sampler_find(snap, rc->pids[i]))
			rc->pids[k++] = rc->pids[i];
	rc->npids = k;

	if (rc->ended)
		return;
	if (rc->n == rc->cap) {
		size_t cap = rc->cap ? rc->cap * 2 : 16;
		struct pending *q = xcalloc(cap, sizeof(*q));
		for (size_t i = 0; i < rc->n; i++)
			q[i] = rc->q[(rc->head + i) % rc->cap];
		free(rc->q);
		rc->q = q;
		rc->cap = cap;
		rc->head = 0;
	}
	struct pending *p = &rc->q[(rc->head + rc->n) % rc->cap];
	p->t_ns = t_ns;
	p->n = snap->n;
	p->v = xmalloc((snap->n ? snap->n : 1) * sizeof(*p->v));
	if (snap->n)
		memcpy(p->v, snap->v, snap->n * sizeof(*p->v));
	rc->n++;
}

size_t
recorder_pids(const struct recorder *rc, pid_t *out, size_t max)
{
	size_t n = rc->npids < max ? rc->npids : max;
	if (n)
		memcpy(out, rc->pids, n * sizeof(*out));
	return rc->npids;
}

uint64_t
recorder_samples_written(const struct recorder *rc)
{
	return rc->written;
}

void
recorder_free(struct recorder *rc)
{
	if (!rc)
		return;
	while (rc->n)
		pop(rc, false);
	free(rc->q);
	free(rc->pids);
	free(rc);
}
