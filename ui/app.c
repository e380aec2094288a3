/* The dashboard's event loop: one poll() over the terminal, a self-pipe
 * for signals and the run's descriptor; /proc sampling on a period;
 * redraws at most every refresh_ms and only when something changed. */
#include "app.h"

#include <curses.h>
#include <errno.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "draw.h"
#include "term.h"
#include "theme.h"
#include "util/xmem.h"
#include "view.h"

#define POLL_TICK_MS 50          /* run_poll at least this often */
#define MSG_NS 4000000000LL      /* status messages stay 4 s */

/* ---- small services for the views ---- */

int64_t
ui_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int64_t
ui_model_now(const struct ui *ui)
{
	if (ui->finished && ui->end_ns)
		return ui->end_ns;
	if (ui->paused)
		return ui->paused_since;
	return ui_now_ns();
}

int64_t
ui_run_elapsed(const struct ui *ui)
{
	int64_t end = ui->finished && ui->end_ns ? ui->end_ns : ui_now_ns();
	int64_t paused = ui->paused_total_ns;
	if (ui->paused && !ui->finished)
		paused += ui_now_ns() - ui->paused_since;
	int64_t e = end - ui->start_ns - paused;
	return e > 0 ? e : 0;
}

void
ui_message(struct ui *ui, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ui->msg, sizeof(ui->msg), fmt, ap);
	va_end(ap);
	ui->msg_until = ui_now_ns() + MSG_NS;
}

void
ui_toggle_pause(struct ui *ui)
{
	if (!ui->run || ui->finished)
		return;
	int64_t now = ui_now_ns();
	ui->paused = !ui->paused;
	if (ui->paused)
		ui->paused_since = now;
	else
		ui->paused_total_ns += now - ui->paused_since;
	run_pause(ui->run, ui->paused);
	model_clock_mark(&ui->model, now, ui->paused ? 0 : ui->speed);
	ui_message(ui, ui->paused ? "Paused: every scenario process and the "
	    "scenario clock are stopped (Space resumes)" : "Resumed");
}

void
ui_change_speed(struct ui *ui, double factor)
{
	double s = ui->speed * factor;
	if (s < 0.01)
		s = 0.01;
	if (s > 1000)
		s = 1000;
	if (ui->run && !ui->finished) {
		run_set_speed(ui->run, s);
		s = run_speed(ui->run);
	}
	ui->speed = s;
	ui->ro.speed = s;
	if (ui->run && !ui->finished && !ui->paused)
		model_clock_mark(&ui->model, ui_now_ns(), s);
	ui_message(ui, "Speed %gx", s);
}

/* ---- the run ---- */

static void
pids_sample(struct ui *ui)
{
	if (!ui->sampler)
		return;
	size_t cap = (size_t)ui->model.nprocs + 1;
	pid_t *pids = xcalloc(cap, sizeof(*pids));
	size_t n = model_live_pids(&ui->model, pids, cap);
	struct proc_snapshot snap;
	sampler_sample(ui->sampler, pids, n, &snap);
	model_sample(&ui->model, &snap);
	free(pids);
	if (ui->overlay == OV_DETAIL)
		detail_refresh(ui);
}

/* Every event: into the model, and to the caller's sink (--record). */
static void
on_event(void *ud, const struct event *ev)
{
	struct ui *ui = ud;
	/* The model works in CLOCK_MONOTONIC (event.h), as the shared actor
	 * states do. An observer may hand out times relative to the run's
	 * start instead: decide at the first event, which comes right after
	 * the start, and rebase them. */
	if (!ui->ev_base_known) {
		ui->ev_base_known = 1;
		ui->ev_base_ns = ev->t_ns < ui->start_ns ? ui->start_ns : 0;
	}
	struct event e = *ev;
	e.t_ns += ui->ev_base_ns;
	model_apply(&ui->model, &e);
	if (ui->uo.on_event)
		ui->uo.on_event(ui->uo.on_event_ud, ev);
}

static void
run_finished(struct ui *ui)
{
	ui->finished = true;
	ui->end_ns = ui->paused ? ui->paused_since : ui_now_ns();
	ui->paused = false;
	model_end(&ui->model, ui->end_ns);
	ui->state = run_state(ui->run);
	ui->exit_status = run_exit_status(ui->run);
	if (ui->overlay == OV_SIGNAL)
		ui->overlay = OV_NONE;
}

static int
run_begin(struct ui *ui, char *err, size_t errlen)
{
	model_reset(&ui->model);
	ui->finished = false;
	ui->paused = false;
	ui->paused_total_ns = 0;
	ui->end_ns = 0;
	ui->exit_status = 0;
	ui->state = RUN_RUNNING;
	ui->tree_sel = 0;
	ui->tree_sel_thread = -1;
	ui->tree_top = 0;
	ui->ev_scroll = 0;
	ui->pool_scroll_ns = 0;
	ui->start_ns = ui_now_ns();
	ui->scen_ns = 0;
	model_set_start(&ui->model, ui->start_ns);
	ui->ev_base_known = 0;
	ui->ev_base_ns = 0;
	ui->run = run_start(ui->sc, &ui->ro, err, errlen);
	if (ui->run) {
		/* The scenario clock's start is the run's t0. */
		const struct shared *sh = run_shared(ui->run);
		int64_t t0 = sh ? atomic_load(&sh->clock.start_ns) : 0;
		if (t0 > 0) {
			ui->start_ns = t0;
			model_set_start(&ui->model, t0);
		}
	}
	if (!ui->run) {
		ui->finished = true;
		ui->state = RUN_FAILED;
		ui->exit_status = 1;
		ui->end_ns = ui->start_ns;
		return -1;
	}
	term_set_run_pgid(run_main_pid(ui->run));
	ui->speed = run_speed(ui->run);
	model_clock_mark(&ui->model, ui->start_ns, ui->speed);
	return 0;
}

static void
run_end(struct ui *ui)
{
	if (ui->run) {
		if (ui->paused && !ui->finished)
			run_pause(ui->run, false);   /* stopped processes die too */
		run_free(ui->run);
		ui->run = NULL;
	}
	term_set_run_pgid(0);
	detail_free(ui);
}

/* ---- drawing ---- */

static void
draw_all(struct ui *ui)
{
	erase();
	ui->rows = LINES;
	ui->cols = COLS;
	if (!layout_compute(ui)) {
		char msg[96];
		snprintf(msg, sizeof(msg), "terminal too small (%dx%d), need 60x15",
		    ui->cols, ui->rows);
		int w = draw_width(msg);
		draw_text(ui->rows / 2, ui->cols > w ? (ui->cols - w) / 2 : 0,
		    ui->cols, theme_attr(UIC_ALERT), msg);
		refresh();
		return;
	}
	struct rect head = { 0, 0, 2, ui->cols };
	view_header_ops.draw(ui, &head, false);
	for (int p = 0; p < PANEL_COUNT; p++)
		if (ui->shown[p] && ui->panel[p].h > 0)
			view_panels[p]->draw(ui, &ui->panel[p], p == ui->focus &&
			    ui->overlay == OV_NONE);
	int bottom = footer_rows(ui);
	struct rect mainr = { 2, 0, ui->rows - 2 - bottom, ui->cols };
	switch (ui->overlay) {
	case OV_HELP:
		view_help_ops.draw(ui, &mainr, true);
		break;
	case OV_DETAIL:
		view_detail_ops.draw(ui, &mainr, true);
		break;
	case OV_SIGNAL:
		view_signal_ops.draw(ui, &mainr, true);
		break;
	default:
		break;
	}
	struct rect foot = { ui->rows - bottom, 0, bottom, ui->cols };
	view_footer_ops.draw(ui, &foot, false);
	refresh();
}

/* ---- set-up ---- */

/* ---- set-up ---- */

static int
load_config(struct ui *ui, const struct ui_opts *u)
{
	char err[512], path[1024];
	config_defaults(&ui->cfg);
	if (u->config_path) {
		if (config_load(&ui->cfg, u->config_path, true, err, sizeof(err))) {
			fprintf(stderr, "ipcscope: config: %s\n", err);
			return -1;
		}
	} else if (config_user_path(path, sizeof(path))) {
		if (config_load(&ui->cfg, path, false, err, sizeof(err))) {
			fprintf(stderr, "ipcscope: config: %s\n", err);
			return -1;
		}
	}
	if (u->refresh_ms > 0)
		ui->cfg.refresh_ms = u->refresh_ms;
	if (u->theme)
		snprintf(ui->cfg.theme, sizeof(ui->cfg.theme), "%s", u->theme);
	return 0;
}

static int
read_keys(struct ui *ui, bool *dirty)
{
	int reaction = 0;
	wint_t wch;
	int rc;
	while ((rc = get_wch(&wch)) != ERR) {
		if (rc == KEY_CODE_YES && wch == KEY_MOUSE)
			reaction |= keys_mouse(ui);
		else if (rc == KEY_CODE_YES && wch == KEY_RESIZE)
			reaction |= UI_REDRAW;
		else
			reaction |= keys_dispatch(ui, (int)wch, rc == KEY_CODE_YES);
		if (reaction & (UI_QUIT | UI_RESTART))
			break;
	}
	if (reaction & UI_REDRAW)
		*dirty = true;
	return reaction;
}

int
ui_main(const struct scenario *sc, const struct run_opts *o,
    const struct ui_opts *u)
{
	static const struct ui_opts no_opts;
	struct ui *ui = xcalloc(1, sizeof(*ui));
	ui->sc = sc;
	ui->ro = *o;
	ui->uo = u ? *u : no_opts;
	if (load_config(ui, &ui->uo) != 0) {
		free(ui);
		return 1;
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		fprintf(stderr, "ipcscope: the dashboard needs a terminal "
		    "(use --headless)\n");
		free(ui);
		return 1;
	}
	if (!ui->uo.speed_given)
		ui->ro.speed = ui->cfg.speed;
	ui->speed = ui->ro.speed > 0 ? ui->ro.speed : 1.0;
	ui->tree_threads = ui->cfg.threads;
	ui->ev_mask = LOGC_PROC | LOGC_POOL | LOGC_OUT;
	ui->tree_sel_thread = -1;
	ui->detail_proc = -1;

	char err[512];
	ui->sampler = sampler_new(err, sizeof(err));   /* before initscr */
	if (!ui->sampler) {
		fprintf(stderr, "ipcscope: %s\n", err);
		free(ui);
		return 1;
	}
	setlocale(LC_ALL, "");
	const char *cs = nl_langinfo(CODESET);
	ui->utf8 = cs && strcmp(cs, "UTF-8") == 0;
	model_init(&ui->model, sc);
	if (term_signals_install() != 0) {
		fprintf(stderr, "ipcscope: pipe: %s\n", strerror(errno));
		model_free(&ui->model);
		sampler_free(ui->sampler);
		free(ui);
		return 1;
	}
	if (term_init(&ui->cfg, ui->utf8) != 0) {
		term_signals_remove();
		fprintf(stderr, "ipcscope: cannot use the terminal (TERM=%s)\n",
		    getenv("TERM") ? getenv("TERM") : "");
		model_free(&ui->model);
		sampler_free(ui->sampler);
		free(ui);
		return 1;
	}
	if (run_begin(ui, err, sizeof(err)) != 0) {
		term_restore();
		term_signals_remove();
		fprintf(stderr, "ipcscope: %s\n", err);
		model_free(&ui->model);
		sampler_free(ui->sampler);
		free(ui);
		return 1;
	}

	int status = -1;
	bool dirty = true;
	int64_t last_draw = 0, last_sample = 0;
	uint64_t seen_events = 0;
	int64_t refresh_ns = (int64_t)ui->cfg.refresh_ms * 1000000LL;
	int64_t sample_ns = (int64_t)ui->cfg.sample_ms * 1000000LL;
	int64_t last_clock_tenth = -1;

	while (status < 0) {
		int64_t now = ui_now_ns();
		int timeout = POLL_TICK_MS;
		if (ui->finished)
			timeout = 1000;
		if (dirty) {
			int64_t wait = last_draw + refresh_ns - now;
			int ms = wait > 0 ? (int)(wait / 1000000) + 1 : 0;
			if (ms < timeout)
				timeout = ms;
		}
		struct pollfd pf[3];
		int npf = 0;
		pf[npf++] = (struct pollfd){ .fd = STDIN_FILENO, .events = POLLIN };
		pf[npf++] = (struct pollfd){ .fd = term_signal_fd(), .events = POLLIN };
		int rfd = ui->run && !ui->finished ? run_fd(ui->run) : -1;
		if (rfd >= 0)
			pf[npf++] = (struct pollfd){ .fd = rfd, .events = POLLIN };
		if (poll(pf, (nfds_t)npf, timeout) < 0 && errno != EINTR)
			break;
		now = ui_now_ns();

		int sig = term_signals_read(&dirty);
		if (sig) {
			status = 128 + sig;   /* as the headless run does */
			break;
		}
		if (ui->run && !ui->finished) {
			enum run_state st = run_poll(ui->run, on_event, ui);
			if (ui->model.nevents != seen_events) {
				seen_events = ui->model.nevents;
				dirty = true;
			}
			if (st != RUN_RUNNING && st != RUN_PAUSED) {
				ui->scen_ns = run_now(ui->run);
				pids_sample(ui);
				model_sync_shared(&ui->model, run_shared(ui->run));
				run_finished(ui);
				dirty = true;
				if (ui->uo.exit_on_finish) {
					status = ui->exit_status;
					break;
				}
			} else {
				ui->state = st;
			}
		}
		if (now - last_sample >= sample_ns) {
			last_sample = now;
			if (!ui->finished) {
				pids_sample(ui);
				dirty = true;
			}
		}
		if (ui->run && !ui->finished) {
			ui->scen_ns = run_now(ui->run);
			model_sync_shared(&ui->model, run_shared(ui->run));
			if (!ui->paused)
				model_tick(&ui->model, now - ui->paused_total_ns);
			/* The clock on screen moves by tenths of a second. */
			int64_t tenth = ui->scen_ns / 100000000LL +
			    ui_run_elapsed(ui) / 100000000LL;
			if (tenth != last_clock_tenth) {
				last_clock_tenth = tenth;
				dirty = true;
			}
		}
		if (ui->msg[0] && now >= ui->msg_until) {
			ui->msg[0] = '\0';
			dirty = true;
		}

		int r = read_keys(ui, &dirty);
		if (r & UI_QUIT) {
			status = ui->finished ? ui->exit_status : 0;
			break;
		}
		if (r & UI_RESTART) {
			run_end(ui);
			ui->overlay = OV_NONE;
			seen_events = 0;
			if (run_begin(ui, err, sizeof(err)) != 0)
				ui_message(ui, "restart failed: %s", err);
			else
				ui_message(ui, "Restarted");
			last_sample = 0;
			dirty = true;
		}
		if (r & UI_RESAMPLE)
			last_sample = 0;

		if (dirty && now - last_draw >= refresh_ns) {
			draw_all(ui);
			last_draw = now;
			dirty = false;
		}
	}

	term_restore();
	run_end(ui);
	term_signals_remove();
	model_free(&ui->model);
	sampler_free(ui->sampler);
	free(ui);
	return status < 0 ? 1 : status;
}


/* ---- for the replay view (ui/replay_app.c) ---- */

void
ui_draw(struct ui *ui)
{
	draw_all(ui);
}

int
ui_load_config(struct ui *ui, const struct ui_opts *u)
{
	return load_config(ui, u);
}
