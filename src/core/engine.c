/*
 * engine.c - the action life cycle (see engine.h): samples in, decisions
 * gated and turned into actions, jobs' results, operator orders and SET
 * commits; effects out through the table the caller wired.
 */
#include "engine_impl.h"

#include "rate.h"
#include "sla.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

static void elog(struct aras_engine *e, int level, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void vm_oper_update(struct aras_engine *e, struct aras_vm *vm, uint64_t now_ms, time_t wall);

static void elog(struct aras_engine *e, int level, const char *fmt, ...)
{
	char line[512];
	va_list ap;

	if (!e->fx.log)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	e->fx.log(e->fx.arg, level, "engine", line);
}

/*
 * The rows of the model, the action table and the event log come and go
 * inside the core; an adapter that indexes them hears of it through the
 * effects (the core's only way out).
 */
static void vm_removed(struct aras_vm *vm, void *arg)
{
	struct aras_engine *e = arg;

	if (e->fx.vm_removed)
		e->fx.vm_removed(e->fx.arg, vm);
}

static void vms_added(struct aras_model *m, size_t count, void *arg)
{
	struct aras_engine *e = arg;

	(void)m;
	if (e->fx.vms_added)
		e->fx.vms_added(e->fx.arg, count);
}

static void vm_moved(const char *name, const struct aras_host *from, const struct aras_host *to, void *arg)
{
	struct aras_engine *e = arg;
	char line[512];

	if (!e->fx.log)
		return;
	snprintf(line, sizeof(line), "VM %s: now on host %s (was on %s)", name, to->name,
		 from ? from->name : "?");
	e->fx.log(e->fx.arg, LOG_INFO, "model", line);
}

static void action_added(struct aras_action *a, void *arg)
{
	struct aras_engine *e = arg;

	if (e->fx.action_added)
		e->fx.action_added(e->fx.arg, a);
}

static void action_dropped(struct aras_action *a, void *arg)
{
	struct aras_engine *e = arg;

	if (e->fx.action_dropped)
		e->fx.action_dropped(e->fx.arg, a);
}

static void event_added(struct aras_event *ev, void *arg)
{
	struct aras_engine *e = arg;

	if (e->fx.event_added)
		e->fx.event_added(e->fx.arg, ev);
}

static void event_dropped(struct aras_event *ev, void *arg)
{
	struct aras_engine *e = arg;

	if (e->fx.event_dropped)
		e->fx.event_dropped(e->fx.arg, ev);
}

void aras_engine_init(struct aras_engine *e)
{
	memset(e, 0, sizeof(*e));
	aras_state_init(&e->state);
	aras_model_init(&e->model);
	e->model.hooks.vm_removed = vm_removed;
	e->model.hooks.vms_added = vms_added;
	e->model.hooks.vm_moved = vm_moved;
	e->model.hooks.arg = e;
	aras_ctl_init(&e->ctl);
	aras_backoff_init(&e->backoff);
}

/* The state's maintenance list is the truth; the model's flags follow it. */
static void sync_maintenance(struct aras_engine *e, int announce)
{
	for (size_t i = 0; i < e->model.nhosts; i++) {
		struct aras_host *h = &e->model.hosts[i];
		int on = aras_state_maintenance(&e->state, h->index);
		int before = aras_host_mib_state(h);

		if (on == h->maintenance)
			continue;
		h->maintenance = on;
		if (!announce)
			continue;
		elog(e, LOG_INFO, "host %s %s maintenance by SNMP SET", h->name, on ? "enters" : "leaves");
		if (aras_host_mib_state(h) != before)
			aras_engine_host_event(e, h);
	}
	aras_model_summarize(&e->model, &e->summary);
}

int aras_engine_start(struct aras_engine *e, const struct aras_engine_opts *o,
		      const struct aras_engine_fx *fx)
{
	int rc;

	e->opts = *o;
	if (!e->opts.plan_capacity)
		e->opts.plan_capacity = ARAS_ENGINE_PLAN_CAPACITY;
	if (!e->opts.max_decisions)
		e->opts.max_decisions = ARAS_ENGINE_MAX_DECISIONS;
	if (fx)
		e->fx = *fx;
	e->dec = calloc(e->opts.max_decisions, sizeof(*e->dec));
	if (!e->dec)
		return -ARAS_E_NOMEM;
	if ((rc = aras_plan_new(&e->plan, e->opts.plan_capacity)) < 0)
		return rc;
	aras_plan_set_hooks(e->plan, &(struct aras_plan_hooks){ action_added, action_dropped, e });
	if (e->opts.event_log &&
	    (rc = aras_evlog_new(&e->evlog, e->state.settings.v[ARAS_S_EVENT_LOG_SIZE])) < 0)
		return rc;
	if (e->evlog)
		aras_evlog_set_hooks(e->evlog, &(struct aras_evlog_hooks){ event_added, event_dropped, e });
	sync_maintenance(e, 0);
	return 0;
}

struct aras_engine *aras_engine_new(void)
{
	struct aras_engine *e = malloc(sizeof(*e));

	if (e)
		aras_engine_init(e);
	return e;
}

void aras_engine_free(struct aras_engine *e)
{
	aras_engine_fini(e);
	free(e);
}

void aras_engine_fini(struct aras_engine *e)
{
	if (!e)
		return;
	aras_plan_free(e->plan);
	aras_evlog_free(e->evlog);
	aras_ctl_free(&e->ctl);
	aras_backoff_free(&e->backoff);
	aras_model_free(&e->model);
	aras_state_free(&e->state);
	free(e->dec);
	if (e->recover)
		aras_orders_clear(e->recover);
	free(e->recover);
	e->recover = NULL;
	free(e->notes);
	e->notes = NULL;
	e->nnotes = 0;
	e->held = NULL;
	free(e->group_viol);
	e->group_viol = NULL;
	e->ngroup_viol = 0;
	e->plan = NULL;
	e->evlog = NULL;
	e->dec = NULL;
}

/* ---- events ---- */

static struct aras_event *record(struct aras_engine *e, const struct aras_alert *a)
{
	return e->evlog ? aras_evlog_add(e->evlog, a) : NULL;
}

void aras_engine_alert(struct aras_engine *e, const struct aras_alert *a)
{
	uint32_t actions = e->state.settings.v[ARAS_S_ACTIONS];
	struct aras_event *ev = record(e, a);

	if (a->type == ARAS_EV_BREACH)
		e->breaches++;
	elog(e, LOG_INFO, "%s: VM %s on %s: %s", aras_event_name(a->type), a->vm_name, a->host_name, a->text);
	if (a->type != ARAS_EV_BREACH && a->type != ARAS_EV_CLEAR)
		return;
	if ((actions & ARAS_ACT_TRAP) && ev && e->fx.notify_event)
		e->fx.notify_event(e->fx.arg, ev);
	if ((actions & ARAS_ACT_EMAIL) && e->fx.mail)
		e->fx.mail(e->fx.arg, a);
	if ((actions & ARAS_ACT_SCRIPT) && e->fx.script)
		e->fx.script(e->fx.arg, a);
	/*
	 * allocate: nothing to hand over here - the controller's next round
	 * considers every VM whose alert is firing, so alerts that fired
	 * before a policy change are taken too.
	 */
}

void aras_engine_host_event(struct aras_engine *e, const struct aras_host *h)
{
	struct aras_alert a;
	int st = aras_host_mib_state(h);

	aras_alert_init(&a, st == ARAS_HOST_DOWN ? ARAS_EV_HOST_DOWN : ARAS_EV_HOST_UP, e->wall, NULL, NULL,
			h->index, h->name, ARAS_RES_NONE);
	snprintf(a.text, sizeof(a.text), "host %.64s is %s%s%.160s", h->name,
		 st == ARAS_HOST_DOWN        ? "down" :
		 st == ARAS_HOST_MAINTENANCE ? "in maintenance" :
					       "up",
		 h->last_error[0] ? ": " : "", h->last_error);
	elog(e, LOG_WARNING, "%s", a.text);
	record(e, &a);
	if (e->fx.notify_host)
		e->fx.notify_host(e->fx.arg, h);
}

static void on_alert(const struct aras_alert *a, void *arg)
{
	aras_engine_alert(arg, a);
}

static int in_model(const uint8_t uuid[ARAS_UUID_LEN], void *arg)
{
	return aras_model_find_vm(arg, uuid) != NULL;
}

/* VMs a poll removed from the model leave the controller's and the backoff's memory too. */
static void forget_removed(struct aras_engine *e)
{
	aras_ctl_prune(&e->ctl, &e->model);
	aras_backoff_prune(&e->backoff, in_model, &e->model);
}

int aras_engine_sample(struct aras_engine *e, const struct aras_host_sample *s, time_t wall)
{
	struct aras_apply_result res;
	struct aras_host *h = aras_model_host(&e->model, s->host_index);
	int before = h ? aras_host_mib_state(h) : 0;
	int was_unknown = h && h->state == ARAS_HOST_UNKNOWN;
	int after;
	int rc;

	e->wall = wall;
	rc = aras_model_apply(&e->model, s, e->state.settings.v[ARAS_S_DISK_IO_CAPACITY], &res);
	if (rc < 0)
		elog(e, LOG_ERR, "host %u: cannot apply poll: %s", s->host_index, aras_strerror(rc));
	if (!h)
		return rc;
	if (res.removed)
		forget_removed(e);
	h->seen_ms = s->t_ms ? s->t_ms : 1;
	after = aras_host_mib_state(h);
	/* The first successful poll is not news; a first failure is. */
	if ((before != after || (was_unknown && after == ARAS_HOST_DOWN)) &&
	    !(was_unknown && after == ARAS_HOST_UP))
		aras_engine_host_event(e, h);
	else if (was_unknown && after == ARAS_HOST_UP)
		elog(e, LOG_INFO, "host %s is up (%zu VMs)", h->name, (size_t)h->vm_count);
	if (s->ok)
		aras_sla_evaluate(&e->model, &e->state, h->index, s->t_ms, wall, on_alert, e);
	for (size_t i = 0; i < e->model.nvms; i++)
		if (e->model.vms[i]->host == h->index)
			vm_oper_update(e, e->model.vms[i], s->t_ms, wall);
	aras_model_summarize(&e->model, &e->summary);
	elog(e, LOG_DEBUG, "host %u: %zu VMs (+%zu -%zu), worker cpu %llu ms", s->host_index, s->nvms,
	     res.added, res.removed, (unsigned long long)s->cpu_ms);
	/* the orders of the last run wait for every host's first poll */
	if (e->recover || e->nnotes || !e->adopt_scanned)
		aras_engine_resolve(e, s->t_ms, wall);
	return rc;
}

uint64_t aras_engine_stall_ms(const struct aras_engine *e)
{
	return ((uint64_t)e->state.settings.v[ARAS_S_POLL_INTERVAL] * 2 + 30) * 1000;
}

void aras_engine_watch_hosts(struct aras_engine *e, uint64_t now_ms, time_t wall)
{
	uint64_t stall = aras_engine_stall_ms(e);

	for (size_t i = 0; i < e->model.nhosts; i++) {
		struct aras_host *h = &e->model.hosts[i];
		struct aras_host_sample s;

		if (!h->seen_ms) {
			h->seen_ms = now_ms; /* counted from the first look */
			continue;
		}
		if (h->state == ARAS_HOST_DOWN || now_ms - h->seen_ms < stall)
			continue;
		memset(&s, 0, sizeof(s));
		s.host_index = h->index;
		s.t_ms = now_ms;
		snprintf(s.err, sizeof(s.err),
			 "libvirt has not answered for %llu s (a call to it is still waiting; pollInterval "
			 "%u s)",
			 (unsigned long long)((now_ms - h->seen_ms) / 1000),
			 (unsigned)e->state.settings.v[ARAS_S_POLL_INTERVAL]);
		aras_engine_sample(e, &s, wall);
	}
}

/* ---- VM life cycle (core/vmstate.h) ---- */

/* A state change to the event log, the notification (rate-limited), and for a crash mail and script. */
static void announce_state(struct aras_engine *e, struct aras_vm *vm, uint64_t now_ms, time_t wall)
{
	uint32_t actions = e->state.settings.v[ARAS_S_ACTIONS];
	const struct aras_host *h = aras_model_host(&e->model, vm->host);
	int crashed = vm->oper == ARAS_OPER_CRASHED;
	char why[64];
	struct aras_alert al;

	aras_alert_init(&al, crashed ? ARAS_EV_CRASHED : ARAS_EV_STATE_CHANGE, wall, vm->uuid, vm->name,
			vm->host, h ? h->name : "", ARAS_RES_NONE);
	snprintf(al.text, sizeof(al.text), "state %s -> %s (%s)", aras_oper_name(vm->prev_oper),
		 aras_oper_name(vm->oper), aras_vm_reason_text(vm->state, vm->reason, why, sizeof(why)));
	elog(e, crashed ? LOG_WARNING : LOG_INFO, "VM %s on %s: %s", vm->name, al.host_name, al.text);
	record(e, &al);
	if (actions & ARAS_ACT_TRAP) {
		aras_engine_flush_notify(e, now_ms);
		if (aras_notify_limit_take(&e->state_limit, e->state.settings.v[ARAS_S_STATE_NOTIFY_LIMIT],
					   now_ms)) {
			if (e->fx.notify_vm_state)
				e->fx.notify_vm_state(e->fx.arg, vm);
		} else {
			e->state_coalesced++;
			if (e->fx.vm_state_held)
				e->fx.vm_state_held(e->fx.arg, vm);
		}
	}
	if (!crashed)
		return;
	if ((actions & ARAS_ACT_EMAIL) && e->fx.mail)
		e->fx.mail(e->fx.arg, &al);
	if ((actions & ARAS_ACT_SCRIPT) && e->fx.script)
		e->fx.script(e->fx.arg, &al);
}

/*
 * Recompute arasVmOperState; a change is announced.  A VM seen for the
 * first time, a host that cannot be reached (unknown(1): its
 * arasHostStateChange says so) and a VM that vanished from its host's
 * listing (unknown until its row goes) are not changes; the state a VM is found
 * in when its host comes back is compared with the last one known.
 */
static void vm_oper_update(struct aras_engine *e, struct aras_vm *vm, uint64_t now_ms, time_t wall)
{
	const struct aras_host *h = aras_model_host(&e->model, vm->host);
	/* a host that cannot be reached, or a VM its host's last poll did not list (undefined, leaving) */
	int oper = h && h->state == ARAS_HOST_UP && !vm->missing ?
			   aras_vm_oper(vm->state, vm->reason, vm->managed_save, vm->busy) :
			   ARAS_OPER_UNKNOWN;

	vm->oper = oper;
	if (oper == ARAS_OPER_UNKNOWN || oper == vm->oper_known)
		return;
	if (!vm->oper_known) {
		vm->oper_known = oper;
		return;
	}
	vm->prev_oper = vm->oper_known;
	vm->oper_known = oper;
	vm->state_changes++;
	e->vm_state_changes++;
	announce_state(e, vm, now_ms, wall);
}

/* An action of arasd starts (busy_of its kind) or ends (ARAS_BUSY_NONE) on its VM. */
static void set_busy(struct aras_engine *e, const struct aras_action *a, int busy, uint64_t now_ms)
{
	struct aras_vm *vm = aras_model_find_vm(&e->model, a->uuid);

	if (!vm)
		return;
	vm->busy = busy;
	vm_oper_update(e, vm, now_ms, e->wall);
}

void aras_engine_flush_notify(struct aras_engine *e, uint64_t now_ms)
{
	unsigned n = aras_notify_limit_flush(&e->state_limit, now_ms);

	if (!n)
		return;
	elog(e, LOG_WARNING,
	     "%u VM state change notification%s held back in the last %u s (arasStateNotifyLimit %u)", n,
	     n == 1 ? "" : "s", ARAS_NOTIFY_WINDOW_MS / 1000,
	     (unsigned)e->state.settings.v[ARAS_S_STATE_NOTIFY_LIMIT]);
	if (e->fx.notify_coalesced)
		e->fx.notify_coalesced(e->fx.arg, n);
}

/* The VM's new state from an event: a start begins a fresh counter interval, a stop zeroes the rates. */
static void vm_event_state(struct aras_vm *vm, const struct aras_vm_event *ev)
{
	int was = aras_vm_state_active(vm->state), now = aras_vm_state_active(ev->state);

	if (!was && now) {
		vm->new_process = 1;
		vm->have_prev = 0;
		vm->rates_valid = 0;
	}
	if (!now) {
		vm->cpu_usage = vm->io_usage = 0;
		vm->rd_rate = vm->wr_rate = vm->ops_rate = vm->rx_rate = vm->tx_rate = 0;
		vm->rates_valid = 0;
		vm->have_prev = 0;
	}
	vm->state = ev->state;
	vm->reason = ev->reason;
	if (ev->managed_save >= 0)
		vm->managed_save = ev->managed_save;
	else if (now)
		vm->managed_save = 0; /* running: a saved image was used up */
	vm->state_ms = ev->t_ms;
}

int aras_engine_vm_event(struct aras_engine *e, const struct aras_vm_event *ev, time_t wall)
{
	struct aras_vm *vm = aras_model_find_vm(&e->model, ev->uuid);
	const struct aras_host *h;
	struct aras_alert al;

	e->wall = wall;
	elog(e, LOG_DEBUG, "host %u: domain event %s", ev->host_index, ev->what);
	if (ev->kind == ARAS_VEV_REREAD || !vm || vm->host != ev->host_index)
		return 1;
	switch (ev->kind) {
	case ARAS_VEV_STATE:
		if (aras_vm_event_premature(vm->state, ev->state, ev->reason)) {
			elog(e, LOG_DEBUG, "VM %s: %s before its start: skipped", vm->name, ev->what);
			return 0;
		}
		vm_event_state(vm, ev);
		if (aras_sla_not_running(vm->state) && vm->alert_state != ARAS_ALERT_OK) {
			/* its alerts end now: the aggregates change with them */
			aras_sla_stopped(vm, &e->state, aras_model_host(&e->model, vm->host), wall, on_alert,
					 e);
			aras_model_summarize(&e->model, &e->summary);
		}
		vm_oper_update(e, vm, ev->t_ms, wall);
		return 0;
	case ARAS_VEV_BALLOON:
		vm->mem_cur_kib = ev->mem_kib;
		if (vm->mem_source == ARAS_MEM_HOST)
			vm->mem_usage = aras_percent(ev->mem_kib, vm->mem_max_kib);
		return 0;
	case ARAS_VEV_REBOOT:
		h = aras_model_host(&e->model, vm->host);
		aras_alert_init(&al, ARAS_EV_INFO, wall, vm->uuid, vm->name, vm->host, h ? h->name : "",
				ARAS_RES_NONE);
		snprintf(al.text, sizeof(al.text), "guest reboot");
		elog(e, LOG_INFO, "VM %s: %s", vm->name, al.text);
		record(e, &al);
		return 0;
	}
	return 1;
}

/* ---- actions ---- */

/* Event-log entry + notification for an action's new state. */
static void announce(struct aras_engine *e, const struct aras_action *a, int ev)
{
	struct aras_alert al;
	const struct aras_host *h = aras_model_host(&e->model, a->source);
	const struct aras_host *t = a->target ? aras_model_host(&e->model, a->target) : NULL;

	aras_alert_init(&al, ev, e->wall, a->uuid, a->vm_name, a->source, h ? h->name : "", a->resource);
	snprintf(al.text, sizeof(al.text), "action %u %s %s%s%s: %.150s%s%.80s", (unsigned)a->index,
		 aras_kind_name(a->kind), aras_astate_name(a->state), t ? " to " : "", t ? t->name : "",
		 a->reason, a->error[0] ? "; error: " : "", a->error);
	elog(e, LOG_INFO, "VM %s: %s", a->vm_name, al.text);
	if (ev == ARAS_EV_ACTION_FAILED)
		e->actions_failed++;
	record(e, &al);
	if (e->fx.notify_action)
		e->fx.notify_action(e->fx.arg, a);
}

/* A journalled order's outcome (core/journal.h), once. */
static void order_outcome(struct aras_engine *e, uint32_t id, int ok, const char *text)
{
	if (id && e->fx.order_done)
		e->fx.order_done(e->fx.arg, id, ok ? ARAS_JOUT_SUCCEEDED : ARAS_JOUT_FAILED,
				 text ? text : "");
}

/* The action's order, if it carries one, ends with the action. */
static void action_outcome(struct aras_engine *e, struct aras_action *a)
{
	char text[ARAS_ERRTEXT_MAX];
	uint32_t id = a->order_id;

	if (!id)
		return;
	a->order_id = 0;
	snprintf(text, sizeof(text), "action %u %s %s%s%.200s", (unsigned)a->index, aras_kind_name(a->kind),
		 aras_astate_name(a->state), a->error[0] ? ": " : "", a->error);
	order_outcome(e, id, a->state == ARAS_AS_SUCCEEDED, text);
}

static void start(struct aras_engine *e, struct aras_action *a, uint64_t now_ms)
{
	uint32_t index = a->index;
	int rc;

	a->state = ARAS_AS_RUNNING;
	a->started_ms = now_ms;
	/* a life-cycle command or a clone is no allocation: no cooldown, no backoff */
	if (!ARAS_KIND_IS_MANAGE(a->kind))
		aras_ctl_note_action(&e->ctl, a, now_ms);
	set_busy(e, a, aras_kind_busy(a->kind), now_ms);
	rc = e->fx.start_job ? e->fx.start_job(e->fx.arg, a) : -ARAS_E_NOENT;
	if (rc < 0) {
		char err[ARAS_ERRTEXT_MAX];

		snprintf(err, sizeof(err), "cannot queue the job: %s", aras_strerror(rc));
		aras_engine_result(e, index, 0, err, now_ms, e->wall);
	}
}

static void order_fields(struct aras_action *a, const struct aras_order *o);

/*
 * A new action row of dec; o: the operator's order it carries out (its
 * clone fields are the row's before the row is announced), or NULL.
 */
static struct aras_action *create_for(struct aras_engine *e, const struct aras_decision *dec, int state,
				      uint64_t now_ms, const struct aras_order *o)
{
	struct aras_action a, *na;

	aras_action_from_decision(&a, dec, state, e->wall, now_ms);
	if (o)
		order_fields(&a, o);
	na = aras_plan_add(e->plan, &a);
	if (!na)
		elog(e, LOG_ERR, "action table full of unfinished actions; VM %s not handled", dec->vm_name);
	return na;
}

static struct aras_action *create(struct aras_engine *e, const struct aras_decision *dec, int state,
				  uint64_t now_ms)
{
	return create_for(e, dec, state, now_ms, NULL);
}

/* Migration wanted, nothing fits: event log + arasNoTarget saying why. */
static void no_target(struct aras_engine *e, const struct aras_decision *dec)
{
	const struct aras_host *h = aras_model_host(&e->model, dec->source);
	struct aras_alert al;
	struct aras_event *ev;

	aras_alert_init(&al, ARAS_EV_INFO, e->wall, dec->uuid, dec->vm_name, dec->source, h ? h->name : "",
			dec->resource);
	snprintf(al.text, sizeof(al.text), "no move: %.240s", dec->reason);
	elog(e, LOG_WARNING, "VM %s: %s", dec->vm_name, al.text);
	ev = record(e, &al);
	if (e->fx.notify_no_target)
		e->fx.notify_no_target(e->fx.arg, dec, ev);
}

/*
 * Record the result in the backoff; a failure streak that reaches 1, 2, 4,
 * 8 ... failures on a host says so once in the event log.
 */
static void backoff(struct aras_engine *e, const struct aras_action *a, int ok, uint64_t now_ms)
{
	uint32_t streak = 0;
	int64_t wait;
	const struct aras_host *h = aras_model_host(&e->model, a->source);
	struct aras_alert al;

	if (!e->opts.backoff)
		return;
	wait = aras_backoff_result(&e->backoff, a->uuid, a->source, ok, now_ms, &streak);
	if (wait < 0) {
		elog(e, LOG_ERR, "backoff: %s", aras_strerror((int)wait));
		return;
	}
	if (ok || streak == 0 || (streak & (streak - 1)) != 0)
		return;
	aras_alert_init(&al, ARAS_EV_INFO, e->wall, a->uuid, a->vm_name, a->source, h ? h->name : "",
			a->resource);
	snprintf(al.text, sizeof(al.text),
		 "backoff: %u failed action%s in a row on host %s: no action there for %lld.%03lld s, none "
		 "for this VM for %llu s or more",
		 (unsigned)streak, streak == 1 ? "" : "s", h ? h->name : "?", (long long)(wait / 1000),
		 (long long)(wait % 1000), (unsigned long long)(ARAS_BACKOFF_VM_BASE_MS / 1000));
	elog(e, LOG_WARNING, "VM %s: %s", a->vm_name, al.text);
	record(e, &al);
}

static void on_expired(struct aras_action *a, void *arg)
{
	struct aras_engine *e = arg;

	a->finished = e->wall;
	snprintf(a->error, sizeof(a->error), "not approved within %u s",
		 (unsigned)e->state.settings.v[ARAS_S_PROPOSAL_TIMEOUT]);
	announce(e, a, ARAS_EV_INFO);
}

void aras_engine_expire(struct aras_engine *e, uint64_t now_ms, time_t wall)
{
	e->wall = wall;
	if (e->plan)
		aras_plan_expire(e->plan, now_ms, e->state.settings.v[ARAS_S_PROPOSAL_TIMEOUT], on_expired,
				 e);
}

/*
 * The approval of a proposal (order_id: the operator's journalled order, or
 * 0): re-check headroom (the cluster may have changed), then run.
 */
static void approve(struct aras_engine *e, struct aras_action *a, uint32_t order_id, uint64_t now_ms)
{
	char why[ARAS_ERRTEXT_MAX];

	a->order_id = order_id;
	if (aras_ctl_recheck(&e->ctl, &e->model, &e->state, e->plan, a, now_ms, why, sizeof(why)) < 0) {
		a->state = ARAS_AS_FAILED;
		a->finished = e->wall;
		a->finished_ms = now_ms;
		snprintf(a->error, sizeof(a->error), "approved but re-check failed: %.220s", why);
		aras_ctl_note_result(&e->ctl, a, 0, now_ms);
		announce(e, a, ARAS_EV_ACTION_FAILED);
		action_outcome(e, a);
		return;
	}
	a->state = ARAS_AS_APPROVED;
	announce(e, a, ARAS_EV_ACTION_STARTED);
	start(e, a, now_ms);
}

/* The policy gate: the controller's own decisions wait for the operator under semiAutomatic. */
static int needs_approval(const struct aras_engine *e, const struct aras_decision *dec)
{
	/* maintenance is an operator order; otherwise the policy decides */
	return dec->origin == ARAS_ORIGIN_CONTROLLER &&
	       e->state.settings.v[ARAS_S_POLICY] == ARAS_POLICY_SEMI;
}

/* The VM has an order of the last run that waits for the first polls (aras_engine_recover). */
static int recovering(const struct aras_engine *e, const uint8_t uuid[ARAS_UUID_LEN])
{
	for (size_t i = 0; e->recover && i < e->recover->n; i++)
		if (memcmp(e->recover->v[i].uuid, uuid, ARAS_UUID_LEN) == 0)
			return 1;
	return 0;
}

/* The VM has an order of a SET between its ACTION and its COMMIT. */
static int held(const struct aras_engine *e, const uint8_t uuid[ARAS_UUID_LEN])
{
	for (size_t i = 0; e->held && i < e->held->n; i++)
		if (memcmp(e->held->v[i].uuid, uuid, ARAS_UUID_LEN) == 0)
			return 1;
	return 0;
}

/*
 * A live migration of the VM that this arasd does not run (the last run's
 * before a takeover, an operator's virsh): its incoming copy's host, or 0.
 */
static unsigned foreign_move(const struct aras_engine *e, const uint8_t uuid[ARAS_UUID_LEN])
{
	const struct aras_vm *vm = aras_model_find_vm(&e->model, uuid);

	return vm && vm->inbound && vm->busy != ARAS_BUSY_MIGRATING ? vm->inbound : 0;
}

/* why: the VM is being moved by a job arasd does not run; 1, or 0 when it is not. */
static int foreign_why(const struct aras_engine *e, const struct aras_vm *vm, char *why, size_t whylen)
{
	const struct aras_host *t = aras_model_host(&e->model, foreign_move(e, vm->uuid));

	if (!t)
		return 0;
	snprintf(why, whylen,
		 "VM %s is being migrated to host %s by a job this arasd did not start (libvirt lists its "
		 "incoming copy there)",
		 vm->name, t->name);
	return 1;
}

static void act(struct aras_engine *e, const struct aras_decision *dec, uint64_t now_ms)
{
	struct aras_action *a;

	/*
	 * The operator's order, acknowledged already, runs at the SET's
	 * COMMIT, or after the first polls (an order of the last run): nothing
	 * beside it.
	 */
	if (held(e, dec->uuid) || recovering(e, dec->uuid))
		return;
	/*
	 * A migration in flight that another runs: nothing beside it; and
	 * nothing before every host's first poll said which those are.
	 */
	if (foreign_move(e, dec->uuid) || !e->adopt_scanned)
		return;
	if (dec->no_target) {
		no_target(e, dec);
		return;
	}
	/* a VM or host whose last actions failed waits (core/backoff.h) */
	if (e->opts.backoff && !aras_backoff_admit(&e->backoff, dec->uuid, dec->source, now_ms))
		return;
	if (needs_approval(e, dec)) {
		a = create(e, dec, ARAS_AS_PROPOSED, now_ms);
		if (!a)
			return;
		announce(e, a, ARAS_EV_ACTION_PROPOSED);
		if (e->opts.auto_approve)
			approve(e, a, 0, now_ms);
		return;
	}
	a = create(e, dec, ARAS_AS_APPROVED, now_ms);
	if (a) {
		announce(e, a, ARAS_EV_ACTION_STARTED);
		start(e, a, now_ms);
	}
}

/* ---- placement rules ---- */

static void rule_event(struct aras_engine *e, const struct aras_vm *vm, int type, const char *group,
		       const char *text)
{
	const struct aras_host *h = aras_model_host(&e->model, vm->host);
	struct aras_alert al;
	struct aras_event *ev;

	aras_alert_init(&al, type, e->wall, vm->uuid, vm->name, vm->host, h ? h->name : "", ARAS_RES_NONE);
	snprintf(al.group, sizeof(al.group), "%s", group);
	snprintf(al.text, sizeof(al.text), "%s", text);
	elog(e, type == ARAS_EV_RULE_VIOLATION ? LOG_WARNING : LOG_INFO, "%s: VM %s on %s: %s",
	     aras_event_name(type), vm->name, al.host_name, text);
	ev = record(e, &al);
	if (type == ARAS_EV_RULE_VIOLATION && (e->state.settings.v[ARAS_S_ACTIONS] & ARAS_ACT_TRAP) && ev &&
	    e->fx.notify_event)
		e->fx.notify_event(e->fx.arg, ev);
}

void aras_engine_rules(struct aras_engine *e)
{
	const struct aras_model *m = &e->model;
	const struct aras_state *st = &e->state;
	unsigned char *prev = NULL;
	struct aras_rules_flag *fl = NULL;
	unsigned *gv = NULL;
	size_t count;

	/* nothing to find and nothing flagged: the common case costs nothing */
	if (!st->ngroups && !e->rule_violations && !e->ngroup_viol)
		return;
	prev = calloc(m->nvms ? m->nvms : 1, 1);
	fl = calloc(m->nvms ? m->nvms : 1, sizeof(*fl));
	gv = st->ngroups ? calloc(st->ngroups, sizeof(*gv)) : NULL;
	if (!prev || !fl || (st->ngroups && !gv)) {
		elog(e, LOG_ERR, "placement rules: out of memory");
		goto out;
	}
	for (size_t i = 0; i < m->nvms; i++) {
		const struct aras_ctl_vm *cv = aras_ctl_vm(&e->ctl, m->vms[i]->uuid, 0);

		prev[i] = cv && cv->rule.kind != ARAS_RB_NONE;
	}
	count = aras_rules_violations(m, st, prev, fl);
	for (size_t i = 0; i < m->nvms; i++) {
		const struct aras_vm *vm = m->vms[i];
		int now = fl[i].kind != ARAS_RB_NONE;
		struct aras_ctl_vm *cv = aras_ctl_vm(&e->ctl, vm->uuid, now);
		char text[ARAS_ERRTEXT_MAX];

		if (!cv)
			continue;
		if (now) {
			gv[fl[i].group]++;
			if (!prev[i]) {
				aras_rules_explain(m, st, vm, &fl[i], text, sizeof(text));
				e->rule_violations_seen++;
				cv->rule_notice_sent = 0;
				rule_event(e, vm, ARAS_EV_RULE_VIOLATION, st->groups[fl[i].group].name, text);
			}
		} else if (prev[i]) {
			const char *g = aras_state_vm_group(st, vm->uuid);

			snprintf(text, sizeof(text), "VM %.64s no longer breaks a placement rule%s", vm->name,
				 aras_vm_state_active(vm->state) ? "" : " (not running)");
			cv->rule_notice_sent = 0;
			rule_event(e, vm, ARAS_EV_RULE_REPAIRED, g, text);
		}
		cv->rule = fl[i];
	}
	e->rule_violations = (unsigned)count;
	free(e->group_viol);
	e->group_viol = gv;
	e->ngroup_viol = st->ngroups;
	gv = NULL;
out:
	free(prev);
	free(fl);
	free(gv);
}

void aras_engine_round(struct aras_engine *e, uint64_t now_ms, time_t wall)
{
	size_t n;

	e->wall = wall;
	if (!e->plan)
		return;
	aras_engine_expire(e, now_ms, wall);
	aras_engine_rules(e);
	n = aras_ctl_decide(&e->ctl, &e->model, &e->state, e->plan, &e->ctl_opts, now_ms, e->dec,
			    e->opts.max_decisions);
	for (size_t i = 0; i < n; i++)
		act(e, &e->dec[i], now_ms);
}

/*
 * A life-cycle command succeeded: the VM is in its outcome state now, even
 * if libvirt's event is still on its way (it then changes nothing), and a
 * poll that began before does not undo it.
 */
static void lifecycle_done(struct aras_engine *e, const struct aras_action *a, int detail, uint64_t now_ms)
{
	struct aras_vm *vm = aras_model_find_vm(&e->model, a->uuid);
	struct aras_vm_event ev;

	if (!vm || vm->host != a->source)
		return;
	if (a->kind == ARAS_KIND_UNDEFINE) {
		/* gone from libvirt: its host's next sample drops its row (model.c) */
		vm->missing = 1;
		vm->undefined = 1;
		return;
	}
	memset(&ev, 0, sizeof(ev));
	ev.kind = ARAS_VEV_STATE;
	ev.t_ms = now_ms;
	aras_cmd_outcome(aras_kind_cmd(a->kind), detail == ARAS_RESULT_FORCED, &ev.state, &ev.reason,
			 &ev.managed_save);
	vm_event_state(vm, &ev);
}

void aras_engine_result(struct aras_engine *e, uint32_t action, int ok, const char *err, uint64_t now_ms,
			time_t wall)
{
	aras_engine_result_detail(e, action, ok, err, ARAS_RESULT_PLAIN, now_ms, wall);
}

void aras_engine_result_detail(struct aras_engine *e, uint32_t action, int ok, const char *err, int detail,
			       uint64_t now_ms, time_t wall)
{
	struct aras_action *a = e->plan ? aras_plan_get(e->plan, action) : NULL;

	e->wall = wall;
	if (!a)
		return;
	if (ok && detail == ARAS_RESULT_FORCED) {
		size_t n = strlen(a->reason);

		snprintf(a->reason + n, sizeof(a->reason) - n, "; powered off after %u s without the guest",
			 (unsigned)e->state.settings.v[ARAS_S_SHUTDOWN_TIMEOUT]);
	}
	a->state = ok ? ARAS_AS_SUCCEEDED : ARAS_AS_FAILED;
	a->finished = e->wall;
	a->finished_ms = now_ms;
	if (!ok)
		snprintf(a->error, sizeof(a->error), "%s", err ? err : "");
	if (ok && a->kind == ARAS_KIND_MIGRATE) {
		/* what the job's statistics did not say */
		a->data_remaining = 0;
		if (!a->duration_ms && a->started_ms && now_ms >= a->started_ms)
			a->duration_ms = (uint32_t)(now_ms - a->started_ms);
	}
	if (!ARAS_KIND_IS_MANAGE(a->kind))
		aras_ctl_note_result(&e->ctl, a, ok, now_ms);
	if (ok && a->maximum) {
		struct aras_vm *vm = aras_model_find_vm(&e->model, a->uuid);

		if (vm)
			vm->mem_max_next_kib = a->amount == vm->mem_max_kib ? 0 : a->amount;
	}
	if (!ok && a->kind == ARAS_KIND_MIGRATE) {
		/* its incoming copy is gone with it: orders need not wait for the target's next poll */
		struct aras_vm *vm = aras_model_find_vm(&e->model, a->uuid);

		if (vm)
			vm->inbound = 0;
	}
	if (ok && a->kind == ARAS_KIND_MIGRATE && a->target && e->opts.follow_moves) {
		/*
		 * It runs on the target now: say so at once, and ignore the
		 * source's samples that still list it (taken before it left).
		 */
		struct aras_vm *vm = aras_model_find_vm(&e->model, a->uuid);

		if (vm)
			aras_model_vm_moved(&e->model, vm, a->target, now_ms);
	}
	announce(e, a, ok ? ARAS_EV_ACTION_DONE : ARAS_EV_ACTION_FAILED);
	action_outcome(e, a);
	if (!ARAS_KIND_IS_MANAGE(a->kind))
		backoff(e, a, ok, now_ms);
	if (ok && ARAS_KIND_IS_LIFECYCLE(a->kind))
		lifecycle_done(e, a, detail, now_ms);
	set_busy(e, a, ARAS_BUSY_NONE, now_ms);
	/*
	 * A change is worth a fresh poll at once; a failure is not (a poll per
	 * result is what turned fast failures into a storm).
	 */
	if (ok && e->fx.kick)
		e->fx.kick(e->fx.arg);
}

void aras_engine_progress(struct aras_engine *e, uint32_t action, const struct aras_mig_stats *st)
{
	struct aras_action *a = e->plan ? aras_plan_get(e->plan, action) : NULL;

	if (!a || !st || a->kind != ARAS_KIND_MIGRATE)
		return;
	/* a completed job's figures come after its result (src/virt/collect.c) */
	if (a->state != ARAS_AS_RUNNING && !(st->completed && a->state == ARAS_AS_SUCCEEDED))
		return;
	a->data_processed = aras_mib_of_bytes(st->processed);
	a->data_remaining = aras_mib_of_bytes(st->remaining);
	/* libvirt's total is processed + remaining; a stale or missing one is not shown */
	a->data_total = aras_mib_of_bytes(
		st->total > st->processed + st->remaining ? st->total : st->processed + st->remaining);
	if (!st->completed)
		return;
	a->data_remaining = 0;
	a->downtime_ms = st->downtime_ms > UINT32_MAX ? UINT32_MAX : (uint32_t)st->downtime_ms;
	a->duration_ms = st->elapsed_ms > UINT32_MAX ? UINT32_MAX : (uint32_t)st->elapsed_ms;
}

void aras_engine_mig_envelope(const struct aras_settings *s, const struct aras_action *a,
			      struct aras_mig_envelope *env)
{
	memset(env, 0, sizeof(*env));
	if (!a || a->kind != ARAS_KIND_MIGRATE)
		return;
	env->bandwidth_mib = s->v[ARAS_S_MIGRATION_BANDWIDTH];
	env->auto_converge = s->v[ARAS_S_MIGRATION_AUTO_CONVERGE] == ARAS_TRUE;
	env->post_copy = s->v[ARAS_S_MIGRATION_POST_COPY] == ARAS_TRUE;
	if (env->post_copy)
		env->post_copy_after_s = s->v[ARAS_S_MIGRATION_TIMEOUT] / 2;
}

/* ---- operator orders ---- */

const char *aras_order_outcome_name(int outcome)
{
	static const char *const names[] = { "pending", "succeeded", "failed", "cancelled" };

	return outcome >= 0 && outcome <= ARAS_JOUT_CANCELLED ? names[outcome] : "?";
}

/* Order id is an edit among the orders aras_engine_resolve is running. */
static int recovered_edit(const struct aras_engine *e, uint32_t id)
{
	for (size_t i = 0; e->resolving && i < e->resolving->n; i++)
		if (e->resolving->v[i].id == id)
			return e->resolving->v[i].kind == ARAS_ORDER_EDIT;
	return 0;
}

/* blocking_action's cmd for a clone or an edit order (no arasVmCommand is negative) */
#define CLONE_CMD (-1)
#define EDIT_CMD (-2)

/*
 * The open action of the VM that keeps an operator's order out (cmd: the
 * command, 0 for a migrate order, EDIT_CMD, CLONE_CMD), or NULL.  A
 * proposal does not: the order supersedes it.  A controller's (or
 * maintenance's) action keeps out neither destroy nor shutdownForce: they
 * never wait on the controller.  Clones of one template run beside each
 * other, and so do the edits of one SET recovered at restart.
 */
static const struct aras_action *blocking_action(const struct aras_engine *e,
						 const uint8_t uuid[ARAS_UUID_LEN], int cmd)
{
	for (size_t i = 0; e->plan && i < aras_plan_count(e->plan); i++) {
		const struct aras_action *a = aras_plan_at(e->plan, i);

		if (aras_action_finished(a) || memcmp(a->uuid, uuid, ARAS_UUID_LEN) != 0)
			continue;
		if (a->state == ARAS_AS_PROPOSED)
			continue;
		if ((cmd == ARAS_CMD_DESTROY || cmd == ARAS_CMD_SHUTDOWN_FORCE) &&
		    a->origin != ARAS_ORIGIN_OPERATOR)
			continue;
		/* a template only read: several clones of it run at once */
		if (cmd == CLONE_CMD && a->kind == ARAS_KIND_CLONE)
			continue;
		/* an edit recovered with this one: they were one SET's (resolve) */
		if (cmd == EDIT_CMD && a->order_id && recovered_edit(e, a->order_id))
			continue;
		return a;
	}
	return NULL;
}

static int check_migrate(const struct aras_engine *e, const uint8_t uuid[ARAS_UUID_LEN], unsigned target,
			 char *why, size_t whylen)
{
	const struct aras_vm *vm = aras_model_find_vm(&e->model, uuid);
	const struct aras_host *t = aras_model_host(&e->model, target);
	const struct aras_action *busy;

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
	if ((busy = blocking_action(e, uuid, 0))) {
		snprintf(why, whylen, "VM %s has an action in progress (action %u %s, %s)", vm->name,
			 (unsigned)busy->index, aras_kind_name(busy->kind), aras_astate_name(busy->state));
		return -ARAS_E_INCONSIST;
	}
	if (recovering(e, uuid)) {
		snprintf(why, whylen, "VM %s has an order of the last run still to resolve", vm->name);
		return -ARAS_E_INCONSIST;
	}
	if (foreign_why(e, vm, why, whylen))
		return -ARAS_E_INCONSIST;
	if (aras_rules_group_of(&e->state, vm) >= 0) {
		/* an order that breaks a placement rule is refused, whatever the policy */
		struct aras_rules_map rm;
		char w[ARAS_ERRTEXT_MAX];
		int ok;

		if (aras_rules_map_init(&rm, &e->model, &e->state, e->plan) < 0) {
			snprintf(why, whylen, "out of memory");
			return -ARAS_E_NOMEM;
		}
		ok = aras_rules_allows(&rm, &e->model, &e->state, vm, target, w, sizeof(w));
		aras_rules_map_free(&rm);
		if (!ok) {
			snprintf(why, whylen, "placement rule: %s", w);
			return -ARAS_E_INCONSIST;
		}
	}
	return 0;
}

/*
 * What every order for a VM needs (cmd: its command, EDIT_CMD or CLONE_CMD): its
 * host up, no action of the VM that keeps the order out, no order of the
 * last run still to resolve for it.  0 or -ARAS_E_INCONSIST with why.
 */
static int order_vm_free(const struct aras_engine *e, const struct aras_vm *vm, int cmd, char *why,
			 size_t whylen)
{
	const struct aras_host *h = aras_model_host(&e->model, vm->host);
	const struct aras_action *busy;

	if (!h || h->state != ARAS_HOST_UP) {
		snprintf(why, whylen, "host %s of VM %s is down", h ? h->name : "?", vm->name);
		return -ARAS_E_INCONSIST;
	}
	if ((busy = blocking_action(e, vm->uuid, cmd))) {
		snprintf(why, whylen, "VM %s has an action in progress (action %u %s, %s)", vm->name,
			 (unsigned)busy->index, aras_kind_name(busy->kind), aras_astate_name(busy->state));
		return -ARAS_E_INCONSIST;
	}
	if (recovering(e, vm->uuid)) {
		snprintf(why, whylen, "VM %s has an order of the last run still to resolve", vm->name);
		return -ARAS_E_INCONSIST;
	}
	/* destroy and shutdownForce never wait (blocking_action) */
	if (cmd != ARAS_CMD_DESTROY && cmd != ARAS_CMD_SHUTDOWN_FORCE && foreign_why(e, vm, why, whylen))
		return -ARAS_E_INCONSIST;
	return 0;
}

static int check_command(const struct aras_engine *e, const struct aras_order *o, char *why, size_t whylen)
{
	const struct aras_vm *vm = aras_model_find_vm(&e->model, o->uuid);
	int rc;

	if (o->cmd < ARAS_CMD_START || o->cmd > ARAS_CMD_MAX) {
		snprintf(why, whylen, "no such command %d (start(2) .. undefine(11))", o->cmd);
		return -ARAS_E_RANGE;
	}
	if (!vm) {
		snprintf(why, whylen, "no such VM");
		return -ARAS_E_NOENT;
	}
	if ((rc = order_vm_free(e, vm, o->cmd, why, whylen)) < 0)
		return rc;
	return aras_vm_cmd_check(o->cmd, vm->state, vm->managed_save, why, whylen);
}

const char *aras_edit_name(int edit)
{
	static const char *const names[] = { "vcpus", "memory", "maxMemory", "disk" };

	return edit >= 1 && edit <= ARAS_EDIT_MAX ? names[edit - 1] : "?";
}

const char *aras_edit_object(int edit)
{
	static const char *const names[] = { "arasVmVcpusTarget", "arasVmMemTarget", "arasVmMemMaxTarget",
					     "arasDiskCapacityTarget" };

	return edit >= 1 && edit <= ARAS_EDIT_MAX ? names[edit - 1] : "?";
}

/* The action kind of an edit of vm: up or down from what it has. */
static int edit_kind(const struct aras_vm *vm, const struct aras_order *o)
{
	switch (o->edit) {
	case ARAS_EDIT_VCPUS: return o->value >= vm->vcpus ? ARAS_KIND_ADD_VCPU : ARAS_KIND_REMOVE_VCPU;
	case ARAS_EDIT_MEM: return o->value >= vm->mem_cur_kib ? ARAS_KIND_GROW_MEM : ARAS_KIND_SHRINK_MEM;
	case ARAS_EDIT_DISK: return ARAS_KIND_GROW_DISK;
	default: return o->value >= vm->mem_max_kib ? ARAS_KIND_GROW_MEM : ARAS_KIND_SHRINK_MEM;
	}
}

/* A disk's size in whole MiB, as arasDiskCapacity shows it. */
static uint64_t disk_mib(const struct aras_disk *d)
{
	return d->capacity / 1048576;
}

/* What the VM has of what the edit changes (the action's "before"). */
static uint64_t edit_before(const struct aras_vm *vm, const struct aras_order *o)
{
	const struct aras_disk *d;

	switch (o->edit) {
	case ARAS_EDIT_VCPUS: return vm->vcpus;
	case ARAS_EDIT_MEM: return vm->mem_cur_kib;
	case ARAS_EDIT_DISK: return (d = aras_devices_disk(&vm->dev, o->disk)) ? disk_mib(d) : 0;
	default: return vm->mem_max_kib;
	}
}

/* A disk edit against the disk: one the VM writes to, of a known size, grown. */
static int disk_range(const struct aras_vm *vm, const struct aras_order *o, char *why, size_t whylen)
{
	const struct aras_disk *d = aras_devices_disk(&vm->dev, o->disk);

	if (!d) {
		snprintf(why, whylen, "VM %s has no disk %.32s", vm->name, o->disk);
		return -ARAS_E_NOENT;
	}
	if (d->readonly || d->media != ARAS_DISK_MEDIA_DISK) {
		snprintf(why, whylen, "disk %s of VM %s is %s", d->target, vm->name,
			 d->readonly ? "read-only" : "not a disk (CD-ROM or floppy)");
		return -ARAS_E_INCONSIST;
	}
	if (!d->capacity) {
		snprintf(why, whylen, "the size of disk %s of VM %s is not known yet", d->target, vm->name);
		return -ARAS_E_INCONSIST;
	}
	/* above the disk's size in bytes (a 10.5 MiB disk, shown as 10, takes 11) */
	if (o->value * 1048576 <= d->capacity || o->value > UINT32_MAX) {
		snprintf(why, whylen,
			 "disk %s of VM %s has %llu MiB: a disk is only grown (%llu .. %u MiB), not %llu",
			 d->target, vm->name, (unsigned long long)disk_mib(d),
			 (unsigned long long)disk_mib(d) + 1, UINT32_MAX, (unsigned long long)o->value);
		return -ARAS_E_RANGE;
	}
	return 0;
}

/* An edit's value against the VM itself: its maximum, the floor. */
static int edit_range(const struct aras_vm *vm, const struct aras_order *o, char *why, size_t whylen)
{
	switch (o->edit) {
	case ARAS_EDIT_VCPUS:
		if (o->value >= 1 && o->value <= (vm->vcpus_max ? vm->vcpus_max : vm->vcpus))
			return 0;
		snprintf(why, whylen, "VM %s takes 1 .. %u vCPUs (its maximum), not %llu", vm->name,
			 vm->vcpus_max ? vm->vcpus_max : vm->vcpus, (unsigned long long)o->value);
		return -ARAS_E_RANGE;
	case ARAS_EDIT_MEM:
		if (o->value >= ARAS_EDIT_MEM_MIN_KIB && o->value <= vm->mem_max_kib)
			return 0;
		snprintf(why, whylen, "VM %s takes %u .. %llu KiB of memory (its maximum), not %llu",
			 vm->name, ARAS_EDIT_MEM_MIN_KIB, (unsigned long long)vm->mem_max_kib,
			 (unsigned long long)o->value);
		return -ARAS_E_RANGE;
	case ARAS_EDIT_DISK: return disk_range(vm, o, why, whylen);
	case ARAS_EDIT_MEM_MAX:
		if (o->value >= ARAS_EDIT_MEM_MIN_KIB && o->value <= UINT32_MAX)
			return 0;
		snprintf(why, whylen, "a maximum memory of %u .. %u KiB, not %llu", ARAS_EDIT_MEM_MIN_KIB,
			 UINT32_MAX, (unsigned long long)o->value);
		return -ARAS_E_RANGE;
	}
	snprintf(why, whylen, "no such edit %d", o->edit);
	return -ARAS_E_RANGE;
}

/* What the VM's host can carry (unless forced): its CPUs, its free memory, its memory. */
static int edit_room(const struct aras_vm *vm, const struct aras_host *h, const struct aras_order *o,
		     char *why, size_t whylen)
{
	switch (o->edit) {
	case ARAS_EDIT_VCPUS:
		if (!h->cpus || o->value <= h->cpus)
			return 0;
		snprintf(why, whylen,
			 "%llu vCPUs is more than host %s's %u CPUs (arasVmEditForce true(1) overrides)",
			 (unsigned long long)o->value, h->name, h->cpus);
		return -ARAS_E_INCONSIST;
	case ARAS_EDIT_MEM:
		if (!aras_vm_state_active(vm->state) || o->value <= vm->mem_cur_kib ||
		    o->value - vm->mem_cur_kib <= h->mem_free_kib)
			return 0;
		snprintf(why, whylen,
			 "%llu KiB more for VM %s is more than host %s's %llu KiB free (arasVmEditForce "
			 "true(1) "
			 "overrides)",
			 (unsigned long long)(o->value - vm->mem_cur_kib), vm->name, h->name,
			 (unsigned long long)h->mem_free_kib);
		return -ARAS_E_INCONSIST;
	case ARAS_EDIT_MEM_MAX:
		if (!h->mem_total_kib || o->value <= h->mem_total_kib)
			return 0;
		snprintf(why, whylen,
			 "a maximum of %llu KiB is more than host %s's %llu KiB of memory (arasVmEditForce "
			 "true(1) "
			 "overrides)",
			 (unsigned long long)o->value, h->name, (unsigned long long)h->mem_total_kib);
		return -ARAS_E_INCONSIST;
	}
	return 0;
}

static int check_edit(const struct aras_engine *e, const struct aras_order *o, char *why, size_t whylen)
{
	const struct aras_vm *vm = aras_model_find_vm(&e->model, o->uuid);
	int rc;

	if (!vm) {
		snprintf(why, whylen, "no such VM");
		return -ARAS_E_NOENT;
	}
	if ((rc = edit_range(vm, o, why, whylen)) < 0 ||
	    (rc = order_vm_free(e, vm, EDIT_CMD, why, whylen)) < 0)
		return rc;
	if (vm->state == ARAS_VM_CRASHED || vm->state == ARAS_VM_OTHER || vm->missing) {
		snprintf(why, whylen, "VM %s is neither running, paused nor shut off", vm->name);
		return -ARAS_E_INCONSIST;
	}
	return o->force ? 0 : edit_room(vm, aras_model_host(&e->model, vm->host), o, why, whylen);
}

int aras_clone_name_ok(const char *name, size_t len)
{
	if (len < 1 || len > ARAS_CLONE_NAME_MAX)
		return 0;
	/* a letter or a digit first: no name that reads as an option or a hidden file */
	if (name[0] == '.' || name[0] == '_' || name[0] == '-')
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!aras_word_char(name[i]))
			return 0;
	return 1;
}

/* The host a clone order's VM is made on: its target, or the template's. */
static unsigned clone_host(const struct aras_vm *tpl, const struct aras_order *o)
{
	return o->target ? o->target : tpl->host;
}

/* The VM or the clone in progress that already has name, or NULL (*what says which). */
static const char *name_taken(const struct aras_engine *e, const char *name, char *what, size_t len)
{
	for (size_t i = 0; i < e->model.nvms; i++) {
		const struct aras_vm *vm = e->model.vms[i];
		const struct aras_host *h;

		if (vm->undefined || strcmp(vm->name, name) != 0)
			continue;
		h = aras_model_host(&e->model, vm->host);
		snprintf(what, len, "VM %s on host %s has that name", name, h ? h->name : "?");
		return what;
	}
	for (size_t i = 0; e->plan && i < aras_plan_count(e->plan); i++) {
		const struct aras_action *a = aras_plan_at(e->plan, i);

		if (a->kind == ARAS_KIND_CLONE && !aras_action_finished(a) &&
		    strcmp(a->clone_name, name) == 0) {
			snprintf(what, len, "action %u is making a clone named %s", (unsigned)a->index, name);
			return what;
		}
	}
	return NULL;
}

/*
 * A clone: a shut-off template without a managed-save image, free of other
 * orders (clones of it aside), a new name, a host that is up; to be started,
 * room there for the template's memory and vCPUs.
 */
static int check_clone(const struct aras_engine *e, const struct aras_order *o, char *why, size_t whylen)
{
	const struct aras_vm *vm = aras_model_find_vm(&e->model, o->uuid);
	const struct aras_host *t;
	char taken[ARAS_ERRTEXT_MAX];
	int rc;

	if (!aras_clone_name_ok(o->name, strlen(o->name))) {
		snprintf(why, whylen,
			 "'%.64s' is not a name arasd gives a clone (1 .. %d of A-Z a-z 0-9 . _ -, a letter "
			 "or digit first)",
			 o->name, ARAS_CLONE_NAME_MAX);
		return -ARAS_E_RANGE;
	}
	if (!vm) {
		snprintf(why, whylen, "no such template VM");
		return -ARAS_E_NOENT;
	}
	if (!(t = aras_model_host(&e->model, clone_host(vm, o)))) {
		snprintf(why, whylen, "no host with index %u", o->target);
		return -ARAS_E_RANGE;
	}
	if ((rc = order_vm_free(e, vm, CLONE_CMD, why, whylen)) < 0)
		return rc;
	if (vm->state != ARAS_VM_SHUTOFF || vm->managed_save) {
		snprintf(why, whylen,
			 "template VM %s is %s: only a shut-off VM without a managed-save image is cloned",
			 vm->name, vm->managed_save ? "saved (managed save)" : aras_oper_name(vm->oper));
		return -ARAS_E_INCONSIST;
	}
	if (name_taken(e, o->name, taken, sizeof(taken))) {
		snprintf(why, whylen, "%s", taken);
		return -ARAS_E_INCONSIST;
	}
	if (t->state != ARAS_HOST_UP || t->maintenance) {
		snprintf(why, whylen, "host %s is %s", t->name, t->maintenance ? "in maintenance" : "down");
		return -ARAS_E_INCONSIST;
	}
	if (o->start && t->mem_total_kib && vm->mem_cur_kib > t->mem_free_kib) {
		snprintf(why, whylen, "host %s has %llu KiB free, the clone of %s starts with %llu KiB",
			 t->name, (unsigned long long)t->mem_free_kib, vm->name,
			 (unsigned long long)vm->mem_cur_kib);
		return -ARAS_E_INCONSIST;
	}
	if (o->start && t->cpus && vm->vcpus > t->cpus) {
		snprintf(why, whylen, "host %s has %u CPUs, the clone of %s starts with %u vCPUs", t->name,
			 t->cpus, vm->name, vm->vcpus);
		return -ARAS_E_INCONSIST;
	}
	return 0;
}

int aras_engine_check_order(const struct aras_engine *e, const struct aras_order *o, char *why, size_t whylen)
{
	int rc;

	switch (o->kind) {
	case ARAS_ORDER_EDIT: return check_edit(e, o, why, whylen);
	case ARAS_ORDER_CLONE: return check_clone(e, o, why, whylen);
	case ARAS_ORDER_COMMAND: return check_command(e, o, why, whylen);
	case ARAS_ORDER_MIGRATE: return check_migrate(e, o->uuid, o->target, why, whylen);
	case ARAS_ORDER_DECIDE:
		rc = e->plan ? aras_plan_check_decision(e->plan, o->action, o->state) : -ARAS_E_NOENT;
		if (rc < 0)
			snprintf(why, whylen, "action %u: %s", (unsigned)o->action,
				 rc == -ARAS_E_NOENT ? "no such action" :
				 rc == -ARAS_E_RANGE ? "only approved(2) or rejected(3)" :
						       "not a proposal any more");
		return rc;
	}
	snprintf(why, whylen, "unknown order");
	return -ARAS_E_INVAL;
}

/* Grow the staging list in steps of this many orders first. */
#define ORDERS_FIRST_CAP 8

static int forced(const struct aras_orders *os, const uint8_t uuid[ARAS_UUID_LEN])
{
	for (size_t i = 0; i < os->nforced; i++)
		if (memcmp(os->forced[i], uuid, ARAS_UUID_LEN) == 0)
			return 1;
	return 0;
}

int aras_orders_force(struct aras_orders *os, const uint8_t uuid[ARAS_UUID_LEN])
{
	uint8_t(*v)[ARAS_UUID_LEN];

	for (size_t i = 0; i < os->n; i++)
		if (os->v[i].kind == ARAS_ORDER_EDIT && memcmp(os->v[i].uuid, uuid, ARAS_UUID_LEN) == 0)
			os->v[i].force = 1;
	if (forced(os, uuid))
		return 0;
	v = realloc(os->forced, (os->nforced + 1) * sizeof(*v));
	if (!v)
		return -ARAS_E_NOMEM;
	memcpy(v[os->nforced++], uuid, ARAS_UUID_LEN);
	os->forced = v;
	return 0;
}

int aras_orders_add(struct aras_orders *os, const struct aras_order *o)
{
	if (os->n == os->cap) {
		size_t cap = os->cap ? os->cap * 2 : ORDERS_FIRST_CAP;
		struct aras_order *v = realloc(os->v, cap * sizeof(*v));

		if (!v)
			return -ARAS_E_NOMEM;
		os->v = v;
		os->cap = cap;
	}
	os->v[os->n] = *o;
	if (o->kind == ARAS_ORDER_EDIT && forced(os, o->uuid))
		os->v[os->n].force = 1;
	os->n++;
	return 0;
}

int aras_orders_check(const struct aras_orders *os, char *why, size_t whylen)
{
	/* each order was checked alone against the live state; two on one VM or action would race */
	for (size_t i = 0; i < os->n; i++)
		for (size_t j = 0; j < i; j++) {
			const struct aras_order *a = &os->v[i], *b = &os->v[j];
			/* rejecting the VM's proposal and ordering something else for it: the order wins anyway */
			int supersede = (a->kind == ARAS_ORDER_DECIDE) != (b->kind == ARAS_ORDER_DECIDE) &&
					(a->kind == ARAS_ORDER_DECIDE ? a : b)->state == ARAS_AS_REJECTED;
			/* edits of different things of one VM (vCPUs and memory) run together */
			int edits = a->kind == ARAS_ORDER_EDIT && b->kind == ARAS_ORDER_EDIT &&
				    (a->edit != b->edit ||
				     (a->edit == ARAS_EDIT_DISK && strcmp(a->disk, b->disk) != 0));
			/* several clones of one template, each with its own name */
			int clones = a->kind == ARAS_ORDER_CLONE && b->kind == ARAS_ORDER_CLONE;

			if (clones && strcmp(a->name, b->name) == 0) {
				snprintf(why, whylen, "two clones named %s in one PDU", a->name);
				return -ARAS_E_INCONSIST;
			}
			if (clones)
				continue;

			if ((memcmp(a->uuid, b->uuid, ARAS_UUID_LEN) == 0 && !supersede && !edits) ||
			    (a->kind == ARAS_ORDER_DECIDE && b->kind == ARAS_ORDER_DECIDE &&
			     a->action == b->action)) {
				char u[ARAS_UUID_STRLEN];

				aras_uuid_format(a->uuid, u);
				snprintf(why, whylen, "two orders for VM %s in one PDU", u);
				return -ARAS_E_INCONSIST;
			}
		}
	return 0;
}

int aras_engine_check_orders(const struct aras_engine *e, const struct aras_state *st,
			     const struct aras_orders *os, char *why, size_t whylen)
{
	struct aras_rules_map rm;
	char w[ARAS_ERRTEXT_MAX];
	int rc = 0;

	if (!st)
		st = &e->state;
	if (!st->ngroups || !os || !os->n)
		return 0;
	if (aras_rules_map_init(&rm, &e->model, st, e->plan) < 0) {
		snprintf(why, whylen, "out of memory");
		return -ARAS_E_NOMEM;
	}
	for (size_t i = 0; i < os->n && rc == 0; i++) {
		const struct aras_order *o = &os->v[i];
		const struct aras_vm *vm =
			o->kind == ARAS_ORDER_MIGRATE ? aras_model_find_vm(&e->model, o->uuid) : NULL;

		if (!vm)
			continue;
		if (!aras_rules_allows(&rm, &e->model, st, vm, o->target, w, sizeof(w))) {
			snprintf(why, whylen, "placement rule, with the PDU's other values and orders: %s",
				 w);
			rc = -ARAS_E_INCONSIST;
		}
		aras_rules_map_move(&rm, &e->model, st, vm, vm->host, o->target);
	}
	aras_rules_map_free(&rm);
	return rc;
}

void aras_orders_clear(struct aras_orders *os)
{
	free(os->v);
	free(os->forced);
	os->v = NULL;
	os->forced = NULL;
	os->n = os->cap = os->nforced = 0;
}

/* What an operator's order is, as its action's reason says it: "operator order N: ..." */
static void order_reason(const struct aras_order *o, char *buf, size_t len)
{
	char id[32] = "";

	if (o->id)
		snprintf(id, sizeof(id), " %u", (unsigned)o->id);
	switch (o->kind) {
	case ARAS_ORDER_COMMAND:
		snprintf(buf, len, "operator order%s: arasVmCommand %s(%d)", id, aras_cmd_name(o->cmd),
			 o->cmd);
		return;
	case ARAS_ORDER_MIGRATE:
		snprintf(buf, len, "operator order%s: arasVmMigrateTo %u", id, o->target);
		return;
	case ARAS_ORDER_CLONE:
		snprintf(buf, len, "operator order%s: arasCloneTable row %u: a clone named %s%s", id,
			 (unsigned)o->request, o->name, o->start ? ", started once defined" : "");
		return;
	case ARAS_ORDER_EDIT:
		if (o->edit == ARAS_EDIT_DISK) {
			snprintf(buf, len, "operator order%s: %s of disk %s: %llu MiB", id,
				 aras_edit_object(o->edit), o->disk, (unsigned long long)o->value);
			return;
		}
		snprintf(buf, len, "operator order%s: %s %llu%s%s", id, aras_edit_object(o->edit),
			 (unsigned long long)o->value,
			 o->edit == ARAS_EDIT_MEM_MAX ? " (from the next boot)" : "",
			 o->force ? ", forced" : "");
		return;
	default:
		snprintf(buf, len, "operator order%s: arasActionState %s(%d) of action %u", id,
			 aras_astate_name(o->state), o->state, (unsigned)o->action);
		return;
	}
}

static void reject(struct aras_engine *e, struct aras_action *a, uint64_t now_ms)
{
	a->state = ARAS_AS_REJECTED;
	a->finished = e->wall;
	a->finished_ms = now_ms;
	/* the operator said no: do not propose it again before the cooldown */
	aras_ctl_note_action(&e->ctl, a, now_ms);
	announce(e, a, ARAS_EV_INFO);
}

/*
 * The operator's order o takes over the VM: its proposals are rejected
 * (superseded), as an arasActionState rejected(3) would.
 */
static void supersede(struct aras_engine *e, const struct aras_order *o, uint64_t now_ms)
{
	for (size_t i = 0; e->plan && i < aras_plan_count(e->plan); i++) {
		struct aras_action *a = aras_plan_at(e->plan, i);

		if (a->state != ARAS_AS_PROPOSED || memcmp(a->uuid, o->uuid, ARAS_UUID_LEN) != 0)
			continue;
		if (o->kind == ARAS_ORDER_COMMAND)
			snprintf(a->error, sizeof(a->error),
				 "superseded by the operator's arasVmCommand %s(%d)", aras_cmd_name(o->cmd),
				 o->cmd);
		else if (o->kind == ARAS_ORDER_EDIT)
			snprintf(a->error, sizeof(a->error), "superseded by the operator's %s %llu%s%s",
				 aras_edit_object(o->edit), (unsigned long long)o->value,
				 o->disk[0] ? " of " : "", o->disk);
		else
			snprintf(a->error, sizeof(a->error),
				 "superseded by the operator's arasVmMigrateTo %u", o->target);
		reject(e, a, now_ms);
	}
}

/* An order's own fields of its action row: a clone's, a disk edit's disk. */
static void order_fields(struct aras_action *a, const struct aras_order *o)
{
	if (o->kind == ARAS_ORDER_EDIT && o->edit == ARAS_EDIT_DISK) {
		snprintf(a->disk, sizeof(a->disk), "%s", o->disk);
		a->disk_absolute = 1;
	}
	if (o->kind != ARAS_ORDER_CLONE)
		return;
	snprintf(a->clone_name, sizeof(a->clone_name), "%s", o->name);
	a->clone_request = o->request;
	a->clone_start = o->start;
}

static void order_row(struct aras_engine *e, const struct aras_order *o, int state, const char *why,
		      uint64_t now_ms);

/* An action row of the operator's order that failed before it could run (why), with its notification. */
static void order_failed(struct aras_engine *e, const struct aras_order *o, const char *why, uint64_t now_ms)
{
	order_row(e, o, ARAS_AS_FAILED, why, now_ms);
}

/*
 * An action row of the operator's order that ended (failed, or succeeded:
 * done by the last run) without running now (why), with its notification.
 */
static void order_row(struct aras_engine *e, const struct aras_order *o, int state, const char *why,
		      uint64_t now_ms)
{
	const struct aras_vm *vm = aras_model_find_vm(&e->model, o->uuid);
	struct aras_decision dec;
	struct aras_action *a;

	if (o->kind == ARAS_ORDER_DECIDE || !e->plan) {
		/* no row to fail: the decision's proposal is gone; the event row says so */
		const struct aras_host *h = vm ? aras_model_host(&e->model, vm->host) : NULL;
		struct aras_alert al;
		char u[ARAS_UUID_STRLEN];

		aras_uuid_format(o->uuid, u);
		aras_alert_init(&al, ARAS_EV_INFO, e->wall, o->uuid, vm ? vm->name : u, vm ? vm->host : 0,
				h ? h->name : "", ARAS_RES_NONE);
		snprintf(al.text, sizeof(al.text),
			 "order %u (arasActionState %s of action %u) failed: %.180s", (unsigned)o->id,
			 aras_astate_name(o->state), (unsigned)o->action, why);
		elog(e, LOG_WARNING, "VM %s: %s", al.vm_name, al.text);
		record(e, &al);
		order_outcome(e, o->id, state == ARAS_AS_SUCCEEDED, why);
		return;
	}
	memset(&dec, 0, sizeof(dec));
	memcpy(dec.uuid, o->uuid, sizeof(dec.uuid));
	if (vm)
		snprintf(dec.vm_name, sizeof(dec.vm_name), "%s", vm->name);
	else
		aras_uuid_format(o->uuid, dec.vm_name);
	dec.kind = o->kind == ARAS_ORDER_MIGRATE ? ARAS_KIND_MIGRATE :
		   o->kind == ARAS_ORDER_EDIT    ? (vm                         ? edit_kind(vm, o) :
						    o->edit == ARAS_EDIT_DISK  ? ARAS_KIND_GROW_DISK :
						    o->edit == ARAS_EDIT_VCPUS ? ARAS_KIND_ADD_VCPU :
										 ARAS_KIND_GROW_MEM) :
		   o->kind == ARAS_ORDER_CLONE   ? ARAS_KIND_CLONE :
						   aras_kind_of_cmd(o->cmd);
	dec.amount = o->kind == ARAS_ORDER_EDIT ? o->value : 0;
	dec.source = vm ? vm->host : 0;
	dec.target = o->kind == ARAS_ORDER_MIGRATE ? o->target :
		     o->kind == ARAS_ORDER_CLONE   ? (vm ? clone_host(vm, o) : o->target) :
						     0;
	dec.resource = ARAS_RES_NONE;
	dec.origin = ARAS_ORIGIN_OPERATOR;
	order_reason(o, dec.reason, sizeof(dec.reason));
	a = create_for(e, &dec, state, now_ms, o);
	if (!a) {
		order_outcome(e, o->id, state == ARAS_AS_SUCCEEDED, why);
		return;
	}
	a->finished = e->wall;
	a->finished_ms = now_ms;
	if (state == ARAS_AS_SUCCEEDED) {
		size_t n = strlen(a->reason);

		snprintf(a->reason + n, sizeof(a->reason) - n, "; %s", why);
	} else {
		snprintf(a->error, sizeof(a->error), "%s", why);
	}
	a->order_id = o->id;
	announce(e, a, state == ARAS_AS_SUCCEEDED ? ARAS_EV_ACTION_DONE : ARAS_EV_ACTION_FAILED);
	action_outcome(e, a);
}

/*
 * An operator's order: an approved action of origin operator that starts
 * at once (o: an edit's amount, before and maximum, a clone's name,
 * request and start; NULL otherwise).
 */
static void operator_action(struct aras_engine *e, const struct aras_vm *vm, int kind, unsigned target,
			    const struct aras_order *o, const char *reason, uint32_t order_id,
			    uint64_t now_ms)
{
	struct aras_decision dec;
	struct aras_action *a;

	memset(&dec, 0, sizeof(dec));
	memcpy(dec.uuid, vm->uuid, sizeof(dec.uuid));
	snprintf(dec.vm_name, sizeof(dec.vm_name), "%s", vm->name);
	dec.kind = kind;
	dec.source = vm->host;
	dec.target = target;
	if (o && o->kind == ARAS_ORDER_EDIT) {
		dec.amount = o->value;
		dec.before = edit_before(vm, o);
	}
	dec.resource = ARAS_RES_NONE;
	dec.origin = ARAS_ORIGIN_OPERATOR;
	snprintf(dec.reason, sizeof(dec.reason), "%s", reason);
	a = create_for(e, &dec, ARAS_AS_APPROVED, now_ms, o);
	if (!a) {
		order_outcome(e, order_id, 0, "the action table is full of unfinished actions");
		return;
	}
	/* before start: a job that cannot be queued ends the action (and the order) at once */
	a->order_id = order_id;
	a->maximum = o && o->kind == ARAS_ORDER_EDIT && o->edit == ARAS_EDIT_MEM_MAX;
	announce(e, a, ARAS_EV_ACTION_STARTED);
	start(e, a, now_ms);
}

void aras_engine_order(struct aras_engine *e, const struct aras_order *o, uint64_t now_ms, time_t wall)
{
	const struct aras_vm *vm = aras_model_find_vm(&e->model, o->uuid);
	struct aras_action *a;
	char reason[ARAS_REASON_MAX];

	e->wall = wall;
	switch (o->kind) {
	case ARAS_ORDER_DECIDE:
		a = e->plan ? aras_plan_get(e->plan, o->action) : NULL;
		if (!a || a->state != ARAS_AS_PROPOSED || memcmp(a->uuid, o->uuid, ARAS_UUID_LEN) != 0) {
			/* a rejection of a proposal that ended meanwhile (superseded by the PDU's own order) did its part */
			char why[ARAS_ERRTEXT_MAX];

			snprintf(why, sizeof(why), "action %u is %s, not a proposal any more",
				 (unsigned)o->action, a ? aras_astate_name(a->state) : "gone");
			if (o->state == ARAS_AS_REJECTED)
				order_outcome(e, o->id, 1, why);
			else
				order_failed(e, o, why, now_ms);
			return;
		}
		if (o->state == ARAS_AS_REJECTED) {
			reject(e, a, now_ms);
			order_outcome(e, o->id, 1, "rejected");
		} else {
			approve(e, a, o->id, now_ms);
		}
		return;
	case ARAS_ORDER_MIGRATE:
	case ARAS_ORDER_COMMAND:
		if (!vm || (o->kind == ARAS_ORDER_MIGRATE && !aras_model_host(&e->model, o->target))) {
			order_failed(e, o, vm ? "no such host any more" : "the VM is gone", now_ms);
			return;
		}
		supersede(e, o, now_ms);
		order_reason(o, reason, sizeof(reason));
		operator_action(e, vm,
				o->kind == ARAS_ORDER_MIGRATE ? ARAS_KIND_MIGRATE : aras_kind_of_cmd(o->cmd),
				o->kind == ARAS_ORDER_MIGRATE ? o->target : 0, NULL, reason, o->id, now_ms);
		return;
	case ARAS_ORDER_EDIT:
		if (!vm) {
			order_failed(e, o, "the VM is gone", now_ms);
			return;
		}
		supersede(e, o, now_ms);
		order_reason(o, reason, sizeof(reason));
		operator_action(e, vm, edit_kind(vm, o), 0, o, reason, o->id, now_ms);
		return;
	case ARAS_ORDER_CLONE:
		/* a shut-off template has no proposal to supersede */
		if (!vm) {
			order_failed(e, o, "the template VM is gone", now_ms);
			return;
		}
		order_reason(o, reason, sizeof(reason));
		operator_action(e, vm, ARAS_KIND_CLONE, clone_host(vm, o), o, reason, o->id, now_ms);
		return;
	}
}

/*
 * A SET's edits together: the memory its unforced edits add to running VMs
 * of one host fits that host's free memory; a VM's memory stays within the
 * maximum the same SET gives it.
 */
static int check_edits(const struct aras_engine *e, const struct aras_orders *os, char *why, size_t whylen)
{
	for (size_t i = 0; os && i < os->n; i++) {
		const struct aras_order *o = &os->v[i];
		const struct aras_vm *vm;
		const struct aras_host *h;
		uint64_t add = 0;

		if (o->kind != ARAS_ORDER_EDIT || o->edit != ARAS_EDIT_MEM)
			continue;
		for (size_t j = 0; j < os->n; j++) {
			const struct aras_order *m = &os->v[j];

			if (m->kind == ARAS_ORDER_EDIT && m->edit == ARAS_EDIT_MEM_MAX &&
			    memcmp(m->uuid, o->uuid, ARAS_UUID_LEN) == 0 && o->value > m->value) {
				snprintf(why, whylen,
					 "memory %llu KiB above the maximum %llu KiB of the same SET",
					 (unsigned long long)o->value, (unsigned long long)m->value);
				return -ARAS_E_INCONSIST;
			}
		}
		if (o->force || !(vm = aras_model_find_vm(&e->model, o->uuid)) ||
		    !(h = aras_model_host(&e->model, vm->host)))
			continue;
		/* the first unforced grow on this host sums them all */
		for (size_t j = 0; j < os->n; j++) {
			const struct aras_order *m = &os->v[j];
			const struct aras_vm *mv;

			if (m->kind != ARAS_ORDER_EDIT || m->edit != ARAS_EDIT_MEM || m->force ||
			    !(mv = aras_model_find_vm(&e->model, m->uuid)) || mv->host != vm->host ||
			    !aras_vm_state_active(mv->state) || m->value <= mv->mem_cur_kib)
				continue;
			if (j < i)
				break; /* summed at order j already */
			add += m->value - mv->mem_cur_kib;
		}
		if (add > h->mem_free_kib) {
			snprintf(why, whylen,
				 "the SET's edits add %llu KiB on host %s, more than its %llu KiB free "
				 "(arasVmEditForce "
				 "true(1) overrides)",
				 (unsigned long long)add, h->name, (unsigned long long)h->mem_free_kib);
			return -ARAS_E_INCONSIST;
		}
	}
	return 0;
}

int aras_engine_check_all(const struct aras_engine *e, const struct aras_state *st,
			  const struct aras_orders *os, char *why, size_t whylen)
{
	int rc;

	for (size_t i = 0; os && i < os->n; i++)
		if ((rc = aras_engine_check_order(e, &os->v[i], why, whylen)) < 0)
			return rc;
	if ((rc = aras_orders_check(os, why, whylen)) < 0)
		return rc;
	if ((rc = check_edits(e, os, why, whylen)) < 0)
		return rc;
	return aras_engine_check_orders(e, st, os, why, whylen);
}

void aras_engine_hold(struct aras_engine *e, const struct aras_orders *os)
{
	e->held = os && os->n ? os : NULL;
}

int aras_engine_recover(struct aras_engine *e, const struct aras_order *o)
{
	if (!e->recover && !(e->recover = calloc(1, sizeof(*e->recover))))
		return -ARAS_E_NOMEM;
	return aras_orders_add(e->recover, o);
}

struct aras_order_note {
	struct aras_order o;
	int outcome;
	char text[ARAS_ERRTEXT_MAX];
};

/* The event row of an order of the last run and its outcome. */
static void history_row(struct aras_engine *e, const struct aras_order *o, int outcome, const char *text)
{
	const struct aras_vm *vm = aras_model_find_vm(&e->model, o->uuid);
	const struct aras_host *h = vm ? aras_model_host(&e->model, vm->host) : NULL;
	struct aras_alert al;
	char u[ARAS_UUID_STRLEN], what[ARAS_REASON_MAX];

	aras_uuid_format(o->uuid, u);
	order_reason(o, what, sizeof(what));
	aras_alert_init(&al, ARAS_EV_INFO, e->wall, o->uuid, vm ? vm->name : u, vm ? vm->host : 0,
			h ? h->name : "", ARAS_RES_NONE);
	snprintf(al.text, sizeof(al.text), "before the restart: %.100s %s%s%.100s", what,
		 aras_order_outcome_name(outcome), text && text[0] ? ": " : "", text ? text : "");
	elog(e, LOG_INFO, "VM %s: %s", al.vm_name, al.text);
	record(e, &al);
}

static int all_hosts_up(const struct aras_engine *e)
{
	for (size_t i = 0; i < e->model.nhosts; i++)
		if (e->model.hosts[i].state != ARAS_HOST_UP)
			return 0;
	return 1;
}

/*
 * An order of the last run with no outcome whose effect is there already
 * (the last run stopped between the job and its outcome): an undefine of
 * a VM no host lists, a move whose VM is on its target, a clone whose
 * name a VM on its host has.  1 and why.
 */
static int done_before(const struct aras_engine *e, const struct aras_order *o, char *why, size_t whylen)
{
	const struct aras_vm *vm = aras_model_find_vm(&e->model, o->uuid);

	/* no host lists it: every host up and polled, or arasd's own undefine ran */
	if (o->kind == ARAS_ORDER_COMMAND && o->cmd == ARAS_CMD_UNDEFINE &&
	    ((vm && vm->undefined) || (!vm && all_hosts_up(e)))) {
		snprintf(why, whylen, "done before the restart: no host lists the VM");
		return 1;
	}
	/* a move that ended while no arasd watched (a takeover, a crash during it) */
	if (o->kind == ARAS_ORDER_MIGRATE && vm && !vm->undefined && vm->host == o->target &&
	    !(vm->state == ARAS_VM_PAUSED && vm->reason == ARAS_PAUSED_MIGRATION)) {
		const struct aras_host *t = aras_model_host(&e->model, o->target);

		snprintf(why, whylen, "done before the restart: VM %s is on host %s", vm->name,
			 t ? t->name : "?");
		return 1;
	}
	/* a life-cycle command the last run sent: the VM is in the state it asks for */
	if (o->kind == ARAS_ORDER_COMMAND && o->started && vm && !vm->undefined &&
	    o->cmd != ARAS_CMD_REBOOT && o->cmd != ARAS_CMD_UNDEFINE) {
		int st, reason, ms;

		aras_cmd_outcome(o->cmd, 0, &st, &reason, &ms);
		if (vm->state == st && (!ms || vm->managed_save)) {
			snprintf(why, whylen, "done before the restart: VM %s is %s", vm->name,
				 aras_oper_name(vm->oper));
			return 1;
		}
	}
	if (o->kind == ARAS_ORDER_CLONE) {
		unsigned host = vm ? clone_host(vm, o) : o->target;

		for (size_t i = 0; i < e->model.nvms; i++) {
			const struct aras_vm *c = e->model.vms[i];

			if (!c->undefined && c->host == host && strcmp(c->name, o->name) == 0) {
				snprintf(why, whylen, "done before the restart: VM %s is on host %s", c->name,
					 aras_model_host(&e->model, host) ?
						 aras_model_host(&e->model, host)->name :
						 "?");
				return 1;
			}
		}
	}
	return 0;
}

/* The migrate order of the last run, among os, that vm's migration in flight carries out; or NULL. */
static const struct aras_order *inflight_order(const struct aras_orders *os, const struct aras_vm *vm)
{
	for (size_t j = 0; os && j < os->n; j++)
		if (os->v[j].kind == ARAS_ORDER_MIGRATE && os->v[j].target == vm->inbound &&
		    memcmp(os->v[j].uuid, vm->uuid, ARAS_UUID_LEN) == 0)
			return &os->v[j];
	return NULL;
}

/*
 * At the first polls: every live migration in flight that this arasd did
 * not start (libvirt lists the VM's incoming copy on another host) becomes
 * a running migrate action whose job follows libvirt's job to its end
 * (adopted), carrying the journalled order of the last run it carries out
 * (os), if any: no second move is started for it, and that order is
 * resolved by the migration's end, once.
 */
static void adopt_moves(struct aras_engine *e, const struct aras_orders *os, unsigned char *taken,
			uint64_t now_ms)
{
	for (size_t i = 0; i < e->model.nvms; i++) {
		const struct aras_vm *vm = e->model.vms[i];
		const struct aras_host *t = aras_model_host(&e->model, foreign_move(e, vm->uuid));
		const struct aras_order *o;
		struct aras_decision dec;
		struct aras_action *a;
		char r[ARAS_REASON_MAX];

		if (!t)
			continue;
		o = inflight_order(os, vm);
		if (o)
			taken[o - os->v] = 1; /* resolved here, whatever becomes of the action */
		memset(&dec, 0, sizeof(dec));
		memcpy(dec.uuid, vm->uuid, sizeof(dec.uuid));
		snprintf(dec.vm_name, sizeof(dec.vm_name), "%s", vm->name);
		dec.kind = ARAS_KIND_MIGRATE;
		dec.source = vm->host;
		dec.target = t->index;
		dec.resource = ARAS_RES_NONE;
		dec.origin = o ? ARAS_ORIGIN_OPERATOR : ARAS_ORIGIN_CONTROLLER;
		if (o)
			order_reason(o, r, sizeof(r));
		else
			snprintf(r, sizeof(r), "a live migration this arasd did not start");
		snprintf(dec.reason, sizeof(dec.reason), "adopted at start: %.200s", r);
		if (o)
			elog(e, LOG_NOTICE,
			     "adopting the migration of VM %s to host %s that the last run started (order "
			     "%u)",
			     vm->name, t->name, (unsigned)o->id);
		else
			elog(e, LOG_NOTICE,
			     "adopting the migration of VM %s to host %s in flight at start (no journalled "
			     "order)",
			     vm->name, t->name);
		a = create(e, &dec, ARAS_AS_APPROVED, now_ms);
		if (!a) {
			if (o)
				order_outcome(
					e, o->id, 0,
					"not followed: the action table is full of unfinished actions (the "
					"migration goes on in libvirt)");
			continue;
		}
		/* an operator's own migration (no order) is followed, never aborted */
		a->adopted = o ? ARAS_ADOPTED_ORDER : ARAS_ADOPTED_FOLLOW;
		a->order_id = o ? o->id : 0;
		e->adopted++;
		announce(e, a, ARAS_EV_ACTION_STARTED);
		start(e, a, now_ms);
	}
}

/*
 * An order the last run started (its job reached libvirt, or was about
 * to) whose effect is not there: it ended, or never reached libvirt,
 * while no arasd watched.  It is not run again (a second move, a second
 * command): failed, why says so.
 */
static void not_again(const struct aras_engine *e, const struct aras_order *o, char *why, size_t whylen)
{
	const struct aras_vm *vm = aras_model_find_vm(&e->model, o->uuid);
	const struct aras_host *h = vm ? aras_model_host(&e->model, vm->host) : NULL;

	if (o->kind == ARAS_ORDER_MIGRATE)
		snprintf(why, whylen,
			 "not run again: the last run started this migration and stopped before its end; VM "
			 "%s is still on host %s (the migration failed or never began)",
			 vm ? vm->name : "?", h ? h->name : "?");
	else
		snprintf(why, whylen,
			 "not run again: the last run started this order and stopped before its outcome, "
			 "which is unknown (order it again if still wanted)");
}

void aras_engine_resolve(struct aras_engine *e, uint64_t now_ms, time_t wall)
{
	struct aras_orders *os = e->recover;
	unsigned char *taken = NULL; /* the orders an adopted migration carries out */

	e->wall = wall;
	if (!os && !e->nnotes && e->adopt_scanned)
		return;
	for (size_t i = 0; i < e->model.nhosts; i++)
		if (e->model.hosts[i].state == ARAS_HOST_UNKNOWN)
			return;
	if (os && os->n && !(taken = calloc(os->n, 1))) {
		elog(e, LOG_ERR, "out of memory: the last run's orders wait for the next poll");
		return;
	}
	if (!e->adopt_scanned) {
		e->adopt_scanned = 1;
		adopt_moves(e, os, taken, now_ms);
	}
	for (size_t i = 0; i < e->nnotes; i++)
		history_row(e, &e->notes[i].o, e->notes[i].outcome, e->notes[i].text);
	free(e->notes);
	e->notes = NULL;
	e->nnotes = 0;
	if (!os)
		return;
	e->recover = NULL;
	e->resolving = os;
	for (size_t i = 0; i < os->n; i++) {
		const struct aras_order *o = &os->v[i];
		char why[ARAS_ERRTEXT_MAX], w[ARAS_ERRTEXT_MAX];

		if (o->kind == ARAS_ORDER_DECIDE) {
			snprintf(why, sizeof(why),
				 "not run at restart: the proposals of the last run are gone (the controller "
				 "proposes again if still needed)");
			order_failed(e, o, why, now_ms);
			continue;
		}
		if (taken[i])
			continue; /* an adopted migration carries it out */
		if (done_before(e, o, why, sizeof(why))) {
			order_row(e, o, ARAS_AS_SUCCEEDED, why, now_ms);
			continue;
		}
		/* an edit sets an absolute value: run again, it cannot do twice what it did once */
		if (o->started && o->kind != ARAS_ORDER_EDIT) {
			not_again(e, o, why, sizeof(why));
			order_failed(e, o, why, now_ms);
			continue;
		}
		if (aras_engine_check_order(e, o, w, sizeof(w)) < 0) {
			snprintf(why, sizeof(why), "not run at restart: %.200s", w);
			order_failed(e, o, why, now_ms);
			continue;
		}
		elog(e, LOG_INFO, "order %u of the last run has no outcome: running it now", (unsigned)o->id);
		aras_engine_order(e, o, now_ms, wall);
	}
	e->resolving = NULL;
	free(taken);
	aras_orders_clear(os);
	free(os);
}

void aras_engine_order_history(struct aras_engine *e, const struct aras_order *o, int outcome,
			       const char *text, time_t wall)
{
	struct aras_order_note *v = realloc(e->notes, (e->nnotes + 1) * sizeof(*v));

	if (!v) {
		e->wall = wall;
		history_row(e, o, outcome, text);
		return;
	}
	e->notes = v;
	v[e->nnotes].o = *o;
	v[e->nnotes].outcome = outcome;
	snprintf(v[e->nnotes].text, sizeof(v[e->nnotes].text), "%s", text ? text : "");
	e->nnotes++;
}

void aras_engine_commit(struct aras_engine *e, struct aras_state *staged, const struct aras_orders *os,
			uint64_t now_ms, time_t wall)
{
	struct aras_state old = e->state;
	uint32_t size;

	e->wall = wall;
	/* vmIndex is not SET: the live map, with what was given since the SET was staged */
	aras_state_vmidx_take(staged, &old);
	e->state = *staged;
	memset(staged, 0, sizeof(*staged));
	e->state_gen++;
	size = e->state.settings.v[ARAS_S_EVENT_LOG_SIZE];
	if (e->evlog && size != old.settings.v[ARAS_S_EVENT_LOG_SIZE] &&
	    aras_evlog_resize(e->evlog, size) < 0)
		elog(e, LOG_ERR, "cannot resize the event log to %u rows", (unsigned)size);
	sync_maintenance(e, 1);
	/*
	 * A shorter poll interval shortens the hang watch (stall_ms): a host
	 * whose next poll was due at the old interval has not hung; count
	 * its silence from this change, as from the first look.
	 */
	if (e->state.settings.v[ARAS_S_POLL_INTERVAL] < old.settings.v[ARAS_S_POLL_INTERVAL])
		for (size_t i = 0; i < e->model.nhosts; i++)
			if (e->model.hosts[i].seen_ms)
				e->model.hosts[i].seen_ms = now_ms;
	for (int i = 0; i < ARAS_S_COUNT; i++) {
		char a[64], b[64];

		if (e->state.settings.v[i] == old.settings.v[i])
			continue;
		aras_settings_format(i, old.settings.v[i], a, sizeof(a));
		aras_settings_format(i, e->state.settings.v[i], b, sizeof(b));
		elog(e, LOG_INFO, "%s changed by SNMP SET: %s -> %s", aras_setting_defs[i].mib_name, a, b);
	}
	aras_state_free(&old);
	e->held = NULL;
	/* a rule created over running VMs, or a member added, shows at once */
	aras_engine_rules(e);
	for (size_t i = 0; os && i < os->n; i++)
		aras_engine_order(e, &os->v[i], now_ms, wall);
}

/* ---- configuring and reading the engine (core/engine.h) ---- */

struct aras_state *aras_engine_conf_state(struct aras_engine *e)
{
	return &e->state;
}

struct aras_model *aras_engine_conf_model(struct aras_engine *e)
{
	return &e->model;
}

struct aras_ctl_opts *aras_engine_conf_ctl(struct aras_engine *e)
{
	return &e->ctl_opts;
}

const struct aras_state *aras_engine_state(const struct aras_engine *e)
{
	return &e->state;
}

const struct aras_settings *aras_engine_settings(const struct aras_engine *e)
{
	return &e->state.settings;
}

uint32_t aras_engine_state_gen(const struct aras_engine *e)
{
	return e->state_gen;
}

const struct aras_model *aras_engine_model(const struct aras_engine *e)
{
	return &e->model;
}

struct aras_plan *aras_engine_plan(const struct aras_engine *e)
{
	return e->plan;
}

struct aras_evlog *aras_engine_evlog(const struct aras_engine *e)
{
	return e->evlog;
}

uint32_t aras_engine_vm_index(struct aras_engine *e, const uint8_t uuid[ARAS_UUID_LEN], int *added)
{
	return aras_state_vmidx_assign(&e->state, uuid, added);
}

const struct aras_model_summary *aras_engine_summary(const struct aras_engine *e)
{
	return &e->summary;
}

void aras_engine_counters(const struct aras_engine *e, struct aras_engine_counters *c)
{
	memset(c, 0, sizeof(*c));
	c->actions_failed = e->actions_failed;
	c->breaches = e->breaches;
	c->vm_state_changes = e->vm_state_changes;
	c->state_coalesced = e->state_coalesced;
	c->rule_violations = e->rule_violations;
	c->rule_violations_seen = e->rule_violations_seen;
	c->backed_off = e->backoff.deferred;
	c->held_min_stay = e->ctl.held_min_stay;
	c->migrations_queued = e->ctl.queued;
	c->first_polls_resolved = e->adopt_scanned && !e->recover;
	c->adopted = e->adopted;
}

unsigned aras_engine_group_violations(const struct aras_engine *e, size_t gi)
{
	return gi < e->ngroup_viol ? e->group_viol[gi] : 0;
}
