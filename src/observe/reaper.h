#ifndef IPCSCOPE_REAPER_H
#define IPCSCOPE_REAPER_H
/*
 * The observer's view of process life: which scenario processes are still
 * alive, and freeing the ring slots of processes that died without
 * releasing them (SIGKILL, crash). The observer is a child subreaper, so
 * scenario processes orphaned by a dead parent are reparented to it; it is
 * the parent of nothing else.
 */
#include <stdbool.h>
#include <sys/types.h>

#include "event/ring.h"

/* True while 'pid' exists and is not a zombie (reads /proc/PID/stat). */
bool reaper_alive(pid_t pid);
/* True while 'pid' is on a CPU or runnable (state R in /proc/PID/stat). */
bool reaper_running(pid_t pid);

/* Release the slots of every slot owner that is gone, and with 'zombies'
 * also of those that are zombies (that costs a read of /proc per owner, so
 * do it less often). Call it after a drain, so what the dead wrote is read
 * first (it stays readable after the release anyway). Returns the number
 * of slots released. */
int reaper_release_dead(struct ring_area *ra, bool zombies);

/* True when every slot is free: every writer has finished and been
 * drained. */
bool reaper_rings_idle(const struct ring_area *ra);

/* SIGKILL every process whose parent is 'parent' (stragglers reparented
 * to the subreaper from another process group). Returns how many. */
int reaper_kill_children(pid_t parent);

/* Number of live processes whose process group is 'pgid'. */
int reaper_count_pgid(pid_t pgid);

#endif
