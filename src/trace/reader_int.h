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

/* Parsing one event line: where texts go, and the error text. */
struct parse_ctx {
	struct names *nm;
	struct trace_arena **arena;
	char *err;                 /* "error text" without the FILE:LINE prefix */
	size_t errlen;
};

/* Parse the line of 'len' bytes at 's' into 'ev'. Returns false with
 * c->err set (without the FILE:LINE prefix). */
bool reader_parse_event(struct parse_ctx *c, const char *s, size_t len,
    struct event *ev);

#endif
