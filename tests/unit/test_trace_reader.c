/* The trace reader: every kind written by jsonl.c reads back the same;
 * corrupt lines, a newer version, truncation and time going backwards are
 * reported with the line; replay seeks land on the same state as applying
 * the events in order. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"
#include "trace/jsonl.h"
#include "trace/reader.h"
#include "trace/replay.h"

#define HDR "{\"format\":\"ipcscope-trace\",\"version\":1,\"speed\":20," \
	"\"timeout\":60.0,\"title\":\"t\",\"objects\":[{\"name\":\"q\",\"kind\":\"queue\"}," \
	"{\"name\":\"conn\",\"kind\":\"pipe\"},{\"name\":\"pool\",\"kind\":\"pool\"}," \
	"{\"name\":\"main\",\"kind\":\"function\"}]}\n"
#define END "{\"t\":0.5,\"pid\":1,\"ev\":\"end\",\"tid\":1,\"status\":0,\"state\":\"finished\"}\n"

static struct trace *
open_str(const char *s, char *err)
{
	err[0] = '\0';
	return trace_open_buffer("x.jsonl", s, strlen(s), err, TRACE_ERR_SIZE);
}

static void
test_reader_errors(void **state)
{
	char err[TRACE_ERR_SIZE];
	static const struct { const char *text, *want; } bad[] = {
		{ "", "x.jsonl:1: error: empty file" },
		{ "hello\n", "x.jsonl:1: error: not an ipcscope trace" },
		{ "{\"format\":\"other\",\"version\":1}\n", "x.jsonl:1: error: not an ipcscope trace" },
		{ "{\"format\":\"ipcscope-trace\",\"version\":2}\n",
		  "x.jsonl:1: error: trace format version 2 is newer" },
		{ HDR "{\"t\":0.1,\"pid\":5,\"ev\":\"print\",\"text\":\"a\"}\n{\"t\":0.2,\"pid\":5,\n" END,
		  "x.jsonl:3: error: not JSON" },
		{ HDR "{\"t\":0.1,\"ev\":\"print\"}\n" END, "x.jsonl:2: error: missing \"pid\"" },
		{ HDR "{\"t\":0.1,\"pid\":5,\"ev\":\"dance\"}\n" END,
		  "x.jsonl:2: error: unknown event kind \"dance\"" },
		{ HDR "{\"t\":0.1,\"pid\":5,\"ev\":\"put\",\"queue\":\"q\",\"depth\":\"x\"}\n" END,
		  "x.jsonl:2: error: \"depth\" is not an integer" },
		{ HDR "{\"t\":0.1,\"pid\":5,\"ev\":\"block\",\"queue\":\"q\",\"wait\":\"nap\"}\n" END,
		  "x.jsonl:2: error: unknown \"wait\" value" },
		{ HDR "{\"t\":0.3,\"pid\":5,\"ev\":\"print\"}\n{\"t\":0.2,\"pid\":5,\"ev\":\"print\"}\n" END,
		  "x.jsonl:3: error: \"t\" goes backwards" },
		{ HDR "[1,2]\n" END, "x.jsonl:2: error: not a JSON object" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct trace *t = open_str(bad[i].text, err);
		if (t)
			fail_msg("case %zu was accepted", i);
		if (strncmp(err, bad[i].want, strlen(bad[i].want)) != 0)
			fail_msg("case %zu: got '%s', want '%s...'", i, err, bad[i].want);
	}
}

static void
test_reader_truncated(void **state)
{
	char err[TRACE_ERR_SIZE];
	/* The writer died mid-line: the whole lines are kept, with a warning. */
	struct trace *t = open_str(HDR "{\"t\":0.1,\"pid\":5,\"ev\":\"print\",\"text\":\"a\"}\n"
	    "{\"t\":0.2,\"pid\":5,\"ev\":\"pri", err);
	assert_non_null(t);
	assert_int_equal(t->nev, 1);
	assert_true(t->truncated);
	assert_non_null(strstr(t->warning, "x.jsonl:3: warning: the last line is incomplete"));
	trace_free(t);
	/* Whole lines but no end event. */
	t = open_str(HDR "{\"t\":0.1,\"pid\":5,\"ev\":\"print\",\"text\":\"a\"}\n", err);
	assert_non_null(t);
	assert_true(t->truncated);
	assert_non_null(strstr(t->warning, "no \"end\" event"));
	trace_free(t);
	/* A complete one. */
	t = open_str(HDR END, err);
	assert_non_null(t);
	assert_false(t->truncated);
	assert_string_equal(t->warning, "");
	assert_int_equal(t->nev, 1);
	trace_free(t);
}

static void
test_reader_header_and_new_names(void **state)
{
	char err[TRACE_ERR_SIZE];
	struct trace *t = open_str(HDR
	    "{\"t\":0.1,\"pid\":5,\"ev\":\"put\",\"queue\":\"late\",\"depth\":1,\"bytes\":3,"
	    "\"text\":\"h\\u00e9\\n\",\"future_field\":[1,{\"x\":2}]}\n" END, err);
	assert_non_null(t);
	assert_int_equal(t->version, 1);
	assert_true(t->speed == 20.0);
	assert_string_equal(t->sc.title, "t");
	/* The header's four objects, then the one met in an event. */
	assert_int_equal(t->sc.nobjs, 5);
	assert_string_equal(t->sc.objs[4].name, "late");
	assert_int_equal(t->sc.objs[4].kind, SC_QUEUE);
	assert_int_equal(t->ev[0].obj, 4);
	assert_string_equal(t->ev[0].text, "h\xc3\xa9\n");
	assert_int_equal(t->ev[0].text_len, 4);
	assert_int_equal(t->ev[0].t_ns, 100000000);
	trace_free(t);
	/* A NUL in a text ends it there. */
	t = open_str(HDR "{\"t\":0.1,\"pid\":5,\"ev\":\"print\",\"text\":\"a\\u0000b\"}\n" END, err);
	assert_non_null(t);
	assert_string_equal(t->ev[0].text, "a");
	assert_int_equal(t->ev[0].text_len, 1);
	trace_free(t);
}

/* Every kind through the writer and back. */
static void
test_reader_round_trip(void **state)
{
	struct scenario sc = { 0 };
	struct sc_object objs[4] = {
		{ .kind = SC_QUEUE, .name = "q" }, { .kind = SC_PIPE, .name = "conn" },
		{ .kind = SC_POOL, .name = "pool" }, { .kind = SC_MANAGER, .name = "mgr" },
	};
	sc.objs = objs;
	sc.nobjs = 4;
	char title[] = "round trip";
	sc.title = title;
	sc.timeout_ns = 60000000000LL;
	static const struct event evs[] = {
		{ 1000, 10, 10, EV_SPAWN, -1, 9, ROLE_MAIN, 0, 4, "main" },
		{ 2000, 10, 11, EV_THREAD_START, -1, TROLE_RESULT_HANDLER, 0, 0, 3, "h r" },
		{ 3000, 10, 10, EV_PUT, 0, 1, 5, 0, 5, "hello" },
		{ 4000, 10, 10, EV_BLOCK, 0, WAIT_GET, 12, 1, 0, NULL },
		{ 5000, 10, 10, EV_UNBLOCK, 0, WAIT_GET, OUT_TIMEOUT, 0, 0, NULL },
		{ 6000, 10, 10, EV_GET, 0, 0, 5, 0, 5, "hello" },
		{ 7000, 10, 10, EV_SEND, 1, 1, 2, 0, 2, "hi" },
		{ 8000, 10, 10, EV_RECV, 1, 0, 2, 0, 2, "hi" },
		{ 9000, 10, 10, EV_PIPE_CLOSE, 1, 1, 0, 0, 0, NULL },
		{ 10000, 10, 10, EV_MGR_OP, 3, MGR_LIST_APPEND, 2, 0, 1, "x" },
		{ 11000, 10, 10, EV_SUBMIT, 2, 7, 3, CALL_MAP_ASYNC, 0, NULL },
		{ 12000, 12, 12, EV_TASK_START, 2, 7, 3, 1, 0, NULL },
		{ 13000, 12, 12, EV_TASK_END, 2, 7, -1, 1, 13, "ValueError: x" },
		{ 14000, 10, 11, EV_CALLBACK, 2, 7, 0, 1, 13, "ValueError: x" },
		{ 15000, 10, 10, EV_RESULT, 2, 7, 1003, 0, 4, "1003" },
		{ 16000, 10, 10, EV_POOL, 2, POOL_TERMINATE, 0, 0, 0, NULL },
		{ 17000, 10, 10, EV_LOST, 2, 8, 12, 9, 0, NULL },
		{ 18000, 10, 10, EV_PRINT, -1, 0, 0, 0, 2, "p\"" },
		{ 19000, 10, 10, EV_ERROR, -1, 1, 0, 0, 4, "E: m" },
		{ 20000, 9, 9, EV_SIGNAL, -1, 12, 15, 0, 0, NULL },
		{ 20000, 9, 9, EV_DEADLOCK, -1, 1, 0, 0, 5, "stuck" },
		{ 21000, 9, 9, EV_DEADLOCK, -1, 0, 0, 0, 5, "cycle" },
		{ 22000, 12, 12, EV_EXIT, -1, -9, 9, 0, 0, NULL },
		{ 23000, 10, 10, EV_REAP, -1, 12, 0, 0, 0, NULL },
		{ 24000, 10, 11, EV_THREAD_END, -1, TROLE_RESULT_HANDLER, 0, 0, 0, NULL },
		{ 25000, 9, 9, EV_END, -1, 1, 4, 0, 0, NULL },
	};
	size_t n = sizeof(evs) / sizeof(evs[0]);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	jsonl_write_header(f, &sc, 2.5);
	for (size_t i = 0; i < n; i++)
		jsonl_write_event(f, &sc, &evs[i]);
	fclose(f);

	char err[TRACE_ERR_SIZE];
	struct trace *t = trace_open_buffer("rt", buf, len, err, sizeof(err));
	if (!t)
		fail_msg("%s", err);
	assert_int_equal(t->nev, n);
	assert_false(t->truncated);
	for (size_t i = 0; i < n; i++) {
		const struct event *a = &evs[i], *b = &t->ev[i];
		if (a->t_ns != b->t_ns || a->pid != b->pid || a->tid != b->tid ||
		    a->kind != b->kind || a->obj != b->obj || a->a != b->a ||
		    a->b != b->b || a->c != b->c || a->text_len != b->text_len ||
		    (a->text && strcmp(a->text, b->text) != 0))
			fail_msg("event %zu (%s) differs: obj %d/%d a %lld/%lld b %lld/%lld "
			    "c %lld/%lld", i, event_kind_name(a->kind), a->obj, b->obj,
			    (long long)a->a, (long long)b->a, (long long)a->b,
			    (long long)b->b, (long long)a->c, (long long)b->c);
	}
	trace_free(t);
	free(buf);
}

/* A long trace of puts and gets: a seek anywhere (back, forward, through
 * snapshots) gives the depth and log of applying the events in order. */
static void
test_replay_seeks(void **state)
{
	const size_t n = 6 * (REPLAY_INTERVAL + MODEL_LOG_MAX) + 17;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	fputs(HDR, f);
	int64_t depth = 0;
	for (size_t i = 0; i < n; i++) {
		/* Depth walks up and down in waves. */
		int put = (i / 300) % 2 == 0 || depth == 0;
		depth += put ? 1 : -1;
		fprintf(f, "{\"t\":%zu.%06zu,\"pid\":5,\"ev\":\"%s\",\"tid\":5,\"queue\":\"q\","
		    "\"depth\":%lld,\"bytes\":1,\"text\":\"m%zu\"}\n", i / 1000,
		    (i % 1000) * 1000, put ? "put" : "get", (long long)depth, i);
	}
	fclose(f);
	char err[TRACE_ERR_SIZE];
	struct trace *t = trace_open_buffer("long", buf, len, err, sizeof(err));
	free(buf);
	if (!t)
		fail_msg("%s", err);
	assert_int_equal(t->nev, n);
	struct replay *r = replay_open(t);
	assert_true(r->nsnaps >= 3);

	static const size_t at[] = { 5, 9000, 100, 20000, 19999, 0, 3 * 8192 + 5, 49000, 30001,
		4096, 4097, 12000, 30000, 1 };
	for (size_t s = 0; s < sizeof(at) / sizeof(at[0]); s++) {
		size_t k = at[s] > n ? n : at[s];
		replay_seek(r, k);
		assert_int_equal(r->cur, k);
		/* The reference: a fresh model, events applied in order. */
		struct model m;
		model_init(&m, &t->sc);
		model_set_start(&m, REPLAY_BASE_NS);
		for (size_t i = 0; i < k; i++) {
			struct event e = t->ev[i];
			e.t_ns += REPLAY_BASE_NS;
			model_tick(&m, e.t_ns);
			model_apply(&m, &e);
		}
		assert_int_equal(r->model.objs[0].u.q.depth, m.objs[0].u.q.depth);
		assert_int_equal(r->model.objs[0].u.q.puts, m.objs[0].u.q.puts);
		assert_int_equal(r->model.objs[0].u.q.max_depth, m.objs[0].u.q.max_depth);
		assert_int_equal(r->model.nevents, m.nevents);
		assert_int_equal(model_log_count(&r->model), model_log_count(&m));
		for (size_t e = 0; e < model_log_count(&m); e++) {
			const struct model_log_entry *x = model_log_at(&r->model, e);
			const struct model_log_entry *y = model_log_at(&m, e);
			assert_int_equal(x->seq, y->seq);
			assert_string_equal(x->text, y->text);
		}
		const struct model_hist *hx = &r->model.objs[0].u.q.depth_hist;
		const struct model_hist *hy = &m.objs[0].u.q.depth_hist;
		assert_int_equal(hx->n, hy->n);
		for (int b = 0; b < hx->n; b++)
			assert_int_equal(model_hist_at(hx, b), model_hist_at(hy, b));
		model_free(&m);
	}
	/* By time: every event at or before t is applied. */
	replay_seek_time(r, 2500000000LL);
	assert_int_equal(r->cur, trace_index_after(t, 2500000000LL));
	assert_true(t->ev[r->cur - 1].t_ns <= 2500000000LL);
	assert_true(t->ev[r->cur].t_ns > 2500000000LL);
	replay_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reader_errors),
		cmocka_unit_test(test_reader_truncated),
		cmocka_unit_test(test_reader_header_and_new_names),
		cmocka_unit_test(test_reader_round_trip),
		cmocka_unit_test(test_replay_seeks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
