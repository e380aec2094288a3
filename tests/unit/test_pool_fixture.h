/*
 * Shared by test_pool*.c and test_manager*.c: build a scenario in C, run it
 * for real (a forked main via runtime_enter_main on a fresh shared region),
 * collect every event from the rings, and query them.
 *
 * Include after <cmocka.h>.
 */
#ifndef TEST_POOL_FIXTURE_H
#define TEST_POOL_FIXTURE_H

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "event/event.h"
#include "event/ring.h"
#include "runtime/actor.h"
#include "runtime/clock.h"
#include "runtime/shared.h"
#include "scenario/scenario.h"

/* ---- building a scenario ---- */

static inline void
fx_init(struct scenario *sc)
{
	memset(sc, 0, sizeof *sc);
	sc->title = strdup("test");
	sc->timeout_ns = 60LL * 1000000000LL;
	sc->max_processes = 64;
	sc->max_threads = 64;
	sc->main_func = -1;
	sc->objs = calloc(SC_MAX_OBJECTS, sizeof *sc->objs);
}

static inline int
fx_obj(struct scenario *sc, enum sc_kind kind, const char *name)
{
	struct sc_object *o = &sc->objs[sc->nobjs];

	o->kind = kind;
	snprintf(o->name, sizeof o->name, "%s", name);
	if (kind == SC_POOL)
		o->u.pool.processes = 3;
	if (kind == SC_PROCESS)
		o->u.proc.count = 1;
	if (kind == SC_FUNCTION && strcmp(name, "main") == 0)
		sc->main_func = sc->nobjs;
	return sc->nobjs++;
}

/* Append a step to function 'fn' with neutral defaults; fill it at once
 * (the pointer is valid until the next fx_step on the same function). */
static inline struct sc_step *
fx_step(struct scenario *sc, int fn, enum sc_step_kind kind)
{
	struct sc_function *f = &sc->objs[fn].u.fn;

	f->steps = realloc(f->steps, (size_t)(f->nsteps + 1) * sizeof *f->steps);
	struct sc_step *st = &f->steps[f->nsteps++];
	memset(st, 0, sizeof *st);
	st->kind = kind;
	st->obj = st->end = st->func = st->callback = st->error_callback = -1;
	st->timeout_ns = -1;
	st->match = -1;
	return st;
}

#define FX_S(x) ((int64_t)((x) * 1e9))

static inline void
fx_sleep(struct scenario *sc, int fn, double s)
{
	fx_step(sc, fn, STEP_SLEEP)->dur_ns = FX_S(s);
}

/* return arg + k */
static inline void
fx_return_arg_plus(struct scenario *sc, int fn, int64_t k)
{
	struct sc_step *st = fx_step(sc, fn, STEP_RETURN);
	st->expr.base = SC_BASE_ARG;
	st->expr.op = '+';
	st->expr.n = k;
}

/* repeat N { body } : returns the index of the repeat step; close with fx_end */
static inline int
fx_repeat(struct scenario *sc, int fn, int64_t n)
{
	fx_step(sc, fn, STEP_REPEAT)->count = n;
	return sc->objs[fn].u.fn.nsteps - 1;
}

static inline void
fx_end(struct scenario *sc, int fn, int rep)
{
	struct sc_function *f = &sc->objs[fn].u.fn;
	fx_step(sc, fn, STEP_END)->match = rep;
	f->steps[rep].match = f->nsteps - 1;
}

/* apply_async POOL FUNC {i} [callback] [error_callback] */
static inline struct sc_step *
fx_submit(struct scenario *sc, int fn, enum sc_step_kind kind, int pool, int func)
{
	struct sc_step *st = fx_step(sc, fn, kind);
	st->obj = pool;
	st->func = func;
	st->expr.base = SC_BASE_I;
	return st;
}

static inline void
fx_pool_op(struct scenario *sc, int fn, enum sc_step_kind kind, int pool)
{
	fx_step(sc, fn, kind)->obj = pool;
}

static inline void
fx_free(struct scenario *sc)
{
	for (int i = 0; i < sc->nobjs; i++) {
		if (sc->objs[i].kind != SC_FUNCTION)
			continue;
		struct sc_function *f = &sc->objs[i].u.fn;
		for (int k = 0; k < f->nsteps; k++) {
			free(f->steps[k].text);
			free(f->steps[k].key);
			free(f->steps[k].errtype);
		}
		free(f->steps);
	}
	free(sc->objs);
	free(sc->title);
	memset(sc, 0, sizeof *sc);
}

/* ---- running it ---- */

struct fx_run;
static inline void fx_dump(const struct fx_run *r);

struct fx_ev {
	int64_t t;
	int pid, tid, kind, obj;
	int64_t a, b, c;
	char *text;
};

struct fx_run {
	struct fx_ev *ev;
	size_t n, cap;
	pid_t main_pid;
	int main_status;      /* waitpid status of main */
	bool timed_out;       /* killed by the fixture */
	bool leftover;        /* some process of the run outlived main */
	double wall;          /* seconds, real time */
	struct shared_pool pool_end;   /* counters of object 'peek_obj' at the end */
	struct shared_manager mgr_end;
};

static inline void
fx_collect(void *ud, const struct event *e)
{
	struct fx_run *r = ud;

	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 1024;
		r->ev = realloc(r->ev, r->cap * sizeof *r->ev);
	}
	r->ev[r->n++] = (struct fx_ev){
		.t = e->t_ns, .pid = e->pid, .tid = e->tid, .kind = e->kind, .obj = e->obj,
		.a = e->a, .b = e->b, .c = e->c,
		.text = e->text_len ? strndup(e->text, e->text_len) : NULL,
	};
}

static inline int
fx_cmp_t(const void *x, const void *y)
{
	const struct fx_ev *a = x, *b = y;
	return a->t < b->t ? -1 : a->t > b->t;
}

static inline double
fx_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Run 'sc' at 'speed'; kill the whole group after 'limit' real seconds.
 * Every scenario process is reaped before returning (we are their
 * subreaper). Events are sorted by time. */
static inline void
fx_run(struct scenario *sc, double speed, double limit, int peek_obj, struct fx_run *r)
{
	memset(r, 0, sizeof *r);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	struct shared *sh = shared_create(sc);
	assert_non_null(sh);
	atomic_store(&sh->observer_pid, getpid());
	clock_init(&sh->clock, speed);
	double t0 = fx_now();
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		_exit(runtime_enter_main(sh, sc));
	}
	setpgid(pid, pid);
	r->main_pid = pid;
	for (;;) {
		ring_drain_all(sh->rings, fx_collect, r);
		int st;
		if (waitpid(pid, &st, WNOHANG) == pid) {
			r->main_status = st;
			break;
		}
		if (fx_now() - t0 > limit) {
			r->timed_out = true;
			kill(-pid, SIGKILL);
			waitpid(pid, &r->main_status, 0);
			break;
		}
		usleep(1000);
	}
	r->wall = fx_now() - t0;
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
	r->leftover = kill(-pid, 0) == 0;
	kill(-pid, SIGKILL);          /* nothing should be left; make sure */
	while (waitpid(-1, NULL, 0) > 0 || errno == EINTR)
		;
	ring_drain_all(sh->rings, fx_collect, r);
	if (peek_obj >= 0) {
		r->pool_end = sh->objs[peek_obj].pool;
		r->mgr_end = sh->objs[peek_obj].mgr;
	}
	shared_destroy(sh);
	qsort(r->ev, r->n, sizeof *r->ev, fx_cmp_t);
	if (getenv("FX_DUMP"))
		fx_dump(r);
}

static inline void
fx_run_free(struct fx_run *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->ev[i].text);
	free(r->ev);
	memset(r, 0, sizeof *r);
}

/* ---- queries ---- */

static inline size_t
fx_count(const struct fx_run *r, int kind)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n; i++)
		n += r->ev[i].kind == kind;
	return n;
}

/* The i-th event of 'kind' (0-based), or NULL. */
static inline const struct fx_ev *
fx_nth(const struct fx_run *r, int kind, size_t i)
{
	for (size_t k = 0; k < r->n; k++)
		if (r->ev[k].kind == kind && i-- == 0)
			return &r->ev[k];
	return NULL;
}

/* Number of distinct values of 'pid' among events of 'kind'. */
static inline int
fx_distinct_pids(const struct fx_run *r, int kind)
{
	int pids[512], n = 0;
	for (size_t k = 0; k < r->n; k++) {
		if (r->ev[k].kind != kind)
			continue;
		int seen = 0;
		for (int i = 0; i < n; i++)
			seen |= pids[i] == r->ev[k].pid;
		if (!seen && n < 512)
			pids[n++] = r->ev[k].pid;
	}
	return n;
}

/* Most tasks running at once (task_start / task_end events). */
static inline int
fx_max_running(const struct fx_run *r)
{
	int cur = 0, max = 0;
	for (size_t k = 0; k < r->n; k++) {
		if (r->ev[k].kind == EV_TASK_START && ++cur > max)
			max = cur;
		if (r->ev[k].kind == EV_TASK_END)
			cur--;
	}
	return max;
}

/* Some event of 'kind' with this text, or NULL. */
static inline const struct fx_ev *
fx_find_text(const struct fx_run *r, int kind, const char *text)
{
	for (size_t k = 0; k < r->n; k++)
		if (r->ev[k].kind == kind && r->ev[k].text && strcmp(r->ev[k].text, text) == 0)
			return &r->ev[k];
	return NULL;
}

static inline void
fx_dump(const struct fx_run *r)
{
	int64_t t0 = r->n ? r->ev[0].t : 0;
	for (size_t k = 0; k < r->n; k++)
		fprintf(stderr, "%9.4f %6d %6d %-12s obj=%d a=%lld b=%lld c=%lld %s\n",
		    (double)(r->ev[k].t - t0) / 1e9, r->ev[k].pid, r->ev[k].tid,
		    event_kind_name(r->ev[k].kind), r->ev[k].obj, (long long)r->ev[k].a,
		    (long long)r->ev[k].b, (long long)r->ev[k].c, r->ev[k].text ? r->ev[k].text : "");
}

#endif
