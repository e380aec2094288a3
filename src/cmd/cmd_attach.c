/*
 * ipcscope attach PID: watch an existing process and its descendants
 * until it exits or we are interrupted. Only reads /proc and sock_diag:
 * leaving does not disturb the watched processes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "watch/cli.h"
#include "watch/loop.h"
#include "watch/watcher.h"
#include "ui.h"

#define LINGER_MS 3000
#define UI_LINGER_MS 10000       /* the dashboard keeps exited rows longer */

static int
cmd_attach_exec(int argc, char **argv)
{
	struct watch_cli c;
	char err[256];
	int first = watch_cli_parse(argc, argv, 0, &c, err, sizeof(err));
	if (first < 0) {
		fprintf(stderr, "ipcscope: attach: %s\n", err);
		return cmd_usage(&cmd_attach_entry);
	}
	if (first != argc - 1) {
		fprintf(stderr, "ipcscope: attach: expected one PID\n");
		return cmd_usage(&cmd_attach_entry);
	}
	char *end;
	long pid = strtol(argv[first], &end, 10);
	if (end == argv[first] || *end || pid <= 0 || pid > 0x3fffffff) {
		fprintf(stderr, "ipcscope: attach: '%s' is not a pid\n",
		    argv[first]);
		return 2;
	}
	FILE *rec = NULL;
	if (c.record) {
		/* never through a symlink planted at the destination */
		int rfd = open(c.record, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
		    O_CLOEXEC, 0644);
		if (rfd < 0 || !(rec = fdopen(rfd, "w"))) {
			fprintf(stderr, "ipcscope: attach: %s: %s\n", c.record,
			    strerror(errno));
			if (rfd >= 0)
				close(rfd);
			return 2;
		}
	}
	watch_loop_signals_init();
	bool dashboard = !c.headless && isatty(STDIN_FILENO) &&
	    isatty(STDOUT_FILENO);
	struct watcher *w = watcher_new((pid_t)pid,
	    dashboard ? UI_LINGER_MS : LINGER_MS, err, sizeof(err));
	if (!w) {
		fprintf(stderr, "ipcscope: attach: %s\n", err);
		if (rec)
			fclose(rec);
		return 1;
	}
	struct watch_loop_opts o = {
		.interval_ms = c.interval_ms, .json = c.json, .count = c.count,
		.out = stdout, .record = rec, .reap_root = 0,
	};
	if (dashboard) {
		/* The live dashboard; leaving it leaves the tree alone. */
		char title[64];
		snprintf(title, sizeof(title), "attach %ld", pid);
		struct ui_watch_opts uo = {
			.root = (pid_t)pid, .started = false,
			.interval_ms = c.interval_ms, .title = title, .record = rec,
		};
		struct ui_watch_result ur;
		int urc = ui_watch_main(w, &uo, &ur);
		watcher_free(w);
		if (rec)
			fclose(rec);
		return urc;
	}
	struct watch_loop_result res;
	int rc = watch_loop_run(w, (pid_t)pid, &o, &res);
	if (rc < 0)
		fprintf(stderr, "ipcscope: attach: %ld: %s\n", pid, strerror(-rc));
	watcher_free(w);
	if (rec)
		fclose(rec);
	return rc < 0 ? 1 : 0;
}

const struct cmd_entry cmd_attach_entry = {
	.name = "attach",
	.usage = "attach [--headless] [--json] [--interval MS] [--count N] "
	    "[--record FILE] PID",
	.summary = "watch a running process tree and its IPC",
	.exec = cmd_attach_exec,
};
