#ifndef IPCSCOPE_TRACE_READER_INT_H
#define IPCSCOPE_TRACE_READER_INT_H
/*
 * Inside the trace reader (reader*.c only): text storage, the object name
 * table shared by the parsing threads, and the parser of one event line.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "trace/reader.h"

/* Text storage: blocks that never move, freed together. */
struct trace_arena {
	struct trace_arena *next;
	size_t used, cap;
	char data[];
};

/* A NUL-terminated copy of 'len' bytes of 's' in the blocks at *head. */
char *reader_arena_copy(struct trace_arena **head, const char *s, size_t len);
void reader_arena_free(struct trace_arena *a);

/* Object names: the header's, indexed once (then read by the parsing
 * threads without a lock), and those first met in events (under 'lock'). */
struct names {
	char (*name)[SC_NAME_MAX + 1];
	int *kind;
	int n, cap;
	int nheader;
	int *hash;                 /* header names: open addressing, -1 empty */
	int hcap;
	pthread_mutex_t lock;
};

/* Append a name (before reader_names_seal; or under the lock). */
void reader_names_add(struct names *nm, const char *name, int kind);
/* The header is read: index its names; later names never move them. */
void reader_names_seal(struct names *nm);
/* Index of 'name', added with 'kind' when new; -1 for a bad name or past
 * SC_MAX_OBJECTS. Safe from several threads after reader_names_seal. */
int reader_names_find(struct names *nm, const char *name, int kind);
void reader_names_free(struct names *nm);

/* The index whose name_of() is 's', or -1. */
int reader_enum_of(const char *(*name_of)(int), int count, const char *s);
/* sc_kind_name with an int, for reader_enum_of. */
const char *reader_kind_label(int k);

/* Samples parsed by one thread, in line order (merged after). */
struct sample_buf {
	struct trace_sample *s;
	size_t n, cap;
	struct trace_proc_sample *p;
	size_t np, capp;
};

/* Parsing one event line: where texts go, and the error text. */
struct parse_ctx {
	struct names *nm;
	struct trace_arena **arena;
	char *err;                 /* "error text" without the FILE:LINE prefix */
	size_t errlen;
	struct sample_buf *samples; /* where "sample" records go; NULL: refused */
};

/* Parse the line of 'len' bytes at 's' into 'ev'. A "sample" record goes
 * to c->samples instead, and 'ev' gets kind EV_NONE and the record's time.
 * Returns false with c->err set (without the FILE:LINE prefix). */
bool reader_parse_event(struct parse_ctx *c, const char *s, size_t len,
    struct event *ev);

/* The body of a "sample" record 'o' (a jansson object; "t" already read
 * into 't_ns') into c->samples. Returns false with c->err set. */
bool reader_parse_sample(struct parse_ctx *c, void *o, int64_t t_ns);

#endif
