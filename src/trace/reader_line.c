/* The trace reader: one event line (a JSON object) into struct event. */
#include <jansson.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "trace/reader_int.h"

/* ---- enum names of the fields ---- */

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
	int e = json_is_string(j) ? reader_enum_of(name_of, count, json_string_value(j)) : -1;
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
		*obj = reader_names_find(c->nm, json_string_value(j), kind);
		return *obj >= 0 ? true : fail(c, "bad object name");
	}
	if (def) {
		if (!json_is_string(def))
			return fail(c, "\"def\" is not a name");
		*obj = reader_names_find(c->nm, json_string_value(def), SC_FUNCTION);
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
	ev->text = reader_arena_copy(c->arena, json_string_value(j), len);
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
bool
reader_parse_event(struct parse_ctx *c, const char *s, size_t len, struct event *ev)
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

