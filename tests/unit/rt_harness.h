#ifndef IPCSCOPE_RT_HARNESS_H
#define IPCSCOPE_RT_HARNESS_H
/*
 * Test harness for the runtime: build a struct scenario in C (no loader),
 * run it through runtime_enter_main in a real forked main process on a
 * real shared region, and collect every event drained from the rings.
 */
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "event/event.h"
#include "runtime/shared.h"
#include "scenario/scenario.h"

/* ---- building scenarios ---- */
void sb_init(struct scenario *sc);                 /* main_func = -1 until set */
int sb_obj(struct scenario *sc, enum sc_kind kind, const char *name);
/* Append a step of 'kind' to function 'func', fields defaulted (obj, end,
 * func, callbacks -1; timeout -1; text NULL). 'text' is copied if given. */
struct sc_step *sb_step(struct scenario *sc, int func, enum sc_step_kind kind,
    int obj, const char *text);
int sb_repeat(struct scenario *sc, int func, int64_t count);  /* index */
void sb_end(struct scenario *sc, int func, int repeat_idx);
void sb_free(struct scenario *sc);

/* ---- running ---- */
struct rt_ev {
	struct event ev;      /* ev.text points to 'text' */
	char *text;
};

struct rt_run {
	struct rt_ev *evs;
	size_t n, cap;
	int wstatus;          /* main's raw wait status */
	pid_t main_pid;
	int64_t start_ns;     /* CLOCK_MONOTONIC at clock_init */
	double speed;
	int leftovers;        /* orphans reaped after main ended (should be 0) */
	size_t backwards;     /* events older than the previous one of their
	                       * thread: rt_run asserts there are none */
	struct { pid_t tid; int64_t t; } *last;
	size_t nlast;
	struct shared *sh;
};

/* Called between drains while main runs (e.g. to sample /proc). */
typedef void (*rt_tick_fn)(struct rt_run *r, void *ud);

/* Run 'sc' at 'speed' until main ends (at most 'limit_s' real seconds, then
 * everything is killed and the test fails). */
void rt_run(const struct scenario *sc, double speed, double limit_s,
    struct rt_run *r, rt_tick_fn tick, void *ud);
void rt_free(struct rt_run *r);

/* Queries. */
size_t rt_count(const struct rt_run *r, int kind, pid_t pid);   /* pid 0: any */
/* The n-th (from 0) event of 'kind' (pid 0: any), or NULL. */
const struct rt_ev *rt_nth(const struct rt_run *r, int kind, pid_t pid, size_t n);
/* Index of an event in r->evs (for ordering checks). */
size_t rt_index(const struct rt_run *r, const struct rt_ev *e);
/* Scenario seconds of an event (real elapsed x speed). */
double rt_scen_s(const struct rt_run *r, const struct rt_ev *e);
/* Print the events (for debugging failures). */
void rt_dump(const struct rt_run *r);

#endif
