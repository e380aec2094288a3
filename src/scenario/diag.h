#ifndef IPCSCOPE_SCENARIO_DIAG_H
#define IPCSCOPE_SCENARIO_DIAG_H
/*
 * Diagnostics of one scenario file: messages collected with their line
 * numbers while loading, printed sorted by line (stable: messages of one
 * line keep the order they were found in) as "FILE:LINE: error: MESSAGE".
 */
#include <stddef.h>
#include <stdio.h>

struct diag_msg {
	int line;             /* 0: about the whole file ("FILE: error: ...") */
	unsigned seq;         /* order of arrival, for a stable sort */
	char *msg;
};

struct diag {
	struct diag_msg *v;
	size_t n, cap;
};

/* Print at most this many messages per file, then one line saying how many
 * more there were. */
#define DIAG_PRINT_MAX 1000

/* Record one problem at 'line'. */
void diag_add(struct diag *d, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Number of problems recorded at 'line'. */
size_t diag_count_line(const struct diag *d, int line);

/* Sort and write every message to 'out' (if not NULL) prefixed by 'file'. */
void diag_print(struct diag *d, const char *file, FILE *out);

/* Free the messages; 'd' is empty and reusable afterwards. */
void diag_free(struct diag *d);

/* Copy user text 's' into 'buf' for quoting in a message, cut at a
 * character boundary with "..." when longer than about 40 bytes. Returns
 * 'buf'. */
#define DIAG_CLIP_SIZE 64
const char *diag_clip(char buf[DIAG_CLIP_SIZE], const char *s);

/* The candidate closest to 'word' (edit distance <= 2, and less than half
 * of the word), or NULL. For "did you mean ...?" hints. */
const char *diag_suggest(const char *word, const char *const *cands, size_t n);

#endif
