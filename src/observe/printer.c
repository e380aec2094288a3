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
};

struct obj_tally {
	long puts, gets, msgs[2], ops;
	int64_t bytes_in, bytes[2];
	int running, max_running;
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

/* Write 's' readably: control characters escaped, optionally quoted. */
static void
put_text(FILE *f, const char *s, size_t len, bool quoted)
{
	if (quoted)
		putc('\'', f);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\x%02x", c);
		else
			putc(c, f);
	}
	if (quoted)
		putc('\'', f);
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

static void
details(struct printer *p, FILE *f, const struct event *ev)
{
	bool text_shown = false;

	switch (ev->kind) {
	case EV_SPAWN:
		fprintf(f, "%s ppid=%" PRId64, event_role_name((int)ev->b), ev->a);
		text_shown = true;
		break;
	case EV_EXIT:
		if (ev->a < 0)
			fprintf(f, "exitcode %" PRId64 " (killed by SIG%s)", ev->a, signame((int)-ev->a));
		else
			fprintf(f, "exitcode %" PRId64, ev->a);
		break;
	case EV_REAP:
		fprintf(f, "joined child %" PRId64 " (%s)", ev->a,
		    name_get(p, (int32_t)ev->a) ? name_get(p, (int32_t)ev->a) : "?");
		break;
	case EV_THREAD_START:
	case EV_THREAD_END:
		fprintf(f, "%s", event_thread_role_name((int)ev->a));
		text_shown = true;
		break;
	case EV_PUT:
	case EV_GET:
		fprintf(f, "queue %s ", oname(p, ev->obj));
		put_text(f, ev->text ? ev->text : "", ev->text_len, true);
		fprintf(f, " depth=%" PRId64, ev->a);
		text_shown = true;
		break;
	case EV_BLOCK:
		fprintf(f, "%s on %s %s", event_wait_name((int)ev->a), okind(p, ev->obj), oname(p, ev->obj));
		if (ev->b > 0)
			fprintf(f, " (pid %" PRId64 ")", ev->b);
		if (ev->c)
			fputs(" with timeout", f);
		break;
	case EV_UNBLOCK:
		fprintf(f, "%s on %s %s: %s", event_wait_name((int)ev->a), okind(p, ev->obj),
		    oname(p, ev->obj), event_outcome_name((int)ev->b));
		break;
	case EV_SEND:
	case EV_RECV:
		fprintf(f, "pipe %s.%c ", oname(p, ev->obj), ev->a ? 'b' : 'a');
		put_text(f, ev->text ? ev->text : "", ev->text_len, true);
		fprintf(f, " (%" PRId64 " bytes)", ev->b);
		text_shown = true;
		break;
	case EV_PIPE_CLOSE:
		fprintf(f, "pipe %s.%c", oname(p, ev->obj), ev->a ? 'b' : 'a');
		break;
	case EV_MGR_OP:
		fprintf(f, "manager %s %s ", oname(p, ev->obj), event_mgr_op_name((int)ev->a));
		put_text(f, ev->text ? ev->text : "", ev->text_len, false);
		fprintf(f, " size=%" PRId64, ev->b);
		text_shown = true;
		break;
	case EV_SUBMIT:
		fprintf(f, "pool %s task %" PRId64 " %s(%" PRId64 ")", oname(p, ev->obj), ev->a,
		    event_call_name((int)ev->c), ev->b);
		break;
	case EV_TASK_START:
		fprintf(f, "pool %s task %" PRId64 " arg %" PRId64, oname(p, ev->obj), ev->a, ev->b);
		break;
	case EV_TASK_END:
		fprintf(f, "pool %s task %" PRId64, oname(p, ev->obj), ev->a);
		if (ev->c) {
			fputs(" raised ", f);
			put_text(f, ev->text ? ev->text : "", ev->text_len, false);
			text_shown = true;
		} else {
			fprintf(f, " -> %" PRId64, ev->b);
		}
		break;
	case EV_CALLBACK:
		fprintf(f, "pool %s task %" PRId64 " %s ", oname(p, ev->obj), ev->a,
		    ev->c == 1 ? "error_callback" : "callback");
		put_text(f, ev->text ? ev->text : "", ev->text_len, false);
		text_shown = true;
		break;
	case EV_RESULT:
		fprintf(f, "pool %s task %" PRId64 " -> ", oname(p, ev->obj), ev->a);
		put_text(f, ev->text ? ev->text : "", ev->text_len, false);
		text_shown = true;
		break;
	case EV_POOL:
		fprintf(f, "pool %s %s", oname(p, ev->obj), event_pool_op_name((int)ev->a));
		break;
	case EV_LOST:
		fprintf(f, "pool %s task %" PRId64 " lost: worker pid %" PRId64 " killed by SIG%s",
		    oname(p, ev->obj), ev->a, ev->b, signame((int)ev->c));
		break;
	case EV_ERROR:
		fputs(ev->a ? "(handled) " : "(uncaught) ", f);
		break;
	case EV_SIGNAL:
		fprintf(f, "SIG%s to pid %" PRId64, signame((int)ev->b), ev->a);
		break;
	case EV_END:
		fprintf(f, "exit status %" PRId64 " ", ev->a);
		break;
	default:
		break;
	}
	if (!text_shown && ev->text_len && ev->text)
		put_text(f, ev->text, ev->text_len, false);
}

void
printer_event(struct printer *p, const struct event *ev)
{
	tally(p, ev);
	if (!p->out)
		return;

	const char *who = NULL;
	if (ev->tid && ev->tid != ev->pid)
		who = name_get(p, ev->tid);
	if (!who)
		who = name_get(p, ev->pid);
	if (ev->kind >= EV_DEADLOCK || (ev->kind == EV_SIGNAL && !who))
		who = "ipcscope";
	fprintf(p->out, "%4" PRId64 ".%06" PRId64 " %7" PRId32 " %-15s %-12s ",
	    ev->t_ns / 1000000000, (ev->t_ns / 1000) % 1000000, ev->pid,
	    who ? who : "?", event_kind_name(ev->kind));
	details(p, p->out, ev);
	putc('\n', p->out);
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
