/* Who is blocked on what: one row per waiting thread ("1240 blocked
 * reading pipe:[5678], written by 1236") with how long it has waited;
 * waits with a timeout (polling) come last, dimmed. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "util/xmem.h"
#include "view.h"
#include "watch_app.h"

static size_t *order;
static size_t order_cap;

/* Untimed waits first (in snapshot order), then timed ones. */
static size_t
sorted(const struct wmodel_frame *f, size_t *untimed)
{
	const struct watch_snapshot *s = &f->s;
	if (order_cap < s->nblocked + 1) {
		order_cap = s->nblocked * 2 + 8;
		order = xreallocarray(order, order_cap, sizeof(*order));
	}
	size_t n = 0;
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < s->nblocked; i++)
			if (s->blocked[i].timed == pass)
				order[n++] = i;
		if (pass == 0)
			*untimed = n;
	}
	return n;
}

static int
blocked_want(struct wui *u, int w)
{
	(void)w;
	size_t untimed, n = sorted(wui_frame(u), &untimed);
	return (int)(n ? n : 1) + 1;
}

static void
blocked_draw(struct wui *u, const struct rect *r, bool focus)
{
	const struct wmodel_frame *f = wui_frame(u);
	size_t untimed, n = sorted(f, &untimed);
	char right[64];
	snprintf(right, sizeof(right), "%zu waiting, %zu polling with a timeout",
	    untimed, n - untimed);
	draw_title(r, focus, "Blocked on what", right);
	int body = r->h - 1;
	if (body <= 0)
		return;
	if (n == 0) {
		draw_text(r->y + 1, r->x + 1, r->w - 1, theme_attr(UIC_DIM),
		    "no thread is waiting on a pipe, socket, FIFO or child");
		return;
	}
	if (u->blocked_top > (int)n - body)
		u->blocked_top = (int)n - body;
	if (u->blocked_top < 0)
		u->blocked_top = 0;
	for (int i = 0; i < body && (size_t)(u->blocked_top + i) < n; i++) {
		const struct watch_blocked *b =
		    &f->s.blocked[order[u->blocked_top + i]];
		double since = f->blocked_since[order[u->blocked_top + i]];
		int y = r->y + 1 + i;
		attr_t a = theme_attr(b->timed ? UIC_DIM : UIC_BLOCKED);
		if (b->pid == u->sel_pid)
			a |= A_BOLD;
		char dur[32], buf[300];
		draw_dur(dur, sizeof(dur), (int64_t)((f->s.t - since) * 1e9));
		snprintf(buf, sizeof(buf), "%6s  %s%s", dur, b->text,
		    b->timed ? " (with a timeout)" : "");
		draw_text(y, r->x + 1, r->w - 1, a, buf);
	}
}

static int
blocked_key(struct wui *u, int ch, bool is_key)
{
	size_t untimed, n = sorted(wui_frame(u), &untimed);
	int page = u->panel[WP_BLOCKED].h - 1;
	if (view_motion(ch, is_key, &u->blocked_top, (int)n,
	    page > 1 ? page : 1))
		return UI_HANDLED | UI_REDRAW;
	return UI_NONE;
}

static int
blocked_wheel(struct wui *u, int dir)
{
	u->blocked_top += dir * 3;
	if (u->blocked_top < 0)
		u->blocked_top = 0;
	return UI_REDRAW;
}

const struct wview_ops wview_blocked_ops = {
	.name = "blocked",
	.want = blocked_want,
	.draw = blocked_draw,
	.key = blocked_key,
	.wheel = blocked_wheel,
};
