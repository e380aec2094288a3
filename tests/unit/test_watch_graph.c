/* Pure graph parts of the watcher: pipe and socket matching into edges,
 * roles, and wait-for cycle detection. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "watch/deadlock.h"
#include "watch/edges.h"
#include "watch/roles.h"

static void
add(struct watch_fdset *s, pid_t pid, int fd, enum watch_fd_kind k, int mode,
    unsigned long ino, unsigned long dev)
{
	s->v = realloc(s->v, (s->n + 1) * sizeof(*s->v));
	struct watch_fd *f = &s->v[s->n++];
	memset(f, 0, sizeof(*f));
	f->pid = pid;
	f->fd = fd;
	f->kind = k;
	f->mode = mode;
	f->inode = ino;
	f->dev = dev;
	if (k == WATCH_FD_FIFO)
		snprintf(f->path, sizeof(f->path), "/tmp/fifo%lu", ino);
}

static const struct watch_edge *
find_edge(const struct watch_edge *v, size_t n, pid_t fp, int ffd, pid_t tp,
    int tfd)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].from.pid == fp && v[i].from.fd == ffd &&
		    v[i].to.pid == tp && v[i].to.fd == tfd)
			return &v[i];
	return NULL;
}

#define R WATCH_FD_READ
#define W WATCH_FD_WRITE

static void
test_pipe_matching(void **state)
{
	(void)state;
	struct watch_fdset s = { 0 };
	/* pipe 500: 10 writes (fd 4), 11 and 12 read (fd 3). */
	add(&s, 11, 3, WATCH_FD_PIPE, R, 500, 0);
	add(&s, 10, 4, WATCH_FD_PIPE, W, 500, 0);
	add(&s, 12, 3, WATCH_FD_PIPE, R, 500, 0);
	/* pipe 600: only a write end in the tree (reader outside). */
	add(&s, 10, 1, WATCH_FD_PIPE, W, 600, 0);
	/* pipe 700: one process holds both ends. */
	add(&s, 13, 5, WATCH_FD_PIPE, R, 700, 0);
	add(&s, 13, 6, WATCH_FD_PIPE, W, 700, 0);
	/* FIFO inode 500 on another device: not the pipe 500. */
	add(&s, 12, 7, WATCH_FD_FIFO, W, 500, 42);
	add(&s, 10, 8, WATCH_FD_FIFO, R, 500, 42);
	/* FIFO opened O_RDWR by one process only: no edge to itself. */
	add(&s, 14, 3, WATCH_FD_FIFO, R | W, 800, 42);
	struct watch_edge *e;
	size_t n = watch_edges_match(&s, NULL, &e);
	assert_int_equal(n, 5);
	const struct watch_edge *x = find_edge(e, n, 10, 4, 11, 3);
	assert_non_null(x);
	assert_int_equal(x->kind, WATCH_EDGE_PIPE);
	assert_int_equal(x->inode, 500);
	assert_int_equal(x->fill, -1);
	assert_non_null(find_edge(e, n, 10, 4, 12, 3));
	assert_null(find_edge(e, n, 11, 3, 10, 4));        /* never reversed */
	x = find_edge(e, n, 10, 1, 0, -1);
	assert_non_null(x);
	assert_int_equal(x->inode, 600);
	assert_non_null(find_edge(e, n, 13, 6, 13, 5));
	x = find_edge(e, n, 12, 7, 10, 8);
	assert_non_null(x);
	assert_int_equal(x->kind, WATCH_EDGE_FIFO);
	assert_string_equal(x->path, "/tmp/fifo500");
	for (size_t i = 0; i < n; i++)
		assert_int_not_equal(e[i].from.pid, 14);
	free(e);
	free(s.v);
}

static void
test_socket_matching(void **state)
{
	(void)state;
	struct watch_usock us[] = {
		{ .inode = 100, .peer = 101, .rqueue = 7, .sndbuf = 4096 },
		{ .inode = 101, .peer = 100, .rqueue = 30, .sndbuf = 8192 },
		{ .inode = 200, .state = 10, .name = "/tmp/pymp-x/listener-y" },
		{ .inode = 300, .peer = 999, .rqueue = 0 },    /* peer outside */
	};
	struct watch_sockdiag sd = { us, 4, 4 };
	struct watch_fdset s = { 0 };
	add(&s, 20, 5, WATCH_FD_SOCKET, R | W, 100, 0);
	add(&s, 21, 6, WATCH_FD_SOCKET, R | W, 101, 0);
	add(&s, 21, 8, WATCH_FD_SOCKET, R | W, 200, 0);
	add(&s, 22, 3, WATCH_FD_SOCKET, R | W, 300, 0);
	add(&s, 22, 4, WATCH_FD_SOCKET, R | W, 12345, 0);   /* not unix */
	struct watch_edge *e;
	size_t n = watch_edges_match(&s, &sd, &e);
	assert_int_equal(n, 3);
	const struct watch_edge *ab = find_edge(e, n, 20, 5, 21, 6);
	const struct watch_edge *ba = find_edge(e, n, 21, 6, 20, 5);
	assert_non_null(ab);
	assert_non_null(ba);
	assert_int_equal(ab->kind, WATCH_EDGE_SOCKET);
	assert_int_equal(ab->inode, 101);           /* the receiving socket */
	assert_int_equal(ab->peer_inode, 100);
	assert_int_equal(ab->fill, 30);             /* 101's receive queue */
	assert_int_equal(ab->capacity, 4096);       /* 100's send buffer */
	assert_int_equal(ba->fill, 7);
	assert_int_equal(ba->capacity, 8192);
	assert_non_null(find_edge(e, n, 22, 3, 0, -1));
	free(e);
	/* Without a socket table: no socket edges at all. */
	n = watch_edges_match(&s, NULL, &e);
	assert_int_equal(n, 0);
	free(e);
	free(s.v);
}

static void
test_roles(void **state)
{
	(void)state;
	struct watch_proc p[8];
	memset(p, 0, sizeof(p));
	const char *py = "python3 app.py";
	struct { pid_t pid, ppid; int thr; const char *cl; } rows[] = {
		{ 100, 1, 4, py },
		{ 101, 100, 2, py },        /* manager (listener below) */
		{ 102, 100, 1, py },        /* pool worker: parent has 4 threads */
		{ 103, 100, 1, "python3 -c from multiprocessing.resource_tracker import main;main(5)" },
		{ 104, 100, 1, "python3 -c from multiprocessing.forkserver import main; main(7, 8)" },
		{ 105, 100, 1, "/bin/sh -c ls" },   /* exec'd: not a worker */
		{ 106, 102, 1, py },        /* child of a 1-thread process */
		/* forked by the forkserver: same command line as it */
		{ 107, 104, 1, "python3 -c from multiprocessing.forkserver import main; main(7, 8)" },
	};
	for (int i = 0; i < 8; i++) {
		p[i].pid = rows[i].pid;
		p[i].ppid = rows[i].ppid;
		p[i].threads = rows[i].thr;
		snprintf(p[i].cmdline, sizeof(p[i].cmdline), "%s", rows[i].cl);
	}
	int listener[8] = { 0, 1, 0, 0, 0, 0, 0, 0 };
	watch_roles_assign(p, 8, 100, listener);
	assert_string_equal(watch_role_name(p[0].role), "main");
	assert_string_equal(watch_role_name(p[1].role), "manager");
	assert_string_equal(watch_role_name(p[2].role), "pool_worker");
	assert_string_equal(watch_role_name(p[3].role), "resource_tracker");
	assert_string_equal(watch_role_name(p[4].role), "forkserver");
	assert_string_equal(watch_role_name(p[5].role), "process");
	assert_string_equal(watch_role_name(p[6].role), "process");
	assert_string_equal(watch_role_name(p[7].role), "process");
	/* The same children under a 1-thread parent are plain processes. */
	p[0].threads = 1;
	watch_roles_assign(p, 8, 100, listener);
	assert_string_equal(watch_role_name(p[2].role), "process");
	assert_true(watch_roles_is_pymp_listener("/tmp/pymp-ab12/listener-cd34"));
	assert_false(watch_roles_is_pymp_listener("/tmp/listener-cd34"));
	assert_false(watch_roles_is_pymp_listener(""));
}

static void
test_cycles(void **state)
{
	(void)state;
	struct watch_cycle c[4];
	/* Join deadlock: 10 waits for its child 11, 11 writes a pipe only
	 * 10 (and itself) read. */
	pid_t cand1[] = { 11, 10 };
	struct watch_waitfor wf1[] = { { 10, 11 }, { 11, 10 }, { 11, 11 } };
	size_t n = watch_deadlock_find(cand1, 2, wf1, 3, c, 4);
	assert_int_equal(n, 1);
	assert_int_equal(c[0].n, 2);
	assert_int_equal(c[0].pids[0], 10);          /* smallest pid first */
	assert_int_equal(c[0].pids[1], 11);
	assert_string_equal(c[0].text,
	    "likely deadlock: 10 waits for 11 waits for 10");
	/* Same, but 11 may also be woken by 12 who is running: no deadlock. */
	struct watch_waitfor wf2[] = { { 10, 11 }, { 11, 10 }, { 11, 12 } };
	assert_int_equal(watch_deadlock_find(cand1, 2, wf2, 3, c, 4), 0);
	/* Dropping propagates: 30 waits for 31 which waits for 32 (not a
	 * candidate); 30 and 31 also wait for each other. */
	pid_t cand3[] = { 30, 31 };
	struct watch_waitfor wf3[] = { { 30, 31 }, { 31, 30 }, { 31, 32 } };
	assert_int_equal(watch_deadlock_find(cand3, 2, wf3, 3, c, 4), 0);
	/* A 3-cycle with a tail (40 -> 41 -> 42 -> 43 -> 41), and a
	 * separate self-wait (50 reads a pipe only it writes). */
	pid_t cand4[] = { 40, 41, 42, 43, 50 };
	struct watch_waitfor wf4[] = { { 40, 41 }, { 41, 42 }, { 42, 43 },
		{ 43, 41 }, { 50, 50 } };
	n = watch_deadlock_find(cand4, 5, wf4, 5, c, 4);
	assert_int_equal(n, 2);
	assert_int_equal(c[0].n, 3);
	assert_int_equal(c[0].pids[0], 41);
	assert_int_equal(c[0].pids[1], 42);
	assert_int_equal(c[0].pids[2], 43);
	assert_int_equal(c[1].n, 1);
	assert_int_equal(c[1].pids[0], 50);
	assert_string_equal(c[1].text, "likely deadlock: 50 waits for 50");
	/* No candidates, or room for only one cycle. */
	assert_int_equal(watch_deadlock_find(NULL, 0, wf4, 5, c, 4), 0);
	assert_int_equal(watch_deadlock_find(cand4, 5, wf4, 5, c, 1), 1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pipe_matching),
		cmocka_unit_test(test_socket_matching),
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_cycles),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
