/*
 * The pool's three threads in the main process, as CPython's:
 * handle_tasks feeds the task pipe, handle_results delivers results and runs
 * callbacks, handle_workers reaps and replaces workers.
 *
 * Replacement workers are forked by handle_workers, and PR_SET_PDEATHSIG
 * fires when the *thread* that forked a child ends: so handle_workers stays
 * alive (idle) until join / terminate has joined every worker.
 */
#include "runtime/pool.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/pidfd.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "event/event.h"
#include "runtime/runtime_int.h"
#include "util/xmem.h"

#define WORKER_POLL_NS 100000000LL   /* real time, whatever the speed */

pid_t
pool_worker_spawn(struct pool *p, struct actor *parent, int slot)
{
	int n = atomic_fetch_add(&p->spool->workers_spawned, 1) + 1;
	char name[16];

	snprintf(name, sizeof name, "worker-%d", n);
	p->wargs[slot].p = p;
	p->wargs[slot].slot = slot;
	atomic_store(&p->spool->worker_task[slot], -1);
	pid_t pid = proc_spawn(parent, name, ROLE_WORKER, p->obj, n, pool_worker_main,
	    &p->wargs[slot]);
	atomic_store(&p->spool->worker_pid[slot], pid > 0 ? pid : 0);
	return pid;
}

/* ---- handle_tasks ---- */

/* Chunks per write: whole messages, at most PIPE_BUF bytes, so every write
 * is atomic and a worker never sees half a message. */
#define TASK_BATCH ((int)(PIPE_BUF / sizeof(struct pool_task_msg)))

/* Write 'n' chunks (n <= TASK_BATCH) in one write; false when the pool was
 * terminated meanwhile. */
static bool
task_write(struct pool *p, const struct pool_task_msg *m, int n)
{
	size_t len = (size_t)n * sizeof *m;

	for (;;) {
		ssize_t w = write(p->task_fds[1], m, len);
		if (w == (ssize_t)len)
			return true;
		if (w < 0 && errno != EAGAIN && errno != EINTR)
			return false;
		struct pollfd pf[2] = {
			{ .fd = p->task_fds[1], .events = POLLOUT },
			{ .fd = p->wake_fds[0], .events = POLLIN },
		};
		if (poll(pf, 2, -1) < 0 && errno != EINTR)
			return false;
		if (pf[1].revents & POLLIN) {
			pthread_mutex_lock(&p->mu);
			bool term = p->state == PS_TERMINATE;
			pthread_mutex_unlock(&p->mu);
			if (term)
				return false;
			char c;
			while (read(p->wake_fds[0], &c, 1) > 0)
				;
		}
	}
}

static int
handle_tasks(struct actor *self, void *ud)
{
	struct pool *p = ud;

	for (;;) {
		struct pool_task_msg m[TASK_BATCH];
		int n = 0;
		pthread_mutex_lock(&p->mu);
		while (p->qlen == 0 && !p->send_sentinels && p->state != PS_TERMINATE)
			pthread_cond_wait(&p->cv, &p->mu);
		if (p->state == PS_TERMINATE) {
			pthread_mutex_unlock(&p->mu);
			return 0;
		}
		/* every chunk queued so far, in order, in as few writes as can be */
		while (p->qlen > 0 && n < TASK_BATCH) {
			m[n++] = p->q[p->qhead++];
			if (--p->qlen == 0)
				p->qhead = 0;
		}
		pthread_mutex_unlock(&p->mu);
		if (n > 0) {
			if (!task_write(p, m, n))
				return 0;
			continue;
		}
		/* closed and every task done: one sentinel per worker */
		struct pool_task_msg stop = { .first_task = -1 };
		for (int s = 0; s < p->processes; s++)
			if (!task_write(p, &stop, 1))
				break;
		return 0;
	}
}

/* ---- handle_results ---- */

/* Run callback 'func' on the result-handler thread. False if it raised:
 * then, as in CPython, this thread delivers nothing any more. */
static bool
run_callback(struct pool *p, struct actor *self, int func, int64_t task,
    int64_t argv, const char *value, int kind)
{
	actor_emit(self, EV_CALLBACK, p->obj, task, argv, kind, value);
	actor_set_value(self, value);
	self->errtype[0] = '\0';
	self->errmsg[0] = '\0';
	enum step_rc rc = interp_run(self, func, argv);
	if (rc == STEP_RC_OK || rc == STEP_RC_RETURN)
		return true;
	if (rc == STEP_RC_EXIT)
		actor_error(self, "SystemExit", "%d", self->exit_code);
	char text[POOL_ERRTEXT_MAX];
	actor_error_text(self, text, sizeof text);
	fprintf(stderr, "Exception in thread handle_results:\n%s\n", text);
	actor_report_error(self, false);
	return false;
}

static void
deliver(struct pool *p, struct actor *self, const struct pool_res_msg *h, const char *text)
{
	pthread_mutex_lock(&p->mu);
	/* after terminate, as CPython's result handler, deliver nothing more */
	bool drop = p->rh_dead || p->state == PS_TERMINATE;
	struct pool_job *j = drop ? NULL : pool_find_job(p, h->task);
	if (!j || j->st[h->task - j->first_task] != RES_PENDING) {
		pthread_mutex_unlock(&p->mu);
		return;
	}
	int k = (int)(h->task - j->first_task);
	j->st[k] = (uint8_t)h->status;
	j->res[k] = h->status == RES_VALUE ? h->result : 0;
	if (h->status == RES_ERROR) {
		j->err[k] = xstrdup(text);
		if (j->first_err < 0)
			j->first_err = k;
		j->nfailed++;
	}
	j->arrival[j->nready++] = k;
	bool complete = j->nready == j->n;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);

	bool ok = true;
	char val[POOL_ERRTEXT_MAX];
	if (j->call == CALL_APPLY_ASYNC) {
		pool_item_text(j, k, val, sizeof val);
		if (h->status == RES_ERROR && j->error_callback >= 0)
			ok = run_callback(p, self, j->error_callback, h->task, 0, val, 1);
		else if (h->status != RES_ERROR && j->callback >= 0)
			ok = run_callback(p, self, j->callback, h->task, j->res[k], val, 0);
	} else if (j->call == CALL_MAP_ASYNC && complete) {
		if (j->nfailed > 0 && j->error_callback >= 0) {
			ok = run_callback(p, self, j->error_callback, j->first_task + j->first_err,
			    0, j->err[j->first_err], 1);
		} else if (j->nfailed == 0 && j->callback >= 0) {
			char *list = pool_list_text(j, NULL);
			ok = run_callback(p, self, j->callback, j->first_task, j->n, list, 2);
			free(list);
		}
	}
	pthread_mutex_lock(&p->mu);
	bool drained = false;
	if (ok) {
		/* as CPython's _set: callbacks first, then the result is ready */
		drained = --p->outstanding == 0;
		j->ndone++;
		j->ready[k] = 1;
	} else {
		p->rh_dead = true;
	}
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	if (drained)
		pool_wake_workers(p);
}

/* The result pipe has one reader, this thread: it reads as much as is
 * there (many results per read) and takes them one by one. */
struct res_reader {
	int fd;
	size_t off, len;
	char buf[64 * 1024];
};

/* Next 'n' bytes of the stream, waiting for them; NULL at end of file. */
static const char *
res_take(struct res_reader *rr, size_t n)
{
	while (rr->len - rr->off < n) {
		if (rr->off > 0) {
			memmove(rr->buf, rr->buf + rr->off, rr->len - rr->off);
			rr->len -= rr->off;
			rr->off = 0;
		}
		ssize_t r = read(rr->fd, rr->buf + rr->len, sizeof rr->buf - rr->len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return NULL;
		rr->len += (size_t)r;
	}
	const char *at = rr->buf + rr->off;
	rr->off += n;
	return at;
}

static int
handle_results(struct actor *self, void *ud)
{
	struct pool *p = ud;
	struct pool_res_msg h;
	char text[POOL_ERRTEXT_MAX];
	/* On this thread's stack, not the heap: a worker forked while this
	 * thread runs would hold a heap block nothing in it points to (a
	 * leak to valgrind in every worker). */
	struct res_reader rr_mem, *rr = &rr_mem;
	const char *at;

	rr->fd = p->res_fds[0];
	rr->off = rr->len = 0;
	while ((at = res_take(rr, sizeof h)) != NULL) {
		memcpy(&h, at, sizeof h);
		if (h.task < 0)
			break;
		if (h.textlen < 0 || (size_t)h.textlen >= sizeof text)
			break;   /* cannot happen: one atomic write per message */
		if (h.textlen > 0) {
			if (!(at = res_take(rr, (size_t)h.textlen)))
				break;
			memcpy(text, at, (size_t)h.textlen);
		}
		text[h.textlen] = '\0';
		deliver(p, self, &h, text);
	}
	return 0;
}

void
pool_threads_stop_results(struct pool *p)
{
	struct pool_res_msg stop = { .task = -1 };
	int rc;

	if (!p->threads_started)
		return;
	rc = pthread_mutex_lock(&p->sync->wlock);
	if (rc == EOWNERDEAD)
		pthread_mutex_consistent(&p->sync->wlock);
	(void)!write(p->res_fds[1], &stop, sizeof stop);
	pthread_mutex_unlock(&p->sync->wlock);
	pthread_join(p->th_result, NULL);
}

/* ---- handle_workers ---- */

void
pool_wake_workers(struct pool *p)
{
	(void)!write(p->wh_fds[1], "w", 1);
}

/* Sleep until a worker exits, the pool changes, or WORKER_POLL_NS passes
 * (CPython waits on its workers' sentinels; here, their pidfds). */
static void
wait_for_updates(struct pool *p)
{
	struct pollfd pf[SC_MAX_POOL + 1];
	int n = 0;

	pf[n++] = (struct pollfd){ .fd = p->wh_fds[0], .events = POLLIN };
	for (int s = 0; s < p->processes; s++) {
		pid_t pid = atomic_load(&p->spool->worker_pid[s]);
		if (pid > 0 && p->wh_pidfd_pid[s] != pid) {
			if (p->wh_pidfd[s] >= 0)
				close(p->wh_pidfd[s]);
			p->wh_pidfd[s] = pidfd_open(pid, 0);
			p->wh_pidfd_pid[s] = pid;
		}
		if (pid > 0 && p->wh_pidfd[s] >= 0)
			pf[n++] = (struct pollfd){ .fd = p->wh_pidfd[s], .events = POLLIN };
	}
	poll(pf, (nfds_t)n, (int)(WORKER_POLL_NS / 1000000));
	char buf[64];
	while (read(p->wh_fds[0], buf, sizeof buf) > 0)
		;
}

static void
close_pidfds(struct pool *p)
{
	for (int s = 0; s < p->processes; s++) {
		if (p->wh_pidfd[s] >= 0)
			close(p->wh_pidfd[s]);
		p->wh_pidfd[s] = -1;
		p->wh_pidfd_pid[s] = 0;
	}
}

static void
reap_worker(struct pool *p, struct actor *self, int slot, pid_t pid, int wst)
{
	int64_t task = atomic_load(&p->spool->worker_task[slot]);

	atomic_store(&p->spool->worker_pid[slot], 0);
	proc_report_reaped(self, p->obj, pid, wst);   /* EV_EXIT if killed, EV_REAP */
	if (task >= 0) {
		/* it died while running a task: CPython loses it silently */
		int sig = WIFSIGNALED(wst) ? WTERMSIG(wst) : 0;
		atomic_store(&p->spool->worker_task[slot], -1);
		atomic_fetch_add(&p->spool->lost, 1);
		atomic_fetch_sub(&p->spool->running, 1);
		char text[96];
		snprintf(text, sizeof text, "task %lld lost: worker %d %s %d", (long long)task,
		    (int)pid, sig ? "killed by signal" : "exited with code",
		    sig ? sig : proc_exit_code(wst));
		actor_emit(self, EV_LOST, p->obj, task, pid, sig, text);
	}
}

/* Reap exited workers; replace them while the pool still needs workers. */
static void
maintain(struct pool *p, struct actor *self, bool replace)
{
	for (int s = 0; s < p->processes; s++) {
		pid_t pid = atomic_load(&p->spool->worker_pid[s]);
		int wst;
		if (pid <= 0) {
			if (replace)
				pool_worker_spawn(p, self, s);
			continue;
		}
		if (waitpid(pid, &wst, WNOHANG) != pid)
			continue;
		reap_worker(p, self, s, pid, wst);
		if (replace)
			pool_worker_spawn(p, self, s);
	}
}

static int
handle_workers(struct actor *self, void *ud)
{
	struct pool *p = ud;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		if (p->state == PS_TERMINATE)
			break;
		if (p->state != PS_RUN && p->outstanding == 0)
			break;
		pthread_mutex_unlock(&p->mu);
		maintain(p, self, true);
		wait_for_updates(p);
		pthread_mutex_lock(&p->mu);
	}
	close_pidfds(p);
	p->wh_done = true;
	if (p->state != PS_TERMINATE)
		p->send_sentinels = true;
	pthread_cond_broadcast(&p->cv);
	while (!p->release_wh)
		pthread_cond_wait(&p->cv, &p->mu);
	pthread_mutex_unlock(&p->mu);
	return 0;
}

int
pool_threads_start(struct pool *p, struct actor *main_actor)
{
	if (thread_spawn(main_actor, "handle_workers", TROLE_WORKER_HANDLER, p->obj,
	    handle_workers, p, &p->th_worker) != 0)
		return -1;
	if (thread_spawn(main_actor, "handle_tasks", TROLE_TASK_HANDLER, p->obj,
	    handle_tasks, p, &p->th_task) != 0) {
		pthread_mutex_lock(&p->mu);
		p->state = PS_TERMINATE;
		p->release_wh = true;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
		pthread_join(p->th_worker, NULL);
		return -1;
	}
	if (thread_spawn(main_actor, "handle_results", TROLE_RESULT_HANDLER, p->obj,
	    handle_results, p, &p->th_result) != 0) {
		pthread_mutex_lock(&p->mu);
		p->state = PS_TERMINATE;
		p->release_wh = true;
		pthread_cond_broadcast(&p->cv);
		pthread_mutex_unlock(&p->mu);
		(void)!write(p->wake_fds[1], "t", 1);
		pthread_join(p->th_worker, NULL);
		pthread_join(p->th_task, NULL);
		return -1;
	}
	p->threads_started = true;
	return 0;
}
