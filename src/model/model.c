/* The observer's model: set-up, the pid index, lookups, tasks and slots. */
#include "model/model.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/model_int.h"
#include "util/xmem.h"

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
	free(m->stuck);
	free(m->marks);
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

/* ---- the scenario clock ---- */

void
model_clock_mark(struct model *m, int64_t real_ns, double speed)
{
	int64_t scen = model_scen(m, real_ns);
	if (m->nmarks == m->capmarks) {
		m->capmarks = m->capmarks ? m->capmarks * 2 : 16;
		m->marks = xreallocarray(m->marks, (size_t)m->capmarks,
		    sizeof(*m->marks));
	}
	m->marks[m->nmarks++] = (struct model_clock_mark){ real_ns, scen,
	    speed < 0 ? 0 : speed };
}

int64_t
model_scen(const struct model *m, int64_t real_ns)
{
	if (m->nmarks == 0 || real_ns < m->marks[0].real_ns)
		return real_ns - m->t0_ns;
	int k = m->nmarks - 1;
	while (k > 0 && m->marks[k].real_ns > real_ns)
		k--;
	const struct model_clock_mark *c = &m->marks[k];
	return c->scen_ns + (int64_t)((double)(real_ns - c->real_ns) * c->speed);
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

void
model_doing_init(struct model_doing *d, int64_t t)
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

struct model_proc *
model_proc_add(struct model *m, pid_t pid, int64_t t)
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
	model_doing_init(&p->doing, t);
	pid_index_put(m, pid, m->nprocs);
	m->nprocs++;
	return p;
}

/* The process an event comes from; made up when its spawn was not seen
 * (a trace that starts late, or the observer joining a run). */
struct model_proc *
model_proc_of(struct model *m, pid_t pid, int64_t t)
{
	struct model_proc *p = model_proc_by_pid(m, pid);
	if (!p && pid > 0) {
		p = model_proc_add(m, pid, t);
		p->placeholder = true;
		p->role = ROLE_PROCESS;
		snprintf(p->name, sizeof(p->name), "%d", (int)pid);
	}
	return p;
}

/* A placeholder made for an event of 'pid' about object 'obj': guess its
 * role and name from the object (a pool's worker, a process definition). */
struct model_proc *
model_proc_of_obj(struct model *m, pid_t pid, int obj, int64_t t)
{
	bool known = model_proc_by_pid(m, pid) != NULL;
	struct model_proc *p = model_proc_of(m, pid, t);
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

struct model_task *
model_task_of(struct model *m, int64_t id, int pool)
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

struct model_pool *
model_pool_of(struct model *m, int obj)
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

void
model_slot_set(struct model_pool *pl, int slot, pid_t pid, int64_t t)
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
