/*
 * domxml.c - a domain XML's disks, interfaces, vCPUs and the few VM-wide
 * settings of struct aras_vm_config, with libxml2's tree API.  The
 * document comes from libvirt (virDomainGetXMLDesc) but is parsed as
 * outside input: no network access, no entity substitution, no DTD
 * loading, every copy bounded by its field (tests/unit/test_domxml.c,
 * tests/fuzz/fuzz_domxml.c).
 */
#include "domxml.h"

#include "core/aras.h"
#include "xmlnode.h"

#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

static uint8_t source_type(const char *t)
{
	static const char *const names[] = { "file", "block", "dir", "network", "volume" };

	if (!t[0])
		return ARAS_DISK_SRC_UNKNOWN;
	for (size_t i = 0; i < ARAS_ARRAY_SIZE(names); i++)
		if (strcmp(t, names[i]) == 0)
			return (uint8_t)(ARAS_DISK_SRC_FILE + i);
	return ARAS_DISK_SRC_OTHER;
}

static uint8_t media(const char *t)
{
	if (!t[0] || strcmp(t, "disk") == 0)
		return ARAS_DISK_MEDIA_DISK; /* libvirt's default */
	if (strcmp(t, "cdrom") == 0)
		return ARAS_DISK_MEDIA_CDROM;
	if (strcmp(t, "floppy") == 0)
		return ARAS_DISK_MEDIA_FLOPPY;
	if (strcmp(t, "lun") == 0)
		return ARAS_DISK_MEDIA_LUN;
	return ARAS_DISK_MEDIA_UNKNOWN;
}

/* <source>: file=, dev=, dir=, pool/volume, or a network disk's name= (protocol://host/name). */
static void disk_source(const xmlNode *src, struct aras_disk *d)
{
	char a[ARAS_DEV_PATH_MAX], b[ARAS_DEV_PATH_MAX];

	if (!src)
		return;
	if (aras_xml_attr(src, "file", d->source, sizeof(d->source)) ||
	    aras_xml_attr(src, "dev", d->source, sizeof(d->source)) ||
	    aras_xml_attr(src, "dir", d->source, sizeof(d->source)))
		return;
	if (aras_xml_attr(src, "pool", a, sizeof(a)) && aras_xml_attr(src, "volume", b, sizeof(b))) {
		snprintf(d->source, sizeof(d->source), "%.255s/%.255s", a, b);
		return;
	}
	if (aras_xml_attr(src, "name", b, sizeof(b))) {
		const xmlNode *h = aras_xml_child(src, "host");
		char host[256];

		aras_xml_attr(src, "protocol", a, sizeof(a));
		aras_xml_attr(h, "name", host, sizeof(host));
		if (a[0])
			snprintf(d->source, sizeof(d->source), "%.31s://%.200s/%.255s", a, host, b);
		else
			snprintf(d->source, sizeof(d->source), "%s", b);
	}
}

static int seen_target(const char *t, const void *arr, size_t n, size_t stride)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp((const char *)arr + i * stride, t) == 0)
			return 1;
	return 0;
}

static void take_disk(const xmlNode *n, struct aras_vm_devices *out)
{
	struct aras_disk *d = &out->disks[out->ndisks];
	char t[ARAS_DEV_WORD_MAX];

	memset(d, 0, sizeof(*d));
	aras_xml_attr(aras_xml_child(n, "target"), "dev", d->target, sizeof(d->target));
	/* target is the first member: the stride walk compares it */
	if (!d->target[0] || seen_target(d->target, out->disks, out->ndisks, sizeof(*d)))
		return;
	aras_xml_attr(aras_xml_child(n, "target"), "bus", d->bus, sizeof(d->bus));
	aras_xml_attr(n, "type", t, sizeof(t));
	d->source_type = source_type(t);
	aras_xml_attr(n, "device", t, sizeof(t));
	d->media = media(t);
	d->readonly = aras_xml_child(n, "readonly") != NULL;
	disk_source(aras_xml_child(n, "source"), d);
	out->ndisks++;
}

/* "52:54:00:ab:cd:ef" into mac; 1 if well formed. */
static int parse_mac(const char *s, uint8_t mac[6])
{
	unsigned v[6];
	char end;

	if (strlen(s) != 17 ||
	    sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &end) != 6)
		return 0;
	for (int i = 0; i < 6; i++)
		mac[i] = (uint8_t)v[i];
	return 1;
}

static void take_nic(const xmlNode *n, struct aras_vm_devices *out)
{
	struct aras_nic *c = &out->nics[out->nnics];
	const xmlNode *src = aras_xml_child(n, "source");
	char mac[32];

	memset(c, 0, sizeof(*c));
	aras_xml_attr(aras_xml_child(n, "target"), "dev", c->target, sizeof(c->target));
	if (!c->target[0] || seen_target(c->target, out->nics, out->nnics, sizeof(*c)))
		return;
	aras_xml_attr(aras_xml_child(n, "mac"), "address", mac, sizeof(mac));
	c->has_mac = parse_mac(mac, c->mac);
	aras_xml_attr(n, "type", c->type, sizeof(c->type));
	/* network=, bridge=, or a direct interface's dev= (the host NIC it sits on) */
	if (!aras_xml_attr(src, "network", c->network, sizeof(c->network)) &&
	    !aras_xml_attr(src, "bridge", c->network, sizeof(c->network)))
		aras_xml_attr(src, "dev", c->network, sizeof(c->network));
	aras_xml_attr(aras_xml_child(n, "model"), "type", c->model, sizeof(c->model));
	out->nnics++;
}

static int count(const xmlNode *devs, const char *name)
{
	int k = 0;

	for (const xmlNode *c = devs ? devs->children : NULL; c; c = c->next)
		k += aras_xml_is(c, name);
	return k;
}

static int take_vcpus(const xmlNode *root, struct aras_vm_devices *out)
{
	const xmlNode *vcpu = aras_xml_child(root, "vcpu"), *tune = aras_xml_child(root, "cputune");
	char t[32];
	uint64_t n, cur;

	if (!vcpu)
		return 0;
	aras_xml_attr(vcpu, "cpuset", out->cfg.cpuset, sizeof(out->cfg.cpuset));
	aras_xml_text(vcpu, t, sizeof(t));
	n = aras_xml_number(t);
	out->cfg.vcpus_max = n > UINT_MAX ? UINT_MAX : (unsigned)n;
	if (aras_xml_attr(vcpu, "current", t, sizeof(t)) && (cur = aras_xml_number(t)) > 0 && cur < n)
		n = cur;
	if (n > ARAS_DOMXML_MAX_VCPU)
		n = ARAS_DOMXML_MAX_VCPU;
	if (!n)
		return 0;
	out->vcpus = calloc((size_t)n, sizeof(*out->vcpus));
	if (!out->vcpus)
		return -ARAS_E_NOMEM;
	out->nvcpus = (size_t)n;
	for (size_t i = 0; i < out->nvcpus; i++) {
		out->vcpus[i].number = (unsigned)i;
		snprintf(out->vcpus[i].cpuset, sizeof(out->vcpus[i].cpuset), "%s", out->cfg.cpuset);
	}
	for (const xmlNode *c = tune ? tune->children : NULL; c; c = c->next) {
		uint64_t id;

		if (!aras_xml_is(c, "vcpupin") || !aras_xml_attr(c, "vcpu", t, sizeof(t)))
			continue;
		id = aras_xml_number(t);
		if ((id > 0 || strcmp(t, "0") == 0) && id < out->nvcpus)
			aras_xml_attr(c, "cpuset", out->vcpus[id].cpuset, sizeof(out->vcpus[id].cpuset));
	}
	return 0;
}

int aras_domxml_parse(const char *xml, size_t len, struct aras_vm_devices *out)
{
	xmlDoc *doc = NULL;
	const xmlNode *root, *devs, *n;
	int nd, nn, rc = 0;

	memset(out, 0, sizeof(*out));
	if (!(doc = aras_xml_domain(xml, len)))
		return -ARAS_E_INVAL;
	root = xmlDocGetRootElement(doc);
	out->cfg.known = 1;
	out->cfg.autostart = -1;
	out->cfg.persistent = -1;
	n = aras_xml_child(root, "os");
	aras_xml_text(n ? aras_xml_child(n, "type") : NULL, out->cfg.os_type, sizeof(out->cfg.os_type));
	n = aras_xml_child(root, "memtune");
	out->cfg.mem_min_kib = aras_xml_kib(aras_xml_child(n, "min_guarantee"), NULL);
	rc = take_vcpus(root, out);
	if (rc < 0)
		goto cleanup;
	devs = aras_xml_child(root, "devices");
	nd = count(devs, "disk");
	nn = count(devs, "interface");
	nd = nd > ARAS_DOMXML_MAX_DEV ? ARAS_DOMXML_MAX_DEV : nd;
	nn = nn > ARAS_DOMXML_MAX_DEV ? ARAS_DOMXML_MAX_DEV : nn;
	if ((nd && !(out->disks = calloc((size_t)nd, sizeof(*out->disks)))) ||
	    (nn && !(out->nics = calloc((size_t)nn, sizeof(*out->nics))))) {
		rc = -ARAS_E_NOMEM;
		goto cleanup;
	}
	for (n = devs ? devs->children : NULL; n; n = n->next) {
		if (aras_xml_is(n, "disk") && out->ndisks < (size_t)nd)
			take_disk(n, out);
		else if (aras_xml_is(n, "interface") && out->nnics < (size_t)nn)
			take_nic(n, out);
	}
cleanup:
	xmlFreeDoc(doc);
	if (rc < 0)
		aras_devices_free(out);
	return rc;
}
