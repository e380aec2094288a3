/* Which syscall, on which descriptor, each thread of a process sleeps in. */
#include "watch/blocked.h"

#include <dirent.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>

#include "util/xmem.h"
#include "watch/procfs.h"
#include "watch/tree.h"

int
watch_syscall_parse(const char *text, struct watch_syscall *sc)
{
	memset(sc, 0, sizeof(*sc));
	if (strncmp(text, "running", 7) == 0)
		return 0;
	char *end;
	long nr = strtol(text, &end, 10);
	if (end == text)
		return -EINVAL;
	if (nr < 0)
		return 0;
	sc->nr = nr;
	const char *p = end;
	for (int i = 0; i < 6; i++) {
		unsigned long v = strtoul(p, &end, 16);
		if (end == p)
			return -EINVAL;
		sc->arg[i] = v;
		p = end;
	}
	sc->in_syscall = 1;
	return 0;
}

enum how {
	H_FD_READ, H_FD_WRITE, H_ACCEPT, H_CONNECT, H_POLL, H_PPOLL,
	H_SELECT, H_EPOLL, H_WAIT4, H_WAITID, H_FUTEX, H_SLEEP, H_PAUSE,
};

/* One row per syscall we understand. */
static const struct {
	long nr;
	const char *name;
	enum how how;
} sc_table[] = {
	{ SYS_read, "read", H_FD_READ },
	{ SYS_readv, "readv", H_FD_READ },
	{ SYS_pread64, "pread64", H_FD_READ },
	{ SYS_recvfrom, "recvfrom", H_FD_READ },
	{ SYS_recvmsg, "recvmsg", H_FD_READ },
	{ SYS_recvmmsg, "recvmmsg", H_FD_READ },
	{ SYS_write, "write", H_FD_WRITE },
	{ SYS_writev, "writev", H_FD_WRITE },
	{ SYS_pwrite64, "pwrite64", H_FD_WRITE },
	{ SYS_sendto, "sendto", H_FD_WRITE },
	{ SYS_sendmsg, "sendmsg", H_FD_WRITE },
	{ SYS_sendmmsg, "sendmmsg", H_FD_WRITE },
	{ SYS_accept, "accept", H_ACCEPT },
	{ SYS_accept4, "accept4", H_ACCEPT },
	{ SYS_connect, "connect", H_CONNECT },
#ifdef SYS_poll
	{ SYS_poll, "poll", H_POLL },
#endif
	{ SYS_ppoll, "ppoll", H_PPOLL },
#ifdef SYS_select
	{ SYS_select, "select", H_SELECT },
#endif
	{ SYS_pselect6, "pselect6", H_SELECT },
#ifdef SYS_epoll_wait
	{ SYS_epoll_wait, "epoll_wait", H_EPOLL },
#endif
	{ SYS_epoll_pwait, "epoll_pwait", H_EPOLL },
	{ SYS_wait4, "wait4", H_WAIT4 },
	{ SYS_waitid, "waitid", H_WAITID },
	{ SYS_futex, "futex", H_FUTEX },
	{ SYS_nanosleep, "nanosleep", H_SLEEP },
	{ SYS_clock_nanosleep, "clock_nanosleep", H_SLEEP },
#ifdef SYS_pause
	{ SYS_pause, "pause", H_PAUSE },
#endif
	{ SYS_rt_sigsuspend, "rt_sigsuspend", H_PAUSE },
	{ SYS_rt_sigtimedwait, "rt_sigtimedwait", H_FUTEX },
};

static void
add_fd(struct watch_task_wait *w, int fd, const char *op)
{
	if (w->nfds >= WATCH_WAIT_FDS)
		return;
	w->fds[w->nfds] = fd;
	snprintf(w->ops[w->nfds], sizeof(w->ops[0]), "%s", op);
	w->nfds++;
}

void
watch_syscall_classify(const struct watch_syscall *sc,
    struct watch_task_wait *w)
{
	w->cls = WATCH_WAIT_NONE;
	w->timed = 0;
	w->syscall = NULL;
	w->nfds = 0;
	w->child = 0;
	if (!sc->in_syscall)
		return;
	size_t i;
	for (i = 0; i < sizeof(sc_table) / sizeof(sc_table[0]); i++)
		if (sc_table[i].nr == sc->nr)
			break;
	if (i == sizeof(sc_table) / sizeof(sc_table[0])) {
		w->cls = WATCH_WAIT_OTHER;
		return;
	}
	w->syscall = sc_table[i].name;
	const unsigned long *a = sc->arg;
	switch (sc_table[i].how) {
	case H_FD_READ: w->cls = WATCH_WAIT_FD; add_fd(w, (int)a[0], "read"); break;
	case H_FD_WRITE: w->cls = WATCH_WAIT_FD; add_fd(w, (int)a[0], "write"); break;
	case H_ACCEPT: w->cls = WATCH_WAIT_FD; add_fd(w, (int)a[0], "accept"); break;
	case H_CONNECT: w->cls = WATCH_WAIT_FD; add_fd(w, (int)a[0], "connect"); break;
	case H_POLL:
		w->cls = WATCH_WAIT_FD;
		w->timed = (int)a[2] >= 0;
		break;
	case H_PPOLL:
		w->cls = WATCH_WAIT_FD;
		w->timed = a[2] != 0;
		break;
	case H_SELECT:
		w->cls = a[4] ? WATCH_WAIT_SELF : WATCH_WAIT_OTHER;
		break;
	case H_EPOLL:
		w->cls = (int)a[3] >= 0 ? WATCH_WAIT_SELF : WATCH_WAIT_OTHER;
		break;
	case H_WAIT4:
		w->cls = WATCH_WAIT_CHILD;
		w->child = (pid_t)(int)a[0] > 0 ? (pid_t)(int)a[0] : -1;
		break;
	case H_WAITID:
		w->cls = WATCH_WAIT_CHILD;
		w->child = (a[0] == P_PID) ? (pid_t)a[1] : -1;
		break;
	case H_FUTEX:
		w->cls = a[3] ? WATCH_WAIT_SELF : WATCH_WAIT_OTHER;
		break;
	case H_SLEEP:
		w->cls = WATCH_WAIT_SELF;
		break;
	case H_PAUSE:
		w->cls = WATCH_WAIT_OTHER;
		break;
	}
}

/* For poll/ppoll: the watched descriptors, read from the process. */
static void
read_pollfds(pid_t pid, const struct watch_syscall *sc,
    struct watch_task_wait *w)
{
	unsigned long n = sc->arg[1];
	struct pollfd pf[WATCH_WAIT_FDS];
	if (n == 0 || n > WATCH_WAIT_FDS)
		return;
	struct iovec local = { pf, n * sizeof(pf[0]) };
	struct iovec remote = { (void *)sc->arg[0], n * sizeof(pf[0]) };
	if (process_vm_readv(pid, &local, 1, &remote, 1, 0) !=
	    (ssize_t)(n * sizeof(pf[0])))
		return;
	for (unsigned long i = 0; i < n; i++) {
		if (pf[i].fd < 0)
			continue;
		if (pf[i].events & POLLIN)
			add_fd(w, pf[i].fd, "read");
		else if (pf[i].events & POLLOUT)
			add_fd(w, pf[i].fd, "write");
	}
}

int
watch_blocked_scan(pid_t pid, struct watch_task_wait **out)
{
	char path[64];
	*out = NULL;
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	DIR *d = opendir(path);
	if (!d)
		return -errno;
	struct watch_task_wait *v = NULL;
	size_t n = 0, cap = 0;
	int err = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		pid_t tid = (pid_t)atoi(de->d_name);
		char name[64], buf[512];
		struct watch_stat st;
		snprintf(name, sizeof(name), "task/%d/stat", (int)tid);
		if (watch_read_proc(pid, name, buf, sizeof(buf)) <= 0 ||
		    watch_stat_parse(buf, &st) != 0)
			continue;            /* thread exited meanwhile */
		if (n == cap) {
			cap = cap ? cap * 2 : 8;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		struct watch_task_wait *w = &v[n];
		memset(w, 0, sizeof(*w));
		w->tid = tid;
		w->state = st.state;
		n++;
		if (st.state != 'S')
			continue;            /* R, D, T, Z ...: not an IPC wait */
		snprintf(name, sizeof(name), "task/%d/syscall", (int)tid);
		long r = watch_read_proc(pid, name, buf, sizeof(buf));
		if (r < 0) {
			if (r == -EACCES || r == -EPERM)
				err = (int)r;
			continue;
		}
		struct watch_syscall sc;
		if (watch_syscall_parse(buf, &sc) != 0)
			continue;
		watch_syscall_classify(&sc, w);
		if (sc.in_syscall && w->syscall && w->cls == WATCH_WAIT_FD &&
		    w->nfds == 0)
			read_pollfds(pid, &sc, w);
		snprintf(name, sizeof(name), "task/%d/wchan", (int)tid);
		if (watch_read_proc(pid, name, w->wchan, sizeof(w->wchan)) < 0 ||
		    strcmp(w->wchan, "0") == 0)
			w->wchan[0] = '\0';
	}
	closedir(d);
	if (err) {                   /* not allowed: say so, guess nothing */
		free(v);
		return err;
	}
	*out = v;
	return (int)n;
}
