/*
 * test_model.c - hosts, VMs and the folding of poll samples into rates
 * and percentages (src/core/model.c).
 *
 * Most tests run on a fixture model with two hosts (1 "alpha", 2 "beta")
 * and recording hooks.  Counters are chosen so every expected figure can
 * be computed by hand; the interval is 10 s unless a test says otherwise.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testlib.h"

#include "core/aras.h"
#include "core/model.h"

#define IO_CAP_KIB 1000u     /* 1 024 000 bytes/s count as 100 % */
#define T0 5000000ull        /* some monotonic time, ms */
#define GIB (1024ull * 1024) /* in KiB */

/* ---- helpers ----------------------------------------------------------- */

/* A UUID whose memcmp order is the order of key (testlib.h). */
static void mkuuid(uint8_t u[ARAS_UUID_LEN], uint32_t key)
{
	test_uuid(u, key, 7, 0);
}

static void vm_init(struct aras_vm_sample *v, uint32_t key, const char *name)
{
	memset(v, 0, sizeof(*v));
	mkuuid(v->uuid, key);
	snprintf(v->name, sizeof(v->name), "%s", name);
	v->state = ARAS_VM_RUNNING;
	v->vcpus = 2;
	v->vcpus_max = 4;
	v->mem_cur_kib = 1 * GIB;
	v->mem_max_kib = 2 * GIB;
}

static void host_init(struct aras_host_sample *s, unsigned index, uint64_t t_ms, struct aras_vm_sample *vms,
		      size_t n)
{
	memset(s, 0, sizeof(*s));
	s->host_index = index;
	s->ok = 1;
	s->t_ms = t_ms;
	s->cpus = 8;
	s->mem_total_kib = 16 * GIB;
	s->has_mem_free = 1;
	s->mem_free_kib = 8 * GIB;
	s->vms = vms;
	s->nvms = n;
}

static void apply_ok(struct aras_model *m, const struct aras_host_sample *s, struct aras_apply_result *res)
{
	struct aras_apply_result dummy;
	int rc = aras_model_apply(m, s, IO_CAP_KIB, res ? res : &dummy);

	if (rc != 0)
		fail_msg("apply(host %u, t %llu) = %d", s->host_index, (unsigned long long)s->t_ms, rc);
}

static struct aras_vm *vm_by_key(const struct aras_model *m, uint32_t key)
{
	uint8_t u[ARAS_UUID_LEN];

	mkuuid(u, key);
	return aras_model_find_vm(m, u);
}

static struct aras_vm *must_vm(const struct aras_model *m, uint32_t key)
{
	struct aras_vm *vm = vm_by_key(m, key);

	if (!vm)
		fail_msg("VM with key %u not in the model", (unsigned)key);
	return vm;
}

static void assert_sorted(const struct aras_model *m)
{
	for (size_t i = 1; i < m->nvms; i++)
		if (memcmp(m->vms[i - 1]->uuid, m->vms[i]->uuid, ARAS_UUID_LEN) >= 0)
			fail_msg("vms[%zu] and vms[%zu] out of order (or duplicate)", i - 1, i);
}

static void assert_rates_zero(const char *what, const struct aras_vm *vm)
{
	CHECK_U64(what, vm->cpu_usage, 0);
	CHECK_U64(what, vm->rd_rate, 0);
	CHECK_U64(what, vm->wr_rate, 0);
	CHECK_U64(what, vm->ops_rate, 0);
	CHECK_U64(what, vm->rx_rate, 0);
	CHECK_U64(what, vm->tx_rate, 0);
	CHECK_U64(what, vm->io_usage, 0);
}

/* Typical deltas for one 10 s interval and the figures they give. */
static void advance(struct aras_vm_sample *v)
{
	v->cpu_time_ns += 5000000000ull; /* 5 s of 2 vCPUs x 10 s = 25 % */
	v->rd_bytes += 5120000;          /* 512 000 B/s */
	v->wr_bytes += 2560000;          /* 256 000 B/s -> io 75 % of 1 024 000 */
	v->rd_reqs += 1000;
	v->wr_reqs += 500;    /* 150 ops/s */
	v->rx_bytes += 10000; /* 1 000 B/s */
	v->tx_bytes += 12345; /* 1 234.5 -> 1 235 B/s */
}

static void assert_typical_rates(const char *what, const struct aras_vm *vm)
{
	CHECK_U64(what, vm->cpu_usage, 25);
	CHECK_U64(what, vm->rd_rate, 512000);
	CHECK_U64(what, vm->wr_rate, 256000);
	CHECK_U64(what, vm->ops_rate, 150);
	CHECK_U64(what, vm->rx_rate, 1000);
	CHECK_U64(what, vm->tx_rate, 1235);
	CHECK_U64(what, vm->io_usage, 75);
}

static void set_base_counters(struct aras_vm_sample *v)
{
	v->cpu_time_ns = 1000000000000ull;
	v->rd_bytes = 7000000000ull;
	v->wr_bytes = 3000000000ull;
	v->rd_reqs = 100000;
	v->wr_reqs = 50000;
	v->rx_bytes = 900000000ull;
	v->tx_bytes = 800000000ull;
}

/* ---- hooks and fixture ------------------------------------------------- */

#define REC_KEEP 8

struct rec {
	size_t removed;
	uint8_t removed_uuid[REC_KEEP][ARAS_UUID_LEN];
	char removed_name[REC_KEEP][64];
	unsigned removed_host[REC_KEEP];
	const void *removed_ptr[REC_KEEP];
	const void *removed_priv[REC_KEEP];
	size_t added_calls, added_last, added_total;
	const struct aras_model *added_model;
	size_t added_nvms_seen;
};

static void on_removed(struct aras_vm *vm, void *arg)
{
	struct rec *r = arg;

	if (r->removed < REC_KEEP) {
		size_t k = r->removed;

		/* Read the VM: it must still be alive here. */
		memcpy(r->removed_uuid[k], vm->uuid, ARAS_UUID_LEN);
		snprintf(r->removed_name[k], sizeof(r->removed_name[k]), "%s", vm->name);
		r->removed_host[k] = vm->host;
		r->removed_ptr[k] = vm;
		r->removed_priv[k] = vm->priv;
	}
	r->removed++;
}

static void on_added(struct aras_model *m, size_t count, void *arg)
{
	struct rec *r = arg;

	r->added_calls++;
	r->added_last = count;
	r->added_total += count;
	r->added_model = m;
	r->added_nvms_seen = m->nvms;
}

struct fx {
	struct aras_model m;
	struct rec r;
};

static int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	aras_model_init(&f->m);
	if (aras_model_add_host(&f->m, 1, "alpha", "test:///default") != 0 ||
	    aras_model_add_host(&f->m, 2, "beta", "qemu+ssh://beta/system") != 0)
		return -1;
	f->m.hooks.vm_removed = on_removed;
	f->m.hooks.vms_added = on_added;
	f->m.hooks.arg = &f->r;
	*state = f;
	return 0;
}

static int fx_teardown(void **state)
{
	struct fx *f = *state;

	aras_model_free(&f->m);
	free(f);
	return 0;
}

#define FX_TEST(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

/* ---- hosts ------------------------------------------------------------- */

static void add_hosts_sorted_and_unique(void **state)
{
	static const struct {
		unsigned index;
		const char *name;
		int rc;
	} adds[] = {
		{ 5, "e", 0 },
		{ 1, "a", 0 },
		{ 3, "c", 0 },
		{ 5, "other", -ARAS_E_INCONSIST }, /* index taken */
		{ 9, "c", -ARAS_E_INCONSIST },     /* name taken */
		{ 2, "b", 0 },
		{ 100, "z", 0 },
		{ 4, "d", 0 },
		{ 1, "a", -ARAS_E_INCONSIST }, /* both taken */
		{ 0, "zero", 0 },
	};
	static const unsigned want_order[] = { 0, 1, 2, 3, 4, 5, 100 };
	struct aras_model m;

	(void)state;
	aras_model_init(&m);
	for (size_t i = 0; i < N_ELEM(adds); i++) {
		size_t before = m.nhosts;
		int rc = aras_model_add_host(&m, adds[i].index, adds[i].name, "test:///default");

		if (rc != adds[i].rc)
			fail_msg("add_host(%u, %s) = %d, want %d", adds[i].index, adds[i].name, rc,
				 adds[i].rc);
		CHECK_U64(adds[i].name, m.nhosts, before + (rc == 0));
	}
	assert_int_equal(m.nhosts, N_ELEM(want_order));
	for (size_t i = 0; i < N_ELEM(want_order); i++) {
		struct aras_host *h = aras_model_host(&m, want_order[i]);

		CHECK_U64("host order", m.hosts[i].index, want_order[i]);
		assert_ptr_equal(h, &m.hosts[i]);
		assert_int_equal(h->state, ARAS_HOST_UNKNOWN);
		assert_int_equal(aras_host_mib_state(h), ARAS_HOST_DOWN);
		assert_string_equal(h->last_error, "not polled yet");
		assert_string_equal(h->uri, "test:///default");
	}
	assert_string_equal(aras_model_host(&m, 3)->name, "c");
	assert_string_equal(aras_model_host(&m, 100)->name, "z");
	assert_null(aras_model_host(&m, 6));
	assert_null(aras_model_host(&m, 99));
	aras_model_free(&m);
	assert_int_equal(m.nhosts, 0);
	assert_null(m.hosts);
}

/* Host name and URI are copies, not the caller's buffers. */
static void add_host_copies_strings(void **state)
{
	struct aras_model m;
	char name[16] = "gamma", uri[32] = "qemu:///system";

	(void)state;
	aras_model_init(&m);
	assert_int_equal(aras_model_add_host(&m, 7, name, uri), 0);
	strcpy(name, "XXXXX");
	strcpy(uri, "XXXXX");
	assert_string_equal(m.hosts[0].name, "gamma");
	assert_string_equal(m.hosts[0].uri, "qemu:///system");
	aras_model_free(&m);
}

static void apply_unknown_host(void **state)
{
	struct fx *f = *state;
	struct aras_vm_sample v;
	struct aras_host_sample s;
	struct aras_apply_result res;

	vm_init(&v, 1, "vm1");
	host_init(&s, 3, T0, &v, 1);
	assert_int_equal(aras_model_apply(&f->m, &s, IO_CAP_KIB, &res), -ARAS_E_NOENT);
	assert_int_equal(f->m.nvms, 0);
	assert_int_equal(f->r.added_calls, 0);
}

static void host_mib_state_table(void **state)
{
	static const struct {
		int state, maintenance, want;
	} rows[] = {
		{ ARAS_HOST_UNKNOWN, 0, ARAS_HOST_DOWN }, { ARAS_HOST_UNKNOWN, 1, ARAS_HOST_DOWN },
		{ ARAS_HOST_UP, 0, ARAS_HOST_UP },        { ARAS_HOST_UP, 1, ARAS_HOST_MAINTENANCE },
		{ ARAS_HOST_DOWN, 0, ARAS_HOST_DOWN },    { ARAS_HOST_DOWN, 1, ARAS_HOST_DOWN },
	};

	(void)state;
	for (size_t i = 0; i < N_ELEM(rows); i++) {
		struct aras_host h;

		memset(&h, 0, sizeof(h));
		h.state = rows[i].state;
		h.maintenance = rows[i].maintenance;
		if (aras_host_mib_state(&h) != rows[i].want)
			fail_msg("state %d maintenance %d shows %d, want %d", rows[i].state,
				 rows[i].maintenance, aras_host_mib_state(&h), rows[i].want);
	}
}

/* The arasStatus aggregates: firing alerts per resource, hosts down/maintenance. */
static void summarize_counts(void **state)
{
	static const struct {
		uint8_t sla[ARAS_NRES];
	} vms[] = {
		{ { ARAS_ALERT_FIRING, 0, 0 } },                                 /* cpu */
		{ { ARAS_ALERT_FIRING, ARAS_ALERT_FIRING, ARAS_ALERT_FIRING } }, /* all: one VM */
		{ { ARAS_ALERT_PENDING, ARAS_ALERT_CLEARING, ARAS_ALERT_OK } },  /* none firing */
		{ { 0, 0, ARAS_ALERT_FIRING } },                                 /* disk */
		{ { 0, 0, 0 } },                                                 /* never evaluated */
	};
	static const struct {
		int state, maintenance;
	} hosts[] = {
		{ ARAS_HOST_UP, 0 },   { ARAS_HOST_UP, 1 },      { ARAS_HOST_DOWN, 0 },
		{ ARAS_HOST_DOWN, 1 }, { ARAS_HOST_UNKNOWN, 0 },
	};
	struct aras_vm v[N_ELEM(vms)], *pv[N_ELEM(vms)];
	struct aras_host h[N_ELEM(hosts)];
	struct aras_model m;
	struct aras_model_summary s;

	(void)state;
	memset(&m, 0, sizeof(m));
	aras_model_summarize(&m, &s);
	assert_int_equal(s.vms_alerting + s.hosts_down + s.hosts_maint, 0);
	memset(v, 0, sizeof(v));
	memset(h, 0, sizeof(h));
	for (size_t i = 0; i < N_ELEM(vms); i++) {
		for (int r = 0; r < ARAS_NRES; r++)
			v[i].sla[r].state = vms[i].sla[r];
		pv[i] = &v[i];
	}
	for (size_t i = 0; i < N_ELEM(hosts); i++) {
		h[i].state = hosts[i].state;
		h[i].maintenance = hosts[i].maintenance;
	}
	m.vms = pv;
	m.nvms = N_ELEM(vms);
	m.hosts = h;
	m.nhosts = N_ELEM(hosts);
	aras_model_summarize(&m, &s);
	assert_int_equal(s.vms_alerting, 3);
	assert_int_equal(s.res_alerting[0], 2); /* cpu */
	assert_int_equal(s.res_alerting[1], 1); /* memory */
	assert_int_equal(s.res_alerting[2], 2); /* disk */
	assert_int_equal(s.hosts_down, 3);      /* down, down in maintenance, never reached */
	assert_int_equal(s.hosts_maint, 2);
}

/* ---- first sample ------------------------------------------------------ */

static void first_sample_adds_sorted(void **state)
{
	static const uint32_t keys[] = { 900, 20, 500, 7, 300, 1000, 1 }; /* any order */
	struct fx *f = *state;
	struct aras_vm_sample v[N_ELEM(keys)];
	struct aras_host_sample s;
	struct aras_apply_result res;
	struct aras_host *h = aras_model_host(&f->m, 1);

	for (size_t i = 0; i < N_ELEM(keys); i++) {
		char name[32];

		snprintf(name, sizeof(name), "vm%u", (unsigned)keys[i]);
		vm_init(&v[i], keys[i], name);
		set_base_counters(&v[i]);
		v[i].disk_cap_bytes = 21474836480ull;      /* 20 GiB */
		v[i].disk_alloc_bytes = 5368709120ull + 1; /* 5 GiB and a byte */
	}
	host_init(&s, 1, T0, v, N_ELEM(v));
	s.has_pools = 1;
	s.pool_cap_bytes = 1000;
	s.pool_alloc_bytes = 333;
	apply_ok(&f->m, &s, &res);

	assert_int_equal(res.old_state, ARAS_HOST_UNKNOWN);
	assert_int_equal(res.new_state, ARAS_HOST_UP);
	assert_int_equal(res.added, N_ELEM(keys));
	assert_int_equal(res.updated, 0);
	assert_int_equal(res.removed, 0);
	assert_int_equal(h->state, ARAS_HOST_UP);
	assert_int_equal(aras_host_mib_state(h), ARAS_HOST_UP);
	assert_string_equal(h->last_error, "");
	assert_int_equal(h->vm_count, N_ELEM(keys));
	assert_int_equal(h->cpus, 8);
	assert_int_equal(h->disk_usage, 33);
	assert_int_equal(f->m.nvms, N_ELEM(keys));
	assert_sorted(&f->m);
	/* hook: once, with the count, after the VMs are in the array */
	assert_int_equal(f->r.added_calls, 1);
	assert_int_equal(f->r.added_last, N_ELEM(keys));
	assert_ptr_equal(f->r.added_model, &f->m);
	assert_int_equal(f->r.added_nvms_seen, N_ELEM(keys));

	for (size_t i = 0; i < N_ELEM(keys); i++) {
		struct aras_vm *vm = must_vm(&f->m, keys[i]);
		char name[32];

		snprintf(name, sizeof(name), "vm%u", (unsigned)keys[i]);
		assert_string_equal(vm->name, name);
		assert_int_equal(vm->host, 1);
		assert_int_equal(vm->state, ARAS_VM_RUNNING);
		assert_int_equal(vm->vcpus, 2);
		assert_int_equal(vm->vcpus_max, 4);
		assert_int_equal(vm->vm_class, ARAS_CLASS_NORMAL);
		assert_int_equal(vm->alert_state, ARAS_ALERT_OK);
		assert_int_equal(vm->disk_cap_mib, 20480);
		assert_int_equal(vm->disk_alloc_mib, 5120);
		assert_int_equal(vm->t_ms, T0);
		assert_int_equal(vm->cpu_time_ns, 1000000000000ull);
		assert_rates_zero(name, vm); /* no previous sample: every rate is 0 */
	}
	assert_null(vm_by_key(&f->m, 2));
	assert_null(vm_by_key(&f->m, 1001));
}

/* Two hosts whose VMs interleave in UUID order end up in one sorted array. */
static void second_host_merges_sorted(void **state)
{
	struct fx *f = *state;
	struct aras_vm_sample a[50], b[50];
	struct aras_host_sample s;

	for (uint32_t i = 0; i < 50; i++) {
		vm_init(&a[i], 2 * (49 - i), "even"); /* 98, 96, ... 0 */
		vm_init(&b[i], 2 * i + 1, "odd");     /* 1, 3, ... 99 */
	}
	host_init(&s, 2, T0, b, 50);
	apply_ok(&f->m, &s, NULL);
	host_init(&s, 1, T0 + 100, a, 50);
	apply_ok(&f->m, &s, NULL);
	assert_int_equal(f->m.nvms, 100);
	assert_sorted(&f->m);
	for (uint32_t k = 0; k < 100; k++) {
		uint8_t u[ARAS_UUID_LEN];

		mkuuid(u, k);
		assert_memory_equal(f->m.vms[k]->uuid, u, ARAS_UUID_LEN);
		CHECK_U64("host of interleaved VM", f->m.vms[k]->host, (k & 1) ? 2 : 1);
	}
	assert_int_equal(aras_model_host(&f->m, 1)->vm_count, 50);
	assert_int_equal(aras_model_host(&f->m, 2)->vm_count, 50);
	assert_int_equal(f->r.added_calls, 2);
	assert_int_equal(f->r.added_total, 100);
}

/* ---- rates on the second sample ---------------------------------------- */

static const struct rate_row {
	const char *name;
	int state;
	unsigned vcpus;
	uint64_t dcpu, drd, dwr, drdreq, dwrreq, drx, dtx;
	unsigned cpu;
	uint32_t rd, wr, ops, rx, tx;
	unsigned io;
} rate_rows[] = {
	{ "typical", ARAS_VM_RUNNING, 2, 5000000000ull, 5120000, 2560000, 1000, 500, 10000, 12345, 25, 512000,
	  256000, 150, 1000, 1235, 75 },
	{ "idle", ARAS_VM_RUNNING, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
	{ "cpu and io clamp at 100", ARAS_VM_RUNNING, 1, 15000000000ull, 20480000, 0, 0, 0, 0, 0, 100,
	  2048000, 0, 0, 0, 0, 100 },
	{ "blocked counts cpu", ARAS_VM_BLOCKED, 4, 10000000000ull, 0, 0, 0, 0, 0, 0, 25, 0, 0, 0, 0, 0, 0 },
	{ "paused: no cpu, io still", ARAS_VM_PAUSED, 2, 1000000000ull, 10240, 0, 3, 0, 0, 0, 0, 1024, 0, 0,
	  0, 0, 0 },
	{ "vcpus 0 counts as 1", ARAS_VM_RUNNING, 0, 5000000000ull, 0, 0, 0, 0, 0, 0, 50, 0, 0, 0, 0, 0, 0 },
	{ "cpu rounds half up", ARAS_VM_RUNNING, 4, 13400000000ull, 0, 0, 0, 0, 0, 0, 34, 0, 0, 0, 0, 0,
	  0 }, /* 33.5 % */
	{ "cpu rounds down", ARAS_VM_RUNNING, 4, 13390000000ull, 0, 0, 0, 0, 0, 0, 33, 0, 0, 0, 0, 0,
	  0 }, /* 33.475 % */
	{ "io rounding", ARAS_VM_RUNNING, 2, 0, 5068800, 0, 0, 0, 0, 0, 0, 506880, 0, 0, 0, 0, 50 },
	{ "write only io", ARAS_VM_RUNNING, 2, 0, 0, 10240000, 0, 7, 0, 0, 0, 0, 1024000, 1, 0, 0, 100 },
	{ "net only", ARAS_VM_RUNNING, 2, 0, 0, 0, 0, 0, 1234567890, 4, 0, 0, 0, 0, 123456789, 0, 0 },
};

static void second_sample_rates_table(void **state)
{
	struct fx *f = *state;
	struct aras_vm_sample v[N_ELEM(rate_rows)];
	struct aras_host_sample s;
	struct aras_apply_result res;

	for (size_t i = 0; i < N_ELEM(rate_rows); i++) {
		vm_init(&v[i], (uint32_t)(100 - i), rate_rows[i].name);
		set_base_counters(&v[i]);
		v[i].state = rate_rows[i].state;
		v[i].vcpus = rate_rows[i].vcpus;
	}
	host_init(&s, 1, T0, v, N_ELEM(v));
	apply_ok(&f->m, &s, NULL);
	for (size_t i = 0; i < N_ELEM(rate_rows); i++) {
		v[i].cpu_time_ns += rate_rows[i].dcpu;
		v[i].rd_bytes += rate_rows[i].drd;
		v[i].wr_bytes += rate_rows[i].dwr;
		v[i].rd_reqs += rate_rows[i].drdreq;
		v[i].wr_reqs += rate_rows[i].dwrreq;
		v[i].rx_bytes += rate_rows[i].drx;
		v[i].tx_bytes += rate_rows[i].dtx;
	}
	host_init(&s, 1, T0 + 10000, v, N_ELEM(v));
	apply_ok(&f->m, &s, &res);
	assert_int_equal(res.updated, N_ELEM(rate_rows));
	assert_int_equal(res.added, 0);
	assert_int_equal(res.removed, 0);
	assert_int_equal(res.old_state, ARAS_HOST_UP);
	assert_int_equal(f->r.added_calls, 1); /* only the first sample added VMs */

	for (size_t i = 0; i < N_ELEM(rate_rows); i++) {
		const struct rate_row *r = &rate_rows[i];
		const struct aras_vm *vm = must_vm(&f->m, (uint32_t)(100 - i));

		CHECK_U64(r->name, vm->cpu_usage, r->cpu);
		CHECK_U64(r->name, vm->rd_rate, r->rd);
		CHECK_U64(r->name, vm->wr_rate, r->wr);
		CHECK_U64(r->name, vm->ops_rate, r->ops);
		CHECK_U64(r->name, vm->rx_rate, r->rx);
		CHECK_U64(r->name, vm->tx_rate, r->tx);
		CHECK_U64(r->name, vm->io_usage, r->io);
		CHECK_U64(r->name, vm->state, r->state);
		CHECK_U64(r->name, vm->t_ms, T0 + 10000);
		CHECK_U64(r->name, vm->cpu_time_ns, v[i].cpu_time_ns);
		CHECK_U64(r->name, vm->rd_bytes, v[i].rd_bytes);
	}
}

/* Rates are per second of the real interval, not of a fixed 10 s. */
static void rates_use_actual_interval(void **state)
{
	static const struct {
		uint64_t dt_ms;
		uint32_t rd;
		unsigned cpu;
	} rows[] = {
		{ 10000, 512000, 25 },
		{ 5000, 1024000, 50 },
		{ 20000, 256000, 13 }, /* 12.5 % */
		{ 3000, 1706667, 83 }, /* 1 706 666.7 B/s, 83.3 % */
	};
	struct fx *f = *state;
	struct aras_vm_sample v;
	struct aras_host_sample s;
	uint64_t t = T0;

	vm_init(&v, 1, "vm");
	set_base_counters(&v);
	host_init(&s, 1, t, &v, 1);
	apply_ok(&f->m, &s, NULL);
	for (size_t i = 0; i < N_ELEM(rows); i++) {
		char what[32];

		snprintf(what, sizeof(what), "dt %llu ms", (unsigned long long)rows[i].dt_ms);
		t += rows[i].dt_ms;
		advance(&v);
		host_init(&s, 1, t, &v, 1);
		apply_ok(&f->m, &s, NULL);
		CHECK_U64(what, must_vm(&f->m, 1)->rd_rate, rows[i].rd);
		CHECK_U64(what, must_vm(&f->m, 1)->cpu_usage, rows[i].cpu);
	}
	/* Same timestamp again: no interval, no rates (not a division by 0). */
	advance(&v);
	host_init(&s, 1, t, &v, 1);
	apply_ok(&f->m, &s, NULL);
	assert_rates_zero("dt 0", must_vm(&f->m, 1));
	/* Time going backwards: likewise. */
	advance(&v);
	host_init(&s, 1, t - 1000, &v, 1);
	apply_ok(&f->m, &s, NULL);
	assert_rates_zero("dt < 0", must_vm(&f->m, 1));
}

static void io_usage_cap_zero(void **state)
{
	struct fx *f = *state;
	struct aras_vm_sample v;
	struct aras_host_sample s;
	struct aras_apply_result res;

	vm_init(&v, 1, "vm");
	host_init(&s, 1, T0, &v, 1);
	assert_int_equal(aras_model_apply(&f->m, &s, 0, &res), 0);
	advance(&v);
	host_init(&s, 1, T0 + 10000, &v, 1);
	assert_int_equal(aras_model_apply(&f->m, &s, 0, &res), 0);
	assert_int_equal(must_vm(&f->m, 1)->rd_rate, 512000);
	assert_int_equal(must_vm(&f->m, 1)->io_usage, 0);
	/* A bigger capacity gives a smaller percentage. */
	advance(&v);
	host_init(&s, 1, T0 + 20000, &v, 1);
	assert_int_equal(aras_model_apply(&f->m, &s, 3000, &res), 0);
	assert_int_equal(must_vm(&f->m, 1)->io_usage, 25); /* 768 000 / 3 072 000 */
}

/* ---- counter resets ---------------------------------------------------- */

enum ctr { C_CPU, C_RD, C_WR, C_RDREQ, C_WRREQ, C_RX, C_TX };

static uint64_t *ctr_field(struct aras_vm_sample *v, enum ctr c)
{
	switch (c) {
	case C_CPU: return &v->cpu_time_ns;
	case C_RD: return &v->rd_bytes;
	case C_WR: return &v->wr_bytes;
	case C_RDREQ: return &v->rd_reqs;
	case C_WRREQ: return &v->wr_reqs;
	case C_RX: return &v->rx_bytes;
	case C_TX: return &v->tx_bytes;
	}
	return NULL;
}

static const struct {
	const char *name;
	enum ctr c;
	uint64_t after; /* the counter's value after the reset */
} reset_rows[] = {
	{ "cpu time back to 0", C_CPU, 0 },
	{ "cpu time slightly lower", C_CPU, 999999999999ull },
	{ "rd bytes reset", C_RD, 4096 },
	{ "wr bytes reset", C_WR, 0 },
	{ "rd reqs reset", C_RDREQ, 0 },
	{ "wr reqs reset", C_WRREQ, 0 },
	{ "rx reset", C_RX, 0 },
	{ "tx reset", C_TX, 100 },
};

/*
 * One counter goes backwards while all the others advance normally: the
 * whole interval reports 0 (no negative or wrapped figures), and the next
 * interval is measured from the new counters.
 */
static void counter_reset_table(void **state)
{
	struct fx *f = *state;
	struct aras_vm_sample v[N_ELEM(reset_rows)];
	struct aras_host_sample s;

	for (size_t i = 0; i < N_ELEM(reset_rows); i++) {
		vm_init(&v[i], (uint32_t)i + 1, reset_rows[i].name);
		set_base_counters(&v[i]);
	}
	host_init(&s, 1, T0, v, N_ELEM(v));
	apply_ok(&f->m, &s, NULL);
	for (size_t i = 0; i < N_ELEM(reset_rows); i++) {
		advance(&v[i]);
		*ctr_field(&v[i], reset_rows[i].c) = reset_rows[i].after;
	}
	host_init(&s, 1, T0 + 10000, v, N_ELEM(v));
	apply_ok(&f->m, &s, NULL);
	for (size_t i = 0; i < N_ELEM(reset_rows); i++)
		assert_rates_zero(reset_rows[i].name, must_vm(&f->m, (uint32_t)i + 1));

	for (size_t i = 0; i < N_ELEM(reset_rows); i++)
		advance(&v[i]);
	host_init(&s, 1, T0 + 20000, v, N_ELEM(v));
	apply_ok(&f->m, &s, NULL);
	for (size_t i = 0; i < N_ELEM(reset_rows); i++)
		assert_typical_rates(reset_rows[i].name, must_vm(&f->m, (uint32_t)i + 1));
}

/* A full restart (every counter near 0) is the same: 0 now, right next time. */
static void counter_reset_all(void **state)
{
	struct fx *f = *state;
	struct aras_vm_sample v;
	struct aras_host_sample s;

	vm_init(&v, 1, "vm");
	set_base_counters(&v);
	host_init(&s, 1, T0, &v, 1);
	apply_ok(&f->m, &s, NULL);
	advance(&v);
	host_init(&s, 1, T0 + 10000, &v, 1);
	apply_ok(&f->m, &s, NULL);
	assert_typical_rates("before restart", must_vm(&f->m, 1));

	v.cpu_time_ns = 0;
	v.rd_bytes = v.wr_bytes = v.rd_reqs = v.wr_reqs = v.rx_bytes = v.tx_bytes = 0;
	advance(&v);
	host_init(&s, 1, T0 + 20000, &v, 1);
	apply_ok(&f->m, &s, NULL);
	assert_rates_zero("restart interval", must_vm(&f->m, 1));
	advance(&v);
	host_init(&s, 1, T0 + 30000, &v, 1);
	apply_ok(&f->m, &s, NULL);
	assert_typical_rates("after restart", must_vm(&f->m, 1));
}

/* ---- memory ------------------------------------------------------------ */

static const struct {
	const char *name;
	int has_guest;
	uint64_t avail, usable, cur, max;
	unsigned usage;
	int source;
} mem_rows[] = {
	{ "guest 75 %", 1, 4 * GIB, 1 * GIB, 2 * GIB, 4 * GIB, 75, ARAS_MEM_GUEST },
	{ "guest 0 %", 1, 4 * GIB, 4 * GIB, 4 * GIB, 4 * GIB, 0, ARAS_MEM_GUEST },
	{ "guest full", 1, 4 * GIB, 0, 1 * GIB, 4 * GIB, 100, ARAS_MEM_GUEST },
	{ "guest rounds", 1, 3, 1, 1, 4, 67, ARAS_MEM_GUEST },
	{ "guest usable > avail", 1, 1000, 2000, 1, 4, 0, ARAS_MEM_GUEST },
	{ "host view ignores guest figures", 0, 1000, 900, 2 * GIB, 4 * GIB, 50, ARAS_MEM_HOST },
	{ "guest avail 0 falls back to host", 1, 0, 0, 3 * GIB, 4 * GIB, 75, ARAS_MEM_HOST },
	{ "host cur above max", 0, 0, 0, 5 * GIB, 4 * GIB, 100, ARAS_MEM_HOST },
	{ "host max 0", 0, 0, 0, 1 * GIB, 0, 0, ARAS_MEM_HOST },
	{ "host rounds", 0, 0, 0, 1, 3, 33, ARAS_MEM_HOST },
};

static void memory_usage_table(void **state)
{
	struct fx *f = *state;
	struct aras_vm_sample v[N_ELEM(mem_rows)];
	struct aras_host_sample s;

	for (size_t i = 0; i < N_ELEM(mem_rows); i++) {
		vm_init(&v[i], (uint32_t)i + 1, mem_rows[i].name);
		v[i].has_guest_mem = mem_rows[i].has_guest;
		v[i].guest_avail_kib = mem_rows[i].avail;
		v[i].guest_usable_kib = mem_rows[i].usable;
		v[i].mem_cur_kib = mem_rows[i].cur;
		v[i].mem_max_kib = mem_rows[i].max;
	}
	host_init(&s, 1, T0, v, N_ELEM(v));
	apply_ok(&f->m, &s, NULL);
	for (size_t i = 0; i < N_ELEM(mem_rows); i++) {
		const struct aras_vm *vm = must_vm(&f->m, (uint32_t)i + 1);

		CHECK_U64(mem_rows[i].name, vm->mem_usage, mem_rows[i].usage);
		CHECK_U64(mem_rows[i].name, vm->mem_source, mem_rows[i].source);
		CHECK_U64(mem_rows[i].name, vm->mem_cur_kib, mem_rows[i].cur);
		CHECK_U64(mem_rows[i].name, vm->mem_max_kib, mem_rows[i].max);
	}
	/* The source follows the sample: guest stats disappearing switches view. */
	v[0].has_guest_mem = 0;
	host_init(&s, 1, T0 + 10000, v, N_ELEM(v));
	apply_ok(&f->m, &s, NULL);
	CHECK_U64("guest stats gone", must_vm(&f->m, 1)->mem_source, ARAS_MEM_HOST);
	CHECK_U64("guest stats gone", must_vm(&f->m, 1)->mem_usage, 50);
}

/* ---- VMs vanishing ----------------------------------------------------- */

static void vm_vanishes(void **state)
{
	struct fx *f = *state;
	struct aras_vm_sample v[3];
	struct aras_host_sample s;
	struct aras_apply_result res;
	struct aras_vm *a, *b, *c;
	uint8_t ub[ARAS_UUID_LEN];
	int marker;

	vm_init(&v[0], 10, "a");
	vm_init(&v[1], 20, "b");
	vm_init(&v[2], 30, "c");
	host_init(&s, 1, T0, v, 3);
	apply_ok(&f->m, &s, NULL);
	a = must_vm(&f->m, 10);
	b = must_vm(&f->m, 20);
	c = must_vm(&f->m, 30);
	b->priv = &marker; /* as the SNMP adapter would */

	v[1] = v[2];
	host_init(&s, 1, T0 + 10000, v, 2);
	/*
	 * First miss: b stays one more poll, not running and without figures
	 * (a live migration leaves the source before the target lists it).
	 */
	b->cpu_usage = 77;
	apply_ok(&f->m, &s, &res);
	assert_int_equal(res.removed, 0);
	assert_int_equal(f->r.removed, 0);
	assert_int_equal(f->m.nvms, 3);
	assert_ptr_equal(must_vm(&f->m, 20), b);
	assert_int_equal(b->missing, 1);
	assert_int_equal(b->state, ARAS_VM_OTHER);
	assert_int_equal(b->cpu_usage, 0);
	assert_int_equal(b->rates_valid, 0);
	/* Second miss: gone. */
	host_init(&s, 1, T0 + 15000, v, 2);
	apply_ok(&f->m, &s, &res);
	assert_int_equal(res.removed, 1);
	assert_int_equal(res.updated, 2);
	assert_int_equal(res.added, 0);
	assert_int_equal(f->m.nvms, 2);
	assert_null(vm_by_key(&f->m, 20));
	assert_int_equal(aras_model_host(&f->m, 1)->vm_count, 2);
	/* the hook saw b, whole, before it was freed */
	assert_int_equal(f->r.removed, 1);
	mkuuid(ub, 20);
	assert_memory_equal(f->r.removed_uuid[0], ub, ARAS_UUID_LEN);
	assert_string_equal(f->r.removed_name[0], "b");
	assert_int_equal(f->r.removed_host[0], 1);
	assert_ptr_equal(f->r.removed_ptr[0], b);
	assert_ptr_equal(f->r.removed_priv[0], &marker);
	/* survivors keep their addresses and order */
	assert_ptr_equal(must_vm(&f->m, 10), a);
	assert_ptr_equal(must_vm(&f->m, 30), c);
	assert_ptr_equal(f->m.vms[0], a);
	assert_ptr_equal(f->m.vms[1], c);

	/* An empty sample removes the rest; VMs of other hosts stay. */
	vm_init(&v[2], 40, "other-host");
	host_init(&s, 2, T0 + 10000, &v[2], 1);
	apply_ok(&f->m, &s, NULL);
	host_init(&s, 1, T0 + 20000, NULL, 0);
	apply_ok(&f->m, &s, &res);
	assert_int_equal(res.removed, 0);
	host_init(&s, 1, T0 + 25000, NULL, 0);
	apply_ok(&f->m, &s, &res);
	assert_int_equal(res.removed, 2);
	assert_int_equal(f->r.removed, 3);
	assert_int_equal(f->m.nvms, 1);
	assert_non_null(vm_by_key(&f->m, 40));
	assert_int_equal(aras_model_host(&f->m, 1)->vm_count, 0);
}

/*
 * A VM arasd undefined (engine.c sets missing and undefined on the
 * command's success) leaves at its host's next sample, even one taken
 * before the undefine returned that still lists it; a VM defined again
 * with its UUID afterwards is a new row.
 */
static void vm_undefined(void **state)
{
	struct fx *f = *state;
	struct aras_vm_sample v[2];
	struct aras_host_sample s;
	struct aras_apply_result res;
	struct aras_vm *b;

	vm_init(&v[0], 10, "a");
	vm_init(&v[1], 20, "b");
	host_init(&s, 1, T0, v, 2);
	apply_ok(&f->m, &s, NULL);
	b = must_vm(&f->m, 20);
	b->missing = 1;
	b->undefined = 1;
	host_init(&s, 1, T0 + 10000, v, 2); /* still listed: taken before */
	apply_ok(&f->m, &s, &res);
	assert_int_equal(res.removed, 1);
	assert_int_equal(f->r.removed, 1);
	assert_null(vm_by_key(&f->m, 20));
	assert_non_null(vm_by_key(&f->m, 10));
	host_init(&s, 1, T0 + 20000, v, 2); /* defined again */
	apply_ok(&f->m, &s, &res);
	assert_int_equal(res.added, 1);
	assert_int_equal(must_vm(&f->m, 20)->undefined, 0);
}

/* aras_model_free hands every remaining VM to the hook. */
static void model_free_calls_hook(void **state)
{
	struct aras_model m;
	struct rec r;
	struct aras_vm_sample v[5];
	struct aras_host_sample s;

	(void)state;
	memset(&r, 0, sizeof(r));
	aras_model_init(&m);
	m.hooks.vm_removed = on_removed;
	m.hooks.arg = &r;
	assert_int_equal(aras_model_add_host(&m, 1, "h", "test:///default"), 0);
	for (uint32_t i = 0; i < 5; i++)
		vm_init(&v[i], i, "vm");
	host_init(&s, 1, T0, v, 5);
	apply_ok(&m, &s, NULL);
	aras_model_free(&m);
	assert_int_equal(r.removed, 5);
	assert_int_equal(m.nvms, 0);
	assert_null(m.vms);
}

/* ---- migration --------------------------------------------------------- */

static void vm_migrates(void **state)
{
	struct fx *f = *state;
	struct aras_vm_sample v, stay;
	struct aras_host_sample s;
	struct aras_apply_result res;
	struct aras_vm *vm;

	vm_init(&v, 5, "mover");
	set_base_counters(&v);
	vm_init(&stay, 6, "stayer");
	host_init(&s, 1, T0, &v, 1);
	apply_ok(&f->m, &s, NULL);
	advance(&v);
	host_init(&s, 1, T0 + 10000, &v, 1);
	apply_ok(&f->m, &s, NULL);
	vm = must_vm(&f->m, 5);
	assert_typical_rates("on host 1", vm);

	/*
	 * Host 2 reports it.  Its counters are larger (no reset to detect):
	 * the move alone must zero this interval's figures.
	 */
	advance(&v);
	host_init(&s, 2, T0 + 11000, &v, 1);
	apply_ok(&f->m, &s, &res);
	assert_int_equal(res.added, 0);
	assert_int_equal(res.updated, 1);
	assert_int_equal(f->r.added_calls, 1);
	assert_int_equal(f->m.nvms, 1);
	assert_ptr_equal(must_vm(&f->m, 5), vm);
	assert_int_equal(vm->host, 2);
	assert_rates_zero("moved", vm);
	assert_int_equal(aras_model_host(&f->m, 2)->vm_count, 1);

	/* Host 1's next sample lacks it: it is not removed. */
	host_init(&s, 1, T0 + 20000, &stay, 1);
	apply_ok(&f->m, &s, &res);
	assert_int_equal(res.removed, 0);
	assert_int_equal(f->r.removed, 0);
	assert_int_equal(f->m.nvms, 2);
	assert_ptr_equal(must_vm(&f->m, 5), vm);
	assert_int_equal(vm->host, 2);
	assert_int_equal(aras_model_host(&f->m, 1)->vm_count, 1);

	/* Host 2's next interval is measured from its own first counters. */
	advance(&v);
	host_init(&s, 2, T0 + 21000, &v, 1);
	apply_ok(&f->m, &s, &res);
	assert_typical_rates("on host 2", vm);
	assert_int_equal(vm->host, 2);

	/* And when it leaves host 2's list (two polls running) it is removed. */
	host_init(&s, 2, T0 + 31000, NULL, 0);
	apply_ok(&f->m, &s, &res);
	assert_int_equal(res.removed, 0);
	host_init(&s, 2, T0 + 41000, NULL, 0);
	apply_ok(&f->m, &s, &res);
	assert_int_equal(res.removed, 1);
	assert_null(vm_by_key(&f->m, 5));
	assert_non_null(vm_by_key(&f->m, 6));
}

/*
 * arasd's own live migration: once libvirt says it is done the VM runs on
 * the target, even if a source poll that began before then lists it.
 */
static void vm_moved_by_arasd(void **state)
{
	struct fx *f = *state;
	struct aras_vm_sample v, late;
	struct aras_host_sample s;
	struct aras_apply_result res;
	struct aras_vm *vm;

	vm_init(&v, 5, "mover");
	set_base_counters(&v);
	host_init(&s, 1, T0, &v, 1);
	apply_ok(&f->m, &s, NULL);
	advance(&v);
	host_init(&s, 1, T0 + 10000, &v, 1);
	apply_ok(&f->m, &s, NULL);
	vm = must_vm(&f->m, 5);
	assert_int_equal(vm->rates_valid, 1);
	assert_int_equal(vm->placed_ms, T0 + 10000);

	/* the migration ends at T0 + 15000 */
	aras_model_vm_moved(&f->m, vm, 2, T0 + 15000);
	assert_int_equal(vm->host, 2);
	assert_int_equal(vm->placed_ms, T0 + 15000);
	assert_int_equal(vm->rates_valid, 0);
	assert_int_equal(aras_model_host(&f->m, 1)->vm_count, 0);
	assert_int_equal(aras_model_host(&f->m, 2)->vm_count, 1);

	/* Source polls that began before then still list it running: ignored. */
	late = v;
	advance(&late);
	for (int k = 0; k < 2; k++) {
		host_init(&s, 1, T0 + 16000 + 1000 * k, &late, 1);
		s.start_ms = T0 + 14000 + 900 * k; /* began at 14.0 s, 14.9 s */
		apply_ok(&f->m, &s, &res);
		assert_int_equal(res.updated, 0);
		assert_int_equal(res.removed, 0);
		assert_int_equal(vm->host, 2);
		assert_int_equal(aras_model_host(&f->m, 1)->vm_count, 0);
	}

	/* A target poll that began before the result does not miss it. */
	host_init(&s, 2, T0 + 15500, NULL, 0);
	s.start_ms = T0 + 14500;
	apply_ok(&f->m, &s, &res);
	assert_int_equal(res.removed, 0);
	assert_int_equal(vm->missing, 0);
	assert_int_equal(vm->state, ARAS_VM_RUNNING);

	/* The target lists it: figures from the target's own counters. */
	v.cpu_time_ns = 1000; /* a new QEMU process: counters restart */
	host_init(&s, 2, T0 + 18000, &v, 1);
	apply_ok(&f->m, &s, &res);
	assert_int_equal(res.updated, 1);
	assert_int_equal(res.added, 0);
	assert_int_equal(vm->host, 2);
	assert_int_equal(vm->placed_ms, T0 + 18000);
	assert_rates_zero("first on target", vm);

	/* A later move back (by someone else), seen by a poll begun after: followed. */
	host_init(&s, 1, T0 + 30000, &v, 1);
	s.start_ms = T0 + 29000;
	apply_ok(&f->m, &s, &res);
	assert_int_equal(vm->host, 1);
	assert_int_equal(f->m.nvms, 1);

	/* An unknown host changes nothing; the same host only confirms the time. */
	aras_model_vm_moved(&f->m, vm, 9, T0 + 40000);
	assert_int_equal(vm->host, 1);
	assert_int_equal(vm->placed_ms, T0 + 30000);
	aras_model_vm_moved(&f->m, vm, 1, T0 + 40000);
	assert_int_equal(vm->host, 1);
	assert_int_equal(vm->placed_ms, T0 + 40000);
}

/*
 * The target's poll lists it running before libvirt's call on the source
 * returns; the source's poll that began earlier lists it running too.
 */
static void target_listed_before_result(void **state)
{
	struct fx *f = *state;
	struct aras_vm_sample v;
	struct aras_host_sample s;
	struct aras_vm *vm;

	vm_init(&v, 5, "mover");
	host_init(&s, 1, T0, &v, 1);
	apply_ok(&f->m, &s, NULL);
	vm = must_vm(&f->m, 5);
	host_init(&s, 2, T0 + 3000, &v, 1); /* poll of B: 2.5 s .. 3.0 s */
	s.start_ms = T0 + 2500;
	apply_ok(&f->m, &s, NULL);
	assert_int_equal(vm->host, 2);
	aras_model_vm_moved(&f->m, vm, 2, T0 + 3100); /* the result */
	assert_int_equal(vm->host, 2);
	assert_int_equal(vm->placed_ms, T0 + 3100);
	host_init(&s, 1, T0 + 3200, &v, 1); /* poll of A: 2.0 s .. 3.2 s */
	s.start_ms = T0 + 2000;
	apply_ok(&f->m, &s, NULL);
	assert_int_equal(vm->host, 2);
	/* without the result, A's earlier-begun poll is still not newer than B's */
	vm_init(&v, 6, "other");
	host_init(&s, 1, T0 + 4000, &v, 1);
	apply_ok(&f->m, &s, NULL);
	vm = must_vm(&f->m, 6);
	host_init(&s, 2, T0 + 6000, &v, 1);
	s.start_ms = T0 + 5000;
	apply_ok(&f->m, &s, NULL);
	assert_int_equal(vm->host, 2);
	host_init(&s, 1, T0 + 6500, &v, 1);
	s.start_ms = T0 + 5900;
	apply_ok(&f->m, &s, NULL);
	assert_int_equal(vm->host, 2);
}

/*
 * The published totals never go backwards: a move (new QEMU process, by a
 * listing elsewhere or by arasd's own migration) or a counter reset adds
 * the new process's count; a quiet interval adds nothing.
 */
static void totals_survive_new_processes(void **state)
{
	struct fx *f = *state;
	struct aras_vm_sample v;
	struct aras_host_sample s;
	struct aras_vm *vm;
	uint64_t cpu, wr, tx;

	vm_init(&v, 5, "mover");
	set_base_counters(&v);
	host_init(&s, 1, T0, &v, 1);
	apply_ok(&f->m, &s, NULL);
	vm = must_vm(&f->m, 5);
	/* first sight: the hypervisor's own figures */
	assert_int_equal(vm->total.cpu_ns, 1000000000000ull);
	assert_int_equal(vm->total.rd_bytes, 7000000000ull);
	assert_int_equal(vm->total.wr_bytes, 3000000000ull);
	assert_int_equal(vm->total.rx_bytes, 900000000ull);
	assert_int_equal(vm->total.tx_bytes, 800000000ull);
	advance(&v);
	host_init(&s, 1, T0 + 10000, &v, 1);
	apply_ok(&f->m, &s, NULL);
	assert_int_equal(vm->total.cpu_ns, v.cpu_time_ns);
	assert_int_equal(vm->total.tx_bytes, v.tx_bytes);

	/* listed on host 2 by a new process that already counted a little */
	cpu = vm->total.cpu_ns, wr = vm->total.wr_bytes, tx = vm->total.tx_bytes;
	v.rd_bytes = v.rd_reqs = v.wr_reqs = v.rx_bytes = v.tx_bytes = 0;
	v.cpu_time_ns = 300000000;
	v.wr_bytes = 4096;
	host_init(&s, 2, T0 + 12000, &v, 1);
	apply_ok(&f->m, &s, NULL);
	assert_int_equal(vm->host, 2);
	assert_int_equal(vm->total.cpu_ns, cpu + 300000000);
	assert_int_equal(vm->total.wr_bytes, wr + 4096);
	assert_int_equal(vm->total.tx_bytes, tx);
	/* then ordinary deltas */
	v.cpu_time_ns += 1000;
	host_init(&s, 2, T0 + 14000, &v, 1);
	apply_ok(&f->m, &s, NULL);
	assert_int_equal(vm->total.cpu_ns, cpu + 300001000);

	/* a reset on the same host (counter backwards): the new count is added */
	v.cpu_time_ns = 500;
	host_init(&s, 2, T0 + 16000, &v, 1);
	apply_ok(&f->m, &s, NULL);
	assert_int_equal(vm->total.cpu_ns, cpu + 300001500);

	/* arasd's own migration back to host 1: the target's count, even if larger */
	aras_model_vm_moved(&f->m, vm, 1, T0 + 17000);
	v.cpu_time_ns = 900000000;
	host_init(&s, 1, T0 + 18000, &v, 1);
	apply_ok(&f->m, &s, NULL);
	assert_int_equal(vm->total.cpu_ns, cpu + 300001500 + 900000000);
	/* unchanged counters add nothing */
	host_init(&s, 1, T0 + 20000, &v, 1);
	apply_ok(&f->m, &s, NULL);
	assert_int_equal(vm->total.cpu_ns, cpu + 300001500 + 900000000);
}

/*
 * A shut-off domain's figures are no process's: a guest first seen shut
 * off while it starts (libvirt already reads the new cgroup) and then
 * running counts its CPU time once, from the running sample; a stop and a
 * start again add the new process's count.
 */
static void totals_skip_shutoff_samples(void **state)
{
	struct fx *f = *state;
	struct aras_vm_sample v;
	struct aras_host_sample s;
	struct aras_vm *vm;

	vm_init(&v, 7, "booting");
	v.state = ARAS_VM_SHUTOFF;
	v.cpu_time_ns = 380000000;
	v.wr_bytes = 4096;
	host_init(&s, 1, T0, &v, 1);
	apply_ok(&f->m, &s, NULL);
	vm = must_vm(&f->m, 7);
	assert_int_equal(vm->total.cpu_ns, 0);
	assert_int_equal(vm->total.wr_bytes, 0);
	v.state = ARAS_VM_RUNNING;
	v.cpu_time_ns = 1638121028;
	v.wr_bytes = 8192;
	host_init(&s, 1, T0 + 2000, &v, 1);
	apply_ok(&f->m, &s, NULL);
	assert_int_equal(vm->total.cpu_ns, 1638121028);
	assert_int_equal(vm->total.wr_bytes, 8192);
	v.cpu_time_ns += 1000;
	host_init(&s, 1, T0 + 4000, &v, 1);
	apply_ok(&f->m, &s, NULL);
	assert_int_equal(vm->total.cpu_ns, 1638122028);
	/* destroyed: libvirt may still report the last run's figure */
	v.state = ARAS_VM_SHUTOFF;
	v.cpu_time_ns = 630000000;
	host_init(&s, 1, T0 + 6000, &v, 1);
	apply_ok(&f->m, &s, NULL);
	assert_int_equal(vm->total.cpu_ns, 1638122028);
	/* started again: the new process's count is added */
	v.state = ARAS_VM_RUNNING;
	v.cpu_time_ns = 200000000;
	host_init(&s, 1, T0 + 8000, &v, 1);
	apply_ok(&f->m, &s, NULL);
	assert_int_equal(vm->total.cpu_ns, 1638122028 + 200000000);
}

/* The paused copy on the target of a live migration in progress is not the VM. */
static void incoming_paused_copy_ignored(void **state)
{
	struct fx *f = *state;
	struct aras_vm_sample v, incoming;
	struct aras_host_sample s;
	struct aras_apply_result res;
	struct aras_vm *vm;

	vm_init(&v, 5, "mover");
	host_init(&s, 1, T0, &v, 1);
	apply_ok(&f->m, &s, NULL);
	vm = must_vm(&f->m, 5);
	incoming = v;
	incoming.state = ARAS_VM_PAUSED;
	host_init(&s, 2, T0 + 1000, &incoming, 1);
	apply_ok(&f->m, &s, &res);
	assert_int_equal(res.updated, 0);
	assert_int_equal(res.added, 0);
	assert_int_equal(vm->host, 1);
	assert_int_equal(vm->state, ARAS_VM_RUNNING);

	/* The source no longer lists it, the target runs it: it moved. */
	host_init(&s, 1, T0 + 2000, NULL, 0);
	apply_ok(&f->m, &s, &res);
	assert_int_equal(vm->state, ARAS_VM_OTHER);
	host_init(&s, 2, T0 + 3000, &v, 1);
	apply_ok(&f->m, &s, &res);
	assert_int_equal(vm->host, 2);
	assert_int_equal(vm->state, ARAS_VM_RUNNING);
	assert_int_equal(vm->missing, 0);
	/* host 1's next poll does not count it as missing again */
	host_init(&s, 1, T0 + 4000, NULL, 0);
	apply_ok(&f->m, &s, &res);
	assert_int_equal(res.removed, 0);
	assert_ptr_equal(must_vm(&f->m, 5), vm);
}

/*
 * The incoming copy (paused, reason migration) marks a migration in
 * flight (vm->inbound) until the target's poll no longer lists it, the
 * target goes down, or the VM runs there.  A copy paused for another
 * reason is no migration.
 */
static void incoming_copy_marks_inbound(void **state)
{
	struct fx *f = *state;
	struct aras_vm_sample v, incoming;
	struct aras_host_sample s;
	struct aras_vm *vm;

	vm_init(&v, 6, "flying");
	host_init(&s, 1, T0, &v, 1);
	apply_ok(&f->m, &s, NULL);
	vm = must_vm(&f->m, 6);
	incoming = v;
	incoming.state = ARAS_VM_PAUSED;
	incoming.reason = 1; /* VIR_DOMAIN_PAUSED_USER: no migration */
	host_init(&s, 2, T0 + 1000, &incoming, 1);
	apply_ok(&f->m, &s, NULL);
	assert_int_equal(vm->inbound, 0);
	incoming.reason = ARAS_PAUSED_MIGRATION;
	host_init(&s, 2, T0 + 2000, &incoming, 1);
	apply_ok(&f->m, &s, NULL);
	assert_int_equal(vm->inbound, 2);
	assert_int_equal(vm->host, 1);
	/* the source's poll keeps it */
	host_init(&s, 1, T0 + 2500, &v, 1);
	apply_ok(&f->m, &s, NULL);
	assert_int_equal(vm->inbound, 2);
	/* the target no longer lists the copy: the migration failed there */
	host_init(&s, 2, T0 + 3000, NULL, 0);
	apply_ok(&f->m, &s, NULL);
	assert_int_equal(vm->inbound, 0);
	/* again, then the target goes down */
	host_init(&s, 2, T0 + 4000, &incoming, 1);
	apply_ok(&f->m, &s, NULL);
	assert_int_equal(vm->inbound, 2);
	host_init(&s, 2, T0 + 5000, NULL, 0);
	s.ok = 0;
	snprintf(s.err, sizeof(s.err), "gone");
	apply_ok(&f->m, &s, NULL);
	assert_int_equal(vm->inbound, 0);
	/* again, then it runs there */
	host_init(&s, 2, T0 + 6000, &incoming, 1);
	apply_ok(&f->m, &s, NULL);
	assert_int_equal(vm->inbound, 2);
	host_init(&s, 1, T0 + 7000, NULL, 0);
	apply_ok(&f->m, &s, NULL);
	host_init(&s, 2, T0 + 8000, &v, 1);
	apply_ok(&f->m, &s, NULL);
	assert_int_equal(vm->host, 2);
	assert_int_equal(vm->inbound, 0);

	/*
	 * A start during a migration: the target's poll (the copy) is applied
	 * first, the source's began before it ended: the VM is on its source,
	 * the migration in flight to the target.
	 */
	vm_init(&v, 7, "caught");
	incoming = v;
	incoming.state = ARAS_VM_PAUSED;
	incoming.reason = ARAS_PAUSED_MIGRATION;
	host_init(&s, 2, T0 + 10000, &incoming, 1);
	apply_ok(&f->m, &s, NULL);
	vm = must_vm(&f->m, 7);
	host_init(&s, 1, T0 + 10500, &v, 1);
	s.start_ms = T0 + 9000;
	apply_ok(&f->m, &s, NULL);
	assert_int_equal(vm->host, 1);
	assert_int_equal(vm->state, ARAS_VM_RUNNING);
	assert_int_equal(vm->inbound, 2);
	/* the target's next poll still lists the copy: still in flight */
	host_init(&s, 2, T0 + 11000, &incoming, 1);
	apply_ok(&f->m, &s, NULL);
	assert_int_equal(vm->host, 1);
	assert_int_equal(vm->inbound, 2);

	/*
	 * The source at its switchover is paused for the migration too: when
	 * the target then lists the VM running, it moved there; the source is
	 * no target of anything.
	 */
	vm_init(&v, 8, "switching");
	host_init(&s, 1, T0 + 12000, &v, 1);
	apply_ok(&f->m, &s, NULL);
	vm = must_vm(&f->m, 8);
	incoming = v;
	incoming.state = ARAS_VM_PAUSED;
	incoming.reason = ARAS_PAUSED_MIGRATION;
	host_init(&s, 1, T0 + 13000, &incoming, 1);
	apply_ok(&f->m, &s, NULL);
	assert_int_equal(vm->copy_only, 0);
	/* the target's copy in that window is not the VM: it stays on its source */
	host_init(&s, 2, T0 + 13500, &incoming, 1);
	apply_ok(&f->m, &s, NULL);
	assert_int_equal(vm->host, 1);
	assert_int_equal(vm->inbound, 2);
	host_init(&s, 2, T0 + 14000, &v, 1);
	apply_ok(&f->m, &s, NULL);
	assert_int_equal(vm->host, 2);
	assert_int_equal(vm->inbound, 0);
}

/* ---- duplicates -------------------------------------------------------- */

static void duplicate_uuid_new_vm(void **state)
{
	struct fx *f = *state;
	struct aras_vm_sample v[4];
	struct aras_host_sample s;
	struct aras_apply_result res;

	vm_init(&v[0], 7, "first");
	vm_init(&v[1], 3, "other");
	vm_init(&v[2], 7, "second");
	v[2].vcpus = 8;
	vm_init(&v[3], 7, "third");
	host_init(&s, 1, T0, v, 4);
	apply_ok(&f->m, &s, &res);
	assert_int_equal(res.added, 2);
	assert_int_equal(f->m.nvms, 2);
	assert_sorted(&f->m);
	assert_string_equal(must_vm(&f->m, 7)->name, "first");
	assert_int_equal(must_vm(&f->m, 7)->vcpus, 2);
	assert_int_equal(f->r.added_last, 2);
	assert_int_equal(aras_model_host(&f->m, 1)->vm_count, 2);
}

/*
 * Regression (was a bug in aras_model_apply, fixed): the duplicate check
 * only looked at VMs added in this sample.  A VM already in the model and
 * listed twice was folded twice: the second time with the same t_ms, so
 * dt = 0 and every rate of the first, good entry was overwritten with 0
 * (and its counters with the second entry's), and res.updated counted it
 * twice.  The first entry must win, once.
 */
static void regress_model_duplicate_uuid_existing_vm(void **state)
{
	struct fx *f = *state;
	struct aras_vm_sample v[2];
	struct aras_host_sample s;
	struct aras_apply_result res;

	vm_init(&v[0], 7, "first");
	set_base_counters(&v[0]);
	host_init(&s, 1, T0, v, 1);
	apply_ok(&f->m, &s, NULL);
	advance(&v[0]);
	v[1] = v[0];
	snprintf(v[1].name, sizeof(v[1].name), "second");
	v[1].cpu_time_ns += 123456789;
	host_init(&s, 1, T0 + 10000, v, 2);
	apply_ok(&f->m, &s, &res);
	assert_int_equal(f->m.nvms, 1);
	assert_string_equal(must_vm(&f->m, 7)->name, "first");
	assert_int_equal(must_vm(&f->m, 7)->cpu_time_ns, v[0].cpu_time_ns);
	assert_typical_rates("duplicate of a known VM", must_vm(&f->m, 7));
	assert_int_equal(res.updated, 1);
}

/* ---- failed polls ------------------------------------------------------ */

static void failed_sample(void **state)
{
	struct fx *f = *state;
	struct aras_vm_sample v[2], w;
	struct aras_host_sample s;
	struct aras_apply_result res;
	struct aras_host *h = aras_model_host(&f->m, 1);

	vm_init(&v[0], 1, "a");
	vm_init(&v[1], 2, "b");
	v[1].state = ARAS_VM_PAUSED;
	vm_init(&w, 3, "elsewhere");
	set_base_counters(&v[0]);
	set_base_counters(&v[1]);
	set_base_counters(&w);
	host_init(&s, 1, T0, v, 2);
	apply_ok(&f->m, &s, NULL);
	host_init(&s, 2, T0, &w, 1);
	apply_ok(&f->m, &s, NULL);
	advance(&v[0]);
	advance(&v[1]);
	advance(&w);
	host_init(&s, 1, T0 + 10000, v, 2);
	apply_ok(&f->m, &s, NULL);
	host_init(&s, 2, T0 + 10000, &w, 1);
	apply_ok(&f->m, &s, NULL);
	assert_typical_rates("a before failure", must_vm(&f->m, 1));

	host_init(&s, 1, T0 + 20000, NULL, 0);
	s.ok = 0;
	snprintf(s.err, sizeof(s.err), "Cannot recv data: Connection reset by peer");
	apply_ok(&f->m, &s, &res);
	assert_int_equal(res.old_state, ARAS_HOST_UP);
	assert_int_equal(res.new_state, ARAS_HOST_DOWN);
	assert_int_equal(res.removed, 0);
	assert_int_equal(h->state, ARAS_HOST_DOWN);
	assert_int_equal(aras_host_mib_state(h), ARAS_HOST_DOWN);
	assert_string_equal(h->last_error, "Cannot recv data: Connection reset by peer");
	assert_int_equal(f->m.nvms, 3);
	assert_int_equal(f->r.removed, 0);
	for (uint32_t k = 1; k <= 2; k++) {
		struct aras_vm *vm = must_vm(&f->m, k);

		assert_int_equal(vm->state, ARAS_VM_OTHER);
		assert_int_equal(vm->host, 1);
		CHECK_U64(vm->name, vm->cpu_usage, 0);
		CHECK_U64(vm->name, vm->rd_rate, 0);
		CHECK_U64(vm->name, vm->wr_rate, 0);
		CHECK_U64(vm->name, vm->ops_rate, 0);
		CHECK_U64(vm->name, vm->rx_rate, 0);
		CHECK_U64(vm->name, vm->tx_rate, 0);
		/* io_usage: see regress_model_failed_sample_zeroes_io_usage */
		/* what was last known stays */
		CHECK_U64(vm->name, vm->mem_cur_kib, 1 * GIB);
	}
	/* the other host's VM is untouched */
	assert_int_equal(must_vm(&f->m, 3)->state, ARAS_VM_RUNNING);
	assert_typical_rates("elsewhere", must_vm(&f->m, 3));

	/* Still down: the error text is updated. */
	host_init(&s, 1, T0 + 30000, NULL, 0);
	s.ok = 0;
	snprintf(s.err, sizeof(s.err), "timeout");
	apply_ok(&f->m, &s, &res);
	assert_int_equal(res.old_state, ARAS_HOST_DOWN);
	assert_string_equal(h->last_error, "timeout");

	/* Back: UP, error cleared, first interval has no rates, next one does. */
	advance(&v[0]);
	advance(&v[1]);
	host_init(&s, 1, T0 + 40000, v, 2);
	apply_ok(&f->m, &s, &res);
	assert_int_equal(res.old_state, ARAS_HOST_DOWN);
	assert_int_equal(res.new_state, ARAS_HOST_UP);
	assert_string_equal(h->last_error, "");
	assert_int_equal(must_vm(&f->m, 1)->state, ARAS_VM_RUNNING);
	assert_int_equal(must_vm(&f->m, 2)->state, ARAS_VM_PAUSED);
	assert_rates_zero("first after recovery", must_vm(&f->m, 1));
	advance(&v[0]);
	host_init(&s, 1, T0 + 50000, v, 2);
	apply_ok(&f->m, &s, &res);
	assert_typical_rates("second after recovery", must_vm(&f->m, 1));
}

/*
 * Regression (was a bug in aras_model_apply, the ok == 0 branch, fixed): a
 * failed poll zeroed cpu_usage and every rate of the host's VMs but left
 * io_usage, which is computed from rd_rate + wr_rate, at its last value.
 * The VM then showed rates of 0 with a disk I/O use of 75 %, and a disk SLA
 * breach could stay "firing" for a VM whose host cannot be reached.
 */
static void regress_model_failed_sample_zeroes_io_usage(void **state)
{
	struct fx *f = *state;
	struct aras_vm_sample v;
	struct aras_host_sample s;

	vm_init(&v, 1, "a");
	set_base_counters(&v);
	host_init(&s, 1, T0, &v, 1);
	apply_ok(&f->m, &s, NULL);
	advance(&v);
	host_init(&s, 1, T0 + 10000, &v, 1);
	apply_ok(&f->m, &s, NULL);
	assert_int_equal(must_vm(&f->m, 1)->io_usage, 75);
	host_init(&s, 1, T0 + 20000, NULL, 0);
	s.ok = 0;
	snprintf(s.err, sizeof(s.err), "unreachable");
	apply_ok(&f->m, &s, NULL);
	assert_rates_zero("after a failed poll", must_vm(&f->m, 1));
}

static void failed_first_poll(void **state)
{
	struct fx *f = *state;
	struct aras_host_sample s;
	struct aras_apply_result res;
	struct aras_host *h = aras_model_host(&f->m, 2);

	host_init(&s, 2, T0, NULL, 0);
	s.ok = 0;
	memset(s.err, 'e', sizeof(s.err) - 1); /* longest possible text */
	s.err[sizeof(s.err) - 1] = '\0';
	apply_ok(&f->m, &s, &res);
	assert_int_equal(res.old_state, ARAS_HOST_UNKNOWN);
	assert_int_equal(res.new_state, ARAS_HOST_DOWN);
	assert_int_equal(strlen(h->last_error), ARAS_ERRTEXT_MAX - 1);
	assert_int_equal(h->state, ARAS_HOST_DOWN);
}

/* ---- host figures ------------------------------------------------------ */

static const struct {
	const char *name;
	int has_cpu_stats;
	uint64_t busy0, total0, busy1, total1;
	unsigned want_first, want;
} hcpu_rows[] = {
	/* VMs: 2 vCPUs at 50 % + 1 vCPU at 100 % = 2 of the 4 host CPUs, 50 % */
	{ "node counters advance", 1, 1000000000000ull, 10000000000000ull, 1010000000000ull,
	  10040000000000ull, 0, 25 },
	{ "node idle, VMs busy: node wins", 1, 1000000000000ull, 10000000000000ull, 1000000000000ull,
	  10040000000000ull, 0, 0 },
	{ "node busy counter reset", 1, 1000000000000ull, 10000000000000ull, 5, 10040000000000ull, 0, 0 },
	{ "test driver: fixed node counters", 1, 5000000000ull, 10000000000ull, 5000000000ull, 10000000000ull,
	  0, 50 },
	{ "no node stats", 0, 0, 0, 0, 0, 0, 50 },
};

static void host_cpu_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEM(hcpu_rows); i++) {
		struct aras_model m;
		struct aras_vm_sample v[3];
		struct aras_host_sample s;
		struct aras_host *h;

		aras_model_init(&m);
		assert_int_equal(aras_model_add_host(&m, 1, "h", "test:///default"), 0);
		h = aras_model_host(&m, 1);
		vm_init(&v[0], 1, "half of 2");
		vm_init(&v[1], 2, "full 1");
		v[1].vcpus = 1;
		vm_init(&v[2], 3, "shut off");
		v[2].state = ARAS_VM_SHUTOFF;
		v[2].vcpus = 16;
		host_init(&s, 1, T0, v, 3);
		s.cpus = 4;
		s.has_cpu_stats = hcpu_rows[i].has_cpu_stats;
		s.cpu_busy_ns = hcpu_rows[i].busy0;
		s.cpu_total_ns = hcpu_rows[i].total0;
		apply_ok(&m, &s, NULL);
		CHECK_U64(hcpu_rows[i].name, h->cpu_usage, hcpu_rows[i].want_first);

		v[0].cpu_time_ns += 10000000000ull; /* 10 s of 2 vCPUs x 10 s */
		v[1].cpu_time_ns += 10000000000ull; /* 10 s of 1 vCPU x 10 s */
		v[2].cpu_time_ns += 10000000000ull; /* shut off: does not count */
		host_init(&s, 1, T0 + 10000, v, 3);
		s.cpus = 4;
		s.has_cpu_stats = hcpu_rows[i].has_cpu_stats;
		s.cpu_busy_ns = hcpu_rows[i].busy1;
		s.cpu_total_ns = hcpu_rows[i].total1;
		apply_ok(&m, &s, NULL);
		CHECK_U64(hcpu_rows[i].name, must_vm(&m, 1)->cpu_usage, 50);
		CHECK_U64(hcpu_rows[i].name, must_vm(&m, 2)->cpu_usage, 100);
		CHECK_U64(hcpu_rows[i].name, must_vm(&m, 3)->cpu_usage, 0);
		CHECK_U64(hcpu_rows[i].name, h->cpu_usage, hcpu_rows[i].want);
		CHECK_U64(hcpu_rows[i].name, h->cpus, 4);
		aras_model_free(&m);
	}
}

/* VM CPU use summed over a host with more demand than CPUs clamps at 100. */
static void host_cpu_from_vms_clamps(void **state)
{
	struct fx *f = *state;
	struct aras_vm_sample v[3];
	struct aras_host_sample s;

	for (uint32_t i = 0; i < 3; i++) {
		vm_init(&v[i], i + 1, "busy");
		v[i].vcpus = 4;
	}
	host_init(&s, 1, T0, v, 3);
	s.cpus = 8;
	apply_ok(&f->m, &s, NULL);
	for (uint32_t i = 0; i < 3; i++)
		v[i].cpu_time_ns += 40000000000ull; /* 100 % of 4 vCPUs */
	host_init(&s, 1, T0 + 10000, v, 3);
	s.cpus = 8;
	apply_ok(&f->m, &s, NULL);
	assert_int_equal(aras_model_host(&f->m, 1)->cpu_usage, 100); /* 12 of 8 CPUs */
	/* cpus 0 is treated as 1 rather than dividing by 0 */
	for (uint32_t i = 0; i < 3; i++)
		v[i].cpu_time_ns += 4000000000ull; /* 10 % of 4 vCPUs each: 1.2 CPUs */
	host_init(&s, 1, T0 + 20000, v, 3);
	s.cpus = 0;
	apply_ok(&f->m, &s, NULL);
	assert_int_equal(aras_model_host(&f->m, 1)->cpu_usage, 100);
}

static const struct {
	const char *name;
	int has_free;
	uint64_t total, node_free;
	uint64_t want_free;
	int want_source;
} hmem_rows[] = {
	/* VMs: running 4, blocked 1, paused 2, shut off 8, crashed 3 (GiB cur) */
	{ "estimated: total - running VMs", 0, 16 * GIB, 0, 9 * GIB, ARAS_HOSTMEM_ESTIMATED },
	{ "estimated, VMs exceed total", 0, 6 * GIB, 0, 0, ARAS_HOSTMEM_ESTIMATED },
	{ "estimated, exactly full", 0, 7 * GIB, 0, 0, ARAS_HOSTMEM_ESTIMATED },
	{ "node figure", 1, 16 * GIB, 3 * GIB, 3 * GIB, ARAS_HOSTMEM_NODE },
	{ "node figure 0", 1, 16 * GIB, 0, 0, ARAS_HOSTMEM_NODE },
};

static void host_mem_table(void **state)
{
	static const struct {
		int st;
		uint64_t cur;
	} vms[] = {
		{ ARAS_VM_RUNNING, 4 * GIB }, { ARAS_VM_BLOCKED, 1 * GIB }, { ARAS_VM_PAUSED, 2 * GIB },
		{ ARAS_VM_SHUTOFF, 8 * GIB }, { ARAS_VM_CRASHED, 3 * GIB },
	};

	(void)state;
	for (size_t i = 0; i < N_ELEM(hmem_rows); i++) {
		struct aras_model m;
		struct aras_vm_sample v[N_ELEM(vms)];
		struct aras_host_sample s;
		struct aras_host *h;

		aras_model_init(&m);
		assert_int_equal(aras_model_add_host(&m, 4, "h", "test:///default"), 0);
		h = aras_model_host(&m, 4);
		for (size_t k = 0; k < N_ELEM(vms); k++) {
			vm_init(&v[k], (uint32_t)k, "vm");
			v[k].state = vms[k].st;
			v[k].mem_cur_kib = vms[k].cur;
			v[k].mem_max_kib = 16 * GIB;
		}
		host_init(&s, 4, T0, v, N_ELEM(v));
		s.has_mem_free = hmem_rows[i].has_free;
		s.mem_total_kib = hmem_rows[i].total;
		s.mem_free_kib = hmem_rows[i].node_free;
		apply_ok(&m, &s, NULL);
		CHECK_U64(hmem_rows[i].name, h->mem_total_kib, hmem_rows[i].total);
		CHECK_U64(hmem_rows[i].name, h->mem_free_kib, hmem_rows[i].want_free);
		CHECK_U64(hmem_rows[i].name, h->mem_source, hmem_rows[i].want_source);
		CHECK_U64(hmem_rows[i].name, h->vm_count, N_ELEM(vms));
		aras_model_free(&m);
	}
}

/* ---- lookups on a large model ------------------------------------------ */

static uint64_t xs_state = 88172645463325252ull;

static uint64_t xorshift(void)
{
	xs_state ^= xs_state << 13;
	xs_state ^= xs_state >> 7;
	xs_state ^= xs_state << 17;
	return xs_state;
}

static void random_uuid(uint8_t u[ARAS_UUID_LEN])
{
	uint64_t a = xorshift(), b = xorshift();

	memcpy(u, &a, 8);
	memcpy(u + 8, &b, 8);
}

static int uuid_cmp(const void *a, const void *b)
{
	return memcmp(a, b, ARAS_UUID_LEN);
}

static size_t linear_upper(const uint8_t (*sorted)[ARAS_UUID_LEN], size_t n, const uint8_t *u)
{
	size_t i = 0;

	while (i < n && memcmp(sorted[i], u, ARAS_UUID_LEN) <= 0)
		i++;
	return i;
}

static void check_probe(const struct aras_model *m, const uint8_t (*ref)[ARAS_UUID_LEN], size_t n,
			const uint8_t *u)
{
	size_t want = linear_upper(ref, n, u);
	size_t got = aras_model_vm_upper(m, u);
	int present = want > 0 && memcmp(ref[want - 1], u, ARAS_UUID_LEN) == 0;
	struct aras_vm *vm = aras_model_find_vm(m, u);

	if (got != want)
		fail_msg("vm_upper = %zu, linear scan says %zu", got, want);
	if (present && (!vm || vm != m->vms[want - 1]))
		fail_msg("find_vm missed a VM at position %zu", want - 1);
	if (!present && vm)
		fail_msg("find_vm found a VM that is not there");
	if (vm && memcmp(vm->uuid, u, ARAS_UUID_LEN) != 0)
		fail_msg("find_vm returned a VM with another uuid");
}

static void thousand_vms_lookup(void **state)
{
	enum { N = 1000 };
	struct fx *f = *state;
	struct aras_vm_sample *v1 = calloc(N / 2, sizeof(*v1)), *v2 = calloc(N / 2, sizeof(*v2));
	uint8_t(*ref)[ARAS_UUID_LEN] = calloc(N, sizeof(*ref));
	struct aras_host_sample s;
	struct aras_apply_result res;

	assert_non_null(v1);
	assert_non_null(v2);
	assert_non_null(ref);
	for (size_t i = 0; i < N; i++) {
		struct aras_vm_sample *v = i < N / 2 ? &v1[i] : &v2[i - N / 2];

		vm_init(v, 0, "vm");
		random_uuid(v->uuid);
		if (i == 10)
			memset(v->uuid, 0, ARAS_UUID_LEN); /* smallest possible */
		if (i == 700)
			memset(v->uuid, 0xff, ARAS_UUID_LEN); /* largest possible */
		memcpy(ref[i], v->uuid, ARAS_UUID_LEN);
	}
	qsort(ref, N, ARAS_UUID_LEN, uuid_cmp);
	for (size_t i = 1; i < N; i++)
		assert_true(memcmp(ref[i - 1], ref[i], ARAS_UUID_LEN) < 0); /* test data unique */

	host_init(&s, 1, T0, v1, N / 2);
	apply_ok(&f->m, &s, &res);
	assert_int_equal(res.added, N / 2);
	host_init(&s, 2, T0, v2, N / 2);
	apply_ok(&f->m, &s, &res);
	assert_int_equal(res.added, N / 2);
	assert_int_equal(f->r.added_calls, 2);
	assert_int_equal(f->r.added_total, N);
	assert_int_equal(f->m.nvms, N);
	assert_sorted(&f->m);
	for (size_t i = 0; i < N; i++)
		assert_memory_equal(f->m.vms[i]->uuid, ref[i], ARAS_UUID_LEN);

	/* every VM, its neighbours (uuid +- 1 in the last byte) and random misses */
	for (size_t i = 0; i < N; i++) {
		uint8_t u[ARAS_UUID_LEN];

		check_probe(&f->m, (const uint8_t(*)[ARAS_UUID_LEN])ref, N, ref[i]);
		assert_int_equal(aras_model_vm_upper(&f->m, ref[i]), i + 1);
		memcpy(u, ref[i], ARAS_UUID_LEN);
		u[15]++;
		check_probe(&f->m, (const uint8_t(*)[ARAS_UUID_LEN])ref, N, u);
		memcpy(u, ref[i], ARAS_UUID_LEN);
		u[15]--;
		check_probe(&f->m, (const uint8_t(*)[ARAS_UUID_LEN])ref, N, u);
	}
	for (int k = 0; k < 3000; k++) {
		uint8_t u[ARAS_UUID_LEN];

		random_uuid(u);
		check_probe(&f->m, (const uint8_t(*)[ARAS_UUID_LEN])ref, N, u);
	}
	{
		uint8_t lo[ARAS_UUID_LEN], hi[ARAS_UUID_LEN];

		memset(lo, 0, sizeof(lo));
		memset(hi, 0xff, sizeof(hi));
		assert_int_equal(aras_model_vm_upper(&f->m, lo), 1); /* the all-zero VM */
		assert_int_equal(aras_model_vm_upper(&f->m, hi), N);
		assert_non_null(aras_model_find_vm(&f->m, lo));
		assert_non_null(aras_model_find_vm(&f->m, hi));
	}

	/* Removing every other VM of host 1 keeps the array sorted and searchable. */
	{
		size_t keep = 0;

		for (size_t i = 0; i < N / 2; i++)
			if (i % 2 == 0)
				v1[keep++] = v1[i];
		host_init(&s, 1, T0 + 10000, v1, keep);
		apply_ok(&f->m, &s, &res);
		assert_int_equal(res.removed, 0);
		host_init(&s, 1, T0 + 20000, v1, keep);
		apply_ok(&f->m, &s, &res);
		assert_int_equal(res.removed, N / 2 - keep);
		assert_int_equal(f->r.removed, N / 2 - keep);
		assert_int_equal(f->m.nvms, N - (N / 2 - keep));
		assert_sorted(&f->m);
		for (size_t i = 0; i < N / 2; i++)
			if (i % 2 == 0)
				assert_non_null(aras_model_find_vm(&f->m, v1[i / 2].uuid));
	}
	free(v1);
	free(v2);
	free(ref);
}

/* An empty model answers lookups without touching the (NULL) array. */
static void empty_model_lookup(void **state)
{
	struct aras_model m;
	uint8_t u[ARAS_UUID_LEN];

	(void)state;
	aras_model_init(&m);
	memset(u, 0x11, sizeof(u));
	assert_null(aras_model_find_vm(&m, u));
	assert_int_equal(aras_model_vm_upper(&m, u), 0);
	aras_model_free(&m);
}

/* ---- hooks ------------------------------------------------------------- */

static void vms_added_hook_counts(void **state)
{
	struct fx *f = *state;
	struct aras_vm_sample v[6];
	struct aras_host_sample s;

	for (uint32_t i = 0; i < 6; i++)
		vm_init(&v[i], 10 * i + 5, "vm");
	host_init(&s, 1, T0, v, 3);
	apply_ok(&f->m, &s, NULL);
	assert_int_equal(f->r.added_calls, 1);
	assert_int_equal(f->r.added_last, 3);
	/* Nothing new: no call. */
	host_init(&s, 1, T0 + 10000, v, 3);
	apply_ok(&f->m, &s, NULL);
	assert_int_equal(f->r.added_calls, 1);
	/* Two new among the old ones: one call with 2, after they are merged. */
	host_init(&s, 1, T0 + 20000, v, 5);
	apply_ok(&f->m, &s, NULL);
	assert_int_equal(f->r.added_calls, 2);
	assert_int_equal(f->r.added_last, 2);
	assert_int_equal(f->r.added_nvms_seen, 5);
	/* A failed poll adds nothing. */
	host_init(&s, 1, T0 + 30000, v, 6);
	s.ok = 0;
	apply_ok(&f->m, &s, NULL);
	assert_int_equal(f->r.added_calls, 2);
	assert_int_equal(f->m.nvms, 5);
	/* An empty sample: no call. */
	host_init(&s, 2, T0 + 30000, NULL, 0);
	apply_ok(&f->m, &s, NULL);
	assert_int_equal(f->r.added_calls, 2);
	assert_int_equal(f->r.added_total, 5);
}

/* No hooks set: adding and removing must not call through NULL. */
static void no_hooks(void **state)
{
	struct aras_model m;
	struct aras_vm_sample v[2];
	struct aras_host_sample s;

	(void)state;
	aras_model_init(&m);
	assert_int_equal(aras_model_add_host(&m, 1, "h", "test:///default"), 0);
	vm_init(&v[0], 1, "a");
	vm_init(&v[1], 2, "b");
	host_init(&s, 1, T0, v, 2);
	apply_ok(&m, &s, NULL);
	host_init(&s, 1, T0 + 10000, v, 1);
	apply_ok(&m, &s, NULL);
	assert_int_equal(m.nvms, 2);
	host_init(&s, 1, T0 + 20000, v, 1);
	apply_ok(&m, &s, NULL);
	assert_int_equal(m.nvms, 1);
	aras_model_free(&m);
}

/* A renamed domain gets its new name; other fields follow the sample. */
static void vm_fields_follow_sample(void **state)
{
	struct fx *f = *state;
	struct aras_vm_sample v;
	struct aras_host_sample s;
	struct aras_vm *vm;

	vm_init(&v, 1, "old-name");
	host_init(&s, 1, T0, &v, 1);
	apply_ok(&f->m, &s, NULL);
	vm = must_vm(&f->m, 1);
	snprintf(v.name, sizeof(v.name), "a-much-longer-new-name-for-the-domain");
	v.vcpus = 3;
	v.vcpus_max = 8;
	v.state = ARAS_VM_SHUTOFF;
	v.disk_cap_bytes = UINT64_MAX; /* MiB figure saturates */
	host_init(&s, 1, T0 + 10000, &v, 1);
	apply_ok(&f->m, &s, NULL);
	assert_ptr_equal(must_vm(&f->m, 1), vm);
	assert_string_equal(vm->name, "a-much-longer-new-name-for-the-domain");
	assert_int_equal(vm->vcpus, 3);
	assert_int_equal(vm->vcpus_max, 8);
	assert_int_equal(vm->state, ARAS_VM_SHUTOFF);
	assert_int_equal(vm->disk_cap_mib, UINT32_MAX);
}

/* ---- steal (vcpu.N.delay) ----------------------------------------------- */

/* A VM sample with steal: delay ns summed over vcpus vCPUs. */
static void with_steal(struct aras_vm_sample *v, unsigned vcpus, uint64_t delay_ns)
{
	v->vcpus = vcpus;
	v->has_steal = 1;
	v->steal_vcpus = vcpus;
	v->steal_ns = delay_ns;
}

/*
 * arasVmCpuSteal = delta delay / (interval x vCPUs), over a 10 s interval,
 * clamped to 100; the first sample has no interval (0).
 */
static void steal_percent_table(void **state)
{
	static const struct {
		unsigned vcpus;
		uint64_t d0, d1; /* delay ns at T0 and T0 + 10 s */
		unsigned want;
	} rows[] = {
		{ 1, 0, 0, 0 },
		{ 1, 0, 1000000000ull, 10 },             /* 1 s of 10 s */
		{ 2, 5000000000ull, 7000000000ull, 10 }, /* 2 s of 2 x 10 s */
		{ 4, 0, 20000000000ull, 50 },
		{ 2, 0, 20000000000ull, 100 },
		{ 1, 0, 30000000000ull, 100 }, /* more than wall time: clamped */
		{ 3, 0, 2500000000ull, 8 },    /* 8.33 -> 8 */
	};
	(void)state;
	for (size_t i = 0; i < ARAS_ARRAY_SIZE(rows); i++) {
		struct aras_model m;
		struct aras_vm_sample v;
		struct aras_host_sample s;
		struct aras_vm *vm;

		aras_model_init(&m);
		assert_int_equal(aras_model_add_host(&m, 1, "alpha", "test:///default"), 0);
		vm_init(&v, 1, "v");
		set_base_counters(&v);
		with_steal(&v, rows[i].vcpus, rows[i].d0);
		host_init(&s, 1, T0, &v, 1);
		apply_ok(&m, &s, NULL);
		vm = vm_by_key(&m, 1);
		assert_true(vm->has_steal);
		assert_int_equal(vm->cpu_steal, 0);
		advance(&v);
		v.steal_ns = rows[i].d1;
		host_init(&s, 1, T0 + 10000, &v, 1);
		apply_ok(&m, &s, NULL);
		if (vm->cpu_steal != rows[i].want)
			fail_msg("row %zu: steal %u%%, want %u%%", i, vm->cpu_steal, rows[i].want);
		assert_int_equal(aras_model_host(&m, 1)->steal_mean, rows[i].want);
		assert_int_equal(aras_model_host(&m, 1)->steal_max, rows[i].want);
		aras_model_free(&m);
	}
}

/*
 * Resets: the delay counter going backwards (a new QEMU process after a
 * restart or a migration, a vCPU unplugged) or any other counter reset of
 * the interval gives 0 for that interval, never a negative or huge figure;
 * the next interval counts again.
 */
static void steal_counter_reset(void **state)
{
	struct fx *f = *state;
	struct aras_vm_sample v;
	struct aras_host_sample s;
	struct aras_vm *vm;

	vm_init(&v, 1, "v");
	set_base_counters(&v);
	with_steal(&v, 2, 90000000000ull);
	host_init(&s, 1, T0, &v, 1);
	apply_ok(&f->m, &s, NULL);
	vm = must_vm(&f->m, 1);
	/* delay went backwards */
	advance(&v);
	v.steal_ns = 1000000000ull;
	host_init(&s, 1, T0 + 10000, &v, 1);
	apply_ok(&f->m, &s, NULL);
	assert_int_equal(vm->cpu_steal, 0);
	assert_true(vm->has_steal);
	/* counts again from the new value: 4 s of 2 x 10 s */
	advance(&v);
	v.steal_ns += 4000000000ull;
	host_init(&s, 1, T0 + 20000, &v, 1);
	apply_ok(&f->m, &s, NULL);
	assert_int_equal(vm->cpu_steal, 20);
	/* the CPU time went backwards (new process), delay went up: 0 too */
	v.cpu_time_ns = 1;
	v.steal_ns += 8000000000ull;
	host_init(&s, 1, T0 + 30000, &v, 1);
	apply_ok(&f->m, &s, NULL);
	assert_int_equal(vm->cpu_steal, 0);
	/* moved to host 2: a new process, no interval */
	advance(&v);
	v.steal_ns += 8000000000ull;
	host_init(&s, 2, T0 + 31000, &v, 1);
	apply_ok(&f->m, &s, NULL);
	assert_int_equal(vm->host, 2);
	assert_int_equal(vm->cpu_steal, 0);
}

/*
 * Without vcpu.N.delay (old libvirt, the test driver) nothing is
 * invented: has_steal 0, the host has no steal figures; a VM that stops
 * reporting it loses its figure; a VM that starts reporting it gets a
 * figure from its second report only.
 */
static void steal_unavailable(void **state)
{
	struct fx *f = *state;
	struct aras_vm_sample v;
	struct aras_host_sample s;
	struct aras_vm *vm;
	struct aras_host *h = aras_model_host(&f->m, 1);

	vm_init(&v, 1, "v");
	set_base_counters(&v);
	host_init(&s, 1, T0, &v, 1);
	apply_ok(&f->m, &s, NULL);
	advance(&v);
	host_init(&s, 1, T0 + 10000, &v, 1);
	apply_ok(&f->m, &s, NULL);
	vm = must_vm(&f->m, 1);
	assert_false(vm->has_steal);
	assert_int_equal(vm->cpu_steal, 0);
	assert_false(h->steal_valid);
	assert_int_equal(h->steal_mean, 0);
	assert_int_equal(h->steal_max, 0);
	/* starts reporting: present, but no interval yet */
	advance(&v);
	with_steal(&v, 2, 50000000000ull);
	host_init(&s, 1, T0 + 20000, &v, 1);
	apply_ok(&f->m, &s, NULL);
	assert_true(vm->has_steal);
	assert_int_equal(vm->cpu_steal, 0);
	assert_true(h->steal_valid);
	advance(&v);
	v.steal_ns += 6000000000ull;
	host_init(&s, 1, T0 + 30000, &v, 1);
	apply_ok(&f->m, &s, NULL);
	assert_int_equal(vm->cpu_steal, 30);
	/* stops reporting */
	advance(&v);
	v.has_steal = 0;
	host_init(&s, 1, T0 + 40000, &v, 1);
	apply_ok(&f->m, &s, NULL);
	assert_false(vm->has_steal);
	assert_int_equal(vm->cpu_steal, 0);
	assert_false(h->steal_valid);
	/* a failed poll: no figures */
	advance(&v);
	with_steal(&v, 2, v.steal_ns);
	host_init(&s, 1, T0 + 50000, &v, 1);
	apply_ok(&f->m, &s, NULL);
	assert_true(h->steal_valid);
	memset(&s, 0, sizeof(s));
	s.host_index = 1;
	snprintf(s.err, sizeof(s.err), "gone");
	apply_ok(&f->m, &s, NULL);
	assert_false(h->steal_valid);
	assert_false(vm->has_steal);
}

/*
 * Host mean and max over its running VMs that report steal: a paused VM,
 * a VM without steal and a VM of the other host do not count.
 */
static void steal_host_mean_max(void **state)
{
	struct fx *f = *state;
	struct aras_vm_sample v[5], o;
	struct aras_host_sample s;
	/* steal per VM over 10 s with 1 vCPU: 10, 25, 40 %; paused 90 %; none */
	static const uint64_t d[5] = { 1000000000ull, 2500000000ull, 4000000000ull, 9000000000ull, 0 };
	struct aras_host *h = aras_model_host(&f->m, 1);

	for (unsigned i = 0; i < 5; i++) {
		vm_init(&v[i], i + 1, "v");
		set_base_counters(&v[i]);
		if (i < 4)
			with_steal(&v[i], 1, 0);
	}
	v[3].state = ARAS_VM_PAUSED;
	vm_init(&o, 9, "other");
	with_steal(&o, 1, 0);
	host_init(&s, 1, T0, v, 5);
	apply_ok(&f->m, &s, NULL);
	host_init(&s, 2, T0, &o, 1);
	apply_ok(&f->m, &s, NULL);
	for (unsigned i = 0; i < 5; i++) {
		advance(&v[i]);
		v[i].steal_ns += d[i];
	}
	o.steal_ns = 9000000000ull;
	host_init(&s, 1, T0 + 10000, v, 5);
	apply_ok(&f->m, &s, NULL);
	host_init(&s, 2, T0 + 10000, &o, 1);
	apply_ok(&f->m, &s, NULL);
	assert_int_equal(must_vm(&f->m, 3)->cpu_steal, 40);
	assert_int_equal(must_vm(&f->m, 4)->cpu_steal, 0); /* paused: 0 */
	assert_true(h->steal_valid);
	assert_int_equal(h->steal_mean, 25); /* (10 + 25 + 40) / 3 */
	assert_int_equal(h->steal_max, 40);
	assert_true(h->steal_max >= h->steal_mean);
	assert_int_equal(aras_model_host(&f->m, 2)->steal_mean, 90);
	assert_int_equal(aras_model_host(&f->m, 2)->steal_max, 90);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(add_hosts_sorted_and_unique),
		cmocka_unit_test(add_host_copies_strings),
		FX_TEST(apply_unknown_host),
		cmocka_unit_test(host_mib_state_table),
		cmocka_unit_test(summarize_counts),
		FX_TEST(first_sample_adds_sorted),
		FX_TEST(second_host_merges_sorted),
		FX_TEST(second_sample_rates_table),
		FX_TEST(rates_use_actual_interval),
		FX_TEST(io_usage_cap_zero),
		FX_TEST(counter_reset_table),
		FX_TEST(counter_reset_all),
		FX_TEST(memory_usage_table),
		FX_TEST(vm_vanishes),
		FX_TEST(vm_undefined),
		cmocka_unit_test(model_free_calls_hook),
		FX_TEST(vm_migrates),
		FX_TEST(incoming_copy_marks_inbound),
		FX_TEST(vm_moved_by_arasd),
		FX_TEST(target_listed_before_result),
		FX_TEST(totals_survive_new_processes),
		FX_TEST(totals_skip_shutoff_samples),
		FX_TEST(incoming_paused_copy_ignored),
		FX_TEST(duplicate_uuid_new_vm),
		FX_TEST(regress_model_duplicate_uuid_existing_vm),
		FX_TEST(failed_sample),
		FX_TEST(regress_model_failed_sample_zeroes_io_usage),
		FX_TEST(failed_first_poll),
		cmocka_unit_test(host_cpu_table),
		FX_TEST(host_cpu_from_vms_clamps),
		cmocka_unit_test(host_mem_table),
		FX_TEST(thousand_vms_lookup),
		cmocka_unit_test(empty_model_lookup),
		FX_TEST(vms_added_hook_counts),
		cmocka_unit_test(no_hooks),
		FX_TEST(vm_fields_follow_sample),
		cmocka_unit_test(steal_percent_table),
		FX_TEST(steal_counter_reset),
		FX_TEST(steal_unavailable),
		FX_TEST(steal_host_mean_max),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
