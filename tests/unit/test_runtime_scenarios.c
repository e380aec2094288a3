/* The bundled scenarios that use no pool or manager, loaded with the real
 * loader and run through runtime_enter_main at --speed 20: the events say
 * what each scenario is about. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <dirent.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rt_harness.h"
#include "scenario/load.h"

#define SPEED 20

static const char *
text_of(const struct rt_ev *e)
{
	return e && e->text ? e->text : "";
}

static void
load(const char *name, struct scenario *sc)
{
	char path[512];

	snprintf(path, sizeof(path), "scenarios/%s.ini", name);
	if (access(path, R_OK) != 0) {
		char src[512];
		snprintf(src, sizeof(src), "%s", __FILE__);
		snprintf(path, sizeof(path), "%s/../../scenarios/%s.ini", dirname(src), name);
	}
	assert_int_equal(scenario_load_file(path, sc, stderr), 0);
}

static void
run(const char *name, struct scenario *sc, struct rt_run *r, rt_tick_fn tick, void *ud)
{
	load(name, sc);
	rt_run(sc, SPEED, 10, r, tick, ud);
	assert_true(WIFEXITED(r->wstatus));
	assert_int_equal(WEXITSTATUS(r->wstatus), 0);
	assert_int_equal(r->leftovers, 0);
}

static void
done(struct scenario *sc, struct rt_run *r)
{
	rt_free(r);
	scenario_free(sc);
}

static const struct rt_ev *
spawn_of(const struct rt_run *r, const char *name)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->evs[i].ev.kind == EV_SPAWN && strcmp(text_of(&r->evs[i]), name) == 0)
			return &r->evs[i];
	return NULL;
}

static void
test_pid_tree(void **state)
{
	struct scenario sc;
	struct rt_run r;
	char want[96];

	run("pid_tree", &sc, &r, NULL, NULL);
	pid_t child = spawn_of(&r, "child")->ev.pid;
	snprintf(want, sizeof(want), "main: pid %d, parent %d", r.main_pid, getpid());
	assert_string_equal(text_of(rt_nth(&r, EV_PRINT, r.main_pid, 0)), want);
	snprintf(want, sizeof(want), "child: pid %d, parent %d", child, r.main_pid);
	assert_string_equal(text_of(rt_nth(&r, EV_PRINT, child, 0)), want);
	done(&sc, &r);
}

static void
test_queue(void **state)
{
	struct scenario sc;
	struct rt_run r;

	run("queue", &sc, &r, NULL, NULL);
	pid_t child = spawn_of(&r, "child")->ev.pid;
	assert_string_equal(text_of(rt_nth(&r, EV_PUT, child, 0)), "[1, '23', 'sdad']");
	assert_string_equal(text_of(rt_nth(&r, EV_GET, r.main_pid, 0)), "[1, '23', 'sdad']");
	assert_string_equal(text_of(rt_nth(&r, EV_PRINT, r.main_pid, 0)),
	    "parent got [1, '23', 'sdad']");
	done(&sc, &r);
}

static void
test_pipe(void **state)
{
	struct scenario sc;
	struct rt_run r;

	run("pipe", &sc, &r, NULL, NULL);
	pid_t child = spawn_of(&r, "child")->ev.pid;
	assert_string_equal(text_of(rt_nth(&r, EV_PRINT, child, 0)), "child got hello");
	assert_string_equal(text_of(rt_nth(&r, EV_PRINT, r.main_pid, 0)), "parent got it's me");
	assert_int_equal(rt_nth(&r, EV_SEND, r.main_pid, 0)->ev.a, 0);
	assert_int_equal(rt_nth(&r, EV_SEND, child, 0)->ev.a, 1);
	done(&sc, &r);
}

struct thread_watch {
	pid_t pid[10];
	int max_tasks[10];
};

static int
task_count(pid_t pid)
{
	char path[64];
	struct dirent *de;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	DIR *d = opendir(path);
	if (!d)
		return 0;
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

static void
watch_threads(struct rt_run *r, void *ud)
{
	struct thread_watch *w = ud;

	for (int k = 0; k < 10; k++) {
		if (!w->pid[k]) {
			char name[16];
			snprintf(name, sizeof(name), "child-%d", k + 1);
			const struct rt_ev *s = spawn_of(r, name);
			if (!s)
				continue;
			w->pid[k] = s->ev.pid;
		}
		int n = task_count(w->pid[k]);
		if (n > w->max_tasks[k])
			w->max_tasks[k] = n;
	}
}

/* 10 processes child-1..10, each with 2 threads near the end. */
static void
test_process_threads(void **state)
{
	struct scenario sc;
	struct rt_run r;
	struct thread_watch w = { 0 };

	run("process_threads", &sc, &r, watch_threads, &w);
	for (int k = 0; k < 10; k++) {
		assert_true(w.pid[k] > 0);
		assert_int_equal(w.max_tasks[k], 2);
		const struct rt_ev *ts = rt_nth(&r, EV_THREAD_START, w.pid[k], 0);
		assert_non_null(ts);
		assert_true(ts->ev.tid != w.pid[k]);
		/* the thread starts after ~2 s of scenario time, ends ~2 s later */
		double t0 = rt_scen_s(&r, ts);
		double t1 = rt_scen_s(&r, rt_nth(&r, EV_THREAD_END, w.pid[k], 0));
		assert_true(t0 >= 1.9 && t0 < 3.0);
		assert_true(t1 - t0 >= 1.9 && t1 - t0 < 3.0);
	}
	assert_int_equal(rt_count(&r, EV_THREAD_START, 0), 10);
	assert_string_equal(text_of(rt_nth(&r, EV_PRINT, r.main_pid, 0)),
	    "all ten children joined");
	done(&sc, &r);
}

static void
test_queue_timeouts(void **state)
{
	struct scenario sc;
	struct rt_run r;

	run("queue_timeouts", &sc, &r, NULL, NULL);
	assert_string_equal(text_of(rt_nth(&r, EV_ERROR, 0, 0)), "queue.Full");
	assert_string_equal(text_of(rt_nth(&r, EV_ERROR, 0, 1)), "queue.Empty");
	assert_int_equal(rt_nth(&r, EV_ERROR, 0, 0)->ev.a, 1);
	assert_string_equal(text_of(rt_nth(&r, EV_PRINT, 0, 1)), "got first");
	/* each timeout took 0.5 s of scenario time */
	for (size_t k = 0; k < 2; k++) {
		double b = rt_scen_s(&r, rt_nth(&r, EV_BLOCK, 0, k));
		double u = rt_scen_s(&r, rt_nth(&r, EV_UNBLOCK, 0, k));
		assert_true(u - b >= 0.5 && u - b < 0.5 * 1.8);
	}
	done(&sc, &r);
}

static void
test_pipe_eof(void **state)
{
	struct scenario sc;
	struct rt_run r;

	run("pipe_eof", &sc, &r, NULL, NULL);
	assert_string_equal(text_of(rt_nth(&r, EV_PRINT, r.main_pid, 0)), "got last message");
	assert_string_equal(text_of(rt_nth(&r, EV_ERROR, r.main_pid, 0)), "EOFError");
	assert_string_equal(text_of(rt_nth(&r, EV_PRINT, r.main_pid, 1)),
	    "second recv: end of file");
	done(&sc, &r);
}

static void
test_broken_pipe(void **state)
{
	struct scenario sc;
	struct rt_run r;

	run("broken_pipe", &sc, &r, NULL, NULL);
	assert_string_equal(text_of(rt_nth(&r, EV_ERROR, r.main_pid, 0)),
	    "BrokenPipeError: [Errno 32] Broken pipe");
	assert_int_equal(rt_count(&r, EV_SEND, 0), 0);
	done(&sc, &r);
}

static void
test_oneway_pipe(void **state)
{
	struct scenario sc;
	struct rt_run r;

	run("oneway_pipe", &sc, &r, NULL, NULL);
	for (size_t k = 0; k < 3; k++) {
		char want[32];
		snprintf(want, sizeof(want), "parent got message %zu", k);
		assert_string_equal(text_of(rt_nth(&r, EV_PRINT, r.main_pid, k)), want);
	}
	done(&sc, &r);
}

static void
test_exit_codes(void **state)
{
	struct scenario sc;
	struct rt_run r;
	const char *names[] = { "fine", "three", "boom", "killed" };
	const int codes[] = { 0, 3, 1, -9 };

	run("exit_codes", &sc, &r, NULL, NULL);
	for (int k = 0; k < 4; k++) {
		pid_t pid = spawn_of(&r, names[k])->ev.pid;
		const struct rt_ev *ex = rt_nth(&r, EV_EXIT, pid, 0);
		assert_non_null(ex);
		assert_int_equal(ex->ev.a, codes[k]);
	}
	assert_string_equal(text_of(rt_nth(&r, EV_ERROR, 0, 0)),
	    "RuntimeError: something went wrong");
	done(&sc, &r);
}

struct depth_watch {
	const struct scenario *sc;
	int64_t max_depth;
};

static void
watch_depth(struct rt_run *r, void *ud)
{
	struct depth_watch *w = ud;
	int q = scenario_find(w->sc, "jobs");
	int64_t d = atomic_load(&r->sh->objs[q].q.depth);

	if (d > w->max_depth)
		w->max_depth = d;
}

static void
test_producer_consumer(void **state)
{
	struct scenario sc;
	struct rt_run r;
	struct depth_watch w = { .sc = &sc };

	run("producer_consumer", &sc, &r, watch_depth, &w);
	assert_int_equal(rt_count(&r, EV_PUT, 0), 12);
	assert_int_equal(rt_count(&r, EV_GET, 0), 12);
	int seen[2][5] = { { 0 } }, stops = 0;
	for (size_t k = 0; k < 12; k++) {
		const char *t = text_of(rt_nth(&r, EV_GET, 0, k));
		int p, i;
		if (strcmp(t, "STOP") == 0)
			stops++;
		else {
			assert_int_equal(sscanf(t, "item %d-%d", &p, &i), 2);
			seen[p][i]++;
		}
	}
	assert_int_equal(stops, 2);
	for (int p = 0; p < 2; p++)
		for (int i = 0; i < 5; i++)
			assert_int_equal(seen[p][i], 1);
	assert_true(w.max_depth >= 1 && w.max_depth <= 3);
	for (size_t i = 0; i < r.n; i++)
		if (r.evs[i].ev.kind == EV_PUT || r.evs[i].ev.kind == EV_GET)
			assert_true(r.evs[i].ev.a >= 0 && r.evs[i].ev.a <= 3);
	done(&sc, &r);
}

/* alice and bob block on get for ever; main's timed joins expire, then it
 * terminates both (-15). */
static void
test_deadlock(void **state)
{
	struct scenario sc;
	struct rt_run r;

	run("deadlock", &sc, &r, NULL, NULL);
	const char *names[] = { "alice", "bob" };
	for (int k = 0; k < 2; k++) {
		pid_t pid = spawn_of(&r, names[k])->ev.pid;
		const struct rt_ev *b = rt_nth(&r, EV_BLOCK, pid, 0);
		assert_non_null(b);
		assert_int_equal(b->ev.a, WAIT_GET);
		assert_null(rt_nth(&r, EV_UNBLOCK, pid, 0));
		bool killed = false;
		for (size_t i = 0; i < r.n; i++)
			if (r.evs[i].ev.kind == EV_EXIT && r.evs[i].ev.pid == pid)
				killed = r.evs[i].ev.a == -15;
		assert_true(killed);
	}
	const struct rt_ev *p = rt_nth(&r, EV_PRINT, r.main_pid, 0);
	assert_true(rt_scen_s(&r, p) >= 5.0);
	done(&sc, &r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pid_tree),
		cmocka_unit_test(test_queue),
		cmocka_unit_test(test_pipe),
		cmocka_unit_test(test_process_threads),
		cmocka_unit_test(test_queue_timeouts),
		cmocka_unit_test(test_pipe_eof),
		cmocka_unit_test(test_broken_pipe),
		cmocka_unit_test(test_oneway_pipe),
		cmocka_unit_test(test_exit_codes),
		cmocka_unit_test(test_producer_consumer),
		cmocka_unit_test(test_deadlock),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
