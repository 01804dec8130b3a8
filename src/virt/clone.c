/*
 * clone.c - see clone.h.
 */
#include "clone.h"

#include "clonexml.h"
#include "exec.h"

#include "util/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char log_token[] = "virt";

/* One disk's copy: the volume made and the new source the clone's XML names. */
struct copy {
	virStorageVolPtr vol;
	char *source; /* a path, or a volume name (volume disks) */
	int block;    /* the copy is a block device */
};

/* The template's volume of disk d and its pool, or -1 with why. */
static int find_volume(virConnectPtr conn, const struct aras_clone_disk *d, virStorageVolPtr *vol,
		       virStoragePoolPtr *pool, char *err, size_t errlen)
{
	*vol = NULL;
	*pool = NULL;
	if (d->volume) {
		*pool = virStoragePoolLookupByName(conn, d->pool);
		*vol = *pool ? virStorageVolLookupByName(*pool, d->source) : NULL;
	} else {
		*vol = virStorageVolLookupByPath(conn, d->source);
		*pool = *vol ? virStoragePoolLookupByVolume(*vol) : NULL;
	}
	if (*vol && *pool)
		return 0;
	snprintf(err, errlen,
		 "disk %s (%s%s%s) is in no storage pool of the template's host: arasd copies a disk "
		 "inside its pool",
		 d->target, d->volume ? d->pool : "", d->volume ? "/" : "", d->source);
	if (*vol)
		virStorageVolFree(*vol);
	if (*pool)
		virStoragePoolFree(*pool);
	*vol = NULL;
	*pool = NULL;
	return -1;
}

/* Copy disk d inside its pool as NAME-TARGET[.ext]: 0 and *c, or -1 with why. */
static int copy_disk(virConnectPtr conn, const struct aras_clone_disk *d, const char *name, struct copy *c,
		     char *err, size_t errlen)
{
	virStorageVolPtr vol = NULL;
	virStoragePoolPtr pool = NULL;
	virStorageVolInfo info;
	const char *old, *ext;
	char vname[160], fmt[96] = "", xml[512];
	int rc = -1;

	/* what goes into the volume's XML and name: words only (core/aras.h) */
	if (!aras_word_ok(d->target, 31) || (d->format[0] && !aras_word_ok(d->format, 16))) {
		snprintf(err, errlen, "disk %.31s: a target or format arasd does not put in a volume name",
			 d->target);
		return -1;
	}
	if (find_volume(conn, d, &vol, &pool, err, errlen) < 0)
		return -1;
	old = virStorageVolGetName(vol);
	ext = old ? strrchr(old, '.') : NULL;
	/* the source's extension, when it is one (".qcow2", ".img"; not ".04-server") */
	if (!ext || ext == old || !aras_word_ok(ext + 1, 8))
		ext = "";
	snprintf(vname, sizeof(vname), "%.64s-%.31s%.9s", name, d->target, ext);
	if (virStorageVolGetInfo(vol, &info) < 0) {
		aras_virt_errtext(err, errlen, "template volume");
		goto out;
	}
	if (d->format[0])
		snprintf(fmt, sizeof(fmt), "<target><format type='%s'/></target>", d->format);
	snprintf(xml, sizeof(xml), "<volume><name>%s</name><capacity unit='bytes'>%llu</capacity>%s</volume>",
		 vname, (unsigned long long)info.capacity, fmt);
	log_info("clone %s: copying disk %s (%s) to volume %s", name, d->target, d->source, vname);
	c->vol = virStorageVolCreateXMLFrom(pool, xml, vol, 0);
	if (!c->vol) {
		char what[96];

		snprintf(what, sizeof(what), "copy disk %.31s", d->target);
		aras_virt_errtext(err, errlen, what);
		goto out;
	}
	c->source = d->volume ? strdup(vname) : virStorageVolGetPath(c->vol);
	if (!c->source) {
		aras_virt_errtext(err, errlen, "path of the copy");
		goto out;
	}
	/* a copy in a logical, disk or iSCSI pool is a block device, whatever the source was */
	if (virStorageVolGetInfo(c->vol, &info) == 0)
		c->block = info.type == VIR_STORAGE_VOL_BLOCK;
	rc = 0;
out:
	virStorageVolFree(vol);
	virStoragePoolFree(pool);
	return rc;
}

/* The new domain defined on the target host (and started): 0, or -1 with why. */
static int define(virConnectPtr conn, const struct aras_job *job, const char *xml, int *defined, char *err,
		  size_t errlen)
{
	virConnectPtr dst = job->dst_uri[0] ? virConnectOpen(job->dst_uri) : conn;
	virDomainPtr dom = NULL;
	int rc = -1;

	if (!dst) {
		aras_virt_errtext(err, errlen, "connect to the target host");
		return -1;
	}
	dom = virDomainDefineXML(dst, xml);
	if (!dom) {
		aras_virt_errtext(err, errlen, "define the clone");
		goto out;
	}
	*defined = 1;
	if (job->clone_start && virDomainCreate(dom) < 0) {
		char what[160];

		snprintf(what, sizeof(what), "%s is defined, but start", job->clone_name);
		aras_virt_errtext(err, errlen, what);
		goto out;
	}
	rc = 0;
out:
	if (dom)
		virDomainFree(dom);
	if (dst != conn)
		virConnectClose(dst);
	return rc;
}

int aras_virt_clone(virConnectPtr conn, virDomainPtr tpl, const struct aras_job *job, char *err,
		    size_t errlen)
{
	struct aras_clone_disk disks[ARAS_CLONE_MAX_DISKS];
	struct copy copies[ARAS_CLONE_MAX_DISKS];
	const char *news[ARAS_CLONE_MAX_DISKS];
	char *xml = NULL, *cxml = NULL;
	int n = 0, made = 0, defined = 0, rc = -1, active = virDomainIsActive(tpl);

	memset(copies, 0, sizeof(copies));
	if (active != 0) {
		if (active < 0)
			aras_virt_errtext(err, errlen, "template state");
		else
			snprintf(err, errlen, "the template runs: only a shut-off VM is cloned");
		return -1;
	}
	xml = virDomainGetXMLDesc(tpl, VIR_DOMAIN_XML_INACTIVE | VIR_DOMAIN_XML_SECURE);
	if (!xml) {
		aras_virt_errtext(err, errlen, "template XML");
		return -1;
	}
	n = aras_clonexml_disks(xml, strlen(xml), disks, ARAS_CLONE_MAX_DISKS, err, errlen);
	if (n < 0)
		goto out;
	for (; made < n; made++) {
		if (job->cancel && __atomic_load_n(job->cancel, __ATOMIC_ACQUIRE)) {
			snprintf(err, errlen, "arasd stopped while the disks were copied");
			goto out;
		}
		if (copy_disk(conn, &disks[made], job->clone_name, &copies[made], err, errlen) < 0)
			goto out;
		news[made] = copies[made].source;
		disks[made].copy_block = copies[made].block;
	}
	if (aras_clonexml_rewrite(xml, strlen(xml), job->clone_name, disks, news, (size_t)n, &cxml, err,
				  errlen) < 0)
		goto out;
	rc = define(conn, job, cxml, &defined, err, errlen);
out:
	for (int i = 0; i < n; i++) {
		/* copies of a clone that was never defined are removed */
		if (!defined && copies[i].vol && virStorageVolDelete(copies[i].vol, 0) < 0)
			log_warn("clone %s: cannot delete the copy of disk %s", job->clone_name,
				 disks[i].target);
		if (copies[i].vol)
			virStorageVolFree(copies[i].vol);
		free(copies[i].source);
	}
	free(cxml);
	free(xml);
	return rc;
}
