/* Manager: a real server process (child of main) on an abstract unix
 * socket; the dict and list hold what the processes stored, in Python repr. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "test_pool_fixture.h"

static int
exit_code(int st)
{
	return WIFEXITED(st) ? WEXITSTATUS(st) : WIFSIGNALED(st) ? -WTERMSIG(st) : -1000;
}

static void
add_text_step(struct scenario *sc, int fn, enum sc_step_kind kind, int mgr,
    const char *key, const char *text)
{
	struct sc_step *st = fx_step(sc, fn, kind);
	st->obj = mgr;
	st->key = key ? strdup(key) : NULL;
	st->text = text ? strdup(text) : NULL;
}

/* The seed example: 10 processes each do d[pid] = pid; k.append(pid). */
static void
test_manager_seed(void **state)
{
	struct scenario sc;
	struct fx_run r;

	fx_init(&sc);
	int mgr = fx_obj(&sc, SC_MANAGER, "mgr");
	int f = fx_obj(&sc, SC_FUNCTION, "child_fn");
	add_text_step(&sc, f, STEP_DICT_SET, mgr, "{pid}", "{pid}");
	add_text_step(&sc, f, STEP_LIST_APPEND, mgr, NULL, "{pid}");
	int child = fx_obj(&sc, SC_PROCESS, "child");
	sc.objs[child].u.proc.func = f;
	sc.objs[child].u.proc.count = 10;
	sc.objs[child].u.proc.arg.base = SC_BASE_I;
	int m = fx_obj(&sc, SC_FUNCTION, "main");
	fx_step(&sc, m, STEP_START)->obj = child;
	fx_step(&sc, m, STEP_JOIN)->obj = child;
	add_text_step(&sc, m, STEP_DICT_GET, mgr, NULL, NULL);
	fx_step(&sc, m, STEP_PRINT)->text = strdup("{value}");
	add_text_step(&sc, m, STEP_LIST_GET, mgr, NULL, NULL);
	fx_step(&sc, m, STEP_PRINT)->text = strdup("{value}");
	fx_run(&sc, 20.0, 20, mgr, &r);

	assert_false(r.timed_out);
	assert_int_equal(exit_code(r.main_status), 0);
	assert_false(r.leftover);
	/* the server: a child of main, exits 0 */
	pid_t server = 0;
	for (size_t k = 0; k < r.n; k++)
		if (r.ev[k].kind == EV_SPAWN && r.ev[k].b == ROLE_MANAGER) {
			assert_int_equal(server, 0);
			server = r.ev[k].pid;
			assert_int_equal(r.ev[k].a, r.main_pid);
			assert_string_equal(r.ev[k].text, "manager");
		}
	assert_true(server > 0);
	assert_int_equal(r.mgr_end.server_pid, server);
	bool exited0 = false;
	for (size_t k = 0; k < r.n; k++)
		exited0 |= r.ev[k].kind == EV_EXIT && r.ev[k].pid == server && r.ev[k].a == 0;
	assert_true(exited0);
	/* the children's pids, in the order their dict_set arrived */
	pid_t kids[10];
	int nk = 0;
	for (size_t k = 0; k < r.n; k++)
		if (r.ev[k].kind == EV_SPAWN && r.ev[k].b == ROLE_PROCESS && nk < 10)
			kids[nk++] = r.ev[k].pid;
	assert_int_equal(nk, 10);
	/* every child did its two ops; sizes end at 10 */
	assert_int_equal(fx_count(&r, EV_MGR_OP), 22);
	for (int i = 0; i < nk; i++) {
		char want[64];
		snprintf(want, sizeof want, "%d=%d", kids[i], kids[i]);
		const struct fx_ev *e = fx_find_text(&r, EV_MGR_OP, want);
		assert_non_null(e);
		assert_int_equal(e->pid, kids[i]);
		assert_int_equal(e->a, MGR_DICT_SET);
	}
	const struct fx_ev *d = fx_nth(&r, EV_PRINT, 0), *l = fx_nth(&r, EV_PRINT, 1);
	assert_non_null(d);
	assert_non_null(l);
	/* rebuild the expected texts in server arrival order (from the ops) */
	char dict[1024] = "{", list[1024] = "[";
	int nd = 0, nl = 0;
	for (size_t k = 0; k < r.n; k++) {
		if (r.ev[k].kind != EV_MGR_OP || r.ev[k].pid == r.main_pid)
			continue;
		char *s = r.ev[k].a == MGR_DICT_SET ? dict : list;
		int *n = r.ev[k].a == MGR_DICT_SET ? &nd : &nl;
		size_t len = strlen(s);
		snprintf(s + len, 1024 - len, "%s%d%s%d", (*n)++ ? ", " : "", r.ev[k].pid,
		    r.ev[k].a == MGR_DICT_SET ? ": " : "", r.ev[k].a == MGR_DICT_SET ? r.ev[k].pid : 0);
		if (r.ev[k].a != MGR_DICT_SET)   /* list items: just the pid */
			s[strlen(s) - 1] = '\0';
	}
	strcat(dict, "}");
	strcat(list, "]");
	assert_int_equal(r.mgr_end.dict_size, 10);
	assert_int_equal(r.mgr_end.list_size, 10);
	assert_int_equal(r.mgr_end.ops, 22);
	/* same members as the children, in an order the server saw */
	for (int i = 0; i < nk; i++) {
		char item[32];
		snprintf(item, sizeof item, "%d: %d", kids[i], kids[i]);
		assert_non_null(strstr(d->text, item));
		snprintf(item, sizeof item, "%d", kids[i]);
		assert_non_null(strstr(l->text, item));
	}
	assert_int_equal(strlen(d->text), strlen(dict));
	assert_int_equal(strlen(l->text), strlen(list));
	/* one connection per process (10 children + main), plus main's shutdown */
	int conns = 0;
	for (size_t k = 0; k < r.n; k++)
		conns += r.ev[k].kind == EV_THREAD_START && r.ev[k].pid == server &&
		    r.ev[k].a == TROLE_MGR_CONN;
	assert_int_equal(conns, 12);
	fx_run_free(&r);
	fx_free(&sc);
}

/* Python reprs, a missing key, one persistent connection per thread. */
static void
test_manager_repr_and_errors(void **state)
{
	struct scenario sc;
	struct fx_run r;

	fx_init(&sc);
	int mgr = fx_obj(&sc, SC_MANAGER, "mgr");
	int m = fx_obj(&sc, SC_FUNCTION, "main");
	add_text_step(&sc, m, STEP_DICT_SET, mgr, "a", "it's");
	add_text_step(&sc, m, STEP_DICT_SET, mgr, "7", "x\"y");
	add_text_step(&sc, m, STEP_DICT_SET, mgr, "007", "-3");
	add_text_step(&sc, m, STEP_DICT_SET, mgr, "a", "again");   /* keeps its place */
	add_text_step(&sc, m, STEP_LIST_APPEND, mgr, NULL, "back\\slash");
	add_text_step(&sc, m, STEP_LIST_APPEND, mgr, NULL, "12");
	add_text_step(&sc, m, STEP_DICT_GET, mgr, NULL, NULL);
	fx_step(&sc, m, STEP_PRINT)->text = strdup("{value}");
	add_text_step(&sc, m, STEP_LIST_GET, mgr, NULL, NULL);
	fx_step(&sc, m, STEP_PRINT)->text = strdup("{value}");
	add_text_step(&sc, m, STEP_DICT_GET, mgr, "7", NULL);
	fx_step(&sc, m, STEP_PRINT)->text = strdup("{value}");
	add_text_step(&sc, m, STEP_DICT_GET, mgr, "nope", NULL);
	sc.objs[m].u.fn.steps[sc.objs[m].u.fn.nsteps - 1].on_error_continue = true;
	fx_run(&sc, 20.0, 20, mgr, &r);

	assert_int_equal(exit_code(r.main_status), 0);
	assert_false(r.leftover);
	assert_string_equal(fx_nth(&r, EV_PRINT, 0)->text,
	    "{'a': 'again', 7: 'x\"y', '007': -3}");
	assert_string_equal(fx_nth(&r, EV_PRINT, 1)->text, "['back\\\\slash', 12]");
	assert_string_equal(fx_nth(&r, EV_PRINT, 2)->text, "x\"y");
	const struct fx_ev *e = fx_nth(&r, EV_ERROR, 0);
	assert_non_null(e);
	assert_string_equal(e->text, "KeyError: 'nope'");
	assert_int_equal(r.mgr_end.dict_size, 3);
	assert_int_equal(r.mgr_end.list_size, 2);
	/* main used one connection for all its ops (+1 for the shutdown) */
	int conns = 0;
	for (size_t k = 0; k < r.n; k++)
		conns += r.ev[k].kind == EV_THREAD_START && r.ev[k].a == TROLE_MGR_CONN;
	assert_int_equal(conns, 2);
	fx_run_free(&r);
	fx_free(&sc);
}

/* Two managers: two servers named after their objects, separate data. */
static void
test_manager_two_servers(void **state)
{
	struct scenario sc;
	struct fx_run r;

	fx_init(&sc);
	int m1 = fx_obj(&sc, SC_MANAGER, "first");
	int m2 = fx_obj(&sc, SC_MANAGER, "second");
	int m = fx_obj(&sc, SC_FUNCTION, "main");
	add_text_step(&sc, m, STEP_LIST_APPEND, m1, NULL, "one");
	add_text_step(&sc, m, STEP_LIST_APPEND, m2, NULL, "two");
	add_text_step(&sc, m, STEP_LIST_APPEND, m2, NULL, "three");
	add_text_step(&sc, m, STEP_LIST_GET, m1, NULL, NULL);
	fx_step(&sc, m, STEP_PRINT)->text = strdup("{value}");
	add_text_step(&sc, m, STEP_LIST_GET, m2, NULL, NULL);
	fx_step(&sc, m, STEP_PRINT)->text = strdup("{value}");
	fx_run(&sc, 20.0, 20, m2, &r);

	assert_int_equal(exit_code(r.main_status), 0);
	assert_false(r.leftover);
	const struct fx_ev *s1 = fx_find_text(&r, EV_SPAWN, "first");
	const struct fx_ev *s2 = fx_find_text(&r, EV_SPAWN, "second");
	assert_non_null(s1);
	assert_non_null(s2);
	assert_int_equal(s1->b, ROLE_MANAGER);
	assert_int_equal(s2->b, ROLE_MANAGER);
	assert_int_not_equal(s1->pid, s2->pid);
	assert_string_equal(fx_nth(&r, EV_PRINT, 0)->text, "['one']");
	assert_string_equal(fx_nth(&r, EV_PRINT, 1)->text, "['two', 'three']");
	assert_int_equal(r.mgr_end.list_size, 2);
	assert_int_equal(r.mgr_end.server_pid, s2->pid);
	fx_run_free(&r);
	fx_free(&sc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_manager_seed),
		cmocka_unit_test(test_manager_repr_and_errors),
		cmocka_unit_test(test_manager_two_servers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
