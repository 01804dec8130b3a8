/*
 * vmstate.c - see vmstate.h.
 */
#include "vmstate.h"

#include "aras.h"
#include "model.h"

#include <stdio.h>

/* virDomain*Reason values used below (libvirt-domain.h). */
enum {
	RUN_BOOTED = 1,
	RUN_MIGRATED = 2,
	RUN_RESTORED = 3,
	RUN_UNPAUSED = 5,
	PAUSE_USER = 1,
	PAUSE_MIGRATION = 2,
	PAUSE_SAVE = 3,
	PAUSE_SHUTTING_DOWN = 8,
	PAUSE_CRASHED = 10,
	PAUSE_STARTING_UP = 11,
	PAUSE_POSTCOPY = 12,
	OFF_SHUTDOWN = 1,
	OFF_DESTROYED = 2,
	OFF_CRASHED = 3,
	OFF_SAVED = 5
};

int aras_vm_oper(int st, int reason, int managed_save, int busy)
{
	switch (busy) {
	case ARAS_BUSY_MIGRATING: return ARAS_OPER_MIGRATING;
	case ARAS_BUSY_SAVING: return ARAS_OPER_SUSPENDING;
	case ARAS_BUSY_RESTORING: return ARAS_OPER_RESUMING;
	case ARAS_BUSY_STARTING:
		if (st != ARAS_VM_RUNNING && st != ARAS_VM_BLOCKED)
			return ARAS_OPER_PREPARING;
		break;
	case ARAS_BUSY_SHUTTING_DOWN:
		if (st == ARAS_VM_RUNNING || st == ARAS_VM_BLOCKED || st == ARAS_VM_SHUTDOWN)
			return ARAS_OPER_SHUTTINGDOWN;
		break;
	}
	switch (st) {
	case ARAS_VM_RUNNING:
	case ARAS_VM_BLOCKED: return ARAS_OPER_RUNNING;
	case ARAS_VM_PAUSED:
		switch (reason) {
		case PAUSE_MIGRATION:
		case PAUSE_POSTCOPY: return ARAS_OPER_MIGRATING;
		case PAUSE_SAVE: return ARAS_OPER_SUSPENDING;
		case PAUSE_SHUTTING_DOWN: return ARAS_OPER_SHUTTINGDOWN;
		case PAUSE_CRASHED: return ARAS_OPER_CRASHED;
		case PAUSE_STARTING_UP: return ARAS_OPER_PREPARING;
		}
		return ARAS_OPER_PAUSED;
	case ARAS_VM_SHUTDOWN: return ARAS_OPER_SHUTTINGDOWN;
	case ARAS_VM_SHUTOFF:
		if (managed_save)
			return ARAS_OPER_SUSPENDED;
		return reason == OFF_CRASHED ? ARAS_OPER_CRASHED : ARAS_OPER_SHUTDOWN;
	case ARAS_VM_CRASHED: return ARAS_OPER_CRASHED;
	case ARAS_VM_PMSUSPENDED: return ARAS_OPER_PAUSED;
	case ARAS_VM_OTHER: return ARAS_OPER_OTHER;
	}
	return ARAS_OPER_UNKNOWN;
}

static const char *const state_names[] = { "nostate", "running", "blocked",     "paused", "shutdown",
					   "shutoff", "crashed", "pmsuspended", "other" };
static const char *const running_reasons[] = {
	"unknown",       "booted",   "migrated",           "restored",
	"from snapshot", "unpaused", "migration canceled", "save canceled",
	"wakeup",        "crashed",  "post-copy",          "post-copy failed"
};
static const char *const paused_reasons[] = { "unknown",       "user",
					      "migration",     "save",
					      "dump",          "ioerror",
					      "watchdog",      "from snapshot",
					      "shutting down", "snapshot",
					      "crashed",       "starting up",
					      "post-copy",     "post-copy failed",
					      "api error" };
static const char *const shutoff_reasons[] = { "unknown", "shutdown", "destroyed",     "crashed", "migrated",
					       "saved",   "failed",   "from snapshot", "daemon" };
static const char *const shutdown_reasons[] = { "unknown", "user" };
static const char *const crashed_reasons[] = { "unknown", "panicked" };

#define PICK(tab, i) ((i) >= 0 && (size_t)(i) < ARAS_ARRAY_SIZE(tab) ? (tab)[i] : "unknown")

const char *aras_vm_reason_text(int st, int reason, char *buf, size_t len)
{
	const char *r = "unknown";

	switch (st) {
	case ARAS_VM_RUNNING: r = PICK(running_reasons, reason); break;
	case ARAS_VM_PAUSED: r = PICK(paused_reasons, reason); break;
	case ARAS_VM_SHUTDOWN: r = PICK(shutdown_reasons, reason); break;
	case ARAS_VM_SHUTOFF: r = PICK(shutoff_reasons, reason); break;
	case ARAS_VM_CRASHED: r = PICK(crashed_reasons, reason); break;
	}
	snprintf(buf, len, "%s: %s", PICK(state_names, st), r);
	return buf;
}

static const char *const oper_names[] = { "unknown",    "other",        "preparing", "running",
					  "suspending", "suspended",    "resuming",  "paused",
					  "migrating",  "shuttingdown", "shutdown",  "crashed" };
static const char *const cmd_names[] = { "none",        "start",   "shutdown", "shutdownForce",
					 "destroy",     "reboot",  "suspend",  "resume",
					 "managedSave", "restore", "undefine" };

const char *aras_oper_name(int oper)
{
	return oper >= 1 && (size_t)oper <= ARAS_ARRAY_SIZE(oper_names) ? oper_names[oper - 1] : "?";
}

const char *aras_cmd_name(int cmd)
{
	return cmd >= 1 && (size_t)cmd <= ARAS_ARRAY_SIZE(cmd_names) ? cmd_names[cmd - 1] : "?";
}

/* A QEMU process exists (libvirt's "active"; a crashed VM kept for a dump too). */
static int active(int st)
{
	return aras_vm_state_active(st) || st == ARAS_VM_CRASHED;
}

int aras_vm_cmd_check(int cmd, int st, int managed_save, char *why, size_t whylen)
{
	const char *need = NULL;
	int ok;

	switch (cmd) {
	case ARAS_CMD_START:
		ok = !active(st) && !managed_save;
		need = managed_save ? "shut off without a saved image (it has one: restore(10))" : "shut off";
		break;
	case ARAS_CMD_RESTORE:
		ok = !active(st) && managed_save;
		need = "suspended (shut off with a managed save image)";
		break;
	case ARAS_CMD_SHUTDOWN:
	case ARAS_CMD_SHUTDOWN_FORCE:
	case ARAS_CMD_REBOOT:
	case ARAS_CMD_SUSPEND:
		ok = st == ARAS_VM_RUNNING || st == ARAS_VM_BLOCKED;
		need = "running";
		break;
	case ARAS_CMD_RESUME:
		ok = st == ARAS_VM_PAUSED;
		need = "paused";
		break;
	case ARAS_CMD_MANAGED_SAVE:
		ok = st == ARAS_VM_RUNNING || st == ARAS_VM_BLOCKED || st == ARAS_VM_PAUSED;
		need = "running or paused";
		break;
	case ARAS_CMD_DESTROY:
		ok = active(st);
		need = "active (a QEMU process running)";
		break;
	case ARAS_CMD_UNDEFINE:
		/* a managed save image goes with it (virsh undefine --managed-save) */
		ok = st == ARAS_VM_SHUTOFF;
		need = "shut off";
		break;
	default:
		snprintf(why, whylen, "no such command %d (start(2) .. undefine(11))", cmd);
		return -ARAS_E_RANGE;
	}
	if (ok)
		return 0;
	snprintf(why, whylen, "%s needs the VM %s; it is %s", aras_cmd_name(cmd), need,
		 managed_save && !active(st) ? "suspended" : PICK(state_names, st));
	return -ARAS_E_INCONSIST;
}

int aras_vm_event_premature(int st, int new_st, int new_reason)
{
	return (st == ARAS_VM_SHUTOFF || st == ARAS_VM_OTHER) && new_st == ARAS_VM_RUNNING &&
	       new_reason == RUN_UNPAUSED;
}

void aras_cmd_outcome(int cmd, int forced, int *st, int *reason, int *managed_save)
{
	*managed_save = 0;
	switch (cmd) {
	case ARAS_CMD_START:
	case ARAS_CMD_REBOOT:
		*st = ARAS_VM_RUNNING;
		*reason = RUN_BOOTED;
		return;
	case ARAS_CMD_RESTORE:
		*st = ARAS_VM_RUNNING;
		*reason = RUN_RESTORED;
		return;
	case ARAS_CMD_RESUME:
		*st = ARAS_VM_RUNNING;
		*reason = RUN_UNPAUSED;
		return;
	case ARAS_CMD_SUSPEND:
		*st = ARAS_VM_PAUSED;
		*reason = PAUSE_USER;
		return;
	case ARAS_CMD_SHUTDOWN:
	case ARAS_CMD_SHUTDOWN_FORCE:
		*st = ARAS_VM_SHUTOFF;
		*reason = forced ? OFF_DESTROYED : OFF_SHUTDOWN; /* powered off at the timeout */
		return;
	case ARAS_CMD_DESTROY:
		*st = ARAS_VM_SHUTOFF;
		*reason = OFF_DESTROYED;
		return;
	case ARAS_CMD_MANAGED_SAVE:
		*st = ARAS_VM_SHUTOFF;
		*reason = OFF_SAVED;
		*managed_save = 1;
		return;
	case ARAS_CMD_UNDEFINE:
		/* its last state, until its row goes (engine.c): shut off, no image */
		*st = ARAS_VM_SHUTOFF;
		*reason = 0;
		return;
	}
}

int aras_notify_limit_take(struct aras_notify_limit *l, unsigned limit, uint64_t now_ms)
{
	if (!l->window_ms || now_ms - l->window_ms >= ARAS_NOTIFY_WINDOW_MS) {
		if (l->held) {
			l->held++; /* summed up with the ended window's, flushed first */
			return 0;
		}
		l->window_ms = now_ms ? now_ms : 1;
		l->sent = 0;
	}
	if (l->sent < limit) {
		l->sent++;
		return 1;
	}
	l->held++;
	return 0;
}

unsigned aras_notify_limit_flush(struct aras_notify_limit *l, uint64_t now_ms)
{
	unsigned n = l->held;

	if (!n || now_ms - l->window_ms < ARAS_NOTIFY_WINDOW_MS)
		return 0;
	l->held = 0;
	l->window_ms = 0;
	return n;
}

int aras_vm_admin_state(int st, int managed_save)
{
	switch (st) {
	case ARAS_VM_RUNNING:
	case ARAS_VM_BLOCKED: return ARAS_ADMIN_RUNNING;
	case ARAS_VM_PAUSED: return ARAS_ADMIN_PAUSED;
	case ARAS_VM_PMSUSPENDED: return ARAS_ADMIN_SUSPENDED;
	case ARAS_VM_SHUTOFF: return managed_save ? ARAS_ADMIN_SUSPENDED : ARAS_ADMIN_SHUTDOWN;
	}
	return ARAS_ADMIN_SHUTDOWN;
}

unsigned aras_vm_notification(int oper)
{
	switch (oper) {
	case ARAS_OPER_RUNNING: return 1;
	case ARAS_OPER_SHUTTINGDOWN: return 2;
	case ARAS_OPER_SHUTDOWN: return 3;
	case ARAS_OPER_PAUSED: return 4;
	case ARAS_OPER_SUSPENDING: return 5;
	case ARAS_OPER_SUSPENDED: return 6;
	case ARAS_OPER_RESUMING: return 7;
	case ARAS_OPER_MIGRATING: return 8;
	case ARAS_OPER_CRASHED: return 9;
	}
	return 0;
}
