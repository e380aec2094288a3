/* Clipped, sanitised text output on stdscr. */
#include "draw.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include <wctype.h>

/* Decode one character of 's' (len bytes left); sets *used. Invalid
 * sequences give U+FFFD (or '?' outside UTF-8), controls give '?'. */
static wchar_t
next_wc(const char *s, size_t len, mbstate_t *st, size_t *used)
{
	wchar_t wc;
	size_t r = mbrtowc(&wc, s, len, st);
	if (r == (size_t)-1 || r == (size_t)-2) {
		memset(st, 0, sizeof(*st));
		*used = 1;
		return MB_CUR_MAX > 1 ? (wchar_t)0xFFFD : L'?';
	}
	if (r == 0)
		r = 1;
	*used = r;
	if (!iswprint((wint_t)wc))
		return L'?';
	return wc;
}

static int
wc_cols(wchar_t wc)
{
	int c = wcwidth(wc);
	return c < 0 ? 1 : c;
}

int
draw_width(const char *s)
{
	mbstate_t st;
	memset(&st, 0, sizeof(st));
	size_t len = strlen(s);
	int cols = 0;
	while (len > 0) {
		size_t used;
		wchar_t wc = next_wc(s, len, &st, &used);
		cols += wc_cols(wc);
		s += used;
		len -= used;
	}
	return cols;
}

int
draw_text(int y, int x, int w, attr_t attr, const char *s)
{
	if (w <= 0 || y < 0 || y >= LINES || x >= COLS)
		return 0;
	if (x + w > COLS)
		w = COLS - x;
	mbstate_t st;
	memset(&st, 0, sizeof(st));
	size_t len = strlen(s);
	int cols = 0;
	wchar_t buf[256];
	int nb = 0;
	attr_t old_attr;
	short old_pair;
	attr_get(&old_attr, &old_pair, NULL);
	attrset(attr);
	move(y, x);
	while (len > 0) {
		size_t used;
		wchar_t wc = next_wc(s, len, &st, &used);
		int c = wc_cols(wc);
		if (cols + c > w)
			break;
		if (c == 0 && nb == 0 && cols == 0) {   /* a lone combining mark */
			wc = L'?';
			c = 1;
		}
		buf[nb++] = wc;
		cols += c;
		s += used;
		len -= used;
		if (nb == (int)(sizeof(buf) / sizeof(buf[0])) - 1) {
			addnwstr(buf, nb);
			nb = 0;
		}
	}
	if (nb)
		addnwstr(buf, nb);
	attr_set(old_attr, old_pair, NULL);
	return cols;
}

int
draw_printf(int y, int x, int w, attr_t attr, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return draw_text(y, x, w, attr, buf);
}

void
draw_repeat(int y, int x, int n, attr_t attr, const char *g)
{
	for (int i = 0; i < n && x + i < COLS; i++)
		draw_text(y, x + i, 1, attr, g);
}

void
draw_clear(const struct rect *r)
{
	for (int y = r->y; y < r->y + r->h; y++) {
		move(y, r->x);
		for (int i = 0; i < r->w; i++)
			addch(' ');
	}
}

void
draw_title(const struct rect *r, bool focus, const char *title,
    const char *right)
{
	const struct ui_glyphs *g = theme_glyphs();
	attr_t line = focus ? theme_attr(UIC_TITLE_FOCUS) : theme_attr(UIC_DIM);
	attr_t ta = focus ? theme_attr(UIC_TITLE_FOCUS) : theme_attr(UIC_TITLE);
	if (focus) {
		move(r->y, r->x);
		attrset(ta);
		for (int i = 0; i < r->w; i++)
			addch(' ');
		attrset(A_NORMAL);
	} else {
		draw_repeat(r->y, r->x, r->w, line, g->hline);
	}
	int x = r->x + 1;
	x += draw_text(r->y, x, r->w - 2, ta, " ");
	x += draw_text(r->y, x, r->w - (x - r->x) - 1, ta, title);
	draw_text(r->y, x, 1, ta, " ");
	if (right && right[0]) {
		int rw = draw_width(right) + 2;
		int rx = r->x + r->w - rw - 1;
		if (rx > x + 2) {
			draw_text(r->y, rx, 1, ta, " ");
			draw_text(r->y, rx + 1, rw - 2, ta, right);
			draw_text(r->y, rx + rw - 1, 1, ta, " ");
		}
	}
}

void
draw_dur(char *buf, size_t len, int64_t ns)
{
	if (ns < 0)
		ns = 0;
	if (ns < 1000000000LL)
		snprintf(buf, len, "%lldms", (long long)(ns / 1000000));
	else if (ns < 10000000000LL)
		snprintf(buf, len, "%.1fs", (double)ns / 1e9);
	else if (ns < 60000000000LL)
		snprintf(buf, len, "%llds", (long long)(ns / 1000000000LL));
	else
		snprintf(buf, len, "%lldm%02llds", (long long)(ns / 60000000000LL),
		    (long long)(ns / 1000000000LL % 60));
}

void
draw_bytes(char *buf, size_t len, int64_t n)
{
	if (n < 1024)
		snprintf(buf, len, "%lldB", (long long)n);
	else if (n < 1024 * 1024)
		snprintf(buf, len, "%.1fK", (double)n / 1024);
	else if (n < 1024LL * 1024 * 1024)
		snprintf(buf, len, "%.1fM", (double)n / (1024 * 1024));
	else
		snprintf(buf, len, "%.1fG", (double)n / (1024.0 * 1024 * 1024));
}
