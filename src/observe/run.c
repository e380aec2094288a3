/*
 * A run seen from the observer: start (fork main into its own process
 * group), poll (drain, merge, reap, detect the end, a timeout or a
 * deadlock), steer (pause, speed, signals) and stop (kill and reap all).
 */
#include "observe/run.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "observe/deadlock.h"
#include "observe/merge.h"
#include "observe/reaper.h"
#include "runtime/actor.h"
#include "runtime/clock.h"
#include "util/futex.h"
#include "util/xmem.h"

#define MS 1000000LL
#define HOLD_NS        (20 * MS)    /* merge window */
#define SLOT_CHECK_NS  (250 * MS)   /* look for dead slot owners this often */
#define ZOMBIE_CHECK_NS (1000 * MS) /* and for zombie ones (reads /proc) */
#define QUIET_NS       (300 * MS)   /* no event for this long before a deadlock */
#define LINGER_NS      (2000 * MS)  /* after main: stragglers get this long */

struct run {
	const struct scenario *sc;
	struct shared *sh;
	struct merge *mg;
	double speed;
	int64_t timeout_ns;         /* scenario time */
	int efd, epfd, pidfd;
	pid_t self, main_pid, pgid;
	int64_t start_ns;           /* CLOCK_MONOTONIC at clock start */
	int64_t last_event, last_slot_check, last_zombie_check, last_dl_check, end_real;
	bool main_reaped, over, killing;
	int main_status;
	int64_t main_reaped_at;
	enum run_state state;
	bool main_error_seen, lost_seen;
	uint64_t partial_sig;        /* the stuck group last reported */
	char main_error[ACTOR_ERRTYPE_MAX + ACTOR_ERRMSG_MAX + 8];
	char lost[256];
	char reason[4096];
};

/* ---- events made by the observer ---- */

static void
emit(struct run *r, int kind, int obj, int64_t a, int64_t b, const char *text)
{
	struct event ev = {
		.t_ns = mono_ns() - r->start_ns, .pid = r->self, .tid = r->self,
		.kind = (uint16_t)kind, .obj = obj, .a = a, .b = b,
		.text = text, .text_len = text ? (uint32_t)strlen(text) : 0,
	};

	merge_add(r->mg, &ev);
}

/* Every drained event: times made relative to the start, a few remembered. */
static void
on_drained(void *ud, const struct event *in)
{
	struct run *r = ud;
	struct event ev = *in;

	ev.t_ns -= r->start_ns;
	if (ev.kind == EV_ERROR && ev.a == 0 && ev.pid == r->main_pid &&
	    (ev.tid == ev.pid || ev.tid == 0)) {
		snprintf(r->main_error, sizeof(r->main_error), "%s", ev.text ? ev.text : "");
		r->main_error_seen = true;
	} else if (ev.kind == EV_LOST && !r->lost_seen) {
		const char *pool = ev.obj >= 0 && ev.obj < r->sc->nobjs ? r->sc->objs[ev.obj].name : "?";
		const char *sig = ev.c > 0 ? sigabbrev_np((int)ev.c) : NULL;
		snprintf(r->lost, sizeof(r->lost), "task %" PRId64 " of pool %s was lost: "
		    "its worker (pid %" PRId64 ") was killed by SIG%s", ev.a, pool, ev.b,
		    sig ? sig : "?");
		r->lost_seen = true;
	}
	merge_add(r->mg, &ev);
}

static size_t
drain(struct run *r)
{
	size_t n = ring_drain_all(r->sh->rings, on_drained, r);

	if (n)
		r->last_event = mono_ns();
	return n;
}

/* ---- processes ---- */

/* Reap every child that has ended. Returns false when we have no children
 * left at all. */
static bool
reap(struct run *r)
{
	int st;
	pid_t pid;

	while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
		if (pid == r->main_pid) {
			r->main_reaped = true;
			r->main_status = st;
			r->main_reaped_at = mono_ns();
			if (r->pidfd >= 0) {
				epoll_ctl(r->epfd, EPOLL_CTL_DEL, r->pidfd, NULL);
				close(r->pidfd);
				r->pidfd = -1;
			}
			/* Main cannot report its own death by a signal. */
			if (WIFSIGNALED(st) && !r->killing) {
				struct event ev = { .t_ns = mono_ns() - r->start_ns, .pid = pid,
					.tid = pid, .kind = EV_EXIT, .obj = r->sc->main_func,
					.a = -WTERMSIG(st), .b = st };
				merge_add(r->mg, &ev);
			}
		} else if (WIFSIGNALED(st) && !r->killing) {
			/* An orphan (its parent died first) killed by a signal. */
			struct event ev = { .t_ns = mono_ns() - r->start_ns, .pid = pid,
				.tid = pid, .kind = EV_EXIT, .obj = -1,
				.a = -WTERMSIG(st), .b = st };
			merge_add(r->mg, &ev);
		}
		ring_release_pid(r->sh->rings, pid);
	}
	return !(pid < 0 && errno == ECHILD);
}

/* SIGKILL the process group and reap everything that comes back to us
 * (we are a subreaper, so orphans do), for at most a few seconds. */
static void
kill_all(struct run *r)
{
	int64_t give_up = mono_ns() + 3000 * MS;

	r->killing = true;
	if (r->pgid > 0) {
		kill(-r->pgid, SIGKILL);
		kill(-r->pgid, SIGCONT);
	}
	for (;;) {
		if (!reap(r))
			break;
		if (mono_ns() > give_up)
			break;
		struct timespec ts = { 0, 2 * MS };
		nanosleep(&ts, NULL);
		if (r->pgid > 0)
			kill(-r->pgid, SIGKILL);
		reaper_kill_children(r->self);    /* stragglers from elsewhere */
	}
	r->killing = false;
	/* Everyone is dead: read what they wrote, free their slots. */
	drain(r);
	reaper_release_dead(r->sh->rings, true);
	drain(r);
}

/* ---- the end ---- */

static const char *const state_names[] = { "running", "paused", "finished",
	"failed", "deadlock", "timeout" };

static void
end_run(struct run *r, enum run_state st)
{
	r->state = st;
	r->over = true;
	r->end_real = mono_ns();
	emit(r, EV_END, -1, run_exit_status(r), st, r->reason[0] ? r->reason : state_names[st]);
}

static void
finish_after_main(struct run *r)
{
	int st = r->main_status;
	const char *expect = r->sc->expect_error;

	kill_all(r);                 /* nothing should be left; make sure */
	if (WIFEXITED(st) && WEXITSTATUS(st) == 0) {
		r->reason[0] = '\0';
		end_run(r, RUN_FINISHED);
	} else if (WIFEXITED(st) && WEXITSTATUS(st) == 1 && r->main_error_seen &&
	    expect && strcmp(expect, r->main_error) == 0) {
		r->reason[0] = '\0';
		end_run(r, RUN_FINISHED);
	} else {
		if (r->main_error_seen && expect)
			snprintf(r->reason, sizeof(r->reason), "main: %s (expected: %s)",
			    r->main_error, expect);
		else if (r->main_error_seen)
			snprintf(r->reason, sizeof(r->reason), "main: %s", r->main_error);
		else if (WIFSIGNALED(st))
			snprintf(r->reason, sizeof(r->reason), "main was killed by SIG%s",
			    sigabbrev_np(WTERMSIG(st)) ? sigabbrev_np(WTERMSIG(st)) : "?");
		else
			snprintf(r->reason, sizeof(r->reason), "main exited with code %d",
			    WIFEXITED(st) ? WEXITSTATUS(st) : -1);
		end_run(r, RUN_FAILED);
	}
}

static void
on_timeout(struct run *r)
{
	char dur[64];

	snprintf(dur, sizeof(dur), "%.3g s", (double)r->timeout_ns / 1e9);
	if (r->lost_seen)
		snprintf(r->reason, sizeof(r->reason), "timeout after %s: %s "
		    "(CPython would wait for it for ever)", dur, r->lost);
	else
		snprintf(r->reason, sizeof(r->reason), "timeout after %s of scenario "
		    "time, the scenario still running", dur);
	emit(r, EV_TIMEOUT, -1, r->timeout_ns, 0, r->reason);
	kill_all(r);
	end_run(r, RUN_TIMEOUT);
}

static bool
check_deadlock(struct run *r, int64_t now, bool quiet)
{
	char chain[sizeof(r->reason) - 16];

	uint64_t sig;

	if (!quiet || !deadlock_check(r->sc, r->sh, now, QUIET_NS, chain, sizeof(chain))) {
		/* Not all stuck: report a group stuck for good once, and go on. */
		if (deadlock_check_partial(r->sc, r->sh, now, QUIET_NS, chain, sizeof(chain), &sig) &&
		    sig != r->partial_sig) {
			r->partial_sig = sig;
			emit(r, EV_DEADLOCK, -1, 1, 0, chain);
		}
		return false;
	}
	emit(r, EV_DEADLOCK, -1, 0, 0, chain);
	snprintf(r->reason, sizeof(r->reason), "deadlock: %s", chain);
	kill_all(r);
	end_run(r, RUN_DEADLOCK);
	return true;
}

/* ---- API ---- */

/* The child side of run_start: becomes the scenario's main process. */
static _Noreturn void
child_main(struct run *r)
{
	sigset_t all;
	int fd;

	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (getppid() != r->self)
		_exit(1);                    /* the observer died already */
	for (int s = 1; s < NSIG; s++)
		if (s != SIGKILL && s != SIGSTOP)
			signal(s, SIG_DFL);
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);
	fd = open("/dev/null", O_RDWR);
	if (fd >= 0) {
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
	}
	/* Keep stdio and the wake eventfd; nothing else of the observer's. */
	if (r->efd > 3)
		syscall(SYS_close_range, 3u, (unsigned)r->efd - 1, 0u);
	syscall(SYS_close_range, (unsigned)r->efd + 1, ~0u, 0u);
	_exit(runtime_enter_main(r->sh, r->sc));
}

struct run *
run_start(const struct scenario *sc, const struct run_opts *o, char *err, size_t errlen)
{
	struct run *r = xcalloc(1, sizeof(*r));
	struct epoll_event ee = { .events = EPOLLIN };
	double speed = o && o->speed > 0 ? o->speed : 1.0;

	if (speed < 0.01)
		speed = 0.01;
	if (speed > 1000)
		speed = 1000;
	r->sc = sc;
	r->speed = speed;
	r->timeout_ns = o && o->timeout_ns > 0 ? o->timeout_ns : sc->timeout_ns;
	r->self = getpid();
	r->efd = r->epfd = r->pidfd = -1;
	r->sh = shared_create(sc);
	if (!r->sh) {
		snprintf(err, errlen, "cannot map the shared region: %s", strerror(errno));
		goto fail;
	}
	r->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	r->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (r->efd < 0 || r->epfd < 0) {
		snprintf(err, errlen, "cannot create an eventfd: %s", strerror(errno));
		goto fail;
	}
	ee.data.fd = r->efd;
	epoll_ctl(r->epfd, EPOLL_CTL_ADD, r->efd, &ee);
	ring_set_wake_fd(r->sh->rings, r->efd);
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	atomic_store(&r->sh->observer_pid, r->self);
	r->mg = merge_new();
	clock_init(&r->sh->clock, speed);
	r->start_ns = atomic_load(&r->sh->clock.start_ns);
	r->last_event = r->last_slot_check = r->last_dl_check = mono_ns();
	fflush(NULL);
	r->main_pid = fork();
	if (r->main_pid < 0) {
		snprintf(err, errlen, "cannot fork: %s", strerror(errno));
		goto fail;
	}
	if (r->main_pid == 0)
		child_main(r);
	setpgid(r->main_pid, r->main_pid);   /* also done by the child: no race */
	r->pgid = r->main_pid;
	atomic_store(&r->sh->pgid, r->pgid);
	r->pidfd = (int)syscall(SYS_pidfd_open, r->main_pid, 0);
	if (r->pidfd >= 0) {
		fcntl(r->pidfd, F_SETFD, FD_CLOEXEC);
		ee.data.fd = r->pidfd;
		epoll_ctl(r->epfd, EPOLL_CTL_ADD, r->pidfd, &ee);
	}
	r->state = RUN_RUNNING;
	return r;
fail:
	if (r->efd >= 0)
		close(r->efd);
	if (r->epfd >= 0)
		close(r->epfd);
	if (r->sh)
		shared_destroy(r->sh);
	merge_free(r->mg);
	free(r);
	return NULL;
}

int
run_fd(const struct run *r)
{
	return r->epfd;
}

enum run_state
run_poll(struct run *r, ring_event_fn fn, void *ud)
{
	uint64_t junk;
	int64_t now;

	if (r->over) {
		merge_deliver(r->mg, INT64_MAX, fn, ud);
		return r->state;
	}
	if (read(r->efd, &junk, sizeof(junk)) < 0) {
		/* EAGAIN: nobody waited on a full ring */
	}
	now = mono_ns();
	drain(r);
	reap(r);
	if (now - r->last_slot_check >= SLOT_CHECK_NS || r->main_reaped) {
		bool zombies = r->main_reaped || now - r->last_zombie_check >= ZOMBIE_CHECK_NS;
		r->last_slot_check = now;
		if (zombies)
			r->last_zombie_check = now;
		if (reaper_release_dead(r->sh->rings, zombies))
			drain(r);
	}
	if (r->main_reaped) {
		drain(r);
		if (reaper_rings_idle(r->sh->rings) || now - r->main_reaped_at > LINGER_NS)
			finish_after_main(r);
	} else if (run_now(r) >= r->timeout_ns) {
		on_timeout(r);
	} else if (r->state == RUN_RUNNING && !r->lost_seen &&
	    now - r->last_dl_check >= 100 * MS) {
		r->last_dl_check = now;
		check_deadlock(r, now, now - r->last_event >= QUIET_NS);
	}
	merge_deliver(r->mg, r->over ? INT64_MAX : now - r->start_ns - HOLD_NS, fn, ud);
	return r->state;
}

void
run_pause(struct run *r, bool paused)
{
	if (r->over || paused == (r->state == RUN_PAUSED))
		return;
	if (paused) {
		clock_pause(&r->sh->clock, true);
		kill(-r->pgid, SIGSTOP);
		r->state = RUN_PAUSED;
	} else {
		kill(-r->pgid, SIGCONT);
		clock_pause(&r->sh->clock, false);
		r->state = RUN_RUNNING;
		r->last_event = mono_ns();     /* the quiet period starts again */
	}
}

void
run_set_speed(struct run *r, double speed)
{
	if (speed < 0.01)
		speed = 0.01;
	if (speed > 1000)
		speed = 1000;
	r->speed = speed;
	clock_set_speed(&r->sh->clock, speed);
}

double
run_speed(const struct run *r)
{
	return r->speed;
}

int
run_signal(struct run *r, pid_t pid, int sig)
{
	if (r->over || pid <= 0 || getpgid(pid) != r->pgid) {
		errno = EPERM;
		return -1;
	}
	if (kill(pid, sig) < 0)
		return -1;
	emit(r, EV_SIGNAL, -1, pid, sig, NULL);
	return 0;
}

const struct shared *
run_shared(const struct run *r)
{
	return r->sh;
}

int64_t
run_now(const struct run *r)
{
	return clock_now(&r->sh->clock);
}

enum run_state
run_state(const struct run *r)
{
	return r->state;
}

const char *
run_reason(const struct run *r)
{
	return r->reason;
}

int
run_exit_status(const struct run *r)
{
	return r->state == RUN_FINISHED || r->state == RUN_RUNNING ||
	    r->state == RUN_PAUSED ? 0 : 1;
}

pid_t
run_main_pid(const struct run *r)
{
	return r->main_pid;
}

uint64_t
run_late_events(const struct run *r)
{
	return merge_late(r->mg);
}

void
run_stop(struct run *r)
{
	if (!r)
		return;
	if (r->over) {
		kill_all(r);
		return;
	}
	kill_all(r);
	if (r->main_reaped && reaper_rings_idle(r->sh->rings)) {
		finish_after_main(r);
		return;
	}
	snprintf(r->reason, sizeof(r->reason), "stopped by the user");
	end_run(r, RUN_FAILED);
}

void
run_free(struct run *r)
{
	if (!r)
		return;
	run_stop(r);
	if (r->pidfd >= 0)
		close(r->pidfd);
	close(r->efd);
	close(r->epfd);
	shared_destroy(r->sh);
	merge_free(r->mg);
	free(r);
}
