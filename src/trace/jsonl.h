#ifndef IPCSCOPE_JSONL_H
#define IPCSCOPE_JSONL_H
/*
 * The JSON-lines trace writer (docs/trace-format.md): a header object on
 * the first line, then one object per event. Objects are named by their
 * scenario names. Strings are escaped for JSON: quotes, backslashes and
 * every control character; bytes that are not valid UTF-8 become U+FFFD,
 * so every line is valid JSON whatever the scenario printed.
 */
#include <stdint.h>
#include <stdio.h>

#include "event/event.h"
#include "scenario/scenario.h"

#define JSONL_FORMAT  "ipcscope-trace"
#define JSONL_VERSION 1

/* The header line: format, version, the scenario (path, title, timeout,
 * expect_error), the speed and its objects (name and kind, by index). */
void jsonl_write_header(FILE *f, const struct scenario *sc, double speed);

/* One event line. 'ev->t_ns' is nanoseconds since the start of the run.
 * 'sc' names the objects (ev->obj indexes sc->objs). */
void jsonl_write_event(FILE *f, const struct scenario *sc, const struct event *ev);

/* Write 'len' bytes of 's' as a JSON string literal, quotes included. */
void jsonl_write_string(FILE *f, const char *s, size_t len);

#endif
