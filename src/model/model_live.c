/* Live sources merged into the model: /proc samples, the shared region's
 * actor and pool state, and the passing of time (history buckets). */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "model/model.h"
#include "model/model_int.h"
#include "runtime/shared.h"

/* ---- /proc samples ---- */

void
model_sample(struct model *m, const struct proc_snapshot *snap)
{
	for (int i = 0; i < m->nprocs; i++) {
		struct model_proc *p = &m->procs[i];
		if (p->life == LIFE_REAPED)
			continue;
		/* Only the newest process with a pid can be the one in /proc. */
		if (model_proc_index(m, p->pid) != i) {
			p->in_proc = false;
			continue;
		}
		const struct proc_sample *s = sampler_find(snap, p->pid);
		if (s && p->start_ticks != 0 && s->start_ticks != p->start_ticks)
			s = NULL;   /* the pid now belongs to someone else */
		if (!s) {
			p->in_proc = false;
			if (p->life == LIFE_ZOMBIE)
				p->life = LIFE_REAPED;
			continue;
		}
		p->start_ticks = s->start_ticks;
		p->in_proc = true;
		p->sampled = true;
		p->state = s->state;
		memcpy(p->comm, s->comm, sizeof(p->comm));
		p->pgid = s->pgid;
		p->pcpu = s->pcpu;
		p->rss_kib = s->rss_kib;
		p->nlwp = s->nthreads;
		p->ticks = s->ticks;
	}
}

size_t
model_live_pids(const struct model *m, pid_t *out, size_t max)
{
	size_t n = 0;
	for (int i = 0; i < m->nprocs && n < max; i++)
		if (m->procs[i].life != LIFE_REAPED && m->procs[i].pid > 0)
			out[n++] = m->procs[i].pid;
	return n;
}

/* ---- shared actor state ---- */

/* Pool worker slots: the current pid of each slot. */
static void
sync_pools(struct model *m, const struct shared *sh)
{
	for (int i = 0; i < m->nobjs && i < sh->nobjs; i++) {
		if (m->objs[i].kind != SC_POOL)
			continue;
		struct model_pool *pl = &m->objs[i].u.pool;
		const struct shared_pool *sp = &sh->objs[i].pool;
		for (int s = 0; s < pl->processes && s < SC_MAX_POOL; s++) {
			pid_t pid = atomic_load(&sp->worker_pid[s]);
			if (pid <= 0 || pid == pl->slots[s].pid)
				continue;
			const struct model_proc *p = model_proc_by_pid(m, pid);
			if (p && p->life == LIFE_RUNNING)
				model_slot_set(pl, s, pid, p->spawn_ns);
		}
	}
}

void
model_sync_shared(struct model *m, const struct shared *sh)
{
	if (!sh)
		return;
	if (sh->objs)
		sync_pools(m, sh);
	if (!sh->actors)
		return;
	for (int i = 0; i < sh->nactors; i++) {
		const struct shared_actor *a = &sh->actors[i];
		int st = atomic_load(&a->state);
		if (st == ACT_FREE || st == ACT_EXITED || st >= ACT_STATE_COUNT)
			continue;
		pid_t pid = atomic_load(&a->pid), tid = atomic_load(&a->tid);
		struct model_doing *d = NULL;
		if (atomic_load(&a->is_thread)) {
			struct model_proc *p = model_proc_by_pid(m, pid);
			for (int k = p ? p->nthreads - 1 : -1; k >= 0; k--)
				if (p->threads[k].tid == tid && !p->threads[k].ended) {
					d = &p->threads[k].doing;
					break;
				}
		} else {
			struct model_proc *p = model_proc_by_pid(m, pid);
			if (p && p->life == LIFE_RUNNING)
				d = &p->doing;
		}
		if (!d)
			continue;
		int64_t task = atomic_load(&a->task);
		d->task = task;
		d->obj = -1;
		d->op = -1;
		d->peer = -1;
		switch (st) {
		case ACT_SLEEPING:
			d->what = DOING_SLEEP;
			break;
		case ACT_BUSY:
			d->what = DOING_BUSY;
			break;
		case ACT_BLOCKED:
			d->what = DOING_BLOCKED;
			d->obj = atomic_load(&a->wait_obj);
			d->op = atomic_load(&a->wait_op);
			d->peer = atomic_load(&a->wait_peer);
			break;
		default:
			d->what = task >= 0 ? DOING_TASK : DOING_RUN;
			break;
		}
		int64_t since = atomic_load(&a->since_ns);
		if (since > 0)
			d->since_ns = since;
		d->step = atomic_load(&a->step);
		d->func = atomic_load(&a->func);
	}
}

int
model_blocked_on(const struct model *m, int obj, int op)
{
	int n = 0;
	for (int i = 0; i < m->nprocs; i++) {
		const struct model_proc *p = &m->procs[i];
		if (p->life != LIFE_RUNNING)
			continue;
		if (p->doing.what == DOING_BLOCKED && p->doing.obj == obj &&
		    (op < 0 || p->doing.op == op))
			n++;
		for (int k = 0; k < p->nthreads; k++) {
			const struct model_doing *d = &p->threads[k].doing;
			if (!p->threads[k].ended && d->what == DOING_BLOCKED &&
			    d->obj == obj && (op < 0 || d->op == op))
				n++;
		}
	}
	return n;
}

/* ---- history ---- */

static void
hist_push(struct model_hist *h, int64_t v)
{
	h->v[h->head] = v;
	h->head = (h->head + 1) % MODEL_HIST;
	if (h->n < MODEL_HIST)
		h->n++;
}

int64_t
model_hist_at(const struct model_hist *h, int k)
{
	if (k < 0 || k >= h->n)
		return 0;
	int start = (h->head - h->n + MODEL_HIST) % MODEL_HIST;
	return h->v[(start + k) % MODEL_HIST];
}

double
model_hist_rate(const struct model *m, const struct model_hist *h,
    int64_t current, int buckets)
{
	if (h->n == 0 || buckets <= 0 || m->hist_ns <= 0)
		return 0.0;
	/* Cumulative values at bucket ends; the history starts at 0. */
	int k = buckets < h->n ? buckets : h->n;
	int64_t old = h->n - 1 - k >= 0 ? model_hist_at(h, h->n - 1 - k) : 0;
	return (double)(current - old) * 1e9 / ((double)k * (double)m->hist_ns);
}

static void
close_bucket(struct model *m)
{
	for (int i = 0; i < m->nobjs; i++) {
		struct model_obj *o = &m->objs[i];
		if (o->kind == SC_QUEUE) {
			struct model_queue *q = &o->u.q;
			hist_push(&q->depth_hist, q->bucket_max);
			hist_push(&q->puts_hist, q->puts);
			hist_push(&q->gets_hist, q->gets);
			q->bucket_max = q->depth;
		} else if (o->kind == SC_PIPE) {
			struct model_pipe *pp = &o->u.pipe;
			hist_push(&pp->msgs_hist[0], pp->msgs[0]);
			hist_push(&pp->msgs_hist[1], pp->msgs[1]);
		}
	}
}

void
model_tick(struct model *m, int64_t now_ns)
{
	if (m->hist_next_ns == 0) {
		m->hist_next_ns = now_ns + m->hist_ns;
		return;
	}
	int pushed = 0;
	while (now_ns >= m->hist_next_ns && pushed < MODEL_HIST) {
		close_bucket(m);
		m->hist_next_ns += m->hist_ns;
		pushed++;
	}
	if (now_ns >= m->hist_next_ns)   /* a long gap: resynchronise */
		m->hist_next_ns = now_ns + m->hist_ns;
}
