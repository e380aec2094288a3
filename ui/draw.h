#ifndef IPCSCOPE_UI_DRAW_H
#define IPCSCOPE_UI_DRAW_H
/*
 * Drawing helpers on stdscr: every text is clipped by columns (never splits
 * a wide character) and sanitised (invalid UTF-8 -> U+FFFD, control
 * characters -> '?'), so untrusted text (prints, /proc names) is safe.
 */
#include <stdint.h>

#include "app.h"
#include "theme.h"

/* Write 's' at (y, x), at most 'w' columns. Returns the columns used. */
int draw_text(int y, int x, int w, attr_t attr, const char *s);
int draw_printf(int y, int x, int w, attr_t attr, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Repeat glyph 'g' (one column) 'n' times. */
void draw_repeat(int y, int x, int n, attr_t attr, const char *g);
/* Blank a rectangle. */
void draw_clear(const struct rect *r);
/* A panel's title bar on r->y: "─ TITLE ─────── right". */
void draw_title(const struct rect *r, bool focus, const char *title,
    const char *right);
/* Columns 's' takes once sanitised. */
int draw_width(const char *s);
/* A duration as "1.2s", "12s", "3m05s", "850ms". */
void draw_dur(char *buf, size_t len, int64_t ns);
/* A byte count as "512B", "3.4K", "1.2M". */
void draw_bytes(char *buf, size_t len, int64_t n);

#endif
