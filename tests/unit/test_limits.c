/* Run-time limits, beyond what the checker refuses: a scenario whose
 * max_processes is lowered after loading (the checker would have refused
 * it) gets BlockingIOError instead of a fork over the cap, and one whose
 * max_threads is lowered gets CPython's "RuntimeError: can't start new
 * thread"; a message over
 * SC_MAX_MESSAGE bytes after template expansion is a ValueError, never
 * silently cut, for put, send, print and manager values. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rt_harness.h"
#include "scenario_testutil.h"

static const char *
text_of(const struct rt_ev *e)
{
	return e && e->text ? e->text : "";
}

static size_t
count_role(const struct rt_run *r, int role)
{
	size_t n = 0;

	for (size_t k = 0; k < r->n; k++)
		if (r->evs[k].ev.kind == EV_SPAWN && r->evs[k].ev.b == role)
			n++;
	return n;
}

static void
load(const char *text, struct scenario *sc)
{
	char *errs = NULL;
	int n = tu_load(text, sc, &errs);

	if (n)
		fprintf(stderr, "%s", errs);
	free(errs);
	assert_int_equal(n, 0);
}

static void
test_max_processes_at_run_time(void **state)
{
	struct scenario sc;
	struct rt_run r;

	load("[scenario]\ntitle = t\n[process p]\nrun = nap\ncount = 5\n"
	    "[function nap]\nstep = sleep 200ms\n"
	    "[function main]\nstep = start p\nstep = join p\n", &sc);
	sc.max_processes = 3;          /* main + 2: the third copy must fail */
	rt_run(&sc, 20, 10, &r, NULL, NULL);
	assert_int_equal(count_role(&r, ROLE_PROCESS), 2);
	const struct rt_ev *e = rt_nth(&r, EV_ERROR, r.main_pid, 0);
	assert_non_null(e);
	assert_int_equal(e->ev.a, 0);                 /* uncaught */
	assert_non_null(strstr(text_of(e), "BlockingIOError: [Errno 11]"));
	assert_true(WIFEXITED(r.wstatus));
	assert_int_equal(WEXITSTATUS(r.wstatus), 1);
	assert_int_equal(r.leftovers, 0);
	rt_free(&r);

	/* the same with the cap the checker computed: all five start */
	sc.max_processes = 6;
	rt_run(&sc, 20, 10, &r, NULL, NULL);
	assert_int_equal(count_role(&r, ROLE_PROCESS), 5);
	assert_int_equal(rt_count(&r, EV_ERROR, 0), 0);
	assert_int_equal(WEXITSTATUS(r.wstatus), 0);
	rt_free(&r);
	scenario_free(&sc);
}

static void
test_max_threads_at_run_time(void **state)
{
	struct scenario sc;
	struct rt_run r;

	load("[scenario]\ntitle = t\n[thread t1]\nrun = nap\n[thread t2]\nrun = nap\n"
	    "[thread t3]\nrun = nap\n[function nap]\nstep = sleep 200ms\n"
	    "[function main]\nstep = start t1\nstep = start t2\nstep = start t3\n"
	    "step = join t1\nstep = join t2\n", &sc);
	sc.max_threads = 2;            /* the third start must fail */
	rt_run(&sc, 20, 10, &r, NULL, NULL);
	assert_int_equal(rt_count(&r, EV_THREAD_START, r.main_pid), 2);
	const struct rt_ev *e = rt_nth(&r, EV_ERROR, r.main_pid, 0);
	assert_non_null(e);
	assert_string_equal(text_of(e), "RuntimeError: can't start new thread");
	assert_int_equal(WEXITSTATUS(r.wstatus), 1);
	assert_int_equal(r.leftovers, 0);
	rt_free(&r);

	/* threads that ended make room again: t1 joined before t3 starts */
	scenario_free(&sc);
	load("[scenario]\ntitle = t\n[thread t1]\nrun = nap\n[thread t2]\nrun = nap\n"
	    "[thread t3]\nrun = nap\n[function nap]\nstep = sleep 200ms\n"
	    "[function main]\nstep = start t1\nstep = start t2\nstep = join t1\n"
	    "step = start t3\nstep = join t2\nstep = join t3\n", &sc);
	sc.max_threads = 2;
	rt_run(&sc, 20, 10, &r, NULL, NULL);
	assert_int_equal(rt_count(&r, EV_THREAD_START, r.main_pid), 3);
	assert_int_equal(rt_count(&r, EV_ERROR, 0), 0);
	assert_int_equal(WEXITSTATUS(r.wstatus), 0);
	rt_free(&r);
	scenario_free(&sc);
}

static void
test_message_too_long(void **state)
{
	struct scenario sc;
	struct rt_run r;

	/* {value} of the map is "[0, 1000, ..., 20000000]": about 180 KB */
	load("[scenario]\ntitle = t\n[queue q]\n[pipe p]\n[manager mgr]\n"
	    "[pool pool]\nprocesses = 1\n[function k]\nstep = return arg * 1000\n"
	    "[function main]\nstep = map pool k 0..20000\n"
	    "step = put q \"{value}\" on_error=continue\n"
	    "step = send p.a \"{value}\" on_error=continue\n"
	    "step = dict_set mgr k \"{value}\" on_error=continue\n"
	    "step = list_append mgr \"{value}\" on_error=continue\n"
	    "step = map pool k 0..3\n"
	    "step = put q \"{value}\"\nstep = get q\nstep = print \"got {value}\"\n"
	    "step = map pool k 0..20000\nstep = print \"{value}\"\n", &sc);
	rt_run(&sc, 20, 30, &r, NULL, NULL);
	assert_int_equal(rt_count(&r, EV_ERROR, 0), 5);
	for (size_t k = 0; k < 5; k++) {
		const struct rt_ev *e = rt_nth(&r, EV_ERROR, 0, k);
		assert_int_equal(e->ev.a, k < 4 ? 1 : 0);   /* the print is uncaught */
		assert_string_equal(text_of(e),
		    "ValueError: message too long after expansion (more than 65536 bytes)");
	}
	assert_int_equal(rt_count(&r, EV_PUT, 0), 1);    /* the short one only */
	assert_int_equal(rt_count(&r, EV_SEND, 0), 0);
	assert_int_equal(rt_count(&r, EV_MGR_OP, 0), 0);
	assert_int_equal(rt_count(&r, EV_PRINT, 0), 1);
	assert_string_equal(text_of(rt_nth(&r, EV_PRINT, 0, 0)), "got [0, 1000, 2000, 3000]");
	assert_int_equal(WEXITSTATUS(r.wstatus), 1);
	assert_int_equal(r.leftovers, 0);
	rt_free(&r);
	scenario_free(&sc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_max_processes_at_run_time),
		cmocka_unit_test(test_max_threads_at_run_time),
		cmocka_unit_test(test_message_too_long),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
