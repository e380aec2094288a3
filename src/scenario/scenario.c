/*
 * The scenario model: names of kinds, lookup, freeing.
 */
#include "scenario/scenario.h"

#include <stdlib.h>
#include <string.h>

static const char *const sc_kind_names[SC_KIND_COUNT] = {
	[SC_FUNCTION] = "function",
	[SC_PROCESS] = "process",
	[SC_THREAD] = "thread",
	[SC_QUEUE] = "queue",
	[SC_PIPE] = "pipe",
	[SC_MANAGER] = "manager",
	[SC_POOL] = "pool",
};

const char *
sc_kind_name(enum sc_kind kind)
{
	if ((unsigned)kind >= SC_KIND_COUNT)
		return "?";
	return sc_kind_names[kind];
}

int
scenario_find(const struct scenario *sc, const char *name)
{
	for (int i = 0; i < sc->nobjs; i++)
		if (strcmp(sc->objs[i].name, name) == 0)
			return i;
	return -1;
}

void
scenario_free(struct scenario *sc)
{
	for (int i = 0; i < sc->nobjs; i++) {
		struct sc_object *o = &sc->objs[i];
		if (o->kind != SC_FUNCTION)
			continue;
		for (int k = 0; k < o->u.fn.nsteps; k++) {
			free(o->u.fn.steps[k].text);
			free(o->u.fn.steps[k].key);
			free(o->u.fn.steps[k].errtype);
		}
		free(o->u.fn.steps);
	}
	free(sc->objs);
	free(sc->path);
	free(sc->title);
	free(sc->description);
	free(sc->expect_error);
	memset(sc, 0, sizeof(*sc));
}
