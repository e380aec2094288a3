/* The /proc sampler against real forked children. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "proc/sampler.h"

static pid_t kids[8];
static int nkids;
static int pipefd[2];

static void
msleep(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) != 0)
		;
}

static pid_t
spawn(void (*fn)(void), const char *name)
{
	pid_t p = fork();
	assert_true(p >= 0);
	if (p == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		prctl(PR_SET_NAME, name);
		fn();
		_exit(0);
	}
	kids[nkids++] = p;
	return p;
}

static void
busy_fn(void)
{
	volatile unsigned long x = 0;
	for (;;)
		x++;
}

static void
sleep_fn(void)
{
	for (;;)
		pause();
}

static void
zombie_fn(void)
{
	_exit(3);
}

static void *
thr_fn(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static void
threads_fn(void)
{
	pthread_t t;
	for (int i = 0; i < 3; i++)
		pthread_create(&t, NULL, thr_fn, NULL);
	for (;;)
		pause();
}

static void
pgrp_fn(void)
{
	for (;;)
		pause();
}

static int
teardown(void **state)
{
	(void)state;
	for (int i = 0; i < nkids; i++) {
		kill(kids[i], SIGKILL);
		waitpid(kids[i], NULL, 0);
	}
	nkids = 0;
	return 0;
}

static void
test_pcpu_math(void **state)
{
	(void)state;
	/* 100 ticks at 100 Hz over 1 s = one full CPU. */
	assert_true(fabs(sampler_pcpu(100, 1000000000LL, 100) - 100.0) < 1e-9);
	assert_true(fabs(sampler_pcpu(25, 500000000LL, 100) - 50.0) < 1e-9);
	assert_true(sampler_pcpu(0, 1000000000LL, 100) == 0.0);
	assert_true(isnan(sampler_pcpu(10, 0, 100)));
	assert_true(isnan(sampler_pcpu(10, 1000, 0)));
}

static void
test_children(void **state)
{
	(void)state;
	char err[256];
	struct sampler *s = sampler_new(err, sizeof(err));
	assert_non_null(s);

	pid_t busy = spawn(busy_fn, "smp-busy");
	pid_t sleeper = spawn(sleep_fn, "smp-sleep");
	pid_t zombie = spawn(zombie_fn, "smp-zombie");
	pid_t thr = spawn(threads_fn, "smp-threads");
	pid_t grp = fork();
	assert_true(grp >= 0);
	if (grp == 0) {
		setpgid(0, 0);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		pgrp_fn();
	}
	kids[nkids++] = grp;
	setpgid(grp, grp);     /* either side may win the race; both agree */

	/* 300 pids: our children sit past the first chunk of 255, among
	 * pids that (almost surely) do not exist, plus a 0 and duplicates. */
	pid_t want[300];
	for (int i = 0; i < 300; i++)
		want[i] = 4000000 + i;
	want[0] = 0;
	want[260] = busy;
	want[270] = sleeper;
	want[280] = zombie;
	want[290] = thr;
	want[291] = thr;
	want[299] = grp;

	msleep(100);            /* let them settle: zombie exits, threads start */
	struct proc_snapshot snap;
	assert_int_equal(sampler_sample(s, want, 300, &snap), 0);
	assert_int_equal(snap.n, 5);
	for (size_t i = 1; i < snap.n; i++)
		assert_true(snap.v[i - 1].pid < snap.v[i].pid);
	for (size_t i = 0; i < snap.n; i++) {
		assert_true(isnan(snap.v[i].pcpu));   /* first sample: no value */
		assert_int_equal(snap.v[i].ppid, getpid());
	}

	msleep(400);
	assert_int_equal(sampler_sample(s, want, 300, &snap), 0);
	assert_int_equal(snap.n, 5);

	const struct proc_sample *b = sampler_find(&snap, busy);
	const struct proc_sample *sl = sampler_find(&snap, sleeper);
	const struct proc_sample *z = sampler_find(&snap, zombie);
	const struct proc_sample *t = sampler_find(&snap, thr);
	const struct proc_sample *g = sampler_find(&snap, grp);
	assert_non_null(b); assert_non_null(sl); assert_non_null(z);
	assert_non_null(t); assert_non_null(g);

	assert_string_equal(b->comm, "smp-busy");
	assert_string_equal(sl->comm, "smp-sleep");
	assert_int_equal(b->state, 'R');
	assert_int_equal(sl->state, 'S');
	assert_int_equal(z->state, 'Z');
	assert_int_equal(t->nthreads, 4);
	assert_int_equal(sl->nthreads, 1);
	assert_int_equal(b->pgid, getpgrp());
	assert_int_equal(g->pgid, grp);
	assert_int_equal(b->tgid, busy);
	assert_true(b->rss_kib > 0);
	assert_true(b->start_ticks > 0);

	/* A busy loop uses most of a CPU; a sleeper almost none. Loose
	 * bounds: the machine is shared. */
	assert_false(isnan(b->pcpu));
	assert_false(isnan(sl->pcpu));
	assert_true(b->pcpu > 20.0);
	assert_true(b->pcpu <= 110.0 * 1);
	assert_true(sl->pcpu < 5.0);
	assert_true(b->ticks > sl->ticks);

	/* Reaped children disappear. */
	waitpid(zombie, NULL, 0);
	for (int i = 0; i < nkids; i++)
		if (kids[i] == zombie)
			kids[i] = kids[--nkids];
	assert_int_equal(sampler_sample(s, want, 300, &snap), 0);
	assert_int_equal(snap.n, 4);
	assert_null(sampler_find(&snap, zombie));

	sampler_free(s);
}

static void
fds_fn(void)
{
	close(pipefd[0]);
	for (;;)
		pause();
}

static void
test_fds_and_cmdline(void **state)
{
	(void)state;
	assert_int_equal(pipe(pipefd), 0);
	struct stat st;
	assert_int_equal(fstat(pipefd[1], &st), 0);
	pid_t p = spawn(fds_fn, "smp-fds");
	close(pipefd[0]);
	msleep(50);

	struct proc_fd *v = NULL;
	int n = sampler_list_fds(p, &v);
	assert_true(n >= 1);
	int found = 0, readend = 0;
	for (int i = 0; i < n; i++) {
		if (i > 0)
			assert_true(v[i - 1].fd < v[i].fd);
		if (v[i].fd == pipefd[1]) {
			assert_true(strncmp(v[i].target, "pipe:[", 6) == 0);
			assert_int_equal(v[i].inode, (unsigned long)st.st_ino);
			found = 1;
		}
		if (v[i].fd == pipefd[0])
			readend = 1;
	}
	assert_true(found);
	assert_false(readend);   /* the child closed it */
	free(v);
	close(pipefd[1]);

	/* Nothing to sample: an empty snapshot, no error. */
	char err[128];
	struct sampler *s = sampler_new(err, sizeof(err));
	struct proc_snapshot snap;
	pid_t none[1] = { 4000321 };
	assert_int_equal(sampler_sample(s, NULL, 0, &snap), 0);
	assert_int_equal(snap.n, 0);
	assert_int_equal(sampler_sample(s, none, 1, &snap), 0);
	assert_int_equal(snap.n, 0);
	sampler_free(s);

	assert_true(sampler_list_fds(4000123, &v) < 0);
	assert_null(v);

	char buf[4096];
	assert_true(sampler_cmdline(p, buf, sizeof(buf)) > 0);
	assert_non_null(strstr(buf, "test_sampler"));
	assert_null(strchr(buf, '\n'));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pcpu_math),
		cmocka_unit_test_teardown(test_children, teardown),
		cmocka_unit_test_teardown(test_fds_and_cmdline, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
