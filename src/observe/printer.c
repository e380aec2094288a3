#include "observe/printer.h"

#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "util/xmem.h"

/* pid / tid -> name, open addressing. */
struct name_ent {
	int32_t id;
	char name[16];
	char col[16];        /* the name column: name padded to 15, a space */
};

#define KIND_COLS 64      /* kinds whose column is kept ready */

struct obj_tally {
	long puts, gets, msgs[2], ops;
	int64_t bytes_in, bytes[2];
	int running, max_running;
};

struct line {
	char *b;
	size_t n, cap;
};

struct printer {
	const struct scenario *sc;
	FILE *out;
	struct name_ent *names;
	size_t ncap, nused;
	struct obj_tally *objs;       /* [sc->nobjs] */
	struct printer_counts c;
	int running_total;
	char **lost;                  /* "task N of pool P: worker W killed by SIGKILL" */
	int nlost;
	struct line ln;               /* the line being written */
	char kcol[KIND_COLS][32];     /* event kind columns ("%-12s "), made once */
	uint8_t klen[KIND_COLS];
};

struct printer *
printer_new(const struct scenario *sc, FILE *timeline)
{
	struct printer *p = xcalloc(1, sizeof(*p));

	p->sc = sc;
	p->out = timeline;
	p->ncap = 256;
	p->names = xcalloc(p->ncap, sizeof(*p->names));
	p->objs = xcalloc(sc->nobjs > 0 ? (size_t)sc->nobjs : 1, sizeof(*p->objs));
	for (int k = 0; k < KIND_COLS; k++)
		p->klen[k] = (uint8_t)snprintf(p->kcol[k], sizeof(p->kcol[k]), "%-12s ",
		    event_kind_name(k));
	return p;
}

void
printer_free(struct printer *p)
{
	if (!p)
		return;
	for (int i = 0; i < p->nlost; i++)
		free(p->lost[i]);
	free(p->lost);
	free(p->ln.b);
	free(p->names);
	free(p->objs);
	free(p);
}

static struct name_ent *
name_slot(struct name_ent *v, size_t cap, int32_t id)
{
	size_t i = ((uint32_t)id * 2654435761u) & (cap - 1);

	while (v[i].id && v[i].id != id)
		i = (i + 1) & (cap - 1);
	return &v[i];
}

static void
name_set(struct printer *p, int32_t id, const char *name)
{
	if (id <= 0 || !name)
		return;
	if (2 * (p->nused + 1) > p->ncap) {
		size_t cap = p->ncap * 2;
		struct name_ent *v = xcalloc(cap, sizeof(*v));
		for (size_t i = 0; i < p->ncap; i++)
			if (p->names[i].id)
				*name_slot(v, cap, p->names[i].id) = p->names[i];
		free(p->names);
		p->names = v;
		p->ncap = cap;
	}
	struct name_ent *e = name_slot(p->names, p->ncap, id);
	if (!e->id)
		p->nused++;
	e->id = id;
	snprintf(e->name, sizeof(e->name), "%s", name);
	size_t n = strlen(e->name);
	memcpy(e->col, e->name, n);
	memset(e->col + n, ' ', sizeof(e->col) - n);
}

static const struct name_ent *
name_ent_get(const struct printer *p, int32_t id)
{
	const struct name_ent *e = name_slot(p->names, p->ncap, id);

	return e->id ? e : NULL;
}

static const char *
name_get(const struct printer *p, int32_t id)
{
	const struct name_ent *e = name_slot(p->names, p->ncap, id);

	return e->id ? e->name : NULL;
}

static const char *
oname(const struct printer *p, int obj)
{
	return obj >= 0 && obj < p->sc->nobjs ? p->sc->objs[obj].name : "?";
}

static const char *
okind(const struct printer *p, int obj)
{
	return obj >= 0 && obj < p->sc->nobjs ? sc_kind_name(p->sc->objs[obj].kind) : "object";
}

static const char *
signame(int sig)
{
	const char *s = sig > 0 ? sigabbrev_np(sig) : NULL;
	return s ? s : "?";
}

/* ---- the timeline line, built in memory (printf costs most of the
 * observer's time per event otherwise) ---- */


static inline void
ln_room(struct line *l, size_t more)
{
	if (l->n + more > l->cap) {
		size_t cap = l->cap ? l->cap : 256;
		while (l->n + more > cap)
			cap *= 2;
		l->b = xrealloc(l->b, cap);
		l->cap = cap;
	}
}

static inline void
ln_mem(struct line *l, const char *s, size_t n)
{
	ln_room(l, n);
	memcpy(l->b + l->n, s, n);
	l->n += n;
}

/* A string literal: its length is known when compiling. */
#define LN_LIT(l, s) ln_mem((l), (s), sizeof(s) - 1)

static void
ln_str(struct line *l, const char *s)
{
	ln_mem(l, s, strlen(s));
}

static void
ln_ch(struct line *l, char c)
{
	ln_room(l, 1);
	l->b[l->n++] = c;
}

/* 's' padded with spaces on the right to 'width' (printf "%-Ns"). */
static void
ln_left(struct line *l, const char *s, size_t width)
{
	size_t n = strlen(s);

	ln_mem(l, s, n);
	if (n < width) {
		ln_room(l, width - n);
		memset(l->b + l->n, ' ', width - n);
		l->n += width - n;
	}
}

static const char digit_pairs[201] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

/* 'v' in decimal, right-aligned to 'width', padded with zeros or spaces
 * (printf "%Nd" / "%0Nd"). */
static void
ln_int(struct line *l, int64_t v, int width, bool zeros)
{
	bool neg = v < 0;
	uint64_t u = neg ? 0 - (uint64_t)v : (uint64_t)v;
	int k = 1;

	for (uint64_t x = u; x >= 10; x /= 10)
		k++;
	int len = k + neg, pad = width > len ? width - len : 0;
	ln_room(l, (size_t)(len + pad));
	char *o = l->b + l->n;
	if (!zeros)
		for (int i = 0; i < pad; i++)
			*o++ = ' ';
	if (neg)
		*o++ = '-';
	if (zeros)
		for (int i = 0; i < pad; i++)
			*o++ = '0';
	char *d = o + k;
	l->n = (size_t)(d - l->b);
	while (u >= 100) {
		d -= 2;
		d[0] = digit_pairs[2 * (u % 100)];
		d[1] = digit_pairs[2 * (u % 100) + 1];
		u /= 100;
	}
	if (u >= 10) {
		d[-2] = digit_pairs[2 * u];
		d[-1] = digit_pairs[2 * u + 1];
	} else {
		d[-1] = (char)('0' + u);
	}
}

/* The line's first columns, "%4d.%06d %7d " of seconds, microseconds and
 * pid: the common case (0 <= time < 10000 s, 0 <= pid < 10^7) without
 * loops or divisions by a variable. */
static void
ln_time_pid(struct line *l, int64_t t_ns, int32_t pid)
{
	if (t_ns < 0 || t_ns >= 10000 * 1000000000LL || pid < 0 || pid > 9999999) {
		ln_int(l, t_ns / 1000000000, 4, false);
		ln_ch(l, '.');
		ln_int(l, (t_ns / 1000) % 1000000, 6, true);
		ln_ch(l, ' ');
		ln_int(l, pid, 7, false);
		ln_ch(l, ' ');
		return;
	}
	uint32_t sec = (uint32_t)(t_ns / 1000000000);
	uint32_t us = (uint32_t)((t_ns / 1000) % 1000000);
	uint32_t id = (uint32_t)pid;
	char c[21];

	memset(c, ' ', sizeof c);
	c[3] = (char)('0' + sec % 10);
	if (sec >= 10)
		c[2] = (char)('0' + sec / 10 % 10);
	if (sec >= 100)
		c[1] = (char)('0' + sec / 100 % 10);
	if (sec >= 1000)
		c[0] = (char)('0' + sec / 1000);
	c[4] = '.';
	memcpy(c + 5, digit_pairs + 2 * (us / 10000), 2);
	memcpy(c + 7, digit_pairs + 2 * (us / 100 % 100), 2);
	memcpy(c + 9, digit_pairs + 2 * (us % 100), 2);
	/* c[11] is the space; the pid right-aligned in c[12..18]; c[19] space */
	int k = 18;
	do {
		c[k--] = (char)('0' + id % 10);
		id /= 10;
	} while (id);
	ln_mem(l, c, 20);
}

static void
ln_i64(struct line *l, int64_t v)
{
	ln_int(l, v, 0, false);
}

/* Write 's' readably: control characters escaped, optionally quoted. */
static void
put_text(struct line *l, const char *s, size_t len, bool quoted)
{
	static const char hex[] = "0123456789abcdef";

	ln_room(l, 4 * len + 2);
	char *o = l->b + l->n;
	if (quoted)
		*o++ = '\'';
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c != 0x7f) {
			*o++ = (char)c;
		} else if (c == '\n') {
			*o++ = '\\';
			*o++ = 'n';
		} else if (c == '\t') {
			*o++ = '\\';
			*o++ = 't';
		} else {
			*o++ = '\\';
			*o++ = 'x';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	if (quoted)
		*o++ = '\'';
	l->n = (size_t)(o - l->b);
}

static void
tally(struct printer *p, const struct event *ev)
{
	struct obj_tally *o = ev->obj >= 0 && ev->obj < p->sc->nobjs ? &p->objs[ev->obj] : NULL;

	p->c.events++;
	switch (ev->kind) {
	case EV_SPAWN:
		p->c.processes++;
		if (ev->text_len)
			name_set(p, ev->pid, ev->text);
		break;
	case EV_THREAD_START:
		p->c.threads++;
		if (ev->text_len)
			name_set(p, ev->tid, ev->text);
		break;
	case EV_PUT:
		if (o) { o->puts++; o->bytes_in += ev->b; }
		break;
	case EV_GET:
		if (o) o->gets++;
		break;
	case EV_SEND:
		if (o && ev->a >= 0 && ev->a < 2) { o->msgs[ev->a]++; o->bytes[ev->a] += ev->b; }
		break;
	case EV_MGR_OP:
		if (o) o->ops++;
		break;
	case EV_SUBMIT:
		p->c.tasks_submitted++;
		break;
	case EV_TASK_START:
		if (o && ++o->running > o->max_running)
			o->max_running = o->running;
		if (o && o->running > p->c.max_tasks_running)
			p->c.max_tasks_running = o->running;
		break;
	case EV_TASK_END:
		if (o && o->running > 0)
			o->running--;
		if (ev->c)
			p->c.tasks_failed++;
		else
			p->c.tasks_done++;
		break;
	case EV_LOST:
		if (o && o->running > 0)
			o->running--;
		p->c.tasks_lost++;
		p->lost = xreallocarray(p->lost, (size_t)p->nlost + 1, sizeof(*p->lost));
		p->lost[p->nlost++] = xasprintf("task %" PRId64 " of pool %s: worker pid %" PRId64
		    " killed by SIG%s", ev->a, oname(p, ev->obj), ev->b, signame((int)ev->c));
		break;
	case EV_CALLBACK:
		p->c.callbacks++;
		break;
	case EV_PRINT:
		p->c.prints++;
		break;
	case EV_ERROR:
		p->c.errors++;
		break;
	default:
		break;
	}
}

#define ln_obj(l, what, p, obj) (LN_LIT(l, what), ln_str((l), oname((p), (obj))))

static void
ln_end(struct line *l, const struct printer *p, const struct event *ev)
{
	ln_obj(l, "pipe ", p, ev->obj);
	ln_ch(l, '.');
	ln_ch(l, ev->a ? 'b' : 'a');
}

static void
ln_task(struct line *l, const struct printer *p, const struct event *ev)
{
	ln_obj(l, "pool ", p, ev->obj);
	LN_LIT(l, " task ");
	ln_i64(l, ev->a);
}

static void
details(struct printer *p, struct line *l, const struct event *ev)
{
	bool text_shown = false;
	const char *text = ev->text ? ev->text : "";

	switch (ev->kind) {
	case EV_SPAWN:
		ln_str(l, event_role_name((int)ev->b));
		LN_LIT(l, " ppid=");
		ln_i64(l, ev->a);
		text_shown = true;
		break;
	case EV_EXIT:
		LN_LIT(l, "exitcode ");
		ln_i64(l, ev->a);
		if (ev->a < 0) {
			LN_LIT(l, " (killed by SIG");
			ln_str(l, signame((int)-ev->a));
			ln_ch(l, ')');
		}
		break;
	case EV_REAP:
		LN_LIT(l, "joined child ");
		ln_i64(l, ev->a);
		LN_LIT(l, " (");
		ln_str(l, name_get(p, (int32_t)ev->a) ? name_get(p, (int32_t)ev->a) : "?");
		ln_ch(l, ')');
		break;
	case EV_THREAD_START:
	case EV_THREAD_END:
		ln_str(l, event_thread_role_name((int)ev->a));
		LN_LIT(l, " tid ");
		ln_i64(l, ev->tid);
		text_shown = true;
		break;
	case EV_PUT:
	case EV_GET:
		ln_obj(l, "queue ", p, ev->obj);
		ln_ch(l, ' ');
		put_text(l, text, ev->text_len, true);
		LN_LIT(l, " depth=");
		ln_i64(l, ev->a);
		text_shown = true;
		break;
	case EV_BLOCK:
	case EV_UNBLOCK:
		ln_str(l, event_wait_name((int)ev->a));
		LN_LIT(l, " on ");
		ln_str(l, okind(p, ev->obj));
		ln_ch(l, ' ');
		ln_str(l, oname(p, ev->obj));
		if (ev->kind == EV_UNBLOCK) {
			LN_LIT(l, ": ");
			ln_str(l, event_outcome_name((int)ev->b));
			break;
		}
		if (ev->b > 0) {
			LN_LIT(l, " (pid ");
			ln_i64(l, ev->b);
			ln_ch(l, ')');
		}
		if (ev->c)
			LN_LIT(l, " with timeout");
		break;
	case EV_SEND:
	case EV_RECV:
		ln_end(l, p, ev);
		ln_ch(l, ' ');
		put_text(l, text, ev->text_len, true);
		LN_LIT(l, " (");
		ln_i64(l, ev->b);
		LN_LIT(l, " bytes)");
		text_shown = true;
		break;
	case EV_PIPE_CLOSE:
		ln_end(l, p, ev);
		break;
	case EV_MGR_OP:
		ln_obj(l, "manager ", p, ev->obj);
		ln_ch(l, ' ');
		ln_str(l, event_mgr_op_name((int)ev->a));
		ln_ch(l, ' ');
		put_text(l, text, ev->text_len, false);
		LN_LIT(l, " size=");
		ln_i64(l, ev->b);
		text_shown = true;
		break;
	case EV_SUBMIT:
		ln_task(l, p, ev);
		ln_ch(l, ' ');
		ln_str(l, event_call_name((int)ev->c));
		ln_ch(l, '(');
		ln_i64(l, ev->b);
		ln_ch(l, ')');
		break;
	case EV_TASK_START:
		ln_task(l, p, ev);
		LN_LIT(l, " arg ");
		ln_i64(l, ev->b);
		break;
	case EV_TASK_END:
		ln_task(l, p, ev);
		if (ev->c) {
			LN_LIT(l, " raised ");
			put_text(l, text, ev->text_len, false);
			text_shown = true;
		} else {
			LN_LIT(l, " -> ");
			ln_i64(l, ev->b);
		}
		break;
	case EV_CALLBACK:
		ln_task(l, p, ev);
		ln_str(l, ev->c == 1 ? " error_callback " : " callback ");
		put_text(l, text, ev->text_len, false);
		text_shown = true;
		break;
	case EV_RESULT:
		ln_task(l, p, ev);
		LN_LIT(l, " -> ");
		put_text(l, text, ev->text_len, false);
		text_shown = true;
		break;
	case EV_POOL:
		ln_obj(l, "pool ", p, ev->obj);
		ln_ch(l, ' ');
		ln_str(l, event_pool_op_name((int)ev->a));
		break;
	case EV_LOST:
		ln_task(l, p, ev);
		LN_LIT(l, " lost: worker pid ");
		ln_i64(l, ev->b);
		LN_LIT(l, " killed by SIG");
		ln_str(l, signame((int)ev->c));
		break;
	case EV_ERROR:
		ln_str(l, ev->a ? "(handled) " : "(uncaught) ");
		break;
	case EV_SIGNAL:
		LN_LIT(l, "SIG");
		ln_str(l, signame((int)ev->b));
		LN_LIT(l, " to pid ");
		ln_i64(l, ev->a);
		break;
	case EV_END:
		LN_LIT(l, "exit status ");
		ln_i64(l, ev->a);
		ln_ch(l, ' ');
		break;
	default:
		break;
	}
	if (!text_shown && ev->text_len && ev->text)
		put_text(l, ev->text, ev->text_len, false);
}

void
printer_event(struct printer *p, const struct event *ev)
{
	tally(p, ev);
	if (!p->out)
		return;

	const struct name_ent *e = NULL;
	if (ev->tid && ev->tid != ev->pid)
		e = name_ent_get(p, ev->tid);
	if (!e)
		e = name_ent_get(p, ev->pid);
	if (ev->kind >= EV_DEADLOCK || (ev->kind == EV_SIGNAL && !e))
		e = NULL;
	const char *who = ev->kind >= EV_DEADLOCK || (ev->kind == EV_SIGNAL && !e) ?
	    "ipcscope" : "?";
	struct line *l = &p->ln;
	l->n = 0;
	ln_time_pid(l, ev->t_ns, ev->pid);
	if (e) {
		ln_mem(l, e->col, sizeof(e->col));
	} else {
		ln_left(l, who, 15);
		ln_ch(l, ' ');
	}
	if (ev->kind < KIND_COLS && p->klen[ev->kind] < sizeof(p->kcol[0]) - 1) {
		ln_mem(l, p->kcol[ev->kind], p->klen[ev->kind]);
	} else {
		ln_left(l, event_kind_name(ev->kind), 12);
		ln_ch(l, ' ');
	}
	details(p, l, ev);
	ln_ch(l, '\n');
	fwrite_unlocked(l->b, 1, l->n, p->out);
}

void
printer_event_fn(void *ud, const struct event *ev)
{
	printer_event(ud, ev);
}

const struct printer_counts *
printer_counts(const struct printer *p)
{
	return &p->c;
}

void
printer_summary(const struct printer *p, FILE *f, const struct printer_end *e)
{
	const struct scenario *sc = p->sc;

	fprintf(f, "-- %s: %s (exit status %d)\n", sc->title ? sc->title : "run",
	    e->outcome, e->status);
	if (e->reason && e->reason[0])
		fprintf(f, "   reason: %s\n", e->reason);
	fprintf(f, "   wall time %.3f s at speed %g; %ld events\n", e->wall_s, e->speed, p->c.events);
	fprintf(f, "   processes %ld, threads %ld, prints %ld, errors %ld\n",
	    p->c.processes, p->c.threads, p->c.prints, p->c.errors);
	if (p->c.tasks_submitted || p->c.tasks_done || p->c.tasks_lost)
		fprintf(f, "   tasks %ld submitted, %ld done, %ld raised, %ld lost; "
		    "at most %d at once; callbacks %ld\n", p->c.tasks_submitted,
		    p->c.tasks_done, p->c.tasks_failed, p->c.tasks_lost,
		    p->c.max_tasks_running, p->c.callbacks);
	for (int i = 0; i < sc->nobjs; i++) {
		const struct obj_tally *o = &p->objs[i];
		switch (sc->objs[i].kind) {
		case SC_QUEUE:
			fprintf(f, "   queue %s: %ld put, %ld got, %" PRId64 " bytes\n",
			    sc->objs[i].name, o->puts, o->gets, o->bytes_in);
			break;
		case SC_PIPE:
			fprintf(f, "   pipe %s: a->b %ld messages %" PRId64 " bytes, "
			    "b->a %ld messages %" PRId64 " bytes\n", sc->objs[i].name,
			    o->msgs[0], o->bytes[0], o->msgs[1], o->bytes[1]);
			break;
		case SC_MANAGER:
			fprintf(f, "   manager %s: %ld operations\n", sc->objs[i].name, o->ops);
			break;
		case SC_POOL:
			fprintf(f, "   pool %s: at most %d tasks at once\n", sc->objs[i].name,
			    o->max_running);
			break;
		default:
			break;
		}
	}
	for (int i = 0; i < p->nlost; i++)
		fprintf(f, "   lost: %s\n", p->lost[i]);
	fprintf(f, "   ring waits %" PRIu64 "%s\n", e->ring_waits,
	    e->ring_waits ? " (writers waited for the observer)" : "");
	if (e->late)
		fprintf(f, "   late events %" PRIu64 " (arrived after the merge window)\n", e->late);
}
