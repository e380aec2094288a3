/* The JSON-lines writer: escaping of every byte, invalid UTF-8, fields
 * named after scenario objects. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace/jsonl.h"

static char *
string_json(const char *s, size_t n)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	jsonl_write_string(f, s, n);
	fclose(f);
	return buf;
}

static void
test_jsonl_escapes(void **state)
{
	char *j = string_json("a\"b\\c\n\t\x01\x1f\x7f" "d", 11);
	assert_string_equal(j, "\"a\\\"b\\\\c\\n\\t\\u0001\\u001f\\u007fd\"");
	free(j);
	/* valid multi-byte UTF-8 passes through */
	j = string_json("h\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80", 12);
	assert_string_equal(j, "\"h\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"");
	free(j);
	/* invalid: lone continuation, overlong, surrogate, truncated, > U+10FFFF */
	static const char inval[] = "\x80" "\xc0\xaf" "\xed\xa0\x80" "\xe2\x82" "\xf4\x90\x80\x80";
	j = string_json(inval, sizeof(inval) - 1);
	/* every bad byte becomes one U+FFFD: 1 + 2 + 3 + 2 + 4 */
	assert_string_equal(j, "\"" "\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd"
	    "\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd" "\"");
	assert_null(strstr(j, "\x80"));
	assert_non_null(strstr(j, "\\ufffd"));
	for (const char *p = j; *p; p++)
		assert_true((unsigned char)*p < 0x80);
	free(j);
	/* an embedded NUL is a control character too */
	j = string_json("a\0b", 3);
	assert_string_equal(j, "\"a\\u0000b\"");
	free(j);
}

static void
test_jsonl_event_fields(void **state)
{
	struct sc_object objs[2] = {
		{ .kind = SC_QUEUE, .name = "jobs" },
		{ .kind = SC_POOL, .name = "pool" },
	};
	char path[] = "x.ini", title[] = "T \"q\"";
	struct scenario sc = { .path = path, .title = title,
		.timeout_ns = 60000000000LL, .objs = objs, .nobjs = 2 };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct event put = { .t_ns = 1234567890, .pid = 42, .tid = 42, .kind = EV_PUT,
		.obj = 0, .a = 3, .b = 5, .text = "hello", .text_len = 5 };
	struct event cb = { .t_ns = 2000000, .pid = 42, .tid = 43, .kind = EV_CALLBACK,
		.obj = 1, .a = 7, .b = 1007, .c = 0, .text = "1007", .text_len = 4 };

	jsonl_write_header(f, &sc, 20);
	jsonl_write_event(f, &sc, &put);
	jsonl_write_event(f, &sc, &cb);
	struct event neg = { .t_ns = -1500000, .pid = 7, .tid = 7, .kind = EV_EXIT,
		.obj = -1, .a = -9, .b = 9 };
	jsonl_write_event(f, &sc, &neg);
	fclose(f);
	assert_non_null(strstr(buf, "{\"t\":-0.001500,\"pid\":7,\"ev\":\"exit\",\"tid\":7,"
	    "\"status\":-9,\"wstatus\":9}\n"));
	assert_non_null(strstr(buf, "{\"format\":\"ipcscope-trace\",\"version\":2,"));
	assert_non_null(strstr(buf, "\"title\":\"T \\\"q\\\"\""));
	assert_non_null(strstr(buf, "{\"name\":\"jobs\",\"kind\":\"queue\"}"));
	assert_non_null(strstr(buf, "{\"t\":1.234568,\"pid\":42,\"ev\":\"put\",\"tid\":42,"
	    "\"queue\":\"jobs\",\"depth\":3,\"bytes\":5,\"text\":\"hello\"}\n"));
	assert_non_null(strstr(buf, "{\"t\":0.002000,\"pid\":42,\"ev\":\"callback\",\"tid\":43,"
	    "\"pool\":\"pool\",\"task\":7,\"result\":1007,\"callback\":\"callback\",\"text\":\"1007\"}\n"));
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_jsonl_escapes),
		cmocka_unit_test(test_jsonl_event_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
