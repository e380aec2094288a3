#include "observe/merge.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/xmem.h"

struct held {
	struct event ev;     /* ev.text unused while held: see 'off' */
	uint64_t seq;        /* order of arrival, breaks ties */
	size_t off;          /* text offset in the arena, when text_len > 0 */
};

struct merge {
	struct held *v;
	size_t n, cap;
	char *arena;         /* texts of held events */
	size_t alen, acap;
	uint64_t seq;
	bool sorted;         /* v[] already in (t, seq) order */
	int64_t frontier;
	uint64_t late;
};

struct merge *
merge_new(void)
{
	struct merge *m = xcalloc(1, sizeof(*m));

	m->sorted = true;
	m->frontier = INT64_MIN;
	return m;
}

void
merge_free(struct merge *m)
{
	if (!m)
		return;
	free(m->v);
	free(m->arena);
	free(m);
}

static size_t
arena_put(struct merge *m, const char *s, size_t len)
{
	size_t off = m->alen;

	if (m->alen + len + 1 > m->acap) {
		size_t cap = m->acap ? m->acap : 4096;
		while (m->alen + len + 1 > cap)
			cap *= 2;
		m->arena = xrealloc(m->arena, cap);
		m->acap = cap;
	}
	memcpy(m->arena + off, s, len);
	m->arena[off + len] = '\0';
	m->alen += len + 1;
	return off;
}

void
merge_add(struct merge *m, const struct event *ev)
{
	struct held *h;

	if (m->n == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 1024;
		m->v = xreallocarray(m->v, m->cap, sizeof(*m->v));
	}
	h = &m->v[m->n];
	h->ev = *ev;
	h->ev.text = NULL;
	h->seq = m->seq++;
	h->off = 0;
	if (ev->text && ev->text_len)
		h->off = arena_put(m, ev->text, ev->text_len);
	else
		h->ev.text_len = 0;
	if (m->n && m->sorted && h->ev.t_ns < m->v[m->n - 1].ev.t_ns)
		m->sorted = false;
	m->n++;
}

static int
held_cmp(const void *x, const void *y)
{
	const struct held *a = x, *b = y;

	if (a->ev.t_ns != b->ev.t_ns)
		return a->ev.t_ns < b->ev.t_ns ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

size_t
merge_deliver(struct merge *m, int64_t cutoff, ring_event_fn fn, void *ud)
{
	size_t k = 0;

	if (!m->n)
		return 0;
	if (!m->sorted) {
		qsort(m->v, m->n, sizeof(*m->v), held_cmp);
		m->sorted = true;
	}
	for (; k < m->n; k++) {
		struct held *h = &m->v[k];
		struct event ev = h->ev;
		if (ev.t_ns > cutoff && ev.t_ns > m->frontier)
			break;
		if (ev.t_ns < m->frontier) {
			ev.t_ns = m->frontier;
			m->late++;
		}
		if (ev.text_len)
			ev.text = m->arena + h->off;
		m->frontier = ev.t_ns;
		fn(ud, &ev);
	}
	if (k == 0)
		return 0;
	/* Keep the rest, with their texts moved to the front of the arena. */
	memmove(m->v, m->v + k, (m->n - k) * sizeof(*m->v));
	m->n -= k;
	if (m->n == 0) {
		m->alen = 0;
	} else {
		char *old = m->arena;
		size_t olen = m->alen;
		m->arena = NULL;
		m->alen = m->acap = 0;
		for (size_t i = 0; i < m->n; i++)
			if (m->v[i].ev.text_len)
				m->v[i].off = arena_put(m, old + m->v[i].off, m->v[i].ev.text_len);
		(void)olen;
		free(old);
	}
	return k;
}

size_t merge_pending(const struct merge *m) { return m->n; }
uint64_t merge_late(const struct merge *m) { return m->late; }
int64_t merge_frontier(const struct merge *m) { return m->frontier; }
