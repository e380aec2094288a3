/*
 * Valid scenarios load into the expected model: kinds, defaults, steps,
 * durations, expressions, ranges, pipe ends, repeat/end matching; the
 * bundled scenarios load; bundled names resolve.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "scenario_testutil.h"

static struct scenario
load_ok(const char *text)
{
	struct scenario sc;
	char *errs = NULL;
	int n = tu_load(text, &sc, &errs);

	if (n != 0)
		fail_msg("unexpected errors:\n%s", errs);
	assert_string_equal(errs, "");
	free(errs);
	return sc;
}

static const struct sc_step *
step(const struct scenario *sc, const char *fn, int i)
{
	int f = scenario_find(sc, fn);

	assert_true(f >= 0);
	assert_int_equal(sc->objs[f].kind, SC_FUNCTION);
	assert_true(i < sc->objs[f].u.fn.nsteps);
	return &sc->objs[f].u.fn.steps[i];
}

static void
test_objects_and_defaults(void **state)
{
	struct scenario sc = load_ok(
	    "; comment\n"
	    "[scenario]\n"
	    "title = Objects\n"
	    "description = first\n"
	    "description = second\n"
	    "[queue q]\n"
	    "[queue bounded]\n"
	    "maxsize = 3\n"
	    "[pipe duplex]\n"
	    "[pipe oneway]\n"
	    "duplex = no\n"
	    "[manager m]\n"
	    "[pool p]\n"
	    "processes = 2\n"
	    "maxtasksperchild = 5\n"
	    "[pool defaultpool]\n"
	    "[process worker]\n"
	    "run = work\n"
	    "count = 4\n"
	    "daemon = yes\n"
	    "[process single]\n"
	    "run = work\n"
	    "arg = arg + 1\n"
	    "[thread t]\n"
	    "run = work\n"
	    "# comment\n"
	    "[function work]\n"
	    "step = sleep 1ms\n"
	    "[function main]\n"
	    "step = print hi\n");
	(void)state;
	assert_string_equal(sc.title, "Objects");
	assert_string_equal(sc.description, "first second");
	assert_null(sc.expect_error);
	assert_int_equal(sc.timeout_ns, 60000000000LL);
	assert_int_equal(sc.max_processes, SC_DEFAULT_MAX_PROCESSES);
	assert_int_equal(sc.max_threads, SC_DEFAULT_MAX_THREADS);
	assert_string_equal(sc.path, "t.ini");
	assert_int_equal(sc.nobjs, 12);
	static const enum sc_kind kinds[] = { SC_QUEUE, SC_QUEUE, SC_PIPE, SC_PIPE,
	    SC_MANAGER, SC_POOL, SC_POOL, SC_PROCESS, SC_PROCESS, SC_THREAD,
	    SC_FUNCTION, SC_FUNCTION };
	for (int i = 0; i < 12; i++)
		assert_int_equal(sc.objs[i].kind, kinds[i]);
	assert_int_equal(sc.objs[0].line, 6);
	assert_int_equal(sc.objs[0].u.q.maxsize, 0);
	assert_int_equal(sc.objs[1].u.q.maxsize, 3);
	assert_true(sc.objs[2].u.pipe.duplex);
	assert_false(sc.objs[3].u.pipe.duplex);
	assert_int_equal(sc.objs[5].u.pool.processes, 2);
	assert_int_equal(sc.objs[5].u.pool.maxtasksperchild, 5);
	assert_true(sc.objs[6].u.pool.processes >= 1);
	assert_int_equal(sc.objs[6].u.pool.maxtasksperchild, 0);
	int work = scenario_find(&sc, "work");
	assert_int_equal(work, 10);
	assert_int_equal(sc.objs[7].u.proc.func, work);
	assert_int_equal(sc.objs[7].u.proc.count, 4);
	assert_true(sc.objs[7].u.proc.daemon);
	assert_int_equal(sc.objs[7].u.proc.arg.base, SC_BASE_I);
	assert_int_equal(sc.objs[8].u.proc.count, 1);
	assert_false(sc.objs[8].u.proc.daemon);
	assert_int_equal(sc.objs[8].u.proc.arg.base, SC_BASE_ARG);
	assert_int_equal(sc.objs[8].u.proc.arg.op, '+');
	assert_int_equal(sc.objs[8].u.proc.arg.n, 1);
	assert_int_equal(sc.objs[9].u.thr.func, work);
	assert_int_equal(sc.objs[9].u.thr.arg.base, SC_BASE_ARG);
	assert_int_equal(sc.objs[9].u.thr.arg.op, 0);
	assert_int_equal(scenario_find(&sc, "main"), 11);
	assert_int_equal(sc.main_func, 11);
	assert_string_equal(sc.objs[11].name, "main");
	assert_string_equal(sc_kind_name(SC_MANAGER), "manager");
	scenario_free(&sc);
	assert_null(sc.objs);
	scenario_free(&sc);       /* safe twice / on a zeroed struct */
}

static void
test_main_function(void **state)
{
	struct scenario sc = load_ok("[scenario]\ntitle = t\nmain = begin\n"
	    "expect_error = ValueError: Pool is still running\ntimeout = 1.5s\n"
	    "max_processes = 4096\nmax_threads = 1\n"
	    "[function begin]\nstep = print x\n");
	(void)state;
	assert_int_equal(sc.main_func, scenario_find(&sc, "begin"));
	assert_string_equal(sc.expect_error, "ValueError: Pool is still running");
	assert_int_equal(sc.timeout_ns, 1500000000LL);
	assert_int_equal(sc.max_processes, 4096);
	assert_int_equal(sc.max_threads, 1);
	scenario_free(&sc);
}

static void
test_durations(void **state)
{
	struct scenario sc = load_ok("[scenario]\ntitle = t\n[function main]\n"
	    "step = sleep 2s\nstep = sleep 500ms\nstep = busy 250us\n"
	    "step = sleep 1.5s\nstep = sleep 2m\nstep = sleep 0s\nstep = busy 0.25ms\n"
	    "step = sleep 1440m\n");
	static const int64_t want[] = { 2000000000LL, 500000000LL, 250000LL,
	    1500000000LL, 120000000000LL, 0, 250000LL, SC_MAX_DURATION_NS };
	(void)state;
	for (int i = 0; i < 8; i++) {
		assert_int_equal(step(&sc, "main", i)->dur_ns, want[i]);
		assert_int_equal(step(&sc, "main", i)->line, 4 + i);
	}
	assert_int_equal(step(&sc, "main", 0)->kind, STEP_SLEEP);
	assert_int_equal(step(&sc, "main", 2)->kind, STEP_BUSY);
	scenario_free(&sc);
}

static void
test_expressions(void **state)
{
	struct scenario sc = load_ok("[scenario]\ntitle = t\n[function main]\n"
	    "step = return arg + 1000\nstep = return {i}\nstep = return pid\n"
	    "step = return -5\nstep = return {arg*2}\nstep = return {arg}%3\n"
	    "step = exit 3\nstep = exit arg - 1\nstep = call f\nstep = call f i / 2\n"
	    "[function f]\nstep = return arg\n");
	const struct sc_step *s;
	(void)state;
	s = step(&sc, "main", 0);
	assert_int_equal(s->kind, STEP_RETURN);
	assert_int_equal(s->expr.base, SC_BASE_ARG);
	assert_int_equal(s->expr.op, '+');
	assert_int_equal(s->expr.n, 1000);
	s = step(&sc, "main", 1);
	assert_int_equal(s->expr.base, SC_BASE_I);
	assert_int_equal(s->expr.op, 0);
	assert_int_equal(step(&sc, "main", 2)->expr.base, SC_BASE_PID);
	s = step(&sc, "main", 3);
	assert_int_equal(s->expr.base, SC_BASE_CONST);
	assert_int_equal(s->expr.n, -5);
	s = step(&sc, "main", 4);
	assert_int_equal(s->expr.op, '*');
	assert_int_equal(s->expr.n, 2);
	s = step(&sc, "main", 5);
	assert_int_equal(s->expr.op, '%');
	assert_int_equal(s->expr.n, 3);
	s = step(&sc, "main", 6);
	assert_int_equal(s->kind, STEP_EXIT);
	assert_int_equal(s->expr.n, 3);
	assert_int_equal(step(&sc, "main", 7)->expr.op, '-');
	s = step(&sc, "main", 8);
	assert_int_equal(s->kind, STEP_CALL);
	assert_int_equal(s->func, scenario_find(&sc, "f"));
	assert_int_equal(s->expr.base, SC_BASE_ARG);   /* call passes arg on */
	s = step(&sc, "main", 9);
	assert_int_equal(s->expr.base, SC_BASE_I);
	assert_int_equal(s->expr.op, '/');
	scenario_free(&sc);
}

static void
test_texts_and_queues(void **state)
{
	struct scenario sc = load_ok("[scenario]\ntitle = t\n[queue q]\n[manager m]\n"
	    "[function main]\n"
	    "step = print \"say \\\"hi\\\" \\\\ {pid} {{x}}\\n\"\n"
	    "step = put q word timeout=250ms on_error=continue\n"
	    "step = get q\n"
	    "step = dict_set m {pid} \"v {value}\"\n"
	    "step = dict_get m\n"
	    "step = dict_get m key\n"
	    "step = list_append m {pid}\n"
	    "step = list_get m\n"
	    "step = raise ValueError\n"
	    "step = raise queue.Full \"full {arg}\"\n"
	    "step = crash SIGKILL\nstep = crash 9\nstep = crash segv\n");
	const struct sc_step *s;
	int q = scenario_find(&sc, "q"), m = scenario_find(&sc, "m");
	(void)state;
	assert_string_equal(step(&sc, "main", 0)->text, "say \"hi\" \\ {pid} {{x}}\n");
	s = step(&sc, "main", 1);
	assert_int_equal(s->kind, STEP_PUT);
	assert_int_equal(s->obj, q);
	assert_string_equal(s->text, "word");
	assert_int_equal(s->timeout_ns, 250000000LL);
	assert_true(s->on_error_continue);
	s = step(&sc, "main", 2);
	assert_int_equal(s->kind, STEP_GET);
	assert_int_equal(s->timeout_ns, -1);
	assert_false(s->on_error_continue);
	assert_null(s->text);
	s = step(&sc, "main", 3);
	assert_int_equal(s->kind, STEP_DICT_SET);
	assert_int_equal(s->obj, m);
	assert_string_equal(s->key, "{pid}");
	assert_string_equal(s->text, "v {value}");
	assert_null(step(&sc, "main", 4)->key);
	assert_string_equal(step(&sc, "main", 5)->key, "key");
	assert_int_equal(step(&sc, "main", 6)->kind, STEP_LIST_APPEND);
	assert_int_equal(step(&sc, "main", 7)->kind, STEP_LIST_GET);
	s = step(&sc, "main", 8);
	assert_string_equal(s->errtype, "ValueError");
	assert_string_equal(s->text, "");
	s = step(&sc, "main", 9);
	assert_string_equal(s->errtype, "queue.Full");
	assert_string_equal(s->text, "full {arg}");
	assert_int_equal(step(&sc, "main", 10)->sig, SIGKILL);
	assert_int_equal(step(&sc, "main", 11)->sig, SIGKILL);
	assert_int_equal(step(&sc, "main", 12)->sig, SIGSEGV);
	scenario_free(&sc);
}

static void
test_pipes_and_processes(void **state)
{
	struct scenario sc = load_ok("[scenario]\ntitle = t\n[pipe p]\n[pipe r]\n"
	    "duplex = false\n[pool pool]\n[process child]\nrun = main2\n"
	    "[thread t]\nrun = main2\n[function main2]\nstep = sleep 1ms\n"
	    "[function main]\n"
	    "step = send p.a x\nstep = recv p.b timeout=1s\nstep = close p.b\n"
	    "step = recv r.a\nstep = send r.b y\nstep = close pool\n"
	    "step = start child\nstep = start t\nstep = join child timeout=2s\n"
	    "step = join t\nstep = join pool\nstep = terminate child\n"
	    "step = terminate pool\n");
	const struct sc_step *s;
	int p = scenario_find(&sc, "p"), r = scenario_find(&sc, "r");
	(void)state;
	s = step(&sc, "main", 0);
	assert_int_equal(s->kind, STEP_SEND);
	assert_int_equal(s->obj, p);
	assert_int_equal(s->end, 0);
	s = step(&sc, "main", 1);
	assert_int_equal(s->kind, STEP_RECV);
	assert_int_equal(s->end, 1);
	assert_int_equal(s->timeout_ns, 1000000000LL);
	s = step(&sc, "main", 2);
	assert_int_equal(s->kind, STEP_CLOSE_END);
	assert_int_equal(s->obj, p);
	assert_int_equal(s->end, 1);
	assert_int_equal(step(&sc, "main", 3)->obj, r);
	assert_int_equal(step(&sc, "main", 3)->end, 0);
	assert_int_equal(step(&sc, "main", 4)->end, 1);
	s = step(&sc, "main", 5);
	assert_int_equal(s->kind, STEP_CLOSE);
	assert_int_equal(s->obj, scenario_find(&sc, "pool"));
	assert_int_equal(s->end, -1);
	assert_int_equal(step(&sc, "main", 6)->obj, scenario_find(&sc, "child"));
	assert_int_equal(step(&sc, "main", 7)->obj, scenario_find(&sc, "t"));
	assert_int_equal(step(&sc, "main", 8)->kind, STEP_JOIN);
	assert_int_equal(step(&sc, "main", 8)->timeout_ns, 2000000000LL);
	assert_int_equal(step(&sc, "main", 10)->obj, scenario_find(&sc, "pool"));
	assert_int_equal(step(&sc, "main", 11)->kind, STEP_TERMINATE);
	assert_int_equal(step(&sc, "main", 12)->kind, STEP_TERMINATE);
	scenario_free(&sc);
}

static void
test_pool_steps(void **state)
{
	struct scenario sc = load_ok("[scenario]\ntitle = t\n[pool p]\nprocesses = 3\n"
	    "[function w]\nstep = return arg * 10\n[function cb]\nstep = print {value}\n"
	    "[function ecb]\nstep = print {value}\n"
	    "[function main]\n"
	    "step = apply p w 5\nstep = apply p w\n"
	    "step = apply_async p w {i} callback=cb error_callback=ecb\n"
	    "step = map p w 0..9 chunksize=4\n"
	    "step = map_async p w -2..2 callback=cb\n"
	    "step = imap p w 1..3 each=cb\n"
	    "step = imap_unordered p w 7..7\n"
	    "step = wait p on_error=continue\n");
	const struct sc_step *s;
	int p = scenario_find(&sc, "p"), w = scenario_find(&sc, "w");
	int cb = scenario_find(&sc, "cb"), ecb = scenario_find(&sc, "ecb");
	(void)state;
	s = step(&sc, "main", 0);
	assert_int_equal(s->kind, STEP_APPLY);
	assert_int_equal(s->obj, p);
	assert_int_equal(s->func, w);
	assert_int_equal(s->expr.n, 5);
	s = step(&sc, "main", 1);
	assert_int_equal(s->expr.base, SC_BASE_CONST);
	assert_int_equal(s->expr.n, 0);
	assert_int_equal(s->callback, -1);
	s = step(&sc, "main", 2);
	assert_int_equal(s->kind, STEP_APPLY_ASYNC);
	assert_int_equal(s->expr.base, SC_BASE_I);
	assert_int_equal(s->callback, cb);
	assert_int_equal(s->error_callback, ecb);
	s = step(&sc, "main", 3);
	assert_int_equal(s->kind, STEP_MAP);
	assert_int_equal(s->lo, 0);
	assert_int_equal(s->hi, 9);
	assert_int_equal(s->chunksize, 4);
	s = step(&sc, "main", 4);
	assert_int_equal(s->kind, STEP_MAP_ASYNC);
	assert_int_equal(s->lo, -2);
	assert_int_equal(s->hi, 2);
	assert_int_equal(s->chunksize, 0);
	assert_int_equal(s->callback, cb);
	s = step(&sc, "main", 5);
	assert_int_equal(s->kind, STEP_IMAP);
	assert_int_equal(s->callback, cb);     /* each= is stored as callback */
	s = step(&sc, "main", 6);
	assert_int_equal(s->kind, STEP_IMAP_UNORDERED);
	assert_int_equal(s->lo, 7);
	assert_int_equal(s->hi, 7);
	s = step(&sc, "main", 7);
	assert_int_equal(s->kind, STEP_WAIT);
	assert_true(s->on_error_continue);
	scenario_free(&sc);
}

static void
test_repeat_matching(void **state)
{
	struct scenario sc = load_ok("[scenario]\ntitle = t\n[function main]\n"
	    "step = repeat 3\n"          /* 0 */
	    "step = print a\n"           /* 1 */
	    "step = repeat 0\n"          /* 2 */
	    "step = print b\n"           /* 3 */
	    "step = end\n"               /* 4 */
	    "step = end\n"               /* 5 */
	    "step = repeat 100000000\n"  /* 6 */
	    "step = end\n");             /* 7 */
	(void)state;
	assert_int_equal(step(&sc, "main", 0)->kind, STEP_REPEAT);
	assert_int_equal(step(&sc, "main", 0)->count, 3);
	assert_int_equal(step(&sc, "main", 0)->match, 5);
	assert_int_equal(step(&sc, "main", 5)->match, 0);
	assert_int_equal(step(&sc, "main", 2)->count, 0);
	assert_int_equal(step(&sc, "main", 2)->match, 4);
	assert_int_equal(step(&sc, "main", 4)->kind, STEP_END);
	assert_int_equal(step(&sc, "main", 4)->match, 2);
	assert_int_equal(step(&sc, "main", 6)->count, SC_MAX_REPEAT);
	assert_int_equal(step(&sc, "main", 6)->match, 7);
	assert_int_equal(step(&sc, "main", 1)->match, -1);
	scenario_free(&sc);
}

static void
test_caps_and_pool_task_spawn(void **state)
{
	/* 300 copies fit once max_processes is raised; a pool task that starts
	 * a process passes the checker (it fails at run time, as in CPython). */
	struct scenario sc = load_ok("[scenario]\ntitle = t\nmax_processes = 400\n"
	    "[process p]\nrun = w\ncount = 300\n[pool pool]\nprocesses = 4\n"
	    "[process inner]\nrun = w\n"
	    "[function w]\nstep = sleep 1ms\n"
	    "[function task]\nstep = start inner\n"
	    "[function main]\nstep = start p\nstep = apply pool task 1\n");
	(void)state;
	assert_int_equal(sc.max_processes, 400);
	scenario_free(&sc);
}

static void
test_crlf_bom_utf8(void **state)
{
	struct scenario sc = load_ok("\xEF\xBB\xBF[scenario]\r\ntitle = caf\xC3\xA9\r\n"
	    "[function main]\r\nstep = print \"\xE2\x9C\x93 ok\"\r\n");
	(void)state;
	assert_string_equal(sc.title, "caf\xC3\xA9");
	assert_string_equal(step(&sc, "main", 0)->text, "\xE2\x9C\x93 ok");
	assert_int_equal(step(&sc, "main", 0)->line, 4);
	scenario_free(&sc);
}

static void
test_bundled_load_and_resolve(void **state)
{
	static const char *const names[] = { "process_threads", "pid_tree", "queue",
	    "pipe", "manager", "pool_callback", "pool_apply", "join_before_close" };
	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char *path = scenario_resolve(names[i]);
		struct scenario sc;
		assert_non_null(path);
		char *want = NULL;
		assert_true(asprintf(&want, "/scenarios/%s.ini", names[i]) > 0);
		assert_non_null(strstr(path, want));
		assert_int_equal(scenario_load_file(path, &sc, stderr), 0);
		assert_non_null(sc.title);
		assert_non_null(sc.description);
		assert_true(sc.main_func >= 0);
		if (strcmp(names[i], "join_before_close") == 0)
			assert_string_equal(sc.expect_error, "ValueError: Pool is still running");
		scenario_free(&sc);
		free(want);
		free(path);
	}
	assert_null(scenario_resolve("no_such_scenario"));
	assert_null(scenario_resolve("no/such/file.ini"));
	char *p = scenario_resolve("scenarios/queue.ini");
	assert_string_equal(p, "scenarios/queue.ini");      /* a path stays as is */
	free(p);
}

static void
test_file_errors(void **state)
{
	struct scenario sc;
	char *errs = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&errs, &len);
	(void)state;
	assert_int_equal(scenario_load_file("/nonexistent/x.ini", &sc, f), 1);
	assert_int_equal(scenario_load_file("/", &sc, f), 1);
	fclose(f);
	assert_string_equal(errs, "/nonexistent/x.ini: error: cannot open: No such "
	    "file or directory\n/: error: is a directory, not a scenario file\n");
	assert_null(sc.objs);
	free(errs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_objects_and_defaults),
		cmocka_unit_test(test_main_function),
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_expressions),
		cmocka_unit_test(test_texts_and_queues),
		cmocka_unit_test(test_pipes_and_processes),
		cmocka_unit_test(test_pool_steps),
		cmocka_unit_test(test_repeat_matching),
		cmocka_unit_test(test_caps_and_pool_task_spawn),
		cmocka_unit_test(test_crlf_bom_utf8),
		cmocka_unit_test(test_bundled_load_and_resolve),
		cmocka_unit_test(test_file_errors),
	};
	return cmocka_run_group_tests_name("scenario model", tests, NULL, NULL);
}
