/*
 * exec.c - see exec.h.
 */
#include "exec.h"

#include "clonexml.h"

#include "util/log.h"
#include "core/plan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libvirt/virterror.h>

/*
 * Change the running VM and its persistent definition.  A transient VM has
 * no definition: fall back to the live change alone.
 */
#define LIVE_CONFIG (VIR_DOMAIN_AFFECT_LIVE | VIR_DOMAIN_AFFECT_CONFIG)

void aras_virt_errtext(char *buf, size_t len, const char *what)
{
	const char *msg = virGetLastErrorMessage();

	snprintf(buf, len, "%s: %s", what, msg ? msg : "unknown error");
}

static int cancelled(const struct aras_job *job);

/*
 * A running VM: live and persistent, the live change alone for a transient
 * one.  A VM that is not running (an operator's edit of a shut-off VM):
 * its persistent definition.
 */
static int both_or_live(int rc_both, int (*fn)(virDomainPtr, unsigned long long, unsigned int),
			virDomainPtr dom, unsigned long long v, char *err, size_t errlen, const char *what)
{
	int refused, active, persistent;
	virErrorPtr saved;

	if (rc_both == 0)
		return 0;
	/* the next calls reset libvirt's last error: keep it for the caller's message */
	refused = aras_virt_flag_refused();
	saved = virSaveLastError();
	active = virDomainIsActive(dom);
	persistent = virDomainIsPersistent(dom);
	if (active != 0 && persistent != 0 && !refused) {
		/* the definition refused it: say so, not the live change alone */
		snprintf(err, errlen, "%s: %s", what,
			 saved && saved->message ? saved->message : "unknown error");
		virFreeError(saved);
		return -1;
	}
	virFreeError(saved);
	if (active == 0)
		rc_both = fn(dom, v, VIR_DOMAIN_AFFECT_CONFIG);
	else if (persistent == 0)
		rc_both = fn(dom, v, VIR_DOMAIN_AFFECT_LIVE); /* transient: no definition */
	else if ((rc_both = fn(dom, v, VIR_DOMAIN_AFFECT_LIVE)) == 0)
		/* a driver that takes one of the two at a time (the test driver's setmem) */
		rc_both = fn(dom, v, VIR_DOMAIN_AFFECT_CONFIG);
	if (rc_both < 0)
		aras_virt_errtext(err, errlen, what);
	return rc_both;
}

static int set_vcpus(virDomainPtr dom, unsigned long long n, unsigned int flags)
{
	return virDomainSetVcpusFlags(dom, (unsigned int)n, flags);
}

static int set_mem(virDomainPtr dom, unsigned long long kib, unsigned int flags)
{
	return virDomainSetMemoryFlags(dom, (unsigned long)kib, flags);
}

/* First free virtio target vdb, vdc, ... not used in the domain's XML. */
static int free_target(virDomainPtr dom, char *dev, size_t len)
{
	char *xml = virDomainGetXMLDesc(dom, 0);

	if (!xml)
		return -1;
	for (char c = 'b'; c <= 'z'; c++) {
		char pat[32];

		snprintf(pat, sizeof(pat), "dev='vd%c'", c);
		if (!strstr(xml, pat)) {
			snprintf(dev, len, "vd%c", c);
			free(xml);
			return 0;
		}
	}
	free(xml);
	return -1;
}

static int add_disk(virConnectPtr conn, virDomainPtr dom, const struct aras_job *job, char *err,
		    size_t errlen)
{
	virStoragePoolPtr pool = NULL;
	virStorageVolPtr vol = NULL;
	char name[300], xml[2048], dev[8], uuid[VIR_UUID_STRING_BUFLEN];
	char *path = NULL;
	int rc = -1;

	if (!job->disk_pool[0]) {
		snprintf(err, errlen, "no diskPool configured");
		return -1;
	}
	pool = virStoragePoolLookupByName(conn, job->disk_pool);
	if (!pool) {
		aras_virt_errtext(err, errlen, "storage pool");
		goto cleanup;
	}
	if (free_target(dom, dev, sizeof(dev)) < 0) {
		snprintf(err, errlen, "no free virtio disk target");
		goto cleanup;
	}
	virDomainGetUUIDString(dom, uuid);
	snprintf(name, sizeof(name), "aras-%s-%s.img", uuid, dev);
	snprintf(xml, sizeof(xml),
		 "<volume><name>%s</name><capacity unit='MiB'>%llu</capacity>"
		 "<target><format type='raw'/></target></volume>",
		 name, (unsigned long long)job->amount);
	vol = virStorageVolCreateXML(pool, xml, 0);
	if (!vol || !(path = virStorageVolGetPath(vol))) {
		aras_virt_errtext(err, errlen, "create volume");
		goto cleanup;
	}
	snprintf(xml, sizeof(xml),
		 "<disk type='file' device='disk'><driver name='qemu' type='raw'/>"
		 "<source file='%s'/><target dev='%s' bus='virtio'/></disk>",
		 path, dev);
	if (virDomainAttachDeviceFlags(dom, xml, LIVE_CONFIG) < 0 &&
	    virDomainAttachDeviceFlags(dom, xml, VIR_DOMAIN_AFFECT_LIVE) < 0) {
		aras_virt_errtext(err, errlen, "attach disk");
		virStorageVolDelete(vol, 0);
		goto cleanup;
	}
	rc = 0;
cleanup:
	free(path);
	if (vol)
		virStorageVolFree(vol);
	if (pool)
		virStoragePoolFree(pool);
	return rc;
}

/* The volume behind disk target of dom's definition (a shut-off VM's disk is resized there). */
static virStorageVolPtr disk_volume(virConnectPtr conn, virDomainPtr dom, const char *target, char *err,
				    size_t errlen)
{
	struct aras_clone_disk d;
	char *xml = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE);
	virStoragePoolPtr pool;
	virStorageVolPtr vol;
	int rc;

	if (!xml) {
		aras_virt_errtext(err, errlen, "domain XML");
		return NULL;
	}
	rc = aras_clonexml_disk(xml, strlen(xml), target, &d, err, errlen);
	free(xml);
	if (rc < 0)
		return NULL;
	if (!d.volume) {
		vol = virStorageVolLookupByPath(conn, d.source);
		if (!vol)
			snprintf(err, errlen,
				 "disk %s (%s) of the shut-off VM is in no storage pool: start the VM to "
				 "grow it",
				 target, d.source);
		return vol;
	}
	pool = virStoragePoolLookupByName(conn, d.pool);
	vol = pool ? virStorageVolLookupByName(pool, d.source) : NULL;
	if (pool)
		virStoragePoolFree(pool);
	if (!vol)
		aras_virt_errtext(err, errlen, "volume of the disk");
	return vol;
}

/*
 * Grow a disk: by job->amount MiB (the controller's step), or to
 * job->amount MiB (an operator's edit, disk_absolute); a running VM's
 * live (the guest sees it), a shut-off VM's volume.
 */
static int grow_disk(virConnectPtr conn, virDomainPtr dom, const struct aras_job *job, char *err,
		     size_t errlen)
{
	/* the controller grows the VM's first disk (libvirt resolves "vda" to it on virtio VMs) */
	const char *target = job->disk[0] ? job->disk : "vda";
	unsigned long long want = job->amount * 1024 * 1024;
	char what[64];
	virDomainBlockInfo bi;
	int active = virDomainIsActive(dom), rc;

	snprintf(what, sizeof(what), "block info of %.32s", target);
	if (!job->disk_absolute) {
		if (virDomainGetBlockInfo(dom, target, &bi, 0) < 0) {
			aras_virt_errtext(err, errlen, what);
			return -1;
		}
		want += bi.capacity;
	}
	snprintf(what, sizeof(what), "resize %.32s", target);
	if (active == 1) {
		if (virDomainBlockResize(dom, target, want, VIR_DOMAIN_BLOCK_RESIZE_BYTES) < 0) {
			aras_virt_errtext(err, errlen, what);
			return -1;
		}
		return 0;
	}
	if (active < 0) {
		aras_virt_errtext(err, errlen, "domain state");
		return -1;
	}
	{
		virStorageVolPtr vol = disk_volume(conn, dom, target, err, errlen);

		if (!vol)
			return -1;
		rc = virStorageVolResize(vol, want, 0);
		if (rc < 0)
			aras_virt_errtext(err, errlen, what);
		virStorageVolFree(vol);
	}
	return rc < 0 ? -1 : 0;
}

/*
 * The maximum memory of the definition, for the next boot (QEMU cannot
 * change a running VM's).  libvirt refuses the call for a domain with
 * NUMA cells (hot-pluggable memory has them): its definition is then
 * rewritten (one cell: <memory> and the cell; clonexml.c) and defined again.
 */
static int set_max_memory(virConnectPtr conn, virDomainPtr dom, unsigned long long kib, char *err,
			  size_t errlen)
{
	char *xml, *nxml = NULL, why[256];
	virDomainPtr nd;

	if (set_mem(dom, kib, VIR_DOMAIN_AFFECT_CONFIG | VIR_DOMAIN_MEM_MAXIMUM) == 0)
		return 0;
	aras_virt_errtext(err, errlen, "virDomainSetMemoryFlags (maximum, persistent)");
	if (virDomainIsPersistent(dom) != 1 ||
	    !(xml = virDomainGetXMLDesc(dom, VIR_DOMAIN_XML_INACTIVE | VIR_DOMAIN_XML_SECURE)))
		return -1;
	if (!strstr(xml, "<numa>") ||
	    aras_clonexml_max_memory(xml, strlen(xml), kib, &nxml, why, sizeof(why)) < 0) {
		size_t n = strlen(err);

		if (strstr(xml, "<numa>"))
			snprintf(err + n, errlen - n, "; the definition: %s", why);
		free(xml);
		return -1;
	}
	free(xml);
	nd = virDomainDefineXML(conn, nxml);
	free(nxml);
	if (!nd) {
		aras_virt_errtext(err, errlen, "define with the new maximum memory");
		return -1;
	}
	virDomainFree(nd);
	return 0;
}

int aras_virt_apply(virConnectPtr conn, virDomainPtr dom, const struct aras_job *job, char *err,
		    size_t errlen)
{
	switch (job->kind) {
	case ARAS_KIND_ADD_VCPU:
	case ARAS_KIND_REMOVE_VCPU:
		return both_or_live(set_vcpus(dom, job->amount, LIVE_CONFIG), set_vcpus, dom, job->amount,
				    err, errlen, "virDomainSetVcpusFlags");
	case ARAS_KIND_GROW_MEM:
	case ARAS_KIND_SHRINK_MEM:
		if (job->maximum)
			return set_max_memory(conn, dom, job->amount, err, errlen);
		return both_or_live(set_mem(dom, job->amount, LIVE_CONFIG), set_mem, dom, job->amount, err,
				    errlen, "virDomainSetMemoryFlags");
	case ARAS_KIND_ADD_DISK: return add_disk(conn, dom, job, err, errlen);
	case ARAS_KIND_GROW_DISK: return grow_disk(conn, dom, job, err, errlen);
	}
	snprintf(err, errlen, "unknown action kind %d", job->kind);
	return -1;
}

int aras_virt_migrate(virConnectPtr conn, virDomainPtr dom, const struct aras_job *job, char *err,
		      size_t errlen)
{
	virTypedParameterPtr params = NULL;
	int n = 0, max = 0, rc;
	unsigned int flags = VIR_MIGRATE_LIVE | VIR_MIGRATE_PEER2PEER | VIR_MIGRATE_PERSIST_DEST |
			     VIR_MIGRATE_UNDEFINE_SOURCE;

	(void)conn;
	if (job->unsafe)
		flags |= VIR_MIGRATE_UNSAFE;
	if (job->auto_converge)
		flags |= VIR_MIGRATE_AUTO_CONVERGE;
	if (job->post_copy)
		flags |= VIR_MIGRATE_POSTCOPY;
	if (job->bandwidth_mib) {
		virTypedParamsAddULLong(&params, &n, &max, VIR_MIGRATE_PARAM_BANDWIDTH, job->bandwidth_mib);
		/* the post-copy phase has a cap of its own (MiB/s too); unset it runs unlimited */
		if (job->post_copy)
			virTypedParamsAddULLong(&params, &n, &max, VIR_MIGRATE_PARAM_BANDWIDTH_POSTCOPY,
						job->bandwidth_mib);
	}
	if (job->mig_uri[0]) {
		virTypedParamsAddString(&params, &n, &max, VIR_MIGRATE_PARAM_URI, job->mig_uri);
		/* keep a tcp migration on loopback: the target QEMU listens where told */
		if (strncmp(job->mig_uri, "tcp://127.", 10) == 0)
			virTypedParamsAddString(&params, &n, &max, VIR_MIGRATE_PARAM_LISTEN_ADDRESS,
						"127.0.0.1");
	}
	rc = virDomainMigrateToURI3(dom, job->dst_uri, params, (unsigned int)n, flags);
	if (rc < 0)
		aras_virt_errtext(err, errlen, "virDomainMigrateToURI3");
	virTypedParamsFree(params, n);
	return rc < 0 ? -1 : 0;
}

/*
 * Where the VM of an adopted migration ended: 1 moved (the source no
 * longer has it, or has it shut off "migrated", and the destination, when
 * it answers, runs it), 0 not (err says why).  dom NULL: the source has no
 * such domain any more.
 */
static int moved(virDomainPtr dom, const struct aras_job *job, char *err, size_t errlen)
{
	int st = VIR_DOMAIN_NOSTATE, reason = 0, dst = VIR_DOMAIN_NOSTATE, dreason = 0;
	virConnectPtr dconn;
	virDomainPtr ddom;

	if (dom && virDomainGetState(dom, &st, &reason, 0) < 0 &&
	    virGetLastErrorCode() != VIR_ERR_NO_DOMAIN) {
		aras_virt_errtext(err, errlen, "the VM's state on the source after the adopted migration");
		return 0;
	}
	if (st != VIR_DOMAIN_NOSTATE &&
	    !(st == VIR_DOMAIN_SHUTOFF && reason == VIR_DOMAIN_SHUTOFF_MIGRATED)) {
		snprintf(err, errlen,
			 "the migration the last run started ended without moving the VM (libvirt state %d, "
			 "reason %d on the source)",
			 st, reason);
		return 0;
	}
	if (!job->dst_uri[0] || !(dconn = virConnectOpen(job->dst_uri)))
		return 1; /* the source let it go: moved */
	ddom = virDomainLookupByUUID(dconn, job->uuid);
	if (ddom && virDomainGetState(ddom, &dst, &dreason, 0) < 0)
		dst = VIR_DOMAIN_NOSTATE;
	if (ddom)
		virDomainFree(ddom);
	virConnectClose(dconn);
	if (dst == VIR_DOMAIN_RUNNING || (dst == VIR_DOMAIN_PAUSED && dreason != VIR_DOMAIN_PAUSED_MIGRATION))
		return 1;
	snprintf(err, errlen,
		 "the migration the last run started ended with the VM neither on the source nor running on "
		 "the destination (libvirt state %d there)",
		 dst);
	return 0;
}

int aras_virt_follow_migration(virDomainPtr dom, const struct aras_job *job, char *err, size_t errlen)
{
	const struct timespec step = { 0, 250 * 1000 * 1000 };

	while (dom) {
		virDomainJobInfo info;

		if (virDomainGetJobInfo(dom, &info) < 0) {
			if (virGetLastErrorCode() == VIR_ERR_NO_DOMAIN)
				break; /* gone from the source: VIR_MIGRATE_UNDEFINE_SOURCE */
			if (virConnectIsAlive(virDomainGetConnect(dom)) != 1) {
				aras_virt_errtext(
					err, errlen,
					"lost the source host while following the adopted migration");
				return -1;
			}
		} else if (info.type == VIR_DOMAIN_JOB_NONE || info.type == VIR_DOMAIN_JOB_COMPLETED ||
			   info.type == VIR_DOMAIN_JOB_FAILED || info.type == VIR_DOMAIN_JOB_CANCELLED) {
			break;
		}
		if (cancelled(job)) {
			snprintf(err, errlen,
				 "arasd stopped while following the adopted migration (it goes on in "
				 "libvirt)");
			return -1;
		}
		nanosleep(&step, NULL);
	}
	return moved(dom, job, err, errlen) ? 0 : -1;
}

/* ---- a migration's statistics ---- */

static void read_stats(virTypedParameterPtr p, int n, struct aras_mig_stats *st)
{
	unsigned long long v;

	if (virTypedParamsGetULLong(p, n, VIR_DOMAIN_JOB_DATA_PROCESSED, &v) == 1)
		st->processed = v;
	if (virTypedParamsGetULLong(p, n, VIR_DOMAIN_JOB_DATA_REMAINING, &v) == 1)
		st->remaining = v;
	if (virTypedParamsGetULLong(p, n, VIR_DOMAIN_JOB_DATA_TOTAL, &v) == 1)
		st->total = v;
	if (virTypedParamsGetULLong(p, n, VIR_DOMAIN_JOB_DOWNTIME, &v) == 1)
		st->downtime_ms = v;
	if (virTypedParamsGetULLong(p, n, VIR_DOMAIN_JOB_TIME_ELAPSED, &v) == 1)
		st->elapsed_ms = v;
}

int aras_virt_job_stats(virDomainPtr dom, int completed, struct aras_mig_stats *st)
{
	virTypedParameterPtr p = NULL;
	int n = 0, type = VIR_DOMAIN_JOB_NONE;

	memset(st, 0, sizeof(*st));
	/* KEEP_COMPLETED: reading them does not take them from virsh domjobinfo --completed */
	if (virDomainGetJobStats(
		    dom, &type, &p, &n,
		    completed ? VIR_DOMAIN_JOB_STATS_COMPLETED | VIR_DOMAIN_JOB_STATS_KEEP_COMPLETED : 0) < 0)
		return -1;
	if (type == VIR_DOMAIN_JOB_NONE || (completed && type != VIR_DOMAIN_JOB_COMPLETED)) {
		virTypedParamsFree(p, n);
		return 0;
	}
	read_stats(p, n, st);
	st->completed = completed;
	virTypedParamsFree(p, n);
	return 1;
}

int aras_virt_completed_stats(virDomainPtr src, const struct aras_job *job, struct aras_mig_stats *st)
{
	virConnectPtr dconn;
	virDomainPtr ddom;
	int rc = 0;

	/* With UNDEFINE_SOURCE the source's domain is usually gone by now. */
	if (aras_virt_job_stats(src, 1, st) == 1) {
		aras_log_tok(LOG_INFO, "virt", "action %u: completed job statistics from the source",
			     (unsigned)job->action);
		return 1;
	}
	if (!job->dst_uri[0] || !(dconn = virConnectOpen(job->dst_uri)))
		return 0;
	/* the destination keeps the completed job's statistics the source sent it */
	ddom = virDomainLookupByUUID(dconn, job->uuid);
	if (ddom) {
		rc = aras_virt_job_stats(ddom, 1, st) == 1;
		if (rc)
			aras_log_tok(LOG_INFO, "virt",
				     "action %u: completed job statistics from the destination",
				     (unsigned)job->action);
		virDomainFree(ddom);
	}
	virConnectClose(dconn);
	return rc;
}

/* ---- life cycle ---- */

int aras_virt_flag_refused(void)
{
	int code = virGetLastErrorCode();

	return code == VIR_ERR_INVALID_ARG || code == VIR_ERR_NO_SUPPORT ||
	       code == VIR_ERR_ARGUMENT_UNSUPPORTED;
}

static int cancelled(const struct aras_job *job)
{
	return job->cancel && __atomic_load_n(job->cancel, __ATOMIC_ACQUIRE);
}

/* Poll the state until shut off: 0, 1 on timeout, 2 when cancelled, -1 on error. */
static int wait_off(virDomainPtr dom, const struct aras_job *job, unsigned timeout_s)
{
	const struct timespec step = { 0, 100 * 1000 * 1000 };
	struct timespec now, until;

	clock_gettime(CLOCK_MONOTONIC, &until);
	until.tv_sec += timeout_s;
	for (;;) {
		int st, reason;

		if (virDomainGetState(dom, &st, &reason, 0) < 0)
			return -1;
		if (st == VIR_DOMAIN_SHUTOFF)
			return 0;
		if (cancelled(job))
			return 2;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec > until.tv_sec || (now.tv_sec == until.tv_sec && now.tv_nsec >= until.tv_nsec))
			return 1;
		nanosleep(&step, NULL);
	}
}

static int shutdown_vm(virDomainPtr dom, const struct aras_job *job, char *err, size_t errlen, int *forced)
{
	unsigned t = job->timeout_s ? job->timeout_s : 120;
	int rc;

	if (virDomainShutdownFlags(dom, VIR_DOMAIN_SHUTDOWN_ACPI_POWER_BTN) < 0 &&
	    (!aras_virt_flag_refused() || virDomainShutdown(dom) < 0)) {
		aras_virt_errtext(err, errlen, "virDomainShutdownFlags (ACPI power button)");
		return -1;
	}
	rc = wait_off(dom, job, t);
	if (rc < 0) {
		aras_virt_errtext(err, errlen, "virDomainGetState");
		return -1;
	}
	if (rc == 0)
		return 0;
	if (rc == 2) {
		snprintf(err, errlen,
			 "arasd stopped before the guest powered off (the ACPI power button was pressed)");
		return -1;
	}
	if (job->kind != ARAS_KIND_SHUTDOWN_FORCE) {
		snprintf(err, errlen,
			 "guest did not power off within %u s of the ACPI power button; it was left running "
			 "(shutdownForce(4) or destroy(5) power it off)",
			 t);
		return -1;
	}
	if (virDomainDestroy(dom) < 0) {
		aras_virt_errtext(err, errlen, "virDomainDestroy after the shutdown timeout");
		return -1;
	}
	*forced = 1;
	return 0;
}

int aras_virt_lifecycle(virDomainPtr dom, const struct aras_job *job, char *err, size_t errlen, int *forced)
{
	const char *what = NULL;
	int rc = -1;

	switch (job->kind) {
	case ARAS_KIND_START:
		what = "virDomainCreate";
		rc = virDomainCreate(dom);
		break;
	case ARAS_KIND_RESTORE:
		if (virDomainHasManagedSaveImage(dom, 0) != 1) {
			snprintf(err, errlen, "no managed save image to restore");
			return -1;
		}
		what = "virDomainCreate (restore the managed save image)";
		rc = virDomainCreate(dom);
		break;
	case ARAS_KIND_SHUTDOWN:
	case ARAS_KIND_SHUTDOWN_FORCE: return shutdown_vm(dom, job, err, errlen, forced);
	case ARAS_KIND_DESTROY:
		what = "virDomainDestroy";
		rc = virDomainDestroy(dom);
		break;
	case ARAS_KIND_REBOOT:
		what = "virDomainReboot (ACPI power button)";
		rc = virDomainReboot(dom, VIR_DOMAIN_REBOOT_ACPI_POWER_BTN);
		if (rc < 0 && aras_virt_flag_refused())
			rc = virDomainReboot(dom, 0);
		break;
	case ARAS_KIND_SUSPEND:
		what = "virDomainSuspend";
		rc = virDomainSuspend(dom);
		break;
	case ARAS_KIND_RESUME:
		what = "virDomainResume";
		rc = virDomainResume(dom);
		break;
	case ARAS_KIND_MANAGED_SAVE:
		what = "virDomainManagedSave";
		rc = virDomainManagedSave(dom, 0);
		break;
	case ARAS_KIND_UNDEFINE:
		/*
		 * virsh undefine --managed-save --snapshots-metadata: the
		 * definition, its managed save image and its snapshots'
		 * metadata go; every disk (and a snapshot's data inside a
		 * qcow2 image) stays.  A driver that knows neither flag gets
		 * the plain call, which refuses a VM that has either.
		 */
		if (virDomainIsActive(dom) != 0) {
			/* started since the SET was checked: libvirt would make it transient, not remove it */
			snprintf(err, errlen, "the VM is running (or its state is unknown): not undefined");
			return -1;
		}
		/* a UEFI VM's NVRAM file stays with its disks; checkpoints' metadata goes */
		what = "virDomainUndefineFlags (managed save, snapshot and checkpoint metadata, keep NVRAM)";
		rc = virDomainUndefineFlags(dom, VIR_DOMAIN_UNDEFINE_MANAGED_SAVE |
							 VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA |
							 VIR_DOMAIN_UNDEFINE_CHECKPOINTS_METADATA |
							 VIR_DOMAIN_UNDEFINE_KEEP_NVRAM);
		if (rc < 0 && aras_virt_flag_refused()) {
			what = "virDomainUndefineFlags (managed save, snapshot metadata)";
			rc = virDomainUndefineFlags(dom, VIR_DOMAIN_UNDEFINE_MANAGED_SAVE |
								 VIR_DOMAIN_UNDEFINE_SNAPSHOTS_METADATA);
		}
		if (rc < 0 && aras_virt_flag_refused()) {
			what = "virDomainUndefine";
			rc = virDomainUndefine(dom);
		}
		break;
	default: snprintf(err, errlen, "not a life-cycle command: kind %d", job->kind); return -1;
	}
	if (rc < 0)
		aras_virt_errtext(err, errlen, what);
	return rc < 0 ? -1 : 0;
}
