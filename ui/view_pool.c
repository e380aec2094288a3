/* The pool's scheduling timeline: a row per worker slot, a coloured block
 * per task with its id, time flowing to the right, worker replacements
 * marked. '<' '>' zoom, Left/Right scroll back in time, Up/Down change pool. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "draw.h"
#include "view.h"

#define LABEL_W 14
#define MIN_NS_PER_COL 1000000LL          /* 1 ms */
#define MAX_NS_PER_COL 60000000000LL      /* 1 min */

static int
pool_obj(const struct ui *ui)
{
	int k = 0, first = -1;
	for (int i = 0; i < ui->model.nobjs; i++) {
		if (ui->model.objs[i].kind != SC_POOL)
			continue;
		if (first < 0)
			first = i;
		if (k++ == ui->pool_index)
			return i;
	}
	return first;
}

static int
npools(const struct ui *ui)
{
	int n = 0;
	for (int i = 0; i < ui->model.nobjs; i++)
		n += ui->model.objs[i].kind == SC_POOL;
	return n;
}

static int
pool_want(struct ui *ui, int w)
{
	(void)w;
	int o = pool_obj(ui);
	if (o < 0)
		return 0;
	return ui->model.objs[o].u.pool.nslots + 2;
}

/* Right edge time (relative to t0) and ns per column. */
static void
scale(struct ui *ui, int tw, int64_t *right, int64_t *npc)
{
	int64_t now = model_scen(&ui->model, ui_model_now(ui));
	if (now < 0)
		now = 0;
	*right = now - ui->pool_scroll_ns;
	if (*right < 0)
		*right = 0;
	if (ui->pool_ns_per_col > 0) {
		*npc = ui->pool_ns_per_col;
		return;
	}
	/* Fit the whole run, at round-ish steps so the axis does not jitter. */
	int64_t need = (now + tw - 1) / (tw > 0 ? tw : 1);
	int64_t s = MIN_NS_PER_COL;
	while (s < need && s < MAX_NS_PER_COL)
		s = s * 2;
	*npc = s;
	*right = s * tw - 1;      /* time 0 at the left edge */
}

static int
col_of(int64_t t, int64_t right, int64_t npc, int tw)
{
	return tw - 1 - (int)((right - t) / npc);
}

static void
task_block(int y, int x0, int c0, int c1, int tw, const struct model_task *t)
{
	if (c1 < 0 || c0 >= tw)
		return;
	if (c0 < 0)
		c0 = 0;
	if (c1 >= tw)
		c1 = tw - 1;
	enum ui_color c = (t->state == TASK_FAILED || t->state == TASK_LOST) ?
	    UIC_TASK_FAIL : (enum ui_color)(UIC_TASK0 + (int)(t->id % UIC_TASKS));
	attr_t a = theme_attr(c);
	char label[24];
	snprintf(label, sizeof(label), "%lld%s", (long long)t->id,
	    t->state == TASK_LOST ? "!" : "");
	int lw = (int)strlen(label);
	int w = c1 - c0 + 1;
	int lx = w >= lw + 1 ? 1 : 0;
	for (int i = 0; i < w; i++) {
		char ch[2] = { ' ', 0 };
		if (i == 0 && theme_is_mono())
			ch[0] = '[';
		if (i - lx >= 0 && i - lx < lw && (lw <= w))
			ch[0] = label[i - lx];
		else if (i == 0 && lw > w)
			ch[0] = label[0];
		draw_text(y, x0 + c0 + i, 1, a, ch);
	}
}

static void
axis(int y, int x0, int tw, int64_t right, int64_t npc)
{
	attr_t a = theme_attr(UIC_DIM);
	const struct ui_glyphs *g = theme_glyphs();
	draw_repeat(y, x0, tw, a, g->hline);
	for (int c = tw - 1; c >= 0; c -= 12) {
		int64_t t = right - (int64_t)(tw - 1 - c) * npc;
		if (t < 0)
			break;
		char lab[16];
		draw_dur(lab, sizeof(lab), t);
		int lw = (int)strlen(lab);
		int lx = c - lw + 1;
		if (lx < 0)
			continue;
		draw_text(y, x0 + c, 1, a, "|");
		draw_text(y, x0 + lx - 1 >= x0 ? x0 + lx - 1 : x0, lw, a, lab);
	}
}

static void
pool_draw(struct ui *ui, const struct rect *r, bool focus)
{
	int o = pool_obj(ui);
	if (o < 0)
		return;
	const struct model_pool *pl = &ui->model.objs[o].u.pool;
	int pending = model_pool_count(&ui->model, o, TASK_PENDING);
	int running = model_pool_count(&ui->model, o, TASK_RUNNING);
	int tw = r->w - LABEL_W - 1;
	int64_t right, npc;
	scale(ui, tw, &right, &npc);
	char title[128], zoom[48], d[16];
	snprintf(title, sizeof(title), "Pool %s%s: %d running, %d pending, "
	    "%lld done%s", model_obj_name(&ui->model, o), npools(ui) > 1 ?
	    " (Up/Down: next)" : "", running, pending,
	    (long long)(pl->done + pl->failed), pl->lost ? ", LOST tasks" : "");
	draw_dur(d, sizeof(d), npc);
	snprintf(zoom, sizeof(zoom), "%s/col%s", d,
	    ui->pool_ns_per_col ? "" : " fit");
	draw_title(r, focus, title, zoom);
	if (tw < 8)
		return;
	int x0 = r->x + LABEL_W;
	int64_t now_rel = model_scen(&ui->model, ui_model_now(ui));
	int y = r->y + 1;
	for (int s = 0; s < pl->nslots && y < r->y + r->h - 1; s++, y++) {
		const struct model_worker_slot *ws = &pl->slots[s];
		char lab[32];
		if (ws->pid > 0)
			snprintf(lab, sizeof(lab), "w%d %d", s + 1, (int)ws->pid);
		else
			snprintf(lab, sizeof(lab), "w%d -", s + 1);
		const struct model_proc *wp = model_proc_by_pid(&ui->model, ws->pid);
		attr_t la = wp && wp->life != LIFE_RUNNING ? theme_attr(UIC_DIM) :
		    theme_attr(UIC_NORMAL);
		draw_printf(y, r->x + 1, LABEL_W - 2, la, "%-*s", LABEL_W - 2, lab);
		/* Idle dots from time 0 to now; the future stays blank. */
		int c0 = col_of(0, right, npc, tw), c1 = col_of(now_rel, right, npc, tw);
		if (c0 < 0)
			c0 = 0;
		if (c1 >= tw)
			c1 = tw - 1;
		if (c1 >= c0)
			draw_repeat(y, x0 + c0, c1 - c0 + 1, theme_attr(UIC_DIM),
			    theme_glyphs()->idle);
		for (size_t i = 0; i < ui->model.ntasks; i++) {
			const struct model_task *t = &ui->model.tasks[i];
			if (t->pool != o || t->slot != s || t->start_ns == 0)
				continue;
			int64_t st = model_scen(&ui->model, t->start_ns);
			int64_t en = t->end_ns ? model_scen(&ui->model, t->end_ns) : now_rel;
			task_block(y, x0, col_of(st, right, npc, tw),
			    col_of(en > st ? en - 1 : st, right, npc, tw), tw, t);
		}
		for (int k = 0; k < ws->replacements && k < MODEL_REPLACE_MAX; k++) {
			int c = col_of(model_scen(&ui->model, ws->replaced_ns[k]), right,
			    npc, tw);
			if (c >= 0 && c < tw)
				draw_text(y, x0 + c, 1, theme_attr(UIC_REPLACE),
				    theme_glyphs()->mark);
		}
		if (ws->replacements)
			draw_printf(y, r->x + LABEL_W - 3, 2, theme_attr(UIC_REPLACE),
			    "%s", theme_glyphs()->mark);
	}
	if (y < r->y + r->h) {
		draw_text(y, r->x + 1, LABEL_W - 2, theme_attr(UIC_DIM),
		    pending ? "" : "time");
		if (pending)
			draw_printf(y, r->x + 1, LABEL_W - 2, theme_attr(UIC_BLOCKED),
			    "%d waiting", pending);
		axis(y, x0, tw, right, npc);
	}
}

static int
pool_key(struct ui *ui, int ch, bool is_key)
{
	int tw = ui->panel[PANEL_POOL].w - LABEL_W - 1;
	int64_t right, npc;
	scale(ui, tw > 1 ? tw : 1, &right, &npc);
	if (!is_key && (ch == '<' || ch == '>')) {
		int64_t s = ui->pool_ns_per_col ? ui->pool_ns_per_col : npc;
		s = ch == '<' ? s * 2 : s / 2;   /* '<' shows more time */
		if (s < MIN_NS_PER_COL)
			s = MIN_NS_PER_COL;
		if (s > MAX_NS_PER_COL)
			s = MAX_NS_PER_COL;
		ui->pool_ns_per_col = s;
		return UI_HANDLED | UI_REDRAW;
	}
	if (!is_key && ch == '=') {
		ui->pool_ns_per_col = 0;
		ui->pool_scroll_ns = 0;
		return UI_HANDLED | UI_REDRAW;
	}
	if (is_key && (ch == KEY_LEFT || ch == KEY_RIGHT)) {
		if (!ui->pool_ns_per_col)
			ui->pool_ns_per_col = npc;
		ui->pool_scroll_ns += (ch == KEY_LEFT ? 1 : -1) * npc * (tw / 4 + 1);
		if (ui->pool_scroll_ns < 0)
			ui->pool_scroll_ns = 0;
		return UI_HANDLED | UI_REDRAW;
	}
	if (is_key && (ch == KEY_UP || ch == KEY_DOWN) && npools(ui) > 1) {
		int n = npools(ui);
		ui->pool_index = (ui->pool_index + (ch == KEY_UP ? n - 1 : 1)) % n;
		return UI_HANDLED | UI_REDRAW;
	}
	if (is_key && ch == KEY_END) {
		ui->pool_scroll_ns = 0;
		return UI_HANDLED | UI_REDRAW;
	}
	return UI_NONE;
}

static int
pool_wheel(struct ui *ui, int dir)
{
	return pool_key(ui, dir < 0 ? KEY_LEFT : KEY_RIGHT, true);
}

const struct view_ops view_pool_ops = {
	.name = "pool",
	.want = pool_want,
	.draw = pool_draw,
	.key = pool_key,
	.wheel = pool_wheel,
};
