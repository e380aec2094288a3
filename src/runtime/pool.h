#ifndef IPCSCOPE_POOL_H
#define IPCSCOPE_POOL_H
/*
 * multiprocessing.Pool in the scenario's main process (CPython 3.11 shape).
 *
 *   main ──submit──► task list ──task handler──► task pipe ──► worker-1..N
 *                                                 (one kernel pipe, a process-
 *                                                  shared read lock: the first
 *                                                  idle worker takes the next)
 *   main ◄──wait──── jobs ◄──result handler◄── result pipe ◄──┘ (write lock)
 *                          (callbacks, one at a time, completion order)
 *   worker handler: reaps exited workers (waitpid on its own pids only,
 *                   woken by their pidfds, at least every 100 ms real time),
 *                   replaces them (worker-N, N ever increasing), reports the
 *                   task lost with a worker killed by a signal.
 *
 * A pool lives in the main process only (pool_startup); its workers are
 * forked children of main. Items of a map are tasks of their own (one task
 * id each); a chunk is a contiguous range of items run serially in one
 * worker, whose results travel back together when the chunk is done.
 *
 * Locking: struct pool's mutex 'mu' guards the task list, the jobs and the
 * state; 'cv' is broadcast on every change (result, state, list).
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "runtime/actor.h"

/* A chunk as it travels through the task pipe (fixed size, < PIPE_BUF). */
struct pool_task_msg {
	int64_t first_task;   /* task id of the first item; -1: sentinel, exit */
	int64_t arg0;         /* argument of the first item; item k gets arg0 + k */
	int32_t func;         /* function index */
	int32_t n;            /* items in the chunk */
};

/* One item's result through the result pipe: this header, then 'textlen'
 * bytes of error text ("Type: msg"). One write() each (< PIPE_BUF). */
enum pool_res_status { RES_PENDING, RES_VALUE, RES_NONE, RES_ERROR, RES_LOST };
struct pool_res_msg {
	int64_t task;         /* -1: stop the result handler */
	int64_t result;
	int32_t status;       /* enum pool_res_status */
	int32_t textlen;
};
#define POOL_ERRTEXT_MAX (ACTOR_ERRTYPE_MAX + ACTOR_ERRMSG_MAX + 4)

/* Process-shared locks of the task and result pipes (own MAP_SHARED
 * mapping, inherited by the workers; robust: a killed holder frees it). */
struct pool_sync {
	pthread_mutex_t rlock;   /* held by the worker reading the task pipe */
	pthread_mutex_t wlock;   /* held while writing results */
};

/* What a caller submitted in one call (apply: 1 item; map: n items). */
struct pool_job {
	int call;             /* enum ev_call */
	int64_t first_task;
	int n, nready, nfailed;
	int ndone;            /* items whose callbacks have run: ready to fetch */
	int callback, error_callback;   /* function indexes or -1 */
	int first_err;        /* item whose error is raised (first arrived), -1 */
	bool fetched;         /* already fetched by 'wait' (async calls) */
	int64_t *res;         /* [n] */
	uint8_t *st;          /* [n] enum pool_res_status */
	char **err;           /* [n] error texts (owned) or NULL */
	int *arrival;         /* [n] item indexes in arrival order */
	uint8_t *ready;       /* [n] 1 once delivered (callbacks done) */
};

enum pool_state { PS_RUN, PS_CLOSE, PS_TERMINATE };

struct pool;

struct pool_worker_arg {
	struct pool *p;
	int slot;
};

struct pool {
	int obj;                     /* scenario object index */
	int processes, maxtasks;
	struct shared *sh;
	struct shared_pool *spool;   /* counters the observer reads */
	pid_t owner;                 /* main's pid: pools work only there */
	pthread_mutex_t mu;
	pthread_cond_t cv;           /* CLOCK_MONOTONIC */
	pthread_mutex_t join_mu;     /* serialises join and terminate */
	int state;                   /* enum pool_state */
	bool threads_started;
	bool joined;                 /* handlers and workers joined */
	bool wh_done;                /* worker handler left its loop */
	bool send_sentinels;         /* task handler: tell the workers to exit */
	bool release_wh;             /* worker handler may end (its forks are joined) */
	bool rh_dead;                /* a callback raised: results no longer delivered */
	int64_t outstanding;         /* items submitted, not yet delivered */
	/* the task list (chunks not yet written into the task pipe) */
	struct pool_task_msg *q;
	size_t qhead, qlen, qcap;
	/* jobs, in submission order (first_task increasing) */
	struct pool_job **jobs;
	size_t njobs, jcap;
	size_t nfetched;             /* jobs[0..nfetched) all fetched (wait) */
	/* channels */
	int task_fds[2];             /* [0] read by workers, [1] O_NONBLOCK, task handler */
	int res_fds[2];              /* [0] result handler, [1] workers (and stop) */
	int wake_fds[2];             /* wakes the task handler on terminate */
	int wh_fds[2];               /* wakes the worker handler (pool_wake_workers) */
	int wh_pidfd[SC_MAX_POOL];   /* worker handler only: pidfd of each slot's worker */
	pid_t wh_pidfd_pid[SC_MAX_POOL];
	struct pool_sync *sync;
	struct pool_worker_arg wargs[SC_MAX_POOL];
	pthread_t th_task, th_result, th_worker;
	struct actor *main_actor;
};

/* The pool of scenario object 'obj' in this process, or NULL. */
struct pool *pool_get(int obj);

/* Submit 'n' items (arguments lo, lo+1, ...) of 'func' in chunks of
 * 'chunksize' (>= 1) as one job; emits EV_SUBMIT per item. Returns the job
 * (owned by the pool), or NULL with the error set in 'a' (pool not running,
 * or used outside the main process). */
struct pool_job *pool_submit(struct pool *p, struct actor *a, int call, int func,
    int64_t lo, int n, int chunksize, int callback, int error_callback);

/* Job owning task 'task'. Call with p->mu held. */
struct pool_job *pool_find_job(struct pool *p, int64_t task);

/* Text of item k's result ("1000", "None") into buf. */
void pool_item_text(const struct pool_job *j, int k, char *buf, size_t size);
/* The whole result list "[1000, 1001]" (malloc'd), in input order, or in
 * the item order 'order' [n] when not NULL. Call once every item is ready. */
char *pool_list_text(const struct pool_job *j, const int *order);

/* Set 'a's error from an error text "Type: msg"; returns STEP_RC_ERROR. */
enum step_rc pool_raise_text(struct actor *a, const char *text);

/* Stop everything now (CPython's _terminate_pool): SIGTERM the workers,
 * join handlers and workers. Idempotent. Called by main. */
void pool_do_terminate(struct pool *p, struct actor *a);
/* Last part of join and terminate, with the task handler gone: join the
 * workers, stop the result handler, let the worker handler end. */
void pool_finish(struct pool *p, struct actor *a);

/* ---- pool_threads.c ---- */
/* Start the three handler threads of 'p' from main. Returns 0 or -1. */
int pool_threads_start(struct pool *p, struct actor *main_actor);
/* Stop the result handler (write the stop message) and join it. */
void pool_threads_stop_results(struct pool *p);
/* Make the worker handler look at the pool now (state or count changed). */
void pool_wake_workers(struct pool *p);
/* Fork a worker into 'slot' from actor 'parent'; returns its pid or -1. */
pid_t pool_worker_spawn(struct pool *p, struct actor *parent, int slot);

/* ---- pool_worker.c ---- */
/* Body of a worker process (proc_spawn): 'ud' is a struct pool_worker_arg. */
int pool_worker_main(struct actor *self, void *ud);

#endif
