/*
 * ipcscope list: the bundled scenarios, one per line: NAME  TITLE.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/cmd.h"
#include "scenario/load.h"
#include "scenario/resolve.h"
#include "util/xmem.h"

static int
cmd_list_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
cmd_list_exec(int argc, char **argv)
{
	char *dir = scenario_bundled_dir();
	char **names = NULL;
	size_t n = 0, width = 0;
	struct dirent *de;
	DIR *d;

	(void)argv;
	if (argc > 1) {
		free(dir);
		return cmd_usage(&cmd_list_entry);
	}
	d = opendir(dir);
	if (!d) {
		fprintf(stderr, "ipcscope: list: no bundled scenarios in %s\n", dir);
		free(dir);
		return 1;
	}
	while ((de = readdir(d)) != NULL) {
		size_t len = strlen(de->d_name);
		if (len <= 4 || strcmp(de->d_name + len - 4, ".ini") != 0 ||
		    de->d_name[0] == '.')
			continue;
		names = xreallocarray(names, n + 1, sizeof(*names));
		names[n++] = xstrndup(de->d_name, len - 4);
		if (len - 4 > width)
			width = len - 4;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmd_list_cmp);
	for (size_t i = 0; i < n; i++) {
		struct scenario sc;
		char *path = xasprintf("%s/%s.ini", dir, names[i]);
		if (scenario_load_file(path, &sc, NULL) == 0) {
			printf("%-*s  %s\n", (int)width, names[i], sc.title);
			scenario_free(&sc);
		} else
			printf("%-*s  (invalid: see ipcscope check %s)\n", (int)width,
			    names[i], names[i]);
		free(path);
		free(names[i]);
	}
	free(names);
	free(dir);
	return 0;
}

const struct cmd_entry cmd_list_entry = {
	.name = "list",
	.usage = "list",
	.summary = "list the bundled scenarios",
	.exec = cmd_list_exec,
};
