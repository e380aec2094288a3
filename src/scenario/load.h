#ifndef IPCSCOPE_SCENARIO_LOAD_H
#define IPCSCOPE_SCENARIO_LOAD_H
/*
 * Loading and checking scenario files. The only module that includes <ini.h>.
 */
#include <stdio.h>

#include "scenario/scenario.h"

/* Parse and fully check the scenario in file 'path'. On success returns 0
 * and fills '*sc' (owned by the caller: scenario_free). On failure writes
 * every problem found, one per line, as "FILE:LINE: error: MESSAGE" to
 * 'err' (if not NULL), leaves '*sc' zeroed and returns the number of
 * problems (> 0). A file that cannot be read is one problem, reported as
 * "FILE: error: MESSAGE". Never crashes or hangs on any input bytes. */
int scenario_load_file(const char *path, struct scenario *sc, FILE *err);

/* The same for a scenario held in memory; 'name' is used in messages. */
int scenario_load_string(const char *name, const char *text,
    struct scenario *sc, FILE *err);

/* Resolve a SCENARIO argument: an existing file path is returned as is;
 * otherwise a bundled name ("pool_callback") is looked up in the source
 * tree's scenarios/ (next to the running binary), then in
 * IPCSCOPE_DATADIR/scenarios. Returns a new string (caller frees) or NULL. */
char *scenario_resolve(const char *arg);

#endif
