/* The signal menu (F9 / k): pick a signal for the selected process. */
#include <curses.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "draw.h"
#include "sigmenu.h"
#include "view.h"

static void
signal_draw(struct ui *ui, const struct rect *r, bool focus)
{
	(void)focus;
	const struct model_proc *p = ui_selected_proc(ui);

	sigmenu_draw(r, p ? p->name : NULL, p ? p->pid : 0, ui->sig_sel);
}

static int
signal_key(struct ui *ui, int ch, bool is_key)
{
	int sig;
	switch (sigmenu_key(ch, is_key, &ui->sig_sel, &sig)) {
	case SIGMENU_MOVED:
		return UI_HANDLED | UI_REDRAW;
	case SIGMENU_CANCEL:
		ui->overlay = OV_NONE;
		return UI_HANDLED | UI_REDRAW;
	case SIGMENU_IGNORED:
		return UI_HANDLED;   /* modal */
	case SIGMENU_PICK: {
		struct model_proc *p = ui_selected_proc(ui);
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
	}
	return UI_HANDLED;
}

const struct view_ops view_signal_ops = {
	.name = "signal",
	.draw = signal_draw,
	.key = signal_key,
};
