/* PLACEHOLDER: replaced by the foundation work (issue 2). */
#include <stdio.h>

#include "cmd/cmd.h"

static int
cmd_check_exec(int argc, char **argv)
{
	(void)argc; (void)argv;
	fprintf(stderr, "ipcscope: check: not implemented yet\n");
	return 1;
}

const struct cmd_entry cmd_check_entry = {
	.name = "check",
	.usage = "check",
	.summary = "",
	.exec = cmd_check_exec,
};
