/* Python multiprocessing roles from command lines, parentage and fds. */
#include "watch/roles.h"

#include <string.h>

#define POOL_PARENT_MIN_THREADS 4

int
watch_roles_is_pymp_listener(const char *name)
{
	const char *d = strstr(name, "/pymp-");
	return d && strstr(d, "/listener-") != NULL;
}

static const struct watch_proc *
find(const struct watch_proc *procs, size_t n, pid_t pid)
{
	for (size_t i = 0; i < n; i++)
		if (procs[i].pid == pid)
			return &procs[i];
	return NULL;
}

static enum watch_role
role_of(const struct watch_proc *p, const struct watch_proc *parent,
    pid_t root, int listener)
{
	if (p->pid == root)
		return WATCH_ROLE_MAIN;
	/* Started with that command line, not forked from a process that
	 * has it (the forkserver's children share its command line). */
	int execd = !parent || strcmp(p->cmdline, parent->cmdline) != 0;
	if (execd && strstr(p->cmdline, "multiprocessing.resource_tracker"))
		return WATCH_ROLE_RESOURCE_TRACKER;
	if (execd && strstr(p->cmdline, "multiprocessing.forkserver"))
		return WATCH_ROLE_FORKSERVER;
	if (listener)
		return WATCH_ROLE_MANAGER;
	if (!parent || parent->threads < POOL_PARENT_MIN_THREADS)
		return WATCH_ROLE_PROCESS;
	int forked = p->cmdline[0] && strcmp(p->cmdline, parent->cmdline) == 0;
	int spawned = strstr(p->cmdline, "multiprocessing.spawn") != NULL;
	return (forked || spawned) ? WATCH_ROLE_POOL_WORKER : WATCH_ROLE_PROCESS;
}

void
watch_roles_assign(struct watch_proc *procs, size_t n, pid_t root,
    const int *listener)
{
	for (size_t i = 0; i < n; i++) {
		const struct watch_proc *parent = find(procs, n, procs[i].ppid);
		procs[i].role = role_of(&procs[i], parent, root,
		    listener ? listener[i] : 0);
	}
}
