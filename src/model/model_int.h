#ifndef IPCSCOPE_MODEL_INT_H
#define IPCSCOPE_MODEL_INT_H
/*
 * Inside the model (model*.c only): helpers shared by its files.
 */
#include "model/model.h"

/* A fresh doing state: running since 't'. */
void model_doing_init(struct model_doing *d, int64_t t);
/* Append a process for 'pid' (the newest with that pid from now on). */
struct model_proc *model_proc_add(struct model *m, pid_t pid, int64_t t);
/* The newest process with 'pid'; a placeholder when none (pid > 0). */
struct model_proc *model_proc_of(struct model *m, pid_t pid, int64_t t);
/* The same, a placeholder named and typed after object 'obj'. */
struct model_proc *model_proc_of_obj(struct model *m, pid_t pid, int obj,
    int64_t t);
/* Task 'id' of pool 'pool', made if new (kept sorted by id). */
struct model_task *model_task_of(struct model *m, int64_t id, int pool);
/* The pool state of object 'obj', or NULL when it is not a pool. */
struct model_pool *model_pool_of(struct model *m, int obj);
/* Worker 'pid' holds 'slot' of 'pl' from 't' (a different pid before it
 * counts as a replacement). */
void model_slot_set(struct model_pool *pl, int slot, pid_t pid, int64_t t);
/* Add 'ev' to the event log (model_log.c). */
void model_log_add(struct model *m, const struct event *ev);

#endif
