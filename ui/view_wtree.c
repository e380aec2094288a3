/* The watched process tree: one row per process, htop-like columns, what
 * it is blocked on; exited ones dimmed with their exit status. */
#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "util/xmem.h"
#include "view.h"
#include "watch_app.h"

enum { C_PID, C_NAME, C_ROLE, C_STATE, C_CPU, C_RSS, C_THR, C_IO, C_DOING,
	C_N };

static struct wmodel_row *rows;
static size_t rows_cap;

static size_t
tree_rows(const struct wmodel_frame *f)
{
	size_t n = wmodel_tree(f, rows, rows_cap);
	if (n > rows_cap) {
		rows_cap = n * 2;
		rows = xreallocarray(rows, rows_cap, sizeof(*rows));
		n = wmodel_tree(f, rows, rows_cap);
	}
	return n;
}

void
wtree_prefix(char *buf, size_t len, const struct wmodel_row *r)
{
	const struct ui_glyphs *g = theme_glyphs();
	size_t used = 0;
	buf[0] = '\0';
	for (int d = 1; d <= r->depth && used + 16 < len; d++) {
		bool last = r->last_mask & (1u << d);
		if (d < r->depth)
			used += (size_t)snprintf(buf + used, len - used, "%s ",
			    last ? " " : g->vline);
		else
			used += (size_t)snprintf(buf + used, len - used, "%s%s",
			    last ? g->corner : g->ltee, g->hline);
	}
}

static int
sel_index(const struct wui *u, const struct wmodel_frame *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct watch_proc *p = &f->s.procs[rows[i].proc];
		if (p->pid == u->sel_pid && (!u->sel_start || p->start == u->sel_start))
			return (int)i;
	}
	return n ? 0 : -1;
}

static void
set_sel(struct wui *u, const struct wmodel_frame *f, size_t n, int i)
{
	if (n == 0 || i < 0)
		return;
	if ((size_t)i >= n)
		i = (int)n - 1;
	const struct watch_proc *p = &f->s.procs[rows[i].proc];
	u->sel_pid = p->pid;
	u->sel_start = p->start;
}

static int
tree_want(struct wui *u, int w)
{
	(void)w;
	return (int)tree_rows(wui_frame(u)) + 2;
}

static const char *
role_short(enum watch_role r, bool wide)
{
	if (!wide && r == WATCH_ROLE_RESOURCE_TRACKER)
		return "res.tracker";
	return wmodel_role_label(r);
}

static void
tree_draw(struct wui *u, const struct rect *r, bool focus)
{
	const struct wmodel_frame *f = wui_frame(u);
	size_t n = tree_rows(f);
	int live = 0;
	for (size_t i = 0; i < f->s.nprocs; i++)
		live += f->s.procs[i].state != 'X' && f->s.procs[i].state != 'Z';
	char right[64];
	snprintf(right, sizeof(right), "%d live / %zu", live, f->s.nprocs);
	draw_title(r, focus, "Processes", right);
	if (r->h < 2)
		return;
	bool wide = r->w >= 110;
	int w[C_N] = { 7, r->w >= 100 ? 22 : r->w >= 70 ? 18 : 14, wide ? 16 : 11,
		2, 6, 7, 4, 15,
		0 };
	bool on[C_N] = { true, true, true, true, true, r->w >= 90, r->w >= 70,
		r->w >= 130, true };
	static const char *const head[C_N] = { "PID", "NAME", "ROLE", "S",
		"CPU%", "RSS", "THR", "READ/s WRITE/s", "DOING" };
	static const bool right_al[C_N] = { true, false, false, false, true,
		true, true, true, false };
	int x[C_N], cx = r->x;
	for (int c = 0; c < C_N; c++) {
		x[c] = cx;
		if (!on[c])
			continue;
		if (c == C_DOING)
			w[c] = r->x + r->w - cx;
		cx += w[c] + 1;
	}
	for (int c = 0; c < C_N; c++) {
		if (!on[c])
			continue;
		int off = right_al[c] ? w[c] - draw_width(head[c]) : 0;
		draw_text(r->y + 1, x[c] + (off > 0 ? off : 0), w[c],
		    theme_attr(UIC_TITLE), head[c]);
	}
	int body = r->h - 2;
	int sel = sel_index(u, f, n);
	set_sel(u, f, n, sel);
	if (sel >= 0) {
		if (sel < u->tree_top)
			u->tree_top = sel;
		if (sel >= u->tree_top + body)
			u->tree_top = sel - body + 1;
	}
	if (u->tree_top > (int)n - body)
		u->tree_top = (int)n - body;
	if (u->tree_top < 0)
		u->tree_top = 0;
	for (int i = 0; i < body && (size_t)(u->tree_top + i) < n; i++) {
		const struct wmodel_row *tr = &rows[u->tree_top + i];
		const struct watch_proc *p = &f->s.procs[tr->proc];
		int y = r->y + 2 + i;
		bool selected = u->tree_top + i == sel;
		bool gone = p->state == 'X' || p->state == 'Z';
		attr_t a = theme_attr(gone ? (p->state == 'Z' ? UIC_ZOMBIE : UIC_DIM) :
		    UIC_NORMAL);
		if (selected) {
			a = theme_attr(UIC_SELECTED);
			move(y, r->x);
			attrset(a);
			for (int k = 0; k < r->w; k++)
				addch(' ');
			attrset(A_NORMAL);
		}
		char buf[256], pre[96];
		snprintf(buf, sizeof(buf), "%*d", w[C_PID], (int)p->pid);
		draw_text(y, x[C_PID], w[C_PID], a, buf);
		wtree_prefix(pre, sizeof(pre), tr);
		snprintf(buf, sizeof(buf), "%s%s", pre, p->name[0] ? p->name : "?");
		draw_text(y, x[C_NAME], w[C_NAME], a, buf);
		draw_text(y, x[C_ROLE], w[C_ROLE], a, role_short(p->role, wide));
		char st[4];
		snprintf(st, sizeof(st), "%c", gone && p->state == 'X' ? '-' :
		    p->state ? p->state : '?');
		attr_t sa = a;
		if (!selected && st[0] == 'R')
			sa = theme_attr(UIC_RUN);
		else if (!selected && (st[0] == 'T' || st[0] == 't' || st[0] == 'D'))
			sa = theme_attr(UIC_BLOCKED);
		draw_text(y, x[C_STATE], w[C_STATE], sa, st);
		if (!gone) {
			if (isnan(p->cpu))
				snprintf(buf, sizeof(buf), "%*s", w[C_CPU], "-");
			else
				snprintf(buf, sizeof(buf), "%*.1f", w[C_CPU], p->cpu);
			draw_text(y, x[C_CPU], w[C_CPU], a, buf);
			if (on[C_RSS]) {
				char b2[16];
				draw_bytes(b2, sizeof(b2), (int64_t)p->rss_kib * 1024);
				snprintf(buf, sizeof(buf), "%*s", w[C_RSS], b2);
				draw_text(y, x[C_RSS], w[C_RSS], a, buf);
			}
			if (on[C_THR]) {
				snprintf(buf, sizeof(buf), "%*d", w[C_THR], p->threads);
				draw_text(y, x[C_THR], w[C_THR], a, buf);
			}
			if (on[C_IO]) {
				char rb[16] = "-", wb[16] = "-";
				if (!isnan(p->read_rate))
					draw_bytes(rb, sizeof(rb), (int64_t)p->read_rate);
				if (!isnan(p->write_rate))
					draw_bytes(wb, sizeof(wb), (int64_t)p->write_rate);
				snprintf(buf, sizeof(buf), "%6s %7s", rb, wb);
				draw_text(y, x[C_IO], w[C_IO], a, buf);
			}
		}
		attr_t da = a;
		if (gone) {
			wmodel_exit_text(p, buf, sizeof(buf));
			if (!selected && p->exit_status != 0)
				da = theme_attr(UIC_ALERT);
		} else if (wmodel_blocked_text(f, p->pid, buf, sizeof(buf))) {
			if (!selected && !strstr(buf, "(timed)"))
				da = theme_attr(UIC_BLOCKED);
		} else if (p->error[0]) {
			snprintf(buf, sizeof(buf), "%s", p->error);
			if (!selected)
				da = theme_attr(UIC_DIM);
		} else if (p->state == 'R') {
			snprintf(buf, sizeof(buf), "running");
			if (!selected)
				da = theme_attr(UIC_RUN);
		} else
			snprintf(buf, sizeof(buf), "%s", p->state == 'T' ? "stopped" :
			    p->state == 'D' ? "disk sleep" : "sleeping");
		draw_text(y, x[C_DOING], w[C_DOING], da, buf);
	}
}

static int
tree_key(struct wui *u, int ch, bool is_key)
{
	const struct wmodel_frame *f = wui_frame(u);
	size_t n = tree_rows(f);
	int sel = sel_index(u, f, n);
	int page = u->panel[WP_TREE].h - 2;
	if (view_motion(ch, is_key, &sel, (int)n, page > 1 ? page : 1)) {
		set_sel(u, f, n, sel);
		return UI_HANDLED | UI_REDRAW;
	}
	return UI_NONE;
}

static int
tree_click(struct wui *u, const struct rect *r, int y, int x)
{
	(void)r; (void)x;
	const struct wmodel_frame *f = wui_frame(u);
	size_t n = tree_rows(f);
	int i = u->tree_top + y - 2;
	if (y >= 2 && i >= 0 && (size_t)i < n)
		set_sel(u, f, n, i);
	return UI_REDRAW;
}

static int
tree_wheel(struct wui *u, int dir)
{
	const struct wmodel_frame *f = wui_frame(u);
	size_t n = tree_rows(f);
	int sel = sel_index(u, f, n) + dir * 3;
	set_sel(u, f, n, sel < 0 ? 0 : sel);
	return UI_REDRAW;
}

const struct wview_ops wview_tree_ops = {
	.name = "tree",
	.want = tree_want,
	.draw = tree_draw,
	.key = tree_key,
	.click = tree_click,
	.wheel = tree_wheel,
};
