/* The watch event log: changes found between consecutive snapshots,
 * newest at the bottom, filtered by text (/). */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "draw.h"
#include "view.h"
#include "watch_app.h"

static bool
match(const struct wmodel_event *e, const char *filter)
{
	if (!filter[0])
		return true;
	return strcasestr(e->text, filter) != NULL ||
	    strcasestr(wmodel_ev_kind_name(e->kind), filter) != NULL;
}

/* Kept entries the view may show (the frozen frame's while paused). */
static size_t
visible(const struct wui *u)
{
	size_t total = wmodel_log_count(&u->model);
	uint64_t first = u->model.log_seq - total, upto = wui_log_upto(u);
	return upto > first ? (size_t)(upto - first) : 0;
}

static int
count_matching(const struct wui *u)
{
	int n = 0;
	size_t total = visible(u);
	for (size_t k = 0; k < total; k++)
		n += match(wmodel_log_at(&u->model, k), u->ev_filter);
	return n;
}

static int
events_want(struct wui *u, int w)
{
	(void)u; (void)w;
	return 1000;
}

static enum ui_color
color_of(const struct wmodel_event *e)
{
	switch (e->kind) {
	case WEV_DEADLOCK: return UIC_ALERT;
	case WEV_PROC_EXIT:
		return strstr(e->text, "status 0") ? UIC_DIM : UIC_ALERT;
	case WEV_BLOCKED: return UIC_BLOCKED;
	case WEV_PROC_NEW: case WEV_DEADLOCK_GONE: return UIC_GOOD;
	case WEV_NOTE: return UIC_PROMPT;
	case WEV_ROLE: return UIC_TITLE;
	default: return UIC_NORMAL;
	}
}

static void
events_draw(struct wui *u, const struct rect *r, bool focus)
{
	int shown = count_matching(u);
	char right[128];
	snprintf(right, sizeof(right), "%s%s%s%d/%llu",
	    u->ev_filter[0] ? "/" : "", u->ev_filter,
	    u->ev_scroll ? " (scrolled) " : " ", shown,
	    (unsigned long long)wui_log_upto(u));
	draw_title(r, focus, "Events", right);
	int body = r->h - 1;
	if (body <= 0)
		return;
	if (u->ev_scroll > shown - body)
		u->ev_scroll = shown - body > 0 ? shown - body : 0;
	const struct wmodel_event *sel[256];
	int nsel = 0, skip = u->ev_scroll;
	for (size_t k = visible(u); k > 0 && nsel < body && nsel < 256; k--) {
		const struct wmodel_event *e = wmodel_log_at(&u->model, k - 1);
		if (!match(e, u->ev_filter))
			continue;
		if (skip > 0) {
			skip--;
			continue;
		}
		sel[nsel++] = e;
	}
	for (int i = 0; i < nsel; i++) {
		const struct wmodel_event *e = sel[nsel - 1 - i];
		int y = r->y + 1 + i;
		char head[48];
		snprintf(head, sizeof(head), "%8.2fs %-9s ", e->t,
		    wmodel_ev_kind_name(e->kind));
		int x = r->x + 1;
		x += draw_text(y, x, r->w - 1, theme_attr(UIC_DIM), head);
		draw_text(y, x, r->x + r->w - x, theme_attr(color_of(e)), e->text);
	}
}

/* Typing the filter: printable characters, Backspace, Enter keeps it, Esc
 * drops it; the list follows what is typed. */
static int
filter_key(struct wui *u, int ch, bool is_key)
{
	size_t n = strlen(u->ev_edit);
	if (!is_key && (ch == '\n' || ch == '\r')) {
		u->overlay = WOV_NONE;
		u->ev_scroll = 0;
	} else if (!is_key && ch == 27) {
		u->ev_edit[0] = '\0';
		u->overlay = WOV_NONE;
	} else if ((is_key && ch == KEY_BACKSPACE) ||
	    (!is_key && (ch == 127 || ch == 8))) {
		if (n > 0)
			u->ev_edit[n - 1] = '\0';
	} else if (!is_key && ch >= 0x20 && ch < 0x7f &&
	    n + 1 < sizeof(u->ev_edit)) {
		u->ev_edit[n] = (char)ch;
		u->ev_edit[n + 1] = '\0';
	}
	snprintf(u->ev_filter, sizeof(u->ev_filter), "%s", u->ev_edit);
	return UI_HANDLED | UI_REDRAW;
}

static int
events_key(struct wui *u, int ch, bool is_key)
{
	if (u->overlay == WOV_FILTER)
		return filter_key(u, ch, is_key);
	int shown = count_matching(u);
	int page = u->panel[WP_EVENTS].h - 1;
	int pos = shown - 1 - u->ev_scroll;
	if (view_motion(ch, is_key, &pos, shown, page > 1 ? page : 1)) {
		u->ev_scroll = shown - 1 - pos;
		if (ch == KEY_END)
			u->ev_scroll = 0;
		if (ch == KEY_HOME)
			u->ev_scroll = shown;   /* clamped at draw */
		return UI_HANDLED | UI_REDRAW;
	}
	return UI_NONE;
}

static int
events_wheel(struct wui *u, int dir)
{
	u->ev_scroll -= dir * 3;
	if (u->ev_scroll < 0)
		u->ev_scroll = 0;
	return UI_REDRAW;
}

const struct wview_ops wview_events_ops = {
	.name = "events",
	.want = events_want,
	.draw = events_draw,
	.key = events_key,
	.wheel = events_wheel,
};
