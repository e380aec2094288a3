/* The trace reader: JSON lines (jansson) back into events. */
#include "trace/reader.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scenario/load.h"
#include "trace/jsonl.h"
#include "trace/reader_int.h"
#include "util/xmem.h"

#define PAR_MIN_LINES 20000      /* fewer lines: one thread */
#define MAX_THREADS 4

/* ---- jansson's memory while the threads parse: a bump buffer per thread,
 * emptied after each line (a line's values are all freed with it) ---- */

#define BUMP_SIZE (1u << 20)

static __thread char *bump_buf;
static __thread size_t bump_used;

static void *
bump_malloc(size_t n)
{
	n = (n + 15) & ~(size_t)15;
	if (bump_buf && BUMP_SIZE - bump_used >= n) {
		void *p = bump_buf + bump_used;
		bump_used += n;
		return p;
	}
	return malloc(n);
}

static void
bump_free(void *p)
{
	if (bump_buf && (char *)p >= bump_buf && (char *)p < bump_buf + BUMP_SIZE)
		return;
	free(p);
}

/* ---- the header ---- */

static char *
dup_str(json_t *o, const char *k)
{
	json_t *j = json_object_get(o, k);
	return j && json_is_string(j) ? xstrdup(json_string_value(j)) : NULL;
}

static bool
parse_header(struct trace *t, struct names *nm, const char *s, size_t len,
    char *err, size_t errlen)
{
	json_error_t je;
	json_t *o = json_loadb(s, len, 0, &je);
	bool ok = false;

	if (!o || !json_is_object(o)) {
		snprintf(err, errlen, "not an ipcscope trace (the first line is %s)",
		    o ? "not a JSON object" : "not JSON");
		goto out;
	}
	json_t *f = json_object_get(o, "format"), *v = json_object_get(o, "version");
	if (!f && json_object_get(o, "processes") && json_object_get(o, "edges")) {
		snprintf(err, errlen, "a recording of ipcscope watch or attach (/proc "
		    "snapshots); replay and export read recordings of scenario runs "
		    "(ipcscope run --record)");
		goto out;
	}
	if (!f || !json_is_string(f) || strcmp(json_string_value(f), JSONL_FORMAT) != 0) {
		snprintf(err, errlen, "not an ipcscope trace (no \"format\":\"%s\")",
		    JSONL_FORMAT);
		goto out;
	}
	if (!v || !json_is_integer(v) || json_integer_value(v) < 1) {
		snprintf(err, errlen, "missing or bad \"version\"");
		goto out;
	}
	if (json_integer_value(v) > JSONL_VERSION) {
		snprintf(err, errlen, "trace format version %lld is newer than this "
		    "ipcscope reads (version %d); use a newer ipcscope",
		    (long long)json_integer_value(v), JSONL_VERSION);
		goto out;
	}
	t->version = (int)json_integer_value(v);
	t->generator = dup_str(o, "generator");
	t->sc.path = dup_str(o, "scenario");
	t->sc.title = dup_str(o, "title");
	t->sc.expect_error = dup_str(o, "expect_error");
	json_t *sp = json_object_get(o, "speed"), *to = json_object_get(o, "timeout");
	t->speed = sp && json_is_number(sp) ? json_number_value(sp) : 1.0;
	t->timeout_s = to && json_is_number(to) ? json_number_value(to) : 0;
	json_t *objs = json_object_get(o, "objects");
	if (objs && !json_is_array(objs)) {
		snprintf(err, errlen, "\"objects\" is not an array");
		goto out;
	}
	size_t i;
	json_t *it;
	json_array_foreach(objs, i, it) {
		json_t *n = json_object_get(it, "name"), *k = json_object_get(it, "kind");
		int kind = k && json_is_string(k) ?
		    reader_enum_of(reader_kind_label, SC_KIND_COUNT, json_string_value(k)) : -1;
		if (!n || !json_is_string(n) || json_string_length(n) == 0 ||
		    json_string_length(n) > SC_NAME_MAX || kind < 0) {
			snprintf(err, errlen, "object %zu of the header: bad name or kind", i);
			goto out;
		}
		if (nm->n >= SC_MAX_OBJECTS) {
			snprintf(err, errlen, "more than %d objects", SC_MAX_OBJECTS);
			goto out;
		}
		reader_names_add(nm, json_string_value(n), kind);
	}
	ok = true;
out:
	json_decref(o);
	return ok;
}

/* ---- the lines, in parallel ---- */

struct slice {
	struct trace *t;
	struct names *nm;
	const char *buf;
	const size_t *line_off;    /* start of event line k */
	size_t from, to;           /* event lines [from, to) */
	struct trace_arena *arena;
	size_t bad;                /* first bad event line, or SIZE_MAX */
	char err[TRACE_ERR_SIZE];
	struct sample_buf sb;      /* "sample" records of these lines */
};

static void *
slice_parse(void *arg)
{
	struct slice *sl = arg;
	struct parse_ctx c = { sl->nm, &sl->arena, sl->err, sizeof(sl->err), &sl->sb };

	sl->bad = SIZE_MAX;
	bump_buf = xmalloc(BUMP_SIZE);
	for (size_t k = sl->from; k < sl->to; k++) {
		size_t len = sl->line_off[k + 1] - 1 - sl->line_off[k];
		bump_used = 0;
		if (!reader_parse_event(&c, sl->buf + sl->line_off[k], len, &sl->t->ev[k])) {
			sl->bad = k;
			break;
		}
	}
	free(bump_buf);
	bump_buf = NULL;
	return NULL;
}

static int
nthreads_for(size_t nlines)
{
	if (nlines < PAR_MIN_LINES)
		return 1;
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : (int)n;
}

/* Copy the scenario details from its file when it agrees with the trace. */
static void
scenario_from_file(struct trace *t)
{
	struct stat st;
	/* Only a regular file: never wait on a terminal or a fifo. */
	if (!t->sc.path || stat(t->sc.path, &st) != 0 || !S_ISREG(st.st_mode))
		return;
	FILE *devnull = fopen("/dev/null", "w");
	if (!devnull)
		return;
	struct scenario f = { 0 };
	int rc = scenario_load_file(t->sc.path, &f, devnull);
	fclose(devnull);
	if (rc != 0)
		return;
	bool same = f.nobjs == t->sc.nobjs;
	for (int i = 0; same && i < f.nobjs; i++)
		same = f.objs[i].kind == t->sc.objs[i].kind &&
		    strcmp(f.objs[i].name, t->sc.objs[i].name) == 0;
	if (!same) {
		scenario_free(&f);
		return;
	}
	free(f.path);
	f.path = t->sc.path;
	t->sc.path = NULL;
	scenario_free(&t->sc);
	t->sc = f;
	t->sc_from_file = true;
}

static void
build_scenario(struct trace *t, const struct names *nm)
{
	t->sc.nobjs = nm->n;
	t->sc.objs = xcalloc((size_t)(nm->n ? nm->n : 1), sizeof(*t->sc.objs));
	for (int i = 0; i < nm->n; i++) {
		struct sc_object *o = &t->sc.objs[i];
		o->kind = (enum sc_kind)nm->kind[i];
		snprintf(o->name, sizeof(o->name), "%s", nm->name[i]);
		if (o->kind == SC_PIPE)
			o->u.pipe.duplex = true;
	}
	/* any number may stand in a header: only a valid duration converts */
	t->sc.timeout_ns = t->timeout_s > 0 && t->timeout_s * 1e9 <= (double)SC_MAX_DURATION_NS ?
	    (int64_t)(t->timeout_s * 1e9) : 0;
	t->sc.max_processes = SC_DEFAULT_MAX_PROCESSES;
	t->sc.max_threads = SC_DEFAULT_MAX_THREADS;
	t->sc.main_func = -1;
	if (nm->n == nm->nheader)
		scenario_from_file(t);
}

/* The slices' samples, in line order, into the trace (the buffers are
 * emptied); then the events without the samples' EV_NONE places. */
static void
samples_collect(struct trace *t, struct slice *sl, int nth)
{
	size_t ns = 0, np = 0;
	for (int i = 0; i < nth; i++) {
		ns += sl[i].sb.n;
		np += sl[i].sb.np;
	}
	if (ns == 0)
		return;
	t->samples = xreallocarray(NULL, ns, sizeof(*t->samples));
	t->sprocs = xreallocarray(NULL, np ? np : 1, sizeof(*t->sprocs));
	for (int i = 0; i < nth; i++) {
		struct sample_buf *b = &sl[i].sb;
		for (size_t k = 0; k < b->n; k++) {
			t->samples[t->nsamples] = b->s[k];
			t->samples[t->nsamples++].first += t->nsprocs;
		}
		if (b->np)
			memcpy(t->sprocs + t->nsprocs, b->p, b->np * sizeof(*b->p));
		t->nsprocs += b->np;
	}
	size_t k = 0;
	for (size_t i = 0; i < t->nev; i++)
		if (t->ev[i].kind != EV_NONE)
			t->ev[k++] = t->ev[i];
	t->nev = k;
}

static void
samples_free(struct slice *sl, int nth)
{
	for (int i = 0; i < nth; i++) {
		free(sl[i].sb.s);
		free(sl[i].sb.p);
	}
}

struct trace *
trace_open_buffer(const char *name, const char *buf, size_t len, char *err,
    size_t errlen)
{
	struct trace *t = xcalloc(1, sizeof(*t));
	struct names nm = { 0 };
	size_t *off = NULL, nlines = 0, cap = 0;
	struct slice sl[MAX_THREADS];
	int nsl = 0;                 /* slices whose sample buffers need freeing */
	pthread_mutex_init(&nm.lock, NULL);
	t->path = xstrdup(name);

	/* Line starts; off[nlines] is one past the last whole line's '\n'. */
	size_t pos = 0;
	while (pos < len) {
		const char *nl = memchr(buf + pos, '\n', len - pos);
		if (!nl)
			break;
		if (nlines + 2 > cap) {
			cap = cap ? cap * 2 : 1024;
			off = xreallocarray(off, cap, sizeof(*off));
		}
		off[nlines++] = pos;
		pos = (size_t)(nl - buf) + 1;
	}
	if (!off)
		off = xmalloc(sizeof(*off));
	off[nlines] = pos;
	bool partial = pos < len;   /* bytes after the last '\n' */

	if (nlines == 0) {
		snprintf(err, errlen, "%s:1: error: %s", name, len == 0 ?
		    "empty file, not an ipcscope trace" : "no complete first line");
		goto fail;
	}
	char herr[TRACE_ERR_SIZE];
	if (!parse_header(t, &nm, buf, off[1] - 1, herr, sizeof(herr))) {
		snprintf(err, errlen, "%s:1: error: %s", name, herr);
		goto fail;
	}
	reader_names_seal(&nm);

	t->nev = nlines - 1;
	t->ev = xcalloc(t->nev ? t->nev : 1, sizeof(*t->ev));
	int nth = nthreads_for(t->nev);
	json_set_alloc_funcs(bump_malloc, bump_free);
	pthread_t th[MAX_THREADS];
	bool started[MAX_THREADS] = { false };
	for (int i = 0; i < nth; i++) {
		sl[i] = (struct slice){ .t = t, .nm = &nm, .buf = buf,
			.line_off = off + 1, .from = t->nev * (size_t)i / (size_t)nth,
			.to = t->nev * (size_t)(i + 1) / (size_t)nth };
		nsl = i + 1;
		if (i > 0)
			started[i] = pthread_create(&th[i], NULL, slice_parse, &sl[i]) == 0;
		if (i > 0 && !started[i])
			slice_parse(&sl[i]);
	}
	slice_parse(&sl[0]);
	for (int i = 1; i < nth; i++)
		if (started[i])
			pthread_join(th[i], NULL);
	json_set_alloc_funcs(malloc, free);
	size_t bad = SIZE_MAX;
	const char *why = "";
	for (int i = 0; i < nth; i++) {
		struct trace_arena **tail = &sl[i].arena;
		while (*tail)
			tail = &(*tail)->next;
		*tail = t->arenas;
		t->arenas = sl[i].arena;
		if (sl[i].bad < bad) {
			bad = sl[i].bad;
			why = sl[i].err;
		}
	}
	if (bad != SIZE_MAX) {
		snprintf(err, errlen, "%s:%zu: error: %s", name, bad + 2, why);
		goto fail;
	}
	for (size_t k = 1; k < t->nev; k++)
		if (t->ev[k].t_ns < t->ev[k - 1].t_ns) {
			snprintf(err, errlen, "%s:%zu: error: \"t\" goes backwards "
			    "(%.6f after %.6f)", name, k + 2, (double)t->ev[k].t_ns / 1e9,
			    (double)t->ev[k - 1].t_ns / 1e9);
			goto fail;
		}
	samples_collect(t, sl, nth);
	samples_free(sl, nsl);
	nsl = 0;
	if (partial) {
		t->truncated = true;
		snprintf(t->warning, sizeof(t->warning), "%s:%zu: warning: the last "
		    "line is incomplete (the recording was cut short); replaying up "
		    "to line %zu", name, nlines + 1, nlines);
	} else if (t->nev == 0 || t->ev[t->nev - 1].kind != EV_END) {
		t->truncated = true;
		snprintf(t->warning, sizeof(t->warning), "%s:%zu: warning: no \"end\" "
		    "event (the recording was cut short)", name, nlines);
	}
	build_scenario(t, &nm);
	free(off);
	reader_names_free(&nm);
	pthread_mutex_destroy(&nm.lock);
	return t;
fail:
	samples_free(sl, nsl);
	free(off);
	reader_names_free(&nm);
	pthread_mutex_destroy(&nm.lock);
	trace_free(t);
	return NULL;
}

struct trace *
trace_open(const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		snprintf(err, errlen, "%s: error: cannot read: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: error: not a regular file", path);
		close(fd);
		return NULL;
	}
	size_t len = (size_t)st.st_size;
	void *map = len ? mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0) : NULL;
	close(fd);
	if (len && map == MAP_FAILED) {
		snprintf(err, errlen, "%s: error: cannot map: %s", path, strerror(errno));
		return NULL;
	}
	struct trace *t = trace_open_buffer(path, len ? map : "", len, err, errlen);
	if (len)
		munmap(map, len);
	return t;
}

void
trace_free(struct trace *t)
{
	if (!t)
		return;
	free(t->path);
	free(t->generator);
	scenario_free(&t->sc);
	free(t->ev);
	free(t->samples);
	free(t->sprocs);
	reader_arena_free(t->arenas);
	free(t);
}

size_t
trace_index_after(const struct trace *t, int64_t t_ns)
{
	size_t lo = 0, hi = t->nev;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->ev[mid].t_ns <= t_ns)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

size_t
trace_sample_at(const struct trace *t, int64_t t_ns)
{
	size_t lo = 0, hi = t->nsamples;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (t->samples[mid].t_ns <= t_ns)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const char *
trace_obj_name(const struct trace *t, int obj)
{
	return obj >= 0 && obj < t->sc.nobjs ? t->sc.objs[obj].name : "?";
}
