/*
 * libFuzzer target: the scenario loader and checker over any bytes.
 * Contract checked (src/scenario/load.h): scenario_load_string never
 * crashes, hangs or leaks; it returns 0 with a filled model, or the number
 * of problems (> 0) with the model zeroed and at least one
 * "FILE:LINE: error:" or "FILE: error:" line written.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/load.h"
#include "scenario/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The loader takes a C string; a NUL inside the input ends it, as it
	 * would for any caller holding text in memory. */
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';

	char *msg = NULL;
	size_t msglen = 0;
	FILE *err = open_memstream(&msg, &msglen);
	if (!err) {
		free(text);
		return 0;
	}
	struct scenario sc;
	int n = scenario_load_string("fuzz.ini", text, &sc, err);
	fclose(err);
	if (n < 0)
		abort();
	if (n == 0) {
		if (sc.nobjs < 0 || sc.nobjs > SC_MAX_OBJECTS)
			abort();
		scenario_free(&sc);
	} else {
		/* every problem is reported with the file name */
		if (msglen == 0 || strncmp(msg, "fuzz.ini", 8) != 0 ||
		    !strstr(msg, "error: "))
			abort();
	}
	free(msg);
	free(text);
	return 0;
}
