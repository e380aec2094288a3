#ifndef IPCSCOPE_UI_H
#define IPCSCOPE_UI_H
/*
 * The dashboard: a full-screen ncursesw view of a live run. The only entry
 * point the rest of ipcscope sees.
 */
#include <stdbool.h>

#include "event/event.h"
#include "observe/run.h"
#include "proc/sampler.h"
#include "scenario/scenario.h"

struct ui_opts {
	const char *config_path;  /* --config FILE, or NULL for
	                             $XDG_CONFIG_HOME/ipcscope/ipcscope.ini */
	bool exit_on_finish;      /* --exit-on-finish: leave when the run ends */
	bool speed_given;         /* --speed given: the config's speed is ignored */
	int refresh_ms;           /* > 0 overrides the config's refresh_ms */
	const char *theme;        /* non-NULL overrides the config's theme */
	/* Optional extra sink (e.g. --record): called with every event of
	 * every run (restarts included), in order, after the model saw it. */
	void (*on_event)(void *ud, const struct event *ev);
	void *on_event_ud;
	/* Optional sink for /proc samples (e.g. --record): called after each
	 * sample the dashboard takes of the run's processes, with the snapshot
	 * (valid during the call only) and its time in ns since the run's
	 * start (the time base of events handed to on_event). */
	void (*on_sample)(void *ud, const struct proc_snapshot *snap, int64_t t_ns);
	void *on_sample_ud;
};

/* Run 'sc' (borrowed) under the dashboard until the user quits (q, F10), a
 * signal (SIGINT, SIGTERM, SIGHUP) or, with exit_on_finish, the end of the
 * run. Starts the run itself with 'o' (run_start) and restarts it on 'r'.
 * stdin and stdout must be a terminal. Always restores the terminal and
 * leaves no scenario process behind. Returns the exit status: the run's
 * (run_exit_status: 0 finished as written, 1 failed) when it ended, 0 when
 * the user quit a run still going, 128 + N when stopped by signal N, 1 when
 * the dashboard could not start or its config is bad (message on stderr). */
int ui_main(const struct scenario *sc, const struct run_opts *o,
    const struct ui_opts *u);

#endif
