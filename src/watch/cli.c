/* Command-line options of watch and attach. */
#include "watch/cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "--name" or "--name=value": the value (next argument or after '='),
 * NULL when 'a' is not this option. */
static const char *
opt_value(int argc, char **argv, int *i, const char *name, int *missing)
{
	size_t l = strlen(name);
	const char *a = argv[*i];
	if (strncmp(a, name, l) != 0)
		return NULL;
	if (a[l] == '=')
		return a + l + 1;
	if (a[l] != '\0')
		return NULL;
	if (*i + 1 >= argc) {
		*missing = 1;
		return NULL;
	}
	return argv[++*i];
}

static int
parse_int(const char *s, int lo, int hi, int *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (end == s || *end || v < lo || v > hi)
		return -1;
	*out = (int)v;
	return 0;
}

int
watch_cli_parse(int argc, char **argv, int allow_output,
    struct watch_cli *c, char *err, size_t errlen)
{
	memset(c, 0, sizeof(*c));
	c->interval_ms = 500;
	int i;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v;
		int missing = 0;
		if (strcmp(a, "--") == 0)
			return i + 1;
		if (a[0] != '-' || a[1] == '\0')
			return i;
		if (strcmp(a, "--headless") == 0) {
			c->headless = 1;
		} else if (strcmp(a, "--json") == 0) {
			c->json = 1;
		} else if ((v = opt_value(argc, argv, &i, "--interval", &missing))) {
			if (parse_int(v, 10, 60000, &c->interval_ms) != 0) {
				snprintf(err, errlen, "--interval: '%s' is not a "
				    "number of milliseconds in 10..60000", v);
				return -1;
			}
		} else if ((v = opt_value(argc, argv, &i, "--count", &missing))) {
			if (parse_int(v, 1, 1000000000, &c->count) != 0) {
				snprintf(err, errlen, "--count: '%s' is not a "
				    "positive number", v);
				return -1;
			}
		} else if ((v = opt_value(argc, argv, &i, "--record", &missing))) {
			c->record = v;
		} else if (allow_output &&
		    (v = opt_value(argc, argv, &i, "--output", &missing))) {
			c->output = v;
		} else {
			snprintf(err, errlen, missing ? "option '%s' needs a value" :
			    "unknown option '%s'", a);
			return -1;
		}
	}
	return i;
}
