/*
 * actions.h - turns the controller's decisions into actions and runs
 * them: proposals wait for the operator (semiAutomatic), approved actions
 * go to the source host's worker, results come back as arasActionDone /
 * arasActionFailed and event-log entries.  Operator orders (approve,
 * reject, arasVmMigrateTo, maintenance) enter here too.  Loop thread only.
 */
#ifndef ARAS_ACTIONS_H
#define ARAS_ACTIONS_H

#include "arasd.h"

#include <stdint.h>

struct aras_job_result;

/* Expire proposals older than proposalTimeout (cheap: call every second). */
void aras_actions_expire(struct arasd *d, uint64_t now_ms);
/* One controller round: expire proposals, decide, propose or run. */
void aras_actions_round(struct arasd *d, uint64_t now_ms);
/* A job finished on a host. */
void aras_actions_result(struct arasd *d, const struct aras_job_result *r, uint64_t now_ms);
/* The operator approved or rejected a proposal (validated already). */
void aras_actions_decide(struct arasd *d, uint32_t index, int state, uint64_t now_ms);
/* The operator orders a live migration (validated already). */
void aras_actions_order_migrate(struct arasd *d, const uint8_t uuid[16], unsigned target, uint64_t now_ms);
/* Check an order before accepting the SET: 0 or -ARAS_E_* with why. */
int aras_actions_check_order(struct arasd *d, const uint8_t uuid[16], unsigned target, char *why,
			     size_t whylen);

#endif
