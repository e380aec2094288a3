#ifndef IPCSCOPE_MERGE_H
#define IPCSCOPE_MERGE_H
/*
 * Time-ordered merging of events drained from many rings. Each ring is in
 * order, but rings are drained one after the other, so an event stamped
 * earlier may be drained later. The merge keeps every event (and a copy of
 * its text) until it is older than a cut-off given by the caller (now minus
 * a hold-back window), then hands them out sorted by time; ties keep the
 * order they were added in. An event that arrives after later ones were
 * already handed out (its writer was descheduled longer than the window)
 * is handed out at once with its time raised to the last time handed out,
 * so the stream's times never go backwards; such events are counted.
 */
#include <stddef.h>
#include <stdint.h>

#include "event/event.h"
#include "event/ring.h"

struct merge;

struct merge *merge_new(void);
void merge_free(struct merge *m);

/* Copy 'ev' (and its text) into the merge. */
void merge_add(struct merge *m, const struct event *ev);

/* Hand out, in time order, every held event with t_ns <= 'cutoff'
 * (INT64_MAX: all of them). The event is valid during the call only.
 * Returns the number handed out. */
size_t merge_deliver(struct merge *m, int64_t cutoff, ring_event_fn fn, void *ud);

/* Events held; events that came late (see above); time of the last event
 * handed out (INT64_MIN before the first). */
size_t merge_pending(const struct merge *m);
uint64_t merge_late(const struct merge *m);
int64_t merge_frontier(const struct merge *m);

#endif
