/* The event log: newest at the bottom, filtered by class and by text. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "draw.h"
#include "view.h"

/* Class presets cycled with 'v'. */
static const struct { int mask; const char *name; } presets[] = {
	{ LOGC_PROC | LOGC_POOL | LOGC_OUT, "default" },
	{ LOGC_ALL, "all" },
	{ LOGC_PROC | LOGC_IPC | LOGC_OUT, "ipc" },
	{ LOGC_OUT, "output" },
};
#define NPRESETS (sizeof(presets) / sizeof(presets[0]))

static const char *
preset_name(int mask)
{
	for (size_t i = 0; i < NPRESETS; i++)
		if (presets[i].mask == mask)
			return presets[i].name;
	return "custom";
}

static int
events_want(struct ui *ui, int w)
{
	(void)ui; (void)w;
	return 1000;
}

static int
count_matching(const struct ui *ui)
{
	int n = 0;
	size_t total = model_log_count(&ui->model);
	for (size_t k = 0; k < total; k++)
		if (model_log_match(model_log_at(&ui->model, k), ui->ev_mask,
		    ui->ev_filter))
			n++;
	return n;
}

static void
events_draw(struct ui *ui, const struct rect *r, bool focus)
{
	char right[128];
	int shown = count_matching(ui);
	snprintf(right, sizeof(right), "%s%s%s%s%d/%llu", preset_name(ui->ev_mask),
	    ui->ev_filter[0] ? " /" : "", ui->ev_filter,
	    ui->ev_scroll ? " (scrolled) " : " ", shown,
	    (unsigned long long)ui->model.log_seq);
	draw_title(r, focus, "Events", right);
	int body = r->h - 1;
	if (body <= 0)
		return;
	if (ui->ev_scroll > shown - body)
		ui->ev_scroll = shown - body > 0 ? shown - body : 0;

	/* Walk back from the newest matching entry. */
	const struct model_log_entry *sel[256];
	int nsel = 0, skip = ui->ev_scroll;
	size_t total = model_log_count(&ui->model);
	for (size_t k = total; k > 0 && nsel < body && nsel < 256; k--) {
		const struct model_log_entry *e = model_log_at(&ui->model, k - 1);
		if (!model_log_match(e, ui->ev_mask, ui->ev_filter))
			continue;
		if (skip > 0) {
			skip--;
			continue;
		}
		sel[nsel++] = e;
	}
	bool narrow = r->w < 80;
	for (int i = 0; i < nsel; i++) {
		const struct model_log_entry *e = sel[nsel - 1 - i];
		int y = r->y + 1 + i;     /* few entries: from the top */
		attr_t a = theme_attr(UIC_NORMAL);
		if (e->alert)
			a = theme_attr(UIC_ALERT);
		else if (e->cls & (LOGC_WAIT | LOGC_IPC))
			a = theme_attr(UIC_DIM);
		else if (e->kind == EV_CALLBACK)
			a = theme_attr(UIC_GOOD);
		char head[48];
		double t = (double)model_scen(&ui->model, e->t_ns) / 1e9;
		const struct model_proc *p = model_proc_by_pid(&ui->model, e->pid);
		if (narrow)
			snprintf(head, sizeof(head), "%7.3f %6d ", t, (int)e->pid);
		else
			snprintf(head, sizeof(head), "%8.3f %7d %-10.10s ", t,
			    (int)e->pid, e->pid > 0 && p ? p->name : "ipcscope");
		int x = r->x + 1;
		x += draw_text(y, x, r->w - 1, theme_attr(UIC_DIM), head);
		if (e->kind == EV_PRINT && !e->alert)
			a = theme_attr(UIC_NORMAL) | A_BOLD;
		draw_text(y, x, r->x + r->w - x, a, e->text);
	}
}

/* Typing the filter: printable characters, Backspace, Enter keeps it, Esc
 * drops it. */
static int
filter_key(struct ui *ui, int ch, bool is_key)
{
	size_t n = strlen(ui->ev_edit);
	if (!is_key && (ch == '\n' || ch == '\r')) {
		snprintf(ui->ev_filter, sizeof(ui->ev_filter), "%s", ui->ev_edit);
		ui->overlay = OV_NONE;
		ui->ev_scroll = 0;
	} else if (!is_key && ch == 27) {
		ui->overlay = OV_NONE;
	} else if ((is_key && ch == KEY_BACKSPACE) ||
	    (!is_key && (ch == 127 || ch == 8))) {
		if (n > 0)
			ui->ev_edit[n - 1] = '\0';
	} else if (!is_key && ch >= 0x20 && ch < 0x7f &&
	    n + 1 < sizeof(ui->ev_edit)) {
		ui->ev_edit[n] = (char)ch;
		ui->ev_edit[n + 1] = '\0';
	}
	/* Live: the list follows what is typed. */
	if (ui->overlay == OV_FILTER)
		snprintf(ui->ev_filter, sizeof(ui->ev_filter), "%s", ui->ev_edit);
	return UI_HANDLED | UI_REDRAW;
}

static int
events_key(struct ui *ui, int ch, bool is_key)
{
	if (ui->overlay == OV_FILTER)
		return filter_key(ui, ch, is_key);
	int shown = count_matching(ui);
	int page = ui->panel[PANEL_EVENTS].h - 1;
	/* Position counted from the top for view_motion. */
	int pos = shown - 1 - ui->ev_scroll;
	if (view_motion(ch, is_key, &pos, shown, page > 1 ? page : 1)) {
		ui->ev_scroll = shown - 1 - pos;
		if (ch == KEY_END)
			ui->ev_scroll = 0;
		if (ch == KEY_HOME)
			ui->ev_scroll = shown;   /* clamped at draw */
		return UI_HANDLED | UI_REDRAW;
	}
	if (!is_key && ch == 'v') {
		size_t i = 0;
		while (i < NPRESETS && presets[i].mask != ui->ev_mask)
			i++;
		ui->ev_mask = presets[(i + 1) % NPRESETS].mask;
		ui->ev_scroll = 0;
		return UI_HANDLED | UI_REDRAW;
	}
	return UI_NONE;
}

static int
events_wheel(struct ui *ui, int dir)
{
	ui->ev_scroll -= dir * 3;
	if (ui->ev_scroll < 0)
		ui->ev_scroll = 0;
	return UI_REDRAW;
}

const struct view_ops view_events_ops = {
	.name = "events",
	.want = events_want,
	.draw = events_draw,
	.key = events_key,
	.wheel = events_wheel,
};
