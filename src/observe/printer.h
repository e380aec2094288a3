#ifndef IPCSCOPE_PRINTER_H
#define IPCSCOPE_PRINTER_H
/*
 * The headless view of a run: a readable timeline (one line per event:
 * time, pid, process or thread name, event, details with the scenario's
 * object names) and the closing summary. The printer tallies every event it
 * is given, whether or not it prints the timeline, so the summary can be
 * written after a JSON run too. It only reads events: it works the same on
 * a live run and on a recorded one.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "event/event.h"
#include "scenario/scenario.h"

struct printer;

/* A printer for runs of 'sc' (borrowed). 'timeline' is where event lines
 * go, or NULL to only tally. */
struct printer *printer_new(const struct scenario *sc, FILE *timeline);
void printer_free(struct printer *p);

/* Tally 'ev' (t_ns = ns since the start) and print its line. */
void printer_event(struct printer *p, const struct event *ev);
/* A ring_event_fn-compatible wrapper: ud is the printer. */
void printer_event_fn(void *ud, const struct event *ev);

/* How the run ended, for the summary. */
struct printer_end {
	const char *outcome;    /* "finished as written", "deadlock" ... */
	const char *reason;     /* may be NULL or empty */
	int status;             /* ipcscope's exit status */
	double wall_s;          /* real seconds from start to end */
	double speed;
	uint64_t ring_waits;    /* writer waits on a full ring or for a slot */
	uint64_t late;          /* events that arrived after the hold-back */
};

/* Write the summary: outcome, wall time, processes, threads, tasks,
 * callbacks, messages per queue and pipe, manager operations, lost tasks,
 * ring waits. */
void printer_summary(const struct printer *p, FILE *f, const struct printer_end *end);

/* Tallies, for tests and other views. */
struct printer_counts {
	long processes, threads, tasks_submitted, tasks_done, tasks_failed;
	long tasks_lost, callbacks, prints, errors, events;
	int max_tasks_running;  /* most tasks running at once, any pool */
};
const struct printer_counts *printer_counts(const struct printer *p);

#endif
