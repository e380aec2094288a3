/* start / join / terminate of [process] definitions (count copies named
 * NAME-1..N), with CPython's errors, and CPython's exit for children:
 * terminate the daemonic ones, join them all. Also the start / join /
 * terminate dispatch on the target's kind. */
#include "runtime/actor.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runtime/clock.h"
#include "runtime/runtime_int.h"
#include "util/xmem.h"

struct proc_copy {
	pid_t pid;
	bool reaped;
	int code;
};

/* One [process] definition as seen by one process (registries are per
 * process: a forked child inherits its parent's, which it does not own). */
struct proc_def {
	bool started;
	pid_t owner;                  /* the process that started it */
	int n;
	struct proc_copy *c;
};

static struct proc_def *defs;     /* [sc->nobjs], made on first use */
static pthread_mutex_t defs_lock = PTHREAD_MUTEX_INITIALIZER;

struct proc_body {
	int func;
	int64_t arg;
	bool daemon;
};

static struct proc_def *
def_of(struct actor *a, int obj)
{
	if (!defs)
		defs = xcalloc((size_t)a->sc->nobjs, sizeof(*defs));
	return &defs[obj];
}

void
proc_after_fork(void)
{
	pthread_mutex_init(&defs_lock, NULL);
}

static int
proc_body_run(struct actor *self, void *ud)
{
	const struct proc_body *b = ud;

	if (b->daemon)
		self->in_pool_worker = true;   /* daemonic: no children allowed */
	return interp_body(self, b->func, b->arg);
}

/* CPython's _cleanup() at every start: reap finished children. Lock held. */
static void
reap_finished(struct actor *a)
{
	pid_t me = getpid();

	for (int o = 0; o < a->sc->nobjs; o++) {
		struct proc_def *d = &defs[o];
		if (!d->started || d->owner != me)
			continue;
		for (int k = 0; k < d->n; k++) {
			int st;
			if (d->c[k].reaped || d->c[k].pid <= 0)
				continue;
			if (waitpid(d->c[k].pid, &st, WNOHANG) == d->c[k].pid) {
				d->c[k].reaped = true;
				d->c[k].code = proc_exit_code(st);
				proc_report_reaped(a, o, d->c[k].pid, st);
			}
		}
	}
}

enum step_rc
step_proc_start(struct actor *a, const struct sc_step *st)
{
	const struct sc_process *p = &a->sc->objs[st->obj].u.proc;
	const char *name = a->sc->objs[st->obj].name;
	struct proc_def *d;
	int err = 0;

	if (a->in_pool_worker)
		return actor_error(a, "AssertionError",
		    "daemonic processes are not allowed to have children");
	pthread_mutex_lock(&defs_lock);
	d = def_of(a, st->obj);
	if (d->started) {
		pthread_mutex_unlock(&defs_lock);
		return actor_error(a, "AssertionError", "cannot start a process twice");
	}
	reap_finished(a);
	d->started = true;
	d->owner = getpid();
	d->n = p->count > 0 ? p->count : 1;
	d->c = xcalloc((size_t)d->n, sizeof(*d->c));
	for (int k = 0; k < d->n; k++) {
		struct actor frame = *a;
		char comm[SC_NAME_MAX + 16];
		frame.loop_i = k;
		struct proc_body b = { .func = p->func, .arg = interp_eval(&frame, &p->arg),
			.daemon = p->daemon };
		if (d->n > 1)
			snprintf(comm, sizeof(comm), "%s-%d", name, k + 1);
		else
			snprintf(comm, sizeof(comm), "%s", name);
		pid_t pid = proc_spawn(a, comm, ROLE_PROCESS, st->obj, k, proc_body_run, &b);
		if (pid < 0) {
			err = errno;
			d->c[k].reaped = true;
			d->c[k].code = INT32_MIN;
			for (int j = k + 1; j < d->n; j++)
				d->c[j].reaped = true;
			break;
		}
		d->c[k].pid = pid;
	}
	pthread_mutex_unlock(&defs_lock);
	if (err)
		return actor_error(a, err == EAGAIN ? "BlockingIOError" : "OSError",
		    "[Errno %d] %s", err, strerror(err));
	return STEP_RC_OK;
}

/* Join every unreaped copy of definition 'obj' owned by this process, with
 * one scenario-time deadline (-1: none). */
static void
join_copies(struct actor *a, int obj, int64_t deadline)
{
	struct proc_def *d = &defs[obj];

	for (int k = 0; k < d->n; k++) {
		pthread_mutex_lock(&defs_lock);
		pid_t pid = d->c[k].reaped ? 0 : d->c[k].pid;
		pthread_mutex_unlock(&defs_lock);
		if (pid <= 0)
			continue;
		int64_t left = -1;
		if (deadline >= 0) {
			left = deadline - clock_now(&a->sh->clock);
			if (left < 0)
				left = 0;
		}
		int code = proc_join(a, obj, pid, left);
		if (code == INT32_MIN && deadline >= 0 &&
		    clock_now(&a->sh->clock) >= deadline)
			return;   /* timed out: CPython's join(timeout) just returns */
		pthread_mutex_lock(&defs_lock);
		if (code != INT32_MIN || !d->c[k].reaped) {
			d->c[k].reaped = true;
			d->c[k].code = code;
		}
		pthread_mutex_unlock(&defs_lock);
	}
}

enum step_rc
step_proc_join(struct actor *a, const struct sc_step *st)
{
	struct proc_def *d;

	pthread_mutex_lock(&defs_lock);
	d = def_of(a, st->obj);
	bool started = d->started, mine = d->owner == getpid();
	pthread_mutex_unlock(&defs_lock);
	if (!started)
		return actor_error(a, "AssertionError", "can only join a started process");
	if (!mine)
		return actor_error(a, "AssertionError", "can only join a child process");
	join_copies(a, st->obj, actor_deadline(a, st->timeout_ns));
	return STEP_RC_OK;
}

enum step_rc
step_proc_terminate(struct actor *a, const struct sc_step *st)
{
	struct proc_def *d;

	pthread_mutex_lock(&defs_lock);
	d = def_of(a, st->obj);
	if (!d->started || d->owner != getpid()) {
		pthread_mutex_unlock(&defs_lock);
		return actor_error(a, "AttributeError",
		    "'NoneType' object has no attribute 'terminate'");
	}
	for (int k = 0; k < d->n; k++) {
		if (d->c[k].reaped || d->c[k].pid <= 0)
			continue;
		actor_emit(a, EV_SIGNAL, st->obj, d->c[k].pid, SIGTERM, 0, NULL);
		kill(d->c[k].pid, SIGTERM);
	}
	pthread_mutex_unlock(&defs_lock);
	return STEP_RC_OK;
}

void
proc_exit_children(struct actor *a)
{
	pid_t me = getpid();

	if (!defs)
		return;
	pthread_mutex_lock(&defs_lock);
	for (int o = 0; o < a->sc->nobjs; o++) {
		struct proc_def *d = &defs[o];
		if (!d->started || d->owner != me || !a->sc->objs[o].u.proc.daemon)
			continue;
		for (int k = 0; k < d->n; k++)
			if (!d->c[k].reaped && d->c[k].pid > 0) {
				actor_emit(a, EV_SIGNAL, o, d->c[k].pid, SIGTERM, 0, NULL);
				kill(d->c[k].pid, SIGTERM);
			}
	}
	pthread_mutex_unlock(&defs_lock);
	for (int o = 0; o < a->sc->nobjs; o++)
		if (defs[o].started && defs[o].owner == me)
			join_copies(a, o, -1);
}

/* ---- dispatch on the target's kind ---- */

static enum sc_kind
kind_of(const struct actor *a, const struct sc_step *st)
{
	return st->obj >= 0 && st->obj < a->sc->nobjs ? a->sc->objs[st->obj].kind : SC_KIND_COUNT;
}

enum step_rc
step_start(struct actor *a, const struct sc_step *st)
{
	switch (kind_of(a, st)) {
	case SC_PROCESS: return step_proc_start(a, st);
	case SC_THREAD:  return step_thread_start(a, st);
	default: return actor_error(a, "TypeError", "start: not a process or thread");
	}
}

enum step_rc
step_join(struct actor *a, const struct sc_step *st)
{
	switch (kind_of(a, st)) {
	case SC_PROCESS: return step_proc_join(a, st);
	case SC_THREAD:  return step_thread_join(a, st);
	case SC_POOL:    return step_pool_join(a, st);
	default: return actor_error(a, "TypeError", "join: not a process, thread or pool");
	}
}

enum step_rc
step_terminate(struct actor *a, const struct sc_step *st)
{
	switch (kind_of(a, st)) {
	case SC_PROCESS: return step_proc_terminate(a, st);
	case SC_POOL:    return step_pool_terminate(a, st);
	default: return actor_error(a, "TypeError", "terminate: not a process or pool");
	}
}
