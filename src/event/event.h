#ifndef IPCSCOPE_EVENT_H
#define IPCSCOPE_EVENT_H
/*
 * Events: what every source (scenario runtime, /proc watcher, trace reader)
 * reports and every sink (dashboard, headless printer, trace writer,
 * exporters) reads. One fixed-size record per event; a text (print, error,
 * message contents) travels in the records that follow it in the same ring
 * (see event/ring.h), and is reassembled by the reader into struct event.
 *
 * The meaning of a, b, c per kind is fixed by the table in event.c and
 * documented in docs/trace-format.md. Keep the three in step.
 */
#include <stdint.h>

enum ev_kind {
	EV_NONE = 0,
	EV_SPAWN,        /* pid started. a=ppid b=role c=copy index obj=def; text=name */
	EV_EXIT,         /* pid ended. a=exit code as CPython (n, 1, -signal) b=raw wait status; obj=def */
	EV_REAP,         /* pid's zombie was reaped by its parent (join). a=child pid */
	EV_THREAD_START, /* tid started. a=thread role obj=def; text=name */
	EV_THREAD_END,   /* tid ended. a=thread role obj=def */
	EV_PUT,          /* obj=queue a=depth after b=bytes; text=message */
	EV_GET,          /* obj=queue a=depth after b=bytes; text=message */
	EV_BLOCK,        /* about to block. obj a=wait op (enum ev_wait) b=peer pid or -1 */
	EV_UNBLOCK,      /* no longer blocked. obj a=wait op b=outcome (enum ev_outcome) */
	EV_SEND,         /* obj=pipe a=end b=bytes; text=message */
	EV_RECV,         /* obj=pipe a=end b=bytes; text=message */
	EV_PIPE_CLOSE,   /* obj=pipe a=end */
	EV_MGR_OP,       /* obj=manager a=op (enum ev_mgr_op) b=size after; text=key=value */
	EV_SUBMIT,       /* obj=pool a=task b=arg c=call (enum ev_call) */
	EV_TASK_START,   /* obj=pool a=task b=arg c=worker slot; pid=worker */
	EV_TASK_END,     /* obj=pool a=task b=result c=0 ok / 1 raised; text=error */
	EV_CALLBACK,     /* obj=pool a=task b=result c=0 callback / 1 error_callback / 2 map callback; text=value */
	EV_RESULT,       /* a result fetched by the caller. obj=pool a=task b=result; text=value */
	EV_POOL,         /* obj=pool a=pool op (enum ev_pool_op) */
	EV_LOST,         /* obj=pool a=task b=dead worker pid c=signal */
	EV_PRINT,        /* text */
	EV_ERROR,        /* a=0 uncaught (process ends) / 1 handled (on_error=continue); text="Type: msg" */
	EV_SIGNAL,       /* a signal sent by the observer. a=target pid b=signal */
	EV_DEADLOCK,     /* from the observer. a=0 the run is deadlocked / 1 a group is stuck, others go on; text=the wait-for chain */
	EV_TIMEOUT,      /* from the observer; the scenario's timeout expired. text=reason */
	EV_END,          /* from the observer; the run is over. a=exit status of ipcscope */
	EV_KIND_COUNT
};

enum ev_role { ROLE_MAIN, ROLE_PROCESS, ROLE_WORKER, ROLE_MANAGER, ROLE_COUNT };
enum ev_thread_role { TROLE_USER, TROLE_RESULT_HANDLER, TROLE_TASK_HANDLER,
	TROLE_WORKER_HANDLER, TROLE_MGR_CONN, TROLE_COUNT };
enum ev_wait { WAIT_GET, WAIT_PUT, WAIT_RECV, WAIT_SEND, WAIT_JOIN, WAIT_RESULT,
	WAIT_TASK, WAIT_MGR, WAIT_COUNT };
enum ev_outcome { OUT_OK, OUT_TIMEOUT, OUT_ERROR };
enum ev_mgr_op { MGR_DICT_SET, MGR_DICT_GET, MGR_LIST_APPEND, MGR_LIST_GET, MGR_COUNT };
enum ev_call { CALL_APPLY, CALL_APPLY_ASYNC, CALL_MAP, CALL_MAP_ASYNC, CALL_IMAP,
	CALL_IMAP_UNORDERED, CALL_COUNT };
enum ev_pool_op { POOL_CREATE, POOL_CLOSE, POOL_JOIN, POOL_TERMINATE, POOL_OP_COUNT };

#define EV_TEXT_MAX 65536

/* One event as a reader sees it. 'text' is owned by whoever filled the
 * struct (the ring reader's buffer, the trace reader's line); copy it to keep. */
struct event {
	int64_t t_ns;        /* CLOCK_MONOTONIC, nanoseconds */
	int32_t pid;
	int32_t tid;
	uint16_t kind;       /* enum ev_kind */
	int32_t obj;         /* scenario object index, or -1 */
	int64_t a, b, c;
	uint32_t text_len;
	const char *text;    /* NUL-terminated, may be NULL when text_len == 0 */
};

/* Trace name of a kind ("spawn", "put" ...), "?" if out of range. */
const char *event_kind_name(int kind);
/* The kind called 'name', or EV_NONE. */
int event_kind_from_name(const char *name);
const char *event_role_name(int role);
const char *event_thread_role_name(int role);
const char *event_wait_name(int op);
const char *event_outcome_name(int outcome);
const char *event_mgr_op_name(int op);
const char *event_call_name(int call);
const char *event_pool_op_name(int op);

#endif
