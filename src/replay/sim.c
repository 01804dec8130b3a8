/*
 * sim.c - see sim.h.  The run is an event loop on a simulated clock:
 * events are trace step boundaries (demand changes), polls of the policy
 * and ends of migrations.  Between two events nothing changes, so each
 * stretch is accounted in one pass (advance()).
 */
#include "sim.h"

#include <stdlib.h>
#include <string.h>

static double vm_cap_mhz(const struct aras_sim *s, const struct aras_sim_vm *v)
{
	const struct aras_cl_host *h = &s->cl->hosts[v->host];
	unsigned n = v->vcpus < h->cores ? v->vcpus : h->cores;

	return n * h->core_mhz;
}

uint64_t aras_sim_mem_used(const struct aras_sim *s, size_t vm)
{
	size_t k = s->step < s->nsteps ? s->step : s->nsteps - 1;
	double used = s->cl->mem_used_kib[vm * s->nsteps + k];
	uint64_t cur = s->vms[vm].mem_kib;

	return used >= (double)cur ? cur : (uint64_t)used;
}

double aras_sim_io_kibs(const struct aras_sim *s, size_t vm)
{
	size_t k = s->step < s->nsteps ? s->step : s->nsteps - 1;

	return s->cl->io_kibs ? s->cl->io_kibs[vm * s->nsteps + k] : 0;
}

static void logf_(struct aras_sim *s, const char *kind, size_t vm, const char *from, const char *to,
		  unsigned long long amount, const char *why)
{
	if (!s->cfg->log)
		return;
	fprintf(s->cfg->log, "%llu %s %s %s %s %s %llu %s\n", (unsigned long long)(s->now_ms / 1000),
		s->pol ? s->pol->name : "none", kind, s->vm_names[vm], from, to, amount, why ? why : "");
}

/* Account [now, t1): what every VM wants and gets, host time at 100 %. */
static void advance(struct aras_sim *s, uint64_t t1)
{
	uint64_t dt = t1 - s->now_ms;
	size_t k = s->step;
	const float *dem = s->cl->demand_mhz;
	double mc = s->cfg->mig_cost;

	if (!dt)
		return;
	for (size_t h = 0; h < s->nhosts; h++)
		s->hosts[h].load = 0;
	for (size_t i = 0; i < s->nvms; i++) {
		struct aras_sim_vm *v = &s->vms[i];
		double d = dem[i * s->nsteps + k], cap = vm_cap_mhz(s, v);

		v->want = d < cap ? d : cap;
		s->hosts[v->host].load += v->want;
		s->m.demand += d * (double)dt;
		s->m.unserved_vmsize += (d - v->want) * (double)dt;
	}
	for (size_t h = 0; h < s->nhosts; h++) {
		struct aras_sim_host *x = &s->hosts[h];
		const struct aras_cl_host *ch = &s->cl->hosts[h];
		double cap = aras_cl_host_mhz(ch), busy = x->load < cap ? x->load : cap;

		if (x->nvms) {
			x->active_ms += dt;
			if (x->load > 0 && x->load >= cap * (1 - 1e-9))
				x->full_ms += dt;
		}
		x->busy_ns += busy / ch->core_mhz * (double)dt * 1e6;
		x->total_ns += (double)ch->cores * (double)dt * 1e6;
		x->work += busy * (double)dt;
		/* share factor for this stretch, kept in load */
		x->load = x->load > cap ? cap / x->load : 1.0;
		if (s->util)
			s->util[h * s->nsteps + k] += (float)(busy / cap * (double)dt / (double)s->step_ms);
	}
	for (size_t i = 0; i < s->nvms; i++) {
		struct aras_sim_vm *v = &s->vms[i];
		double got = v->want * s->hosts[v->host].load;
		double served = v->migrating ? got * (1 - mc) : got;

		s->m.served += served * (double)dt;
		s->m.unserved_contention += (v->want - got) * (double)dt;
		s->m.unserved_migration += (got - served) * (double)dt;
		v->cpu_ns += served / s->cl->hosts[v->host].core_mhz * (double)dt * 1e6;
		v->steal_ns += (v->want - got) / s->cl->hosts[v->host].core_mhz * (double)dt * 1e6;
		v->work += served * (double)dt;
		if (s->cl->io_kibs)
			v->io_bytes += s->cl->io_kibs[i * s->nsteps + k] * 1024.0 * (double)dt / 1000.0;
	}
	s->now_ms = t1;
}

int aras_sim_migrate(struct aras_sim *s, size_t vm, unsigned target, const char *why)
{
	struct aras_sim_vm *v = &s->vms[vm];
	struct aras_sim_host *t;
	double mib, secs;

	if (v->migrating)
		return -ARAS_E_BUSY;
	if (target >= s->nhosts || target == v->host)
		return -ARAS_E_INVAL;
	t = &s->hosts[target];
	if (t->mem_used_kib + v->mem_kib > s->cl->hosts[target].mem_kib) {
		s->m.migrations_failed++;
		logf_(s, "migrateFailed", vm, s->cl->hosts[v->host].name, s->cl->hosts[target].name,
		      v->mem_kib, "target has no memory for it");
		return -ARAS_E_RANGE;
	}
	/* memory / (bandwidth / 2): half the link, as in Beloglazov & Buyya */
	mib = (double)v->mem_kib / 1024.0;
	secs = mib * 8.0 / (s->cl->bandwidth_mbit / 2.0);
	v->migrating = 1;
	v->mig_target = target;
	v->mig_start_ms = s->now_ms;
	v->mig_end_ms = s->now_ms + (uint64_t)(secs * 1000.0 + 0.5);
	if (v->mig_end_ms == s->now_ms)
		v->mig_end_ms++;
	t->mem_used_kib += v->mem_kib;
	s->inflight[s->ninflight++] = vm;
	if (s->ninflight > s->m.peak_migrations)
		s->m.peak_migrations = s->ninflight;
	logf_(s, "migrate", vm, s->cl->hosts[v->host].name, s->cl->hosts[target].name,
	      (unsigned long long)(v->mig_end_ms - v->mig_start_ms), why);
	return 0;
}

int aras_sim_set_vcpus(struct aras_sim *s, size_t vm, unsigned vcpus, const char *why)
{
	struct aras_sim_vm *v = &s->vms[vm];

	if (vcpus < 1 || vcpus > v->vcpus_max)
		return -ARAS_E_RANGE;
	if (vcpus > v->vcpus)
		s->m.vcpu_adds++;
	s->m.vertical++;
	v->vcpus = vcpus;
	logf_(s, "vcpus", vm, s->cl->hosts[v->host].name, "-", vcpus, why);
	return 0;
}

int aras_sim_set_mem(struct aras_sim *s, size_t vm, uint64_t kib, const char *why)
{
	struct aras_sim_vm *v = &s->vms[vm];
	struct aras_sim_host *h = &s->hosts[v->host];

	if (kib > v->mem_max_kib)
		kib = v->mem_max_kib;
	if (kib > v->mem_kib && h->mem_used_kib + (kib - v->mem_kib) > s->cl->hosts[v->host].mem_kib)
		return -ARAS_E_RANGE;
	h->mem_used_kib = h->mem_used_kib + kib - v->mem_kib;
	if (v->migrating)
		s->hosts[v->mig_target].mem_used_kib += kib - v->mem_kib;
	if (kib > v->mem_kib)
		s->m.mem_grows++;
	s->m.vertical++;
	v->mem_kib = kib;
	logf_(s, "memory", vm, s->cl->hosts[v->host].name, "-", (unsigned long long)kib, why);
	return 0;
}

void aras_sim_disk(struct aras_sim *s, size_t vm, const char *why)
{
	s->m.disk_adds++;
	s->m.vertical++;
	logf_(s, "disk", vm, s->cl->hosts[s->vms[vm].host].name, "-", 0, why);
}

void aras_sim_no_target(struct aras_sim *s, size_t vm, const char *why)
{
	s->m.no_target++;
	logf_(s, "noTarget", vm, s->cl->hosts[s->vms[vm].host].name, "-", 0, why);
}

/* Earliest end of a migration in flight (UINT64_MAX: none). */
static uint64_t next_mig_end(const struct aras_sim *s)
{
	uint64_t t = UINT64_MAX;

	for (size_t i = 0; i < s->ninflight; i++)
		if (s->vms[s->inflight[i]].mig_end_ms < t)
			t = s->vms[s->inflight[i]].mig_end_ms;
	return t;
}

/* Finish the migrations due now, in start order; returns how many. */
static size_t finish_migrations(struct aras_sim *s)
{
	size_t done = 0, out = 0;

	for (size_t i = 0; i < s->ninflight; i++) {
		size_t vm = s->inflight[i];
		struct aras_sim_vm *v = &s->vms[vm];
		unsigned src = v->host, dst = v->mig_target;

		if (v->mig_end_ms > s->now_ms) {
			s->inflight[out++] = vm;
			continue;
		}
		v->migrating = 0;
		s->hosts[src].nvms--;
		s->hosts[src].mem_used_kib -= v->mem_kib;
		s->hosts[dst].nvms++;
		s->hosts[dst].arrived = 1;
		v->host = dst;
		s->m.migrations++;
		if (v->has_left && v->left_host == dst && s->now_ms - v->left_ms <= s->cfg->pingpong_ms) {
			s->m.pingpong++;
			logf_(s, "pingpong", vm, s->cl->hosts[src].name, s->cl->hosts[dst].name,
			      (unsigned long long)((s->now_ms - v->left_ms) / 1000),
			      "back to a host it left");
		}
		v->has_left = 1;
		v->left_host = src;
		v->left_ms = s->now_ms;
		done++;
		if (s->pol && s->pol->migrated)
			s->pol->migrated(s, s->pol->ctx, vm);
	}
	s->ninflight = out;
	return done;
}

int aras_sim_run(const struct aras_cluster *cl, const char *const *vm_names, unsigned step_s,
		 const struct aras_sim_cfg *cfg, const struct aras_sim_policy *pol,
		 struct aras_sim_metrics *out, float **util_out)
{
	struct aras_sim s;
	uint64_t next_poll = 0;
	unsigned long nactive = 0;
	double slatah = 0;
	int rc = 0;

	memset(&s, 0, sizeof(s));
	s.cl = cl;
	s.cfg = cfg;
	s.pol = pol;
	s.vm_names = vm_names;
	s.nhosts = cl->nhosts;
	s.nvms = cl->nvms;
	s.nsteps = cl->nsteps;
	s.step_ms = (uint64_t)step_s * 1000;
	s.end_ms = s.step_ms * s.nsteps;
	s.hosts = calloc(s.nhosts ? s.nhosts : 1, sizeof(*s.hosts));
	s.vms = calloc(s.nvms ? s.nvms : 1, sizeof(*s.vms));
	s.inflight = calloc(s.nvms ? s.nvms : 1, sizeof(*s.inflight));
	if (cfg->keep_util)
		s.util = calloc(s.nhosts * s.nsteps + 1, sizeof(*s.util));
	if (!s.hosts || !s.vms || !s.inflight || (cfg->keep_util && !s.util)) {
		rc = -ARAS_E_NOMEM;
		goto out;
	}
	for (size_t i = 0; i < s.nvms; i++) {
		const struct aras_cl_vm *c = &cl->vms[i];
		struct aras_sim_vm *v = &s.vms[i];

		v->host = c->host;
		v->vcpus = c->vcpus;
		v->vcpus_max = c->vcpus_max;
		v->mem_kib = c->mem_kib;
		v->mem_max_kib = c->mem_max_kib;
		s.hosts[v->host].nvms++;
		s.hosts[v->host].mem_used_kib += v->mem_kib;
	}
	for (;;) {
		uint64_t step_end = s.step_ms * (s.step + 1), t = step_end;
		uint64_t me = next_mig_end(&s);
		size_t ended;

		if (pol && s.now_ms == next_poll) {
			rc = pol->poll(&s, pol->ctx, 0);
			if (rc < 0)
				goto out;
			next_poll += cfg->poll_ms;
			me = next_mig_end(&s);
		}
		if (pol && next_poll < t)
			t = next_poll;
		if (me < t)
			t = me;
		advance(&s, t);
		if (s.now_ms == step_end) {
			s.step++;
			if (s.step == s.nsteps)
				break;
		}
		ended = finish_migrations(&s);
		if (ended && pol && pol->want_kick && s.now_ms != next_poll) {
			rc = pol->poll(&s, pol->ctx, 1);
			if (rc < 0)
				goto out;
		}
	}
	/* Migrations still running at the end are not counted as done. */
	for (size_t h = 0; h < s.nhosts; h++) {
		if (!s.hosts[h].active_ms)
			continue;
		nactive++;
		s.m.host_hours += (double)s.hosts[h].active_ms / 3.6e6;
		slatah += (double)s.hosts[h].full_ms / (double)s.hosts[h].active_ms;
	}
	s.m.slatah = nactive ? slatah / (double)nactive : 0;
	*out = s.m;
	if (util_out) {
		*util_out = s.util;
		s.util = NULL;
	}
out:
	free(s.hosts);
	free(s.vms);
	free(s.inflight);
	free(s.util);
	return rc;
}
