/* The executor of each step kind: one row per enum sc_step_kind.
 * repeat / end are handled by the interpreter itself (interp.c). */
#include "runtime/actor.h"
#include "runtime/runtime_int.h"

const step_exec_fn step_exec_table[STEP_KIND_COUNT] = {
	[STEP_SLEEP]          = step_sleep,
	[STEP_BUSY]           = step_busy,
	[STEP_PRINT]          = step_print,
	[STEP_START]          = step_start,
	[STEP_JOIN]           = step_join,
	[STEP_PUT]            = step_put,
	[STEP_GET]            = step_get,
	[STEP_SEND]           = step_send,
	[STEP_RECV]           = step_recv,
	[STEP_CLOSE_END]      = step_close_end,
	[STEP_DICT_SET]       = step_manager_op,
	[STEP_DICT_GET]       = step_manager_op,
	[STEP_LIST_APPEND]    = step_manager_op,
	[STEP_LIST_GET]       = step_manager_op,
	[STEP_APPLY]          = step_pool_apply,
	[STEP_APPLY_ASYNC]    = step_pool_apply_async,
	[STEP_MAP]            = step_pool_map,
	[STEP_MAP_ASYNC]      = step_pool_map,
	[STEP_IMAP]           = step_pool_map,
	[STEP_IMAP_UNORDERED] = step_pool_map,
	[STEP_WAIT]           = step_pool_wait,
	[STEP_CLOSE]          = step_pool_close,
	[STEP_TERMINATE]      = step_terminate,
	[STEP_RETURN]         = step_return,
	[STEP_EXIT]           = step_exit,
	[STEP_RAISE]          = step_raise,
	[STEP_CRASH]          = step_crash,
	[STEP_REPEAT]         = NULL,
	[STEP_END]            = NULL,
	[STEP_CALL]           = step_call,
};
