#ifndef IPCSCOPE_UI_REPLAY_INT_H
#define IPCSCOPE_UI_REPLAY_INT_H
/*
 * Inside the replay view: the cursor's state shared by the loop
 * (replay_app.c) and the key table and status bar (replay_bar.c).
 */
#include <stdbool.h>
#include <stdint.h>

#include "app.h"
#include "trace/replay.h"

struct rview {
	struct ui *ui;
	struct replay *r;
	bool playing;
	int64_t play_real_ns;    /* real time of the last play step */
};

/* Handle a replay key (space, arrows, [ ], g G, + -, and the live-only
 * keys it refuses). Returns UI_* flags; UI_HANDLED when the key was one of
 * them, UI_NONE to pass it to the dashboard's key table. */
int replay_key(struct rview *v, int ch, bool is_key);
/* Advance a playing cursor by the real time since the last step times the
 * speed; stops at the end. Returns true when the cursor moved. */
bool replay_play_step(struct rview *v, int64_t now_ns);
/* Draw the replay status bar over the footer's last row and the REPLAY
 * badge over the header's state. */
void replay_bar_draw(struct rview *v);
/* Make the dashboard show the model at the cursor. */
void replay_sync(struct rview *v);

#endif
