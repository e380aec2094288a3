/* Pure parsers of the watcher: fdinfo flags, stat, syscall lines, CLI. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "watch/blocked.h"
#include "watch/cli.h"
#include "watch/fdscan.h"
#include "watch/tree.h"

static void
test_fdinfo_mode(void **state)
{
	(void)state;
	assert_int_equal(watch_fdinfo_mode("pos:\t0\nflags:\t0100000\nmnt_id:\t15\n"),
	    WATCH_FD_READ);
	assert_int_equal(watch_fdinfo_mode("pos:\t0\nflags:\t02004001\n"),
	    WATCH_FD_WRITE);                       /* O_WRONLY|O_NONBLOCK|O_CLOEXEC */
	assert_int_equal(watch_fdinfo_mode("pos:\t0\nflags:\t02\n"),
	    WATCH_FD_READ | WATCH_FD_WRITE);
	assert_int_equal(watch_fdinfo_mode("pos:\t0\nflags:\t03\n"), -EINVAL);
	assert_int_equal(watch_fdinfo_mode("pos:\t0\nmnt_id:\t15\n"), -EINVAL);
	assert_int_equal(watch_fdinfo_mode("flags:\tzz\n"), -EINVAL);
	assert_int_equal(watch_fdinfo_mode(""), -EINVAL);
}

static void
test_stat_parse(void **state)
{
	(void)state;
	struct watch_stat st;
	/* comm with a space and a ')' inside, like "(a) b)". */
	const char *line = "1234 (we(ird) n)) S 1200 1234 1200 0 -1 4194560 "
	    "100 0 0 0 5 6 0 0 20 0 1 0 987654 1000 200 18446744073709551615 "
	    "1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0 0 0 0 0 0 0 0 0\n";
	assert_int_equal(watch_stat_parse(line, &st), 0);
	assert_int_equal(st.state, 'S');
	assert_int_equal(st.ppid, 1200);
	assert_int_equal(st.start, 987654);
	assert_string_equal(st.comm, "we(ird) n)");
	assert_int_equal(st.exit_code, 0);
	/* A zombie killed by SIGTERM: exit_code (field 52) = 15. */
	const char *z = "77 (python3) Z 70 77 70 0 -1 4227084 0 0 0 0 0 0 0 0 "
	    "20 0 1 0 5555 0 0 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 "
	    "17 0 0 0 0 0 0 0 0 0 0 0 0 0 15\n";
	assert_int_equal(watch_stat_parse(z, &st), 0);
	assert_int_equal(st.state, 'Z');
	assert_int_equal(st.exit_code, 15);
	assert_int_equal(watch_exit_code(st.exit_code), 128 + 15);
	assert_int_equal(watch_exit_code(3 << 8), 3);
	/* Old kernels: no field 52. */
	const char *old = "5 (x) R 1 5 5 0 -1 0 0 0 0 0 0 0 0 0 20 0 1 0 42\n";
	assert_int_equal(watch_stat_parse(old, &st), 0);
	assert_int_equal(st.start, 42);
	assert_int_equal(st.exit_code, -1);
	assert_int_equal(watch_stat_parse("garbage", &st), -EINVAL);
	assert_int_equal(watch_stat_parse("1 (x) S 0", &st), -EINVAL);
}

static void
test_syscall_parse_classify(void **state)
{
	(void)state;
	struct watch_syscall sc;
	struct watch_task_wait w;
	assert_int_equal(watch_syscall_parse("running\n", &sc), 0);
	assert_int_equal(sc.in_syscall, 0);
	assert_int_equal(watch_syscall_parse("-1 0x7ffd 0x7f12\n", &sc), 0);
	assert_int_equal(sc.in_syscall, 0);
	assert_int_equal(watch_syscall_parse("junk", &sc), -EINVAL);
	assert_int_equal(watch_syscall_parse("0 0x5 0x7f", &sc), -EINVAL);

	char line[200];
	snprintf(line, sizeof(line), "%d 0x5 0x7f9ef9d60890 0x4 0x0 0x0 0x0 "
	    "0x7ff 0x7f1\n", SYS_read);
	assert_int_equal(watch_syscall_parse(line, &sc), 0);
	assert_int_equal(sc.in_syscall, 1);
	assert_int_equal(sc.arg[0], 5);
	assert_int_equal(sc.arg[2], 4);
	memset(&w, 0, sizeof(w));
	watch_syscall_classify(&sc, &w);
	assert_int_equal(w.cls, WATCH_WAIT_FD);
	assert_int_equal(w.nfds, 1);
	assert_int_equal(w.fds[0], 5);
	assert_string_equal(w.ops[0], "read");
	assert_string_equal(w.syscall, "read");
	assert_int_equal(w.timed, 0);

	struct { long nr; unsigned long a[6]; enum watch_wait_class cls;
		int timed; const char *op; pid_t child; } rows[] = {
		{ SYS_write, { 7 }, WATCH_WAIT_FD, 0, "write", 0 },
		{ SYS_sendto, { 9 }, WATCH_WAIT_FD, 0, "write", 0 },
		{ SYS_accept4, { 8 }, WATCH_WAIT_FD, 0, "accept", 0 },
#ifdef SYS_poll
		{ SYS_poll, { 0x1000, 2, 0xffffffff }, WATCH_WAIT_FD, 0, NULL, 0 },
		{ SYS_poll, { 0x1000, 2, 100 }, WATCH_WAIT_FD, 1, NULL, 0 },
#endif
		{ SYS_ppoll, { 0x1000, 1, 0 }, WATCH_WAIT_FD, 0, NULL, 0 },
		{ SYS_ppoll, { 0x1000, 1, 0x2000 }, WATCH_WAIT_FD, 1, NULL, 0 },
		{ SYS_wait4, { 4321 }, WATCH_WAIT_CHILD, 0, NULL, 4321 },
		{ SYS_wait4, { (unsigned long)-1 }, WATCH_WAIT_CHILD, 0, NULL, -1 },
		{ SYS_futex, { 0x10, 0x189, 0, 0 }, WATCH_WAIT_OTHER, 0, NULL, 0 },
		{ SYS_futex, { 0x10, 0x189, 0, 0x3000 }, WATCH_WAIT_SELF, 0, NULL, 0 },
		{ SYS_clock_nanosleep, { 1, 0, 0x10 }, WATCH_WAIT_SELF, 0, NULL, 0 },
		{ SYS_getpid, { 0 }, WATCH_WAIT_OTHER, 0, NULL, 0 },
	};
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		memset(&sc, 0, sizeof(sc));
		sc.in_syscall = 1;
		sc.nr = rows[i].nr;
		memcpy(sc.arg, rows[i].a, sizeof(sc.arg));
		memset(&w, 0, sizeof(w));
		watch_syscall_classify(&sc, &w);
		assert_int_equal(w.cls, rows[i].cls);
		assert_int_equal(w.timed, rows[i].timed);
		if (rows[i].op) {
			assert_int_equal(w.nfds, 1);
			assert_int_equal(w.fds[0], (int)rows[i].a[0]);
			assert_string_equal(w.ops[0], rows[i].op);
		} else {
			assert_int_equal(w.nfds, 0);
		}
		assert_int_equal(w.child, rows[i].child);
	}
}

/* A writable argv copy of 'v' (NULL-terminated); free with free_argv. */
static char **
mkargv(const char *const *v, int *argc)
{
	int n = 0;
	while (v[n])
		n++;
	char **a = calloc((size_t)n + 1, sizeof(*a));
	for (int i = 0; i < n; i++)
		a[i] = strdup(v[i]);
	*argc = n;
	return a;
}

static void
free_argv(char **a)
{
	for (int i = 0; a[i]; i++)
		free(a[i]);
	free(a);
}

static int
parse(const char *const *v, int allow_output, struct watch_cli *c, char *err,
    size_t len)
{
	int argc;
	char **a = mkargv(v, &argc);
	int r = watch_cli_parse(argc, a, allow_output, c, err, len);
	/* Strings in c point into a: copy what the tests look at. */
	static char rec[64], out[64];
	if (c->record) {
		snprintf(rec, sizeof(rec), "%s", c->record);
		c->record = rec;
	}
	if (c->output) {
		snprintf(out, sizeof(out), "%s", c->output);
		c->output = out;
	}
	free_argv(a);
	return r;
}

static void
test_cli(void **state)
{
	(void)state;
	struct watch_cli c;
	char err[128];
	const char *const a1[] = { "watch", "--headless", "--json", "--interval", "100",
		"--record=r.jsonl", "--output", "o.txt", "--", "python3", "-c", "x",
		NULL };
	assert_int_equal(parse(a1, 1, &c, err, sizeof(err)), 9);
	assert_int_equal(c.headless, 1);
	assert_int_equal(c.json, 1);
	assert_int_equal(c.interval_ms, 100);
	assert_string_equal(c.record, "r.jsonl");
	assert_string_equal(c.output, "o.txt");
	/* Without "--": stops at the first non-option. */
	const char *const a2[] = { "watch", "--count", "3", "sleep", "--version", NULL };
	assert_int_equal(parse(a2, 1, &c, err, sizeof(err)), 3);
	assert_int_equal(c.count, 3);
	assert_int_equal(c.interval_ms, 500);
	const char *const a3[] = { "attach", "--output", "x", "12", NULL };
	assert_int_equal(parse(a3, 0, &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "--output"));
	const char *const a4[] = { "watch", "--interval", "5", "--", "true", NULL };
	assert_int_equal(parse(a4, 1, &c, err, sizeof(err)), -1);
	const char *const a5[] = { "watch", "--interval", NULL };
	assert_int_equal(parse(a5, 1, &c, err, sizeof(err)), -1);
	assert_non_null(strstr(err, "needs a value"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fdinfo_mode),
		cmocka_unit_test(test_stat_parse),
		cmocka_unit_test(test_syscall_parse_classify),
		cmocka_unit_test(test_cli),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
