#ifndef IPCSCOPE_WATCH_FDSCAN_H
#define IPCSCOPE_WATCH_FDSCAN_H
/*
 * The IPC descriptors of a process: anonymous pipes ("pipe:[N]"), unix (and
 * other) sockets ("socket:[N]") and named FIFOs, each with the access mode
 * of its open file description (from the "flags:" line of
 * /proc/PID/fdinfo/N). Other descriptors (files, ttys) are skipped.
 */
#include <stddef.h>
#include <sys/types.h>

enum watch_fd_kind { WATCH_FD_PIPE, WATCH_FD_SOCKET, WATCH_FD_FIFO };

#define WATCH_FD_READ  1
#define WATCH_FD_WRITE 2

struct watch_fd {
	pid_t pid;
	int fd;
	enum watch_fd_kind kind;
	int mode;                    /* WATCH_FD_READ | WATCH_FD_WRITE bits */
	unsigned long inode;
	unsigned long dev;           /* FIFOs: device of the inode, else 0 */
	char path[108];              /* FIFOs: the path, else "" */
};

/* Access mode bits of an fdinfo text ("pos:\t0\nflags:\t0100001\n...").
 * Returns WATCH_FD_READ, WATCH_FD_WRITE, both, or -EINVAL when there is no
 * valid flags line. Pure. */
int watch_fdinfo_mode(const char *text);

/* A growing array of descriptors. */
struct watch_fdset {
	struct watch_fd *v;
	size_t n, cap;
};

/* Append the IPC descriptors of 'pid' to 'set'. Returns 0, or -errno when
 * the fd table cannot be listed (-EACCES, -EPERM; -ENOENT when the process
 * is gone). A descriptor closed mid-scan is skipped silently. */
int watch_fdscan_pid(pid_t pid, struct watch_fdset *set);

/* The descriptor (pid, fd) in 'set', or NULL. */
const struct watch_fd *watch_fdset_find(const struct watch_fdset *set,
    pid_t pid, int fd);

void watch_fdset_clear(struct watch_fdset *set);

#endif
