/* Scenario processes: fork with a ring slot and a name, join with CPython's
 * exit codes. Children are reaped only when joined (zombies until then). */
#include "runtime/actor.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "runtime/runtime_int.h"
#include "util/futex.h"

int
proc_exit_code(int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	if (WIFSIGNALED(wstatus))
		return -WTERMSIG(wstatus);
	return 0;
}

/* Would one more process exceed max_processes? Counts the live process
 * actors and the forks in flight (which includes the caller's own, added
 * first, so two racing spawners cannot both take the last place). The
 * checker already refuses scenarios that could go over; this is the
 * run-time guard. */
static bool
proc_over_cap(struct shared *sh, const struct scenario *sc)
{
	int live = atomic_load(&sh->forking);

	for (int i = 0; i < sh->nactors && live <= sc->max_processes; i++) {
		const struct shared_actor *s = &sh->actors[i];
		int32_t st = atomic_load(&s->state);
		if (st != ACT_FREE && st != ACT_EXITED && !atomic_load(&s->is_thread))
			live++;
	}
	return live > sc->max_processes;
}

pid_t
proc_spawn(struct actor *parent, const char *name, int role, int obj,
    int copy, actor_body_fn body, void *ud)
{
	pid_t ppid = getpid();
	atomic_fetch_add(&parent->sh->forking, 1);
	if (proc_over_cap(parent->sh, parent->sc)) {
		atomic_fetch_sub(&parent->sh->forking, 1);
		errno = EAGAIN;       /* as a fork over RLIMIT_NPROC: BlockingIOError */
		return -1;
	}
	/* EV_SPAWN carries the fork's time: the parent may act on the child
	 * (join it, signal it) before the child gets to write anything. */
	int64_t t_fork = mono_ns();
	pid_t pid = fork();
	struct actor self;
	char comm[16];

	if (pid < 0)
		atomic_fetch_sub(&parent->sh->forking, 1);
	if (pid != 0)
		return pid;
	/* The child. PR_SET_PDEATHSIG fires when the forking *thread* ends, so
	 * it is not set for children of user threads (CPython's children
	 * outlive the thread that started them); the observer's process-group
	 * kill covers those. */
	if (!(parent->is_thread && parent->role == TROLE_USER))
		prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != ppid) {
		atomic_fetch_sub(&parent->sh->forking, 1);
		_exit(1);
	}
	snprintf(comm, sizeof(comm), "%s", name);
	prctl(PR_SET_NAME, comm);
	proc_after_fork();
	thread_after_fork();
	actor_attach(&self, parent->sh, parent->sc, parent, role, false, obj, comm);
	atomic_fetch_sub(&self.sh->forking, 1);   /* counted as an actor now */
	if (role == ROLE_WORKER)
		self.in_pool_worker = true;
	actor_emit_at(&self, t_fork, 0, EV_SPAWN, obj, ppid, role, copy, comm);
	int code = body(&self, ud) & 0xff;
	/* CPython's _bootstrap: threading._shutdown(), then _exit_function(). */
	thread_join_all(&self);
	proc_exit_children(&self);
	actor_emit(&self, EV_EXIT, obj, code, code << 8, 0, NULL);
	actor_detach(&self);
	_exit(code);
}

void
proc_report_reaped(struct actor *a, int obj, pid_t pid, int wstatus)
{
	/* A process killed by a signal could not say so itself, nor mark its
	 * actors (and its threads') as gone. */
	if (WIFSIGNALED(wstatus)) {
		for (int i = 0; i < a->sh->nactors; i++) {
			struct shared_actor *s = &a->sh->actors[i];
			int32_t st = atomic_load(&s->state);
			if (atomic_load(&s->pid) == pid && st != ACT_FREE && st != ACT_EXITED) {
				atomic_store(&s->wait_obj, -1);
				atomic_store(&s->since_ns, mono_ns());
				atomic_store(&s->state, ACT_EXITED);
			}
		}
		actor_emit_at(a, mono_ns(), pid, EV_EXIT, obj, proc_exit_code(wstatus),
		    wstatus, 0, NULL);
	}
	actor_emit(a, EV_REAP, obj, pid, proc_exit_code(wstatus), 0, NULL);
}

/* Wait for 'pfd' (a pidfd, or -1) to become readable, at most 'slice_ns'
 * (-1: no limit). */
static void
wait_pidfd(int pfd, int64_t slice_ns)
{
	struct pollfd p = { .fd = pfd, .events = POLLIN };
	struct timespec ts, *tsp = NULL;

	if (pfd < 0 && (slice_ns < 0 || slice_ns > 10000000))
		slice_ns = 10000000;
	if (slice_ns >= 0) {
		ts.tv_sec = slice_ns / 1000000000;
		ts.tv_nsec = slice_ns % 1000000000;
		tsp = &ts;
	}
	ppoll(pfd >= 0 ? &p : NULL, pfd >= 0 ? 1 : 0, tsp, NULL);
}

int
proc_join(struct actor *a, int obj, pid_t pid, int64_t timeout_ns)
{
	int st = 0;
	pid_t r;

	do
		r = waitpid(pid, &st, WNOHANG);
	while (r < 0 && errno == EINTR);
	if (r == pid) {
		proc_report_reaped(a, obj, pid, st);
		return proc_exit_code(st);
	}
	if (r < 0)
		return INT32_MIN;

	int64_t deadline = actor_deadline(a, timeout_ns);
	int pfd = (int)pidfd_open(pid, 0);
	int code = INT32_MIN;
	int outcome = OUT_TIMEOUT;

	actor_block(a, obj, WAIT_JOIN, pid, timeout_ns >= 0);
	for (;;) {
		r = waitpid(pid, &st, WNOHANG);
		if (r == pid) {
			outcome = OUT_OK;
			break;
		}
		if (r < 0 && errno != EINTR) {
			outcome = OUT_ERROR;
			break;
		}
		int64_t slice = actor_wait_slice(a, deadline);
		if (slice == 0)
			break;
		wait_pidfd(pfd, slice);
	}
	if (pfd >= 0)
		close(pfd);
	actor_unblock(a, obj, WAIT_JOIN, outcome);
	if (outcome == OUT_OK) {
		proc_report_reaped(a, obj, pid, st);
		code = proc_exit_code(st);
	}
	return code;
}
