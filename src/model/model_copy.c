/* Deep copies of the model (snapshots for replay seeks). */
#include "model/model_copy.h"

#include <stdlib.h>
#include <string.h>

#include "util/xmem.h"

#define TASK_CHUNK 256

struct task_chunk {
	int refs;
	size_t n;
	struct model_task t[];
};

struct obj_copy {
	int refs;
	struct model_obj o;
};

struct model_snap {
	struct model m;            /* objs, tasks == NULL: see below */
	struct obj_copy **objs;    /* m.nobjs, shared when unchanged */
	struct task_chunk **chunks;
	size_t nchunks;
	size_t bytes;
};

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

/* Deep copy of everything in 'src' but the log, the objects and the tasks
 * into 'dst' (overwritten). */
static void
copy_body(struct model *dst, const struct model *src)
{
	*dst = *src;
	dst->log = NULL;
	dst->objs = NULL;
	dst->tasks = NULL;
	dst->captasks = 0;
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
	dst->reason = src->reason ? xstrdup(src->reason) : NULL;
}

/* Free what copy_body allocated (and the tasks, when any). */
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

static size_t
body_bytes(const struct model *m)
{
	size_t n = sizeof(*m) + (size_t)m->nmarks * sizeof(*m->marks) +
	    (size_t)m->nprocs * sizeof(*m->procs) +
	    (size_t)m->pid_index_cap * sizeof(int);
	for (int i = 0; i < m->nprocs; i++)
		n += (size_t)m->procs[i].nthreads * sizeof(struct model_thread);
	return n;
}

struct model_snap *
model_snapshot(const struct model *m, const struct model_snap *prev)
{
	struct model_snap *s = xcalloc(1, sizeof(*s));
	copy_body(&s->m, m);
	s->bytes = body_bytes(m);
	s->objs = xcalloc((size_t)(m->nobjs ? m->nobjs : 1), sizeof(*s->objs));
	for (int i = 0; i < m->nobjs; i++) {
		struct obj_copy *c = prev && i < prev->m.nobjs ? prev->objs[i] : NULL;
		if (c && memcmp(&c->o, &m->objs[i], sizeof(c->o)) == 0) {
			c->refs++;
		} else {
			c = xmalloc(sizeof(*c));
			c->refs = 1;
			c->o = m->objs[i];
			s->bytes += sizeof(*c);
		}
		s->objs[i] = c;
	}
	s->nchunks = (m->ntasks + TASK_CHUNK - 1) / TASK_CHUNK;
	s->chunks = xcalloc(s->nchunks ? s->nchunks : 1, sizeof(*s->chunks));
	for (size_t i = 0; i < s->nchunks; i++) {
		const struct model_task *t = m->tasks + i * TASK_CHUNK;
		size_t n = m->ntasks - i * TASK_CHUNK;
		if (n > TASK_CHUNK)
			n = TASK_CHUNK;
		struct task_chunk *c = prev && i < prev->nchunks ? prev->chunks[i] : NULL;
		if (c && c->n == n && memcmp(c->t, t, n * sizeof(*t)) == 0) {
			c->refs++;
		} else {
			c = xmalloc(sizeof(*c) + n * sizeof(*t));
			c->refs = 1;
			c->n = n;
			memcpy(c->t, t, n * sizeof(*t));
			s->bytes += sizeof(*c) + n * sizeof(*t);
		}
		s->chunks[i] = c;
	}
	return s;
}

void
model_snapshot_free(struct model_snap *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nchunks; i++)
		if (--s->chunks[i]->refs == 0)
			free(s->chunks[i]);
	free(s->chunks);
	for (int i = 0; i < s->m.nobjs; i++)
		if (--s->objs[i]->refs == 0)
			free(s->objs[i]);
	free(s->objs);
	free_body(&s->m);
	free(s);
}

size_t
model_snapshot_bytes(const struct model_snap *s)
{
	return s->bytes;
}

void
model_restore(struct model *m, const struct model_snap *s)
{
	struct model_log_entry *log = m->log;
	free_body(m);
	copy_body(m, &s->m);
	m->log = log;
	if (log)
		memset(log, 0, MODEL_LOG_MAX * sizeof(*log));
	m->objs = xmalloc((size_t)(m->nobjs ? m->nobjs : 1) * sizeof(*m->objs));
	for (int i = 0; i < m->nobjs; i++)
		m->objs[i] = s->objs[i]->o;
	m->ntasks = s->m.ntasks;
	m->captasks = m->ntasks;
	m->tasks = m->ntasks ? xmalloc(m->ntasks * sizeof(*m->tasks)) : NULL;
	for (size_t i = 0; i < s->nchunks; i++)
		memcpy(m->tasks + i * TASK_CHUNK, s->chunks[i]->t,
		    s->chunks[i]->n * sizeof(*m->tasks));
}
