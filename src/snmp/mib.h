/*
 * mib.h - ARAS-MIB objects served from the model: configuration and status
 * scalars, arasHostTable and arasVmTable.  Handlers read only the model
 * (the last poll), never libvirt.
 */
#ifndef ARAS_SNMP_MIB_H
#define ARAS_SNMP_MIB_H

#include "core/evlog.h"
#include "core/model.h"
#include "core/plan.h"

struct arasd; /* the daemon (arasd.h): served, never copied */

int aras_mib_register(struct arasd *d);
void aras_mib_unregister(struct arasd *d);
/* After shutdown_agent(): free what the table registrations left (D9). */
void aras_mib_free_tables(void);

/* Notifications (sent only from the loop thread). */
void aras_notify_host_state(struct arasd *d, const struct aras_host *h);
void aras_notify_event(struct arasd *d, const struct aras_event *e);
/* arasActionProposed / Done / Failed by the action's state (others: none). */
void aras_notify_action(struct arasd *d, const struct aras_action *a);
/* Column col of vm's arasVmTable row into var (a notification's varbind): 0 or -1. */
struct variable_list;
int aras_mib_vm_value(struct variable_list *var, const struct aras_vm *vm, unsigned col);
/* arasGroupTable's rows follow the state's groups again (at registration, after a commit). */
void aras_mib_groups_sync(struct arasd *d);
/* arasVmStateChange: vm->prev_oper -> vm->oper. */
void aras_notify_vm_state(struct arasd *d, const struct aras_vm *vm);
/* arasVmStateChangesCoalesced with the running totals. */
void aras_notify_state_coalesced(struct arasd *d);
/* arasNoTarget for a no-move event row. */
void aras_notify_no_target(struct arasd *d, const struct aras_event *e);
/* Send the next batch of queued notifications; 1 if more are waiting. */
int aras_notify_flush(struct arasd *d);
/*
 * The master went away (SNMPD_CALLBACK_INDEX_STOP, with its still-open
 * session): notifications it had not acknowledged count as dropped.
 */
void aras_notify_master_lost(struct arasd *d, const void *session);

#endif
