/* The exporter table and what exporters share. */
#include "trace/export.h"

#include <inttypes.h>
#include <string.h>

const struct exporter export_table[] = {
	{ "perfetto", "Chrome Trace Event JSON (Perfetto, chrome://tracing)", export_perfetto },
	{ "csv", "one row per event, RFC 4180", export_csv },
};
const size_t export_count = sizeof(export_table) / sizeof(export_table[0]);

const struct exporter *
export_find(const char *name)
{
	for (size_t i = 0; i < export_count; i++)
		if (strcmp(export_table[i].name, name) == 0)
			return &export_table[i];
	return NULL;
}

static const char *
end_name(int64_t e)
{
	return e == 0 ? "a" : e == 1 ? "b" : "?";
}

void
export_info(const struct trace *t, const struct event *ev, char *buf, size_t len)
{
	long long a = (long long)ev->a, b = (long long)ev->b, c = (long long)ev->c;
	static const char *const states[] = { "running", "paused", "finished",
		"failed", "deadlock", "timeout" };
	static const char *const cbs[] = { "callback", "error_callback", "map_callback" };

	buf[0] = '\0';
	switch (ev->kind) {
	case EV_SPAWN:
		snprintf(buf, len, "ppid=%lld role=%s copy=%lld", a,
		    event_role_name((int)b), c);
		break;
	case EV_EXIT:
		snprintf(buf, len, "status=%lld wstatus=%lld", a, b);
		break;
	case EV_REAP:
		snprintf(buf, len, "child=%lld", a);
		break;
	case EV_THREAD_START:
	case EV_THREAD_END:
		snprintf(buf, len, "role=%s", event_thread_role_name((int)a));
		break;
	case EV_PUT:
	case EV_GET:
		snprintf(buf, len, "depth=%lld bytes=%lld", a, b);
		break;
	case EV_BLOCK:
		snprintf(buf, len, "wait=%s peer=%lld timed=%s", event_wait_name((int)a),
		    b, c ? "true" : "false");
		break;
	case EV_UNBLOCK:
		snprintf(buf, len, "wait=%s result=%s", event_wait_name((int)a),
		    event_outcome_name((int)b));
		break;
	case EV_SEND:
	case EV_RECV:
		snprintf(buf, len, "end=%s bytes=%lld", end_name(a), b);
		break;
	case EV_PIPE_CLOSE:
		snprintf(buf, len, "end=%s", end_name(a));
		break;
	case EV_MGR_OP:
		snprintf(buf, len, "op=%s size=%lld", event_mgr_op_name((int)a), b);
		break;
	case EV_SUBMIT:
		snprintf(buf, len, "task=%lld arg=%lld call=%s", a, b,
		    event_call_name((int)c));
		break;
	case EV_TASK_START:
		snprintf(buf, len, "task=%lld arg=%lld slot=%lld", a, b, c);
		break;
	case EV_TASK_END:
		snprintf(buf, len, "task=%lld result=%lld raised=%s", a, b,
		    c ? "true" : "false");
		break;
	case EV_CALLBACK:
		snprintf(buf, len, "task=%lld result=%lld callback=%s", a, b,
		    c >= 0 && c < 3 ? cbs[c] : "?");
		break;
	case EV_RESULT:
		snprintf(buf, len, "task=%lld result=%lld", a, b);
		break;
	case EV_POOL:
		snprintf(buf, len, "op=%s", event_pool_op_name((int)a));
		break;
	case EV_LOST:
		snprintf(buf, len, "task=%lld worker=%lld signal=%lld", a, b, c);
		break;
	case EV_ERROR:
		snprintf(buf, len, "handled=%s", a ? "true" : "false");
		break;
	case EV_DEADLOCK:
		snprintf(buf, len, "partial=%s", a ? "true" : "false");
		break;
	case EV_SIGNAL:
		snprintf(buf, len, "target=%lld signal=%lld", a, b);
		break;
	case EV_END:
		snprintf(buf, len, "status=%lld state=%s", a, b >= 0 && b < 6 ? states[b] : "?");
		break;
	default:
		break;
	}
	(void)t;
}
