/* The watch dashboard's layout, key table and mouse. A key goes to the
 * open overlay first, then to the focused panel, then to this table. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "view.h"
#include "watch_app.h"

#define MIN_COLS 60
#define MIN_ROWS 15

const struct wview_ops *const wview_panels[WP_COUNT] = {
	[WP_TREE] = &wview_tree_ops,
	[WP_EDGES] = &wview_edges_ops,
	[WP_BLOCKED] = &wview_blocked_ops,
	[WP_EVENTS] = &wview_events_ops,
};

static const int min_rows[WP_COUNT] = {
	[WP_TREE] = 4, [WP_EDGES] = 3, [WP_BLOCKED] = 2, [WP_EVENTS] = 3,
};

int
wfooter_rows(const struct wui *u)
{
	return u->root_exited ? 2 : 1;
}

/* Top to bottom: tree, edges, blocked, events. Each panel gets its
 * minimum (by priority: tree, events, edges, blocked) while room is left,
 * then what it wants (the tree at most 40%, edges at most 30%), and the
 * events panel the rest. */
bool
wlayout_compute(struct wui *u)
{
	memset(u->shown, 0, sizeof(u->shown));
	if (u->cols < MIN_COLS || u->rows < MIN_ROWS)
		return false;
	u->banner = wui_frame(u)->s.ncycles > 0;
	int top = u->banner ? 3 : 2;
	int left = u->rows - top - wfooter_rows(u);
	int h[WP_COUNT] = { 0 }, want[WP_COUNT];
	static const int prio[] = { WP_TREE, WP_EVENTS, WP_EDGES, WP_BLOCKED };
	for (int j = 0; j < WP_COUNT; j++) {
		int p = prio[j];
		want[p] = wview_panels[p]->want(u, u->cols);
		int m = min_rows[p] < want[p] ? min_rows[p] : want[p];
		if (m <= left) {
			h[p] = m;
			left -= m;
		}
	}
	int total = u->rows - top - wfooter_rows(u);
	int cap[WP_COUNT] = { total * 2 / 5, total * 3 / 10, total / 5, 0 };
	for (int p = 0; p < WP_EVENTS && left > 0; p++) {
		if (!h[p])
			continue;
		int c = want[p] < cap[p] ? want[p] : cap[p];
		int extra = c - h[p];
		if (extra > left)
			extra = left;
		if (extra > 0) {
			h[p] += extra;
			left -= extra;
		}
	}
	h[h[WP_EVENTS] ? WP_EVENTS : WP_TREE] += left;
	int y = top;
	for (int p = 0; p < WP_COUNT; p++) {
		u->shown[p] = h[p] > 0;
		u->panel[p] = (struct rect){ y, 0, h[p], u->cols };
		y += h[p];
	}
	if (!u->shown[u->focus])
		u->focus = WP_TREE;
	return true;
}

/* ---- actions ---- */

typedef int (*wkey_fn)(struct wui *u);

static int
act_help(struct wui *u)
{
	u->overlay = u->overlay == WOV_HELP ? WOV_NONE : WOV_HELP;
	return UI_REDRAW;
}

static int
act_quit(struct wui *u)
{
	(void)u;
	return UI_QUIT;
}

static int
act_pause(struct wui *u)
{
	wui_toggle_pause(u);
	return UI_REDRAW;
}

static void
focus_step(struct wui *u, int dir)
{
	for (int i = 0; i < WP_COUNT; i++) {
		u->focus = (u->focus + dir + WP_COUNT) % WP_COUNT;
		if (u->shown[u->focus])
			return;
	}
}

static int
act_next(struct wui *u)
{
	focus_step(u, 1);
	return UI_REDRAW;
}

static int
act_prev(struct wui *u)
{
	focus_step(u, -1);
	return UI_REDRAW;
}

static int
act_detail(struct wui *u)
{
	const struct watch_proc *p = wui_selected(u);
	if (!p)
		return UI_NONE;
	u->det_pid = p->pid;
	u->det_start = p->start;
	u->det_scroll = 0;
	u->overlay = WOV_DETAIL;
	wui_detail_free(u);
	wui_detail_refresh(u);
	return UI_REDRAW;
}

static int
act_signal(struct wui *u)
{
	const struct watch_proc *p = wui_selected(u);
	if (!p || p->state == 'X' || p->state == 'Z') {
		wui_message(u, "Select a live process in the tree first");
		return UI_REDRAW;
	}
	u->sig_sel = 0;
	u->overlay = WOV_SIGNAL;
	return UI_REDRAW;
}

static int
act_filter(struct wui *u)
{
	snprintf(u->ev_edit, sizeof(u->ev_edit), "%s", u->ev_filter);
	u->overlay = WOV_FILTER;
	return UI_REDRAW;
}

static int
act_clear_filter(struct wui *u)
{
	u->ev_filter[0] = '\0';
	return UI_REDRAW;
}

static int
act_redraw(struct wui *u)
{
	(void)u;
	clearok(curscr, TRUE);
	return UI_REDRAW;
}

static const struct { int ch; bool is_key; wkey_fn fn; } bindings[] = {
	{ KEY_F(1), true, act_help },      { '?', false, act_help },
	{ 'h', false, act_help },
	{ 'q', false, act_quit },          { KEY_F(10), true, act_quit },
	{ ' ', false, act_pause },
	{ '\t', false, act_next },         { KEY_BTAB, true, act_prev },
	{ '\n', false, act_detail },       { '\r', false, act_detail },
	{ KEY_ENTER, true, act_detail },
	{ 'k', false, act_signal },        { KEY_F(9), true, act_signal },
	{ '/', false, act_filter },        { KEY_F(3), true, act_filter },
	{ 27, false, act_clear_filter },
	{ 12, false, act_redraw },         /* ^L */
};

int
wkeys_dispatch(struct wui *u, int ch, bool is_key)
{
	static const struct wview_ops *const overlays[] = {
		[WOV_HELP] = &wview_help_ops, [WOV_DETAIL] = &wview_detail_ops,
		[WOV_SIGNAL] = &wview_signal_ops, [WOV_FILTER] = &wview_events_ops,
	};
	int r;
	if (u->overlay != WOV_NONE) {
		r = overlays[u->overlay]->key(u, ch, is_key);
		if (r & UI_HANDLED)
			return r;
	} else if (u->shown[u->focus] && wview_panels[u->focus]->key) {
		r = wview_panels[u->focus]->key(u, ch, is_key);
		if (r & UI_HANDLED)
			return r;
	}
	for (size_t i = 0; i < sizeof(bindings) / sizeof(bindings[0]); i++)
		if (bindings[i].ch == ch && bindings[i].is_key == is_key)
			return bindings[i].fn(u);
	/* Up and Down move the tree when the focused panel did not use them. */
	if (is_key && u->overlay == WOV_NONE && u->focus != WP_TREE &&
	    (ch == KEY_UP || ch == KEY_DOWN))
		return wview_tree_ops.key(u, ch, is_key);
	return UI_NONE;
}

int
wkeys_mouse(struct wui *u)
{
	MEVENT me;
	if (getmouse(&me) != OK || u->overlay != WOV_NONE)
		return UI_NONE;
	for (int p = 0; p < WP_COUNT; p++) {
		const struct rect *r = &u->panel[p];
		if (!u->shown[p] || me.y < r->y || me.y >= r->y + r->h ||
		    me.x < r->x || me.x >= r->x + r->w)
			continue;
		const struct wview_ops *v = wview_panels[p];
		if (me.bstate & BUTTON4_PRESSED)
			return v->wheel ? v->wheel(u, -1) : UI_NONE;
#ifdef BUTTON5_PRESSED
		if (me.bstate & BUTTON5_PRESSED)
			return v->wheel ? v->wheel(u, 1) : UI_NONE;
#endif
		u->focus = p;
		if (v->click)
			v->click(u, r, me.y - r->y, me.x - r->x);
		if ((me.bstate & BUTTON1_DOUBLE_CLICKED) && p == WP_TREE)
			return act_detail(u);
		return UI_REDRAW;
	}
	return UI_NONE;
}
