/*
 * ipcscope watch -- CMD [ARGS...]: start CMD in its own process group
 * (output to --output FILE or /dev/null, stdin from /dev/null), watch it
 * and its descendants until it exits, exit with its status.
 */
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "watch/cli.h"
#include "watch/loop.h"
#include "watch/tree.h"
#include "watch/watcher.h"
#include "ui.h"

#define LINGER_MS 3000
#define UI_LINGER_MS 10000       /* the dashboard keeps exited rows longer */
#define TERM_GRACE_MS 2000

/* Fork and exec argv in a new process group. Returns the pid, or -1 with
 * a message in err (exec failures are reported through a CLOEXEC pipe). */
static pid_t
start_cmd(char **argv, int outfd, char *err, size_t errlen)
{
	int ep[2];
	if (pipe2(ep, O_CLOEXEC) != 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	pid_t pid = fork();
	if (pid < 0) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(ep[0]);
		close(ep[1]);
		return -1;
	}
	if (pid == 0) {
		setpgid(0, 0);
		watch_loop_child_signals();
		/* Should ipcscope die without cleaning up (SIGKILL), CMD
		 * gets SIGTERM instead of running on unwatched. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		int nul = open("/dev/null", O_RDONLY);
		if (nul >= 0 && nul != 0) {
			dup2(nul, 0);
			close(nul);
		}
		dup2(outfd, 1);
		dup2(outfd, 2);
		if (outfd > 2)
			close(outfd);
		execvp(argv[0], argv);
		int e = errno;
		ssize_t wr = write(ep[1], &e, sizeof(e));
		(void)wr;
		_exit(127);
	}
	setpgid(pid, pid);           /* both sides: no race with exec */
	close(ep[1]);
	int e = 0;
	ssize_t r;
	while ((r = read(ep[0], &e, sizeof(e))) < 0 && errno == EINTR)
		;
	close(ep[0]);
	if (r == (ssize_t)sizeof(e)) {
		while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
			;
		snprintf(err, errlen, "cannot run '%s': %s", argv[0], strerror(e));
		return -1;
	}
	return pid;
}

static void
msleep(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	nanosleep(&ts, NULL);
}

/* SIGTERM the group, SIGKILL it after a grace period, reap the child. */
static int
stop_cmd(pid_t pid)
{
	int st = 0;
	kill(-pid, SIGTERM);
	for (int waited = 0;; waited += 20) {
		pid_t r = waitpid(pid, &st, WNOHANG);
		if (r == pid || (r < 0 && errno != EINTR))
			break;
		if (waited >= TERM_GRACE_MS) {
			kill(-pid, SIGKILL);
			while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
				;
			break;
		}
		msleep(20);
	}
	/* Whatever is left of the group (children of CMD) goes too. */
	kill(-pid, SIGKILL);
	return st;
}

/* CMD has exited and was reaped: SIGTERM what is left of its process
 * group, SIGKILL after the grace period. */
static void
stop_rest(pid_t pgid)
{
	if (kill(-pgid, SIGTERM) != 0)
		return;                  /* nobody left */
	for (int waited = 0; waited < TERM_GRACE_MS; waited += 20) {
		msleep(20);
		if (kill(-pgid, 0) != 0)
			return;
	}
	kill(-pgid, SIGKILL);
}

static int
cmd_watch_exec(int argc, char **argv)
{
	struct watch_cli c;
	char err[256];
	int first = watch_cli_parse(argc, argv, 1, &c, err, sizeof(err));
	if (first < 0) {
		fprintf(stderr, "ipcscope: watch: %s\n", err);
		return cmd_usage(&cmd_watch_entry);
	}
	if (first >= argc) {
		fprintf(stderr, "ipcscope: watch: no command given\n");
		return cmd_usage(&cmd_watch_entry);
	}
	int outfd = c.output ?
	    open(c.output, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644) :
	    open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (outfd < 0) {
		fprintf(stderr, "ipcscope: watch: %s: %s\n",
		    c.output ? c.output : "/dev/null", strerror(errno));
		return 2;
	}
	FILE *rec = NULL;
	if (c.record) {
		/* never through a symlink planted at the destination */
		int rfd = open(c.record, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW |
		    O_CLOEXEC, 0644);
		if (rfd < 0 || !(rec = fdopen(rfd, "w"))) {
			fprintf(stderr, "ipcscope: watch: %s: %s\n", c.record,
			    strerror(errno));
			if (rfd >= 0)
				close(rfd);
			close(outfd);
			return 2;
		}
	}
	watch_loop_signals_init();
	pid_t pid = start_cmd(argv + first, outfd, err, sizeof(err));
	close(outfd);
	if (pid < 0) {
		fprintf(stderr, "ipcscope: watch: %s\n", err);
		if (rec)
			fclose(rec);
		return 127;
	}
	bool dashboard = !c.headless && isatty(STDIN_FILENO) &&
	    isatty(STDOUT_FILENO);
	struct watcher *w = watcher_new(pid, dashboard ? UI_LINGER_MS : LINGER_MS,
	    err, sizeof(err));
	if (!w) {
		fprintf(stderr, "ipcscope: watch: %s\n", err);
		int st = stop_cmd(pid);
		if (rec)
			fclose(rec);
		return watch_exit_code(st);
	}
	struct watch_loop_opts o = {
		.interval_ms = c.interval_ms, .json = c.json, .count = c.count,
		.out = stdout, .record = rec, .reap_root = 1,
	};
	if (dashboard) {
		/* The live dashboard; afterwards, as the headless loop: CMD's
		 * status when it exited, else stop what we started. */
		char title[256];
		size_t used = (size_t)snprintf(title, sizeof(title), "watch:");
		for (int i = first; i < argc && used < sizeof(title); i++)
			used += (size_t)snprintf(title + used, sizeof(title) - used,
			    " %s", argv[i]);
		struct ui_watch_opts uo = {
			.root = pid, .started = true, .interval_ms = c.interval_ms,
			.title = title, .record = rec,
		};
		struct ui_watch_result ur;
		int urc = ui_watch_main(w, &uo, &ur);
		watch_loop_signals_init();
		int status;
		if (urc == 0 && ur.root_exited && ur.root_wstatus != -1) {
			status = watch_exit_code(ur.root_wstatus);
			stop_rest(pid);
		} else
			status = watch_exit_code(stop_cmd(pid));
		watcher_free(w);
		if (rec)
			fclose(rec);
		if (urc != 0)
			return 1;
		return status < 0 ? 1 : status;
	}
	struct watch_loop_result res;
	int rc = watch_loop_run(w, pid, &o, &res);
	int status;
	if (rc < 0) {
		fprintf(stderr, "ipcscope: watch: pidfd_open: %s\n", strerror(-rc));
		status = watch_exit_code(stop_cmd(pid));
	} else if (res.root_exited) {
		status = watch_exit_code(res.root_wstatus);
	} else {
		/* Stopped by a signal, --count or an unwritable output: end
		 * what we started. */
		if (res.write_error)
			fprintf(stderr, "ipcscope: watch: output closed, "
			    "stopping %d\n", (int)pid);
		status = watch_exit_code(stop_cmd(pid));
	}
	watcher_free(w);
	if (rec)
		fclose(rec);
	return status < 0 ? 1 : status;
}

const struct cmd_entry cmd_watch_entry = {
	.name = "watch",
	.usage = "watch [--headless] [--json] [--interval MS] [--count N] "
	    "[--record FILE] [--output FILE] -- CMD [ARGS...]",
	.summary = "start CMD and watch its processes and IPC",
	.exec = cmd_watch_exec,
};
