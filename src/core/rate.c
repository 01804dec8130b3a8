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
	uint64_t q, rem, r;

	if (dt_ms == 0)
		return 0;
	/* Split so that nothing overflows: q whole units per ms, rem the rest. */
	q = delta / dt_ms;
	rem = delta % dt_ms;
	if (q > UINT32_MAX / 1000)
		return UINT32_MAX;
	r = q * 1000 + (dt_ms <= UINT64_MAX / 1000 ? (rem * 1000 + dt_ms / 2) / dt_ms : rem / (dt_ms / 1000));
	return r > UINT32_MAX ? UINT32_MAX : (uint32_t)r;
}

unsigned aras_percent(uint64_t part, uint64_t whole)
{
	uint64_t p;

	if (whole == 0)
		return 0;
	if (part >= whole)
		return 100;
	/* Scale both down until part * 100 + whole / 2 cannot overflow. */
	while (whole > UINT64_MAX / 128) {
		part >>= 1;
		whole >>= 1;
	}
	p = (part * 100 + whole / 2) / whole;
	return p > 100 ? 100 : (unsigned)p;
}
