/* The observer's model fed with event sequences, samples and actor states. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"
#include "runtime/shared.h"

#define MS 1000000LL
#define T0 (1000 * 1000 * MS)   /* an arbitrary monotonic origin */

enum { O_MAIN, O_Q, O_P, O_POOL, O_MGR, O_CHILD, O_NOBJS };

static struct sc_object objs[O_NOBJS];
static struct scenario sc;
static struct model m;

static int
setup(void **state)
{
	(void)state;
	memset(objs, 0, sizeof(objs));
	objs[O_MAIN].kind = SC_FUNCTION; strcpy(objs[O_MAIN].name, "main");
	objs[O_Q].kind = SC_QUEUE; strcpy(objs[O_Q].name, "q");
	objs[O_Q].u.q.maxsize = 2;
	objs[O_P].kind = SC_PIPE; strcpy(objs[O_P].name, "p");
	objs[O_P].u.pipe.duplex = true;
	objs[O_POOL].kind = SC_POOL; strcpy(objs[O_POOL].name, "pool");
	objs[O_POOL].u.pool.processes = 3;
	objs[O_MGR].kind = SC_MANAGER; strcpy(objs[O_MGR].name, "mgr");
	objs[O_CHILD].kind = SC_PROCESS; strcpy(objs[O_CHILD].name, "child");
	memset(&sc, 0, sizeof(sc));
	static char title[] = "test";
	sc.title = title;
	sc.objs = objs;
	sc.nobjs = O_NOBJS;
	model_init(&m, &sc);
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	model_free(&m);
	return 0;
}

static void
ev(int64_t t_ms, int kind, pid_t pid, pid_t tid, int obj, int64_t a,
    int64_t b, int64_t c, const char *text)
{
	struct event e = {
		.t_ns = T0 + t_ms * MS, .pid = pid, .tid = tid ? tid : pid,
		.kind = (uint16_t)kind, .obj = obj, .a = a, .b = b, .c = c,
		.text = text, .text_len = text ? (uint32_t)strlen(text) : 0,
	};
	model_apply(&m, &e);
}

static const struct model_log_entry *
last_log(void)
{
	return model_log_at(&m, model_log_count(&m) - 1);
}

static void
test_life(void **state)
{
	(void)state;
	ev(0, EV_SPAWN, 100, 0, O_MAIN, 1, ROLE_MAIN, 0, "main");
	ev(1, EV_SPAWN, 101, 0, O_CHILD, 100, ROLE_PROCESS, 0, "child-1");
	ev(2, EV_SPAWN, 102, 0, O_CHILD, 100, ROLE_PROCESS, 1, "child-2");
	assert_int_equal(m.nprocs, 3);
	assert_int_equal(m.t0_ns, T0);
	struct model_proc *c1 = model_proc_by_pid(&m, 101);
	assert_non_null(c1);
	assert_string_equal(c1->name, "child-1");
	assert_int_equal(c1->ppid, 100);
	assert_int_equal(c1->life, LIFE_RUNNING);

	ev(10, EV_EXIT, 101, 0, O_CHILD, 3, 3 << 8, 0, NULL);
	assert_int_equal(c1->life, LIFE_ZOMBIE);       /* until joined */
	assert_int_equal(c1->exit_code, 3);
	assert_int_equal(c1->doing.what, DOING_DONE);
	ev(11, EV_REAP, 100, 0, -1, 101, 0, 0, NULL);
	assert_int_equal(c1->life, LIFE_REAPED);

	ev(12, EV_EXIT, 102, 0, O_CHILD, -9, 9, 0, NULL);
	assert_non_null(strstr(last_log()->text, "killed by SIGKILL"));
	assert_true(last_log()->alert);
	assert_int_equal(model_proc_by_pid(&m, 102)->exit_code, -9);

	/* A reused pid is a new process; the old one stays with its code. */
	ev(20, EV_SPAWN, 101, 0, O_CHILD, 100, ROLE_PROCESS, 2, "child-3");
	assert_int_equal(m.nprocs, 4);
	assert_string_equal(model_proc_by_pid(&m, 101)->name, "child-3");
	assert_int_equal(model_proc_get(&m, 1)->exit_code, 3);
	assert_int_equal(m.spawned, 4);
	assert_int_equal(m.exited, 2);

	pid_t live[8];
	size_t n = model_live_pids(&m, live, 8);
	assert_int_equal(n, 3);   /* 100, 102 (zombie), 101 (new) */

	/* An exit that beats its spawn (another ring): one process, not two. */
	ev(30, EV_EXIT, 150, 0, O_CHILD, -15, 15, 0, NULL);
	ev(30, EV_REAP, 100, 0, -1, 150, -15, 0, NULL);
	assert_string_equal(last_log()->text, "reaped child (150)");
	ev(29, EV_SPAWN, 150, 0, O_CHILD, 100, ROLE_PROCESS, 0, "late");
	assert_int_equal(m.nprocs, 5);
	struct model_proc *late = model_proc_by_pid(&m, 150);
	assert_string_equal(late->name, "late");
	assert_int_equal(late->ppid, 100);
	assert_int_equal(late->exit_code, -15);
	assert_int_equal(late->life, LIFE_REAPED);
	assert_false(late->placeholder);
	struct model_tree_row r[8];
	assert_int_equal(model_tree(&m, TREE_NO_THREADS, r, 8), 5);
	assert_int_equal(r[0].depth, 0);
	for (int i = 1; i < 5; i++)
		assert_int_equal(r[i].depth, 1);   /* all children of main */
}

static void
test_queue(void **state)
{
	(void)state;
	ev(0, EV_SPAWN, 100, 0, O_MAIN, 1, ROLE_MAIN, 0, "main");
	model_tick(&m, T0);                 /* starts the first bucket */
	ev(10, EV_PUT, 100, 0, O_Q, 1, 5, 0, "hello");
	ev(20, EV_PUT, 100, 0, O_Q, 2, 5, 0, "world");
	ev(30, EV_BLOCK, 100, 0, O_Q, WAIT_PUT, -1, 0, NULL);
	assert_int_equal(model_blocked_on(&m, O_Q, WAIT_PUT), 1);
	assert_int_equal(model_blocked_on(&m, O_Q, WAIT_GET), 0);
	char buf[128];
	model_doing_text(&m, &model_proc_by_pid(&m, 100)->doing, T0 + 1530 * MS,
	    buf, sizeof(buf));
	assert_string_equal(buf, "put q, blocked 1.5s");
	model_tick(&m, T0 + 100 * MS);      /* bucket 1: max depth 2 */
	ev(150, EV_GET, 101, 0, O_Q, 1, 5, 0, "hello");
	ev(160, EV_UNBLOCK, 100, 0, O_Q, WAIT_PUT, OUT_OK, 0, NULL);
	assert_int_equal(model_blocked_on(&m, O_Q, -1), 0);
	ev(170, EV_PUT, 100, 0, O_Q, 2, 5, 0, "again");
	ev(180, EV_GET, 101, 0, O_Q, 1, 5, 0, "world");
	ev(190, EV_GET, 101, 0, O_Q, 0, 5, 0, "again");
	model_tick(&m, T0 + 200 * MS);      /* bucket 2: max depth 2 */
	model_tick(&m, T0 + 300 * MS);      /* bucket 3: empty, depth 0 */

	struct model_queue *q = &model_obj_get(&m, O_Q)->u.q;
	assert_int_equal(q->puts, 3);
	assert_int_equal(q->gets, 3);
	assert_int_equal(q->depth, 0);
	assert_int_equal(q->max_depth, 2);
	assert_int_equal(q->maxsize, 2);
	assert_int_equal(q->bytes_in, 15);
	assert_int_equal(q->depth_hist.n, 3);
	assert_int_equal(model_hist_at(&q->depth_hist, 0), 2);
	assert_int_equal(model_hist_at(&q->depth_hist, 1), 2);
	assert_int_equal(model_hist_at(&q->depth_hist, 2), 0);
	assert_int_equal(model_hist_at(&q->puts_hist, 0), 2);
	assert_int_equal(model_hist_at(&q->puts_hist, 2), 3);
	/* 3 puts over the last 3 buckets (0.3 s) since the first bucket
	 * started with 0 ... rate over 2 buckets: (3 - 2) / 0.2 s = 5/s. */
	double r = model_hist_rate(&m, &q->puts_hist, q->puts, 2);
	assert_true(fabs(r - 5.0) < 1e-9);
	assert_non_null(strstr(last_log()->text, "get q \"again\", depth 0"));

	/* A gap longer than the history resynchronises without looping. */
	model_tick(&m, T0 + 3600 * 1000 * MS);
	assert_int_equal(q->depth_hist.n, MODEL_HIST);
	assert_true(m.hist_next_ns > T0 + 3600 * 1000 * MS);
}

static void
test_pool(void **state)
{
	(void)state;
	ev(0, EV_SPAWN, 100, 0, O_MAIN, 1, ROLE_MAIN, 0, "main");
	/* c = the worker's number (worker-N), not its slot. */
	for (int i = 0; i < 3; i++)
		ev(1, EV_SPAWN, 200 + i, 0, O_POOL, 100, ROLE_WORKER, i + 1, NULL);
	struct model_pool *pl = &model_obj_get(&m, O_POOL)->u.pool;
	assert_int_equal(pl->nslots, 3);
	assert_int_equal(pl->slots[2].pid, 0);     /* slots known from tasks */
	assert_string_equal(model_proc_by_pid(&m, 201)->name, "worker");

	ev(2, EV_THREAD_START, 100, 150, O_POOL, TROLE_RESULT_HANDLER, 0, 0,
	    "result-handler");
	for (int t = 0; t < 5; t++)
		ev(3, EV_SUBMIT, 100, 0, O_POOL, t, t, CALL_APPLY_ASYNC, NULL);
	assert_int_equal(model_pool_count(&m, O_POOL, TASK_PENDING), 5);
	/* Wave 1: tasks 0..2 on slots 1, 0, 2. */
	ev(10, EV_TASK_START, 201, 0, O_POOL, 0, 0, 1, NULL);
	ev(10, EV_TASK_START, 200, 0, O_POOL, 1, 1, 0, NULL);
	ev(11, EV_TASK_START, 202, 0, O_POOL, 2, 2, 2, NULL);
	assert_int_equal(model_pool_count(&m, O_POOL, TASK_RUNNING), 3);
	assert_int_equal(model_pool_count(&m, O_POOL, TASK_PENDING), 2);
	char buf[64];
	model_doing_text(&m, &model_proc_by_pid(&m, 200)->doing, T0 + 510 * MS,
	    buf, sizeof(buf));
	assert_string_equal(buf, "task 1, 0.5s");
	ev(510, EV_TASK_END, 200, 0, O_POOL, 1, 1001, 0, NULL);
	ev(511, EV_TASK_END, 201, 0, O_POOL, 0, 1000, 0, NULL);
	ev(512, EV_CALLBACK, 100, 150, O_POOL, 1, 1001, 0, "1001");
	ev(513, EV_CALLBACK, 100, 150, O_POOL, 0, 1000, 0, "1000");
	assert_non_null(strstr(last_log()->text, "thread 150"));
	assert_int_equal(model_proc_by_pid(&m, 200)->doing.what, DOING_RUN);
	ev(515, EV_TASK_START, 200, 0, O_POOL, 3, 3, 0, NULL);
	assert_int_equal(pl->slots[0].pid, 200);
	assert_int_equal(pl->slots[1].pid, 201);
	assert_int_equal(pl->slots[2].pid, 202);
	assert_int_equal(pl->slots[2].replacements, 0);
	/* Worker of slot 2 is killed with task 2: reaped (no exit event of
	 * its own), lost, then replaced. */
	ev(600, EV_REAP, 100, 151, O_POOL, 202, -9, 0, NULL);
	assert_int_equal(model_proc_by_pid(&m, 202)->exit_code, -9);
	assert_int_equal(model_proc_by_pid(&m, 202)->life, LIFE_REAPED);
	ev(601, EV_LOST, 100, 151, O_POOL, 2, 202, 9, "task 2 lost");
	ev(602, EV_SPAWN, 203, 0, O_POOL, 100, ROLE_WORKER, 4, "worker-4");
	ev(603, EV_TASK_START, 203, 0, O_POOL, 4, 4, 2, NULL);
	ev(1000, EV_TASK_END, 200, 0, O_POOL, 3, 0, 1, "ValueError: bad 3");

	assert_int_equal(pl->slots[2].pid, 203);
	assert_int_equal(pl->slots[2].replacements, 1);
	assert_int_equal(pl->slots[2].replaced_pid[0], 202);
	assert_int_equal(pl->slots[2].replaced_ns[0], T0 + 603 * MS);
	assert_int_equal(pl->submitted, 5);
	assert_int_equal(pl->started, 5);
	assert_int_equal(pl->done, 2);
	assert_int_equal(pl->failed, 1);
	assert_int_equal(pl->lost, 1);
	assert_int_equal(pl->callbacks, 2);
	assert_int_equal(m.lost, 1);

	/* The timeline per slot, in id order. */
	int64_t want_slot0[] = { 1, 3 };
	int k = 0;
	for (size_t i = 0; i < m.ntasks; i++)
		if (m.tasks[i].slot == 0) {
			assert_true(k < 2);
			assert_int_equal(m.tasks[i].id, want_slot0[k++]);
		}
	assert_int_equal(k, 2);
	struct model_task *t2 = model_task_get(&m, 2);
	assert_int_equal(t2->state, TASK_LOST);
	assert_int_equal(t2->worker, 202);
	assert_int_equal(t2->start_ns, T0 + 11 * MS);
	assert_int_equal(t2->end_ns, T0 + 601 * MS);
	struct model_task *t3 = model_task_get(&m, 3);
	assert_int_equal(t3->state, TASK_FAILED);
	assert_string_equal(t3->error, "ValueError: bad 3");
	assert_int_equal(model_task_get(&m, 0)->result, 1000);
	assert_true(model_task_get(&m, 0)->callback_done);
	assert_null(model_task_get(&m, 99));
	assert_int_equal(model_proc_by_pid(&m, 100)->nthreads, 1);
	assert_int_equal(model_thread_by_tid(&m, 150)->role, TROLE_RESULT_HANDLER);
	ev(1100, EV_THREAD_END, 100, 150, O_POOL, TROLE_RESULT_HANDLER, 0, 0, NULL);
	assert_string_equal(last_log()->text,
	    "thread result-handler ended (tid 150)");
	assert_true(model_thread_by_tid(&m, 150)->ended);
}

static void
test_pipe_and_manager(void **state)
{
	(void)state;
	ev(0, EV_SEND, 100, 0, O_P, 0, 10, 0, "ping");
	ev(1, EV_RECV, 101, 0, O_P, 1, 10, 0, "ping");
	ev(2, EV_SEND, 101, 0, O_P, 1, 7, 0, "pong");
	ev(3, EV_SEND, 101, 0, O_P, 1, 7, 0, "pong");
	ev(4, EV_PIPE_CLOSE, 101, 0, O_P, 1, 0, 0, NULL);
	struct model_pipe *p = &model_obj_get(&m, O_P)->u.pipe;
	assert_int_equal(p->msgs[0], 1);
	assert_int_equal(p->msgs[1], 2);
	assert_int_equal(p->bytes[1], 14);
	assert_int_equal(p->rmsgs[1], 1);
	assert_int_equal(p->end_pids[0][0], 100);
	assert_int_equal(p->nend_pids[1], 1);
	assert_int_equal(p->end_pids[1][0], 101);
	assert_true(p->closed[1]);
	assert_false(p->closed[0]);
	assert_string_equal(last_log()->text, "close p.b");
	assert_int_equal(m.messages, 3);
	model_tick(&m, T0);
	model_tick(&m, T0 + 100 * MS);
	ev(150, EV_SEND, 101, 0, O_P, 1, 7, 0, "pong");
	model_tick(&m, T0 + 200 * MS);
	/* b->a: 2 sent before the first bucket closed, 3 after the second:
	 * 1 message in 0.1 s. */
	assert_int_equal(model_hist_at(&p->msgs_hist[1], 0), 2);
	assert_int_equal(model_hist_at(&p->msgs_hist[1], 1), 3);
	assert_true(fabs(model_hist_rate(&m, &p->msgs_hist[1], p->msgs[1], 1)
	    - 10.0) < 1e-9);
	assert_true(model_hist_rate(&m, &p->msgs_hist[0], p->msgs[0], 1) == 0.0);

	ev(5, EV_MGR_OP, 101, 0, O_MGR, MGR_DICT_SET, 1, 0, "k=v");
	ev(6, EV_MGR_OP, 101, 0, O_MGR, MGR_LIST_APPEND, 1, 0, "x");
	ev(7, EV_MGR_OP, 102, 0, O_MGR, MGR_LIST_APPEND, 2, 0, "y");
	struct model_mgr *g = &model_obj_get(&m, O_MGR)->u.mgr;
	assert_int_equal(g->ops, 3);
	assert_int_equal(g->dict_size, 1);
	assert_int_equal(g->list_size, 2);
}

static void
test_sample(void **state)
{
	(void)state;
	ev(0, EV_SPAWN, 100, 0, O_MAIN, 1, ROLE_MAIN, 0, "main");
	ev(1, EV_SPAWN, 101, 0, O_CHILD, 100, ROLE_PROCESS, 0, "child");
	ev(2, EV_SPAWN, 102, 0, O_CHILD, 100, ROLE_PROCESS, 0, "child2");
	struct proc_sample v[3] = {
		{ .pid = 100, .ppid = 1, .pgid = 100, .state = 'S', .comm = "main",
		  .start_ticks = 50, .ticks = 7, .rss_kib = 900, .nthreads = 2,
		  .pcpu = NAN },
		{ .pid = 101, .ppid = 100, .pgid = 100, .state = 'R',
		  .comm = "child", .start_ticks = 51, .rss_kib = 800,
		  .nthreads = 1, .pcpu = 97.5 },
		{ .pid = 102, .ppid = 100, .pgid = 100, .state = 'Z',
		  .comm = "child2", .start_ticks = 52, .pcpu = 0 },
	};
	struct proc_snapshot s = { .v = v, .n = 3, .mono_ns = T0 };
	model_sample(&m, &s);
	struct model_proc *p0 = model_proc_by_pid(&m, 100);
	struct model_proc *p1 = model_proc_by_pid(&m, 101);
	struct model_proc *p2 = model_proc_by_pid(&m, 102);
	assert_int_equal(p0->state, 'S');
	assert_true(isnan(p0->pcpu));
	assert_int_equal(p0->nlwp, 2);
	assert_int_equal(p0->start_ticks, 50);
	assert_true(p1->pcpu > 97.0);
	assert_int_equal(p2->state, 'Z');
	assert_true(p2->in_proc);

	/* 101 is gone and its pid reused by a stranger (other start time):
	 * not merged. 102 exits and is reaped: absent -> reaped. */
	ev(10, EV_EXIT, 102, 0, O_CHILD, 0, 0, 0, NULL);
	v[1].start_ticks = 99;
	v[1].state = 'S';
	s.n = 2;
	model_sample(&m, &s);
	assert_int_equal(p1->state, 'R');
	assert_false(p1->in_proc);
	assert_int_equal(p2->life, LIFE_REAPED);
	pid_t live[4];
	assert_int_equal(model_live_pids(&m, live, 4), 2);
}

static void
test_tree(void **state)
{
	(void)state;
	ev(0, EV_SPAWN, 100, 0, O_MAIN, 1, ROLE_MAIN, 0, "main");
	ev(1, EV_SPAWN, 101, 0, O_CHILD, 100, ROLE_PROCESS, 0, "a");
	ev(2, EV_SPAWN, 102, 0, O_CHILD, 100, ROLE_PROCESS, 0, "b");
	ev(3, EV_SPAWN, 103, 0, O_CHILD, 101, ROLE_PROCESS, 0, "a1");
	ev(4, EV_THREAD_START, 100, 110, -1, TROLE_USER, 0, 0, "t");
	struct model_tree_row r[8];
	size_t n = model_tree(&m, TREE_ALL_THREADS, r, 8);
	assert_int_equal(n, 5);
	/* main, its thread, a, a1, b */
	assert_int_equal(r[0].proc, 0); assert_int_equal(r[0].depth, 0);
	assert_int_equal(r[1].proc, 0); assert_int_equal(r[1].thread, 0);
	assert_int_equal(r[1].depth, 1);
	assert_false(r[1].last_mask & 2);          /* children follow */
	assert_int_equal(r[2].proc, 1); assert_int_equal(r[2].depth, 1);
	assert_false(r[2].last_mask & 2);          /* b follows a */
	assert_int_equal(r[3].proc, 3); assert_int_equal(r[3].depth, 2);
	assert_true(r[3].last_mask & 4);
	assert_int_equal(r[4].proc, 2); assert_int_equal(r[4].depth, 1);
	assert_true(r[4].last_mask & 2);
	/* Without threads; and a short buffer still counts every row. */
	assert_int_equal(model_tree(&m, TREE_NO_THREADS, r, 2), 4);
	/* Ended threads go from the live view only. */
	ev(5, EV_THREAD_START, 100, 111, -1, TROLE_USER, 0, 0, "t2");
	ev(6, EV_THREAD_END, 100, 110, -1, TROLE_USER, 0, 0, NULL);
	assert_int_equal(model_tree(&m, TREE_ALL_THREADS, r, 8), 6);
	assert_int_equal(model_tree(&m, TREE_LIVE_THREADS, r, 8), 5);
	assert_int_equal(r[1].thread, 1);          /* t2, not the ended t */
}

static void
test_log(void **state)
{
	(void)state;
	char txt[32];
	for (int i = 0; i < MODEL_LOG_MAX + 10; i++) {
		snprintf(txt, sizeof(txt), "line %d", i);
		ev(i, EV_PRINT, 100, 0, -1, 0, 0, 0, txt);
	}
	ev(MODEL_LOG_MAX + 10, EV_ERROR, 100, 0, -1, 0, 0, 0,
	    "ValueError: Pool is still running");
	assert_int_equal(model_log_count(&m), MODEL_LOG_MAX);
	assert_int_equal(model_log_at(&m, 0)->seq, 12);
	assert_string_equal(model_log_at(&m, 0)->text, "line 11");
	assert_null(model_log_at(&m, MODEL_LOG_MAX));
	const struct model_log_entry *e = last_log();
	assert_string_equal(e->text,
	    "uncaught error: ValueError: Pool is still running");
	assert_true(e->alert);
	assert_true(model_log_match(e, LOGC_ALL, "pool is STILL"));
	assert_false(model_log_match(e, LOGC_POOL, NULL));
	assert_true(model_log_match(e, LOGC_OUT, "100"));
	assert_false(model_log_match(e, LOGC_ALL, "nope"));
	assert_int_equal(m.prints, MODEL_LOG_MAX + 10);
	assert_int_equal(m.errors, 1);

	ev(MODEL_LOG_MAX + 11, EV_DEADLOCK, 0, 0, -1, 0, 0, 0,
	    "main waits get q; nobody can put");
	ev(MODEL_LOG_MAX + 12, EV_END, 0, 0, -1, 1, 0, 0, NULL);
	assert_true(m.deadlock);
	assert_true(m.ended);
	assert_int_equal(m.end_status, 1);
	assert_string_equal(m.reason, "main waits get q; nobody can put");
}

static void
test_actors(void **state)
{
	(void)state;
	ev(0, EV_SPAWN, 100, 0, O_MAIN, 1, ROLE_MAIN, 0, "main");
	ev(1, EV_SPAWN, 101, 0, O_CHILD, 100, ROLE_PROCESS, 0, "c");
	ev(2, EV_THREAD_START, 100, 110, -1, TROLE_USER, 0, 0, "t");
	struct shared sh;
	memset(&sh, 0, sizeof(sh));
	struct shared_actor act[3];
	memset(act, 0, sizeof(act));
	sh.actors = act;
	sh.nactors = 3;
	act[0].state = ACT_SLEEPING; act[0].pid = 100; act[0].tid = 100;
	act[0].since_ns = T0 + 100 * MS; act[0].step = 4; act[0].func = O_MAIN;
	act[0].task = -1;
	act[1].state = ACT_BLOCKED; act[1].pid = 101; act[1].tid = 101;
	act[1].wait_obj = O_Q; act[1].wait_op = WAIT_GET; act[1].wait_peer = -1;
	act[1].since_ns = T0; act[1].task = -1;
	act[2].state = ACT_BUSY; act[2].pid = 100; act[2].tid = 110;
	act[2].is_thread = 1; act[2].since_ns = T0; act[2].task = -1;
	union shared_obj so[O_NOBJS];
	memset(so, 0, sizeof(so));
	sh.objs = so;
	sh.nobjs = O_NOBJS;
	ev(3, EV_SPAWN, 300, 0, O_POOL, 100, ROLE_WORKER, 1, "worker-1");
	ev(4, EV_SPAWN, 301, 0, O_POOL, 100, ROLE_WORKER, 2, "worker-2");
	so[O_POOL].pool.worker_pid[0] = 301;
	so[O_POOL].pool.worker_pid[2] = 300;
	model_sync_shared(&m, &sh);
	struct model_pool *pl = &model_obj_get(&m, O_POOL)->u.pool;
	assert_int_equal(pl->slots[0].pid, 301);
	assert_int_equal(pl->slots[1].pid, 0);
	assert_int_equal(pl->slots[2].pid, 300);
	assert_int_equal(pl->slots[2].since_ns, T0 + 3 * MS);
	char buf[64];
	model_doing_text(&m, &model_proc_by_pid(&m, 100)->doing, T0 + 350 * MS,
	    buf, sizeof(buf));
	assert_string_equal(buf, "sleep 0.2s");
	assert_int_equal(model_proc_by_pid(&m, 100)->doing.step, 4);
	model_doing_text(&m, &model_proc_by_pid(&m, 101)->doing, T0 + 1200 * MS,
	    buf, sizeof(buf));
	assert_string_equal(buf, "get q, blocked 1.2s");
	assert_int_equal(model_blocked_on(&m, O_Q, WAIT_GET), 1);
	assert_int_equal(model_thread_by_tid(&m, 110)->doing.what, DOING_BUSY);
}

static void
test_end_and_orphans(void **state)
{
	(void)state;
	ev(0, EV_SPAWN, 100, 0, O_MAIN, 1, ROLE_MAIN, 0, "main");
	ev(1, EV_SPAWN, 101, 0, O_CHILD, 100, ROLE_PROCESS, 0, "alice");
	ev(2, EV_BLOCK, 101, 0, O_Q, WAIT_GET, -1, 0, NULL);
	/* A worker killed before it could report its spawn. */
	ev(3, EV_EXIT, 250, 0, O_POOL, -15, 15, 0, NULL);
	ev(3, EV_REAP, 100, 0, O_POOL, 250, -15, 0, NULL);
	struct model_proc *w = model_proc_by_pid(&m, 250);
	assert_int_equal(w->role, ROLE_WORKER);
	assert_string_equal(w->name, "worker");
	assert_int_equal(w->ppid, 100);
	assert_int_equal(w->life, LIFE_REAPED);
	/* The run ends with main and alice still there. */
	model_end(&m, T0 + 3000 * MS);
	struct model_proc *a = model_proc_by_pid(&m, 101);
	assert_true(a->stopped_at_end);
	assert_int_equal(a->life, LIFE_REAPED);
	assert_int_equal(a->doing.what, DOING_BLOCKED);   /* kept */
	assert_true(model_proc_by_pid(&m, 100)->stopped_at_end);
	assert_false(w->stopped_at_end);
	pid_t live[4];
	assert_int_equal(model_live_pids(&m, live, 4), 0);
	assert_int_equal(model_blocked_on(&m, O_Q, WAIT_GET), 0);
}

static void
test_clock(void **state)
{
	(void)state;
	model_set_start(&m, T0);
	assert_int_equal(model_scen(&m, T0 + 500 * MS), 500 * MS);  /* no marks */
	model_clock_mark(&m, T0, 2.0);                 /* speed 2 */
	model_clock_mark(&m, T0 + 1000 * MS, 0);       /* paused at 2 s */
	model_clock_mark(&m, T0 + 3000 * MS, 2.0);     /* resumed */
	model_clock_mark(&m, T0 + 4000 * MS, 4.0);     /* faster at 4 s */
	assert_int_equal(model_scen(&m, T0 + 500 * MS), 1000 * MS);
	assert_int_equal(model_scen(&m, T0 + 2000 * MS), 2000 * MS);
	assert_int_equal(model_scen(&m, T0 + 3500 * MS), 3000 * MS);
	assert_int_equal(model_scen(&m, T0 + 4500 * MS), 6000 * MS);
	/* "blocked 4.0s" of scenario time over 1.5 s real across the pause. */
	ev(0, EV_SPAWN, 100, 0, O_MAIN, 1, ROLE_MAIN, 0, "main");
	ev(2500, EV_BLOCK, 100, 0, O_Q, WAIT_GET, -1, 0, NULL);
	char buf[64];
	model_doing_text(&m, &model_proc_by_pid(&m, 100)->doing, T0 + 4500 * MS,
	    buf, sizeof(buf));
	assert_string_equal(buf, "get q, blocked 4.0s");
}

static void
test_reset(void **state)
{
	(void)state;
	ev(0, EV_SPAWN, 100, 0, O_MAIN, 1, ROLE_MAIN, 0, "main");
	ev(1, EV_PUT, 100, 0, O_Q, 1, 1, 0, "x");
	model_reset(&m);
	assert_int_equal(m.nprocs, 0);
	assert_int_equal(model_log_count(&m), 0);
	assert_int_equal(model_obj_get(&m, O_Q)->u.q.puts, 0);
	assert_int_equal(model_obj_get(&m, O_Q)->u.q.maxsize, 2);
	assert_null(model_proc_by_pid(&m, 100));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_life, setup, teardown),
		cmocka_unit_test_setup_teardown(test_queue, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pool, setup, teardown),
		cmocka_unit_test_setup_teardown(test_pipe_and_manager, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sample, setup, teardown),
		cmocka_unit_test_setup_teardown(test_tree, setup, teardown),
		cmocka_unit_test_setup_teardown(test_log, setup, teardown),
		cmocka_unit_test_setup_teardown(test_actors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_end_and_orphans, setup, teardown),
		cmocka_unit_test_setup_teardown(test_clock, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reset, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
