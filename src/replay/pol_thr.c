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
 *
 * The same file runs the paper's two best adaptive heuristics, LR-MMT-1.2
 * and MAD-MMT-2.5 (detectors in pol_adapt.c): only "overloaded" changes.
 * A host's utilisation history is the sum of the histories of the VMs on
 * it now (and of those migrating into it), as in the paper's simulator;
 * step 2 stops when the detector no longer sees the host overloaded
 * without the chosen VMs' histories, and step 3 accepts a target only if
 * the detector does not see it overloaded with the VM's history added
 * (the paper's PABFD rejects such hosts; its choice among the others by
 * least power increase is replaced by the best fit above: no power model
 * here).  Until a host has the history a detector needs (LR 10 samples,
 * MAD 12), the static threshold decides.
 */
#include "policy.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct thr {
	double threshold;
	int detector; /* enum aras_pol_detector */
	double safety;
	double *hist; /* per VM: the last ARAS_POL_HIST loads (ring) */
	size_t nhist, hpos;
	double *hh;     /* per host: utilisation history, oldest first */
	double *migmax; /* per host: its VMs' longest migration, s (this poll) */
	int have_prev;
	uint64_t prev_ms;
	double *prev_work, *load; /* per VM */
	double *hload;            /* per host */
	unsigned char *over, *chosen;
	size_t *sel, *first, *next; /* chosen VMs; per-host VM lists */
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

static const char *det_name(const struct thr *c, char *buf, size_t len)
{
	if (c->detector == ARAS_DET_LR)
		snprintf(buf, len, "LR %.1f", c->safety);
	else if (c->detector == ARAS_DET_MAD)
		snprintf(buf, len, "MAD %.1f", c->safety);
	else
		snprintf(buf, len, "above %.0f%%", c->threshold * 100);
	return buf;
}

/* Add (sign 1) or take away (-1) VM i's load history to host h's, in utilisation. */
static void hist_add(struct thr *c, const struct aras_sim *s, size_t h, size_t i, int sign)
{
	double cap = aras_cl_host_mhz(&s->cl->hosts[h]);

	/* oldest first: the ring's next write position holds the oldest sample */
	for (size_t j = 0; j < c->nhist; j++) {
		size_t at = (c->hpos + ARAS_POL_HIST - c->nhist + j) % ARAS_POL_HIST;

		c->hh[h * ARAS_POL_HIST + j] += sign * c->hist[i * ARAS_POL_HIST + at] / cap;
	}
}

static double mig_secs(const struct aras_sim *s, size_t i)
{
	return (double)s->vms[i].mem_kib / 1024.0 * 8.0 / (s->cl->bandwidth_mbit / 2.0);
}

/* Longest migration of a VM on host h (and of add, if not SIZE_MAX), in polls. */
static double mig_polls(const struct thr *c, const struct aras_sim *s, size_t h, size_t add)
{
	double worst = c->migmax[h];

	if (add != SIZE_MAX && mig_secs(s, add) > worst)
		worst = mig_secs(s, add);
	worst = ceil(worst * 1000.0 / (double)s->cfg->poll_ms);
	return worst < 1 ? 1 : worst;
}

/*
 * Is host h overloaded (with VM add's load and history added, unless
 * SIZE_MAX)?  THR: its load now above threshold x capacity; LR and MAD:
 * their test on its history, or THR while the history is too short.
 */
static int overloaded(struct thr *c, const struct aras_sim *s, size_t h, size_t add)
{
	double cap = aras_cl_host_mhz(&s->cl->hosts[h]);
	double now = c->hload[h] + (add != SIZE_MAX ? c->load[add] : 0);
	double u[ARAS_POL_HIST];
	size_t need = c->detector == ARAS_DET_LR ? ARAS_POL_LR_K : ARAS_POL_MAD_MIN, n = c->nhist;

	if (c->detector == ARAS_DET_THR || n < need)
		return now > c->threshold * cap;
	for (size_t j = 0; j < n; j++) {
		u[j] = c->hh[h * ARAS_POL_HIST + j];
		if (add != SIZE_MAX) {
			size_t at = (c->hpos + ARAS_POL_HIST - n + j) % ARAS_POL_HIST;

			u[j] += c->hist[add * ARAS_POL_HIST + at] / cap;
		}
	}
	if (c->detector == ARAS_DET_MAD)
		return now / cap > 1 - c->safety * aras_pol_mad(u, n);
	return c->safety *
		       aras_pol_lr_predict(u + n - ARAS_POL_LR_K, ARAS_POL_LR_K, mig_polls(c, s, h, add)) >=
	       1;
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
	for (size_t i = 0; i < s->nvms; i++)
		c->hist[i * ARAS_POL_HIST + c->hpos] = c->load[i];
	c->hpos = (c->hpos + 1) % ARAS_POL_HIST;
	if (c->nhist < ARAS_POL_HIST)
		c->nhist++;
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
	if (c->detector != ARAS_DET_THR) {
		memset(c->hh, 0, s->nhosts * ARAS_POL_HIST * sizeof(*c->hh));
		memset(c->migmax, 0, s->nhosts * sizeof(*c->migmax));
		for (size_t i = 0; i < s->nvms; i++) {
			if (mig_secs(s, i) > c->migmax[s->vms[i].host])
				c->migmax[s->vms[i].host] = mig_secs(s, i);
			hist_add(c, s, s->vms[i].host, i, 1);
			if (s->vms[i].migrating)
				hist_add(c, s, s->vms[i].mig_target, i, 1);
		}
	}
	/* 1-2: overloaded hosts, minimum migration time selection */
	for (size_t h = 0; h < s->nhosts; h++) {
		c->over[h] = overloaded(c, s, h, SIZE_MAX);
		while (overloaded(c, s, h, SIZE_MAX)) {
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
			if (c->detector != ARAS_DET_THR)
				hist_add(c, s, h, best, -1);
		}
	}
	/* 3: best fit decreasing onto hosts that stay at or below the threshold */
	qsort_r(c->sel, nsel, sizeof(*c->sel), by_load_desc, c->load);
	for (size_t k = 0; k < nsel; k++) {
		size_t i = c->sel[k];
		const struct aras_sim_vm *v = &s->vms[i];
		double best_rem = 0;
		unsigned best = (unsigned)-1;
		char why[256], dn[32];

		for (size_t g = 0; g < s->nhosts; g++) {
			const struct aras_cl_host *ch = &s->cl->hosts[g];
			double cap = aras_cl_host_mhz(ch), after = c->hload[g] + c->load[i];

			if (c->over[g] || g == v->host)
				continue;
			if (s->hosts[g].mem_used_kib + v->mem_kib > ch->mem_kib)
				continue;
			if (overloaded(c, s, g, i))
				continue;
			if (best == (unsigned)-1 || cap - after < best_rem) {
				best = (unsigned)g;
				best_rem = cap - after;
			}
		}
		if (best == (unsigned)-1) {
			snprintf(why, sizeof(why),
				 "host %s overloaded (%s): no host stays below it with %.0f MHz more",
				 s->cl->hosts[v->host].name, det_name(c, dn, sizeof(dn)), c->load[i]);
			aras_sim_no_target(s, i, why);
			continue;
		}
		snprintf(why, sizeof(why), "host %s overloaded (%s); %s at %.1f%% after",
			 s->cl->hosts[v->host].name, det_name(c, dn, sizeof(dn)), s->cl->hosts[best].name,
			 100 * (c->hload[best] + c->load[i]) / aras_cl_host_mhz(&s->cl->hosts[best]));
		if (aras_sim_migrate(s, i, best, why) == 0) {
			c->hload[best] += c->load[i];
			if (c->detector != ARAS_DET_THR)
				hist_add(c, s, best, i, 1);
		}
	}
	return 0;
}

int aras_pol_thr_new(struct aras_sim_policy *p, const struct aras_pol_thr_opts *o,
		     const struct aras_cluster *cl)
{
	struct thr *c = calloc(1, sizeof(*c));
	size_t n = cl->nvms ? cl->nvms : 1, h = cl->nhosts ? cl->nhosts : 1;

	memset(p, 0, sizeof(*p));
	if (!c)
		return -ARAS_E_NOMEM;
	c->threshold = o->threshold;
	c->detector = o->detector;
	c->safety = o->safety > 0 ? o->safety : o->detector == ARAS_DET_LR ? 1.2 : 2.5;
	c->hist = calloc(n * ARAS_POL_HIST, sizeof(double));
	c->hh = calloc(h * ARAS_POL_HIST, sizeof(double));
	c->migmax = calloc(h, sizeof(double));
	c->prev_work = calloc(n, sizeof(double));
	c->load = calloc(n, sizeof(double));
	c->hload = calloc(h, sizeof(double));
	c->over = calloc(h, 1);
	c->chosen = calloc(n, 1);
	c->sel = calloc(n, sizeof(size_t));
	c->first = calloc(h, sizeof(size_t));
	c->next = calloc(n, sizeof(size_t));
	p->name = o->detector == ARAS_DET_LR ? "lr" : o->detector == ARAS_DET_MAD ? "mad" : "thr";
	p->ctx = c;
	p->poll = thr_poll;
	if (!c->prev_work || !c->load || !c->hload || !c->over || !c->chosen || !c->sel || !c->first ||
	    !c->next || !c->hist || !c->hh || !c->migmax) {
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
	free(c->hist);
	free(c->hh);
	free(c->migmax);
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
