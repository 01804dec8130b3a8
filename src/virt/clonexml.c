/*
 * clonexml.c - see clonexml.h.
 */
#include "clonexml.h"

#include "core/aras.h"
#include "xmlnode.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

/*
 * Attribute name of n into buf (size): 1 when present and it fits, 0 when
 * absent, -1 when it does not fit.
 */
static int prop(xmlNode *n, const char *name, char *buf, size_t size)
{
	xmlChar *v = n ? xmlGetProp(n, (const xmlChar *)name) : NULL;
	int fits;

	buf[0] = '\0';
	if (!v)
		return 0;
	fits = strlen((const char *)v) < size;
	if (fits)
		memcpy(buf, v, strlen((const char *)v) + 1);
	xmlFree(v);
	return fits ? 1 : -1;
}

static xmlDoc *parse(const char *xml, size_t len, char *why, size_t whylen)
{
	xmlDoc *doc = aras_xml_domain(xml, len);

	if (!doc)
		snprintf(why, whylen, "the template's XML is not a <domain> document");
	return doc;
}

/* A disk the clone copies (clonexml.h): device disk, not read-only, not shareable. */
static int copied(xmlNode *disk)
{
	char dev[16];

	if (prop(disk, "device", dev, sizeof(dev)) == 1 && strcmp(dev, "disk") != 0)
		return 0;
	return !aras_xml_child(disk, "readonly") && !aras_xml_child(disk, "shareable");
}

/* One disk to copy into d: 0, or -ARAS_E_INVAL with why. */
static int take(xmlNode *disk, struct aras_clone_disk *d, char *why, size_t whylen)
{
	xmlNode *src = aras_xml_child(disk, "source");
	char type[16];
	int rc;

	memset(d, 0, sizeof(*d));
	if (prop(aras_xml_child(disk, "target"), "dev", d->target, sizeof(d->target)) != 1) {
		snprintf(why, whylen, "a disk without a target name");
		return -ARAS_E_INVAL;
	}
	if (prop(aras_xml_child(disk, "driver"), "type", d->format, sizeof(d->format)) < 0) {
		snprintf(why, whylen, "disk %s: its driver type is too long", d->target);
		return -ARAS_E_INVAL;
	}
	if (prop(disk, "type", type, sizeof(type)) != 1)
		snprintf(type, sizeof(type), "file");
	if (strcmp(type, "file") == 0)
		rc = prop(src, "file", d->source, sizeof(d->source));
	else if (strcmp(type, "block") == 0)
		rc = prop(src, "dev", d->source, sizeof(d->source));
	else if (strcmp(type, "volume") == 0) {
		d->volume = 1;
		rc = prop(src, "volume", d->source, sizeof(d->source));
		if (rc == 1)
			rc = prop(src, "pool", d->pool, sizeof(d->pool));
	} else {
		snprintf(why, whylen,
			 "disk %s is of type %s: arasd copies file, block and pool volume disks only",
			 d->target, type);
		return -ARAS_E_INVAL;
	}
	if (rc != 1 || !d->source[0]) {
		snprintf(why, whylen, "disk %s has no source to copy", d->target);
		return -ARAS_E_INVAL;
	}
	return 0;
}

int aras_clonexml_disks(const char *xml, size_t len, struct aras_clone_disk *out, size_t max, char *why,
			size_t whylen)
{
	xmlDoc *doc = parse(xml, len, why, whylen);
	xmlNode *devs;
	int n = 0;

	if (!doc)
		return -ARAS_E_INVAL;
	devs = aras_xml_child(xmlDocGetRootElement(doc), "devices");
	for (xmlNode *c = devs ? devs->children : NULL; c; c = c->next) {
		if (!aras_xml_is(c, "disk") || !copied(c))
			continue;
		if ((size_t)n >= max) {
			snprintf(why, whylen, "more than %zu disks to copy", max);
			n = -ARAS_E_INVAL;
			break;
		}
		if (take(c, &out[n], why, whylen) < 0) {
			n = -ARAS_E_INVAL;
			break;
		}
		n++;
	}
	xmlFreeDoc(doc);
	return n;
}

/* The document as a malloc'd, NUL-terminated string in *out: 0 or -ARAS_E_NOMEM with why. */
static int dump(xmlDoc *doc, char **out, char *why, size_t whylen)
{
	xmlChar *buf = NULL;
	int size = 0;

	xmlDocDumpMemory(doc, &buf, &size);
	if (!buf || size < 0 || !(*out = malloc((size_t)size + 1))) {
		xmlFree(buf);
		snprintf(why, whylen, "out of memory");
		return -ARAS_E_NOMEM;
	}
	memcpy(*out, buf, (size_t)size);
	(*out)[size] = '\0';
	xmlFree(buf);
	return 0;
}

int aras_clonexml_disk(const char *xml, size_t len, const char *target, struct aras_clone_disk *out,
		       char *why, size_t whylen)
{
	xmlDoc *doc = parse(xml, len, why, whylen);
	xmlNode *devs;
	int rc = -ARAS_E_NOENT;

	if (!doc)
		return -ARAS_E_INVAL;
	devs = aras_xml_child(xmlDocGetRootElement(doc), "devices");
	for (xmlNode *c = devs ? devs->children : NULL; c; c = c->next) {
		char t[sizeof(out->target)];

		if (!aras_xml_is(c, "disk") || prop(aras_xml_child(c, "target"), "dev", t, sizeof(t)) != 1 ||
		    strcmp(t, target) != 0)
			continue;
		rc = copied(c) ? take(c, out, why, whylen) : -ARAS_E_NOENT;
		break;
	}
	if (rc == -ARAS_E_NOENT)
		snprintf(why, whylen, "no writable disk %.32s in the definition", target);
	xmlFreeDoc(doc);
	return rc;
}

/* Remove every child element of n named name. */
static void drop(xmlNode *n, const char *name)
{
	xmlNode *c = n ? n->children : NULL;

	while (c) {
		xmlNode *next = c->next;

		if (aras_xml_is(c, name)) {
			xmlUnlinkNode(c);
			xmlFreeNode(c);
		}
		c = next;
	}
}

/* libvirt takes a domain's UUID from <sysinfo><system><entry name='uuid'> when <uuid> is absent. */
static void drop_sysinfo_uuid(xmlNode *root)
{
	for (xmlNode *si = root->children; si; si = si->next) {
		xmlNode *sys = aras_xml_is(si, "sysinfo") ? aras_xml_child(si, "system") : NULL;
		xmlNode *c = sys ? sys->children : NULL;

		while (c) {
			xmlNode *next = c->next;
			char name[16];

			if (aras_xml_is(c, "entry") && prop(c, "name", name, sizeof(name)) == 1 &&
			    strcmp(name, "uuid") == 0) {
				xmlUnlinkNode(c);
				xmlFreeNode(c);
			}
			c = next;
		}
	}
}

/* The copied disk d gets its new source: a file path, or a volume of the same pool. */
static int resource(xmlNode *disk, const struct aras_clone_disk *d, const char *news)
{
	xmlNode *src = aras_xml_child(disk, "source"), *fresh;

	if (!src)
		return -ARAS_E_INVAL;
	if (d->volume) {
		return xmlSetProp(src, (const xmlChar *)"volume", (const xmlChar *)news) ? 0 : -ARAS_E_NOMEM;
	}
	/* a new <source file> or <source dev> (the copy's kind, which may differ from the source's) */
	fresh = xmlNewNode(NULL, (const xmlChar *)"source");
	if (!fresh ||
	    !xmlSetProp(fresh, (const xmlChar *)(d->copy_block ? "dev" : "file"), (const xmlChar *)news) ||
	    !xmlSetProp(disk, (const xmlChar *)"type", (const xmlChar *)(d->copy_block ? "block" : "file"))) {
		xmlFreeNode(fresh);
		return -ARAS_E_NOMEM;
	}
	xmlReplaceNode(src, fresh);
	xmlFreeNode(src);
	return 0;
}

int aras_clonexml_rewrite(const char *xml, size_t len, const char *name, const struct aras_clone_disk *disks,
			  const char *const *news, size_t n, char **out, char *why, size_t whylen)
{
	xmlDoc *doc = parse(xml, len, why, whylen);
	xmlNode *root, *devs, *os, *nm;
	size_t i = 0;
	int rc = 0;

	*out = NULL;
	if (!doc)
		return -ARAS_E_INVAL;
	root = xmlDocGetRootElement(doc);
	drop(root, "uuid");
	drop(root, "genid");
	drop_sysinfo_uuid(root);
	if ((os = aras_xml_child(root, "os")))
		drop(os, "nvram");
	if (!(nm = aras_xml_child(root, "name")) &&
	    !(nm = xmlNewChild(root, NULL, (const xmlChar *)"name", NULL))) {
		rc = -ARAS_E_NOMEM;
		goto out;
	}
	xmlNodeSetContent(nm, NULL);
	xmlNodeAddContent(nm, (const xmlChar *)name);
	devs = aras_xml_child(root, "devices");
	for (xmlNode *c = devs ? devs->children : NULL; c; c = c->next) {
		char target[sizeof(disks[0].target)];

		if (aras_xml_is(c, "interface")) {
			/* libvirt gives the clone its own MAC address and device name */
			drop(c, "mac");
			drop(c, "target");
			continue;
		}
		if (!aras_xml_is(c, "disk") || !copied(c))
			continue;
		/* the disks in the order aras_clonexml_disks listed them */
		if (i >= n || prop(aras_xml_child(c, "target"), "dev", target, sizeof(target)) != 1 ||
		    strcmp(target, disks[i].target) != 0) {
			snprintf(why, whylen, "the template's disks changed while it was copied");
			rc = -ARAS_E_INVAL;
			goto out;
		}
		if ((rc = resource(c, &disks[i], news[i])) < 0) {
			snprintf(why, whylen, "disk %s: %s", disks[i].target,
				 rc == -ARAS_E_NOMEM ? "out of memory" : "no source");
			goto out;
		}
		i++;
	}
	if (i != n) {
		snprintf(why, whylen, "the template's disks changed while it was copied");
		rc = -ARAS_E_INVAL;
		goto out;
	}
	rc = dump(doc, out, why, whylen);
out:
	xmlFreeDoc(doc);
	return rc;
}

/* n's size: text (attr NULL) or attribute attr, as kib KiB. */
static int set_kib(xmlNode *n, const char *attr, unsigned long long kib)
{
	char v[32];

	snprintf(v, sizeof(v), "%llu", kib);
	if (!xmlSetProp(n, (const xmlChar *)"unit", (const xmlChar *)"KiB"))
		return -ARAS_E_NOMEM;
	if (attr)
		return xmlSetProp(n, (const xmlChar *)attr, (const xmlChar *)v) ? 0 : -ARAS_E_NOMEM;
	xmlNodeSetContent(n, (const xmlChar *)v);
	return 0;
}

int aras_clonexml_max_memory(const char *xml, size_t len, unsigned long long kib, char **out, char *why,
			     size_t whylen)
{
	xmlDoc *doc = parse(xml, len, why, whylen);
	xmlNode *root, *mem, *cur, *hot, *numa, *devs, *cell = NULL;
	unsigned long long dimms = 0, limit;
	int cells = 0, rc = 0;

	*out = NULL;
	if (!doc)
		return -ARAS_E_INVAL;
	root = xmlDocGetRootElement(doc);
	mem = aras_xml_child(root, "memory");
	cur = aras_xml_child(root, "currentMemory");
	hot = aras_xml_child(root, "maxMemory");
	numa = aras_xml_child(aras_xml_child(root, "cpu"), "numa");
	for (xmlNode *c = numa ? numa->children : NULL; c; c = c->next)
		if (aras_xml_is(c, "cell")) {
			cell = c;
			cells++;
		}
	if (!mem || cells > 1) {
		snprintf(why, whylen,
			 cells > 1 ? "%d NUMA cells: set each cell's memory in the definition" :
				     "no <memory> in the definition",
			 cells);
		rc = -ARAS_E_INVAL;
		goto out;
	}
	limit = aras_xml_kib(hot, NULL); /* 0: no <maxMemory> */
	if (limit && kib > limit) {
		snprintf(why, whylen, "%llu KiB is above the definition's <maxMemory> of %llu KiB", kib,
			 limit);
		rc = -ARAS_E_INVAL;
		goto out;
	}
	/* libvirt's total is the cells' memory and the DIMMs': the cell gets the rest */
	devs = aras_xml_child(root, "devices");
	for (xmlNode *c = devs ? devs->children : NULL; c; c = c->next) {
		char model[16];

		if (aras_xml_is(c, "memory") && prop(c, "model", model, sizeof(model)) == 1 &&
		    strcmp(model, "dimm") == 0)
			dimms += aras_xml_kib(aras_xml_child(aras_xml_child(c, "target"), "size"), NULL);
	}
	if (cell && kib <= dimms) {
		snprintf(why, whylen, "%llu KiB is not above the %llu KiB of the domain's memory DIMMs", kib,
			 dimms);
		rc = -ARAS_E_INVAL;
		goto out;
	}
	if ((rc = set_kib(mem, NULL, kib)) < 0 || (cell && (rc = set_kib(cell, "memory", kib - dimms)) < 0) ||
	    (cur && aras_xml_kib(cur, NULL) > kib && (rc = set_kib(cur, NULL, kib)) < 0)) {
		snprintf(why, whylen, "out of memory");
		goto out;
	}
	rc = dump(doc, out, why, whylen);
out:
	xmlFreeDoc(doc);
	return rc;
}
