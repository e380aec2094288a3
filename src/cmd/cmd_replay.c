/*
 * ipcscope replay [--headless [--at T] [--quiet] [--bench-seeks N]] FILE
 *
 * The dashboard over a recording (ui/replay.h), or headless: the timeline
 * of the events up to T (default: all), the summary as the live run wrote
 * it, and the state at T (processes, queues, pipes, pools, managers).
 * Exit status: 0, 1 when the dashboard could not start, 2 on usage errors
 * or a trace that cannot be read.
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd/cmd.h"
#include "observe/printer.h"
#include "scenario/lex.h"
#include "trace/reader.h"
#include "trace/replay.h"
#include "replay.h"

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* T as seconds ("1.5") or a duration ("1500ms"). */
static bool
parse_at(const char *s, int64_t *out)
{
	char *end, lerr[LEX_ERR_SIZE];
	errno = 0;
	double v = strtod(s, &end);
	if (!errno && end != s && !*end && isfinite(v) && v >= 0 && v < 1e9) {
		*out = llround(v * 1e9);
		return true;
	}
	return lex_duration("--at", s, 0, SC_MAX_DURATION_NS, out, lerr);
}

static const char *
life_name(const struct model_proc *p)
{
	if (p->stopped_at_end)
		return "stopped";
	return p->life == LIFE_RUNNING ? "running" : p->life == LIFE_ZOMBIE ?
	    "zombie" : "reaped";
}

/* The model at the cursor, one line per thing, key=value fields. */
static void
print_state(const struct replay *r, FILE *f)
{
	const struct model *m = &r->model;
	char doing[96];

	fprintf(f, "-- state at %.6f s: event %zu of %zu\n", (double)r->cur_t / 1e9,
	    r->cur, r->tr->nev);
	for (int i = 0; i < m->nprocs; i++) {
		const struct model_proc *p = &m->procs[i];
		model_doing_text(m, &p->doing, replay_model_now(r), doing, sizeof(doing));
		fprintf(f, "process %d name=%s role=%s life=%s", (int)p->pid, p->name,
		    event_role_name(p->role), life_name(p));
		if (p->life != LIFE_RUNNING)
			fprintf(f, " exitcode=%d", p->exit_code);
		fprintf(f, " threads=%d doing=\"%s\"\n", p->nthreads, doing);
	}
	for (int i = 0; i < m->nobjs; i++) {
		const struct model_obj *o = &m->objs[i];
		const char *n = model_obj_name(m, i);
		switch (o->kind) {
		case SC_QUEUE:
			fprintf(f, "queue %s depth=%lld max=%lld puts=%lld gets=%lld "
			    "bytes_in=%lld bytes_out=%lld\n", n, (long long)o->u.q.depth,
			    (long long)o->u.q.max_depth, (long long)o->u.q.puts,
			    (long long)o->u.q.gets, (long long)o->u.q.bytes_in,
			    (long long)o->u.q.bytes_out);
			break;
		case SC_PIPE:
			fprintf(f, "pipe %s sent_a=%lld sent_b=%lld recv_a=%lld recv_b=%lld "
			    "bytes_a=%lld bytes_b=%lld\n", n, (long long)o->u.pipe.msgs[0],
			    (long long)o->u.pipe.msgs[1], (long long)o->u.pipe.rmsgs[0],
			    (long long)o->u.pipe.rmsgs[1], (long long)o->u.pipe.bytes[0],
			    (long long)o->u.pipe.bytes[1]);
			break;
		case SC_POOL:
			fprintf(f, "pool %s submitted=%lld started=%lld done=%lld failed=%lld "
			    "lost=%lld callbacks=%lld running=%d\n", n,
			    (long long)o->u.pool.submitted, (long long)o->u.pool.started,
			    (long long)o->u.pool.done, (long long)o->u.pool.failed,
			    (long long)o->u.pool.lost, (long long)o->u.pool.callbacks,
			    model_pool_count(m, i, TASK_RUNNING));
			break;
		case SC_MANAGER:
			fprintf(f, "manager %s ops=%lld dict=%lld list=%lld\n", n,
			    (long long)o->u.mgr.ops, (long long)o->u.mgr.dict_size,
			    (long long)o->u.mgr.list_size);
			break;
		default:
			break;
		}
	}
	fprintf(f, "totals events=%llu spawned=%lld exited=%lld prints=%lld "
	    "errors=%lld callbacks=%lld messages=%lld ended=%s\n",
	    (unsigned long long)m->nevents, (long long)m->spawned,
	    (long long)m->exited, (long long)m->prints, (long long)m->errors,
	    (long long)m->callbacks, (long long)m->messages, m->ended ? "yes" : "no");
}

/* How the recorded run ended, as of event count 'n'. */
static void
end_of(const struct trace *t, size_t n, struct printer_end *e, char *buf, size_t len)
{
	static const char *const outcome[] = { "running", "paused",
		"finished as written", "failed", "deadlock", "timeout" };
	const char *reason = NULL;
	e->outcome = "still running at this time";
	for (size_t k = 0; k < n; k++) {
		const struct event *ev = &t->ev[k];
		if ((ev->kind == EV_DEADLOCK && ev->a == 0) || ev->kind == EV_TIMEOUT)
			reason = ev->text;
		if (ev->kind == EV_END) {
			e->status = (int)ev->a;
			if (ev->b >= 0 && ev->b < 6)
				e->outcome = outcome[ev->b];
		}
	}
	snprintf(buf, len, "%s", reason ? reason : "");
	e->reason = buf;
}

static int
headless(struct replay *r, bool have_at, int64_t at, bool quiet, int seeks,
    double open_s)
{
	const struct trace *t = r->tr;
	size_t n = have_at ? trace_index_after(t, at) : t->nev;
	struct printer *pr = printer_new(&t->sc, quiet ? NULL : stdout);
	for (size_t k = 0; k < n; k++)
		printer_event(pr, &t->ev[k]);
	char reason[1024];
	struct printer_end e = { .speed = t->speed };
	end_of(t, n, &e, reason, sizeof(reason));
	e.wall_s = n ? (double)t->ev[n - 1].t_ns / 1e9 : 0;
	printer_summary(pr, stdout, &e);
	printer_free(pr);

	if (have_at)
		replay_seek_time(r, at);
	else
		replay_seek(r, t->nev);
	print_state(r, stdout);

	if (seeks > 0) {
		/* Seeks to spread-out times, in a scrambled order. */
		double worst = 0, sum = 0;
		int64_t dur = replay_duration(r);
		uint64_t x = 88172645463325252ull;
		for (int i = 0; i < seeks; i++) {
			x ^= x << 13; x ^= x >> 7; x ^= x << 17;
			int64_t to = dur > 0 ? (int64_t)(x % (uint64_t)dur) : 0;
			double s0 = now_s();
			replay_seek_time(r, to);
			double d = now_s() - s0;
			sum += d;
			if (d > worst)
				worst = d;
		}
		fprintf(stderr, "replay-bench events=%zu open_s=%.3f seeks=%d "
		    "seek_avg_ms=%.2f seek_max_ms=%.2f snapshots=%zu snapshot_mib=%.1f\n",
		    t->nev, open_s, seeks, sum / seeks * 1e3, worst * 1e3, r->nsnaps,
		    (double)r->snap_bytes / 1048576.0);
	}
	return fflush(stdout) == 0 ? 0 : 1;
}

static int
cmd_replay_exec(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "headless", no_argument, NULL, 'H' },
		{ "at", required_argument, NULL, 'a' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "bench-seeks", required_argument, NULL, 'b' },
		{ "config", required_argument, NULL, 'c' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool hl = false, have_at = false, quiet = false;
	int64_t at = 0;
	int seeks = 0, c;
	struct ui_opts uo = { 0 };

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'H':
			hl = true;
			break;
		case 'a':
			if (!parse_at(optarg, &at)) {
				fprintf(stderr, "ipcscope: replay: --at wants seconds "
				    "(1.5) or a duration (1500ms), not '%s'\n", optarg);
				return cmd_usage(&cmd_replay_entry);
			}
			have_at = true;
			break;
		case 'q':
			quiet = true;
			break;
		case 'b':
			seeks = atoi(optarg);
			if (seeks < 1 || seeks > 1000000) {
				fprintf(stderr, "ipcscope: replay: bad --bench-seeks\n");
				return cmd_usage(&cmd_replay_entry);
			}
			break;
		case 'c':
			uo.config_path = optarg;
			break;
		case 'h':
			printf("usage: ipcscope %s\n", cmd_replay_entry.usage);
			return 0;
		case ':':
			fprintf(stderr, "ipcscope: replay: option '%s' needs a value\n",
			    argv[optind - 1]);
			return cmd_usage(&cmd_replay_entry);
		default:
			fprintf(stderr, "ipcscope: replay: unknown option '%s'\n",
			    argv[optind - 1]);
			return cmd_usage(&cmd_replay_entry);
		}
	}
	if (argc - optind != 1) {
		fprintf(stderr, "ipcscope: replay: %s\n", argc - optind < 1 ?
		    "no FILE given" : "only one FILE at a time");
		return cmd_usage(&cmd_replay_entry);
	}
	if ((have_at || quiet || seeks) && !hl) {
		fprintf(stderr, "ipcscope: replay: --at, --quiet and --bench-seeks "
		    "go with --headless\n");
		return cmd_usage(&cmd_replay_entry);
	}
	char err[TRACE_ERR_SIZE];
	double s0 = now_s();
	struct trace *t = trace_open(argv[optind], err, sizeof(err));
	if (!t) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	if (t->warning[0])
		fprintf(stderr, "%s\n", t->warning);
	struct replay *r = replay_open(t);
	double open_s = now_s() - s0;
	int rc = hl ? headless(r, have_at, at, quiet, seeks, open_s) :
	    ui_replay_main(r, &uo);
	replay_free(r);
	return rc;
}

const struct cmd_entry cmd_replay_entry = {
	.name = "replay",
	.usage = "replay [--headless [--at T] [--quiet]] FILE",
	.summary = "the dashboard over a recording (--record), with a time cursor",
	.exec = cmd_replay_exec,
};
