/*
 * test_cpuset.c - src/core/cpuset.c: libvirt's cpuset syntax (ranges,
 * single CPUs, exclusions in order), "" = every CPU, bad text = -1.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "core/cpuset.h"

static void test_cpuset(void **unused)
{
	static const struct {
		const char *set;
		unsigned cpu;
		int want;
	} cases[] = {
		{ "", 0, 1 },      { NULL, 63, 1 },      { "0-3", 0, 1 },       { "0-3", 3, 1 },
		{ "0-3", 4, 0 },   { "0-3,^2", 2, 0 },   { "0-3,^2", 1, 1 },    { "8", 8, 1 },
		{ "8", 7, 0 },     { "0-3,^2,2", 2, 1 }, { " 1 , 5-6 ", 6, 1 }, { "^2", 1, -1 },
		{ "3-1", 2, -1 },  { "a", 0, -1 },       { "1,,2", 1, -1 },     { "^1-2", 1, -1 },
		{ "0-3x", 1, -1 },
	};

	(void)unused;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		assert_int_equal(aras_cpuset_has(cases[i].set, cases[i].cpu), cases[i].want);
}

int main(void)
{
	const struct CMUnitTest tests[] = { cmocka_unit_test(test_cpuset) };

	return cmocka_run_group_tests(tests, NULL, NULL);
}
