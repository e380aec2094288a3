/* The bundled pool and manager scenarios, loaded from scenarios/ and run for
 * real at speed 20: what each one's description promises. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "test_pool_fixture.h"
#include "scenario/load.h"

#define SPEED 20.0

static int
exit_code(int st)
{
	return WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? -WTERMSIG(st) : -1000;
}

/* Load scenarios/NAME.ini and run it; returns the index of object 'peek'. */
static int
run_bundled(const char *name, const char *peek, struct scenario *sc, struct fx_run *r)
{
	char path[256];

	snprintf(path, sizeof path, "scenarios/%s.ini", name);
	assert_int_equal(scenario_load_file(path, sc, stderr), 0);
	int obj = peek ? scenario_find(sc, peek) : -1;
	fx_run(sc, SPEED, 30, obj, r);
	assert_false(r->timed_out);
	assert_false(r->leftover);
	return obj;
}

static void
test_bundled_pool_callback(void **state)
{
	struct scenario sc;
	struct fx_run r;

	run_bundled("pool_callback", "pool", &sc, &r);
	assert_int_equal(exit_code(r.main_status), 0);
	assert_int_equal(fx_count(&r, EV_TASK_END), 10);
	assert_int_equal(fx_distinct_pids(&r, EV_TASK_START), 3);
	assert_int_equal(fx_max_running(&r), 3);
	int waves = 0;
	int64_t prev = -1;
	for (size_t k = 0; k < r.n; k++)
		if (r.ev[k].kind == EV_TASK_START) {
			if (prev < 0 || r.ev[k].t - prev > (int64_t)(1e9 / SPEED))
				waves++;
			prev = r.ev[k].t;
		}
	assert_int_equal(waves, 4);
	assert_int_equal(fx_count(&r, EV_CALLBACK), 10);
	int tid = fx_nth(&r, EV_CALLBACK, 0)->tid;
	assert_int_not_equal(tid, r.main_pid);
	for (size_t i = 0; i < 10; i++) {
		assert_int_equal(fx_nth(&r, EV_CALLBACK, i)->pid, r.main_pid);
		assert_int_equal(fx_nth(&r, EV_CALLBACK, i)->tid, tid);
	}
	fx_run_free(&r);
	scenario_free(&sc);
}

static void
test_bundled_pool_apply(void **state)
{
	struct scenario sc;
	struct fx_run r;

	run_bundled("pool_apply", "pool", &sc, &r);
	assert_int_equal(exit_code(r.main_status), 0);
	assert_int_equal(fx_count(&r, EV_TASK_END), 10);
	assert_int_equal(fx_max_running(&r), 1);
	assert_non_null(fx_find_text(&r, EV_PRINT, "apply returned 1009"));
	/* ten 2 s tasks in a row: about 20 s of scenario time */
	assert_true(r.wall > 0.9 * 20.0 / SPEED);
	fx_run_free(&r);
	scenario_free(&sc);
}

static void
test_bundled_manager(void **state)
{
	struct scenario sc;
	struct fx_run r;

	run_bundled("manager", "mgr", &sc, &r);
	assert_int_equal(exit_code(r.main_status), 0);
	pid_t kids[16];
	int nk = 0;
	for (size_t k = 0; k < r.n; k++) {
		if (r.ev[k].kind != EV_SPAWN)
			continue;
		if (r.ev[k].b == ROLE_MANAGER)
			assert_int_equal(r.ev[k].a, r.main_pid);   /* the server's ppid */
		if (r.ev[k].b == ROLE_PROCESS && nk < 16)
			kids[nk++] = r.ev[k].pid;
	}
	assert_int_equal(nk, 10);
	const struct fx_ev *d = fx_nth(&r, EV_PRINT, 0), *l = fx_nth(&r, EV_PRINT, 1);
	assert_non_null(d);
	assert_non_null(l);
	size_t dlen = strlen("dict: {}") + 2 * 9, llen = strlen("list: []") + 2 * 9;
	for (int i = 0; i < nk; i++) {
		char item[32];
		snprintf(item, sizeof item, "%d: %d", kids[i], kids[i]);
		assert_non_null(strstr(d->text, item));
		dlen += strlen(item);
		snprintf(item, sizeof item, "%d", kids[i]);
		assert_non_null(strstr(l->text, item));
		llen += strlen(item);
	}
	assert_int_equal(strlen(d->text), dlen);   /* exactly these 10 entries */
	assert_int_equal(strlen(l->text), llen);
	assert_int_equal(r.mgr_end.dict_size, 10);
	assert_int_equal(r.mgr_end.list_size, 10);
	fx_run_free(&r);
	scenario_free(&sc);
}

static void
test_bundled_join_before_close(void **state)
{
	struct scenario sc;
	struct fx_run r;

	run_bundled("join_before_close", NULL, &sc, &r);
	assert_int_equal(exit_code(r.main_status), 1);
	const struct fx_ev *e = fx_nth(&r, EV_ERROR, 0);
	assert_non_null(e);
	assert_int_equal(e->pid, r.main_pid);
	assert_int_equal(e->a, 0);
	assert_string_equal(e->text, sc.expect_error);
	fx_run_free(&r);
	scenario_free(&sc);
}

static void
test_bundled_maxtasksperchild(void **state)
{
	struct scenario sc;
	struct fx_run r;

	run_bundled("maxtasksperchild", "pool", &sc, &r);
	assert_int_equal(exit_code(r.main_status), 0);
	assert_int_equal(fx_count(&r, EV_TASK_END), 12);
	assert_int_equal(fx_distinct_pids(&r, EV_TASK_START), 6);
	for (size_t k = 0; k < r.n; k++) {
		if (r.ev[k].kind != EV_TASK_START)
			continue;
		int n = 0;
		for (size_t q = 0; q < r.n; q++)
			n += r.ev[q].kind == EV_TASK_START && r.ev[q].pid == r.ev[k].pid;
		assert_int_equal(n, 2);
	}
	fx_run_free(&r);
	scenario_free(&sc);
}

static void
test_bundled_worker_killed(void **state)
{
	struct scenario sc;
	struct fx_run r;

	int pool = run_bundled("worker_killed", "pool", &sc, &r);
	assert_int_equal(exit_code(r.main_status), 0);
	assert_int_equal(fx_count(&r, EV_LOST), 1);
	const struct fx_ev *lost = fx_nth(&r, EV_LOST, 0);
	const struct fx_ev *sub = fx_nth(&r, EV_SUBMIT, 0);   /* doomed 99 */
	assert_int_equal(sub->b, 99);
	assert_int_equal(lost->a, sub->a);
	assert_int_equal(lost->c, SIGKILL);
	assert_int_equal(lost->obj, pool);
	bool ran = false;
	for (size_t k = 0; k < r.n; k++)
		ran |= r.ev[k].kind == EV_TASK_START && r.ev[k].a == sub->a &&
		    r.ev[k].pid == lost->b;
	assert_true(ran);
	assert_non_null(fx_find_text(&r, EV_SPAWN, "worker-3"));   /* the replacement */
	for (int i = 0; i < 3; i++) {
		char want[32];
		snprintf(want, sizeof want, "result %d", i);
		assert_non_null(fx_find_text(&r, EV_PRINT, want));
	}
	assert_int_equal(r.pool_end.lost, 1);
	fx_run_free(&r);
	scenario_free(&sc);
}

static void
test_bundled_map_variants(void **state)
{
	struct scenario sc;
	struct fx_run r;

	run_bundled("map_variants", NULL, &sc, &r);
	assert_int_equal(exit_code(r.main_status), 0);
	static const char *const want[] = {
		"map: [0, 10, 20, 30, 40, 50]",
		"map_async callback: [0, 10, 20, 30, 40, 50]",
		"next result: 0", "next result: 10", "next result: 20",
		"next result: 30", "next result: 40", "next result: 50",
	};
	for (size_t i = 0; i < 8; i++)
		assert_string_equal(fx_nth(&r, EV_PRINT, i)->text, want[i]);
	/* imap_unordered, chunks {0,1} {2,3} {4,5}: a chunk's items stay in order */
	int pos[6] = { -1, -1, -1, -1, -1, -1 };
	for (int i = 0; i < 6; i++) {
		const struct fx_ev *e = fx_nth(&r, EV_PRINT, 8 + (size_t)i);
		assert_non_null(e);
		int v = atoi(e->text + strlen("next result: "));
		assert_true(v >= 0 && v < 6);
		pos[v] = i;
	}
	for (int v = 0; v < 6; v++)
		assert_true(pos[v] >= 0);
	assert_true(pos[0] < pos[1] && pos[2] < pos[3] && pos[4] < pos[5]);
	fx_run_free(&r);
	scenario_free(&sc);
}

static void
test_bundled_error_callback(void **state)
{
	struct scenario sc;
	struct fx_run r;

	run_bundled("error_callback", NULL, &sc, &r);
	assert_int_equal(exit_code(r.main_status), 0);
	assert_string_equal(fx_nth(&r, EV_PRINT, 0)->text, "error_callback: ValueError: bad 2");
	assert_string_equal(fx_nth(&r, EV_PRINT, 1)->text, "callback: result 1");
	fx_run_free(&r);
	scenario_free(&sc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_bundled_pool_callback),
		cmocka_unit_test(test_bundled_pool_apply),
		cmocka_unit_test(test_bundled_manager),
		cmocka_unit_test(test_bundled_join_before_close),
		cmocka_unit_test(test_bundled_maxtasksperchild),
		cmocka_unit_test(test_bundled_worker_killed),
		cmocka_unit_test(test_bundled_map_variants),
		cmocka_unit_test(test_bundled_error_callback),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
