#ifndef IPCSCOPE_WATCH_JSON_H
#define IPCSCOPE_WATCH_JSON_H
/*
 * A watch snapshot as one JSON object on one line (JSON Lines):
 *   {"t": seconds, "root": pid,
 *    "processes": [{"pid","ppid","role","state","cpu" (%, null unknown),
 *                   "rss" (KiB),"threads","name","cmdline",
 *                   "read_rate","write_rate" (bytes/s or null),
 *                   "exit_status" (null unless exited),"error" (null or
 *                   text)}],
 *    "edges": [{"kind" ("pipe","socket","fifo"),
 *               "from": {"pid","fd"} or null (outside the tree),
 *               "to": {"pid","fd"} or null, "inode", "peer_inode",
 *               "fill", "capacity" (bytes or null), "fill_delta",
 *               "path" (FIFO path / socket name or null)}],
 *    "blocked": [{"pid","tid","op","syscall","fd","wchan","kind","inode",
 *                 "timed","others" ([pids]),"text"}],
 *    "deadlocks": [{"pids": [...], "text"}]}
 */
#include <stdio.h>

#include "watch/snapshot.h"

/* Write 's' to 'f' as one line ending in '\n'. */
void watch_json_write(FILE *f, const struct watch_snapshot *s);

#endif
