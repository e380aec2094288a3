/*
 * Checking text templates.
 */
#include "scenario/template.h"

#include <stdio.h>
#include <string.h>

#include "scenario/diag.h"

const char *const template_names[] = {
	"pid", "ppid", "tid", "arg", "i", "value", "name",
};
const int template_nnames = sizeof(template_names) / sizeof(template_names[0]);

bool
template_check(const char *what, const char *text, char *err)
{
	char cb[DIAG_CLIP_SIZE];

	for (const char *p = text; *p; p++) {
		if (*p == '}') {
			if (p[1] == '}') {
				p++;
				continue;
			}
			snprintf(err, LEX_ERR_SIZE, "single '}' in the text of %s "
			    "(write }} for a literal brace)", what);
			return false;
		}
		if (*p != '{')
			continue;
		if (p[1] == '{') {
			p++;
			continue;
		}
		const char *close = strchr(p + 1, '}');
		const char *open = strchr(p + 1, '{');
		if (!close || (open && open < close)) {
			snprintf(err, LEX_ERR_SIZE, "unclosed '{' in the text of %s "
			    "(write {{ for a literal brace)", what);
			return false;
		}
		size_t n = (size_t)(close - p - 1);
		bool known = false;
		for (int i = 0; i < template_nnames; i++)
			if (strlen(template_names[i]) == n &&
			    memcmp(template_names[i], p + 1, n) == 0)
				known = true;
		if (!known) {
			char name[DIAG_CLIP_SIZE + 2];
			char raw[128];
			size_t k = n < sizeof(raw) - 1 ? n : sizeof(raw) - 1;
			memcpy(raw, p + 1, k);
			raw[k] = '\0';
			snprintf(name, sizeof(name), "%s", diag_clip(cb, raw));
			snprintf(err, LEX_ERR_SIZE, "unknown placeholder '{%s}' in the text "
			    "of %s (known: {pid} {ppid} {tid} {arg} {i} {value} {name}; "
			    "write {{ and }} for literal braces)", name, what);
			return false;
		}
		p = close;
	}
	return true;
}
