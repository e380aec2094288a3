/* The scenario's main process, from its first event to CPython's exit. */
#include "runtime/actor.h"

#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "runtime/runtime_int.h"

int
runtime_enter_main(struct shared *sh, const struct scenario *sc)
{
	struct actor m;
	int code;

	/* A send to a pipe whose reader is gone is an error (EPIPE), as in
	 * CPython; every scenario process inherits this. */
	signal(SIGPIPE, SIG_IGN);
	prctl(PR_SET_NAME, "main");
	actor_attach(&m, sh, sc, NULL, ROLE_MAIN, false, sc->main_func, "main");
	atomic_store(&sh->main_pid, m.pid);
	actor_emit(&m, EV_SPAWN, sc->main_func, getppid(), ROLE_MAIN, 0, "main");

	if (queue_startup(&m) < 0 || pipe_startup(&m) < 0) {
		actor_report_error(&m, false);
		code = 1;
	} else {
		manager_startup(&m);
		pool_startup(&m);
		code = interp_body(&m, sc->main_func, 0) & 0xff;
		/* CPython's exit: threading._shutdown(), the atexit finalizers
		 * (pools terminated, managers shut down), then the children. */
		thread_join_all(&m);
		pool_shutdown(&m);
		manager_shutdown(&m);
	}
	proc_exit_children(&m);
	actor_emit(&m, EV_EXIT, sc->main_func, code, code << 8, 0, NULL);
	actor_detach(&m);
	return code;
}
