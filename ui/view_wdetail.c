/* Overlays of the watch dashboard over one process: its detail (Enter:
 * identity, /proc values, command line, what it waits on, its descriptors
 * with what each is) and the signal menu (F9 / k). */
#include <curses.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "draw.h"
#include "sigmenu.h"
#include "view.h"
#include "watch/tree.h"
#include "watch_app.h"

#define LINES_MAX 96

static const char *
state_name(char s)
{
	switch (s) {
	case 'R': return "running";
	case 'S': return "sleeping";
	case 'D': return "disk sleep";
	case 'Z': return "zombie";
	case 'T': return "stopped";
	case 't': return "traced";
	case 'X': return "exited";
	case 'I': return "idle";
	default: return "unknown";
	}
}

/* Is "pid:fd" in the comma list? */
static bool
in_list(const char *list, pid_t pid, int fd)
{
	char item[32];
	snprintf(item, sizeof(item), "%d:%d", (int)pid, fd);
	size_t il = strlen(item);
	for (const char *p = list; (p = strstr(p, item)) != NULL; p += il)
		if ((p == list || p[-1] == ',') && (p[il] == ',' || p[il] == '\0'))
			return true;
	return false;
}

/* What descriptor 'fd' (target 'target', inode 'ino') of 'pid' is, from
 * the frame's edges. */
static void
fd_label(const struct watch_snapshot *s, pid_t pid, const struct proc_fd *fd,
    char *buf, size_t len)
{
	char from[96], to[96];
	buf[0] = '\0';
	if (strncmp(fd->target, "pipe:", 5) == 0 || fd->target[0] == '/') {
		/* A pipe by inode, a FIFO by path. */
		for (size_t i = 0; i < s->nedges; i++) {
			const struct watch_edge *e = &s->edges[i];
			bool hit = fd->target[0] == '/' ?
			    e->kind == WATCH_EDGE_FIFO && strcmp(e->path, fd->target) == 0 :
			    e->kind == WATCH_EDGE_PIPE && e->inode == fd->inode;
			if (!hit)
				continue;
			wmodel_edge_ends(s, e->kind, e->inode, NULL, from, to,
			    sizeof(from));
			const char *k = e->kind == WATCH_EDGE_FIFO ? "FIFO" : "pipe";
			if (in_list(from, pid, fd->fd))
				snprintf(buf, len, "%s write end, read by %s", k, to);
			else if (in_list(to, pid, fd->fd))
				snprintf(buf, len, "%s read end, written by %s", k, from);
			return;
		}
		if (fd->target[0] != '/')
			snprintf(buf, len, "pipe with no other end in the tree");
		return;
	}
	if (strncmp(fd->target, "socket:", 7) == 0) {
		size_t used = 0;
		for (size_t i = 0; i < s->nedges && used + 40 < len; i++) {
			const struct watch_edge *e = &s->edges[i];
			if (e->kind != WATCH_EDGE_SOCKET)
				continue;
			if (e->inode == fd->inode && e->from.pid > 0)
				used += (size_t)snprintf(buf + used, len - used,
				    "%sreceives from %d:%d", used ? ", " : "",
				    (int)e->from.pid, e->from.fd);
			else if (e->peer_inode == fd->inode && e->to.pid > 0)
				used += (size_t)snprintf(buf + used, len - used,
				    "%ssends to %d:%d", used ? ", " : "", (int)e->to.pid,
				    e->to.fd);
			if (used == 0 && (e->inode == fd->inode ||
			    e->peer_inode == fd->inode) && e->path[0])
				used += (size_t)snprintf(buf + used, len - used, "%s",
				    e->path);
		}
		if (!used)
			snprintf(buf, len, "socket with no peer in the tree");
	}
}

static void
detail_draw(struct wui *u, const struct rect *r, bool focus)
{
	(void)focus;
	draw_clear(r);
	const struct wmodel_frame *f = wui_frame(u);
	const struct watch_proc *p = wmodel_proc(f, u->det_pid, u->det_start);
	if (!p) {
		draw_title(r, true, "Process (no longer watched)", "Esc closes");
		return;
	}
	char title[96];
	snprintf(title, sizeof(title), "Process %d %s (%s)", (int)p->pid, p->name,
	    wmodel_role_label(p->role));
	draw_title(r, true, title, "Esc closes");
	static char lines[LINES_MAX][300];
	int n = 0;
	char cpu[32], rss[32], rr[16], wr[16];
	snprintf(lines[n++], 300, "pid %d   ppid %d   role %s", (int)p->pid,
	    (int)p->ppid, wmodel_role_label(p->role));
	if (p->state == 'X' || p->state == 'Z') {
		char ex[64];
		wmodel_exit_text(p, ex, sizeof(ex));
		snprintf(lines[n++], 300, "%s", ex);
	} else {
		if (isnan(p->cpu))
			snprintf(cpu, sizeof(cpu), "-");
		else
			snprintf(cpu, sizeof(cpu), "%.1f%%", p->cpu);
		draw_bytes(rss, sizeof(rss), (int64_t)p->rss_kib * 1024);
		if (isnan(p->read_rate))
			snprintf(rr, sizeof(rr), "-");
		else
			draw_bytes(rr, sizeof(rr), (int64_t)p->read_rate);
		if (isnan(p->write_rate))
			snprintf(wr, sizeof(wr), "-");
		else
			draw_bytes(wr, sizeof(wr), (int64_t)p->write_rate);
		snprintf(lines[n++], 300, "state %c (%s)   CPU %s   RSS %s   "
		    "threads %d   read %s/s   written %s/s", p->state,
		    state_name(p->state), cpu, rss, p->threads, rr, wr);
	}
	if (p->error[0])
		snprintf(lines[n++], 300, "! %s", p->error);
	/* The command line, wrapped. */
	const char *cmd = u->det_cmd[0] ? u->det_cmd : p->cmdline;
	int cw = r->w - 12 > 20 ? r->w - 12 : 20;
	size_t cl = strlen(cmd);
	for (size_t off = 0; n < 8 && (off < cl || off == 0); off += (size_t)cw)
		snprintf(lines[n++], 300, "%s%.*s", off ? "         " : "command: ",
		    cw, cmd + off);
	int nw = 0;
	for (size_t i = 0; i < f->s.nblocked && n < LINES_MAX / 2; i++)
		if (f->s.blocked[i].pid == p->pid) {
			if (!nw++)
				snprintf(lines[n++], 300, "waiting:");
			snprintf(lines[n++], 300, "  %s%s", f->s.blocked[i].text,
			    f->s.blocked[i].timed ? " (with a timeout)" : "");
		}
	if (u->det_nfds < 0)
		snprintf(lines[n++], 300, "open descriptors: cannot list them: %s",
		    strerror(-u->det_nfds));
	else
		snprintf(lines[n++], 300, "open descriptors (%d):", u->det_nfds);
	for (int k = 0; k < u->det_nfds && n < LINES_MAX; k++) {
		char label[200];
		fd_label(&f->s, p->pid, &u->det_fds[k], label, sizeof(label));
		snprintf(lines[n++], 300, "  %3d  %-22s %s", u->det_fds[k].fd,
		    u->det_fds[k].target, label);
	}
	if (u->det_scroll > n - (r->h - 1))
		u->det_scroll = n - (r->h - 1) > 0 ? n - (r->h - 1) : 0;
	for (int i = 0; i + 1 < r->h && u->det_scroll + i < n; i++) {
		int k = u->det_scroll + i;
		attr_t a = lines[k][0] != ' ' ? theme_attr(UIC_NORMAL) | A_BOLD :
		    theme_attr(UIC_NORMAL);
		draw_text(r->y + 1 + i, r->x + 1, r->w - 2, a, lines[k]);
	}
}

static int
detail_key(struct wui *u, int ch, bool is_key)
{
	if (view_motion(ch, is_key, &u->det_scroll, LINES_MAX, 10))
		return UI_HANDLED | UI_REDRAW;
	if ((!is_key && (ch == 27 || ch == 'q' || ch == '\n' || ch == '\r')) ||
	    (is_key && ch == KEY_ENTER)) {
		u->overlay = WOV_NONE;
		wui_detail_free(u);
		return UI_HANDLED | UI_REDRAW;
	}
	return UI_NONE;
}

const struct wview_ops wview_detail_ops = {
	.name = "detail",
	.draw = detail_draw,
	.key = detail_key,
};

/* ---- the signal menu ---- */

static void
signal_draw(struct wui *u, const struct rect *r, bool focus)
{
	(void)focus;
	const struct watch_proc *p = wui_selected(u);

	sigmenu_draw(r, p ? p->name : NULL, p ? p->pid : 0, u->sig_sel);
}

static int
signal_key(struct wui *u, int ch, bool is_key)
{
	int sig;
	switch (sigmenu_key(ch, is_key, &u->sig_sel, &sig)) {
	case SIGMENU_MOVED:
		return UI_HANDLED | UI_REDRAW;
	case SIGMENU_CANCEL:
		u->overlay = WOV_NONE;
		return UI_HANDLED | UI_REDRAW;
	case SIGMENU_IGNORED:
		return UI_HANDLED;   /* modal */
	case SIGMENU_PICK: {
		const struct watch_proc *p = wui_selected(u);
		u->overlay = WOV_NONE;
		struct watch_stat st;
		/* The same process still: a reused pid is not signalled. */
		if (!p || p->state == 'X' || watch_stat_read(p->pid, &st) != 0 ||
		    (p->start && st.start != p->start))
			wui_message(u, "No live process selected");
		else if (kill(p->pid, sig) != 0)
			wui_message(u, "Could not send SIG%s to %d: %s",
			    sigabbrev_np(sig), (int)p->pid, strerror(errno));
		else
			wui_message(u, "Sent SIG%s to %s (%d)", sigabbrev_np(sig),
			    p->name, (int)p->pid);
		return UI_HANDLED | UI_REDRAW | UI_RESAMPLE;
	}
	}
	return UI_HANDLED;
}

const struct wview_ops wview_signal_ops = {
	.name = "signal",
	.draw = signal_draw,
	.key = signal_key,
};
