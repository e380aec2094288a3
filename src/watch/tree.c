/* The watched tree: descendants of a root, from /proc children files. */
#include "watch/tree.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "util/xmem.h"
#include "watch/procfs.h"

struct watch_tree {
	pid_t root;
	int64_t linger_ns;
	struct watch_tree_node *v;   /* sorted by pid */
	size_t n, cap;
	char buf[16384];             /* for children files */
};

/* ---- stat parsing ---- */

int
watch_stat_parse(const char *text, struct watch_stat *st)
{
	memset(st, 0, sizeof(*st));
	st->exit_code = -1;
	const char *lp = strchr(text, '(');
	const char *rp = strrchr(text, ')');
	if (!lp || !rp || rp < lp || rp[1] != ' ')
		return -EINVAL;
	size_t cl = (size_t)(rp - lp - 1);
	if (cl >= sizeof(st->comm))
		cl = sizeof(st->comm) - 1;
	memcpy(st->comm, lp + 1, cl);
	st->comm[cl] = '\0';
	/* Fields after the comm, numbered as in proc(5): state is field 3. */
	const char *p = rp + 2;
	int field = 3;
	while (*p) {
		char *end;
		if (field == 3) {
			st->state = *p;
		} else if (field == 4) {
			st->ppid = (pid_t)strtol(p, &end, 10);
		} else if (field == 22) {
			st->start = strtoull(p, &end, 10);
		} else if (field == 52) {
			st->exit_code = (int)strtol(p, &end, 10);
			break;
		}
		const char *sp = strchr(p, ' ');
		if (!sp)
			break;
		p = sp + 1;
		field++;
	}
	return (st->state && field >= 22) ? 0 : -EINVAL;
}

int
watch_stat_read(pid_t pid, struct watch_stat *st)
{
	char buf[1024];
	long n = watch_read_proc(pid, "stat", buf, sizeof(buf));
	if (n < 0)
		return (int)n == -ESRCH ? -ENOENT : (int)n;
	return watch_stat_parse(buf, st);
}

int
watch_exit_code(int wstatus)
{
	if (WIFEXITED(wstatus))
		return WEXITSTATUS(wstatus);
	if (WIFSIGNALED(wstatus))
		return 128 + WTERMSIG(wstatus);
	return -1;
}

/* ---- the member set ---- */

static struct watch_tree_node *
find_live(struct watch_tree *t, pid_t pid)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].pid == pid && t->v[i].gone_ns == 0)
			return &t->v[i];
	return NULL;
}

static int
cmp_node(const void *a, const void *b)
{
	const struct watch_tree_node *x = a, *y = b;
	return (x->pid > y->pid) - (x->pid < y->pid);
}

/* Add 'pid' if it exists; a lingering dead member with the same pid is
 * replaced. Returns 1 when added. */
static int
add_member(struct watch_tree *t, pid_t pid)
{
	struct watch_stat st;
	/* Never ourselves (attach to our own shell): we are not the
	 * program, and our /proc reads would show up as its IPC. */
	if (pid == getpid() || find_live(t, pid) || watch_stat_read(pid, &st) != 0)
		return 0;
	/* A lingering dead member with this pid is dropped at the end of
	 * the refresh (gone "long ago"). */
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].pid == pid)
			t->v[i].gone_ns = 1;
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 16;
		t->v = xreallocarray(t->v, t->cap, sizeof(*t->v));
	}
	struct watch_tree_node *nd = &t->v[t->n++];
	memset(nd, 0, sizeof(*nd));
	nd->pid = pid;
	nd->ppid = st.ppid;
	nd->start = st.start;
	nd->state = st.state;
	nd->exit_status = -1;
	return 1;
}

struct watch_tree *
watch_tree_new(pid_t root, int linger_ms)
{
	struct watch_tree *t = xcalloc(1, sizeof(*t));
	t->root = root;
	t->linger_ns = (int64_t)linger_ms * 1000000;
	if (!add_member(t, root)) {
		free(t->v);
		free(t);
		errno = ESRCH;
		return NULL;
	}
	return t;
}

void
watch_tree_free(struct watch_tree *t)
{
	if (!t)
		return;
	free(t->v);
	free(t);
}

/* Add the children of every thread of 'pid'. Returns how many were new. */
static int
add_children(struct watch_tree *t, pid_t pid)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	DIR *d = opendir(path);
	if (!d)
		return 0;
	int added = 0;
	struct dirent *de;
	char *buf = t->buf;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		char name[64];
		snprintf(name, sizeof(name), "task/%.20s/children", de->d_name);
		if (watch_read_proc(pid, name, buf, sizeof(t->buf)) <= 0)
			continue;
		char *p = buf;
		for (;;) {
			char *end;
			long c = strtol(p, &end, 10);
			if (end == p)
				break;
			if (c > 0)
				added += add_member(t, (pid_t)c);
			p = end;
		}
	}
	closedir(d);
	return added;
}

static void
update_member(struct watch_tree_node *nd, int64_t now_ns)
{
	struct watch_stat st;
	if (watch_stat_read(nd->pid, &st) != 0 || st.start != nd->start) {
		nd->state = 'X';
		nd->gone_ns = now_ns;
		return;
	}
	nd->state = st.state;
	nd->ppid = st.ppid;
	if (st.state == 'Z' && st.exit_code >= 0 && nd->exit_status < 0)
		nd->exit_status = watch_exit_code(st.exit_code);
}

void
watch_tree_refresh(struct watch_tree *t, int64_t now_ns)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].gone_ns == 0)
			update_member(&t->v[i], now_ns);
	/* Breadth first over live members; newly added ones are appended
	 * and visited by the same loop. */
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].gone_ns == 0 && t->v[i].state != 'Z')
			add_children(t, t->v[i].pid);
	size_t k = 0;
	for (size_t i = 0; i < t->n; i++) {
		struct watch_tree_node *nd = &t->v[i];
		if (nd->gone_ns != 0 && now_ns - nd->gone_ns > t->linger_ns &&
		    (nd->pid != t->root || nd->gone_ns == 1))
			continue;
		t->v[k++] = *nd;
	}
	t->n = k;
	qsort(t->v, t->n, sizeof(*t->v), cmp_node);
}

void
watch_tree_set_exit(struct watch_tree *t, pid_t pid, int wstatus)
{
	for (size_t i = 0; i < t->n; i++)
		if (t->v[i].pid == pid)
			t->v[i].exit_status = watch_exit_code(wstatus);
}

const struct watch_tree_node *
watch_tree_nodes(const struct watch_tree *t, size_t *n)
{
	*n = t->n;
	return t->v;
}

pid_t
watch_tree_root(const struct watch_tree *t)
{
	return t->root;
}
