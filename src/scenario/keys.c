/*
 * Section keys: one table row per (section kind, key). The inih handler
 * (load.c) hands every 'key = value' here; values are parsed by type and
 * stored at the row's offset in the scenario or the object.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "scenario/lex.h"
#include "scenario/loader.h"
#include "scenario/steps_syntax.h"
#include "util/xmem.h"

enum key_type {
	KT_TEXT,          /* char *, once */
	KT_TEXT_JOIN,     /* char *, repeatable, joined with a space */
	KT_DUR,           /* int64_t ns */
	KT_INT,           /* int */
	KT_BOOL,          /* bool */
	KT_EXPR,          /* struct sc_expr */
	KT_NAME,          /* a function name, resolved after all sections */
	KT_STEP,          /* a function step, parsed after all sections */
};

struct key_def {
	int sec;          /* LD_SEC_SCENARIO or an enum sc_kind */
	const char *key;
	enum key_type type;
	bool required;
	size_t off;       /* in struct scenario or struct sc_object */
	int64_t lo, hi;   /* KT_INT, KT_DUR */
};

#define SCN(f) offsetof(struct scenario, f)
#define OBJ(f) offsetof(struct sc_object, u.f)
#define S LD_SEC_SCENARIO
#define DMAX SC_MAX_DURATION_NS

static const struct key_def key_table[] = {
	{ S, "title", KT_TEXT, true, SCN(title), 0, 0 },
	{ S, "description", KT_TEXT_JOIN, false, SCN(description), 0, 0 },
	{ S, "timeout", KT_DUR, false, SCN(timeout_ns), 1000000, DMAX },
	{ S, "max_processes", KT_INT, false, SCN(max_processes), 1, SC_HARD_MAX_PROCESSES },
	{ S, "max_threads", KT_INT, false, SCN(max_threads), 1, SC_HARD_MAX_THREADS },
	{ S, "main", KT_NAME, false, 0, 0, 0 },
	{ S, "expect_error", KT_TEXT, false, SCN(expect_error), 0, 0 },
	{ SC_FUNCTION, "step", KT_STEP, true, 0, 0, 0 },
	{ SC_PROCESS, "run", KT_NAME, true, 0, 0, 0 },
	{ SC_PROCESS, "count", KT_INT, false, OBJ(proc.count), 1, SC_HARD_MAX_PROCESSES },
	{ SC_PROCESS, "daemon", KT_BOOL, false, OBJ(proc.daemon), 0, 0 },
	{ SC_PROCESS, "arg", KT_EXPR, false, OBJ(proc.arg), 0, 0 },
	{ SC_THREAD, "run", KT_NAME, true, 0, 0, 0 },
	{ SC_THREAD, "arg", KT_EXPR, false, OBJ(thr.arg), 0, 0 },
	{ SC_QUEUE, "maxsize", KT_INT, false, OBJ(q.maxsize), 0, SC_MAX_QUEUE_SIZE },
	{ SC_PIPE, "duplex", KT_BOOL, false, OBJ(pipe.duplex), 0, 0 },
	{ SC_POOL, "processes", KT_INT, false, OBJ(pool.processes), 1, SC_MAX_POOL },
	{ SC_POOL, "maxtasksperchild", KT_INT, false, OBJ(pool.maxtasksperchild), 0, 1000000 },
};
#define NKEYS ((int)(sizeof(key_table) / sizeof(key_table[0])))

/* Index of 'key' among the keys of section 'sec' (slot in key_line), or -1. */
static int
key_slot(int sec, const char *key, const struct key_def **def)
{
	int slot = 0;

	for (int i = 0; i < NKEYS; i++) {
		if (key_table[i].sec != sec)
			continue;
		if (key && strcmp(key_table[i].key, key) == 0) {
			*def = &key_table[i];
			return slot;
		}
		slot++;
	}
	return -1;
}

static const char *
key_section_name(struct loader *ld, int sec, char *buf, size_t size)
{
	if (sec == LD_SEC_SCENARIO)
		snprintf(buf, size, "[scenario]");
	else
		snprintf(buf, size, "[%s %s]", sc_kind_name(ld->sc->objs[sec].kind),
		    ld->sc->objs[sec].name);
	return buf;
}

static void
key_unknown(struct loader *ld, int sec, int kind, const char *key, int line)
{
	const char *cands[LD_KEYS_MAX];
	char list[256] = "", sn[64], cb[DIAG_CLIP_SIZE];
	size_t n = 0;

	for (int i = 0; i < NKEYS; i++)
		if (key_table[i].sec == kind) {
			cands[n++] = key_table[i].key;
			size_t len = strlen(list);
			snprintf(list + len, sizeof(list) - len, "%s%s", n > 1 ? ", " : "",
			    key_table[i].key);
		}
	key_section_name(ld, sec, sn, sizeof(sn));
	const char *s = diag_suggest(key, cands, n);
	if (s)
		diag_add(&ld->diag, line, "unknown key '%s' in %s (did you mean '%s'?)",
		    diag_clip(cb, key), sn, s);
	else if (n == 0)
		diag_add(&ld->diag, line, "unknown key '%s' in %s (a %s takes no keys)",
		    diag_clip(cb, key), sn, sc_kind_name((enum sc_kind)kind));
	else
		diag_add(&ld->diag, line, "unknown key '%s' in %s (known keys: %s)",
		    diag_clip(cb, key), sn, list);
}

static void
key_text(struct loader *ld, int line, const char *key, char **dst,
    const char *value, bool join)
{
	size_t old = *dst ? strlen(*dst) : 0, n = strlen(value);

	if (n == 0) {
		diag_add(&ld->diag, line, "empty value for %s", key);
		return;
	}
	if (old + n + 1 > SC_TEXT_MAX) {
		diag_add(&ld->diag, line, "%s is too long (%zu bytes; at most %d)",
		    key, old + n + (old ? 1 : 0), SC_TEXT_MAX);
		return;
	}
	if (join && *dst) {
		char *s = xasprintf("%s %s", *dst, value);
		free(*dst);
		*dst = s;
	} else
		*dst = xstrdup(value);
}

static void
key_raw(struct ld_raw *r, const char *value, int line)
{
	r->line = line;
	r->text = xstrdup(value);
}

void
ld_key(struct loader *ld, const char *key, const char *value, int line)
{
	const struct key_def *def = NULL;
	char err[LEX_ERR_SIZE], sn[64];
	int sec, kind, slot, *lines;
	char *base;

	while (ld->cur + 1 < ld->nhdr && ld->hdr[ld->cur + 1].line < line)
		ld->cur++;
	if (ld->cur < 0) {
		diag_add(&ld->diag, line, "key '%s' is outside any section (put it under "
		    "[scenario] or a [KIND NAME] header)", key);
		return;
	}
	sec = ld->hdr_sec[ld->cur];
	if (sec == LD_SEC_IGNORE)
		return;
	kind = sec == LD_SEC_SCENARIO ? LD_SEC_SCENARIO : (int)ld->sc->objs[sec].kind;
	slot = key_slot(kind, key, &def);
	if (slot < 0) {
		key_unknown(ld, sec, kind, key, line);
		return;
	}
	lines = sec == LD_SEC_SCENARIO ? ld->scn_key_line : ld->lo[sec].key_line;
	if (lines[slot] && def->type != KT_TEXT_JOIN && def->type != KT_STEP) {
		diag_add(&ld->diag, line, "duplicate key '%s' in %s (first at line %d)",
		    key, key_section_name(ld, sec, sn, sizeof(sn)), lines[slot]);
		return;
	}
	if (!lines[slot])
		lines[slot] = line;
	base = sec == LD_SEC_SCENARIO ? (char *)ld->sc : (char *)&ld->sc->objs[sec];
	switch (def->type) {
	case KT_TEXT:
	case KT_TEXT_JOIN:
		key_text(ld, line, key, (char **)(void *)(base + def->off), value,
		    def->type == KT_TEXT_JOIN);
		break;
	case KT_DUR:
		if (!lex_duration(key, value, def->lo, def->hi,
		    (int64_t *)(void *)(base + def->off), err))
			diag_add(&ld->diag, line, "%s", err);
		break;
	case KT_INT: {
		int64_t v;
		if (lex_int(key, value, def->lo, def->hi, &v, err))
			*(int *)(void *)(base + def->off) = (int)v;
		else
			diag_add(&ld->diag, line, "%s", err);
		break;
	}
	case KT_BOOL:
		if (!lex_bool(key, value, (bool *)(void *)(base + def->off), err))
			diag_add(&ld->diag, line, "%s", err);
		break;
	case KT_EXPR:
		if (!lex_expr(key, value, (struct sc_expr *)(void *)(base + def->off), err))
			diag_add(&ld->diag, line, "%s", err);
		break;
	case KT_NAME:
		if (sec == LD_SEC_SCENARIO)
			key_raw(&ld->main, value, line);
		else
			key_raw(&ld->lo[sec].run, value, line);
		break;
	case KT_STEP: {
		struct ld_obj *lo = &ld->lo[sec];
		if (lo->nsteps == SC_MAX_STEPS) {
			diag_add(&ld->diag, line, "too many steps in function '%s' (at most %d)",
			    ld->sc->objs[sec].name, SC_MAX_STEPS);
			lo->nsteps++;     /* report once */
			break;
		}
		if (lo->nsteps > SC_MAX_STEPS)
			break;
		if (lo->nsteps == lo->capsteps) {
			lo->capsteps = lo->capsteps ? lo->capsteps * 2 : 16;
			lo->steps = xreallocarray(lo->steps, (size_t)lo->capsteps,
			    sizeof(*lo->steps));
		}
		key_raw(&lo->steps[lo->nsteps++], value, line);
		break;
	}
	}
}

void
ld_object_defaults(struct sc_object *o)
{
	switch (o->kind) {
	case SC_PROCESS:
		o->u.proc.func = -1;
		o->u.proc.count = 1;
		o->u.proc.arg = (struct sc_expr){ SC_BASE_I, 0, 0 };
		break;
	case SC_THREAD:
		o->u.thr.func = -1;
		o->u.thr.arg = (struct sc_expr){ SC_BASE_ARG, 0, 0 };
		break;
	case SC_PIPE:
		o->u.pipe.duplex = true;
		break;
	case SC_POOL: {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		o->u.pool.processes = n < 1 ? 1 : n > SC_MAX_POOL ? SC_MAX_POOL : (int)n;
		break;
	}
	default:
		break;
	}
}

void
ld_scenario_defaults(struct scenario *sc)
{
	sc->timeout_ns = 60LL * 1000000000LL;
	sc->max_processes = SC_DEFAULT_MAX_PROCESSES;
	sc->max_threads = SC_DEFAULT_MAX_THREADS;
	sc->main_func = -1;
}

void
ld_keys_finish(struct loader *ld)
{
	struct scenario *sc = ld->sc;
	const struct key_def *def;
	char sn[64];

	for (int i = 0; i < sc->nobjs; i++) {
		struct sc_object *o = &sc->objs[i];
		int slot = 0;
		for (int k = 0; k < NKEYS; k++) {
			if (key_table[k].sec != (int)o->kind)
				continue;
			if (key_table[k].required && !ld->lo[i].key_line[slot]) {
				if (o->kind == SC_FUNCTION)
					diag_add(&ld->diag, o->line, "function '%s' has no steps "
					    "(add lines such as: step = print \"hello\")", o->name);
				else
					diag_add(&ld->diag, o->line, "missing required key '%s' "
					    "in %s", key_table[k].key,
					    key_section_name(ld, i, sn, sizeof(sn)));
			}
			slot++;
		}
		if ((o->kind == SC_PROCESS || o->kind == SC_THREAD) && ld->lo[i].run.text) {
			int f = ld_lookup(ld, ld->lo[i].run.line, ld->lo[i].run.text,
			    KIND_BIT(SC_FUNCTION));
			if (o->kind == SC_PROCESS)
				o->u.proc.func = f;
			else
				o->u.thr.func = f;
		}
	}
	if (!ld->scn_line) {
		diag_add(&ld->diag, 1, "missing [scenario] section (a scenario needs at "
		    "least: [scenario] and title = ...)");
	} else {
		int slot = key_slot(LD_SEC_SCENARIO, "title", &def);
		if (!ld->scn_key_line[slot])
			diag_add(&ld->diag, ld->scn_line, "missing required key 'title' "
			    "in [scenario]");
	}
}

int
ld_scenario_key_line(const struct loader *ld, const char *key)
{
	const struct key_def *def;
	int slot = key_slot(LD_SEC_SCENARIO, key, &def);

	return slot < 0 ? 0 : ld->scn_key_line[slot];
}
