#ifndef IPCSCOPE_RUN_H
#define IPCSCOPE_RUN_H
/*
 * A live run of a scenario, seen from the observer (ipcscope itself).
 * run_start() maps the shared region, forks the scenario's main process into
 * its own process group and returns at once; the caller's event loop polls
 * run_fd() (and its own fds: stdin, signals) and calls run_poll() whenever
 * it is readable or at least every 'tick'. run_poll() drains the rings,
 * merges events by time, reaps, checks the timeout and deadlocks, and hands
 * every new event, in order, to the callback. The dashboard and the headless
 * printer are both just callers of this API.
 *
 * Nothing is left behind: run_stop() (and run_free) kill the whole process
 * group, reap everything and unmap the region; if ipcscope itself dies,
 * PR_SET_PDEATHSIG takes the scenario down.
 */
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "event/ring.h"
#include "runtime/shared.h"
#include "scenario/scenario.h"

struct run;

struct run_opts {
	double speed;          /* 1.0 = real time; durations are divided by it */
	int64_t timeout_ns;    /* overrides the scenario's when > 0 */
};

enum run_state {
	RUN_RUNNING,
	RUN_PAUSED,
	RUN_FINISHED,          /* ended as written (exit status 0) */
	RUN_FAILED,            /* crash, uncaught error, lost task (status 1) */
	RUN_DEADLOCK,          /* status 1 */
	RUN_TIMEOUT,           /* status 1 */
};

/* Start 'sc' (borrowed: must outlive the run). Returns NULL and writes a
 * message to 'err' on failure (nothing is left running then). */
struct run *run_start(const struct scenario *sc, const struct run_opts *o,
    char *err, size_t errlen);

/* A descriptor that becomes readable when run_poll() has work. */
int run_fd(const struct run *r);

/* Do all pending work; call 'fn' for each new event in time order (the
 * event and its text are valid during the call only). Event times are
 * made relative: t_ns = real ns since the run's start. Events are held
 * back ~20 ms so that rings drained later still come out in order. When
 * the run ends (main gone and rings drained, deadlock, timeout; after
 * run_stop: the next call) the call hands out everything left, the
 * observer's own EV_DEADLOCK / EV_TIMEOUT and a final EV_END; later calls
 * hand out nothing new and return the final state. Timeouts are in scenario time (they follow
 * --speed and stop while paused). Returns the state. */
enum run_state run_poll(struct run *r, ring_event_fn fn, void *ud);

/* Pause (SIGSTOP the scenario, stop its clock) or resume (SIGCONT). */
void run_pause(struct run *r, bool paused);
/* Change the speed (clamped to 0.01..1000); sleeps in progress follow. */
void run_set_speed(struct run *r, double speed);
double run_speed(const struct run *r);
/* Send 'sig' to scenario process 'pid' (refused, -1/EPERM, for any pid not
 * in the scenario); emits EV_SIGNAL. */
int run_signal(struct run *r, pid_t pid, int sig);

/* Live state for views: clock, object counters, actors. Read-only. */
const struct shared *run_shared(const struct run *r);
/* Scenario time now, in ns (follows pause and speed). */
int64_t run_now(const struct run *r);
enum run_state run_state(const struct run *r);
/* A one-line reason when the state is FAILED / DEADLOCK / TIMEOUT. */
const char *run_reason(const struct run *r);
/* The exit status ipcscope should return: 0, 1. */
int run_exit_status(const struct run *r);
pid_t run_main_pid(const struct run *r);
/* Events that reached the observer after later ones had been handed out
 * (their time was raised to keep the stream in order; see merge.h). */
uint64_t run_late_events(const struct run *r);

/* Kill every scenario process, reap them all; the run becomes FAILED unless
 * it had already ended. Idempotent. */
void run_stop(struct run *r);
/* run_stop, then free everything and unmap the shared region. */
void run_free(struct run *r);

#endif
