/* Help (F1 / ?): the keys, and what the colours and columns mean. */
#include <curses.h>
#include <stdio.h>

#include "draw.h"
#include "view.h"

static const char *const help_lines[] = {
	"Keys (htop conventions)",
	"  F1 ?            this help (any key closes it)",
	"  q F10           quit (the scenario's processes are stopped)",
	"  Space           pause / resume: processes and the scenario clock stop together",
	"  + -             speed x2 / x0.5",
	"  r               restart the scenario from the beginning",
	"  Tab Shift-Tab   move the focus between panels",
	"  Up Down PgUp PgDn Home End   move in the focused panel",
	"  Enter           details of the selected process",
	"  F9 k            send a signal to the selected process",
	"  t               show / hide threads in the process tree",
	"  /               filter events by text (Esc in the events panel clears it)",
	"  v               event classes: default, all, ipc, output",
	"  < >             timeline zoom out / in;  =  fit the whole run",
	"  Left Right      scroll the timeline (pool panel focused)",
	"  mouse           click selects, the wheel scrolls",
	"",
	"Process tree",
	"  S: state from /proc: R running, S sleeping, D disk, T stopped, Z zombie",
	"  CPU%: since the previous sample (100 = one CPU); '-' on the first sample",
	"  DOING: what the scenario process is doing now (sleep, blocked on what, task)",
	"  Dimmed rows have ended; 'zombie' = exited, not yet joined by its parent",
	"",
	"Times are scenario time (as written in the scenario; --speed and pauses",
	"  do not change them); the header adds real time when it differs.",
	"Pool timeline: one row per worker slot; a block per task with its id;",
	"  red blocks failed or were lost (!); X marks a replaced worker.",
	"Queues: depth bar against maxsize, puts, gets, puts per second, depth history.",
	"Pipes: per direction, messages and bytes sent, read, still waiting.",
};

static void
help_draw(struct ui *ui, const struct rect *r, bool focus)
{
	(void)ui; (void)focus;
	draw_clear(r);
	draw_title(r, true, "Help", "any key closes");
	int n = (int)(sizeof(help_lines) / sizeof(help_lines[0]));
	for (int i = 0; i < n && i + 1 < r->h; i++) {
		attr_t a = help_lines[i][0] != ' ' ? theme_attr(UIC_TITLE) :
		    theme_attr(UIC_NORMAL);
		draw_text(r->y + 1 + i, r->x + 1, r->w - 2, a, help_lines[i]);
	}
}

static int
help_key(struct ui *ui, int ch, bool is_key)
{
	(void)ch; (void)is_key;
	ui->overlay = OV_NONE;
	if (is_key && ch == KEY_F(10))
		return UI_HANDLED | UI_QUIT;
	return UI_HANDLED | UI_REDRAW;
}

const struct view_ops view_help_ops = {
	.name = "help",
	.draw = help_draw,
	.key = help_key,
};
