#include "observe/merge.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/xmem.h"

struct held {
	struct event ev;     /* ev.text unused while held: see 'off' */
	size_t off;          /* text offset in the arena, when text_len > 0 */
};

/* Held events are v[head..n), in arrival order until sorted. Texts live in
 * one arena; it is compacted only when mostly dead, so each text is copied
 * a bounded number of times on average. */
struct merge {
	struct held *v;
	size_t head, n, cap;
	char *arena;
	size_t alen, acap, live;  /* bytes used, allocated, used by held events */
	size_t sorted_n;          /* v[head..sorted_n) is in time order */
	int64_t frontier;
	uint64_t late;
};

struct merge *
merge_new(void)
{
	struct merge *m = xcalloc(1, sizeof(*m));

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
	m->live += len + 1;
	return off;
}

/* Move the held texts to a fresh arena, dropping the dead ones. */
static void
arena_compact(struct merge *m)
{
	char *old = m->arena;

	m->arena = NULL;
	m->alen = m->acap = m->live = 0;
	for (size_t i = m->head; i < m->n; i++)
		if (m->v[i].ev.text_len)
			m->v[i].off = arena_put(m, old + m->v[i].off, m->v[i].ev.text_len);
	free(old);
}

void
merge_add(struct merge *m, const struct event *ev)
{
	struct held *h;

	if (m->n == m->cap) {
		if (m->head > 0) {       /* reuse the room of events handed out */
			memmove(m->v, m->v + m->head, (m->n - m->head) * sizeof(*m->v));
			m->n -= m->head;
			m->sorted_n -= m->head;
			m->head = 0;
		}
		if (m->n == m->cap) {
			m->cap = m->cap ? 2 * m->cap : 1024;
			m->v = xreallocarray(m->v, m->cap, sizeof(*m->v));
		}
	}
	h = &m->v[m->n];
	h->ev = *ev;
	h->ev.text = NULL;
	h->off = 0;
	if (ev->text && ev->text_len)
		h->off = arena_put(m, ev->text, ev->text_len);
	else
		h->ev.text_len = 0;
	if (m->sorted_n == m->n && (m->n == m->head || h->ev.t_ns >= m->v[m->n - 1].ev.t_ns))
		m->sorted_n++;
	m->n++;
}

/* Sort v[from..n) by time, stably. Events arrive as runs already in
 * order (one per ring drained), so neighbouring runs are merged pairwise
 * until one is left: O(n log runs). Ties keep their arrival order because
 * the left run of a pair always arrived first. */
static void
sort_runs(struct merge *m, size_t from)
{
	size_t *bound = NULL, nb = 0, bcap = 0;
	struct held *tmp, *v = m->v;

	for (size_t i = from; i <= m->n; i++) {
		if (i == from || i == m->n || v[i].ev.t_ns < v[i - 1].ev.t_ns) {
			if (nb == bcap) {
				bcap = bcap ? 2 * bcap : 64;
				bound = xreallocarray(bound, bcap, sizeof(*bound));
			}
			bound[nb++] = i;
		}
	}
	if (nb <= 2) {
		free(bound);
		return;
	}
	tmp = xreallocarray(NULL, m->n, sizeof(*tmp));
	struct held *src = v, *dst = tmp;
	while (nb > 2) {                 /* runs are [bound[k], bound[k+1]) */
		size_t out = 0;
		for (size_t k = 0; k + 1 < nb; k += 2) {
			size_t lo = bound[k], mid = bound[k + 1];
			size_t hi = k + 2 < nb ? bound[k + 2] : mid;
			size_t a = lo, b = mid, o = lo;
			while (a < mid && b < hi)
				dst[o++] = src[b].ev.t_ns < src[a].ev.t_ns ? src[b++] : src[a++];
			memcpy(dst + o, src + a, (mid - a) * sizeof(*dst));
			o += mid - a;
			memcpy(dst + o, src + b, (hi - b) * sizeof(*dst));
			bound[out++] = lo;
		}
		bound[out++] = m->n;
		nb = out;
		struct held *sw = src;
		src = dst;
		dst = sw;
	}
	if (src != v)
		memcpy(v + from, src + from, (m->n - from) * sizeof(*v));
	free(tmp);
	free(bound);
}

/* Make v[head..n) sorted: sort what came since the last time, then merge
 * it into the sorted part. New events overlap only the newest sorted ones
 * in time (rings are drained often), so only that overlap is moved. */
static void
sort_new(struct merge *m)
{
	size_t mid = m->sorted_n;

	sort_runs(m, mid);
	if (mid > m->head && m->v[mid].ev.t_ns < m->v[mid - 1].ev.t_ns) {
		/* first sorted event later than the new ones' first: ties stay
		 * before the new events, which were added after them */
		size_t lo = m->head, hi = mid;
		int64_t t = m->v[mid].ev.t_ns;
		while (lo < hi) {
			size_t md = lo + (hi - lo) / 2;
			if (m->v[md].ev.t_ns <= t)
				lo = md + 1;
			else
				hi = md;
		}
		size_t nl = mid - lo;
		struct held *left = xreallocarray(NULL, nl, sizeof(*left));
		memcpy(left, m->v + lo, nl * sizeof(*left));
		size_t a = 0, b = mid, o = lo;
		while (a < nl && b < m->n)
			m->v[o++] = m->v[b].ev.t_ns < left[a].ev.t_ns ? m->v[b++] : left[a++];
		memcpy(m->v + o, left + a, (nl - a) * sizeof(*left));
		free(left);
	}
	m->sorted_n = m->n;
}

size_t
merge_deliver(struct merge *m, int64_t cutoff, ring_event_fn fn, void *ud)
{
	size_t k = m->head;

	if (m->head == m->n)
		return 0;
	if (m->sorted_n < m->n)
		sort_new(m);
	for (; k < m->n; k++) {
		struct held *h = &m->v[k];
		struct event ev = h->ev;
		if (ev.t_ns > cutoff && ev.t_ns > m->frontier)
			break;
		if (ev.t_ns < m->frontier) {
			ev.t_ns = m->frontier;
			m->late++;
		}
		if (ev.text_len) {
			ev.text = m->arena + h->off;
			m->live -= ev.text_len + 1;
		}
		m->frontier = ev.t_ns;
		fn(ud, &ev);
	}
	size_t done = k - m->head;
	m->head = k;
	if (m->head == m->n) {
		m->head = m->n = m->sorted_n = 0;
		m->alen = m->live = 0;
	} else if (m->alen > (1u << 20) && m->alen > 4 * m->live) {
		arena_compact(m);
	}
	return done;
}

size_t merge_pending(const struct merge *m) { return m->n - m->head; }
uint64_t merge_late(const struct merge *m) { return m->late; }
int64_t merge_frontier(const struct merge *m) { return m->frontier; }
