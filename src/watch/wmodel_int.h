#ifndef IPCSCOPE_WATCH_WMODEL_INT_H
#define IPCSCOPE_WATCH_WMODEL_INT_H
/* Shared between wmodel.c and wmodel_diff.c only. */
#include "watch/wmodel.h"

/* Append an entry to the log. */
void wmodel_log(struct wmodel *m, double t, enum wmodel_ev_kind kind,
    pid_t pid, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* "reading pipe:[5678] from 1236" for one wait. */
void wmodel_blocked_short(const struct watch_blocked *b, char *buf,
    size_t len);

#endif
