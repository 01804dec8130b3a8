/*
 * events.h - the event controller (the paper's ARAS-EC): every alert is
 * recorded in the event log, then handed to the actions arasActions
 * selects: SNMP notification, mail, script, allocation controller.
 * Runs in the loop thread.
 */
#ifndef ARAS_EVENTS_H
#define ARAS_EVENTS_H

#include "arasd.h"
#include "core/alert.h"

void aras_events_alert(struct arasd *d, const struct aras_alert *a);
/* A host changed state (up, down): log, event log, notification. */
void aras_events_host(struct arasd *d, const struct aras_host *h);

#endif
