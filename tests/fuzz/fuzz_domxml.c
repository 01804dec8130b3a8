/*
 * fuzz_domxml.c - libFuzzer target: the domain XML parser
 * (aras_domxml_parse, src/virt/domxml.c) on any input: every string it
 * fills stays terminated within its field, every list within its bound.
 */
#include "virt/domxml.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void bounded(const char *s, size_t size)
{
	if (memchr(s, '\0', size) == NULL)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aras_vm_devices d;

	if (aras_domxml_parse((const char *)data, size, &d) < 0) {
		if (d.disks || d.nics || d.vcpus || d.ndisks || d.nnics || d.nvcpus)
			abort();
		return 0;
	}
	if (d.ndisks > ARAS_DOMXML_MAX_DEV || d.nnics > ARAS_DOMXML_MAX_DEV ||
	    d.nvcpus > ARAS_DOMXML_MAX_VCPU)
		abort();
	bounded(d.cfg.os_type, sizeof(d.cfg.os_type));
	bounded(d.cfg.cpuset, sizeof(d.cfg.cpuset));
	for (size_t i = 0; i < d.ndisks; i++) {
		bounded(d.disks[i].target, sizeof(d.disks[i].target));
		bounded(d.disks[i].source, sizeof(d.disks[i].source));
		bounded(d.disks[i].bus, sizeof(d.disks[i].bus));
		if (!d.disks[i].target[0] || aras_devices_disk(&d, d.disks[i].target) != &d.disks[i])
			abort(); /* keys are present and unique */
	}
	for (size_t i = 0; i < d.nnics; i++) {
		bounded(d.nics[i].target, sizeof(d.nics[i].target));
		bounded(d.nics[i].type, sizeof(d.nics[i].type));
		bounded(d.nics[i].network, sizeof(d.nics[i].network));
		bounded(d.nics[i].model, sizeof(d.nics[i].model));
		if (!d.nics[i].target[0] || aras_devices_nic(&d, d.nics[i].target) != &d.nics[i])
			abort();
	}
	for (size_t i = 0; i < d.nvcpus; i++)
		if (d.vcpus[i].number != i ||
		    memchr(d.vcpus[i].cpuset, '\0', sizeof(d.vcpus[i].cpuset)) == NULL)
			abort();
	aras_devices_free(&d);
	return 0;
}
