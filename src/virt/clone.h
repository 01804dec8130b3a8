/*
 * clone.h - a new VM from a shut-off template (arasCloneTable): each disk
 * the clone gets (virt/clonexml.h) copied inside its storage pool with
 * virStorageVolCreateXMLFrom, the template's definition made the clone's
 * (name, new UUID, new MAC addresses, the copies), defined on the target
 * host and, if asked, started.  Called on a long job's thread (collect.c).
 */
#ifndef ARAS_VIRT_CLONE_H
#define ARAS_VIRT_CLONE_H

#include "job.h"

#include <libvirt/libvirt.h>

/*
 * Clone tpl (on conn) as job->clone_name, defined on job->dst_uri (empty:
 * conn), started if job->clone_start: 0, or -1 with why in err.  Nothing is
 * left behind when it fails before the definition (the copies are
 * deleted); a clone that was defined but did not start stays defined
 * (err says so).
 */
int aras_virt_clone(virConnectPtr conn, virDomainPtr tpl, const struct aras_job *job, char *err,
		    size_t errlen);

#endif
