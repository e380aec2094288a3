/* The footer: key hints (htop style), the filter prompt, messages, and
 * once the run is over, its summary. */
#include <curses.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "draw.h"
#include "view.h"

static const struct { const char *key, *label; } hints[] = {
	{ "F1", "Help" }, { "Spc", "Pause" }, { "+-", "Speed" },
	{ "r", "Restart" }, { "Tab", "Focus" }, { "Ent", "Detail" },
	{ "F9", "Signal" }, { "/", "Filter" }, { "<>", "Zoom" },
	{ "F10", "Quit" },
};

static void
summary(struct ui *ui, char *buf, size_t len)
{
	const struct model *m = &ui->model;
	char t[32];
	draw_dur(t, sizeof(t), ui_run_elapsed(ui));
	const char *what;
	switch (ui->state) {
	case RUN_FINISHED: what = "Finished as written"; break;
	case RUN_DEADLOCK: what = "DEADLOCK"; break;
	case RUN_TIMEOUT: what = "TIMEOUT"; break;
	default: what = "FAILED"; break;
	}
	const char *reason = ui->run ? run_reason(ui->run) : NULL;
	if ((!reason || !reason[0]) && m->reason)
		reason = m->reason;
	/* "DEADLOCK: deadlock: main waits ..." says it twice. */
	size_t wl = strlen(what);
	if (reason && strncasecmp(reason, what, wl) == 0 && reason[wl] == ':') {
		reason += wl + 1;
		while (*reason == ' ')
			reason++;
	}
	/* The reason first: on a small screen it is what matters. */
	snprintf(buf, len, "%s%s%s (exit status %d) after %s real: %d processes, "
	    "%zu tasks, %lld callbacks, %lld messages, %lld errors, %lld lost. "
	    "q quits, r runs again.", what, reason && reason[0] ? ": " : "",
	    reason && reason[0] ? reason : "", ui->exit_status, t, m->nprocs,
	    m->ntasks, (long long)m->callbacks, (long long)m->messages,
	    (long long)m->errors, (long long)m->lost);
}

#define SUMMARY_ROWS_MAX 4

int
footer_rows(struct ui *ui)
{
	if (!ui->finished || ui->cols <= 0)
		return 1;
	char buf[1024];
	summary(ui, buf, sizeof(buf));
	int n = (draw_width(buf) + ui->cols - 1) / ui->cols;
	if (n < 1)
		n = 1;
	if (n > SUMMARY_ROWS_MAX)
		n = SUMMARY_ROWS_MAX;
	if (ui->rows < 24 && n > 2)
		n = 2;
	return 1 + n;
}

/* Write 's' over 'rows' rows of width 'w' from (y, 0), breaking at spaces. */
static void
wrap(int y, int rows, int w, attr_t a, const char *s)
{
	for (int i = 0; i < rows && *s; i++) {
		int len = (int)strlen(s), cut = len;
		if (draw_width(s) > w) {
			/* The last space that keeps the line within w columns. */
			cut = 0;
			for (int k = 1; k <= len; k++) {
				char tmp[1024];
				if (k >= (int)sizeof(tmp))
					break;
				memcpy(tmp, s, (size_t)k);
				tmp[k] = '\0';
				if (draw_width(tmp) > w)
					break;
				if (s[k] == ' ' || s[k] == '\0')
					cut = k;
			}
			if (cut == 0)
				cut = w < len ? w : len;
		}
		char line[1024];
		snprintf(line, sizeof(line), "%.*s", cut, s);
		draw_text(y + i, 0, w, a, line);
		s += cut;
		while (*s == ' ')
			s++;
	}
}

static void
footer_draw(struct ui *ui, const struct rect *r, bool focus)
{
	(void)focus;
	int y = r->y + r->h - 1;
	if (ui->finished && r->h >= 2) {
		char buf[1024];
		summary(ui, buf, sizeof(buf));
		enum ui_color c = ui->state == RUN_FINISHED ? UIC_GOOD : UIC_ALERT;
		wrap(r->y, r->h - 1, r->w, theme_attr(c) | A_BOLD, buf);
	}
	if (ui->overlay == OV_FILTER) {
		int x = draw_text(y, 0, r->w, theme_attr(UIC_PROMPT), "Filter events: ");
		x += draw_text(y, x, r->w - x, theme_attr(UIC_NORMAL), ui->ev_edit);
		draw_text(y, x, 1, theme_attr(UIC_SELECTED), " ");
		draw_text(y, x + 2, r->w - x - 2, theme_attr(UIC_DIM),
		    "(Enter keeps, Esc cancels)");
		move(y, x);
		return;
	}
	if (ui->msg[0] && ui_now_ns() < ui->msg_until) {
		draw_text(y, 0, r->w, theme_attr(UIC_PROMPT), ui->msg);
		return;
	}
	int x = 0;
	for (size_t i = 0; i < sizeof(hints) / sizeof(hints[0]); i++) {
		int kw = draw_width(hints[i].key), lw = draw_width(hints[i].label);
		if (x + kw + lw + 1 > r->w)
			break;
		x += draw_text(y, x, kw, theme_attr(UIC_NORMAL) | A_BOLD, hints[i].key);
		x += draw_text(y, x, lw, theme_attr(UIC_KEY), hints[i].label);
		x += draw_text(y, x, 1, theme_attr(UIC_NORMAL), " ");
	}
}

const struct view_ops view_footer_ops = {
	.name = "footer",
	.draw = footer_draw,
};
