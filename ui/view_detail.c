/* The detail view of one process: identity, /proc values, its descriptors
 * named after the scenario's queues and pipes, its step, its recent events. */
#include <curses.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "draw.h"
#include "util/xmem.h"
#include "view.h"

/* Verbs by enum sc_step_kind, as written in scenario files. */
static const char *const step_verbs[STEP_KIND_COUNT] = {
	[STEP_SLEEP] = "sleep", [STEP_BUSY] = "busy", [STEP_PRINT] = "print",
	[STEP_START] = "start", [STEP_JOIN] = "join", [STEP_PUT] = "put",
	[STEP_GET] = "get", [STEP_SEND] = "send", [STEP_RECV] = "recv",
	[STEP_CLOSE_END] = "close", [STEP_DICT_SET] = "dict_set",
	[STEP_DICT_GET] = "dict_get", [STEP_LIST_APPEND] = "list_append",
	[STEP_LIST_GET] = "list_get", [STEP_APPLY] = "apply",
	[STEP_APPLY_ASYNC] = "apply_async", [STEP_MAP] = "map",
	[STEP_MAP_ASYNC] = "map_async", [STEP_IMAP] = "imap",
	[STEP_IMAP_UNORDERED] = "imap_unordered", [STEP_WAIT] = "wait",
	[STEP_CLOSE] = "close", [STEP_TERMINATE] = "terminate",
	[STEP_RETURN] = "return", [STEP_EXIT] = "exit", [STEP_RAISE] = "raise",
	[STEP_CRASH] = "crash", [STEP_REPEAT] = "repeat", [STEP_END] = "end",
	[STEP_CALL] = "call",
};

static unsigned long
inode_of(pid_t pid, int fd)
{
	char path[64], target[96];
	snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)pid, fd);
	ssize_t n = readlink(path, target, sizeof(target) - 1);
	if (n <= 0)
		return 0;
	target[n] = '\0';
	const char *br = strchr(target, '[');
	return br ? strtoul(br + 1, NULL, 10) : 0;
}

void
detail_free(struct ui *ui)
{
	free(ui->detail_fds);
	free(ui->detail_labels);
	ui->detail_fds = NULL;
	ui->detail_labels = NULL;
	ui->detail_nfds = 0;
	ui->detail_cmd[0] = '\0';
}

void
detail_refresh(struct ui *ui)
{
	detail_free(ui);
	const struct model_proc *p = model_proc_get(&ui->model, ui->detail_proc);
	if (!p || p->life == LIFE_REAPED)
		return;
	if (sampler_cmdline(p->pid, ui->detail_cmd, sizeof(ui->detail_cmd)) < 0)
		ui->detail_cmd[0] = '\0';
	int n = sampler_list_fds(p->pid, &ui->detail_fds);
	if (n <= 0)
		return;
	ui->detail_nfds = n;
	ui->detail_labels = xcalloc((size_t)n, sizeof(*ui->detail_labels));

	/* Name the kernel objects behind our queues and pipes: the main process
	 * holds every one of them; match by inode. */
	const struct shared *sh = ui->run ? run_shared(ui->run) : NULL;
	pid_t mainpid = ui->run ? run_main_pid(ui->run) : 0;
	if (!sh || mainpid <= 0 || !sh->objs)
		return;
	for (int i = 0; i < sh->nobjs && i < ui->sc->nobjs; i++) {
		int kind = ui->sc->objs[i].kind;
		if (kind != SC_QUEUE && kind != SC_PIPE)
			continue;
		const int *fds = kind == SC_QUEUE ? sh->objs[i].q.fds :
		    sh->objs[i].pipe.fds;
		for (int e = 0; e < 2; e++) {
			if (fds[e] < 0)
				continue;
			unsigned long ino = inode_of(mainpid, fds[e]);
			if (!ino)
				continue;
			for (int k = 0; k < n; k++) {
				if (ui->detail_fds[k].inode != ino ||
				    ui->detail_labels[k][0])
					continue;
				if (kind == SC_QUEUE)
					snprintf(ui->detail_labels[k], 48, "queue %s",
					    ui->sc->objs[i].name);
				else if (ui->sc->objs[i].u.pipe.duplex)
					snprintf(ui->detail_labels[k], 48, "pipe %s (end %c)",
					    ui->sc->objs[i].name, 'a' + e);
				else
					snprintf(ui->detail_labels[k], 48, "pipe %s",
					    ui->sc->objs[i].name);
			}
		}
	}
}

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
	case 'X': return "dead";
	case 'I': return "idle";
	default: return "unknown";
	}
}

static void
detail_draw(struct ui *ui, const struct rect *r, bool focus)
{
	(void)focus;
	draw_clear(r);
	const struct model_proc *p = model_proc_get(&ui->model, ui->detail_proc);
	if (!p) {
		draw_title(r, true, "Process", "Esc closes");
		return;
	}
	char title[96];
	snprintf(title, sizeof(title), "Process %s (%s)", p->name,
	    event_role_name(p->role));
	draw_title(r, true, title, "Esc closes");
	char lines[64][256];
	int n = 0;
	char b[32], t[32];
	snprintf(lines[n++], 256, "pid %d   ppid %d   pgid %d   started at +%.3fs",
	    (int)p->pid, (int)p->ppid, (int)p->pgid,
	    (double)model_scen(&ui->model, p->spawn_ns) / 1e9);
	draw_bytes(b, sizeof(b), (int64_t)p->rss_kib * 1024);
	if (isnan(p->pcpu))
		snprintf(t, sizeof(t), "-");
	else
		snprintf(t, sizeof(t), "%.1f%%", p->pcpu);
	if (p->life == LIFE_REAPED)
		snprintf(lines[n++], 256, "ended with exit code %d, reaped",
		    p->exit_code);
	else
		snprintf(lines[n++], 256, "state %c (%s)   CPU %s   RSS %s   threads %d"
		    "   %s", p->sampled ? p->state : '?', state_name(p->state), t, b,
		    p->nlwp, p->life == LIFE_ZOMBIE ? "exited, not yet joined" : "");
	if (p->life != LIFE_RUNNING && p->life != LIFE_REAPED)
		snprintf(lines[n++], 256, "exit code %d", p->exit_code);
	snprintf(lines[n++], 256, "command: %.200s", ui->detail_cmd[0] ?
	    ui->detail_cmd : "-");
	char doing[96];
	model_doing_text(&ui->model, &p->doing, ui_model_now(ui), doing,
	    sizeof(doing));
	const struct model_doing *d = &p->doing;
	if (d->func >= 0 && d->func < ui->sc->nobjs &&
	    ui->sc->objs[d->func].kind == SC_FUNCTION && d->step >= 0 &&
	    d->step < ui->sc->objs[d->func].u.fn.nsteps) {
		const struct sc_step *st = &ui->sc->objs[d->func].u.fn.steps[d->step];
		snprintf(lines[n++], 256, "doing: %s   in %s, step %d of %d: %s "
		    "(line %d)", p->life == LIFE_RUNNING ? doing : "ended",
		    ui->sc->objs[d->func].name, d->step + 1,
		    ui->sc->objs[d->func].u.fn.nsteps,
		    (unsigned)st->kind < STEP_KIND_COUNT ? step_verbs[st->kind] : "?",
		    st->line);
	} else
		snprintf(lines[n++], 256, "doing: %s", p->life == LIFE_RUNNING ?
		    doing : "ended");
	for (int k = 0; k < p->nthreads && n < 12; k++)
		snprintf(lines[n++], 256, "  thread %d %s%s", (int)p->threads[k].tid,
		    p->threads[k].name, p->threads[k].ended ? " (ended)" : "");
	snprintf(lines[n++], 256, "open descriptors (%d):", ui->detail_nfds);
	for (int k = 0; k < ui->detail_nfds && n < 40; k++)
		snprintf(lines[n++], 256, "  %3d  %-24s %s", ui->detail_fds[k].fd,
		    ui->detail_fds[k].target, ui->detail_labels[k]);
	snprintf(lines[n++], 256, "recent events (%llu in all):",
	    (unsigned long long)p->nevents);
	int first_ev = n;
	/* The newest events of this pid that still fit. */
	int room = r->h - 1 - first_ev;
	if (room < 3)
		room = 3;
	const struct model_log_entry *mine[24];
	int nm = 0;
	size_t total = model_log_count(&ui->model);
	for (size_t k = total; k > 0 && nm < room && nm < 24; k--) {
		const struct model_log_entry *e = model_log_at(&ui->model, k - 1);
		if (e->pid == p->pid && e->t_ns >= p->spawn_ns)
			mine[nm++] = e;
	}
	for (int k = nm - 1; k >= 0 && n < 64; k--)
		snprintf(lines[n++], 256, "  %8.3f  %s",
		    (double)model_scen(&ui->model, mine[k]->t_ns) / 1e9, mine[k]->text);

	if (ui->detail_scroll > n - (r->h - 1))
		ui->detail_scroll = n - (r->h - 1) > 0 ? n - (r->h - 1) : 0;
	for (int i = 0; i + 1 < r->h && ui->detail_scroll + i < n; i++) {
		int k = ui->detail_scroll + i;
		attr_t a = (lines[k][0] != ' ') ? theme_attr(UIC_NORMAL) | A_BOLD :
		    theme_attr(UIC_NORMAL);
		draw_text(r->y + 1 + i, r->x + 1, r->w - 2, a, lines[k]);
	}
}

static int
detail_key(struct ui *ui, int ch, bool is_key)
{
	if (view_motion(ch, is_key, &ui->detail_scroll, 64, 10))
		return UI_HANDLED | UI_REDRAW;
	if ((!is_key && (ch == 27 || ch == 'q' || ch == '\n' || ch == '\r')) ||
	    (is_key && ch == KEY_ENTER)) {
		ui->overlay = OV_NONE;
		detail_free(ui);
		return UI_HANDLED | UI_REDRAW;
	}
	return UI_NONE;
}

const struct view_ops view_detail_ops = {
	.name = "detail",
	.draw = detail_draw,
	.key = detail_key,
};
