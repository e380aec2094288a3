#include "runtime/shared.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>

#define SHARED_MAGIC 0x6970637363706531ULL   /* "ipcscpe1" */
#define ALIGN64(x) (((x) + 63) & ~(size_t)63)

static int
count_kind(const struct scenario *sc, enum sc_kind kind)
{
	int n = 0;

	for (int i = 0; i < sc->nobjs; i++)
		n += sc->objs[i].kind == kind;
	return n;
}

/* Actors: every process and thread the scenario may have at once, plus the
 * runtime's own threads (3 handler threads per pool, a few per manager). */
static int
actor_count(const struct scenario *sc)
{
	int n = sc->max_processes + sc->max_threads + 16;

	n += 4 * count_kind(sc, SC_POOL) + 8 * count_kind(sc, SC_MANAGER);
	return n;
}

struct shared *
shared_create(const struct scenario *sc)
{
	int nobjs = sc->nobjs > 0 ? sc->nobjs : 1;
	int nactors = actor_count(sc);
	size_t off_objs = ALIGN64(sizeof(struct shared));
	size_t off_actors = ALIGN64(off_objs + (size_t)nobjs * sizeof(union shared_obj));
	size_t off_rings = ALIGN64(off_actors + (size_t)nactors * sizeof(struct shared_actor));
	size_t size = off_rings + ring_area_size(nactors);
	char *mem;
	struct shared *sh;

	mem = mmap(NULL, size, PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (mem == MAP_FAILED)
		return NULL;
	sh = (struct shared *)mem;
	sh->magic = SHARED_MAGIC;
	sh->size = size;
	sh->nobjs = sc->nobjs;
	sh->nactors = nactors;
	sh->objs = (union shared_obj *)(mem + off_objs);
	sh->actors = (struct shared_actor *)(mem + off_actors);
	sh->rings = ring_area_init(mem + off_rings, nactors);
	for (int i = 0; i < nactors; i++) {
		atomic_store(&sh->actors[i].wait_obj, -1);
		atomic_store(&sh->actors[i].task, -1);
	}
	for (int i = 0; i < sc->nobjs; i++)
		if (sc->objs[i].kind == SC_POOL)
			for (int w = 0; w < SC_MAX_POOL; w++)
				atomic_store(&sh->objs[i].pool.worker_task[w], -1);
	return sh;
}

void
shared_destroy(struct shared *sh)
{
	if (sh && sh->magic == SHARED_MAGIC)
		munmap(sh, sh->size);
}
