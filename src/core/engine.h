/*
 * engine.h - the action life cycle in one place, pure C11.
 *
 * The engine owns what the controller works from and what it leaves
 * behind: the settings and preferences (state), the model, the
 * controller's memory, the action table (plan), the event log and the
 * failure backoff.  Everything enters through a few calls:
 *   aras_engine_sample    a host's poll (model, host up/down, SLA alerts)
 *   aras_engine_round     a controller round (expire, decide, gate, act)
 *   aras_engine_expire    the proposal clock alone
 *   aras_engine_result    a job ended
 *   aras_engine_vm_event  a libvirt domain event (a VM's state at once)
 *   aras_engine_check_* / aras_orders_* / aras_engine_hold / aras_engine_commit
 *                         operator orders, staged with a SET, checked again
 *                         and held at its ACTION, applied at its COMMIT
 *                         with the new state (all or none)
 *   aras_engine_recover / aras_engine_resolve
 *                         orders a SET acknowledged that had no outcome
 *                         when arasd stopped (core/journal.h)
 * and leaves only through the effects table (struct aras_engine_fx): start
 * a job, send a notification, mail, run a script, kick the pollers, log a
 * line, a row added to or dropped from its tables; and through return
 * values.  Time is an input: every call that records a time takes the
 * caller's clock (now_ms, monotonic; wall, seconds since the epoch:
 * arasd's time(NULL), the replay's simulated clock); the core reads no
 * clock (tools/core-closed.sh, make lint).  arasd wires the effects to its SNMP, libvirt and notify adapters
 * (src/daemon/effects.c), arasd-replay to its simulator (src/replay/pol_aras.c).
 *
 * Life cycle of an action:
 *   decision -> [no target: event + arasNoTarget]
 *            -> [backoff holds it: nothing]
 *            -> PROPOSED (semiAutomatic, controller's own)  -> approve/reject/expire
 *            -> APPROVED -> RUNNING (job started, cooldown starts)
 *            -> SUCCEEDED / FAILED (result; backoff; a moved VM is moved in the model)
 * Operator life-cycle commands (arasVmCommand, ORDER_COMMAND) are actions
 * of kinds start .. restore with origin operator: checked against the VM's
 * state (core/vmstate.h), no policy gate, no cooldown, no backoff.
 * A VM's arasVmOperState is recomputed after every sample, domain event,
 * job start and result; a change is an event-log row and, rate-limited
 * (arasStateNotifyLimit per window), a notify_vm_state effect.
 * Maintenance: the state's list (persisted, arasHostMaintenance) is the
 * truth; the model's per-host flag is a copy the engine refreshes at start
 * and at every commit.
 * Loop thread only; every effect is called from inside an engine call.
 */
#ifndef ARAS_ENGINE_H
#define ARAS_ENGINE_H

#include "alert.h"
#include "backoff.h"
#include "ctl.h"
#include "evlog.h"
#include "model.h"
#include "plan.h"
#include "state.h"
#include "vmstate.h"

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* The daemon's action table (arasActionTable): finished actions are dropped first. */
#define ARAS_ENGINE_PLAN_CAPACITY 1000
/* The daemon's controller decides on at most this many VMs per round. */
#define ARAS_ENGINE_MAX_DECISIONS 64

/* The effects: every member may be NULL (nothing to do). */
struct aras_engine_fx {
	void *arg;
	/*
	 * Start the job of a (RUNNING now).  0, or -ARAS_E_* (the engine then
	 * fails the action).  May call aras_engine_result() before returning
	 * (a job that ends at once).
	 */
	int (*start_job)(void *arg, const struct aras_action *a);
	/* arasActionProposed / Done / Failed by a->state (the callee picks). */
	void (*notify_action)(void *arg, const struct aras_action *a);
	/* SLA breach or clear (arasActions has trap). */
	void (*notify_event)(void *arg, const struct aras_event *e);
	/* A wanted migration found no target; e is its event-log row (NULL without a log). */
	void (*notify_no_target)(void *arg, const struct aras_decision *dec, const struct aras_event *e);
	/* A host's arasHostState changed. */
	void (*notify_host)(void *arg, const struct aras_host *h);
	/* SLA breach or clear (arasActions has email / script): 0 or -ARAS_E_*. */
	int (*mail)(void *arg, const struct aras_alert *a);
	int (*script)(void *arg, const struct aras_alert *a);
	/*
	 * A VM's arasVmOperState changed (vm->prev_oper -> vm->oper); sent
	 * when arasActions has trap, at most arasStateNotifyLimit per window.
	 */
	void (*notify_vm_state)(void *arg, const struct aras_vm *vm);
	/*
	 * A change of vm's arasVmOperState that the limit held back (no
	 * notify_vm_state for it): VM-MIB's bulk notifications list it.
	 */
	void (*vm_state_held)(void *arg, const struct aras_vm *vm);
	/* count state changes were held back in the window that just ended. */
	void (*notify_coalesced)(void *arg, unsigned count);
	/* A change worth a fresh poll of every host now. */
	void (*kick)(void *arg);
	/*
	 * One log line (syslog level); tok names the part of the core that
	 * speaks ("engine", "model"), as the daemon's log lines do.
	 */
	void (*log)(void *arg, int level, const char *tok, const char *line);
	/*
	 * A journalled order (o->id != 0) has its outcome: outcome is enum
	 * aras_jout (succeeded or failed), text says why or
	 * what.  Called once per order, after its action's notification.
	 */
	void (*order_done)(void *arg, uint32_t id, int outcome, const char *text);
	/*
	 * Rows of the engine's tables come and go (an adapter that indexes
	 * them, the SNMP tables, follows): an action row added to the action
	 * table or dropped from it (before it is reused or freed), an event
	 * row added to the event log or dropped, a VM about to be freed, count
	 * VMs merged into the model (its rows may have moved: walk them again).
	 */
	void (*action_added)(void *arg, struct aras_action *a);
	void (*action_dropped)(void *arg, struct aras_action *a);
	void (*event_added)(void *arg, struct aras_event *ev);
	void (*event_dropped)(void *arg, struct aras_event *ev);
	void (*vm_removed)(void *arg, struct aras_vm *vm);
	void (*vms_added)(void *arg, size_t count);
};

/* An order of the last run and its outcome (aras_engine_order_history). */
struct aras_order_note;

struct aras_engine_opts {
	size_t plan_capacity; /* 0: ARAS_ENGINE_PLAN_CAPACITY */
	size_t max_decisions; /* 0: ARAS_ENGINE_MAX_DECISIONS */
	int event_log;        /* keep an event log (eventLogSize rows) */
	int backoff;          /* failed actions hold the next ones back (core/backoff.h) */
	int follow_moves;     /* a finished migration moves the VM in the model at once */
	int auto_approve;     /* semiAutomatic: proposals approved at once (replay's operator) */
};

/*
 * The engine is opaque: its definition is core/engine_impl.h, for src/core
 * and tests/unit only (tools/core-closed.sh); adapters read it through the
 * accessors below ("reading the engine").
 */
struct aras_engine;

/* A new engine, before configuration: state and model empty (config fills them); NULL without memory. */
struct aras_engine *aras_engine_new(void);
/* Ready to run: plan, controller, backoff, event log; maintenance copied to the model. */
int aras_engine_start(struct aras_engine *e, const struct aras_engine_opts *o,
		      const struct aras_engine_fx *fx);
/* Everything freed, the engine too (NULL-safe, and before start). */
void aras_engine_free(struct aras_engine *e);

/*
 * ---- configuring the engine: before aras_engine_start only ----
 * What the configuration (arasd.conf, the state file, the replay's
 * settings and cluster) fills in: the state (settings, preferences,
 * groups, maintenance), the model's hosts, the controller's options.
 */
struct aras_state *aras_engine_conf_state(struct aras_engine *e);
struct aras_model *aras_engine_conf_model(struct aras_engine *e);
struct aras_ctl_opts *aras_engine_conf_ctl(struct aras_engine *e);

/*
 * ---- reading the engine (loop thread; between engine calls) ----
 * Read-only views: the live state (changed only by aras_engine_commit),
 * its settings and generation (bumped by every commit), the model, the
 * arasStatus aggregates and counters.  The action table and the event log
 * are handed out as themselves (core/plan.h, core/evlog.h: read them with
 * their functions); the only thing an adapter writes there is each row's
 * priv, which is its own (the SNMP tables' back pointer).
 */
const struct aras_state *aras_engine_state(const struct aras_engine *e);
const struct aras_settings *aras_engine_settings(const struct aras_engine *e);
uint32_t aras_engine_state_gen(const struct aras_engine *e);
const struct aras_model *aras_engine_model(const struct aras_engine *e);
struct aras_plan *aras_engine_plan(const struct aras_engine *e);   /* NULL before start */
struct aras_evlog *aras_engine_evlog(const struct aras_engine *e); /* NULL without an event log */
/*
 * RFC 7666 vmIndex of a VM (the state's map, core/state.h): the one it
 * has, or a new one (*added = 1: save the state file before showing it).
 * 0 when out of memory or out of indexes.  A SET staged meanwhile does not
 * lose it: aras_engine_commit keeps the live map.
 */
uint32_t aras_engine_vm_index(struct aras_engine *e, const uint8_t uuid[ARAS_UUID_LEN], int *added);
/* arasStatus's aggregates (refreshed where alert and host states change). */
const struct aras_model_summary *aras_engine_summary(const struct aras_engine *e);
/* arasStatus's counters and gauges. */
struct aras_engine_counters {
	uint32_t actions_failed;       /* arasActionsFailed */
	unsigned long breaches;        /* SLA breach alerts seen */
	uint32_t vm_state_changes;     /* arasVmStateChangesSeen */
	uint32_t state_coalesced;      /* arasStateNotificationsCoalesced */
	unsigned rule_violations;      /* arasRuleViolations: VMs breaking a rule now */
	uint32_t rule_violations_seen; /* arasRuleViolationsSeen */
	uint64_t backed_off;           /* arasActionsBackedOff */
	uint32_t held_min_stay;        /* arasMovesHeldMinStay */
	uint32_t migrations_queued;    /* arasMigrationsQueued */
	int first_polls_resolved;      /* every host polled once, the last run's orders resolved */
	unsigned adopted;              /* migrations in flight adopted then (arasTakeoverAdopted) */
};
void aras_engine_counters(const struct aras_engine *e, struct aras_engine_counters *c);
/* arasGroupViolations of the state's group gi (its position in groups[]): its violating members. */
unsigned aras_engine_group_violations(const struct aras_engine *e, size_t gi);

/*
 * A host's poll: fold it into the model, announce a host state change,
 * evaluate the host's SLAs (alerts to the event log and the effects
 * arasActions selects).  now_ms/wall from the sample.  0 or -ARAS_E_*
 * (the model could not take it; the rest still ran).
 */
int aras_engine_sample(struct aras_engine *e, const struct aras_host_sample *s, time_t wall);
/* One SLA alert (from aras_engine_sample; public for tests). */
void aras_engine_alert(struct aras_engine *e, const struct aras_alert *a);
/*
 * A host changed state (up, down, maintenance): log, event log, notification;
 * the row carries the wall clock of the engine call in progress (from
 * aras_engine_sample, aras_engine_commit).
 */
void aras_engine_host_event(struct aras_engine *e, const struct aras_host *h);

/*
 * Placement rules: find the VMs that break their group's rule now
 * (core/rules.h).  A VM that starts to is an event row (ruleViolation,
 * with the group) and, with arasActions' trap bit, a notification, once per
 * episode, counted in rule_violations_seen; one that stops is a
 * ruleRepaired row.  The flags go to the controller (c->vms[].rule), which
 * repairs outside manual.  aras_engine_round and aras_engine_commit call it.
 */
void aras_engine_rules(struct aras_engine *e);

/* Expire proposals older than proposalTimeout. */
void aras_engine_expire(struct aras_engine *e, uint64_t now_ms, time_t wall);
/* One controller round: expire, decide, then per decision: no-target notice, backoff, policy gate, start. */
void aras_engine_round(struct aras_engine *e, uint64_t now_ms, time_t wall);
/* A job ended (ok, or err says why). */
void aras_engine_result(struct aras_engine *e, uint32_t action, int ok, const char *err, uint64_t now_ms,
			time_t wall);
/* How a job ended beyond ok or not. */
enum aras_result_detail {
	ARAS_RESULT_PLAIN = 0,
	ARAS_RESULT_FORCED = 1, /* shutdownForce: the guest ignored the button, powered off at the timeout */
};
/* The same with a detail (enum aras_result_detail). */
void aras_engine_result_detail(struct aras_engine *e, uint32_t action, int ok, const char *err, int detail,
			       uint64_t now_ms, time_t wall);

/*
 * A running migration's progress (st->completed = 0) or the statistics of
 * its completed job (st->completed = 1; the daemon sends them after the
 * result, which must not wait for a second connection to the
 * destination): the action row's data processed / remaining / total
 * (MiB), and at the end its downtime and duration (ms).  Ignored for an
 * action that is not a migration, running (progress) or running or
 * succeeded (completed figures).  aras_engine_result completes what the
 * job did not report: a successful migration has nothing remaining, and
 * its duration is the time from its start to its result until libvirt's
 * figures arrive.
 */
void aras_engine_progress(struct aras_engine *e, uint32_t action, const struct aras_mig_stats *st);

/* How a migration is run (the migration envelope, from the settings). */
struct aras_mig_envelope {
	uint32_t bandwidth_mib;     /* MiB/s, 0 = unlimited */
	int auto_converge;          /* VIR_MIGRATE_AUTO_CONVERGE */
	int post_copy;              /* VIR_MIGRATE_POSTCOPY, switched at post_copy_after_s */
	unsigned post_copy_after_s; /* still copying after this: switch to post-copy */
};
/* The envelope of migration a (every origin gets the same; see arasMigrationAutoConverge). */
void aras_engine_mig_envelope(const struct aras_settings *s, const struct aras_action *a,
			      struct aras_mig_envelope *env);

/*
 * A libvirt domain event (see struct aras_vm_event): the VM's state now,
 * at once, with the change announced as after a poll.  Returns 1 when a
 * fresh poll is wanted (the event names a VM arasd does not know there, or
 * asks for a re-read); the engine does not kick for it itself, so that a
 * storm of events costs one poll.
 */
int aras_engine_vm_event(struct aras_engine *e, const struct aras_vm_event *ev, time_t wall);
/* Send the summary of a notification window that has ended (the daemon's 1 s timer calls it). */
void aras_engine_flush_notify(struct aras_engine *e, uint64_t now_ms);
/*
 * A host that is up (or not yet polled) but has sent no poll result for
 * aras_engine_stall_ms: its libvirt hangs (a wedged libvirtd answers no
 * call, and virConnectOpen has no timeout).  It is made down, as by a
 * failed poll, with the reason; its next result, whenever the call
 * returns, sets it again.  The daemon's 1 s timer calls it.
 */
void aras_engine_watch_hosts(struct aras_engine *e, uint64_t now_ms, time_t wall);
/* 2 x pollInterval + 30 s: a poll that is slow, or libvirt's own 30 s job timeout, is not a hang. */
uint64_t aras_engine_stall_ms(const struct aras_engine *e);

/* ---- operator orders ---- */

enum aras_order_kind {
	ARAS_ORDER_DECIDE = 1,
	ARAS_ORDER_MIGRATE = 2,
	ARAS_ORDER_COMMAND = 3,
	ARAS_ORDER_EDIT = 4,
	ARAS_ORDER_CLONE = 5
};
/*
 * What an EDIT order changes (issue 24): the vCPU count, the current
 * memory (balloon), both live and in the persistent definition, the
 * maximum memory of the persistent definition (the next boot's), or a
 * disk's size (MiB; grown only: live for a running VM, its volume for a
 * shut-off one).
 */
enum aras_edit { ARAS_EDIT_VCPUS = 1, ARAS_EDIT_MEM = 2, ARAS_EDIT_MEM_MAX = 3, ARAS_EDIT_DISK = 4 };
#define ARAS_EDIT_MAX ARAS_EDIT_DISK
/* The least memory an edit gives a VM (KiB): 64 MiB. */
#define ARAS_EDIT_MEM_MIN_KIB 65536u
struct aras_order {
	uint32_t id;                    /* its id in the order journal (core/journal.h); 0: not journalled */
	int kind;                       /* enum aras_order_kind */
	int cmd;                        /* COMMAND: enum aras_cmd (arasVmCommand) */
	uint32_t action;                /* DECIDE: arasActionIndex */
	int state;                      /* DECIDE: approved(2) or rejected(3) */
	uint8_t uuid[ARAS_UUID_LEN];    /* MIGRATE, COMMAND, EDIT: the VM (DECIDE: the action's VM) */
	unsigned target;                /* MIGRATE: host index */
	int edit;                       /* EDIT: enum aras_edit */
	uint64_t value;                 /* EDIT: vCPUs, KiB, or a disk's new size in MiB */
	char disk[ARAS_DEV_TARGET_MAX]; /* EDIT of a disk: its target name (vda) */
	int force;                      /* EDIT: beyond what the VM's host can carry (arasVmEditForce) */
	/*
	 * CLONE (arasCloneTable): uuid is the template, target the new VM's
	 * host (0: the template's), name its name, start: start it once
	 * defined, request: the arasCloneTable row that asked.
	 */
	char name[ARAS_CLONE_NAME_MAX + 1];
	int start;
	uint32_t request;
	/* the last run started its job (the journal's "start ID"): never run again */
	int started;
};
/* 1 when name[0..len) may name a clone (ARAS_CLONE_NAME_MAX, core/plan.h), else 0. */
int aras_clone_name_ok(const char *name, size_t len);
/* "vcpus", "memory", "maxMemory", "disk" ("?" otherwise) */
const char *aras_edit_name(int edit);
/* Its ARAS-MIB object: arasVmVcpusTarget, arasVmMemTarget, arasVmMemMaxTarget, arasDiskCapacityTarget ("?" otherwise) */
const char *aras_edit_object(int edit);

/* A journalled order's outcome (core/journal.h). */
enum aras_jout {
	ARAS_JOUT_PENDING = 0,
	ARAS_JOUT_SUCCEEDED = 1,
	ARAS_JOUT_FAILED = 2,
	ARAS_JOUT_CANCELLED = 3
};
/* "pending", "succeeded", "failed", "cancelled" ("?" otherwise) */
const char *aras_order_outcome_name(int outcome);

/* Orders staged for one SET. */
struct aras_orders {
	struct aras_order *v;
	size_t n, cap;
	uint8_t (*forced)[ARAS_UUID_LEN]; /* VMs the SET's arasVmEditForce true(1) names */
	size_t nforced;
};

/*
 * Check one order against the live state: 0, or -ARAS_E_NOENT (no such
 * VM / action), -ARAS_E_RANGE (no such host, not approve/reject; an edit
 * out of the VM's range, a clone's name not ARAS_CLONE_NAME_MAX of
 * [A-Za-z0-9._-]: vCPUs 1 .. its maximum, memory
 * ARAS_EDIT_MEM_MIN_KIB .. its maximum, a maximum of at least
 * ARAS_EDIT_MEM_MIN_KIB), -ARAS_E_INCONSIST (not possible now; an edit
 * beyond what its host can carry without o->force: more vCPUs than the
 * host has CPUs, more memory than it has free for a running VM, a maximum
 * above its memory; a clone whose template is not shut off or has a
 * managed-save image, whose name a VM or a clone in progress has, whose
 * host is down or in maintenance, or, to be started, lacks the
 * template's memory or CPUs), with why.  An operator's command
 * or migrate order wins over the controller: a proposal for the VM does
 * not keep it out (the order supersedes it: the proposal is rejected when
 * the order runs), and destroy(5) and shutdownForce(4) run even beside
 * an approved or running controller (or maintenance) action.  Any other
 * action in progress on the VM refuses the order.
 */
int aras_engine_check_order(const struct aras_engine *e, const struct aras_order *o, char *why,
			    size_t whylen);
/* Stage an order (an edit of a VM forced in this SET is forced): 0 or -ARAS_E_NOMEM. */
int aras_orders_add(struct aras_orders *os, const struct aras_order *o);
/*
 * arasVmEditForce true(1) for VM uuid in this SET: its edits, staged
 * before or after, may go beyond what its host can carry.  0 or
 * -ARAS_E_NOMEM.
 */
int aras_orders_force(struct aras_orders *os, const uint8_t uuid[ARAS_UUID_LEN]);
/*
 * The staged orders together: at most one per VM and per action, but for
 * a rejection of the VM's proposal next to a command or migrate order for
 * it (which supersedes it anyway).  0 or -ARAS_E_INCONSIST with why.
 */
int aras_orders_check(const struct aras_orders *os, char *why, size_t whylen);
void aras_orders_clear(struct aras_orders *os);
/*
 * The PDU's migrate orders together against the placement rules as the
 * SET leaves them (st: the staged state, with the PDU's groups and
 * memberships; NULL: the live one): each order is checked with the ones
 * before it applied (two members of an anti-affinity group sent to one
 * host in one SET break the rule even when each alone does not; a VM put
 * into a group and sent next to a member in the same SET too).  Each order
 * alone was also checked against the live rules (aras_engine_check_order).
 * 0 or -ARAS_E_INCONSIST with why.
 */
int aras_engine_check_orders(const struct aras_engine *e, const struct aras_state *st,
			     const struct aras_orders *os, char *why, size_t whylen);

/*
 * Every check of a SET's orders at once, against the live state now: each
 * order alone (aras_engine_check_order), together (aras_orders_check), and
 * the placement rules with st (aras_engine_check_orders).  RESERVE2 runs
 * it, and ACTION again: under AgentX the test and the commit are separate
 * messages, and the loop may have started an action for a VM in between.
 * 0 or -ARAS_E_* with why.
 */
int aras_engine_check_all(const struct aras_engine *e, const struct aras_state *st,
			  const struct aras_orders *os, char *why, size_t whylen);
/*
 * A SET passed its ACTION: its orders' VMs are held (the controller starts
 * nothing for them) until aras_engine_commit, or aras_engine_hold(e, NULL)
 * when the SET is undone.  os must live until then.
 */
void aras_engine_hold(struct aras_engine *e, const struct aras_orders *os);

/*
 * Run one order now (checked already).  One no longer possible is a
 * failed action (or, for a decision, a failed outcome); a journalled one
 * (o->id) reports its outcome through order_done.
 */
void aras_engine_order(struct aras_engine *e, const struct aras_order *o, uint64_t now_ms, time_t wall);

/*
 * At start: an order the last run journalled with no outcome.  Kept until
 * every host has been polled once (or found down), then resolved by
 * aras_engine_resolve: a command or migrate order that is still valid runs
 * (its action's reason says so); one that is not, and every decision (the
 * proposals of the last run are gone), is a failed action row (an event
 * row and arasActionFailed; a decision, an event row) saying why.  0 or
 * -ARAS_E_NOMEM.
 */
int aras_engine_recover(struct aras_engine *e, const struct aras_order *o);
/* Resolve the recovered orders if every host's state is known (aras_engine_sample calls it). */
void aras_engine_resolve(struct aras_engine *e, uint64_t now_ms, time_t wall);
/*
 * At start: an order the last run journalled with its outcome (enum
 * aras_jout, text): an event row saying so, so that the outcome of an
 * order acknowledged just before a crash is still on record.  Recorded
 * with the recovered orders, once every host is known (the row names the
 * VM); at once when out of memory.
 */
void aras_engine_order_history(struct aras_engine *e, const struct aras_order *o, int outcome,
			       const char *text, time_t wall);

/*
 * A SET's COMMIT: *staged becomes the state (moved in, *staged left
 * empty), the event log resized, maintenance transitions announced, a
 * shorter pollInterval's hang watch counted from now_ms, changed settings
 * logged, the hold released, then os's orders run in order.
 */
void aras_engine_commit(struct aras_engine *e, struct aras_state *staged, const struct aras_orders *os,
			uint64_t now_ms, time_t wall);

#endif
