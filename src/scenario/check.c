/*
 * Whole-model checks after every step is parsed: the main function, spawn
 * and call cycles, call nesting, and the process / thread caps.
 *
 * The functions form a graph: f -> g when a step of f makes g run (start a
 * process or thread running g, call g, submit g to a pool, or name g as a
 * callback). The language has no conditionals, so any cycle runs forever.
 * Without cycles, how many times each function runs follows from main by
 * multiplying along edges (repeat counts, copies, map items).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/loader.h"
#include "scenario/steps_syntax.h"
#include "util/xmem.h"

#define CK_BIG 1000000000000000LL    /* saturation for counts */

enum ck_edge { CK_CALL, CK_PROCESS, CK_THREAD, CK_TASK, CK_CALLBACK };

struct ck_edge_rec {
	int from, to;
	enum ck_edge type;
	int64_t weight;       /* runs of 'to' per run of 'from' */
	const struct sc_step *st;
};

struct ck {
	struct loader *ld;
	struct ck_edge_rec *e;
	int ne, cape;
	int *color;           /* per object: 0 white, 1 gray, 2 black */
	int *stack, nstack;   /* gray path of function indexes */
	int *order, norder;   /* postorder */
	bool cycle;
};

static int64_t
ck_mul(int64_t a, int64_t b)
{
	if (a == 0 || b == 0)
		return 0;
	if (a > CK_BIG / b)
		return CK_BIG;
	return a * b;
}

static int64_t
ck_add(int64_t a, int64_t b)
{
	return a + b > CK_BIG ? CK_BIG : a + b;
}

static void
ck_edge(struct ck *c, int from, int to, enum ck_edge type, int64_t w,
    const struct sc_step *st)
{
	if (to < 0)
		return;
	if (c->ne == c->cape) {
		c->cape = c->cape ? c->cape * 2 : 64;
		c->e = xreallocarray(c->e, (size_t)c->cape, sizeof(*c->e));
	}
	c->e[c->ne++] = (struct ck_edge_rec){ from, to, type, w, st };
}

/* Edges of function 'f'; steps inside repeat blocks are multiplied. */
static void
ck_edges_of(struct ck *c, int f)
{
	const struct scenario *sc = c->ld->sc;
	const struct sc_function *fn = &sc->objs[f].u.fn;
	int64_t *mult = xcalloc((size_t)fn->nsteps + 2, sizeof(int64_t));
	int depth = 0;

	mult[0] = 1;
	for (int i = 0; i < fn->nsteps; i++) {
		const struct sc_step *st = &fn->steps[i];
		int64_t m = mult[depth], items = st->hi - st->lo + 1;
		switch (st->kind) {
		case STEP_REPEAT:
			if (st->match >= 0) {
				mult[depth + 1] = ck_mul(m, st->count);
				depth++;
			}
			break;
		case STEP_END:
			if (st->match >= 0 && depth > 0)
				depth--;
			break;
		case STEP_START:
			if (st->obj < 0)
				break;
			if (sc->objs[st->obj].kind == SC_PROCESS)
				ck_edge(c, f, sc->objs[st->obj].u.proc.func, CK_PROCESS,
				    ck_mul(m, sc->objs[st->obj].u.proc.count), st);
			else
				ck_edge(c, f, sc->objs[st->obj].u.thr.func, CK_THREAD, m, st);
			break;
		case STEP_CALL:
			ck_edge(c, f, st->func, CK_CALL, m, st);
			break;
		case STEP_APPLY:
		case STEP_APPLY_ASYNC:
			ck_edge(c, f, st->func, CK_TASK, m, st);
			ck_edge(c, f, st->callback, CK_CALLBACK, m, st);
			ck_edge(c, f, st->error_callback, CK_CALLBACK, m, st);
			break;
		case STEP_MAP:
		case STEP_MAP_ASYNC:
		case STEP_IMAP:
		case STEP_IMAP_UNORDERED:
			ck_edge(c, f, st->func, CK_TASK, ck_mul(m, items), st);
			ck_edge(c, f, st->callback, CK_CALLBACK,
			    st->kind == STEP_MAP_ASYNC ? m : ck_mul(m, items), st);
			ck_edge(c, f, st->error_callback, CK_CALLBACK, m, st);
			break;
		default:
			break;
		}
	}
	free(mult);
}

static void
ck_cycle_report(struct ck *c, const struct ck_edge_rec *back)
{
	const struct scenario *sc = c->ld->sc;
	char path[512] = "";
	bool only_calls = back->type == CK_CALL;
	int start = c->nstack - 1;

	while (start > 0 && c->stack[start] != back->to)
		start--;
	for (int k = start; k < c->nstack; k++) {
		size_t len = strlen(path);
		if (len > sizeof(path) - 80) {
			snprintf(path + len, sizeof(path) - len, "... -> ");
			break;
		}
		snprintf(path + len, sizeof(path) - len, "%s -> ", sc->objs[c->stack[k]].name);
	}
	size_t len = strlen(path);
	snprintf(path + len, sizeof(path) - len, "%s", sc->objs[back->to].name);
	/* Were all the edges on the path calls? Check the gray path's edges. */
	for (int k = start; k + 1 < c->nstack && only_calls; k++) {
		bool found = false;
		for (int e = 0; e < c->ne; e++)
			if (c->e[e].from == c->stack[k] && c->e[e].to == c->stack[k + 1] &&
			    c->e[e].type == CK_CALL)
				found = true;
		only_calls = found;
	}
	if (only_calls)
		diag_add(&c->ld->diag, back->st->line, "recursive call: %s (the calls "
		    "would never end)", path);
	else
		diag_add(&c->ld->diag, back->st->line, "spawn cycle: %s (each run would "
		    "start the next, without end)", path);
	c->cycle = true;
}

static void
ck_dfs(struct ck *c, int f)
{
	c->color[f] = 1;
	c->stack[c->nstack++] = f;
	for (int e = 0; e < c->ne; e++) {
		if (c->e[e].from != f)
			continue;
		int g = c->e[e].to;
		if (c->color[g] == 1)
			ck_cycle_report(c, &c->e[e]);
		else if (c->color[g] == 0)
			ck_dfs(c, g);
	}
	c->nstack--;
	c->color[f] = 2;
	c->order[c->norder++] = f;
}

/* Longest chain of calls below 'f' (memo[f] = -1 unknown). Reports the
 * outermost call step where the chain gets deeper than SC_MAX_DEPTH. */
static int
ck_calldepth(struct ck *c, int f, int *memo)
{
	if (memo[f] >= 0)
		return memo[f];
	memo[f] = 0;
	for (int e = 0; e < c->ne; e++) {
		if (c->e[e].from != f || c->e[e].type != CK_CALL)
			continue;
		int d = ck_calldepth(c, c->e[e].to, memo);
		if (d + 1 > memo[f])
			memo[f] = d + 1;
	}
	return memo[f];
}

static void
ck_main(struct loader *ld)
{
	struct scenario *sc = ld->sc;
	int line = ld->scn_line ? ld->scn_line : 1;

	sc->main_func = -1;
	if (ld->main.text) {
		sc->main_func = ld_lookup(ld, ld->main.line, ld->main.text,
		    KIND_BIT(SC_FUNCTION));
		return;
	}
	int i = scenario_find(sc, "main");
	if (i < 0)
		diag_add(&ld->diag, line, "no function 'main' to run in the main process "
		    "(add [function main] or set main = NAME in [scenario])");
	else if (sc->objs[i].kind != SC_FUNCTION)
		diag_add(&ld->diag, line, "'main' is a %s, not a function (the main "
		    "process runs [function main] unless [scenario] sets main = NAME)",
		    sc_kind_name(sc->objs[i].kind));
	else
		sc->main_func = i;
}

static void
ck_caps(struct ck *c)
{
	struct loader *ld = c->ld;
	struct scenario *sc = ld->sc;
	int64_t *runs = xcalloc((size_t)sc->nobjs, sizeof(int64_t));
	int64_t procs = 1, managers = 0, workers = 0, started = 0, threads = 0;
	int64_t pmax = 0, tmax = 0;
	int pline = 0, tline = 0;

	runs[sc->main_func] = 1;
	for (int k = c->norder - 1; k >= 0; k--) {     /* topological order */
		int f = c->order[k];
		for (int e = 0; e < c->ne; e++)
			if (c->e[e].from == f)
				runs[c->e[e].to] = ck_add(runs[c->e[e].to],
				    ck_mul(runs[f], c->e[e].weight));
	}
	for (int i = 0; i < sc->nobjs; i++) {
		if (sc->objs[i].kind == SC_MANAGER)
			managers++;
		else if (sc->objs[i].kind == SC_POOL)
			workers += sc->objs[i].u.pool.processes;
	}
	for (int e = 0; e < c->ne; e++) {
		int64_t n = ck_mul(runs[c->e[e].from], c->e[e].weight);
		if (c->e[e].type == CK_PROCESS) {
			started = ck_add(started, n);
			if (n > pmax) {
				pmax = n;
				pline = c->e[e].st->line;
			}
		} else if (c->e[e].type == CK_THREAD) {
			threads = ck_add(threads, n);
			if (n > tmax) {
				tmax = n;
				tline = c->e[e].st->line;
			}
		}
	}
	procs = ck_add(ck_add(procs, managers), ck_add(workers, started));
	if (procs > sc->max_processes) {
		int line = ld_scenario_key_line(ld, "max_processes");
		char most[64] = "";
		if (pline)
			snprintf(most, sizeof(most), "; %lld from the start at line %d",
			    (long long)pmax, pline);
		diag_add(&ld->diag, line ? line : ld->scn_line ? ld->scn_line : 1,
		    "too many processes: %s%lld (main 1, managers %lld, pool workers %lld, "
		    "started %lld%s), more than max_processes = %d%s",
		    procs >= CK_BIG ? "more than " : "", (long long)procs,
		    (long long)managers, (long long)workers, (long long)started, most,
		    sc->max_processes, procs > SC_HARD_MAX_PROCESSES ?
		    " (the hard limit is 4096)" : " (it can be raised up to 4096)");
	}
	if (threads > sc->max_threads) {
		int line = ld_scenario_key_line(ld, "max_threads");
		diag_add(&ld->diag, line ? line : ld->scn_line ? ld->scn_line : 1,
		    "too many threads: %s%lld started (%lld from the start at line %d), "
		    "more than max_threads = %d%s", threads >= CK_BIG ? "more than " : "",
		    (long long)threads, (long long)tmax, tline, sc->max_threads,
		    threads > SC_HARD_MAX_THREADS ? " (the hard limit is 4096)" :
		    " (it can be raised up to 4096)");
	}
	free(runs);
}

void
ld_check(struct loader *ld)
{
	struct scenario *sc = ld->sc;
	struct ck c = { .ld = ld };
	int n = sc->nobjs;

	ck_main(ld);
	c.color = xcalloc((size_t)n + 1, sizeof(int));
	c.stack = xcalloc((size_t)n + 1, sizeof(int));
	c.order = xcalloc((size_t)n + 1, sizeof(int));
	for (int f = 0; f < n; f++)
		if (sc->objs[f].kind == SC_FUNCTION)
			ck_edges_of(&c, f);
	/* From main first, so cycles are reported along the path main takes. */
	if (sc->main_func >= 0)
		ck_dfs(&c, sc->main_func);
	for (int f = 0; f < n; f++)
		if (sc->objs[f].kind == SC_FUNCTION && c.color[f] == 0)
			ck_dfs(&c, f);
	if (!c.cycle) {
		int *memo = xcalloc((size_t)n + 1, sizeof(int));
		for (int f = 0; f < n; f++)
			memo[f] = -1;
		for (int e = 0; e < c.ne; e++) {
			if (c.e[e].type != CK_CALL)
				continue;
			/* Report where the chain first gets too deep: the callee's
			 * chain just fits, this call pushes it over. */
			int d = ck_calldepth(&c, c.e[e].to, memo) + 1;
			if (d == SC_MAX_DEPTH + 1)
				diag_add(&ld->diag, c.e[e].st->line, "calls nested too deeply: "
				    "'%s' calls a chain of %d functions (at most %d levels)",
				    sc->objs[c.e[e].from].name, d, SC_MAX_DEPTH);
		}
		free(memo);
		if (sc->main_func >= 0)
			ck_caps(&c);
	}
	free(c.e);
	free(c.color);
	free(c.stack);
	free(c.order);
}
