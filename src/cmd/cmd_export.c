/*
 * ipcscope export --format FORMAT FILE [-o OUT]
 *
 * A recording in another format (trace/export.h): perfetto (Chrome Trace
 * Event JSON) or csv. OUT defaults to stdout; it is written whole or not at
 * all (a temporary file renamed at the end).
 * Exit status: 0, 1 on a write error, 2 on usage errors or a trace that
 * cannot be read.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd/cmd.h"
#include "trace/export.h"
#include "trace/reader.h"
#include "util/xmem.h"

static int
formats(FILE *f)
{
	fprintf(f, "formats:\n");
	for (size_t i = 0; i < export_count; i++)
		fprintf(f, "  %-10s %s\n", export_table[i].name, export_table[i].what);
	return 2;
}

static int
cmd_export_exec(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const struct exporter *ex = NULL;
	const char *outpath = NULL;
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":f:o:h", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			ex = export_find(optarg);
			if (!ex) {
				fprintf(stderr, "ipcscope: export: unknown format '%s'\n", optarg);
				formats(stderr);
				return cmd_usage(&cmd_export_entry);
			}
			break;
		case 'o':
			outpath = optarg;
			break;
		case 'h':
			printf("usage: ipcscope %s\n", cmd_export_entry.usage);
			formats(stdout);
			return 0;
		case ':':
			fprintf(stderr, "ipcscope: export: option '%s' needs a value\n",
			    argv[optind - 1]);
			return cmd_usage(&cmd_export_entry);
		default:
			fprintf(stderr, "ipcscope: export: unknown option '%s'\n",
			    argv[optind - 1]);
			return cmd_usage(&cmd_export_entry);
		}
	}
	if (!ex) {
		fprintf(stderr, "ipcscope: export: --format is required\n");
		formats(stderr);
		return cmd_usage(&cmd_export_entry);
	}
	if (argc - optind != 1) {
		fprintf(stderr, "ipcscope: export: %s\n", argc - optind < 1 ?
		    "no FILE given" : "only one FILE at a time");
		return cmd_usage(&cmd_export_entry);
	}
	char err[TRACE_ERR_SIZE];
	struct trace *t = trace_open(argv[optind], err, sizeof(err));
	if (!t) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	if (t->warning[0])
		fprintf(stderr, "%s\n", t->warning);

	FILE *out = stdout;
	char *tmp = NULL;
	if (outpath && strcmp(outpath, "-") != 0) {
		tmp = xasprintf("%s.tmp.%d", outpath, (int)getpid());
		int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
		if (fd < 0 || !(out = fdopen(fd, "w"))) {
			fprintf(stderr, "ipcscope: export: cannot write %s: %s\n", outpath,
			    strerror(errno));
			if (fd >= 0) {
				close(fd);
				unlink(tmp);
			}
			free(tmp);
			trace_free(t);
			return 1;
		}
	}
	int rc = ex->fn(t, out, err, sizeof(err));
	if (rc != 0)
		fprintf(stderr, "ipcscope: export: %s\n", err);
	bool werr = out == stdout ? fflush(out) != 0 || ferror(out) :
	    ferror(out) != 0;
	if (out != stdout && fclose(out) != 0)
		werr = true;
	if (werr)
		fprintf(stderr, "ipcscope: export: error writing %s: %s\n",
		    outpath ? outpath : "stdout", strerror(errno));
	if (tmp) {
		if (rc == 0 && !werr && rename(tmp, outpath) != 0) {
			fprintf(stderr, "ipcscope: export: cannot write %s: %s\n", outpath,
			    strerror(errno));
			werr = true;
		}
		if (rc != 0 || werr)
			unlink(tmp);
		free(tmp);
	}
	trace_free(t);
	return rc != 0 || werr ? 1 : 0;
}

const struct cmd_entry cmd_export_entry = {
	.name = "export",
	.usage = "export --format perfetto|csv FILE [-o OUT]",
	.summary = "a recording as Chrome Trace Event JSON (Perfetto) or CSV",
	.exec = cmd_export_exec,
};
