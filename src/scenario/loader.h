#ifndef IPCSCOPE_SCENARIO_LOADER_H
#define IPCSCOPE_SCENARIO_LOADER_H
/*
 * Private state of one scenario load, shared by the loader's files:
 * prescan.c (bytes and line shapes), section.c (headers), keys.c (key
 * table), load.c (inih driver), step_parse.c (steps), check.c (whole-model
 * checks). Not for use outside src/scenario/.
 */
#include <stdbool.h>
#include <stddef.h>

#include "scenario/diag.h"
#include "scenario/scenario.h"

/* Longest accepted line in bytes (without the newline). inih gets a larger
 * buffer, so it never splits a line and line numbers never shift. */
#define LD_LINE_MAX   8192
/* Largest scenario file read. */
#define LD_FILE_MAX   (16 * 1024 * 1024)
/* Most keys a section kind has in the key table. */
#define LD_KEYS_MAX   8

/* A section header found by the prescan: line and the text between [ ]. */
struct ld_header {
	int line;
	char *text;           /* NULL: a malformed header (already reported) */
};

/* What a section header turned into. */
#define LD_SEC_SCENARIO  (-1)
#define LD_SEC_IGNORE    (-2)    /* bad header: its keys are skipped */

struct ld_raw {                  /* a value kept for after all sections are known */
	int line;
	char *text;
};

struct ld_obj {
	int key_line[LD_KEYS_MAX];   /* line of each key of the kind's table, 0 if absent */
	struct ld_raw run;           /* process / thread: run = FUNC */
	struct ld_raw *steps;        /* function: raw step lines */
	int nsteps, capsteps;
};

struct loader {
	const char *file;
	struct diag diag;
	struct scenario *sc;
	struct ld_obj *lo;           /* parallel to sc->objs */
	int capobjs;
	struct ld_header *hdr;       /* every section header, in line order */
	int *hdr_sec;                /* per header: object index or LD_SEC_* */
	int nhdr;
	int cur;                     /* header of the line being handled, -1 before the first */
	int scn_line;                /* line of [scenario], 0 if none */
	int scn_key_line[LD_KEYS_MAX];
	struct ld_raw main;          /* main = FUNC */
	bool too_many_objs;
};

/* prescan.c: check every line of buf[len] (any bytes), report bad lines
 * (NUL, control bytes, invalid UTF-8, too long, indented, not a key,
 * header or comment) and return a NUL-terminated copy in which those lines
 * are blank, so inih sees the same line numbers. Collects headers. */
char *ld_prescan(struct loader *ld, const char *buf, size_t len);

/* section.c: turn the collected headers into objects. */
void ld_sections(struct loader *ld);

/* keys.c: handle 'key = value' at 'line' in header ld->cur. */
void ld_key(struct loader *ld, const char *key, const char *value, int line);
/* keys.c: report missing required keys; fill defaults. */
void ld_keys_finish(struct loader *ld);

/* step_parse.c: parse every function's raw steps into the model and
 * match repeat/end. */
void ld_steps(struct loader *ld);

/* check.c: whole-model checks: main, cycles, caps. */
void ld_check(struct loader *ld);

/* Report an undefined name or a name of the wrong kind; returns the index
 * or -1. 'kinds' is a KIND_BIT mask; 'what' names the use in messages. */
int ld_lookup(struct loader *ld, int line, const char *name, unsigned kinds);



/* keys.c: defaults, set before any key is read. */
void ld_object_defaults(struct sc_object *o);
void ld_scenario_defaults(struct scenario *sc);

/* keys.c: line of key 'key' in [scenario], 0 if absent. */
int ld_scenario_key_line(const struct loader *ld, const char *key);
#endif
