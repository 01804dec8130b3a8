/*
 * trace.h - recorded utilisation traces for arasd-replay: the PlanetLab
 * and Bitbrains (GWA-T-12) formats of ../shared/traces/, and the history
 * file arasd writes with historyFile.  A loaded trace is a matrix of
 * samples (VM x step) at a fixed step; what a CPU figure means depends on
 * the format (cpu_unit) and is turned into MHz by cluster.c.  Pure C11.
 *
 * History file (written by arasd when historyFile is set), one line per
 * VM per poll, '#' starts a comment, fields separated by blanks:
 *
 *   T_UNIX HOST_INDEX UUID CPU_PCT VCPUS MEM_CUR_KIB MEM_USAGE_PCT IO_PCT
 *
 *   T_UNIX         wall-clock time of the poll (seconds since the epoch)
 *   HOST_INDEX     arasHostIndex of the host the VM ran on
 *   UUID           the VM's UUID (8-4-4-4-12)
 *   CPU_PCT        CPU use in percent of the VM's vCPUs over the last poll
 *                  interval (may exceed 100 only through rounding)
 *   VCPUS          vCPUs the VM had
 *   MEM_CUR_KIB    its current memory (balloon) in KiB
 *   MEM_USAGE_PCT  memory in use, percent of MEM_CUR_KIB (guest view, or
 *                  the host view when the guest has no balloon statistics)
 *   IO_PCT         disk I/O in percent of diskIoCapacity
 *
 * Lines are bucketed into steps of step_s seconds from the first T_UNIX;
 * several lines of one VM in one step are averaged.  A VM is known from
 * its first line; in steps where it has no line its demand is 0.  Its
 * first line gives its size (VCPUS, MEM_CUR_KIB) and initial host.
 */
#ifndef ARAS_REPLAY_TRACE_H
#define ARAS_REPLAY_TRACE_H

#include "core/aras.h"

#include <stddef.h>
#include <stdint.h>

/*
 * Limits (a bad or hostile trace gets an error naming file and line, never
 * an allocation it cannot have): at most ARAS_TRACE_MAX_STEPS steps and
 * ARAS_TRACE_MAX_SAMPLES samples (VMs x steps); history HOST_INDEX 1..65535
 * (arasHostIndex), VCPUS 0..ARAS_TRACE_MAX_VCPUS, MEM_CUR_KIB at most
 * ARAS_TRACE_MAX_KIB, percentages 0..1000; Bitbrains fields finite and
 * within 0..ARAS_TRACE_MAX_FIELD, never negative (cores 0..ARAS_TRACE_MAX_VCPUS).
 */
#define ARAS_TRACE_MAX_STEPS 1000000u
#define ARAS_TRACE_MAX_SAMPLES (1u << 25)
#define ARAS_TRACE_MAX_VCPUS 4096u
#define ARAS_TRACE_MAX_KIB (1ull << 40)
#define ARAS_TRACE_MAX_FIELD 1e12

enum aras_trace_format {
	ARAS_TRACE_AUTO = 0,
	ARAS_TRACE_PLANETLAB = 1,
	ARAS_TRACE_BITBRAINS = 2,
	ARAS_TRACE_HISTORY = 3
};

/* What the cpu matrix holds. */
enum aras_trace_cpu_unit {
	ARAS_CPU_PCT_OF_REQ = 1, /* percent of the VM's requested capacity (PlanetLab) */
	ARAS_CPU_MHZ = 2,        /* absolute MHz used (Bitbrains) */
	ARAS_CPU_CORES = 3,      /* cores used: CPU_PCT * VCPUS / 100 (history) */
};

struct aras_trace_vm {
	char *name;
	uint8_t uuid[ARAS_UUID_LEN];
	/* Sizes the trace gives (0 = not given). */
	unsigned cores;   /* Bitbrains: provisioned cores; history: first VCPUS */
	double req_mhz;   /* Bitbrains: provisioned MHz */
	uint64_t mem_kib; /* Bitbrains: provisioned; history: first MEM_CUR_KIB */
	unsigned host;    /* history: first HOST_INDEX */
};

struct aras_trace {
	int format;   /* enum aras_trace_format */
	int cpu_unit; /* enum aras_trace_cpu_unit */
	unsigned step_s;
	size_t nvms, nsteps;
	struct aras_trace_vm *vms;
	float *cpu;     /* [vm * nsteps + step] */
	float *mem_kib; /* memory in use, KiB; NULL when the format has none */
	float *io_kibs; /* disk read + write, KiB/s; NULL when none */
};

/*
 * Load path (a file, or for Bitbrains a directory of vmN.csv files).
 * format AUTO guesses: a directory or a ';'-separated header -> Bitbrains,
 * a line of 8 fields with a UUID -> history, else PlanetLab.  step_s is
 * the history bucket (0: 300); the other formats are at 300 s.
 * 0, or a negative aras_err with "path:line: reason" in why.
 */
int aras_trace_load(const char *path, int format, unsigned step_s, struct aras_trace *t, char *why,
		    size_t whylen);
void aras_trace_free(struct aras_trace *t);

/* Keep only the first nsteps steps (no-op when nsteps >= t->nsteps or 0). */
void aras_trace_truncate(struct aras_trace *t, size_t nsteps);
/* Keep only the first nvms VMs (no-op when nvms >= t->nvms or 0). */
void aras_trace_keep_vms(struct aras_trace *t, size_t nvms);

const char *aras_trace_format_name(int format);

/* The synthetic UUID of VM i of a trace without UUIDs: sorts in trace order. */
void aras_trace_uuid(size_t i, uint8_t uuid[ARAS_UUID_LEN]);

#endif
