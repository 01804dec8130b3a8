/*
 * sim.h - the simulated cluster of arasd-replay.  It plays a trace on a
 * cluster (cluster.h) on a simulated clock and lets one policy observe and
 * act on it; it owns the accounting (demand served or not, host time at
 * 100 %), the effect of actions (vCPUs, memory, live migration) and the
 * metrics.  Deterministic: time is simulated milliseconds, never the wall
 * clock, and every loop runs in index order.  Pure C11.
 *
 * The model, per stretch of time in which nothing changes:
 *   - a VM wants min(demand, its vCPUs' capacity), where the capacity of
 *     v vCPUs on a host of C cores at S MHz is min(v, C) x S;
 *   - a host serves what its VMs want when it can; when they want more
 *     than its C x S, each gets the same share of what it wants;
 *   - a migrating VM runs on its source and loses mig_cost (10 %) of what
 *     it gets; the migration takes memory / (bandwidth / 2) (Beloglazov &
 *     Buyya 2012) and reserves its memory on the target meanwhile;
 *   - a host is active while it holds a VM, and at 100 % while its VMs
 *     want at least its capacity.
 * Steal: the share of what a VM wants that a full host does not give is
 * time its vCPUs wait for a core (libvirt's vcpu.N.delay), counted per VM
 * like its CPU time, so the 'aras' policy sees arasVmCpuSteal as arasd does.
 * Unserved demand is split into what the VM's own vCPUs could not serve
 * (vmsize), what the host could not (contention) and what migrations cost.
 */
#ifndef ARAS_REPLAY_SIM_H
#define ARAS_REPLAY_SIM_H

#include "cluster.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct aras_sim_cfg {
	uint64_t poll_ms;     /* how often the policy polls (divides the step or is a multiple) */
	double mig_cost;      /* share of a migrating VM's CPU lost (0.10) */
	uint64_t pingpong_ms; /* a move back to a host left within this is a ping-pong */
	int keep_util;        /* record per-host utilisation per step (for plots) */
	FILE *log;            /* action log, or NULL */
};

struct aras_sim_vm {
	unsigned host; /* position in hosts[] */
	unsigned vcpus, vcpus_max;
	uint64_t mem_kib, mem_max_kib;
	int migrating;
	unsigned mig_target;
	uint64_t mig_start_ms, mig_end_ms;
	int has_left; /* for ping-pong: the host it last left, and when */
	unsigned left_host;
	uint64_t left_ms;
	/* cumulative counters, read by the policies' polls */
	double cpu_ns;   /* vCPU time it got, in ns of one vCPU */
	double work;     /* MHz x ms it got */
	double io_bytes; /* disk bytes read + written */
	double steal_ns; /* wait for a host core (steal): what it wanted and the full host did not give, ns of one vCPU */
	double want; /* this stretch, MHz (scratch) */
};

struct aras_sim_host {
	double busy_ns, total_ns; /* cumulative core time busy / elapsed */
	double work;              /* MHz x ms busy */
	uint64_t active_ms, full_ms;
	unsigned nvms;         /* VMs on it (a migrating VM counts on its source) */
	uint64_t mem_used_kib; /* its VMs' memory plus incoming migrations' */
	int arrived;           /* a VM arrived since the policy last cleared it */
	double load;           /* scratch: what its VMs want, MHz */
};

struct aras_sim_metrics {
	double demand, served; /* MHz x ms */
	double unserved_vmsize, unserved_contention, unserved_migration;
	double slatah;     /* mean over hosts of time at 100 % / active time */
	double host_hours; /* hosts' active time (holding a VM), hours */
	unsigned long migrations, migrations_failed, vertical, vcpu_adds, mem_grows, disk_adds;
	unsigned long pingpong, peak_migrations, no_target, alerts;
	/* placement rules (aras only): violating VMs summed over polls, and the most at one poll */
	unsigned long rule_violations, rule_violations_max;
};

struct aras_sim;

struct aras_sim_policy {
	const char *name;
	void *ctx;
	/*
	 * Observe the cluster (the cumulative counters) and act through the
	 * aras_sim_* calls below.  kick: not a regular poll, migrations have
	 * just ended (only when want_kick).  0 or a negative aras_err.
	 */
	int (*poll)(struct aras_sim *s, void *ctx, int kick);
	/* A migration this policy started ended: the VM is on its target now. */
	void (*migrated)(struct aras_sim *s, void *ctx, size_t vm);
	int want_kick;
};

struct aras_sim {
	const struct aras_cluster *cl;
	const struct aras_sim_cfg *cfg;
	const struct aras_sim_policy *pol;
	size_t nhosts, nvms, nsteps;
	uint64_t step_ms, now_ms, end_ms;
	size_t step; /* the trace step now playing */
	struct aras_sim_host *hosts;
	struct aras_sim_vm *vms;
	size_t *inflight; /* VMs migrating, in start order */
	size_t ninflight;
	float *util; /* [host * nsteps + step] mean utilisation, when keep_util */
	struct aras_sim_metrics m;
	const char *const *vm_names;
};

/*
 * Play the whole trace (cl->nsteps steps of step_s) with policy pol
 * (NULL: no policy, nothing changes) and fill *out.  util, when cfg asks
 * for it, is handed over in *util_out (free it).  0 or a negative aras_err.
 */
int aras_sim_run(const struct aras_cluster *cl, const char *const *vm_names, unsigned step_s,
		 const struct aras_sim_cfg *cfg, const struct aras_sim_policy *pol,
		 struct aras_sim_metrics *out, float **util_out);

/* ---- what a policy may do (during its poll) ---- */

/* Start a live migration of vm to host position target: 0, -ARAS_E_BUSY
 * (already migrating), -ARAS_E_INVAL (same host), -ARAS_E_RANGE (no memory). */
int aras_sim_migrate(struct aras_sim *s, size_t vm, unsigned target, const char *why);
/* Hot-add/remove vCPUs (clamped to 1..vcpus_max): 0 or -ARAS_E_RANGE. */
int aras_sim_set_vcpus(struct aras_sim *s, size_t vm, unsigned vcpus, const char *why);
/* Balloon to kib (clamped to mem_max): 0 or -ARAS_E_RANGE (host memory). */
int aras_sim_set_mem(struct aras_sim *s, size_t vm, uint64_t kib, const char *why);
/* A disk added or grown (no effect on the load; counted). */
void aras_sim_disk(struct aras_sim *s, size_t vm, const char *why);
/* A migration wanted but no target (counted). */
void aras_sim_no_target(struct aras_sim *s, size_t vm, const char *why);

/* Memory in use of vm now (KiB, at most its memory). */
uint64_t aras_sim_mem_used(const struct aras_sim *s, size_t vm);
/* Disk I/O rate of vm now (KiB/s). */
double aras_sim_io_kibs(const struct aras_sim *s, size_t vm);

#endif
