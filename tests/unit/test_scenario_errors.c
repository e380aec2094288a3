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

#include "scenario_testutil.h"

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

int
main(void)
{
	enum { N = sizeof(cases) / sizeof(cases[0]) };
	struct CMUnitTest tests[N];

	for (size_t i = 0; i < N; i++) {
		tests[i] = (struct CMUnitTest)cmocka_unit_test_prestate(test_case,
		    (void *)(uintptr_t)&cases[i]);
		tests[i].name = cases[i].name;
	}
	return cmocka_run_group_tests_name("scenario errors", tests, NULL, NULL);
}
