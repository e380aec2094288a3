/* Pool: real worker processes, CPython 3.11's observable behaviour
 * (scheduling, callbacks, ordering, chunks), asserted from the events. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "test_pool_fixture.h"

#define SPEED 20.0

/* Pool(3) 'pool', function work: sleep S; return arg + 1000. */
struct pool_sc {
	struct scenario sc;
	int pool, work, main;
};

static void
pool_sc_init(struct pool_sc *p, int processes, double task_s)
{
	fx_init(&p->sc);
	p->pool = fx_obj(&p->sc, SC_POOL, "pool");
	p->sc.objs[p->pool].u.pool.processes = processes;
	p->work = fx_obj(&p->sc, SC_FUNCTION, "work");
	fx_sleep(&p->sc, p->work, task_s);
	fx_return_arg_plus(&p->sc, p->work, 1000);
	p->main = fx_obj(&p->sc, SC_FUNCTION, "main");
}

/* print TEXT in function fn */
static void
add_print(struct scenario *sc, int fn, const char *text)
{
	fx_step(sc, fn, STEP_PRINT)->text = strdup(text);
}

static int
exit_code(int st)
{
	return WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? -WTERMSIG(st) : -1000;
}

/* Task id submitted with argument 'arg' (first such), or -1. */
static int64_t
task_of_arg(const struct fx_run *r, int64_t arg)
{
	for (size_t k = 0; k < r->n; k++)
		if (r->ev[k].kind == EV_SUBMIT && r->ev[k].b == arg)
			return r->ev[k].a;
	return -1;
}

static const struct fx_ev *
task_start(const struct fx_run *r, int64_t task)
{
	for (size_t k = 0; k < r->n; k++)
		if (r->ev[k].kind == EV_TASK_START && r->ev[k].a == task)
			return &r->ev[k];
	return NULL;
}

/* scenarios/pool_callback.ini: 10 apply_async of 2 s tasks on Pool(3) with a
 * callback, close, join. */
static void
test_pool_callback_shape(void **state)
{
	struct pool_sc p;
	struct fx_run r;

	pool_sc_init(&p, 3, 2.0);
	int cb = fx_obj(&p.sc, SC_FUNCTION, "on_result");
	add_print(&p.sc, cb, "callback got {value}");
	int rep = fx_repeat(&p.sc, p.main, 10);
	fx_submit(&p.sc, p.main, STEP_APPLY_ASYNC, p.pool, p.work)->callback = cb;
	fx_end(&p.sc, p.main, rep);
	fx_pool_op(&p.sc, p.main, STEP_CLOSE, p.pool);
	fx_pool_op(&p.sc, p.main, STEP_JOIN, p.pool);
	fx_run(&p.sc, SPEED, 20, p.pool, &r);

	assert_false(r.timed_out);
	assert_int_equal(exit_code(r.main_status), 0);
	assert_false(r.leftover);
	assert_int_equal(fx_count(&r, EV_SUBMIT), 10);
	assert_int_equal(fx_count(&r, EV_TASK_START), 10);
	assert_int_equal(fx_count(&r, EV_TASK_END), 10);
	assert_int_equal(fx_distinct_pids(&r, EV_TASK_START), 3);
	assert_int_equal(fx_max_running(&r), 3);

	/* 4 waves: start times cluster in 4 groups about 2 s (scenario) apart */
	int64_t starts[10];
	size_t ns = 0;
	for (size_t k = 0; k < r.n && ns < 10; k++)
		if (r.ev[k].kind == EV_TASK_START)
			starts[ns++] = r.ev[k].t;
	int waves = 1;
	int64_t half = (int64_t)(1.0e9 / SPEED);   /* half a task, real ns */
	for (size_t k = 1; k < ns; k++)
		if (starts[k] - starts[k - 1] > half)
			waves++;
	assert_int_equal(waves, 4);

	/* 10 callbacks, in main, on one thread that is not main's */
	assert_int_equal(fx_count(&r, EV_CALLBACK), 10);
	int cb_tid = fx_nth(&r, EV_CALLBACK, 0)->tid;
	assert_int_not_equal(cb_tid, r.main_pid);
	int seen = 0;
	for (size_t i = 0; i < 10; i++) {
		const struct fx_ev *e = fx_nth(&r, EV_CALLBACK, i);
		assert_int_equal(e->pid, r.main_pid);
		assert_int_equal(e->tid, cb_tid);
		assert_int_equal(e->c, 0);
		assert_true(e->b >= 1000 && e->b <= 1009);
		seen |= 1 << (e->b - 1000);
		char want[16];
		snprintf(want, sizeof want, "%lld", (long long)e->b);
		assert_string_equal(e->text, want);
	}
	assert_int_equal(seen, 0x3ff);
	/* each callback ran after its task ended; its print is on its thread */
	for (size_t k = 0; k < r.n; k++) {
		if (r.ev[k].kind != EV_CALLBACK)
			continue;
		bool ended = false;
		for (size_t q = 0; q < k; q++)
			ended |= r.ev[q].kind == EV_TASK_END && r.ev[q].a == r.ev[k].a;
		assert_true(ended);
	}
	assert_int_equal(fx_count(&r, EV_PRINT), 10);
	for (size_t i = 0; i < 10; i++)
		assert_int_equal(fx_nth(&r, EV_PRINT, i)->tid, cb_tid);
	/* the three workers exit 0 after close + join */
	int worker_exits = 0;
	for (size_t k = 0; k < r.n; k++)
		if (r.ev[k].kind == EV_EXIT && r.ev[k].pid != r.main_pid) {
			assert_int_equal(r.ev[k].a, 0);
			worker_exits++;
		}
	assert_int_equal(worker_exits, 3);
	assert_int_equal(r.pool_end.submitted, 10);
	assert_int_equal(r.pool_end.done, 10);
	assert_int_equal(r.pool_end.running, 0);
	assert_int_equal(r.pool_end.pending, 0);
	fx_run_free(&r);
	fx_free(&p.sc);
}

/* apply x10 blocks each time: never two tasks at once; results in order. */
static void
test_pool_apply_serial(void **state)
{
	struct pool_sc p;
	struct fx_run r;

	pool_sc_init(&p, 3, 0.5);
	int rep = fx_repeat(&p.sc, p.main, 10);
	fx_submit(&p.sc, p.main, STEP_APPLY, p.pool, p.work);
	add_print(&p.sc, p.main, "got {value}");
	fx_end(&p.sc, p.main, rep);
	fx_run(&p.sc, SPEED, 20, p.pool, &r);

	assert_int_equal(exit_code(r.main_status), 0);
	assert_false(r.leftover);
	assert_int_equal(fx_count(&r, EV_TASK_START), 10);
	assert_int_equal(fx_max_running(&r), 1);
	assert_int_equal(fx_count(&r, EV_RESULT), 10);
	for (size_t i = 0; i < 10; i++) {
		const struct fx_ev *e = fx_nth(&r, EV_RESULT, i);
		assert_int_equal(e->b, 1000 + (int64_t)i);
		assert_int_equal(e->pid, r.main_pid);
		char want[32];
		snprintf(want, sizeof want, "got %d", 1000 + (int)i);
		assert_string_equal(fx_nth(&r, EV_PRINT, i)->text, want);
	}
	/* the caller blocked on each result */
	assert_true(fx_count(&r, EV_BLOCK) >= 10);
	fx_run_free(&r);
	fx_free(&p.sc);
}

/* map keeps input order; default chunksize for 10 items on 3 workers is 1:
 * items 0, 1, 2 start together in three different workers. */
static void
test_pool_map_order_chunk1(void **state)
{
	struct pool_sc p;
	struct fx_run r;

	pool_sc_init(&p, 3, 1.0);
	struct sc_step *st = fx_submit(&p.sc, p.main, STEP_MAP, p.pool, p.work);
	st->lo = 0;
	st->hi = 9;
	add_print(&p.sc, p.main, "{value}");
	fx_pool_op(&p.sc, p.main, STEP_CLOSE, p.pool);
	fx_pool_op(&p.sc, p.main, STEP_JOIN, p.pool);
	fx_run(&p.sc, SPEED, 20, p.pool, &r);

	assert_int_equal(exit_code(r.main_status), 0);
	assert_string_equal(fx_nth(&r, EV_PRINT, 0)->text,
	    "[1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009]");
	int64_t t0 = task_of_arg(&r, 0);
	const struct fx_ev *s0 = task_start(&r, t0), *s1 = task_start(&r, t0 + 1),
	    *s2 = task_start(&r, t0 + 2);
	assert_non_null(s0);
	assert_non_null(s1);
	assert_non_null(s2);
	assert_true(s0->pid != s1->pid && s1->pid != s2->pid && s0->pid != s2->pid);
	assert_int_equal(fx_max_running(&r), 3);
	fx_run_free(&r);
	fx_free(&p.sc);
}

/* 40 items on 3 workers: default chunksize 4 = contiguous ranges run
 * serially in one worker; chunks 0, 1, 2 start together in 3 workers. */
static void
test_pool_map_chunk4(void **state)
{
	struct pool_sc p;
	struct fx_run r;

	pool_sc_init(&p, 3, 0.1);
	struct sc_step *st = fx_submit(&p.sc, p.main, STEP_MAP, p.pool, p.work);
	st->lo = 0;
	st->hi = 39;
	fx_run(&p.sc, SPEED, 20, p.pool, &r);

	assert_int_equal(exit_code(r.main_status), 0);
	assert_int_equal(fx_count(&r, EV_TASK_END), 40);
	int64_t t0 = task_of_arg(&r, 0);
	for (int c = 0; c < 10; c++) {
		const struct fx_ev *first = task_start(&r, t0 + 4 * c);
		assert_non_null(first);
		for (int k = 1; k < 4; k++) {
			const struct fx_ev *e = task_start(&r, t0 + 4 * c + k);
			assert_non_null(e);
			assert_int_equal(e->pid, first->pid);       /* one worker */
			assert_true(e->t > task_start(&r, t0 + 4 * c + k - 1)->t);
		}
	}
	const struct fx_ev *c0 = task_start(&r, t0), *c1 = task_start(&r, t0 + 4),
	    *c2 = task_start(&r, t0 + 8);
	assert_true(c0->pid != c1->pid && c1->pid != c2->pid && c0->pid != c2->pid);
	/* the results of a chunk come back together, in input order for map */
	assert_int_equal(fx_count(&r, EV_RESULT), 40);
	for (size_t i = 0; i < 40; i++)
		assert_int_equal(fx_nth(&r, EV_RESULT, i)->b, 1000 + (int64_t)i);
	fx_run_free(&r);
	fx_free(&p.sc);
}

/* Pool(2), 3 items, chunksize 2: chunk {0,1} takes 2 s in one worker, {2}
 * 1 s in the other. imap_unordered yields 1002 first; imap keeps input
 * order; 'each' runs in the caller for every result. */
static void
test_pool_imap_orders(void **state)
{
	struct pool_sc p;
	struct fx_run r;

	pool_sc_init(&p, 2, 1.0);
	int each = fx_obj(&p.sc, SC_FUNCTION, "each");
	add_print(&p.sc, each, "each {arg}");
	struct sc_step *st = fx_submit(&p.sc, p.main, STEP_IMAP_UNORDERED, p.pool, p.work);
	st->lo = 0;
	st->hi = 2;
	st->chunksize = 2;
	st->callback = each;
	add_print(&p.sc, p.main, "unordered {value}");
	st = fx_submit(&p.sc, p.main, STEP_IMAP, p.pool, p.work);
	st->lo = 0;
	st->hi = 2;
	st->chunksize = 2;
	st->callback = each;
	add_print(&p.sc, p.main, "ordered {value}");
	fx_run(&p.sc, SPEED, 20, p.pool, &r);

	assert_int_equal(exit_code(r.main_status), 0);
	static const char *const want[] = {
		"each 1002", "each 1000", "each 1001", "unordered [1002, 1000, 1001]",
		"each 1000", "each 1001", "each 1002", "ordered [1000, 1001, 1002]",
	};
	assert_int_equal(fx_count(&r, EV_PRINT), 8);
	for (size_t i = 0; i < 8; i++) {
		const struct fx_ev *e = fx_nth(&r, EV_PRINT, i);
		assert_string_equal(e->text, want[i]);
		assert_int_equal(e->pid, r.main_pid);
		assert_int_equal(e->tid, r.main_pid);
	}
	fx_run_free(&r);
	fx_free(&p.sc);
}

/* map_async calls its callback once, with the whole list, on the result
 * handler thread. */
static void
test_pool_map_async_callback(void **state)
{
	struct pool_sc p;
	struct fx_run r;

	pool_sc_init(&p, 3, 0.5);
	int cb = fx_obj(&p.sc, SC_FUNCTION, "cb");
	add_print(&p.sc, cb, "all {value}");
	struct sc_step *st = fx_submit(&p.sc, p.main, STEP_MAP_ASYNC, p.pool, p.work);
	st->lo = 0;
	st->hi = 9;
	st->callback = cb;
	fx_pool_op(&p.sc, p.main, STEP_CLOSE, p.pool);
	fx_pool_op(&p.sc, p.main, STEP_JOIN, p.pool);
	fx_run(&p.sc, SPEED, 20, p.pool, &r);

	assert_int_equal(exit_code(r.main_status), 0);
	assert_int_equal(fx_count(&r, EV_CALLBACK), 1);
	const struct fx_ev *c = fx_nth(&r, EV_CALLBACK, 0);
	assert_int_equal(c->c, 2);
	assert_int_equal(c->pid, r.main_pid);
	assert_int_not_equal(c->tid, r.main_pid);
	const char *list = "[1000, 1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009]";
	assert_string_equal(c->text, list);
	assert_string_equal(fx_nth(&r, EV_PRINT, 0)->text, "all [1000, 1001, 1002, 1003, "
	    "1004, 1005, 1006, 1007, 1008, 1009]");
	/* after the last task */
	const struct fx_ev *last_end = NULL;
	for (size_t k = 0; k < r.n; k++)
		if (r.ev[k].kind == EV_TASK_END)
			last_end = &r.ev[k];
	assert_true(c->t >= last_end->t);
	fx_run_free(&r);
	fx_free(&p.sc);
}

/* A task raising: error_callback gets "ValueError: bad 2", 'wait' and
 * 'apply' re-raise it; uncaught in main, the process exits 1. */
static void
test_pool_task_error(void **state)
{
	struct pool_sc p;
	struct fx_run r;

	pool_sc_init(&p, 3, 0.2);
	int bad = fx_obj(&p.sc, SC_FUNCTION, "bad");
	fx_sleep(&p.sc, bad, 0.1);
	struct sc_step *st = fx_step(&p.sc, bad, STEP_RAISE);
	st->errtype = strdup("ValueError");
	st->text = strdup("bad 2");
	int ecb = fx_obj(&p.sc, SC_FUNCTION, "ecb");
	add_print(&p.sc, ecb, "ecb {value}");
	int cb = fx_obj(&p.sc, SC_FUNCTION, "cb");
	add_print(&p.sc, cb, "cb {value}");
	/* work (0.2 s) submitted first, bad (0.1 s) second: bad's error
	 * callback runs before work's callback (completion order) */
	st = fx_submit(&p.sc, p.main, STEP_APPLY_ASYNC, p.pool, p.work);
	st->callback = cb;
	st = fx_submit(&p.sc, p.main, STEP_APPLY_ASYNC, p.pool, bad);
	st->callback = cb;
	st->error_callback = ecb;
	fx_step(&p.sc, p.main, STEP_WAIT)->obj = p.pool;
	p.sc.objs[p.main].u.fn.steps[2].on_error_continue = true;
	add_print(&p.sc, p.main, "after wait");
	fx_submit(&p.sc, p.main, STEP_APPLY, p.pool, bad);
	add_print(&p.sc, p.main, "not reached");
	fx_run(&p.sc, SPEED, 20, p.pool, &r);

	assert_int_equal(exit_code(r.main_status), 1);
	assert_false(r.leftover);
	assert_int_equal(fx_count(&r, EV_CALLBACK), 2);
	const struct fx_ev *c0 = fx_nth(&r, EV_CALLBACK, 0), *c1 = fx_nth(&r, EV_CALLBACK, 1);
	assert_int_equal(c0->c, 1);
	assert_string_equal(c0->text, "ValueError: bad 2");
	assert_int_equal(c1->c, 0);
	assert_string_equal(c1->text, "1000");
	assert_string_equal(fx_nth(&r, EV_PRINT, 0)->text, "ecb ValueError: bad 2");
	assert_string_equal(fx_nth(&r, EV_PRINT, 1)->text, "cb 1000");
	assert_string_equal(fx_nth(&r, EV_PRINT, 2)->text, "after wait");
	assert_null(fx_find_text(&r, EV_PRINT, "not reached"));
	/* task_end carries the error; handled error from wait, uncaught from apply */
	assert_non_null(fx_find_text(&r, EV_TASK_END, "ValueError: bad 2"));
	int handled = 0, uncaught = 0;
	for (size_t k = 0; k < r.n; k++) {
		if (r.ev[k].kind != EV_ERROR || r.ev[k].pid != r.main_pid)
			continue;
		assert_string_equal(r.ev[k].text, "ValueError: bad 2");
		if (r.ev[k].a == 1)
			handled++;
		else
			uncaught++;
	}
	assert_int_equal(handled, 1);
	assert_int_equal(uncaught, 1);
	fx_run_free(&r);
	fx_free(&p.sc);
}

static const struct fx_ev *
main_error(const struct fx_run *r)
{
	for (size_t k = 0; k < r->n; k++)
		if (r->ev[k].kind == EV_ERROR && r->ev[k].pid == r->main_pid)
			return &r->ev[k];
	return NULL;
}

static void
test_pool_join_before_close(void **state)
{
	struct pool_sc p;
	struct fx_run r;

	pool_sc_init(&p, 3, 0.5);
	fx_submit(&p.sc, p.main, STEP_APPLY_ASYNC, p.pool, p.work);
	fx_pool_op(&p.sc, p.main, STEP_JOIN, p.pool);
	fx_run(&p.sc, SPEED, 20, p.pool, &r);

	assert_int_equal(exit_code(r.main_status), 1);
	assert_non_null(main_error(&r));
	assert_string_equal(main_error(&r)->text, "ValueError: Pool is still running");
	assert_false(r.leftover);
	fx_run_free(&r);
	fx_free(&p.sc);
}

static void
test_pool_submit_after_close_and_terminate(void **state)
{
	struct pool_sc p;
	struct fx_run r;

	pool_sc_init(&p, 2, 0.5);
	fx_pool_op(&p.sc, p.main, STEP_CLOSE, p.pool);
	fx_pool_op(&p.sc, p.main, STEP_CLOSE, p.pool);   /* a second close is fine */
	fx_submit(&p.sc, p.main, STEP_APPLY_ASYNC, p.pool, p.work)->on_error_continue = true;
	fx_pool_op(&p.sc, p.main, STEP_TERMINATE, p.pool);
	struct sc_step *st = fx_submit(&p.sc, p.main, STEP_MAP, p.pool, p.work);
	st->lo = 0;
	st->hi = 3;
	st->on_error_continue = true;
	fx_pool_op(&p.sc, p.main, STEP_JOIN, p.pool);     /* fine after terminate */
	fx_run(&p.sc, SPEED, 20, p.pool, &r);

	assert_int_equal(exit_code(r.main_status), 0);
	int n = 0;
	for (size_t k = 0; k < r.n; k++)
		if (r.ev[k].kind == EV_ERROR) {
			assert_int_equal(r.ev[k].a, 1);
			assert_string_equal(r.ev[k].text, "ValueError: Pool not running");
			n++;
		}
	assert_int_equal(n, 2);
	assert_int_equal(fx_count(&r, EV_SUBMIT), 0);
	fx_run_free(&r);
	fx_free(&p.sc);
}

/* A callback that raises kills the result handler (CPython): later
 * results are never delivered; the pool is terminated at exit. */
static void
test_pool_callback_raises(void **state)
{
	struct pool_sc p;
	struct fx_run r;

	pool_sc_init(&p, 1, 0.5);
	int cb = fx_obj(&p.sc, SC_FUNCTION, "cb");
	struct sc_step *st = fx_step(&p.sc, cb, STEP_RAISE);
	st->errtype = strdup("ZeroDivisionError");
	st->text = strdup("division by zero");
	int rep = fx_repeat(&p.sc, p.main, 3);
	fx_submit(&p.sc, p.main, STEP_APPLY_ASYNC, p.pool, p.work)->callback = cb;
	fx_end(&p.sc, p.main, rep);
	fx_sleep(&p.sc, p.main, 3.0);
	add_print(&p.sc, p.main, "end");
	fx_run(&p.sc, SPEED, 20, p.pool, &r);

	assert_int_equal(exit_code(r.main_status), 0);
	assert_false(r.leftover);
	assert_int_equal(fx_count(&r, EV_TASK_END), 3);
	assert_int_equal(fx_count(&r, EV_CALLBACK), 1);
	const struct fx_ev *cbe = fx_nth(&r, EV_CALLBACK, 0);
	const struct fx_ev *err = fx_nth(&r, EV_ERROR, 0);
	assert_non_null(err);
	assert_int_equal(err->a, 0);
	assert_int_equal(err->tid, cbe->tid);
	assert_string_equal(err->text, "ZeroDivisionError: division by zero");
	assert_non_null(fx_find_text(&r, EV_PRINT, "end"));
	fx_run_free(&r);
	fx_free(&p.sc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pool_callback_shape),
		cmocka_unit_test(test_pool_apply_serial),
		cmocka_unit_test(test_pool_map_order_chunk1),
		cmocka_unit_test(test_pool_map_chunk4),
		cmocka_unit_test(test_pool_imap_orders),
		cmocka_unit_test(test_pool_map_async_callback),
		cmocka_unit_test(test_pool_task_error),
		cmocka_unit_test(test_pool_join_before_close),
		cmocka_unit_test(test_pool_submit_after_close_and_terminate),
		cmocka_unit_test(test_pool_callback_raises),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
