/* Scenario threads: real pthreads, each an actor with its own ring slot. */
#include "runtime/actor.h"

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

int
thread_spawn_done(struct actor *parent, const char *name, int role, int obj,
    actor_body_fn body, void *ud, pthread_t *out, _Atomic uint32_t *done)
{
	struct thread_boot *b = xcalloc(1, sizeof(*b));
	pthread_t th;
	int err;

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
		return err;
	}
	if (out)
		*out = th;
	return 0;
}
