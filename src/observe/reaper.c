#include "observe/reaper.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Read /proc/PID/stat; fills the state letter and the process group.
 * Returns false when the process is gone. */
static bool
read_stat(pid_t pid, char *state, pid_t *pgrp, pid_t *ppid_out)
{
	char path[64], buf[512];
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return false;
	buf[n] = '\0';
	/* "pid (comm) S ppid pgrp ...": comm may hold spaces and parens. */
	char *p = strrchr(buf, ')');
	if (!p || p[1] != ' ')
		return false;
	int ppid, pg;
	if (sscanf(p + 2, "%c %d %d", state, &ppid, &pg) != 3)
		return false;
	if (pgrp)
		*pgrp = pg;
	if (ppid_out)
		*ppid_out = ppid;
	return true;
}

bool
reaper_alive(pid_t pid)
{
	char st;

	if (pid <= 0 || !read_stat(pid, &st, NULL, NULL))
		return false;
	return st != 'Z' && st != 'X' && st != 'x';
}

bool
reaper_running(pid_t pid)
{
	char st;

	return pid > 0 && read_stat(pid, &st, NULL, NULL) && st == 'R';
}

int
reaper_release_dead(struct ring_area *ra, bool zombies)
{
	int n = ring_nslots(ra), released = 0;
	pid_t last_dead = 0, last_alive = 0;

	for (int i = 0; i < n; i++) {
		pid_t pid = ring_slot_pid(ra, i);
		if (pid <= 0 || pid == last_alive)
			continue;
		/* kill(pid, 0) is cheap and tells a process that is gone;
		 * only a zombie needs a read of /proc. */
		bool alive = pid != last_dead && (kill(pid, 0) == 0 || errno != ESRCH) &&
		    (!zombies || reaper_alive(pid));
		if (alive) {
			last_alive = pid;
			continue;
		}
		last_dead = pid;
		ring_release_pid(ra, pid);
		released++;
	}
	return released;
}

bool
reaper_rings_idle(const struct ring_area *ra)
{
	int n = ring_nslots(ra);

	for (int i = 0; i < n; i++)
		if (ring_slot_pid(ra, i) != 0)
			return false;
	return true;
}

/* Every live (non-zombie) process whose parent is 'ppid' (when ppid > 0)
 * or whose process group is 'pgid' (when pgid > 0); with 'sig' > 0 each is
 * sent that signal. Returns how many there were. */
static int
scan_live(pid_t ppid, pid_t pgid, int sig)
{
	DIR *d = opendir("/proc");
	struct dirent *de;
	int count = 0;

	if (!d)
		return 0;
	while ((de = readdir(d)) != NULL) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);
		char st;
		pid_t pg, pp;
		if (*end || pid <= 0 || !read_stat((pid_t)pid, &st, &pg, &pp) || st == 'Z')
			continue;
		if ((ppid > 0 && pp != ppid) || (pgid > 0 && pg != pgid))
			continue;
		if (sig > 0)
			kill((pid_t)pid, sig);
		count++;
	}
	closedir(d);
	return count;
}

int
reaper_kill_children(pid_t parent)
{
	return scan_live(parent, 0, SIGKILL);
}

int
reaper_count_pgid(pid_t pgid)
{
	return scan_live(0, pgid, 0);
}
