/* IPC edges: one row per kernel object (pipe, socket, FIFO) with its
 * writer ends -> reader ends (pid:fd, in the data's direction), its fill
 * against its capacity as a bar, and the fill's rate of change. Objects
 * touching the process selected in the tree are bold. */
#include <curses.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "util/xmem.h"
#include "view.h"
#include "watch_app.h"

struct obj {
	size_t first;                /* its first edge in the frame */
	bool mine;                   /* the selected process holds an end */
};

static struct obj *objs;
static size_t objs_cap;

static int
obj_cmp_frame(const struct watch_edge *a, const struct watch_edge *b)
{
	if (a->kind != b->kind)
		return (int)a->kind - (int)b->kind;
	return a->inode < b->inode ? -1 : a->inode > b->inode;
}

static const struct watch_edge *sort_edges;

static int
obj_cmp(const void *x, const void *y)
{
	const struct obj *a = x, *b = y;
	return obj_cmp_frame(&sort_edges[a->first], &sort_edges[b->first]);
}

/* The frame's objects, sorted by (kind, inode). */
static size_t
objects(const struct wui *u, const struct wmodel_frame *f)
{
	const struct watch_snapshot *s = &f->s;
	if (objs_cap < s->nedges + 1) {
		objs_cap = s->nedges * 2 + 8;
		objs = xreallocarray(objs, objs_cap, sizeof(*objs));
	}
	size_t n = 0;
	for (size_t i = 0; i < s->nedges; i++) {
		const struct watch_edge *e = &s->edges[i];
		bool mine = e->from.pid == u->sel_pid || e->to.pid == u->sel_pid;
		size_t k;
		for (k = 0; k < n; k++)
			if (obj_cmp_frame(&s->edges[objs[k].first], e) == 0)
				break;
		if (k < n) {
			objs[k].mine |= mine;
			continue;
		}
		objs[n++] = (struct obj){ i, mine };
	}
	sort_edges = s->edges;
	if (n > 1)
		qsort(objs, n, sizeof(*objs), obj_cmp);
	return n;
}

static int
sel_index(const struct wui *u, const struct wmodel_frame *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const struct watch_edge *e = &f->s.edges[objs[i].first];
		if ((int)e->kind == u->edge_kind && e->inode == u->edge_inode)
			return (int)i;
	}
	return -1;
}

static int
edges_want(struct wui *u, int w)
{
	(void)w;
	size_t n = objects(u, wui_frame(u));
	return (int)(n ? n : 1) + 1;
}

void
wdraw_bar(int y, int x, int w, long fill, long cap)
{
	const struct ui_glyphs *g = theme_glyphs();
	if (w <= 0)
		return;
	if (fill < 0 || cap <= 0) {
		draw_repeat(y, x, w, theme_attr(UIC_DIM), g->bar_empty);
		return;
	}
	int full = (int)((fill * w + cap - 1) / cap);
	if (full > w)
		full = w;
	attr_t a = theme_attr(fill * 10 >= cap * 9 ? UIC_BAR_FULL : UIC_BAR);
	draw_repeat(y, x, full, a, g->bar_full);
	draw_repeat(y, x + full, w - full, theme_attr(UIC_DIM), g->bar_empty);
}

/* "1:4,2:4,3:4" -> "1:4(+2)". */
static void
compact(char *list, size_t len)
{
	char *comma = strchr(list, ',');
	if (!comma)
		return;
	int more = 0;
	for (char *p = comma; p; p = strchr(p + 1, ','))
		more++;
	*comma = '\0';
	char tmp[64];
	int n = snprintf(tmp, sizeof(tmp), "%.40s(+%d)", list, more);
	if (n > 0 && (size_t)n < len)
		memcpy(list, tmp, (size_t)n + 1);
}

static void
rate_text(char *buf, size_t len, double r)
{
	char b[16];
	if (r == 0) {
		snprintf(buf, len, "0/s");
		return;
	}
	draw_bytes(b, sizeof(b), (int64_t)(r < 0 ? -r : r));
	snprintf(buf, len, "%c%s/s", r < 0 ? '-' : '+', b);
}

static void
edges_draw(struct wui *u, const struct rect *r, bool focus)
{
	const struct wmodel_frame *f = wui_frame(u);
	size_t n = objects(u, f);
	char right[64];
	snprintf(right, sizeof(right), "%zu objects, %zu edges", n, f->s.nedges);
	draw_title(r, focus, "IPC edges: writer pid:fd -> reader pid:fd", right);
	int body = r->h - 1;
	if (body <= 0)
		return;
	if (n == 0) {
		draw_text(r->y + 1, r->x + 1, r->w - 1, theme_attr(UIC_DIM),
		    "no pipes, unix sockets or FIFOs between watched processes");
		return;
	}
	int sel = sel_index(u, f, n);
	if (focus && sel < 0) {
		sel = 0;
		u->edge_kind = (int)f->s.edges[objs[0].first].kind;
		u->edge_inode = f->s.edges[objs[0].first].inode;
	}
	if (sel >= 0) {
		if (sel < u->edges_top)
			u->edges_top = sel;
		if (sel >= u->edges_top + body)
			u->edges_top = sel - body + 1;
	}
	if (u->edges_top > (int)n - body)
		u->edges_top = (int)n - body;
	if (u->edges_top < 0)
		u->edges_top = 0;
	bool show_rate = r->w >= 72, show_bar = r->w >= 64;
	int wobj = 16, wfill = 13, wbar = show_bar ? 10 : 0;
	int wrate = show_rate ? 9 : 0;
	int wends = r->w - wobj - wfill - (wbar ? wbar + 1 : 0) -
	    (wrate ? wrate + 1 : 0) - 3;
	for (int i = 0; i < body && (size_t)(u->edges_top + i) < n; i++) {
		size_t oi = (size_t)(u->edges_top + i);
		const struct watch_edge *e = &f->s.edges[objs[oi].first];
		int y = r->y + 1 + i;
		bool selected = focus && (int)oi == sel;
		attr_t a = theme_attr(selected ? UIC_SELECTED : UIC_NORMAL);
		if (objs[oi].mine && !selected)
			a |= A_BOLD;
		if (selected) {
			move(y, r->x);
			attrset(a);
			for (int k = 0; k < r->w; k++)
				addch(' ');
			attrset(A_NORMAL);
		}
		char buf[400], from[96], to[96];
		int x = r->x + 1;
		snprintf(buf, sizeof(buf), "%s:[%lu]", watch_edge_kind_name(e->kind),
		    e->inode);
		draw_text(y, x, wobj, a, buf);
		x += wobj + 1;
		wmodel_edge_ends(&f->s, e->kind, e->inode, NULL, from, to,
		    sizeof(from));
		snprintf(buf, sizeof(buf), "%s %s %s%s%s", from,
		    theme_glyphs()->arrow, to, e->path[0] ? "  " : "", e->path);
		if (draw_width(buf) > wends) {
			/* Too long: the first end of each side and a count. */
			compact(from, sizeof(from));
			compact(to, sizeof(to));
			snprintf(buf, sizeof(buf), "%s %s %s%s%s", from,
			    theme_glyphs()->arrow, to, e->path[0] ? "  " : "",
			    e->path);
		}
		draw_text(y, x, wends, a, buf);
		x += wends + 1;
		if (wbar) {
			wdraw_bar(y, x, wbar, e->fill, e->capacity);
			x += wbar + 1;
		}
		char fb[16], cb[16];
		if (e->fill >= 0)
			draw_bytes(fb, sizeof(fb), e->fill);
		else
			snprintf(fb, sizeof(fb), "?");
		if (e->capacity > 0)
			draw_bytes(cb, sizeof(cb), e->capacity);
		else
			snprintf(cb, sizeof(cb), "?");
		snprintf(buf, sizeof(buf), "%s/%s", fb, cb);
		draw_printf(y, x, wfill, e->fill > 0 && !selected ?
		    theme_attr(UIC_BLOCKED) | (a & A_BOLD) : a, "%*s", wfill, buf);
		x += wfill + 1;
		if (wrate) {
			double rate = f->edge_rate[objs[oi].first];
			rate_text(buf, sizeof(buf), rate);
			draw_printf(y, x, wrate, a, "%*s", wrate, buf);
		}
	}
}

static int
edges_key(struct wui *u, int ch, bool is_key)
{
	const struct wmodel_frame *f = wui_frame(u);
	size_t n = objects(u, f);
	int sel = sel_index(u, f, n);
	if (sel < 0)
		sel = 0;
	int page = u->panel[WP_EDGES].h - 1;
	if (n && view_motion(ch, is_key, &sel, (int)n, page > 1 ? page : 1)) {
		u->edge_kind = (int)f->s.edges[objs[sel].first].kind;
		u->edge_inode = f->s.edges[objs[sel].first].inode;
		return UI_HANDLED | UI_REDRAW;
	}
	return UI_NONE;
}

static int
edges_click(struct wui *u, const struct rect *r, int y, int x)
{
	(void)r; (void)x;
	const struct wmodel_frame *f = wui_frame(u);
	size_t n = objects(u, f);
	int i = u->edges_top + y - 1;
	if (y >= 1 && i >= 0 && (size_t)i < n) {
		u->edge_kind = (int)f->s.edges[objs[i].first].kind;
		u->edge_inode = f->s.edges[objs[i].first].inode;
	}
	return UI_REDRAW;
}

static int
edges_wheel(struct wui *u, int dir)
{
	u->edges_top += dir * 3;
	if (u->edges_top < 0)
		u->edges_top = 0;
	return UI_REDRAW;
}

const struct wview_ops wview_edges_ops = {
	.name = "edges",
	.want = edges_want,
	.draw = edges_draw,
	.key = edges_key,
	.click = edges_click,
	.wheel = edges_wheel,
};
