/*
 * vmmib.c - RFC 7666 VM-MIB (1.3.6.1.2.1.236) beside ARAS-MIB.
 *
 * VM-MIB describes one hypervisor; arasd watches several.  Each host's
 * vmObjects subtree is registered in an SNMP context named after the host
 * (AgentX carries the context name in its Register PDU; snmpd forwards a
 * request in that context to it), and once more in the default context
 * for the host vmMibLocalHost names.  One handler per registration
 * answers GET, GETNEXT (GETBULK through net-snmp's bulk_to_next helper)
 * and the SETs of the two notification switches.
 *
 * The rows of each context's tables are index arrays rebuilt from the
 * model when it changed (aras_vmmib_touch: a poll, an event, VMs added or
 * freed), before the next request or at the next second's tick; a GETNEXT
 * is a binary search.  vmIndex comes from the state (core/state.h): a new
 * VM's index is saved to the state file when it is given, before any
 * answer shows it.  Values are read from the model at request time.
 *
 * Notifications: a state change the engine announces is vmRunning ...
 * vmCrashed (vmPerVMNotificationsEnabled); one the stateNotifyLimit held
 * back, or any with per-VM notifications off, is gathered per host and
 * state and leaves at the next tick as vmBulkRunning ... with
 * vmAffectedVMs (vmBulkNotificationsEnabled).  A VM that leaves the model
 * is vmDeleted.  They are queued with ARAS-MIB's (notify.c).
 */
#include "vmmib.h"

#include "arasd.h"
#include "clock.h"

#include "core/cpuset.h"
#include "core/vmstate.h"
#include "util/log.h"
#include "mib.h"
#include "notify.h"
#include "txn.h"

#include <stdlib.h>
#include <string.h>

#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>
#include <net-snmp/agent/net-snmp-agent-includes.h>

/* Log lines of this file say where they come from (util/log.h). */
static const char log_token[] = "vmmib";

#define VM_MIB 1, 3, 6, 1, 2, 1, 236
static const oid vmobjects_oid[] = { VM_MIB, 1 };
#define BASE_LEN 8 /* OID_LENGTH(vmobjects_oid) */

/* vmObjects' arcs */
enum {
	O_HV = 1,
	O_NUMBER = 2,
	O_LAST_CHANGE = 3,
	O_VM = 4,
	O_CPU = 5,
	O_AFF = 6,
	O_STOR = 7,
	O_NET = 8,
	O_PER_VM = 9,
	O_BULK = 10,
	O_AFFECTED = 11
};
/* the tables in vmObjects' order, and the columns each serves */
enum { T_VM, T_CPU, T_AFF, T_STOR, T_NET, T_COUNT };
static const struct {
	unsigned arc, first, last, nidx;
} tdef[T_COUNT] = {
	[T_VM] = { O_VM, 2, 17, 1 },     [T_CPU] = { O_CPU, 2, 2, 2 }, [T_AFF] = { O_AFF, 3, 3, 3 },
	[T_STOR] = { O_STOR, 3, 18, 2 }, [T_NET] = { O_NET, 2, 5, 2 },
};
/* vmEntry columns */
enum {
	C_NAME = 2,
	C_UUID,
	C_OS,
	C_ADMIN,
	C_OPER,
	C_AUTOSTART,
	C_PERSISTENT,
	C_CUR_CPU,
	C_MIN_CPU,
	C_MAX_CPU,
	C_MEM_UNIT,
	C_CUR_MEM,
	C_MIN_MEM,
	C_MAX_MEM,
	C_UPTIME,
	C_CPU_TIME
};

/* vmMemUnit: KiB, libvirt's unit (virsh dominfo); vmStorageSizeUnit: MiB */
#define MEM_UNIT 1024
#define STOR_UNIT 1048576

struct trow {
	oid idx[3];
	struct aras_vm *vm;
	size_t dev;   /* T_CPU, T_AFF: vCPU; T_STOR: disk; T_NET: interface (position in dev) */
	unsigned cpu; /* T_AFF: host CPU (0-based) */
};
struct rows {
	struct trow *v;
	size_t n, cap;
};

/* One context: a host's VM-MIB. */
struct vctx {
	char *name; /* context name; NULL: the default context */
	unsigned host;
	netsnmp_handler_registration *reg;
	struct rows t[T_COUNT];
	size_t nvms_last;        /* vmNumber at the last rebuild */
	uint32_t *idx_last;      /* the vmIndex set at the last rebuild (sorted), for vmTableLastChange */
	uint64_t last_change_ms; /* vmHvUpTime (ms) when a row was last added or removed */
	uint64_t up_since_ms;    /* the host's poll answered since (0: down) */
	uint8_t *bulk[ARAS_VMN_BULK]; /* vmAffectedVMs per notification 1..10, gathered */
	size_t bulk_len[ARAS_VMN_BULK];
};

/* A VM's last start (vmUpTime), by UUID. */
struct upt {
	uint8_t uuid[ARAS_UUID_LEN];
	uint64_t since_ms;
};

/* File scope: net-snmp's handlers reach the contexts only through their registration. */
static struct {
	struct arasd *d;
	struct vctx *c;
	size_t nc;
	int dirty;           /* the model may have changed: compare its shape */
	int stale;           /* rows point at a freed VM: rebuild whatever the shape */
	uint64_t shape;      /* shape() at the last rebuild */
	uint32_t assign_gen; /* state generation of the last save of indexes */
	int assigned;        /* an index was saved: commits save again (save_indexes) */
	int save_pending;    /* a new index waits for the SET in flight */
	struct upt *up;
	size_t nup;
} vm;

/* ---- rows ---- */

static int rows_add(struct rows *r, const struct trow *t)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 64;
		struct trow *v = realloc(r->v, cap * sizeof(*v));

		if (!v)
			return -1;
		r->v = v;
		r->cap = cap;
	}
	r->v[r->n++] = *t;
	return 0;
}

static int trow_cmp(const void *a, const void *b)
{
	const struct trow *x = a, *y = b;

	for (int i = 0; i < 3; i++)
		if (x->idx[i] != y->idx[i])
			return x->idx[i] < y->idx[i] ? -1 : 1;
	return 0;
}

static struct upt *up_find(const uint8_t *uuid)
{
	size_t lo = 0, hi = vm.nup;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = memcmp(vm.up[mid].uuid, uuid, ARAS_UUID_LEN);

		if (!c)
			return &vm.up[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/*
 * vmUpTime's starts again, in one pass beside the model's VMs (both sorted
 * by UUID): a VM keeps its start while it has a QEMU process; one that
 * gets one now starts now; one without, or gone, is dropped.
 */
static void up_rebuild(const struct aras_model *m, uint64_t now_ms)
{
	struct upt *n = m->nvms ? malloc(m->nvms * sizeof(*n)) : NULL;
	size_t k = 0, j = 0;

	if (m->nvms && !n)
		return;
	for (size_t i = 0; i < m->nvms; i++) {
		const struct aras_vm *v = m->vms[i];

		while (j < vm.nup && memcmp(vm.up[j].uuid, v->uuid, ARAS_UUID_LEN) < 0)
			j++;
		if (!aras_vm_state_active(v->state))
			continue;
		memcpy(n[k].uuid, v->uuid, ARAS_UUID_LEN);
		n[k++].since_ms = j < vm.nup && memcmp(vm.up[j].uuid, v->uuid, ARAS_UUID_LEN) == 0 ?
					  vm.up[j].since_ms :
					  now_ms;
	}
	free(vm.up);
	vm.up = n;
	vm.nup = k;
}

/* The host's CPUs as the model knows them (vmCpuAffinityTable's rows). */
static unsigned host_cpus(unsigned host)
{
	const struct aras_host *h = aras_model_host(aras_engine_model(vm.d->eng), host);

	return h ? h->cpus : 0;
}

/* VM v's rows (index x) in context c. */
static void add_rows(struct vctx *c, struct aras_vm *v, uint32_t x, unsigned ncpu)
{
	rows_add(&c->t[T_VM], &(struct trow){ { x }, v, 0, 0 });
	for (size_t k = 0; k < v->dev.nvcpus; k++) {
		oid cpu = v->dev.vcpus[k].number + 1;

		rows_add(&c->t[T_CPU], &(struct trow){ { x, cpu }, v, k, 0 });
		for (unsigned p = 0; p < ncpu; p++)
			rows_add(&c->t[T_AFF], &(struct trow){ { x, cpu, p + 1 }, v, k, p });
	}
	for (size_t k = 0; k < v->dev.ndisks; k++)
		rows_add(&c->t[T_STOR], &(struct trow){ { x, k + 1 }, v, k, 0 });
	for (size_t k = 0; k < v->dev.nnics; k++)
		rows_add(&c->t[T_NET], &(struct trow){ { x, k + 1 }, v, k, 0 });
}

/*
 * After the rows are in: sorted, and vmTableLastChange (vmHvUpTime's clock,
 * as RFC 7666 has it) if the set of VMs differs from the last one.
 */
static void finish_ctx(struct vctx *c, uint64_t now_ms)
{
	const struct aras_host *h = aras_model_host(aras_engine_model(vm.d->eng), c->host);
	size_t nids = c->t[T_VM].n;
	uint32_t *ids = NULL;

	/* vmHvUpTime starts when the host's polls answer; vmTableLastChange counts from it */
	if (h && h->state == ARAS_HOST_UP) {
		if (!c->up_since_ms) {
			c->up_since_ms = now_ms;
			c->last_change_ms = 0;
		}
	} else {
		c->up_since_ms = 0;
	}
	for (int t = 0; t < T_COUNT; t++)
		if (c->t[t].n > 1) /* qsort's base must not be NULL, even for 0 rows */
			qsort(c->t[t].v, c->t[t].n, sizeof(struct trow), trow_cmp);
	if (nids && !(ids = malloc(nids * sizeof(*ids))))
		return;
	for (size_t i = 0; i < nids; i++)
		ids[i] = (uint32_t)c->t[T_VM].v[i].idx[0];
	if (nids != c->nvms_last || (nids && memcmp(ids, c->idx_last, nids * sizeof(*ids)) != 0))
		c->last_change_ms = c->up_since_ms ? now_ms - c->up_since_ms : 0;
	free(c->idx_last);
	c->idx_last = ids;
	c->nvms_last = nids;
}

/* The contexts of host (its own, and the default one when it is vmMibLocalHost): how many, in out[]. */
static size_t ctx_of(unsigned host, struct vctx *out[2])
{
	size_t n = 0;

	for (size_t i = 0; i < vm.nc && n < 2; i++)
		if (vm.c[i].host == host)
			out[n++] = &vm.c[i];
	return n;
}

/*
 * New vmIndex values to the state file (the live state: settings and all).
 * Not while a SET is in flight: its staged copy may be on disk already, and
 * the live state would take its acknowledged values back; the SET's commit
 * keeps the live map (engine.c), and the state saved after it has both.
 * A commit after an index was given saves again: the SET's own save (at
 * its ACTION) wrote the copy it staged, which may predate the index.
 */
static void save_indexes(void)
{
	struct arasd *d = vm.d;
	uint32_t gen = aras_engine_state_gen(d->eng);
	char why[256];

	if (vm.assigned && vm.assign_gen != gen)
		vm.save_pending = 1;
	if (!vm.save_pending || !d->state_file || aras_txn_busy())
		return;
	if (aras_state_save(aras_engine_state(d->eng), d->state_file, why, sizeof(why)) < 0)
		log_err("cannot save the new vmIndex: %s", why);
	vm.save_pending = 0;
	vm.assigned = 1;
	vm.assign_gen = gen;
}

/* Every VM has its vmIndex (saved before the tick or answer that shows it, SETs aside), then every context's rows. */
static void rebuild(void)
{
	struct arasd *d = vm.d;
	const struct aras_model *m = aras_engine_model(d->eng);
	uint64_t now_ms = aras_mono_ms();
	int added_any = 0;

	for (size_t i = 0; i < vm.nc; i++)
		for (int t = 0; t < T_COUNT; t++)
			vm.c[i].t[t].n = 0;
	for (size_t i = 0; i < m->nvms; i++) {
		struct aras_vm *v = m->vms[i];
		struct vctx *cs[2];
		size_t nc = ctx_of(v->host, cs);
		int added = 0;
		uint32_t x = aras_engine_vm_index(d->eng, v->uuid, &added);

		if (!x)
			log_err("no vmIndex for VM %s (out of memory or indexes)", v->name);
		added_any |= added;
		for (size_t k = 0; x && k < nc; k++)
			add_rows(cs[k], v, x, host_cpus(v->host));
	}
	up_rebuild(m, now_ms);
	if (added_any)
		vm.save_pending = 1;
	save_indexes();
	for (size_t i = 0; i < vm.nc; i++)
		finish_ctx(&vm.c[i], now_ms);
	vm.dirty = 0;
}

/* 64-bit mix (splitmix64's finaliser) of h and x */
static uint64_t mix(uint64_t h, uint64_t x)
{
	h ^= x + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ull;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebull;
	return h ^ (h >> 31);
}

/*
 * What the rows depend on, hashed: each VM (which one, its host, whether
 * it runs, when its device list last changed, how many devices) and each
 * host (up or not, its CPUs).  A poll that changed none of it, the usual
 * case, costs one pass over the VMs instead of a rebuild: values are read
 * at request time anyway.  A VM freed forces the rebuild (vm.stale).
 */
static uint64_t shape(void)
{
	const struct aras_model *m = aras_engine_model(vm.d->eng);
	uint64_t h = mix(m->nvms, m->nhosts);

	for (size_t i = 0; i < m->nvms; i++) {
		const struct aras_vm *v = m->vms[i];
		uint64_t id;

		memcpy(&id, v->uuid, sizeof(id));
		h = mix(h, (uintptr_t)v ^ id);
		h = mix(h, ((uint64_t)v->host << 1 | (aras_vm_state_active(v->state) ? 1 : 0)) ^
				   v->dev.changed_ms << 20);
		h = mix(h, (uint64_t)v->dev.nvcpus << 40 | (uint64_t)v->dev.ndisks << 20 | v->dev.nnics);
	}
	for (size_t i = 0; i < m->nhosts; i++) {
		const struct aras_host *ho = &m->hosts[i];

		h = mix(h, (uint64_t)ho->cpus << 8 | (ho->state == ARAS_HOST_UP));
	}
	return h;
}

/* The rows again if the model's shape changed (or a VM was freed). */
static void refresh(void)
{
	uint64_t s = shape();

	if (vm.stale || s != vm.shape)
		rebuild();
	else
		save_indexes(); /* a new index or a commit's re-save waits for no rebuild */
	vm.shape = s;
	vm.stale = 0;
	vm.dirty = 0;
}

void aras_vmmib_touch(void)
{
	vm.dirty = 1;
}

/* ---- values ---- */

static void set_i32(netsnmp_variable_list *var, long v)
{
	if (v > 2147483647L)
		v = 2147483647L;
	snmp_set_var_typed_value(var, ASN_INTEGER, &v, sizeof(v));
}

static void set_ticks(netsnmp_variable_list *var, uint64_t ms)
{
	u_long t = ms / 10 > 0xffffffffull ? 0xffffffffu : (u_long)(ms / 10);

	snmp_set_var_typed_value(var, ASN_TIMETICKS, &t, sizeof(t));
}

static void set_c64(netsnmp_variable_list *var, uint64_t v)
{
	struct counter64 c = { (u_long)(v >> 32), (u_long)(v & 0xffffffffu) };

	snmp_set_var_typed_value(var, ASN_COUNTER64, &c, sizeof(c));
}

static void set_str(netsnmp_variable_list *var, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	snmp_set_var_typed_value(var, ASN_OCTET_STR, s ? s : "", n > 255 ? 255 : n);
}

/*
 * vmHvSoftware: libvirt's name of the hypervisor (virConnectGetType: QEMU,
 * TEST, ...), as `virsh version` says "Running hypervisor: QEMU 7.2.0";
 * vmHvVersion its version.  "" until a poll reported them.
 */
static void hv_info(const struct vctx *c, int version, char *buf, size_t len)
{
	const struct aras_host *h = aras_model_host(aras_engine_model(vm.d->eng), c->host);

	buf[0] = '\0';
	if (!h || !h->hv_type[0])
		return;
	if (!version)
		snprintf(buf, len, "%s", h->hv_type);
	else
		snprintf(buf, len, "%u.%u.%u", (unsigned)(h->hv_version / 1000000),
			 (unsigned)(h->hv_version / 1000 % 1000), (unsigned)(h->hv_version % 1000));
}

static int vm_value(const struct vctx *c, const struct trow *r, unsigned col, netsnmp_variable_list *var)
{
	const struct aras_vm *v = r->vm;
	const struct aras_vm_config *cfg = &v->dev.cfg;
	const struct upt *u;

	switch (col) {
	case C_NAME: set_str(var, v->name); break;
	case C_UUID: snmp_set_var_typed_value(var, ASN_OCTET_STR, v->uuid, ARAS_UUID_LEN); break;
	case C_OS: set_str(var, cfg->os_type); break;
	case C_ADMIN: set_i32(var, aras_vm_admin_state(v->state, v->managed_save)); break;
	case C_OPER: set_i32(var, v->oper ? v->oper : ARAS_OPER_UNKNOWN); break;
	case C_AUTOSTART: set_i32(var, !cfg->known || cfg->autostart < 0 ? 1 : cfg->autostart ? 2 : 3); break;
	case C_PERSISTENT:
		set_i32(var, !cfg->known || cfg->persistent < 0 ? 1 : cfg->persistent ? 2 : 3);
		break;
	case C_CUR_CPU: set_i32(var, v->vcpus); break;
	/* libvirt has no minimum vCPU count: unknown (-1), as the RFC says */
	case C_MIN_CPU: set_i32(var, -1); break;
	case C_MAX_CPU: set_i32(var, v->vcpus_max ? (long)v->vcpus_max : -1); break;
	case C_MEM_UNIT: set_i32(var, MEM_UNIT); break;
	case C_CUR_MEM:
		set_i32(var, (long)(v->mem_cur_kib > 2147483647u ? 2147483647u : v->mem_cur_kib));
		break;
	case C_MIN_MEM:
		set_i32(var, cfg->known && cfg->mem_min_kib ?
				     (long)(cfg->mem_min_kib > 2147483647u ? 2147483647u : cfg->mem_min_kib) :
				     -1);
		break;
	case C_MAX_MEM:
		set_i32(var, v->mem_max_kib ?
				     (long)(v->mem_max_kib > 2147483647u ? 2147483647u : v->mem_max_kib) :
				     -1);
		break;
	case C_UPTIME:
		u = up_find(v->uuid);
		set_ticks(var, u && aras_vm_state_active(v->state) ? aras_mono_ms() - u->since_ms : 0);
		break;
	case C_CPU_TIME: set_c64(var, v->total.cpu_ns / 1000); break;
	default: return -1;
	}
	(void)c;
	return 0;
}

/* VirtualMachineStorageSourceType and its text */
static int stor_source(int t)
{
	switch (t) {
	case ARAS_DISK_SRC_UNKNOWN: return 1;
	case ARAS_DISK_SRC_BLOCK: return 3;
	case ARAS_DISK_SRC_NETWORK: return 6;
	}
	return 2; /* file (raw or sparse is the image format's, not known here), dir, volume: other */
}

static const char *stor_source_text(int t)
{
	static const char *const names[] = { "", "file", "block", "dir", "network", "volume", "other" };

	return t >= 0 && t <= ARAS_DISK_SRC_OTHER ? names[t] : "";
}

/* IANAStorageMediaType: other(1), unknown(2), hardDisk(3), opticalDisk(4), floppyDisk(5) */
static int stor_media(int m)
{
	switch (m) {
	case ARAS_DISK_MEDIA_DISK:
	case ARAS_DISK_MEDIA_LUN: return 3;
	case ARAS_DISK_MEDIA_CDROM: return 4;
	case ARAS_DISK_MEDIA_FLOPPY: return 5;
	}
	return 2;
}

static const char *stor_media_text(int m)
{
	static const char *const names[] = { "", "disk", "cdrom", "floppy", "lun" };

	return m >= 0 && m <= ARAS_DISK_MEDIA_LUN ? names[m] : "";
}

static long stor_size(int has, uint64_t bytes)
{
	uint64_t u = bytes / STOR_UNIT;

	return has ? (long)(u > 2147483647u ? 2147483647u : u) : -1;
}

static int dev_value(int t, const struct trow *r, unsigned col, netsnmp_variable_list *var)
{
	const struct aras_vm_devices *dv = &r->vm->dev;

	if (t == T_CPU) {
		if (r->dev >= dv->nvcpus)
			return -1;
		set_c64(var, dv->vcpus[r->dev].total_time_ns / 1000);
		return 0;
	}
	if (t == T_AFF) {
		const char *set;
		int in;

		if (r->dev >= dv->nvcpus)
			return -1;
		set = dv->vcpus[r->dev].cpuset[0] ? dv->vcpus[r->dev].cpuset : dv->cfg.cpuset;
		in = aras_cpuset_has(set, r->cpu);
		set_i32(var, in < 0 ? 0 : in ? 1 : 2); /* unknown(0), enable(1), disable(2) */
		return 0;
	}
	if (t == T_NET) {
		const struct aras_nic *n;

		if (r->dev >= dv->nnics)
			return -1;
		n = &dv->nics[r->dev];
		switch (col) {
		case 2: /* vmNetworkIfIndex: not in this agent's IF-MIB (RFC 7666 allows 0) */
		case 3: set_i32(var, 0); break; /* vmNetworkParent: likewise */
		case 4: set_str(var, n->model); break;
		case 5: snmp_set_var_typed_value(var, ASN_OCTET_STR, n->mac, n->has_mac ? 6 : 0); break;
		default: return -1;
		}
		return 0;
	}
	if (r->dev >= dv->ndisks)
		return -1;
	{
		const struct aras_disk *k = &dv->disks[r->dev];

		switch (col) {
		case 3: set_i32(var, 0); break; /* vmStorageParent: no hrDeviceIndex here */
		case 4: set_i32(var, stor_source(k->source_type)); break;
		case 5: set_str(var, stor_source_text(k->source_type)); break;
		case 6: set_str(var, k->source); break;
		case 7: set_i32(var, k->readonly ? 3 : 2); break;
		case 8: set_i32(var, stor_media(k->media)); break;
		case 9: set_str(var, stor_media_text(k->media)); break;
		case 10: set_i32(var, STOR_UNIT); break;
		case 11: set_i32(var, stor_size(k->has_stats, k->capacity)); break;
		case 12: set_i32(var, stor_size(k->has_stats, k->allocation)); break;
		case 13: set_c64(var, k->total.rd_reqs); break;
		case 14: set_c64(var, k->total.wr_reqs); break;
		case 15: set_c64(var, k->total.rd_bytes); break;
		case 16: set_c64(var, k->total.wr_bytes); break;
		case 17: set_c64(var, k->total.rd_ns / 1000); break;
		case 18: set_c64(var, k->total.wr_ns / 1000); break;
		default: return -1;
		}
	}
	return 0;
}

/* The scalars: arc (and sub-arc under vmHypervisor); 0 or -1 (none). */
static int scalar_value(const struct vctx *c, unsigned arc, unsigned sub, netsnmp_variable_list *var)
{
	static const oid zero_dot_zero[] = { 0, 0 };
	char buf[128];

	switch (arc) {
	case O_HV:
		switch (sub) {
		case 1:
		case 2:
			hv_info(c, sub == 2, buf, sizeof(buf));
			set_str(var, buf);
			return 0;
		case 3:
			snmp_set_var_typed_value(var, ASN_OBJECT_ID, zero_dot_zero, sizeof(zero_dot_zero));
			return 0;
		case 4: set_ticks(var, c->up_since_ms ? aras_mono_ms() - c->up_since_ms : 0); return 0;
		}
		return -1;
	case O_NUMBER: set_i32(var, (long)c->t[T_VM].n); return 0;
	case O_LAST_CHANGE: set_ticks(var, c->last_change_ms); return 0;
	case O_PER_VM: set_i32(var, aras_engine_settings(vm.d->eng)->v[ARAS_S_VM_PER_VM_NOTIFY]); return 0;
	case O_BULK: set_i32(var, aras_engine_settings(vm.d->eng)->v[ARAS_S_VM_BULK_NOTIFY]); return 0;
	}
	return -1;
}

/* ---- the object space in order ---- */

/*
 * Every instance in lexicographic order: the scalars (vmHypervisor.1-4.0,
 * vmNumber.0, vmTableLastChange.0), the five tables column by column, then
 * the two switches.  A segment is one scalar or one table column.
 */
struct seg {
	oid prefix[BASE_LEN + 3];
	size_t len;
	int table; /* -1: scalar (its instance is prefix itself) */
	unsigned arc, sub, col;
};

static size_t segments(struct seg *out)
{
	size_t n = 0;

	for (unsigned s = 1; s <= 4; s++)
		out[n++] = (struct seg){ { VM_MIB, 1, O_HV, s, 0 }, BASE_LEN + 3, -1, O_HV, s, 0 };
	out[n++] = (struct seg){ { VM_MIB, 1, O_NUMBER, 0 }, BASE_LEN + 2, -1, O_NUMBER, 0, 0 };
	out[n++] = (struct seg){ { VM_MIB, 1, O_LAST_CHANGE, 0 }, BASE_LEN + 2, -1, O_LAST_CHANGE, 0, 0 };
	for (int t = 0; t < T_COUNT; t++)
		for (unsigned col = tdef[t].first; col <= tdef[t].last; col++)
			out[n++] = (struct seg){
				{ VM_MIB, 1, tdef[t].arc, 1, col }, BASE_LEN + 3, t, 0, 0, col
			};
	out[n++] = (struct seg){ { VM_MIB, 1, O_PER_VM, 0 }, BASE_LEN + 2, -1, O_PER_VM, 0, 0 };
	out[n++] = (struct seg){ { VM_MIB, 1, O_BULK, 0 }, BASE_LEN + 2, -1, O_BULK, 0, 0 };
	return n;
}
#define NSEG 64

/* First row of rows whose index is greater than idx[0..n) (n may be 0: the first row). */
static size_t row_after(const struct rows *rs, unsigned nidx, const oid *idx, size_t n)
{
	size_t lo = 0, hi = rs->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (snmp_oid_compare(rs->v[mid].idx, nidx, idx, n) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static const struct trow *row_exact(const struct rows *rs, unsigned nidx, const oid *idx, size_t n)
{
	size_t lo = 0, hi = rs->n;

	if (n != nidx)
		return NULL;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = snmp_oid_compare(rs->v[mid].idx, nidx, idx, n);

		if (!c)
			return &rs->v[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int seg_value(const struct vctx *c, const struct seg *s, const struct trow *r,
		     netsnmp_variable_list *var)
{
	if (s->table < 0)
		return scalar_value(c, s->arc, s->sub, var);
	if (r->vm->host != c->host)
		return -1;
	return s->table == T_VM ? vm_value(c, r, s->col, var) : dev_value(s->table, r, s->col, var);
}

static int get_one(const struct vctx *c, netsnmp_variable_list *var)
{
	struct seg sg[NSEG];
	size_t n = segments(sg);

	for (size_t i = 0; i < n; i++) {
		const struct seg *s = &sg[i];
		const struct trow *r;

		if (s->table < 0) {
			if (snmp_oid_compare(var->name, var->name_length, s->prefix, s->len) == 0)
				return scalar_value(c, s->arc, s->sub, var);
			continue;
		}
		if (var->name_length <= s->len || snmp_oid_compare(var->name, s->len, s->prefix, s->len) != 0)
			continue;
		r = row_exact(&c->t[s->table], tdef[s->table].nidx, var->name + s->len,
			      var->name_length - s->len);
		return r ? seg_value(c, s, r, var) : -1;
	}
	return -1;
}

/* The next instance after var's name: its name and value set, or 0 when none in vmObjects. */
static int next_one(const struct vctx *c, netsnmp_variable_list *var)
{
	struct seg sg[NSEG];
	size_t n = segments(sg);

	for (size_t i = 0; i < n; i++) {
		const struct seg *s = &sg[i];
		oid name[MAX_OID_LEN];
		size_t from;
		const struct rows *rs;

		if (s->table < 0) {
			if (snmp_oid_compare(var->name, var->name_length, s->prefix, s->len) < 0 &&
			    scalar_value(c, s->arc, s->sub, var) == 0) {
				snmp_set_var_objid(var, s->prefix, s->len);
				return 1;
			}
			continue;
		}
		rs = &c->t[s->table];
		if (var->name_length >= s->len && snmp_oid_compare(var->name, s->len, s->prefix, s->len) == 0)
			from = row_after(rs, tdef[s->table].nidx, var->name + s->len,
					 var->name_length - s->len);
		else if (snmp_oid_compare(var->name, var->name_length, s->prefix, s->len) < 0)
			from = 0;
		else
			continue;
		for (; from < rs->n; from++) {
			const struct trow *r = &rs->v[from];

			if (seg_value(c, s, r, var) < 0)
				continue;
			memcpy(name, s->prefix, s->len * sizeof(oid));
			memcpy(name + s->len, r->idx, tdef[s->table].nidx * sizeof(oid));
			snmp_set_var_objid(var, name, s->len + tdef[s->table].nidx);
			return 1;
		}
	}
	return 0;
}

static int vm_handler(netsnmp_mib_handler *handler, netsnmp_handler_registration *reginfo,
		      netsnmp_agent_request_info *reqinfo, netsnmp_request_info *requests)
{
	struct vctx *c = &vm.c[(size_t)(uintptr_t)reginfo->my_reg_void];

	(void)handler;
	if (vm.dirty)
		refresh();
	for (netsnmp_request_info *r = requests; r; r = r->next) {
		netsnmp_variable_list *var = r->requestvb;
		int id;

		if (r->processed)
			continue;
		switch (reqinfo->mode) {
		case MODE_GET:
			if (get_one(c, var) < 0)
				netsnmp_set_request_error(reqinfo, r, SNMP_NOSUCHINSTANCE);
			break;
		case MODE_GETNEXT:
			/* nothing after it here: ASN_NULL lets the agent go on to the next registration */
			if (!next_one(c, var))
				snmp_set_var_typed_value(var, ASN_NULL, NULL, 0);
			break;
		default:
			/* SET: only vmPerVMNotificationsEnabled.0 and vmBulkNotificationsEnabled.0 */
			id = var->name_length == BASE_LEN + 2 && var->name[BASE_LEN + 1] == 0 ?
				     var->name[BASE_LEN] == O_PER_VM ? ARAS_S_VM_PER_VM_NOTIFY :
				     var->name[BASE_LEN] == O_BULK   ? ARAS_S_VM_BULK_NOTIFY :
								       -1 :
				     -1;
			if (id >= 0) {
				aras_mib_setting_set(id, reqinfo, r);
				break;
			}
			if (reqinfo->mode == MODE_SET_RESERVE1)
				netsnmp_set_request_error(reqinfo, r,
							  get_one(c, var) < 0 ? SNMP_ERR_NOCREATION :
										SNMP_ERR_NOTWRITABLE);
			break;
		}
	}
	return SNMP_ERR_NOERROR;
}

/* ---- notifications ---- */

static const oid trap_oid_oid[] = { 1, 3, 6, 1, 6, 3, 1, 1, 4, 1, 0 };
static const oid uptime_oid[] = { 1, 3, 6, 1, 2, 1, 1, 3, 0 };

static netsnmp_variable_list *notify_begin(unsigned n)
{
	oid trap[] = { VM_MIB, 0, n };
	u_long up = netsnmp_get_agent_uptime();
	netsnmp_variable_list *vars = NULL;

	snmp_varlist_add_variable(&vars, uptime_oid, OID_LENGTH(uptime_oid), ASN_TIMETICKS, &up, sizeof(up));
	snmp_varlist_add_variable(&vars, trap_oid_oid, OID_LENGTH(trap_oid_oid), ASN_OBJECT_ID, trap,
				  sizeof(trap));
	return vars;
}

static int setting_true(int id)
{
	return aras_engine_settings(vm.d->eng)->v[id] == ARAS_TRUE;
}

/* vmName, vmUUID, vmOperState (and vmPersistent for vmDeleted) of v, whose index is x */
static void send_per_vm(const struct aras_vm *v, uint32_t x, unsigned n)
{
	static const unsigned cols[] = { C_NAME, C_UUID, C_OPER, C_PERSISTENT };
	netsnmp_variable_list *vars = notify_begin(n);
	struct trow r = { { x }, (struct aras_vm *)v, 0, 0 };

	for (size_t i = 0; i < (n == ARAS_VMN_DELETED ? 4u : 3u); i++) {
		oid name[] = { VM_MIB, 1, O_VM, 1, cols[i], x };
		netsnmp_variable_list tmp;

		memset(&tmp, 0, sizeof(tmp));
		vm_value(NULL, &r, cols[i], &tmp);
		snmp_varlist_add_variable(&vars, name, OID_LENGTH(name), tmp.type, tmp.val.string,
					  tmp.val_len);
		snmp_free_var_internals(&tmp);
	}
	aras_notify_vars(vm.d, vars, "VM-MIB notification");
}

static struct vctx *ctx_of_host(unsigned host)
{
	for (size_t i = 0; i < vm.nc; i++)
		if (vm.c[i].name && vm.c[i].host == host)
			return &vm.c[i];
	return NULL;
}

/* Gather v (index x) for the bulk notification n at the next tick. */
static void gather(const struct aras_vm *v, uint32_t x, unsigned n)
{
	struct vctx *c = ctx_of_host(v->host);
	size_t need = (x - 1) / 8 + 1;
	uint8_t **b;

	if (!c || !setting_true(ARAS_S_VM_BULK_NOTIFY) || !n || n > ARAS_VMN_BULK)
		return;
	b = &c->bulk[n - 1];
	if (c->bulk_len[n - 1] < need) {
		uint8_t *nb = realloc(*b, need);

		if (!nb)
			return;
		memset(nb + c->bulk_len[n - 1], 0, need - c->bulk_len[n - 1]);
		*b = nb;
		c->bulk_len[n - 1] = need;
	}
	/* VirtualMachineList: vmIndex 1 is the first octet's most significant bit */
	(*b)[(x - 1) / 8] |= (uint8_t)(0x80 >> ((x - 1) % 8));
}

static void announce(const struct aras_vm *v, unsigned n, int held)
{
	uint32_t x;
	int added = 0;

	if (!vm.d || !n || !(aras_engine_settings(vm.d->eng)->v[ARAS_S_ACTIONS] & ARAS_ACT_TRAP))
		return;
	x = aras_engine_vm_index(vm.d->eng, v->uuid, &added);
	if (!x)
		return;
	if (added) {
		/* a VM seen and changed within one tick: its index on disk before the notification names it */
		vm.dirty = 1;
		vm.save_pending = 1;
		save_indexes();
	}
	if (!held && setting_true(ARAS_S_VM_PER_VM_NOTIFY))
		send_per_vm(v, x, n);
	else
		gather(v, x, n);
}

void aras_vmmib_vm_state(struct arasd *d, const struct aras_vm *v)
{
	(void)d;
	announce(v, aras_vm_notification(v->oper), 0);
}

void aras_vmmib_vm_held(struct arasd *d, const struct aras_vm *v)
{
	(void)d;
	announce(v, aras_vm_notification(v->oper), 1);
}

void aras_vmmib_vm_removed(struct arasd *d, const struct aras_vm *v)
{
	(void)d;
	if (!vm.d)
		return;
	/* its rows point at it: rebuilt before the next answer */
	vm.dirty = vm.stale = 1;
	if (aras_state_vmidx(aras_engine_state(vm.d->eng), v->uuid))
		announce(v, ARAS_VMN_DELETED, 0);
}

void aras_vmmib_tick(struct arasd *d)
{
	static const oid affected[] = { VM_MIB, 1, O_AFFECTED, 0 };

	(void)d;
	if (!vm.d)
		return;
	if (vm.dirty)
		refresh();
	else
		save_indexes();
	for (size_t i = 0; i < vm.nc; i++) {
		struct vctx *c = &vm.c[i];

		for (unsigned n = 0; n < ARAS_VMN_BULK; n++) {
			netsnmp_variable_list *vars;

			if (!c->bulk_len[n])
				continue;
			vars = notify_begin(ARAS_VMN_BULK + n + 1);
			snmp_varlist_add_variable(&vars, affected, OID_LENGTH(affected), ASN_OCTET_STR,
						  c->bulk[n], c->bulk_len[n]);
			aras_notify_vars(vm.d, vars, "VM-MIB bulk notification");
			free(c->bulk[n]);
			c->bulk[n] = NULL;
			c->bulk_len[n] = 0;
		}
	}
}

/* ---- registration ---- */

static int register_ctx(size_t i)
{
	struct vctx *c = &vm.c[i];

	c->reg = netsnmp_create_handler_registration("vmObjects", vm_handler, vmobjects_oid,
						     OID_LENGTH(vmobjects_oid), HANDLER_CAN_RWRITE);
	if (!c->reg)
		return -1;
	c->reg->my_reg_void = (void *)(uintptr_t)i;
	/* net-snmp frees contextName with the registration */
	if (c->name && !(c->reg->contextName = strdup(c->name)))
		return -1;
	if (netsnmp_register_handler(c->reg) != MIB_REGISTERED_OK) {
		log_err("cannot register VM-MIB in context '%s'", c->name ? c->name : "");
		c->reg = NULL;
		return -1;
	}
	return 0;
}

int aras_vmmib_register(struct arasd *d)
{
	const struct aras_model *m = aras_engine_model(d->eng);
	size_t n = 0;

	vm.d = d;
	vm.c = calloc(m->nhosts + 1, sizeof(*vm.c));
	if (!vm.c)
		return -1;
	for (size_t i = 0; i < m->nhosts; i++) {
		vm.c[n].host = m->hosts[i].index;
		vm.c[n++].name = m->hosts[i].name;
		if (d->vmmib_local && strcmp(d->vmmib_local, m->hosts[i].name) == 0)
			vm.c[n++].host = m->hosts[i].index; /* the default context: name NULL */
	}
	vm.nc = n;
	for (size_t i = 0; i < n; i++)
		if (register_ctx(i) < 0)
			return -1;
	vm.dirty = vm.stale = 1;
	log_info("VM-MIB in %zu context%s%s%s", n, n == 1 ? "" : "s",
		 d->vmmib_local ? ", the default one for " : "", d->vmmib_local ? d->vmmib_local : "");
	return 0;
}

void aras_vmmib_unregister(struct arasd *d)
{
	(void)d;
	/* the registrations are shutdown_agent()'s to free (as ARAS-MIB's, mib.c) */
	for (size_t i = 0; i < vm.nc; i++) {
		struct vctx *c = &vm.c[i];

		for (int t = 0; t < T_COUNT; t++)
			free(c->t[t].v);
		free(c->idx_last);
		for (unsigned k = 0; k < ARAS_VMN_BULK; k++)
			free(c->bulk[k]);
	}
	free(vm.c);
	free(vm.up);
	memset(&vm, 0, sizeof(vm));
}
