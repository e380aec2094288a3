/* See rt_harness.h. */
#include "rt_harness.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "event/ring.h"
#include "runtime/actor.h"
#include "runtime/clock.h"
#include "util/futex.h"
#include "util/xmem.h"

void
sb_init(struct scenario *sc)
{
	memset(sc, 0, sizeof(*sc));
	sc->title = xstrdup("test");
	sc->timeout_ns = 60LL * 1000000000;
	sc->max_processes = 64;
	sc->max_threads = 64;
	sc->main_func = -1;
}

int
sb_obj(struct scenario *sc, enum sc_kind kind, const char *name)
{
	sc->objs = xreallocarray(sc->objs, (size_t)sc->nobjs + 1, sizeof(*sc->objs));
	struct sc_object *o = &sc->objs[sc->nobjs];
	memset(o, 0, sizeof(*o));
	o->kind = kind;
	snprintf(o->name, sizeof(o->name), "%s", name);
	if (kind == SC_PROCESS) {
		o->u.proc.count = 1;
		o->u.proc.func = -1;
		o->u.proc.arg.base = SC_BASE_I;
	}
	if (kind == SC_THREAD)
		o->u.thr.func = -1;
	if (kind == SC_PIPE)
		o->u.pipe.duplex = true;
	if (kind == SC_FUNCTION && strcmp(name, "main") == 0)
		sc->main_func = sc->nobjs;
	return sc->nobjs++;
}

struct sc_step *
sb_step(struct scenario *sc, int func, enum sc_step_kind kind, int obj, const char *text)
{
	struct sc_function *fn = &sc->objs[func].u.fn;

	fn->steps = xreallocarray(fn->steps, (size_t)fn->nsteps + 1, sizeof(*fn->steps));
	struct sc_step *st = &fn->steps[fn->nsteps];
	memset(st, 0, sizeof(*st));
	st->kind = kind;
	st->line = fn->nsteps + 1;
	st->obj = obj;
	st->end = -1;
	st->func = -1;
	st->callback = -1;
	st->error_callback = -1;
	st->timeout_ns = -1;
	st->match = -1;
	if (text)
		st->text = xstrdup(text);
	fn->nsteps++;
	return st;
}

int
sb_repeat(struct scenario *sc, int func, int64_t count)
{
	sb_step(sc, func, STEP_REPEAT, -1, NULL)->count = count;
	return sc->objs[func].u.fn.nsteps - 1;
}

void
sb_end(struct scenario *sc, int func, int repeat_idx)
{
	sb_step(sc, func, STEP_END, -1, NULL)->match = repeat_idx;
	sc->objs[func].u.fn.steps[repeat_idx].match = sc->objs[func].u.fn.nsteps - 1;
}

void
sb_free(struct scenario *sc)
{
	for (int i = 0; i < sc->nobjs; i++) {
		if (sc->objs[i].kind != SC_FUNCTION)
			continue;
		for (int s = 0; s < sc->objs[i].u.fn.nsteps; s++) {
			free(sc->objs[i].u.fn.steps[s].text);
			free(sc->objs[i].u.fn.steps[s].key);
			free(sc->objs[i].u.fn.steps[s].errtype);
		}
		free(sc->objs[i].u.fn.steps);
	}
	free(sc->objs);
	free(sc->title);
	memset(sc, 0, sizeof(*sc));
}

static void
collect(void *ud, const struct event *ev)
{
	struct rt_run *r = ud;

	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 256;
		r->evs = xreallocarray(r->evs, r->cap, sizeof(*r->evs));
	}
	/* every actor's stream is in time order (a merge can rely on it) */
	size_t k;
	for (k = 0; k < r->nlast && r->last[k].tid != ev->tid; k++)
		;
	if (k == r->nlast) {
		r->last = xreallocarray(r->last, r->nlast + 1, sizeof(*r->last));
		r->last[r->nlast].tid = ev->tid;
		r->last[r->nlast++].t = ev->t_ns;
	} else if (ev->t_ns < r->last[k].t) {
		r->backwards++;
	} else {
		r->last[k].t = ev->t_ns;
	}
	struct rt_ev *e = &r->evs[r->n++];
	e->ev = *ev;
	e->text = ev->text ? xstrndup(ev->text, ev->text_len) : NULL;
	e->ev.text = e->text;
}

static int
cmp_ev(const void *x, const void *y)
{
	const struct rt_ev *a = x, *b = y;

	if (a->ev.t_ns != b->ev.t_ns)
		return a->ev.t_ns < b->ev.t_ns ? -1 : 1;
	return a < b ? -1 : a > b;
}

/* Merge the rings' streams by time (ties keep drain order). */
static void
sort_events(struct rt_run *r)
{
	qsort(r->evs, r->n, sizeof(*r->evs), cmp_ev);
	for (size_t i = 0; i < r->n; i++)
		r->evs[i].ev.text = r->evs[i].text;
}

void
rt_run(const struct scenario *sc, double speed, double limit_s,
    struct rt_run *r, rt_tick_fn tick, void *ud)
{
	memset(r, 0, sizeof(*r));
	r->speed = speed;
	r->sh = shared_create(sc);
	assert_non_null(r->sh);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	clock_init(&r->sh->clock, speed);
	r->start_ns = atomic_load(&r->sh->clock.start_ns);
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		_exit(runtime_enter_main(r->sh, sc));
	}
	setpgid(pid, pid);
	r->main_pid = pid;
	int64_t limit = mono_ns() + (int64_t)(limit_s * 1e9);
	bool done = false;
	while (!done) {
		ring_drain_all(r->sh->rings, collect, r);
		if (tick)
			tick(r, ud);
		if (waitpid(pid, &r->wstatus, WNOHANG) == pid)
			done = true;
		else if (mono_ns() > limit) {
			kill(-pid, SIGKILL);
			waitpid(pid, &r->wstatus, 0);
			ring_drain_all(r->sh->rings, collect, r);
			rt_dump(r);
			fail_msg("scenario did not end within %.1f s", limit_s);
		} else {
			struct timespec ts = { 0, 500000 };
			nanosleep(&ts, NULL);
		}
	}
	ring_drain_all(r->sh->rings, collect, r);
	sort_events(r);
	if (getenv("RT_DUMP"))
		rt_dump(r);
	assert_int_equal(r->backwards, 0);
	/* Anything left of the scenario would be a bug: kill and count it. */
	kill(-pid, SIGKILL);
	int st;
	while (waitpid(-1, &st, WNOHANG) > 0)
		r->leftovers++;
}

void
rt_free(struct rt_run *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->evs[i].text);
	free(r->evs);
	free(r->last);
	shared_destroy(r->sh);
	memset(r, 0, sizeof(*r));
}

size_t
rt_count(const struct rt_run *r, int kind, pid_t pid)
{
	size_t n = 0;

	for (size_t i = 0; i < r->n; i++)
		n += r->evs[i].ev.kind == kind && (!pid || r->evs[i].ev.pid == pid);
	return n;
}

const struct rt_ev *
rt_nth(const struct rt_run *r, int kind, pid_t pid, size_t n)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->evs[i].ev.kind == kind && (!pid || r->evs[i].ev.pid == pid) && n-- == 0)
			return &r->evs[i];
	return NULL;
}

size_t
rt_index(const struct rt_run *r, const struct rt_ev *e)
{
	return (size_t)(e - r->evs);
}

double
rt_scen_s(const struct rt_run *r, const struct rt_ev *e)
{
	return (double)(e->ev.t_ns - r->start_ns) / 1e9 * r->speed;
}

void
rt_dump(const struct rt_run *r)
{
	for (size_t i = 0; i < r->n; i++) {
		const struct event *e = &r->evs[i].ev;
		fprintf(stderr, "  %9.6f %6d/%-6d %-12s obj=%d a=%lld b=%lld c=%lld %s\n",
		    (double)(e->t_ns - r->start_ns) / 1e9, e->pid, e->tid,
		    event_kind_name(e->kind), e->obj, (long long)e->a, (long long)e->b,
		    (long long)e->c, e->text ? e->text : "");
	}
}
