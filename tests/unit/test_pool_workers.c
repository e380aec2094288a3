/* Pool workers' life: maxtasksperchild, a worker killed mid-task (lost task,
 * replacement), terminate (SIGTERM, exit code -15). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "test_pool_fixture.h"

#define SPEED 20.0

static int
exit_code(int st)
{
	return WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? -WTERMSIG(st) : -1000;
}

static int
pids_of(const struct fx_run *r, int kind, int *pids, int *counts, int max)
{
	int n = 0;

	for (size_t k = 0; k < r->n; k++) {
		if (r->ev[k].kind != kind)
			continue;
		int i;
		for (i = 0; i < n && pids[i] != r->ev[k].pid; i++)
			;
		if (i == n) {
			if (n == max)
				continue;
			pids[n] = r->ev[k].pid;
			counts[n++] = 0;
		}
		counts[i]++;
	}
	return n;
}

/* maxtasksperchild=2, 12 tasks on 3 processes: 6 worker pids, 2 tasks each;
 * the worker names keep counting (worker-1 .. worker-6 at least). */
static void
test_pool_maxtasksperchild(void **state)
{
	struct scenario sc;
	struct fx_run r;

	fx_init(&sc);
	int pool = fx_obj(&sc, SC_POOL, "pool");
	sc.objs[pool].u.pool.maxtasksperchild = 2;
	int work = fx_obj(&sc, SC_FUNCTION, "work");
	/* 125 ms real per task: the workers are replaced as they exit (pidfd
	 * wake-up), well within one task's time, so the new ones share the
	 * remaining tasks evenly, as in CPython */
	fx_sleep(&sc, work, 2.5);
	fx_return_arg_plus(&sc, work, 1000);
	int m = fx_obj(&sc, SC_FUNCTION, "main");
	int rep = fx_repeat(&sc, m, 12);
	fx_submit(&sc, m, STEP_APPLY_ASYNC, pool, work);
	fx_end(&sc, m, rep);
	fx_pool_op(&sc, m, STEP_CLOSE, pool);
	fx_pool_op(&sc, m, STEP_JOIN, pool);
	fx_run(&sc, SPEED, 30, pool, &r);

	assert_false(r.timed_out);
	assert_int_equal(exit_code(r.main_status), 0);
	assert_false(r.leftover);
	assert_int_equal(fx_count(&r, EV_TASK_END), 12);
	int pids[32], counts[32];
	int n = pids_of(&r, EV_TASK_START, pids, counts, 32);
	assert_int_equal(n, 6);
	for (int i = 0; i < n; i++)
		assert_int_equal(counts[i], 2);
	assert_non_null(fx_find_text(&r, EV_SPAWN, "worker-6"));
	/* every worker that ran tasks exited 0 */
	for (int i = 0; i < n; i++) {
		bool ok = false;
		for (size_t k = 0; k < r.n; k++)
			ok |= r.ev[k].kind == EV_EXIT && r.ev[k].pid == pids[i] && r.ev[k].a == 0;
		assert_true(ok);
	}
	assert_true(r.pool_end.workers_spawned >= 6);
	fx_run_free(&r);
	fx_free(&sc);
}

/* A task that does 'crash KILL': EV_LOST names the task and the dead
 * worker, a new worker replaces it, the 5 other tasks complete; main then
 * ends, and the pool is terminated at exit (CPython's atexit). */
static void
test_pool_worker_killed(void **state)
{
	struct scenario sc;
	struct fx_run r;

	fx_init(&sc);
	int pool = fx_obj(&sc, SC_POOL, "pool");
	int work = fx_obj(&sc, SC_FUNCTION, "work");
	fx_sleep(&sc, work, 1.0);
	fx_return_arg_plus(&sc, work, 1000);
	int crasher = fx_obj(&sc, SC_FUNCTION, "crasher");
	fx_sleep(&sc, crasher, 0.5);
	fx_step(&sc, crasher, STEP_CRASH)->sig = SIGKILL;
	int m = fx_obj(&sc, SC_FUNCTION, "main");
	struct sc_step *st = fx_submit(&sc, m, STEP_APPLY_ASYNC, pool, crasher);
	st->expr.base = SC_BASE_CONST;
	st->expr.n = 99;
	int rep = fx_repeat(&sc, m, 5);
	fx_submit(&sc, m, STEP_APPLY_ASYNC, pool, work);
	fx_end(&sc, m, rep);
	fx_sleep(&sc, m, 5.0);
	fx_run(&sc, SPEED, 30, pool, &r);

	assert_false(r.timed_out);
	assert_int_equal(exit_code(r.main_status), 0);
	assert_false(r.leftover);
	assert_int_equal(fx_count(&r, EV_LOST), 1);
	const struct fx_ev *lost = fx_nth(&r, EV_LOST, 0);
	int64_t task = -1;
	pid_t ran = -1;
	for (size_t k = 0; k < r.n; k++)
		if (r.ev[k].kind == EV_SUBMIT && r.ev[k].b == 99)
			task = r.ev[k].a;
	for (size_t k = 0; k < r.n; k++)
		if (r.ev[k].kind == EV_TASK_START && r.ev[k].a == task)
			ran = r.ev[k].pid;
	assert_true(task >= 0);
	assert_int_equal(lost->a, task);
	assert_int_equal(lost->b, ran);
	assert_int_equal(lost->c, SIGKILL);
	assert_int_equal(lost->pid, r.main_pid);   /* reported by the worker handler */
	/* 4 workers spawned: the replacement has a new pid and the next name */
	int workers = 0;
	pid_t fourth = 0;
	for (size_t k = 0; k < r.n; k++)
		if (r.ev[k].kind == EV_SPAWN && r.ev[k].b == ROLE_WORKER && ++workers == 4)
			fourth = r.ev[k].pid;
	assert_int_equal(workers, 4);
	assert_int_not_equal(fourth, ran);
	assert_non_null(fx_find_text(&r, EV_SPAWN, "worker-4"));
	/* replaced within about 100 ms of real time (CPython's poll period) */
	const struct fx_ev *rep_ev = fx_find_text(&r, EV_SPAWN, "worker-4");
	assert_true(rep_ev->t - lost->t < 400000000LL);
	/* the other five completed */
	int ok = 0;
	for (size_t k = 0; k < r.n; k++)
		ok += r.ev[k].kind == EV_TASK_END && r.ev[k].c == 0;
	assert_int_equal(ok, 5);
	assert_int_equal(fx_count(&r, EV_CALLBACK), 0);
	assert_int_equal(r.pool_end.lost, 1);
	fx_run_free(&r);
	fx_free(&sc);
}

/* terminate: SIGTERM to the workers (exit code -15), running tasks never
 * end, queued ones never start, no callback ever runs. */
static void
test_pool_terminate(void **state)
{
	struct scenario sc;
	struct fx_run r;

	fx_init(&sc);
	int pool = fx_obj(&sc, SC_POOL, "pool");
	int work = fx_obj(&sc, SC_FUNCTION, "work");
	fx_sleep(&sc, work, 2.0);
	fx_return_arg_plus(&sc, work, 1000);
	int cb = fx_obj(&sc, SC_FUNCTION, "cb");
	fx_step(&sc, cb, STEP_PRINT)->text = strdup("cb {value}");
	int m = fx_obj(&sc, SC_FUNCTION, "main");
	int rep = fx_repeat(&sc, m, 6);
	fx_submit(&sc, m, STEP_APPLY_ASYNC, pool, work)->callback = cb;
	fx_end(&sc, m, rep);
	fx_sleep(&sc, m, 0.5);
	fx_pool_op(&sc, m, STEP_TERMINATE, pool);
	fx_step(&sc, m, STEP_PRINT)->text = strdup("terminated");
	fx_run(&sc, SPEED, 30, pool, &r);

	assert_int_equal(exit_code(r.main_status), 0);
	assert_false(r.leftover);
	assert_int_equal(fx_count(&r, EV_TASK_START), 3);
	assert_int_equal(fx_count(&r, EV_TASK_END), 0);
	assert_int_equal(fx_count(&r, EV_CALLBACK), 0);
	/* main reaped three workers, each with exit code -15 */
	int reaped = 0;
	for (size_t k = 0; k < r.n; k++)
		if (r.ev[k].kind == EV_REAP && r.ev[k].pid == r.main_pid) {
			assert_int_equal(r.ev[k].b, -SIGTERM);
			reaped++;
		}
	assert_int_equal(reaped, 3);
	/* terminate returned quickly (well before the 2 s tasks would end) */
	const struct fx_ev *t = fx_find_text(&r, EV_PRINT, "terminated");
	assert_non_null(t);
	assert_true(t->t - fx_nth(&r, EV_TASK_START, 0)->t < (int64_t)(1.5e9 / SPEED));
	assert_int_equal(r.pool_end.state, POOL_TERMINATE);
	fx_run_free(&r);
	fx_free(&sc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pool_maxtasksperchild),
		cmocka_unit_test(test_pool_worker_killed),
		cmocka_unit_test(test_pool_terminate),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
