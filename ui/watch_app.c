/* The watch dashboard's loop: one poll() over the terminal, the signal
 * self-pipe and a pidfd of the root; a snapshot every interval; redraws
 * at most every refresh_ms and only when something changed. */
#include "watch_app.h"

#include <curses.h>
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "draw.h"
#include "term.h"
#include "theme.h"
#include "util/xmem.h"
#include "watch/watch_json.h"
#include "watch/watcher.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

#define MSG_NS 4000000000LL

const struct wmodel_frame *
wui_frame(const struct wui *u)
{
	return u->paused ? &u->frozen : &u->model.cur;
}

uint64_t
wui_log_upto(const struct wui *u)
{
	return u->paused ? u->frozen.log_upto : u->model.log_seq;
}

void
wui_message(struct wui *u, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(u->msg, sizeof(u->msg), fmt, ap);
	va_end(ap);
	u->msg_until = ui_now_ns() + MSG_NS;
}

void
wui_toggle_pause(struct wui *u)
{
	u->paused = !u->paused;
	if (u->paused) {
		wmodel_frame_copy(&u->frozen, &u->model.cur);
		wui_message(u, "Display paused: the program keeps running and is "
		    "still sampled (Space resumes)");
	} else {
		wmodel_frame_clear(&u->frozen);
		wui_message(u, "Display resumed");
	}
}

const struct watch_proc *
wui_selected(const struct wui *u)
{
	return wmodel_proc(wui_frame(u), u->sel_pid, u->sel_start);
}

void
wui_detail_free(struct wui *u)
{
	free(u->det_fds);
	u->det_fds = NULL;
	u->det_nfds = 0;
	u->det_cmd[0] = '\0';
}

void
wui_detail_refresh(struct wui *u)
{
	const struct watch_proc *p = wmodel_proc(&u->model.cur, u->det_pid,
	    u->det_start);
	if (!p || p->state == 'X' || p->state == 'Z') {
		/* Gone: keep what was read last. */
		return;
	}
	wui_detail_free(u);
	if (sampler_cmdline(p->pid, u->det_cmd, sizeof(u->det_cmd)) < 0)
		u->det_cmd[0] = '\0';
	u->det_nfds = sampler_list_fds(p->pid, &u->det_fds);
}

/* ---- sampling ---- */

static void
take_snapshot(struct wui *u, struct ui_watch_result *res)
{
	struct watch_snapshot s;
	watcher_snapshot(u->w, &s);
	if (u->o.record) {
		watch_json_write(u->o.record, &s);
		fflush(u->o.record);
		if (ferror(u->o.record)) {
			res->record_error = true;
			u->o.record = NULL;
			wui_message(u, "The record file cannot be written: "
			    "recording stopped");
		}
	}
	int live = 0;
	for (size_t i = 0; i < s.nprocs; i++)
		live += s.procs[i].state != 'X' && s.procs[i].state != 'Z';
	double t = s.t;
	wmodel_update(&u->model, &s);
	if (u->root_exited && !u->root_noted) {
		const struct watch_proc *r = watch_snapshot_proc(&u->model.cur.s,
		    u->o.root);
		char ex[64] = "exited";
		if (r && (r->state == 'X' || r->state == 'Z'))
			wmodel_exit_text(r, ex, sizeof(ex));
		wmodel_note(&u->model, t, u->o.root, "the root %d %s: the final "
		    "state stays on screen (q quits)", (int)u->o.root, ex);
		u->root_noted = true;
	}
	if (u->root_exited && !live) {
		u->all_gone = true;
		wmodel_note(&u->model, t, 0, "every watched process has exited: "
		    "sampling stopped (q quits)");
	}
	if (u->overlay == WOV_DETAIL)
		wui_detail_refresh(u);
}

/* The root's pidfd is readable: it exited. */
static void
root_exit(struct wui *u, struct ui_watch_result *res)
{
	u->root_exited = true;
	res->root_exited = true;
	u->root_exit_t = (double)(ui_now_ns() - u->start_ns) / 1e9;
	if (u->o.started) {
		int st;
		pid_t r;
		while ((r = waitpid(u->o.root, &st, 0)) < 0 && errno == EINTR)
			;
		if (r == u->o.root) {
			u->root_wstatus = st;
			res->root_wstatus = st;
			watcher_set_exit(u->w, u->o.root, st);
		}
	}
}

/* ---- drawing ---- */

static void
draw_all(struct wui *u)
{
	erase();
	u->rows = LINES;
	u->cols = COLS;
	if (!wlayout_compute(u)) {
		char msg[96];
		snprintf(msg, sizeof(msg), "terminal too small (%dx%d), need 60x15",
		    u->cols, u->rows);
		int w = draw_width(msg);
		draw_text(u->rows / 2, u->cols > w ? (u->cols - w) / 2 : 0,
		    u->cols, theme_attr(UIC_ALERT), msg);
		refresh();
		return;
	}
	struct rect head = { 0, 0, u->banner ? 3 : 2, u->cols };
	wview_header_ops.draw(u, &head, false);
	for (int p = 0; p < WP_COUNT; p++)
		if (u->shown[p] && u->panel[p].h > 0)
			wview_panels[p]->draw(u, &u->panel[p],
			    p == u->focus && u->overlay == WOV_NONE);
	int bottom = wfooter_rows(u);
	struct rect mainr = { head.h, 0, u->rows - head.h - bottom, u->cols };
	if (u->overlay == WOV_HELP)
		wview_help_ops.draw(u, &mainr, true);
	else if (u->overlay == WOV_DETAIL)
		wview_detail_ops.draw(u, &mainr, true);
	else if (u->overlay == WOV_SIGNAL)
		wview_signal_ops.draw(u, &mainr, true);
	struct rect foot = { u->rows - bottom, 0, bottom, u->cols };
	wview_footer_ops.draw(u, &foot, false);
	refresh();
}

static int
read_keys(struct wui *u, bool *dirty)
{
	int reaction = 0;
	wint_t wch;
	int rc;
	while ((rc = get_wch(&wch)) != ERR) {
		if (rc == KEY_CODE_YES && wch == KEY_MOUSE)
			reaction |= wkeys_mouse(u);
		else if (rc == KEY_CODE_YES && wch == KEY_RESIZE)
			reaction |= UI_REDRAW;
		else
			reaction |= wkeys_dispatch(u, (int)wch, rc == KEY_CODE_YES);
		if (reaction & UI_QUIT)
			break;
	}
	if (reaction & UI_REDRAW)
		*dirty = true;
	return reaction;
}

static int
load_config(struct wui *u)
{
	char err[512], path[1024];
	config_defaults(&u->cfg);
	if (config_user_path(path, sizeof(path)) &&
	    config_load(&u->cfg, path, false, err, sizeof(err)) != 0) {
		fprintf(stderr, "ipcscope: config: %s\n", err);
		return -1;
	}
	return 0;
}

static void
stop_signals_mask(int how)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGHUP);
	sigprocmask(how, &set, NULL);
}

static void
wui_free(struct wui *u)
{
	wui_detail_free(u);
	wmodel_frame_clear(&u->frozen);
	wmodel_free(&u->model);
	free(u);
}

static void
loop(struct wui *u, int pfd, struct ui_watch_result *res)
{
	bool dirty = true;
	int64_t interval_ns = (int64_t)u->o.interval_ms * 1000000LL;
	int64_t refresh_ns = (int64_t)u->cfg.refresh_ms * 1000000LL;
	int64_t last_draw = 0, next_sample = ui_now_ns();
	for (;;) {
		int64_t now = ui_now_ns();
		int64_t wait = u->all_gone ? 1000000000LL : next_sample - now;
		if (dirty) {
			int64_t dw = last_draw + refresh_ns - now;
			if (dw < wait)
				wait = dw;
		}
		if (u->msg[0] && u->msg_until - now < wait)
			wait = u->msg_until - now;
		int timeout = wait > 0 ? (int)(wait / 1000000) + 1 : 0;
		if (timeout > 1000)
			timeout = 1000;
		struct pollfd pf[3];
		int npf = 0;
		pf[npf++] = (struct pollfd){ .fd = STDIN_FILENO, .events = POLLIN };
		pf[npf++] = (struct pollfd){ .fd = term_signal_fd(), .events = POLLIN };
		if (pfd >= 0 && !u->root_exited)
			pf[npf++] = (struct pollfd){ .fd = pfd, .events = POLLIN };
		if (poll(pf, (nfds_t)npf, timeout) < 0 && errno != EINTR)
			break;
		now = ui_now_ns();
		int sig = term_signals_read(&dirty);
		if (sig) {
			res->quit_signal = sig;
			break;
		}
		if (npf == 3 && (pf[2].revents & (POLLIN | POLLHUP | POLLERR))) {
			root_exit(u, res);
			next_sample = now;       /* show the exit at once */
		}
		if (!u->all_gone && now >= next_sample) {
			take_snapshot(u, res);
			next_sample = now + interval_ns;
			dirty = true;
		}
		if (u->msg[0] && now >= u->msg_until) {
			u->msg[0] = '\0';
			dirty = true;
		}
		int r = read_keys(u, &dirty);
		if (r & UI_QUIT)
			break;
		if (r & UI_RESAMPLE)
			next_sample = now;
		if (dirty && now - last_draw >= refresh_ns) {
			draw_all(u);
			last_draw = now;
			dirty = false;
		}
	}
}

int
ui_watch_main(struct watcher *w, const struct ui_watch_opts *o,
    struct ui_watch_result *res)
{
	memset(res, 0, sizeof(*res));
	res->root_wstatus = -1;
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "ipcscope: the dashboard needs a terminal "
		    "(use --headless)\n");
		return 1;
	}
	struct wui *u = xcalloc(1, sizeof(*u));
	u->o = *o;
	u->w = w;
	u->root_wstatus = -1;
	u->sel_pid = o->root;
	u->det_pid = -1;
	wmodel_init(&u->model);
	if (load_config(u) != 0) {
		wui_free(u);
		return 1;
	}
	int pfd = (int)syscall(SYS_pidfd_open, o->root, 0);
	if (pfd < 0) {
		fprintf(stderr, "ipcscope: pidfd_open %d: %s\n", (int)o->root,
		    strerror(errno));
		wui_free(u);
		return 1;
	}
	setlocale(LC_ALL, "");
	const char *cs = nl_langinfo(CODESET);
	u->utf8 = cs && strcmp(cs, "UTF-8") == 0;
	if (term_signals_install() != 0) {
		fprintf(stderr, "ipcscope: pipe: %s\n", strerror(errno));
		close(pfd);
		wui_free(u);
		return 1;
	}
	stop_signals_mask(SIG_UNBLOCK);
	if (term_init(&u->cfg, u->utf8) != 0) {
		stop_signals_mask(SIG_BLOCK);
		term_signals_remove();
		fprintf(stderr, "ipcscope: cannot use the terminal (TERM=%s)\n",
		    getenv("TERM") ? getenv("TERM") : "");
		close(pfd);
		wui_free(u);
		return 1;
	}
	/* The crash handler takes what we started down with us; an attached
	 * tree is never touched. */
	term_set_run_pgid(o->started ? o->root : 0);
	u->start_ns = ui_now_ns();

	loop(u, pfd, res);

	term_restore();
	stop_signals_mask(SIG_BLOCK);
	term_set_run_pgid(0);
	term_signals_remove();
	close(pfd);
	wui_free(u);
	return 0;
}
