/* PLACEHOLDER: replaced by the runtime/observer work (issue 3). */
#include <stdio.h>

#include "cmd/cmd.h"

static int
cmd_run_exec(int argc, char **argv)
{
	(void)argc; (void)argv;
	fprintf(stderr, "ipcscope: run: not implemented yet\n");
	return 1;
}

const struct cmd_entry cmd_run_entry = {
	.name = "run",
	.usage = "run [--headless] [--speed X] [--timeout DUR] [--json] [--record FILE] SCENARIO",
	.summary = "run a scenario (dashboard, or --headless)",
	.exec = cmd_run_exec,
};
