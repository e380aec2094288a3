/* The signal menu shared by both dashboards (see sigmenu.h). */
#include "sigmenu.h"

#include <curses.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "theme.h"
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

void
sigmenu_draw(const struct rect *r, const char *name, pid_t pid, int sel)
{
	int w = 50 < r->w - 2 ? 50 : r->w - 2;
	int h = NSIGS + 4 < r->h ? NSIGS + 4 : r->h;
	struct rect b = { r->y + (r->h - h) / 2, r->x + (r->w - w) / 2, h, w };
	char t[96];

	draw_clear(&b);
	snprintf(t, sizeof(t), "Send signal to %s (%d)", name ? name : "?", (int)pid);
	draw_title(&b, true, t, NULL);
	for (int i = 0; i < NSIGS && i + 1 < b.h - 2; i++) {
		attr_t a = theme_attr(i == sel ? UIC_SELECTED : UIC_NORMAL);
		draw_printf(b.y + 1 + i, b.x + 1, b.w - 2, a, " %2d SIG%-5s %-*s",
		    sigs[i].sig, sigabbrev_np(sigs[i].sig), b.w - 14, sigs[i].what);
	}
	draw_text(b.y + b.h - 1, b.x + 1, b.w - 2, theme_attr(UIC_DIM),
	    "Enter sends, Esc cancels");
}

enum sigmenu_result
sigmenu_key(int ch, bool is_key, int *sel, int *sig)
{
	if (view_motion(ch, is_key, sel, NSIGS, 4))
		return SIGMENU_MOVED;
	if (!is_key && (ch == 27 || ch == 'q'))
		return SIGMENU_CANCEL;
	if ((!is_key && (ch == '\n' || ch == '\r')) || (is_key && ch == KEY_ENTER)) {
		int k = *sel >= 0 && *sel < NSIGS ? *sel : 0;
		*sig = sigs[k].sig;
		return SIGMENU_PICK;
	}
	return SIGMENU_IGNORED;
}
