/* IPC descriptors of a process from /proc/PID/fd and fdinfo. */
#include "watch/fdscan.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "proc/sampler.h"
#include "util/xmem.h"
#include "watch/procfs.h"

int
watch_fdinfo_mode(const char *text)
{
	const char *p = text;
	while (p && *p) {
		if (strncmp(p, "flags:", 6) == 0) {
			char *end;
			unsigned long fl = strtoul(p + 6, &end, 8);
			if (end == p + 6)
				return -EINVAL;
			switch (fl & O_ACCMODE) {
			case O_RDONLY: return WATCH_FD_READ;
			case O_WRONLY: return WATCH_FD_WRITE;
			case O_RDWR: return WATCH_FD_READ | WATCH_FD_WRITE;
			default: return -EINVAL;
			}
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return -EINVAL;
}

static struct watch_fd *
push(struct watch_fdset *set)
{
	if (set->n == set->cap) {
		set->cap = set->cap ? set->cap * 2 : 64;
		set->v = xreallocarray(set->v, set->cap, sizeof(*set->v));
	}
	struct watch_fd *f = &set->v[set->n++];
	memset(f, 0, sizeof(*f));
	return f;
}

/* The mode of (pid, fd), or -errno. */
static int
fd_mode(pid_t pid, int fd)
{
	char name[48], buf[512];
	snprintf(name, sizeof(name), "fdinfo/%d", fd);
	long n = watch_read_proc(pid, name, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	return watch_fdinfo_mode(buf);
}

int
watch_fdscan_pid(pid_t pid, struct watch_fdset *set)
{
	struct proc_fd *fds = NULL;
	int n = sampler_list_fds(pid, &fds);
	if (n < 0)
		return n;
	for (int i = 0; i < n; i++) {
		const struct proc_fd *pf = &fds[i];
		enum watch_fd_kind kind;
		unsigned long inode = pf->inode, dev = 0;
		if (strncmp(pf->target, "pipe:[", 6) == 0) {
			kind = WATCH_FD_PIPE;
		} else if (strncmp(pf->target, "socket:[", 8) == 0) {
			kind = WATCH_FD_SOCKET;
		} else if (pf->target[0] == '/') {
			/* stat() through the magic link: no open, so a FIFO
			 * is never disturbed. */
			char path[64];
			struct stat sb;
			snprintf(path, sizeof(path), "/proc/%d/fd/%d",
			    (int)pid, pf->fd);
			if (stat(path, &sb) != 0 || !S_ISFIFO(sb.st_mode))
				continue;
			kind = WATCH_FD_FIFO;
			inode = (unsigned long)sb.st_ino;
			dev = (unsigned long)sb.st_dev;
		} else {
			continue;
		}
		int mode = WATCH_FD_READ | WATCH_FD_WRITE;
		if (kind != WATCH_FD_SOCKET) {
			mode = fd_mode(pid, pf->fd);
			if (mode < 0)
				continue;        /* closed meanwhile */
		}
		struct watch_fd *f = push(set);
		f->pid = pid;
		f->fd = pf->fd;
		f->kind = kind;
		f->mode = mode;
		f->inode = inode;
		f->dev = dev;
		if (kind == WATCH_FD_FIFO)
			snprintf(f->path, sizeof(f->path), "%s", pf->target);
	}
	free(fds);
	return 0;
}

const struct watch_fd *
watch_fdset_find(const struct watch_fdset *set, pid_t pid, int fd)
{
	for (size_t i = 0; i < set->n; i++)
		if (set->v[i].pid == pid && set->v[i].fd == fd)
			return &set->v[i];
	return NULL;
}

void
watch_fdset_clear(struct watch_fdset *set)
{
	free(set->v);
	memset(set, 0, sizeof(*set));
}
