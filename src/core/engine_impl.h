/*
 * engine_impl.h - the definition of struct aras_engine: private to the
 * core (the .c files of src/core) and its unit tests (tests/unit), which may look
 * inside.  Everything else uses core/engine.h's accessors; make lint
 * (tools/core-closed.sh) fails when a file outside src/core and tests/unit
 * includes this header.
 */
#ifndef ARAS_ENGINE_IMPL_H
#define ARAS_ENGINE_IMPL_H

#include "engine.h"

struct aras_engine {
	struct aras_state state; /* settings + per-VM preferences + maintenance */
	uint32_t state_gen;      /* bumped by every commit */
	struct aras_model model;
	struct aras_ctl ctl;
	struct aras_ctl_opts ctl_opts;
	struct aras_plan *plan;   /* arasActionTable */
	struct aras_evlog *evlog; /* NULL without opts.event_log */
	struct aras_backoff backoff;
	struct aras_engine_opts opts;
	struct aras_engine_fx fx;
	time_t wall;               /* the wall clock of the call in progress (from its caller) */
	struct aras_decision *dec; /* one round's decisions */
	uint32_t actions_failed;   /* arasActionsFailed */
	unsigned long breaches;    /* SLA breach alerts seen */
	uint32_t vm_state_changes; /* arasVmStateChangesSeen */
	uint32_t state_coalesced;  /* arasStateNotificationsCoalesced */
	struct aras_notify_limit state_limit;
	/*
	 * arasStatus's aggregates, refreshed where alert and host states change
	 * (a sample, a maintenance change): an SNMP GET reads
	 * them instead of walking every VM.
	 */
	struct aras_model_summary summary;
	/* placement rules (core/rules.h), refreshed each round and at every commit */
	unsigned rule_violations;      /* arasRuleViolations: VMs breaking a rule now */
	uint32_t rule_violations_seen; /* arasRuleViolationsSeen: violation episodes since start */
	unsigned *group_viol;          /* per st->groups entry: violating members (arasGroupViolations) */
	size_t ngroup_viol;
	/*
	 * The orders of a SET between its ACTION and its COMMIT (aras_engine_hold):
	 * the controller leaves their VMs alone meanwhile.
	 */
	const struct aras_orders *held;
	struct aras_orders *recover; /* journalled orders to resolve at start (aras_engine_recover) */
	/*
	 * While aras_engine_resolve runs them: the recovered orders, so that
	 * the edits one SET gave a VM run together again (an edit's action
	 * does not keep another edit of that batch out).
	 */
	const struct aras_orders *resolving;
	struct aras_order_note *notes; /* the last run's outcomes, recorded at resolve */
	size_t nnotes;
	/* the first polls' migrations in flight have been adopted (aras_engine_resolve) */
	int adopt_scanned;
	unsigned adopted; /* how many (arasTakeoverAdopted) */
};

/* Before configuration, in place (the tests embed an engine): state and model empty. */
void aras_engine_init(struct aras_engine *e);
/* What init and start allocated, freed in place (NULL-safe, and after init alone). */
void aras_engine_fini(struct aras_engine *e);

#endif
