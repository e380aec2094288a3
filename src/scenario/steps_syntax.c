/*
 * One row per step verb. Arguments are positional; options are key=value
 * words anywhere after the verb.
 */
#include "scenario/steps_syntax.h"

#include <string.h>

#define K(k) KIND_BIT(SC_##k)
#define ON OPT_ON_ERROR

const struct syn_verb syn_verbs[] = {
	{ "sleep", STEP_SLEEP, "sleep DUR", { { ARG_DUR, 0, false } }, 0, DIR_NONE },
	{ "busy", STEP_BUSY, "busy DUR", { { ARG_DUR, 0, false } }, 0, DIR_NONE },
	{ "print", STEP_PRINT, "print TEXT", { { ARG_TEXT, 0, false } }, 0, DIR_NONE },
	{ "start", STEP_START, "start PROCESS|THREAD",
	  { { ARG_OBJ, K(PROCESS) | K(THREAD), false } }, ON, DIR_NONE },
	{ "join", STEP_JOIN, "join PROCESS|THREAD|POOL [timeout=DUR]",
	  { { ARG_OBJ, K(PROCESS) | K(THREAD) | K(POOL), false } },
	  OPT_TIMEOUT | ON, DIR_NONE },
	{ "terminate", STEP_TERMINATE, "terminate PROCESS|POOL",
	  { { ARG_OBJ, K(PROCESS) | K(POOL), false } }, ON, DIR_NONE },
	{ "put", STEP_PUT, "put QUEUE TEXT [timeout=DUR]",
	  { { ARG_OBJ, K(QUEUE), false }, { ARG_TEXT, 0, false } },
	  OPT_TIMEOUT | ON, DIR_NONE },
	{ "get", STEP_GET, "get QUEUE [timeout=DUR]",
	  { { ARG_OBJ, K(QUEUE), false } }, OPT_TIMEOUT | ON, DIR_NONE },
	{ "send", STEP_SEND, "send PIPE.END TEXT",
	  { { ARG_END, 0, false }, { ARG_TEXT, 0, false } }, ON, DIR_SEND },
	{ "recv", STEP_RECV, "recv PIPE.END [timeout=DUR]",
	  { { ARG_END, 0, false } }, OPT_TIMEOUT | ON, DIR_RECV },
	/* close POOL | close PIPE.END: STEP_CLOSE_END when given a pipe end. */
	{ "close", STEP_CLOSE, "close POOL|PIPE.END",
	  { { ARG_OBJ, K(POOL) | K(PIPE), false } }, ON, DIR_NONE },
	{ "dict_set", STEP_DICT_SET, "dict_set MANAGER KEY TEXT",
	  { { ARG_OBJ, K(MANAGER), false }, { ARG_KEY, 0, false },
	    { ARG_TEXT, 0, false } }, ON, DIR_NONE },
	{ "dict_get", STEP_DICT_GET, "dict_get MANAGER [KEY]",
	  { { ARG_OBJ, K(MANAGER), false }, { ARG_KEY, 0, true } }, ON, DIR_NONE },
	{ "list_append", STEP_LIST_APPEND, "list_append MANAGER TEXT",
	  { { ARG_OBJ, K(MANAGER), false }, { ARG_TEXT, 0, false } }, ON, DIR_NONE },
	{ "list_get", STEP_LIST_GET, "list_get MANAGER",
	  { { ARG_OBJ, K(MANAGER), false } }, ON, DIR_NONE },
	{ "apply", STEP_APPLY, "apply POOL FUNC [EXPR]",
	  { { ARG_OBJ, K(POOL), false }, { ARG_FUNC, 0, false },
	    { ARG_EXPR, 0, true } }, ON, DIR_NONE },
	{ "apply_async", STEP_APPLY_ASYNC,
	  "apply_async POOL FUNC [EXPR] [callback=FUNC] [error_callback=FUNC]",
	  { { ARG_OBJ, K(POOL), false }, { ARG_FUNC, 0, false },
	    { ARG_EXPR, 0, true } },
	  OPT_CALLBACK | OPT_ERROR_CALLBACK | ON, DIR_NONE },
	{ "map", STEP_MAP, "map POOL FUNC LO..HI [chunksize=N]",
	  { { ARG_OBJ, K(POOL), false }, { ARG_FUNC, 0, false },
	    { ARG_RANGE, 0, false } }, OPT_CHUNKSIZE | ON, DIR_NONE },
	{ "map_async", STEP_MAP_ASYNC,
	  "map_async POOL FUNC LO..HI [chunksize=N] [callback=FUNC] [error_callback=FUNC]",
	  { { ARG_OBJ, K(POOL), false }, { ARG_FUNC, 0, false },
	    { ARG_RANGE, 0, false } },
	  OPT_CHUNKSIZE | OPT_CALLBACK | OPT_ERROR_CALLBACK | ON, DIR_NONE },
	{ "imap", STEP_IMAP, "imap POOL FUNC LO..HI [chunksize=N] [each=FUNC]",
	  { { ARG_OBJ, K(POOL), false }, { ARG_FUNC, 0, false },
	    { ARG_RANGE, 0, false } }, OPT_CHUNKSIZE | OPT_EACH | ON, DIR_NONE },
	{ "imap_unordered", STEP_IMAP_UNORDERED,
	  "imap_unordered POOL FUNC LO..HI [chunksize=N] [each=FUNC]",
	  { { ARG_OBJ, K(POOL), false }, { ARG_FUNC, 0, false },
	    { ARG_RANGE, 0, false } }, OPT_CHUNKSIZE | OPT_EACH | ON, DIR_NONE },
	{ "wait", STEP_WAIT, "wait POOL", { { ARG_OBJ, K(POOL), false } }, ON, DIR_NONE },
	{ "return", STEP_RETURN, "return EXPR", { { ARG_EXPR, 0, false } }, 0, DIR_NONE },
	{ "exit", STEP_EXIT, "exit EXPR", { { ARG_EXPR, 0, false } }, 0, DIR_NONE },
	{ "raise", STEP_RAISE, "raise ERRTYPE [TEXT]",
	  { { ARG_ERRTYPE, 0, false }, { ARG_TEXT, 0, true } }, 0, DIR_NONE },
	{ "crash", STEP_CRASH, "crash SIGNAL", { { ARG_SIGNAL, 0, false } }, 0, DIR_NONE },
	{ "repeat", STEP_REPEAT, "repeat N", { { ARG_COUNT, 0, false } }, 0, DIR_NONE },
	{ "end", STEP_END, "end", { { ARG_NONE, 0, false } }, 0, DIR_NONE },
	{ "call", STEP_CALL, "call FUNC [EXPR]",
	  { { ARG_FUNC, 0, false }, { ARG_EXPR, 0, true } }, ON, DIR_NONE },
};
const int syn_nverbs = sizeof(syn_verbs) / sizeof(syn_verbs[0]);

const struct syn_optdef syn_opts[] = {
	{ "timeout", OPT_TIMEOUT },
	{ "chunksize", OPT_CHUNKSIZE },
	{ "callback", OPT_CALLBACK },
	{ "error_callback", OPT_ERROR_CALLBACK },
	{ "each", OPT_EACH },
	{ "on_error", OPT_ON_ERROR },
};
const int syn_nopts = sizeof(syn_opts) / sizeof(syn_opts[0]);

const struct syn_verb *
syn_find(const char *verb)
{
	for (int i = 0; i < syn_nverbs; i++)
		if (strcmp(syn_verbs[i].name, verb) == 0)
			return &syn_verbs[i];
	return NULL;
}

const char *
syn_kind_verb(enum sc_step_kind kind)
{
	if (kind == STEP_CLOSE_END)
		return "close";
	for (int i = 0; i < syn_nverbs; i++)
		if (syn_verbs[i].kind == kind)
			return syn_verbs[i].name;
	return "?";
}
