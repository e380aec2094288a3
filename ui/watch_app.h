#ifndef IPCSCOPE_UI_WATCH_APP_H
#define IPCSCOPE_UI_WATCH_APP_H
/*
 * The watch dashboard's state (ipcscope watch / attach without
 * --headless), shared by its loop (watch_app.c), its keys and layout
 * (watch_keys.c) and its views (view_w*.c, view_edges.c). The watcher is
 * the source, the watch model (src/watch/wmodel.h) what the views read;
 * views keep ids only: a process as (pid, start time), an edge as its
 * kernel object (kind, inode).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "app.h"
#include "config.h"
#include "proc/sampler.h"
#include "ui.h"
#include "watch/wmodel.h"

enum wpanel { WP_TREE, WP_EDGES, WP_BLOCKED, WP_EVENTS, WP_COUNT };
enum wov { WOV_NONE, WOV_HELP, WOV_DETAIL, WOV_SIGNAL, WOV_FILTER };

struct wui {
	struct ui_watch_opts o;
	struct ui_config cfg;
	struct watcher *w;
	struct wmodel model;
	struct wmodel_frame frozen;  /* the frame shown while paused */
	bool paused;                 /* the display only, never the program */
	bool utf8;
	int64_t start_ns;

	/* the root */
	bool root_exited;
	int root_wstatus;            /* raw, when we reaped it, else -1 */
	double root_exit_t;          /* seconds since the start */
	bool root_noted;             /* its exit is in the log */
	bool all_gone;               /* no live member left: sampling stops */

	char msg[160];
	int64_t msg_until;

	/* layout */
	int rows, cols;
	bool banner;                 /* the likely-deadlock row is shown */
	struct rect panel[WP_COUNT];
	bool shown[WP_COUNT];
	int focus;                   /* enum wpanel */
	int overlay;                 /* enum wov */

	/* tree selection: (pid, start) */
	pid_t sel_pid;
	uint64_t sel_start;
	int tree_top;
	/* edges: the selected kernel object */
	int edge_kind;
	unsigned long edge_inode;
	int edges_top;
	int blocked_top;
	/* events */
	char ev_filter[64];
	char ev_edit[64];
	int ev_scroll;               /* entries up from the newest; 0 follows */
	/* detail of (det_pid, det_start) and the signal menu */
	pid_t det_pid;
	uint64_t det_start;
	int det_scroll;
	struct proc_fd *det_fds;
	int det_nfds;                /* < 0: -errno listing them */
	char det_cmd[1024];
	int sig_sel;
};

/* A watch view: as struct view_ops (ui/view.h), over struct wui. */
struct wview_ops {
	const char *name;
	int (*want)(struct wui *u, int w);
	void (*draw)(struct wui *u, const struct rect *r, bool focus);
	int (*key)(struct wui *u, int ch, bool is_key);
	int (*click)(struct wui *u, const struct rect *r, int y, int x);
	int (*wheel)(struct wui *u, int dir);
};

extern const struct wview_ops wview_tree_ops, wview_edges_ops,
    wview_blocked_ops, wview_events_ops, wview_detail_ops, wview_signal_ops,
    wview_help_ops, wview_header_ops, wview_footer_ops;
extern const struct wview_ops *const wview_panels[WP_COUNT];

/* The frame the views show: the latest, or the frozen one while paused. */
const struct wmodel_frame *wui_frame(const struct wui *u);
/* Last log entry (exclusive seq) the views show. */
uint64_t wui_log_upto(const struct wui *u);
/* Show a status message for a few seconds. */
void wui_message(struct wui *u, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Pause / resume the display (the watched program runs on). */
void wui_toggle_pause(struct wui *u);
/* The selected process in the shown frame, or NULL. */
const struct watch_proc *wui_selected(const struct wui *u);
/* Re-read the detail process's command line and descriptors (on opening
 * the detail view and at each new frame while it is open). */
void wui_detail_refresh(struct wui *u);
void wui_detail_free(struct wui *u);

/* watch_keys.c: layout for the terminal size (false below 60x15), one
 * key, one mouse event. Rows the footer takes. */
bool wlayout_compute(struct wui *u);
int wkeys_dispatch(struct wui *u, int ch, bool is_key);
int wkeys_mouse(struct wui *u);
int wfooter_rows(const struct wui *u);

/* Tree prefix ("│ ├─") of a row into buf. */
void wtree_prefix(char *buf, size_t len, const struct wmodel_row *r);
/* A fill bar of 'w' columns at (y, x). */
void wdraw_bar(int y, int x, int w, long fill, long cap);

#endif
