/* The /proc sampler: libproc2 stays behind this file. */
#include "proc/sampler.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libproc2/pids.h>

#include "util/xmem.h"

/* Items read at every refresh: all from /proc/PID/stat (cheap). */
static enum pids_item items[] = {
	PIDS_ID_PID, PIDS_ID_PPID, PIDS_ID_PGRP, PIDS_STATE,
	PIDS_CMD, PIDS_TICS_ALL, PIDS_TICS_BEGAN, PIDS_RSS, PIDS_NLWP,
};
enum rel_item { R_PID, R_PPID, R_PGRP, R_STATE, R_CMD, R_TICS,
	R_BEGAN, R_RSS, R_NLWP, R_COUNT };
_Static_assert(sizeof(items) / sizeof(items[0]) == R_COUNT,
    "items and rel_item out of step");

/* PIDS_VAL takes 4 arguments up to 4.0.4 and 3 from 4.0.5: use our own. */
#define VAL(rel, type, stack) ((stack)->head[(rel)].result.type)

/* Above this many pids, reap all of /proc and filter (see sampler_sample). */
#define SAMPLER_REAP_ABOVE 64
#define SELECT_CHUNK 255        /* FILL_ID_MAX in libproc2 */

struct sampler {
	struct pids_info *info;
	long hz;
	long page_kib;
	struct proc_sample *cur;    /* last snapshot, sorted by pid */
	size_t ncur, cap;
	int64_t cur_ns;
	struct proc_sample *prev;   /* the one before, for deltas */
	size_t nprev, capprev;
	int64_t prev_ns;
};

static int64_t
mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

long
sampler_hertz(void)
{
	long hz = sysconf(_SC_CLK_TCK);
	return hz > 0 ? hz : 100;
}

double
sampler_pcpu(uint64_t dticks, int64_t dns, long hz)
{
	if (dns <= 0 || hz <= 0)
		return NAN;
	return (double)dticks * 100.0 * 1e9 / ((double)hz * (double)dns);
}

struct sampler *
sampler_new(char *err, size_t errlen)
{
	if (access("/proc/self/stat", R_OK) != 0) {
		snprintf(err, errlen, "/proc is not mounted (%s)", strerror(errno));
		return NULL;
	}
	struct sampler *s = xcalloc(1, sizeof(*s));
	int rc = procps_pids_new(&s->info, items, R_COUNT);
	if (rc < 0) {
		snprintf(err, errlen, "libproc2: procps_pids_new: %s", strerror(-rc));
		free(s);
		return NULL;
	}
	s->hz = sampler_hertz();
	long page = sysconf(_SC_PAGESIZE);
	s->page_kib = page > 0 ? page / 1024 : 4;
	return s;
}

void
sampler_free(struct sampler *s)
{
	if (!s)
		return;
	procps_pids_unref(&s->info);
	free(s->cur);
	free(s->prev);
	free(s);
}

static int
cmp_pid_t(const void *x, const void *y)
{
	pid_t a = *(const pid_t *)x, b = *(const pid_t *)y;
	return (a > b) - (a < b);
}

static int
cmp_sample(const void *x, const void *y)
{
	const struct proc_sample *a = x, *b = y;
	return (a->pid > b->pid) - (a->pid < b->pid);
}

static const struct proc_sample *
find_in(const struct proc_sample *v, size_t n, pid_t pid)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid].pid == pid)
			return &v[mid];
		if (v[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct proc_sample *
sampler_find(const struct proc_snapshot *snap, pid_t pid)
{
	return find_in(snap->v, snap->n, pid);
}

static void
copy_row(struct sampler *s, struct proc_sample *o, struct pids_stack *st)
{
	memset(o, 0, sizeof(*o));
	o->pid = VAL(R_PID, s_int, st);
	o->ppid = VAL(R_PPID, s_int, st);
	o->pgid = VAL(R_PGRP, s_int, st);
	o->tgid = o->pid;   /* tasks only: TGID would cost a read of /proc/PID/status */
	o->state = VAL(R_STATE, s_ch, st);
	const char *comm = VAL(R_CMD, str, st);
	size_t i = 0;
	for (; comm && comm[i] && i < SAMPLER_COMM_MAX - 1; i++) {
		unsigned char c = (unsigned char)comm[i];
		o->comm[i] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	}
	o->comm[i] = '\0';
	o->ticks = VAL(R_TICS, ull_int, st);
	o->start_ticks = VAL(R_BEGAN, ull_int, st);
	o->rss_kib = VAL(R_RSS, ul_int, st) * (unsigned long)s->page_kib;
	o->nthreads = VAL(R_NLWP, s_int, st);
	o->pcpu = NAN;
}

int
sampler_sample(struct sampler *s, const pid_t *pids, size_t n,
    struct proc_snapshot *out)
{
	/* The current snapshot becomes the previous one. */
	struct proc_sample *t = s->prev;
	size_t tcap = s->capprev;
	s->prev = s->cur;
	s->nprev = s->ncur;
	s->capprev = s->cap;
	s->prev_ns = s->cur_ns;
	s->cur = t;
	s->cap = tcap;
	s->ncur = 0;

	/* Sorted, deduplicated, without 0 (0 would end libproc2's list). */
	pid_t *want = xcalloc(n ? n : 1, sizeof(*want));
	size_t nw = 0;
	for (size_t i = 0; i < n; i++)
		if (pids[i] > 0)
			want[nw++] = pids[i];
	qsort(want, nw, sizeof(*want), cmp_pid_t);
	size_t u = 0;
	for (size_t i = 0; i < nw; i++)
		if (u == 0 || want[u - 1] != want[i])
			want[u++] = want[i];
	nw = u;

	int rc = 0;
	s->cur_ns = mono_ns();
	if (nw > SAMPLER_REAP_ABOVE) {
		/* Many pids: one pass over /proc reading stat only is cheaper
		 * than selecting them, which reads status too for each. */
		struct pids_fetch *f = procps_pids_reap(s->info, PIDS_FETCH_TASKS_ONLY);
		int total = f && f->counts ? f->counts->total : 0;
		if (!f)
			rc = errno ? -errno : -EIO;
		for (int i = 0; i < total && f->stacks[i]; i++) {
			pid_t pid = VAL(R_PID, s_int, f->stacks[i]);
			if (!bsearch(&pid, want, nw, sizeof(*want), cmp_pid_t))
				continue;
			if (s->ncur == s->cap) {
				s->cap = s->cap ? s->cap * 2 : 64;
				s->cur = xreallocarray(s->cur, s->cap, sizeof(*s->cur));
			}
			copy_row(s, &s->cur[s->ncur++], f->stacks[i]);
		}
		nw = 0;
	}
	for (size_t off = 0; off < nw; off += SELECT_CHUNK) {
		unsigned ids[SELECT_CHUNK];
		int k = (int)(nw - off < SELECT_CHUNK ? nw - off : SELECT_CHUNK);
		for (int i = 0; i < k; i++)
			ids[i] = (unsigned)want[off + (size_t)i];
		struct pids_fetch *f = procps_pids_select(s->info, ids, k,
		    PIDS_SELECT_PID);
		if (!f) {
			rc = errno ? -errno : -EIO;
			continue;
		}
		int total = f->counts ? f->counts->total : 0;
		if (s->ncur + (size_t)total > s->cap) {
			s->cap = (s->ncur + (size_t)total) * 2;
			s->cur = xreallocarray(s->cur, s->cap, sizeof(*s->cur));
		}
		/* Copy out: the stacks are reused by the next call. */
		for (int i = 0; i < total && f->stacks[i]; i++)
			copy_row(s, &s->cur[s->ncur++], f->stacks[i]);
	}
	free(want);
	if (s->ncur > 1)
		qsort(s->cur, s->ncur, sizeof(*s->cur), cmp_sample);

	for (size_t i = 0; i < s->ncur; i++) {
		struct proc_sample *c = &s->cur[i];
		const struct proc_sample *p = find_in(s->prev, s->nprev, c->pid);
		if (p && p->start_ticks == c->start_ticks && c->ticks >= p->ticks)
			c->pcpu = sampler_pcpu(c->ticks - p->ticks,
			    s->cur_ns - s->prev_ns, s->hz);
	}
	out->v = s->cur;
	out->n = s->ncur;
	out->mono_ns = s->cur_ns;
	return rc;
}

/* ---- details ---- */

static int
cmp_fd(const void *x, const void *y)
{
	const struct proc_fd *a = x, *b = y;
	return (a->fd > b->fd) - (a->fd < b->fd);
}

int
sampler_list_fds(pid_t pid, struct proc_fd **out)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	*out = NULL;
	DIR *d = opendir(path);
	if (!d)
		return -errno;
	struct proc_fd *v = NULL;
	size_t n = 0, cap = 0;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			v = xreallocarray(v, cap, sizeof(*v));
		}
		struct proc_fd *f = &v[n];
		memset(f, 0, sizeof(*f));
		f->fd = atoi(de->d_name);
		ssize_t l = readlinkat(dirfd(d), de->d_name, f->target,
		    sizeof(f->target) - 1);
		if (l < 0)
			continue;       /* closed meanwhile */
		f->target[l] = '\0';
		const char *br = strchr(f->target, '[');
		if (br && (strncmp(f->target, "pipe:", 5) == 0 ||
		    strncmp(f->target, "socket:", 7) == 0))
			f->inode = strtoul(br + 1, NULL, 10);
		n++;
	}
	closedir(d);
	if (n)
		qsort(v, n, sizeof(*v), cmp_fd);
	*out = v;
	return (int)n;
}

int
sampler_cmdline(pid_t pid, char *buf, size_t len)
{
	char path[64];
	if (len == 0)
		return -EINVAL;
	buf[0] = '\0';
	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ssize_t r = read(fd, buf, len - 1);
	int e = errno;
	close(fd);
	if (r < 0)
		return -e;
	while (r > 0 && buf[r - 1] == '\0')
		r--;
	for (ssize_t i = 0; i < r; i++) {
		unsigned char c = (unsigned char)buf[i];
		if (c == '\0')
			buf[i] = ' ';
		else if (c < 0x20 || c == 0x7f)
			buf[i] = '?';
	}
	buf[r] = '\0';
	return (int)r;
}
