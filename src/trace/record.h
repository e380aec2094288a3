#ifndef IPCSCOPE_TRACE_RECORD_H
#define IPCSCOPE_TRACE_RECORD_H
/*
 * --record FILE: the runtime's events plus periodic /proc samples, as JSON
 * lines (docs/trace-format.md), in time order.
 *
 * The observer hands events out ~20 ms late (merge hold-back) while a
 * sample is stamped when it is taken, so samples wait here until an event
 * at or after their time is written (or the end): "t" never goes backwards
 * in the file. Samples taken after the run's `end` are dropped.
 *
 * The recorder also keeps the set of pids that might still be in /proc
 * (from spawn events, forgotten once a sample no longer finds them), for a
 * caller without a model of its own (the headless run).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "event/event.h"
#include "proc/sampler.h"
#include "scenario/scenario.h"

struct recorder;

/* A recorder writing to 'f' (borrowed; the caller wrote the header and
 * closes it), naming objects from 'sc' (borrowed), stamping samples with
 * 'observer_pid'. Never fails (out of memory aborts). */
struct recorder *recorder_new(FILE *f, const struct scenario *sc,
    int32_t observer_pid);

/* Write 'ev' (t_ns relative to the run's start), after any pending sample
 * taken at or before it. An `end` event drops the samples still pending. */
void recorder_event(struct recorder *rc, const struct event *ev);

/* Keep 'snap' (copied), taken at 't_ns' (relative to the run's start, as
 * event times), until it can be written. Pids of the recorder's set that
 * 'snap' does not hold are forgotten (they left /proc). */
void recorder_sample(struct recorder *rc, const struct proc_snapshot *snap,
    int64_t t_ns);

/* The pids to sample: every pid seen spawning and not yet found gone.
 * Writes at most 'max' into 'out' (may be NULL when 'max' is 0); returns
 * how many the set holds (may be more than 'max'). */
size_t recorder_pids(const struct recorder *rc, pid_t *out, size_t max);

/* Samples written so far (for tests and the summary). */
uint64_t recorder_samples_written(const struct recorder *rc);

/* Free the recorder (pending samples are dropped: without an event after
 * them they could break the file's time order). */
void recorder_free(struct recorder *rc);

#endif
