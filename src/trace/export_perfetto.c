/*
 * Chrome Trace Event JSON (what Perfetto and chrome://tracing open):
 *   - a named track per process and thread (process_name / thread_name);
 *   - on each track a lifetime slice (first to last event), waits
 *     (block .. unblock) and, on a worker, each task as a complete slice;
 *   - put / get / send / recv as zero-length slices, with a flow arrow
 *     (s / f, bound to the enclosing slice) from each put to the get that
 *     took the message, and from each send to its recv;
 *   - callbacks as zero-length slices on main's result-handler thread;
 *   - queue depth and pipe bytes as counter tracks (C) on main's process;
 *   - exits, errors, lost tasks, prints, signals as instant events; the
 *     end, a deadlock or a timeout as global instants.
 * Every slice is complete (X, dur >= 0) and nests inside its track's
 * lifetime slice.
 */
#include "trace/export.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "trace/jsonl.h"
#include "util/xmem.h"

#define FLOW_LOOK 64          /* pending messages searched for equal text */

struct track {
	int32_t pid, tid;
	int64_t first, last;      /* ns */
	const char *name;         /* from spawn / thread_start, or NULL */
	bool observer;
	/* an open wait */
	bool blocked;
	int64_t block_ts;
	int32_t block_obj;
	int block_op;
};

struct tracks {
	struct track *v;
	size_t n, cap;
	int *hash;                /* index into v, -1 empty */
	size_t hcap;
};

static size_t
track_hash(int32_t pid, int32_t tid, size_t cap)
{
	return (((size_t)(uint32_t)pid * 2654435761u) ^ ((size_t)(uint32_t)tid *
	    40503u)) & (cap - 1);
}

static void tracks_rehash(struct tracks *ts);

static struct track *
track_of(struct tracks *ts, int32_t pid, int32_t tid, int64_t t)
{
	if (ts->hcap == 0 || (ts->n + 1) * 2 > ts->hcap)
		tracks_rehash(ts);
	size_t h = track_hash(pid, tid, ts->hcap);
	for (int i; (i = ts->hash[h]) >= 0; h = (h + 1) & (ts->hcap - 1))
		if (ts->v[i].pid == pid && ts->v[i].tid == tid) {
			if (t > ts->v[i].last)
				ts->v[i].last = t;
			return &ts->v[i];
		}
	if (ts->n == ts->cap) {
		ts->cap = ts->cap ? ts->cap * 2 : 64;
		ts->v = xreallocarray(ts->v, ts->cap, sizeof(*ts->v));
	}
	ts->hash[h] = (int)ts->n;
	struct track *tr = &ts->v[ts->n++];
	memset(tr, 0, sizeof(*tr));
	tr->pid = pid;
	tr->tid = tid;
	tr->first = tr->last = t;
	return tr;
}

static void
tracks_rehash(struct tracks *ts)
{
	free(ts->hash);
	ts->hcap = ts->hcap ? ts->hcap * 2 : 256;
	ts->hash = xmalloc(ts->hcap * sizeof(int));
	for (size_t i = 0; i < ts->hcap; i++)
		ts->hash[i] = -1;
	for (size_t i = 0; i < ts->n; i++) {
		size_t h = track_hash(ts->v[i].pid, ts->v[i].tid, ts->hcap);
		while (ts->hash[h] >= 0)
			h = (h + 1) & (ts->hcap - 1);
		ts->hash[h] = (int)i;
	}
}

/* Messages waiting to be taken, per channel (queue, or pipe direction). */
struct pending {
	int64_t ts;
	int32_t pid, tid;
	const char *text;
	bool taken;
};

struct channel {
	struct pending *v;
	size_t head, n, cap;
};

static void
chan_push(struct channel *c, const struct event *ev)
{
	if (c->n == c->cap) {
		if (c->head > c->cap / 2) {
			memmove(c->v, c->v + c->head, (c->n - c->head) * sizeof(*c->v));
			c->n -= c->head;
			c->head = 0;
		} else {
			c->cap = c->cap ? c->cap * 2 : 64;
			c->v = xreallocarray(c->v, c->cap, sizeof(*c->v));
		}
	}
	c->v[c->n++] = (struct pending){ ev->t_ns, ev->pid, ev->tid, ev->text, false };
}

/* The pending message 'ev' takes: the oldest with the same text among the
 * first FLOW_LOOK, else the oldest. NULL when none is pending. */
static struct pending *
chan_take(struct channel *c, const struct event *ev)
{
	while (c->head < c->n && c->v[c->head].taken)
		c->head++;
	if (c->head == c->n)
		return NULL;
	struct pending *hit = &c->v[c->head];
	for (size_t i = c->head, seen = 0; i < c->n && seen < FLOW_LOOK; i++) {
		if (c->v[i].taken)
			continue;
		seen++;
		const char *a = c->v[i].text ? c->v[i].text : "";
		if (strcmp(a, ev->text ? ev->text : "") == 0) {
			hit = &c->v[i];
			break;
		}
	}
	hit->taken = true;
	return hit;
}

struct px {
	const struct trace *t;
	FILE *f;
	bool first;               /* no event written yet */
	struct tracks tr;
	int32_t main_pid;         /* counters go on main's process */
	uint64_t flow_id;
	struct channel *chan;     /* 2 per object */
	int64_t (*pipe_sent)[2], (*pipe_recv)[2];
	/* tasks started and not ended */
	struct open_task { int32_t pool; int64_t task, arg, ts; int32_t pid, tid; } *tasks;
	size_t ntasks, captasks;
};

static void
ts_put(FILE *f, int64_t ns)
{
	if (ns < 0) {
		putc('-', f);
		ns = -ns;
	}
	fprintf(f, "%lld.%03lld", (long long)(ns / 1000), (long long)(ns % 1000));
}

/* Start one event object: {"ph":"X","name":NAME,"pid":..,"tid":..,"ts":.. */
static void
ev_begin(struct px *x, const char *ph, const char *name, int32_t pid,
    int32_t tid, int64_t ts)
{
	FILE *f = x->f;
	fputs(x->first ? "\n{" : ",\n{", f);
	x->first = false;
	fprintf(f, "\"ph\":\"%s\",\"name\":", ph);
	jsonl_write_string(f, name, strlen(name));
	fprintf(f, ",\"pid\":%d,\"tid\":%d,\"ts\":", (int)pid, (int)tid);
	ts_put(f, ts);
}

static void
str_arg(FILE *f, const char *k, const char *v, size_t n)
{
	fprintf(f, ",\"%s\":", k);
	jsonl_write_string(f, v ? v : "", v ? n : 0);
}

/* A complete slice with args {"info": info, "text": text}. */
static void
slice(struct px *x, const char *name, const char *cat, int32_t pid, int32_t tid,
    int64_t ts, int64_t end, const char *info, const struct event *ev)
{
	ev_begin(x, "X", name, pid, tid, ts);
	fputs(",\"dur\":", x->f);
	ts_put(x->f, end > ts ? end - ts : 0);
	fprintf(x->f, ",\"cat\":\"%s\",\"args\":{\"info\":", cat);
	jsonl_write_string(x->f, info, strlen(info));
	if (ev && ev->text)
		str_arg(x->f, "text", ev->text, ev->text_len);
	fputs("}}", x->f);
}

static void
instant(struct px *x, const char *name, const char *scope, const struct event *ev,
    const char *info)
{
	ev_begin(x, "i", name, ev->pid, ev->tid, ev->t_ns);
	fprintf(x->f, ",\"s\":\"%s\",\"cat\":\"%s\",\"args\":{\"info\":", scope,
	    event_kind_name(ev->kind));
	jsonl_write_string(x->f, info, strlen(info));
	if (ev->text)
		str_arg(x->f, "text", ev->text, ev->text_len);
	fputs("}}", x->f);
}

static void
flow(struct px *x, const struct pending *from, const struct event *to,
    const char *name)
{
	uint64_t id = ++x->flow_id;
	ev_begin(x, "s", name, from->pid, from->tid, from->ts);
	fprintf(x->f, ",\"cat\":\"message\",\"id\":%llu}", (unsigned long long)id);
	ev_begin(x, "f", name, to->pid, to->tid, to->t_ns);
	fprintf(x->f, ",\"cat\":\"message\",\"id\":%llu,\"bp\":\"e\"}",
	    (unsigned long long)id);
}

static void
counter(struct px *x, const char *name, int64_t ts, const char *k1, int64_t v1,
    const char *k2, int64_t v2)
{
	ev_begin(x, "C", name, x->main_pid, x->main_pid, ts);
	fprintf(x->f, ",\"args\":{\"%s\":%lld", k1, (long long)v1);
	if (k2)
		fprintf(x->f, ",\"%s\":%lld", k2, (long long)v2);
	fputs("}}", x->f);
}

/* ---- per event ---- */

static void
do_ipc(struct px *x, const struct event *ev, const char *info)
{
	const char *obj = trace_obj_name(x->t, ev->obj);
	char name[96];
	bool ok = ev->obj >= 0 && ev->obj < x->t->sc.nobjs;
	int end = ev->a == 1 ? 1 : 0;

	snprintf(name, sizeof(name), "%s %s%s%s", event_kind_name(ev->kind), obj,
	    ev->kind == EV_SEND || ev->kind == EV_RECV ? "." : "",
	    ev->kind == EV_SEND || ev->kind == EV_RECV ? (end ? "b" : "a") : "");
	slice(x, name, "ipc", ev->pid, ev->tid, ev->t_ns, ev->t_ns, info, ev);
	if (!ok)
		return;
	snprintf(name, sizeof(name), "%s %s", ev->kind == EV_PUT || ev->kind == EV_GET ?
	    "queue" : "pipe", obj);
	switch (ev->kind) {
	case EV_PUT:
		chan_push(&x->chan[2 * ev->obj], ev);
		break;
	case EV_SEND:
		chan_push(&x->chan[2 * ev->obj + end], ev);
		break;
	case EV_GET: {
		struct pending *p = chan_take(&x->chan[2 * ev->obj], ev);
		if (p)
			flow(x, p, ev, name);
		break;
	}
	case EV_RECV: {
		/* Received at end e: sent from the other end. */
		struct pending *p = chan_take(&x->chan[2 * ev->obj + (1 - end)], ev);
		if (p)
			flow(x, p, ev, name);
		break;
	}
	default:
		break;
	}
	char cname[96];
	if (ev->kind == EV_PUT || ev->kind == EV_GET) {
		snprintf(cname, sizeof(cname), "queue %s depth", obj);
		counter(x, cname, ev->t_ns, "depth", ev->a, NULL, 0);
	} else {
		if (ev->kind == EV_SEND)
			x->pipe_sent[ev->obj][end] += ev->b;
		else
			x->pipe_recv[ev->obj][end] += ev->b;
		int64_t (*s)[2] = x->pipe_sent, (*r)[2] = x->pipe_recv;
		snprintf(cname, sizeof(cname), "pipe %s bytes in flight", obj);
		counter(x, cname, ev->t_ns, "a->b", s[ev->obj][0] - r[ev->obj][1],
		    "b->a", s[ev->obj][1] - r[ev->obj][0]);
		snprintf(cname, sizeof(cname), "pipe %s bytes sent", obj);
		counter(x, cname, ev->t_ns, "from a", s[ev->obj][0], "from b",
		    s[ev->obj][1]);
	}
}

static void
task_slice(struct px *x, const struct open_task *ot, int64_t end,
    const struct event *ev, const char *how)
{
	char name[64], info[160];
	snprintf(name, sizeof(name), "task %lld (%lld)", (long long)ot->task,
	    (long long)ot->arg);
	snprintf(info, sizeof(info), "pool=%s task=%lld arg=%lld %s",
	    trace_obj_name(x->t, ot->pool), (long long)ot->task, (long long)ot->arg,
	    how);
	slice(x, name, "task", ot->pid, ot->tid, ot->ts, end, info, ev);
}

static struct open_task *
task_find(struct px *x, int32_t pool, int64_t task)
{
	for (size_t i = x->ntasks; i-- > 0;)
		if (x->tasks[i].pool == pool && x->tasks[i].task == task)
			return &x->tasks[i];
	return NULL;
}

static void
task_drop(struct px *x, struct open_task *ot)
{
	*ot = x->tasks[--x->ntasks];
}

static void
do_event(struct px *x, const struct event *ev)
{
	char info[256], name[160];
	export_info(x->t, ev, info, sizeof(info));
	struct track *tr = track_of(&x->tr, ev->pid, ev->tid, ev->t_ns);

	switch (ev->kind) {
	case EV_PUT: case EV_GET: case EV_SEND: case EV_RECV:
		do_ipc(x, ev, info);
		break;
	case EV_BLOCK:
		tr->blocked = true;
		tr->block_ts = ev->t_ns;
		tr->block_obj = ev->obj;
		tr->block_op = (int)ev->a;
		break;
	case EV_UNBLOCK:
		if (tr->blocked) {
			snprintf(name, sizeof(name), "wait %s %s", event_wait_name(tr->block_op),
			    trace_obj_name(x->t, tr->block_obj));
			slice(x, name, "wait", ev->pid, ev->tid, tr->block_ts, ev->t_ns, info, NULL);
			tr->blocked = false;
		}
		break;
	case EV_TASK_START:
		if (x->ntasks == x->captasks) {
			x->captasks = x->captasks ? x->captasks * 2 : 64;
			x->tasks = xreallocarray(x->tasks, x->captasks, sizeof(*x->tasks));
		}
		x->tasks[x->ntasks++] = (struct open_task){ ev->obj, ev->a, ev->b,
			ev->t_ns, ev->pid, ev->tid };
		break;
	case EV_TASK_END: {
		struct open_task *ot = task_find(x, ev->obj, ev->a);
		if (ot) {
			task_slice(x, ot, ev->t_ns, ev, info);
			task_drop(x, ot);
		}
		break;
	}
	case EV_CALLBACK:
		snprintf(name, sizeof(name), "%s task %lld", ev->c == 1 ? "error_callback" :
		    ev->c == 2 ? "map_callback" : "callback", (long long)ev->a);
		slice(x, name, "callback", ev->pid, ev->tid, ev->t_ns, ev->t_ns, info, ev);
		break;
	case EV_EXIT:
		snprintf(name, sizeof(name), "exit %lld", (long long)ev->a);
		instant(x, name, "t", ev, info);
		break;
	case EV_ERROR:
		snprintf(name, sizeof(name), "error%s: %.100s", ev->a ? " (handled)" : "",
		    ev->text ? ev->text : "");
		instant(x, name, "t", ev, info);
		break;
	case EV_LOST:
		snprintf(name, sizeof(name), "lost task %lld", (long long)ev->a);
		instant(x, name, "t", ev, info);
		break;
	case EV_PRINT: case EV_SIGNAL: case EV_MGR_OP: case EV_SUBMIT:
	case EV_RESULT: case EV_POOL: case EV_PIPE_CLOSE:
		snprintf(name, sizeof(name), "%s", event_kind_name(ev->kind));
		instant(x, name, "t", ev, info);
		break;
	case EV_DEADLOCK: case EV_TIMEOUT: case EV_END:
		instant(x, event_kind_name(ev->kind), "g", ev, info);
		break;
	default:
		break;
	}
}

/* ---- tracks: names and lifetimes ---- */

static void
find_tracks(struct px *x)
{
	const struct trace *t = x->t;
	for (size_t k = 0; k < t->nev; k++) {
		const struct event *ev = &t->ev[k];
		struct track *tr = track_of(&x->tr, ev->pid, ev->tid, ev->t_ns);
		if ((ev->kind == EV_SPAWN || ev->kind == EV_THREAD_START) && ev->text)
			tr->name = ev->text;
		if (ev->kind == EV_SPAWN && ev->b == ROLE_MAIN && !x->main_pid)
			x->main_pid = ev->pid;
		if (ev->kind == EV_SIGNAL || ev->kind == EV_DEADLOCK ||
		    ev->kind == EV_TIMEOUT || ev->kind == EV_END)
			tr->observer = true;
	}
	if (!x->main_pid)
		x->main_pid = t->nev ? t->ev[0].pid : 1;
	if (t->nev)       /* counters go there: it has a name */
		track_of(&x->tr, x->main_pid, x->main_pid, t->ev[0].t_ns);
}

static const char *
proc_name(struct px *x, int32_t pid, char *buf, size_t len)
{
	struct track *p = track_of(&x->tr, pid, pid, 0);
	if (p->observer)
		snprintf(buf, len, "ipcscope (observer, pid %d)", (int)pid);
	else
		snprintf(buf, len, "%s (pid %d)", p->name ? p->name : "process", (int)pid);
	return buf;
}

static void
meta(struct px *x, const char *what, int32_t pid, int32_t tid, const char *name)
{
	fputs(x->first ? "\n{" : ",\n{", x->f);
	x->first = false;
	fprintf(x->f, "\"ph\":\"M\",\"name\":\"%s\",\"pid\":%d,\"tid\":%d,"
	    "\"args\":{\"name\":", what, (int)pid, (int)tid);
	jsonl_write_string(x->f, name, strlen(name));
	fputs("}}", x->f);
}

/* Names of every track, and its lifetime slice: written before the events
 * so that a slice starting at the same time nests inside it. */
static void
start_tracks(struct px *x)
{
	char name[128], pname[96];
	/* Every thread's process has a track (and so a name). */
	size_t n = x->tr.n;
	for (size_t i = 0; i < n; i++)
		if (x->tr.v[i].tid != x->tr.v[i].pid)
			track_of(&x->tr, x->tr.v[i].pid, x->tr.v[i].pid, x->tr.v[i].first);
	for (size_t i = 0; i < x->tr.n; i++) {
		const struct track *tr = &x->tr.v[i];
		if (tr->tid == tr->pid) {
			meta(x, "process_name", tr->pid, tr->tid, proc_name(x, tr->pid,
			    pname, sizeof(pname)));
			snprintf(name, sizeof(name), "%s", tr->observer ? "observer" :
			    tr->name ? tr->name : "main thread");
		} else {
			snprintf(name, sizeof(name), "%s (tid %d)", tr->name ? tr->name :
			    "thread", (int)tr->tid);
		}
		meta(x, "thread_name", tr->pid, tr->tid, name);
	}
	for (size_t i = 0; i < x->tr.n; i++) {
		const struct track *tr = &x->tr.v[i];
		if (tr->observer)
			continue;
		snprintf(name, sizeof(name), "%s", tr->tid == tr->pid ?
		    proc_name(x, tr->pid, pname, sizeof(pname)) : tr->name ? tr->name : "thread");
		slice(x, name, "lifetime", tr->pid, tr->tid, tr->first, tr->last, "", NULL);
	}
}

/* Waits and tasks still open at the end: up to their track's last event. */
static void
finish_tracks(struct px *x)
{
	char name[128];
	for (size_t i = 0; i < x->tr.n; i++) {
		const struct track *tr = &x->tr.v[i];
		if (!tr->blocked)
			continue;
		snprintf(name, sizeof(name), "wait %s %s (never ended)",
		    event_wait_name(tr->block_op), trace_obj_name(x->t, tr->block_obj));
		slice(x, name, "wait", tr->pid, tr->tid, tr->block_ts, tr->last, "", NULL);
	}
	for (size_t i = 0; i < x->ntasks; i++) {
		struct open_task *ot = &x->tasks[i];
		struct track *tr = track_of(&x->tr, ot->pid, ot->tid, ot->ts);
		task_slice(x, ot, tr->last, NULL, "(never ended)");
	}
}

int
export_perfetto(const struct trace *t, FILE *out, char *err, size_t errlen)
{
	struct px x = { .t = t, .f = out, .first = true };
	size_t nch = (size_t)(t->sc.nobjs ? t->sc.nobjs : 1);
	(void)err; (void)errlen;

	x.chan = xcalloc(2 * nch, sizeof(*x.chan));
	x.pipe_sent = xcalloc(nch, sizeof(*x.pipe_sent));
	x.pipe_recv = xcalloc(nch, sizeof(*x.pipe_recv));
	find_tracks(&x);
	fputs("{\"displayTimeUnit\":\"ms\",\"otherData\":{\"generator\":\"ipcscope "
	    IPCSCOPE_VERSION "\",\"title\":", out);
	const char *title = t->sc.title ? t->sc.title : "";
	jsonl_write_string(out, title, strlen(title));
	fputs("},\"traceEvents\":[", out);
	start_tracks(&x);
	for (size_t k = 0; k < t->nev; k++)
		do_event(&x, &t->ev[k]);
	finish_tracks(&x);
	fputs("\n]}\n", out);

	for (size_t i = 0; i < 2 * nch; i++)
		free(x.chan[i].v);
	free(x.chan);
	free(x.pipe_sent);
	free(x.pipe_recv);
	free(x.tasks);
	free(x.tr.v);
	free(x.tr.hash);
	return 0;
}
