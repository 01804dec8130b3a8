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

struct aras_vm;

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
/*
 * A SET of setting id (core/settings.h) in any phase, as arasConfig's
 * scalars take it (decoded, staged with the PDU, checked, persisted at
 * ACTION, live at COMMIT: txn.h); VM-MIB's switches use it (vmmib.c).
 */
struct netsnmp_agent_request_info_s;
struct netsnmp_request_info_s;
void aras_mib_setting_set(int id, struct netsnmp_agent_request_info_s *reqinfo,
			  struct netsnmp_request_info_s *r);
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
	ARAS_MIB_DISK,  /* arasVmDiskTable: const struct aras_mib_dev * (enum aras_disk_col) */
	ARAS_MIB_NIC,   /* arasVmNicTable: const struct aras_mib_dev * (enum aras_nic_col) */
	ARAS_MIB_VCPU,  /* arasVmVcpuTable: const struct aras_mib_dev * (enum aras_vcpu_col) */
	ARAS_MIB_CLONE, /* arasCloneTable: the const struct aras_action * of the clone (enum aras_clone_col) */
};

/* A row of a device table: the VM and one of its disks, NICs or vCPUs (core/device.h). */
struct aras_mib_dev {
	const struct aras_vm *vm;
	const void *dev; /* struct aras_disk / aras_nic / aras_vcpu of vm->dev */
};

/*
 * Append to *vars the varbind column col of row in table t, name and value
 * exactly as a GET of that instance answers them now (the same encoder).
 * Only once registered (aras_mib_register).  0, or -1 when the row has no
 * such instance (a sparse column, an unknown column) or out of memory:
 * nothing is appended then.
 */
int aras_mib_add_varbind(struct variable_list **vars, enum aras_mib_table t, unsigned col, const void *row);

/*
 * For /metrics (prom.c): the same encoders without a varbind list.  Loop
 * thread, once registered.
 * aras_mib_value: column col of row obj of table t into *var (zeroed
 * first; snmp_free_var_internals after): 0, or -1 when there is no such
 * instance (nothing to free then).  aras_mib_config_value: the arasConfig
 * scalar .subid.0, the same way.  aras_mib_index_text: the row's index as
 * a label value (an integer index in decimal, a string index as its
 * octets) into buf; its length.  aras_mib_rows: fn for each row of table
 * t in index order (the walk's order); -1 when t has no registered rows.
 */
int aras_mib_value(enum aras_mib_table t, unsigned col, const void *obj, struct variable_list *var);
int aras_mib_config_value(unsigned subid, struct variable_list *var);
size_t aras_mib_index_text(enum aras_mib_table t, const void *obj, char *buf, size_t size);
int aras_mib_rows(enum aras_mib_table t, void (*fn)(const void *obj, void *arg), void *arg);

#endif
