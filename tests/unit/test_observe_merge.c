/* The observer's merge: time order across rings, hold-back, late events,
 * texts kept intact while held. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "observe/merge.h"

struct seen {
	int64_t t[4096];
	int64_t a[4096];
	char text[4096][32];
	int n;
};

static void
collect(void *ud, const struct event *ev)
{
	struct seen *s = ud;

	assert_true(s->n < 4096);
	s->t[s->n] = ev->t_ns;
	s->a[s->n] = ev->a;
	snprintf(s->text[s->n], sizeof(s->text[0]), "%s", ev->text ? ev->text : "");
	s->n++;
}

static void
add(struct merge *m, int64_t t, int64_t a, const char *text)
{
	struct event ev = { .t_ns = t, .kind = EV_PRINT, .a = a, .obj = -1,
		.text = text, .text_len = text ? (uint32_t)strlen(text) : 0 };
	merge_add(m, &ev);
}

/* Three "rings" drained one after the other, each in order, interleaved in
 * time: the merge hands them out sorted, ties in arrival order. */
static void
test_merge_orders_across_rings(void **state)
{
	struct merge *m = merge_new();
	struct seen *s = calloc(1, sizeof(*s));
	char buf[32];

	for (int ring = 0; ring < 3; ring++)
		for (int i = 0; i < 100; i++) {
			snprintf(buf, sizeof buf, "r%d-%d", ring, i);
			add(m, i * 30 + ring * 10, ring * 1000 + i, buf);
		}
	add(m, 50, 9999, "tie");     /* same time as ring 2, event 1: after it */
	assert_int_equal(merge_deliver(m, INT64_MAX, collect, s), 301);
	for (int k = 1; k < s->n; k++)
		assert_true(s->t[k - 1] <= s->t[k]);
	/* 0 r0-0, 10 r1-0, 20 r2-0, 30 r0-1, 40 r1-1, 50 r2-1, 50 tie */
	assert_string_equal(s->text[1], "r1-0");
	assert_string_equal(s->text[5], "r2-1");
	assert_string_equal(s->text[6], "tie");
	for (int k = 0; k < s->n; k++) {
		if (s->a[k] == 9999)
			continue;
		snprintf(buf, sizeof buf, "r%d-%d", (int)(s->a[k] / 1000), (int)(s->a[k] % 1000));
		assert_string_equal(s->text[k], buf);
	}
	free(s);
	merge_free(m);
}

/* Only events at or before the cut-off leave; the rest wait with their
 * texts intact; a late event is raised to the frontier and counted. */
static void
test_merge_holdback_and_late(void **state)
{
	struct merge *m = merge_new();
	struct seen *s = calloc(1, sizeof(*s));

	add(m, 100, 1, "one");
	add(m, 300, 3, "three");
	add(m, 200, 2, "two");
	add(m, 400, 4, NULL);
	assert_int_equal(merge_deliver(m, 250, collect, s), 2);
	assert_int_equal(merge_pending(m), 2);
	assert_int_equal(s->a[0], 1);
	assert_int_equal(s->a[1], 2);
	assert_int_equal(merge_frontier(m), 200);
	add(m, 150, 5, "late");              /* older than what left already */
	add(m, 350, 6, "six");
	assert_int_equal(merge_deliver(m, 360, collect, s), 3);
	assert_int_equal(s->a[2], 5);
	assert_int_equal(s->t[2], 200);      /* raised to the frontier */
	assert_string_equal(s->text[2], "late");
	assert_int_equal(s->a[3], 3);
	assert_string_equal(s->text[3], "three");
	assert_string_equal(s->text[4], "six");
	assert_int_equal(merge_late(m), 1);
	assert_int_equal(merge_deliver(m, INT64_MAX, collect, s), 1);
	assert_int_equal(s->a[5], 4);
	assert_string_equal(s->text[5], "");
	assert_int_equal(merge_pending(m), 0);
	free(s);
	merge_free(m);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_merge_orders_across_rings),
		cmocka_unit_test(test_merge_holdback_and_late),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
