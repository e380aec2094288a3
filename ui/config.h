#ifndef IPCSCOPE_UI_CONFIG_H
#define IPCSCOPE_UI_CONFIG_H
/*
 * Dashboard settings: built-in defaults, then the user's file
 * ($XDG_CONFIG_HOME/ipcscope/ipcscope.ini, else ~/.config/ipcscope/...),
 * or the file given with --config. The documented defaults are in
 * config/ipcscope.ini. Format: "key = value" lines, ';' or '#' comments,
 * an optional [dashboard] section header.
 */
#include <stdbool.h>
#include <stddef.h>

struct ui_config {
	int refresh_ms;       /* minimum time between redraws: 20..5000 (100) */
	int sample_ms;        /* /proc sampling period: 50..10000 (250) */
	char theme[16];       /* "default", "mono" (NO_COLOR forces mono) */
	double speed;         /* default speed when --speed is not given (1) */
	bool mouse;           /* mouse clicks and wheel (true) */
	bool threads;         /* show threads in the process tree (true) */
};

void config_defaults(struct ui_config *c);

/* Read 'path' into 'c' (keys present override). 'required': a missing file
 * is an error (--config); otherwise it is silently skipped. Returns 0, or
 * -1 with a message ("FILE:LINE: ...") in 'err'. Unknown keys and bad
 * values are errors. */
int config_load(struct ui_config *c, const char *path, bool required,
    char *err, size_t errlen);

/* The user's config path (XDG rules) into 'buf'; false when no HOME. */
bool config_user_path(char *buf, size_t len);

/* Parse one "key = value" text (for tests and config_load). Returns 0 or
 * -1 with a message. */
int config_set(struct ui_config *c, const char *key, const char *value,
    char *err, size_t errlen);

#endif
