#ifndef IPCSCOPE_TEST_SCENARIO_UTIL_H
#define IPCSCOPE_TEST_SCENARIO_UTIL_H
/* Shared by the scenario unit tests: load a text, capture the messages. */
#include <stdio.h>
#include <stdlib.h>

#include "scenario/load.h"

/* Load 'text' as file "t.ini"; returns the number of problems and sets
 * *errs to the messages (caller frees). */
static inline int
tu_load(const char *text, struct scenario *sc, char **errs)
{
	size_t len = 0;
	FILE *f = open_memstream(errs, &len);
	int n = scenario_load_string("t.ini", text, sc, f);

	fclose(f);
	return n;
}

#endif
