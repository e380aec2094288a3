#include "event/ring.h"

#include <assert.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

#include "util/futex.h"

#define REC_SIZE 64
#define RING_MASK (RING_RECORDS - 1)

_Static_assert((RING_RECORDS & RING_MASK) == 0, "RING_RECORDS must be a power of two");

/* One record as stored. A text follows in 'nfollow' raw records. */
struct ring_rec {
	int64_t t_ns;
	int32_t pid, tid;
	uint16_t kind;
	uint16_t nfollow;
	int32_t obj;
	int64_t a, b, c;
	uint32_t text_len;
	uint32_t pad0;
	uint64_t pad1;
};
_Static_assert(sizeof(struct ring_rec) == REC_SIZE, "record must be 64 bytes");

enum { SLOT_FREE, SLOT_CLAIMED, SLOT_RELEASED };

struct ring {
	_Atomic uint64_t head;            /* written by the producer */
	char pad0[56];
	_Atomic uint64_t tail;            /* written by the consumer */
	_Atomic uint32_t tail_seq;        /* futex: bumped on every drain */
	_Atomic uint32_t writer_waiting;
	char pad1[48];
	_Atomic int32_t pid, tid;
	char pad2[56];
	struct ring_rec recs[RING_RECORDS];
};

/* The slots' states (enum above) are kept together after the rings, not in
 * each ring: finding a free slot then reads a page or two, not one page of
 * every ring (in a freshly forked child each would be a page fault). */
struct ring_area {
	int nslots;
	int wake_fd;
	_Atomic uint64_t waits;
	_Atomic uint32_t slot_seq;        /* futex: bumped when a slot is freed */
	char pad[40];
	struct ring rings[];
	/* then _Atomic int32_t states[nslots] */
};

static _Atomic int32_t *
slot_state(struct ring_area *ra, int slot)
{
	return (_Atomic int32_t *)(void *)&ra->rings[ra->nslots] + slot;
}

size_t
ring_area_size(int nslots)
{
	return sizeof(struct ring_area) + (size_t)nslots * sizeof(struct ring) +
	    (size_t)nslots * sizeof(int32_t);
}

struct ring_area *
ring_area_init(void *mem, int nslots)
{
	struct ring_area *ra = mem;

	assert(nslots > 0);
	ra->nslots = nslots;
	ra->wake_fd = -1;
	return ra;
}

void
ring_set_wake_fd(struct ring_area *ra, int fd)
{
	ra->wake_fd = fd;
}

static void
poke_observer(struct ring_area *ra)
{
	uint64_t one = 1;

	if (ra->wake_fd >= 0 && write(ra->wake_fd, &one, sizeof(one)) < 0) {
		/* eventfd full or gone: the observer's timer drains anyway */
	}
}

int
ring_claim(struct ring_area *ra, pid_t pid, pid_t tid)
{
	for (;;) {
		uint32_t seq = atomic_load(&ra->slot_seq);
		for (int i = 0; i < ra->nslots; i++) {
			struct ring *r = &ra->rings[i];
			_Atomic int32_t *state = slot_state(ra, i);
			int32_t want = SLOT_FREE;
			if (atomic_load_explicit(state, memory_order_relaxed) != SLOT_FREE)
				continue;
			if (atomic_compare_exchange_strong(state, &want, SLOT_CLAIMED)) {
				atomic_store(&r->pid, pid);
				atomic_store(&r->tid, tid);
				return i;
			}
		}
		atomic_fetch_add(&ra->waits, 1);
		poke_observer(ra);
		futex_wait(&ra->slot_seq, seq, 10000000);
	}
}

/* Wait until 'need' records are free in 'r'. */
static void
wait_space(struct ring_area *ra, struct ring *r, uint64_t head, uint32_t need)
{
	bool counted = false;

	for (;;) {
		uint32_t seq = atomic_load(&r->tail_seq);
		uint64_t tail = atomic_load_explicit(&r->tail, memory_order_acquire);
		if (head - tail + need <= RING_RECORDS)
			break;
		if (!counted) {
			atomic_fetch_add(&ra->waits, 1);
			counted = true;
		}
		atomic_store(&r->writer_waiting, 1);
		poke_observer(ra);
		futex_wait(&r->tail_seq, seq, 10000000);
	}
	atomic_store(&r->writer_waiting, 0);
}

void
ring_emit(struct ring_area *ra, int slot, const struct event *ev)
{
	struct ring *r = &ra->rings[slot];
	uint32_t len = ev->text ? ev->text_len : 0;
	uint64_t head = atomic_load_explicit(&r->head, memory_order_relaxed);

	if (len > EV_TEXT_MAX)
		len = EV_TEXT_MAX;
	uint32_t nfollow = (len + REC_SIZE - 1) / REC_SIZE;
	wait_space(ra, r, head, 1 + nfollow);

	struct ring_rec *rec = &r->recs[head & RING_MASK];
	rec->t_ns = ev->t_ns;
	rec->pid = ev->pid;
	rec->tid = ev->tid;
	rec->kind = ev->kind;
	rec->nfollow = (uint16_t)nfollow;
	rec->obj = ev->obj;
	rec->a = ev->a;
	rec->b = ev->b;
	rec->c = ev->c;
	rec->text_len = len;
	for (uint32_t k = 0; k < nfollow; k++) {
		uint32_t off = k * REC_SIZE;
		uint32_t n = len - off < REC_SIZE ? len - off : REC_SIZE;
		memcpy(&r->recs[(head + 1 + k) & RING_MASK], ev->text + off, n);
	}
	atomic_store_explicit(&r->head, head + 1 + nfollow, memory_order_release);
}

void
ring_release(struct ring_area *ra, int slot)
{
	atomic_store(slot_state(ra, slot), SLOT_RELEASED);
}

void
ring_release_pid(struct ring_area *ra, pid_t pid)
{
	for (int i = 0; i < ra->nslots; i++) {
		struct ring *r = &ra->rings[i];
		int32_t want = SLOT_CLAIMED;
		if (atomic_load(&r->pid) == pid)
			atomic_compare_exchange_strong(slot_state(ra, i), &want, SLOT_RELEASED);
	}
}

pid_t
ring_slot_pid(const struct ring_area *ra, int slot)
{
	const struct ring *r = &ra->rings[slot];
	struct ring_area *w = (struct ring_area *)(uintptr_t)ra;

	return atomic_load(slot_state(w, slot)) == SLOT_FREE ? 0 : atomic_load(&r->pid);
}

size_t
ring_drain(struct ring_area *ra, int slot, ring_event_fn fn, void *ud)
{
	static char text[EV_TEXT_MAX + 1];
	struct ring *r = &ra->rings[slot];
	int32_t state = atomic_load(slot_state(ra, slot));
	size_t n = 0;

	if (state == SLOT_FREE)
		return 0;                 /* without touching the ring's pages */
	uint64_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
	uint64_t head = atomic_load_explicit(&r->head, memory_order_acquire);
	while (tail < head) {
		const struct ring_rec *rec = &r->recs[tail & RING_MASK];
		struct event ev = {
			.t_ns = rec->t_ns, .pid = rec->pid, .tid = rec->tid,
			.kind = rec->kind, .obj = rec->obj,
			.a = rec->a, .b = rec->b, .c = rec->c,
			.text_len = rec->text_len, .text = NULL,
		};
		for (uint32_t k = 0; k < rec->nfollow; k++) {
			uint32_t off = k * REC_SIZE;
			uint32_t len = rec->text_len - off < REC_SIZE ? rec->text_len - off : REC_SIZE;
			memcpy(text + off, &r->recs[(tail + 1 + k) & RING_MASK], len);
		}
		if (rec->text_len) {
			text[rec->text_len] = '\0';
			ev.text = text;
		}
		tail += 1 + rec->nfollow;
		fn(ud, &ev);
		n++;
	}
	if (n) {
		atomic_store_explicit(&r->tail, tail, memory_order_release);
		atomic_fetch_add(&r->tail_seq, 1);
		if (atomic_load(&r->writer_waiting))
			futex_wake_all(&r->tail_seq);
	}
	/* A released slot that is empty becomes free for reuse. */
	if (state == SLOT_RELEASED && tail == atomic_load(&r->head)) {
		atomic_store(&r->head, 0);
		atomic_store(&r->tail, 0);
		atomic_store(&r->pid, 0);
		atomic_store(slot_state(ra, slot), SLOT_FREE);
		atomic_fetch_add(&ra->slot_seq, 1);
		futex_wake_all(&ra->slot_seq);
	}
	return n;
}

size_t
ring_drain_all(struct ring_area *ra, ring_event_fn fn, void *ud)
{
	size_t n = 0;

	for (int i = 0; i < ra->nslots; i++)
		n += ring_drain(ra, i, fn, ud);
	return n;
}

int
ring_nslots(const struct ring_area *ra)
{
	return ra->nslots;
}

uint64_t
ring_waits(const struct ring_area *ra)
{
	return atomic_load(&ra->waits);
}
