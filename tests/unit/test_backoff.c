/*
 * test_backoff.c - retry backoff of failed actions (src/core/backoff.c):
 * growing waits per VM and per host, one probe per host wait, a success
 * ends the streak, a fast-failing loop stays within a bounded rate, and
 * pruning drops the entries of VMs that are gone (only those).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "core/backoff.h"

static const uint8_t vm1[ARAS_UUID_LEN] = { 1 };
static const uint8_t vm2[ARAS_UUID_LEN] = { 2 };

static void test_wait_doubles_and_caps(void **st)
{
	(void)st;
	assert_int_equal(aras_backoff_wait(0, 1000, 8000), 0);
	assert_int_equal(aras_backoff_wait(1, 1000, 8000), 1000);
	assert_int_equal(aras_backoff_wait(2, 1000, 8000), 2000);
	assert_int_equal(aras_backoff_wait(4, 1000, 8000), 8000);
	assert_int_equal(aras_backoff_wait(5, 1000, 8000), 8000);
	assert_int_equal(aras_backoff_wait(UINT32_MAX, 1000, 8000), 8000);
}

static void test_vm_and_host_wait(void **st)
{
	struct aras_backoff b;
	uint32_t streak = 0;

	(void)st;
	aras_backoff_init(&b);
	assert_int_equal(aras_backoff_admit(&b, vm1, 1, 0), 1);
	assert_int_equal(aras_backoff_result(&b, vm1, 1, 0, 0, &streak), ARAS_BACKOFF_HOST_BASE_MS);
	assert_int_equal(streak, 1);
	/* the host waits its base, the VM longer */
	assert_int_equal(aras_backoff_admit(&b, vm2, 1, ARAS_BACKOFF_HOST_BASE_MS - 1), 0);
	assert_int_equal(aras_backoff_admit(&b, vm2, 1, ARAS_BACKOFF_HOST_BASE_MS), 1);
	assert_int_equal(aras_backoff_admit(&b, vm1, 1, ARAS_BACKOFF_HOST_BASE_MS * 10), 0);
	assert_int_equal(aras_backoff_admit(&b, vm1, 2, ARAS_BACKOFF_VM_BASE_MS - 1), 0);
	assert_int_equal(aras_backoff_admit(&b, vm1, 2, ARAS_BACKOFF_VM_BASE_MS), 1);
	/* another host is not held */
	assert_int_equal(aras_backoff_admit(&b, vm2, 3, 1), 1);
	assert_true(b.deferred == 3);
	/* a second failure doubles the host's wait */
	assert_int_equal(aras_backoff_result(&b, vm2, 1, 0, 10000, &streak), 2 * ARAS_BACKOFF_HOST_BASE_MS);
	assert_int_equal(streak, 2);
	/* success ends both streaks */
	assert_int_equal(aras_backoff_result(&b, vm2, 1, 1, 10001, &streak), 0);
	assert_int_equal(aras_backoff_admit(&b, vm2, 1, 10002), 1);
	aras_backoff_free(&b);
}

static void test_one_probe_per_wait(void **st)
{
	struct aras_backoff b;

	(void)st;
	aras_backoff_init(&b);
	aras_backoff_result(&b, vm1, 1, 0, 0, NULL);
	/* many VMs want to leave the host: only one starts per wait */
	assert_int_equal(aras_backoff_admit(&b, vm2, 1, 5000), 1);
	for (int i = 0; i < 50; i++) {
		uint8_t u[ARAS_UUID_LEN] = { 9, (uint8_t)i };

		assert_int_equal(aras_backoff_admit(&b, u, 1, 5000), 0);
	}
	aras_backoff_free(&b);
}

/* A loop that retries as fast as it can against a host that always fails. */
static void test_fast_failures_bounded(void **st)
{
	struct aras_backoff b;
	unsigned started = 0;

	(void)st;
	aras_backoff_init(&b);
	for (uint64_t t = 0; t < 3600000; t += 10) {
		uint8_t u[ARAS_UUID_LEN] = { 7, (uint8_t)(t % 200), (uint8_t)(t / 200 % 200) };

		if (aras_backoff_admit(&b, u, 1, t)) {
			started++;
			aras_backoff_result(&b, u, 1, 0, t, NULL);
		}
	}
	/* 2+4+...+512 s, then one per 600 s: about 15 tries in an hour */
	assert_in_range(started, 10, 20);
	aras_backoff_free(&b);
}

/* keep(): every VM but vm2 is still there */
static int not_vm2(const uint8_t uuid[ARAS_UUID_LEN], void *arg)
{
	(void)arg;
	return memcmp(uuid, vm2, ARAS_UUID_LEN) != 0;
}

static void test_prune_drops_only_gone_vms(void **st)
{
	static const uint8_t vm3[ARAS_UUID_LEN] = { 3 };
	struct aras_backoff b;

	(void)st;
	aras_backoff_init(&b);
	/* entries: vm2, host 1, vm1, vm3 (vm2 first: the last one moves into its slot) */
	aras_backoff_result(&b, vm2, 1, 0, 0, NULL);
	aras_backoff_result(&b, vm1, 0, 0, 0, NULL);
	aras_backoff_result(&b, vm3, 0, 0, 0, NULL);
	aras_backoff_result(&b, vm2, 0, 0, 0, NULL);
	assert_int_equal(b.n, 4);
	assert_int_equal(aras_backoff_prune(&b, not_vm2, NULL), 1);
	assert_int_equal(b.n, 3);
	/* vm1 and vm3 keep their streak, host 1 too; vm2 starts afresh */
	assert_int_equal(aras_backoff_admit(&b, vm1, 0, 1000), 0);
	assert_int_equal(aras_backoff_admit(&b, vm3, 0, 1000), 0);
	assert_int_equal(aras_backoff_admit(&b, vm2, 0, 1000), 1);
	assert_int_equal(aras_backoff_admit(&b, vm1, 1, ARAS_BACKOFF_VM_BASE_MS), 1);
	assert_int_equal(aras_backoff_prune(&b, not_vm2, NULL), 0);
	aras_backoff_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wait_doubles_and_caps),
		cmocka_unit_test(test_vm_and_host_wait),
		cmocka_unit_test(test_one_probe_per_wait),
		cmocka_unit_test(test_fast_failures_bounded),
		cmocka_unit_test(test_prune_drops_only_gone_vms),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
