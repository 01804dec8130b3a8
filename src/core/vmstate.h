/*
 * vmstate.h - a VM's life cycle as the MIB shows it: libvirt's state and
 * reason turned into RFC 7666's operational state (arasVmOperState) and a
 * "state: reason" text, the operator's commands (arasVmCommand) and which
 * state allows which, and the limit on state-change notifications.  Pure
 * C11: the libvirt numbers are repeated here (they are part of libvirt's
 * stable ABI).
 */
#ifndef ARAS_VMSTATE_H
#define ARAS_VMSTATE_H

#include <stddef.h>
#include <stdint.h>

/*
 * arasVmOperState: RFC 7666's VirtualMachineOperState, its values exactly
 * (the published RFC; the drafts had a blocked(5) and numbered the rest one
 * higher).  libvirt's "blocked" (waiting on a resource, Xen/LXC) is
 * running(4): the VM is up and scheduled.
 */
enum aras_oper {
	ARAS_OPER_UNKNOWN = 1,
	ARAS_OPER_OTHER = 2,
	ARAS_OPER_PREPARING = 3,
	ARAS_OPER_RUNNING = 4,
	ARAS_OPER_SUSPENDING = 5,
	ARAS_OPER_SUSPENDED = 6,
	ARAS_OPER_RESUMING = 7,
	ARAS_OPER_PAUSED = 8,
	ARAS_OPER_MIGRATING = 9,
	ARAS_OPER_SHUTTINGDOWN = 10,
	ARAS_OPER_SHUTDOWN = 11,
	ARAS_OPER_CRASHED = 12,
};

/* arasVmCommand; its action kind: aras_kind_of_cmd() (core/plan.h). */
enum aras_cmd {
	ARAS_CMD_NONE = 1,
	ARAS_CMD_START = 2,
	ARAS_CMD_SHUTDOWN = 3,
	ARAS_CMD_SHUTDOWN_FORCE = 4,
	ARAS_CMD_DESTROY = 5,
	ARAS_CMD_REBOOT = 6,
	ARAS_CMD_SUSPEND = 7,
	ARAS_CMD_RESUME = 8,
	ARAS_CMD_MANAGED_SAVE = 9,
	ARAS_CMD_RESTORE = 10,
	ARAS_CMD_UNDEFINE = 11,
};
#define ARAS_CMD_MAX ARAS_CMD_UNDEFINE

/* What the engine knows beyond libvirt's state (an action of arasd in flight). */
enum aras_busy {
	ARAS_BUSY_NONE = 0,
	ARAS_BUSY_MIGRATING,
	ARAS_BUSY_SAVING,
	ARAS_BUSY_RESTORING,
	ARAS_BUSY_SHUTTING_DOWN,
	ARAS_BUSY_STARTING
};

/*
 * The operational state of a VM in libvirt state st (virDomainState, 0..7;
 * arasVmState's other(8) too) for reason (the state's virDomain*Reason),
 * with a managed save image or not, and what arasd is doing to it.
 */
int aras_vm_oper(int st, int reason, int managed_save, int busy);

/* "state: reason" (for example "paused: user") into buf; returns buf. */
const char *aras_vm_reason_text(int st, int reason, char *buf, size_t len);

const char *aras_oper_name(int oper); /* "running", "paused", ... "?" */

/* RFC 7666 VirtualMachineAdminState (vmAdminState): what the VM is meant to be. */
enum aras_admin_state {
	ARAS_ADMIN_RUNNING = 1,
	ARAS_ADMIN_SUSPENDED = 2,
	ARAS_ADMIN_PAUSED = 3,
	ARAS_ADMIN_SHUTDOWN = 4
};
/*
 * vmAdminState of a VM in libvirt state st (enum aras_vm_state): running
 * and blocked are running, paused is paused, pmsuspended and a shut-off VM
 * with a managed save image are suspended, anything else shutdown.
 */
int aras_vm_admin_state(int st, int managed_save);
/*
 * RFC 7666's per-VM notification (vmNotifications.N, 1..9) for a VM that
 * entered oper: vmRunning(1), vmShuttingdown(2), vmShutdown(3),
 * vmPaused(4), vmSuspending(5), vmSuspended(6), vmResuming(7),
 * vmMigrating(8), vmCrashed(9); 0 for unknown, other and preparing (none).
 * vmDeleted is 10; the bulk form of N is N + 10.
 */
#define ARAS_VMN_DELETED 10
#define ARAS_VMN_BULK 10
unsigned aras_vm_notification(int oper);
const char *aras_cmd_name(int cmd); /* "start", ... "?" */

/*
 * May command cmd run on a VM in libvirt state st (managed_save: it has a
 * saved image)?  0, -ARAS_E_RANGE for no such command (or none), or
 * -ARAS_E_INCONSIST with why.
 */
int aras_vm_cmd_check(int cmd, int st, int managed_save, char *why, size_t whylen);

/*
 * A libvirt event that says "running, unpaused" for a VM that is shut off
 * is the first half of a start (libvirt 9 sends it just before "started
 * booted" or "started restored"): 1 if an event from state st to
 * new_st/new_reason is such a half, to be skipped.
 */
int aras_vm_event_premature(int st, int new_st, int new_reason);

/*
 * The libvirt state, reason and managed-save flag a VM is in once command
 * cmd has succeeded (libvirt's event may come after the command's result).
 */
void aras_cmd_outcome(int cmd, int forced, int *st, int *reason, int *managed_save);

/*
 * At most `limit` notifications per fixed window of ARAS_NOTIFY_WINDOW_MS;
 * the rest are counted.  aras_notify_limit_take says whether one may go
 * now; aras_notify_limit_flush returns the count held back in a window
 * that has ended (0 if none, or the window is still open) and clears it.
 */
#define ARAS_NOTIFY_WINDOW_MS 10000
struct aras_notify_limit {
	uint64_t window_ms; /* start of the current window; 0 = none yet */
	unsigned sent;      /* in the current window */
	unsigned held;      /* held back in the current window */
};
int aras_notify_limit_take(struct aras_notify_limit *l, unsigned limit, uint64_t now_ms);
unsigned aras_notify_limit_flush(struct aras_notify_limit *l, uint64_t now_ms);

#endif
