/* The dashboard's terminal and signals. */
#include "term.h"

#include <curses.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "theme.h"
#include "util/xmem.h"


static int sig_pipe[2] = { -1, -1 };
static pid_t ui_pid;
static volatile sig_atomic_t run_pgid;     /* for the crash handler */
static volatile sig_atomic_t term_active;

static const int quit_signals[] = { SIGINT, SIGTERM, SIGHUP };
static const int crash_signals[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT,
	SIGQUIT };

/* In a forked scenario process (which inherits these handlers until it sets
 * its own), behave as if the handler were not there. */
static void
on_signal(int sig)
{
	if (getpid() != ui_pid) {
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	int saved = errno;
	unsigned char c = (unsigned char)sig;
	if (write(sig_pipe[1], &c, 1) < 0) {
		/* full pipe: a wake-up is pending anyway */
	}
	errno = saved;
}

void
term_restore(void)
{
	if (term_active) {
		term_active = 0;
		endwin();
	}
}

/* Last resort: restore the terminal, take the scenario down, die with the
 * same signal. */
static void
on_crash(int sig)
{
	if (getpid() == ui_pid) {
		term_restore();
		if (run_pgid > 0)
			kill(-(pid_t)run_pgid, SIGKILL);
	}
	signal(sig, SIG_DFL);
	raise(sig);
}

static void
fatal_hook(void)
{
	term_restore();
	if (run_pgid > 0)
		kill(-(pid_t)run_pgid, SIGKILL);
}

/* In a child forked by the observer (the scenario's main process): drop the
 * self-pipe and the dashboard's handlers, so that the scenario inherits
 * neither (they would show among its descriptors in the detail view). */
static void
atfork_child(void)
{
	if (sig_pipe[0] < 0)
		return;
	close(sig_pipe[0]);
	close(sig_pipe[1]);
	sig_pipe[0] = sig_pipe[1] = -1;
	for (size_t i = 0; i < sizeof(quit_signals) / sizeof(int); i++)
		signal(quit_signals[i], SIG_DFL);
	for (size_t i = 0; i < sizeof(crash_signals) / sizeof(int); i++)
		signal(crash_signals[i], SIG_DFL);
	signal(SIGWINCH, SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
}

int
term_signals_install(void)
{
	static bool atfork_done;
	ui_pid = getpid();
	if (pipe2(sig_pipe, O_NONBLOCK | O_CLOEXEC) != 0)
		return -1;
	if (!atfork_done) {
		pthread_atfork(NULL, NULL, atfork_child);
		atfork_done = true;
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	for (size_t i = 0; i < sizeof(quit_signals) / sizeof(int); i++)
		sigaction(quit_signals[i], &sa, NULL);
	sigaction(SIGWINCH, &sa, NULL);
	sa.sa_flags = SA_RESTART | SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);
	sa.sa_handler = on_crash;
	sa.sa_flags = SA_RESETHAND | SA_NODEFER;
	for (size_t i = 0; i < sizeof(crash_signals) / sizeof(int); i++)
		sigaction(crash_signals[i], &sa, NULL);
	xmem_set_fatal_hook(fatal_hook);
	return 0;
}

void
term_signals_remove(void)
{
	const int *lists[] = { quit_signals, crash_signals };
	size_t lens[] = { 3, 6 };
	for (size_t l = 0; l < 2; l++)
		for (size_t i = 0; i < lens[l]; i++)
			signal(lists[l][i], SIG_DFL);
	signal(SIGWINCH, SIG_DFL);
	signal(SIGCHLD, SIG_DFL);
	xmem_set_fatal_hook(NULL);
	close(sig_pipe[0]);
	close(sig_pipe[1]);
	sig_pipe[0] = sig_pipe[1] = -1;
}


int
term_signal_fd(void)
{
	return sig_pipe[0];
}

void
term_set_run_pgid(pid_t pgid)
{
	run_pgid = pgid;
}

void
term_resize(void)
{
	struct winsize ws;
	/* resizeterm queues a KEY_RESIZE, which read_keys only redraws for. */
	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0 && is_term_resized(ws.ws_row, ws.ws_col))
		resizeterm(ws.ws_row, ws.ws_col);
}

int
term_init(const struct ui_config *cfg, bool utf8)
{
	/* newterm, not initscr: an unknown TERM is an error we report, not an
	 * exit() from inside curses. */
	if (!newterm(NULL, stdout, stdin))
		return -1;
	term_active = 1;
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	theme_init(cfg->theme);
	theme_glyphs_init(utf8);
	if (cfg->mouse)
		mousemask(BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED |
		    BUTTON1_PRESSED | BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
		    | BUTTON5_PRESSED
#endif
		    , NULL);
	mouseinterval(0);
	return 0;
}

int
term_signals_read(bool *resized)
{
	unsigned char buf[64];
	ssize_t n;
	int quit = 0;
	while ((n = read(sig_pipe[0], buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < n; i++) {
			if (buf[i] == SIGWINCH) {
				term_resize();
				*resized = true;
			} else if (buf[i] == SIGINT || buf[i] == SIGTERM ||
			    buf[i] == SIGHUP)
				quit = buf[i];
		}
	}
	return quit;
}
