#include "runtime/clock.h"

#include <math.h>

#include "util/futex.h"

static void
write_begin(struct shared_clock *c)
{
	atomic_fetch_add(&c->seq, 1);
}

static void
write_end(struct shared_clock *c)
{
	atomic_fetch_add(&c->seq, 1);
	atomic_fetch_add(&c->gen, 1);
	futex_wake_all(&c->gen);
}

void
clock_init(struct shared_clock *c, double speed)
{
	int64_t now = mono_ns();

	write_begin(c);
	atomic_store(&c->start_ns, now);
	atomic_store(&c->base_real, now);
	atomic_store(&c->base_scen, 0);
	atomic_store(&c->speed_milli, (int64_t)llround(speed * 1000.0));
	atomic_store(&c->pause_since, 0);
	write_end(c);
}

/* Scenario time at real time 'real', read consistently. */
static int64_t
scen_at(struct shared_clock *c, int64_t real, int64_t *speed_out, bool *paused_out)
{
	uint32_t s1, s2;
	int64_t br, bs, sp, ps;

	do {
		s1 = atomic_load(&c->seq);
		br = atomic_load(&c->base_real);
		bs = atomic_load(&c->base_scen);
		sp = atomic_load(&c->speed_milli);
		ps = atomic_load(&c->pause_since);
		s2 = atomic_load(&c->seq);
	} while ((s1 & 1) || s1 != s2);
	if (speed_out)
		*speed_out = sp;
	if (paused_out)
		*paused_out = ps != 0;
	if (ps)
		real = ps;
	if (real < br)
		real = br;
	return bs + (int64_t)((double)(real - br) * (double)sp / 1000.0);
}

int64_t
clock_now(struct shared_clock *c)
{
	return scen_at(c, mono_ns(), NULL, NULL);
}

void
clock_pause(struct shared_clock *c, bool paused)
{
	int64_t now = mono_ns();

	if (paused == (atomic_load(&c->pause_since) != 0))
		return;
	write_begin(c);
	if (paused) {
		atomic_store(&c->pause_since, now);
	} else {
		/* Rebase: scenario time resumes where it froze. */
		int64_t ps = atomic_load(&c->pause_since);
		int64_t br = atomic_load(&c->base_real);
		int64_t sp = atomic_load(&c->speed_milli);
		int64_t bs = atomic_load(&c->base_scen);
		atomic_store(&c->base_scen, bs + (int64_t)((double)(ps - br) * (double)sp / 1000.0));
		atomic_store(&c->base_real, now);
		atomic_store(&c->pause_since, 0);
	}
	write_end(c);
}

void
clock_set_speed(struct shared_clock *c, double speed)
{
	int64_t now = mono_ns();
	int64_t scen = scen_at(c, now, NULL, NULL);

	if (speed < 0.01)
		speed = 0.01;
	if (speed > 1000.0)
		speed = 1000.0;
	write_begin(c);
	atomic_store(&c->base_scen, scen);
	atomic_store(&c->base_real, now);
	if (atomic_load(&c->pause_since))
		atomic_store(&c->pause_since, now);
	atomic_store(&c->speed_milli, (int64_t)llround(speed * 1000.0));
	write_end(c);
}

double
clock_speed(struct shared_clock *c)
{
	return (double)atomic_load(&c->speed_milli) / 1000.0;
}

bool
clock_paused(struct shared_clock *c)
{
	return atomic_load(&c->pause_since) != 0;
}

int64_t
clock_to_real(struct shared_clock *c, int64_t scen_ns)
{
	int64_t sp = atomic_load(&c->speed_milli);

	if (sp <= 0)
		sp = 1000;
	return (int64_t)((double)scen_ns * 1000.0 / (double)sp);
}

void
clock_sleep_until(struct shared_clock *c, int64_t deadline)
{
	for (;;) {
		uint32_t gen = atomic_load(&c->gen);
		int64_t sp;
		bool paused;
		int64_t now = scen_at(c, mono_ns(), &sp, &paused);
		if (now >= deadline)
			return;
		int64_t wait = paused ? -1 : (int64_t)((double)(deadline - now) * 1000.0 / (double)sp) + 1;
		futex_wait(&c->gen, gen, wait);
	}
}

void
clock_busy_until(struct shared_clock *c, int64_t deadline)
{
	volatile uint64_t x = 1;

	while (clock_now(c) < deadline)
		for (int i = 0; i < 2000; i++)
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
}
