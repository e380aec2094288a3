#ifndef IPCSCOPE_WATCH_PROCFS_H
#define IPCSCOPE_WATCH_PROCFS_H
/* Small plain reads of /proc files for the watcher (no libproc2). */
#include <stddef.h>
#include <sys/types.h>

/* Read up to len-1 bytes of 'path' into 'buf', NUL-terminated. Returns the
 * byte count or -errno. Never blocks on a FIFO (O_NONBLOCK). */
long watch_read_file(const char *path, char *buf, size_t len);

/* The same for "/proc/PID/NAME" (NAME may hold slashes: "task/12/stat"). */
long watch_read_proc(pid_t pid, const char *name, char *buf, size_t len);

/* "Permission denied (EACCES)"-style text for a negative errno value. */
const char *watch_errno_text(int neg_errno, char *buf, size_t len);

struct watch_proc;
/* Append "cannot read WHAT: Permission denied (EACCES)" to p->error. */
void watch_proc_add_error(struct watch_proc *p, const char *what,
    int neg_errno);

#endif
