/*
 * test_plan.c - the action plan (src/core/plan.c): indexes assigned in
 * order, lookups by index and position, the bounded table that drops the
 * oldest finished action (and refuses when all are unfinished), the open
 * action of a VM, the migration count the controller's caps read, the
 * checks of an operator's approve/reject, proposal expiry and the names.
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

#include "core/aras.h"
#include "core/plan.h"

#define T0 5000000ull /* some monotonic time, ms */

/* Action states, short for the tables. */
#define PRO ARAS_AS_PROPOSED
#define APP ARAS_AS_APPROVED
#define REJ ARAS_AS_REJECTED
#define RUN ARAS_AS_RUNNING
#define SUC ARAS_AS_SUCCEEDED
#define FAI ARAS_AS_FAILED
#define EXP ARAS_AS_EXPIRED

/* A UUID whose memcmp order is the order of key (testlib.h). */
static void mkuuid(uint8_t u[ARAS_UUID_LEN], uint32_t key)
{
	test_uuid(u, key, 0, 0);
}

static struct aras_action mkaction(uint32_t vm, int kind, int state, unsigned source, unsigned target)
{
	struct aras_action a;

	memset(&a, 0, sizeof(a));
	mkuuid(a.uuid, vm);
	snprintf(a.vm_name, sizeof(a.vm_name), "vm%u", (unsigned)vm);
	a.kind = kind;
	a.state = state;
	a.source = source;
	a.target = target;
	a.amount = 42;
	a.resource = 2;
	a.origin = ARAS_ORIGIN_CONTROLLER;
	snprintf(a.reason, sizeof(a.reason), "reason of vm%u", (unsigned)vm);
	a.created_ms = T0;
	return a;
}

static struct aras_plan *must_new(size_t capacity)
{
	struct aras_plan *p = NULL;

	assert_int_equal(aras_plan_new(&p, capacity), 0);
	assert_non_null(p);
	return p;
}

static struct aras_action *must_add(struct aras_plan *p, uint32_t vm, int kind, int state, unsigned source,
				    unsigned target)
{
	struct aras_action a = mkaction(vm, kind, state, source, target);
	struct aras_action *na = aras_plan_add(p, &a);

	if (!na)
		fail_msg("add of vm%u (%s %s) refused", (unsigned)vm, aras_kind_name(kind),
			 aras_astate_name(state));
	return na;
}

/* Hook recorder. */
#define MAX_EV 32
struct rec {
	int kind[MAX_EV]; /* 'a' added, 'd' dropped */
	uint32_t index[MAX_EV];
	struct aras_action *ptr[MAX_EV];
	int state[MAX_EV];
	size_t n;
};

static void on_added(struct aras_action *a, void *arg)
{
	struct rec *r = arg;

	if (r->n < MAX_EV) {
		r->kind[r->n] = 'a';
		r->index[r->n] = a->index;
		r->ptr[r->n] = a;
		r->state[r->n] = a->state;
	}
	r->n++;
}

static void on_dropped(struct aras_action *a, void *arg)
{
	struct rec *r = arg;

	if (r->n < MAX_EV) {
		r->kind[r->n] = 'd';
		r->index[r->n] = a->index;
		r->ptr[r->n] = a;
		r->state[r->n] = a->state;
	}
	r->n++;
}

/* ---- new / free ---------------------------------------------------------- */

static void plan_new_and_free(void **state)
{
	static char dummy;
	struct aras_plan *p = (struct aras_plan *)(void *)&dummy; /* must stay untouched on error */
	struct aras_plan *keep = p;

	(void)state;
	assert_true(aras_plan_new(&p, 0) < 0);
	assert_ptr_equal(p, keep);
	p = must_new(1);
	assert_int_equal(aras_plan_count(p), 0);
	assert_null(aras_plan_at(p, 0));
	assert_null(aras_plan_get(p, 0));
	assert_null(aras_plan_get(p, 1));
	assert_null(aras_plan_open_for(p, (const uint8_t[ARAS_UUID_LEN]){ 0 }));
	assert_int_equal(aras_plan_migrations(p, 0), 0);
	assert_int_equal(aras_plan_expire(p, T0, 10, NULL, NULL), 0);
	aras_plan_free(p);
	aras_plan_free(NULL);
}

/* ---- add / get / at / count ------------------------------------------- */

static void plan_add_get_at_count(void **state)
{
	struct aras_plan *p = must_new(8);
	struct aras_action *got[5];

	(void)state;
	for (uint32_t i = 0; i < 5; i++) {
		struct aras_action a =
			mkaction(100 + i, ARAS_KIND_ADD_VCPU + (int)i, ARAS_AS_PROPOSED, 1, i == 4 ? 2 : 0);

		a.index = 999;         /* ignored: the plan assigns */
		a.priv = (void *)&got; /* reset: the copy is not the SNMP row */
		got[i] = aras_plan_add(p, &a);
		assert_non_null(got[i]);
		assert_ptr_not_equal(got[i], &a);
		if (got[i]->index != i + 1)
			fail_msg("action %u got index %u, want %u", (unsigned)i, (unsigned)got[i]->index,
				 (unsigned)i + 1);
		assert_null(got[i]->priv);
		/* a copy: changing the original later does not reach the plan */
		a.kind = ARAS_KIND_SHRINK_MEM;
		strcpy(a.reason, "changed");
		assert_int_equal(got[i]->kind, ARAS_KIND_ADD_VCPU + (int)i);
		{
			char want[64];

			snprintf(want, sizeof(want), "reason of vm%u", (unsigned)(100 + i));
			assert_string_equal(got[i]->reason, want);
		}
		assert_int_equal(got[i]->amount, 42);
		assert_int_equal(aras_plan_count(p), i + 1);
	}
	assert_string_equal(got[0]->reason, "reason of vm100");
	assert_string_equal(got[4]->vm_name, "vm104");
	assert_int_equal(got[4]->target, 2);
	for (size_t i = 0; i < 5; i++) {
		assert_ptr_equal(aras_plan_at(p, i), got[i]);
		assert_ptr_equal(aras_plan_get(p, (uint32_t)i + 1), got[i]);
	}
	assert_null(aras_plan_at(p, 5));
	assert_null(aras_plan_at(p, (size_t)-1));
	assert_null(aras_plan_get(p, 0));
	assert_null(aras_plan_get(p, 6));
	assert_null(aras_plan_get(p, UINT32_MAX));
	aras_plan_free(p);
}

/* Index order is kept when actions in the middle are dropped; get still finds the rest. */
static void plan_index_order_across_drops(void **state)
{
	struct aras_plan *p = must_new(4);
	static const uint32_t want_order[] = { 1, 3, 5, 6 };

	(void)state;
	for (uint32_t i = 0; i < 4; i++)
		must_add(p, i + 1, ARAS_KIND_MIGRATE, ARAS_AS_RUNNING, 1, 2);
	aras_plan_get(p, 2)->state = ARAS_AS_SUCCEEDED;
	aras_plan_get(p, 4)->state = ARAS_AS_FAILED;
	assert_int_equal(must_add(p, 5, ARAS_KIND_ADD_VCPU, ARAS_AS_PROPOSED, 1, 0)->index, 5); /* drops 2 */
	assert_int_equal(must_add(p, 6, ARAS_KIND_ADD_VCPU, ARAS_AS_PROPOSED, 1, 0)->index, 6); /* drops 4 */
	assert_int_equal(aras_plan_count(p), 4);
	for (size_t i = 0; i < N_ELEM(want_order); i++) {
		const struct aras_action *a = aras_plan_at(p, i);

		if (!a || a->index != want_order[i])
			fail_msg("position %zu holds index %u, want %u", i, a ? (unsigned)a->index : 0,
				 (unsigned)want_order[i]);
		assert_ptr_equal(aras_plan_get(p, want_order[i]), a);
	}
	assert_null(aras_plan_get(p, 2));
	assert_null(aras_plan_get(p, 4));
	assert_null(aras_plan_get(p, 7));
	assert_null(aras_plan_at(p, 4)); /* full: position == capacity */
	aras_plan_free(p);
}

/* ---- the bounded table ------------------------------------------------- */

static const struct {
	const char *name;
	int states[4];    /* of actions 1..4 in a table of capacity 4 */
	uint32_t dropped; /* index dropped by the fifth add; 0: add refused */
} full_cases[] = {
	{ "all finished: the oldest goes", { SUC, FAI, REJ, EXP }, 1 },
	{ "oldest finished after an open one", { PRO, SUC, FAI, PRO }, 2 },
	{ "only the newest finished", { PRO, APP, RUN, EXP }, 4 },
	{ "rejected counts as finished", { RUN, RUN, REJ, RUN }, 3 },
	{ "failed counts as finished", { APP, FAI, SUC, RUN }, 2 },
	{ "all unfinished: refused", { PRO, APP, RUN, PRO }, 0 },
};

static void plan_full_drops_oldest_finished(void **state)
{
	(void)state;
	for (size_t c = 0; c < N_ELEM(full_cases); c++) {
		struct aras_plan *p = must_new(4);
		struct aras_plan_hooks h = { on_added, on_dropped, NULL };
		struct rec r;
		struct aras_action a = mkaction(99, ARAS_KIND_GROW_MEM, ARAS_AS_PROPOSED, 1, 0);
		struct aras_action *na;

		memset(&r, 0, sizeof(r));
		h.arg = &r;
		for (uint32_t i = 0; i < 4; i++)
			must_add(p, i + 1, ARAS_KIND_ADD_VCPU, full_cases[c].states[i], 1, 0);
		aras_plan_set_hooks(p, &h);
		na = aras_plan_add(p, &a);
		if (!full_cases[c].dropped) {
			if (na || r.n != 0 || aras_plan_count(p) != 4)
				fail_msg("%s: add %s, %zu hook calls, count %zu; want refused, none, 4",
					 full_cases[c].name, na ? "accepted" : "refused", r.n,
					 aras_plan_count(p));
			for (uint32_t i = 0; i < 4; i++)
				assert_non_null(aras_plan_get(p, i + 1));
			/* a refused add does not use up an index */
			aras_plan_get(p, 2)->state = ARAS_AS_SUCCEEDED;
			na = aras_plan_add(p, &a);
			assert_non_null(na);
			if (na->index != 5)
				fail_msg("%s: add after refusal got index %u, want 5", full_cases[c].name,
					 (unsigned)na->index);
			aras_plan_free(p);
			continue;
		}
		if (!na || na->index != 5)
			fail_msg("%s: add %s (index %u), want index 5", full_cases[c].name,
				 na ? "accepted" : "refused", na ? (unsigned)na->index : 0);
		if (r.n != 2 || r.kind[0] != 'd' || r.index[0] != full_cases[c].dropped || r.kind[1] != 'a' ||
		    r.index[1] != 5 || r.ptr[1] != na)
			fail_msg("%s: hooks %zu calls (%c %u, %c %u), want dropped %u then added 5",
				 full_cases[c].name, r.n, r.n > 0 ? r.kind[0] : '-',
				 r.n > 0 ? (unsigned)r.index[0] : 0, r.n > 1 ? r.kind[1] : '-',
				 r.n > 1 ? (unsigned)r.index[1] : 0, (unsigned)full_cases[c].dropped);
		/* the dropped hook saw the action as it was */
		assert_int_equal(r.state[0], full_cases[c].states[full_cases[c].dropped - 1]);
		assert_int_equal(aras_plan_count(p), 4);
		assert_null(aras_plan_get(p, full_cases[c].dropped));
		for (uint32_t i = 1; i <= 5; i++)
			if (i != full_cases[c].dropped && !aras_plan_get(p, i))
				fail_msg("%s: index %u lost", full_cases[c].name, (unsigned)i);
		/* still in index order */
		for (size_t i = 1; i < aras_plan_count(p); i++)
			assert_true(aras_plan_at(p, i - 1)->index < aras_plan_at(p, i)->index);
		aras_plan_free(p);
	}
}

/* Hooks: added sees the stored copy with its index, after it is findable. */
static struct aras_plan *hook_plan;

static void on_added_lookup(struct aras_action *a, void *arg)
{
	struct rec *r = arg;

	assert_ptr_equal(aras_plan_get(hook_plan, a->index), a);
	on_added(a, r);
}

static void plan_hooks_see_the_stored_action(void **state)
{
	struct aras_plan_hooks h = { on_added_lookup, on_dropped, NULL };
	struct rec r;
	struct aras_action *na;

	(void)state;
	memset(&r, 0, sizeof(r));
	h.arg = &r;
	hook_plan = must_new(2);
	aras_plan_set_hooks(hook_plan, &h);
	na = must_add(hook_plan, 1, ARAS_KIND_ADD_VCPU, ARAS_AS_SUCCEEDED, 1, 0);
	assert_int_equal(r.n, 1);
	assert_ptr_equal(r.ptr[0], na);
	assert_int_equal(r.index[0], 1);
	must_add(hook_plan, 2, ARAS_KIND_ADD_VCPU, ARAS_AS_RUNNING, 1, 0);
	na = must_add(hook_plan, 3, ARAS_KIND_ADD_VCPU, ARAS_AS_PROPOSED, 1, 0); /* drops 1 */
	assert_int_equal(r.n, 4);
	assert_int_equal(r.kind[2], 'd');
	assert_int_equal(r.index[2], 1);
	assert_int_equal(r.kind[3], 'a');
	assert_ptr_equal(r.ptr[3], na);
	/* hooks with NULL functions are fine */
	memset(&h, 0, sizeof(h));
	aras_plan_set_hooks(hook_plan, &h);
	aras_plan_get(hook_plan, 2)->state = ARAS_AS_FAILED;
	must_add(hook_plan, 4, ARAS_KIND_ADD_VCPU, ARAS_AS_PROPOSED, 1, 0);
	assert_int_equal(r.n, 4);
	aras_plan_free(hook_plan);
	hook_plan = NULL;
}

/* ---- finished / open_for --------------------------------------------- */

static void plan_action_finished(void **state)
{
	static const struct {
		int st, fin;
	} cases[] = {
		{ ARAS_AS_PROPOSED, 0 }, { ARAS_AS_APPROVED, 0 },  { ARAS_AS_RUNNING, 0 },
		{ ARAS_AS_REJECTED, 1 }, { ARAS_AS_SUCCEEDED, 1 }, { ARAS_AS_FAILED, 1 },
		{ ARAS_AS_EXPIRED, 1 },
	};

	(void)state;
	for (size_t i = 0; i < N_ELEM(cases); i++) {
		struct aras_action a = mkaction(1, ARAS_KIND_MIGRATE, cases[i].st, 1, 2);

		if (aras_action_finished(&a) != cases[i].fin)
			fail_msg("%s: finished %d, want %d", aras_astate_name(cases[i].st),
				 aras_action_finished(&a), cases[i].fin);
	}
}

static const struct {
	const char *name;
	size_t n;
	struct {
		uint32_t vm;
		int state;
	} acts[6];
	uint32_t vm;   /* asked for */
	uint32_t want; /* index of the open action, 0 = NULL */
} open_cases[] = {
	{ "no actions at all", 0, { { 0, 0 } }, 1, 0 },
	{ "only finished ones", 4, { { 1, SUC }, { 1, FAI }, { 1, REJ }, { 1, EXP } }, 1, 0 },
	{ "proposed", 2, { { 1, SUC }, { 1, PRO } }, 1, 2 },
	{ "approved", 2, { { 1, APP }, { 1, FAI } }, 1, 1 },
	{ "running", 3, { { 2, RUN }, { 1, RUN }, { 2, PRO } }, 1, 2 },
	{ "another VM's open action does not count", 3, { { 2, RUN }, { 3, PRO }, { 1, SUC } }, 1, 0 },
	{ "two open: the newest", 3, { { 1, RUN }, { 2, RUN }, { 1, PRO } }, 1, 3 },
	{ "uuids differing in one byte", 2, { { 1, RUN }, { 0x1000001, RUN } }, 0x1000001, 2 },
};

static void plan_open_for(void **state)
{
	(void)state;
	for (size_t c = 0; c < N_ELEM(open_cases); c++) {
		struct aras_plan *p = must_new(8);
		uint8_t u[ARAS_UUID_LEN];
		const struct aras_action *a;

		for (size_t i = 0; i < open_cases[c].n; i++)
			must_add(p, open_cases[c].acts[i].vm, ARAS_KIND_ADD_VCPU, open_cases[c].acts[i].state,
				 1, 0);
		mkuuid(u, open_cases[c].vm);
		a = aras_plan_open_for(p, u);
		if ((a ? a->index : 0) != open_cases[c].want)
			fail_msg("%s: open action %u, want %u", open_cases[c].name,
				 a ? (unsigned)a->index : 0, (unsigned)open_cases[c].want);
		aras_plan_free(p);
	}
}

/* ---- migrations ---------------------------------------------------------- */

static void plan_migrations_count(void **state)
{
	static const struct {
		int kind, st;
		unsigned target;
	} acts[] = {
		{ ARAS_KIND_MIGRATE, ARAS_AS_APPROVED, 2 },  /* counts */
		{ ARAS_KIND_MIGRATE, ARAS_AS_RUNNING, 2 },   /* counts */
		{ ARAS_KIND_MIGRATE, ARAS_AS_RUNNING, 3 },   /* counts */
		{ ARAS_KIND_MIGRATE, ARAS_AS_PROPOSED, 2 },  /* not yet */
		{ ARAS_KIND_MIGRATE, ARAS_AS_SUCCEEDED, 2 }, /* done */
		{ ARAS_KIND_MIGRATE, ARAS_AS_FAILED, 3 },
		{ ARAS_KIND_MIGRATE, ARAS_AS_REJECTED, 3 },
		{ ARAS_KIND_MIGRATE, ARAS_AS_EXPIRED, 2 },
		{ ARAS_KIND_ADD_VCPU, ARAS_AS_RUNNING, 2 }, /* not a migration */
		{ ARAS_KIND_GROW_MEM, ARAS_AS_APPROVED, 3 },
		{ ARAS_KIND_ADD_DISK, ARAS_AS_RUNNING, 0 },
	};
	static const struct {
		unsigned into;
		unsigned want;
	} cases[] = { { 0, 3 }, { 2, 2 }, { 3, 1 }, { 1, 0 }, { 4, 0 } };
	struct aras_plan *p = must_new(16);

	(void)state;
	for (size_t i = 0; i < N_ELEM(acts); i++)
		must_add(p, (uint32_t)i + 1, acts[i].kind, acts[i].st, 1, acts[i].target);
	for (size_t i = 0; i < N_ELEM(cases); i++)
		if (aras_plan_migrations(p, cases[i].into) != cases[i].want)
			fail_msg("migrations into %u: %u, want %u", cases[i].into,
				 aras_plan_migrations(p, cases[i].into), cases[i].want);
	/* a migration that finishes stops counting */
	aras_plan_get(p, 2)->state = ARAS_AS_SUCCEEDED;
	assert_int_equal(aras_plan_migrations(p, 0), 2);
	assert_int_equal(aras_plan_migrations(p, 2), 1);
	/* an approved proposal starts counting */
	aras_plan_get(p, 4)->state = ARAS_AS_APPROVED;
	assert_int_equal(aras_plan_migrations(p, 0), 3);
	assert_int_equal(aras_plan_migrations(p, 2), 2);
	aras_plan_free(p);
}

/* arasActionsRunning (approved or running) and arasProposalsWaiting. */
static void plan_tally_counts(void **state)
{
	static const int states[] = { ARAS_AS_PROPOSED, ARAS_AS_PROPOSED, ARAS_AS_APPROVED,
				      ARAS_AS_RUNNING,  ARAS_AS_RUNNING,  ARAS_AS_SUCCEEDED,
				      ARAS_AS_FAILED,   ARAS_AS_REJECTED, ARAS_AS_EXPIRED };
	struct aras_plan *p = must_new(16);
	unsigned active = 99, waiting = 99;

	(void)state;
	aras_plan_tally(NULL, &active, &waiting);
	assert_int_equal(active + waiting, 0);
	for (size_t i = 0; i < N_ELEM(states); i++)
		must_add(p, (uint32_t)i + 1, ARAS_KIND_MIGRATE, states[i], 1, 2);
	aras_plan_tally(p, &active, &waiting);
	assert_int_equal(active, 3);
	assert_int_equal(waiting, 2);
	aras_plan_get(p, 1)->state = ARAS_AS_APPROVED;
	aras_plan_get(p, 4)->state = ARAS_AS_FAILED;
	aras_plan_tally(p, &active, &waiting);
	assert_int_equal(active, 3);
	assert_int_equal(waiting, 1);
	aras_plan_free(p);
}

/* ---- check_decision --------------------------------------------------- */

static void plan_check_decision_codes(void **state)
{
	static const int states[] = { ARAS_AS_PROPOSED,  ARAS_AS_APPROVED, ARAS_AS_REJECTED, ARAS_AS_RUNNING,
				      ARAS_AS_SUCCEEDED, ARAS_AS_FAILED,   ARAS_AS_EXPIRED };
	static const struct {
		uint32_t index;
		int state;
		int want;
	} cases[] = {
		{ 1, ARAS_AS_APPROVED, 0 },
		{ 1, ARAS_AS_REJECTED, 0 },
		{ 1, ARAS_AS_PROPOSED, -ARAS_E_RANGE },
		{ 1, ARAS_AS_RUNNING, -ARAS_E_RANGE },
		{ 1, ARAS_AS_SUCCEEDED, -ARAS_E_RANGE },
		{ 1, ARAS_AS_FAILED, -ARAS_E_RANGE },
		{ 1, ARAS_AS_EXPIRED, -ARAS_E_RANGE },
		{ 1, 0, -ARAS_E_RANGE },
		{ 1, 8, -ARAS_E_RANGE },
		{ 1, -1, -ARAS_E_RANGE },
		{ 2, ARAS_AS_APPROVED, -ARAS_E_INCONSIST }, /* already approved */
		{ 2, ARAS_AS_REJECTED, -ARAS_E_INCONSIST },
		{ 3, ARAS_AS_APPROVED, -ARAS_E_INCONSIST }, /* rejected */
		{ 4, ARAS_AS_REJECTED, -ARAS_E_INCONSIST }, /* running */
		{ 5, ARAS_AS_APPROVED, -ARAS_E_INCONSIST }, /* succeeded */
		{ 6, ARAS_AS_REJECTED, -ARAS_E_INCONSIST }, /* failed */
		{ 7, ARAS_AS_APPROVED, -ARAS_E_INCONSIST }, /* expired */
		{ 4, 99, -ARAS_E_RANGE },                   /* a bad value before the state check */
		{ 0, ARAS_AS_APPROVED, -ARAS_E_NOENT },
		{ 8, ARAS_AS_APPROVED, -ARAS_E_NOENT },
		{ 8, 99, -ARAS_E_NOENT }, /* no such row wins over a bad value */
		{ UINT32_MAX, ARAS_AS_REJECTED, -ARAS_E_NOENT },
	};
	struct aras_plan *p = must_new(8);

	(void)state;
	for (size_t i = 0; i < N_ELEM(states); i++)
		must_add(p, (uint32_t)i + 1, ARAS_KIND_MIGRATE, states[i], 1, 2);
	for (size_t i = 0; i < N_ELEM(cases); i++) {
		int rc = aras_plan_check_decision(p, cases[i].index, cases[i].state);

		if (rc != cases[i].want)
			fail_msg("index %u state %d: rc %d, want %d", (unsigned)cases[i].index,
				 cases[i].state, rc, cases[i].want);
	}
	/* checking changes nothing */
	for (size_t i = 0; i < N_ELEM(states); i++)
		assert_int_equal(aras_plan_get(p, (uint32_t)i + 1)->state, states[i]);
	aras_plan_free(p);
}

/* ---- expire -------------------------------------------------------------- */

struct exp_rec {
	uint32_t index[16];
	int state[16];
	size_t n;
};

static void on_expire(struct aras_action *a, void *arg)
{
	struct exp_rec *r = arg;

	if (r->n < 16) {
		r->index[r->n] = a->index;
		r->state[r->n] = a->state;
	}
	r->n++;
}

static void plan_expire_old_proposals(void **state)
{
	/* timeout 900 s, now = T0 + 1000 s */
	static const struct {
		int state;
		uint64_t created_ms; /* relative to T0 */
		int expires;
	} acts[] = {
		{ ARAS_AS_PROPOSED, 0, 1 },      /* 1000 s old */
		{ ARAS_AS_PROPOSED, 100000, 1 }, /* exactly 900 s */
		{ ARAS_AS_PROPOSED, 100001, 0 }, /* 1 ms short */
		{ ARAS_AS_PROPOSED, 999999, 0 }, /* 1 ms old */
		{ ARAS_AS_APPROVED, 0, 0 },      /* only proposals expire */
		{ ARAS_AS_RUNNING, 0, 0 },       { ARAS_AS_REJECTED, 0, 0 },     { ARAS_AS_SUCCEEDED, 0, 0 },
		{ ARAS_AS_FAILED, 0, 0 },        { ARAS_AS_PROPOSED, 50000, 1 },
	};
	const uint64_t now = T0 + 1000000;
	struct aras_plan *p = must_new(16);
	struct exp_rec r;
	size_t want = 0, k = 0;

	(void)state;
	memset(&r, 0, sizeof(r));
	for (size_t i = 0; i < N_ELEM(acts); i++) {
		struct aras_action *a = must_add(p, (uint32_t)i + 1, ARAS_KIND_ADD_VCPU, acts[i].state, 1, 0);

		a->created_ms = T0 + acts[i].created_ms;
		want += (size_t)acts[i].expires;
	}
	assert_int_equal(aras_plan_expire(p, now, 900, on_expire, &r), want);
	assert_int_equal(r.n, want);
	for (size_t i = 0; i < N_ELEM(acts); i++) {
		const struct aras_action *a = aras_plan_get(p, (uint32_t)i + 1);
		int st = acts[i].expires ? ARAS_AS_EXPIRED : acts[i].state;

		if (a->state != st)
			fail_msg("action %zu (%s, %llu ms old): state %s, want %s", i + 1,
				 aras_astate_name(acts[i].state), (unsigned long long)(now - a->created_ms),
				 aras_astate_name(a->state), aras_astate_name(st));
		if (acts[i].expires) {
			assert_int_equal(a->finished_ms, now);
			/* the callback ran for it, in index order, with the state already set */
			if (k >= r.n || r.index[k] != i + 1 || r.state[k] != ARAS_AS_EXPIRED)
				fail_msg("callback %zu: index %u, want %zu expired", k,
					 k < r.n ? (unsigned)r.index[k] : 0, i + 1);
			k++;
		} else {
			assert_int_equal(a->finished_ms, 0);
		}
	}
	/* again: nothing more; later the 1 ms short one goes, without a callback */
	assert_int_equal(aras_plan_expire(p, now, 900, on_expire, &r), 0);
	assert_int_equal(r.n, want);
	assert_int_equal(aras_plan_expire(p, now + 1, 900, NULL, NULL), 1);
	assert_int_equal(aras_plan_get(p, 3)->state, ARAS_AS_EXPIRED);
	assert_int_equal(aras_plan_get(p, 4)->state, ARAS_AS_PROPOSED);
	aras_plan_free(p);
}

/* ---- names ------------------------------------------------------------- */

static void plan_names(void **state)
{
	static const struct {
		int v;
		const char *kind, *st;
	} cases[] = {
		{ -1, "unknown", "unknown" },     { 0, "unknown", "unknown" },
		{ 1, "addVcpu", "proposed" },     { 2, "growMemory", "approved" },
		{ 3, "addDisk", "rejected" },     { 4, "growDisk", "running" },
		{ 5, "migrate", "succeeded" },    { 6, "removeVcpu", "failed" },
		{ 7, "shrinkMemory", "expired" }, { 8, "start", "unknown" },
		{ 16, "restore", "unknown" },     { 17, "undefine", "unknown" },
		{ 18, "clone", "unknown" },       { 19, "unknown", "unknown" },
		{ 1000, "unknown", "unknown" },
	};

	(void)state;
	for (size_t i = 0; i < N_ELEM(cases); i++) {
		if (strcmp(aras_kind_name(cases[i].v), cases[i].kind) != 0 ||
		    strcmp(aras_astate_name(cases[i].v), cases[i].st) != 0)
			fail_msg("%d: kind '%s' state '%s', want '%s' '%s'", cases[i].v,
				 aras_kind_name(cases[i].v), aras_astate_name(cases[i].v), cases[i].kind,
				 cases[i].st);
	}
	/* the enums are the MIB's numbers */
	assert_int_equal(ARAS_KIND_MIGRATE, 5);
	assert_int_equal(ARAS_KIND_SHUTDOWN_FORCE, 10);
	assert_int_equal(ARAS_KIND_RESTORE, 16);
	assert_int_equal(ARAS_AS_EXPIRED, 7);
	assert_int_equal(ARAS_ORIGIN_MAINTENANCE, 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(plan_new_and_free),
		cmocka_unit_test(plan_add_get_at_count),
		cmocka_unit_test(plan_index_order_across_drops),
		cmocka_unit_test(plan_full_drops_oldest_finished),
		cmocka_unit_test(plan_hooks_see_the_stored_action),
		cmocka_unit_test(plan_action_finished),
		cmocka_unit_test(plan_open_for),
		cmocka_unit_test(plan_migrations_count),
		cmocka_unit_test(plan_tally_counts),
		cmocka_unit_test(plan_check_decision_codes),
		cmocka_unit_test(plan_expire_old_proposals),
		cmocka_unit_test(plan_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
