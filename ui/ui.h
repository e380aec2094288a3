#ifndef IPCSCOPE_UI_H
#define IPCSCOPE_UI_H
/*
 * The dashboard: a full-screen ncursesw view of a live run. The only entry
 * point the rest of ipcscope sees.
 */
#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>

#include "event/event.h"
#include "observe/run.h"
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

/* ---- ipcscope watch / attach ---- */

struct watcher;

struct ui_watch_opts {
	pid_t root;               /* the watched tree's root */
	bool started;             /* watch: root is our child in its own
	                             process group; we reap it, and the crash
	                             handler kills its group. attach: false,
	                             the tree is never disturbed. */
	int interval_ms;          /* --interval: sampling period */
	const char *title;        /* "watch: python3 app.py", "attach 1234" */
	FILE *record;             /* --record: JSON Lines of each snapshot,
	                             or NULL */
};

struct ui_watch_result {
	int quit_signal;          /* SIGINT / SIGTERM / SIGHUP that ended it */
	bool root_exited;         /* the root exited while watched */
	int root_wstatus;         /* its raw wait status when 'started' */
	bool record_error;        /* the record file became unwritable */
};

/* The live dashboard over a watched process tree: snapshots from 'w'
 * (borrowed) every interval_ms until the user quits (q, F10) or a signal
 * (SIGINT, SIGTERM, SIGHUP) arrives. When the root exits, the final state
 * stays on screen until q. It never stops, signals or reads from the
 * watched processes (but for the signals the user sends from the menu);
 * pausing pauses the display only. Stopping what 'watch' started is the
 * caller's job after the return. The stop signals may be blocked on entry
 * (watch_loop_signals_init); they are blocked again on return. stdin and
 * stdout must be a terminal. Always restores the terminal. Returns 0, or
 * 1 when the dashboard could not start (message on stderr). */
int ui_watch_main(struct watcher *w, const struct ui_watch_opts *o,
    struct ui_watch_result *res);

#endif
