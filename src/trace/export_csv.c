/* CSV export: one row per event (RFC 4180: CRLF line ends, fields with a
 * comma, quote, CR or LF quoted, quotes doubled). */
#include "trace/export.h"

#include <string.h>

static void
field(FILE *f, const char *s, size_t n)
{
	if (!s || strcspn(s, ",\"\r\n") >= n) {
		if (s)
			fwrite(s, 1, n, f);
		return;
	}
	putc('"', f);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			putc('"', f);
		putc(s[i], f);
	}
	putc('"', f);
}

int
export_csv(const struct trace *t, FILE *out, char *err, size_t errlen)
{
	char info[256];
	(void)err; (void)errlen;
	fputs("t,pid,tid,ev,object_kind,object,info,text\r\n", out);
	for (size_t k = 0; k < t->nev; k++) {
		const struct event *ev = &t->ev[k];
		int64_t us = ev->t_ns / 1000;
		fprintf(out, "%s%lld.%06lld,%d,%d,%s,", us < 0 ? "-" : "",
		    (long long)((us < 0 ? -us : us) / 1000000),
		    (long long)((us < 0 ? -us : us) % 1000000), (int)ev->pid,
		    (int)ev->tid, event_kind_name(ev->kind));
		if (ev->obj >= 0 && ev->obj < t->sc.nobjs) {
			fputs(sc_kind_name(t->sc.objs[ev->obj].kind), out);
			putc(',', out);
			field(out, t->sc.objs[ev->obj].name, strlen(t->sc.objs[ev->obj].name));
		} else {
			putc(',', out);
		}
		putc(',', out);
		export_info(t, ev, info, sizeof(info));
		field(out, info, strlen(info));
		putc(',', out);
		if (ev->text)
			field(out, ev->text, ev->text_len);
		fputs("\r\n", out);
	}
	return 0;
}
