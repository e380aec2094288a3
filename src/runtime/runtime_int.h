#ifndef IPCSCOPE_RUNTIME_INT_H
#define IPCSCOPE_RUNTIME_INT_H
/*
 * Internals shared by the runtime's own files (actor, interp, proc, thread,
 * queue, pipe, runtime, and the pool / manager modules if they want them).
 * Not a contract with the observer or the UI: those read actor.h / shared.h.
 */
#include <stdbool.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sys/types.h>

#include "runtime/actor.h"

/* ---- actor life (actor.c) ---- */

/* Fill 'a' for the calling process or thread: claim a ring slot, publish
 * pid/tid/role/obj/name in sh->actors[slot] (state ACT_RUNNING). 'parent'
 * (may be NULL) passes on in_pool_worker. a->value starts NULL. */
void actor_attach(struct actor *a, struct shared *sh, const struct scenario *sc,
    const struct actor *parent, int role, bool is_thread, int obj, const char *name);
/* Mark the slot ACT_EXITED, free a->value and release the ring slot. No
 * event may be emitted from 'a' afterwards. */
void actor_detach(struct actor *a);

/* Emit like actor_emit, but with a timestamp taken earlier (mono_ns()):
 * for causes whose effect can be observed before the event is written
 * (a put is stamped before its bytes enter the pipe). 'pid' overrides the
 * event's pid and tid when > 0 (a parent reporting a child killed by a
 * signal: the event is about the child, as the observer's own reports of
 * main's death are). Each ring stays in time order. */
void actor_emit_at(struct actor *a, int64_t t_ns, pid_t pid, int kind, int obj,
    int64_t x, int64_t y, int64_t z, const char *text);

/* interp.c: expand the text template 'tmpl' of a message (put, send,
 * print, manager key or value) into a new buffer *out (the caller frees)
 * of *len bytes. Longer than SC_MAX_MESSAGE bytes after expansion is not
 * truncated but an error: *out is NULL and the ValueError is returned
 * (actor_error). */
enum step_rc interp_message(struct actor *a, const char *tmpl, char **out, size_t *len);

/* The "Type: message" (or "Type") text of the pending error in 'a'. */
void actor_error_text(const struct actor *a, char *buf, size_t size);
/* Report the pending error as EV_ERROR (a=0 uncaught, 1 handled) and clear it. */
void actor_report_error(struct actor *a, bool handled);

/* Real nanoseconds to wait before checking the scenario-time 'deadline'
 * again: -1 when deadline < 0 (wait for ever), 0 when it has passed, else
 * the remaining real time at the current speed, at most 50 ms (so pause
 * and speed changes are followed). */
int64_t actor_wait_slice(struct actor *a, int64_t deadline);
/* Scenario-time deadline for a step 'timeout_ns' (-1 stays -1). */
int64_t actor_deadline(struct actor *a, int64_t timeout_ns);

/* ---- processes and threads (proc.c, step_proc.c, step_thread.c) ---- */

/* Report a child reaped with 'wstatus': EV_EXIT on its behalf when a signal
 * killed it (it could not say so itself), then EV_REAP. */
void proc_report_reaped(struct actor *a, int obj, pid_t pid, int wstatus);

/* In a freshly forked child: the parent's threads do not exist here, the
 * parent's children are not ours. Called by proc_spawn's child side. */
void proc_after_fork(void);
void thread_after_fork(void);

/* CPython's exit of a process, in order: join every thread still running
 * (threading._shutdown), then - after the caller's pool / manager
 * finalizers - terminate daemonic children and join every child. */
void thread_join_all(struct actor *a);
void proc_exit_children(struct actor *a);

/* thread_spawn, and once the thread has emitted EV_THREAD_END, set *done
 * to 1 and wake futex waiters on it (so a join never precedes the end). */
int thread_spawn_done(struct actor *parent, const char *name, int role, int obj,
    actor_body_fn body, void *ud, pthread_t *out, _Atomic uint32_t *done);

/* Run 'func' as the body of a process or thread: returns the exit code
 * (0, n for exit n, 1 after an uncaught error, which is reported). */
int interp_body(struct actor *a, int func, int64_t arg);

/* ---- objects (queue.c, pipe.c) ---- */
/* Create every queue's / pipe's kernel objects; main calls them before its
 * first step. Return 0, or -1 with an error pending in 'main_actor'. */
int queue_startup(struct actor *main_actor);
int pipe_startup(struct actor *main_actor);

/* ---- message I/O on non-blocking fds (pipe.c; queue.c uses it too) ---- */

/* A message being written and the event that reports it (EV_PUT, EV_SEND),
 * stamped before its bytes can be read. */
struct io_msg {
	int obj, op;                 /* a writer that must wait is blocked on obj
	                              * for op (WAIT_PUT, WAIT_SEND) */
	_Atomic int32_t *nblocked;   /* counts it while it waits */
	int kind;                    /* the event: kind, stamp, a, b, text */
	int64_t t, x, y;
	const char *text;
	bool emitted;                /* out: the event has been emitted */
};
/* Write all 'n' bytes to 'fd' (non-blocking). When the kernel buffer is
 * full, emits m's event first (so every ring stays in time order), then
 * EV_BLOCK, waits, and EV_UNBLOCK once done. On success the event has been
 * emitted. Returns 0 or -errno (-EPIPE ...); after an error the event was
 * emitted only if the writer had blocked first (m->emitted). */
int io_write_msg(struct actor *a, int fd, const void *buf, size_t n, struct io_msg *m);
/* Read exactly 'n' bytes from 'fd', waiting for bytes in transit. Returns
 * n, fewer on end of file, or -errno. */
ssize_t io_read_full(int fd, void *buf, size_t n);
/* poll() 'fd' for 'events' at most 'slice_ns' (-1: no limit). Returns > 0
 * when ready, 0 on timeout or signal. */
int io_wait(int fd, short events, int64_t slice_ns);

/* ---- step executors (one family per step_*.c) ---- */
enum step_rc step_sleep(struct actor *a, const struct sc_step *st);
enum step_rc step_busy(struct actor *a, const struct sc_step *st);
enum step_rc step_print(struct actor *a, const struct sc_step *st);
enum step_rc step_return(struct actor *a, const struct sc_step *st);
enum step_rc step_exit(struct actor *a, const struct sc_step *st);
enum step_rc step_raise(struct actor *a, const struct sc_step *st);
enum step_rc step_crash(struct actor *a, const struct sc_step *st);
enum step_rc step_call(struct actor *a, const struct sc_step *st);
enum step_rc step_start(struct actor *a, const struct sc_step *st);
enum step_rc step_join(struct actor *a, const struct sc_step *st);
enum step_rc step_terminate(struct actor *a, const struct sc_step *st);
enum step_rc step_proc_start(struct actor *a, const struct sc_step *st);
enum step_rc step_proc_join(struct actor *a, const struct sc_step *st);
enum step_rc step_proc_terminate(struct actor *a, const struct sc_step *st);
enum step_rc step_thread_start(struct actor *a, const struct sc_step *st);
enum step_rc step_thread_join(struct actor *a, const struct sc_step *st);
enum step_rc step_put(struct actor *a, const struct sc_step *st);
enum step_rc step_get(struct actor *a, const struct sc_step *st);
enum step_rc step_send(struct actor *a, const struct sc_step *st);
enum step_rc step_recv(struct actor *a, const struct sc_step *st);
enum step_rc step_close_end(struct actor *a, const struct sc_step *st);

#endif
