/* Dashboard settings from a small key = value file. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

void
config_defaults(struct ui_config *c)
{
	memset(c, 0, sizeof(*c));
	c->refresh_ms = 100;
	c->sample_ms = 250;
	snprintf(c->theme, sizeof(c->theme), "default");
	c->speed = 1.0;
	c->mouse = true;
	c->threads = true;
}

static int
parse_int(const char *v, int lo, int hi, int *out)
{
	char *end;
	errno = 0;
	long x = strtol(v, &end, 10);
	if (errno || end == v || *end || x < lo || x > hi)
		return -1;
	*out = (int)x;
	return 0;
}

static int
parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = { "true", "yes", "on", "1" };
	static const char *const no[] = { "false", "no", "off", "0" };
	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(v, yes[i]) == 0) { *out = true; return 0; }
		if (strcasecmp(v, no[i]) == 0) { *out = false; return 0; }
	}
	return -1;
}

int
config_set(struct ui_config *c, const char *key, const char *value,
    char *err, size_t errlen)
{
	int rc = 0;
	if (strcmp(key, "refresh_ms") == 0)
		rc = parse_int(value, 20, 5000, &c->refresh_ms);
	else if (strcmp(key, "sample_ms") == 0)
		rc = parse_int(value, 50, 10000, &c->sample_ms);
	else if (strcmp(key, "theme") == 0) {
		if (strcmp(value, "default") && strcmp(value, "mono"))
			rc = -1;
		else
			snprintf(c->theme, sizeof(c->theme), "%s", value);
	} else if (strcmp(key, "speed") == 0) {
		char *end;
		double s = strtod(value, &end);
		if (end == value || *end || !(s >= 0.01 && s <= 1000))
			rc = -1;
		else
			c->speed = s;
	} else if (strcmp(key, "mouse") == 0)
		rc = parse_bool(value, &c->mouse);
	else if (strcmp(key, "threads") == 0)
		rc = parse_bool(value, &c->threads);
	else {
		snprintf(err, errlen, "unknown key '%s'", key);
		return -1;
	}
	if (rc)
		snprintf(err, errlen, "bad value '%s' for %s", value, key);
	return rc;
}

static char *
trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' ||
	    s[n - 1] == '\n' || s[n - 1] == '\r'))
		s[--n] = '\0';
	return s;
}

int
config_load(struct ui_config *c, const char *path, bool required, char *err,
    size_t errlen)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		if (!required && errno == ENOENT)
			return 0;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	char line[512], msg[160];
	int lineno = 0, rc = 0;
	while (fgets(line, sizeof(line), f)) {
		lineno++;
		char *s = trim(line);
		if (!*s || *s == ';' || *s == '#')
			continue;
		if (*s == '[') {
			if (strcmp(s, "[dashboard]") != 0) {
				snprintf(err, errlen, "%s:%d: unknown section %s", path,
				    lineno, s);
				rc = -1;
				break;
			}
			continue;
		}
		char *eq = strchr(s, '=');
		if (!eq) {
			snprintf(err, errlen, "%s:%d: expected key = value", path, lineno);
			rc = -1;
			break;
		}
		*eq = '\0';
		char *v = trim(eq + 1);
		char *sc = strstr(v, " ;");   /* inline comment */
		if (sc)
			*sc = '\0';
		v = trim(v);
		if (config_set(c, trim(s), v, msg, sizeof(msg)) != 0) {
			snprintf(err, errlen, "%s:%d: %s", path, lineno, msg);
			rc = -1;
			break;
		}
	}
	fclose(f);
	return rc;
}

bool
config_user_path(char *buf, size_t len)
{
	const char *x = getenv("XDG_CONFIG_HOME");
	if (x && x[0] == '/') {
		snprintf(buf, len, "%s/ipcscope/ipcscope.ini", x);
		return true;
	}
	const char *h = getenv("HOME");
	if (!h || !h[0])
		return false;
	snprintf(buf, len, "%s/.config/ipcscope/ipcscope.ini", h);
	return true;
}
