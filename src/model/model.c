/* The observer's model: processes, objects, tasks; events applied in order. */
#include "model/model.h"

#include <math.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/shared.h"
#include "util/xmem.h"

/* model_log.c */
void model_log_add(struct model *m, const struct event *ev);

#define DEFAULT_HIST_NS 100000000LL   /* 100 ms buckets */

/* ---- init / free ---- */

static void
objs_init(struct model *m)
{
	const struct scenario *sc = m->sc;
	m->nobjs = sc ? sc->nobjs : 0;
	m->objs = xcalloc((size_t)(m->nobjs ? m->nobjs : 1), sizeof(*m->objs));
	for (int i = 0; i < m->nobjs; i++) {
		const struct sc_object *o = &sc->objs[i];
		struct model_obj *mo = &m->objs[i];
		mo->kind = o->kind;
		switch (o->kind) {
		case SC_QUEUE:
			mo->u.q.maxsize = o->u.q.maxsize;
			break;
		case SC_PIPE:
			mo->u.pipe.duplex = o->u.pipe.duplex;
			break;
		case SC_POOL:
			mo->u.pool.processes = o->u.pool.processes;
			mo->u.pool.maxtasksperchild = o->u.pool.maxtasksperchild;
			mo->u.pool.nslots = o->u.pool.processes;
			if (mo->u.pool.nslots > SC_MAX_POOL)
				mo->u.pool.nslots = SC_MAX_POOL;
			break;
		default:
			break;
		}
	}
}

void
model_init(struct model *m, const struct scenario *sc)
{
	memset(m, 0, sizeof(*m));
	m->sc = sc;
	m->hist_ns = DEFAULT_HIST_NS;
	m->log = xcalloc(MODEL_LOG_MAX, sizeof(*m->log));
	m->pid_index_cap = 256;
	m->pid_index = xmalloc(sizeof(int) * (size_t)m->pid_index_cap);
	for (int i = 0; i < m->pid_index_cap; i++)
		m->pid_index[i] = -1;
	objs_init(m);
}

void
model_free(struct model *m)
{
	for (int i = 0; i < m->nprocs; i++)
		free(m->procs[i].threads);
	free(m->procs);
	free(m->pid_index);
	free(m->objs);
	free(m->tasks);
	free(m->log);
	free(m->reason);
	memset(m, 0, sizeof(*m));
}

void
model_reset(struct model *m)
{
	const struct scenario *sc = m->sc;
	int64_t hist = m->hist_ns;
	model_free(m);
	model_init(m, sc);
	m->hist_ns = hist;
}

void
model_set_start(struct model *m, int64_t t0_ns)
{
	m->t0_ns = t0_ns;
}

/* ---- pid index (open addressing, newest process per pid) ---- */

static unsigned
pid_hash(pid_t pid, int cap)
{
	return ((unsigned)pid * 2654435761u) & (unsigned)(cap - 1);
}

static void
pid_index_put(struct model *m, pid_t pid, int idx);

static void
pid_index_grow(struct model *m)
{
	int oldcap = m->pid_index_cap;
	int *old = m->pid_index;
	m->pid_index_cap = oldcap * 2;
	m->pid_index = xmalloc(sizeof(int) * (size_t)m->pid_index_cap);
	for (int i = 0; i < m->pid_index_cap; i++)
		m->pid_index[i] = -1;
	for (int i = 0; i < oldcap; i++)
		if (old[i] >= 0)
			pid_index_put(m, m->procs[old[i]].pid, old[i]);
	free(old);
}

static void
pid_index_put(struct model *m, pid_t pid, int idx)
{
	unsigned h = pid_hash(pid, m->pid_index_cap);
	for (;;) {
		int cur = m->pid_index[h];
		if (cur < 0 || m->procs[cur].pid == pid) {
			m->pid_index[h] = idx;
			return;
		}
		h = (h + 1) & (unsigned)(m->pid_index_cap - 1);
	}
}

int
model_proc_index(const struct model *m, pid_t pid)
{
	if (!m->pid_index)
		return -1;
	unsigned h = pid_hash(pid, m->pid_index_cap);
	for (;;) {
		int cur = m->pid_index[h];
		if (cur < 0)
			return -1;
		if (m->procs[cur].pid == pid)
			return cur;
		h = (h + 1) & (unsigned)(m->pid_index_cap - 1);
	}
}

struct model_proc *
model_proc_by_pid(const struct model *m, pid_t pid)
{
	int i = model_proc_index(m, pid);
	return i < 0 ? NULL : &m->procs[i];
}

struct model_proc *
model_proc_get(const struct model *m, int id)
{
	return (id >= 0 && id < m->nprocs) ? &m->procs[id] : NULL;
}

struct model_thread *
model_thread_by_tid(const struct model *m, pid_t tid)
{
	for (int i = m->nprocs - 1; i >= 0; i--) {
		struct model_proc *p = &m->procs[i];
		for (int k = p->nthreads - 1; k >= 0; k--)
			if (p->threads[k].tid == tid)
				return &p->threads[k];
	}
	return NULL;
}

struct model_obj *
model_obj_get(const struct model *m, int i)
{
	return (i >= 0 && i < m->nobjs) ? &m->objs[i] : NULL;
}

const char *
model_obj_name(const struct model *m, int i)
{
	if (!m->sc || i < 0 || i >= m->sc->nobjs)
		return "?";
	return m->sc->objs[i].name;
}

static void
doing_init(struct model_doing *d, int64_t t)
{
	d->what = DOING_RUN;
	d->obj = -1;
	d->op = -1;
	d->peer = -1;
	d->task = -1;
	d->since_ns = t;
	d->step = -1;
	d->func = -1;
}

static struct model_proc *
proc_add(struct model *m, pid_t pid, int64_t t)
{
	if (m->nprocs == m->capprocs) {
		m->capprocs = m->capprocs ? m->capprocs * 2 : 32;
		m->procs = xreallocarray(m->procs, (size_t)m->capprocs,
		    sizeof(*m->procs));
	}
	if ((m->nprocs + 1) * 2 > m->pid_index_cap)
		pid_index_grow(m);
	struct model_proc *p = &m->procs[m->nprocs];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	p->obj = -1;
	p->copy = -1;
	p->state = '?';
	p->pcpu = NAN;
	p->spawn_ns = t;
	doing_init(&p->doing, t);
	pid_index_put(m, pid, m->nprocs);
	m->nprocs++;
	return p;
}

/* The process an event comes from; made up when its spawn was not seen
 * (a trace that starts late, or the observer joining a run). */
static struct model_proc *
proc_of(struct model *m, pid_t pid, int64_t t)
{
	struct model_proc *p = model_proc_by_pid(m, pid);
	if (!p && pid > 0) {
		p = proc_add(m, pid, t);
		p->placeholder = true;
		p->role = ROLE_PROCESS;
		snprintf(p->name, sizeof(p->name), "%d", (int)pid);
	}
	return p;
}

/* A placeholder made for an event of 'pid' about object 'obj': guess its
 * role and name from the object (a pool's worker, a process definition). */
static struct model_proc *
proc_of_obj(struct model *m, pid_t pid, int obj, int64_t t)
{
	bool known = model_proc_by_pid(m, pid) != NULL;
	struct model_proc *p = proc_of(m, pid, t);
	const struct model_obj *o = model_obj_get(m, obj);
	if (p && !known && o) {
		p->obj = obj;
		if (o->kind == SC_POOL) {
			p->role = ROLE_WORKER;
			snprintf(p->name, sizeof(p->name), "worker");
		} else if (o->kind == SC_MANAGER) {
			p->role = ROLE_MANAGER;
			snprintf(p->name, sizeof(p->name), "manager");
		} else if (o->kind == SC_PROCESS) {
			snprintf(p->name, sizeof(p->name), "%s", model_obj_name(m, obj));
		}
	}
	return p;
}

/* The doing state of the actor (process main thread or thread) of 'ev'. */
static struct model_doing *
doing_of(struct model *m, const struct event *ev)
{
	struct model_proc *p = proc_of(m, ev->pid, ev->t_ns);
	if (!p)
		return NULL;
	if (ev->tid > 0 && ev->tid != ev->pid) {
		for (int k = p->nthreads - 1; k >= 0; k--)
			if (p->threads[k].tid == ev->tid)
				return &p->threads[k].doing;
	}
	return &p->doing;
}

/* ---- tasks ---- */

struct model_task *
model_task_get(const struct model *m, int64_t id)
{
	size_t lo = 0, hi = m->ntasks;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (m->tasks[mid].id == id)
			return &m->tasks[mid];
		if (m->tasks[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static struct model_task *
task_of(struct model *m, int64_t id, int pool)
{
	struct model_task *t = model_task_get(m, id);
	if (t)
		return t;
	if (m->ntasks == m->captasks) {
		m->captasks = m->captasks ? m->captasks * 2 : 64;
		m->tasks = xreallocarray(m->tasks, m->captasks, sizeof(*m->tasks));
	}
	/* Ids mostly arrive in order: insert from the end. */
	size_t at = m->ntasks;
	while (at > 0 && m->tasks[at - 1].id > id)
		at--;
	memmove(&m->tasks[at + 1], &m->tasks[at],
	    (m->ntasks - at) * sizeof(*m->tasks));
	m->ntasks++;
	t = &m->tasks[at];
	memset(t, 0, sizeof(*t));
	t->id = id;
	t->pool = pool;
	t->slot = -1;
	t->state = TASK_PENDING;
	return t;
}

static struct model_pool *
pool_of(struct model *m, int obj)
{
	struct model_obj *o = model_obj_get(m, obj);
	return (o && o->kind == SC_POOL) ? &o->u.pool : NULL;
}

int
model_pool_count(const struct model *m, int obj, int task_state)
{
	int n = 0;
	for (size_t i = 0; i < m->ntasks; i++)
		if (m->tasks[i].pool == obj && m->tasks[i].state == task_state)
			n++;
	return n;
}

static void
slot_set(struct model_pool *pl, int slot, pid_t pid, int64_t t)
{
	if (!pl || slot < 0 || slot >= SC_MAX_POOL)
		return;
	struct model_worker_slot *s = &pl->slots[slot];
	if (s->pid == pid)
		return;
	if (s->pid != 0) {
		if (s->replacements < MODEL_REPLACE_MAX) {
			s->replaced_ns[s->replacements] = t;
			s->replaced_pid[s->replacements] = s->pid;
		}
		s->replacements++;
	}
	s->pid = pid;
	s->since_ns = t;
	if (slot + 1 > pl->nslots)
		pl->nslots = slot + 1;
}

/* ---- applying events ---- */

static void
apply_spawn(struct model *m, const struct event *ev)
{
	/* Rings are merged by time, but a process's first events can still
	 * beat its spawn record from another ring: fill in the placeholder. */
	struct model_proc *p = model_proc_by_pid(m, ev->pid);
	if (p && p->placeholder) {
		p->placeholder = false;
		p->spawn_ns = ev->t_ns;
	} else
		p = proc_add(m, ev->pid, ev->t_ns);
	p->ppid = (pid_t)ev->a;
	p->role = (int)ev->b;
	p->copy = (int)ev->c;
	p->obj = ev->obj;
	if (ev->text && ev->text[0])
		snprintf(p->name, sizeof(p->name), "%s", ev->text);
	else
		snprintf(p->name, sizeof(p->name), "%s", event_role_name(p->role));
	m->spawned++;
	/* A worker's c is its number (worker-N), not its slot: the slot comes
	 * with its first task (EV_TASK_START) or from the shared region. */
	if (p->role == ROLE_MANAGER) {
		struct model_obj *o = model_obj_get(m, ev->obj);
		if (o && o->kind == SC_MANAGER)
			o->u.mgr.server_pid = ev->pid;
	}
}

static void
apply_exit(struct model *m, const struct event *ev)
{
	struct model_proc *p = proc_of_obj(m, ev->pid, ev->obj, ev->t_ns);
	if (!p)
		return;
	if (p->life == LIFE_RUNNING)
		p->life = LIFE_ZOMBIE;
	p->exit_code = (int)ev->a;
	p->wait_status = (int)ev->b;
	p->exit_ns = ev->t_ns;
	p->doing.what = DOING_DONE;
	p->doing.since_ns = ev->t_ns;
	for (int k = 0; k < p->nthreads; k++)
		if (!p->threads[k].ended) {
			p->threads[k].ended = true;
			p->threads[k].end_ns = ev->t_ns;
			p->threads[k].doing.what = DOING_DONE;
		}
	m->exited++;
}

static void
apply_thread(struct model *m, const struct event *ev, bool start)
{
	struct model_proc *p = proc_of(m, ev->pid, ev->t_ns);
	if (!p)
		return;
	if (!start) {
		for (int k = p->nthreads - 1; k >= 0; k--)
			if (p->threads[k].tid == ev->tid && !p->threads[k].ended) {
				p->threads[k].ended = true;
				p->threads[k].end_ns = ev->t_ns;
				p->threads[k].doing.what = DOING_DONE;
				p->threads[k].doing.since_ns = ev->t_ns;
			}
		return;
	}
	if (p->nthreads == p->capthreads) {
		p->capthreads = p->capthreads ? p->capthreads * 2 : 4;
		p->threads = xreallocarray(p->threads, (size_t)p->capthreads,
		    sizeof(*p->threads));
	}
	struct model_thread *t = &p->threads[p->nthreads++];
	memset(t, 0, sizeof(*t));
	t->tid = ev->tid;
	t->role = (int)ev->a;
	t->obj = ev->obj;
	t->start_ns = ev->t_ns;
	doing_init(&t->doing, ev->t_ns);
	if (ev->text && ev->text[0])
		snprintf(t->name, sizeof(t->name), "%s", ev->text);
	else
		snprintf(t->name, sizeof(t->name), "%s",
		    event_thread_role_name(t->role));
}

static void
end_pid_add(struct model_pipe *pp, int end, pid_t pid)
{
	if (end < 0 || end > 1)
		return;
	for (int i = 0; i < pp->nend_pids[end]; i++)
		if (pp->end_pids[end][i] == pid)
			return;
	if (pp->nend_pids[end] < MODEL_END_PIDS)
		pp->end_pids[end][pp->nend_pids[end]++] = pid;
}

static void
apply_ipc(struct model *m, const struct event *ev)
{
	struct model_obj *o = model_obj_get(m, ev->obj);
	if (!o)
		return;
	if (o->kind == SC_QUEUE && (ev->kind == EV_PUT || ev->kind == EV_GET)) {
		struct model_queue *q = &o->u.q;
		if (ev->kind == EV_PUT) {
			q->puts++;
			q->bytes_in += ev->b;
			m->messages++;
		} else {
			q->gets++;
			q->bytes_out += ev->b;
		}
		q->depth = ev->a;
		if (q->depth > q->max_depth)
			q->max_depth = q->depth;
		if (q->depth > q->bucket_max)
			q->bucket_max = q->depth;
	} else if (o->kind == SC_PIPE) {
		struct model_pipe *pp = &o->u.pipe;
		int e = (ev->a == 1) ? 1 : 0;
		if (ev->kind == EV_SEND) {
			pp->msgs[e]++;
			pp->bytes[e] += ev->b;
			m->messages++;
			end_pid_add(pp, e, ev->pid);
		} else if (ev->kind == EV_RECV) {
			pp->rmsgs[e]++;
			pp->rbytes[e] += ev->b;
			end_pid_add(pp, e, ev->pid);
		} else if (ev->kind == EV_PIPE_CLOSE) {
			pp->closed[e] = true;
		}
	} else if (o->kind == SC_MANAGER && ev->kind == EV_MGR_OP) {
		struct model_mgr *g = &o->u.mgr;
		g->ops++;
		if (ev->a == MGR_DICT_SET)
			g->dict_size = ev->b;
		else if (ev->a == MGR_LIST_APPEND)
			g->list_size = ev->b;
	}
}

static void
apply_pool(struct model *m, const struct event *ev)
{
	struct model_pool *pl = pool_of(m, ev->obj);
	struct model_task *t;
	struct model_proc *w;

	switch (ev->kind) {
	case EV_SUBMIT:
		t = task_of(m, ev->a, ev->obj);
		t->arg = ev->b;
		t->call = (int)ev->c;
		t->submit_ns = ev->t_ns;
		if (pl)
			pl->submitted++;
		break;
	case EV_TASK_START:
		t = task_of(m, ev->a, ev->obj);
		t->arg = ev->b;
		t->slot = (int)ev->c;
		t->worker = ev->pid;
		t->state = TASK_RUNNING;
		t->start_ns = ev->t_ns;
		if (pl) {
			pl->started++;
			slot_set(pl, (int)ev->c, ev->pid, ev->t_ns);
		}
		w = proc_of(m, ev->pid, ev->t_ns);
		if (w) {
			w->doing.what = DOING_TASK;
			w->doing.task = ev->a;
			w->doing.obj = ev->obj;
			w->doing.since_ns = ev->t_ns;
			if (w->copy < 0)
				w->copy = (int)ev->c;
		}
		break;
	case EV_TASK_END:
		t = task_of(m, ev->a, ev->obj);
		t->result = ev->b;
		t->state = ev->c ? TASK_FAILED : TASK_DONE;
		t->end_ns = ev->t_ns;
		if (ev->c && ev->text)
			snprintf(t->error, sizeof(t->error), "%s", ev->text);
		if (pl) {
			if (ev->c)
				pl->failed++;
			else
				pl->done++;
		}
		w = proc_of(m, ev->pid, ev->t_ns);
		if (w && w->doing.task == ev->a) {
			w->doing.what = DOING_RUN;
			w->doing.task = -1;
			w->doing.obj = -1;
			w->doing.since_ns = ev->t_ns;
		}
		break;
	case EV_CALLBACK:
		t = task_of(m, ev->a, ev->obj);
		t->callback_done = true;
		if (pl)
			pl->callbacks++;
		m->callbacks++;
		break;
	case EV_RESULT:
		t = task_of(m, ev->a, ev->obj);
		t->fetched = true;
		break;
	case EV_POOL:
		if (pl)
			pl->state = (int)ev->a;
		break;
	case EV_LOST:
		t = task_of(m, ev->a, ev->obj);
		t->state = TASK_LOST;
		t->end_ns = ev->t_ns;
		if (t->worker == 0)
			t->worker = (pid_t)ev->b;
		if (pl)
			pl->lost++;
		m->lost++;
		break;
	default:
		break;
	}
}

static void
apply_wait(struct model *m, const struct event *ev)
{
	struct model_doing *d = doing_of(m, ev);
	if (!d)
		return;
	if (ev->kind == EV_BLOCK) {
		d->what = DOING_BLOCKED;
		d->obj = ev->obj;
		d->op = (int)ev->a;
		d->peer = (pid_t)ev->b;
		d->since_ns = ev->t_ns;
	} else if (d->what == DOING_BLOCKED) {
		d->what = d->task >= 0 ? DOING_TASK : DOING_RUN;
		d->obj = -1;
		d->op = -1;
		d->peer = -1;
		d->since_ns = ev->t_ns;
	}
}

void
model_apply(struct model *m, const struct event *ev)
{
	if (m->t0_ns == 0)
		m->t0_ns = ev->t_ns;
	if (ev->t_ns > m->last_ns)
		m->last_ns = ev->t_ns;
	m->nevents++;

	switch (ev->kind) {
	case EV_SPAWN:
		apply_spawn(m, ev);
		break;
	case EV_EXIT:
		apply_exit(m, ev);
		break;
	case EV_REAP: {
		/* b = the child's exit code; a worker killed by a signal gets no
		 * EV_EXIT of its own, only this. */
		struct model_proc *c = model_proc_by_pid(m, (pid_t)ev->a);
		if (c && c->placeholder && c->ppid <= 0)
			c->ppid = ev->pid;     /* the reaper is the parent */
		if (c) {
			if (c->life == LIFE_RUNNING) {
				c->exit_code = (int)ev->b;
				c->exit_ns = ev->t_ns;
				c->doing.what = DOING_DONE;
				c->doing.since_ns = ev->t_ns;
				m->exited++;
			}
			c->life = LIFE_REAPED;
		}
		break;
	}
	case EV_THREAD_START:
	case EV_THREAD_END:
		apply_thread(m, ev, ev->kind == EV_THREAD_START);
		break;
	case EV_PUT: case EV_GET: case EV_SEND: case EV_RECV:
	case EV_PIPE_CLOSE: case EV_MGR_OP:
		apply_ipc(m, ev);
		break;
	case EV_BLOCK: case EV_UNBLOCK:
		apply_wait(m, ev);
		break;
	case EV_SUBMIT: case EV_TASK_START: case EV_TASK_END: case EV_CALLBACK:
	case EV_RESULT: case EV_POOL: case EV_LOST:
		apply_pool(m, ev);
		break;
	case EV_PRINT:
		m->prints++;
		break;
	case EV_ERROR:
		m->errors++;
		break;
	case EV_DEADLOCK:
	case EV_TIMEOUT:
		if (ev->kind == EV_DEADLOCK)
			m->deadlock = true;
		else
			m->timeout = true;
		free(m->reason);
		m->reason = xstrdup(ev->text ? ev->text : "");
		break;
	case EV_END:
		m->ended = true;
		m->end_status = (int)ev->a;
		break;
	default:
		break;
	}
	if (ev->pid > 0 && ev->kind != EV_SIGNAL && ev->kind != EV_DEADLOCK &&
	    ev->kind != EV_TIMEOUT && ev->kind != EV_END) {
		struct model_proc *p = model_proc_by_pid(m, ev->pid);
		if (p)
			p->nevents++;
	}
	model_log_add(m, ev);
}

void
model_apply_cb(void *ud, const struct event *ev)
{
	model_apply(ud, ev);
}

void
model_end(struct model *m, int64_t t_ns)
{
	for (int i = 0; i < m->nprocs; i++) {
		struct model_proc *p = &m->procs[i];
		if (p->life != LIFE_RUNNING)
			continue;
		p->life = LIFE_REAPED;
		p->stopped_at_end = true;
		p->exit_ns = t_ns;
		p->in_proc = false;
		for (int k = 0; k < p->nthreads; k++)
			if (!p->threads[k].ended) {
				p->threads[k].ended = true;
				p->threads[k].end_ns = t_ns;
			}
	}
}

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
				slot_set(pl, s, pid, p->spawn_ns);
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
