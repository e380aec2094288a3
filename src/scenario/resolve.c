/*
 * Naming scenarios: a file path, or a bundled name such as "pool_callback".
 */
#include "scenario/resolve.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scenario/lex.h"
#include "scenario/load.h"
#include "util/xmem.h"

#ifndef IPCSCOPE_DATADIR
#define IPCSCOPE_DATADIR "/usr/local/share/ipcscope"
#endif

static bool
resolve_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static bool
resolve_is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && !S_ISDIR(st.st_mode);
}

/* The source tree the binary was built in: the binary's folder or one of
 * its three parents (build/, build/asan/, build/asan/tests/) holding src/scenario/scenario.h
 * and scenarios/. NULL if none. */
static char *
resolve_source_tree(void)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	for (int up = 0; up < 4; up++) {
		char *slash = strrchr(exe, '/');
		if (!slash)
			return NULL;
		*slash = '\0';
		char *marker = xasprintf("%s/src/scenario/scenario.h", exe);
		char *dir = xasprintf("%s/scenarios", exe);
		bool ok = resolve_is_file(marker) && resolve_is_dir(dir);
		free(marker);
		if (ok)
			return dir;
		free(dir);
	}
	return NULL;
}

char *
scenario_bundled_dir(void)
{
	char *dir = resolve_source_tree();

	return dir ? dir : xstrdup(IPCSCOPE_DATADIR "/scenarios");
}

char *
scenario_resolve(const char *arg)
{
	char err[LEX_ERR_SIZE];

	if (resolve_is_file(arg))
		return xstrdup(arg);
	if (!lex_name(arg, err))
		return NULL;          /* not a bundled name: a missing path */
	char *src = resolve_source_tree();
	char *dirs[2] = { src, xstrdup(IPCSCOPE_DATADIR "/scenarios") };
	char *found = NULL;
	for (int i = 0; i < 2 && !found; i++) {
		if (!dirs[i])
			continue;
		char *p = xasprintf("%s/%s.ini", dirs[i], arg);
		if (resolve_is_file(p))
			found = p;
		else
			free(p);
	}
	free(dirs[0]);
	free(dirs[1]);
	return found;
}
