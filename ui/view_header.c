/* The header: title, run state, scenario time, speed, counts. */
#include <curses.h>
#include <stdio.h>
#include <string.h>

#include "draw.h"
#include "view.h"

static const char *
state_text(const struct ui *ui, enum ui_color *c)
{
	*c = UIC_GOOD;
	if (ui->paused && !ui->finished) {
		*c = UIC_PROMPT;
		return "PAUSED";
	}
	switch (ui->state) {
	case RUN_RUNNING: return "RUNNING";
	case RUN_PAUSED: *c = UIC_PROMPT; return "PAUSED";
	case RUN_FINISHED: return "FINISHED";
	case RUN_FAILED: *c = UIC_ALERT; return "FAILED";
	case RUN_DEADLOCK: *c = UIC_ALERT; return "DEADLOCK";
	case RUN_TIMEOUT: *c = UIC_ALERT; return "TIMEOUT";
	}
	return "?";
}

static void
header_draw(struct ui *ui, const struct rect *r, bool focus)
{
	(void)focus;
	const struct model *m = &ui->model;
	attr_t h = theme_attr(UIC_HEADER);
	move(r->y, 0);
	attrset(h);
	for (int i = 0; i < r->w; i++)
		addch(' ');
	attrset(A_NORMAL);
	enum ui_color sc;
	const char *st = state_text(ui, &sc);
	char badge[32];
	snprintf(badge, sizeof(badge), " %s ", st);
	int bw = (int)strlen(badge);
	int x = draw_text(r->y, 0, r->w - bw - 1, theme_attr(UIC_HEADER_BOLD),
	    " ipcscope ");
	draw_text(r->y, x, r->w - bw - x - 1, h,
	    ui->sc->title ? ui->sc->title : "");
	draw_text(r->y, r->w - bw, bw, theme_attr(sc) | A_REVERSE, badge);

	/* Second line: time, speed and counts, as many as fit. */
	char t[32], part[8][128];
	draw_dur(t, sizeof(t), ui->scen_ns);
	int live = 0;
	for (int i = 0; i < m->nprocs; i++)
		live += m->procs[i].life == LIFE_RUNNING;
	int64_t done = 0, running = 0, pending = 0, total = (int64_t)m->ntasks;
	for (size_t i = 0; i < m->ntasks; i++) {
		int s = m->tasks[i].state;
		done += s == TASK_DONE || s == TASK_FAILED;
		running += s == TASK_RUNNING;
		pending += s == TASK_PENDING;
	}
	int np = 0;
	/* Scenario time; real time too when they differ (speed, restarts). */
	int64_t real = ui_run_elapsed(ui);
	int64_t diff = real - ui->scen_ns;
	if (diff < 0)
		diff = -diff;
	if (diff * 20 > real && diff > 100000000LL) {
		char rt[32];
		draw_dur(rt, sizeof(rt), real);
		snprintf(part[np++], sizeof(part[0]), "time %s (real %s)", t, rt);
	} else
		snprintf(part[np++], sizeof(part[0]), "time %s", t);
	snprintf(part[np++], sizeof(part[0]), "speed %gx", ui->speed);
	snprintf(part[np++], sizeof(part[0]), "procs %d/%d", live, m->nprocs);
	if (total)
		snprintf(part[np++], sizeof(part[0]), "tasks %lld/%lld (%lld run, %lld wait)",
		    (long long)done, (long long)total, (long long)running,
		    (long long)pending);
	snprintf(part[np++], sizeof(part[0]), "msgs %lld", (long long)m->messages);
	if (m->callbacks)
		snprintf(part[np++], sizeof(part[0]), "callbacks %lld", (long long)m->callbacks);
	snprintf(part[np++], sizeof(part[0]), "errors %lld", (long long)m->errors);
	if (m->lost)
		snprintf(part[np++], sizeof(part[0]), "lost %lld", (long long)m->lost);
	x = 1;
	for (int i = 0; i < np; i++) {
		int w = draw_width(part[i]);
		if (x + w > r->w)
			continue;
		attr_t a = (strncmp(part[i], "lost", 4) == 0 ||
		    (strncmp(part[i], "errors", 6) == 0 && m->errors)) ?
		    theme_attr(UIC_ALERT) : theme_attr(UIC_NORMAL);
		draw_text(r->y + 1, x, w, a, part[i]);
		x += w + 2;
	}
}

const struct view_ops view_header_ops = {
	.name = "header",
	.draw = header_draw,
};
