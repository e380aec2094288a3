/* Actors: events, shared state and pending errors of one process or thread. */
#include "runtime/actor.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "runtime/clock.h"
#include "runtime/runtime_int.h"
#include "util/futex.h"
#include "util/xmem.h"

static struct shared_actor *
me(struct actor *a)
{
	return &a->sh->actors[a->slot];
}

void
actor_attach(struct actor *a, struct shared *sh, const struct scenario *sc,
    const struct actor *parent, int role, bool is_thread, int obj, const char *name)
{
	memset(a, 0, sizeof(*a));
	a->sh = sh;
	a->sc = sc;
	a->pid = getpid();
	a->tid = gettid();
	a->role = role;
	a->is_thread = is_thread;
	a->in_pool_worker = parent ? parent->in_pool_worker : false;
	a->slot = ring_claim(sh->rings, a->pid, a->tid);

	struct shared_actor *s = me(a);
	atomic_store(&s->pid, a->pid);
	atomic_store(&s->tid, a->tid);
	atomic_store(&s->obj, obj);
	atomic_store(&s->role, role);
	atomic_store(&s->is_thread, is_thread);
	atomic_store(&s->wait_obj, -1);
	atomic_store(&s->wait_op, 0);
	atomic_store(&s->wait_peer, -1);
	atomic_store(&s->timed, 0);
	atomic_store(&s->task, -1);
	atomic_store(&s->step, -1);
	atomic_store(&s->func, -1);
	memset(s->name, 0, sizeof(s->name));
	snprintf(s->name, sizeof(s->name), "%s", name ? name : "");
	atomic_store(&s->since_ns, mono_ns());
	atomic_store(&s->state, ACT_RUNNING);
}

void
actor_detach(struct actor *a)
{
	struct shared_actor *s = me(a);

	atomic_store(&s->wait_obj, -1);
	atomic_store(&s->since_ns, mono_ns());
	atomic_store(&s->state, ACT_EXITED);
	free(a->value);
	a->value = NULL;
	ring_release(a->sh->rings, a->slot);
}

void
actor_emit_at(struct actor *a, int64_t t_ns, pid_t pid, int kind, int obj,
    int64_t x, int64_t y, int64_t z, const char *text)
{
	struct event ev = {
		.t_ns = t_ns, .pid = pid > 0 ? pid : a->pid, .tid = a->tid,
		.kind = (uint16_t)kind, .obj = obj, .a = x, .b = y, .c = z,
	};

	if (text) {
		size_t n = strlen(text);
		ev.text = text;
		ev.text_len = (uint32_t)(n > EV_TEXT_MAX ? EV_TEXT_MAX : n);
	}
	ring_emit(a->sh->rings, a->slot, &ev);
}

void
actor_emit(struct actor *a, int kind, int obj, int64_t x, int64_t y,
    int64_t z, const char *text)
{
	actor_emit_at(a, mono_ns(), 0, kind, obj, x, y, z, text);
}

void
actor_set_state(struct actor *a, int state)
{
	struct shared_actor *s = me(a);

	atomic_store(&s->since_ns, mono_ns());
	atomic_store(&s->state, state);
}

void
actor_block(struct actor *a, int obj, int op, pid_t peer, bool timed)
{
	struct shared_actor *s = me(a);

	atomic_store(&s->wait_obj, obj);
	atomic_store(&s->wait_op, op);
	atomic_store(&s->wait_peer, peer);
	atomic_store(&s->timed, timed);
	actor_set_state(a, ACT_BLOCKED);
	actor_emit(a, EV_BLOCK, obj, op, peer, timed, NULL);
}

void
actor_unblock(struct actor *a, int obj, int op, int outcome)
{
	struct shared_actor *s = me(a);

	actor_set_state(a, ACT_RUNNING);
	atomic_store(&s->wait_obj, -1);
	atomic_store(&s->wait_peer, -1);
	atomic_store(&s->timed, 0);
	actor_emit(a, EV_UNBLOCK, obj, op, outcome, 0, NULL);
}

enum step_rc
actor_error(struct actor *a, const char *type, const char *fmt, ...)
{
	va_list ap;

	snprintf(a->errtype, sizeof(a->errtype), "%s", type);
	va_start(ap, fmt);
	vsnprintf(a->errmsg, sizeof(a->errmsg), fmt, ap);
	va_end(ap);
	return STEP_RC_ERROR;
}

void
actor_set_value(struct actor *a, const char *v)
{
	char *copy = v ? xstrdup(v) : NULL;

	free(a->value);
	a->value = copy;
}

void
actor_error_text(const struct actor *a, char *buf, size_t size)
{
	if (a->errmsg[0])
		snprintf(buf, size, "%s: %s", a->errtype, a->errmsg);
	else
		snprintf(buf, size, "%s", a->errtype);
}

void
actor_report_error(struct actor *a, bool handled)
{
	char text[ACTOR_ERRTYPE_MAX + ACTOR_ERRMSG_MAX + 4];

	actor_error_text(a, text, sizeof(text));
	actor_emit(a, EV_ERROR, -1, handled ? 1 : 0, 0, 0, text);
	a->errtype[0] = '\0';
	a->errmsg[0] = '\0';
}

int64_t
actor_deadline(struct actor *a, int64_t timeout_ns)
{
	if (timeout_ns < 0)
		return -1;
	return clock_now(&a->sh->clock) + timeout_ns;
}

int64_t
actor_wait_slice(struct actor *a, int64_t deadline)
{
	const int64_t cap = 50 * 1000000LL;
	struct shared_clock *c = &a->sh->clock;

	if (deadline < 0)
		return -1;
	if (clock_paused(c))
		return cap;
	int64_t left = deadline - clock_now(c);
	if (left <= 0)
		return 0;
	int64_t real = clock_to_real(c, left) + 1;
	return real < cap ? real : cap;
}
