/* The headless printer: timeline lines with names, and the summary's
 * tallies (tasks at once, lost tasks, per-object counts). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "observe/printer.h"

static void
ev(struct printer *p, int64_t t, int pid, int tid, int kind, int obj,
    int64_t a, int64_t b, int64_t c, const char *text)
{
	struct event e = { .t_ns = t, .pid = pid, .tid = tid, .kind = (uint16_t)kind,
		.obj = obj, .a = a, .b = b, .c = c, .text = text,
		.text_len = text ? (uint32_t)strlen(text) : 0 };
	printer_event(p, &e);
}

static void
test_printer_timeline_and_summary(void **state)
{
	struct sc_object objs[3] = {
		{ .kind = SC_QUEUE, .name = "jobs" },
		{ .kind = SC_POOL, .name = "pool" },
		{ .kind = SC_PIPE, .name = "conn" },
	};
	char title[] = "t";
	struct scenario sc = { .title = title, .objs = objs, .nobjs = 3 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct printer *p = printer_new(&sc, f);

	ev(p, 1000, 10, 10, EV_SPAWN, -1, 1, ROLE_MAIN, 0, "main");
	ev(p, 2000, 11, 11, EV_SPAWN, 1, 10, ROLE_WORKER, 1, "worker-1");
	ev(p, 2500, 12, 12, EV_SPAWN, 1, 10, ROLE_WORKER, 2, "worker-2");
	ev(p, 3000, 10, 13, EV_THREAD_START, 1, TROLE_RESULT_HANDLER, 0, 0, "handle_results");
	ev(p, 4000, 10, 10, EV_PUT, 0, 1, 5, 0, "hel\nlo");
	ev(p, 5000, 11, 11, EV_TASK_START, 1, 0, 0, 0, NULL);
	ev(p, 5100, 12, 12, EV_TASK_START, 1, 1, 1, 1, NULL);
	ev(p, 6000, 11, 11, EV_TASK_END, 1, 0, 1000, 0, NULL);
	ev(p, 6100, 10, 13, EV_CALLBACK, 1, 0, 1000, 0, "1000");
	ev(p, 6500, 11, 11, EV_TASK_START, 1, 2, 2, 0, NULL);
	ev(p, 7000, 12, 12, EV_LOST, 1, 1, 12, 9, NULL);
	ev(p, 7100, 10, 10, EV_SEND, 2, 1, 3, 0, "abc");
	ev(p, 1234567000, 99, 99, EV_END, -1, 1, 5, 0, "timeout");
	fflush(f);

	assert_non_null(strstr(buf, "   0.000004      10 main            put          queue jobs 'hel\\nlo' depth=1\n"));
	assert_non_null(strstr(buf, "handle_results  callback     pool pool task 0 callback 1000\n"));
	assert_non_null(strstr(buf, "worker-2        lost         pool pool task 1 lost: worker pid 12 killed by SIGKILL\n"));
	assert_non_null(strstr(buf, "   1.234567      99 ipcscope        end"));

	const struct printer_counts *c = printer_counts(p);
	assert_int_equal(c->processes, 3);
	assert_int_equal(c->threads, 1);
	assert_int_equal(c->callbacks, 1);
	assert_int_equal(c->tasks_done, 1);
	assert_int_equal(c->tasks_lost, 1);
	assert_int_equal(c->max_tasks_running, 2);

	struct printer_end end = { .outcome = "timeout", .reason = "because", .status = 1,
		.wall_s = 1.5, .speed = 20, .ring_waits = 3 };
	printer_summary(p, f, &end);
	fclose(f);
	assert_non_null(strstr(buf, "-- t: timeout (exit status 1)\n   reason: because\n"));
	assert_non_null(strstr(buf, "queue jobs: 1 put, 0 got, 5 bytes\n"));
	assert_non_null(strstr(buf, "pipe conn: a->b 0 messages 0 bytes, b->a 1 messages 3 bytes\n"));
	assert_non_null(strstr(buf, "lost: task 1 of pool pool: worker pid 12 killed by SIGKILL\n"));
	assert_non_null(strstr(buf, "ring waits 3"));
	printer_free(p);
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_printer_timeline_and_summary),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
