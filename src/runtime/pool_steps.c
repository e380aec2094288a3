/*
 * Pool step executors: apply, apply_async, map family, wait, close, join,
 * terminate. A task's exception is re-raised where its result is fetched.
 */
#include "runtime/pool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "event/event.h"
#include "util/xmem.h"

static struct pool *
pool_of(struct actor *a, const struct sc_step *st)
{
	struct pool *p = pool_get(st->obj);

	if (!p) {
		actor_error(a, "ValueError", "Pool not running");
		return NULL;
	}
	if (p->owner != a->pid) {
		actor_error(a, "AssertionError", "a pool can only be used by the process that created it");
		return NULL;
	}
	return p;
}

/* CPython's Pool._map_async: chunksize, extra = divmod(n, 4 * processes). */
static int
default_chunksize(const struct pool *p, int n)
{
	int cs = n / (4 * p->processes);

	if (n % (4 * p->processes))
		cs++;
	return cs;
}

/* The worker running 'task', or -1 (for the wait-for chain). */
static pid_t
runner_of(struct pool *p, int64_t task)
{
	for (int s = 0; s < p->processes; s++)
		if (atomic_load(&p->spool->worker_task[s]) == task)
			return atomic_load(&p->spool->worker_pid[s]);
	return -1;
}

/* Wait until at least 'count' items of 'j' are ready (callbacks done);
 * with 'item' >= 0, until that item is. Blocks for real, with events. */
static void
wait_ready(struct pool *p, struct actor *a, struct pool_job *j, int count, int item)
{
	bool blocked = false;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		bool ready = item >= 0 ? j->ready[item] != 0 : j->ndone >= count;
		if (ready)
			break;
		if (!blocked) {
			pthread_mutex_unlock(&p->mu);
			int64_t t = item >= 0 ? j->first_task + item :
			    j->first_task + (count > 0 ? count - 1 : 0);
			actor_block(a, p->obj, WAIT_RESULT, runner_of(p, t), false);
			blocked = true;
			pthread_mutex_lock(&p->mu);
			continue;
		}
		pthread_cond_wait(&p->cv, &p->mu);
	}
	pthread_mutex_unlock(&p->mu);
	if (blocked)
		actor_unblock(a, p->obj, WAIT_RESULT, OUT_OK);
}

/* Item k of a ready job: EV_RESULT, {value}; its exception is raised here. */
static enum step_rc
fetch_item(struct pool *p, struct actor *a, struct pool_job *j, int k)
{
	char val[POOL_ERRTEXT_MAX];

	pool_item_text(j, k, val, sizeof val);
	if (j->st[k] == RES_ERROR) {
		actor_emit(a, EV_RESULT, p->obj, j->first_task + k, 0, 1, val);
		return pool_raise_text(a, val);
	}
	actor_emit(a, EV_RESULT, p->obj, j->first_task + k, j->res[k], 0, val);
	actor_set_value(a, val);
	return STEP_RC_OK;
}

/* A whole job, as AsyncResult.get(): wait, then its value or its error
 * (for a map, the first exception that arrived). */
static enum step_rc
fetch_job(struct pool *p, struct actor *a, struct pool_job *j)
{
	wait_ready(p, a, j, j->n, -1);
	if (j->call == CALL_APPLY || j->call == CALL_APPLY_ASYNC)
		return fetch_item(p, a, j, 0);
	if (j->nfailed > 0)
		return fetch_item(p, a, j, j->first_err);
	for (int k = 0; k < j->n; k++) {
		char val[32];
		pool_item_text(j, k, val, sizeof val);
		actor_emit(a, EV_RESULT, p->obj, j->first_task + k, j->res[k], 0, val);
	}
	char *list = pool_list_text(j, NULL);
	actor_set_value(a, list);
	free(list);
	return STEP_RC_OK;
}

/* Run an imap 'each' function in the caller, keeping the caller's frame. */
static enum step_rc
run_each(struct actor *a, int func, int64_t arg)
{
	int64_t sarg = a->arg, sloop = a->loop_i, sret = a->ret;
	bool shas = a->has_ret;
	enum step_rc rc = interp_run(a, func, arg);

	a->arg = sarg;
	a->loop_i = sloop;
	a->ret = sret;
	a->has_ret = shas;
	return rc == STEP_RC_RETURN ? STEP_RC_OK : rc;
}

enum step_rc
step_pool_apply(struct actor *a, const struct sc_step *st)
{
	struct pool *p = pool_of(a, st);
	if (!p)
		return STEP_RC_ERROR;
	struct pool_job *j = pool_submit(p, a, CALL_APPLY, st->func,
	    interp_eval(a, &st->expr), 1, 1, -1, -1);
	if (!j)
		return STEP_RC_ERROR;
	return fetch_job(p, a, j);
}

enum step_rc
step_pool_apply_async(struct actor *a, const struct sc_step *st)
{
	struct pool *p = pool_of(a, st);
	if (!p)
		return STEP_RC_ERROR;
	struct pool_job *j = pool_submit(p, a, CALL_APPLY_ASYNC, st->func,
	    interp_eval(a, &st->expr), 1, 1, st->callback, st->error_callback);
	return j ? STEP_RC_OK : STEP_RC_ERROR;
}

static enum step_rc
imap_fetch(struct pool *p, struct actor *a, struct pool_job *j, bool ordered, int each)
{
	for (int idx = 0; idx < j->n; idx++) {
		int k = idx;
		if (ordered) {
			wait_ready(p, a, j, 0, idx);
		} else {
			wait_ready(p, a, j, idx + 1, -1);
			pthread_mutex_lock(&p->mu);
			k = j->arrival[idx];
			pthread_mutex_unlock(&p->mu);
		}
		enum step_rc rc = fetch_item(p, a, j, k);
		if (rc != STEP_RC_OK)
			return rc;
		if (each >= 0) {
			rc = run_each(a, each, j->res[k]);
			if (rc != STEP_RC_OK)
				return rc;
		}
	}
	char *list = pool_list_text(j, ordered ? NULL : j->arrival);
	actor_set_value(a, list);
	free(list);
	return STEP_RC_OK;
}

/* map, map_async, imap, imap_unordered (by st->kind). For imap the 'each'
 * function is carried in st->callback. */
enum step_rc
step_pool_map(struct actor *a, const struct sc_step *st)
{
	struct pool *p = pool_of(a, st);
	if (!p)
		return STEP_RC_ERROR;
	int64_t n64 = st->hi >= st->lo ? st->hi - st->lo + 1 : 0;
	if (n64 > INT32_MAX / 2)
		return actor_error(a, "OverflowError", "map range too large");
	int n = (int)n64, call, cs = st->chunksize;
	bool is_map = st->kind == STEP_MAP || st->kind == STEP_MAP_ASYNC;

	switch (st->kind) {
	case STEP_MAP: call = CALL_MAP; break;
	case STEP_MAP_ASYNC: call = CALL_MAP_ASYNC; break;
	case STEP_IMAP: call = CALL_IMAP; break;
	default: call = CALL_IMAP_UNORDERED; break;
	}
	if (cs <= 0)
		cs = is_map ? default_chunksize(p, n) : 1;
	struct pool_job *j = pool_submit(p, a, call, st->func, st->lo, n, cs,
	    call == CALL_MAP_ASYNC ? st->callback : -1,
	    call == CALL_MAP_ASYNC ? st->error_callback : -1);
	if (!j)
		return STEP_RC_ERROR;
	switch (call) {
	case CALL_MAP_ASYNC: return STEP_RC_OK;
	case CALL_MAP: return fetch_job(p, a, j);
	case CALL_IMAP: return imap_fetch(p, a, j, true, st->callback);
	default: return imap_fetch(p, a, j, false, st->callback);
	}
}

/* get() every async result submitted so far, in submission order. */
enum step_rc
step_pool_wait(struct actor *a, const struct sc_step *st)
{
	struct pool *p = pool_of(a, st);
	if (!p)
		return STEP_RC_ERROR;
	pthread_mutex_lock(&p->mu);
	size_t count = p->njobs, i = p->nfetched;
	pthread_mutex_unlock(&p->mu);
	for (; i < count; i++) {
		pthread_mutex_lock(&p->mu);
		struct pool_job *j = p->jobs[i];
		bool was = j->fetched;
		j->fetched = true;
		while (p->nfetched < p->njobs && p->jobs[p->nfetched]->fetched)
			p->nfetched++;
		pthread_mutex_unlock(&p->mu);
		if (was)
			continue;
		enum step_rc rc = fetch_job(p, a, j);
		if (rc != STEP_RC_OK)
			return rc;
	}
	return STEP_RC_OK;
}

enum step_rc
step_pool_close(struct actor *a, const struct sc_step *st)
{
	struct pool *p = pool_of(a, st);
	if (!p)
		return STEP_RC_ERROR;
	pthread_mutex_lock(&p->mu);
	bool changed = p->state == PS_RUN;
	if (changed)
		p->state = PS_CLOSE;
	pthread_cond_broadcast(&p->cv);
	pthread_mutex_unlock(&p->mu);
	if (changed) {
		pool_wake_workers(p);
		atomic_store(&p->spool->state, POOL_CLOSE);
		actor_emit(a, EV_POOL, p->obj, POOL_CLOSE, 0, 0, NULL);
	}
	return STEP_RC_OK;
}

/* After close: wait for every task, the handlers and the workers (exit 0).
 * With a task lost, this waits forever, as CPython does. */
enum step_rc
step_pool_join(struct actor *a, const struct sc_step *st)
{
	struct pool *p = pool_of(a, st);
	if (!p)
		return STEP_RC_ERROR;
	pthread_mutex_lock(&p->mu);
	int state = p->state;
	pthread_mutex_unlock(&p->mu);
	if (state == PS_RUN)
		return actor_error(a, "ValueError", "Pool is still running");
	pthread_mutex_lock(&p->join_mu);
	pthread_mutex_lock(&p->mu);
	if (p->joined) {
		pthread_mutex_unlock(&p->mu);
		pthread_mutex_unlock(&p->join_mu);
		return STEP_RC_OK;
	}
	bool blocked = false;
	while (p->threads_started && !p->wh_done) {
		if (!blocked) {
			pthread_mutex_unlock(&p->mu);
			actor_block(a, p->obj, WAIT_JOIN, -1, false);
			blocked = true;
			pthread_mutex_lock(&p->mu);
			continue;
		}
		pthread_cond_wait(&p->cv, &p->mu);
	}
	pthread_mutex_unlock(&p->mu);
	if (p->threads_started)
		pthread_join(p->th_task, NULL);
	if (blocked)
		actor_unblock(a, p->obj, WAIT_JOIN, OUT_OK);
	pool_finish(p, a);
	pthread_mutex_unlock(&p->join_mu);
	if (state != PS_TERMINATE) {
		atomic_store(&p->spool->state, POOL_JOIN);
		actor_emit(a, EV_POOL, p->obj, POOL_JOIN, 0, 0, NULL);
	}
	return STEP_RC_OK;
}

enum step_rc
step_pool_terminate(struct actor *a, const struct sc_step *st)
{
	struct pool *p = pool_of(a, st);
	if (!p)
		return STEP_RC_ERROR;
	pool_do_terminate(p, a);
	return STEP_RC_OK;
}
