/* The process tree and "what it is doing" text, derived from the model. */
#include "model/model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xmem.h"

#define TREE_MAX_DEPTH 31

struct tree_ctx {
	const struct model *m;
	int threads;
	int *first_child, *next_sibling;
	struct model_tree_row *rows;
	size_t max, n;
};

static void
emit(struct tree_ctx *c, int proc, int thread, int depth, uint32_t mask)
{
	if (c->n < c->max) {
		struct model_tree_row *r = &c->rows[c->n];
		r->proc = proc;
		r->thread = thread;
		r->depth = depth;
		r->last_mask = mask;
	}
	c->n++;
}

static void
walk(struct tree_ctx *c, int proc, int depth, uint32_t mask)
{
	emit(c, proc, -1, depth, mask);
	if (depth >= TREE_MAX_DEPTH)
		return;
	const struct model_proc *p = &c->m->procs[proc];
	bool has_children = c->first_child[proc] >= 0;
	if (c->threads != TREE_NO_THREADS) {
		int lastk = -1;
		for (int k = 0; k < p->nthreads; k++)
			if (c->threads == TREE_ALL_THREADS || !p->threads[k].ended)
				lastk = k;
		for (int k = 0; k <= lastk; k++) {
			if (c->threads != TREE_ALL_THREADS && p->threads[k].ended)
				continue;
			bool last = k == lastk && !has_children;
			emit(c, proc, k, depth + 1,
			    mask | (last ? 1u << (depth + 1) : 0));
		}
	}
	for (int ch = c->first_child[proc]; ch >= 0; ch = c->next_sibling[ch]) {
		bool last = c->next_sibling[ch] < 0;
		walk(c, ch, depth + 1, mask | (last ? 1u << (depth + 1) : 0));
	}
}

/* Parent of process i: the newest process with pid == ppid spawned before i. */
static int
parent_of(const struct model *m, int i)
{
	pid_t pp = m->procs[i].ppid;
	if (pp <= 0)
		return -1;
	int j = model_proc_index(m, pp);
	if (j >= 0 && j < i)
		return j;
	for (j = i - 1; j >= 0; j--)
		if (m->procs[j].pid == pp)
			return j;
	return -1;
}

size_t
model_tree(const struct model *m, int threads, struct model_tree_row *rows,
    size_t max)
{
	int n = m->nprocs;
	if (n == 0)
		return 0;
	struct tree_ctx c = { .m = m, .threads = threads, .rows = rows, .max = max };
	c.first_child = xmalloc(sizeof(int) * (size_t)n);
	c.next_sibling = xmalloc(sizeof(int) * (size_t)n);
	int *last_child = xmalloc(sizeof(int) * (size_t)n);
	int *parent = xmalloc(sizeof(int) * (size_t)n);
	for (int i = 0; i < n; i++) {
		c.first_child[i] = c.next_sibling[i] = last_child[i] = -1;
		parent[i] = parent_of(m, i);
	}
	for (int i = 0; i < n; i++) {
		int p = parent[i];
		if (p < 0)
			continue;
		if (last_child[p] < 0)
			c.first_child[p] = i;
		else
			c.next_sibling[last_child[p]] = i;
		last_child[p] = i;
	}
	int last_root = -1;
	for (int i = 0; i < n; i++)
		if (parent[i] < 0)
			last_root = i;
	for (int i = 0; i < n; i++)
		if (parent[i] < 0)
			walk(&c, i, 0, i == last_root ? 1u : 0);
	free(c.first_child);
	free(c.next_sibling);
	free(last_child);
	free(parent);
	return c.n;
}

static void
dur_text(char *buf, size_t len, int64_t ns)
{
	if (ns < 0)
		ns = 0;
	if (ns < 10000000000LL)
		snprintf(buf, len, "%.1fs", (double)ns / 1e9);
	else
		snprintf(buf, len, "%llds", (long long)(ns / 1000000000LL));
}

void
model_doing_text(const struct model *m, const struct model_doing *d,
    int64_t now_ns, char *buf, size_t len)
{
	char dur[32];
	dur_text(dur, sizeof(dur), model_scen(m, now_ns) - model_scen(m, d->since_ns));
	switch (d->what) {
	case DOING_SLEEP:
		snprintf(buf, len, "sleep %s", dur);
		break;
	case DOING_BUSY:
		snprintf(buf, len, "busy %s", dur);
		break;
	case DOING_BLOCKED:
		if (d->op == WAIT_JOIN && d->peer > 0) {
			const struct model_proc *p = model_proc_by_pid(m, d->peer);
			snprintf(buf, len, "join %s, blocked %s",
			    p ? p->name : model_obj_name(m, d->obj), dur);
		} else {
			snprintf(buf, len, "%s %s, blocked %s",
			    event_wait_name(d->op), model_obj_name(m, d->obj), dur);
		}
		break;
	case DOING_TASK:
		snprintf(buf, len, "task %lld, %s", (long long)d->task, dur);
		break;
	case DOING_DONE:
		snprintf(buf, len, "ended");
		break;
	default:
		snprintf(buf, len, "running");
		break;
	}
}
