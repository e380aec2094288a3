#ifndef IPCSCOPE_UI_REPLAY_H
#define IPCSCOPE_UI_REPLAY_H
/*
 * The dashboard over a recording (ipcscope replay FILE): the same views,
 * showing the model at a time cursor the keys move (space play/pause,
 * left/right one event, [ ] one second, g G start/end, + - speed).
 */
#include "trace/replay.h"
#include "ui.h"

/* Show 'r' (borrowed; its cursor moves) until the user quits. stdin and
 * stdout must be a terminal. Returns 0, 128 + N when stopped by signal N,
 * 1 when the dashboard could not start (message on stderr). */
int ui_replay_main(struct replay *r, const struct ui_opts *u);

#endif
