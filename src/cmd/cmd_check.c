/*
 * ipcscope check [-v] SCENARIO...: load and check scenario files. Every
 * problem of every file goes to stderr as FILE:LINE: error: MESSAGE; exit
 * 2 if there was any, else 0 in silence (-v: a summary of each file).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "scenario/load.h"
#include "scenario/scenario.h"

static void
cmd_check_summary(const struct scenario *sc)
{
	int count[SC_KIND_COUNT] = { 0 }, k0 = 0;

	printf("%s: ok: %s\n", sc->path, sc->title);
	for (int i = 0; i < sc->nobjs; i++)
		count[sc->objs[i].kind]++;
	printf("  objects:");
	for (int k = 0; k < SC_KIND_COUNT; k++)
		if (count[k])
			printf("%s %d %s%s", k0++ ? "," : "", count[k], sc_kind_name((enum sc_kind)k),
			    count[k] == 1 ? "" : k == SC_PROCESS ? "es" : "s");
	printf("\n");
	for (int i = 0; i < sc->nobjs; i++) {
		const struct sc_object *o = &sc->objs[i];
		switch (o->kind) {
		case SC_FUNCTION:
			printf("  function %s: %d step%s%s\n", o->name, o->u.fn.nsteps,
			    o->u.fn.nsteps == 1 ? "" : "s",
			    i == sc->main_func ? " (run by the main process)" : "");
			break;
		case SC_PROCESS:
			printf("  process %s: runs %s, %d cop%s%s\n", o->name,
			    sc->objs[o->u.proc.func].name, o->u.proc.count,
			    o->u.proc.count == 1 ? "y" : "ies", o->u.proc.daemon ? ", daemon" : "");
			break;
		case SC_THREAD:
			printf("  thread %s: runs %s\n", o->name, sc->objs[o->u.thr.func].name);
			break;
		case SC_QUEUE:
			printf("  queue %s: maxsize %d%s\n", o->name, o->u.q.maxsize,
			    o->u.q.maxsize == 0 ? " (unbounded)" : "");
			break;
		case SC_PIPE:
			printf("  pipe %s: %s\n", o->name, o->u.pipe.duplex ?
			    "duplex (a <-> b)" : "one-way (b -> a)");
			break;
		case SC_MANAGER:
			printf("  manager %s: a dict and a list\n", o->name);
			break;
		case SC_POOL:
			printf("  pool %s: %d process%s, maxtasksperchild %d\n", o->name,
			    o->u.pool.processes, o->u.pool.processes == 1 ? "" : "es",
			    o->u.pool.maxtasksperchild);
			break;
		default:
			break;
		}
	}
	printf("  limits: timeout %.3gs, max_processes %d, max_threads %d%s%s\n",
	    (double)sc->timeout_ns / 1e9, sc->max_processes, sc->max_threads,
	    sc->expect_error ? ", expect_error " : "",
	    sc->expect_error ? sc->expect_error : "");
}

static int
cmd_check_exec(int argc, char **argv)
{
	bool verbose = false;
	int i = 1, bad = 0;

	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (strcmp(argv[i], "-v") == 0 || strcmp(argv[i], "--verbose") == 0)
			verbose = true;
		else {
			fprintf(stderr, "ipcscope: check: unknown option '%s'\n", argv[i]);
			return cmd_usage(&cmd_check_entry);
		}
	}
	if (i >= argc)
		return cmd_usage(&cmd_check_entry);
	for (; i < argc; i++) {
		struct scenario sc;
		char *path = scenario_resolve(argv[i]);
		if (!path) {
			fprintf(stderr, "%s: error: no such file or bundled scenario "
			    "(see: ipcscope list)\n", argv[i]);
			bad++;
			continue;
		}
		if (scenario_load_file(path, &sc, stderr) > 0)
			bad++;
		else {
			if (verbose)
				cmd_check_summary(&sc);
			scenario_free(&sc);
		}
		free(path);
	}
	return bad ? 2 : 0;
}

const struct cmd_entry cmd_check_entry = {
	.name = "check",
	.usage = "check [-v] SCENARIO...",
	.summary = "check scenario files; errors as FILE:LINE: error: ...",
	.exec = cmd_check_exec,
};
