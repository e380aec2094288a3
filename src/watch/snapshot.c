/* The watch snapshot: names of its enums and ownership helpers. */
#include "watch/snapshot.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

static const char *const role_names[WATCH_ROLE_COUNT] = {
	[WATCH_ROLE_PROCESS] = "process",
	[WATCH_ROLE_MAIN] = "main",
	[WATCH_ROLE_POOL_WORKER] = "pool_worker",
	[WATCH_ROLE_MANAGER] = "manager",
	[WATCH_ROLE_RESOURCE_TRACKER] = "resource_tracker",
	[WATCH_ROLE_FORKSERVER] = "forkserver",
};

const char *
watch_role_name(enum watch_role r)
{
	assert(r >= 0 && r < WATCH_ROLE_COUNT);
	return role_names[r];
}

const char *
watch_edge_kind_name(enum watch_edge_kind k)
{
	switch (k) {
	case WATCH_EDGE_PIPE: return "pipe";
	case WATCH_EDGE_SOCKET: return "socket";
	case WATCH_EDGE_FIFO: return "fifo";
	}
	return "?";
}

void
watch_snapshot_clear(struct watch_snapshot *s)
{
	free(s->procs);
	free(s->edges);
	free(s->blocked);
	free(s->cycles);
	memset(s, 0, sizeof(*s));
}

const struct watch_proc *
watch_snapshot_proc(const struct watch_snapshot *s, pid_t pid)
{
	size_t lo = 0, hi = s->nprocs;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (s->procs[mid].pid == pid)
			return &s->procs[mid];
		if (s->procs[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}
