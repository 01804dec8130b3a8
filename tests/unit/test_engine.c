/*
 * test_engine.c - the action life cycle (src/core/engine.c): samples in
 * through aras_engine_sample, effects out through a recording effects
 * table.  Covers operator orders (every validation of each kind), the
 * staging of several orders of one SET (conflicts, all run at commit in
 * order), maintenance on/off transitions at commit (one source of truth:
 * the state), the policy gate (automatic, semiAutomatic with approval,
 * rejection, expiry, manual, the replay's auto-approval), job results
 * (failure, a job that cannot be queued), the failure backoff, the
 * event/notification effects of SLA alerts and host state changes, and
 * that VMs which leave the model leave the controller's and the backoff's
 * memory (bounded under VM churn).
 *
 * Cluster: hosts 1..3, 4 CPUs, 10 000 000 KiB each, host CPU 50 %; host 3
 * never answers (down).  VM 1 "hot" on host 1 (2 of 4 vCPUs at 95 %), VM 2
 * "calm" on host 2 (1 vCPU at 10 %), VM 3 "off" on host 2 (shut off).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "testlib.h"

#include "core/engine_impl.h"

#define T0 10000000ull              /* time of the second poll, ms */
#define T_WALL ((time_t)1700000000) /* the wall clock the tests hand the engine (time is an input) */
#define MEM_TOTAL 10000000ull
#define MAXJ 16

struct rec {
	unsigned jobs, proposed, done, failed, host_notes, event_notes, no_target, kicks, mails, scripts;
	unsigned vm_states, coalesced_notes, coalesced_n; /* life cycle */
	int last_prev, last_oper, last_kind;
	uint32_t job[MAXJ];
	int job_rc; /* what start_job returns */
	/* journalled orders' outcomes (order_done) */
	unsigned outcomes;
	uint32_t last_order;
	int last_outcome;
	char last_text[ARAS_ERRTEXT_MAX];
};

struct fx {
	struct aras_engine e;
	struct rec r;
};

static void mkuuid(uint8_t u[ARAS_UUID_LEN], uint32_t key)
{
	test_uuid(u, key, 0, 0);
}

static int fx_start_job(void *arg, const struct aras_action *a)
{
	struct rec *r = arg;

	if (r->job_rc < 0)
		return r->job_rc;
	if (r->jobs < MAXJ)
		r->job[r->jobs] = a->index;
	r->jobs++;
	r->last_kind = a->kind;
	return 0;
}

static void fx_action(void *arg, const struct aras_action *a)
{
	struct rec *r = arg;

	r->proposed += a->state == ARAS_AS_PROPOSED;
	r->done += a->state == ARAS_AS_SUCCEEDED;
	r->failed += a->state == ARAS_AS_FAILED;
}

static void fx_event(void *arg, const struct aras_event *e)
{
	(void)e;
	((struct rec *)arg)->event_notes++;
}

static void fx_no_target(void *arg, const struct aras_decision *d, const struct aras_event *e)
{
	(void)d;
	(void)e;
	((struct rec *)arg)->no_target++;
}

static void fx_host(void *arg, const struct aras_host *h)
{
	(void)h;
	((struct rec *)arg)->host_notes++;
}

static int fx_mail(void *arg, const struct aras_alert *a)
{
	(void)a;
	((struct rec *)arg)->mails++;
	return 0;
}

static int fx_script(void *arg, const struct aras_alert *a)
{
	(void)a;
	((struct rec *)arg)->scripts++;
	return 0;
}

static void fx_vm_state(void *arg, const struct aras_vm *vm)
{
	struct rec *r = arg;

	r->vm_states++;
	r->last_prev = vm->prev_oper;
	r->last_oper = vm->oper;
}

static void fx_coalesced(void *arg, unsigned n)
{
	struct rec *r = arg;

	r->coalesced_notes++;
	r->coalesced_n += n;
}

static void fx_kick(void *arg)
{
	((struct rec *)arg)->kicks++;
}

static void fx_order_done(void *arg, uint32_t id, int outcome, const char *text)
{
	struct rec *r = arg;

	r->outcomes++;
	r->last_order = id;
	r->last_outcome = outcome;
	snprintf(r->last_text, sizeof(r->last_text), "%s", text);
}

static void poll_host(struct fx *f, unsigned host, int second)
{
	struct aras_vm_sample v[2];
	struct aras_host_sample s;
	size_t n = 0;

	memset(v, 0, sizeof(v));
	memset(&s, 0, sizeof(s));
	if (host == 1) {
		mkuuid(v[0].uuid, 1);
		snprintf(v[0].name, sizeof(v[0].name), "hot");
		v[0].state = ARAS_VM_RUNNING;
		v[0].vcpus = 2;
		v[0].vcpus_max = 4;
		v[0].cpu_time_ns = 1000000000000ull + (second ? 95ull * 2 * 100000000ull : 0);
		v[0].mem_cur_kib = v[0].mem_max_kib = 1000000;
		n = 1;
	} else if (host == 2) {
		mkuuid(v[0].uuid, 2);
		snprintf(v[0].name, sizeof(v[0].name), "calm");
		v[0].state = ARAS_VM_RUNNING;
		v[0].vcpus = v[0].vcpus_max = 1;
		v[0].cpu_time_ns = 1000000000000ull + (second ? 10ull * 100000000ull : 0);
		v[0].mem_cur_kib = v[0].mem_max_kib = 1000000;
		mkuuid(v[1].uuid, 3);
		snprintf(v[1].name, sizeof(v[1].name), "off");
		v[1].state = ARAS_VM_SHUTOFF;
		v[1].vcpus = v[1].vcpus_max = 1;
		v[1].mem_cur_kib = v[1].mem_max_kib = 1000000;
		n = 2;
	}
	s.host_index = host;
	s.t_ms = second ? T0 : T0 - 10000;
	s.ok = host != 3;
	if (!s.ok)
		snprintf(s.err, sizeof(s.err), "connection refused");
	s.cpus = 4;
	s.mem_total_kib = MEM_TOTAL;
	s.has_mem_free = 1;
	s.mem_free_kib = MEM_TOTAL / 2;
	s.has_cpu_stats = 1;
	s.cpu_total_ns = 1000000000000ull + (second ? 1000000000ull : 0);
	s.cpu_busy_ns = second ? 50ull * 10000000ull : 0;
	s.vms = v;
	s.nvms = n;
	assert_int_equal(aras_engine_sample(&f->e, &s, 0), 0);
}

static struct fx *fx_new(int policy, const struct aras_engine_opts *o)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct aras_engine_opts def = { .event_log = 1, .backoff = 1, .follow_moves = 1 };
	struct aras_engine_fx fx = { .start_job = fx_start_job,
				     .notify_action = fx_action,
				     .notify_event = fx_event,
				     .notify_no_target = fx_no_target,
				     .notify_host = fx_host,
				     .mail = fx_mail,
				     .script = fx_script,
				     .notify_vm_state = fx_vm_state,
				     .notify_coalesced = fx_coalesced,
				     .kick = fx_kick,
				     .order_done = fx_order_done };

	assert_non_null(f);
	fx.arg = &f->r;
	aras_engine_init(&f->e);
	f->e.state.settings.v[ARAS_S_POLICY] = (uint32_t)policy;
	f->e.state.settings.v[ARAS_S_ACTIONS] = ARAS_ACT_TRAP | ARAS_ACT_ALLOCATE;
	f->e.state.settings.v[ARAS_S_CPU_THRESHOLD] = 80;
	f->e.state.settings.v[ARAS_S_HOST_CPU_HIGH] = 80;
	f->e.state.settings.v[ARAS_S_HOST_MEM_FREE_MIN] = 20;
	f->e.state.settings.v[ARAS_S_COOLDOWN] = 600;
	f->e.state.settings.v[ARAS_S_PROPOSAL_TIMEOUT] = 300;
	f->e.state.settings.v[ARAS_S_STATE_NOTIFY_LIMIT] = 20;
	for (unsigned h = 1; h <= 3; h++) {
		char name[8];

		snprintf(name, sizeof(name), "h%u", h);
		assert_int_equal(aras_model_add_host(&f->e.model, h, name, "test:///default"), 0);
	}
	assert_int_equal(aras_engine_start(&f->e, o ? o : &def, &fx), 0);
	for (int second = 0; second < 2; second++)
		for (unsigned h = 1; h <= 3; h++)
			poll_host(f, h, second);
	return f;
}

static void fx_free(struct fx *f)
{
	aras_engine_fini(&f->e);
	free(f);
}

/* VM 1's CPU alert fires (the controller then wants one more vCPU). */
static void fire(struct fx *f)
{
	uint8_t u[ARAS_UUID_LEN];
	struct aras_vm *vm;

	mkuuid(u, 1);
	vm = aras_model_find_vm(&f->e.model, u);
	assert_non_null(vm);
	vm->sla[0].state = ARAS_ALERT_FIRING;
	vm->sla[0].value = 95;
	vm->sla[0].since_ms = T0 - 60000;
}

static struct aras_order migrate(uint32_t key, unsigned target)
{
	struct aras_order o = { .kind = ARAS_ORDER_MIGRATE, .target = target };

	mkuuid(o.uuid, key);
	return o;
}

static struct aras_order decide(uint32_t action, int state, uint32_t key)
{
	struct aras_order o = { .kind = ARAS_ORDER_DECIDE, .action = action, .state = state };

	mkuuid(o.uuid, key);
	return o;
}

static int check(const struct fx *f, struct aras_order o, const char *why_has)
{
	char why[256] = "";
	int rc = aras_engine_check_order(&f->e, &o, why, sizeof(why));

	if (why_has && !strstr(why, why_has))
		fail_msg("why \"%s\" does not say \"%s\"", why, why_has);
	return rc;
}

/* A staged state that differs from the live one by host's maintenance. */
static void commit_maint(struct fx *f, unsigned host, int on, const struct aras_orders *os)
{
	struct aras_state st;

	aras_state_init(&st);
	assert_int_equal(aras_state_copy(&st, &f->e.state), 0);
	assert_int_equal(aras_state_set_maintenance(&st, host, on), 0);
	aras_engine_commit(&f->e, &st, os, T0 + 1000, T_WALL);
	aras_state_free(&st);
}

/* ---- time is an input; rows and log lines leave through the effects ---- */

struct seen {
	unsigned actions_added, events_added, model_lines;
	char line[256];
};

static void seen_action(void *arg, struct aras_action *a)
{
	(void)a;
	((struct seen *)arg)->actions_added++;
}

static void seen_event(void *arg, struct aras_event *ev)
{
	(void)ev;
	((struct seen *)arg)->events_added++;
}

static void seen_log(void *arg, int level, const char *tok, const char *line)
{
	struct seen *w = arg;

	(void)level;
	if (strcmp(tok, "model") == 0) {
		w->model_lines++;
		snprintf(w->line, sizeof(w->line), "%s", line);
	}
}

static void test_time_is_input(void **unused)
{
	struct aras_engine e;
	struct seen w = { 0 };
	struct aras_engine_opts o = { .event_log = 1 };
	struct aras_engine_fx fx = { .arg = &w,
				     .action_added = seen_action,
				     .event_added = seen_event,
				     .log = seen_log };
	struct aras_vm_sample v;
	struct aras_host_sample s;
	struct aras_order cmd = { .kind = ARAS_ORDER_COMMAND, .cmd = ARAS_CMD_SHUTDOWN };
	const struct aras_action *a;
	const struct aras_event *ev;

	(void)unused;
	aras_engine_init(&e);
	e.state.settings.v[ARAS_S_EVENT_LOG_SIZE] = 100;
	assert_int_equal(aras_model_add_host(&e.model, 1, "h1", "test:///default"), 0);
	assert_int_equal(aras_model_add_host(&e.model, 2, "h2", "test:///default"), 0);
	assert_int_equal(aras_engine_start(&e, &o, &fx), 0);
	memset(&v, 0, sizeof(v));
	mkuuid(v.uuid, 1);
	snprintf(v.name, sizeof(v.name), "vm1");
	v.state = ARAS_VM_RUNNING;
	v.vcpus = v.vcpus_max = 1;
	v.mem_cur_kib = v.mem_max_kib = 1000000;
	memset(&s, 0, sizeof(s));
	s.ok = 1;
	s.cpus = 4;
	s.mem_total_kib = MEM_TOTAL;
	s.t_ms = T0;
	s.host_index = 2;
	assert_int_equal(aras_engine_sample(&e, &s, 111), 0);
	s.host_index = 1;
	s.vms = &v;
	s.nvms = 1;
	assert_int_equal(aras_engine_sample(&e, &s, 111), 0);
	/* an order's action and its rows carry the wall clock of the call that made them */
	mkuuid(cmd.uuid, 1);
	aras_engine_order(&e, &cmd, T0 + 1000, 222);
	assert_int_equal(aras_plan_count(e.plan), 1);
	a = aras_plan_at(e.plan, 0);
	assert_int_equal(a->created, 222);
	aras_engine_result(&e, a->index, 1, "", T0 + 2000, 333);
	assert_int_equal(a->finished, 333);
	assert_true(aras_evlog_count(e.evlog) >= 2);
	for (size_t i = 0; i < aras_evlog_count(e.evlog); i++) {
		ev = aras_evlog_at(e.evlog, i);
		assert_true(ev->a.when == 222 || ev->a.when == 333);
	}
	ev = aras_evlog_at(e.evlog, aras_evlog_count(e.evlog) - 1);
	assert_int_equal(ev->a.when, 333);
	/* every row added was an effect */
	assert_int_equal(w.actions_added, aras_plan_count(e.plan));
	assert_int_equal(w.events_added, aras_evlog_count(e.evlog));
	/* a VM a poll finds on another host: the model's line goes out through fx.log */
	s.t_ms = T0 + 3000;
	s.host_index = 2;
	assert_int_equal(aras_engine_sample(&e, &s, 444), 0);
	assert_int_equal(w.model_lines, 1);
	assert_string_equal(w.line, "VM vm1: now on host h2 (was on h1)");
	aras_engine_fini(&e);
}

/* ---- the cluster as built ---- */

static void test_sample_hosts(void **unused)
{
	struct fx *f = fx_new(ARAS_POLICY_AUTO, NULL);

	(void)unused;
	assert_int_equal(aras_model_host(&f->e.model, 1)->state, ARAS_HOST_UP);
	assert_int_equal(aras_model_host(&f->e.model, 3)->state, ARAS_HOST_DOWN);
	/* a first successful poll is not news, a first failure is: one notice, one row */
	assert_int_equal(f->r.host_notes, 1);
	assert_int_equal(aras_evlog_count(f->e.evlog), 1);
	fx_free(f);
}

/* A host that sends no poll result for 2 x pollInterval + 30 s is made down, once; its next result sets it again. */
static struct aras_vm *vm_of(struct fx *f, uint32_t key);

static void test_host_stall(void **unused)
{
	struct fx *f = fx_new(ARAS_POLICY_AUTO, NULL);
	struct aras_host *h1 = aras_model_host(&f->e.model, 1);
	unsigned notes = f->r.host_notes;
	uint64_t stall;

	(void)unused;
	f->e.state.settings.v[ARAS_S_POLL_INTERVAL] = 10;
	stall = aras_engine_stall_ms(&f->e);
	assert_int_equal(stall, 50000);
	aras_engine_watch_hosts(&f->e, T0 + stall - 1, T_WALL);
	assert_int_equal(h1->state, ARAS_HOST_UP);
	assert_int_equal(f->r.host_notes, notes);
	aras_engine_watch_hosts(&f->e, T0 + stall + 1000, T_WALL);
	assert_int_equal(h1->state, ARAS_HOST_DOWN);
	assert_int_equal(aras_model_host(&f->e.model, 2)->state, ARAS_HOST_DOWN);
	assert_non_null(strstr(h1->last_error, "libvirt has not answered for 51 s"));
	assert_int_equal(f->r.host_notes, notes + 2);        /* hosts 1 and 2; 3 was down already */
	assert_int_equal(vm_of(f, 1)->state, ARAS_VM_OTHER); /* not running as far as arasd knows */
	/* no repeat while it stays down */
	aras_engine_watch_hosts(&f->e, T0 + 10 * stall, T_WALL);
	assert_int_equal(f->r.host_notes, notes + 2);
	/* the hung call returns: a result sets the state again, with its notice */
	poll_host(f, 1, 1);
	assert_int_equal(h1->state, ARAS_HOST_UP);
	assert_int_equal(f->r.host_notes, notes + 3);
	aras_engine_watch_hosts(&f->e, T0 + stall - 1, T_WALL);
	assert_int_equal(h1->state, ARAS_HOST_UP);
	fx_free(f);
}

/* pollInterval SET from 3600 to 1 s: the hang watch starts again at the SET, so a host
 * whose last result came an old interval ago is not made down before its next poll. */
static void commit_poll(struct fx *f, uint32_t poll_s, uint64_t now)
{
	struct aras_state st;

	aras_state_init(&st);
	assert_int_equal(aras_state_copy(&st, &f->e.state), 0);
	aras_state_set_setting(&st, ARAS_S_POLL_INTERVAL, poll_s);
	aras_engine_commit(&f->e, &st, NULL, now, T_WALL);
	aras_state_free(&st);
}

static void test_poll_interval_set(void **unused)
{
	struct fx *f = fx_new(ARAS_POLICY_AUTO, NULL);
	struct aras_host *h1 = aras_model_host(&f->e.model, 1);
	uint64_t set_at = T0 + 1000000; /* 1000 s after the last results: within 2 x 3600 + 30 s */

	(void)unused;
	commit_poll(f, 3600, T0);
	aras_engine_watch_hosts(&f->e, set_at, T_WALL);
	assert_int_equal(h1->state, ARAS_HOST_UP);
	commit_poll(f, 1, set_at);
	assert_int_equal(aras_engine_stall_ms(&f->e), 32000);
	aras_engine_watch_hosts(&f->e, set_at + 1000, T_WALL);
	assert_int_equal(h1->state, ARAS_HOST_UP);
	assert_int_equal(aras_model_host(&f->e.model, 2)->state, ARAS_HOST_UP);
	/* still silent 32 s after the SET: now that is a hang */
	aras_engine_watch_hosts(&f->e, set_at + 32000, T_WALL);
	assert_int_equal(h1->state, ARAS_HOST_DOWN);
	assert_non_null(strstr(h1->last_error, "pollInterval 1 s"));
	/* raising it again leaves the watch alone (it only grows) */
	poll_host(f, 1, 1);
	commit_poll(f, 60, set_at + 40000);
	assert_int_equal(h1->seen_ms, T0);
	fx_free(f);
}

/* ---- operator orders: every validation ---- */

static void test_check_migrate(void **unused)
{
	struct fx *f = fx_new(ARAS_POLICY_AUTO, NULL);

	(void)unused;
	assert_int_equal(check(f, migrate(9, 2), "no such VM"), -ARAS_E_NOENT);
	assert_int_equal(check(f, migrate(1, 7), "no host with index 7"), -ARAS_E_RANGE);
	assert_int_equal(check(f, migrate(1, 1), "already on host h1"), -ARAS_E_INCONSIST);
	assert_int_equal(check(f, migrate(1, 3), "is down"), -ARAS_E_INCONSIST);
	assert_int_equal(check(f, migrate(3, 1), "not running"), -ARAS_E_INCONSIST);
	assert_int_equal(check(f, migrate(1, 2), NULL), 0);
	commit_maint(f, 2, 1, NULL);
	assert_int_equal(check(f, migrate(1, 2), "in maintenance"), -ARAS_E_INCONSIST);
	commit_maint(f, 2, 0, NULL);
	/* an order that runs leaves the VM with an action in progress */
	{
		struct aras_order o = migrate(1, 2);

		aras_engine_order(&f->e, &o, T0, T_WALL);
	}
	assert_int_equal(f->r.jobs, 1);
	assert_int_equal(check(f, migrate(1, 2), "action in progress"), -ARAS_E_INCONSIST);
	fx_free(f);
}

static void test_check_decide(void **unused)
{
	struct fx *f = fx_new(ARAS_POLICY_SEMI, NULL);
	struct aras_order bad = { .kind = 99 };
	uint32_t idx;

	(void)unused;
	fire(f);
	aras_engine_round(&f->e, T0, T_WALL);
	assert_int_equal(f->r.proposed, 1);
	assert_int_equal(f->r.jobs, 0);
	idx = aras_plan_at(f->e.plan, 0)->index;
	assert_int_equal(check(f, decide(idx + 100, ARAS_AS_APPROVED, 1), "no such action"), -ARAS_E_NOENT);
	assert_int_equal(check(f, decide(idx, ARAS_AS_RUNNING, 1), "approved(2) or rejected(3)"),
			 -ARAS_E_RANGE);
	assert_int_equal(check(f, decide(idx, ARAS_AS_APPROVED, 1), NULL), 0);
	assert_int_equal(check(f, decide(idx, ARAS_AS_REJECTED, 1), NULL), 0);
	assert_int_equal(check(f, bad, "unknown order"), -ARAS_E_INVAL);
	{
		struct aras_order o = decide(idx, ARAS_AS_APPROVED, 1);

		aras_engine_order(&f->e, &o, T0 + 1, T_WALL);
	}
	assert_int_equal(f->r.jobs, 1);
	assert_int_equal(aras_plan_get(f->e.plan, idx)->state, ARAS_AS_RUNNING);
	assert_int_equal(check(f, decide(idx, ARAS_AS_REJECTED, 1), "not a proposal"), -ARAS_E_INCONSIST);
	fx_free(f);
}

/* ---- several orders in one SET ---- */

static void test_orders_staging(void **unused)
{
	struct aras_orders os = { 0 };
	struct aras_order o;
	char why[128];

	(void)unused;
	assert_int_equal(aras_orders_check(&os, why, sizeof(why)), 0);
	for (uint32_t k = 1; k <= 20; k++) { /* past the first allocation */
		o = migrate(k, 2);
		assert_int_equal(aras_orders_add(&os, &o), 0);
	}
	assert_int_equal(os.n, 20);
	assert_int_equal(aras_orders_check(&os, why, sizeof(why)), 0);
	o = migrate(7, 1);
	assert_int_equal(aras_orders_add(&os, &o), 0);
	assert_int_equal(aras_orders_check(&os, why, sizeof(why)), -ARAS_E_INCONSIST);
	assert_non_null(strstr(why, "two orders for VM"));
	aras_orders_clear(&os);
	assert_int_equal(os.n, 0);
	/* two decisions on one action, even with different UUIDs recorded */
	o = decide(5, ARAS_AS_APPROVED, 1);
	assert_int_equal(aras_orders_add(&os, &o), 0);
	o = decide(5, ARAS_AS_REJECTED, 2);
	assert_int_equal(aras_orders_add(&os, &o), 0);
	assert_int_equal(aras_orders_check(&os, why, sizeof(why)), -ARAS_E_INCONSIST);
	aras_orders_clear(&os);
	/* decisions on different actions and a migration of another VM: fine */
	o = decide(5, ARAS_AS_APPROVED, 1);
	assert_int_equal(aras_orders_add(&os, &o), 0);
	o = decide(6, ARAS_AS_APPROVED, 2);
	assert_int_equal(aras_orders_add(&os, &o), 0);
	o = migrate(3, 1);
	assert_int_equal(aras_orders_add(&os, &o), 0);
	assert_int_equal(aras_orders_check(&os, why, sizeof(why)), 0);
	aras_orders_clear(&os);
}

static void test_commit_runs_orders(void **unused)
{
	struct fx *f = fx_new(ARAS_POLICY_SEMI, NULL);
	struct aras_orders os = { 0 };
	struct aras_order o;
	uint32_t prop;
	uint32_t gen = f->e.state_gen;

	(void)unused;
	fire(f);
	aras_engine_round(&f->e, T0, T_WALL);
	prop = aras_plan_at(f->e.plan, 0)->index;
	/* reject the proposal, move VM 2 to host 1: both run at commit, in order */
	o = decide(prop, ARAS_AS_REJECTED, 1);
	assert_int_equal(aras_orders_add(&os, &o), 0);
	o = migrate(2, 1);
	assert_int_equal(aras_orders_add(&os, &o), 0);
	assert_int_equal(f->r.jobs, 0);
	commit_maint(f, 3, 0, &os); /* no maintenance change: the orders alone */
	assert_int_equal(f->e.state_gen, gen + 1);
	assert_int_equal(aras_plan_get(f->e.plan, prop)->state, ARAS_AS_REJECTED);
	assert_int_equal(f->r.jobs, 1);
	assert_int_equal(aras_plan_get(f->e.plan, f->r.job[0])->kind, ARAS_KIND_MIGRATE);
	assert_int_equal(aras_plan_get(f->e.plan, f->r.job[0])->origin, ARAS_ORIGIN_OPERATOR);
	/* a commit without orders runs none */
	commit_maint(f, 3, 0, NULL);
	assert_int_equal(f->r.jobs, 1);
	aras_orders_clear(&os);
	fx_free(f);
}

/* ---- maintenance ---- */

static void test_maintenance_transitions(void **unused)
{
	struct fx *f = fx_new(ARAS_POLICY_AUTO, NULL);
	unsigned notes = f->r.host_notes;
	size_t rows = aras_evlog_count(f->e.evlog);

	(void)unused;
	commit_maint(f, 2, 1, NULL);
	assert_int_equal(aras_model_host(&f->e.model, 2)->maintenance, 1);
	assert_int_equal(aras_host_mib_state(aras_model_host(&f->e.model, 2)), ARAS_HOST_MAINTENANCE);
	assert_int_equal(f->r.host_notes, notes + 1);
	assert_int_equal(aras_evlog_count(f->e.evlog), rows + 1);
	/* same state again: no transition, no notice */
	commit_maint(f, 2, 1, NULL);
	assert_int_equal(f->r.host_notes, notes + 1);
	/* a down host entering maintenance: the flag follows; arasHostState stays down, no notice */
	commit_maint(f, 3, 1, NULL);
	assert_int_equal(aras_model_host(&f->e.model, 3)->maintenance, 1);
	assert_int_equal(aras_host_mib_state(aras_model_host(&f->e.model, 3)), ARAS_HOST_DOWN);
	assert_int_equal(f->r.host_notes, notes + 1);
	commit_maint(f, 2, 0, NULL);
	assert_int_equal(aras_model_host(&f->e.model, 2)->maintenance, 0);
	assert_int_equal(aras_host_mib_state(aras_model_host(&f->e.model, 2)), ARAS_HOST_UP);
	assert_int_equal(f->r.host_notes, notes + 2);
	fx_free(f);
}

static void test_maintenance_at_start(void **unused)
{
	struct aras_engine e;
	struct aras_engine_opts o = { 0 };

	(void)unused;
	aras_engine_init(&e);
	assert_int_equal(aras_model_add_host(&e.model, 1, "h1", "x"), 0);
	assert_int_equal(aras_model_add_host(&e.model, 2, "h2", "x"), 0);
	assert_int_equal(aras_state_set_maintenance(&e.state, 2, 1), 0);
	assert_int_equal(aras_engine_start(&e, &o, NULL), 0);
	assert_int_equal(aras_model_host(&e.model, 1)->maintenance, 0);
	assert_int_equal(aras_model_host(&e.model, 2)->maintenance, 1);
	assert_null(e.evlog);
	aras_engine_fini(&e);
}

/* ---- the policy gate ---- */

static void test_gate_automatic(void **unused)
{
	struct fx *f = fx_new(ARAS_POLICY_AUTO, NULL);
	struct aras_action *a;

	(void)unused;
	fire(f);
	aras_engine_round(&f->e, T0, T_WALL);
	assert_int_equal(f->r.proposed, 0);
	assert_int_equal(f->r.jobs, 1);
	a = aras_plan_get(f->e.plan, f->r.job[0]);
	assert_int_equal(a->kind, ARAS_KIND_ADD_VCPU);
	assert_int_equal(a->state, ARAS_AS_RUNNING);
	aras_engine_result(&f->e, a->index, 1, "", T0 + 500, T_WALL);
	assert_int_equal(a->state, ARAS_AS_SUCCEEDED);
	assert_int_equal(f->r.done, 1);
	assert_int_equal(f->r.kicks, 1);
	/* cooldown: the next round does nothing for it */
	aras_engine_round(&f->e, T0 + 1000, T_WALL);
	assert_int_equal(f->r.jobs, 1);
	fx_free(f);
}

static void test_gate_semi_reject_expire(void **unused)
{
	struct fx *f = fx_new(ARAS_POLICY_SEMI, NULL);
	struct aras_action *a;
	struct aras_order o;

	(void)unused;
	fire(f);
	aras_engine_round(&f->e, T0, T_WALL);
	a = aras_plan_at(f->e.plan, 0);
	assert_int_equal(a->state, ARAS_AS_PROPOSED);
	/* one open action per VM: another round proposes nothing more */
	aras_engine_round(&f->e, T0 + 1000, T_WALL);
	assert_int_equal(aras_plan_count(f->e.plan), 1);
	/* not approved in proposalTimeout: expired, never run */
	aras_engine_expire(&f->e, T0 + 300 * 1000, T_WALL);
	assert_int_equal(a->state, ARAS_AS_EXPIRED);
	assert_non_null(strstr(a->error, "not approved within 300 s"));
	assert_int_equal(f->r.jobs, 0);
	/* a new proposal (the expiry started no cooldown), then rejected: no job */
	aras_engine_round(&f->e, T0 + 301 * 1000, T_WALL);
	a = aras_plan_at(f->e.plan, aras_plan_count(f->e.plan) - 1);
	assert_int_equal(a->state, ARAS_AS_PROPOSED);
	o = decide(a->index, ARAS_AS_REJECTED, 1);
	aras_engine_order(&f->e, &o, T0 + 302 * 1000, T_WALL);
	assert_int_equal(a->state, ARAS_AS_REJECTED);
	assert_int_equal(f->r.jobs, 0);
	/* rejection starts the cooldown: not proposed again at once */
	aras_engine_round(&f->e, T0 + 303 * 1000, T_WALL);
	assert_int_equal(aras_plan_count(f->e.plan), 2);
	fx_free(f);
}

static void test_gate_semi_approve_recheck(void **unused)
{
	struct fx *f = fx_new(ARAS_POLICY_SEMI, NULL);
	struct aras_action *a;
	struct aras_order o;
	uint8_t u[ARAS_UUID_LEN];

	(void)unused;
	fire(f);
	aras_engine_round(&f->e, T0, T_WALL);
	a = aras_plan_at(f->e.plan, 0);
	/* the VM reached its maximum meanwhile: approval re-checks and fails */
	mkuuid(u, 1);
	aras_model_find_vm(&f->e.model, u)->vcpus = 4;
	o = decide(a->index, ARAS_AS_APPROVED, 1);
	aras_engine_order(&f->e, &o, T0 + 1, T_WALL);
	assert_int_equal(a->state, ARAS_AS_FAILED);
	assert_non_null(strstr(a->error, "approved but re-check failed"));
	assert_int_equal(f->r.jobs, 0);
	assert_int_equal(f->e.actions_failed, 1);
	fx_free(f);
}

static void test_gate_manual(void **unused)
{
	struct fx *f = fx_new(ARAS_POLICY_MANUAL, NULL);
	struct aras_order o = migrate(1, 2);

	(void)unused;
	fire(f);
	aras_engine_round(&f->e, T0, T_WALL);
	assert_int_equal(aras_plan_count(f->e.plan), 0);
	/* an operator's order is not the policy's to hold */
	aras_engine_order(&f->e, &o, T0, T_WALL);
	assert_int_equal(f->r.jobs, 1);
	fx_free(f);
}

static void test_gate_auto_approve(void **unused)
{
	struct aras_engine_opts o = { .auto_approve = 1 };
	struct fx *f = fx_new(ARAS_POLICY_SEMI, &o);

	(void)unused;
	fire(f);
	aras_engine_round(&f->e, T0, T_WALL);
	assert_int_equal(f->r.proposed, 1);
	assert_int_equal(f->r.jobs, 1);
	assert_int_equal(aras_plan_at(f->e.plan, 0)->state, ARAS_AS_RUNNING);
	fx_free(f);
}

/* ---- results and backoff ---- */

static void test_job_not_queued(void **unused)
{
	struct fx *f = fx_new(ARAS_POLICY_AUTO, NULL);
	struct aras_action *a;

	(void)unused;
	f->r.job_rc = -ARAS_E_BUSY;
	fire(f);
	aras_engine_round(&f->e, T0, T_WALL);
	a = aras_plan_at(f->e.plan, 0);
	assert_int_equal(a->state, ARAS_AS_FAILED);
	assert_non_null(strstr(a->error, "cannot queue the job"));
	assert_int_equal(f->r.failed, 1);
	assert_int_equal(f->r.kicks, 0);
	assert_int_equal(f->e.actions_failed, 1);
	fx_free(f);
}

static void test_backoff_holds(void **unused)
{
	struct fx *f = fx_new(ARAS_POLICY_AUTO, NULL);
	struct aras_action *a;
	uint64_t after_cooldown = T0 + 11 * 1000; /* inside the VM's 30 s backoff */

	(void)unused;
	f->e.state.settings.v[ARAS_S_COOLDOWN] = 10;
	fire(f);
	aras_engine_round(&f->e, T0, T_WALL);
	a = aras_plan_at(f->e.plan, 0);
	aras_engine_result(&f->e, a->index, 0, "libvirt said no", T0 + 10, T_WALL);
	assert_int_equal(a->state, ARAS_AS_FAILED);
	assert_string_equal(a->error, "libvirt said no");
	/* the streak of 1 is written to the event log */
	assert_non_null(strstr(aras_evlog_at(f->e.evlog, aras_evlog_count(f->e.evlog) - 1)->a.text,
			       "backoff: 1 failed"));
	/* past the cooldown the controller wants it again; the backoff still holds it */
	aras_engine_round(&f->e, after_cooldown, T_WALL);
	assert_int_equal(f->r.jobs, 1);
	assert_true(f->e.backoff.deferred >= 1);
	/* once the backoff has run out, it goes */
	aras_engine_round(&f->e, T0 + 10 + ARAS_BACKOFF_VM_BASE_MS, T_WALL);
	assert_int_equal(f->r.jobs, 2);
	fx_free(f);
}

static void test_backoff_off(void **unused)
{
	struct aras_engine_opts o = { 0 };
	struct fx *f = fx_new(ARAS_POLICY_AUTO, &o);
	struct aras_action *a;

	(void)unused;
	f->e.state.settings.v[ARAS_S_COOLDOWN] = 10;
	fire(f);
	aras_engine_round(&f->e, T0, T_WALL);
	a = aras_plan_at(f->e.plan, 0);
	aras_engine_result(&f->e, a->index, 0, "no", T0 + 10, T_WALL);
	aras_engine_round(&f->e, T0 + 11 * 1000, T_WALL);
	assert_int_equal(f->r.jobs, 2);
	fx_free(f);
}

/* ---- alerts ---- */

static void test_alert_effects(void **unused)
{
	struct fx *f = fx_new(ARAS_POLICY_AUTO, NULL);
	struct aras_alert al;
	size_t rows = aras_evlog_count(f->e.evlog);

	(void)unused;
	aras_alert_init(&al, ARAS_EV_BREACH, 0, NULL, "hot", 1, "h1", ARAS_RES_CPU);
	aras_engine_alert(&f->e, &al);
	assert_int_equal(f->r.event_notes, 1);
	assert_int_equal(f->r.mails + f->r.scripts, 0);
	assert_int_equal(f->e.breaches, 1);
	f->e.state.settings.v[ARAS_S_ACTIONS] = ARAS_ACT_EMAIL | ARAS_ACT_SCRIPT;
	aras_alert_init(&al, ARAS_EV_CLEAR, 0, NULL, "hot", 1, "h1", ARAS_RES_CPU);
	aras_engine_alert(&f->e, &al);
	assert_int_equal(f->r.event_notes, 1);
	assert_int_equal(f->r.mails, 1);
	assert_int_equal(f->r.scripts, 1);
	/* other types: the event log only */
	aras_alert_init(&al, ARAS_EV_INFO, 0, NULL, "hot", 1, "h1", ARAS_RES_NONE);
	aras_engine_alert(&f->e, &al);
	assert_int_equal(f->r.mails, 1);
	assert_int_equal(aras_evlog_count(f->e.evlog), rows + 3);
	assert_int_equal(f->e.breaches, 1);
	fx_free(f);
}

/* ---- VM life cycle ---- */

static struct aras_order command(uint32_t key, int cmd)
{
	struct aras_order o = { .kind = ARAS_ORDER_COMMAND, .cmd = cmd };

	mkuuid(o.uuid, key);
	return o;
}

static struct aras_vm *vm_of(struct fx *f, uint32_t key)
{
	uint8_t u[ARAS_UUID_LEN];
	struct aras_vm *vm;

	mkuuid(u, key);
	vm = aras_model_find_vm(&f->e.model, u);
	assert_non_null(vm);
	return vm;
}

/* A libvirt life-cycle event for VM key on host. */
static int state_event(struct fx *f, uint32_t key, unsigned host, int st, int reason, uint64_t t_ms)
{
	struct aras_vm_event ev = { .host_index = host,
				    .kind = ARAS_VEV_STATE,
				    .state = st,
				    .reason = reason,
				    .managed_save = -1,
				    .t_ms = t_ms };

	mkuuid(ev.uuid, key);
	return aras_engine_vm_event(&f->e, &ev, 0);
}

static void test_check_command(void **unused)
{
	struct fx *f = fx_new(ARAS_POLICY_MANUAL, NULL);

	(void)unused;
	/* the first sighting of every VM is its state, not a change */
	assert_int_equal(vm_of(f, 1)->oper, ARAS_OPER_RUNNING);
	assert_int_equal(vm_of(f, 3)->oper, ARAS_OPER_SHUTDOWN);
	assert_int_equal(f->r.vm_states, 0);
	assert_int_equal(check(f, command(9, ARAS_CMD_START), "no such VM"), -ARAS_E_NOENT);
	assert_int_equal(check(f, command(1, 12), "no such command"), -ARAS_E_RANGE);
	assert_int_equal(check(f, command(1, ARAS_CMD_NONE), "no such command"), -ARAS_E_RANGE);
	assert_int_equal(check(f, command(1, ARAS_CMD_RESUME), "needs the VM paused; it is running"),
			 -ARAS_E_INCONSIST);
	assert_int_equal(check(f, command(1, ARAS_CMD_START), "shut off"), -ARAS_E_INCONSIST);
	assert_int_equal(check(f, command(3, ARAS_CMD_SUSPEND), "it is shutoff"), -ARAS_E_INCONSIST);
	assert_int_equal(check(f, command(3, ARAS_CMD_RESTORE), "managed save"), -ARAS_E_INCONSIST);
	assert_int_equal(check(f, command(3, ARAS_CMD_DESTROY), "active"), -ARAS_E_INCONSIST);
	assert_int_equal(check(f, command(3, ARAS_CMD_START), NULL), 0);
	assert_int_equal(check(f, command(1, ARAS_CMD_SUSPEND), NULL), 0);
	/* a saved VM: restore, not start */
	vm_of(f, 3)->managed_save = 1;
	assert_int_equal(check(f, command(3, ARAS_CMD_START), "restore(10)"), -ARAS_E_INCONSIST);
	assert_int_equal(check(f, command(3, ARAS_CMD_RESTORE), NULL), 0);
	/* one command at a time per VM */
	{
		struct aras_order o = command(1, ARAS_CMD_SUSPEND);

		aras_engine_order(&f->e, &o, T0, T_WALL);
	}
	assert_int_equal(f->r.jobs, 1);
	assert_int_equal(f->r.last_kind, ARAS_KIND_SUSPEND);
	assert_int_equal(check(f, command(1, ARAS_CMD_DESTROY), "action in progress"), -ARAS_E_INCONSIST);
	/* a VM whose host is down */
	vm_of(f, 2)->host = 3;
	assert_int_equal(check(f, command(2, ARAS_CMD_SUSPEND), "is down"), -ARAS_E_INCONSIST);
	fx_free(f);
}

/* ---- the operator's edits (issue 24) ---- */

static struct aras_order edit_order(uint32_t key, int edit, uint64_t value, int force)
{
	struct aras_order o = { .kind = ARAS_ORDER_EDIT, .edit = edit, .value = value, .force = force };

	mkuuid(o.uuid, key);
	return o;
}

/*
 * An edit is refused beyond the VM's own range (wrongValue), beyond its
 * host's room unless forced, and while the VM has an action in progress;
 * it runs as an operator action of the existing kinds.
 */
static void test_edit_orders(void **unused)
{
	struct fx *f = fx_new(ARAS_POLICY_MANUAL, NULL);
	struct aras_vm *hot = vm_of(f, 1);
	struct aras_orders os = { 0 };
	struct aras_order o;
	const struct aras_action *a;

	(void)unused;
	/* the VM's range: vCPUs 1 .. 4, memory 64 MiB .. 1000000 KiB */
	assert_int_equal(check(f, edit_order(1, ARAS_EDIT_VCPUS, 5, 0), "its maximum"), -ARAS_E_RANGE);
	assert_int_equal(check(f, edit_order(1, ARAS_EDIT_VCPUS, 0, 1), "1 .. 4"), -ARAS_E_RANGE);
	assert_int_equal(check(f, edit_order(1, ARAS_EDIT_MEM, 1000001, 1), "its maximum"), -ARAS_E_RANGE);
	assert_int_equal(check(f, edit_order(1, ARAS_EDIT_MEM, 1000, 0), "65536"), -ARAS_E_RANGE);
	assert_int_equal(check(f, edit_order(1, ARAS_EDIT_MEM_MAX, 1000, 0), "65536"), -ARAS_E_RANGE);
	assert_int_equal(check(f, edit_order(1, 9, 1, 0), "no such edit"), -ARAS_E_RANGE);
	assert_int_equal(check(f, edit_order(9, ARAS_EDIT_VCPUS, 1, 0), "no such VM"), -ARAS_E_NOENT);
	/* the host's room (4 CPUs, 10000000 KiB, 5000000 free) unless forced */
	hot->vcpus_max = 8;
	hot->mem_max_kib = 8000000;
	assert_int_equal(check(f, edit_order(1, ARAS_EDIT_VCPUS, 6, 0), "more than host h1's 4 CPUs"),
			 -ARAS_E_INCONSIST);
	assert_int_equal(check(f, edit_order(1, ARAS_EDIT_VCPUS, 6, 1), NULL), 0);
	assert_int_equal(check(f, edit_order(1, ARAS_EDIT_VCPUS, 4, 0), NULL), 0);
	assert_int_equal(check(f, edit_order(1, ARAS_EDIT_MEM, 7000000, 0), "5000000 KiB free"),
			 -ARAS_E_INCONSIST);
	assert_int_equal(check(f, edit_order(1, ARAS_EDIT_MEM, 7000000, 1), NULL), 0);
	assert_int_equal(check(f, edit_order(1, ARAS_EDIT_MEM, 5500000, 0), NULL), 0);
	assert_int_equal(check(f, edit_order(1, ARAS_EDIT_MEM_MAX, 20000000, 0), "10000000 KiB of memory"),
			 -ARAS_E_INCONSIST);
	assert_int_equal(check(f, edit_order(1, ARAS_EDIT_MEM_MAX, 20000000, 1), NULL), 0);
	/* a shut-off VM's definition may be edited; a VM whose host is down may not */
	assert_int_equal(check(f, edit_order(3, ARAS_EDIT_MEM, 500000, 0), NULL), 0);
	vm_of(f, 2)->host = 3;
	assert_int_equal(check(f, edit_order(2, ARAS_EDIT_VCPUS, 1, 0), "is down"), -ARAS_E_INCONSIST);

	/* one PDU: one edit of each kind per VM, nothing else beside them; the force for its VM only */
	o = edit_order(1, ARAS_EDIT_VCPUS, 6, 0);
	assert_int_equal(aras_orders_add(&os, &o), 0);
	o = edit_order(1, ARAS_EDIT_MEM, 7000000, 0);
	assert_int_equal(aras_orders_add(&os, &o), 0);
	assert_int_equal(aras_orders_check(&os, NULL, 0), 0);
	{
		char why[256] = "";

		assert_int_equal(aras_engine_check_all(&f->e, NULL, &os, why, sizeof(why)),
				 -ARAS_E_INCONSIST);
		assert_non_null(strstr(why, "CPUs"));
	}
	assert_int_equal(aras_orders_force(&os, o.uuid), 0);
	assert_int_equal(os.v[0].force, 1);
	assert_int_equal(os.v[1].force, 1);
	o = edit_order(1, ARAS_EDIT_MEM_MAX, 9000000, 0);
	assert_int_equal(aras_orders_add(&os, &o), 0);
	assert_int_equal(os.v[2].force, 1); /* staged after the force: forced too */
	o = edit_order(3, ARAS_EDIT_MEM, 500000, 0);
	assert_int_equal(aras_orders_add(&os, &o), 0);
	assert_int_equal(os.v[3].force, 0); /* another VM */
	assert_int_equal(aras_engine_check_all(&f->e, NULL, &os, NULL, 0), 0);
	o = edit_order(1, ARAS_EDIT_VCPUS, 3, 0);
	assert_int_equal(aras_orders_add(&os, &o), 0);
	assert_int_equal(aras_orders_check(&os, NULL, 0), -ARAS_E_INCONSIST); /* two vCPU edits */
	aras_orders_clear(&os);
	o = edit_order(1, ARAS_EDIT_VCPUS, 3, 0);
	assert_int_equal(aras_orders_add(&os, &o), 0);
	o = command(1, ARAS_CMD_SUSPEND);
	assert_int_equal(aras_orders_add(&os, &o), 0);
	assert_int_equal(aras_orders_check(&os, NULL, 0), -ARAS_E_INCONSIST); /* an edit and a command */
	aras_orders_clear(&os);
	assert_null(os.forced);
	/* the SET's memory grows on one host together (5000000 KiB free); memory within the SET's maximum */
	vm_of(f, 2)->host = 1;
	vm_of(f, 2)->mem_max_kib = 8000000;
	o = edit_order(1, ARAS_EDIT_MEM, 4000000, 0);
	assert_int_equal(aras_orders_add(&os, &o), 0);
	o = edit_order(2, ARAS_EDIT_MEM, 4000000, 0);
	assert_int_equal(aras_orders_add(&os, &o), 0);
	{
		char why[256] = "";

		assert_int_equal(aras_engine_check_all(&f->e, NULL, &os, why, sizeof(why)),
				 -ARAS_E_INCONSIST);
		assert_non_null(strstr(why, "add 6000000 KiB on host h1"));
		assert_int_equal(aras_orders_force(&os, o.uuid), 0);
		assert_int_equal(aras_engine_check_all(&f->e, NULL, &os, why, sizeof(why)), 0);
		aras_orders_clear(&os);
		o = edit_order(1, ARAS_EDIT_MEM, 3000000, 0);
		assert_int_equal(aras_orders_add(&os, &o), 0);
		o = edit_order(1, ARAS_EDIT_MEM_MAX, 2000000, 0);
		assert_int_equal(aras_orders_add(&os, &o), 0);
		assert_int_equal(aras_engine_check_all(&f->e, NULL, &os, why, sizeof(why)),
				 -ARAS_E_INCONSIST);
		assert_non_null(strstr(why, "above the maximum 2000000 KiB of the same SET"));
		aras_orders_clear(&os);
	}
	vm_of(f, 2)->host = 3;

	/* run: addVcpu 2 -> 3, origin operator; the next edit waits for it */
	o = edit_order(1, ARAS_EDIT_VCPUS, 3, 0);
	aras_engine_order(&f->e, &o, T0, T_WALL);
	assert_int_equal(f->r.jobs, 1);
	assert_int_equal(f->r.last_kind, ARAS_KIND_ADD_VCPU);
	a = aras_plan_get(aras_engine_plan(&f->e), f->r.job[0]);
	assert_non_null(a);
	assert_int_equal(a->origin, ARAS_ORIGIN_OPERATOR);
	CHECK_U64("amount", a->amount, 3);
	CHECK_U64("before", a->before, 2);
	assert_int_equal(a->maximum, 0);
	assert_non_null(strstr(a->reason, "arasVmVcpusTarget 3"));
	assert_int_equal(check(f, edit_order(1, ARAS_EDIT_MEM, 500000, 0), "action in progress"),
			 -ARAS_E_INCONSIST);
	aras_engine_result(&f->e, a->index, 1, NULL, T0, T_WALL);
	hot->vcpus = 3;
	/* down: removeVcpu; the memory: shrinkMemory */
	o = edit_order(1, ARAS_EDIT_VCPUS, 1, 0);
	aras_engine_order(&f->e, &o, T0, T_WALL);
	assert_int_equal(f->r.last_kind, ARAS_KIND_REMOVE_VCPU);
	aras_engine_result(&f->e, f->r.job[1], 1, NULL, T0, T_WALL);
	o = edit_order(1, ARAS_EDIT_MEM, 500000, 0);
	aras_engine_order(&f->e, &o, T0, T_WALL);
	assert_int_equal(f->r.last_kind, ARAS_KIND_SHRINK_MEM);
	aras_engine_result(&f->e, f->r.job[2], 1, NULL, T0, T_WALL);
	/* the maximum: the definition's, for the next boot, kept until a poll shows it */
	o = edit_order(1, ARAS_EDIT_MEM_MAX, 9000000, 1);
	aras_engine_order(&f->e, &o, T0, T_WALL);
	assert_int_equal(f->r.last_kind, ARAS_KIND_GROW_MEM);
	a = aras_plan_get(aras_engine_plan(&f->e), f->r.job[3]);
	assert_non_null(a);
	assert_int_equal(a->maximum, 1);
	assert_non_null(strstr(a->reason, "arasVmMemMaxTarget 9000000 (from the next boot), forced"));
	CHECK_U64("before", a->before, 8000000);
	aras_engine_result(&f->e, a->index, 1, NULL, T0, T_WALL);
	CHECK_U64("next boot's maximum", hot->mem_max_next_kib, 9000000);
	fx_free(f);
}

static struct aras_order disk_edit(uint32_t key, const char *target, uint64_t mib)
{
	struct aras_order o = edit_order(key, ARAS_EDIT_DISK, mib, 0);

	snprintf(o.disk, sizeof(o.disk), "%s", target);
	return o;
}

/*
 * A disk edit: a disk the VM writes to, of a known size, only grown; two
 * disks of one VM in one SET; the action is a growDisk to that size.
 */
static void test_disk_edit(void **unused)
{
	struct fx *f = fx_new(ARAS_POLICY_MANUAL, NULL);
	struct aras_vm *hot = vm_of(f, 1);
	struct aras_orders os = { 0 };
	struct aras_order o;
	const struct aras_action *a;

	(void)unused;
	hot->dev.disks = calloc(3, sizeof(*hot->dev.disks));
	assert_non_null(hot->dev.disks);
	hot->dev.ndisks = 3;
	snprintf(hot->dev.disks[0].target, sizeof(hot->dev.disks[0].target), "vda");
	hot->dev.disks[0].media = ARAS_DISK_MEDIA_DISK;
	hot->dev.disks[0].capacity = 1024ull * 1048576; /* 1024 MiB */
	snprintf(hot->dev.disks[1].target, sizeof(hot->dev.disks[1].target), "sda");
	hot->dev.disks[1].media = ARAS_DISK_MEDIA_CDROM;
	hot->dev.disks[1].readonly = 1;
	hot->dev.disks[1].capacity = 1048576;
	snprintf(hot->dev.disks[2].target, sizeof(hot->dev.disks[2].target), "vdb");
	hot->dev.disks[2].media = ARAS_DISK_MEDIA_DISK; /* size not reported yet */
	assert_int_equal(check(f, disk_edit(1, "vda", 1024), "only grown (1025 .."), -ARAS_E_RANGE);
	assert_int_equal(check(f, disk_edit(1, "vda", 512), "a disk is only grown"), -ARAS_E_RANGE);
	assert_int_equal(check(f, disk_edit(1, "vdz", 2048), "has no disk vdz"), -ARAS_E_NOENT);
	assert_int_equal(check(f, disk_edit(1, "sda", 2048), "read-only"), -ARAS_E_INCONSIST);
	assert_int_equal(check(f, disk_edit(1, "vdb", 2048), "not known yet"), -ARAS_E_INCONSIST);
	assert_int_equal(check(f, disk_edit(1, "vda", 1025), NULL), 0);
	/* two disks of one VM in one SET, not one disk twice */
	hot->dev.disks[2].capacity = 10ull * 1048576;
	o = disk_edit(1, "vda", 2048);
	assert_int_equal(aras_orders_add(&os, &o), 0);
	o = disk_edit(1, "vdb", 20);
	assert_int_equal(aras_orders_add(&os, &o), 0);
	o = edit_order(1, ARAS_EDIT_VCPUS, 3, 0);
	assert_int_equal(aras_orders_add(&os, &o), 0);
	assert_int_equal(aras_engine_check_all(&f->e, NULL, &os, NULL, 0), 0);
	o = disk_edit(1, "vdb", 30);
	assert_int_equal(aras_orders_add(&os, &o), 0);
	assert_int_equal(aras_orders_check(&os, NULL, 0), -ARAS_E_INCONSIST);
	aras_orders_clear(&os);
	/* run: growDisk of vda to 2048 MiB, from 1024 */
	o = disk_edit(1, "vda", 2048);
	aras_engine_order(&f->e, &o, T0, T_WALL);
	assert_int_equal(f->r.last_kind, ARAS_KIND_GROW_DISK);
	a = aras_plan_get(aras_engine_plan(&f->e), f->r.job[0]);
	assert_non_null(a);
	assert_int_equal(a->origin, ARAS_ORIGIN_OPERATOR);
	assert_string_equal(a->disk, "vda");
	assert_int_equal(a->disk_absolute, 1);
	CHECK_U64("amount", a->amount, 2048);
	CHECK_U64("before", a->before, 1024);
	assert_non_null(strstr(a->reason, "arasDiskCapacityTarget of disk vda: 2048 MiB"));
	assert_int_equal(check(f, disk_edit(1, "vdb", 20), "action in progress"), -ARAS_E_INCONSIST);
	fx_free(f);
}

/* ---- clones from a template (issue 24) ---- */

static struct aras_order clone_order(uint32_t key, const char *name, unsigned target, int start)
{
	struct aras_order o = { .kind = ARAS_ORDER_CLONE, .target = target, .start = start, .request = 7 };

	mkuuid(o.uuid, key);
	snprintf(o.name, sizeof(o.name), "%s", name);
	return o;
}

/*
 * A clone: a shut-off template, a new and well-formed name, a host that is
 * up and, to be started, has room; several clones of one template at once,
 * each name once; it runs as an operator action of kind clone carrying its
 * name, row and start flag.
 */
static void test_clone_orders(void **unused)
{
	struct fx *f = fx_new(ARAS_POLICY_MANUAL, NULL);
	struct aras_orders os = { 0 };
	struct aras_order o;
	const struct aras_action *a;

	(void)unused;
	assert_int_equal(aras_clone_name_ok("web-2.b_c", 9), 1);
	assert_int_equal(aras_clone_name_ok("-web", 4), 0);
	assert_int_equal(aras_clone_name_ok("a b", 3), 0);
	assert_int_equal(aras_clone_name_ok("", 0), 0);
	assert_int_equal(aras_clone_name_ok("a/b", 3), 0);
	assert_int_equal(aras_clone_name_ok("x", ARAS_CLONE_NAME_MAX + 1), 0);
	assert_int_equal(check(f, clone_order(3, "a b", 0, 0), "not a name arasd gives"), -ARAS_E_RANGE);
	assert_int_equal(check(f, clone_order(9, "new1", 0, 0), "no such template"), -ARAS_E_NOENT);
	assert_int_equal(check(f, clone_order(3, "new1", 7, 0), "no host with index 7"), -ARAS_E_RANGE);
	assert_int_equal(check(f, clone_order(1, "new1", 0, 0), "template VM hot is running"),
			 -ARAS_E_INCONSIST);
	assert_int_equal(check(f, clone_order(3, "calm", 0, 0), "VM calm on host h2 has that name"),
			 -ARAS_E_INCONSIST);
	assert_int_equal(check(f, clone_order(3, "new1", 3, 0), "host h3 is down"), -ARAS_E_INCONSIST);
	assert_int_equal(check(f, clone_order(3, "new1", 0, 0), NULL), 0);
	assert_int_equal(check(f, clone_order(3, "new1", 1, 1), NULL), 0);
	/* to be started: the template's memory and vCPUs on the target (5000000 KiB free, 4 CPUs) */
	vm_of(f, 3)->mem_cur_kib = 6000000;
	assert_int_equal(check(f, clone_order(3, "new1", 1, 1), "h1 has 5000000 KiB free"),
			 -ARAS_E_INCONSIST);
	assert_int_equal(check(f, clone_order(3, "new1", 1, 0), NULL), 0); /* only defined */
	vm_of(f, 3)->mem_cur_kib = 1000000;
	vm_of(f, 3)->vcpus = 6;
	assert_int_equal(check(f, clone_order(3, "new1", 1, 1), "h1 has 4 CPUs"), -ARAS_E_INCONSIST);
	vm_of(f, 3)->vcpus = 1;
	vm_of(f, 3)->managed_save = 1;
	assert_int_equal(check(f, clone_order(3, "new1", 0, 0), "managed save"), -ARAS_E_INCONSIST);
	vm_of(f, 3)->managed_save = 0;

	/* one PDU: two clones of one template with two names; one name twice is refused */
	o = clone_order(3, "new1", 0, 0);
	assert_int_equal(aras_orders_add(&os, &o), 0);
	o = clone_order(3, "new2", 1, 1);
	assert_int_equal(aras_orders_add(&os, &o), 0);
	assert_int_equal(aras_engine_check_all(&f->e, NULL, &os, NULL, 0), 0);
	o = clone_order(3, "new1", 1, 0);
	assert_int_equal(aras_orders_add(&os, &o), 0);
	{
		char why[256] = "";

		assert_int_equal(aras_orders_check(&os, why, sizeof(why)), -ARAS_E_INCONSIST);
		assert_non_null(strstr(why, "two clones named new1"));
	}
	aras_orders_clear(&os);
	/* a clone and a command of the template in one PDU: one order per VM */
	o = clone_order(3, "new1", 0, 0);
	assert_int_equal(aras_orders_add(&os, &o), 0);
	o = command(3, ARAS_CMD_START);
	assert_int_equal(aras_orders_add(&os, &o), 0);
	assert_int_equal(aras_orders_check(&os, NULL, 0), -ARAS_E_INCONSIST);
	aras_orders_clear(&os);

	/* run: an operator action of kind clone on the template's host, to host 1 */
	o = clone_order(3, "new2", 1, 1);
	o.id = 21;
	aras_engine_order(&f->e, &o, T0, T_WALL);
	assert_int_equal(f->r.jobs, 1);
	assert_int_equal(f->r.last_kind, ARAS_KIND_CLONE);
	a = aras_plan_get(aras_engine_plan(&f->e), f->r.job[0]);
	assert_non_null(a);
	assert_int_equal(a->origin, ARAS_ORIGIN_OPERATOR);
	assert_int_equal(a->source, 2);
	assert_int_equal(a->target, 1);
	assert_string_equal(a->clone_name, "new2");
	assert_int_equal(a->clone_request, 7);
	assert_int_equal(a->clone_start, 1);
	assert_string_equal(a->vm_name, "off");
	assert_non_null(
		strstr(a->reason, "operator order 21: arasCloneTable row 7: a clone named new2, started"));
	/* while it runs: another clone of the template may run, not a command, not the same name */
	assert_int_equal(check(f, clone_order(3, "new3", 0, 0), NULL), 0);
	assert_int_equal(check(f, clone_order(3, "new2", 0, 0), "making a clone named new2"),
			 -ARAS_E_INCONSIST);
	assert_int_equal(check(f, command(3, ARAS_CMD_START), "action in progress"), -ARAS_E_INCONSIST);
	/* no cooldown, no backoff: a failed clone leaves the next one free */
	aras_engine_result(&f->e, a->index, 0, "copy disk vda: no space", T0, T_WALL);
	assert_int_equal(f->r.last_order, 21);
	assert_int_equal(f->r.last_outcome, ARAS_JOUT_FAILED);
	assert_int_equal(check(f, clone_order(3, "new2", 0, 0), NULL), 0);
	/* a template with a default target: its own host */
	o = clone_order(3, "new4", 0, 0);
	aras_engine_order(&f->e, &o, T0, T_WALL);
	a = aras_plan_get(aras_engine_plan(&f->e), f->r.job[1]);
	assert_non_null(a);
	assert_int_equal(a->target, 2);
	assert_int_equal(a->clone_start, 0);
	fx_free(f);
}

/*
 * Orders of the last run whose effect is already there: a clone whose
 * name a VM on its host has, an undefine of a VM no host lists; they are
 * recorded succeeded, not run again, as is a move whose VM is on its
 * target.  Two edits of one VM (one SET's) both run again.
 */
static void test_recover_done_before(void **unused)
{
	struct fx *f = fx_new(ARAS_POLICY_MANUAL, NULL);
	struct aras_order o;
	const struct aras_action *a;

	(void)unused;
	o = clone_order(3, "calm", 2, 0); /* "calm" is on h2: the last run made it */
	o.id = 31;
	assert_int_equal(aras_engine_recover(&f->e, &o), 0);
	o = command(9, ARAS_CMD_UNDEFINE); /* no host lists VM 9 */
	o.id = 32;
	assert_int_equal(aras_engine_recover(&f->e, &o), 0);
	o = clone_order(3, "fresh", 0, 0); /* not there: runs */
	o.id = 33;
	assert_int_equal(aras_engine_recover(&f->e, &o), 0);
	/* two edits of one VM (one SET's): both run, the first's action does not keep the second out */
	o = edit_order(1, ARAS_EDIT_VCPUS, 3, 0);
	o.id = 34;
	assert_int_equal(aras_engine_recover(&f->e, &o), 0);
	o = edit_order(1, ARAS_EDIT_MEM, 500000, 0);
	o.id = 35;
	assert_int_equal(aras_engine_recover(&f->e, &o), 0);
	/* a move of "calm" to h2, where it is: done (a takeover during the migration) */
	o = (struct aras_order){ .kind = ARAS_ORDER_MIGRATE, .target = 2, .id = 37 };
	mkuuid(o.uuid, 2);
	assert_int_equal(aras_engine_recover(&f->e, &o), 0);
	/* "no host lists VM 9" holds only with every host up (h3 is down in this fixture) */
	aras_model_host(&f->e.model, 3)->state = ARAS_HOST_UP;
	aras_engine_resolve(&f->e, T0, T_WALL);
	assert_int_equal(f->r.jobs, 3);
	assert_int_equal(f->r.last_kind, ARAS_KIND_SHRINK_MEM);
	/* outside a resolve, an edit still waits for the VM's running action */
	assert_int_equal(check(f, edit_order(1, ARAS_EDIT_MEM_MAX, 2000000, 1), "action in progress"),
			 -ARAS_E_INCONSIST);
	a = aras_plan_at(f->e.plan, 0);
	assert_int_equal(a->state, ARAS_AS_SUCCEEDED);
	assert_int_equal(a->kind, ARAS_KIND_CLONE);
	assert_string_equal(a->clone_name, "calm");
	assert_non_null(strstr(a->reason, "done before the restart: VM calm is on host h2"));
	a = aras_plan_at(f->e.plan, 1);
	assert_int_equal(a->state, ARAS_AS_SUCCEEDED);
	assert_int_equal(a->kind, ARAS_KIND_UNDEFINE);
	assert_non_null(strstr(a->reason, "no host lists the VM"));
	assert_int_equal(f->r.outcomes, 3); /* the clone, the undefine, the move */
	assert_int_equal(f->r.last_outcome, ARAS_JOUT_SUCCEEDED);
	a = aras_plan_at(f->e.plan, 2);
	assert_int_equal(a->state, ARAS_AS_RUNNING);
	assert_string_equal(a->clone_name, "fresh");
	assert_int_equal(aras_plan_at(f->e.plan, 3)->state, ARAS_AS_RUNNING);
	assert_int_equal(aras_plan_at(f->e.plan, 3)->order_id, 34);
	assert_int_equal(aras_plan_at(f->e.plan, 4)->state, ARAS_AS_RUNNING);
	assert_int_equal(aras_plan_at(f->e.plan, 4)->order_id, 35);
	a = aras_plan_at(f->e.plan, 5);
	assert_int_equal(a->kind, ARAS_KIND_MIGRATE);
	assert_int_equal(a->state, ARAS_AS_SUCCEEDED);
	assert_non_null(strstr(a->reason, "done before the restart: VM calm is on host h2"));
	fx_free(f);

	/* a host down: its VMs are not listed, so an undefine is not taken for done */
	f = fx_new(ARAS_POLICY_MANUAL, NULL);
	o = command(9, ARAS_CMD_UNDEFINE);
	o.id = 36;
	assert_int_equal(aras_engine_recover(&f->e, &o), 0);
	aras_engine_resolve(&f->e, T0, T_WALL);
	a = aras_plan_at(f->e.plan, 0);
	assert_int_equal(a->state, ARAS_AS_FAILED);
	assert_non_null(strstr(a->error, "not run at restart: no such VM"));
	fx_free(f);
}

/*
 * A takeover: a live migration in flight (libvirt lists the VM's incoming
 * copy on another host) is adopted, with the journalled order it carries
 * out; an order the last run started whose effect is not there is not run
 * again; one whose effect is there is done; a migration arasd does not run
 * keeps orders out but destroy.
 */
static void test_adopt_inflight(void **unused)
{
	struct fx *f = fx_new(ARAS_POLICY_MANUAL, NULL);
	struct aras_engine_counters c;
	struct aras_order o;
	const struct aras_action *a;

	(void)unused;
	vm_of(f, 1)->inbound = 2; /* "hot" on h1 is being migrated to h2 */
	o = migrate(1, 2);
	o.id = 41;
	o.started = 1;
	assert_int_equal(aras_engine_recover(&f->e, &o), 0);
	o = migrate(2, 1); /* "calm" is still on h2, nothing in flight: the migration ended there */
	o.id = 42;
	o.started = 1;
	assert_int_equal(aras_engine_recover(&f->e, &o), 0);
	o = command(3, ARAS_CMD_START); /* "off" is still shut off */
	o.id = 43;
	o.started = 1;
	assert_int_equal(aras_engine_recover(&f->e, &o), 0);
	o = command(3, ARAS_CMD_DESTROY); /* its effect (shut off) is there */
	o.id = 44;
	o.started = 1;
	assert_int_equal(aras_engine_recover(&f->e, &o), 0);
	f->e.adopt_scanned = 0; /* as at a start: the fixture's polls resolved nothing yet */
	aras_engine_resolve(&f->e, T0, T_WALL);

	assert_int_equal(f->r.jobs, 1); /* the adoption alone: nothing run again */
	a = aras_plan_at(f->e.plan, 0);
	assert_int_equal(a->kind, ARAS_KIND_MIGRATE);
	assert_int_equal(a->state, ARAS_AS_RUNNING);
	assert_int_equal(a->adopted, 1);
	assert_int_equal(a->order_id, 41);
	assert_int_equal(a->origin, ARAS_ORIGIN_OPERATOR);
	assert_int_equal(a->source, 1);
	assert_int_equal(a->target, 2);
	assert_non_null(strstr(a->reason, "adopted at start: operator order 41"));
	a = aras_plan_at(f->e.plan, 1);
	assert_int_equal(a->state, ARAS_AS_FAILED);
	assert_non_null(strstr(a->error, "not run again"));
	assert_non_null(strstr(a->error, "VM calm is still on host h2"));
	a = aras_plan_at(f->e.plan, 2);
	assert_int_equal(a->state, ARAS_AS_FAILED);
	assert_non_null(strstr(a->error, "not run again"));
	a = aras_plan_at(f->e.plan, 3);
	assert_int_equal(a->state, ARAS_AS_SUCCEEDED);
	assert_non_null(strstr(a->reason, "done before the restart"));
	assert_int_equal(f->r.outcomes, 3); /* 42, 43, 44; 41 waits for its migration */
	aras_engine_counters(&f->e, &c);
	assert_int_equal(c.adopted, 1);
	assert_int_equal(c.first_polls_resolved, 1);

	/* a migration this arasd does not run keeps orders out, but destroy */
	vm_of(f, 2)->inbound = 1;
	assert_int_equal(check(f, migrate(2, 1), "by a job this arasd did not start"), -ARAS_E_INCONSIST);
	assert_int_equal(check(f, command(2, ARAS_CMD_SUSPEND), "by a job this arasd did not start"),
			 -ARAS_E_INCONSIST);
	assert_int_equal(check(f, command(2, ARAS_CMD_DESTROY), NULL), 0);
	/* the adopted one keeps "hot" busy as arasd's own migration does */
	assert_int_equal(check(f, command(1, ARAS_CMD_SUSPEND), "action in progress"), -ARAS_E_INCONSIST);

	/* its end resolves order 41, once, and moves the VM */
	aras_engine_result(&f->e, aras_plan_at(f->e.plan, 0)->index, 1, "", T0 + 5000, T_WALL);
	assert_int_equal(f->r.outcomes, 4);
	assert_int_equal(f->r.last_order, 41);
	assert_int_equal(f->r.last_outcome, ARAS_JOUT_SUCCEEDED);
	assert_int_equal(vm_of(f, 1)->host, 2);
	assert_int_equal(vm_of(f, 1)->inbound, 0);
	/* a second resolve adopts nothing again */
	aras_engine_resolve(&f->e, T0 + 6000, T_WALL);
	assert_int_equal(f->r.jobs, 1);
	fx_free(f);

	/*
	 * No journalled order behind it (another tool's migration): followed
	 * only.  An incoming copy on a move's target is no finished move.
	 */
	f = fx_new(ARAS_POLICY_MANUAL, NULL);
	vm_of(f, 1)->inbound = 2;
	vm_of(f, 2)->state = ARAS_VM_PAUSED; /* "calm" known only by its copy on h2 */
	vm_of(f, 2)->reason = ARAS_PAUSED_MIGRATION;
	o = migrate(2, 2);
	o.id = 51;
	o.started = 1;
	assert_int_equal(aras_engine_recover(&f->e, &o), 0);
	f->e.adopt_scanned = 0;
	aras_engine_resolve(&f->e, T0, T_WALL);
	a = aras_plan_at(f->e.plan, 0);
	assert_int_equal(a->adopted, ARAS_ADOPTED_FOLLOW);
	assert_int_equal(a->origin, ARAS_ORIGIN_CONTROLLER);
	assert_int_equal(a->order_id, 0);
	a = aras_plan_at(f->e.plan, 1);
	assert_int_equal(a->state, ARAS_AS_FAILED);
	assert_non_null(strstr(a->error, "not run again"));
	/* arasd's own migration that failed leaves no copy to wait for */
	aras_engine_result(&f->e, aras_plan_at(f->e.plan, 0)->index, 0, "aborted", T0 + 1000, T_WALL);
	assert_int_equal(vm_of(f, 1)->inbound, 0);
	assert_int_equal(check(f, command(1, ARAS_CMD_SUSPEND), NULL), 0);
	fx_free(f);
}

/* An order runs as an operator action; its busy and its outcome states are announced. */
static void test_command_life_cycle(void **unused)
{
	struct fx *f = fx_new(ARAS_POLICY_MANUAL, NULL);
	struct aras_order o = command(1, ARAS_CMD_MANAGED_SAVE);
	struct aras_action *a;

	(void)unused;
	aras_engine_order(&f->e, &o, T0, T_WALL);
	a = aras_plan_at(f->e.plan, 0);
	assert_int_equal(a->kind, ARAS_KIND_MANAGED_SAVE);
	assert_int_equal(a->origin, ARAS_ORIGIN_OPERATOR);
	assert_int_equal(a->state, ARAS_AS_RUNNING);
	/* while the job runs the VM is suspending */
	assert_int_equal(vm_of(f, 1)->oper, ARAS_OPER_SUSPENDING);
	assert_int_equal(f->r.vm_states, 1);
	assert_int_equal(f->r.last_prev, ARAS_OPER_RUNNING);
	/* the result comes before libvirt's event: the outcome is known at once */
	aras_engine_result(&f->e, a->index, 1, NULL, T0 + 500, T_WALL);
	assert_int_equal(f->r.done, 1);
	assert_int_equal(vm_of(f, 1)->oper, ARAS_OPER_SUSPENDED);
	assert_int_equal(vm_of(f, 1)->managed_save, 1);
	assert_int_equal(f->r.vm_states, 2);
	assert_int_equal(f->r.last_prev, ARAS_OPER_SUSPENDING);
	/* the event that follows changes nothing */
	assert_int_equal(state_event(f, 1, 1, ARAS_VM_SHUTOFF, 5, T0 + 600), 0);
	assert_int_equal(f->r.vm_states, 2);
	assert_int_equal(vm_of(f, 1)->state_changes, 2);
	/* a life-cycle command leaves no cooldown or backoff behind: allocation may act at once */
	assert_int_equal(f->e.backoff.n, 0);
	/* a failed command: the VM is back to its state, the action failed */
	o = command(1, ARAS_CMD_RESTORE);
	assert_int_equal(check(f, o, NULL), 0);
	aras_engine_order(&f->e, &o, T0 + 1000, T_WALL);
	assert_int_equal(vm_of(f, 1)->oper, ARAS_OPER_RESUMING);
	a = aras_plan_at(f->e.plan, 1);
	aras_engine_result(&f->e, a->index, 0, "virDomainCreate: boom", T0 + 1500, T_WALL);
	assert_int_equal(f->r.failed, 1);
	assert_string_equal(a->error, "virDomainCreate: boom");
	assert_int_equal(vm_of(f, 1)->oper, ARAS_OPER_SUSPENDED);
	assert_int_equal(f->e.vm_state_changes, 4);
	fx_free(f);
}

/* shutdownForce that had to power the VM off: libvirt's reason (destroyed), and the row says so. */
static void test_forced_shutdown(void **unused)
{
	struct fx *f = fx_new(ARAS_POLICY_MANUAL, NULL);
	struct aras_order o = command(1, ARAS_CMD_SHUTDOWN_FORCE);
	struct aras_action *a;

	(void)unused;
	f->e.state.settings.v[ARAS_S_SHUTDOWN_TIMEOUT] = 5;
	aras_engine_order(&f->e, &o, T0, T_WALL);
	a = aras_plan_at(f->e.plan, 0);
	assert_int_equal(vm_of(f, 1)->oper, ARAS_OPER_SHUTTINGDOWN);
	aras_engine_result_detail(&f->e, a->index, 1, NULL, ARAS_RESULT_FORCED, T0 + 5100, T_WALL);
	assert_int_equal(vm_of(f, 1)->oper, ARAS_OPER_SHUTDOWN);
	assert_int_equal(vm_of(f, 1)->reason, 2 /* destroyed */);
	assert_non_null(strstr(a->reason, "powered off after 5 s"));
	fx_free(f);
}

/* A VM that its host's poll no longer lists (undefined) is not a state change. */
static void test_vanished_is_no_change(void **unused)
{
	struct fx *f = fx_new(ARAS_POLICY_MANUAL, NULL);
	struct aras_host_sample s;
	unsigned before = f->r.vm_states;

	(void)unused;
	memset(&s, 0, sizeof(s));
	s.host_index = 1;
	s.ok = 1;
	s.t_ms = s.start_ms = T0 + 1000;
	assert_int_equal(aras_engine_sample(&f->e, &s, 0), 0); /* "hot" missing once: kept */
	assert_int_equal(f->r.vm_states, before);
	fx_free(f);
}

/* Events update at once; an older poll does not undo them; a restart is a fresh interval. */
static void test_events_and_polls(void **unused)
{
	struct fx *f = fx_new(ARAS_POLICY_MANUAL, NULL);
	struct aras_vm *vm;

	(void)unused;
	/* unknown VM, or one that is on another host: re-read */
	assert_int_equal(state_event(f, 9, 1, ARAS_VM_RUNNING, 1, T0), 1);
	assert_int_equal(state_event(f, 1, 2, ARAS_VM_PAUSED, 1, T0), 1);
	assert_int_equal(f->r.vm_states, 0);
	/* virsh suspend behind arasd's back */
	assert_int_equal(state_event(f, 1, 1, ARAS_VM_PAUSED, 1, T0 + 100), 0);
	vm = vm_of(f, 1);
	assert_int_equal(vm->oper, ARAS_OPER_PAUSED);
	assert_int_equal(f->r.vm_states, 1);
	assert_int_equal(f->r.last_prev, ARAS_OPER_RUNNING);
	assert_int_equal(f->r.last_oper, ARAS_OPER_PAUSED);
	/* a poll taken before that event still says running: it does not win */
	{
		struct aras_host_sample s;
		struct aras_vm_sample v;

		memset(&s, 0, sizeof(s));
		memset(&v, 0, sizeof(v));
		mkuuid(v.uuid, 1);
		snprintf(v.name, sizeof(v.name), "hot");
		v.state = ARAS_VM_RUNNING;
		v.vcpus = 2;
		v.vcpus_max = 4;
		v.mem_cur_kib = v.mem_max_kib = 1000000;
		s.host_index = 1;
		s.ok = 1;
		s.start_ms = T0 + 50;
		s.t_ms = T0 + 200;
		s.vms = &v;
		s.nvms = 1;
		assert_int_equal(aras_engine_sample(&f->e, &s, 0), 0);
		assert_int_equal(vm->oper, ARAS_OPER_PAUSED);
		assert_int_equal(f->r.vm_states, 1);
		/* a later poll that missed an event (resumed) corrects it and says so */
		s.start_ms = T0 + 300;
		s.t_ms = T0 + 400;
		assert_int_equal(aras_engine_sample(&f->e, &s, 0), 0);
		assert_int_equal(vm->oper, ARAS_OPER_RUNNING);
		assert_int_equal(f->r.vm_states, 2);
	}
	/* stopped, then started: figures start a fresh interval */
	assert_int_equal(state_event(f, 1, 1, ARAS_VM_SHUTOFF, 1, T0 + 500), 0);
	assert_int_equal(vm->oper, ARAS_OPER_SHUTDOWN);
	assert_int_equal(vm->cpu_usage, 0);
	/* libvirt's "resumed unpaused" that comes just before "started booted" is skipped */
	assert_int_equal(state_event(f, 1, 1, ARAS_VM_RUNNING, 5, T0 + 550), 0);
	assert_int_equal(vm->oper, ARAS_OPER_SHUTDOWN);
	assert_int_equal(f->r.vm_states, 3);
	assert_int_equal(state_event(f, 1, 1, ARAS_VM_RUNNING, 1, T0 + 600), 0);
	assert_int_equal(vm->have_prev, 0);
	assert_int_equal(vm->new_process, 1);
	assert_int_equal(vm->oper, ARAS_OPER_RUNNING);
	/* a host that cannot be reached: unknown, and not a change; back in the same state: none */
	poll_host(f, 1, 1);
	assert_int_equal(f->r.vm_states, 4);
	vm->host = 3;
	poll_host(f, 3, 1);
	assert_int_equal(vm->oper, ARAS_OPER_UNKNOWN);
	assert_int_equal(f->r.vm_states, 4);
	vm->host = 1;
	poll_host(f, 1, 1);
	assert_int_equal(vm->oper, ARAS_OPER_RUNNING);
	assert_int_equal(f->r.vm_states, 4);
	/* a guest reboot is an event-log row, not a state change */
	{
		struct aras_vm_event ev = { .host_index = 1, .kind = ARAS_VEV_REBOOT, .t_ms = T0 + 700 };
		size_t rows = aras_evlog_count(f->e.evlog);

		mkuuid(ev.uuid, 1);
		assert_int_equal(aras_engine_vm_event(&f->e, &ev, 0), 0);
		assert_int_equal(aras_evlog_count(f->e.evlog), rows + 1);
		assert_int_equal(f->r.vm_states, 4);
	}
	fx_free(f);
}

/* A VM that stops clears its firing alerts at once (no false breach, no wait for the poll). */
static void test_stop_clears_alerts(void **unused)
{
	struct fx *f = fx_new(ARAS_POLICY_MANUAL, NULL);
	unsigned notes;

	(void)unused;
	fire(f);
	notes = f->r.event_notes;
	/* paused: the alert is kept until it runs again */
	assert_int_equal(state_event(f, 1, 1, ARAS_VM_PAUSED, 1, T0 + 100), 0);
	assert_int_equal(vm_of(f, 1)->sla[0].state, ARAS_ALERT_FIRING);
	/* shut off: it clears now, with its notification */
	assert_int_equal(state_event(f, 1, 1, ARAS_VM_SHUTOFF, 1, T0 + 200), 0);
	assert_int_equal(vm_of(f, 1)->sla[0].state, ARAS_ALERT_OK);
	assert_int_equal(f->r.event_notes, notes + 1);
	fx_free(f);
}

/* A crash is mailed and scripted like an SLA alert (when arasActions says so). */
static void test_crash_effects(void **unused)
{
	struct fx *f = fx_new(ARAS_POLICY_MANUAL, NULL);

	(void)unused;
	f->e.state.settings.v[ARAS_S_ACTIONS] = ARAS_ACT_TRAP | ARAS_ACT_EMAIL | ARAS_ACT_SCRIPT;
	assert_int_equal(state_event(f, 1, 1, ARAS_VM_PAUSED, 1, T0 + 100), 0);
	assert_int_equal(f->r.mails, 0);
	assert_int_equal(f->r.scripts, 0);
	assert_int_equal(state_event(f, 1, 1, ARAS_VM_SHUTOFF, 3 /* crashed */, T0 + 200), 0);
	assert_int_equal(vm_of(f, 1)->oper, ARAS_OPER_CRASHED);
	assert_int_equal(f->r.vm_states, 2);
	assert_int_equal(f->r.mails, 1);
	assert_int_equal(f->r.scripts, 1);
	/* without trap in arasActions no notification */
	f->e.state.settings.v[ARAS_S_ACTIONS] = ARAS_ACT_EMAIL;
	assert_int_equal(state_event(f, 1, 1, ARAS_VM_RUNNING, 1, T0 + 300), 0);
	assert_int_equal(f->r.vm_states, 2);
	assert_int_equal(f->e.vm_state_changes, 3);
	fx_free(f);
}

/* At most arasStateNotifyLimit per window; the rest is summed up once the window ends. */
static void test_state_notify_limit(void **unused)
{
	struct fx *f = fx_new(ARAS_POLICY_MANUAL, NULL);
	uint64_t t = T0 + 100;

	(void)unused;
	f->e.state.settings.v[ARAS_S_STATE_NOTIFY_LIMIT] = 2;
	for (int i = 0; i < 5; i++, t += 10)
		assert_int_equal(state_event(f, 1, 1, i % 2 ? ARAS_VM_RUNNING : ARAS_VM_PAUSED, 1, t), 0);
	assert_int_equal(f->e.vm_state_changes, 5);
	assert_int_equal(f->r.vm_states, 2);
	assert_int_equal(f->e.state_coalesced, 3);
	aras_engine_flush_notify(&f->e, T0 + 5000);
	assert_int_equal(f->r.coalesced_notes, 0);
	aras_engine_flush_notify(&f->e, T0 + 100 + ARAS_NOTIFY_WINDOW_MS);
	assert_int_equal(f->r.coalesced_notes, 1);
	assert_int_equal(f->r.coalesced_n, 3);
	/* a new window sends again */
	assert_int_equal(state_event(f, 1, 1, ARAS_VM_RUNNING, 1, T0 + 20000), 0);
	assert_int_equal(f->r.vm_states, 3);
	aras_engine_flush_notify(&f->e, T0 + 40000);
	assert_int_equal(f->r.coalesced_notes, 1);
	fx_free(f);
}

/* Host 1's poll at t_ms lists one running VM, key (none: 0). */
static void poll_one(struct fx *f, uint32_t key, uint64_t t_ms)
{
	struct aras_vm_sample v;
	struct aras_host_sample s;

	memset(&v, 0, sizeof(v));
	memset(&s, 0, sizeof(s));
	mkuuid(v.uuid, key);
	snprintf(v.name, sizeof(v.name), "churn-%u", (unsigned)key);
	v.state = ARAS_VM_RUNNING;
	v.vcpus = v.vcpus_max = 1;
	v.mem_cur_kib = v.mem_max_kib = 1000000;
	s.host_index = 1;
	s.ok = 1;
	s.t_ms = s.start_ms = t_ms;
	s.cpus = 4;
	s.mem_total_kib = MEM_TOTAL;
	s.vms = &v;
	s.nvms = key ? 1 : 0;
	assert_int_equal(aras_engine_sample(&f->e, &s, 0), 0);
}

static size_t backoff_vms(const struct fx *f)
{
	size_t n = 0;

	for (size_t i = 0; i < f->e.backoff.n; i++)
		n += f->e.backoff.v[i].host == 0;
	return n;
}

/* A VM with a failed action that is then undefined: its entries go with it; others stay. */
static void test_removed_vm_forgotten(void **unused)
{
	struct fx *f = fx_new(ARAS_POLICY_AUTO, NULL);
	uint8_t calm[ARAS_UUID_LEN];

	(void)unused;
	mkuuid(calm, 2);
	assert_non_null(aras_ctl_vm(&f->e.ctl, calm, 1));
	fire(f);
	aras_engine_round(&f->e, T0, T_WALL);
	aras_engine_result(&f->e, aras_plan_at(f->e.plan, 0)->index, 0, "no", T0 + 10, T_WALL);
	assert_int_equal(f->e.ctl.n, 2);
	assert_int_equal(backoff_vms(f), 1);
	poll_one(f, 0, T0 + 1000); /* "hot" missing once: kept */
	assert_int_equal(f->e.ctl.n, 2);
	assert_int_equal(backoff_vms(f), 1);
	poll_one(f, 0, T0 + 2000); /* twice: removed */
	assert_null(aras_model_find_vm(&f->e.model, aras_plan_at(f->e.plan, 0)->uuid));
	assert_int_equal(f->e.ctl.n, 1);
	assert_memory_equal(f->e.ctl.vms[0].uuid, calm, ARAS_UUID_LEN);
	assert_int_equal(backoff_vms(f), 0);
	/* the host's own streak is not a VM's */
	assert_int_equal(f->e.backoff.n, 1);
	assert_int_equal(f->e.backoff.v[0].host, 1);
	fx_free(f);
}

/* VMs come and go on host 1, each with a failed action: the tables stay as small as the model. */
static void test_vm_churn_bounded(void **unused)
{
	struct fx *f = fx_new(ARAS_POLICY_MANUAL, NULL);
	uint64_t t = T0;

	(void)unused;
	for (uint32_t k = 100; k < 400; k++) {
		struct aras_action a;

		memset(&a, 0, sizeof(a));
		mkuuid(a.uuid, k);
		a.source = 1;
		poll_one(f, k, t += 1000);
		aras_ctl_note_action(&f->e.ctl, &a, t);
		aras_ctl_note_result(&f->e.ctl, &a, 0, t);
		assert_true(aras_backoff_result(&f->e.backoff, a.uuid, 1, 0, t, NULL) > 0);
		/* in the model: this VM, the one before (missing once), "calm" and "off" */
		assert_true(f->e.model.nvms <= 4);
		assert_true(f->e.ctl.n <= 2);
		assert_true(backoff_vms(f) <= 2);
	}
	poll_one(f, 0, t += 1000);
	poll_one(f, 0, t += 1000);
	assert_int_equal(f->e.ctl.n, 0);
	assert_int_equal(backoff_vms(f), 0);
	fx_free(f);
}

/* ---- placement rules ---- */

/* Events of a type in the log. */
static unsigned events_of(const struct fx *f, int type, const char *group)
{
	unsigned n = 0;

	for (size_t i = 0; i < aras_evlog_count(f->e.evlog); i++) {
		const struct aras_event *ev = aras_evlog_at(f->e.evlog, i);

		n += ev->a.type == type && (!group || strcmp(ev->a.group, group) == 0);
	}
	return n;
}

static void commit_group(struct fx *f, const char *name, const char *hosts, const uint32_t *keys,
			 size_t nkeys, int destroy)
{
	struct aras_state st;
	struct aras_group g;

	aras_state_init(&st);
	assert_int_equal(aras_state_copy(&st, &f->e.state), 0);
	if (destroy) {
		assert_int_equal(aras_state_del_group(&st, name), 0);
	} else {
		memset(&g, 0, sizeof(g));
		snprintf(g.name, sizeof(g.name), "%s", name);
		snprintf(g.hosts, sizeof(g.hosts), "%s", hosts);
		g.rule = ARAS_RULE_ANTI_AFFINITY;
		g.active = 1;
		assert_int_equal(aras_state_put_group(&st, &g), 0);
		for (size_t i = 0; i < nkeys; i++) {
			uint8_t u[ARAS_UUID_LEN];

			mkuuid(u, keys[i]);
			assert_int_equal(aras_state_set_vm_group(&st, u, name), 0);
		}
	}
	aras_engine_commit(&f->e, &st, NULL, T0 + 1000, T_WALL);
	aras_state_free(&st);
}

/*
 * A rule created over a running VM it excludes: one ruleViolation row and
 * notification at the commit, counted; the next rounds repair it with one
 * move (automatic) and say nothing again; the group destroyed: ruleRepaired.
 * A migrate-to that breaks a rule is refused at check time.
 */
static void test_rules_episode(void **unused)
{
	static const uint32_t pair[] = { 1, 2 }, calm[] = { 2 };
	struct fx *f = fx_new(ARAS_POLICY_AUTO, NULL);
	unsigned notes;

	(void)unused;
	commit_group(f, "apart", "", pair, 2, 0);
	assert_int_equal(f->e.rule_violations, 0);
	assert_int_equal(check(f, migrate(1, 2), "antiAffinity group apart"), -ARAS_E_INCONSIST);
	commit_group(f, "apart", "", NULL, 0, 1);
	assert_int_equal(check(f, migrate(1, 2), NULL), 0);

	notes = f->r.event_notes;
	commit_group(f, "pin", "h1", calm, 1, 0);
	assert_int_equal(f->e.rule_violations, 1);
	assert_int_equal(f->e.rule_violations_seen, 1);
	assert_int_equal(f->e.group_viol[0], 1);
	assert_int_equal(events_of(f, ARAS_EV_RULE_VIOLATION, "pin"), 1);
	assert_int_equal(f->r.event_notes, notes + 1);
	assert_int_equal(check(f, migrate(2, 3), "is down"), -ARAS_E_INCONSIST);
	aras_engine_round(&f->e, T0 + 2000, T_WALL);
	assert_int_equal(f->r.jobs, 1);
	assert_int_equal(f->r.last_kind, ARAS_KIND_MIGRATE);
	aras_engine_round(&f->e, T0 + 3000, T_WALL);
	aras_engine_round(&f->e, T0 + 4000, T_WALL);
	assert_int_equal(f->r.jobs, 1);
	assert_int_equal(events_of(f, ARAS_EV_RULE_VIOLATION, NULL), 1);
	assert_int_equal(f->r.event_notes, notes + 1);
	assert_int_equal(f->e.rule_violations_seen, 1);
	commit_group(f, "pin", "", NULL, 0, 1);
	assert_int_equal(f->e.rule_violations, 0);
	assert_int_equal(events_of(f, ARAS_EV_RULE_REPAIRED, NULL), 1);
	assert_int_equal(f->r.event_notes, notes + 1);
	fx_free(f);
}

/* Host 3 answers (empty, two polls: its figures are from a real interval). */
static void host3_up(struct fx *f)
{
	for (int second = 0; second < 2; second++) {
		struct aras_host_sample s;

		memset(&s, 0, sizeof(s));
		s.host_index = 3;
		s.ok = 1;
		s.t_ms = second ? T0 + 5000 : T0 - 5000;
		s.cpus = 4;
		s.mem_total_kib = MEM_TOTAL;
		s.has_mem_free = 1;
		s.mem_free_kib = MEM_TOTAL;
		assert_int_equal(aras_engine_sample(&f->e, &s, 0), 0);
	}
}

/* Two migrate orders of one SET that together break an anti-affinity rule: refused; each alone passes. */
static void test_rules_orders_together(void **unused)
{
	static const uint32_t pair[] = { 1, 2 };
	struct fx *f = fx_new(ARAS_POLICY_MANUAL, NULL);
	struct aras_orders os = { 0 };
	struct aras_order a = migrate(1, 3), b = migrate(2, 3);
	char why[256] = "";

	(void)unused;
	host3_up(f);
	commit_group(f, "apart", "", pair, 2, 0);
	assert_int_equal(check(f, a, NULL), 0);
	assert_int_equal(check(f, b, NULL), 0);
	assert_int_equal(aras_orders_add(&os, &a), 0);
	assert_int_equal(aras_engine_check_orders(&f->e, NULL, &os, why, sizeof(why)), 0);
	assert_int_equal(aras_orders_add(&os, &b), 0);
	assert_int_equal(aras_orders_check(&os, why, sizeof(why)), 0);
	assert_int_equal(aras_engine_check_orders(&f->e, NULL, &os, why, sizeof(why)), -ARAS_E_INCONSIST);
	if (!strstr(why, "antiAffinity group apart"))
		fail_msg("why: %s", why);
	aras_orders_clear(&os);
	fx_free(f);
}

/*
 * Orders are checked against the rules as the SET leaves them: a VM put
 * into a group in the same PDU as its migrate-to (the live state has no
 * such group yet).  One order alone is checked too.
 */
static void test_rules_orders_staged(void **unused)
{
	struct fx *f = fx_new(ARAS_POLICY_MANUAL, NULL);
	struct aras_orders os = { 0 };
	struct aras_order a = migrate(1, 3);
	struct aras_state st;
	struct aras_group g;
	uint8_t u[ARAS_UUID_LEN];
	char why[256] = "";

	(void)unused;
	host3_up(f);
	aras_state_init(&st);
	assert_int_equal(aras_state_copy(&st, &f->e.state), 0);
	memset(&g, 0, sizeof(g));
	snprintf(g.name, sizeof(g.name), "pin");
	snprintf(g.hosts, sizeof(g.hosts), "h1");
	g.rule = ARAS_RULE_ANTI_AFFINITY;
	g.active = 1;
	assert_int_equal(aras_state_put_group(&st, &g), 0);
	mkuuid(u, 1);
	assert_int_equal(aras_state_set_vm_group(&st, u, "pin"), 0);
	assert_int_equal(aras_orders_add(&os, &a), 0);
	assert_int_equal(aras_engine_check_orders(&f->e, NULL, &os, why, sizeof(why)), 0);
	assert_int_equal(aras_engine_check_orders(&f->e, &st, &os, why, sizeof(why)), -ARAS_E_INCONSIST);
	if (!strstr(why, "pin"))
		fail_msg("why: %s", why);
	aras_orders_clear(&os);
	aras_state_free(&st);
	fx_free(f);
}

/* ---- the migration envelope ---- */

#define MIB (1024ull * 1024)

/* An operator's migration of VM 2 to host 1, running: its action. */
static struct aras_action *running_migration(struct fx *f, uint64_t now_ms)
{
	struct aras_order o = migrate(2, 1);
	struct aras_action *a;

	aras_engine_order(&f->e, &o, now_ms, T_WALL);
	assert_int_equal(f->r.jobs, 1);
	a = aras_plan_get(f->e.plan, f->r.job[0]);
	assert_non_null(a);
	assert_int_equal(a->kind, ARAS_KIND_MIGRATE);
	assert_int_equal(a->state, ARAS_AS_RUNNING);
	return a;
}

static void test_mig_progress(void **unused)
{
	struct fx *f = fx_new(ARAS_POLICY_MANUAL, NULL);
	struct aras_action *a = running_migration(f, T0);
	struct aras_mig_stats st = { .processed = 100 * MIB, .remaining = 156 * MIB, .total = 256 * MIB };

	(void)unused;
	aras_engine_progress(&f->e, a->index, &st);
	assert_int_equal(a->data_processed, 100);
	assert_int_equal(a->data_remaining, 156);
	assert_int_equal(a->data_total, 256);
	assert_int_equal(a->downtime_ms, 0);
	assert_int_equal(a->duration_ms, 0);
	/* the guest dirtied memory: remaining grows, the total follows processed + remaining */
	st = (struct aras_mig_stats){ .processed = 300 * MIB + MIB / 2, .remaining = 40 * MIB, .total = 0 };
	aras_engine_progress(&f->e, a->index, &st);
	assert_int_equal(a->data_processed, 301); /* rounded to the nearest MiB */
	assert_int_equal(a->data_remaining, 40);
	assert_int_equal(a->data_total, 341);
	/* the completed job: downtime and libvirt's elapsed time, nothing remaining */
	st = (struct aras_mig_stats){ .processed = 350 * MIB,
				      .remaining = 0,
				      .total = 350 * MIB,
				      .downtime_ms = 42,
				      .elapsed_ms = 31000,
				      .completed = 1 };
	aras_engine_progress(&f->e, a->index, &st);
	aras_engine_result(&f->e, a->index, 1, NULL, T0 + 45000, T_WALL);
	assert_int_equal(a->state, ARAS_AS_SUCCEEDED);
	assert_int_equal(a->data_processed, 350);
	assert_int_equal(a->data_remaining, 0);
	assert_int_equal(a->downtime_ms, 42);
	assert_int_equal(a->duration_ms, 31000); /* libvirt's, not the 45 s to the result */
	assert_int_equal(f->r.done, 1);
	/* finished: later readings change nothing */
	st = (struct aras_mig_stats){ .processed = 1, .remaining = 1, .total = 2 };
	aras_engine_progress(&f->e, a->index, &st);
	assert_int_equal(a->data_processed, 350);
	/* no such action, no stats: nothing */
	aras_engine_progress(&f->e, 999, &st);
	aras_engine_progress(&f->e, a->index, NULL);
	fx_free(f);
}

/* Without completed statistics: the duration is start to result, the last reading stays. */
static void test_mig_progress_without_completed(void **unused)
{
	struct fx *f = fx_new(ARAS_POLICY_MANUAL, NULL);
	struct aras_action *a = running_migration(f, T0);
	struct aras_mig_stats st = { .processed = 200 * MIB, .remaining = 56 * MIB, .total = 256 * MIB };

	(void)unused;
	aras_engine_progress(&f->e, a->index, &st);
	aras_engine_result(&f->e, a->index, 1, NULL, T0 + 12345, T_WALL);
	assert_int_equal(a->data_processed, 200);
	assert_int_equal(a->data_remaining, 0);
	assert_int_equal(a->data_total, 256);
	assert_int_equal(a->downtime_ms, 0);
	assert_int_equal(a->duration_ms, 12345);
	fx_free(f);
}

/*
 * The completed job's figures come after the result (the daemon posts the
 * result before it opens a connection to the destination): they replace
 * the duration measured from start to result; a late in-flight reading
 * changes nothing.
 */
static void test_mig_completed_after_result(void **unused)
{
	struct fx *f = fx_new(ARAS_POLICY_MANUAL, NULL);
	struct aras_action *a = running_migration(f, T0);
	struct aras_mig_stats late = { .processed = 10 * MIB, .remaining = 5 * MIB, .total = 15 * MIB };
	struct aras_mig_stats done = { .processed = 300 * MIB,
				       .total = 300 * MIB,
				       .completed = 1,
				       .downtime_ms = 147,
				       .elapsed_ms = 20800 };

	(void)unused;
	aras_engine_result(&f->e, a->index, 1, NULL, T0 + 21000, T_WALL);
	assert_int_equal(a->state, ARAS_AS_SUCCEEDED);
	assert_int_equal(a->duration_ms, 21000);
	aras_engine_progress(&f->e, a->index, &late);
	assert_int_equal(a->data_processed, 0);
	aras_engine_progress(&f->e, a->index, &done);
	assert_int_equal(a->data_processed, 300);
	assert_int_equal(a->data_remaining, 0);
	assert_int_equal(a->downtime_ms, 147);
	assert_int_equal(a->duration_ms, 20800);
	fx_free(f);
}

/* A failed migration keeps its last reading (what was left) and has no duration. */
static void test_mig_progress_failed(void **unused)
{
	struct fx *f = fx_new(ARAS_POLICY_MANUAL, NULL);
	struct aras_action *a = running_migration(f, T0);
	struct aras_mig_stats st = { .processed = 900 * MIB, .remaining = 100 * MIB, .total = 1000 * MIB };

	(void)unused;
	aras_engine_progress(&f->e, a->index, &st);
	aras_engine_result(&f->e, a->index, 0, "operation aborted: migration job: canceled by client",
			   T0 + 300000, T_WALL);
	assert_int_equal(a->state, ARAS_AS_FAILED);
	assert_int_equal(a->data_remaining, 100);
	assert_int_equal(a->duration_ms, 0);
	assert_int_equal(f->r.failed, 1);
	fx_free(f);
}

static void test_mig_envelope(void **unused)
{
	struct aras_settings s;
	struct aras_action mig = { .kind = ARAS_KIND_MIGRATE, .origin = ARAS_ORIGIN_CONTROLLER };
	struct aras_action vcpu = { .kind = ARAS_KIND_ADD_VCPU, .origin = ARAS_ORIGIN_CONTROLLER };
	struct aras_mig_envelope env;
	static const int origins[] = { ARAS_ORIGIN_CONTROLLER, ARAS_ORIGIN_OPERATOR,
				       ARAS_ORIGIN_MAINTENANCE };

	(void)unused;
	aras_settings_defaults(&s);
	/* defaults: unlimited, auto-converge on, no post-copy */
	aras_engine_mig_envelope(&s, &mig, &env);
	assert_int_equal(env.bandwidth_mib, 0);
	assert_int_equal(env.auto_converge, 1);
	assert_int_equal(env.post_copy, 0);
	assert_int_equal(env.post_copy_after_s, 0);
	s.v[ARAS_S_MIGRATION_BANDWIDTH] = 8;
	s.v[ARAS_S_MIGRATION_AUTO_CONVERGE] = ARAS_FALSE;
	s.v[ARAS_S_MIGRATION_POST_COPY] = ARAS_TRUE;
	s.v[ARAS_S_MIGRATION_TIMEOUT] = 300;
	/* every origin gets the same envelope */
	for (size_t i = 0; i < N_ELEM(origins); i++) {
		mig.origin = origins[i];
		aras_engine_mig_envelope(&s, &mig, &env);
		assert_int_equal(env.bandwidth_mib, 8);
		assert_int_equal(env.auto_converge, 0);
		assert_int_equal(env.post_copy, 1);
		assert_int_equal(env.post_copy_after_s, 150);
	}
	/* not a migration: nothing */
	aras_engine_mig_envelope(&s, &vcpu, &env);
	assert_int_equal(env.bandwidth_mib, 0);
	assert_int_equal(env.post_copy, 0);
	assert_int_equal(aras_mib_of_bytes(MIB / 2 - 1), 0);
	assert_int_equal(aras_mib_of_bytes(MIB / 2), 1);
	assert_int_equal(aras_mib_of_bytes(256 * MIB), 256);
}

/* ---- issue 20: the operator wins over the controller; orders re-checked; journalled orders ---- */

/* The newest event row's text. */
static const char *last_event(struct fx *f)
{
	size_t n = aras_evlog_count(f->e.evlog);

	return n ? aras_evlog_at(f->e.evlog, n - 1)->a.text : "";
}

/* The event row whose text has s, or NULL. */
static const struct aras_event *find_event(struct fx *f, const char *s)
{
	for (size_t i = 0; i < aras_evlog_count(f->e.evlog); i++)
		if (strstr(aras_evlog_at(f->e.evlog, i)->a.text, s))
			return aras_evlog_at(f->e.evlog, i);
	return NULL;
}

/* A proposal does not keep a command out: the command supersedes (rejects) it when it runs. */
static void test_command_supersedes_proposal(void **unused)
{
	struct fx *f = fx_new(ARAS_POLICY_SEMI, NULL);
	struct aras_action *p;
	struct aras_orders os = { 0 };
	struct aras_order o;
	char why[256];

	(void)unused;
	fire(f);
	aras_engine_round(&f->e, T0, T_WALL);
	p = aras_plan_at(f->e.plan, 0);
	assert_int_equal(p->state, ARAS_AS_PROPOSED);
	/* every command and a migrate order pass the check (destroy too) */
	assert_int_equal(check(f, command(1, ARAS_CMD_DESTROY), NULL), 0);
	assert_int_equal(check(f, command(1, ARAS_CMD_SUSPEND), NULL), 0);
	assert_int_equal(check(f, migrate(1, 2), NULL), 0);
	/* rejecting the proposal and a command for its VM in one PDU: accepted */
	o = decide(p->index, ARAS_AS_REJECTED, 1);
	o.id = 4;
	assert_int_equal(aras_orders_add(&os, &o), 0);
	o = command(1, ARAS_CMD_DESTROY);
	o.id = 5;
	assert_int_equal(aras_orders_add(&os, &o), 0);
	assert_int_equal(aras_engine_check_all(&f->e, NULL, &os, why, sizeof(why)), 0);
	/* approving it and a command for its VM: still two orders for one VM */
	os.v[0].state = ARAS_AS_APPROVED;
	assert_int_equal(aras_orders_check(&os, why, sizeof(why)), -ARAS_E_INCONSIST);
	assert_non_null(strstr(why, "two orders for VM"));
	aras_orders_clear(&os);
	/* the command alone: the proposal is rejected, saying why, and the command runs */
	o = command(1, ARAS_CMD_DESTROY);
	o.id = 6;
	aras_engine_order(&f->e, &o, T0 + 1, T_WALL);
	assert_int_equal(p->state, ARAS_AS_REJECTED);
	assert_non_null(strstr(p->error, "superseded by the operator's arasVmCommand destroy(5)"));
	assert_int_equal(f->r.jobs, 1);
	assert_int_equal(f->r.last_kind, ARAS_KIND_DESTROY);
	/* its action carries the order: the outcome goes to the journal with the result */
	assert_int_equal(f->r.outcomes, 0);
	aras_engine_result(&f->e, f->r.job[0], 1, NULL, T0 + 2, T_WALL);
	assert_int_equal(f->r.outcomes, 1);
	assert_int_equal(f->r.last_order, 6);
	assert_int_equal(f->r.last_outcome, ARAS_JOUT_SUCCEEDED);
	assert_non_null(strstr(f->r.last_text, "destroy succeeded"));
	fx_free(f);
}

/* destroy and shutdownForce never wait on the controller; other commands do, and nothing waits on itself. */
static void test_destroy_beside_controller(void **unused)
{
	struct fx *f = fx_new(ARAS_POLICY_AUTO, NULL);
	struct aras_order o;

	(void)unused;
	fire(f);
	aras_engine_round(&f->e, T0, T_WALL);
	assert_int_equal(f->r.jobs, 1);
	assert_int_equal(aras_plan_at(f->e.plan, 0)->state, ARAS_AS_RUNNING);
	assert_int_equal(check(f, command(1, ARAS_CMD_SUSPEND), "action in progress (action 1"),
			 -ARAS_E_INCONSIST);
	assert_int_equal(check(f, migrate(1, 2), "action in progress"), -ARAS_E_INCONSIST);
	assert_int_equal(check(f, command(1, ARAS_CMD_DESTROY), NULL), 0);
	assert_int_equal(check(f, command(1, ARAS_CMD_SHUTDOWN_FORCE), NULL), 0);
	o = command(1, ARAS_CMD_DESTROY);
	aras_engine_order(&f->e, &o, T0 + 1, T_WALL);
	assert_int_equal(f->r.jobs, 2);
	/* the operator's own destroy keeps a second one out */
	assert_int_equal(check(f, command(1, ARAS_CMD_SHUTDOWN_FORCE), "action in progress"),
			 -ARAS_E_INCONSIST);
	fx_free(f);
}

/*
 * RESERVE checked the order; the controller started an action for the VM
 * before ACTION: the check at ACTION fails.  From ACTION to COMMIT the VM
 * is held: the controller starts nothing for it.
 */
static void test_orders_rechecked_and_held(void **unused)
{
	struct fx *f = fx_new(ARAS_POLICY_AUTO, NULL);
	struct aras_orders os = { 0 };
	struct aras_order o = command(1, ARAS_CMD_SUSPEND);
	char why[256] = "";

	(void)unused;
	assert_int_equal(aras_orders_add(&os, &o), 0);
	assert_int_equal(aras_engine_check_all(&f->e, NULL, &os, why, sizeof(why)), 0); /* RESERVE */
	fire(f);
	aras_engine_round(&f->e, T0, T_WALL); /* the loop, between the two messages */
	assert_int_equal(f->r.jobs, 1);
	assert_int_equal(aras_engine_check_all(&f->e, NULL, &os, why, sizeof(why)),
			 -ARAS_E_INCONSIST); /* ACTION */
	assert_non_null(strstr(why, "action in progress"));
	aras_orders_clear(&os);
	fx_free(f);

	/* held from ACTION to COMMIT */
	f = fx_new(ARAS_POLICY_AUTO, NULL);
	assert_int_equal(aras_orders_add(&os, &o), 0);
	assert_int_equal(aras_engine_check_all(&f->e, NULL, &os, why, sizeof(why)), 0);
	aras_engine_hold(&f->e, &os);
	fire(f);
	aras_engine_round(&f->e, T0, T_WALL);
	assert_int_equal(f->r.jobs, 0);
	assert_int_equal(aras_plan_count(f->e.plan), 0);
	{
		struct aras_state st;

		aras_state_init(&st);
		assert_int_equal(aras_state_copy(&st, &f->e.state), 0);
		aras_engine_commit(&f->e, &st, &os, T0 + 1, T_WALL); /* releases the hold, runs the order */
		aras_state_free(&st);
	}
	assert_int_equal(f->r.jobs, 1);
	assert_int_equal(f->r.last_kind, ARAS_KIND_SUSPEND);
	assert_null(f->e.held);
	aras_orders_clear(&os);
	fx_free(f);
}

/* Orders of the last run without outcome: run if valid, else a failed row saying why; after every host's first poll. */
static void test_recover_orders(void **unused)
{
	struct fx *f = fx_new(ARAS_POLICY_MANUAL, NULL);
	struct aras_order o;
	struct aras_action *a;
	const struct aras_event *ev;
	unsigned failed;

	(void)unused;
	o = command(1, ARAS_CMD_SUSPEND);
	o.id = 11;
	assert_int_equal(aras_engine_recover(&f->e, &o), 0);
	o = command(3, ARAS_CMD_DESTROY); /* VM 3 is shut off */
	o.id = 12;
	assert_int_equal(aras_engine_recover(&f->e, &o), 0);
	o = decide(7, ARAS_AS_APPROVED, 2);
	o.id = 13;
	assert_int_equal(aras_engine_recover(&f->e, &o), 0);
	o = command(9, ARAS_CMD_START); /* a VM no host lists any more */
	o.id = 14;
	assert_int_equal(aras_engine_recover(&f->e, &o), 0);
	/* until resolved, the VM takes no other order and the controller leaves it alone */
	assert_int_equal(check(f, command(1, ARAS_CMD_DESTROY), "order of the last run"), -ARAS_E_INCONSIST);
	/* an order the last run finished: recorded with the others */
	o = command(2, ARAS_CMD_REBOOT);
	o.id = 10;
	aras_engine_order_history(&f->e, &o, ARAS_JOUT_SUCCEEDED, "action 4 reboot succeeded", T_WALL);
	/* a host not polled yet: nothing resolved */
	aras_model_host(&f->e.model, 2)->state = ARAS_HOST_UNKNOWN;
	aras_engine_resolve(&f->e, T0, T_WALL);
	assert_int_equal(f->r.outcomes, 0);
	assert_null(find_event(f, "before the restart"));
	assert_int_equal(aras_plan_count(f->e.plan), 0);
	/* its poll resolves them */
	failed = f->r.failed;
	poll_host(f, 2, 1);
	assert_null(f->e.recover);
	/* 11 runs: a suspend action carrying the order */
	assert_int_equal(f->r.jobs, 1);
	assert_int_equal(f->r.last_kind, ARAS_KIND_SUSPEND);
	a = aras_plan_get(f->e.plan, f->r.job[0]);
	assert_non_null(a);
	assert_int_equal(a->order_id, 11);
	assert_non_null(strstr(a->reason, "operator order 11: arasVmCommand suspend(7)"));
	/* 12 and 14: failed action rows (arasActionFailed), 13: an event row; each a failed outcome */
	assert_int_equal(f->r.failed, failed + 2);
	assert_int_equal(f->r.outcomes, 3);
	assert_int_equal(f->r.last_order, 14);
	assert_int_equal(f->r.last_outcome, ARAS_JOUT_FAILED);
	assert_non_null(strstr(f->r.last_text, "not run at restart: no such VM"));
	a = aras_plan_at(f->e.plan, 1);
	assert_int_equal(a->state, ARAS_AS_FAILED);
	assert_int_equal(a->kind, ARAS_KIND_DESTROY);
	assert_int_equal(a->origin, ARAS_ORIGIN_OPERATOR);
	assert_non_null(strstr(a->error, "not run at restart: destroy needs the VM"));
	assert_non_null(strstr(a->reason, "operator order 12"));
	aras_engine_result(&f->e, f->r.job[0], 1, NULL, T0 + 1, T_WALL);
	assert_int_equal(f->r.last_order, 11);
	assert_int_equal(f->r.last_outcome, ARAS_JOUT_SUCCEEDED);
	/* the last run's outcome: an event row naming the VM */
	ev = find_event(f,
			"before the restart: operator order 10: arasVmCommand reboot(6) succeeded: action 4 "
			"reboot succeeded");
	assert_non_null(ev);
	assert_string_equal(ev->a.vm_name, "calm");
	assert_string_equal(ev->a.host_name, "h2");
	fx_free(f);
}

/* A journalled decision's outcome: a rejection is done at once, an approval with its action. */
static void test_decision_outcomes(void **unused)
{
	struct fx *f = fx_new(ARAS_POLICY_SEMI, NULL);
	struct aras_order o;
	struct aras_action *a;

	(void)unused;
	fire(f);
	aras_engine_round(&f->e, T0, T_WALL);
	a = aras_plan_at(f->e.plan, 0);
	o = decide(a->index, ARAS_AS_APPROVED, 1);
	o.id = 21;
	aras_engine_order(&f->e, &o, T0 + 1, T_WALL);
	assert_int_equal(f->r.jobs, 1);
	assert_int_equal(f->r.outcomes, 0);
	aras_engine_result(&f->e, a->index, 0, "boom", T0 + 2, T_WALL);
	assert_int_equal(f->r.outcomes, 1);
	assert_int_equal(f->r.last_order, 21);
	assert_int_equal(f->r.last_outcome, ARAS_JOUT_FAILED);
	assert_non_null(strstr(f->r.last_text, "boom"));
	/* a decision on what is no longer a proposal (ended between ACTION and COMMIT) */
	o.id = 22;
	o.state = ARAS_AS_REJECTED;
	aras_engine_order(&f->e, &o, T0 + 3, T_WALL);
	assert_int_equal(f->r.last_order, 22);
	assert_int_equal(f->r.last_outcome, ARAS_JOUT_SUCCEEDED);
	o.id = 23;
	o.state = ARAS_AS_APPROVED;
	aras_engine_order(&f->e, &o, T0 + 3, T_WALL);
	assert_int_equal(f->r.last_order, 23);
	assert_int_equal(f->r.last_outcome, ARAS_JOUT_FAILED);
	assert_non_null(strstr(last_event(f), "order 23"));
	fx_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules_episode),
		cmocka_unit_test(test_rules_orders_together),
		cmocka_unit_test(test_rules_orders_staged),
		cmocka_unit_test(test_time_is_input),
		cmocka_unit_test(test_sample_hosts),
		cmocka_unit_test(test_host_stall),
		cmocka_unit_test(test_poll_interval_set),
		cmocka_unit_test(test_check_migrate),
		cmocka_unit_test(test_check_decide),
		cmocka_unit_test(test_orders_staging),
		cmocka_unit_test(test_commit_runs_orders),
		cmocka_unit_test(test_maintenance_transitions),
		cmocka_unit_test(test_maintenance_at_start),
		cmocka_unit_test(test_gate_automatic),
		cmocka_unit_test(test_gate_semi_reject_expire),
		cmocka_unit_test(test_gate_semi_approve_recheck),
		cmocka_unit_test(test_gate_manual),
		cmocka_unit_test(test_gate_auto_approve),
		cmocka_unit_test(test_job_not_queued),
		cmocka_unit_test(test_backoff_holds),
		cmocka_unit_test(test_backoff_off),
		cmocka_unit_test(test_alert_effects),
		cmocka_unit_test(test_check_command),
		cmocka_unit_test(test_edit_orders),
		cmocka_unit_test(test_disk_edit),
		cmocka_unit_test(test_clone_orders),
		cmocka_unit_test(test_recover_done_before),
		cmocka_unit_test(test_adopt_inflight),
		cmocka_unit_test(test_command_life_cycle),
		cmocka_unit_test(test_events_and_polls),
		cmocka_unit_test(test_stop_clears_alerts),
		cmocka_unit_test(test_forced_shutdown),
		cmocka_unit_test(test_vanished_is_no_change),
		cmocka_unit_test(test_crash_effects),
		cmocka_unit_test(test_state_notify_limit),
		cmocka_unit_test(test_removed_vm_forgotten),
		cmocka_unit_test(test_vm_churn_bounded),
		cmocka_unit_test(test_mig_progress),
		cmocka_unit_test(test_mig_progress_without_completed),
		cmocka_unit_test(test_mig_completed_after_result),
		cmocka_unit_test(test_mig_progress_failed),
		cmocka_unit_test(test_mig_envelope),
		cmocka_unit_test(test_command_supersedes_proposal),
		cmocka_unit_test(test_destroy_beside_controller),
		cmocka_unit_test(test_orders_rechecked_and_held),
		cmocka_unit_test(test_recover_orders),
		cmocka_unit_test(test_decision_outcomes),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
