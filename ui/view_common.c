/* Helpers shared by the views. */
#include <curses.h>

#include "view.h"

bool
view_motion(int ch, bool is_key, int *pos, int n, int page)
{
	int p = *pos;
	if (!is_key)
		return false;
	switch (ch) {
	case KEY_UP: p--; break;
	case KEY_DOWN: p++; break;
	case KEY_PPAGE: p -= page; break;
	case KEY_NPAGE: p += page; break;
	case KEY_HOME: p = 0; break;
	case KEY_END: p = n - 1; break;
	default: return false;
	}
	if (p >= n)
		p = n - 1;
	if (p < 0)
		p = 0;
	*pos = p;
	return true;
}
