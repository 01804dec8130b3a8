/*
 * alert.h - one alert or action event as every consumer sees it: the event
 * log, notifications, mail and scripts.  Plain data, pure C11.
 */
#ifndef ARAS_ALERT_H
#define ARAS_ALERT_H

#include "aras.h"

#include <stdint.h>
#include <time.h>

/* arasEventResource */
enum aras_resource { ARAS_RES_NONE = 1, ARAS_RES_CPU = 2, ARAS_RES_MEM = 3, ARAS_RES_DISK = 4 };

/* arasEventType */
enum aras_event_type {
	ARAS_EV_BREACH = 1,
	ARAS_EV_CLEAR = 2,
	ARAS_EV_ACTION_PROPOSED = 3,
	ARAS_EV_ACTION_STARTED = 4,
	ARAS_EV_ACTION_DONE = 5,
	ARAS_EV_ACTION_FAILED = 6,
	ARAS_EV_HOST_DOWN = 7,
	ARAS_EV_HOST_UP = 8,
	ARAS_EV_INFO = 9,
	ARAS_EV_STATE_CHANGE = 10,   /* a VM's arasVmOperState changed */
	ARAS_EV_CRASHED = 11,        /* a VM crashed (also mailed / scripted like an alert) */
	ARAS_EV_RULE_VIOLATION = 12, /* a VM breaks its group's placement rule (arasRuleViolated) */
	ARAS_EV_RULE_REPAIRED = 13,  /* ... and no longer does */
};

struct aras_alert {
	int type;    /* enum aras_event_type */
	time_t when; /* wall clock */
	uint8_t uuid[ARAS_UUID_LEN];
	int has_vm;
	char vm_name[ARAS_NAME_MAX];
	unsigned host_index;
	char host_name[ARAS_NAME_MAX];
	int resource;              /* enum aras_resource */
	unsigned value, threshold; /* percent */
	char text[ARAS_ERRTEXT_MAX];
	char group[33]; /* arasEventGroup: the placement group; "" = none */
};

/*
 * Start an alert about a VM (uuid non-NULL) or a host: zeroes a, then
 * fills type, time, VM, host and resource (0 -> none).
 */
void aras_alert_init(struct aras_alert *a, int type, time_t when, const uint8_t *uuid, const char *vm_name,
		     unsigned host_index, const char *host_name, int resource);

const char *aras_resource_name(int resource); /* "cpu", "memory", "disk", "none" */
const char *aras_event_name(int type);        /* "breach", "clear", ... */

#endif
