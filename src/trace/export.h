#ifndef IPCSCOPE_TRACE_EXPORT_H
#define IPCSCOPE_TRACE_EXPORT_H
/*
 * Exporters of a recording to formats other tools read, one row each in
 * export_table: Chrome Trace Event JSON for Perfetto / chrome://tracing
 * (export_perfetto.c) and CSV (export_csv.c).
 */
#include <stddef.h>
#include <stdio.h>

#include "trace/reader.h"

struct exporter {
	const char *name;          /* --format NAME */
	const char *what;          /* one line for --help */
	/* Write 't' to 'out'. Returns 0, or -1 with 'err' set. Write errors
	 * are the caller's to find (ferror). */
	int (*fn)(const struct trace *t, FILE *out, char *err, size_t errlen);
};

extern const struct exporter export_table[];
extern const size_t export_count;

/* The exporter called 'name', or NULL. */
const struct exporter *export_find(const char *name);

int export_perfetto(const struct trace *t, FILE *out, char *err, size_t errlen);
int export_csv(const struct trace *t, FILE *out, char *err, size_t errlen);

/* The kind-specific fields of 'ev' as "key=value ..." (the trace's field
 * names, objects by name, no text), for CSV rows and slice arguments. */
void export_info(const struct trace *t, const struct event *ev, char *buf,
    size_t len);

#endif
