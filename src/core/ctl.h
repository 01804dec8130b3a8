/*
 * ctl.h - the allocation controller (the paper's ARAS-RAC), pure C11.
 *
 * For every VM whose SLA alert is firing (with arasActions' allocate bit):
 *   cpu:    the VM's steal or its host's mean steal >= stealThreshold (not 0)
 *                                                     -> contended host: migrate, no vCPU
 *           host CPU < hostCpuHigh and vCPUs < max    -> add one vCPU, else migrate
 *   memory: host free memory > hostMemFreeMin and cur < max
 *                                                     -> grow the balloon by memStep, else migrate
 *   disk:   two or more I/O-bound VMs on the host     -> move one (lowest priority, then smallest memory)
 *           host storage use < hostDiskLow            -> add (or grow) a disk, else migrate
 * A migration target must be up, not in maintenance, and stay under
 * hostCpuHigh and above hostMemFreeMin with the VM's load added (and have
 * no I/O-bound VM for an I/O move); among those the one with the most
 * headroom left wins: score = min(hostCpuHigh - cpu after, free%% after -
 * hostMemFreeMin), ties to the lower host index.  CPU moves only: when no
 * target stays under hostCpuHigh, a relief target, one that ends at least
 * ARAS_CTL_RELIEF_GAIN points below the source's CPU (after the moves away
 * from it planned this round), while at most ARAS_CTL_RELIEF_HOSTS_PCT % of
 * the hosts are over hostCpuHigh: the lowest CPU after the move wins; a
 * move that would only take the overload over is not made.  No fit: no move,
 * and a no-target decision once per alert episode (of the VM, or of its
 * host's CPU alert for the host trigger).
 * Host trigger: a host whose CPU stays at or above hostCpuHigh for the hold
 * time sheds one VM per round even when no single VM is hot: the one whose
 * move helps most per byte of memory migrated (help: the CPU points the
 * host loses, up to its excess, and no more than the gap the target keeps
 * below it); a held host sheds only from ARAS_CTL_SHED_ABOVE points over
 * hostCpuHigh, and only a VM whose move lowers it by ARAS_CTL_MIN_GAIN
 * points (or its whole excess) while one does, else the one with the most
 * load.  Prediction: a host over hostCpuHigh whose alert is still
 * pending sheds at once (after the held ones) when the least-squares trend
 * of its last samples is still over hostCpuHigh at the end of the hold
 * time and few hosts are over, or when it is saturated (ARAS_CTL_SATURATED);
 * such a move is never a relief move.  A VM at its maximum on a host with room
 * is not moved (another host gives it no more): one notice per episode.
 * Safety: per-VM cooldown after any action, never back to a host the VM
 * left within ARAS_CTL_NO_RETURN cooldowns, at most maxMigrations in flight in the cluster
 * and maxMigrationsPerHost into one host, one open action per VM, and
 * candidates served by priority (then by how far over the threshold).
 * Shrink-back (shrinkAfter > 0): a vCPU or memory that arasd added is
 * returned, one step at a time, once the VM's usage of it has stayed below
 * threshold - margin for shrinkAfter seconds (and outside its cooldown).
 * Maintenance: every VM on a host in maintenance is moved away (operator
 * order: regardless of policy and cooldown); when maintenance ends the VMs
 * that left go back.
 * Placement rules (rules.h): no target that breaks its VM's group rule is
 * ever chosen, counting the moves planned in the same round and those in
 * flight.  Outside manual, a VM the engine flagged as a violator (c->vms[].rule)
 * is moved to a host where it breaks nothing (one move per violation: only
 * the flagged VM moves), within the migration limits and outside its
 * cooldown; when no host fits, one notice per violation episode.
 */
#ifndef ARAS_CTL_H
#define ARAS_CTL_H

#include "alert.h"
#include "model.h"
#include "plan.h"
#include "rules.h"
#include "state.h"

#include <stddef.h>
#include <stdint.h>

/* A VM does not go back to a host it left within this many cooldowns. */
#define ARAS_CTL_NO_RETURN 6
/*
 * Relief move (CPU, no target stays under hostCpuHigh): the target must end
 * at least this many points of CPU below the source's CPU now.
 */
#define ARAS_CTL_RELIEF_GAIN 10
/*
 * ... and only while at most this many percent of the up hosts are at or
 * above hostCpuHigh (when most are, a relief move mostly shifts load).
 */
#define ARAS_CTL_RELIEF_HOSTS_PCT 50

/*
 * Early host trigger: a host over hostCpuHigh sheds before its hold time
 * ends when the least-squares trend of its last ARAS_CTL_TREND_K samples
 * stays over it, while at most ARAS_CTL_EARLY_HOSTS_PCT % of the up hosts
 * are at or above hostCpuHigh.
 */
#define ARAS_CTL_TREND_K 3
#define ARAS_CTL_EARLY_HOSTS_PCT 15
/*
 * Saturated host: one at or above this CPU use (its VMs want at least
 * what it has: the time SLATAH counts) whose alert is still pending sheds
 * at once like an early one, trend or not and however many hosts are
 * over; only to a target that stays under hostCpuHigh.
 */
#define ARAS_CTL_SATURATED 99
/*
 * Host trigger hysteresis: a host whose CPU alert fires (at hostCpuHigh)
 * sheds only while at least this many points above hostCpuHigh; between
 * the two it is left alone (a host just over is where most moves land).
 */
#define ARAS_CTL_SHED_ABOVE 5
/*
 * Minimum gain: a VM the host trigger sheds must lower the host by at
 * least this many points (or by its whole excess over hostCpuHigh, if
 * less): a move of a nearly idle VM costs a migration and relieves nothing.
 */
#define ARAS_CTL_MIN_GAIN 5
/* After a VM left a host, its figures settle for holdTime, and at least this long. */
#define ARAS_CTL_SETTLE_MIN_MS 30000

/* What the controller remembers per VM (by UUID, so it outlives migrations). */
struct aras_ctl_vm {
	uint8_t uuid[ARAS_UUID_LEN];
	uint64_t last_action_ms; /* cooldown runs from here */
	int has_action;
	unsigned left_host; /* host it last migrated away from */
	uint64_t left_ms;
	unsigned evacuated_from; /* maintenance: return here afterwards */
	int no_target_sent;      /* one no-target notice per alert episode */
	/* shrink-back: what arasd added and since when it has been idle */
	unsigned added_vcpus;
	uint64_t added_mem_kib;
	uint64_t low_since_ms; /* 0 = not low */
	/* placement rules: what it breaks now (set by the engine each round) */
	struct aras_rules_flag rule;
	int rule_notice_sent; /* one "cannot repair" notice per violation episode */
	/* minStay: when the controller's last move of it ended, and whether a held move was counted */
	int has_stay;
	uint64_t stay_from_ms;
	int stay_held_counted;
};

/* Recent CPU samples of a host (its trend). */
#define ARAS_CTL_TREND_N 8
struct aras_ctl_host {
	unsigned index;
	unsigned n; /* samples held, newest last */
	uint64_t t_ms[ARAS_CTL_TREND_N];
	unsigned cpu[ARAS_CTL_TREND_N];
};

struct aras_ctl {
	struct aras_ctl_vm *vms; /* sorted by uuid */
	size_t n;
	struct aras_ctl_host *hosts;
	size_t nhosts;
	/* the migration envelope */
	uint32_t held_min_stay; /* arasMovesHeldMinStay: moves held by minStay (once per VM and stay) */
	uint32_t queued;        /* arasMigrationsQueued: moves wanted last round, waiting for a slot */
};

struct aras_decision {
	uint8_t uuid[ARAS_UUID_LEN];
	char vm_name[ARAS_NAME_MAX];
	int kind; /* enum aras_kind */
	unsigned source, target;
	uint64_t amount;
	uint64_t before; /* vCPUs / memory before */
	int resource;
	int origin;    /* enum aras_origin */
	int no_target; /* migration wanted, nothing fits: only a notice */
	char reason[ARAS_REASON_MAX];
};

void aras_ctl_init(struct aras_ctl *c);
void aras_ctl_free(struct aras_ctl *c);
struct aras_ctl_vm *aras_ctl_vm(struct aras_ctl *c, const uint8_t uuid[ARAS_UUID_LEN], int create);

/*
 * Forget the VMs the model no longer has (their cooldown, return home,
 * notice and shrink-back memory); returns how many.  Called when a poll
 * removed VMs: without it every VM that ever had a notice or an action
 * kept an entry for the daemon's life.
 */
size_t aras_ctl_prune(struct aras_ctl *c, const struct aras_model *m);

/* Extra knobs not in the settings table. */
struct aras_ctl_opts {
	int disk_grow;          /* 0: add a new disk, 1: grow the VM's disk */
	uint64_t disk_step_mib; /* size of a new disk / growth */
};

/*
 * Decide this round.  Returns the number of decisions written to out
 * (at most max).  Changes only the controller's own per-VM memory (c):
 * the no-target notice sent per episode and the shrink-back idle clock
 * (low_since_ms); the caller turns decisions into actions and reports
 * them back with aras_ctl_note_action().
 */
size_t aras_ctl_decide(struct aras_ctl *c, const struct aras_model *m, const struct aras_state *st,
		       const struct aras_plan *p, const struct aras_ctl_opts *o, uint64_t now_ms,
		       struct aras_decision *out, size_t max);

/* An action was approved/started (cooldown starts) or finished. */
void aras_ctl_note_action(struct aras_ctl *c, const struct aras_action *a, uint64_t now_ms);
void aras_ctl_note_result(struct aras_ctl *c, const struct aras_action *a, int ok, uint64_t now_ms);

/*
 * Best migration target for vm (0 if none; why says what ruled each host
 * out).  Projections include migrations already in flight in p.  only_host
 * restricts the choice to one host (0: any); ignore_cooldown lifts the
 * "not back within cooldown" rule (operator orders).
 */
unsigned aras_ctl_place(const struct aras_ctl *c, const struct aras_model *m, const struct aras_state *st,
			const struct aras_plan *p, const struct aras_vm *vm, int resource, uint64_t now_ms,
			unsigned only_host, int ignore_cooldown, char *why, size_t whylen);

/*
 * Re-check an action before it runs (approval of a proposal, operator
 * order): 0, or -ARAS_E_INCONSIST with the reason (no headroom any more,
 * VM gone or moved, at maximum, target down ...).
 */
int aras_ctl_recheck(const struct aras_ctl *c, const struct aras_model *m, const struct aras_state *st,
		     const struct aras_plan *p, const struct aras_action *a, uint64_t now_ms, char *why,
		     size_t whylen);

/* An action (state given, index unset) for a decision. */
void aras_action_from_decision(struct aras_action *a, const struct aras_decision *d, int state, time_t wall,
			       uint64_t now_ms);

/* VM load in percent of a host with host_cpus CPUs. */
unsigned aras_ctl_vm_load(const struct aras_vm *vm, unsigned host_cpus);

#endif
