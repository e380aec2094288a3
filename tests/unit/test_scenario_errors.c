/*
 * Every error kind of the scenario checker: its exact message and line.
 * One cmocka test per row of the table.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include <unistd.h>

#include "scenario_testutil.h"
#include "util/xmem.h"

struct ecase {
	const char *name;
	const char *text;
	const char *expect;      /* the complete message output */
};

#define HDR "[scenario]\ntitle = t\n"
#define MAIN "[function main]\nstep = print hi\n"

static const struct ecase cases[] = {
	{ "unknown_section_kind", HDR "[queu q]\n" MAIN,
	  "t.ini:3: error: unknown section kind 'queu' (did you mean 'queue'?)\n" },
	{ "unknown_section_kind_far", HDR "[widget w]\n" MAIN,
	  "t.ini:3: error: unknown section kind 'widget' (expected scenario, function, "
	  "process, thread, queue, pipe, manager or pool)\n" },
	{ "missing_section_name", HDR "[pool]\n" MAIN,
	  "t.ini:3: error: missing name in section header: expected [pool NAME]\n" },
	{ "invalid_name", HDR "[pool 9p]\n" MAIN,
	  "t.ini:3: error: invalid name '9p': use letters, digits and _, not "
	  "starting with a digit\n" },
	{ "name_too_long", HDR "[pool abcdefghijabcdefghijabcdefghijab]\n" MAIN,
	  "t.ini:3: error: name 'abcdefghijabcdefghijabcdefghijab' is too long "
	  "(32 bytes; at most 31)\n" },
	{ "unknown_key", HDR "[queue q]\nmaxsiz = 3\n" MAIN,
	  "t.ini:4: error: unknown key 'maxsiz' in [queue q] (did you mean 'maxsize'?)\n" },
	{ "duplicate_key", HDR "[queue q]\nmaxsize = 3\nmaxsize = 3\n" MAIN,
	  "t.ini:5: error: duplicate key 'maxsize' in [queue q] (first at line 4)\n" },
	{ "missing_required_key", HDR "[thread t]\narg = 1\n" MAIN,
	  "t.ini:3: error: missing required key 'run' in [thread t]\n" },
	{ "missing_title", "[scenario]\ntimeout = 1s\n" MAIN,
	  "t.ini:1: error: missing required key 'title' in [scenario]\n" },
	{ "no_scenario", MAIN,
	  "t.ini:1: error: missing [scenario] section (a scenario needs at least: "
	  "[scenario] and title = ...)\n" },
	{ "no_main", HDR "[function other]\nstep = print hi\n",
	  "t.ini:1: error: no function 'main' to run in the main process (add "
	  "[function main] or set main = NAME in [scenario])\n" },
	{ "no_steps", HDR "[function helper]\n" MAIN,
	  "t.ini:3: error: function 'helper' has no steps (add lines such as: "
	  "step = print \"hello\")\n" },
	{ "bad_number", HDR "[queue q]\nmaxsize = 3x\n" MAIN,
	  "t.ini:4: error: bad number '3x' for maxsize: expected an integer from 0 "
	  "to 1000000\n" },
	{ "out_of_range", HDR "[pool p]\nprocesses = 257\n" MAIN,
	  "t.ini:4: error: processes 257 is out of range (1..256)\n" },
	{ "bad_duration", HDR "[function main]\nstep = sleep 2 s\n",
	  "t.ini:4: error: bad duration '2' for sleep: missing unit (us, ms, s or m), "
	  "e.g. 2s\n"
	  "t.ini:4: error: too many arguments for sleep, from 's' (usage: sleep DUR)\n" },
	{ "duration_too_long", HDR "[function main]\nstep = busy 90000s\n",
	  "t.ini:4: error: duration 90000s for busy is too long (at most 1440m)\n" },
	{ "bad_boolean", HDR "[process p]\nrun = main\ndaemon = si\n" MAIN,
	  "t.ini:5: error: bad boolean 'si' for daemon: expected true, false, yes, "
	  "no, 1 or 0\n" },
	{ "undefined_name", HDR "[queue jobs]\n[function main]\nstep = get jbos\n",
	  "t.ini:5: error: undefined name 'jbos' (did you mean 'jobs'?)\n" },
	{ "wrong_kind", HDR "[queue q]\n[function w]\nstep = return 1\n"
	  "[function main]\nstep = apply q w 1\n",
	  "t.ini:7: error: 'q' is a queue, not a pool\n" },
	{ "defined_twice", HDR "[queue q]\n[pipe q]\n" MAIN,
	  "t.ini:4: error: name 'q' is already defined (as a queue at line 3)\n" },
	{ "recv_write_only", HDR "[pipe p]\nduplex = false\n[function main]\n"
	  "step = recv p.b\n",
	  "t.ini:6: error: recv on 'p.b', the write-only end of one-way pipe 'p' "
	  "(with duplex = false, end a can only recv and end b can only send)\n" },
	{ "send_read_only", HDR "[pipe p]\nduplex = false\n[function main]\n"
	  "step = send p.a x\n",
	  "t.ini:6: error: send on 'p.a', the read-only end of one-way pipe 'p' "
	  "(with duplex = false, end a can only recv and end b can only send)\n" },
	{ "repeat_without_end", HDR "[function main]\nstep = repeat 2\nstep = print x\n",
	  "t.ini:4: error: repeat without a matching end\n" },
	{ "end_without_repeat", HDR "[function main]\nstep = print x\nstep = end\n",
	  "t.ini:5: error: end without a matching repeat\n" },
	{ "spawn_cycle", HDR "[process p]\nrun = child\n[function child]\n"
	  "step = print x\nstep = start p\n[function main]\nstep = start p\n",
	  "t.ini:7: error: spawn cycle: child -> child (each run would start the "
	  "next, without end)\n" },
	{ "spawn_cycle_via_thread_and_call", HDR "[thread t]\nrun = a\n"
	  "[process p]\nrun = b\n[function a]\nstep = call b\n[function b]\n"
	  "step = start t\n[function main]\nstep = start p\n",
	  "t.ini:8: error: spawn cycle: b -> a -> b (each run would start the "
	  "next, without end)\n" },
	{ "recursive_call", HDR "[function main]\nstep = call main\n",
	  "t.ini:4: error: recursive call: main -> main (the calls would never end)\n" },
	{ "process_cap", HDR "[process p]\nrun = w\ncount = 200\n[function w]\n"
	  "step = sleep 1s\n[function main]\nstep = repeat 2\nstep = start p\nstep = end\n",
	  "t.ini:1: error: too many processes: 401 (main 1, managers 0, pool workers 0, "
	  "started 400; 400 from the start at line 10), more than max_processes = 256 "
	  "(it can be raised up to 4096)\n" },
	{ "thread_cap", "[scenario]\ntitle = t\nmax_threads = 3\n[thread t]\nrun = w\n"
	  "[function w]\nstep = sleep 1s\n[process p]\nrun = s\ncount = 2\n"
	  "[function s]\nstep = start t\nstep = start t\n[function main]\nstep = start p\n",
	  "t.ini:3: error: too many threads: 4 started (2 from the start at line 12), "
	  "more than max_threads = 3 (it can be raised up to 4096)\n" },
	{ "unknown_placeholder", HDR "[function main]\nstep = print \"{nme}\"\n",
	  "t.ini:4: error: unknown placeholder '{nme}' in the text of print (known: "
	  "{pid} {ppid} {tid} {arg} {i} {value} {name}; write {{ and }} for literal "
	  "braces)\n" },
	{ "unknown_verb", HDR "[function main]\nstep = pritn x\n",
	  "t.ini:4: error: unknown step 'pritn' (did you mean 'print'?)\n" },
	{ "unknown_option", HDR "[queue q]\n[function main]\nstep = put q x chunksize=2\n",
	  "t.ini:5: error: unknown option 'chunksize' for put (options: timeout, "
	  "on_error)\n" },
	{ "missing_argument", HDR "[function main]\nstep = apply\n",
	  "t.ini:4: error: missing POOL for apply (usage: apply POOL FUNC [EXPR])\n" },
	{ "unterminated_string", HDR "[function main]\nstep = print \"abc\n",
	  "t.ini:4: error: unterminated string: missing closing '\"'\n" },
	{ "indentation", HDR "  description = x\n" MAIN,
	  "t.ini:3: error: indentation is not allowed (start every line in column 1; "
	  "repeat a key such as description = to continue)\n" },
	{ "not_a_key_line", HDR "hello\n" MAIN,
	  "t.ini:3: error: expected 'key = value', a [section] header or a comment\n" },
	{ "control_char", HDR "description = a\tb\x02\n" MAIN,
	  "t.ini:3: error: control character 0x02 in column 18 (a scenario is a text "
	  "file)\n" },
	{ "invalid_utf8", HDR "description = \xc3\x28\n" MAIN,
	  "t.ini:3: error: invalid UTF-8 (byte 0xc3 in column 15)\n" },
	{ "exit_range", HDR "[function main]\nstep = exit 300\n",
	  "t.ini:4: error: exit code 300 is out of range (0..255)\n" },
	{ "bad_signal", HDR "[function main]\nstep = crash CONT\n",
	  "t.ini:4: error: signal CONT does not end a process by default; crash needs "
	  "one that does, e.g. KILL\n" },
	{ "bad_expression", HDR "[function main]\nstep = return arg ^ 2\n",
	  "t.ini:4: error: bad expression 'arg ^ 2' for return: expected a number, arg, "
	  "i or pid, optionally followed by + - * / % and a number, e.g. arg + 1000\n" },
	{ "second_scenario", HDR "[scenario]\ntitle = u\n" MAIN,
	  "t.ini:3: error: second [scenario] section (the first is at line 1)\n" },
	{ "scenario_with_name", "[scenario x]\n" HDR MAIN,
	  "t.ini:1: error: [scenario] takes no name, found 'x'\n" },
	{ "empty_header", HDR "[ ]\n" MAIN,
	  "t.ini:3: error: empty section header: expected [scenario] or [KIND NAME]\n" },
	{ "header_extra_word", HDR "[pool p q]\n" MAIN,
	  "t.ini:3: error: unexpected 'q' after [pool p]: a section header is [KIND NAME]\n" },
	{ "unterminated_header", HDR "[pool p\nprocesses = 2\n" MAIN,
	  "t.ini:3: error: unterminated section header: missing ']'\n" },
	{ "text_after_header", HDR "[pool p] x\n" MAIN,
	  "t.ini:3: error: unexpected text after ']' in section header\n" },
	{ "key_outside_section", "x = 1\n" HDR MAIN,
	  "t.ini:1: error: key 'x' is outside any section (put it under [scenario] "
	  "or a [KIND NAME] header)\n" },
	{ "missing_key_name", HDR ": 3\n" MAIN,
	  "t.ini:3: error: missing key name before ':'\n" },
	{ "empty_value", "[scenario]\ntitle =\n" MAIN,
	  "t.ini:2: error: empty value for title\n" },
	{ "unknown_key_manager", HDR "[manager m]\nx = 1\n" MAIN,
	  "t.ini:4: error: unknown key 'x' in [manager m] (a manager takes no keys)\n" },
	{ "unknown_key_list", HDR "[pipe p]\nkind = x\n" MAIN,
	  "t.ini:4: error: unknown key 'kind' in [pipe p] (known keys: duplex)\n" },
	{ "inline_comment", HDR "[queue q]\nmaxsize = 2 ; two\n" MAIN,
	  "t.ini:4: error: bad number '2 ; two' for maxsize: expected an integer "
	  "(comments must be on their own line)\n" },
	{ "main_undefined", "[scenario]\ntitle = t\nmain = go\n" MAIN,
	  "t.ini:3: error: undefined name 'go' (no function has this name)\n" },
	{ "main_wrong_kind", HDR "[pool main]\n",
	  "t.ini:1: error: 'main' is a pool, not a function (the main process runs "
	  "[function main] unless [scenario] sets main = NAME)\n" },
	{ "empty_step", HDR "[function main]\nstep =\n",
	  "t.ini:4: error: empty step: expected a verb such as sleep, print, put or start\n" },
	{ "step_not_verb", HDR "[function main]\nstep = x=1\n",
	  "t.ini:4: error: a step starts with a verb such as sleep, print, put or "
	  "start, not 'x=1'\n" },
	{ "too_many_arguments", HDR "[function main]\nstep = print a b\n",
	  "t.ini:4: error: too many arguments for print, from 'b' (usage: print TEXT); "
	  "put text with spaces in double quotes\n" },
	{ "duplicate_option", HDR "[queue q]\n[function main]\nstep = get q "
	  "on_error=continue on_error=continue\n",
	  "t.ini:5: error: option 'on_error' given twice\n" },
	{ "option_without_value", HDR "[queue q]\n[function main]\nstep = get q timeout=\n",
	  "t.ini:5: error: option 'timeout' needs a value: timeout=...\n" },
	{ "bad_on_error", HDR "[queue q]\n[function main]\nstep = get q on_error=stop\n",
	  "t.ini:5: error: bad value 'stop' for on_error: expected on_error=continue\n" },
	{ "option_with_spaces", HDR "[function main]\nstep = sleep 1s x = 1\n",
	  "t.ini:4: error: stray '=': write options as key=value, without spaces\n" },
	{ "no_options", HDR "[function main]\nstep = sleep 1s timeout=1s\n",
	  "t.ini:4: error: unknown option 'timeout' for sleep (sleep takes no options)\n" },
	{ "join_pool_timeout", HDR "[pool p]\n[function main]\nstep = close p\n"
	  "step = join p timeout=1s\n",
	  "t.ini:6: error: join of pool 'p' takes no timeout (Pool.join() has none)\n" },
	{ "repeat_too_deep", HDR "[function main]\n"
	  "step = repeat 1\nstep = repeat 1\nstep = repeat 1\nstep = repeat 1\n"
	  "step = repeat 1\nstep = repeat 1\nstep = repeat 1\nstep = repeat 1\n"
	  "step = repeat 1\nstep = repeat 1\nstep = repeat 1\nstep = repeat 1\n"
	  "step = repeat 1\nstep = repeat 1\nstep = repeat 1\nstep = repeat 1\n"
	  "step = repeat 1\nstep = print deep\n"
	  "step = end\nstep = end\nstep = end\nstep = end\nstep = end\nstep = end\n"
	  "step = end\nstep = end\nstep = end\nstep = end\nstep = end\nstep = end\n"
	  "step = end\nstep = end\nstep = end\nstep = end\nstep = end\n",
	  "t.ini:20: error: repeat blocks nested too deeply (at most 16 levels)\n" },
	{ "bad_repeat_count", HDR "[function main]\nstep = repeat -1\nstep = end\n",
	  "t.ini:4: error: repeat count -1 is out of range (0..100000000)\n" },
	{ "calls_too_deep", HDR
	  "[function f0]\nstep = call f1\n[function f1]\nstep = call f2\n"
	  "[function f2]\nstep = call f3\n[function f3]\nstep = call f4\n"
	  "[function f4]\nstep = call f5\n[function f5]\nstep = call f6\n"
	  "[function f6]\nstep = call f7\n[function f7]\nstep = call f8\n"
	  "[function f8]\nstep = call f9\n[function f9]\nstep = call f10\n"
	  "[function f10]\nstep = call f11\n[function f11]\nstep = call f12\n"
	  "[function f12]\nstep = call f13\n[function f13]\nstep = call f14\n"
	  "[function f14]\nstep = call f15\n[function f15]\nstep = call f16\n"
	  "[function f16]\nstep = print deep\n[function main]\nstep = call f0\n",
	  "t.ini:38: error: calls nested too deeply: 'main' calls a chain of 17 "
	  "functions (at most 16 levels)\n" },
	{ "bad_range", HDR "[pool p]\n[function w]\nstep = return 1\n[function main]\n"
	  "step = map p w 0-3\n",
	  "t.ini:7: error: bad range '0-3' for map: expected LO..HI, e.g. 0..9\n" },
	{ "empty_range", HDR "[pool p]\n[function w]\nstep = return 1\n[function main]\n"
	  "step = imap p w 3..0\n",
	  "t.ini:7: error: empty range 3..0 for imap: LO must not be greater than HI\n" },
	{ "range_too_big", HDR "[pool p]\n[function w]\nstep = return 1\n[function main]\n"
	  "step = map_async p w 1..100001\n",
	  "t.ini:7: error: range 1..100001 for map_async has 100001 items (at most 100000)\n" },
	{ "division_by_zero", HDR "[function main]\nstep = return i / 0\n",
	  "t.ini:4: error: division by zero in 'i / 0' for return\n" },
	{ "bad_errtype", HDR "[function main]\nstep = raise \"Value Error\"\n",
	  "t.ini:4: error: bad error type 'Value Error' for raise: expected a name "
	  "such as ValueError or RuntimeError\n" },
	{ "unknown_signal", HDR "[function main]\nstep = crash HUPP\n",
	  "t.ini:4: error: unknown signal 'HUPP' for crash: expected a name such as "
	  "KILL, SEGV, TERM, ABRT or a number\n" },
	{ "unknown_escape", HDR "[function main]\nstep = print \"a\\qb\"\n",
	  "t.ini:4: error: unknown escape '\\q' in string (use \\\" \\\\ or \\n)\n" },
	{ "quote_in_word", HDR "[function main]\nstep = print a\"b\"\n",
	  "t.ini:4: error: unexpected '\"' inside the word 'a\"' (quote the whole text)\n" },
	{ "unclosed_brace", HDR "[function main]\nstep = print \"{pid\"\n",
	  "t.ini:4: error: unclosed '{' in the text of print (write {{ for a literal "
	  "brace)\n" },
	{ "single_brace", HDR "[function main]\nstep = print \"}\"\n",
	  "t.ini:4: error: single '}' in the text of print (write }} for a literal "
	  "brace)\n" },
	{ "pipe_needs_end", HDR "[pipe p]\n[function main]\nstep = recv p\n",
	  "t.ini:5: error: recv needs an end of pipe 'p': p.a or p.b\n" },
	{ "pipe_bad_end", HDR "[pipe p]\n[function main]\nstep = send p.x hi\n",
	  "t.ini:5: error: pipe 'p' has ends 'p.a' and 'p.b', not 'p.x'\n" },
	{ "pipe_missing_name", HDR "[function main]\nstep = close .b\n",
	  "t.ini:4: error: missing pipe name before '.b' (write NAME.a or NAME.b)\n" },
	{ "end_of_non_pipe", HDR "[queue q]\n[function main]\nstep = close q.a\n",
	  "t.ini:5: error: 'q' is a queue, not a pipe\n" },
	{ "errors_sorted_by_line", HDR "[function main]\nstep = get q\n[queue q]\n"
	  "maxsize = -3\n[queue q]\n",
	  "t.ini:6: error: maxsize -3 is out of range (0..1000000)\n"
	  "t.ini:7: error: name 'q' is already defined (as a queue at line 5)\n" },
};

static void
test_case(void **state)
{
	const struct ecase *c = *state;
	struct scenario sc;
	char *errs = NULL;
	int n = tu_load(c->text, &sc, &errs);

	assert_true(n > 0);
	assert_string_equal(errs, c->expect);
	/* the count matches the lines printed */
	int lines = 0;
	for (const char *p = errs; *p; p++)
		lines += *p == '\n';
	assert_int_equal(n, lines);
	/* a failed load leaves the scenario zeroed */
	assert_null(sc.objs);
	assert_int_equal(sc.nobjs, 0);
	assert_null(sc.title);
	free(errs);
}

/* Load bytes (any, NULs included) through a real file. */
static char *
load_bytes(const char *buf, size_t len, int *n)
{
	char path[] = "/tmp/ipcscope-test-XXXXXX";
	int fd = mkstemp(path);
	struct scenario sc;
	char *errs = NULL;
	size_t elen = 0;

	assert_true(fd >= 0);
	assert_int_equal(write(fd, buf, len), (ssize_t)len);
	close(fd);
	FILE *f = open_memstream(&errs, &elen);
	*n = scenario_load_file(path, &sc, f);
	fclose(f);
	unlink(path);
	/* the messages name the file: drop the path prefix */
	size_t plen = strlen(path);
	char *out = xstrdup("");
	for (char *line = strtok(errs, "\n"); line; line = strtok(NULL, "\n")) {
		char *rest = strncmp(line, path, plen) == 0 ? line + plen : line;
		char *t = xasprintf("%st.ini%s\n", out, rest);
		free(out);
		out = t;
	}
	free(errs);
	assert_null(sc.objs);
	return out;
}

static void
test_generated_inputs(void **state)
{
	static const char nul[] = "[scenario]\ntitle = a\0b\n[function main]\nstep = print x\n";
	char *e, *buf;
	size_t len;
	int n;
	(void)state;

	e = load_bytes(nul, sizeof(nul) - 1, &n);
	assert_string_equal(e, "t.ini:1: error: missing required key 'title' in [scenario]\n"
	    "t.ini:2: error: NUL byte in column 10 (a scenario is a text file)\n");
	assert_int_equal(n, 2);
	free(e);

	/* a 100,000-character line: reported, and later lines keep their numbers */
	buf = xmalloc(200000);
	len = (size_t)sprintf(buf, "[scenario]\ntitle = t\n[function main]\nstep = print \"");
	memset(buf + len, 'x', 100000);
	len += 100000;
	len += (size_t)sprintf(buf + len, "\"\nstep = bogus\n");
	e = load_bytes(buf, len, &n);
	assert_string_equal(e, "t.ini:4: error: line is too long (100015 bytes; at most 8192)\n"
	    "t.ini:5: error: unknown step 'bogus' (see docs/scenario-format.md for the "
	    "list of steps)\n");
	free(e);
	free(buf);

	/* 4097 steps in one function */
	buf = xmalloc(4200 * 20);
	len = (size_t)sprintf(buf, "[scenario]\ntitle = t\n[function main]\n");
	for (int i = 0; i < 4097; i++)
		len += (size_t)sprintf(buf + len, "step = sleep 1ms\n");
	e = load_bytes(buf, len, &n);
	assert_string_equal(e, "t.ini:4100: error: too many steps in function 'main' "
	    "(at most 4096)\n");
	free(e);
	free(buf);

	/* 1025 objects */
	buf = xmalloc(1100 * 24);
	len = (size_t)sprintf(buf, "[scenario]\ntitle = t\n[function main]\nstep = print x\n");
	for (int i = 0; i < 1024; i++)
		len += (size_t)sprintf(buf + len, "[queue q%d]\n", i);
	e = load_bytes(buf, len, &n);
	assert_string_equal(e, "t.ini:1028: error: too many objects (at most 1024)\n");
	free(e);
	free(buf);
}

int
main(void)
{
	enum { N = sizeof(cases) / sizeof(cases[0]) };
	struct CMUnitTest tests[N + 1];

	for (size_t i = 0; i < N; i++) {
		tests[i] = (struct CMUnitTest)cmocka_unit_test_prestate(test_case,
		    (void *)(uintptr_t)&cases[i]);
		tests[i].name = cases[i].name;
	}
	tests[N] = (struct CMUnitTest)cmocka_unit_test(test_generated_inputs);
	return cmocka_run_group_tests_name("scenario errors", tests, NULL, NULL);
}
