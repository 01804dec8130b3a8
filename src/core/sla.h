/*
 * sla.h - the SLA monitor: per VM and resource a small state machine
 * (ok -> pending -> firing -> clearing -> ok) driven by samples and time.
 * An alert fires once, when the condition has held for the hold time, is
 * not repeated while it lasts, and clears only when usage has stayed below
 * threshold minus margin for the hold time (hysteresis both ways).
 * Pure C11.
 */
#ifndef ARAS_SLA_H
#define ARAS_SLA_H

#include "alert.h"
#include "model.h"
#include "state.h"

#include <stdint.h>

struct aras_sla_params {
	unsigned threshold; /* percent; 0 = this resource is not monitored */
	unsigned margin;    /* clear below threshold - margin */
	unsigned hold_s;
};

enum aras_sla_event { ARAS_SLA_NONE = 0, ARAS_SLA_FIRE = 1, ARAS_SLA_CLEAR = 2 };

/* One sample for one track; returns the event it causes, if any. */
int aras_sla_step(struct aras_sla_track *t, unsigned value, const struct aras_sla_params *p, uint64_t now_ms);

/* Effective parameters of a resource for a VM (per-VM override wins when non-zero). */
void aras_sla_params_for(const struct aras_state *st, const uint8_t uuid[ARAS_UUID_LEN], int resource,
			 struct aras_sla_params *p);

/* The value of a resource for a VM (cpu_usage, mem_usage, io_usage). */
unsigned aras_sla_value(const struct aras_vm *vm, int resource);

typedef void aras_alert_fn(const struct aras_alert *a, void *arg);

/*
 * Evaluate every running VM of host_index whose figures come from a real
 * interval; calls emit for each breach and clear; sets each VM's
 * alert_state (the most serious of its resources) and class (the resource
 * furthest over its threshold among those firing or clearing, else
 * normal).  A VM that stops running (shut off, crashed, ...) while an
 * alert is active gets its clear, with a text saying why; a VM whose host
 * is unreachable keeps its state until the host answers again.
 */
/* States in which a VM's alerts end (shut off, shutting down, crashed, suspended to RAM/disk by the guest). */
int aras_sla_not_running(int state);
/*
 * vm stopped running: its pending alerts are dropped, firing ones clear
 * (emit, "no longer running"), its class is normal again.  Called by
 * aras_sla_evaluate and, at once, on a domain event (engine.c).
 */
void aras_sla_stopped(struct aras_vm *vm, const struct aras_state *st, const struct aras_host *h, time_t wall,
		      aras_alert_fn *emit, void *arg);
void aras_sla_evaluate(struct aras_model *m, const struct aras_state *st, unsigned host_index,
		       uint64_t now_ms, time_t wall, aras_alert_fn *emit, void *arg);

#endif
