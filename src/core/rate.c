/*
 * rate.c - see rate.h.
 */
#include "rate.h"

uint64_t aras_counter_delta(uint64_t prev, uint64_t cur, int *reset)
{
	if (cur < prev) {
		if (reset)
			*reset = 1;
		return 0;
	}
	return cur - prev;
}

uint32_t aras_rate_per_sec(uint64_t delta, uint64_t dt_ms)
{
	uint64_t r;

	if (dt_ms == 0)
		return 0;
	/* delta * 1000 overflows only for deltas above 1.8e16; divide first then. */
	if (delta > UINT64_MAX / 1000)
		r = delta / dt_ms * 1000;
	else
		r = (delta * 1000 + dt_ms / 2) / dt_ms;
	return r > UINT32_MAX ? UINT32_MAX : (uint32_t)r;
}

unsigned aras_percent(uint64_t part, uint64_t whole)
{
	uint64_t p;

	if (whole == 0)
		return 0;
	if (part >= whole)
		return 100;
	if (part > UINT64_MAX / 100)
		p = part / (whole / 100);
	else
		p = (part * 100 + whole / 2) / whole;
	return p > 100 ? 100 : (unsigned)p;
}
