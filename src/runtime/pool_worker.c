/*
 * A pool worker process (CPython's multiprocessing.pool.worker): take the
 * next chunk from the one shared task pipe, run its items serially, send
 * their results back together, repeat; exit on the sentinel or after
 * maxtasksperchild chunks.
 */
#include "runtime/pool.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "event/event.h"
#include "runtime/runtime_int.h"
#include "util/xmem.h"

static void
lock_robust(pthread_mutex_t *m)
{
	if (pthread_mutex_lock(m) == EOWNERDEAD)
		pthread_mutex_consistent(m);   /* a worker was killed holding it */
}

/* Next chunk. Whoever holds the read lock reads; the others wait for it.
 * Usually the lock is free and a chunk is there: one read, no poll. */
static bool
take_task(struct pool *p, struct actor *self, struct pool_task_msg *m)
{
	int fd = p->task_fds[0];
	int tr = pthread_mutex_trylock(&p->sync->rlock);
	bool locked = tr == 0 || tr == EOWNERDEAD, blocked, ok;
	ssize_t r = 0;

	if (locked) {
		if (tr == EOWNERDEAD)
			pthread_mutex_consistent(&p->sync->rlock);   /* its holder was killed */
		do
			r = read(fd, m, sizeof *m);
		while (r < 0 && errno == EINTR);
		if (r == (ssize_t)sizeof *m || r == 0 || (r < 0 && errno != EAGAIN)) {
			pthread_mutex_unlock(&p->sync->rlock);
			return r == (ssize_t)sizeof *m;   /* else the pool is gone */
		}
		blocked = r < 0;
		if (r < 0)
			r = 0;
	} else {
		struct pollfd pf = { .fd = fd, .events = POLLIN };
		blocked = poll(&pf, 1, 0) == 0;
	}
	if (blocked)
		actor_block(self, p->obj, WAIT_TASK, -1, false);
	if (!locked)
		lock_robust(&p->sync->rlock);
	size_t want = sizeof *m - (size_t)r;
	ok = io_read_full(fd, (char *)m + r, want) == (ssize_t)want;
	pthread_mutex_unlock(&p->sync->rlock);
	if (blocked)
		actor_unblock(self, p->obj, WAIT_TASK, ok ? OUT_OK : OUT_ERROR);
	return ok;
}

struct item_result {
	struct pool_res_msg h;
	char *text;           /* error text (owned) or NULL */
};

/* Run item 'task' (argument 'arg'); false if the worker must exit
 * ('exit' step in the task: the task is lost, as with sys.exit in CPython). */
static bool
run_item(struct pool *p, struct actor *self, int slot, int func, int64_t task,
    int64_t arg, struct item_result *out)
{
	atomic_store(&p->spool->worker_task[slot], task);
	atomic_store(&p->sh->actors[self->slot].task, task);
	atomic_fetch_sub(&p->spool->pending, 1);
	atomic_fetch_add(&p->spool->running, 1);
	atomic_fetch_add(&p->spool->started, 1);
	actor_emit(self, EV_TASK_START, p->obj, task, arg, slot, NULL);

	actor_set_value(self, NULL);
	self->has_ret = false;
	self->ret = 0;
	self->errtype[0] = '\0';
	self->errmsg[0] = '\0';
	enum step_rc rc = interp_run(self, func, arg);
	if (rc == STEP_RC_EXIT)
		return false;
	memset(&out->h, 0, sizeof out->h);
	out->h.task = task;
	if (rc == STEP_RC_ERROR) {
		char text[POOL_ERRTEXT_MAX];
		out->h.status = RES_ERROR;
		snprintf(text, sizeof text, "%s%s%s", self->errtype,
		    self->errmsg[0] ? ": " : "", self->errmsg);
		out->text = xstrdup(text);
		out->h.textlen = (int32_t)strlen(out->text);
		atomic_fetch_add(&p->spool->failed, 1);
		actor_emit(self, EV_TASK_END, p->obj, task, 0, 1, out->text);
	} else {
		out->h.status = self->has_ret ? RES_VALUE : RES_NONE;
		out->h.result = self->has_ret ? self->ret : 0;
		atomic_fetch_add(&p->spool->done, 1);
		actor_emit(self, EV_TASK_END, p->obj, task, out->h.result, 0, NULL);
	}
	atomic_fetch_sub(&p->spool->running, 1);
	self->errtype[0] = '\0';
	self->errmsg[0] = '\0';
	return true;
}

/* The chunk's results, one atomic write each, under the write lock. */
static void
send_results(struct pool *p, const struct item_result *r, int n)
{
	char buf[sizeof(struct pool_res_msg) + POOL_ERRTEXT_MAX];

	lock_robust(&p->sync->wlock);
	for (int k = 0; k < n; k++) {
		size_t len = sizeof r[k].h + (size_t)r[k].h.textlen;
		memcpy(buf, &r[k].h, sizeof r[k].h);
		if (r[k].h.textlen > 0)
			memcpy(buf + sizeof r[k].h, r[k].text, (size_t)r[k].h.textlen);
		ssize_t w;
		do
			w = write(p->res_fds[1], buf, len);
		while (w < 0 && errno == EINTR);
	}
	pthread_mutex_unlock(&p->sync->wlock);
}

int
pool_worker_main(struct actor *self, void *ud)
{
	struct pool_worker_arg *wa = ud;
	struct pool *p = wa->p;
	int slot = wa->slot, chunks = 0;

	self->in_pool_worker = true;
	/* as CPython's worker: close the ends that are not ours */
	close(p->task_fds[1]);
	close(p->res_fds[0]);
	close(p->wake_fds[0]);
	close(p->wake_fds[1]);
	close(p->wh_fds[0]);
	close(p->wh_fds[1]);
	for (;;) {
		struct pool_task_msg m;
		if (!take_task(p, self, &m))
			return 0;            /* the pool is gone */
		if (m.first_task < 0)
			return 0;            /* sentinel: close + join */
		struct item_result *r = xcalloc((size_t)m.n, sizeof *r);
		for (int k = 0; k < m.n; k++)
			if (!run_item(p, self, slot, m.func, m.first_task + k, m.arg0 + k, &r[k]))
				return self->exit_code;   /* the chunk is lost */
		send_results(p, r, m.n);
		for (int k = 0; k < m.n; k++)
			free(r[k].text);
		free(r);
		atomic_store(&p->spool->worker_task[slot], -1);
		atomic_store(&p->sh->actors[self->slot].task, -1);
		if (p->maxtasks > 0 && ++chunks >= p->maxtasks)
			return 0;
	}
}
