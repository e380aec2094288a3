/* The watch dashboard's header (what is watched, its state, counts), the
 * likely-deadlock banner, the footer (key hints, messages, the filter
 * prompt, the root's exit) and the help overlay. */
#include <curses.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>

#include "draw.h"
#include "view.h"
#include "watch/tree.h"
#include "watch_app.h"

static const char *
state_text(const struct wui *u, enum ui_color *c, char *buf, size_t len)
{
	const struct wmodel_frame *f = wui_frame(u);
	*c = UIC_GOOD;
	if (u->paused) {
		*c = UIC_PROMPT;
		return "DISPLAY PAUSED";
	}
	if (u->root_exited) {
		*c = UIC_ALERT;
		if (u->root_wstatus >= 0) {
			int st = watch_exit_code(u->root_wstatus);
			if (st == 0)
				*c = UIC_GOOD;
			snprintf(buf, len, "EXITED %d", st);
			return buf;
		}
		return "EXITED";
	}
	if (f->s.ncycles) {
		*c = UIC_ALERT;
		return "DEADLOCK?";
	}
	return "WATCHING";
}

static void
header_draw(struct wui *u, const struct rect *r, bool focus)
{
	(void)focus;
	const struct wmodel_frame *f = wui_frame(u);
	attr_t h = theme_attr(UIC_HEADER);
	move(r->y, 0);
	attrset(h);
	for (int i = 0; i < r->w; i++)
		addch(' ');
	attrset(A_NORMAL);
	enum ui_color sc;
	char sb[32], badge[40];
	snprintf(badge, sizeof(badge), " %s ", state_text(u, &sc, sb, sizeof(sb)));
	int bw = (int)strlen(badge);
	int x = draw_text(r->y, 0, r->w - bw - 1, theme_attr(UIC_HEADER_BOLD),
	    " ipcscope ");
	draw_text(r->y, x, r->w - bw - x - 1, h, u->o.title ? u->o.title : "");
	draw_text(r->y, r->w - bw, bw, theme_attr(sc) | A_REVERSE, badge);

	int live = 0;
	for (size_t i = 0; i < f->s.nprocs; i++)
		live += f->s.procs[i].state != 'X' && f->s.procs[i].state != 'Z';
	size_t untimed = 0;
	for (size_t i = 0; i < f->s.nblocked; i++)
		untimed += !f->s.blocked[i].timed;
	char part[6][64], t[32];
	int np = 0;
	draw_dur(t, sizeof(t), (int64_t)(f->s.t * 1e9));
	snprintf(part[np++], 64, "t %s", t);
	snprintf(part[np++], 64, "every %dms", u->o.interval_ms);
	snprintf(part[np++], 64, "procs %d/%zu live", live, f->s.nprocs);
	snprintf(part[np++], 64, "edges %zu", f->s.nedges);
	snprintf(part[np++], 64, "blocked %zu", untimed);
	if (u->o.record)
		snprintf(part[np++], 64, "recording");
	x = 1;
	for (int i = 0; i < np; i++) {
		int w = draw_width(part[i]);
		if (x + w > r->w)
			break;
		draw_text(r->y + 1, x, w, theme_attr(UIC_NORMAL), part[i]);
		x += w + 2;
	}
	if (r->h >= 3 && f->s.ncycles) {
		char b[300];
		const char *ct = f->s.cycles[0].text;
		if (strncasecmp(ct, "likely deadlock: ", 17) == 0)
			ct += 17;
		snprintf(b, sizeof(b), " LIKELY DEADLOCK: %s%s ", ct,
		    f->s.ncycles > 1 ? " (and more: see Events)" : "");
		move(r->y + 2, 0);
		attrset(theme_attr(UIC_ALERT) | A_REVERSE);
		for (int i = 0; i < r->w; i++)
			addch(' ');
		attrset(A_NORMAL);
		draw_text(r->y + 2, 0, r->w, theme_attr(UIC_ALERT) | A_REVERSE, b);
	}
}

const struct wview_ops wview_header_ops = {
	.name = "header",
	.draw = header_draw,
};

static const struct { const char *key, *label; } hints[] = {
	{ "F1", "Help" }, { "Spc", "Pause display" }, { "Tab", "Focus" },
	{ "Ent", "Detail" }, { "F9", "Signal" }, { "/", "Filter" },
	{ "F10", "Quit" },
};

static void
footer_draw(struct wui *u, const struct rect *r, bool focus)
{
	(void)focus;
	int y = r->y + r->h - 1;
	if (u->root_exited && r->h >= 2) {
		char b[200], ex[64] = "exited";
		const struct watch_proc *p = watch_snapshot_proc(&u->model.cur.s,
		    u->o.root);
		if (p && (p->state == 'X' || p->state == 'Z'))
			wmodel_exit_text(p, ex, sizeof(ex));
		snprintf(b, sizeof(b), "%d %s after %.1fs; the last state stays "
		    "on screen. q quits.", (int)u->o.root, ex, u->root_exit_t);
		draw_text(r->y, 0, r->w, theme_attr(u->root_wstatus == 0 ?
		    UIC_GOOD : UIC_ALERT) | A_BOLD, b);
	}
	if (u->overlay == WOV_FILTER) {
		int x = draw_text(y, 0, r->w, theme_attr(UIC_PROMPT),
		    "Filter events: ");
		x += draw_text(y, x, r->w - x, theme_attr(UIC_NORMAL), u->ev_edit);
		draw_text(y, x, 1, theme_attr(UIC_SELECTED), " ");
		draw_text(y, x + 2, r->w - x - 2, theme_attr(UIC_DIM),
		    "(Enter keeps, Esc clears)");
		return;
	}
	if (u->msg[0] && ui_now_ns() < u->msg_until) {
		draw_text(y, 0, r->w, theme_attr(UIC_PROMPT), u->msg);
		return;
	}
	int x = 0;
	for (size_t i = 0; i < sizeof(hints) / sizeof(hints[0]); i++) {
		int kw = draw_width(hints[i].key), lw = draw_width(hints[i].label);
		if (x + kw + lw + 1 > r->w)
			break;
		x += draw_text(y, x, kw, theme_attr(UIC_NORMAL) | A_BOLD,
		    hints[i].key);
		x += draw_text(y, x, lw, theme_attr(UIC_KEY), hints[i].label);
		x += draw_text(y, x, 1, theme_attr(UIC_NORMAL), " ");
	}
}

const struct wview_ops wview_footer_ops = {
	.name = "footer",
	.draw = footer_draw,
};

static const char *const help_lines[] = {
	"Keys",
	"  F1 ?            this help (any key closes it)",
	"  q F10           quit: watch stops the program it started (SIGTERM to",
	"                  its process group, SIGKILL after 2 s); attach leaves",
	"                  the watched processes undisturbed",
	"  Space           pause / resume the DISPLAY (the program runs on)",
	"  Tab Shift-Tab   move the focus between panels",
	"  Up Down PgUp PgDn Home End   move in the focused panel",
	"  Enter           details of the selected process (descriptors ...)",
	"  F9 k            send a signal to the selected process",
	"  /               filter events by text (Esc clears the filter)",
	"  mouse           click selects, the wheel scrolls",
	"",
	"Panels",
	"  Processes: the watched tree; ROLE is guessed from the outside (main,",
	"    pool worker, manager, resource tracker, forkserver); S is the state",
	"    (R S D T Z); DOING says what it is blocked on; exited ones dimmed",
	"  IPC edges: each pipe, unix socket or FIFO between watched processes,",
	"    writer pid:fd -> reader pid:fd, bytes waiting against capacity, rate",
	"  Blocked on what: threads sleeping on a descriptor or a child, and for",
	"    how long; a wait-for cycle raises the LIKELY DEADLOCK banner",
	"  Events: changes between consecutive samples",
};

static void
help_draw(struct wui *u, const struct rect *r, bool focus)
{
	(void)u; (void)focus;
	draw_clear(r);
	draw_title(r, true, "Help", "any key closes");
	int n = (int)(sizeof(help_lines) / sizeof(help_lines[0]));
	for (int i = 0; i < n && i + 1 < r->h; i++)
		draw_text(r->y + 1 + i, r->x + 1, r->w - 2,
		    theme_attr(help_lines[i][0] != ' ' ? UIC_TITLE : UIC_NORMAL),
		    help_lines[i]);
}

static int
help_key(struct wui *u, int ch, bool is_key)
{
	u->overlay = WOV_NONE;
	if (is_key && ch == KEY_F(10))
		return UI_HANDLED | UI_QUIT;
	return UI_HANDLED | UI_REDRAW;
}

const struct wview_ops wview_help_ops = {
	.name = "help",
	.draw = help_draw,
	.key = help_key,
};
