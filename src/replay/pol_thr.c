/*
 * pol_thr.c - the baseline: Beloglazov & Buyya, "Optimal online
 * deterministic algorithms and adaptive heuristics for energy and
 * performance efficient dynamic consolidation of virtual machines in
 * cloud data centers", CCPE 24(13), 2012: static threshold (THR) overload
 * detection, minimum migration time (MMT) VM selection, best fit
 * decreasing placement that rejects targets that would be overloaded.
 *
 * Every poll (the paper's 300 s scheduling interval), from what was
 * observed over the last interval (each VM's average CPU in MHz, as a
 * monitoring system sees it):
 *   1. a host is overloaded when its VMs' load (those on it plus those
 *      migrating into it) exceeds threshold x capacity;
 *   2. from each overloaded host, in index order, take the VM with the
 *      least memory (shortest migration) not already migrating, until the
 *      host's load is at or below the threshold;
 *   3. sort the chosen VMs by load, decreasing; give each to the host,
 *      other than the overloaded ones, that has the memory for it and
 *      stays at or below the threshold with it, and among those the one
 *      left with the least spare CPU (best fit).  No fit: it stays.
 * No cap on concurrent migrations (the paper has none).  Not modelled:
 * the paper's underload step (emptying lightly used hosts to switch them
 * off), which is consolidation for energy, not something ARAS does.
 */
#include "policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct thr {
	double threshold;
	int have_prev;
	uint64_t prev_ms;
	double *prev_work, *load;      /* per VM */
	double *hload;                 /* per host */
	unsigned char *over, *chosen;
	size_t *sel, *first, *next;    /* chosen VMs; per-host VM lists */
};

static int by_load_desc(const void *a, const void *b, void *arg)
{
	const double *load = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	double lx = load[x], ly = load[y];

	if (lx != ly)
		return lx > ly ? -1 : 1;
	return x < y ? -1 : x > y;
}

static int thr_poll(struct aras_sim *s, void *ctx, int kick)
{
	struct thr *c = ctx;
	uint64_t dt = s->now_ms - c->prev_ms;
	size_t nsel = 0;

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
	/* host loads, and per-host VM lists in index order */
	for (size_t h = 0; h < s->nhosts; h++) {
		c->hload[h] = 0;
		c->first[h] = SIZE_MAX;
	}
	for (size_t i = s->nvms; i-- > 0;) {
		const struct aras_sim_vm *v = &s->vms[i];

		c->hload[v->host] += c->load[i];
		if (v->migrating)
			c->hload[v->mig_target] += c->load[i];
		c->next[i] = c->first[v->host];
		c->first[v->host] = i;
		c->chosen[i] = 0;
	}
	/* 1-2: overloaded hosts, minimum migration time selection */
	for (size_t h = 0; h < s->nhosts; h++) {
		double lim = c->threshold * aras_cl_host_mhz(&s->cl->hosts[h]);

		c->over[h] = c->hload[h] > lim;
		while (c->over[h] && c->hload[h] > lim) {
			size_t best = SIZE_MAX;

			for (size_t i = c->first[h]; i != SIZE_MAX; i = c->next[i]) {
				const struct aras_sim_vm *v = &s->vms[i];

				if (v->migrating || c->chosen[i])
					continue;
				if (best == SIZE_MAX || v->mem_kib < s->vms[best].mem_kib)
					best = i;
			}
			if (best == SIZE_MAX)
				break;
			c->chosen[best] = 1;
			c->sel[nsel++] = best;
			c->hload[h] -= c->load[best];
		}
	}
	/* 3: best fit decreasing onto hosts that stay at or below the threshold */
	qsort_r(c->sel, nsel, sizeof(*c->sel), by_load_desc, c->load);
	for (size_t k = 0; k < nsel; k++) {
		size_t i = c->sel[k];
		const struct aras_sim_vm *v = &s->vms[i];
		double best_rem = 0;
		unsigned best = (unsigned)-1;
		char why[160];

		for (size_t g = 0; g < s->nhosts; g++) {
			const struct aras_cl_host *ch = &s->cl->hosts[g];
			double cap = aras_cl_host_mhz(ch), after = c->hload[g] + c->load[i];

			if (c->over[g] || g == v->host)
				continue;
			if (s->hosts[g].mem_used_kib + v->mem_kib > ch->mem_kib)
				continue;
			if (after > c->threshold * cap)
				continue;
			if (best == (unsigned)-1 || cap - after < best_rem) {
				best = (unsigned)g;
				best_rem = cap - after;
			}
		}
		if (best == (unsigned)-1) {
			snprintf(why, sizeof(why), "host %s over %.0f%%: no host stays at or below it with %.0f MHz more",
				 s->cl->hosts[v->host].name, c->threshold * 100, c->load[i]);
			aras_sim_no_target(s, i, why);
			continue;
		}
		snprintf(why, sizeof(why), "host %s over %.0f%%; %s at %.1f%% after", s->cl->hosts[v->host].name,
			 c->threshold * 100, s->cl->hosts[best].name,
			 100 * (c->hload[best] + c->load[i]) / aras_cl_host_mhz(&s->cl->hosts[best]));
		if (aras_sim_migrate(s, i, best, why) == 0)
			c->hload[best] += c->load[i];
	}
	return 0;
}

int aras_pol_thr_new(struct aras_sim_policy *p, const struct aras_pol_thr_opts *o, const struct aras_cluster *cl)
{
	struct thr *c = calloc(1, sizeof(*c));
	size_t n = cl->nvms ? cl->nvms : 1, h = cl->nhosts ? cl->nhosts : 1;

	memset(p, 0, sizeof(*p));
	if (!c)
		return -ARAS_E_NOMEM;
	c->threshold = o->threshold;
	c->prev_work = calloc(n, sizeof(double));
	c->load = calloc(n, sizeof(double));
	c->hload = calloc(h, sizeof(double));
	c->over = calloc(h, 1);
	c->chosen = calloc(n, 1);
	c->sel = calloc(n, sizeof(size_t));
	c->first = calloc(h, sizeof(size_t));
	c->next = calloc(n, sizeof(size_t));
	p->name = "thr";
	p->ctx = c;
	p->poll = thr_poll;
	if (!c->prev_work || !c->load || !c->hload || !c->over || !c->chosen || !c->sel || !c->first || !c->next) {
		aras_pol_thr_free(p);
		return -ARAS_E_NOMEM;
	}
	return 0;
}

void aras_pol_thr_free(struct aras_sim_policy *p)
{
	struct thr *c = p ? p->ctx : NULL;

	if (!c)
		return;
	free(c->prev_work);
	free(c->load);
	free(c->hload);
	free(c->over);
	free(c->chosen);
	free(c->sel);
	free(c->first);
	free(c->next);
	free(c);
	p->ctx = NULL;
}
