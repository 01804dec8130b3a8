/*
 * test_evlog.c - the bounded event log behind arasEventTable
 * (src/core/evlog.c): rising indexes, dropping the oldest when full, the
 * added/dropped hooks, lookups by index and by position, resizing.
 *
 * Every event carries its own index in alert.value, so any entry found can
 * be checked against the index it was found by.
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

#include "core/alert.h"
#include "core/aras.h"
#include "core/evlog.h"

/* ---- helpers ----------------------------------------------------------- */

static struct aras_evlog *must_new(size_t capacity)
{
	struct aras_evlog *l = NULL;

	if (aras_evlog_new(&l, capacity) != 0 || !l)
		fail_msg("aras_evlog_new(%zu) failed", capacity);
	return l;
}

/* The n-th alert added (n from 1): its value is n, so it names itself. */
static void mkalert(struct aras_alert *a, uint32_t n)
{
	memset(a, 0, sizeof(*a));
	a->type = n % 2 ? ARAS_EV_BREACH : ARAS_EV_CLEAR;
	a->when = (time_t)(1700000000 + n);
	a->has_vm = 1;
	a->uuid[0] = (uint8_t)n;
	snprintf(a->vm_name, sizeof(a->vm_name), "vm-%u", (unsigned)n);
	a->host_index = 1;
	snprintf(a->host_name, sizeof(a->host_name), "alpha");
	a->resource = ARAS_RES_CPU;
	a->value = n;
	a->threshold = 80;
	snprintf(a->text, sizeof(a->text), "event number %u", (unsigned)n);
}

static struct aras_event *add_n(struct aras_evlog *l, uint32_t n)
{
	struct aras_alert a;
	struct aras_event *e;

	mkalert(&a, n);
	e = aras_evlog_add(l, &a);
	if (!e)
		fail_msg("add of alert %u returned NULL", (unsigned)n);
	return e;
}

/* The log holds exactly the events first..last (by index), oldest first. */
static void check_window(const struct aras_evlog *l, const char *what, uint32_t first, uint32_t last)
{
	size_t n = (size_t)(last - first) + 1;

	if (first > last)
		n = 0;
	if (aras_evlog_count(l) != n)
		fail_msg("%s: count %zu, want %zu", what, aras_evlog_count(l), n);
	for (size_t i = 0; i < n; i++) {
		struct aras_event *e = aras_evlog_at(l, i);
		uint32_t want = first + (uint32_t)i;

		if (!e || e->index != want || e->a.value != want)
			fail_msg("%s: at(%zu) index %u value %u, want %u", what, i,
				 e ? (unsigned)e->index : 0, e ? e->a.value : 0, (unsigned)want);
		if (aras_evlog_get(l, want) != e)
			fail_msg("%s: get(%u) is not at(%zu)", what, (unsigned)want, i);
	}
	if (aras_evlog_at(l, n) != NULL)
		fail_msg("%s: at(%zu) past the end is not NULL", what, n);
}

/* ---- indexes ------------------------------------------------------------ */

static void indexes_rise_from_one(void **state)
{
	struct aras_evlog *l = must_new(8);

	(void)state;
	assert_int_equal(aras_evlog_count(l), 0);
	assert_int_equal(aras_evlog_dropped(l), 0);
	assert_null(aras_evlog_at(l, 0));
	assert_null(aras_evlog_get(l, 1));
	assert_null(aras_evlog_get(l, 0));
	for (uint32_t n = 1; n <= 5; n++) {
		struct aras_alert a;
		struct aras_event *e;

		mkalert(&a, n);
		e = aras_evlog_add(l, &a);
		assert_non_null(e);
		assert_int_equal(e->index, n);
		assert_ptr_equal(aras_evlog_get(l, n), e);
		assert_null(e->priv);
		/* a copy of everything */
		if (memcmp(&e->a, &a, sizeof(a)) != 0)
			fail_msg("event %u is not a copy of its alert", (unsigned)n);
		assert_string_equal(e->a.text, a.text);
	}
	check_window(l, "5 in 8", 1, 5);
	assert_int_equal(aras_evlog_dropped(l), 0);
	aras_evlog_free(l);
}

/* The stored event is a copy: changing the caller's alert afterwards does nothing. */
static void add_copies_the_alert(void **state)
{
	struct aras_evlog *l = must_new(2);
	struct aras_alert a;

	(void)state;
	mkalert(&a, 1);
	add_n(l, 1);
	memset(&a, 0xff, sizeof(a));
	mkalert(&a, 1);
	a.value = 999;
	snprintf(a.text, sizeof(a.text), "changed");
	assert_int_equal(aras_evlog_get(l, 1)->a.value, 1);
	assert_string_equal(aras_evlog_get(l, 1)->a.text, "event number 1");
	aras_evlog_free(l);
}

/* A reused slot does not carry the dropped event's priv (the adapter's row) over. */
static void reused_slot_priv_reset(void **state)
{
	struct aras_evlog *l = must_new(1);
	static int row;

	(void)state;
	add_n(l, 1)->priv = &row;
	assert_null(add_n(l, 2)->priv);
	assert_null(aras_evlog_get(l, 2)->priv);
	assert_int_equal(aras_evlog_get(l, 2)->a.value, 2);
	aras_evlog_free(l);
}

/* ---- overflow ---------------------------------------------------------- */

static const struct {
	size_t capacity;
	uint32_t adds;
} overflow_cases[] = {
	{ 1, 1 }, { 1, 2 },  { 1, 50 },  { 3, 3 },   { 3, 4 },     { 3, 10 },   { 4, 8 },
	{ 4, 9 }, { 10, 9 }, { 10, 10 }, { 10, 11 }, { 10, 1000 }, { 7, 1001 },
};

static void overflow_drops_oldest(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEM(overflow_cases); i++) {
		size_t cap = overflow_cases[i].capacity;
		uint32_t adds = overflow_cases[i].adds;
		uint32_t kept = adds < cap ? adds : (uint32_t)cap;
		struct aras_evlog *l = must_new(cap);
		char what[64];

		snprintf(what, sizeof(what), "capacity %zu, %u adds", cap, (unsigned)adds);
		for (uint32_t n = 1; n <= adds; n++)
			add_n(l, n);
		check_window(l, what, adds - kept + 1, adds);
		if (aras_evlog_dropped(l) != adds - kept)
			fail_msg("%s: dropped %u, want %u", what, (unsigned)aras_evlog_dropped(l),
				 (unsigned)(adds - kept));
		aras_evlog_free(l);
	}
}

/* get() for dropped, kept and future indexes. */
static void get_by_index(void **state)
{
	struct aras_evlog *l = must_new(3);
	static const struct {
		uint32_t index;
		int found;
	} q[] = {
		{ 0, 0 },  { 1, 0 },  { 6, 0 },  { 7, 0 },    { 8, 1 },          { 9, 1 },
		{ 10, 1 }, { 11, 0 }, { 12, 0 }, { 1000, 0 }, { UINT32_MAX, 0 }, { UINT32_MAX - 1, 0 },
	};

	(void)state;
	for (uint32_t n = 1; n <= 10; n++)
		add_n(l, n);
	for (size_t i = 0; i < N_ELEM(q); i++) {
		struct aras_event *e = aras_evlog_get(l, q[i].index);

		if (!!e != q[i].found)
			fail_msg("get(%u) %s, want %s", (unsigned)q[i].index, e ? "found" : "NULL",
				 q[i].found ? "found" : "NULL");
		if (e && (e->index != q[i].index || e->a.value != q[i].index))
			fail_msg("get(%u) returned index %u value %u", (unsigned)q[i].index,
				 (unsigned)e->index, e->a.value);
	}
	aras_evlog_free(l);
}

/* ---- hooks ----------------------------------------------------------------- */

#define REC_MAX 64

struct rec {
	size_t n;
	char kind[REC_MAX]; /* 'a' added, 'd' dropped */
	uint32_t index[REC_MAX];
	unsigned value[REC_MAX];
	size_t count_at[REC_MAX]; /* aras_evlog_count() when called */
	const struct aras_evlog *l;
	int bad_priv;
};

static void on_added(struct aras_event *e, void *arg)
{
	struct rec *r = arg;

	if (r->n < REC_MAX) {
		r->kind[r->n] = 'a';
		r->index[r->n] = e->index;
		r->value[r->n] = e->a.value;
		r->count_at[r->n] = aras_evlog_count(r->l);
	}
	r->n++;
	/* what the SNMP adapter does: hang its row on the event */
	e->priv = (void *)(uintptr_t)(0x1000u + e->index);
}

static void on_dropped(struct aras_event *e, void *arg)
{
	struct rec *r = arg;

	if (r->n < REC_MAX) {
		r->kind[r->n] = 'd';
		r->index[r->n] = e->index;
		r->value[r->n] = e->a.value;
		r->count_at[r->n] = aras_evlog_count(r->l);
	}
	r->n++;
	/* the row is still there to be removed */
	if (e->priv != (void *)(uintptr_t)(0x1000u + e->index))
		r->bad_priv++;
}

static void set_rec(struct aras_evlog *l, struct rec *r)
{
	struct aras_evlog_hooks h = { on_added, on_dropped, r };

	memset(r, 0, sizeof(*r));
	r->l = l;
	aras_evlog_set_hooks(l, &h);
}

static void check_rec(const struct rec *r, const char *what, const char *kinds, const uint32_t *indexes)
{
	size_t n = strlen(kinds);

	if (r->n != n)
		fail_msg("%s: %zu hook calls, want %zu", what, r->n, n);
	for (size_t i = 0; i < n; i++)
		if (r->kind[i] != kinds[i] || r->index[i] != indexes[i] || r->value[i] != indexes[i])
			fail_msg("%s: hook call %zu: %c(%u, value %u), want %c(%u)", what, i, r->kind[i],
				 (unsigned)r->index[i], r->value[i], kinds[i], (unsigned)indexes[i]);
	if (r->bad_priv)
		fail_msg("%s: %d dropped events had lost their priv", what, r->bad_priv);
}

static void hooks_added_and_dropped(void **state)
{
	struct aras_evlog *l = must_new(2);
	struct rec r;
	static const uint32_t want[] = { 1, 2, 1, 3, 2, 4, 3, 5 };

	(void)state;
	set_rec(l, &r);
	for (uint32_t n = 1; n <= 5; n++) {
		struct aras_event *e = add_n(l, n);

		/* the added hook saw the final event */
		assert_ptr_equal(e->priv, (void *)(uintptr_t)(0x1000u + n));
	}
	/* each drop comes just before the add that needs its slot */
	check_rec(&r, "capacity 2, 5 adds", "aadadada", want);
	/* the added hook runs with the new event counted */
	for (size_t i = 0; i < r.n; i++)
		if (r.kind[i] == 'a' && r.count_at[i] != (r.index[i] < 2 ? r.index[i] : 2))
			fail_msg("added(%u) saw count %zu", (unsigned)r.index[i], r.count_at[i]);
	assert_int_equal(aras_evlog_dropped(l), 3);
	check_window(l, "after hooks", 4, 5);
	aras_evlog_free(l);
}

/* The dropped hook is called before the slot is overwritten: it sees the old content. */
static void hooks_dropped_sees_old_content(void **state)
{
	struct aras_evlog *l = must_new(1);
	struct rec r;
	static const uint32_t want[] = { 1, 1, 2, 2, 3 };

	(void)state;
	set_rec(l, &r);
	for (uint32_t n = 1; n <= 3; n++)
		add_n(l, n);
	check_rec(&r, "capacity 1", "adada", want);
	aras_evlog_free(l);
}

/* Hooks may be replaced by an empty set: adds and drops still work. */
static void hooks_none(void **state)
{
	struct aras_evlog *l = must_new(2);
	struct aras_evlog_hooks none = { NULL, NULL, NULL };
	struct rec r;

	(void)state;
	set_rec(l, &r);
	add_n(l, 1);
	aras_evlog_set_hooks(l, &none);
	for (uint32_t n = 2; n <= 6; n++)
		add_n(l, n);
	assert_int_equal(r.n, 1);
	check_window(l, "no hooks", 5, 6);
	assert_int_equal(aras_evlog_resize(l, 1), 0);
	check_window(l, "no hooks, resized", 6, 6);
	aras_evlog_free(l);
}

/* ---- resize ---------------------------------------------------------- */

static void resize_smaller_drops_oldest(void **state)
{
	struct aras_evlog *l = must_new(5);
	struct rec r;
	static const uint32_t want[] = { 1, 2, 3 };
	static const uint32_t want_after[] = { 1, 2, 3, 4, 6, 5, 7 };

	(void)state;
	for (uint32_t n = 1; n <= 5; n++)
		add_n(l, n);
	set_rec(l, &r);
	/* the added hook was not there for 1..5: give them the rows it would have */
	for (size_t i = 0; i < 5; i++)
		aras_evlog_at(l, i)->priv = (void *)(uintptr_t)(0x1000u + aras_evlog_at(l, i)->index);
	assert_int_equal(aras_evlog_resize(l, 2), 0);
	check_rec(&r, "resize 5 -> 2", "ddd", want);
	assert_int_equal(aras_evlog_dropped(l), 3);
	check_window(l, "resize 5 -> 2", 4, 5);
	assert_null(aras_evlog_get(l, 3));
	/* full at the new capacity */
	add_n(l, 6);
	add_n(l, 7);
	check_rec(&r, "after resize", "ddddada", want_after);
	check_window(l, "after resize", 6, 7);
	assert_int_equal(aras_evlog_dropped(l), 5);
	aras_evlog_free(l);
}

/* Growing keeps the order even when the ring had wrapped (head not at slot 0). */
static void resize_larger_keeps_order(void **state)
{
	static const struct {
		size_t from, to;
		uint32_t adds_before, adds_after;
	} cases[] = {
		{ 3, 6, 5, 3 }, { 3, 6, 5, 4 },    { 3, 6, 5, 10 }, { 4, 5, 2, 1 },
		{ 4, 5, 2, 5 }, { 1, 100, 7, 99 }, { 5, 5, 12, 3 }, { 7, 8, 20, 1 },
	};

	(void)state;
	for (size_t i = 0; i < N_ELEM(cases); i++) {
		struct aras_evlog *l = must_new(cases[i].from);
		uint32_t n, total = cases[i].adds_before + cases[i].adds_after;
		uint32_t kept =
			cases[i].adds_before < cases[i].from ? cases[i].adds_before : (uint32_t)cases[i].from;
		uint32_t kept2 = kept + cases[i].adds_after < cases[i].to ? kept + cases[i].adds_after :
									    (uint32_t)cases[i].to;
		char what[80];

		for (n = 1; n <= cases[i].adds_before; n++)
			add_n(l, n);
		assert_int_equal(aras_evlog_resize(l, cases[i].to), 0);
		snprintf(what, sizeof(what), "%zu -> %zu after %u", cases[i].from, cases[i].to,
			 (unsigned)cases[i].adds_before);
		check_window(l, what, cases[i].adds_before - kept + 1, cases[i].adds_before);
		assert_int_equal(aras_evlog_dropped(l), cases[i].adds_before - kept);
		for (; n <= total; n++)
			add_n(l, n);
		snprintf(what, sizeof(what), "%zu -> %zu after %u, then %u", cases[i].from, cases[i].to,
			 (unsigned)cases[i].adds_before, (unsigned)cases[i].adds_after);
		check_window(l, what, total - kept2 + 1, total);
		if (aras_evlog_dropped(l) != total - kept2)
			fail_msg("%s: dropped %u, want %u", what, (unsigned)aras_evlog_dropped(l),
				 (unsigned)(total - kept2));
		aras_evlog_free(l);
	}
}

static void resize_zero_refused(void **state)
{
	struct aras_evlog *l = must_new(3);

	(void)state;
	for (uint32_t n = 1; n <= 4; n++)
		add_n(l, n);
	assert_int_equal(aras_evlog_resize(l, 0), -ARAS_E_RANGE);
	check_window(l, "after resize 0", 2, 4);
	assert_int_equal(aras_evlog_dropped(l), 1);
	aras_evlog_free(l);
}

static void new_zero_capacity_fails(void **state)
{
	struct aras_evlog *l = NULL;

	(void)state;
	assert_true(aras_evlog_new(&l, 0) < 0);
	assert_null(l);
	aras_evlog_free(NULL);
}

/*
 * get() arithmetic through many adds on small rings, with resizes mixed
 * in so the oldest entry sits at every slot: after every add every kept
 * index is found where at() has it, and the indexes just outside the
 * window are not.
 */
static void get_matches_at_through_many_adds(void **state)
{
	static const size_t sizes[] = { 1, 2, 3, 7, 16 };

	(void)state;
	for (size_t k = 0; k < N_ELEM(sizes); k++) {
		struct aras_evlog *l = must_new(sizes[k]);
		uint32_t dropped = 0;

		for (uint32_t n = 1; n <= 3000; n++) {
			size_t before = aras_evlog_count(l);
			uint32_t first;

			if (n % 97 == 0) {
				size_t to = 1 + (n * 7u) % 11;

				if (aras_evlog_resize(l, to) != 0)
					fail_msg("resize(%zu) failed", to);
				if (before > to)
					dropped += (uint32_t)(before - to);
				before = aras_evlog_count(l);
			}
			add_n(l, n);
			if (aras_evlog_count(l) == before)
				dropped++;
			first = n - (uint32_t)aras_evlog_count(l) + 1;
			if (aras_evlog_dropped(l) != dropped)
				fail_msg("size %zu, add %u: dropped %u, want %u", sizes[k], (unsigned)n,
					 (unsigned)aras_evlog_dropped(l), (unsigned)dropped);
			if (first != dropped + 1)
				fail_msg("size %zu, add %u: oldest %u, want %u", sizes[k], (unsigned)n,
					 (unsigned)first, (unsigned)(dropped + 1));
			check_window(l, "many adds", first, n);
			if (aras_evlog_get(l, first - 1) || aras_evlog_get(l, n + 1) ||
			    aras_evlog_get(l, n + 1000) || aras_evlog_get(l, 0))
				fail_msg("size %zu, add %u: an index outside %u..%u was found", sizes[k],
					 (unsigned)n, (unsigned)first, (unsigned)n);
		}
		aras_evlog_free(l);
	}
}

/* ---- index wrap ------------------------------------------------------ */

/*
 * The log's private layout (src/core/evlog.c), used only to start the
 * index near UINT32_MAX without 2^32 adds (about 2 minutes).  Checked
 * against the public API before it is written to; with ARAS_UNIT_SLOW=1
 * the test does the real adds instead and needs no layout at all.
 */
struct evlog_layout {
	struct aras_event **ring;
	size_t capacity;
	size_t head;
	size_t count;
	uint32_t next_index;
	uint32_t dropped;
	struct aras_evlog_hooks hooks;
};

static void start_index_at(struct aras_evlog *l, uint32_t next)
{
	struct evlog_layout *x = (struct evlog_layout *)(void *)l;

	if (getenv("ARAS_UNIT_SLOW")) {
		uint32_t n = aras_evlog_at(l, aras_evlog_count(l) - 1)->index;
		struct aras_alert a;

		mkalert(&a, 0);
		while (n + 1 != next)
			n = aras_evlog_add(l, &a)->index;
		return;
	}
	/* 4 entries added to a fresh log of capacity 4: verify the layout */
	if (x->capacity != 4 || x->count != aras_evlog_count(l) || x->next_index != 5 ||
	    x->dropped != aras_evlog_dropped(l) || x->head != 0 || x->ring[0] != aras_evlog_at(l, 0) ||
	    x->ring[3] != aras_evlog_at(l, 3))
		fail_msg("struct aras_evlog changed: update evlog_layout in this test, or run it "
			 "with ARAS_UNIT_SLOW=1");
	x->next_index = next;
}

/*
 * Regression (was a bug in aras_evlog_get, fixed in 955595c): indexes skip 0
 * at the wrap (..., 4294967295, 1, 2, ...) but get() computed the position
 * as index - oldest->index, which counted the skipped 0: across the wrap
 * get(1) returned the event with index 2 and get() of the newest index
 * returned NULL.
 */
static void regress_evlog_get_across_index_wrap(void **state)
{
	struct aras_evlog *l = must_new(4);
	static const uint32_t want[] = { UINT32_MAX - 1, UINT32_MAX, 1, 2 };

	(void)state;
	for (uint32_t n = 1; n <= 4; n++)
		add_n(l, n);
	start_index_at(l, UINT32_MAX - 1);
	for (size_t i = 0; i < N_ELEM(want); i++) {
		struct aras_event *e = add_n(l, want[i]);

		assert_int_equal(e->index, want[i]); /* 0 is skipped */
	}
	assert_int_equal(aras_evlog_count(l), 4);
	for (size_t i = 0; i < N_ELEM(want); i++) {
		struct aras_event *e = aras_evlog_get(l, want[i]);

		assert_int_equal(aras_evlog_at(l, i)->index, want[i]);
		if (!e || e->index != want[i])
			fail_msg("get(%u) returned %s%u, want the event with that index", (unsigned)want[i],
				 e ? "index " : "NULL ", e ? (unsigned)e->index : 0);
	}
	assert_null(aras_evlog_get(l, 0));
	assert_null(aras_evlog_get(l, 3));
	assert_null(aras_evlog_get(l, UINT32_MAX - 2));
	aras_evlog_free(l);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(indexes_rise_from_one),
		cmocka_unit_test(add_copies_the_alert),
		cmocka_unit_test(reused_slot_priv_reset),
		cmocka_unit_test(overflow_drops_oldest),
		cmocka_unit_test(get_by_index),
		cmocka_unit_test(hooks_added_and_dropped),
		cmocka_unit_test(hooks_dropped_sees_old_content),
		cmocka_unit_test(hooks_none),
		cmocka_unit_test(resize_smaller_drops_oldest),
		cmocka_unit_test(resize_larger_keeps_order),
		cmocka_unit_test(resize_zero_refused),
		cmocka_unit_test(new_zero_capacity_fails),
		cmocka_unit_test(get_matches_at_through_many_adds),
		cmocka_unit_test(regress_evlog_get_across_index_wrap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
