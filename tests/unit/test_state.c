/*
 * test_state.c - run-time state that survives restarts (src/core/state.c):
 * per-VM preferences sorted by UUID, the persisted-settings mask, atomic
 * save, and load that merges or, on a bad line, reports path:line and
 * changes nothing.
 *
 * Files live in a private mkdtemp directory under /tmp, removed by the
 * teardown.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "testlib.h"

#include "core/aras.h"
#include "core/settings.h"
#include "core/state.h"

/* ---- helpers ----------------------------------------------------------- */

/* A UUID whose memcmp order is the order of key (testlib.h). */
static void mkuuid(uint8_t u[ARAS_UUID_LEN], uint32_t key)
{
	test_uuid(u, key, 11, 0x80);
}

static void set_ok(struct aras_state *st, uint32_t key, int field, unsigned value)
{
	uint8_t u[ARAS_UUID_LEN];
	int rc;

	mkuuid(u, key);
	rc = aras_state_set_pref(st, u, field, value);
	if (rc != 0)
		fail_msg("set_pref(key %u, field %d, %u) = %d", (unsigned)key, field, value, rc);
}

static unsigned pref(const struct aras_state *st, uint32_t key, int field)
{
	uint8_t u[ARAS_UUID_LEN];

	mkuuid(u, key);
	return aras_state_pref(st, u, field);
}

static void assert_sorted(const struct aras_state *st, const char *what)
{
	for (size_t i = 1; i < st->nprefs; i++)
		if (memcmp(st->prefs[i - 1].uuid, st->prefs[i].uuid, ARAS_UUID_LEN) >= 0)
			fail_msg("%s: prefs[%zu] and prefs[%zu] out of order (or duplicate)", what, i - 1, i);
}

/* Every pref entry has at least one non-zero field. */
static void assert_no_empty(const struct aras_state *st, const char *what)
{
	for (size_t i = 0; i < st->nprefs; i++) {
		const struct aras_vm_prefs *p = &st->prefs[i];

		if (!p->priority && !p->thr[0] && !p->thr[1] && !p->thr[2] && !p->opt_out)
			fail_msg("%s: prefs[%zu] is all zero and should have been dropped", what, i);
	}
}

/* a and b hold the same settings, mask and prefs. */
static void assert_same(const struct aras_state *a, const struct aras_state *b, const char *what)
{
	for (int i = 0; i < ARAS_S_COUNT; i++)
		if (a->settings.v[i] != b->settings.v[i])
			fail_msg("%s: setting %s is %u, want %u", what, aras_setting_defs[i].token,
				 (unsigned)a->settings.v[i], (unsigned)b->settings.v[i]);
	if (a->persisted != b->persisted)
		fail_msg("%s: persisted mask 0x%x, want 0x%x", what, (unsigned)a->persisted,
			 (unsigned)b->persisted);
	if (a->nprefs != b->nprefs)
		fail_msg("%s: %zu VM prefs, want %zu", what, a->nprefs, b->nprefs);
	for (size_t i = 0; i < a->nprefs; i++)
		if (memcmp(&a->prefs[i], &b->prefs[i], sizeof(a->prefs[i])) != 0)
			fail_msg("%s: VM prefs %zu differ", what, i);
	if (a->nmaint != b->nmaint)
		fail_msg("%s: %zu hosts in maintenance, want %zu", what, a->nmaint, b->nmaint);
	for (size_t i = 0; i < a->nmaint; i++)
		if (!aras_state_maintenance(b, a->maint[i]))
			fail_msg("%s: host %u in maintenance, want not", what, a->maint[i]);
	if (a->ngroups != b->ngroups)
		fail_msg("%s: %zu groups, want %zu", what, a->ngroups, b->ngroups);
	for (size_t i = 0; i < a->ngroups; i++)
		if (strcmp(a->groups[i].name, b->groups[i].name) != 0 ||
		    a->groups[i].rule != b->groups[i].rule ||
		    strcmp(a->groups[i].hosts, b->groups[i].hosts) != 0 ||
		    a->groups[i].active != b->groups[i].active)
			fail_msg("%s: group %zu is %s/%d/%s/%d, want %s/%d/%s/%d", what, i, a->groups[i].name,
				 a->groups[i].rule, a->groups[i].hosts, a->groups[i].active,
				 b->groups[i].name, b->groups[i].rule, b->groups[i].hosts,
				 b->groups[i].active);
}

struct fx {
	char dir[64];
	char path[128];
	char why[512];
};

static int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));

	if (!f)
		return -1;
	snprintf(f->dir, sizeof(f->dir), "/tmp/arasd-test-state.XXXXXX");
	if (!mkdtemp(f->dir)) {
		free(f);
		return -1;
	}
	snprintf(f->path, sizeof(f->path), "%s/state", f->dir);
	*state = f;
	return 0;
}

/* Remove everything in the directory (one level; tests create no subtrees). */
static int fx_teardown(void **state)
{
	struct fx *f = *state;
	DIR *d = opendir(f->dir);
	struct dirent *de;

	while (d && (de = readdir(d))) {
		char p[400];

		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(p, sizeof(p), "%s/%s", f->dir, de->d_name);
		if (unlink(p) != 0)
			rmdir(p);
	}
	if (d)
		closedir(d);
	rmdir(f->dir);
	free(f);
	return 0;
}

#define FX_TEST(fn) cmocka_unit_test_setup_teardown(fn, fx_setup, fx_teardown)

static void write_file(const char *path, const char *text)
{
	FILE *fp = fopen(path, "w");

	if (!fp || fputs(text, fp) < 0 || fclose(fp) != 0)
		fail_msg("cannot write %s", path);
}

static char *read_file(const char *path)
{
	static char buf[8192];
	FILE *fp = fopen(path, "r");
	size_t n;

	if (!fp)
		fail_msg("cannot read %s", path);
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	buf[n] = '\0';
	fclose(fp);
	return buf;
}

static int exists(const char *path)
{
	struct stat sb;

	return stat(path, &sb) == 0;
}

/* ---- prefs in memory ------------------------------------------------------ */

static const struct {
	int field;
	unsigned value;
} roundtrip_cases[] = {
	{ ARAS_PREF_PRIORITY, 1 },   { ARAS_PREF_PRIORITY, 50 }, { ARAS_PREF_PRIORITY, 100 },
	{ ARAS_PREF_THR_CPU, 1 },    { ARAS_PREF_THR_CPU, 75 },  { ARAS_PREF_THR_CPU, 100 },
	{ ARAS_PREF_THR_MEM, 42 },   { ARAS_PREF_THR_MEM, 100 }, { ARAS_PREF_THR_DISK, 3 },
	{ ARAS_PREF_THR_DISK, 100 }, { ARAS_PREF_OPT_OUT, 1 },
};

static void pref_roundtrip(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEM(roundtrip_cases); i++) {
		struct aras_state st;
		const struct aras_vm_prefs *p;
		uint8_t u[ARAS_UUID_LEN];
		int f = roundtrip_cases[i].field;
		unsigned v = roundtrip_cases[i].value;
		unsigned want[ARAS_PREF_COUNT] = { 0 };

		aras_state_init(&st);
		want[f] = v;
		set_ok(&st, 7, f, v);
		mkuuid(u, 7);
		p = aras_state_find_prefs(&st, u);
		if (!p || st.nprefs != 1 || memcmp(p->uuid, u, ARAS_UUID_LEN) != 0)
			fail_msg("field %d = %u: no prefs entry found", f, v);
		if (p->priority != want[ARAS_PREF_PRIORITY] || p->thr[0] != want[ARAS_PREF_THR_CPU] ||
		    p->thr[1] != want[ARAS_PREF_THR_MEM] || p->thr[2] != want[ARAS_PREF_THR_DISK] ||
		    (unsigned)p->opt_out != want[ARAS_PREF_OPT_OUT])
			fail_msg("field %d = %u: struct holds %u/%u/%u/%u/%d", f, v, p->priority, p->thr[0],
				 p->thr[1], p->thr[2], p->opt_out);
		for (int k = 0; k < ARAS_PREF_COUNT; k++)
			if (pref(&st, 7, k) != want[k])
				fail_msg("field %d = %u: pref(%d) = %u, want %u", f, v, k, pref(&st, 7, k),
					 want[k]);
		/* other VMs have none */
		assert_int_equal(pref(&st, 8, f), 0);
		mkuuid(u, 6);
		assert_null(aras_state_find_prefs(&st, u));
		aras_state_free(&st);
	}
}

/* All fields of one VM together, overwritten, read back. */
static void pref_all_fields(void **state)
{
	struct aras_state st;

	(void)state;
	aras_state_init(&st);
	set_ok(&st, 1, ARAS_PREF_PRIORITY, 10);
	set_ok(&st, 1, ARAS_PREF_THR_CPU, 20);
	set_ok(&st, 1, ARAS_PREF_THR_MEM, 30);
	set_ok(&st, 1, ARAS_PREF_THR_DISK, 40);
	set_ok(&st, 1, ARAS_PREF_OPT_OUT, 1);
	set_ok(&st, 1, ARAS_PREF_THR_MEM, 31);
	assert_int_equal(st.nprefs, 1);
	assert_int_equal(pref(&st, 1, ARAS_PREF_PRIORITY), 10);
	assert_int_equal(pref(&st, 1, ARAS_PREF_THR_CPU), 20);
	assert_int_equal(pref(&st, 1, ARAS_PREF_THR_MEM), 31);
	assert_int_equal(pref(&st, 1, ARAS_PREF_THR_DISK), 40);
	assert_int_equal(pref(&st, 1, ARAS_PREF_OPT_OUT), 1);
	/* a field number out of range reads as 0 */
	assert_int_equal(pref(&st, 1, ARAS_PREF_COUNT), 0);
	assert_int_equal(pref(&st, 1, -1), 0);
	aras_state_free(&st);
}

/* Random insertion order, then removals: always sorted, always findable. */
static void prefs_sorted_random_order(void **state)
{
	enum { N = 300 };
	static uint32_t keys[N];
	struct aras_state st;
	uint32_t x = 12345;

	(void)state;
	for (uint32_t i = 0; i < N; i++)
		keys[i] = i * 2654435761u; /* spread over the whole key space */
	for (uint32_t i = N - 1; i > 0; i--) {
		uint32_t j, t;

		x = x * 1103515245u + 12345u;
		j = (x >> 8) % (i + 1);
		t = keys[i];
		keys[i] = keys[j];
		keys[j] = t;
	}
	aras_state_init(&st);
	for (uint32_t i = 0; i < N; i++) {
		set_ok(&st, keys[i], ARAS_PREF_PRIORITY, 1 + i % 100);
		if (st.nprefs != i + 1)
			fail_msg("after %u inserts nprefs = %zu", (unsigned)(i + 1), st.nprefs);
	}
	assert_sorted(&st, "after inserts");
	for (uint32_t i = 0; i < N; i++)
		if (pref(&st, keys[i], ARAS_PREF_PRIORITY) != 1 + i % 100)
			fail_msg("key %u: priority %u, want %u", (unsigned)keys[i],
				 pref(&st, keys[i], ARAS_PREF_PRIORITY), (unsigned)(1 + i % 100));
	/* setting again does not duplicate */
	for (uint32_t i = 0; i < N; i += 3)
		set_ok(&st, keys[i], ARAS_PREF_THR_DISK, 55);
	assert_int_equal(st.nprefs, N);
	assert_sorted(&st, "after updates");
	/* remove every other one, in the shuffled order */
	for (uint32_t i = 0; i < N; i += 2) {
		set_ok(&st, keys[i], ARAS_PREF_PRIORITY, 0);
		set_ok(&st, keys[i], ARAS_PREF_THR_DISK, 0);
	}
	assert_int_equal(st.nprefs, N / 2);
	assert_sorted(&st, "after removals");
	for (uint32_t i = 0; i < N; i++) {
		uint8_t u[ARAS_UUID_LEN];
		int found;

		mkuuid(u, keys[i]);
		found = aras_state_find_prefs(&st, u) != NULL;
		if (found != (int)(i % 2))
			fail_msg("key %u: found %d, want %d", (unsigned)keys[i], found, (int)(i % 2));
	}
	aras_state_free(&st);
	assert_int_equal(st.nprefs, 0);
	assert_null(st.prefs);
}

/* A VM whose prefs all return to 0 is dropped; a 0 for an unknown VM adds nothing. */
static void prefs_all_zero_dropped(void **state)
{
	struct aras_state st;
	uint8_t u[ARAS_UUID_LEN];

	(void)state;
	aras_state_init(&st);
	for (int f = 0; f < ARAS_PREF_COUNT; f++)
		set_ok(&st, 5, f, 0);
	assert_int_equal(st.nprefs, 0);
	set_ok(&st, 4, ARAS_PREF_PRIORITY, 1);
	set_ok(&st, 5, ARAS_PREF_PRIORITY, 5);
	set_ok(&st, 5, ARAS_PREF_THR_CPU, 50);
	set_ok(&st, 5, ARAS_PREF_OPT_OUT, 1);
	set_ok(&st, 6, ARAS_PREF_OPT_OUT, 1);
	assert_int_equal(st.nprefs, 3);
	set_ok(&st, 5, ARAS_PREF_PRIORITY, 0);
	assert_int_equal(st.nprefs, 3);
	set_ok(&st, 5, ARAS_PREF_OPT_OUT, 0);
	assert_int_equal(st.nprefs, 3);
	set_ok(&st, 5, ARAS_PREF_THR_CPU, 0);
	assert_int_equal(st.nprefs, 2);
	mkuuid(u, 5);
	assert_null(aras_state_find_prefs(&st, u));
	assert_no_empty(&st, "after dropping 5");
	assert_sorted(&st, "after dropping 5");
	/* the neighbours are intact */
	assert_int_equal(pref(&st, 4, ARAS_PREF_PRIORITY), 1);
	assert_int_equal(pref(&st, 6, ARAS_PREF_OPT_OUT), 1);
	/* first and last entries can go too */
	set_ok(&st, 6, ARAS_PREF_OPT_OUT, 0);
	set_ok(&st, 4, ARAS_PREF_PRIORITY, 0);
	assert_int_equal(st.nprefs, 0);
	aras_state_free(&st);
}

static const struct {
	const char *name;
	int field;
	unsigned value;
	int want;
} check_cases[] = {
	{ "priority 0", ARAS_PREF_PRIORITY, 0, 0 },
	{ "priority 100", ARAS_PREF_PRIORITY, 100, 0 },
	{ "priority 101", ARAS_PREF_PRIORITY, 101, -ARAS_E_RANGE },
	{ "priority huge", ARAS_PREF_PRIORITY, 4294967295u, -ARAS_E_RANGE },
	{ "cpu 0", ARAS_PREF_THR_CPU, 0, 0 },
	{ "cpu 100", ARAS_PREF_THR_CPU, 100, 0 },
	{ "cpu 101", ARAS_PREF_THR_CPU, 101, -ARAS_E_RANGE },
	{ "mem 100", ARAS_PREF_THR_MEM, 100, 0 },
	{ "mem 101", ARAS_PREF_THR_MEM, 101, -ARAS_E_RANGE },
	{ "disk 100", ARAS_PREF_THR_DISK, 100, 0 },
	{ "disk 1000", ARAS_PREF_THR_DISK, 1000, -ARAS_E_RANGE },
	{ "optOut 0", ARAS_PREF_OPT_OUT, 0, 0 },
	{ "optOut 1", ARAS_PREF_OPT_OUT, 1, 0 },
	{ "optOut 2", ARAS_PREF_OPT_OUT, 2, -ARAS_E_RANGE },
	{ "optOut 100", ARAS_PREF_OPT_OUT, 100, -ARAS_E_RANGE },
	{ "field -1", -1, 1, -ARAS_E_NOENT },
	{ "field COUNT", ARAS_PREF_COUNT, 1, -ARAS_E_NOENT },
	{ "field 99", 99, 0, -ARAS_E_NOENT },
};

/* check_pref and set_pref agree; a refused set changes nothing. */
static void check_pref_ranges(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEM(check_cases); i++) {
		struct aras_state st, before;
		uint8_t u[ARAS_UUID_LEN];
		int rc = aras_state_check_pref(check_cases[i].field, check_cases[i].value);

		if (rc != check_cases[i].want)
			fail_msg("%s: check_pref = %d, want %d", check_cases[i].name, rc,
				 check_cases[i].want);
		aras_state_init(&st);
		aras_state_init(&before);
		set_ok(&st, 9, ARAS_PREF_PRIORITY, 7);
		set_ok(&st, 9, ARAS_PREF_THR_MEM, 60);
		assert_int_equal(aras_state_copy(&before, &st), 0);
		mkuuid(u, check_cases[i].field == ARAS_PREF_OPT_OUT ? 9 : 10);
		rc = aras_state_set_pref(&st, u, check_cases[i].field, check_cases[i].value);
		if (rc != check_cases[i].want)
			fail_msg("%s: set_pref = %d, want %d", check_cases[i].name, rc, check_cases[i].want);
		if (rc != 0)
			assert_same(&st, &before, check_cases[i].name);
		aras_state_free(&st);
		aras_state_free(&before);
	}
}

/* ---- settings mask ----------------------------------------------------- */

static void set_setting_marks_persisted(void **state)
{
	struct aras_state st;
	struct aras_settings def;

	(void)state;
	aras_state_init(&st);
	aras_settings_defaults(&def);
	assert_int_equal(st.persisted, 0);
	assert_int_equal(st.nprefs, 0);
	assert_memory_equal(&st.settings, &def, sizeof(def));
	aras_state_set_setting(&st, ARAS_S_CPU_THRESHOLD, 75);
	assert_int_equal(st.settings.v[ARAS_S_CPU_THRESHOLD], 75);
	assert_int_equal(st.persisted, 1u << ARAS_S_CPU_THRESHOLD);
	aras_state_set_setting(&st, ARAS_S_MIGRATION_TIMEOUT, 600);
	aras_state_set_setting(&st, ARAS_S_POLICY, ARAS_POLICY_AUTO);
	assert_int_equal(st.persisted, (1u << ARAS_S_CPU_THRESHOLD) | (1u << ARAS_S_MIGRATION_TIMEOUT) |
					       (1u << ARAS_S_POLICY));
	/* setting the default value still marks it: it was SET */
	aras_state_set_setting(&st, ARAS_S_HOLD_TIME, def.v[ARAS_S_HOLD_TIME]);
	assert_true(st.persisted & (1u << ARAS_S_HOLD_TIME));
	/* the others keep their defaults */
	for (int i = 0; i < ARAS_S_COUNT; i++)
		if (!(st.persisted & (1u << i)) && st.settings.v[i] != def.v[i])
			fail_msg("%s changed", aras_setting_defs[i].token);
	aras_state_free(&st);
}

/* ---- save and load ------------------------------------------------------- */

/* Persisted settings of several types, unpersisted changes, and prefs. */
static void fill_state(struct aras_state *st)
{
	aras_state_init(st);
	aras_state_set_setting(st, ARAS_S_CPU_THRESHOLD, 75);
	aras_state_set_setting(st, ARAS_S_POLICY, ARAS_POLICY_AUTO);
	aras_state_set_setting(st, ARAS_S_ACTIONS, ARAS_ACT_TRAP | ARAS_ACT_EMAIL | ARAS_ACT_SCRIPT);
	aras_state_set_setting(st, ARAS_S_SHRINK_AFTER, 0);
	aras_state_set_setting(st, ARAS_S_MEM_STEP, 16777216);
	aras_state_set_setting(st, ARAS_S_MIGRATION_TIMEOUT, 10);
	/* changed, but not SET over SNMP (e.g. from the config file): not saved */
	st->settings.v[ARAS_S_HOLD_TIME] = 5;
	st->settings.v[ARAS_S_MEM_THRESHOLD] = 55;
	set_ok(st, 0x30, ARAS_PREF_PRIORITY, 100);
	set_ok(st, 0x10, ARAS_PREF_THR_CPU, 1);
	set_ok(st, 0x10, ARAS_PREF_THR_MEM, 99);
	set_ok(st, 0x20, ARAS_PREF_OPT_OUT, 1);
	set_ok(st, 0x20, ARAS_PREF_THR_DISK, 100);
	set_ok(st, 0xffffffffu, ARAS_PREF_PRIORITY, 3);
	assert_int_equal(aras_state_set_maintenance(st, 2, 1), 0);
	assert_int_equal(aras_state_set_maintenance(st, 65535, 1), 0);
}

static void save_load_roundtrip(void **state)
{
	struct fx *f = *state;
	struct aras_state a, b, want;
	struct aras_settings def;
	const char *text;

	fill_state(&a);
	assert_int_equal(aras_state_save(&a, f->path, f->why, sizeof(f->why)), 0);
	text = read_file(f->path);
	if (!strstr(text, "setting cpuThreshold 75\n") || !strstr(text, "setting policy ") ||
	    strstr(text, "setting holdTime") || strstr(text, "setting memThreshold"))
		fail_msg("saved file does not hold exactly the persisted settings:\n%s", text);

	aras_state_init(&b);
	assert_int_equal(aras_state_load(&b, f->path, f->why, sizeof(f->why)), 0);
	/* what b must be: defaults + the persisted settings + all prefs */
	aras_settings_defaults(&def);
	aras_state_init(&want);
	assert_int_equal(aras_state_copy(&want, &a), 0);
	want.settings.v[ARAS_S_HOLD_TIME] = def.v[ARAS_S_HOLD_TIME];
	want.settings.v[ARAS_S_MEM_THRESHOLD] = def.v[ARAS_S_MEM_THRESHOLD];
	assert_same(&b, &want, "loaded");
	assert_int_equal(b.nprefs, 4);
	assert_sorted(&b, "loaded");

	/* saving what was loaded gives the same file */
	{
		char first[8192];

		snprintf(first, sizeof(first), "%s", text);
		assert_int_equal(aras_state_save(&b, f->path, f->why, sizeof(f->why)), 0);
		assert_string_equal(read_file(f->path), first);
	}
	aras_state_free(&a);
	aras_state_free(&b);
	aras_state_free(&want);
}

/* Load merges: what the file has wins, the rest of st stays. */
static void load_merges(void **state)
{
	struct fx *f = *state;
	struct aras_state a, b;

	aras_state_init(&a);
	aras_state_set_setting(&a, ARAS_S_CPU_THRESHOLD, 75);
	set_ok(&a, 1, ARAS_PREF_PRIORITY, 10);
	set_ok(&a, 2, ARAS_PREF_THR_MEM, 20);
	assert_int_equal(aras_state_save(&a, f->path, f->why, sizeof(f->why)), 0);

	aras_state_init(&b);
	b.settings.v[ARAS_S_CPU_THRESHOLD] = 60; /* from the config file */
	b.settings.v[ARAS_S_HOLD_TIME] = 15;     /* ditto */
	aras_state_set_setting(&b, ARAS_S_COOLDOWN, 30);
	set_ok(&b, 1, ARAS_PREF_THR_CPU, 40); /* same VM, other field */
	set_ok(&b, 3, ARAS_PREF_OPT_OUT, 1);  /* VM not in the file */
	assert_int_equal(aras_state_load(&b, f->path, f->why, sizeof(f->why)), 0);
	assert_int_equal(b.settings.v[ARAS_S_CPU_THRESHOLD], 75);
	assert_int_equal(b.settings.v[ARAS_S_HOLD_TIME], 15);
	assert_int_equal(b.settings.v[ARAS_S_COOLDOWN], 30);
	assert_int_equal(b.persisted, (1u << ARAS_S_CPU_THRESHOLD) | (1u << ARAS_S_COOLDOWN));
	assert_int_equal(b.nprefs, 3);
	assert_sorted(&b, "merged");
	assert_int_equal(pref(&b, 1, ARAS_PREF_PRIORITY), 10);
	assert_int_equal(pref(&b, 1, ARAS_PREF_THR_CPU), 40);
	assert_int_equal(pref(&b, 2, ARAS_PREF_THR_MEM), 20);
	assert_int_equal(pref(&b, 3, ARAS_PREF_OPT_OUT), 1);
	aras_state_free(&a);
	aras_state_free(&b);
}

/* Comments, blank lines, tabs, CRLF, upper-case UUIDs and field names, no final newline. */
static void load_accepts_loose_text(void **state)
{
	struct fx *f = *state;
	struct aras_state st;
	char text[1024];
	char us[ARAS_UUID_STRLEN];
	uint8_t u[ARAS_UUID_LEN];

	mkuuid(u, 0xabcdef01u);
	aras_uuid_format(u, us);
	for (char *c = us; *c; c++)
		if (*c >= 'a' && *c <= 'f')
			*c = (char)(*c - 'a' + 'A');
	snprintf(text, sizeof(text),
		 "# a comment\n"
		 "\n"
		 "   \n"
		 "\tsetting\tcpuThreshold\t70\r\n"
		 "setting actions trap,email\n"
		 "setting policy automatic\n"
		 "vm %s PRIORITY 8\n"
		 "vm %s optout 1",
		 us, us);
	write_file(f->path, text);
	aras_state_init(&st);
	if (aras_state_load(&st, f->path, f->why, sizeof(f->why)) != 0)
		fail_msg("load failed: %s", f->why);
	assert_int_equal(st.settings.v[ARAS_S_CPU_THRESHOLD], 70);
	assert_int_equal(st.settings.v[ARAS_S_ACTIONS], ARAS_ACT_TRAP | ARAS_ACT_EMAIL);
	assert_int_equal(st.settings.v[ARAS_S_POLICY], ARAS_POLICY_AUTO);
	assert_int_equal(pref(&st, 0xabcdef01u, ARAS_PREF_PRIORITY), 8);
	assert_int_equal(pref(&st, 0xabcdef01u, ARAS_PREF_OPT_OUT), 1);
	aras_state_free(&st);
}

static void load_missing_file(void **state)
{
	struct fx *f = *state;
	struct aras_state st, before;
	char p[200];

	fill_state(&st);
	aras_state_init(&before);
	assert_int_equal(aras_state_copy(&before, &st), 0);
	snprintf(p, sizeof(p), "%s/does-not-exist", f->dir);
	assert_int_equal(aras_state_load(&st, p, f->why, sizeof(f->why)), 0);
	assert_same(&st, &before, "missing file");
	assert_false(exists(p));
	aras_state_free(&st);
	aras_state_free(&before);
}

/* An empty file (or only comments) loads and changes nothing. */
static void load_empty_file(void **state)
{
	struct fx *f = *state;
	static const char *const texts[] = { "", "\n", "# nothing\n\n# at all\n" };

	for (size_t i = 0; i < N_ELEM(texts); i++) {
		struct aras_state st, before;

		fill_state(&st);
		aras_state_init(&before);
		assert_int_equal(aras_state_copy(&before, &st), 0);
		write_file(f->path, texts[i]);
		assert_int_equal(aras_state_load(&st, f->path, f->why, sizeof(f->why)), 0);
		assert_same(&st, &before, "empty file");
		aras_state_free(&st);
		aras_state_free(&before);
	}
}

#define U1 "00000001-0000-4000-8000-00000000000b"

static const struct {
	const char *name;
	const char *text;
	unsigned line;
} bad_cases[] = {
	{ "unknown setting", "setting noSuchThing 5\n", 1 },
	{ "bad value", "setting cpuThreshold abc\n", 1 },
	{ "value out of range", "setting cpuThreshold 101\n", 1 },
	{ "bad enum name", "setting policy sometimes\n", 1 },
	{ "bad bit name", "setting actions trap,fax\n", 1 },
	{ "setting without value", "setting cpuThreshold\n", 1 },
	{ "setting with two values", "setting cpuThreshold 70 80\n", 1 },
	{ "bad uuid", "vm not-a-uuid priority 5\n", 1 },
	{ "short uuid", "vm 00000001-0000-4000-8000-0000000000 priority 5\n", 1 },
	{ "unknown vm field", "vm " U1 " colour 5\n", 1 },
	{ "vm value not a number", "vm " U1 " priority high\n", 1 },
	{ "vm value with suffix", "vm " U1 " priority 5x\n", 1 },
	{ "vm value negative", "vm " U1 " priority -1\n", 1 },
	{ "vm priority 101", "vm " U1 " priority 101\n", 1 },
	{ "vm threshold 4294967296", "vm " U1 " cpuThreshold 4294967296\n", 1 },
	{ "vm optOut 2", "vm " U1 " optOut 2\n", 1 },
	{ "vm without value", "vm " U1 " priority\n", 1 },
	{ "garbage", "garbage\n", 1 },
	{ "garbage words", "hello world how are you\n", 1 },
	{ "unknown keyword", "host 1 maintenance 1\n", 1 },
	{ "maintenance host 0", "maintenance 0\n", 1 },
	{ "maintenance host 65536", "maintenance 65536\n", 1 },
	{ "maintenance not a number", "maintenance alpha\n", 1 },
	{ "maintenance without host", "maintenance\n", 1 },
	{ "maintenance with two words", "maintenance 1 on\n", 1 },
	/* after good lines that would change st: the line number counts every line */
	{ "bad line 5",
	  "# saved\n"
	  "setting memThreshold 55\n"
	  "\n"
	  "vm " U1 " priority 9\n"
	  "setting holdTime forever\n"
	  "setting cooldown 1\n",
	  5 },
	{ "bad last line, no newline",
	  "setting memThreshold 55\n"
	  "vm " U1 " cpuThreshold 9\n"
	  "vm " U1 " diskThreshold 900",
	  3 },
	{ "garbage after good lines", "setting memThreshold 55\nvm " U1 " optOut 1\n\n\n%%$#@!\n", 5 },
};

/* A bad line: -ARAS_E_INVAL, "path:LINE: reason", and st exactly as before. */
static void load_bad_line(void **state)
{
	struct fx *f = *state;

	for (size_t i = 0; i < N_ELEM(bad_cases); i++) {
		struct aras_state st, before;
		char prefix[256];
		int rc;

		fill_state(&st);
		aras_state_init(&before);
		assert_int_equal(aras_state_copy(&before, &st), 0);
		write_file(f->path, bad_cases[i].text);
		memset(f->why, 0, sizeof(f->why));
		rc = aras_state_load(&st, f->path, f->why, sizeof(f->why));
		if (rc != -ARAS_E_INVAL)
			fail_msg("%s: load = %d, want %d", bad_cases[i].name, rc, -ARAS_E_INVAL);
		snprintf(prefix, sizeof(prefix), "%s:%u: ", f->path, bad_cases[i].line);
		if (strncmp(f->why, prefix, strlen(prefix)) != 0 || strlen(f->why) <= strlen(prefix))
			fail_msg("%s: why '%s', want '%s<reason>'", bad_cases[i].name, f->why, prefix);
		assert_same(&st, &before, bad_cases[i].name);
		aras_state_free(&st);
		aras_state_free(&before);
	}
}

/* The reasons name what was wrong. */
static void load_bad_line_reasons(void **state)
{
	struct fx *f = *state;
	struct aras_state st;

	aras_state_init(&st);
	write_file(f->path, "setting noSuchThing 5\n");
	assert_int_equal(aras_state_load(&st, f->path, f->why, sizeof(f->why)), -ARAS_E_INVAL);
	if (!strstr(f->why, "noSuchThing"))
		fail_msg("why '%s' does not name the unknown setting", f->why);
	aras_state_free(&st);
}

/*
 * Regression (was a bug in load_line, fixed in 955595c): a "vm" line took its
 * first four words and ignored the rest, so "vm UUID priority 5 junk" (or a
 * hand edit like "vm UUID priority 5 6") loaded as priority 5, while a
 * "setting" line with an extra word was refused.  state.h: a bad line gives
 * -ARAS_E_INVAL and changes nothing.
 */
static void regress_state_load_vm_line_trailing_words(void **state)
{
	struct fx *f = *state;
	struct aras_state st, before;
	int rc;

	fill_state(&st);
	aras_state_init(&before);
	assert_int_equal(aras_state_copy(&before, &st), 0);
	write_file(f->path, "vm " U1 " priority 5 junk\n");
	rc = aras_state_load(&st, f->path, f->why, sizeof(f->why));
	if (rc != -ARAS_E_INVAL)
		fail_msg("'vm UUID priority 5 junk': load = %d, want %d", rc, -ARAS_E_INVAL);
	assert_same(&st, &before, "trailing words");
	aras_state_free(&st);
	aras_state_free(&before);
}

/*
 * Regression (was a bug in aras_state_load, fixed in 955595c): the read loop
 * stopped at the first fgets() failure and never checked ferror(), so a
 * read error was taken for the end of the file: the load "succeeded" with
 * whatever was read before it (nothing, for a path that is a directory:
 * EISDIR), and arasd started without its saved settings and prefs.
 */
static void regress_state_load_read_error(void **state)
{
	struct fx *f = *state;
	struct aras_state st;
	int rc;

	assert_int_equal(mkdir(f->path, 0700), 0);
	aras_state_init(&st);
	rc = aras_state_load(&st, f->path, f->why, sizeof(f->why));
	if (rc != -ARAS_E_IO)
		fail_msg("load of a directory = %d, want %d", rc, -ARAS_E_IO);
	aras_state_free(&st);
}

/* Save leaves no temporary file, replaces the old file, survives a stale .tmp. */
static void save_is_atomic(void **state)
{
	struct fx *f = *state;
	struct aras_state st, back;
	char tmp[200];
	DIR *d;
	struct dirent *de;
	size_t entries = 0;

	snprintf(tmp, sizeof(tmp), "%s.tmp", f->path);
	fill_state(&st);
	assert_int_equal(aras_state_save(&st, f->path, f->why, sizeof(f->why)), 0);
	assert_true(exists(f->path));
	assert_false(exists(tmp));
	/* a leftover from a crash mid-save, longer than the new file, does not matter */
	{
		static char stale[8000];
		size_t n = 0;

		while (n < sizeof(stale) - 100)
			n += (size_t)snprintf(stale + n, sizeof(stale) - n, "setting cpuThreshold 1\n");
		snprintf(stale + n, sizeof(stale) - n, "garbage\n");
		write_file(tmp, stale);
	}
	set_ok(&st, 0x30, ARAS_PREF_PRIORITY, 0);
	assert_int_equal(aras_state_save(&st, f->path, f->why, sizeof(f->why)), 0);
	assert_false(exists(tmp));
	d = opendir(f->dir);
	assert_non_null(d);
	while ((de = readdir(d)))
		if (strcmp(de->d_name, ".") != 0 && strcmp(de->d_name, "..") != 0)
			entries++;
	closedir(d);
	assert_int_equal(entries, 1);
	/* the new content replaced the old one */
	aras_state_init(&back);
	assert_int_equal(aras_state_load(&back, f->path, f->why, sizeof(f->why)), 0);
	assert_int_equal(back.nprefs, 3);
	assert_int_equal(pref(&back, 0x30, ARAS_PREF_PRIORITY), 0);
	assert_int_equal(back.settings.v[ARAS_S_CPU_THRESHOLD], 75);
	aras_state_free(&st);
	aras_state_free(&back);
}

/* An empty state saves to a file that loads to nothing. */
static void save_empty_state(void **state)
{
	struct fx *f = *state;
	struct aras_state st, back, before;

	aras_state_init(&st);
	assert_int_equal(aras_state_save(&st, f->path, f->why, sizeof(f->why)), 0);
	assert_null(strstr(read_file(f->path), "setting"));
	assert_null(strstr(read_file(f->path), "vm "));
	fill_state(&back);
	aras_state_init(&before);
	assert_int_equal(aras_state_copy(&before, &back), 0);
	assert_int_equal(aras_state_load(&back, f->path, f->why, sizeof(f->why)), 0);
	assert_same(&back, &before, "empty file");
	aras_state_free(&st);
	aras_state_free(&back);
	aras_state_free(&before);
}

static void save_into_missing_directory(void **state)
{
	struct fx *f = *state;
	struct aras_state st;
	char p[200];

	snprintf(p, sizeof(p), "%s/no/such/dir/state", f->dir);
	fill_state(&st);
	f->why[0] = '\0';
	assert_int_equal(aras_state_save(&st, p, f->why, sizeof(f->why)), -ARAS_E_IO);
	if (f->why[0] == '\0' || !strstr(f->why, "/no/such/dir/"))
		fail_msg("why '%s' does not say which path failed", f->why);
	assert_false(exists(p));
	aras_state_free(&st);
}

/* A directory where the file should be: the rename fails, no .tmp left. */
static void save_over_directory_fails(void **state)
{
	struct fx *f = *state;
	struct aras_state st;
	char tmp[200];

	snprintf(tmp, sizeof(tmp), "%s.tmp", f->path);
	assert_int_equal(mkdir(f->path, 0700), 0);
	fill_state(&st);
	f->why[0] = '\0';
	assert_int_equal(aras_state_save(&st, f->path, f->why, sizeof(f->why)), -ARAS_E_IO);
	assert_true(f->why[0] != '\0');
	assert_false(exists(tmp));
	aras_state_free(&st);
}

/* Maintenance flags: set, idempotent, cleared, saved and loaded. */
static void maintenance_roundtrip(void **state)
{
	struct fx *f = *state;
	struct aras_state st, back;

	aras_state_init(&st);
	assert_int_equal(aras_state_maintenance(&st, 1), 0);
	for (unsigned h = 1; h <= 5; h++)
		assert_int_equal(aras_state_set_maintenance(&st, h, 1), 0);
	assert_int_equal(aras_state_set_maintenance(&st, 3, 1), 0);
	assert_int_equal(st.nmaint, 5);
	assert_int_equal(aras_state_set_maintenance(&st, 2, 0), 0);
	assert_int_equal(aras_state_set_maintenance(&st, 9, 0), 0);
	assert_int_equal(st.nmaint, 4);
	for (unsigned h = 1; h <= 6; h++)
		if (aras_state_maintenance(&st, h) != (h != 2 && h != 6))
			fail_msg("host %u: maintenance %d", h, aras_state_maintenance(&st, h));
	assert_int_equal(aras_state_save(&st, f->path, f->why, sizeof(f->why)), 0);
	aras_state_init(&back);
	assert_int_equal(aras_state_load(&back, f->path, f->why, sizeof(f->why)), 0);
	assert_same(&back, &st, "maintenance loaded");
	aras_state_free(&st);
	aras_state_free(&back);
}

/* ---- placement groups ------------------------------------------------------ */

static void put_group(struct aras_state *st, const char *name, int rule, const char *hosts, int active)
{
	struct aras_group g;

	memset(&g, 0, sizeof(g));
	snprintf(g.name, sizeof(g.name), "%s", name);
	snprintf(g.hosts, sizeof(g.hosts), "%s", hosts);
	g.rule = rule;
	g.active = active;
	if (aras_state_put_group(st, &g) != 0)
		fail_msg("put_group %s failed", name);
}

static void group_names_and_hosts(void **state)
{
	static const struct {
		const char *s;
		int name_rc, hosts_rc;
	} cases[] = {
		{ "db", 0, 0 },
		{ "a.b_c-D9", 0, 0 },
		{ "", -ARAS_E_LENGTH, 0 },
		{ "a b", -ARAS_E_RANGE, -ARAS_E_RANGE },
		{ "x/y", -ARAS_E_RANGE, -ARAS_E_RANGE },
		{ "h1,h2", -ARAS_E_RANGE, 0 },
		{ "h1,,h2", -ARAS_E_RANGE, -ARAS_E_RANGE },
		{ ",h1", -ARAS_E_RANGE, -ARAS_E_RANGE },
		{ "h1,", -ARAS_E_RANGE, -ARAS_E_RANGE },
		{ "0123456789012345678901234567890", 0, 0 },                /* 31 */
		{ "01234567890123456789012345678901", 0, 0 },               /* 32 */
		{ "012345678901234567890123456789012", -ARAS_E_LENGTH, 0 }, /* 33 */
	};
	char big[300];

	(void)state;
	for (size_t i = 0; i < N_ELEM(cases); i++) {
		if (aras_group_name_ok(cases[i].s, strlen(cases[i].s)) != cases[i].name_rc)
			fail_msg("name '%s': %d, want %d", cases[i].s,
				 aras_group_name_ok(cases[i].s, strlen(cases[i].s)), cases[i].name_rc);
		if (aras_group_hosts_ok(cases[i].s, strlen(cases[i].s)) != cases[i].hosts_rc)
			fail_msg("hosts '%s': %d, want %d", cases[i].s,
				 aras_group_hosts_ok(cases[i].s, strlen(cases[i].s)), cases[i].hosts_rc);
	}
	memset(big, 'h', sizeof(big));
	assert_int_equal(aras_group_hosts_ok(big, 255), 0);
	assert_int_equal(aras_group_hosts_ok(big, 256), -ARAS_E_LENGTH);
}

static void groups_sorted_members_and_delete(void **state)
{
	struct aras_state st;
	struct aras_group g;
	uint8_t u1[ARAS_UUID_LEN], u2[ARAS_UUID_LEN], u3[ARAS_UUID_LEN];

	(void)state;
	aras_state_init(&st);
	put_group(&st, "web", ARAS_RULE_AFFINITY, "", 1);
	put_group(&st, "db", ARAS_RULE_ANTI_AFFINITY, "h1,h2", 1);
	put_group(&st, "cache", ARAS_RULE_ANTI_AFFINITY, "", 0);
	assert_int_equal(st.ngroups, 3);
	assert_string_equal(st.groups[0].name, "cache");
	assert_string_equal(st.groups[1].name, "db");
	assert_string_equal(st.groups[2].name, "web");
	/* replace keeps one row */
	put_group(&st, "db", ARAS_RULE_AFFINITY, "h3", 1);
	assert_int_equal(st.ngroups, 3);
	assert_int_equal(aras_state_group(&st, "db")->rule, ARAS_RULE_AFFINITY);
	assert_null(aras_state_group(&st, "nosuch"));
	/* a bad rule or name is refused */
	memset(&g, 0, sizeof(g));
	snprintf(g.name, sizeof(g.name), "x");
	g.rule = 3;
	assert_int_equal(aras_state_put_group(&st, &g), -ARAS_E_RANGE);
	g.rule = ARAS_RULE_AFFINITY;
	snprintf(g.name, sizeof(g.name), "a b");
	assert_int_equal(aras_state_put_group(&st, &g), -ARAS_E_RANGE);
	assert_int_equal(st.ngroups, 3);
	/* members: a VM with only a group keeps prefs; clearing drops them */
	mkuuid(u1, 1);
	mkuuid(u2, 2);
	mkuuid(u3, 3);
	assert_int_equal(aras_state_set_vm_group(&st, u1, "db"), 0);
	assert_int_equal(aras_state_set_vm_group(&st, u2, "db"), 0);
	assert_int_equal(aras_state_set_vm_group(&st, u3, "web"), 0);
	assert_int_equal(aras_state_set_pref(&st, u2, ARAS_PREF_PRIORITY, 7), 0);
	assert_int_equal(aras_state_set_vm_group(&st, u1, "a b"), -ARAS_E_RANGE);
	assert_int_equal(st.nprefs, 3);
	assert_int_equal(aras_state_group_members(&st, "db"), 2);
	assert_string_equal(aras_state_vm_group(&st, u1), "db");
	/* destroy: members leave in the same change; u1 had nothing else */
	assert_int_equal(aras_state_del_group(&st, "db"), 0);
	assert_int_equal(aras_state_del_group(&st, "db"), -ARAS_E_NOENT);
	assert_int_equal(st.ngroups, 2);
	assert_int_equal(aras_state_group_members(&st, "db"), 0);
	assert_string_equal(aras_state_vm_group(&st, u1), "");
	assert_string_equal(aras_state_vm_group(&st, u2), "");
	assert_int_equal(aras_state_pref(&st, u2, ARAS_PREF_PRIORITY), 7);
	assert_int_equal(st.nprefs, 2);
	assert_int_equal(aras_state_set_vm_group(&st, u3, ""), 0);
	assert_int_equal(st.nprefs, 1);
	aras_state_free(&st);
}

static void groups_roundtrip(void **state)
{
	struct fx *f = *state;
	struct aras_state st, back, copy;
	uint8_t u[ARAS_UUID_LEN];
	const char *text;

	aras_state_init(&st);
	put_group(&st, "db", ARAS_RULE_ANTI_AFFINITY, "", 1);
	put_group(&st, "lic", ARAS_RULE_AFFINITY, "h1,h2", 1);
	put_group(&st, "wait", ARAS_RULE_ANTI_AFFINITY, "h2", 0);
	mkuuid(u, 5);
	assert_int_equal(aras_state_set_vm_group(&st, u, "lic"), 0);
	assert_int_equal(aras_state_set_pref(&st, u, ARAS_PREF_THR_CPU, 60), 0);
	mkuuid(u, 6);
	assert_int_equal(aras_state_set_vm_group(&st, u, "db"), 0);
	assert_int_equal(aras_state_save(&st, f->path, f->why, sizeof(f->why)), 0);
	text = read_file(f->path);
	if (!strstr(text, "group db antiAffinity -\n") || !strstr(text, "group lic affinity h1,h2\n") ||
	    !strstr(text, "group wait antiAffinity h2 notInService\n") || !strstr(text, " group lic\n"))
		fail_msg("state file lacks the group lines:\n%s", text);
	/* groups come before the memberships that name them */
	if (strstr(text, "group wait") > strstr(text, " group lic\n"))
		fail_msg("membership before its group:\n%s", text);
	aras_state_init(&back);
	assert_int_equal(aras_state_load(&back, f->path, f->why, sizeof(f->why)), 0);
	assert_same(&back, &st, "groups loaded");
	aras_state_init(&copy);
	assert_int_equal(aras_state_copy(&copy, &back), 0);
	aras_state_free(&back);
	assert_same(&copy, &st, "groups copied (deep)");
	aras_state_free(&copy);
	aras_state_free(&st);
}

static void load_bad_group_lines(void **state)
{
	static const char *const bad[] = {
		"group db\n",
		"group db friends\n",
		"group db antiAffinity h1 extra\n",
		"group db antiAffinity h1 notInService more\n",
		"group db antiAffinity notInService\n",
		"group d/b antiAffinity\n",
		"group 012345678901234567890123456789012 antiAffinity\n",
		"group db antiAffinity h1,,h2\n",
		"vm 00000001-0000-4000-0000-00000000000b group db\n",
		"group db antiAffinity\nvm 00000001-0000-4000-0000-00000000000b group other\n",
		"group db antiAffinity\nvm not-a-uuid group db\n",
		"group db antiAffinity\nvm 00000001-0000-4000-0000-00000000000b group db x\n",
	};
	struct fx *f = *state;

	for (size_t i = 0; i < N_ELEM(bad); i++) {
		struct aras_state st;

		aras_state_init(&st);
		write_file(f->path, bad[i]);
		if (aras_state_load(&st, f->path, f->why, sizeof(f->why)) != -ARAS_E_INVAL)
			fail_msg("accepted: %s", bad[i]);
		if (!strstr(f->why, f->path))
			fail_msg("reason '%s' lacks the path", f->why);
		assert_int_equal(st.ngroups, 0);
		assert_int_equal(st.nprefs, 0);
		aras_state_free(&st);
	}
}

/* ---- copy ------------------------------------------------------------------- */

static void copy_is_deep(void **state)
{
	struct aras_state a, b, before;

	(void)state;
	fill_state(&a);
	aras_state_init(&before);
	assert_int_equal(aras_state_copy(&before, &a), 0);
	aras_state_init(&b);
	set_ok(&b, 0x99, ARAS_PREF_PRIORITY, 1); /* dst content is replaced */
	assert_int_equal(aras_state_copy(&b, &a), 0);
	assert_same(&b, &a, "copy");
	assert_true(b.prefs != a.prefs);
	/* change the copy every way there is */
	set_ok(&b, 0x10, ARAS_PREF_THR_CPU, 77);
	set_ok(&b, 0x20, ARAS_PREF_OPT_OUT, 0);
	set_ok(&b, 0x20, ARAS_PREF_THR_DISK, 0);
	set_ok(&b, 0x05, ARAS_PREF_PRIORITY, 5);
	aras_state_set_setting(&b, ARAS_S_COOLDOWN, 1);
	b.prefs[0].priority = 42;
	assert_same(&a, &before, "original after changing the copy");
	/* and the other way round */
	set_ok(&a, 0x10, ARAS_PREF_THR_CPU, 12);
	assert_int_equal(pref(&b, 0x10, ARAS_PREF_THR_CPU), 77);
	/* copy of an empty state */
	aras_state_free(&b);
	aras_state_init(&b);
	set_ok(&b, 0x99, ARAS_PREF_PRIORITY, 1);
	aras_state_free(&a);
	aras_state_init(&a);
	assert_int_equal(aras_state_copy(&b, &a), 0);
	assert_int_equal(b.nprefs, 0);
	assert_null(b.prefs);
	aras_state_free(&a);
	aras_state_free(&b);
	aras_state_free(&before);
}

/* vmIndex (VM-MIB): given once, never reused, kept through a parse; bad lines refused. */
static void vmidx_assign_parse(void **unused)
{
	struct aras_state st, back;
	uint8_t a[ARAS_UUID_LEN] = { 1 }, b[ARAS_UUID_LEN] = { 2 }, c[ARAS_UUID_LEN] = { 3 };
	char why[256];
	int added;
	static const char good[] = "vmIndex 01000000-0000-0000-0000-000000000000 7\n";
	static const char *const bad[] = {
		"vmIndex 01000000-0000-0000-0000-000000000000 0\n",
		"vmIndex 01000000-0000-0000-0000-000000000000 2147483648\n",
		"vmIndex 01000000-0000-0000-0000-000000000000 -1\n",
		"vmIndex nouuid 3\n",
		/* two VMs with one index */
		("vmIndex 01000000-0000-0000-0000-000000000000 3\n"
		 "vmIndex 02000000-0000-0000-0000-000000000000 3\n"),
	};

	(void)unused;
	aras_state_init(&st);
	assert_int_equal(aras_state_vmidx_assign(&st, b, &added), 1);
	assert_int_equal(added, 1);
	assert_int_equal(aras_state_vmidx_assign(&st, a, &added), 2);
	assert_int_equal(aras_state_vmidx_assign(&st, b, &added), 1);
	assert_int_equal(added, 0);
	assert_int_equal(aras_state_vmidx(&st, a), 2);
	assert_int_equal(aras_state_vmidx(&st, c), 0);
	aras_state_free(&st);

	aras_state_init(&back);
	assert_int_equal(aras_state_parse(&back, good, strlen(good), "t", why, sizeof(why)), 0);
	assert_int_equal(aras_state_vmidx(&back, a), 7);
	/* the next one given is above every index ever read */
	assert_int_equal(aras_state_vmidx_assign(&back, c, &added), 8);
	aras_state_free(&back);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		aras_state_init(&back);
		assert_int_not_equal(aras_state_parse(&back, bad[i], strlen(bad[i]), "t", why, sizeof(why)),
				     0);
		assert_int_equal(back.nvmidx, 0);
		aras_state_free(&back);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(vmidx_assign_parse),
		cmocka_unit_test(pref_roundtrip),
		cmocka_unit_test(pref_all_fields),
		cmocka_unit_test(prefs_sorted_random_order),
		cmocka_unit_test(prefs_all_zero_dropped),
		cmocka_unit_test(check_pref_ranges),
		cmocka_unit_test(set_setting_marks_persisted),
		FX_TEST(save_load_roundtrip),
		FX_TEST(load_merges),
		FX_TEST(load_accepts_loose_text),
		FX_TEST(load_missing_file),
		FX_TEST(load_empty_file),
		FX_TEST(load_bad_line),
		FX_TEST(load_bad_line_reasons),
		FX_TEST(regress_state_load_vm_line_trailing_words),
		FX_TEST(regress_state_load_read_error),
		FX_TEST(save_is_atomic),
		FX_TEST(save_empty_state),
		FX_TEST(save_into_missing_directory),
		FX_TEST(save_over_directory_fails),
		FX_TEST(maintenance_roundtrip),
		cmocka_unit_test(copy_is_deep),
		cmocka_unit_test(group_names_and_hosts),
		cmocka_unit_test(groups_sorted_members_and_delete),
		FX_TEST(groups_roundtrip),
		FX_TEST(load_bad_group_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
