/* start / join of [thread] definitions, with CPython's errors; at the end
 * of a process every thread it started is joined (threading._shutdown). */
#include "runtime/actor.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime/runtime_int.h"
#include "util/futex.h"
#include "util/xmem.h"

struct thread_def {
	bool started, joining, joined;
	pid_t owner;                  /* process that started it */
	pthread_t th;
	_Atomic uint32_t running;     /* futex: 1 once it has started */
	_Atomic uint32_t done;        /* futex: 1 once it has emitted its end */
	_Atomic int32_t tid;
};

struct thread_body {
	struct thread_def *d;
	int func;
	int64_t arg;
};

static struct thread_def *tdefs;  /* [sc->nobjs], made on first use */
static pthread_mutex_t tdefs_lock = PTHREAD_MUTEX_INITIALIZER;

static struct thread_def *
tdef_of(struct actor *a, int obj)
{
	if (!tdefs)
		tdefs = xcalloc((size_t)a->sc->nobjs, sizeof(*tdefs));
	return &tdefs[obj];
}

void
thread_after_fork(void)
{
	pthread_mutex_init(&tdefs_lock, NULL);
}

static int
thread_body_run(struct actor *self, void *ud)
{
	struct thread_body b = *(struct thread_body *)ud;

	free(ud);
	atomic_store(&b.d->tid, self->tid);
	atomic_store(&b.d->running, 1);
	futex_wake_all(&b.d->running);
	interp_body(self, b.func, b.arg);   /* exit / errors end the thread only */
	return 0;
}

enum step_rc
step_thread_start(struct actor *a, const struct sc_step *st)
{
	const struct sc_thread *t = &a->sc->objs[st->obj].u.thr;
	struct thread_def *d;
	int err;

	pthread_mutex_lock(&tdefs_lock);
	d = tdef_of(a, st->obj);
	if (d->started) {
		pthread_mutex_unlock(&tdefs_lock);
		return actor_error(a, "RuntimeError", "threads can only be started once");
	}
	struct thread_body *b = xmalloc(sizeof(*b));
	b->d = d;
	b->func = t->func;
	b->arg = interp_eval(a, &t->arg);
	d->started = true;
	d->owner = getpid();
	atomic_store(&d->running, 0);
	atomic_store(&d->done, 0);
	atomic_store(&d->tid, 0);
	err = thread_spawn_done(a, a->sc->objs[st->obj].name, TROLE_USER, st->obj,
	    thread_body_run, b, &d->th, &d->done);
	if (err) {
		d->started = false;
		free(b);
	}
	pthread_mutex_unlock(&tdefs_lock);
	if (err)
		return actor_error(a, "RuntimeError", "can't start new thread");
	/* CPython's Thread.start() waits until the thread runs. */
	while (!atomic_load(&d->running))
		futex_wait(&d->running, 0, -1);
	return STEP_RC_OK;
}

/* Wait for 'd' to end (deadline in scenario time, -1: none) and reap it.
 * Returns false on timeout. */
static bool
join_def(struct actor *a, int obj, struct thread_def *d, int64_t deadline)
{
	if (!atomic_load(&d->done)) {
		actor_block(a, obj, WAIT_JOIN, atomic_load(&d->tid), deadline >= 0);
		for (;;) {
			if (atomic_load(&d->done))
				break;
			int64_t slice = actor_wait_slice(a, deadline);
			if (slice == 0) {
				actor_unblock(a, obj, WAIT_JOIN, OUT_TIMEOUT);
				return false;
			}
			futex_wait(&d->done, 0, slice);
		}
		actor_unblock(a, obj, WAIT_JOIN, OUT_OK);
	}
	pthread_mutex_lock(&tdefs_lock);
	bool mine = !d->joining && !d->joined;
	d->joining = true;
	pthread_mutex_unlock(&tdefs_lock);
	if (mine) {
		pthread_join(d->th, NULL);
		pthread_mutex_lock(&tdefs_lock);
		d->joined = true;
		pthread_mutex_unlock(&tdefs_lock);
	}
	return true;
}

enum step_rc
step_thread_join(struct actor *a, const struct sc_step *st)
{
	struct thread_def *d;

	pthread_mutex_lock(&tdefs_lock);
	d = tdef_of(a, st->obj);
	bool started = d->started, here = d->owner == getpid();
	pthread_mutex_unlock(&tdefs_lock);
	if (!started)
		return actor_error(a, "RuntimeError", "cannot join thread before it is started");
	if (!here)
		return STEP_RC_OK;        /* started by our parent: stopped after fork */
	if (atomic_load(&d->tid) == a->tid)
		return actor_error(a, "RuntimeError", "cannot join current thread");
	join_def(a, st->obj, d, actor_deadline(a, st->timeout_ns));
	return STEP_RC_OK;
}

void
thread_join_all(struct actor *a)
{
	pid_t me = getpid();

	if (!tdefs)
		return;
	for (int o = 0; o < a->sc->nobjs; o++) {
		struct thread_def *d = &tdefs[o];
		pthread_mutex_lock(&tdefs_lock);
		bool want = d->started && d->owner == me && !d->joined;
		pthread_mutex_unlock(&tdefs_lock);
		if (want)
			join_def(a, o, d, -1);
	}
}
