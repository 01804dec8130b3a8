/*
 * sla.c - see sla.h.
 */
#include "sla.h"

#include <limits.h>
#include <stdio.h>
#include <string.h>

int aras_sla_step(struct aras_sla_track *t, unsigned value, const struct aras_sla_params *p, uint64_t now_ms)
{
	uint64_t hold_ms = (uint64_t)p->hold_s * 1000;
	/* 0 % always counts as recovered, even with a margin >= the threshold */
	unsigned low = p->threshold > p->margin ? p->threshold - p->margin : 1;
	int over = p->threshold > 0 && value >= p->threshold;
	int under = value < low;

	t->value = value;
	if (t->state == 0)
		t->state = ARAS_ALERT_OK;
	if (p->threshold == 0) {
		/* Not monitored (any more): a firing alert ends now. */
		int was = t->state == ARAS_ALERT_FIRING || t->state == ARAS_ALERT_CLEARING;

		t->state = ARAS_ALERT_OK;
		return was ? ARAS_SLA_CLEAR : ARAS_SLA_NONE;
	}
	switch (t->state) {
	case ARAS_ALERT_OK:
		if (!over)
			return ARAS_SLA_NONE;
		t->state = ARAS_ALERT_PENDING;
		t->since_ms = now_ms;
		/* A hold time of 0 fires on this very sample. */
		__attribute__((fallthrough));
	case ARAS_ALERT_PENDING:
		if (!over) {
			t->state = ARAS_ALERT_OK;
			return ARAS_SLA_NONE;
		}
		if (now_ms - t->since_ms < hold_ms)
			return ARAS_SLA_NONE;
		t->state = ARAS_ALERT_FIRING;
		return ARAS_SLA_FIRE;
	case ARAS_ALERT_FIRING:
		if (!under)
			return ARAS_SLA_NONE;
		t->state = ARAS_ALERT_CLEARING;
		t->since_ms = now_ms;
		__attribute__((fallthrough));
	case ARAS_ALERT_CLEARING:
		if (!under) {
			t->state = ARAS_ALERT_FIRING;
			return ARAS_SLA_NONE;
		}
		if (now_ms - t->since_ms < hold_ms)
			return ARAS_SLA_NONE;
		t->state = ARAS_ALERT_OK;
		return ARAS_SLA_CLEAR;
	}
	return ARAS_SLA_NONE;
}

static const int thr_setting[ARAS_NRES] = { ARAS_S_CPU_THRESHOLD, ARAS_S_MEM_THRESHOLD,
					    ARAS_S_DISK_THRESHOLD };

void aras_sla_params_for(const struct aras_state *st, const uint8_t uuid[ARAS_UUID_LEN], int resource,
			 struct aras_sla_params *p)
{
	const struct aras_vm_prefs *pr = aras_state_find_prefs(st, uuid);
	int r = resource - ARAS_RES_CPU;

	p->threshold = st->settings.v[thr_setting[r]];
	if (pr && pr->thr[r])
		p->threshold = pr->thr[r];
	p->margin = st->settings.v[ARAS_S_CLEAR_MARGIN];
	p->hold_s = st->settings.v[ARAS_S_HOLD_TIME];
}

unsigned aras_sla_value(const struct aras_vm *vm, int resource)
{
	switch (resource) {
	case ARAS_RES_CPU: return vm->cpu_usage;
	case ARAS_RES_MEM: return vm->mem_usage;
	case ARAS_RES_DISK: return vm->io_usage;
	}
	return 0;
}

/* Seriousness for arasVmAlertState: firing > clearing > pending > ok. */
static int rank(int state)
{
	switch (state) {
	case ARAS_ALERT_FIRING: return 3;
	case ARAS_ALERT_CLEARING: return 2;
	case ARAS_ALERT_PENDING: return 1;
	}
	return 0;
}

static void fill_alert(struct aras_alert *a, int type, const struct aras_vm *vm, const struct aras_host *h,
		       int resource, unsigned value, unsigned threshold, time_t wall)
{
	aras_alert_init(a, type, wall, vm->uuid, vm->name, vm->host, h ? h->name : "", resource);
	a->value = value;
	a->threshold = threshold;
}

/* A VM that stopped running: its active alerts end, saying why. */
void aras_sla_stopped(struct aras_vm *vm, const struct aras_state *st, const struct aras_host *h, time_t wall,
		      aras_alert_fn *emit, void *arg)
{
	for (int r = 0; r < ARAS_NRES; r++) {
		struct aras_sla_track *t = &vm->sla[r];
		struct aras_sla_params p;
		struct aras_alert a;

		if (t->state == ARAS_ALERT_PENDING)
			t->state = ARAS_ALERT_OK;
		if (t->state != ARAS_ALERT_FIRING && t->state != ARAS_ALERT_CLEARING)
			continue;
		t->state = ARAS_ALERT_OK;
		if (!emit)
			continue;
		aras_sla_params_for(st, vm->uuid, ARAS_RES_CPU + r, &p);
		fill_alert(&a, ARAS_EV_CLEAR, vm, h, ARAS_RES_CPU + r, 0, p.threshold, wall);
		snprintf(a.text, sizeof(a.text), "%s alert ended: the VM is no longer running",
			 aras_resource_name(a.resource));
		emit(&a, arg);
	}
	vm->alert_state = ARAS_ALERT_OK;
	vm->vm_class = ARAS_CLASS_NORMAL;
}

int aras_sla_not_running(int state)
{
	return state == ARAS_VM_SHUTOFF || state == ARAS_VM_SHUTDOWN || state == ARAS_VM_CRASHED ||
	       state == ARAS_VM_PMSUSPENDED;
}

/*
 * A disk alert names the VM's disks that matter: the busiest (the most
 * bytes/s over the last interval) and the fullest (allocation / capacity),
 * when the hypervisor reports them (issue 23).
 */
static void disk_named(struct aras_alert *a, const struct aras_vm *vm)
{
	const struct aras_disk *full = aras_devices_fullest(&vm->dev), *busy = NULL;
	size_t n = strlen(a->text);

	for (size_t i = 0; i < vm->dev.ndisks; i++) {
		const struct aras_disk *d = &vm->dev.disks[i];

		if (d->rates_valid && (uint64_t)d->rd_rate + d->wr_rate > 0 &&
		    (!busy || (uint64_t)d->rd_rate + d->wr_rate > (uint64_t)busy->rd_rate + busy->wr_rate))
			busy = d;
	}
	if (busy && n < sizeof(a->text))
		n += (size_t)snprintf(a->text + n, sizeof(a->text) - n, "; busiest disk %s", busy->target);
	if (full && n < sizeof(a->text))
		snprintf(a->text + n, sizeof(a->text) - n, "; fullest disk %s %u%%", full->target,
			 full->usage);
}

static const int class_of[ARAS_NRES] = { ARAS_CLASS_CPU, ARAS_CLASS_MEM, ARAS_CLASS_IO };

void aras_sla_evaluate(struct aras_model *m, const struct aras_state *st, unsigned host_index,
		       uint64_t now_ms, time_t wall, aras_alert_fn *emit, void *arg)
{
	struct aras_host *h = aras_model_host(m, host_index);

	/* the host itself, against hostCpuHigh: the controller's host trigger */
	if (h && h->usage_valid) {
		struct aras_sla_params hp = { st->settings.v[ARAS_S_HOST_CPU_HIGH],
					      st->settings.v[ARAS_S_CLEAR_MARGIN],
					      st->settings.v[ARAS_S_HOLD_TIME] };

		aras_sla_step(&h->cpu_track, h->cpu_usage, &hp, now_ms);
	}
	for (size_t i = 0; i < m->nvms; i++) {
		struct aras_vm *vm = m->vms[i];
		int worst = ARAS_ALERT_OK, cls = ARAS_CLASS_NORMAL, best_excess = INT_MIN;

		if (vm->host != host_index)
			continue;
		if (aras_sla_not_running(vm->state)) {
			aras_sla_stopped(vm, st, h, wall, emit, arg);
			continue;
		}
		/* paused, or the host unreachable: keep the state until it runs again */
		if (!vm->rates_valid || (vm->state != ARAS_VM_RUNNING && vm->state != ARAS_VM_BLOCKED))
			continue;
		for (int r = 0; r < ARAS_NRES; r++) {
			struct aras_sla_params p;
			struct aras_sla_track *t = &vm->sla[r];
			unsigned v = aras_sla_value(vm, ARAS_RES_CPU + r);
			int ev;

			aras_sla_params_for(st, vm->uuid, ARAS_RES_CPU + r, &p);
			ev = aras_sla_step(t, v, &p, now_ms);
			if (rank(t->state) > rank(worst))
				worst = t->state;
			if ((t->state == ARAS_ALERT_FIRING || t->state == ARAS_ALERT_CLEARING) &&
			    (int)v - (int)p.threshold > best_excess) {
				best_excess = (int)v - (int)p.threshold;
				cls = class_of[r];
			}
			if (ev != ARAS_SLA_NONE && emit) {
				struct aras_alert a;

				fill_alert(&a, ev == ARAS_SLA_FIRE ? ARAS_EV_BREACH : ARAS_EV_CLEAR, vm, h,
					   ARAS_RES_CPU + r, v, p.threshold, wall);
				snprintf(a.text, sizeof(a.text), "%s %s %u%% %s %u%%%s",
					 aras_resource_name(a.resource),
					 ev == ARAS_SLA_FIRE ? "at" : "back to", v,
					 ev == ARAS_SLA_FIRE ? ">=" : "<",
					 ev == ARAS_SLA_FIRE ?
						 p.threshold :
						 (p.threshold > p.margin ? p.threshold - p.margin : 0),
					 ev == ARAS_SLA_FIRE ? " for the hold time" : "");
				if (ARAS_RES_CPU + r == ARAS_RES_DISK)
					disk_named(&a, vm);
				emit(&a, arg);
			}
		}
		vm->alert_state = worst;
		vm->vm_class = cls;
	}
}
