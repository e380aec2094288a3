/* Wait-for cycles among processes that cannot wake themselves. */
#include "watch/deadlock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xmem.h"

static ptrdiff_t
index_of(const pid_t *v, size_t n, pid_t p)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] == p)
			return (ptrdiff_t)i;
	return -1;
}

static void
cycle_text(struct watch_cycle *c)
{
	size_t off = (size_t)snprintf(c->text, sizeof(c->text),
	    "likely deadlock:");
	for (int i = 0; i <= c->n && off < sizeof(c->text); i++) {
		pid_t p = c->pids[i % c->n];
		off += (size_t)snprintf(c->text + off, sizeof(c->text) - off,
		    i == 0 ? " %d" : " waits for %d", (int)p);
	}
}

/* Rotate so the smallest pid comes first (one spelling per cycle). */
static void
normalize(struct watch_cycle *c)
{
	int m = 0;
	for (int i = 1; i < c->n; i++)
		if (c->pids[i] < c->pids[m])
			m = i;
	pid_t tmp[WATCH_CYCLE_MAX];
	for (int i = 0; i < c->n; i++)
		tmp[i] = c->pids[(m + i) % c->n];
	memcpy(c->pids, tmp, sizeof(pid_t) * (size_t)c->n);
}

size_t
watch_deadlock_find(const pid_t *cand, size_t n,
    const struct watch_waitfor *wf, size_t nwf,
    struct watch_cycle *out, size_t max)
{
	if (n == 0)
		return 0;
	char *in = xcalloc(n, 1);
	memset(in, 1, n);
	/* Drop candidates that wait for a non-candidate, to a fixed point. */
	for (int changed = 1; changed;) {
		changed = 0;
		for (size_t e = 0; e < nwf; e++) {
			ptrdiff_t f = index_of(cand, n, wf[e].from);
			if (f < 0 || !in[f])
				continue;
			ptrdiff_t t = index_of(cand, n, wf[e].to);
			if (t < 0 || !in[t]) {
				in[f] = 0;
				changed = 1;
			}
		}
	}
	/* Every survivor waits only for survivors (and has at least one
	 * wait-for edge, else it was not a candidate): walk first edges. */
	size_t nout = 0;
	char *done = xcalloc(n, 1);
	ptrdiff_t *path = xcalloc(n + 1, sizeof(*path));
	for (size_t s = 0; s < n && nout < max; s++) {
		if (!in[s] || done[s])
			continue;
		size_t len = 0;
		ptrdiff_t cur = (ptrdiff_t)s;
		for (;;) {
			ptrdiff_t seen = -1;
			for (size_t k = 0; k < len; k++)
				if (path[k] == cur)
					seen = (ptrdiff_t)k;
			if (seen >= 0 || done[cur]) {
				if (seen >= 0 && !done[cur]) {
					struct watch_cycle *c = &out[nout++];
					memset(c, 0, sizeof(*c));
					for (size_t k = (size_t)seen; k < len &&
					    c->n < WATCH_CYCLE_MAX; k++)
						c->pids[c->n++] = cand[path[k]];
					normalize(c);
					cycle_text(c);
				}
				break;
			}
			path[len++] = cur;
			ptrdiff_t next = -1;
			for (size_t e = 0; e < nwf && next < 0; e++) {
				if (wf[e].from != cand[cur])
					continue;
				ptrdiff_t t = index_of(cand, n, wf[e].to);
				if (t >= 0 && in[t])
					next = t;
			}
			if (next < 0)
				break;      /* not a candidate's shape: no edges */
			cur = next;
		}
		for (size_t k = 0; k < len; k++)
			done[path[k]] = 1;
	}
	free(path);
	free(done);
	free(in);
	return nout;
}
