#ifndef IPCSCOPE_SCENARIO_RESOLVE_H
#define IPCSCOPE_SCENARIO_RESOLVE_H
/*
 * Where bundled scenarios live (scenario_resolve itself is in load.h).
 */

/* The folder of bundled scenarios: the source tree's scenarios/ when the
 * running binary sits in a source tree (or up to three folders below it), else
 * IPCSCOPE_DATADIR "/scenarios". Returns a new string (caller frees). */
char *scenario_bundled_dir(void);

#endif
