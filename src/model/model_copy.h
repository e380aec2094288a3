#ifndef IPCSCOPE_MODEL_COPY_H
#define IPCSCOPE_MODEL_COPY_H
/*
 * Snapshots of the model, for seeking in a recording (trace/replay.c): a
 * deep copy of everything but the event log, which the replay rebuilds by
 * applying at least MODEL_LOG_MAX events after a restore. The pool tasks
 * (the one part that grows with the run) are kept in chunks shared with the
 * previous snapshot when unchanged, so a snapshot costs what changed.
 */
#include <stddef.h>

#include "model/model.h"

struct model_snap;

/* A snapshot of 'm'; 'prev' (or NULL) is the previous snapshot of the same
 * run, whose unchanged task chunks are shared. Free with
 * model_snapshot_free() (in any order). */
struct model_snap *model_snapshot(const struct model *m,
    const struct model_snap *prev);
void model_snapshot_free(struct model_snap *s);
/* Bytes the snapshot added (shared chunks not counted). */
size_t model_snapshot_bytes(const struct model_snap *s);

/* Make 'm' (initialised) the state of 's': 'm' keeps its log buffer,
 * emptied; the log sequence continues from the snapshot's, so the entries
 * are right again once MODEL_LOG_MAX events have been applied (or when the
 * snapshot is of the start). The scenario pointer is the snapshot's. */
void model_restore(struct model *m, const struct model_snap *s);

#endif
