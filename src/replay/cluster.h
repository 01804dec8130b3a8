/*
 * cluster.h - the simulated cluster's shape for arasd-replay: hosts (cores,
 * core speed, memory), each trace VM's size (requested capacity, memory,
 * vCPUs now and at most) and initial placement, and the per-step demand
 * in absolute units (MHz; PlanetLab's MIPS are read as MHz).  Built from
 * options and an optional cluster file; deterministic.  Pure C11.
 *
 * Cluster file, one item per line, '#' comments:
 *   host NAME CORES MHZ MEM_MIB [COUNT]   COUNT hosts of this kind (named
 *                                         NAME1..NAMEn when COUNT > 1);
 *                                         host indexes 1, 2, ... in file order
 *   vmtype MHZ MEM_MIB                    PlanetLab VM types, in order (replace
 *                                         the paper's four)
 *   vcpus START MAX                       vCPUs of every VM at start / at most
 *   vm NAME HOST [MHZ MEM_MIB [VCPUS [VCPUS_MAX]]]
 *                                         place trace VM NAME on HOST (name or
 *                                         index) and optionally size it
 *   bandwidth MBIT                        migration link speed
 *   memuse PCT                            guest memory in use when the trace
 *                                         has no memory figures
 * Options given on the command line override the file.
 */
#ifndef ARAS_REPLAY_CLUSTER_H
#define ARAS_REPLAY_CLUSTER_H

/* Sizing by a history's host indexes makes at most this many hosts. */
#define ARAS_CL_MAX_RECORDED_HOSTS 1024u

#include "trace.h"

#include <stddef.h>
#include <stdint.h>

struct aras_cl_host {
	char name[64];
	unsigned cores;
	double core_mhz;
	uint64_t mem_kib;
};

struct aras_cl_vm {
	unsigned host;  /* initial host, position in hosts[] */
	double req_mhz; /* requested (provisioned) capacity */
	uint64_t mem_kib, mem_max_kib;
	unsigned vcpus, vcpus_max;
	unsigned type; /* PlanetLab VM type (0-based), else 0 */
};

struct aras_cluster {
	size_t nhosts, nvms, nsteps;
	struct aras_cl_host *hosts;
	struct aras_cl_vm *vms;
	double bandwidth_mbit;
	float *demand_mhz;   /* [vm * nsteps + step] */
	float *mem_used_kib; /* [vm * nsteps + step] */
	float *io_kibs;      /* [vm * nsteps + step]; NULL: no I/O */
	char placement[128]; /* how the initial placement was made */
	char sizing[256];    /* how the number of hosts was chosen */
	char vmsizes[256];   /* how VM sizes were derived */
};

struct aras_cluster_opts {
	const char *file;          /* cluster file, or NULL */
	unsigned hosts;            /* 0: see vms_per_host */
	unsigned vms_per_host;     /* 0: history: highest HOST_INDEX; else sized by util_pct */
	unsigned util_pct;         /* 0: ARAS_CL_DEF_UTIL */
	unsigned host_cores;       /* 0: default of the format */
	double host_mhz;           /* 0: default */
	uint64_t host_mem_mib;     /* 0: default */
	unsigned vcpus, vcpus_max; /* 0: default of the format */
	int vcpus_half;            /* start with half the default vCPUs (at least 1) */
	double bandwidth_mbit;     /* 0: 1000 */
	unsigned mem_use_pct;      /* 0: 50 */
	uint32_t io_cap_kib;       /* history: what IO_PCT is a percentage of */
};

/* Defaults (documented in --help and the README). */
#define ARAS_CL_DEF_UTIL 50
#define ARAS_CL_DEF_BANDWIDTH 1000.0
#define ARAS_CL_DEF_MEMUSE 50
/*
 * A default cluster (sized by utilisation or memory) has at least this
 * many hosts: with one host no policy can migrate, and with two or three a
 * hot host has one or two possible targets, often busy at the same time
 * (correlated load), so the replay would say little about placement.
 * When the utilisation rule gives fewer (a light trace on big hosts),
 * the cluster gets this many hosts, each with as few cores as keep the
 * utilisation (never fewer than the largest VM's vCPUs; not with
 * --host-cores nor for PlanetLab's fixed host kinds).  --hosts,
 * --vms-per-host, a cluster file or a history's host indexes are taken as
 * given.
 */
#define ARAS_CL_MIN_HOSTS 4

/* 0, or a negative aras_err with a reason ("file:line: ..."). */
int aras_cluster_build(const struct aras_cluster_opts *o, const struct aras_trace *t, struct aras_cluster *c,
		       char *why, size_t whylen);
void aras_cluster_free(struct aras_cluster *c);

/* CPU capacity of a host in MHz. */
double aras_cl_host_mhz(const struct aras_cl_host *h);

#endif
