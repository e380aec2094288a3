/* The process tree: one row per process (and thread), htop-like columns. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "util/xmem.h"
#include "view.h"

struct tree_col {
	const char *head;
	int width;            /* 0: takes the rest */
	int min_cols;         /* shown when the panel is at least this wide */
	bool right;           /* right-aligned */
};

enum { COL_PID, COL_NAME, COL_ROLE, COL_STATE, COL_CPU, COL_RSS, COL_THR,
	COL_DOING, COL_COUNT };

static const struct tree_col cols[COL_COUNT] = {
	[COL_PID]   = { "PID",      7, 0,   true },
	[COL_NAME]  = { "NAME",     22, 0,  false },
	[COL_ROLE]  = { "ROLE",     9, 90,  false },
	[COL_STATE] = { "S",        2, 0,   false },
	[COL_CPU]   = { "CPU%",     6, 0,   true },
	[COL_RSS]   = { "RSS",      7, 100, true },
	[COL_THR]   = { "THR",      4, 80,  true },
	[COL_DOING] = { "DOING",    0, 0,   false },
};

static struct model_tree_row *rows;
static size_t rows_cap;

static size_t
tree_rows(struct ui *ui)
{
	size_t n = model_tree(&ui->model, ui->tree_threads ? TREE_LIVE_THREADS : TREE_NO_THREADS, rows, rows_cap);
	if (n > rows_cap) {
		rows_cap = n * 2;
		rows = xreallocarray(rows, rows_cap, sizeof(*rows));
		n = model_tree(&ui->model, ui->tree_threads ? TREE_LIVE_THREADS : TREE_NO_THREADS, rows, rows_cap);
	}
	return n;
}

static int
sel_index(struct ui *ui, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (rows[i].proc == ui->tree_sel && rows[i].thread == ui->tree_sel_thread)
			return (int)i;
	for (size_t i = 0; i < n; i++)   /* the thread went: its process */
		if (rows[i].proc == ui->tree_sel && rows[i].thread < 0)
			return (int)i;
	return n ? 0 : -1;
}

static void
set_sel(struct ui *ui, size_t n, int i)
{
	if (n == 0 || i < 0)
		return;
	if ((size_t)i >= n)
		i = (int)n - 1;
	ui->tree_sel = rows[i].proc;
	ui->tree_sel_thread = rows[i].thread;
}

static int
tree_want(struct ui *ui, int w)
{
	(void)w;
	return (int)tree_rows(ui) + 2;
}

static void
exit_text(struct ui *ui, char *buf, size_t len, const struct model_proc *p)
{
	if (p->stopped_at_end) {
		char was[96];
		model_doing_text(&ui->model, &p->doing, p->exit_ns, was, sizeof(was));
		snprintf(buf, len, "stopped at the end: %s", was);
	} else if (p->exit_code < 0)
		snprintf(buf, len, "%s, exit %d (SIG%s)",
		    p->life == LIFE_ZOMBIE ? "zombie" : "ended", p->exit_code,
		    sigabbrev_np(-p->exit_code) ? sigabbrev_np(-p->exit_code) : "?");
	else
		snprintf(buf, len, "%s, exit %d",
		    p->life == LIFE_ZOMBIE ? "zombie" : "ended", p->exit_code);
}

static const char *
role_text(const struct model_proc *p)
{
	return event_role_name(p->role);
}

/* Tree prefix for a row: "│ ├─" etc. */
static void
prefix(char *buf, size_t len, const struct model_tree_row *r)
{
	const struct ui_glyphs *g = theme_glyphs();
	buf[0] = '\0';
	size_t used = 0;
	for (int d = 1; d <= r->depth && used + 16 < len; d++) {
		bool last = r->last_mask & (1u << d);
		const char *s;
		char tmp[24];
		if (d < r->depth)
			snprintf(tmp, sizeof(tmp), "%s ", last ? " " : g->vline);
		else {
			s = last ? g->corner : g->ltee;
			snprintf(tmp, sizeof(tmp), "%s%s", s, g->hline);
		}
		used += (size_t)snprintf(buf + used, len - used, "%s", tmp);
	}
}

static void
tree_draw(struct ui *ui, const struct rect *r, bool focus)
{
	size_t n = tree_rows(ui);
	int live = 0;
	for (int i = 0; i < ui->model.nprocs; i++)
		live += ui->model.procs[i].life == LIFE_RUNNING;
	char right[64];
	snprintf(right, sizeof(right), "%d live / %d", live, ui->model.nprocs);
	draw_title(r, focus, "Processes", right);
	if (r->h < 2)
		return;

	/* Columns that fit. */
	int x[COL_COUNT], w[COL_COUNT];
	bool on[COL_COUNT];
	int fixed = 0;
	for (int c = 0; c < COL_COUNT; c++) {
		on[c] = r->w >= cols[c].min_cols;
		if (on[c])
			fixed += cols[c].width + 1;
	}
	int name_w = cols[COL_NAME].width;
	if (r->w < 70)
		name_w = 16;
	fixed += name_w - cols[COL_NAME].width;
	int cx = r->x;
	for (int c = 0; c < COL_COUNT; c++) {
		x[c] = cx;
		w[c] = c == COL_NAME ? name_w : cols[c].width;
		if (!on[c])
			continue;
		if (c == COL_DOING)
			w[c] = r->x + r->w - cx;
		cx += w[c] + 1;
	}
	attr_t hd = theme_attr(UIC_TITLE);
	for (int c = 0; c < COL_COUNT; c++) {
		if (!on[c])
			continue;
		int off = cols[c].right ? w[c] - draw_width(cols[c].head) : 0;
		draw_text(r->y + 1, x[c] + (off > 0 ? off : 0), w[c], hd, cols[c].head);
	}

	int body = r->h - 2;
	int sel = sel_index(ui, n);
	set_sel(ui, n, sel);
	if (sel >= 0) {
		if (sel < ui->tree_top)
			ui->tree_top = sel;
		if (sel >= ui->tree_top + body)
			ui->tree_top = sel - body + 1;
	}
	if (ui->tree_top > (int)n - body)
		ui->tree_top = (int)n - body;
	if (ui->tree_top < 0)
		ui->tree_top = 0;

	int64_t now = ui_model_now(ui);
	for (int i = 0; i < body && (size_t)(ui->tree_top + i) < n; i++) {
		const struct model_tree_row *tr = &rows[ui->tree_top + i];
		const struct model_proc *p = &ui->model.procs[tr->proc];
		const struct model_thread *t = tr->thread >= 0 ?
		    &p->threads[tr->thread] : NULL;
		int y = r->y + 2 + i;
		bool selected = ui->tree_top + i == sel;
		bool gone = t ? t->ended : p->life != LIFE_RUNNING;
		const struct model_doing *d = t ? &t->doing : &p->doing;
		attr_t a = theme_attr(UIC_NORMAL);
		if (gone)
			a = theme_attr(p->life == LIFE_ZOMBIE && !t ? UIC_ZOMBIE : UIC_DIM);
		if (selected) {
			a = theme_attr(UIC_SELECTED);
			move(y, r->x);
			attrset(a);
			for (int k = 0; k < r->w; k++)
				addch(' ');
			attrset(A_NORMAL);
		}
		char buf[128], pre[96];
		snprintf(buf, sizeof(buf), "%*d", w[COL_PID], t ? (int)t->tid : (int)p->pid);
		draw_text(y, x[COL_PID], w[COL_PID], a, buf);
		prefix(pre, sizeof(pre), tr);
		snprintf(buf, sizeof(buf), "%s%s", pre, t ? t->name : p->name);
		draw_text(y, x[COL_NAME], w[COL_NAME], a, buf);
		if (on[COL_ROLE])
			draw_text(y, x[COL_ROLE], w[COL_ROLE], a,
			    t ? "thread" : role_text(p));
		/* state */
		char st[4] = "-";
		attr_t sa = a;
		if (!t) {
			if (p->life == LIFE_REAPED)
				snprintf(st, sizeof(st), "-");
			else if (p->sampled && p->in_proc)
				snprintf(st, sizeof(st), "%c", p->state);
			else if (p->life == LIFE_ZOMBIE)
				snprintf(st, sizeof(st), "Z");
			else
				snprintf(st, sizeof(st), "?");
			if (!selected) {
				if (st[0] == 'R')
					sa = theme_attr(UIC_RUN);
				else if (st[0] == 'Z')
					sa = theme_attr(UIC_ZOMBIE);
				else if (st[0] == 'T' || st[0] == 't' || st[0] == 'D')
					sa = theme_attr(UIC_BLOCKED);
			}
		} else
			snprintf(st, sizeof(st), "%s", t->ended ? "-" : " ");
		draw_text(y, x[COL_STATE], w[COL_STATE], sa, st);
		if (!t && p->life != LIFE_REAPED && p->sampled && p->in_proc) {
			if (isnan(p->pcpu))
				snprintf(buf, sizeof(buf), "%*s", w[COL_CPU], "-");
			else
				snprintf(buf, sizeof(buf), "%*.1f", w[COL_CPU], p->pcpu);
			draw_text(y, x[COL_CPU], w[COL_CPU], a, buf);
			if (on[COL_RSS]) {
				char b2[16];
				draw_bytes(b2, sizeof(b2), (int64_t)p->rss_kib * 1024);
				snprintf(buf, sizeof(buf), "%*s", w[COL_RSS], b2);
				draw_text(y, x[COL_RSS], w[COL_RSS], a, buf);
			}
			if (on[COL_THR]) {
				snprintf(buf, sizeof(buf), "%*d", w[COL_THR], p->nlwp);
				draw_text(y, x[COL_THR], w[COL_THR], a, buf);
			}
		}
		/* doing */
		attr_t da = a;
		if (!t && p->life != LIFE_RUNNING)
			exit_text(ui, buf, sizeof(buf), p);
		else if (t && t->ended)
			snprintf(buf, sizeof(buf), "ended");
		else {
			model_doing_text(&ui->model, d, now, buf, sizeof(buf));
			/* The runtime's own threads (pool handlers, manager
			 * connections) say what they are for. */
			if (t && t->role != TROLE_USER && d->what == DOING_RUN)
				snprintf(buf, sizeof(buf), "%s thread%s",
				    event_thread_role_name(t->role),
				    t->role == TROLE_RESULT_HANDLER ?
				    " (callbacks run here)" : "");
			if (!selected && d->what == DOING_BLOCKED)
				da = theme_attr(UIC_BLOCKED);
			else if (!selected && d->what == DOING_TASK)
				da = theme_attr(UIC_RUN);
		}
		if (!t && p->life != LIFE_RUNNING && !selected &&
		    (p->exit_code != 0 || p->stopped_at_end))
			da = theme_attr(p->stopped_at_end ? UIC_BLOCKED : UIC_ALERT);
		draw_text(y, x[COL_DOING], w[COL_DOING], da, buf);
	}
}

static int
tree_key(struct ui *ui, int ch, bool is_key)
{
	size_t n = tree_rows(ui);
	int sel = sel_index(ui, n);
	int page = ui->panel[PANEL_TREE].h - 2;
	if (view_motion(ch, is_key, &sel, (int)n, page > 1 ? page : 1)) {
		set_sel(ui, n, sel);
		return UI_HANDLED | UI_REDRAW;
	}
	if (!is_key && ch == 't') {
		ui->tree_threads = !ui->tree_threads;
		ui->tree_sel_thread = -1;
		return UI_HANDLED | UI_REDRAW;
	}
	return UI_NONE;
}

static int
tree_click(struct ui *ui, const struct rect *r, int y, int x)
{
	(void)r; (void)x;
	size_t n = tree_rows(ui);
	int i = ui->tree_top + y - 2;
	if (y >= 2 && i >= 0 && (size_t)i < n)
		set_sel(ui, n, i);
	return UI_REDRAW;
}

static int
tree_wheel(struct ui *ui, int dir)
{
	size_t n = tree_rows(ui);
	int sel = sel_index(ui, n) + dir * 3;
	if (sel < 0)
		sel = 0;
	set_sel(ui, n, sel);
	return UI_REDRAW;
}

struct model_proc *
ui_selected_proc(const struct ui *ui)
{
	return model_proc_get(&ui->model, ui->tree_sel);
}

const struct view_ops view_tree_ops = {
	.name = "tree",
	.want = tree_want,
	.draw = tree_draw,
	.key = tree_key,
	.click = tree_click,
	.wheel = tree_wheel,
};
