#include "observe/deadlock.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event/event.h"
#include "observe/reaper.h"
#include "util/xmem.h"

#define DL_MAX 128     /* blocked actors described at most */

struct dl {
	const struct scenario *sc;
	struct shared *sh;
	int idx[DL_MAX];   /* blocked user actors (indexes into sh->actors) */
	int n;
	char *out;
	size_t len, used;
};

static void
out(struct dl *d, const char *fmt, ...)
{
	va_list ap;

	if (d->used >= d->len)
		return;
	va_start(ap, fmt);
	int k = vsnprintf(d->out + d->used, d->len - d->used, fmt, ap);
	va_end(ap);
	if (k > 0)
		d->used += (size_t)k < d->len - d->used ? (size_t)k : d->len - d->used - 1;
}

static bool
is_user_actor(const struct shared_actor *a)
{
	int role = atomic_load(&a->role);

	if (atomic_load(&a->is_thread))
		return role == TROLE_USER;
	return role == ROLE_MAIN || role == ROLE_PROCESS || role == ROLE_WORKER;
}

/* Does function 'f' (or a function it calls) have a step of 'kind' on 'obj'
 * (and, for pipes, on an end other than 'not_end')? */
static bool
reaches(const struct scenario *sc, int f, int kind, int obj, int not_end, char *seen)
{
	if (f < 0 || f >= sc->nobjs || sc->objs[f].kind != SC_FUNCTION || seen[f])
		return false;
	seen[f] = 1;
	const struct sc_function *fn = &sc->objs[f].u.fn;
	for (int i = 0; i < fn->nsteps; i++) {
		const struct sc_step *st = &fn->steps[i];
		if ((int)st->kind == kind && st->obj == obj && (not_end < 0 || st->end != not_end))
			return true;
		if (st->kind == STEP_CALL && reaches(sc, st->func, kind, obj, not_end, seen))
			return true;
	}
	return false;
}

static bool
is_submit(enum sc_step_kind k)
{
	return k == STEP_APPLY || k == STEP_APPLY_ASYNC || k == STEP_MAP ||
	    k == STEP_MAP_ASYNC || k == STEP_IMAP || k == STEP_IMAP_UNORDERED;
}

/* Can actor 'a' do a step of 'kind' on 'obj'? Judged from the functions it
 * runs: main's, its process's or thread's, or the tasks of its pool. */
static bool
actor_can(const struct dl *d, const struct shared_actor *a, int kind, int obj, int not_end)
{
	const struct scenario *sc = d->sc;
	int def = atomic_load(&a->obj), role = atomic_load(&a->role);
	char *seen = xcalloc((size_t)sc->nobjs + 1, 1);
	bool yes = false;

	if (!atomic_load(&a->is_thread) && role == ROLE_MAIN) {
		yes = reaches(sc, sc->main_func, kind, obj, not_end, seen);
	} else if (def >= 0 && def < sc->nobjs && sc->objs[def].kind == SC_PROCESS) {
		yes = reaches(sc, sc->objs[def].u.proc.func, kind, obj, not_end, seen);
	} else if (def >= 0 && def < sc->nobjs && sc->objs[def].kind == SC_THREAD) {
		yes = reaches(sc, sc->objs[def].u.thr.func, kind, obj, not_end, seen);
	} else if (def >= 0 && def < sc->nobjs && sc->objs[def].kind == SC_POOL) {
		for (int f = 0; f < sc->nobjs && !yes; f++) {
			if (sc->objs[f].kind != SC_FUNCTION)
				continue;
			const struct sc_function *fn = &sc->objs[f].u.fn;
			for (int i = 0; i < fn->nsteps && !yes; i++)
				if (is_submit(fn->steps[i].kind) && fn->steps[i].obj == def)
					yes = reaches(sc, fn->steps[i].func, kind, obj, not_end, seen);
		}
	}
	free(seen);
	return yes;
}

/* Could live actor 'v' wake blocked actor 'u'? (For a pipe, the end 'u'
 * waits on is not in the shared state, so anyone who sends on the pipe
 * counts as a feeder of a recv.) */
static bool
feeds(const struct dl *d, const struct shared_actor *u, const struct shared_actor *v)
{
	int obj = atomic_load(&u->wait_obj), op = atomic_load(&u->wait_op);
	int peer = atomic_load(&u->wait_peer);
	bool pool = obj >= 0 && obj < d->sc->nobjs && d->sc->objs[obj].kind == SC_POOL;

	switch (op) {
	case WAIT_GET: return actor_can(d, v, STEP_PUT, obj, -1);
	case WAIT_PUT: return actor_can(d, v, STEP_GET, obj, -1);
	case WAIT_RECV: return actor_can(d, v, STEP_SEND, obj, -1);
	case WAIT_SEND: return actor_can(d, v, STEP_RECV, obj, -1);
	case WAIT_TASK: return pool && (actor_can(d, v, STEP_APPLY, obj, -1) ||
	    actor_can(d, v, STEP_APPLY_ASYNC, obj, -1) || actor_can(d, v, STEP_MAP, obj, -1) ||
	    actor_can(d, v, STEP_MAP_ASYNC, obj, -1) || actor_can(d, v, STEP_IMAP, obj, -1) ||
	    actor_can(d, v, STEP_IMAP_UNORDERED, obj, -1));
	case WAIT_JOIN:
	case WAIT_RESULT:
		if (pool)
			return !atomic_load(&v->is_thread) && atomic_load(&v->role) == ROLE_WORKER &&
			    atomic_load(&v->obj) == obj;
		if (peer > 0)
			return atomic_load(&v->is_thread) ? atomic_load(&v->tid) == peer :
			    atomic_load(&v->pid) == peer;
		return false;
	default:
		return false;
	}
}

static const char *
feed_verb(int op)
{
	switch (op) {
	case WAIT_GET: return "puts to";
	case WAIT_PUT: return "gets from";
	case WAIT_RECV: return "sends on";
	case WAIT_SEND: return "receives on";
	case WAIT_TASK: return "submits to";
	default: return "feeds";
	}
}

static void
who(struct dl *d, const struct shared_actor *a)
{
	if (atomic_load(&a->is_thread))
		out(d, "thread %s (tid %d in pid %d)", a->name, (int)atomic_load(&a->tid),
		    (int)atomic_load(&a->pid));
	else
		out(d, "%s (pid %d)", a->name, (int)atomic_load(&a->pid));
}

static void
obj_state(struct dl *d, int obj, int op)
{
	const struct scenario *sc = d->sc;

	if (obj < 0 || obj >= sc->nobjs)
		return;
	if (sc->objs[obj].kind == SC_QUEUE) {
		int64_t depth = atomic_load(&d->sh->objs[obj].q.depth);
		if (op == WAIT_GET)
			out(d, " (%s)", depth == 0 ? "empty" : "not empty");
		else
			out(d, " (full, %lld of %d)", (long long)depth, sc->objs[obj].u.q.maxsize);
	} else if (sc->objs[obj].kind == SC_PIPE && op == WAIT_RECV) {
		if (atomic_load(&d->sh->objs[obj].pipe.pending_bytes) == 0)
			out(d, " (nothing in transit)");
	}
}

static void
describe(struct dl *d, int k)
{
	const struct shared_actor *u = &d->sh->actors[d->idx[k]];
	int obj = atomic_load(&u->wait_obj), op = atomic_load(&u->wait_op);
	int peer = atomic_load(&u->wait_peer);
	const struct scenario *sc = d->sc;

	who(d, u);
	out(d, " waits in %s on ", event_wait_name(op));
	if (obj >= 0 && obj < sc->nobjs)
		out(d, "%s %s", sc_kind_name(sc->objs[obj].kind), sc->objs[obj].name);
	else
		out(d, "?");
	if (op == WAIT_JOIN && peer > 0)
		out(d, " (%s %d)", obj >= 0 && obj < sc->nobjs && sc->objs[obj].kind == SC_THREAD ?
		    "tid" : "pid", peer);
	obj_state(d, obj, op);
	if (op == WAIT_JOIN && !(obj >= 0 && obj < sc->nobjs && sc->objs[obj].kind == SC_POOL))
		return;
	/* Who could wake it, among the live user actors. */
	int nf = 0;
	for (int j = 0; j < d->n; j++) {
		const struct shared_actor *v = &d->sh->actors[d->idx[j]];
		if (!feeds(d, u, v))
			continue;
		out(d, nf ? ", " : ", which only ");
		who(d, v);
		nf++;
	}
	if (nf)
		out(d, " %s", nf > 1 ? (op == WAIT_GET ? "put to" : op == WAIT_PUT ? "get from" :
		    op == WAIT_RECV ? "send on" : op == WAIT_SEND ? "receive on" :
		    op == WAIT_TASK ? "submit to" : "feed") : feed_verb(op));
	else
		out(d, ", which no live process %s", feed_verb(op));
}

/* The first blocked actor that could wake actor k, or -1. */
static int
next_in_chain(const struct dl *d, int k)
{
	const struct shared_actor *u = &d->sh->actors[d->idx[k]];

	for (int j = 0; j < d->n; j++)
		if (feeds(d, u, &d->sh->actors[d->idx[j]]))
			return j;
	return -1;
}

/* Is process (or thread) 'pid' alive without a live actor: forked but not
 * yet attached, or detached and exiting? Either way a join on it completes
 * by itself; both windows are long under valgrind or on a loaded machine. */
static bool
in_transition(const struct shared *sh, pid_t pid)
{
	if (pid <= 0 || !reaper_alive(pid))
		return false;
	for (int i = 0; i < sh->nactors; i++) {
		const struct shared_actor *a = &sh->actors[i];
		int st = atomic_load(&a->state);
		if (st != ACT_FREE && st != ACT_EXITED && (atomic_load(&a->is_thread) ?
		    atomic_load(&a->tid) : atomic_load(&a->pid)) == pid)
			return false;
	}
	return true;
}

static bool
blocked_for_good(const struct dl *d, const struct shared_actor *a)
{
	const struct scenario *sc = d->sc;
	int obj = atomic_load(&a->wait_obj), op = atomic_load(&a->wait_op);
	int peer = atomic_load(&a->wait_peer);

	if (atomic_load(&a->state) != ACT_BLOCKED || atomic_load(&a->timed))
		return false;
	if (op == WAIT_MGR)
		return false;               /* the manager server answers */
	if (op == WAIT_JOIN && in_transition(d->sh, peer))
		return false;
	if (obj < 0 || obj >= sc->nobjs)
		return op == WAIT_JOIN && peer > 0 && reaper_alive(peer);
	const union shared_obj *o = &d->sh->objs[obj];
	switch (sc->objs[obj].kind) {
	case SC_QUEUE:
		if (op == WAIT_GET && atomic_load(&o->q.depth) > 0)
			return false;
		if (op == WAIT_PUT && (sc->objs[obj].u.q.maxsize == 0 ||
		    atomic_load(&o->q.depth) < sc->objs[obj].u.q.maxsize))
			return false;
		return true;
	case SC_PIPE:
		return !(op == WAIT_RECV && atomic_load(&o->pipe.pending_bytes) > 0);
	case SC_POOL:
		/* Queued or running tasks: a worker (maybe a replacement the
		 * worker handler is starting) will get to them. */
		return atomic_load(&o->pool.pending) == 0 && atomic_load(&o->pool.running) == 0;
	case SC_MANAGER:
		return false;               /* the manager server is the runtime's */
	case SC_PROCESS:
	case SC_THREAD:
		/* A join on a process that has ended completes by itself. */
		return peer <= 0 || sc->objs[obj].kind == SC_THREAD || reaper_alive(peer);
	default:
		return true;
	}
}

bool
deadlock_check(const struct scenario *sc, struct shared *sh, int64_t now,
    int64_t quiet_ns, char *chain, size_t len)
{
	struct dl d = { .sc = sc, .sh = sh, .out = chain, .len = len };
	int start = -1;

	for (int i = 0; i < sh->nactors; i++) {
		const struct shared_actor *a = &sh->actors[i];
		int st = atomic_load(&a->state);
		if (st == ACT_FREE || st == ACT_EXITED || !is_user_actor(a))
			continue;
		/* Cheap test first: anyone not blocked rules a deadlock out. */
		if (st != ACT_BLOCKED && reaper_alive(atomic_load(&a->pid)))
			return false;
		if (!reaper_alive(atomic_load(&a->pid)))
			continue;
		if (!blocked_for_good(&d, a) || now - atomic_load(&a->since_ns) < quiet_ns)
			return false;
		/* A process on a CPU is not blocked, whatever its actor says:
		 * it is between steps, or dying (slowly under valgrind). */
		if (!atomic_load(&a->is_thread) && reaper_running(atomic_load(&a->pid)))
			return false;
		if (d.n < DL_MAX) {
			if (start < 0 && !atomic_load(&a->is_thread) && atomic_load(&a->role) == ROLE_MAIN)
				start = d.n;
			d.idx[d.n++] = i;
		}
	}
	if (d.n == 0)
		return false;
	if (len)
		chain[0] = '\0';

	int done[DL_MAX] = { 0 };     /* chain number an actor was described in */
	int k = start >= 0 ? start : 0, chainno = 0;
	for (;;) {
		/* One chain: follow who could wake whom until a repeat or an end. */
		chainno++;
		while (k >= 0 && !done[k]) {
			done[k] = chainno;
			describe(&d, k);
			int nx = next_in_chain(&d, k);
			if (nx >= 0 && done[nx] == chainno) {
				out(&d, " -> cycle");
				break;
			}
			if (nx >= 0 && done[nx]) {
				out(&d, " (see above)");
				break;
			}
			if (nx >= 0)
				out(&d, "; ");
			k = nx;
		}
		k = -1;
		for (int j = 0; j < d.n; j++)
			if (!done[j]) {
				k = j;
				break;
			}
		if (k < 0)
			break;
		out(&d, "; ");
	}
	return true;
}

bool
deadlock_check_partial(const struct scenario *sc, struct shared *sh, int64_t now,
    int64_t quiet_ns, char *chain, size_t len, uint64_t *sig)
{
	struct dl d = { .sc = sc, .sh = sh, .out = chain, .len = len };
	int live[DL_MAX], nlive = 0;
	bool stuck[DL_MAX] = { false };
	bool someone_free = false;    /* running, sleeping, or waiting with a timeout */

	for (int i = 0; i < sh->nactors && nlive < DL_MAX; i++) {
		const struct shared_actor *a = &sh->actors[i];
		int st = atomic_load(&a->state);
		if (st == ACT_FREE || st == ACT_EXITED || !is_user_actor(a))
			continue;
		/* Only blocked actors need /proc to tell alive from dead. */
		if (st == ACT_BLOCKED && !reaper_alive(atomic_load(&a->pid)))
			continue;
		/* An idle pool worker is waiting for work, not stuck. */
		bool bfg = blocked_for_good(&d, a);
		if (!bfg)
			someone_free = true;
		stuck[nlive] = bfg && atomic_load(&a->wait_op) != WAIT_TASK &&
		    now - atomic_load(&a->since_ns) >= quiet_ns;
		live[nlive++] = i;
	}
	/* Everyone blocked for good: that is deadlock_check's case. */
	if (!someone_free)
		return false;
	/* Whoever a live actor that is not stuck could wake is not stuck:
	 * shrink the set to its fixpoint. */
	for (bool changed = true; changed;) {
		changed = false;
		for (int u = 0; u < nlive; u++) {
			if (!stuck[u])
				continue;
			for (int v = 0; v < nlive; v++)
				if (!stuck[v] && feeds(&d, &sh->actors[live[u]], &sh->actors[live[v]])) {
					stuck[u] = false;
					changed = true;
					break;
				}
		}
	}
	/* Describe the stuck group with every live actor as a possible feeder. */
	uint64_t h = 1469598103934665603ULL;
	int first = -1;
	for (int k = 0; k < nlive; k++) {
		d.idx[d.n] = live[k];
		if (stuck[k]) {
			h = (h ^ (uint64_t)atomic_load(&sh->actors[live[k]].tid)) * 1099511628211ULL;
			if (first < 0)
				first = d.n;
		}
		d.n++;
	}
	if (first < 0)
		return false;
	if (len)
		chain[0] = '\0';
	bool any = false;
	for (int k = 0; k < nlive; k++) {
		if (!stuck[k])
			continue;
		if (any)
			out(&d, "; ");
		describe(&d, k);
		any = true;
	}
	out(&d, "; the others go on");
	*sig = h;
	return true;
}
