#ifndef IPCSCOPE_MODEL_H
#define IPCSCOPE_MODEL_H
/*
 * The observer's model: everything a sink shows, in plain C structs (no
 * curses, no libproc2). Sources feed it:
 *   model_apply()        one event (live rings, or a recorded trace),
 *   model_sample()       a /proc snapshot (state, CPU, memory, threads),
 *   model_sync_shared()  the shared region (actor states, pool slots),
 *   model_tick()         the passing of time (history buckets, rates).
 * Sinks only read it. Views keep ids (process index, object index, task id)
 * and resolve them at every draw with the accessors below; nothing is ever
 * removed during a run, so an id stays valid until model_reset().
 *
 * Times are CLOCK_MONOTONIC nanoseconds, as in struct event; model->t0_ns is
 * the first event's time (or what model_set_start gave), so a view shows
 * t - t0.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "event/event.h"
#include "proc/sampler.h"
#include "scenario/scenario.h"

struct shared;

#define MODEL_NAME_MAX   32
#define MODEL_HIST       256     /* history buckets per queue / pipe */
#define MODEL_LOG_MAX    4096    /* event log entries kept */
#define MODEL_LOG_TEXT   200     /* bytes of formatted text per entry */
#define MODEL_END_PIDS   4       /* pids remembered per pipe end */
#define MODEL_REPLACE_MAX 64     /* replacement marks kept per worker slot */

/* Life of a process as the observer knows it. */
enum model_life {
	LIFE_RUNNING,    /* spawned, no exit yet */
	LIFE_ZOMBIE,     /* exited, not yet reaped by its parent (join) */
	LIFE_REAPED,     /* exited and reaped: gone from /proc */
};

/* What an actor (process main thread, or thread) is doing now. */
enum model_doing_kind {
	DOING_RUN,       /* executing steps */
	DOING_SLEEP,
	DOING_BUSY,
	DOING_BLOCKED,   /* see obj / op / peer */
	DOING_TASK,      /* a pool worker running task 'task' */
	DOING_DONE,      /* ended */
};

struct model_doing {
	int what;             /* enum model_doing_kind */
	int obj;              /* blocked on, or the pool of the task; -1 */
	int op;               /* enum ev_wait when blocked */
	pid_t peer;           /* pid joined / awaited, or -1 */
	int64_t task;         /* pool task id, or -1 */
	int64_t since_ns;     /* when this began */
	int step, func;       /* from the shared actor state; -1 if unknown */
};

struct model_thread {
	pid_t tid;
	int role;             /* enum ev_thread_role */
	int obj;              /* thread definition, or -1 */
	char name[MODEL_NAME_MAX];
	bool ended;
	int64_t start_ns, end_ns;
	struct model_doing doing;
};

struct model_proc {
	pid_t pid;
	uint64_t start_ticks; /* from the first /proc sample; 0 until then */
	pid_t ppid;
	int role;             /* enum ev_role */
	int obj;              /* process / pool / manager definition, or -1 */
	int copy;             /* copy index (pool worker: its slot) */
	char name[MODEL_NAME_MAX];
	int life;             /* enum model_life */
	int exit_code;        /* as CPython reports it: n, 1, -signal */
	int wait_status;
	int64_t spawn_ns, exit_ns;
	struct model_doing doing;
	uint64_t nevents;     /* events from this process (any thread) */
	bool placeholder;     /* made up for an event that came before its
	                         spawn (or without one); a spawn fills it in */
	bool stopped_at_end;  /* still running when the run ended: the observer
	                         killed it; 'doing' is what it was doing then */
	/* last /proc sample */
	bool sampled;         /* a sample has been merged */
	bool in_proc;         /* present in the last sample */
	char state;           /* R S D Z T ... ; '?' before any sample */
	char comm[SAMPLER_COMM_MAX];
	pid_t pgid;
	double pcpu;          /* NAN: no value yet */
	unsigned long rss_kib;
	int nlwp;             /* threads per /proc */
	uint64_t ticks;
	/* threads seen in events (not the main thread) */
	struct model_thread *threads;
	int nthreads, capthreads;
};

/* Fixed-size ring of int64 values, oldest first when read with model_hist_at. */
struct model_hist {
	int64_t v[MODEL_HIST];
	int n, head;          /* head = index of the next write */
};

struct model_queue {
	int maxsize;
	int64_t depth, max_depth, puts, gets, bytes_in, bytes_out;
	int64_t bucket_max;        /* max depth in the bucket being filled */
	struct model_hist depth_hist;   /* max depth per bucket */
	struct model_hist puts_hist;    /* cumulative puts at each bucket end */
	struct model_hist gets_hist;
};

struct model_pipe {
	bool duplex;
	int64_t msgs[2], bytes[2];           /* sent from end e */
	int64_t rmsgs[2], rbytes[2];         /* received at end e */
	bool closed[2];
	pid_t end_pids[2][MODEL_END_PIDS];   /* who used end e */
	int nend_pids[2];
	struct model_hist msgs_hist[2];      /* cumulative msgs[e] per bucket */
};

enum model_task_state { TASK_PENDING, TASK_RUNNING, TASK_DONE, TASK_FAILED,
	TASK_LOST, TASK_STATE_COUNT };

struct model_task {
	int64_t id;
	int pool;             /* object index */
	int64_t arg;
	int call;             /* enum ev_call */
	int slot;             /* worker slot, -1 before start */
	pid_t worker;
	int state;            /* enum model_task_state */
	int64_t result;
	int64_t submit_ns, start_ns, end_ns;   /* 0 = not yet */
	bool callback_done;
	bool fetched;         /* its result was fetched (EV_RESULT) */
	char error[64];
};

struct model_worker_slot {
	pid_t pid;                              /* current worker, 0 if none */
	int64_t since_ns;
	int replacements;                       /* new workers after the first */
	int64_t replaced_ns[MODEL_REPLACE_MAX]; /* when each replacement came */
	pid_t replaced_pid[MODEL_REPLACE_MAX];  /* the worker that left */
};

struct model_pool {
	int processes, maxtasksperchild;
	int state;            /* enum ev_pool_op of the last pool op */
	int64_t submitted, started, done, failed, lost, callbacks;
	struct model_worker_slot slots[SC_MAX_POOL];
	int nslots;           /* slots used (>= processes once workers start) */
};

struct model_mgr {
	int64_t ops, dict_size, list_size;
	pid_t server_pid;
};

struct model_obj {
	int kind;             /* enum sc_kind */
	union {
		struct model_queue q;
		struct model_pipe pipe;
		struct model_pool pool;
		struct model_mgr mgr;
	} u;
};

/* Event classes, for the log filter. */
enum model_log_class {
	LOGC_PROC = 1 << 0,   /* spawn exit reap thread_start thread_end */
	LOGC_IPC  = 1 << 1,   /* put get send recv pipe_close manager */
	LOGC_WAIT = 1 << 2,   /* block unblock */
	LOGC_POOL = 1 << 3,   /* submit task_* callback result pool lost */
	LOGC_OUT  = 1 << 4,   /* print error signal deadlock timeout end */
	LOGC_ALL  = 0x1f,
};

struct model_log_entry {
	uint64_t seq;         /* 1, 2, ... over the whole run */
	int64_t t_ns;
	pid_t pid, tid;
	uint16_t kind;
	uint8_t cls;          /* enum model_log_class */
	bool alert;           /* error, lost task, deadlock, timeout, crash */
	char text[MODEL_LOG_TEXT];
};

/* The scenario clock as the observer steered it: from each mark on,
 * scenario time runs at 'speed' x real time (0 while paused). */
struct model_clock_mark {
	int64_t real_ns;              /* CLOCK_MONOTONIC */
	int64_t scen_ns;              /* scenario time then, since t0 */
	double speed;
};

struct model {
	const struct scenario *sc;    /* borrowed */
	int64_t t0_ns;                /* 0 until the first event / set_start */
	int64_t last_ns;              /* time of the newest event */
	struct model_clock_mark *marks;   /* in time order; none = real time */
	int nmarks, capmarks;
	/* processes, in spawn order; index = id */
	struct model_proc *procs;
	int nprocs, capprocs;
	int *pid_index;               /* open addressing: pid -> newest index */
	int pid_index_cap;
	/* objects, by scenario object index */
	struct model_obj *objs;
	int nobjs;
	/* pool tasks, sorted by id */
	struct model_task *tasks;
	size_t ntasks, captasks;
	/* event log ring */
	struct model_log_entry *log;
	uint64_t log_seq;             /* entries ever added */
	/* history buckets */
	int64_t hist_ns;              /* bucket width (default 100 ms) */
	int64_t hist_next_ns;         /* end of the bucket being filled; 0 = not started */
	/* totals for the summary */
	uint64_t nevents;
	int64_t spawned, exited, errors, prints, callbacks, messages, lost;
	/* the end of the run */
	bool ended;
	int end_status;               /* EV_END a */
	bool deadlock, timeout;
	char *reason;                 /* deadlock chain / timeout reason (owned) */
	char *stuck;                  /* the last group stuck for good while the
	                                 run went on (EV_DEADLOCK a=1), owned */
};

/* Initialise 'm' for scenario 'sc' (borrowed, must outlive 'm'). */
void model_init(struct model *m, const struct scenario *sc);
/* Free everything 'm' owns. */
void model_free(struct model *m);
/* Forget the run (restart): same scenario, empty state. */
void model_reset(struct model *m);
/* Set t0 (run start, CLOCK_MONOTONIC ns) before the first event. */
void model_set_start(struct model *m, int64_t t0_ns);

/* The scenario clock: from 'real_ns' on, scenario time runs at 'speed' x
 * real time (0 = paused). Call at the run's start and at every pause,
 * resume and speed change. Without marks scenario time is real time. */
void model_clock_mark(struct model *m, int64_t real_ns, double speed);
/* Scenario time since t0 at CLOCK_MONOTONIC 'real_ns'. */
int64_t model_scen(const struct model *m, int64_t real_ns);

/* Apply one event (its text is copied as needed). Events must come in
 * time order per process; the observer's merge guarantees that. */
void model_apply(struct model *m, const struct event *ev);
/* ring_event_fn-compatible wrapper: 'ud' is the struct model. */
void model_apply_cb(void *ud, const struct event *ev);

/* Merge a /proc snapshot: per process (matched by pid and, once known, start
 * time) state, CPU, memory, threads. Processes absent from it that are
 * still alive in the model keep their last values with in_proc = false. */
void model_sample(struct model *m, const struct proc_snapshot *snap);

/* Pids the sampler should read: every process not yet reaped. Returns the
 * count written to 'out' (at most 'max'). */
size_t model_live_pids(const struct model *m, pid_t *out, size_t max);

/* Read the live state of the shared region: what each actor is doing
 * (sleeping, busy, blocked, running a task, which step) and which worker
 * holds each pool slot. Read-only on 'sh'. */
void model_sync_shared(struct model *m, const struct shared *sh);

/* The run is over at 't_ns' (every scenario process is gone): processes
 * that never reported an exit become stopped_at_end (and reaped), keeping
 * what they were doing; their threads end. */
void model_end(struct model *m, int64_t t_ns);

/* Close history buckets up to 'now_ns' (call periodically while running;
 * not while paused, so the history pauses too). */
void model_tick(struct model *m, int64_t now_ns);

/* ---- lookups ---- */
/* Newest process with 'pid', or NULL. */
struct model_proc *model_proc_by_pid(const struct model *m, pid_t pid);
/* Index (id) of the newest process with 'pid', or -1. */
int model_proc_index(const struct model *m, pid_t pid);
/* Process 'id', or NULL when out of range. */
struct model_proc *model_proc_get(const struct model *m, int id);
struct model_thread *model_thread_by_tid(const struct model *m, pid_t tid);
/* Task 'id', or NULL. */
struct model_task *model_task_get(const struct model *m, int64_t id);
/* Object 'i', or NULL when out of range. */
struct model_obj *model_obj_get(const struct model *m, int i);
/* Name of object 'i' ("?" when out of range). */
const char *model_obj_name(const struct model *m, int i);
/* Actors (process main threads and threads) blocked now on 'obj' with
 * wait op 'op' (enum ev_wait; -1 = any). */
int model_blocked_on(const struct model *m, int obj, int op);
/* Pending / running tasks of pool 'obj'. */
int model_pool_count(const struct model *m, int obj, int task_state);

/* ---- history ---- */
/* Value 'k' of 'h', 0 = oldest of the h->n kept. */
int64_t model_hist_at(const struct model_hist *h, int k);
/* Rate per second of a cumulative history over the last 'buckets' closed
 * buckets: ('current' - the value 'buckets' bucket ends ago) / that time.
 * 0 when there is no history. */
double model_hist_rate(const struct model *m, const struct model_hist *h,
    int64_t current, int buckets);

/* ---- the event log ---- */
/* Entries kept (<= MODEL_LOG_MAX). */
size_t model_log_count(const struct model *m);
/* Entry 'k' among those kept, 0 = oldest. */
const struct model_log_entry *model_log_at(const struct model *m, size_t k);
/* Format 'ev' as one log line (no time, no pid) into buf. */
void model_format_event(const struct model *m, const struct event *ev,
    char *buf, size_t len);
/* The class (enum model_log_class) of an event kind. */
int model_log_class(int kind);
/* True when 'e' passes class mask 'mask' and contains 'needle' (case
 * insensitive; NULL or "" = anything). */
bool model_log_match(const struct model_log_entry *e, int mask,
    const char *needle);

/* ---- the process tree ---- */
struct model_tree_row {
	int proc;             /* process id */
	int thread;           /* index in procs[proc].threads, or -1 for the process */
	int depth;            /* 0 = root */
	uint32_t last_mask;   /* bit d set: the ancestor at depth d (or this row
	                         at its own depth) is the last of its siblings */
};
enum model_tree_threads { TREE_NO_THREADS, TREE_LIVE_THREADS, TREE_ALL_THREADS };
/* Rows of the process tree, depth first, children in spawn order, threads
 * ('threads': none, those still running, all) first under their process.
 * Returns the number of rows (may exceed 'max'; only 'max' are written). */
size_t model_tree(const struct model *m, int threads,
    struct model_tree_row *rows, size_t max);

/* Human text for a doing state: "sleep", "blocked get q 1.2s", "task 7".
 * 'now_ns' (CLOCK_MONOTONIC) gives the duration, in scenario time. */
void model_doing_text(const struct model *m, const struct model_doing *d,
    int64_t now_ns, char *buf, size_t len);

#endif
