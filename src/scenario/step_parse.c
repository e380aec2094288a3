/*
 * Steps: "VERB ARGS... [key=value...]" lines of a function, parsed with the
 * verb table (steps_syntax.c) into struct sc_step, then repeat/end matched.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/lex.h"
#include "scenario/loader.h"
#include "scenario/steps_syntax.h"
#include "scenario/template.h"
#include "util/xmem.h"

struct sp {                      /* one step being parsed */
	struct loader *ld;
	int line;
	const struct syn_verb *verb;
	struct sc_step *st;
	bool bad;
};

static void
sp_err(struct sp *p, const char *msg)
{
	diag_add(&p->ld->diag, p->line, "%s", msg);
	p->bad = true;
}

/* The placeholder of argument 'idx' in the verb's usage ("QUEUE"). */
static void
sp_argname(const struct syn_verb *v, int idx, char *buf, size_t size)
{
	const char *u = v->usage;
	int w = -1;

	buf[0] = '\0';
	while (*u) {
		while (*u == ' ')
			u++;
		size_t n = strcspn(u, " ");
		if (w == idx) {
			if (*u == '[' && n >= 2) {
				u++;
				n -= 2;
			}
			snprintf(buf, size, "%.*s", (int)n, u);
			return;
		}
		w++;
		u += n;
	}
}

static void
sp_text(struct sp *p, const char *s, char **dst)
{
	char err[LEX_ERR_SIZE];
	char what[64];

	snprintf(what, sizeof(what), "%s", p->verb->name);
	if (strlen(s) > SC_TEXT_MAX) {
		snprintf(err, sizeof(err), "text of %s is too long (%zu bytes; at most %d)",
		    p->verb->name, strlen(s), SC_TEXT_MAX);
		sp_err(p, err);
		return;
	}
	if (!template_check(what, s, err)) {
		sp_err(p, err);
		return;
	}
	*dst = xstrdup(s);
}

static bool
sp_errtype(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 63 || !(isalpha((unsigned char)s[0]) || s[0] == '_'))
		return false;
	for (size_t i = 1; i < n; i++)
		if (!(isalnum((unsigned char)s[i]) || s[i] == '_' || s[i] == '.'))
			return false;
	return s[n - 1] != '.';
}

/* NAME.END for a pipe; returns false if reported. */
static void
sp_end(struct sp *p, const char *s)
{
	char cb[DIAG_CLIP_SIZE], name[SC_NAME_MAX + 2], err[LEX_ERR_SIZE];
	struct sc_step *st = p->st;
	const char *dot = strchr(s, '.');
	struct loader *ld = p->ld;

	if (!dot) {
		int i = scenario_find(ld->sc, s);
		if (i >= 0 && ld->sc->objs[i].kind == SC_PIPE) {
			snprintf(err, sizeof(err), "%s needs an end of pipe '%s': %s.a or %s.b",
			    p->verb->name, s, s, s);
			sp_err(p, err);
		} else {
			(void)ld_lookup(ld, p->line, s, KIND_BIT(SC_PIPE));
			p->bad = true;
		}
		return;
	}
	if ((size_t)(dot - s) > SC_NAME_MAX) {
		if (!lex_name(s, err)) {
			sp_err(p, err);
			return;
		}
	}
	memcpy(name, s, (size_t)(dot - s));
	name[dot - s] = '\0';
	if (!lex_name(name, err)) {
		sp_err(p, err);
		return;
	}
	int i = ld_lookup(ld, p->line, name, KIND_BIT(SC_PIPE));
	if (i < 0) {
		p->bad = true;
		return;
	}
	if (strcmp(dot + 1, "a") != 0 && strcmp(dot + 1, "b") != 0) {
		snprintf(err, sizeof(err), "pipe '%s' has ends '%s.a' and '%s.b', not '%s'",
		    name, name, name, diag_clip(cb, s));
		sp_err(p, err);
		return;
	}
	st->obj = i;
	st->end = dot[1] == 'a' ? 0 : 1;
	if (!ld->sc->objs[i].u.pipe.duplex) {
		if (p->verb->dir == DIR_SEND && st->end == 0) {
			snprintf(err, sizeof(err), "send on '%s.a', the read-only end of "
			    "one-way pipe '%s' (with duplex = false, end a can only recv "
			    "and end b can only send)", name, name);
			sp_err(p, err);
		} else if (p->verb->dir == DIR_RECV && st->end == 1) {
			snprintf(err, sizeof(err), "recv on '%s.b', the write-only end of "
			    "one-way pipe '%s' (with duplex = false, end a can only recv "
			    "and end b can only send)", name, name);
			sp_err(p, err);
		}
	}
}

/* Parse one positional argument 'idx' from token text 's'. */
static void
sp_arg(struct sp *p, int idx, const char *s)
{
	const struct syn_argspec *a = &p->verb->args[idx];
	struct sc_step *st = p->st;
	char err[LEX_ERR_SIZE], cb[DIAG_CLIP_SIZE];
	const char *vn = p->verb->name;
	int64_t v;

	switch (a->type) {
	case ARG_NONE:
		break;
	case ARG_DUR:
		if (!lex_duration(vn, s, 0, SC_MAX_DURATION_NS, &st->dur_ns, err))
			sp_err(p, err);
		break;
	case ARG_TEXT:
		sp_text(p, s, &st->text);
		break;
	case ARG_KEY:
		sp_text(p, s, &st->key);
		break;
	case ARG_OBJ:
		if ((a->kinds & KIND_BIT(SC_PIPE)) && strchr(s, '.')) {
			sp_end(p, s);
			if (p->verb->kind == STEP_CLOSE)
				st->kind = STEP_CLOSE_END;
			break;
		}
		st->obj = ld_lookup(p->ld, p->line, s, a->kinds);
		if (st->obj < 0)
			p->bad = true;
		else if (p->ld->sc->objs[st->obj].kind == SC_PIPE) {
			snprintf(err, sizeof(err), "%s needs an end of pipe '%s': %s.a or %s.b",
			    vn, s, s, s);
			sp_err(p, err);
			st->obj = -1;
		}
		break;
	case ARG_END:
		sp_end(p, s);
		break;
	case ARG_FUNC:
		st->func = ld_lookup(p->ld, p->line, s, KIND_BIT(SC_FUNCTION));
		if (st->func < 0)
			p->bad = true;
		break;
	case ARG_EXPR:
		if (!lex_expr(vn, s, &st->expr, err))
			sp_err(p, err);
		else if (st->kind == STEP_EXIT && st->expr.base == SC_BASE_CONST &&
		    st->expr.op == 0 && (st->expr.n < 0 || st->expr.n > 255)) {
			snprintf(err, sizeof(err), "exit code %s is out of range (0..255)",
			    diag_clip(cb, s));
			sp_err(p, err);
		}
		break;
	case ARG_RANGE:
		if (!lex_range(vn, s, SC_MAX_MAP_ITEMS, &st->lo, &st->hi, err))
			sp_err(p, err);
		break;
	case ARG_COUNT:
		if (lex_int("repeat count", s, 0, SC_MAX_REPEAT, &v, err))
			st->count = v;
		else
			sp_err(p, err);
		break;
	case ARG_ERRTYPE:
		if (sp_errtype(s))
			st->errtype = xstrdup(s);
		else {
			snprintf(err, sizeof(err), "bad error type '%s' for raise: expected "
			    "a name such as ValueError or RuntimeError", diag_clip(cb, s));
			sp_err(p, err);
		}
		break;
	case ARG_SIGNAL:
		if (!lex_signal(s, &st->sig, err))
			sp_err(p, err);
		break;
	}
}

static void
sp_option(struct sp *p, const char *key, const char *val, unsigned *seen)
{
	const struct syn_verb *v = p->verb;
	struct sc_step *st = p->st;
	char err[LEX_ERR_SIZE], cb[DIAG_CLIP_SIZE], list[160] = "";
	const struct syn_optdef *o = NULL;
	int64_t n;

	for (int i = 0; i < syn_nopts; i++)
		if (strcmp(syn_opts[i].name, key) == 0)
			o = &syn_opts[i];
	if (!o || !(v->opts & o->bit)) {
		for (int i = 0; i < syn_nopts; i++)
			if (v->opts & syn_opts[i].bit) {
				size_t len = strlen(list);
				snprintf(list + len, sizeof(list) - len, "%s%s",
				    len ? ", " : "", syn_opts[i].name);
			}
		if (list[0])
			snprintf(err, sizeof(err), "unknown option '%s' for %s (options: %s)",
			    diag_clip(cb, key), v->name, list);
		else
			snprintf(err, sizeof(err), "unknown option '%s' for %s (%s takes "
			    "no options)", diag_clip(cb, key), v->name, v->name);
		sp_err(p, err);
		return;
	}
	if (*seen & o->bit) {
		snprintf(err, sizeof(err), "option '%s' given twice", key);
		sp_err(p, err);
		return;
	}
	*seen |= o->bit;
	if (*val == '\0') {
		snprintf(err, sizeof(err), "option '%s' needs a value: %s=...", key, key);
		sp_err(p, err);
		return;
	}
	switch (o->bit) {
	case OPT_TIMEOUT:
		if (!lex_duration("timeout", val, 0, SC_MAX_DURATION_NS, &st->timeout_ns, err))
			sp_err(p, err);
		break;
	case OPT_CHUNKSIZE:
		if (lex_int("chunksize", val, 1, SC_MAX_MAP_ITEMS, &n, err))
			st->chunksize = (int)n;
		else
			sp_err(p, err);
		break;
	case OPT_CALLBACK:
	case OPT_EACH:
		if ((st->callback = ld_lookup(p->ld, p->line, val, KIND_BIT(SC_FUNCTION))) < 0)
			p->bad = true;
		break;
	case OPT_ERROR_CALLBACK:
		if ((st->error_callback = ld_lookup(p->ld, p->line, val,
		    KIND_BIT(SC_FUNCTION))) < 0)
			p->bad = true;
		break;
	case OPT_ON_ERROR:
		if (strcmp(val, "continue") == 0)
			st->on_error_continue = true;
		else {
			snprintf(err, sizeof(err), "bad value '%s' for on_error: expected "
			    "on_error=continue", diag_clip(cb, val));
			sp_err(p, err);
		}
		break;
	}
}

/* Parse one step; returns false if the verb is unknown (nothing to add). */
static bool
sp_step(struct loader *ld, const struct ld_raw *raw, struct sc_step *st)
{
	struct lex_toks t = { NULL, 0, 0 };
	struct sp p = { ld, raw->line, NULL, st, false };
	char err[LEX_ERR_SIZE], cb[DIAG_CLIP_SIZE], an[32];
	unsigned seen = 0;
	int npos = 0, i;

	memset(st, 0, sizeof(*st));
	st->line = raw->line;
	st->obj = st->end = st->func = st->callback = st->error_callback = -1;
	st->timeout_ns = -1;
	st->match = -1;
	if (!lex_split(raw->text, &t, err)) {
		diag_add(&ld->diag, raw->line, "%s", err);
		lex_toks_free(&t);
		return false;
	}
	if (t.n == 0) {
		diag_add(&ld->diag, raw->line, "empty step: expected a verb such as "
		    "sleep, print, put or start");
		lex_toks_free(&t);
		return false;
	}
	if (t.v[0].quoted || t.v[0].val) {
		diag_add(&ld->diag, raw->line, "a step starts with a verb such as sleep, "
		    "print, put or start, not '%s'", diag_clip(cb, raw->text));
		lex_toks_free(&t);
		return false;
	}
	p.verb = syn_find(t.v[0].s);
	if (!p.verb) {
		const char **names = xcalloc((size_t)syn_nverbs, sizeof(char *));
		for (i = 0; i < syn_nverbs; i++)
			names[i] = syn_verbs[i].name;
		const char *s = diag_suggest(t.v[0].s, names, (size_t)syn_nverbs);
		if (s)
			diag_add(&ld->diag, raw->line, "unknown step '%s' (did you mean '%s'?)",
			    diag_clip(cb, t.v[0].s), s);
		else
			diag_add(&ld->diag, raw->line, "unknown step '%s' (see "
			    "docs/scenario-format.md for the list of steps)",
			    diag_clip(cb, t.v[0].s));
		free(names);
		lex_toks_free(&t);
		return false;
	}
	st->kind = p.verb->kind;
	if (st->kind == STEP_CALL)
		st->expr.base = SC_BASE_ARG;
	for (i = 1; i < t.n; i++) {
		if (t.v[i].val)
			continue;
		if (npos >= SYN_MAX_ARGS || p.verb->args[npos].type == ARG_NONE) {
			bool text = false;
			for (int k = 0; k < SYN_MAX_ARGS; k++)
				text |= p.verb->args[k].type == ARG_TEXT;
			snprintf(err, sizeof(err), "too many arguments for %s, from '%s' "
			    "(usage: %s)%s", p.verb->name, diag_clip(cb, t.v[i].s),
			    p.verb->usage, text ? "; put text with spaces in double quotes" : "");
			sp_err(&p, err);
			break;
		}
		if (p.verb->args[npos].type == ARG_EXPR) {
			/* The expression is the rest of the positional words. */
			size_t len = 0;
			for (int k = i; k < t.n; k++)
				if (!t.v[k].val)
					len += strlen(t.v[k].s) + 1;
			char *e = xmalloc(len + 1);
			e[0] = '\0';
			for (int k = i; k < t.n; k++)
				if (!t.v[k].val) {
					strcat(e, t.v[k].s);
					strcat(e, " ");
				}
			e[len ? len - 1 : 0] = '\0';
			sp_arg(&p, npos++, e);
			free(e);
			break;
		}
		sp_arg(&p, npos++, t.v[i].s);
	}
	if (npos < SYN_MAX_ARGS && p.verb->args[npos].type != ARG_NONE &&
	    !p.verb->args[npos].optional) {
		sp_argname(p.verb, npos, an, sizeof(an));
		snprintf(err, sizeof(err), "missing %s for %s (usage: %s)", an,
		    p.verb->name, p.verb->usage);
		sp_err(&p, err);
	}
	for (i = 1; i < t.n; i++)
		if (t.v[i].val)
			sp_option(&p, t.v[i].s, t.v[i].val, &seen);
	if (st->kind == STEP_JOIN && st->timeout_ns >= 0 && st->obj >= 0 &&
	    ld->sc->objs[st->obj].kind == SC_POOL) {
		snprintf(err, sizeof(err), "join of pool '%s' takes no timeout "
		    "(Pool.join() has none)", ld->sc->objs[st->obj].name);
		sp_err(&p, err);
	}
	if (st->kind == STEP_RAISE && !st->text)
		st->text = xstrdup("");
	lex_toks_free(&t);
	return true;
}

/* Match repeat/end inside one function. */
static void
sp_match(struct loader *ld, struct sc_function *fn)
{
	int *stack = xcalloc((size_t)fn->nsteps + 1, sizeof(int)), depth = 0;

	for (int i = 0; i < fn->nsteps; i++) {
		struct sc_step *st = &fn->steps[i];
		if (st->kind == STEP_REPEAT) {
			if (depth == SC_MAX_DEPTH)
				diag_add(&ld->diag, st->line, "repeat blocks nested too deeply "
				    "(at most %d levels)", SC_MAX_DEPTH);
			stack[depth++] = i;
		} else if (st->kind == STEP_END) {
			if (depth == 0) {
				diag_add(&ld->diag, st->line, "end without a matching repeat");
				continue;
			}
			int r = stack[--depth];
			fn->steps[r].match = i;
			st->match = r;
		}
	}
	while (depth > 0) {
		int r = stack[--depth];
		diag_add(&ld->diag, fn->steps[r].line, "repeat without a matching end");
	}
	free(stack);
}

void
ld_steps(struct loader *ld)
{
	struct scenario *sc = ld->sc;

	for (int i = 0; i < sc->nobjs; i++) {
		struct ld_obj *lo = &ld->lo[i];
		struct sc_function *fn = &sc->objs[i].u.fn;
		if (sc->objs[i].kind != SC_FUNCTION)
			continue;
		int n = lo->nsteps > SC_MAX_STEPS ? SC_MAX_STEPS : lo->nsteps;
		fn->steps = xcalloc((size_t)n + 1, sizeof(*fn->steps));
		fn->nsteps = 0;
		for (int k = 0; k < n; k++)
			if (sp_step(ld, &lo->steps[k], &fn->steps[fn->nsteps]))
				fn->nsteps++;
		sp_match(ld, fn);
	}
}
