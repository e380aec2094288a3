/* The trace reader: "sample" records (periodic /proc samples, format
 * version 2) into the trace's side table. */
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace/reader_int.h"
#include "util/xmem.h"

static bool __attribute__((format(printf, 2, 3)))
sfail(struct parse_ctx *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->err, c->errlen, fmt, ap);
	va_end(ap);
	return false;
}

/* Optional non-negative integer 'k' of procs[i] into *v. */
static bool
uint_field(struct parse_ctx *c, json_t *o, size_t i, const char *k, int64_t max,
    int64_t *v)
{
	json_t *j = json_object_get(o, k);
	if (!j)
		return true;
	if (!json_is_integer(j) || json_integer_value(j) < 0 ||
	    json_integer_value(j) > max)
		return sfail(c, "sample: procs[%zu]: bad \"%s\"", i, k);
	*v = json_integer_value(j);
	return true;
}

static bool
one_proc(struct parse_ctx *c, json_t *o, size_t i, struct trace_proc_sample *p)
{
	int64_t pid = 0, rss = 0, thr = 0;

	if (!json_is_object(o))
		return sfail(c, "sample: procs[%zu] is not an object", i);
	if (!json_object_get(o, "pid"))
		return sfail(c, "sample: procs[%zu]: missing \"pid\"", i);
	if (!uint_field(c, o, i, "pid", INT32_MAX, &pid) ||
	    !uint_field(c, o, i, "rss", INT64_MAX, &rss) ||
	    !uint_field(c, o, i, "threads", INT32_MAX, &thr))
		return false;
	if (pid == 0)
		return sfail(c, "sample: procs[%zu]: bad \"pid\"", i);
	p->pid = (int32_t)pid;
	p->rss_kib = (uint64_t)rss;
	p->threads = (int32_t)thr;
	p->state = '?';
	json_t *st = json_object_get(o, "state");
	if (st) {
		const char *s = json_is_string(st) ? json_string_value(st) : NULL;
		if (!s || json_string_length(st) != 1 || s[0] <= 0x20 || s[0] >= 0x7f)
			return sfail(c, "sample: procs[%zu]: \"state\" is not one letter", i);
		p->state = s[0];
	}
	p->pcpu = NAN;
	json_t *cpu = json_object_get(o, "cpu");
	if (cpu && !json_is_null(cpu)) {
		double v = json_is_number(cpu) ? json_number_value(cpu) : -1;
		if (!(v >= 0 && v <= 1e6))
			return sfail(c, "sample: procs[%zu]: \"cpu\" is not a "
			    "percentage or null", i);
		p->pcpu = v;
	}
	return true;
}

bool
reader_parse_sample(struct parse_ctx *c, void *obj, int64_t t_ns)
{
	json_t *o = obj, *procs = json_object_get(o, "procs");
	struct sample_buf *b = c->samples;

	if (!procs || !json_is_array(procs))
		return sfail(c, "sample: missing or bad \"procs\" (an array)");
	size_t n = json_array_size(procs);
	if (b->np + n > b->capp) {
		b->capp = b->capp * 2 > b->np + n ? b->capp * 2 : b->np + n + 64;
		b->p = xreallocarray(b->p, b->capp, sizeof(*b->p));
	}
	for (size_t i = 0; i < n; i++)
		if (!one_proc(c, json_array_get(procs, i), i, &b->p[b->np + i]))
			return false;
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 64;
		b->s = xreallocarray(b->s, b->cap, sizeof(*b->s));
	}
	b->s[b->n++] = (struct trace_sample){ .t_ns = t_ns, .first = b->np, .n = n };
	b->np += n;
	return true;
}
