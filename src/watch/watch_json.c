/* Watch snapshots as JSON Lines. */
#include "watch/watch_json.h"

#include <math.h>

static void
jstr(FILE *f, const char *s)
{
	if (!s) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static void
jnum(FILE *f, double v, int decimals)
{
	if (isnan(v) || isinf(v))
		fputs("null", f);
	else
		fprintf(f, "%.*f", decimals, v);
}

static void
jlong_or_null(FILE *f, long v)
{
	if (v < 0)
		fputs("null", f);
	else
		fprintf(f, "%ld", v);
}

static void
jend(FILE *f, const struct watch_end *e)
{
	if (e->pid <= 0)
		fputs("null", f);
	else
		fprintf(f, "{\"pid\":%d,\"fd\":%d}", (int)e->pid, e->fd);
}

static void
write_proc(FILE *f, const struct watch_proc *p)
{
	char st[2] = { p->state ? p->state : '?', '\0' };
	fprintf(f, "{\"pid\":%d,\"ppid\":%d,\"role\":", (int)p->pid, (int)p->ppid);
	jstr(f, watch_role_name(p->role));
	fputs(",\"state\":", f);
	jstr(f, st);
	fputs(",\"cpu\":", f);
	jnum(f, p->cpu, 1);
	fprintf(f, ",\"rss\":%lu,\"threads\":%d,\"name\":", p->rss_kib,
	    p->threads);
	jstr(f, p->name);
	fputs(",\"cmdline\":", f);
	jstr(f, p->cmdline);
	fputs(",\"read_rate\":", f);
	jnum(f, p->read_rate, 0);
	fputs(",\"write_rate\":", f);
	jnum(f, p->write_rate, 0);
	fputs(",\"exit_status\":", f);
	jlong_or_null(f, p->exit_status);
	fputs(",\"error\":", f);
	jstr(f, p->error[0] ? p->error : NULL);
	fputc('}', f);
}

static void
write_edge(FILE *f, const struct watch_edge *e)
{
	fputs("{\"kind\":", f);
	jstr(f, watch_edge_kind_name(e->kind));
	fputs(",\"from\":", f);
	jend(f, &e->from);
	fputs(",\"to\":", f);
	jend(f, &e->to);
	fprintf(f, ",\"inode\":%lu,\"peer_inode\":", e->inode);
	jlong_or_null(f, e->peer_inode ? (long)e->peer_inode : -1);
	fputs(",\"fill\":", f);
	jlong_or_null(f, e->fill);
	fputs(",\"capacity\":", f);
	jlong_or_null(f, e->capacity);
	fprintf(f, ",\"fill_delta\":%ld,\"path\":", e->fill_delta);
	jstr(f, e->path[0] ? e->path : NULL);
	fputc('}', f);
}

static void
write_blocked(FILE *f, const struct watch_blocked *b)
{
	fprintf(f, "{\"pid\":%d,\"tid\":%d,\"op\":", (int)b->pid, (int)b->tid);
	jstr(f, b->op);
	fputs(",\"syscall\":", f);
	jstr(f, b->syscall);
	fprintf(f, ",\"fd\":%d,\"wchan\":", b->fd);
	jstr(f, b->wchan[0] ? b->wchan : NULL);
	fputs(",\"kind\":", f);
	jstr(f, b->fd >= 0 ? watch_edge_kind_name(b->kind) : NULL);
	fputs(",\"inode\":", f);
	jlong_or_null(f, b->inode ? (long)b->inode : -1);
	fprintf(f, ",\"timed\":%s,\"others\":[", b->timed ? "true" : "false");
	for (int i = 0; i < b->nothers; i++)
		fprintf(f, "%s%d", i ? "," : "", (int)b->others[i]);
	fputs("],\"text\":", f);
	jstr(f, b->text);
	fputc('}', f);
}

void
watch_json_write(FILE *f, const struct watch_snapshot *s)
{
	fprintf(f, "{\"t\":%.3f,\"root\":%d,\"processes\":[", s->t, (int)s->root);
	for (size_t i = 0; i < s->nprocs; i++) {
		if (i)
			fputc(',', f);
		write_proc(f, &s->procs[i]);
	}
	fputs("],\"edges\":[", f);
	for (size_t i = 0; i < s->nedges; i++) {
		if (i)
			fputc(',', f);
		write_edge(f, &s->edges[i]);
	}
	fputs("],\"blocked\":[", f);
	for (size_t i = 0; i < s->nblocked; i++) {
		if (i)
			fputc(',', f);
		write_blocked(f, &s->blocked[i]);
	}
	fputs("],\"deadlocks\":[", f);
	for (size_t i = 0; i < s->ncycles; i++) {
		const struct watch_cycle *c = &s->cycles[i];
		fputs(i ? ",{\"pids\":[" : "{\"pids\":[", f);
		for (int k = 0; k < c->n; k++)
			fprintf(f, "%s%d", k ? "," : "", (int)c->pids[k]);
		fputs("],\"text\":", f);
		jstr(f, c->text);
		fputc('}', f);
	}
	fputs("]}\n", f);
	fflush(f);
}
