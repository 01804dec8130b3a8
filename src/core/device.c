/*
 * device.c - a VM's disks, interfaces and vCPUs (device.h): the arrays'
 * life, lookups by key, and the folding of a poll's raw counters into
 * totals that never go backwards and per-second rates.  Pure C11.
 */
#include "device.h"

#include "aras.h"
#include "rate.h"

#include <stdlib.h>
#include <string.h>

void aras_devices_free(struct aras_vm_devices *d)
{
	if (!d)
		return;
	free(d->disks);
	free(d->nics);
	free(d->vcpus);
	d->disks = NULL;
	d->nics = NULL;
	d->vcpus = NULL;
	d->ndisks = d->nnics = d->nvcpus = 0;
}

static void *dup_array(const void *src, size_t n, size_t size, int *fail)
{
	void *p;

	if (!n)
		return NULL;
	p = malloc(n * size);
	if (!p)
		*fail = 1;
	else
		memcpy(p, src, n * size);
	return p;
}

int aras_devices_copy(struct aras_vm_devices *dst, const struct aras_vm_devices *src)
{
	int fail = 0;

	aras_devices_free(dst);
	*dst = *src;
	dst->disks = dup_array(src->disks, src->ndisks, sizeof(*src->disks), &fail);
	dst->nics = dup_array(src->nics, src->nnics, sizeof(*src->nics), &fail);
	dst->vcpus = dup_array(src->vcpus, src->nvcpus, sizeof(*src->vcpus), &fail);
	if (fail) {
		aras_devices_free(dst);
		return -ARAS_E_NOMEM;
	}
	return 0;
}

struct aras_disk *aras_devices_disk(const struct aras_vm_devices *d, const char *target)
{
	for (size_t i = 0; target[0] && i < d->ndisks; i++)
		if (strcmp(d->disks[i].target, target) == 0)
			return &d->disks[i];
	return NULL;
}

struct aras_nic *aras_devices_nic(const struct aras_vm_devices *d, const char *target)
{
	for (size_t i = 0; target[0] && i < d->nnics; i++)
		if (strcmp(d->nics[i].target, target) == 0)
			return &d->nics[i];
	return NULL;
}

static const struct aras_vcpu *find_vcpu(const struct aras_vm_devices *d, unsigned number)
{
	for (size_t i = 0; i < d->nvcpus; i++)
		if (d->vcpus[i].number == number)
			return &d->vcpus[i];
	return NULL;
}

/*
 * A device's counters are a struct of uint64_t only (device.h): handled as
 * K values, copied out (no aliasing of the struct as an array).
 */
#define DISK_K (sizeof(struct aras_disk_counters) / sizeof(uint64_t))
#define NIC_K (sizeof(struct aras_nic_counters) / sizeof(uint64_t))
_Static_assert(sizeof(struct aras_disk_counters) == DISK_K * sizeof(uint64_t), "uint64_t only");
_Static_assert(sizeof(struct aras_nic_counters) == NIC_K * sizeof(uint64_t), "uint64_t only");
#define COUNTERS_MAX (DISK_K > NIC_K ? DISK_K : NIC_K)

/* Any of the k counters went backwards from p to n. */
static int counters_back(const void *p, const void *n, size_t k)
{
	uint64_t a[COUNTERS_MAX], b[COUNTERS_MAX];

	memcpy(a, p, k * sizeof(uint64_t));
	memcpy(b, n, k * sizeof(uint64_t));
	for (size_t i = 0; i < k; i++)
		if (b[i] < a[i])
			return 1;
	return 0;
}

/*
 * t = base + what each of the k counters did from p to n (p NULL: from 0);
 * after a reset all of n (a new process counts from 0).
 */
static void counters_total(void *t, const void *base, const void *p, const void *n, size_t k, int reset)
{
	uint64_t out[COUNTERS_MAX], b[COUNTERS_MAX], prev[COUNTERS_MAX] = { 0 }, now[COUNTERS_MAX];

	memcpy(b, base, k * sizeof(uint64_t));
	if (p)
		memcpy(prev, p, k * sizeof(uint64_t));
	memcpy(now, n, k * sizeof(uint64_t));
	for (size_t i = 0; i < k; i++)
		out[i] = reset ? b[i] + now[i] : b[i] + (now[i] - prev[i]);
	memcpy(t, out, k * sizeof(uint64_t));
}

/*
 * What a device counted before this poll (zero when it is new): its raw
 * counters and totals, copied out so that a device can be folded in place.
 */
struct disk_was {
	int has_stats;
	struct aras_disk_counters raw, total;
};
struct nic_was {
	int has_stats;
	struct aras_nic_counters raw, total;
};
struct vcpu_was {
	int has_stats, has_delay;
	uint64_t time_ns, delay_ns, total_time_ns;
};

static struct disk_was disk_was(const struct aras_disk *o)
{
	return o ? (struct disk_was){ o->has_stats, o->raw, o->total } : (struct disk_was){ 0 };
}

static struct nic_was nic_was(const struct aras_nic *o)
{
	return o ? (struct nic_was){ o->has_stats, o->raw, o->total } : (struct nic_was){ 0 };
}

static struct vcpu_was vcpu_was(const struct aras_vcpu *o)
{
	return o ? (struct vcpu_was){ o->has_stats, o->has_delay, o->time_ns, o->delay_ns,
				      o->total_time_ns } :
		   (struct vcpu_was){ 0 };
}

static void fold_disk(struct aras_disk *d, const struct disk_was *old, uint64_t dt, int np)
{
	const struct aras_disk_counters *n = &d->raw;
	int reset;

	d->usage = aras_percent(d->allocation, d->capacity);
	d->rd_rate = d->wr_rate = d->rd_iops = d->wr_iops = 0;
	d->rates_valid = 0;
	if (!d->has_stats) {
		d->total = old->total; /* no figures this poll: keep what was counted */
		return;
	}
	if (!old->has_stats) {
		/* first figures of this device (or of it again): its counters so far */
		counters_total(&d->total, &old->total, NULL, n, DISK_K, 1);
		return;
	}
	reset = np || counters_back(&old->raw, n, DISK_K);
	counters_total(&d->total, &old->total, &old->raw, n, DISK_K, reset);
	if (dt && !reset) {
		d->rd_rate = aras_rate_per_sec(n->rd_bytes - old->raw.rd_bytes, dt);
		d->wr_rate = aras_rate_per_sec(n->wr_bytes - old->raw.wr_bytes, dt);
		d->rd_iops = aras_rate_per_sec(n->rd_reqs - old->raw.rd_reqs, dt);
		d->wr_iops = aras_rate_per_sec(n->wr_reqs - old->raw.wr_reqs, dt);
		d->rates_valid = 1;
	}
}

static void fold_nic(struct aras_nic *c, const struct nic_was *old, uint64_t dt, int np)
{
	const struct aras_nic_counters *n = &c->raw;
	int reset;

	c->rx_rate = c->tx_rate = c->rx_pps = c->tx_pps = 0;
	c->rates_valid = 0;
	if (!c->has_stats) {
		c->total = old->total;
		return;
	}
	if (!old->has_stats) {
		counters_total(&c->total, &old->total, NULL, n, NIC_K, 1);
		return;
	}
	reset = np || counters_back(&old->raw, n, NIC_K);
	counters_total(&c->total, &old->total, &old->raw, n, NIC_K, reset);
	if (dt && !reset) {
		c->rx_rate = aras_rate_per_sec(n->rx_bytes - old->raw.rx_bytes, dt);
		c->tx_rate = aras_rate_per_sec(n->tx_bytes - old->raw.tx_bytes, dt);
		c->rx_pps = aras_rate_per_sec(n->rx_pkts - old->raw.rx_pkts, dt);
		c->tx_pps = aras_rate_per_sec(n->tx_pkts - old->raw.tx_pkts, dt);
		c->rates_valid = 1;
	}
}

static void fold_vcpu(struct aras_vcpu *v, const struct vcpu_was *old, uint64_t dt, int np)
{
	int reset;

	v->steal = 0;
	v->rates_valid = 0;
	if (!v->has_stats) {
		v->total_time_ns = old->total_time_ns;
		return;
	}
	if (!old->has_stats) {
		v->total_time_ns = old->total_time_ns + v->time_ns;
		return;
	}
	reset = np || v->time_ns < old->time_ns ||
		(v->has_delay && old->has_delay && v->delay_ns < old->delay_ns);
	v->total_time_ns =
		reset ? old->total_time_ns + v->time_ns : old->total_time_ns + (v->time_ns - old->time_ns);
	if (dt && !reset) {
		if (v->has_delay && old->has_delay)
			v->steal = aras_percent(v->delay_ns - old->delay_ns, dt * 1000000ull);
		v->rates_valid = 1;
	}
}

/* A poll's figures of one device (s) onto c, identity untouched. */
static void take_disk_figures(struct aras_disk *c, const struct aras_disk *s)
{
	c->has_stats = s->has_stats;
	c->raw = s->raw;
	c->errs = s->errs;
	c->capacity = s->capacity;
	c->allocation = s->allocation;
	c->physical = s->physical;
}

static void take_nic_figures(struct aras_nic *c, const struct aras_nic *s)
{
	c->has_stats = s->has_stats;
	c->raw = s->raw;
}

static void take_vcpu_figures(struct aras_vcpu *c, const struct aras_vcpu *s)
{
	c->has_stats = s->has_stats;
	c->state = s->state;
	c->time_ns = s->time_ns;
	c->wait_ns = s->wait_ns;
	c->delay_ns = s->delay_ns;
	c->has_wait = s->has_wait;
	c->has_delay = s->has_delay;
}

/* Same keys in the same order. */
static int same_keys(const struct aras_vm_devices *a, const struct aras_vm_devices *b)
{
	if (a->ndisks != b->ndisks || a->nnics != b->nnics || a->nvcpus != b->nvcpus)
		return 0;
	for (size_t i = 0; i < a->ndisks; i++)
		if (strcmp(a->disks[i].target, b->disks[i].target) != 0)
			return 0;
	for (size_t i = 0; i < a->nnics; i++)
		if (strcmp(a->nics[i].target, b->nics[i].target) != 0)
			return 0;
	for (size_t i = 0; i < a->nvcpus; i++)
		if (a->vcpus[i].number != b->vcpus[i].number)
			return 0;
	return 1;
}

/*
 * cur's devices folded in place with the figures of s, identity kept.
 * s NULL: no figures this poll.  same: s's lists have cur's keys in
 * cur's order; otherwise each device takes the figures of s's device
 * with its key (none if s lacks it).
 */
static void fold_figures(struct aras_vm_devices *cur, const struct aras_vm_devices *s, int same, uint64_t dt,
			 int np)
{
	static const struct aras_disk no_disk;
	static const struct aras_nic no_nic;
	static const struct aras_vcpu no_vcpu;

	for (size_t i = 0; i < cur->ndisks; i++) {
		struct aras_disk *c = &cur->disks[i];
		const struct aras_disk *f = !s ? NULL : same ? &s->disks[i] : aras_devices_disk(s, c->target);
		struct disk_was w = disk_was(c);

		take_disk_figures(c, f ? f : &no_disk);
		fold_disk(c, &w, dt, np);
	}
	for (size_t i = 0; i < cur->nnics; i++) {
		struct aras_nic *c = &cur->nics[i];
		const struct aras_nic *f = !s ? NULL : same ? &s->nics[i] : aras_devices_nic(s, c->target);
		struct nic_was w = nic_was(c);

		take_nic_figures(c, f ? f : &no_nic);
		fold_nic(c, &w, dt, np);
	}
	for (size_t i = 0; i < cur->nvcpus; i++) {
		struct aras_vcpu *c = &cur->vcpus[i];
		const struct aras_vcpu *f = !s ? NULL : same ? &s->vcpus[i] : find_vcpu(s, c->number);
		struct vcpu_was w = vcpu_was(c);

		take_vcpu_figures(c, f ? f : &no_vcpu);
		fold_vcpu(c, &w, dt, np);
	}
}

/* The same devices with identity read again: s's (identity and figures) over cur's, in place. */
static void fold_same(struct aras_vm_devices *cur, const struct aras_vm_devices *s, uint64_t dt, int np)
{
	for (size_t i = 0; i < cur->ndisks; i++) {
		struct disk_was w = disk_was(&cur->disks[i]);

		cur->disks[i] = s->disks[i];
		fold_disk(&cur->disks[i], &w, dt, np);
	}
	for (size_t i = 0; i < cur->nnics; i++) {
		struct nic_was w = nic_was(&cur->nics[i]);

		cur->nics[i] = s->nics[i];
		fold_nic(&cur->nics[i], &w, dt, np);
	}
	for (size_t i = 0; i < cur->nvcpus; i++) {
		struct vcpu_was w = vcpu_was(&cur->vcpus[i]);

		cur->vcpus[i] = s->vcpus[i];
		fold_vcpu(&cur->vcpus[i], &w, dt, np);
	}
}

int aras_devices_fold(struct aras_vm_devices *cur, const struct aras_vm_devices *s, uint64_t dt_ms,
		      int new_process, uint64_t now_ms)
{
	struct aras_vm_devices n = { 0 };
	int none = !s->ndisks && !s->nnics && !s->nvcpus;

	if (s->figures_only && (cur->ndisks || cur->nnics || cur->nvcpus || none)) {
		/* the usual poll: figures for the devices cur has (no lists: no figures this poll) */
		fold_figures(cur, none ? NULL : s, !none && same_keys(cur, s), dt_ms, new_process);
		return 0;
	}
	/* (figures only for a VM with no devices yet: its list is the figures' keys) */
	if (same_keys(cur, s)) {
		/* identity read again, the same devices: in place (no arrays allocated) */
		fold_same(cur, s, dt_ms, new_process);
		if (s->cfg.known)
			cur->cfg = s->cfg;
		return 0;
	}
	if (aras_devices_copy(&n, s) < 0)
		return -ARAS_E_NOMEM;
	n.figures_only = 0;
	for (size_t i = 0; i < n.ndisks; i++) {
		struct disk_was w = disk_was(aras_devices_disk(cur, n.disks[i].target));

		fold_disk(&n.disks[i], &w, dt_ms, new_process);
	}
	for (size_t i = 0; i < n.nnics; i++) {
		struct nic_was w = nic_was(aras_devices_nic(cur, n.nics[i].target));

		fold_nic(&n.nics[i], &w, dt_ms, new_process);
	}
	for (size_t i = 0; i < n.nvcpus; i++) {
		struct vcpu_was w = vcpu_was(find_vcpu(cur, n.vcpus[i].number));

		fold_vcpu(&n.vcpus[i], &w, dt_ms, new_process);
	}
	n.cfg = s->cfg.known ? s->cfg : cur->cfg;
	n.changed_ms = same_keys(cur, &n) ? cur->changed_ms : now_ms;
	aras_devices_free(cur);
	*cur = n;
	return 0;
}

int aras_devices_next_vd(const struct aras_vm_devices *d, char *buf, size_t size)
{
	if (!d->cfg.known || size < 4)
		return -1;
	for (char c = 'b'; c <= 'z'; c++) {
		char name[4] = { 'v', 'd', c, '\0' };

		if (!aras_devices_disk(d, name)) {
			memcpy(buf, name, sizeof(name));
			return 0;
		}
	}
	return -1;
}

const struct aras_disk *aras_devices_fullest(const struct aras_vm_devices *d)
{
	const struct aras_disk *best = NULL;

	for (size_t i = 0; i < d->ndisks; i++)
		if (d->disks[i].has_stats && d->disks[i].capacity &&
		    (!best || d->disks[i].usage > best->usage))
			best = &d->disks[i];
	return best;
}
