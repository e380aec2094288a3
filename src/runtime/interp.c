/* The step interpreter: functions, repeat blocks, calls, templates and
 * integer expressions, in the frame of one actor. */
#include "runtime/actor.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

#include "runtime/runtime_int.h"
#include "util/xmem.h"

/* Calls nested in this thread (a 'call' inside a 'call' ...). */
static _Thread_local int call_depth;

struct loop {
	int start;          /* index of the repeat step */
	int64_t count, i;
};

/* Append 's' (n bytes) to buf at *len, keeping room for the NUL. */
static void
put_str(char *buf, size_t size, size_t *len, const char *s, size_t n)
{
	if (*len + 1 >= size)
		return;
	if (n > size - 1 - *len)
		n = size - 1 - *len;
	memcpy(buf + *len, s, n);
	*len += n;
}

static void
put_int(char *buf, size_t size, size_t *len, int64_t v)
{
	char tmp[24];
	int n = snprintf(tmp, sizeof(tmp), "%" PRId64, v);

	put_str(buf, size, len, tmp, (size_t)n);
}

/* Expand one {name}; returns false if the name is unknown. */
static bool
expand_var(const struct actor *a, const char *name, size_t n, char *buf,
    size_t size, size_t *len)
{
#define IS(w) (n == sizeof(w) - 1 && memcmp(name, w, n) == 0)
	if (IS("pid"))
		put_int(buf, size, len, a->pid);
	else if (IS("ppid"))
		put_int(buf, size, len, getppid());
	else if (IS("tid"))
		put_int(buf, size, len, a->tid);
	else if (IS("arg"))
		put_int(buf, size, len, a->arg);
	else if (IS("i"))
		put_int(buf, size, len, a->loop_i);
	else if (IS("value")) {
		const char *v = a->value ? a->value : "None";
		put_str(buf, size, len, v, strlen(v));
	} else if (IS("name")) {
		const char *nm = a->sh->actors[a->slot].name;
		put_str(buf, size, len, nm, strnlen(nm, sizeof(a->sh->actors[0].name)));
	} else
		return false;
	return true;
#undef IS
}

size_t
interp_expand(const struct actor *a, const char *tmpl, char *buf, size_t size)
{
	size_t len = 0;

	if (size == 0)
		return 0;
	for (const char *p = tmpl ? tmpl : ""; *p; p++) {
		if ((p[0] == '{' && p[1] == '{') || (p[0] == '}' && p[1] == '}')) {
			put_str(buf, size, &len, p, 1);
			p++;
			continue;
		}
		if (*p == '{') {
			const char *close = strchr(p + 1, '}');
			if (close && expand_var(a, p + 1, (size_t)(close - p - 1), buf, size, &len)) {
				p = close;
				continue;
			}
		}
		put_str(buf, size, &len, p, 1);
	}
	buf[len] = '\0';
	return len;
}

enum step_rc
interp_message(struct actor *a, const char *tmpl, char **out, size_t *len)
{
	/* one byte more than allowed: a longer result is cut there, and seen */
	char *buf = xmalloc(SC_MAX_MESSAGE + 2);

	*len = interp_expand(a, tmpl, buf, SC_MAX_MESSAGE + 2);
	if (*len > SC_MAX_MESSAGE) {
		free(buf);
		*out = NULL;
		*len = 0;
		return actor_error(a, "ValueError", "message too long after expansion "
		    "(more than %d bytes)", SC_MAX_MESSAGE);
	}
	*out = buf;
	return STEP_RC_OK;
}

int64_t
interp_eval(const struct actor *a, const struct sc_expr *e)
{
	int64_t v;

	switch (e->base) {
	case SC_BASE_ARG: v = a->arg; break;
	case SC_BASE_I:   v = a->loop_i; break;
	case SC_BASE_PID: v = a->pid; break;
	case SC_BASE_CONST:
	default:
		return e->n;
	}
	switch (e->op) {
	case '+': return v + e->n;
	case '-': return v - e->n;
	case '*': return v * e->n;
	/* integer arithmetic, '/' rounds toward zero (docs/scenario-format.md);
	 * the loader refuses '/ 0' and '% 0' */
	case '/': return e->n ? v / e->n : 0;
	case '%': return e->n ? v % e->n : 0;
	default:  return v;
	}
}

static void
publish_pos(struct actor *a, int func, int step)
{
	atomic_store(&a->sh->actors[a->slot].func, func);
	atomic_store(&a->sh->actors[a->slot].step, step);
}

enum step_rc
interp_run(struct actor *a, int func, int64_t arg)
{
	const struct sc_object *o;
	struct loop loops[SC_MAX_DEPTH + 1];
	int nloops = 0;
	int64_t saved_arg = a->arg, saved_i = a->loop_i;
	int32_t saved_func = atomic_load(&a->sh->actors[a->slot].func);
	int32_t saved_step = atomic_load(&a->sh->actors[a->slot].step);
	enum step_rc rc = STEP_RC_OK;

	if (func < 0 || func >= a->sc->nobjs || a->sc->objs[func].kind != SC_FUNCTION)
		return actor_error(a, "NameError", "function %d is not defined", func);
	if (call_depth >= SC_MAX_DEPTH * 4)
		return actor_error(a, "RecursionError", "maximum recursion depth exceeded");
	o = &a->sc->objs[func];
	call_depth++;
	a->arg = arg;
	a->loop_i = 0;
	a->has_ret = false;
	for (int pc = 0; pc < o->u.fn.nsteps; ) {
		const struct sc_step *st = &o->u.fn.steps[pc];
		publish_pos(a, func, pc);
		if (st->kind == STEP_REPEAT) {
			if (st->count <= 0 || nloops > SC_MAX_DEPTH) {
				pc = st->match + 1;
				continue;
			}
			loops[nloops++] = (struct loop){ .start = pc, .count = st->count, .i = 0 };
			a->loop_i = 0;
			pc++;
			continue;
		}
		if (st->kind == STEP_END) {
			if (nloops > 0) {
				struct loop *l = &loops[nloops - 1];
				if (++l->i < l->count) {
					a->loop_i = l->i;
					pc = l->start + 1;
					continue;
				}
				nloops--;
				a->loop_i = nloops > 0 ? loops[nloops - 1].i : 0;
			}
			pc++;
			continue;
		}
		step_exec_fn fn = st->kind < STEP_KIND_COUNT ? step_exec_table[st->kind] : NULL;
		rc = fn ? fn(a, st) : actor_error(a, "NotImplementedError",
		    "step kind %d", (int)st->kind);
		if (rc == STEP_RC_ERROR && st->on_error_continue) {
			actor_report_error(a, true);
			rc = STEP_RC_OK;
		}
		if (rc != STEP_RC_OK)
			break;
		pc++;
	}
	if (rc == STEP_RC_RETURN)
		rc = STEP_RC_OK;
	call_depth--;
	a->arg = saved_arg;
	a->loop_i = saved_i;
	publish_pos(a, saved_func, saved_step);
	return rc;
}

int
interp_body(struct actor *a, int func, int64_t arg)
{
	switch (interp_run(a, func, arg)) {
	case STEP_RC_EXIT:
		return a->exit_code;
	case STEP_RC_ERROR:
		actor_report_error(a, false);
		return 1;
	default:
		return 0;
	}
}
