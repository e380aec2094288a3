#ifndef IPCSCOPE_TRACE_READER_H
#define IPCSCOPE_TRACE_READER_H
/*
 * The trace reader: a JSON-lines recording (docs/trace-format.md) back into
 * struct event, parsed with jansson. The whole recording is read at open
 * (two threads share the lines), so every later access is an array index.
 *
 * Errors name the line: "FILE:LINE: error: ...". A recording whose last line
 * is incomplete (the writer was killed mid-line) or that lacks the final
 * `end` event is read up to its last whole line, with a warning.
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "event/event.h"
#include "scenario/scenario.h"

#define TRACE_ERR_SIZE 512

struct trace_arena;

struct trace {
	char *path;              /* as opened (owned) */
	int version;
	char *generator;         /* header fields (owned, NULL when absent) */
	double speed, timeout_s;
	/* The scenario as far as the trace knows it: the header's objects
	 * (name, kind) plus any name first met in an event; when the scenario
	 * file named in the header still loads and agrees on every object's
	 * name and kind, its details too (queue maxsize, pool size, steps). */
	struct scenario sc;
	bool sc_from_file;       /* sc came from the scenario file */
	/* Events in file order; t_ns is nanoseconds since the run's start.
	 * Texts point into the trace's own storage (NUL-terminated). */
	struct event *ev;
	size_t nev;
	bool truncated;          /* last line incomplete or no end event */
	char warning[TRACE_ERR_SIZE]; /* what was wrong with the end, or "" */
	struct trace_arena *arenas;   /* text storage */
};

/* Read the recording at 'path'. Returns a trace the caller frees with
 * trace_free(), or NULL with 'err' set ("FILE:LINE: error: ..."). */
struct trace *trace_open(const char *path, char *err, size_t errlen);

/* The same over 'len' bytes at 'buf' (borrowed for the call only);
 * 'name' is used in messages and as the trace's path. */
struct trace *trace_open_buffer(const char *name, const char *buf, size_t len,
    char *err, size_t errlen);

void trace_free(struct trace *t);

/* Index of the first event with t_ns > 't_ns' (so events [0, result) have
 * happened at 't_ns'); in [0, nev]. */
size_t trace_index_after(const struct trace *t, int64_t t_ns);

/* Name of object 'obj' ("?" when out of range). */
const char *trace_obj_name(const struct trace *t, int obj);

#endif
