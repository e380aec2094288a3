/* The key table (htop's conventions) and the mouse. A key goes to the open
 * overlay first, then to the focused panel, then to this table. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "view.h"

typedef int (*key_action_fn)(struct ui *ui);

struct key_binding {
	int ch;
	bool is_key;          /* a KEY_* code rather than a character */
	key_action_fn fn;
};

static int
act_help(struct ui *ui)
{
	ui->overlay = ui->overlay == OV_HELP ? OV_NONE : OV_HELP;
	return UI_REDRAW;
}

static int
act_quit(struct ui *ui)
{
	(void)ui;
	return UI_QUIT;
}

static int
act_pause(struct ui *ui)
{
	ui_toggle_pause(ui);
	return UI_REDRAW;
}

static int
act_faster(struct ui *ui)
{
	ui_change_speed(ui, 2.0);
	return UI_REDRAW;
}

static int
act_slower(struct ui *ui)
{
	ui_change_speed(ui, 0.5);
	return UI_REDRAW;
}

static int
act_restart(struct ui *ui)
{
	(void)ui;
	return UI_RESTART | UI_REDRAW;
}

static void
focus_step(struct ui *ui, int dir)
{
	for (int i = 0; i < PANEL_COUNT; i++) {
		ui->focus = (ui->focus + dir + PANEL_COUNT) % PANEL_COUNT;
		if (ui->shown[ui->focus])
			return;
	}
}

static int
act_focus_next(struct ui *ui)
{
	focus_step(ui, 1);
	return UI_REDRAW;
}

static int
act_focus_prev(struct ui *ui)
{
	focus_step(ui, -1);
	return UI_REDRAW;
}

static int
act_detail(struct ui *ui)
{
	if (ui_selected_proc(ui) == NULL)
		return UI_NONE;
	ui->detail_proc = ui->tree_sel;
	ui->detail_scroll = 0;
	ui->overlay = OV_DETAIL;
	detail_refresh(ui);
	return UI_REDRAW;
}

static int
act_signal(struct ui *ui)
{
	struct model_proc *p = ui_selected_proc(ui);
	if (!p || p->life != LIFE_RUNNING || ui->finished) {
		ui_message(ui, "Select a live process in the tree first");
		return UI_REDRAW;
	}
	ui->sig_sel = 0;
	ui->overlay = OV_SIGNAL;
	return UI_REDRAW;
}

static int
act_filter(struct ui *ui)
{
	snprintf(ui->ev_edit, sizeof(ui->ev_edit), "%s", ui->ev_filter);
	ui->overlay = OV_FILTER;
	return UI_REDRAW;
}

static int
act_clear_filter(struct ui *ui)
{
	ui->ev_filter[0] = '\0';
	return UI_REDRAW;
}

static int
act_zoom_out(struct ui *ui)
{
	return view_pool_ops.key(ui, '<', false) | UI_REDRAW;
}

static int
act_zoom_in(struct ui *ui)
{
	return view_pool_ops.key(ui, '>', false) | UI_REDRAW;
}

static int
act_event_classes(struct ui *ui)
{
	return view_events_ops.key(ui, 'v', false) | UI_REDRAW;
}

static int
act_threads(struct ui *ui)
{
	return view_tree_ops.key(ui, 't', false) | UI_REDRAW;
}

static int
act_redraw(struct ui *ui)
{
	(void)ui;
	clearok(curscr, TRUE);
	return UI_REDRAW;
}

static const struct key_binding bindings[] = {
	{ KEY_F(1), true, act_help },      { '?', false, act_help },
	{ 'h', false, act_help },
	{ 'q', false, act_quit },          { KEY_F(10), true, act_quit },
	{ ' ', false, act_pause },
	{ '+', false, act_faster },        { '-', false, act_slower },
	{ 'r', false, act_restart },       { KEY_F(5), true, act_restart },
	{ '\t', false, act_focus_next },   { KEY_BTAB, true, act_focus_prev },
	{ '\n', false, act_detail },       { '\r', false, act_detail },
	{ KEY_ENTER, true, act_detail },
	{ 'k', false, act_signal },        { KEY_F(9), true, act_signal },
	{ '/', false, act_filter },        { KEY_F(3), true, act_filter },
	{ 27, false, act_clear_filter },
	{ '<', false, act_zoom_out },      { '>', false, act_zoom_in },
	{ 'v', false, act_event_classes }, { 't', false, act_threads },
	{ 12, false, act_redraw },         /* ^L */
};

int
keys_dispatch(struct ui *ui, int ch, bool is_key)
{
	static const struct view_ops *const overlays[] = {
		[OV_HELP] = &view_help_ops, [OV_DETAIL] = &view_detail_ops,
		[OV_SIGNAL] = &view_signal_ops, [OV_FILTER] = &view_events_ops,
	};
	int r;
	if (ui->overlay != OV_NONE) {
		r = overlays[ui->overlay]->key(ui, ch, is_key);
		if (r & UI_HANDLED)
			return r;
	} else if (ui->shown[ui->focus] && view_panels[ui->focus]->key) {
		r = view_panels[ui->focus]->key(ui, ch, is_key);
		if (r & UI_HANDLED)
			return r;
	}
	for (size_t i = 0; i < sizeof(bindings) / sizeof(bindings[0]); i++)
		if (bindings[i].ch == ch && bindings[i].is_key == is_key)
			return bindings[i].fn(ui);
	/* Arrows move the tree when the focused panel did not use them. */
	if (is_key && ui->overlay == OV_NONE && ui->focus != PANEL_TREE &&
	    (ch == KEY_UP || ch == KEY_DOWN))
		return view_tree_ops.key(ui, ch, is_key);
	return UI_NONE;
}

static int
panel_at(const struct ui *ui, int y, int x)
{
	for (int p = 0; p < PANEL_COUNT; p++) {
		const struct rect *r = &ui->panel[p];
		if (ui->shown[p] && y >= r->y && y < r->y + r->h && x >= r->x &&
		    x < r->x + r->w)
			return p;
	}
	return -1;
}

int
keys_mouse(struct ui *ui)
{
	MEVENT me;
	if (getmouse(&me) != OK || ui->overlay != OV_NONE)
		return UI_NONE;
	int p = panel_at(ui, me.y, me.x);
	if (p < 0)
		return UI_NONE;
	const struct view_ops *v = view_panels[p];
	if (me.bstate & BUTTON4_PRESSED)
		return v->wheel ? v->wheel(ui, -1) : UI_NONE;
#ifdef BUTTON5_PRESSED
	if (me.bstate & BUTTON5_PRESSED)
		return v->wheel ? v->wheel(ui, 1) : UI_NONE;
#endif
	if (me.bstate & (BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_RELEASED)) {
		ui->focus = p;
		if (v->click)
			v->click(ui, &ui->panel[p], me.y - ui->panel[p].y,
			    me.x - ui->panel[p].x);
		if (me.bstate & BUTTON1_DOUBLE_CLICKED && p == PANEL_TREE)
			return act_detail(ui);
		return UI_REDRAW;
	}
	if ((me.bstate & BUTTON1_DOUBLE_CLICKED) && p == PANEL_TREE) {
		ui->focus = p;
		if (v->click)
			v->click(ui, &ui->panel[p], me.y - ui->panel[p].y,
			    me.x - ui->panel[p].x);
		return act_detail(ui);
	}
	return UI_NONE;
}
