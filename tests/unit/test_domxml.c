/*
 * test_domxml.c - the domain XML parser (src/virt/domxml.c): every
 * identity field from a libvirt domain XML, defaults, devices without a
 * target or named twice, bounds, and input that is not a domain at all;
 * and a template's XML made a clone's (src/virt/clonexml.c).
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

#include "virt/clonexml.h"
#include "virt/domxml.h"

static const char full[] =
	"<domain type='kvm'>\n"
	"  <name>web1</name>\n"
	"  <memtune><min_guarantee unit='MiB'>512</min_guarantee></memtune>\n"
	"  <vcpu placement='static' cpuset='0-3' current='3'>4</vcpu>\n"
	"  <cputune><vcpupin vcpu='1' cpuset='2'/><vcpupin vcpu='9' cpuset='5'/></cputune>\n"
	"  <os><type arch='x86_64' machine='pc'>hvm</type></os>\n"
	"  <devices>\n"
	"    <disk type='file' device='disk'><driver name='qemu' type='qcow2'/>\n"
	"      <source file='/var/lib/libvirt/images/web1.qcow2'/><target dev='vda' bus='virtio'/></disk>\n"
	"    <disk type='block' device='disk'><source dev='/dev/vg0/web1-data'/>\n"
	"      <target dev='sdb' bus='scsi'/></disk>\n"
	"    <disk type='file' device='cdrom'><source file='/srv/iso/debian.iso'/>\n"
	"      <target dev='hdc' bus='ide'/><readonly/></disk>\n"
	"    <disk type='volume' device='disk'><source pool='default' volume='web1-logs'/>\n"
	"      <target dev='vdc' bus='virtio'/></disk>\n"
	"    <disk type='network' device='disk'><source protocol='rbd' name='pool/img'>\n"
	"      <host name='ceph1' port='6789'/></source><target dev='vdd' bus='virtio'/></disk>\n"
	"    <disk type='file' device='disk'><source file='/no/target.img'/></disk>\n"
	"    <disk type='file' device='disk'><source file='/twice.img'/><target dev='vda' "
	"bus='sata'/></disk>\n"
	"    <interface type='network'><mac address='52:54:00:12:34:56'/><source network='default'/>\n"
	"      <target dev='vnet0'/><model type='virtio'/></interface>\n"
	"    <interface type='bridge'><mac address='52:54:00:AB:CD:EF'/><source bridge='br-lan'/>\n"
	"      <target dev='vnet1'/><model type='e1000'/></interface>\n"
	"    <interface type='direct'><mac address='not-a-mac'/><source dev='eth0' mode='vepa'/>\n"
	"      <target dev='macvtap0'/></interface>\n"
	"    <interface type='network'><mac address='52:54:00:00:00:09'/><source "
	"network='default'/></interface>\n"
	"  </devices>\n"
	"</domain>\n";

static void parse_full(void **state)
{
	struct aras_vm_devices d;

	(void)state;
	assert_int_equal(aras_domxml_parse(full, strlen(full), &d), 0);
	assert_int_equal(d.cfg.known, 1);
	assert_string_equal(d.cfg.os_type, "hvm");
	assert_string_equal(d.cfg.cpuset, "0-3");
	CHECK_U64("min_guarantee", d.cfg.mem_min_kib, 512 * 1024);
	assert_int_equal(d.cfg.autostart, -1);
	assert_int_equal(d.cfg.persistent, -1);

	/* a disk without a target and a second vda are left out */
	assert_int_equal(d.ndisks, 5);
	assert_string_equal(d.disks[0].target, "vda");
	assert_string_equal(d.disks[0].bus, "virtio");
	assert_string_equal(d.disks[0].source, "/var/lib/libvirt/images/web1.qcow2");
	assert_int_equal(d.disks[0].source_type, ARAS_DISK_SRC_FILE);
	assert_int_equal(d.disks[0].media, ARAS_DISK_MEDIA_DISK);
	assert_int_equal(d.disks[0].readonly, 0);
	assert_string_equal(d.disks[1].target, "sdb");
	assert_string_equal(d.disks[1].bus, "scsi");
	assert_string_equal(d.disks[1].source, "/dev/vg0/web1-data");
	assert_int_equal(d.disks[1].source_type, ARAS_DISK_SRC_BLOCK);
	assert_string_equal(d.disks[2].target, "hdc");
	assert_int_equal(d.disks[2].media, ARAS_DISK_MEDIA_CDROM);
	assert_int_equal(d.disks[2].readonly, 1);
	assert_string_equal(d.disks[3].source, "default/web1-logs");
	assert_int_equal(d.disks[3].source_type, ARAS_DISK_SRC_VOLUME);
	assert_string_equal(d.disks[4].source, "rbd://ceph1/pool/img");
	assert_int_equal(d.disks[4].source_type, ARAS_DISK_SRC_NETWORK);
	for (size_t i = 0; i < d.ndisks; i++)
		assert_int_equal(d.disks[i].has_stats, 0);

	/* an interface without a target (a VM that is off) is left out */
	assert_int_equal(d.nnics, 3);
	assert_string_equal(d.nics[0].target, "vnet0");
	assert_string_equal(d.nics[0].type, "network");
	assert_string_equal(d.nics[0].network, "default");
	assert_string_equal(d.nics[0].model, "virtio");
	assert_int_equal(d.nics[0].has_mac, 1);
	assert_memory_equal(d.nics[0].mac, "\x52\x54\x00\x12\x34\x56", 6);
	assert_string_equal(d.nics[1].network, "br-lan");
	assert_string_equal(d.nics[1].type, "bridge");
	assert_string_equal(d.nics[1].model, "e1000");
	assert_memory_equal(d.nics[1].mac, "\x52\x54\x00\xab\xcd\xef", 6);
	assert_string_equal(d.nics[2].network, "eth0");
	assert_int_equal(d.nics[2].has_mac, 0);
	assert_string_equal(d.nics[2].model, "");

	/* current='3' of 4; vcpupin 1 -> "2", vcpupin 9 ignored (no such vCPU) */
	assert_int_equal(d.nvcpus, 3);
	assert_int_equal(d.cfg.vcpus_max, 4);
	for (unsigned i = 0; i < 3; i++)
		assert_int_equal(d.vcpus[i].number, i);
	assert_string_equal(d.vcpus[0].cpuset, "0-3");
	assert_string_equal(d.vcpus[1].cpuset, "2");
	assert_string_equal(d.vcpus[2].cpuset, "0-3");
	aras_devices_free(&d);
	assert_null(d.disks);
	assert_int_equal(d.ndisks, 0);
}

static void parse_minimal(void **state)
{
	static const char xml[] = "<domain><name>x</name><vcpu>2</vcpu></domain>";
	struct aras_vm_devices d;

	(void)state;
	assert_int_equal(aras_domxml_parse(xml, strlen(xml), &d), 0);
	assert_int_equal(d.cfg.known, 1);
	assert_string_equal(d.cfg.os_type, "");
	assert_string_equal(d.cfg.cpuset, "");
	CHECK_U64("no min_guarantee", d.cfg.mem_min_kib, 0);
	assert_int_equal(d.ndisks, 0);
	assert_int_equal(d.nnics, 0);
	assert_int_equal(d.nvcpus, 2);
	assert_string_equal(d.vcpus[1].cpuset, "");
	aras_devices_free(&d);
}

/* Each is rejected with an empty result. */
static void parse_rejects(void **state)
{
	static const char *const bad[] = {
		"",
		"not xml at all",
		"<domain>",                                /* not well formed */
		"<network><name>default</name></network>", /* another root */
		"<domain><devices><disk></devices></domain>",
	};
	struct aras_vm_devices d;

	(void)state;
	for (size_t i = 0; i < N_ELEM(bad); i++) {
		assert_int_equal(aras_domxml_parse(bad[i], strlen(bad[i]), &d), -ARAS_E_INVAL);
		assert_int_equal(d.cfg.known, 0);
		assert_null(d.disks);
		assert_null(d.nics);
		assert_null(d.vcpus);
	}
	assert_int_equal(aras_domxml_parse(NULL, 0, &d), -ARAS_E_INVAL);
}

/* Entities are not expanded, an external DTD is not fetched, long text is cut at its field. */
static void parse_hostile(void **state)
{
	char xml[4096], longpath[2000];
	static const char ent[] =
		"<?xml version='1.0'?><!DOCTYPE domain [<!ENTITY x SYSTEM 'file:///etc/passwd'>"
		"<!ENTITY a 'aaaaaaaaaa'><!ENTITY b '&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;'>]>"
		"<domain><devices><disk><source file='&b;'/><target dev='vda'/></disk>"
		"<disk><source file='&x;'/><target dev='vdb'/></disk></devices></domain>";
	struct aras_vm_devices d;

	(void)state;
	memset(longpath, 'p', sizeof(longpath) - 1);
	longpath[sizeof(longpath) - 1] = '\0';
	snprintf(xml, sizeof(xml),
		 "<domain><vcpu>99999999</vcpu><devices><disk><source file='/%s'/><target "
		 "dev='vdaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' "
		 "bus='virtio'/></disk></devices></domain>",
		 longpath);
	assert_int_equal(aras_domxml_parse(xml, strlen(xml), &d), 0);
	assert_int_equal(d.ndisks, 1);
	assert_int_equal(strlen(d.disks[0].source), ARAS_DEV_PATH_MAX - 1);
	assert_int_equal(strlen(d.disks[0].target), ARAS_DEV_TARGET_MAX - 1);
	assert_int_equal(d.nvcpus, ARAS_DOMXML_MAX_VCPU);
	aras_devices_free(&d);

	/* whatever libxml2 makes of the entities, nothing outside is read */
	if (aras_domxml_parse(ent, strlen(ent), &d) == 0) {
		for (size_t i = 0; i < d.ndisks; i++)
			assert_null(strstr(d.disks[i].source, "root:"));
		aras_devices_free(&d);
	}
}

/* A length shorter than the string: only that much is parsed. */
static void parse_length(void **state)
{
	static const char xml[] = "<domain><vcpu>1</vcpu></domain>trailing";
	struct aras_vm_devices d;

	(void)state;
	assert_int_equal(aras_domxml_parse(xml, strlen(xml) - strlen("trailing"), &d), 0);
	assert_int_equal(d.nvcpus, 1);
	aras_devices_free(&d);
	assert_int_equal(aras_domxml_parse(xml, 10, &d), -ARAS_E_INVAL);
}

/* ---- clonexml.c ---- */

static const char tpl_xml[] =
	"<domain type='kvm'><name>tpl</name><uuid>4dea22b3-1d52-d8f3-2516-782e98ab3fa0</uuid>"
	"<genid>43dc0cf8-809b-4adb-9bea-a9abb5f3d90d</genid>"
	"<sysinfo type='smbios'><system><entry name='manufacturer'>ACME</entry>"
	"<entry name='uuid'>4dea22b3-1d52-d8f3-2516-782e98ab3fa0</entry></system></sysinfo>"
	"<memory unit='KiB'>262144</memory><vcpu>2</vcpu>"
	"<os><type>hvm</type><loader type='pflash'>/usr/share/OVMF/OVMF_CODE.fd</loader>"
	"<nvram>/var/lib/libvirt/qemu/nvram/tpl_VARS.fd</nvram></os>"
	"<devices>"
	"<disk type='file' device='disk'><driver name='qemu' type='qcow2'/>"
	"<source file='/pool/tpl.qcow2'/><target dev='vda' bus='virtio'/></disk>"
	"<disk type='file' device='cdrom'><source file='/iso/boot.iso'/><target dev='sda'/><readonly/></disk>"
	"<disk type='volume' device='disk'><driver name='qemu' type='raw'/>"
	"<source pool='data' volume='tpl-data.img'/><target dev='vdb' bus='virtio'/></disk>"
	"<disk type='file' device='disk'><source file='/shared/db.img'/><target "
	"dev='vdc'/><shareable/></disk>"
	"<disk type='block' device='disk'><source dev='/dev/vg/tpl-swap'/><target dev='vdd'/></disk>"
	"<interface type='network'><mac address='52:54:00:aa:bb:cc'/><source network='x'/><target "
	"dev='tap-tpl'/></interface>"
	"<interface type='user'><mac address='52:54:00:aa:bb:cd'/></interface>"
	"</devices></domain>";

/* The disks to copy: written-to disks, in order; CD-ROMs, read-only and shareable ones stay shared. */
static void clone_disks(void **state)
{
	struct aras_clone_disk d[ARAS_CLONE_MAX_DISKS];
	char why[256] = "";

	(void)state;
	assert_int_equal(
		aras_clonexml_disks(tpl_xml, strlen(tpl_xml), d, ARAS_CLONE_MAX_DISKS, why, sizeof(why)), 3);
	assert_string_equal(d[0].target, "vda");
	assert_string_equal(d[0].source, "/pool/tpl.qcow2");
	assert_string_equal(d[0].format, "qcow2");
	assert_int_equal(d[0].volume, 0);
	assert_string_equal(d[1].target, "vdb");
	assert_string_equal(d[1].source, "tpl-data.img");
	assert_string_equal(d[1].pool, "data");
	assert_int_equal(d[1].volume, 1);
	assert_string_equal(d[2].target, "vdd");
	assert_string_equal(d[2].source, "/dev/vg/tpl-swap");
	assert_string_equal(d[2].format, "");
	/* more than the bound */
	assert_int_equal(aras_clonexml_disks(tpl_xml, strlen(tpl_xml), d, 2, why, sizeof(why)),
			 -ARAS_E_INVAL);
	assert_non_null(strstr(why, "more than 2 disks"));
}

/* A disk arasd cannot copy inside a pool, or no domain at all: refused, saying which. */
static void clone_disks_refused(void **state)
{
	static const struct {
		const char *xml, *why;
	} bad[] = {
		{ "<domain><devices><disk type='network' device='disk'><source protocol='rbd' name='p/i'/>"
		  "<target dev='vda'/></disk></devices></domain>",
		  "disk vda is of type network" },
		{ "<domain><devices><disk type='file' device='disk'><target "
		  "dev='vda'/></disk></devices></domain>",
		  "disk vda has no source" },
		{ "<domain><devices><disk type='file' device='disk'><source "
		  "file='/a'/></disk></devices></domain>",
		  "without a target" },
		{ "<domain><devices><disk type='volume'><source volume='v'/><target "
		  "dev='vda'/></disk></devices>"
		  "</domain>",
		  "disk vda has no source" },
		{ "<network/>", "not a <domain>" },
		{ "<domain", "not a <domain>" },
	};
	struct aras_clone_disk d[4];
	char why[256];

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		why[0] = '\0';
		assert_int_equal(aras_clonexml_disks(bad[i].xml, strlen(bad[i].xml), d, 4, why, sizeof(why)),
				 -ARAS_E_INVAL);
		if (!strstr(why, bad[i].why))
			fail_msg("case %zu: \"%s\" does not say \"%s\"", i, why, bad[i].why);
	}
}

/*
 * The clone's XML: its name, no UUID, no MAC, no NVRAM path, the copies as
 * sources (a block device's copy is a file), the shared disks as they were;
 * it reads back with the copies.
 */
static void clone_rewrite(void **state)
{
	struct aras_clone_disk d[ARAS_CLONE_MAX_DISKS], again[ARAS_CLONE_MAX_DISKS];
	const char *news[] = { "/pool/web1-vda.qcow2", "web1-vdb.img", "/pool/web1-vdd" };
	char why[256] = "", *out = NULL;

	(void)state;
	assert_int_equal(
		aras_clonexml_disks(tpl_xml, strlen(tpl_xml), d, ARAS_CLONE_MAX_DISKS, why, sizeof(why)), 3);
	assert_int_equal(
		aras_clonexml_rewrite(tpl_xml, strlen(tpl_xml), "web1", d, news, 3, &out, why, sizeof(why)),
		0);
	assert_non_null(out);
	assert_non_null(strstr(out, "<name>web1</name>"));
	assert_null(strstr(out, "<name>tpl</name>"));
	assert_null(strstr(out, "<uuid>"));
	assert_null(strstr(out, "4dea22b3")); /* nor in <sysinfo>, whence libvirt would take it */
	assert_null(strstr(out, "<genid>"));
	assert_non_null(strstr(out, "<entry name=\"manufacturer\">ACME</entry>"));
	assert_null(strstr(out, "<mac"));
	assert_null(strstr(out, "tap-tpl"));
	assert_non_null(strstr(out, "<source network=\"x\"/>"));
	assert_null(strstr(out, "nvram"));
	assert_non_null(strstr(out, "<loader type=\"pflash\">"));
	assert_non_null(strstr(out, "<source file=\"/pool/web1-vda.qcow2\"/>"));
	assert_non_null(strstr(out, "<source pool=\"data\" volume=\"web1-vdb.img\"/>"));
	assert_non_null(strstr(out, "<disk type=\"file\" device=\"disk\"><source file=\"/pool/web1-vdd\"/>"));
	assert_non_null(strstr(out, "<source file=\"/iso/boot.iso\"/>"));
	assert_non_null(strstr(out, "<source file=\"/shared/db.img\"/>"));
	assert_null(strstr(out, "tpl.qcow2"));
	assert_null(strstr(out, "/dev/vg/tpl-swap"));
	assert_int_equal(aras_clonexml_disks(out, strlen(out), again, ARAS_CLONE_MAX_DISKS, why, sizeof(why)),
			 3);
	assert_string_equal(again[2].source, "/pool/web1-vdd");
	free(out);
	/* a copy that is a block device (a logical pool's) stays a block disk */
	d[2].copy_block = 1;
	news[2] = "/dev/vg/web1-vdd";
	assert_int_equal(
		aras_clonexml_rewrite(tpl_xml, strlen(tpl_xml), "web1", d, news, 3, &out, why, sizeof(why)),
		0);
	assert_non_null(
		strstr(out, "<disk type=\"block\" device=\"disk\"><source dev=\"/dev/vg/web1-vdd\"/>"));
	free(out);
	/* one disk by its target, whatever the others are */
	{
		struct aras_clone_disk one;
		static const char net[] =
			"<domain><devices><disk type='network' device='disk'><source protocol='rbd' "
			"name='p/i'/><target dev='vda'/></disk><disk type='file' device='disk'>"
			"<source file='/p/b.img'/><target dev='vdb'/></disk></devices></domain>";

		assert_int_equal(aras_clonexml_disk(net, strlen(net), "vdb", &one, why, sizeof(why)), 0);
		assert_string_equal(one.source, "/p/b.img");
		assert_int_equal(aras_clonexml_disk(net, strlen(net), "vdc", &one, why, sizeof(why)),
				 -ARAS_E_NOENT);
		assert_non_null(strstr(why, "no writable disk vdc"));
		assert_int_equal(aras_clonexml_disk(tpl_xml, strlen(tpl_xml), "vdc", &one, why, sizeof(why)),
				 -ARAS_E_NOENT); /* shareable */
		assert_int_equal(aras_clonexml_disk(net, strlen(net), "vda", &one, why, sizeof(why)),
				 -ARAS_E_INVAL);
	}
	/* the disks changed between the listing and the rewrite */
	assert_int_equal(
		aras_clonexml_rewrite(tpl_xml, strlen(tpl_xml), "web1", d, news, 2, &out, why, sizeof(why)),
		-ARAS_E_INVAL);
	assert_null(out);
	assert_non_null(strstr(why, "disks changed"));
	strcpy(d[1].target, "vdz");
	assert_int_equal(
		aras_clonexml_rewrite(tpl_xml, strlen(tpl_xml), "web1", d, news, 3, &out, why, sizeof(why)),
		-ARAS_E_INVAL);
	assert_null(out);
}

/* A definition's maximum memory in its XML: <memory>, its one NUMA cell, <currentMemory> if above. */
static void max_memory(void **state)
{
	static const char numa[] =
		"<domain type='qemu'><name>g</name><maxMemory slots='4' unit='MiB'>5120</maxMemory>"
		"<memory unit='MiB'>1024</memory><currentMemory unit='MiB'>768</currentMemory>"
		"<cpu><numa><cell id='0' cpus='0-3' memory='1024' unit='MiB'/></numa></cpu></domain>";
	static const char dimm[] =
		"<domain type='qemu'><name>g</name><maxMemory slots='4' unit='MiB'>5120</maxMemory>"
		"<memory unit='MiB'>1280</memory><cpu><numa><cell id='0' memory='1024' "
		"unit='MiB'/></numa></cpu>"
		"<devices><memory model='dimm'><target><size "
		"unit='MiB'>256</size><node>0</node></target></memory>"
		"</devices></domain>";
	static const char two[] = "<domain><memory>1024</memory><cpu><numa><cell id='0' memory='512'/>"
				  "<cell id='1' memory='512'/></numa></cpu></domain>";
	char why[256] = "", *out = NULL;

	(void)state;
	assert_int_equal(aras_clonexml_max_memory(numa, strlen(numa), 2097152, &out, why, sizeof(why)), 0);
	assert_non_null(strstr(out, "<memory unit=\"KiB\">2097152</memory>"));
	assert_non_null(strstr(out, "memory=\"2097152\" unit=\"KiB\""));
	assert_non_null(strstr(out, "<currentMemory unit=\"MiB\">768</currentMemory>"));
	assert_non_null(strstr(out, "<maxMemory slots=\"4\" unit=\"MiB\">5120</maxMemory>"));
	free(out);
	/* below the current memory: that too */
	assert_int_equal(aras_clonexml_max_memory(numa, strlen(numa), 524288, &out, why, sizeof(why)), 0);
	assert_non_null(strstr(out, "<currentMemory unit=\"KiB\">524288</currentMemory>"));
	free(out);
	/* with a 256 MiB DIMM: the cell gets the rest (libvirt adds the DIMMs) */
	assert_int_equal(aras_clonexml_max_memory(dimm, strlen(dimm), 2097152, &out, why, sizeof(why)), 0);
	assert_non_null(strstr(out, "memory=\"1835008\" unit=\"KiB\""));
	free(out);
	assert_int_equal(aras_clonexml_max_memory(dimm, strlen(dimm), 262144, &out, why, sizeof(why)),
			 -ARAS_E_INVAL);
	assert_non_null(strstr(why, "not above the 262144 KiB of the domain's memory DIMMs"));
	/* above the hot-plug limit, two cells, no domain */
	assert_int_equal(aras_clonexml_max_memory(numa, strlen(numa), 6000000, &out, why, sizeof(why)),
			 -ARAS_E_INVAL);
	assert_null(out);
	assert_non_null(strstr(why, "above the definition's <maxMemory> of 5242880 KiB"));
	assert_int_equal(aras_clonexml_max_memory(two, strlen(two), 2097152, &out, why, sizeof(why)),
			 -ARAS_E_INVAL);
	assert_non_null(strstr(why, "2 NUMA cells"));
	assert_int_equal(aras_clonexml_max_memory("<x/>", 4, 2097152, &out, why, sizeof(why)), -ARAS_E_INVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_full),          cmocka_unit_test(parse_minimal),
		cmocka_unit_test(parse_rejects),       cmocka_unit_test(parse_hostile),
		cmocka_unit_test(parse_length),        cmocka_unit_test(clone_disks),
		cmocka_unit_test(clone_disks_refused), cmocka_unit_test(clone_rewrite),
		cmocka_unit_test(max_memory),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
