#ifndef IPCSCOPE_SIGMENU_H
#define IPCSCOPE_SIGMENU_H
/*
 * The signal menu (F9 / k) shared by the scenario and the watch dashboards:
 * one table of signals, one drawing, one key handler. Each dashboard keeps
 * its own selection and decides how to send (run_signal, or kill after
 * checking the pid still names the same process).
 */
#include <stdbool.h>
#include <sys/types.h>

#include "draw.h"

/* Draw the menu centred in 'r' for process 'name' ('pid'), row 'sel'
 * highlighted. */
void sigmenu_draw(const struct rect *r, const char *name, pid_t pid, int sel);

enum sigmenu_result { SIGMENU_IGNORED, SIGMENU_MOVED, SIGMENU_CANCEL, SIGMENU_PICK };

/* Handle one key for the menu: moves '*sel', or reports Esc/q (CANCEL) or
 * Enter (PICK, with the chosen signal in '*sig'). */
enum sigmenu_result sigmenu_key(int ch, bool is_key, int *sel, int *sig);

#endif
