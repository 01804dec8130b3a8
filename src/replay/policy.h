/*
 * policy.h - the policies arasd-replay compares on one simulated cluster:
 *   aras  arasd's own core (model, SLA engine, allocation controller,
 *         action plan) fed with synthetic poll samples (pol_aras.c);
 *   thr   the static-threshold baseline of Beloglazov & Buyya 2012
 *         (THR-MMT with best-fit-decreasing placement, pol_thr.c).
 * ("none" is a run without a policy.)  Each fills a struct
 * aras_sim_policy for aras_sim_run().  Pure C11.
 */
#ifndef ARAS_REPLAY_POLICY_H
#define ARAS_REPLAY_POLICY_H

#include "sim.h"
#include "trace.h"

#include "core/state.h"

struct aras_pol_aras_opts {
	const struct aras_state *st; /* settings (thresholds, hold time, policy, caps) */
	int kick;                    /* poll and decide again when a migration ends (as arasd does) */
};

/* 0 or -ARAS_E_NOMEM. */
int aras_pol_aras_new(struct aras_sim_policy *p, const struct aras_pol_aras_opts *o, const struct aras_trace *t,
		      const struct aras_cluster *cl);
void aras_pol_aras_free(struct aras_sim_policy *p);

struct aras_pol_thr_opts {
	double threshold;            /* host overloaded above this share of its CPU (0.8) */
};

int aras_pol_thr_new(struct aras_sim_policy *p, const struct aras_pol_thr_opts *o, const struct aras_cluster *cl);
void aras_pol_thr_free(struct aras_sim_policy *p);

#endif
