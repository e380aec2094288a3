#ifndef IPCSCOPE_UI_THEME_H
#define IPCSCOPE_UI_THEME_H
/*
 * One theme table: a row per screen element, with its colours (foreground,
 * background; -1 = terminal default) and attributes for colour terminals,
 * and the attributes used in monochrome (theme = mono, NO_COLOR, or a
 * terminal without colours). Plus the glyphs: UTF-8 line drawing, or ASCII
 * when the locale is not UTF-8.
 */
#include <curses.h>
#include <stdbool.h>

/*  C(name,        fg,            bg,           colour attr, mono attr) */
#define UI_THEME \
	C(NORMAL,      -1,            -1,           A_NORMAL, A_NORMAL) \
	C(HEADER,      COLOR_BLACK,   COLOR_CYAN,   A_NORMAL, A_REVERSE) \
	C(HEADER_BOLD, COLOR_BLACK,   COLOR_CYAN,   A_BOLD,   A_REVERSE | A_BOLD) \
	C(TITLE,       COLOR_CYAN,    -1,           A_BOLD,   A_BOLD) \
	C(TITLE_FOCUS, COLOR_BLACK,   COLOR_GREEN,  A_BOLD,   A_REVERSE | A_BOLD) \
	C(DIM,         -1,            -1,           A_DIM,    A_DIM) \
	C(SELECTED,    COLOR_BLACK,   COLOR_CYAN,   A_NORMAL, A_REVERSE) \
	C(RUN,         COLOR_GREEN,   -1,           A_BOLD,   A_BOLD) \
	C(BLOCKED,     COLOR_YELLOW,  -1,           A_NORMAL, A_UNDERLINE) \
	C(ZOMBIE,      COLOR_MAGENTA, -1,           A_BOLD,   A_BOLD | A_UNDERLINE) \
	C(ALERT,       COLOR_RED,     -1,           A_BOLD,   A_BOLD | A_REVERSE) \
	C(GOOD,        COLOR_GREEN,   -1,           A_NORMAL, A_BOLD) \
	C(BAR,         COLOR_GREEN,   -1,           A_NORMAL, A_NORMAL) \
	C(BAR_FULL,    COLOR_RED,     -1,           A_BOLD,   A_BOLD) \
	C(SPARK,       COLOR_CYAN,    -1,           A_NORMAL, A_NORMAL) \
	C(TASK0,       COLOR_BLACK,   COLOR_BLUE,   A_NORMAL, A_REVERSE) \
	C(TASK1,       COLOR_BLACK,   COLOR_GREEN,  A_NORMAL, A_REVERSE | A_BOLD) \
	C(TASK2,       COLOR_BLACK,   COLOR_MAGENTA, A_NORMAL, A_REVERSE) \
	C(TASK3,       COLOR_BLACK,   COLOR_CYAN,   A_NORMAL, A_REVERSE | A_BOLD) \
	C(TASK4,       COLOR_BLACK,   COLOR_YELLOW, A_NORMAL, A_REVERSE) \
	C(TASK5,       COLOR_BLACK,   COLOR_WHITE,  A_NORMAL, A_REVERSE | A_BOLD) \
	C(TASK_FAIL,   COLOR_WHITE,   COLOR_RED,    A_BOLD,   A_REVERSE | A_UNDERLINE) \
	C(REPLACE,     COLOR_RED,     -1,           A_BOLD,   A_BOLD) \
	C(KEY,         COLOR_BLACK,   COLOR_CYAN,   A_NORMAL, A_REVERSE) \
	C(PROMPT,      COLOR_YELLOW,  -1,           A_BOLD,   A_BOLD)

enum ui_color {
#define C(name, fg, bg, attr, mono) UIC_##name,
	UI_THEME
#undef C
	UIC_COUNT
};
#define UIC_TASKS 6   /* TASK0 .. TASK5 */

struct ui_glyphs {
	const char *hline, *vline, *ltee, *corner, *arrow;
	const char *bar_full, *bar_empty;
	const char *spark[8];     /* lowest .. highest */
	const char *task, *idle, *mark, *ellipsis;
};

/* Set up colours for 'theme' ("default", "mono"); mono when NO_COLOR is set
 * or the terminal has no colours. Call after initscr. */
void theme_init(const char *theme);
/* The curses attributes of element 'c'. */
attr_t theme_attr(enum ui_color c);
bool theme_is_mono(void);

/* Glyphs for the locale: call after setlocale. */
void theme_glyphs_init(bool utf8);
const struct ui_glyphs *theme_glyphs(void);

#endif
