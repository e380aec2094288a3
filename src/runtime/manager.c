/* Managers: start-up and shutdown in main, the client side of every op. */
#include "runtime/manager.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "event/event.h"
#include "util/xmem.h"

#define MGR_BLOCK_AFTER_MS 10   /* a reply slower than this counts as blocking */

static struct mgr_entry *mgrs;   /* [nmgr_objs], by object index */
static int nmgr_objs;

const struct mgr_entry *
manager_entry(int obj)
{
	if (obj < 0 || obj >= nmgr_objs || !mgrs[obj].used)
		return NULL;
	return &mgrs[obj];
}

/* ---- per (process, thread) connections ---- */

struct conn_table {
	pid_t pid;          /* the process that opened them (fork copies them) */
	int *fds;           /* [nmgr_objs], -1 when not connected */
};

static pthread_key_t conn_key;
static pthread_once_t conn_once = PTHREAD_ONCE_INIT;

static void
conn_table_free(void *v)
{
	struct conn_table *t = v;

	for (int i = 0; i < nmgr_objs; i++)
		if (t->fds[i] >= 0)
			close(t->fds[i]);
	free(t->fds);
	free(t);
}

static void
conn_key_init(void)
{
	pthread_key_create(&conn_key, conn_table_free);
}

/* This thread's table; a table inherited through fork is dropped (its
 * sockets closed in this process only: the parent keeps its own). */
static struct conn_table *
conn_table(void)
{
	pthread_once(&conn_once, conn_key_init);
	struct conn_table *t = pthread_getspecific(conn_key);
	if (t && t->pid != getpid()) {
		conn_table_free(t);
		t = NULL;
	}
	if (!t) {
		t = xcalloc(1, sizeof *t);
		t->pid = getpid();
		t->fds = xmalloc((size_t)(nmgr_objs > 0 ? nmgr_objs : 1) * sizeof *t->fds);
		for (int i = 0; i < nmgr_objs; i++)
			t->fds[i] = -1;
		pthread_setspecific(conn_key, t);
	}
	return t;
}

static int
connect_to(const struct mgr_entry *e)
{
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -1;
	if (connect(fd, (const struct sockaddr *)&e->addr, e->addrlen) < 0) {
		int err = errno;
		close(fd);
		errno = err;
		return -1;
	}
	/* A reply slower than this counts as blocking (see roundtrip). */
	struct timeval tv = { 0, MGR_BLOCK_AFTER_MS * 1000 };
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	return fd;
}

static void
conn_drop(int obj)
{
	struct conn_table *t = conn_table();

	if (t->fds[obj] >= 0)
		close(t->fds[obj]);
	t->fds[obj] = -1;
}

/* ---- ops ---- */

static const char *const errno_names[] = {
	[ECONNREFUSED] = "ConnectionRefusedError", [ENOENT] = "FileNotFoundError",
	[EPIPE] = "BrokenPipeError", [ECONNRESET] = "ConnectionResetError",
};

static enum step_rc
os_error(struct actor *a, int err)
{
	const char *type = err > 0 && (size_t)err < sizeof errno_names / sizeof *errno_names &&
	    errno_names[err] ? errno_names[err] : "OSError";
	return actor_error(a, type, "[Errno %d] %s", err, strerror(err));
}

/* One request / response on this thread's connection. */
static char *
roundtrip(struct actor *a, const struct mgr_entry *e, const void *hdr, size_t nh,
    const char *val, size_t nv, size_t *n, int *err)
{
	struct conn_table *t = conn_table();
	int fd = t->fds[e->obj];

	*err = 0;
	if (fd < 0) {
		fd = connect_to(e);
		if (fd < 0) {
			*err = errno;
			return NULL;
		}
		t->fds[e->obj] = fd;
	}
	if (manager_send_msg(fd, hdr, nh, val, nv) < 0) {
		*err = errno ? errno : EPIPE;
		conn_drop(e->obj);
		return NULL;
	}
	/* The first read waits at most MGR_BLOCK_AFTER_MS (SO_RCVTIMEO) and
	 * usually takes the whole reply; a slower reply is a visible block. */
	char first[MGR_RECV_FIRST];
	ssize_t got;
	do
		got = recv(fd, first, sizeof first, 0);
	while (got < 0 && errno == EINTR);
	bool blocked = got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK);
	if (blocked)
		actor_block(a, e->obj, WAIT_MGR,
		    atomic_load(&a->sh->objs[e->obj].mgr.server_pid), false);
	char *resp = got > 0 ? manager_recv_more(fd, first, (size_t)got, SIZE_MAX, n) :
	    got < 0 ? manager_recv_msg(fd, SIZE_MAX, n) : NULL;
	if (blocked)
		actor_unblock(a, e->obj, WAIT_MGR, resp ? OUT_OK : OUT_ERROR);
	if (!resp) {
		*err = -1;   /* EOF: the server is gone */
		conn_drop(e->obj);
	}
	return resp;
}

static int
op_of(enum sc_step_kind k)
{
	switch (k) {
	case STEP_DICT_SET: return MGR_DICT_SET;
	case STEP_DICT_GET: return MGR_DICT_GET;
	case STEP_LIST_APPEND: return MGR_LIST_APPEND;
	default: return MGR_LIST_GET;
	}
}

enum step_rc
step_manager_op(struct actor *a, const struct sc_step *st)
{
	const struct mgr_entry *e = manager_entry(st->obj);
	int op = op_of(st->kind);
	bool has_key = st->key != NULL && (op == MGR_DICT_SET || op == MGR_DICT_GET);
	char *key = xmalloc(SC_MAX_MESSAGE + 2), *val = xmalloc(SC_MAX_MESSAGE + 2);
	size_t nk = 0, nv = 0, n;
	enum step_rc rc = STEP_RC_OK;
	int err;

	key[0] = val[0] = '\0';
	if (!e) {
		rc = actor_error(a, "ConnectionRefusedError", "[Errno 111] Connection refused");
		goto out;
	}
	if (has_key)
		nk = interp_expand(a, st->key, key, SC_MAX_MESSAGE + 2);
	if ((op == MGR_DICT_SET || op == MGR_LIST_APPEND) && st->text)
		nv = interp_expand(a, st->text, val, SC_MAX_MESSAGE + 2);
	if (nk > SC_MAX_MESSAGE || nv > SC_MAX_MESSAGE) {   /* not cut: an error */
		rc = actor_error(a, "ValueError", "message too long after expansion "
		    "(more than %d bytes)", SC_MAX_MESSAGE);
		goto out;
	}
	uint8_t hdr[8] = { (uint8_t)op, has_key };
	uint32_t klen = (uint32_t)nk;
	memcpy(hdr + 4, &klen, 4);
	/* key and value travel as one block after the header */
	char *kv = xmalloc(nk + nv + 1);
	memcpy(kv, key, nk);
	memcpy(kv + nk, val, nv);
	char *resp = roundtrip(a, e, hdr, sizeof hdr, kv, nk + nv, &n, &err);
	free(kv);
	if (!resp) {
		rc = err > 0 ? os_error(a, err) : actor_error(a, "EOFError", "%s", "");
		goto out;
	}
	int64_t size = 0;
	if (n >= 16)
		memcpy(&size, resp + 8, sizeof size);
	const char *text = n > 16 ? resp + 16 : "";
	if (n < 16 || resp[0] == MGR_BADOP) {
		rc = actor_error(a, "RuntimeError", "bad reply from the manager");
	} else if (resp[0] == MGR_KEYERROR) {
		rc = actor_error(a, "KeyError", "%s", text);
	} else {
		char *evtext = NULL;
		switch (op) {
		case MGR_DICT_SET: evtext = xasprintf("%s=%s", key, val); break;
		case MGR_DICT_GET:
			evtext = has_key ? xasprintf("%s=%s", key, text) : xstrdup(text);
			actor_set_value(a, text);
			break;
		case MGR_LIST_APPEND: evtext = xasprintf("%lld=%s", (long long)size - 1, val); break;
		default:
			evtext = xstrdup(text);
			actor_set_value(a, text);
			break;
		}
		actor_emit(a, EV_MGR_OP, st->obj, op, size, 0, evtext);
		free(evtext);
	}
	free(resp);
out:
	free(key);
	free(val);
	return rc;
}

/* ---- lifecycle (main) ---- */

static int
listen_on(struct mgr_entry *e, const struct shared *sh, int index)
{
	pid_t obs = atomic_load(&((struct shared *)(uintptr_t)sh)->observer_pid);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int len;

	if (fd < 0)
		return -1;
	memset(&e->addr, 0, sizeof e->addr);
	e->addr.sun_family = AF_UNIX;
	/* abstract namespace: sun_path[0] == 0, no file anywhere */
	len = snprintf(e->addr.sun_path + 1, sizeof e->addr.sun_path - 1,
	    "ipcscope-%d-%d-manager-%d", (int)obs, (int)getpid(), index);
	e->addrlen = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + (size_t)len);
	if (bind(fd, (const struct sockaddr *)&e->addr, e->addrlen) < 0 || listen(fd, 128) < 0) {
		close(fd);
		return -1;
	}
	return fd;
}

void
manager_startup(struct actor *main_actor)
{
	const struct scenario *sc = main_actor->sc;
	int count = 0, index = 0;

	nmgr_objs = sc->nobjs;
	mgrs = xcalloc((size_t)(sc->nobjs > 0 ? sc->nobjs : 1), sizeof *mgrs);
	for (int i = 0; i < sc->nobjs; i++)
		count += sc->objs[i].kind == SC_MANAGER;
	for (int i = 0; i < sc->nobjs; i++) {
		if (sc->objs[i].kind != SC_MANAGER)
			continue;
		struct mgr_entry *e = &mgrs[i];
		e->obj = i;
		e->listen_fd = listen_on(e, main_actor->sh, index++);
		if (e->listen_fd < 0) {
			actor_emit(main_actor, EV_ERROR, i, 1, 0, 0, "OSError: the manager cannot listen");
			continue;
		}
		char name[16];
		const char *nm = count == 1 ? "manager" : sc->objs[i].name;
		size_t nl = strnlen(nm, sizeof name - 1);
		memcpy(name, nm, nl);   /* PR_SET_NAME keeps 15 bytes */
		name[nl] = '\0';
		pid_t pid = proc_spawn(main_actor, name, ROLE_MANAGER, i, 0, manager_server_main, e);
		close(e->listen_fd);   /* the server has it; later children must not */
		e->listen_fd = -1;
		if (pid < 0) {
			actor_emit(main_actor, EV_ERROR, i, 1, 0, 0, "OSError: cannot start the manager");
			continue;
		}
		atomic_store(&main_actor->sh->objs[i].mgr.server_pid, pid);
		e->used = true;
	}
}

void
manager_shutdown(struct actor *main_actor)
{
	for (int i = 0; i < nmgr_objs; i++) {
		struct mgr_entry *e = &mgrs[i];
		if (!e->used)
			continue;
		pid_t pid = atomic_load(&main_actor->sh->objs[i].mgr.server_pid);
		conn_drop(i);
		int fd = connect_to(e);
		bool ok = false;
		if (fd >= 0) {
			uint8_t hdr[8] = { MGR_WIRE_SHUTDOWN };
			size_t n;
			if (manager_send_msg(fd, hdr, sizeof hdr, NULL, 0) == 0) {
				char *r = manager_recv_msg(fd, 1 << 20, &n);
				ok = r != NULL;
				free(r);
			}
			close(fd);
		}
		if (!ok && pid > 0)
			kill(pid, SIGTERM);
		if (pid > 0)
			proc_join(main_actor, i, pid, -1);
		e->used = false;
	}
}
