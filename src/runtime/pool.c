/* Pool objects in the main process: creation, submission, jobs, states. */
#include "runtime/pool.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "event/event.h"
#include "util/xmem.h"

static struct pool **pools;   /* [npools_objs], by scenario object index */
static int npools_objs;

struct pool *
pool_get(int obj)
{
	if (obj < 0 || obj >= npools_objs)
		return NULL;
	return pools[obj];
}

static int
sync_init(struct pool *p)
{
	pthread_mutexattr_t ma;

	p->sync = mmap(NULL, sizeof *p->sync, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p->sync == MAP_FAILED) {
		p->sync = NULL;
		return -1;
	}
	pthread_mutexattr_init(&ma);
	pthread_mutexattr_setpshared(&ma, PTHREAD_PROCESS_SHARED);
	pthread_mutexattr_setrobust(&ma, PTHREAD_MUTEX_ROBUST);
	pthread_mutex_init(&p->sync->rlock, &ma);
	pthread_mutex_init(&p->sync->wlock, &ma);
	pthread_mutexattr_destroy(&ma);
	return 0;
}

static int
channels_init(struct pool *p)
{
	if (pipe(p->task_fds) < 0)
		return -1;
	if (pipe(p->res_fds) < 0)
		return -1;
	if (pipe2(p->wake_fds, O_NONBLOCK) < 0)
		return -1;
	if (pipe2(p->wh_fds, O_NONBLOCK) < 0)
		return -1;
	/* the task handler never blocks in write(): it polls, so terminate
	 * can stop it even when no worker reads */
	int fl = fcntl(p->task_fds[1], F_GETFL);
	if (fl < 0 || fcntl(p->task_fds[1], F_SETFL, fl | O_NONBLOCK) < 0)
		return -1;
	/* workers read it without polling first; they poll when it is empty */
	fl = fcntl(p->task_fds[0], F_GETFL);
	if (fl < 0 || fcntl(p->task_fds[0], F_SETFL, fl | O_NONBLOCK) < 0)
		return -1;
	return 0;
}

static struct pool *
pool_create(struct actor *m, int obj)
{
	const struct sc_pool *def = &m->sc->objs[obj].u.pool;
	struct pool *p = xcalloc(1, sizeof *p);
	pthread_condattr_t ca;

	p->obj = obj;
	p->processes = def->processes > 0 ? def->processes : 1;
	if (p->processes > SC_MAX_POOL)
		p->processes = SC_MAX_POOL;
	p->maxtasks = def->maxtasksperchild;
	p->sh = m->sh;
	p->spool = &m->sh->objs[obj].pool;
	p->owner = getpid();
	p->main_actor = m;
	pthread_mutex_init(&p->mu, NULL);
	pthread_mutex_init(&p->join_mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&p->cv, &ca);
	pthread_condattr_destroy(&ca);
	p->task_fds[0] = p->task_fds[1] = -1;
	p->res_fds[0] = p->res_fds[1] = -1;
	p->wake_fds[0] = p->wake_fds[1] = -1;
	p->wh_fds[0] = p->wh_fds[1] = -1;
	for (int s = 0; s < SC_MAX_POOL; s++)
		p->wh_pidfd[s] = -1;
	if (channels_init(p) < 0 || sync_init(p) < 0) {
		actor_emit(m, EV_ERROR, obj, 1, 0, 0, "OSError: cannot create the pool's pipes");
		return NULL;
	}
	atomic_store(&p->spool->state, POOL_CREATE);
	for (int s = 0; s < p->processes; s++)
		pool_worker_spawn(p, m, s);
	if (pool_threads_start(p, m) < 0) {
		actor_emit(m, EV_ERROR, obj, 1, 0, 0, "RuntimeError: cannot start the pool's threads");
		/* workers are still joined by pool_do_terminate */
	}
	actor_emit(m, EV_POOL, obj, POOL_CREATE, p->processes, 0, NULL);
	return p;
}

void
pool_startup(struct actor *main_actor)
{
	const struct scenario *sc = main_actor->sc;

	npools_objs = sc->nobjs;
	pools = xcalloc((size_t)(sc->nobjs > 0 ? sc->nobjs : 1), sizeof *pools);
	for (int i = 0; i < sc->nobjs; i++)
		if (sc->objs[i].kind == SC_POOL)
			pools[i] = pool_create(main_actor, i);
}

void
pool_shutdown(struct actor *main_actor)
{
	for (int i = 0; i < npools_objs; i++)
		if (pools[i] && pools[i]->owner == getpid())
			pool_do_terminate(pools[i], main_actor);
}

/* ---- submission and jobs ---- */

static void
queue_push(struct pool *p, const struct pool_task_msg *m)
{
	if (p->qhead + p->qlen == p->qcap) {
		/* reuse the room of chunks handed out only when it is at least
		 * as large as what must move: amortised O(1) per chunk */
		if (p->qhead > 0 && p->qhead >= p->qlen) {
			memmove(p->q, p->q + p->qhead, p->qlen * sizeof *p->q);
			p->qhead = 0;
		}
		if (p->qhead + p->qlen == p->qcap) {
			p->qcap = p->qcap ? 2 * p->qcap : 64;
			p->q = xreallocarray(p->q, p->qcap, sizeof *p->q);
		}
	}
	p->q[p->qhead + p->qlen++] = *m;
}

/* A job and its per-item arrays in one zeroed block (one allocation per
 * apply_async, not six). */
static struct pool_job *
job_new(int call, int64_t first, int n, int cb, int ecb)
{
	size_t cnt = n > 0 ? (size_t)n : 1;
	size_t o_res = sizeof(struct pool_job);
	size_t o_err = o_res + cnt * sizeof(int64_t);
	size_t o_arr = o_err + cnt * sizeof(char *);
	size_t o_st = o_arr + cnt * sizeof(int);
	size_t o_ready = o_st + cnt;
	char *mem = xcalloc(1, o_ready + cnt);
	struct pool_job *j = (struct pool_job *)(void *)mem;

	j->call = call;
	j->first_task = first;
	j->n = n;
	j->callback = cb;
	j->error_callback = ecb;
	j->first_err = -1;
	j->res = (int64_t *)(void *)(mem + o_res);
	j->err = (char **)(void *)(mem + o_err);
	j->arrival = (int *)(void *)(mem + o_arr);
	j->st = (uint8_t *)(mem + o_st);
	j->ready = (uint8_t *)(mem + o_ready);
	return j;
}

struct pool_job *
pool_submit(struct pool *p, struct actor *a, int call, int func, int64_t lo,
    int n, int chunksize, int callback, int error_callback)
{
	struct pool_job *j;

	if (p->owner != a->pid) {
		actor_error(a, "AssertionError", "a pool can only be used by the process that created it");
		return NULL;
	}
	if (chunksize < 1)
		chunksize = 1;
	pthread_mutex_lock(&p->mu);
	if (p->state != PS_RUN) {
		pthread_mutex_unlock(&p->mu);
		actor_error(a, "ValueError", "Pool not running");
		return NULL;
	}
	int64_t first = atomic_fetch_add(&p->sh->next_task_id, n > 0 ? n : 0);
	j = job_new(call, first, n, callback, error_callback);
	if (call != CALL_APPLY_ASYNC && call != CALL_MAP_ASYNC)
		j->fetched = true;   /* its caller fetches it, 'wait' skips it */
	if (p->njobs == p->jcap) {
		p->jcap = p->jcap ? 2 * p->jcap : 64;
		p->jobs = xreallocarray(p->jobs, p->jcap, sizeof *p->jobs);
	}
	p->jobs[p->njobs++] = j;
	/* events first, so a task never starts before its submit */
	for (int k = 0; k < n; k++)
		actor_emit(a, EV_SUBMIT, p->obj, first + k, lo + k, call, NULL);
	for (int k = 0; k < n; k += chunksize) {
		struct pool_task_msg m = {
			.first_task = first + k, .arg0 = lo + k, .func = func,
			.n = n - k < chunksize ? n - k : chunksize,
		};
		queue_push(p, &m);
	}
	p->outstanding += n;
	atomic_fetch_add(&p->spool->submitted, n);
	atomic_fetch_add(&p->spool->pending, n);
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	return j;
}

struct pool_job *
pool_find_job(struct pool *p, int64_t task)
{
	size_t lo = 0, hi = p->njobs;

	/* the last job whose first task is <= task */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (p->jobs[mid]->first_task <= task)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	struct pool_job *j = p->jobs[lo - 1];
	if (task >= j->first_task + j->n)
		return NULL;
	return j;
}

void
pool_item_text(const struct pool_job *j, int k, char *buf, size_t size)
{
	if (j->st[k] == RES_VALUE)
		snprintf(buf, size, "%lld", (long long)j->res[k]);
	else if (j->st[k] == RES_ERROR && j->err[k])
		snprintf(buf, size, "%s", j->err[k]);
	else
		snprintf(buf, size, "None");
}

char *
pool_list_text(const struct pool_job *j, const int *order)
{
	size_t cap = 64 + (size_t)j->n * 8, len = 0;
	char *s = xmalloc(cap);

	s[len++] = '[';
	for (int i = 0; i < j->n; i++) {
		char item[32];
		int k = order ? order[i] : i;
		if (j->st[k] == RES_VALUE)
			snprintf(item, sizeof item, "%lld", (long long)j->res[k]);
		else
			snprintf(item, sizeof item, "None");
		size_t il = strlen(item);
		if (len + il + 4 > cap) {
			cap = 2 * cap + il;
			s = xrealloc(s, cap);
		}
		if (i > 0) {
			s[len++] = ',';
			s[len++] = ' ';
		}
		memcpy(s + len, item, il);
		len += il;
	}
	s[len++] = ']';
	s[len] = '\0';
	return s;
}

enum step_rc
pool_raise_text(struct actor *a, const char *text)
{
	char type[ACTOR_ERRTYPE_MAX];
	const char *sep = strstr(text, ": ");
	size_t tl = sep ? (size_t)(sep - text) : strlen(text);

	if (tl >= sizeof type)
		tl = sizeof type - 1;
	memcpy(type, text, tl);
	type[tl] = '\0';
	return actor_error(a, type, "%s", sep ? sep + 2 : "");
}

/* ---- terminate ---- */

/* Join every worker still in a slot (main's zombies become reaped). */
static void
join_workers(struct pool *p, struct actor *a)
{
	for (int s = 0; s < p->processes; s++) {
		pid_t pid = atomic_load(&p->spool->worker_pid[s]);
		if (pid > 0) {
			proc_join(a, p->obj, pid, -1);
			atomic_store(&p->spool->worker_pid[s], 0);
		}
	}
}

void
pool_finish(struct pool *p, struct actor *a)
{
	join_workers(p, a);
	pool_threads_stop_results(p);
	pthread_mutex_lock(&p->mu);
	p->release_wh = true;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	if (p->threads_started)
		pthread_join(p->th_worker, NULL);
	pthread_mutex_lock(&p->mu);
	p->joined = true;
	pthread_mutex_unlock(&p->mu);
}

void
pool_do_terminate(struct pool *p, struct actor *a)
{
	pthread_mutex_lock(&p->join_mu);
	pthread_mutex_lock(&p->mu);
	if (p->joined) {
		pthread_mutex_unlock(&p->mu);
		pthread_mutex_unlock(&p->join_mu);
		return;
	}
	bool was = p->state == PS_TERMINATE;
	p->state = PS_TERMINATE;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	atomic_store(&p->spool->state, POOL_TERMINATE);
	if (!was)
		actor_emit(a, EV_POOL, p->obj, POOL_TERMINATE, 0, 0, NULL);
	(void)!write(p->wake_fds[1], "t", 1);
	pool_wake_workers(p);
	/* the worker handler stops replacing workers, the task handler stops
	 * feeding; then every live worker gets SIGTERM (exit code -15) */
	pthread_mutex_lock(&p->mu);
	while (p->threads_started && !p->wh_done)
		pthread_cond_wait(&p->cv, &p->mu);
	pthread_mutex_unlock(&p->mu);
	if (p->threads_started)
		pthread_join(p->th_task, NULL);
	for (int s = 0; s < p->processes; s++) {
		pid_t pid = atomic_load(&p->spool->worker_pid[s]);
		if (pid > 0)
			kill(pid, SIGTERM);
	}
	pool_finish(p, a);
	/* the killed tasks never end and the queued ones never start */
	atomic_store(&p->spool->running, 0);
	atomic_store(&p->spool->pending, 0);
	pthread_mutex_unlock(&p->join_mu);
}
