/*
 * test_vmstate.c - src/core/vmstate.c: libvirt state + reason -> RFC 7666
 * operational state, the "state: reason" text, which command each state
 * allows, the outcome of each command, and the notification limit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "testlib.h"

#include "core/model.h"
#include "core/plan.h"
#include "core/vmstate.h"

static void test_oper(void **unused)
{
	static const struct {
		int st, reason, saved, busy, want;
	} cases[] = {
		{ ARAS_VM_RUNNING, 1, 0, ARAS_BUSY_NONE, ARAS_OPER_RUNNING },
		/* RFC 7666 has no blocked: up and scheduled, so running */
		{ ARAS_VM_BLOCKED, 0, 0, ARAS_BUSY_NONE, ARAS_OPER_RUNNING },
		{ ARAS_VM_PAUSED, 1 /* user */, 0, ARAS_BUSY_NONE, ARAS_OPER_PAUSED },
		{ ARAS_VM_PAUSED, 5 /* ioerror */, 0, ARAS_BUSY_NONE, ARAS_OPER_PAUSED },
		{ ARAS_VM_PAUSED, 2 /* migration */, 0, ARAS_BUSY_NONE, ARAS_OPER_MIGRATING },
		{ ARAS_VM_PAUSED, 3 /* save */, 0, ARAS_BUSY_NONE, ARAS_OPER_SUSPENDING },
		{ ARAS_VM_PAUSED, 8 /* shutting down */, 0, ARAS_BUSY_NONE, ARAS_OPER_SHUTTINGDOWN },
		{ ARAS_VM_PAUSED, 10 /* crashed */, 0, ARAS_BUSY_NONE, ARAS_OPER_CRASHED },
		{ ARAS_VM_PAUSED, 11 /* starting up */, 0, ARAS_BUSY_NONE, ARAS_OPER_PREPARING },
		{ ARAS_VM_SHUTDOWN, 1, 0, ARAS_BUSY_NONE, ARAS_OPER_SHUTTINGDOWN },
		{ ARAS_VM_SHUTOFF, 1, 0, ARAS_BUSY_NONE, ARAS_OPER_SHUTDOWN },
		{ ARAS_VM_SHUTOFF, 3 /* crashed */, 0, ARAS_BUSY_NONE, ARAS_OPER_CRASHED },
		{ ARAS_VM_SHUTOFF, 5 /* saved */, 1, ARAS_BUSY_NONE, ARAS_OPER_SUSPENDED },
		{ ARAS_VM_CRASHED, 1, 0, ARAS_BUSY_NONE, ARAS_OPER_CRASHED },
		{ ARAS_VM_PMSUSPENDED, 0, 0, ARAS_BUSY_NONE, ARAS_OPER_PAUSED },
		{ ARAS_VM_OTHER, 0, 0, ARAS_BUSY_NONE, ARAS_OPER_OTHER },
		{ 0, 0, 0, ARAS_BUSY_NONE, ARAS_OPER_UNKNOWN },
		/* what arasd is doing wins */
		{ ARAS_VM_RUNNING, 1, 0, ARAS_BUSY_MIGRATING, ARAS_OPER_MIGRATING },
		{ ARAS_VM_RUNNING, 1, 0, ARAS_BUSY_SAVING, ARAS_OPER_SUSPENDING },
		{ ARAS_VM_SHUTOFF, 5, 1, ARAS_BUSY_RESTORING, ARAS_OPER_RESUMING },
		{ ARAS_VM_SHUTOFF, 1, 0, ARAS_BUSY_STARTING, ARAS_OPER_PREPARING },
		{ ARAS_VM_RUNNING, 1, 0, ARAS_BUSY_STARTING, ARAS_OPER_RUNNING },
		{ ARAS_VM_RUNNING, 1, 0, ARAS_BUSY_SHUTTING_DOWN, ARAS_OPER_SHUTTINGDOWN },
		{ ARAS_VM_SHUTOFF, 1, 0, ARAS_BUSY_SHUTTING_DOWN, ARAS_OPER_SHUTDOWN },
	};

	(void)unused;
	for (size_t i = 0; i < N_ELEM(cases); i++) {
		int got = aras_vm_oper(cases[i].st, cases[i].reason, cases[i].saved, cases[i].busy);

		if (got != cases[i].want)
			fail_msg("case %zu: state %d reason %d saved %d busy %d -> %s, want %s", i,
				 cases[i].st, cases[i].reason, cases[i].saved, cases[i].busy,
				 aras_oper_name(got), aras_oper_name(cases[i].want));
	}
}

/*
 * RFC 7666 (VM-MIB), VirtualMachineOperState, as published: the values an
 * NMS reads arasVmOperState by.  Written out here, not taken from the code.
 */
static void test_rfc7666_values(void **unused)
{
	static const char *const rfc[] = { NULL,           "unknown",   "other",    "preparing", "running",
					   "suspending",   "suspended", "resuming", "paused",    "migrating",
					   "shuttingdown", "shutdown",  "crashed" };

	(void)unused;
	for (int v = 1; v < (int)N_ELEM(rfc); v++)
		assert_string_equal(aras_oper_name(v), rfc[v]);
	assert_string_equal(aras_oper_name(0), "?");
	assert_string_equal(aras_oper_name((int)N_ELEM(rfc)), "?");
	assert_int_equal(ARAS_OPER_PAUSED, 8);
	assert_int_equal(ARAS_OPER_MIGRATING, 9);
	assert_int_equal(ARAS_OPER_CRASHED, 12);
}

/*
 * Every libvirt state (VIR_DOMAIN_NOSTATE .. PMSUSPENDED, and one past) with
 * every reason it has (and one past), with and without a managed-save image
 * and each thing arasd may be doing: always one of RFC 7666's 12 values.
 */
static void test_oper_total(void **unused)
{
	static const int nreasons[] = { 1, 12, 1, 15, 2, 9, 2, 1, 1 };
	int n = 0;

	(void)unused;
	for (int st = 0; st <= (int)N_ELEM(nreasons); st++)
		for (int r = 0; r <= (st < (int)N_ELEM(nreasons) ? nreasons[st] : 1); r++)
			for (int saved = 0; saved <= 1; saved++)
				for (int busy = ARAS_BUSY_NONE; busy <= ARAS_BUSY_STARTING; busy++) {
					int o = aras_vm_oper(st, r, saved, busy);

					if (o < ARAS_OPER_UNKNOWN || o > ARAS_OPER_CRASHED)
						fail_msg("state %d reason %d saved %d busy %d -> %d", st, r,
							 saved, busy, o);
					n++;
				}
	assert_true(n > 500);
}

static void test_names(void **unused)
{
	char buf[64];

	(void)unused;
	assert_string_equal(aras_vm_reason_text(ARAS_VM_PAUSED, 1, buf, sizeof(buf)), "paused: user");
	assert_string_equal(aras_vm_reason_text(ARAS_VM_SHUTOFF, 5, buf, sizeof(buf)), "shutoff: saved");
	assert_string_equal(aras_vm_reason_text(ARAS_VM_RUNNING, 1, buf, sizeof(buf)), "running: booted");
	assert_string_equal(aras_vm_reason_text(ARAS_VM_RUNNING, 99, buf, sizeof(buf)), "running: unknown");
	assert_string_equal(aras_vm_reason_text(42, -1, buf, sizeof(buf)), "unknown: unknown");
	assert_string_equal(aras_oper_name(ARAS_OPER_SHUTTINGDOWN), "shuttingdown");
	assert_string_equal(aras_oper_name(14), "?");
	assert_string_equal(aras_cmd_name(ARAS_CMD_MANAGED_SAVE), "managedSave");
	assert_string_equal(aras_cmd_name(0), "?");
	/* each command has its action kind, of the same name, and back (core/plan.c's table) */
	for (int c = ARAS_CMD_START; c <= ARAS_CMD_MAX; c++) {
		int k = aras_kind_of_cmd(c);

		assert_true(ARAS_KIND_IS_LIFECYCLE(k));
		assert_string_equal(aras_kind_name(k), aras_cmd_name(c));
		assert_int_equal(aras_kind_cmd(k), c);
	}
	assert_int_equal(aras_kind_of_cmd(ARAS_CMD_START), ARAS_KIND_START);
	assert_int_equal(aras_kind_of_cmd(ARAS_CMD_RESTORE), ARAS_KIND_RESTORE);
	assert_int_equal(aras_kind_of_cmd(ARAS_CMD_NONE), 0);
	assert_int_equal(aras_kind_of_cmd(ARAS_CMD_MAX + 1), 0);
	assert_int_equal(aras_kind_cmd(ARAS_KIND_MIGRATE), 0);
	/* what a running action does to its VM */
	assert_int_equal(aras_kind_busy(ARAS_KIND_MIGRATE), ARAS_BUSY_MIGRATING);
	assert_int_equal(aras_kind_busy(ARAS_KIND_SHUTDOWN_FORCE), ARAS_BUSY_SHUTTING_DOWN);
	assert_int_equal(aras_kind_busy(ARAS_KIND_MANAGED_SAVE), ARAS_BUSY_SAVING);
	assert_int_equal(aras_kind_busy(ARAS_KIND_ADD_VCPU), ARAS_BUSY_NONE);
	assert_int_equal(aras_kind_busy(0), ARAS_BUSY_NONE);
}

/* Every command in every state: allowed exactly where the MIB says. */
static void test_cmd_matrix(void **unused)
{
	/* rows: states running, blocked, paused, shutdown, shutoff, crashed, pmsuspended, shutoff+saved */
	static const int st[] = { ARAS_VM_RUNNING, ARAS_VM_BLOCKED, ARAS_VM_PAUSED,      ARAS_VM_SHUTDOWN,
				  ARAS_VM_SHUTOFF, ARAS_VM_CRASHED, ARAS_VM_PMSUSPENDED, ARAS_VM_SHUTOFF };
	static const int saved[] = { 0, 0, 0, 0, 0, 0, 0, 1 };
	/* columns: start shutdown shutdownForce destroy reboot suspend resume managedSave restore undefine */
	static const char *const ok[] = {
		"0111110100", /* running */
		"0111110100", /* blocked */
		"0001001100", /* paused: destroy, resume, managedSave */
		"0001000000", /* shutting down: destroy only */
		"1000000001", /* shut off: start, undefine */
		"0001000000", /* crashed (still active): destroy */
		"0001000000", /* pmsuspended: destroy */
		"0000000011", /* suspended: restore, undefine (the image goes with it) */
	};
	char why[256];

	(void)unused;
	for (size_t s = 0; s < N_ELEM(st); s++)
		for (int c = ARAS_CMD_START; c <= ARAS_CMD_MAX; c++) {
			int want = ok[s][c - ARAS_CMD_START] == '1';
			int rc = aras_vm_cmd_check(c, st[s], saved[s], why, sizeof(why));

			if ((rc == 0) != want)
				fail_msg("state row %zu, %s: rc %d (%s), want %s", s, aras_cmd_name(c), rc,
					 why, want ? "allowed" : "refused");
			if (rc < 0 && (rc != -ARAS_E_INCONSIST || !strstr(why, aras_cmd_name(c))))
				fail_msg("state row %zu, %s: rc %d, why '%s'", s, aras_cmd_name(c), rc, why);
		}
	assert_int_equal(aras_vm_cmd_check(ARAS_CMD_NONE, ARAS_VM_RUNNING, 0, why, sizeof(why)),
			 -ARAS_E_RANGE);
	assert_int_equal(aras_vm_cmd_check(ARAS_CMD_MAX + 1, ARAS_VM_RUNNING, 0, why, sizeof(why)),
			 -ARAS_E_RANGE);
	assert_int_equal(aras_vm_cmd_check(ARAS_CMD_UNDEFINE, ARAS_VM_OTHER, 0, why, sizeof(why)),
			 -ARAS_E_INCONSIST);
}

static void test_outcome(void **unused)
{
	int st, reason, saved;

	(void)unused;
	for (int c = ARAS_CMD_START; c <= ARAS_CMD_MAX; c++) {
		char buf[64];

		aras_cmd_outcome(c, 0, &st, &reason, &saved);
		/* what the outcome looks like is a state the next command may start from */
		aras_vm_reason_text(st, reason, buf, sizeof(buf));
		switch (c) {
		case ARAS_CMD_SUSPEND: assert_string_equal(buf, "paused: user"); break;
		case ARAS_CMD_MANAGED_SAVE:
			assert_string_equal(buf, "shutoff: saved");
			assert_int_equal(saved, 1);
			assert_int_equal(aras_vm_oper(st, reason, saved, 0), ARAS_OPER_SUSPENDED);
			break;
		case ARAS_CMD_DESTROY: assert_string_equal(buf, "shutoff: destroyed"); break;
		case ARAS_CMD_SHUTDOWN:
		case ARAS_CMD_SHUTDOWN_FORCE: assert_string_equal(buf, "shutoff: shutdown"); break;
		case ARAS_CMD_RESTORE: assert_string_equal(buf, "running: restored"); break;
		case ARAS_CMD_RESUME: assert_string_equal(buf, "running: unpaused"); break;
		case ARAS_CMD_UNDEFINE: assert_string_equal(buf, "shutoff: unknown"); break;
		default: assert_string_equal(buf, "running: booted");
		}
		if (c != ARAS_CMD_MANAGED_SAVE)
			assert_int_equal(saved, 0);
	}
	/* shutdownForce that had to power off: libvirt says destroyed */
	aras_cmd_outcome(ARAS_CMD_SHUTDOWN_FORCE, 1, &st, &reason, &saved);
	{
		char buf[64];

		assert_string_equal(aras_vm_reason_text(st, reason, buf, sizeof(buf)), "shutoff: destroyed");
	}
	/* libvirt's "resumed unpaused" just before "started booted": only for a VM that is off */
	assert_int_equal(aras_vm_event_premature(ARAS_VM_SHUTOFF, ARAS_VM_RUNNING, 5), 1);
	assert_int_equal(aras_vm_event_premature(ARAS_VM_PAUSED, ARAS_VM_RUNNING, 5), 0);
	assert_int_equal(aras_vm_event_premature(ARAS_VM_SHUTOFF, ARAS_VM_RUNNING, 1), 0);
}

static void test_limit(void **unused)
{
	struct aras_notify_limit l;
	uint64_t t = 1000;

	(void)unused;
	memset(&l, 0, sizeof(l));
	assert_int_equal(aras_notify_limit_take(&l, 2, t), 1);
	assert_int_equal(aras_notify_limit_take(&l, 2, t + 1), 1);
	assert_int_equal(aras_notify_limit_take(&l, 2, t + 2), 0);
	assert_int_equal(aras_notify_limit_take(&l, 2, t + 9999), 0);
	assert_int_equal(aras_notify_limit_flush(&l, t + 9999), 0); /* the window is still open */
	assert_int_equal(aras_notify_limit_flush(&l, t + ARAS_NOTIFY_WINDOW_MS), 2);
	assert_int_equal(aras_notify_limit_flush(&l, t + ARAS_NOTIFY_WINDOW_MS + 1), 0);
	/* a fresh window */
	assert_int_equal(aras_notify_limit_take(&l, 2, t + 20000), 1);
	/* an ended window with changes held back is summed up before a new one starts */
	assert_int_equal(aras_notify_limit_take(&l, 1, t + 20001), 0);
	assert_int_equal(aras_notify_limit_take(&l, 1, t + 40000), 0);
	assert_int_equal(aras_notify_limit_flush(&l, t + 40000), 2);
	assert_int_equal(aras_notify_limit_take(&l, 1, t + 40001), 1);
	/* at time 0 too */
	memset(&l, 0, sizeof(l));
	assert_int_equal(aras_notify_limit_take(&l, 1, 0), 1);
	assert_int_equal(aras_notify_limit_take(&l, 1, 1), 0);
}

/* vmAdminState of every libvirt state, and the notification of every RFC 7666 state. */
static void test_admin_and_notification(void **unused)
{
	(void)unused;
	assert_int_equal(aras_vm_admin_state(ARAS_VM_RUNNING, 0), ARAS_ADMIN_RUNNING);
	assert_int_equal(aras_vm_admin_state(ARAS_VM_BLOCKED, 0), ARAS_ADMIN_RUNNING);
	assert_int_equal(aras_vm_admin_state(ARAS_VM_PAUSED, 0), ARAS_ADMIN_PAUSED);
	assert_int_equal(aras_vm_admin_state(ARAS_VM_PMSUSPENDED, 0), ARAS_ADMIN_SUSPENDED);
	assert_int_equal(aras_vm_admin_state(ARAS_VM_SHUTOFF, 1), ARAS_ADMIN_SUSPENDED);
	assert_int_equal(aras_vm_admin_state(ARAS_VM_SHUTOFF, 0), ARAS_ADMIN_SHUTDOWN);
	assert_int_equal(aras_vm_admin_state(ARAS_VM_SHUTDOWN, 0), ARAS_ADMIN_SHUTDOWN);
	assert_int_equal(aras_vm_admin_state(ARAS_VM_CRASHED, 0), ARAS_ADMIN_SHUTDOWN);
	assert_int_equal(aras_vm_admin_state(ARAS_VM_OTHER, 0), ARAS_ADMIN_SHUTDOWN);
	/* vmRunning(1) .. vmCrashed(9) in the RFC's order; none for unknown, other, preparing */
	static const int want[13] = { 0, 0, 0, 0, 1, 5, 6, 7, 4, 8, 2, 3, 9 };
	for (int oper = ARAS_OPER_UNKNOWN; oper <= ARAS_OPER_CRASHED; oper++)
		assert_int_equal(aras_vm_notification(oper), want[oper]);
	assert_int_equal(aras_vm_notification(0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_oper),       cmocka_unit_test(test_rfc7666_values),
		cmocka_unit_test(test_oper_total), cmocka_unit_test(test_names),
		cmocka_unit_test(test_cmd_matrix), cmocka_unit_test(test_outcome),
		cmocka_unit_test(test_limit),      cmocka_unit_test(test_admin_and_notification),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
