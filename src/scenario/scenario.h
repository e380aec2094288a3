#ifndef IPCSCOPE_SCENARIO_H
#define IPCSCOPE_SCENARIO_H
/*
 * The scenario model: what a scenario file describes, after loading and
 * checking. Plain data, no library types. Produced by scenario_load()
 * (scenario/load.c), read by the checker, the runtime and the views.
 *
 * Every named thing is an sc_object in one namespace (a name may be defined
 * only once, whatever its kind). Steps refer to objects by index into
 * scenario.objs, never by pointer, so the model can be copied into children
 * by fork() and compared across runs.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- limits (documented in docs/scenario-format.md) ---- */
#define SC_NAME_MAX        31      /* bytes in an object name */
#define SC_TEXT_MAX        4096    /* bytes in a text template */
#define SC_DEFAULT_MAX_PROCESSES 256
#define SC_HARD_MAX_PROCESSES    4096
#define SC_DEFAULT_MAX_THREADS   256
#define SC_HARD_MAX_THREADS      4096
#define SC_MAX_OBJECTS     1024
#define SC_MAX_STEPS       4096    /* per function */
#define SC_MAX_REPEAT      100000000LL
#define SC_MAX_DURATION_NS (24LL * 3600 * 1000000000LL)
#define SC_MAX_QUEUE_SIZE  1000000
#define SC_MAX_POOL        256
#define SC_MAX_MESSAGE     65536   /* bytes in one message after expansion */
#define SC_MAX_DEPTH       16      /* nesting of repeat blocks and calls */
#define SC_MAX_MAP_ITEMS   100000  /* items in one map range LO..HI */
#define SC_MAX_EXPR_INT    1000000000000LL /* |N| in expressions and ranges */

enum sc_kind {
	SC_FUNCTION,
	SC_PROCESS,
	SC_THREAD,
	SC_QUEUE,
	SC_PIPE,
	SC_MANAGER,
	SC_POOL,
	SC_KIND_COUNT
};

/* Integer expression: BASE [OP N]. Used for task arguments, return values,
 * exit codes computed at run time. */
enum sc_base { SC_BASE_CONST, SC_BASE_ARG, SC_BASE_I, SC_BASE_PID };
struct sc_expr {
	enum sc_base base;
	char op;          /* 0 (none), '+', '-', '*', '/', '%' */
	int64_t n;        /* the constant operand, or the value for SC_BASE_CONST */
};

enum sc_step_kind {
	STEP_SLEEP,           /* sleep DUR */
	STEP_BUSY,            /* busy DUR */
	STEP_PRINT,           /* print TEXT */
	STEP_START,           /* start PROCESS|THREAD */
	STEP_JOIN,            /* join PROCESS|THREAD|POOL [timeout=DUR] */
	STEP_PUT,             /* put QUEUE TEXT [timeout=DUR] */
	STEP_GET,             /* get QUEUE [timeout=DUR] */
	STEP_SEND,            /* send PIPE.END TEXT */
	STEP_RECV,            /* recv PIPE.END [timeout=DUR] */
	STEP_CLOSE_END,       /* close PIPE.END  (parsed from "close") */
	STEP_DICT_SET,        /* dict_set MANAGER KEY TEXT */
	STEP_DICT_GET,        /* dict_get MANAGER [KEY]  (no key: the whole dict) */
	STEP_LIST_APPEND,     /* list_append MANAGER TEXT */
	STEP_LIST_GET,        /* list_get MANAGER  (the whole list) */
	STEP_APPLY,           /* apply POOL FUNC ARG */
	STEP_APPLY_ASYNC,     /* apply_async POOL FUNC ARG [callback=F] [error_callback=F] */
	STEP_MAP,             /* map POOL FUNC LO..HI [chunksize=N] */
	STEP_MAP_ASYNC,       /* map_async POOL FUNC LO..HI [chunksize=N] [callback=F] [error_callback=F] */
	STEP_IMAP,            /* imap POOL FUNC LO..HI [chunksize=N] [each=F] */
	STEP_IMAP_UNORDERED,  /* imap_unordered POOL FUNC LO..HI [chunksize=N] [each=F] */
	STEP_WAIT,            /* wait POOL  (get() every async result submitted so far) */
	STEP_CLOSE,           /* close POOL */
	STEP_TERMINATE,       /* terminate POOL|PROCESS */
	STEP_RETURN,          /* return EXPR */
	STEP_EXIT,            /* exit EXPR */
	STEP_RAISE,           /* raise ERRTYPE [TEXT] */
	STEP_CRASH,           /* crash SIGNAL */
	STEP_REPEAT,          /* repeat N ... end */
	STEP_END,             /* end of a repeat block */
	STEP_CALL,            /* call FUNC [ARG] */
	STEP_KIND_COUNT
};

struct sc_step {
	enum sc_step_kind kind;
	int line;             /* line in the scenario file */
	int obj;              /* target object index, or -1 */
	int end;              /* pipe end: 0 (a) or 1 (b); -1 if none */
	int func;             /* function index (apply, map, call ...), or -1 */
	int callback;         /* function index, or -1; for imap / imap_unordered
	                       * the each= function */
	int error_callback;   /* function index, or -1 */
	int64_t dur_ns;       /* sleep / busy duration */
	int64_t timeout_ns;   /* -1: no timeout */
	struct sc_expr expr;  /* task argument, return value, exit code, call arg;
	                       * apply/apply_async without one: constant 0;
	                       * call without one: arg (the caller's) */
	int64_t count;        /* repeat count */
	int64_t lo, hi;       /* map range, inclusive */
	int chunksize;        /* 0: CPython's default */
	int sig;              /* crash signal number */
	bool on_error_continue; /* on_error=continue: report the error, go on */
	char *text;           /* print / put / send / list / dict value template; raise
	                       * message ("" when none); NULL for other steps */
	char *key;            /* dict key template; NULL for dict_get of the whole dict */
	char *errtype;        /* raise: the error type, e.g. "ValueError" */
	int match;            /* repeat: index of the matching end; end: of its repeat */
};

struct sc_function {
	struct sc_step *steps;
	int nsteps;
};

struct sc_process {
	int func;             /* function run by each copy */
	int count;            /* copies, >= 1 */
	bool daemon;
	struct sc_expr arg;   /* argument each copy gets ({i} = copy index, from 0) */
};

struct sc_thread {
	int func;
	struct sc_expr arg;
};

struct sc_queue {
	int maxsize;          /* 0: unbounded */
};

struct sc_pipe {
	bool duplex;          /* true: socketpair; false: pipe(2), end a reads, end b writes */
};

struct sc_pool {
	int processes;        /* >= 1 */
	int maxtasksperchild; /* 0: unlimited */
};

struct sc_object {
	enum sc_kind kind;
	char name[SC_NAME_MAX + 1];
	int line;             /* line of the section header */
	union {
		struct sc_function fn;
		struct sc_process proc;
		struct sc_thread thr;
		struct sc_queue q;
		struct sc_pipe pipe;
		struct sc_pool pool;
	} u;
};

struct scenario {
	char *path;           /* as given by the user */
	char *title;
	char *description;
	int64_t timeout_ns;   /* default 60 s */
	int max_processes;    /* default SC_DEFAULT_MAX_PROCESSES */
	int max_threads;
	int main_func;        /* function run by the main process */
	char *expect_error;   /* an error text that finishes the scenario as written, or NULL */
	struct sc_object *objs;
	int nobjs;
};

/* Name of a kind as written in section headers: "function", "queue" ... */
const char *sc_kind_name(enum sc_kind kind);

/* Index of the object called 'name', or -1. */
int scenario_find(const struct scenario *sc, const char *name);

/* Free everything owned by 'sc' (not 'sc' itself). Safe on a zeroed struct. */
void scenario_free(struct scenario *sc);

#endif
