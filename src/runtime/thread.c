/* Scenario threads: real pthreads, each an actor with its own ring slot. */
#include "runtime/actor.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "runtime/runtime_int.h"
#include "util/futex.h"
#include "util/xmem.h"

struct thread_boot {
	struct shared *sh;
	const struct scenario *sc;
	bool in_pool_worker;
	char name[16];
	int role, obj;
	actor_body_fn body;
	void *ud;
	_Atomic uint32_t *done;   /* set to 1 (futex wake) after EV_THREAD_END */
};

static void *
thread_main(void *p)
{
	struct thread_boot b = *(struct thread_boot *)p;
	struct actor parent = { .in_pool_worker = b.in_pool_worker };
	struct actor self;

	free(p);
	actor_attach(&self, b.sh, b.sc, &parent, b.role, true, b.obj, b.name);
	if (b.role == TROLE_USER)
		atomic_fetch_sub(&b.sh->tstarting, 1);   /* counted as an actor now */
	actor_emit(&self, EV_THREAD_START, b.obj, b.role, 0, 0, b.name);
	b.body(&self, b.ud);
	actor_emit(&self, EV_THREAD_END, b.obj, b.role, 0, 0, NULL);
	actor_detach(&self);
	if (b.done) {
		atomic_store(b.done, 1);
		futex_wake_all(b.done);
	}
	return NULL;
}

int
thread_spawn(struct actor *parent, const char *name, int role, int obj,
    actor_body_fn body, void *ud, pthread_t *out)
{
	return thread_spawn_done(parent, name, role, obj, body, ud, out, NULL);
}

/* Would one more scenario thread exceed max_threads? Counts the live user
 * thread actors of the run and the starts in flight (the caller's own
 * included). The checker refuses scenarios that could; this is the
 * run-time guard. The runtime's own threads are not counted. */
static bool
thread_over_cap(struct shared *sh, const struct scenario *sc)
{
	int live = atomic_load(&sh->tstarting);

	for (int i = 0; i < sh->nactors && live <= sc->max_threads; i++) {
		const struct shared_actor *s = &sh->actors[i];
		int32_t st = atomic_load(&s->state);
		if (st != ACT_FREE && st != ACT_EXITED && atomic_load(&s->is_thread) &&
		    atomic_load(&s->role) == TROLE_USER)
			live++;
	}
	return live > sc->max_threads;
}

int
thread_spawn_done(struct actor *parent, const char *name, int role, int obj,
    actor_body_fn body, void *ud, pthread_t *out, _Atomic uint32_t *done)
{
	struct thread_boot *b;
	pthread_t th;
	int err;

	if (role == TROLE_USER) {
		atomic_fetch_add(&parent->sh->tstarting, 1);
		if (thread_over_cap(parent->sh, parent->sc)) {
			atomic_fetch_sub(&parent->sh->tstarting, 1);
			return EAGAIN;    /* RuntimeError: can't start new thread */
		}
	}
	b = xcalloc(1, sizeof(*b));

	b->sh = parent->sh;
	b->sc = parent->sc;
	b->in_pool_worker = parent->in_pool_worker;
	snprintf(b->name, sizeof(b->name), "%s", name ? name : "");
	b->role = role;
	b->obj = obj;
	b->body = body;
	b->ud = ud;
	b->done = done;
	err = pthread_create(&th, NULL, thread_main, b);
	if (err) {
		free(b);
		if (role == TROLE_USER)
			atomic_fetch_sub(&parent->sh->tstarting, 1);
		return err;
	}
	if (out)
		*out = th;
	return 0;
}
