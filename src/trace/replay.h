#ifndef IPCSCOPE_TRACE_REPLAY_H
#define IPCSCOPE_TRACE_REPLAY_H
/*
 * A recording under a time cursor: the model (model/model.h) as it was
 * after the first 'cur' events of a trace. Opening applies every event once
 * and keeps model snapshots along the way (every REPLAY_INTERVAL events, or
 * four times further apart once they take more than 32 MiB + 64 bytes per
 * event; unchanged parts are shared), so a seek anywhere restores the
 * nearest snapshot at least MODEL_LOG_MAX events back (the event log is
 * rebuilt from them) and applies the rest.
 *
 * The model's clock: event times are shifted by REPLAY_BASE_NS (the model
 * takes 0 as "no start yet"), and model->t0_ns is that base, so
 * model_scen(m, REPLAY_BASE_NS + t) == t, t being trace time.
 */
#include <stddef.h>
#include <stdint.h>

#include "model/model.h"
#include "trace/reader.h"

#define REPLAY_INTERVAL 4096
#define REPLAY_BASE_NS  1000000000LL

struct replay_snap;

struct replay {
	struct trace *tr;          /* owned */
	struct model model;        /* the state at the cursor */
	size_t cur;                /* events [0, cur) applied */
	int64_t cur_t;             /* cursor time (trace ns): >= the last
	                              applied event's, < the next one's */
	struct replay_snap *snaps;
	size_t nsnaps, capsnaps;
	size_t snap_bytes;         /* memory the snapshots take */
};

/* Take 'tr' (owned from now on), build the snapshots; the cursor is at the
 * start (no event applied). Never fails (out of memory aborts). */
struct replay *replay_open(struct trace *tr);
void replay_free(struct replay *r);

/* Move the cursor so that exactly events [0, k) are applied (k clamped to
 * nev); the cursor time becomes that of event k-1 (0 for k = 0). */
void replay_seek(struct replay *r, size_t k);
/* Move the cursor to trace time 't_ns': every event with t <= t_ns is
 * applied, history buckets are closed up to t_ns. */
void replay_seek_time(struct replay *r, int64_t t_ns);
/* Trace time of the last event (0 when none). */
int64_t replay_duration(const struct replay *r);
/* The model's CLOCK_MONOTONIC-like time for the cursor (for views). */
int64_t replay_model_now(const struct replay *r);

#endif
