/*
 * state.h - what operators change at run time and what must survive a
 * restart or kill -9: the settings (and which of them were SET over SNMP)
 * and per-VM preferences (priority, threshold overrides, opt-out), keyed
 * by UUID so they outlive a VM's absence.  Saved atomically (temporary
 * file, fsync, rename, fsync of the directory).  Pure C11 + POSIX I/O.
 *
 * File format, one item per line, '#' comments:
 *   setting TOKEN VALUE          e.g. "setting cpuThreshold 75"
 *   vm UUID FIELD VALUE          FIELD: priority cpuThreshold memThreshold
 *                                diskThreshold optOut (optOut 1 = opted out)
 *   maintenance HOSTINDEX        the host is in maintenance
 *   group NAME RULE [HOSTS [notInService]]
 *                                a placement rule (rules.h): RULE antiAffinity
 *                                or affinity, HOSTS comma-separated host names
 *                                or '-' (any host)
 *   vm UUID group NAME           the VM is a member of group NAME (defined in
 *                                the same file)
 *   vmIndex UUID N               RFC 7666's vmIndex of the VM (snmp/vmmib.c):
 *                                given once, never reused, kept while arasd
 *                                runs and across restarts
 */
#ifndef ARAS_STATE_H
#define ARAS_STATE_H

#include "aras.h"
#include "settings.h"

#include <stddef.h>
#include <stdint.h>

/* Placement rules (arasGroupTable; see rules.h). */
#define ARAS_GROUP_NAME_MAX 32
#define ARAS_GROUP_HOSTS_MAX 255
#define ARAS_GROUPS_MAX 256
enum aras_group_rule { ARAS_RULE_ANTI_AFFINITY = 1, ARAS_RULE_AFFINITY = 2 };

struct aras_group {
	char name[ARAS_GROUP_NAME_MAX + 1];
	int rule;                             /* enum aras_group_rule */
	char hosts[ARAS_GROUP_HOSTS_MAX + 1]; /* comma-separated host names; "" = any */
	int active;                           /* RowStatus active (else notInService) */
};

struct aras_vm_prefs {
	uint8_t uuid[ARAS_UUID_LEN];
	unsigned priority;                   /* 0..100, higher served first */
	unsigned thr[ARAS_NRES];             /* cpu, memory, disk; 0 = global */
	int opt_out;                         /* 1: the controller leaves this VM alone */
	char group[ARAS_GROUP_NAME_MAX + 1]; /* arasVmGroup; "" = none */
};

/* Per-VM preference fields, as SNMP columns and file keywords. */
enum aras_pref_field {
	ARAS_PREF_PRIORITY,
	ARAS_PREF_THR_CPU,
	ARAS_PREF_THR_MEM,
	ARAS_PREF_THR_DISK,
	ARAS_PREF_OPT_OUT,
	ARAS_PREF_COUNT
};

/* RFC 7666 vmIndex of a VM (VM-MIB's vmTable), by UUID. */
struct aras_vmidx {
	uint8_t uuid[ARAS_UUID_LEN];
	uint32_t index; /* 1..2147483647 */
};
#define ARAS_VMIDX_MAX 2147483647u

struct aras_state {
	struct aras_settings settings;
	uint32_t persisted;          /* bit i: setting i was SET over SNMP */
	struct aras_vm_prefs *prefs; /* sorted by uuid */
	size_t nprefs;
	unsigned maint[ARAS_MAINT_MAX]; /* hosts in maintenance (arasHostMaintenance) */
	size_t nmaint;
	struct aras_group *groups; /* placement rules, sorted by name (strcmp) */
	size_t ngroups;
	struct aras_vmidx *vmidx; /* VM-MIB vmIndex, sorted by uuid */
	size_t nvmidx, capvmidx;
	uint32_t vmidx_last; /* the highest index ever given (the next is one more) */
};

void aras_state_init(struct aras_state *st);
void aras_state_free(struct aras_state *st);
/* Deep copy; dst must be initialised (its old content is freed). */
int aras_state_copy(struct aras_state *dst, const struct aras_state *src);

const struct aras_vm_prefs *aras_state_find_prefs(const struct aras_state *st,
						  const uint8_t uuid[ARAS_UUID_LEN]);
/* Read one field (0 when the VM has no prefs). */
unsigned aras_state_pref(const struct aras_state *st, const uint8_t uuid[ARAS_UUID_LEN], int field);
/*
 * Validate and set one field: range -ARAS_E_RANGE (priority/thresholds
 * 0..100, optOut 0/1).  A VM whose prefs all return to 0 is dropped.
 */
int aras_state_set_pref(struct aras_state *st, const uint8_t uuid[ARAS_UUID_LEN], int field, unsigned value);
int aras_state_check_pref(int field, unsigned value);

/*
 * Placement rules.  A group name is 1..32 characters of [A-Za-z0-9._-];
 * a host list is comma-separated names of the same characters (at most 255
 * in all).  check_* return 0 or -ARAS_E_RANGE (bad value) / -ARAS_E_LENGTH.
 */
int aras_group_name_ok(const char *name, size_t len);
int aras_group_hosts_ok(const char *hosts, size_t len);
const struct aras_group *aras_state_group(const struct aras_state *st, const char *name);
/* Index of the group in st->groups, or -1. */
int aras_state_group_index(const struct aras_state *st, const char *name);
/* Create (or replace) a group: 0, -ARAS_E_RANGE (bad name/rule/hosts), -ARAS_E_NOMEM (256 groups). */
int aras_state_put_group(struct aras_state *st, const struct aras_group *g);
/* Destroy a group; its members' arasVmGroup is cleared too.  0 or -ARAS_E_NOENT. */
int aras_state_del_group(struct aras_state *st, const char *name);
/* The VM's group ("" = none). */
const char *aras_state_vm_group(const struct aras_state *st, const uint8_t uuid[ARAS_UUID_LEN]);
/*
 * Set the VM's group ("" = none): 0, -ARAS_E_RANGE (bad name), -ARAS_E_NOMEM.
 * Whether the group exists is the caller's check (a SET checks it once every
 * varbind is staged; the file parser at once).
 */
int aras_state_set_vm_group(struct aras_state *st, const uint8_t uuid[ARAS_UUID_LEN], const char *name);
/* Members of a group (prefs naming it). */
unsigned aras_state_group_members(const struct aras_state *st, const char *name);
const char *aras_group_rule_name(int rule); /* "antiAffinity", "affinity" */

/* Maintenance flag of a host; set returns -ARAS_E_NOMEM when 64 are set. */
int aras_state_maintenance(const struct aras_state *st, unsigned host);
int aras_state_set_maintenance(struct aras_state *st, unsigned host, int on);

/*
 * RFC 7666 vmIndex of a VM: its index, 0 when it has none.  assign gives
 * it the next unused one (last + 1, never reused, also after the VM left)
 * and returns it; 0 when out of memory or out of indexes.  *added is 1
 * when the index is new (the caller saves the state file before it is
 * shown).  set (the file parser) records a given one: 0, -ARAS_E_RANGE
 * (0 or above ARAS_VMIDX_MAX), -ARAS_E_INCONSIST (the index or the VM has
 * another), -ARAS_E_NOMEM.
 */
uint32_t aras_state_vmidx(const struct aras_state *st, const uint8_t uuid[ARAS_UUID_LEN]);
uint32_t aras_state_vmidx_assign(struct aras_state *st, const uint8_t uuid[ARAS_UUID_LEN], int *added);
int aras_state_vmidx_set(struct aras_state *st, const uint8_t uuid[ARAS_UUID_LEN], uint32_t index);
/* The live map moved into a staged state about to replace it (the map is not SET over SNMP). */
void aras_state_vmidx_take(struct aras_state *dst, struct aras_state *src);

/* Set a setting as an SNMP SET does (validated by the caller) and mark it persisted. */
void aras_state_set_setting(struct aras_state *st, int id, uint32_t value);

/* Write atomically; 0 or -ARAS_E_IO with a reason. */
int aras_state_save(const struct aras_state *st, const char *path, char *why, size_t whylen);
/*
 * Read a whole regular file of at most max bytes (the state file, the
 * order journal): 1 with *buf (malloc'd, NUL-terminated) and *len, 0 when
 * there is no such file, -ARAS_E_IO with "path: reason" in why (too_big
 * names a file over max; a device or FIFO is refused), -ARAS_E_NOMEM.
 */
int aras_file_read(const char *path, size_t max, const char *too_big, char **buf, size_t *len, char *why,
		   size_t whylen);
/*
 * Merge a saved file onto st (persisted settings win over what st holds).
 * A missing file is not an error.  A bad line: -ARAS_E_INVAL with
 * "path:line: reason" in why; nothing of st is changed then.
 */
int aras_state_load(struct aras_state *st, const char *path, char *why, size_t whylen);
/*
 * The same from a buffer (name for messages): a NUL byte or a line longer
 * than ARAS_STATE_LINE_MAX is an error.  The file must be a regular file of
 * at most ARAS_STATE_MAX_BYTES (a device such as /dev/zero is refused).
 */
#define ARAS_STATE_MAX_BYTES (64u << 20)
#define ARAS_STATE_LINE_MAX 1024u
int aras_state_parse(struct aras_state *st, const char *buf, size_t len, const char *name, char *why,
		     size_t whylen);

#endif
