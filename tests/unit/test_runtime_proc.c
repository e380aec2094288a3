/* Runtime: main, processes, threads, exit codes, zombies, --speed; real
 * forks through runtime_enter_main, events read back from the rings. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rt_harness.h"
#include "runtime/actor.h"

#define MS 1000000LL

static char
proc_state(pid_t pid)
{
	char path[64], buf[512];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return '?';
	size_t n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	char *p = strrchr(buf, ')');
	return p && p[1] == ' ' ? p[2] : '?';
}

static int
task_count(pid_t pid)
{
	char path[64];
	DIR *d;
	struct dirent *de;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	d = opendir(path);
	if (!d)
		return 0;
	while ((de = readdir(d)))
		n += de->d_name[0] != '.';
	closedir(d);
	return n;
}

static const char *
text_of(const struct rt_ev *e)
{
	return e && e->text ? e->text : "";
}

/* main alone: templates, repeat, exit code, spawn/exit events. */
static void
test_main_basics(void **state)
{
	struct scenario sc;
	struct rt_run r;

	sb_init(&sc);
	int m = sb_obj(&sc, SC_FUNCTION, "main");
	sb_step(&sc, m, STEP_PRINT, -1, "hello {name} {{x}} {unknown}");
	int rep = sb_repeat(&sc, m, 3);
	sb_step(&sc, m, STEP_PRINT, -1, "i={i}");
	int rep2 = sb_repeat(&sc, m, 2);
	sb_step(&sc, m, STEP_PRINT, -1, "{i}");
	sb_end(&sc, m, rep2);
	sb_step(&sc, m, STEP_SLEEP, -1, NULL)->dur_ns = 10 * MS;
	sb_end(&sc, m, rep);
	struct sc_step *ex = sb_step(&sc, m, STEP_EXIT, -1, NULL);
	ex->expr = (struct sc_expr){ .base = SC_BASE_CONST, .n = 3 };

	rt_run(&sc, 10, 10, &r, NULL, NULL);
	assert_true(WIFEXITED(r.wstatus));
	assert_int_equal(WEXITSTATUS(r.wstatus), 3);
	const struct rt_ev *sp = rt_nth(&r, EV_SPAWN, r.main_pid, 0);
	assert_non_null(sp);
	assert_int_equal(sp->ev.a, getpid());
	assert_int_equal(sp->ev.b, ROLE_MAIN);
	assert_string_equal(text_of(sp), "main");
	const char *want[] = { "hello main {x} {unknown}", "i=0", "0", "1", "i=1", "0",
		"1", "i=2", "0", "1" };
	assert_int_equal(rt_count(&r, EV_PRINT, 0), 10);
	for (size_t k = 0; k < 10; k++)
		assert_string_equal(text_of(rt_nth(&r, EV_PRINT, 0, k)), want[k]);
	const struct rt_ev *ex_ev = rt_nth(&r, EV_EXIT, r.main_pid, 0);
	assert_non_null(ex_ev);
	assert_int_equal(ex_ev->ev.a, 3);
	assert_int_equal(rt_index(&r, ex_ev), r.n - 1);
	assert_int_equal(r.leftovers, 0);
	rt_free(&r);
	sb_free(&sc);
}

struct zombie_watch {
	pid_t pids[8];
	int npids;
	bool zombie[8];
	bool reaped_seen;
};

/* Every child that has exited must show as a zombie until main's reap. */
static void
watch_zombies(struct rt_run *r, void *ud)
{
	struct zombie_watch *w = ud;

	if (rt_count(r, EV_REAP, 0) > 0) {
		w->reaped_seen = true;
		return;
	}
	for (size_t i = 0; i < r->n; i++) {
		const struct event *e = &r->evs[i].ev;
		if (e->kind != EV_EXIT || e->pid == r->main_pid)
			continue;
		for (int k = 0; k < w->npids; k++)
			if (w->pids[k] == e->pid && proc_state(e->pid) == 'Z')
				w->zombie[k] = true;
		bool known = false;
		for (int k = 0; k < w->npids; k++)
			known |= w->pids[k] == e->pid;
		if (!known && w->npids < 8)
			w->pids[w->npids++] = e->pid;
	}
}

/* count=3 copies: names P-1..3, distinct pids, ppid = main, arg = copy
 * index; each finished child is a zombie until main joins it. */
static void
test_process_copies_and_zombies(void **state)
{
	struct scenario sc;
	struct rt_run r;
	struct zombie_watch w = { 0 };

	sb_init(&sc);
	int child = sb_obj(&sc, SC_FUNCTION, "child");
	sb_step(&sc, child, STEP_PRINT, -1, "child {arg} of {ppid} is {pid}");
	int p = sb_obj(&sc, SC_PROCESS, "P");
	sc.objs[p].u.proc.func = child;
	sc.objs[p].u.proc.count = 3;
	int m = sb_obj(&sc, SC_FUNCTION, "main");
	sb_step(&sc, m, STEP_START, p, NULL);
	sb_step(&sc, m, STEP_SLEEP, -1, NULL)->dur_ns = 600 * MS;
	sb_step(&sc, m, STEP_JOIN, p, NULL);
	sb_step(&sc, m, STEP_PRINT, -1, "joined");

	rt_run(&sc, 1, 10, &r, watch_zombies, &w);
	assert_true(WIFEXITED(r.wstatus) && WEXITSTATUS(r.wstatus) == 0);
	assert_int_equal(rt_count(&r, EV_SPAWN, 0), 4);
	pid_t pids[3];
	for (int k = 0; k < 3; k++) {
		const struct rt_ev *sp = rt_nth(&r, EV_SPAWN, 0, (size_t)k + 1);
		char name[32];
		assert_int_equal(sp->ev.a, r.main_pid);
		assert_int_equal(sp->ev.b, ROLE_PROCESS);
		assert_int_equal(sp->ev.obj, p);
		pids[k] = sp->ev.pid;
		snprintf(name, sizeof(name), "P-%lld", (long long)sp->ev.c + 1);
		assert_string_equal(text_of(sp), name);
		char want[96];
		snprintf(want, sizeof(want), "child %lld of %d is %d", (long long)sp->ev.c,
		    r.main_pid, sp->ev.pid);
		assert_string_equal(text_of(rt_nth(&r, EV_PRINT, sp->ev.pid, 0)), want);
		const struct rt_ev *ex = rt_nth(&r, EV_EXIT, sp->ev.pid, 0);
		assert_non_null(ex);
		assert_int_equal(ex->ev.a, 0);
	}
	assert_true(pids[0] != pids[1] && pids[1] != pids[2] && pids[0] != pids[2]);
	/* reaped by main, each after its exit, and "joined" after all */
	assert_int_equal(rt_count(&r, EV_REAP, r.main_pid), 3);
	for (int k = 0; k < 3; k++) {
		const struct rt_ev *ex = rt_nth(&r, EV_EXIT, pids[k], 0);
		bool found = false;
		for (size_t i = 0; i < r.n; i++)
			if (r.evs[i].ev.kind == EV_REAP && r.evs[i].ev.a == pids[k]) {
				found = true;
				assert_true(i > rt_index(&r, ex));
			}
		assert_true(found);
	}
	assert_int_equal(w.npids, 3);
	for (int k = 0; k < 3; k++)
		assert_true(w.zombie[k]);
	assert_true(rt_index(&r, rt_nth(&r, EV_PRINT, r.main_pid, 0)) >
	    rt_index(&r, rt_nth(&r, EV_REAP, 0, 2)));
	assert_int_equal(r.leftovers, 0);
	rt_free(&r);
	sb_free(&sc);
}

static int
def_func(struct scenario *sc, const char *name, int *proc, const char *pname)
{
	int f = sb_obj(sc, SC_FUNCTION, name);
	*proc = sb_obj(sc, SC_PROCESS, pname);
	sc->objs[*proc].u.proc.func = f;
	return f;
}

static const struct rt_ev *
exit_of_def(const struct rt_run *r, int obj)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->evs[i].ev.kind == EV_EXIT && r->evs[i].ev.obj == obj)
			return &r->evs[i];
	return NULL;
}

/* Exit codes as CPython: 0, exit 3, uncaught raise -> 1, crash KILL -> -9,
 * terminate -> -15; the killed ones are reported by the parent. */
static void
test_exit_codes(void **state)
{
	struct scenario sc;
	struct rt_run r;
	int p_ok, p_ex, p_bad, p_crash, p_term;

	sb_init(&sc);
	int f = def_func(&sc, "ok", &p_ok, "ok");
	sb_step(&sc, f, STEP_PRINT, -1, "fine");
	f = def_func(&sc, "ex", &p_ex, "ex");
	sb_step(&sc, f, STEP_EXIT, -1, NULL)->expr =
	    (struct sc_expr){ .base = SC_BASE_ARG, .op = '+', .n = 3 };
	f = def_func(&sc, "bad", &p_bad, "bad");
	struct sc_step *rs = sb_step(&sc, f, STEP_RAISE, -1, "bad {arg}");
	rs->errtype = strdup("ValueError");
	sb_step(&sc, f, STEP_PRINT, -1, "not reached");
	f = def_func(&sc, "crash", &p_crash, "crash");
	sb_step(&sc, f, STEP_CRASH, -1, NULL)->sig = SIGKILL;
	f = def_func(&sc, "term", &p_term, "term");
	sb_step(&sc, f, STEP_SLEEP, -1, NULL)->dur_ns = 20000 * MS;
	int m = sb_obj(&sc, SC_FUNCTION, "main");
	int procs[] = { p_ok, p_ex, p_bad, p_crash, p_term };
	for (int k = 0; k < 5; k++)
		sb_step(&sc, m, STEP_START, procs[k], NULL);
	sb_step(&sc, m, STEP_SLEEP, -1, NULL)->dur_ns = 100 * MS;
	sb_step(&sc, m, STEP_TERMINATE, p_term, NULL);
	for (int k = 0; k < 5; k++)
		sb_step(&sc, m, STEP_JOIN, procs[k], NULL);

	rt_run(&sc, 1, 10, &r, NULL, NULL);
	assert_true(WIFEXITED(r.wstatus) && WEXITSTATUS(r.wstatus) == 0);
	const int want[] = { 0, 3, 1, -9, -15 };
	for (int k = 0; k < 5; k++) {
		const struct rt_ev *e = exit_of_def(&r, procs[k]);
		assert_non_null(e);
		assert_int_equal(e->ev.a, want[k]);
	}
	/* the uncaught error is reported by the failing process, which stops */
	const struct rt_ev *err = rt_nth(&r, EV_ERROR, 0, 0);
	assert_non_null(err);
	assert_int_equal(err->ev.a, 0);
	assert_string_equal(text_of(err), "ValueError: bad 0");
	assert_int_equal(rt_count(&r, EV_ERROR, 0), 1);
	assert_int_equal(rt_count(&r, EV_PRINT, 0), 1);
	/* deaths by signal are reported by main (the reaper) for the child */
	const struct rt_ev *ce = exit_of_def(&r, p_crash);
	const struct rt_ev *cs = rt_nth(&r, EV_SPAWN, ce->ev.pid, 0);
	assert_non_null(cs);
	assert_int_equal(rt_count(&r, EV_REAP, r.main_pid), 5);
	/* no actor of the run is left looking alive */
	for (int i = 0; i < r.sh->nactors; i++) {
		int32_t st = atomic_load(&r.sh->actors[i].state);
		assert_true(st == ACT_FREE || st == ACT_EXITED);
	}
	assert_int_equal(r.leftovers, 0);
	rt_free(&r);
	sb_free(&sc);
}

/* An uncaught error in main: EV_ERROR and exit code 1. */
static void
test_main_uncaught(void **state)
{
	struct scenario sc;
	struct rt_run r;

	sb_init(&sc);
	int m = sb_obj(&sc, SC_FUNCTION, "main");
	sb_step(&sc, m, STEP_RAISE, -1, NULL)->errtype = strdup("RuntimeError");
	rt_run(&sc, 1, 10, &r, NULL, NULL);
	assert_true(WIFEXITED(r.wstatus) && WEXITSTATUS(r.wstatus) == 1);
	assert_string_equal(text_of(rt_nth(&r, EV_ERROR, 0, 0)), "RuntimeError");
	assert_int_equal(rt_nth(&r, EV_EXIT, r.main_pid, 0)->ev.a, 1);
	rt_free(&r);
	sb_free(&sc);
}

/* CPython's errors for misuse, reported and skipped with on_error=continue. */
static void
test_process_errors(void **state)
{
	struct scenario sc;
	struct rt_run r;
	int p, d, t;

	sb_init(&sc);
	int f = def_func(&sc, "f", &p, "P");
	sb_step(&sc, f, STEP_SLEEP, -1, NULL)->dur_ns = 10 * MS;
	int df = def_func(&sc, "df", &d, "D");
	sc.objs[d].u.proc.daemon = true;
	sb_step(&sc, df, STEP_START, p, NULL);     /* uncaught: D exits 1 */
	t = sb_obj(&sc, SC_THREAD, "T");
	sc.objs[t].u.thr.func = f;
	int m = sb_obj(&sc, SC_FUNCTION, "main");
	sb_step(&sc, m, STEP_JOIN, p, NULL)->on_error_continue = true;
	sb_step(&sc, m, STEP_TERMINATE, p, NULL)->on_error_continue = true;
	sb_step(&sc, m, STEP_JOIN, t, NULL)->on_error_continue = true;
	sb_step(&sc, m, STEP_START, p, NULL);
	sb_step(&sc, m, STEP_START, p, NULL)->on_error_continue = true;
	sb_step(&sc, m, STEP_START, t, NULL);
	sb_step(&sc, m, STEP_START, t, NULL)->on_error_continue = true;
	sb_step(&sc, m, STEP_START, d, NULL);
	sb_step(&sc, m, STEP_JOIN, d, NULL);
	sb_step(&sc, m, STEP_PRINT, -1, "end");

	rt_run(&sc, 1, 10, &r, NULL, NULL);
	assert_true(WIFEXITED(r.wstatus) && WEXITSTATUS(r.wstatus) == 0);
	const char *want[] = {
		"AssertionError: can only join a started process",
		"AttributeError: 'NoneType' object has no attribute 'terminate'",
		"RuntimeError: cannot join thread before it is started",
		"AssertionError: cannot start a process twice",
		"RuntimeError: threads can only be started once",
	};
	assert_int_equal(rt_count(&r, EV_ERROR, r.main_pid), 5);
	for (size_t k = 0; k < 5; k++) {
		const struct rt_ev *e = rt_nth(&r, EV_ERROR, r.main_pid, k);
		assert_int_equal(e->ev.a, 1);
		assert_string_equal(text_of(e), want[k]);
	}
	const struct rt_ev *de = exit_of_def(&r, d);
	assert_non_null(de);
	assert_int_equal(de->ev.a, 1);
	const struct rt_ev *derr = rt_nth(&r, EV_ERROR, de->ev.pid, 0);
	assert_non_null(derr);
	assert_int_equal(derr->ev.a, 0);
	assert_string_equal(text_of(derr),
	    "AssertionError: daemonic processes are not allowed to have children");
	assert_string_equal(text_of(rt_nth(&r, EV_PRINT, r.main_pid, 0)), "end");
	/* the thread started in main is joined at main's exit */
	assert_int_equal(rt_count(&r, EV_THREAD_END, r.main_pid), 1);
	assert_int_equal(r.leftovers, 0);
	rt_free(&r);
	sb_free(&sc);
}

struct task_watch {
	int max_main;
	int max_child[4];
	pid_t child[4];
};

static void
watch_tasks(struct rt_run *r, void *ud)
{
	struct task_watch *w = ud;
	int n = task_count(r->main_pid);

	if (n > w->max_main)
		w->max_main = n;
	for (size_t i = 0; i < r->n; i++) {
		const struct event *e = &r->evs[i].ev;
		if (e->kind != EV_SPAWN || e->pid == r->main_pid)
			continue;
		for (int k = 0; k < 4; k++) {
			if (w->child[k] == 0)
				w->child[k] = e->pid;
			if (w->child[k] == e->pid) {
				int c = task_count(e->pid);
				if (c > w->max_child[k])
					w->max_child[k] = c;
				break;
			}
		}
	}
}

/* Real pthreads: 2 tasks in /proc/PID/task while a thread runs, each with
 * its own tid and events; each child process runs its own thread. */
static void
test_threads(void **state)
{
	struct scenario sc;
	struct rt_run r;
	struct task_watch w = { 0 };
	int p;

	sb_init(&sc);
	int tf = sb_obj(&sc, SC_FUNCTION, "tf");
	sb_step(&sc, tf, STEP_SLEEP, -1, NULL)->dur_ns = 300 * MS;
	sb_step(&sc, tf, STEP_PRINT, -1, "thread {tid} of {pid} arg {arg}");
	int t = sb_obj(&sc, SC_THREAD, "T");
	sc.objs[t].u.thr.func = tf;
	sc.objs[t].u.thr.arg = (struct sc_expr){ .base = SC_BASE_CONST, .n = 7 };
	int cf = def_func(&sc, "cf", &p, "P");
	sc.objs[p].u.proc.count = 2;
	sb_step(&sc, cf, STEP_START, t, NULL);
	sb_step(&sc, cf, STEP_JOIN, t, NULL);
	int m = sb_obj(&sc, SC_FUNCTION, "main");
	sb_step(&sc, m, STEP_START, p, NULL);
	sb_step(&sc, m, STEP_START, t, NULL);
	sb_step(&sc, m, STEP_SLEEP, -1, NULL)->dur_ns = 100 * MS;
	sb_step(&sc, m, STEP_JOIN, t, NULL);
	sb_step(&sc, m, STEP_JOIN, p, NULL);

	rt_run(&sc, 1, 10, &r, watch_tasks, &w);
	assert_true(WIFEXITED(r.wstatus) && WEXITSTATUS(r.wstatus) == 0);
	assert_int_equal(w.max_main, 2);
	assert_int_equal(w.max_child[0], 2);
	assert_int_equal(w.max_child[1], 2);
	assert_int_equal(rt_count(&r, EV_THREAD_START, 0), 3);
	assert_int_equal(rt_count(&r, EV_THREAD_END, 0), 3);
	for (size_t k = 0; k < 3; k++) {
		const struct rt_ev *ts = rt_nth(&r, EV_THREAD_START, 0, k);
		char want[96];
		assert_true(ts->ev.tid != ts->ev.pid);
		assert_string_equal(text_of(ts), "T");
		snprintf(want, sizeof(want), "thread %d of %d arg 7", ts->ev.tid, ts->ev.pid);
		bool found = false;
		for (size_t i = 0; i < r.n; i++)
			if (r.evs[i].ev.kind == EV_PRINT && r.evs[i].ev.tid == ts->ev.tid)
				found = strcmp(text_of(&r.evs[i]), want) == 0;
		assert_true(found);
	}
	/* main's join of its thread ends after the thread's end event */
	const struct rt_ev *mend = rt_nth(&r, EV_THREAD_END, r.main_pid, 0);
	const struct rt_ev *munb = rt_nth(&r, EV_UNBLOCK, r.main_pid, 0);
	assert_true(rt_index(&r, munb) > rt_index(&r, mend));
	/* main blocked joining its thread, and was unblocked */
	assert_true(rt_count(&r, EV_BLOCK, r.main_pid) >= 1);
	assert_int_equal(rt_nth(&r, EV_BLOCK, r.main_pid, 0)->ev.a, WAIT_JOIN);
	assert_int_equal(r.leftovers, 0);
	rt_free(&r);
	sb_free(&sc);
}

/* CPython's exit: daemon children terminated, others joined. */
static void
test_exit_joins_children(void **state)
{
	struct scenario sc;
	struct rt_run r;
	int pd, pn;

	sb_init(&sc);
	int fd = def_func(&sc, "fd", &pd, "D");
	sc.objs[pd].u.proc.daemon = true;
	sb_step(&sc, fd, STEP_SLEEP, -1, NULL)->dur_ns = 20000 * MS;
	int fn = def_func(&sc, "fn", &pn, "N");
	sb_step(&sc, fn, STEP_SLEEP, -1, NULL)->dur_ns = 300 * MS;
	sb_step(&sc, fn, STEP_PRINT, -1, "N done");
	int m = sb_obj(&sc, SC_FUNCTION, "main");
	sb_step(&sc, m, STEP_START, pd, NULL);
	sb_step(&sc, m, STEP_START, pn, NULL);

	rt_run(&sc, 1, 10, &r, NULL, NULL);
	assert_true(WIFEXITED(r.wstatus) && WEXITSTATUS(r.wstatus) == 0);
	assert_int_equal(exit_of_def(&r, pd)->ev.a, -15);
	assert_int_equal(exit_of_def(&r, pn)->ev.a, 0);
	assert_string_equal(text_of(rt_nth(&r, EV_PRINT, 0, 0)), "N done");
	const struct rt_ev *me = rt_nth(&r, EV_EXIT, r.main_pid, 0);
	assert_int_equal(rt_index(&r, me), r.n - 1);
	double s = rt_scen_s(&r, me);
	assert_true(s >= 0.29 && s < 2.0);
	assert_int_equal(r.leftovers, 0);
	rt_free(&r);
	sb_free(&sc);
}

/* --speed 20: 2 s of sleeps take about 0.1 s of real time. */
static void
test_speed(void **state)
{
	struct scenario sc;
	struct rt_run r;

	sb_init(&sc);
	int m = sb_obj(&sc, SC_FUNCTION, "main");
	int rep = sb_repeat(&sc, m, 4);
	sb_step(&sc, m, STEP_SLEEP, -1, NULL)->dur_ns = 500 * MS;
	sb_end(&sc, m, rep);
	rt_run(&sc, 20, 10, &r, NULL, NULL);
	const struct rt_ev *s = rt_nth(&r, EV_SPAWN, r.main_pid, 0);
	const struct rt_ev *e = rt_nth(&r, EV_EXIT, r.main_pid, 0);
	double real = (double)(e->ev.t_ns - s->ev.t_ns) / 1e9;
	assert_true(real >= 0.08 && real <= 0.5);
	rt_free(&r);
	sb_free(&sc);
}

/* join with a timeout returns after it (CPython: no error), the process
 * keeps running; call runs a function with its argument and {value} becomes
 * its return value; integer arithmetic in expressions. */
static void
test_join_timeout_and_call(void **state)
{
	struct scenario sc;
	struct rt_run r;
	int p;

	sb_init(&sc);
	int f = def_func(&sc, "slow", &p, "slow");
	sb_step(&sc, f, STEP_SLEEP, -1, NULL)->dur_ns = 20000 * MS;
	int g = sb_obj(&sc, SC_FUNCTION, "g");
	sb_step(&sc, g, STEP_PRINT, -1, "g got {arg} i={i}");
	sb_step(&sc, g, STEP_RETURN, -1, NULL)->expr =
	    (struct sc_expr){ .base = SC_BASE_ARG, .op = '*', .n = 2 };
	sb_step(&sc, g, STEP_PRINT, -1, "not reached");
	int m = sb_obj(&sc, SC_FUNCTION, "main");
	sb_step(&sc, m, STEP_START, p, NULL);
	sb_step(&sc, m, STEP_JOIN, p, NULL)->timeout_ns = 200 * MS;
	sb_step(&sc, m, STEP_PRINT, -1, "after join");
	sb_step(&sc, m, STEP_TERMINATE, p, NULL);
	sb_step(&sc, m, STEP_JOIN, p, NULL);
	int rep = sb_repeat(&sc, m, 2);
	sb_step(&sc, m, STEP_CALL, -1, NULL)->func = g;
	sc.objs[m].u.fn.steps[sc.objs[m].u.fn.nsteps - 1].expr =
	    (struct sc_expr){ .base = SC_BASE_I, .op = '-', .n = 7 };
	sb_step(&sc, m, STEP_PRINT, -1, "back i={i} value={value}");
	sb_end(&sc, m, rep);

	rt_run(&sc, 4, 10, &r, NULL, NULL);
	assert_true(WIFEXITED(r.wstatus) && WEXITSTATUS(r.wstatus) == 0);
	const struct rt_ev *b = rt_nth(&r, EV_BLOCK, r.main_pid, 0);
	const struct rt_ev *u = rt_nth(&r, EV_UNBLOCK, r.main_pid, 0);
	assert_int_equal(b->ev.a, WAIT_JOIN);
	assert_int_equal(b->ev.c, 1);                 /* timed */
	assert_int_equal(u->ev.b, OUT_TIMEOUT);
	double waited = rt_scen_s(&r, u) - rt_scen_s(&r, b);
	assert_true(waited >= 0.2 && waited < 0.2 * 1.8);
	assert_int_equal(exit_of_def(&r, p)->ev.a, -15);
	const char *want[] = { "after join", "g got -7 i=0", "back i=0 value=-14",
		"g got -6 i=0", "back i=1 value=-12" };
	assert_int_equal(rt_count(&r, EV_PRINT, 0), 5);
	for (size_t k = 0; k < 5; k++)
		assert_string_equal(text_of(rt_nth(&r, EV_PRINT, 0, k)), want[k]);
	/* expressions, directly */
	struct actor a = { .arg = -7, .loop_i = 5, .pid = 1234 };
	struct sc_expr e = { .base = SC_BASE_ARG, .op = '/', .n = 2 };
	assert_int_equal(interp_eval(&a, &e), -3);      /* toward zero */
	e.op = '%';
	assert_int_equal(interp_eval(&a, &e), -1);
	e = (struct sc_expr){ .base = SC_BASE_I, .op = '+', .n = 1000 };
	assert_int_equal(interp_eval(&a, &e), 1005);
	e = (struct sc_expr){ .base = SC_BASE_PID };
	assert_int_equal(interp_eval(&a, &e), 1234);
	e = (struct sc_expr){ .base = SC_BASE_CONST, .n = 42 };
	assert_int_equal(interp_eval(&a, &e), 42);
	rt_free(&r);
	sb_free(&sc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_main_basics),
		cmocka_unit_test(test_process_copies_and_zombies),
		cmocka_unit_test(test_exit_codes),
		cmocka_unit_test(test_main_uncaught),
		cmocka_unit_test(test_process_errors),
		cmocka_unit_test(test_threads),
		cmocka_unit_test(test_exit_joins_children),
		cmocka_unit_test(test_speed),
		cmocka_unit_test(test_join_timeout_and_call),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
