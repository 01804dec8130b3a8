/*
 * job.h - an allocation job and its result, as the loop hands it to a
 * host's worker (collect.h) and the worker to exec.c.  Types only.
 */
#ifndef ARAS_VIRT_JOB_H
#define ARAS_VIRT_JOB_H

#include "core/aras.h"

#include <stdint.h>

/* An allocation action to run on a host's connection (see exec.c). */
struct aras_job {
	uint32_t action; /* arasActionIndex, echoed in the result */
	int kind;        /* enum aras_kind */
	uint8_t uuid[ARAS_UUID_LEN];
	uint64_t amount;     /* vCPUs, KiB, or MiB by kind */
	char dst_uri[1024];  /* migrate: destination libvirt URI */
	char mig_uri[1024];  /* migrate: optional data URI (unix:// or tcp://127.0.0.1:port) */
	char disk_pool[256]; /* add disk: storage pool */
	unsigned timeout_s;  /* migrate: abort after this */
	int unsafe;          /* migrate: VIR_MIGRATE_UNSAFE (disks libvirt cannot prove shared) */
	const int *cancel;   /* long jobs: nonzero (atomic) when arasd stops; NULL: never */
};

struct aras_job_result {
	uint32_t action;
	int ok;
	char err[ARAS_ERRTEXT_MAX];
	uint64_t ms; /* how long it ran */
	int detail;  /* enum aras_result_detail (core/engine.h): ARAS_RESULT_FORCED */
};

#endif
