/*
 * test_device.c - a VM's devices (src/core/device.c): lookups by target,
 * rates over an interval, totals that never go backwards across a new
 * QEMU process or a counter reset, devices that appear and disappear, and
 * the same through aras_model_apply (a VM that restarts and migrates).
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
#include "core/device.h"
#include "core/model.h"

/* A poll's list: disks vda, vdb; NIC vnet0; vCPUs 0 and 1 (those asked for). */
struct poll {
	struct aras_disk disks[3];
	struct aras_nic nics[2];
	struct aras_vcpu vcpus[2];
	struct aras_vm_devices d;
};

static void poll_init(struct poll *p, const char *const *disks, size_t nd, int stats)
{
	memset(p, 0, sizeof(*p));
	for (size_t i = 0; i < nd; i++) {
		snprintf(p->disks[i].target, sizeof(p->disks[i].target), "%s", disks[i]);
		p->disks[i].has_stats = stats;
	}
	snprintf(p->nics[0].target, sizeof(p->nics[0].target), "vnet0");
	p->nics[0].has_stats = stats;
	for (unsigned i = 0; i < 2; i++) {
		p->vcpus[i].number = i;
		p->vcpus[i].has_stats = stats;
		p->vcpus[i].has_delay = stats;
	}
	p->d.disks = p->disks;
	p->d.ndisks = nd;
	p->d.nics = p->nics;
	p->d.nnics = 1;
	p->d.vcpus = p->vcpus;
	p->d.nvcpus = 2;
	p->d.cfg.known = 1;
}

static const char *const two[] = { "vda", "vdb" };

static void lookups(void **state)
{
	struct poll p;

	(void)state;
	poll_init(&p, two, 2, 0);
	assert_ptr_equal(aras_devices_disk(&p.d, "vdb"), &p.disks[1]);
	assert_null(aras_devices_disk(&p.d, "vdc"));
	assert_null(aras_devices_disk(&p.d, ""));
	assert_ptr_equal(aras_devices_nic(&p.d, "vnet0"), &p.nics[0]);
	assert_null(aras_devices_nic(&p.d, "vnet1"));
	aras_devices_free(NULL);
}

/* Rates per device over 10 s; totals add what each counter did. */
static void rates_and_totals(void **state)
{
	struct aras_vm_devices cur = { 0 };
	struct poll p;

	(void)state;
	poll_init(&p, two, 2, 1);
	p.disks[0].raw.rd_bytes = 1000;
	p.disks[0].raw.wr_reqs = 50;
	p.disks[0].capacity = 1000;
	p.disks[0].allocation = 250;
	p.nics[0].raw.rx_bytes = 5000;
	p.nics[0].raw.tx_pkts = 10;
	p.vcpus[0].time_ns = 1000000000ull;
	p.vcpus[0].delay_ns = 0;
	assert_int_equal(aras_devices_fold(&cur, &p.d, 0, 0, 100), 0);
	assert_int_equal(cur.ndisks, 2);
	assert_int_equal(cur.disks[0].rates_valid, 0);
	CHECK_U64("first total", cur.disks[0].total.rd_bytes, 1000);
	assert_int_equal(cur.disks[0].usage, 25);
	CHECK_U64("changed", cur.changed_ms, 100);

	p.disks[0].raw.rd_bytes = 1000 + 20480;
	p.disks[0].raw.wr_reqs = 50 + 300;
	p.disks[1].raw.wr_bytes = 10240;
	p.nics[0].raw.rx_bytes = 5000 + 100000;
	p.nics[0].raw.tx_pkts = 10 + 70;
	p.vcpus[0].time_ns += 4000000000ull;
	p.vcpus[0].delay_ns = 500000000ull; /* 0.5 s of 10 s: 5 % */
	assert_int_equal(aras_devices_fold(&cur, &p.d, 10000, 0, 200), 0);
	CHECK_U64("same keys: changed kept", cur.changed_ms, 100);
	assert_int_equal(cur.disks[0].rates_valid, 1);
	assert_int_equal(cur.disks[0].rd_rate, 2048);
	assert_int_equal(cur.disks[0].wr_iops, 30);
	assert_int_equal(cur.disks[1].wr_rate, 1024);
	assert_int_equal(cur.disks[1].rd_rate, 0);
	CHECK_U64("total", cur.disks[0].total.rd_bytes, 21480);
	assert_int_equal(cur.nics[0].rx_rate, 10000);
	assert_int_equal(cur.nics[0].tx_pps, 7);
	CHECK_U64("nic total", cur.nics[0].total.rx_bytes, 105000);
	assert_int_equal(cur.vcpus[0].steal, 5);
	CHECK_U64("vcpu total", cur.vcpus[0].total_time_ns, 5000000000ull);
	aras_devices_free(&cur);
}

/*
 * The adapter's usual poll sends figures only (no identity): the model's
 * list and identity stay, the figures fold as the full form's would, in
 * either order of the keys; no lists at all is "no figures this poll";
 * figures only for a VM with no list yet give it the figures' keys.
 */
static void figures_only(void **state)
{
	struct aras_vm_devices cur = { 0 }, full = { 0 };
	struct poll p, f;
	struct aras_vm_devices none = { .figures_only = 1 };

	(void)state;
	poll_init(&p, two, 2, 1);
	snprintf(p.disks[1].source, sizeof(p.disks[1].source), "/var/lib/libvirt/images/b.qcow2");
	p.disks[1].raw.wr_bytes = 4096;
	assert_int_equal(aras_devices_fold(&cur, &p.d, 0, 0, 100), 0);
	assert_int_equal(aras_devices_fold(&full, &p.d, 0, 0, 100), 0);

	/* the keys reversed, no identity: vdb's figures reach vdb */
	static const char *const rev[] = { "vdb", "vda" };
	poll_init(&f, rev, 2, 1);
	f.d.figures_only = 1;
	f.d.cfg.known = 0;
	f.disks[0].raw.wr_bytes = 4096 + 20480;
	p.disks[1].raw.wr_bytes = 4096 + 20480;
	assert_int_equal(aras_devices_fold(&cur, &f.d, 10000, 0, 200), 0);
	assert_int_equal(aras_devices_fold(&full, &p.d, 10000, 0, 200), 0);
	assert_int_equal(cur.ndisks, 2);
	assert_string_equal(cur.disks[1].target, "vdb");
	assert_string_equal(cur.disks[1].source, "/var/lib/libvirt/images/b.qcow2");
	assert_int_equal(cur.cfg.known, 1);
	assert_int_equal(cur.disks[1].wr_rate, 2048);
	assert_int_equal(cur.disks[1].wr_rate, full.disks[1].wr_rate);
	CHECK_U64("vdb total as the full form's", cur.disks[1].total.wr_bytes, full.disks[1].total.wr_bytes);
	CHECK_U64("changed kept", cur.changed_ms, 100);

	/* the same order: in place, the same figures as the full form */
	poll_init(&f, two, 2, 1);
	f.d.figures_only = 1;
	f.disks[1].raw.wr_bytes = 4096 + 40960;
	f.nics[0].raw.rx_bytes = 7000;
	p.disks[1].raw.wr_bytes = 4096 + 40960;
	p.nics[0].raw.rx_bytes = 7000;
	assert_int_equal(aras_devices_fold(&cur, &f.d, 10000, 0, 300), 0);
	assert_int_equal(aras_devices_fold(&full, &p.d, 10000, 0, 300), 0);
	assert_int_equal(cur.disks[1].wr_rate, full.disks[1].wr_rate);
	CHECK_U64("nic total", cur.nics[0].total.rx_bytes, full.nics[0].total.rx_bytes);
	assert_string_equal(cur.disks[1].source, "/var/lib/libvirt/images/b.qcow2");

	/* no lists: no figures, totals kept, rates 0 */
	assert_int_equal(aras_devices_fold(&cur, &none, 10000, 0, 400), 0);
	assert_int_equal(cur.ndisks, 2);
	assert_int_equal(cur.disks[1].has_stats, 0);
	assert_int_equal(cur.disks[1].rates_valid, 0);
	assert_int_equal(cur.disks[1].wr_rate, 0);
	CHECK_U64("total kept", cur.disks[1].total.wr_bytes, full.disks[1].total.wr_bytes);
	/* figures again after the gap: as the full form counts them (the device's figures "again") */
	{
		struct poll q;

		poll_init(&q, two, 2, 0);
		assert_int_equal(aras_devices_fold(&full, &q.d, 10000, 0, 400), 0);
	}
	f.disks[1].raw.wr_bytes = 4096 + 40960 + 1000;
	p.disks[1].raw.wr_bytes = 4096 + 40960 + 1000;
	assert_int_equal(aras_devices_fold(&cur, &f.d, 10000, 0, 500), 0);
	assert_int_equal(aras_devices_fold(&full, &p.d, 10000, 0, 500), 0);
	CHECK_U64("total after the gap", cur.disks[1].total.wr_bytes, full.disks[1].total.wr_bytes);
	assert_int_equal(cur.disks[1].rates_valid, full.disks[1].rates_valid);
	CHECK_U64("changed kept", cur.changed_ms, 100);

	/* a VM with no list yet: the figures' keys become its list */
	aras_devices_free(&full);
	assert_int_equal(aras_devices_fold(&full, &f.d, 0, 0, 600), 0);
	assert_int_equal(full.ndisks, 2);
	assert_int_equal(full.figures_only, 0);
	assert_string_equal(full.disks[0].target, "vda");
	CHECK_U64("changed", full.changed_ms, 600);
	aras_devices_free(&cur);
	aras_devices_free(&full);
}

/* A new QEMU process: counters from 0 again, totals go on, no rate for that interval. */
static void new_process_totals(void **state)
{
	struct aras_vm_devices cur = { 0 };
	struct poll p;

	(void)state;
	poll_init(&p, two, 2, 1);
	p.disks[0].raw.wr_bytes = 7000;
	p.nics[0].raw.tx_bytes = 9000;
	p.vcpus[1].time_ns = 3000;
	assert_int_equal(aras_devices_fold(&cur, &p.d, 0, 0, 1), 0);
	p.disks[0].raw.wr_bytes = 400; /* restarted */
	p.nics[0].raw.tx_bytes = 100;
	p.vcpus[1].time_ns = 50;
	assert_int_equal(aras_devices_fold(&cur, &p.d, 0, 1, 2), 0);
	CHECK_U64("disk", cur.disks[0].total.wr_bytes, 7400);
	CHECK_U64("nic", cur.nics[0].total.tx_bytes, 9100);
	CHECK_U64("vcpu", cur.vcpus[1].total_time_ns, 3050);
	/* a counter that goes backwards without new_process is a reset too */
	p.disks[0].raw.wr_bytes = 10;
	p.nics[0].raw.tx_bytes = 150;
	assert_int_equal(aras_devices_fold(&cur, &p.d, 10000, 0, 3), 0);
	CHECK_U64("disk after reset", cur.disks[0].total.wr_bytes, 7410);
	assert_int_equal(cur.disks[0].rates_valid, 0);
	assert_int_equal(cur.disks[0].wr_rate, 0);
	CHECK_U64("nic goes on", cur.nics[0].total.tx_bytes, 9150);
	assert_int_equal(cur.nics[0].tx_rate, 5);
	aras_devices_free(&cur);
}

/* A disk added keeps the others' totals; one removed goes; the XML not read keeps cfg. */
static void appear_disappear(void **state)
{
	static const char *const three[] = { "vda", "vdb", "vdc" };
	static const char *const one[] = { "vdb" };
	struct aras_vm_devices cur = { 0 };
	struct poll p;

	(void)state;
	poll_init(&p, two, 2, 1);
	p.disks[1].raw.rd_bytes = 100;
	snprintf(p.d.cfg.os_type, sizeof(p.d.cfg.os_type), "hvm");
	assert_int_equal(aras_devices_fold(&cur, &p.d, 0, 0, 10), 0);
	poll_init(&p, three, 3, 1);
	p.d.cfg.known = 0;
	p.disks[1].raw.rd_bytes = 300;
	p.disks[2].raw.rd_bytes = 50;
	assert_int_equal(aras_devices_fold(&cur, &p.d, 10000, 0, 20), 0);
	assert_int_equal(cur.ndisks, 3);
	CHECK_U64("device list changed", cur.changed_ms, 20);
	assert_string_equal(cur.cfg.os_type, "hvm");
	CHECK_U64("vdb goes on", cur.disks[1].total.rd_bytes, 300);
	assert_int_equal(cur.disks[1].rd_rate, 20);
	CHECK_U64("vdc new", cur.disks[2].total.rd_bytes, 50);
	assert_int_equal(cur.disks[2].rates_valid, 0);
	poll_init(&p, one, 1, 1);
	p.disks[0].raw.rd_bytes = 400;
	assert_int_equal(aras_devices_fold(&cur, &p.d, 10000, 0, 30), 0);
	assert_int_equal(cur.ndisks, 1);
	assert_string_equal(cur.disks[0].target, "vdb");
	CHECK_U64("vdb total", cur.disks[0].total.rd_bytes, 400);
	CHECK_U64("changed", cur.changed_ms, 30);
	/* a poll without figures (the VM shut off) keeps the totals */
	poll_init(&p, one, 1, 0);
	assert_int_equal(aras_devices_fold(&cur, &p.d, 10000, 0, 40), 0);
	CHECK_U64("kept", cur.disks[0].total.rd_bytes, 400);
	assert_int_equal(cur.disks[0].has_stats, 0);
	aras_devices_free(&cur);
}

static void fullest(void **state)
{
	struct poll p;

	(void)state;
	poll_init(&p, two, 2, 1);
	assert_null(aras_devices_fullest(&p.d)); /* no capacity known */
	p.disks[0].capacity = p.disks[1].capacity = 100;
	p.disks[0].usage = 40;
	p.disks[1].usage = 90;
	assert_ptr_equal(aras_devices_fullest(&p.d), &p.disks[1]);
	p.disks[1].has_stats = 0;
	assert_ptr_equal(aras_devices_fullest(&p.d), &p.disks[0]);
}

/* Through the model: a VM's disk across a restart and a live migration. */
static void model_restart_migration(void **state)
{
	struct aras_model m;
	struct aras_vm_sample v;
	struct aras_host_sample s;
	struct aras_apply_result res;
	struct aras_disk disk;
	struct aras_vm *vm;

	(void)state;
	aras_model_init(&m);
	assert_int_equal(aras_model_add_host(&m, 1, "alpha", "test:///a"), 0);
	assert_int_equal(aras_model_add_host(&m, 2, "beta", "test:///b"), 0);
	memset(&v, 0, sizeof(v));
	test_uuid(v.uuid, 1, 3, 0);
	snprintf(v.name, sizeof(v.name), "web1");
	v.state = ARAS_VM_RUNNING;
	v.vcpus = 1;
	memset(&disk, 0, sizeof(disk));
	snprintf(disk.target, sizeof(disk.target), "vda");
	disk.has_stats = 1;
	v.dev.disks = &disk;
	v.dev.ndisks = 1;
	memset(&s, 0, sizeof(s));
	s.ok = 1;
	s.host_index = 1;
	s.vms = &v;
	s.nvms = 1;
	disk.raw.wr_bytes = 1000;
	s.t_ms = 1000;
	assert_int_equal(aras_model_apply(&m, &s, 1000, &res), 0);
	disk.raw.wr_bytes = 11240;
	s.t_ms = 11000;
	assert_int_equal(aras_model_apply(&m, &s, 1000, &res), 0);
	vm = aras_model_find_vm(&m, v.uuid);
	assert_non_null(vm);
	assert_int_equal(vm->dev.ndisks, 1);
	assert_int_equal(vm->dev.disks[0].wr_rate, 1024);
	/* shut off, started again: a new process */
	v.state = ARAS_VM_SHUTOFF;
	disk.has_stats = 0;
	s.t_ms = 21000;
	assert_int_equal(aras_model_apply(&m, &s, 1000, &res), 0);
	CHECK_U64("off keeps", vm->dev.disks[0].total.wr_bytes, 11240);
	v.state = ARAS_VM_RUNNING;
	disk.has_stats = 1;
	disk.raw.wr_bytes = 20000; /* more than before: only new_process tells */
	s.t_ms = 31000;
	assert_int_equal(aras_model_apply(&m, &s, 1000, &res), 0);
	CHECK_U64("after restart", vm->dev.disks[0].total.wr_bytes, 31240);
	/* migrated to beta: its counters start afresh */
	disk.raw.wr_bytes = 30000;
	s.host_index = 2;
	s.t_ms = 41000;
	s.start_ms = 40500;
	assert_int_equal(aras_model_apply(&m, &s, 1000, &res), 0);
	assert_int_equal(vm->host, 2);
	CHECK_U64("after migration", vm->dev.disks[0].total.wr_bytes, 61240);
	assert_int_equal(vm->dev.disks[0].rates_valid, 0);
	aras_model_free(&m); /* frees the VM's device arrays (ASan: no leak) */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(lookups),
		cmocka_unit_test(rates_and_totals),
		cmocka_unit_test(figures_only),
		cmocka_unit_test(new_process_totals),
		cmocka_unit_test(appear_disappear),
		cmocka_unit_test(fullest),
		cmocka_unit_test(model_restart_migration),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
