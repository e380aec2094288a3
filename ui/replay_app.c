#include <stdio.h>

#include "replay.h"

int
ui_replay_main(struct replay *r, const struct ui_opts *u)
{
	(void)r; (void)u;
	fprintf(stderr, "ipcscope: replay: the dashboard is not ready yet (use --headless)\n");
	return 1;
}
