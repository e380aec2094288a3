#ifndef IPCSCOPE_MODEL_COPY_H
#define IPCSCOPE_MODEL_COPY_H
/*
 * Snapshots of the model, for seeking in a recording (trace/replay.c): a
 * deep copy of everything but the event log, which the replay rebuilds by
 * applying at least MODEL_LOG_MAX events after a restore.
 */
#include <stddef.h>

#include "model/model.h"

/* A deep copy of 'm' without its log (log == NULL). Free it with
 * model_snapshot_free(). */
struct model *model_snapshot(const struct model *m);
void model_snapshot_free(struct model *snap);
/* Bytes a snapshot of 'm' takes (about). */
size_t model_snapshot_bytes(const struct model *m);

/* Make 'm' (initialised) the state of 'snap': 'm' keeps its log buffer,
 * emptied; the log sequence continues from the snapshot's, so the entries
 * are right again once MODEL_LOG_MAX events have been applied (or when the
 * snapshot is of the start). The scenario pointer is the snapshot's. */
void model_restore(struct model *m, const struct model *snap);

#endif
