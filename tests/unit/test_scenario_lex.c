/*
 * The scenario language's lexical layer: words, strings, options, and the
 * scalar parsers (durations, integers, expressions, ranges, signals,
 * templates), including their edge cases.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "scenario/lex.h"
#include "scenario/template.h"

static void
test_split(void **state)
{
	struct lex_toks t = { NULL, 0, 0 };
	char err[LEX_ERR_SIZE];
	(void)state;

	assert_true(lex_split("  put q \"a \\\"b\\\" \\\\ c\\n\"\ttimeout=1s x=\"y z\" ", &t, err));
	assert_int_equal(t.n, 5);
	assert_string_equal(t.v[0].s, "put");
	assert_false(t.v[0].quoted);
	assert_null(t.v[0].val);
	assert_string_equal(t.v[1].s, "q");
	assert_string_equal(t.v[2].s, "a \"b\" \\ c\n");
	assert_true(t.v[2].quoted);
	assert_string_equal(t.v[3].s, "timeout");
	assert_string_equal(t.v[3].val, "1s");
	assert_string_equal(t.v[4].s, "x");
	assert_string_equal(t.v[4].val, "y z");
	lex_toks_free(&t);

	/* a quoted string with '=' is text, not an option; "" is an empty text */
	assert_true(lex_split("print \"a=b\" \"\"", &t, err));
	assert_int_equal(t.n, 3);
	assert_null(t.v[1].val);
	assert_string_equal(t.v[1].s, "a=b");
	assert_string_equal(t.v[2].s, "");
	lex_toks_free(&t);

	assert_false(lex_split("print \"abc", &t, err));
	assert_string_equal(err, "unterminated string: missing closing '\"'");
	lex_toks_free(&t);
	assert_false(lex_split("print \"a\"b", &t, err));
	assert_string_equal(err, "expected a space after the closing '\"'");
	lex_toks_free(&t);
	assert_false(lex_split("print \"a\\", &t, err));
	lex_toks_free(&t);
	assert_false(lex_split("get q timeout = 1s", &t, err));
	assert_string_equal(err, "stray '=': write options as key=value, without spaces");
	lex_toks_free(&t);
	assert_true(lex_split("", &t, err));
	assert_int_equal(t.n, 0);
	lex_toks_free(&t);
}

static void
test_durations(void **state)
{
	char err[LEX_ERR_SIZE];
	int64_t ns = -1;
	(void)state;

	static const struct { const char *s; int64_t ns; } ok[] = {
		{ "0s", 0 }, { "1us", 1000 }, { "1.5us", 1500 }, { "0.0005ms", 500 },
		{ "250us", 250000 }, { "500ms", 500000000 }, { "1.5s", 1500000000 },
		{ "2m", 120000000000LL }, { ".5s", 500000000 }, { "0.123456789s", 123456789 },
		{ "1440m", SC_MAX_DURATION_NS }, { "86400s", SC_MAX_DURATION_NS },
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		assert_true(lex_duration("d", ok[i].s, 0, SC_MAX_DURATION_NS, &ns, err));
		assert_int_equal(ns, ok[i].ns);
	}
	static const char *const bad[] = { "", "s", "1", "1 s", "-1s", "1h", "1S",
	    "1.2.3s", "1e3ms", "ms", "99999999999999999999999s", "86400.001s", "1441m" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(lex_duration("d", bad[i], 0, SC_MAX_DURATION_NS, &ns, err));
	assert_false(lex_duration("timeout", "0ms", 1000000, SC_MAX_DURATION_NS, &ns, err));
	assert_string_equal(err, "duration 0ms for timeout is too short (at least 1ms)");
	char buf[32];
	assert_string_equal(lex_duration_str(1500000000, buf), "1500ms");
	assert_string_equal(lex_duration_str(120000000000LL, buf), "2m");
	assert_string_equal(lex_duration_str(250000, buf), "250us");
}

static void
test_integers_and_booleans(void **state)
{
	char err[LEX_ERR_SIZE];
	int64_t v;
	bool b;
	(void)state;

	assert_true(lex_int("n", "+7", 0, 10, &v, err));
	assert_int_equal(v, 7);
	assert_true(lex_int("n", "-3", -5, 10, &v, err));
	assert_int_equal(v, -3);
	assert_false(lex_int("n", "11", 0, 10, &v, err));
	assert_string_equal(err, "n 11 is out of range (0..10)");
	assert_false(lex_int("n", "0x10", 0, 100, &v, err));
	assert_false(lex_int("n", "1.0", 0, 100, &v, err));
	assert_false(lex_int("n", "", 0, 100, &v, err));
	assert_string_equal(err, "missing number for n: expected an integer from 0 to 100");
	assert_false(lex_int("n", "18446744073709551617", 0, 100, &v, err));
	for (const char *const *s = (const char *const[]){ "true", "YES", "1", "On", NULL }; *s; s++) {
		assert_true(lex_bool("b", *s, &b, err));
		assert_true(b);
	}
	for (const char *const *s = (const char *const[]){ "false", "No", "0", "off", NULL }; *s; s++) {
		assert_true(lex_bool("b", *s, &b, err));
		assert_false(b);
	}
	assert_false(lex_bool("b", "2", &b, err));
}

static void
test_names(void **state)
{
	char err[LEX_ERR_SIZE];
	(void)state;
	assert_true(lex_name("_a9", err));
	assert_true(lex_name("abcdefghijabcdefghijabcdefghija", err));   /* 31 */
	assert_false(lex_name("abcdefghijabcdefghijabcdefghijab", err)); /* 32 */
	assert_false(lex_name("9a", err));
	assert_false(lex_name("a-b", err));
	assert_false(lex_name("a.b", err));
	assert_false(lex_name("", err));
	assert_false(lex_name("caf\xC3\xA9", err));
}

static void
test_expressions(void **state)
{
	char err[LEX_ERR_SIZE];
	struct sc_expr e;
	(void)state;

	static const struct { const char *s; enum sc_base base; char op; int64_t n; } ok[] = {
		{ "42", SC_BASE_CONST, 0, 42 }, { "-42", SC_BASE_CONST, 0, -42 },
		{ "arg", SC_BASE_ARG, 0, 0 }, { "{arg}", SC_BASE_ARG, 0, 0 },
		{ "i", SC_BASE_I, 0, 0 }, { "{i}", SC_BASE_I, 0, 0 }, { "pid", SC_BASE_PID, 0, 0 },
		{ "arg + 1000", SC_BASE_ARG, '+', 1000 }, { "arg+1000", SC_BASE_ARG, '+', 1000 },
		{ "{arg}+1", SC_BASE_ARG, '+', 1 }, { "{arg*2}", SC_BASE_ARG, '*', 2 },
		{ "i - -3", SC_BASE_I, '-', -3 }, { "pid % 7", SC_BASE_PID, '%', 7 },
		{ "i / 2", SC_BASE_I, '/', 2 },
	};
	for (size_t k = 0; k < sizeof(ok) / sizeof(ok[0]); k++) {
		assert_true(lex_expr("x", ok[k].s, &e, err));
		assert_int_equal(e.base, ok[k].base);
		assert_int_equal(e.op, ok[k].op);
		assert_int_equal(e.n, ok[k].n);
	}
	static const char *const bad[] = { "", "argh", "ii", "{i", "i}", "3 + 4", "arg +",
	    "arg ^ 2", "arg * arg", "arg + 1 + 2", "{{i}}", "1e3", "pids",
	    "9999999999999", "arg + 9999999999999" };
	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++)
		assert_false(lex_expr("x", bad[k], &e, err));
	assert_false(lex_expr("return", "arg % 0", &e, err));
	assert_string_equal(err, "division by zero in 'arg % 0' for return");
}

static void
test_ranges_and_signals(void **state)
{
	char err[LEX_ERR_SIZE];
	int64_t lo, hi;
	int sig;
	(void)state;

	assert_true(lex_range("map", "0..9", 100, &lo, &hi, err));
	assert_int_equal(lo, 0);
	assert_int_equal(hi, 9);
	assert_true(lex_range("map", "-3..-3", 100, &lo, &hi, err));
	assert_int_equal(lo, -3);
	assert_int_equal(hi, -3);
	assert_false(lex_range("map", "0..100", 100, &lo, &hi, err));
	assert_string_equal(err, "range 0..100 for map has 101 items (at most 100)");
	assert_false(lex_range("map", "0...3", 100, &lo, &hi, err));
	assert_false(lex_range("map", "..3", 100, &lo, &hi, err));
	assert_false(lex_range("map", "3", 100, &lo, &hi, err));

	static const struct { const char *s; int sig; } ok[] = {
		{ "KILL", SIGKILL }, { "SIGKILL", SIGKILL }, { "kill", SIGKILL }, { "9", SIGKILL },
		{ "SEGV", SIGSEGV }, { "TERM", SIGTERM }, { "ABRT", SIGABRT }, { "40", 40 },
	};
	for (size_t k = 0; k < sizeof(ok) / sizeof(ok[0]); k++) {
		assert_true(lex_signal(ok[k].s, &sig, err));
		assert_int_equal(sig, ok[k].sig);
	}
	static const char *const bad[] = { "STOP", "SIGCONT", "17", "0", "65", "32", "FOO", "" };
	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++)
		assert_false(lex_signal(bad[k], &sig, err));
	assert_string_equal(lex_signal_name(SIGSEGV), "SEGV");
}

static void
test_templates(void **state)
{
	char err[LEX_ERR_SIZE];
	(void)state;
	assert_true(template_check("print", "", err));
	assert_true(template_check("print", "{pid} {ppid} {tid} {arg} {i} {value} {name}", err));
	assert_true(template_check("print", "{{literal}} and }} and {{", err));
	assert_false(template_check("print", "{PID}", err));
	assert_false(template_check("print", "{}", err));
	assert_false(template_check("print", "{pid", err));
	assert_false(template_check("print", "{pi{d}", err));
	assert_false(template_check("print", "a } b", err));
	assert_string_equal(err, "single '}' in the text of print (write }} for a literal brace)");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_split),
		cmocka_unit_test(test_durations),
		cmocka_unit_test(test_integers_and_booleans),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_expressions),
		cmocka_unit_test(test_ranges_and_signals),
		cmocka_unit_test(test_templates),
	};
	return cmocka_run_group_tests_name("scenario lexing", tests, NULL, NULL);
}
