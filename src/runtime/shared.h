#ifndef IPCSCOPE_SHARED_H
#define IPCSCOPE_SHARED_H
/*
 * The shared mapping: one anonymous MAP_SHARED region made by the observer
 * before it forks the scenario's main process, inherited by every scenario
 * process. It holds
 *   - the scenario clock (start, pause, speed) that every sleep follows,
 *   - per-object live state the observer reads at any instant without asking
 *     the scenario (queue depth, pipe counters, pool counters),
 *   - per-actor state (what each process / thread is doing or blocked on),
 *     which the deadlock detector and the dashboard read,
 *   - the event rings (event/ring.h).
 * Scenario-private synchronisation (process-shared mutexes, semaphores)
 * lives here too, in the *_sync members; the observer never touches those.
 *
 * Counters are C11 atomics; readers tolerate values that are a few events
 * apart from each other.
 */
#include <pthread.h>
#include <semaphore.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/types.h>

#include "event/ring.h"
#include "scenario/scenario.h"

/* ---- the scenario clock (runtime/clock.h reads and steers it) ----
 * Scenario time = base_scen + (real - base_real) * speed, frozen while
 * paused. Only the observer writes it (under a seqlock); every change bumps
 * 'gen' and wakes sleepers so they recompute their deadlines. */
struct shared_clock {
	_Atomic uint32_t seq;          /* seqlock: odd while being written */
	_Atomic uint32_t gen;          /* futex word: bumped on pause/resume/speed */
	_Atomic int64_t start_ns;      /* CLOCK_MONOTONIC at run start */
	_Atomic int64_t base_real;     /* CLOCK_MONOTONIC of the last change */
	_Atomic int64_t base_scen;     /* scenario time at base_real */
	_Atomic int64_t speed_milli;   /* speed x 1000 (1000 = real time) */
	_Atomic int64_t pause_since;   /* 0, or CLOCK_MONOTONIC when paused */
};

/* ---- per-object live state, indexed by scenario object index ---- */
struct shared_queue {
	_Atomic int64_t depth, puts, gets, bytes_in, bytes_out;
	_Atomic int32_t blocked_get, blocked_put;   /* actors blocked now */
	int fds[2];                               /* kernel pipe carrying messages */
	pthread_mutex_t rlock, wlock;             /* process-shared */
	sem_t slots;                              /* maxsize > 0: free slots */
};

struct shared_pipe {
	_Atomic int64_t msgs[2], bytes[2];        /* [e]: sent from end e */
	_Atomic int64_t pending_bytes;            /* sent but not yet received, both ways */
	_Atomic int32_t blocked_recv, blocked_send;
	_Atomic int32_t closed[2];                /* copies of end e closed by someone */
	int fds[2];                               /* fds[0] = end a, fds[1] = end b */
};

struct shared_pool {
	_Atomic int64_t submitted, started, done, failed, lost;
	_Atomic int32_t running, pending;         /* tasks running now, queued now */
	_Atomic int32_t state;                    /* enum ev_pool_op: CREATE = running ... */
	_Atomic int32_t workers_spawned;          /* worker name counter (worker-N) */
	_Atomic int32_t worker_pid[SC_MAX_POOL];  /* current pid per slot, 0 if none */
	_Atomic int64_t worker_task[SC_MAX_POOL]; /* task running per slot, -1 if idle */
};

struct shared_manager {
	_Atomic int64_t ops, dict_size, list_size;
	_Atomic int32_t server_pid;
};

union shared_obj {
	struct shared_queue q;
	struct shared_pipe pipe;
	struct shared_pool pool;
	struct shared_manager mgr;
};

/* ---- per-actor state ---- */
enum actor_state {
	ACT_FREE = 0,     /* slot unused */
	ACT_RUNNING,      /* executing steps */
	ACT_SLEEPING,     /* sleep step, timed */
	ACT_BUSY,         /* busy step */
	ACT_BLOCKED,      /* waiting on an object; see wait_* */
	ACT_EXITED,       /* finished, slot not yet reused */
	ACT_STATE_COUNT
};

struct shared_actor {
	_Atomic int32_t state;        /* enum actor_state */
	_Atomic int32_t pid, tid;
	_Atomic int32_t obj;          /* scenario object it belongs to (process/thread/pool def) */
	_Atomic int32_t role;         /* enum ev_role for processes, ev_thread_role for threads */
	_Atomic int32_t is_thread;
	_Atomic int32_t wait_obj;     /* object blocked on, or -1 */
	_Atomic int32_t wait_op;      /* enum ev_wait */
	_Atomic int32_t wait_peer;    /* pid joined / awaited, or -1 */
	_Atomic int32_t timed;        /* 1 if the wait has a timeout */
	_Atomic int64_t since_ns;     /* CLOCK_MONOTONIC when the state began */
	_Atomic int64_t task;         /* pool task running, or -1 */
	_Atomic int32_t step;         /* index of the step running in its function */
	_Atomic int32_t func;         /* function running */
	char name[16];                /* as set with PR_SET_NAME */
};

struct shared {
	uint64_t magic;
	size_t size;
	int nobjs;
	int nactors;
	struct shared_clock clock;
	_Atomic int32_t observer_pid;
	_Atomic int32_t main_pid;
	_Atomic int32_t pgid;
	_Atomic int64_t next_task_id;
	_Atomic int32_t forking;          /* forks not yet attached (proc_spawn's cap) */
	_Atomic int32_t tstarting;        /* user threads not yet attached (thread cap) */
	union shared_obj *objs;           /* [nobjs], points inside the mapping */
	struct shared_actor *actors;      /* [nactors] */
	struct ring_area *rings;          /* nactors slots */
};

/* Map and initialise the region for 'sc' (objects, actors = max_processes +
 * max_threads + internal threads). Returns NULL with errno set on failure.
 * The pointers inside stay valid in every forked child. */
struct shared *shared_create(const struct scenario *sc);

/* Unmap. Only the observer calls it, after every scenario process is gone. */
void shared_destroy(struct shared *sh);


#endif
