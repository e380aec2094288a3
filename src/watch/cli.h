#ifndef IPCSCOPE_WATCH_CLI_H
#define IPCSCOPE_WATCH_CLI_H
/* Options shared by `ipcscope watch` and `ipcscope attach`. */
#include <stddef.h>

struct watch_cli {
	int headless;
	int json;
	int interval_ms;             /* default 500, 10..60000 */
	int count;                   /* --count N: stop after N snapshots */
	const char *record;          /* --record FILE (JSON Lines) */
	const char *output;          /* --output FILE (watch: CMD's output) */
};

/* Parse argv[1..argc) (argv[0] is the command name) up to the first
 * non-option or past a "--". Options: --headless, --json, --interval MS,
 * --count N, --record FILE, and --output FILE when 'allow_output'.
 * "--opt=value" is accepted too. Returns the index of the first
 * positional argument (may equal argc), or -1 with a message in 'err'.
 * Pure. */
int watch_cli_parse(int argc, char **argv, int allow_output,
    struct watch_cli *c, char *err, size_t errlen);

#endif
