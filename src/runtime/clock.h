#ifndef IPCSCOPE_CLOCK_H
#define IPCSCOPE_CLOCK_H
/*
 * The scenario clock, shared by every scenario process through the shared
 * region. Durations written in a scenario are scenario time; --speed X makes
 * scenario time run X times faster than real time; pausing freezes it.
 * Sleeps and busy loops follow pause and speed changes made while they run.
 */
#include <stdbool.h>
#include <stdint.h>

#include "runtime/shared.h"

/* ---- observer side (the only writer) ---- */
void clock_init(struct shared_clock *c, double speed);   /* starts the clock now */
void clock_pause(struct shared_clock *c, bool paused);
void clock_set_speed(struct shared_clock *c, double speed);

/* ---- anyone ---- */
int64_t clock_now(struct shared_clock *c);        /* scenario ns since start */
double clock_speed(struct shared_clock *c);
bool clock_paused(struct shared_clock *c);
/* Real ns that 'scen_ns' of scenario time takes at the current speed. */
int64_t clock_to_real(struct shared_clock *c, int64_t scen_ns);

/* Sleep until scenario time 'deadline' (follows pause / speed changes). */
void clock_sleep_until(struct shared_clock *c, int64_t deadline);
/* Burn CPU until scenario time 'deadline'. */
void clock_busy_until(struct shared_clock *c, int64_t deadline);

#endif
