/* Pipes: socketpair or pipe(2), length-prefixed messages, per-direction
 * counters in the shared region. See pipe.h. Also the non-blocking message
 * I/O that queues share. */
#include "runtime/pipe.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "runtime/runtime_int.h"
#include "util/futex.h"
#include "util/xmem.h"

/* ---- message I/O ---- */

int
io_wait(int fd, short events, int64_t slice_ns)
{
	struct pollfd p = { .fd = fd, .events = events };
	struct timespec ts, *tsp = NULL;

	if (slice_ns >= 0) {
		ts.tv_sec = slice_ns / 1000000000;
		ts.tv_nsec = slice_ns % 1000000000;
		tsp = &ts;
	}
	int r = ppoll(&p, 1, tsp, NULL);
	return r > 0 ? r : 0;
}

static void
emit_msg(struct actor *a, struct io_msg *m)
{
	if (!m->emitted)
		actor_emit_at(a, m->t, 0, m->kind, m->obj, m->x, m->y, 0, m->text);
	m->emitted = true;
}

int
io_write_msg(struct actor *a, int fd, const void *buf, size_t n, struct io_msg *m)
{
	const char *p = buf;
	bool blocked = false;
	int err = 0;

	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w > 0) {
			p += w;
			n -= (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno != EAGAIN) {
			err = -errno;
			break;
		}
		if (!blocked) {
			emit_msg(a, m);
			atomic_fetch_add(m->nblocked, 1);
			actor_block(a, m->obj, m->op, -1, false);
			blocked = true;
		}
		io_wait(fd, POLLOUT, -1);
	}
	if (blocked) {
		atomic_fetch_sub(m->nblocked, 1);
		actor_unblock(a, m->obj, m->op, err ? OUT_ERROR : OUT_OK);
	}
	if (!err)
		emit_msg(a, m);
	return err;
}

ssize_t
io_read_full(int fd, void *buf, size_t n)
{
	char *p = buf;
	size_t got = 0;

	while (got < n) {
		ssize_t r = read(fd, p + got, n - got);
		if (r > 0) {
			got += (size_t)r;
			continue;
		}
		if (r == 0)
			break;
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN)
			return -errno;
		io_wait(fd, POLLIN, -1);
	}
	return (ssize_t)got;
}

/* ---- pipes ---- */

/* Ends this process (and its threads) has closed: [obj * 2 + end].
 * Made in main before any fork, so children inherit the state. */
static bool *closed_here;

static struct shared_pipe *
shp(struct actor *a, int obj)
{
	return &a->sh->objs[obj].pipe;
}

int
pipe_startup(struct actor *main_actor)
{
	struct actor *a = main_actor;

	closed_here = xcalloc((size_t)a->sc->nobjs * 2 + 2, sizeof(*closed_here));
	for (int o = 0; o < a->sc->nobjs; o++) {
		if (a->sc->objs[o].kind != SC_PIPE)
			continue;
		struct shared_pipe *p = shp(a, o);
		int r;
		if (a->sc->objs[o].u.pipe.duplex) {
			r = socketpair(AF_UNIX, SOCK_STREAM, 0, p->fds);
			if (r == 0) {
				fcntl(p->fds[0], F_SETFL, O_NONBLOCK | O_RDWR);
				fcntl(p->fds[1], F_SETFL, O_NONBLOCK | O_RDWR);
			}
		} else {
			/* pipe(2): [0] reads = end a, [1] writes = end b. */
			r = pipe2(p->fds, O_NONBLOCK);
		}
		if (r < 0) {
			int e = errno;
			actor_error(a, "OSError", "[Errno %d] %s", e, strerror(e));
			return -1;
		}
	}
	return 0;
}

static enum step_rc
check_end(struct actor *a, int obj, int end, bool sending)
{
	if (!closed_here || closed_here[obj * 2 + end])
		return actor_error(a, "OSError", "handle is closed");
	if (!a->sc->objs[obj].u.pipe.duplex && end == (sending ? 0 : 1))
		return actor_error(a, "OSError", sending ? "connection is read-only" :
		    "connection is write-only");
	return STEP_RC_OK;
}

enum step_rc
pipe_send(struct actor *a, int obj, int end, const char *msg, size_t len)
{
	struct shared_pipe *p = shp(a, obj);

	if (check_end(a, obj, end, true) != STEP_RC_OK)
		return STEP_RC_ERROR;
	unsigned char small[516];   /* short messages: no allocation */
	unsigned char *frame = len + 4 <= sizeof small ? small : xmalloc(len + 4);
	frame[0] = (unsigned char)(len >> 24);
	frame[1] = (unsigned char)(len >> 16);
	frame[2] = (unsigned char)(len >> 8);
	frame[3] = (unsigned char)len;
	memcpy(frame + 4, msg, len);

	/* Counted and stamped before the bytes can be received. */
	struct io_msg m = { .obj = obj, .op = WAIT_SEND, .nblocked = &p->blocked_send,
		.kind = EV_SEND, .t = mono_ns(), .x = end, .y = (int64_t)len, .text = msg };
	atomic_fetch_add(&p->msgs[end], 1);
	atomic_fetch_add(&p->bytes[end], (int64_t)len);
	atomic_fetch_add(&p->pending_bytes, (int64_t)len);
	int err = io_write_msg(a, p->fds[end], frame, len + 4, &m);
	if (frame != small)
		free(frame);
	if (err) {
		atomic_fetch_sub(&p->msgs[end], 1);
		atomic_fetch_sub(&p->bytes[end], (int64_t)len);
		atomic_fetch_sub(&p->pending_bytes, (int64_t)len);
		if (err == -EPIPE)
			return actor_error(a, "BrokenPipeError", "[Errno 32] Broken pipe");
		if (err == -ECONNRESET)
			return actor_error(a, "ConnectionResetError",
			    "[Errno 104] Connection reset by peer");
		return actor_error(a, "OSError", "[Errno %d] %s", -err, strerror(-err));
	}
	return STEP_RC_OK;
}

/* Wait until end 'fd' is readable (a message, or end of file); false on
 * timeout. */
static bool
wait_readable(struct actor *a, int obj, int fd, int64_t timeout_ns)
{
	struct shared_pipe *p = shp(a, obj);
	int64_t deadline = actor_deadline(a, timeout_ns);
	bool ok = false;

	atomic_fetch_add(&p->blocked_recv, 1);
	actor_block(a, obj, WAIT_RECV, -1, timeout_ns >= 0);
	for (;;) {
		int64_t slice = actor_wait_slice(a, deadline);
		if (slice == 0)
			break;
		if (io_wait(fd, POLLIN, slice) > 0) {
			ok = true;
			break;
		}
	}
	atomic_fetch_sub(&p->blocked_recv, 1);
	actor_unblock(a, obj, WAIT_RECV, ok ? OUT_OK : OUT_TIMEOUT);
	return ok;
}

static enum step_rc
read_error(struct actor *a, ssize_t r)
{
	if (r >= 0)
		return actor_error(a, "EOFError", "%s", "");
	if (r == -ECONNRESET)
		return actor_error(a, "ConnectionResetError",
		    "[Errno 104] Connection reset by peer");
	return actor_error(a, "OSError", "[Errno %d] %s", (int)-r, strerror((int)-r));
}

enum step_rc
pipe_recv(struct actor *a, int obj, int end, int64_t timeout_ns)
{
	struct shared_pipe *p = shp(a, obj);
	unsigned char hdr[4];
	ssize_t r;

	if (check_end(a, obj, end, false) != STEP_RC_OK)
		return STEP_RC_ERROR;
	int fd = p->fds[end];
	/* The ends are non-blocking: try to read first, wait only if empty. */
	do
		r = read(fd, hdr, 4);
	while (r < 0 && errno == EINTR);
	if (r < 0 && errno == EAGAIN) {
		if (!wait_readable(a, obj, fd, timeout_ns))
			return actor_error(a, "TimeoutError", "%s", "");
		r = io_read_full(fd, hdr, 4);
	} else if (r > 0 && r < 4) {
		ssize_t more = io_read_full(fd, hdr + r, (size_t)(4 - r));
		r = more == 4 - r ? 4 : more < 0 ? more : 0;
	} else if (r < 0) {
		r = -errno;
	}
	if (r != 4)
		return read_error(a, r);
	uint32_t len = (uint32_t)hdr[0] << 24 | (uint32_t)hdr[1] << 16 |
	    (uint32_t)hdr[2] << 8 | hdr[3];
	if (len > SC_MAX_MESSAGE)
		return actor_error(a, "OSError", "bad message length %u", len);
	char *msg = xmalloc(len + 1);
	r = io_read_full(fd, msg, len);
	if (r != (ssize_t)len) {
		free(msg);
		return read_error(a, r);
	}
	msg[len] = '\0';
	atomic_fetch_sub(&p->pending_bytes, (int64_t)len);
	actor_emit(a, EV_RECV, obj, end, len, 0, msg);
	actor_set_value(a, msg);
	free(msg);
	return STEP_RC_OK;
}

enum step_rc
pipe_close(struct actor *a, int obj, int end)
{
	struct shared_pipe *p = shp(a, obj);

	if (!closed_here || closed_here[obj * 2 + end])
		return STEP_RC_OK;
	/* Stamped before a reader can see the end of file it may cause. */
	int64_t t = mono_ns();
	closed_here[obj * 2 + end] = true;
	close(p->fds[end]);
	atomic_fetch_add(&p->closed[end], 1);
	actor_emit_at(a, t, 0, EV_PIPE_CLOSE, obj, end, 0, 0, NULL);
	return STEP_RC_OK;
}
