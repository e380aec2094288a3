/* Plain reads of /proc files. */
#include "watch/procfs.h"

#include "watch/snapshot.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

long
watch_read_file(const char *path, char *buf, size_t len)
{
	if (len == 0)
		return -EINVAL;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -errno;
	size_t got = 0;
	while (got < len - 1) {
		ssize_t r = read(fd, buf + got, len - 1 - got);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			int e = errno;
			close(fd);
			buf[0] = '\0';
			return -e;
		}
		if (r == 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	buf[got] = '\0';
	return (long)got;
}

long
watch_read_proc(pid_t pid, const char *name, char *buf, size_t len)
{
	char path[96];
	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, name);
	return watch_read_file(path, buf, len);
}

const char *
watch_errno_text(int neg_errno, char *buf, size_t len)
{
	int e = neg_errno < 0 ? -neg_errno : neg_errno;
	const char *sym = strerrorname_np(e);
	snprintf(buf, len, "%s (%s)", strerror(e), sym ? sym : "?");
	return buf;
}

void
watch_proc_add_error(struct watch_proc *p, const char *what, int neg_errno)
{
	char eb[64];
	size_t off = strlen(p->error);
	if (strstr(p->error, what))
		return;
	snprintf(p->error + off, sizeof(p->error) - off, "%scannot read %s: %s",
	    off ? "; " : "", what, watch_errno_text(neg_errno, eb, sizeof(eb)));
}
