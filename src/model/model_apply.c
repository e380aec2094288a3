/* Applying events to the model, in order. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"
#include "model/model_int.h"
#include "util/xmem.h"

static struct model_doing *
doing_of(struct model *m, const struct event *ev)
{
	struct model_proc *p = model_proc_of(m, ev->pid, ev->t_ns);
	if (!p)
		return NULL;
	if (ev->tid > 0 && ev->tid != ev->pid) {
		for (int k = p->nthreads - 1; k >= 0; k--)
			if (p->threads[k].tid == ev->tid)
				return &p->threads[k].doing;
	}
	return &p->doing;
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
		p = model_proc_add(m, ev->pid, ev->t_ns);
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
	struct model_proc *p = model_proc_of_obj(m, ev->pid, ev->obj, ev->t_ns);
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
	struct model_proc *p = model_proc_of(m, ev->pid, ev->t_ns);
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
	model_doing_init(&t->doing, ev->t_ns);
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
	struct model_pool *pl = model_pool_of(m, ev->obj);
	struct model_task *t;
	struct model_proc *w;

	switch (ev->kind) {
	case EV_SUBMIT:
		t = model_task_of(m, ev->a, ev->obj);
		t->arg = ev->b;
		t->call = (int)ev->c;
		t->submit_ns = ev->t_ns;
		if (pl)
			pl->submitted++;
		break;
	case EV_TASK_START:
		t = model_task_of(m, ev->a, ev->obj);
		t->arg = ev->b;
		t->slot = (int)ev->c;
		t->worker = ev->pid;
		t->state = TASK_RUNNING;
		t->start_ns = ev->t_ns;
		if (pl) {
			pl->started++;
			model_slot_set(pl, (int)ev->c, ev->pid, ev->t_ns);
		}
		w = model_proc_of(m, ev->pid, ev->t_ns);
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
		t = model_task_of(m, ev->a, ev->obj);
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
		w = model_proc_of(m, ev->pid, ev->t_ns);
		if (w && w->doing.task == ev->a) {
			w->doing.what = DOING_RUN;
			w->doing.task = -1;
			w->doing.obj = -1;
			w->doing.since_ns = ev->t_ns;
		}
		break;
	case EV_CALLBACK:
		t = model_task_of(m, ev->a, ev->obj);
		t->callback_done = true;
		if (pl)
			pl->callbacks++;
		m->callbacks++;
		break;
	case EV_RESULT:
		t = model_task_of(m, ev->a, ev->obj);
		t->fetched = true;
		break;
	case EV_POOL:
		if (pl)
			pl->state = (int)ev->a;
		break;
	case EV_LOST:
		t = model_task_of(m, ev->a, ev->obj);
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
		if (ev->kind == EV_DEADLOCK && ev->a == 1) {
			/* A group stuck for good; the run goes on. */
			free(m->stuck);
			m->stuck = xstrdup(ev->text ? ev->text : "");
			break;
		}
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
