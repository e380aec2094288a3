#ifndef IPCSCOPE_WATCH_LOOP_H
#define IPCSCOPE_WATCH_LOOP_H
/*
 * The headless watch loop shared by `ipcscope watch` and `ipcscope
 * attach`: a snapshot every interval, printed as text or JSON Lines (and
 * recorded as JSON Lines), until the root exits, a stop signal arrives or
 * 'count' snapshots were taken. It sleeps in ppoll on a pidfd of the root
 * so the root's exit is seen at once; SIGINT, SIGTERM and SIGHUP are only
 * delivered inside that ppoll (blocked elsewhere) and end the loop, as
 * does an output that can no longer be written (SIGPIPE is ignored).
 */
#include <stdio.h>
#include <sys/types.h>

#include "watch/watcher.h"

struct watch_loop_opts {
	int interval_ms;
	int json;                    /* JSON Lines on 'out', else text */
	int count;                   /* stop after this many snapshots; 0 = no */
	FILE *out;                   /* may be NULL: print nothing */
	FILE *record;                /* JSON Lines copy, or NULL */
	int reap_root;               /* the root is our child: reap it */
};

struct watch_loop_result {
	int stop_signal;             /* the signal that ended it, or 0 */
	int root_exited;
	int root_wstatus;            /* raw wait status when reap_root */
	int write_error;             /* output or record became unwritable */
};

/* Install the stop-signal handlers and block them (call once, before
 * forking a child to watch, which must unblock them: see
 * watch_loop_child_signals). */
void watch_loop_signals_init(void);

/* In a forked child before exec: default handlers and an empty mask. */
void watch_loop_child_signals(void);

/* Run the loop on 'w' whose root is 'root'. Returns 0, or -errno when
 * the root cannot be watched (pidfd_open failed). */
int watch_loop_run(struct watcher *w, pid_t root,
    const struct watch_loop_opts *o, struct watch_loop_result *res);

/* The stop signal received so far, or 0 (for cleanup after the loop). */
int watch_loop_stop_signal(void);

#endif
