/* The replay view's loop: the dashboard's panels over the model at a time
 * cursor (trace/replay.h). No run, no sampler: the model comes from the
 * recording, the clock from the cursor. */
#include <curses.h>
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "replay.h"
#include "replay_int.h"
#include "term.h"
#include "util/xmem.h"

#define PLAY_TICK_MS 40

void
replay_sync(struct rview *v)
{
	struct ui *ui = v->ui;
	const struct replay *r = v->r;
	/* The views read ui->model: the replay's, shared (never freed here). */
	ui->model = r->model;
	ui->scen_ns = r->cur_t;
	/* A paused run frozen at the cursor: ui_model_now() is the cursor,
	 * ui_run_elapsed() the cursor's time. */
	ui->start_ns = REPLAY_BASE_NS;
	ui->paused = true;
	ui->paused_since = replay_model_now(r);
	ui->paused_total_ns = 0;
	ui->finished = false;
	ui->state = RUN_RUNNING;
	if (r->model.ended) {
		ui->state = r->model.deadlock ? RUN_DEADLOCK : r->model.timeout ?
		    RUN_TIMEOUT : r->model.end_status == 0 ? RUN_FINISHED : RUN_FAILED;
		ui->exit_status = r->model.end_status;
	}
}

static int
read_keys(struct rview *v, bool *dirty)
{
	int reaction = 0;
	wint_t wch;
	int rc;
	while ((rc = get_wch(&wch)) != ERR) {
		bool is_key = rc == KEY_CODE_YES;
		if (is_key && wch == KEY_MOUSE) {
			reaction |= keys_mouse(v->ui);
		} else if (is_key && wch == KEY_RESIZE) {
			reaction |= UI_REDRAW;
		} else {
			int r = replay_key(v, (int)wch, is_key);
			if (!(r & UI_HANDLED))
				r = keys_dispatch(v->ui, (int)wch, is_key);
			reaction |= r;
		}
		if (reaction & UI_QUIT)
			break;
	}
	if (reaction & (UI_REDRAW | UI_HANDLED))
		*dirty = true;
	return reaction;
}

static void
draw(struct rview *v)
{
	ui_draw(v->ui);
	replay_bar_draw(v);
	refresh();
}

int
ui_replay_main(struct replay *r, const struct ui_opts *u)
{
	static const struct ui_opts no_opts;
	struct ui *ui = xcalloc(1, sizeof(*ui));
	struct rview v = { .ui = ui, .r = r };

	ui->sc = &r->tr->sc;
	ui->uo = u ? *u : no_opts;
	if (ui_load_config(ui, &ui->uo) != 0) {
		free(ui);
		return 1;
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "ipcscope: the replay view needs a terminal "
		    "(use --headless)\n");
		free(ui);
		return 1;
	}
	ui->speed = 1.0;                  /* as it happened */
	ui->tree_threads = ui->cfg.threads;
	ui->ev_mask = LOGC_PROC | LOGC_POOL | LOGC_OUT | LOGC_IPC;
	ui->tree_sel_thread = -1;
	ui->detail_proc = -1;
	setlocale(LC_ALL, "");
	const char *cs = nl_langinfo(CODESET);
	ui->utf8 = cs && strcmp(cs, "UTF-8") == 0;
	if (term_signals_install() != 0) {
		fprintf(stderr, "ipcscope: pipe: %s\n", strerror(errno));
		free(ui);
		return 1;
	}
	if (term_init(&ui->cfg, ui->utf8) != 0) {
		term_signals_remove();
		fprintf(stderr, "ipcscope: cannot use the terminal (TERM=%s)\n",
		    getenv("TERM") ? getenv("TERM") : "");
		free(ui);
		return 1;
	}
	replay_seek(r, 0);
	replay_sync(&v);
	if (r->tr->warning[0])
		ui_message(ui, "%s", r->tr->warning);

	int status = -1;
	bool dirty = true;
	int64_t refresh_ns = (int64_t)ui->cfg.refresh_ms * 1000000LL, last_draw = 0;
	while (status < 0) {
		int64_t now = ui_now_ns();
		if (dirty && (now - last_draw >= refresh_ns || !v.playing)) {
			draw(&v);
			last_draw = now;
			dirty = false;
		}
		int timeout = v.playing ? PLAY_TICK_MS : dirty ? 10 : 1000;
		struct pollfd pf[2] = {
			{ .fd = STDIN_FILENO, .events = POLLIN },
			{ .fd = term_signal_fd(), .events = POLLIN },
		};
		if (poll(pf, 2, timeout) < 0 && errno != EINTR)
			break;
		now = ui_now_ns();
		int sig = term_signals_read(&dirty);
		if (sig) {
			status = 128 + sig;
			break;
		}
		if (replay_play_step(&v, now))
			dirty = true;
		if (ui->msg[0] && now >= ui->msg_until) {
			ui->msg[0] = '\0';
			dirty = true;
		}
		if (read_keys(&v, &dirty) & UI_QUIT) {
			status = 0;
			break;
		}
	}
	term_restore();
	term_signals_remove();
	detail_free(ui);
	memset(&ui->model, 0, sizeof(ui->model));   /* the replay's */
	free(ui);
	return status < 0 ? 1 : status;
}
