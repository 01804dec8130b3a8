/*
 * model.c - hosts and VMs, and the folding of poll samples into them.
 *
 * VMs live in one array of pointers sorted by UUID: lookups are binary
 * searches, and the array order is the SNMP walk order (a fixed-size
 * 16-octet index encodes as 16 followed by the bytes, so memcmp order is
 * OID order).  Each VM is allocated once and keeps its address for its
 * whole life, so the SNMP adapter can point its rows at it.
 */
#include "model.h"

#include "rate.h"

#include <stdlib.h>
#include <string.h>

void aras_model_init(struct aras_model *m)
{
	memset(m, 0, sizeof(*m));
}

static void vm_free(struct aras_vm *vm)
{
	if (!vm)
		return;
	free(vm->name);
	aras_devices_free(&vm->dev);
	free(vm);
}

void aras_model_free(struct aras_model *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->nvms; i++) {
		if (m->hooks.vm_removed)
			m->hooks.vm_removed(m->vms[i], m->hooks.arg);
		vm_free(m->vms[i]);
	}
	free(m->vms);
	for (size_t i = 0; i < m->nhosts; i++) {
		free(m->hosts[i].name);
		free(m->hosts[i].uri);
	}
	free(m->hosts);
	memset(m, 0, sizeof(*m));
}

int aras_model_add_host(struct aras_model *m, unsigned index, const char *name, const char *uri)
{
	struct aras_host *hs, *h;
	size_t pos = 0;

	for (size_t i = 0; i < m->nhosts; i++) {
		if (m->hosts[i].index == index || strcmp(m->hosts[i].name, name) == 0)
			return -ARAS_E_INCONSIST;
		if (m->hosts[i].index < index)
			pos = i + 1;
	}
	hs = realloc(m->hosts, (m->nhosts + 1) * sizeof(*hs));
	if (!hs)
		return -ARAS_E_NOMEM;
	m->hosts = hs;
	memmove(&hs[pos + 1], &hs[pos], (m->nhosts - pos) * sizeof(*hs));
	h = &hs[pos];
	memset(h, 0, sizeof(*h));
	h->index = index;
	h->name = strdup(name);
	h->uri = strdup(uri);
	h->state = ARAS_HOST_UNKNOWN;
	h->mem_source = ARAS_HOSTMEM_ESTIMATED;
	strcpy(h->last_error, "not polled yet");
	m->nhosts++;
	if (!h->name || !h->uri) {
		free(h->name);
		free(h->uri);
		memmove(&hs[pos], &hs[pos + 1], (m->nhosts - pos - 1) * sizeof(*hs));
		m->nhosts--;
		return -ARAS_E_NOMEM;
	}
	return 0;
}

struct aras_host *aras_model_host(const struct aras_model *m, unsigned index)
{
	for (size_t i = 0; i < m->nhosts; i++)
		if (m->hosts[i].index == index)
			return &m->hosts[i];
	return NULL;
}

int aras_host_mib_state(const struct aras_host *h)
{
	if (h->state == ARAS_HOST_UP && h->maintenance)
		return ARAS_HOST_MAINTENANCE;
	return h->state == ARAS_HOST_UP ? ARAS_HOST_UP : ARAS_HOST_DOWN;
}

void aras_model_summarize(const struct aras_model *m, struct aras_model_summary *s)
{
	memset(s, 0, sizeof(*s));
	for (size_t i = 0; i < m->nvms; i++) {
		int any = 0;

		for (int r = 0; r < ARAS_NRES; r++)
			if (m->vms[i]->sla[r].state == ARAS_ALERT_FIRING) {
				s->res_alerting[r]++;
				any = 1;
			}
		s->vms_alerting += (unsigned)any;
	}
	for (size_t i = 0; i < m->nhosts; i++) {
		s->hosts_down += aras_host_mib_state(&m->hosts[i]) == ARAS_HOST_DOWN;
		s->hosts_maint += m->hosts[i].maintenance != 0;
	}
}

/* First position whose uuid is >= uuid (strict = 0) or > uuid (strict = 1). */
static size_t vm_bound(const struct aras_model *m, const uint8_t *uuid, int strict)
{
	size_t lo = 0, hi = m->nvms;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = memcmp(m->vms[mid]->uuid, uuid, ARAS_UUID_LEN);

		if (c < 0 || (strict && c == 0))
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

struct aras_vm *aras_model_find_vm(const struct aras_model *m, const uint8_t uuid[ARAS_UUID_LEN])
{
	size_t i = vm_bound(m, uuid, 0);

	if (i < m->nvms && memcmp(m->vms[i]->uuid, uuid, ARAS_UUID_LEN) == 0)
		return m->vms[i];
	return NULL;
}

size_t aras_model_vm_upper(const struct aras_model *m, const uint8_t uuid[ARAS_UUID_LEN])
{
	return vm_bound(m, uuid, 1);
}

static int vm_cmp(const void *a, const void *b)
{
	const struct aras_vm *const *x = a, *const *y = b;

	return memcmp((*x)->uuid, (*y)->uuid, ARAS_UUID_LEN);
}

/* One published counter: add what the hypervisor counted since the last sample. */
static uint64_t total_add(uint64_t total, uint64_t prev, uint64_t now, int new_process)
{
	if (new_process || now < prev)
		return total + now; /* a new QEMU process counts from 0 */
	return total + (now - prev);
}

static void vm_totals(struct aras_vm *vm, const struct aras_vm_sample *s)
{
	int np = vm->new_process;

	if (!aras_vm_state_active(s->state)) {
		/*
		 * No QEMU process runs it: what libvirt reports for a shut-off
		 * domain (the cgroup of a process still starting, the figure of
		 * the last run) is counted once a process runs, from its start,
		 * not twice (the lab saw a booting guest's 0.38 s counted again).
		 */
		if (!vm->have_total) {
			memset(&vm->total, 0, sizeof(vm->total));
			vm->have_total = 1;
		}
		vm->new_process = 1;
		return;
	}
	if (!vm->have_total) {
		vm->total.cpu_ns = s->cpu_time_ns;
		vm->total.rd_bytes = s->rd_bytes;
		vm->total.wr_bytes = s->wr_bytes;
		vm->total.rx_bytes = s->rx_bytes;
		vm->total.tx_bytes = s->tx_bytes;
		vm->have_total = 1;
	} else {
		vm->total.cpu_ns = total_add(vm->total.cpu_ns, vm->cpu_time_ns, s->cpu_time_ns, np);
		vm->total.rd_bytes = total_add(vm->total.rd_bytes, vm->rd_bytes, s->rd_bytes, np);
		vm->total.wr_bytes = total_add(vm->total.wr_bytes, vm->wr_bytes, s->wr_bytes, np);
		vm->total.rx_bytes = total_add(vm->total.rx_bytes, vm->rx_bytes, s->rx_bytes, np);
		vm->total.tx_bytes = total_add(vm->total.tx_bytes, vm->tx_bytes, s->tx_bytes, np);
	}
	vm->new_process = 0;
}

/*
 * arasVmCpuSteal over the interval dt (ms; 0 = no interval): the vCPUs'
 * wait for a host CPU (vcpu.N.delay, summed) as a percent of dt times the
 * vCPUs that report it.  A counter that went backwards, or any reset of
 * this interval (reset), or a sample that did not report steal before,
 * gives 0 for the interval; a sample without it makes the column absent.
 */
static void vm_steal(struct aras_vm *vm, const struct aras_vm_sample *s, uint64_t dt, int reset)
{
	unsigned n = s->steal_vcpus ? s->steal_vcpus : (s->vcpus ? s->vcpus : 1);
	int back = 0;
	uint64_t d;

	vm->cpu_steal = 0;
	if (s->has_steal && vm->has_steal && dt && !reset) {
		d = aras_counter_delta(vm->steal_ns, s->steal_ns, &back);
		if (!back)
			vm->cpu_steal = aras_percent(d, dt * 1000000ull * n);
	}
	vm->has_steal = s->has_steal;
	vm->steal_ns = s->has_steal ? s->steal_ns : 0;
}

/* Fold the raw counters of s into vm; rates need a previous sample. */
/* vs is paused for a migration: an incoming copy, or a source at its switchover. */
static int is_copy(const struct aras_vm_sample *vs)
{
	return vs->state == ARAS_VM_PAUSED && vs->reason == ARAS_PAUSED_MIGRATION;
}

static void vm_update(struct aras_vm *vm, const struct aras_vm_sample *s, unsigned host, uint64_t t_ms,
		      uint64_t start_ms, uint32_t io_cap_kib)
{
	uint64_t dt = vm->have_prev && t_ms > vm->t_ms ? t_ms - vm->t_ms : 0;
	int reset = 0, np;

	if (vm->have_prev && !aras_vm_state_active(vm->state) && aras_vm_state_active(s->state)) {
		/* started (an event would have said so first): a new QEMU process */
		vm->new_process = 1;
		dt = 0;
	}

	if (vm->host != host) {
		/* Moved (live migration): a new QEMU process, new counters. */
		vm->host = host;
		vm->inbound = 0;
		vm->new_process = 1;
		dt = 0;
	}
	np = vm->new_process && vm->have_total;
	vm_totals(vm, s);
	/* out of memory: the devices keep their last figures (the next poll tries again) */
	(void)aras_devices_fold(&vm->dev, &s->dev, dt, np, t_ms);
	if (dt) {
		uint64_t dcpu = aras_counter_delta(vm->cpu_time_ns, s->cpu_time_ns, &reset);
		uint64_t drd = aras_counter_delta(vm->rd_bytes, s->rd_bytes, &reset);
		uint64_t dwr = aras_counter_delta(vm->wr_bytes, s->wr_bytes, &reset);
		uint64_t dops =
			aras_counter_delta(vm->rd_reqs + vm->wr_reqs, s->rd_reqs + s->wr_reqs, &reset);
		uint64_t drx = aras_counter_delta(vm->rx_bytes, s->rx_bytes, &reset);
		uint64_t dtx = aras_counter_delta(vm->tx_bytes, s->tx_bytes, &reset);
		unsigned vcpus = s->vcpus ? s->vcpus : 1;

		/*
		 * Any counter that went backwards means a new process: every
		 * delta of this interval is meaningless, so report 0 rather
		 * than mixing old and new counters.
		 */
		if (reset)
			dcpu = drd = dwr = dops = drx = dtx = 0;
		vm->cpu_usage = aras_percent(dcpu, dt * 1000000ull * vcpus);
		vm->rd_rate = aras_rate_per_sec(drd, dt);
		vm->wr_rate = aras_rate_per_sec(dwr, dt);
		vm->ops_rate = aras_rate_per_sec(dops, dt);
		vm->rx_rate = aras_rate_per_sec(drx, dt);
		vm->tx_rate = aras_rate_per_sec(dtx, dt);
	} else {
		vm->cpu_usage = 0;
		vm->rd_rate = vm->wr_rate = vm->ops_rate = vm->rx_rate = vm->tx_rate = 0;
	}
	vm_steal(vm, s, dt, reset);
	vm->rates_valid = dt && !reset;
	if (s->state != ARAS_VM_RUNNING && s->state != ARAS_VM_BLOCKED)
		vm->cpu_usage = vm->cpu_steal = 0;
	vm->io_usage = aras_percent((uint64_t)vm->rd_rate + vm->wr_rate, (uint64_t)io_cap_kib * 1024);
	/* a domain event that arrived after this poll began knows better */
	if (!vm->state_ms || vm->state_ms < start_ms) {
		vm->state = s->state;
		vm->reason = s->reason;
		vm->managed_save = s->managed_save;
	}
	vm->vcpus = s->vcpus;
	vm->vcpus_max = s->vcpus_max;
	vm->cpu_time_ns = s->cpu_time_ns;
	vm->mem_cur_kib = s->mem_cur_kib;
	vm->mem_max_kib = s->mem_max_kib;
	if (vm->mem_max_next_kib == vm->mem_max_kib)
		vm->mem_max_next_kib = 0; /* booted with it */
	if (s->has_guest_mem && s->guest_avail_kib) {
		uint64_t used = s->guest_avail_kib > s->guest_usable_kib ?
					s->guest_avail_kib - s->guest_usable_kib :
					0;

		vm->mem_usage = aras_percent(used, s->guest_avail_kib);
		vm->mem_source = ARAS_MEM_GUEST;
	} else {
		vm->mem_usage = aras_percent(s->mem_cur_kib, s->mem_max_kib);
		vm->mem_source = ARAS_MEM_HOST;
	}
	vm->rd_bytes = s->rd_bytes;
	vm->wr_bytes = s->wr_bytes;
	vm->rd_reqs = s->rd_reqs;
	vm->wr_reqs = s->wr_reqs;
	vm->rx_bytes = s->rx_bytes;
	vm->tx_bytes = s->tx_bytes;
	vm->disk_cap_mib =
		(uint32_t)(s->disk_cap_bytes >> 20 > UINT32_MAX ? UINT32_MAX : s->disk_cap_bytes >> 20);
	vm->disk_alloc_mib =
		(uint32_t)(s->disk_alloc_bytes >> 20 > UINT32_MAX ? UINT32_MAX : s->disk_alloc_bytes >> 20);
	vm->t_ms = t_ms;
	/* an incoming migration's paused copy confirms no placement: the source's listing wins */
	if (t_ms > vm->placed_ms && !is_copy(s))
		vm->placed_ms = t_ms;
	vm->have_prev = 1;
	vm->missing = 0;
	if (strcmp(vm->name, s->name) != 0) {
		char *n = strdup(s->name);

		if (n) {
			free(vm->name);
			vm->name = n;
		}
	}
}

static struct aras_vm *vm_new(const struct aras_vm_sample *s, unsigned host)
{
	struct aras_vm *vm = calloc(1, sizeof(*vm));

	if (!vm)
		return NULL;
	memcpy(vm->uuid, s->uuid, ARAS_UUID_LEN);
	vm->name = strdup(s->name);
	if (!vm->name) {
		free(vm);
		return NULL;
	}
	vm->host = host;
	vm->vm_class = ARAS_CLASS_NORMAL;
	vm->alert_state = ARAS_ALERT_OK;
	return vm;
}

int aras_vm_state_active(int state)
{
	return state == ARAS_VM_RUNNING || state == ARAS_VM_BLOCKED || state == ARAS_VM_PAUSED ||
	       state == ARAS_VM_SHUTDOWN || state == ARAS_VM_PMSUSPENDED;
}

static int is_active(int state)
{
	return state == ARAS_VM_RUNNING || state == ARAS_VM_BLOCKED || state == ARAS_VM_PAUSED;
}

/* Not known to be running: no figures until two fresh samples. */
static void vm_unknown(struct aras_vm *vm)
{
	vm->state = ARAS_VM_OTHER;
	vm->state_ms = 0; /* what the host's events said is not known any more */
	vm->cpu_usage = 0;
	vm->rd_rate = vm->wr_rate = vm->ops_rate = vm->rx_rate = vm->tx_rate = 0;
	vm->io_usage = 0;
	vm->cpu_steal = 0;
	vm->has_steal = 0;
	vm->have_prev = 0;
	vm->rates_valid = 0;
}

void aras_model_vm_moved(struct aras_model *m, struct aras_vm *vm, unsigned target, uint64_t now_ms)
{
	struct aras_host *from = aras_model_host(m, vm->host), *to = aras_model_host(m, target);

	if (!to)
		return;
	vm->inbound = 0;
	if (now_ms > vm->placed_ms)
		vm->placed_ms = now_ms;
	if (vm->host == target)
		return; /* the target's poll listed it already */
	if (from && from->vm_count)
		from->vm_count--;
	to->vm_count++;
	vm->host = target;
	vm->new_process = 1;
	vm->gen = 0; /* generations are per host: none of the target's yet */
	vm->missing = 0;
	vm->have_prev = 0; /* the target's counters start afresh */
	vm->rates_valid = 0;
}

/*
 * Remove VMs of host h not seen in generation h->gen (a poll that began at
 * start_ms); returns count.
 */
static size_t sweep_vanished(struct aras_model *m, const struct aras_host *h, uint64_t start_ms)
{
	size_t out = 0, removed = 0;

	for (size_t i = 0; i < m->nvms; i++) {
		struct aras_vm *vm = m->vms[i];

		if (vm->host == h->index && vm->gen != h->gen && start_ms < vm->placed_ms) {
			/* moved here after this poll began (arasd's migration) */
			m->vms[out++] = vm;
			continue;
		}
		if (vm->host == h->index && vm->gen != h->gen && !vm->missing) {
			/*
			 * First miss: keep it one more poll, as not running.  A
			 * live migration makes a VM vanish from its source before
			 * the target's poll lists it; removing it now would drop
			 * its row and its alert state (a second breach follows).
			 */
			vm->missing = 1;
			vm_unknown(vm);
			m->vms[out++] = vm;
			continue;
		}
		if (vm->host == h->index && vm->gen != h->gen) {
			if (m->hooks.vm_removed)
				m->hooks.vm_removed(vm, m->hooks.arg);
			vm_free(vm);
			removed++;
			continue;
		}
		m->vms[out++] = vm;
	}
	m->nvms = out;
	return removed;
}

/* Merge sorted array add[0..n) into m->vms. */
static int merge_new(struct aras_model *m, struct aras_vm **add, size_t n)
{
	struct aras_vm **dst;
	size_t i = m->nvms, j = n, k = m->nvms + n;

	if (k > m->capvms) {
		size_t cap = m->capvms ? m->capvms : 64;

		while (cap < k)
			cap *= 2;
		dst = realloc(m->vms, cap * sizeof(*dst));
		if (!dst)
			return -ARAS_E_NOMEM;
		m->vms = dst;
		m->capvms = cap;
	}
	/* Merge from the back so it works in place. */
	while (j > 0) {
		if (i > 0 && memcmp(m->vms[i - 1]->uuid, add[j - 1]->uuid, ARAS_UUID_LEN) > 0)
			m->vms[--k] = m->vms[--i];
		else
			m->vms[--k] = add[--j];
	}
	m->nvms += n;
	return 0;
}

static void host_update(struct aras_model *m, struct aras_host *h, const struct aras_host_sample *s)
{
	uint64_t run_mem = 0, run_cpu_ns = 0, steal_sum = 0;
	uint64_t dt = h->have_prev && s->t_ms > h->prev_t_ms ? s->t_ms - h->prev_t_ms : 0;
	unsigned count = 0, nsteal = 0, steal_max = 0;

	for (size_t i = 0; i < m->nvms; i++) {
		const struct aras_vm *vm = m->vms[i];

		if (vm->host != h->index)
			continue;
		count++;
		if (vm->state == ARAS_VM_RUNNING || vm->state == ARAS_VM_BLOCKED ||
		    vm->state == ARAS_VM_PAUSED) {
			run_mem += vm->mem_cur_kib;
			run_cpu_ns += (uint64_t)vm->cpu_usage * vm->vcpus * 10000000ull;
		}
		if ((vm->state == ARAS_VM_RUNNING || vm->state == ARAS_VM_BLOCKED) && vm->has_steal) {
			steal_sum += vm->cpu_steal;
			if (vm->cpu_steal > steal_max)
				steal_max = vm->cpu_steal;
			nsteal++;
		}
	}
	/* mean rounded to nearest; a host without steal figures reads 0 */
	h->steal_valid = nsteal > 0;
	h->steal_mean = nsteal ? (unsigned)((steal_sum + nsteal / 2) / nsteal) : 0;
	h->steal_max = steal_max;
	h->vm_count = count;
	h->cpus = s->cpus;
	if (s->hv_type[0]) {
		memcpy(h->hv_type, s->hv_type, sizeof(h->hv_type));
		h->hv_type[sizeof(h->hv_type) - 1] = '\0';
		h->hv_version = s->hv_version;
	}
	h->mem_total_kib = s->mem_total_kib;
	if (s->has_mem_free) {
		h->mem_free_kib = s->mem_free_kib;
		h->mem_source = ARAS_HOSTMEM_NODE;
	} else {
		h->mem_free_kib = s->mem_total_kib > run_mem ? s->mem_total_kib - run_mem : 0;
		h->mem_source = ARAS_HOSTMEM_ESTIMATED;
	}
	/*
	 * Node CPU counters when they advance (real hosts); libvirt's test
	 * driver returns fixed ones, so fall back to the sum of the VMs' use
	 * (run_cpu_ns is per second: usage% * vcpus * 1e9 / 100).
	 */
	if (s->has_cpu_stats && h->have_prev && s->cpu_total_ns > h->prev_total_ns) {
		int reset = 0;
		uint64_t dbusy = aras_counter_delta(h->prev_busy_ns, s->cpu_busy_ns, &reset);

		h->cpu_usage = aras_percent(dbusy, s->cpu_total_ns - h->prev_total_ns);
	} else if (dt || !s->has_cpu_stats) {
		h->cpu_usage = aras_percent(run_cpu_ns, (uint64_t)(s->cpus ? s->cpus : 1) * 1000000000ull);
	}
	h->usage_valid = h->have_prev;
	h->disk_usage = s->has_pools ? aras_percent(s->pool_alloc_bytes, s->pool_cap_bytes) : 0;
	h->prev_busy_ns = s->cpu_busy_ns;
	h->prev_total_ns = s->cpu_total_ns;
	h->prev_t_ms = s->t_ms;
	h->have_prev = 1;
}

/* Host h is down: no incoming copy there is known any more. */
static void end_inbound_all(struct aras_model *m, const struct aras_host *h)
{
	for (size_t i = 0; i < m->nvms; i++)
		if (m->vms[i]->inbound == h->index)
			m->vms[i]->inbound = 0;
}

/* A failed poll: the host is down; its VMs stay listed with what was last known, but not as running. */
static void host_down(struct aras_model *m, struct aras_host *h, const char *err)
{
	/* bounded copy (strncpy: gcc -O0 -Wstringop-truncation) */
	size_t n = strnlen(err, sizeof(h->last_error) - 1);

	h->state = ARAS_HOST_DOWN;
	end_inbound_all(m, h);
	memcpy(h->last_error, err, n);
	h->last_error[n] = '\0';
	h->have_prev = 0;
	h->usage_valid = 0;
	h->steal_valid = 0;
	h->steal_mean = h->steal_max = 0;
	for (size_t i = 0; i < m->nvms; i++) {
		struct aras_vm *vm = m->vms[i];

		if (vm->host != h->index)
			continue;
		vm_unknown(vm);
	}
}

/* A known VM's line in host h's sample that must not update it (see each case). */
static int stale_listing(const struct aras_vm *vm, const struct aras_vm_sample *vs, const struct aras_host *h,
			 uint64_t start_ms)
{
	if (vm->undefined)
		return 1; /* a listing taken before the undefine returned */
	if (vm->host == h->index)
		return vm->gen == h->gen; /* listed twice in one sample */
	/*
	 * Paused for a migration on another host than the VM's: the copy a
	 * migration is filling, not the VM (also while the source is paused
	 * at its switchover).
	 */
	if (is_copy(vs))
		return 1;
	/*
	 * This poll began before the VM was last seen where it is now: a
	 * source listing it while it was migrating away, processed after the
	 * target's.
	 */
	if (start_ms < vm->placed_ms)
		return 1;
	/* the paused target of a live migration in progress */
	if ((vm->state == ARAS_VM_RUNNING || vm->state == ARAS_VM_BLOCKED) && vs->state == ARAS_VM_PAUSED)
		return 1;
	/*
	 * Defined but not running here, running on another host: the leftover
	 * definition of a migrated VM.  The running copy is the VM; do not flip
	 * it between hosts.
	 */
	return is_active(vm->state) && !is_active(vs->state);
}

/* vs is the paused copy a live migration of vm to host h is filling (libvirt's reason: migration). */
static int incoming_copy(const struct aras_vm *vm, const struct aras_vm_sample *vs, const struct aras_host *h)
{
	return vm->host != h->index && !vm->undefined && is_copy(vs);
}

/* Host h's poll no longer lists the incoming copy of a VM: that migration ended (done or failed). */
static void end_inbound(struct aras_model *m, const struct aras_host *h)
{
	for (size_t i = 0; i < m->nvms; i++) {
		struct aras_vm *vm = m->vms[i];

		if (vm->inbound == h->index && vm->inbound_gen != h->gen)
			vm->inbound = 0;
	}
}

int aras_model_apply(struct aras_model *m, const struct aras_host_sample *s, uint32_t disk_io_cap_kib,
		     struct aras_apply_result *res)
{
	struct aras_host *h = aras_model_host(m, s->host_index);
	struct aras_vm **add = NULL;
	size_t nadd = 0;
	uint64_t start_ms;
	int rc = 0;

	memset(res, 0, sizeof(*res));
	if (!h)
		return -ARAS_E_NOENT;
	res->old_state = h->state;
	if (!s->ok) {
		host_down(m, h, s->err);
		res->new_state = h->state;
		return 0;
	}
	h->gen++;
	start_ms = s->start_ms ? s->start_ms : s->t_ms;
	if (s->nvms) {
		add = malloc(s->nvms * sizeof(*add));
		if (!add)
			return -ARAS_E_NOMEM;
	}
	for (size_t i = 0; i < s->nvms; i++) {
		const struct aras_vm_sample *vs = &s->vms[i];
		struct aras_vm *vm = aras_model_find_vm(m, vs->uuid);
		const struct aras_host *from, *copy_at;
		int fresh = !vm;

		if (!vm) {
			/* Same UUID twice in one sample: keep the first. */
			int dup = 0;

			for (size_t j = 0; j < nadd && !dup; j++)
				dup = memcmp(add[j]->uuid, vs->uuid, ARAS_UUID_LEN) == 0;
			if (dup)
				continue;
			vm = vm_new(vs, h->index);
			if (!vm) {
				rc = -ARAS_E_NOMEM;
				break;
			}
			add[nadd++] = vm;
		} else if (stale_listing(vm, vs, h, start_ms)) {
			if (incoming_copy(vm, vs, h)) {
				vm->inbound = h->index;
				vm->inbound_gen = h->gen;
			}
			continue;
		} else {
			res->updated++;
		}
		from = vm->host != h->index ? aras_model_host(m, vm->host) : NULL;
		/*
		 * First seen as the incoming copy of a live migration (the target
		 * polled before the source), now running on its source: the
		 * migration is in flight, the copy's host its target.
		 */
		copy_at = from && vm->copy_only &&
					  (vs->state == ARAS_VM_RUNNING || vs->state == ARAS_VM_BLOCKED) ?
				  from :
				  NULL;
		if (from && m->hooks.vm_moved)
			m->hooks.vm_moved(vs->name, from, h, m->hooks.arg);
		vm_update(vm, vs, h->index, s->t_ms, start_ms, disk_io_cap_kib);
		vm->gen = h->gen;
		/* the source at its switchover is paused for migration too: only a first sighting counts */
		vm->copy_only = (fresh || vm->copy_only) && is_copy(vs);
		if (copy_at) {
			vm->inbound = copy_at->index;
			vm->inbound_gen = copy_at->gen;
		}
	}
	if (rc == 0) {
		end_inbound(m, h);
		res->removed = sweep_vanished(m, h, start_ms);
		if (nadd)
			qsort(add, nadd, sizeof(*add), vm_cmp);
		rc = merge_new(m, add, nadd);
	}
	if (rc < 0) {
		for (size_t j = 0; j < nadd; j++)
			vm_free(add[j]);
		nadd = 0;
	}
	free(add);
	res->added = nadd;
	if (nadd && m->hooks.vms_added)
		m->hooks.vms_added(m, nadd, m->hooks.arg);
	host_update(m, h, s);
	h->state = ARAS_HOST_UP;
	h->last_error[0] = '\0';
	res->new_state = h->state;
	return rc;
}

void aras_host_sample_free(struct aras_host_sample *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nvms; i++)
		aras_devices_free(&s->vms[i].dev);
	free(s->vms);
	free(s);
}
