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
#include "util/xmem.h"

#define ARENA_BLOCK (1u << 20)
#define PAR_MIN_LINES 20000      /* fewer lines: one thread */
#define MAX_THREADS 4

/* ---- text storage: blocks that never move ---- */

struct trace_arena {
	struct trace_arena *next;
	size_t used, cap;
	char data[];
};

static char *
arena_copy(struct trace_arena **head, const char *s, size_t len)
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

static void
arena_free(struct trace_arena *a)
{
	while (a) {
		struct trace_arena *n = a->next;
		free(a);
		a = n;
	}
}

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

/* ---- object names: the header's (read-only, shared by the threads) and
 * those first met in events (under a lock) ---- */

struct names {
	char (*name)[SC_NAME_MAX + 1];
	int *kind;
	int n, cap;
	int nheader;
	int *hash;                 /* header names: open addressing, -1 empty */
	int hcap;
	pthread_mutex_t lock;
};

static unsigned
name_hash(const char *s)
{
	unsigned h = 2166136261u;
	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static void
names_add(struct names *nm, const char *name, int kind)
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
static void
names_seal(struct names *nm)
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
static int
names_find(struct names *nm, const char *name, int kind)
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
		names_add(nm, name, kind);
		found = nm->n - 1;
	}
	pthread_mutex_unlock(&nm->lock);
	return found;
}

static void
names_free(struct names *nm)
{
	free(nm->name);
	free(nm->kind);
	free(nm->hash);
}

/* ---- enum names back to numbers ---- */

static int
enum_of(const char *(*name_of)(int), int count, const char *s)
{
	for (int i = 0; i < count; i++)
		if (strcmp(name_of(i), s) == 0)
			return i;
	return -1;
}

static const char *
kind_label(int k)
{
	return sc_kind_name((enum sc_kind)k);
}

static const char *
end_state_name(int s)
{
	static const char *const states[] = { "running", "paused", "finished",
		"failed", "deadlock", "timeout" };
	return s >= 0 && s < 6 ? states[s] : "?";
}

static const char *
callback_name(int c)
{
	static const char *const cb[] = { "callback", "error_callback", "map_callback" };
	return c >= 0 && c < 3 ? cb[c] : "?";
}

static const char *
end_label(int e)
{
	return e == 0 ? "a" : e == 1 ? "b" : "?";
}

/* ---- one event line ---- */

struct parse_ctx {
	struct names *nm;
	struct trace_arena **arena;
	char *err;                 /* "error text" without the FILE:LINE prefix */
	size_t errlen;
};

static bool __attribute__((format(printf, 2, 3)))
fail(struct parse_ctx *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(c->err, c->errlen, fmt, ap);
	va_end(ap);
	return false;
}

/* Integer field 'k' into *v; 'need': missing is an error. */
static bool
get_int(struct parse_ctx *c, json_t *o, const char *k, bool need, int64_t *v)
{
	json_t *j = json_object_get(o, k);
	if (!j)
		return need ? fail(c, "missing \"%s\"", k) : true;
	if (!json_is_integer(j))
		return fail(c, "\"%s\" is not an integer", k);
	*v = json_integer_value(j);
	return true;
}

static bool
get_bool(struct parse_ctx *c, json_t *o, const char *k, int64_t *v)
{
	json_t *j = json_object_get(o, k);
	if (!j)
		return true;
	if (!json_is_boolean(j))
		return fail(c, "\"%s\" is not true or false", k);
	*v = json_is_true(j);
	return true;
}

/* Enum field 'k' (a name) into *v; missing leaves *v. */
static bool
get_enum(struct parse_ctx *c, json_t *o, const char *k,
    const char *(*name_of)(int), int count, int64_t *v)
{
	json_t *j = json_object_get(o, k);
	if (!j)
		return true;
	int e = json_is_string(j) ? enum_of(name_of, count, json_string_value(j)) : -1;
	if (e < 0)
		return fail(c, "unknown \"%s\" value", k);
	*v = e;
	return true;
}

/* The object an event names under the key of its kind; or "def". One
 * pass over the keys (the kind keys are few, the keys of a line too). */
static bool
get_obj(struct parse_ctx *c, json_t *o, int32_t *obj)
{
	static const int keyed[] = { SC_QUEUE, SC_PIPE, SC_POOL, SC_MANAGER,
		SC_PROCESS, SC_THREAD };
	const char *k;
	json_t *j, *def = NULL, *num = NULL;

	json_object_foreach(o, k, j) {
		int kind = -1;
		switch (k[0]) {     /* most keys are none of these: skip them fast */
		case 'd':
			if (strcmp(k, "def") == 0)
				def = j;
			continue;
		case 'o':
			if (strcmp(k, "obj") == 0)
				num = j;
			continue;
		case 'q': case 'p': case 'm': case 't':
			for (size_t i = 0; i < sizeof(keyed) / sizeof(keyed[0]); i++)
				if (strcmp(k, sc_kind_name(keyed[i])) == 0)
					kind = keyed[i];
			break;
		default:
			continue;
		}
		if (kind < 0)
			continue;
		if (!json_is_string(j))
			return fail(c, "\"%s\" is not a name", k);
		*obj = names_find(c->nm, json_string_value(j), kind);
		return *obj >= 0 ? true : fail(c, "bad object name");
	}
	if (def) {
		if (!json_is_string(def))
			return fail(c, "\"def\" is not a name");
		*obj = names_find(c->nm, json_string_value(def), SC_FUNCTION);
		return *obj >= 0 ? true : fail(c, "bad definition name");
	}
	if (num) {
		if (!json_is_integer(num))
			return fail(c, "\"obj\" is not an integer");
		*obj = (int32_t)json_integer_value(num);
	}
	return true;
}

static bool
get_text(struct parse_ctx *c, json_t *o, const char *k, struct event *ev)
{
	json_t *j = json_object_get(o, k);
	if (!j)
		return true;
	if (!json_is_string(j))
		return fail(c, "\"%s\" is not a string", k);
	size_t len = json_string_length(j);
	if (len > EV_TEXT_MAX)
		len = EV_TEXT_MAX;
	ev->text = arena_copy(c->arena, json_string_value(j), len);
	ev->text_len = (uint32_t)strnlen(ev->text, len);
	return true;
}

static bool
fields(struct parse_ctx *c, json_t *o, struct event *ev)
{
	int64_t *a = &ev->a, *b = &ev->b, *cc = &ev->c;

	switch (ev->kind) {
	case EV_SPAWN:
		return get_int(c, o, "ppid", false, a) &&
		    get_enum(c, o, "role", event_role_name, ROLE_COUNT, b) &&
		    get_int(c, o, "copy", false, cc) && get_text(c, o, "name", ev);
	case EV_EXIT:
		return get_int(c, o, "status", true, a) &&
		    get_int(c, o, "wstatus", false, b);
	case EV_REAP:
		return get_int(c, o, "child", true, a) &&
		    get_int(c, o, "status", false, b);
	case EV_THREAD_START:
	case EV_THREAD_END:
		return get_enum(c, o, "role", event_thread_role_name, TROLE_COUNT, a) &&
		    get_text(c, o, "name", ev);
	case EV_PUT:
	case EV_GET:
		return get_int(c, o, "depth", true, a) && get_int(c, o, "bytes", false, b);
	case EV_BLOCK:
		*b = -1;
		return get_enum(c, o, "wait", event_wait_name, WAIT_COUNT, a) &&
		    get_int(c, o, "peer", false, b) && get_bool(c, o, "timed", cc);
	case EV_UNBLOCK:
		return get_enum(c, o, "wait", event_wait_name, WAIT_COUNT, a) &&
		    get_enum(c, o, "result", event_outcome_name, 3, b);
	case EV_SEND:
	case EV_RECV:
	case EV_PIPE_CLOSE:
		return get_enum(c, o, "end", end_label, 2, a) &&
		    get_int(c, o, "bytes", false, b);
	case EV_MGR_OP:
		return get_enum(c, o, "op", event_mgr_op_name, MGR_COUNT, a) &&
		    get_int(c, o, "size", false, b);
	case EV_SUBMIT:
		return get_int(c, o, "task", true, a) && get_int(c, o, "arg", false, b) &&
		    get_enum(c, o, "call", event_call_name, CALL_COUNT, cc);
	case EV_TASK_START:
		return get_int(c, o, "task", true, a) && get_int(c, o, "arg", false, b) &&
		    get_int(c, o, "slot", false, cc);
	case EV_TASK_END:
		return get_int(c, o, "task", true, a) &&
		    get_int(c, o, "result", false, b) && get_bool(c, o, "raised", cc);
	case EV_CALLBACK:
		return get_int(c, o, "task", true, a) &&
		    get_int(c, o, "result", false, b) &&
		    get_enum(c, o, "callback", callback_name, 3, cc);
	case EV_RESULT:
		return get_int(c, o, "task", true, a) && get_int(c, o, "result", false, b);
	case EV_POOL:
		return get_enum(c, o, "op", event_pool_op_name, POOL_OP_COUNT, a);
	case EV_LOST:
		return get_int(c, o, "task", true, a) && get_int(c, o, "worker", false, b) &&
		    get_int(c, o, "signal", false, cc);
	case EV_ERROR:
		return get_bool(c, o, "handled", a);
	case EV_DEADLOCK:
		return get_bool(c, o, "partial", a);
	case EV_SIGNAL:
		return get_int(c, o, "target", true, a) && get_int(c, o, "signal", true, b);
	case EV_END:
		*b = 2;
		return get_int(c, o, "status", true, a) &&
		    get_enum(c, o, "state", end_state_name, 6, b);
	default:
		return true;
	}
}

/* event_kind_from_name, with the names' first letters and lengths
 * compared before the bytes (once per line). */
static int
kind_of(const char *name)
{
	size_t len = strlen(name);
	for (int k = 1; k < EV_KIND_COUNT; k++) {
		const char *n = event_kind_name(k);
		if (n[0] == name[0] && strlen(n) == len && memcmp(n, name, len) == 0)
			return k;
	}
	return EV_NONE;
}

/* Parse one event line into 'ev'. On failure c->err says why. */
static bool
parse_event(struct parse_ctx *c, const char *s, size_t len, struct event *ev)
{
	json_error_t je;
	/* \u0000 is legal JSON: a text is cut there (texts are C strings). */
	json_t *o = json_loadb(s, len, JSON_ALLOW_NUL, &je);

	memset(ev, 0, sizeof(*ev));
	ev->obj = -1;
	if (!o)
		return fail(c, "not JSON: %s (column %d)", je.text, je.column);
	bool ok = false;
	if (!json_is_object(o)) {
		fail(c, "not a JSON object");
		goto out;
	}
	json_t *jt = json_object_get(o, "t"), *jev = json_object_get(o, "ev");
	if (!jt || !json_is_number(jt)) {
		fail(c, "missing or bad \"t\"");
		goto out;
	}
	double t = json_number_value(jt);
	if (!isfinite(t) || fabs(t) > 1e9) {
		fail(c, "\"t\" out of range");
		goto out;
	}
	ev->t_ns = llround(t * 1e9);
	if (!jev || !json_is_string(jev)) {
		fail(c, "missing \"ev\"");
		goto out;
	}
	ev->kind = (uint16_t)kind_of(json_string_value(jev));
	if (ev->kind == EV_NONE) {
		fail(c, "unknown event kind \"%.40s\"", json_string_value(jev));
		goto out;
	}
	int64_t pid = 0, tid = 0;
	if (!get_int(c, o, "pid", true, &pid) || !get_int(c, o, "tid", false, &tid))
		goto out;
	if (pid < 0 || pid > INT32_MAX || tid < 0 || tid > INT32_MAX) {
		fail(c, "pid or tid out of range");
		goto out;
	}
	ev->pid = (int32_t)pid;
	ev->tid = tid ? (int32_t)tid : (int32_t)pid;
	if (!get_obj(c, o, &ev->obj) || !fields(c, o, ev) || (!ev->text &&
	    !get_text(c, o, "text", ev)))
		goto out;
	ok = true;
out:
	json_decref(o);
	return ok;
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
		    enum_of(kind_label, SC_KIND_COUNT, json_string_value(k)) : -1;
		if (!n || !json_is_string(n) || json_string_length(n) == 0 ||
		    json_string_length(n) > SC_NAME_MAX || kind < 0) {
			snprintf(err, errlen, "object %zu of the header: bad name or kind", i);
			goto out;
		}
		if (nm->n >= SC_MAX_OBJECTS) {
			snprintf(err, errlen, "more than %d objects", SC_MAX_OBJECTS);
			goto out;
		}
		names_add(nm, json_string_value(n), kind);
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
};

static void *
slice_parse(void *arg)
{
	struct slice *sl = arg;
	struct parse_ctx c = { sl->nm, &sl->arena, sl->err, sizeof(sl->err) };

	sl->bad = SIZE_MAX;
	bump_buf = xmalloc(BUMP_SIZE);
	for (size_t k = sl->from; k < sl->to; k++) {
		size_t len = sl->line_off[k + 1] - 1 - sl->line_off[k];
		bump_used = 0;
		if (!parse_event(&c, sl->buf + sl->line_off[k], len, &sl->t->ev[k])) {
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
	t->sc.timeout_ns = (int64_t)(t->timeout_s * 1e9);
	t->sc.max_processes = SC_DEFAULT_MAX_PROCESSES;
	t->sc.max_threads = SC_DEFAULT_MAX_THREADS;
	t->sc.main_func = -1;
	if (nm->n == nm->nheader)
		scenario_from_file(t);
}

struct trace *
trace_open_buffer(const char *name, const char *buf, size_t len, char *err,
    size_t errlen)
{
	struct trace *t = xcalloc(1, sizeof(*t));
	struct names nm = { 0 };
	size_t *off = NULL, nlines = 0, cap = 0;
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
	names_seal(&nm);

	t->nev = nlines - 1;
	t->ev = xcalloc(t->nev ? t->nev : 1, sizeof(*t->ev));
	int nth = nthreads_for(t->nev);
	json_set_alloc_funcs(bump_malloc, bump_free);
	struct slice sl[MAX_THREADS];
	pthread_t th[MAX_THREADS];
	bool started[MAX_THREADS] = { false };
	for (int i = 0; i < nth; i++) {
		sl[i] = (struct slice){ .t = t, .nm = &nm, .buf = buf,
			.line_off = off + 1, .from = t->nev * (size_t)i / (size_t)nth,
			.to = t->nev * (size_t)(i + 1) / (size_t)nth };
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
	names_free(&nm);
	pthread_mutex_destroy(&nm.lock);
	return t;
fail:
	free(off);
	names_free(&nm);
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
	arena_free(t->arenas);
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

const char *
trace_obj_name(const struct trace *t, int obj)
{
	return obj >= 0 && obj < t->sc.nobjs ? t->sc.objs[obj].name : "?";
}
