/*
 * job.h - an allocation job and its result, as the loop hands it to a
 * host's worker (collect.h) and the worker to exec.c.  Types only.
 */
#ifndef ARAS_VIRT_JOB_H
#define ARAS_VIRT_JOB_H

#include "core/aras.h"
#include "core/plan.h"

#include <stdint.h>

/* An allocation action to run on a host's connection (see exec.c). */
struct aras_job {
	uint32_t action; /* arasActionIndex, echoed in the result */
	int kind;        /* enum aras_kind */
	uint8_t uuid[ARAS_UUID_LEN];
	uint64_t amount; /* vCPUs, KiB, or MiB by kind */
	int maximum;     /* grow/shrinkMemory: the maximum, persistent definition only (next boot) */
	char disk[ARAS_DEV_TARGET_MAX]; /* growDisk: the disk ("" = vda) */
	int disk_absolute;              /* growDisk: amount is the new size (MiB), not an increment */
	char dst_uri[1024];             /* migrate, clone: destination libvirt URI */
	char mig_uri[1024];             /* migrate: optional data URI (unix:// or tcp://127.0.0.1:port) */
	char disk_pool[256];            /* add disk: storage pool */
	unsigned timeout_s;             /* migrate: abort after this */
	int unsafe;                     /* migrate: VIR_MIGRATE_UNSAFE (disks libvirt cannot prove shared) */
	/* migrate: the envelope (core/engine.h struct aras_mig_envelope) */
	uint32_t bandwidth_mib;     /* VIR_MIGRATE_PARAM_BANDWIDTH, 0 = unlimited */
	int auto_converge;          /* VIR_MIGRATE_AUTO_CONVERGE */
	int post_copy;              /* VIR_MIGRATE_POSTCOPY ... */
	unsigned post_copy_after_s; /* ... and virDomainMigrateStartPostCopy after this */
	/* clone: the new VM's name, start it once defined; dst_uri empty: on this host */
	char clone_name[ARAS_CLONE_NAME_MAX + 1];
	int clone_start;
	int adopt; /* migrate: follow the migration in flight (the last run's) to its end, start none */
	const int *cancel; /* long jobs: nonzero (atomic) when arasd stops; NULL: never */
};

/* What a message on the result pipe is. */
enum aras_job_msg {
	ARAS_JOB_RESULT = 0,   /* the job ended (ok, err, detail; stats if has_stats) */
	ARAS_JOB_PROGRESS = 1, /* a running migration's progress (stats) */
};

struct aras_job_result {
	int msg; /* enum aras_job_msg */
	uint32_t action;
	int ok;
	char err[ARAS_ERRTEXT_MAX];
	int detail; /* enum aras_result_detail (core/engine.h): ARAS_RESULT_FORCED */
	int has_stats;
	struct aras_mig_stats stats; /* PROGRESS, or a migration's completed job */
};

#endif
