/* Runs through the observer API: real processes, end states, time order,
 * pause, signals, deadlock, timeout, and nothing left behind. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "observe/reaper.h"
#include "observe/run.h"
#include "scenario/load.h"
#include "util/futex.h"

struct got {
	int n, spawns, ends, gets;
	int64_t last_t;
	int disorder;
	int last_kind;
	pid_t main_spawn_pid;
	char deadlock[2048];
	char msgs[8][32];
};

static void
on_ev(void *ud, const struct event *ev)
{
	struct got *g = ud;

	if (g->n && ev->t_ns < g->last_t)
		g->disorder++;
	g->last_t = ev->t_ns;
	g->n++;
	g->last_kind = ev->kind;
	if (ev->kind == EV_SPAWN) {
		g->spawns++;
		if (ev->b == ROLE_MAIN)
			g->main_spawn_pid = ev->pid;
	}
	if (ev->kind == EV_END)
		g->ends++;
	if (ev->kind == EV_GET && g->gets < 8)
		snprintf(g->msgs[g->gets++], sizeof(g->msgs[0]), "%s", ev->text ? ev->text : "");
	if (ev->kind == EV_DEADLOCK)
		snprintf(g->deadlock, sizeof(g->deadlock), "%s", ev->text);
}

static void
load(struct scenario *sc, const char *text)
{
	assert_int_equal(scenario_load_string("test.ini", text, sc, stderr), 0);
}

/* Poll until the run ends (at most 'limit_ms'). */
static enum run_state
poll_to_end(struct run *r, struct got *g, int limit_ms)
{
	int64_t until = mono_ns() + (int64_t)limit_ms * 1000000;
	enum run_state st;

	do {
		struct pollfd p = { run_fd(r), POLLIN, 0 };
		poll(&p, 1, 10);
		st = run_poll(r, on_ev, g);
	} while ((st == RUN_RUNNING || st == RUN_PAUSED) && mono_ns() < until);
	return st;
}

static const char *queue_sc =
	"[scenario]\ntitle = q\n"
	"[queue q]\n"
	"[process kid]\nrun = kidf\ncount = 3\n"
	"[function kidf]\nstep = sleep 10ms\nstep = put q \"m{arg}\"\n"
	"[function main]\nstep = start kid\nstep = repeat 3\nstep = get q\nstep = end\n"
	"step = join kid\n";

static void
test_run_finishes_in_order(void **state)
{
	struct scenario sc;
	struct got g = { 0 };
	char err[256];
	struct run_opts o = { .speed = 1.0 };

	load(&sc, queue_sc);
	struct run *r = run_start(&sc, &o, err, sizeof err);
	assert_non_null(r);
	pid_t pgid = run_main_pid(r);
	assert_int_equal(poll_to_end(r, &g, 10000), RUN_FINISHED);
	assert_int_equal(run_exit_status(r), 0);
	assert_int_equal(run_poll(r, on_ev, &g), RUN_FINISHED);   /* idempotent */
	assert_int_equal(g.spawns, 4);
	assert_int_equal(g.main_spawn_pid, pgid);
	assert_int_equal(g.gets, 3);
	assert_int_equal(g.ends, 1);
	assert_int_equal(g.last_kind, EV_END);
	assert_int_equal(g.disorder, 0);
	run_free(r);
	assert_int_equal(reaper_count_pgid(pgid), 0);
	assert_false(reaper_alive(pgid));
	scenario_free(&sc);
}

static const char *sleepy_sc =
	"[scenario]\ntitle = s\ntimeout = 10m\n"
	"[process kid]\nrun = nap\ncount = 2\n"
	"[function nap]\nstep = sleep 1m\n"
	"[function main]\nstep = start kid\nstep = join kid\n";

static char
proc_state(pid_t pid)
{
	char path[64], buf[256];
	FILE *f;

	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	char *p = strrchr(buf, ')');
	return p ? p[2] : 0;
}

static void
test_run_pause_signal_stop(void **state)
{
	struct scenario sc;
	struct got g = { 0 };
	char err[256];
	struct run_opts o = { .speed = 1.0 };

	load(&sc, sleepy_sc);
	struct run *r = run_start(&sc, &o, err, sizeof err);
	assert_non_null(r);
	pid_t main_pid = run_main_pid(r);
	for (int i = 0; i < 200 && g.spawns < 3; i++) {
		usleep(10000);
		run_poll(r, on_ev, &g);
	}
	assert_int_equal(g.spawns, 3);
	assert_int_equal(reaper_count_pgid(main_pid), 3);

	/* Only scenario processes may be signalled. */
	assert_int_equal(run_signal(r, getpid(), SIGTERM), -1);
	assert_int_equal(errno, EPERM);
	assert_int_equal(run_signal(r, 1, SIGTERM), -1);

	run_pause(r, true);
	assert_int_equal(run_state(r), RUN_PAUSED);
	usleep(30000);
	char st = proc_state(main_pid);
	assert_true(st == 'T' || st == 't');
	int64_t t1 = run_now(r);
	usleep(50000);
	assert_true(run_now(r) == t1);          /* the clock is frozen */
	run_pause(r, false);
	usleep(30000);
	assert_true(proc_state(main_pid) == 'S');
	assert_true(run_now(r) > t1);

	run_stop(r);
	assert_int_equal(run_state(r), RUN_FAILED);
	assert_int_equal(run_exit_status(r), 1);
	run_poll(r, on_ev, &g);
	assert_int_equal(g.last_kind, EV_END);
	assert_int_equal(reaper_count_pgid(main_pid), 0);
	run_free(r);
	scenario_free(&sc);
}

static const char *dl_sc =
	"[scenario]\ntitle = dl\n"
	"[queue to_a]\n[queue to_b]\n"
	"[process a]\nrun = fa\n[process b]\nrun = fb\n"
	"[function fa]\nstep = get to_a\nstep = put to_b x\n"
	"[function fb]\nstep = get to_b\nstep = put to_a y\n"
	"[function main]\nstep = start a\nstep = start b\nstep = join a\nstep = join b\n";

static void
test_run_deadlock_chain(void **state)
{
	struct scenario sc;
	struct got g = { 0 };
	char err[256];
	struct run_opts o = { .speed = 1.0 };

	load(&sc, dl_sc);
	int64_t t0 = mono_ns();
	struct run *r = run_start(&sc, &o, err, sizeof err);
	assert_non_null(r);
	pid_t pgid = run_main_pid(r);
	assert_int_equal(poll_to_end(r, &g, 10000), RUN_DEADLOCK);
	int64_t took = mono_ns() - t0;
	assert_true(took >= 300000000LL && took < 3000000000LL);
	assert_int_equal(run_exit_status(r), 1);
	assert_non_null(strstr(g.deadlock, "main (pid "));
	assert_non_null(strstr(g.deadlock, "waits in join on process a"));
	assert_non_null(strstr(g.deadlock, "waits in get on queue to_a (empty), which only b (pid "));
	assert_non_null(strstr(g.deadlock, "waits in get on queue to_b (empty), which only a (pid "));
	assert_non_null(strstr(g.deadlock, "-> cycle"));
	assert_non_null(strstr(run_reason(r), "deadlock: main"));
	run_free(r);
	assert_int_equal(reaper_count_pgid(pgid), 0);
	scenario_free(&sc);
}

static void
test_run_timeout_override(void **state)
{
	struct scenario sc;
	struct got g = { 0 };
	char err[256];
	/* 1 m of sleep at speed 10 with a 2 s (scenario) timeout: 0.2 s real */
	struct run_opts o = { .speed = 10.0, .timeout_ns = 2000000000LL };

	load(&sc, sleepy_sc);
	int64_t t0 = mono_ns();
	struct run *r = run_start(&sc, &o, err, sizeof err);
	assert_non_null(r);
	assert_int_equal(poll_to_end(r, &g, 10000), RUN_TIMEOUT);
	int64_t took = mono_ns() - t0;
	assert_true(took >= 150000000LL && took < 2000000000LL);
	assert_non_null(strstr(run_reason(r), "timeout after 2 s"));
	assert_int_equal(g.disorder, 0);
	run_free(r);
	scenario_free(&sc);
}

static void
test_run_uncaught_error_and_expected(void **state)
{
	struct scenario sc;
	struct got g = { 0 };
	char err[256];
	struct run_opts o = { .speed = 1.0 };

	load(&sc, "[scenario]\ntitle = e\n[function main]\nstep = raise ValueError \"bad 2\"\n");
	struct run *r = run_start(&sc, &o, err, sizeof err);
	assert_int_equal(poll_to_end(r, &g, 10000), RUN_FAILED);
	assert_string_equal(run_reason(r), "main: ValueError: bad 2");
	run_free(r);
	scenario_free(&sc);

	load(&sc, "[scenario]\ntitle = e\nexpect_error = ValueError: bad 2\n"
	    "[function main]\nstep = raise ValueError \"bad 2\"\n");
	r = run_start(&sc, &o, err, sizeof err);
	assert_int_equal(poll_to_end(r, &g, 10000), RUN_FINISHED);
	assert_int_equal(run_exit_status(r), 0);
	run_free(r);
	scenario_free(&sc);

	load(&sc, "[scenario]\ntitle = e\n[function main]\nstep = crash SEGV\n");
	r = run_start(&sc, &o, err, sizeof err);
	assert_int_equal(poll_to_end(r, &g, 10000), RUN_FAILED);
	assert_string_equal(run_reason(r), "main was killed by SIGSEGV");
	run_free(r);
	scenario_free(&sc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_run_finishes_in_order),
		cmocka_unit_test(test_run_pause_signal_stop),
		cmocka_unit_test(test_run_deadlock_chain),
		cmocka_unit_test(test_run_timeout_override),
		cmocka_unit_test(test_run_uncaught_error_and_expected),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
