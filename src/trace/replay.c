/* A recording under a time cursor: snapshots and seeks. */
#include "trace/replay.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "model/model_copy.h"
#include "util/xmem.h"

/* Snapshots may take SNAP_BASE_BYTES plus this many bytes per event
 * applied; beyond that they are taken four times further apart. */
#define SNAP_BYTES_PER_EVENT 64
#define SNAP_BASE_BYTES (32u << 20)

struct replay_snap {
	size_t at;                 /* events [0, at) applied */
	struct model_snap *m;
};

/* Apply event k to the model at the cursor. */
static void
apply_one(struct replay *r, size_t k)
{
	struct event e = r->tr->ev[k];
	e.t_ns += REPLAY_BASE_NS;
	model_tick(&r->model, e.t_ns);
	model_apply(&r->model, &e);
	if (e.kind == EV_END)
		model_end(&r->model, e.t_ns);
	r->cur = k + 1;
	r->cur_t = r->tr->ev[k].t_ns;
}

static void
snap_add(struct replay *r)
{
	if (r->nsnaps == r->capsnaps) {
		r->capsnaps = r->capsnaps ? r->capsnaps * 2 : 64;
		r->snaps = xreallocarray(r->snaps, r->capsnaps, sizeof(*r->snaps));
	}
	struct model_snap *m = model_snapshot(&r->model,
	    r->nsnaps ? r->snaps[r->nsnaps - 1].m : NULL);
	r->snaps[r->nsnaps++] = (struct replay_snap){ r->cur, m };
	r->snap_bytes += model_snapshot_bytes(m);
}

static void
model_start(struct replay *r)
{
	model_init(&r->model, &r->tr->sc);
	model_set_start(&r->model, REPLAY_BASE_NS);
	r->cur = 0;
	r->cur_t = 0;
}

struct replay *
replay_open(struct trace *tr)
{
	struct replay *r = xcalloc(1, sizeof(*r));
	r->tr = tr;
	model_start(r);
	size_t next = 0;
	for (size_t k = 0; k < tr->nev; k++) {
		if (k == next) {
			snap_add(r);
			bool over = r->snap_bytes > SNAP_BASE_BYTES + k * SNAP_BYTES_PER_EVENT;
			next = k + (over ? 4 : 1) * REPLAY_INTERVAL;
		}
		apply_one(r, k);
	}
	/* Back to the start. */
	model_free(&r->model);
	model_start(r);
	return r;
}

void
replay_free(struct replay *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->nsnaps; i++)
		model_snapshot_free(r->snaps[i].m);
	free(r->snaps);
	model_free(&r->model);
	trace_free(r->tr);
	free(r);
}

/* Events [0, k) applied; the model ticked to no later than 't_ns' (a
 * cursor ahead of that is taken back through a snapshot). */
static void
seek_to(struct replay *r, size_t k, int64_t t_ns)
{
	/* The newest snapshot from which the log can be rebuilt. */
	size_t s = 0;
	if (r->nsnaps) {
		size_t lo = 0, hi = r->nsnaps;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			if (r->snaps[mid].at + MODEL_LOG_MAX <= k || r->snaps[mid].at == 0)
				lo = mid + 1;
			else
				hi = mid;
		}
		s = lo ? lo - 1 : 0;
	}
	size_t at = r->nsnaps ? r->snaps[s].at : 0;
	bool forward = k >= r->cur && r->cur_t <= t_ns && (k - r->cur < MODEL_LOG_MAX + REPLAY_INTERVAL ||
	    r->cur >= at);
	if (!forward) {
		if (r->nsnaps && r->snaps[s].at > 0) {
			model_restore(&r->model, r->snaps[s].m);
			r->cur = at;
			r->cur_t = r->tr->ev[at - 1].t_ns;
		} else {
			model_free(&r->model);
			model_start(r);
		}
	}
	while (r->cur < k)
		apply_one(r, r->cur);
	if (k == 0)
		r->cur_t = 0;
}

void
replay_seek(struct replay *r, size_t k)
{
	if (k > r->tr->nev)
		k = r->tr->nev;
	seek_to(r, k, k ? r->tr->ev[k - 1].t_ns : 0);
}

void
replay_seek_time(struct replay *r, int64_t t_ns)
{
	if (t_ns < 0)
		t_ns = 0;
	seek_to(r, trace_index_after(r->tr, t_ns), t_ns);
	if (t_ns > r->cur_t) {
		r->cur_t = t_ns;
		model_tick(&r->model, REPLAY_BASE_NS + t_ns);
	}
}

int64_t
replay_duration(const struct replay *r)
{
	return r->tr->nev ? r->tr->ev[r->tr->nev - 1].t_ns : 0;
}

int64_t
replay_model_now(const struct replay *r)
{
	return REPLAY_BASE_NS + r->cur_t;
}
