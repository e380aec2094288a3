#include "trace/jsonl.h"

#include <inttypes.h>
#include <stdbool.h>
#include <string.h>

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

void
jsonl_write_string(FILE *f, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	putc('"', f);
	while (i < n) {
		unsigned char c = s[i];
		size_t run = i;
		/* Copy plain ASCII runs in one go. */
		while (run < n && s[run] >= 0x20 && s[run] < 0x7f && s[run] != '"' && s[run] != '\\')
			run++;
		if (run > i) {
			fwrite(s + i, 1, run - i, f);
			i = run;
			continue;
		}
		if (c == '"' || c == '\\') {
			putc('\\', f); putc(c, f); i++;
		} else if (c < 0x20 || c == 0x7f) {
			switch (c) {
			case '\n': fputs("\\n", f); break;
			case '\t': fputs("\\t", f); break;
			case '\r': fputs("\\r", f); break;
			case '\b': fputs("\\b", f); break;
			case '\f': fputs("\\f", f); break;
			default: fprintf(f, "\\u%04x", c); break;
			}
			i++;
		} else {
			size_t len = utf8_len(s + i, n - i);
			if (len == 0) {
				fputs("\\ufffd", f);
				i++;
			} else {
				fwrite(s + i, 1, len, f);
				i += len;
			}
		}
	}
	putc('"', f);
}

/* Decimal digits of 'v' (traces carry millions of numbers: no printf). */
static void
put_i64(FILE *f, int64_t v)
{
	char buf[24], *p = buf + sizeof(buf);
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	do {
		*--p = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		*--p = '-';
	fwrite(p, 1, (size_t)(buf + sizeof(buf) - p), f);
}

static void
key(FILE *f, const char *k)
{
	putc(',', f);
	putc('"', f);
	fputs(k, f);
	putc('"', f);
	putc(':', f);
}

static void
str_field(FILE *f, const char *k, const char *val)
{
	key(f, k);
	jsonl_write_string(f, val, strlen(val));
}

static void
int_field(FILE *f, const char *k, int64_t v)
{
	key(f, k);
	put_i64(f, v);
}

static void
bool_field(FILE *f, const char *k, bool v)
{
	key(f, k);
	fputs(v ? "true" : "false", f);
}

static const char *
obj_name(const struct scenario *sc, int obj)
{
	return sc && obj >= 0 && obj < sc->nobjs ? sc->objs[obj].name : NULL;
}

/* The object an event is about, under the key of its kind ("queue": "q"). */
static void
obj_field(FILE *f, const struct scenario *sc, int obj)
{
	const char *name = obj_name(sc, obj);

	if (name)
		str_field(f, sc_kind_name(sc->objs[obj].kind), name);
	else if (obj >= 0)
		int_field(f, "obj", obj);
}

static void
def_field(FILE *f, const struct scenario *sc, int obj)
{
	const char *name = obj_name(sc, obj);

	if (name)
		str_field(f, "def", name);
}

static const char *
end_name(int64_t end)
{
	return end == 0 ? "a" : end == 1 ? "b" : "?";
}

void
jsonl_write_header(FILE *f, const struct scenario *sc, double speed)
{
	fprintf(f, "{\"format\":\"%s\",\"version\":%d", JSONL_FORMAT, JSONL_VERSION);
	str_field(f, "generator", "ipcscope " IPCSCOPE_VERSION);
	if (sc->path)
		str_field(f, "scenario", sc->path);
	if (sc->title)
		str_field(f, "title", sc->title);
	fprintf(f, ",\"speed\":%.6g,\"timeout\":%.6f", speed, (double)sc->timeout_ns / 1e9);
	if (sc->expect_error)
		str_field(f, "expect_error", sc->expect_error);
	fputs(",\"objects\":[", f);
	for (int i = 0; i < sc->nobjs; i++) {
		fprintf(f, "%s{\"name\":", i ? "," : "");
		jsonl_write_string(f, sc->objs[i].name, strlen(sc->objs[i].name));
		fprintf(f, ",\"kind\":\"%s\"}", sc_kind_name(sc->objs[i].kind));
	}
	fputs("]}\n", f);
}

void
jsonl_write_event(FILE *f, const struct scenario *sc, const struct event *ev)
{
	int64_t us = ev->t_ns >= 0 ? (ev->t_ns + 500) / 1000 : -((-ev->t_ns + 500) / 1000);
	bool text_done = false;

	int64_t mag = us < 0 ? -us : us;
	char frac[8];
	int64_t rem = mag % 1000000;

	fputs("{\"t\":", f);
	if (us < 0)
		putc('-', f);
	put_i64(f, mag / 1000000);
	for (int i = 6; i >= 1; i--) {
		frac[i] = (char)('0' + rem % 10);
		rem /= 10;
	}
	frac[0] = '.';
	fwrite(frac, 1, 7, f);
	int_field(f, "pid", ev->pid);
	key(f, "ev");
	putc('"', f);
	fputs(event_kind_name(ev->kind), f);
	putc('"', f);
	if (ev->tid && ev->tid != ev->pid)
		int_field(f, "tid", ev->tid);
	else
		int_field(f, "tid", ev->pid);

	switch (ev->kind) {
	case EV_SPAWN:
		int_field(f, "ppid", ev->a);
		str_field(f, "role", event_role_name((int)ev->b));
		int_field(f, "copy", ev->c);
		def_field(f, sc, ev->obj);
		if (ev->text_len) {
			str_field(f, "name", ev->text);
			text_done = true;
		}
		break;
	case EV_EXIT:
		int_field(f, "status", ev->a);
		int_field(f, "wstatus", ev->b);
		def_field(f, sc, ev->obj);
		break;
	case EV_REAP:
		int_field(f, "child", ev->a);
		break;
	case EV_THREAD_START:
	case EV_THREAD_END:
		str_field(f, "role", event_thread_role_name((int)ev->a));
		def_field(f, sc, ev->obj);
		if (ev->text_len) {
			str_field(f, "name", ev->text);
			text_done = true;
		}
		break;
	case EV_PUT:
	case EV_GET:
		obj_field(f, sc, ev->obj);
		int_field(f, "depth", ev->a);
		int_field(f, "bytes", ev->b);
		break;
	case EV_BLOCK:
		obj_field(f, sc, ev->obj);
		str_field(f, "wait", event_wait_name((int)ev->a));
		if (ev->b > 0)
			int_field(f, "peer", ev->b);
		bool_field(f, "timed", ev->c != 0);
		break;
	case EV_UNBLOCK:
		obj_field(f, sc, ev->obj);
		str_field(f, "wait", event_wait_name((int)ev->a));
		str_field(f, "result", event_outcome_name((int)ev->b));
		break;
	case EV_SEND:
	case EV_RECV:
		obj_field(f, sc, ev->obj);
		str_field(f, "end", end_name(ev->a));
		int_field(f, "bytes", ev->b);
		break;
	case EV_PIPE_CLOSE:
		obj_field(f, sc, ev->obj);
		str_field(f, "end", end_name(ev->a));
		break;
	case EV_MGR_OP:
		obj_field(f, sc, ev->obj);
		str_field(f, "op", event_mgr_op_name((int)ev->a));
		int_field(f, "size", ev->b);
		break;
	case EV_SUBMIT:
		obj_field(f, sc, ev->obj);
		int_field(f, "task", ev->a);
		int_field(f, "arg", ev->b);
		str_field(f, "call", event_call_name((int)ev->c));
		break;
	case EV_TASK_START:
		obj_field(f, sc, ev->obj);
		int_field(f, "task", ev->a);
		int_field(f, "arg", ev->b);
		int_field(f, "slot", ev->c);
		break;
	case EV_TASK_END:
		obj_field(f, sc, ev->obj);
		int_field(f, "task", ev->a);
		int_field(f, "result", ev->b);
		bool_field(f, "raised", ev->c != 0);
		break;
	case EV_CALLBACK:
		obj_field(f, sc, ev->obj);
		int_field(f, "task", ev->a);
		int_field(f, "result", ev->b);
		str_field(f, "callback", ev->c == 1 ? "error_callback" :
		    ev->c == 2 ? "map_callback" : "callback");
		break;
	case EV_RESULT:
		obj_field(f, sc, ev->obj);
		int_field(f, "task", ev->a);
		int_field(f, "result", ev->b);
		break;
	case EV_POOL:
		obj_field(f, sc, ev->obj);
		str_field(f, "op", event_pool_op_name((int)ev->a));
		break;
	case EV_LOST:
		obj_field(f, sc, ev->obj);
		int_field(f, "task", ev->a);
		int_field(f, "worker", ev->b);
		int_field(f, "signal", ev->c);
		break;
	case EV_ERROR:
		bool_field(f, "handled", ev->a != 0);
		break;
	case EV_DEADLOCK:
		bool_field(f, "partial", ev->a != 0);
		break;
	case EV_SIGNAL:
		int_field(f, "target", ev->a);
		int_field(f, "signal", ev->b);
		break;
	case EV_END: {
		static const char *const states[] = { "running", "paused",
			"finished", "failed", "deadlock", "timeout" };
		int_field(f, "status", ev->a);
		if (ev->b >= 0 && ev->b < 6)
			str_field(f, "state", states[ev->b]);
		break;
	}
	default:
		obj_field(f, sc, ev->obj);
		break;
	}
	if (ev->text_len && ev->text && !text_done) {
		fputs(",\"text\":", f);
		jsonl_write_string(f, ev->text, ev->text_len);
	}
	fputs("}\n", f);
}
