/*
 * ipcscope run [--headless] [--speed X] [--timeout DUR] [--json]
 *              [--record FILE] SCENARIO
 *
 * Headless: the timeline on stdout (or JSON lines with --json, the summary
 * then on stderr), the summary at the end, optionally the JSON trace in
 * FILE. One poll() loop waits on the run and on SIGINT / SIGTERM / SIGHUP
 * (a signalfd); on such a signal the run is stopped, everything is killed
 * and reaped, and ipcscope exits with 128 + the signal number.
 * Exit status: 0 finished as written, 1 failed (error, crash, deadlock,
 * timeout, lost task), 2 usage or scenario error, 128+N stopped by signal N.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "observe/printer.h"
#include "observe/run.h"
#include "scenario/lex.h"
#include "scenario/load.h"
#include "trace/jsonl.h"
#include "util/futex.h"
#include "ui.h"

struct headless_opts {
	bool json;            /* stdout carries JSON lines only */
	FILE *record;         /* JSON lines also go here, or NULL */
};

struct headless {
	const struct scenario *sc;
	struct printer *pr;
	const struct headless_opts *ho;
};

static void
on_event(void *ud, const struct event *ev)
{
	struct headless *h = ud;

	printer_event(h->pr, ev);
	if (h->ho->json)
		jsonl_write_event(stdout, h->sc, ev);
	if (h->ho->record)
		jsonl_write_event(h->ho->record, h->sc, ev);
}

/* --record under the dashboard: every event of every run, as JSON lines. */
struct ui_record {
	FILE *f;
	const struct scenario *sc;
};

static void
ui_record_event(void *ud, const struct event *ev)
{
	struct ui_record *u = ud;

	jsonl_write_event(u->f, u->sc, ev);
}

static const char *
outcome_text(enum run_state st)
{
	switch (st) {
	case RUN_FINISHED: return "finished as written";
	case RUN_FAILED: return "failed";
	case RUN_DEADLOCK: return "deadlock";
	case RUN_TIMEOUT: return "timeout";
	default: return "running";
	}
}

/* Run 'sc' without the dashboard. Returns ipcscope's exit status. */
static int
headless_run(const struct scenario *sc, const struct run_opts *ro,
    const struct headless_opts *ho)
{
	struct headless h = { .sc = sc, .ho = ho };
	sigset_t sigs, old;
	int sfd, got = 0, status;
	bool write_failed = false;
	char err[256];
	enum run_state st;

	/* SIGINT/SIGTERM/SIGHUP arrive through a signalfd (the scenario's main
	 * process resets its mask); a closed stdout is a write error, not death. */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGHUP);
	sigprocmask(SIG_BLOCK, &sigs, &old);
	signal(SIGPIPE, SIG_IGN);
	sfd = signalfd(-1, &sigs, SFD_CLOEXEC | SFD_NONBLOCK);
	if (sfd < 0) {
		fprintf(stderr, "ipcscope: signalfd: %s\n", strerror(errno));
		return 1;
	}

	h.pr = printer_new(sc, ho->json ? NULL : stdout);
	if (ho->json)
		jsonl_write_header(stdout, sc, ro->speed);
	if (ho->record)
		jsonl_write_header(ho->record, sc, ro->speed);

	int64_t t0 = mono_ns();
	struct run *r = run_start(sc, ro, err, sizeof(err));
	if (!r) {
		fprintf(stderr, "ipcscope: %s\n", err);
		printer_free(h.pr);
		close(sfd);
		return 1;
	}
	for (;;) {
		struct pollfd p[2] = { { run_fd(r), POLLIN, 0 }, { sfd, POLLIN, 0 } };
		poll(p, 2, 10);
		if (p[1].revents & POLLIN) {
			struct signalfd_siginfo si;
			if (read(sfd, &si, sizeof(si)) == (ssize_t)sizeof(si)) {
				got = (int)si.ssi_signo;
				run_stop(r);
				run_poll(r, on_event, &h);
				break;
			}
		}
		st = run_poll(r, on_event, &h);
		if (st != RUN_RUNNING && st != RUN_PAUSED)
			break;
		/* Whatever was handed out is visible at once (tail -f, tests). */
		fflush(stdout);
		if (ho->record)
			fflush(ho->record);
		if (ferror(stdout) || (ho->record && ferror(ho->record))) {
			write_failed = true;
			run_stop(r);
			run_poll(r, on_event, &h);
			break;
		}
	}
	double wall = (double)(mono_ns() - t0) / 1e9;
	if (fflush(stdout) != 0 || ferror(stdout))
		write_failed = true;

	char outcome[64];
	status = got ? 128 + got : write_failed ? 1 : run_exit_status(r);
	if (got)
		snprintf(outcome, sizeof(outcome), "interrupted by SIG%s", sigabbrev_np(got));
	else
		snprintf(outcome, sizeof(outcome), "%s", write_failed ? "output error" :
		    outcome_text(run_state(r)));
	struct printer_end end = {
		.outcome = outcome, .reason = got ? NULL : run_reason(r), .status = status,
		.wall_s = wall, .speed = run_speed(r),
		.ring_waits = ring_waits(run_shared(r)->rings),
		.late = run_late_events(r),
	};
	printer_summary(h.pr, ho->json ? stderr : stdout, &end);
	fflush(stdout);
	run_free(r);
	printer_free(h.pr);
	close(sfd);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return status;
}

static int
cmd_run_exec(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "headless", no_argument, NULL, 'H' },
		{ "speed", required_argument, NULL, 's' },
		{ "timeout", required_argument, NULL, 't' },
		{ "json", no_argument, NULL, 'j' },
		{ "record", required_argument, NULL, 'r' },
		{ "config", required_argument, NULL, 'c' },
		{ "exit-on-finish", no_argument, NULL, 'x' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct run_opts ro = { .speed = 1.0, .timeout_ns = 0 };
	struct headless_opts ho = { 0 };
	struct ui_opts uo = { 0 };
	struct ui_record urec = { 0 };
	bool headless = false;
	const char *record = NULL;
	char lerr[LEX_ERR_SIZE], *end;
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", longopts, NULL)) != -1) {
		switch (c) {
		case 'H':
			headless = true;
			break;
		case 'c':
			uo.config_path = optarg;
			break;
		case 'x':
			uo.exit_on_finish = true;
			break;
		case 's':
			uo.speed_given = true;
			errno = 0;
			ro.speed = strtod(optarg, &end);
			if (errno || end == optarg || *end || !isfinite(ro.speed) ||
			    ro.speed < 0.01 || ro.speed > 1000) {
				fprintf(stderr, "ipcscope: run: --speed wants a number "
				    "from 0.01 to 1000, not '%s'\n", optarg);
				return cmd_usage(&cmd_run_entry);
			}
			break;
		case 't':
			if (!lex_duration("--timeout", optarg, 1000000LL, SC_MAX_DURATION_NS,
			    &ro.timeout_ns, lerr)) {
				fprintf(stderr, "ipcscope: run: %s\n", lerr);
				return cmd_usage(&cmd_run_entry);
			}
			break;
		case 'j':
			ho.json = true;
			break;
		case 'r':
			record = optarg;
			break;
		case 'h':
			printf("usage: ipcscope %s\n", cmd_run_entry.usage);
			return 0;
		case ':':
			fprintf(stderr, "ipcscope: run: option '%s' needs a value\n", argv[optind - 1]);
			return cmd_usage(&cmd_run_entry);
		default:
			fprintf(stderr, "ipcscope: run: unknown option '%s'\n", argv[optind - 1]);
			return cmd_usage(&cmd_run_entry);
		}
	}
	if (argc - optind != 1) {
		fprintf(stderr, "ipcscope: run: %s\n", argc - optind < 1 ?
		    "no SCENARIO given" : "only one SCENARIO at a time");
		return cmd_usage(&cmd_run_entry);
	}
	if (ho.json && !headless)
		headless = true;           /* JSON on stdout has no dashboard */

	char *path = scenario_resolve(argv[optind]);
	if (!path) {
		fprintf(stderr, "ipcscope: %s: no such scenario file or bundled scenario "
		    "(see: ipcscope list)\n", argv[optind]);
		return 2;
	}
	struct scenario sc = { 0 };
	if (scenario_load_file(path, &sc, stderr) != 0) {
		free(path);
		return 2;
	}
	free(path);
	if (record) {
		int fd = open(record, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
		if (fd < 0 || !(ho.record = fdopen(fd, "w"))) {
			fprintf(stderr, "ipcscope: cannot write %s: %s\n", record, strerror(errno));
			if (fd >= 0)
				close(fd);
			scenario_free(&sc);
			return 2;
		}
	}

	int rc;
	if (headless) {
		rc = headless_run(&sc, &ro, &ho);
	} else {
		if (ho.record) {
			jsonl_write_header(ho.record, &sc, ro.speed);
			urec = (struct ui_record){ .f = ho.record, .sc = &sc };
			uo.on_event = ui_record_event;
			uo.on_event_ud = &urec;
		}
		rc = ui_main(&sc, &ro, &uo);
	}

	if (ho.record && fclose(ho.record) != 0) {
		fprintf(stderr, "ipcscope: error writing %s: %s\n", record, strerror(errno));
		if (rc == 0)
			rc = 1;
	}
	scenario_free(&sc);
	return rc;
}

const struct cmd_entry cmd_run_entry = {
	.name = "run",
	.usage = "run [--headless] [--speed X] [--timeout DUR] [--json] [--record FILE] [--config FILE] [--exit-on-finish] SCENARIO",
	.summary = "run a scenario (dashboard, or --headless)",
	.exec = cmd_run_exec,
};
