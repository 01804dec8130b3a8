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
 */
#ifndef ARAS_STATE_H
#define ARAS_STATE_H

#include "aras.h"
#include "settings.h"

#include <stddef.h>
#include <stdint.h>


struct aras_vm_prefs {
	uint8_t uuid[ARAS_UUID_LEN];
	unsigned priority;              /* 0..100, higher served first */
	unsigned thr[ARAS_NRES];  /* cpu, memory, disk; 0 = global */
	int opt_out;                    /* 1: the controller leaves this VM alone */
};

/* Per-VM preference fields, as SNMP columns and file keywords. */
enum aras_pref_field { ARAS_PREF_PRIORITY, ARAS_PREF_THR_CPU, ARAS_PREF_THR_MEM,
		       ARAS_PREF_THR_DISK, ARAS_PREF_OPT_OUT, ARAS_PREF_COUNT };

struct aras_state {
	struct aras_settings settings;
	uint32_t persisted;             /* bit i: setting i was SET over SNMP */
	struct aras_vm_prefs *prefs;    /* sorted by uuid */
	size_t nprefs;
	unsigned maint[ARAS_MAINT_MAX]; /* hosts in maintenance (arasHostMaintenance) */
	size_t nmaint;
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
int aras_state_set_pref(struct aras_state *st, const uint8_t uuid[ARAS_UUID_LEN], int field,
			unsigned value);
int aras_state_check_pref(int field, unsigned value);

/* Maintenance flag of a host; set returns -ARAS_E_NOMEM when 64 are set. */
int aras_state_maintenance(const struct aras_state *st, unsigned host);
int aras_state_set_maintenance(struct aras_state *st, unsigned host, int on);

/* Set a setting as an SNMP SET does (validated by the caller) and mark it persisted. */
void aras_state_set_setting(struct aras_state *st, int id, uint32_t value);

/* Write atomically; 0 or -ARAS_E_IO with a reason. */
int aras_state_save(const struct aras_state *st, const char *path, char *why, size_t whylen);
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
