/* The signal menu (F9 / k): pick a signal for the selected process. */
#include <curses.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "draw.h"
#include "view.h"

static const struct { int sig; const char *what; } sigs[] = {
	{ SIGTERM, "terminate (default action: exit)" },
	{ SIGKILL, "kill, cannot be caught" },
	{ SIGINT,  "interrupt (KeyboardInterrupt)" },
	{ SIGHUP,  "hang up" },
	{ SIGSTOP, "stop (freeze the process)" },
	{ SIGCONT, "continue a stopped process" },
	{ SIGSEGV, "segmentation fault" },
	{ SIGUSR1, "user signal 1" },
	{ SIGUSR2, "user signal 2" },
};
#define NSIGS ((int)(sizeof(sigs) / sizeof(sigs[0])))

static void
signal_draw(struct ui *ui, const struct rect *r, bool focus)
{
	(void)focus;
	const struct model_proc *p = ui_selected_proc(ui);
	int w = 50 < r->w - 2 ? 50 : r->w - 2;
	int h = NSIGS + 4 < r->h ? NSIGS + 4 : r->h;
	struct rect b = { r->y + (r->h - h) / 2, r->x + (r->w - w) / 2, h, w };
	draw_clear(&b);
	char t[96];
	snprintf(t, sizeof(t), "Send signal to %s (%d)", p ? p->name : "?",
	    p ? (int)p->pid : 0);
	draw_title(&b, true, t, NULL);
	for (int i = 0; i < NSIGS && i + 1 < b.h - 2; i++) {
		int y = b.y + 1 + i;
		attr_t a = i == ui->sig_sel ? theme_attr(UIC_SELECTED) :
		    theme_attr(UIC_NORMAL);
		draw_printf(y, b.x + 1, b.w - 2, a, " %2d SIG%-5s %-*s", sigs[i].sig,
		    sigabbrev_np(sigs[i].sig), b.w - 14, sigs[i].what);
	}
	draw_text(b.y + b.h - 1, b.x + 1, b.w - 2, theme_attr(UIC_DIM),
	    "Enter sends, Esc cancels");
}

static int
signal_key(struct ui *ui, int ch, bool is_key)
{
	if (view_motion(ch, is_key, &ui->sig_sel, NSIGS, 4))
		return UI_HANDLED | UI_REDRAW;
	if (!is_key && (ch == 27 || ch == 'q')) {
		ui->overlay = OV_NONE;
		return UI_HANDLED | UI_REDRAW;
	}
	if ((!is_key && (ch == '\n' || ch == '\r')) || (is_key && ch == KEY_ENTER)) {
		struct model_proc *p = ui_selected_proc(ui);
		int sig = sigs[ui->sig_sel].sig;
		ui->overlay = OV_NONE;
		if (!p || !ui->run || p->life != LIFE_RUNNING) {
			ui_message(ui, "No live process selected");
		} else if (run_signal(ui->run, p->pid, sig) != 0) {
			ui_message(ui, "Could not send SIG%s to %d: %s",
			    sigabbrev_np(sig), (int)p->pid, strerror(errno));
		} else {
			ui_message(ui, "Sent SIG%s to %s (%d)", sigabbrev_np(sig),
			    p->name, (int)p->pid);
		}
		return UI_HANDLED | UI_REDRAW | UI_RESAMPLE;
	}
	return UI_HANDLED;   /* modal */
}

const struct view_ops view_signal_ops = {
	.name = "signal",
	.draw = signal_draw,
	.key = signal_key,
};
