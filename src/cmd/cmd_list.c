/* PLACEHOLDER: replaced by the foundation work (issue 2). */
#include <stdio.h>

#include "cmd/cmd.h"

static int
cmd_list_exec(int argc, char **argv)
{
	(void)argc; (void)argv;
	fprintf(stderr, "ipcscope: list: not implemented yet\n");
	return 1;
}

const struct cmd_entry cmd_list_entry = {
	.name = "list",
	.usage = "list",
	.summary = "",
	.exec = cmd_list_exec,
};
