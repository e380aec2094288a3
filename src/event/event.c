#include "event/event.h"

#include <string.h>

/* Names as they appear in traces (docs/trace-format.md). Order = enum. */
static const char *const kind_names[EV_KIND_COUNT] = {
	[EV_NONE] = "none",
	[EV_SPAWN] = "spawn",
	[EV_EXIT] = "exit",
	[EV_REAP] = "reap",
	[EV_THREAD_START] = "thread_start",
	[EV_THREAD_END] = "thread_end",
	[EV_PUT] = "put",
	[EV_GET] = "get",
	[EV_BLOCK] = "block",
	[EV_UNBLOCK] = "unblock",
	[EV_SEND] = "send",
	[EV_RECV] = "recv",
	[EV_PIPE_CLOSE] = "pipe_close",
	[EV_MGR_OP] = "manager",
	[EV_SUBMIT] = "submit",
	[EV_TASK_START] = "task_start",
	[EV_TASK_END] = "task_end",
	[EV_CALLBACK] = "callback",
	[EV_RESULT] = "result",
	[EV_POOL] = "pool",
	[EV_LOST] = "lost",
	[EV_PRINT] = "print",
	[EV_ERROR] = "error",
	[EV_SIGNAL] = "signal",
	[EV_DEADLOCK] = "deadlock",
	[EV_TIMEOUT] = "timeout",
	[EV_END] = "end",
};

static const char *const role_names[ROLE_COUNT] = {
	"main", "process", "worker", "manager",
};
static const char *const thread_role_names[TROLE_COUNT] = {
	"thread", "result-handler", "task-handler", "worker-handler", "manager-conn",
};
static const char *const wait_names[WAIT_COUNT] = {
	"get", "put", "recv", "send", "join", "result", "task", "manager",
};
static const char *const outcome_names[] = { "ok", "timeout", "error" };
static const char *const mgr_op_names[MGR_COUNT] = {
	"dict_set", "dict_get", "list_append", "list_get",
};
static const char *const call_names[CALL_COUNT] = {
	"apply", "apply_async", "map", "map_async", "imap", "imap_unordered",
};
static const char *const pool_op_names[POOL_OP_COUNT] = {
	"create", "close", "join", "terminate",
};

#define NAME_OF(table, i) \
	((i) >= 0 && (size_t)(i) < sizeof(table) / sizeof((table)[0]) && (table)[i] ? (table)[i] : "?")

const char *event_kind_name(int kind) { return NAME_OF(kind_names, kind); }
const char *event_role_name(int role) { return NAME_OF(role_names, role); }
const char *event_thread_role_name(int role) { return NAME_OF(thread_role_names, role); }
const char *event_wait_name(int op) { return NAME_OF(wait_names, op); }
const char *event_outcome_name(int o) { return NAME_OF(outcome_names, o); }
const char *event_mgr_op_name(int op) { return NAME_OF(mgr_op_names, op); }
const char *event_call_name(int call) { return NAME_OF(call_names, call); }
const char *event_pool_op_name(int op) { return NAME_OF(pool_op_names, op); }

int
event_kind_from_name(const char *name)
{
	for (int k = 1; k < EV_KIND_COUNT; k++)
		if (kind_names[k] && strcmp(kind_names[k], name) == 0)
			return k;
	return EV_NONE;
}
