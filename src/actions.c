/*
 * actions.c - see actions.h.
 */
#include "actions.h"

#include "core/log.h"
#include "snmp/mib.h"
#include "virt/collect.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

static const struct aras_host_conf *host_conf(const struct arasd *d, unsigned index)
{
	for (size_t i = 0; i < d->nhosts; i++)
		if (d->hosts[i].index == index)
			return &d->hosts[i];
	return NULL;
}

/* Event-log entry + notification for an action's new state. */
static void announce(struct arasd *d, const struct aras_action *a, int ev)
{
	struct aras_alert al;
	const struct aras_host *h = aras_model_host(&d->model, a->source);
	const struct aras_host *t = a->target ? aras_model_host(&d->model, a->target) : NULL;

	aras_alert_init(&al, ev, time(NULL), a->uuid, a->vm_name, a->source, h ? h->name : "", a->resource);
	snprintf(al.text, sizeof(al.text), "action %u %s %s%s%s: %.150s%s%.80s", (unsigned)a->index,
		 aras_kind_name(a->kind), aras_astate_name(a->state), t ? " to " : "", t ? t->name : "",
		 a->reason, a->error[0] ? "; error: " : "", a->error);
	log_info("VM %s: %s", a->vm_name, al.text);
	if (ev == ARAS_EV_ACTION_FAILED)
		d->counters.actions_failed++;
	if (d->evlog)
		aras_evlog_add(d->evlog, &al);
	aras_notify_action(d, a);
}

static void start(struct arasd *d, struct aras_action *a, uint64_t now_ms)
{
	struct aras_job job;
	const struct aras_host_conf *tc = a->target ? host_conf(d, a->target) : NULL;
	int rc;

	memset(&job, 0, sizeof(job));
	job.action = a->index;
	job.kind = a->kind;
	memcpy(job.uuid, a->uuid, sizeof(job.uuid));
	job.amount = a->amount;
	job.timeout_s = d->state.settings.v[ARAS_S_MIGRATION_TIMEOUT];
	job.unsafe = d->migration_unsafe;
	if (d->disk_pool)
		snprintf(job.disk_pool, sizeof(job.disk_pool), "%s", d->disk_pool);
	if (tc) {
		snprintf(job.dst_uri, sizeof(job.dst_uri), "%s", tc->uri);
		if (tc->mig_uri) {
			const char *p = strstr(tc->mig_uri, "%s");

			if (p)
				snprintf(job.mig_uri, sizeof(job.mig_uri), "%.*s%s%s", (int)(p - tc->mig_uri),
					 tc->mig_uri, a->vm_name, p + 2);
			else
				snprintf(job.mig_uri, sizeof(job.mig_uri), "%s", tc->mig_uri);
		}
	}
	a->state = ARAS_AS_RUNNING;
	a->started_ms = now_ms;
	aras_ctl_note_action(&d->ctl, a, now_ms);
	rc = d->collector ? aras_collector_submit(d->collector, a->source, &job) : -ARAS_E_NOENT;
	if (rc < 0) {
		struct aras_job_result r;

		memset(&r, 0, sizeof(r));
		r.action = a->index;
		snprintf(r.err, sizeof(r.err), "cannot queue the job: %s", aras_strerror(rc));
		aras_actions_result(d, &r, now_ms);
	}
}

static struct aras_action *create(struct arasd *d, const struct aras_decision *dec, int state,
				  uint64_t now_ms)
{
	struct aras_action a, *na;

	aras_action_from_decision(&a, dec, state, time(NULL), now_ms);
	na = aras_plan_add(d->plan, &a);
	if (!na)
		log_err("action table full of unfinished actions; VM %s not handled", dec->vm_name);
	return na;
}

/* Migration wanted, nothing fits: event log + arasNoTarget saying why. */
static void no_target(struct arasd *d, const struct aras_decision *dec)
{
	const struct aras_host *h = aras_model_host(&d->model, dec->source);
	struct aras_event *e;
	struct aras_alert al;

	aras_alert_init(&al, ARAS_EV_INFO, time(NULL), dec->uuid, dec->vm_name, dec->source, h ? h->name : "",
			dec->resource);
	snprintf(al.text, sizeof(al.text), "no move: %.240s", dec->reason);
	log_warn("VM %s: %s", dec->vm_name, al.text);
	e = d->evlog ? aras_evlog_add(d->evlog, &al) : NULL;
	if (e)
		aras_notify_no_target(d, e);
}

/*
 * Record the result in the backoff; a failure streak that reaches 1, 2, 4,
 * 8 ... failures on a host says so once in the event log.
 */
static void backoff(struct arasd *d, const struct aras_action *a, int ok, uint64_t now_ms)
{
	uint32_t streak = 0;
	int64_t wait = aras_backoff_result(&d->backoff, a->uuid, a->source, ok, now_ms, &streak);
	const struct aras_host *h = aras_model_host(&d->model, a->source);
	struct aras_alert al;

	if (wait < 0) {
		log_err("backoff: %s", aras_strerror((int)wait));
		return;
	}
	if (ok || streak == 0 || (streak & (streak - 1)) != 0)
		return;
	aras_alert_init(&al, ARAS_EV_INFO, time(NULL), a->uuid, a->vm_name, a->source, h ? h->name : "",
			a->resource);
	snprintf(al.text, sizeof(al.text),
		 "backoff: %u failed action%s in a row on host %s: no action there for %lld.%03lld s, none for this VM for %llu s or more",
		 (unsigned)streak, streak == 1 ? "" : "s", h ? h->name : "?", (long long)(wait / 1000),
		 (long long)(wait % 1000), (unsigned long long)(ARAS_BACKOFF_VM_BASE_MS / 1000));
	log_warn("VM %s: %s", a->vm_name, al.text);
	if (d->evlog)
		aras_evlog_add(d->evlog, &al);
}

static void on_expired(struct aras_action *a, void *arg)
{
	struct arasd *d = arg;

	a->finished = time(NULL);
	snprintf(a->error, sizeof(a->error), "not approved within %u s",
		 (unsigned)d->state.settings.v[ARAS_S_PROPOSAL_TIMEOUT]);
	announce(d, a, ARAS_EV_INFO);
}

void aras_actions_expire(struct arasd *d, uint64_t now_ms)
{
	if (d->plan)
		aras_plan_expire(d->plan, now_ms, d->state.settings.v[ARAS_S_PROPOSAL_TIMEOUT], on_expired, d);
}

void aras_actions_round(struct arasd *d, uint64_t now_ms)
{
	struct aras_decision dec[64];
	size_t n;
	int policy = (int)d->state.settings.v[ARAS_S_POLICY];

	if (!d->plan)
		return;
	aras_actions_expire(d, now_ms);
	n = aras_ctl_decide(&d->ctl, &d->model, &d->state, d->plan, &d->ctl_opts, now_ms, dec,
			    ARAS_ARRAY_SIZE(dec));
	for (size_t i = 0; i < n; i++) {
		struct aras_action *a;

		if (dec[i].no_target) {
			no_target(d, &dec[i]);
			continue;
		}
		/* a VM or host whose last actions failed waits (core/backoff.h) */
		if (!aras_backoff_admit(&d->backoff, dec[i].uuid, dec[i].source, now_ms))
			continue;
		/* maintenance is an operator order; otherwise the policy decides */
		if (dec[i].origin == ARAS_ORIGIN_CONTROLLER && policy == ARAS_POLICY_SEMI) {
			a = create(d, &dec[i], ARAS_AS_PROPOSED, now_ms);
			if (a)
				announce(d, a, ARAS_EV_ACTION_PROPOSED);
			continue;
		}
		a = create(d, &dec[i], ARAS_AS_APPROVED, now_ms);
		if (a) {
			announce(d, a, ARAS_EV_ACTION_STARTED);
			start(d, a, now_ms);
		}
	}
}

void aras_actions_result(struct arasd *d, const struct aras_job_result *r, uint64_t now_ms)
{
	struct aras_action *a = d->plan ? aras_plan_get(d->plan, r->action) : NULL;

	if (!a)
		return;
	a->state = r->ok ? ARAS_AS_SUCCEEDED : ARAS_AS_FAILED;
	a->finished = time(NULL);
	a->finished_ms = now_ms;
	if (!r->ok)
		snprintf(a->error, sizeof(a->error), "%s", r->err);
	aras_ctl_note_result(&d->ctl, a, r->ok, now_ms);
	if (r->ok && a->kind == ARAS_KIND_MIGRATE && a->target) {
		/*
		 * It runs on the target now: say so at once, and ignore the
		 * source's samples that still list it (taken before it left).
		 */
		struct aras_vm *vm = aras_model_find_vm(&d->model, a->uuid);

		if (vm)
			aras_model_vm_moved(&d->model, vm, a->target, now_ms);
	}
	announce(d, a, r->ok ? ARAS_EV_ACTION_DONE : ARAS_EV_ACTION_FAILED);
	backoff(d, a, r->ok, now_ms);
	/*
	 * A change is worth a fresh poll at once; a failure is not (a poll per
	 * result is what turned fast failures into a storm).
	 */
	if (r->ok && d->collector)
		aras_collector_kick(d->collector);
}

void aras_actions_decide(struct arasd *d, uint32_t index, int state, uint64_t now_ms)
{
	struct aras_action *a = aras_plan_get(d->plan, index);
	char why[ARAS_ERRTEXT_MAX];

	if (!a || a->state != ARAS_AS_PROPOSED)
		return;
	if (state == ARAS_AS_REJECTED) {
		a->state = ARAS_AS_REJECTED;
		a->finished = time(NULL);
		a->finished_ms = now_ms;
		/* the operator said no: do not propose it again before the cooldown */
		aras_ctl_note_action(&d->ctl, a, now_ms);
		announce(d, a, ARAS_EV_INFO);
		return;
	}
	/* approval re-checks headroom: the cluster may have changed since */
	if (aras_ctl_recheck(&d->ctl, &d->model, &d->state, d->plan, a, now_ms, why, sizeof(why)) < 0) {
		a->state = ARAS_AS_FAILED;
		a->finished = time(NULL);
		a->finished_ms = now_ms;
		snprintf(a->error, sizeof(a->error), "approved but re-check failed: %.220s", why);
		aras_ctl_note_result(&d->ctl, a, 0, now_ms);
		announce(d, a, ARAS_EV_ACTION_FAILED);
		return;
	}
	a->state = ARAS_AS_APPROVED;
	announce(d, a, ARAS_EV_ACTION_STARTED);
	start(d, a, now_ms);
}

int aras_actions_check_order(struct arasd *d, const uint8_t uuid[16], unsigned target, char *why,
			     size_t whylen)
{
	const struct aras_vm *vm = aras_model_find_vm(&d->model, uuid);
	const struct aras_host *t = aras_model_host(&d->model, target);

	if (!vm) {
		snprintf(why, whylen, "no such VM");
		return -ARAS_E_NOENT;
	}
	if (!t) {
		snprintf(why, whylen, "no host with index %u", target);
		return -ARAS_E_RANGE;
	}
	if (vm->host == target) {
		snprintf(why, whylen, "VM already on host %s", t->name);
		return -ARAS_E_INCONSIST;
	}
	if (t->state != ARAS_HOST_UP || t->maintenance) {
		snprintf(why, whylen, "host %s is %s", t->name, t->maintenance ? "in maintenance" : "down");
		return -ARAS_E_INCONSIST;
	}
	if (vm->state != ARAS_VM_RUNNING && vm->state != ARAS_VM_BLOCKED) {
		snprintf(why, whylen, "VM %s is not running", vm->name);
		return -ARAS_E_INCONSIST;
	}
	if (d->plan && aras_plan_open_for(d->plan, uuid)) {
		snprintf(why, whylen, "VM %s has an action in progress", vm->name);
		return -ARAS_E_INCONSIST;
	}
	return 0;
}

void aras_actions_order_migrate(struct arasd *d, const uint8_t uuid[16], unsigned target, uint64_t now_ms)
{
	const struct aras_vm *vm = aras_model_find_vm(&d->model, uuid);
	const struct aras_host *t = aras_model_host(&d->model, target);
	struct aras_decision dec;
	struct aras_action *a;

	if (!vm || !t)
		return;
	memset(&dec, 0, sizeof(dec));
	memcpy(dec.uuid, uuid, sizeof(dec.uuid));
	snprintf(dec.vm_name, sizeof(dec.vm_name), "%s", vm->name);
	dec.kind = ARAS_KIND_MIGRATE;
	dec.source = vm->host;
	dec.target = target;
	dec.resource = ARAS_RES_NONE;
	dec.origin = ARAS_ORIGIN_OPERATOR;
	snprintf(dec.reason, sizeof(dec.reason), "ordered by the operator (arasVmMigrateTo %u, host %s)",
		 target, t->name);
	a = create(d, &dec, ARAS_AS_APPROVED, now_ms);
	if (a) {
		announce(d, a, ARAS_EV_ACTION_STARTED);
		start(d, a, now_ms);
	}
}
