#ifndef IPCSCOPE_UI_TERM_H
#define IPCSCOPE_UI_TERM_H
/*
 * The terminal and the signals of the dashboard: curses set-up and restore,
 * a self-pipe for SIGINT / SIGTERM / SIGHUP / SIGWINCH / SIGCHLD, and a
 * last-resort handler for SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT and
 * SIGQUIT that restores the terminal, kills the scenario's process group
 * and dies of the same signal. Scenario processes forked while these
 * handlers are installed behave as if they were not (the handlers check the
 * pid and fall back to the default action).
 */
#include <stdbool.h>
#include <sys/types.h>

#include "config.h"

/* Install the handlers and the out-of-memory hook. 0, or -1 with errno. */
int term_signals_install(void);
/* Back to the default actions; closes the self-pipe. */
void term_signals_remove(void);
/* The self-pipe's read end, for poll(). */
int term_signal_fd(void);
/* Drain the self-pipe: follows a SIGWINCH (sets *resized) and returns the
 * last of SIGINT / SIGTERM / SIGHUP received, or 0. */
int term_signals_read(bool *resized);
/* The scenario's process group, killed by the crash handler (0: none). */
void term_set_run_pgid(pid_t pgid);

/* Start curses on stdin/stdout with 'cfg' (theme, mouse) and the glyphs
 * for 'utf8'. 0, or -1 when the terminal cannot be used (unknown TERM). */
int term_init(const struct ui_config *cfg, bool utf8);
/* Leave curses (idempotent, also from a signal handler). */
void term_restore(void);
/* Follow the terminal's new size. */
void term_resize(void);

#endif
