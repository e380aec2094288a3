/* The trace reader's text storage and object name table. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace/reader_int.h"
#include "util/xmem.h"

#define ARENA_BLOCK (1u << 20)

/* ---- text storage: blocks that never move ---- */

char *
reader_arena_copy(struct trace_arena **head, const char *s, size_t len)
{
	struct trace_arena *a = *head;
	if (!a || a->cap - a->used < len + 1) {
		size_t cap = len + 1 > ARENA_BLOCK ? len + 1 : ARENA_BLOCK;
		a = xmalloc(sizeof(*a) + cap);
		a->cap = cap;
		a->used = 0;
		a->next = *head;
		*head = a;
	}
	char *p = a->data + a->used;
	memcpy(p, s, len);
	p[len] = '\0';
	a->used += len + 1;
	return p;
}

void
reader_arena_free(struct trace_arena *a)
{
	while (a) {
		struct trace_arena *n = a->next;
		free(a);
		a = n;
	}
}

/* ---- object names: the header's (read-only, shared by the threads) and
 * those first met in events (under a lock) ---- */

static unsigned
name_hash(const char *s)
{
	unsigned h = 2166136261u;
	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

void
reader_names_add(struct names *nm, const char *name, int kind)
{
	if (nm->n == nm->cap) {
		nm->cap = nm->cap ? nm->cap * 2 : 16;
		nm->name = xreallocarray(nm->name, (size_t)nm->cap, sizeof(*nm->name));
		nm->kind = xreallocarray(nm->kind, (size_t)nm->cap, sizeof(*nm->kind));
	}
	snprintf(nm->name[nm->n], sizeof(nm->name[0]), "%s", name);
	nm->kind[nm->n] = kind;
	nm->n++;
}

/* After the header: index its names. */
void
reader_names_seal(struct names *nm)
{
	nm->nheader = nm->n;
	/* Names met later never move the arrays the threads read unlocked. */
	nm->cap = SC_MAX_OBJECTS;
	nm->name = xreallocarray(nm->name, (size_t)nm->cap, sizeof(*nm->name));
	nm->kind = xreallocarray(nm->kind, (size_t)nm->cap, sizeof(*nm->kind));
	nm->hcap = 16;
	while (nm->hcap < nm->n * 2)
		nm->hcap *= 2;
	nm->hash = xmalloc(sizeof(int) * (size_t)nm->hcap);
	for (int i = 0; i < nm->hcap; i++)
		nm->hash[i] = -1;
	for (int i = 0; i < nm->n; i++) {
		unsigned h = name_hash(nm->name[i]) & (unsigned)(nm->hcap - 1);
		while (nm->hash[h] >= 0)
			h = (h + 1) & (unsigned)(nm->hcap - 1);
		nm->hash[h] = i;
	}
}

/* Index of 'name' (of kind 'kind' when new), added when unknown; -1 when
 * the name is not a valid object name. */
int
reader_names_find(struct names *nm, const char *name, int kind)
{
	unsigned h = name_hash(name) & (unsigned)(nm->hcap - 1);
	for (int i; (i = nm->hash[h]) >= 0; h = (h + 1) & (unsigned)(nm->hcap - 1))
		if (strcmp(nm->name[i], name) == 0)
			return i;
	if (strlen(name) > SC_NAME_MAX || !name[0])
		return -1;
	pthread_mutex_lock(&nm->lock);
	int found = -1;
	for (int i = nm->nheader; i < nm->n && found < 0; i++)
		if (strcmp(nm->name[i], name) == 0)
			found = i;
	if (found < 0 && nm->n < SC_MAX_OBJECTS) {
		reader_names_add(nm, name, kind);
		found = nm->n - 1;
	}
	pthread_mutex_unlock(&nm->lock);
	return found;
}

void
reader_names_free(struct names *nm)
{
	free(nm->name);
	free(nm->kind);
	free(nm->hash);
}

/* ---- enum names back to numbers ---- */

int
reader_enum_of(const char *(*name_of)(int), int count, const char *s)
{
	for (int i = 0; i < count; i++)
		if (strcmp(name_of(i), s) == 0)
			return i;
	return -1;
}

const char *
reader_kind_label(int k)
{
	return sc_kind_name((enum sc_kind)k);
}
