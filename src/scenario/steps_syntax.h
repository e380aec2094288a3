#ifndef IPCSCOPE_SCENARIO_STEPS_SYNTAX_H
#define IPCSCOPE_SCENARIO_STEPS_SYNTAX_H
/*
 * The syntax of every step verb, one table row per verb: its step kind,
 * its positional arguments and the options it accepts. The step parser
 * (step_parse.c) is driven by this table; adding a verb is adding a row
 * (and an executor in the runtime).
 */
#include <stdbool.h>

#include "scenario/scenario.h"

enum syn_arg {
	ARG_NONE,
	ARG_DUR,          /* duration -> dur_ns */
	ARG_TEXT,         /* text template -> text */
	ARG_KEY,          /* dict key template -> key */
	ARG_OBJ,          /* object of one of 'kinds' -> obj */
	ARG_END,          /* pipe end NAME.a / NAME.b -> obj, end */
	ARG_FUNC,         /* function -> func */
	ARG_EXPR,         /* expression (rest of the line) -> expr */
	ARG_RANGE,        /* LO..HI -> lo, hi */
	ARG_COUNT,        /* repeat count -> count */
	ARG_ERRTYPE,      /* error type name -> errtype */
	ARG_SIGNAL,       /* signal -> sig */
};

#define KIND_BIT(k) (1u << (k))

struct syn_argspec {
	enum syn_arg type;
	unsigned kinds;   /* ARG_OBJ: allowed kinds (KIND_BIT); ARG_OBJ with
	                   * KIND_BIT(SC_PIPE) also accepts a pipe end */
	bool optional;
};

enum syn_opt {
	OPT_TIMEOUT        = 1 << 0,
	OPT_CHUNKSIZE      = 1 << 1,
	OPT_CALLBACK       = 1 << 2,
	OPT_ERROR_CALLBACK = 1 << 3,
	OPT_EACH           = 1 << 4,
	OPT_ON_ERROR       = 1 << 5,
};

/* Pipe end use: what the step does with the end it names. */
enum syn_dir { DIR_NONE, DIR_RECV, DIR_SEND };

#define SYN_MAX_ARGS 4

struct syn_verb {
	const char *name;
	enum sc_step_kind kind;
	const char *usage;          /* "put QUEUE TEXT [timeout=DUR]" */
	struct syn_argspec args[SYN_MAX_ARGS];
	unsigned opts;              /* enum syn_opt bits */
	enum syn_dir dir;
};

extern const struct syn_verb syn_verbs[];
extern const int syn_nverbs;

struct syn_optdef {
	const char *name;
	enum syn_opt bit;
};
extern const struct syn_optdef syn_opts[];
extern const int syn_nopts;

/* The row for 'verb', or NULL. */
const struct syn_verb *syn_find(const char *verb);

/* The verb that a step kind is written as ("close" for STEP_CLOSE_END). */
const char *syn_kind_verb(enum sc_step_kind kind);

#endif
