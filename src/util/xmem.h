#ifndef IPCSCOPE_XMEM_H
#define IPCSCOPE_XMEM_H
/*
 * Allocation that never returns NULL. On exhaustion it calls the hook set
 * with xmem_set_fatal_hook (the UI sets one that restores the terminal),
 * prints "ipcscope: out of memory" and aborts. Every module allocates
 * through these.
 */
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
/* Grow-by-doubling helper: realloc 'p' to hold 'nmemb' items of 'size'. */
void *xreallocarray(void *p, size_t nmemb, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* printf into a new string. */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Called once before aborting on out-of-memory; must be async-signal-safe
 * enough to run anywhere (endwin is fine in practice). */
void xmem_set_fatal_hook(void (*hook)(void));
/* Restore whatever the hook restores, print "ipcscope: MSG" and abort. */
_Noreturn void xmem_fatal(const char *msg);

#endif
