/*
 * settings.h - the one table of arasd's tunable settings.  Each entry gives
 * the config-file token, the MIB object (arasConfig.<subid>.0), the type,
 * default, bounds and whether SNMP may write it.  Config parsing, SNMP SETs,
 * persistence and the generated documentation all read this table.
 */
#ifndef ARAS_SETTINGS_H
#define ARAS_SETTINGS_H

#include <stddef.h>
#include <stdint.h>

enum aras_setting_id {
	ARAS_S_POLICY,
	ARAS_S_CPU_THRESHOLD,
	ARAS_S_MEM_THRESHOLD,
	ARAS_S_DISK_THRESHOLD,
	ARAS_S_HOLD_TIME,
	ARAS_S_CLEAR_MARGIN,
	ARAS_S_ACTIONS,
	ARAS_S_HOST_CPU_HIGH,
	ARAS_S_HOST_MEM_FREE_MIN,
	ARAS_S_HOST_DISK_LOW,
	ARAS_S_DISK_IO_CAPACITY,
	ARAS_S_COOLDOWN,
	ARAS_S_MAX_MIGRATIONS,
	ARAS_S_MAX_MIGRATIONS_PER_HOST,
	ARAS_S_PROPOSAL_TIMEOUT,
	ARAS_S_MEM_STEP,
	ARAS_S_SHRINK_AFTER,
	ARAS_S_EVENT_LOG_SIZE,
	ARAS_S_POLL_INTERVAL,
	ARAS_S_MIGRATION_TIMEOUT,
	ARAS_S_SHUTDOWN_TIMEOUT,
	ARAS_S_STATE_NOTIFY_LIMIT,
	ARAS_S_STEAL_THRESHOLD,
	/* the migration envelope (arasConfig 24..27) */
	ARAS_S_MIGRATION_BANDWIDTH,
	ARAS_S_MIGRATION_AUTO_CONVERGE,
	ARAS_S_MIGRATION_POST_COPY,
	ARAS_S_MIN_STAY,
	/* RFC 7666 VM-MIB's two switches (subid 0: not in arasConfig; snmp/vmmib.c) */
	ARAS_S_VM_PER_VM_NOTIFY,
	ARAS_S_VM_BULK_NOTIFY,
	ARAS_S_COUNT
};

enum aras_policy { ARAS_POLICY_MANUAL = 1, ARAS_POLICY_SEMI = 2, ARAS_POLICY_AUTO = 3 };

/* TruthValue settings (ENUM true(1) / false(2)). */
enum aras_truth { ARAS_TRUE = 1, ARAS_FALSE = 2 };

/* arasActions bits, numbered as in the MIB's BITS (bit 0 = trap). */
enum aras_action_bit {
	ARAS_ACT_TRAP = 1u << 0,
	ARAS_ACT_EMAIL = 1u << 1,
	ARAS_ACT_SCRIPT = 1u << 2,
	ARAS_ACT_ALLOCATE = 1u << 3,
};

enum aras_stype { ARAS_ST_UINT, ARAS_ST_ENUM, ARAS_ST_BITS };

struct aras_setting_def {
	const char *token;    /* config-file keyword, e.g. "cpuThreshold" */
	const char *mib_name; /* e.g. "arasCpuThreshold" */
	unsigned subid;       /* arasConfig.<subid>.0; 0: another MIB's object (VM-MIB's, mib_name) */
	enum aras_stype type;
	uint32_t def, min, max;
	int snmp_writable;
	const char *const *names; /* ENUM: names[v - 1]; BITS: names[bit] */
	unsigned nnames;
	const char *unit;
	const char *help;
};

struct aras_settings {
	uint32_t v[ARAS_S_COUNT];
};

extern const struct aras_setting_def aras_setting_defs[ARAS_S_COUNT];

void aras_settings_defaults(struct aras_settings *s);

/* Lookup by config token (case-insensitive) or by MIB subid; NULL/-1 if none. */
int aras_settings_by_token(const char *token);
int aras_settings_by_subid(unsigned subid);

/*
 * Parse a config-file value for setting id: a number, an enum name
 * ("automatic"), or for BITS a comma/space separated list of bit names
 * ("trap,email") or "none".  0, -ARAS_E_INVAL (not parsable) or
 * -ARAS_E_RANGE (outside the bounds).  why receives a reason on error.
 */
int aras_settings_parse(int id, const char *text, uint32_t *out, char *why, size_t whylen);

/*
 * Decode the value of a SET varbind for setting id, as the SNMP adapter
 * received it (vtype: what the varbind carries; ival for INTEGER and
 * Unsigned32 with ilen its encoded size in bytes, octets/len for an OCTET
 * STRING).  ENUM wants an INTEGER 1..names, BITS an OCTET STRING of at most
 * 4 octets naming only defined bits, the others an Unsigned32.  0,
 * -ARAS_E_INVAL (wrong type), -ARAS_E_LENGTH, -ARAS_E_RANGE.  Bounds of the
 * setting itself are aras_settings_check_range's.
 */
enum aras_vtype { ARAS_VT_INTEGER = 1, ARAS_VT_UNSIGNED = 2, ARAS_VT_OCTETS = 3, ARAS_VT_OTHER = 4 };
int aras_settings_decode(int id, int vtype, long ival, size_t ilen, const uint8_t *octets, size_t len,
			 uint32_t *out);

/* Bounds check of one value: 0 or -ARAS_E_RANGE. */
int aras_settings_check_range(int id, uint32_t val);

/*
 * Check the whole set for contradictions (e.g. a clear margin larger than
 * a threshold, a per-host migration cap above the cluster cap).  0 or
 * -ARAS_E_INCONSIST with a reason in why.
 */
int aras_settings_check_consistent(const struct aras_settings *s, char *why, size_t whylen);

/*
 * Validate a SET of one setting as SNMP would: not writable -> RDONLY,
 * out of bounds -> RANGE, contradicting the others -> INCONSIST.  cur is
 * not changed; on 0 the caller may store val.
 */
int aras_settings_validate_set(const struct aras_settings *cur, int id, uint32_t val, char *why,
			       size_t whylen);

/* Render a value the way the config file writes it ("automatic", "trap,email"). */
void aras_settings_format(int id, uint32_t val, char *buf, size_t len);

#endif
