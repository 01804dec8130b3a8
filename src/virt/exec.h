/*
 * exec.h - allocation actions on one libvirt domain: vCPU hot-add, balloon,
 * new or larger disk, live migration, life-cycle commands.  Called from
 * the host's worker (or the thread of a long job: a migration or a
 * life-cycle command, collect.c), never from the loop.
 */
#ifndef ARAS_VIRT_EXEC_H
#define ARAS_VIRT_EXEC_H

#include "job.h"

#include <libvirt/libvirt.h>

/*
 * libvirt's last error says the driver does not take a flag (the test
 * driver): the caller then makes the plain call.
 */
int aras_virt_flag_refused(void);
/* vCPU / memory / disk change; 0, or -1 with libvirt's error text in err. */
int aras_virt_apply(virConnectPtr conn, virDomainPtr dom, const struct aras_job *job, char *err,
		    size_t errlen);
/* Live migration (peer to peer, persistent on the target, undefined on the source): 0 or -1, err. */
int aras_virt_migrate(virConnectPtr conn, virDomainPtr dom, const struct aras_job *job, char *err,
		      size_t errlen);
/*
 * A live migration of dom in flight that this arasd did not start (the
 * last run's, adopted at start): wait for libvirt's job on the source to
 * end, then 0 when the VM moved (the source let it go; the destination
 * runs it), -1 with err when it did not, the source's connection died or
 * arasd stops meanwhile.  dom NULL: the source has the domain no more
 * (the destination alone says how it ended).
 */
int aras_virt_follow_migration(virDomainPtr dom, const struct aras_job *job, char *err, size_t errlen);
/*
 * The job statistics of dom's running migration (completed = 0) or of its
 * completed job (completed = 1): 1 and *st filled, 0 when there is none,
 * -1 on error.
 */
int aras_virt_job_stats(virDomainPtr dom, int completed, struct aras_mig_stats *st);
/*
 * A successful migration's completed job statistics: from the source if it
 * still has the domain, else from the destination (job->dst_uri), which
 * keeps the statistics the source sent it.  1 and *st, or 0.
 */
int aras_virt_completed_stats(virDomainPtr src, const struct aras_job *job, struct aras_mig_stats *st);
/*
 * A life-cycle command (ARAS_KIND_START .. ARAS_KIND_RESTORE): 0 or -1,
 * err.  Shutdowns wait up to job->timeout_s for the VM to power off.
 */
int aras_virt_lifecycle(virDomainPtr dom, const struct aras_job *job, char *err, size_t errlen, int *forced);
/* "what: libvirt's last error" into buf. */
void aras_virt_errtext(char *buf, size_t len, const char *what);

#endif
