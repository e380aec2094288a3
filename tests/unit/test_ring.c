/* Event rings: lossless, ordered, text intact, across real processes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "event/ring.h"

struct tally {
	long n[4];          /* events seen per writer */
	long bad_order, bad_text;
	long texts;
};

static void
on_event(void *ud, const struct event *ev)
{
	struct tally *t = ud;
	int w = (int)ev->obj;

	if (ev->a != t->n[w])
		t->bad_order++;
	t->n[w]++;
	if (ev->text_len) {
		char want[200];
		int len = snprintf(want, sizeof want, "writer %d event %lld %0*d", w,
		    (long long)ev->a, (int)(ev->a % 120), 7);
		if ((uint32_t)len != ev->text_len || strcmp(want, ev->text) != 0)
			t->bad_text++;
		t->texts++;
	}
}

static struct ring_area *
map_area(int nslots)
{
	size_t sz = ring_area_size(nslots);
	void *mem = mmap(NULL, sz, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	assert_true(mem != MAP_FAILED);
	return ring_area_init(mem, nslots);
}

/* 3 writer processes x 200,000 events, every 7th with a text of varying
 * length (some spanning several records), drained while they write. */
static void
test_ring_lossless_ordered(void **state)
{
	enum { WRITERS = 3, PER = 200000 };
	struct ring_area *ra = map_area(8);
	struct tally t = { 0 };
	pid_t pids[WRITERS];

	for (int w = 0; w < WRITERS; w++) {
		pids[w] = fork();
		assert_true(pids[w] >= 0);
		if (pids[w] == 0) {
			int slot = ring_claim(ra, getpid(), getpid());
			char text[200];
			for (long i = 0; i < PER; i++) {
				struct event ev = { .t_ns = i, .pid = getpid(), .kind = EV_PRINT,
					.obj = w, .a = i };
				if (i % 7 == 0) {
					ev.text_len = (uint32_t)snprintf(text, sizeof text,
					    "writer %d event %ld %0*d", w, i, (int)(i % 120), 7);
					ev.text = text;
				}
				ring_emit(ra, slot, &ev);
			}
			ring_release(ra, slot);
			_exit(0);
		}
	}
	int done = 0;
	while (done < WRITERS) {
		ring_drain_all(ra, on_event, &t);
		int st;
		pid_t p = waitpid(-1, &st, WNOHANG);
		if (p > 0) {
			assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
			done++;
		}
	}
	ring_drain_all(ra, on_event, &t);
	for (int w = 0; w < WRITERS; w++)
		assert_int_equal(t.n[w], PER);
	assert_int_equal(t.bad_order, 0);
	assert_int_equal(t.bad_text, 0);
	assert_int_equal(t.texts, WRITERS * ((PER + 6) / 7));
	/* every slot was released and drained, so all are free again */
	for (int s = 0; s < ring_nslots(ra); s++)
		assert_int_equal(ring_slot_pid(ra, s), 0);
	munmap(ra, ring_area_size(8));
}

/* A writer that fills its ring waits (and the wait is counted) until the
 * observer drains: nothing is dropped. */
static void
test_ring_full_waits(void **state)
{
	struct ring_area *ra = map_area(2);
	struct tally t = { 0 };
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		int slot = ring_claim(ra, getpid(), getpid());
		for (long i = 0; i < 3 * RING_RECORDS; i++) {
			struct event ev = { .kind = EV_PRINT, .obj = 0, .a = i };
			ring_emit(ra, slot, &ev);
		}
		ring_release(ra, slot);
		_exit(0);
	}
	usleep(200000);   /* the writer is stuck on a full ring by now */
	assert_true(ring_waits(ra) >= 1);
	int st;
	while (waitpid(pid, &st, WNOHANG) == 0)
		ring_drain_all(ra, on_event, &t);
	ring_drain_all(ra, on_event, &t);
	assert_int_equal(t.n[0], 3 * RING_RECORDS);
	assert_int_equal(t.bad_order, 0);
	munmap(ra, ring_area_size(2));
}

/* A SIGKILLed writer's slot is recovered with ring_release_pid. */
static void
test_ring_release_dead_pid(void **state)
{
	struct ring_area *ra = map_area(1);
	struct tally t = { 0 };
	int fds[2];

	assert_int_equal(pipe(fds), 0);
	pid_t pid = fork();
	if (pid == 0) {
		int slot = ring_claim(ra, getpid(), getpid());
		struct event ev = { .kind = EV_PRINT, .obj = 0, .a = 0 };
		ring_emit(ra, slot, &ev);
		(void)!write(fds[1], "x", 1);
		pause();
		_exit(0);
	}
	char c;
	assert_int_equal(read(fds[0], &c, 1), 1);
	assert_int_equal(ring_slot_pid(ra, 0), pid);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	ring_release_pid(ra, pid);
	ring_drain_all(ra, on_event, &t);
	assert_int_equal(t.n[0], 1);
	assert_int_equal(ring_slot_pid(ra, 0), 0);
	close(fds[0]);
	close(fds[1]);
	munmap(ra, ring_area_size(1));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ring_lossless_ordered),
		cmocka_unit_test(test_ring_full_waits),
		cmocka_unit_test(test_ring_release_dead_pid),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
