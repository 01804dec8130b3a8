/*
 * policy.h - the policies arasd-replay compares on one simulated cluster:
 *   aras  arasd's own core (model, SLA engine, allocation controller,
 *         action plan) fed with synthetic poll samples (pol_aras.c);
 *   thr   the static-threshold baseline of Beloglazov & Buyya 2012
 *         (THR-MMT with best-fit-decreasing placement, pol_thr.c);
 *   lr, mad  the same paper's LR-MMT-1.2 and MAD-MMT-2.5 (pol_thr.c with
 *         the detectors of pol_adapt.c);
 *   drs   a DRS-like load balancer (pol_drs.c).
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
	/*
	 * Placement rules whose violations are counted each poll (NULL: those
	 * of st): a run without rules counts what it would have broken.
	 */
	const struct aras_state *audit;
	/*
	 * The engine's event rows as they are recorded (--events), one line
	 * each: T_S POLICY TYPE VM HOST TEXT (T_S: the event's time, the
	 * simulated clock, as the action log's); NULL: no event log.
	 */
	FILE *events;
};

/* 0 or -ARAS_E_NOMEM. */
int aras_pol_aras_new(struct aras_sim_policy *p, const struct aras_pol_aras_opts *o,
		      const struct aras_trace *t, const struct aras_cluster *cl);
void aras_pol_aras_free(struct aras_sim_policy *p);

enum aras_pol_detector { ARAS_DET_THR, ARAS_DET_LR, ARAS_DET_MAD };

struct aras_pol_thr_opts {
	double threshold; /* host overloaded above this share of its CPU (0.8); LR/MAD: until
	                                a host has the history they need */
	int detector;     /* enum aras_pol_detector: thr, lr (LR-MMT), mad (MAD-MMT) */
	double safety;    /* LR: 1.2, MAD: 2.5 (0: these) */
};

/* Utilisation history kept per VM, and what the detectors need of it. */
#define ARAS_POL_HIST 12
#define ARAS_POL_LR_K 10
#define ARAS_POL_MAD_MIN 12

/* Median absolute deviation of u[0..n) (n <= ARAS_POL_HIST). */
double aras_pol_mad(const double *u, size_t n);
/* Loess line through u[0..n) (oldest first, x = 1..n), evaluated at x = n + ahead. */
double aras_pol_lr_predict(const double *u, size_t n, double ahead);

int aras_pol_thr_new(struct aras_sim_policy *p, const struct aras_pol_thr_opts *o,
		     const struct aras_cluster *cl);
void aras_pol_thr_free(struct aras_sim_policy *p);

struct aras_pol_drs_opts {
	double target; /* balance while the host load standard deviation is above this (0.1) */
};

int aras_pol_drs_new(struct aras_sim_policy *p, const struct aras_pol_drs_opts *o,
		     const struct aras_cluster *cl);
void aras_pol_drs_free(struct aras_sim_policy *p);

#endif
