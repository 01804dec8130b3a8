/*
 * fuzz_domxml.c - libFuzzer target: the domain XML parsers on any input.
 * aras_domxml_parse (src/virt/domxml.c): every string it fills stays
 * terminated within its field, every list within its bound.  The clone's
 * rewrite (src/virt/clonexml.c): the disks it lists are terminated and
 * bounded, and the XML it makes of them has no <uuid> (the domain's own:
 * a nested element of that name is not one) and lists the same
 * disks with the new sources; the maximum memory rewrite gives a domain
 * with that <memory>.
 */
#include "virt/clonexml.h"
#include "virt/domxml.h"
#include "virt/xmlnode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void bounded(const char *s, size_t size)
{
	if (memchr(s, '\0', size) == NULL)
		abort();
}

/* The domain has a <uuid> of its own (libvirt reads only the root's child; one nested elsewhere is not). */
static int has_uuid(const char *xml)
{
	xmlDoc *doc = aras_xml_domain(xml, strlen(xml));
	int has = !doc || aras_xml_child(xmlDocGetRootElement(doc), "uuid") != NULL;

	xmlFreeDoc(doc);
	return has;
}

static void clone(const char *xml, size_t size)
{
	static struct aras_clone_disk d[ARAS_CLONE_MAX_DISKS], again[ARAS_CLONE_MAX_DISKS];
	static char names[ARAS_CLONE_MAX_DISKS][32];
	const char *news[ARAS_CLONE_MAX_DISKS];
	char why[256] = "", *out = NULL;
	int n = aras_clonexml_disks(xml, size, d, ARAS_CLONE_MAX_DISKS, why, sizeof(why));

	if (n < 0) {
		bounded(why, sizeof(why));
		if (!why[0])
			abort(); /* a refusal says why */
		return;
	}
	if (n > ARAS_CLONE_MAX_DISKS)
		abort();
	for (int i = 0; i < n; i++) {
		bounded(d[i].target, sizeof(d[i].target));
		bounded(d[i].source, sizeof(d[i].source));
		bounded(d[i].pool, sizeof(d[i].pool));
		bounded(d[i].format, sizeof(d[i].format));
		snprintf(names[i], sizeof(names[i]), "/c/x-%d", i);
		news[i] = names[i];
	}
	if (aras_clonexml_rewrite(xml, size, "x", d, news, (size_t)n, &out, why, sizeof(why)) < 0) {
		if (out)
			abort();
		return;
	}
	if (has_uuid(out) ||
	    aras_clonexml_disks(out, strlen(out), again, ARAS_CLONE_MAX_DISKS, why, sizeof(why)) != n)
		abort();
	for (int i = 0; i < n; i++)
		if (strcmp(again[i].source, news[i]) != 0 || strcmp(again[i].target, d[i].target) != 0)
			abort();
	free(out);
}

/*
 * out has a <memory> element in KiB holding 2097152 (other attributes the
 * input gave it stay, in their order: unit="KiB" need not be the last).
 */
static int has_max_memory(const char *out)
{
	static const char text[] = ">2097152</memory>";

	for (const char *p = strstr(out, text); p; p = strstr(p + 1, text)) {
		const char *tag = p;

		while (tag > out && strncmp(tag, "<memory", 7) != 0)
			tag--;
		if (strncmp(tag, "<memory", 7) == 0 && memchr(tag, '>', (size_t)(p - tag) + 1) == p &&
		    strstr(tag, "unit=\"KiB\"") && strstr(tag, "unit=\"KiB\"") < p)
			return 1;
	}
	return 0;
}

/* The maximum memory rewrite: a refusal says why; a result is a domain with that <memory>. */
static void max_memory(const char *xml, size_t size)
{
	static struct aras_clone_disk dd[ARAS_CLONE_MAX_DISKS];
	char why[256] = "", *out = NULL;

	if (aras_clonexml_max_memory(xml, size, 2097152, &out, why, sizeof(why)) < 0) {
		if (out || !why[0])
			abort();
		return;
	}
	if (!has_max_memory(out) ||
	    (aras_clonexml_disks(out, strlen(out), dd, ARAS_CLONE_MAX_DISKS, why, sizeof(why)) < 0 &&
	     strstr(why, "not a <domain>")))
		abort();
	free(out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aras_vm_devices d;

	clone((const char *)data, size);
	max_memory((const char *)data, size);
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
