/*
 * ipcscope: see processes and inter-process communication as they happen.
 * This file only dispatches to the sub-command table.
 */
#include <stdio.h>
#include <string.h>

#include "cmd/cmd.h"

static const struct cmd_entry *const cmd_table[] = {
	&cmd_run_entry,
	&cmd_check_entry,
	&cmd_list_entry,
	&cmd_watch_entry,
	&cmd_attach_entry,
	&cmd_replay_entry,
	&cmd_export_entry,
};
#define NCMDS (sizeof(cmd_table) / sizeof(cmd_table[0]))

int
cmd_usage(const struct cmd_entry *e)
{
	fprintf(stderr, "usage: ipcscope %s\n", e->usage);
	return 2;
}

static void
usage(FILE *f)
{
	fprintf(f, "usage: ipcscope [COMMAND] [OPTIONS] [ARGS]\n"
	    "       ipcscope SCENARIO          same as: ipcscope run SCENARIO\n\n"
	    "Commands:\n");
	for (size_t i = 0; i < NCMDS; i++)
		fprintf(f, "  %-40s %s\n", cmd_table[i]->usage, cmd_table[i]->summary);
	fprintf(f, "\nA SCENARIO is a file path or the name of a bundled scenario "
	    "(see: ipcscope list).\n"
	    "Exit status: 0 success, 1 the run failed, 2 usage or scenario error.\n"
	    "See ipcscope(1) and docs/scenario-format.md.\n");
}

int
main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("ipcscope %s\n", IPCSCOPE_VERSION);
		return 0;
	}
	for (size_t i = 0; i < NCMDS; i++)
		if (strcmp(argv[1], cmd_table[i]->name) == 0)
			return cmd_table[i]->exec(argc - 1, argv + 1);
	/* "ipcscope SCENARIO [OPTIONS]" is "ipcscope run SCENARIO [OPTIONS]". */
	if (argv[1][0] != '-')
		return cmd_run_entry.exec(argc, argv);
	fprintf(stderr, "ipcscope: unknown option '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
