/* The watcher against the real kernel: sock_diag pairing of a socketpair,
 * pipe fill through /proc and pidfd_getfd (without disturbing EOF/EPIPE),
 * descendants, zombies' exit status, and a blocked reader's diagnosis. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "watch/blocked.h"
#include "watch/edges.h"
#include "watch/fdscan.h"
#include "watch/fill.h"
#include "watch/sockdiag.h"
#include "watch/tree.h"
#include "watch/watcher.h"

static void
msleep(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

static unsigned long
inode_of(int fd)
{
	struct stat sb;
	assert_int_equal(fstat(fd, &sb), 0);
	return (unsigned long)sb.st_ino;
}

static void
test_sockdiag_socketpair(void **state)
{
	(void)state;
	int sv[2];
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	unsigned long a = inode_of(sv[0]), b = inode_of(sv[1]);
	assert_int_equal(write(sv[0], "0123456789", 10), 10);
	struct watch_sockdiag sd = { 0 };
	assert_int_equal(watch_sockdiag_query(&sd), 0);
	const struct watch_usock *ua = watch_sockdiag_find(&sd, a);
	const struct watch_usock *ub = watch_sockdiag_find(&sd, b);
	assert_non_null(ua);
	assert_non_null(ub);
	assert_int_equal(ua->peer, b);
	assert_int_equal(ub->peer, a);
	assert_int_equal(ub->rqueue, 10);
	assert_int_equal(ua->rqueue, 0);
	assert_int_equal(ua->type, SOCK_STREAM);
	assert_true(ua->sndbuf > 0);

	/* Through fdscan and edges: two edges, one per direction. */
	struct watch_fdset fs = { 0 };
	assert_int_equal(watch_fdscan_pid(getpid(), &fs), 0);
	const struct watch_fd *fa = watch_fdset_find(&fs, getpid(), sv[0]);
	assert_non_null(fa);
	assert_int_equal(fa->kind, WATCH_FD_SOCKET);
	assert_int_equal(fa->inode, a);
	struct watch_edge *e;
	size_t n = watch_edges_match(&fs, &sd, &e);
	int found = 0;
	for (size_t i = 0; i < n; i++) {
		if (e[i].from.fd == sv[0] && e[i].to.fd == sv[1]) {
			assert_int_equal(e[i].fill, 10);
			assert_int_equal(e[i].inode, b);
			found |= 1;
		}
		if (e[i].from.fd == sv[1] && e[i].to.fd == sv[0]) {
			assert_int_equal(e[i].fill, 0);
			found |= 2;
		}
	}
	assert_int_equal(found, 3);
	free(e);
	watch_fdset_clear(&fs);
	watch_sockdiag_clear(&sd);
	close(sv[0]);
	close(sv[1]);
}

static void
test_pipe_fill_undisturbed(void **state)
{
	(void)state;
	int p[2];
	char buf[4096];
	memset(buf, 'y', sizeof(buf));
	assert_int_equal(pipe(p), 0);
	assert_int_equal(write(p[1], buf, 1234), 1234);
	struct watch_fdset fs = { 0 };
	assert_int_equal(watch_fdscan_pid(getpid(), &fs), 0);
	const struct watch_fd *r = watch_fdset_find(&fs, getpid(), p[0]);
	const struct watch_fd *w = watch_fdset_find(&fs, getpid(), p[1]);
	assert_non_null(r);
	assert_non_null(w);
	assert_int_equal(r->kind, WATCH_FD_PIPE);
	assert_int_equal(r->mode, WATCH_FD_READ);
	assert_int_equal(w->mode, WATCH_FD_WRITE);
	assert_int_equal(r->inode, w->inode);
	long cap = 0;
	assert_int_equal(watch_pipe_fill(getpid(), p[0], WATCH_FD_READ, &cap), 1234);
	assert_int_equal(cap, 65536);
	cap = 0;
	assert_int_equal(watch_pipe_fill(getpid(), p[1], WATCH_FD_WRITE, &cap), 1234);
	assert_int_equal(cap, 65536);
	watch_fdset_clear(&fs);
	/* Nothing was read, and no extra reader or writer stayed open. */
	assert_int_equal(read(p[0], buf, sizeof(buf)), 1234);
	close(p[0]);
	signal(SIGPIPE, SIG_IGN);
	errno = 0;
	assert_int_equal(write(p[1], "z", 1), -1);
	assert_int_equal(errno, EPIPE);
	signal(SIGPIPE, SIG_DFL);
	close(p[1]);
	/* The other way round: EOF for the reader once the writer closes. */
	assert_int_equal(pipe(p), 0);
	assert_true(watch_pipe_fill(getpid(), p[1], WATCH_FD_WRITE, &cap) == 0);
	assert_true(watch_pipe_fill(getpid(), p[0], WATCH_FD_READ, &cap) == 0);
	close(p[1]);
	assert_int_equal(read(p[0], buf, 1), 0);
	close(p[0]);
}

/* A child 'a' holding a pipe's write end and a grandchild 'b' blocked
 * reading it. Returns a; *b and *rfd (b's read fd) are read back from a
 * pipe. */
static pid_t
spawn_pair(pid_t *b, int *rfd)
{
	int info[2];
	assert_int_equal(pipe(info), 0);
	pid_t a = fork();
	assert_true(a >= 0);
	if (a == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		int p[2];
		if (pipe(p) != 0)
			_exit(1);
		pid_t g = fork();
		if (g == 0) {
			prctl(PR_SET_PDEATHSIG, SIGKILL);
			close(p[1]);
			char c;
			ssize_t r = read(p[0], &c, 1);
			_exit(r == 1 ? 0 : 2);
		}
		close(p[0]);
		int msg[2] = { g, p[0] };
		if (write(info[1], msg, sizeof(msg)) != sizeof(msg))
			_exit(1);
		for (;;)
			pause();
	}
	close(info[1]);
	int msg[2];
	assert_int_equal(read(info[0], msg, sizeof(msg)), sizeof(msg));
	close(info[0]);
	*b = msg[0];
	*rfd = msg[1];
	return a;
}

static void
test_tree_blocked_zombie(void **state)
{
	(void)state;
	pid_t b;
	int rfd;
	pid_t a = spawn_pair(&b, &rfd);
	struct watch_tree *t = watch_tree_new(a, 60000);
	assert_non_null(t);
	const struct watch_tree_node *v = NULL;
	size_t n = 0;
	struct timespec ts;
	for (int i = 0; i < 100 && n < 2; i++) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		watch_tree_refresh(t, (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec);
		v = watch_tree_nodes(t, &n);
		if (n < 2)
			msleep(10);
	}
	assert_int_equal(n, 2);
	assert_int_equal(v[0].pid < v[1].pid ? v[0].pid : v[1].pid,
	    a < b ? a : b);
	const struct watch_tree_node *nb = v[0].pid == b ? &v[0] : &v[1];
	assert_int_equal(nb->ppid, a);

	/* b sleeps in read(rfd): wait until it does, then check. */
	struct watch_task_wait *tw = NULL;
	int ok = 0;
	for (int i = 0; i < 100 && !ok; i++) {
		free(tw);
		int k = watch_blocked_scan(b, &tw);
		assert_int_equal(k, 1);
		ok = tw[0].cls == WATCH_WAIT_FD;
		if (!ok)
			msleep(10);
	}
	assert_true(ok);
	assert_int_equal(tw[0].tid, b);
	assert_int_equal(tw[0].nfds, 1);
	assert_int_equal(tw[0].fds[0], rfd);
	assert_string_equal(tw[0].ops[0], "read");
	free(tw);

	/* The watcher names the pipe and its writer. */
	char err[128];
	struct watcher *w = watcher_new(a, 60000, err, sizeof(err));
	assert_non_null(w);
	struct watch_snapshot s;
	assert_int_equal(watcher_snapshot(w, &s), 0);
	assert_int_equal(s.nprocs, 2);
	assert_int_equal(s.nblocked, 1);
	char want[200];
	snprintf(want, sizeof(want), "%d blocked reading pipe:[%lu], written by %d",
	    (int)b, s.blocked[0].inode, (int)a);
	assert_string_equal(s.blocked[0].text, want);
	/* (Descriptors inherited from whoever runs the test may add other
	 * edges: look at this pipe's only.) */
	int nedge = 0;
	for (size_t i = 0; i < s.nedges; i++) {
		const struct watch_edge *e = &s.edges[i];
		if (e->inode != s.blocked[0].inode)
			continue;
		nedge++;
		assert_int_equal(e->from.pid, a);
		assert_int_equal(e->to.pid, b);
		assert_int_equal(e->to.fd, rfd);
		assert_int_equal(e->fill, 0);
		assert_int_equal(e->capacity, 65536);
	}
	assert_int_equal(nedge, 1);
	assert_int_equal(s.ncycles, 0);              /* a sleeps in pause */
	watch_snapshot_clear(&s);

	/* b killed: a zombie (a never reaps) with its exit status. */
	kill(b, SIGTERM);
	int zombie = 0;
	for (int i = 0; i < 100 && !zombie; i++) {
		msleep(10);
		assert_int_equal(watcher_snapshot(w, &s), 0);
		const struct watch_proc *pb = watch_snapshot_proc(&s, b);
		assert_non_null(pb);
		if (pb->state == 'Z') {
			zombie = 1;
			assert_int_equal(pb->exit_status, 128 + SIGTERM);
		}
		watch_snapshot_clear(&s);
	}
	assert_true(zombie);
	/* a killed and reaped by us: exited ('X'), status as we give it. */
	kill(a, SIGKILL);
	int st;
	assert_int_equal(waitpid(a, &st, 0), a);
	watcher_set_exit(w, a, st);
	assert_int_equal(watcher_snapshot(w, &s), 0);
	const struct watch_proc *pa = watch_snapshot_proc(&s, a);
	assert_non_null(pa);
	assert_int_equal(pa->state, 'X');
	assert_int_equal(pa->exit_status, 128 + SIGKILL);
	watch_snapshot_clear(&s);
	watcher_free(w);
	watch_tree_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sockdiag_socketpair),
		cmocka_unit_test(test_pipe_fill_undisturbed),
		cmocka_unit_test(test_tree_blocked_zombie),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
