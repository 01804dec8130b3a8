/*
 * model.h - the snapshot every SNMP answer is read from: hosts (by
 * configured index) and VMs (sorted by 16-byte UUID, which is also the
 * arasVmTable index order).  Poll results from the virt adapter arrive as
 * plain samples and are folded in here: counter deltas become rates and
 * percentages, VMs appear, move between hosts and disappear.  Pure C11.
 */
#ifndef ARAS_MODEL_H
#define ARAS_MODEL_H

#include "aras.h"
#include "device.h"

#include <stddef.h>
#include <stdint.h>

enum aras_host_state {
	ARAS_HOST_UNKNOWN = 0,
	ARAS_HOST_UP = 1,
	ARAS_HOST_DOWN = 2,
	ARAS_HOST_MAINTENANCE = 3
};
/* libvirt's virDomainState values, with nostate mapped to OTHER (MIB enum). */
enum aras_vm_state {
	ARAS_VM_RUNNING = 1,
	ARAS_VM_BLOCKED = 2,
	ARAS_VM_PAUSED = 3,
	ARAS_VM_SHUTDOWN = 4,
	ARAS_VM_SHUTOFF = 5,
	ARAS_VM_CRASHED = 6,
	ARAS_VM_PMSUSPENDED = 7,
	ARAS_VM_OTHER = 8
};
enum aras_mem_source { ARAS_MEM_GUEST = 1, ARAS_MEM_HOST = 2 };
enum aras_hostmem_source { ARAS_HOSTMEM_NODE = 1, ARAS_HOSTMEM_ESTIMATED = 2 };
enum aras_vm_class { ARAS_CLASS_NORMAL = 1, ARAS_CLASS_CPU = 2, ARAS_CLASS_MEM = 3, ARAS_CLASS_IO = 4 };
enum aras_alert_state {
	ARAS_ALERT_OK = 1,
	ARAS_ALERT_PENDING = 2,
	ARAS_ALERT_FIRING = 3,
	ARAS_ALERT_CLEARING = 4
};

/* SLA state of one resource of one VM (driven by sla.c). */
struct aras_sla_track {
	uint8_t state;     /* enum aras_alert_state; 0 = never evaluated */
	uint64_t since_ms; /* entered pending / clearing */
	unsigned value;    /* last value */
};

/* virDomainPausedReason VIR_DOMAIN_PAUSED_MIGRATION: the incoming copy of a live migration. */
#define ARAS_PAUSED_MIGRATION 2

/* One VM as the virt adapter saw it in one poll (raw counters). */
struct aras_vm_sample {
	uint8_t uuid[ARAS_UUID_LEN];
	char name[ARAS_NAME_MAX];
	int state;        /* enum aras_vm_state */
	int reason;       /* libvirt's reason for state (virDomain*Reason) */
	int managed_save; /* shut off with a managed save image */
	unsigned vcpus, vcpus_max;
	uint64_t cpu_time_ns;
	uint64_t mem_cur_kib, mem_max_kib;
	int has_guest_mem; /* balloon stats available + usable/unused */
	uint64_t guest_avail_kib, guest_usable_kib;
	uint64_t rd_bytes, wr_bytes, rd_reqs, wr_reqs;
	uint64_t disk_cap_bytes, disk_alloc_bytes;
	uint64_t rx_bytes, tx_bytes;
	/*
	 * Steal: libvirt's vcpu.N.delay (ns a vCPU thread waited for a host
	 * CPU, libvirt >= 9.0) summed over the steal_vcpus vCPUs that report
	 * it.  has_steal 0: the hypervisor did not say (no number invented).
	 */
	int has_steal;
	unsigned steal_vcpus;
	uint64_t steal_ns;
	/*
	 * Each disk, interface and vCPU: identity from the domain XML the
	 * virt adapter last read (dev.cfg.known 0: not read), raw counters
	 * and has_stats from this poll.  Owned by the sample
	 * (aras_host_sample_free); the model copies it.
	 */
	struct aras_vm_devices dev;
};

/* One host's poll result. */
struct aras_host_sample {
	unsigned host_index;
	int ok; /* 0: host unreachable, err says why */
	char err[ARAS_ERRTEXT_MAX];
	uint64_t t_ms;     /* monotonic time of the poll (its end) */
	uint64_t start_ms; /* monotonic time the poll began (0: t_ms) */
	uint64_t cpu_ms;   /* CPU time the poll cost the worker */
	uint64_t wall_ms;  /* how long the poll took */
	unsigned cpus;
	uint64_t mem_total_kib;
	int has_mem_free;
	uint64_t mem_free_kib;
	int has_cpu_stats;
	uint64_t cpu_busy_ns, cpu_total_ns;
	int has_pools;
	uint64_t pool_cap_bytes, pool_alloc_bytes;
	/* the hypervisor (virConnectGetType, virConnectGetVersion): VM-MIB's vmHvSoftware / vmHvVersion */
	char hv_type[32];    /* "QEMU", "TEST"; "" when not known */
	uint32_t hv_version; /* major * 1000000 + minor * 1000 + release; 0 when not known */
	size_t nvms;
	struct aras_vm_sample *vms;
};

struct aras_host {
	unsigned index;
	char *name;
	char *uri;
	int state;       /* enum aras_host_state; UNKNOWN until first poll */
	int maintenance; /* operator flag */
	unsigned cpus;
	unsigned cpu_usage;
	char hv_type[32]; /* the last poll's that said (aras_host_sample) */
	uint32_t hv_version;
	uint64_t mem_total_kib, mem_free_kib;
	int mem_source;
	unsigned disk_usage;
	unsigned vm_count;
	char last_error[ARAS_ERRTEXT_MAX];
	uint64_t gen;                    /* poll generation, to find VMs that vanished */
	struct aras_sla_track cpu_track; /* host CPU vs hostCpuHigh, held like a VM alert */
	int have_prev;
	int usage_valid; /* cpu_usage comes from a real interval */
	uint64_t prev_t_ms, prev_busy_ns, prev_total_ns;
	uint64_t seen_ms; /* monotonic ms of the last poll result, ok or not (engine.c); 0 = none */
	/* steal over its running VMs that report it (arasHostCpuStealMean/Max) */
	int steal_valid; /* at least one such VM */
	unsigned steal_mean, steal_max;
};

struct aras_vm {
	uint8_t uuid[ARAS_UUID_LEN];
	char *name;
	unsigned host; /* arasHostIndex */
	int state;
	int reason, managed_save; /* as in aras_vm_sample */
	/* life cycle (engine.c, core/vmstate.h) */
	int oper;               /* arasVmOperState; 0 until computed */
	int oper_known;         /* last oper other than unknown; 0 = none yet */
	int prev_oper;          /* arasVmPrevOperState; 0 = no change seen */
	uint32_t state_changes; /* arasVmStateChanges */
	uint64_t state_ms;      /* monotonic time of the last event that set state */
	int busy;               /* enum aras_busy: what a running action of arasd does to it */
	unsigned vcpus, vcpus_max;
	uint64_t cpu_time_ns;
	unsigned cpu_usage;
	uint64_t mem_cur_kib, mem_max_kib;
	uint64_t mem_max_next_kib; /* an edit of its maximum, in force from its next boot (0: none pending) */
	unsigned mem_usage;
	int mem_source;
	uint64_t rd_bytes, wr_bytes, rd_reqs, wr_reqs, rx_bytes, tx_bytes;
	/*
	 * The published Counter64s: the hypervisor's counters summed over the
	 * VM's QEMU processes (a restart or a live migration starts them at 0
	 * again), so they never go backwards.
	 */
	struct {
		uint64_t cpu_ns, rd_bytes, wr_bytes, rx_bytes, tx_bytes;
	} total;
	uint32_t rd_rate, wr_rate, ops_rate, rx_rate, tx_rate;
	unsigned io_usage;
	/*
	 * arasVmCpuSteal: percent of wall time its vCPUs waited for a host
	 * CPU over the last interval, averaged over vCPUs (0 for an interval
	 * with a counter reset).  has_steal 0: the hypervisor does not report
	 * it (the column is absent).  steal_ns: the raw counter of the last sample.
	 */
	int has_steal;
	unsigned cpu_steal;
	uint64_t steal_ns;
	uint32_t disk_cap_mib, disk_alloc_mib;
	/* disks, interfaces, vCPUs one by one (device.h); freed with the VM */
	struct aras_vm_devices dev;
	int vm_class;
	int alert_state;
	struct aras_sla_track sla[ARAS_NRES];
	/* bookkeeping */
	int rates_valid; /* figures come from a real interval */
	uint64_t gen;
	uint64_t t_ms; /* time of the sample the figures come from */
	int have_prev;
	int missing;        /* its host's last poll did not list it */
	int undefined;      /* arasd undefined it: its host's next sample drops it, listed or not */
	int have_total;     /* total holds a first sample */
	int new_process;    /* moved: the next sample is a new QEMU process */
	uint64_t placed_ms; /* when vm->host was last confirmed */
	/*
	 * A live migration of it in progress that arasd did not start here
	 * (the last run's, before a takeover; an operator's virsh): another
	 * host lists it paused for an incoming migration.  That host's index,
	 * 0 = none; inbound_gen is that host's poll generation that saw it.
	 */
	unsigned inbound;
	uint64_t inbound_gen;
	int copy_only; /* every listing of it so far was an incoming copy (the target polled first) */
	void *priv;    /* owned by the SNMP adapter (its table row) */
};

struct aras_model;

struct aras_model_hooks {
	/* Called for each VM just before it is freed. */
	void (*vm_removed)(struct aras_vm *vm, void *arg);
	/* Called once after new VMs were merged in (count of them). */
	void (*vms_added)(struct aras_model *m, size_t count, void *arg);
	/* A poll found a VM on another host (from: NULL when its host left the model). */
	void (*vm_moved)(const char *name, const struct aras_host *from, const struct aras_host *to,
			 void *arg);
	void *arg;
};

struct aras_model {
	struct aras_host *hosts; /* sorted by index */
	size_t nhosts;
	struct aras_vm **vms; /* sorted by uuid */
	size_t nvms, capvms;
	struct aras_model_hooks hooks;
};

/* What one apply changed, for notifications and logs. */
struct aras_apply_result {
	int old_state, new_state; /* host state before/after */
	size_t added, removed, updated;
};

void aras_model_init(struct aras_model *m);
void aras_model_free(struct aras_model *m);

/* Add a configured host; -ARAS_E_INCONSIST if the index or name is taken. */
int aras_model_add_host(struct aras_model *m, unsigned index, const char *name, const char *uri);
struct aras_host *aras_model_host(const struct aras_model *m, unsigned index);

struct aras_vm *aras_model_find_vm(const struct aras_model *m, const uint8_t uuid[ARAS_UUID_LEN]);
/* Position of the first VM whose uuid is > uuid (for GETNEXT-style scans). */
size_t aras_model_vm_upper(const struct aras_model *m, const uint8_t uuid[ARAS_UUID_LEN]);

/*
 * Fold one host's poll result into the model.  disk_io_cap_kib is the I/O
 * rate that counts as 100 % (arasDiskIoCapacity).  -ARAS_E_NOENT for an
 * unknown host index, -ARAS_E_NOMEM (model unchanged for new VMs).
 */
int aras_model_apply(struct aras_model *m, const struct aras_host_sample *s, uint32_t disk_io_cap_kib,
		     struct aras_apply_result *res);

/*
 * A migration of vm to host target ended well at now_ms: it runs there.
 * A sample of another host moves a VM only if that poll began after the
 * VM's host was last confirmed (by a sample or by this call): samples
 * taken while it was leaving do not bring it back.
 */
void aras_model_vm_moved(struct aras_model *m, struct aras_vm *vm, unsigned target, uint64_t now_ms);

/* The state the MIB shows: maintenance wins over up; UNKNOWN shows as down. */
int aras_host_mib_state(const struct aras_host *h);

/* What an NMS alerts on without walking a table (arasStatus aggregates). */
struct aras_model_summary {
	unsigned vms_alerting;            /* VMs with at least one alert firing */
	unsigned res_alerting[ARAS_NRES]; /* per resource: cpu, memory, disk */
	unsigned hosts_down;              /* arasHostState down (incl. never reached) */
	unsigned hosts_maint;             /* maintenance flag set, up or not */
};

void aras_model_summarize(const struct aras_model *m, struct aras_model_summary *s);

/* A QEMU process runs (running, blocked, paused, shutting down, pmsuspended). */
int aras_vm_state_active(int state);

/*
 * libvirt's domain events, as the virt adapter hands them to the engine
 * (aras_engine_vm_event): the VM's new state and reason, a guest reboot,
 * a new balloon size, or "something changed, re-read" (device added or
 * removed, a job ended, a VM defined or undefined, or a VM that left).
 */
enum aras_vev_kind { ARAS_VEV_STATE = 1, ARAS_VEV_REBOOT = 2, ARAS_VEV_BALLOON = 3, ARAS_VEV_REREAD = 4 };
struct aras_vm_event {
	unsigned host_index;
	uint8_t uuid[ARAS_UUID_LEN];
	int kind;          /* enum aras_vev_kind */
	int state, reason; /* STATE */
	int managed_save;  /* STATE: 1/0, or -1 unknown (keep) */
	uint64_t mem_kib;  /* BALLOON */
	uint64_t t_ms;     /* monotonic time it arrived */
	char what[32];     /* the libvirt event, for the log ("stopped/saved") */
};

void aras_host_sample_free(struct aras_host_sample *s);

#endif
