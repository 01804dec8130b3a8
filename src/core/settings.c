/*
 * settings.c - the settings table and its validation rules.
 */
#include "settings.h"

#include "aras.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const policy_names[] = { "manual", "semiAutomatic", "automatic" };
static const char *const action_names[] = { "trap", "email", "script", "allocate" };
static const char *const truth_names[] = { "true", "false" };

#define UINT(tok, mib, sub, d, lo, hi, w, unit, help)                                                        \
	{                                                                                                    \
		tok, mib, sub, ARAS_ST_UINT, d, lo, hi, w, NULL, 0, unit, help                               \
	}

const struct aras_setting_def aras_setting_defs[ARAS_S_COUNT] = {
	[ARAS_S_POLICY] = { "policy", "arasPolicy", 1, ARAS_ST_ENUM, ARAS_POLICY_MANUAL, 1, 3, 1,
			    policy_names, 3, "",
			    "manual: only operator orders; semiAutomatic: proposals wait for approval; "
			    "automatic: act" },
	[ARAS_S_CPU_THRESHOLD] = UINT("cpuThreshold", "arasCpuThreshold", 2, 90, 0, 100, 1, "percent",
				      "VM CPU use (of its vCPUs) that breaches the SLA"),
	[ARAS_S_MEM_THRESHOLD] = UINT("memThreshold", "arasMemThreshold", 3, 90, 0, 100, 1, "percent",
				      "VM memory use that breaches the SLA"),
	[ARAS_S_DISK_THRESHOLD] = UINT("diskThreshold", "arasDiskThreshold", 4, 90, 0, 100, 1, "percent",
				       "VM disk I/O (of diskIoCapacity) that breaches the SLA"),
	[ARAS_S_HOLD_TIME] = UINT("holdTime", "arasHoldTime", 5, 60, 0, 86400, 1, "seconds",
				  "how long a breach must last before it alerts"),
	[ARAS_S_CLEAR_MARGIN] = UINT("clearMargin", "arasClearMargin", 6, 10, 0, 100, 1, "percent",
				     "an alert clears below threshold minus this margin"),
	[ARAS_S_ACTIONS] = { "actions", "arasActions", 7, ARAS_ST_BITS, ARAS_ACT_TRAP, 0, 15, 1, action_names,
			     4, "", "what an alert does: trap, email, script, allocate" },
	[ARAS_S_HOST_CPU_HIGH] = UINT("hostCpuHigh", "arasHostCpuHigh", 8, 80, 0, 100, 1, "percent",
				      "host CPU use at or above which a vCPU is not added"),
	[ARAS_S_HOST_MEM_FREE_MIN] = UINT("hostMemFreeMin", "arasHostMemFreeMin", 9, 20, 0, 100, 1, "percent",
					  "host free memory needed to grow a balloon"),
	[ARAS_S_HOST_DISK_LOW] = UINT("hostDiskLow", "arasHostDiskLow", 10, 70, 0, 100, 1, "percent",
				      "host storage use below which a disk may be added"),
	[ARAS_S_DISK_IO_CAPACITY] = UINT("diskIoCapacity", "arasDiskIoCapacity", 11, 102400, 1, 4194304, 1,
					 "KiB/s", "disk I/O rate that counts as 100 % for a VM"),
	[ARAS_S_COOLDOWN] = UINT("cooldown", "arasCooldown", 12, 600, 0, 86400, 1, "seconds",
				 "per-VM quiet time after an action"),
	[ARAS_S_MAX_MIGRATIONS] = UINT("maxMigrations", "arasMaxMigrations", 13, 2, 1, 64, 1, "",
				       "concurrent live migrations in the cluster"),
	[ARAS_S_MAX_MIGRATIONS_PER_HOST] = UINT("maxMigrationsPerHost", "arasMaxMigrationsPerHost", 14, 1, 1,
						16, 1, "", "concurrent live migrations into one host"),
	[ARAS_S_PROPOSAL_TIMEOUT] = UINT("proposalTimeout", "arasProposalTimeout", 15, 900, 10, 86400, 1,
					 "seconds", "a proposed action expires after this time"),
	[ARAS_S_MEM_STEP] = UINT("memStep", "arasMemStep", 16, 262144, 1024, 16777216, 1, "KiB",
				 "balloon growth per action"),
	[ARAS_S_SHRINK_AFTER] = UINT("shrinkAfter", "arasShrinkAfter", 17, 0, 0, 604800, 1, "seconds",
				     "return added resources idle this long (0 = never)"),
	[ARAS_S_EVENT_LOG_SIZE] = UINT("eventLogSize", "arasEventLogSize", 18, 1000, 10, 100000, 1, "rows",
				       "rows kept in arasEventTable"),
	[ARAS_S_POLL_INTERVAL] = UINT("pollInterval", "arasPollInterval", 19, 10, 1, 3600, 1, "seconds",
				      "how often every host is polled (a SET applies to the wait under way)"),
	[ARAS_S_MIGRATION_TIMEOUT] = UINT("migrationTimeout", "arasMigrationTimeout", 20, 300, 10, 3600, 1,
					  "seconds", "a live migration still running after this is aborted"),
	[ARAS_S_SHUTDOWN_TIMEOUT] =
		UINT("shutdownTimeout", "arasShutdownTimeout", 21, 120, 5, 3600, 1, "seconds",
		     "how long a shutdown command waits for the guest to power off"),
	[ARAS_S_STATE_NOTIFY_LIMIT] =
		UINT("stateNotifyLimit", "arasStateNotifyLimit", 22, 20, 1, 10000, 1, "notifications",
		     "arasVmStateChange notifications sent in any 10 seconds"),
	[ARAS_S_STEAL_THRESHOLD] = UINT("stealThreshold", "arasStealThreshold", 23, 10, 0, 100, 1, "percent",
					"VM or host-mean steal at or above which a CPU alert moves a VM "
					"instead of adding a vCPU (0 = off)"),
	/* the migration envelope */
	[ARAS_S_MIGRATION_BANDWIDTH] =
		UINT("migrationBandwidth", "arasMigrationBandwidth", 24, 0, 0, 1000000, 1, "MiB/s",
		     "cap on a live migration's transfer rate (0 = unlimited)"),
	[ARAS_S_MIGRATION_AUTO_CONVERGE] = { "migrationAutoConverge", "arasMigrationAutoConverge", 25,
					     ARAS_ST_ENUM, ARAS_TRUE, 1, 2, 1, truth_names, 2, "",
					     "throttle a guest's vCPUs while its memory does not converge "
					     "(every move)" },
	[ARAS_S_MIGRATION_POST_COPY] = { "migrationPostCopy", "arasMigrationPostCopy", 26, ARAS_ST_ENUM,
					 ARAS_FALSE, 1, 2, 1, truth_names, 2, "",
					 "switch a migration that does not converge to post-copy at half the "
					 "timeout" },
	[ARAS_S_MIN_STAY] =
		UINT("minStay", "arasMinStay", 27, 0, 0, 604800, 1, "seconds",
		     "a VM the controller moved is not moved again by it for this long (0 = off)"),
	/* RFC 7666 VM-MIB (vmObjects 9 and 10), served by snmp/vmmib.c, not under arasConfig */
	[ARAS_S_VM_PER_VM_NOTIFY] = { "vmPerVMNotificationsEnabled", "vmPerVMNotificationsEnabled", 0,
				      ARAS_ST_ENUM, ARAS_TRUE, 1, 2, 1, truth_names, 2, "",
				      "VM-MIB: a VM's state change sends vmRunning ... vmDeleted" },
	[ARAS_S_VM_BULK_NOTIFY] = { "vmBulkNotificationsEnabled", "vmBulkNotificationsEnabled", 0,
				    ARAS_ST_ENUM, ARAS_TRUE, 1, 2, 1, truth_names, 2, "",
				    "VM-MIB: changes held back by stateNotifyLimit (or with per-VM "
				    "notifications off) leave as vmBulkRunning ... vmBulkDeleted" },
};

void aras_settings_defaults(struct aras_settings *s)
{
	for (int i = 0; i < ARAS_S_COUNT; i++)
		s->v[i] = aras_setting_defs[i].def;
}

int aras_settings_by_token(const char *token)
{
	for (int i = 0; i < ARAS_S_COUNT; i++)
		if (strcasecmp(token, aras_setting_defs[i].token) == 0)
			return i;
	return -1;
}

int aras_settings_by_subid(unsigned subid)
{
	for (int i = 0; i < ARAS_S_COUNT; i++)
		if (subid && aras_setting_defs[i].subid == subid)
			return i;
	return -1;
}

int aras_settings_check_range(int id, uint32_t val)
{
	const struct aras_setting_def *d = &aras_setting_defs[id];

	return (val < d->min || val > d->max) ? -ARAS_E_RANGE : 0;
}

static int parse_name(const struct aras_setting_def *d, const char *s, size_t len)
{
	for (unsigned i = 0; i < d->nnames; i++)
		if (strlen(d->names[i]) == len && strncasecmp(s, d->names[i], len) == 0)
			return (int)i;
	return -1;
}

static int parse_bits(const struct aras_setting_def *d, const char *text, uint32_t *out, char *why,
		      size_t whylen)
{
	uint32_t bits = 0;
	const char *p = text;

	if (strcasecmp(text, "none") == 0) {
		*out = 0;
		return 0;
	}
	while (*p) {
		size_t len;
		int b;

		while (*p == ',' || isspace((unsigned char)*p))
			p++;
		if (!*p)
			break;
		len = strcspn(p, ", \t");
		b = parse_name(d, p, len);
		if (b < 0) {
			snprintf(why, whylen,
				 "%s: unknown action '%.*s' (expected trap, email, script, allocate or none)",
				 d->token, (int)len, p);
			return -ARAS_E_INVAL;
		}
		bits |= 1u << b;
		p += len;
	}
	*out = bits;
	return 0;
}

int aras_settings_parse(int id, const char *text, uint32_t *out, char *why, size_t whylen)
{
	const struct aras_setting_def *d = &aras_setting_defs[id];
	unsigned long v;
	char *end;

	if (!text || !*text) {
		snprintf(why, whylen, "%s: missing value", d->token);
		return -ARAS_E_INVAL;
	}
	if (d->type == ARAS_ST_BITS)
		return parse_bits(d, text, out, why, whylen);
	if (d->type == ARAS_ST_ENUM && !isdigit((unsigned char)text[0])) {
		int i = parse_name(d, text, strlen(text));

		if (i < 0) {
			snprintf(why, whylen, "%s: unknown value '%s'", d->token, text);
			return -ARAS_E_INVAL;
		}
		*out = (uint32_t)i + 1;
		return 0;
	}
	errno = 0;
	v = strtoul(text, &end, 10);
	if (!isdigit((unsigned char)text[0]) || *end != '\0' || errno) {
		snprintf(why, whylen, "%s: '%s' is not a number", d->token, text);
		return -ARAS_E_INVAL;
	}
	if (v < d->min || v > d->max) {
		snprintf(why, whylen, "%s: %s out of range %u..%u", d->token, text, (unsigned)d->min,
			 (unsigned)d->max);
		return -ARAS_E_RANGE;
	}
	*out = (uint32_t)v;
	return 0;
}

int aras_settings_check_consistent(const struct aras_settings *s, char *why, size_t whylen)
{
	static const int thr[] = { ARAS_S_CPU_THRESHOLD, ARAS_S_MEM_THRESHOLD, ARAS_S_DISK_THRESHOLD };
	uint32_t margin = s->v[ARAS_S_CLEAR_MARGIN];

	for (size_t i = 0; i < ARAS_ARRAY_SIZE(thr); i++) {
		/* a threshold of 0 turns the resource off: no margin to respect */
		if (s->v[thr[i]] && margin > s->v[thr[i]]) {
			snprintf(why, whylen,
				 "clearMargin %u is larger than %s %u: the alert could never clear",
				 (unsigned)margin, aras_setting_defs[thr[i]].token, (unsigned)s->v[thr[i]]);
			return -ARAS_E_INCONSIST;
		}
	}
	if (s->v[ARAS_S_MAX_MIGRATIONS_PER_HOST] > s->v[ARAS_S_MAX_MIGRATIONS]) {
		snprintf(why, whylen, "maxMigrationsPerHost %u exceeds maxMigrations %u",
			 (unsigned)s->v[ARAS_S_MAX_MIGRATIONS_PER_HOST],
			 (unsigned)s->v[ARAS_S_MAX_MIGRATIONS]);
		return -ARAS_E_INCONSIST;
	}
	return 0;
}

int aras_settings_validate_set(const struct aras_settings *cur, int id, uint32_t val, char *why,
			       size_t whylen)
{
	struct aras_settings next;

	if (id < 0 || id >= ARAS_S_COUNT) {
		snprintf(why, whylen, "no such setting");
		return -ARAS_E_NOENT;
	}
	if (!aras_setting_defs[id].snmp_writable) {
		snprintf(why, whylen, "%s is read-only over SNMP", aras_setting_defs[id].mib_name);
		return -ARAS_E_RDONLY;
	}
	if (aras_settings_check_range(id, val) < 0) {
		snprintf(why, whylen, "%s: %u out of range %u..%u", aras_setting_defs[id].mib_name,
			 (unsigned)val, (unsigned)aras_setting_defs[id].min,
			 (unsigned)aras_setting_defs[id].max);
		return -ARAS_E_RANGE;
	}
	next = *cur;
	next.v[id] = val;
	return aras_settings_check_consistent(&next, why, whylen);
}

void aras_settings_format(int id, uint32_t val, char *buf, size_t len)
{
	const struct aras_setting_def *d = &aras_setting_defs[id];
	size_t used = 0;

	if (d->type == ARAS_ST_ENUM && val >= 1 && val <= d->nnames) {
		snprintf(buf, len, "%s", d->names[val - 1]);
		return;
	}
	if (d->type == ARAS_ST_BITS) {
		buf[0] = '\0';
		for (unsigned b = 0; b < d->nnames; b++) {
			if (!(val & (1u << b)))
				continue;
			used += (size_t)snprintf(buf + used, used < len ? len - used : 0, "%s%s",
						 used ? "," : "", d->names[b]);
		}
		if (!used)
			snprintf(buf, len, "none");
		return;
	}
	snprintf(buf, len, "%u", (unsigned)val);
}

int aras_settings_decode(int id, int vtype, long ival, size_t ilen, const uint8_t *octets, size_t len,
			 uint32_t *out)
{
	const struct aras_setting_def *def;

	if (id < 0 || id >= ARAS_S_COUNT)
		return -ARAS_E_INVAL;
	def = &aras_setting_defs[id];
	switch (def->type) {
	case ARAS_ST_ENUM:
		if (vtype != ARAS_VT_INTEGER || ilen != sizeof(long))
			return -ARAS_E_INVAL;
		if (ival < 1 || ival > (long)def->nnames)
			return -ARAS_E_RANGE;
		*out = (uint32_t)ival;
		return 0;
	case ARAS_ST_BITS: {
		uint32_t v = 0;

		if (vtype != ARAS_VT_OCTETS)
			return -ARAS_E_INVAL;
		if (len > 4)
			return -ARAS_E_LENGTH;
		/* BITS: bit 0 is the most significant bit of the first octet */
		for (size_t i = 0; i < len * 8; i++)
			if (octets[i / 8] & (0x80 >> (i % 8)))
				v |= 1u << i;
		if (v >> def->nnames)
			return -ARAS_E_RANGE;
		*out = v;
		return 0;
	}
	default:
		if (vtype != ARAS_VT_UNSIGNED || ilen != sizeof(long))
			return -ARAS_E_INVAL;
		if (ival < 0 || (unsigned long)ival > UINT32_MAX)
			return -ARAS_E_RANGE;
		*out = (uint32_t)ival;
		return 0;
	}
}
