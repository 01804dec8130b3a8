/*
 * notify.h - ARAS-MIB's notifications, queued by the engine's effects and
 * sent to the AgentX master from the loop thread only.  Each varbind is
 * encoded by the same encoder as a GET of its instance (mib.h).
 */
#ifndef ARAS_SNMP_NOTIFY_H
#define ARAS_SNMP_NOTIFY_H

#include "core/evlog.h"
#include "core/model.h"
#include "core/plan.h"

struct arasd; /* the daemon (arasd.h) */

/* arasHostStateChange of h. */
void aras_notify_host_state(struct arasd *d, const struct aras_host *h);
/* arasSlaBreach / arasSlaClear / arasRuleViolated by the event's type (others: none). */
void aras_notify_event(struct arasd *d, const struct aras_event *e);
/* arasActionProposed / Done / Failed by the action's state (others: none). */
void aras_notify_action(struct arasd *d, const struct aras_action *a);
/* arasVmStateChange: vm->prev_oper -> vm->oper. */
void aras_notify_vm_state(struct arasd *d, const struct aras_vm *vm);
/* arasVmStateChangesCoalesced with the running totals. */
void aras_notify_state_coalesced(struct arasd *d);
/* arasNoTarget for a no-move event row. */
void aras_notify_no_target(struct arasd *d, const struct aras_event *e);
/*
 * Another MIB's notification (VM-MIB, vmmib.c): vars (sysUpTime.0,
 * snmpTrapOID.0, its objects) queued with ARAS-MIB's, owned by the queue
 * from now on; what names it in a log line.
 */
struct variable_list;
void aras_notify_vars(struct arasd *d, struct variable_list *vars, const char *what);
/* Send the next batch of queued notifications; 1 if more are waiting. */
int aras_notify_flush(struct arasd *d);
/* The master connected (SNMPD_CALLBACK_INDEX_START): notifications are queued and sent. */
void aras_notify_master_up(void);
/*
 * The master went away (SNMPD_CALLBACK_INDEX_STOP, with its still-open
 * session): notifications it had not acknowledged count as dropped, and
 * new ones are dropped until it is back.
 */
void aras_notify_master_lost(struct arasd *d, const void *session);

/* arasControllerTakeover: this arasd took over from another node's (daemon/takeover.h). */
void aras_notify_takeover(struct arasd *d);

#endif
