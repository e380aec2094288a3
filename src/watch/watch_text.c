/* Watch snapshots as text. */
#include "watch/watch_text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/xmem.h"

/* "1.2M" style for a byte rate; "-" when unknown. */
static const char *
rate(double r, char *buf, size_t len)
{
	if (isnan(r))
		return "-";
	const char *unit = "KMGT";
	if (r < 1000) {
		snprintf(buf, len, "%.0f", r);
		return buf;
	}
	int u = -1;
	while (r >= 1000 && u < 3) {
		r /= 1000;
		u++;
	}
	snprintf(buf, len, "%.1f%c", r, unit[u]);
	return buf;
}

static void
write_proc(FILE *f, const struct watch_proc *p, int depth)
{
	char cpu[16], ex[24] = "", pid[32], rb[16], wb[16];
	if (isnan(p->cpu))
		snprintf(cpu, sizeof(cpu), "%5s", "-");
	else
		snprintf(cpu, sizeof(cpu), "%5.1f", p->cpu);
	if ((p->state == 'X' || p->state == 'Z') && p->exit_status >= 0)
		snprintf(ex, sizeof(ex), " [exit %d]", p->exit_status);
	else if (p->state == 'X')
		snprintf(ex, sizeof(ex), " [exited]");
	snprintf(pid, sizeof(pid), "%*s%d", depth > 6 ? 12 : depth * 2, "",
	    (int)p->pid);
	fprintf(f, "  %-14s %7d  %-16s %c %s %8lu %3d %6s %6s  %s%s\n", pid,
	    (int)p->ppid, watch_role_name(p->role), p->state ? p->state : '?',
	    cpu, p->rss_kib, p->threads, rate(p->read_rate, rb, sizeof(rb)),
	    rate(p->write_rate, wb, sizeof(wb)),
	    p->cmdline[0] ? p->cmdline : p->name, ex);
	if (p->error[0])
		fprintf(f, "  %-14s ! %s\n", "", p->error);
}

/* Depth-first from the root; members whose parent is not in the
 * snapshot (orphans) are printed after, at depth 1. */
static void
write_tree(FILE *f, const struct watch_snapshot *s, pid_t pid, int depth,
    char *done)
{
	const struct watch_proc *p = watch_snapshot_proc(s, pid);
	if (!p || done[p - s->procs])
		return;
	done[p - s->procs] = 1;
	write_proc(f, p, depth);
	for (size_t i = 0; i < s->nprocs; i++)
		if (s->procs[i].ppid == pid && s->procs[i].pid != pid)
			write_tree(f, s, s->procs[i].pid, depth + 1, done);
}

static void
write_end(FILE *f, const struct watch_end *e)
{
	if (e->pid > 0)
		fprintf(f, "%d:%d", (int)e->pid, e->fd);
	else
		fputs("(outside)", f);
}

static int
end_seen(const struct watch_edge *v, size_t n, const struct watch_end *e,
    int from)
{
	for (size_t i = 0; i < n; i++) {
		const struct watch_end *o = from ? &v[i].from : &v[i].to;
		if (o->pid == e->pid && o->fd == e->fd)
			return 1;
	}
	return 0;
}

/* Edges of one pipe inode, or of one socket direction: "writers -> readers". */
static void
write_edges(FILE *f, const struct watch_snapshot *s)
{
	char *done = xcalloc(s->nedges ? s->nedges : 1, 1);
	for (size_t i = 0; i < s->nedges; i++) {
		if (done[i])
			continue;
		const struct watch_edge *e = &s->edges[i];
		if (e->kind == WATCH_EDGE_FIFO)
			fprintf(f, "  fifo %s [%lu]  ", e->path, e->inode);
		else
			fprintf(f, "  %s:[%lu]  ", watch_edge_kind_name(e->kind),
			    e->inode);
		/* Same inode and kind (for sockets: same sender inode too). */
		size_t first = i;
		int nf = 0, nt = 0;
		for (size_t k = i; k < s->nedges; k++) {
			const struct watch_edge *o = &s->edges[k];
			if (o->kind != e->kind || o->inode != e->inode ||
			    o->peer_inode != e->peer_inode)
				continue;
			done[k] = 1;
			if (!end_seen(s->edges + first, k - first, &o->from, 1) ||
			    k == first) {
				fputs(nf++ ? "," : "", f);
				write_end(f, &o->from);
			}
		}
		fputs(" -> ", f);
		for (size_t k = i; k < s->nedges; k++) {
			const struct watch_edge *o = &s->edges[k];
			if (o->kind != e->kind || o->inode != e->inode ||
			    o->peer_inode != e->peer_inode)
				continue;
			if (!end_seen(s->edges + first, k - first, &o->to, 0) ||
			    k == first) {
				fputs(nt++ ? "," : "", f);
				write_end(f, &o->to);
			}
		}
		if (e->fill >= 0 && e->capacity > 0)
			fprintf(f, "  fill %ld/%ld", e->fill, e->capacity);
		else if (e->fill >= 0)
			fprintf(f, "  fill %ld", e->fill);
		if (e->fill_delta)
			fprintf(f, " (%+ld)", e->fill_delta);
		if (e->kind == WATCH_EDGE_SOCKET && e->path[0])
			fprintf(f, "  %s", e->path);
		fputc('\n', f);
	}
	free(done);
}

void
watch_text_write(FILE *f, const struct watch_snapshot *s)
{
	fprintf(f, "--- t=%.2fs  %zu processes, %zu edges, %zu blocked\n", s->t,
	    s->nprocs, s->nedges, s->nblocked);
	fprintf(f, "  %-14s %7s  %-16s %c %5s %8s %3s %6s %6s  %s\n", "PID",
	    "PPID", "ROLE", 'S', "%CPU", "RSS(KiB)", "THR", "READ/s", "WRIT/s",
	    "COMMAND");
	char *done = xcalloc(s->nprocs ? s->nprocs : 1, 1);
	write_tree(f, s, s->root, 0, done);
	for (size_t i = 0; i < s->nprocs; i++)
		if (!done[i])
			write_tree(f, s, s->procs[i].pid, 1, done);
	free(done);
	if (s->nedges) {
		fputs(" edges (writer pid:fd -> reader pid:fd):\n", f);
		write_edges(f, s);
	}
	if (s->nblocked) {
		fputs(" blocked:\n", f);
		for (size_t i = 0; i < s->nblocked; i++)
			fprintf(f, "  %s\n", s->blocked[i].text);
	}
	for (size_t i = 0; i < s->ncycles; i++)
		fprintf(f, " %s\n", s->cycles[i].text);
	fputc('\n', f);
	fflush(f);
}
