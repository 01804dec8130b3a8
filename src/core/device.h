/*
 * device.h - a VM's disks, interfaces and vCPUs (issue 23): what each one
 * is (from the domain XML, read when a VM is first seen and again after
 * a define or device event, never once per poll) and what it did (from
 * the bulk stats call every poll already makes: block.N.*, net.N.*,
 * vcpu.N.*).  The model keeps one struct aras_vm_devices per VM
 * (struct aras_vm's dev); ARAS-MIB's device tables and RFC 7666's
 * vmStorageTable / vmNetworkTable / vmCpuTable / vmCpuAffinityTable are
 * read from it.  Pure C11.
 *
 * Identity fields are "" / 0 when the XML did not say; figures carry
 * has_stats 0 until the bulk call reported the device (libvirt's test
 * driver never does).  Counters in total never go backwards: a new QEMU
 * process (restart, migration) starts the hypervisor's counters at 0
 * again and the model adds on (as struct aras_vm's total does).
 */
#ifndef ARAS_DEVICE_H
#define ARAS_DEVICE_H

#include <stddef.h>
#include <stdint.h>

#define ARAS_DEV_TARGET_MAX 32 /* <target dev=...>: vda, sdb, vnet3 */
#define ARAS_DEV_PATH_MAX 512  /* a disk's source: file, block device, pool/volume, URL */
#define ARAS_DEV_WORD_MAX 32   /* bus, model, interface type */
#define ARAS_DEV_NET_MAX 128   /* bridge or network name */
#define ARAS_CPUSET_MAX 128    /* libvirt cpuset syntax: "0-3,^2,8" ("" = every host CPU) */

/* <disk type=...>: where the data lives */
enum aras_disk_source {
	ARAS_DISK_SRC_UNKNOWN = 0,
	ARAS_DISK_SRC_FILE = 1,
	ARAS_DISK_SRC_BLOCK = 2,
	ARAS_DISK_SRC_DIR = 3,
	ARAS_DISK_SRC_NETWORK = 4,
	ARAS_DISK_SRC_VOLUME = 5,
	ARAS_DISK_SRC_OTHER = 6
};
/* <disk device=...>: what the guest sees */
enum aras_disk_media {
	ARAS_DISK_MEDIA_UNKNOWN = 0,
	ARAS_DISK_MEDIA_DISK = 1,
	ARAS_DISK_MEDIA_CDROM = 2,
	ARAS_DISK_MEDIA_FLOPPY = 3,
	ARAS_DISK_MEDIA_LUN = 4
};
/* libvirt's virVcpuState (vcpu.N.state) */
enum aras_vcpu_state { ARAS_VCPU_OFFLINE = 0, ARAS_VCPU_RUNNING = 1, ARAS_VCPU_BLOCKED = 2 };

/* Counters of one disk as the hypervisor reports them (block.N.*). */
struct aras_disk_counters {
	uint64_t rd_bytes, wr_bytes, rd_reqs, wr_reqs, fl_reqs;
	uint64_t rd_ns, wr_ns, fl_ns; /* total time spent (latency = time / requests) */
};
struct aras_disk {
	/* identity (XML) */
	char target[ARAS_DEV_TARGET_MAX];
	char source[ARAS_DEV_PATH_MAX];
	char bus[ARAS_DEV_WORD_MAX];
	uint8_t source_type; /* enum aras_disk_source */
	uint8_t media;       /* enum aras_disk_media */
	uint8_t readonly;
	/* figures (bulk stats) */
	int has_stats;
	struct aras_disk_counters raw;           /* last sample, this QEMU process */
	struct aras_disk_counters total;         /* across QEMU processes, never backwards */
	uint64_t errs;                           /* block.N.errors (-1 / absent: 0) */
	uint64_t capacity, allocation, physical; /* bytes */
	uint32_t rd_rate, wr_rate;               /* B/s over the last interval */
	uint32_t rd_iops, wr_iops;               /* requests/s */
	unsigned usage;                          /* allocation / capacity, percent */
	int rates_valid;
};

struct aras_nic_counters {
	uint64_t rx_bytes, rx_pkts, rx_errs, rx_drop;
	uint64_t tx_bytes, tx_pkts, tx_errs, tx_drop;
};
struct aras_nic {
	/* identity (XML) */
	char target[ARAS_DEV_TARGET_MAX]; /* host-side device, "" while the VM is off */
	uint8_t mac[6];
	int has_mac;
	char type[ARAS_DEV_WORD_MAX];   /* <interface type=...>: network, bridge, direct, user, ... */
	char network[ARAS_DEV_NET_MAX]; /* the network or bridge it is attached to */
	char model[ARAS_DEV_WORD_MAX];  /* <model type=...>: virtio, e1000, ... */
	/* figures (bulk stats) */
	int has_stats;
	struct aras_nic_counters raw, total;
	uint32_t rx_rate, tx_rate; /* B/s */
	uint32_t rx_pps, tx_pps;   /* packets/s */
	int rates_valid;
};

struct aras_vcpu {
	unsigned number;              /* the guest's vCPU number (vcpu.N) */
	char cpuset[ARAS_CPUSET_MAX]; /* host CPUs it may run on (XML vcpupin / vcpu cpuset) */
	int has_stats;
	int state;                           /* enum aras_vcpu_state */
	uint64_t time_ns, wait_ns, delay_ns; /* raw: vcpu.N.time / .wait / .delay */
	int has_wait, has_delay;
	uint64_t total_time_ns; /* across QEMU processes */
	unsigned steal;         /* delay over the last interval, percent of wall time */
	int rates_valid;
};

/* What the domain XML says about the VM itself (read with its devices). */
struct aras_vm_config {
	int known;                       /* the XML was read at least once */
	char os_type[ARAS_DEV_WORD_MAX]; /* <os><type>: hvm, xen, exe, ... */
	int autostart;                   /* -1 unknown, 0, 1 */
	int persistent;                  /* -1 unknown, 0 (transient), 1 */
	uint64_t mem_min_kib;            /* 0: none set (no <memtune><min_guarantee>) */
	unsigned vcpus_max;              /* <vcpu>N</vcpu>: the maximum (0: not said) */
	char cpuset[ARAS_CPUSET_MAX];    /* <vcpu cpuset=...>, "" = every host CPU */
};

struct aras_vm_devices {
	struct aras_vm_config cfg;
	struct aras_disk *disks; /* in the XML's order */
	size_t ndisks;
	struct aras_nic *nics; /* in the XML's order */
	size_t nnics;
	struct aras_vcpu *vcpus; /* by vCPU number */
	size_t nvcpus;
	uint64_t changed_ms; /* monotonic time the device list last changed (0 = never) */
	/*
	 * A poll's sample only: the lists carry keys (target, vCPU number)
	 * and figures, no identity, in the order of the lists the adapter
	 * sent before (no lists at all: no figures this poll).
	 */
	int figures_only;
};

/* Free the three arrays (d may be NULL); d is left empty, cfg kept. */
void aras_devices_free(struct aras_vm_devices *d);

/* Copy src's arrays into dst (dst's own freed first); 0 or -ARAS_E_NOMEM (dst empty). */
int aras_devices_copy(struct aras_vm_devices *dst, const struct aras_vm_devices *src);

/* The device of a list with that target ("" never matches); NULL if none. */
struct aras_disk *aras_devices_disk(const struct aras_vm_devices *d, const char *target);
struct aras_nic *aras_devices_nic(const struct aras_vm_devices *d, const char *target);

/*
 * Fold a poll's devices s (identity and raw counters, as the virt adapter
 * sends them) into a VM's devices cur: cur becomes s's list (the same
 * devices in s's order), each device carrying over the totals of cur's
 * device with the same key (target; vCPU number) and its rates over dt_ms
 * (0: no interval, rates 0 and rates_valid 0).  new_process: the counters
 * of s start from 0 (a new QEMU process), totals add s's raw values.  A
 * counter that went backwards counts as a new process for that device.
 * s->cfg.known 0 (the XML was not read) keeps cur->cfg.  changed_ms is
 * set to now_ms when the keys differ from cur's.  s->figures_only: cur's
 * list and identity stay, each device takes the figures of s's device
 * with its key (none when s has no lists), with no allocation.  0 or
 * -ARAS_E_NOMEM (cur unchanged).
 */
int aras_devices_fold(struct aras_vm_devices *cur, const struct aras_vm_devices *s, uint64_t dt_ms,
		      int new_process, uint64_t now_ms);

/*
 * The target a disk added by arasd gets: the first of vdb .. vdz no disk
 * of d uses (src/virt/exec.c's rule), into buf; 0, or -1 when d's XML was
 * not read (cfg.known 0) or every name is taken.
 */
int aras_devices_next_vd(const struct aras_vm_devices *d, char *buf, size_t size);

/* The disk with the highest usage among those with stats (NULL: none). */
const struct aras_disk *aras_devices_fullest(const struct aras_vm_devices *d);

#endif
