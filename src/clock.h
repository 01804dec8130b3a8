/*
 * clock.h - the daemon's one monotonic clock, in ms, for the loop and the
 * adapters (daemon/loop.c, snmp/txn.c, virt/).  Header-only and here, at
 * the top of src/ beside arasd.h, so that every adapter directory can
 * include it without a directory edge into src/daemon (tools/includes.sh:
 * no include cycle between directories).  src/core never reads a clock:
 * its times come from the caller.
 */
#ifndef ARAS_CLOCK_H
#define ARAS_CLOCK_H

#include <stdint.h>
#include <time.h>

/* clk (CLOCK_MONOTONIC, CLOCK_THREAD_CPUTIME_ID, ...) in ms. */
static inline uint64_t aras_clock_ms(clockid_t clk)
{
	struct timespec ts;

	clock_gettime(clk, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* The monotonic clock in ms: every time the loop and the engine's callers hand around. */
static inline uint64_t aras_mono_ms(void)
{
	return aras_clock_ms(CLOCK_MONOTONIC);
}

#endif
