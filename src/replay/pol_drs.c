/*
 * pol_drs.c - a DRS-like load balancer, after what VMware documents of
 * DRS load balancing (vSphere Resource Management: the cluster's "current
 * host load standard deviation" against a "target host load standard
 * deviation" set by the migration threshold; recommendations pass a
 * cost-benefit filter and a minimum goodness) and Gulati et al., "VMware
 * Distributed Resource Management: Design, Implementation, and Lessons
 * Learned", VMware Technical Journal 1(1), 2012 (imbalance = standard
 * deviation of the hosts' normalised load; greedy: take the move that
 * lowers it most, repeat).  Written from those descriptions; DRS's own
 * code is not public.
 *
 * Every poll (DRS runs every 5 minutes; here the poll interval, 300 s),
 * from each VM's average CPU (MHz) over the last interval:
 *   1. a host's load is the load of its VMs over its capacity (a VM
 *      migrating counts on its target); imbalance = the standard deviation
 *      of the hosts' loads;
 *   2. while the imbalance is above the target (--drs-target, 10 %), take
 *      the move of one VM (not migrating) from a host above the mean load to
 *      one below it, with the memory for it, that lowers the imbalance most
 *      (its goodness), if the goodness is at least the minimum (0.1 point
 *      of standard deviation) and the move pays for itself: the CPU it
 *      frees above the mean over one interval exceeds what the VM loses
 *      while it migrates (mig_cost x its load x the migration's duration);
 *   3. at most 4 migrations in flight into or out of one host (vSphere's
 *      vMotion limit per host on a 1 Gbit/s link); no other cap, no memory
 *      of past moves (DRS has none either: its goodness filter is the guard).
 */
#include "policy.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DRS_HOST_MIGRATIONS 4
#define DRS_MIN_GOODNESS 0.001

struct drs {
	double target;
	int have_prev;
	uint64_t prev_ms;
	double *prev_work, *load; /* per VM */
	double *u;                /* per host: load / capacity */
	unsigned *busy;           /* per host: migrations in flight in or out */
};

static int drs_poll(struct aras_sim *s, void *ctx, int kick)
{
	struct drs *c = ctx;
	uint64_t dt = s->now_ms - c->prev_ms;
	double sum = 0, sumsq = 0, n = (double)s->nhosts, poll_s = (double)s->cfg->poll_ms / 1000.0;

	if (kick)
		return 0;
	for (size_t i = 0; i < s->nvms; i++) {
		c->load[i] = c->have_prev && dt ? (s->vms[i].work - c->prev_work[i]) / (double)dt : 0;
		c->prev_work[i] = s->vms[i].work;
	}
	c->prev_ms = s->now_ms;
	if (!c->have_prev) {
		c->have_prev = 1;
		return 0;
	}
	if (s->nhosts < 2)
		return 0;
	memset(c->u, 0, s->nhosts * sizeof(*c->u));
	memset(c->busy, 0, s->nhosts * sizeof(*c->busy));
	for (size_t i = 0; i < s->nvms; i++) {
		const struct aras_sim_vm *v = &s->vms[i];
		unsigned h = v->migrating ? v->mig_target : v->host;

		c->u[h] += c->load[i] / aras_cl_host_mhz(&s->cl->hosts[h]);
		if (v->migrating) {
			c->busy[v->host]++;
			c->busy[v->mig_target]++;
		}
	}
	for (size_t h = 0; h < s->nhosts; h++) {
		sum += c->u[h];
		sumsq += c->u[h] * c->u[h];
	}
	for (;;) {
		double mean = sum / n, sd = sqrt(fmax(0, sumsq / n - mean * mean));
		double best_sd = sd;
		size_t bi = SIZE_MAX;
		unsigned bt = 0;
		char why[200];

		if (sd <= c->target)
			break;
		for (size_t i = 0; i < s->nvms; i++) {
			const struct aras_sim_vm *v = &s->vms[i];
			size_t h = v->host;
			double cs, ls, secs;

			if (v->migrating || c->load[i] <= 0 || c->u[h] <= mean ||
			    c->busy[h] >= DRS_HOST_MIGRATIONS)
				continue;
			cs = aras_cl_host_mhz(&s->cl->hosts[h]);
			ls = c->load[i] / cs;
			secs = (double)v->mem_kib / 1024.0 * 8.0 / (s->cl->bandwidth_mbit / 2.0);
			/* cost-benefit: what it frees above the mean over an interval vs what it loses moving */
			if (fmin(ls, c->u[h] - mean) * cs * poll_s <= s->cfg->mig_cost * c->load[i] * secs)
				continue;
			for (size_t g = 0; g < s->nhosts; g++) {
				double lt, nsum, nsq, nm, nsd;

				if (g == h || c->u[g] >= mean || c->busy[g] >= DRS_HOST_MIGRATIONS ||
				    s->hosts[g].mem_used_kib + v->mem_kib > s->cl->hosts[g].mem_kib)
					continue;
				lt = c->load[i] / aras_cl_host_mhz(&s->cl->hosts[g]);
				nsum = sum - ls + lt;
				nsq = sumsq - c->u[h] * c->u[h] - c->u[g] * c->u[g] +
				      (c->u[h] - ls) * (c->u[h] - ls) + (c->u[g] + lt) * (c->u[g] + lt);
				nm = nsum / n;
				nsd = sqrt(fmax(0, nsq / n - nm * nm));
				if (nsd < best_sd - 1e-12) {
					best_sd = nsd;
					bi = i;
					bt = (unsigned)g;
				}
			}
		}
		if (bi == SIZE_MAX || sd - best_sd < DRS_MIN_GOODNESS)
			break;
		{
			size_t h = s->vms[bi].host;
			double ls = c->load[bi] / aras_cl_host_mhz(&s->cl->hosts[h]);
			double lt = c->load[bi] / aras_cl_host_mhz(&s->cl->hosts[bt]);

			snprintf(why, sizeof(why),
				 "host load sd %.1f%% > %.1f%%: %s %.1f%% -> %s %.1f%%, sd -> %.1f%%",
				 100 * sd, 100 * c->target, s->cl->hosts[h].name, 100 * c->u[h],
				 s->cl->hosts[bt].name, 100 * c->u[bt], 100 * best_sd);
			if (aras_sim_migrate(s, bi, bt, why) < 0)
				break;
			sum += lt - ls;
			sumsq += (c->u[h] - ls) * (c->u[h] - ls) - c->u[h] * c->u[h] +
				 (c->u[bt] + lt) * (c->u[bt] + lt) - c->u[bt] * c->u[bt];
			c->u[h] -= ls;
			c->u[bt] += lt;
			c->busy[h]++;
			c->busy[bt]++;
		}
	}
	return 0;
}

int aras_pol_drs_new(struct aras_sim_policy *p, const struct aras_pol_drs_opts *o,
		     const struct aras_cluster *cl)
{
	struct drs *c = calloc(1, sizeof(*c));
	size_t n = cl->nvms ? cl->nvms : 1, h = cl->nhosts ? cl->nhosts : 1;

	memset(p, 0, sizeof(*p));
	if (!c)
		return -ARAS_E_NOMEM;
	c->target = o->target;
	c->prev_work = calloc(n, sizeof(double));
	c->load = calloc(n, sizeof(double));
	c->u = calloc(h, sizeof(double));
	c->busy = calloc(h, sizeof(unsigned));
	p->name = "drs";
	p->ctx = c;
	p->poll = drs_poll;
	if (!c->prev_work || !c->load || !c->u || !c->busy) {
		aras_pol_drs_free(p);
		return -ARAS_E_NOMEM;
	}
	return 0;
}

void aras_pol_drs_free(struct aras_sim_policy *p)
{
	struct drs *c = p ? p->ctx : NULL;

	if (!c)
		return;
	free(c->prev_work);
	free(c->load);
	free(c->u);
	free(c->busy);
	free(c);
	p->ctx = NULL;
}
