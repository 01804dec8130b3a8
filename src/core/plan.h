/*
 * plan.h - the action plan behind arasActionTable: every proposed or
 * executed allocation action (vCPU, memory, disk, live migration) with its
 * reason, state and times.  States move proposed -> approved -> running ->
 * succeeded | failed, or proposed -> rejected | expired.  Bounded: the
 * oldest finished actions are dropped first.  Pure C11.
 */
#ifndef ARAS_PLAN_H
#define ARAS_PLAN_H

#include "aras.h"
#include "device.h"

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* arasActionKind */
enum aras_kind {
	ARAS_KIND_ADD_VCPU = 1,
	ARAS_KIND_GROW_MEM = 2,
	ARAS_KIND_ADD_DISK = 3,
	ARAS_KIND_GROW_DISK = 4,
	ARAS_KIND_MIGRATE = 5,
	ARAS_KIND_REMOVE_VCPU = 6,
	ARAS_KIND_SHRINK_MEM = 7,
	/* the operator's life-cycle commands (aras_kind_cmd: their arasVmCommand) */
	ARAS_KIND_START = 8,
	ARAS_KIND_SHUTDOWN = 9,
	ARAS_KIND_SHUTDOWN_FORCE = 10,
	ARAS_KIND_DESTROY = 11,
	ARAS_KIND_REBOOT = 12,
	ARAS_KIND_SUSPEND = 13,
	ARAS_KIND_RESUME = 14,
	ARAS_KIND_MANAGED_SAVE = 15,
	ARAS_KIND_RESTORE = 16,
	ARAS_KIND_UNDEFINE = 17,
	/* a new VM from a shut-off template (arasCloneTable, issue 24) */
	ARAS_KIND_CLONE = 18
};
#define ARAS_KIND_MAX ARAS_KIND_CLONE
/* A life-cycle command, not an allocation. */
#define ARAS_KIND_IS_LIFECYCLE(k) ((k) >= ARAS_KIND_START && (k) <= ARAS_KIND_UNDEFINE)
/*
 * An operator's management of VMs (a life-cycle command or a clone), not
 * an allocation: no cooldown, no backoff, a long job on its own thread.
 */
#define ARAS_KIND_IS_MANAGE(k) (ARAS_KIND_IS_LIFECYCLE(k) || (k) == ARAS_KIND_CLONE)
/* A clone's new name: 1 .. this many of [A-Za-z0-9._-], a letter or digit first. */
#define ARAS_CLONE_NAME_MAX 64
/* arasActionState */
enum aras_astate {
	ARAS_AS_PROPOSED = 1,
	ARAS_AS_APPROVED = 2,
	ARAS_AS_REJECTED = 3,
	ARAS_AS_RUNNING = 4,
	ARAS_AS_SUCCEEDED = 5,
	ARAS_AS_FAILED = 6,
	ARAS_AS_EXPIRED = 7
};
/* arasActionOrigin */
/*
 * An adopted migration: one carrying a journalled order of the last run
 * keeps arasd's migration timeout (counted from the adoption); one without
 * (an operator's virsh, a controller's move) is followed only, never
 * aborted.  Neither is aborted when arasd stops: the next start adopts it.
 */
enum aras_adopted { ARAS_ADOPTED_NONE = 0, ARAS_ADOPTED_ORDER = 1, ARAS_ADOPTED_FOLLOW = 2 };

enum aras_origin { ARAS_ORIGIN_CONTROLLER = 1, ARAS_ORIGIN_OPERATOR = 2, ARAS_ORIGIN_MAINTENANCE = 3 };

struct aras_action {
	uint32_t index; /* arasActionIndex */
	uint8_t uuid[ARAS_UUID_LEN];
	char vm_name[ARAS_NAME_MAX];
	int kind;
	unsigned source, target; /* host indexes; target 0 = in place */
	uint64_t amount;         /* new vCPU count, new memory (KiB), disk size (MiB) */
	uint64_t before;         /* vCPU count / memory (KiB) before the action */
	int resource;            /* enum aras_resource that caused it */
	int state;
	int origin;
	char reason[ARAS_REASON_MAX];
	char error[ARAS_ERRTEXT_MAX];
	time_t created, finished;                     /* wall clock */
	uint64_t created_ms, started_ms, finished_ms; /* monotonic */
	/* a migration's progress (MiB) and, when it ended, downtime and duration (ms) */
	uint64_t data_processed, data_remaining, data_total;
	uint32_t downtime_ms, duration_ms;
	uint32_t order_id; /* the journalled operator order it carries out (core/journal.h), 0: none */
	/*
	 * migrate: a live migration in flight when arasd started (the last
	 * run's, before a takeover; another tool's): its job follows libvirt's
	 * job to its end instead of starting one (enum aras_adopted).
	 */
	int adopted;
	int maximum; /* grow/shrinkMemory of the maximum, in the persistent definition (next boot) */
	/* growDisk: the disk (target name; "" = vda) and amount is its new size, not an increment */
	char disk[ARAS_DEV_TARGET_MAX];
	int disk_absolute;
	/* clone: the new VM's name, the arasCloneTable row that asked, start it once defined */
	char clone_name[ARAS_CLONE_NAME_MAX + 1];
	uint32_t clone_request;
	int clone_start;
	void *priv; /* SNMP adapter's row */
};

/*
 * A migration's job statistics as libvirt reports them: while it runs
 * (about once a second), or of the completed job (completed = 1).
 */
struct aras_mig_stats {
	uint64_t processed, remaining, total; /* bytes */
	uint64_t downtime_ms, elapsed_ms;     /* completed job; 0 = not reported */
	int completed;
};

/* MiB of a byte count, rounded to the nearest (what the action row shows). */
uint64_t aras_mib_of_bytes(uint64_t bytes);

struct aras_plan;

struct aras_plan_hooks {
	void (*added)(struct aras_action *a, void *arg);
	void (*dropped)(struct aras_action *a, void *arg);
	void *arg;
};

int aras_plan_new(struct aras_plan **out, size_t capacity);
void aras_plan_free(struct aras_plan *p);
void aras_plan_set_hooks(struct aras_plan *p, const struct aras_plan_hooks *h);

/* Add a copy of a (index assigned); NULL when full of unfinished actions. */
struct aras_action *aras_plan_add(struct aras_plan *p, const struct aras_action *a);
struct aras_action *aras_plan_get(const struct aras_plan *p, uint32_t index);
size_t aras_plan_count(const struct aras_plan *p);
struct aras_action *aras_plan_at(const struct aras_plan *p, size_t i); /* 0 = oldest */

int aras_action_finished(const struct aras_action *a);
/* Actions approved or running (*active), and proposals waiting (*waiting). */
void aras_plan_tally(const struct aras_plan *p, unsigned *active, unsigned *waiting);
/* An unfinished action (proposed, approved, running) for this VM, or NULL. */
struct aras_action *aras_plan_open_for(const struct aras_plan *p, const uint8_t uuid[ARAS_UUID_LEN]);
/* Migrations approved or running: in the cluster, and into one host. */
unsigned aras_plan_migrations(const struct aras_plan *p, unsigned into_host);

/*
 * Operator decision on a proposed action (arasActionState SET): approved
 * or rejected.  -ARAS_E_NOENT no such action, -ARAS_E_RANGE a state other
 * than approved/rejected, -ARAS_E_INCONSIST the action is not proposed.
 */
int aras_plan_check_decision(const struct aras_plan *p, uint32_t index, int state);

/* Expire proposals older than timeout_s; returns how many (calls fn for each). */
size_t aras_plan_expire(struct aras_plan *p, uint64_t now_ms, unsigned timeout_s,
			void (*fn)(struct aras_action *a, void *arg), void *arg);

const char *aras_kind_name(int kind); /* "addVcpu", ... "unknown" */
/* The arasVmCommand (enum aras_cmd) a life-cycle kind carries out; 0 for any other kind. */
int aras_kind_cmd(int kind);
/* What a running action of this kind does to its VM (enum aras_busy, core/vmstate.h). */
int aras_kind_busy(int kind);
/* The action kind of arasVmCommand cmd; 0 for none(1) or an unknown command. */
int aras_kind_of_cmd(int cmd);
const char *aras_origin_name(int origin); /* "controller", "operator", "maintenance", "unknown" */
const char *aras_astate_name(int state);

#endif
