/*
 * rate.h - counter arithmetic for usage figures: deltas that survive a
 * counter reset (a new QEMU process after migration starts again at 0),
 * saturating per-second rates and clamped percentages.
 */
#ifndef ARAS_RATE_H
#define ARAS_RATE_H

#include <stdint.h>

/* cur - prev, or 0 when the counter went backwards (reset); *reset set to 1 then. */
uint64_t aras_counter_delta(uint64_t prev, uint64_t cur, int *reset);

/* delta per second over dt_ms, saturated to UINT32_MAX; 0 when dt_ms == 0. */
uint32_t aras_rate_per_sec(uint64_t delta, uint64_t dt_ms);

/* 100 * part / whole rounded to nearest, clamped to 0..100; 0 when whole == 0. */
unsigned aras_percent(uint64_t part, uint64_t whole);

#endif
