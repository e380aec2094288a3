/* Queues (depth bar, puts/gets, rate, depth sparkline, who is blocked) and
 * managers (dict and list sizes). */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "draw.h"
#include "view.h"

static int
count_kind(const struct ui *ui, int kind)
{
	int n = 0;
	for (int i = 0; i < ui->model.nobjs; i++)
		n += ui->model.objs[i].kind == kind;
	return n;
}

static int
queues_want(struct ui *ui, int w)
{
	(void)w;
	int n = count_kind(ui, SC_QUEUE) + count_kind(ui, SC_MANAGER);
	return n ? n + 1 : 0;
}

/* Sparkline of the last 'w' depth buckets, scaled to 'top'. */
static void
sparkline(int y, int x, int w, const struct model_hist *h, int64_t top)
{
	const struct ui_glyphs *g = theme_glyphs();
	int n = h->n < w ? h->n : w;
	attr_t a = theme_attr(UIC_SPARK);
	for (int i = 0; i < n; i++) {
		int64_t v = model_hist_at(h, h->n - n + i);
		int lvl = 0;
		if (top > 0 && v > 0)
			lvl = 1 + (int)((v * 7 + top - 1) / top) - 1;
		if (lvl > 7)
			lvl = 7;
		if (v == 0)
			draw_text(y, x + i, 1, theme_attr(UIC_DIM), g->spark[0]);
		else
			draw_text(y, x + i, 1, a, g->spark[lvl]);
	}
}

static void
queue_row(struct ui *ui, int y, const struct rect *r, int obj)
{
	const struct model_queue *q = &ui->model.objs[obj].u.q;
	const struct ui_glyphs *g = theme_glyphs();
	int x = r->x + 1, end = r->x + r->w;
	x += draw_printf(y, x, 10, theme_attr(UIC_NORMAL) | A_BOLD, "%-10.10s",
	    model_obj_name(&ui->model, obj)) + 1;
	/* Depth bar against maxsize (or the largest depth seen). */
	int64_t top = q->maxsize > 0 ? q->maxsize : q->max_depth;
	int bw = r->w >= 100 ? 16 : 8;
	int fill = top > 0 ? (int)((q->depth * bw + top - 1) / top) : 0;
	if (fill > bw)
		fill = bw;
	bool full = q->maxsize > 0 && q->depth >= q->maxsize;
	draw_text(y, x, 1, theme_attr(UIC_DIM), "[");
	for (int i = 0; i < bw; i++)
		draw_text(y, x + 1 + i, 1, i < fill ? theme_attr(full ? UIC_BAR_FULL :
		    UIC_BAR) : theme_attr(UIC_DIM), i < fill ? g->bar_full :
		    g->bar_empty);
	draw_text(y, x + 1 + bw, 1, theme_attr(UIC_DIM), "]");
	x += bw + 3;
	char dep[32];
	if (q->maxsize > 0)
		snprintf(dep, sizeof(dep), "%lld/%d", (long long)q->depth, q->maxsize);
	else
		snprintf(dep, sizeof(dep), "%lld", (long long)q->depth);
	x += draw_printf(y, x, end - x, theme_attr(full ? UIC_BAR_FULL : UIC_NORMAL),
	    "%-7s", dep) + 1;
	double rate = model_hist_rate(&ui->model, &q->puts_hist, q->puts, 10);
	x += draw_printf(y, x, end - x, theme_attr(UIC_NORMAL),
	    "put %-5lld get %-5lld %5.1f/s ", (long long)q->puts,
	    (long long)q->gets, rate);
	int bp = model_blocked_on(&ui->model, obj, WAIT_PUT);
	int bg = model_blocked_on(&ui->model, obj, WAIT_GET);
	char blk[48] = "";
	if (bp || bg)
		snprintf(blk, sizeof(blk), "blocked: %d put, %d get", bp, bg);
	int bwid = blk[0] ? draw_width(blk) + 1 : 0;
	int sw = end - x - bwid - 1;
	if (sw > 40)
		sw = 40;
	if (sw >= 4) {
		sparkline(y, x, sw, &q->depth_hist, top > 0 ? top : 1);
		x += sw + 1;
	}
	if (blk[0])
		draw_text(y, x, end - x, theme_attr(UIC_BLOCKED), blk);
}

static void
manager_row(struct ui *ui, int y, const struct rect *r, int obj)
{
	const struct model_mgr *g = &ui->model.objs[obj].u.mgr;
	int x = r->x + 1;
	x += draw_printf(y, x, 10, theme_attr(UIC_NORMAL) | A_BOLD, "%-10.10s",
	    model_obj_name(&ui->model, obj)) + 1;
	draw_printf(y, x, r->x + r->w - x, theme_attr(UIC_NORMAL),
	    "manager pid %d: dict %lld keys, list %lld items, %lld ops",
	    (int)g->server_pid, (long long)g->dict_size, (long long)g->list_size,
	    (long long)g->ops);
}

static void
queues_draw(struct ui *ui, const struct rect *r, bool focus)
{
	int nq = count_kind(ui, SC_QUEUE), nm = count_kind(ui, SC_MANAGER);
	const char *title = nq && nm ? "Queues and managers" : nq ? "Queues" :
	    "Managers";
	draw_title(r, focus, title, nq ? "depth  puts  gets  rate  history" : "");
	int body = r->h - 1, total = nq + nm;
	if (ui->queues_top > total - body)
		ui->queues_top = total - body > 0 ? total - body : 0;
	int row = 0, y = r->y + 1;
	for (int i = 0; i < ui->model.nobjs && y < r->y + r->h; i++) {
		int k = ui->model.objs[i].kind;
		if (k != SC_QUEUE && k != SC_MANAGER)
			continue;
		if (row++ < ui->queues_top)
			continue;
		if (k == SC_QUEUE)
			queue_row(ui, y, r, i);
		else
			manager_row(ui, y, r, i);
		y++;
	}
}

static int
queues_key(struct ui *ui, int ch, bool is_key)
{
	int n = count_kind(ui, SC_QUEUE) + count_kind(ui, SC_MANAGER);
	if (view_motion(ch, is_key, &ui->queues_top, n, 3))
		return UI_HANDLED | UI_REDRAW;
	return UI_NONE;
}

static int
queues_wheel(struct ui *ui, int dir)
{
	ui->queues_top += dir;
	if (ui->queues_top < 0)
		ui->queues_top = 0;
	return UI_REDRAW;
}

const struct view_ops view_queues_ops = {
	.name = "queues",
	.want = queues_want,
	.draw = queues_draw,
	.key = queues_key,
	.wheel = queues_wheel,
};
