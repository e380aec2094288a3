#ifndef IPCSCOPE_WATCH_WMODEL_H
#define IPCSCOPE_WATCH_WMODEL_H
/*
 * The watch dashboard's model: the latest watch snapshot (a "frame", what
 * the views read), plus what only a sequence of snapshots can tell: since
 * when each thread has been blocked, the rate of change of each edge's
 * fill, and an event log of changes found by diffing consecutive
 * snapshots (process appeared / exited, edge appeared / closed, blocked /
 * unblocked, role recognised, deadlock suspected / gone).
 *
 * One way: the watcher is the source (wmodel_update takes its snapshots),
 * the views read frames and the log. Processes are named by (pid, start
 * time), edges by (kind, inode). Pure data, no /proc, no curses.
 */
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "watch/snapshot.h"

/* What the views show: a snapshot with per-row extras. */
struct wmodel_frame {
	struct watch_snapshot s;     /* owned */
	double *blocked_since;       /* [s.nblocked]: snapshot time the same
	                                wait (tid, op, descriptor) was first
	                                seen */
	double *edge_rate;           /* [s.nedges]: fill change, bytes/s; 0
	                                for a new edge or an unknown fill */
	uint64_t log_upto;           /* log entries with seq < this existed
	                                when the frame was made */
	int seq;                     /* frames made so far (1 = the first) */
};

enum wmodel_ev_kind {
	WEV_PROC_NEW, WEV_PROC_EXIT, WEV_ROLE, WEV_EDGE_NEW, WEV_EDGE_CLOSED,
	WEV_BLOCKED, WEV_UNBLOCKED, WEV_DEADLOCK, WEV_DEADLOCK_GONE, WEV_NOTE,
	WEV_KIND_COUNT
};

struct wmodel_event {
	uint64_t seq;                /* 0, 1, 2 ... over the whole watch */
	double t;                    /* snapshot time (seconds) */
	enum wmodel_ev_kind kind;
	pid_t pid;                   /* the process concerned, or 0 */
	char text[200];
};

#define WMODEL_LOG_MAX 4000      /* oldest entries are dropped */

struct wmodel {
	struct wmodel_frame cur;     /* the latest frame */
	struct wmodel_event *log;    /* ring of WMODEL_LOG_MAX */
	uint64_t log_seq;            /* entries ever logged */
};

void wmodel_init(struct wmodel *m);
void wmodel_free(struct wmodel *m);

/* Take snapshot 's' (its arrays move into the model; *s is zeroed), diff
 * it against the previous frame, log the changes, make it the current
 * frame. The first snapshot logs its processes and a summary of its edges
 * and waits. */
void wmodel_update(struct wmodel *m, struct watch_snapshot *s);

/* Log a note (the dashboard's own happenings: "display paused", "CMD
 * exited with status 0") at snapshot time 't'. */
void wmodel_note(struct wmodel *m, double t, pid_t pid, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Log entries: the number still kept, and the i-th oldest kept (0 <= i <
 * count). Entries keep their seq; the i-th has seq log_seq - count + i. */
size_t wmodel_log_count(const struct wmodel *m);
const struct wmodel_event *wmodel_log_at(const struct wmodel *m, size_t i);

/* "event class" names: "process", "exit", "role", "edge", "closed",
 * "blocked", "unblocked", "deadlock", "ok", "note". */
const char *wmodel_ev_kind_name(enum wmodel_ev_kind k);

/* Deep copy of a frame (for a frozen display); free with
 * wmodel_frame_clear. */
void wmodel_frame_copy(struct wmodel_frame *dst, const struct wmodel_frame *src);
void wmodel_frame_clear(struct wmodel_frame *f);

/* The process (pid, start) in 'f', or NULL (start 0 matches any). */
const struct watch_proc *wmodel_proc(const struct wmodel_frame *f, pid_t pid,
    uint64_t start);

/* A process tree row: depth-first from the root; processes whose parent
 * is not in the frame (orphans) follow at depth 1. */
struct wmodel_row {
	int proc;                    /* index into f->s.procs */
	int depth;                   /* 0 = the root */
	unsigned last_mask;          /* bit d: the ancestor at depth d (or the
	                                row itself at its depth) is the last
	                                child of its parent */
};

/* Fill rows[0..cap) and return how many rows the frame has (may be more
 * than cap: call again with a bigger array). Pure. */
size_t wmodel_tree(const struct wmodel_frame *f, struct wmodel_row *rows,
    size_t cap);

/* Short text of what process 'pid' is blocked on in 'f' ("reading
 * pipe:[5678] from 1236", "waiting for child 1241"), preferring untimed
 * waits; "" when none. Returns non-zero when found. */
int wmodel_blocked_text(const struct wmodel_frame *f, pid_t pid, char *buf,
    size_t len);

/* Display names of roles: "main", "pool worker", "manager", "resource
 * tracker", "forkserver", "process". */
const char *wmodel_role_label(enum watch_role r);

/* "exited, status 0", "exited, status 137 (SIGKILL)", "exited (zombie),
 * status 1", "exited, status unknown" for a process in state X or Z. */
void wmodel_exit_text(const struct watch_proc *p, char *buf, size_t len);

/* The distinct writer ends and reader ends ("1236:4,1237:4", "outside"
 * for an end outside the tree) of the kernel object (kind, inode) in 's',
 * leaving out edges that are also in 'unless' (may be NULL). 'from' and
 * 'to' have 'len' bytes each (truncated lists stay valid strings). */
void wmodel_edge_ends(const struct watch_snapshot *s,
    enum watch_edge_kind kind, unsigned long inode,
    const struct watch_snapshot *unless, char *from, char *to, size_t len);

#endif
