#ifndef IPCSCOPE_SAMPLER_H
#define IPCSCOPE_SAMPLER_H
/*
 * The /proc sampler: reads state, ticks, memory and threads of a given set
 * of processes (the scenario's own pids, never the whole system). This is
 * the only module that knows libproc2; it hands out plain structs only.
 *
 * %CPU is computed here from tick deltas between two samples of the same
 * process, keyed by (pid, start time) so a reused pid never inherits the
 * ticks of its predecessor, over a CLOCK_MONOTONIC interval. 100 means one
 * CPU fully busy (top's "Irix mode"). The first sample of a process has
 * pcpu = NAN (shown as "-").
 */
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define SAMPLER_COMM_MAX 16

struct proc_sample {
	pid_t pid, ppid, pgid, tgid;
	char state;                 /* R S D Z T t I X ... */
	char comm[SAMPLER_COMM_MAX];/* printable ASCII only ('?' for others) */
	uint64_t start_ticks;       /* since boot, clock ticks */
	uint64_t ticks;             /* user + system, clock ticks */
	unsigned long rss_kib;
	int nthreads;
	double pcpu;                /* NAN on the first sample of a process */
};

/* One sample of a pid set. 'v' is sorted by pid, owned by the sampler and
 * valid until the next sampler_sample() or sampler_free(). */
struct proc_snapshot {
	const struct proc_sample *v;
	size_t n;
	int64_t mono_ns;            /* CLOCK_MONOTONIC when it was taken */
};

struct sampler;

/* A sampler, or NULL with a message in 'err' when /proc is not mounted or
 * libproc2 fails. Never exits the process (unlike fatal_proc_unmounted). */
struct sampler *sampler_new(char *err, size_t errlen);
void sampler_free(struct sampler *s);

/* Sample the processes in pids[0..n) (any order; duplicates and 0 ignored;
 * pids that are gone are simply absent). Returns 0, or -errno with 'out'
 * describing an empty snapshot. */
int sampler_sample(struct sampler *s, const pid_t *pids, size_t n,
    struct proc_snapshot *out);

/* The sample for 'pid' in 'snap', or NULL. */
const struct proc_sample *sampler_find(const struct proc_snapshot *snap,
    pid_t pid);

/* Pure %CPU arithmetic: 'dticks' over 'dns' nanoseconds at 'hz' ticks per
 * second. NAN when dns <= 0 or hz <= 0. */
double sampler_pcpu(uint64_t dticks, int64_t dns, long hz);

/* Clock ticks per second (sysconf(_SC_CLK_TCK)). */
long sampler_hertz(void);

/* ---- details for one process (read on demand, not at every refresh) ---- */

struct proc_fd {
	int fd;
	char target[96];            /* readlink of /proc/PID/fd/N: "pipe:[123]",
	                               "socket:[456]", "/dev/pts/1" ... */
	unsigned long inode;        /* for pipe:[N] / socket:[N], else 0 */
};

/* List the open descriptors of 'pid' into a new array (*out, free() it),
 * sorted by fd. Returns the count, or -errno (EACCES, ENOENT ...). */
int sampler_list_fds(pid_t pid, struct proc_fd **out);

/* The command line of 'pid', arguments joined by spaces, non-printable
 * bytes replaced by '?'. Returns the length, or -errno. */
int sampler_cmdline(pid_t pid, char *buf, size_t len);

#endif
