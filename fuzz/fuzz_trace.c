/*
 * libFuzzer target: the trace reader (src/trace/reader.h) over any bytes.
 * Contract checked: trace_open_buffer never crashes, hangs or leaks; it
 * returns a trace (events in file order, nev consistent, every text
 * NUL-terminated) or NULL with an error message naming the file.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "trace/reader.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[TRACE_ERR_SIZE] = "";
	struct trace *t = trace_open_buffer("fuzz.jsonl", (const char *)data, size,
	    err, sizeof err);

	if (!t) {
		if (strncmp(err, "fuzz.jsonl", 10) != 0)
			abort();
		return 0;
	}
	if (t->nev > size)            /* at most one event per line */
		abort();
	size_t total = 0;
	for (size_t i = 0; i < t->nev; i++)
		if (t->ev[i].text)
			total += strlen(t->ev[i].text);
	(void)total;
	if (t->nev && trace_index_after(t, INT64_MAX) != t->nev)
		abort();
	(void)trace_obj_name(t, -1);
	trace_free(t);
	return 0;
}
