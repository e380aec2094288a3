#ifndef IPCSCOPE_SCENARIO_LEX_H
#define IPCSCOPE_SCENARIO_LEX_H
/*
 * Lexical pieces of the scenario language: splitting a step line into
 * words, quoted strings and key=value options, and parsing the scalar
 * values (integers with ranges, durations, booleans, names, expressions,
 * LO..HI ranges, signals).
 *
 * Every parser takes 'what' (the key or step the value belongs to, used in
 * messages), returns true on success, and on failure writes one complete
 * lowercase message into err[LEX_ERR_SIZE].
 */
#include <stdbool.h>
#include <stdint.h>

#include "scenario/scenario.h"

#define LEX_ERR_SIZE 384

/* Integers written in a scenario stay within +-LEX_INT_MAX. */
#define LEX_INT_MAX SC_MAX_EXPR_INT

struct lex_tok {
	char *s;              /* the word, the unescaped string, or the option key */
	char *val;            /* option value (key=value), else NULL */
	bool quoted;          /* s came from "..." */
};

struct lex_toks {
	struct lex_tok *v;
	int n, cap;
};

/* Split 'line' into tokens appended to 't' (owned by 't'; free with
 * lex_toks_free, also after a failure). */
bool lex_split(const char *line, struct lex_toks *t, char *err);
void lex_toks_free(struct lex_toks *t);

bool lex_int(const char *what, const char *s, int64_t lo, int64_t hi,
    int64_t *out, char *err);
/* A duration in [lo_ns, hi_ns]: 2s, 500ms, 250us, 1.5s, 2m. */
bool lex_duration(const char *what, const char *s, int64_t lo_ns,
    int64_t hi_ns, int64_t *out, char *err);
bool lex_bool(const char *what, const char *s, bool *out, char *err);
/* A valid object name: [A-Za-z_][A-Za-z0-9_]*, at most SC_NAME_MAX bytes. */
bool lex_name(const char *s, char *err);
/* N | arg | i | pid, optionally OP N; braces allowed: {i}, {arg}+1, {arg+1}. */
bool lex_expr(const char *what, const char *s, struct sc_expr *out, char *err);
/* LO..HI with LO <= HI and at most 'maxn' items. */
bool lex_range(const char *what, const char *s, int64_t maxn, int64_t *lo,
    int64_t *hi, char *err);
/* A signal that ends a process: KILL, SIGKILL, 9 ... */
bool lex_signal(const char *s, int *sig, char *err);
/* Name of signal 'sig' without "SIG", or NULL. */
const char *lex_signal_name(int sig);

/* Human text for a duration, e.g. "1.5s", "250ms", into buf[32]. */
const char *lex_duration_str(int64_t ns, char buf[32]);

#endif
