#ifndef IPCSCOPE_UI_APP_H
#define IPCSCOPE_UI_APP_H
/*
 * The dashboard's state, shared by the loop (app.c), the key table (keys.c),
 * the layout and the views. Views keep ids (process index, object index)
 * and resolve them against the model at each draw.
 */
#include <stdbool.h>
#include <stdint.h>

#include "config.h"
#include "model/model.h"
#include "observe/run.h"
#include "proc/sampler.h"
#include "ui.h"

/* What a key handler or a view asks the loop to do (bit flags). */
enum ui_reaction {
	UI_NONE    = 0,
	UI_REDRAW  = 1 << 0,
	UI_QUIT    = 1 << 1,
	UI_RESTART = 1 << 2,
	UI_HANDLED = 1 << 3,   /* the key was used (stop looking) */
	UI_RESAMPLE = 1 << 4,
};

struct rect { int y, x, h, w; };

enum ui_panel { PANEL_TREE, PANEL_QUEUES, PANEL_PIPES, PANEL_POOL,
	PANEL_EVENTS, PANEL_COUNT };
enum ui_overlay { OV_NONE, OV_HELP, OV_DETAIL, OV_SIGNAL, OV_FILTER };

struct ui {
	const struct scenario *sc;
	struct run_opts ro;
	struct ui_opts uo;
	struct ui_config cfg;
	struct run *run;
	struct model model;
	struct sampler *sampler;
	bool utf8;

	/* run state as shown */
	enum run_state state;
	bool finished;            /* the run is over (any ending) */
	int exit_status;
	int64_t start_ns;         /* CLOCK_MONOTONIC at run start */
	int64_t end_ns;           /* when it ended, 0 while going */
	int64_t scen_ns;          /* scenario time (run_now), frozen at the end */
	int64_t ev_base_ns;       /* added to event times: the run's start when
	                             run_poll hands out times relative to it */
	int ev_base_known;        /* decided at the run's first event */
	bool paused;
	int64_t paused_total_ns, paused_since;
	double speed;
	char msg[160];            /* transient status message */
	int64_t msg_until;

	/* layout */
	int rows, cols;
	struct rect panel[PANEL_COUNT];
	bool shown[PANEL_COUNT];
	int focus;                /* enum ui_panel */
	int overlay;              /* enum ui_overlay */

	/* tree */
	int tree_sel;             /* selected row's process id, -1 none */
	int tree_sel_thread;      /* -1: the process row */
	int tree_top;
	bool tree_threads;
	/* queues / pipes */
	int queues_top, pipes_top;
	/* pool timeline */
	int pool_index;           /* which pool (n-th pool object) */
	int64_t pool_ns_per_col;  /* 0 = fit the whole run */
	int64_t pool_scroll_ns;   /* how far back from now the right edge is */
	/* events */
	int ev_mask;              /* enum model_log_class bits */
	char ev_filter[64];
	char ev_edit[64];         /* the filter being typed */
	int ev_scroll;            /* entries up from the newest; 0 = follow */
	/* detail and signal menu */
	int detail_proc;          /* process id */
	int detail_scroll;
	struct proc_fd *detail_fds;  /* read by detail_refresh() */
	int detail_nfds;
	char (*detail_labels)[48];   /* what each fd is: "queue q (read end)" */
	char detail_cmd[256];
	int sig_sel;
};

/* Monotonic clock, ns. */
int64_t ui_now_ns(void);
/* Elapsed run time as shown: real time since start without pauses. */
int64_t ui_run_elapsed(const struct ui *ui);
/* Now as the model sees it (for "blocked 1.2 s"); frozen while paused. */
int64_t ui_model_now(const struct ui *ui);
/* Show 'fmt' in the status line for a few seconds. */
void ui_message(struct ui *ui, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Actions the key table and the mouse use (app.c). */
void ui_toggle_pause(struct ui *ui);
void ui_change_speed(struct ui *ui, double factor);
/* The selected process (tree), or NULL. */
struct model_proc *ui_selected_proc(const struct ui *ui);

/* view_detail.c: re-read the selected process's descriptors and command
 * line (on opening the detail view and at each sample while it is open). */
void detail_refresh(struct ui *ui);
void detail_free(struct ui *ui);

/* view_footer.c: rows the footer takes (key hints, plus the summary of a
 * finished run, wrapped on up to 4 rows). */
int footer_rows(struct ui *ui);

/* layout.c: compute ui->panel[] / shown[] for the terminal size. Returns
 * false when the terminal is below 60x15. */
bool layout_compute(struct ui *ui);

/* keys.c: handle one key (curses key code or wide char; 'is_key' when a
 * KEY_* code). */
int keys_dispatch(struct ui *ui, int ch, bool is_key);
/* keys.c: the mouse event just read with getmouse. */
int keys_mouse(struct ui *ui);

/* app.c, for the replay view (ui/replay_app.c): draw every panel of the
 * dashboard (then refresh), and read the config as ui_main does (0, or -1
 * with a message on stderr). */
void ui_draw(struct ui *ui);
int ui_load_config(struct ui *ui, const struct ui_opts *u);

#endif
