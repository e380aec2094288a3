/* The watch dashboard's model: events found by diffing snapshots, blocked
 * durations, fill rates, the tree order, frozen frames, the log ring. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "watch/wmodel.h"

/* A snapshot under construction (arrays malloc'd: the model takes them). */
static struct watch_snapshot
snap(double t, pid_t root)
{
	struct watch_snapshot s;
	memset(&s, 0, sizeof(s));
	s.t = t;
	s.root = root;
	return s;
}

static void
proc(struct watch_snapshot *s, pid_t pid, pid_t ppid, uint64_t start,
    enum watch_role role, char state, int exit_status)
{
	s->procs = realloc(s->procs, (s->nprocs + 1) * sizeof(*s->procs));
	struct watch_proc *p = &s->procs[s->nprocs++];
	memset(p, 0, sizeof(*p));
	p->pid = pid;
	p->ppid = ppid;
	p->start = start;
	p->role = role;
	p->state = state;
	p->exit_status = exit_status;
	snprintf(p->name, sizeof(p->name), "p%d", (int)pid);
}

static void
edge(struct watch_snapshot *s, unsigned long ino, pid_t fp, int ffd, pid_t tp,
    int tfd, long fill, long delta)
{
	s->edges = realloc(s->edges, (s->nedges + 1) * sizeof(*s->edges));
	struct watch_edge *e = &s->edges[s->nedges++];
	memset(e, 0, sizeof(*e));
	e->kind = WATCH_EDGE_PIPE;
	e->inode = ino;
	e->from = (struct watch_end){ fp, ffd };
	e->to = (struct watch_end){ tp, tfd };
	e->fill = fill;
	e->capacity = 65536;
	e->fill_delta = delta;
}

static void
blocked(struct watch_snapshot *s, pid_t pid, const char *op, int fd,
    unsigned long ino, pid_t other, int timed)
{
	s->blocked = realloc(s->blocked, (s->nblocked + 1) * sizeof(*s->blocked));
	struct watch_blocked *b = &s->blocked[s->nblocked++];
	memset(b, 0, sizeof(*b));
	b->pid = b->tid = pid;
	snprintf(b->op, sizeof(b->op), "%s", op);
	b->fd = fd;
	b->inode = ino;
	b->kind = WATCH_EDGE_PIPE;
	b->timed = timed;
	b->others[0] = other;
	b->nothers = 1;
	snprintf(b->text, sizeof(b->text), "%d blocked %sing pipe:[%lu], by %d",
	    (int)pid, op, ino, (int)other);
}

static void
cycle(struct watch_snapshot *s, pid_t a, pid_t b)
{
	s->cycles = realloc(s->cycles, (s->ncycles + 1) * sizeof(*s->cycles));
	struct watch_cycle *c = &s->cycles[s->ncycles++];
	memset(c, 0, sizeof(*c));
	c->pids[0] = a;
	c->pids[1] = b;
	c->n = 2;
	snprintf(c->text, sizeof(c->text), "likely deadlock: %d waits for %d "
	    "waits for %d", (int)a, (int)b, (int)a);
}

/* The texts logged since entry 'from', one per line. */
static char *
log_since(const struct wmodel *m, uint64_t from, int *count)
{
	static char buf[8192];
	buf[0] = '\0';
	*count = 0;
	for (size_t i = 0; i < wmodel_log_count(m); i++) {
		const struct wmodel_event *e = wmodel_log_at(m, i);
		if (e->seq < from)
			continue;
		size_t n = strlen(buf);
		snprintf(buf + n, sizeof(buf) - n, "%s|%s\n",
		    wmodel_ev_kind_name(e->kind), e->text);
		(*count)++;
	}
	return buf;
}

static void
test_diff_sequence(void **state)
{
	(void)state;
	struct wmodel m;
	wmodel_init(&m);
	int n;
	char *l;

	/* 1: the root and one child. */
	struct watch_snapshot s = snap(0, 100);
	proc(&s, 100, 1, 1000, WATCH_ROLE_MAIN, 'S', -1);
	proc(&s, 101, 100, 1001, WATCH_ROLE_PROCESS, 'S', -1);
	wmodel_update(&m, &s);
	assert_null(s.procs);                  /* moved into the model */
	l = log_since(&m, 0, &n);
	assert_int_equal(n, 3);
	assert_non_null(strstr(l, "process|100 p100 (main): watching"));
	assert_non_null(strstr(l, "process|101 p101 (process) appeared, child of 100"));
	assert_non_null(strstr(l, "note|first look: 2 processes"));
	assert_int_equal(m.cur.seq, 1);

	/* 2: a new worker, a pipe to both children, a blocked reader. */
	uint64_t mark = m.log_seq;
	s = snap(0.5, 100);
	proc(&s, 100, 1, 1000, WATCH_ROLE_MAIN, 'S', -1);
	proc(&s, 101, 100, 1001, WATCH_ROLE_PROCESS, 'S', -1);
	proc(&s, 102, 100, 1002, WATCH_ROLE_POOL_WORKER, 'R', -1);
	edge(&s, 500, 100, 4, 101, 3, 1000, 1000);
	edge(&s, 500, 100, 4, 102, 3, 1000, 1000);
	blocked(&s, 101, "read", 3, 500, 100, 0);
	blocked(&s, 100, "poll", 7, 501, 101, 1);        /* timed: no event */
	wmodel_update(&m, &s);
	l = log_since(&m, mark, &n);
	assert_int_equal(n, 3);
	assert_non_null(strstr(l, "process|102 p102 (pool worker) appeared"));
	assert_non_null(strstr(l, "edge|new pipe:[500]: 100:4 -> 101:3,102:3\n"));
	assert_non_null(strstr(l, "blocked|101 blocked reading pipe:[500], by 100"));
	assert_true(m.cur.edge_rate[0] > 1999 && m.cur.edge_rate[0] < 2001);
	assert_true(m.cur.blocked_since[0] == 0.5);
	char buf[128];
	assert_true(wmodel_blocked_text(&m.cur, 101, buf, sizeof(buf)));
	assert_string_equal(buf, "reading pipe:[500] from 100");
	assert_true(wmodel_blocked_text(&m.cur, 100, buf, sizeof(buf)));
	assert_string_equal(buf, "polling pipe:[501] from 101 (timed)");
	assert_false(wmodel_blocked_text(&m.cur, 102, buf, sizeof(buf)));

	/* 3: 101 recognised, 102 killed, its end closed, a cycle. */
	mark = m.log_seq;
	s = snap(1.0, 100);
	proc(&s, 100, 1, 1000, WATCH_ROLE_MAIN, 'S', -1);
	proc(&s, 101, 100, 1001, WATCH_ROLE_POOL_WORKER, 'S', -1);
	proc(&s, 102, 100, 1002, WATCH_ROLE_POOL_WORKER, 'X', 137);
	edge(&s, 500, 100, 4, 101, 3, 1000, 0);
	blocked(&s, 101, "read", 3, 500, 100, 0);
	cycle(&s, 100, 101);
	wmodel_update(&m, &s);
	l = log_since(&m, mark, &n);
	assert_int_equal(n, 4);
	assert_non_null(strstr(l, "role|101 p101 recognised as pool worker"));
	assert_non_null(strstr(l, "exit|102 p102 exited, status 137 (SIGKILL)"));
	assert_non_null(strstr(l, "closed|ends closed on pipe:[500]: 100:4 -> 102:3\n"));
	assert_non_null(strstr(l, "deadlock|LIKELY DEADLOCK: 100 waits for 101 waits for 100"));
	assert_true(m.cur.blocked_since[0] == 0.5);     /* the same wait */
	assert_true(m.cur.edge_rate[0] == 0);

	/* A frozen copy is independent of later updates. */
	struct wmodel_frame frozen;
	wmodel_frame_copy(&frozen, &m.cur);

	/* 4: 101 vanished (no exit seen), the pipe gone, the cycle gone; a
	 * reused pid 102 is a new process. */
	mark = m.log_seq;
	s = snap(1.5, 100);
	proc(&s, 100, 1, 1000, WATCH_ROLE_MAIN, 'S', -1);
	proc(&s, 102, 100, 2002, WATCH_ROLE_PROCESS, 'S', -1);
	wmodel_update(&m, &s);
	l = log_since(&m, mark, &n);
	assert_int_equal(n, 4);
	assert_non_null(strstr(l, "process|102 p102 (process) appeared"));
	assert_non_null(strstr(l, "exit|101 p101 exited, status unknown"));
	assert_non_null(strstr(l, "closed|closed pipe:[500]: 100:4 -> 101:3\n"));
	assert_non_null(strstr(l, "ok|wait-for cycle gone"));
	assert_null(strstr(l, "unblocked"));   /* it exited instead */
	assert_null(wmodel_proc(&m.cur, 102, 1002));
	assert_non_null(wmodel_proc(&m.cur, 102, 2002));

	assert_int_equal(frozen.s.nprocs, 3);
	assert_int_equal(frozen.s.ncycles, 1);
	assert_true(frozen.log_upto <= mark);
	wmodel_frame_clear(&frozen);
	wmodel_free(&m);
}

static void
test_unblocked(void **state)
{
	(void)state;
	struct wmodel m;
	wmodel_init(&m);
	struct watch_snapshot s = snap(0, 10);
	proc(&s, 10, 1, 5, WATCH_ROLE_MAIN, 'S', -1);
	blocked(&s, 10, "write", 4, 77, 11, 0);
	wmodel_update(&m, &s);
	uint64_t mark = m.log_seq;
	s = snap(0.1, 10);
	proc(&s, 10, 1, 5, WATCH_ROLE_MAIN, 'R', -1);
	wmodel_update(&m, &s);
	int n;
	char *l = log_since(&m, mark, &n);
	assert_int_equal(n, 1);
	assert_string_equal(l, "unblocked|10 no longer writing pipe:[77] to 11\n");
	wmodel_free(&m);
}

static void
test_tree_order(void **state)
{
	(void)state;
	struct wmodel m;
	wmodel_init(&m);
	/* root 10 with children 11 (child 13) and 12; orphan 20 (parent 1). */
	struct watch_snapshot s = snap(0, 10);
	proc(&s, 10, 1, 1, WATCH_ROLE_MAIN, 'S', -1);
	proc(&s, 11, 10, 1, WATCH_ROLE_PROCESS, 'S', -1);
	proc(&s, 12, 10, 1, WATCH_ROLE_PROCESS, 'S', -1);
	proc(&s, 13, 11, 1, WATCH_ROLE_PROCESS, 'S', -1);
	proc(&s, 20, 1, 1, WATCH_ROLE_PROCESS, 'S', -1);
	wmodel_update(&m, &s);
	struct wmodel_row rows[2];
	assert_int_equal(wmodel_tree(&m.cur, rows, 2), 5);   /* too small */
	struct wmodel_row all[8];
	assert_int_equal(wmodel_tree(&m.cur, all, 8), 5);
	static const pid_t order[] = { 10, 11, 13, 12, 20 };
	static const int depth[] = { 0, 1, 2, 1, 1 };
	for (int i = 0; i < 5; i++) {
		assert_int_equal(m.cur.s.procs[all[i].proc].pid, order[i]);
		assert_int_equal(all[i].depth, depth[i]);
	}
	/* 11 is not its parent's last child, 12 is; 13 is 11's last. */
	assert_false(all[1].last_mask & (1u << 1));
	assert_true(all[2].last_mask & (1u << 2));
	assert_true(all[3].last_mask & (1u << 1));
	wmodel_free(&m);
}

static void
test_log_ring(void **state)
{
	(void)state;
	struct wmodel m;
	wmodel_init(&m);
	for (int i = 0; i < WMODEL_LOG_MAX + 10; i++)
		wmodel_note(&m, i, 0, "note %d", i);
	assert_int_equal(wmodel_log_count(&m), WMODEL_LOG_MAX);
	assert_string_equal(wmodel_log_at(&m, 0)->text, "note 10");
	assert_int_equal(wmodel_log_at(&m, 0)->seq, 10);
	char want[32];
	snprintf(want, sizeof(want), "note %d", WMODEL_LOG_MAX + 9);
	assert_string_equal(wmodel_log_at(&m, WMODEL_LOG_MAX - 1)->text, want);
	wmodel_free(&m);
}

static void
test_exit_text(void **state)
{
	(void)state;
	struct watch_proc p;
	memset(&p, 0, sizeof(p));
	char b[64];
	p.state = 'Z';
	p.exit_status = 1;
	wmodel_exit_text(&p, b, sizeof(b));
	assert_string_equal(b, "exited (zombie), status 1");
	p.state = 'X';
	p.exit_status = 143;
	wmodel_exit_text(&p, b, sizeof(b));
	assert_string_equal(b, "exited, status 143 (SIGTERM)");
	p.exit_status = -1;
	wmodel_exit_text(&p, b, sizeof(b));
	assert_string_equal(b, "exited, status unknown");
	assert_string_equal(wmodel_role_label(WATCH_ROLE_POOL_WORKER), "pool worker");
	assert_string_equal(wmodel_role_label(WATCH_ROLE_RESOURCE_TRACKER),
	    "resource tracker");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_diff_sequence),
		cmocka_unit_test(test_unblocked),
		cmocka_unit_test(test_tree_order),
		cmocka_unit_test(test_log_ring),
		cmocka_unit_test(test_exit_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
