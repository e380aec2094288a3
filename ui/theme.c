/* The theme table applied to curses colour pairs; glyph sets. */
#include "theme.h"

#include <stdlib.h>

struct theme_row { short fg, bg; attr_t attr, mono; };

static const struct theme_row rows[UIC_COUNT] = {
#define C(name, fg, bg, attr, mono) [UIC_##name] = { fg, bg, attr, mono },
	UI_THEME
#undef C
};

static attr_t attrs[UIC_COUNT];
static bool mono = true;

void
theme_init(const char *theme)
{
	const char *nc = getenv("NO_COLOR");
	mono = (nc && nc[0]) || !has_colors() ||
	    (theme && theme[0] == 'm');   /* "mono" */
	if (!mono && start_color() == ERR)
		mono = true;
	if (!mono)
		use_default_colors();
	for (int i = 0; i < UIC_COUNT; i++) {
		if (mono || (rows[i].fg < 0 && rows[i].bg < 0) ||
		    i + 1 >= COLOR_PAIRS) {
			attrs[i] = mono ? rows[i].mono : rows[i].attr;
			continue;
		}
		init_pair((short)(i + 1), rows[i].fg, rows[i].bg);
		attrs[i] = rows[i].attr | (attr_t)COLOR_PAIR(i + 1);
	}
}

attr_t
theme_attr(enum ui_color c)
{
	return (c >= 0 && c < UIC_COUNT) ? attrs[c] : A_NORMAL;
}

bool
theme_is_mono(void)
{
	return mono;
}

static const struct ui_glyphs utf8_glyphs = {
	.hline = "\u2500", .vline = "\u2502", .ltee = "\u251c",
	.corner = "\u2514", .arrow = "\u2192",
	.bar_full = "\u2588", .bar_empty = "\u00b7",
	.spark = { "\u2581", "\u2582", "\u2583", "\u2584", "\u2585", "\u2586",
	    "\u2587", "\u2588" },
	.task = " ", .idle = "\u00b7", .mark = "\u2716", .ellipsis = "\u2026",
};

static const struct ui_glyphs ascii_glyphs = {
	.hline = "-", .vline = "|", .ltee = "|", .corner = "`", .arrow = ">",
	.bar_full = "#", .bar_empty = ".",
	.spark = { "_", ".", ",", "-", "=", "+", "*", "#" },
	.task = " ", .idle = ".", .mark = "X", .ellipsis = "~",
};

static const struct ui_glyphs *glyphs = &ascii_glyphs;

void
theme_glyphs_init(bool utf8)
{
	glyphs = utf8 ? &utf8_glyphs : &ascii_glyphs;
}

const struct ui_glyphs *
theme_glyphs(void)
{
	return glyphs;
}
