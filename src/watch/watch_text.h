#ifndef IPCSCOPE_WATCH_TEXT_H
#define IPCSCOPE_WATCH_TEXT_H
/*
 * A watch snapshot as readable text (the headless printer without --json):
 * the process tree indented by parentage, then edges grouped by pipe or
 * socket pair, then blocked threads and likely deadlocks.
 */
#include <stdio.h>

#include "watch/snapshot.h"

/* Write 's' to 'f' (several lines, ending with a blank line). */
void watch_text_write(FILE *f, const struct watch_snapshot *s);

#endif
