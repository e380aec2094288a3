#ifndef IPCSCOPE_ACTOR_H
#define IPCSCOPE_ACTOR_H
/*
 * An actor is one scenario process or thread executing steps. Every step
 * executor receives the actor it runs in; the actor owns its ring slot (and
 * so its events), its slot in shared->actors, and its current frame
 * (argument, loop index, last value, pending error).
 *
 * Step executors live one family per file (runtime/step_*.c) and are listed
 * in one table (runtime/steps.c): adding a step kind means a row in
 * scenario/ (syntax, checks) and a row plus a function here.
 */
#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "runtime/shared.h"
#include "scenario/scenario.h"

#define ACTOR_ERRTYPE_MAX 48
#define ACTOR_ERRMSG_MAX  512

struct actor {
	struct shared *sh;
	const struct scenario *sc;
	int slot;                 /* ring slot == index into sh->actors */
	pid_t pid, tid;
	int role;                 /* enum ev_role or ev_thread_role */
	bool is_thread;
	bool in_pool_worker;      /* starting processes is an error here (CPython) */
	/* the frame of the function being run */
	int64_t arg;              /* its argument */
	int64_t loop_i;           /* innermost repeat index, 0 outside loops */
	char *value;              /* last value fetched (owned, malloc'd), or NULL */
	int64_t ret;              /* value of the last 'return' */
	bool has_ret;
	int exit_code;            /* for STEP_RC_EXIT */
	char errtype[ACTOR_ERRTYPE_MAX];   /* pending error, e.g. "queue.Empty" */
	char errmsg[ACTOR_ERRMSG_MAX];     /* its message, may be empty */
};

enum step_rc {
	STEP_RC_OK,       /* go on with the next step */
	STEP_RC_RETURN,   /* 'return': leave the function, a->ret is set */
	STEP_RC_EXIT,     /* 'exit': end the process with a->exit_code */
	STEP_RC_ERROR,    /* an error is pending in a->errtype / a->errmsg */
};

typedef enum step_rc (*step_exec_fn)(struct actor *a, const struct sc_step *st);

/* The executor of each step kind (runtime/steps.c). */
extern const step_exec_fn step_exec_table[STEP_KIND_COUNT];

/* ---- events and state (runtime/actor.c) ---- */

/* Emit one event from 'a' with the current time. 'text' may be NULL. */
void actor_emit(struct actor *a, int kind, int obj, int64_t x, int64_t y,
    int64_t z, const char *text);

/* Mark 'a' blocked on 'obj' for 'op' (enum ev_wait), waiting for 'peer'
 * (pid or -1), with or without a timeout, and emit EV_BLOCK. Call only when
 * the operation is about to block for real. */
void actor_block(struct actor *a, int obj, int op, pid_t peer, bool timed);
/* Clear the blocked state and emit EV_UNBLOCK with 'outcome' (ev_outcome). */
void actor_unblock(struct actor *a, int obj, int op, int outcome);
/* Set the actor's shared state (ACT_RUNNING, ACT_SLEEPING, ACT_BUSY...). */
void actor_set_state(struct actor *a, int state);

/* Set the pending error ("ValueError", "Pool is still running") and return
 * STEP_RC_ERROR, so executors can 'return actor_error(...)'. */
enum step_rc actor_error(struct actor *a, const char *type, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Replace a->value with a copy of 'v' (may be NULL). */
void actor_set_value(struct actor *a, const char *v);

/* ---- interpretation (runtime/interp.c) ---- */

/* Run function 'func' with argument 'arg' in actor 'a' (a fresh frame:
 * loop_i = 0; value and errors are kept in 'a'). Returns STEP_RC_OK when the
 * function ran to its end or returned (a->has_ret tells), STEP_RC_EXIT, or
 * STEP_RC_ERROR with the error pending in 'a'. */
enum step_rc interp_run(struct actor *a, int func, int64_t arg);

/* Expand a text template ({pid} {ppid} {tid} {arg} {i} {value} {name},
 * {{ and }}) into 'buf' (always NUL-terminated). Returns the length. */
size_t interp_expand(const struct actor *a, const char *tmpl, char *buf, size_t size);

/* Evaluate an integer expression in the actor's frame. */
int64_t interp_eval(const struct actor *a, const struct sc_expr *e);

/* ---- step executors provided by the pool and manager modules ---- */
enum step_rc step_pool_apply(struct actor *a, const struct sc_step *st);
enum step_rc step_pool_apply_async(struct actor *a, const struct sc_step *st);
enum step_rc step_pool_map(struct actor *a, const struct sc_step *st);      /* map, map_async, imap, imap_unordered */
enum step_rc step_pool_wait(struct actor *a, const struct sc_step *st);
enum step_rc step_pool_close(struct actor *a, const struct sc_step *st);
enum step_rc step_pool_join(struct actor *a, const struct sc_step *st);
enum step_rc step_pool_terminate(struct actor *a, const struct sc_step *st);
enum step_rc step_manager_op(struct actor *a, const struct sc_step *st);  /* dict_set, dict_get, list_append, list_get */

/* ---- processes and threads (runtime/proc.c, runtime/thread.c) ---- */

/* Body of a spawned process or thread; for a process the return value is
 * its exit code (CPython's: 0, n, 1 after an uncaught error). */
typedef int (*actor_body_fn)(struct actor *self, void *ud);

/* fork() a scenario process from 'parent': the child gets its own ring slot
 * and actor, PR_SET_NAME 'name' (15 bytes max), PR_SET_PDEATHSIG(SIGKILL),
 * emits EV_SPAWN (role, def object 'obj', copy index), runs 'body', emits
 * EV_EXIT and _exit()s with its code. The parent does not reap it: a
 * finished child stays a zombie until joined (proc_join), as in CPython.
 * Returns the child's pid, or -1 with errno set. */
pid_t proc_spawn(struct actor *parent, const char *name, int role, int obj,
    int copy, actor_body_fn body, void *ud);

/* Wait for child 'pid' (blocking, or until the scenario-time timeout
 * 'timeout_ns' >= 0 expires); emits block/unblock and EV_REAP. Returns the
 * CPython exit code (0, n, 1, -signal), or INT32_MIN on timeout / error. */
int proc_join(struct actor *a, int obj, pid_t pid, int64_t timeout_ns);

/* CPython's exitcode for a waitpid() status. */
int proc_exit_code(int wstatus);

/* Start a pthread in the calling process with its own ring slot and actor
 * (role: enum ev_thread_role); emits EV_THREAD_START / EV_THREAD_END. */
int thread_spawn(struct actor *parent, const char *name, int role, int obj,
    actor_body_fn body, void *ud, pthread_t *out);

/* ---- the scenario's main process (runtime/runtime.c) ---- */

/* Everything the scenario's main process does, called by the observer's
 * run_start() in the freshly forked child (its own process group, stdio
 * already redirected, PR_SET_PDEATHSIG set): claim a ring slot, name itself
 * "main", emit EV_SPAWN, create queues and pipes, start managers and pools,
 * run the main function, report an uncaught error (EV_ERROR, CPython-like),
 * shut pools and managers down, join non-daemon children and terminate
 * daemon ones (CPython's exit), emit EV_EXIT and release the slot.
 * Returns main's exit code (CPython's); the caller _exit()s with it. */
int runtime_enter_main(struct shared *sh, const struct scenario *sc);

/* ---- the main process's set-up and tear-down (pool.c, manager.c) ---- */

/* Before main's first step: start every declared manager server, then
 * create every declared pool (workers and handler threads). */
void manager_startup(struct actor *main_actor);
void pool_startup(struct actor *main_actor);
/* After main's last step (or its uncaught error), as CPython's exit does:
 * terminate pools still running (SIGTERM, tasks lost silently), then shut
 * the managers down. */
void pool_shutdown(struct actor *main_actor);
void manager_shutdown(struct actor *main_actor);

#endif
