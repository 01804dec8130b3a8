/*
 * vmmib.h - RFC 7666 VM-MIB (mib-2 236) from the same model as ARAS-MIB:
 * one hypervisor per SNMP context (each host's name; the default context
 * for vmMibLocalHost), vmIndex kept in the state file (core/state.h), and
 * the per-VM and bulk notifications.  docs/vm-mib.md says what each
 * object carries.
 */
#ifndef ARAS_SNMP_VMMIB_H
#define ARAS_SNMP_VMMIB_H

#include <stddef.h>

struct arasd;   /* the daemon (arasd.h) */
struct aras_vm; /* core/model.h */

/* Register vmObjects in every host's context (and the default one): 0 or -1. */
int aras_vmmib_register(struct arasd *d);
void aras_vmmib_unregister(struct arasd *d);
/*
 * The model changed (a poll, an event, VMs added or gone): the tables are
 * rebuilt before the next answer or tick.  Loop thread.
 */
void aras_vmmib_touch(void);
/* Each second: rebuild what changed (new vmIndex saved), send the bulk notifications gathered. */
void aras_vmmib_tick(struct arasd *d);
/* The engine's effects: a state change announced, one the limit held back, a VM about to be freed. */
void aras_vmmib_vm_state(struct arasd *d, const struct aras_vm *vm);
void aras_vmmib_vm_held(struct arasd *d, const struct aras_vm *vm);
void aras_vmmib_vm_removed(struct arasd *d, const struct aras_vm *vm);

#endif
