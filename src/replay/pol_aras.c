/*
 * pol_aras.c - arasd's controller on the simulated cluster.  Nothing of
 * the decision logic is here: each poll builds the samples the virt
 * adapter would (cumulative CPU time per VM and node busy/total counters
 * per host, free memory, balloon figures, disk bytes), and hands them to
 * the same engine as the daemon (core/engine.h), in the same order:
 *   aras_engine_sample (per host) -> aras_engine_round,
 * and wires the engine's effects to the simulation: a job is a vCPU or
 * memory change at once, a migration that ends when the simulation says
 * so (aras_engine_result then); a no-target notice goes to the metrics.
 * As in arasd, a finished migration triggers a poll of every host and a
 * decision round (the collector's kick) unless the kick is turned off.
 *
 * Time is the simulation's: every call hands the engine the simulated
 * clock (now_ms, and as wall clock the simulated seconds since the start,
 * the action log's T_S), so its events and actions carry simulated times
 * and two runs of one input say the same, byte for byte.
 *
 * Engine options that differ from the daemon (and keep the replay's
 * figures what they were): no failure backoff, no event log (but with
 * --events, where its rows are written out as they come), a moved VM
 * is seen at the next poll (not moved in the model at once), 256 actions
 * in the table, and semiAutomatic proposals approved at once after the
 * same re-check an operator's approval runs; manual lets the controller do
 * nothing on SLA alerts.
 */
#include "policy.h"

#include "core/engine.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

/* The replay's action table (the daemon's: ARAS_ENGINE_PLAN_CAPACITY). */
#define RP_PLAN_CAPACITY 256

struct rp_aras {
	const struct aras_trace *t;
	struct aras_engine *e;
	struct aras_sim *sim;           /* the simulation of the call in progress */
	struct aras_host_sample *hs;    /* per host */
	struct aras_vm_sample *vs;      /* every VM, grouped by host each poll */
	size_t *count, *order;          /* per host */
	uint32_t *mig_action;           /* per VM: action index of its migration in flight */
	size_t *by_uuid;                /* VM positions sorted by UUID */
	const struct aras_state *audit; /* rules counted each poll (NULL: none) */
	struct aras_rules_flag *flags;  /* scratch, per model VM */
	FILE *events;                   /* --events, or NULL */
};

/* The engine's wall clock: simulated seconds since the start (the action log's T_S). */
static time_t sim_wall(const struct aras_sim *s)
{
	return (time_t)(s->now_ms / 1000);
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
		/* the wait the simulator's contention model gives (sim.h), as vcpu.N.delay */
		x->has_steal = 1;
		x->steal_vcpus = v->vcpus;
		x->steal_ns = u64(v->steal_ns);
		x->mem_cur_kib = v->mem_kib;
		x->mem_max_kib = v->mem_max_kib;
		x->has_guest_mem = 1;
		x->guest_avail_kib = v->mem_kib;
		x->guest_usable_kib = v->mem_kib - used;
		x->rd_bytes = u64(v->io_bytes);
	}
}

/* Effect: a job on the simulated cluster. */
static int start_job(void *arg, const struct aras_action *a)
{
	struct rp_aras *c = arg;
	struct aras_sim *s = c->sim;
	size_t vm = vm_of(c, a->uuid);
	uint32_t index = a->index;
	int rc = 0;

	if (vm == SIZE_MAX)
		return -ARAS_E_NOENT;
	switch (a->kind) {
	case ARAS_KIND_ADD_VCPU:
	case ARAS_KIND_REMOVE_VCPU: rc = aras_sim_set_vcpus(s, vm, (unsigned)a->amount, a->reason); break;
	case ARAS_KIND_GROW_MEM:
	case ARAS_KIND_SHRINK_MEM:
		/* an operator's edit of the maximum acts at the next boot: nothing now */
		if (!a->maximum)
			rc = aras_sim_set_mem(s, vm, a->amount, a->reason);
		break;
	case ARAS_KIND_ADD_DISK:
	case ARAS_KIND_GROW_DISK: aras_sim_disk(s, vm, a->reason); break;
	case ARAS_KIND_MIGRATE:
		rc = a->target >= 1 ? aras_sim_migrate(s, vm, a->target - 1, a->reason) : -ARAS_E_INVAL;
		if (rc == 0) {
			c->mig_action[vm] = index;
			return 0; /* finishes when the simulation says so */
		}
		break;
	}
	aras_engine_result(c->e, index, rc == 0, rc == 0 ? "" : aras_strerror(rc), s->now_ms, sim_wall(s));
	return 0;
}

/*
 * Effect: a log line.  The model's "now on host" lines go to standard
 * error as arasd's log sink printed them (the replay's only log lines so
 * far); the engine's own are not printed (its events are, with --events).
 */
static void log_line(void *arg, int level, const char *tok, const char *line)
{
	char esc[512 * ARAS_ESCAPE_GROWTH];

	(void)arg;
	if (level > LOG_INFO || !tok || strcmp(tok, "model") != 0)
		return;
	aras_escape(esc, sizeof(esc), line);
	fprintf(stderr, "arasd: %s: %s\n", tok, esc);
}

/* Effect: an event row (--events); its time is the simulated clock's. */
static void event_added(void *arg, struct aras_event *ev)
{
	struct rp_aras *c = arg;
	const struct aras_alert *a = &ev->a;
	char text[sizeof(a->text) * ARAS_ESCAPE_GROWTH];

	if (!c->events)
		return;
	aras_escape(text, sizeof(text), a->text);
	fprintf(c->events, "%llu %s %s %s %s %s\n", (unsigned long long)a->when,
		c->sim && c->sim->pol ? c->sim->pol->name : "aras", aras_event_name(a->type),
		a->has_vm ? a->vm_name : "-", a->host_name[0] ? a->host_name : "-", text);
}

/* Effect: a wanted migration found no target. */
static void no_target(void *arg, const struct aras_decision *d, const struct aras_event *e)
{
	struct rp_aras *c = arg;
	size_t vm = vm_of(c, d->uuid);

	(void)e;
	if (vm != SIZE_MAX)
		aras_sim_no_target(c->sim, vm, d->reason);
}

static int aras_poll(struct aras_sim *s, void *ctx, int kick)
{
	struct rp_aras *c = ctx;
	struct aras_engine_counters cnt;
	size_t n = 0;

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
	c->sim = s;
	for (size_t k = 0; k < n; k++) {
		size_t h = c->order[k];
		int rc = aras_engine_sample(c->e, &c->hs[h], sim_wall(s));

		if (rc < 0)
			return rc;
		s->hosts[h].arrived = 0;
	}
	aras_engine_round(c->e, s->now_ms, sim_wall(s));
	aras_engine_counters(c->e, &cnt);
	s->m.alerts = cnt.breaches;
	if (c->audit && c->audit->ngroups && c->flags) {
		size_t v = aras_rules_violations(aras_engine_model(c->e), c->audit, NULL, c->flags);

		s->m.rule_violations += v;
		if (v > s->m.rule_violations_max)
			s->m.rule_violations_max = v;
	}
	return 0;
}

static void aras_migrated(struct aras_sim *s, void *ctx, size_t vm)
{
	struct rp_aras *c = ctx;
	struct aras_action *a = aras_plan_get(aras_engine_plan(c->e), c->mig_action[vm]);

	c->sim = s;
	if (a && !aras_action_finished(a))
		aras_engine_result(c->e, a->index, 1, "", s->now_ms, sim_wall(s));
}

static int uuid_cmp(const void *a, const void *b, void *arg)
{
	const struct aras_trace *t = arg;

	return memcmp(t->vms[*(const size_t *)a].uuid, t->vms[*(const size_t *)b].uuid, ARAS_UUID_LEN);
}

int aras_pol_aras_new(struct aras_sim_policy *p, const struct aras_pol_aras_opts *o,
		      const struct aras_trace *t, const struct aras_cluster *cl)
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
	c->t = t;
	c->events = o->events;
	c->e = aras_engine_new();
	if (!c->e)
		goto fail;
	aras_engine_conf_ctl(c->e)->disk_step_mib = ARAS_DISK_STEP_DEFAULT_MIB;
	if (aras_state_copy(aras_engine_conf_state(c->e), o->st) < 0)
		goto fail;
	c->hs = calloc(h, sizeof(*c->hs));
	c->vs = calloc(n, sizeof(*c->vs));
	c->count = calloc(h, sizeof(*c->count));
	c->order = calloc(h, sizeof(*c->order));
	c->mig_action = calloc(n, sizeof(*c->mig_action));
	c->by_uuid = calloc(n, sizeof(*c->by_uuid));
	c->flags = calloc(n, sizeof(*c->flags));
	c->audit = o->audit ? o->audit : o->st;
	if (!c->hs || !c->vs || !c->count || !c->order || !c->mig_action || !c->by_uuid || !c->flags)
		goto fail;
	for (size_t i = 0; i < cl->nhosts; i++) {
		rc = aras_model_add_host(aras_engine_conf_model(c->e), (unsigned)i + 1, cl->hosts[i].name,
					 "sim://");
		if (rc < 0)
			goto fail;
	}
	{
		struct aras_engine_opts eo = { .plan_capacity = RP_PLAN_CAPACITY,
					       .max_decisions = t->nvms + cl->nhosts + 1,
					       .auto_approve = 1,
					       .event_log = o->events != NULL };
		struct aras_engine_fx fx = { .arg = c,
					     .start_job = start_job,
					     .notify_no_target = no_target,
					     .log = log_line,
					     .event_added = event_added };

		rc = aras_engine_start(c->e, &eo, &fx);
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
	aras_engine_free(c->e);
	free(c->hs);
	free(c->vs);
	free(c->count);
	free(c->order);
	free(c->mig_action);
	free(c->by_uuid);
	free(c->flags);
	free(c);
	p->ctx = NULL;
}
