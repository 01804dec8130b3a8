/*
 * test_rate.c - counter deltas, per-second rates and percentages
 * (src/core/rate.c).  Table driven: each row names itself, and a failing
 * row is reported with its name and the got/want values.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "testlib.h"

#include "core/rate.h"

/* ---- aras_counter_delta ------------------------------------------------ */

static const struct {
	const char *name;
	uint64_t prev, cur, want;
	int want_reset;
} delta_cases[] = {
	{ "normal", 100, 250, 150, 0 },
	{ "from zero", 0, 7, 7, 0 },
	{ "equal", 42, 42, 0, 0 },
	{ "equal zero", 0, 0, 0, 0 },
	{ "reset to zero", 1000, 0, 0, 1 },
	{ "reset to smaller", 1000, 999, 0, 1 },
	{ "full range", 0, UINT64_MAX, UINT64_MAX, 0 },
	{ "top of range", UINT64_MAX - 1, UINT64_MAX, 1, 0 },
	{ "reset from max", UINT64_MAX, 0, 0, 1 },
};

static void delta_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(delta_cases) / sizeof(delta_cases[0]); i++) {
		int reset = 0;
		uint64_t d = aras_counter_delta(delta_cases[i].prev, delta_cases[i].cur, &reset);

		CHECK_U64(delta_cases[i].name, d, delta_cases[i].want);
		CHECK_U64(delta_cases[i].name, reset, delta_cases[i].want_reset);
	}
}

/* reset is only ever set, never cleared: one flag can collect several deltas. */
static void delta_reset_is_sticky(void **state)
{
	int reset = 0;

	(void)state;
	assert_int_equal(aras_counter_delta(10, 5, &reset), 0);
	assert_int_equal(reset, 1);
	assert_int_equal(aras_counter_delta(5, 10, &reset), 5);
	assert_int_equal(reset, 1);
}

static void delta_null_reset_pointer(void **state)
{
	(void)state;
	assert_int_equal(aras_counter_delta(10, 5, NULL), 0);
	assert_int_equal(aras_counter_delta(5, 10, NULL), 5);
}

/* ---- aras_rate_per_sec ------------------------------------------------- */

static const struct {
	const char *name;
	uint64_t delta, dt_ms;
	uint32_t want;
} rate_cases[] = {
	{ "exact", 1000, 1000, 1000 },
	{ "10 s interval", 10485760, 10000, 1048576 },
	{ "round down below half", 12344, 10000, 1234 }, /* 1234.4 */
	{ "round half up", 12345, 10000, 1235 },         /* 1234.5 */
	{ "round up above half", 12346, 10000, 1235 },   /* 1234.6 */
	{ "below half a unit", 4, 10000, 0 },            /* 0.4 */
	{ "half a unit", 5, 10000, 1 },                  /* 0.5 */
	{ "sub-second interval", 3, 500, 6 },
	{ "odd interval", 1, 3, 333 },    /* 333.33 */
	{ "odd interval up", 2, 3, 667 }, /* 666.67 */
	{ "zero delta", 0, 10000, 0 },
	{ "dt 0", 12345, 0, 0 },
	{ "dt 0 huge delta", UINT64_MAX, 0, 0 },
	{ "exactly UINT32_MAX", (uint64_t)UINT32_MAX * 10, 10000, UINT32_MAX },
	{ "one above UINT32_MAX", (uint64_t)UINT32_MAX * 10 + 10, 10000, UINT32_MAX },
	{ "saturate", (uint64_t)UINT32_MAX * 1000, 1, UINT32_MAX },
	{ "saturate 1 ms", 4294968, 1, UINT32_MAX }, /* 4 294 968 000/s */
	{ "just below saturation", 4294967, 1, 4294967000u },
	/* deltas above UINT64_MAX / 1000 take the divide-first branch */
	{ "huge delta, huge dt", UINT64_MAX / 2, UINT64_MAX / 4, 2000 },
	{ "huge delta, 10 s", UINT64_MAX, 10000, UINT32_MAX },
	{ "huge delta, 1 ms", UINT64_MAX, 1, UINT32_MAX },
	{ "largest non-huge delta, 1 s", UINT64_MAX / 1000, 1000, UINT32_MAX },
};

static void rate_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(rate_cases) / sizeof(rate_cases[0]); i++)
		CHECK_U64(rate_cases[i].name, aras_rate_per_sec(rate_cases[i].delta, rate_cases[i].dt_ms),
			  rate_cases[i].want);
}

/* Monotone in delta for a fixed interval, across the saturation point. */
static void rate_monotone(void **state)
{
	uint32_t prev = 0;

	(void)state;
	for (uint64_t d = 0; d < 1000000000000000ull; d = d * 3 + 7) {
		uint32_t r = aras_rate_per_sec(d, 10000);

		if (r < prev)
			fail_msg("rate(%llu, 10000) = %u < rate of a smaller delta (%u)",
				 (unsigned long long)d, r, prev);
		prev = r;
	}
	assert_int_equal(prev, UINT32_MAX);
}

/*
 * Regression (was a bug in aras_rate_per_sec, fixed): both branches could
 * wrap instead of saturating.
 *  - for delta > UINT64_MAX / 1000, delta / dt_ms * 1000 wrapped when
 *    delta / dt_ms > UINT64_MAX / 1000: 18446744073709552 bytes in 1 ms gave
 *    384, 2^63 bytes in 1 ms gave 0.
 *  - delta * 1000 + dt_ms / 2 wrapped for delta just below UINT64_MAX / 1000
 *    (UINT64_MAX - 1000 * (UINT64_MAX / 1000) is only 615): UINT64_MAX / 1000
 *    bytes in 10 s gave 0.
 * All of these must saturate at UINT32_MAX.
 */
static void regress_rate_huge_delta_saturates(void **state)
{
	(void)state;
	CHECK_U64("ceil(2^64 / 1000) bytes in 1 ms", aras_rate_per_sec(18446744073709552ull, 1), UINT32_MAX);
	CHECK_U64("2^63 bytes in 1 ms", aras_rate_per_sec(1ull << 63, 1), UINT32_MAX);
	CHECK_U64("2^63 bytes in 2 ms", aras_rate_per_sec(1ull << 63, 2), UINT32_MAX);
	CHECK_U64("UINT64_MAX / 1000 bytes in 10 s", aras_rate_per_sec(UINT64_MAX / 1000, 10000), UINT32_MAX);
}

/* ---- aras_percent ------------------------------------------------------ */

static const struct {
	const char *name;
	uint64_t part, whole;
	unsigned want;
} pct_cases[] = {
	{ "zero", 0, 100, 0 },
	{ "half", 50, 100, 50 },
	{ "quarter", 1, 4, 25 },
	{ "third rounds down", 1, 3, 33 },    /* 33.33 */
	{ "two thirds rounds up", 2, 3, 67 }, /* 66.67 */
	{ "x.5 rounds up", 1, 8, 13 },        /* 12.5 */
	{ "below half", 4, 1000, 0 },         /* 0.4 */
	{ "half of a percent", 5, 1000, 1 },  /* 0.5 */
	{ "99.4", 994, 1000, 99 },
	{ "99.5", 995, 1000, 100 },
	{ "whole", 100, 100, 100 },
	{ "above whole clamps", 150, 100, 100 },
	{ "far above whole", UINT64_MAX, 1, 100 },
	{ "whole 0", 0, 0, 0 },
	{ "whole 0, part > 0", 5, 0, 0 },
	{ "whole 0, part max", UINT64_MAX, 0, 0 },
	{ "huge, equal", UINT64_MAX, UINT64_MAX, 100 },
	{ "huge, half", UINT64_MAX / 2, UINT64_MAX, 50 },
	{ "huge, one less", UINT64_MAX - 1, UINT64_MAX, 100 },
	{ "cpu 25 %", 5000000000ull, 20000000000ull, 25 },
	{ "cpu 25.25 %", 5050000000ull, 20000000000ull, 25 },
	{ "small part of huge whole", 1, UINT64_MAX, 0 },
};

static void percent_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(pct_cases) / sizeof(pct_cases[0]); i++)
		CHECK_U64(pct_cases[i].name, aras_percent(pct_cases[i].part, pct_cases[i].whole),
			  pct_cases[i].want);
}

/* Exhaustive over a small range against the obvious formula. */
static void percent_matches_reference(void **state)
{
	(void)state;
	for (uint64_t whole = 1; whole <= 300; whole++) {
		for (uint64_t part = 0; part <= whole + 5; part++) {
			uint64_t want = (part * 200 + whole) / (2 * whole);

			if (want > 100)
				want = 100;
			if (aras_percent(part, whole) != want)
				fail_msg("percent(%llu, %llu) = %u, want %llu", (unsigned long long)part,
					 (unsigned long long)whole, aras_percent(part, whole),
					 (unsigned long long)want);
		}
	}
}

/*
 * Regression (was a bug in aras_percent, fixed): part * 100 + whole / 2
 * overflowed when part was close to UINT64_MAX / 100 and whole above 2^63:
 * percent(UINT64_MAX / 100, UINT64_MAX) is 0.99999... % and must round to
 * 1, the old code returned 0.
 */
static void regress_percent_rounding_no_overflow(void **state)
{
	(void)state;
	CHECK_U64("1 % of UINT64_MAX", aras_percent(UINT64_MAX / 100, UINT64_MAX), 1);
}

/*
 * Regression (was a bug in aras_percent, fixed): for part > UINT64_MAX / 100
 * the result was part / (whole / 100), truncated, not rounded to nearest as
 * rate.h says: 99.6 % came out as 99.
 */
static void regress_percent_huge_rounded(void **state)
{
	uint64_t whole = 1000ull << 50; /* 1.1e18, part > UINT64_MAX / 100 */
	uint64_t part = 996ull << 50;   /* exactly 99.6 % */

	(void)state;
	CHECK_U64("99.6 % of 1.1e18", aras_percent(part, whole), 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(delta_table),
		cmocka_unit_test(delta_reset_is_sticky),
		cmocka_unit_test(delta_null_reset_pointer),
		cmocka_unit_test(rate_table),
		cmocka_unit_test(rate_monotone),
		cmocka_unit_test(regress_rate_huge_delta_saturates),
		cmocka_unit_test(percent_table),
		cmocka_unit_test(percent_matches_reference),
		cmocka_unit_test(regress_percent_rounding_no_overflow),
		cmocka_unit_test(regress_percent_huge_rounded),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
