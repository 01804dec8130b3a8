/*
 * effects.c - see effects.h.  Each effect is a thin call into one
 * adapter, plus the daemon's counters the status scalars show.
 */
#include "effects.h"

#include "arasd.h"

#include "util/log.h"
#include "notify/mail.h"
#include "notify/script.h"
#include "snmp/mib.h"
#include "snmp/notify.h"
#include "snmp/vmmib.h"
#include "virt/collect.h"

#include <stdio.h>
#include <string.h>

/* Log lines of this file say where they come from (util/log.h). */
static const char log_token[] = "engine";

static const struct aras_host_conf *host_conf(const struct arasd *d, unsigned index)
{
	for (size_t i = 0; i < d->nhosts; i++)
		if (d->hosts[i].index == index)
			return &d->hosts[i];
	return NULL;
}

/* migrationUri: "%s" stands for the VM's name. */
static void mig_uri(char *out, size_t len, const char *tmpl, const char *vm_name)
{
	const char *p = strstr(tmpl, "%s");

	if (p)
		snprintf(out, len, "%.*s%s%s", (int)(p - tmpl), tmpl, vm_name, p + 2);
	else
		snprintf(out, len, "%s", tmpl);
}

static int start_job(void *arg, const struct aras_action *a)
{
	struct arasd *d = arg;
	/* a clone made on its template's host uses that host's connection */
	const struct aras_host_conf *tc =
		a->target && a->target != (a->kind == ARAS_KIND_CLONE ? a->source : 0) ?
			host_conf(d, a->target) :
			NULL;
	const struct aras_settings *set = aras_engine_settings(d->eng);
	struct aras_job job;

	memset(&job, 0, sizeof(job));
	job.action = a->index;
	job.kind = a->kind;
	memcpy(job.uuid, a->uuid, sizeof(job.uuid));
	job.amount = a->amount;
	job.maximum = a->maximum;
	snprintf(job.disk, sizeof(job.disk), "%s", a->disk);
	job.disk_absolute = a->disk_absolute;
	job.timeout_s = a->kind == ARAS_KIND_CLONE ?
				0 :
				set->v[ARAS_KIND_IS_LIFECYCLE(a->kind) ? ARAS_S_SHUTDOWN_TIMEOUT :
									 ARAS_S_MIGRATION_TIMEOUT];
	job.unsafe = d->migration_unsafe;
	snprintf(job.clone_name, sizeof(job.clone_name), "%s", a->clone_name);
	job.clone_start = a->clone_start;
	if (a->kind == ARAS_KIND_MIGRATE) {
		struct aras_mig_envelope env;

		aras_engine_mig_envelope(set, a, &env);
		job.bandwidth_mib = env.bandwidth_mib;
		job.auto_converge = env.auto_converge;
		job.post_copy = env.post_copy;
		job.post_copy_after_s = env.post_copy_after_s;
	}
	job.adopt = a->adopted;
	if (d->disk_pool)
		snprintf(job.disk_pool, sizeof(job.disk_pool), "%s", d->disk_pool);
	if (tc) {
		snprintf(job.dst_uri, sizeof(job.dst_uri), "%s", tc->uri);
		if (tc->mig_uri)
			mig_uri(job.mig_uri, sizeof(job.mig_uri), tc->mig_uri, a->vm_name);
	}
	if (!d->collector)
		return -ARAS_E_NOENT;
	/*
	 * Durable before libvirt sees the job: a restart after this never
	 * runs the order again (a second move or command), whatever became of
	 * it (core/journal.h).  Not written: the order may run again then.
	 */
	if (a->order_id && !a->adopted) {
		char why[512];

		if (aras_journal_started(&d->journal, a->order_id, why, sizeof(why)) < 0)
			aras_log_tok(LOG_ERR, log_token, "order journal: order %u started: %s",
				     (unsigned)a->order_id, why);
	}
	return aras_collector_submit(d->collector, a->source, &job);
}

static void notify_action(void *arg, const struct aras_action *a)
{
	aras_notify_action(arg, a);
}

static void notify_event(void *arg, const struct aras_event *e)
{
	aras_notify_event(arg, e);
}

static void notify_no_target(void *arg, const struct aras_decision *dec, const struct aras_event *e)
{
	(void)dec;
	if (e)
		aras_notify_no_target(arg, e);
}

static void notify_host(void *arg, const struct aras_host *h)
{
	aras_notify_host_state(arg, h);
}

static void notify_vm_state(void *arg, const struct aras_vm *vm)
{
	aras_notify_vm_state(arg, vm);
	aras_vmmib_vm_state(arg, vm);
}

static void vm_state_held(void *arg, const struct aras_vm *vm)
{
	aras_vmmib_vm_held(arg, vm);
}

/* ARAS-MIB's arasVmTable and VM-MIB (vmDeleted, its rows) follow the model's VMs. */
static void vm_removed(void *arg, struct aras_vm *vm)
{
	aras_vmmib_vm_removed(arg, vm);
	aras_mib_vm_removed(arg, vm);
}

static void vms_added(void *arg, size_t count)
{
	aras_vmmib_touch();
	aras_mib_vms_added(arg, count);
}

static void notify_coalesced(void *arg, unsigned count)
{
	(void)count; /* the notification carries the running total */
	aras_notify_state_coalesced(arg);
}

static int mail(void *arg, const struct aras_alert *a)
{
	struct arasd *d = arg;

	if (!d->mailer)
		return 0;
	if (aras_mailer_send(d->mailer, a) < 0) {
		aras_counters_mail(&d->counters, 0, 1);
		return -ARAS_E_IO;
	}
	return 0;
}

static int script(void *arg, const struct aras_alert *a)
{
	struct arasd *d = arg;

	if (!d->scripts)
		return 0;
	if (aras_scripts_run(d->scripts, a) < 0) {
		aras_counters_script(&d->counters, 0, 1);
		return -ARAS_E_IO;
	}
	aras_counters_script(&d->counters, 1, 0);
	return 0;
}

static void kick(void *arg)
{
	struct arasd *d = arg;

	if (d->collector)
		aras_collector_kick(d->collector);
}

/* The core names its part ("engine", "model"): the token its lines had. */
static void log_line(void *arg, int level, const char *tok, const char *line)
{
	(void)arg;
	aras_log_tok(level, tok ? tok : log_token, "%s", line);
}

static void order_done(void *arg, uint32_t id, int outcome, const char *text)
{
	struct arasd *d = arg;
	char why[256];

	/* not durable: the order is resolved again at the next start (core/journal.h) */
	if (aras_journal_done(&d->journal, id, outcome, text, why, sizeof(why)) < 0)
		aras_log_tok(LOG_ERR, log_token, "order journal: order %u %s: %s", (unsigned)id,
			     aras_order_outcome_name(outcome), why);
}

void aras_effects_wire(struct arasd *d, struct aras_engine_fx *fx)
{
	memset(fx, 0, sizeof(*fx));
	fx->arg = d;
	fx->start_job = start_job;
	fx->notify_action = notify_action;
	fx->notify_event = notify_event;
	fx->notify_no_target = notify_no_target;
	fx->notify_host = notify_host;
	fx->notify_vm_state = notify_vm_state;
	fx->notify_coalesced = notify_coalesced;
	fx->vm_state_held = vm_state_held;
	fx->mail = mail;
	fx->script = script;
	fx->kick = kick;
	fx->log = log_line;
	fx->order_done = order_done;
	/* arasActionTable, arasEventTable and arasVmTable follow the engine's rows */
	fx->action_added = aras_mib_action_added;
	fx->action_dropped = aras_mib_action_dropped;
	fx->event_added = aras_mib_event_added;
	fx->event_dropped = aras_mib_event_dropped;
	fx->vm_removed = vm_removed;
	fx->vms_added = vms_added;
}
