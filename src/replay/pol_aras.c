/*
 * pol_aras.c - arasd's controller on the simulated cluster.  Nothing of
 * the decision logic is here: each poll builds the samples the virt
 * adapter would (cumulative CPU time per VM and node busy/total counters
 * per host, free memory, balloon figures, disk bytes), and hands them to
 * the same core calls as the daemon, in the same order:
 *   aras_model_apply -> aras_sla_evaluate (per host)
 *   -> aras_ctl_decide -> actions in an aras_plan, reported back with
 *      aras_ctl_note_action / aras_ctl_note_result.
 * Decisions act on the simulated cluster: a vCPU or memory change at once,
 * a migration when the simulation says it has ended.  As in arasd, a
 * finished migration triggers a poll of every host and a decision round
 * (the collector's kick) unless the kick is turned off.
 *
 * Policy: automatic acts; semiAutomatic proposals are approved at once
 * after the same re-check an operator's approval runs (aras_ctl_recheck);
 * manual lets the controller do nothing on SLA alerts.
 */
#include "policy.h"

#include "core/ctl.h"
#include "core/model.h"
#include "core/plan.h"
#include "core/sla.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rp_aras {
	const struct aras_state *st;
	const struct aras_trace *t;
	struct aras_model m;
	struct aras_ctl ctl;
	struct aras_plan *plan;
	struct aras_ctl_opts o;
	struct aras_host_sample *hs;   /* per host */
	struct aras_vm_sample *vs;     /* every VM, grouped by host each poll */
	size_t *count, *order;         /* per host */
	uint32_t *mig_action;          /* per VM: action index of its migration in flight */
	size_t *by_uuid;               /* VM positions sorted by UUID */
	struct aras_decision *dec;
	size_t maxdec;
	unsigned long alerts;
};

static void on_alert(const struct aras_alert *a, void *arg)
{
	struct rp_aras *c = arg;

	if (a->type == ARAS_EV_BREACH)
		c->alerts++;
}

static size_t vm_of(const struct rp_aras *c, const uint8_t *uuid)
{
	size_t lo = 0, hi = c->t->nvms;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int cmp = memcmp(c->t->vms[c->by_uuid[mid]].uuid, uuid, ARAS_UUID_LEN);

		if (cmp == 0)
			return c->by_uuid[mid];
		if (cmp < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return SIZE_MAX;
}

static uint64_t u64(double v)
{
	return v <= 0 ? 0 : (uint64_t)llround(v);
}

/* Build every host's sample from the simulation's counters. */
static void build_samples(struct rp_aras *c, const struct aras_sim *s)
{
	size_t off = 0;

	for (size_t h = 0; h < s->nhosts; h++)
		c->count[h] = 0;
	for (size_t i = 0; i < s->nvms; i++)
		c->count[s->vms[i].host]++;
	for (size_t h = 0; h < s->nhosts; h++) {
		struct aras_host_sample *hs = &c->hs[h];
		const struct aras_cl_host *ch = &s->cl->hosts[h];
		const struct aras_sim_host *sh = &s->hosts[h];

		hs->host_index = (unsigned)h + 1;
		hs->ok = 1;
		hs->t_ms = s->now_ms;
		hs->cpus = ch->cores;
		hs->mem_total_kib = ch->mem_kib;
		hs->has_mem_free = 1;
		hs->mem_free_kib = ch->mem_kib > sh->mem_used_kib ? ch->mem_kib - sh->mem_used_kib : 0;
		hs->has_cpu_stats = 1;
		hs->cpu_busy_ns = u64(sh->busy_ns);
		hs->cpu_total_ns = u64(sh->total_ns);
		hs->vms = &c->vs[off];
		hs->nvms = 0;
		off += c->count[h];
	}
	for (size_t i = 0; i < s->nvms; i++) {
		const struct aras_sim_vm *v = &s->vms[i];
		struct aras_host_sample *hs = &c->hs[v->host];
		struct aras_vm_sample *x = &hs->vms[hs->nvms++];
		uint64_t used = aras_sim_mem_used(s, i);

		memcpy(x->uuid, c->t->vms[i].uuid, ARAS_UUID_LEN);
		snprintf(x->name, sizeof(x->name), "%s", c->t->vms[i].name);
		x->state = ARAS_VM_RUNNING;
		x->vcpus = v->vcpus;
		x->vcpus_max = v->vcpus_max;
		x->cpu_time_ns = u64(v->cpu_ns);
		x->mem_cur_kib = v->mem_kib;
		x->mem_max_kib = v->mem_max_kib;
		x->has_guest_mem = 1;
		x->guest_avail_kib = v->mem_kib;
		x->guest_usable_kib = v->mem_kib - used;
		x->rd_bytes = u64(v->io_bytes);
	}
}

static void finish(struct rp_aras *c, struct aras_action *a, int ok, uint64_t now, const char *err)
{
	a->state = ok ? ARAS_AS_SUCCEEDED : ARAS_AS_FAILED;
	a->finished_ms = now;
	if (!ok)
		snprintf(a->error, sizeof(a->error), "%s", err);
	aras_ctl_note_result(&c->ctl, a, ok, now);
}

static void act(struct rp_aras *c, struct aras_sim *s, const struct aras_decision *d)
{
	size_t vm = vm_of(c, d->uuid);
	struct aras_action a, *na;
	int rc = 0;

	if (vm == SIZE_MAX)
		return;
	if (d->no_target) {
		aras_sim_no_target(s, vm, d->reason);
		return;
	}
	aras_action_from_decision(&a, d,
				  d->origin == ARAS_ORIGIN_CONTROLLER &&
						  c->st->settings.v[ARAS_S_POLICY] == ARAS_POLICY_SEMI ?
					  ARAS_AS_PROPOSED : ARAS_AS_APPROVED,
				  0, s->now_ms);
	na = aras_plan_add(c->plan, &a);
	if (!na)
		return; /* full of unfinished actions: arasd logs and drops it too */
	if (na->state == ARAS_AS_PROPOSED) {
		char why[ARAS_ERRTEXT_MAX];

		if (aras_ctl_recheck(&c->ctl, &c->m, c->st, c->plan, na, s->now_ms, why, sizeof(why)) < 0) {
			finish(c, na, 0, s->now_ms, why);
			return;
		}
		na->state = ARAS_AS_APPROVED;
	}
	na->state = ARAS_AS_RUNNING;
	na->started_ms = s->now_ms;
	aras_ctl_note_action(&c->ctl, na, s->now_ms);
	switch (na->kind) {
	case ARAS_KIND_ADD_VCPU:
	case ARAS_KIND_REMOVE_VCPU:
		rc = aras_sim_set_vcpus(s, vm, (unsigned)na->amount, na->reason);
		break;
	case ARAS_KIND_GROW_MEM:
	case ARAS_KIND_SHRINK_MEM:
		rc = aras_sim_set_mem(s, vm, na->amount, na->reason);
		break;
	case ARAS_KIND_ADD_DISK:
	case ARAS_KIND_GROW_DISK:
		aras_sim_disk(s, vm, na->reason);
		break;
	case ARAS_KIND_MIGRATE:
		rc = na->target >= 1 ? aras_sim_migrate(s, vm, na->target - 1, na->reason) : -ARAS_E_INVAL;
		if (rc == 0) {
			c->mig_action[vm] = na->index;
			return; /* finishes when the simulation says so */
		}
		break;
	}
	finish(c, na, rc == 0, s->now_ms, rc == 0 ? "" : aras_strerror(rc));
}

static int aras_poll(struct aras_sim *s, void *ctx, int kick)
{
	struct rp_aras *c = ctx;
	size_t n = 0, nd;

	(void)kick;
	build_samples(c, s);
	/*
	 * Hosts a VM arrived on go first: folding the source first would make
	 * the model drop the VM (not listed there any more) and add it anew.
	 */
	for (int pass = 0; pass < 2; pass++)
		for (size_t h = 0; h < s->nhosts; h++)
			if (!!s->hosts[h].arrived == (pass == 0))
				c->order[n++] = h;
	for (size_t k = 0; k < n; k++) {
		size_t h = c->order[k];
		struct aras_apply_result res;
		int rc = aras_model_apply(&c->m, &c->hs[h], c->st->settings.v[ARAS_S_DISK_IO_CAPACITY], &res);

		if (rc < 0)
			return rc;
		s->hosts[h].arrived = 0;
		aras_sla_evaluate(&c->m, c->st, (unsigned)h + 1, s->now_ms, 0, on_alert, c);
	}
	aras_plan_expire(c->plan, s->now_ms, c->st->settings.v[ARAS_S_PROPOSAL_TIMEOUT], NULL, NULL);
	nd = aras_ctl_decide(&c->ctl, &c->m, c->st, c->plan, &c->o, s->now_ms, c->dec, c->maxdec);
	for (size_t i = 0; i < nd; i++)
		act(c, s, &c->dec[i]);
	s->m.alerts = c->alerts;
	return 0;
}

static void aras_migrated(struct aras_sim *s, void *ctx, size_t vm)
{
	struct rp_aras *c = ctx;
	struct aras_action *a = aras_plan_get(c->plan, c->mig_action[vm]);

	if (a && !aras_action_finished(a))
		finish(c, a, 1, s->now_ms, "");
}

static int uuid_cmp(const void *a, const void *b, void *arg)
{
	const struct aras_trace *t = arg;

	return memcmp(t->vms[*(const size_t *)a].uuid, t->vms[*(const size_t *)b].uuid, ARAS_UUID_LEN);
}

int aras_pol_aras_new(struct aras_sim_policy *p, const struct aras_pol_aras_opts *o, const struct aras_trace *t,
		      const struct aras_cluster *cl)
{
	struct rp_aras *c = calloc(1, sizeof(*c));
	size_t n = t->nvms ? t->nvms : 1, h = cl->nhosts ? cl->nhosts : 1;
	int rc = -ARAS_E_NOMEM;

	memset(p, 0, sizeof(*p));
	if (!c)
		return rc;
	p->name = "aras";
	p->ctx = c;
	p->poll = aras_poll;
	p->migrated = aras_migrated;
	p->want_kick = o->kick;
	c->st = o->st;
	c->t = t;
	aras_model_init(&c->m);
	aras_ctl_init(&c->ctl);
	c->o.disk_step_mib = 1024;
	c->maxdec = t->nvms + cl->nhosts + 1;
	c->hs = calloc(h, sizeof(*c->hs));
	c->vs = calloc(n, sizeof(*c->vs));
	c->count = calloc(h, sizeof(*c->count));
	c->order = calloc(h, sizeof(*c->order));
	c->mig_action = calloc(n, sizeof(*c->mig_action));
	c->by_uuid = calloc(n, sizeof(*c->by_uuid));
	c->dec = calloc(c->maxdec, sizeof(*c->dec));
	if (!c->hs || !c->vs || !c->count || !c->order || !c->mig_action || !c->by_uuid || !c->dec)
		goto fail;
	/* the daemon's plan holds 1000 actions; finished ones are dropped first */
	if (aras_plan_new(&c->plan, 256) < 0)
		goto fail;
	for (size_t i = 0; i < cl->nhosts; i++) {
		rc = aras_model_add_host(&c->m, (unsigned)i + 1, cl->hosts[i].name, "sim://");
		if (rc < 0)
			goto fail;
	}
	for (size_t i = 0; i < t->nvms; i++)
		c->by_uuid[i] = i;
	qsort_r(c->by_uuid, t->nvms, sizeof(*c->by_uuid), uuid_cmp, (void *)t);
	for (size_t i = 1; i < t->nvms; i++)
		if (memcmp(t->vms[c->by_uuid[i]].uuid, t->vms[c->by_uuid[i - 1]].uuid, ARAS_UUID_LEN) == 0) {
			rc = -ARAS_E_INCONSIST;
			goto fail;
		}
	return 0;
fail:
	aras_pol_aras_free(p);
	return rc < 0 ? rc : -ARAS_E_NOMEM;
}

void aras_pol_aras_free(struct aras_sim_policy *p)
{
	struct rp_aras *c = p ? p->ctx : NULL;

	if (!c)
		return;
	aras_model_free(&c->m);
	aras_ctl_free(&c->ctl);
	aras_plan_free(c->plan);
	free(c->hs);
	free(c->vs);
	free(c->count);
	free(c->order);
	free(c->mig_action);
	free(c->by_uuid);
	free(c->dec);
	free(c);
	p->ctx = NULL;
}
