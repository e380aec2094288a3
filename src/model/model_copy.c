/* Deep copies of the model (snapshots for replay seeks). */
#include "model/model_copy.h"

#include <stdlib.h>
#include <string.h>

#include "util/xmem.h"

static void *
dup_array(const void *src, size_t n, size_t size)
{
	if (!src)
		return NULL;
	void *p = xmalloc(n ? n * size : 1);
	if (n)
		memcpy(p, src, n * size);
	return p;
}

/* Deep copy of everything in 'src' but the log into 'dst' (overwritten). */
static void
copy_body(struct model *dst, const struct model *src)
{
	*dst = *src;
	dst->log = NULL;
	dst->marks = dup_array(src->marks, (size_t)src->nmarks, sizeof(*src->marks));
	dst->capmarks = src->marks ? src->nmarks : 0;
	dst->procs = dup_array(src->procs, (size_t)src->nprocs, sizeof(*src->procs));
	dst->capprocs = src->procs ? src->nprocs : 0;
	for (int i = 0; i < src->nprocs; i++) {
		struct model_proc *p = &dst->procs[i];
		p->threads = dup_array(p->threads, (size_t)p->nthreads,
		    sizeof(*p->threads));
		p->capthreads = p->threads ? p->nthreads : 0;
	}
	dst->pid_index = dup_array(src->pid_index, (size_t)src->pid_index_cap,
	    sizeof(*src->pid_index));
	dst->objs = dup_array(src->objs, (size_t)(src->nobjs ? src->nobjs : 1),
	    sizeof(*src->objs));
	dst->tasks = dup_array(src->tasks, src->ntasks, sizeof(*src->tasks));
	dst->captasks = src->tasks ? src->ntasks : 0;
	dst->reason = src->reason ? xstrdup(src->reason) : NULL;
}

/* Free what copy_body allocated. */
static void
free_body(struct model *m)
{
	for (int i = 0; i < m->nprocs; i++)
		free(m->procs[i].threads);
	free(m->procs);
	free(m->pid_index);
	free(m->objs);
	free(m->tasks);
	free(m->reason);
	free(m->marks);
}

struct model *
model_snapshot(const struct model *m)
{
	struct model *s = xmalloc(sizeof(*s));
	copy_body(s, m);
	return s;
}

void
model_snapshot_free(struct model *snap)
{
	if (!snap)
		return;
	free_body(snap);
	free(snap);
}

size_t
model_snapshot_bytes(const struct model *m)
{
	size_t n = sizeof(*m) + (size_t)m->nmarks * sizeof(*m->marks) +
	    (size_t)m->nprocs * sizeof(*m->procs) +
	    (size_t)m->pid_index_cap * sizeof(int) +
	    (size_t)m->nobjs * sizeof(*m->objs) + m->ntasks * sizeof(*m->tasks);
	for (int i = 0; i < m->nprocs; i++)
		n += (size_t)m->procs[i].nthreads * sizeof(struct model_thread);
	return n;
}

void
model_restore(struct model *m, const struct model *snap)
{
	struct model_log_entry *log = m->log;
	free_body(m);
	copy_body(m, snap);
	m->log = log;
	if (log)
		memset(log, 0, MODEL_LOG_MAX * sizeof(*log));
}
