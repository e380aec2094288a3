/* /proc sample records (trace format version 2): the writer, the recorder's
 * time order, the reader's side table and its errors (FILE:LINE), and the
 * replay's sample state at the cursor across seeks through snapshots. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/model.h"
#include "trace/jsonl.h"
#include "trace/reader.h"
#include "trace/record.h"
#include "trace/replay.h"

#define HDR "{\"format\":\"ipcscope-trace\",\"version\":2,\"speed\":1," \
	"\"timeout\":60.0,\"title\":\"t\",\"objects\":[{\"name\":\"main\",\"kind\":\"function\"}]}\n"
#define SPAWN(t, pid) "{\"t\":" t ",\"pid\":" pid ",\"ev\":\"spawn\",\"tid\":" pid \
	",\"ppid\":1,\"role\":\"process\",\"copy\":0,\"def\":\"main\",\"name\":\"p" pid "\"}\n"
#define END(t) "{\"t\":" t ",\"pid\":1,\"ev\":\"end\",\"tid\":1,\"status\":0,\"state\":\"finished\"}\n"

static struct trace *
open_str(const char *s, size_t len, char *err)
{
	err[0] = '\0';
	return trace_open_buffer("x.jsonl", s, len, err, TRACE_ERR_SIZE);
}

/* What jsonl_write_sample writes reads back the same. */
static void
test_sample_round_trip(void **state)
{
	struct proc_sample v[2] = {
		{ .pid = 10, .state = 'R', .rss_kib = 4200, .nthreads = 4, .pcpu = 97.25 },
		{ .pid = 11, .state = 'S', .rss_kib = 1900, .nthreads = 1, .pcpu = NAN },
	};
	char *buf = NULL, err[TRACE_ERR_SIZE];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	fputs(HDR SPAWN("0.1", "10") SPAWN("0.1", "11"), f);
	jsonl_write_sample(f, 250000000, 1, v, 2);
	jsonl_write_sample(f, 500000000, 1, v, 0);
	fputs(END("0.6"), f);
	fclose(f);
	assert_non_null(strstr(buf, "{\"t\":0.250000,\"pid\":1,\"ev\":\"sample\",\"procs\":"
	    "[{\"pid\":10,\"state\":\"R\",\"cpu\":97.2,\"rss\":4200,\"threads\":4},"
	    "{\"pid\":11,\"state\":\"S\",\"cpu\":null,\"rss\":1900,\"threads\":1}]}\n"));

	struct trace *t = open_str(buf, len, err);
	if (!t)
		fail_msg("%s", err);
	assert_int_equal(t->version, 2);
	assert_int_equal(t->nev, 3);          /* spawn, spawn, end: no sample */
	assert_int_equal(t->ev[2].kind, EV_END);
	assert_false(t->truncated);
	assert_int_equal(t->nsamples, 2);
	assert_int_equal(t->samples[0].t_ns, 250000000);
	assert_int_equal(t->samples[0].n, 2);
	assert_int_equal(t->samples[1].n, 0);
	const struct trace_proc_sample *p = &t->sprocs[t->samples[0].first];
	assert_int_equal(p[0].pid, 10);
	assert_int_equal(p[0].state, 'R');
	assert_true(fabs(p[0].pcpu - 97.2) < 1e-9);
	assert_int_equal(p[0].rss_kib, 4200);
	assert_int_equal(p[0].threads, 4);
	assert_int_equal(p[1].state, 'S');
	assert_true(isnan(p[1].pcpu));
	assert_int_equal(trace_sample_at(t, 0), 0);
	assert_int_equal(trace_sample_at(t, 250000000), 1);
	assert_int_equal(trace_sample_at(t, 499999999), 1);
	assert_int_equal(trace_sample_at(t, 900000000), 2);
	trace_free(t);
	free(buf);
}

#define SMP(t, procs) "{\"t\":" t ",\"pid\":1,\"ev\":\"sample\"" procs "}\n"

static void
test_sample_errors(void **state)
{
	char err[TRACE_ERR_SIZE];
	static const struct { const char *text, *want; } bad[] = {
		{ HDR SPAWN("0.1", "10") SMP("0.2", ""),
		  "x.jsonl:3: error: sample: missing or bad \"procs\"" },
		{ HDR SPAWN("0.1", "10") SMP("0.2", ",\"procs\":{}"),
		  "x.jsonl:3: error: sample: missing or bad \"procs\"" },
		{ HDR SMP("0.2", ",\"procs\":[]") SMP("0.3", ",\"procs\":[{\"state\":\"S\"}]"),
		  "x.jsonl:3: error: sample: procs[0]: missing \"pid\"" },
		{ HDR SMP("0.2", ",\"procs\":[{\"pid\":3},7]"),
		  "x.jsonl:2: error: sample: procs[1] is not an object" },
		{ HDR SMP("0.2", ",\"procs\":[{\"pid\":-3}]"),
		  "x.jsonl:2: error: sample: procs[0]: bad \"pid\"" },
		{ HDR SMP("0.2", ",\"procs\":[{\"pid\":3,\"state\":\"RS\"}]"),
		  "x.jsonl:2: error: sample: procs[0]: \"state\" is not one letter" },
		{ HDR SMP("0.2", ",\"procs\":[{\"pid\":3,\"cpu\":\"high\"}]"),
		  "x.jsonl:2: error: sample: procs[0]: \"cpu\" is not a percentage or null" },
		{ HDR SMP("0.2", ",\"procs\":[{\"pid\":3,\"cpu\":-1}]"),
		  "x.jsonl:2: error: sample: procs[0]: \"cpu\" is not" },
		{ HDR SMP("0.2", ",\"procs\":[{\"pid\":3,\"rss\":1.5}]"),
		  "x.jsonl:2: error: sample: procs[0]: bad \"rss\"" },
		{ HDR "{\"t\":0.2,\"ev\":\"sample\",\"procs\":[]}\n",
		  "x.jsonl:2: error: missing \"pid\"" },
		/* time order holds across samples and events; lines keep counting */
		{ HDR SPAWN("0.3", "10") SMP("0.2", ",\"procs\":[]"),
		  "x.jsonl:3: error: \"t\" goes backwards" },
		{ HDR SMP("0.2", ",\"procs\":[]") SPAWN("0.1", "10"),
		  "x.jsonl:3: error: \"t\" goes backwards" },
		{ HDR SMP("0.1", ",\"procs\":[]") SMP("0.2", ",\"procs\":[]")
		  "{\"t\":0.3,\"pid\":5,\"ev\":\"dance\"}\n",
		  "x.jsonl:4: error: unknown event kind \"dance\"" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct trace *t = open_str(bad[i].text, strlen(bad[i].text), err);
		if (t)
			fail_msg("case %zu was accepted", i);
		if (strncmp(err, bad[i].want, strlen(bad[i].want)) != 0)
			fail_msg("case %zu: got '%s', want '%s...'", i, err, bad[i].want);
	}
	/* A recording cut after a sample: up to the last whole line. */
	const char *cut = HDR SPAWN("0.1", "10") SMP("0.2", ",\"procs\":[{\"pid\":10}]")
	    "{\"t\":0.3,\"pid\":1,\"ev\":\"sam";
	struct trace *t = open_str(cut, strlen(cut), err);
	assert_non_null(t);
	assert_true(t->truncated);
	assert_int_equal(t->nev, 1);
	assert_int_equal(t->nsamples, 1);
	assert_int_equal(t->sprocs[0].state, '?');
	assert_true(isnan(t->sprocs[0].pcpu));
	trace_free(t);
}

/* Events t = 10, 20 ms; a sample at 25 ms waits for an event at or after
 * it (a late one at 22 ms goes first); the end drops a sample after it. */
static void
test_recorder_order(void **state)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct recorder *rc = recorder_new(f, NULL, 1);
	struct proc_sample v[2] = { { .pid = 10, .state = 'R' }, { .pid = 12, .state = 'S' } };
	struct proc_snapshot snap = { .v = v, .n = 2 };
	struct event ev = { .t_ns = 10000000, .pid = 10, .tid = 10, .kind = EV_SPAWN, .obj = -1 };
	recorder_event(rc, &ev);
	ev.pid = ev.tid = 11;
	recorder_event(rc, &ev);
	ev.t_ns = 20000000;
	ev.pid = ev.tid = 12;
	recorder_event(rc, &ev);

	pid_t pids[8];
	assert_int_equal(recorder_pids(rc, pids, 8), 3);
	recorder_sample(rc, &snap, 25000000);       /* pid 11 is gone */
	assert_int_equal(recorder_pids(rc, pids, 8), 2);
	assert_int_equal(pids[0], 10);
	assert_int_equal(pids[1], 12);

	ev.kind = EV_PRINT;
	ev.t_ns = 22000000;
	recorder_event(rc, &ev);
	assert_int_equal(recorder_samples_written(rc), 0);
	ev.t_ns = 30000000;
	recorder_event(rc, &ev);
	assert_int_equal(recorder_samples_written(rc), 1);
	recorder_sample(rc, &snap, 35000000);
	recorder_sample(rc, &snap, 50000000);
	ev.kind = EV_END;
	ev.t_ns = 40000000;
	recorder_event(rc, &ev);
	recorder_sample(rc, &snap, 60000000);       /* after the end: dropped */
	assert_int_equal(recorder_samples_written(rc), 2);
	recorder_free(rc);
	fclose(f);

	/* Times in the file, in order: 10 10 20 22 25s 30 35s 40. */
	static const char *const want[] = { "0.010000", "0.010000", "0.020000",
		"0.022000", "0.025000", "0.030000", "0.035000", "0.040000" };
	const char *p = buf;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		assert_non_null(p);
		if (strncmp(p + 5, want[i], 8) != 0)
			fail_msg("line %zu: %.60s, want t %s", i + 1, p, want[i]);
		if ((i == 4 || i == 6) != (strstr(p, "\"ev\":\"sample\"") != NULL &&
		    strstr(p, "\"ev\":\"sample\"") < strchr(p, '\n')))
			fail_msg("line %zu: sample where not expected: %.60s", i + 1, p);
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	assert_true(p && *p == '\0');
	free(buf);
}

/* A long recording (parsed by several threads, replayed through
 * snapshots): after any seek, process 10's /proc fields are those of the
 * latest sample at or before the cursor. Sample j (t = (100 j + 50) us)
 * says cpu = j / 10, rss = 1000 + j, threads = 1 + j % 7. */
#define NPRINT 30000
static void
test_replay_sample_seeks(void **state)
{
	char *buf = NULL, err[TRACE_ERR_SIZE];
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	fputs(HDR, f);
	fputs("{\"t\":0.000001,\"pid\":10,\"ev\":\"spawn\",\"tid\":10,\"ppid\":1,"
	    "\"role\":\"process\",\"copy\":0,\"def\":\"main\",\"name\":\"p\"}\n", f);
	int nsmp = 0;
	for (int i = 1; i <= NPRINT; i++) {
		fprintf(f, "{\"t\":%.6f,\"pid\":10,\"ev\":\"print\",\"text\":\"x\"}\n",
		    (double)i * 1e-6);
		if (i % 100 == 50) {
			struct proc_sample v = { .pid = 10, .state = nsmp % 2 ? 'S' : 'R',
				.pcpu = nsmp / 10.0, .rss_kib = 1000 + (unsigned)nsmp,
				.nthreads = 1 + nsmp % 7 };
			jsonl_write_sample(f, (int64_t)i * 1000, 1, &v, 1);
			nsmp++;
		}
	}
	fprintf(f, END("%.6f"), (double)(NPRINT + 1) * 1e-6);
	fclose(f);
	struct trace *t = open_str(buf, len, err);
	free(buf);
	if (!t)
		fail_msg("%s", err);
	assert_int_equal(t->nev, NPRINT + 2);
	assert_int_equal(t->nsamples, nsmp);
	for (size_t k = 1; k < t->nev; k++)
		assert_int_equal(t->ev[k].kind, k == t->nev - 1 ? EV_END : EV_PRINT);
	struct replay *r = replay_open(t);
	assert_true(r->nsnaps >= 3);

	uint64_t x = 12345;
	for (int n = 0; n < 300; n++) {
		x ^= x << 13; x ^= x >> 7; x ^= x << 17;
		int64_t at = (int64_t)(x % (NPRINT + 2)) * 1000;
		if (n % 2)
			replay_seek_time(r, at);
		else
			replay_seek(r, (size_t)(at / 1000));
		/* latest sample j with t_j = (100 j + 50) us <= cursor */
		int64_t us = r->cur_t / 1000;
		int j = us < 50 ? -1 : (int)((us - 50) / 100);
		if (j >= nsmp)
			j = nsmp - 1;
		const struct model_proc *p = model_proc_by_pid(&r->model, 10);
		if (!p)
			continue;                         /* before the spawn */
		if (j < 0) {
			assert_false(p->sampled);
			assert_int_equal(p->state, '?');
			assert_true(isnan(p->pcpu));
			continue;
		}
		assert_true(p->sampled && p->in_proc);
		assert_int_equal(p->state, j % 2 ? 'S' : 'R');
		if (fabs(p->pcpu - j / 10.0) > 0.051)
			fail_msg("seek %d to %lld us: cpu %.1f, want %.1f", n,
			    (long long)us, p->pcpu, j / 10.0);
		assert_int_equal(p->rss_kib, 1000 + j);
		assert_int_equal(p->nlwp, 1 + j % 7);
	}
	replay_free(r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sample_round_trip),
		cmocka_unit_test(test_sample_errors),
		cmocka_unit_test(test_recorder_order),
		cmocka_unit_test(test_replay_sample_seeks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
