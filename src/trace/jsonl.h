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
#include "proc/sampler.h"
#include "scenario/scenario.h"

#define JSONL_FORMAT  "ipcscope-trace"
/* 2: adds "sample" records (periodic /proc samples, --record only);
 * version 1 readers refused unknown "ev" kinds, hence the bump. */
#define JSONL_VERSION 2

/* The header line: format, version, the scenario (path, title, timeout,
 * expect_error), the speed and its objects (name and kind, by index). */
void jsonl_write_header(FILE *f, const struct scenario *sc, double speed);

/* One event line. 'ev->t_ns' is nanoseconds since the start of the run.
 * 'sc' names the objects (ev->obj indexes sc->objs). */
void jsonl_write_event(FILE *f, const struct scenario *sc, const struct event *ev);

/* One "sample" line (docs/trace-format.md): the /proc state, %CPU, RSS and
 * threads of the 'n' processes in 'v' (as the sampler hands them out),
 * taken at 't_ns' (nanoseconds since the start of the run, as events),
 * written by the observer 'observer_pid'. A NAN pcpu is written as null. */
void jsonl_write_sample(FILE *f, int64_t t_ns, int32_t observer_pid,
    const struct proc_sample *v, size_t n);

/* Write 'len' bytes of 's' as a JSON string literal, quotes included. */
void jsonl_write_string(FILE *f, const char *s, size_t len);

#endif
