/*
 * Diagnostics: collect, sort by line, print gcc style.
 */
#include "scenario/diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util/xmem.h"

void
diag_add(struct diag *d, int line, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		xmem_fatal("out of memory");
	va_end(ap);
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 16;
		d->v = xreallocarray(d->v, d->cap, sizeof(*d->v));
	}
	d->v[d->n].line = line;
	d->v[d->n].seq = (unsigned)d->n;
	d->v[d->n].msg = msg;
	d->n++;
}

size_t
diag_count_line(const struct diag *d, int line)
{
	size_t c = 0;

	for (size_t i = 0; i < d->n; i++)
		if (d->v[i].line == line)
			c++;
	return c;
}

static int
diag_cmp(const void *pa, const void *pb)
{
	const struct diag_msg *a = pa, *b = pb;

	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

void
diag_print(struct diag *d, const char *file, FILE *out)
{
	if (d->n > 1)
		qsort(d->v, d->n, sizeof(*d->v), diag_cmp);
	if (!out)
		return;
	for (size_t i = 0; i < d->n && i < DIAG_PRINT_MAX; i++) {
		if (d->v[i].line > 0)
			fprintf(out, "%s:%d: error: %s\n", file, d->v[i].line, d->v[i].msg);
		else
			fprintf(out, "%s: error: %s\n", file, d->v[i].msg);
	}
	if (d->n > DIAG_PRINT_MAX)
		fprintf(out, "%s: error: %zu more errors not shown\n", file,
		    d->n - DIAG_PRINT_MAX);
}

void
diag_free(struct diag *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->v[i].msg);
	free(d->v);
	d->v = NULL;
	d->n = d->cap = 0;
}

const char *
diag_clip(char buf[DIAG_CLIP_SIZE], const char *s)
{
	size_t n = strlen(s);

	if (n <= 40) {
		memcpy(buf, s, n + 1);
		return buf;
	}
	n = 36;
	while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;                  /* do not cut a UTF-8 sequence */
	memcpy(buf, s, n);
	memcpy(buf + n, "...", 4);
	return buf;
}

/* Levenshtein distance, capped: words longer than 32 bytes never match. */
static int
diag_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	int row[33], prev, tmp;

	if (la > 32 || lb > 32)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		row[j] = (int)j;
	for (size_t i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = (int)i;
		for (size_t j = 1; j <= lb; j++) {
			int best = prev + (a[i - 1] != b[j - 1]);
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			tmp = row[j];
			row[j] = best;
			prev = tmp;
		}
	}
	return row[lb];
}

const char *
diag_suggest(const char *word, const char *const *cands, size_t n)
{
	const char *best = NULL;
	int bestd = 3, len = (int)strlen(word);

	for (size_t i = 0; i < n; i++) {
		int dist = diag_distance(word, cands[i]);
		if (dist < bestd && dist * 2 <= len) {
			bestd = dist;
			best = cands[i];
		}
	}
	return best;
}
