/*
 * Loading a scenario: bytes -> prescan -> section headers -> inih for the
 * 'key = value' lines -> steps -> whole-model checks. The only file that
 * includes <ini.h>; a change of INI library stays here.
 */
#include "scenario/load.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <ini.h>

#include "scenario/loader.h"
#include "util/xmem.h"

#if !INI_HANDLER_LINENO
#error "build with -DINI_HANDLER_LINENO=1 (Debian's libinih passes line numbers)"
#endif

static int
load_selfcheck_handler(void *user, const char *section, const char *name,
    const char *value, int lineno)
{
	int *got = user;

	(void)section; (void)value;
	if (strcmp(name, "b") == 0)
		*got = lineno;
	return 1;
}

/* Set Debian inih's run-time options (process-wide) and check once that
 * line numbers arrive; a libinih built otherwise would silently give wrong
 * lines in every message. */
static void
load_ini_init(void)
{
	static int checked;

	ini_max_line = LD_LINE_MAX + 16;  /* never split a line we accepted */
	ini_allow_multiline = 0;          /* indented lines are not continuations */
	ini_allow_inline_comments = 0;    /* ';' inside step text is text */
	ini_stop_on_first_error = 0;
	ini_allow_no_value = 0;
	if (!checked) {
		int got = 0;
		if (ini_parse_string("a=1\nb=2\n", load_selfcheck_handler, &got) != 0 ||
		    got != 2) {
			fprintf(stderr, "ipcscope: libinih does not report line numbers "
			    "(got %d, expected 2); it must be built with INI_HANDLER_LINENO=1\n",
			    got);
			abort();
		}
		checked = 1;
	}
}

static int
load_handler(void *user, const char *section, const char *name,
    const char *value, int lineno)
{
	(void)section;     /* sections come from the prescan's header list */
	ld_key(user, name, value, lineno);
	return 1;
}

static void
load_loader_free(struct loader *ld)
{
	for (int i = 0; i < ld->nhdr; i++)
		free(ld->hdr[i].text);
	free(ld->hdr);
	free(ld->hdr_sec);
	for (int i = 0; ld->lo && i < ld->sc->nobjs; i++) {
		free(ld->lo[i].run.text);
		for (int k = 0; k < ld->lo[i].nsteps && k < SC_MAX_STEPS; k++)
			free(ld->lo[i].steps[k].text);
		free(ld->lo[i].steps);
	}
	free(ld->lo);
	free(ld->main.text);
	diag_free(&ld->diag);
}

static int
load_buffer(const char *name, const char *buf, size_t len, struct scenario *sc,
    FILE *err)
{
	struct loader ld;
	char *clean;
	int r, nerr;

	memset(sc, 0, sizeof(*sc));
	memset(&ld, 0, sizeof(ld));
	ld.file = name;
	ld.sc = sc;
	ld.cur = -1;
	ld_scenario_defaults(sc);
	load_ini_init();
	clean = ld_prescan(&ld, buf, len);
	ld_sections(&ld);
	r = ini_parse_string(clean, load_handler, &ld);
	free(clean);
	if (r == -2)
		xmem_fatal("out of memory");
	if (r > 0 && diag_count_line(&ld.diag, r) == 0)
		diag_add(&ld.diag, r, "syntax error");   /* not expected: prescan filters */
	ld_keys_finish(&ld);
	ld_steps(&ld);
	ld_check(&ld);
	nerr = (int)ld.diag.n;
	diag_print(&ld.diag, name, err);
	load_loader_free(&ld);
	if (nerr > 0) {
		scenario_free(sc);
		return nerr;
	}
	sc->path = xstrdup(name);
	return 0;
}

int
scenario_load_string(const char *name, const char *text, struct scenario *sc,
    FILE *err)
{
	return load_buffer(name, text, strlen(text), sc, err);
}

int
scenario_load_file(const char *path, struct scenario *sc, FILE *err)
{
	struct stat stb;
	char *buf;
	size_t len = 0, n;
	FILE *f;
	int r;

	memset(sc, 0, sizeof(*sc));
	f = fopen(path, "rb");
	if (!f) {
		if (err)
			fprintf(err, "%s: error: cannot open: %s\n", path, strerror(errno));
		return 1;
	}
	if (fstat(fileno(f), &stb) == 0 && S_ISDIR(stb.st_mode)) {
		if (err)
			fprintf(err, "%s: error: is a directory, not a scenario file\n", path);
		fclose(f);
		return 1;
	}
	buf = xmalloc(LD_FILE_MAX + 1);
	while (len <= LD_FILE_MAX &&
	    (n = fread(buf + len, 1, LD_FILE_MAX + 1 - len, f)) > 0)
		len += n;
	if (ferror(f)) {
		if (err)
			fprintf(err, "%s: error: cannot read: %s\n", path, strerror(errno));
		fclose(f);
		free(buf);
		return 1;
	}
	fclose(f);
	if (len > LD_FILE_MAX) {
		if (err)
			fprintf(err, "%s: error: file is too large (more than %d MiB)\n",
			    path, LD_FILE_MAX / (1024 * 1024));
		free(buf);
		return 1;
	}
	r = load_buffer(path, buf, len, sc, err);
	free(buf);
	return r;
}
