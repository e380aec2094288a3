#ifndef IPCSCOPE_CMD_H
#define IPCSCOPE_CMD_H
/*
 * Sub-commands, one file each (src/cmd/cmd_NAME.c), one table row each in
 * src/main.c. exec() takes the arguments after the command name (argv[0] is
 * the command name) and returns the process exit status:
 *   0 success, 1 failure of the run, 2 usage or scenario error.
 * These files are linked into the binary only, not into the engine library.
 */
struct cmd_entry {
	const char *name;
	const char *usage;     /* "check [-v] SCENARIO..." */
	const char *summary;   /* one line for --help */
	int (*exec)(int argc, char **argv);
};

extern const struct cmd_entry cmd_check_entry;
extern const struct cmd_entry cmd_list_entry;
extern const struct cmd_entry cmd_run_entry;
extern const struct cmd_entry cmd_watch_entry;
extern const struct cmd_entry cmd_attach_entry;
extern const struct cmd_entry cmd_replay_entry;
extern const struct cmd_entry cmd_export_entry;

/* Print "ipcscope: usage: ipcscope USAGE" for 'e' to stderr; returns 2. */
int cmd_usage(const struct cmd_entry *e);

#endif
