/* Queues: a kernel pipe per queue, robust process-shared locks, a semaphore
 * for maxsize, counters in the shared region. See queue.h. */
#include "runtime/queue.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "runtime/clock.h"
#include "runtime/runtime_int.h"
#include "util/futex.h"
#include "util/xmem.h"

#define QUEUE_PIPE_BYTES (256 * 1024)
#define QUEUE_READAHEAD  (64 * 1024)
#define FRAME_SMALL      516       /* frames this long go on the stack */

/* Bytes a reader took from a queue's pipe beyond the message it wanted:
 * still in the queue, in order, for whoever holds the read lock next (so
 * a get usually costs no system call). One per queue, in a shared mapping
 * made by queue_startup before any fork. 'off' only moves forward while a
 * message is taken, so a reader killed meanwhile loses at most that one. */
struct readahead {
	uint32_t off, len;
	char data[QUEUE_READAHEAD];
};

static struct readahead *readaheads;   /* [nobjs], NULL if none */

static struct readahead *
rah(int obj)
{
	return readaheads ? &readaheads[obj] : NULL;
}

static struct shared_queue *
shq(struct actor *a, int obj)
{
	return &a->sh->objs[obj].q;
}

/* Absolute CLOCK_MONOTONIC time 'slice_ns' from now. */
static struct timespec
mono_after(int64_t slice_ns)
{
	int64_t t = mono_ns() + slice_ns;

	return (struct timespec){ .tv_sec = t / 1000000000, .tv_nsec = t % 1000000000 };
}

/* Lock a robust mutex, waiting at most 'slice_ns' (-1: no limit); a lock
 * whose owner died is taken over. Returns 0 or ETIMEDOUT. */
static int
lock_robust(pthread_mutex_t *m, int64_t slice_ns)
{
	int r;

	if (slice_ns < 0) {
		r = pthread_mutex_lock(m);
	} else {
		struct timespec ts = mono_after(slice_ns);
		r = pthread_mutex_clocklock(m, CLOCK_MONOTONIC, &ts);
	}
	if (r == EOWNERDEAD) {
		pthread_mutex_consistent(m);
		r = 0;
	}
	return r;
}

static int
trylock_robust(pthread_mutex_t *m)
{
	int r = pthread_mutex_trylock(m);

	if (r == EOWNERDEAD) {
		pthread_mutex_consistent(m);
		r = 0;
	}
	return r;
}

static int
init_robust(pthread_mutex_t *m)
{
	pthread_mutexattr_t at;
	int r;

	pthread_mutexattr_init(&at);
	pthread_mutexattr_setpshared(&at, PTHREAD_PROCESS_SHARED);
	pthread_mutexattr_setrobust(&at, PTHREAD_MUTEX_ROBUST);
	r = pthread_mutex_init(m, &at);
	pthread_mutexattr_destroy(&at);
	return r;
}

int
queue_startup(struct actor *main_actor)
{
	struct actor *a = main_actor;
	bool any = false;

	for (int o = 0; o < a->sc->nobjs; o++)
		any |= a->sc->objs[o].kind == SC_QUEUE;
	if (any) {
		/* untouched pages cost nothing: a buffer is used only when read */
		void *m = mmap(NULL, (size_t)a->sc->nobjs * sizeof *readaheads,
		    PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		readaheads = m == MAP_FAILED ? NULL : m;
	}
	for (int o = 0; o < a->sc->nobjs; o++) {
		if (a->sc->objs[o].kind != SC_QUEUE)
			continue;
		struct shared_queue *q = shq(a, o);
		if (pipe2(q->fds, O_NONBLOCK) < 0) {
			int e = errno;
			actor_error(a, "OSError", "[Errno %d] %s", e, strerror(e));
			return -1;
		}
		fcntl(q->fds[1], F_SETPIPE_SZ, QUEUE_PIPE_BYTES);   /* best effort */
		init_robust(&q->rlock);
		init_robust(&q->wlock);
		int maxsize = a->sc->objs[o].u.q.maxsize;
		sem_init(&q->slots, 1, maxsize > 0 ? (unsigned)maxsize : 0);
	}
	return 0;
}

/* Wait for a free slot of a bounded queue. Returns false on timeout. */
static bool
wait_slot(struct actor *a, int obj, struct shared_queue *q, int64_t timeout_ns)
{
	if (sem_trywait(&q->slots) == 0)
		return true;
	int64_t deadline = actor_deadline(a, timeout_ns);
	bool ok = false;

	atomic_fetch_add(&q->blocked_put, 1);
	actor_block(a, obj, WAIT_PUT, -1, timeout_ns >= 0);
	for (;;) {
		int64_t slice = actor_wait_slice(a, deadline);
		int r;
		if (slice == 0)
			break;
		if (slice < 0) {
			r = sem_wait(&q->slots);
		} else {
			struct timespec ts = mono_after(slice);
			r = sem_clockwait(&q->slots, CLOCK_MONOTONIC, &ts);
		}
		if (r == 0) {
			ok = true;
			break;
		}
	}
	atomic_fetch_sub(&q->blocked_put, 1);
	actor_unblock(a, obj, WAIT_PUT, ok ? OUT_OK : OUT_TIMEOUT);
	return ok;
}

enum step_rc
queue_put(struct actor *a, int obj, const char *msg, size_t len, int64_t timeout_ns)
{
	struct shared_queue *q = shq(a, obj);
	int maxsize = a->sc->objs[obj].u.q.maxsize;
	unsigned char small[FRAME_SMALL];
	unsigned char *frame = len + 4 <= sizeof small ? small : xmalloc(len + 4);

	if (maxsize > 0 && !wait_slot(a, obj, q, timeout_ns)) {
		if (frame != small)
			free(frame);
		return actor_error(a, "queue.Full", "%s", "");
	}
	frame[0] = (unsigned char)(len >> 24);
	frame[1] = (unsigned char)(len >> 16);
	frame[2] = (unsigned char)(len >> 8);
	frame[3] = (unsigned char)len;
	memcpy(frame + 4, msg, len);

	lock_robust(&q->wlock, -1);
	/* Stamped before the bytes can be read: no get precedes its put. */
	struct io_msg m = { .obj = obj, .op = WAIT_PUT, .nblocked = &q->blocked_put,
		.kind = EV_PUT, .t = mono_ns(), .y = (int64_t)len, .text = msg };
	m.x = atomic_fetch_add(&q->depth, 1) + 1;
	atomic_fetch_add(&q->puts, 1);
	atomic_fetch_add(&q->bytes_in, (int64_t)len);
	int err = io_write_msg(a, q->fds[1], frame, len + 4, &m);
	pthread_mutex_unlock(&q->wlock);
	if (frame != small)
		free(frame);
	if (err) {
		atomic_fetch_sub(&q->depth, 1);
		atomic_fetch_sub(&q->puts, 1);
		atomic_fetch_sub(&q->bytes_in, (int64_t)len);
		if (maxsize > 0)
			sem_post(&q->slots);
		return actor_error(a, "OSError", "[Errno %d] %s", -err, strerror(-err));
	}
	return STEP_RC_OK;
}

/* Wait for a message with the read lock held ('locked': held already);
 * false on timeout (the lock is then not held). */
static bool
wait_message(struct actor *a, int obj, struct shared_queue *q, int64_t timeout_ns, bool locked)
{
	int64_t deadline = actor_deadline(a, timeout_ns);
	bool ok = false;

	atomic_fetch_add(&q->blocked_get, 1);
	actor_block(a, obj, WAIT_GET, -1, timeout_ns >= 0);
	for (;;) {
		int64_t slice = actor_wait_slice(a, deadline);
		if (slice == 0)
			break;
		if (!locked) {
			locked = lock_robust(&q->rlock, slice) == 0;
			continue;
		}
		struct readahead *ra = rah(obj);
		if ((ra && ra->off < ra->len) || io_wait(q->fds[0], POLLIN, slice) > 0) {
			ok = true;
			break;
		}
	}
	if (!ok && locked)
		pthread_mutex_unlock(&q->rlock);
	atomic_fetch_sub(&q->blocked_get, 1);
	actor_unblock(a, obj, WAIT_GET, ok ? OUT_OK : OUT_TIMEOUT);
	return ok;
}

/* Read 'n' bytes of the queue's stream (read lock held): from the
 * read-ahead first, then from the pipe. 'fill': when the read-ahead is
 * empty, refill it with whatever the pipe holds (one read) instead of
 * reading exactly 'n' bytes. Returns the bytes got; -1 with errno EAGAIN
 * when nothing at all was there. */
static ssize_t
stream_read(struct shared_queue *q, struct readahead *ra, void *dst, size_t n, bool fill)
{
	size_t got = 0;

	if (ra && ra->off == ra->len && fill) {
		ssize_t r;
		do
			r = read(q->fds[0], ra->data, sizeof ra->data);
		while (r < 0 && errno == EINTR);
		if (r <= 0)
			return r;
		ra->off = 0;
		ra->len = (uint32_t)r;
	}
	if (ra && ra->off < ra->len) {
		got = ra->len - ra->off < n ? ra->len - ra->off : n;
		memcpy(dst, ra->data + ra->off, got);
		ra->off += (uint32_t)got;
	}
	if (got < n) {
		ssize_t r = io_read_full(q->fds[0], (char *)dst + got, n - got);
		if (r < 0)
			return got ? (ssize_t)got : r;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

enum step_rc
queue_get(struct actor *a, int obj, int64_t timeout_ns)
{
	struct shared_queue *q = shq(a, obj);
	struct readahead *ra = rah(obj);
	unsigned char hdr[4];
	char *msg;
	uint32_t len;
	ssize_t n = -1;

	/* Usually the lock is free and a message is buffered or in the pipe:
	 * no poll, and most often no system call at all. */
	bool locked = trylock_robust(&q->rlock) == 0;
	if (locked) {
		if (ra && ra->off < ra->len) {
			n = stream_read(q, ra, hdr, 4, false);
		} else if (ra) {
			n = stream_read(q, ra, hdr, 4, true);
		} else {
			do
				n = read(q->fds[0], hdr, 4);
			while (n < 0 && errno == EINTR);
			if (n > 0 && n < 4) {
				ssize_t more = io_read_full(q->fds[0], hdr + n, (size_t)(4 - n));
				n = more == 4 - n ? 4 : -2;
			}
		}
	}
	if (n == -1 && (!locked || errno == EAGAIN)) {
		if (!wait_message(a, obj, q, timeout_ns, locked))
			return actor_error(a, "queue.Empty", "%s", "");
		n = stream_read(q, ra, hdr, 4, true);
	}
	len = (uint32_t)hdr[0] << 24 | (uint32_t)hdr[1] << 16 | (uint32_t)hdr[2] << 8 | hdr[3];
	if (n != 4 || len > SC_MAX_MESSAGE) {
		pthread_mutex_unlock(&q->rlock);
		return actor_error(a, "OSError", "queue stream is broken");
	}
	msg = xmalloc(len + 1);
	n = len ? stream_read(q, ra, msg, len, false) : 0;
	pthread_mutex_unlock(&q->rlock);
	if (n != (ssize_t)len) {
		free(msg);
		return actor_error(a, "OSError", "queue stream is broken");
	}
	msg[len] = '\0';
	/* Stamped before the freed slot can let a blocked put go on. */
	int64_t t = mono_ns();
	int64_t depth = atomic_fetch_sub(&q->depth, 1) - 1;
	atomic_fetch_add(&q->gets, 1);
	atomic_fetch_add(&q->bytes_out, (int64_t)len);
	if (a->sc->objs[obj].u.q.maxsize > 0)
		sem_post(&q->slots);
	actor_emit_at(a, t, 0, EV_GET, obj, depth, len, 0, msg);
	actor_set_value(a, msg);
	free(msg);
	return STEP_RC_OK;
}
