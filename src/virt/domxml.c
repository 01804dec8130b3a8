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

#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

static int is(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && xmlStrcmp(n->name, (const xmlChar *)name) == 0;
}

static const xmlNode *child(const xmlNode *n, const char *name)
{
	for (const xmlNode *c = n->children; c; c = c->next)
		if (is(c, name))
			return c;
	return NULL;
}

/* Attribute attr of n into buf (size), cut to fit; "" when absent.  1 if present. */
static int attr(const xmlNode *n, const char *name, char *buf, size_t size)
{
	xmlChar *v = n ? xmlGetProp((xmlNode *)n, (const xmlChar *)name) : NULL;

	buf[0] = '\0';
	if (!v)
		return 0;
	snprintf(buf, size, "%s", (const char *)v);
	xmlFree(v);
	return 1;
}

/* The text of n into buf (size), cut to fit. */
static void text(const xmlNode *n, char *buf, size_t size)
{
	xmlChar *v = n ? xmlNodeGetContent((xmlNode *)n) : NULL;

	buf[0] = '\0';
	if (!v)
		return;
	snprintf(buf, size, "%s", (const char *)v);
	xmlFree(v);
}

/* A decimal number of at most 19 digits (anything else: 0). */
static uint64_t number(const char *s)
{
	uint64_t v = 0;
	size_t n = 0;

	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	for (; *s >= '0' && *s <= '9' && n < 19; s++, n++)
		v = v * 10 + (uint64_t)(*s - '0');
	return n && (*s == '\0' || *s == ' ' || *s == '\n') ? v : 0;
}

/* KiB of a libvirt memory element (unit= b, bytes, KiB/k, MiB/M, GiB/G, TiB/T; KiB by default). */
static uint64_t kib(const xmlNode *n)
{
	char t[32], u[16];
	uint64_t v;

	text(n, t, sizeof(t));
	v = number(t);
	attr(n, "unit", u, sizeof(u));
	if (u[0] == 'b' || u[0] == 'B')
		return v / 1024;
	if (u[0] == 'M' || u[0] == 'm')
		return v > UINT64_MAX >> 10 ? UINT64_MAX : v << 10;
	if (u[0] == 'G' || u[0] == 'g')
		return v > UINT64_MAX >> 20 ? UINT64_MAX : v << 20;
	if (u[0] == 'T' || u[0] == 't')
		return v > UINT64_MAX >> 30 ? UINT64_MAX : v << 30;
	return v;
}

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
	if (attr(src, "file", d->source, sizeof(d->source)) ||
	    attr(src, "dev", d->source, sizeof(d->source)) || attr(src, "dir", d->source, sizeof(d->source)))
		return;
	if (attr(src, "pool", a, sizeof(a)) && attr(src, "volume", b, sizeof(b))) {
		snprintf(d->source, sizeof(d->source), "%.255s/%.255s", a, b);
		return;
	}
	if (attr(src, "name", b, sizeof(b))) {
		const xmlNode *h = child(src, "host");
		char host[256];

		attr(src, "protocol", a, sizeof(a));
		attr(h, "name", host, sizeof(host));
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
	attr(child(n, "target"), "dev", d->target, sizeof(d->target));
	/* target is the first member: the stride walk compares it */
	if (!d->target[0] || seen_target(d->target, out->disks, out->ndisks, sizeof(*d)))
		return;
	attr(child(n, "target"), "bus", d->bus, sizeof(d->bus));
	attr(n, "type", t, sizeof(t));
	d->source_type = source_type(t);
	attr(n, "device", t, sizeof(t));
	d->media = media(t);
	d->readonly = child(n, "readonly") != NULL;
	disk_source(child(n, "source"), d);
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
	const xmlNode *src = child(n, "source");
	char mac[32];

	memset(c, 0, sizeof(*c));
	attr(child(n, "target"), "dev", c->target, sizeof(c->target));
	if (!c->target[0] || seen_target(c->target, out->nics, out->nnics, sizeof(*c)))
		return;
	attr(child(n, "mac"), "address", mac, sizeof(mac));
	c->has_mac = parse_mac(mac, c->mac);
	attr(n, "type", c->type, sizeof(c->type));
	/* network=, bridge=, or a direct interface's dev= (the host NIC it sits on) */
	if (!attr(src, "network", c->network, sizeof(c->network)) &&
	    !attr(src, "bridge", c->network, sizeof(c->network)))
		attr(src, "dev", c->network, sizeof(c->network));
	attr(child(n, "model"), "type", c->model, sizeof(c->model));
	out->nnics++;
}

static int count(const xmlNode *devs, const char *name)
{
	int k = 0;

	for (const xmlNode *c = devs ? devs->children : NULL; c; c = c->next)
		k += is(c, name);
	return k;
}

static int take_vcpus(const xmlNode *root, struct aras_vm_devices *out)
{
	const xmlNode *vcpu = child(root, "vcpu"), *tune = child(root, "cputune");
	char t[32];
	uint64_t n, cur;

	if (!vcpu)
		return 0;
	attr(vcpu, "cpuset", out->cfg.cpuset, sizeof(out->cfg.cpuset));
	text(vcpu, t, sizeof(t));
	n = number(t);
	out->cfg.vcpus_max = n > UINT_MAX ? UINT_MAX : (unsigned)n;
	if (attr(vcpu, "current", t, sizeof(t)) && (cur = number(t)) > 0 && cur < n)
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

		if (!is(c, "vcpupin") || !attr(c, "vcpu", t, sizeof(t)))
			continue;
		id = number(t);
		if ((id > 0 || strcmp(t, "0") == 0) && id < out->nvcpus)
			attr(c, "cpuset", out->vcpus[id].cpuset, sizeof(out->vcpus[id].cpuset));
	}
	return 0;
}

int aras_domxml_parse(const char *xml, size_t len, struct aras_vm_devices *out)
{
	xmlDoc *doc = NULL;
	const xmlNode *root, *devs, *n;
	int nd, nn, rc = 0;

	memset(out, 0, sizeof(*out));
	if (!xml || len > INT32_MAX)
		return -ARAS_E_INVAL;
	/* no XML_PARSE_NOENT (entities stay unexpanded), no DTD loaded, no network */
	doc = xmlReadMemory(xml, (int)len, "domain.xml", NULL,
			    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
	root = doc ? xmlDocGetRootElement(doc) : NULL;
	if (!root || !is(root, "domain")) {
		rc = -ARAS_E_INVAL;
		goto cleanup;
	}
	out->cfg.known = 1;
	out->cfg.autostart = -1;
	out->cfg.persistent = -1;
	n = child(root, "os");
	text(n ? child(n, "type") : NULL, out->cfg.os_type, sizeof(out->cfg.os_type));
	n = child(root, "memtune");
	out->cfg.mem_min_kib = n && child(n, "min_guarantee") ? kib(child(n, "min_guarantee")) : 0;
	rc = take_vcpus(root, out);
	if (rc < 0)
		goto cleanup;
	devs = child(root, "devices");
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
		if (is(n, "disk") && out->ndisks < (size_t)nd)
			take_disk(n, out);
		else if (is(n, "interface") && out->nnics < (size_t)nn)
			take_nic(n, out);
	}
cleanup:
	xmlFreeDoc(doc);
	if (rc < 0)
		aras_devices_free(out);
	return rc;
}
