/* Pipes: one row per direction: messages and bytes, read so far, waiting,
 * rate, the pids at each end. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "draw.h"
#include "view.h"

static int
npipes(const struct ui *ui)
{
	int n = 0;
	for (int i = 0; i < ui->model.nobjs; i++)
		n += ui->model.objs[i].kind == SC_PIPE;
	return n;
}

static int
pipes_want(struct ui *ui, int w)
{
	(void)w;
	int n = npipes(ui);
	return n ? 2 * n + 1 : 0;
}

static void
pids_text(char *buf, size_t len, const struct model_pipe *p, int end)
{
	size_t used = 0;
	buf[0] = '\0';
	if (p->nend_pids[end] == 0) {
		snprintf(buf, len, "-");
		return;
	}
	for (int i = 0; i < p->nend_pids[end] && used + 12 < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%d",
		    i ? "," : "", (int)p->end_pids[end][i]);
}

static void
dir_row(struct ui *ui, int y, const struct rect *r, int obj, int from)
{
	const struct model_pipe *p = &ui->model.objs[obj].u.pipe;
	const struct ui_glyphs *g = theme_glyphs();
	int to = 1 - from, x = r->x + 1, end = r->x + r->w;
	if (from == 0)
		draw_printf(y, x, 10, theme_attr(UIC_NORMAL) | A_BOLD, "%-10.10s",
		    model_obj_name(&ui->model, obj));
	else
		draw_text(y, x, 10, theme_attr(UIC_DIM),
		    p->duplex ? "  duplex" : "  one-way");
	x += 11;
	char dir[32];
	snprintf(dir, sizeof(dir), "%c%s%c", 'a' + from, g->arrow, 'a' + to);
	x += draw_text(y, x, 4, theme_attr(UIC_NORMAL), dir) + 1;
	if (!p->duplex && from == 0) {
		/* Pipe(duplex=False): only b sends, a receives. */
		draw_text(y, x, end - x, theme_attr(UIC_DIM), "(a only receives)");
		return;
	}
	char b[16], w[16], pf[40], pt[40];
	draw_bytes(b, sizeof(b), p->bytes[from]);
	int64_t waiting = p->bytes[from] - p->rbytes[to];
	draw_bytes(w, sizeof(w), waiting > 0 ? waiting : 0);
	pids_text(pf, sizeof(pf), p, from);
	pids_text(pt, sizeof(pt), p, to);
	double rate = model_hist_rate(&ui->model, &p->msgs_hist[from],
	    p->msgs[from], 10);
	x += draw_printf(y, x, end - x, theme_attr(UIC_NORMAL),
	    "%4lld msg %7s  read %-4lld waiting %-6s %5.1f/s ",
	    (long long)p->msgs[from], b, (long long)p->rmsgs[to], w, rate);
	x += draw_printf(y, x, end - x, theme_attr(UIC_DIM), "pids %s%s%s",
	    pf, g->arrow, pt) + 1;
	if (p->closed[from] || p->closed[to])
		draw_printf(y, x, end - x, theme_attr(UIC_BLOCKED), "%s%s",
		    p->closed[from] ? "closed " : "", p->closed[from] ?
		    (from ? "b" : "a") : (to ? "b closed" : "a closed"));
}

static void
pipes_draw(struct ui *ui, const struct rect *r, bool focus)
{
	draw_title(r, focus, "Pipes", "msgs  bytes  read  waiting  rate  pids");
	int rows = 2 * npipes(ui), body = r->h - 1;
	if (ui->pipes_top > rows - body)
		ui->pipes_top = rows - body > 0 ? rows - body : 0;
	int row = 0, y = r->y + 1;
	for (int i = 0; i < ui->model.nobjs && y < r->y + r->h; i++) {
		if (ui->model.objs[i].kind != SC_PIPE)
			continue;
		for (int d = 0; d < 2 && y < r->y + r->h; d++) {
			if (row++ < ui->pipes_top)
				continue;
			dir_row(ui, y++, r, i, d);
		}
	}
}

static int
pipes_key(struct ui *ui, int ch, bool is_key)
{
	if (view_motion(ch, is_key, &ui->pipes_top, 2 * npipes(ui), 4))
		return UI_HANDLED | UI_REDRAW;
	return UI_NONE;
}

static int
pipes_wheel(struct ui *ui, int dir)
{
	ui->pipes_top += dir;
	if (ui->pipes_top < 0)
		ui->pipes_top = 0;
	return UI_REDRAW;
}

const struct view_ops view_pipes_ops = {
	.name = "pipes",
	.want = pipes_want,
	.draw = pipes_draw,
	.key = pipes_key,
	.wheel = pipes_wheel,
};
