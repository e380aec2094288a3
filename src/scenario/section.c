/*
 * Section headers: [scenario] and [KIND NAME]. Each valid [KIND NAME]
 * becomes one object, in file order. Headers come from the prescan, so
 * sections without keys (a [manager m]) exist too.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/lex.h"
#include "scenario/loader.h"
#include "util/xmem.h"

static const char *const section_kinds[] = {
	"scenario", "function", "process", "thread", "queue", "pipe", "manager", "pool",
};

/* Split 'text' into at most 3 words (the third is the rest). */
static int
section_words(char *text, char *w[3])
{
	int n = 0;
	char *p = text;

	while (n < 3) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		w[n++] = p;
		if (n == 3)
			break;
		while (*p && *p != ' ' && *p != '\t')
			p++;
		if (*p)
			*p++ = '\0';
	}
	if (n == 3) {            /* trim the rest */
		size_t k = strlen(w[2]);
		while (k > 0 && (w[2][k - 1] == ' ' || w[2][k - 1] == '\t'))
			w[2][--k] = '\0';
	}
	return n;
}

static int
section_kind(const char *word)
{
	for (int k = 0; k < SC_KIND_COUNT; k++)
		if (strcmp(word, sc_kind_name((enum sc_kind)k)) == 0)
			return k;
	return -1;
}

static int
section_object(struct loader *ld, const struct ld_header *h, enum sc_kind kind,
    const char *name)
{
	struct scenario *sc = ld->sc;
	int prev = scenario_find(sc, name);

	if (prev >= 0) {
		diag_add(&ld->diag, h->line, "name '%s' is already defined "
		    "(as a %s at line %d)", name,
		    sc_kind_name(sc->objs[prev].kind), sc->objs[prev].line);
		return LD_SEC_IGNORE;
	}
	if (sc->nobjs == SC_MAX_OBJECTS) {
		if (!ld->too_many_objs)
			diag_add(&ld->diag, h->line, "too many objects (at most %d)",
			    SC_MAX_OBJECTS);
		ld->too_many_objs = true;
		return LD_SEC_IGNORE;
	}
	if (sc->nobjs == ld->capobjs) {
		ld->capobjs = ld->capobjs ? ld->capobjs * 2 : 16;
		sc->objs = xreallocarray(sc->objs, (size_t)ld->capobjs, sizeof(*sc->objs));
		ld->lo = xreallocarray(ld->lo, (size_t)ld->capobjs, sizeof(*ld->lo));
	}
	struct sc_object *o = &sc->objs[sc->nobjs];
	memset(o, 0, sizeof(*o));
	memset(&ld->lo[sc->nobjs], 0, sizeof(ld->lo[0]));
	o->kind = kind;
	o->line = h->line;
	strcpy(o->name, name);
	ld_object_defaults(o);
	return sc->nobjs++;
}

static int
section_one(struct loader *ld, const struct ld_header *h)
{
	char *text, *w[3] = { NULL, NULL, NULL };
	char err[LEX_ERR_SIZE], cb[DIAG_CLIP_SIZE];
	int n, kind, r = LD_SEC_IGNORE;

	if (!h->text)
		return LD_SEC_IGNORE;     /* malformed, reported by the prescan */
	text = xstrdup(h->text);
	n = section_words(text, w);

	if (n == 0) {
		diag_add(&ld->diag, h->line, "empty section header: expected [scenario] "
		    "or [KIND NAME]");
		goto out;
	}
	if (strcmp(w[0], "scenario") == 0) {
		if (n > 1)
			diag_add(&ld->diag, h->line, "[scenario] takes no name, found '%s'",
			    diag_clip(cb, w[1]));
		else if (ld->scn_line)
			diag_add(&ld->diag, h->line, "second [scenario] section (the first "
			    "is at line %d)", ld->scn_line);
		else {
			ld->scn_line = h->line;
			r = LD_SEC_SCENARIO;
		}
		goto out;
	}
	kind = section_kind(w[0]);
	if (kind < 0) {
		const char *s = diag_suggest(w[0], section_kinds,
		    sizeof(section_kinds) / sizeof(section_kinds[0]));
		if (s)
			diag_add(&ld->diag, h->line, "unknown section kind '%s' "
			    "(did you mean '%s'?)", diag_clip(cb, w[0]), s);
		else
			diag_add(&ld->diag, h->line, "unknown section kind '%s' (expected "
			    "scenario, function, process, thread, queue, pipe, manager "
			    "or pool)", diag_clip(cb, w[0]));
		goto out;
	}
	if (n == 1) {
		diag_add(&ld->diag, h->line, "missing name in section header: expected "
		    "[%s NAME]", w[0]);
		goto out;
	}
	if (!lex_name(w[1], err)) {
		diag_add(&ld->diag, h->line, "%s", err);
		goto out;
	}
	if (n == 3) {
		diag_add(&ld->diag, h->line, "unexpected '%s' after [%s %s]: a section "
		    "header is [KIND NAME]", diag_clip(cb, w[2]), w[0], w[1]);
		goto out;
	}
	r = section_object(ld, h, (enum sc_kind)kind, w[1]);
out:
	free(text);
	return r;
}

void
ld_sections(struct loader *ld)
{
	ld->hdr_sec = xcalloc((size_t)ld->nhdr + 1, sizeof(int));
	for (int i = 0; i < ld->nhdr; i++)
		ld->hdr_sec[i] = section_one(ld, &ld->hdr[i]);
}

/* "process, thread or pool" for a kind mask. */
static void
section_kinds_text(unsigned kinds, char *buf, size_t size)
{
	int n = 0, total = 0;

	for (int k = 0; k < SC_KIND_COUNT; k++)
		total += (kinds >> k) & 1;
	buf[0] = '\0';
	for (int k = 0; k < SC_KIND_COUNT; k++) {
		if (!((kinds >> k) & 1))
			continue;
		n++;
		size_t len = strlen(buf);
		snprintf(buf + len, size - len, "%s%s",
		    n == 1 ? "" : n == total ? " or " : ", ", sc_kind_name((enum sc_kind)k));
	}
}

int
ld_lookup(struct loader *ld, int line, const char *name, unsigned kinds)
{
	struct scenario *sc = ld->sc;
	char cb[DIAG_CLIP_SIZE], kt[128];
	int i = scenario_find(sc, name);

	if (i < 0) {
		const char **cands = xcalloc((size_t)sc->nobjs + 1, sizeof(char *));
		size_t nc = 0;
		for (int k = 0; k < sc->nobjs; k++)
			if ((kinds >> sc->objs[k].kind) & 1)
				cands[nc++] = sc->objs[k].name;
		const char *s = diag_suggest(name, cands, nc);
		section_kinds_text(kinds, kt, sizeof(kt));
		if (s)
			diag_add(&ld->diag, line, "undefined name '%s' (did you mean '%s'?)",
			    diag_clip(cb, name), s);
		else
			diag_add(&ld->diag, line, "undefined name '%s' (no %s has this name)",
			    diag_clip(cb, name), kt);
		free(cands);
		return -1;
	}
	if (!((kinds >> sc->objs[i].kind) & 1)) {
		section_kinds_text(kinds, kt, sizeof(kt));
		diag_add(&ld->diag, line, "'%s' is a %s, not a %s", name,
		    sc_kind_name(sc->objs[i].kind), kt);
		return -1;
	}
	return i;
}
