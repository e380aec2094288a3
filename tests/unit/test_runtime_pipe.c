/* Runtime pipes: exact messages both ways over a socketpair, EOF only after
 * every copy of the write end is closed, broken pipe, read-only ends. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "rt_harness.h"

#define MS 1000000LL

static const char *
text_of(const struct rt_ev *e)
{
	return e && e->text ? e->text : "";
}

/* Duplex ping-pong between main (end a) and a child (end b). */
static void
test_pipe_duplex(void **state)
{
	struct scenario sc;
	struct rt_run r;

	sb_init(&sc);
	int p = sb_obj(&sc, SC_PIPE, "p");
	int cf = sb_obj(&sc, SC_FUNCTION, "child");
	int rep = sb_repeat(&sc, cf, 3);
	sb_step(&sc, cf, STEP_RECV, p, NULL)->end = 1;
	sb_step(&sc, cf, STEP_SEND, p, "pong {value} from {pid}")->end = 1;
	sb_end(&sc, cf, rep);
	int c = sb_obj(&sc, SC_PROCESS, "child");
	sc.objs[c].u.proc.func = cf;
	int m = sb_obj(&sc, SC_FUNCTION, "main");
	sb_step(&sc, m, STEP_START, c, NULL);
	rep = sb_repeat(&sc, m, 3);
	sb_step(&sc, m, STEP_SEND, p, "ping {i}")->end = 0;
	sb_step(&sc, m, STEP_RECV, p, NULL)->end = 0;
	sb_step(&sc, m, STEP_PRINT, -1, "{value}");
	sb_end(&sc, m, rep);
	sb_step(&sc, m, STEP_JOIN, c, NULL);

	rt_run(&sc, 1, 10, &r, NULL, NULL);
	assert_true(WIFEXITED(r.wstatus) && WEXITSTATUS(r.wstatus) == 0);
	pid_t cpid = rt_nth(&r, EV_SPAWN, 0, 1)->ev.pid;
	assert_int_equal(rt_count(&r, EV_SEND, 0), 6);
	assert_int_equal(rt_count(&r, EV_RECV, 0), 6);
	for (size_t k = 0; k < 3; k++) {
		char ping[32], pong[64];
		snprintf(ping, sizeof(ping), "ping %zu", k);
		snprintf(pong, sizeof(pong), "pong ping %zu from %d", k, cpid);
		const struct rt_ev *s1 = rt_nth(&r, EV_SEND, r.main_pid, k);
		const struct rt_ev *r1 = rt_nth(&r, EV_RECV, cpid, k);
		const struct rt_ev *s2 = rt_nth(&r, EV_SEND, cpid, k);
		const struct rt_ev *r2 = rt_nth(&r, EV_RECV, r.main_pid, k);
		assert_string_equal(text_of(s1), ping);
		assert_string_equal(text_of(r1), ping);
		assert_string_equal(text_of(s2), pong);
		assert_string_equal(text_of(r2), pong);
		assert_int_equal(s1->ev.a, 0);
		assert_int_equal(r1->ev.a, 1);
		assert_int_equal(s1->ev.b, (int64_t)strlen(ping));
		assert_true(rt_index(&r, s1) < rt_index(&r, r1));
		assert_true(rt_index(&r, r1) < rt_index(&r, s2));
		assert_true(rt_index(&r, s2) < rt_index(&r, r2));
		assert_string_equal(text_of(rt_nth(&r, EV_PRINT, r.main_pid, k)), pong);
	}
	const struct shared_pipe *sp = &r.sh->objs[p].pipe;
	assert_int_equal(atomic_load(&sp->msgs[0]), 3);
	assert_int_equal(atomic_load(&sp->msgs[1]), 3);
	assert_int_equal(atomic_load(&sp->bytes[0]), 3 * 6);
	assert_int_equal(atomic_load(&sp->pending_bytes), 0);
	assert_int_equal(r.leftovers, 0);
	rt_free(&r);
	sb_free(&sc);
}

/* One-way pipe: the child gets the buffered message, then EOFError once
 * main and the child itself have closed the write end (b). A second child
 * that keeps its copy of b open sees no EOF, only its recv timeout. */
static void
test_pipe_eof(void **state)
{
	struct scenario sc;
	struct rt_run r;

	sb_init(&sc);
	int p = sb_obj(&sc, SC_PIPE, "p");
	sc.objs[p].u.pipe.duplex = false;
	int p2 = sb_obj(&sc, SC_PIPE, "p2");
	sc.objs[p2].u.pipe.duplex = false;
	int cf = sb_obj(&sc, SC_FUNCTION, "reader");
	sb_step(&sc, cf, STEP_CLOSE_END, p, NULL)->end = 1;
	sb_step(&sc, cf, STEP_RECV, p, NULL)->end = 0;
	sb_step(&sc, cf, STEP_PRINT, -1, "got {value}");
	struct sc_step *st = sb_step(&sc, cf, STEP_RECV, p, NULL);
	st->end = 0;
	st->on_error_continue = true;
	sb_step(&sc, cf, STEP_PRINT, -1, "after eof");
	int c = sb_obj(&sc, SC_PROCESS, "reader");
	sc.objs[c].u.proc.func = cf;
	int kf = sb_obj(&sc, SC_FUNCTION, "keeper");
	st = sb_step(&sc, kf, STEP_RECV, p2, NULL);
	st->end = 0;
	st->timeout_ns = 300 * MS;
	int k = sb_obj(&sc, SC_PROCESS, "keeper");
	sc.objs[k].u.proc.func = kf;
	int m = sb_obj(&sc, SC_FUNCTION, "main");
	sb_step(&sc, m, STEP_START, c, NULL);
	sb_step(&sc, m, STEP_START, k, NULL);
	sb_step(&sc, m, STEP_CLOSE_END, p2, NULL)->end = 1;
	sb_step(&sc, m, STEP_SEND, p, "hello")->end = 1;
	sb_step(&sc, m, STEP_CLOSE_END, p, NULL)->end = 1;
	sb_step(&sc, m, STEP_CLOSE_END, p, NULL)->end = 1;   /* twice: no-op */
	sb_step(&sc, m, STEP_JOIN, c, NULL);
	sb_step(&sc, m, STEP_JOIN, k, NULL);

	rt_run(&sc, 1, 10, &r, NULL, NULL);
	assert_true(WIFEXITED(r.wstatus) && WEXITSTATUS(r.wstatus) == 0);
	const struct rt_ev *cs = NULL, *ks = NULL;
	for (size_t i = 0; i < r.n; i++)
		if (r.evs[i].ev.kind == EV_SPAWN && r.evs[i].ev.obj == c)
			cs = &r.evs[i];
		else if (r.evs[i].ev.kind == EV_SPAWN && r.evs[i].ev.obj == k)
			ks = &r.evs[i];
	assert_non_null(cs);
	assert_non_null(ks);
	assert_string_equal(text_of(rt_nth(&r, EV_PRINT, cs->ev.pid, 0)), "got hello");
	const struct rt_ev *eof = rt_nth(&r, EV_ERROR, cs->ev.pid, 0);
	assert_string_equal(text_of(eof), "EOFError");
	assert_int_equal(eof->ev.a, 1);
	assert_string_equal(text_of(rt_nth(&r, EV_PRINT, cs->ev.pid, 1)), "after eof");
	/* EOF only after main, the last holder of p.b, closed it */
	const struct rt_ev *mclose = rt_nth(&r, EV_PIPE_CLOSE, r.main_pid, 1);
	assert_int_equal(mclose->ev.obj, p);
	assert_true(rt_index(&r, eof) > rt_index(&r, mclose));
	/* the keeper still holds p2.b, so it never sees EOF: it times out */
	const struct rt_ev *kerr = rt_nth(&r, EV_ERROR, ks->ev.pid, 0);
	assert_string_equal(text_of(kerr), "TimeoutError");
	const struct rt_ev *kx = rt_nth(&r, EV_EXIT, ks->ev.pid, 0);
	assert_int_equal(kx->ev.a, 1);
	/* close events: child closes p.b, main closes p2.b and p.b once */
	assert_int_equal(rt_count(&r, EV_PIPE_CLOSE, r.main_pid), 2);
	assert_int_equal(rt_count(&r, EV_PIPE_CLOSE, cs->ev.pid), 1);
	assert_int_equal(atomic_load(&r.sh->objs[p].pipe.closed[1]), 2);
	assert_int_equal(r.leftovers, 0);
	rt_free(&r);
	sb_free(&sc);
}

/* Errors: broken pipe (one-way and duplex), read-only / write-only ends,
 * a closed handle. */
static void
test_pipe_errors(void **state)
{
	struct scenario sc;
	struct rt_run r;

	sb_init(&sc);
	int ow = sb_obj(&sc, SC_PIPE, "ow");
	sc.objs[ow].u.pipe.duplex = false;
	int dx = sb_obj(&sc, SC_PIPE, "dx");
	int m = sb_obj(&sc, SC_FUNCTION, "main");
	struct sc_step *st;
#define STEP(kind, obj, text, e) \
	(st = sb_step(&sc, m, kind, obj, text), st->end = e, st->on_error_continue = true)
	STEP(STEP_SEND, ow, "x", 0);           /* read-only end */
	STEP(STEP_RECV, ow, NULL, 1);          /* write-only end */
	STEP(STEP_CLOSE_END, ow, NULL, 0);
	STEP(STEP_SEND, ow, "x", 1);           /* no reader left */
	STEP(STEP_RECV, ow, NULL, 0);          /* closed here */
	STEP(STEP_CLOSE_END, dx, NULL, 1);
	STEP(STEP_SEND, dx, "y", 0);           /* peer closed */
#undef STEP
	sb_step(&sc, m, STEP_PRINT, -1, "done");

	rt_run(&sc, 1, 10, &r, NULL, NULL);
	assert_true(WIFEXITED(r.wstatus) && WEXITSTATUS(r.wstatus) == 0);
	const char *want[] = {
		"OSError: connection is read-only",
		"OSError: connection is write-only",
		"BrokenPipeError: [Errno 32] Broken pipe",
		"OSError: handle is closed",
		"BrokenPipeError: [Errno 32] Broken pipe",
	};
	assert_int_equal(rt_count(&r, EV_ERROR, 0), 5);
	for (size_t k = 0; k < 5; k++)
		assert_string_equal(text_of(rt_nth(&r, EV_ERROR, 0, k)), want[k]);
	assert_int_equal(rt_count(&r, EV_SEND, 0), 0);
	assert_int_equal(atomic_load(&r.sh->objs[ow].pipe.msgs[1]), 0);
	assert_string_equal(text_of(rt_nth(&r, EV_PRINT, 0, 0)), "done");
	rt_free(&r);
	sb_free(&sc);
}

/* 60000-byte messages on a one-way pipe (64 KiB buffer): the sender
 * blocks (visibly) until main reads; every byte arrives. */
static void
test_pipe_big_messages_block(void **state)
{
	enum { BIG = 60000 };
	struct scenario sc;
	struct rt_run r;
	char *tmpl = malloc(BIG + 16);

	for (size_t k = 0; k < BIG; k++)
		tmpl[k] = (char)('A' + k % 26);
	tmpl[0] = '{';
	tmpl[1] = 'i';
	tmpl[2] = '}';
	tmpl[BIG] = '\0';
	sb_init(&sc);
	int p = sb_obj(&sc, SC_PIPE, "p");
	sc.objs[p].u.pipe.duplex = false;
	int cf = sb_obj(&sc, SC_FUNCTION, "sender");
	int rep = sb_repeat(&sc, cf, 4);
	sb_step(&sc, cf, STEP_SEND, p, tmpl)->end = 1;
	sb_end(&sc, cf, rep);
	int c = sb_obj(&sc, SC_PROCESS, "sender");
	sc.objs[c].u.proc.func = cf;
	int m = sb_obj(&sc, SC_FUNCTION, "main");
	sb_step(&sc, m, STEP_START, c, NULL);
	sb_step(&sc, m, STEP_SLEEP, -1, NULL)->dur_ns = 200 * MS;
	rep = sb_repeat(&sc, m, 4);
	sb_step(&sc, m, STEP_RECV, p, NULL)->end = 0;
	sb_end(&sc, m, rep);
	sb_step(&sc, m, STEP_JOIN, c, NULL);

	rt_run(&sc, 1, 10, &r, NULL, NULL);
	assert_true(WIFEXITED(r.wstatus) && WEXITSTATUS(r.wstatus) == 0);
	pid_t cpid = rt_nth(&r, EV_SPAWN, 0, 1)->ev.pid;
	const struct rt_ev *b = rt_nth(&r, EV_BLOCK, cpid, 0);
	assert_non_null(b);
	assert_int_equal(b->ev.a, WAIT_SEND);
	assert_true(rt_scen_s(&r, rt_nth(&r, EV_UNBLOCK, cpid, 0)) >= 0.19);
	for (size_t k = 0; k < 4; k++) {
		const struct rt_ev *e = rt_nth(&r, EV_RECV, r.main_pid, k);
		assert_int_equal(e->ev.b, BIG - 2);
		assert_int_equal(e->text[0] - '0', (int)k);
		assert_memory_equal(e->text + 1, tmpl + 3, BIG - 3);
	}
	assert_int_equal(atomic_load(&r.sh->objs[p].pipe.pending_bytes), 0);
	free(tmpl);
	rt_free(&r);
	sb_free(&sc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pipe_duplex),
		cmocka_unit_test(test_pipe_eof),
		cmocka_unit_test(test_pipe_errors),
		cmocka_unit_test(test_pipe_big_messages_block),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
