#ifndef IPCSCOPE_WATCH_TREE_H
#define IPCSCOPE_WATCH_TREE_H
/*
 * The watched tree: a root pid and every descendant, rediscovered at each
 * refresh from /proc/PID/task/TID/children (plain reads, no libproc2).
 * Members are keyed by (pid, start time) so a reused pid is a new member.
 * A member that was seen once stays a member while it lives, even when
 * reparented (an orphan of the tree is still the program's process).
 * Exited members are kept for 'linger' seconds with their exit status
 * when known (read from a zombie's stat, or given by watch_tree_set_exit).
 * The calling process itself is never a member.
 */
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct watch_tree_node {
	pid_t pid, ppid;
	uint64_t start;              /* start time, clock ticks since boot */
	char state;                  /* from stat; 'X' once gone */
	int exit_status;             /* shell style (128+sig), -1 unknown */
	int64_t gone_ns;             /* CLOCK_MONOTONIC when seen gone, or 0 */
};

/* Fields of /proc/PID/stat that the tree needs. */
struct watch_stat {
	char state;
	pid_t ppid;
	uint64_t start;
	int exit_code;               /* raw wait status (field 52), -1 absent */
	char comm[16];
};

/* Parse the text of /proc/PID/stat. Returns 0 or -EINVAL. Pure. */
int watch_stat_parse(const char *text, struct watch_stat *st);

/* Read and parse /proc/PID/stat. Returns 0 or -errno (-ENOENT gone). */
int watch_stat_read(pid_t pid, struct watch_stat *st);

/* Shell-style exit code of a raw wait status: WEXITSTATUS or 128+signal. */
int watch_exit_code(int wstatus);

struct watch_tree;

/* A tree rooted at 'root' (which must exist: returns NULL with errno set
 * otherwise). Exited members linger 'linger_ms' milliseconds. */
struct watch_tree *watch_tree_new(pid_t root, int linger_ms);
void watch_tree_free(struct watch_tree *t);

/* Rediscover descendants, mark the gone, drop those gone for longer than
 * the linger time. 'now_ns' is CLOCK_MONOTONIC. */
void watch_tree_refresh(struct watch_tree *t, int64_t now_ns);

/* Record the exit status of 'pid' (raw wait status) when we reaped it. */
void watch_tree_set_exit(struct watch_tree *t, pid_t pid, int wstatus);

/* The members, sorted by pid; valid until the next refresh. */
const struct watch_tree_node *watch_tree_nodes(const struct watch_tree *t,
    size_t *n);

pid_t watch_tree_root(const struct watch_tree *t);

#endif
