#ifndef IPCSCOPE_WATCH_BLOCKED_H
#define IPCSCOPE_WATCH_BLOCKED_H
/*
 * What each thread of a process sleeps on, from /proc/PID/task/TID/syscall
 * and wchan: the syscall, and for the descriptor-taking ones (read, write,
 * recv*, send*, accept, connect, poll ...) the descriptors; for wait4 /
 * waitid the child waited for. Reading these files needs ptrace
 * permission over the process (root, or the same user without Yama
 * restrictions); -EACCES / -EPERM are returned as such.
 */
#include <stddef.h>
#include <sys/types.h>

/* One line of /proc/PID/syscall. */
struct watch_syscall {
	int in_syscall;              /* 0 "running" or "-1 ..." (not in one) */
	long nr;
	unsigned long arg[6];
};

/* Parse the text of /proc/PID/syscall. Returns 0 or -EINVAL. Pure. */
int watch_syscall_parse(const char *text, struct watch_syscall *sc);

enum watch_wait_class {
	WATCH_WAIT_NONE,             /* running, stopped, in D state ... */
	WATCH_WAIT_SELF,             /* a timed sleep: wakes by itself */
	WATCH_WAIT_FD,               /* on descriptors (maybe with timeout) */
	WATCH_WAIT_CHILD,            /* wait4 / waitid */
	WATCH_WAIT_OTHER,            /* asleep, waker unknown (futex ...) */
};

#define WATCH_WAIT_FDS 8

struct watch_task_wait {
	pid_t tid;
	char state;                  /* from task stat */
	enum watch_wait_class cls;
	int timed;                   /* WATCH_WAIT_FD with a timeout */
	const char *syscall;         /* static name, or NULL */
	int nfds;
	int fds[WATCH_WAIT_FDS];
	char ops[WATCH_WAIT_FDS][8]; /* "read" "write" "accept" "connect" */
	pid_t child;                 /* WATCH_WAIT_CHILD: pid, or -1 any */
	char wchan[40];
};

/* Classify a parsed syscall: fills cls, timed, syscall, nfds, fds, ops,
 * child of 'w' (poll-like calls get nfds = 0; see watch_blocked_scan).
 * Pure. */
void watch_syscall_classify(const struct watch_syscall *sc,
    struct watch_task_wait *w);

/* The waits of every thread of 'pid' into a new array (*out, free() it).
 * poll/ppoll descriptor arrays are read with process_vm_readv. Returns the
 * count or -errno (-ENOENT gone, -EACCES/-EPERM not allowed). */
int watch_blocked_scan(pid_t pid, struct watch_task_wait **out);

#endif
