/* The model's event log: a bounded ring of formatted, classified entries. */
#include "model/model.h"

#include <ctype.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "model/model_int.h"

int
model_log_class(int kind)
{
	switch (kind) {
	case EV_SPAWN: case EV_EXIT: case EV_REAP:
	case EV_THREAD_START: case EV_THREAD_END:
		return LOGC_PROC;
	case EV_PUT: case EV_GET: case EV_SEND: case EV_RECV:
	case EV_PIPE_CLOSE: case EV_MGR_OP:
		return LOGC_IPC;
	case EV_BLOCK: case EV_UNBLOCK:
		return LOGC_WAIT;
	case EV_SUBMIT: case EV_TASK_START: case EV_TASK_END: case EV_CALLBACK:
	case EV_RESULT: case EV_POOL: case EV_LOST:
		return LOGC_POOL;
	default:
		return LOGC_OUT;
	}
}

static const char *
sig_name(int sig)
{
	const char *s = sig > 0 ? sigabbrev_np(sig) : NULL;
	return s ? s : "?";
}

static const char *
proc_name(const struct model *m, pid_t pid)
{
	const struct model_proc *p = model_proc_by_pid(m, pid);
	return p ? p->name : "?";
}

/* The message text, quoted and cut. */
static void
quoted(char *buf, size_t len, const struct event *ev)
{
	if (!ev->text || ev->text_len == 0) {
		snprintf(buf, len, "\"\"");
		return;
	}
	snprintf(buf, len, "\"%.60s%s\"", ev->text, ev->text_len > 60 ? "..." : "");
}

static void
exit_text(char *buf, size_t len, int code)
{
	if (code < 0)
		snprintf(buf, len, "exit code %d (killed by SIG%s)", code,
		    sig_name(-code));
	else
		snprintf(buf, len, "exit code %d", code);
}

void
model_format_event(const struct model *m, const struct event *ev, char *buf,
    size_t len)
{
	const char *on = model_obj_name(m, ev->obj);
	const char *txt = ev->text ? ev->text : "";
	char q[80], x[64];

	switch (ev->kind) {
	case EV_SPAWN:
		snprintf(buf, len, "spawn %s (%s), parent %lld", txt[0] ? txt :
		    event_role_name((int)ev->b), event_role_name((int)ev->b),
		    (long long)ev->a);
		break;
	case EV_EXIT:
		exit_text(x, sizeof(x), (int)ev->a);
		snprintf(buf, len, "%s ended: %s", proc_name(m, ev->pid), x);
		break;
	case EV_REAP:
		snprintf(buf, len, "reaped %s (%lld)", proc_name(m, (pid_t)ev->a),
		    (long long)ev->a);
		break;
	case EV_THREAD_START:
		snprintf(buf, len, "thread %s started (tid %d)", txt[0] ? txt :
		    event_thread_role_name((int)ev->a), (int)ev->tid);
		break;
	case EV_THREAD_END: {
		const struct model_thread *t = model_thread_by_tid(m, ev->tid);
		snprintf(buf, len, "thread %s ended (tid %d)", t ? t->name :
		    event_thread_role_name((int)ev->a), (int)ev->tid);
		break;
	}
	case EV_PUT:
	case EV_GET:
		quoted(q, sizeof(q), ev);
		snprintf(buf, len, "%s %s %s, depth %lld", ev->kind == EV_PUT ?
		    "put" : "get", on, q, (long long)ev->a);
		break;
	case EV_BLOCK:
		if (ev->b > 0)
			snprintf(buf, len, "blocked: %s %s (on %lld)",
			    event_wait_name((int)ev->a), on, (long long)ev->b);
		else
			snprintf(buf, len, "blocked: %s %s",
			    event_wait_name((int)ev->a), on);
		break;
	case EV_UNBLOCK:
		snprintf(buf, len, "unblocked: %s %s, %s",
		    event_wait_name((int)ev->a), on, event_outcome_name((int)ev->b));
		break;
	case EV_SEND:
	case EV_RECV:
		quoted(q, sizeof(q), ev);
		snprintf(buf, len, "%s %s.%c %s (%lld bytes)", ev->kind == EV_SEND ?
		    "send" : "recv", on, ev->a == 1 ? 'b' : 'a', q, (long long)ev->b);
		break;
	case EV_PIPE_CLOSE:
		snprintf(buf, len, "close %s.%c", on, ev->a == 1 ? 'b' : 'a');
		break;
	case EV_MGR_OP:
		snprintf(buf, len, "%s %s %s (size %lld)", on,
		    event_mgr_op_name((int)ev->a), txt, (long long)ev->b);
		break;
	case EV_SUBMIT:
		snprintf(buf, len, "submit task %lld (arg %lld) to %s, %s",
		    (long long)ev->a, (long long)ev->b, on,
		    event_call_name((int)ev->c));
		break;
	case EV_TASK_START:
		snprintf(buf, len, "task %lld (arg %lld) started on %s slot %lld",
		    (long long)ev->a, (long long)ev->b, on, (long long)ev->c);
		break;
	case EV_TASK_END:
		if (ev->c)
			snprintf(buf, len, "task %lld raised %s", (long long)ev->a, txt);
		else
			snprintf(buf, len, "task %lld returned %lld", (long long)ev->a,
			    (long long)ev->b);
		break;
	case EV_CALLBACK:
		snprintf(buf, len, "%s task %lld: %s (pid %d, thread %d)",
		    ev->c == 1 ? "error_callback" : ev->c == 2 ? "map callback" :
		    "callback", (long long)ev->a, txt[0] ? txt : "-",
		    (int)ev->pid, (int)ev->tid);
		break;
	case EV_RESULT:
		snprintf(buf, len, "result of task %lld: %s", (long long)ev->a,
		    txt[0] ? txt : "-");
		break;
	case EV_POOL:
		snprintf(buf, len, "%s %s", on, event_pool_op_name((int)ev->a));
		break;
	case EV_LOST:
		snprintf(buf, len, "task %lld LOST: worker %lld killed by SIG%s",
		    (long long)ev->a, (long long)ev->b, sig_name((int)ev->c));
		break;
	case EV_PRINT:
		snprintf(buf, len, "%s", txt);
		break;
	case EV_ERROR:
		snprintf(buf, len, "%s: %s", ev->a ? "error (handled)" :
		    "uncaught error", txt);
		break;
	case EV_SIGNAL:
		snprintf(buf, len, "signal SIG%s sent to %s (%lld)",
		    sig_name((int)ev->b), proc_name(m, (pid_t)ev->a),
		    (long long)ev->a);
		break;
	case EV_DEADLOCK:
		snprintf(buf, len, ev->a == 1 ? "STUCK for good (the others go on): %s" :
		    "DEADLOCK: %s", txt);
		break;
	case EV_TIMEOUT:
		snprintf(buf, len, "TIMEOUT: %s", txt);
		break;
	case EV_END:
		snprintf(buf, len, "run ended, exit status %lld", (long long)ev->a);
		break;
	default:
		snprintf(buf, len, "%s", event_kind_name(ev->kind));
		break;
	}
	/* One line: newlines and controls become spaces. */
	for (char *p = buf; *p; p++)
		if ((unsigned char)*p < 0x20)
			*p = ' ';
}

static bool
is_alert(const struct event *ev)
{
	switch (ev->kind) {
	case EV_ERROR: case EV_LOST: case EV_DEADLOCK: case EV_TIMEOUT:
		return true;
	case EV_EXIT:
		return ev->a != 0;
	case EV_TASK_END:
		return ev->c != 0;
	default:
		return false;
	}
}

void
model_log_add(struct model *m, const struct event *ev)
{
	struct model_log_entry *e = &m->log[m->log_seq % MODEL_LOG_MAX];
	e->seq = ++m->log_seq;
	e->t_ns = ev->t_ns;
	e->pid = ev->pid;
	e->tid = ev->tid;
	e->kind = ev->kind;
	e->cls = (uint8_t)model_log_class(ev->kind);
	e->alert = is_alert(ev);
	model_format_event(m, ev, e->text, sizeof(e->text));
}

size_t
model_log_count(const struct model *m)
{
	return m->log_seq < MODEL_LOG_MAX ? (size_t)m->log_seq : MODEL_LOG_MAX;
}

const struct model_log_entry *
model_log_at(const struct model *m, size_t k)
{
	size_t n = model_log_count(m);
	if (k >= n)
		return NULL;
	uint64_t first = m->log_seq - n;    /* seq - 1 of the oldest kept */
	return &m->log[(first + k) % MODEL_LOG_MAX];
}

bool
model_log_match(const struct model_log_entry *e, int mask, const char *needle)
{
	if (!(e->cls & mask))
		return false;
	if (!needle || !needle[0])
		return true;
	size_t nl = strlen(needle);
	for (const char *p = e->text; *p; p++) {
		size_t i = 0;
		while (i < nl && p[i] &&
		    tolower((unsigned char)p[i]) == tolower((unsigned char)needle[i]))
			i++;
		if (i == nl)
			return true;
	}
	/* The pid as a word matches too. */
	char pidbuf[16];
	snprintf(pidbuf, sizeof(pidbuf), "%d", (int)e->pid);
	return strcmp(pidbuf, needle) == 0;
}
