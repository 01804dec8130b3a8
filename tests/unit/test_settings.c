/*
 * test_settings.c - the settings table, parsing, range and consistency
 * checks, SNMP SET validation and formatting (src/core/settings.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "testlib.h"

#include "core/aras.h"
#include "core/settings.h"

/*
 * The table as the MIB and the documentation promise it: token, MIB name,
 * subid, type, default, bounds, SNMP-writable.  A change to the table must
 * be a deliberate change here too.
 */
static const struct {
	int id;
	const char *token, *mib;
	unsigned subid;
	enum aras_stype type;
	uint32_t def, min, max;
	int writable;
} expect_table[] = {
	{ ARAS_S_POLICY, "policy", "arasPolicy", 1, ARAS_ST_ENUM, ARAS_POLICY_MANUAL, 1, 3, 1 },
	{ ARAS_S_CPU_THRESHOLD, "cpuThreshold", "arasCpuThreshold", 2, ARAS_ST_UINT, 90, 0, 100, 1 },
	{ ARAS_S_MEM_THRESHOLD, "memThreshold", "arasMemThreshold", 3, ARAS_ST_UINT, 90, 0, 100, 1 },
	{ ARAS_S_DISK_THRESHOLD, "diskThreshold", "arasDiskThreshold", 4, ARAS_ST_UINT, 90, 0, 100, 1 },
	{ ARAS_S_HOLD_TIME, "holdTime", "arasHoldTime", 5, ARAS_ST_UINT, 60, 0, 86400, 1 },
	{ ARAS_S_CLEAR_MARGIN, "clearMargin", "arasClearMargin", 6, ARAS_ST_UINT, 10, 0, 100, 1 },
	{ ARAS_S_ACTIONS, "actions", "arasActions", 7, ARAS_ST_BITS, ARAS_ACT_TRAP, 0, 15, 1 },
	{ ARAS_S_HOST_CPU_HIGH, "hostCpuHigh", "arasHostCpuHigh", 8, ARAS_ST_UINT, 80, 0, 100, 1 },
	{ ARAS_S_HOST_MEM_FREE_MIN, "hostMemFreeMin", "arasHostMemFreeMin", 9, ARAS_ST_UINT, 20, 0, 100, 1 },
	{ ARAS_S_HOST_DISK_LOW, "hostDiskLow", "arasHostDiskLow", 10, ARAS_ST_UINT, 70, 0, 100, 1 },
	{ ARAS_S_DISK_IO_CAPACITY, "diskIoCapacity", "arasDiskIoCapacity", 11, ARAS_ST_UINT, 102400, 1,
	  4194304, 1 },
	{ ARAS_S_COOLDOWN, "cooldown", "arasCooldown", 12, ARAS_ST_UINT, 600, 0, 86400, 1 },
	{ ARAS_S_MAX_MIGRATIONS, "maxMigrations", "arasMaxMigrations", 13, ARAS_ST_UINT, 2, 1, 64, 1 },
	{ ARAS_S_MAX_MIGRATIONS_PER_HOST, "maxMigrationsPerHost", "arasMaxMigrationsPerHost", 14,
	  ARAS_ST_UINT, 1, 1, 16, 1 },
	{ ARAS_S_PROPOSAL_TIMEOUT, "proposalTimeout", "arasProposalTimeout", 15, ARAS_ST_UINT, 900, 10, 86400,
	  1 },
	{ ARAS_S_MEM_STEP, "memStep", "arasMemStep", 16, ARAS_ST_UINT, 262144, 1024, 16777216, 1 },
	{ ARAS_S_SHRINK_AFTER, "shrinkAfter", "arasShrinkAfter", 17, ARAS_ST_UINT, 0, 0, 604800, 1 },
	{ ARAS_S_EVENT_LOG_SIZE, "eventLogSize", "arasEventLogSize", 18, ARAS_ST_UINT, 1000, 10, 100000, 1 },
	{ ARAS_S_POLL_INTERVAL, "pollInterval", "arasPollInterval", 19, ARAS_ST_UINT, 10, 1, 3600, 1 },
	{ ARAS_S_MIGRATION_TIMEOUT, "migrationTimeout", "arasMigrationTimeout", 20, ARAS_ST_UINT, 300, 10,
	  3600, 1 },
	{ ARAS_S_SHUTDOWN_TIMEOUT, "shutdownTimeout", "arasShutdownTimeout", 21, ARAS_ST_UINT, 120, 5, 3600,
	  1 },
	{ ARAS_S_STATE_NOTIFY_LIMIT, "stateNotifyLimit", "arasStateNotifyLimit", 22, ARAS_ST_UINT, 20, 1,
	  10000, 1 },
	{ ARAS_S_STEAL_THRESHOLD, "stealThreshold", "arasStealThreshold", 23, ARAS_ST_UINT, 10, 0, 100, 1 },
	{ ARAS_S_MIGRATION_BANDWIDTH, "migrationBandwidth", "arasMigrationBandwidth", 24, ARAS_ST_UINT, 0, 0,
	  1000000, 1 },
	{ ARAS_S_MIGRATION_AUTO_CONVERGE, "migrationAutoConverge", "arasMigrationAutoConverge", 25,
	  ARAS_ST_ENUM, ARAS_TRUE, 1, 2, 1 },
	{ ARAS_S_MIGRATION_POST_COPY, "migrationPostCopy", "arasMigrationPostCopy", 26, ARAS_ST_ENUM,
	  ARAS_FALSE, 1, 2, 1 },
	{ ARAS_S_MIN_STAY, "minStay", "arasMinStay", 27, ARAS_ST_UINT, 0, 0, 604800, 1 },
	/* VM-MIB's switches: subid 0, not under arasConfig */
	{ ARAS_S_VM_PER_VM_NOTIFY, "vmPerVMNotificationsEnabled", "vmPerVMNotificationsEnabled", 0,
	  ARAS_ST_ENUM, ARAS_TRUE, 1, 2, 1 },
	{ ARAS_S_VM_BULK_NOTIFY, "vmBulkNotificationsEnabled", "vmBulkNotificationsEnabled", 0, ARAS_ST_ENUM,
	  ARAS_TRUE, 1, 2, 1 },
};

static void table_matches_spec(void **state)
{
	(void)state;
	assert_int_equal(N_ELEM(expect_table), ARAS_S_COUNT);
	for (size_t i = 0; i < N_ELEM(expect_table); i++) {
		const struct aras_setting_def *d = &aras_setting_defs[expect_table[i].id];
		const char *t = expect_table[i].token;

		if (strcmp(d->token, t) != 0)
			fail_msg("id %d: token '%s', want '%s'", expect_table[i].id, d->token, t);
		if (strcmp(d->mib_name, expect_table[i].mib) != 0)
			fail_msg("%s: mib_name '%s', want '%s'", t, d->mib_name, expect_table[i].mib);
		if (d->subid != expect_table[i].subid || d->type != expect_table[i].type ||
		    d->def != expect_table[i].def || d->min != expect_table[i].min ||
		    d->max != expect_table[i].max || d->snmp_writable != expect_table[i].writable)
			fail_msg("%s: subid/type/def/min/max/writable %u/%d/%u/%u/%u/%d differ from spec", t,
				 d->subid, (int)d->type, (unsigned)d->def, (unsigned)d->min, (unsigned)d->max,
				 d->snmp_writable);
		assert_non_null(d->help);
		assert_non_null(d->unit);
		if (d->type != ARAS_ST_UINT)
			assert_non_null(d->names);
	}
}

/* aras_settings_defaults fills every slot with the table default. */
static void defaults_match_table(void **state)
{
	struct aras_settings s;
	char why[256] = "";

	(void)state;
	memset(&s, 0xa5, sizeof(s));
	aras_settings_defaults(&s);
	for (size_t i = 0; i < N_ELEM(expect_table); i++)
		if (s.v[expect_table[i].id] != expect_table[i].def)
			fail_msg("%s: default %u, want %u", expect_table[i].token,
				 (unsigned)s.v[expect_table[i].id], (unsigned)expect_table[i].def);
	/* Defaults are in range and consistent with each other. */
	for (int id = 0; id < ARAS_S_COUNT; id++)
		if (aras_settings_check_range(id, s.v[id]) != 0)
			fail_msg("%s: default %u out of its own range", aras_setting_defs[id].token,
				 (unsigned)s.v[id]);
	assert_int_equal(aras_settings_check_consistent(&s, why, sizeof(why)), 0);
}

/* Tokens and subids are unique; both lookups agree with the table. */
static void lookup_by_subid(void **state)
{
	(void)state;
	for (int id = 0; id < ARAS_S_COUNT; id++) {
		/* subid 0: another MIB's object, never found by subid */
		assert_int_equal(aras_settings_by_subid(aras_setting_defs[id].subid),
				 aras_setting_defs[id].subid ? id : -1);
		assert_int_equal(aras_settings_by_token(aras_setting_defs[id].token), id);
	}
	assert_int_equal(aras_settings_by_subid(0), -1);
	assert_int_equal(aras_settings_by_subid(ARAS_S_COUNT + 1), -1);
	assert_int_equal(aras_settings_by_subid(1000), -1);
}

static const struct {
	const char *token;
	int want;
} token_cases[] = {
	{ "cpuThreshold", ARAS_S_CPU_THRESHOLD },
	{ "CPUTHRESHOLD", ARAS_S_CPU_THRESHOLD },
	{ "cputhreshold", ARAS_S_CPU_THRESHOLD },
	{ "CpUtHrEsHoLd", ARAS_S_CPU_THRESHOLD },
	{ "policy", ARAS_S_POLICY },
	{ "POLICY", ARAS_S_POLICY },
	{ "maxMigrations", ARAS_S_MAX_MIGRATIONS },
	{ "maxmigrationsperhost", ARAS_S_MAX_MIGRATIONS_PER_HOST },
	{ "pollInterval", ARAS_S_POLL_INTERVAL },
	{ "migrationTimeout", ARAS_S_MIGRATION_TIMEOUT },
	{ "", -1 },
	{ "cpu", -1 },
	{ "cpuThresholds", -1 },
	{ "cpuThreshold ", -1 },
	{ " cpuThreshold", -1 },
	{ "arasCpuThreshold", -1 }, /* MIB names are not config tokens */
	{ "nonsense", -1 },
};

static void by_token_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEM(token_cases); i++) {
		int got = aras_settings_by_token(token_cases[i].token);

		if (got != token_cases[i].want)
			fail_msg("by_token('%s') = %d, want %d", token_cases[i].token, got,
				 token_cases[i].want);
	}
}

/* ---- aras_settings_parse ----------------------------------------------- */

#define OK 0
#define INVAL (-ARAS_E_INVAL)
#define RANGE (-ARAS_E_RANGE)

static const struct {
	int id;
	const char *text;
	int rc;
	uint32_t out;        /* when rc == 0 */
	const char *why_has; /* when rc != 0: the reason must mention this too */
} parse_cases[] = {
	/* plain numbers */
	{ ARAS_S_CPU_THRESHOLD, "0", OK, 0, NULL },
	{ ARAS_S_CPU_THRESHOLD, "75", OK, 75, NULL },
	{ ARAS_S_CPU_THRESHOLD, "100", OK, 100, NULL },
	{ ARAS_S_CPU_THRESHOLD, "007", OK, 7, NULL },
	{ ARAS_S_CPU_THRESHOLD, "101", RANGE, 0, "101" },
	{ ARAS_S_CPU_THRESHOLD, "4294967295", RANGE, 0, "4294967295" },
	{ ARAS_S_CPU_THRESHOLD, "4294967296", RANGE, 0, "4294967296" },
	{ ARAS_S_CPU_THRESHOLD, "abc", INVAL, 0, "'abc'" },
	{ ARAS_S_CPU_THRESHOLD, "12x", INVAL, 0, "'12x'" },
	{ ARAS_S_CPU_THRESHOLD, "-1", INVAL, 0, "'-1'" },
	{ ARAS_S_CPU_THRESHOLD, "+5", INVAL, 0, "+5" },
	{ ARAS_S_CPU_THRESHOLD, " 5", INVAL, 0, NULL },
	{ ARAS_S_CPU_THRESHOLD, "5 ", INVAL, 0, NULL },
	{ ARAS_S_CPU_THRESHOLD, "5.0", INVAL, 0, "5.0" },
	{ ARAS_S_CPU_THRESHOLD, "0x10", INVAL, 0, "0x10" },
	{ ARAS_S_CPU_THRESHOLD, "", INVAL, 0, "missing" },
	{ ARAS_S_CPU_THRESHOLD, "automatic", INVAL, 0, NULL },
	{ ARAS_S_DISK_IO_CAPACITY, "1", OK, 1, NULL },
	{ ARAS_S_DISK_IO_CAPACITY, "4194304", OK, 4194304, NULL },
	{ ARAS_S_DISK_IO_CAPACITY, "0", RANGE, 0, "1..4194304" },
	{ ARAS_S_DISK_IO_CAPACITY, "4194305", RANGE, 0, "4194305" },
	{ ARAS_S_MEM_STEP, "1023", RANGE, 0, "1024" },
	{ ARAS_S_MEM_STEP, "16777216", OK, 16777216, NULL },
	{ ARAS_S_POLL_INTERVAL, "0", RANGE, 0, NULL },
	{ ARAS_S_POLL_INTERVAL, "3600", OK, 3600, NULL },
	{ ARAS_S_SHRINK_AFTER, "604800", OK, 604800, NULL },
	{ ARAS_S_SHRINK_AFTER, "604801", RANGE, 0, NULL },
	{ ARAS_S_MAX_MIGRATIONS, "0", RANGE, 0, NULL },
	{ ARAS_S_MAX_MIGRATIONS_PER_HOST, "17", RANGE, 0, "1..16" },
	/* enum: names (case-insensitive) or numbers */
	{ ARAS_S_POLICY, "manual", OK, ARAS_POLICY_MANUAL, NULL },
	{ ARAS_S_POLICY, "semiAutomatic", OK, ARAS_POLICY_SEMI, NULL },
	{ ARAS_S_POLICY, "automatic", OK, ARAS_POLICY_AUTO, NULL },
	{ ARAS_S_POLICY, "AUTOMATIC", OK, ARAS_POLICY_AUTO, NULL },
	{ ARAS_S_POLICY, "SemiAutomatic", OK, ARAS_POLICY_SEMI, NULL },
	{ ARAS_S_POLICY, "1", OK, 1, NULL },
	{ ARAS_S_POLICY, "3", OK, 3, NULL },
	{ ARAS_S_POLICY, "0", RANGE, 0, "1..3" },
	{ ARAS_S_POLICY, "4", RANGE, 0, NULL },
	{ ARAS_S_POLICY, "auto", INVAL, 0, "'auto'" },
	{ ARAS_S_POLICY, "semi", INVAL, 0, "'semi'" },
	{ ARAS_S_POLICY, "automatically", INVAL, 0, NULL },
	{ ARAS_S_POLICY, "automatic ", INVAL, 0, NULL },
	{ ARAS_S_POLICY, "2x", INVAL, 0, NULL },
	{ ARAS_S_POLICY, "", INVAL, 0, "missing" },
	/* bits: name lists or "none" */
	{ ARAS_S_ACTIONS, "none", OK, 0, NULL },
	{ ARAS_S_ACTIONS, "NONE", OK, 0, NULL },
	{ ARAS_S_ACTIONS, "trap", OK, ARAS_ACT_TRAP, NULL },
	{ ARAS_S_ACTIONS, "email", OK, ARAS_ACT_EMAIL, NULL },
	{ ARAS_S_ACTIONS, "script", OK, ARAS_ACT_SCRIPT, NULL },
	{ ARAS_S_ACTIONS, "allocate", OK, ARAS_ACT_ALLOCATE, NULL },
	{ ARAS_S_ACTIONS, "Allocate", OK, ARAS_ACT_ALLOCATE, NULL },
	{ ARAS_S_ACTIONS, "trap,email", OK, ARAS_ACT_TRAP | ARAS_ACT_EMAIL, NULL },
	{ ARAS_S_ACTIONS, "email trap", OK, ARAS_ACT_TRAP | ARAS_ACT_EMAIL, NULL },
	{ ARAS_S_ACTIONS, "email,\ttrap", OK, ARAS_ACT_TRAP | ARAS_ACT_EMAIL, NULL },
	{ ARAS_S_ACTIONS, " trap , script ", OK, ARAS_ACT_TRAP | ARAS_ACT_SCRIPT, NULL },
	{ ARAS_S_ACTIONS, "trap,,email", OK, ARAS_ACT_TRAP | ARAS_ACT_EMAIL, NULL },
	{ ARAS_S_ACTIONS, "trap,trap", OK, ARAS_ACT_TRAP, NULL },
	{ ARAS_S_ACTIONS, "trap,email,script,allocate", OK, 15, NULL },
	{ ARAS_S_ACTIONS, "bogus", INVAL, 0, "'bogus'" },
	{ ARAS_S_ACTIONS, "trap,bogus", INVAL, 0, "'bogus'" },
	{ ARAS_S_ACTIONS, "traps", INVAL, 0, "'traps'" },
	{ ARAS_S_ACTIONS, "tra", INVAL, 0, "'tra'" },
	{ ARAS_S_ACTIONS, "trap,none", INVAL, 0, "'none'" },
	{ ARAS_S_ACTIONS, "3", INVAL, 0, NULL },
	{ ARAS_S_ACTIONS, "trap;email", INVAL, 0, NULL },
	{ ARAS_S_ACTIONS, "", INVAL, 0, "missing" },
};

static void parse_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEM(parse_cases); i++) {
		const char *tok = aras_setting_defs[parse_cases[i].id].token;
		const char *text = parse_cases[i].text;
		uint32_t out = 0xdeadbeef;
		char why[256];
		int rc;

		strcpy(why, "(untouched)");
		rc = aras_settings_parse(parse_cases[i].id, text, &out, why, sizeof(why));
		if (rc != parse_cases[i].rc)
			fail_msg("%s '%s': rc %d, want %d (why: %s)", tok, text, rc, parse_cases[i].rc, why);
		if (rc == 0) {
			if (out != parse_cases[i].out)
				fail_msg("%s '%s': out %u, want %u", tok, text, (unsigned)out,
					 (unsigned)parse_cases[i].out);
			continue;
		}
		/* A reason names the setting's token, and the offending text when asked. */
		if (strstr(why, tok) == NULL)
			fail_msg("%s '%s': reason '%s' does not name the token", tok, text, why);
		if (parse_cases[i].why_has && strstr(why, parse_cases[i].why_has) == NULL)
			fail_msg("%s '%s': reason '%s' does not mention '%s'", tok, text, why,
				 parse_cases[i].why_has);
	}
}

static void parse_null_text(void **state)
{
	uint32_t out = 7;
	char why[128] = "";

	(void)state;
	for (int id = 0; id < ARAS_S_COUNT; id++) {
		assert_int_equal(aras_settings_parse(id, NULL, &out, why, sizeof(why)), -ARAS_E_INVAL);
		assert_non_null(strstr(why, aras_setting_defs[id].token));
	}
}

/* A short why buffer is truncated, never overrun. */
static void parse_why_truncated(void **state)
{
	char why[16];
	uint32_t out;

	(void)state;
	memset(why, 'X', sizeof(why));
	assert_int_equal(aras_settings_parse(ARAS_S_ACTIONS, "averyveryverylongbogusname", &out, why, 8),
			 -ARAS_E_INVAL);
	assert_int_equal(strlen(why), 7);
	assert_int_equal(why[8], 'X');
}

/* ---- range ------------------------------------------------------------- */

static void check_range_bounds(void **state)
{
	(void)state;
	for (int id = 0; id < ARAS_S_COUNT; id++) {
		const struct aras_setting_def *d = &aras_setting_defs[id];

		assert_int_equal(aras_settings_check_range(id, d->min), 0);
		assert_int_equal(aras_settings_check_range(id, d->max), 0);
		assert_int_equal(aras_settings_check_range(id, d->def), 0);
		if (d->min > 0)
			assert_int_equal(aras_settings_check_range(id, d->min - 1), -ARAS_E_RANGE);
		assert_int_equal(aras_settings_check_range(id, d->max + 1), -ARAS_E_RANGE);
		assert_int_equal(aras_settings_check_range(id, UINT32_MAX), -ARAS_E_RANGE);
	}
}

/* ---- consistency and SNMP SET validation ------------------------------- */

static const struct {
	const char *name;
	int id;
	uint32_t val;
	int rc;
	const char *why_has;
} set_cases[] = {
	{ "valid threshold", ARAS_S_CPU_THRESHOLD, 50, 0, NULL },
	{ "valid policy", ARAS_S_POLICY, ARAS_POLICY_AUTO, 0, NULL },
	{ "valid actions", ARAS_S_ACTIONS, 15, 0, NULL },
	{ "threshold equal to margin", ARAS_S_CPU_THRESHOLD, 10, 0, NULL },
	{ "margin equal to thresholds", ARAS_S_CLEAR_MARGIN, 90, 0, NULL },
	{ "margin 0", ARAS_S_CLEAR_MARGIN, 0, 0, NULL },
	{ "pollInterval 1 (its minimum)", ARAS_S_POLL_INTERVAL, 1, 0, NULL },
	{ "pollInterval 3600 (its maximum)", ARAS_S_POLL_INTERVAL, 3600, 0, NULL },
	{ "pollInterval 0", ARAS_S_POLL_INTERVAL, 0, -ARAS_E_RANGE,
	  "arasPollInterval: 0 out of range 1..3600" },
	{ "pollInterval 3601", ARAS_S_POLL_INTERVAL, 3601, -ARAS_E_RANGE, "1..3600" },
	{ "cpu over 100", ARAS_S_CPU_THRESHOLD, 101, -ARAS_E_RANGE, "arasCpuThreshold" },
	{ "policy 0", ARAS_S_POLICY, 0, -ARAS_E_RANGE, NULL },
	{ "policy 4", ARAS_S_POLICY, 4, -ARAS_E_RANGE, NULL },
	{ "actions 16", ARAS_S_ACTIONS, 16, -ARAS_E_RANGE, NULL },
	{ "disk io 0", ARAS_S_DISK_IO_CAPACITY, 0, -ARAS_E_RANGE, "1..4194304" },
	{ "maxMigrations 0", ARAS_S_MAX_MIGRATIONS, 0, -ARAS_E_RANGE, NULL },
	{ "range wins over inconsistency", ARAS_S_CLEAR_MARGIN, 101, -ARAS_E_RANGE, NULL },
	{ "margin above cpu threshold", ARAS_S_CLEAR_MARGIN, 91, -ARAS_E_INCONSIST, "clearMargin" },
	{ "cpu threshold below margin", ARAS_S_CPU_THRESHOLD, 9, -ARAS_E_INCONSIST, "cpuThreshold" },
	{ "mem threshold below margin", ARAS_S_MEM_THRESHOLD, 5, -ARAS_E_INCONSIST, "memThreshold" },
	{ "disk threshold below margin", ARAS_S_DISK_THRESHOLD, 5, -ARAS_E_INCONSIST, "diskThreshold" },
	{ "disk threshold 0 (off) ignores the margin", ARAS_S_DISK_THRESHOLD, 0, 0, NULL },
	{ "per-host above cluster cap", ARAS_S_MAX_MIGRATIONS_PER_HOST, 3, -ARAS_E_INCONSIST,
	  "maxMigrationsPerHost" },
	{ "per-host equal to cluster cap", ARAS_S_MAX_MIGRATIONS_PER_HOST, 2, 0, NULL },
	{ "cluster cap equal to per-host", ARAS_S_MAX_MIGRATIONS, 1, 0, NULL },
	{ "no such setting (-1)", -1, 1, -ARAS_E_NOENT, NULL },
	{ "no such setting (COUNT)", ARAS_S_COUNT, 1, -ARAS_E_NOENT, NULL },
};

static void validate_set_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEM(set_cases); i++) {
		struct aras_settings cur, saved;
		char why[256];
		int rc;

		aras_settings_defaults(&cur);
		saved = cur;
		why[0] = '\0';
		rc = aras_settings_validate_set(&cur, set_cases[i].id, set_cases[i].val, why, sizeof(why));
		if (rc != set_cases[i].rc)
			fail_msg("%s: rc %d, want %d (why: %s)", set_cases[i].name, rc, set_cases[i].rc, why);
		if (memcmp(&cur, &saved, sizeof(cur)) != 0)
			fail_msg("%s: validate_set modified cur", set_cases[i].name);
		if (rc != 0 && why[0] == '\0')
			fail_msg("%s: no reason given", set_cases[i].name);
		if (set_cases[i].why_has && strstr(why, set_cases[i].why_has) == NULL)
			fail_msg("%s: reason '%s' does not mention '%s'", set_cases[i].name, why,
				 set_cases[i].why_has);
	}
}

/* Lowering the cluster cap below a raised per-host cap is caught too. */
static void validate_set_migration_caps(void **state)
{
	struct aras_settings cur, saved;
	char why[256];

	(void)state;
	aras_settings_defaults(&cur);
	cur.v[ARAS_S_MAX_MIGRATIONS] = 8;
	cur.v[ARAS_S_MAX_MIGRATIONS_PER_HOST] = 4;
	saved = cur;
	assert_int_equal(aras_settings_validate_set(&cur, ARAS_S_MAX_MIGRATIONS, 3, why, sizeof(why)),
			 -ARAS_E_INCONSIST);
	assert_non_null(strstr(why, "maxMigrations"));
	assert_int_equal(aras_settings_validate_set(&cur, ARAS_S_MAX_MIGRATIONS, 4, why, sizeof(why)), 0);
	assert_int_equal(
		aras_settings_validate_set(&cur, ARAS_S_MAX_MIGRATIONS_PER_HOST, 9, why, sizeof(why)),
		-ARAS_E_INCONSIST);
	assert_int_equal(
		aras_settings_validate_set(&cur, ARAS_S_MAX_MIGRATIONS_PER_HOST, 8, why, sizeof(why)), 0);
	assert_memory_equal(&cur, &saved, sizeof(cur));
}

/* Raising the margin is fine as long as every threshold stays at or above it. */
static void validate_set_margin_vs_each_threshold(void **state)
{
	static const int thr[] = { ARAS_S_CPU_THRESHOLD, ARAS_S_MEM_THRESHOLD, ARAS_S_DISK_THRESHOLD };

	(void)state;
	for (size_t t = 0; t < N_ELEM(thr); t++) {
		struct aras_settings cur, saved;
		char why[256];

		aras_settings_defaults(&cur);
		cur.v[thr[t]] = 30; /* the others stay at 90 */
		saved = cur;
		assert_int_equal(aras_settings_validate_set(&cur, ARAS_S_CLEAR_MARGIN, 30, why, sizeof(why)),
				 0);
		assert_int_equal(aras_settings_validate_set(&cur, ARAS_S_CLEAR_MARGIN, 31, why, sizeof(why)),
				 -ARAS_E_INCONSIST);
		if (strstr(why, aras_setting_defs[thr[t]].token) == NULL)
			fail_msg("reason '%s' does not name %s", why, aras_setting_defs[thr[t]].token);
		assert_memory_equal(&cur, &saved, sizeof(cur));
	}
}

static void check_consistent_direct(void **state)
{
	struct aras_settings s;
	char why[256];

	(void)state;
	aras_settings_defaults(&s);
	assert_int_equal(aras_settings_check_consistent(&s, why, sizeof(why)), 0);
	s.v[ARAS_S_CLEAR_MARGIN] = 100;
	s.v[ARAS_S_CPU_THRESHOLD] = s.v[ARAS_S_MEM_THRESHOLD] = s.v[ARAS_S_DISK_THRESHOLD] = 100;
	assert_int_equal(aras_settings_check_consistent(&s, why, sizeof(why)), 0);
	s.v[ARAS_S_MEM_THRESHOLD] = 99;
	assert_int_equal(aras_settings_check_consistent(&s, why, sizeof(why)), -ARAS_E_INCONSIST);
	assert_non_null(strstr(why, "memThreshold"));
	s.v[ARAS_S_MEM_THRESHOLD] = 100;
	s.v[ARAS_S_MAX_MIGRATIONS] = 16;
	s.v[ARAS_S_MAX_MIGRATIONS_PER_HOST] = 16;
	assert_int_equal(aras_settings_check_consistent(&s, why, sizeof(why)), 0);
	s.v[ARAS_S_MAX_MIGRATIONS] = 15;
	assert_int_equal(aras_settings_check_consistent(&s, why, sizeof(why)), -ARAS_E_INCONSIST);
	assert_non_null(strstr(why, "maxMigrationsPerHost"));
}

/* ---- format ------------------------------------------------------------ */

static const struct {
	int id;
	uint32_t val;
	const char *want;
} format_cases[] = {
	{ ARAS_S_POLICY, 1, "manual" },
	{ ARAS_S_POLICY, 2, "semiAutomatic" },
	{ ARAS_S_POLICY, 3, "automatic" },
	{ ARAS_S_POLICY, 0, "0" }, /* out of range: the number, not a name */
	{ ARAS_S_POLICY, 4, "4" },
	{ ARAS_S_ACTIONS, 0, "none" },
	{ ARAS_S_ACTIONS, 1, "trap" },
	{ ARAS_S_ACTIONS, 3, "trap,email" },
	{ ARAS_S_ACTIONS, 10, "email,allocate" },
	{ ARAS_S_ACTIONS, 15, "trap,email,script,allocate" },
	{ ARAS_S_CPU_THRESHOLD, 90, "90" },
	{ ARAS_S_CPU_THRESHOLD, 0, "0" },
	{ ARAS_S_DISK_IO_CAPACITY, 4194304, "4194304" },
	{ ARAS_S_MEM_STEP, 262144, "262144" },
};

static void format_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < N_ELEM(format_cases); i++) {
		char buf[128];

		memset(buf, 'X', sizeof(buf));
		aras_settings_format(format_cases[i].id, format_cases[i].val, buf, sizeof(buf));
		if (strcmp(buf, format_cases[i].want) != 0)
			fail_msg("format(%s, %u) = '%s', want '%s'",
				 aras_setting_defs[format_cases[i].id].token, (unsigned)format_cases[i].val,
				 buf, format_cases[i].want);
	}
}

/* A short buffer gets a truncated, terminated prefix and nothing beyond it. */
static void format_truncates(void **state)
{
	char buf[16];

	(void)state;
	memset(buf, 'X', sizeof(buf));
	aras_settings_format(ARAS_S_ACTIONS, 15, buf, 8);
	assert_string_equal(buf, "trap,em");
	assert_int_equal(buf[8], 'X');
	memset(buf, 'X', sizeof(buf));
	aras_settings_format(ARAS_S_POLICY, ARAS_POLICY_SEMI, buf, 5);
	assert_string_equal(buf, "semi");
	assert_int_equal(buf[5], 'X');
}

/* format then parse gives the value back, for every setting. */
static void format_parse_round_trip(void **state)
{
	(void)state;
	for (int id = 0; id < ARAS_S_COUNT; id++) {
		const struct aras_setting_def *d = &aras_setting_defs[id];
		uint32_t vals[64];
		size_t n = 0;

		vals[n++] = d->def;
		vals[n++] = d->min;
		vals[n++] = d->max;
		vals[n++] = d->min + (d->max - d->min) / 2;
		vals[n++] = d->min + 1;
		vals[n++] = d->max - 1;
		if (d->type != ARAS_ST_UINT)
			for (uint32_t v = d->min; v <= d->max && n < N_ELEM(vals); v++)
				vals[n++] = v;
		for (size_t k = 0; k < n; k++) {
			char buf[128], why[256] = "";
			uint32_t out = 0xdeadbeef;
			int rc;

			aras_settings_format(id, vals[k], buf, sizeof(buf));
			rc = aras_settings_parse(id, buf, &out, why, sizeof(why));
			if (rc != 0 || out != vals[k])
				fail_msg("%s: %u formats as '%s', parses back rc %d value %u (%s)", d->token,
					 (unsigned)vals[k], buf, rc, (unsigned)out, why);
		}
	}
}

/* The envelope's switches are TruthValues: true(1) / false(2), by name or number. */
static void envelope_truth_values(void **state)
{
	static const int ids[] = { ARAS_S_MIGRATION_AUTO_CONVERGE, ARAS_S_MIGRATION_POST_COPY };
	char why[128], buf[32];
	uint32_t v = 0;

	(void)state;
	for (size_t i = 0; i < N_ELEM(ids); i++) {
		assert_int_equal(aras_settings_parse(ids[i], "true", &v, why, sizeof(why)), 0);
		assert_int_equal(v, ARAS_TRUE);
		assert_int_equal(aras_settings_parse(ids[i], "False", &v, why, sizeof(why)), 0);
		assert_int_equal(v, ARAS_FALSE);
		assert_int_equal(aras_settings_parse(ids[i], "2", &v, why, sizeof(why)), 0);
		assert_int_equal(v, ARAS_FALSE);
		assert_int_equal(aras_settings_parse(ids[i], "on", &v, why, sizeof(why)), -ARAS_E_INVAL);
		assert_int_equal(aras_settings_parse(ids[i], "3", &v, why, sizeof(why)), -ARAS_E_RANGE);
		/* over SNMP: an INTEGER 1..2 */
		assert_int_equal(aras_settings_decode(ids[i], ARAS_VT_INTEGER, 1, sizeof(long), NULL, 0, &v),
				 0);
		assert_int_equal(v, ARAS_TRUE);
		assert_int_equal(aras_settings_decode(ids[i], ARAS_VT_INTEGER, 0, sizeof(long), NULL, 0, &v),
				 -ARAS_E_RANGE);
		assert_int_equal(aras_settings_decode(ids[i], ARAS_VT_INTEGER, 3, sizeof(long), NULL, 0, &v),
				 -ARAS_E_RANGE);
		assert_int_equal(aras_settings_decode(ids[i], ARAS_VT_UNSIGNED, 1, sizeof(long), NULL, 0, &v),
				 -ARAS_E_INVAL);
		aras_settings_format(ids[i], ARAS_TRUE, buf, sizeof(buf));
		assert_string_equal(buf, "true");
	}
	/* bandwidth and minStay: Unsigned32 with 0 allowed (unlimited / off) */
	assert_int_equal(aras_settings_parse(ARAS_S_MIGRATION_BANDWIDTH, "0", &v, why, sizeof(why)), 0);
	assert_int_equal(aras_settings_parse(ARAS_S_MIGRATION_BANDWIDTH, "1000001", &v, why, sizeof(why)),
			 -ARAS_E_RANGE);
	assert_int_equal(aras_settings_parse(ARAS_S_MIN_STAY, "604801", &v, why, sizeof(why)), -ARAS_E_RANGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(table_matches_spec),
		cmocka_unit_test(defaults_match_table),
		cmocka_unit_test(lookup_by_subid),
		cmocka_unit_test(by_token_table),
		cmocka_unit_test(parse_table),
		cmocka_unit_test(parse_null_text),
		cmocka_unit_test(parse_why_truncated),
		cmocka_unit_test(check_range_bounds),
		cmocka_unit_test(validate_set_table),
		cmocka_unit_test(validate_set_migration_caps),
		cmocka_unit_test(validate_set_margin_vs_each_threshold),
		cmocka_unit_test(check_consistent_direct),
		cmocka_unit_test(format_table),
		cmocka_unit_test(format_truncates),
		cmocka_unit_test(format_parse_round_trip),
		cmocka_unit_test(envelope_truth_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
