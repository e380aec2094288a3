#ifndef IPCSCOPE_RING_H
#define IPCSCOPE_RING_H
/*
 * Event rings: the lossless path from scenario processes and threads to the
 * observer. A ring area lives in the shared mapping made by the observer
 * before the first fork; it holds 'nslots' single-producer / single-consumer
 * rings. Each scenario process or thread claims one slot for its lifetime
 * (ring_claim), writes events into it (ring_emit) and releases it when it
 * ends (ring_release); the observer drains every slot (ring_drain) and frees
 * a released slot once it is empty, so slots are reused.
 *
 * Records are 64 bytes; a text follows its record in ceil(len/64) extra
 * records. A full ring makes the writer wait (futex) until the observer has
 * drained it: nothing is ever dropped. Each wait is counted.
 */
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "event/event.h"

#define RING_RECORDS 4096          /* per slot, a power of two */

struct ring_area;

/* Bytes needed for an area of 'nslots' rings. */
size_t ring_area_size(int nslots);

/* Initialise an area in 'mem' (zeroed shared memory of ring_area_size bytes).
 * Returns the area (== mem). Call once, in the observer, before forking. */
struct ring_area *ring_area_init(void *mem, int nslots);

/* Claim a free slot for the calling process or thread. Waits (and counts the
 * wait) while every slot is in use. Returns the slot index. Async-signal
 * safety: none; call from normal context. */
int ring_claim(struct ring_area *ra, pid_t pid, pid_t tid);

/* Append 'ev' (and ev->text, at most EV_TEXT_MAX bytes, cut beyond) to
 * 'slot'. Waits while the ring is full. Only the slot's owner may call it. */
void ring_emit(struct ring_area *ra, int slot, const struct event *ev);

/* The owner is done with 'slot': the observer frees it once drained. */
void ring_release(struct ring_area *ra, int slot);

/* Observer side. Call 'fn' for every complete event in 'slot', in order,
 * then mark them consumed and wake a waiting writer. The struct and its text
 * are valid only during the call. Returns the number of events. */
typedef void (*ring_event_fn)(void *ud, const struct event *ev);
size_t ring_drain(struct ring_area *ra, int slot, ring_event_fn fn, void *ud);

/* Observer side: drain every slot. Returns the number of events. */
size_t ring_drain_all(struct ring_area *ra, ring_event_fn fn, void *ud);

/* Observer side: a process died without releasing its slots (SIGKILL,
 * crash): release every slot owned by 'pid' (its threads too). Events it
 * had completed are still drained. */
void ring_release_pid(struct ring_area *ra, pid_t pid);

/* Observer side: an eventfd (or pipe write end) that a writer pokes when it
 * must wait for space, so the observer drains at once; -1 for none. Set
 * before forking. */
void ring_set_wake_fd(struct ring_area *ra, int fd);

/* Owner pid of 'slot' (0 when free). */
pid_t ring_slot_pid(const struct ring_area *ra, int slot);

/* Number of slots; times writers waited on a full ring or for a free slot. */
int ring_nslots(const struct ring_area *ra);
uint64_t ring_waits(const struct ring_area *ra);

#endif
