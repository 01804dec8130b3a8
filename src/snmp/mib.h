/*
 * mib.h - ARAS-MIB objects served from the model: configuration and status
 * scalars, arasHostTable, arasVmTable, arasEventTable, arasActionTable and
 * arasGroupTable.  Handlers read only the model (the last poll), never
 * libvirt.  The one encoder of each object's value (aras_mib_add_varbind)
 * serves GET/GETNEXT and every notification (notify.h).
 */
#ifndef ARAS_SNMP_MIB_H
#define ARAS_SNMP_MIB_H

#include <stddef.h>

struct arasd;         /* the daemon (arasd.h): served, never copied */
struct variable_list; /* net-snmp's netsnmp_variable_list */
struct aras_action;   /* core/plan.h */
struct aras_event;    /* core/evlog.h */
struct aras_vm;       /* core/model.h */

int aras_mib_register(struct arasd *d);
void aras_mib_unregister(struct arasd *d);
/* After shutdown_agent(): free what the table registrations left (D9). */
void aras_mib_free_tables(void);
/*
 * The engine's row effects (core/engine.h, struct aras_engine_fx; arg
 * unused): the tables' indexes follow the action table, the event log and
 * the model.  Ignored while the MIB is not registered.
 */
void aras_mib_action_added(void *arg, struct aras_action *a);
void aras_mib_action_dropped(void *arg, struct aras_action *a);
void aras_mib_event_added(void *arg, struct aras_event *e);
void aras_mib_event_dropped(void *arg, struct aras_event *e);
void aras_mib_vm_removed(void *arg, struct aras_vm *vm);
void aras_mib_vms_added(void *arg, size_t count);
/* arasGroupTable's rows follow the state's groups again (at registration, after a commit). */
void aras_mib_groups_sync(struct arasd *d);

/* The tables of ARAS-MIB, and what a row of each is. */
enum aras_mib_table {
	ARAS_MIB_STATUS, /* arasStatus scalars: no row (NULL), instance .0 (enum aras_status_col) */
	ARAS_MIB_HOST,   /* arasHostTable: const struct aras_host * (enum aras_host_col) */
	ARAS_MIB_VM,     /* arasVmTable: const struct aras_vm * (enum aras_vm_col) */
	ARAS_MIB_EVENT,  /* arasEventTable: const struct aras_event * (enum aras_event_col) */
	ARAS_MIB_ACTION, /* arasActionTable: const struct aras_action * (enum aras_action_col) */
	ARAS_MIB_GROUP, /* arasGroupTable: const struct aras_group * of the live state (enum aras_group_col) */
};

/*
 * Append to *vars the varbind column col of row in table t, name and value
 * exactly as a GET of that instance answers them now (the same encoder).
 * Only once registered (aras_mib_register).  0, or -1 when the row has no
 * such instance (a sparse column, an unknown column) or out of memory:
 * nothing is appended then.
 */
int aras_mib_add_varbind(struct variable_list **vars, enum aras_mib_table t, unsigned col, const void *row);

#endif
