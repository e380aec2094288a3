/* The headless watch loop: sample, print, sleep until next or exit. */
#include "watch/loop.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "watch/watch_json.h"
#include "watch/watch_text.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

static volatile sig_atomic_t stop_sig;
static const int stop_signals[] = { SIGINT, SIGTERM, SIGHUP };
#define NSTOP (sizeof(stop_signals) / sizeof(stop_signals[0]))

static void
on_stop(int sig)
{
	stop_sig = sig;
}

void
watch_loop_signals_init(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sigset_t set;
	sigemptyset(&set);
	for (size_t i = 0; i < NSTOP; i++) {
		sigaction(stop_signals[i], &sa, NULL);
		sigaddset(&set, stop_signals[i]);
	}
	sigprocmask(SIG_BLOCK, &set, NULL);
	/* A closed stdout (ipcscope watch ... | head) must end the loop
	 * cleanly, not kill us and orphan the watched program. */
	signal(SIGPIPE, SIG_IGN);
}

void
watch_loop_child_signals(void)
{
	for (size_t i = 0; i < NSTOP; i++)
		signal(stop_signals[i], SIG_DFL);
	signal(SIGPIPE, SIG_DFL);
	sigset_t none;
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
}

int
watch_loop_stop_signal(void)
{
	return stop_sig;
}

/* Print 's'. Returns -1 when an output can no longer be written. */
static int
emit(const struct watch_loop_opts *o, const struct watch_snapshot *s)
{
	if (o->out) {
		if (o->json)
			watch_json_write(o->out, s);
		else
			watch_text_write(o->out, s);
		if (ferror(o->out))
			return -1;
	}
	if (o->record) {
		watch_json_write(o->record, s);
		if (ferror(o->record))
			return -1;
	}
	return 0;
}

static int64_t
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Has the root exited (its pidfd is readable)? Reaps it when it is our
 * child. */
static int
root_gone(struct watcher *w, int pfd, pid_t root,
    const struct watch_loop_opts *o, struct watch_loop_result *res)
{
	struct pollfd pf = { pfd, POLLIN, 0 };
	if (poll(&pf, 1, 0) <= 0)
		return 0;
	if (o->reap_root) {
		int st;
		pid_t r;
		while ((r = waitpid(root, &st, 0)) < 0 && errno == EINTR)
			;
		if (r == root) {
			res->root_wstatus = st;
			watcher_set_exit(w, root, st);
		}
	}
	return 1;
}

int
watch_loop_run(struct watcher *w, pid_t root, const struct watch_loop_opts *o,
    struct watch_loop_result *res)
{
	memset(res, 0, sizeof(*res));
	int pfd = (int)syscall(SYS_pidfd_open, root, 0);
	if (pfd < 0)
		return -errno;
	sigset_t waitmask;
	sigprocmask(SIG_SETMASK, NULL, &waitmask);
	for (size_t i = 0; i < NSTOP; i++)
		sigdelset(&waitmask, stop_signals[i]);
	int taken = 0;
	for (;;) {
		struct watch_snapshot s;
		int gone = root_gone(w, pfd, root, o, res);
		watcher_snapshot(w, &s);
		int werr = emit(o, &s);
		watch_snapshot_clear(&s);
		taken++;
		if (werr) {
			res->write_error = 1;
			break;
		}
		if (gone) {
			res->root_exited = 1;
			break;
		}
		if (o->count > 0 && taken >= o->count)
			break;
		int64_t deadline = now_ms() + o->interval_ms;
		int woke = 0;
		while (!stop_sig && !woke) {
			int64_t left = deadline - now_ms();
			if (left <= 0)
				break;
			struct timespec ts = { left / 1000, (long)(left % 1000) * 1000000L };
			struct pollfd pf = { pfd, POLLIN, 0 };
			int r = ppoll(&pf, 1, &ts, &waitmask);
			if (r > 0)
				woke = 1;        /* root exited: sample now */
		}
		if (stop_sig)
			break;
	}
	close(pfd);
	res->stop_signal = stop_sig;
	return 0;
}
