#ifndef IPCSCOPE_WATCH_SNAPSHOT_H
#define IPCSCOPE_WATCH_SNAPSHOT_H
/*
 * One picture of a watched process tree: the processes, the IPC edges
 * between them (pipes, unix sockets, named FIFOs) with their fill levels,
 * who is blocked on which edge, and wait-for cycles. Plain data, no /proc
 * access here: the watcher (watcher.c) fills it, printers (watch_json.c,
 * watch_text.c) and the dashboard read it.
 */
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum watch_role {
	WATCH_ROLE_PROCESS,          /* a descendant with no special role */
	WATCH_ROLE_MAIN,             /* the root of the watched tree */
	WATCH_ROLE_POOL_WORKER,
	WATCH_ROLE_MANAGER,          /* multiprocessing Manager server */
	WATCH_ROLE_RESOURCE_TRACKER,
	WATCH_ROLE_FORKSERVER,
	WATCH_ROLE_COUNT
};

/* "process", "main", "pool_worker", "manager", "resource_tracker",
 * "forkserver" (the JSON 'role' values). */
const char *watch_role_name(enum watch_role r);

struct watch_proc {
	pid_t pid, ppid;
	uint64_t start;              /* start time (clock ticks since boot):
	                                (pid, start) names a process */
	enum watch_role role;
	char state;                  /* R S D Z T ...; 'X' = exited and reaped */
	double cpu;                  /* %CPU (100 = one CPU), NAN when unknown */
	unsigned long rss_kib;
	int threads;
	char name[16];               /* comm */
	char cmdline[200];
	double read_rate, write_rate;/* bytes/s from /proc/PID/io, NAN unknown */
	int exit_status;             /* when state is Z or X: shell-style code
	                                (0..255, 128+sig), or -1 unknown */
	char error[120];             /* "" or what could not be read and why */
};

enum watch_edge_kind { WATCH_EDGE_PIPE, WATCH_EDGE_SOCKET, WATCH_EDGE_FIFO };

/* "pipe", "socket", "fifo". */
const char *watch_edge_kind_name(enum watch_edge_kind k);

struct watch_end {
	pid_t pid;                   /* 0 when that end is outside the tree */
	int fd;                      /* -1 likewise */
};

/* Data flows from 'from' to 'to'. A duplex socket pair gives two edges,
 * one per direction; a pipe held by several processes gives one edge per
 * (writer fd, reader fd) pair. */
struct watch_edge {
	enum watch_edge_kind kind;
	struct watch_end from, to;
	unsigned long inode;         /* pipe/FIFO inode; for sockets the
	                                receiving socket's inode */
	unsigned long peer_inode;    /* sockets: the sending socket, else 0 */
	long fill;                   /* bytes waiting for 'to', -1 unknown */
	long capacity;               /* bytes, -1 unknown */
	long fill_delta;             /* fill change since the last snapshot,
	                                0 when the edge is new */
	char path[108];              /* FIFO path or socket name, else "" */
};

/* A thread of a process sleeping in a syscall on an fd we know. */
struct watch_blocked {
	pid_t pid, tid;
	char op[12];                 /* "read" "write" "accept" "connect"
	                                "wait" (for a child) "poll" */
	char syscall[16];            /* "read", "recvfrom", "wait4" ... */
	int fd;                      /* -1 for wait */
	char wchan[40];
	int timed;                   /* poll with a timeout: not stuck */
	enum watch_edge_kind kind;
	unsigned long inode;         /* of the descriptor waited on; 0 for
	                                wait */
	pid_t others[8];             /* who could wake it: other end's holders,
	                                or the child waited for */
	int nothers;
	char text[200];              /* "1240 blocked reading pipe:[5678],
	                                written by 1236" */
};

#define WATCH_CYCLE_MAX 16
struct watch_cycle {
	pid_t pids[WATCH_CYCLE_MAX]; /* p0 waits for p1 ... waits for p0 */
	int n;
	char text[240];
};

struct watch_snapshot {
	double t;                    /* seconds since watching started */
	pid_t root;
	struct watch_proc *procs;    /* sorted by pid */
	size_t nprocs;
	struct watch_edge *edges;
	size_t nedges;
	struct watch_blocked *blocked;
	size_t nblocked;
	struct watch_cycle *cycles;
	size_t ncycles;
};

/* Free the arrays of 's' and zero it (s itself is not freed). */
void watch_snapshot_clear(struct watch_snapshot *s);

/* The process 'pid' in 's', or NULL. */
const struct watch_proc *watch_snapshot_proc(const struct watch_snapshot *s,
    pid_t pid);

#endif
