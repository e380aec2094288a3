/* The replay view's keys (one table row per key) and its status bar. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "draw.h"
#include "replay_int.h"
#include "theme.h"

#define SECOND 1000000000LL

static void
moved(struct rview *v)
{
	replay_sync(v);
}

static int
key_play(struct rview *v)
{
	if (!v->playing && v->r->cur >= v->r->tr->nev)
		replay_seek(v->r, 0);             /* at the end: play again */
	v->playing = !v->playing;
	v->play_real_ns = ui_now_ns();
	moved(v);
	return UI_REDRAW;
}

static int
key_prev(struct rview *v)
{
	size_t k = v->r->cur;
	/* Back to just before the previous event; an event between cursor
	 * times (after [ or ]) counts as the one at the cursor. */
	if (k > 0 && v->r->cur_t == v->r->tr->ev[k - 1].t_ns)
		k--;
	replay_seek(v->r, k);
	v->playing = false;
	moved(v);
	return UI_REDRAW;
}

static int
key_next(struct rview *v)
{
	replay_seek(v->r, v->r->cur + 1);
	v->playing = false;
	moved(v);
	return UI_REDRAW;
}

static int
jump(struct rview *v, int64_t dt)
{
	int64_t t = v->r->cur_t + dt;
	int64_t end = replay_duration(v->r);
	replay_seek_time(v->r, t < 0 ? 0 : t > end ? end : t);
	moved(v);
	return UI_REDRAW;
}

static int key_back_1s(struct rview *v) { return jump(v, -SECOND); }
static int key_fwd_1s(struct rview *v) { return jump(v, SECOND); }

static int
key_start(struct rview *v)
{
	replay_seek(v->r, 0);
	v->playing = false;
	moved(v);
	return UI_REDRAW;
}

static int
key_end(struct rview *v)
{
	replay_seek(v->r, v->r->tr->nev);
	v->playing = false;
	moved(v);
	return UI_REDRAW;
}

static int
speed(struct rview *v, double f)
{
	double s = v->ui->speed * f;
	v->ui->speed = s < 1.0 / 64 ? 1.0 / 64 : s > 1024 ? 1024 : s;
	v->play_real_ns = ui_now_ns();
	ui_message(v->ui, "Replay speed %gx", v->ui->speed);
	return UI_REDRAW;
}

static int key_faster(struct rview *v) { return speed(v, 2); }
static int key_slower(struct rview *v) { return speed(v, 0.5); }

static int
key_live_only(struct rview *v)
{
	ui_message(v->ui, "A recording: no signals, restarts or /proc details "
	    "(run the scenario for those)");
	return UI_REDRAW;
}

static const struct {
	int ch;
	bool is_key;
	int (*fn)(struct rview *v);
} keys[] = {
	{ ' ', false, key_play },
	{ KEY_LEFT, true, key_prev },      { KEY_RIGHT, true, key_next },
	{ '[', false, key_back_1s },       { ']', false, key_fwd_1s },
	{ 'g', false, key_start },         { KEY_HOME, true, key_start },
	{ 'G', false, key_end },           { KEY_END, true, key_end },
	{ '+', false, key_faster },        { '-', false, key_slower },
	{ 'r', false, key_live_only },     { KEY_F(5), true, key_live_only },
	{ 'k', false, key_live_only },     { KEY_F(9), true, key_live_only },
	{ '\n', false, key_live_only },    { '\r', false, key_live_only },
	{ KEY_ENTER, true, key_live_only },
};

int
replay_key(struct rview *v, int ch, bool is_key)
{
	/* The help and the filter prompt keep their keys. */
	if (v->ui->overlay != OV_NONE)
		return UI_NONE;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (keys[i].ch == ch && keys[i].is_key == is_key)
			return keys[i].fn(v) | UI_HANDLED;
	return UI_NONE;
}

bool
replay_play_step(struct rview *v, int64_t now_ns)
{
	if (!v->playing)
		return false;
	int64_t dt = (int64_t)((double)(now_ns - v->play_real_ns) * v->ui->speed);
	v->play_real_ns = now_ns;
	int64_t end = replay_duration(v->r);
	int64_t t = v->r->cur_t + dt;
	if (t >= end) {
		replay_seek(v->r, v->r->tr->nev);
		v->playing = false;
	} else {
		replay_seek_time(v->r, t);
	}
	replay_sync(v);
	return true;
}

/* Over the dashboard's help: the keys as they are in a replay (the same
 * number of lines as its key section, which it replaces). */
static const char *const help_keys[] = {
	"Keys (replay of a recording)",
	"  F1 ?            this help (any key closes it)",
	"  q F10           quit",
	"  Space           play / pause (at the end: play again from the start)",
	"  Left Right      the previous / next event",
	"  [ ]             one second back / forward",
	"  g G Home End    the start / the end of the recording",
	"  + -             replay speed x2 / x0.5 (1x = as it was recorded)",
	"  Tab Shift-Tab   move the focus between panels",
	"  Up Down PgUp PgDn   move in the focused panel",
	"  t               show / hide threads in the process tree",
	"  /               filter events by text (Esc in the events panel clears it)",
	"  v               event classes: default, all, ipc, output",
	"  < >             timeline zoom out / in;  =  fit the whole run",
	"  r k Enter       restart, signals, /proc details: live runs only",
	"  mouse           click selects, the wheel scrolls",
};

static void
help_draw(struct ui *ui)
{
	int n = (int)(sizeof(help_keys) / sizeof(help_keys[0]));
	/* The help overlay's text starts one row under its title (row 2). */
	for (int i = 0; i < n && 3 + i < ui->rows - 2; i++) {
		move(3 + i, 1);
		for (int x = 1; x < ui->cols - 1; x++)
			addch(' ');
		draw_text(3 + i, 1, ui->cols - 2, help_keys[i][0] != ' ' ?
		    theme_attr(UIC_TITLE) : theme_attr(UIC_NORMAL), help_keys[i]);
	}
}

static const struct { const char *key, *label; } hints[] = {
	{ "Spc", "Play" }, { "\xe2\x86\x90\xe2\x86\x92", "Event" }, { "[]", "1s" },
	{ "gG", "Start/End" }, { "+-", "Speed" }, { "F1", "Help" }, { "q", "Quit" },
};

void
replay_bar_draw(struct rview *v)
{
	struct ui *ui = v->ui;
	if (ui->rows < 15 || ui->cols < 60)
		return;                           /* "terminal too small" */
	char badge[48], pos[128], t[32], d[32];
	snprintf(badge, sizeof(badge), " REPLAY %s ", v->playing ? "PLAY" : "PAUSED");
	int bw = (int)strlen(badge);
	draw_text(0, ui->cols - bw, bw, theme_attr(v->playing ? UIC_GOOD : UIC_PROMPT) |
	    A_REVERSE, badge);
	if (ui->overlay == OV_HELP)
		help_draw(ui);
	if (ui->overlay == OV_FILTER || (ui->msg[0] && ui_now_ns() < ui->msg_until))
		return;                           /* the footer's prompt or message */
	int y = ui->rows - 1;
	move(y, 0);
	clrtoeol();
	draw_dur(t, sizeof(t), v->r->cur_t);
	draw_dur(d, sizeof(d), replay_duration(v->r));
	snprintf(pos, sizeof(pos), "%s %s/%s ev %zu/%zu %gx ", v->playing ? ">" : "||",
	    t, d, v->r->cur, v->r->tr->nev, ui->speed);
	int x = draw_text(y, 0, ui->cols, theme_attr(UIC_HEADER_BOLD), pos);
	x += draw_text(y, x, 1, theme_attr(UIC_NORMAL), " ");
	for (size_t i = 0; i < sizeof(hints) / sizeof(hints[0]); i++) {
		const char *key = i == 1 && !ui->utf8 ? "Lt/Rt" : hints[i].key;
		int kw = draw_width(key), lw = draw_width(hints[i].label);
		if (x + kw + lw + 1 > ui->cols)
			break;
		x += draw_text(y, x, kw, theme_attr(UIC_NORMAL) | A_BOLD, key);
		x += draw_text(y, x, lw, theme_attr(UIC_KEY), hints[i].label);
		x += draw_text(y, x, 1, theme_attr(UIC_NORMAL), " ");
	}
}
