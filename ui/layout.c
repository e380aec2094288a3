/* Where each panel goes for the terminal's size. */
#include <string.h>

#include "app.h"
#include "view.h"

#define MIN_COLS 60
#define MIN_ROWS 15

const struct view_ops *const view_panels[PANEL_COUNT] = {
	[PANEL_TREE] = &view_tree_ops,
	[PANEL_QUEUES] = &view_queues_ops,
	[PANEL_PIPES] = &view_pipes_ops,
	[PANEL_POOL] = &view_pool_ops,
	[PANEL_EVENTS] = &view_events_ops,
};

static const int min_rows[PANEL_COUNT] = {
	[PANEL_TREE] = 4, [PANEL_QUEUES] = 2, [PANEL_PIPES] = 2,
	[PANEL_POOL] = 3, [PANEL_EVENTS] = 3,
};

/* Stack panels 'order' (n of them) into 'area': each gets its minimum in
 * order while room is left, then what it wants up to 'cap', and the last
 * one (events, wanting everything) gets the rest. */
static void
stack(struct ui *ui, const struct rect *area, const int *order, int n)
{
	int h[PANEL_COUNT] = { 0 }, want[PANEL_COUNT] = { 0 };
	int left = area->h;
	/* Minimums by priority: tree, events, pool, queues, pipes. */
	static const int prio[] = { PANEL_TREE, PANEL_EVENTS, PANEL_POOL,
		PANEL_QUEUES, PANEL_PIPES };
	for (int j = 0; j < PANEL_COUNT; j++) {
		int p = prio[j], i = 0;
		while (i < n && order[i] != p)
			i++;
		if (i == n)
			continue;
		want[p] = view_panels[p]->want ? view_panels[p]->want(ui, area->w) : 0;
		if (want[p] <= 0)
			continue;
		int m = min_rows[p] < want[p] ? min_rows[p] : want[p];
		if (m <= left) {
			h[p] = m;
			left -= m;
		}
	}
	for (int i = 0; i < n && left > 0; i++) {
		int p = order[i];
		if (!h[p] || p == PANEL_EVENTS)
			continue;
		int cap = want[p];
		if (p == PANEL_TREE && cap > area->h * 2 / 5 && n > 1)
			cap = area->h * 2 / 5 > min_rows[p] ? area->h * 2 / 5 : min_rows[p];
		int extra = cap - h[p];
		if (extra > left)
			extra = left;
		if (extra > 0) {
			h[p] += extra;
			left -= extra;
		}
	}
	/* The rest: events, else the tree; a column without either keeps its
	 * spare rows blank at the bottom. */
	int sink = -1;
	for (int i = 0; i < n; i++)
		if (h[order[i]] && (order[i] == PANEL_EVENTS ||
		    (order[i] == PANEL_TREE && sink < 0)))
			sink = order[i];
	if (sink >= 0)
		h[sink] += left;
	int y = area->y;
	for (int i = 0; i < n; i++) {
		int p = order[i];
		ui->shown[p] = h[p] > 0;
		ui->panel[p] = (struct rect){ y, area->x, h[p], area->w };
		y += h[p];
	}
}

bool
layout_compute(struct ui *ui)
{
	memset(ui->shown, 0, sizeof(ui->shown));
	if (ui->cols < MIN_COLS || ui->rows < MIN_ROWS)
		return false;
	int top = 2, bottom = footer_rows(ui);
	struct rect main = { top, 0, ui->rows - top - bottom, ui->cols };
	bool right_side = view_panels[PANEL_QUEUES]->want(ui, 60) > 0 ||
	    view_panels[PANEL_PIPES]->want(ui, 60) > 0 ||
	    view_panels[PANEL_POOL]->want(ui, 60) > 0;
	if (ui->cols >= 150 && right_side) {
		int lw = ui->cols * 11 / 20;
		struct rect left = { main.y, 0, main.h, lw };
		struct rect right = { main.y, lw + 1, main.h, ui->cols - lw - 1 };
		static const int lo[] = { PANEL_TREE, PANEL_EVENTS };
		static const int ro[] = { PANEL_POOL, PANEL_QUEUES, PANEL_PIPES };
		stack(ui, &left, lo, 2);
		stack(ui, &right, ro, 3);
		/* The right column keeps its spare rows at the bottom (blank). */
	} else {
		static const int order[] = { PANEL_TREE, PANEL_POOL, PANEL_QUEUES,
			PANEL_PIPES, PANEL_EVENTS };
		stack(ui, &main, order, 5);
	}
	if (!ui->shown[ui->focus])
		ui->focus = PANEL_TREE;
	return true;
}
