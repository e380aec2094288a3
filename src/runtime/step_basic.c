/* Steps that touch no other object: sleep, busy, print, return, exit,
 * raise, crash, call. */
#include "runtime/actor.h"

#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <unistd.h>

#include "runtime/clock.h"
#include "runtime/runtime_int.h"
#include "util/xmem.h"

enum step_rc
step_sleep(struct actor *a, const struct sc_step *st)
{
	int64_t deadline = clock_now(&a->sh->clock) + st->dur_ns;

	actor_set_state(a, ACT_SLEEPING);
	clock_sleep_until(&a->sh->clock, deadline);
	actor_set_state(a, ACT_RUNNING);
	return STEP_RC_OK;
}

enum step_rc
step_busy(struct actor *a, const struct sc_step *st)
{
	int64_t deadline = clock_now(&a->sh->clock) + st->dur_ns;

	actor_set_state(a, ACT_BUSY);
	clock_busy_until(&a->sh->clock, deadline);
	actor_set_state(a, ACT_RUNNING);
	return STEP_RC_OK;
}

enum step_rc
step_print(struct actor *a, const struct sc_step *st)
{
	char *buf;
	size_t len;
	enum step_rc rc = interp_message(a, st->text, &buf, &len);

	if (!buf)
		return rc;
	actor_emit(a, EV_PRINT, -1, 0, 0, 0, buf);
	free(buf);
	return STEP_RC_OK;
}

enum step_rc
step_return(struct actor *a, const struct sc_step *st)
{
	a->ret = interp_eval(a, &st->expr);
	a->has_ret = true;
	return STEP_RC_RETURN;
}

enum step_rc
step_exit(struct actor *a, const struct sc_step *st)
{
	a->exit_code = (int)interp_eval(a, &st->expr);
	return STEP_RC_EXIT;
}

enum step_rc
step_raise(struct actor *a, const struct sc_step *st)
{
	char msg[ACTOR_ERRMSG_MAX];

	interp_expand(a, st->text, msg, sizeof(msg));
	return actor_error(a, st->errtype ? st->errtype : "Exception", "%s", msg);
}

/* Signals whose default action ends the process (term or core). */
static bool
sig_is_fatal(int sig)
{
	switch (sig) {
	case SIGCHLD: case SIGCONT: case SIGURG: case SIGWINCH:
	case SIGSTOP: case SIGTSTP: case SIGTTIN: case SIGTTOU:
		return false;
	default:
		return sig > 0 && sig < NSIG;
	}
}

/* Kill this whole process with 'sig' (no core file is left behind). The
 * EV_SIGNAL event is the cause; the exit itself is reported by whoever
 * reaps the process (proc_join), as for any death by signal. */
enum step_rc
step_crash(struct actor *a, const struct sc_step *st)
{
	struct rlimit no_core = { 0, 0 };
	sigset_t set;

	actor_emit(a, EV_SIGNAL, -1, a->pid, st->sig, 0, NULL);
	setrlimit(RLIMIT_CORE, &no_core);
	signal(st->sig, SIG_DFL);
	sigemptyset(&set);
	sigaddset(&set, st->sig);
	pthread_sigmask(SIG_UNBLOCK, &set, NULL);
	kill(getpid(), st->sig);
	if (sig_is_fatal(st->sig))
		for (;;)
			pause();
	return STEP_RC_OK;
}

enum step_rc
step_call(struct actor *a, const struct sc_step *st)
{
	enum step_rc rc = interp_run(a, st->func, interp_eval(a, &st->expr));

	/* {value} becomes the return value (None without one). */
	if (rc == STEP_RC_OK) {
		char num[24];
		snprintf(num, sizeof(num), "%" PRId64, a->ret);
		actor_set_value(a, a->has_ret ? num : NULL);
	}
	a->has_ret = false;
	return rc;
}
