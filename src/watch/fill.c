/* Pipe fill levels through /proc or pidfd_getfd (see fill.h for why). */
#include "watch/fill.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "watch/fdscan.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd 438
#endif

/* A duplicate of (pid, fd) in our table, or -errno. */
static int
dup_remote(pid_t pid, int fd)
{
	int pfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pfd < 0)
		return -errno;
	int d = (int)syscall(SYS_pidfd_getfd, pfd, fd, 0);
	int e = errno;
	close(pfd);
	return d < 0 ? -e : d;
}

long
watch_pipe_fill(pid_t pid, int fd, int mode, long *capacity)
{
	*capacity = -1;
	int d;
	if (mode & WATCH_FD_READ) {
		char path[64];
		snprintf(path, sizeof(path), "/proc/%d/fd/%d", (int)pid, fd);
		d = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
		if (d < 0)
			return -errno;
	} else {
		d = dup_remote(pid, fd);
		if (d < 0)
			return d;
	}
	int n = 0;
	long rc = ioctl(d, FIONREAD, &n) == 0 ? n : -errno;
	int sz = fcntl(d, F_GETPIPE_SZ);
	if (sz > 0)
		*capacity = sz;
	close(d);
	return rc;
}
