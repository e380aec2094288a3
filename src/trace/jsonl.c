#include "trace/jsonl.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "util/xmem.h"

/* Each line is built in memory and written with one fwrite: a trace is
 * millions of small fields, and stdio calls per field cost most of the
 * observer's time otherwise. */
struct jbuf {
	char *b;
	size_t n, cap;
};

static _Thread_local struct jbuf line_buf;

static inline void
jb_room(struct jbuf *o, size_t more)
{
	if (o->n + more > o->cap) {
		size_t cap = o->cap ? o->cap : 1024;
		while (o->n + more > cap)
			cap *= 2;
		o->b = xrealloc(o->b, cap);
		o->cap = cap;
	}
}

static inline void
jb_mem(struct jbuf *o, const void *p, size_t n)
{
	jb_room(o, n);
	memcpy(o->b + o->n, p, n);
	o->n += n;
}

static inline void
jb_ch(struct jbuf *o, char c)
{
	jb_room(o, 1);
	o->b[o->n++] = c;
}

static void
jb_str(struct jbuf *o, const char *s)
{
	jb_mem(o, s, strlen(s));
}

/* Hand the line to 'f' and start a new one. */
static void
jb_flush(struct jbuf *o, FILE *f)
{
	fwrite(o->b, 1, o->n, f);
	o->n = 0;
}

/* Length of the valid UTF-8 sequence at 's' (at most 'n' bytes), or 0. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t len;
	uint32_t cp;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2; cp = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3; cp = c & 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4; cp = c & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

static void
put_string(struct jbuf *f, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	jb_ch(f, '"');
	while (i < n) {
		unsigned char c = s[i];
		size_t run = i;
		/* Copy plain ASCII runs in one go. */
		while (run < n && s[run] >= 0x20 && s[run] < 0x7f && s[run] != '"' && s[run] != '\\')
			run++;
		if (run > i) {
			jb_mem(f, s + i, run - i);
			i = run;
			continue;
		}
		if (c == '"' || c == '\\') {
			jb_ch(f, '\\'); jb_ch(f, c); i++;
		} else if (c < 0x20 || c == 0x7f) {
			switch (c) {
			case '\n': jb_mem(f, "\\n", sizeof("\\n") - 1); break;
			case '\t': jb_mem(f, "\\t", sizeof("\\t") - 1); break;
			case '\r': jb_mem(f, "\\r", sizeof("\\r") - 1); break;
			case '\b': jb_mem(f, "\\b", sizeof("\\b") - 1); break;
			case '\f': jb_mem(f, "\\f", sizeof("\\f") - 1); break;
			default: {
				char u[7] = { '\\', 'u', '0', '0', "0123456789abcdef"[c >> 4],
					"0123456789abcdef"[c & 15], 0 };
				jb_str(f, u);
				break;
			}
			}
			i++;
		} else {
			size_t len = utf8_len(s + i, n - i);
			if (len == 0) {
				jb_mem(f, "\\ufffd", sizeof("\\ufffd") - 1);
				i++;
			} else {
				jb_mem(f, s + i, len);
				i += len;
			}
		}
	}
	jb_ch(f, '"');
}

void
jsonl_write_string(FILE *f, const char *str, size_t n)
{
	put_string(&line_buf, str, n);
	jb_flush(&line_buf, f);
}

/* Decimal digits of 'v' (traces carry millions of numbers: no printf). */
static void
put_i64(struct jbuf *f, int64_t v)
{
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	int k = 1;

	for (uint64_t x = u; x >= 10; x /= 10)
		k++;
	jb_room(f, (size_t)k + 1);
	char *o = f->b + f->n;
	if (v < 0)
		*o++ = '-';
	f->n = (size_t)(o + k - f->b);
	for (char *d = o + k; d > o; u /= 10)
		*--d = (char)('0' + u % 10);
}

/* A literal key: its length is known when compiling (no strlen, no call). */
#define KEY(f, k) jb_mem((f), ",\"" k "\":", sizeof(",\"" k "\":") - 1)
#define INT_FIELD(f, k, v) (KEY(f, k), put_i64((f), (v)))
#define STR_FIELD(f, k, v) (KEY(f, k), put_cstring((f), (v)))
#define BOOL_FIELD(f, k, v) (KEY(f, k), (v) ? jb_mem((f), "true", 4) : jb_mem((f), "false", 5))

static void
put_cstring(struct jbuf *f, const char *val)
{
	put_string(f, val, strlen(val));
}

static void
key(struct jbuf *f, const char *k)
{
	size_t n = strlen(k);

	jb_room(f, n + 4);
	char *o = f->b + f->n;
	o[0] = ',';
	o[1] = '"';
	memcpy(o + 2, k, n);
	o[n + 2] = '"';
	o[n + 3] = ':';
	f->n += n + 4;
}

static void
str_field(struct jbuf *f, const char *k, const char *val)
{
	key(f, k);
	put_string(f, val, strlen(val));
}

static const char *
obj_name(const struct scenario *sc, int obj)
{
	return sc && obj >= 0 && obj < sc->nobjs ? sc->objs[obj].name : NULL;
}

/* The object an event is about, under the key of its kind ("queue": "q"). */
static void
obj_field(struct jbuf *f, const struct scenario *sc, int obj)
{
	const char *name = obj_name(sc, obj);

	if (name)
		str_field(f, sc_kind_name(sc->objs[obj].kind), name);
	else if (obj >= 0)
		INT_FIELD(f, "obj", obj);
}

static void
def_field(struct jbuf *f, const struct scenario *sc, int obj)
{
	const char *name = obj_name(sc, obj);

	if (name)
		STR_FIELD(f, "def", name);
}

static const char *
end_name(int64_t end)
{
	return end == 0 ? "a" : end == 1 ? "b" : "?";
}

void
jsonl_write_header(FILE *out, const struct scenario *sc, double speed)
{
	struct jbuf *f = &line_buf;
	char num[96];

	snprintf(num, sizeof num, "{\"format\":\"%s\",\"version\":%d", JSONL_FORMAT, JSONL_VERSION);
	jb_str(f, num);
	STR_FIELD(f, "generator", "ipcscope " IPCSCOPE_VERSION);
	if (sc->path)
		STR_FIELD(f, "scenario", sc->path);
	if (sc->title)
		STR_FIELD(f, "title", sc->title);
	snprintf(num, sizeof num, ",\"speed\":%.6g,\"timeout\":%.6f", speed,
	    (double)sc->timeout_ns / 1e9);
	jb_str(f, num);
	if (sc->expect_error)
		STR_FIELD(f, "expect_error", sc->expect_error);
	jb_mem(f, ",\"objects\":[", sizeof(",\"objects\":[") - 1);
	for (int i = 0; i < sc->nobjs; i++) {
		jb_str(f, i ? ",{\"name\":" : "{\"name\":");
		put_string(f, sc->objs[i].name, strlen(sc->objs[i].name));
		jb_mem(f, ",\"kind\":\"", sizeof(",\"kind\":\"") - 1);
		jb_str(f, sc_kind_name(sc->objs[i].kind));
		jb_mem(f, "\"}", sizeof("\"}") - 1);
	}
	jb_mem(f, "]}\n", sizeof("]}\n") - 1);
	jb_flush(f, out);
}

void
jsonl_write_event(FILE *out, const struct scenario *sc, const struct event *ev)
{
	struct jbuf *f = &line_buf;
	int64_t us = ev->t_ns >= 0 ? (ev->t_ns + 500) / 1000 : -((-ev->t_ns + 500) / 1000);
	bool text_done = false;

	int64_t mag = us < 0 ? -us : us;
	char frac[8];
	int64_t rem = mag % 1000000;

	jb_mem(f, "{\"t\":", sizeof("{\"t\":") - 1);
	if (us < 0)
		jb_ch(f, '-');
	put_i64(f, mag / 1000000);
	for (int i = 6; i >= 1; i--) {
		frac[i] = (char)('0' + rem % 10);
		rem /= 10;
	}
	frac[0] = '.';
	jb_mem(f, frac, 7);
	INT_FIELD(f, "pid", ev->pid);
	KEY(f, "ev");
	jb_ch(f, '"');
	jb_str(f, event_kind_name(ev->kind));
	jb_ch(f, '"');
	if (ev->tid && ev->tid != ev->pid)
		INT_FIELD(f, "tid", ev->tid);
	else
		INT_FIELD(f, "tid", ev->pid);

	switch (ev->kind) {
	case EV_SPAWN:
		INT_FIELD(f, "ppid", ev->a);
		STR_FIELD(f, "role", event_role_name((int)ev->b));
		INT_FIELD(f, "copy", ev->c);
		def_field(f, sc, ev->obj);
		if (ev->text_len) {
			STR_FIELD(f, "name", ev->text);
			text_done = true;
		}
		break;
	case EV_EXIT:
		INT_FIELD(f, "status", ev->a);
		INT_FIELD(f, "wstatus", ev->b);
		def_field(f, sc, ev->obj);
		break;
	case EV_REAP:
		INT_FIELD(f, "child", ev->a);
		break;
	case EV_THREAD_START:
	case EV_THREAD_END:
		STR_FIELD(f, "role", event_thread_role_name((int)ev->a));
		def_field(f, sc, ev->obj);
		if (ev->text_len) {
			STR_FIELD(f, "name", ev->text);
			text_done = true;
		}
		break;
	case EV_PUT:
	case EV_GET:
		obj_field(f, sc, ev->obj);
		INT_FIELD(f, "depth", ev->a);
		INT_FIELD(f, "bytes", ev->b);
		break;
	case EV_BLOCK:
		obj_field(f, sc, ev->obj);
		STR_FIELD(f, "wait", event_wait_name((int)ev->a));
		if (ev->b > 0)
			INT_FIELD(f, "peer", ev->b);
		BOOL_FIELD(f, "timed", ev->c != 0);
		break;
	case EV_UNBLOCK:
		obj_field(f, sc, ev->obj);
		STR_FIELD(f, "wait", event_wait_name((int)ev->a));
		STR_FIELD(f, "result", event_outcome_name((int)ev->b));
		break;
	case EV_SEND:
	case EV_RECV:
		obj_field(f, sc, ev->obj);
		STR_FIELD(f, "end", end_name(ev->a));
		INT_FIELD(f, "bytes", ev->b);
		break;
	case EV_PIPE_CLOSE:
		obj_field(f, sc, ev->obj);
		STR_FIELD(f, "end", end_name(ev->a));
		break;
	case EV_MGR_OP:
		obj_field(f, sc, ev->obj);
		STR_FIELD(f, "op", event_mgr_op_name((int)ev->a));
		INT_FIELD(f, "size", ev->b);
		break;
	case EV_SUBMIT:
		obj_field(f, sc, ev->obj);
		INT_FIELD(f, "task", ev->a);
		INT_FIELD(f, "arg", ev->b);
		STR_FIELD(f, "call", event_call_name((int)ev->c));
		break;
	case EV_TASK_START:
		obj_field(f, sc, ev->obj);
		INT_FIELD(f, "task", ev->a);
		INT_FIELD(f, "arg", ev->b);
		INT_FIELD(f, "slot", ev->c);
		break;
	case EV_TASK_END:
		obj_field(f, sc, ev->obj);
		INT_FIELD(f, "task", ev->a);
		INT_FIELD(f, "result", ev->b);
		BOOL_FIELD(f, "raised", ev->c != 0);
		break;
	case EV_CALLBACK:
		obj_field(f, sc, ev->obj);
		INT_FIELD(f, "task", ev->a);
		INT_FIELD(f, "result", ev->b);
		STR_FIELD(f, "callback", ev->c == 1 ? "error_callback" :
		    ev->c == 2 ? "map_callback" : "callback");
		break;
	case EV_RESULT:
		obj_field(f, sc, ev->obj);
		INT_FIELD(f, "task", ev->a);
		INT_FIELD(f, "result", ev->b);
		break;
	case EV_POOL:
		obj_field(f, sc, ev->obj);
		STR_FIELD(f, "op", event_pool_op_name((int)ev->a));
		break;
	case EV_LOST:
		obj_field(f, sc, ev->obj);
		INT_FIELD(f, "task", ev->a);
		INT_FIELD(f, "worker", ev->b);
		INT_FIELD(f, "signal", ev->c);
		break;
	case EV_ERROR:
		BOOL_FIELD(f, "handled", ev->a != 0);
		break;
	case EV_DEADLOCK:
		BOOL_FIELD(f, "partial", ev->a != 0);
		break;
	case EV_SIGNAL:
		INT_FIELD(f, "target", ev->a);
		INT_FIELD(f, "signal", ev->b);
		break;
	case EV_END: {
		static const char *const states[] = { "running", "paused",
			"finished", "failed", "deadlock", "timeout" };
		INT_FIELD(f, "status", ev->a);
		if (ev->b >= 0 && ev->b < 6)
			STR_FIELD(f, "state", states[ev->b]);
		break;
	}
	default:
		obj_field(f, sc, ev->obj);
		break;
	}
	if (ev->text_len && ev->text && !text_done) {
		jb_mem(f, ",\"text\":", sizeof(",\"text\":") - 1);
		put_string(f, ev->text, ev->text_len);
	}
	jb_mem(f, "}\n", sizeof("}\n") - 1);
	jb_flush(f, out);
}
