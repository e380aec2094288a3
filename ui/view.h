#ifndef IPCSCOPE_UI_VIEW_H
#define IPCSCOPE_UI_VIEW_H
/*
 * A view: one file in ui/, one const row of this table at its end. Panels
 * (tree, queues, pipes, pool, events) get a rectangle from the layout;
 * overlays (help, detail, signal menu) draw over the main area; the header
 * and footer have fixed rows. Views read the model (ui->model) and keep
 * only ids in struct ui; they never touch /proc, libproc2 or the run.
 *
 *   want(ui, w)        rows the panel would like at width w (0: hide it)
 *   draw(ui, r, focus) draw inside r (r->y is the title row for panels)
 *   key(ui, ch, is_key) returns enum ui_reaction bits, UI_HANDLED if used
 *   click(ui, r, y, x) a click at (y, x) relative to r
 *   wheel(ui, dir)     -1 up, +1 down
 * Any member but draw may be NULL.
 */
#include <stdbool.h>

#include "app.h"

struct view_ops {
	const char *name;
	int (*want)(struct ui *ui, int w);
	void (*draw)(struct ui *ui, const struct rect *r, bool focus);
	int (*key)(struct ui *ui, int ch, bool is_key);
	int (*click)(struct ui *ui, const struct rect *r, int y, int x);
	int (*wheel)(struct ui *ui, int dir);
};

extern const struct view_ops view_header_ops;
extern const struct view_ops view_footer_ops;
extern const struct view_ops view_tree_ops;
extern const struct view_ops view_queues_ops;
extern const struct view_ops view_pipes_ops;
extern const struct view_ops view_pool_ops;
extern const struct view_ops view_events_ops;
extern const struct view_ops view_detail_ops;
extern const struct view_ops view_help_ops;
extern const struct view_ops view_signal_ops;

/* The panel views by enum ui_panel (layout.c). */
extern const struct view_ops *const view_panels[PANEL_COUNT];

/* Shared by views: a key moving a selection/scroll position 'pos' within
 * [0, n) with page size 'page'. Returns true when 'ch' was a motion key. */
bool view_motion(int ch, bool is_key, int *pos, int n, int page);

#endif
