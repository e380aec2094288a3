/* Runtime queues: exact messages in order across real processes, Full and
 * Empty timeouts at the right scenario times, maxsize blocking, depth
 * readable by the observer at any time. */
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

/* Two producer processes x 40 messages, main gets 80: every message once,
 * each producer's in its order, every get after its put. */
static void
test_queue_messages(void **state)
{
	struct scenario sc;
	struct rt_run r;

	sb_init(&sc);
	int q = sb_obj(&sc, SC_QUEUE, "q");
	int pf = sb_obj(&sc, SC_FUNCTION, "producer");
	int rep = sb_repeat(&sc, pf, 40);
	sb_step(&sc, pf, STEP_PUT, q, "msg {i} from {arg}");
	sb_end(&sc, pf, rep);
	int p = sb_obj(&sc, SC_PROCESS, "prod");
	sc.objs[p].u.proc.func = pf;
	sc.objs[p].u.proc.count = 2;
	int m = sb_obj(&sc, SC_FUNCTION, "main");
	sb_step(&sc, m, STEP_START, p, NULL);
	rep = sb_repeat(&sc, m, 80);
	sb_step(&sc, m, STEP_GET, q, NULL);
	sb_step(&sc, m, STEP_PRINT, -1, "got {value}");
	sb_end(&sc, m, rep);
	sb_step(&sc, m, STEP_JOIN, p, NULL);

	rt_run(&sc, 1, 10, &r, NULL, NULL);
	assert_true(WIFEXITED(r.wstatus) && WEXITSTATUS(r.wstatus) == 0);
	assert_int_equal(rt_count(&r, EV_PUT, 0), 80);
	assert_int_equal(rt_count(&r, EV_GET, 0), 80);
	int next[2] = { 0, 0 };
	for (size_t k = 0; k < 80; k++) {
		const struct rt_ev *g = rt_nth(&r, EV_GET, r.main_pid, k);
		int i, who;
		assert_int_equal(sscanf(text_of(g), "msg %d from %d", &i, &who), 2);
		assert_true(who == 0 || who == 1);
		assert_int_equal(i, next[who]);
		next[who]++;
		assert_int_equal(g->ev.b, (int64_t)strlen(text_of(g)));
		assert_true(g->ev.a >= 0);
		/* its put, found by text, came earlier in the merged trace */
		bool seen = false;
		for (size_t j = 0; j < rt_index(&r, g); j++)
			if (r.evs[j].ev.kind == EV_PUT && strcmp(text_of(&r.evs[j]), text_of(g)) == 0)
				seen = true;
		assert_true(seen);
		char want[64];
		snprintf(want, sizeof(want), "got %s", text_of(g));
		assert_string_equal(text_of(rt_nth(&r, EV_PRINT, r.main_pid, k)), want);
	}
	assert_int_equal(next[0], 40);
	assert_int_equal(next[1], 40);
	assert_int_equal(atomic_load(&r.sh->objs[q].q.depth), 0);
	assert_int_equal(atomic_load(&r.sh->objs[q].q.puts), 80);
	assert_int_equal(atomic_load(&r.sh->objs[q].q.gets), 80);
	assert_int_equal(r.leftovers, 0);
	rt_free(&r);
	sb_free(&sc);
}

/* Scenario seconds between the n-th EV_BLOCK of main and the unblock
 * after it; checks the outcome. */
static double
blocked_for(const struct rt_run *r, size_t n, int op, int outcome)
{
	const struct rt_ev *b = rt_nth(r, EV_BLOCK, r->main_pid, n);
	const struct rt_ev *u = rt_nth(r, EV_UNBLOCK, r->main_pid, n);

	assert_non_null(b);
	assert_non_null(u);
	assert_int_equal(b->ev.a, op);
	assert_int_equal(u->ev.a, op);
	assert_int_equal(u->ev.b, outcome);
	assert_true(rt_index(r, u) > rt_index(r, b));
	return rt_scen_s(r, u) - rt_scen_s(r, b);
}

/* maxsize=2: the 3rd put with timeout=500ms fails with queue.Full after
 * 0.5 s of scenario time; get timeout=300ms on the empty queue fails with
 * queue.Empty after 0.3 s. Run at speed 10. */
static void
test_queue_timeouts(void **state)
{
	struct scenario sc;
	struct rt_run r;

	sb_init(&sc);
	int q = sb_obj(&sc, SC_QUEUE, "q");
	sc.objs[q].u.q.maxsize = 2;
	int m = sb_obj(&sc, SC_FUNCTION, "main");
	sb_step(&sc, m, STEP_PUT, q, "a");
	sb_step(&sc, m, STEP_PUT, q, "b");
	struct sc_step *st = sb_step(&sc, m, STEP_PUT, q, "c");
	st->timeout_ns = 500 * MS;
	st->on_error_continue = true;
	sb_step(&sc, m, STEP_GET, q, NULL);
	sb_step(&sc, m, STEP_GET, q, NULL);
	st = sb_step(&sc, m, STEP_GET, q, NULL);
	st->timeout_ns = 300 * MS;
	st->on_error_continue = true;
	sb_step(&sc, m, STEP_PRINT, -1, "last {value}");
	st = sb_step(&sc, m, STEP_GET, q, NULL);
	st->timeout_ns = 100 * MS;

	rt_run(&sc, 10, 10, &r, NULL, NULL);
	/* the last get is uncaught: main fails with exit code 1 */
	assert_true(WIFEXITED(r.wstatus) && WEXITSTATUS(r.wstatus) == 1);
	assert_int_equal(rt_count(&r, EV_PUT, 0), 2);
	assert_int_equal(rt_count(&r, EV_GET, 0), 2);
	double full = blocked_for(&r, 0, WAIT_PUT, OUT_TIMEOUT);
	double empty = blocked_for(&r, 1, WAIT_GET, OUT_TIMEOUT);
	assert_true(full >= 0.5 && full < 0.5 * 1.6);
	assert_true(empty >= 0.3 && empty < 0.3 * 1.8);
	const struct rt_ev *e0 = rt_nth(&r, EV_ERROR, 0, 0);
	const struct rt_ev *e1 = rt_nth(&r, EV_ERROR, 0, 1);
	const struct rt_ev *e2 = rt_nth(&r, EV_ERROR, 0, 2);
	assert_string_equal(text_of(e0), "queue.Full");
	assert_int_equal(e0->ev.a, 1);
	assert_string_equal(text_of(e1), "queue.Empty");
	assert_int_equal(e1->ev.a, 1);
	assert_string_equal(text_of(e2), "queue.Empty");
	assert_int_equal(e2->ev.a, 0);
	assert_string_equal(text_of(rt_nth(&r, EV_PRINT, 0, 0)), "last b");
	rt_free(&r);
	sb_free(&sc);
}

struct depth_watch {
	int q;
	int64_t max_depth;
	int32_t max_blocked_put;
};

static void
watch_depth(struct rt_run *r, void *ud)
{
	struct depth_watch *w = ud;
	int64_t d = atomic_load(&r->sh->objs[w->q].q.depth);
	int32_t b = atomic_load(&r->sh->objs[w->q].q.blocked_put);

	if (d > w->max_depth)
		w->max_depth = d;
	if (b > w->max_blocked_put)
		w->max_blocked_put = b;
}

/* maxsize=2: main's 3rd put blocks until a consumer process, 0.3 s later,
 * gets; the observer sees depth 2 and one blocked putter meanwhile. */
static void
test_queue_maxsize_blocks(void **state)
{
	struct scenario sc;
	struct rt_run r;
	struct depth_watch w = { 0 };

	sb_init(&sc);
	int q = sb_obj(&sc, SC_QUEUE, "q");
	sc.objs[q].u.q.maxsize = 2;
	w.q = q;
	int cf = sb_obj(&sc, SC_FUNCTION, "consumer");
	sb_step(&sc, cf, STEP_SLEEP, -1, NULL)->dur_ns = 300 * MS;
	int rep = sb_repeat(&sc, cf, 3);
	sb_step(&sc, cf, STEP_GET, q, NULL);
	sb_end(&sc, cf, rep);
	int c = sb_obj(&sc, SC_PROCESS, "consumer");
	sc.objs[c].u.proc.func = cf;
	int m = sb_obj(&sc, SC_FUNCTION, "main");
	sb_step(&sc, m, STEP_START, c, NULL);
	rep = sb_repeat(&sc, m, 3);
	sb_step(&sc, m, STEP_PUT, q, "item {i}");
	sb_end(&sc, m, rep);
	sb_step(&sc, m, STEP_JOIN, c, NULL);

	rt_run(&sc, 1, 10, &r, watch_depth, &w);
	assert_true(WIFEXITED(r.wstatus) && WEXITSTATUS(r.wstatus) == 0);
	double blocked = blocked_for(&r, 0, WAIT_PUT, OUT_OK);
	assert_true(blocked >= 0.25 && blocked < 0.6);
	assert_int_equal(w.max_depth, 2);
	assert_int_equal(w.max_blocked_put, 1);
	/* the 3rd put is after the first get */
	const struct rt_ev *p3 = rt_nth(&r, EV_PUT, r.main_pid, 2);
	const struct rt_ev *g1 = rt_nth(&r, EV_GET, 0, 0);
	assert_string_equal(text_of(p3), "item 2");
	assert_true(rt_index(&r, p3) > rt_index(&r, g1));
	for (size_t k = 0; k < 3; k++) {
		char want[16];
		snprintf(want, sizeof(want), "item %zu", k);
		assert_string_equal(text_of(rt_nth(&r, EV_GET, 0, k)), want);
	}
	assert_int_equal(r.leftovers, 0);
	rt_free(&r);
	sb_free(&sc);
}

/* Messages larger than PIPE_BUF from 3 producers to 2 consumers: the
 * robust locks keep every message whole; each arrives exactly once and in
 * its producer's order. */
static void
test_queue_big_messages_many_to_many(void **state)
{
	enum { PRODUCERS = 3, PER = 150, BIG = 9000 };
	struct scenario sc;
	struct rt_run r;
	char *tmpl = malloc(BIG + 64);

	snprintf(tmpl, 64, "p{arg} n{i} ");
	size_t off = strlen(tmpl);
	for (size_t k = 0; k < BIG; k++)
		tmpl[off + k] = (char)('a' + k % 26);
	tmpl[off + BIG] = '\0';

	sb_init(&sc);
	int q = sb_obj(&sc, SC_QUEUE, "q");
	sc.objs[q].u.q.maxsize = 5;
	int pf = sb_obj(&sc, SC_FUNCTION, "producer");
	int rep = sb_repeat(&sc, pf, PER);
	sb_step(&sc, pf, STEP_PUT, q, tmpl);
	sb_end(&sc, pf, rep);
	int p = sb_obj(&sc, SC_PROCESS, "prod");
	sc.objs[p].u.proc.func = pf;
	sc.objs[p].u.proc.count = PRODUCERS;
	int cf = sb_obj(&sc, SC_FUNCTION, "consumer");
	rep = sb_repeat(&sc, cf, PRODUCERS * PER / 2);
	sb_step(&sc, cf, STEP_GET, q, NULL);
	sb_end(&sc, cf, rep);
	int c = sb_obj(&sc, SC_PROCESS, "cons");
	sc.objs[c].u.proc.func = cf;
	sc.objs[c].u.proc.count = 2;
	int m = sb_obj(&sc, SC_FUNCTION, "main");
	sb_step(&sc, m, STEP_START, c, NULL);
	sb_step(&sc, m, STEP_START, p, NULL);
	sb_step(&sc, m, STEP_JOIN, p, NULL);
	sb_step(&sc, m, STEP_JOIN, c, NULL);

	rt_run(&sc, 1, 20, &r, NULL, NULL);
	assert_true(WIFEXITED(r.wstatus) && WEXITSTATUS(r.wstatus) == 0);
	assert_int_equal(rt_count(&r, EV_GET, 0), PRODUCERS * PER);
	int count[PRODUCERS][PER] = { { 0 } };
	/* per consumer, per producer: increasing n */
	pid_t cons[2] = { 0, 0 };
	int last[2][PRODUCERS];
	memset(last, -1, sizeof(last));
	for (size_t k = 0; k < r.n; k++) {
		const struct rt_ev *g = &r.evs[k];
		if (g->ev.kind != EV_GET)
			continue;
		int who, n, ci;
		assert_int_equal(sscanf(text_of(g), "p%d n%d ", &who, &n), 2);
		assert_true(who >= 0 && who < PRODUCERS && n >= 0 && n < PER);
		count[who][n]++;
		const char *body = strchr(strchr(text_of(g), ' ') + 1, ' ') + 1;
		assert_int_equal(strlen(body), BIG);
		assert_memory_equal(body, tmpl + off, BIG);
		if (!cons[0] || cons[0] == g->ev.pid)
			ci = 0, cons[0] = g->ev.pid;
		else
			ci = 1, cons[1] = g->ev.pid;
		assert_true(n > last[ci][who]);
		last[ci][who] = n;
	}
	for (int w = 0; w < PRODUCERS; w++)
		for (int n = 0; n < PER; n++)
			assert_int_equal(count[w][n], 1);
	assert_int_equal(atomic_load(&r.sh->objs[q].q.depth), 0);
	assert_int_equal(r.leftovers, 0);
	free(tmpl);
	rt_free(&r);
	sb_free(&sc);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_queue_messages),
		cmocka_unit_test(test_queue_timeouts),
		cmocka_unit_test(test_queue_maxsize_blocks),
		cmocka_unit_test(test_queue_big_messages_many_to_many),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
